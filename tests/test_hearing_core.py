"""The hearing pack's tables and layers (pure core, no QGIS): figures, masking, marks, errors."""

from __future__ import annotations

import geopandas as gpd
import hearing_support as hs  # tests/ is on sys.path (conftest.py)
import numpy as np
import pandas as pd
import pytest
from shapely import box

from landcoord.allocation.errors import FieldError, InputError
from landcoord.allocation.hearing import UNVERIFIED_MARK, adapt_columns, fmt_area, fmt_share, hearing_data


def _data(public=True, **kw):
    _, parcels, _, result = hs.sample_frames()
    return hearing_data(result.pieces, **hs.hearing_arguments(public=public, **kw)), result, parcels


def _strings(data) -> list:
    """Every text the pack could print: table cells and the layers' attributes."""
    out = []
    for t in [data.overview, data.benefits, data.quota, data.conflicts, data.conflict_summary, data.retained]:
        if t is not None:
            out += [c for r in t.rows for c in r] + list(t.columns) + list(t.total or [])
    for tabs in (data.holder_parcels, data.holder_scenarios):
        for t in tabs.values():
            out += [c for r in t.rows for c in r]
    for gdf in data.layers.values():
        for col in gdf.columns:
            if col != gdf.geometry.name:
                out += [str(v) for v in gdf[col].tolist()]
    out += [str(v) for v in data.holders.drop(columns=["individual"]).to_numpy().ravel()]
    return out


def test_overview_figures_are_the_affected_area_summary():
    data, result, _ = _data()
    summary = result.summary[result.summary["project"] == hs.PROJECT]
    assert len(data.overview) == len(summary) == len(data.holders)
    # the rows are the summary's rows in order of affected area, with codes H01...
    expected = summary.sort_values("affected_area", ascending=False, kind="stable")
    for row, (_, s) in zip(data.overview.rows, expected.iterrows()):
        assert row[4] == fmt_area(s.affected_area)
        assert row[5] == fmt_share(s.project_share)
        assert row[3] == str(s.parcels)
    assert data.overview.total[4] == fmt_area(summary.affected_area.sum())
    assert [r[0] for r in data.overview.rows] == [f"H{i:02d}" for i in range(1, len(summary) + 1)]


def test_holder_tables_add_up_to_their_summary_row():
    data, result, _ = _data()
    pieces = result.pieces[result.pieces["project"] == hs.PROJECT]
    for code, table in data.holder_parcels.items():
        h = data.holders[data.holders.code == code].iloc[0]
        assert table.values["piece_area"].sum() == pytest.approx(h.affected_area, rel=1e-12)
        assert table.total[3] == fmt_area(h.affected_area)
        # every row is a piece of the affected-area result
        for pid, area in zip(table.values.parcel_id, table.values.piece_area):
            match = pieces[pieces.parcel_id == pid]
            assert area in match.piece_area.tolist()
    assert sum(len(t) for t in data.holder_parcels.values()) == len(pieces)


def test_public_version_masks_every_individual_and_prints_no_numbers():
    data, _, parcels = _data()
    people = parcels.loc[parcels["权利人类型"] == "个人", "权利人"].dropna().unique()
    texts = _strings(data)
    blob = "\n".join(texts)
    leaked = [n for n in people if n in blob]
    assert leaked == []
    for col in ("身份证号", "联系电话"):
        numbers = parcels[col].dropna().astype(str).unique()
        assert len(numbers) > 100
        assert not [n for n in numbers if n in blob]
    # masked labels keep the surname
    individual = data.holders[data.holders.individual]
    assert len(individual) > 10
    assert all(lab.endswith("*") for lab in individual.label)


def test_internal_version_names_individuals_but_prints_no_numbers():
    data, result, parcels = _data(public=False)
    blob = "\n".join(_strings(data))
    holders = result.summary.loc[result.summary["project"] == hs.PROJECT, "holder"].dropna()
    assert all(h in blob for h in holders)
    for col in ("身份证号", "联系电话"):
        assert not [n for n in parcels[col].dropna().astype(str).unique() if n in blob]


