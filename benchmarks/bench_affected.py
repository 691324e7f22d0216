"""Benchmark: affected area by rights-holder, landcoord against QGIS and geopandas on the same data.

    make bench BENCH_ARGS="affected [--sizes 10000,100000,1000000] [--tools landcoord,geopandas,qgis]"

For each size a parcel fabric (jittered quadrilaterals sharing their edges, 0.1 % of parcels
dropped to leave gaps, 1 in 2,000 enlarged to overlap a neighbour) and 50 to 1,000 irregular project
boundaries covering half the fabric are generated and written to GeoPackages. Each tool then runs
in its own process, from the files to its outputs on disk, and reports wall time and peak memory:

- landcoord: ``read_layer`` x2, ``affected_area`` (pieces, holder and status summaries, gaps,
  overlaps, reconciliation), ``write_layers``.
- geopandas: ``read_file`` x2, ``overlay(how="intersection")``, area, ``groupby`` per project and
  holder, pieces written.
- QGIS: ``native:intersection`` -> ``native:fieldcalculator`` (planar area) ->
  ``qgis:statisticsbycategories`` per project and holder, through ``processing.run`` in a
  headless QgsApplication (start-up not timed).

The per project x holder totals of the three must agree (relative 1e-6) or the run fails.
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
PROJECTS_FOR = {10_000: 50, 100_000: 200, 1_000_000: 1000}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_data(n: int, projects: int, seed: int = 7) -> tuple[Path, Path]:
    """The fabric and boundaries for size ``n`` (cached in benchmarks/data)."""
    from landcoord.sample.fabric import blob_boundaries, quad_fabric

    DATA.mkdir(exist_ok=True)
    cad = DATA / f"cadastre_{n}.gpkg"
    prj = DATA / f"projects_{n}_{projects}.gpkg"
    if not cad.exists():
        parcels = quad_fabric(n, cell=30.0, seed=seed, gap_fraction=0.001, overlap_count=n // 2000)
        tmp = cad.with_suffix(".tmp.gpkg")
        parcels.to_file(tmp, layer="parcels", engine="pyogrio")
        os.replace(tmp, cad)
    if not prj.exists():
        import pyogrio

        parcels = pyogrio.read_dataframe(cad, columns=[])
        bounds = blob_boundaries(parcels, projects, seed=seed, coverage=0.5)
        tmp = prj.with_suffix(".tmp.gpkg")
        bounds.to_file(tmp, layer="projects", engine="pyogrio")
        os.replace(tmp, prj)
    return cad, prj


# -- workers: each runs in a fresh process ---------------------------------------------------------
def worker_landcoord(cad: Path, prj: Path, out: Path) -> dict:
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer, write_layers

    base = _peak_mb()
    t0 = time.perf_counter()
    parcels = read_layer(cad)
    bounds = read_layer(prj)
    r = affected_area(
        bounds, parcels, parcel_field="pid", holder_field="owner", status_field="status", project_field="code"
    )
    write_layers(out / "landcoord.gpkg", r.layers())
    seconds = time.perf_counter() - t0
    totals = {
        f"{p}|{h}": float(a)
        for p, h, a in zip(r.summary["project"], r.summary["holder"], r.summary["affected_area"])
    }
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "base_mb": base,
        "totals": totals,
        "extra": f"{len(r.pieces)} pieces, {len(r.gaps)} gaps, {len(r.overlaps)} overlaps",
    }


def worker_geopandas(cad: Path, prj: Path, out: Path) -> dict:
    import geopandas as gpd

    base = _peak_mb()
    t0 = time.perf_counter()
    parcels = gpd.read_file(cad, engine="pyogrio")
    bounds = gpd.read_file(prj, engine="pyogrio")
    pieces = gpd.overlay(parcels, bounds, how="intersection", keep_geom_type=True)
    pieces["area"] = pieces.area
    summary = pieces.groupby(["code", "owner"], as_index=False)["area"].sum()
    pieces.to_file(out / "geopandas.gpkg", layer="pieces", engine="pyogrio")
    seconds = time.perf_counter() - t0
    totals = {f"{p}|{h}": float(a) for p, h, a in zip(summary.code, summary.owner, summary.area)}
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "base_mb": base,
        "totals": totals,
        "extra": f"{len(pieces)} pieces",
    }


def start_qgis_processing():
    """A headless QgsApplication with the Processing framework; returns ``qgis.processing``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    start_qgis_processing.app = app  # keep it alive for the process
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing  # needs the path above

    Processing.initialize()
    from qgis import processing

    return processing


