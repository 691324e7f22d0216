"""landcoord:planconflicts inside QGIS: processing.run on real GeoPackage files."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely import Polygon, box

PARAM_KEYS = [
    "INPUT",
    "INPUT_ID_FIELD",
    "CONTROLS",
    "KIND_FIELD",
    "REGISTRY",
    "TOLERANCE",
    "OUTPUT",
    "SUMMARY",
    "MEASURE_CRS",  # issue 19: one measuring CRS per project run
]


@pytest.fixture
def files(tmp_path):
    proposal = gpd.GeoDataFrame(
        {"项目编号": ["R-01", "R-02", "R-03", "R-04"]},
        geometry=[
            box(0, 0, 100, 100),
            Polygon([(200, 0), (300, 0), (300, 100), (250, 140), (200, 100)]),
            box(400, 0, 500, 100),
            box(600, 0, 700, 100),
        ],
        crs=4547,
    )
    controls = gpd.GeoDataFrame(
        {
            "类型": ["生态红线", "道路红线", "ROAD_RED", "紫线", "城镇开发边界", "UDB", "绿线"],
            "名称": ["E1", "D1", "D2", "Z1", "U1", "U2", "G1"],
        },
        geometry=[
            box(-50, -50, 30, 30),
            box(90, -20, 130, 300),
            box(100, 50, 380, 70),  # starts on the first road's edge: touching, not overlapping
            box(450, 50, 470, 60),
            box(-100, -100, 520, 200),
            box(520, -100, 650, 200),  # edge to edge with U1; R-04 half outside both
            box(700, 0, 800, 100),  # touches R-04 along its east edge only
        ],
        crs=4547,
    )
    path = tmp_path / "plan.gpkg"
    proposal.to_file(path, layer="retained")
    controls.to_file(path, layer="controls")
    return proposal, controls, f"{path}|layername=retained", f"{path}|layername=controls"


def _params(inp, ctl, tmp_path, **extra):
    p = {
        "INPUT": inp,
        "INPUT_ID_FIELD": "项目编号",
        "CONTROLS": ctl,
        "KIND_FIELD": "类型",
        "TOLERANCE": 1.0,
        "OUTPUT": str(tmp_path / "conflicts.gpkg"),
        "SUMMARY": str(tmp_path / "summary.gpkg"),
    }
    p.update(extra)
    return p


def test_algorithm_is_registered_with_the_issue_parameters(landcoord_provider):
    from qgis.core import QgsApplication, QgsProcessingParameterDefinition

    alg = QgsApplication.processingRegistry().algorithmById("landcoord:planconflicts")
    assert alg is not None and alg.displayName() == "One-map conflicts"
    assert [d.name() for d in alg.parameterDefinitions()] == PARAM_KEYS
    for d in alg.parameterDefinitions():
        assert d.help(), d.name()
    reg = alg.parameterDefinition("REGISTRY")
    assert reg.flags() & QgsProcessingParameterDefinition.FlagAdvanced
    assert reg.flags() & QgsProcessingParameterDefinition.FlagOptional
    assert alg.parameterDefinition("INPUT_ID_FIELD").flags() & QgsProcessingParameterDefinition.FlagOptional
    assert alg.parameterDefinition("TOLERANCE").defaultValue() == 1.0


def test_processing_matches_the_core(files, tmp_path, run_alg):
    from landcoord.allocation.conflicts import plan_conflicts

    proposal, controls, inp, ctl = files
    res = run_alg("landcoord:planconflicts", _params(inp, ctl, tmp_path))
    core = plan_conflicts(proposal, controls, kind_field="类型", input_id_field="项目编号")
    out = gpd.read_file(res["OUTPUT"])
    assert list(out.columns[:7]) == [
        "input_id",
        "kind",
        "severity",
        "conflict_area",
        "input_share",
        "rule",
        "source",
    ]
    assert out.crs.to_epsg() == 4547
    key = ["input_id", "kind"]
    got = out.set_index(key).sort_index()
    want = core.conflicts.set_index(key).sort_index()
    assert got.index.tolist() == want.index.tolist()
    assert got.conflict_area.to_numpy() == pytest.approx(want.conflict_area.to_numpy(), rel=1e-9)
    assert got.severity.tolist() == want.severity.tolist()
    assert shapely.area(got.geometry.values) == pytest.approx(got.conflict_area.to_numpy(), rel=1e-9)
    summary = pyogrio.read_dataframe(res["SUMMARY"])
    assert list(summary.columns[:5]) == [
        "input_id",
        "blocking_area",
        "review_area",
        "advisory_area",
        "verdict",
    ]
    verdicts = dict(zip(summary.input_id, summary.verdict))
    assert verdicts == {"R-01": "blocked", "R-02": "blocked", "R-03": "review", "R-04": "blocked"}
    s = summary.set_index("input_id")
    assert s.loc["R-04", "blocking_area"] == pytest.approx(5000.0)  # outside the boundary; 绿线 only touches
    road = got.loc[("R-02", "道路红线")]
    assert road.conflict_area == pytest.approx(20 * 100)  # D2 crosses R-02 from x=200 to 300
    assert got.loc[("R-01", "道路红线")].conflict_area == pytest.approx(10 * 100)  # D1 only


def test_unknown_kind_is_a_processing_error_listing_it(files, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    proposal, controls, inp, _ = files
    controls = controls.copy()
    controls.loc[3, "类型"] = "文物保护范围"
    path = tmp_path / "bad.gpkg"
    controls.to_file(path, layer="controls")
    with pytest.raises(QgsProcessingException, match="文物保护范围"):
        run_alg("landcoord:planconflicts", _params(inp, f"{path}|layername=controls", tmp_path))
    assert not (tmp_path / "conflicts.gpkg").exists()


def test_registry_file_and_tolerance(files, tmp_path, run_alg):
    proposal, controls, inp, ctl = files
    controls = controls.copy()
    controls.loc[3, "类型"] = "文物保护范围"
    path = tmp_path / "local.gpkg"
    controls.to_file(path, layer="controls")
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[kinds.purple_line]\naliases = ["文物保护范围"]\nseverity = "blocking"\n', encoding="utf-8"
    )
    res = run_alg(
        "landcoord:planconflicts",
        _params(inp, f"{path}|layername=controls", tmp_path, REGISTRY=str(mine), TOLERANCE=500.0),
    )
    out = gpd.read_file(res["OUTPUT"]).set_index(["input_id", "kind"])
    assert out.loc[("R-03", "紫线"), "severity"] == "sliver"  # 200 m² < 500 m²
    res = run_alg(
        "landcoord:planconflicts",
        _params(
            inp,
            f"{path}|layername=controls",
            tmp_path,
            REGISTRY=str(mine),
            OUTPUT=str(tmp_path / "c2.gpkg"),
            SUMMARY=str(tmp_path / "s2.gpkg"),
        ),
    )
    out = gpd.read_file(res["OUTPUT"]).set_index(["input_id", "kind"])
    assert out.loc[("R-03", "紫线"), "severity"] == "blocking"
    s = pyogrio.read_dataframe(res["SUMMARY"]).set_index("input_id")
    assert s.loc["R-03", "verdict"] == "blocked"


def test_default_feature_ids_and_geographic_controls(files, tmp_path, run_alg):
    proposal, controls, inp, _ = files
    geo = tmp_path / "geo.gpkg"
    moved = controls.copy()
    moved["geometry"] = moved.geometry.translate(500_000, 2_490_000)
    moved.to_crs(4490).to_file(geo, layer="controls")
    shifted = proposal.copy()
    shifted["geometry"] = shifted.geometry.translate(500_000, 2_490_000)
    sp = tmp_path / "shifted.gpkg"
    shifted.to_file(sp, layer="retained")
    res = run_alg(
        "landcoord:planconflicts",
        _params(f"{sp}|layername=retained", f"{geo}|layername=controls", tmp_path, INPUT_ID_FIELD=None),
    )
    summary = pyogrio.read_dataframe(res["SUMMARY"])
    assert sorted(summary.input_id.tolist()) == [1, 2, 3, 4]  # GeoPackage feature ids
    assert dict(zip(summary.input_id, summary.verdict)) == {
        1: "blocked",
        2: "blocked",
        3: "review",
        4: "blocked",
    }
    assert summary.set_index("input_id").loc[4, "blocking_area"] == pytest.approx(5000.0, rel=1e-6)
