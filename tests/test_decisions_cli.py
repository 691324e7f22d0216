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


def edit_rules(project, comment="edited") -> None:
    """The officer edits the rule file (a comment: the figures stay, the file's fingerprint changes)."""
    with open(project.rules, "a", encoding="utf-8") as fh:
        fh.write(f"\n# {comment}\n")


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
    # the officer edits the rule file: other settings, so a new decision (not the approved one again)
    edit_rules(project)
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
    # --official refuses a run whose decision would not be approved, writing nothing
    r = quota(project, project.dir / "official.csv", "--ledger", project.gpkg, "--official")
    assert r.returncode == 2 and "--approved-by" in r.stderr and "landcoord decision approve" in r.stderr
    assert len(signoffs(project.gpkg)) == 2 and not (project.dir / "official.csv").exists()


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
    # not approved (another tolerance: another decision): recorded as proposed, the layers say so
    ok(landcoord(*carving.args, "--tolerance", "0.02", "--out", carving.dir / "proposed.gpkg"))
    assert signoffs(carving.ledger).iloc[1]["approved_by"] == ""
    assert set(gpd.read_file(carving.dir / "proposed.gpkg", layer="land")["approval"]) == {"not approved"}
    # four eyes
    r = landcoord(*carving.args, "--approved-by", "王科长", "--out", carving.dir / "refused.gpkg")
    assert r.returncode == 2 and "Four-eyes" in r.stderr and not (carving.dir / "refused.gpkg").exists()
    assert len(signoffs(carving.ledger)) == 2


# -- the register of decisions, and their later approval (landcoord decision list / approve) ----------


def decision(*args, officer="李处长"):
    return landcoord("decision", *args, officer=officer)


