"""Carving on real French cadastres (data in ../shared/data; skipped in a fresh clone without it).

Projects drawn here over real parcel blocks, carved through the real command line
(``landcoord carve``, GeoPackages in, GeoPackage out), every guarantee checked again with plain
shapely on the parcels read back:

- Essonne (Etalab, EPSG:2154): a box over the parcels of Athis-Mons / Morangis / Paray; the land
  between parcels (streets: French cadastres do not parcel the public roads) is the road land;
  communities are the cadastral sections, their holdings the section's parcels;
- EDIGEO sheet ZE01 of Doubs (3liz fixtures, EPSG:2154) with its real road polygons (TRONROUTE);
  WITHIN is the parcels (the retained land must lie on cadastral parcels);
- Paris 18e (Etalab, EPSG:4326, geographic): carved and written in Lambert-93.

The independent width check is an opening written out here (mitred buffers of ±(w/2 - 0.1 mm),
lost pieces under 2 cm thick ignored, tolerance max(0.01 m², 1e-6·area), as documented in
``allocation.shapes``), at MIN_WIDTH and at the widths of the ladder below it; the reported
``min_width`` must equal ``shapes.min_width`` of the parcel as written.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from landcoord.allocation.io.files import read_layer, write_layers
from landcoord.allocation.shapes import WIDTH_LADDER, min_width
from landcoord.cli import main

MIN_WIDTH = 20.0
TOLERANCE = 0.01


def _essonne(shared_data):
    path = shared_data / "real" / "fr-etalab-essonne" / "parcelles_essonne_4communes_l93.gpkg"
    if not path.exists():
        pytest.skip(f"{path} not found")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gpd.read_file(path)


def _layer(geoms, name, crs=2154, **cols):
    gdf = gpd.GeoDataFrame(pd.DataFrame(cols), geometry=list(geoms), crs=crs)
    gdf.attrs["name"] = name
    return gdf


def _opening_loss(g, w):
    half = w / 2 - 1e-4
    e = shapely.buffer(g, -half, join_style="mitre", mitre_limit=2.0)
    opened = shapely.intersection(shapely.buffer(e, half, join_style="mitre", mitre_limit=2.0), g)
    lost = [p for p in shapely.get_parts(shapely.difference(g, opened)) if p.area > 0]
    return sum(p.area for p in lost if not shapely.buffer(p, -0.01, quad_segs=2).is_empty)


def _carve(tmp_path, capsys, name, boundary, roads, quotas, holdings=None, within=None):
    src = tmp_path / f"{name}.gpkg"
    layers = {"boundary": boundary, "roads": roads}
    if holdings is not None:
        layers["holdings"] = holdings
    if within is not None:
        layers["within"] = within
    write_layers(src, layers)
    qcsv = tmp_path / f"{name}_quotas.csv"
    quotas.to_csv(qcsv, index=False)
    out = tmp_path / f"{name}_out.gpkg"
    args = ["carve", "--boundary", f"{src}|layername=boundary", "--quotas", str(qcsv)]
    args += ["--roads", f"{src}|layername=roads", "--min-width", str(MIN_WIDTH), "--out", str(out)]
    if holdings is not None:
        args += ["--prefer", f"{src}|layername=holdings", "--prefer-field", "community"]
    if within is not None:
        args += ["--within", f"{src}|layername=within"]
    status = main(args)
    printed = capsys.readouterr()
    assert status == 0, printed.err
    return read_layer(f"{out}|layername=parcels"), printed.out


@np.errstate(invalid="ignore", divide="ignore")
def _check(parcels, quotas, allowed, road_land, printed):
    geoms = parcels.geometry.values
    assert set(parcels.community) == set(quotas.community)
    for i, g in enumerate(geoms):
        assert g.geom_type in ("Polygon", "MultiPolygon") and len(shapely.get_parts(g)) == 1 and g.is_valid
        assert shapely.difference(g, allowed).area <= 1e-6  # on allowed land only
        assert shapely.intersection(g, road_land).area <= 1e-6
        assert shapely.distance(g, road_land) <= 1e-3  # touches road land
        for j in range(i):
            assert shapely.intersection(g, geoms[j]).area <= 1e-6
        assert abs(g.area - parcels.target_area.iloc[i]) <= TOLERANCE
        tol = max(0.01, 1e-6 * g.area)
        for w in [x for x in WIDTH_LADDER if x < MIN_WIDTH] + [MIN_WIDTH]:
            assert _opening_loss(g, w) <= tol, (parcels.community.iloc[i], w)
        assert parcels.min_width.iloc[i] >= MIN_WIDTH
        assert parcels.min_width.iloc[i] == pytest.approx(min_width(g), abs=1e-9)
    totals = parcels.groupby("community").area.sum()
    want = quotas.set_index("community").target_area
    assert (np.abs(totals - want[totals.index]) <= TOLERANCE * parcels.groupby("community").size()).all()
    # the QA line of the command (the same one the demo and Processing print)
    qa = [line for line in printed.splitlines() if line.startswith("checked:")]
    assert len(qa) == 1 and f"checked: {len(parcels)} parcels" in qa[0]
    assert "parcels off the roads 0" in qa[0]
    assert f"narrowest {parcels.min_width.min():.2f} m" in qa[0]


ESSONNE_PROJECTS = [
    # centre x, centre y, width, height (m), total quota (m²), communities
    pytest.param(653500, 6846500, 900, 950, 143_000, 6, id="athis-86ha-143000m2"),
    pytest.param(655000, 6845000, 900, 950, 143_000, 8, id="juvisy-86ha-143000m2"),
    pytest.param(651000, 6845500, 500, 450, 30_000, 4, id="morangis-22ha-30000m2"),
]


@pytest.mark.parametrize("cx, cy, sx, sy, quota, n", ESSONNE_PROJECTS)
def test_essonne_projects(shared_data, tmp_path, capsys, cx, cy, sx, sy, quota, n):
    cadastre = _essonne(shared_data)
    outline = shapely.box(cx - sx / 2, cy - sy / 2, cx + sx / 2, cy + sy / 2)
    inside = cadastre[cadastre.intersects(outline)]
    pieces = shapely.intersection(inside.geometry.values, outline)
    land = shapely.union_all(pieces)
    streets = shapely.buffer(shapely.buffer(shapely.difference(outline, land), -0.5), 0.5)
    by_section = pd.Series(shapely.area(pieces), index=inside.section.to_numpy()).groupby(level=0).sum()
    sections = by_section[by_section > 20_000].sort_values(ascending=False).index[:n]
    shares = by_section[sections] / by_section[sections].sum()
    quotas = pd.DataFrame(
        {"community": list(sections), "target_area": np.round(shares.to_numpy() * quota, 2)}
    )
    holdings = _layer(
        [shapely.union_all(pieces[inside.section.to_numpy() == s]) for s in sections],
        "holdings",
        community=list(sections),
    )
    parcels, printed = _carve(
        tmp_path,
        capsys,
        "essonne",
        _layer([outline], "project"),
        _layer([streets], "streets"),
        quotas,
        holdings=holdings,
    )
    _check(parcels, quotas, shapely.difference(outline, streets), streets, printed)


def test_edigeo_sheet_with_its_roads(shared_data, tmp_path, capsys):
    path = shared_data / "real" / "fr-edigeo-3liz" / "edigeo_all_sheets_l93.gpkg"
    if not path.exists():
        pytest.skip(f"{path} not found")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parcels = gpd.read_file(path, layer="PARCELLE")
        roads = gpd.read_file(path, layer="TRONROUTE")
    sheet = "edigeo-25354000ZE01"
    parcels = parcels[parcels.sheet == sheet]
    roads = roads[roads.sheet == sheet]
    road_land = shapely.union_all(shapely.make_valid(roads.geometry.values))
    outline = shapely.envelope(shapely.buffer(road_land, 250.0))
    cadastre = shapely.union_all(shapely.make_valid(parcels.geometry.values))
    quotas = pd.DataFrame(
        {"community": ["ZE-A", "ZE-B", "ZE-C"], "target_area": [25_000.0, 12_345.67, 4_000.0]}
    )
    carved, printed = _carve(
        tmp_path,
        capsys,
        "edigeo",
        _layer([outline], "project"),
        _layer([road_land], "TRONROUTE"),
        quotas,
        within=_layer([cadastre], "PARCELLE"),
    )
    allowed = shapely.difference(shapely.intersection(outline, cadastre), road_land)
    _check(carved, quotas, allowed, road_land, printed)


def test_paris_geographic_cadastre_is_carved_in_a_metric_crs(shared_data, tmp_path, capsys):
    # Paris 18e (Etalab, EPSG:4326): the carving measures in a projected CRS (Lambert-93 here) and
    # writes the parcels in it; 13 communities (cadastral sections), 10 % of their land each
    path = shared_data / "real" / "fr-etalab-paris18-epinay" / "cadastre-75118-parcelles.json"
    if not path.exists():
        pytest.skip(f"{path} not found")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cadastre = gpd.read_file(path)
    minx, miny, maxx, maxy = cadastre.total_bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    outline = shapely.box(cx - 0.006, cy - 0.004, cx + 0.006, cy + 0.004)
    inside = cadastre[cadastre.intersects(outline)]
    pieces = gpd.GeoSeries(shapely.intersection(inside.geometry.values, outline), crs=4326).to_crs(2154)
    outline_m = gpd.GeoSeries([outline], crs=4326).to_crs(2154).iloc[0]
    streets_m = shapely.difference(outline_m, shapely.union_all(pieces.values))
    streets_m = shapely.buffer(shapely.buffer(streets_m, -0.5), 0.5)
    area = pd.Series(pieces.area.to_numpy(), index=inside.section.to_numpy()).groupby(level=0).sum()
    sections = area.sort_values(ascending=False).index[:13]
    quotas = pd.DataFrame(
        {"community": list(sections), "target_area": np.round(area[sections].to_numpy() * 0.1, 2)}
    )
    streets = gpd.GeoSeries([streets_m], crs=2154).to_crs(4326).iloc[0]
    parcels, printed = _carve(
        tmp_path,
        capsys,
        "paris",
        _layer([outline], "project", crs=4326),
        _layer([streets], "streets", crs=4326),
        quotas,
    )
    assert parcels.crs.to_epsg() == 2154
    # the road land and the project as the carving sees them: the same layers in Lambert-93
    road_land = gpd.GeoSeries([streets], crs=4326).to_crs(2154).iloc[0]
    _check(parcels, quotas, shapely.difference(outline_m, road_land), road_land, printed)
