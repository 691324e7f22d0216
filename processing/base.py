"""The small base every landcoord algorithm derives from; the QGIS <-> core conversions it re-exports
live in :mod:`landcoord.qgisio`.

Algorithms are adapters: read parameters, turn QGIS features into GeoDataFrames (WKB both ways),
call the core in ``landcoord.allocation``, write sinks. Core errors become
``QgsProcessingException`` with the core's message, which names the layer and field.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
)
from qgis.PyQt.QtCore import QCoreApplication, QUrl

from ..qgisio import (  # the QGIS <-> GeoDataFrame conversions, shared with report/
    frame_fields,
    qgs_crs,
    source_near_frame,
    source_to_frame,
)
from ..qgisio import write_frame as _write_frame

__all__ = [
    "LandcoordAlgorithm",
    "help_url",
    "QgisFeedback",
    "source_to_frame",
    "source_near_frame",
    "frame_fields",
    "write_frame",
    "qgs_crs",
    "PIECE_FIELDS",
    "piece_fields",
]

#: the fields of landcoord:affectedarea's pieces that the quota and the scenarios read: the core's
#: allocation.quota.PIECE_FIELDS, written out so that loading the provider imports no geopandas
#: (tests/test_quota_qgis.py checks they agree)
PIECE_FIELDS = ("project", "parcel_id", "holder", "status", "piece_area")


def piece_fields(source, *more) -> list:
    """:data:`PIECE_FIELDS`, ``held_area`` when ``source`` carries it (the land counted once, so the core
    counts double-claimed land as ``landcoord quota`` and ``landcoord benefits`` do), then ``more``."""
    held = ["held_area"] if source.fields().indexFromName("held_area") >= 0 else []
    return [*PIECE_FIELDS, *held, *more]


#: the plugin folder (the repository root): help pages ship inside it, no web site is assumed
PLUGIN_DIR = Path(__file__).resolve().parent.parent


def help_url(algorithm_id: str | None = None) -> str:
    """A ``file://`` URL to help shipped with the plugin for ``algorithm_id`` (e.g. ``"affectedarea"``).

    ``help/<algorithm_id>.html`` in the plugin folder when it exists (``help/zh_CN/<algorithm_id>.html``
    first for a Chinese officer), else the README in the
    officer's language (``README.zh-CN.md`` for Chinese, else ``README.md``), else ``""`` (QGIS
    then shows no help button). Every algorithm's :meth:`LandcoordAlgorithm.helpUrl` goes through
    here, so per-algorithm pages need only be added as files.
    """
    from ..allocation.i18n import language

    candidates = []
    chinese = language().startswith("zh")
    if algorithm_id:
        name = algorithm_id.split(":")[-1]
        if chinese:  # the page in Chinese (processing/help_pages.py writes help/zh_CN/)
            candidates.append(PLUGIN_DIR / "help" / "zh_CN" / f"{name}.html")
        candidates.append(PLUGIN_DIR / "help" / f"{name}.html")
    if chinese:
        candidates.append(PLUGIN_DIR / "README.zh-CN.md")
    candidates.append(PLUGIN_DIR / "README.md")
    for path in candidates:
        if path.is_file():
            return QUrl.fromLocalFile(str(path)).toString()
    return ""


def guarded_check(alg, checked: tuple[bool, str], parameters, context) -> tuple[bool, str]:
    """``checkParameterValues`` of a landcoord algorithm or model: QGIS's own ``checked`` result,
    then the output guard (:mod:`.guard`: no output onto an input, a ledger or another output).
    Messages with a PG:/postgresql:// password have it hidden (QGIS's quote the source as typed)."""
    ok, message = checked
    if not ok:
        return ok, _redact(message)
    from ..allocation.errors import LandcoordError
    from .guard import check_destinations

    try:
        check_destinations(alg, parameters, context)
    except LandcoordError as exc:
        return False, _redact(exc)
    return True, message


def guard_outputs(alg, parameters, context) -> None:
    """The output guard in ``prepareAlgorithm``, just before the run: its refusal as a
    ``QgsProcessingException``, password hidden."""
    from ..allocation.errors import LandcoordError
    from .guard import check_destinations

    try:
        check_destinations(alg, parameters, context)
    except LandcoordError as exc:
        raise QgsProcessingException(_redact(exc)) from exc


