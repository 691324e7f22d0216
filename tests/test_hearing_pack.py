"""The hearing pack rendered by QGIS: pages, text, masking and figures, read back from the PDF.

The PDF is checked with poppler's tools: ``pdfinfo`` (pages, size), ``pdftotext`` (titles, tables,
masking) and ``pdftoppm`` (pages rendered to pixels are not blank).
"""

from __future__ import annotations

import re
import subprocess

import hearing_support as hs  # tests/ is on sys.path (conftest.py)
import numpy as np
import pytest

pytestmark = pytest.mark.usefixtures("qgis_app")


def _inputs(tmp_path, **kw):
    return hs.hearing_arguments(**{"chart": hs.chart(tmp_path / "chart.png"), "max_holders": 3, **kw})


def _pack(tmp_path, name="pack.pdf", pack_kw=None, **kw):
    from landcoord.allocation.hearing import hearing_data
    from landcoord.report.pack import write_hearing_pack

    _, _, _, result = hs.sample_frames()
    data = hearing_data(result.pieces, **_inputs(tmp_path, **kw))
    opts = dict(dpi=72, office="深圳市龙华区土地整备事务中心", date="2026-11-25")
    opts.update(pack_kw or {})
    out = write_hearing_pack(data, tmp_path / name, **opts)
    return data, out


def _page_pixels(pdf, tmp_path, res=12) -> list:
    """Each page as a grey-level array (pdftoppm, PGM)."""
    prefix = tmp_path / "px"
    subprocess.run(["pdftoppm", "-r", str(res), "-gray", str(pdf), str(prefix)], check=True)
    arrays = []
    for path in sorted(tmp_path.glob("px*.pgm")):
        data = path.read_bytes()
        m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        w, h = int(m.group(1)), int(m.group(2))
        arrays.append(np.frombuffer(data[m.end() : m.end() + w * h], dtype=np.uint8).reshape(h, w))
        path.unlink()
    return arrays


def _code_to_holder(result) -> dict:
    """Sheet codes recomputed from the affected-area summary: largest area first."""
    s = result.summary[result.summary["project"] == hs.PROJECT]
    s = s.assign(key=s.holder.astype(str)).sort_values(["affected_area", "key"], ascending=[False, True])
    return {f"H{i + 1:02d}": h for i, h in enumerate(s.holder)}


@pytest.fixture(scope="module")
def public_pack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("public")
    return _pack(tmp) + (tmp,)


def test_pages_sections_and_not_blank(public_pack):
    data, out, tmp = public_pack
    pages = hs.pdf_pages(out.pdf)
    assert pages == len(out.pages)
    # 1 overview sheet (+ continuation pages of its table), a sheet per holder (+ continuation
    # pages), one benefit sheet, one conflict sheet
    kinds = [p.kind for p in out.pages]
    assert kinds[0] == "overview"
    assert out.count("overview", continued=False) == 1
    assert [p.holder for p in out.pages if p.kind == "holder"] == ["H01", "H02", "H03"]
    assert out.count("benefit", continued=False) == 1 and out.count("conflicts", continued=False) == 1
    assert pages == 1 + out.count("overview", True) + out.count("holder") + out.count("benefit") + out.count(
        "conflicts"
    )
    info = subprocess.run(["pdfinfo", str(out.pdf)], capture_output=True, text=True, check=True).stdout
    assert "1191 x 842 pts (A3)" in info
    for img in _page_pixels(out.pdf, tmp):
        ink = (img < 200).mean()
        assert ink > 0.01, "a page is (nearly) blank"
        assert img.std() > 10


def test_titles_and_page_numbers(public_pack):
    data, out, _ = public_pack
    texts = hs.page_texts(out.pdf)
    n = len(texts)
    for i, (page, text) in enumerate(zip(out.pages, texts), start=1):
        assert f"{i} / {n}" in text
        assert "石岭片区土地整备利益统筹项目" in text and "LHTZ-2024-02" in text
        assert "深圳市龙华区土地整备事务中心" in text
        assert "EPSG:4547" in text
        assert "公开版" in text and "不得公开展示" not in text
        title = {
            "overview": "Hearing maps · Overview",
            "holder": "Rights-holder sheet",
            "benefit": "Benefit sharing",
            "conflicts": "Retained land and the control lines",
        }[page.parent]
        assert title in text
        if page.kind == "continued":
            assert "续 continued" in text
    assert re.search(r"比例尺 scale\s+1:[\d,]+", texts[0])


