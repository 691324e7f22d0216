"""Invariants of plan_conflicts on random layers (hypothesis).

Coordinates are on a coarse grid so that edges touch, zones of one kind overlap and inputs sit
exactly inside zones often; the reference is an independent computation with one global union per
kind.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import Polygon, box

from landcoord.allocation.conflicts import plan_conflicts
from landcoord.allocation.controls import load_registry

KIND_VALUES = ["道路红线", "ROAD_RED", "绿线", "紫线", "城镇开发边界", "UDB", "生态红线", "蓝线"]
REG = load_registry()


@st.composite
def polygon(draw):
    x0 = draw(st.integers(0, 16))
    y0 = draw(st.integers(0, 16))
    w = draw(st.integers(1, 8))
    h = draw(st.integers(1, 8))
    if draw(st.booleans()):
        return box(x0, y0, x0 + w, y0 + h)
    # a triangle or quadrilateral with a diagonal edge (non-axis-aligned intersections)
    if draw(st.booleans()):
        return Polygon([(x0, y0), (x0 + w, y0), (x0, y0 + h)])
    return Polygon([(x0, y0), (x0 + w, y0 + h / 2), (x0 + w / 2, y0 + h), (x0 - w / 3, y0 + h / 2)])


@st.composite
def layers(draw):
    inputs = draw(st.lists(polygon(), min_size=1, max_size=5))
    zones = draw(st.lists(polygon(), min_size=1, max_size=12))
    kinds = draw(st.lists(st.sampled_from(KIND_VALUES), min_size=len(zones), max_size=len(zones)))
    ids = draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=len(inputs), max_size=len(inputs)))
    proposal = gpd.GeoDataFrame({"id": ids}, geometry=inputs, crs=4547)
    controls = gpd.GeoDataFrame({"kind": kinds}, geometry=zones, crs=4547)
    proposal.attrs["name"], controls.attrs["name"] = "proposal", "controls"
    return proposal, controls


def reference(proposal, controls):
    kinds = [REG.lookup(v) for v in controls.kind]
    inputs = {}
    for i, g in zip(proposal.id, proposal.geometry):
        inputs[i] = g if i not in inputs else shapely.union(inputs[i], g)
    out = {}
    with np.errstate(invalid="ignore"):
        for kind in {k.key: k for k in kinds}.values():
            union = shapely.union_all([z for z, k in zip(controls.geometry, kinds) if k.key == kind.key])
            for i, g in inputs.items():
                inside = kind.rule_type == "must_lie_inside"
                part = g.difference(union) if inside else g.intersection(union)
                out[(i, kind.name)] = part.area
    return inputs, out


def close(a, b):
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b)) + 1e-7


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(layers())
def test_conflict_area_is_the_area_of_input_and_union_of_the_kind(data):
    proposal, controls = data
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="id", tolerance=0.0)
    inputs, want = reference(proposal, controls)
    have = {(row.input_id, row.kind): row.conflict_area for row in r.conflicts.itertuples()}
    assert len(have) == len(r.conflicts)  # one row per input × kind
    for key in set(want) | set(have):
        assert close(have.get(key, 0.0), want.get(key, 0.0)), key
    for row in r.conflicts.itertuples():
        area = inputs[row.input_id].area
        assert 0 < row.conflict_area <= area * (1 + 1e-9)
        assert close(row.input_share * area, row.conflict_area)
        assert close(row.geometry.area, row.conflict_area)


@SETTINGS
@given(layers())
def test_summary_is_consistent_with_the_conflicts(data):
    proposal, controls = data
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="id", tolerance=0.0)
    assert sorted(r.summary.input_id) == sorted(set(proposal.id))  # every input once, none lost
    for s in r.summary.itertuples():
        rows = r.conflicts[r.conflicts.input_id == s.input_id]
        for sev in ("blocking", "review", "advisory"):
            areas = rows.conflict_area[rows.severity == sev]
            total = getattr(s, f"{sev}_area")
            assert total <= s.input_area * (1 + 1e-9) + 1e-9
            if len(areas):  # the union of the kinds: at least the largest, at most the sum
                assert areas.max() * (1 - 1e-9) - 1e-9 <= total <= areas.sum() * (1 + 1e-9) + 1e-9
                union = shapely.union_all(rows.geometry[rows.severity == sev].values).area
                assert close(total, union)
            else:
                assert total == 0
        expected = "blocked" if s.blocking_area > 0 else "review" if s.review_area > 0 else "clear"
        assert s.verdict == expected


@SETTINGS
@given(layers(), st.randoms(use_true_random=False))
def test_zone_order_does_not_change_the_result(data, random):
    proposal, controls = data
    order = list(range(len(controls)))
    random.shuffle(order)
    shuffled = controls.iloc[order]
    shuffled.attrs["name"] = "controls"
    a = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="id", tolerance=0.0)
    b = plan_conflicts(proposal, shuffled, kind_field="kind", input_id_field="id", tolerance=0.0)
    ka = {(x.input_id, x.kind): x.conflict_area for x in a.conflicts.itertuples()}
    kb = {(x.input_id, x.kind): x.conflict_area for x in b.conflicts.itertuples()}
    for key in set(ka) | set(kb):
        assert close(ka.get(key, 0.0), kb.get(key, 0.0))


@SETTINGS
@given(layers(), st.floats(0.0, 20.0))
def test_tolerance_only_relabels_rows(data, tolerance):
    proposal, controls = data
    exact = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="id", tolerance=0.0)
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="id", tolerance=tolerance)
    assert len(r.conflicts) == len(exact.conflicts)  # slivers are reported, never dropped
    assert np.allclose(r.conflicts.conflict_area, exact.conflicts.conflict_area, rtol=1e-12)
    small = r.conflicts.conflict_area < tolerance
    assert (r.conflicts.severity[small] == "sliver").all()
    assert (r.conflicts.severity[~small] != "sliver").all()
