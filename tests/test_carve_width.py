"""The minimum width measure (``shapes.min_width``): right by construction, on any orientation and
at the large coordinates of projected CRSs (EPSG:2154 x≈650000, y≈6860000) where float noise is real.

"Minimum width" (see the notes of :mod:`landcoord.allocation.shapes`): the largest width ``W`` at
which the mitred opening keeps the parcel (lost area within max(0.01 m², 1e-6·area), lost pieces
thinner than 2 cm ignored) while every width of a fixed ladder below ``W`` is kept too;
``respects_width(g, w)`` is ``min_width(g) >= w``.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from shapely import affinity, box

from landcoord.allocation.shapes import HAIRLINE, keeps_width, min_width, respects_width

#: Far from the origin, as in Lambert-93.
X0, Y0 = 650_000.0, 6_860_000.0

offsets = st.tuples(st.floats(-5_000, 5_000), st.floats(-5_000, 5_000))
angles = st.floats(0, 180)


def _place(geom, angle, offset):
    g = affinity.rotate(geom, angle, origin=(0, 0))
    return affinity.translate(g, X0 + offset[0], Y0 + offset[1])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(2.0, 80.0), st.floats(1.2, 6.0), angles, offsets)
def test_a_rectangle_is_as_wide_as_its_short_side(w, ratio, angle, offset):
    rect = _place(box(0, 0, w, w * ratio), angle, offset)
    measured = min_width(rect)
    assert abs(measured - w) <= 0.011, (w, measured)
    # the measure and the test agree (one function): monotonic in the width asked for
    assert respects_width(rect, measured)
    assert not respects_width(rect, measured + 0.02)
    assert respects_width(rect, measured / 2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(5.0, 40.0), st.floats(5.0, 40.0), angles, offsets)
def test_an_l_shape_is_as_wide_as_its_narrower_arm(a, b, angle, offset):
    length = 3 * max(a, b) + 20
    ell = shapely.union(box(0, 0, a, length), box(0, 0, length, b))
    measured = min_width(_place(ell, angle, offset))
    assert abs(measured - min(a, b)) <= 0.011, (a, b, measured)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(0.5, 15.0), st.floats(25.0, 60.0), angles, offsets)
def test_a_spike_or_neck_narrower_than_the_parcel_sets_its_width(spike, w, angle, offset):
    body = box(0, 0, w, 2 * w)
    spiked = shapely.union(body, box(w, w - spike / 2, w + 3 * w, w + spike / 2))
    measured = min_width(_place(spiked, angle, offset))
    assert abs(measured - spike) <= 0.011, (spike, measured)
    assert not respects_width(_place(spiked, angle, offset), spike + 0.02)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(0.001, 0.9 * 2 * HAIRLINE), st.floats(25.0, 60.0), angles, offsets)
def test_a_sliver_thinner_than_the_survey_tolerance_is_ignored(thin, w, angle, offset):
    # a 2 m long sliver under 2 cm thick: lost by every opening, but it is survey noise (documented)
    body = box(0, 0, w, 2 * w)
    sliver = box(w, w, w + 2.0, w + thin)
    g = _place(shapely.union(body, sliver), angle, offset)
    assert abs(min_width(g) - w) <= 0.011


def test_a_thicker_sliver_counts():
    body = box(0, 0, 30, 60)
    sliver = box(30, 30, 40, 30.05)  # 5 cm thick, 0.5 m²: a real strip, not noise
    g = _place(shapely.union(body, sliver), 30.0, (123.4, -56.7))
    assert min_width(g) <= 0.06


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(3, 9), st.floats(20.0, 120.0), st.integers(0, 10_000), offsets)
@example(4, 20.0, 665, (0.0, 0.0))  # a sharp corner: 0.26999 m kept, rounded up to 0.27 m not kept
def test_the_measure_is_kept_at_every_ladder_width_below_it(n, radius, seed, offset):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 2 * math.pi, n))
    r = radius * rng.uniform(0.5, 1.2, n)
    poly = shapely.Polygon(np.column_stack([X0 + offset[0] + r * np.cos(t), Y0 + offset[1] + r * np.sin(t)]))
    poly = shapely.make_valid(poly)
    if poly.geom_type != "Polygon" or poly.area < 10:
        return
    from landcoord.allocation.shapes import WIDTH_LADDER

    w = min_width(poly)
    assert w == 0.0 or keeps_width(poly, w)
    for step in WIDTH_LADDER:
        if step > w:
            break
        assert keeps_width(poly, step)
    assert respects_width(poly, w)
    assert not respects_width(poly, w + 0.02)


def test_a_geos_empty_inward_offset_is_not_a_narrow_parcel():
    # GEOS returns an empty mitred inward offset of this shape at 3.3269 m (but not 1 µm either
    # side, nor with round joins): found by hypothesis; the width must not drop to 6.6 m there
    thin = 0.0016394756169413357
    g = shapely.union(box(0, 0, 25, 50), box(25, 25, 27, 25 + thin))
    g = _place(g, 0.125, (0.0, 0.0))
    assert abs(min_width(g) - 25.0) <= 0.011
    assert keeps_width(g, 6.654)
