"""``landcoord notice``: public notices (公示) of a project, their objections and answers.

Examples::

    landcoord notice open project.gpkg --project P1 --title 利益统筹方案公示 --start 2024-05-01 --days 7 \\
        --place 龙田社区公告栏
    landcoord notice object project.gpkg --notice 1 --objector 张三 --text "面积少算" --date 2024-05-03
    landcoord notice answer project.gpkg --objection 1 --text "已复核更正" --date 2024-05-05
    landcoord notice close project.gpkg --notice 1 --outcome "公示期满，异议均已答复" --date 2024-05-08 \\
        --approved-by 李处长
    landcoord notice show project.gpkg --project P1
    landcoord notice export project.gpkg notice_P1.xlsx --project P1
    landcoord notice export project.gpkg notice_P1.pdf --project P1

A notice cannot close while one of its objections is unanswered. ``export`` writes the public
version: objectors' names masked and the texts scrubbed as in ``consent export --public``; to a
``.pdf`` it is the printable public document (A4, QGIS print layouts: this one needs QGIS).
"""

from __future__ import annotations

from ..allocation.i18n import tr
from ._args import iso_date, positive_int
from ._common import print_table
from .consent import _ledger_location, _open

NAME = "notice"
HELP = "Public notices (公示): open, objections, answers, close (not with an unanswered objection), export."
OUTPUTS = {"out": (".csv", ".xlsx", ".pdf")}


def _common(s) -> None:
    _ledger_location(s)
    s.add_argument("--officer", help="name recorded as author of the changes (default: OS user)")


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    s = sub.add_parser("open", help="post a public notice")
    _common(s)
    s.add_argument("--project", required=True)
    s.add_argument("--title", required=True)
    s.add_argument("--start", required=True, type=iso_date, help="first day, YYYY-MM-DD")
    s.add_argument("--days", required=True, type=positive_int, help="how many days it is posted")
    s.add_argument("--place", help="where it is posted")
    s = sub.add_parser("object", help="record an objection to an open notice")
    _common(s)
    s.add_argument("--notice", required=True, type=positive_int)
    s.add_argument("--objector", required=True, help="who objects (masked in the public export)")
    s.add_argument("--text", required=True)
    s.add_argument("--date", required=True, type=iso_date, help="day it was received")
    s = sub.add_parser("answer", help="record the answer to an objection")
    _common(s)
    s.add_argument("--objection", required=True, type=positive_int)
    s.add_argument("--text", required=True)
    s.add_argument("--date", required=True, type=iso_date)
    s = sub.add_parser("close", help="close a notice with its outcome (every objection answered)")
    _common(s)
    s.add_argument("--notice", required=True, type=positive_int)
    s.add_argument("--outcome", required=True)
    s.add_argument("--date", required=True, type=iso_date)
    s.add_argument("--approved-by", help="the officer approving the closing (recorded as a sign-off)")
    s.add_argument("--procedure", default="shenzhen_benefit_coordination", help="procedure file (four-eyes)")
    s = sub.add_parser("show", help="notices and objections")
    _common(s)
    s.add_argument("--project")
    s = sub.add_parser(
        "export", help="the public version (.csv objections, .xlsx notices and objections, .pdf a document)"
    )
    _common(s)
    s.add_argument("out", help="output .csv, .xlsx or .pdf (printable A4 document; needs QGIS)")
    s.add_argument("--project")
    s.add_argument("--internal", action="store_true", help="names not masked (not for publication)")


def run(args) -> int:
    from ..allocation import notice as nt

    with _open(args) as ledger:
        if args.action == "open":
            nid = nt.open_notice(ledger, args.project, args.title, args.start, args.days, place=args.place)
            print(tr("public notice {id} posted", id=nid))
        elif args.action == "object":
            oid = nt.add_objection(ledger, args.notice, args.objector, args.text, args.date)
            print(tr("objection {id} recorded", id=oid))
        elif args.action == "answer":
            nt.answer_objection(ledger, args.objection, args.text, args.date)
            print(tr("answer to objection {id} recorded", id=args.objection))
        elif args.action == "close":
            proc = None
            if args.approved_by:
                from ..allocation.procedure import load_procedure

                proc = load_procedure(args.procedure)
            nt.close_notice(
                ledger, args.notice, args.outcome, args.date, approved_by=args.approved_by, procedure=proc
            )
            print(tr("public notice {id} closed", id=args.notice))
        elif args.action == "show":
            ns = nt.notices(ledger, args.project)
            print_table(
                [
                    (
                        r.id,
                        r.project,
                        r.title,
                        r.start_date,
                        r.end_date,
                        r.place or "",
                        r.status,
                        r.objections,
                        r.unanswered,
                        r.outcome or "",
                    )
                    for r in ns.itertuples()
                ],
                [
                    tr("notice"),
                    tr("project"),
                    tr("title"),
                    tr("from"),
                    tr("to"),
                    tr("place"),
                    tr("status"),
                    tr("objections"),
                    tr("unanswered"),
                    tr("outcome"),
                ],
            )
            objs = nt.objections(ledger)
            objs = objs[objs["notice_id"].isin(list(ns["id"]))]
            if len(objs):
                print()
                print_table(
                    [
                        (
                            r.id,
                            r.notice_id,
                            r.objector,
                            r.received_date,
                            r.objection,
                            r.answer or "-",
                            r.answer_date or "-",
                        )
                        for r in objs.itertuples()
                    ],
                    [
                        tr("objection"),
                        tr("notice"),
                        tr("who"),
                        tr("received"),
                        tr("what"),
                        tr("answer"),
                        tr("answered"),
                    ],
                )
        elif str(args.out).lower().endswith(".pdf"):
            from .hearing import qgis_application

            frames = nt.notice_frames(ledger, args.project, public=not args.internal)
            with qgis_application():
                from ..report.notice_pdf import write_notice_pdf

                path = write_notice_pdf(frames, args.out, public=not args.internal, project=args.project)
            print(tr("written: {path}", path=path))
        else:
            path = nt.export_notice(ledger, args.out, project=args.project, public=not args.internal)
            print(tr("written: {path}", path=path))
    return 0
