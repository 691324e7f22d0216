"""Issue 16, privacy: no name or number leaks into a public output, whatever the input does.

* names padded or split with any Unicode space (full-width U+3000, NBSP, thin/en/em spaces, tabs,
  zero-width U+200B/U+FEFF) are masked as ONE name;
* free text of the public ledger export and of the hearing data (event place, summary, parcel ids
  ...) has the run's individuals' names, ID-card and phone numbers masked;
* no text cell of a CSV/XLSX landcoord writes is a formula;
* no password of a connection string appears in a message, whatever its quoting.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely import box

from landcoord.allocation.errors import LandcoordError
from landcoord.allocation.privacy import (
    COMPOUND_SURNAMES,
    PublicText,
    classify_holders,
    mask_name,
    redact_dsn,
    scrub_text,
)

ROOT = Path(__file__).resolve().parent.parent
LANDCOORD = ROOT / ".venv" / "bin" / "landcoord"

SINGLE_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡")
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "东方", "慕容", "令狐", "夏侯"]
GIVEN_CHARS = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国荣凤兰玉萍红燕鑫海婷俊峰雪梅坤彩晓东")

# every space class: Unicode category Zs, plus tab, zero-width space, BOM, ideographic space
SPACES = sorted(
    {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Zs"}
    | {"\t", "\u200b", "\ufeff", "\u3000"}
)


def test_the_space_list_is_every_unicode_space():
    assert {" ", "\u00a0", "\u1680", "\u2002", "\u2003", "\u2009", "\u202f", "\u205f", "\u3000"} <= set(
        SPACES
    )
    assert {"\t", "\u200b", "\ufeff"} <= set(SPACES)


def spaced(text: str, data, *, inside: bool = True) -> str:
    """``text`` with runs of spaces of any class drawn before, after and (``inside``) between its
    characters."""
    run = st.lists(st.sampled_from(SPACES), max_size=3).map("".join)
    out = data.draw(run)
    for i, ch in enumerate(text):
        out += ch
        if inside and i < len(text) - 1:
            out += data.draw(run)
    return out + data.draw(run)


def _substrings2(text: str) -> set:
    return {text[i : i + 2] for i in range(len(text) - 1)}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    surname=st.sampled_from(SINGLE_SURNAMES + COMPOUND),
    given_name=st.lists(st.sampled_from(GIVEN_CHARS), min_size=1, max_size=3).map("".join),
    data=st.data(),
)
def test_a_chinese_name_spaced_any_way_is_masked_as_one_name(surname, given_name, data):
    name = surname + given_name
    assume(len(surname) == 2 or name[:2] not in COMPOUND_SURNAMES)
    typed = spaced(name, data)
    masked = mask_name(typed)
    # the same as the unspaced name's mask: surname, then one * per given-name character
    assert masked == mask_name(name) == surname + "*" * len(given_name)
    # no piece of the given name: not one of its characters, no two characters of the name in a row
    assert not (set(masked) & (set(given_name) - set(surname)))
    assert not (_substrings2(name) - {surname}) & _substrings2(masked)
    # nothing raw: no invisible or exotic space left
    assert not (set(masked) & set(SPACES))
    # classify_holders prints the same, and takes the spaced name for a person
    t = classify_holders([typed])
    assert t.individual.iloc[0] and t.display.iloc[0] == masked


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("李　娜", "李*"),
        ("王 晓 东", "王**"),
        ("欧阳 娜娜", "欧阳**"),
        ("欧 阳娜娜", "欧阳**"),
        ("李\u00a0娜", "李*"),
        ("李\u2009娜", "李*"),
        ("李\u2003娜", "李*"),
        ("李\u200b娜", "李*"),
        ("\ufeff李娜\ufeff", "李*"),
        ("李\t娜", "李*"),
        ("Li Na", "L* N*"),
        ("Li\u3000Na", "L* N*"),
        ("Li\u00a0\u00a0Na", "L* N*"),
        ("ZHANG San", "ZHANG S**"),
        ("ZHANG\u2002San", "ZHANG S**"),
        ("Jean-Pierre Dupont", "J***-****** D*****"),
        ("Ｌｉ Ｎａ", "L* N*"),
        ("张伟 13812345678", "张* ***********"),
        ("张伟、李　娜", "张*、李*"),
    ],
)
def test_spaced_names(typed, masked):
    assert mask_name(typed) == masked


@pytest.mark.parametrize(
    "name",
    ["沙井社区股份合作公司", "深圳市南山区土地整备中心", "龙田社区居民委员会", "Shenzhen Land Co., Ltd."],
)
def test_organisations_stay_unmasked(name):
    t = classify_holders([name], ["社区股份合作公司"])
    assert not t.individual.iloc[0] and t.display.iloc[0] == name
    assert not classify_holders([name]).individual.iloc[0]


latin_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9).map(str.capitalize)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(latin_word, min_size=2, max_size=3), data=st.data())
def test_a_latin_name_spaced_any_way_is_masked_as_one_name(words, data):
    name = " ".join(words)
    # between the words: any run of visible spaces; inside a word: invisible characters only
    gap = st.lists(st.sampled_from([s for s in SPACES if s not in "\u200b\ufeff"]), min_size=1, max_size=3)
    invisible = st.lists(st.sampled_from(["\u200b", "\ufeff"]), max_size=2).map("".join)
    typed = data.draw(invisible)
    for k, w in enumerate(words):
        typed += "".join(ch + data.draw(invisible) for ch in w)
        if k < len(words) - 1:
            typed += "".join(data.draw(gap))
    masked = mask_name(typed)
    assert masked == mask_name(name)
    letters = re.sub(r"[^A-Za-z]", "", masked)
    assert len(letters) == len(words)  # one initial per word, nothing else of the name
    assert all(len(p) >= 2 and p[1:] == "*" * (len(p) - 1) for p in masked.split(" "))


# -- free text ---------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    surname=st.sampled_from(SINGLE_SURNAMES + COMPOUND),
    given_name=st.lists(st.sampled_from(GIVEN_CHARS), min_size=1, max_size=3).map("".join),
    before=st.sampled_from(["", "会议地点：", "与", "G-"]),
    after=st.sampled_from(["", "家中", "到场", "-01"]),
    data=st.data(),
)
def test_free_text_names_are_masked_in_any_spacing(surname, given_name, before, after, data):
    name = surname + given_name
    assume(len(surname) == 2 or name[:2] not in COMPOUND_SURNAMES)
    clean = PublicText([name])
    out = clean(before + spaced(name, data, inside=True).strip() + after)
    assert mask_name(name) in out
    assert given_name not in out.replace(" ", "")
    stripped = re.sub(r"\s", "", out)
    assert name not in stripped


ID18 = ["440305199001011234", "44030519900101123X", "440305 19900101 1234", "4403-0519-9001-0112-34"]
ID15 = ["440305900101123", "440305 900101 123"]
PHONES = [
    "13812345678",
    "138 1234 5678",
    "138-1234-5678",
    "+86 13812345678",
    "+8613812345678",
    "0086 138 1234 5678",
    "0086-13812345678",
    "0755-12345678",
    "(0755) 1234 5678",
    "075512345678",
]


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


@pytest.mark.parametrize(
    ("number", "hidden"),
    [(n, "19900101") for n in ID18] + [(n, "900101") for n in ID15] + [(n, "1234") for n in PHONES],
)
def test_numbers_in_free_text_are_masked(number, hidden):
    """The middle of every number (an ID's birth date, a phone's middle four) is gone, with or
    without spaces, dashes or a country prefix; the number is never there whole."""
    for text in (number, f"身份证{number}，电话", f"call {number} now", f"{number}\n下一行"):
        out = scrub_text(text)
        digits = _digits(out)
        assert _digits(number)[-11:] not in digits, out
        if hidden == "1234":
            assert hidden not in digits, out
            assert digits.endswith("5678") and "****" in out
        else:
            assert hidden not in digits and out.count("*") >= 8, out


def test_ordinary_text_is_left_alone():
    for text in ("宗地 G01-0023，面积 1,234.56 m²", "2024-03-01 村民代表会议", "第 3 次会议", "LT-001"):
        assert scrub_text(text) == text


# -- spreadsheets --------------------------------------------------------------------------------------------

DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]
safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from(["=", "+", "-", "@", ",", '"', "'"]),
    max_size=20,
)


def _write(tmp_path, frame, suffix):
    from landcoord.allocation.ledger.sheets import _write_frames

    path = tmp_path / f"out{suffix}"
    _write_frames(path, {"sheet": frame}, "utf-8-sig")
    return path


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.sampled_from(DANGEROUS), rest=safe_text)
def test_formula_like_text_is_text_in_xlsx(tmp_path, first, rest):
    value = first + rest
    frame = pd.DataFrame({"note": [value, "plain"], "area": [-5.0, 3.0]})
    path = _write(tmp_path, frame, ".xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cell = ws.cell(row=2, column=1)
    assert cell.data_type == "s"
    assert cell.value == value
    # numbers stay numbers
    num = ws.cell(row=2, column=2)
    assert num.data_type == "n" and num.value == -5.0
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_control_characters_do_not_stop_an_xlsx_export(tmp_path):
    frame = pd.DataFrame({"note": ["=A1\x07", "bell\x07 and escape\x1b", "\ttab"]})
    ws = openpyxl.load_workbook(_write(tmp_path, frame, ".xlsx")).worksheets[0]
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["=A1", "bell and escape", "\ttab"]
    assert {ws.cell(row=r, column=1).data_type for r in (2, 3, 4)} == {"s"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.sampled_from(DANGEROUS), rest=safe_text)
def test_formula_like_text_is_quoted_in_csv_and_read_back(tmp_path, first, rest):
    from landcoord.allocation.io.files import read_table
    from landcoord.allocation.ledger.sheets import read_sheet

    value = first + rest
    frame = pd.DataFrame({"holder": ["张三", "李四"], "note": [value, "plain"], "area": [-5.0, 3.0]})
    path = _write(tmp_path, frame, ".csv")
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    cell = rows[1][1]
    # a spreadsheet would not evaluate it: it starts with a quote, not with = + - @ tab CR
    assert cell[:1] == "'" and cell[1:] == value
    assert rows[1][2] == "-5.0" and rows[2][1] == "plain"
    # landcoord reads its own file back as written
    headers, data, _ = read_sheet(path)
    assert data[0][1][1] == (value.strip() or None)
    back = read_table(str(path))
    assert back["note"].iloc[0] == value or (
        back["note"].iloc[0] != back["note"].iloc[0] and not value.strip()
    )


def test_no_writer_writes_csv_or_xlsx_past_the_helper():
    """Every CSV/XLSX writer of the plugin goes through allocation.io.cells (one helper)."""
    offenders = []
    for folder in ("allocation", "cli", "processing", "report", "ui"):
        for py in (ROOT / folder).rglob("*.py"):
            if py.name == "cells.py":
                continue
            text = py.read_text(encoding="utf-8")
            for pat in (
                r"\.to_csv\(",
                r"\.to_excel\(",
                r"csv\.writer\(",
                r"csv\.DictWriter\(",
                r"ExcelWriter\(",
            ):
                if re.search(pat, text):
                    offenders.append(f"{py.relative_to(ROOT)}: {pat}")
    assert offenders == []


# -- the public ledger export through the command line ------------------------------------------------------

LEAKS_NAMES = ["李娜", "欧阳娜娜", "王晓东"]
LEAKS_NUMBERS = [
    "440305199001011234",
    "440305 19900101 1234",
    "13812345678",
    "138-1234-5678",
    "0755-12345678",
]


def _cadastre_with_names() -> gpd.GeoDataFrame:
    owners = [
        ("G-李娜-01", "李　娜", "个人"),  # spaced name, parcel id holding the name
        ("G-002", "欧阳 娜娜", "个人"),
        ("G-003", "王晓东", None),
        ("G-004", "龙田社区股份合作公司", "社区股份合作公司"),
    ]
    rows, geoms = [], []
    for i, (pid, owner, kind) in enumerate(owners):
        x = 500_000.0 + 30.0 * i
        rows.append({"宗地号": pid, "权利人": owner, "权利人类型": kind, "用地状态": "房地产证"})
        geoms.append(box(x, 2_500_000.0, x + 25.0, 2_500_020.0))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4547)


def _run(*args):
    env = {**os.environ, "LANDCOORD_OFFICER": "陈主任", "LANDCOORD_LANG": "en"}
    return subprocess.run(
        [str(LANDCOORD), *map(str, args)], capture_output=True, text=True, env=env, timeout=300
    )


def _ok(proc):
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def ledger_with_free_text(tmp_path_factory):
    from landcoord.allocation.io.files import write_layers

    tmp = tmp_path_factory.mktemp("ledger")
    gpkg = tmp / "project.gpkg"
    write_layers(gpkg, {"parcels": _cadastre_with_names()})
    cad = f"{gpkg}|layername=parcels"
    _ok(
        _run(
            "consent",
            "init",
            gpkg,
            "--cadastre",
            cad,
            "--holder-field",
            "权利人",
            "--type-field",
            "权利人类型",
        )
    )
    _ok(
        _run(
            "consent",
            "event",
            gpkg,
            "--kind",
            "入户走访",
            "--date",
            "2024-03-01",
            "--project",
            "P1",
            "--holder",
            "李　娜",
            "--holder",
            "欧阳 娜娜",
            "--place",
            "李 娜家中（电话 138-1234-5678）",
            "--participants",
            "李娜、王晓东",
            "--summary",
            "欧阳\u3000娜娜与王\u200b晓东同意；身份证 440305 19900101 1234，座机 0755-12345678，"
            '手机 13812345678 =HYPERLINK("http://x")',
        )
    )
    _ok(
        _run(
            "consent",
            "event",
            gpkg,
            "--kind",
            "其他",
            "--kind-detail",
            "=cmd|' /C calc'!A0",
            "--date",
            "2024-03-02",
            "--place",
            "+李娜@村委",
            "--summary",
            "-王晓东 440305199001011234",
        )
    )
    _ok(_run("consent", "set", gpkg, "--project", "P1", "--holder", "王晓东", "--status", "contacted"))
    return gpkg


def _assert_clean(text: str):
    flat = re.sub(r"[\s\u200b\ufeff]", "", text)
    leaked = [n for n in LEAKS_NAMES if n in flat]
    assert leaked == [], leaked
    digits = re.sub(r"\D", "", text)
    for number in LEAKS_NUMBERS:
        d = re.sub(r"\D", "", number)
        assert d not in digits, number


def test_public_xlsx_export_leaks_no_name_and_no_number(ledger_with_free_text, tmp_path):
    out = tmp_path / "ledger_public.xlsx"
    _ok(_run("consent", "export", ledger_with_free_text, out, "--public"))
    wb = openpyxl.load_workbook(out)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if c.value is not None:
                    texts.append(str(c.value))
    blob = "\n".join(texts)
    _assert_clean(blob)
    # the cleaned text is still there: masked names, masked numbers, the formula as text
    assert "李*" in blob and "欧阳**" in blob and "王**" in blob
    assert "138****5678" in blob and "4403**********1234" in blob and "0755-****5678" in blob
    events = pd.read_excel(out, sheet_name="events", dtype=str)
    assert "=cmd|' /C calc'!A0" in events["kind_detail"].tolist()
    # the internal export still has the full text (it is not for the public)
    internal = tmp_path / "ledger.xlsx"
    _ok(_run("consent", "export", ledger_with_free_text, internal))
    ev = pd.read_excel(internal, sheet_name="events", dtype=str)
    assert any("138-1234-5678" in str(v) for v in ev["place"])
    cells = [c for ws in openpyxl.load_workbook(internal).worksheets for r in ws.iter_rows() for c in r]
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_public_csv_export_leaks_nothing_and_reimports(ledger_with_free_text, tmp_path):
    out = tmp_path / "consent_public.csv"
    _ok(_run("consent", "export", ledger_with_free_text, out, "--public"))
    text = out.read_text(encoding="utf-8-sig")
    _assert_clean(text)
    # the internal CSV quotes formula-like text, and `consent import` reads it back unchanged
    internal = tmp_path / "consent.csv"
    _ok(_run("consent", "export", ledger_with_free_text, internal))
    rows = list(csv.reader(io.StringIO(internal.read_bytes().decode("utf-8-sig"), newline="")))
    assert all(not c.startswith(tuple(DANGEROUS)) for r in rows for c in r)


def test_consent_import_reads_a_quoted_note_back(tmp_path):
    """A note starting with = written by landcoord's CSV export comes back as typed."""
    from landcoord.allocation.io.files import write_layers

    gpkg = tmp_path / "p.gpkg"
    write_layers(gpkg, {"parcels": _cadastre_with_names()})
    cad = f"{gpkg}|layername=parcels"
    _ok(_run("consent", "init", gpkg, "--cadastre", cad, "--holder-field", "权利人"))
    sheet = pd.DataFrame({"权利人": ["王晓东"], "状态": ["contacted"], "备注": ["=1+2 -3"], "项目": ["P1"]})
    from landcoord.allocation.io.cells import write_frames

    src = tmp_path / "in.csv"
    write_frames(src, {"s": sheet})
    assert "'=1+2 -3" in src.read_text(encoding="utf-8-sig")
    proc = _run(
        "consent", "import", gpkg, src, "--cadastre", cad, "--holder-field", "权利人", "--project", "P1"
    )
    _ok(proc)
    out = tmp_path / "back.csv"
    _ok(_run("consent", "export", gpkg, out))
    from landcoord.allocation.ledger.sheets import read_sheet

    headers, rows, _ = read_sheet(out)
    notes = [r[headers.index("note")] for _, r in rows]
    assert "=1+2 -3" in notes


