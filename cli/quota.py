"""``landcoord quota``: retained-land quota with its trail (mirrors ``landcoord:retainedquota``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..allocation.i18n import tr
from ..allocation.io.files import read_layer
from ..allocation.quota import attach_community, retained_quota
from ..allocation.rules import load_rules, shipped_rule_sets
from . import _decision
from ._common import PrintFeedback, print_table
from ._tables import csv_siblings, read_pieces, write_tables

NAME = "quota"
HELP = "Retained-land quota (留用地), planned floor area and land left to the government, with the trail."

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".csv", ".gpkg")}


def add_arguments(p) -> None:
    p.add_argument("--pieces", help="parcel pieces of `landcoord affected` (FILE or FILE|layername=pieces)")
    p.add_argument(
        "--rules",
        default="shenzhen_benefit_coordination",
        help="rule set: a .toml file or a shipped name "
        "(default: shenzhen_benefit_coordination; see --list-rules)",
    )
    p.add_argument("--status-map", help="status map: CSV/XLSX (status,category) or TOML ([status_map])")
    p.add_argument(
        "--community-field", help="community field of the pieces, or of --parcels joined by parcel id"
    )
    p.add_argument("--parcels", help="parcels to take --community-field from (FILE|layername=NAME)")
    p.add_argument("--parcel-field", help="parcel id field of --parcels (joined to the pieces' parcel_id)")
    p.add_argument("--buildings", help="building footprints (FILE|layername=NAME)")
    p.add_argument("--floor-area-field", help="floor area field of the buildings (建筑面积)")
    p.add_argument("--zoning", help="planned land use (FILE|layername=NAME), for geometric entry conditions")
    p.add_argument("--zoning-field", help="land-use class field of the zoning (用地性质)")
    p.add_argument("--official", action="store_true", help="fail unless every result is official")
    p.add_argument("--out", help="output: .csv (the trail) or .gpkg (layers quota_trail, quota_summary)")
    p.add_argument("--list-rules", action="store_true", help="list the shipped rule sets and exit")
    p.add_argument(
        "--check",
        action="store_true",
        help="validate --rules and list its values (verified, empty, example) without computing anything",
    )
    p.add_argument("--full", action="store_true", help="print every trail row with its rule and source")
    _decision.add_arguments(p)


def output_paths(args) -> list:
    """Outputs besides --out itself, for the command line's output guard."""
    return csv_siblings(args.out, ("quota_summary",))


def _num(v, unit="") -> str:
    if v is None or v != v:
        return tr("(empty)")
    if unit == "flag":
        return tr("yes") if v else tr("no")
    if unit in ("ratio", "FAR"):
        return f"{v:.4g}"
    return f"{v:,.2f}"


def _trail_headers() -> list:
    return [tr("quantity"), tr("value"), tr("unit"), tr("ok")]


def print_trail(result, full: bool = False) -> None:
    """The trail of each project/community block, then the verdicts."""
    t = result.trail
    for (p, c), block in t.groupby(["project", "community"], sort=False, dropna=False):
        label = f"{p}" + ("" if c is None or c != c else f" / {c}")
        print("\n" + tr("-- project {project}: rule set {rules}", project=label, rules=result.rules.id))
        rows = []
        for r in block.itertuples(index=False):
            if r.quantity == "official":
                continue
            shown = _num(r.value, r.unit)
            if r.unit == "classes" and str(r.note).startswith("classes: "):
                shown = str(r.note)[len("classes: ") :].split(". ")[0]
            row = [r.quantity, shown, r.unit, "✓" if r.verified else "✗"]
            if full:
                row += [r.rule, r.source]
            rows.append(row)
        headers = _trail_headers() + ([tr("rule"), tr("source")] if full else [])
        print_table(rows, headers, align=["<", ">", "<", "<"] + (["<", "<"] if full else []))
    verdicts: dict = {}
    for r in result.summary.itertuples(index=False):
        label = f"{r.project}" + ("" if r.community is None else f" / {r.community}")
        verdicts.setdefault((bool(r.official), r.blocking), []).append(label)
    for (official, blocking), labels in verdicts.items():
        blocks = ", ".join(labels)
        if official:
            print("\n" + tr("{blocks}: OFFICIAL", blocks=blocks))
        else:
            print("\n" + tr("{blocks}: NOT OFFICIAL, because:", blocks=blocks))
        for reason in blocking.split("; ") if not official else []:
            print(f"  - {reason}")


