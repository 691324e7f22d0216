"""What QGIS users expect of the landcoord provider: groups, tags in both languages, help shipped with
the plugin, warnings as warnings, messages naming layers as QGIS shows them, toolbox results styled
as the dock styles them, and the chain model's outputs declared (``qgis_process help``)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from landcoord.sample.fabric import blob_boundaries, quad_fabric

ROOT = Path(__file__).resolve().parent.parent
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
#: what scripts/package.sh leaves out of the plugin zip
NOT_SHIPPED = {"tests", "benchmarks", "scripts", "docs", ".ci", ".github"}

GROUPS = {
    "affectedarea": ("analysis", "1 Analysis", "1 分析"),
    "planconflicts": ("analysis", "1 Analysis", "1 分析"),
    "cityscreen": ("analysis", "1 Analysis", "1 分析"),
    "retainedquota": ("allocation", "2 Allocation", "2 配置/测算"),
    "benefitscenarios": ("allocation", "2 Allocation", "2 配置/测算"),
    "carveretained": ("allocation", "2 Allocation", "2 配置/测算"),
    "consentprogress": ("consultation", "3 Consultation", "3 协商"),
    "projectstage": ("consultation", "3 Consultation", "3 协商"),
    "hearingmaps": ("hearing", "4 Hearing", "4 听证"),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _shipped_file(url: str) -> Path:
    parsed = urlparse(url)
    assert parsed.scheme == "file", url
    path = Path(unquote(parsed.path))
    assert path.is_file(), url
    rel = path.resolve().relative_to(ROOT)  # inside the plugin folder
    assert rel.parts[0] not in NOT_SHIPPED, f"{url} is left out of the plugin zip"
    return path


def test_every_algorithm_has_a_group_tags_in_both_languages_and_shipped_help(landcoord_provider):
    algorithms = {a.name(): a for a in landcoord_provider.algorithms()}
    assert set(GROUPS) <= set(algorithms)
    for name, (group_id, group, _zh) in GROUPS.items():
        alg = algorithms[name]
        assert alg.groupId() == group_id and group_id.isascii(), name
        assert alg.group() == group, name
    for name, alg in algorithms.items():
        tags = alg.tags()
        assert any(CJK.search(t) for t in tags), (name, tags)
        assert any(t.isascii() and t.strip() for t in tags), (name, tags)
        assert "土地整备" in tags and "land consolidation" in tags, name
        _shipped_file(alg.helpUrl())
    assert "留用地" in algorithms["carveretained"].tags() and "听证" in algorithms["hearingmaps"].tags()
    assert "宗地" in algorithms["affectedarea"].tags() and "控制线" in algorithms["planconflicts"].tags()


def test_group_names_in_chinese(qgis_app, landcoord_provider):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    translator = QTranslator()
    assert translator.load(str(ROOT / "i18n" / "landcoord_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        algorithms = {a.name(): a for a in landcoord_provider.algorithms()}
        for name, (group_id, _en, zh) in GROUPS.items():
            assert algorithms[name].group() == zh, name
            assert algorithms[name].groupId() == group_id, name
    finally:
        QCoreApplication.removeTranslator(translator)


def test_shipped_help_pages_are_current(qgis_app, landcoord_provider, tmp_path):
    """help/<id>.html and help/zh_CN/<id>.html say what the algorithms say (rerun the writer when not)."""
    from landcoord.processing.help_pages import HELP_DIR, write_pages

    written = write_pages(tmp_path)
    assert len(written) == 2 * len(GROUPS)
    stale = [
        str(p.relative_to(tmp_path))
        for p in written
        if not (HELP_DIR / p.relative_to(tmp_path)).is_file()
        or (HELP_DIR / p.relative_to(tmp_path)).read_text(encoding="utf-8") != p.read_text(encoding="utf-8")
    ]
    assert not stale, f"run python -m landcoord.processing.help_pages: {stale}"
    zh = (HELP_DIR / "zh_CN" / "affectedarea.html").read_text(encoding="utf-8")
    assert "按权利人统计受影响面积" in zh and "1 分析" in zh and "<code>HOLDER_FIELD</code>" in zh
    en = (HELP_DIR / "carveretained.html").read_text(encoding="utf-8")
    assert "2 Allocation" in en and "<code>MIN_WIDTH</code>" in en


def test_help_opens_the_page_in_the_officers_language(landcoord_provider):
    from landcoord.allocation.i18n import language, set_language

    algorithms = {a.name(): a for a in landcoord_provider.algorithms()}
    before = language()
    try:
        set_language("en")
        assert _shipped_file(algorithms["hearingmaps"].helpUrl()) == ROOT / "help" / "hearingmaps.html"
        set_language("zh_CN")
        assert (
            _shipped_file(algorithms["hearingmaps"].helpUrl()) == ROOT / "help" / "zh_CN" / "hearingmaps.html"
        )
        # the chain model has no page of its own: the README in the officer's language
        assert _shipped_file(algorithms["landcoordchain"].helpUrl()) == ROOT / "README.zh-CN.md"
    finally:
        set_language(before)


# -- runs ---------------------------------------------------------------------------------------------------
@pytest.fixture
def fabric(tmp_path):
    parcels = quad_fabric(150, cell=20.0, seed=7, gap_fraction=0.03, overlap_count=10)
    parcels = parcels.rename(columns={"pid": "宗地号", "owner": "权利人", "status": "用地状态"})
    bounds = blob_boundaries(parcels, 1, seed=7, coverage=0.5).rename(columns={"code": "项目编号"})
    inside = parcels.centroid.within(bounds.geometry.iloc[0])
    parcels.loc[parcels.index[inside][:2], "权利人"] = None  # the core warns about these
    cad, prj = tmp_path / "cadastre_export_2024.gpkg", tmp_path / "projects.gpkg"
    parcels.to_file(cad, layer="parcels")
    bounds.to_file(prj, layer="projects")
    return f"{cad}|layername=parcels", f"{prj}|layername=projects"


def _params(cad, prj, tmp_path, **extra):
    return {
        "BOUNDARY": prj,
        "PROJECT_FIELD": "项目编号",
        "CADASTRE": cad,
        "PARCEL_FIELD": "宗地号",
        "HOLDER_FIELD": "权利人",
        "STATUS_FIELD": "用地状态",
        "OUTPUT": str(tmp_path / "pieces.gpkg"),
        "SUMMARY": str(tmp_path / "summary.gpkg"),
        "GAPS": str(tmp_path / "gaps.gpkg"),
        "OVERLAPS": str(tmp_path / "overlaps.gpkg"),
        **extra,
    }


class Recorder:
    """A feedback that keeps warnings and errors apart (QGIS shows them differently)."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.warnings, self.errors, self.infos = [], [], []

            def pushWarning(self, warning):
                self.warnings.append(warning)
                super().pushWarning(warning)

            def reportError(self, error, fatalError=False):  # noqa: N803 - Qt's argument name
                self.errors.append(error)
                super().reportError(error, fatalError)

            def pushInfo(self, info):
                self.infos.append(info)
                super().pushInfo(info)

        return _Feedback()