# -- the hearing data ---------------------------------------------------------------------------------------


def _hearing(public=True):
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.hearing import hearing_data

    cadastre = _cadastre_with_names()
    xmin, ymin, xmax, ymax = cadastre.total_bounds
    projects = gpd.GeoDataFrame(
        {"项目编号": ["P1"], "项目名称": ["龙田 李娜 片区 13812345678"]},
        geometry=[box(xmin, ymin, xmax, ymax)],
        crs=4547,
    )
    pieces = affected_area(
        projects,
        cadastre,
        parcel_field="宗地号",
        holder_field="权利人",
        status_field="用地状态",
        project_field="项目编号",
    ).pieces
    controls = gpd.GeoDataFrame(
        {"类型": ["基本农田"], "名称": ["欧阳娜娜 承包地 440305199001011234"]},
        geometry=[box(xmin, ymin, xmin + 10, ymin + 10)],
        crs=4547,
    )
    return hearing_data(
        pieces,
        project="P1",
        boundary=projects,
        project_field="项目编号",
        project_name_field="项目名称",
        parcels=cadastre,
        parcel_field="宗地号",
        holder_field="权利人",
        holder_type_field="权利人类型",
        status_field="用地状态",
        controls=controls,
        control_kind_field="类型",
        control_name_field="名称",
        public=public,
    )


