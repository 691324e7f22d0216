"""Shared fixtures and helpers of the dock tests (imported by tests/test_dock_*.py).

The dock runs on the bundled sample project (``sample/landcoord_sample.gpkg``): its seven layers are
added to a fresh QGIS project under their own names, as an officer loading them from the browser
would see them.
"""

from __future__ import annotations

import time

import pytest

SAMPLE_LAYERS = ("projects", "parcels", "buildings", "controls", "zoning", "holdings", "roads")


def add_sample_layers(project, gpkg, names=SAMPLE_LAYERS) -> dict:
    from qgis.core import QgsVectorLayer

    layers = {}
    for name in names:
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        assert layer.isValid(), name
        layers[name] = layer
    project.addMapLayers(list(layers.values()))
    return layers


def process_events(seconds: float = 0.0) -> None:
    from qgis.PyQt.QtCore import QCoreApplication

    end = time.monotonic() + seconds
    while True:
        QCoreApplication.processEvents()
        if time.monotonic() >= end:
            return
        time.sleep(0.005)


def wait_for(dock, timeout: float = 120.0) -> None:
    """Process events until the dock's runner is idle (the run and its chain are done)."""
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QCoreApplication

    end = time.monotonic() + timeout
    while dock.runner.is_running() or QgsApplication.taskManager().countActiveTasks():
        QCoreApplication.processEvents()
        if time.monotonic() > end:
            raise TimeoutError("the dock's task did not finish in time")
        time.sleep(0.005)
    for _ in range(5):
        QCoreApplication.processEvents()


def messages(iface, level) -> list[str]:
    """The texts the dock pushed at ``level`` (without the "Land consolidation:" title)."""
    out = []
    for message in iface.messageBar().get_messages(level):
        title, sep, text = message.partition(":")
        out.append(text if sep and title == "Land consolidation" else message)
    return out


@pytest.fixture
def sample_project(qgis_new_project, sample_gpkg, tmp_path):
    """A fresh QGIS project with the sample's seven layers; results go to ``tmp_path/out``."""
    layers = add_sample_layers(qgis_new_project, sample_gpkg)
    yield qgis_new_project, layers


@pytest.fixture
def dock(qgis_iface, landcoord_provider, sample_project, tmp_path):
    """The dock on the sample project, output folder in ``tmp_path``; closed down afterwards."""
    from landcoord.ui.dock import LandcoordDock

    qgis_iface.messageBar().clear_messages()
    widget = LandcoordDock(qgis_iface, parent=qgis_iface.mainWindow())
    widget.steps["project"].form.outputDir.setFilePath(str(tmp_path / "out"))
    yield widget
    widget.close_down()
    widget.setParent(None)
    widget.deleteLater()
    process_events()
