"""Issue 19, dock defaults: results never go to a temporary folder, and counts say what they count."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsProcessingUtils

pytest.register_assert_rewrite("dock_support")
from dock_support import wait_for  # noqa: E402

pytest_plugins = ["dock_support"]


def test_default_output_folder_is_persistent(dock, sample_project, tmp_path):
    project, _ = sample_project
    dock.steps["project"].form.outputDir.setFilePath("")
    assert dock.setup.option("output_dir") == ""
    temp = Path(QgsProcessingUtils.tempFolder())
    unsaved = Path(dock.output_folder())
    assert temp not in unsaved.parents and unsaved != temp
    assert unsaved.name == "landcoord"
    # a saved project keeps its results next to it
    project.write(str(tmp_path / "整备项目.qgz"))
    assert Path(dock.output_folder()) == tmp_path / "整备项目_landcoord"
    # the folder chosen in the Project step wins and is saved in the project
    chosen = tmp_path / "chosen"
    dock.steps["project"].form.outputDir.setFilePath(str(chosen))
    assert dock.output_folder() == str(chosen) and dock.setup.option("output_dir") == str(chosen)


def test_holder_count_is_distinct_holders_and_says_the_rows(dock):
    step = dock.steps["affected"]
    step.run()
    wait_for(dock)
    records = step.table.model.records
    holders = {r["holder"] for r in records if r["holder"] is not None}
    assert len(records) > len(holders)  # the sample has holders with land in both projects
    text = step.form.totalsLabel.text()
    assert text.startswith(f"{len(holders)} rights-holders ({len(records)} project × holder rows), ")


def test_measuring_crs_setting_is_saved_and_used_by_the_run(dock):
    from qgis.core import QgsCoordinateReferenceSystem

    form = dock.steps["project"].form
    assert dock.steps["affected"].parameters()[0]["MEASURE_CRS"] is None  # not set: chosen from the data
    form.measureCrs.setCrs(QgsCoordinateReferenceSystem("EPSG:32650"))
    assert dock.setup.option("measure_crs") == "EPSG:32650"
    assert dock.steps["affected"].parameters()[0]["MEASURE_CRS"] == "EPSG:32650"
    assert dock.steps["conflicts"].parameters()[0]["MEASURE_CRS"] == "EPSG:32650"
    step = dock.steps["affected"]
    step.run()
    wait_for(dock)
    pieces = dock.results.layer(dock.setup, "affected.OUTPUT")
    assert pieces.crs().authid() == "EPSG:32650"
    # saved in the QGIS project with the set-up, restored when the project is read again
    form.measureCrs.setCrs(QgsCoordinateReferenceSystem())
    assert dock.setup.option("measure_crs") == ""