def _hearing_strings(data) -> list:
    out = [data.project_name, *data.notes]
    tables = [data.overview, data.benefits, data.quota, data.conflicts, data.conflict_summary, data.retained]
    for t in [*tables, *data.holder_parcels.values(), *data.holder_scenarios.values()]:
        if t is not None:
            out += [str(c) for r in t.rows for c in r] + [str(c) for c in (t.total or [])]
            for col in t.values.columns:
                out += [str(v) for v in t.values[col].tolist()]
    for gdf in data.layers.values():
        for col in gdf.columns:
            if col != gdf.geometry.name:
                out += [str(v) for v in gdf[col].tolist()]
    out += [str(v) for v in data.holders.drop(columns=["individual"]).to_numpy().ravel()]
    return out


def test_hearing_data_masks_spaced_names_and_parcel_ids_holding_a_name():
    data = _hearing()
    blob = "\n".join(_hearing_strings(data))
    _assert_clean(blob)
    labels = set(data.holders.label)
    assert {"李*", "欧阳**", "王**", "龙田社区股份合作公司"} <= labels
    assert "G-李*-01" in data.layers["pieces"]["parcel_id"].tolist()
    assert "G-李*-01" in data.layers["parcels"]["parcel_id"].tolist()
    assert any("G-李*-01" in r[0] for t in data.holder_parcels.values() for r in t.rows)
    assert data.project_name == "龙田 李* 片区 138****5678"
    # the internal version names the holders but still prints no number
    internal = "\n".join(_hearing_strings(_hearing(public=False)))
    assert "G-李娜-01" in internal
    assert "13812345678" not in internal and "440305199001011234" not in internal


