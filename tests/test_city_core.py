"""City scale: partitioned runs on Dask give exactly the single-process results.

Every comparison is against the unchanged single-process cores on the same data: the same rows in
the same order (pieces per project × parcel, summaries, gaps, overlaps, reconciliation, conflicts
and their summary), compared exactly or, for the areas, within 1e-9 relative.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely import box

from landcoord.allocation.affected import AreaMethod, affected_area
from landcoord.allocation.city import PARTITION_COLUMNS, PROJECT_COLUMNS, city_screen, plan_partitions
from landcoord.allocation.conflicts import plan_conflicts
from landcoord.allocation.errors import FieldError, InputError, LayerError
from landcoord.allocation.feedback import Canceled, RecordingFeedback
from landcoord.sample.fabric import blob_boundaries, quad_fabric

pytest.register_assert_rewrite("city_support")
from city_support import (  # noqa: E402
    FIELDS,
    assert_same_affected,
    assert_same_conflicts,
    assert_same_frames,
    make_zones,
)


@pytest.fixture(scope="module")
def fabric():
    return quad_fabric(6000, seed=11, gap_fraction=0.002, overlap_count=6)


@pytest.fixture(scope="module")
def plan(fabric):
    b = blob_boundaries(fabric, 40, seed=11, coverage=0.45)
    # a project of two features, one project with no geometry, one far from every parcel
    x0, y0, _, _ = fabric.total_bounds
    extra = gpd.GeoDataFrame(
        {"code": ["PRJ0003", "EMPTY", "AWAY"]},
        geometry=[
            shapely.buffer(b.geometry.iloc[10].centroid, 90.0),
            None,
            box(x0 - 5000, y0 - 5000, x0 - 4000, y0 - 4000),
        ],
        crs=fabric.crs,
    )
    b = pd.concat([b, extra], ignore_index=True)
    b.attrs["name"] = "projects"
    return b


def test_partition_plan_covers_every_project_once():
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 1000, (200, 2))
    b = np.column_stack([xy, xy + rng.uniform(1, 50, (200, 2))])
    b[[3, 77]] = np.nan
    groups = plan_partitions(b, 9, weights=rng.uniform(1, 10, 200))
    allp = np.concatenate(groups)
    assert sorted(allp.tolist()) == list(range(200))
    assert len(groups) == 9 and all((np.diff(g) > 0).all() for g in groups)
    assert {3, 77} <= set(groups[0].tolist())
    # compact: the partitions' boxes together are far smaller than 9 copies of the whole extent
    spans = [np.nanmax(b[g][:, 2:], axis=0) - np.nanmin(b[g][:, :2], axis=0) for g in groups]
    assert sum(float(s[0] * s[1]) for s in spans) < 0.5 * 9 * 1050 * 1050


def test_identical_to_single_process_many_partitions(fabric, plan):
    one = affected_area(plan, fabric, **FIELDS)
    fb = RecordingFeedback()
    city = city_screen(plan, fabric, partitions=7, feedback=fb, **FIELDS)
    assert_same_affected(one, city)
    assert len(city.partitions) == 7 and list(city.partitions.columns) == PARTITION_COLUMNS
    assert fb.last_progress == 100
    # parcels that cross partition edges were given to two partitions, and still counted once
    assert city.partitions["parcels"].sum() > city.affected.pieces["parcel_id"].nunique()
    assert set(one.warnings) == set(city.warnings)
    # the per-project table
    p = city.projects
    assert list(p.columns) == [*PROJECT_COLUMNS, "geometry"]
    assert p["project"].tolist() == list(pd.unique(plan["code"]))
    rec = one.reconciliation.set_index("project")
    assert np.allclose(p.set_index("project").loc[rec.index, "gap_area"], rec["gap_area"], rtol=1e-12)
    counts = one.pieces.groupby("project")["parcel_id"].nunique()
    assert (p.set_index("project")["parcels"].reindex(counts.index) == counts).all()
    assert p.set_index("project").loc["AWAY", "parcels"] == 0
    assert p.set_index("project").loc["EMPTY", "project_area"] == 0


def test_projects_sharing_parcels_across_partitions():
    """Two projects cut the same parcels between them and land in different partitions."""
    parcels = gpd.GeoDataFrame(
        {"pid": ["A", "B", "C"], "owner": ["X", "Y", "X"], "status": [None, "s", "s"]},
        geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100), box(0, 100, 200, 200)],
        crs=4547,
    )
    projects = gpd.GeoDataFrame(
        {"code": ["W", "E", "FAR", "W"]},
        geometry=[
            box(-10, -10, 60, 150),
            box(60, -10, 210, 150),
            box(5000, 5000, 5100, 5100),
            box(-10, 150, 30, 190),
        ],
        crs=4547,
    )
    one = affected_area(projects, parcels, **FIELDS)
    city = city_screen(projects, parcels, partitions=3, **FIELDS)
    part = city.projects.set_index("project")["partition"]
    assert part["W"] != part["E"]
    assert_same_affected(one, city)
    # each parcel's area is split between the projects, never more, never less
    got = city.affected.pieces.groupby("parcel_id")["piece_area"].sum()
    assert got["A"] == pytest.approx(10000.0) and got["B"] == pytest.approx(10000.0)


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_conflicts_identical_including_must_lie_inside(fabric, plan, scheduler):
    zones = make_zones(fabric)
    one_a = affected_area(plan, fabric, **FIELDS)
    one_c = plan_conflicts(plan, zones, kind_field="kind", input_id_field="code")
    city = city_screen(
        plan,
        fabric,
        controls=zones,
        kind_field="kind",
        partitions=6,
        scheduler=scheduler,
        workers=2,
        **FIELDS,
    )
    assert_same_affected(one_a, city)
    assert_same_conflicts(one_c, city)
    # some partitions had no development-boundary zone near their projects: their projects are
    # still found wholly outside it, as in one process
    udb = city.conflicts.conflicts[city.conflicts.conflicts["kind"] == "城镇开发边界"]
    assert (udb["input_share"] > 0.999).sum() >= 5
    p = city.projects.set_index("project")
    s = one_c.summary.set_index("input_id")
    assert (p.loc[s.index, "verdict"] == s["verdict"]).all()
    assert np.allclose(p.loc[s.index, "blocking_area"], s["blocking_area"], rtol=1e-12)
    assert "zones" in city.partitions and (city.partitions["zones"] < len(zones)).all()


def test_geographic_cadastre_measured_in_the_whole_layers_zone(fabric, plan):
    geo = fabric.to_crs(4490)
    geo.attrs["name"] = "parcels"
    gplan = plan.to_crs(4490)
    gplan.attrs["name"] = "projects"
    one = affected_area(gplan, geo, **FIELDS)
    city = city_screen(gplan, geo, partitions=5, **FIELDS)
    assert city.affected.measure.crs.equals(one.measure.crs)
    assert_same_affected(one, city)


def test_ellipsoidal_areas(fabric, plan):
    one = affected_area(plan, fabric, area_method=AreaMethod.ELLIPSOIDAL, **FIELDS)
    city = city_screen(plan, fabric, area_method=AreaMethod.ELLIPSOIDAL, partitions=4, **FIELDS)
    assert_same_affected(one, city)


def test_feature_ids_as_project_ids(fabric, plan):
    kw = {k: v for k, v in FIELDS.items() if k != "project_field"}
    one = affected_area(plan, fabric, **kw)
    city = city_screen(plan, fabric, partitions=5, **kw)
    assert_same_affected(one, city)


def test_files_as_sources(tmp_path, fabric, plan):
    import pyogrio

    path = tmp_path / "city.gpkg"
    pyogrio.write_dataframe(fabric, path, layer="parcels")
    pyogrio.write_dataframe(plan, path, layer="projects")
    from landcoord.allocation.io.files import read_layer

    one = affected_area(
        read_layer(f"{path}|layername=projects"), read_layer(f"{path}|layername=parcels"), **FIELDS
    )
    city = city_screen(f"{path}|layername=projects", f"{path}|layername=parcels", partitions=3, **FIELDS)
    assert_same_affected(one, city)


def test_distributed_scheduler_address(fabric, plan):
    """A real dask.distributed scheduler on loopback, given by its tcp:// address."""
    from distributed import LocalCluster

    zones = make_zones(fabric, n=150)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        city = city_screen(
            plan,
            fabric,
            controls=zones,
            kind_field="kind",
            scheduler=cluster.scheduler_address,
            partitions=4,
            **FIELDS,
        )
    assert "distributed" in city.scheduler
    assert city.partitions["worker"].str.split(":").str[1].nunique() >= 1
    assert_same_affected(affected_area(plan, fabric, **FIELDS), city)
    assert_same_conflicts(plan_conflicts(plan, zones, kind_field="kind", input_id_field="code"), city)


