"""Decisions that change a figure an officer can set (权责清单 sign-off): who proposed, who approved.

A decision is a row of the ledger table ``ledger_signoffs`` (audited, so the ledger's fingerprint
covers it): its kind (:data:`~landcoord.allocation.ledger.schema.SIGNOFF_KINDS`: stage moves, rule
overrides, quota adjustments, carving choices, closing a public notice), what was decided, the figure
before and after, who proposed it (the ledger's officer) and who approved it. Where the procedure
lists the kind in ``four_eyes`` the same person cannot do both.

Stage moves (:func:`landcoord.allocation.procedure.advance`) and the closing of a public notice
(:func:`landcoord.allocation.notice.close_notice`) record theirs with :func:`record_signoff`; so does
``landcoord stage signoff``.
"""

from __future__ import annotations

from datetime import date

from .errors import InputError
from .i18n import tr
from .ledger.records import signoffs
from .ledger.schema import SIGNOFF_KINDS
from .ledger.statuses import iso_date, project_key

__all__ = ["record_signoff", "signoffs", "same_officer"]


def same_officer(a, b) -> bool:
    """Whether two officer names are the same person's (case and surrounding spaces ignored)."""
    return str(a or "").strip().casefold() == str(b or "").strip().casefold()


def _check_kind(kind) -> None:
    if kind not in SIGNOFF_KINDS:
        raise InputError(
            tr("Unknown decision kind '{kind}'; kinds: {kinds}.", kind=kind, kinds=", ".join(SIGNOFF_KINDS))
        )


def _check_four_eyes(ledger, procedure, kind, subject, approver) -> None:
    """Refuse (InputError) a decision approved by its proposer where ``procedure`` says four eyes."""
    if procedure is not None and kind in procedure.four_eyes and same_officer(approver, ledger.actor):
        raise InputError(
            tr(
                "Four-eyes rule of procedure '{procedure}': '{officer}' proposed this decision ({kind}: "
                "{subject}) and cannot also approve it; another officer must approve it. "
                "Nothing was written.",
                procedure=procedure.id,
                officer=ledger.actor,
                kind=kind,
                subject=subject,
            )
        )


def record_signoff(
    ledger,
    kind,
    subject,
    *,
    approved_by,
    procedure=None,
    project=None,
    old_value=None,
    new_value=None,
    note=None,
    decided_on=None,
) -> int:
    """Record a decision that changes a figure an officer can set, proposed by the ledger's officer
    and approved by ``approved_by``; returns the sign-off id.

    Refused (:class:`InputError`) without an approver, or when the procedure lists ``kind`` in
    ``four_eyes`` and the approver is the proposer.
    """
    _check_kind(kind)
    approver = str(approved_by or "").strip()
    if not approver:
        raise InputError(
            tr(
                "A decision ({kind}: {subject}) needs the name of the officer who approved it "
                "(--approved-by).",
                kind=kind,
                subject=subject,
            )
        )
    _check_four_eyes(ledger, procedure, kind, subject, approver)
    day = iso_date(decided_on, tr("decision date")) if decided_on else date.today().isoformat()
    with ledger.transaction(f"sign-off {kind}: {subject}"):
        return ledger.backend.insert(
            "ledger_signoffs",
            {
                "project": None if project is None else project_key(project),
                "kind": kind,
                "subject": str(subject),
                "old_value": None if old_value is None else str(old_value),
                "new_value": None if new_value is None else str(new_value),
                "proposed_by": ledger.actor,
                "approved_by": approver,
                "decided_on": day,
                "note": note,
            },
        )
