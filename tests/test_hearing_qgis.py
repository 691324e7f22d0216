"""``landcoord:hearingmaps`` through ``processing.run`` on GeoPackage layers, as a user runs it."""

from __future__ import annotations

import re

import hearing_support as hs  # tests/ is on sys.path (conftest.py)
import pytest

from landcoord.allocation.hearing import fmt_area
from landcoord.allocation.io.files import write_layers


def _steps_gpkg(tmp_path):
    """The other steps' outputs as files: quota trail and scenario parties (real), carved land and
    conflicts (stand-ins), and the chart."""
    _, _, controls, result = hs.sample_frames()
    retained = hs.retained()
    conflicts, verdicts = hs.conflicts()
    path = tmp_path / "steps.gpkg"
    write_layers(
        path,
        {
            "quota_trail": hs.quota_trail(),
            "scenario_parties": hs.scenario_parties(),
            "retained": retained,
            "conflicts": conflicts,
            "verdicts": verdicts,
        },
    )
    return path, hs.chart(tmp_path / "chart.png")


def _params(sample_gpkg, tmp_path, **kw):
    steps, chart = _steps_gpkg(tmp_path)
    p = {
        "BOUNDARY": f"{sample_gpkg}|layername=projects",
        "PROJECT_FIELD": "项目编号",
        "PROJECT": hs.PROJECT,
        "PROJECT_NAME_FIELD": "项目名称",
        "CADASTRE": f"{sample_gpkg}|layername=parcels",
        "PARCEL_FIELD": "宗地号",
        "HOLDER_FIELD": "权利人",
        "HOLDER_TYPE_FIELD": "权利人类型",
        "STATUS_FIELD": "用地状态",
        "CONTROLS": f"{sample_gpkg}|layername=controls",
        "CONTROL_KIND_FIELD": "类型",
        "CONTROL_NAME_FIELD": "名称",
        "RETAINED": f"{steps}|layername=retained",
        "CONFLICTS": f"{steps}|layername=conflicts",
        "CONFLICT_SUMMARY": f"{steps}|layername=verdicts",
        "QUOTA_TRAIL": f"{steps}|layername=quota_trail",
        "SCENARIOS": f"{steps}|layername=scenario_parties",
        "CHART": str(chart),
        "OFFICE": "深圳市龙华区土地整备事务中心",
        "DATE": "2026-11-25",
        "PAPER": 0,
        "DPI": 60,
        "MAX_HOLDERS": 2,
        "OUTPUT": str(tmp_path / "hearing.pdf"),
    }
    p.update(kw)
    return p


def test_hearingmaps_writes_the_pack(run_alg, sample_gpkg, tmp_path):
    res = run_alg("landcoord:hearingmaps", _params(sample_gpkg, tmp_path, PNG=True))
    pdf = tmp_path / "hearing.pdf"
    assert res["OUTPUT"] == str(pdf)
    assert res["PAGES"] == hs.pdf_pages(pdf)
    texts = hs.page_texts(pdf)
    assert "Hearing maps · Overview" in texts[0]
    holder_sheets = [t for t in texts if "Rights-holder sheet H0" in t and "续" not in t.split("\n")[0]]
    assert len(holder_sheets) == 2
    assert "Benefit sharing" in "\n".join(texts) and "Retained land and the control lines" in texts[-1]
    pngs = sorted((tmp_path / "hearing_png").glob("*.png"))
    assert len(pngs) == res["PAGES"]
    # the same privacy and figures as the core: masked individuals, the affected area per holder
    _, parcels, _, result = hs.sample_frames()
    text = "\n".join(texts)
    people = parcels.loc[parcels["权利人类型"] == "个人", "权利人"].dropna().unique()
    assert [n for n in people if n in text] == []
    assert [x for x in parcels["身份证号"].dropna().unique() if x in text] == []
    summary = result.summary[result.summary["project"] == hs.PROJECT]
    for area in summary.affected_area:
        assert fmt_area(area) in text
    assert "未核实" in text


def test_pieces_from_affectedarea_give_the_same_overview(run_alg, sample_gpkg, tmp_path):
    aff = run_alg(
        "landcoord:affectedarea",
        {
            "BOUNDARY": f"{sample_gpkg}|layername=projects",
            "PROJECT_FIELD": "项目编号",
            "CADASTRE": f"{sample_gpkg}|layername=parcels",
            "PARCEL_FIELD": "宗地号",
            "HOLDER_FIELD": "权利人",
            "STATUS_FIELD": "用地状态",
            "OUTPUT": str(tmp_path / "pieces.gpkg"),
        },
    )
    base = {k: v for k, v in _params(sample_gpkg, tmp_path).items() if k in _MINIMAL}
    computed = run_alg("landcoord:hearingmaps", {**base, "OUTPUT": str(tmp_path / "a.pdf")})
    given = run_alg(
        "landcoord:hearingmaps", {**base, "PIECES": aff["OUTPUT"], "OUTPUT": str(tmp_path / "b.pdf")}
    )
    a = hs.pdf_text(computed["OUTPUT"], "-raw")
    b = hs.pdf_text(given["OUTPUT"], "-raw")
    assert computed["PAGES"] == given["PAGES"]
    rows = re.compile(r"^H\d\d .*\d[%]?$", re.M)  # holder rows (they end in a share or the counted m²)
    assert rows.findall(a) == rows.findall(b) and len(rows.findall(a)) > 20