def test_hearing_pdf_through_the_command_line_leaks_no_name_and_no_number(tmp_path):
    """The real pack (``landcoord hearing``, its own headless QGIS), read back with pdftotext."""
    from landcoord.allocation.io.files import write_layers

    cadastre = _cadastre_with_names()
    xmin, ymin, xmax, ymax = cadastre.total_bounds
    projects = gpd.GeoDataFrame(
        {"项目编号": ["P1"], "项目名称": ["龙田 李娜 片区 13812345678"]},
        geometry=[box(xmin, ymin, xmax, ymax)],
        crs=4547,
    )
    controls = gpd.GeoDataFrame(
        {"类型": ["基本农田"], "名称": ["欧阳娜娜 承包地 440305199001011234"]},
        geometry=[box(xmin, ymin, xmin + 10, ymin + 10)],
        crs=4547,
    )
    gpkg = tmp_path / "p.gpkg"
    write_layers(gpkg, {"parcels": cadastre, "projects": projects, "controls": controls})
    out = tmp_path / "h.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    options = {
        "--boundary": f"{gpkg}|layername=projects",
        "--project-field": "项目编号",
        "--project": "P1",
        "--project-name-field": "项目名称",
        "--cadastre": f"{gpkg}|layername=parcels",
        "--parcel-field": "宗地号",
        "--holder-field": "权利人",
        "--holder-type-field": "权利人类型",
        "--status-field": "用地状态",
        "--controls": f"{gpkg}|layername=controls",
        "--control-kind-field": "类型",
        "--control-name-field": "名称",
        "--dpi": "60",
        "--paper": "A4",
        "--out": str(out),
    }
    argv = [str(LANDCOORD), "hearing", *[x for kv in options.items() for x in kv]]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    _assert_clean(proc.stdout)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "Rights-holder sheet H01" in text
    _assert_clean(text)
    flat = re.sub(r"\s", "", text)
    assert "G-李*-01" in flat and "欧阳**" in flat and "龙田李*片区138****5678" in flat


