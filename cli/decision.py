"""``landcoord decision``: the register of decisions recorded in a ledger, and their later approval.

Examples::

    landcoord decision list project.gpkg --pending
    landcoord decision list project.gpkg --project P1 --kind quota_adjustment --out decisions.xlsx
    landcoord decision approve project.gpkg 7 --approved-by 李处长

``list`` prints every decision (``landcoord quota|carve --ledger``, stage moves, sign-offs, closed
public notices): its id, day, kind, project, subject, who proposed it, who approved it and when
(``pending`` when nobody has yet), the figure before and after, and the fingerprint of its settings;
``--out`` writes the same table (with the settings in full) to .csv or .xlsx, no text as a formula.
The names are the officers' (an internal register, not masked).

``approve`` records the approval of a proposed decision in the ledger (an approval row: the table of
decisions is append-only, so the proposed row stays as written; audited, and the ledger's
fingerprint changes), by ``--approved-by``; the audit trail records who wrote it (``--officer``, else
LANDCOORD_OFFICER or the OS user). Refused with exit status 2, nothing written: an unknown id, a
decision already approved, the four-eyes rule of ``--procedure`` (the approver proposed it), a
decision superseded by a later one of the same kind and project. A later run of ``landcoord
quota|carve --ledger`` with the same settings and result figures then picks the approval up: its
outputs are approved (:func:`landcoord.allocation.decisions.record_decision`).
"""

from __future__ import annotations

from ..allocation.i18n import tr, trn
from ._args import iso_date
from ._common import print_table
from .consent import _ledger_location, _open

NAME = "decision"
HELP = "Decisions recorded in the ledger (quota, carving, sign-offs): list them, approve a proposed one."
OUTPUTS = {"out": (".csv", ".xlsx")}

#: the longest figure printed in the console table (the file has it in full)
_FIGURE_WIDTH = 48


def add_arguments(p) -> None:
    from ..allocation.ledger.schema import SIGNOFF_KINDS

    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    s = sub.add_parser("list", help="every decision: proposer, approver or 'pending', figures, settings")
    _ledger_location(s)
    s.add_argument("--project", help="only this project's decisions")
    s.add_argument("--kind", choices=sorted(SIGNOFF_KINDS), help="only decisions of this kind")
    s.add_argument("--pending", action="store_true", help="only the decisions awaiting approval")
    s.add_argument("--out", help="write the table to .csv or .xlsx (the settings in full)")
    s = sub.add_parser("approve", help="approve a proposed decision (a ledger write, audited)")
    _ledger_location(s)
    s.add_argument("id", type=int, help="the decision's id (landcoord decision list --pending)")
    s.add_argument("--approved-by", required=True, metavar="NAME", help="the officer approving it")
    s.add_argument(
        "--officer",
        help="name recorded as author of the ledger write (default: LANDCOORD_OFFICER or OS user)",
    )
    s.add_argument(
        "--procedure",
        default="shenzhen_benefit_coordination",
        help="procedure file whose four_eyes list applies (.toml or shipped name; default "
        "shenzhen_benefit_coordination)",
    )
    s.add_argument("--date", type=iso_date, help="day of the approval (default: today)")


def _short(text) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= _FIGURE_WIDTH else text[: _FIGURE_WIDTH - 1] + "…"


def _list(args) -> int:
    import pandas as pd

    from ..allocation.decisions import decision_register

    with _open(args) as ledger:
        table = decision_register(ledger, project=args.project, kind=args.kind, pending=args.pending)
        label = ledger.label
    status = {"approved": tr("approved"), "pending": tr("pending"), "superseded": tr("superseded")}
    print_table(
        [
            (
                r.id,
                r.day,
                r.kind,
                r.project or "-",
                r.subject,
                r.proposed_by,
                r.approved_by if r.status == "approved" else tr("pending"),
                r.approved_on or "",
                status[r.status] + ("" if pd.isna(r.superseded_by) else f" → {r.superseded_by}"),
                f"{_short(r.old_value) or '-'} → {_short(r.new_value) or '-'}",
                r.settings_fingerprint or "-",
            )
            for r in table.itertuples()
        ],
        [
            tr("id"),
            tr("day"),
            tr("kind"),
            tr("project"),
            tr("subject"),
            tr("proposed by"),
            tr("approved by"),
            tr("approved on"),
            tr("status"),
            tr("figure before → after"),
            tr("settings fingerprint"),
        ],
        align=[">"] + ["<"] * 10,
    )
    waiting = int((table["status"] == "pending").sum())
    print(
        trn(
            "{n} decision listed from the ledger {ledger}; {pending} awaiting approval.",
            "{n} decisions listed from the ledger {ledger}; {pending} awaiting approval.",
            len(table),
            ledger=label,
            pending=waiting,
        )
    )
    if args.out:
        from ..allocation.ledger.sheets import _write_frames

        print(tr("written: {path}", path=_write_frames(args.out, {"decisions": table}, "utf-8-sig")))
    return 0


def _approve(args) -> int:
    from ..allocation.decisions import approve_decision
    from ..allocation.procedure import load_procedure

    procedure = load_procedure(args.procedure)
    with _open(args) as ledger:
        aid = approve_decision(
            ledger, args.id, approved_by=args.approved_by, procedure=procedure, decided_on=args.date
        )
        code = ledger.fingerprint().code
    print(
        tr(
            "Decision {id} approved by {approver} (approval {approval} recorded in the ledger); its "
            "results are approved when run again with the same settings. Ledger fingerprint now: {code}",
            id=args.id,
            approver=args.approved_by.strip(),
            approval=aid,
            code=code,
        )
    )
    return 0


def run(args) -> int:
    return _list(args) if args.action == "list" else _approve(args)
