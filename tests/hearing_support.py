"""Stand-in outputs of the other steps (conflicts, quota trail, scenarios, carved retained land) for
the hearing-pack tests, built from the sample project and the real affected-area result.

They follow the output schemas of those steps (see ``allocation/hearing/columns.py`` ``COLUMN_ALIASES``);
their figures are computed here from the sample's geometry, not typed in, so the tests can compare
what the PDF prints with the frames it was made from.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "landcoord_sample.gpkg"
PROJECT = "LHTZ-2024-02"  # the smaller of the sample's two projects (51 holders)

#: Severity of the sample's control kinds (the conflict registry's, by kind name or alias).
SEVERITY = {
    "生态保护红线": "blocking",
    "生态红线": "blocking",
    "永久基本农田": "blocking",
    "基本生态控制线": "blocking",
    "道路红线": "blocking",
    "绿线": "blocking",
    "城市绿线": "blocking",
    "蓝线": "blocking",
    "黄线": "blocking",
    "紫线": "review",
}


def read(layer: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(SAMPLE, layer=layer)
    gdf.attrs["name"] = layer
    return gdf


@lru_cache(maxsize=1)
def sample_frames():
    """(projects, parcels, controls, affected result) of the sample project."""
    from landcoord.allocation.affected import affected_area

    projects, parcels, controls = read("projects"), read("parcels"), read("controls")
    result = affected_area(
        projects,
        parcels,
        parcel_field="宗地号",
        holder_field="权利人",
        status_field="用地状态",
        project_field="项目编号",
    )
    return projects, parcels, controls, result


def hearing_arguments(**kw) -> dict:
    """Every keyword of ``hearing_data`` for the sample project (all inputs given), updated by ``kw``."""
    projects, parcels, controls, result = sample_frames()
    found, verdicts = conflicts()
    args = dict(
        project=PROJECT,
        summary=result.summary,
        boundary=projects,
        project_field="项目编号",
        project_name_field="项目名称",
        parcels=parcels,
        parcel_field="宗地号",
        holder_field="权利人",
        holder_type_field="权利人类型",
        status_field="用地状态",
        controls=controls,
        control_kind_field="类型",
        control_name_field="名称",
        retained=retained(),
        conflicts=found,
        conflict_summary=verdicts,
        quota_trail=quota_trail(),
        scenarios=scenario_parties(),
    )
    args.update(kw)
    return args


@lru_cache(maxsize=1)
def _carved():
    """Retained land carved to the example quota (the carve step, as ``landcoord demo`` runs it)."""
    from landcoord.allocation.carve import carve_retained
    from landcoord.allocation.feedback import RecordingFeedback
    from landcoord.cli.carve import SAMPLE_BLOCKING_KINDS, read_filtered

    src = f"{SAMPLE}|layername="
    exclude = [
        read_filtered(f"{src}controls|类型={','.join(SAMPLE_BLOCKING_KINDS)}"),
        read_filtered(f"{src}zoning|用地性质=S1,GIC"),
    ]
    result = carve_retained(
        read("projects"),
        quota_results()[0].trail,
        exclude=exclude,
        within=read_filtered(f"{src}controls|类型=城镇开发边界"),
        prefer=read("holdings"),
        prefer_field="社区",
        roads=read("roads"),
        min_width=20.0,
        project_field="项目编号",
        feedback=RecordingFeedback(),
    )
    return result.parcels


def retained() -> gpd.GeoDataFrame:
    """The carved retained land of both projects (the carve step's ``parcels`` output)."""
    gdf = _carved().copy()
    gdf.attrs["name"] = "retained"
    return gdf


def conflicts():
    """One-map conflicts of the project boundaries (input_id = 项目编号), by the conflicts step:
    (conflicts, verdicts)."""
    from landcoord.allocation.conflicts import plan_conflicts

    projects, _, controls, _ = sample_frames()
    found = plan_conflicts(projects, controls, kind_field="类型", input_id_field="项目编号")
    return found.conflicts.copy(), found.summary.copy()


def conflicts_standin(proposal: gpd.GeoDataFrame, controls: gpd.GeoDataFrame):
    """Conflicts of proposal polygons (column ``input_id``) with the control zones: the part of
    each proposal inside the zones of each kind (outside, for the urban development boundary)."""
    controls = controls.set_geometry(shapely.make_valid(controls.geometry.values))
    rows = []
    for r in proposal.itertuples(index=False):
        input_id = str(r.input_id)
        for kind, grp in controls.groupby("类型"):
            with np.errstate(invalid="ignore"):  # a floating-point flag of GEOS, not an error
                zone = shapely.union_all(grp.geometry.values)
                if kind == "城镇开发边界":
                    part = shapely.difference(r.geometry, zone)
                    rule = "留用地须位于城镇开发边界内。"
                else:
                    part = shapely.intersection(r.geometry, zone)
                    rule = f"留用地不得占用{kind}。"
            if part.is_empty or part.area <= 0:
                continue
            sev = "blocking" if kind == "城镇开发边界" else SEVERITY.get(kind, "advisory")
            if part.area < 1.0:
                sev = "sliver"
            rows.append(
                {
                    "input_id": input_id,
                    "kind": kind,
                    "severity": sev,
                    "conflict_area": float(part.area),
                    "input_share": float(part.area / r.geometry.area),
                    "rule": rule,
                    "source": "landcoord domain primer (unverified)",
                    "verified": False,
                    "geometry": part,
                }
            )
    columns = ["input_id", "kind", "severity", "conflict_area", "input_share", "rule", "source", "verified"]
    conflicts = gpd.GeoDataFrame(rows, columns=[*columns, "geometry"], geometry="geometry", crs=proposal.crs)
    conflicts.attrs["name"] = "conflicts"
    summary = []
    for input_id in proposal["input_id"].astype(str):
        c = conflicts[conflicts.input_id == input_id]
        areas = {
            s: float(c.loc[c.severity == s, "conflict_area"].sum())
            for s in ("blocking", "review", "advisory")
        }
        verdict = "blocked" if areas["blocking"] > 0 else ("review" if areas["review"] > 0 else "clear")
        summary.append(
            {
                "input_id": input_id,
                "blocking_area": areas["blocking"],
                "review_area": areas["review"],
                "advisory_area": areas["advisory"],
                "verdict": verdict,
            }
        )
    return conflicts, pd.DataFrame(summary)


@lru_cache(maxsize=1)
def quota_results():
    """The real retained-land quota (EXAMPLE rule set) and benefit scenarios (EXAMPLE scenarios) of
    the sample, as ``landcoord demo`` computes them: (QuotaResult, ScenarioResult)."""
    from landcoord.allocation.feedback import RecordingFeedback
    from landcoord.allocation.quota import attach_community, retained_quota
    from landcoord.allocation.rules import RULES_DIR
    from landcoord.allocation.scenarios import benefit_scenarios

    _, parcels, _, result = sample_frames()
    buildings, zoning = read("buildings"), read("zoning")
    pieces = attach_community(result.pieces, parcels, parcel_field="宗地号", community_field="社区")
    fb = RecordingFeedback()
    quota = retained_quota(
        pieces,
        "shenzhen_example",
        community_field="community",
        buildings=buildings,
        floor_area_field="建筑面积",
        zoning=zoning,
        zoning_field="用地性质",
        feedback=fb,
    )
    scenarios = benefit_scenarios(
        pieces,
        quota.trail,
        RULES_DIR / "scenarios" / "example_sample_scenarios.toml",
        community_field="community",
        buildings=buildings,
        floor_area_field="建筑面积",
        building_status_field="合法状态",
        feedback=fb,
    )
    return quota, scenarios


def quota_trail() -> pd.DataFrame:
    return quota_results()[0].trail.copy()


def scenario_parties() -> pd.DataFrame:
    return quota_results()[1].parties.copy()


def chart(path) -> Path:
    """The scenario comparison chart of the quota step."""
    from landcoord.report.charts import scenario_chart

    return scenario_chart(quota_results()[1], path)


def pdf_text(path, mode: str = "-layout") -> str:
    """The PDF's text by pdftotext: ``-layout`` (as laid out) or ``-raw`` (in drawing order: a
    table row is one line, apart from cells wrapped over several lines)."""
    return subprocess.run(
        ["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def page_texts(path, mode: str = "-layout") -> list:
    """The text of each page (pdftotext separates pages by form feeds)."""
    return pdf_text(path, mode).split("\f")[: pdf_pages(path)]


def ledger_gpkg(path) -> Path:
    """A copy of the sample GeoPackage with a consultation ledger inside (the common case: the
    project's data and its ledger in one file): the project's holders, a hearing notice, and
    consent recorded for some of them (signed, agreed, refused), so that the rates by holders and
    by area differ."""
    import shutil

    from landcoord.allocation.ledger import Ledger

    path = Path(path)
    shutil.copyfile(SAMPLE, path)
    _, _, _, result = sample_frames()
    mine = result.summary[(result.summary["project"] == PROJECT) & result.summary["holder"].notna()]
    holders = list(mine.sort_values("affected_area", ascending=False)["holder"])
    with Ledger.init(path, officer="王科长") as ledger:
        ledger.sync_holders(mine, "holder")
        ledger.add_event("survey", "2026-10-08", project=PROJECT, holders=holders[:12])
        for i, holder in enumerate(holders[:12]):
            if i % 4 == 3:
                ledger.set_consent(PROJECT, holder, "refused", expected_version=None)
                continue
            ledger.set_consent(PROJECT, holder, "agreed", expected_version=None, scenario_option="A")
            if i % 4 == 0:
                ledger.set_consent(PROJECT, holder, "signed", expected_version=None)
    return path


def write_scenarios(tmp_path, *blocks, example=False, name="scen.toml") -> Path:
    """A scenarios file ``name`` in ``tmp_path``: the ``[scenarios]`` header, then ``blocks``."""
    p = tmp_path / name
    p.write_text(
        f'[scenarios]\ntitle = "test"\nexample = {str(example).lower()}\n\n' + "\n".join(blocks),
        encoding="utf-8",
    )
    return p


def quota_table(rows, verified=True, more: dict | None = None) -> pd.DataFrame:
    """rows: (project, community, retained, planned, buyback) -> a trail-like table; ``more``:
    further quantities of every row (quantity -> value)."""
    out = []
    for p, c, r, f, b in rows:
        for q, v in (
            ("result.retained_area", r),
            ("result.planned_floor_area", f),
            ("buyback_floor_area", b),
            *(more or {}).items(),
        ):
            out.append({"project": p, "community": c, "quantity": q, "value": v, "verified": verified})
    df = pd.DataFrame(out)
    df.attrs["name"] = "quota"
    return df
