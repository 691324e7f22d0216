"""Issue 19: the hearing data say only what is true (core, no QGIS): the holder type from the data with
masking shown as a separate decision; a project's conflicts only; the land counted once beside the
land claimed, with the project-land figures and the measuring statement."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

from landcoord.allocation.affected import affected_area
from landcoord.allocation.hearing import fmt_area, hearing_data, land_line


def _cadastre():
    return gpd.GeoDataFrame(
        {
            "宗地号": ["G1", "G2", "G3", "G4"],
            "权利人": ["张伟", "沙井社区股份合作公司", "李娜", "王芳"],
            # 张伟 is typed as an organisation but his name has no organisation marker
            "权利人类型": ["社区股份合作公司", "社区股份合作公司", "个人", "个人"],
        },
        geometry=[box(0, 0, 60, 10), box(40, 0, 100, 10), box(100, 0, 150, 10), box(150, 0, 200, 10)],
        crs=4547,
    )


def _projects():
    return gpd.GeoDataFrame(
        {"code": ["P1", "P2"]}, geometry=[box(0, 0, 110, 10), box(110, 0, 200, 10)], crs=4547
    )


def _affected():
    return affected_area(
        _projects(), _cadastre(), parcel_field="宗地号", holder_field="权利人", project_field="code"
    )


def _data(**kw):
    r = _affected()
    args = dict(
        project="P1",
        boundary=_projects(),
        project_field="code",
        parcels=_cadastre(),
        parcel_field="宗地号",
        holder_field="权利人",
        holder_type_field="权利人类型",
    )
    args.update(kw)
    return hearing_data(r.pieces, **args), r


def test_type_comes_from_the_data_and_masking_is_said_separately():
    d, _ = _data()
    rows = {r[0]: r for r in d.overview.rows}
    h = d.holders.set_index("code")
    masked = h[h.basis.str.startswith("masked")]
    assert len(masked) == 1
    code = masked.index[0]
    assert masked.label.iloc[0] == "张*"  # masked to be safe ...
    assert (
        rows[code][2] == "单位 organisation（按个人脱敏 masked to be safe）"
    )  # ... but typed as the data say
    org = h[h.label == "沙井社区股份合作公司"].index[0]
    assert rows[org][2] == "单位 organisation"
    assert "类型按数据 type from the data" in d.overview.note
    # without a type field the name decides, and the column says so
    d2 = hearing_data(_affected().pieces, project="P1")
    assert all(r[2].endswith("（据名称 by name）") for r in d2.overview.rows if r[2] != "—")


def test_overview_counts_double_claimed_land_once_and_states_the_figures():
    d, r = _data()
    rec = r.reconciliation.set_index("project").loc["P1"]
    assert rec.double_claimed_area == pytest.approx(200.0)  # G1 and G2 both claim 40-60
    assert d.land["covered_area"] == pytest.approx(rec.covered_area)
    assert d.land["claimed_area"] == pytest.approx(rec.claimed_area)
    assert d.land["boundary_area"] == pytest.approx(rec.project_area)
    assert d.land["gap_area"] == pytest.approx(rec.gap_area)
    assert d.overview.columns[6] == "计入面积 counted m²"
    assert d.overview.total[4] == fmt_area(rec.claimed_area) and d.overview.total[6] == fmt_area(
        rec.covered_area
    )
    held = r.summary[r.summary.project == "P1"].set_index("holder").held_area
    assert sorted(d.holders.held_area) == pytest.approx(sorted(held))
    assert d.measured == "planar areas in EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)"
    assert land_line(d.land) == (
        f"项目用地 project land：范围 boundary {fmt_area(rec.project_area)} m² = 覆盖 covered "
        f"{fmt_area(rec.covered_area)} m² + 缺口 gaps {fmt_area(rec.gap_area)} m²"
    )


def test_a_projects_conflict_page_lists_only_its_own_rows():
    # P2's input reaches into P1's land (its geometry overlaps P1's boundary): it is P2's row all the same
    conflicts = gpd.GeoDataFrame(
        {
            "input_id": ["P1", "P2"],
            "kind": ["绿线", "绿线"],
            "severity": ["blocking", "blocking"],
            "conflict_area": [50.0, 400.0],
        },
        geometry=[box(10, 0, 15, 10), box(100, 0, 140, 10)],
        crs=4547,
    )
    summary = pd.DataFrame({"input_id": ["P1", "P2"], "verdict": ["blocked", "blocked"]})
    d, _ = _data(conflicts=conflicts, conflict_summary=summary)
    assert [r[0] for r in d.conflicts.rows] == ["P1"]
    assert [r[0] for r in d.conflict_summary.rows] == ["P1"]
    assert list(d.layers["conflicts"].input_id) == ["P1"]
    d2, _ = _data(project="P2", conflicts=conflicts, conflict_summary=summary)
    assert [r[0] for r in d2.conflicts.rows] == ["P2"]


def test_masked_names_that_look_alike_are_told_apart_by_their_code():
    pieces = gpd.GeoDataFrame(
        {
            "project": ["P"] * 3,
            "parcel_id": ["A", "B", "C"],
            "holder": ["John Smith", "Jane Smith", "Jean Dupont"],
            "piece_area": [300.0, 200.0, 100.0],
        },
        geometry=[box(0, 0, 30, 10), box(30, 0, 50, 10), box(50, 0, 60, 10)],
        crs=4547,
    )
    d = hearing_data(pieces)
    labels = dict(zip(d.holders.code, d.holders.label))
    assert labels["H01"] == labels["H02"] == "J*** S****"  # masked alike ...
    # ... but every place that prints a holder prints its code with it: the overview's rows, the
    # holders layer the maps label, and the pieces layer the legend colours by code
    assert [r[:2] for r in d.overview.rows] == [
        ["H01", "J*** S****"],
        ["H02", "J*** S****"],
        ["H03", "J*** D*****"],
    ]
    assert list(d.layers["holders"].code) == ["H01", "H02", "H03"]
    assert sorted(set(d.layers["pieces"].holder_code)) == ["H01", "H02", "H03"]
    assert "John" not in " ".join(map(str, d.layers["pieces"].holder_label))
