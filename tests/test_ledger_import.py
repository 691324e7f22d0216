"""Importing consent spreadsheets (CSV UTF-8, CSV GBK, XLSX): bad rows reported, the rest imported."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from landcoord.allocation.errors import ConcurrentEditError, FieldError, OutputError

pytest.register_assert_rewrite("ledger_support")
from ledger_support import Where, frames_equal, make_project_gpkg, seeded, synthetic_cadastre  # noqa: E402

CADASTRE_HOLDERS = [h for h in synthetic_cadastre()["权利人"] if h is not None]

HEADER = ["权利人", "项目编号", "签约状态", "选择方案", "签约日期", "备注", "联系电话"]
# (row as the officer typed it, expected action, a word of the expected reason)
ROWS = [
    (["张三", "P1", "已签约", "产权置换", "2024/3/1", "", "138"], "set", None),
    (["李 四", "P1", "同意", "货币补偿", "", "", ""], "set", "matched"),  # white space in the name
    (["", "P1", "同意", "", "", "", ""], "bad", "no holder"),
    (["钱七", "P1", "同意", "", "", "", ""], "bad", "not a rights-holder"),
    (["王五", "P1", "考虑中", "", "", "", ""], "bad", "Unknown consent status"),
    (["龙田社区股份合作公司", "P1", "协商中", "", "2024年5月1日", "分期谈判", ""], "set", None),
    (["张三", "P1", "同意", "", "", "", ""], "bad", "same holder and project as row 2"),
    (["赵六", "P1", "已接触", "", "三月", "", ""], "bad", "not a date"),
    (["深圳市土地储备中心", "P1", "同意", "", "", "", ""], "bad", "no affected land in project P1"),
    (["欧阳小明", "P9", "同意", "", "", "", ""], "bad", "project P9 has no affected pieces"),
    (["欧阳小明", "", "已接触", "", "", "", ""], "set", None),  # no project: the default one
]


def _write(path, rows, encoding=None, blank_after=None):
    if path.suffix == ".csv":
        lines = [",".join(HEADER)]
        for i, r in enumerate(rows):
            lines.append(",".join(r))
            if blank_after is not None and i == blank_after:
                lines.append(",,,,,,")
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "台账"
        ws.append(HEADER)
        for i, r in enumerate(rows):
            cells = [c if c != "" else None for c in r]
            if cells[4] == "2024/3/1":
                cells[4] = dt.datetime(2024, 3, 1)  # a real date cell, as Excel stores it
            ws.append(cells)
            if blank_after is not None and i == blank_after:
                ws.append([None] * len(HEADER))
        wb.save(path)
    return path


@pytest.fixture
def project(tmp_path):
    from landcoord.allocation.io.files import read_layer

    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    pieces = read_layer(f"{where.location}|layername=pieces")
    return where, pieces


@pytest.mark.parametrize(
    "name, encoding",
    [("台账.csv", "utf-8"), ("台账_gbk.csv", "gbk"), ("台账.xlsx", None)],
    ids=["utf8", "gbk", "xlsx"],
)
def test_import_reports_bad_rows_and_imports_the_rest(project, tmp_path, name, encoding):
    where, pieces = project
    # a blank line after the third data row: row numbers after it shift by one, as in Excel
    path = _write(tmp_path / name, [r for r, _, _ in ROWS], encoding, blank_after=2)
    with seeded(where) as ledger:
        before = ledger.snapshot()
        preview = ledger.preview_import(path, CADASTRE_HOLDERS, project="P1", pieces=pieces)
        assert frames_equal(ledger.snapshot(), before)  # a preview writes nothing
        rows = preview.rows
        assert len(rows) == len(ROWS)  # every data row is accounted for
        assert preview.blank_rows == 1
        expected_rows = [i + 2 if i <= 2 else i + 3 for i in range(len(ROWS))]
        assert rows.row.tolist() == expected_rows
        assert rows.action.tolist() == [a for _, a, _ in ROWS]
        for (_, _, word), reason in zip(ROWS, rows.reason):
            if word:
                assert word in reason, reason
        assert "联系电话" in preview.ignored_columns
        if encoding:
            assert preview.encoding == encoding
        result = ledger.commit_import(preview)
        assert result.imported == 4 and len(result.bad) == 7
        table = ledger.consent_table("P1").set_index("holder")
        assert table.status.to_dict() == {
            "张三": "signed",
            "李四": "agreed",
            "龙田社区股份合作公司": "negotiating",
            "欧阳小明": "contacted",
        }
        assert table.loc["张三", "status_date"] == "2024-03-01"
        assert table.loc["龙田社区股份合作公司", "status_date"] == "2024-05-01"
        assert table.loc["李四", "scenario_option"] == "货币补偿"
        assert table.loc["龙田社区股份合作公司", "note"] == "分期谈判"
        reasons = ledger.history("ledger_consent").reason.tolist()
        assert all(r.startswith(f"import {path.name} row ") for r in reasons)
        # the report of bad rows holds each with its reason
        report = preview.write_report(tmp_path / "bad.csv")
        bad = pd.read_csv(report, encoding="utf-8-sig")
        assert bad.row.tolist() == rows[rows.action == "bad"].row.tolist()
        assert bad.reason.notna().all()
        # importing the same sheet again changes nothing
        again = ledger.preview_import(path, CADASTRE_HOLDERS, project="P1", pieces=pieces)
        assert again.rows.action.tolist().count("set") == 0
        assert again.rows.action.tolist().count("unchanged") == 4


def test_import_never_moves_a_status_back(project, tmp_path):
    where, pieces = project
    with seeded(where) as ledger:
        ledger.correct_consent("P1", "张三", "signed", expected_version=0, reason="签约 2024-02-01")
        path = _write(tmp_path / "old.csv", [["张三", "P1", "协商中", "", "", "", ""]], "utf-8")
        preview = ledger.preview_import(path, CADASTRE_HOLDERS)
        assert preview.rows.action.tolist() == ["bad"]
        assert "never moves a status back" in preview.rows.reason.iloc[0]
        assert ledger.commit_import(preview).imported == 0
        assert ledger.consent_record("P1", "张三").status == "signed"


def test_import_refuses_if_the_ledger_changed_since_the_preview(project, tmp_path):
    where, pieces = project
    with seeded(where) as ledger, where.open(officer="另一位") as other:
        path = _write(
            tmp_path / "a.csv",
            [["张三", "P1", "同意", "", "", "", ""], ["李四", "P1", "已接触", "", "", "", ""]],
            "utf-8",
        )
        preview = ledger.preview_import(path, CADASTRE_HOLDERS)
        other.set_consent("P1", "李四", "contacted", expected_version=0)
        before = ledger.snapshot()
        with pytest.raises(ConcurrentEditError):
            ledger.commit_import(preview)
        assert frames_equal(ledger.snapshot(), before)  # not even 张三's row


def test_export_round_trip_and_stale_sheet(project, tmp_path):
    where, pieces = project
    with seeded(where) as ledger:
        ledger.add_event("home_visit", "2024-03-01", project="P1", holders=["张三", "李四"])
        ledger.set_consent("P1", "张三", "agreed", expected_version=1, scenario_option="产权置换")
        for suffix in (".csv", ".xlsx"):
            out = ledger.export(tmp_path / f"ledger{suffix}")
            preview = ledger.preview_import(out, CADASTRE_HOLDERS)
            assert preview.rows.action.tolist() == ["unchanged", "unchanged"], suffix
        xlsx = pd.read_excel(tmp_path / "ledger.xlsx", sheet_name=None)
        assert set(xlsx) == {"consent", "holders", "events", "requests", "attachments", "audit"}
        assert len(xlsx["audit"]) == len(ledger.history())
        # someone edits the ledger after the export: the exported sheet is stale for that row
        ledger.set_consent("P1", "李四", "negotiating", expected_version=1)
        sheet = pd.read_csv(tmp_path / "ledger.csv", encoding="utf-8-sig", dtype=str)
        sheet.loc[sheet.holder == "李四", "status"] = "agreed"
        sheet.to_csv(tmp_path / "edited.csv", index=False, encoding="utf-8-sig")
        preview = ledger.preview_import(tmp_path / "edited.csv", CADASTRE_HOLDERS)
        lisi = preview.rows[preview.rows.holder == "李四"].iloc[0]
        assert lisi.action == "bad" and "changed since this sheet was exported" in lisi.reason


def test_public_export_masks_individuals(project, tmp_path):
    where, pieces = project
    with seeded(where) as ledger:
        ledger.add_event("hearing", "2024-03-01", project="P1", holders=["欧阳小明", "龙田社区股份合作公司"],
                         participants="欧阳小明 13800000000")  # fmt: skip
        out = ledger.export(tmp_path / "public.xlsx", public=True)
        sheets = pd.read_excel(out, sheet_name=None)
        assert set(sheets["consent"].holder) == {"欧阳**", "龙田社区股份合作公司"}
        assert "audit" not in sheets and "requests" not in sheets
        assert "participants" not in sheets["events"] and "contact" not in sheets["holders"]
        assert sheets["events"].holders.iloc[0] == "欧阳**; 龙田社区股份合作公司"
        text = "".join(pd.concat(sheets.values()).astype(str).to_numpy().ravel())
        assert "欧阳小明" not in text and "13800000000" not in text
        # CSV in GBK for an old Excel; a name GBK cannot hold is an error, nothing written
        ledger.export(tmp_path / "gbk.csv", encoding="gbk")
        assert "欧阳小明".encode("gbk") in (tmp_path / "gbk.csv").read_bytes()
        ledger.add_holder("𠮷野家")  # outside GBK
        ledger.add_event("home_visit", "2024-03-02", project="P1", holders=["𠮷野家"])
        with pytest.raises(OutputError, match="UTF-8"):
            ledger.export(tmp_path / "gbk2.csv", encoding="gbk")
        assert not (tmp_path / "gbk2.csv").exists()


def test_sheet_without_needed_columns_names_them(project, tmp_path):
    where, _ = project
    path = tmp_path / "x.csv"
    path.write_text("name,result\n张三,ok\n", encoding="utf-8")
    with seeded(where) as ledger, pytest.raises(FieldError, match="holder.*Available fields: name, result"):
        ledger.preview_import(path, CADASTRE_HOLDERS, project="P1")


def test_ambiguous_and_close_names(project, tmp_path):
    where, _ = project
    path = _write(
        tmp_path / "a.csv",
        [["张 三", "P1", "同意", "", "", "", ""], ["张叁", "P1", "同意", "", "", "", ""]],
        "utf-8",
    )
    with seeded(where) as ledger:
        preview = ledger.preview_import(path, ["张三", "张三 ", "张　三"], project="P1")
        # "张三" and "张三 " strip to the same name; the full-width space makes a second spelling
        reasons = preview.rows.reason.tolist()
        assert preview.rows.action.tolist() == ["bad", "bad"]
        assert "ambiguous" in reasons[0] and "closest: 张三" in reasons[1]
