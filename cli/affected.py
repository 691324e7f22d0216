"""``landcoord affected``: affected area by rights-holder, written to a GeoPackage."""

from __future__ import annotations

from ..allocation.affected import AreaMethod, affected_area
from ..allocation.i18n import tr
from ..allocation.io.files import read_layer, write_layers
from ._common import MEASURE_CRS_HELP, PrintFeedback, fmt_area, print_table

NAME = "affected"
HELP = "Affected area by rights-holder: project boundaries over cadastral parcels."

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".gpkg",)}


def add_arguments(p) -> None:
    p.add_argument("--boundary", required=True, help="project boundaries: FILE or FILE|layername=NAME")
    p.add_argument("--cadastre", required=True, help="cadastral parcels: FILE or FILE|layername=NAME")
    p.add_argument("--parcel-field", required=True, help="parcel id field of the cadastre")
    p.add_argument("--holder-field", required=True, help="rights-holder field of the cadastre")
    p.add_argument("--status-field", help="legal status field of the cadastre")
    p.add_argument("--project-field", help="project id field of the boundaries (default: feature id)")
    p.add_argument("--ellipsoidal", action="store_true", help="measure on the ellipsoid, not the plane")
    p.add_argument("--measure-crs", metavar="CRS", help=MEASURE_CRS_HELP)
    p.add_argument("--encoding", help="attribute encoding of shapefiles without .cpg (default: detect)")
    p.add_argument(
        "--out",
        required=True,
        help="output GeoPackage (layers pieces, summary, " "status_summary, gaps, overlaps, reconciliation)",
    )


def run(args) -> int:
    fb = PrintFeedback(getattr(args, "quiet", False))
    boundary = read_layer(args.boundary, encoding=args.encoding)
    cadastre = read_layer(args.cadastre, encoding=args.encoding)
    result = affected_area(
        boundary,
        cadastre,
        parcel_field=args.parcel_field,
        holder_field=args.holder_field,
        status_field=args.status_field,
        project_field=args.project_field,
        area_method=AreaMethod.ELLIPSOIDAL if args.ellipsoidal else AreaMethod.PLANAR,
        measure_crs=args.measure_crs,
        feedback=fb,
    )
    write_layers(args.out, result.layers())
    print_summary(result)
    print(tr("written: {path}", path=args.out))
    return 0


def print_summary(result, top: int = 10) -> None:
    """Per project: the reconciliation line and the largest holders."""
    for rec in result.reconciliation.itertuples(index=False):
        fields = dict(
            project=rec.project,
            area=fmt_area(rec.project_area),
            covered=fmt_area(rec.covered_area),
            gaps=fmt_area(rec.gap_area),
            double=fmt_area(rec.double_claimed_area),
        )
        if rec.balanced:
            line = tr(
                "project {project}: boundary {area} m² = covered {covered} + gaps {gaps}; double-claimed "
                "{double} m² (balanced)",
                **fields,
            )
        else:
            line = tr(
                "project {project}: boundary {area} m² = covered {covered} + gaps {gaps}; double-claimed "
                "{double} m² (NOT BALANCED)",
                **fields,
            )
        print("\n" + line)
        rows = result.summary[result.summary.project == rec.project]
        shown = rows.head(top)
        print_table(
            [
                (h if h is not None else tr("(no holder)"), n, fmt_area(a), f"{s:.2%}")
                for h, n, a, s in zip(shown.holder, shown.parcels, shown.affected_area, shown.project_share)
            ],
            [tr("holder"), tr("parcels"), tr("affected m²"), tr("share")],
            align=["<", ">", ">", ">"],
        )
        if len(rows) > top:
            rest = rows.iloc[top:]
            print(
                tr(
                    "... and {n} more holders with {area} m²",
                    n=len(rest),
                    area=fmt_area(rest.affected_area.sum()),
                )
            )
