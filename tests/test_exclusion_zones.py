"""One home for what carved retained land avoids: ``controls.exclusion_zones(registry)``.

The dock, ``landcoord carve``/``demo`` and the Processing algorithm all take the decision from the
registry (blocking + "must not overlap": avoided; blocking + "must lie inside": carved land lies
inside; any other severity: not avoided, left to the conflicts step). Checked here on the core, on
the real command line against the zones given by hand, and with an officer's registry that makes
the purple line blocking (every entry point follows).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from landcoord.allocation.controls import UnknownKindError, exclusion_zones, load_registry

ROOT = Path(__file__).resolve().parent.parent
LANDCOORD = Path(sys.executable).parent / "landcoord"


def test_shipped_registry_decides_blocking_inside_and_review():
    zones = exclusion_zones()
    registry = load_registry()
    avoided = {k.key for k in zones.avoid}
    # exactly the blocking "must not overlap" kinds of the registry, nothing hard-coded
    assert avoided == {
        k.key for k in registry if k.severity == "blocking" and k.rule_type == "must_not_overlap"
    }
    assert "purple_line" not in avoided and [k.key for k in zones.not_avoided] == ["purple_line"]
    assert [k.key for k in zones.inside] == ["urban_development_boundary"]
    # every spelling the registry accepts for an avoided kind, none of the others
    assert {"生态红线", "ECO_RED", "城市绿线", "道路红线"} <= set(zones.avoid_values)
    assert not {"紫线", "城市紫线", "城镇开发边界"} & set(zones.avoid_values)
    assert "UDB" in zones.inside_values
    text = zones.statement()
    assert "紫线 (review)" in text and "城镇开发边界" in text and "controls.toml" in text


def test_an_officers_registry_changes_the_decision(tmp_path):
    mine = tmp_path / "registry.toml"
    mine.write_text('[kinds.purple_line]\nseverity = "blocking"\n', encoding="utf-8")
    zones = exclusion_zones(mine)
    assert "purple_line" in {k.key for k in zones.avoid} and zones.not_avoided == ()
    # a loaded registry is taken as it is
    assert exclusion_zones(load_registry(mine)).avoid == zones.avoid
    # the statement follows: 紫线 is now among the blocking kinds, no kind is left to review
    assert "紫线" in zones.statement().split(" and lies inside")[0]
    assert "too where the quotas still fit" not in zones.statement()
    # an advisory kind is neither avoided nor kept clear of when the quotas fit, and the log says so
    mine.write_text('[kinds.purple_line]\nseverity = "advisory"\n', encoding="utf-8")
    zones = exclusion_zones(mine)
    assert zones.review == () and [k.key for k in zones.not_avoided] == ["purple_line"]
    text = zones.statement()
    assert "It does not avoid 紫线 (advisory)" in text and "too where the quotas still fit" not in text


def test_unknown_kinds_are_refused_not_carved_over():
    zones = exclusion_zones()
    with pytest.raises(UnknownKindError) as info:
        zones.split(["绿线", "文物保护范围"], [7, 8], layer="controls", field_name="类型")
    assert "文物保护范围" in str(info.value) and "controls" in str(info.value)


def test_frames_split_a_control_layer():
    controls = gpd.GeoDataFrame(
        {"kind": ["绿线", "UDB", "紫线", "ROAD_RED"]},
        geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)],
        crs=4547,
    )
    controls.attrs["name"] = "controls"
    avoid, inside = exclusion_zones().frames(controls, "kind")
    assert avoid["kind"].tolist() == ["绿线", "ROAD_RED"]
    assert inside["kind"].tolist() == ["UDB"]
    none_inside = exclusion_zones().frames(controls[controls["kind"] != "UDB"], "kind")[1]
    assert none_inside is None


def _quotas(path: Path) -> Path:
    # the columns of landcoord:retainedquota's summary; the figures are test inputs, not rule values
    frame = pd.DataFrame(
        {
            "project": ["LHTZ-2024-01", "LHTZ-2024-01", "LHTZ-2024-02"],
            "community": ["龙园社区", "松坪社区", "石岭社区"],
            "retained_area": [90_035.52, 42_250.62, 101_757.96],
        }
    )
    frame.to_csv(path, index=False, encoding="utf-8")
    return path


def _carve(tmp_path, name, *extra):
    sample = ROOT / "sample" / "landcoord_sample.gpkg"
    src = f"{sample}|layername="
    out = tmp_path / f"{name}.gpkg"
    args = [
        str(LANDCOORD),
        "carve",
        "--boundary",
        src + "projects",
        "--project-field",
        "项目编号",
        "--quotas",
        str(_quotas(tmp_path / "quotas.csv")),
        "--exclude",
        src + "zoning|用地性质=S1,GIC",
        "--prefer",
        src + "holdings",
        "--prefer-field",
        "社区",
        "--roads",
        src + "roads",
        *extra,
        "--out",
        str(out),
    ]
    proc = subprocess.run(
        args, capture_output=True, text=True, timeout=600, env={**os.environ, "LANDCOORD_LANG": "en"}
    )
    return proc, out


def test_the_command_line_takes_the_registry_decision(tmp_path):
    """``landcoord carve --controls`` carves exactly as with the registry's zones given by hand."""
    sample = ROOT / "sample" / "landcoord_sample.gpkg"
    src = f"{sample}|layername="
    zones = exclusion_zones()
    by_hand, out_hand = _carve(
        tmp_path,
        "by_hand",
        "--exclude",
        src + "controls|类型=" + ",".join(v for v in zones.avoid_values if "," not in v),
        "--within",
        src + "controls|类型=" + ",".join(zones.inside_values),
        # the review kinds (紫线): --controls keeps clear of them when the quotas still fit (issue 18)
        "--review",
        src + "controls|类型=" + ",".join(n for k in zones.review for n in k.names if "," not in n),
    )
    assert by_hand.returncode == 0, by_hand.stderr
    registry, out_reg = _carve(
        tmp_path, "registry", "--controls", src + "controls", "--control-kind-field", "类型"
    )
    assert registry.returncode == 0, registry.stderr
    # said in the log: the review kinds are kept clear of where the quotas still fit
    assert "It keeps clear of 紫线 (review) too where the quotas still fit" in registry.stderr
    a = gpd.read_file(out_hand, layer="parcels")
    b = gpd.read_file(out_reg, layer="parcels")
    assert len(a) == len(b) > 0
    for ga, gb in zip(a.geometry, b.geometry):
        assert shapely.symmetric_difference(ga, gb).area <= 1e-6
    # the blocking kinds are kept clear of
    controls = gpd.read_file(sample, layer="controls")
    blocking = shapely.union_all(controls[controls["类型"].isin(zones.avoid_values)].geometry.values)
    assert max(shapely.intersection(g, blocking).area for g in b.geometry) <= 1e-6

    # --controls without its kind field: exit 2 naming the option
    bad, _ = _carve(tmp_path, "bad", "--controls", src + "controls")
    assert bad.returncode == 2 and "--control-kind-field" in bad.stderr


