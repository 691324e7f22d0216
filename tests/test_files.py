"""Reading the officer's files (GBK shapefiles, curves, QGIS source strings) and atomic writing."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely import box

from landcoord.allocation.errors import LayerError, OutputError
from landcoord.allocation.io.files import parse_source, read_layer, read_table, write_layers


def _write_in_clean_process(code: str) -> None:
    """Write a test file from a process that never loaded QGIS (as another program would)."""
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_shapefile_without_cpg_is_decoded(tmp_path, encoding):
    shp = tmp_path / "parcels.shp"
    _write_in_clean_process(f"""
import geopandas as gpd
from shapely import box
gpd.GeoDataFrame({{"权利人": ["张伟"], "宗地号": ["A1"]}}, geometry=[box(0, 0, 1, 1)], crs=4547
).to_file({str(shp)!r}, encoding={encoding!r})
""")
    (tmp_path / "parcels.cpg").unlink()
    layer = read_layer(shp)
    assert list(layer.columns[:2]) == ["权利人", "宗地号"]
    assert layer["权利人"].iloc[0] == "张伟"
    assert layer.attrs["name"] == "parcels"


def test_curved_geopackage_is_linearised(tmp_path):
    from osgeo import ogr, osr

    path = tmp_path / "curved.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    lyr = ds.CreateLayer("parcels", srs, ogr.wkbCurvePolygon)
    lyr.CreateField(ogr.FieldDefn("pid", ogr.OFTString))
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("pid", "C1")
    f.SetGeometry(ogr.CreateGeometryFromWkt("CURVEPOLYGON(CIRCULARSTRING(0 0, 10 10, 20 0, 10 -10, 0 0))"))
    lyr.CreateFeature(f)
    ds = None
    layer = read_layer(f"{path}|layername=parcels")
    assert layer.geometry.iloc[0].geom_type == "Polygon"
    assert layer.geometry.iloc[0].area == pytest.approx(314.159, rel=2e-3)


def test_parse_source_and_missing_things(tmp_path):
    src = parse_source("/data/a.gpkg|layername=宗地|subset=x")
    assert src.layer == "宗地" and str(src.path) == "/data/a.gpkg"
    with pytest.raises(LayerError, match="does not exist"):
        read_layer(tmp_path / "nope.gpkg")
    g = gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs=4547)
    g.to_file(tmp_path / "x.gpkg", layer="one")
    g.to_file(tmp_path / "x.gpkg", layer="two")
    with pytest.raises(LayerError, match="no layer 'three'.*one, two"):
        read_layer(f"{tmp_path / 'x.gpkg'}|layername=three")
    assert len(read_layer(f"{tmp_path / 'x.gpkg'}|layername=two")) == 1


def test_read_table_csv_in_gbk(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("权利人,面积\n欧阳娜娜,12.5\n".encode("gbk"))
    df = read_table(p)
    assert df["权利人"].tolist() == ["欧阳娜娜"]


def test_write_layers_is_all_or_nothing(tmp_path):
    target = tmp_path / "out.gpkg"
    good = gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs=4547)
    write_layers(target, {"first": good})
    before = target.read_bytes()
    bad = pd.DataFrame({"b": [1 + 2j]})  # complex numbers cannot be written to a GeoPackage
    with pytest.raises(OutputError, match="Nothing was written"):
        write_layers(target, {"first": good, "second": bad})
    assert target.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-")]
    write_layers(
        target,
        {
            "first": good,
            "mixed": gpd.GeoDataFrame(
                {"a": [1, 2]}, geometry=[box(0, 0, 1, 1), shapely.MultiPolygon([box(2, 2, 3, 3)])], crs=4547
            ),
        },
    )
    back = gpd.read_file(target, layer="mixed")
    assert set(back.geom_type) == {"MultiPolygon"}
