"""Reading only the control zones near a proposal gives exactly the result of reading them all."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from landcoord.allocation.conflicts import plan_conflicts
from landcoord.allocation.controls import UnknownKindError
from landcoord.allocation.io.files import read_layer, read_layer_near
from landcoord.benchmarks.bench_conflicts import make_data, write_data


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    proposals, controls, _ = make_data(300, 6_000, seed=3, vertex_spacing=0)
    path = tmp_path_factory.mktemp("near") / "data.gpkg"
    write_data(path, proposals, controls)
    return path, proposals


def _both(path, proposals, controls_layer="controls"):
    source = f"{path}|layername={controls_layer}"
    near, far = read_layer_near(source, proposals, other_columns=["kind"])
    quick = plan_conflicts(proposals, near, kind_field="kind", input_id_field="code", far_zones=far)
    full = plan_conflicts(proposals, read_layer(source), kind_field="kind", input_id_field="code")
    return near, far, quick, full


def _same(a, b):
    ca, cb = a.conflicts, b.conflicts
    pd.testing.assert_frame_equal(
        ca.drop(columns="geometry").reset_index(drop=True), cb.drop(columns="geometry").reset_index(drop=True)
    )
    assert shapely.equals(ca.geometry.values, cb.geometry.values).all()
    pd.testing.assert_frame_equal(a.summary, b.summary)
    assert a.kinds_checked == b.kinds_checked and a.warnings == b.warnings


def test_a_clustered_proposal_reads_few_zones_and_gets_the_same_result(data):
    path, proposals = data
    x0, y0, x1, y1 = proposals.total_bounds
    corner = proposals[proposals.centroid.x < x0 + (x1 - x0) * 0.2].copy()
    corner = corner[corner.centroid.y < y0 + (y1 - y0) * 0.3]
    assert 3 <= len(corner) < 60
    near, far, quick, full = _both(path, corner)
    assert len(near) < 0.2 * (len(near) + len(far)) and len(near) + len(far) == 6_000
    _same(quick, full)


def test_a_few_scattered_proposals_read_their_zones_only(data):
    path, proposals = data
    few = proposals.iloc[::30].copy()
    near, far, quick, full = _both(path, few)
    assert len(near) < 0.3 * (len(near) + len(far))
    _same(quick, full)


def test_many_proposals_read_the_whole_layer(data):
    path, proposals = data
    near, far, quick, full = _both(path, proposals)
    assert len(far) == 0 and len(near) == 6_000
    _same(quick, full)


def test_another_crs_and_a_development_boundary_only_far_away(data, tmp_path):
    path, proposals = data
    controls = read_layer(f"{path}|layername=controls")
    x0, y0, x1, y1 = controls.total_bounds
    # one development boundary zone only, in the far east, away from the proposals checked
    moved = controls[controls["kind"] != "城镇开发边界"].copy()
    moved.loc[10_000, ["kind", "geometry"]] = ["城镇开发边界", shapely.box(x1 - (x1 - x0) * 0.05, y0, x1, y1)]
    moved.to_file(tmp_path / "c.gpkg", layer="controls", engine="pyogrio")
    west = proposals[proposals.centroid.x < x0 + (x1 - x0) * 0.3].iloc[:8].to_crs(4326)
    near, far, quick, full = _both(tmp_path / "c.gpkg", west)
    assert (far["kind"] == "城镇开发边界").any() and not (near["kind"] == "城镇开发边界").any()
    _same(quick, full)
    assert (quick.summary["verdict"] == "blocked").all()  # wholly outside the development boundary


def test_an_unknown_kind_far_away_still_stops_the_run(data, tmp_path):
    path, proposals = data
    controls = read_layer(f"{path}|layername=controls")
    x0, _, x1, _ = controls.total_bounds
    far_east = np.flatnonzero((controls.centroid.x > x1 - (x1 - x0) * 0.05).to_numpy())[0]
    controls.loc[controls.index[far_east], "kind"] = "规划留白区"
    controls.to_file(tmp_path / "c.gpkg", layer="controls", engine="pyogrio")
    west = proposals[proposals.centroid.x < x0 + (x1 - x0) * 0.2].iloc[:5]
    near, far = read_layer_near(f"{tmp_path / 'c.gpkg'}|layername=controls", west, other_columns=["kind"])
    assert "规划留白区" in set(far["kind"])
    with pytest.raises(UnknownKindError, match="规划留白区"):
        plan_conflicts(west, near, kind_field="kind", input_id_field="code", far_zones=far)


def test_the_processing_algorithm_reads_near_zones_and_gets_the_same_result(data, tmp_path, run_alg):
    import pyogrio

    path, proposals = data
    x0, y0, x1, y1 = proposals.total_bounds
    corner = proposals[
        (proposals.centroid.x < x0 + (x1 - x0) * 0.2) & (proposals.centroid.y < y0 + (y1 - y0) * 0.3)
    ]
    corner.to_file(tmp_path / "p.gpkg", layer="proposals", engine="pyogrio")
    res = run_alg(
        "landcoord:planconflicts",
        {
            "INPUT": f"{tmp_path / 'p.gpkg'}|layername=proposals",
            "INPUT_ID_FIELD": "code",
            "CONTROLS": f"{path}|layername=controls",
            "KIND_FIELD": "kind",
            "TOLERANCE": 1.0,
            "OUTPUT": str(tmp_path / "conflicts.gpkg"),
            "SUMMARY": str(tmp_path / "summary.gpkg"),
        },
    )
    full = plan_conflicts(
        corner, read_layer(f"{path}|layername=controls"), kind_field="kind", input_id_field="code"
    )
    got = pyogrio.read_dataframe(res["SUMMARY"])
    want = full.summary
    assert got["input_id"].astype(str).tolist() == want["input_id"].astype(str).tolist()
    np.testing.assert_allclose(got["blocking_area"], want["blocking_area"], rtol=1e-9)
    assert got["verdict"].tolist() == want["verdict"].tolist()
    conflicts = pyogrio.read_dataframe(res["OUTPUT"])
    assert len(conflicts) == len(full.conflicts)
    assert conflicts["zone_ids"].tolist() == full.conflicts["zone_ids"].tolist()
