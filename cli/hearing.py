"""``landcoord hearing``: the hearing pack of one project as one multi-page PDF.

Print layouts need QGIS: this command starts a headless QGIS application of its own (the rest of
the command line runs without QGIS).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..allocation.errors import InputError
from ..allocation.i18n import tr
from ..allocation.io.files import read_layer, read_table
from ._args import document_date, non_negative_int, positive_int
from ._common import PrintFeedback

NAME = "hearing"
HELP = "Hearing maps: a print-ready PDF pack for a public hearing, personal data masked."

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".pdf",), "write_templates": ("/",)}  # ("/",): a folder (allocation.io.outputs.FOLDER)


def output_paths(args) -> list:
    """Outputs besides the declared ones, for the command line's output guard: the PNG folder."""
    if getattr(args, "png", False) and args.out:
        out = Path(args.out)
        return [("--png", out.parent / f"{out.stem}_png", ("/",))]
    return []

#: Layer and field names of a project GeoPackage laid out like the bundled sample (--gpkg).
GPKG_SCHEMA = {
    "boundary": "projects",
    "project_field": "项目编号",
    "project_name_field": "项目名称",
    "cadastre": "parcels",
    "parcel_field": "宗地号",
    "holder_field": "权利人",
    "holder_type_field": "权利人类型",
    "status_field": "用地状态",
    "controls": "controls",
    "control_kind_field": "类型",
    "control_name_field": "名称",
}


def add_arguments(p) -> None:
    p.add_argument(
        "--gpkg",
        help="a project GeoPackage laid out like the sample (layers projects, parcels, controls and the "
        "sample's field names); the options below override it",
    )
    p.add_argument("--boundary", help="project boundaries: FILE or FILE|layername=NAME")
    p.add_argument("--project-field", help="project id field of the boundaries")
    p.add_argument("--project", help="the project to print (required when there are several)")
    p.add_argument("--project-name-field", help="project name field of the boundaries")
    p.add_argument("--cadastre", help="cadastral parcels: FILE or FILE|layername=NAME")
    p.add_argument("--parcel-field", help="parcel id field of the cadastre")
    p.add_argument("--holder-field", help="rights-holder field of the cadastre")
    p.add_argument("--holder-type-field", help="holder type field (个人 / 社区股份合作公司 / 国有单位 ...)")
    p.add_argument("--status-field", help="legal status field of the cadastre")
    p.add_argument(
        "--affected",
        help="output GeoPackage of `landcoord affected` (layers pieces, summary); computed if absent",
    )
    p.add_argument("--controls", help="control zones of the one map: FILE or FILE|layername=NAME")
    p.add_argument("--control-kind-field", help="kind field of the control zones")
    p.add_argument("--control-name-field", help="name field of the control zones")
    p.add_argument("--retained", help="carved retained land (FILE|layername=NAME, e.g. carve output parcels)")
    p.add_argument("--conflicts", help="conflicts (FILE|layername=NAME, e.g. conflicts output conflicts)")
    p.add_argument("--conflict-summary", help="conflict verdicts table (e.g. conflicts output summary)")
    p.add_argument("--quota-trail", help="retained-land quota trail table (CSV, XLSX or a layer)")
    p.add_argument(
        "--scenarios", help="benefit-sharing figures per scenario and party (CSV, XLSX or a layer)"
    )
    p.add_argument("--chart", help="scenario comparison chart (PNG)")
    p.add_argument(
        "--finance",
        help="the output of `landcoord benefits` run with [scenario.finance] (its .gpkg, or its .csv with "
        "the _finance_* tables beside it): the benefit sheet shows who gets and who pays, every party, "
        "reconciled, and the implementing entity's feasibility verdict",
    )
    p.add_argument(
        "--ledger",
        help="the GeoPackage holding the consultation ledger (usually the project's own): its fingerprint "
        "code (校验码) and the project's consent rates are printed on the overview sheet, and a monitoring "
        "sheet gives the indicators of `landcoord monitor` on the hearing day (--date) and over time",
    )
    p.add_argument("--office", default="", help="issuing office printed in the title block")
    p.add_argument(
        "--date",
        type=document_date,
        help="the hearing day: printed in the title block, and the day the monitoring sheet's indicators are "
        "taken on (default: today)",
    )
    p.add_argument("--paper", choices=["A3", "A4"], default="A3", help="landscape paper size (default A3)")
    p.add_argument(
        "--dpi", type=positive_int, default=200, help="resolution of raster content and PNGs (default 200)"
    )
    p.add_argument(
        "--internal",
        action="store_true",
        help="internal version: full names, every page stamped NOT FOR PUBLIC DISPLAY",
    )
    p.add_argument(
        "--templates", help="folder with your own overview/holder/benefit/conflicts .qpt templates"
    )
    p.add_argument("--png", action="store_true", help="also write one PNG per page (folder <out>_png)")
    p.add_argument(
        "--max-holders", type=non_negative_int, help="at most this many holder sheets, largest first"
    )
    p.add_argument("--holders", help="only these holder sheets: comma-separated codes (H01,H07) or names")
    p.add_argument("--encoding", help="attribute encoding of shapefiles without .cpg (default: detect)")
    p.add_argument("--out", help="the PDF to write")
    p.add_argument(
        "--write-templates", metavar="DIR", help="write the default layout templates (.qpt) to DIR and stop"
    )


