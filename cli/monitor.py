"""``landcoord monitor``: indicators of every project (or some) at given days.

Example::

    landcoord monitor project.gpkg --pieces "out/affected.gpkg|layername=pieces" \\
        --day 2024-03-31 --day 2024-06-30 --out monitor.csv

Per project and day: consent by holders and by affected area (as recorded in the ledger by the end of
that day), objections and requests open that day, the stage and the days in it, overdue duties.

A district: ``--district`` and the ledgers of its projects (one or more; each project GeoPackage or
PostgreSQL schema holds its own ledger) give one row per project of every ledger and a district
total per day (counts summed, rates from the sums)::

    landcoord monitor p1.gpkg p2.gpkg p3.gpkg --district --pieces "out/affected.gpkg|layername=pieces" \
        --out district.xlsx
"""

from __future__ import annotations

import os

from ..allocation.errors import InputError
from ..allocation.i18n import tr
from ._args import iso_date
from ._common import fmt_area, print_table
from .consent import _open

NAME = "monitor"
HELP = "Monitoring: consent by holders and area, open objections and requests, days in stage, overdue duties."
OUTPUTS = {"out": (".csv", ".xlsx"), "chart": (".png",)}


def add_arguments(p) -> None:
    p.add_argument(
        "ledger",
        nargs="*",
        metavar="LEDGER",
        help="the project GeoPackage (or a PostgreSQL DSN) holding the ledger; several with --district",
    )
    p.add_argument(
        "--ledger", dest="ledger_option", action="append", metavar="LEDGER", help="the same, as an option"
    )
    p.add_argument("--schema", help="PostgreSQL schema of the ledger(s) (default: the search path's)")
    p.add_argument(
        "--district",
        action="store_true",
        help="every project of the ledgers, one row each, and the district total per day",
    )
    p.add_argument(
        "--pieces",
        action="append",
        help="affected pieces: FILE|layername=pieces (`landcoord affected` output; repeat with --district)",
    )
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
        import pandas as pd

        from ..allocation.io.files import read_layer

        frames = [read_layer(p) for p in args.pieces]
        pieces = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    # one ledger named twice (./a.gpkg and a.gpkg) is counted once
    locations = list(
        {
            (os.path.realpath(loc) if os.path.exists(loc) else loc): loc
            for loc in [*args.ledger, *(args.ledger_option or [])]
        }.values()
    )
    if args.district:
        return _district(args, locations, pieces)
    if len(locations) > 1:
        raise InputError(
            tr(
                "{count} ledgers given; one, or several with --district (a summary of every project).",
                count=len(locations),
            )
        )
    args.ledger, args.ledger_option = (locations[0] if locations else None), None
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


def _district(args, locations, pieces) -> int:
    """``--district``: the indicators of every project of every ledger, and the district's total."""
    from types import SimpleNamespace

    from ..allocation.monitoring import district_summary, indicators, ledger_projects
    from ..allocation.procedure import load_procedure

    if not locations:
        raise InputError(tr("Give the ledger: the project GeoPackage (or a PostgreSQL DSN), or --ledger."))
    procedure = load_procedure(args.procedure)
    tables = {}
    for location in locations:
        with _open(SimpleNamespace(ledger=location, ledger_option=None, schema=args.schema)) as ledger:
            names = list(args.project or ledger_projects(ledger))
            if not args.project and len(locations) == 1 and pieces is not None:
                names = sorted({*names, *(str(p) for p in pieces["project"])})
            tables[ledger.label] = indicators(
                ledger, days=args.day, projects=names, pieces=pieces, procedure=procedure
            )
    table = district_summary(tables)

    def pct(x):
        return "-" if x is None or x != x else f"{x:.1%}"

    def num(x, fmt):
        return "-" if x is None or x != x else fmt(x)

    print_table(
        [
            (
                r.day,
                tr("district total") if r.level == "district" else r.ledger,
                r.project or "",
                r.holders,
                r.consented,
                pct(r.consent_rate),
                num(r.area, fmt_area),
                pct(r.area_consent_rate),
                pct(r.area_signed_rate),
                r.open_objections,
                r.open_requests,
                r.stage or "-",
                num(r.days_in_stage, int),
                r.overdue_duties,
            )
            for r in table.itertuples()
        ],
        [
            tr("day"),
            tr("ledger"),
            tr("project"),
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
        align=["<", "<", "<", ">", ">", ">", ">", ">", ">", ">", ">", "<", ">", ">"],
    )
    if args.out:
        from ..allocation.ledger.sheets import _write_frames

        print(tr("written: {path}", path=_write_frames(args.out, {"district": table}, "utf-8-sig")))
    if args.chart:
        from ..report.charts import monitor_chart

        rows = table[table["level"] == "project"].copy()
        if len(tables) > 1:
            rows["project"] = [f"{p} ({lab})" for p, lab in zip(rows["project"], rows["ledger"])]
        print(tr("written: {path}", path=monitor_chart(rows, args.chart)))
    return 0
