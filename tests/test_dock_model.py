"""The whole chain as a Processing model: shipped, listed by the provider, and equal to the steps."""

from __future__ import annotations

from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parent.parent / "allocation" / "rules"


def test_shipped_model_file_is_what_the_builder_writes(landcoord_provider, tmp_path):
    from xml.etree.ElementTree import canonicalize

    from landcoord.processing.models.chain import MODEL_FILE, build_model

    fresh = tmp_path / "chain.model3"
    assert build_model().toFile(str(fresh))
    # Qt writes attributes in any order: compare canonical XML (attributes sorted)
    assert canonicalize(fresh.read_text(encoding="utf-8")) == canonicalize(
        MODEL_FILE.read_text(encoding="utf-8")
    ), "the shipped model is stale: run .venv/bin/python scripts/build_chain_model.py"
    assert "/work/" not in MODEL_FILE.read_text(encoding="utf-8")  # no machine's paths inside


def test_provider_lists_the_chain_model(landcoord_provider):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById("landcoord:landcoordchain")
    assert alg is not None
    assert alg.displayName() == "Land consolidation chain"
    ok, message = alg.canExecute()
    assert ok, message
    children = {c.algorithmId() for c in alg.childAlgorithms().values()}
    assert {
        "landcoord:affectedarea",
        "landcoord:retainedquota",
        "landcoord:benefitscenarios",
        "landcoord:carveretained",
        "landcoord:planconflicts",
        "landcoord:hearingmaps",
    } <= children
    names = {p.name() for p in alg.parameterDefinitions()}
    assert {"BOUNDARY", "CADASTRE", "PARCEL_FIELD", "HOLDER_FIELD", "COMMUNITY_FIELD", "SCENARIOS"} <= names


