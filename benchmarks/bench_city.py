"""Benchmark: city scale, every project against the whole cadastre and the whole one map.

    make bench BENCH_ARGS="city"                   # 1,000,000 parcels, 1,000 projects, 200,000 zones
    make bench BENCH_ARGS="city --sizes 20000"     # smoke run (20 projects, 4,000 zones)
    make bench BENCH_ARGS="city --tools single,dask-threads,qgis"

For each size ``N`` a parcel fabric of ``N`` parcels (jittered quadrilaterals sharing their edges,
0.1 % dropped to leave gaps, 1 in 2,000 enlarged to overlap a neighbour), ``N / 1000`` irregular
project boundaries covering half of it, and ``N / 5`` control zones of the one map (nine kinds,
names and aliases mixed, as in ``bench_conflicts``: blobs, tiles, crossing road strips, overlapping
purple-line circles and a few large winding urban-development boundaries) are generated over the
same extent and written to one GeoPackage. Each tool then runs in its own process (started with
``python -P``), from the file to its outputs on disk, and reports wall time and peak memory:

- ``single``: ``read_layer`` ×3, ``affected_area`` and ``plan_conflicts`` on all projects in one
  process, ``write_layers``.
- ``dask-threads``, ``dask-processes``, ``dask-cluster``: ``city_screen`` (the same computations,
  partitioned by project, on Dask's threaded scheduler, its multiprocessing scheduler, or a
  ``distributed.LocalCluster``; ``--workers`` each, default all cores), ``write_layers``. The peak
  memory of worker processes is reported separately. ``dask-tables``: the processes scheduler with
  ``geometries=False`` (pieces, gaps, overlaps and conflicts as tables). ``dask-postgis`` (with
  ``--postgis DSN``): the cadastre and control lines loaded once into that PostGIS database and
  read from it by the partitions, only the rows near their projects (threads).
- ``qgis``: ``native:intersection`` parcels × projects, ``native:fieldcalculator`` (area),
  ``qgis:statisticsbycategories`` per project and holder, and ``native:intersection`` projects ×
  control zones, through ``processing.run`` in a headless QgsApplication (start-up not timed).

Checks, or the run fails: every Dask tool's per project × holder affected areas and per project
blocking/review/advisory areas equal the single process's (relative 1e-9); QGIS's per project ×
holder totals agree with landcoord's within 1e-6. Per-partition costs of the Dask runs (parcels,
zones, seconds) are printed for extrapolation (see docs/city-scale.md). Run ``uptime`` is printed
with the figures: the machine may be shared.
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

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
FIELDS = {"parcel_field": "pid", "holder_field": "owner", "status_field": "status", "project_field": "code"}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


def sizes_for(n: int) -> tuple[int, int]:
    """(projects, control zones) for ``n`` parcels."""
    return max(20, n // 1000), max(1000, n // 5)


def make_controls(bounds, count: int, seed: int = 7):
    """``count`` control zones of nine kinds over ``bounds`` (see the module docstring)."""
    import geopandas as gpd
    import shapely

    from .bench_conflicts import KINDS, _cells, _star

    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = bounds
    side = max(x1 - x0, y1 - y0)
    geoms, kinds = [], []
    counts = [max(int(round(share * count)), 1) for _, share, _, _ in KINDS]
    counts[5] += count - sum(counts)
    for (value, _, shape, _), k in zip(KINDS, counts):
        if shape == "tile":
            x, y, size = _cells(rng, side, k, fill=1.3)
            g = shapely.box(x0 + x, y0 + y, x0 + x + size, y0 + y + size)
        elif shape == "blob":
            x, y, size = _cells(rng, side, k)
            g = _star(rng, x0 + x + size / 2, y0 + y + size / 2, 0.25 * size, 0.5 * size)
        elif shape == "big":
            x, y, size = _cells(rng, side, k, fill=1.4)
            g = _star(rng, x0 + x + size / 2, y0 + y + size / 2, 0.45 * size, 0.5 * size, vertices=120)
        elif shape == "strip":
            horizontal = rng.random(k) < 0.5
            length, width = rng.uniform(150, 900, k), rng.uniform(12, 50, k)
            cx, cy = x0 + rng.uniform(0, side, k), y0 + rng.uniform(0, side, k)
            w = np.where(horizontal, length, width) / 2
            h = np.where(horizontal, width, length) / 2
            g = shapely.box(cx - w, cy - h, cx + w, cy + h)
        else:
            cx, cy = x0 + rng.uniform(0, side, k), y0 + rng.uniform(0, side, k)
            g = shapely.buffer(shapely.points(cx, cy), rng.uniform(15, 80, k), quad_segs=16)
        geoms.append(shapely.segmentize(g, 10.0))
        kinds.extend([value] * k)
    zones = gpd.GeoDataFrame({"kind": kinds}, geometry=np.concatenate(geoms), crs=4547)
    return zones.iloc[rng.permutation(len(zones))].reset_index(drop=True)


def make_data(n: int, seed: int = 7) -> Path:
    """The GeoPackage for ``n`` parcels (cached in benchmarks/data)."""
    import pyogrio

    from landcoord.sample.fabric import blob_boundaries, quad_fabric

    projects, zones = sizes_for(n)
    DATA.mkdir(exist_ok=True)
    path = DATA / f"city_{n}_{projects}_{zones}.gpkg"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp.gpkg")
    if tmp.exists():
        tmp.unlink()
    parcels = quad_fabric(n, cell=30.0, seed=seed, gap_fraction=0.001, overlap_count=n // 2000)
    pyogrio.write_dataframe(parcels, tmp, layer="parcels", driver="GPKG")
    bounds = blob_boundaries(parcels, projects, seed=seed, coverage=0.5)
    pyogrio.write_dataframe(bounds, tmp, layer="projects", driver="GPKG")
    pyogrio.write_dataframe(
        make_controls(parcels.total_bounds, zones, seed), tmp, layer="controls", driver="GPKG"
    )
    os.replace(tmp, path)
    return path


# -- workers: each runs in a fresh process ---------------------------------------------------------------
def _landcoord_totals(affected, conflicts) -> tuple[dict, dict]:
    s = affected.summary
    holders = {f"{p}|{h}": float(a) for p, h, a in zip(s["project"], s["holder"], s["affected_area"])}
    c = conflicts.summary
    verdicts = {
        f"{p}|{k}": float(v)
        for k in ("blocking_area", "review_area", "advisory_area")
        for p, v in zip(c["input_id"], c[k])
    }
    return holders, verdicts


def worker_single(data: Path, out: Path, workers: int) -> dict:
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.conflicts import plan_conflicts
    from landcoord.allocation.io.files import read_layer, write_layers

    t0 = time.perf_counter()
    parcels = read_layer(f"{data}|layername=parcels")
    projects = read_layer(f"{data}|layername=projects")
    controls = read_layer(f"{data}|layername=controls")
    t1 = time.perf_counter()
    aff = affected_area(projects, parcels, **FIELDS)
    t2 = time.perf_counter()
    con = plan_conflicts(projects, controls, kind_field="kind", input_id_field="code")
    t3 = time.perf_counter()
    layers = aff.layers()
    layers.update({"conflicts": con.conflicts, "conflict_summary": con.summary})
    write_layers(out, layers)
    seconds = time.perf_counter() - t0
    holders, verdicts = _landcoord_totals(aff, con)
    return {
        "seconds": seconds,
        "read": t1 - t0,
        "compute": t3 - t1,
        "write": seconds - (t3 - t0),
        "affected": t2 - t1,
        "conflicts": t3 - t2,
        "peak_mb": _peak_mb(),
        "children_mb": _children_peak_mb(),
        "holders": holders,
        "verdicts": verdicts,
        "extra": f"{len(aff.pieces):,} pieces, {len(con.conflicts):,} conflicts",
    }


def worker_dask(data: Path, out: Path, workers: int, scheduler: str, geometries: bool = True) -> dict:
    from landcoord.allocation.city import city_screen
    from landcoord.allocation.io.files import read_layer

    t0 = time.perf_counter()
    parcels = read_layer(f"{data}|layername=parcels")
    projects = read_layer(f"{data}|layername=projects")
    controls = read_layer(f"{data}|layername=controls")
    t1 = time.perf_counter()
    r = city_screen(
        projects,
        parcels,
        controls=controls,
        kind_field="kind",
        scheduler=scheduler,
        workers=workers,
        **FIELDS,
    )
    t2 = time.perf_counter()
    p = r.partitions
    extra = (
        f"{len(p)} partitions, {len(r.affected.pieces):,} pieces, {len(r.conflicts.conflicts):,} conflicts"
    )
    return _city_result(r, out, (t0, t1, t2), extra)


def _city_result(r, out: Path, times: tuple, extra: str) -> dict:
    """Write a ``city_screen`` result to ``out`` and report it (times: start, read, computed)."""
    from landcoord.allocation.io.files import write_layers

    t0, t1, t2 = times
    write_layers(out, r.layers())
    seconds = time.perf_counter() - t0
    holders, verdicts = _landcoord_totals(r.affected, r.conflicts)
    return {
        "seconds": seconds,
        "read": t1 - t0,
        "compute": t2 - t1,
        "write": seconds - (t2 - t0),
        "peak_mb": _peak_mb(),
        "children_mb": _children_peak_mb(),
        "holders": holders,
        "verdicts": verdicts,
        "partitions": r.partitions.drop(columns=["worker"]).to_dict(orient="list"),
        "where": r.scheduler,
        "extra": extra,
    }


def load_postgis(data: Path, dsn: str, n: int) -> tuple[str, str]:
    """The benchmark's parcels and control zones as PostGIS tables (written once per size)."""
    from landcoord.allocation.io import postgis as pg
    from landcoord.allocation.io.files import read_layer

    names = {"parcels": f"public.bench_city_parcels_{n}", "controls": f"public.bench_city_controls_{n}"}
    sources = {k: f"PG:{dsn}|table={t}" for k, t in names.items()}
    for layer, src in sources.items():
        try:
            pg.describe(src)
        except Exception:  # noqa: BLE001 - not there yet (or unreadable): write it
            pg.write_postgis(read_layer(f"{data}|layername={layer}"), src, replace=True)
    return sources["parcels"], sources["controls"]


