"""Sign-off recorded from inside quota and carving runs (issue 21, duties and sign-off).

``landcoord quota`` and ``landcoord carve`` given ``--ledger`` (the project GeoPackage holding the
ledger) record their decision: what the officer set (rule set and its fingerprint, carving choices),
the run's result figure, who proposed it and who approved it. Checked on a real GeoPackage ledger
through the command line: the ledger row and its settings against an independent SHA-256 of the rule
file and the written outputs; the four-eyes refusal (exit status 2, nothing written); a decision
without an approver is recorded as proposed and its outputs say "not approved", never official; the
ledger's fingerprint changes (and the earlier code still verifies); the audit trail shows the
decision.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest

pytest.register_assert_rewrite("ledger_support")
from ledger_support import make_project_gpkg, ok, run_landcoord, seeded  # noqa: E402

pytest_plugins = ["ledger_support"]

PROV = (
    'document = "Doc"\narticle = "Art. 1"\nversion = "2020"\nsource = "https://example.org/doc"\n'
    "verified = true\n"
)

#: An officer's own rule set (not shipped, so a rule override), every value and step verified: its
#: results are official unless the decision is not approved.
OFFICER_RULES = f"""[ruleset]
id = "officer_rules"
title = "an officer's rule set"
results = ["retained_area", "planned_floor_area", "government_land"]

[values.ratio]
label = "retained ratio"
value = 0.2
unit = "ratio"
{PROV}
[steps.retained_area]
label = "retained land"
formula = "uncompensated_area * ratio"
unit = "m2"
{PROV}
[steps.planned_floor_area]
label = "planned floor area"
formula = "retained_area * 2"
unit = "m2"
{PROV}
[steps.government_land]
label = "land to the government"
formula = "land_area - retained_area"
unit = "m2"
{PROV}"""


def landcoord(*args, officer="王科长", process=False):
    return run_landcoord(*args, officer=officer, process=process, timeout=300)


@pytest.fixture
def project(tmp_path):
    """A project GeoPackage with its ledger, `landcoord affected` over it, and an officer's rule file."""
    tmp_path = tmp_path / "run"  # apart from the `where` fixture's project.gpkg
    tmp_path.mkdir()
    gpkg = str(make_project_gpkg(tmp_path / "project.gpkg"))
    ok(
        landcoord(
            "consent", "init", gpkg, "--cadastre", f"{gpkg}|layername=parcels", "--holder-field", "权利人"
        )
    )
    affected = tmp_path / "affected.gpkg"
    ok(
        landcoord(
            "affected", "--boundary", f"{gpkg}|layername=projects", "--cadastre", f"{gpkg}|layername=parcels",
            "--parcel-field", "宗地号", "--holder-field", "权利人", "--status-field", "用地状态",
            "--project-field", "项目编号", "--out", affected,
        )
    )  # fmt: skip
    rules = tmp_path / "officer_rules.toml"
    rules.write_text(OFFICER_RULES, encoding="utf-8")
    return SimpleNamespace(gpkg=gpkg, pieces=f"{affected}|layername=pieces", rules=rules, dir=tmp_path)


def quota(project, out, *extra, officer="王科长", process=False):
    return landcoord(
        "quota", "--pieces", project.pieces, "--community-field", "社区",
        "--parcels", f"{project.gpkg}|layername=parcels", "--parcel-field", "宗地号",
        "--rules", project.rules, "--out", out, *extra, officer=officer, process=process,
    )  # fmt: skip


def signoffs(gpkg) -> pd.DataFrame:
    """The ledger's decisions, read with plain SQLite (not through landcoord)."""
    with sqlite3.connect(gpkg) as con:
        return pd.read_sql("SELECT * FROM ledger_signoffs ORDER BY id", con)


def fingerprint(gpkg) -> str:
    out = ok(landcoord("consent", "fingerprint", gpkg))
    return next(w for w in out.split() if w.startswith("LC1-"))


