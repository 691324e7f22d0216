"""landcoord:affectedarea inside QGIS: processing.run on real GeoPackage files, shapefiles in GBK."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely import box

from landcoord.sample.fabric import blob_boundaries, quad_fabric


@pytest.fixture
def fabric_files(tmp_path):
    parcels = quad_fabric(400, cell=20.0, seed=5, gap_fraction=0.02, overlap_count=40)
    parcels = parcels.rename(columns={"pid": "宗地号", "owner": "权利人", "status": "用地状态"})
    bounds = blob_boundaries(parcels, 2, seed=5, coverage=0.4).rename(columns={"code": "项目编号"})
    inside = parcels.centroid.within(bounds.geometry.iloc[0])
    parcels.loc[parcels.index[inside][:3], "权利人"] = None
    cad, prj = tmp_path / "cadastre.gpkg", tmp_path / "projects.gpkg"
    parcels.to_file(cad, layer="parcels")
    bounds.to_file(prj, layer="projects")
    return parcels, bounds, f"{cad}|layername=parcels", f"{prj}|layername=projects"


def _params(cad, prj, tmp_path, **extra):
    p = {
        "BOUNDARY": prj,
        "PROJECT_FIELD": "项目编号",
        "CADASTRE": cad,
        "PARCEL_FIELD": "宗地号",
        "HOLDER_FIELD": "权利人",
        "STATUS_FIELD": "用地状态",
        "OUTPUT": str(tmp_path / "pieces.gpkg"),
        "SUMMARY": str(tmp_path / "summary.gpkg"),
        "STATUS_SUMMARY": str(tmp_path / "status.gpkg"),
        "GAPS": str(tmp_path / "gaps.gpkg"),
        "OVERLAPS": str(tmp_path / "overlaps.gpkg"),
    }
    p.update(extra)
    return p


def test_processing_matches_the_core(fabric_files, tmp_path, run_alg):
    from landcoord.allocation.affected import affected_area

    parcels, bounds, cad, prj = fabric_files
    res = run_alg("landcoord:affectedarea", _params(cad, prj, tmp_path))
    core = affected_area(
        bounds,
        parcels,
        parcel_field="宗地号",
        holder_field="权利人",
        status_field="用地状态",
        project_field="项目编号",
    )
    pieces = gpd.read_file(res["OUTPUT"])
    assert list(pieces.columns[:7]) == [
        "project",
        "parcel_id",
        "holder",
        "status",
        "piece_area",
        "parcel_area",
        "parcel_share",
    ]
    assert len(pieces) == len(core.pieces)
    assert pieces.piece_area.sum() == pytest.approx(core.pieces.piece_area.sum(), rel=1e-9)
    summary = pyogrio.read_dataframe(res["SUMMARY"])
    # held_area: the land counted once (issue 19)
    want_columns = ["project", "holder", "parcels", "affected_area", "project_share", "held_area"]
    assert list(summary.columns) == want_columns
    got = summary.set_index(["project", "holder"]).affected_area.sort_index()
    want = core.summary.set_index(["project", "holder"]).affected_area.sort_index()
    assert got.to_numpy() == pytest.approx(want.to_numpy(), rel=1e-9)
    assert summary.holder.isna().sum() >= 1  # parcels with no holder kept as NULL
    gaps = gpd.read_file(res["GAPS"])
    overlaps = gpd.read_file(res["OVERLAPS"])
    assert gaps.gap_area.sum() == pytest.approx(core.gaps.gap_area.sum(), rel=1e-9)
    assert list(overlaps.columns[:4]) == ["project", "parcel_a", "parcel_b", "overlap_area"]
    assert len(overlaps) == len(core.overlaps) > 0
    status = pyogrio.read_dataframe(res["STATUS_SUMMARY"])
    assert status.area.sum() == pytest.approx(pieces.piece_area.sum(), rel=1e-9)


def test_processing_error_names_the_field(fabric_files, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    _, _, cad, prj = fabric_files
    with pytest.raises(QgsProcessingException) as e:
        run_alg("landcoord:affectedarea", _params(cad, prj, tmp_path, HOLDER_FIELD="owner_name"))
    assert "owner_name" in str(e.value)


def test_gbk_shapefile_with_chinese_field_names(tmp_path, run_alg):
    """A shapefile written in GBK with no .cpg, as many officers' exports are."""
    import subprocess
    import sys

    shp = tmp_path / "宗地.shp"
    # written by another process (as an officer's export is), in GBK, then stripped of its .cpg
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"""
import geopandas as gpd
from shapely import box
gpd.GeoDataFrame(
    {{"宗地号": ["LH-1", "LH-2"], "权利人": ["欧阳娜娜", "龙园社区股份合作公司"],
      "用地状态": ["旧屋村", "未完善征转手续"]}},
    geometry=[box(500000, 2500000, 500010, 2500010), box(500010, 2500000, 500020, 2500010)], crs=4547,
).to_file({str(shp)!r}, encoding="gbk")
""",
        ],
        check=True,
    )
    (tmp_path / "宗地.cpg").unlink()
    assert "欧阳".encode("gbk") in (tmp_path / "宗地.dbf").read_bytes()
    bounds = gpd.GeoDataFrame({"项目编号": ["P"]}, geometry=[box(500005, 2500000, 500020, 2500010)], crs=4547)
    bounds.to_file(tmp_path / "b.gpkg")

    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer

    layer = read_layer(shp)
    assert list(layer.columns[:3]) == ["宗地号", "权利人", "用地状态"]
    core = affected_area(
        read_layer(tmp_path / "b.gpkg"),
        layer,
        parcel_field="宗地号",
        holder_field="权利人",
        project_field="项目编号",
    )
    assert set(core.summary.holder) == {"欧阳娜娜", "龙园社区股份合作公司"}

    from qgis.core import QgsVectorLayer

    qlayer = QgsVectorLayer(str(shp), "宗地", "ogr")
    qlayer.setProviderEncoding("GBK")
    res = run_alg(
        "landcoord:affectedarea",
        {
            "BOUNDARY": str(tmp_path / "b.gpkg"),
            "PROJECT_FIELD": "项目编号",
            "CADASTRE": qlayer,
            "PARCEL_FIELD": "宗地号",
            "HOLDER_FIELD": "权利人",
            "OUTPUT": "memory:",
            "SUMMARY": "memory:",
        },
    )
    summary = res["SUMMARY"]
    got = {f["holder"]: f["affected_area"] for f in summary.getFeatures()}
    assert got == pytest.approx({"欧阳娜娜": 50.0, "龙园社区股份合作公司": 100.0})


