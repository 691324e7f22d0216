"""The output guard of every landcoord algorithm (qgis_process, the Processing toolbox, the dock).

:class:`~landcoord.processing.base.LandcoordAlgorithm` runs :func:`check_destinations` in
``checkParameterValues`` (the toolbox dialog, ``qgis_process``, ``processing.run``) and again in
``prepareAlgorithm`` (runs that skip the check, e.g. ``QgsProcessingAlgRunnerTask`` in the dock),
before any output is created. It gives the core's guard
(:func:`landcoord.allocation.io.outputs.check_outputs`) the file of every destination parameter
(feature sinks, vector and file destinations; ``TEMPORARY_OUTPUT`` and memory layers left out) and
the files behind every input parameter (a layer's source up to ``|``, files), so an output onto an
input, onto a ledger or onto another output is refused with a message naming both.

When a run fails, the output files it created (that did not exist before it) are removed, so
nothing half-written is left behind (:func:`remove_new_outputs`).
"""

from __future__ import annotations

import contextlib
import os

from qgis.core import (
    QgsProcessingOutputLayerDefinition,
    QgsProperty,
    QgsProviderRegistry,
)

from ..qgis_compat import PROPERTY_STATIC

__all__ = ["destination_files", "input_sources", "check_destinations", "remove_new_outputs"]

#: Destination parameter types whose value is one file (folders are not outputs of one file).
_FILE_DESTINATIONS = {
    "sink",
    "vectorDestination",
    "rasterDestination",
    "fileDestination",
    "pointCloudDestination",
}
#: Input parameter types that are layers.
_LAYER_INPUTS = {"source", "vector", "layer", "raster", "mesh", "pointcloud", "annotation"}


def _label(param) -> str:
    return f"'{param.description()}' ({param.name()})"


def _destination_text(value, context) -> str | None:
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        sink = value.sink
        if sink.propertyType() == PROPERTY_STATIC:
            value = sink.staticValue()
        else:
            value = sink.valueAsString(context.expressionContext())
    if isinstance(value, QgsProperty):
        value = value.valueAsString(context.expressionContext())
    if value is None:
        return None
    text = str(value).strip()
    if not text or text == "TEMPORARY_OUTPUT" or text.lower().startswith("memory:"):
        return None
    return text


def destination_files(alg, parameters, context) -> list:
    """(label, path or ``ogr:`` URI) of every file destination of ``alg`` in ``parameters``."""
    out = []
    for param in alg.destinationParameterDefinitions():
        if param.type() not in _FILE_DESTINATIONS:
            continue
        value = parameters.get(param.name())
        text = _destination_text(value, context)
        if text:
            out.append((_label(param), text))
    return out


def _layer_source(layer) -> str | None:
    if layer is None:
        return None
    try:
        parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
        path = parts.get("path")
        if path:
            return str(path)
    except Exception:  # noqa: BLE001 - a provider without decodeUri: the source up to '|'
        pass
    return layer.source().split("|", 1)[0]


def input_sources(alg, parameters, context) -> list:
    """(label, source) of every input parameter of ``alg``: the files behind layers, and files."""
    out = []
    for param in alg.parameterDefinitions():
        if param.isDestination():
            continue
        name = param.name()
        value = parameters.get(name)
        if value is None:
            continue
        label = _label(param)
        kind = param.type()
        if isinstance(value, str) and value.strip():
            out.append((label, value))  # a path as typed (qgis_process), whatever the type
        try:
            if kind in _LAYER_INPUTS:
                out.append((label, _layer_source(alg.parameterAsLayer(parameters, name, context))))
            elif kind == "multilayer":
                for layer in alg.parameterAsLayerList(parameters, name, context):
                    out.append((label, _layer_source(layer)))
            elif kind == "file":
                out.append((label, alg.parameterAsFile(parameters, name, context)))
        except Exception:  # noqa: BLE001 - an input that does not load is reported by the algorithm
            continue
    return [(label, src) for label, src in out if src]


def file_suffixes(alg) -> dict:
    """label -> the file name endings a file destination accepts (from its filter, ``*.pdf``)."""
    import re

    out = {}
    for param in alg.destinationParameterDefinitions():
        if param.type() == "fileDestination":
            found = tuple(f".{e.lower()}" for e in re.findall(r"\*\.(\w+)", param.fileFilter() or ""))
            if found:
                out[_label(param)] = found
    return out


