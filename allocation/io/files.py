"""Reading the officer's layers and tables from files, and writing results whole or not at all.

Sources are given as QGIS writes them: ``path.gpkg|layername=NAME`` or any file OGR reads
(GeoPackage, shapefile, GeoJSON, FlatGeobuf, ...). Shapefiles with GBK attributes and no ``.cpg``
file are recognised and decoded. Curved geometries are linearised (by pyogrio). Outputs go to a temporary file
beside the target and are renamed into place only when every layer was written. Writing layers into
a GeoPackage that exists keeps the layers the run does not write (and says which).

On Windows (``os.name == "nt"``) the temporary file is flushed through a writable handle, folders
are not flushed (they cannot be opened), and a target held open by another program (a PDF viewer,
QGIS, Excel) gives an :class:`OutputError` asking to close it; the old file is kept.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..errors import FieldError, LayerError, OutputError
from ..i18n import tr
from . import _gpkg
from .outputs import path_and_layer

try:  # optional: faster reading
    import pyarrow  # noqa: F401

    _HAS_ARROW = True
except ImportError:  # pragma: no cover - pyarrow is in requirements.txt
    _HAS_ARROW = False

_log = logging.getLogger(__name__)

#: Windows rules for flushing and replacing files (a module flag, so tests can simulate Windows).
_WINDOWS = os.name == "nt"

__all__ = [
    "Source",
    "parse_source",
    "read_layer",
    "read_layer_near",
    "boxes_in_crs",
    "near_extent",
    "read_table",
    "write_layers",
    "layer_name",
    "empty_frame",
    "column_values",
    "field_names",
    "require_field",
    "atomic_output",
    "replace_atomically",
]


@dataclass(frozen=True)
class Source:
    """A file path and, optionally, a layer inside it."""

    path: Path
    layer: str | None = None

    @property
    def label(self) -> str:
        return f"{self.path.name}|{self.layer}" if self.layer else self.path.name


def parse_source(text: str | os.PathLike) -> Source:
    """Split ``path|layername=NAME`` (QGIS's notation) into a :class:`Source`.

    Examples
    --------
    >>> parse_source("data/sample.gpkg|layername=parcels")
    Source(path=PosixPath('data/sample.gpkg'), layer='parcels')
    >>> parse_source("boundary.shp").layer is None
    True
    """
    path, layer = path_and_layer(os.fspath(text))
    return Source(Path(path), layer)


def layer_name(gdf) -> str:
    """The name a frame was read under (for messages), or ``'layer'``."""
    return str(gdf.attrs.get("name", "layer"))


#: dBase language driver ids (byte 29 of a .dbf header) that name one code page.
_LDID = {
    0x01: "CP437",
    0x02: "CP850",
    0x03: "CP1252",
    0x4D: "CP936",
    0x4E: "CP949",
    0x4F: "CP950",
    0x7A: "CP936",
    0x7B: "CP932",
    0x7C: "CP874",
    0x7D: "CP1255",
    0x7E: "CP1256",
    0xC8: "CP1250",
    0xC9: "CP1251",
    0xCA: "CP1254",
    0xCB: "CP1253",
}
_CPG = {"936": "CP936", "65001": "UTF-8", "UTF8": "UTF-8", "GB2312": "GBK", "GB18030": "GB18030"}


# Sources that are no local file (Path() has made 'http://' into 'http:/').
_REMOTE = ("/vsi", "http:/", "https:/", "ftp:/", "s3:/", "gs:/")
#: Formats whose text is UTF-8 by their specification: an --encoding given for the run's
#: shapefiles or tables is not applied to them.
_UTF8_FORMATS = (".gpkg", ".geojson", ".json", ".geojsonl", ".geojsons", ".fgb", ".parquet", ".sqlite")


def _shapefile_encoding(path: Path) -> str | None:
    """The attribute encoding of a shapefile, always explicit (None for other formats).

    From the ``.cpg`` file, else the dBase code page byte, else by sniffing the bytes (UTF-8, then
    GBK). Passing it explicitly makes reading independent of the process's GDAL state: QGIS sets
    ``SHAPE_ENCODING`` to ``""`` once it has written a shapefile, which would otherwise leave GBK
    names undecoded.
    """
    if path.suffix.lower() not in (".shp", ".dbf"):
        return None
    stem = path.with_suffix("")
    cpg = next((p for p in (stem.with_suffix(".cpg"), stem.with_suffix(".CPG")) if p.exists()), None)
    if cpg is not None:
        name = cpg.read_text(encoding="ascii", errors="ignore").strip().upper()
        if name:
            return _CPG.get(name, name)
    dbf = next((p for p in (stem.with_suffix(".dbf"), stem.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        return None
    with open(dbf, "rb") as fh:
        head = fh.read(32)
        if len(head) < 32:
            return None
        if head[29] in _LDID:
            return _LDID[head[29]]
        header_len = int.from_bytes(head[8:10], "little")
        sample = fh.read(max(header_len - 32, 0) + 64 * 1024)
    if all(b < 0x80 for b in sample):
        return "UTF-8"
    for enc in ("utf-8", "gbk"):
        for cut in (0, 1, 2, 3):  # a multi-byte character may be cut at the sample's end
            try:
                sample[: len(sample) - cut].decode(enc)
                return "UTF-8" if enc == "utf-8" else "GBK"
            except UnicodeDecodeError:
                continue
    return None


def _layer_or_default(src: Source) -> str | None:
    try:
        layers = pyogrio.list_layers(src.path)
    except Exception as exc:
        raise LayerError(tr("Cannot open '{path}': {error}", path=src.path, error=exc)) from exc
    names = [str(n) for n, _ in layers]
    if src.layer is None:
        return None if len(names) <= 1 else names[0]
    if src.layer not in names:
        raise LayerError(
            tr(
                "'{path}' has no layer '{layer}'. Layers in it: {layers}.",
                path=src.path,
                layer=src.layer,
                layers=", ".join(names),
            )
        )
    return src.layer


def read_layer(
    source, *, encoding: str | None = None, bbox=None, fids=None, columns=None, read_geometry: bool = True
) -> gpd.GeoDataFrame:
    """Read a vector layer into a GeoDataFrame named after its source.

    Parameters
    ----------
    source : str, os.PathLike or Source
        ``path`` or ``path|layername=NAME``.
    encoding : str, optional
        Attribute encoding; by default the file's own (``.cpg``, code page byte) or, for a
        shapefile with neither, GBK or UTF-8 as detected.
    bbox : tuple of 4 floats, optional
        Only the features whose envelope meets ``(xmin, ymin, xmax, ymax)`` (in the layer's CRS),
        found through the file's spatial index where it has one (GeoPackage R-tree, ``.qix``).
    fids : array of int, optional
        Only these features.
    columns : list of str, optional
        Only these attribute fields (default all).
    read_geometry : bool
        False: attributes only (the geometry column is then all None).

    Raises
    ------
    LayerError
        If the file or layer does not exist or cannot be read.
    """
    src = source if isinstance(source, Source) else parse_source(source)
    if not src.path.exists() and str(src.path).lower().startswith(_REMOTE):
        from ..privacy import redact_dsn

        raise LayerError(
            tr(
                "'{path}' is a web address or a GDAL virtual path (/vsizip/, /vsicurl/): landcoord reads "
                "local files only. Download the data, and give the file (a zipped shapefile as the .zip "
                "file itself).",
                path=redact_dsn(source if isinstance(source, str) else src.path),
            )
        )
    if not src.path.exists():
        raise LayerError(tr("File '{path}' does not exist. Check the path.", path=src.path))
    layer = _layer_or_default(src)
    if src.path.suffix.lower() in _UTF8_FORMATS:
        # --encoding is for shapefiles and tables: a GeoPackage or GeoJSON is UTF-8 by definition,
        # and decoding it as GBK would fail on the first Chinese name
        encoding = None
    encoding = encoding or _shapefile_encoding(src.path)
    kwargs = {"layer": layer} if layer else {}
    if encoding:
        kwargs["encoding"] = encoding
    if bbox is not None:
        kwargs["bbox"] = tuple(float(v) for v in bbox)
    if fids is not None:
        kwargs["fids"] = np.asarray(fids, dtype=np.int64)
    if columns is not None:
        kwargs["columns"] = list(columns)
    if not read_geometry:
        kwargs["read_geometry"] = False
    try:
        # Through Arrow (when pyarrow is there) reading is about twice as fast and gives the same
        # frame. The classic path is needed to decode shapefile attributes explicitly, for curved
        # geometries (CurvePolygon, MultiSurface), which only it linearises, and wherever Arrow
        # refuses a layer (GDAL < 3.8.3 and boolean fields).
        gdf = None
        if _HAS_ARROW and "encoding" not in kwargs:
            try:
                gdf = pyogrio.read_dataframe(src.path, fid_as_index=True, use_arrow=True, **kwargs)
            except Exception:  # noqa: BLE001 - e.g. curves, or booleans GDAL < 3.8.3 misreads via Arrow
                gdf = None
        if gdf is None:
            gdf = pyogrio.read_dataframe(src.path, fid_as_index=True, **kwargs)
    except LayerError:
        raise
    except Exception as exc:
        raise LayerError(tr("Cannot read '{source}': {error}", source=src.label, error=exc)) from exc
    if not isinstance(gdf, gpd.GeoDataFrame):
        gdf = gpd.GeoDataFrame(gdf, geometry=[None] * len(gdf))
    gdf.attrs["name"] = layer or src.path.stem
    gdf.attrs["source"] = str(src.path)
    return gdf


def read_layer_near(source, near, *, other_columns, encoding: str | None = None):
    """The features of a layer near ``near`` (their envelope meets a feature's), and the others' attributes.

    For checking a few proposals against a city-wide layer without reading the whole city. When
    the extent of ``near`` (a GeoDataFrame with a CRS) is small against the layer's, the features
    whose envelope meets that extent are read through the file's spatial index; otherwise the
    envelopes of all features are read first and only those meeting the envelope of a feature of
    ``near`` (widened by 1 %) are read whole, unless they are most of the layer. Of all the other
    features only ``other_columns`` are read, without geometry, so that nothing goes unseen.

    Returns
    -------
    (GeoDataFrame, DataFrame)
        The near features (as :func:`read_layer` gives them) and ``other_columns`` of the rest,
        both indexed by feature id. When ``near`` cannot be placed in the layer's CRS (either has
        none, or ``near`` is empty) every feature is read and the second frame is empty.
    """
    src = source if isinstance(source, Source) else parse_source(source)
    columns = list(other_columns)
    none = pd.DataFrame(columns=columns)
    try:
        layer = _layer_or_default(src)
        info = pyogrio.read_info(src.path, layer=layer)
        boxes = boxes_in_crs(near, info["crs"]) if set(columns) <= set(info["fields"]) else None
    except Exception:  # noqa: BLE001 - any doubt (no file, no CRS...): read_layer says what is wrong
        boxes = None
    if boxes is None or not len(boxes):
        return read_layer(src, encoding=encoding), none
    bbox = near_extent(boxes, info.get("total_bounds"))
    if bbox is not None:
        gdf = read_layer(src, encoding=encoding, bbox=bbox)
    elif 20 * len(boxes) >= info.get("features", 0):
        # about as many proposals as zones, spread over the layer: most zones are near one
        return read_layer(src, encoding=encoding), none
    else:
        fids, env = pyogrio.read_bounds(src.path, layer=layer)
        ok = np.isfinite(env).all(axis=0)
        meets = np.zeros(len(fids), dtype=bool)
        hit = shapely.STRtree(shapely.box(*boxes.T)).query(shapely.box(*env[:, ok]), predicate="intersects")
        meets[np.flatnonzero(ok)[np.unique(hit[0])]] = True
        if meets.sum() > 0.5 * len(fids):
            return read_layer(src, encoding=encoding), none
        gdf = read_layer(src, encoding=encoding, fids=fids[meets])
    gdf = gdf.sort_index(kind="stable")  # in feature id order, as a full read gives them
    if info.get("features", -1) == len(gdf):
        return gdf, none
    attrs = read_layer(src, encoding=encoding, columns=columns, read_geometry=False)
    return gdf, pd.DataFrame(attrs.loc[~attrs.index.isin(gdf.index), columns])


def near_extent(boxes: np.ndarray, layer_bounds) -> tuple | None:
    """The extent of ``boxes`` (xmin, ymin, xmax, ymax rows) when it is at most a quarter of the
    layer's extent ``layer_bounds``, else None: then a spatial filter by one extent saves little.

    Examples
    --------
    >>> near_extent(np.array([[0.0, 0.0, 10, 10], [20, 0, 30, 10]]), (0, 0, 100, 100))
    (0.0, 0.0, 30.0, 10.0)
    >>> near_extent(np.array([[0.0, 0.0, 10, 10], [80, 80, 90, 90]]), (0, 0, 100, 100)) is None
    True
    """
    x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
    x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
    total = np.asarray(layer_bounds if layer_bounds is not None else (np.nan,) * 4, dtype=float)
    layer_area = (total[2] - total[0]) * (total[3] - total[1])
    if np.isfinite(layer_area) and layer_area > 0 and (x1 - x0) * (y1 - y0) <= 0.25 * layer_area:
        return float(x0), float(y0), float(x1), float(y1)
    return None


def boxes_in_crs(near, crs) -> np.ndarray | None:
    """The envelopes (xmin, ymin, xmax, ymax rows) of ``near``'s features in ``crs``, widened by 1 %.

    None when either has no CRS or ``near`` has no geometry.
    """
    import pyproj

    if near.crs is None or not crs:
        return None
    geoms = np.asarray(near.geometry.values, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if not len(geoms):
        return None
    b = shapely.bounds(geoms)
    target = pyproj.CRS(crs)
    if pyproj.CRS(near.crs) != target:
        boxes = shapely.segmentize(
            shapely.box(*b.T), np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / 8 + 1e-9
        )
        b = gpd.GeoSeries(boxes, crs=near.crs).to_crs(target).bounds.to_numpy()
    if not np.isfinite(b).all():
        return None
    size = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
    pad = 0.01 * size + 1e-6 * np.maximum(np.abs(b).max(axis=1), 1.0)
    return np.column_stack([b[:, 0] - pad, b[:, 1] - pad, b[:, 2] + pad, b[:, 3] + pad])


def read_table(source, *, encoding: str | None = None) -> pd.DataFrame:
    """Read a table: CSV (UTF-8 or GBK), XLSX, or any layer OGR reads (geometry dropped)."""
    src = source if isinstance(source, Source) else parse_source(source)
    if not src.path.exists():
        raise LayerError(tr("File '{path}' does not exist. Check the path.", path=src.path))
    suffix = src.path.suffix.lower()
    if suffix == ".csv":
        raw = src.path.read_bytes()
        for enc in [encoding] if encoding else ["utf-8-sig", "gbk"]:
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise LayerError(
                tr("'{path}' is neither UTF-8 nor GBK text; save it as UTF-8 CSV.", path=src.path)
            )
        from io import StringIO

        df = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
        # landcoord's own CSVs quote text that starts like a formula ('=...): read it as written
        from .cells import unescape_cell

        df = df.rename(columns=unescape_cell).apply(lambda col: col.map(unescape_cell))
    elif suffix in (".xlsx", ".xlsm"):
        df = pd.read_excel(src.path, sheet_name=src.layer or 0, dtype=str)
    else:
        gdf = read_layer(src, encoding=encoding)
        df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name, errors="ignore"))
    df.attrs["name"] = src.layer or src.path.stem
    return df


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def replace_atomically(tmp, path) -> Path:
    """Move a finished temporary file onto ``path``: usual permissions, flushed, then renamed.

    ``tmp`` must be in ``path``'s folder. Readers see the old file or the new one, never a part.
    On Windows, when another program holds ``path`` open (``os.replace`` raises
    PermissionError), ``tmp`` is removed, ``path`` kept, and :class:`OutputError` asks the officer
    to close it there.
    """
    path = Path(path)
    os.chmod(tmp, _umask_mode())
    _fsync(tmp)
    try:
        os.replace(tmp, path)
    except PermissionError as exc:
        if not _WINDOWS:
            raise
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(
            tr(
                "Cannot replace '{path}': another program has it open ({error}). Close {name} in the other "
                "program (PDF viewer, QGIS, Excel) and run again; nothing was written.",
                path=path,
                name=path.name,
                error=exc,
            )
        ) from exc
    if not _WINDOWS:  # Windows cannot open a folder to flush it; NTFS journals the rename itself
        _fsync(path.parent if str(path.parent) else Path("."))
    return path


@contextlib.contextmanager
def atomic_output(path, *, create: bool = True):
    """Write ``path`` whole or not at all: yields a temporary path in the same folder.

    On success the temporary file replaces ``path`` (see :func:`replace_atomically`); on any
    error it is removed and ``path`` is left as it was. With ``create=False`` the temporary path
    does not exist yet (for writers that refuse to open an existing file). OS errors become
    :class:`OutputError` naming the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> with atomic_output(target) as tmp:
    ...     _ = pathlib.Path(tmp).write_text("whole")
    >>> target.read_text()
    'whole'
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=folder)
        os.close(fd)
        if not create:
            os.unlink(tmp)
    except OSError as exc:
        raise OutputError(
            tr(
                "Cannot write to the folder '{folder}': {error}. Nothing was written.",
                folder=folder,
                error=exc,
            )
        ) from exc
    try:
        yield tmp
        replace_atomically(tmp, path)
    except OutputError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(
            tr("Cannot write '{path}': {error}. Nothing was written.", path=path, error=exc)
        ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_layers(path, layers: dict, *, feedback=None) -> Path:
    """Write several layers into one GeoPackage, atomically.

    Everything goes to a temporary GeoPackage in the target's folder, which replaces the target
    only after the last layer was written; on any failure the target is left as it was. When the
    target GeoPackage exists, the temporary one starts as a copy of it: the layers written replace
    theirs, its other layers are kept, and a note says which were added, replaced and kept.

    Parameters
    ----------
    path : str or os.PathLike
        Target ``.gpkg``.
    layers : dict of str to GeoDataFrame or DataFrame
        Layer name to content, in order. Geometries are written as MultiPolygon where mixed.
    feedback : Feedback, optional
        Gets the note about an existing GeoPackage (default: the log).

    Raises
    ------
    OutputError
        When it cannot be written, when the target is a file that is not a GeoPackage, or when it
        holds a consultation ledger; nothing was written then.
    """
    from .outputs import check_outputs

    path = Path(path)
    check_outputs([(path.name, path)], suffixes={path.name: (".gpkg",)})
    existing = _gpkg_layers(path)
    # The temporary file needs no per-statement durability (it replaces the target only when
    # complete): one fsync at the end instead of one per SQLite commit, which is ten times faster.
    previous = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        with atomic_output(path, create=False) as tmp:

            def start():
                if existing is not None:
                    _copy_geopackage(path, tmp)

            start()
            try:
                _write_all(tmp, layers, bulk=True)
            except (OSError, KeyboardInterrupt):
                raise
            except Exception as exc:  # noqa: BLE001 - the plain writer decides, and reports
                _log.debug("bulk GeoPackage write of %s failed (%s); writing with GDAL alone", path, exc)
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                start()
                _write_all(tmp, layers, bulk=False)
    except OutputError:
        raise
    except Exception as exc:
        raise OutputError(
            tr("Cannot write '{path}': {error}. Nothing was written.", path=path, error=exc)
        ) from exc
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": previous})
    if existing is not None:
        none = tr("(none)")
        written = [str(n) for n in layers]
        note = tr(
            "'{path}' existed: added layers {added}; replaced layers {replaced}; kept its other layers "
            "{kept} as they were.",
            path=path,
            added=", ".join(n for n in written if n not in existing) or none,
            replaced=", ".join(n for n in written if n in existing) or none,
            kept=", ".join(n for n in existing if n not in written) or none,
        )
        if feedback is not None:
            feedback.info(note)
        else:
            _log.info(note)
    return path


def _gpkg_layers(path: Path) -> list | None:
    """The tables of the existing GeoPackage ``path`` (None when there is no file there).

    Raises OutputError when a file is there and it is not a GeoPackage.
    """
    if not path.exists():
        return None
    not_gpkg = OutputError(
        tr(
            "'{path}' exists and is not a GeoPackage; landcoord does not replace it. Nothing was "
            "written; delete or rename it, or choose another output file.",
            path=path,
        )
    )
    if not path.is_file():
        raise not_gpkg
    try:
        con = sqlite3.connect(Path(os.path.abspath(path)).as_uri() + "?mode=ro", uri=True, timeout=10.0)
        try:
            rows = con.execute("SELECT table_name FROM gpkg_contents ORDER BY rowid").fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise not_gpkg from exc
    return [str(r[0]) for r in rows]


def _copy_geopackage(path: Path, tmp) -> None:
    """Copy the GeoPackage ``path`` (a consistent snapshot, write-ahead log included) to ``tmp``."""
    src = sqlite3.connect(Path(os.path.abspath(path)).as_uri() + "?mode=ro", uri=True, timeout=10.0)
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            if dst.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _write_all(tmp, layers: dict, bulk: bool) -> None:
    """Write ``layers`` into the new GeoPackage ``tmp``: rows in bulk where they can be (see ``_gpkg``)."""
    filled = {}
    for name, df in layers.items():
        kwargs = {"layer": name, "driver": "GPKG"}
        if isinstance(df, gpd.GeoDataFrame) and df.geometry.name in df.columns:
            types = set(shapely.get_type_id(df.geometry.values[~df.geometry.isna().values]))
            if types and types <= {3, 6}:
                kwargs["promote_to_multi"] = True
                kwargs["geometry_type"] = "MultiPolygon"
            elif not types:
                kwargs["geometry_type"] = "MultiPolygon"
            geometry_type = kwargs.get("geometry_type", "other")
        else:
            df = pd.DataFrame(df)
            geometry_type = None
        if bulk and len(df) and _gpkg.bulk_ok(df, geometry_type):
            pyogrio.write_dataframe(df.iloc[:0], tmp, **kwargs)
            filled[name] = df
        else:
            pyogrio.write_dataframe(df, tmp, **kwargs)
    if filled:
        _gpkg.fill_layers(tmp, filled)


def _fsync(path) -> None:
    """Flush a file (or, not on Windows, a folder's entries) to disk.

    On Windows ``fsync`` needs a handle open for writing (``O_RDONLY`` fails with EBADF), so the
    file is opened read-write there.
    """
    flags = (os.O_RDWR | getattr(os, "O_BINARY", 0)) if _WINDOWS else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def empty_frame(columns: dict, geometry: bool, crs=None):
    """An empty (Geo)DataFrame with typed columns, for results with no rows."""
    df = pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    if geometry:
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    return df


def field_names(gdf) -> list:
    """The attribute fields of a frame (its geometry column left out)."""
    geom = getattr(gdf, "_geometry_column_name", None)
    return [c for c in gdf.columns if c != geom]


def require_field(gdf, name, what: str, optional: bool = False):
    """``name`` if it is a field of ``gdf``; raise :class:`FieldError` naming the layer otherwise.

    Parameters
    ----------
    gdf : (Geo)DataFrame
        The layer, named by ``attrs["name"]`` in the message.
    name : str or None
        The field asked for.
    what : str
        What the field holds, for the message, already in the current language
        (``tr("parcel id")``).
    optional : bool
        If True, an empty ``name`` is allowed and gives None.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"宗地号": ["A"]})
    >>> t.attrs["name"] = "parcels"
    >>> require_field(t, "宗地号", "parcel id")
    '宗地号'
    >>> require_field(t, "pid", "parcel id")
    Traceback (most recent call last):
    ...
    landcoord.allocation.errors.FieldError: Layer 'parcels': field 'pid' does not exist. Available fields: 宗地号. Choose one of them.
    """  # noqa: E501
    if name is None or name == "":
        if optional:
            return None
        raise FieldError(layer_name(gdf), str(name), field_names(gdf), expected=tr("set ({what})", what=what))
    if name not in field_names(gdf):
        raise FieldError(layer_name(gdf), name, field_names(gdf))
    return name


def column_values(gdf, field_name: str) -> np.ndarray:
    """Values of ``field_name`` as an object array with missing values as None."""
    values = gdf[field_name].to_numpy(dtype=object)
    mask = pd.isna(values)
    if mask.any():
        values = values.copy()
        values[mask] = None
    return values
