"""``landcoord stage / notice / consult / monitor`` as an officer runs them (issue 21): a project taken
through its stages on a real GeoPackage with the real `landcoord affected` output; the notice rule,
the public export's masking, the four-eyes refusal (exit status 2), survey counts and the mediation
escalation; the monitoring figures against an independent count."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

pytest.register_assert_rewrite("ledger_support")
from ledger_support import make_project_gpkg, ok, run_landcoord  # noqa: E402

pytest_plugins = ["ledger_support"]


def landcoord(*args, officer="王科长", process=False):
    """Run ``landcoord ARGS``: in a subprocess (``python -m landcoord``) or through ``cli.main``."""
    return run_landcoord(*args, officer=officer, process=process, timeout=300)


@pytest.fixture
def project(tmp_path):
    """A project GeoPackage with its ledger, and the output of `landcoord affected` over it."""
    gpkg = str(make_project_gpkg(tmp_path / "project.gpkg"))
    ok(
        landcoord(
            "consent",
            "init",
            gpkg,
            "--cadastre",
            f"{gpkg}|layername=parcels",
            "--holder-field",
            "权利人",
            "--type-field",
            "权利人类型",
        )
    )
    affected = tmp_path / "affected.gpkg"
    ok(
        landcoord(
            "affected",
            "--boundary",
            f"{gpkg}|layername=projects",
            "--cadastre",
            f"{gpkg}|layername=parcels",
            "--parcel-field",
            "宗地号",
            "--holder-field",
            "权利人",
            "--project-field",
            "项目编号",
            "--out",
            affected,
        )
    )
    return SimpleNamespace(gpkg=gpkg, affected=str(affected), pieces=f"{affected}|layername=pieces")


def test_a_project_through_its_stages(project, tmp_path):
    g = project.gpkg
    # four-eyes: the proposer cannot approve; exit status 2, nothing written
    r = landcoord(
        "stage",
        "advance",
        g,
        "--project",
        "P1",
        "--approved-by",
        "王科长",
        "--date",
        "2024-01-05",
        process=True,
    )
    assert r.returncode == 2 and "Four-eyes" in r.stderr and "Traceback" not in r.stderr
    out = ok(landcoord("stage", "show", g, "--project", "P1"))
    assert "stage - since -" in out
    for day in ("2024-01-05", "2024-02-01"):
        ok(landcoord("stage", "advance", g, "--project", "P1", "--approved-by", "李处长", "--date", day))
    # scheme needs the balanced reconciliation and the consent records
    r = landcoord("stage", "advance", g, "--project", "P1", "--approved-by", "李处长")
    assert r.returncode == 2 and "affected_reconciled" in r.stderr and "consent_recorded" in r.stderr
    ok(
        landcoord(
            "consent",
            "event",
            g,
            "--kind",
            "入户走访",
            "--date",
            "2024-02-10",
            "--project",
            "P1",
            "--holder",
            "张三",
            "--holder",
            "李四",
        )
    )
    out = ok(
        landcoord(
            "stage",
            "advance",
            g,
            "--project",
            "P1",
            "--approved-by",
            "李处长",
            "--date",
            "2024-03-01",
            "--affected",
            project.affected,
        )
    )
    assert "survey to scheme" in out
    # notice stage needs a hearing
    r = landcoord("stage", "advance", g, "--project", "P1", "--approved-by", "李处长")
    assert r.returncode == 2 and "hearing_held" in r.stderr
    ok(landcoord("consent", "event", g, "--kind", "听证会", "--date", "2024-03-20", "--project", "P1"))
    ok(
        landcoord(
            "stage",
            "advance",
            g,
            "--project",
            "P1",
            "--to",
            "notice",
            "--approved-by",
            "李处长",
            "--date",
            "2024-04-01",
        )
    )
    # the notice: an objection blocks closing until answered
    ok(
        landcoord(
            "notice",
            "open",
            g,
            "--project",
            "P1",
            "--title",
            "利益统筹方案公示",
            "--start",
            "2024-04-01",
            "--days",
            "7",
            "--place",
            "龙田社区公告栏",
        )
    )
    ok(
        landcoord(
            "notice",
            "object",
            g,
            "--notice",
            "1",
            "--objector",
            "欧阳小明",
            "--text",
            "欧阳小明的面积少算，电话 13812345678",
            "--date",
            "2024-04-03",
        )
    )
    r = landcoord(
        "notice",
        "close",
        g,
        "--notice",
        "1",
        "--outcome",
        "通过",
        "--date",
        "2024-04-08",
        "--approved-by",
        "李处长",
    )
    assert r.returncode == 2 and "not answered (1)" in r.stderr
    r = landcoord("stage", "advance", g, "--project", "P1", "--approved-by", "李处长")
    assert r.returncode == 2 and "notice_closed" in r.stderr
    ok(landcoord("notice", "answer", g, "--objection", "1", "--text", "已复核", "--date", "2024-04-05"))
    r = landcoord(
        "notice",
        "close",
        g,
        "--notice",
        "1",
        "--outcome",
        "通过",
        "--date",
        "2024-04-08",
        "--approved-by",
        "王科长",
    )
    assert r.returncode == 2 and "Four-eyes" in r.stderr
    ok(
        landcoord(
            "notice",
            "close",
            g,
            "--notice",
            "1",
            "--outcome",
            "公示期满，异议已答复",
            "--date",
            "2024-04-08",
            "--approved-by",
            "李处长",
        )
    )
    public = tmp_path / "notice.csv"
    ok(landcoord("notice", "export", g, public, "--project", "P1"))
    text = public.read_text(encoding="utf-8-sig")
    assert "欧阳小明" not in text and "欧阳**" in text and "13812345678" not in text
    ok(landcoord("stage", "advance", g, "--project", "P1", "--approved-by", "李处长", "--date", "2024-04-10"))
    # approval needs the 利益统筹 signing threshold, which ships empty: not met, so forced with a reason
    r = landcoord(
        "stage", "advance", g, "--project", "P1", "--approved-by", "李处长", "--affected", project.affected
    )
    assert (
        r.returncode == 2
        and "threshold:benefit_coordination_agreement (threshold verdict: not_set)" in r.stderr
    )
    ok(
        landcoord(
            "stage",
            "advance",
            g,
            "--project",
            "P1",
            "--approved-by",
            "李处长",
            "--force",
            "区政府批复 12 号",
            "--date",
            "2024-05-01",
        )
    )
    hist = ok(landcoord("stage", "history", g, "--project", "P1", process=True))
    lines = [x for x in hist.splitlines() if x.startswith("P1")]
    assert [x.split()[2] for x in lines] == ["plan", "survey", "scheme", "notice", "agreement", "approval"]
    assert "区政府批复 12 号" in lines[-1] and "affected_reconciled=✓" in lines[2]
    # the whole record still verifies: the fingerprint covers the stage moves, sign-offs and notice
    code = ok(landcoord("consent", "fingerprint", g)).split()
    code = next(w for w in code if w.startswith("LC1-"))
    ok(landcoord("consent", "verify", g, "--code", code))


def test_survey_counts_and_mediation_escalation(project):
    g = project.gpkg
    ok(landcoord("consent", "event", g, "--kind", "问卷调查", "--date", "2024-02-01", "--project", "P1"))
    ok(
        landcoord(
            "consult",
            "survey",
            g,
            "--event",
            "1",
            "--count",
            "是否同意方案=同意=42",
            "--count",
            "是否同意方案=不同意=6",
            "--count",
            "是否同意方案=弃权=2",
        )
    )
    out = ok(landcoord("consult", "counts", g, "--event", "1"))
    assert "84.0%" in out and "12.0%" in out and "4.0%" in out
    r = landcoord(
        "consult",
        "mediation",
        g,
        "--event",
        "1",
        "--holder",
        "张三",
        "--level",
        "community",
        "--outcome",
        "failed",
    )
    assert r.returncode == 2 and "kind mediation" in r.stderr  # event 1 is a survey
    for kind in ("座谈会", "意见征询", "论证会"):
        ok(landcoord("consent", "event", g, "--kind", kind, "--date", "2024-02-02", "--project", "P1"))
    ok(
        landcoord(
            "consent",
            "event",
            g,
            "--kind",
            "调解",
            "--date",
            "2024-03-01",
            "--project",
            "P1",
            "--holder",
            "张三",
            "--holder",
            "李四",
        )
    )
    mid = 5
    ok(
        landcoord(
            "consult",
            "mediation",
            g,
            "--event",
            mid,
            "--holder",
            "张三",
            "--level",
            "community",
            "--outcome",
            "failed",
        )
    )
    ok(
        landcoord(
            "consult",
            "mediation",
            g,
            "--event",
            mid,
            "--holder",
            "李四",
            "--level",
            "community",
            "--outcome",
            "agreed",
        )
    )
    r = landcoord(
        "consult",
        "mediation",
        g,
        "--event",
        mid,
        "--holder",
        "张三",
        "--level",
        "court",
        "--outcome",
        "failed",
    )
    assert r.returncode == 2 and "community → subdistrict → district" in r.stderr
    out = ok(landcoord("consult", "escalation", g, "--project", "P1"))
    rows = {x.split()[0]: x.split() for x in out.splitlines()[2:]}
    assert rows["张三"][-2:] == ["escalate", "subdistrict"] and rows["李四"][-2:] == ["done", "-"]
    ok(landcoord("consent", "event", g, "--kind", "调解", "--date", "2024-04-01", "--project", "P1"))
    for level in ("subdistrict", "district"):
        ok(
            landcoord(
                "consult",
                "mediation",
                g,
                "--event",
                6,
                "--holder",
                "张三",
                "--level",
                level,
                "--outcome",
                "failed",
            )
        )
    out = ok(landcoord("consult", "escalation", g, "--project", "P1"))
    assert [x.split()[-2:] for x in out.splitlines()[2:] if x.startswith("张三")] == [["exhausted", "-"]]


def test_monitor_figures_against_an_independent_count(project, tmp_path):
    g = project.gpkg
    ok(
        landcoord(
            "consent",
            "event",
            g,
            "--kind",
            "入户走访",
            "--date",
            "2024-02-10",
            "--project",
            "P1",
            "--holder",
            "张三",
            "--holder",
            "李四",
            "--holder",
            "王五",
        )
    )
    for h, s in (("张三", "agreed"), ("李四", "negotiating")):
        ok(landcoord("consent", "set", g, "--project", "P1", "--holder", h, "--status", s))
    ok(landcoord("consent", "set", g, "--project", "P1", "--holder", "张三", "--status", "signed"))
    ok(
        landcoord(
            "consent",
            "request",
            g,
            "--text",
            "复核面积",
            "--project",
            "P1",
            "--holder",
            "李四",
            "--date",
            "2024-02-11",
        )
    )
    ok(
        landcoord(
            "consent",
            "request",
            g,
            "--text",
            "安置位置",
            "--project",
            "P1",
            "--holder",
            "王五",
            "--date",
            "2024-02-12",
        )
    )
    ok(landcoord("consent", "respond", g, "--request", "2", "--text", "按规划", "--date", "2024-02-20"))
    ok(
        landcoord(
            "notice", "open", g, "--project", "P1", "--title", "公示", "--start", "2024-02-15", "--days", "7"
        )
    )
    ok(
        landcoord(
            "notice",
            "object",
            g,
            "--notice",
            1,
            "--objector",
            "王五",
            "--text",
            "不同意",
            "--date",
            "2024-02-16",
        )
    )
    ok(landcoord("notice", "answer", g, "--objection", 1, "--text", "已答复", "--date", "2024-02-25"))
    ok(landcoord("stage", "advance", g, "--project", "P1", "--approved-by", "李处长", "--date", "2024-01-10"))
    out_csv = tmp_path / "monitor.csv"
    today = __import__("datetime").date.today().isoformat()
    ok(
        landcoord(
            "monitor",
            g,
            "--pieces",
            project.pieces,
            "--project",
            "P1",
            "--day",
            "2024-02-18",
            "--day",
            today,
            "--out",
            out_csv,
            "--chart",
            tmp_path / "monitor.png",
        )
    )
    png = (tmp_path / "monitor.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    got = pd.read_csv(out_csv, encoding="utf-8-sig").set_index("day")
    # independent count: the pieces' holders and areas of P1, with the statuses set above
    pieces = pd.DataFrame(
        __import__("geopandas").read_file(project.affected, layer="pieces").drop(columns="geometry")
    )
    p1 = pieces[(pieces["project"] == "P1") & pieces["holder"].notna()]
    col = "held_area" if "held_area" in p1 else "piece_area"
    area = p1.groupby("holder")[col].sum()
    final = {"张三": "signed", "李四": "negotiating"}
    consented = [h for h in area.index if final.get(h) in ("agreed", "signed")]
    row = got.loc[today]
    assert row["holders"] == len(area) and row["consented"] == len(consented) == 1 and row["signed"] == 1
    assert row["area"] == pytest.approx(area.sum())
    assert row["area_consent_rate"] == pytest.approx(area[consented].sum() / area.sum())
    # open on 2024-02-18: request 1 (never answered) and request 2 (answered 02-20); the objection
    # (answered 02-25); consent is read as recorded by the end of the day: none was recorded by then
    early = got.loc["2024-02-18"]
    assert (early["open_requests"], early["open_objections"]) == (2, 1)
    assert (early["holders"], early["consented"], early["signed"]) == (len(area), 0, 0)
    assert (row["open_requests"], row["open_objections"]) == (1, 0)
    assert (
        early["stage"] == "plan"
        and early["days_in_stage"] == (pd.Timestamp("2024-02-18") - pd.Timestamp("2024-01-10")).days
    )


def test_duties_signoff_and_messages_in_chinese(project, tmp_path):
    g = project.gpkg
    out = ok(landcoord("stage", "duties", g, "--project", "P1"))
    lines = out.splitlines()
    assert any(x.startswith("district_mediation") and "government" in x for x in lines)
    # only the duty whose source was read is shown without the (not verified) mark
    unverified = [x.split()[0] for x in lines[2:] if "(not verified)" in x]
    assert "district_mediation" not in unverified and "entity_scheme" in unverified
    r = landcoord(
        "stage",
        "signoff",
        g,
        "--project",
        "P1",
        "--kind",
        "quota_adjustment",
        "--subject",
        "留用地指标",
        "--old",
        "3000",
        "--new",
        "3200",
        "--approved-by",
        "王科长",
    )
    assert r.returncode == 2 and "Four-eyes" in r.stderr
    out = ok(
        landcoord(
            "stage",
            "signoff",
            g,
            "--project",
            "P1",
            "--kind",
            "quota_adjustment",
            "--subject",
            "留用地指标",
            "--old",
            "3000",
            "--new",
            "3200",
            "--approved-by",
            "李处长",
        )
    )
    assert "proposed by 王科长, approved by 李处长" in out
    r = landcoord(
        "--lang",
        "zh_CN",
        "stage",
        "signoff",
        g,
        "--kind",
        "carving_choice",
        "--subject",
        "方案 B",
        "--approved-by",
        "王科长",
    )
    assert r.returncode == 2 and "双人审核" in r.stderr and "不能同时审批" in r.stderr
    r = landcoord(
        "--lang", "zh_CN", "notice", "close", g, "--notice", "9", "--outcome", "x", "--date", "2024-01-01"
    )
    assert r.returncode == 2 and "没有公示 9" in r.stderr
    r = landcoord(
        "stage", "advance", g, "--project", "P1", "--approved-by", "李处长", "--procedure", "nowhere"
    )
    assert r.returncode == 2 and "No shipped procedure file 'nowhere'" in r.stderr
    from landcoord.allocation import procedure as pr
    from landcoord.allocation.ledger import Ledger

    with Ledger.open(g) as ledger:
        offs = pr.signoffs(ledger)
    assert list(offs["kind"]) == ["quota_adjustment"] and list(offs["new_value"]) == ["3200"]
