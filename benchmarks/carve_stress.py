"""Stress run of carving (issue 18): the generator of tests/test_carve_properties over many seeds.

    .venv/bin/python -P -m landcoord.benchmarks.carve_stress [--start 0] [--stop 1600] [--only 29,114]

Case ``i`` draws its choices from ``random.Random(i)`` in the order of the hypothesis strategy
``project_case`` (numpy seed, radius, zones, road width, road as polygon, MIN_WIDTH, tolerance,
communities, fill); the project is then built by the same code as the test's (numpy seed, outline,
zones, road) and the quotas are ``fill`` of the usable land reaching the road, split by the
numpy draw. tests/test_carve_corners.py rebuilds single cases from these draws (REFUSED_BEFORE,
STILL_REFUSED). Not part of ``make bench`` (its name has no ``bench_``): 1,600 cases take
about two minutes.

Printed: each refusal (index, draws, quotas, the message), then the count of carved, refused,
"small" (a quota under the smallest parcel MIN_WIDTH wide, refused as such) and skipped (no usable
land) cases and the wall time. ``--record FILE`` writes each case's status and a digest of its
parcels, to check that a change of the search leaves every accepted case as it was (``diff``).
On 2026-12-06, cases 0-1599: carved 1050, refused 6 (29, 114, 409, 552, 835, 852), small 71,
skipped 473.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import LineString, Point, box

X0, Y0 = 500_000.0, 2_500_000.0


def draws(index: int) -> dict:
    """The generator's choices for case ``index`` (the order of ``project_case``'s draws)."""
    r = random.Random(index)
    seed = r.randint(0, 100_000)
    radius = r.uniform(90, 260)
    n_zones = r.randint(0, 4)
    road_width = r.choice([0.0, 8.0, 20.0])
    as_polygon = r.random() < 0.5 and road_width > 0
    width = r.choice([0.0, 10.0, 20.0])
    tolerance = r.choice([0.01, 0.1])
    n_com = r.randint(1, 4)
    fill = r.uniform(0.05, 0.7)
    return {
        "index": index,
        "seed": seed,
        "radius": radius,
        "n_zones": n_zones,
        "road_width": road_width,
        "as_polygon": as_polygon,
        "width": width,
        "tolerance": tolerance,
        "n_com": n_com,
        "fill": fill,
    }


def _frame(geoms, name, **cols):
    gdf = gpd.GeoDataFrame(pd.DataFrame(cols), geometry=list(geoms), crs=4547)
    gdf.attrs["name"] = name
    return gdf


def _opened(g, width):
    half = width / 2 - 1e-4
    e = shapely.buffer(g, -half, join_style="mitre", mitre_limit=2.0)
    return shapely.intersection(shapely.buffer(e, half, join_style="mitre", mitre_limit=2.0), g)


def _reaches_road(block, road_land, width):
    if width <= 0:
        return shapely.distance(block, road_land) <= 1e-3
    half = width / 2
    centre = shapely.buffer(block, -half, join_style="mitre", mitre_limit=2.0)
    return not centre.is_empty and shapely.distance(centre, road_land) <= half + 1e-4


def build(d: dict):
    """Project, zones, roads, road land and quotas of the draws ``d`` (test_carve_properties)."""
    rng = np.random.default_rng(d["seed"])
    radius = d["radius"]
    n = int(rng.integers(4, 12))
    t = np.sort(rng.uniform(0, 2 * np.pi, n))
    r = radius * rng.uniform(0.6, 1.2, n)
    outline = shapely.Polygon(np.column_stack([X0 + r * np.cos(t), Y0 + r * np.sin(t)])).buffer(0)
    zones = []
    for _ in range(d["n_zones"]):
        x, y = rng.uniform(-radius, radius, 2)
        if rng.random() < 0.5:
            zones.append(Point(X0 + x, Y0 + y).buffer(rng.uniform(5, radius / 3)))
        else:
            w, h = rng.uniform(5, radius / 2, 2)
            zones.append(box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h))
    angle = rng.uniform(0, np.pi)
    c = rng.uniform(-radius / 2, radius / 2, 2)
    v = np.array([np.cos(angle), np.sin(angle)]) * radius * 3
    line = LineString([(X0 + c[0] - v[0], Y0 + c[1] - v[1]), (X0 + c[0] + v[0], Y0 + c[1] + v[1])])
    shares = rng.dirichlet(np.ones(d["n_com"]))
    if d["as_polygon"]:
        road_land = line.buffer(d["road_width"] / 2, cap_style="flat")
        roads = _frame([road_land], "roads")
    elif d["road_width"] > 0:
        road_land = line.buffer(d["road_width"] / 2, cap_style="flat")
        roads = _frame([line], "roads", width=[d["road_width"]])
    else:
        road_land = line
        roads = _frame([line], "roads", kind=["edge"])
    developable = outline
    for z in zones:
        developable = developable.difference(z)
    developable = developable.difference(road_land.buffer(1e-3) if road_land.area == 0 else road_land)
    width = d["width"]
    usable = _opened(developable, width) if width > 0 else developable
    blocks = [p for p in shapely.get_parts(usable) if p.area > 1 and _reaches_road(p, road_land, width)]
    total = sum(b.area for b in blocks)
    targets = np.round(shares * total * d["fill"], 2)
    return outline, zones, roads, road_land, targets


def run(d: dict):
    """Carve case ``d``: (status, message); status is carved (the message is then a digest of the
    parcels' WKB), refused, small (a quota under the smallest parcel) or skipped (no usable land)."""
    from landcoord.allocation.carve import carve_retained
    from landcoord.allocation.errors import InfeasibleError

    outline, zones, roads, _, targets = build(d)
    if targets.sum() <= 0:
        return "skipped", ""
    quotas = pd.DataFrame({"community": [f"c{i}" for i in range(len(targets))], "target_area": targets})
    with np.errstate(all="ignore"):
        try:
            result = carve_retained(
                _frame([outline], "projects"),
                quotas,
                exclude=[_frame(zones, "zones")] if zones else [],
                roads=roads,
                min_width=d["width"],
                tolerance=d["tolerance"],
            )
        except InfeasibleError as exc:
            msg = str(exc)
            return ("small" if "smaller than the smallest parcel" in msg else "refused"), msg
    digest = hashlib.sha256(b"".join(shapely.to_wkb(result.parcels.geometry.values))).hexdigest()
    return "carved", digest[:16]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--stop", type=int, default=1600)
    parser.add_argument("--only", default="", help="comma-separated case indices")
    parser.add_argument(
        "--record", default="", help="write 'index status digest' per case to this file (to compare runs)"
    )
    args = parser.parse_args(argv)
    indices = [int(i) for i in args.only.split(",") if i] or range(args.start, args.stop)
    counts: dict = {}
    started = time.perf_counter()
    record = open(args.record, "w", encoding="utf-8") if args.record else None
    for i in indices:
        d = draws(i)
        status, msg = run(d)
        counts[status] = counts.get(status, 0) + 1
        if record:
            print(i, status, msg if status == "carved" else "", file=record, flush=True)
        if status == "refused":
            _, _, _, _, targets = build(d)
            print(
                f"[{i}] seed {d['seed']} radius {d['radius']!r} zones {d['n_zones']} "
                f"road {d['road_width']} polygon {d['as_polygon']} width {d['width']} "
                f"tolerance {d['tolerance']} quotas {targets.tolist()}\n    {msg}",
                flush=True,
            )
    print(
        f"cases {len(indices)}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f"; {time.perf_counter() - started:.0f} s"
    )
    if record:
        record.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