def test_very_long_and_nested_names_are_masked_without_a_recursion_error():
    """A holder field holding thousands of characters (a paste), and thousands of names that are
    prefixes of each other: the free-text cleaner builds its pattern without recursing per character
    (before: RecursionError in the hearing pack of a cadastre with a 5000-character name)."""
    long_name = "李" + "娜" * 5000
    clean = PublicText(["李娜", "Li Na", long_name, "王" + "晓" * 70])
    shown = clean(f"到场 {long_name}、王{'晓' * 70}、李 娜、Li Na")
    assert "娜娜" not in shown and "晓晓" not in shown and "Na" not in shown
    assert shown.startswith("到场 李*") and "李*、L* N*" in shown
    nested = PublicText(["王" + "芳" * n for n in range(1, 2000)])
    assert nested("王芳芳芳 到场") == "王*** 到场"


def test_hearing_pdf_with_a_5000_character_name(tmp_path):
    """The real pack through the command line: exit 0, the long name masked."""
    from landcoord.allocation.io.files import write_layers

    cadastre = _cadastre_with_names()
    cadastre.loc[0, "权利人"] = "李" + "娜" * 5000
    xmin, ymin, xmax, ymax = cadastre.total_bounds
    projects = gpd.GeoDataFrame({"项目编号": ["P1"]}, geometry=[box(xmin, ymin, xmax, ymax)], crs=4547)
    gpkg = tmp_path / "p.gpkg"
    write_layers(gpkg, {"parcels": cadastre, "projects": projects})
    out = tmp_path / "h.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    argv = [
        str(LANDCOORD),
        "hearing",
        "--boundary",
        f"{gpkg}|layername=projects",
        "--project-field",
        "项目编号",
    ]
    argv += [
        "--cadastre",
        f"{gpkg}|layername=parcels",
        "--parcel-field",
        "宗地号",
        "--holder-field",
        "权利人",
    ]
    argv += ["--holder-type-field", "权利人类型", "--dpi", "60", "--paper", "A4", "--out", str(out)]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "娜娜" not in re.sub(r"\s", "", text)


