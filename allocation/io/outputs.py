"""The one guard every entry point runs before any work: no output may replace an input or a ledger.

The command line (``cli/__init__.py``), the Processing algorithms (``processing/base.py``) and so
the dock (which runs those algorithms) give :func:`check_outputs` the paths of a run's outputs and
the sources of its inputs; it raises :class:`~landcoord.allocation.errors.OutputError` when

- an output is the same file as an input: same path written differently (``a.gpkg``,
  ``./a.gpkg``, absolute), a symbolic link or a hard link to it, or the file part of a
  ``path|layername=NAME`` source;
- an output is a file holding a consultation ledger (whatever the command: only the ledger's own
  operations write a ledger, and they are not outputs);
- two outputs of one run are the same file (unless both name a layer, and the layers differ:
  layers of one GeoPackage).

Files are compared by device and inode when both exist (this catches hard links), else by their
resolved, case-normalised path (``os.path.realpath`` + ``os.path.normcase``: symbolic links, ``..``
and, on Windows, letter case). Sources that are not files (PostgreSQL DSNs, ``memory:`` layers)
are left out.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from ..errors import OutputError
from ..i18n import tr
from ..privacy import redact_dsn

__all__ = [
    "file_part",
    "same_file",
    "is_ledger_file",
    "is_sqlite_file",
    "check_outputs",
    "incomplete_output",
    "check_whole_file_replacement",
    "geopackage_tables",
    "GPKG_ONLY",
    "FOLDER",
]

#: Markers of a consultation ledger inside a GeoPackage/SQLite file (see ``allocation.ledger.schema``).
LEDGER_TABLES = ("ledger_meta", "ledger_audit")

#: Output kinds that are GeoPackages and nothing else.
GPKG_ONLY = ".gpkg"
#: The "file name endings" of an output that is a folder landcoord writes files into.
FOLDER = ("/",)

_NOT_FILES = re.compile(r"^(pg:|postgres(ql)?://|memory:|mem:|virtual:|wms:|wfs:|https?://|/vsimem/)", re.I)
# Output addresses QGIS writes to a database, not a file (a password in them is the officer's choice).
_DATABASE_OUTPUT = re.compile(r"^(postgres(ql)?://|postgis:|ogr:|memory:)", re.I)
_OGR_DBNAME = re.compile(
    r"""^ogr:dbname=(?:'((?:[^']|'')*)'|"([^"]*)"|(\S+))(?:.*?\btable="?([^"\s]+)"?)?""", re.I
)


def path_and_layer(text: str) -> tuple[str, str | None]:
    """``PATH|layername=LAYER|...`` split into the path as written and the layer (None without one).

    Examples
    --------
    >>> path_and_layer("data/a.gpkg|layername= parcels |option=x")
    ('data/a.gpkg', 'parcels')
    >>> path_and_layer("a.shp")
    ('a.shp', None)
    """
    path, _, options = text.partition("|")
    layer = None
    for opt in options.split("|") if options else []:
        key, _, value = opt.partition("=")
        if key.strip().lower() == "layername":
            layer = value.strip()
    return path, layer


def file_part(source) -> tuple[str, str | None] | None:
    """The file a source names and the layer in it: ``(path, layer or None)``, or None for a non-file.

    Examples
    --------
    >>> file_part("data/a.gpkg|layername=parcels")
    ('data/a.gpkg', 'parcels')
    >>> file_part("ogr:dbname='/x/a.gpkg' table=\\"out\\" (geom)")
    ('/x/a.gpkg', 'out')
    >>> file_part("postgresql://u@h/db") is None
    True
    >>> file_part("TEMPORARY_OUTPUT") is None
    True
    """
    if source is None:
        return None
    typed = os.fspath(source) if isinstance(source, os.PathLike) else str(source)
    text = typed.strip()
    if not text or text == "TEMPORARY_OUTPUT" or _NOT_FILES.match(text):
        return None
    as_typed = typed.partition("|")[0]
    if as_typed != text.partition("|")[0] and os.path.exists(as_typed):
        # a file whose name starts or ends with a space ('ledger.gpkg '): the writers open it as
        # typed, so the guard must look at that file, not at the name without the space
        text = as_typed + typed[len(as_typed) :]
    m = _OGR_DBNAME.match(text)
    if m:
        path = m.group(1).replace("''", "'") if m.group(1) is not None else (m.group(2) or m.group(3))
        return path, m.group(4)
    path, layer = path_and_layer(text)
    if not path.strip():
        return None
    return path, layer


def _real(path) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(os.fspath(path))))


def same_file(a, b) -> bool:
    """True when paths ``a`` and ``b`` are one file (by device and inode, else by resolved path).

    Examples
    --------
    >>> import tempfile, pathlib, os
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "a.gpkg").write_bytes(b"x")
    1
    >>> os.link(d / "a.gpkg", d / "b.gpkg")
    >>> same_file(d / "a.gpkg", d / "b.gpkg"), same_file(d / "a.gpkg", d / "c.gpkg")
    (True, False)
    """
    try:
        sa, sb = os.stat(a), os.stat(b)
    except (OSError, ValueError):
        return _real(a) == _real(b)
    if sa.st_ino and sb.st_ino:
        return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)
    return _real(a) == _real(b)