def test_model_run_equals_the_algorithms(landcoord_provider, run_alg, sample_gpkg, tmp_path):
    import gc

    # No algorithm may leave a Qt object (its feedback) in a reference cycle: the garbage collector
    # would free it later in whatever thread it runs in, which can crash QGIS.
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        _run_chain_and_steps(run_alg, sample_gpkg, tmp_path)
        gc.collect()
        held = _qt_objects_in(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()  # free them now, while QGIS and the test's objects are still alive
    assert held == [], f"reference cycles hold {held}"


def _qt_objects_in(garbage, depth: int = 4) -> list:
    """Qt/QGIS objects that the given (unreachable) objects hold, up to ``depth`` references away.

    A module's globals are not held by a cycle (the module keeps them alive anyway): the walk does
    not enter them. Otherwise any exception cycle inside an import (e.g. matplotlib's font-pattern
    parser on first import) would "hold" ``qgis.utils.iface`` through the frame's globals.
    """
    import gc
    import sys

    from qgis.PyQt import sip

    module_dicts = {id(vars(m)) for m in list(sys.modules.values()) if hasattr(m, "__dict__")}
    found, seen = set(), set(module_dicts)
    frontier = [(o, o) for o in garbage]
    for _ in range(depth):
        nxt = []
        for obj, root in frontier:
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if isinstance(obj, sip.simplewrapper):
                found.add(f"{type(obj).__name__} (via {type(root).__qualname__})")
                continue
            nxt.extend((r, root) for r in gc.get_referents(obj))
        frontier = nxt
    return sorted(found)


def _model_output_names(outputs: dict) -> dict:
    """``"child:Output name"`` key -> the name this QGIS gives that destination parameter of the model.

    Models of the format QGIS < 3.38 writes name them ``child:Output name``; from the format
    "Version2" (QGIS 3.38+) they are the output name in lower case, spaces as underscores, other
    punctuation dropped (``affected_pieces``, ``retainedland_parcels``).
    """
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().createAlgorithmById("landcoord:landcoordchain")
    names = {p.name() for p in alg.destinationParameterDefinitions()}
    found = {}
    for key in outputs:
        plain = key.split(":", 1)[1]
        normalised = "".join(ch for ch in plain.lower().replace(" ", "_") if ch.isalnum() or ch == "_")
        matches = [n for n in names if n in (key, plain, normalised)]
        assert len(matches) == 1, f"no destination parameter for {key} among {sorted(names)}"
        found[key] = matches[0]
    return found


def _run_chain_and_steps(run_alg, sample_gpkg, tmp_path):
    import pyogrio

    src = f"{sample_gpkg}|layername="
    inputs = {
        "BOUNDARY": src + "projects",
        "PROJECT_FIELD": "项目编号",
        "CADASTRE": src + "parcels",
        "PARCEL_FIELD": "宗地号",
        "HOLDER_FIELD": "权利人",
        "STATUS_FIELD": "用地状态",
        "COMMUNITY_FIELD": "社区",
        "BUILDINGS": src + "buildings",
        "FLOOR_AREA_FIELD": "建筑面积",
        "BUILDING_STATUS_FIELD": "合法状态",
        "ZONING": src + "zoning",
        "ZONING_FIELD": "用地性质",
        "RULES": str(RULES / "examples" / "shenzhen_example.toml"),
        "SCENARIOS": str(RULES / "scenarios" / "example_sample_scenarios.toml"),
        # blocking control zones and planned roads / public facilities of the sample
        "EXCLUDE": [
            src + "controls|subset=\"类型\" NOT IN ('城镇开发边界', '紫线')",
            src + "zoning|subset=\"用地性质\" IN ('S1', 'GIC')",
        ],
        "HOLDINGS": src + "holdings",
        "HOLDINGS_FIELD": "社区",
        "ROADS": src + "roads",
        "MIN_WIDTH": 20.0,
        "CONTROLS": src + "controls",
        "KIND_FIELD": "类型",
        "PROJECT": "LHTZ-2024-02",
        "PROJECT_NAME_FIELD": "项目名称",
        "HOLDER_TYPE_FIELD": "权利人类型",
        "OFFICE": "深圳市龙华区土地整备事务中心",
        "DPI": 60,
        "MAX_HOLDERS": 2,
    }
    outputs = {
        "affectedarea:Affected pieces": str(tmp_path / "m_pieces.gpkg"),
        "affectedarea:Affected area by holder": str(tmp_path / "m_summary.gpkg"),
        "retainedquota:Quota trail": str(tmp_path / "m_trail.gpkg"),
        "benefitscenarios:Scenarios by party": str(tmp_path / "m_parties.gpkg"),
        "benefitscenarios:Scenario chart": str(tmp_path / "m_chart.png"),
        "carveretained:Retained-land parcels": str(tmp_path / "m_retained.gpkg"),
        "planconflicts:Conflicts of the retained land": str(tmp_path / "m_conflicts.gpkg"),
        "planconflicts:Conflict verdicts": str(tmp_path / "m_verdicts.gpkg"),
        "hearingmaps:Hearing pack": str(tmp_path / "m_hearing.pdf"),
    }
    names = _model_output_names(outputs)
    raw = run_alg("landcoord:landcoordchain", {**inputs, **{names[k]: v for k, v in outputs.items()}})
    res = {key: raw[names[key]] for key in outputs}
    summary = pyogrio.read_dataframe(res["affectedarea:Affected area by holder"])
    trail = pyogrio.read_dataframe(res["retainedquota:Quota trail"])
    parties = pyogrio.read_dataframe(res["benefitscenarios:Scenarios by party"])
    assert Path(res["benefitscenarios:Scenario chart"]).stat().st_size > 1000

    # step by step, as the dock runs them
    aff = run_alg(
        "landcoord:affectedarea",
        {k: inputs[k] for k in ("BOUNDARY", "PROJECT_FIELD", "CADASTRE", "PARCEL_FIELD", "HOLDER_FIELD")}
        | {
            "STATUS_FIELD": "用地状态",
            "OUTPUT": str(tmp_path / "pieces.gpkg"),
            "SUMMARY": str(tmp_path / "s.gpkg"),
        },
    )
    want_summary = pyogrio.read_dataframe(aff["SUMMARY"])
    key = ["project", "holder"]
    got = summary.sort_values(key).affected_area.to_numpy()
    assert got == pytest.approx(want_summary.sort_values(key).affected_area.to_numpy(), rel=1e-12)
    joined = run_alg(
        "native:joinattributestable",
        {
            "INPUT": aff["OUTPUT"],
            "FIELD": "parcel_id",
            "INPUT_2": inputs["CADASTRE"],
            "FIELD_2": "宗地号",
            "FIELDS_TO_COPY": ["社区"],
            "METHOD": 1,
            "OUTPUT": str(tmp_path / "joined.gpkg"),
        },
    )
    quota = run_alg(
        "landcoord:retainedquota",
        {
            "INPUT": joined["OUTPUT"],
            "COMMUNITY_FIELD": "社区",
            "BUILDINGS": inputs["BUILDINGS"],
            "FLOOR_AREA_FIELD": "建筑面积",
            "ZONING": inputs["ZONING"],
            "ZONING_FIELD": "用地性质",
            "RULES": inputs["RULES"],
            "OUTPUT": str(tmp_path / "trail.gpkg"),
        },
    )
    want_trail = pyogrio.read_dataframe(quota["OUTPUT"])
    assert len(trail) == len(want_trail) > 10
    a = trail.value.fillna(-1.0).to_numpy()
    b = want_trail.value.fillna(-1.0).to_numpy()
    assert a == pytest.approx(b, rel=1e-12)
    assert set(parties.scenario) and len(parties) > 5
    carved = pyogrio.read_dataframe(res["carveretained:Retained-land parcels"])
    direct = run_alg(
        "landcoord:carveretained",
        {
            "BOUNDARY": inputs["BOUNDARY"],
            "PROJECT_FIELD": "项目编号",
            "QUOTAS": quota["OUTPUT"],
            "EXCLUDE": inputs["EXCLUDE"],
            "PREFER": inputs["HOLDINGS"],
            "PREFER_FIELD": "社区",
            "ROADS": inputs["ROADS"],
            "MIN_WIDTH": 20.0,
            "OUTPUT": str(tmp_path / "retained.gpkg"),
        },
    )
    want_carved = pyogrio.read_dataframe(direct["OUTPUT"])
    assert len(carved) == len(want_carved) > 0
    assert sorted(carved.area) == pytest.approx(sorted(want_carved.area), abs=1e-9)
    # the carved land keeps clear of the blocking zones it was told to avoid
    verdicts = pyogrio.read_dataframe(res["planconflicts:Conflict verdicts"])
    assert set(verdicts.input_id) == set(carved.community)
    assert (verdicts.blocking_area <= 1.0).all()
    # and the hearing pack of one project closes the chain
    pdf = Path(res["hearingmaps:Hearing pack"])
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_model_labels_follow_the_language(landcoord_provider):
    from landcoord.processing.models.chain import ChainModel

    model = ChainModel()
    labels = {p.name(): p.description() for p in model.parameterDefinitions()}
    assert labels["CADASTRE"] == "Cadastral parcels"
    instance = model.create()
    assert instance.name() == "landcoordchain" and isinstance(instance, ChainModel)
    assert {p.name() for p in instance.parameterDefinitions()} == set(labels)
