"""The decision a computation run records in the ledger (``landcoord quota``, ``landcoord carve``).

A run that takes figures an officer sets records, when given ``--ledger`` (the project GeoPackage
holding the ledger, or a PostgreSQL DSN with ``--schema``), a decision: what was set, the run's result
figure, who proposed it (``--proposed-by``, else the configured officer or OS user) and who approved
it (``--approved-by``), with the four-eyes rule of ``--procedure`` (refused, exit status 2, before
any work when the two are the same person). Without ``--approved-by`` the decision is recorded as
proposed and the outputs say "not approved" (:func:`landcoord.allocation.decisions.mark_tables`);
``landcoord decision approve`` approves it later, and a run with the same settings and result figures
then is that approved decision (nothing new recorded, the outputs approved).
"""

from __future__ import annotations

from ..allocation.errors import InputError
from ..allocation.i18n import tr

__all__ = ["add_arguments", "prepare", "message"]


def add_arguments(p) -> None:
    """The options of a run's decision (all optional; without --ledger nothing is recorded)."""
    p.add_argument(
        "--ledger",
        metavar="LEDGER",
        help="record this run's decision (settings, result, proposer, approver) in the ledger of this "
        "project GeoPackage (or PostgreSQL DSN)",
    )
    p.add_argument("--schema", help="PostgreSQL schema of --ledger (default: the search path's)")
    p.add_argument(
        "--proposed-by",
        metavar="NAME",
        help="officer proposing the decision (default: LANDCOORD_OFFICER or OS user)",
    )
    p.add_argument(
        "--approved-by",
        metavar="NAME",
        help="officer approving it (another officer where the procedure says four-eyes); without it "
        "the decision is recorded as proposed and the outputs say 'not approved'",
    )
    p.add_argument(
        "--procedure",
        default="shenzhen_benefit_coordination",
        help="procedure file whose four_eyes list applies (.toml or shipped name; default "
        "shenzhen_benefit_coordination)",
    )


def prepare(args, kind: str, subject: str):
    """The decision this run will record (None without --ledger), checked now
    (:func:`landcoord.allocation.decisions.plan_decision`). --proposed-by, --approved-by or --schema
    without --ledger is refused (nothing would be recorded)."""
    from ..allocation.decisions import plan_decision
    from ..allocation.procedure import load_procedure

    if not args.ledger:
        given = [o for o, v in (("--proposed-by", args.proposed_by), ("--approved-by", args.approved_by),
                                ("--schema", args.schema)) if v]  # fmt: skip
        if given:
            raise InputError(
                tr(
                    "{options} given without --ledger; give the ledger the decision is recorded in (the "
                    "project GeoPackage or a PostgreSQL DSN).",
                    options=", ".join(given),
                )
            )
        return None
    return plan_decision(
        args.ledger,
        kind,
        subject,
        procedure=load_procedure(args.procedure),
        approved_by=args.approved_by,
        officer=args.proposed_by,
        schema=args.schema,
    )


def message(decision) -> str:
    """One line for the officer: the decision, where it is recorded, and its approval."""
    if decision.reused and decision.approved:
        return tr(
            "Decision {id} ({kind}: {subject}) in the ledger {ledger}: the same settings and result "
            "figures, proposed by {proposer}, approved by {approver} on {day} (decision {id}); nothing "
            "new recorded.",
            id=decision.id,
            kind=decision.kind,
            subject=decision.subject,
            ledger=decision.ledger,
            proposer=decision.proposed_by,
            approver=decision.approved_by,
            day=decision.approved_on,
        )
    if decision.reused:
        return tr(
            "Decision {id} ({kind}: {subject}) in the ledger {ledger}: the same settings and result "
            "figures, still PROPOSED by {proposer}, NOT APPROVED: its results are not official until an "
            "officer approves it (landcoord decision approve); nothing new recorded.",
            id=decision.id,
            kind=decision.kind,
            subject=decision.subject,
            ledger=decision.ledger,
            proposer=decision.proposed_by,
        )
    if decision.approved:
        return tr(
            "Decision {id} ({kind}: {subject}) recorded in the ledger {ledger}: proposed by {proposer}, "
            "approved by {approver}.",
            id=decision.id,
            kind=decision.kind,
            subject=decision.subject,
            ledger=decision.ledger,
            proposer=decision.proposed_by,
            approver=decision.approved_by,
        )
    return tr(
        "Decision {id} ({kind}: {subject}) recorded in the ledger {ledger} as PROPOSED by {proposer}, "
        "NOT APPROVED: its results are not official until an officer approves it (landcoord decision "
        "approve, or run again with --approved-by).",
        id=decision.id,
        kind=decision.kind,
        subject=decision.subject,
        ledger=decision.ledger,
        proposer=decision.proposed_by,
    )
