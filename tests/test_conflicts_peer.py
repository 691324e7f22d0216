"""The conflict check agrees with geopandas' overlay on the benchmark's generated plan (small size)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from landcoord.allocation.conflicts import plan_conflicts
from landcoord.allocation.controls import load_registry
from landcoord.benchmarks.bench_conflicts import KINDS, make_data


@pytest.fixture(scope="module")
def plan():
    proposals, controls, overlapping = make_data(200, 2_000, seed=3)
    proposals.attrs["name"], controls.attrs["name"] = "proposals", "controls"
    return proposals, controls, overlapping


def test_totals_per_kind_agree_with_geopandas_overlay(plan):
    proposals, controls, overlapping = plan
    r = plan_conflicts(proposals, controls, kind_field="kind", input_id_field="code", tolerance=0.0)
    pieces = gpd.overlay(proposals[["code", "geometry"]], controls[["kind", "geometry"]], how="intersection")
    peer = pieces.assign(a=shapely.area(pieces.geometry.values)).groupby("kind").a.sum()
    reg = load_registry()
    ours = r.conflicts.groupby("kind").conflict_area.sum()
    total = float(proposals.area.sum())
    checked = 0
    for value, *_ in KINDS:
        kind = reg.lookup(value)
        a, b = float(ours.get(kind.name, 0.0)), float(peer.get(value, 0.0))
        if kind.rule_type == "must_lie_inside":
            assert a + b == pytest.approx(total, rel=1e-9)  # outside + inside = everything
        elif value in overlapping:
            assert a <= b * (1 + 1e-9)  # shared land counted once
        else:
            assert a == pytest.approx(b, rel=1e-9)
        checked += 1
    assert checked == 9 and len(r.conflicts) > 100


def test_per_input_and_kind_agree_with_a_dissolved_overlay(plan):
    proposals, controls, _ = plan
    r = plan_conflicts(proposals, controls, kind_field="kind", input_id_field="code", tolerance=0.0)
    reg = load_registry()
    nov = controls[[reg.lookup(v).rule_type == "must_not_overlap" for v in controls.kind]]
    pieces = gpd.overlay(proposals[["code", "geometry"]], nov[["kind", "geometry"]], how="intersection")
    with np.errstate(invalid="ignore"):
        dissolved = pieces.dissolve(by=["code", "kind"])
    want = {(c, reg.lookup(k).name): g.area for (c, k), g in zip(dissolved.index, dissolved.geometry)}
    have = {
        (x.input_id, x.kind): x.conflict_area
        for x in r.conflicts.itertuples()
        if x.rule_type == "must_not_overlap"
    }
    assert set(have) == {k for k, v in want.items() if v > 0}
    for key, area in have.items():
        assert area == pytest.approx(want[key], rel=1e-6), key
