"""``landcoord carve``: carve retained-land parcels to quota, written to a GeoPackage."""

from __future__ import annotations

import math
from pathlib import Path

from ..allocation.carve import carve_retained, check_carving
from ..allocation.controls import exclusion_zones
from ..allocation.decisions import carving_figures, mark_tables, one_project
from ..allocation.decisions import carving_settings as decision_settings
from ..allocation.errors import FieldError, InputError
from ..allocation.i18n import tr
from ..allocation.io.files import read_layer, read_table, write_layers
from . import _decision
from ._args import positive_float
from ._common import MEASURE_CRS_HELP, PrintFeedback, fmt_area, print_table

NAME = "carve"
HELP = "Carve retained-land parcels to quota, clear of excluded land, compact, wide enough and on a road."

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".gpkg",)}


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
        help="land retained land may not use (repeat for several layers): FILE or FILE|layername=NAME; "
        "add |FIELD=V1,V2 to take only the features whose FIELD is one of the values, e.g. "
        "'plan.gpkg|layername=zoning|用地性质=S1,GIC'",
    )
    p.add_argument(
        "--within",
        action="append",
        default=[],
        metavar="LAYER",
        help="land retained land must lie inside, e.g. the urban development boundary (same notation)",
    )
    p.add_argument(
        "--review",
        action="append",
        default=[],
        metavar="LAYER",
        help="zones for review by hand (e.g. the purple line), same notation: kept clear of when every "
        "quota still fits that way, else carved over and the log says where (--controls adds the "
        "registry's review kinds)",
    )
    p.add_argument(
        "--controls",
        metavar="LAYER",
        help="control zones (FILE or FILE|layername=NAME): the kinds the control-line registry makes "
        "blocking are kept clear of, and carved land lies inside the 'must lie inside' kinds (the "
        "urban development boundary), and its review kinds (the purple line) are kept clear of where "
        "the quotas still fit; added to --exclude, --within and --review",
    )
    p.add_argument("--control-kind-field", help="field of --controls with each zone's kind")
    p.add_argument(
        "--registry",
        help="your own control-line registry (TOML), merged over the shipped one (with --controls)",
    )
    p.add_argument("--prefer", help="existing holdings of the communities: FILE or FILE|layername=NAME")
    p.add_argument("--prefer-field", help="community field of --prefer")
    p.add_argument("--roads", help="roads (lines or polygons); every parcel must touch one")
    p.add_argument("--road-width-field", help="width field of road lines (default: 宽度, width, road_width)")
    p.add_argument(
        "--min-width", type=positive_float, default=20.0, help="minimum parcel width in m (default 20)"
    )
    p.add_argument(
        "--tolerance", type=positive_float, default=0.01, help="allowed area error in m² (default 0.01)"
    )
    p.add_argument("--encoding", help="attribute encoding of shapefiles without .cpg (default: detect)")
    p.add_argument("--measure-crs", metavar="CRS", help=MEASURE_CRS_HELP)
    p.add_argument("--out", required=True, help="output GeoPackage (layers parcels, land)")
    _decision.add_arguments(p)


def run(args) -> int:
    fb = PrintFeedback(getattr(args, "quiet", False))
    subject = "retained-land carving" + (f" of project {args.project}" if args.project else "")
    planned = _decision.prepare(args, "carving_choice", subject)
    boundary = read_layer(args.boundary, encoding=args.encoding)
    quotas = read_table(args.quotas, encoding=args.encoding)
    exclude = [read_filtered(e, encoding=args.encoding) for e in args.exclude]
    within = [read_filtered(w, encoding=args.encoding) for w in args.within] or None
    review = [read_filtered(r, encoding=args.encoding) for r in args.review]
    if args.controls:
        # the registry decides which control zones carved land avoids (as the dock and Processing do)
        if not args.control_kind_field:
            raise InputError(tr("--controls needs --control-kind-field (the field with each zone's kind)."))
        zones = exclusion_zones(args.registry)
        controls = read_layer(args.controls, encoding=args.encoding)
        avoid, inside = zones.frames(controls, args.control_kind_field)
        exclude.append(avoid)
        if inside is not None:
            within = [*(within or []), inside]
        # the review kinds (紫线): kept clear of when the quotas still fit that way
        review.extend(r for r in [zones.review_frame(controls, args.control_kind_field)] if r is not None)
        fb.info(zones.statement())
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
        within=within,
        feedback=fb,
        measure_crs=args.measure_crs,
        review=review,
    )
    layers, decision = result.layers(), None
    if planned is not None:
        decision = planned.record(
            settings=carving_settings(args),
            result=carving_figures(result.parcels),
            project=one_project(result.parcels),
        )
        layers = mark_tables(layers, decision)
    write_layers(args.out, layers)
    print_summary(result)
    print(check_carving(result).message())
    if decision is not None:
        print(_decision.message(decision))
    print(tr("written: {path}", path=args.out))
    return 0