def is_sqlite_file(path) -> bool:
    """True when ``path`` is an existing SQLite database (a GeoPackage is one)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def is_ledger_file(path) -> bool:
    """True when ``path`` is a GeoPackage/SQLite file holding a consultation ledger."""
    if not is_sqlite_file(path):
        return False
    try:
        uri = Path(os.path.abspath(os.fspath(path))).as_uri() + "?mode=ro"
        con = sqlite3.connect(uri, uri=True, timeout=5.0)
        try:
            names = {
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", LEDGER_TABLES
                )
            }
        finally:
            con.close()
    except sqlite3.Error:  # unreadable (damaged, locked): writing it fails and says so
        return False
    return bool(names)


def _items(pairs):
    """(label, source) pairs, a source that is a list giving one pair per element."""
    for label, value in pairs:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            for v in value:
                if v is not None:
                    yield label, v
        else:
            yield label, value


def check_outputs(outputs, inputs=(), *, suffixes=None, ledger_ok=()) -> None:
    """Refuse, before any work, outputs that would replace an input, a ledger or each other.

    Parameters
    ----------
    outputs : iterable of (label, path or source)
        The run's outputs; ``label`` names them for the officer (``--out``, ``Output layer``).
        ``path|layername=NAME`` and ``ogr:dbname=... table=NAME`` name a layer of a GeoPackage.
    inputs : iterable of (label, source or list of sources)
        The run's inputs (layers, rule files, ledgers ...); only their file part counts.
    suffixes : dict of label to tuple of str, optional
        The file name endings an output accepts (``(".gpkg",)``: GeoPackage only, so ``x.shp`` is
        refused). An existing file at a ``.gpkg`` output that is not a GeoPackage is refused too.
    ledger_ok : collection of labels
        Outputs whose purpose is writing a ledger (e.g. the demo's own project GeoPackage): not
        refused for holding one.

    Raises
    ------
    OutputError
        Naming the output and the input (or ledger, or other output) and saying what to do.
    """
    _refuse_connection_strings(outputs)
    # two outputs onto one file first: that is the mistake to name, whatever else is wrong
    named = [(label, *part) for label, value in _items(outputs) if (part := file_part(value)) is not None]
    _refuse_one_file_twice(named)
    for label, path, layer in named:
        _check_output_file(label, path, layer, suffixes)
    _refuse_inputs_and_ledgers(named, inputs, ledger_ok)


def _refuse_connection_strings(outputs) -> None:
    """An output that holds a password and is no database address QGIS writes to (GDAL's ``PG:...``,
    a libpq keyword string): QGIS and the command line would make a file named after it."""
    for label, value in _items(outputs):
        text = (os.fspath(value) if isinstance(value, os.PathLike) else str(value)).strip()
        if redact_dsn(text) != text and not _DATABASE_OUTPUT.match(text):
            raise OutputError(
                tr(
                    "Output {output} '{path}' is a database connection string, not a file: landcoord "
                    "writes this output to a file. Nothing was written; give a file name.",
                    output=label,
                    path=redact_dsn(text),
                )
            )


def _refuse_one_file_twice(named: list) -> None:
    """Two outputs onto one file (unless both name a layer, and the layers differ)."""
    for i, (label, path, layer) in enumerate(named):
        for other, other_path, other_layer in named[i + 1 :]:
            if same_file(path, other_path) and not (layer and other_layer and layer != other_layer):
                raise OutputError(
                    tr(
                        "Outputs {output} and {other} are both '{path}': one would overwrite the "
                        "other. Nothing was written; give them different files.",
                        output=label,
                        other=other,
                        path=path,
                    )
                )


def _check_output_file(label, path, layer, suffixes) -> None:
    """One output's file: a folder where one is written, the endings the command writes, no
    connection string, no GeoPackage replaced by another kind of file, no foreign file replaced."""
    allowed = tuple(s.lower() for s in (suffixes or {}).get(label) or ())
    suffix = Path(path).suffix.lower()
    if allowed == FOLDER:
        if os.path.exists(path) and not os.path.isdir(path):
            raise OutputError(
                tr(
                    "Output {output} '{path}' is a folder landcoord writes files into, but '{path}' "
                    "exists and is not a folder. Nothing was written; give a new or existing folder.",
                    output=label,
                    path=path,
                )
            )
        return
    if allowed and suffix not in allowed:
        if allowed == (GPKG_ONLY,):
            raise OutputError(
                tr(
                    "Output {output} '{path}': landcoord writes GeoPackage only; give a file name "
                    "ending in .gpkg. Nothing was written.",
                    output=label,
                    path=path,
                )
            )
        raise OutputError(
            tr(
                "Output {output} '{path}': this command writes {suffixes} files only; give a file "
                "name ending in one of them. Nothing was written.",
                output=label,
                path=path,
                suffixes=", ".join(allowed),
            )
        )
    if redact_dsn(path) != path:
        # a connection string where a file was expected would become a file named after it,
        # password and all (QGIS and the command line write to the path as typed)
        raise OutputError(
            tr(
                "Output {output} '{path}' is a database connection string, not a file: landcoord "
                "writes this output to a file. Nothing was written; give a file name.",
                output=label,
                path=redact_dsn(path),
            )
        )
    writes_gpkg = suffix == GPKG_ONLY and (not allowed or GPKG_ONLY in allowed)
    if layer is None and not writes_gpkg and is_sqlite_file(path):
        # a chart, sheet or PDF written over a GeoPackage (whatever its file name) would lose
        # every layer in it
        tables = geopackage_tables(path)
        raise OutputError(
            tr(
                "Output {output} '{path}' is an existing GeoPackage/SQLite database (layers: {layers}); "
                "this output would replace it with another kind of file and lose them. Nothing was "
                "written; choose another output file.",
                output=label,
                path=path,
                layers=", ".join(tables) if tables else "-",
            )
        )
    if suffix == GPKG_ONLY and os.path.exists(path) and not is_sqlite_file(path):
        raise OutputError(
            tr(
                "Output {output} '{path}' exists and is not a GeoPackage; landcoord does not replace "
                "it. Nothing was written; delete or rename it, or choose another output file.",
                output=label,
                path=path,
            )
        )


def _refuse_inputs_and_ledgers(outs: list, inputs, ledger_ok) -> None:
    """An output onto an input file, or onto a file holding a ledger (unless that is its purpose)."""
    ins = []
    for label, value in _items(inputs):
        part = file_part(value)
        if part is not None:
            ins.append((label, part[0]))
    for label, path, _layer in outs:
        for in_label, in_path in ins:
            if same_file(path, in_path):
                raise OutputError(
                    tr(
                        "Output {output} '{path}' is the same file as the input {input} '{input_path}': "
                        "writing it would destroy that input. Nothing was written; choose another "
                        "output file.",
                        output=label,
                        path=path,
                        input=in_label,
                        input_path=in_path,
                    )
                )
        if label not in ledger_ok and os.path.isfile(path) and is_ledger_file(path):
            raise OutputError(
                tr(
                    "Output {output} '{path}' holds a consultation ledger: writing it would destroy the "
                    "ledger and its audit trail. Nothing was written; choose another output file.",
                    output=label,
                    path=path,
                )
            )


def incomplete_output(label, path, written: int, found) -> OutputError:
    """The error for an output file that does not hold what was written to it (``found``: the
    features it holds, or None when it cannot be read): a full disk or a failed final commit."""
    held = tr("it cannot be read") if found is None else tr("it holds {count}", count=found)
    return OutputError(
        tr(
            "Output {output} '{path}' was not written completely: {written} features were written but "
            "{found} (is the disk full, or the folder read-only?). The files this run created were "
            "removed; free space or choose another folder, and run again.",
            output=label,
            path=path,
            written=written,
            found=held,
        )
    )


def geopackage_tables(path) -> list:
    """The tables listed in the ``gpkg_contents`` of the GeoPackage ``path`` ([] if it is none)."""
    if not is_sqlite_file(path):
        return []
    try:
        uri = Path(os.path.abspath(os.fspath(path))).as_uri() + "?mode=ro"
        con = sqlite3.connect(uri, uri=True, timeout=5.0)
        try:
            return [str(r[0]) for r in con.execute("SELECT table_name FROM gpkg_contents ORDER BY rowid")]
        finally:
            con.close()
    except sqlite3.Error:
        return []


def check_whole_file_replacement(outputs) -> None:
    """Refuse outputs that a writer replaces as a whole file (QGIS's feature sinks given a plain
    path) when the file is a GeoPackage holding layers the output would not write.

    A plain path ``x.gpkg`` writes one layer named ``x``: an existing ``x.gpkg`` holding only that
    layer (an earlier run's result) may be replaced; one holding other layers may not, since
    they would be lost. ``ogr:dbname=... table=NAME`` outputs add or replace one layer and keep
    the others, and are left alone.
    """
    for label, value in _items(outputs):
        text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
        part = file_part(text)
        if part is None or text.strip().lower().startswith("ogr:") or not os.path.isfile(part[0]):
            continue
        path = part[0]
        layer = part[1] or Path(path).stem
        others = [t for t in geopackage_tables(path) if t != layer]
        if others:
            raise OutputError(
                tr(
                    "Output {output} '{path}' is an existing GeoPackage holding the layers {layers}: "
                    "writing it would replace the whole file and lose them. Nothing was written; choose "
                    "a new file, or add the output as a layer of it with ogr:dbname='{path}' "
                    'table="{layer}".',
                    output=label,
                    path=path,
                    layers=", ".join(others),
                    layer=layer,
                )
            )
