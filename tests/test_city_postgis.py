"""City scale on a real PostgreSQL + PostGIS server (the ``postgres_dsn`` fixture): only rows near the
projects are fetched, the filter runs in the database, and the results equal the single process's."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import box

from landcoord.allocation.affected import affected_area
from landcoord.allocation.city import city_screen
from landcoord.allocation.conflicts import plan_conflicts
from landcoord.allocation.errors import FieldError, InputError, LayerError
from landcoord.allocation.io import postgis as pg
from landcoord.sample.fabric import blob_boundaries, quad_fabric

pytest.register_assert_rewrite("city_support")
from city_support import FIELDS, assert_same_affected, assert_same_conflicts, make_zones  # noqa: E402

pytestmark = pytest.mark.usefixtures("postgres_dsn")


@pytest.fixture(scope="module")
def fabric():
    return quad_fabric(8000, seed=21, gap_fraction=0.002, overlap_count=8)


@pytest.fixture(scope="module")
def plan(fabric):
    # a sparse plan: a few projects over a large cadastre, as a district's annual plan is
    b = blob_boundaries(fabric, 14, seed=21, coverage=0.2)
    b.attrs["name"] = "projects"
    return b


@pytest.fixture(scope="module")
def tables(postgres_dsn, fabric):
    cad = pg.write_postgis(fabric, f"PG:{postgres_dsn}|table=public.parcels_city", replace=True)
    zones = make_zones(fabric, n=300)
    ctl = pg.write_postgis(zones, f"PG:{postgres_dsn}|table=public.controls_city", replace=True)
    return {
        "cadastre": f"PG:{postgres_dsn}|table={cad.table}",
        "controls": f"PG:{postgres_dsn}|table={ctl.table}",
        "zones": zones,
    }


def test_source_strings(postgres_dsn):
    host = dict(kv.split("=") for kv in postgres_dsn.split())
    uri = f"postgresql://{host['user']}@{host['host']}:{host['port']}/{host['dbname']}?table=public.t&key=gid"
    src = pg.parse_pg_source(uri)
    assert (src.table, src.key, src.geom) == ("public.t", "gid", None)
    assert "table" not in src.dsn
    src = pg.parse_pg_source(f"PG:{postgres_dsn} password=secret|table=x.y|geom=g")
    assert "secret" not in src.label and src.geom == "g"
    with pytest.raises(InputError, match="names no table"):
        pg.parse_pg_source(f"PG:{postgres_dsn}")
    with pytest.raises(InputError, match="unknown option 'layer=x'"):
        pg.parse_pg_source(f"PG:{postgres_dsn}|table=t|layer=x")


def test_round_trip_in_key_order(tables, fabric):
    back = pg.read_postgis(tables["cadastre"])
    assert back.attrs["name"] == "public.parcels_city"
    assert back.crs.to_epsg() == 4547
    assert list(back.columns) == ["pid", "owner", "status", "geometry"]
    assert back.index.tolist() == fabric.index.tolist()
    assert (
        back[["pid", "owner", "status"]].to_numpy() == fabric[["pid", "owner", "status"]].to_numpy()
    ).all()
    assert shapely.equals_exact(back.geometry.values, fabric.geometry.values, tolerance=0).all()


def test_only_rows_near_the_boxes_are_fetched_by_the_index(postgres_dsn, tables, fabric, plan):
    boxes = plan.bounds.to_numpy()[:3]
    near = pg.read_postgis(tables["cadastre"], ["pid"], envelopes=boxes)
    truth = np.unique(shapely.STRtree(fabric.geometry.values).query(shapely.box(*boxes.T))[1])
    # every parcel whose box meets a box is there (the float4 index boxes may add a few neighbours)
    assert set(fabric.index[truth]) <= set(near.index)
    assert len(near) < 1.05 * len(truth) + 10 and len(near) < len(fabric) / 4
    assert near.index.is_monotonic_increasing
    # the database answers the filter from its GiST index, not by reading the table
    import psycopg2
    from psycopg2 import sql

    layer = pg.describe(tables["cadastre"])
    test = sql.SQL(" OR ").join([sql.SQL("geom && ST_MakeEnvelope(%s, %s, %s, %s, 4547)")] * len(boxes))
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute("SET enable_seqscan = on")
        cur.execute(
            sql.SQL("EXPLAIN SELECT {k} FROM public.parcels_city WHERE {t}").format(
                k=sql.Identifier(layer.key), t=test
            ),
            boxes.ravel().tolist(),
        )
        plan_text = "\n".join(r[0] for r in cur.fetchall())
    assert "parcels_city_geom_idx" in plan_text and "Seq Scan" not in plan_text


def test_city_on_postgis_equals_single_process(tables, plan):
    whole = pg.read_postgis(tables["cadastre"])
    zones = pg.read_postgis(tables["controls"])
    one_a = affected_area(plan, whole, **FIELDS)
    one_c = plan_conflicts(plan, zones, kind_field="kind", input_id_field="code")
    city = city_screen(
        plan, tables["cadastre"], controls=tables["controls"], kind_field="kind", partitions=5, **FIELDS
    )
    assert_same_affected(one_a, city)
    assert_same_conflicts(one_c, city)
    # only rows near the projects came out of the database
    assert city.partitions["parcels"].sum() < 0.6 * len(whole)
    assert city.partitions["zones"].sum() < len(zones)


def test_city_on_postgis_with_processes_and_uri(postgres_dsn, tables, plan):
    host = dict(kv.split("=") for kv in postgres_dsn.split())
    uri = (
        f"postgresql://{host['user']}@{host['host']}:{host['port']}/{host['dbname']}"
        "?table=public.parcels_city"
    )
    one = affected_area(plan, pg.read_postgis(tables["cadastre"]), **FIELDS)
    city = city_screen(plan, uri, partitions=3, scheduler="processes", workers=2, **FIELDS)
    assert_same_affected(one, city)


def test_table_without_primary_key_and_geographic_srid(postgres_dsn, fabric, plan):
    """Ids from the row position (ctid) when there is no key; EPSG:4490 measured in the table's zone."""
    import psycopg2

    geo = fabric.to_crs(4490)
    pg.write_postgis(geo, f"PG:{postgres_dsn}|table=public.parcels_geo", replace=True)
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute("ALTER TABLE public.parcels_geo DROP CONSTRAINT parcels_geo_pkey")
    src = f"PG:{postgres_dsn}|table=parcels_geo"
    layer = pg.describe(src)
    assert layer.key is None and layer.crs.to_epsg() == 4490
    whole = pg.read_postgis(src)
    assert whole.index.is_unique and whole.index.is_monotonic_increasing
    one = affected_area(plan, whole, **FIELDS)
    city = city_screen(plan, src, partitions=4, **FIELDS)
    assert city.affected.measure.crs.to_epsg() == 4547
    assert_same_affected(one, city)


