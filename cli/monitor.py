"""``landcoord monitor``: indicators of every project (or some) at given days.

Example::

    landcoord monitor project.gpkg --pieces "out/affected.gpkg|layername=pieces" \\
        --day 2024-03-31 --day 2024-06-30 --out monitor.csv

Per project and day: consent by holders and by affected area (as recorded in the ledger by the end of
that day), objections and requests open that day, the stage and the days in it, overdue duties.
"""

from __future__ import annotations

from ..allocation.i18n import tr
from ._args import iso_date
from ._common import fmt_area, print_table
from .consent import _ledger_location, _open

NAME = "monitor"
HELP = "Monitoring: consent by holders and area, open objections and requests, days in stage, overdue duties."
OUTPUTS = {"out": (".csv", ".xlsx"), "chart": (".png",)}


def add_arguments(p) -> None:
    _ledger_location(p)
    p.add_argument("--pieces", help="affected pieces: FILE|layername=pieces (output of `landcoord affected`)")
    p.add_argument("--project", action="append", help="only this project (repeat)")
    p.add_argument("--day", action="append", type=iso_date, help="a day to report (repeat; default: today)")
    p.add_argument("--procedure", default="shenzhen_benefit_coordination", help="procedure file (duties)")
    p.add_argument("--out", help="write the table to .csv or .xlsx")
    p.add_argument("--chart", help="draw the indicators over the days into a .png")


def run(args) -> int:
    from ..allocation.monitoring import indicators
    from ..allocation.procedure import load_procedure

    pieces = None
    if args.pieces:
        from ..allocation.io.files import read_layer

        pieces = read_layer(args.pieces)
    with _open(args) as ledger:
        table = indicators(
            ledger,
            days=args.day,
            projects=args.project,
            pieces=pieces,
            procedure=load_procedure(args.procedure),
        )

    def pct(x):
        return "-" if x is None or x != x else f"{x:.1%}"

    print_table(
        [
            (
                r.project,
                r.day,
                r.holders,
                r.consented,
                pct(r.consent_rate),
                "-" if r.area is None or r.area != r.area else fmt_area(r.area),
                pct(r.area_consent_rate),
                pct(r.area_signed_rate),
                r.open_objections,
                r.open_requests,
                r.stage or "-",
                "-"
                if r.days_in_stage is None or r.days_in_stage != r.days_in_stage
                else int(r.days_in_stage),
                r.overdue_duties,
            )
            for r in table.itertuples()
        ],
        [
            tr("project"),
            tr("day"),
            tr("holders"),
            tr("consented"),
            tr("rate"),
            tr("area m²"),
            tr("area rate"),
            tr("signed area"),
            tr("open objections"),
            tr("open requests"),
            tr("stage"),
            tr("days in stage"),
            tr("overdue duties"),
        ],
        align=["<", "<", ">", ">", ">", ">", ">", ">", ">", ">", "<", ">", ">"],
    )
    if args.out:
        from ..allocation.ledger.sheets import _write_frames

        print(tr("written: {path}", path=_write_frames(args.out, {"monitor": table}, "utf-8-sig")))
    if args.chart:
        from ..report.charts import monitor_chart

        print(tr("written: {path}", path=monitor_chart(table, args.chart)))
    return 0