def register(gpkg, *extra, tmp=None) -> pd.DataFrame:
    """``landcoord decision list`` written to CSV, read back."""
    out = Path(tmp or Path(gpkg).parent) / f"register{len(list(Path(gpkg).parent.glob('register*')))}.csv"
    ok(decision("list", gpkg, *extra, "--out", out))
    return pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def settings_sha(note) -> str:
    """The fingerprint of a decision's settings, computed here from the stored JSON."""
    text = json.dumps(json.loads(note)["settings"], ensure_ascii=False, sort_keys=True)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def test_propose_list_approve_and_a_later_run_is_approved(project):
    from datetime import date

    today = date.today().isoformat()
    # a junior officer proposes: recorded, pending, nothing official
    first = project.dir / "proposed.csv"
    printed = ok(quota(project, first, "--ledger", project.gpkg, officer="张科员"))
    assert "NOT APPROVED" in printed
    row = signoffs(project.gpkg).iloc[0]
    assert (row["proposed_by"], row["approved_by"]) == ("张科员", "")
    listed = ok(decision("list", project.gpkg, "--pending"))
    assert "张科员" in listed and "pending" in listed and "1 decision listed" in listed
    reg = register(project.gpkg)
    assert list(reg["id"]) == [str(row["id"])] and list(reg["approved_by"]) == ["pending"]
    assert list(reg["status"]) == ["pending"] and list(reg["proposed_by"]) == ["张科员"]
    assert reg["settings_fingerprint"].iloc[0] == settings_sha(row["note"])
    assert reg["new_value"].iloc[0] == row["new_value"] and "officer_rules" in reg["settings"].iloc[0]
    code = fingerprint(project.gpkg)

    # refused, nothing written: the proposer approving (four eyes), an unknown id
    r = decision("approve", project.gpkg, str(row["id"]), "--approved-by", " 张科员 ")
    assert r.returncode == 2 and "Four-eyes" in r.stderr and "张科员" in r.stderr, r.stderr
    r = decision("approve", project.gpkg, "99", "--approved-by", "李处长")
    assert r.returncode == 2 and "No decision 99" in r.stderr and "Traceback" not in r.stderr
    assert len(signoffs(project.gpkg)) == 1 and fingerprint(project.gpkg) == code

    # the section chief approves it the next day: an approval row, audited, the fingerprint moves on
    printed = ok(decision("approve", project.gpkg, str(row["id"]), "--approved-by", "李处长"))
    assert "approved by 李处长" in printed
    rows = signoffs(project.gpkg)
    assert len(rows) == 2 and rows.iloc[0]["approved_by"] == ""  # the proposed row stays as written
    approval = rows.iloc[1]
    assert json.loads(approval["note"])["approves"] == row["id"]
    assert (approval["proposed_by"], approval["approved_by"]) == ("张科员", "李处长")
    assert approval["new_value"] == row["new_value"] and approval["decided_on"] == today
    after = fingerprint(project.gpkg)
    assert after != code and after in printed
    assert landcoord("consent", "verify", project.gpkg, "--code", code).returncode == 0
    assert landcoord("consent", "verify", project.gpkg, "--code", after).returncode == 0
    history = ok(landcoord("consent", "history", project.gpkg, "--table", "ledger_signoffs"))
    assert f"approval of decision {row['id']}" in history
    reg = register(project.gpkg)
    assert len(reg) == 1  # the approval is folded into its decision, not listed as one
    assert (reg["approved_by"].iloc[0], reg["approved_on"].iloc[0], reg["status"].iloc[0]) == (
        "李处长",
        today,
        "approved",
    )
    assert "0 decisions listed" in ok(decision("list", project.gpkg, "--pending"))

    # approving it again is refused, saying by whom and when
    r = decision("approve", project.gpkg, str(row["id"]), "--approved-by", "赵主任")
    assert r.returncode == 2 and "already approved, by 李处长 on " + today in r.stderr
    r = decision("approve", project.gpkg, str(approval["id"]), "--approved-by", "赵主任")
    assert r.returncode == 2 and "is the approval of decision" in r.stderr
    assert len(signoffs(project.gpkg)) == 2

    # run again without --approved-by, same settings and figures: approved, official, nothing new
    again = project.dir / "again.csv"
    printed = ok(quota(project, again, "--ledger", project.gpkg, officer="张科员"))
    assert f"approved by 李处长 on {today} (decision {row['id']})" in printed, printed
    assert len(signoffs(project.gpkg)) == 2 and fingerprint(project.gpkg) == after
    before = pd.read_csv(project.dir / "proposed_quota_summary.csv", encoding="utf-8-sig")
    summary = pd.read_csv(project.dir / "again_quota_summary.csv", encoding="utf-8-sig")
    assert not before["official"].any() and summary["official"].all()
    assert set(summary["approval"]) == {"approved by 李处长"} and set(summary["decision"]) == {row["id"]}
    figures = ["retained_area", "planned_floor_area", "government_land"]
    pd.testing.assert_frame_equal(summary[figures], before[figures])
    # an official result asked for: approved before, so it runs
    ok(quota(project, project.dir / "official.csv", "--ledger", project.gpkg, "--official", officer="张科员"))
    assert len(signoffs(project.gpkg)) == 2

    # other settings (the rule file edited): a new proposed decision, not approved
    edit_rules(project)
    printed = ok(quota(project, project.dir / "changed.csv", "--ledger", project.gpkg, officer="张科员"))
    assert "NOT APPROVED" in printed
    rows = signoffs(project.gpkg)
    assert len(rows) == 3 and rows.iloc[2]["approved_by"] == ""
    changed = pd.read_csv(project.dir / "changed_quota_summary.csv", encoding="utf-8-sig")
    assert set(changed["approval"]) == {"not approved"} and not changed["official"].any()
    reg = register(project.gpkg, "--pending")
    assert list(reg["id"]) == [str(rows.iloc[2]["id"])]
    assert reg["settings_fingerprint"].iloc[0] != settings_sha(row["note"])


def test_a_superseded_decision_cannot_be_approved(project):
    ok(quota(project, project.dir / "a.csv", "--ledger", project.gpkg, officer="张科员"))
    # the same run again: the same pending decision, nothing new recorded
    printed = ok(quota(project, project.dir / "b.csv", "--ledger", project.gpkg, officer="张科员"))
    assert "still PROPOSED" in printed and len(signoffs(project.gpkg)) == 1
    edit_rules(project)
    ok(quota(project, project.dir / "c.csv", "--ledger", project.gpkg, officer="张科员"))
    first, second = signoffs(project.gpkg)["id"]
    code = fingerprint(project.gpkg)
    r = decision("approve", project.gpkg, str(first), "--approved-by", "李处长")
    assert r.returncode == 2, r.stderr
    assert f"superseded by decision {second}" in r.stderr and f"Approve decision {second} instead" in r.stderr
    assert len(signoffs(project.gpkg)) == 2 and fingerprint(project.gpkg) == code
    reg = register(project.gpkg)
    assert list(reg["status"]) == ["superseded", "pending"]
    assert reg["superseded_by"].iloc[0] == str(second)
    assert list(register(project.gpkg, "--pending")["id"]) == [str(second)]
    ok(decision("approve", project.gpkg, str(second), "--approved-by", "李处长"))
    assert list(register(project.gpkg)["status"]) == ["superseded", "approved"]