def test_curved_geometries_are_linearised(tmp_path, run_alg):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer(
        "CurvePolygon?crs=EPSG:4547&field=pid:string&field=owner:string", "curved", "memory"
    )
    f = QgsFeature(layer.fields())
    f.setAttributes(["C1", "X"])
    f.setGeometry(
        QgsGeometry.fromWkt(
            "CURVEPOLYGON(CIRCULARSTRING(500000 2500000, 500010 2500010, 500020 2500000, "
            "500010 2499990, 500000 2500000))"
        )
    )
    layer.dataProvider().addFeatures([f])
    bounds = gpd.GeoDataFrame({"code": ["P"]}, geometry=[box(499990, 2499980, 500030, 2500020)], crs=4547)
    bounds.to_file(tmp_path / "b.gpkg")
    res = run_alg(
        "landcoord:affectedarea",
        {
            "BOUNDARY": str(tmp_path / "b.gpkg"),
            "CADASTRE": layer,
            "PARCEL_FIELD": "pid",
            "HOLDER_FIELD": "owner",
            "OUTPUT": "memory:",
            "SUMMARY": "memory:",
        },
    )
    area = next(res["SUMMARY"].getFeatures())["affected_area"]
    assert area == pytest.approx(3.14159265 * 100, rel=2e-3)


def test_input_layer_untouched(fabric_files, tmp_path, run_alg):
    import hashlib
    from pathlib import Path

    _, _, cad, prj = fabric_files
    path = Path(cad.split("|")[0])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    run_alg("landcoord:affectedarea", _params(cad, prj, tmp_path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert shapely is not None
