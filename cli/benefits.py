"""``landcoord benefits``: benefit-sharing scenarios by party (mirrors ``landcoord:benefitscenarios``)."""

from __future__ import annotations

from pathlib import Path

from ..allocation.finance import MAX_YEARS
from ..allocation.i18n import tr
from ..allocation.io.files import read_layer, read_table
from ..allocation.scenarios import benefit_scenarios
from ..report.charts import finance_chart, scenario_chart
from ._args import whole_number_between
from ._common import PrintFeedback, print_table
from ._tables import csv_siblings, read_pieces, write_tables

NAME = "benefits"
HELP = "Benefit-sharing scenarios: each party's land, floor area, money and swap floor area, side by side."

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".csv", ".gpkg"), "chart": (".png",)}


def add_arguments(p) -> None:
    p.add_argument("--pieces", required=True, help="parcel pieces (FILE or FILE|layername=pieces)")
    p.add_argument(
        "--quota", required=True, help="quota trail of `landcoord quota` (.csv or FILE|layername=quota_trail)"
    )
    p.add_argument("--scenarios", required=True, help="scenarios file (.toml)")
    p.add_argument("--community-field", help="community field (as given to `landcoord quota`)")
    p.add_argument("--parcels", help="parcels to take --community-field from (FILE|layername=NAME)")
    p.add_argument("--parcel-field", help="parcel id field of --parcels")
    p.add_argument("--buildings", help="building footprints (FILE|layername=NAME)")
    p.add_argument("--floor-area-field", help="floor area field of the buildings (建筑面积)")
    p.add_argument("--building-status-field", help="legal status field of the buildings (合法状态)")
    p.add_argument("--official", action="store_true", help="fail unless every figure is verified")
    p.add_argument(
        "--years",
        type=whole_number_between(0, MAX_YEARS),
        help="years of income the finance tables count (default: each scenario's years = N)",
    )
    p.add_argument(
        "--out",
        required=True,
        help="output: .gpkg (scenario_parties, scenario_lines, scenario_reconciliation; with "
        "[scenario.finance]: finance_lines, finance_cashflow, finance_floor, finance_feasibility, "
        "finance_sensitivity, finance_income, scenario_terms, finance_reconciliation) or .csv",
    )
    p.add_argument(
        "--chart",
        help="PNG chart comparing the parties across the scenarios (with [scenario.finance]: also "
        "CHART_finance.png: net now, NPV, the entity's margin, floor area by use)",
    )


def _quota_source(text: str):
    if "|" not in text and text.lower().endswith(".gpkg"):
        return f"{text}|layername=quota_trail"
    return text


def print_parties(result) -> None:
    """Per scenario, the parties summed over projects (rights-holders as one line)."""
    df = result.parties
    holders = df[df.party_type == "holder"].groupby("scenario").party.nunique()
    df = df.assign(
        who=[
            tr("权利人 rights-holders ({n})", n=holders[s]) if t == "holder" else str(p)
            for s, t, p in zip(df.scenario, df.party_type, df.party)
        ]
    )
    names = {s.id: s.name for s in result.scenarios.scenarios}
    for sid, g in df.groupby("scenario", sort=False):
        print("\n" + tr("-- scenario {scenario}: {name}", scenario=sid, name=names.get(sid, "")))
        agg = g.groupby(["party_type", "who"], sort=False)[
            ["land_area", "floor_area", "money", "swap_floor_area"]
        ].sum()
        print_table(
            [
                (
                    who,
                    f"{r.land_area:,.2f}",
                    f"{r.floor_area:,.2f}",
                    f"{r.money / 1e4:,.2f}",
                    f"{r.swap_floor_area:,.2f}",
                )
                for (_, who), r in agg.iterrows()
            ],
            [tr("party"), tr("land m²"), tr("floor m²"), tr("money 万元"), tr("swap m²")],
            align=["<", ">", ">", ">", ">"],
        )
    for r in result.reconciliation.itertuples(index=False):
        fields = dict(
            scenario=r.scenario,
            project=r.project,
            land=r.land_received,
            project_land=r.project_land,
            floor=r.floor_received,
            floor_available=r.floor_available,
            money=r.money_received,
            lines=r.compensation_lines,
        )
        if r.balanced:
            line = tr(
                "scenario {scenario}, project {project}: land {land:,.2f} = {project_land:,.2f} m²; floor "
                "{floor:,.2f} = {floor_available:,.2f} m²; money {money:,.2f} = {lines:,.2f} yuan of lines "
                "(balanced)",
                **fields,
            )
        else:
            line = tr(
                "scenario {scenario}, project {project}: land {land:,.2f} = {project_land:,.2f} m²; floor "
                "{floor:,.2f} = {floor_available:,.2f} m²; money {money:,.2f} = {lines:,.2f} yuan of lines "
                "(NOT BALANCED)",
                **fields,
            )
        print(line)
    if not result.official:
        if result.scenarios.example:
            print(tr("NOT OFFICIAL: example rates (示例)"))
        else:
            print(tr("NOT OFFICIAL: some figures are not verified"))