def test_postgis_errors_name_table_and_column(postgres_dsn, tables, plan):
    with pytest.raises(LayerError, match="does not exist.*public.parcels_city"):
        pg.describe(f"PG:{postgres_dsn}|table=public.nope")
    with pytest.raises(FieldError, match="'owner2'.*pid, owner, status"):
        city_screen(plan, tables["cadastre"], **{**FIELDS, "holder_field": "owner2"})
    with pytest.raises(LayerError, match="Cannot connect"):
        pg.describe("PG:host=127.0.0.1 port=9 dbname=x user=postgres connect_timeout=3|table=t")
    empty = gpd.GeoDataFrame({"pid": pd.Series(dtype=object)}, geometry=gpd.GeoSeries([], crs=4547), crs=4547)
    pg.write_postgis(empty, f"PG:{postgres_dsn}|table=public.empty_city", replace=True)
    with pytest.raises(LayerError, match="empty"):
        city_screen(
            plan,
            f"PG:{postgres_dsn}|table=public.empty_city",
            **{**FIELDS, "holder_field": "pid", "status_field": None},
        )


def test_projects_far_from_every_parcel(tables, plan):
    far = gpd.GeoDataFrame({"code": ["FAR"]}, geometry=[box(0, 0, 100, 100)], crs=4547)
    both = pd.concat([plan, far], ignore_index=True)
    both.attrs["name"] = "projects"
    one = affected_area(both, pg.read_postgis(tables["cadastre"]), **FIELDS)
    city = city_screen(both, tables["cadastre"], partitions=4, **FIELDS)
    assert_same_affected(one, city)
    assert city.projects.set_index("project").loc["FAR", "gap_area"] == pytest.approx(10000.0)


def test_a_partition_with_no_parcel_near(tables):
    far = gpd.GeoDataFrame({"code": ["FAR"]}, geometry=[box(0, 0, 100, 100)], crs=4547)
    far.attrs["name"] = "projects"
    city = city_screen(far, tables["cadastre"], controls=tables["controls"], kind_field="kind", **FIELDS)
    one = affected_area(far, pg.read_postgis(tables["cadastre"]), **FIELDS)
    assert_same_affected(one, city)
    assert city.partitions["parcels"].tolist() == [1]  # one far-away parcel stands in, and cuts nothing
    assert_same_conflicts(
        plan_conflicts(far, pg.read_postgis(tables["controls"]), kind_field="kind", input_id_field="code"),
        city,
    )


def test_unknown_kinds_in_postgis_raise_the_single_process_error(postgres_dsn, fabric, plan):
    zones = make_zones(fabric, n=60)
    zones.loc[[5, 17, 40], "kind"] = ["红色线", "  ", "红色线"]
    zones.loc[33, "kind"] = None
    src = pg.write_postgis(zones, f"PG:{postgres_dsn}|table=public.controls_bad", replace=True)
    source = f"PG:{postgres_dsn}|table={src.table}"
    with pytest.raises(InputError) as single:
        plan_conflicts(plan, pg.read_postgis(source), kind_field="kind", input_id_field="code")
    with pytest.raises(InputError) as city:
        city_screen(plan, fabric, controls=source, kind_field="kind", **FIELDS)
    assert str(city.value) == str(single.value)
    assert "红色线" in str(city.value) and "(empty)" in str(city.value)
