"""Screenshot of the dock on the sample project, with real results, in a real QGIS main window.

Runs in its own process under Xvfb (``QT_QPA_PLATFORM=xcb``): a QMainWindow with the map canvas as
central widget, the plugin loaded as QGIS loads it (``classFactory`` / ``initGui``), its action
toggled to open the dock, the affected-area step run on the sample project, the largest holder
selected in the table (and so on the map), then the window grabbed to a PNG.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tests/dock_screenshot.py \
        --lang zh --out docs/dock-zh.png

Prints one JSON line with what it showed (for the test that runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "landcoord_sample.gpkg"
LAYERS = ("projects", "parcels", "buildings", "controls", "zoning", "holdings", "roads")


def _style_inputs(project, layers) -> None:
    """Input layers as an officer would show them under the results: outlines, few fills."""
    from qgis.core import QgsFillSymbol, QgsLineSymbol, QgsSingleSymbolRenderer

    by_name = {lyr.name(): lyr for lyr in layers}
    outline = {"color": "0,0,0,0", "outline_color": "#9e9e9e", "outline_width": "0.15"}
    by_name["parcels"].setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(outline)))
    boundary = {"color": "0,0,0,0", "outline_color": "#b71c1c", "outline_width": "0.8"}
    by_name["projects"].setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(boundary)))
    road = QgsLineSymbol.createSimple({"color": "#757575", "width": "0.5"})
    by_name["roads"].setRenderer(QgsSingleSymbolRenderer(road))
    root = project.layerTreeRoot()
    for name in ("buildings", "zoning", "controls", "holdings"):
        root.findLayer(by_name[name].id()).setItemVisibilityChecked(False)
    # boundary and roads above the results, parcels below them
    for name in ("projects", "roads"):
        node = root.findLayer(by_name[name].id())
        clone = node.clone()
        root.insertChildNode(0, clone)
        root.removeChildNode(node)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--out", required=True)
    parser.add_argument("--work", default="")
    parser.add_argument("--size", default="1500x920")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    work = Path(args.work or tempfile.mkdtemp(prefix="landcoord-shot-"))
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = str(work / "profile")

    from qgis.core import QgsApplication, QgsProject, QgsSettings, QgsVectorLayer

    app = QgsApplication([], True)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    QgsSettings().setValue("locale/userLocale", "zh_CN" if args.lang == "zh" else "en_US")

    from qgis.gui import QgsLayerTreeMapCanvasBridge, QgsMapCanvas, QgsMessageBar
    from qgis.PyQt.QtCore import QCoreApplication, Qt
    from qgis.PyQt.QtGui import QFont
    from qgis.PyQt.QtWidgets import QMainWindow, QVBoxLayout, QWidget

    if args.lang == "zh":
        app.setFont(QFont("Noto Sans CJK SC", 9))

    window = QMainWindow()
    window.setWindowTitle("QGIS — landcoord")
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    bar = QgsMessageBar()
    canvas = QgsMapCanvas()
    canvas.setCanvasColor(Qt.white)
    layout.addWidget(bar)
    layout.addWidget(canvas)
    window.setCentralWidget(central)
    window.resize(width, height)

    class Iface:
        """The part of QGIS's interface the plugin uses, over the real widgets above."""

        def mainWindow(self):
            return window

        def mapCanvas(self):
            return canvas

        def messageBar(self):
            return bar

        def addDockWidget(self, area, dock):
            window.addDockWidget(area, dock)

        def removeDockWidget(self, dock):
            window.removeDockWidget(dock)

        def addToolBar(self, name):
            return window.addToolBar(name)

        def removeToolBarIcon(self, action):
            pass

        def addPluginToMenu(self, name, action):
            pass

        def removePluginMenu(self, name, action):
            pass

    iface = Iface()
    project = QgsProject.instance()
    bridge = QgsLayerTreeMapCanvasBridge(project.layerTreeRoot(), canvas)
    layers = [QgsVectorLayer(f"{SAMPLE}|layername={name}", name, "ogr") for name in LAYERS]
    project.addMapLayers(layers)
    canvas.setDestinationCrs(layers[1].crs())
    _style_inputs(project, layers)

    from landcoord import classFactory

    plugin = classFactory(iface)
    plugin.initGui()
    window.show()
    plugin.actions[0].trigger()
    dock = plugin.dock
    dock.setMinimumWidth(560)
    window.resizeDocks([dock], [600], Qt.Horizontal)
    step = dock.steps["project"]
    step.form.outputDir.setFilePath(str(work / "out"))
    step.form.projectValue.setCurrentIndex(step.form.projectValue.findData("LHTZ-2024-01"))
    dock.stepTabs.setCurrentIndex(1)
    affected = dock.steps["affected"]
    affected.run()
    end = time.monotonic() + 120
    while dock.runner.is_running():
        QCoreApplication.processEvents()
        if time.monotonic() > end:
            raise TimeoutError("the affected-area step did not finish")
        time.sleep(0.01)
    for _ in range(20):
        QCoreApplication.processEvents()
    # a holder as an officer would click one (the third largest: the largest holds half the land)
    proxy = affected.table.proxy
    row = proxy.index(2, 0)
    affected.form.resultTable.setCurrentIndex(row)
    record = affected.table.record_at(row)
    affected.select_holder(record)
    boundary = next(lyr for lyr in layers if lyr.name() == "projects")
    boundary.selectByExpression("\"项目编号\" = 'LHTZ-2024-01'")
    extent = boundary.boundingBoxOfSelected()
    boundary.removeSelection()
    extent.scale(1.08)
    canvas.setExtent(extent)
    canvas.refresh()
    canvas.waitWhileRendering()
    for _ in range(20):
        QCoreApplication.processEvents()
        time.sleep(0.02)
    canvas.waitWhileRendering()
    image = window.grab().toImage()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    assert image.save(args.out, "PNG"), args.out
    shown = {
        "lang": args.lang,
        "tabs": [dock.stepTabs.tabText(i) for i in range(dock.stepTabs.count())],
        "rows": affected.table.model.rowCount(),
        "holder": record["holder"],
        "area": record["affected_area"],
        "totals": affected.form.totalsLabel.text(),
        "width": image.width(),
        "height": image.height(),
        # what an officer can see without scrolling: every step's tab, every column of the table
        "tabs_visible": all(
            dock.stepTabs.tabBar().tabRect(i).right() <= dock.stepTabs.tabBar().width()
            for i in range(dock.stepTabs.count())
        ),
        "columns_visible": affected.form.resultTable.horizontalHeader().length()
        <= affected.form.resultTable.viewport().width(),
        "layers": [lyr.name() for lyr in project.mapLayers().values()],
    }
    print(json.dumps(shown, ensure_ascii=False), flush=True)
    plugin.unload()
    del bridge
    # The picture is taken: leave without tearing down the GUI (QGIS's exit with live canvases and
    # docks can crash; nothing is left to save).
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