def sha256_16(path) -> str:
    data = Path(path).name.encode("utf-8") + b"\0" + Path(path).read_bytes() + b"\0"
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def test_quota_run_records_an_approved_decision_in_the_ledger(project):
    code = fingerprint(project.gpkg)
    out = project.dir / "q.csv"
    printed = ok(
        quota(project, out, "--ledger", project.gpkg, "--proposed-by", "王科长", "--approved-by", "李处长")
    )
    rows = signoffs(project.gpkg)
    assert len(rows) == 1
    row = rows.iloc[0]
    # an officer's own rule file is a rule override; proposer and approver as given
    assert (row["kind"], row["proposed_by"], row["approved_by"]) == ("rule_override", "王科长", "李处长")
    assert "officer_rules" in row["subject"]
    settings = json.loads(row["note"])["settings"]
    assert settings["rules"] == "officer_rules"
    assert settings["rule_set_fingerprint"] == sha256_16(project.rules)
    # the result figure is the summary the run wrote
    summary = pd.read_csv(project.dir / "q_quota_summary.csv", encoding="utf-8-sig")
    for r in summary.itertuples():
        assert f"retained_area={r.retained_area:.2f}" in row["new_value"]
    assert summary["retained_area"].sum() > 0
    # approved: the outputs say so, and stay official (every value of the rule set is verified)
    assert set(summary["approval"]) == {"approved by 李处长"} and set(summary["decision"]) == {row["id"]}
    assert summary["official"].all()
    assert "OFFICIAL" in printed and "approved by 李处长" in printed
    # the fingerprint covers the decision; the code taken before still verifies (entries added since)
    assert fingerprint(project.gpkg) != code
    assert landcoord("consent", "verify", project.gpkg, "--code", code).returncode == 0
    # the audit trail shows it
    history = ok(landcoord("consent", "history", project.gpkg, "--table", "ledger_signoffs"))
    assert "decision rule_override" in history and "李处长" in history and "officer_rules" in history


def test_decision_on_a_geopackage_or_postgresql_ledger_and_in_its_export(project, where, tmp_path):
    from landcoord.allocation.decisions import signoffs as read_signoffs

    seeded(where).close()
    ok(quota(project, project.dir / "q.csv", "--ledger", *where.args(), "--approved-by", "李处长"))
    r = quota(project, project.dir / "r.csv", "--ledger", *where.args(), "--approved-by", "王科长")
    assert r.returncode == 2 and "Four-eyes" in r.stderr
    with where.open() as ledger:
        rows = read_signoffs(ledger)
        assert list(rows["kind"]) == ["rule_override"] and list(rows["approved_by"]) == ["李处长"]
        sheets = pd.read_excel(ledger.export(tmp_path / "ledger.xlsx"), sheet_name=None)
    assert list(sheets["signoffs"]["proposed_by"]) == ["王科长"]
    assert "officer_rules" in sheets["signoffs"]["subject"].iloc[0]


def test_four_eyes_refuses_the_proposer_as_approver_before_any_work(project):
    code = fingerprint(project.gpkg)
    out = project.dir / "q.csv"
    r = quota(project, out, "--ledger", project.gpkg, "--approved-by", " 王科长 ", process=True)
    assert r.returncode == 2, r.stderr
    assert "Four-eyes" in r.stderr and "王科长" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()  # refused before any output
    assert len(signoffs(project.gpkg)) == 0
    assert fingerprint(project.gpkg) == code
    # --proposed-by names the proposer: the same check, whoever runs the command
    r = quota(project, out, "--ledger", project.gpkg, "--proposed-by", "李处长", "--approved-by", "李处长")
    assert r.returncode == 2 and "Four-eyes" in r.stderr and not out.exists()


