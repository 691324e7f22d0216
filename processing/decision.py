"""The decision a Processing run records in the ledger (``landcoord:retainedquota``,
``landcoord:carveretained``), as ``landcoord quota|carve --ledger`` does.

Three optional parameters: ``LEDGER`` (the project GeoPackage holding the ledger), ``PROPOSED_BY``
and ``APPROVED_BY``. Given a ledger, the run's decision is checked before any work (the four-eyes rule
of the shipped procedure: refused, nothing written) and recorded after it
(:mod:`landcoord.allocation.decisions`): what was set, the result figures, proposer and approver.
Without an approver it is recorded as proposed and the output says "not approved"; once an officer
approved it (``landcoord decision approve``), a run with the same settings and result figures is that
decision again: nothing new is recorded and the output says "approved by NAME"
(:func:`landcoord.allocation.decisions.record_decision`).
"""

from __future__ import annotations

from qgis.core import QgsProcessingException, QgsProcessingParameterFile, QgsProcessingParameterString
from qgis.PyQt.QtCore import QCoreApplication

from ..qgis_compat import FILE_FILE

__all__ = ["LEDGER", "PROPOSED_BY", "APPROVED_BY", "add_parameters", "plan", "report"]

LEDGER = "LEDGER"
PROPOSED_BY = "PROPOSED_BY"
APPROVED_BY = "APPROVED_BY"


def add_parameters(alg) -> None:
    """LEDGER, PROPOSED_BY, APPROVED_BY on ``alg`` (all optional)."""
    p = QgsProcessingParameterFile(
        LEDGER,
        QCoreApplication.translate(
            "LandcoordDecision", "Record the decision in the ledger (project GeoPackage)"
        ),
        behavior=FILE_FILE,
        fileFilter=QCoreApplication.translate("LandcoordDecision", "GeoPackage (*.gpkg *.GPKG)"),
        optional=True,
    )
    p.setHelp(
        QCoreApplication.translate(
            "LandcoordDecision",
            "The GeoPackage holding the project's ledger: the run is recorded there as a decision (what "
            "was set, with the fingerprint of the rule files; the results; who proposed it and who "
            "approved it), audited and covered by the ledger's fingerprint. Without an approver it is "
            "recorded as proposed and the output says 'not approved': nothing is official.",
        )
    )
    alg.addParameter(p)
    p = QgsProcessingParameterString(
        PROPOSED_BY, QCoreApplication.translate("LandcoordDecision", "Proposed by"), optional=True
    )
    p.setHelp(
        QCoreApplication.translate(
            "LandcoordDecision",
            "The officer proposing the decision; default LANDCOORD_OFFICER or the OS user.",
        )
    )
    alg.addParameter(p)
    p = QgsProcessingParameterString(
        APPROVED_BY, QCoreApplication.translate("LandcoordDecision", "Approved by"), optional=True
    )
    p.setHelp(
        QCoreApplication.translate(
            "LandcoordDecision",
            "The officer approving the decision; where the procedure says four-eyes, not the one "
            "proposing it (refused before any work).",
        )
    )
    alg.addParameter(p)


def plan(alg, parameters, context, what):
    """The decision this run records (None without LEDGER), checked before any work
    (:func:`landcoord.allocation.decisions.plan_decision`); LandcoordError on refusal. ``what()``
    gives the decision's ``(kind, subject)`` (called only with a ledger). An official result asked
    for without an approver is refused when the decision is recorded, unless an officer approved the
    same settings and figures before (:func:`landcoord.allocation.decisions.record_decision`)."""
    from ..allocation.decisions import plan_decision
    from ..allocation.procedure import load_procedure

    ledger = alg.parameterAsFile(parameters, LEDGER, context)
    proposer = alg.parameterAsString(parameters, PROPOSED_BY, context).strip() or None
    approver = alg.parameterAsString(parameters, APPROVED_BY, context).strip() or None
    if not ledger:
        if proposer or approver:
            raise QgsProcessingException(
                QCoreApplication.translate(
                    "LandcoordDecision",
                    "'Proposed by' and 'Approved by' need the ledger the decision is recorded in.",
                )
            )
        return None
    kind, subject = what()
    return plan_decision(
        ledger, kind, subject, procedure=load_procedure(), approved_by=approver, officer=proposer
    )


def report(decision, feedback) -> None:
    """Tell the officer the decision was recorded (or that the run is a decision recorded before, with
    the same settings and result figures), and whether it is approved."""
    if decision.reused and decision.approved:
        feedback.pushInfo(
            QCoreApplication.translate(
                "LandcoordDecision",
                "The same settings and result figures as decision {id} of the ledger: proposed by "
                "{proposer}, approved by {approver} on {day} (decision {id}); nothing new recorded.",
            ).format(
                id=decision.id,
                proposer=decision.proposed_by,
                approver=decision.approved_by,
                day=decision.approved_on,
            )
        )
    elif decision.reused:
        feedback.pushWarning(
            QCoreApplication.translate(
                "LandcoordDecision",
                "The same settings and result figures as decision {id} of the ledger, still PROPOSED by "
                "{proposer}, NOT APPROVED: its results are not official until an officer approves it "
                "(landcoord decision approve); nothing new recorded.",
            ).format(id=decision.id, proposer=decision.proposed_by)
        )
    elif decision.approved:
        feedback.pushInfo(
            QCoreApplication.translate(
                "LandcoordDecision",
                "Decision {id} recorded in the ledger: proposed by {proposer}, approved by {approver}.",
            ).format(id=decision.id, proposer=decision.proposed_by, approver=decision.approved_by)
        )
    else:
        feedback.pushWarning(
            QCoreApplication.translate(
                "LandcoordDecision",
                "Decision {id} recorded in the ledger as PROPOSED by {proposer}, NOT APPROVED: its "
                "results are not official until an officer approves it.",
            ).format(id=decision.id, proposer=decision.proposed_by)
        )
