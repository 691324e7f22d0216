"""Running vectorised shapely work on every core: shapely 2 releases the GIL inside GEOS calls.

Results come back in input order, so parallel runs give exactly the serial result. The number of
threads is ``os.cpu_count()`` unless ``LANDCOORD_THREADS`` says otherwise (1 = serial).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["threads", "chunked", "map_ordered"]


def threads() -> int:
    """How many threads to use (at least 1)."""
    try:
        n = int(os.environ.get("LANDCOORD_THREADS", "0"))
    except ValueError:
        n = 0
    return max(1, n or (os.cpu_count() or 1))


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


def map_ordered(func, items) -> list:
    """``[func(x) for x in items]`` in threads, results in input order."""
    items = list(items)
    k = min(threads(), len(items))
    if k <= 1:
        return [func(x) for x in items]
    with ThreadPoolExecutor(max_workers=k) as pool:
        return list(pool.map(func, items))
