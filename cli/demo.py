"""``landcoord demo``: the whole pipeline on the bundled sample project, results in a folder."""

from __future__ import annotations

import time
from pathlib import Path

from ..allocation.affected import affected_area
from ..allocation.files import read_layer, write_layers
from ._common import PrintFeedback
from .affected import print_summary
from .carve import demo_step as carve_demo
from .consent import demo_step as consent_demo
from .quota import demo_step as quota_demo

NAME = "demo"
HELP = "Run the whole landcoord pipeline on the bundled sample project (or another GeoPackage)."

SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "landcoord_sample.gpkg"

#: Layer and field names of the sample project (a Shenzhen-style village, EPSG:4547).
SAMPLE_SCHEMA = {
    "boundary": "projects",
    "project_field": "项目编号",
    "cadastre": "parcels",
    "parcel_field": "宗地号",
    "holder_field": "权利人",
    "status_field": "用地状态",
}


def add_arguments(p) -> None:
    p.add_argument("--project", default=str(SAMPLE), help="project GeoPackage (default: the sample)")
    p.add_argument("--out", default="out/sample", help="output folder (default: out/sample)")


def run(args) -> int:
    fb = PrintFeedback(getattr(args, "quiet", False))
    gpkg = Path(args.project)
    out = Path(args.out)
    s = SAMPLE_SCHEMA
    t0 = time.perf_counter()
    boundary = read_layer(f"{gpkg}|layername={s['boundary']}")
    cadastre = read_layer(f"{gpkg}|layername={s['cadastre']}")
    result = affected_area(
        boundary,
        cadastre,
        parcel_field=s["parcel_field"],
        holder_field=s["holder_field"],
        status_field=s["status_field"],
        project_field=s["project_field"],
        feedback=fb,
    )
    write_layers(out / "affected.gpkg", result.layers())
    print("== 1. Affected area by rights-holder")
    print_summary(result)
    print(f"\nwritten: {out / 'affected.gpkg'}  ({time.perf_counter() - t0:.1f} s)")

    print("\n== 3. Retained-land quota and benefit-sharing scenarios")
    t0 = time.perf_counter()
    quota_result, _ = quota_demo(gpkg, result.pieces, out)
    print(f"({time.perf_counter() - t0:.1f} s)")

    print("\n== 4. Retained-land parcels carved to quota")
    t0 = time.perf_counter()
    carve_demo(gpkg, quota_result.trail, out)
    print(f"({time.perf_counter() - t0:.1f} s)")

    print("\n== 5. Consultation and consent ledger")
    t0 = time.perf_counter()
    consent_demo(gpkg, result.pieces, out)
    print(f"({time.perf_counter() - t0:.1f} s)")
    return 0
