"""Parcel shape measures used by the carving: width (mitred opening), min width, compactness, frontage."""

from __future__ import annotations

import math

import pytest
import shapely
from shapely import LineString, Point, Polygon, box

from landcoord.allocation.shapes import (
    MIN_CORNER_ANGLE,
    frontage,
    min_width,
    polsby_popper,
    respects_width,
    width_loss,
    width_opening,
)


def test_rectangles_are_as_wide_as_their_short_side():
    assert min_width(box(0, 0, 30, 100)) == 30.0
    assert min_width(box(0, 0, 100, 30)) == 30.0
    rotated = shapely.affinity.rotate(box(0, 0, 30, 100), 37, origin=(0, 0))
    assert min_width(rotated) == pytest.approx(30.0, abs=0.01)
    assert respects_width(box(0, 0, 30, 100), 30.0)
    assert not respects_width(box(0, 0, 30, 100), 30.02)


def test_a_neck_or_spike_narrower_than_the_width_is_lost():
    neck = box(0, 0, 40, 40).union(box(40, 15, 60, 25)).union(box(60, 0, 100, 40))
    assert width_loss(neck, 20) == pytest.approx(200.0)
    assert min_width(neck) == 10.0
    spike = box(0, 0, 50, 50).union(box(50, 20, 90, 28))
    assert width_opening(spike, 20).area == pytest.approx(2500.0)
    assert min_width(spike) == 8.0
    assert min_width(box(0, 0, 30, 100).union(box(0, 0, 100, 30))) == 30.0  # an L with 30 m arms


def test_corners_of_60_degrees_or_more_keep_their_points():
    assert MIN_CORNER_ANGLE == pytest.approx(60.0)
    equilateral = Polygon([(0, 0), (100, 0), (50, 50 * math.sqrt(3))])
    inscribed = 2 * equilateral.area / equilateral.length  # inradius
    assert min_width(equilateral) == pytest.approx(2 * inscribed, abs=0.01)
    half = math.radians(15)  # a 30° wedge: its tip is narrower than any width
    wedge = Polygon([(-100 * math.tan(half), 0), (100 * math.tan(half), 0), (0, 100)])
    assert not respects_width(wedge, 5.0)
    assert min_width(wedge) < 1.0


def test_disks_and_noise():
    disk = Point(0, 0).buffer(50, quad_segs=64)
    assert min_width(disk) == pytest.approx(100.0, abs=0.05)
    # a micrometre step along an edge is not narrowness
    stepped = Polygon([(0, 0), (100, 0), (100, 50), (50, 50), (50, 50 + 1e-6), (0, 50 + 1e-6)])
    assert respects_width(stepped, 50.0 - 1e-3)
    assert min_width(Polygon()) == 0.0


def test_polsby_popper():
    assert polsby_popper(Point(0, 0).buffer(10, quad_segs=256)) == pytest.approx(1.0, abs=1e-4)
    assert polsby_popper(box(0, 0, 10, 10)) == pytest.approx(math.pi / 4)
    assert polsby_popper(box(0, 0, 10, 1000)) == pytest.approx(4 * math.pi * 10_000 / 2020**2)
    assert math.isnan(polsby_popper(Polygon()))


def test_frontage_is_the_boundary_along_road_land():
    parcel = box(0, 0, 30, 40)
    assert frontage(parcel, box(-10, -10, 0, 100), 1e-3) == pytest.approx(40.0, abs=0.003)
    assert frontage(parcel, box(-10, -10, 0, 20), 1e-3) == pytest.approx(20.0, abs=0.003)
    assert frontage(parcel, LineString([(50, 0), (50, 40)]), 1e-3) == 0.0
    assert frontage(parcel, None, 1e-3) == 0.0