def test_layers_carry_only_printable_fields():
    data, _, _ = _data()
    assert set(data.layers) == {
        "boundary",
        "parcels",
        "pieces",
        "holders",
        "controls",
        "retained",
        "conflicts",
    }
    assert list(data.layers["parcels"].columns) == [
        "parcel_id",
        "holder_code",
        "holder_label",
        "status",
        "geometry",
    ]
    assert data.layers["holders"]["sheet"].sum() == len(data.holders)
    # the holder layer's geometry is the union of each holder's pieces (land a holder's parcels
    # claim twice, an overlap of the cadastre, counts once there)
    a = data.layers["holders"].set_index("code").area.loc[data.holders.code].to_numpy()
    b = data.holders.affected_area.to_numpy()
    assert (a <= b * (1 + 1e-9)).all()
    assert np.isclose(a, b, rtol=1e-9).sum() >= len(b) - 5


def test_unverified_figures_are_marked_wherever_printed():
    data, _, _ = _data()
    assert data.unverified
    tables = [data.benefits, data.quota, *data.holder_scenarios.values()]
    assert sum(len(t) > 0 for t in tables) >= len(data.holder_scenarios)
    for table in tables:
        ok = table.values["ok"] if "ok" in table.values else table.values["verified"]
        for row, good, mark in zip(table.rows, ok, table.marked):
            numeric = [c for c, a in zip(row, table.align) if a == "r"]
            assert mark == (not good)
            assert all((UNVERIFIED_MARK in c) == (not good) for c in numeric)
    # the example scenarios and rule set are never verified: every figure is marked
    assert data.benefits.marked == [True] * len(data.benefits)
    # a scenario marked verified is printed without the mark
    sc = hs.scenario_parties()
    sc["verified"] = sc["scenario"] == "A"
    data, _, _ = _data(scenarios=sc)
    b = data.benefits.values
    assert set(b.loc[~b.ok, "scenario"]) == {"B", "C"} and set(b.loc[b.ok, "scenario"]) == {"A"}
    for row, good in zip(data.benefits.rows, b.ok):
        assert all((UNVERIFIED_MARK in c) == (not good) for c in row[3:])


def test_scenario_rows_follow_the_party_figures():
    data, result, _ = _data()
    sc = hs.scenario_parties()
    sc = sc[sc["project"] == hs.PROJECT]
    assert len(data.benefits) == len(sc)
    for col, k in (("land_area", 3), ("floor_area", 4), ("money", 5), ("swap_floor_area", 6)):
        assert sorted(fmt_area(v) for v in sc[col]) == sorted(r[k].split("\n")[0] for r in data.benefits.rows)
    # each holder's own table holds its rows of every scenario, with the same figures
    scenarios = list(dict.fromkeys(sc.scenario))
    codes = dict(zip(data.holders.code, range(len(data.holders))))
    summary = result.summary[result.summary["project"] == hs.PROJECT]
    names = (
        summary.assign(k=summary.holder.astype(str))
        .sort_values(["affected_area", "k"], ascending=[False, True])["holder"]
        .tolist()
    )
    for code, table in data.holder_scenarios.items():
        holder = names[codes[code]]
        mine = sc[
            (sc.party == (holder if holder is not None else "(no holder)")) & (sc.party_type != "government")
        ]
        assert table.values["scenario"].tolist() == scenarios
        assert [r[3].split("\n")[0] for r in table.rows] == [fmt_area(v) for v in mine.money]