@contextlib.contextmanager
def qgis_application():
    """A headless QGIS application for the command (reused when one is already running)."""
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is not None:
        yield app
        return
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QgsApplication([], False)
    app.initQgis()
    try:
        yield app
    finally:
        app.exitQgis()


def _options(args) -> dict:
    opts = {k: getattr(args, k, None) for k in GPKG_SCHEMA}
    if args.gpkg:
        gpkg = Path(args.gpkg)
        if not gpkg.is_file():
            raise InputError(tr("The GeoPackage '{path}' does not exist.", path=gpkg))
        for key, value in GPKG_SCHEMA.items():
            if opts.get(key):
                continue
            opts[key] = f"{gpkg}|layername={value}" if key in ("boundary", "cadastre", "controls") else value
    for key in ("boundary", "cadastre", "parcel_field", "holder_field"):
        if not opts.get(key):
            raise InputError(tr("--{option} is required (or give --gpkg).", option=key.replace("_", "-")))
    return opts


def run(args) -> int:
    from ..allocation.affected import affected_area
    from ..allocation.hearing import field_arguments, hearing_data, read_finance

    fb = PrintFeedback(getattr(args, "quiet", False))
    if args.write_templates:
        with qgis_application():
            from ..report.pack import write_default_templates

            paths = write_default_templates(args.write_templates, args.paper)
        for path in paths:
            print(tr("written: {path}", path=path))
        return 0
    if not args.out:
        raise InputError(tr("--out is required: the PDF to write."))
    o = _options(args)
    enc = args.encoding
    boundary = read_layer(o["boundary"], encoding=enc)
    cadastre = read_layer(o["cadastre"], encoding=enc)
    if args.affected:
        pieces = read_layer(f"{args.affected}|layername=pieces")
        summary = read_table(f"{args.affected}|layername=summary")
    else:
        result = affected_area(
            boundary,
            cadastre,
            parcel_field=o["parcel_field"],
            holder_field=o["holder_field"],
            status_field=o["status_field"],
            project_field=o["project_field"],
            feedback=fb,
        )
        pieces, summary = result.pieces, result.summary
    controls = read_layer(o["controls"], encoding=enc) if o.get("controls") else None
    data = hearing_data(
        pieces,
        project=args.project,
        summary=summary,
        boundary=boundary,
        parcels=cadastre,
        controls=controls,
        **field_arguments(o),
        retained=read_layer(args.retained, encoding=enc) if args.retained else None,
        conflicts=read_layer(args.conflicts, encoding=enc) if args.conflicts else None,
        conflict_summary=read_table(args.conflict_summary, encoding=enc) if args.conflict_summary else None,
        quota_trail=read_table(args.quota_trail, encoding=enc) if args.quota_trail else None,
        scenarios=read_table(args.scenarios, encoding=enc) if args.scenarios else None,
        chart=args.chart,
        finance=read_finance(args.finance) if getattr(args, "finance", None) else None,
        public=not args.internal,
        holders=[h.strip() for h in args.holders.split(",") if h.strip()] if args.holders else None,
        max_holders=args.max_holders,
        ledger=args.ledger or None,
        hearing_day=args.date,
        feedback=fb,
    )
    out = Path(args.out)
    with qgis_application():
        from ..report.pack import write_hearing_pack

        result = write_hearing_pack(
            data,
            out,
            paper=args.paper,
            dpi=args.dpi,
            office=args.office,
            date=args.date,
            templates=args.templates,
            png_dir=out.parent / f"{out.stem}_png" if args.png else None,
            feedback=fb,
        )
    print_pack(data, result)
    return 0


