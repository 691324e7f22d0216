"""Wiring of the landcoord plugin into QGIS: provider, action, dock, translation, log routing.

Nothing is computed here. ``unload()`` removes every thing ``initGui()``/``initProcessing()`` added.
"""

from __future__ import annotations

import logging
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .allocation.i18n import set_language
from .deps import install_hint, missing_dependencies, missing_optional, optional_hint

HERE = Path(__file__).resolve().parent
LOG_TAG = "landcoord"


class QgisLogHandler(logging.Handler):
    """Routes the ``landcoord`` logger to the QGIS log panel (tab "landcoord")."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            level = Qgis.MessageLevel.Critical
        elif record.levelno >= logging.WARNING:
            level = Qgis.MessageLevel.Warning
        else:
            level = Qgis.MessageLevel.Info
        QgsMessageLog.logMessage(self.format(record), LOG_TAG, level)


class LandcoordPlugin:
    """The object QGIS holds for the plugin."""

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("LandcoordPlugin", text)

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.actions: list[QAction] = []
        self.toolbar = None
        self.dock = None
        self.translator = None
        self.log_handler = None
        self.missing: list[str] = []

    # -- Processing ------------------------------------------------------------------------
    def initProcessing(self):
        """Register the provider (``qgis_process`` calls only this)."""
        if self.provider is not None:
            return
        self._install_translator()
        self._install_log_handler()
        self.missing = missing_dependencies()
        if self.missing:
            QgsMessageLog.logMessage(install_hint(self.missing), LOG_TAG, Qgis.MessageLevel.Critical)
            return
        from .processing.provider import LandcoordProvider

        provider = LandcoordProvider()
        if QgsApplication.processingRegistry().addProvider(provider):
            self.provider = provider
            # optional libraries (Dask: city screen; openpyxl: .xlsx import): say once what is off
            for feature in ("city", "xlsx"):
                lacking = missing_optional(feature)
                if lacking:
                    QgsMessageLog.logMessage(optional_hint(feature, lacking), LOG_TAG, Qgis.MessageLevel.Info)
        else:  # a provider with the id 'landcoord' is already there; QGIS has deleted this one
            QgsMessageLog.logMessage(
                self.tr("A Processing provider 'landcoord' is already registered; this copy added none."),
                LOG_TAG,
                Qgis.MessageLevel.Warning,
            )

    # -- GUI -------------------------------------------------------------------------------
    def initGui(self):
        self.initProcessing()
        if self.missing:
            self.iface.messageBar().pushMessage(
                self.tr("landcoord"), install_hint(self.missing), level=Qgis.MessageLevel.Critical, duration=0
            )
        icon = QIcon(str(HERE / "icons" / "landcoord.svg"))
        action = QAction(icon, self.tr("Land consolidation workspace"), self.iface.mainWindow())
        action.setObjectName("landcoordShowDock")
        action.setToolTip(self.tr("Show or hide the landcoord land consolidation workspace"))
        action.setCheckable(True)
        action.toggled.connect(self._toggle_dock)
        action.setEnabled(not self.missing)
        self.actions.append(action)
        self.toolbar = self.iface.addToolBar(self.tr("landcoord"))
        self.toolbar.setObjectName("landcoordToolbar")
        self.toolbar.addAction(action)
        self.iface.addPluginToMenu(self.tr("&landcoord"), action)

    def _toggle_dock(self, checked: bool) -> None:
        """Create the dock when first shown; from then on the dock keeps the action in sync."""
        if self.dock is not None or not checked:
            return
        from .ui.dock import LandcoordDock

        self.dock = LandcoordDock(self.iface, parent=self.iface.mainWindow())
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.setToggleVisibilityAction(self.actions[0])
        self.dock.setUserVisible(True)

    # -- translation and logging -------------------------------------------------------------
    @staticmethod
    def locale() -> str:
        """QGIS's user interface locale (``zh_CN``, ``en_US``): the override if set, else the system's."""
        locale = str(QgsSettings().value("locale/userLocale", "") or "")
        if not locale:
            locale = QgsApplication.locale() or ""
        return locale.replace("-", "_")[:5]

    def _install_translator(self) -> None:
        if self.translator is not None:
            return
        locale = self.locale()
        # the core's own messages (errors, warnings) follow the same locale
        set_language(locale)
        qm = HERE / "i18n" / f"landcoord_{locale}.qm"
        if not qm.exists() and locale[:2] == "zh":
            qm = HERE / "i18n" / "landcoord_zh_CN.qm"
        if qm.exists():
            translator = QTranslator()
            if translator.load(str(qm)):
                QCoreApplication.installTranslator(translator)
                self.translator = translator

    def _install_log_handler(self) -> None:
        if self.log_handler is not None:
            return
        self.log_handler = QgisLogHandler()
        self.log_handler.setFormatter(logging.Formatter("%(message)s"))
        logger = logging.getLogger("landcoord")
        logger.addHandler(self.log_handler)
        logger.setLevel(logging.INFO)

    # -- unload --------------------------------------------------------------------------------
    def unload(self):
        if self.dock is not None:
            if hasattr(self.dock, "close_down"):
                self.dock.close_down()
            self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
        for action in self.actions:
            self.iface.removePluginMenu(self.tr("&landcoord"), action)
            self.iface.removeToolBarIcon(action)
            action.setParent(None)
            action.deleteLater()
        self.actions = []
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.log_handler is not None:
            logging.getLogger("landcoord").removeHandler(self.log_handler)
            self.log_handler = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
        set_language(None)
