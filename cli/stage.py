"""``landcoord stage``: the stages of a 利益统筹 project (show / advance / history / duties / signoff).

Examples::

    landcoord stage show project.gpkg --project P1
    landcoord stage advance project.gpkg --project P1 --approved-by 李处长 --affected out/affected.gpkg
    landcoord stage advance project.gpkg --project P1 --approved-by 李处长 --force "区政府会议纪要 3 号"
    landcoord stage history project.gpkg --project P1
    landcoord stage duties project.gpkg --project P1
    landcoord stage signoff project.gpkg --project P1 --kind quota_adjustment --subject "留用地指标" \\
        --old 3000 --new 3200 --approved-by 李处长

The stages, their entry conditions and due days, the duties (权责清单) and the decisions needing a
second officer (four-eyes) come from a procedure file (``--procedure``: a .toml path or a shipped
name; default ``shenzhen_benefit_coordination``). ``--affected`` is the output GeoPackage of
``landcoord affected``: its reconciliation layer answers ``affected_reconciled`` and its pieces give
the consent progress for ``threshold:KEY`` conditions (thresholds from ``--thresholds``, default the
procedure's).
"""

from __future__ import annotations

import json

from ..allocation.i18n import tr
from ._args import iso_date
from ._common import print_table
from .consent import _ledger_location, _open

NAME = "stage"
HELP = (
    "Project stages (计划立项 → … → 实施/移交): show, advance (entry conditions, sign-off), history, duties."
)
OUTPUTS: dict = {}


def _common(s) -> None:
    _ledger_location(s)
    s.add_argument(
        "--officer", help="name recorded as author (and proposer) of the changes (default: OS user)"
    )
    s.add_argument(
        "--procedure", default="shenzhen_benefit_coordination", help="procedure file: .toml or shipped name"
    )


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    s = sub.add_parser("show", help="the project's stage, days in it, and the next stage's conditions")
    _common(s)
    s.add_argument("--project", required=True)
    s.add_argument("--affected", help="output GeoPackage of `landcoord affected` (reconciliation, pieces)")
    s.add_argument("--thresholds", help="threshold file (default: the procedure's)")
    s = sub.add_parser("advance", help="move the project into the next stage (a ledger write, audited)")
    _common(s)
    s.add_argument("--project", required=True)
    s.add_argument("--to", help="the stage expected next (refused if it is not the next one)")
    s.add_argument("--approved-by", required=True, help="the officer who approved the move")
    s.add_argument("--date", type=iso_date, help="day of the move (default: today)")
    s.add_argument("--force", metavar="REASON", help="move although conditions fail; the reason is recorded")
    s.add_argument("--affected", help="output GeoPackage of `landcoord affected` (reconciliation, pieces)")
    s.add_argument("--thresholds", help="threshold file (default: the procedure's)")
    s = sub.add_parser("history", help="every stage move: who, when, from/to, conditions, approver")
    _common(s)
    s.add_argument("--project")
    s = sub.add_parser("duties", help="the responsibility list (权责清单) with due dates and overdue duties")
    _common(s)
    s.add_argument("--project", required=True)
    s.add_argument("--date", type=iso_date, help="the day to judge overdue duties on (default: today)")
    s = sub.add_parser("signoff", help="record a decision with its proposer (--officer) and approver")
    _common(s)
    s.add_argument("--project")
    s.add_argument(
        "--kind", required=True, help="rule_override|quota_adjustment|carving_choice|notice_close|stage_move"
    )
    s.add_argument("--subject", required=True, help="what was decided (rule value, block, scheme...)")
    s.add_argument("--old", help="the figure before")
    s.add_argument("--new", help="the figure after")
    s.add_argument("--approved-by", required=True)
    s.add_argument("--note")
    s.add_argument("--date", type=iso_date)


