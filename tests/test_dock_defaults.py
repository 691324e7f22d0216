"""Issue 19, dock defaults: results never go to a temporary folder, and counts say what they count."""

from __future__ import annotations

from pathlib import Path

from dock_support import wait_for
from qgis.core import QgsProcessingUtils


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