def print_rules(rs) -> None:
    """Every value and step of a rule set: what is verified, what is empty, where it is defined."""
    print(f"{rs.id}: {rs.title}" + ("  " + tr("[EXAMPLE: never official]") if rs.example else ""))
    print(tr("files: {files}", files=" <- ".join(str(f) for f in rs.files)))
    rows = []
    for key, v in rs.values.items():
        if v.tiers is not None:
            shown = (
                tr("(tiers, empty)")
                if v.empty
                else tr("tiers by {formulas}", formulas=", ".join(e.formula for e in v.tiers.by))
            )
        elif isinstance(v.value, list):
            shown = ", ".join(v.value)
        else:
            shown = _num(v.value, v.unit)
        state = (
            tr("EMPTY")
            if v.empty
            else (tr("example") if v.example else (tr("verified") if v.verified else tr("NOT verified")))
        )
        rows.append((f"values.{key}", shown, v.unit, state, v.origin))
    for key, m in rs.measures.items():
        what = f"{m.kind}: {'/'.join(m.categories)} on values.{m.zoning_classes}"
        rows.append(
            (
                f"measures.{key}",
                what,
                m.unit,
                tr("verified") if m.prov.verified else tr("NOT verified"),
                m.origin,
            )
        )
    for key, st in rs.steps.items():
        state = tr("verified") if st.prov.verified and not st.example else tr("NOT verified")
        rows.append((f"steps.{key}", st.expr.formula, st.unit, state, st.origin))
    print_table(rows, [tr("entry"), tr("value / formula"), tr("unit"), tr("state"), tr("defined at")])
    print(
        tr(
            "results: {results}; conditions: {conditions}",
            results=", ".join(rs.results),
            conditions=", ".join(rs.conditions) or tr("(none)"),
        )
    )


def run(args) -> int:
    fb = PrintFeedback(getattr(args, "quiet", False))
    if args.list_rules:
        for name, path in shipped_rule_sets().items():
            rs = load_rules(path)
            flag = tr("EXAMPLE") + " " if rs.example else ""
            print(f"{name:32s} {flag}{rs.title}\n{'':32s} {path}")
        return 0
    if args.check:
        print_rules(load_rules(args.rules))
        return 0
    if not args.pieces or not args.out:
        print(tr("landcoord quota: error: --pieces and --out are required (or use --list-rules)"))
        return 2
    planned = _plan_decision(args)
    pieces, cf = read_pieces(args, fb)
    result = retained_quota(
        pieces,
        args.rules,
        status_map=args.status_map,
        community_field=cf,
        buildings=read_layer(args.buildings) if args.buildings else None,
        floor_area_field=args.floor_area_field,
        zoning=read_layer(args.zoning) if args.zoning else None,
        zoning_field=args.zoning_field,
        official=args.official,
        feedback=fb,
    )
    decision = _record_decision(planned, args, result, cf) if planned else None
    paths = write_tables(args.out, result.layers())
    print_trail(result, full=args.full)
    for name, (quantities, bl) in result.missing.items():
        # at the end, where the officer looks, not among the trail's example-value lines
        print(
            "\n!! "
            + tr(
                "{layer} not given: not computed: {quantities}; results empty for: {blocks}",
                layer=name,
                quantities=", ".join(quantities),
                blocks=", ".join(bl) or tr("(none)"),
            )
        )
    if decision is not None:
        print("\n" + _decision.message(decision))
    print("\n" + tr("written: {path}", path=", ".join(map(str, paths))))
    return 0


def _plan_decision(args):
    """The decision this run records with --ledger (None without): a quota adjustment under a
    shipped rule set, a rule override under an officer's own rule file; checked before any work."""
    from ..allocation.decisions import quota_decision_kind

    rs = load_rules(args.rules)
    return _decision.prepare(args, quota_decision_kind(rs), f"retained-land quota, rule set {rs.id}")


def _record_decision(planned, args, result, community_field):
    """Record the run's decision (rule set and its fingerprint, status map, fields; the retained
    area, planned floor area and land to the government of each block) and mark the result's tables
    with it (not approved: nothing official)."""
    from ..allocation.decisions import mark_quota, one_project, quota_figures, quota_settings

    settings = quota_settings(
        result.rules,
        status_map=args.status_map,
        community_field=community_field,
        floor_area_field=args.floor_area_field,
        zoning_field=args.zoning_field,
    )
    decision = planned.record(
        settings=settings,
        result=quota_figures(result.summary),
        project=one_project(result.summary),
        official=args.official,  # refused unless approved (with --approved-by, or before)
    )
    mark_quota(result, decision)
    return decision


