"""The search finds a carving when one exists: cases the stress generator (test_carve_properties)
found refused although the land could hold every quota."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import LineString, Point, Polygon, box

from landcoord.allocation.carve import carve_retained

OUTLINE = [
    (500192.5563298628, 2500015.0953305857),
    (500127.9289014573, 2499802.432112067),
    (499985.41520501114, 2499776.5339431725),
    (499972.8679558372, 2499777.9910443486),
    (499938.66706142103, 2499800.67678538),
    (499905.50997882354, 2499806.0787698906),
    (499912.3072543857, 2499833.8216645364),
    (499884.451015988, 2499946.113907964),
    (500017.96340998384, 2500158.513149066),
    (500106.03817818523, 2500126.1370208506),
    (500171.70329846296, 2500023.6832569796),
]


def _frame(geoms, name):
    gdf = gpd.GeoDataFrame(geometry=list(geoms), crs=4547)
    gdf.attrs["name"] = name
    return gdf


@np.errstate(invalid="ignore", divide="ignore")
def test_road_frontage_is_kept_for_the_last_quota():
    # one 76,439 m² block along an 8 m road and four quotas taking 64 % of it: the compact parcels
    # (and packing them, largest or smallest first) used up the whole road frontage before the last
    # quota; blocks deep off the road, tried when packing, leave frontage for it
    outline = Polygon(OUTLINE)
    zones = [
        Point(499919.099236, 2500193.777345).buffer(26.47610265156254),
        box(500133.330431, 2499841.820077, 500201.082883, 2499870.420965),
        Point(499842.666371, 2499900.167388).buffer(62.595602959860116),
        Point(500196.895066, 2499903.236536).buffer(46.65922588156536),
    ]
    road = LineString([(499702.0227719084, 2499418.003309847), (500144.9074416757, 2500573.4044328667)])
    road_land = road.buffer(4.0, cap_style="flat")
    quotas = pd.DataFrame(
        {"community": ["c0", "c1", "c2", "c3"], "target_area": [11612.17, 9244.93, 17352.91, 10711.19]}
    )
    result = carve_retained(
        _frame([outline], "projects"),
        quotas,
        exclude=[_frame(zones, "zones")],
        roads=_frame([road_land], "roads"),
        min_width=0.0,
        tolerance=0.1,
    )
    parcels = result.parcels
    assert sorted(parcels.community.unique()) == ["c0", "c1", "c2", "c3"]
    geoms = parcels.geometry.values
    for i, g in enumerate(geoms):
        assert shapely.difference(g, outline).area <= 1e-6
        assert max(shapely.intersection(g, z).area for z in zones) <= 1e-6
        assert shapely.intersection(g, road_land).area <= 1e-6
        assert shapely.distance(g, road_land) <= 1e-3
        for j in range(i):
            assert shapely.intersection(g, geoms[j]).area <= 1e-6
    totals = parcels.groupby("community").area.sum()
    assert np.allclose(totals[quotas.community].to_numpy(), quotas.target_area.to_numpy(), atol=0.1 * 2)


@np.errstate(invalid="ignore", divide="ignore")
def test_a_split_quota_never_leaves_a_remainder_smaller_than_a_parcel():
    # 7,369.48 m² against blocks of 7,343 + 2,472 + 1,112 m² (10 m wide, on the road): taking the
    # largest block whole left 26.30 m², less than the smallest parcel 10 m wide (78.54 m²), and the
    # quota was refused; the block is now cut short so the rest is a parcel in another block
    outline = Polygon(
        [
            (500047.27721133956, 2500032.180844757),
            (500075.9523611176, 2499950.1811554893),
            (499989.73718861165, 2499936.7224618336),
            (499938.01896646625, 2499918.6947425543),
            (499929.606518371, 2499927.5723329666),
            (499915.6039056933, 2499963.4033911494),
            (499967.26919612073, 2500053.5935173053),
            (499985.4791479653, 2500100.8894411176),
        ]
    )
    zones = [
        box(500070.78592526313, 2500075.9649535264, 500095.1422851357, 2500098.8713860395),
        box(499998.40344838006, 2500068.600765355, 500035.9815795073, 2500090.4377756882),
        Point(499991.80036482186, 2499950.4594405876).buffer(27.65658259653719),
    ]
    road = LineString([(499740.143700314, 2499875.007621046), (500236.99527889036, 2500086.5224169027)])
    road_land = road.buffer(10.0, cap_style="flat")
    quotas = pd.DataFrame({"community": ["c0"], "target_area": [7369.48]})
    result = carve_retained(
        _frame([outline], "projects"),
        quotas,
        exclude=[_frame(zones, "zones")],
        roads=_frame([road_land], "roads"),
        min_width=10.0,
        tolerance=0.1,
    )
    parcels = result.parcels
    assert len(parcels) >= 2 and parcels.note.notna().all()
    assert abs(parcels.area.sum() - 7369.48) <= 0.1 * len(parcels)
    assert (parcels.min_width >= 10.0).all()
    geoms = parcels.geometry.values
    for i, g in enumerate(geoms):
        assert shapely.difference(g, outline).area <= 1e-6
        assert max(shapely.intersection(g, z).area for z in zones) <= 1e-6
        assert shapely.distance(g, road_land) <= 1e-3
        for j in range(i):
            assert shapely.intersection(g, geoms[j]).area <= 1e-6


@np.errstate(invalid="ignore", divide="ignore")
def test_geos_missing_a_parcel_in_the_land_does_not_stack_parcels():
    # GEOS 3.11 found no intersection between the first parcel and the land it was carved in, so the
    # land left after it was the whole land and the next parcel was carved on top of it (caught
    # only when writing: "area 0.0000 m² ... Report this"); the leftover is now checked by area and
    # redone with snap-rounding. Found by the stress generator (seed 803, radius 90 m).
    outline = Polygon(
        [
            (500012.92288250214, 2500061.1964870053),
            (500031.7060660908, 2499948.830879177),
            (499966.62414286233, 2499909.0709002637),
            (499959.46723184193, 2499927.2083944273),
            (499942.75089669507, 2499959.0742386477),
            (499928.6624746532, 2499980.4773147684),
            (499940.80207312043, 2499997.135227227),
            (499930.99077358213, 2500019.8710033004),
            (499919.6369840869, 2500053.2634327468),
            (499917.27483071125, 2500066.124057898),
        ]
    )
    line = LineString([(500110.5219423591, 2499730.4874068317), (499870.37216574355, 2500214.1485328195)])
    roads = gpd.GeoDataFrame({"width": [20.0]}, geometry=[line], crs=4547)
    roads.attrs["name"] = "roads"
    road_land = line.buffer(10.0, cap_style="flat")
    quotas = pd.DataFrame({"community": ["c0", "c1", "c2"], "target_area": [2858.02, 270.51, 1561.75]})
    result = carve_retained(
        _frame([outline], "projects"), quotas, roads=roads, min_width=10.0, tolerance=0.01
    )
    parcels = result.parcels
    assert sorted(parcels.community) == ["c0", "c1", "c2"]
    geoms = parcels.geometry.values
    for i, g in enumerate(geoms):
        assert abs(g.area - parcels.target_area.iloc[i]) <= 0.01
        assert shapely.difference(g, outline).area <= 1e-6
        assert shapely.intersection(g, road_land).area <= 1e-6
        for j in range(i):  # snap-rounded overlay: the plain one is what failed
            assert shapely.intersection(g, geoms[j], grid_size=1e-9).area <= 1e-6
    assert (parcels.min_width >= 10.0).all()


@np.errstate(invalid="ignore", divide="ignore")
def test_three_parcels_20_m_wide_share_90_m_of_road():
    # 18,071 m² for three communities on a 34,725 m² block with 90 m on the road: squares use the
    # frontage up; packing tries strips twelve times as deep as wide, which leave room for the third
    outline = Polygon(
        [
            (499856.30498219654, 2500106.0421591657),
            (500156.5825017202, 2499927.529952528),
            (499941.10563831136, 2499832.902073061),
            (499888.2580119431, 2499883.549111155),
        ]
    )
    zones = [
        box(499984.81856834725, 2500130.2516565607, 500053.65462410776, 2500135.7969477167),
        box(500001.42894268886, 2500158.5289343465, 500091.10003029526, 2500246.1996946908),
        box(500066.44393597974, 2500030.770321228, 500107.70823074726, 2500102.621928916),
    ]
    road = LineString([(499943.0608411563, 2499352.341925658), (500240.6923032475, 2500657.4218627377)])
    road_land = road.buffer(4.0, cap_style="flat")
    quotas = pd.DataFrame({"community": ["c0", "c1", "c2"], "target_area": [4188.14, 8313.06, 5569.77]})
    result = carve_retained(
        _frame([outline], "projects"),
        quotas,
        exclude=[_frame(zones, "zones")],
        roads=_frame([road_land], "roads"),
        min_width=20.0,
        tolerance=0.01,
    )
    parcels = result.parcels
    assert sorted(parcels.community) == ["c0", "c1", "c2"]
    assert (parcels.min_width >= 20.0).all()
    geoms = parcels.geometry.values
    for i, g in enumerate(geoms):
        assert abs(g.area - parcels.target_area.iloc[i]) <= 0.01
        assert shapely.difference(g, outline).area <= 1e-6
        assert max(shapely.intersection(g, z).area for z in zones) <= 1e-6
        assert shapely.distance(g, road_land) <= 1e-3
        for j in range(i):
            assert shapely.intersection(g, geoms[j], grid_size=1e-9).area <= 1e-6
