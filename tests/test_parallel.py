"""Work split over threads gives exactly the serial result, and a prepared geometry stays in one thread."""

from __future__ import annotations

import threading

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from landcoord.allocation import _parallel


@settings(max_examples=30, deadline=None)
@given(keys=st.lists(st.integers(0, 40), min_size=0, max_size=3000), min_chunk=st.integers(1, 200))
def test_chunked_groups_equals_the_serial_result(keys, min_chunk):
    key = np.array(keys, dtype=np.int64)
    polys = shapely.buffer(shapely.points(np.arange(41.0) * 10, 0), 4)
    shapely.prepare(polys)
    rng = np.random.default_rng(len(keys))
    pts = shapely.points(key * 10.0 + rng.uniform(-6, 6, len(key)), rng.uniform(-6, 6, len(key)))
    got = _parallel.chunked_groups(shapely.contains, key, polys[key], pts, min_chunk=min_chunk)
    assert got.tolist() == shapely.contains(polys[key], pts).tolist()


def test_rows_with_one_key_are_never_split_over_threads(monkeypatch):
    monkeypatch.setenv("LANDCOORD_THREADS", "2")
    key = np.sort(np.random.default_rng(0).integers(0, 50, 20_000))[::-1].copy()  # unsorted input
    seen = {}
    lock = threading.Lock()

    def record(k):
        with lock:
            for v in np.unique(k).tolist():
                seen.setdefault(v, set()).add(threading.get_ident())
        return k * 2

    got = _parallel.chunked_groups(record, key, key, min_chunk=100)
    assert got.tolist() == (key * 2).tolist()
    assert all(len(threads) == 1 for threads in seen.values())