def test_overview_table_equals_the_affected_area(public_pack):
    data, out, _ = public_pack
    from landcoord.allocation.hearing import fmt_area, fmt_share

    _, _, _, result = hs.sample_frames()
    codes = _code_to_holder(result)
    summary = result.summary[result.summary["project"] == hs.PROJECT].set_index("holder", drop=False)
    pages = hs.page_texts(out.pdf, "-raw")
    overview = "\n".join(t for p, t in zip(out.pages, pages) if p.parent == "overview")
    for code, holder in codes.items():
        row = summary[summary.holder.isna()].iloc[0] if holder is None else summary.loc[holder]
        # the table row: code, holder, type (with how it is known), parcels, area, share, counted
        m = re.search(
            rf"^{code}\s+([\s\S]{{1,60}}?)\s+(个人 individual|单位 organisation|—)(?:（[^）]*）)?"
            r"\s+(\d+)\s+([\d,]+\.\d\d)\s+([\d.]+%)\s+([\d,]+\.\d\d)$",
            overview,
            re.M,
        )
        assert m, code
        assert m.group(3) == str(row.parcels)
        assert m.group(4) == fmt_area(row.affected_area)
        assert m.group(5) == fmt_share(row.project_share)
        assert m.group(6) == fmt_area(row.held_area)  # the land counted once (issue 19)
    assert fmt_area(summary.affected_area.sum()) in overview


def test_holder_sheets_list_their_pieces(public_pack):
    data, out, _ = public_pack
    from landcoord.allocation.hearing import fmt_area

    _, _, _, result = hs.sample_frames()
    codes = _code_to_holder(result)
    texts = hs.page_texts(out.pdf, "-raw")
    pieces = result.pieces[result.pieces["project"] == hs.PROJECT]
    for code in ("H01", "H02", "H03"):
        text = "\n".join(t for p, t in zip(out.pages, texts) if p.parent == "holder" and p.holder == code)
        mine = pieces[pieces.holder == codes[code]]
        assert len(mine) > 0
        for pid, area, status in zip(mine.parcel_id, mine.piece_area, mine.status):
            m = re.search(rf"^{pid}\s+(\S+)\s+([\d,]+\.\d\d)\s+([\d,]+\.\d\d)\s+([\d.]+%)$", text, re.M)
            assert m, pid
            assert m.group(1) == status and m.group(3) == fmt_area(area)
        assert fmt_area(mine.piece_area.sum()) in text  # the total row
        assert f"Rights-holder sheet {code}" in text


def test_benefit_and_conflict_pages(public_pack):
    data, out, _ = public_pack
    from landcoord.allocation.hearing import fmt_area

    _, _, _, result = hs.sample_frames()
    texts = hs.page_texts(out.pdf)
    benefit = "\n".join(t for p, t in zip(out.pages, texts) if p.parent == "benefit")
    scenarios = hs.scenario_parties()
    scenarios = scenarios[scenarios["project"] == hs.PROJECT]
    for money in scenarios.money:
        assert fmt_area(money) in benefit
    assert "未核实" in benefit and "not official" in benefit
    quota = hs.quota_trail()
    quota = quota[quota["project"] == hs.PROJECT]
    for v, unit in zip(quota.value, quota.unit):
        if unit == "m2":
            assert fmt_area(v) in benefit
    raw = hs.page_texts(out.pdf, "-raw")
    conflict = "\n".join(t for p, t in zip(out.pages, raw) if p.parent == "conflicts")
    conflicts, verdicts = hs.conflicts()
    conflicts = conflicts[conflicts.input_id == hs.PROJECT]
    assert len(conflicts) > 0
    for r in conflicts.itertuples():
        label = {"blocking": "禁止 blocking", "review": "需审查 review"}[r.severity]
        m = re.search(
            rf"^{r.input_id}\s+{r.kind}\s+{label}\s+{re.escape(fmt_area(r.conflict_area))}"
            r"\s+([\d.]+%)\s+(.+)$",
            conflict,
            re.M,
        )
        assert m, r.kind
        assert m.group(1) == f"{r.input_share:.2%}"
        # the rule starts on the row's line; a long rule wraps inside its cell
        assert r.rule.startswith(m.group(2).strip()) or m.group(2).startswith(r.rule)
        assert r.rule in re.sub(r"\s+", "", conflict)
    squeezed = re.sub(r"\s+", "", conflict)
    for source in conflicts.source:
        assert re.sub(r"\s+", "", source) in squeezed
    assert "不可行 blocked" in conflict
    # unverified figures are flagged in the footer of the pages that print them, and only there
    for p, t in zip(out.pages, texts):
        if p.parent == "overview":
            assert "not official" not in t
        if p.parent == "conflicts":  # the carved parcels' targets are example quota figures
            assert "not official" in t and "未核实" in t