def print_pack(data, result) -> None:
    """What was written: pages by section, the version, and the PNGs."""
    sections = [
        ("overview", tr("overview")),
        ("holder", tr("holder sheets")),
        ("benefit", tr("benefit sharing")),
        ("conflicts", tr("conflicts")),
        ("monitoring", tr("monitoring")),
    ]
    parts = []
    for key, label in sections:
        n = result.count(key)
        if n:
            extra = result.count(key, continued=True)
            if extra:
                parts.append(
                    tr("{section} {pages} ({continued} continued)", section=label, pages=n, continued=extra)
                )
            else:
                parts.append(tr("{section} {pages}", section=label, pages=n))
    if data.public:
        version = tr("public (individuals' names masked)")
    else:
        version = tr("INTERNAL - not for public display")
    print(
        tr(
            "project {project} {name}: {pages} pages, {version}; {sheets} of {holders} holders have a sheet",
            project=data.project,
            name=data.project_name,
            pages=len(result.pages),
            version=version,
            sheets=len(data.sheet_codes),
            holders=len(data.holders),
        )
    )
    print("  " + "; ".join(parts))
    if data.unverified:
        print("  " + tr("figures resting on unverified rule values are marked 未核实 (not official)"))
    if data.ledger is not None:
        print(
            "  "
            + tr(
                "ledger fingerprint code (校验码) printed on the overview: {code} ({entries} audit entries)",
                code=data.ledger.code,
                entries=data.ledger.entries,
            )
        )
    if data.monitoring is not None:
        print(
            "  "
            + tr(
                "monitoring: the indicators of landcoord monitor on the hearing day {day} and on the first "
                "of each month before",
                day=data.monitoring.day,
            )
        )
    print(tr("written: {path}", path=result.pdf))
    if result.pngs:
        print(
            tr(
                "written: {count} PNGs in {folder}",
                count=len(result.pngs),
                folder=Path(result.pngs[0]).parent,
            )
        )


def demo_step(
    project_gpkg,
    pieces,
    out_dir,
    *,
    summary=None,
    quota_trail=None,
    scenarios=None,
    chart=None,
    retained=None,
    conflicts=None,
    conflict_summary=None,
    finance=None,
    ledger=None,
    projects=None,
    dpi: int = 150,
    feedback=None,
) -> list:
    """The hearing-pack step of ``landcoord demo``: one public PDF per project of the sample.

    ``pieces`` and ``summary`` are the affected-area result; the other steps' outputs are passed
    as they are (the quota trail, the scenario parties and their chart, the carved retained land,
    the conflicts and their verdicts, the finance step's result); those not given are left out of
    the pack. With ``ledger`` (the demo's project GeoPackage) the overview prints its ledger block
    and the pack ends with the monitoring sheet. Writes
    ``out_dir/hearing_<project>.pdf`` and returns the paths.
    """
    from ..allocation.feedback import Feedback
    from ..allocation.hearing import field_arguments, hearing_data

    fb = feedback or Feedback()
    out_dir = Path(out_dir)
    s = GPKG_SCHEMA
    src = f"{project_gpkg}|layername="
    boundary = read_layer(src + s["boundary"])
    cadastre = read_layer(src + s["cadastre"])
    controls = read_layer(src + s["controls"])
    codes = projects or list(dict.fromkeys(str(p) for p in pieces["project"] if p is not None))
    paths = []
    with qgis_application():
        from ..report.pack import write_hearing_pack

        for code in codes:
            data = hearing_data(
                pieces,
                project=code,
                summary=summary,
                boundary=boundary,
                parcels=cadastre,
                controls=controls,
                **field_arguments(s),
                quota_trail=quota_trail,
                scenarios=scenarios,
                chart=chart,
                retained=retained,
                conflicts=conflicts,
                conflict_summary=conflict_summary,
                finance=finance,
                ledger=ledger,
                feedback=fb,
            )
            result = write_hearing_pack(
                data, out_dir / f"hearing_{code}.pdf", dpi=dpi, office="（示例 example office）", feedback=fb
            )
            print_pack(data, result)
            paths.append(result.pdf)
    return paths
