"""City scale on the bundled sample project: the same figures as the single process."""

from __future__ import annotations

import pytest

from landcoord.allocation.affected import affected_area
from landcoord.allocation.city import city_screen
from landcoord.allocation.conflicts import plan_conflicts
from landcoord.allocation.io.files import read_layer

pytest.register_assert_rewrite("city_support")
from city_support import assert_same_affected, assert_same_conflicts  # noqa: E402

FIELDS = {
    "parcel_field": "宗地号",
    "holder_field": "权利人",
    "status_field": "用地状态",
    "project_field": "项目编号",
}


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_sample_project_city_screen_equals_the_single_process(sample_gpkg, scheduler):
    projects = read_layer(f"{sample_gpkg}|layername=projects")
    parcels = read_layer(f"{sample_gpkg}|layername=parcels")
    controls = read_layer(f"{sample_gpkg}|layername=controls")
    city = city_screen(
        f"{sample_gpkg}|layername=projects",
        f"{sample_gpkg}|layername=parcels",
        controls=f"{sample_gpkg}|layername=controls",
        kind_field="类型",
        partitions=2,
        scheduler=scheduler,
        workers=2,
        **FIELDS,
    )
    assert len(city.partitions) == 2  # one project per partition; parcels between them go to both
    one = affected_area(projects, parcels, **FIELDS)
    assert_same_affected(one, city)
    assert city.affected.warnings == one.warnings  # repairs, parcels without holder, overlaps: once
    assert_same_conflicts(
        plan_conflicts(projects, controls, kind_field="类型", input_id_field="项目编号"), city
    )
    assert city.projects["balanced"].all()
    assert city.projects["project"].tolist() == list(projects["项目编号"])