def test_core_warnings_are_warnings_not_errors(fabric, tmp_path, run_alg):
    cad, prj = fabric
    fb = Recorder()
    run_alg("landcoord:affectedarea", _params(cad, prj, tmp_path), feedback=fb)
    assert any("rights-holder" in w for w in fb.warnings), fb.warnings
    assert fb.errors == []


def test_messages_name_the_layer_as_qgis_shows_it(fabric, tmp_path, landcoord_provider, qgis_processing):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProject, QgsVectorLayer

    cad, prj = fabric
    project = QgsProject.instance()
    layer = QgsVectorLayer(cad, "地籍图（2024年更新）", "ogr")
    assert layer.isValid()
    project.addMapLayer(layer)
    try:
        context = QgsProcessingContext()
        context.setProject(project)
        with pytest.raises(QgsProcessingException) as err:
            processing.run(
                "landcoord:affectedarea",
                _params(layer.id(), prj, tmp_path, CADASTRE=layer.id(), HOLDER_FIELD="owner_name"),
                context=context,
            )
        assert "地籍图（2024年更新）" in str(err.value) and "owner_name" in str(err.value)
    finally:
        project.removeMapLayer(layer.id())
    # a file given by path (and not in the project) is named by its layer, not by the file
    context = QgsProcessingContext()
    with pytest.raises(QgsProcessingException) as err:
        processing.run(
            "landcoord:affectedarea", _params(cad, prj, tmp_path, HOLDER_FIELD="owner_name"), context=context
        )
    assert "'parcels'" in str(err.value) and "cadastre_export_2024" not in str(err.value)