# -- connection strings -------------------------------------------------------------------------------------

HOSTILE = [
    ("host=127.0.0.1 port=1 dbname=x user=u password='se cret'", ["se cret"]),
    ("host=127.0.0.1 port=1 dbname=x user=u password=sec\\'ret", ["sec\\'ret", "sec'ret"]),
    ('host=127.0.0.1 port=1 dbname=x user=u password="s3cr3t x"', ['"s3cr3t x"', "s3cr3t"]),
    ("host=127.0.0.1 port=1 dbname=x user=u password = plainpw", ["plainpw"]),
    ("host=127.0.0.1 port=1 dbname=x user=u password=sp ace pw", ["sp ace pw", "ace"]),
    ("postgresql://user:p%40ssw0rd@127.0.0.1:1/db", ["p%40ssw0rd", "p@ssw0rd"]),
    ("postgres://u:p@ssw:rd@127.0.0.1:1/db", ["p@ssw:rd", "ssw:rd"]),
    ("postgresql://u:p%zzbad@127.0.0.1:1/db", ["p%zzbad"]),
    ("postgresql://u:secretpw@127.0.0.1:1/db?sslmode=disable&password=otherpw", ["secretpw", "otherpw"]),
    ("PG:host=127.0.0.1 port=1 dbname=x password=gdalpw", ["gdalpw"]),
    ("PG:host=127.0.0.1 port=1 dbname=x PASSWORD='gd al'", ["gd al"]),
]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "File 'PG:dbname=x password=secret1' does not exist.",
            "File 'PG:dbname=x password=***' does not exist.",
        ),
        ("'host=x password=a b' failed", "'host=x password=***' failed"),
        ("password=a b c dbname=x", "password=*** dbname=x"),
        ('password="x y" z=1', "password=*** z=1"),
        ("PGPASSWORD=topsecret", "PGPASSWORD=***"),
        ("File 'postgresql:/u:pw@h/db' does not exist", "File 'postgresql:/u:***@h/db' does not exist"),
        ("see postgresql://me@db/x", "see postgresql://me@db/x"),
    ],
)
def test_redaction_inside_messages(text, shown):
    assert redact_dsn(text) == shown