def worker_postgis(data: Path, out: Path, workers: int) -> dict:
    """``city_screen`` with the cadastre and the control lines as PostGIS sources (threads)."""
    from landcoord.allocation.city import city_screen
    from landcoord.allocation.io.files import read_layer

    cad, ctl = os.environ["LANDCOORD_BENCH_PG_PARCELS"], os.environ["LANDCOORD_BENCH_PG_CONTROLS"]
    t0 = time.perf_counter()
    projects = read_layer(f"{data}|layername=projects")
    t1 = time.perf_counter()
    r = city_screen(
        projects, cad, controls=ctl, kind_field="kind", scheduler="threads", workers=workers, **FIELDS
    )
    t2 = time.perf_counter()
    p = r.partitions
    extra = (
        f"{len(p)} partitions fetched {int(p['parcels'].sum()):,} parcels and {int(p['zones'].sum()):,} "
        f"zones; fetch median {p['fetch_seconds'].median():.2f} s per partition"
    )
    return _city_result(r, out, (t0, t1, t2), extra)


def worker_qgis(data: Path, out: Path, workers: int) -> dict:
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    from .bench_affected import qgis_holder_totals, start_qgis_processing

    processing = start_qgis_processing()
    t0 = time.perf_counter()
    holders = qgis_holder_totals(
        processing,
        f"{data}|layername=parcels",
        f"{data}|layername=projects",
        str(out.with_name(out.stem + "_pieces.gpkg")),
    )
    processing.run(
        "native:intersection",
        {
            "INPUT": f"{data}|layername=projects",
            "OVERLAY": f"{data}|layername=controls",
            "INPUT_FIELDS": ["code"],
            "OVERLAY_FIELDS": ["kind"],
            "OUTPUT": str(out.with_name(out.stem + "_conflicts.gpkg")),
        },
        context=QgsProcessingContext(),
        feedback=QgsProcessingFeedback(),
    )
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "children_mb": _children_peak_mb(),
        "holders": holders,
        "verdicts": None,
        "extra": f"{len(holders):,} holder rows",
    }


