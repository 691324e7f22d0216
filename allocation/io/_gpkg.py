"""Filling GeoPackage layers in bulk: GDAL defines each layer, SQLite takes the rows.

GDAL (through pyogrio) creates every layer empty, so that the tables, the metadata
(``gpkg_contents``, ``gpkg_geometry_columns``, ``gpkg_spatial_ref_sys``, ``gpkg_extensions``), the
R-tree spatial index and its triggers are exactly what GDAL writes. The rows are then inserted
with one prepared statement per layer in one SQLite transaction: geometries are encoded as
GeoPackage binary (a header with the envelope, then ISO WKB, per GeoPackage 1.3 §2.1.3) by
vectorised shapely, and the spatial index is filled from the same envelopes. GDAL's triggers are
set aside while the rows go in (they call GDAL's own SQL functions) and put back unchanged.

GDAL 3.6 writes a feature at a time and then builds the R-tree by reading every geometry back;
this is two to three times faster, and the file is the same GeoPackage (tests compare it with
GDAL's, read both back and run GDAL's ``validate_gpkg``).

Only columns of plain types take this path (numbers, booleans, text); :func:`bulk_ok` says which
frames qualify, and the caller writes the others with pyogrio.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pandas as pd
import shapely

__all__ = ["bulk_ok", "fill_layers", "load_rtree"]

_GEOMETRY_NAME = "geom"
_HEADER = np.dtype(
    [("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs_id", "<i4"), ("env", "<f8", (4,))]
)
# little-endian header (bit 0), envelope [minx, maxx, miny, maxy] (indicator 1, bits 1-3)
_FLAGS = 0b0000_0011
# little-endian, no envelope, empty geometry (bit 4)
_FLAGS_EMPTY = 0b0001_0001
# WKB header of a little-endian MultiPolygon (type 6) of one part
_MULTI_OF_ONE = b"\x01" + (6).to_bytes(4, "little") + (1).to_bytes(4, "little")


def _plain(series: pd.Series) -> bool:
    kind = series.dtype.kind
    return (kind in "biuf" and not isinstance(series.dtype, pd.api.extensions.ExtensionDtype)) or (
        series.dtype == object
    )


def bulk_ok(df, geometry_type: str | None) -> bool:
    """Whether :func:`fill_layers` can write ``df`` (plain columns; 2D MultiPolygons, or no geometry)."""
    names = [c for c in df.columns if not (geometry_type and c == df.geometry.name)]
    lowered = [str(c).lower() for c in names]
    if any(not isinstance(c, str) for c in names) or len(set(lowered)) != len(lowered):
        return False
    if {"fid", _GEOMETRY_NAME} & set(lowered):
        return False
    if not all(_plain(df[c]) for c in names):
        return False
    if geometry_type is None:
        return True
    if geometry_type != "MultiPolygon" or df.crs is None:
        return False
    geoms = df.geometry.values
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms)]
    return bool(np.isin(shapely.get_type_id(geoms), (3, 6)).all() and not shapely.has_z(geoms).any())


def _text(values) -> list:
    """Object column values as pyogrio writes them to a text field: str, or None for missing."""
    out = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, str):
            out.append(v)
        else:
            out.append(str(v))
    return out


def _column(series: pd.Series) -> list:
    values = series.to_numpy()
    if series.dtype != object:
        return values.tolist()
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return _text(values)
    out = values.tolist()  # text and missing values only: just the missing ones become None
    for i in np.flatnonzero(pd.isna(values)).tolist():
        out[i] = None
    return out


def _blobs(geoms: np.ndarray, srs_id: int):
    """GeoPackage geometry blobs (MultiPolygon) of ``geoms`` and the envelopes of the non-empty ones.

    Returns ``(blobs, rows, bounds)``: a blob or None per geometry; the positions that go into the
    spatial index, and their ``[minx, maxx, miny, maxy]``.
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    blobs: list = [None] * n
    present = np.flatnonzero(~shapely.is_missing(geoms))
    g = geoms[present]
    empty = shapely.is_empty(g)
    wkb = shapely.to_wkb(g, byte_order=1, output_dimension=2)
    # a Polygon becomes a MultiPolygon of one part: the multi header, then the polygon's WKB
    for i in np.flatnonzero(shapely.get_type_id(g) == 3).tolist():
        wkb[i] = _MULTI_OF_ONE + wkb[i]
    full = np.flatnonzero(~empty)
    b = shapely.bounds(g[full])
    header = np.zeros(len(full), dtype=_HEADER)
    header["magic"] = b"GP"
    header["flags"] = _FLAGS
    header["srs_id"] = srs_id
    env = b[:, [0, 2, 1, 3]]
    header["env"] = env
    raw = header.tobytes()
    size = _HEADER.itemsize
    for k, i in enumerate(full.tolist()):
        blobs[present[i]] = raw[k * size : (k + 1) * size] + wkb[i]
    if empty.any():
        short = b"GP\x00" + bytes([_FLAGS_EMPTY]) + np.int32(srs_id).astype("<i4").tobytes()
        for i in np.flatnonzero(empty).tolist():
            blobs[present[i]] = short + wkb[i]
    return blobs, present[full], env


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fill_layers(path, layers: dict) -> None:
    """Insert the rows of ``layers`` (name to frame) into the empty layers GDAL made in ``path``.

    Raises on anything unexpected (a column GDAL named otherwise, a missing table), leaving the
    file to be discarded by the caller.
    """
    con = sqlite3.connect(str(path), isolation_level=None)
    try:
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA journal_mode=MEMORY")
        con.execute("PRAGMA cache_size=-262144")  # up to 256 MiB of pages
        con.execute("BEGIN")
        for name, df in layers.items():
            _fill(con, name, df)
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def _fill(con: sqlite3.Connection, name: str, df) -> None:
    table = _quote(name)
    columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
    geo = con.execute(
        "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (name,)
    ).fetchone()
    fields = [c for c in df.columns if not (geo and c == df.geometry.name)]
    expected = ["fid", *([geo[0]] if geo else []), *fields]
    if columns != expected:
        raise RuntimeError(f"layer {name!r}: GDAL made columns {columns}, expected {expected}")
    n = len(df)
    values = [list(range(1, n + 1))]
    rtree = None
    if geo:
        blobs, rows, env = _blobs(df.geometry.values, int(geo[1]))
        values.append(blobs)
        rtree = (f"rtree_{name}_{geo[0]}", rows, env)
    values.extend(_column(df[c]) for c in fields)

    triggers = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (name,)
    ).fetchall()
    for tname, _ in triggers:
        con.execute(f"DROP TRIGGER {_quote(tname)}")
    marks = ", ".join("?" * len(expected))
    con.executemany(
        f"INSERT INTO {table} ({', '.join(map(_quote, expected))}) VALUES ({marks})", zip(*values)
    )
    if rtree is not None:
        index, rows, env = rtree
        if con.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", (index,)).fetchone()[0]:
            load_rtree(con, index, rows + 1, env)
        if len(rows):
            con.execute(
                "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                (
                    *(float(v) for v in (env[:, 0].min(), env[:, 2].min(), env[:, 1].max(), env[:, 3].max())),
                    name,
                ),
            )
    for _, sql in triggers:
        con.execute(sql)
    con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE table_name = ?", (n, name))
    con.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?",
        (name,),
    )


