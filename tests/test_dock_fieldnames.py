"""The field and layer recogniser the dock pre-fills its combo boxes with (pure core, no QGIS)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landcoord.allocation.fieldnames import (
    FIELD_ROLES,
    LAYER_ROLES,
    normalise,
    recognise_field,
    recognise_fields,
    recognise_layer,
    recognise_layers,
)

SAMPLE_PARCELS = ["宗地号", "权利人", "权利人类型", "社区", "用地状态", "身份证号", "联系电话"]


def test_sample_cadastre_fields():
    got = recognise_fields(["parcel_id", "holder", "holder_type", "status", "community"], SAMPLE_PARCELS)
    assert got == {
        "parcel_id": "宗地号",
        "holder": "权利人",
        "holder_type": "权利人类型",
        "status": "用地状态",
        "community": "社区",
    }


@pytest.mark.parametrize(
    ("names", "want"),
    [
        (["PARCEL_ID", "OWNER", "STATUS"], {"parcel_id": "PARCEL_ID", "holder": "OWNER", "status": "STATUS"}),
        (["ZDH", "QLR", "YDZT"], {"parcel_id": "ZDH", "holder": "QLR", "status": "YDZT"}),
        (["zddm", "qlrmc", "tdzt"], {"parcel_id": "zddm", "holder": "qlrmc", "status": "tdzt"}),
        (
            ["Parcel Id", "Holder", "Land-Status"],
            {"parcel_id": "Parcel Id", "holder": "Holder", "status": "Land-Status"},
        ),
        (
            ["宗地编号", "权利人名称", "土地状态"],
            {"parcel_id": "宗地编号", "holder": "权利人名称", "status": "土地状态"},
        ),
        # keyword round: longer names that contain the role's keyword
        (
            ["宗地号码", "权利人姓名", "现用地状态"],
            {"parcel_id": "宗地号码", "holder": "权利人姓名", "status": "现用地状态"},
        ),
    ],
)
def test_chinese_pinyin_and_english_names(names, want):
    assert recognise_fields(["parcel_id", "holder", "status"], names) == want


def test_exclusions_keep_look_alike_fields_out():
    # holder type, id-card number and phone of the holder are not the holder
    assert recognise_field("holder", ["权利人类型", "权利人证件号", "权利人电话"]) is None
    assert recognise_field("holder", ["owner_type", "owner_id"]) is None
    # the community company is not the community
    assert recognise_field("community", ["社区股份合作公司"]) is None
    # a footprint is not the floor area
    assert recognise_field("floor_area", ["基底面积"]) is None
    assert recognise_field("floor_area", ["基底面积", "建筑面积"]) == "建筑面积"


def test_exact_names_win_over_keywords_and_are_not_taken_twice():
    # "status" is both a land status and a building status name: one field, one role
    got = recognise_fields(["status", "building_status"], ["status", "合法状态"])
    assert got == {"status": "status", "building_status": "合法状态"}
    # a keyword match of an earlier role never takes a field a later role names exactly
    got = recognise_fields(["holder", "community"], ["社区", "owner_name"])
    assert got == {"holder": "owner_name", "community": "社区"}


def test_nothing_recognised_gives_nothing():
    assert recognise_fields(["parcel_id", "holder"], ["fid", "shape_area"]) == {}
    assert recognise_field("kind", []) is None


def test_unknown_role_names_the_known_ones():
    with pytest.raises(KeyError, match="Known roles: project_id"):
        recognise_field("parcelid", ["宗地号"])
    with pytest.raises(KeyError, match="Unknown layer role 'parcel'"):
        recognise_layer("parcel", ["parcels"])


def test_sample_layers_and_loaded_names():
    names = ["projects", "parcels", "buildings", "controls", "zoning", "holdings", "roads"]
    got = recognise_layers({role: names for role in LAYER_ROLES})
    assert got == {
        "boundary": "projects",
        "cadastre": "parcels",
        "buildings": "buildings",
        "controls": "controls",
        "zoning": "zoning",
        "holdings": "holdings",
        "roads": "roads",
    }
    loaded = [f"landcoord_sample — {n}" for n in names]
    got = recognise_layers({role: loaded for role in LAYER_ROLES})
    assert got["cadastre"] == "landcoord_sample — parcels"
    assert got["boundary"] == "landcoord_sample — projects"
    assert len(set(got.values())) == len(got)


def test_chinese_layer_names():
    names = ["项目范围", "宗地", "楼栋", "控制线", "控规", "道路中线", "规划道路红线"]
    got = recognise_layers({role: names for role in LAYER_ROLES})
    assert got["boundary"] == "项目范围"
    assert got["cadastre"] == "宗地"
    assert got["buildings"] == "楼栋"
    assert got["controls"] == "控制线"
    assert got["zoning"] == "控规"
    assert got["roads"] == "道路中线"


names_st = st.lists(
    st.one_of(
        st.sampled_from([n for r in FIELD_ROLES.values() for n in r.names]),
        st.text(min_size=1, max_size=8),
    ),
    max_size=12,
    unique=True,
)


@settings(deadline=None)
@given(names_st)
def test_result_is_always_one_of_the_names_and_never_shared(names):
    got = recognise_fields(list(FIELD_ROLES), names)
    assert set(got.values()) <= set(names)
    assert len(set(got.values())) == len(got)


@settings(deadline=None)
@given(names_st, st.sampled_from(sorted(FIELD_ROLES)))
def test_an_exact_known_name_is_always_found(names, role):
    known = FIELD_ROLES[role].names[0]
    if any(normalise(n) == normalise(known) for n in names):
        return
    assert recognise_field(role, [*names, known]) is not None