@pytest.mark.parametrize(("dsn", "secrets"), HOSTILE)
def test_redacted_connection_strings_hold_no_password(dsn, secrets):
    shown = redact_dsn(dsn)
    for s in secrets:
        assert s not in shown
    assert "***" in shown
    # the host stays readable, so that the officer sees which database it was
    assert "127.0.0.1" in shown or "@" in shown


@pytest.mark.parametrize(("dsn", "secrets"), HOSTILE)
def test_a_failed_ledger_connection_names_no_password(dsn, secrets):
    from landcoord.allocation.ledger import Ledger

    with pytest.raises(LandcoordError) as info:
        Ledger.open(dsn, timeout=2)
    text = str(info.value)
    for s in secrets:
        assert s not in text, text
    assert info.value.__cause__ is None or not any(s in str(info.value.__cause__) for s in secrets)


@pytest.mark.parametrize(("dsn", "secrets"), HOSTILE)
def test_a_failed_postgis_connection_names_no_password(dsn, secrets):
    from landcoord.allocation.io.postgis import connect, parse_pg_source

    if dsn.startswith("PG:"):
        source = f"{dsn}|table=public.parcels"
    elif "://" in dsn:
        source = dsn + ("&" if "?" in dsn else "?") + "table=public.parcels"
    else:
        source = f"PG:{dsn}|table=public.parcels"
    src = parse_pg_source(source)
    for s in secrets:
        assert s not in src.label
    with pytest.raises(LandcoordError) as info:
        connect(src)
    for s in secrets:
        assert s not in str(info.value), str(info.value)


@pytest.mark.parametrize(("dsn", "secrets"), HOSTILE[:6] + HOSTILE[9:])
def test_the_command_line_names_no_password(dsn, secrets, tmp_path):
    proc = _run("consent", "show", dsn)
    assert proc.returncode == 2 and "Cannot connect" in proc.stderr
    # argparse's usage error echoes the arguments it did not expect; two ledgers are refused naming both
    usage = _run("consent", "show", "extra-argument", dsn)
    ledgers = _run("consent", "fingerprint", dsn, "--ledger", "other.gpkg")
    assert usage.returncode == 2 and ledgers.returncode == 2 and "Two ledgers" in ledgers.stderr
    # a command that takes files only says the file does not exist, naming it without its password
    sample = ROOT / "sample" / "landcoord_sample.gpkg"
    boundary = f"{sample}|layername=projects"
    fields = ["--parcel-field", "宗地号", "--holder-field", "权利人"]
    files = _run("affected", "--boundary", boundary, "--cadastre", dsn, *fields, "--out", tmp_path / "a.gpkg")
    assert files.returncode == 2
    for p in (proc, usage, ledgers, files):
        for s in secrets:
            assert s not in p.stderr and s not in p.stdout, p.stderr


# -- connection strings under qgis_process: QGIS's own messages quote a source or sink as typed ----------

QGIS_PROCESS = "/usr/bin/qgis_process.bin"


def _qgis_env(home) -> dict:
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "MAKEFLAGS"):
        env.pop(var, None)
    env["LANDCOORD_LANG"] = "en"
    return env


@pytest.fixture(scope="module")
def qgis_home(tmp_path_factory):
    """A temporary HOME with landcoord installed by `make install` (never the user's profile)."""
    if not Path(QGIS_PROCESS).exists():
        pytest.skip("qgis_process.bin is not installed")
    home = tmp_path_factory.mktemp("home")
    proc = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "install"], env=_qgis_env(home), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return home