def test_public_pdf_has_no_personal_data(public_pack):
    data, out, _ = public_pack
    _, parcels, _, _ = hs.sample_frames()
    raw = subprocess.run(["pdftotext", "-raw", str(out.pdf), "-"], capture_output=True, text=True).stdout
    text = hs.pdf_text(out.pdf) + raw
    squeezed = re.sub(r"\s+", "", text)
    people = parcels.loc[parcels["权利人类型"] == "个人", "权利人"].dropna().unique()
    assert len(people) > 500
    assert [n for n in people if n in text or n in squeezed] == []
    for col in ("身份证号", "联系电话"):
        numbers = parcels[col].dropna().astype(str).unique()
        assert [x for x in numbers if x in squeezed] == []
    # masked individuals of the sheets are there, surname first
    assert re.search(r"H\d\d\s+[\u4e00-\u9fff]{1,2}\*+", text)


def test_internal_pack_is_stamped_on_every_page(tmp_path):
    data, out = _pack(tmp_path, "internal.pdf", public=False, max_holders=2)
    _, parcels, _, result = hs.sample_frames()
    texts = hs.page_texts(out.pdf)
    assert len(texts) == len(out.pages)
    for t in texts:
        assert "INTERNAL — NOT FOR PUBLIC DISPLAY" in t and "内部资料" in t
    text = "\n".join(texts)
    # full names of the individuals in the overview, never an ID or phone number
    codes = _code_to_holder(result)
    people = set(parcels.loc[parcels["权利人类型"] == "个人", "权利人"].dropna())
    shown = [h for h in codes.values() if h in people]
    assert len(shown) > 10 and all(h in text for h in shown)
    squeezed = re.sub(r"\s+", "", text)
    for col in ("身份证号", "联系电话"):
        assert [x for x in parcels[col].dropna().astype(str).unique() if x in squeezed] == []


def test_a4_pngs_and_paper_size(tmp_path):
    data, out = _pack(tmp_path, pack_kw={"paper": "A4", "png_dir": tmp_path / "png"}, max_holders=1)
    info = subprocess.run(["pdfinfo", str(out.pdf)], capture_output=True, text=True, check=True).stdout
    assert "842 x 595 pts (A4)" in info
    assert len(out.pngs) == len(out.pages) == hs.pdf_pages(out.pdf)
    assert all(p.is_file() and p.stat().st_size > 5000 for p in out.pngs)
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == [p.name for p in out.pngs]


def test_only_the_overview_without_other_inputs(tmp_path):
    from landcoord.allocation.hearing import hearing_data
    from landcoord.report.pack import write_hearing_pack

    projects, parcels, _, result = hs.sample_frames()
    data = hearing_data(
        result.pieces, project="LHTZ-2024-01", boundary=projects, project_field="项目编号", max_holders=0
    )
    out = write_hearing_pack(data, tmp_path / "p.pdf", dpi=60)
    assert [p.parent for p in out.pages] == ["overview"] * len(out.pages)
    assert hs.pdf_pages(out.pdf) == len(out.pages) >= 2  # 88 holders: the table continues


def test_cjk_font_missing_is_a_clear_error():
    from landcoord.allocation.errors import OutputError
    from landcoord.report.fonts import require_cjk_font

    with pytest.raises(OutputError, match="fonts-noto-cjk"):
        require_cjk_font(["DejaVu Sans", "Liberation Serif"])
    assert require_cjk_font() in ("DejaVu Sans", "Noto Sans CJK SC")


