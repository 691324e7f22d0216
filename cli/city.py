"""``landcoord city``: every project against the whole cadastre (and the one map), on Dask."""

from __future__ import annotations

import logging

from ..allocation.affected import AreaMethod
from ..allocation.i18n import tr
from ..allocation.io.files import write_layers
from ._args import layer_source, positive_float, positive_int
from ._common import MEASURE_CRS_HELP, PrintFeedback, fmt_area, print_table

NAME = "city"
HELP = (
    "City scale: all projects of a plan against the whole cadastre and the control lines, "
    "partitioned and run on Dask (local cores or a cluster); per-project summaries."
)

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".gpkg",)}

SOURCES = (
    "FILE, FILE|layername=NAME, or a PostGIS table: "
    "'PG:host=H port=P dbname=D user=U|table=SCHEMA.TABLE[|geom=COL][|key=COL]' or "
    "'postgresql://U@H:P/D?table=SCHEMA.TABLE'"
)


def add_arguments(p) -> None:
    p.add_argument("--projects", required=True, type=layer_source, help=f"project boundaries: {SOURCES}")
    p.add_argument(
        "--cadastre",
        required=True,
        type=layer_source,
        help=f"cadastral parcels: {SOURCES} (only rows near projects read)",
    )
    p.add_argument("--parcel-field", required=True, help="parcel id field of the cadastre")
    p.add_argument("--holder-field", required=True, help="rights-holder field of the cadastre")
    p.add_argument("--status-field", help="legal status field of the cadastre")
    p.add_argument("--project-field", help="project id field of the boundaries (default: feature id)")
    p.add_argument("--controls", type=layer_source, help=f"control zones of the one map: {SOURCES}")
    p.add_argument("--kind-field", help="kind field of the control zones (required with --controls)")
    p.add_argument("--registry", help="your control-line registry file (TOML), merged over the shipped one")
    p.add_argument(
        "--tolerance", type=positive_float, default=1.0, help="conflicts below this area (m²) are slivers"
    )
    p.add_argument("--ellipsoidal", action="store_true", help="measure on the ellipsoid, not the plane")
    p.add_argument("--measure-crs", metavar="CRS", help=MEASURE_CRS_HELP)
    p.add_argument(
        "--scheduler",
        default="threads",
        help="threads (default), processes, local-cluster, or a Dask scheduler address tcp://HOST:8786",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        help="threads or worker processes on this machine (default: all cores)",
    )
    p.add_argument(
        "--partitions",
        type=positive_int,
        help="number of partitions (default: by the work, 4 per worker at least)",
    )
    p.add_argument(
        "--no-geometries",
        action="store_true",
        help="write pieces, gaps, overlaps and conflicts as tables without geometries (province-sized runs)",
    )
    p.add_argument(
        "--out",
        required=True,
        help="output GeoPackage (projects, pieces, summary, status_summary, gaps, overlaps, "
        "reconciliation, conflicts, conflict_summary, partitions)",
    )


def run(args) -> int:
    from ..allocation.city import city_screen
    from ..allocation.errors import InputError

    if args.controls and not args.kind_field:
        raise InputError(tr("--controls needs --kind-field, the field with each control zone's kind."))
    # distributed logs every worker start at INFO; the officer needs the progress bar and warnings
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.WARNING)
    fb = PrintFeedback(getattr(args, "quiet", False))
    result = city_screen(
        args.projects,
        args.cadastre,
        parcel_field=args.parcel_field,
        holder_field=args.holder_field,
        status_field=args.status_field,
        project_field=args.project_field,
        area_method=AreaMethod.ELLIPSOIDAL if args.ellipsoidal else AreaMethod.PLANAR,
        measure_crs=args.measure_crs,
        controls=args.controls,
        kind_field=args.kind_field,
        registry=args.registry,
        tolerance=args.tolerance,
        scheduler=args.scheduler,
        workers=args.workers,
        partitions=args.partitions,
        geometries=not args.no_geometries,
        feedback=fb,
    )
    write_layers(args.out, result.layers())
    print_projects(result)
    print(tr("written: {path}", path=args.out))
    return 0


def print_projects(result, top: int = 30) -> None:
    """One line per project (the first ``top``), then the totals."""
    p = result.projects
    has_conflicts = "verdict" in p.columns
    headers = [
        tr("project"),
        tr("area m²"),
        tr("parcels"),
        tr("holders"),
        tr("gaps m²"),
        tr("double m²"),
        tr("balanced"),
    ]
    if has_conflicts:
        headers += [tr("blocking m²"), tr("review m²"), tr("verdict")]
    rows = []
    for r in p.head(top).itertuples(index=False):
        row = [
            r.project,
            fmt_area(r.project_area),
            r.parcels,
            r.holders,
            fmt_area(r.gap_area),
            fmt_area(r.double_claimed_area),
            tr("yes") if r.balanced else tr("NO"),
        ]
        if has_conflicts:
            row += [fmt_area(r.blocking_area), fmt_area(r.review_area), r.verdict]
        rows.append(row)
    print_table(
        rows, headers, align=["<", ">", ">", ">", ">", ">", "<"] + ([">", ">", "<"] if has_conflicts else [])
    )
    if len(p) > top:
        print(tr("... and {more} more projects (all in the 'projects' layer)", more=len(p) - top))
    totals = {
        "projects": len(p),
        "area": fmt_area(p.project_area.sum()),
        "parcels": int(p.parcels.sum()),
        "unbalanced": int((~p.balanced).sum()),
    }
    if has_conflicts:
        counts = p.verdict.value_counts()
        line = tr(
            "{projects} projects: {area} m², {parcels:,} affected parcels (a parcel in two projects counted "
            "in each), {unbalanced} not balanced; {blocked} blocked, {review} review, {clear} clear",
            **totals,
            blocked=int(counts.get("blocked", 0)),
            review=int(counts.get("review", 0)),
            clear=int(counts.get("clear", 0)),
        )
    else:
        line = tr(
            "{projects} projects: {area} m², {parcels:,} affected parcels (a parcel in two projects counted "
            "in each), {unbalanced} not balanced",
            **totals,
        )
    print("\n" + line)
    print(
        tr(
            "ran on the {where}, {partitions} partitions",
            where=result.scheduler,
            partitions=len(result.partitions),
        )
    )
