"""Stand-in outputs of the other steps (conflicts, quota trail, scenarios, carved retained land) for
the hearing-pack tests, built from the sample project and the real affected-area result.

They follow the output schemas of those steps (see ``allocation/hearing.py`` ``COLUMN_ALIASES``);
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


def retained_standin(pieces: gpd.GeoDataFrame, project: str = PROJECT) -> gpd.GeoDataFrame:
    """Carved retained land: per community company of the project, a square around the middle of
    its pieces with 10 % of its affected area (the carve step's schema)."""
    mine = pieces[pieces["project"] == project]
    rows = []
    for holder, grp in mine.groupby("holder"):
        if not str(holder).endswith("社区股份合作公司"):
            continue
        community = str(holder).replace("股份合作公司", "")
        target = 0.10 * float(grp.piece_area.sum())
        centre = shapely.union_all(grp.geometry.values).point_on_surface()
        side = np.sqrt(target)
        geom = shapely.box(centre.x - side / 2, centre.y - side / 2, centre.x + side / 2, centre.y + side / 2)
        rows.append(
            {
                "project": project,
                "community": community,
                "target_area": target,
                "area": float(geom.area),
                "deviation": float(geom.area) - target,
                "compactness": 4 * np.pi * geom.area / geom.length**2,
                "min_width": side,
                "frontage": side,
                "distance_to_holdings": 0.0,
                "geometry": geom,
            }
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=pieces.crs)
    gdf.attrs["name"] = "retained"
    return gdf


def conflicts_standin(retained: gpd.GeoDataFrame, controls: gpd.GeoDataFrame):
    """Conflicts of the retained land with the control zones (the conflicts step's schema):
    the part of each retained parcel inside zones of each kind, with the kind's severity."""
    controls = controls.set_geometry(shapely.make_valid(controls.geometry.values))
    rows = []
    for i, r in retained.reset_index(drop=True).iterrows():
        input_id = f"{r.community}-{i + 1}"
        for kind, grp in controls.groupby("类型"):
            if kind == "城镇开发边界":
                zone = shapely.union_all(grp.geometry.values)
                part = shapely.difference(r.geometry, zone)
                rule = "留用地须位于城镇开发边界内。"
            else:
                with np.errstate(invalid="ignore"):  # a floating-point flag of GEOS, not an error
                    part = shapely.intersection(r.geometry, shapely.union_all(grp.geometry.values))
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
    conflicts = gpd.GeoDataFrame(
        rows,
        columns=[
            "input_id",
            "kind",
            "severity",
            "conflict_area",
            "input_share",
            "rule",
            "source",
            "verified",
            "geometry",
        ],
        geometry="geometry",
        crs=retained.crs,
    )
    conflicts.attrs["name"] = "conflicts"
    summary = []
    for i, r in retained.reset_index(drop=True).iterrows():
        input_id = f"{r.community}-{i + 1}"
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
    from landcoord.allocation.scenarios import scenario_chart

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
