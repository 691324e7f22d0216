"""``landcoord conflicts``: one-map conflicts of a proposal, written to a GeoPackage."""

from __future__ import annotations

from ..allocation.conflicts import plan_conflicts
from ..allocation.i18n import tr, trn
from ..allocation.io.files import read_layer, read_layer_near, write_layers
from ._args import positive_float
from ._common import MEASURE_CRS_HELP, PrintFeedback, fmt_area, print_table

NAME = "conflicts"
HELP = "One-map conflict check: where a proposal crosses the plan's control lines, and by which rule."

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".gpkg",)}


def add_arguments(p) -> None:
    p.add_argument("--input", required=True, help="proposal polygons: FILE or FILE|layername=NAME")
    p.add_argument("--controls", required=True, help="control zones: FILE or FILE|layername=NAME")
    p.add_argument("--kind-field", required=True, help="field of the controls with each zone's kind")
    p.add_argument("--input-id-field", help="id field of the proposal (default: feature id)")
    p.add_argument(
        "--registry",
        help="your own control-line registry (TOML), merged over the shipped one",
    )
    p.add_argument(
        "--tolerance",
        type=positive_float,
        default=1.0,
        help="overlaps smaller than this (m², per input and kind) are reported as 'sliver' (default 1.0)",
    )
    p.add_argument("--encoding", help="attribute encoding of shapefiles without .cpg (default: detect)")
    p.add_argument("--measure-crs", metavar="CRS", help=MEASURE_CRS_HELP)
    p.add_argument("--out", required=True, help="output GeoPackage (layers conflicts, summary)")


def run(args) -> int:
    fb = PrintFeedback(getattr(args, "quiet", False))
    proposal = read_layer(args.input, encoding=args.encoding)
    # only the zones near the proposal are read whole; the kinds of all the others are checked too
    controls, far = read_layer_near(
        args.controls, proposal, other_columns=[args.kind_field], encoding=args.encoding
    )
    result = plan_conflicts(
        proposal,
        controls,
        kind_field=args.kind_field,
        input_id_field=args.input_id_field,
        registry=args.registry,
        tolerance=args.tolerance,
        feedback=fb,
        far_zones=far,
        measure_crs=args.measure_crs,
    )
    write_layers(args.out, result.layers())
    print_verdicts(result)
    print(tr("written: {path}", path=args.out))
    return 0


def print_verdicts(result, top: int = 50) -> None:
    """The per-input verdict table, blocked inputs first, and the counts of each verdict."""
    s = result.summary
    rank = s["verdict"].map({"blocked": 0, "review": 1, "clear": 2})
    shown = s.assign(_rank=rank).sort_values(
        ["_rank", "blocking_area"], ascending=[True, False], kind="stable"
    )
    rows = [
        (
            r.input_id,
            r.verdict,
            fmt_area(r.blocking_area),
            fmt_area(r.review_area),
            fmt_area(r.advisory_area),
            f"{(r.blocking_area / r.input_area if r.input_area > 0 else 0):.1%}",
            r.kinds or "-",
        )
        for r in shown.head(top).itertuples(index=False)
    ]
    print_table(
        rows,
        [
            tr("input"),
            tr("verdict"),
            tr("blocking m²"),
            tr("review m²"),
            tr("advisory m²"),
            tr("blocked share"),
            tr("kinds"),
        ],
        align=["<", "<", ">", ">", ">", ">", "<"],
    )
    if len(s) > top:
        print(tr("... and {more} more inputs (all in the summary layer)", more=len(s) - top))
    counts = s["verdict"].value_counts()
    slivers = int((result.conflicts["severity"] == "sliver").sum())
    figures = {
        "blocked": int(counts.get("blocked", 0)),
        "review": int(counts.get("review", 0)),
        "clear": int(counts.get("clear", 0)),
        "rows": trn("{n} conflict row", "{n} conflict rows", len(result.conflicts)),
        "crs": result.measure.label,
    }
    if slivers:
        print(
            trn(
                "{n} input: {blocked} blocked, {review} review, {clear} clear; "
                "{rows}, of which {slivers}; areas in m², {crs}",
                "{n} inputs: {blocked} blocked, {review} review, {clear} clear; "
                "{rows}, of which {slivers}; areas in m², {crs}",
                len(s),
                **figures,
                slivers=trn("{n} sliver", "{n} slivers", slivers),
            )
        )
    else:
        print(
            trn(
                "{n} input: {blocked} blocked, {review} review, {clear} clear; {rows}; areas in m², {crs}",
                "{n} inputs: {blocked} blocked, {review} review, {clear} clear; {rows}; areas in m², {crs}",
                len(s),
                **figures,
            )
        )


def demo_step(
    project_gpkg,
    out_dir,
    *,
    feedback=None,
    measure_crs=None,
    proposal=None,
    proposal_layer: str = "projects",
    id_field: str = "项目编号",
    controls_layer: str = "controls",
    kind_field: str = "类型",
    filename: str = "conflicts.gpkg",
):
    """The one-map conflict step of ``landcoord demo`` on the sample's layers and fields.

    Checks ``proposal`` (a GeoDataFrame, e.g. carved retained land, with ``id_field``) or else the
    project boundaries of ``project_gpkg`` against its control lines, writes ``out_dir/filename``
    (layers ``conflicts`` and ``summary``) and prints the verdict table
    and one line per conflict (slivers summed in one line). Returns the
    :class:`~landcoord.allocation.conflicts.ConflictResult`.
    """
    from pathlib import Path

    out_dir = Path(out_dir)
    if proposal is None:
        proposal = read_layer(f"{project_gpkg}|layername={proposal_layer}")
    controls, far = read_layer_near(
        f"{project_gpkg}|layername={controls_layer}", proposal, other_columns=[kind_field]
    )
    result = plan_conflicts(
        proposal,
        controls,
        kind_field=kind_field,
        input_id_field=id_field,
        feedback=feedback,
        far_zones=far,
        measure_crs=measure_crs,
    )
    path = write_layers(out_dir / filename, result.layers())
    print_verdicts(result)
    c = result.conflicts
    slivers = c[c["severity"] == "sliver"]
    for r in c[c["severity"] != "sliver"].itertuples(index=False):
        print(
            f"  {r.input_id}  {r.kind}  {r.severity}  {fmt_area(r.conflict_area)} m² ({r.input_share:.1%})"
            f"  {r.rule}" + (f"  调整途径: {r.adjustment}" if r.adjustment else "") + f"  [{r.source}]"
        )
    if len(slivers):
        listed = ", ".join(f"{i} {k}" for i, k in zip(slivers["input_id"], slivers["kind"]))
        print(
            "  "
            + trn(
                "{n} sliver under the tolerance, {area:.3g} m² ({slivers}): listed in the "
                "conflicts layer, no verdict changed",
                "{n} slivers under the tolerance, {area:.3g} m² in all ({slivers}): listed in the "
                "conflicts layer, no verdict changed",
                len(slivers),
                area=slivers["conflict_area"].sum(),
                slivers=listed,
            )
        )
    print(tr("written: {path}", path=path))
    return result
