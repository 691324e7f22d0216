"""The core's messages reach the officer in Chinese: command line, core calls and QGIS.

The catalogs themselves are checked in ``test_i18n_core.py``; these tests run the real entry points
with the language set the way an officer sets it (``--lang``, ``LANG``, QGIS's locale).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from landcoord.allocation import i18n

LANDCOORD = Path(sys.executable).parent / "landcoord"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _cli(args, env_lang=None):
    env = dict(os.environ)
    if env_lang is not None:
        env["LANDCOORD_LANG"] = env_lang
    return subprocess.run(
        [str(LANDCOORD), *map(str, args)], capture_output=True, text=True, timeout=300, env=env
    )


def _affected_args(sample_gpkg, out, holder="业主"):
    return [
        "affected",
        "--boundary", f"{sample_gpkg}|layername=projects",
        "--cadastre", f"{sample_gpkg}|layername=parcels",
        "--parcel-field", "宗地号",
        "--holder-field", holder,
        "--out", out,
    ]  # fmt: skip


@pytest.mark.parametrize("how", ["option", "environment"])
def test_cli_error_in_chinese(sample_gpkg, tmp_path, how):
    out = tmp_path / "out.gpkg"
    if how == "option":
        proc = _cli(["--lang", "zh_CN", *_affected_args(sample_gpkg, out)])
    else:
        proc = _cli(_affected_args(sample_gpkg, out), env_lang="zh_CN.UTF-8")
    assert proc.returncode == 2, proc.stderr
    assert "字段“业主”不存在" in proc.stderr, proc.stderr
    assert "宗地号" in proc.stderr  # the fields that are there are listed
    assert not out.exists()


def test_cli_english_by_default(sample_gpkg, tmp_path):
    proc = _cli(_affected_args(sample_gpkg, tmp_path / "out.gpkg"), env_lang="C.UTF-8")
    assert proc.returncode == 2
    assert "field '业主' does not exist" in proc.stderr, proc.stderr


def test_cli_warnings_in_chinese(sample_gpkg, tmp_path):
    """A whole run in Chinese: its warnings and notes are Chinese, its output fields stay as named."""
    parcels = gpd.read_file(sample_gpkg, layer="parcels")
    parcels.loc[parcels.index[:3], "权利人"] = None  # holders missing: a warning names the parcels
    cad = tmp_path / "cad.gpkg"
    parcels.to_file(cad, layer="parcels")
    out = tmp_path / "out.gpkg"
    args = _affected_args(sample_gpkg, out, holder="权利人")
    args[args.index("--cadastre") + 1] = f"{cad}|layername=parcels"
    proc = _cli(["--lang", "zh_CN", *args])
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines, "the run printed nothing"
    english = [ln for ln in lines if re.search(r"\b(the|of|and|is|are)\b", ln)]
    assert not english, f"English left in a Chinese run: {english}"
    assert any(CJK.search(ln) and "权利人" in ln for ln in lines), lines
    fields = gpd.read_file(out, layer="summary").columns
    assert {"project", "holder", "affected_area"} <= set(fields)  # data names are not translated


def test_core_messages_follow_the_language():
    from landcoord.allocation.affected import affected_area

    cad = gpd.GeoDataFrame(
        {"pid": ["A", "B"], "owner": ["甲", None]},
        # near the zone's central meridian (EPSG:4547 false easting 500 km), where planar = ellipsoidal
        geometry=[
            shapely.box(500_000, 2_500_000, 500_010, 2_500_010),
            shapely.box(500_010, 2_500_000, 500_020, 2_500_010),
        ],
        crs=4547,
    )
    bnd = gpd.GeoDataFrame(
        {"code": ["P"]}, geometry=[shapely.box(500_000, 2_500_000, 500_020, 2_500_010)], crs=4547
    )
    try:
        i18n.set_language("zh_CN")
        zh = affected_area(bnd, cad, parcel_field="pid", holder_field="owner").warnings
        i18n.set_language("en")
        en = affected_area(bnd, cad, parcel_field="pid", holder_field="owner").warnings
    finally:
        i18n.set_language("en")
    assert len(zh) == len(en) == 1
    assert "no rights-holder" in en[0] and not CJK.search(en[0])
    assert CJK.search(zh[0]) and "B" in zh[0] and "owner" in zh[0]


def test_processing_warnings_in_chinese_when_qgis_is(
    qgis_in_chinese, qgis_iface, qgis_processing, sample_gpkg, tmp_path, recording_feedback
):
    """The plugin sets the core's language from QGIS's locale; unloading it goes back to English."""
    from qgis import processing
    from qgis.core import QgsApplication, QgsProcessingContext, QgsVectorLayer

    from landcoord import classFactory

    parcels = gpd.read_file(sample_gpkg, layer="parcels")
    parcels.loc[parcels.index[:2], "权利人"] = None
    parcels.to_file(tmp_path / "cad.gpkg", layer="parcels")

    plugin = classFactory(qgis_iface)
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("landcoord")
    if existing is not None:  # another test's provider: this test needs the plugin's own
        registry.removeProvider(existing)
    plugin.initProcessing()
    try:
        assert i18n.language() == "zh_CN"
        feedback = recording_feedback
        processing.run(
            "landcoord:affectedarea",
            {
                "BOUNDARY": QgsVectorLayer(f"{sample_gpkg}|layername=projects", "项目", "ogr"),
                "CADASTRE": QgsVectorLayer(f"{tmp_path / 'cad.gpkg'}|layername=parcels", "宗地", "ogr"),
                "PARCEL_FIELD": "宗地号",
                "HOLDER_FIELD": "权利人",
                "OUTPUT": "TEMPORARY_OUTPUT",
                "SUMMARY": "TEMPORARY_OUTPUT",
                "STATUS_SUMMARY": "TEMPORARY_OUTPUT",
                "GAPS": "TEMPORARY_OUTPUT",
                "OVERLAPS": "TEMPORARY_OUTPUT",
            },
            context=QgsProcessingContext(),
            feedback=feedback,
        )
        # the provider reports the core's warnings as non-fatal errors (shown in red)
        warnings = feedback.warnings + feedback.errors
        assert warnings
        assert all(CJK.search(w) for w in warnings), warnings
        assert any("权利人" in w for w in warnings)
    finally:
        plugin.unload()
    assert i18n.language() == "en"
