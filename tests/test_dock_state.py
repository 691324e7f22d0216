"""Every choice of the dock is stored in the QGIS project; reopening the project restores the dock."""

from __future__ import annotations

import pytest
from qgis.core import QgsProject, QgsSettings
from qgis.gui import QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

pytest.register_assert_rewrite("dock_support")
from dock_support import wait_for  # noqa: E402

pytest_plugins = ["dock_support"]


def snapshot(dock) -> dict:
    """What the officer sees: every input widget of every step, and every result table."""
    out = {"project": dock.projectCombo.currentText(), "projects": dock.projectCombo.count()}
    for key, step in dock.steps.items():
        for widget in step.page.findChildren(
            (QComboBox, QLineEdit, QCheckBox, QSpinBox, QDoubleSpinBox, QgsFileWidget)
        ):
            name = f"{key}.{widget.objectName()}"
            if isinstance(widget.parent(), (QAbstractSpinBox, QComboBox, QgsFileWidget)):
                continue  # the line edit inside a spin box, combo box or file widget
            if isinstance(widget, QgsMapLayerComboBox):
                layer = widget.currentLayer()
                out[name] = layer.id() if layer is not None else None
            elif isinstance(widget, QgsFieldComboBox):
                out[name] = widget.currentField()
            elif isinstance(widget, QComboBox):
                out[name] = (widget.currentText(), widget.currentData())
            elif isinstance(widget, QgsFileWidget):
                out[name] = widget.filePath()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
                out[name] = widget.value()
            elif isinstance(widget, QLineEdit) and widget.objectName():
                out[name] = widget.text()
        table = getattr(step, "table", None)
        if table is not None:
            out[f"{key}.table"] = [dict(r) for r in table.model.records]
    return out


def test_store_round_trips_setups_in_the_project_file(qgis_new_project, tmp_path):
    from landcoord.ui.state import ProjectStore, Setup

    store = ProjectStore(qgis_new_project)
    assert store.keys() == [] and store.new_key() == "p1"
    a = Setup(
        "p1", "龙园片区 <一期> & 'A'", {"cadastre": "parcels_1"}, {"holder": "权利人"}, {"tolerance": "1.5"}
    )
    b = Setup(
        "p2",
        "石岭片区",
        {"boundary": "projects_1"},
        {},
        {"project_value": "LHTZ-2024-02"},
        {"x.OUTPUT": "l1"},
    )
    store.save(a)
    store.save(b)
    store.set_current("p2")
    path = tmp_path / "store.qgz"
    assert qgis_new_project.write(str(path))
    qgis_new_project.clear()
    assert ProjectStore(qgis_new_project).keys() == []
    assert qgis_new_project.read(str(path))
    store = ProjectStore(qgis_new_project)
    assert store.keys() == ["p1", "p2"] and store.current() == "p2" and store.new_key() == "p3"
    assert store.load("p1") == a and store.load("p2") == b
    # an entry emptied is removed, not left behind
    b.options["project_value"] = ""
    store.save(b)
    assert "project_value" not in store.load("p2").options
    store.remove("p1")
    assert store.keys() == ["p2"]


def test_settings_wrapper_is_typed(qgis_app):
    from landcoord.ui.settings import Settings

    qs = QgsSettings()
    settings = Settings(qs)
    for key in Settings.keys():
        qs.remove(key)
    assert settings.zoom_to_selection is True and settings.last_tab == 0 and settings.output_folder == ""
    settings.zoom_to_selection = False
    settings.last_tab = 3
    settings.officer_name = "王科员"
    again = Settings(QgsSettings())
    assert again.zoom_to_selection is False and again.last_tab == 3 and again.officer_name == "王科员"
    with pytest.raises(TypeError, match="landcoord/last_tab"):
        settings.last_tab = "third"
    for key in Settings.keys():
        qs.remove(key)


def test_reopening_the_project_restores_the_dock(dock, sample_project, tmp_path):
    project, layers = sample_project
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-01"))
    f.statusField.setField("")  # an emptied optional field stays empty
    dock.rename_project("龙园片区")
    conflicts = dock.steps["conflicts"].form
    conflicts.tolerance.setValue(2.5)
    affected = dock.steps["affected"]
    affected.run()
    wait_for(dock)
    assert affected.table.model.records and {r["project"] for r in affected.table.model.records} == {
        "LHTZ-2024-01"
    }
    first = dock.setup.key
    second = dock.add_project("石岭片区")
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-02"))
    assert dock.setup.key == second.key != first
    dock.switch_to(first)
    before = snapshot(dock)
    assert before["project.projectValue"] == ("LHTZ-2024-01", "LHTZ-2024-01")
    assert before["project.statusField"] == ""
    assert before["conflicts.tolerance"] == 2.5
    assert before["projects"] == 2

    path = tmp_path / "consolidation.qgz"
    assert project.write(str(path))
    project.clear()
    assert dock.setup.layers == {} and dock.projectCombo.count() == 1  # nothing left of the old project
    assert project.read(str(path))
    after = snapshot(dock)
    assert after == before
    # the other consolidation project is there too, with its own choices
    dock.switch_to(second.key)
    assert dock.steps["project"].form.projectValue.currentData() == "LHTZ-2024-02"
    assert dock.steps["affected"].table.model.records == []
    # the result layers are back in the project's group
    dock.switch_to(first)
    group = dock.results.group(dock.setup, create=False)
    assert group is not None and group.name().endswith("龙园片区")
    assert dock.results.layer(dock.setup, "affected.OUTPUT").featureCount() > 0
    assert QgsProject.instance().fileName() == str(path)
