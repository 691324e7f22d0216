"""Property-based tests: on random parcel fabrics no square metre is lost or counted once too few.

Each example is checked against an independent brute-force shapely computation: per holder,
sum of area(make_valid(parcel) ∩ boundary); per pair of parcels, area(a ∩ b ∩ boundary).
"""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landcoord.allocation.affected import RESIDUE_AREA, affected_area
from landcoord.sample.fabric import quad_fabric

REL = 1e-6


@st.composite
def fabric_case(draw):
    n = draw(st.integers(4, 64))
    seed = draw(st.integers(0, 10_000))
    gap = draw(st.sampled_from([0.0, 0.0, 0.1, 0.25]))
    overlaps = draw(st.integers(0, 4))
    parcels = quad_fabric(
        n,
        cell=draw(st.floats(5, 60)),
        seed=seed,
        origin=(500_000.0, 2_500_000.0),
        holders=draw(st.integers(1, 6)),
        gap_fraction=gap,
        overlap_count=overlaps,
    )
    minx, miny, maxx, maxy = parcels.total_bounds
    rng = np.random.default_rng(seed)
    projects = []
    for k in range(draw(st.integers(1, 3))):
        pts = np.column_stack([rng.uniform(minx - 5, maxx + 5, 7), rng.uniform(miny - 5, maxy + 5, 7)])
        hull = shapely.convex_hull(shapely.multipoints(pts))
        if hull.area > 1:
            projects.append((f"P{k}", hull))
    if not projects:
        projects.append(("P0", shapely.box(minx, miny, maxx, maxy)))
    bounds = gpd.GeoDataFrame(
        {"code": [p[0] for p in projects]}, geometry=[p[1] for p in projects], crs=parcels.crs
    )
    bounds.attrs["name"] = "projects"
    return parcels, bounds


@st.composite
def random_polygons_case(draw):
    """Parcels that are arbitrary (rotated, overlapping, some invalid) polygons: the slow path."""
    count = draw(st.integers(2, 12))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    geoms = []
    for _ in range(count):
        cx, cy = rng.uniform(0, 100, 2)
        pts = np.column_stack([cx + rng.uniform(-20, 20, 5), cy + rng.uniform(-20, 20, 5)])
        geoms.append(shapely.Polygon(pts))  # may self-intersect: must be repaired
    parcels = gpd.GeoDataFrame(
        {"pid": [f"R{i}" for i in range(count)], "owner": [f"H{i % 3}" for i in range(count)]},
        geometry=geoms,
        crs=4547,
    )
    parcels.attrs["name"] = "parcels"
    bounds = gpd.GeoDataFrame(
        {"code": ["P"]}, geometry=[shapely.box(*rng.uniform(0, 40, 2), *rng.uniform(60, 100, 2))], crs=4547
    )
    bounds.attrs["name"] = "projects"
    return parcels, bounds


def _check(parcels, bounds):
    r = affected_area(bounds, parcels, parcel_field="pid", holder_field="owner", project_field="code")
    fixed = shapely.make_valid(parcels.geometry.values, method="structure", keep_collapsed=False)
    for code, bgeom in zip(bounds.code, bounds.geometry):
        # 1. boundary = covered + gaps
        rec = r.reconciliation.set_index("project").loc[code]
        assert abs(rec.covered_area + rec.gap_area - bgeom.area) <= REL * bgeom.area + 1e-9
        mine = r.pieces[r.pieces["project"] == code]
        union = shapely.union_all(mine.geometry.values) if len(mine) else shapely.Polygon()
        assert abs(union.area - rec.covered_area) <= REL * max(bgeom.area, 1) + 1e-9
        listed_gaps = r.gaps[r.gaps["project"] == code].gap_area.sum()
        assert listed_gaps <= rec.gap_area + 1e-9
        assert rec.gap_area - listed_gaps <= rec.residue_area + 1e-9
        # 2. per holder against brute force
        inter = shapely.area(shapely.intersection(fixed, bgeom))
        expected = {}
        for owner, a in zip(parcels.owner, inter):
            if a > 0:
                expected[owner] = expected.get(owner, 0.0) + a
        got = r.summary[r.summary.project == code].set_index("holder").affected_area.to_dict()
        assert set(got) == {k for k, v in expected.items() if v > 0}
        for owner, a in expected.items():
            assert abs(got[owner] - a) <= REL * max(a, 1.0)
        # 3. every doubly claimed pair found, with its area
        listed = {
            (a, b): v
            for a, b, v in r.overlaps[r.overlaps["project"] == code][
                ["parcel_a", "parcel_b", "overlap_area"]
            ].values
        }
        for i, j in itertools.combinations(range(len(parcels)), 2):
            area = shapely.intersection(shapely.intersection(fixed[i], fixed[j]), bgeom).area
            key = (parcels.pid.iloc[i], parcels.pid.iloc[j])
            if area >= 10 * RESIDUE_AREA:
                assert key in listed or key[::-1] in listed, (key, area)
                v = listed.get(key, listed.get(key[::-1]))
                assert abs(v - area) <= REL * max(area, 1.0)
            elif area < RESIDUE_AREA / 10:
                assert key not in listed and key[::-1] not in listed
        # 4. claimed - covered = double-claimed (pairwise overlaps bound it from above)
        assert rec.claimed_area - rec.covered_area >= -REL * bgeom.area
        assert sum(listed.values()) >= rec.double_claimed_area - 1e-6 - REL * bgeom.area
        # 5. shares
        np.testing.assert_allclose(mine.parcel_share, mine.piece_area / mine.parcel_area)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fabric_case())
def test_fabric_area_accounting(case):
    _check(*case)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_polygons_case())
def test_overlapping_random_polygons_accounting(case):
    _check(*case)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fabric_case())
def test_fabric_area_accounting_with_tiny_leaves(case):
    """The k-d split (used for large projects that are not clean coverages) on small examples."""
    import landcoord.allocation.affected as affected

    saved = affected.LEAF_SIZE
    affected.LEAF_SIZE = 2
    try:
        _check(*case)
    finally:
        affected.LEAF_SIZE = saved
