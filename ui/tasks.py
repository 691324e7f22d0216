"""Running Processing algorithms by id as background tasks, with progress and cancel.

One :class:`TaskRunner` per dock runs one task at a time (each step's Run button is disabled while
a task runs). The algorithm runs in a ``QgsProcessingAlgRunnerTask`` on QGIS's task manager, so QGIS
stays responsive; its messages are collected by :class:`CollectingFeedback` and handed back with
the results.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.PyQt.QtCore import QCoreApplication, QObject, QTimer, pyqtSignal

from ..qgis_compat import ALGORITHM_NO_THREADING

__all__ = ["CollectingFeedback", "RunResult", "TaskRunner"]

LOG = logging.getLogger("landcoord")


def tr(text: str) -> str:
    """Translate ``text`` (context ``@default``: lupdate's context for strings outside a class)."""
    return QCoreApplication.translate("@default", text)


class CollectingFeedback(QgsProcessingFeedback):
    """Keeps the algorithm's messages (infos, warnings, errors) for the dock and the log."""

    def __init__(self):
        super().__init__()
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def pushInfo(self, info):
        self.infos.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning):
        self.warnings.append(warning)
        super().pushWarning(warning)

    def reportError(self, error, fatalError=False):  # noqa: N803 - Qt's argument name
        (self.errors if fatalError else self.warnings).append(error)
        super().reportError(error, fatalError)


@dataclass
class RunResult:
    """What a finished run hands to its step: success, outputs, messages."""

    alg_id: str
    ok: bool
    outputs: dict
    canceled: bool
    infos: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: outputs of the earlier links when the run was a chain (see ``StepController.run_chain``)
    chain: list[dict] = field(default_factory=list)

    def error_text(self) -> str:
        """Why the run failed: its fatal errors, else its last reported problem.

        QGIS's task runner reports an algorithm's exception as a non-fatal error, after the
        algorithm's own warnings; so the last one is the reason.
        """
        if self.errors:
            return "\n".join(self.errors)
        if self.warnings:
            return self.warnings[-1]
        return tr("The algorithm failed without a message; see the log panel.")


def _keep_painting(_progress: float) -> None:
    QCoreApplication.processEvents()


class _MainThreadRun:
    """A run of an algorithm that must not leave the main thread (``FlagNoThreading``)."""

    def __init__(self, alg, parameters, context, feedback, description):
        self.alg = alg.create()
        self.parameters = parameters
        self.context = context
        self.feedback = feedback
        self._description = description

    def description(self) -> str:
        return self._description

    def cancel(self) -> None:
        self.feedback.cancel()


class TaskRunner(QObject):
    """Runs one algorithm at a time in the background and reports progress."""

    started = pyqtSignal(str)  # description
    progressChanged = pyqtSignal(float)
    finished = pyqtSignal(object)  # RunResult

    def __init__(self, parent=None, project: QgsProject | None = None):
        super().__init__(parent)
        self.project = project
        self._task = None
        self._context = None
        self._feedback = None
        self._callback = None
        self._alg_id = ""
        self._keep: list = []

    def is_running(self) -> bool:
        return self._task is not None

    def start(
        self,
        alg_id: str,
        parameters: dict,
        callback: Callable[[RunResult], None],
        description: str = "",
        keep: list | None = None,
    ) -> QgsProcessingAlgRunnerTask:
        """Start ``alg_id`` with ``parameters``; ``callback(RunResult)`` runs in the main thread.

        ``keep`` holds Python objects (e.g. filtered in-memory layers passed as parameters) alive
        until the task ends.
        """
        if self._task is not None:
            raise RuntimeError(tr("Another landcoord task is still running; wait for it or cancel it."))
        alg = QgsApplication.processingRegistry().algorithmById(alg_id)
        if alg is None:
            raise RuntimeError(
                tr("The Processing algorithm {id} is not available in this QGIS.").format(id=alg_id)
            )
        context = QgsProcessingContext()
        context.setProject(self.project or QgsProject.instance())
        feedback = CollectingFeedback()
        self._context, self._feedback = context, feedback
        self._callback, self._alg_id, self._keep = callback, alg_id, list(keep or [])
        feedback.progressChanged.connect(self._on_progress)
        description = description or alg.displayName()
        LOG.info("landcoord: started %s", alg_id)
        if alg.flags() & ALGORITHM_NO_THREADING:
            # e.g. print layouts: QGIS runs these in the main thread, and so do we (as Processing's
            # own dialog does), right after this call returns; progress keeps the dock painted.
            self._task = _MainThreadRun(alg, parameters, context, feedback, description)
            self.started.emit(description)
            QTimer.singleShot(0, self._run_in_main_thread)
            return self._task
        task = QgsProcessingAlgRunnerTask(alg, parameters, context, feedback)
        task.setDescription(description)
        self._task = task
        task.executed.connect(self._on_executed)
        self.started.emit(task.description())
        QgsApplication.taskManager().addTask(task)
        return task

    def _run_in_main_thread(self) -> None:
        run = self._task
        if not isinstance(run, _MainThreadRun):
            return
        if run.feedback.isCanceled():
            self._on_executed(False, {})
            return
        run.feedback.progressChanged.connect(_keep_painting)
        try:
            outputs, ok = run.alg.run(run.parameters, run.context, run.feedback, {}, True)
        except Exception as exc:  # noqa: BLE001 - reported like any failed run
            run.feedback.reportError(str(exc), True)
            outputs, ok = {}, False
        finally:
            run.feedback.progressChanged.disconnect(_keep_painting)
        if self._task is run:
            self._on_executed(ok, outputs or {})

    def cancel(self) -> None:
        if self._task is not None:
            self._feedback.cancel()
            self._task.cancel()

    def detach(self) -> None:
        """Forget the running task (cancelled) without calling back: used when the dock closes."""
        if self._task is None:
            return
        try:
            if not isinstance(self._task, _MainThreadRun):
                self._task.executed.disconnect(self._on_executed)
            self._feedback.progressChanged.disconnect(self._on_progress)
        except TypeError:
            pass
        self._feedback.cancel()
        self._task.cancel()
        self._clear()

    def _on_progress(self, value: float) -> None:
        self.progressChanged.emit(float(value))

    def _on_executed(self, ok: bool, outputs: dict) -> None:
        fb = self._feedback
        result = RunResult(
            alg_id=self._alg_id,
            ok=bool(ok),
            outputs=dict(outputs or {}),
            canceled=bool(fb.isCanceled()),
            infos=list(fb.infos),
            warnings=list(fb.warnings),
            errors=list(fb.errors),
        )
        callback = self._callback
        self._clear()
        # Algorithms may leave reference cycles that hold Qt objects (their feedback); collect them
        # now, in the main thread, rather than whenever (and in whichever thread) Python next does.
        gc.collect()
        LOG.info("landcoord: %s finished (ok=%s)", result.alg_id, result.ok)
        try:
            if callback is not None:
                callback(result)
        finally:
            self.finished.emit(result)

    def _clear(self) -> None:
        self._task = self._context = self._feedback = self._callback = None
        self._keep = []
