"""``landcoord benefits``: benefit-sharing scenarios by party (mirrors ``landcoord:benefitscenarios``)."""

from __future__ import annotations

from ..allocation.files import read_layer, read_table
from ..allocation.i18n import tr
from ..allocation.scenarios import benefit_scenarios, scenario_chart
from ._common import PrintFeedback, print_table
from .quota import read_pieces, write_tables

NAME = "benefits"
HELP = "Benefit-sharing scenarios: each party's land, floor area, money and swap floor area, side by side."

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".csv", ".gpkg"), "chart": None}


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
        "--out",
        required=True,
        help="output: .gpkg (scenario_parties, scenario_lines, scenario_reconciliation) or .csv",
    )
    p.add_argument("--chart", help="PNG chart comparing the parties across the scenarios")


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
    from .quota import csv_siblings

    return csv_siblings(args.out, ("scenario_lines", "scenario_reconciliation"))


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
        feedback=fb,
    )
    paths = write_tables(args.out, result.layers())
    if args.chart:
        paths.append(scenario_chart(result, args.chart, feedback=fb))
    print_parties(result)
    print("\n" + tr("written: {path}", path=", ".join(map(str, paths))))
    return 0
