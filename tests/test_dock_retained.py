"""The Retained land step on the sample project: carved to the quota, clear of what must stay clear."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import Qgis

pytest.register_assert_rewrite("dock_support")
from dock_support import messages, wait_for  # noqa: E402

pytest_plugins = ["dock_support"]

RULES = Path(__file__).resolve().parent.parent / "allocation" / "rules"


@pytest.fixture
def with_quota(dock, qgis_iface):
    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-01"))
    dock.steps["affected"].run()
    wait_for(dock)
    dock.steps["quota"].form.rulesFile.setFilePath(str(RULES / "examples" / "shenzhen_example.toml"))
    dock.steps["quota"].run()
    wait_for(dock)
    assert dock.results.layer(dock.setup, "quota.OUTPUT") is not None
    qgis_iface.messageBar().clear_messages()
    return dock


def test_carving_needs_the_quota(dock, qgis_iface):
    qgis_iface.messageBar().clear_messages()
    dock.steps["retained"].run()
    assert any("Compute the quota first" in m for m in messages(qgis_iface, Qgis.Warning))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_carved_to_quota_and_clear_of_excluded_land(with_quota, sample_gpkg, qgis_iface):
    import geopandas as gpd
    import pyogrio
    import shapely

    dock = with_quota
    step = dock.steps["retained"]
    assert step.is_available()
    assert step.form.excludeUses.text() == "S1, GIC"
    step.run()
    wait_for(dock, timeout=300)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    carved_layer = dock.results.layer(dock.setup, "retained.OUTPUT")
    assert carved_layer is not None and carved_layer.renderer().classAttribute() == "community"
    carved = gpd.read_file(carved_layer.source().split("|")[0])
    assert len(step.table.model.records) == len(carved) > 0
    # each community gets its quota from the trail, within the tolerance per parcel
    trail = pyogrio.read_dataframe(dock.results.layer(dock.setup, "quota.OUTPUT").source().split("|")[0])
    finals = trail[(trail.quantity == "result.retained_area") & trail.community.notna() & (trail.value > 0)]
    want = finals.set_index("community").value.astype(float).sort_index()
    got = carved.groupby("community").area.sum().sort_index()
    assert list(got.index) == list(want.index)
    assert got.to_numpy() == pytest.approx(
        want.to_numpy(), abs=0.01 * carved.groupby("community").size().max()
    )
    # clear of blocking control zones, of S1/GIC land, and inside the urban development boundary
    src = f"{sample_gpkg}|layername="
    controls = gpd.read_file(sample_gpkg, layer="controls")
    zoning = gpd.read_file(sample_gpkg, layer="zoning")
    from landcoord.allocation.controls import load_registry

    registry = load_registry()
    kinds = [registry.lookup(v) for v in controls["类型"]]
    blocking = controls[[k.severity == "blocking" and k.rule_type == "must_not_overlap" for k in kinds]]
    urban = shapely.union_all(controls[[k.rule_type == "must_lie_inside" for k in kinds]].geometry.values)
    planned = zoning[zoning["用地性质"].isin(["S1", "GIC"])]
    assert src  # the sample's layers, read independently of the dock
    for g in carved.geometry:
        assert max(shapely.intersection(g, z).area for z in blocking.geometry) <= 1e-6
        assert max(shapely.intersection(g, z).area for z in planned.geometry) <= 1e-6
        assert shapely.difference(g, urban).area <= 1e-6
    # clicking a parcel zooms to it
    first = step.table.proxy.index(0, 0)
    step.on_row_clicked(first)
    assert carved_layer.selectedFeatureCount() == 1


def _purple_line_area(parcels, sample_gpkg) -> float:
    """m² of ``parcels`` on the sample's purple line (紫线), read from the sample with plain shapely."""
    import geopandas as gpd
    import shapely

    controls = gpd.read_file(sample_gpkg, layer="controls")
    purple = shapely.union_all(controls[controls["类型"] == "紫线"].geometry.values)
    assert purple.area > 0  # the sample has a purple line to keep clear of
    return sum(shapely.intersection(g, purple).area for g in parcels.geometry)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_carving_keeps_clear_of_the_purple_line_as_processing_does(
    with_quota, sample_project, sample_gpkg, run_alg, tmp_path, qgis_iface
):
    """Issue 18: the dock gives the control lines to the algorithm as they are (CONTROLS), so the
    registry's one decision holds: the review kinds (紫线) are kept clear of when the quotas fit, as
    by ``landcoord carve --controls`` and ``landcoord:carveretained`` run by hand."""
    import geopandas as gpd
    import shapely

    dock = with_quota
    _project, layers = sample_project
    step = dock.steps["retained"]
    params, _keep, _notes = step.parameters()
    assert (params["CONTROLS"], params["KIND_FIELD"], params["REGISTRY"]) == (
        layers["controls"].id(),
        "类型",
        None,
    )
    # EXCLUDE holds the planned uses only: no subset of the control lines made by the dock
    assert [layer.name() for layer in params["EXCLUDE"]] == ["zoning (S1, GIC)"]
    # "Open in Processing" shows the same control lines, kind field and registry as the run
    dialog, _keep, _notes = step.parameters(for_dialog=True)
    assert {k: dialog[k] for k in ("CONTROLS", "KIND_FIELD", "REGISTRY")} == {
        k: params[k] for k in ("CONTROLS", "KIND_FIELD", "REGISTRY")
    }
    step.run()
    wait_for(dock, timeout=300)
    assert not messages(qgis_iface, Qgis.Critical), messages(qgis_iface, Qgis.Critical)
    carved = gpd.read_file(dock.results.layer(dock.setup, "retained.OUTPUT").source().split("|")[0])
    assert len(carved) > 0
    assert _purple_line_area(carved, sample_gpkg) <= 1e-6

    # the same parcels as the algorithm run by hand on the sample's files with the same CONTROLS
    src = f"{sample_gpkg}|layername="
    quotas = dock.results.layer(dock.setup, "quota.OUTPUT").source()
    ref = run_alg(
        "landcoord:carveretained",
        {
            "BOUNDARY": src + "projects|subset=\"项目编号\" = 'LHTZ-2024-01'",
            "PROJECT_FIELD": "项目编号",
            "QUOTAS": quotas,
            "EXCLUDE": [src + "zoning|subset=\"用地性质\" IN ('S1', 'GIC')"],
            "CONTROLS": src + "controls",
            "KIND_FIELD": "类型",
            "PREFER": src + "holdings",
            "PREFER_FIELD": "社区",
            "ROADS": src + "roads",
            "MIN_WIDTH": 20.0,
            "TOLERANCE": 0.01,
            "OUTPUT": str(tmp_path / "by_hand.gpkg"),
        },
    )
    by_hand = gpd.read_file(ref["OUTPUT"])
    key = ["community", "part"]
    carved, by_hand = carved.sort_values(key).reset_index(), by_hand.sort_values(key).reset_index()
    assert list(carved.community) == list(by_hand.community)
    for a, b in zip(carved.geometry, by_hand.geometry):
        assert shapely.symmetric_difference(a, b).area <= 1e-6


