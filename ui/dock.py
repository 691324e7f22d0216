"""The landcoord dock: one place in QGIS to run a consolidation project from layers to hearing.

``LandcoordDock`` holds the consolidation projects of the QGIS project (a combo box; each one's
set-up is stored in the project file), one tab per step (a small controller each, see
``step_*.py``), and the progress and cancel of the running task. plugin.py creates it on first use
and calls :meth:`LandcoordDock.close_down` on unload.
"""

from __future__ import annotations

import logging
from pathlib import Path

from qgis.core import QgsApplication, QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QStandardPaths, Qt
from qgis.PyQt.QtWidgets import QFrame, QInputDialog, QMessageBox, QScrollArea

from .forms import form_class
from .guard import guarded, push
from .hooks import Hooks
from .results import ResultLayers
from .settings import Settings
from .state import ProjectStore, Setup
from .tasks import TaskRunner

__all__ = ["LandcoordDock"]

LOG = logging.getLogger("landcoord")


def _step_classes():
    from .step_affected import AffectedStep
    from .step_conflicts import ConflictsStep
    from .step_consultation import ConsultationStep
    from .step_hearing import HearingStep
    from .step_project import ProjectStep
    from .step_quota import QuotaStep
    from .step_retained import RetainedStep
    from .step_stage import StageStep

    return [
        ProjectStep,
        AffectedStep,
        ConflictsStep,
        QuotaStep,
        RetainedStep,
        HearingStep,
        ConsultationStep,
        StageStep,
    ]


