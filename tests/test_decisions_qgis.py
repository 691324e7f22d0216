"""landcoord:retainedquota records its decision in the ledger (LEDGER, PROPOSED_BY, APPROVED_BY), as
``landcoord quota --ledger`` does: through ``processing.run`` on a real GeoPackage ledger."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pyogrio
import pytest

pytest.register_assert_rewrite("ledger_support")
from ledger_support import make_project_gpkg, synthetic_cadastre  # noqa: E402
from test_decisions_cli import OFFICER_RULES, sha256_16  # noqa: E402


@pytest.fixture
def project(tmp_path):
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer, write_layers
    from landcoord.allocation.ledger import Ledger

    gpkg = make_project_gpkg(tmp_path / "project.gpkg")
    with Ledger.init(str(gpkg), officer="王科长") as ledger:
        ledger.sync_holders(synthetic_cadastre(), "权利人")
    parcels = read_layer(f"{gpkg}|layername=parcels")
    pieces = affected_area(
        read_layer(f"{gpkg}|layername=projects"),
        parcels,
        parcel_field="宗地号",
        holder_field="权利人",
        status_field="用地状态",
        project_field="项目编号",
    ).pieces
    pieces["社区"] = pieces["parcel_id"].map(dict(zip(parcels["宗地号"], parcels["社区"])))
    write_layers(tmp_path / "affected.gpkg", {"pieces": pieces})
    rules = tmp_path / "officer_rules.toml"
    rules.write_text(OFFICER_RULES, encoding="utf-8")
    pieces = f"{tmp_path / 'affected.gpkg'}|layername=pieces"
    return {"gpkg": str(gpkg), "pieces": pieces, "rules": str(rules)}


def params(p, out, **extra):
    return {
        "INPUT": p["pieces"],
        "COMMUNITY_FIELD": "社区",
        "RULES": p["rules"],
        "LEDGER": p["gpkg"],
        "PROPOSED_BY": "王科长",
        "OUTPUT": str(out),
        **extra,
    }


def signoffs(gpkg) -> pd.DataFrame:
    with sqlite3.connect(gpkg) as con:
        return pd.read_sql("SELECT * FROM ledger_signoffs ORDER BY id", con)


def test_retainedquota_records_the_decision(project, tmp_path, run_alg):
    res = run_alg("landcoord:retainedquota", params(project, tmp_path / "q.gpkg", APPROVED_BY="李处长"))
    trail = pyogrio.read_dataframe(res["OUTPUT"])
    row = signoffs(project["gpkg"]).iloc[0]
    assert (row["kind"], row["proposed_by"], row["approved_by"]) == ("rule_override", "王科长", "李处长")
    assert json.loads(row["note"])["settings"]["rule_set_fingerprint"] == sha256_16(project["rules"])
    assert set(trail["approval"]) == {"approved by 李处长"} and set(trail["decision"]) == {row["id"]}
    assert (trail.loc[trail["quantity"] == "official", "value"] == 1).all()
    for r in trail[trail["quantity"] == "result.retained_area"].itertuples():
        assert f"retained_area={r.value:.2f}" in row["new_value"]


def test_retainedquota_four_eyes_and_not_approved(project, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    out = tmp_path / "refused.gpkg"
    with pytest.raises(QgsProcessingException, match="Four-eyes"):
        run_alg("landcoord:retainedquota", params(project, out, APPROVED_BY="王科长"))
    assert not out.exists() and len(signoffs(project["gpkg"])) == 0
    res = run_alg("landcoord:retainedquota", params(project, tmp_path / "proposed.gpkg"))
    trail = pyogrio.read_dataframe(res["OUTPUT"])
    assert set(trail["approval"]) == {"not approved"}
    official = trail[trail["quantity"] == "official"]
    assert (official["value"] == 0).all() and official["note"].str.contains("not approved").all()
    assert signoffs(project["gpkg"]).iloc[0]["approved_by"] == ""
    with pytest.raises(QgsProcessingException, match="Approved by"):
        run_alg("landcoord:retainedquota", params(project, tmp_path / "x.gpkg", LEDGER="", APPROVED_BY="李"))


def test_carveretained_records_its_choices(tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    from landcoord.allocation.io.files import write_layers
    from landcoord.allocation.ledger import Ledger
    from landcoord.sample.retained_projects import synthetic_project

    p = synthetic_project(3, area_ha=12, communities=2)
    path = tmp_path / "carve.gpkg"
    layers = {"projects": p["boundary"], "controls": p["exclude"][0], "roads": p["roads"]}
    write_layers(path, {**layers, "holdings": p["holdings"], "quotas": p["quotas"]})
    ledger = str(make_project_gpkg(tmp_path / "project.gpkg"))
    Ledger.init(ledger, officer="王科长").close()
    params = {
        "BOUNDARY": f"{path}|layername=projects",
        "PROJECT_FIELD": "项目编号",
        "QUOTAS": f"{path}|layername=quotas",
        "EXCLUDE": [f"{path}|layername=controls"],
        "PREFER": f"{path}|layername=holdings",
        "PREFER_FIELD": "社区",
        "ROADS": f"{path}|layername=roads",
        "MIN_WIDTH": 18.0,
        "LEDGER": ledger,
        "PROPOSED_BY": "王科长",
    }
    with pytest.raises(QgsProcessingException, match="Four-eyes"):
        run_alg(
            "landcoord:carveretained", {**params, "APPROVED_BY": "王科长", "OUTPUT": str(tmp_path / "x.gpkg")}
        )
    assert len(signoffs(ledger)) == 0 and not (tmp_path / "x.gpkg").exists()
    res = run_alg(
        "landcoord:carveretained", {**params, "APPROVED_BY": "李处长", "OUTPUT": str(tmp_path / "c.gpkg")}
    )
    parcels = pyogrio.read_dataframe(res["OUTPUT"])
    row = signoffs(ledger).iloc[0]
    assert (row["kind"], row["proposed_by"], row["approved_by"]) == ("carving_choice", "王科长", "李处长")
    settings = json.loads(row["note"])["settings"]
    assert settings["min_width"] == 18.0 and settings["quotas"] == params["QUOTAS"]
    assert settings["quotas_fingerprint"] == sha256_16(path)
    assert set(parcels["approval"]) == {"approved by 李处长"} and set(parcels["decision"]) == {row["id"]}
    for r in parcels.itertuples():
        assert f"{r.project}/{r.community} part {r.part}/{r.parts}: area={r.area:.2f}" in row["new_value"]


def test_retainedquota_picks_up_a_later_approval(project, tmp_path, run_alg):
    """Proposed in Processing, approved later by another officer (as ``landcoord decision approve``):
    the same run again is approved, official, under the same decision, nothing new recorded; other
    settings make a new proposed decision."""
    from datetime import date

    from qgis.core import QgsProcessingFeedback

    from landcoord.allocation.decisions import approve_decision
    from landcoord.allocation.ledger import Ledger
    from landcoord.allocation.procedure import load_procedure

    class Messages(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):
            self.lines.append(info)
            super().pushInfo(info)

        def pushWarning(self, warning):
            self.lines.append(warning)
            super().pushWarning(warning)

    res = run_alg("landcoord:retainedquota", params(project, tmp_path / "proposed.gpkg"))
    proposed = pyogrio.read_dataframe(res["OUTPUT"])
    assert set(proposed["approval"]) == {"not approved"}
    row = signoffs(project["gpkg"]).iloc[0]
    with Ledger.open(project["gpkg"], officer="李处长") as ledger:
        approve_decision(ledger, int(row["id"]), approved_by="李处长", procedure=load_procedure())
    fb = Messages()
    res = run_alg("landcoord:retainedquota", params(project, tmp_path / "again.gpkg"), feedback=fb)
    trail = pyogrio.read_dataframe(res["OUTPUT"])
    assert len(signoffs(project["gpkg"])) == 2  # the proposal and its approval: nothing new
    assert set(trail["approval"]) == {"approved by 李处长"} and set(trail["decision"]) == {row["id"]}
    assert (trail.loc[trail["quantity"] == "official", "value"] == 1).all()
    results = trail["quantity"].str.startswith("result.")
    assert list(trail.loc[results, "value"]) == list(proposed.loc[results, "value"])
    today = date.today().isoformat()
    assert any(f"approved by 李处长 on {today} (decision {row['id']})" in line for line in fb.lines), fb.lines
    # the rule file edited: other settings, a new proposed decision
    rules = tmp_path / "officer_rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    res = run_alg("landcoord:retainedquota", params(project, tmp_path / "changed.gpkg"))
    rows = signoffs(project["gpkg"])
    assert len(rows) == 3 and rows.iloc[2]["approved_by"] == ""
    assert set(pyogrio.read_dataframe(res["OUTPUT"])["approval"]) == {"not approved"}
