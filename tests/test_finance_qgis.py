"""landcoord:benefitscenarios inside QGIS with the finance sections, on the bundled sample's layers
written to a real GeoPackage: the feasibility, cash-flow, sensitivity, income and terms outputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "landcoord_sample.gpkg"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer, write_layers
    from landcoord.allocation.quota import attach_community, retained_quota

    d = tmp_path_factory.mktemp("finq")
    src = f"{SAMPLE}|layername="
    res = affected_area(
        read_layer(src + "projects"), read_layer(src + "parcels"), parcel_field="宗地号",
        holder_field="权利人", status_field="用地状态", project_field="项目编号",
    )  # fmt: skip
    pieces = attach_community(
        res.pieces, read_layer(src + "parcels"), parcel_field="宗地号", community_field="社区"
    )
    buildings = read_layer(src + "buildings")
    q = retained_quota(
        pieces, "shenzhen_example", community_field="community", buildings=buildings,
        floor_area_field="建筑面积", zoning=read_layer(src + "zoning"), zoning_field="用地性质",
    )  # fmt: skip
    gpkg = d / "project.gpkg"
    write_layers(gpkg, {"pieces": pieces, "buildings": buildings, "quota_trail": q.trail})
    return d, gpkg


def test_benefitscenarios_writes_the_finance_outputs(project, tmp_path, run_alg):
    from landcoord.allocation.finance import annuity_factor
    from landcoord.allocation.rules import RULES_DIR

    d, gpkg = project
    res = run_alg(
        "landcoord:benefitscenarios",
        {
            "INPUT": f"{gpkg}|layername=pieces",
            "COMMUNITY_FIELD": "community",
            "QUOTA": f"{gpkg}|layername=quota_trail",
            "BUILDINGS": f"{gpkg}|layername=buildings",
            "FLOOR_AREA_FIELD": "建筑面积",
            "BUILDING_STATUS_FIELD": "合法状态",
            "SCENARIOS": str(RULES_DIR / "scenarios" / "example_sample_finance.toml"),
            "YEARS": 8,
            "OUTPUT": str(tmp_path / "parties.gpkg"),
            "FEASIBILITY": str(tmp_path / "feasibility.gpkg"),
            "CASHFLOW": str(tmp_path / "cashflow.gpkg"),
            "SENSITIVITY": str(tmp_path / "sensitivity.gpkg"),
            "INCOME": str(tmp_path / "income.gpkg"),
            "TERMS": str(tmp_path / "terms.gpkg"),
        },
    )
    feas = pyogrio.read_dataframe(res["FEASIBILITY"])
    assert len(feas) == 6 and set(feas.verdict) <= {"feasible", "not feasible"}
    assert not feas.verified.astype(bool).any()
    np.testing.assert_allclose(feas.break_even_price * feas.floor_sold, feas.cost, rtol=1e-9)
    cash = pyogrio.read_dataframe(res["CASHFLOW"])
    assert (cash.years == 8).all()
    for _, g in cash.groupby(["scenario", "project"]):
        assert abs(g.net_now.sum()) <= 1e-6 * g.inflow.sum()  # every yuan once, the market included
    c = cash[(cash.scenario == "C") & (cash.party_type == "community")]
    np.testing.assert_allclose(c.npv, c.net_now + c.annual_income * annuity_factor(0.05, 8), rtol=1e-12)
    sens = pyogrio.read_dataframe(res["SENSITIVITY"])
    assert len(sens) == 6 * 25
    for _, g in sens.groupby(["scenario", "project", "far_factor"]):
        assert (np.diff(g.sort_values("price_factor").margin) > 0).all()
    income = pyogrio.read_dataframe(res["INCOME"])
    assert income.year.max() == 8
    terms = pyogrio.read_dataframe(res["TERMS"])
    assert set(terms.term) == {"facility", "jobs"}
    parties = pyogrio.read_dataframe(res["OUTPUT"])
    assert "entity" in set(parties.party_type)  # the implementing entity pays in B


def test_benefitscenarios_lists_the_finance_outputs(landcoord_provider):
    alg = landcoord_provider.algorithm("benefitscenarios")
    keys = {p.name() for p in alg.parameterDefinitions()}
    assert {"YEARS", "FEASIBILITY", "CASHFLOW", "SENSITIVITY", "INCOME", "TERMS"} <= keys
    for p in alg.parameterDefinitions():
        assert p.help(), p.name()
