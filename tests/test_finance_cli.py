"""`landcoord benefits` with the finance sections, in a subprocess, on the bundled sample GeoPackage:
the new tables next to the existing ones, the feasibility verdict, --years, --official, Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio
import pytest

from landcoord.allocation.finance import annuity_factor
from landcoord.allocation.rules import RULES_DIR

LANDCOORD = Path(sys.executable).parent / "landcoord"
SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "landcoord_sample.gpkg"
FINANCE = RULES_DIR / "scenarios" / "example_sample_finance.toml"
FIN_LAYERS = {
    "finance_lines",
    "finance_cashflow",
    "finance_floor",
    "finance_feasibility",
    "finance_sensitivity",
    "finance_income",
    "scenario_terms",
    "finance_reconciliation",
}


def cli(*args, check=True, env=None):
    proc = subprocess.run(
        [str(LANDCOORD), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "LANDCOORD_LANG": "en", **(env or {})},
    )
    if check:
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    d = tmp_path_factory.mktemp("fin")
    g = f"{SAMPLE}|layername="
    cli("affected", "--boundary", g + "projects", "--cadastre", g + "parcels", "--parcel-field", "宗地号",
        "--holder-field", "权利人", "--status-field", "用地状态", "--project-field", "项目编号",
        "--out", d / "affected.gpkg")  # fmt: skip
    common = ["--pieces", f"{d / 'affected.gpkg'}|layername=pieces", "--parcels", g + "parcels",
              "--parcel-field", "宗地号", "--community-field", "社区", "--buildings", g + "buildings",
              "--floor-area-field", "建筑面积"]  # fmt: skip
    cli("quota", *common, "--zoning", g + "zoning", "--zoning-field", "用地性质",
        "--rules", "shenzhen_example", "--out", d / "quota.gpkg")  # fmt: skip
    return d, common + ["--building-status-field", "合法状态", "--quota", d / "quota.gpkg"]


def test_benefits_writes_the_finance_tables_and_the_verdict(sample):
    d, common = sample
    proc = cli("benefits", *common, "--scenarios", FINANCE, "--out", d / "fin.gpkg", "--chart", d / "fin.png")
    out = proc.stdout
    layers = {name for name, _ in pyogrio.list_layers(d / "fin.gpkg")}
    assert {"scenario_parties", "scenario_lines", "scenario_reconciliation"} | FIN_LAYERS <= layers
    feas = pyogrio.read_dataframe(d / "fin.gpkg", layer="finance_feasibility")
    assert set(feas.scenario) == {"A", "B", "C"} and len(feas) == 6  # 3 scenarios x 2 projects
    assert not feas.verified.any()  # example values: never verified
    # the verdict printed for every scenario and project, as in the table
    for r in feas.itertuples():
        word = {"feasible": "FEASIBLE", "not feasible": "NOT FEASIBLE"}[r.verdict]
        assert f"scenario {r.scenario}, project {r.project}: {word} for {r.entity}" in out
        assert f"break-even sale price {r.break_even_price:,.0f} yuan/m² (not verified)" in out
        assert f"break-even sale price {r.break_even_price:,.0f} yuan/m²" in out
        assert r.profit == pytest.approx(r.revenue - r.cost)
        assert r.break_even_price * r.floor_sold == pytest.approx(r.cost)
    assert {"feasible", "not feasible"} <= set(feas.verdict)  # the three options differ
    assert "NOT OFFICIAL: the finance figures rest on unverified or example values" in out
    assert "NOT OFFICIAL: example rates" in out
    # who pays: the government in A, the implementing entity in B, the developer in C
    lines = pyogrio.read_dataframe(d / "fin.gpkg", layer="finance_lines")
    comp = lines[lines.item.str.startswith("compensation: land")]
    assert set(comp[comp.scenario == "A"].payer) == {"政府 government"}
    assert set(comp[comp.scenario == "B"].payer) == {"示例实施主体 example implementing entity"}
    assert set(comp[comp.scenario == "C"].payer) == {"示例开发商 example developer"}
    # equity against cash: rent in C only, the community payment in A and B only
    cash = pyogrio.read_dataframe(d / "fin.gpkg", layer="finance_cashflow")
    comm = cash[cash.party_type == "community"]
    assert (comm[comm.scenario == "C"].annual_income > 0).all()
    assert (comm[comm.scenario != "C"].annual_income == 0).all()
    assert (comm[comm.scenario != "C"].payment_received > 0).all()
    assert (comm[comm.scenario == "C"].payment_received == 0).all()
    # NPV of the rent: the closed-form annuity at 5 % over 20 years
    c = comm[comm.scenario == "C"]
    assert np.allclose(c.npv, c.net_now + c.annual_income * annuity_factor(0.05, 20), rtol=1e-12)
    # every m² and every yuan once
    rec = pyogrio.read_dataframe(d / "fin.gpkg", layer="finance_reconciliation")
    assert rec.balanced.all()
    floors = pyogrio.read_dataframe(d / "fin.gpkg", layer="finance_floor")
    for r in rec.itertuples():
        f = floors[(floors.scenario == r.scenario) & (floors.project == r.project)]
        assert f.floor_area.sum() == pytest.approx(r.floor_available)
        cf = cash[(cash.scenario == r.scenario) & (cash.project == r.project)]
        assert abs(cf.net_now.sum()) <= 1e-6 * cf.inflow.sum()
    # the sensitivity table: the margin grows with the price at every FAR
    sens = pyogrio.read_dataframe(d / "fin.gpkg", layer="finance_sensitivity")
    for _, g in sens.groupby(["scenario", "project", "far_factor"]):
        g = g.sort_values("price_factor")
        assert (np.diff(g.margin) > 0).all()
    # facilities and jobs as terms, printed for the hearing
    terms = pyogrio.read_dataframe(d / "fin.gpkg", layer="scenario_terms")
    assert set(terms.term) == {"facility", "jobs"}
    assert "facility in LHTZ-2024-01: 社区服务中心 community centre, 2,500 m²" in out
    assert "jobs in LHTZ-2024-02: 120 for 10 years by 示例开发商 example developer" in out
    assert out.count("(not verified)") >= 6 + len(terms)
    # no rights-holder is named in the printed tables
    assert "陈玲婷" not in out and "rights-holders" in out
    assert (d / "fin.png").read_bytes()[:4] == b"\x89PNG"
    assert (d / "fin_finance.png").read_bytes()[:4] == b"\x89PNG"


def test_csv_output_and_years(sample):
    d, common = sample
    proc = cli("benefits", *common, "--scenarios", FINANCE, "--out", d / "fin.csv", "--years", "5")
    for name in FIN_LAYERS:
        assert (d / f"fin_{name}.csv").exists(), name
    assert "now and over 5 years" in proc.stdout
    import pandas as pd

    inc = pd.read_csv(d / "fin_finance_income.csv")
    assert inc.year.max() == 5


def test_existing_scenarios_file_gives_no_finance_tables(sample):
    d, common = sample
    scen = RULES_DIR / "scenarios" / "example_sample_scenarios.toml"
    proc = cli("benefits", *common, "--scenarios", scen, "--out", d / "plain.gpkg")
    layers = {name for name, _ in pyogrio.list_layers(d / "plain.gpkg")}
    assert layers == {"scenario_parties", "scenario_lines", "scenario_reconciliation"}
    assert "feasibility" not in proc.stdout


def test_official_refuses_example_finance(sample):
    d, common = sample
    proc = cli(
        "benefits", *common, "--scenarios", FINANCE, "--official", "--out", d / "off.gpkg", check=False
    )
    assert proc.returncode == 2 and "No official scenario figures" in proc.stderr
    assert not (d / "off.gpkg").exists()


def test_shipped_premium_rules_give_an_unknown_verdict(sample, tmp_path):
    d, common = sample
    text = FINANCE.read_text(encoding="utf-8").replace(
        'premium_rules = "../finance/land_premium_example.toml"',
        f'premium_rules = "{(RULES_DIR / "finance" / "land_premium.toml").as_posix()}"',
    )
    text = text.replace(
        "../finance/example_benchmark_prices.csv",
        (RULES_DIR / "finance" / "example_benchmark_prices.csv").as_posix(),
    )
    scen = tmp_path / "s.toml"
    scen.write_text(text, encoding="utf-8")
    proc = cli("benefits", *common, "--scenarios", scen, "--out", tmp_path / "u.gpkg")
    assert proc.stdout.count("feasibility UNKNOWN") == 6
    assert "the land premium needs values that are empty" in proc.stdout


def test_messages_in_chinese(sample):
    d, common = sample
    proc = cli(
        "benefits", *common, "--scenarios", FINANCE, "--out", d / "zh.gpkg", env={"LANDCOORD_LANG": "zh_CN"}
    )
    assert "实施主体的可行性" in proc.stdout and "盈亏平衡售价" in proc.stdout
    assert "非正式结果：财务数据依据未核实或示例数值" in proc.stdout


def test_demo_step_shows_three_options_with_their_verdict(sample, tmp_path, capsys):
    """The finance step of `landcoord demo`, in process on the sample's layers."""
    import geopandas as gpd
    import pandas as pd

    from landcoord.cli.benefits import demo_step

    d, _ = sample
    pieces = gpd.read_file(d / "affected.gpkg", layer="pieces")
    pieces.attrs["name"] = "pieces"
    trail = pyogrio.read_dataframe(d / "quota.gpkg", layer="quota_trail", read_geometry=False)
    trail = pd.DataFrame(trail)
    trail.attrs["name"] = "quota_trail"
    r = demo_step(SAMPLE, pieces, trail, tmp_path)
    out = capsys.readouterr().out
    assert (tmp_path / "finance.gpkg").exists()
    assert (tmp_path / "finance.png").read_bytes()[:4] == b"\x89PNG"
    names = {s.id: s.name for s in r.scenarios.scenarios}
    assert len(names) == 3 and all(f"-- scenario {k}: {v}" in out for k, v in names.items())
    f = r.finance.feasibility
    assert not r.official and not f.verified.any()
    assert out.count("FEASIBLE for") == 6
    assert "NOT OFFICIAL: the finance figures rest on unverified or example values" in out
    # the options differ in who pays and in equity against cash
    payers = (
        r.finance.lines[r.finance.lines.item.str.startswith("compensation: land")].groupby("scenario").payer
    )
    assert payers.nunique().tolist() == [1, 1, 1] and payers.first().nunique() == 3
    eq = r.finance.floors[r.finance.floors.use == "equity"]
    assert set(eq.scenario) == {"C"} and (eq.floor_area > 0).all()


def test_years_out_of_range_is_bad_input(sample, tmp_path):
    d, common = sample
    proc = cli(
        "benefits",
        *common,
        "--scenarios",
        FINANCE,
        "--years",
        "-1",
        "--out",
        tmp_path / "y.gpkg",
        check=False,
    )
    # refused when the arguments are read, naming the option and the range
    assert proc.returncode == 2 and "--years" in proc.stderr and "-1" in proc.stderr
    assert "0 to 200" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "y.gpkg").exists()
