"""The plugin's toolbar action toggles the dock; unloading removes the dock and every hook it made."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtXml import QDomDocument

pytest.register_assert_rewrite("dock_support")
from dock_support import process_events  # noqa: E402

pytest_plugins = ["dock_support"]


def _docks(main_window):
    from qgis.PyQt.QtWidgets import QDockWidget

    return [d for d in main_window.findChildren(QDockWidget) if d.objectName() == "landcoordDock"]


def test_action_toggles_the_dock_and_follows_it(qgis_app, qgis_iface, qgis_processing, sample_project):
    from landcoord import classFactory

    window = qgis_iface.mainWindow()
    window.show()  # as in QGIS: the dock lives in a shown main window
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        action = plugin.actions[0]
        assert action.isCheckable() and not action.isChecked()
        assert plugin.dock is None  # created on first use only
        action.trigger()
        process_events()
        dock = plugin.dock
        assert dock is not None and dock.isVisible() and action.isChecked()
        dock.close()  # the officer closes the dock: the action follows
        process_events()
        assert not dock.isVisible() and not action.isChecked()
        action.trigger()
        process_events()
        assert plugin.dock is dock and dock.isVisible() and action.isChecked()
        action.trigger()
        process_events()
        assert not dock.isVisible() and not action.isChecked()
    finally:
        plugin.unload()
        window.hide()


def test_unload_removes_the_dock_and_every_hook(
    qgis_app, qgis_iface, qgis_processing, sample_project, monkeypatch
):
    from qgis.core import QgsApplication, QgsProject

    from landcoord import classFactory
    from landcoord.ui.dock import LandcoordDock

    calls = {"read": 0, "registry": 0, "layers": 0}
    for name, key in (
        ("on_project_read", "read"),
        ("on_registry_changed", "registry"),
        ("on_layers_added", "layers"),
    ):
        original = getattr(LandcoordDock, name)

        def spy(self, *args, _original=original, _key=key):
            calls[_key] += 1
            return _original(self, *args)

        monkeypatch.setattr(LandcoordDock, name, spy)

    plugin = classFactory(qgis_iface)
    plugin.initGui()
    plugin.actions[0].trigger()
    process_events()
    dock = plugin.dock
    hooks = dock.hooks
    assert len(hooks) >= 5
    QgsProject.instance().readProject.emit(QDomDocument())
    assert calls["read"] == 1
    assert _docks(qgis_iface.mainWindow()) == [dock]

    plugin.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    process_events()
    assert plugin.dock is None
    assert _docks(qgis_iface.mainWindow()) == []
    assert len(hooks) == 0
    # nothing of the dock answers QGIS any more
    QgsProject.instance().readProject.emit(QDomDocument())
    QgsApplication.processingRegistry().providerAdded.emit("someprovider")
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("Point?crs=EPSG:4326", "after unload", "memory")
    QgsProject.instance().addMapLayer(layer)
    assert calls == {"read": 1, "registry": 0, "layers": 0}
    assert QgsApplication.processingRegistry().providerById("landcoord") is None