def qgis_holder_totals(processing, parcels: str, projects: str, pieces_out: str) -> dict:
    """The QGIS peer: ``native:intersection`` -> planar area -> statistics per project x holder.

    Returns ``{"project|holder": area}``; the pieces are written to ``pieces_out``.
    """
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
    run = {"context": context, "feedback": feedback}
    inter = processing.run(
        "native:intersection",
        {
            "INPUT": parcels,
            "OVERLAY": projects,
            "INPUT_FIELDS": ["pid", "owner", "status"],
            "OVERLAY_FIELDS": ["code"],
            "OUTPUT": pieces_out,
        },
        **run,
    )
    with_area = processing.run(
        "native:fieldcalculator",
        {
            "INPUT": inter["OUTPUT"],
            "FIELD_NAME": "area",
            "FIELD_TYPE": 0,
            "FIELD_LENGTH": 20,
            "FIELD_PRECISION": 6,
            "FORMULA": "area($geometry)",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
        **run,
    )
    stats = processing.run(
        "qgis:statisticsbycategories",
        {
            "INPUT": with_area["OUTPUT"],
            "VALUES_FIELD_NAME": "area",
            "CATEGORIES_FIELD_NAME": ["code", "owner"],
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
        **run,
    )
    layer = stats["OUTPUT"]
    if isinstance(layer, str):
        layer = context.getMapLayer(layer)
    return {f"{f['code']}|{f['owner']}": float(f["sum"]) for f in layer.getFeatures()}


def worker_qgis(cad: Path, prj: Path, out: Path) -> dict:
    processing = start_qgis_processing()
    base = _peak_mb()
    t0 = time.perf_counter()
    totals = qgis_holder_totals(processing, str(cad), str(prj), str(out / "qgis.gpkg"))
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "base_mb": base,
        "totals": totals,
        "extra": f"{len(totals)} holder rows",
    }


WORKERS = {"landcoord": worker_landcoord, "geopandas": worker_geopandas, "qgis": worker_qgis}


def run_tool(tool: str, cad: Path, prj: Path, out: Path, timeout: float) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f"{tool}*.gpkg"):
        stale.unlink()
    # -P: the repository root must not be on sys.path (its processing/ would shadow QGIS's)
    cmd = [
        sys.executable,
        "-P",
        "-m",
        f"{__package__}.bench_affected",
        "--worker",
        tool,
        "--cad",
        str(cad),
        "--prj",
        str(prj),
        "--out",
        str(out),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=HERE.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"{tool} failed:\n{proc.stderr[-3000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def agree(a: dict, b: dict, rel: float = 1e-6) -> tuple[bool, str]:
    keys = set(a) | set(b)
    bad = [k for k in keys if k not in a or k not in b or abs(a[k] - b[k]) > rel * max(abs(a[k]), 1.0)]
    return (not bad, f"{len(bad)} of {len(keys)} project x holder totals differ" if bad else "agree")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="make bench BENCH_ARGS=affected", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--tools", default="landcoord,geopandas,qgis")
    p.add_argument("--timeout", type=float, default=3600)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--cad", help=argparse.SUPPRESS)
    p.add_argument("--prj", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        res = WORKERS[args.worker](Path(args.cad), Path(args.prj), Path(args.out))
        print("RESULT " + json.dumps(res, ensure_ascii=False))
        return 0

    tools = args.tools.split(",")
    rows = []
    print(f"{'parcels':>9} {'projects':>8} {'tool':<10} {'seconds':>8} {'peak MB':>8} {'ratio':>7}  check")
    for n in (int(s) for s in args.sizes.split(",")):
        projects = PROJECTS_FOR.get(n, max(50, n // 1000))
        t0 = time.perf_counter()
        cad, prj = make_data(n, projects)
        gen = time.perf_counter() - t0
        results = {}
        for tool in tools:
            results[tool] = run_tool(tool, cad, prj, DATA / f"out_{n}", args.timeout)
        ref = results.get("landcoord")
        for tool in tools:
            r = results[tool]
            ratio = r["seconds"] / ref["seconds"] if ref else float("nan")
            ok, why = agree(ref["totals"], r["totals"]) if ref and tool != "landcoord" else (True, r["extra"])
            rows.append((n, projects, tool, r["seconds"], r["peak_mb"], ratio, ok, why))
            print(
                f"{n:>9,} {projects:>8} {tool:<10} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} "
                f"{ratio:>6.1f}x  {why}",
                flush=True,
            )
            if not ok:
                print(f"ERROR: {tool} and landcoord disagree at {n} parcels", file=sys.stderr)
                return 1
        print(f"{'':>9} {'':>8} (data generated in {gen:.1f} s; ratio = tool time / landcoord time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
