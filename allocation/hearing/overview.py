"""The overview sheet's table: affected area by rights-holder, with the project-land line
(boundary = covered + gaps, claimed and double-claimed land) and how the areas were measured.

Imports :mod:`.formatting` and :mod:`.holders` of this package only.
"""

from __future__ import annotations

from .formatting import Table, _type_label, fmt_area, fmt_share
from .holders import HolderIndex

__all__: list = []


def overview_table(who: HolderIndex, mine, project_area, measured, public):
    """The overview table and the project-land figures (``HearingData.land``): ``(table, land)``."""
    holders_df = who.table
    ov_rows = [
        [
            r.code,
            r.label,
            _type_label(r.basis, r.individual),
            str(r.parcels),
            fmt_area(r.affected_area),
            fmt_share(r.project_share),
            fmt_area(r.held_area),
        ]
        for r in holders_df.itertuples(index=False)
    ]
    total_area = float(holders_df["affected_area"].sum())
    covered = float(holders_df["held_area"].sum())
    land = {
        "boundary_area": project_area,
        "covered_area": covered,
        "gap_area": max(project_area - covered, 0.0) if project_area is not None else None,
        "claimed_area": total_area,
        "double_claimed_area": max(total_area - covered, 0.0),
    }
    land_note = (
        f"项目用地 project land：范围 boundary {fmt_area(project_area)} m² "
        f"= 覆盖 covered {fmt_area(covered)} m² + 缺口 gaps {fmt_area(land['gap_area'])} m²；"
        f"主张 claimed {fmt_area(total_area)} m²，"
        f"其中重复主张 double-claimed {fmt_area(land['double_claimed_area'])} m² 由各主张方均分计入 "
        "(split equally between its claimants in the counted column)。"
        if project_area is not None
        else f"项目用地 project land：覆盖 covered {fmt_area(covered)} m²；"
        f"主张 claimed {fmt_area(total_area)} m²。"
    ) + f" 量算 measured: {measured}。"
    overview = Table(
        title="受影响面积（按权利人） Affected area by rights-holder",
        columns=[
            "编号 code",
            "权利人 holder",
            "类型 type",
            "宗地 parcels",
            "受影响面积 area m²",
            "占项目 share",
            "计入面积 counted m²",
        ],
        rows=ov_rows,
        values=holders_df[["code", "parcels", "affected_area", "project_share", "held_area"]].copy(),
        align=["l", "l", "l", "r", "r", "r", "r"],
        total=[
            "合计 total",
            f"{len(holders_df)} 权利人 holders",
            "",
            str(int(mine["parcel_id"].nunique())),
            fmt_area(total_area),
            fmt_share(total_area / project_area) if project_area else "—",
            fmt_area(covered),
        ],
        note=(
            "个人权利人姓名已脱敏（公开版）。 Individuals' names are masked (public version). "
            "类型按数据 type from the data; 脱敏另行决定 masking is a separate decision. "
            if public
            else "内部版：含权利人全名，不得公开展示。 Internal version: full names, not for public display. "
        )
        + land_note,
    )
    return overview, land