WORKERS = {
    "single": worker_single,
    "dask-threads": lambda d, o, w: worker_dask(d, o, w, "threads"),
    "dask-processes": lambda d, o, w: worker_dask(d, o, w, "processes"),
    "dask-cluster": lambda d, o, w: worker_dask(d, o, w, "local-cluster"),
    "dask-tables": lambda d, o, w: worker_dask(d, o, w, "processes", geometries=False),
    "qgis": worker_qgis,
    "dask-postgis": worker_postgis,
}


def run_tool(tool: str, data: Path, out: Path, workers: int, timeout: float, env_extra=None) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f"{out.stem}*.gpkg"):
        stale.unlink()
    # -P: the repository root must not be on sys.path (its processing/ would shadow QGIS's)
    cmd = [sys.executable, "-P", "-m", f"{__package__}.bench_city", "--worker", tool]
    cmd += ["--data", str(data), "--out", str(out), "--workers", str(workers)]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE.parent, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{tool} failed:\n{proc.stderr[-3000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def disagree(a: dict, b: dict, rel: float) -> int:
    keys = set(a) | set(b)
    return sum(1 for k in keys if k not in a or k not in b or abs(a[k] - b[k]) > rel * max(abs(a[k]), 1.0))


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "(uptime not available)"


def _partition_report(tool: str, p: dict) -> list[str]:
    secs = np.asarray(p["seconds"])
    parcels = np.asarray(p["parcels"], dtype=float)
    zones = np.asarray(p["zones"], dtype=float)
    aff = np.asarray(p["affected_seconds"])
    con = np.asarray(p["conflict_seconds"])
    return [
        f"    {tool}: {len(secs)} partitions; per partition: parcels median {np.median(parcels):,.0f} "
        f"(max {parcels.max():,.0f}), zones median {np.median(zones):,.0f}, seconds median "
        f"{np.median(secs):.2f} (max {secs.max():.2f}, sum {secs.sum():.1f}: affected {aff.sum():.1f}, "
        f"conflicts {con.sum():.1f})",
        f"    {tool}: throughput {parcels.sum() / max(aff.sum(), 1e-9):,.0f} parcels per partition-second "
        f"(affected), {zones.sum() / max(con.sum(), 1e-9):,.0f} zones per partition-second (conflicts)",
    ]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="make bench BENCH_ARGS=city", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000000", help="parcel counts, comma-separated (default 1000000)")
    p.add_argument("--tools", default="single,dask-threads,dask-processes,dask-cluster,dask-tables,qgis")
    p.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="Dask workers (default: all cores)"
    )
    p.add_argument("--timeout", type=float, default=7200)
    p.add_argument(
        "--postgis",
        metavar="DSN",
        help="also run dask-postgis: the cadastre and control lines loaded into this PostGIS database "
        "(libpq DSN, e.g. 'host=127.0.0.1 port=5432 dbname=gis user=postgres') and read from it",
    )
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        res = WORKERS[args.worker](Path(args.data), Path(args.out), args.workers)
        print("RESULT " + json.dumps(res, ensure_ascii=False))
        return 0

    tools = [t for t in args.tools.split(",") if t]
    if "dask-postgis" in tools and not args.postgis:
        p.error("dask-postgis needs --postgis DSN")
    unknown = [t for t in tools if t not in WORKERS]
    if unknown:
        p.error(f"unknown tools {unknown}; choose from {', '.join(WORKERS)}")
    print(f"machine: {os.cpu_count()} cores; {_uptime()}")
    for n in (int(s) for s in args.sizes.split(",")):
        projects, zones = sizes_for(n)
        t0 = time.perf_counter()
        data = make_data(n)
        print(
            f"\n{n:,} parcels, {projects:,} projects, {zones:,} control zones "
            f"(data ready in {time.perf_counter() - t0:.1f} s: {data.name})"
        )
        head = f"{'tool':<15} {'seconds':>8} {'compute':>8} {'peak MB':>8} {'workers MB':>10} {'ratio':>7}"
        print(head + "  check")
        results = {}
        env_extra = {}
        if args.postgis:
            t1 = time.perf_counter()
            cad, ctl = load_postgis(data, args.postgis, n)
            env_extra = {"LANDCOORD_BENCH_PG_PARCELS": cad, "LANDCOORD_BENCH_PG_CONTROLS": ctl}
            print(f"PostGIS tables ready in {time.perf_counter() - t1:.1f} s")
            if "dask-postgis" not in tools:
                tools.append("dask-postgis")
        for tool in tools:
            before = _uptime()
            out = DATA / f"out_city_{n}" / f"{tool}.gpkg"
            results[tool] = r = run_tool(tool, data, out, args.workers, args.timeout, env_extra)
            r["load"] = before
        (DATA / f"city_results_{n}.json").write_text(
            json.dumps(
                {
                    t: {k: v for k, v in r.items() if k not in ("holders", "verdicts")}
                    for t, r in results.items()
                }
            )
        )
        ref = results.get("single")
        status = 0
        notes = []
        for tool in tools:
            r = results[tool]
            ratio = r["seconds"] / ref["seconds"] if ref else float("nan")
            check = r["extra"]
            if ref and tool != "single":
                rel = 1e-6 if tool == "qgis" else 1e-9
                bad = disagree(ref["holders"], r["holders"], rel)
                if r.get("verdicts") is not None:
                    bad += disagree(ref["verdicts"], r["verdicts"], rel)
                check = (f"{bad} totals differ" if bad else "totals agree") + f"; {r['extra']}"
                status |= int(bad > 0)
            compute = f"{r['compute']:.1f}" if r.get("compute") is not None else "-"
            workers_mb = f"{r['children_mb']:.0f}" if r.get("children_mb", 0) > 0 else "-"
            print(
                f"{tool:<15} {r['seconds']:>8.1f} {compute:>8} {r['peak_mb']:>8.0f} {workers_mb:>10} "
                f"{ratio:>6.2f}x  {check}",
                flush=True,
            )
            if r.get("read") is not None:
                split = f"read {r['read']:.1f} s, compute {r['compute']:.1f} s, write {r['write']:.1f} s"
                if "affected" in r:
                    split += f" (affected_area {r['affected']:.1f} s, plan_conflicts {r['conflicts']:.1f} s)"
                notes.append(f"    {tool}: {split}")
            if "partitions" in r:
                notes += _partition_report(tool, r["partitions"]) + [f"    {tool}: ran on the {r['where']}"]
            notes.append(f"    {tool}: load before the run: {r['load']}")
        print(
            "ratio = tool seconds / single-process seconds (lower is faster); seconds are wall time from the"
        )
        print("files to the outputs on disk; compute excludes reading; peak MB is the tool process's")
        print("maximum RSS, workers MB the largest worker process's (Dask processes and LocalCluster).")
        print("\n".join(notes))
        if status:
            print(f"ERROR: a tool disagrees with the single process at {n} parcels", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
