"""landcoord:retainedquota and landcoord:benefitscenarios inside QGIS, on real GeoPackage files."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely import box

from landcoord.sample.fabric import blob_boundaries, quad_fabric


@pytest.fixture(scope="module")
def village(tmp_path_factory):
    """Pieces of two projects (from affected_area), buildings and zoning, written to GeoPackages."""
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import write_layers

    d = tmp_path_factory.mktemp("village")
    parcels = quad_fabric(400, cell=25.0, seed=3)
    parcels["社区"] = np.where(parcels.geometry.centroid.x < parcels.total_bounds[0] + 250, "东村", "西村")
    bounds = blob_boundaries(parcels, 2, seed=3, coverage=0.5)
    res = affected_area(
        bounds, parcels, parcel_field="pid", holder_field="owner", status_field="status", project_field="code"
    )
    pieces = res.pieces.copy()
    comm = dict(zip(parcels.pid, parcels["社区"]))
    pieces["社区"] = [comm[p] for p in pieces.parcel_id]
    rng = np.random.default_rng(3)
    cents = shapely.centroid(parcels.geometry.values)
    sizes = rng.uniform(4, 9, len(cents))
    buildings = gpd.GeoDataFrame(
        {
            "建筑面积": np.round(sizes * sizes * rng.integers(1, 8, len(cents)), 2),
            "合法状态": rng.choice(["合法", "历史遗留违法建筑", "违法建筑"], len(cents)),
        },
        geometry=[box(c.x - s, c.y - s, c.x + s, c.y + s) for c, s in zip(cents, sizes)],
        crs=parcels.crs,
    )
    minx, miny, maxx, maxy = parcels.total_bounds
    zoning = gpd.GeoDataFrame(
        {"用地性质": ["R2", "M1", "E1"]},
        geometry=[
            box(minx, miny, maxx, (miny + maxy) / 2),
            box(minx, (miny + maxy) / 2, (minx + maxx) / 2, maxy),
            box((minx + maxx) / 2, (miny + maxy) / 2, maxx, maxy),
        ],
        crs=parcels.crs,
    )
    gpkg = d / "village.gpkg"
    write_layers(gpkg, {"pieces": pieces, "buildings": buildings, "zoning": zoning})
    return {"dir": d, "gpkg": gpkg, "pieces": pieces, "buildings": buildings, "zoning": zoning}


def layer(v, name):
    return f"{v['gpkg']}|layername={name}"


def quota_params(v, out, **extra):
    from landcoord.allocation.rules import shipped_rule_sets

    p = {
        "INPUT": layer(v, "pieces"),
        "COMMUNITY_FIELD": "社区",
        "BUILDINGS": layer(v, "buildings"),
        "FLOOR_AREA_FIELD": "建筑面积",
        "ZONING": layer(v, "zoning"),
        "ZONING_FIELD": "用地性质",
        "RULES": str(shipped_rule_sets()["shenzhen_example"]),
        "OUTPUT": str(out),
    }
    p.update(extra)
    return p


def test_retainedquota_matches_the_core(village, tmp_path, run_alg):
    from landcoord.allocation.quota import TRAIL_COLUMNS, retained_quota

    res = run_alg("landcoord:retainedquota", quota_params(village, tmp_path / "quota.gpkg"))
    got = pyogrio.read_dataframe(res["OUTPUT"])
    assert list(got.columns) == TRAIL_COLUMNS
    core = retained_quota(
        village["pieces"],
        "shenzhen_example",
        community_field="社区",
        buildings=village["buildings"],
        floor_area_field="建筑面积",
        zoning=village["zoning"],
        zoning_field="用地性质",
    )
    assert len(got) == len(core.trail)
    assert list(got.quantity) == list(core.trail.quantity)
    np.testing.assert_allclose(
        got.value.to_numpy(dtype=float), core.trail.value.to_numpy(dtype=float), rtol=1e-9, equal_nan=True
    )
    assert list(got.verified.astype(bool)) == list(core.trail.verified)
    assert set(got.community) == {"东村", "西村"}
    results = got[got.quantity == "result.retained_area"]
    assert len(results) == len(core.summary) and results.value.notna().all()
    assert (got[got.quantity == "official"].value == 0).all()  # an example rule set


def test_retainedquota_official_refuses_unverified(village, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    out = tmp_path / "quota.gpkg"
    with pytest.raises(QgsProcessingException) as e:
        run_alg("landcoord:retainedquota", quota_params(village, out, OFFICIAL=True))
    assert "No official result" in str(e.value) and "EXAMPLE" in str(e.value)
    assert not out.exists()  # nothing written


def test_retainedquota_default_rules_flag_empty_values(village, tmp_path, run_alg):
    from qgis.core import QgsProcessingFeedback

    class Fb(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.errors = []

        def reportError(self, error, fatalError=False):  # noqa: N803 - Qt signature
            self.errors.append(error)

        def pushWarning(self, warning):  # "NOT OFFICIAL" is a warning (pushWarning), not an error
            self.errors.append(warning)

    fb = Fb()
    from landcoord.processing.retained_quota import default_rules_path

    # the default rule set: the Shenzhen rules with their empty values
    params = quota_params(village, tmp_path / "quota.gpkg", RULES=default_rules_path())
    res = run_alg("landcoord:retainedquota", params, feedback=fb)
    got = pyogrio.read_dataframe(res["OUTPUT"])
    assert got[got.quantity == "result.retained_area"].value.isna().all()
    assert any("NOT OFFICIAL" in e and "values.cap_ratio" in e for e in fb.errors)


def test_retainedquota_status_map_and_errors(village, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    smap = tmp_path / "map.csv"
    smap.write_text("status,category\n出让合同,state\n", encoding="utf-8")
    res = run_alg("landcoord:retainedquota", quota_params(village, tmp_path / "q.gpkg", STATUS_MAP=str(smap)))
    got = pyogrio.read_dataframe(res["OUTPUT"])
    assert got.source.str.contains("map.csv").any()
    with pytest.raises(QgsProcessingException, match="'社区名'"):
        run_alg(
            "landcoord:retainedquota", quota_params(village, tmp_path / "q2.gpkg", COMMUNITY_FIELD="社区名")
        )


def test_benefitscenarios_reconciles_and_draws(village, tmp_path, run_alg):
    from landcoord.allocation.rules import RULES_DIR

    q = run_alg("landcoord:retainedquota", quota_params(village, tmp_path / "quota.gpkg"))
    chart = tmp_path / "scenarios.png"
    res = run_alg(
        "landcoord:benefitscenarios",
        {
            "INPUT": layer(village, "pieces"),
            "COMMUNITY_FIELD": "社区",
            "QUOTA": q["OUTPUT"],
            "BUILDINGS": layer(village, "buildings"),
            "FLOOR_AREA_FIELD": "建筑面积",
            "BUILDING_STATUS_FIELD": "合法状态",
            "SCENARIOS": str(RULES_DIR / "scenarios" / "example_sample_scenarios.toml"),
            "OUTPUT": str(tmp_path / "parties.gpkg"),
            "LINES": str(tmp_path / "lines.gpkg"),
            "CHART": str(chart),
        },
    )
    parties = pyogrio.read_dataframe(res["OUTPUT"])
    lines = pyogrio.read_dataframe(res["LINES"])
    assert list(parties.columns) == [
        "scenario",
        "project",
        "party_type",
        "party",
        "land_area",
        "floor_area",
        "money",
        "swap_floor_area",
        "verified",
    ]
    pieces = village["pieces"]
    for (s, p), g in parties.groupby(["scenario", "project"]):
        assert g.land_area.sum() == pytest.approx(pieces[pieces["project"] == p].piece_area.sum(), rel=1e-9)
        pl = lines[(lines.scenario == s) & (lines.project == p)]
        assert g[g.party_type != "government"].money.sum() == pytest.approx(pl.amount.sum(), rel=1e-9)
    assert set(parties.scenario) == {"A", "B", "C"}
    assert not parties.verified.astype(bool).any()
    assert chart.read_bytes()[:4] == b"\x89PNG" and res["CHART"] == str(chart)


def test_providers_list_the_algorithms(landcoord_provider):
    ids = {a.id() for a in landcoord_provider.algorithms()}
    assert {"landcoord:retainedquota", "landcoord:benefitscenarios"} <= ids
    alg = landcoord_provider.algorithm("retainedquota")
    keys = {p.name() for p in alg.parameterDefinitions()}
    assert {"INPUT", "STATUS_MAP", "COMMUNITY_FIELD", "BUILDINGS", "RULES", "OUTPUT"} <= keys
    for p in alg.parameterDefinitions():
        assert p.help(), p.name()
    alg = landcoord_provider.algorithm("benefitscenarios")
    keys = {p.name() for p in alg.parameterDefinitions()}
    assert {"INPUT", "QUOTA", "BUILDINGS", "SCENARIOS", "OUTPUT", "CHART"} <= keys
    for p in alg.parameterDefinitions():
        assert p.help(), p.name()


def test_retainedquota_counts_held_area_as_the_core_does(village, tmp_path, run_alg):
    """Pieces of double-claimed land carry held_area below piece_area (landcoord:affectedarea counts
    such land once): the algorithm gives the core the held_area, as landcoord quota does, so the
    quota rests on the same project land as every other step."""
    from landcoord.allocation.io.files import write_layers
    from landcoord.allocation.quota import retained_quota

    pieces = village["pieces"].copy()
    pieces["held_area"] = pieces["piece_area"]
    claimed_twice = pieces.index[::3]
    pieces.loc[claimed_twice, "held_area"] = pieces.loc[claimed_twice, "piece_area"] * 0.5
    gpkg = tmp_path / "held.gpkg"
    write_layers(gpkg, {"pieces": pieces, "buildings": village["buildings"], "zoning": village["zoning"]})
    v = dict(village, gpkg=gpkg)
    res = run_alg("landcoord:retainedquota", quota_params(v, tmp_path / "quota.gpkg"))
    got = pyogrio.read_dataframe(res["OUTPUT"])
    kw = dict(community_field="社区", buildings=village["buildings"], floor_area_field="建筑面积",
              zoning=village["zoning"], zoning_field="用地性质")  # fmt: skip
    held = retained_quota(pieces, "shenzhen_example", **kw).trail
    claimed = retained_quota(pieces.drop(columns="held_area"), "shenzhen_example", **kw).trail
    np.testing.assert_allclose(
        got.value.to_numpy(dtype=float), held.value.to_numpy(dtype=float), rtol=1e-9, equal_nan=True
    )
    assert not np.allclose(
        held.value.to_numpy(dtype=float), claimed.value.to_numpy(dtype=float), rtol=1e-9, equal_nan=True
    )


def test_the_adapters_read_the_pieces_fields_of_the_core():
    from landcoord.allocation.quota import PIECE_FIELDS
    from landcoord.processing.base import PIECE_FIELDS as ADAPTER_FIELDS

    assert ADAPTER_FIELDS == PIECE_FIELDS
