"""``landcoord demo``: the whole pipeline on the bundled sample project, results in a folder."""

from __future__ import annotations

import time
from pathlib import Path

from ..allocation.affected import affected_area
from ..allocation.i18n import tr
from ..allocation.io.files import read_layer, write_layers
from ._common import MEASURE_CRS_HELP, PrintFeedback
from .affected import print_summary
from .benefits import demo_step as finance_demo
from .carve import demo_step as carve_demo
from .conflicts import demo_step as conflicts_demo
from .consent import demo_step as consent_demo
from .hearing import demo_step as hearing_demo
from .hearing import qgis_application
from .quota import demo_step as quota_demo
from .stage import demo_step as stage_demo

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
    p.add_argument("--measure-crs", metavar="CRS", help=MEASURE_CRS_HELP)


#: The files the demo writes into its folder (and hearing_<project>.pdf).
DEMO_FILES = (
    "affected.gpkg",
    "conflicts.gpkg",
    "retained_conflicts.gpkg",
    "quota.gpkg",
    "benefits.gpkg",
    "benefits.png",
    "finance.gpkg",
    "finance.png",
    "retained.gpkg",
    "project.gpkg",
    "ledger.xlsx",
    "ledger_public.xlsx",
    "consent_progress.csv",
    "notice.pdf",
)


#: The demo rebuilds its own project GeoPackage with its ledger at each run.
LEDGER_OUTPUTS = ("--out (project.gpkg)",)
#: --out is a folder (allocation.io.outputs.FOLDER): refused at once when it is a file
OUTPUTS = {"out": ("/",)}


def output_paths(args) -> list:
    """The files the demo writes into ``--out``, for the command line's output guard."""
    out = Path(args.out)
    paths = [out / name for name in DEMO_FILES]
    if out.is_dir():
        paths += sorted(out.glob("hearing_*.pdf"))
    return [(f"--out ({p.name})", p) for p in paths]


def _step(title: str):
    """Print a step's title; returns a function printing its duration."""
    print(f"\n== {title}", flush=True)
    t0 = time.perf_counter()
    return lambda: print(tr("({seconds:.1f} s)", seconds=time.perf_counter() - t0), flush=True)


def run(args) -> int:
    import pandas as pd

    fb = PrintFeedback(getattr(args, "quiet", False))
    gpkg = Path(args.project)
    out = Path(args.out)
    s = SAMPLE_SCHEMA

    done = _step(tr("1. Affected area by rights-holder"))
    boundary = read_layer(f"{gpkg}|layername={s['boundary']}")
    cadastre = read_layer(f"{gpkg}|layername={s['cadastre']}")
    result = affected_area(
        boundary,
        cadastre,
        parcel_field=s["parcel_field"],
        holder_field=s["holder_field"],
        status_field=s["status_field"],
        project_field=s["project_field"],
        measure_crs=getattr(args, "measure_crs", None),
        feedback=fb,
    )
    write_layers(out / "affected.gpkg", result.layers())
    # one measuring CRS for the whole run: the steps after this one are given the affected step's
    measure_crs = result.measure.crs
    print_summary(result)
    print("\n" + tr("written: {path}", path=out / "affected.gpkg"))
    done()

    done = _step(tr("2. One-map conflicts of the project boundaries"))
    boundary_conflicts = conflicts_demo(gpkg, out, feedback=fb, measure_crs=measure_crs)
    done()

    done = _step(tr("3. Retained-land quota and benefit-sharing scenarios"))
    quota_result, _ = quota_demo(gpkg, result.pieces, out, feedback=fb)  # benefits.gpkg, benefits.png
    done()

    done = _step(tr("3b. Who pays, land premium, feasibility and income over time (EXAMPLE figures)"))
    finance = finance_demo(gpkg, result.pieces, quota_result.trail, out)
    done()

    done = _step(tr("4. Retained-land parcels carved to quota, checked against the one map"))
    carved = carve_demo(gpkg, quota_result.trail, out, feedback=fb, measure_crs=measure_crs)
    parcels = carved.parcels.assign(
        地块=[
            f"{p}/{c}-{k}"
            for p, c, k in zip(carved.parcels["project"], carved.parcels["community"], carved.parcels["part"])
        ]
    )
    retained_conflicts = conflicts_demo(
        gpkg,
        out,
        proposal=parcels,
        id_field="地块",
        filename="retained_conflicts.gpkg",
        feedback=fb,
        measure_crs=measure_crs,
    )
    done()

    done = _step(tr("5. Consultation and consent ledger"))
    consent_result = consent_demo(gpkg, result.pieces, out)
    done()

    # one QGIS application for the PDFs of steps 5b (the public notice) and 6 (the hearing packs)
    with qgis_application():
        done = _step(tr("5b. Project stages, public notice and sign-off (利益统筹 procedure)"))
        stage_demo(
            out / "project.gpkg",
            result.reconciliation,
            consent_result.projects,
            notice_pdf=out / "notice.pdf",
        )
        done()

        done = _step(tr("6. Hearing maps (public PDF packs, personal data masked)"))
        hearing_demo(
            gpkg,
            result.pieces,
            out,
            summary=result.summary,
            quota_trail=quota_result.trail,
            # the benefit sheet shows one set of options: the finance step's three (who pays, equity or
            # cash, prices), their parties, chart and finance tables side by side
            scenarios=finance.parties,
            chart=out / "finance.png",
            retained=carved.parcels,
            conflicts=pd.concat(
                [boundary_conflicts.conflicts, retained_conflicts.conflicts], ignore_index=True
            ),
            conflict_summary=pd.concat(
                [boundary_conflicts.summary, retained_conflicts.summary], ignore_index=True
            ),
            finance=finance,
            feedback=fb,
        )
        done()
    print("\n" + tr("All results are in {folder}/", folder=out))
    return 0
