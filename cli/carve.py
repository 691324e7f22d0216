"""``landcoord carve``: carve retained-land parcels to quota, written to a GeoPackage."""

from __future__ import annotations

import math

from ..allocation.carve import carve_retained
from ..allocation.files import read_layer, read_table, write_layers
from ._common import PrintFeedback, fmt_area, print_table

NAME = "carve"
HELP = "Carve retained-land parcels to quota, clear of excluded land, compact, wide enough and on a road."


def add_arguments(p) -> None:
    p.add_argument("--boundary", required=True, help="project boundary: FILE or FILE|layername=NAME")
    p.add_argument("--project-field", help="project id field of the boundary layer")
    p.add_argument("--project", help="the project to carve (a value of --project-field, else a feature id)")
    p.add_argument(
        "--quotas",
        required=True,
        help="quota table (CSV, XLSX or a layer): community + target_area (m²), or the quota trail "
        "(community, item, value)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="LAYER",
        help="land retained land may not use (repeat for several layers): FILE or FILE|layername=NAME",
    )
    p.add_argument("--prefer", help="existing holdings of the communities: FILE or FILE|layername=NAME")
    p.add_argument("--prefer-field", help="community field of --prefer")
    p.add_argument("--roads", help="roads (lines or polygons); every parcel must touch one")
    p.add_argument("--road-width-field", help="width field of road lines (default: 宽度, width, road_width)")
    p.add_argument("--min-width", type=float, default=20.0, help="minimum parcel width in m (default 20)")
    p.add_argument("--tolerance", type=float, default=0.01, help="allowed area error in m² (default 0.01)")
    p.add_argument("--encoding", help="attribute encoding of shapefiles without .cpg (default: detect)")
    p.add_argument("--out", required=True, help="output GeoPackage (layers parcels, land)")


def run(args) -> int:
    fb = PrintFeedback(getattr(args, "quiet", False))
    boundary = read_layer(args.boundary, encoding=args.encoding)
    quotas = read_table(args.quotas, encoding=args.encoding)
    exclude = [read_layer(e, encoding=args.encoding) for e in args.exclude]
    prefer = read_layer(args.prefer, encoding=args.encoding) if args.prefer else None
    roads = read_layer(args.roads, encoding=args.encoding) if args.roads else None
    result = carve_retained(
        boundary,
        quotas,
        exclude=exclude,
        prefer=prefer,
        prefer_field=args.prefer_field,
        roads=roads,
        min_width=args.min_width,
        tolerance=args.tolerance,
        project_field=args.project_field,
        project=args.project,
        road_width_field=args.road_width_field,
        feedback=fb,
    )
    write_layers(args.out, result.layers())
    print_summary(result)
    print(f"written: {args.out}")
    return 0


def _num(v, fmt="{:.2f}") -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.format(v)


def print_summary(result) -> None:
    """One line per parcel, then the notes that explain split quotas."""
    p = result.parcels
    rows = [
        (
            r.project,
            r.community,
            f"{r.part}/{r.parts}",
            fmt_area(r.target_area),
            fmt_area(r.area),
            f"{r.deviation:+.4f}",
            _num(r.compactness, "{:.3f}"),
            _num(r.min_width),
            _num(r.frontage),
            _num(r.distance_to_holdings),
        )
        for r in p.itertuples(index=False)
    ]
    print_table(
        rows,
        [
            "project",
            "community",
            "part",
            "target m²",
            "area m²",
            "deviation",
            "compact",
            "width m",
            "frontage m",
            "to holdings m",
        ],
        align=["<", "<", ">", ">", ">", ">", ">", ">", ">", ">"],
    )
    for note in sorted({n for n in p.note if n}):
        print(f"note: {note}")