def test_conflict_table_lists_every_conflict():
    data, _, _ = _data()
    conflicts, verdicts = hs.conflicts()
    mine = conflicts[conflicts.input_id == hs.PROJECT]
    assert len(data.conflicts) == len(mine) > 0
    assert sorted(r[3] for r in data.conflicts.rows) == sorted(fmt_area(v) for v in mine.conflict_area)
    assert {r[1] for r in data.conflicts.rows} == set(mine.kind)
    assert all("unverified" in r[6] for r in data.conflicts.rows)
    assert [r[0] for r in data.conflict_summary.rows] == [hs.PROJECT]
    # blocking conflicts first, marked
    sev = data.conflicts.values.severity.tolist()
    assert sev == sorted(sev, key=["blocking", "review", "advisory", "sliver"].index)
    assert data.conflicts.marked == [s == "blocking" for s in sev]


def test_carved_land_targets_are_quota_figures():
    data, _, _ = _data()
    carved = hs.retained()
    carved = carved[carved["project"] == hs.PROJECT]
    t = data.retained
    assert len(t) == len(carved) == 3
    assert [r[0] for r in t.rows] == ["石岭社区 1/3", "石岭社区 2/3", "石岭社区 3/3"]
    assert [r[2] for r in t.rows] == [fmt_area(a) for a in carved.area]
    # the example quota is not verified: every target is marked
    assert all(r[1] == fmt_area(v) + "\n" + UNVERIFIED_MARK for r, v in zip(t.rows, carved.target_area))
    # with a verified quota trail the targets are printed plain
    trail = hs.quota_trail()
    trail["verified"] = True
    data, _, _ = _data(quota_trail=trail)
    assert all(r[1] == fmt_area(v) for r, v in zip(data.retained.rows, carved.target_area))


def test_sheet_selection():
    data, _, _ = _data(max_holders=3)
    assert data.sheet_codes == ["H01", "H02", "H03"]
    assert sorted(data.holder_parcels) == ["H01", "H02", "H03"]
    data, _, _ = _data(holders=["H05", "龙园社区股份合作公司"] if False else ["H05", "H02"])
    assert data.sheet_codes == ["H02", "H05"]
    with pytest.raises(InputError, match="H99 is not a holder of project"):
        _data(holders=["H99"])


def test_errors_name_the_problem():
    projects, parcels, controls, result = hs.sample_frames()
    with pytest.raises(InputError, match="holds 2 projects"):
        hearing_data(result.pieces)
    with pytest.raises(InputError, match="is not in layer"):
        hearing_data(result.pieces, project="NOPE")
    with pytest.raises(FieldError, match="权利人类别"):
        _data(holder_type_field="权利人类别")
    bad = result.summary.copy()
    bad.loc[bad.index[0], "affected_area"] += 5.0
    with pytest.raises(InputError, match="differs from the sum of its pieces"):
        hearing_data(result.pieces, project="LHTZ-2024-01", summary=bad)
    sc = hs.scenario_parties().drop(columns=["money"])
    with pytest.raises(FieldError, match="'money'.*cash"):
        _data(scenarios=sc)


def test_adapter_accepts_aliases_in_one_place():
    df = pd.DataFrame({"方案": ["A"], "参与方": ["x"], "类别": ["holder"], "land": [1.0]})
    out = adapt_columns(df, "scenarios", required=["scenario", "party", "party_type", "land_area"])
    assert out.columns.tolist() == ["scenario", "party", "party_type", "land_area"]
    # the scenarios table under other column names gives the same pack
    renamed = hs.scenario_parties().rename(
        columns={"scenario": "scenario_id", "party": "party_name", "party_type": "type", "money": "cash"}
    )
    a, _, _ = _data(scenarios=renamed)
    b, _, _ = _data()
    assert a.benefits.rows == b.benefits.rows


def test_missing_verified_column_means_unverified():
    data, result, _ = _data(scenarios=hs.scenario_parties().drop(columns=["verified"]))
    assert not data.benefits.values.ok.any()
    assert any("no 'verified' column" in n for n in data.notes)


