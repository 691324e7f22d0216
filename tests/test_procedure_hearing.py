"""The hearing pack prints the project's stage history and its public notices (issue 21), checked in
the PDF with pdftotext."""

from __future__ import annotations

import hearing_support as hs


def test_the_pack_prints_the_stage_history_and_the_notice(tmp_path):
    from landcoord.allocation import notice as nt
    from landcoord.allocation import procedure as pr
    from landcoord.allocation.io.files import write_layers
    from landcoord.allocation.ledger import Ledger
    from landcoord.cli import main

    gpkg = hs.ledger_gpkg(tmp_path / "project.gpkg")
    proc = pr.load_procedure()
    with Ledger.open(gpkg, officer="王科长") as ledger:
        pr.advance(ledger, proc, hs.PROJECT, approved_by="李处长", moved_on="2026-09-01")
        pr.advance(ledger, proc, hs.PROJECT, approved_by="李处长", moved_on="2026-09-15")
        pr.advance(ledger, proc, hs.PROJECT, approved_by="李处长", moved_on="2026-10-01", force_reason="测试")
        nid = nt.open_notice(ledger, hs.PROJECT, "方案公示", "2026-10-10", 7, place="社区公告栏")
        a = nt.add_objection(ledger, nid, "张三", "面积少算", "2026-10-11")
        nt.add_objection(ledger, nid, "李四", "位置", "2026-10-12")
        nt.answer_objection(ledger, a, "已复核", "2026-10-13")
    _, _, _, result = hs.sample_frames()
    write_layers(tmp_path / "affected.gpkg", result.layers())
    args = ["hearing", "--gpkg", str(gpkg), "--project", hs.PROJECT,
            "--affected", str(tmp_path / "affected.gpkg"), "--max-holders", "0", "--dpi", "50",
            "--paper", "A4", "--ledger", str(gpkg), "--out", str(tmp_path / "h.pdf")]  # fmt: skip
    assert main(args) == 0
    first = hs.page_texts(tmp_path / "h.pdf")[0]
    flat = " ".join(first.split())
    assert "阶段记录 stage history" in flat
    assert "计划立项 2026-09-01" in flat and "现状调查/权属核查 2026-09-15" in flat
    assert "方案编制 2026-10-01（强制 forced）" in flat
    assert "公示 notice：2026-10-10 至 2026-10-16，公示中 open" in flat
    assert "异议 objections：2 条，已答复 answered 1 条" in flat