def _outputs(args, procedure):
    """(reconciliation, progress, thresholds) from --affected / --thresholds."""
    if not getattr(args, "affected", None):
        return None, None, None
    from ..allocation.io.files import read_layer
    from ..allocation.ledger.consent import load_thresholds

    rec = read_layer(f"{args.affected}|layername=reconciliation")
    pieces = read_layer(f"{args.affected}|layername=pieces")
    with _open(args) as ledger:
        progress = ledger.progress(pieces).projects
    return rec, progress, load_thresholds(args.thresholds or procedure.thresholds)


def _conditions(results) -> None:
    print_table(
        [(n, tr("met") if ok else tr("NOT met"), d) for n, ok, d in results],
        [tr("condition"), tr("result"), tr("detail")],
    )


def run(args) -> int:
    from ..allocation import procedure as pr

    proc = pr.load_procedure(args.procedure)
    if args.action == "signoff":
        with _open(args) as ledger:
            sid = pr.record_signoff(
                ledger,
                args.kind,
                args.subject,
                approved_by=args.approved_by,
                procedure=proc,
                project=args.project,
                old_value=args.old,
                new_value=args.new,
                note=args.note,
                decided_on=args.date,
            )
        print(
            tr(
                "sign-off {id} recorded: proposed by {proposer}, approved by {approver}",
                id=sid,
                proposer=ledger.actor,
                approver=args.approved_by,
            )
        )
        return 0
    if args.action == "history":
        with _open(args) as ledger:
            h = pr.stage_history(ledger, args.project)
        print_stage_history(h, proc)
        return 0
    if args.action == "duties":
        with _open(args) as ledger:
            d = pr.duties_table(ledger, proc, args.project, today=args.date)
        print_table(
            [
                (
                    r.duty,
                    r.actor,
                    r.stage,
                    r.label,
                    r.due or "-",
                    tr("OVERDUE") if r.overdue else "",
                    "" if r.verified else tr("(not verified)"),
                )
                for r in d.itertuples()
            ],
            [tr("duty"), tr("actor"), tr("stage"), tr("what"), tr("due"), "", ""],
        )
        return 0
    rec, progress, thresholds = _outputs(args, proc)
    if args.action == "show":
        with _open(args) as ledger:
            here, since = pr.current_stage(ledger, args.project)
            i = proc.index(here)
            print(
                tr(
                    "Project {project}: stage {stage} since {since}",
                    project=args.project,
                    stage=f"{here} {proc.stage(here).label}" if here else "-",
                    since=since or "-",
                )
            )
            if i + 1 < len(proc.stages):
                nxt = proc.stages[i + 1]
                print(tr("Next stage: {stage}; its entry conditions:", stage=f"{nxt.key} {nxt.label}"))
                _conditions(
                    pr.check_conditions(
                        ledger,
                        args.project,
                        nxt.requires,
                        reconciliation=rec,
                        progress=progress,
                        thresholds=thresholds,
                    )
                )
        return 0
    with _open(args) as ledger:
        move = pr.advance(
            ledger,
            proc,
            args.project,
            to=args.to,
            approved_by=args.approved_by,
            force_reason=args.force,
            moved_on=args.date,
            reconciliation=rec,
            progress=progress,
            thresholds=thresholds,
        )
    _conditions(move["conditions"])
    print(
        tr(
            "Project {project} moved from {old} to {new}{forced}.",
            project=args.project,
            old=move["from"] or "-",
            new=move["to"],
            forced=tr(" (forced, reason recorded)") if move["forced"] else "",
        )
    )
    return 0


def print_stage_history(h, proc) -> None:
    """The stage moves as a table (also used by ``landcoord demo``)."""
    rows = []
    for r in h.itertuples():
        conds = json.loads(r.conditions or "[]")
        summary = ", ".join(f"{c['condition']}={'✓' if c['met'] else '✗'}" for c in conds) or "-"
        rows.append(
            (
                r.project,
                r.from_stage or "-",
                r.to_stage,
                r.moved_on,
                r.moved_by,
                r.approved_by,
                summary + (f" [{tr('forced')}: {r.reason}]" if r.forced else ""),
            )
        )
    print_table(
        rows,
        [tr("project"), tr("from"), tr("to"), tr("day"), tr("moved by"), tr("approved by"), tr("conditions")],
    )


