"""Benchmark: the hearing pack against QGIS's own atlas export, on the sample project.

    make bench BENCH_ARGS="hearing [--rounds 3] [--dpi 150] [--project LHTZ-2024-01]"

- landcoord: ``hearing_data`` + ``write_hearing_pack`` for one project: overview, every holder's
  sheet (a QGIS atlas) with its tables paginated, benefit sharing and conflict sheets, one PDF.
- QGIS: what an officer builds by hand: a print layout with an atlas over the same holders (map
  driven by the atlas with the same layers and styles: parcels, the holder's pieces highlighted
  and labelled, control lines, boundary; a title from the atlas feature, the attribute table of
  the holder's pieces filtered to the atlas feature, scale bar, legend),
  exported by ``QgsLayoutExporter.exportToPdf(atlas, ...)``, QGIS's own atlas-to-PDF path. It has
  one page per holder and no pagination of long tables.

Both run in one headless QgsApplication in alternating rounds (the best round of each is kept).
The ratio compared is seconds per holder sheet; the total pages of each are printed too.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "sample" / "landcoord_sample.gpkg"


def _inputs(project: str):
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.hearing import field_arguments
    from landcoord.allocation.io.files import read_layer
    from landcoord.cli.hearing import GPKG_SCHEMA as S
    from landcoord.cli.quota import demo_step as quota_demo

    src = f"{SAMPLE}|layername="
    boundary, parcels, controls = (read_layer(src + S[k]) for k in ("boundary", "cadastre", "controls"))
    result = affected_area(
        boundary,
        parcels,
        parcel_field=S["parcel_field"],
        holder_field=S["holder_field"],
        status_field=S["status_field"],
        project_field=S["project_field"],
    )
    work = Path(tempfile.mkdtemp(prefix="bench-hearing-"))
    with contextlib.redirect_stdout(io.StringIO()):
        quota, scenarios = quota_demo(SAMPLE, result.pieces, work)
    kwargs = dict(
        project=project,
        summary=result.summary,
        boundary=boundary,
        parcels=parcels,
        controls=controls,
        **field_arguments(S),
        quota_trail=quota.trail,
        scenarios=scenarios.parties,
        chart=work / "benefits.png",
    )
    return result.pieces, kwargs, work


def run_landcoord(pieces, kwargs, out: Path, dpi: int):
    from landcoord.allocation.hearing import hearing_data
    from landcoord.report.pack import write_hearing_pack

    t0 = time.perf_counter()
    data = hearing_data(pieces, **kwargs)
    pack = write_hearing_pack(data, out, dpi=dpi)
    seconds = time.perf_counter() - t0
    return seconds, len(pack.pages), len(data.sheet_codes)


def run_qgis_atlas(pieces, kwargs, out: Path, dpi: int):
    """The same holder sheets as a hand-made QGIS atlas, exported by QGIS."""
    from qgis.core import (
        QgsLayoutExporter,
        QgsLayoutFrame,
        QgsLayoutItemAttributeTable,
        QgsLayoutItemLabel,
        QgsLayoutItemLegend,
        QgsLayoutItemMap,
        QgsLayoutItemScaleBar,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsPrintLayout,
        QgsProject,
        QgsRectangle,
    )

    from landcoord.allocation.hearing import hearing_data
    from landcoord.report import layers as lyr
    from landcoord.report.fonts import require_cjk_font

    t0 = time.perf_counter()
    family = require_cjk_font()
    data = hearing_data(pieces, **kwargs)
    project = QgsProject()
    parcels = lyr.frame_layer(data.layers["parcels"], "parcels", data.crs)
    lyr.style_parcels_base(parcels)
    piece_layer = lyr.frame_layer(data.layers["pieces"], "pieces", data.crs)
    lyr.style_pieces_highlight(piece_layer)
    holders = lyr.frame_layer(data.layers["holders"], "holders", data.crs)
    boundary = lyr.frame_layer(data.layers["boundary"], "boundary", data.crs)
    lyr.style_boundary(boundary)
    controls = lyr.frame_layer(data.layers["controls"], "controls", data.crs)
    lyr.style_controls(controls, list(dict.fromkeys(data.layers["controls"]["kind"])))
    lyr.label_layer(piece_layer, '"parcel_id"', family, 6.0, atlas_only=True)
    project.addMapLayers([parcels, piece_layer, holders, boundary, controls], False)
    project.setCrs(parcels.crs())
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(420, 297))
    mp = QgsLayoutItemMap(layout)
    layout.addLayoutItem(mp)
    mp.attemptMove(QgsLayoutPoint(10, 30))
    mp.attemptResize(QgsLayoutSize(240, 255))
    mp.setExtent(QgsRectangle(0, 0, 240, 255))
    mp.setCrs(parcels.crs())
    mp.setLayers([boundary, controls, piece_layer, parcels])
    mp.setAtlasDriven(True)
    mp.setAtlasScalingMode(QgsLayoutItemMap.Auto)
    mp.setAtlasMargin(0.3)
    title = QgsLayoutItemLabel(layout)
    title.setText('权利人图则 [% "code" %] [% "label" %]')
    layout.addLayoutItem(title)
    title.attemptMove(QgsLayoutPoint(10, 10))
    title.attemptResize(QgsLayoutSize(300, 15))
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(mp)
    layout.addLayoutItem(bar)
    bar.applyDefaultSize()
    bar.attemptMove(QgsLayoutPoint(15, 270))
    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(mp)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(260, 230))
    table = QgsLayoutItemAttributeTable.create(layout)
    layout.addMultiFrame(table)
    table.setVectorLayer(piece_layer)
    table.setFilterFeatures(True)
    table.setFeatureFilter("\"holder_code\" = attribute(@atlas_feature, 'code')")
    frame = QgsLayoutFrame(layout, table)
    frame.attemptMove(QgsLayoutPoint(260, 30))
    frame.attemptResize(QgsLayoutSize(150, 190))
    table.addFrame(frame)
    for item in (title,):
        f = item.font()
        f.setFamily(family)
        item.setFont(f)
    atlas = layout.atlas()
    atlas.setCoverageLayer(holders)
    atlas.setEnabled(True)
    atlas.setFilterFeatures(True)
    atlas.setFilterExpression('"sheet" = 1')
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"code"')
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = dpi
    result, error = QgsLayoutExporter.exportToPdf(atlas, str(out), settings)
    if result != QgsLayoutExporter.Success:
        raise RuntimeError(f"QGIS atlas export failed: {error}")
    seconds = time.perf_counter() - t0
    return seconds, _pages(out), atlas.count()


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="make bench BENCH_ARGS=hearing", description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--dpi", type=int, default=150)
    p.add_argument("--project", default="LHTZ-2024-01")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    pieces, kwargs, work = _inputs(args.project)
    best = {"landcoord": None, "qgis": None}
    for r in range(args.rounds):
        for tool, fn in (("landcoord", run_landcoord), ("qgis", run_qgis_atlas)):
            res = fn(pieces, kwargs, work / f"{tool}_{r}.pdf", args.dpi)
            if best[tool] is None or res[0] < best[tool][0]:
                best[tool] = res
    (ls, lp, lh), (qs, qp, qh) = best["landcoord"], best["qgis"]
    print(f"project {args.project}, {lh} holders, {args.dpi} dpi, best of {args.rounds} rounds")
    print(f"{'tool':<10} {'seconds':>8} {'pages':>6} {'holder sheets':>14} {'s / sheet':>10}")
    print(f"{'landcoord':<10} {ls:8.2f} {lp:6d} {lh:14d} {ls / lh:10.3f}")
    print(f"{'qgis':<10} {qs:8.2f} {qp:6d} {qh:14d} {qs / qh:10.3f}")
    print(
        f"ratio landcoord / QGIS atlas export per holder sheet: {(ls / lh) / (qs / qh):.2f} "
        f"(landcoord's pack also has the overview, continuation, benefit and conflict pages: {lp} pages "
        f"against {qp})"
    )
    app.exitQgis()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
