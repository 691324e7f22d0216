"""``landcoord consent ...`` as an officer runs it: the key steps in a subprocess, the others through
the same entry point in this process (to keep the test fast)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.register_assert_rewrite("ledger_support")
from ledger_support import make_project_gpkg, ok, run_landcoord  # noqa: E402

pytest_plugins = ["ledger_support"]  # fixtures: where, postgres_dsn, pg_schema


def landcoord(*args, officer="陈主任", process=False):
    """Run ``landcoord ARGS``: in a subprocess (``python -m landcoord``) or through ``cli.main``."""
    return run_landcoord(*args, officer=officer, process=process, timeout=120)


def test_consent_command_end_to_end(where, tmp_path):
    loc = where.args()
    gpkg = str(make_project_gpkg(tmp_path / "cadastre.gpkg"))
    cadastre = f"{gpkg}|layername=parcels"
    pieces = f"{gpkg}|layername=pieces"
    out = ok(
        landcoord(
            "consent",
            "init",
            *loc,
            "--cadastre",
            cadastre,
            "--holder-field",
            "权利人",
            "--type-field",
            "权利人类型",
            "--community-field",
            "社区",
            process=True,
        )
    )
    assert "7 added" in out
    assert "0 added, 7 already" in ok(
        landcoord("consent", "init", *loc, "--cadastre", cadastre, "--holder-field", "权利人")
    )
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("纪要", encoding="utf-8")
    out = ok(
        landcoord(
            "consent",
            "event",
            *loc,
            "--kind",
            "村民代表会议",
            "--date",
            "2024-03-01",
            "--project",
            "P1",
            "--holder",
            "张三",
            "--holder",
            "李四",
            "--summary",
            "方案介绍",
            "--attach",
            minutes,
        )
    )
    assert "event 1 recorded" in out
    out = ok(
        landcoord(
            "consent",
            "set",
            *loc,
            "--project",
            "P1",
            "--holder",
            "张三",
            "--status",
            "协商中",
            "--expect-version",
            "1",
        )
    )
    assert "negotiating" in out and "version 2" in out
    # a stale version is refused with exit status 2 and a message naming who changed it
    stale = landcoord(
        "consent",
        "set",
        *loc,
        "--project",
        "P1",
        "--holder",
        "张三",
        "--status",
        "agreed",
        "--expect-version",
        "1",
        officer="李科员",
        process=True,
    )
    assert stale.returncode == 2 and "陈主任" in stale.stderr and "Nothing was written" in stale.stderr
    # a transition that is not allowed, then the same as a correction with a reason
    bad = landcoord("consent", "set", *loc, "--project", "P1", "--holder", "李四", "--status", "signed")
    assert bad.returncode == 2 and "Allowed: negotiating, agreed, refused" in bad.stderr
    ok(
        landcoord(
            "consent",
            "correct",
            *loc,
            "--project",
            "P1",
            "--holder",
            "李四",
            "--status",
            "signed",
            "--reason",
            "补录：2024-02-28 已签约",
        )
    )
    out = ok(
        landcoord(
            "consent", "request", *loc, "--text", "要求公开评估报告", "--project", "P1", "--holder", "张三"
        )
    )
    assert "request 1" in out
    assert "answered" in ok(
        landcoord("consent", "respond", *loc, "--request", "1", "--text", "已公开", "--expect-version", "1")
    )
    # import a GBK sheet with a bad row, with a report
    sheet = tmp_path / "台账.csv"
    sheet.write_bytes("权利人,状态,方案\n王五,同意,产权置换\n钱七,同意,\n".encode("gbk"))
    report = tmp_path / "bad.csv"
    out = ok(
        landcoord(
            "consent",
            "import",
            *loc,
            sheet,
            "--pieces",
            pieces,
            "--project",
            "P1",
            "--report",
            report,
            "--allow-rejected",  # the bad row is expected here (issue 19: else exit status 4)
            process=True,
        )
    )
    assert "imported 1 row;" in out and "1 bad row not imported" in out
    assert pd.read_csv(report, encoding="utf-8-sig").holder_given.tolist() == ["钱七"]
    out = ok(
        landcoord(
            "consent",
            "import",
            *loc,
            sheet,
            "--pieces",
            pieces,
            "--project",
            "P1",
            "--dry-run",
            "--allow-rejected",
        )
    )
    assert "dry run" in out and "1 unchanged" in out
    # progress, by holders and by area, written as a table
    table = tmp_path / "progress.csv"
    out = ok(landcoord("consent", "progress", *loc, "--pieces", pieces, "--out", table, process=True))
    assert "P1" in out and "P2" in out
    progress = pd.read_csv(table, encoding="utf-8-sig").set_index("project")
    assert progress.loc["P1", "consented"] == 2  # 李四 signed, 王五 agreed
    assert progress.loc["P1", "holders"] == 6
    # the same from boundaries and cadastre directly
    out2 = ok(
        landcoord(
            "consent",
            "progress",
            *loc,
            "--boundary",
            f"{gpkg}|layername=projects",
            "--cadastre",
            cadastre,
            "--parcel-field",
            "宗地号",
            "--holder-field",
            "权利人",
            "--project-field",
            "项目编号",
        )
    )
    assert out2.splitlines()[:4] == out.splitlines()[:4]
    # export, show, history, state as of an audit entry
    ok(landcoord("consent", "export", *loc, tmp_path / "ledger.xlsx"))
    assert set(pd.read_excel(tmp_path / "ledger.xlsx", sheet_name=None)) >= {"consent", "events", "audit"}
    show = ok(landcoord("consent", "show", *loc, "--project", "P1", process=True))
    assert "已签约" in show and "陈主任" in show
    hist = ok(landcoord("consent", "history", *loc, "--table", "ledger_consent"))
    assert "补录" in hist
    early = ok(landcoord("consent", "history", *loc, "--as-of", "10"))
    assert "signed" not in early


def test_cli_errors_are_clear(tmp_path):
    gpkg = make_project_gpkg(tmp_path / "p.gpkg")
    proc = landcoord("consent", "show", gpkg, process=True)
    assert proc.returncode == 2 and "no consultation ledger" in proc.stderr
    proc = landcoord("consent", "progress", tmp_path / "none.gpkg", "--pieces", f"{gpkg}|layername=pieces")
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    ok(landcoord("consent", "init", gpkg))
    proc = landcoord("consent", "progress", gpkg)
    assert proc.returncode == 2 and "--pieces" in proc.stderr
    proc = landcoord("consent", "event", gpkg, "--kind", "party", "--date", "2024-01-01")
    assert proc.returncode == 2 and "home_visit" in proc.stderr
    assert Path(gpkg).exists()