_MINIMAL = (
    "BOUNDARY",
    "PROJECT_FIELD",
    "PROJECT",
    "PROJECT_NAME_FIELD",
    "CADASTRE",
    "PARCEL_FIELD",
    "HOLDER_FIELD",
    "HOLDER_TYPE_FIELD",
    "STATUS_FIELD",
    "DPI",
    "MAX_HOLDERS",
)


def test_bad_input_is_a_clear_processing_error(run_alg, sample_gpkg, tmp_path):
    from qgis.core import QgsProcessingException

    base = {k: v for k, v in _params(sample_gpkg, tmp_path).items() if k in _MINIMAL}
    with pytest.raises(QgsProcessingException, match="Project 'NOPE' is not in layer"):
        run_alg("landcoord:hearingmaps", {**base, "PROJECT": "NOPE", "OUTPUT": str(tmp_path / "x.pdf")})
    assert not (tmp_path / "x.pdf").exists()


def test_hearingmaps_prints_the_ledger_code(run_alg, tmp_path):
    """The common case: the project's data and its ledger in one GeoPackage, given as LEDGER too."""
    from landcoord.allocation.ledger import Ledger

    gpkg = hs.ledger_gpkg(tmp_path / "project.gpkg")
    params = {k: v for k, v in _params(gpkg, tmp_path).items() if k in _MINIMAL}
    params.update(MAX_HOLDERS=1, LEDGER=str(gpkg), OUTPUT=str(tmp_path / "ledger.pdf"))
    res = run_alg("landcoord:hearingmaps", params)
    with Ledger.open(gpkg) as ledger:
        fp = ledger.fingerprint()
        row = ledger.progress(hs.sample_frames()[3].pieces, projects=[hs.PROJECT]).projects.iloc[0]
    assert res["FINGERPRINT"] == fp.code
    overview = hs.page_texts(res["OUTPUT"])[0]
    assert f"台账校验码 Ledger code：{fp.code}" in overview
    assert f"{row.consented} / {row.holders}（{row.consent_rate:.2%}）" in overview
    # a file that holds no ledger: a clear error naming it, nothing written
    from qgis.core import QgsProcessingException

    params.update(LEDGER=str(hs.SAMPLE), OUTPUT=str(tmp_path / "x.pdf"))
    with pytest.raises(QgsProcessingException, match="has no consultation ledger") as err:
        run_alg("landcoord:hearingmaps", params)
    assert str(hs.SAMPLE) in str(err.value)
    assert not (tmp_path / "x.pdf").exists()


def test_every_parameter_has_help(landcoord_provider):
    alg = landcoord_provider.algorithm("hearingmaps")
    assert alg is not None
    for p in alg.parameterDefinitions():
        assert p.help(), p.name()
    assert alg.flags() & alg.FlagNoThreading


@pytest.mark.qgis_process
def test_qgis_process_runs_hearingmaps(sample_gpkg, tmp_path):
    """A real qgis_process.bin (QGIS's own GEOS, GDAL and PROJ loaded) with landcoord installed by
    `make install` into a temporary profile."""
    import json
    import os
    import subprocess
    from pathlib import Path

    exe = "/usr/bin/qgis_process.bin"
    if not Path(exe).exists():
        pytest.skip("qgis_process.bin is not installed")
    root = Path(__file__).resolve().parent.parent
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "MAKEFLAGS"):
        env.pop(var, None)
    proc = subprocess.run(["make", "-s", "-C", str(root), "install"], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    params = {k: v for k, v in _params(sample_gpkg, tmp_path).items() if k in _MINIMAL}
    params.update(OUTPUT=str(tmp_path / "qp.pdf"), INTERNAL="true", MAX_HOLDERS="1")
    args = [f"{k}={v}" for k, v in params.items()]
    proc = subprocess.run(
        [exe, "run", "landcoord:hearingmaps", "--json", "--", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(proc.stdout)["results"]
    pdf = tmp_path / "qp.pdf"
    assert int(results["PAGES"]) == hs.pdf_pages(pdf) >= 3
    texts = hs.page_texts(pdf)
    assert all("INTERNAL — NOT FOR PUBLIC DISPLAY" in t for t in texts)
    assert "Rights-holder sheet H01" in "\n".join(texts)
