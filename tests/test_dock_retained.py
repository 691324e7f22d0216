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