class LandcoordDock(QgsDockWidget, form_class("dock.ui")):
    """The dock widget. ``iface`` is QGIS's interface (message bar, map canvas)."""

    def __init__(self, iface, parent=None, project: QgsProject | None = None):
        super().__init__(parent)
        self.setupUi(self)
        self.setObjectName("landcoordDock")
        self.iface = iface
        self.project = project or QgsProject.instance()
        self.store = ProjectStore(self.project)
        self.results = ResultLayers(self.project)
        self.settings = Settings()
        self.runner = TaskRunner(self, self.project)
        self.hooks = Hooks()
        self.setup: Setup | None = None
        self._transient = False
        self._closed = False

        self.steps = {}
        for cls in _step_classes():
            step = cls(self)
            self.steps[step.KEY] = step
            # each page scrolls when the screen is short (1280 x 800, a Chinese font): the dock never
            # asks for more height than the screen has
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(step.page)
            self.stepTabs.addTab(scroll, step.title())
        # every step's tab visible at once in a dock a third of a 1280-px screen wide: tabs shrink and
        # elide their titles (full title in the tooltip) instead of scrolling out of sight
        self.stepTabs.setUsesScrollButtons(False)
        self.stepTabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.stepTabs.tabBar().setExpanding(False)
        for i in range(self.stepTabs.count()):
            self.stepTabs.setTabToolTip(i, self.stepTabs.tabText(i))

        self.projectCombo.activated.connect(self.on_project_chosen)
        self.newProjectButton.clicked.connect(self.on_new_project)
        self.renameProjectButton.clicked.connect(self.on_rename_project)
        self.removeProjectButton.clicked.connect(self.on_remove_project)
        self.cancelButton.clicked.connect(self.runner.cancel)
        self.stepTabs.currentChanged.connect(self.on_tab_changed)
        self.runner.started.connect(self.on_task_started)
        self.runner.progressChanged.connect(self.on_task_progress)
        self.runner.finished.connect(self.on_task_finished)

        registry = QgsApplication.processingRegistry()
        self.hooks.connect(self.project.readProject, self.on_project_read)
        self.hooks.connect(self.project.cleared, self.on_project_cleared)
        self.hooks.connect(self.project.layersAdded, self.on_layers_added)
        self.hooks.connect(self.project.layersRemoved, self.on_layers_removed)
        self.hooks.connect(registry.providerAdded, self.on_registry_changed)
        self.hooks.connect(registry.providerRemoved, self.on_registry_changed)

        self.progressBar.setVisible(False)
        self.cancelButton.setVisible(False)
        self.stepTabs.setCurrentIndex(min(max(self.settings.last_tab, 0), self.stepTabs.count() - 1))
        self.reload()

    # -- services for the steps --------------------------------------------------------------------
    def tr(self, text: str) -> str:
        from qgis.PyQt.QtCore import QCoreApplication

        return QCoreApplication.translate("LandcoordDock", text)

    def message_bar(self):
        return self.iface.messageBar() if self.iface is not None else None

    def canvas(self):
        return self.iface.mapCanvas() if self.iface is not None else None

    def output_folder(self) -> str:
        """Where this consolidation project's results go: the folder chosen in the Project step (saved
        in the QGIS project), else next to the saved project, else the dock's default folder, else
        ``Documents/landcoord`` of the user. Never a temporary folder: QGIS deletes those on exit,
        and the results with them."""
        chosen = self.setup.option("output_dir") if self.setup is not None else ""
        if chosen:
            return chosen
        if self.project.fileName():
            return str(Path(self.project.absolutePath()) / f"{self.project.baseName()}_landcoord")
        if self.settings.output_folder:
            return self.settings.output_folder
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return str(Path(docs or Path.home()) / "landcoord")

    def save_setup(self) -> None:
        """Write the current set-up to the project file (a new one becomes permanent here)."""
        if self.setup is None or self._closed:
            return
        self.store.save(self.setup)
        self.store.set_current(self.setup.key)
        if self._transient:
            self._transient = False
            self.fill_project_combo()

    def refresh_steps(self) -> None:
        for step in self.steps.values():
            step.refresh()

    # -- set-ups -----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the set-ups from the project and show the current one (after opening a project)."""
        keys = self.store.keys()
        if keys:
            current = self.store.current()
            self.setup = self.store.load(current if current in keys else keys[0])
            self._transient = False
        else:
            self.setup = self.new_setup(self.store.new_key())
            self._transient = True
        self.fill_project_combo()
        self.show_setup()

    def new_setup(self, key: str) -> Setup:
        n = key[1:] if key[1:].isdigit() else key
        setup = Setup(key=key, name=self.tr("Consolidation project {n}").format(n=n))
        self.steps["project"].recognise_into(setup)
        return setup

    def fill_project_combo(self) -> None:
        combo = self.projectCombo
        combo.blockSignals(True)
        try:
            combo.clear()
            keys = self.store.keys()
            for key in keys:
                name = self.setup.name if self.setup and key == self.setup.key else self.store.load(key).name
                combo.addItem(name, key)
            if self.setup is not None and self.setup.key not in keys:
                combo.addItem(self.setup.name, self.setup.key)
            combo.setCurrentIndex(max(combo.findData(self.setup.key if self.setup else ""), 0))
        finally:
            combo.blockSignals(False)
        self.removeProjectButton.setEnabled(bool(self.store.keys()))

    def show_setup(self) -> None:
        for step in self.steps.values():
            step.restore()
        self.refresh_steps()

    def switch_to(self, key: str) -> None:
        if self.setup is not None and key == self.setup.key:
            return
        if self.runner.is_running():
            push(
                self.message_bar(), self.tr("Wait for the running step to finish before switching projects.")
            )
            self.fill_project_combo()
            return
        self.setup = self.store.load(key)
        self._transient = False
        self.store.set_current(key)
        self.fill_project_combo()
        self.show_setup()

    def add_project(self, name: str | None = None) -> Setup:
        """A new consolidation project (layers and fields recognised), saved and made current."""
        key = self.store.new_key()
        if self.setup is not None and self._transient and key == self.setup.key:
            self.save_setup()
            key = self.store.new_key()
        setup = self.new_setup(key)
        if name:
            setup.name = name
        self.setup = setup
        self._transient = False
        self.save_setup()
        self.fill_project_combo()
        self.show_setup()
        return setup

    def rename_project(self, name: str) -> None:
        name = name.strip()
        if not name or self.setup is None:
            return
        self.setup.name = name
        self.save_setup()
        self.results.rename_group(self.setup)
        self.fill_project_combo()

    def remove_project(self, key: str) -> None:
        """Remove a consolidation project and its result layers (its result files stay on disk)."""
        setup = self.store.load(key) if key in self.store.keys() else self.setup
        self.results.remove(setup)
        self.store.remove(key)
        self.setup = None
        self.reload()

    # -- slots -------------------------------------------------------------------------------------
    @guarded
    def on_project_chosen(self, index: int) -> None:
        key = self.projectCombo.itemData(index)
        if key:
            self.switch_to(key)

    @guarded
    def on_new_project(self) -> None:
        self.add_project()

    @guarded
    def on_rename_project(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Rename consolidation project"), self.tr("Name"), text=self.setup.name
        )
        if ok:
            self.rename_project(name)

    @guarded
    def on_remove_project(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Remove consolidation project"),
            self.tr(
                "Remove '{name}' and its result layers from this QGIS project? Result files stay on disk."
            ).format(name=self.setup.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_project(self.setup.key)

    @guarded
    def on_tab_changed(self, index: int) -> None:
        self.settings.last_tab = int(index)

    @guarded
    def on_project_read(self, *_args) -> None:
        self.reload()

    @guarded
    def on_project_cleared(self) -> None:
        self.runner.detach()
        self.reload()

    @guarded
    def on_layers_added(self, layers) -> None:
        if self._transient and self.setup is not None:
            self.setup = self.new_setup(self.setup.key)
            self.fill_project_combo()
            self.show_setup()
        else:
            self.steps["project"].restore()

    @guarded
    def on_layers_removed(self, layer_ids) -> None:
        if self.setup is None:
            return
        removed = set(layer_ids)
        ours = removed & set(self.setup.results.values())
        if ours:
            self.setup.results = {k: v for k, v in self.setup.results.items() if v not in removed}
            if not self._transient:
                self.save_setup()
        if ours or removed & set(self.setup.layers.values()):
            self.show_setup()

    @guarded
    def on_registry_changed(self, *_args) -> None:
        self.refresh_steps()

    def on_task_started(self, description: str) -> None:
        self.progressBar.setValue(0)
        self.progressBar.setVisible(True)
        self.cancelButton.setVisible(True)
        self.statusLabel.setText(self.tr("Running: {task}").format(task=description))
        self.refresh_steps()

    def on_task_progress(self, value: float) -> None:
        self.progressBar.setValue(int(value))

    def on_task_finished(self, result) -> None:
        if self._closed:
            return
        self.progressBar.setVisible(False)
        self.cancelButton.setVisible(False)
        if result.canceled:
            self.statusLabel.setText(self.tr("Canceled."))
        elif result.ok:
            self.statusLabel.setText(self.tr("Done."))
        else:
            self.statusLabel.setText(self.tr("Failed: see the message bar."))
        self.refresh_steps()

    # -- unload ------------------------------------------------------------------------------------
    def close_down(self) -> None:
        """Disconnect every hook, cancel a running task, close the steps' dialogs (plugin unload)."""
        self._closed = True
        self.hooks.disconnect_all()
        self.runner.detach()
        for step in self.steps.values():
            step.close_down()
        LOG.info("landcoord: dock closed down")
