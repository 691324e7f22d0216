"""Regenerate the sample pages of the hearing pack shown in README.md.

    .venv/bin/python -P docs/hearing/make_pages.py [OUT_DIR]

Runs the pipeline of ``landcoord demo`` on the bundled sample (affected area, example quota and
scenarios, carved retained land, the one-map conflicts of the project boundaries and of the
carved parcels), renders the public hearing pack of project LHTZ-2024-02 and keeps four pages
as PNG (overview, one individual's sheet, benefit sharing, conflicts), reduced to a 256-colour
palette so that each stays a few hundred KB.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROJECT = "LHTZ-2024-02"


def main(out_dir: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pandas as pd

    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.hearing import field_arguments, hearing_data
    from landcoord.allocation.io.files import read_layer
    from landcoord.cli.carve import demo_step as carve_demo
    from landcoord.cli.hearing import GPKG_SCHEMA as S
    from landcoord.cli.hearing import qgis_application
    from landcoord.cli.quota import demo_step as quota_demo

    gpkg = ROOT / "sample" / "landcoord_sample.gpkg"
    work = Path(tempfile.mkdtemp(prefix="landcoord-hearing-"))
    src = f"{gpkg}|layername="
    boundary, parcels, controls = (read_layer(src + S[k]) for k in ("boundary", "cadastre", "controls"))
    result = affected_area(
        boundary,
        parcels,
        parcel_field=S["parcel_field"],
        holder_field=S["holder_field"],
        status_field=S["status_field"],
        project_field=S["project_field"],
    )
    with contextlib.redirect_stdout(io.StringIO()):
        quota, scenarios = quota_demo(gpkg, result.pieces, work)
        carved = carve_demo(gpkg, quota.trail, work)
    # the one-map conflicts of the project boundaries and of the carved parcels, in one table
    from landcoord.allocation.conflicts import plan_conflicts

    kind = S["control_kind_field"]
    parcels_in = carved.parcels.assign(
        地块=[
            f"{p}/{c}-{k}"
            for p, c, k in zip(carved.parcels["project"], carved.parcels["community"], carved.parcels["part"])
        ]
    )
    found = [
        plan_conflicts(boundary, controls, kind_field=kind, input_id_field=S["project_field"]),
        plan_conflicts(parcels_in, controls, kind_field=kind, input_id_field="地块"),
    ]
    conflicts = pd.concat([f.conflicts for f in found], ignore_index=True)
    verdicts = pd.concat([f.summary for f in found], ignore_index=True)
    data = hearing_data(
        result.pieces,
        project=PROJECT,
        summary=result.summary,
        boundary=boundary,
        parcels=parcels,
        controls=controls,
        **field_arguments(S),
        quota_trail=quota.trail,
        scenarios=scenarios.parties,
        chart=work / "benefits.png",
        retained=carved.parcels,
        conflicts=conflicts,
        conflict_summary=verdicts,
    )
    # one individual's sheet: the largest individual holder
    individual = data.holders[data.holders.individual].code.iloc[0]
    with qgis_application():
        from landcoord.report.pack import write_hearing_pack

        pack = write_hearing_pack(
            data, work / "hearing.pdf", dpi=100, office="（示例 example office）", png_dir=work / "png"
        )
    wanted = {
        "overview": next(i for i, p in enumerate(pack.pages) if p.kind == "overview"),
        "holder": next(i for i, p in enumerate(pack.pages) if p.kind == "holder" and p.holder == individual),
        "benefit": next(i for i, p in enumerate(pack.pages) if p.kind == "benefit"),
        "conflicts": next(i for i, p in enumerate(pack.pages) if p.kind == "conflicts"),
    }
    from PIL import Image

    for name, i in wanted.items():
        target = out_dir / f"hearing_{name}.png"
        Image.open(pack.pngs[i]).convert("RGB").quantize(256).save(target, optimize=True)
        print(f"written: {target} ({target.stat().st_size // 1024} KB)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