def demo_step(
    ledger_gpkg,
    reconciliation,
    progress,
    *,
    officer: str = "演示 (demo)",
    approver: str = "演示审批人 (demo)",
    notice_pdf=None,
):
    """The procedure step of ``landcoord demo``: each project of the demo ledger taken through its
    stages with a SIMULATED history (printed as such): the moves up to 协议签订 with their entry
    conditions checked (the affected-area reconciliation, the consent records, a hearing, a public
    notice with one objection answered before it closes), each move approved by a second officer.
    The move to 审批 is attempted and, as long as the 利益统筹 signing threshold ships empty
    (unverified), refused: the demo prints the refusal and leaves the project in 协议签订. Prints the
    stage history and the legal threshold verdicts. ``notice_pdf``: also write every project's
    public notice and the answers to its objections there (the public version, names masked: what
    ``landcoord notice export LEDGER notice.pdf`` writes); it needs a QGIS application (one is
    started when none runs)."""
    from ..allocation import notice as nt
    from ..allocation import procedure as pr
    from ..allocation.errors import InputError
    from ..allocation.ledger import Ledger
    from ..allocation.ledger.consent import evaluate_thresholds, load_thresholds, verdict_lines

    proc = pr.load_procedure()
    thresholds = load_thresholds(proc.thresholds)
    projects = [str(p) for p in progress["project"]]
    refusals = []
    with Ledger.open(ledger_gpkg, officer=officer) as ledger:
        for k, project in enumerate(projects):
            kw = {"reconciliation": reconciliation, "progress": progress, "thresholds": thresholds}
            for day in ("2024-01-08", "2024-01-22", "2024-02-05"):
                pr.advance(ledger, proc, project, approved_by=approver, moved_on=day, **kw)
            ledger.add_event(
                "听证会", "2024-05-06", project=project, place="街道办会议室", summary="方案听证 (demo)"
            )
            pr.advance(ledger, proc, project, approved_by=approver, moved_on="2024-05-10", **kw)
            nid = nt.open_notice(
                ledger, project, "利益统筹方案公示 (demo)", "2024-05-10", 7, place="社区公告栏"
            )
            holders = ledger.consent_table(project)["holder"]
            if len(holders):
                oid = nt.add_objection(
                    ledger, nid, holders.iloc[k % len(holders)], "对补偿面积有异议 (demo)", "2024-05-12"
                )
                nt.answer_objection(ledger, oid, "经复核，面积按测绘成果确定 (demo)", "2024-05-15")
            nt.close_notice(
                ledger, nid, "公示期满，异议已答复 (demo)", "2024-05-17", approved_by=approver, procedure=proc
            )
            pr.advance(ledger, proc, project, approved_by=approver, moved_on="2024-05-20", **kw)
            try:
                pr.advance(ledger, proc, project, approved_by=approver, **kw)
            except InputError as exc:
                refusals.append(str(exc))
        history = pr.stage_history(ledger)
        code = ledger.fingerprint().code
        frames = nt.notice_frames(ledger, None, public=True) if notice_pdf else None
    print(tr("Stage history (a SIMULATED procedure, for the demo):"))
    print_stage_history(history, proc)
    for text in refusals:
        print(tr("refused: {reason}", reason=text))
    print(tr("Legal thresholds:"))
    for line in verdict_lines(evaluate_thresholds(progress, thresholds)):
        print("  " + line)
    print(tr("ledger fingerprint after the procedure: {code}", code=code))
    if notice_pdf:
        from .hearing import qgis_application

        with qgis_application():
            from ..report.notice_pdf import write_notice_pdf

            path = write_notice_pdf(frames, notice_pdf, public=True)
        print(tr("written: {path}", path=path))
    return history