def test_errors_as_the_single_process(fabric, plan):
    with pytest.raises(FieldError, match="nope"):
        city_screen(plan, fabric, **{**FIELDS, "holder_field": "nope"})
    with pytest.raises(FieldError, match="code2"):
        city_screen(plan, fabric, **{**FIELDS, "project_field": "code2"})
    with pytest.raises(LayerError, match="empty"):
        city_screen(plan, fabric.iloc[:0], **FIELDS)
    with pytest.raises(InputError, match="Unknown scheduler"):
        city_screen(plan, fabric, scheduler="gpu", **FIELDS)
    zones = make_zones(fabric, n=20)
    zones.loc[3, "kind"] = "不存在的线"
    with pytest.raises(InputError, match="不存在的线"):
        city_screen(plan, fabric, controls=zones, kind_field="kind", **FIELDS)
    with pytest.raises(FieldError, match="kind2"):
        city_screen(plan, fabric, controls=zones, kind_field="kind2", **FIELDS)
    with pytest.raises(InputError, match="tcp://127.0.0.1:9"):
        city_screen(plan, fabric, scheduler="tcp://127.0.0.1:9", **FIELDS)


def test_inputs_are_not_modified(fabric, plan):
    before_f, before_p = fabric.copy(), plan.copy()
    city_screen(plan, fabric, controls=make_zones(fabric, 50), kind_field="kind", partitions=3, **FIELDS)
    pd.testing.assert_frame_equal(pd.DataFrame(fabric), pd.DataFrame(before_f))
    pd.testing.assert_frame_equal(pd.DataFrame(plan), pd.DataFrame(before_p))