def test_chinese_text_layer_is_searchable(public_pack):
    """Ideographs that Noto Sans CJK shares with radicals (龙, 长, 门 ...) extract as themselves."""
    data, out, _ = public_pack
    text = hs.pdf_text(out.pdf)
    assert "龙华区" in text  # 龙 would come out as the radical ⻰ without the fix
    assert not re.search("[\u2e80-\u2fdf]", text)


def test_cancel_leaves_nothing(tmp_path):
    from landcoord.allocation.feedback import Canceled, Feedback

    class StopAfter(Feedback):
        def __init__(self):
            self.n = 0

        def progress(self, percent):
            self.n += 1

        def is_canceled(self):
            return self.n >= 2

    target = tmp_path / "keep.pdf"
    target.write_bytes(b"%PDF-old")
    with pytest.raises(Canceled):
        _pack(tmp_path, "keep.pdf", pack_kw={"feedback": StopAfter(), "png_dir": tmp_path / "png"})
    assert target.read_bytes() == b"%PDF-old"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["chart.png", "keep.pdf", "png"]
    assert list((tmp_path / "png").iterdir()) == []


def test_user_template_replaces_the_look(tmp_path):
    """A template of one kind: the code fills its items by id; labels use the layout variables."""
    from qgis.core import QgsLayoutItemLabel, QgsPrintLayout, QgsProject, QgsReadWriteContext
    from qgis.PyQt.QtXml import QDomDocument

    from landcoord.report.pack import write_default_templates

    written = write_default_templates(tmp_path / "tpl")
    assert sorted(p.name for p in written) == [
        "benefit.qpt",
        "conflicts.qpt",
        "holder.qpt",
        "monitoring.qpt",
        "overview.qpt",
    ]
    # edit the holder template: drop the scenario table, add a label with expressions
    path = tmp_path / "tpl" / "holder.qpt"
    project = QgsProject()
    layout = QgsPrintLayout(project)
    doc = QDomDocument()
    doc.setContent(path.read_text(encoding="utf-8"))
    layout.loadFromTemplate(doc, QgsReadWriteContext(), True)
    frame = layout.itemById("table_scenarios")
    layout.removeMultiFrame(frame.multiFrame())
    label = QgsLayoutItemLabel(layout)
    label.setText('自定义 CUSTOM [% @landcoord_project_code %] sheet [% "code" %] of [% @landcoord_pages %]')
    label.setId("custom")
    layout.addLayoutItem(label)
    label.attemptResize(label.sizeWithUnits().__class__(150, 10))
    for p in (tmp_path / "tpl").glob("*.qpt"):
        if p.name not in ("holder.qpt",):
            p.unlink()
    assert layout.saveAsTemplate(str(path), QgsReadWriteContext())
    data, out = _pack(tmp_path, pack_kw={"templates": tmp_path / "tpl"}, max_holders=2)
    # one item missing: named in the singular ('has no item', not 'item(s)')
    assert any(
        "has no item table_scenarios: its content is left out (tables continue on continuation pages)." in w
        for w in out.warnings
    ), out.warnings
    texts = hs.page_texts(out.pdf)
    n = len(texts)
    holder_pages = [(p, t) for p, t in zip(out.pages, texts) if p.kind == "holder"]
    assert [p.holder for p, _ in holder_pages] == ["H01", "H02"]
    for p, t in holder_pages:
        assert f"自定义 CUSTOM LHTZ-2024-02 sheet {p.holder} of {n}" in t
    # the scenario rows went to continuation pages, none lost
    cont = "\n".join(t for p, t in zip(out.pages, texts) if p.parent == "holder")
    assert cont.count("Figures under each scenario") >= 2


# -- the consultation ledger's fingerprint code (校验码) in the pack ---------------------------------------
@pytest.fixture(scope="module")
def ledger_pack(tmp_path_factory):
    """The overview of a pack printed with the ledger of the project's GeoPackage (A4, no holder sheets)."""
    from landcoord.allocation.hearing import hearing_data
    from landcoord.report.pack import write_hearing_pack

    tmp = tmp_path_factory.mktemp("ledger")
    gpkg = hs.ledger_gpkg(tmp / "project.gpkg")
    projects, _, _, result = hs.sample_frames()
    data = hearing_data(
        result.pieces,
        project=hs.PROJECT,
        summary=result.summary,
        boundary=projects,
        project_field="项目编号",
        project_name_field="项目名称",
        max_holders=0,
        ledger=gpkg,
    )
    out = write_hearing_pack(data, tmp / "ledger.pdf", dpi=60, paper="A4", date="2026-11-25")
    return data, out, gpkg, tmp


