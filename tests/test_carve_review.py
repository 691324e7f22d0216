"""Carving keeps clear of the zones for review by hand (the registry's ``review`` kinds, e.g. the
purple line 紫线) when every quota still fits that way; when not, it carves as before and the log
says which community's parcel lies how much on them.

Checked with plain shapely against the zones; the command line (``--controls`` takes the
registry's review kinds, ``--review`` zones given by hand) on the bundled sample.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import box

from landcoord.allocation.carve import carve_retained
from landcoord.allocation.controls import exclusion_zones
from landcoord.allocation.feedback import RecordingFeedback

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "landcoord_sample.gpkg"
LANDCOORD = Path(sys.executable).parent / "landcoord"
X0, Y0 = 500_000.0, 2_500_000.0


def _frame(geoms, name, **cols):
    gdf = gpd.GeoDataFrame(pd.DataFrame(cols), geometry=list(geoms), crs=4547)
    gdf.attrs["name"] = name
    return gdf


def _project(review_box):
    """A 300 m x 200 m project on a road along its south side, community A's holdings in the
    south-west, and a zone for review by hand."""
    return dict(
        boundary=_frame([box(X0, Y0, X0 + 300, Y0 + 200)], "projects"),
        roads=_frame([box(X0 - 50, Y0 - 10, X0 + 350, Y0)], "roads"),
        prefer=_frame([box(X0 + 20, Y0, X0 + 90, Y0 + 60)], "holdings", 社区=["A"]),
        prefer_field="社区",
        min_width=20.0,
    ), _frame([review_box], "purple line")


@np.errstate(invalid="ignore", divide="ignore")
def test_parcels_keep_clear_of_review_zones_when_the_quota_fits():
    inputs, review = _project(box(X0, Y0, X0 + 120, Y0 + 100))  # over the holdings
    quotas = pd.DataFrame({"community": ["A"], "target_area": [3000.0]})
    zone = review.geometry.iloc[0]
    # without the review zones, the parcel goes on the holdings, on the zone: the premise
    plain = carve_retained(quotas=quotas, **inputs)
    assert shapely.intersection(plain.parcels.geometry.iloc[0], zone).area > 100.0
    fb = RecordingFeedback()
    result = carve_retained(quotas=quotas, review=[review], feedback=fb, **inputs)
    parcel = result.parcels.geometry.iloc[0]
    assert shapely.intersection(parcel, zone).area <= 1e-6
    assert abs(parcel.area - 3000.0) <= 0.01
    assert shapely.distance(parcel, inputs["roads"].geometry.iloc[0]) <= 1e-3
    assert (result.parcels.min_width >= 20.0).all()
    said = [n for n in result.notes if "keeps clear of purple line" in n]
    assert said == ["Project 0: every parcel keeps clear of purple line; the quotas fit without that land."]
    assert said[0] in fb.infos
    assert not any("do not fit clear" in w for w in result.warnings)


@np.errstate(invalid="ignore", divide="ignore")
def test_when_the_quota_does_not_fit_clear_it_is_carved_as_before_and_said():
    # the zone leaves a strip 20 m wide on the east side: 4,000 m², less than the quota
    inputs, review = _project(box(X0 - 1, Y0 - 1, X0 + 280, Y0 + 201))
    quotas = pd.DataFrame({"community": ["A"], "target_area": [6000.0]})
    zone = review.geometry.iloc[0]
    plain = carve_retained(quotas=quotas, **inputs)
    fb = RecordingFeedback()
    result = carve_retained(quotas=quotas, review=[review], feedback=fb, **inputs)
    # today's behaviour: the same parcel as without the review zones
    assert (
        shapely.symmetric_difference(result.parcels.geometry.iloc[0], plain.parcels.geometry.iloc[0]).area
        <= 1e-6
    )
    on = shapely.intersection(result.parcels.geometry.iloc[0], zone).area
    assert on > 1000.0
    warning = [w for w in result.warnings if "do not fit clear of purple line" in w]
    assert warning == [
        f"Project 0: the quotas do not fit clear of purple line, so they were carved as without it; on it "
        f"lie: 'A' ({on:,.2f} m²). Check that land by hand in the conflicts step."
    ]
    assert warning[0] in fb.warnings
    # the try clear of the zone left nothing in the log: each note of the run once
    assert len(fb.infos) == len(set(fb.infos))


def _quotas(path: Path) -> Path:
    # the columns of landcoord:retainedquota's summary; the figures are test inputs, not rule values
    pd.DataFrame(
        {
            "project": ["LHTZ-2024-01", "LHTZ-2024-01", "LHTZ-2024-02"],
            "community": ["龙园社区", "松坪社区", "石岭社区"],
            "retained_area": [90_035.52, 42_250.62, 101_757.96],
        }
    ).to_csv(path, index=False, encoding="utf-8")
    return path


def _carve(tmp_path, name, *extra):
    src = f"{SAMPLE}|layername="
    out = tmp_path / f"{name}.gpkg"
    args = [str(LANDCOORD), "carve", "--boundary", src + "projects", "--project-field", "项目编号"]
    args += ["--quotas", str(_quotas(tmp_path / "quotas.csv")), "--exclude", src + "zoning|用地性质=S1,GIC"]
    args += ["--prefer", src + "holdings", "--prefer-field", "社区", "--roads", src + "roads", *extra]
    proc = subprocess.run(
        [*args, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "LANDCOORD_LANG": "en"},
    )
    return proc, out


@pytest.mark.skipif(not SAMPLE.exists(), reason="the bundled sample is missing")
def test_command_line_keeps_the_sample_clear_of_the_purple_line(tmp_path):
    src = f"{SAMPLE}|layername="
    registry, out_reg = _carve(
        tmp_path, "registry", "--controls", src + "controls", "--control-kind-field", "类型"
    )
    assert registry.returncode == 0, registry.stderr
    said = registry.stdout + registry.stderr
    assert "Project LHTZ-2024-01: every parcel keeps clear of controls (for review by hand: 紫线)" in said
    controls = gpd.read_file(SAMPLE, layer="controls")
    purple = shapely.union_all(controls[controls["类型"] == "紫线"].geometry.values)
    parcels = gpd.read_file(out_reg, layer="parcels")
    assert len(parcels) > 0
    assert max(shapely.intersection(g, purple).area for g in parcels.geometry) <= 1e-6
    # the same zones given by hand (--review for the review kinds) give the same parcels
    zones = exclusion_zones()
    by_hand, out_hand = _carve(
        tmp_path,
        "by_hand",
        "--exclude",
        src + "controls|类型=" + ",".join(v for v in zones.avoid_values if "," not in v),
        "--within",
        src + "controls|类型=" + ",".join(zones.inside_values),
        "--review",
        src + "controls|类型=" + ",".join(n for k in zones.review for n in k.names if "," not in n),
    )
    assert by_hand.returncode == 0, by_hand.stderr
    hand = gpd.read_file(out_hand, layer="parcels")
    assert len(hand) == len(parcels)
    for a, b in zip(hand.geometry, parcels.geometry):
        assert shapely.symmetric_difference(a, b).area <= 1e-6