def test_a_decision_without_approver_is_proposed_and_its_outputs_not_approved(project):
    approved = project.dir / "approved.csv"
    ok(quota(project, approved, "--ledger", project.gpkg, "--approved-by", "李处长"))
    out = project.dir / "proposed.gpkg"
    printed = ok(quota(project, out, "--ledger", project.gpkg))
    rows = signoffs(project.gpkg)
    assert len(rows) == 2
    first, second = rows.iloc[0], rows.iloc[1]
    assert second["proposed_by"] == "王科长" and second["approved_by"] == ""
    assert json.loads(second["note"])["approval"] == "proposed, not approved"
    # the figure before is the one the previous decision recorded
    assert second["old_value"] == first["new_value"]
    summary = gpd.read_file(out, layer="quota_summary")
    assert not summary["official"].astype(bool).any()
    assert set(summary["approval"]) == {"not approved"}
    assert all("not approved" in b for b in summary["blocking"])
    trail = gpd.read_file(out, layer="quota_trail")
    assert (trail.loc[trail["quantity"] == "official", "value"] == 0).all()
    assert set(trail["approval"]) == {"not approved"}
    assert "NOT APPROVED" in printed and "NOT OFFICIAL" in printed
    verdicts = [ln for ln in printed.splitlines() if ln.endswith(": OFFICIAL")]
    assert not verdicts, verdicts
    # --official refuses a run whose decision would not be approved
    r = quota(project, project.dir / "official.csv", "--ledger", project.gpkg, "--official")
    assert r.returncode == 2 and "--approved-by" in r.stderr
    assert len(signoffs(project.gpkg)) == 2


def test_decision_options_need_a_ledger(project):
    r = quota(project, project.dir / "q.csv", "--approved-by", "李处长")
    assert r.returncode == 2 and "--ledger" in r.stderr and not (project.dir / "q.csv").exists()


@pytest.fixture
def carving(tmp_path):
    from landcoord.allocation.io.files import write_layers
    from landcoord.sample.retained_projects import synthetic_project

    p = synthetic_project(3, area_ha=12, communities=2)
    path = tmp_path / "carve.gpkg"
    write_layers(
        path,
        {
            "projects": p["boundary"],
            "controls": p["exclude"][0],
            "roads": p["roads"],
            "holdings": p["holdings"],
        },
    )
    p["quotas"].to_csv(tmp_path / "quotas.csv", index=False)
    ledger = str(make_project_gpkg(tmp_path / "project.gpkg"))
    ok(
        landcoord(
            "consent", "init", ledger, "--cadastre", f"{ledger}|layername=parcels", "--holder-field", "权利人"
        )
    )
    args = ["carve", "--boundary", f"{path}|layername=projects", "--project-field", "项目编号"]
    args += ["--quotas", str(tmp_path / "quotas.csv"), "--exclude", f"{path}|layername=controls"]
    args += ["--roads", f"{path}|layername=roads", "--prefer", f"{path}|layername=holdings"]
    args += ["--prefer-field", "社区", "--min-width", "18", "--ledger", ledger]
    return SimpleNamespace(args=args, ledger=ledger, dir=tmp_path, quotas=tmp_path / "quotas.csv")


def test_carving_run_records_its_choices(carving):
    code = fingerprint(carving.ledger)
    out = carving.dir / "carved.gpkg"
    printed = ok(landcoord(*carving.args, "--approved-by", "李处长", "--out", out))
    row = signoffs(carving.ledger).iloc[0]
    assert (row["kind"], row["proposed_by"], row["approved_by"]) == ("carving_choice", "王科长", "李处长")
    settings = json.loads(row["note"])["settings"]
    assert settings["min_width"] == 18.0 and settings["tolerance"] == 0.01
    assert settings["quotas_fingerprint"] == sha256_16(carving.quotas)
    parcels = gpd.read_file(out, layer="parcels")
    assert set(parcels["approval"]) == {"approved by 李处长"} and set(parcels["decision"]) == {row["id"]}
    for r in parcels.itertuples():
        assert f"{r.project}/{r.community} part {r.part}/{r.parts}: area={r.area:.2f}" in row["new_value"]
    assert row["project"] == parcels["project"].iloc[0]
    assert "Decision" in printed and fingerprint(carving.ledger) != code
    # not approved: recorded as proposed, the layers say so
    ok(landcoord(*carving.args, "--out", carving.dir / "proposed.gpkg"))
    assert signoffs(carving.ledger).iloc[1]["approved_by"] == ""
    assert set(gpd.read_file(carving.dir / "proposed.gpkg", layer="land")["approval"]) == {"not approved"}
    # four eyes
    r = landcoord(*carving.args, "--approved-by", "王科长", "--out", carving.dir / "refused.gpkg")
    assert r.returncode == 2 and "Four-eyes" in r.stderr and not (carving.dir / "refused.gpkg").exists()
    assert len(signoffs(carving.ledger)) == 2