def test_toolbox_results_get_the_docks_styles(fabric, tmp_path, landcoord_provider, qgis_processing):
    """processing.runAndLoadResults loads the outputs into the project as the toolbox does; the
    post-processors style them: pieces by rights-holder, gaps and overlaps in the dock's colours."""
    from qgis import processing
    from qgis.core import (
        QgsCategorizedSymbolRenderer,
        QgsProcessingContext,
        QgsProject,
        QgsSingleSymbolRenderer,
        QgsVectorLayer,
    )

    cad, prj = fabric
    project = QgsProject.instance()
    before = set(project.mapLayers())
    context = QgsProcessingContext()
    context.setProject(project)
    params = _params(cad, prj, tmp_path)
    processing.runAndLoadResults("landcoord:affectedarea", params, feedback=Recorder(), context=context)
    loaded = {lid: lyr for lid, lyr in project.mapLayers().items() if lid not in before}
    try:

        def by_file(name):
            found = [lyr for lyr in loaded.values() if Path(lyr.source().split("|")[0]).name == name]
            assert len(found) == 1, (name, [lyr.source() for lyr in loaded.values()])
            return found[0]

        pieces = by_file("pieces.gpkg")
        renderer = pieces.renderer()
        assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "holder"
        assert len(renderer.categories()) > 2
        gaps = by_file("gaps.gpkg").renderer()
        assert isinstance(gaps, QgsSingleSymbolRenderer) and gaps.symbol().color().name() == "#e53935"
        overlaps = by_file("overlaps.gpkg").renderer()
        assert isinstance(overlaps, QgsSingleSymbolRenderer) and overlaps.symbol().color().name() == "#8e24aa"
        # the same file loaded plainly has QGIS's default single-symbol style: the style came from us
        plain = QgsVectorLayer(pieces.source(), "plain", "ogr")
        assert isinstance(plain.renderer(), QgsSingleSymbolRenderer)
    finally:
        project.removeMapLayers(list(loaded))


def test_a_run_without_loading_sets_no_post_processor(fabric, tmp_path, landcoord_provider, qgis_processing):
    from qgis import processing
    from qgis.core import QgsProcessingContext

    from landcoord.processing import conventions

    cad, prj = fabric
    context = QgsProcessingContext()
    out = tmp_path / "not_loaded.gpkg"
    conventions._KEEP.pop(str(out), None)
    processing.run("landcoord:affectedarea", _params(cad, prj, tmp_path, OUTPUT=str(out)), context=context)
    assert context.layersToLoadOnCompletion() == {}
    assert str(out) not in conventions._KEEP


# -- qgis_process help of the chain model -------------------------------------------------------------------
CHAIN_OUTPUTS = {
    "affected_pieces",
    "affected_area_by_holder",
    "quota_trail",
    "scenarios_by_party",
    "scenario_chart",
    "retainedland_parcels",
    "conflicts_of_the_retained_land",
    "conflict_verdicts",
    "hearing_pack",
}


def _plain_env(home) -> dict:
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "MAKEFLAGS"):
        env.pop(var, None)
    return env


# qgis_home: conftest.py (a HOME with landcoord installed, for QGIS_PROCESS with _plain_env)


@pytest.mark.qgis_process
def test_qgis_process_help_lists_the_chain_models_outputs(qgis_home):
    run = subprocess.run(
        [QGIS_PROCESS, "help", "landcoord:landcoordchain"],
        env=_plain_env(qgis_home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    outputs = run.stdout.split("Outputs", 1)[1]
    listed = set(re.findall(r"^(\w+): <", outputs, re.M))
    assert listed == CHAIN_OUTPUTS, outputs
    # and as JSON, with each output's kind
    run = subprocess.run(
        [QGIS_PROCESS, "--json", "help", "landcoord:landcoordchain"],
        env=_plain_env(qgis_home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    described = json.loads(run.stdout[run.stdout.index("{") :])
    assert set(described["outputs"]) == CHAIN_OUTPUTS
    assert described["outputs"]["hearing_pack"]["description"] == "Hearing pack"
    # the destinations are parameters one can set on the command line
    assert CHAIN_OUTPUTS <= set(described["parameters"])
    assert described["algorithm_details"]["group"] == ""
    assert "土地整备" in described["algorithm_details"]["tags"]