# --- R-tree bulk loading ----------------------------------------------------------------------------
# SQLite's R*Tree module (ext/rtree/rtree.c) keeps a 2D index in three shadow tables:
#   <name>_node(nodeno, data): node 1 is the root; ``data`` is a blob of the node size (the length
#       of node 1 as created): a big-endian u16 tree depth (root only, else 0), a big-endian u16 cell
#       count, then cells of a big-endian i64 (row id in a leaf, child node number above) and four
#       big-endian float32 (minx, maxx, miny, maxy), zero padded;
#   <name>_rowid(rowid, nodeno): the leaf holding each row id;
#   <name>_parent(nodeno, parentnode): the parent of each node but the root.
# Inserting row by row costs a descent and node splits per row (5-6 µs each); packing the tree
# bottom-up in Sort-Tile-Recursive order writes the same structure in one pass. Coordinates are
# rounded outwards to float32 as SQLite does (a box never shrinks). SQLite's ``rtreecheck()``
# verifies the result in the tests.

_CELL = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])


def _float32(values: np.ndarray, down: bool) -> np.ndarray:
    f = values.astype(np.float32)
    wide = f.astype(np.float64)
    bad = wide > values if down else wide < values
    f[bad] = np.nextafter(f[bad], np.float32(-np.inf if down else np.inf))
    return f