def check_destinations(alg, parameters, context) -> None:
    """Raise :class:`~landcoord.allocation.errors.OutputError` when an output of the run would
    replace one of its inputs, a ledger, or another of its outputs, or when a file destination
    names a file of another kind than its filter (a PDF pack onto ``x.gpkg``)."""
    from ..allocation.io.outputs import check_outputs, check_whole_file_replacement, file_part

    outputs = destination_files(alg, parameters, context)
    inputs = input_sources(alg, parameters, context)
    # only inputs that exist can be destroyed (a field name is not a file)
    inputs = [(label, src) for label, src in inputs if (p := file_part(src)) and os.path.exists(p[0])]
    check_outputs(outputs, inputs, suffixes=file_suffixes(alg))
    # QGIS writes a feature sink given a plain path as a new file: an existing GeoPackage's other
    # layers would be lost
    sinks = {
        _label(p) for p in alg.destinationParameterDefinitions() if p.type() in ("sink", "vectorDestination")
    }
    check_whole_file_replacement([(label, text) for label, text in outputs if label in sinks])


def new_output_files(alg, parameters, context) -> list:
    """The files the run's destinations name that do not exist yet (removed if the run fails)."""
    from ..allocation.io.outputs import file_part

    paths = []
    for _, text in destination_files(alg, parameters, context):
        part = file_part(text)
        if part is not None and not os.path.exists(part[0]):
            paths.append(part[0])
    return paths


def remove_new_outputs(paths) -> None:
    """Remove output files a failed run created (and a GeoPackage's journal files beside them)."""
    for path in paths or ():
        for p in (path, f"{path}-journal", f"{path}-wal", f"{path}-shm"):
            with contextlib.suppress(OSError):
                if os.path.isfile(p):
                    os.unlink(p)


#: Features written to each open sink (by the sink's id), filled by ``base.write_frame``.
_WRITTEN: dict = {}


def count_written(sink, n: int) -> None:
    """Note that ``n`` features were added to ``sink``."""
    key = id(sink)
    if key in _WRITTEN:
        _WRITTEN[key][1] += int(n)


def sink_file(sink) -> str | None:
    """The file ``sink`` writes (as noted by :func:`track_sink`), or None (memory, temporary, untracked)."""
    entry = _WRITTEN.get(id(sink))
    return entry[0][0] if entry and entry[0] else None


def track_sink(alg, name: str, sink, dest: str, parameters, context) -> list | None:
    """Start counting the features written to ``sink`` when parameter ``name`` writes a file."""
    from ..allocation.io.outputs import file_part

    # every new sink takes over its id (a freed sink's id may be reused by the next one)
    _WRITTEN[id(sink)] = [None, 0, None]
    param = alg.parameterDefinition(name)
    text = _destination_text(parameters.get(name), context)
    if text is None or param is None:
        return None  # a temporary or memory layer: not checked
    part = file_part(dest) if dest and os.path.exists(str(dest).split("|")[0]) else file_part(text)
    if part is None:
        return None
    entry = [part, 0, _label(param)]
    _WRITTEN[id(sink)] = entry
    return entry


def verify_sinks(entries, feedback=None) -> None:
    """Check that every file sink of a finished run holds the features written to it.

    GDAL reports a full disk or a failed commit only when the file is closed, after the last
    feature was accepted: without this check such a run would end with success and a broken or
    short file. Raises ``QgsProcessingException`` naming the output (the caller removes the files
    the run created).
    """
    import gc

    from qgis.core import QgsProcessingException

    from ..allocation.io.outputs import incomplete_output

    entries = [e for e in entries or () if e is not None]
    if not entries:
        return
    for key in [k for k, v in _WRITTEN.items() if any(v is e for e in entries)]:
        _WRITTEN.pop(key, None)
    gc.collect()  # the sinks are closed (their writers flushed) when the last reference goes
    for (path, layer), written, label in entries:
        count = _feature_count(path, layer)
        if count != written:
            raise QgsProcessingException(str(incomplete_output(label, path, written, count)))


def _feature_count(path: str, layer: str | None):
    """Features in ``layer`` (default: the first) of the file ``path`` by OGR, or None if unreadable."""
    if not os.path.exists(path):
        return None
    try:
        from osgeo import gdal, ogr
    except ImportError:  # pragma: no cover - QGIS always has GDAL's bindings
        return -1
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        ds = ogr.Open(path)
        if ds is None:
            return None
        lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
        return None if lyr is None else int(lyr.GetFeatureCount())
    except Exception:  # noqa: BLE001 - unreadable is what is reported
        return None
    finally:
        gdal.PopErrorHandler()