class LandcoordAlgorithm(QgsProcessingAlgorithm):
    """Base of landcoord's algorithms: translation context, instance creation, group."""

    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def createInstance(self):
        return type(self)()

    # -- the output guard (processing/guard.py): no output onto an input, a ledger or another output
    def write_output(self, parameters, key, context, frame, fields, wkb_type, crs, feedback, outputs) -> None:
        """Writes ``frame`` to the output ``key`` when one was asked for, and records its destination
        in ``outputs``; the main output (``OUTPUT``) is an error when QGIS cannot create it.
        ``crs`` None: the sink takes no CRS (a table)."""
        crs_arg = () if crs is None else (crs,)
        sink, dest = self.parameterAsSink(parameters, key, context, fields, wkb_type, *crs_arg)
        if sink is None and key == getattr(self, "OUTPUT", None):
            raise QgsProcessingException(self.invalidSinkError(parameters, key))
        if sink is None:
            return
        write_frame(sink, frame, fields, feedback)
        outputs[key] = dest

    def checkParameterValues(self, parameters, context):
        return guarded_check(self, super().checkParameterValues(parameters, context), parameters, context)

    def prepareAlgorithm(self, parameters, context, feedback):
        from .guard import new_output_files

        guard_outputs(self, parameters, context)
        self._landcoord_new_outputs = new_output_files(self, parameters, context)
        self._landcoord_sinks = []
        return True

    def parameterAsSink(self, parameters, name, context, *args, **kwargs):
        """As QGIS's; the guard notes the sink, to check after the run that its file is whole."""
        result = super().parameterAsSink(parameters, name, context, *args, **kwargs)
        sink, dest = result[0], result[1]
        if sink is not None:
            from .guard import track_sink

            entry = track_sink(self, name, sink, dest, parameters, context)
            if entry is not None:
                self.__dict__.setdefault("_landcoord_sinks", []).append(entry)
        return result

    def __init_subclass__(cls, **kwargs):
        """Wrap each algorithm's ``processAlgorithm``: a failed run removes the files it created."""
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("processAlgorithm")
        if own is None or getattr(own, "_landcoord_guarded", False):
            return

        def processAlgorithm(self, parameters, context, feedback):
            from .guard import remove_new_outputs, verify_sinks

            try:
                result = own(self, parameters, context, feedback)
                # the sinks were closed when own() returned: their files must hold every feature
                verify_sinks(self.__dict__.pop("_landcoord_sinks", []), feedback)
                return result
            except QgsProcessingException as exc:
                remove_new_outputs(getattr(self, "_landcoord_new_outputs", ()))
                shown = _redact(exc)
                if shown != str(exc):  # a connection string's password never reaches the log or dock
                    raise QgsProcessingException(shown) from None
                raise
            except BaseException:
                remove_new_outputs(getattr(self, "_landcoord_new_outputs", ()))
                raise

        processAlgorithm.__doc__ = own.__doc__
        processAlgorithm._landcoord_guarded = True
        cls.processAlgorithm = processAlgorithm

    # QGIS's messages for a source or sink that does not load quote the value as typed, a
    # connection string's password included: hidden here (issue 16)
    def invalidSourceError(self, parameters, name):
        return _redact(QgsProcessingAlgorithm.invalidSourceError(parameters, name))

    def invalidSinkError(self, parameters, name):
        return _redact(QgsProcessingAlgorithm.invalidSinkError(parameters, name))

    #: the toolbox group (an id of :data:`processing.conventions.GROUPS`), set by each algorithm
    GROUP = ""

    def group(self) -> str:
        from .conventions import group_name

        return group_name(self.GROUP)

    def groupId(self) -> str:
        return self.GROUP

    def tags(self) -> list[str]:
        from .conventions import tags_for

        return tags_for(self.name())

    def helpUrl(self) -> str:
        return help_url(self.name())


def _redact(text) -> str:
    """A message with every connection-string password hidden (the core's one rule)."""
    from ..allocation.privacy import redact_dsn

    return redact_dsn(text)


class QgisFeedback:
    """Core :class:`~landcoord.allocation.feedback.Feedback` over a ``QgsProcessingFeedback``."""

    def __init__(self, feedback: QgsProcessingFeedback | None):
        self._fb = feedback

    def progress(self, percent: float) -> None:
        if self._fb is not None:
            self._fb.setProgress(float(percent))

    def info(self, message: str) -> None:
        if self._fb is not None:
            self._fb.pushInfo(_redact(message))

    def warning(self, message: str) -> None:
        if self._fb is not None:
            self._fb.pushWarning(_redact(message))  # a warning, not an error: QGIS shows it as one

    def is_canceled(self) -> bool:
        return bool(self._fb is not None and self._fb.isCanceled())

    def check(self) -> None:
        from ..allocation.feedback import Canceled
        from ..allocation.i18n import tr as core_tr  # the core's catalog, not Qt's

        if self.is_canceled():
            raise Canceled(core_tr("Canceled by the user; no output was written."))


def write_frame(sink, df, fields, feedback=None, multi: bool = True) -> int:
    """Add every row of ``df`` to ``sink`` (:func:`landcoord.qgisio.write_frame`) and count them for
    the output check of the algorithm's sinks; returns the count written."""
    from .guard import count_written, sink_file

    path = sink_file(sink)
    if path and Path(path).suffix.lower() in (".csv", ".tsv", ".txt"):
        # QGIS's CSV writer stores text as typed: a holder or project typed '=HYPERLINK(...)' would
        # be a formula when the officer opens the file; escaped as landcoord's own CSVs are
        from ..allocation.io.cells import csv_cell

        df = df.copy()
        for col in df.columns:
            if col != getattr(df, "_geometry_column_name", None) and df[col].dtype == object:
                df[col] = df[col].map(csv_cell)
    n = _write_frame(sink, df, fields, feedback, multi)
    count_written(sink, n)
    return n