def demo_step(
    project_gpkg,
    pieces,
    out_dir,
    *,
    feedback=None,
    rules: str = "shenzhen_example",
    scenarios=None,
    parcels_layer: str = "parcels",
    parcel_field: str = "宗地号",
    community_field: str = "社区",
    buildings_layer: str = "buildings",
    floor_area_field: str = "建筑面积",
    building_status_field: str = "合法状态",
    zoning_layer: str = "zoning",
    zoning_field: str = "用地性质",
):
    """The quota and scenarios step of ``landcoord demo`` on the sample's layers and fields.

    1. The shipped Shenzhen rules (unverified values EMPTY): no retained-land figure, and why.
    2. The EXAMPLE rule set (made-up values, never official): the trail of one community block, a
       summary per project and community, written to ``out_dir/quota.gpkg``.
    3. The EXAMPLE scenarios: each party's land, floor area, money and swap floor area per scenario,
       reconciled, written to ``out_dir/benefits.gpkg`` with the chart ``out_dir/benefits.png``.

    Returns ``(QuotaResult, ScenarioResult)``.
    """
    from ..allocation.feedback import Feedback
    from ..allocation.rules import RULES_DIR
    from ..allocation.scenarios import benefit_scenarios
    from ..report.charts import scenario_chart
    from .benefits import print_parties

    class _Once(Feedback):
        """Collects warnings (the same ones come from both rule sets) to print each once."""

        def __init__(self):
            self.seen: list = []

        def warning(self, message):
            if message not in self.seen:
                self.seen.append(message)

    fb = feedback or _Once()
    out_dir = Path(out_dir)
    src = f"{project_gpkg}|layername="
    parcels = read_layer(src + parcels_layer)
    buildings = read_layer(src + buildings_layer)
    zoning = read_layer(src + zoning_layer)
    pieces = attach_community(pieces, parcels, parcel_field=parcel_field, community_field=community_field)
    kw = dict(community_field="community", buildings=buildings, floor_area_field=floor_area_field,
              zoning=zoning, zoning_field=zoning_field, feedback=fb)  # fmt: skip

    shipped = retained_quota(pieces, "shenzhen_benefit_coordination", **kw)
    empty = shipped.summary.community.notna() & shipped.summary.retained_area.isna()
    checked = ", ".join(
        tr("{project} largest block {area:,.0f} m²", project=p, area=v)
        for p, v in shipped.trail[shipped.trail.quantity == "uncompensated_block"]
        .groupby("project", sort=False)
        .value.first()
        .items()
    )
    print(
        tr(
            "shenzhen_benefit_coordination (as shipped): retained land EMPTY for {empty} of {blocks} "
            "community blocks; entry condition checked on the map: {checked}",
            empty=int(empty.sum()),
            blocks=int(shipped.summary.community.notna().sum()),
            checked=checked,
        )
    )
    reasons = [r for r in shipped.summary.blocking.iloc[int(np.argmax(empty.to_numpy()))].split("; ") if r]
    print(
        tr(
            "  not official, because: {reasons}",
            reasons="; ".join(reasons[:6]) + (" ..." if len(reasons) > 6 else ""),
        )
    )

    result = retained_quota(pieces, rules, **kw)
    paths = write_tables(out_dir / "quota.gpkg", result.layers())
    first = result.summary[result.summary.community.notna()].iloc[0]
    one = result.trail[(result.trail.project == first.project) & (result.trail.community == first.community)]
    print(
        "\n"
        + tr(
            "{rules}: the trail of project {project} / {community}",
            rules=rules,
            project=first.project,
            community=first.community,
        )
    )
    print_table(
        [
            (r.quantity, _num(r.value, r.unit) if r.unit != "classes" else tr("(see note)"), r.unit,
             "✓" if r.verified else "✗")
            for r in one.itertuples(index=False)
            if r.quantity != "official" and not r.quantity.startswith("result.")
        ],
        _trail_headers(),
        align=["<", ">", "<", "<"],
    )  # fmt: skip
    print()
    print_table(
        [
            (r.project, r.community or tr("(no community)"), _num(r.land_area), _num(r.retained_area),
             _num(r.planned_floor_area), _num(r.government_land), tr("yes") if r.official else tr("NO"))
            for r in result.summary.itertuples(index=False)
        ],
        [tr("project"), tr("community"), tr("land m²"), tr("retained m²"), tr("planned floor m²"),
         tr("to gov. m²"), tr("official")],
        align=["<", "<", ">", ">", ">", ">", "<"],
    )  # fmt: skip
    print(
        tr("NOT OFFICIAL: example values (示例), made up for the demonstration")
        if not result.official
        else ""
    )

    path = scenarios or RULES_DIR / "scenarios" / "example_sample_scenarios.toml"
    bres = benefit_scenarios(pieces, result.trail, path, community_field="community", buildings=buildings,
                             floor_area_field=floor_area_field, building_status_field=building_status_field,
                             feedback=fb)  # fmt: skip
    paths += write_tables(out_dir / "benefits.gpkg", bres.layers())
    paths.append(scenario_chart(bres, out_dir / "benefits.png", feedback=fb))
    print_parties(bres)
    for message in getattr(fb, "seen", []):
        print(tr("warning: {message}", message=message))
    print("\n" + tr("written: {path}", path=", ".join(map(str, paths))))
    return result, bres