def test_holders_without_type_field_use_names():
    data, _, _ = _data(holder_type_field=None)
    typed, _, _ = _data()
    assert data.holders.individual.tolist() == typed.holders.individual.tolist()
    assert data.holders.label.tolist() == typed.holders.label.tolist()


def test_tiny_project_without_other_inputs():
    pieces = gpd.GeoDataFrame(
        {
            "project": ["P"] * 3,
            "parcel_id": ["A", "B", "C"],
            "holder": ["欧阳娜娜", "欧阳娜娜", None],
            "status": ["房地产证", "出让合同", None],
            "piece_area": [100.0, 50.0, 25.0],
            "parcel_area": [100.0, 100.0, 25.0],
            "parcel_share": [1.0, 0.5, 1.0],
        },
        geometry=[box(0, 0, 10, 10), box(10, 0, 15, 10), box(15, 0, 20, 5)],
        crs=4547,
    )
    d = hearing_data(pieces)
    assert d.holders.label.tolist() == ["欧阳**", "（无权利人 no holder）"]
    assert d.holders.basis.tolist() == ["name", "no holder"]
    assert d.overview.rows[1][2] == "—"
    assert d.benefits is None and d.conflicts is None and d.quota is None
    assert d.project_area is None and d.overview.rows[0][5] == "—"


def test_conflicts_of_another_project_are_left_out():
    # the conflicts and the carved land cover both projects; each pack prints its own
    conflicts, _ = hs.conflicts()
    for project in ("LHTZ-2024-01", "LHTZ-2024-02"):
        data, _, _ = _data(project=project)
        assert {r[0] for r in data.conflicts.rows} == {project}
        assert len(data.conflicts) == (conflicts.input_id == project).sum()
        assert [r[0] for r in data.conflict_summary.rows] == [project]
        assert any(f"outside project '{project}'" in n for n in data.notes)


def test_verdicts_of_several_checks_are_cut_to_the_project():
    """The conflicts of the boundaries and of the carved parcels (of both projects) in one table."""
    from landcoord.allocation.conflicts import plan_conflicts

    _, _, controls, _ = hs.sample_frames()
    carved = hs.retained()
    carved["地块"] = [
        f"{p}/{c}-{k}" for p, c, k in zip(carved["project"], carved["community"], carved["part"])
    ]
    found = plan_conflicts(carved, controls, kind_field="类型", input_id_field="地块")
    boundary_conflicts, boundary_verdicts = hs.conflicts()
    conflicts = pd.concat([boundary_conflicts, found.conflicts], ignore_index=True)
    verdicts = pd.concat([boundary_verdicts, found.summary], ignore_index=True)
    for project in ("LHTZ-2024-01", "LHTZ-2024-02"):
        data, _, _ = _data(project=project, conflicts=conflicts, conflict_summary=verdicts)
        ids = [r[0] for r in data.conflict_summary.rows]
        mine = [i for i in verdicts.input_id if i.startswith(project)]
        assert ids == mine and len(ids) == 1 + (carved["project"] == project).sum()
        assert all(r[0].startswith(project) for r in data.conflicts.rows)


def test_a_ledger_that_is_not_one_is_a_clear_error(tmp_path):
    """The ledger option names the file when it holds no ledger, is missing or is no GeoPackage."""
    from landcoord.allocation.errors import LedgerError

    projects, _, _, result = hs.sample_frames()
    not_gpkg = tmp_path / "notes.gpkg"
    not_gpkg.write_text("not a database", encoding="utf-8")
    for path, says in (
        (hs.SAMPLE, "has no consultation ledger yet"),
        (tmp_path / "missing.gpkg", "does not exist"),
        (not_gpkg, "is not a GeoPackage"),
    ):
        with pytest.raises(LedgerError, match=says) as err:
            hearing_data(
                result.pieces, project=hs.PROJECT, boundary=projects, project_field="项目编号", ledger=path
            )
        assert str(path) in str(err.value)
