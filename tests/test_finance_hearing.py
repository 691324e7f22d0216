"""The finance tables on the hearing pack's benefit sheet (issue 22, item 5): every party's land,
floor area, cash now, income later (NPV), premium and compensation paid under each scenario,
reconciled per scenario, and the implementing entity's verdict; unverified values marked, the tables
NOT OFFICIAL when any is.

The core on the small hand-computed case of test_finance_core (verified and not); the command line
on the bundled sample: ``landcoord benefits`` to CSV, ``landcoord hearing --finance``, the PDF read
back with pdftotext and compared with the CSV files read here with pandas (not through landcoord).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hearing_support import pdf_text  # tests/ is on sys.path (conftest.py)
from test_finance_core import QROWS, quota, run, setup, small  # noqa: F401 - small is a fixture

from landcoord.allocation.hearing import hearing_data, read_finance
from landcoord.allocation.rules import RULES_DIR

LANDCOORD = Path(sys.executable).parent / "landcoord"
SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "landcoord_sample.gpkg"
FINANCE = RULES_DIR / "scenarios" / "example_sample_finance.toml"
NOT_OFFICIAL = "NOT OFFICIAL"


def _hearing(pieces, finance):
    pieces = pieces.assign(parcel_area=pieces.area, parcel_share=1.0)
    return hearing_data(pieces, project="P1", finance=finance)


def wan(v) -> str:
    """Yuan as the finance table prints them: 万元, two decimals (written here, not landcoord's)."""
    return f"{v / 1e4:,.2f}"


def _row(table, party, scenario="S"):
    """The row of ``party`` (the first line of the party cell; the second is its type)."""
    rows = [r for r in table.rows if r[0].split("\n")[0] == party and r[1] == scenario]
    assert len(rows) == 1, (party, table.rows)
    return rows[0]


def test_verified_case_prints_the_figures_unmarked(tmp_path, small):  # noqa: F811 - the fixture
    path = setup(tmp_path, verified=True, payers={"land": "entity"}, equity=0.2)
    r = run(small, path)
    assert r.finance.official
    d = _hearing(small, r)
    t = d.finance
    assert NOT_OFFICIAL not in t.title and not any(t.marked) and not d.unverified
    assert not any("未核实" in c for row in t.rows for c in row)
    cf = r.finance.cashflow.set_index("party")
    ent = _row(t, "实施主体 E")
    assert ent[0] == "实施主体 E\n实施主体 implementing entity"
    assert ent[4] == wan(cf.loc["实施主体 E", "net_now"]) == "2,220.00"  # 22,200,000 yuan
    # who pays what: the entity pays the land compensation, the premium, construction, the community
    pay = _row(d.payers, "实施主体 E")
    assert pay[2:] == ["100.00", "800.00", wan(cf.loc["实施主体 E", "construction_paid"]), "680.00"]
    assert _row(d.payers, "合计 total")[3] == "800.00"  # the premium, paid once
    assert all(not r[0].startswith("东村") for r in d.payers.rows)  # the community pays nothing
    # the total row: the planned floor area, money netting to zero (the market a row of its own)
    total = _row(t, "合计 total")
    assert total[2] == "10,000.00" and total[3] == "10,000.00" and total[4] == "0.00" and total[5] == "0.00"
    assert any(row[0].endswith("\n市场 market") for row in t.rows)
    # the community keeps equity: its NPV is cash now plus the discounted rent
    comm = _row(t, "东村")
    assert comm[5] == wan(cf.loc["东村", "npv"]) != comm[4]
    # the holders by sheet code and masked name, never in full
    assert all("张三" not in c and "李四" not in c for row in t.rows for c in row)
    assert any(row[0].split("\n")[0].endswith("张*") for row in t.rows)
    f = d.feasibility
    assert len(f.rows) == 1 and not any(f.marked) and NOT_OFFICIAL not in f.title
    fe = r.finance.feasibility.iloc[0]
    assert f.rows[0][1] == "实施主体 E"
    assert f.rows[0][3] == f"{fe.break_even_price:,.2f}" and f.rows[0][4] == f"{fe.margin:.2%}"
    assert f.rows[0][6] == "可行 feasible"


def test_one_unverified_value_makes_the_tables_not_official(tmp_path, small):  # noqa: F811
    path = setup(tmp_path, verified=True, payers={"land": "entity"}, equity=0.2)
    text = path.read_text(encoding="utf-8").replace(
        'build_cost = {value = 3000, source = "test decision 2024-01", verified = true}',
        'build_cost = {value = 3000, source = "test decision 2024-01", verified = false}',
    )
    path.write_text(text, encoding="utf-8")
    d = _hearing(small, run(small, path))
    assert d.unverified
    for t in (d.finance, d.payers, d.feasibility):
        assert NOT_OFFICIAL in t.title and any(t.marked)
    assert "未核实" in _row(d.finance, "实施主体 E")[4]
    assert "未核实" in d.feasibility.rows[0][6]


def test_a_person_named_as_the_entity_is_masked(tmp_path, small):  # noqa: F811
    path = setup(tmp_path, entity="王小明")
    d = _hearing(small, run(small, path))
    cells = [c for t in (d.finance, d.payers, d.feasibility) for row in t.rows for c in row]
    assert all("王小明" not in c for c in cells)
    assert d.feasibility.rows[0][1] == "王**"


# ---------------------------------------------------------------------------------------------
# the command line on the sample, read back from the PDF
# ---------------------------------------------------------------------------------------------


def cli(*args):
    proc = subprocess.run(
        [str(LANDCOORD), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "LANDCOORD_LANG": "en", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def sample_pack(tmp_path_factory):
    d = tmp_path_factory.mktemp("finpack")
    g = f"{SAMPLE}|layername="
    cli("affected", "--boundary", g + "projects", "--cadastre", g + "parcels", "--parcel-field", "宗地号",
        "--holder-field", "权利人", "--status-field", "用地状态", "--project-field", "项目编号",
        "--out", d / "affected.gpkg")  # fmt: skip
    common = ["--pieces", f"{d / 'affected.gpkg'}|layername=pieces", "--parcels", g + "parcels",
              "--parcel-field", "宗地号", "--community-field", "社区", "--buildings", g + "buildings",
              "--floor-area-field", "建筑面积"]  # fmt: skip
    cli("quota", *common, "--zoning", g + "zoning", "--zoning-field", "用地性质",
        "--rules", "shenzhen_example", "--out", d / "quota.gpkg")  # fmt: skip
    cli("benefits", *common, "--building-status-field", "合法状态", "--quota", d / "quota.gpkg",
        "--scenarios", FINANCE, "--out", d / "fin.csv")  # fmt: skip
    project = "LHTZ-2024-02"
    proc = cli("hearing", "--gpkg", SAMPLE, "--affected", d / "affected.gpkg", "--project", project,
               "--scenarios", d / "fin.csv", "--finance", d / "fin.csv", "--max-holders", "1",
               "--dpi", "60", "--out", d / "hearing.pdf")  # fmt: skip
    return d, project, proc


def test_the_pdf_shows_the_benefits_tables_figures(sample_pack):
    d, project, proc = sample_pack
    text = pdf_text(d / "hearing.pdf")
    assert "Every party, reconciled" in text and "Entity feasibility" in text
    assert "Who pays what" in text
    # the CSV files, read here (utf-8 with BOM, as written), cut to the project
    cash = pd.read_csv(d / "fin_finance_cashflow.csv", encoding="utf-8-sig")
    cash = cash[cash.project == project]
    floor = pd.read_csv(d / "fin_finance_floor.csv", encoding="utf-8-sig")
    floor = floor[floor.project == project]
    feas = pd.read_csv(d / "fin_finance_feasibility.csv", encoding="utf-8-sig")
    feas = feas[feas.project == project]
    rec = pd.read_csv(d / "fin_finance_reconciliation.csv", encoding="utf-8-sig")
    rec = rec[rec.project == project]
    assert len(cash) and len(feas) == 3 and len(rec) == 3
    # every party but the holders (their rows continue on later pages and are checked in part)
    orgs = cash[cash.party_type != "holder"]
    assert set(orgs.party_type) >= {"government", "entity", "developer", "community", "market"}
    for r in orgs.itertuples(index=False):
        paid = (r.premium_paid, r.compensation_paid, r.construction_paid, r.payment_paid)
        for v in (r.net_now, r.npv, *(paid if any(paid) else ())):
            assert wan(v) in text, (r.scenario, r.party, v)
        fl = floor[(floor.scenario == r.scenario) & (floor.party == r.party)].floor_area.sum()
        assert f"{fl:,.2f}" in text, (r.scenario, r.party, fl)
    for r in cash[cash.party_type == "holder"].head(10).itertuples(index=False):
        assert wan(r.net_now) in text
    # reconciled: each scenario's total floor area is the planned floor area; money nets to zero
    for r in rec.itertuples(index=False):
        assert r.balanced
        assert f"{r.floor_available:,.2f}" in text
    assert abs(cash.groupby("scenario").net_now.sum()).max() < 0.005
    # the entity's verdict: sale price, break-even price, margin, required margin
    for r in feas.itertuples(index=False):
        assert f"{r.break_even_price:,.2f}" in text and f"{r.margin:.2%}" in text
        assert f"{r.sale_price:,.2f}" in text and f"{r.required_margin:.2%}" in text
    labels = {"feasible": r"可行\s+feasible", "not feasible": r"不可行\s+not\s+feasible"}
    raw = pdf_text(d / "hearing.pdf", "-raw")  # a wrapped cell's lines one after the other
    for v in set(feas.verdict):
        assert re.search(labels[v], raw), v
    # an example file: every figure unverified, marked, the tables and the page not official
    assert not feas.verified.any()
    assert "未核实" in text and NOT_OFFICIAL in text
    assert "they are not official" in text  # the footer of the pages
    assert "benefit sharing" in proc.stdout


def test_read_finance_names_the_missing_table(sample_pack, tmp_path):
    from landcoord.allocation.errors import InputError

    d, _, _ = sample_pack
    tables = read_finance(d / "fin.csv")
    assert set(tables) == {"scenario_parties", "finance_cashflow", "finance_floor", "finance_feasibility"}
    lone = tmp_path / "plain.csv"
    lone.write_bytes((d / "fin.csv").read_bytes())
    with pytest.raises(InputError, match="plain_finance_cashflow.csv"):
        read_finance(lone)


def test_hearingmaps_takes_the_finance_tables(sample_pack, run_alg, tmp_path):
    """landcoord:hearingmaps in QGIS with FINANCE: the benefits GeoPackage (all its tables in one
    file) gives the same finance figures on the benefit sheet."""
    from landcoord.allocation.io.files import read_table, write_layers

    d, project, _ = sample_pack
    gpkg = tmp_path / "benefits.gpkg"
    names = ["scenario_parties", "finance_cashflow", "finance_floor", "finance_feasibility"]
    write_layers(
        gpkg, {n: read_table(d / ("fin.csv" if n == "scenario_parties" else f"fin_{n}.csv")) for n in names}
    )
    g = f"{SAMPLE}|layername="
    res = run_alg(
        "landcoord:hearingmaps",
        {
            "BOUNDARY": g + "projects",
            "PROJECT_FIELD": "项目编号",
            "PROJECT": project,
            "CADASTRE": g + "parcels",
            "PARCEL_FIELD": "宗地号",
            "HOLDER_FIELD": "权利人",
            "STATUS_FIELD": "用地状态",
            "FINANCE": str(gpkg),
            "DPI": 60,
            "MAX_HOLDERS": 1,
            "OUTPUT": str(tmp_path / "hearing.pdf"),
        },
    )
    text = pdf_text(res["OUTPUT"])
    assert "Every party, reconciled" in text and NOT_OFFICIAL in text
    feas = pd.read_csv(d / "fin_finance_feasibility.csv", encoding="utf-8-sig")
    for r in feas[feas.project == project].itertuples(index=False):
        assert f"{r.break_even_price:,.2f}" in text
    cash = pd.read_csv(d / "fin_finance_cashflow.csv", encoding="utf-8-sig")
    for r in cash[(cash.project == project) & (cash.party_type == "entity")].itertuples(index=False):
        assert wan(r.net_now) in text