def _as_pg_source(dsn: str) -> str:
    if dsn.startswith("PG:"):
        return f"{dsn} table=projects"
    if "://" in dsn:
        return dsn
    return f"PG:{dsn} table=projects"


# (id, parameter the connection string is given to, how it is written)
QGIS_DSN_CASES = [
    (f"{where}-{i}", where, dsn, secrets)
    for where in ("BOUNDARY", "OUTPUT")
    for i, (dsn, secrets) in enumerate(HOSTILE)
]


@pytest.mark.parametrize(
    ("where", "dsn", "secrets"), [c[1:] for c in QGIS_DSN_CASES], ids=[c[0] for c in QGIS_DSN_CASES]
)
def test_qgis_process_names_no_password(qgis_home, tmp_path, where, dsn, secrets):
    """A PostgreSQL source or output that does not connect: qgis_process fails, and neither the
    check of the parameters nor the algorithm's error shows the password (``--json``: QGIS does
    not echo the parameters)."""
    import hashlib
    import shutil

    gpkg = tmp_path / "p.gpkg"
    shutil.copy(ROOT / "sample" / "landcoord_sample.gpkg", gpkg)
    before = hashlib.sha256(gpkg.read_bytes()).hexdigest()
    params = {
        "BOUNDARY": f"{gpkg}|layername=projects",
        "PROJECT_FIELD": "项目编号",
        "CADASTRE": f"{gpkg}|layername=parcels",
        "PARCEL_FIELD": "宗地号",
        "HOLDER_FIELD": "权利人",
        "OUTPUT": str(tmp_path / "out.gpkg"),
    }
    params[where] = _as_pg_source(dsn) if where == "BOUNDARY" else dsn
    args = [QGIS_PROCESS, "run", "landcoord:affectedarea", "--json", "--"]
    args += [f"{k}={v}" for k, v in params.items()]
    env = _qgis_env(qgis_home)
    proc = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text
    assert "Traceback" not in text
    assert "***" in text, text  # the message names the connection, password hidden
    for s in secrets:
        assert s not in text, text
    assert hashlib.sha256(gpkg.read_bytes()).hexdigest() == before
    assert not (tmp_path / "out.gpkg").exists()


def test_qgis_process_csv_outputs_hold_no_formula(qgis_home, tmp_path):
    """Processing outputs given as .csv are written by QGIS's CSV writer, which stores text as typed:
    landcoord escapes formula-like text in them as in its own CSVs (holder '=HYPERLINK(...)', project
    '+P2'), so a spreadsheet shows it as text."""
    import hashlib

    parcels = gpd.read_file(ROOT / "sample" / "landcoord_sample.gpkg", layer="parcels")
    projects = gpd.read_file(ROOT / "sample" / "landcoord_sample.gpkg", layer="projects")
    hostile = ['=HYPERLINK("http://x","c")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=2"]
    parcels["权利人"] = [hostile[i % len(hostile)] for i in range(len(parcels))]
    projects["项目编号"] = ["=P1()", "+P2"][: len(projects)]
    gpkg = tmp_path / "inj.gpkg"
    parcels.to_file(gpkg, layer="parcels")
    projects.to_file(gpkg, layer="projects")
    before = hashlib.sha256(gpkg.read_bytes()).hexdigest()
    params = {
        "BOUNDARY": f"{gpkg}|layername=projects",
        "PROJECT_FIELD": "项目编号",
        "CADASTRE": f"{gpkg}|layername=parcels",
        "PARCEL_FIELD": "宗地号",
        "HOLDER_FIELD": "权利人",
        "OUTPUT": str(tmp_path / "pieces.csv"),
        "SUMMARY": str(tmp_path / "summary.csv"),
    }
    args = [QGIS_PROCESS, "run", "landcoord:affectedarea", "--json", "--"]
    args += [f"{k}={v}" for k, v in params.items()]
    env = _qgis_env(qgis_home)
    proc = subprocess.run(args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert hashlib.sha256(gpkg.read_bytes()).hexdigest() == before
    seen = set()
    for name in ("pieces.csv", "summary.csv"):
        with open(tmp_path / name, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell[:1] and cell[:1] in "=+-@\t\r":
                        float(cell)  # only a number may start with '-' or '+'
                    seen.add(cell)
    assert "'=P1()" in seen and "'+P2" in seen and '\'=HYPERLINK("http://x","c")' in seen
