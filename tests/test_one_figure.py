"""One figure everywhere (issue 19): the same project land, per-holder land and measuring statement in
every output of one project run, and in the hearing PDF as pdftotext reads it.

The project-land figures have one meaning each (see ``allocation/affected.py``):

- boundary area: the project boundary, measured in the run's one CRS;
- covered area: boundary - gaps, the land the parcels cover counted once; it is the sum of the
  pieces' ``held_area`` (land claimed by two parcels split equally between them) and THE project
  land of the quota, the benefit scenarios, consent by area and the hearing pack;
- claimed area: the sum of the pieces' ``piece_area`` (double claims included), shown as such.

Two chains: the sample through the real command line (``landcoord demo``: affected, conflicts,
quota, scenarios, carving, consent, hearing PDF), and a real cadastre (Paris 18e, Etalab, in
EPSG:4326) with a project boundary drawn in Lambert-93 (EPSG:2154), through the core functions and
the hearing-pack writer.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

ROOT = Path(__file__).resolve().parent.parent
LANDCOORD = Path(sys.executable).parent / "landcoord"
REL = 1e-9


def _flat(text: str) -> str:
    """Text with every run of white space as one space (pdftotext wraps table cells)."""
    return " ".join(text.split())


def _pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _fmt(a: float) -> str:
    from landcoord.allocation.hearing import fmt_area

    return fmt_area(a)


# --- the sample, through the whole command line ------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("one_figure") / "demo"
    proc = subprocess.run(
        [str(LANDCOORD), "demo", "--out", str(out)], capture_output=True, text=True, env=_env()
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stdout + proc.stderr


def _env():
    import os

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["LANDCOORD_LANG"] = "en"
    return env


def _layer(path, name) -> pd.DataFrame:
    return pyogrio.read_dataframe(path, layer=name, read_geometry=False)


def test_sample_chain_one_project_land_in_every_output(demo):
    out, log = demo
    rec = _layer(out / "affected.gpkg", "reconciliation").set_index("project")
    pieces = _layer(out / "affected.gpkg", "pieces")
    trail = _layer(out / "quota.gpkg", "quota_trail")
    qsum = _layer(out / "quota.gpkg", "quota_summary")
    srec = _layer(out / "benefits.gpkg", "scenario_reconciliation")
    consent = pd.read_csv(out / "consent_progress.csv").set_index("project")
    assert len(rec) == 2
    for p, r in rec.iterrows():
        covered = float(r.covered_area)
        # the one figure has its meaning: boundary = covered + gaps; claimed - covered = double claims
        assert r.project_area == pytest.approx(covered + r.gap_area, rel=1e-9)
        assert r.claimed_area - covered == pytest.approx(r.double_claimed_area, rel=1e-9, abs=1e-9)
        assert r.double_claimed_area > 0  # the sample has double claims: the figures really differ
        mine = pieces[pieces.project == p]
        assert mine.held_area.sum() == pytest.approx(covered, rel=REL)
        assert mine.piece_area.sum() == pytest.approx(r.claimed_area, rel=REL)
        # quota: project land and the communities' land
        t = trail[(trail.project == p) & (trail.quantity == "project_area")]
        assert len(t) and np.allclose(t.value.astype(float), covered, rtol=REL)
        assert qsum[qsum.project == p].land_area.sum() == pytest.approx(covered, rel=REL)
        # scenarios: every scenario hands out exactly the covered land, no more
        s = srec[srec.project == p]
        assert len(s) == 3
        assert np.allclose(s.project_land, covered, rtol=REL) and np.allclose(
            s.land_received, covered, rtol=REL
        )
        # consent by area
        assert consent.loc[p, "area"] == pytest.approx(covered, rel=REL)


def test_sample_chain_per_holder_land_is_the_same_in_scenarios_and_summary(demo):
    out, _ = demo
    summary = _layer(out / "affected.gpkg", "summary")
    lines = _layer(out / "benefits.gpkg", "scenario_lines")
    # every holder's land compensated under each scenario is its land counted once (held_area)
    held = summary.assign(holder=summary.holder.fillna("(no holder)"))
    held = held.groupby(["project", "holder"]).held_area.sum()
    land = lines[(lines.payee_type == "holder") & lines.basis.str.startswith("land:")]
    assert set(land.unit) == {"m2"}
    for sc, g in land.groupby("scenario"):
        got = g.groupby(["project", "payee"]).quantity.sum()
        assert set(got.index) == set(held.index), sc
        assert np.allclose(got.loc[held.index].to_numpy(), held.to_numpy(), rtol=REL), sc


def test_sample_chain_states_one_crs_and_method_everywhere(demo):
    out, log = demo
    rec = _layer(out / "affected.gpkg", "reconciliation")
    statements = set(rec.measured)
    assert statements == {"planar areas in EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)"}
    [statement] = statements
    # every step of the run names the same CRS and no other
    assert set(re.findall(r"EPSG:\d+", log)) == {"EPSG:4547"}
    trail = _layer(out / "quota.gpkg", "quota_trail")
    notes = trail[trail.quantity.isin(["project_area", "land_area"])].note
    assert len(notes) and all(n.endswith(statement) for n in notes)
    pdfs = sorted(out.glob("hearing_*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        text = _flat(_pdf_text(pdf))
        assert text.count(_flat(statement)) >= 2  # the title block of every sheet, and the overview note


def test_sample_hearing_pdf_prints_the_same_figures(demo):
    out, _ = demo
    rec = _layer(out / "affected.gpkg", "reconciliation").set_index("project")
    summary = _layer(out / "affected.gpkg", "summary")
    for p, r in rec.iterrows():
        pages = _pdf_text(out / f"hearing_{p}.pdf").split("\f")
        # the overview's subtitle: boundary = covered + gaps; its total row: claimed and counted once
        assert (
            f"范围 boundary {_fmt(r.project_area)} m² = 覆盖 covered {_fmt(r.covered_area)} m² "
            f"+ 缺口 gaps {_fmt(r.gap_area)} m²" in _flat(pages[0])
        )
        # the total row: the claimed area and the land counted once (= covered), read in print order
        raw = _flat(
            subprocess.run(
                ["pdftotext", "-raw", str(out / f"hearing_{p}.pdf"), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        assert re.search(
            rf"合计 total \d+ 权利人 holders \d+ {re.escape(_fmt(r.claimed_area))} [\d.]+ ?% "
            rf"{re.escape(_fmt(r.covered_area))}",
            raw,
        )
        # every holder's land counted once is printed (the counted column)
        mine = summary[summary.project == p]
        whole = _flat("\n".join(pages))
        for a in mine.held_area:
            assert _fmt(a) in whole


# --- a real cadastre in degrees, a boundary in Lambert-93 ---------------------------------------------


@pytest.fixture(scope="module")
def paris(shared_data, tmp_path_factory):
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer, write_layers

    src = shared_data / "real" / "fr-etalab-paris18-epinay" / "cadastre-75118-parcelles.json"
    if not src.exists():
        pytest.skip(f"real cadastre not found: {src}")
    parcels = read_layer(str(src))
    parcels["statut"] = "房地产证"  # French parcels carry no Chinese legal status; one for the quota
    assert parcels.crs.to_epsg() == 4326
    # a project drawn in Lambert-93 over the middle of the arrondissement, about 600 m x 450 m
    c = parcels.to_crs(2154).union_all().centroid
    boundary = gpd.GeoDataFrame(
        {"code": ["P18"]},
        geometry=[shapely.box(c.x - 300, c.y - 225, c.x + 300, c.y + 225)],
        crs=2154,
    )
    boundary.attrs["name"] = "projects"
    tmp = tmp_path_factory.mktemp("paris")
    aff = affected_area(
        boundary,
        parcels,
        parcel_field="id",
        holder_field="section",
        status_field="statut",
        project_field="code",
    )
    write_layers(tmp / "affected.gpkg", aff.layers())
    pieces = read_layer(f"{tmp / 'affected.gpkg'}|layername=pieces")
    return boundary, parcels, aff, pieces, tmp


def test_real_cadastre_is_measured_in_the_boundary_crs(paris):
    boundary, _, aff, pieces, _ = paris
    assert aff.measure.label == "EPSG:2154"
    assert pieces.crs.to_epsg() == 2154
    rec = aff.reconciliation.iloc[0]
    # the boundary's own area in its own CRS, not shrunk by a UTM scale factor
    assert rec.project_area == pytest.approx(float(boundary.area.iloc[0]), rel=1e-12)
    assert rec.measured == "planar areas in EPSG:2154 (RGF93 v1 / Lambert-93)"
    # Lambert-93 at 48.9°N: planar and ellipsoidal differ by more than 0.01 % and the officer is told
    assert any("differs from the ellipsoidal area" in w for w in aff.warnings)


def test_real_cadastre_chain_one_project_land(paris):
    from landcoord.allocation.carve import carve_retained
    from landcoord.allocation.ledger import consent_progress
    from landcoord.allocation.quota import retained_quota
    from landcoord.allocation.rules import RULES_DIR
    from landcoord.allocation.scenarios import benefit_scenarios

    boundary, _, aff, pieces, _ = paris
    rec = aff.reconciliation.iloc[0]
    covered = float(rec.covered_area)
    assert pieces.held_area.sum() == pytest.approx(covered, rel=REL)
    # no buildings or zoning for Paris: the two measures they give are given as officer inputs
    q = retained_quota(
        pieces, "shenzhen_example", given={"existing_far": 1.5, "uncompensated_block": 10000.0}
    )
    t = q.trail[q.trail.quantity == "project_area"]
    assert np.allclose(t.value.astype(float), covered, rtol=REL)
    assert q.summary.land_area.sum() == pytest.approx(covered, rel=REL)
    assert t.note.iloc[0].endswith(rec.measured)
    r = benefit_scenarios(pieces, q.trail, RULES_DIR / "scenarios" / "example_sample_scenarios.toml")
    assert np.allclose(r.reconciliation.project_land, covered, rtol=REL)
    assert np.allclose(r.reconciliation.land_received, covered, rtol=REL)
    land = r.lines[(r.lines.payee_type == "holder") & r.lines.basis.str.startswith("land:")]
    held = aff.summary.set_index("holder").held_area
    for _, g in land.groupby("scenario"):
        got = g.groupby("payee").quantity.sum()
        assert np.allclose(got.loc[held.index].to_numpy(), held.to_numpy(), rtol=REL)
    consent = pd.DataFrame({"project": [], "holder": [], "status": []}, dtype=object)
    prog = consent_progress(consent, pieces)
    assert prog.projects.area.iloc[0] == pytest.approx(covered, rel=REL)
    # carving measures in the same CRS
    carved = carve_retained(
        boundary, pd.DataFrame({"community": ["A"], "target_area": [5000.0]}), min_width=20
    )
    assert carved.measure.label == aff.measure.label


def test_real_cadastre_hearing_pdf(paris, qgis_app):
    from landcoord.allocation.hearing import hearing_data
    from landcoord.report.pack import write_hearing_pack

    boundary, parcels, aff, pieces, tmp = paris
    rec = aff.reconciliation.iloc[0]
    data = hearing_data(pieces, boundary=boundary, project_field="code", max_holders=2)
    assert data.measured == rec.measured
    assert data.land["covered_area"] == pytest.approx(rec.covered_area, rel=REL)
    assert data.land["boundary_area"] == pytest.approx(rec.project_area, rel=1e-9)
    out = write_hearing_pack(data, tmp / "hearing_P18.pdf")
    text = _flat(_pdf_text(out.pdf))
    assert text.count(_flat(rec.measured)) >= 2
    assert (
        f"范围 boundary {_fmt(rec.project_area)} m² = 覆盖 covered {_fmt(rec.covered_area)} m² "
        f"+ 缺口 gaps {_fmt(rec.gap_area)} m²" in text
    )
    for a in aff.summary.held_area:
        assert _fmt(a) in text
