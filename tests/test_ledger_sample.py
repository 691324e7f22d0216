"""The ledger on a whole project: the demo's consultation step, and the bundled sample project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

pytest.register_assert_rewrite("ledger_support")
from ledger_support import independent_rates, make_project_gpkg  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "landcoord_sample.gpkg"


def _check_demo(result, out, pieces, capsys_out):
    from landcoord.allocation.ledger import Ledger

    with Ledger.open(out / "project.gpkg") as ledger:
        consent = ledger.consent_table()
        assert ledger.integrity_check() == "ok"
        assert set(ledger.history().actor) == {"演示 (demo)"}
    want = independent_rates(consent, pieces)
    got = result.projects.assign(project=result.projects.project.astype(str)).set_index("project")
    assert got["consented"].to_dict() == want["consented"].astype(int).to_dict()
    assert got["area_consent_rate"].to_numpy() == pytest.approx(
        want.loc[got.index, "area_consent_rate"].to_numpy()
    )
    written = pd.read_csv(out / "consent_progress.csv", encoding="utf-8-sig")
    assert len(written) == len(result.projects)
    assert "SIMULATED" in capsys_out and "replayed to the current state: yes" in capsys_out


def test_demo_step_on_a_synthetic_project(tmp_path, capsys):
    from landcoord.allocation.io.files import read_layer
    from landcoord.cli.consent import demo_step

    gpkg = make_project_gpkg(tmp_path / "project.gpkg")
    before = gpkg.read_bytes()
    pieces = read_layer(f"{gpkg}|layername=pieces")
    out = tmp_path / "out"
    result = demo_step(gpkg, pieces, out)
    assert gpkg.read_bytes() == before  # the input is never modified
    _check_demo(result, out, pieces, capsys.readouterr().out)
    p1 = result.projects.set_index("project").loc["P1"]
    assert p1.signed >= 1 and p1.n_refused >= 0 and p1.holders == 6


def _consultation_on(source: Path, tmp_path, capsys):
    """A full consultation on a project GeoPackage with the sample's layers and fields."""
    from landcoord.allocation.affected import affected_area
    from landcoord.allocation.io.files import read_layer
    from landcoord.allocation.ledger import Ledger
    from landcoord.cli.consent import demo_step

    project = tmp_path / "sample.gpkg"
    shutil.copyfile(source, project)
    parcels = read_layer(f"{project}|layername=parcels")
    bounds = read_layer(f"{project}|layername=projects")
    pieces = affected_area(
        bounds,
        parcels,
        parcel_field="宗地号",
        holder_field="权利人",
        status_field="用地状态",
        project_field="项目编号",
    ).pieces
    out = tmp_path / "out"
    result = demo_step(project, pieces, out)
    assert len(result.projects) == bounds["项目编号"].nunique()
    _check_demo(result, out, pieces, capsys.readouterr().out)
    with Ledger.open(out / "project.gpkg") as ledger:
        holders = ledger.holders()
        assert set(holders.holder) == {str(h) for h in parcels["权利人"].dropna()}
        assert set(holders.holder_type.dropna()) <= {"社区股份合作公司", "个人", "国有单位"}
        assert set(holders.community.dropna()) <= {str(c) for c in parcels["社区"].dropna()}
        # every past state is reproduced by the audit trail
        hist = ledger.history()
        for audit_id in list(hist.index[:: max(len(hist) // 25, 1)]) + [int(hist.index[-1])]:
            state = ledger.state_as_of(int(audit_id))
            assert all(len(state[t]) <= len(ledger.snapshot()[t]) for t in state)
        assert all(
            a.to_dict("index") == b.to_dict("index")
            for a, b in zip(ledger.state_as_of().values(), ledger.snapshot().values())
        )
    # the sample's spatial layers are untouched in the copy the ledger lives in
    assert len(read_layer(f"{out / 'project.gpkg'}|layername=parcels")) == len(parcels)


@pytest.mark.skipif(not SAMPLE.exists(), reason="the sample project has not landed on this branch yet")
def test_full_consultation_on_the_sample_project(tmp_path, capsys):
    """The sample village: holders from 权利人 (with 权利人类型 and 社区), both projects."""
    _consultation_on(SAMPLE, tmp_path, capsys)


def test_full_consultation_on_a_project_with_the_samples_schema(tmp_path, capsys):
    """The same on the synthetic project, which has the sample's layers and fields."""
    _consultation_on(make_project_gpkg(tmp_path / "synthetic.gpkg"), tmp_path, capsys)
