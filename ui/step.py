"""The base of the dock's step controllers: run an algorithm by id, show its results.

A step owns one page of the dock (a form from ``ui/*.ui``). It builds the Processing parameters of
its algorithm from the consolidation project's set-up (:meth:`StepController.parameters`), runs
it in the background through the dock's :class:`~.tasks.TaskRunner`, loads the outputs as styled
layers in the project's group and fills its tables (:meth:`StepController.load_results`). The same
parameters open the algorithm's own Processing dialog.

A step whose algorithm is not registered in this QGIS (e.g. a newer landcoord algorithm that is
not installed) is shown disabled with a note that says so.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsExpression,
    QgsFeatureRequest,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QObject
from qgis.PyQt.QtWidgets import QWidget

from .forms import form_class
from .guard import SetupError, guarded, push
from .results import delete_files
from .settings import Settings

__all__ = ["StepController"]

LOG = logging.getLogger("landcoord")


def tr(text: str) -> str:
    """Translate ``text`` (context ``@default``: lupdate's context for strings outside a class)."""
    return QCoreApplication.translate("@default", text)


class StepController(QObject):
    """One step of the dock. Subclasses set ``KEY``, ``ALG_ID`` and ``FORM`` and fill in the hooks."""

    KEY = ""
    ALG_ID: str | None = None
    FORM = ""

    def __init__(self, dock):
        super().__init__(dock)
        self.dock = dock
        self.page = QWidget()
        self.form = form_class(self.FORM)()
        self.form.setupUi(self.page)
        self._dialog = None
        self._restoring = False
        run = getattr(self.form, "runButton", None)
        if run is not None:
            run.clicked.connect(self.run)
        dialog = getattr(self.form, "dialogButton", None)
        if dialog is not None:
            dialog.clicked.connect(self.open_dialog)

    # -- helpers -----------------------------------------------------------------------------------
    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def title(self) -> str:
        raise NotImplementedError

    def message_bar(self):
        return self.dock.message_bar()

    @property
    def project(self):
        return self.dock.project

    @property
    def setup(self):
        return self.dock.setup

    def algorithms(self) -> list[str]:
        """Every algorithm id this step drives (all must be registered for the step to run)."""
        return [self.ALG_ID] if self.ALG_ID else []

    def missing_algorithms(self) -> list[str]:
        registry = QgsApplication.processingRegistry()
        return [a for a in self.algorithms() if registry.algorithmById(a) is None]

    def is_available(self) -> bool:
        return not self.missing_algorithms()

    def availability_note(self) -> str:
        missing = self.missing_algorithms()
        if not missing:
            return ""
        return tr(
            "Not available: the Processing algorithm {ids} is not registered in this QGIS. "
            "This step needs a landcoord version that provides it."
        ).format(ids=", ".join(missing))

    def refresh(self) -> None:
        """Enable or disable the step's controls after availability or a running task changed."""
        available = self.is_available()
        busy = self.dock.runner.is_running()
        for name in ("runButton", "dialogButton"):
            button = getattr(self.form, name, None)
            if button is not None:
                button.setEnabled(available and not (busy and name == "runButton"))
        note = getattr(self.form, "noteLabel", None)
        if note is not None:
            text = self.availability_note()
            note.setText(text)
            note.setVisible(bool(text))

    def bool_option(self, name: str, default: bool = False) -> bool:
        value = self.setup.option(name, "")
        return default if value == "" else value == "true"

    def float_option(self, name: str, default: float) -> float:
        try:
            return float(self.setup.option(name, ""))
        except ValueError:
            return default

    def set_option(self, name: str, value) -> None:
        """Store a widget's value in the set-up (and the project file) unless restoring."""
        if self._restoring:
            return
        if isinstance(value, bool):
            value = "true" if value else "false"
        self.setup.options[name] = "" if value is None else str(value)
        self.dock.save_setup()

    def output_path(self, name: str) -> str:
        """A new file for the output ``name`` of this step's next run."""
        folder = Path(self.dock.output_folder()) / self.setup.key / self.KEY
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"-{int(time.time() * 1000) % 1000:03d}"
        return str(folder / f"{name}-{stamp}.gpkg")

    def fit(self, alg_id: str, parameters: dict) -> dict:
        """Only the parameters ``alg_id`` defines (a newer or older algorithm may differ)."""
        alg = QgsApplication.processingRegistry().algorithmById(alg_id)
        if alg is None:
            return dict(parameters)
        known = {p.name() for p in alg.parameterDefinitions()}
        dropped = sorted(set(parameters) - known)
        if dropped:
            LOG.info("landcoord: %s does not take %s; left out", alg_id, ", ".join(dropped))
        return {k: v for k, v in parameters.items() if k in known}

    def filtered_boundary(self, layer: QgsVectorLayer, field: str, for_dialog: bool):
        """The boundary parameter: the whole layer, or only the set-up's project (an in-memory copy)."""
        value = self.setup.option("project_value")
        if not value or not field or for_dialog:
            return layer.id(), []
        expression = QgsExpression.createFieldEqualityExpression(field, value)
        memory = layer.materialize(QgsFeatureRequest().setFilterExpression(expression))
        if memory.featureCount() == 0:
            raise SetupError(
                tr("Layer '{layer}' has no feature with {field} = {value}: choose the project again.").format(
                    layer=layer.name(), field=field, value=value
                )
            )
        memory.setName(f"{layer.name()} [{value}]")
        return memory, [memory]

    # -- hooks for subclasses ----------------------------------------------------------------------
    def parameters(self, for_dialog: bool = False):
        """``(parameters, keep, notes)`` of the algorithm for the current set-up.

        Raise :class:`~.guard.SetupError` for a set-up that cannot run. ``keep`` are objects to keep
        alive during the run; ``notes`` are messages to show (e.g. a CRS that will be reprojected).
        """
        raise NotImplementedError

    def load_results(self, result) -> str:
        """Load ``result`` (a :class:`~.tasks.RunResult`); return a one-line summary."""
        raise NotImplementedError

    def restore(self) -> None:
        """Show the current set-up's options and results (after switching or reopening)."""

    def close_down(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog = None

    # -- actions -----------------------------------------------------------------------------------
    def start(self, alg_id: str, parameters: dict, keep, callback, description: str) -> None:
        parameters = self.fit(alg_id, parameters)
        self.dock.runner.start(alg_id, parameters, callback, description=description, keep=keep)

    def run_chain(self, links, callback, description: str) -> None:
        """Run algorithms one after the other, each fed with the outputs of those before it.

        ``links`` is a list of ``(alg_id, make)``; ``make(outputs)`` gets the list of outputs so
        far and returns ``(parameters, keep)``. ``callback`` gets the last run's
        :class:`~.tasks.RunResult` with every earlier output in ``result.chain`` and the messages of
        all runs; a failed or canceled link ends the chain and is handed to ``callback`` as it is.
        """
        done: list[dict] = []
        warnings: list[str] = []
        infos: list[str] = []

        def launch(i: int) -> None:
            alg_id, make = links[i]
            parameters, keep = make(done)
            self.start(alg_id, parameters, keep, lambda result: after(i, result), description)

        def after(i: int, result) -> None:
            warnings.extend(result.warnings)
            infos.extend(result.infos)
            if not result.ok or result.canceled or i == len(links) - 1:
                result.chain = list(done)
                result.warnings = list(warnings)
                result.infos = list(infos)
                callback(result)
                return
            done.append(result.outputs)
            try:
                launch(i + 1)
            except Exception as exc:  # noqa: BLE001 - reported like a failed run
                result.ok = False
                result.errors = [str(exc)]
                result.chain = list(done)
                callback(result)

        launch(0)

    @guarded
    def run(self) -> None:
        if not self.is_available():
            raise SetupError(self.availability_note())
        if self.dock.runner.is_running():
            raise SetupError(tr("Another landcoord task is still running; wait for it or cancel it."))
        parameters, keep, notes = self.parameters()
        for note in notes:
            push(self.message_bar(), note, Qgis.MessageLevel.Info)
        self.dock.save_setup()
        self.start(self.ALG_ID, parameters, keep, self.finished, self.title())

    @guarded
    def finished(self, result) -> None:
        if result.canceled:
            push(
                self.message_bar(),
                tr("{step}: canceled; nothing was changed.").format(step=self.title()),
                Qgis.MessageLevel.Info,
            )
            return
        if not result.ok:
            push(
                self.message_bar(),
                tr("{step} failed: {error}").format(step=self.title(), error=result.error_text()),
                Qgis.MessageLevel.Critical,
            )
            return
        summary = self.load_results(result)
        self.dock.save_setup()
        self.dock.refresh_steps()
        text = tr("{step}: done. {summary}").format(step=self.title(), summary=summary or "")
        if result.warnings:
            text += " " + tr("{n} warning(s), e.g.: {first} (all in the log panel)").format(
                n=len(result.warnings), first=result.warnings[0]
            )
            for w in result.warnings:
                LOG.warning("%s: %s", self.title(), w)
        push(
            self.message_bar(),
            text.strip(),
            Qgis.MessageLevel.Warning if result.warnings else Qgis.MessageLevel.Success,
        )

    def cleanup_replaced(self, files) -> None:
        if files and Settings().delete_replaced_results:
            delete_files(files, self.dock.output_folder())

    @guarded
    def open_dialog(self):
        """Open the algorithm's Processing dialog, prefilled with this step's choices."""
        if not self.is_available():
            raise SetupError(self.availability_note())
        from qgis import processing

        parameters, _keep, _notes = self.parameters(for_dialog=True)
        parameters = self.fit(self.ALG_ID, parameters)
        if self._dialog is not None:
            self._dialog.close()
        dialog = processing.createAlgorithmDialog(self.ALG_ID, parameters)
        if dialog is None:
            raise SetupError(self.availability_note() or self.ALG_ID)
        dialog.show()
        self._dialog = dialog
        return dialog

    def zoom_to(self, layer: QgsVectorLayer, expression: str | None = None, fids=None) -> int:
        """Select features of ``layer`` (by expression or ids) and zoom the map to them."""
        if layer is None:
            return 0
        if fids is not None:
            layer.selectByIds(list(fids))
        else:
            layer.selectByExpression(expression)
        count = layer.selectedFeatureCount()
        canvas = self.dock.canvas()
        if count and canvas is not None and Settings().zoom_to_selection:
            canvas.zoomToSelected(layer)
            canvas.refresh()
        return count
