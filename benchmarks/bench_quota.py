"""Benchmark: the geometric work of the retained-land quota, landcoord against QGIS and geopandas.

    make bench BENCH_ARGS="quota [--sizes 10000,100000] [--tools landcoord,geopandas,qgis]"

Two tasks on the same files, each tool in its own process, from files on disk to totals:

- ``floor``: split the floor area of every building over the parcel pieces by the share of its
  footprint in each (the existing floor area behind the existing FAR), totals per parcel.
  landcoord: ``building_floor_by_piece``. geopandas: footprint area, ``overlay(how="intersection")``,
  share, ``groupby``. QGIS: ``native:fieldcalculator`` (footprint) -> ``native:intersection`` ->
  ``native:fieldcalculator`` (share) -> ``qgis:statisticsbycategories``.
- ``block``: per project, the largest contiguous block of uncompensated pieces lying on planned
  construction land (the Shenzhen entry condition). landcoord: ``largest_block`` per project.
  geopandas: filter, ``overlay`` with the construction zoning, ``dissolve`` by project, ``explode``,
  max area. QGIS: ``native:extractbyattribute`` -> ``native:extractbyexpression`` (zoning classes)
  -> ``native:intersection`` -> ``native:dissolve`` -> ``native:multiparttosingleparts`` ->
  ``native:fieldcalculator`` (area) -> ``qgis:statisticsbycategories`` (max).

Data: a parcel fabric (``landcoord.sample.fabric``), project boundaries over half of it, the pieces
from ``affected_area``, one building per parcel, a zoning grid of R2/M1/GIC/G1/E1 blocks. The totals
of the three tools must agree (relative 1e-6) or the run fails. Each tool runs ``--repeat`` times
(default 3), in a fresh process each time; the best time of each task is shown. The whole
``retained_quota`` run (trail included) is timed for landcoord too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
CLASSES = ["R", "C", "M", "W", "GIC", "S", "U", "G"]
ZONING_CODES = ["R2", "M1", "GIC", "G1", "E1"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_data(n: int, seed: int = 11) -> Path:
    """Pieces, buildings and zoning for ``n`` parcels (cached in benchmarks/data/quota_N.gpkg)."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"quota_{n}.gpkg"
    if path.exists():
        return path
    import geopandas as gpd
    import numpy as np
    import shapely

    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import write_layers
    from landcoord.sample.fabric import blob_boundaries, quad_fabric

    cell = 30.0
    parcels = quad_fabric(n, cell=cell, seed=seed)
    bounds = blob_boundaries(parcels, max(20, n // 2000), seed=seed, coverage=0.5)
    pieces = affected_area(
        bounds, parcels, parcel_field="pid", holder_field="owner", status_field="status", project_field="code"
    ).pieces
    rng = np.random.default_rng(seed)
    c = shapely.centroid(parcels.geometry.values)
    half = rng.uniform(0.15, 0.35, len(c)) * cell
    x, y = shapely.get_x(c), shapely.get_y(c)
    buildings = gpd.GeoDataFrame(
        {"floor": np.round(4 * half * half * rng.integers(1, 10, len(c)), 2)},
        geometry=shapely.box(x - half, y - half, x + half, y + half),
        crs=parcels.crs,
    )
    minx, miny, maxx, maxy = parcels.total_bounds
    step = 10 * cell
    xs, ys = np.arange(minx, maxx, step), np.arange(miny, maxy, step)
    gx, gy = np.meshgrid(xs, ys)
    zoning = gpd.GeoDataFrame(
        {"cls": rng.choice(ZONING_CODES, gx.size)},
        geometry=shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + step, gy.ravel() + step),
        crs=parcels.crs,
    )
    tmp = path.with_suffix(".tmp.gpkg")
    write_layers(tmp, {"pieces": pieces, "buildings": buildings, "zoning": zoning})
    os.replace(tmp, path)
    return path


# -- workers: each runs in a fresh process -------------------------------------------------------
def worker_landcoord(path: Path) -> dict:
    import numpy as np

    from landcoord.allocation.io.files import read_layer
    from landcoord.allocation.quota import (
        building_floor_by_piece,
        class_matches,
        largest_block,
        retained_quota,
    )

    out = {"base_mb": _peak_mb()}
    t0 = time.perf_counter()
    pieces = read_layer(f"{path}|layername=pieces")
    buildings = read_layer(f"{path}|layername=buildings")
    rows, _ = building_floor_by_piece(pieces, buildings, floor_field="floor")
    pid = pieces["parcel_id"].to_numpy()
    pos = {k: i for i, k in enumerate(pieces.index)}
    floor = {}
    for p, a in zip(rows.piece, rows.floor_area):
        key = pid[pos[p]]
        floor[key] = floor.get(key, 0.0) + a
    out["floor_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    pieces = read_layer(f"{path}|layername=pieces")
    zoning = read_layer(f"{path}|layername=zoning")
    zg = zoning.geometry.values[np.array([class_matches(c, CLASSES) for c in zoning["cls"]])]
    unc = pieces[pieces["status"] == "未完善征转手续"]
    block = {}
    for p, g in unc.groupby("project"):
        block[p] = largest_block(g.geometry.values, zg)[0]
    out["block_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    q = retained_quota(
        read_layer(f"{path}|layername=pieces"),
        "shenzhen_example",
        buildings=read_layer(f"{path}|layername=buildings"),
        floor_area_field="floor",
        zoning=read_layer(f"{path}|layername=zoning"),
        zoning_field="cls",
    )
    out["quota_s"] = time.perf_counter() - t0
    out["quota_rows"] = len(q.trail)
    out.update(peak_mb=_peak_mb(), floor=floor, block=block)
    return out


def worker_geopandas(path: Path) -> dict:
    import geopandas as gpd

    out = {"base_mb": _peak_mb()}
    t0 = time.perf_counter()
    pieces = gpd.read_file(path, layer="pieces", engine="pyogrio")
    buildings = gpd.read_file(path, layer="buildings", engine="pyogrio")
    buildings["fp"] = buildings.area
    inter = gpd.overlay(buildings, pieces[["parcel_id", "geometry"]], how="intersection", keep_geom_type=True)
    inter["share"] = inter["floor"] * inter.area / inter["fp"]
    floor = inter.groupby("parcel_id")["share"].sum().to_dict()
    out["floor_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    pieces = gpd.read_file(path, layer="pieces", engine="pyogrio")
    zoning = gpd.read_file(path, layer="zoning", engine="pyogrio")
    from landcoord.allocation.quota import class_matches

    zoning = zoning[[class_matches(c, CLASSES) for c in zoning["cls"]]]
    unc = pieces[pieces["status"] == "未完善征转手续"][["project", "geometry"]]
    on = gpd.overlay(unc, zoning[["geometry"]], how="intersection", keep_geom_type=True)
    parts = on.dissolve(by="project").explode(index_parts=False)
    parts["a"] = parts.area
    block = parts.groupby(level=0)["a"].max().to_dict()
    out["block_s"] = time.perf_counter() - t0
    out.update(peak_mb=_peak_mb(), floor=floor, block=block)
    return out


def worker_qgis(path: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing  # needs the path above

    Processing.initialize()
    from qgis import processing

    ctx, fb = QgsProcessingContext(), QgsProcessingFeedback()

    def run(alg, **params):
        params.setdefault("OUTPUT", "TEMPORARY_OUTPUT")
        return processing.run(alg, params, context=ctx, feedback=fb)["OUTPUT"]

    def layer(x):
        return ctx.getMapLayer(x) if isinstance(x, str) else x

    out = {"base_mb": _peak_mb()}
    t0 = time.perf_counter()
    b = run(
        "native:fieldcalculator",
        INPUT=f"{path}|layername=buildings",
        FIELD_NAME="fp",
        FIELD_TYPE=0,
        FIELD_LENGTH=20,
        FIELD_PRECISION=6,
        FORMULA="area($geometry)",
    )
    inter = run(
        "native:intersection",
        INPUT=b,
        OVERLAY=f"{path}|layername=pieces",
        INPUT_FIELDS=["floor", "fp"],
        OVERLAY_FIELDS=["parcel_id"],
    )
    share = run(
        "native:fieldcalculator",
        INPUT=inter,
        FIELD_NAME="share",
        FIELD_TYPE=0,
        FIELD_LENGTH=20,
        FIELD_PRECISION=6,
        FORMULA='"floor" * area($geometry) / "fp"',
    )
    stats = layer(
        run(
            "qgis:statisticsbycategories",
            INPUT=share,
            VALUES_FIELD_NAME="share",
            CATEGORIES_FIELD_NAME=["parcel_id"],
        )
    )
    floor = {f["parcel_id"]: float(f["sum"]) for f in stats.getFeatures()}
    out["floor_s"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    unc = run(
        "native:extractbyattribute",
        INPUT=f"{path}|layername=pieces",
        FIELD="status",
        OPERATOR=0,
        VALUE="未完善征转手续",
    )
    expr = " OR ".join(f"regexp_match(\"cls\", '^{c}[0-9]*$')" for c in CLASSES)
    zon = run("native:extractbyexpression", INPUT=f"{path}|layername=zoning", EXPRESSION=expr)
    on = run("native:intersection", INPUT=unc, OVERLAY=zon, INPUT_FIELDS=["project"], OVERLAY_FIELDS=["cls"])
    dis = run("native:dissolve", INPUT=on, FIELD=["project"])
    single = run("native:multiparttosingleparts", INPUT=dis)
    area = run(
        "native:fieldcalculator",
        INPUT=single,
        FIELD_NAME="a",
        FIELD_TYPE=0,
        FIELD_LENGTH=20,
        FIELD_PRECISION=6,
        FORMULA="area($geometry)",
    )
    stats = layer(
        run(
            "qgis:statisticsbycategories",
            INPUT=area,
            VALUES_FIELD_NAME="a",
            CATEGORIES_FIELD_NAME=["project"],
        )
    )
    block = {f["project"]: float(f["max"]) for f in stats.getFeatures()}
    out["block_s"] = time.perf_counter() - t0
    out.update(peak_mb=_peak_mb(), floor=floor, block=block)
    return out


WORKERS = {"landcoord": worker_landcoord, "geopandas": worker_geopandas, "qgis": worker_qgis}


def run_tool(tool: str, path: Path, timeout: float) -> dict:
    # -P: the repository root must not be on sys.path (its processing/ would shadow QGIS's)
    cmd = [sys.executable, "-P", "-m", f"{__package__}.bench_quota", "--worker", tool, "--data", str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"{tool} failed:\n{proc.stderr[-3000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def agree(a: dict, b: dict, rel: float = 1e-6, floor_abs: float = 1e-6) -> tuple[bool, str]:
    keys = {k for k in set(a) | set(b) if max(abs(a.get(k, 0.0)), abs(b.get(k, 0.0))) > floor_abs}
    bad = [k for k in keys if abs(a.get(k, 0.0) - b.get(k, 0.0)) > rel * max(abs(a.get(k, 0.0)), 1.0)]
    return (not bad, f"{len(bad)} of {len(keys)} differ" if bad else f"{len(keys)} totals agree")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="make bench BENCH_ARGS=quota", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--tools", default="landcoord,geopandas,qgis")
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument("--repeat", type=int, default=3, help="runs per tool; the best time of each task is shown")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        res = WORKERS[args.worker](Path(args.data))
        print("RESULT " + json.dumps(res, ensure_ascii=False))
        return 0
    tools = args.tools.split(",")
    print(f"{'parcels':>9} {'task':<6} {'tool':<10} {'seconds':>8} {'ratio':>7}  check")
    for n in (int(s) for s in args.sizes.split(",")):
        t0 = time.perf_counter()
        path = make_data(n)
        gen = time.perf_counter() - t0
        results = {}
        for tool in tools:
            runs = [run_tool(tool, path, args.timeout) for _ in range(args.repeat)]
            best = dict(runs[0])
            for key in ("floor_s", "block_s", "quota_s"):
                if key in best:
                    best[key] = min(r[key] for r in runs)
            results[tool] = best
        ref = results.get("landcoord")
        for task in ("floor", "block"):
            for tool in tools:
                r = results[tool]
                ratio = r[f"{task}_s"] / ref[f"{task}_s"] if ref else float("nan")
                ok, why = (
                    agree(ref[task], r[task])
                    if ref and tool != "landcoord"
                    else (True, f"{len(r[task])} totals")
                )
                print(
                    f"{n:>9,} {task:<6} {tool:<10} {r[f'{task}_s']:>8.2f} {ratio:>6.1f}x  {why}", flush=True
                )
                if not ok:
                    print(f"ERROR: {tool} and landcoord disagree on {task} at {n} parcels", file=sys.stderr)
                    return 1
        if ref:
            print(
                f"{n:>9,} quota  landcoord  {ref['quota_s']:>8.2f}          whole retained_quota, "
                f"{ref['quota_rows']} trail rows; peak {ref['peak_mb']:.0f} MB"
            )
        print(
            f"{'':>9} (data generated in {gen:.1f} s; best of {args.repeat} runs; "
            "ratio = tool time / landcoord time)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