def output_paths(args) -> list:
    """Outputs besides --out itself, for the command line's output guard."""
    paths = csv_siblings(args.out, ("scenario_lines", "scenario_reconciliation"))
    if args.chart:  # with [scenario.finance], the finance chart beside it
        chart = Path(args.chart)
        paths.append(("--chart (finance)", chart.with_name(chart.stem + "_finance.png")))
    return paths


def _pct(v) -> str:
    return tr("(none)") if v is None or v != v else f"{v:.1%}"


def _unverified(ok) -> str:
    return "" if bool(ok) else tr(" (not verified)")


def _price(v) -> str:
    return tr("(none)") if v is None or v != v else f"{v:,.0f}"


def _wan(v) -> str:
    return tr("(unknown)") if v is None or v != v else f"{v / 1e4:,.2f}"


def print_finance(result) -> None:
    """Who pays, the feasibility verdict, what each party gets now and over time, facilities and jobs."""
    fin = result.finance
    if fin is None:
        return
    names = {s.id: s.name for s in result.scenarios.scenarios}
    print("\n" + tr("-- feasibility for the implementing entity (实施主体)"))
    print_table(
        [
            (r.scenario, r.project, r.entity, _wan(r.revenue), _wan(r.cost), _wan(r.profit), _pct(r.margin),
             _pct(r.required_margin), _price(r.break_even_price), r.verdict,
             tr("yes") if r.verified else tr("NO"))
            for r in fin.feasibility.itertuples(index=False)
        ],
        [tr("scenario"), tr("project"), tr("entity"), tr("sales 万元"), tr("cost 万元"), tr("profit 万元"),
         tr("margin"), tr("required"), tr("break-even yuan/m²"), tr("verdict"), tr("verified")],
        align=["<", "<", "<", ">", ">", ">", ">", ">", ">", "<", "<"],
    )  # fmt: skip
    cf = fin.cashflow[fin.cashflow.party_type != "market"]
    for sid, g in cf.groupby("scenario", sort=False):
        holders = g[g.party_type == "holder"].party.nunique()
        g = g.assign(
            who=[
                tr("权利人 rights-holders ({n})", n=holders) if t == "holder" else str(p)
                for t, p in zip(g.party_type, g.party)
            ]  # fmt: skip
        )
        years = int(g.years.max()) if len(g) else 0
        print("\n" + tr("-- scenario {scenario}: {name}: now and over {years} years", scenario=sid,
                        name=names.get(sid, ""), years=years))  # fmt: skip
        agg = g.groupby(["party_type", "who"], sort=False).agg(
            inflow=("inflow", "sum"), outflow=("outflow", "sum"), net_now=("net_now", "sum"),
            annual_income=("annual_income", "sum"), npv=("npv", "sum"), verified=("verified", "all"),
        )  # fmt: skip
        print_table(
            [
                (
                    who,
                    _wan(r.inflow),
                    _wan(r.outflow),
                    _wan(r.net_now),
                    _wan(r.annual_income),
                    _wan(r.npv),
                    tr("yes") if r.verified else tr("NO"),
                )
                for (_, who), r in agg.iterrows()
            ],  # fmt: skip
            [
                tr("party"),
                tr("in 万元"),
                tr("out 万元"),
                tr("net now 万元"),
                tr("rent a year 万元"),
                tr("NPV 万元"),
                tr("verified"),
            ],
            align=["<", ">", ">", ">", ">", ">", "<"],
        )
        terms = fin.terms[fin.terms.scenario == sid]
        for t in terms.itertuples(index=False):
            if t.term == "facility":
                print(
                    tr(
                        "  facility in {project}: {type}, {area:,.0f} m², built by {builder}, "
                        "owned by {owner}",
                        project=t.project,
                        type=t.type,
                        area=t.floor_area,
                        builder=t.builder,
                        owner=t.owner,
                    )
                    + _unverified(t.verified)
                )
            else:
                print(
                    tr(
                        "  jobs in {project}: {count:,.0f} for {years:,.0f} years by {employer} ({note})",
                        project=t.project,
                        count=t.count,
                        years=t.years,
                        employer=t.builder,
                        note=t.type,
                    )
                    + _unverified(t.verified)
                )
    for r in fin.feasibility.itertuples(index=False):
        fields = dict(scenario=r.scenario, project=r.project, entity=r.entity, margin=_pct(r.margin),
                      required=_pct(r.required_margin), price=r.break_even_price)  # fmt: skip
        if r.verdict == "feasible":
            print(
                tr(
                    "scenario {scenario}, project {project}: FEASIBLE for {entity}: margin {margin} "
                    "(required {required}), break-even sale price {price:,.0f} yuan/m²",
                    **fields,
                )
                + _unverified(r.verified)
            )
        elif r.verdict == "not feasible":
            print(
                tr(
                    "scenario {scenario}, project {project}: NOT FEASIBLE for {entity}: margin {margin} "
                    "(required {required}), break-even sale price {price:,.0f} yuan/m²",
                    **fields,
                )
                + _unverified(r.verified)
            )
        else:
            print(
                tr(
                    "scenario {scenario}, project {project}: feasibility UNKNOWN for {entity}: the land "
                    "premium needs values that are empty (premium rates, discounts or the benchmark price)",
                    **fields,
                )
                + _unverified(r.verified)
            )
    bad = fin.reconciliation[~fin.reconciliation.balanced]
    if len(bad):  # pragma: no cover - the core raises first
        print(
            tr("NOT BALANCED: {rows}", rows=", ".join(f"{a}/{b}" for a, b in zip(bad.scenario, bad.project)))
        )
    if not fin.official:
        print(tr("NOT OFFICIAL: the finance figures rest on unverified or example values"))


