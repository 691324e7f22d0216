"""Tests of the bundled sample project and its generator (pure Python, no QGIS).

The generator must be deterministic, the committed GeoPackage must be what it generates, and the
village must have what the brief asks for: the counts, the kinds, and the awkward cases that real
cadastres have (found here from the geometry, then compared with what the generator planted).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from landcoord.sample import make_sample as ms

# GEOS 3.11 computes NaN envelopes for empty overlay results, which numpy reports as a warning
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")

SAMPLE = Path(ms.__file__).resolve().parent / "landcoord_sample.gpkg"
FIELDS = {
    "parcels": ["宗地号", "权利人", "权利人类型", "社区", "用地状态", "身份证号", "联系电话"],
    "buildings": ["楼栋号", "宗地号", "层数", "基底面积", "建筑面积", "合法状态"],
    "projects": ["项目编号", "项目名称"],
    "controls": ["类型", "名称"],
    "zoning": ["用地性质", "容积率", "地块编号"],
    "holdings": ["社区", "社区股份合作公司"],
    "roads": ["道路名称", "宽度"],
}
GEOMETRY = {"parcels": "MultiPolygon", "roads": "LineString"}  # everything else: Polygon
GAP_MIN = 10.0  # uncovered pieces below this are the slivers a repaired bow-tie leaves


# ---------------------------------------------------------------------------------------------
# fixtures and helpers


@pytest.fixture(scope="module")
def timed():
    t0 = time.perf_counter()
    layers = ms.generate()
    return layers, time.perf_counter() - t0


@pytest.fixture(scope="module")
def layers(timed):
    return timed[0]


@pytest.fixture(scope="module")
def parcels(layers):
    return layers["parcels"]


@pytest.fixture(scope="module")
def clean(parcels):
    """Parcel geometries with the bow-tie repaired (make_valid), as a numpy array."""
    return shapely.make_valid(parcels.geometry.values)


@pytest.fixture(scope="module")
def projects(layers):
    return dict(zip(layers["projects"]["项目编号"], layers["projects"].geometry))


def _frame_and_wkb(gdf, normalize: bool = False):
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).reset_index(drop=True)
    geoms = gdf.geometry.values
    if normalize:
        geoms = shapely.normalize(geoms)
    return df, list(shapely.to_wkb(geoms, output_dimension=2))


def _assert_same(a: dict, b: dict, normalize: bool = False) -> None:
    assert list(a) == list(b) == list(ms.LAYERS)
    for name in ms.LAYERS:
        fa, wa = _frame_and_wkb(a[name], normalize)
        fb, wb = _frame_and_wkb(b[name], normalize)
        pd.testing.assert_frame_equal(fa, fb, obj=name)
        assert wa == wb, f"layer {name}: geometries differ"


def _read(path: Path) -> dict:
    return {name: pyogrio.read_dataframe(path, layer=name) for name in ms.LAYERS}


def _segments(geoms) -> np.ndarray:
    """Every ring segment of the polygons in ``geoms`` as rows (x1, y1, x2, y2), endpoints sorted."""
    rings = shapely.get_rings(shapely.get_parts(np.asarray(geoms, dtype=object)))
    xy, idx = shapely.get_coordinates(rings, return_index=True)
    same = idx[1:] == idx[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    a[swap], b[swap] = b[swap].copy(), a[swap].copy()
    return np.hstack([a, b])


def _assert_valid_coverage(geoms, what: str) -> None:
    """No overlaps, and neighbours share edges vertex for vertex (GEOS 3.11 has no coverage_is_valid).

    In a clean coverage every inner edge appears exactly twice and the edges that appear once are
    the coverage's outline; a T-junction or a shifted vertex leaves extra once-edges.
    """
    geoms = np.asarray(geoms, dtype=object)
    assert shapely.is_valid(geoms).all(), f"{what}: invalid polygons"
    union = shapely.union_all(geoms)
    assert abs(shapely.area(geoms).sum() - union.area) < 1e-3, f"{what}: polygons overlap"
    seg = _segments(geoms)
    length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1])
    assert length.min() > 0, f"{what}: repeated vertices"
    _, inverse, counts = np.unique(seg, axis=0, return_inverse=True, return_counts=True)
    assert counts.max() <= 2, f"{what}: an edge is shared by more than two polygons"
    once = length[counts[inverse.ravel()] == 1].sum()
    assert once == pytest.approx(union.boundary.length, abs=1e-3), f"{what}: edges do not match exactly"


def _neighbour_pairs(geoms):
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    keep = i < j
    return i[keep], j[keep]


def _uncovered(project, clean) -> list:
    tree = shapely.STRtree(clean)
    near = clean[tree.query(project, predicate="intersects")]
    return list(shapely.get_parts(shapely.difference(project, shapely.union_all(near))))


def _defects(parcels, kind: str) -> list[dict]:
    return [d for d in parcels.attrs["defects"] if d["defect"] == kind]


# ---------------------------------------------------------------------------------------------
# determinism


def test_generation_is_fast(timed):
    assert timed[1] < 30


def test_same_seed_gives_identical_content(layers):
    _assert_same(layers, ms.generate(ms.DEFAULT_SEED))


def test_written_file_reads_back_identical(layers, tmp_path):
    path = ms.write(tmp_path / "sample.gpkg")
    assert [name for name, _ in pyogrio.list_layers(path)] == list(ms.LAYERS)
    _assert_same(layers, _read(path))
    assert not list(tmp_path.glob(".sample-*")), "temporary file left behind"


def test_written_bytes_are_reproducible(layers, tmp_path):
    a = ms._write_layers(layers, tmp_path / "a.gpkg").read_bytes()
    b = ms._write_layers(layers, tmp_path / "b.gpkg").read_bytes()
    assert a == b


def test_other_seed_differs_and_still_fits_the_brief(parcels):
    other = ms.generate(7)
    p = other["parcels"]
    assert len(p) != len(parcels) or not p.geometry.geom_equals(parcels.geometry).all()
    assert 3000 <= len(p) <= 4000
    share = p.geometry.area[p["用地状态"] == ms.UNCOMPENSATED].sum() / p.geometry.area.sum()
    assert 0.40 <= share <= 0.55
    kinds = [d["defect"] for d in p.attrs["defects"]]
    assert kinds.count("gap") + kinds.count("hole that is a gap") in range(3, 7)
    assert kinds.count("double claim") in range(3, 6)
    assert kinds.count("multipart") >= 5
    assert kinds.count("no rights-holder") in range(5, 11)
    assert (~p.geometry.is_valid).sum() == 1


def test_committed_file_matches_generate(layers):
    assert SAMPLE.exists(), "run `python -m landcoord.sample.make_sample` to build the sample"
    assert SAMPLE.stat().st_size < 6e6
    # normalized, so that a GEOS release starting rings elsewhere does not fail the comparison
    _assert_same(layers, _read(SAMPLE), normalize=True)


def test_docstring_table_lists_the_default_seed_defects(layers):
    start, end = ".. defect-table-start", ".. defect-table-end"
    doc = ms.__doc__
    table = doc[doc.index(start) + len(start) : doc.index(end)]
    assert table.strip() == ms.defect_table(layers).strip()


# ---------------------------------------------------------------------------------------------
# every layer


def test_layers_fields_and_geometry_types(layers):
    for name in ms.LAYERS:
        gdf = layers[name]
        assert [c for c in gdf.columns if c != gdf.geometry.name] == FIELDS[name], name
        assert set(gdf.geom_type) == {GEOMETRY.get(name, "Polygon")}, name
        assert gdf.crs.to_epsg() == 4547, name
        xmin, ymin, xmax, ymax = gdf.total_bounds
        x0, y0, x1, y1 = ms.EXTENT
        assert x0 <= xmin and y0 <= ymin and xmax <= x1 and ymax <= y1, name


def test_file_crs_is_epsg_4547():
    for name in ms.LAYERS:
        assert pyogrio.read_info(SAMPLE, layer=name)["crs"] == "EPSG:4547"


def test_coordinates_are_whole_millimetres(layers):
    for name in ms.LAYERS:
        xy = shapely.get_coordinates(layers[name].geometry.values)
        assert np.isfinite(xy).all()
        assert (np.round(xy, 3) == xy).all(), name


# ---------------------------------------------------------------------------------------------
# parcels: attributes


def test_parcel_counts_and_ids(parcels):
    assert 3000 <= len(parcels) <= 4000
    assert parcels["宗地号"].is_unique
    assert parcels["宗地号"].str.fullmatch(r"LH03\d{2}-\d{5}").all()


def test_parcel_domains(parcels):
    assert set(parcels["用地状态"]) == set(ms.STATUSES)
    typed = parcels["权利人类型"].dropna()
    assert set(typed) == set(ms.HOLDER_TYPES)
    state = parcels["权利人类型"] == ms.STATE
    assert parcels.loc[state, "社区"].isna().all()
    assert set(parcels.loc[~state, "社区"].dropna()) == set(ms.COMMUNITIES)
    companies = parcels.loc[parcels["权利人类型"] == ms.COMPANY]
    assert set(companies["权利人"]) == set(ms.COMMUNITIES.values())
    assert (companies["社区"].map(ms.COMMUNITIES) == companies["权利人"]).all()
    bodies = set(parcels.loc[state, "权利人"])
    assert 4 <= len(bodies) <= 6 and bodies <= set(ms.STATE_BODIES)


def test_individuals(parcels):
    person = parcels["权利人类型"] == ms.PERSON
    others = parcels.loc[~person]
    assert others["身份证号"].isna().all() and others["联系电话"].isna().all()
    people = parcels.loc[person]
    assert people["身份证号"].notna().all() and people["联系电话"].notna().all()
    ids = people["身份证号"]
    assert ids.str.fullmatch(r"4403\d{13}[\dX]").all()
    births = pd.to_datetime(ids.str[6:14], format="%Y%m%d")  # raises on an impossible date
    assert births.dt.year.between(1940, 2000).all()
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    for idn in ids.unique():
        assert "10X98765432"[int(np.dot(weights, [int(c) for c in idn[:17]])) % 11] == idn[17]
    assert people["联系电话"].str.fullmatch(r"13\d{9}").all()
    per_person = people.groupby("身份证号").agg(
        n=("宗地号", "size"), names=("权利人", "nunique"), phones=("联系电话", "nunique")
    )
    assert per_person["n"].between(1, 5).all()
    assert (per_person["names"] == 1).all() and (per_person["phones"] == 1).all()
    assert 200 <= len(per_person) <= 999
    names = people.drop_duplicates("身份证号")["权利人"]
    assert names.str.fullmatch(r"[\u4e00-\u9fff]{2,4}").all()
    compound = names[names.str[:2].isin(["欧阳", "司马", "上官", "诸葛"])]
    assert len(compound) >= 4 and compound.str.len().between(3, 4).all()
    single = names[~names.index.isin(compound.index)]
    assert single.str.len().between(2, 3).all()


def test_companies_hold_many_parcels_including_large_ones(parcels, clean):
    area = shapely.area(clean)
    for company in ms.COMMUNITIES.values():
        own = (parcels["权利人"] == company).to_numpy()
        assert own.sum() >= 50
        assert area[own].max() >= 5_000


def test_status_shares(parcels, clean, projects):
    area = pd.Series(shapely.area(clean)).groupby(parcels["用地状态"].to_numpy()).sum()
    assert area.idxmax() == ms.UNCOMPENSATED
    assert 0.40 <= area[ms.UNCOMPENSATED] / area.sum() <= 0.55
    unc = clean[(parcels["用地状态"] == ms.UNCOMPENSATED).to_numpy()]
    for pid, project in projects.items():
        inside = shapely.intersection(unc, project)
        assert shapely.area(inside).sum() / project.area > 0.5, pid
        # entry condition: one contiguous block of uncompensated land of 3,000 m² or more
        biggest = max(shapely.get_parts(shapely.union_all(inside)), key=lambda g: g.area)
        assert biggest.area >= 3000, pid
        statuses = set(parcels.loc[shapely.intersects(clean, project.buffer(-1)), "用地状态"])
        assert len(statuses) >= 4, f"{pid}: too few legal statuses inside"


def test_statuses_are_spatially_clustered(parcels, clean):
    i, j = _neighbour_pairs(clean)
    shared = shapely.length(shapely.intersection(shapely.boundary(clean[i]), shapely.boundary(clean[j])))
    status = parcels["用地状态"].to_numpy()
    same = status[i] == status[j]
    assert shared[same].sum() / shared.sum() > 0.7


# ---------------------------------------------------------------------------------------------
# parcels: geometry and deliberate defects


def test_parcel_sizes(parcels, clean):
    area = shapely.area(clean)
    assert area.min() >= 100
    assert area.max() <= 30_000
    ordinary = (parcels["用地状态"] != ms.RESERVE).to_numpy()
    assert np.mean(area[ordinary] <= 3000) > 0.85
    assert np.mean(area[ordinary] >= 150) > 0.99


def test_only_the_bow_tie_is_invalid(parcels, projects):
    invalid = parcels.loc[~parcels.geometry.is_valid]
    assert len(invalid) == 1
    assert "Self-intersection" in shapely.is_valid_reason(invalid.geometry.iloc[0])
    assert list(invalid["宗地号"]) == list(_defects(parcels, "bow-tie (self-crossing)")[0]["parcels"])
    assert any(p.contains(invalid.geometry.iloc[0].representative_point()) for p in projects.values())


def test_multipart_parcels(parcels):
    parts = shapely.get_num_geometries(parcels.geometry.values)
    multi = parcels.loc[parts > 1]
    assert len(multi) >= 5
    assert (shapely.get_num_geometries(multi.geometry.values) == 2).all()
    for g in multi.geometry:
        a, b = shapely.get_parts(g)
        assert a.distance(b) > 0
    assert sorted(multi["宗地号"]) == sorted(d["parcels"][0] for d in _defects(parcels, "multipart"))
    planted = {d["project"] for d in _defects(parcels, "multipart")}
    assert {"LHTZ-2024-01", "LHTZ-2024-02"} <= planted


def test_double_claims(parcels, clean, projects):
    i, j = _neighbour_pairs(clean)
    overlap = shapely.area(shapely.intersection(clean[i], clean[j]))
    hit = overlap > 0.01
    assert 3 <= hit.sum() <= 5
    assert ((overlap[hit] >= 10) & (overlap[hit] <= 200)).all()
    ids = parcels["宗地号"].to_numpy()
    found = {frozenset((ids[a], ids[b])) for a, b in zip(i[hit], j[hit])}
    planted = _defects(parcels, "double claim")
    assert found == {frozenset(d["parcels"]) for d in planted}
    for pid, project in projects.items():
        inside = [a for a, b in zip(i[hit], j[hit]) if project.contains(clean[a].representative_point())]
        assert inside, f"no double claim in {pid}"


def test_gaps_inside_projects(parcels, clean, projects):
    bow = parcels.loc[~parcels.geometry.is_valid].geometry.iloc[0]
    gaps = []
    for pid, project in projects.items():
        pieces = _uncovered(project, clean)
        big = [g for g in pieces if g.area >= GAP_MIN]
        small = [g for g in pieces if g.area < GAP_MIN]
        assert big, f"no gap in {pid}"
        assert all(g.distance(bow) < 0.01 for g in small), f"{pid}: unexpected slivers"
        gaps.extend(big)
    assert 3 <= len(gaps) <= 6
    assert all(20 <= g.area <= 300 for g in gaps)
    planted = _defects(parcels, "gap") + _defects(parcels, "hole that is a gap")
    assert sorted(g.area for g in gaps) == pytest.approx(sorted(d["area"] for d in planted), abs=0.02)


def test_donut_and_hole(parcels, clean):
    geoms = parcels.geometry.values
    ids = parcels["宗地号"].to_numpy()
    tree = shapely.STRtree(clean)
    islands, hole_gaps = [], []
    for k, g in enumerate(geoms):
        if not shapely.is_valid(g):
            continue
        for part in shapely.get_parts(g):
            for ring in part.interiors:
                hole = shapely.Polygon(ring)
                near = tree.query(hole, predicate="intersects")
                inside = [m for m in near if shapely.intersection(clean[m], hole).area > 0.01]
                if inside:
                    assert len(inside) == 1 and shapely.equals(clean[inside[0]], hole)
                    islands.append((ids[k], ids[inside[0]]))
                else:
                    hole_gaps.append(ids[k])
    assert [tuple(d["parcels"]) for d in _defects(parcels, "donut with island")] == islands
    assert [d["parcels"][0] for d in _defects(parcels, "hole that is a gap")] == hole_gaps


def test_parcels_without_rights_holder(parcels, clean, projects):
    none = parcels["权利人"].isna().to_numpy()
    assert 5 <= none.sum() <= 10
    assert parcels.loc[none, ["权利人类型", "社区", "身份证号", "联系电话"]].isna().all().all()
    assert parcels.loc[~none, "权利人类型"].notna().all()
    for pid, project in projects.items():
        inside = shapely.contains(project, shapely.point_on_surface(clean[none]))
        assert inside.any(), f"no parcel without holder in {pid}"
    union = shapely.union_all(list(projects.values()))
    assert shapely.contains(union, shapely.point_on_surface(clean[none])).all()


def test_parcels_form_a_valid_coverage_apart_from_the_defects(parcels, clean):
    claims = {pid for d in _defects(parcels, "double claim") for pid in d["parcels"][:1]}
    keep = parcels.geometry.is_valid.to_numpy() & ~parcels["宗地号"].isin(claims).to_numpy()
    _assert_valid_coverage(clean[keep], "parcels")


def test_roads_are_gaps_outside_projects_and_state_land_inside(layers, parcels, clean, projects):
    roads = layers["roads"]
    core = shapely.union_all(
        shapely.buffer(roads.geometry.values, roads["宽度"].to_numpy() / 2 - 1.5, cap_style="flat")
    )
    tree = shapely.STRtree(clean)
    hits = np.unique(tree.query(core, predicate="intersects"))
    hits = [k for k in hits if shapely.intersection(clean[k], core).area > 1.0]
    union = shapely.union_all(list(projects.values()))
    assert len(hits) >= 5
    for k in hits:
        assert parcels["用地状态"].iat[k] == ms.RESERVE
        assert parcels["权利人"].iat[k] in (ms.TRANSPORT, ms.CENTRE)
        assert shapely.intersection(clean[k], union).area > 0


# ---------------------------------------------------------------------------------------------
# other layers


def test_buildings(layers, parcels, clean):
    b = layers["buildings"]
    assert b["楼栋号"].is_unique
    assert b["层数"].between(1, 12).all()
    assert set(b["合法状态"]) == {"合法", "历史遗留违法建筑", "违法建筑"}
    assert (b["基底面积"] == b.geometry.area.round(2)).all()
    assert (b["建筑面积"] == (b["基底面积"] * b["层数"]).round(2)).all()
    assert b.geometry.is_valid.all()
    index = pd.Series(np.arange(len(parcels)), index=parcels["宗地号"])
    host = clean[index[b["宗地号"]].to_numpy()]
    assert shapely.within(b.geometry.values, host).all()
    geoms = b.geometry.values
    i, j = _neighbour_pairs(geoms)
    assert len(i) == 0, "buildings touch or overlap"
    built = b["宗地号"].nunique() / len(parcels)
    assert 0.45 <= built <= 0.75


def test_projects(layers, parcels, clean):
    p = layers["projects"]
    assert list(p["项目编号"]) == ["LHTZ-2024-01", "LHTZ-2024-02"]
    assert list(p["项目名称"]) == ["龙园片区土地整备利益统筹项目", "石岭片区土地整备利益统筹项目"]
    g = p.geometry.values
    assert p.geometry.is_valid.all()
    assert ((shapely.area(g) >= 300_000) & (shapely.area(g) <= 600_000)).all()
    assert not shapely.intersects(g[0], g[1])
    rect = shapely.area(shapely.minimum_rotated_rectangle(g))
    assert (shapely.area(g) / rect < 0.9).all() and (shapely.get_num_coordinates(g) > 12).all()
    for project in g:  # the outline cuts through parcels instead of following them
        pieces = shapely.area(shapely.intersection(clean, project)) / shapely.area(clean)
        assert ((pieces > 0.01) & (pieces < 0.99)).sum() >= 20


def _kinds(controls):
    return controls["类型"].map(lambda k: ms.CONTROL_ALIASES.get(k, k))


def test_controls(layers, projects):
    c = layers["controls"]
    kinds = _kinds(c)
    assert set(kinds) == set(ms.CONTROL_KINDS)
    assert "生态红线" in set(c["类型"]) and "生态保护红线" in set(c["类型"])
    assert c.geometry.is_valid.all() and c["名称"].notna().all()
    udb = c.geometry[kinds == "城镇开发边界"]
    assert len(udb) == 1
    extent = shapely.box(*ms.EXTENT)
    assert 0.6 < udb.iloc[0].area / extent.area < 0.99
    assert projects["LHTZ-2024-01"].within(udb.iloc[0])
    outside = shapely.difference(projects["LHTZ-2024-02"], udb.iloc[0]).area / projects["LHTZ-2024-02"].area
    assert 0.02 < outside < 0.4
    for pid, project in projects.items():
        overlapping = [
            k
            for k, g in zip(kinds, c.geometry)
            if k != "城镇开发边界" and shapely.intersection(g, project).area > 1
        ]
        assert len(overlapping) >= 3, pid
        assert "道路红线" in overlapping, pid
    blue = c.geometry[kinds == "蓝线"]
    assert any(len(shapely.get_parts(shapely.difference(projects["LHTZ-2024-01"], g))) >= 2 for g in blue)
    purple = c.geometry[kinds == "紫线"]
    assert (purple.area < 5000).all() and any(g.within(projects["LHTZ-2024-01"]) for g in purple)
    same_kind_overlap = [
        (a, b)
        for a in range(len(c))
        for b in range(a + 1, len(c))
        if kinds.iat[a] == kinds.iat[b] and c.geometry.iat[a].intersection(c.geometry.iat[b]).area > 1
    ]
    assert same_kind_overlap


def test_zoning_is_a_valid_coverage_of_the_village(layers):
    z = layers["zoning"]
    _assert_valid_coverage(z.geometry.values, "zoning")
    assert z.geometry.union_all().area == pytest.approx(shapely.box(*ms.EXTENT).area, abs=1e-3)
    assert z["地块编号"].is_unique
    assert set(z["用地性质"]) <= set(ms.ZONING_FAR) and {"R2", "M1", "S1", "G1", "E1"} <= set(z["用地性质"])
    lo = z["用地性质"].map(lambda c: ms.ZONING_FAR[c][0])
    hi = z["用地性质"].map(lambda c: ms.ZONING_FAR[c][1])
    assert ((z["容积率"] >= lo) & (z["容积率"] <= hi)).all()


def test_holdings(layers, projects):
    h = layers["holdings"]
    assert h.geometry.is_valid.all()
    assert set(h["社区"]) == set(ms.COMMUNITIES)
    assert (h["社区"].map(ms.COMMUNITIES) == h["社区股份合作公司"]).all()
    assert (h.groupby("社区").size() >= 2).all()
    union = shapely.union_all(list(projects.values()))
    assert (shapely.distance(h.geometry.values, union) < 400).all()
    i, j = _neighbour_pairs(h.geometry.values)
    assert (shapely.area(shapely.intersection(h.geometry.values[i], h.geometry.values[j])) < 1e-6).all()


def test_roads(layers):
    r = layers["roads"]
    assert r.geometry.is_valid.all()
    assert r["道路名称"].str.fullmatch(r"[\u4e00-\u9fff]+(路|大道)").all()
    assert {"清湖路", "龙园一路"} <= set(r["道路名称"])
    assert r["宽度"].between(10, 50).all()