def test_unticked_control_lines_are_not_given(with_quota, sample_project):
    """'Keep clear of blocking control lines' unticked: no CONTROLS (nor its kind field and registry)."""
    _project, layers = sample_project
    step = with_quota.steps["retained"]
    step.form.excludeControlsCheck.setChecked(False)
    for for_dialog in (False, True):
        params, _keep, _notes = step.parameters(for_dialog=for_dialog)
        assert (params["CONTROLS"], params["KIND_FIELD"], params["REGISTRY"]) == (None, None, None)
    step.form.excludeControlsCheck.setChecked(True)
    assert step.parameters()[0]["CONTROLS"] == layers["controls"].id()


def test_a_kind_missing_from_the_registry_names_layer_field_and_kind(with_quota, sample_project, qgis_iface):
    """A control kind the registry does not know stops the run before it starts, naming the layer,
    the field and the kind, and the step that fixes it."""
    from qgis.core import QgsFeatureRequest

    project, layers = sample_project
    copy = layers["controls"].materialize(QgsFeatureRequest())
    copy.setName("controls copy")
    idx = copy.fields().indexFromName("类型")
    first = next(copy.getFeatures())
    assert copy.dataProvider().changeAttributeValues({first.id(): {idx: "本地管控线"}})
    project.addMapLayer(copy)
    dock = with_quota
    form = dock.steps["project"].form
    form.controlsLayer.setLayer(copy)
    form.kindField.setField("类型")
    qgis_iface.messageBar().clear_messages()
    dock.steps["retained"].run()
    assert not dock.runner.is_running()
    said = messages(qgis_iface, Qgis.Warning)
    assert any(
        "Layer 'controls copy': kinds 本地管控线 in field '类型' are not in the control-line registry" in m
        and "step Conflicts" in m
        for m in said
    ), said