def _str_order(box: np.ndarray, cap: int) -> np.ndarray:
    """Sort-Tile-Recursive order of boxes (minx, maxx, miny, maxy) for nodes of ``cap`` cells."""
    m = len(box)
    cx = box[:, 0].astype(np.float64) + box[:, 1]
    cy = box[:, 2].astype(np.float64) + box[:, 3]
    slices = max(1, math.ceil(math.sqrt(math.ceil(m / cap))))
    by_x = np.argsort(cx, kind="stable")
    tile = np.empty(m, dtype=np.int64)
    tile[by_x] = np.arange(m) // (slices * cap)
    return np.lexsort((cy, tile))


def load_rtree(con: sqlite3.Connection, name: str, ids: np.ndarray, env: np.ndarray) -> None:
    """Fill the empty SQLite R-tree ``name`` with ``ids`` and their envelopes ``[minx, maxx, miny, maxy]``."""
    q = _quote
    root = con.execute(f"SELECT length(data) FROM {q(name + '_node')} WHERE nodeno = 1").fetchone()
    if root is None or con.execute(f"SELECT count(*) FROM {q(name + '_rowid')}").fetchone()[0]:
        raise RuntimeError(f"R-tree {name!r} is missing or not empty")
    size = int(root[0])
    cap = (size - 4) // _CELL.itemsize
    n = len(ids)
    if n == 0:
        return
    box = np.empty((n, 4), dtype=np.float32)
    box[:, 0] = _float32(np.asarray(env[:, 0], dtype=np.float64), down=True)
    box[:, 1] = _float32(np.asarray(env[:, 1], dtype=np.float64), down=False)
    box[:, 2] = _float32(np.asarray(env[:, 2], dtype=np.float64), down=True)
    box[:, 3] = _float32(np.asarray(env[:, 3], dtype=np.float64), down=False)
    entries = np.asarray(ids, dtype=np.int64)
    nodes = []  # (nodeno, blob)
    rowid_rows = None
    parents = []
    depth = 0
    next_node = 2
    while True:
        order = _str_order(box, cap)
        entries, box = entries[order], box[order]
        m = len(entries)
        cells = np.empty(m, dtype=_CELL)
        cells["id"] = entries
        cells["box"] = box
        raw = cells.tobytes()
        k = 1 if m <= cap else math.ceil(m / cap)
        numbers = np.array([1], dtype=np.int64) if k == 1 else np.arange(next_node, next_node + k)
        next_node += 0 if k == 1 else k
        group = (np.arange(m) * k) // m  # as equal as possible, in STR order
        starts = np.searchsorted(group, np.arange(k + 1))
        for g in range(k):
            lo, hi = int(starts[g]), int(starts[g + 1])
            head = (depth if k == 1 else 0).to_bytes(2, "big") + (hi - lo).to_bytes(2, "big")
            body = raw[lo * _CELL.itemsize : hi * _CELL.itemsize]
            nodes.append((int(numbers[g]), head + body + bytes(size - 4 - len(body))))
        owner = numbers[group]
        if rowid_rows is None:
            rowid_rows = (entries, owner)
        else:
            parents.append((entries, owner))
        if k == 1:
            break
        node_box = np.empty((k, 4), dtype=np.float32)
        node_box[:, 0] = np.minimum.reduceat(box[:, 0], starts[:-1])
        node_box[:, 1] = np.maximum.reduceat(box[:, 1], starts[:-1])
        node_box[:, 2] = np.minimum.reduceat(box[:, 2], starts[:-1])
        node_box[:, 3] = np.maximum.reduceat(box[:, 3], starts[:-1])
        entries, box = numbers, node_box
        depth += 1
    root_blob = nodes.pop()  # the last node written is the root
    con.execute(f"UPDATE {q(name + '_node')} SET data = ? WHERE nodeno = 1", (root_blob[1],))
    con.executemany(f"INSERT INTO {q(name + '_node')} VALUES (?, ?)", nodes)
    rows, leaves = rowid_rows
    con.executemany(f"INSERT INTO {q(name + '_rowid')} VALUES (?, ?)", zip(rows.tolist(), leaves.tolist()))
    for child, parent in parents:
        con.executemany(
            f"INSERT INTO {q(name + '_parent')} VALUES (?, ?)", zip(child.tolist(), parent.tolist())
        )
