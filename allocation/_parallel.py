"""Running vectorised shapely work on every core: shapely 2 releases the GIL inside GEOS calls.

Results come back in input order, so parallel runs give exactly the serial result. The number of
threads is ``os.cpu_count()`` unless ``LANDCOORD_THREADS`` says otherwise (1 = serial).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely

__all__ = ["threads", "chunked", "chunked_groups", "map_ordered", "prepared_copies"]


def threads() -> int:
    """How many threads to use (at least 1)."""
    try:
        n = int(os.environ.get("LANDCOORD_THREADS", "0"))
    except ValueError:
        n = 0
    return max(1, n or (os.cpu_count() or 1))


def prepared_copies(geoms) -> np.ndarray:
    """Prepared copies of ``geoms`` (missing ones stay None), owned by the caller of this function.

    Preparing changes a geometry object in place, and GEOS's prepared geometries are not thread-safe
    (libgeos/geos#825). The geometries a core receives belong to its caller, who may be using them
    in another thread at the same time (a city run hands the same control zones to partitions that
    run side by side), so the cores prepare copies and never the caller's objects.
    ``shapely.force_2d`` makes the copies: a GEOS clone, cheap, and the cores work in 2D.

    >>> polys = np.array([shapely.box(0, 0, 1, 1), None], dtype=object)
    >>> mine = prepared_copies(polys)
    >>> bool(shapely.is_prepared(mine[0])), bool(shapely.is_prepared(polys[0])), mine[1] is None
    (True, False, True)
    """
    out = np.array(geoms, dtype=object)
    present = np.flatnonzero(~shapely.is_missing(out))
    copies = shapely.force_2d(out[present])
    shapely.prepare(copies)
    out[present] = copies
    return out


def chunked(func, *arrays, min_chunk: int = 4096):
    """``func(*arrays)`` computed on contiguous chunks in threads and concatenated in order.

    Examples
    --------
    >>> import shapely
    >>> a = shapely.points(np.arange(10_000.0), 0)
    >>> bool((chunked(shapely.get_x, a) == np.arange(10_000.0)).all())
    True
    """
    n = len(arrays[0])
    k = min(threads(), max(1, n // min_chunk))
    if k <= 1:
        return func(*arrays)
    bounds = np.linspace(0, n, k + 1).astype(int)
    with ThreadPoolExecutor(max_workers=k) as pool:
        parts = list(pool.map(lambda lo, hi: func(*(a[lo:hi] for a in arrays)), bounds[:-1], bounds[1:]))
    return np.concatenate(parts)


def chunked_groups(func, key, *arrays, min_chunk: int = 4096):
    """Like :func:`chunked`, but rows with equal ``key`` always go to the same thread.

    Needed when ``arrays`` hold prepared geometries: GEOS prepares them lazily and not thread-safely
    (libgeos/geos#825), so one prepared geometry must never be used by two threads at once. Give
    the index of the prepared geometry of each row as ``key``.

    Examples
    --------
    >>> import shapely
    >>> polys = shapely.buffer(shapely.points(np.arange(3.0) * 10, 0), 2)
    >>> shapely.prepare(polys)
    >>> key = np.repeat(np.arange(3), 5000)
    >>> pts = shapely.points(np.repeat(np.arange(3.0) * 10, 5000) + np.tile(np.linspace(-3, 3, 5000), 3), 0)
    >>> got = chunked_groups(shapely.contains, key, polys[key], pts)
    >>> bool((got == shapely.contains(polys[key], pts)).all())
    True
    """
    key = np.asarray(key)
    n = len(key)
    k = min(threads(), max(1, n // min_chunk))
    if k <= 1:
        return func(*arrays)
    order = None
    if n > 1 and (key[1:] < key[:-1]).any():
        order = np.argsort(key, kind="stable")
        key = key[order]
        arrays = tuple(a[order] for a in arrays)
    # four chunks per thread balance uneven rows; each cut moves back to the start of its group
    cuts = np.linspace(0, n, 4 * k + 1).astype(int)[1:-1]
    cuts = np.unique(np.searchsorted(key, key[cuts], side="left"))
    bounds = np.unique(np.r_[0, cuts, n])
    with ThreadPoolExecutor(max_workers=k) as pool:
        parts = list(pool.map(lambda lo, hi: func(*(a[lo:hi] for a in arrays)), bounds[:-1], bounds[1:]))
    out = np.concatenate(parts)
    if order is not None:
        back = np.empty_like(out)
        back[order] = out
        out = back
    return out


def map_ordered(func, items) -> list:
    """``[func(x) for x in items]`` in threads, results in input order."""
    items = list(items)
    k = min(threads(), len(items))
    if k <= 1:
        return [func(x) for x in items]
    with ThreadPoolExecutor(max_workers=k) as pool:
        return list(pool.map(func, items))
