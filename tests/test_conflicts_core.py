"""plan_conflicts: areas against an independent shapely computation, rules, slivers, aliases, errors."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import Polygon, box

from landcoord.allocation.conflicts import CONFLICT_COLUMNS, SUMMARY_COLUMNS, plan_conflicts
from landcoord.allocation.controls import UnknownKindError, load_registry
from landcoord.allocation.errors import CRSError, FieldError, GeometryError, InputError, LayerError, RuleError
from landcoord.allocation.feedback import Canceled, RecordingFeedback

REL = 1e-6


def layer(geoms, name, crs=4547, **cols):
    gdf = gpd.GeoDataFrame(dict(cols), geometry=list(geoms), crs=crs)
    gdf.attrs["name"] = name
    return gdf


def reference(proposal, controls, kind_field, id_field=None, registry=None):
    """Conflict area per (input id, kind name), computed independently: one global union per kind."""
    reg = registry or load_registry()
    kinds = [reg.lookup(v) for v in controls[kind_field]]
    ids = list(proposal[id_field]) if id_field else list(proposal.index)
    inputs = {}
    for i, g in zip(ids, proposal.geometry):
        inputs[i] = g if i not in inputs else inputs[i].union(g)
    out = {}
    with np.errstate(invalid="ignore"):  # GEOS may leave a harmless floating-point flag
        _reference(inputs, controls, kinds, out)
    return out


def _reference(inputs, controls, kinds, out):
    for kind in {k.key: k for k in kinds}.values():
        zones = [g for g, k in zip(controls.geometry, kinds) if k.key == kind.key]
        union = shapely.union_all(zones)
        for i, g in inputs.items():
            part = g.intersection(union) if kind.rule_type == "must_not_overlap" else g.difference(union)
            if part.area > 0:
                out[(i, kind.name)] = part.area


def got(result):
    return {(r.input_id, r.kind): r.conflict_area for r in result.conflicts.itertuples()}


def assert_matches(result, want):
    have = got(result)
    assert set(have) == set(want)
    for key, area in want.items():
        assert have[key] == pytest.approx(area, rel=REL, abs=1e-9), key


@pytest.fixture
def town():
    """Eight proposal plots and zones of five kinds, some overlapping, one development boundary."""
    rng = np.random.default_rng(7)
    plots = []
    for k in range(8):
        x, y = 120.0 * (k % 4), 120.0 * (k // 4)
        ang = np.sort(rng.uniform(0, 2 * np.pi, 9))
        r = rng.uniform(30, 55, 9)
        plots.append(Polygon(np.c_[x + 50 + r * np.cos(ang), y + 50 + r * np.sin(ang)]).buffer(0))
    proposal = layer(plots, "retained", code=[f"L{k}" for k in range(8)])
    zones = [
        (box(90, -20, 130, 260), "道路红线"),
        (box(-20, 95, 500, 125), "ROAD_RED"),  # crosses the first road: overlapping zones of one kind
        (box(100, 100, 140, 140), "road red line"),  # inside both roads' crossing
        (Polygon([(200, 0), (330, 30), (300, 110), (210, 90)]), "绿线"),
        (box(330, 130, 420, 230), "GREEN_LINE"),
        (box(400, 200, 470, 260), "green line"),  # overlaps the previous green zone
        (shapely.Point(60, 170).buffer(35), "紫线"),
        (box(-100, -100, 250, 400), "城镇开发边界"),
        (box(250, -100, 400, 100), "UDB"),  # edge to edge with the first boundary zone
        (box(0, 0, 40, 40), "基本生态控制线"),
        (box(10, 10, 30, 60), "生态红线"),  # overlaps the ecological control line: other kind
    ]
    controls = layer([g for g, _ in zones], "controls", 类型=[k for _, k in zones])
    return proposal, controls


def test_columns_and_areas_match_an_independent_shapely_computation(town):
    proposal, controls = town
    r = plan_conflicts(proposal, controls, kind_field="类型", input_id_field="code")
    assert list(r.conflicts.columns) == [*CONFLICT_COLUMNS, "geometry"]
    assert list(r.summary.columns) == SUMMARY_COLUMNS
    assert_matches(r, reference(proposal, controls, "类型", "code"))
    assert r.summary.input_id.tolist() == proposal.code.tolist()
    assert r.measure.label == "EPSG:4547"
    c = r.conflicts
    assert shapely.is_valid(c.geometry.values).all()
    assert np.allclose(shapely.area(c.geometry.values), c.conflict_area, rtol=1e-12)
    areas = dict(zip(proposal.code, proposal.area))
    assert np.allclose(c.input_share, c.conflict_area / c.input_id.map(areas), rtol=1e-12)
    assert (c.conflict_area <= c.input_id.map(areas) * (1 + 1e-9)).all()


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_summary_counts_land_under_two_blocking_kinds_once(town):
    proposal, controls = town
    r = plan_conflicts(proposal, controls, kind_field="类型", input_id_field="code")
    reg = load_registry()
    kinds = [reg.lookup(v) for v in controls.类型]
    for row in r.summary.itertuples():
        g = proposal.geometry[proposal.code == row.input_id].iloc[0]
        parts = []
        for sev in ("blocking", "review"):
            pieces = []
            for kind in {k.key: k for k in kinds if k.severity == sev}.values():
                u = shapely.union_all([z for z, k in zip(controls.geometry, kinds) if k.key == kind.key])
                piece = g.intersection(u) if kind.rule_type == "must_not_overlap" else g.difference(u)
                if piece.area >= 1.0:
                    pieces.append(piece)
            area = shapely.union_all(pieces).area if pieces else 0.0
            parts.append(area)
            assert getattr(row, f"{sev}_area") == pytest.approx(area, rel=REL, abs=1e-9)
        assert row.verdict == ("blocked" if parts[0] > 0 else "review" if parts[1] > 0 else "clear")
        assert row.input_area == pytest.approx(g.area, rel=1e-12)
        assert row.blocking_area <= row.input_area * (1 + 1e-9)
    assert set(r.summary.verdict) <= {"blocked", "review", "clear"}


def test_must_lie_inside_the_development_boundary():
    proposal = layer(
        [box(0, 0, 100, 100), box(150, 0, 250, 100), box(300, 0, 400, 100), box(500, 0, 600, 100)],
        "sites",
        code=["half out", "across two zones", "wholly inside", "far away"],
    )
    controls = layer(
        [box(-50, -50, 100, 50), box(100, -50, 200, 200), box(200, -50, 280, 200), box(290, -10, 410, 110)],
        "controls",
        kind=["城镇开发边界", "UDB", "urban development boundary", "城镇开发边界线"],
    )
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code")
    assert_matches(r, reference(proposal, controls, "kind", "code"))
    c = r.conflicts.set_index("input_id")
    assert c.loc["half out", "conflict_area"] == pytest.approx(5000.0)
    assert c.loc["half out", "rule_type"] == "must_lie_inside"
    assert c.loc["half out", "zone_ids"] == "0"
    assert c.loc["far away", "conflict_area"] == pytest.approx(10000.0)
    assert c.loc["far away", "input_share"] == pytest.approx(1.0)
    assert c.loc["far away", "zone_ids"] == ""
    assert "across two zones" not in c.index and "wholly inside" not in c.index
    assert r.summary.set_index("input_id").verdict.to_dict() == {
        "half out": "blocked",
        "across two zones": "clear",
        "wholly inside": "clear",
        "far away": "blocked",
    }


def test_development_boundary_absent_is_a_warning_not_a_silent_pass():
    proposal = layer([box(0, 0, 10, 10)], "site")
    controls = layer([box(20, 0, 30, 10)], "controls", kind=["绿线"])
    r = plan_conflicts(proposal, controls, kind_field="kind")
    assert any("城镇开发边界" in w and "not checked" in w for w in r.warnings)
    assert r.kinds_checked == ["绿线"]
    assert r.summary.verdict.tolist() == ["clear"]


def test_slivers_follow_the_tolerance():
    proposal = layer([box(0, 0, 100, 100), box(200, 0, 300, 100)], "sites", code=["A", "B"])
    controls = layer(
        [box(99.9, 10, 120, 15), box(290, 0, 320, 100)],  # 0.5 m² into A; 1000 m² into B
        "controls",
        kind=["道路红线", "道路红线"],
    )
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code")
    c = r.conflicts.set_index("input_id")
    assert c.loc["A", "severity"] == "sliver" and c.loc["A", "conflict_area"] == pytest.approx(0.5)
    assert c.loc["B", "severity"] == "blocking"
    s = r.summary.set_index("input_id")
    assert s.loc["A", "verdict"] == "clear" and s.loc["A", "blocking_area"] == 0
    assert s.loc["A", "sliver_area"] == pytest.approx(0.5) and s.loc["A", "kinds"] == ""
    assert any("sliver" in n for n in r.notes)
    for tol, sev in ((0.0, "blocking"), (0.4, "blocking"), (0.5000001, "sliver"), (5000.0, "sliver")):
        r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code", tolerance=tol)
        assert r.conflicts.set_index("input_id").loc["A", "severity"] == sev
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code", tolerance=5000.0)
    assert r.summary.verdict.tolist() == ["clear", "clear"]


def test_aliases_are_one_kind_and_overlapping_zones_count_once():
    proposal = layer([box(0, 0, 100, 100)], "site", code=["A"])
    controls = layer(
        [box(-10, -10, 40, 60), box(20, 20, 70, 70), box(30, -50, 50, 150)],
        "controls",
        kind=["生态红线", "ECO_RED", " Ecological Protection  Red Line"],
    )
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code")
    assert len(r.conflicts) == 1
    row = r.conflicts.iloc[0]
    union = shapely.union_all(controls.geometry.values).intersection(box(0, 0, 100, 100)).area
    assert row.kind == "生态保护红线" and row.conflict_area == pytest.approx(union, rel=1e-12)
    assert row.conflict_area < sum(g.intersection(box(0, 0, 100, 100)).area for g in controls.geometry)
    assert row.zone_ids == "0, 1, 2"
    assert row.source.endswith("(unverified)") and not row.verified


def test_overlapping_zones_of_one_kind_inside_the_input():
    proposal = layer([box(0, 0, 100, 100)], "site")
    controls = layer([box(10, 10, 30, 30), box(20, 20, 40, 40), box(10, 10, 30, 30)], "c", kind=["蓝线"] * 3)
    r = plan_conflicts(proposal, controls, kind_field="kind")
    assert r.conflicts.conflict_area.tolist() == [pytest.approx(700.0)]  # 400 + 400 - 100
    assert r.summary.blocking_area.tolist() == [pytest.approx(700.0)]


def test_input_inside_a_zone_is_wholly_in_conflict():
    proposal = layer([box(10, 10, 20, 20), box(0, 0, 5, 5)], "sites", code=["in", "corner"])
    controls = layer([box(0, 0, 100, 100), box(50, 50, 200, 200)], "c", kind=["永久基本农田", "基本农田"])
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code")
    assert r.conflicts.conflict_area.tolist() == [pytest.approx(100.0), pytest.approx(25.0)]
    assert r.conflicts.input_share.tolist() == [pytest.approx(1.0), pytest.approx(1.0)]
    assert "Land Administration Law" in r.conflicts.source.iloc[0]


def test_touching_along_an_edge_or_at_a_corner_is_no_conflict():
    proposal = layer([box(0, 0, 100, 100)], "site")
    controls = layer(
        [
            box(100, 0, 150, 100),  # shares the east edge
            box(-50, 100, 0, 150),  # touches the north-west corner
            box(20, -30, 60, 0),  # shares part of the south edge
            box(-60, -60, -10, -10),  # far away
            box(-10, -10, 110, 110),  # a development boundary the site lies in, touching nothing
        ],
        "c",
        kind=["道路红线", "绿线", "蓝线", "黄线", "城镇开发边界"],
    )
    r = plan_conflicts(proposal, controls, kind_field="kind", tolerance=0.0)
    assert len(r.conflicts) == 0
    assert r.summary.verdict.tolist() == ["clear"]
    # inside the boundary and touching it from inside: still clear
    controls2 = layer([box(0, -10, 110, 110)], "c", kind=["城镇开发边界"])
    r = plan_conflicts(proposal, controls2, kind_field="kind", tolerance=0.0)
    assert len(r.conflicts) == 0


def test_unknown_kinds_stop_the_run_with_every_value_listed(town):
    proposal, controls = town
    controls = controls.copy()
    controls.loc[[1, 4], "类型"] = "规划道路"
    controls.loc[6, "类型"] = None
    controls.attrs["name"] = "controls"
    with pytest.raises(UnknownKindError) as exc:
        plan_conflicts(proposal, controls, kind_field="类型", input_id_field="code")
    msg = str(exc.value)
    assert "'规划道路' (2 zones: feature 1, 4)" in msg and "'(empty)' (1 zone: feature 6)" in msg
    assert "Layer 'controls': field '类型'" in msg and "基本生态控制线" in msg and "--registry" in msg


def test_officer_registry_maps_a_value_and_changes_a_severity(town, tmp_path):
    proposal, controls = town
    controls = controls.copy()
    controls.loc[1, "类型"] = "规划道路"
    mine = tmp_path / "local.toml"
    mine.write_text(
        '[kinds.road_red_line]\naliases = ["规划道路"]\n\n[kinds.purple_line]\nseverity = "advisory"\n',
        encoding="utf-8",
    )
    r = plan_conflicts(proposal, controls, kind_field="类型", input_id_field="code", registry=mine)
    reg = load_registry(mine)
    assert_matches(r, reference(proposal, controls, "类型", "code", reg))
    purple = r.conflicts[r.conflicts.kind == "紫线"]
    assert len(purple) and (purple.severity == "advisory").all()
    s = r.summary.set_index("input_id")
    for i in purple.input_id:
        assert s.loc[i, "advisory_area"] > 0 and s.loc[i, "review_area"] == 0
    assert any("purple_line" in n for n in r.notes)
    with pytest.raises(RuleError, match="does not exist"):
        plan_conflicts(proposal, controls, kind_field="类型", registry=tmp_path / "missing.toml")


def test_controls_in_another_crs_are_reprojected_with_a_message(town):
    proposal, controls = town
    base = plan_conflicts(proposal, controls, kind_field="类型", input_id_field="code")
    geo = controls.to_crs(4490)
    geo.attrs["name"] = "controls"
    fb = RecordingFeedback()
    r = plan_conflicts(proposal, geo, kind_field="类型", input_id_field="code", feedback=fb)
    assert any("reprojected" in m and "controls" in m for m in fb.infos)
    assert r.conflicts.crs.equals(proposal.crs)
    a, b = got(base), got(r)
    assert set(a) == set(b)
    for k in a:
        assert b[k] == pytest.approx(a[k], rel=1e-6, abs=1e-6)


def test_geographic_proposal_is_measured_in_its_gauss_kruger_zone(town):
    proposal, controls = town
    # place the town in Shenzhen: EPSG:4547 coordinates around 114°E, 22.5°N
    shift = lambda g: shapely.affinity.translate(g, 500_000, 2_490_000)  # noqa: E731
    p = proposal.set_geometry(proposal.geometry.map(shift))
    c = controls.set_geometry(controls.geometry.map(shift))
    projected = plan_conflicts(p, c, kind_field="类型", input_id_field="code")
    geo = p.to_crs(4490)
    geo.attrs["name"] = "retained"
    r = plan_conflicts(geo, c, kind_field="类型", input_id_field="code")
    assert r.measure.label == "EPSG:4547" and "geographic" in r.measure.note
    a, b = got(projected), got(r)
    assert set(a) == set(b)
    for k in a:
        assert b[k] == pytest.approx(a[k], rel=1e-6, abs=1e-4)


def test_missing_crs_fields_and_empty_layers():
    site = layer([box(0, 0, 10, 10)], "site", code=["A"])
    zones = layer([box(5, 5, 20, 20)], "zones", kind=["绿线"])
    with pytest.raises(CRSError, match="'zones' has no coordinate reference system"):
        plan_conflicts(site, zones.set_crs(None, allow_override=True), kind_field="kind")
    with pytest.raises(CRSError, match="'site' has no coordinate reference system"):
        plan_conflicts(site.set_crs(None, allow_override=True), zones, kind_field="kind")
    with pytest.raises(FieldError, match="Layer 'zones': field '类型' does not exist.*kind"):
        plan_conflicts(site, zones, kind_field="类型")
    with pytest.raises(FieldError, match="Layer 'site': field 'id'"):
        plan_conflicts(site, zones, kind_field="kind", input_id_field="id")
    with pytest.raises(LayerError, match="'site' \\(proposal\\) is empty"):
        plan_conflicts(site.iloc[:0], zones, kind_field="kind")
    with pytest.raises(LayerError, match="'zones' \\(control lines\\) is empty"):
        plan_conflicts(site, zones.iloc[:0], kind_field="kind")
    with pytest.raises(InputError, match="Tolerance"):
        plan_conflicts(site, zones, kind_field="kind", tolerance=-1)
    with pytest.raises(InputError, match="Tolerance"):
        plan_conflicts(site, zones, kind_field="kind", tolerance="lots")
    blank = site.assign(code=[None])
    blank.attrs["name"] = "site"
    with pytest.raises(LayerError, match="'site': field 'code' is empty for 1 feature: "):
        plan_conflicts(blank, zones, kind_field="kind", input_id_field="code")


def test_shared_ids_empty_and_invalid_geometries():
    bowtie = Polygon([(0, 0), (20, 20), (20, 0), (0, 20), (0, 0)])
    proposal = layer(
        [box(0, 0, 10, 10), box(10, 0, 20, 10), None, bowtie],
        "plots",
        code=["A", "A", "empty", "bow"],
    )
    controls = layer([box(5, 0, 15, 5), box(0, 0, 20, 20)], "c", kind=["绿线", "紫线"])
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code")
    assert r.summary.input_id.tolist() == ["A", "empty", "bow"]
    s = r.summary.set_index("input_id")
    assert s.loc["A", "input_area"] == pytest.approx(200.0)
    assert s.loc["A", "blocking_area"] == pytest.approx(50.0)
    assert s.loc["empty", "verdict"] == "clear" and s.loc["empty", "input_area"] == 0
    assert s.loc["bow", "input_area"] == pytest.approx(200.0)  # repaired bow-tie: two triangles
    assert any("repaired" in w and "bow" in w for w in r.warnings)
    assert any("no or empty geometry" in w and "empty" in w for w in r.warnings)
    assert any("share" in n and "'A'" not in n for n in r.notes)
    assert ((r.conflicts.input_id == "A").sum()) == 2  # 绿线 and 紫线, once each


def test_inputs_are_never_modified(town):
    proposal, controls = town
    p0, c0 = proposal.copy(), controls.copy()
    geo = controls.to_crs(4490)
    g0 = geo.copy()
    plan_conflicts(proposal, geo, kind_field="类型", input_id_field="code")
    pd.testing.assert_frame_equal(proposal, p0)
    pd.testing.assert_frame_equal(controls, c0)
    pd.testing.assert_frame_equal(geo, g0)
    assert geo.crs.to_epsg() == 4490


def test_feature_ids_are_the_default_input_id_and_canceling_stops(town):
    proposal, controls = town
    proposal = proposal.set_index(pd.Index([11, 12, 13, 14, 15, 16, 17, 18]))
    r = plan_conflicts(proposal, controls, kind_field="类型")
    assert r.summary.input_id.tolist() == [11, 12, 13, 14, 15, 16, 17, 18]

    class Stop(RecordingFeedback):
        def is_canceled(self):
            return True

    with pytest.raises(Canceled):
        plan_conflicts(proposal, controls, kind_field="类型", feedback=Stop())


def test_eco_control_line_conflict_reports_the_adjustment_route():
    proposal = layer([box(0, 0, 10, 10)], "site")
    controls = layer([box(5, 5, 20, 20)], "c", kind=["基本生态控制线"])
    row = plan_conflicts(proposal, controls, kind_field="kind").conflicts.iloc[0]
    assert row.severity == "blocking" and "市政府批准" in row.adjustment
    assert "equal-area swap" in row.adjustment_en and row.rule and row.rule_en


def test_line_features_in_the_control_layer_are_reported_and_ignored():
    from shapely import LineString

    proposal = layer([box(0, 0, 10, 10)], "site")
    controls = layer([LineString([(0, 5), (20, 5)]), box(5, 5, 20, 20)], "c", kind=["道路红线", "绿线"])
    r = plan_conflicts(proposal, controls, kind_field="kind")
    assert r.conflicts.kind.tolist() == ["绿线"]
    assert any(
        "1 feature near the proposal is a point or line" in w and "ignored: 0" in w for w in r.warnings
    )
    lines_only = layer([LineString([(0, 5), (20, 5)])], "roads", kind=["道路红线"])
    with pytest.raises(LayerError, match="'roads' holds no polygons"):
        plan_conflicts(proposal, lines_only, kind_field="kind")


def test_a_pair_geos_cannot_overlay_is_snapped_and_reported(monkeypatch):
    """GEOS failures are rare and cannot be provoked reliably, so one is simulated for one input."""
    import landcoord.allocation.conflicts as conflicts

    proposal = layer([box(0, 0, 10, 10), box(20, 0, 30, 10)], "sites", code=["A", "B"])
    controls = layer([box(5, 5, 25, 15)], "c", kind=["绿线"])
    problem = proposal.geometry.iloc[0]
    real = shapely.intersection

    def is_problem(x):  # the core overlays its own (prepared) copy of the proposal: compare shapes
        return x is not None and x.equals_exact(problem, 0)

    def flaky(a, b, grid_size=None, **kwargs):
        items = a if isinstance(a, np.ndarray) else [a]
        if grid_size is None and any(is_problem(x) for x in items):
            raise shapely.errors.GEOSException("TopologyException: simulated")
        return real(a, b, grid_size=grid_size, **kwargs)

    monkeypatch.setattr(conflicts.shapely, "intersection", flaky)
    r = plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code")
    assert r.conflicts.conflict_area.tolist() == [pytest.approx(25.0), pytest.approx(25.0)]
    assert any("1 overlay with" in w and "grid" in w for w in r.warnings)

    def broken(a, b, grid_size=None, **kwargs):
        items = a if isinstance(a, np.ndarray) else [a]
        if any(is_problem(x) for x in items):
            raise shapely.errors.GEOSException("TopologyException: simulated")
        return real(a, b, grid_size=grid_size, **kwargs)

    monkeypatch.setattr(conflicts.shapely, "intersection", broken)
    with pytest.raises(GeometryError, match="intersection of a proposal and a zone \\(proposal A, zone 0\\)"):
        plan_conflicts(proposal, controls, kind_field="kind", input_id_field="code")
