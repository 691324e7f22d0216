"""The plugin shell: loads, registers its provider and action, and unload() leaves nothing behind."""

from __future__ import annotations

import logging

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QToolBar


def _ours(main_window):
    actions = [a for a in main_window.findChildren(QAction) if a.objectName().startswith("landcoord")]
    toolbars = [t for t in main_window.findChildren(QToolBar) if t.objectName().startswith("landcoord")]
    return actions, toolbars


def test_load_register_and_unload_leaves_nothing(qgis_app, qgis_iface, qgis_processing):
    from landcoord import classFactory
    from landcoord.plugin import QgisLogHandler

    registry = QgsApplication.processingRegistry()
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        provider = registry.providerById("landcoord")
        assert provider is not None
        ids = {a.id() for a in provider.algorithms()}
        assert "landcoord:affectedarea" in ids
        actions, toolbars = _ours(qgis_iface.mainWindow())
        assert len(actions) == 1 and len(toolbars) == 1
        assert any(isinstance(h, QgisLogHandler) for h in logging.getLogger("landcoord").handlers)
    finally:
        plugin.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert registry.providerById("landcoord") is None
    assert registry.algorithmById("landcoord:affectedarea") is None
    actions, toolbars = _ours(qgis_iface.mainWindow())
    assert actions == [] and toolbars == []
    assert not any(isinstance(h, QgisLogHandler) for h in logging.getLogger("landcoord").handlers)
    assert plugin.dock is None and plugin.translator is None


def test_missing_dependency_is_reported_not_crashing(qgis_app, qgis_iface, monkeypatch):
    import landcoord.plugin as plugin_module

    monkeypatch.setattr(plugin_module, "missing_dependencies", lambda: ["shapely>=2.0"])
    qgis_iface.messageBar().clear_messages()
    plugin = plugin_module.LandcoordPlugin(qgis_iface)
    plugin.initGui()
    try:
        assert QgsApplication.processingRegistry().providerById("landcoord") is None
        critical = qgis_iface.messageBar().get_messages(Qgis.Critical)
        assert any("shapely>=2.0" in m and "make install" in m for m in critical)
        assert not plugin.actions[0].isEnabled()
    finally:
        plugin.unload()


def test_log_records_reach_the_qgis_log_panel(qgis_app, qgis_iface):
    from qgis.core import QgsApplication as App

    from landcoord.plugin import LandcoordPlugin

    seen = []

    def grab(message, tag, level):
        seen.append((message, tag))

    App.messageLog().messageReceived.connect(grab)
    plugin = LandcoordPlugin(qgis_iface)
    plugin.initProcessing()
    try:
        logging.getLogger("landcoord").warning("parcel X repaired")
    finally:
        plugin.unload()
        App.messageLog().messageReceived.disconnect(grab)
    assert ("parcel X repaired", "landcoord") in seen