def carving_settings(args) -> dict:
    """The carving choices of a run as its decision records them
    (:func:`landcoord.allocation.decisions.carving_settings`)."""
    return decision_settings(
        min_width=args.min_width,
        tolerance=args.tolerance,
        quotas=args.quotas,
        registry=args.registry,
        measure_crs=args.measure_crs,
        project=args.project,
        project_field=args.project_field,
        exclude=list(args.exclude),
        within=list(args.within),
        controls=args.controls,
        control_kind_field=args.control_kind_field,
        avoided_kinds=sorted(exclusion_zones(args.registry).avoid_values) if args.controls else None,
        prefer=args.prefer,
        prefer_field=args.prefer_field,
        roads=args.roads,
        road_width_field=args.road_width_field,
    )


def read_filtered(text: str, encoding=None):
    """A layer given as ``FILE[|layername=NAME][|FIELD=V1,V2...]``: the features whose FIELD is one of
    the values (every filter must hold).

    Examples
    --------
    >>> split_filters("z.gpkg|layername=zoning|用地性质=S1,GIC")
    ('z.gpkg|layername=zoning', [('用地性质', ['S1', 'GIC'])])
    """
    source, filters = split_filters(text)
    layer = read_layer(source, encoding=encoding)
    name = layer.attrs.get("name", "layer")
    for field, values in filters:
        fields = [c for c in layer.columns if c != layer.geometry.name]
        if field not in fields:
            raise FieldError(name, field, fields)
        layer = layer[layer[field].map(lambda v, values=values: v is not None and str(v).strip() in values)]
        layer.attrs["name"] = f"{name} ({field} in {', '.join(values)})"
    return layer


def split_filters(text: str):
    """``FILE|layername=NAME|FIELD=V1,V2`` -> (``FILE|layername=NAME``, [(FIELD, [V1, V2])])."""
    head, *options = str(text).split("|")
    keep, filters = [head], []
    for opt in options:
        key, _, value = opt.partition("=")
        if key.strip().lower() == "layername" or not value:
            keep.append(opt)
        else:
            filters.append((key.strip(), [v.strip() for v in value.split(",") if v.strip()]))
    return "|".join(keep), filters


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
            tr("project"),
            tr("community"),
            tr("part"),
            tr("target m²"),
            tr("area m²"),
            tr("deviation"),
            tr("compact"),
            tr("width m"),
            tr("frontage m"),
            tr("to holdings m"),
        ],
        align=["<", "<", ">", ">", ">", ">", ">", ">", ">", ">"],
    )
    for note in sorted({n for n in p.note if n}):
        print(tr("note: {note}", note=note))
    # how the areas were measured, as every step's output says it (the ``measured`` column)
    print(tr("areas in m², {measured}", measured=result.measure.statement()))


#: Every name and alias of the control-line kinds retained land may not overlap, as the shipped
#: registry decides (:func:`~landcoord.allocation.controls.exclusion_zones`: blocking kinds whose rule
#: is "must not overlap"). The purple line (紫线, severity review) is not one: the conflicts step
#: reports carved land on it for review by hand, as in the dock.
SAMPLE_BLOCKING_KINDS = exclusion_zones().avoid_values


def demo_step(
    project_gpkg,
    quotas,
    out_dir,
    *,
    feedback=None,
    measure_crs=None,
    min_width: float = 20.0,
    project_field: str = "项目编号",
    controls_layer: str = "controls",
    control_kind_field: str = "类型",
    registry=None,
    zoning_layer: str = "zoning",
    zoning_field: str = "用地性质",
    excluded_uses=("S1", "GIC"),
    holdings_layer: str = "holdings",
    holdings_field: str = "社区",
    roads_layer: str = "roads",
):
    """The retained-land carving step of ``landcoord demo`` on the sample's layers and fields.

    ``quotas`` is the quota table (e.g. the summary or trail of the quota step, with a project
    column). EXCLUDE = the control zones the registry makes blocking (``registry``: an officer's
    registry file, else the shipped one; see :func:`~landcoord.allocation.controls.exclusion_zones`)
    and the S1 / GIC land of the zoning; WITHIN = the zones of its "must lie inside" kinds (the urban
    development boundary); PREFER = the holdings; ROADS = the road lines (with 宽度). Writes
    ``out_dir/retained.gpkg`` (layers ``parcels`` and ``land``), prints one line per parcel and a
    line checking the guarantees with plain shapely, and returns the :class:`CarveResult`.
    """
    fb = feedback or PrintFeedback(quiet=True)
    src = f"{project_gpkg}|layername="
    zones = exclusion_zones(registry)
    controls = read_layer(f"{src}{controls_layer}")
    avoid, within = zones.frames(controls, control_kind_field)
    review = zones.review_frame(controls, control_kind_field)  # kept clear of when the quotas fit
    exclude = [avoid, read_filtered(f"{src}{zoning_layer}|{zoning_field}={','.join(excluded_uses)}")]
    print(zones.statement())
    boundary = read_layer(src + "projects")
    result = carve_retained(
        boundary,
        quotas,
        exclude=exclude,
        within=within,
        prefer=read_layer(src + holdings_layer),
        prefer_field=holdings_field,
        roads=read_layer(src + roads_layer),
        min_width=min_width,
        project_field=project_field,
        feedback=fb,
        measure_crs=measure_crs,
        review=[review] if review is not None else (),
    )
    out = Path(out_dir) / "retained.gpkg"
    write_layers(out, result.layers())
    print_summary(result)
    print(check_carving(result).message())
    print(tr("written: {path}", path=out))
    return result
