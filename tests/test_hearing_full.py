"""The whole hearing pack of one sample project, every holder, as ``landcoord demo`` writes it."""

from __future__ import annotations

import re
import subprocess

import hearing_support as hs  # tests/ is on sys.path (conftest.py)
import numpy as np
import pytest

from landcoord.allocation.hearing import fmt_area


@pytest.mark.slow
@pytest.mark.usefixtures("qgis_app")
def test_full_pack_of_one_project(tmp_path, sample_gpkg, capsys):
    from landcoord.cli.hearing import demo_step

    _, parcels, controls, result = hs.sample_frames()
    retained = hs.retained()
    conflicts, verdicts = hs.conflicts()
    [pdf] = demo_step(
        sample_gpkg,
        result.pieces,
        tmp_path,
        summary=result.summary,
        quota_trail=hs.quota_trail(),
        scenarios=hs.scenario_parties(),
        chart=hs.chart(tmp_path / "benefits.png"),
        retained=retained,
        conflicts=conflicts,
        conflict_summary=verdicts,
        projects=[hs.PROJECT],
        dpi=72,
    )
    printed = capsys.readouterr().out
    assert pdf == tmp_path / f"hearing_{hs.PROJECT}.pdf"
    summary = result.summary[result.summary["project"] == hs.PROJECT]
    n_holders = len(summary)
    assert f"{n_holders} of {n_holders} holders have a sheet" in printed

    pages = hs.pdf_pages(pdf)
    texts = hs.page_texts(pdf, "-raw")
    assert len(texts) == pages
    heads = [t.split("\n", 1)[0] for t in texts]
    overview = [h for h in heads if "Overview" in h]
    sheets = [h for h in heads if re.match(r"权利人图则 Rights-holder sheet H\d\d$", h)]
    holder_cont = [h for h in heads if "Rights-holder sheet" in h and "续" in h]
    benefit = [h for h in heads if "Benefit sharing" in h]
    conflict = [h for h in heads if "Retained land and the control lines" in h]
    # 1 overview (+ its continuation) + one sheet per holder (+ theirs) + benefit + conflict pages
    assert len(sheets) == n_holders
    assert pages == len(overview) + len(sheets) + len(holder_cont) + len(benefit) + len(conflict)
    assert heads[0].endswith("Overview") and len(conflict) == 1
    assert printed.count("written:") == 1 and f"{pages} pages" in printed

    # every page has ink
    subprocess.run(["pdftoppm", "-r", "8", "-gray", str(pdf), str(tmp_path / "px")], check=True)
    pgms = sorted(tmp_path.glob("px*.pgm"))
    assert len(pgms) == pages
    for path in pgms:
        data = path.read_bytes()
        m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        img = np.frombuffer(data[m.end() :], dtype=np.uint8)
        assert (img < 200).mean() > 0.01, path.name

    # every holder's sheet ends with its total, equal to the affected-area summary
    text = "\n".join(texts)
    for area in summary.affected_area:
        assert fmt_area(area) in text
    people = parcels.loc[parcels["权利人类型"] == "个人", "权利人"].dropna().unique()
    squeezed = re.sub(r"\s+", "", text)
    assert [n for n in people if n in squeezed] == []
    for col in ("身份证号", "联系电话"):
        assert [x for x in parcels[col].dropna().unique() if x in squeezed] == []