def test_the_register_filters_and_writes_no_formula(project):
    import openpyxl

    ok(quota(project, project.dir / "q.csv", "--ledger", project.gpkg, officer="张科员"))
    # a sign-off whose free text would be a formula in a spreadsheet, with commas, quotes, a line break
    ok(
        landcoord(
            "stage", "signoff", project.gpkg, "--project", "P1", "--kind", "quota_adjustment",
            "--subject", '=HYPERLINK("http://x", "click")', "--old", "-5", "--new", "+1+cmd",
            "--note", 'a, "b"\n=c', "--approved-by", "李处长",
        )
    )  # fmt: skip
    reg = register(project.gpkg)
    assert len(reg) == 2 and list(reg["kind"]) == ["rule_override", "quota_adjustment"]
    assert reg["subject"].iloc[1] == '\'=HYPERLINK("http://x", "click")'
    assert (reg["old_value"].iloc[1], reg["new_value"].iloc[1]) == ("'-5", "'+1+cmd")
    assert list(register(project.gpkg, "--kind", "quota_adjustment")["project"]) == ["P1"]
    assert list(register(project.gpkg, "--project", "P1")["kind"]) == ["quota_adjustment"]
    xlsx = project.dir / "register.xlsx"
    ok(decision("list", project.gpkg, "--out", xlsx))
    ws = openpyxl.load_workbook(xlsx)["decisions"]
    cells = {c.value: c for row in ws.iter_rows() for c in row}
    cell = cells['=HYPERLINK("http://x", "click")']
    assert cell.data_type == "s"
    r = decision("list", project.gpkg, "--kind", "nonsense")
    assert r.returncode == 2


def test_approval_on_a_geopackage_or_postgresql_ledger(project, where):
    seeded(where).close()
    ok(quota(project, project.dir / "p.csv", "--ledger", *where.args(), officer="张科员"))
    with where.open() as ledger:
        (sid,) = read_register(ledger)["id"]
    assert "张科员" in ok(decision("list", *where.args(), "--pending"))
    schema = where.args()[1:]  # --schema after the id (argparse reads the positionals in one run)
    r = decision("approve", where.location, str(sid), *schema, "--approved-by", "张科员")
    assert r.returncode == 2 and "Four-eyes" in r.stderr
    ok(decision("approve", "--ledger", where.location, *schema, str(sid), "--approved-by", "李处长"))
    printed = ok(quota(project, project.dir / "a.csv", "--ledger", *where.args(), officer="张科员"))
    assert f"(decision {sid})" in printed and "approved by 李处长" in printed
    summary = pd.read_csv(project.dir / "a_quota_summary.csv", encoding="utf-8-sig")
    assert set(summary["approval"]) == {"approved by 李处长"} and summary["official"].all()
    with where.open() as ledger:
        reg = read_register(ledger)
        assert list(reg["status"]) == ["approved"] and list(reg["approved_by"]) == ["李处长"]
        assert len(read_signoffs(ledger)) == 2


def read_register(ledger):
    from landcoord.allocation.decisions import decision_register

    return decision_register(ledger)


def read_signoffs(ledger):
    from landcoord.allocation.decisions import signoffs as read

    return read(ledger)


def test_a_carving_approved_later_is_approved_when_run_again(carving):
    ok(landcoord(*carving.args, "--out", carving.dir / "proposed.gpkg", officer="张科员"))
    (sid,) = signoffs(carving.ledger)["id"]
    proposed = gpd.read_file(carving.dir / "proposed.gpkg", layer="parcels")
    assert set(proposed["approval"]) == {"not approved"}
    ok(decision("approve", carving.ledger, str(sid), "--approved-by", "李处长"))
    printed = ok(landcoord(*carving.args, "--out", carving.dir / "again.gpkg", officer="张科员"))
    assert "approved by 李处长 on " in printed and f"(decision {sid})" in printed
    again = gpd.read_file(carving.dir / "again.gpkg", layer="parcels")
    assert set(again["approval"]) == {"approved by 李处长"} and set(again["decision"]) == {sid}
    assert list(again["area"]) == list(proposed["area"])
    assert len(signoffs(carving.ledger)) == 2
    # another minimum width: a new proposed decision
    ok(landcoord(*carving.args, "--min-width", "17", "--out", carving.dir / "other.gpkg", officer="张科员"))
    rows = signoffs(carving.ledger)
    assert len(rows) == 3 and rows.iloc[2]["approved_by"] == ""
    assert set(gpd.read_file(carving.dir / "other.gpkg", layer="parcels")["approval"]) == {"not approved"}
