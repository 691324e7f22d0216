"""Consent rates by number of holders and by affected area, checked against a plain pandas computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landcoord.allocation.ledger import STATUSES, consent_progress, pieces_status

pytest.register_assert_rewrite("ledger_support")
from ledger_support import Where, independent_rates, make_project_gpkg, seeded  # noqa: E402


def _compare(got: pd.DataFrame, want: pd.DataFrame) -> None:
    got = got.assign(project=got["project"].astype(str)).set_index("project")
    want = want.loc[[p for p in want.index if p in got.index]]
    assert sorted(got.index) == sorted(want.index)
    for col in ["holders", "consented", "signed"]:
        assert got[col].to_dict() == want[col].astype(int).to_dict(), col
    for col in [
        "area",
        "area_consented",
        "area_signed",
        "consent_rate",
        "area_consent_rate",
        "area_signed_rate",
    ]:
        np.testing.assert_allclose(got.loc[want.index, col], want[col], rtol=1e-12, err_msg=col)


def test_progress_of_a_ledger_matches_an_independent_computation(tmp_path):
    from landcoord.allocation.io.files import read_layer

    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    pieces = read_layer(f"{where.location}|layername=pieces")
    with seeded(where) as ledger:
        ledger.add_event(
            "村民代表会议",
            "2024-03-01",
            project="P1",
            holders=["张三", "李四", "王五", "龙田社区股份合作公司"],
        )
        for holder, status in [("张三", "agreed"), ("李四", "refused"), ("龙田社区股份合作公司", "agreed")]:
            ledger.set_consent("P1", holder, status, expected_version=None)
        ledger.set_consent("P1", "张三", "signed", expected_version=None)
        ledger.add_event("home_visit", "2024-03-02", project="P2", holders=["深圳市土地储备中心", "李四"])
        ledger.set_consent("P2", "深圳市土地储备中心", "agreed", expected_version=None)
        ledger.add_event("home_visit", "2024-03-02", project="P3", holders=["赵六"])  # a project with no land
        result = ledger.progress(pieces)
        consent = ledger.consent_table()
    _compare(result.projects, independent_rates(consent, pieces))
    p1 = result.projects.set_index("project").loc["P1"]
    # 6 holders in P1 (the 7th parcel, cut by the boundary, belongs to the community company)
    assert (p1.holders, p1.consented, p1.signed, p1.n_refused, p1.n_contacted, p1.n_not_contacted) == (
        6,
        2,
        1,
        1,
        1,
        2,
    )
    assert p1.area_consent_rate != p1.consent_rate  # by area is not by head
    p2 = result.projects.set_index("project").loc["P2"]
    assert p2.area_no_holder > 0  # the parcel without a holder counts in the area, never as consent
    assert any("Project P3" in w for w in result.warnings)
    # every holder and every square metre of a project is in exactly one status
    for rec in result.projects.itertuples(index=False):
        assert sum(getattr(rec, f"n_{s}") for s in STATUSES) == rec.holders
        total = sum(getattr(rec, f"area_{s}") for s in STATUSES) + rec.area_no_holder
        assert total == pytest.approx(rec.area, rel=1e-12)
    assert result.projects.area.sum() == pytest.approx(pieces.held_area.sum(), rel=1e-12)
    coloured = pieces_status(consent, pieces)
    assert len(coloured) == len(pieces) and coloured.geometry.equals(pieces.geometry)
    assert coloured[coloured.holder == "张三"].status.unique().tolist() == ["signed"]


def test_many_projects_on_a_generated_fabric():
    from landcoord.allocation.affected import affected_area
    from landcoord.sample.fabric import blob_boundaries, quad_fabric

    parcels = quad_fabric(900, cell=20.0, seed=3, holders=120)
    bounds = blob_boundaries(parcels, 6, seed=3, coverage=0.6)
    pieces = affected_area(
        bounds, parcels, parcel_field="pid", holder_field="owner", project_field="code"
    ).pieces
    rng = np.random.default_rng(7)
    pairs = pieces[["project", "holder"]].dropna().drop_duplicates()
    pairs = pairs.sample(frac=0.8, random_state=1)  # some holders have no record: not contacted
    consent = pairs.assign(status=rng.choice(list(STATUSES), size=len(pairs)))
    result = consent_progress(consent, pieces)
    assert len(result.projects) == pieces["project"].nunique() == 6
    _compare(result.projects, independent_rates(consent, pieces))


@st.composite
def _cases(draw):
    n = draw(st.integers(1, 40))
    projects = draw(st.lists(st.sampled_from(["P1", "P2", "P3", 4]), min_size=n, max_size=n))
    holders = draw(st.lists(st.sampled_from(["甲", "乙", "丙", "丁", None]), min_size=n, max_size=n))
    areas = draw(st.lists(st.floats(0.0, 1e5, allow_nan=False), min_size=n, max_size=n))
    pieces = pd.DataFrame({"project": projects, "holder": holders, "piece_area": areas})
    keys = sorted({(str(p), h) for p, h in zip(projects, holders) if h is not None})
    chosen = draw(st.lists(st.sampled_from(keys), unique=True) if keys else st.just([]))
    statuses = draw(st.lists(st.sampled_from(list(STATUSES)), min_size=len(chosen), max_size=len(chosen)))
    consent = pd.DataFrame(
        {"project": [k[0] for k in chosen], "holder": [k[1] for k in chosen], "status": statuses},
        columns=["project", "holder", "status"],
    )
    return consent, pieces


@settings(max_examples=50, deadline=None)
@given(_cases())
def test_rates_match_the_independent_computation_for_any_data(case):
    consent, pieces = case
    result = consent_progress(consent, pieces)
    want = independent_rates(consent, pieces)
    got = result.projects.assign(project=result.projects.project.astype(str)).set_index("project")
    assert sorted(got.index) == sorted(want.index)
    for col in ["holders", "consented", "signed"]:
        assert got[col].to_dict() == want[col].astype(int).to_dict()
    for col in ["area", "area_consented", "area_signed"]:
        np.testing.assert_allclose(got.loc[want.index, col], want[col], rtol=1e-9, atol=1e-9)
    for col in ["consent_rate", "area_consent_rate"]:  # NaN where nothing to divide by, in both
        np.testing.assert_allclose(got.loc[want.index, col], want[col].replace([np.inf, -np.inf], np.nan))
    assert (got.area_consented <= got.area + 1e-9).all()
    assert ((got.consent_rate.isna()) | got.consent_rate.between(0, 1)).all()


def test_missing_field_is_named():
    from landcoord.allocation.errors import FieldError

    pieces = pd.DataFrame({"project": ["P"], "owner": ["甲"], "piece_area": [1.0]})
    with pytest.raises(FieldError, match="'holder'.*project, owner, piece_area"):
        consent_progress(pd.DataFrame(columns=["project", "holder", "status"]), pieces)
