"""The quota and the scenarios on the bundled sample project (two projects, three communities)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio
import pytest

LANDCOORD = Path(sys.executable).parent / "landcoord"


@pytest.fixture(scope="module")
def sample(sample_gpkg):
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer
    from landcoord.allocation.quota import attach_community

    src = f"{sample_gpkg}|layername="
    parcels = read_layer(src + "parcels")
    result = affected_area(
        read_layer(src + "projects"),
        parcels,
        parcel_field="宗地号",
        holder_field="权利人",
        status_field="用地状态",
        project_field="项目编号",
    )
    pieces = attach_community(result.pieces, parcels, parcel_field="宗地号", community_field="社区")
    return {
        "pieces": pieces,
        "buildings": read_layer(src + "buildings"),
        "zoning": read_layer(src + "zoning"),
        "affected": result,
    }


def _quota(sample, rules, **kw):
    from landcoord.allocation.quota import retained_quota

    return retained_quota(
        sample["pieces"],
        rules,
        community_field="community",
        buildings=sample["buildings"],
        floor_area_field="建筑面积",
        zoning=sample["zoning"],
        zoning_field="用地性质",
        **kw,
    )


def test_shipped_shenzhen_rules_on_the_sample_give_no_figure(sample):
    q = _quota(sample, "shenzhen_benefit_coordination")
    assert not q.official
    inside = q.summary[q.summary.community.notna()]
    assert len(inside) >= 3 and inside.retained_area.isna().all()
    # what is verified still computes: the entry condition, checked on the map
    t = q.trail
    blocks = t[t.quantity == "uncompensated_block"].groupby("project").value.first()
    assert set(blocks.index) == {"LHTZ-2024-01", "LHTZ-2024-02"} and (blocks >= 3000).all()
    assert (t[t.quantity == "entry_condition"].value == 1).all()


def test_example_rules_on_the_sample_reconcile(sample):
    q = _quota(sample, "shenzhen_example")
    s = q.summary
    assert not q.official and s.retained_area.notna().all()
    pieces = sample["pieces"]
    for p, g in s.groupby("project"):
        # the land counted once (held_area: double-claimed land split; issue 19's one project figure)
        land = pieces.loc[pieces["project"] == p, "held_area"].sum()
        assert g.land_area.sum() == pytest.approx(land, rel=1e-12)
        assert (g.retained_area + g.government_land).sum() == pytest.approx(land, rel=1e-12)
        rec = sample["affected"].reconciliation.set_index("project").loc[p]
        assert land == pytest.approx(rec.covered_area, rel=1e-12)  # the pieces as affected_area measured them
    no_comm = s[s.community.isna()]
    assert (no_comm.retained_area == 0).all() and len(no_comm) == 2  # state units belong to no community
    t = q.trail
    assert (
        t.groupby(["project", "community"], dropna=False).quantity.last() == "result.government_land"
    ).all()


def test_example_scenarios_on_the_sample(sample, tmp_path):
    from landcoord.allocation.rules import RULES_DIR
    from landcoord.allocation.scenarios import benefit_scenarios
    from landcoord.report.charts import scenario_chart

    q = _quota(sample, "shenzhen_example")
    r = benefit_scenarios(
        sample["pieces"],
        q.trail,
        RULES_DIR / "scenarios" / "example_sample_scenarios.toml",
        community_field="community",
        buildings=sample["buildings"],
        floor_area_field="建筑面积",
        building_status_field="合法状态",
    )
    assert r.reconciliation.balanced.all() and len(r.reconciliation) == 3 * 2
    parties = r.parties
    assert set(parties[parties.party_type == "community"].party) == {"龙园社区", "松坪社区", "石岭社区"}
    totals = parties.groupby("scenario")[["land_area"]].sum()
    assert np.allclose(totals.land_area, sample["pieces"].held_area.sum(), rtol=1e-12)
    swap = parties.groupby("scenario").swap_floor_area.sum()
    assert swap["A"] == 0 and swap["B"] > swap["C"] > 0
    out = scenario_chart(r, tmp_path / "sample.png")
    assert out.stat().st_size > 20_000


def test_sample_pipeline_on_the_command_line(sample_gpkg, tmp_path):
    """What the demo runs: affected -> quota -> benefits, on the sample's layers and fields."""
    s = f"{sample_gpkg}|layername="

    def cli(*args):
        proc = subprocess.run([str(LANDCOORD), *map(str, args)], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        return proc.stdout

    cli(
        "affected",
        "--boundary",
        s + "projects",
        "--project-field",
        "项目编号",
        "--cadastre",
        s + "parcels",
        "--parcel-field",
        "宗地号",
        "--holder-field",
        "权利人",
        "--status-field",
        "用地状态",
        "--out",
        tmp_path / "affected.gpkg",
    )
    common = [
        "--pieces",
        f"{tmp_path / 'affected.gpkg'}|layername=pieces",
        "--parcels",
        s + "parcels",
        "--parcel-field",
        "宗地号",
        "--community-field",
        "社区",
        "--buildings",
        s + "buildings",
        "--floor-area-field",
        "建筑面积",
    ]
    out = cli(
        "quota",
        *common,
        "--zoning",
        s + "zoning",
        "--zoning-field",
        "用地性质",
        "--rules",
        "shenzhen_example",
        "--out",
        tmp_path / "quota.gpkg",
    )
    assert "NOT OFFICIAL" in out and "is an EXAMPLE" in out
    scen = Path(__file__).resolve().parent.parent / "allocation/rules/scenarios/example_sample_scenarios.toml"
    out = cli(
        "benefits",
        *common,
        "--building-status-field",
        "合法状态",
        "--quota",
        tmp_path / "quota.gpkg",
        "--scenarios",
        scen,
        "--out",
        tmp_path / "benefits.gpkg",
        "--chart",
        tmp_path / "benefits.png",
    )
    assert out.count("(balanced)") == 6 and "NOT OFFICIAL" in out
    parties = pyogrio.read_dataframe(tmp_path / "benefits.gpkg", layer="scenario_parties")
    assert set(parties.scenario) == {"A", "B", "C"}


def test_demo_step_prints_and_writes(sample, sample_gpkg, tmp_path, capsys):
    from landcoord.cli.quota import demo_step

    q, b = demo_step(sample_gpkg, sample["affected"].pieces, tmp_path)
    out = capsys.readouterr().out
    assert (
        "shenzhen_benefit_coordination (as shipped): retained land EMPTY for 4 of 4 community blocks" in out
    )
    assert "values.cap_ratio" in out and "NOT OFFICIAL: example values" in out
    assert "-- scenario C" in out and out.count("(balanced)") == 6
    assert out.count("have no community") == 1  # each warning once
    for name in ("quota.gpkg", "benefits.gpkg", "benefits.png"):
        assert (tmp_path / name).exists()
    assert not q.official and not b.official