def run(args) -> int:
    fb = PrintFeedback(getattr(args, "quiet", False))
    pieces, cf = read_pieces(args, fb)
    quota = read_table(_quota_source(args.quota))
    result = benefit_scenarios(
        pieces,
        quota,
        args.scenarios,
        community_field=cf,
        buildings=read_layer(args.buildings) if args.buildings else None,
        floor_area_field=args.floor_area_field,
        building_status_field=args.building_status_field,
        official=args.official,
        years=args.years,
        feedback=fb,
    )
    paths = write_tables(args.out, result.layers())
    if args.chart:
        paths.append(scenario_chart(result, args.chart, feedback=fb))
        if result.finance is not None:
            chart = Path(args.chart)
            paths.append(finance_chart(result, chart.with_name(chart.stem + "_finance.png"), feedback=fb))
    print_parties(result)
    print_finance(result)
    print("\n" + tr("written: {path}", path=", ".join(map(str, paths))))
    return 0


def demo_step(
    project_gpkg,
    pieces,
    quota_trail,
    out_dir,
    *,
    scenarios=None,
    parcels_layer: str = "parcels",
    parcel_field: str = "宗地号",
    community_field: str = "社区",
    buildings_layer: str = "buildings",
    floor_area_field: str = "建筑面积",
    building_status_field: str = "合法状态",
):
    """The finance step of ``landcoord demo``: three EXAMPLE options that differ in who pays and in
    equity against cash (``rules/scenarios/example_sample_finance.toml``), with the feasibility
    verdict, written to ``out_dir/finance.gpkg`` with the chart ``out_dir/finance.png``. Returns the
    :class:`ScenarioResult`."""

    from ..allocation.feedback import Feedback
    from ..allocation.quota import attach_community
    from ..allocation.rules import RULES_DIR

    out_dir = Path(out_dir)
    src = f"{project_gpkg}|layername="
    pieces = attach_community(
        pieces, read_layer(src + parcels_layer), parcel_field=parcel_field, community_field=community_field
    )

    class _Quiet(Feedback):
        """The warnings about these layers were printed by the quota step; the finance ones come below."""

        def warning(self, message):
            pass

    fb = _Quiet()
    result = benefit_scenarios(
        pieces,
        quota_trail,
        scenarios or RULES_DIR / "scenarios" / "example_sample_finance.toml",
        community_field="community",
        buildings=read_layer(src + buildings_layer),
        floor_area_field=floor_area_field,
        building_status_field=building_status_field,
        feedback=fb,
    )
    paths = write_tables(out_dir / "finance.gpkg", result.layers())
    paths.append(finance_chart(result, out_dir / "finance.png", feedback=fb))
    print_finance(result)
    for message in result.finance.warnings:
        print(tr("warning: {message}", message=message))
    print("\n" + tr("written: {path}", path=", ".join(map(str, paths))))
    return result