def test_the_pack_prints_the_ledger_code_that_verifies(ledger_pack, capsys):
    from landcoord.allocation.hearing import shanghai_time
    from landcoord.allocation.ledger import Ledger
    from landcoord.cli import main

    data, out, gpkg, tmp = ledger_pack
    with Ledger.open(gpkg) as ledger:
        fp = ledger.fingerprint()
    texts = hs.page_texts(out.pdf)
    assert f"台账校验码 Ledger code：{fp.code}" in texts[0]  # on the overview sheet
    assert [i for i, t in enumerate(texts) if fp.code in t] == [0]
    when = shanghai_time(fp.last_changed_at)
    assert when.endswith(" +08:00") and f"审计记录 {fp.entries} 条，截至 {when}" in texts[0]
    # the code is in the document information too
    info = subprocess.run(["pdfinfo", str(out.pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Subject:.*{fp.code}$", info, re.M) and re.search(
        rf"^Keywords:.*{fp.code}", info, re.M
    )
    # whoever reads the code off the pack can verify the ledger with it
    code = re.search(r"LC1-[\d\-A-F]+", texts[0]).group(0)
    capsys.readouterr()
    assert main(["consent", "verify", str(gpkg), "--code", code]) == 0
    assert f"{fp.entries} audit entries are unchanged since code {fp.code}" in capsys.readouterr().out


def test_the_printed_consent_rates_are_the_ledgers(ledger_pack):
    from landcoord.allocation.hearing import fmt_area, fmt_share
    from landcoord.allocation.ledger import Ledger

    data, out, gpkg, _ = ledger_pack
    _, _, _, result = hs.sample_frames()
    with Ledger.open(gpkg) as ledger:
        progress = ledger.progress(result.pieces, projects=[hs.PROJECT]).projects
    [row] = progress.to_dict("records")
    assert 0 < row["consented"] < row["holders"]
    assert row["consent_rate"] != row["area_consent_rate"]  # by holders and by area differ here
    overview = hs.page_texts(out.pdf)[0]
    assert (
        f"按权利人 by holders：{row['consented']} / {row['holders']}（{fmt_share(row['consent_rate'])}）"
        in overview
    )
    assert (
        f"按受影响面积 by affected area：{fmt_area(row['area_consented'])} / {fmt_area(row['area'])} m²"
        f"（{fmt_share(row['area_consent_rate'])}）" in overview
    )
    # aggregates only: the block names nobody, in either version
    _, parcels, _, _ = hs.sample_frames()
    names = set(parcels["权利人"].dropna()) | set(parcels["身份证号"].dropna().astype(str))
    block = data.ledger.text
    assert [n for n in names if n in block] == []
    people = parcels.loc[parcels["权利人类型"] == "个人", "权利人"].dropna().unique()
    assert [n for n in people if n in overview] == []


def test_without_a_ledger_the_pack_has_no_ledger_block(public_pack):
    from landcoord.report import layout as lo

    data, out, _ = public_pack
    assert data.ledger is None
    text = hs.pdf_text(out.pdf)
    assert "台账校验码" not in text and "LC1-" not in text
    info = subprocess.run(["pdfinfo", str(out.pdf)], capture_output=True, text=True, check=True).stdout
    assert "Subject:" not in info and "Keywords:" not in info
    # the default overview is laid out as before: no ledger label, the table where it was
    plain = lo.build_sheet("overview", "A3", "Noto Sans CJK SC")
    with_ledger = lo.build_sheet("overview", "A3", "Noto Sans CJK SC", ledger=True)
    assert "ledger" not in plain.items and "ledger" in with_ledger.items
    (region, _), (region2, _) = plain.stacks[0], with_ledger.stacks[0]
    assert region[1] == pytest.approx(32.0 + 90.0) and region2[1] > region[1]
