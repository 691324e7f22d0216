"""The Simplified Chinese translation is complete, current, and shown when QGIS is set to zh_CN."""

from __future__ import annotations

import ast
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "i18n" / "landcoord_zh_CN.ts"
QM = ROOT / "i18n" / "landcoord_zh_CN.qm"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _translatable_files():
    files = [ROOT / "plugin.py"]
    files += sorted((ROOT / "processing").rglob("*.py"))
    files += sorted((ROOT / "ui").glob("*.py"))
    return files


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def strings_in_code() -> set[tuple[str, str]]:
    """(context, text) of every tr()/translate()/QT_TRANSLATE_NOOP literal, as Qt will look it up."""
    found = set()
    for path in _translatable_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node, cls):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    visit(child, child.name)
                    continue
                if isinstance(child, ast.Call):
                    f = child.func
                    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
                    args = child.args
                    if name == "tr" and args and _literal(args[0]) is not None:
                        is_self = isinstance(f, ast.Attribute) and getattr(f.value, "id", "") == "self"
                        found.add((cls if is_self else "@default", _literal(args[0])))
                    elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2:
                        ctx, text = _literal(args[0]), _literal(args[1])
                        if ctx is not None and text is not None:
                            found.add((ctx, text))
                visit(child, cls)

        visit(tree, "@default")
    for path in sorted((ROOT / "ui").glob("*.ui")):
        root = ET.parse(path).getroot()
        context = root.find("class").text
        for s in root.iter("string"):
            if s.text and s.get("notr") != "true":
                found.add((context, s.text))
    return found


def strings_in_ts() -> dict[tuple[str, str], tuple[str, str | None]]:
    out = {}
    for ctx in ET.parse(TS).getroot().findall("context"):
        name = ctx.find("name").text
        for msg in ctx.findall("message"):
            tr = msg.find("translation")
            out[(name, msg.find("source").text)] = (tr.text or "", tr.get("type"))
    return out


def test_every_string_is_in_the_ts_and_translated():
    code = strings_in_code()
    ts = strings_in_ts()
    assert len(code) > 300
    missing = sorted(code - set(ts))
    assert not missing, f"run scripts/translations.sh: {missing[:5]}"
    unfinished = [
        k for k, (text, kind) in ts.items() if not text.strip() or kind in ("unfinished", "obsolete")
    ]
    assert not unfinished, unfinished[:5]


def test_placeholders_survive_translation():
    for (ctx, source), (text, _kind) in strings_in_ts().items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), (ctx, source, text)
        assert re.search(r"[\u4e00-\u9fff]", text) or source in ("landcoord", "yyyy-MM-dd"), (ctx, source)


def test_compiled_qm_is_current(tmp_path):
    fresh = tmp_path / "fresh.qm"
    subprocess.run(["lrelease", "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run scripts/translations.sh --compile"


def test_qgis_in_zh_cn_shows_chinese(
    qgis_in_chinese, qgis_iface, qgis_processing, qgis_new_project, sample_gpkg
):
    from qgis.core import QgsApplication, QgsVectorLayer

    from landcoord import classFactory

    qgis_new_project.addMapLayer(QgsVectorLayer(f"{sample_gpkg}|layername=parcels", "parcels", "ogr"))
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert plugin.translator is not None
        assert plugin.actions[0].text() == "土地整备工作台"
        alg = QgsApplication.processingRegistry().algorithmById("landcoord:affectedarea")
        assert alg.displayName() == "按权利人统计受影响面积"
        assert alg.parameterDefinition("CADASTRE").description() == "地籍宗地"
        assert "面积核算精确" in alg.shortHelpString()
        model = QgsApplication.processingRegistry().algorithmById("landcoord:landcoordchain")
        assert model.displayName() == "土地整备全流程"
        assert model.parameterDefinition("CADASTRE").description() == "地籍宗地"
        plugin.actions[0].trigger()
        dock = plugin.dock
        tabs = [dock.stepTabs.tabText(i) for i in range(dock.stepTabs.count())]
        assert tabs == ["项目", "受影响面积", "冲突", "指标与方案", "留用地", "听证", "协商", "阶段"]
        assert dock.windowTitle() == "土地整备"
        assert dock.steps["project"].form.recogniseButton.text() == "识别图层和字段"
        assert dock.steps["affected"].form.runButton.text() == "运行"
        assert dock.projectCombo.currentText() == "整备项目 1"
    finally:
        plugin.unload()
    from qgis.PyQt.QtCore import QCoreApplication

    assert QCoreApplication.translate("@default", "Land consolidation") == "Land consolidation"