def test_cancel_stops_the_run(fabric, plan):
    class CancelSoon(RecordingFeedback):
        def is_canceled(self):
            return self.last_progress > 10

    with pytest.raises(Canceled):
        city_screen(plan, fabric, partitions=6, workers=1, feedback=CancelSoon(), **FIELDS)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_projects=st.integers(1, 12),
    n_parts=st.integers(1, 8),
    n_parcels=st.integers(30, 400),
)
def test_any_partitioning_gives_the_single_process_result(seed, n_projects, n_parts, n_parcels):
    f = quad_fabric(n_parcels, cell=20.0, seed=seed, gap_fraction=0.02, overlap_count=2)
    b = blob_boundaries(f, n_projects, seed=seed, coverage=0.6)
    b["code"] = [f"P{k % max(1, n_projects - 2)}" for k in range(len(b))]  # some multi-feature projects
    one = affected_area(b, f, **FIELDS)
    city = city_screen(b, f, partitions=n_parts, **FIELDS)
    assert_same_affected(one, city)
    # nothing lost, nothing twice: per project, the pieces add up to what one process claims
    rec = city.affected.reconciliation
    assert np.allclose(rec["covered_area"] + rec["gap_area"], rec["project_area"], rtol=1e-9, atol=1e-6)


def test_tables_without_geometries_have_the_same_figures(fabric, plan):
    zones = make_zones(fabric, n=120)
    one_a = affected_area(plan, fabric, **FIELDS)
    one_c = plan_conflicts(plan, zones, kind_field="kind", input_id_field="code")
    city = city_screen(
        plan, fabric, controls=zones, kind_field="kind", partitions=4, geometries=False, **FIELDS
    )
    for name in ("pieces", "gaps", "overlaps"):
        got = getattr(city.affected, name)
        assert not isinstance(got, gpd.GeoDataFrame) and "geometry" not in got.columns
        assert_same_frames(pd.DataFrame(getattr(one_a, name)).drop(columns="geometry"), got, name)
    assert_same_frames(pd.DataFrame(one_c.conflicts).drop(columns="geometry"), city.conflicts.conflicts)
    assert_same_frames(one_a.summary, city.affected.summary)
    assert isinstance(city.projects, gpd.GeoDataFrame)