def test_processing_takes_the_registry_default_and_says_so(tmp_path, run_alg):
    """landcoord:carveretained with CONTROLS: the registry's zones, the same parcels as the command line."""
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    from landcoord.allocation.io.files import read_layer, write_layers

    class Log(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):
            self.lines.append(info)
            super().pushInfo(info)

    sample = ROOT / "sample" / "landcoord_sample.gpkg"
    src = f"{sample}|layername="
    zoning = read_layer(src + "zoning")
    inputs = tmp_path / "inputs.gpkg"
    quotas = pd.read_csv(_quotas(tmp_path / "quotas.csv"))
    write_layers(inputs, {"uses": zoning[zoning["用地性质"].isin(["S1", "GIC"])], "quotas": quotas})
    params = {
        "BOUNDARY": src + "projects",
        "PROJECT_FIELD": "项目编号",
        "QUOTAS": f"{inputs}|layername=quotas",
        "EXCLUDE": [f"{inputs}|layername=uses"],
        "CONTROLS": src + "controls",
        "KIND_FIELD": "类型",
        "PREFER": src + "holdings",
        "PREFER_FIELD": "社区",
        "ROADS": src + "roads",
        "OUTPUT": str(tmp_path / "processing.gpkg"),
    }
    log = Log()
    res = run_alg("landcoord:carveretained", params, feedback=log)
    text = "\n".join(log.lines)
    assert "the default of the control-line registry shipped with landcoord" in text
    assert exclusion_zones().statement() in log.lines
    cli, out_cli = _carve(tmp_path, "cli", "--controls", src + "controls", "--control-kind-field", "类型")
    assert cli.returncode == 0, cli.stderr
    a = gpd.read_file(res["OUTPUT"]).sort_values(["project", "community"])
    b = gpd.read_file(out_cli, layer="parcels").sort_values(["project", "community"])
    assert list(a.community) == list(b.community) and len(a) > 0
    for ga, gb in zip(a.geometry, b.geometry):
        assert shapely.symmetric_difference(ga, gb).area <= 1e-6

    with pytest.raises(QgsProcessingException, match="KIND_FIELD"):
        run_alg("landcoord:carveretained", {**params, "KIND_FIELD": None})
