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


def quota_standin(
    pieces: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, project: str = PROJECT
) -> pd.DataFrame:
    """A quota trail (the quota step's schema): per community, land by category and an example
    quota whose ratio is unverified."""
    mine = pieces[pieces["project"] == project].merge(
        parcels[["宗地号", "社区"]], left_on="parcel_id", right_on="宗地号", how="left"
    )
    legal = {"房地产证", "出让合同", "非农建设用地", "征地返还用地", "历史遗留违法建筑确认", "旧屋村"}
    rows = []
    for community, grp in mine.groupby("社区"):
        land = float(grp.piece_area.sum())
        legal_area = float(grp.loc[grp.status.isin(legal), "piece_area"].sum())
        unc = float(grp.loc[grp.status == "未完善征转手续", "piece_area"].sum())
        ratio = 0.2
        rows += [
            (
                project,
                community,
                "land_area",
                "用地面积 land area",
                land,
                "m2",
                "data: sum of piece_area",
                "INPUT pieces",
                True,
            ),
            (
                project,
                community,
                "legal_area",
                "合法用地 legal land",
                legal_area,
                "m2",
                "data: piece_area of legal statuses",
                "INPUT pieces",
                True,
            ),
            (
                project,
                community,
                "uncompensated_area",
                "未完善征转手续用地 uncompensated land",
                unc,
                "m2",
                "data: piece_area of 未完善征转手续",
                "INPUT pieces",
                True,
            ),
            (
                project,
                community,
                "ratio",
                "留用比例 ratio (example)",
                ratio,
                "ratio",
                "example value",
                "EXAMPLE, not read in a source",
                False,
            ),
            (
                project,
                community,
                "retained_area",
                "留用地指标 retained-land quota",
                legal_area + unc * ratio,
                "m2",
                "legal_area + uncompensated_area × ratio",
                "EXAMPLE formula",
                False,
            ),
        ]
    return pd.DataFrame(
        rows,
        columns=["project", "community", "item", "quantity", "value", "unit", "rule", "source", "verified"],
    )


def scenarios_standin(pieces: gpd.GeoDataFrame, project: str = PROJECT) -> pd.DataFrame:
    """Benefit scenarios per party (the scenarios step's schema, with slightly different column
    names, as the adapter allows): scenario A verified, B not."""
    mine = pieces[pieces["project"] == project]
    area = mine.groupby("holder", dropna=True)["piece_area"].sum()
    rows = []
    for sc, rate, swap, ok in (("A", 3000.0, 0.0, True), ("B", 1200.0, 0.8, False)):
        total = float(area.sum())
        rows.append((sc, project, "政府 government", "government", total * 0.6, 0.0, -total * rate, 0.0, ok))
        for holder, a in area.items():
            kind = "community" if str(holder).endswith("社区股份合作公司") else "holder"
            rows.append((sc, project, holder, kind, a * 0.1, a * swap, a * rate, a * swap, ok))
    return pd.DataFrame(
        rows,
        columns=[
            "scenario_id",
            "project",
            "party_name",
            "type",
            "land_area",
            "floor_area",
            "money",
            "swap_floor_area",
            "verified",
        ],
    )


def chart_standin(scenarios: pd.DataFrame, path) -> Path:
    """A comparison chart PNG of the stand-in scenarios (money by party type and scenario)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = scenarios.groupby(["scenario_id", "type"])["money"].sum().unstack(fill_value=0.0)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    g.plot.bar(ax=ax)
    ax.set_title("Scenario comparison (stand-in)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return Path(path)


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
