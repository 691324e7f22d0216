"""Consent by area counts held_area everywhere (issue 19): the core, ``landcoord consent progress`` and
the Processing algorithm ``landcoord:consentprogress`` (and the dock, which runs it) agree. Pieces
without held_area (written before it existed) count piece_area, and all three say so."""

from __future__ import annotations

import pandas as pd
import pyogrio
import pytest

pytest.register_assert_rewrite("ledger_support")
from ledger_support import Where, make_project_gpkg, ok, run_landcoord, seeded  # noqa: E402


@pytest.fixture
def project(tmp_path):
    """A project GeoPackage with a ledger (张三 agreed in P1) and two pieces layers: ``pieces`` whose
    held_area differs from piece_area (as where two parcels claim the same land), and ``old_pieces``
    without held_area."""
    from landcoord.allocation.io.files import read_layer, write_layers

    path = make_project_gpkg(tmp_path / "project.gpkg")
    pieces = read_layer(f"{path}|layername=pieces")
    halved = pieces.holder == "张三"
    assert halved.any()
    pieces.loc[halved, "held_area"] = pieces.loc[halved, "piece_area"] / 2
    write_layers(path, {"pieces": pieces, "old_pieces": pieces.drop(columns="held_area")})
    with seeded(Where("gpkg", str(path))) as ledger:
        ledger.set_consent("P1", "张三", "contacted", expected_version=0)
        ledger.set_consent("P1", "张三", "agreed", expected_version=1)
    return path, pieces


def _feedback():
    """A QgsProcessingFeedback that keeps the info lines (``.infos``)."""
    from qgis.core import QgsProcessingFeedback

    class Keeping(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.infos = []

        def pushInfo(self, info):
            self.infos.append(info)
            super().pushInfo(info)

    return Keeping()


def _areas(frame):
    """``{"area P1": ..., "area_consented P1": ...}`` of a progress table."""
    return {
        f"{col} {p}": float(v)
        for col in ("area", "area_consented")
        for p, v in zip(frame["project"].astype(str), frame[col])
    }


def _by_project(pieces, field):
    """``{"area P1": ...}``: the pieces' ``field`` summed per project."""
    return {
        f"area {p}": float(v) for p, v in pieces.groupby(pieces["project"].astype(str))[field].sum().items()
    }


def _area_only(areas):
    return {k: v for k, v in areas.items() if k.startswith("area ")}


def test_processing_cli_and_core_count_held_area(project, tmp_path, run_alg):
    from landcoord.allocation.ledger import Ledger

    path, pieces = project
    with Ledger.open(path) as ledger:
        core = ledger.progress(pieces)
    assert not core.notes
    want = _areas(core.projects)
    # the land of 张三 counted once: half of its pieces
    assert _area_only(want) == pytest.approx(_by_project(pieces, "held_area"))
    assert _area_only(want) != pytest.approx(_by_project(pieces, "piece_area"))

    # Processing with its default area field
    fb = _feedback()
    res = run_alg(
        "landcoord:consentprogress",
        {"LEDGER": str(path), "PIECES": f"{path}|layername=pieces", "OUTPUT": str(tmp_path / "p.gpkg")},
        fb,
    )
    assert _areas(pyogrio.read_dataframe(res["OUTPUT"])) == pytest.approx(want)
    assert not any("held_area" in line for line in fb.infos)

    # the command line, by default and with --area-field held_area
    for extra in ([], ["--area-field", "held_area"]):
        out = tmp_path / f"cli{len(extra)}.csv"
        proc = run_landcoord(
            "consent",
            "progress",
            path,
            "--pieces",
            f"{path}|layername=pieces",
            *extra,
            "--out",
            out,
            officer="王科长",
        )
        ok(proc)
        assert "held_area" not in proc.stderr
        assert _areas(pd.read_csv(out, encoding="utf-8-sig")) == pytest.approx(want)

    # naming piece_area still counts piece_area
    res = run_alg(
        "landcoord:consentprogress",
        {
            "LEDGER": str(path),
            "PIECES": f"{path}|layername=pieces",
            "AREA_FIELD": "piece_area",
            "OUTPUT": str(tmp_path / "pa.gpkg"),
        },
    )
    by_piece = _areas(pyogrio.read_dataframe(res["OUTPUT"]))
    assert _area_only(by_piece) == pytest.approx(_by_project(pieces, "piece_area"))


def test_pieces_without_held_area_count_piece_area_with_a_note(project, tmp_path, run_alg):
    from landcoord.allocation.ledger import Ledger

    path, pieces = project
    old = pieces.drop(columns="held_area")
    with Ledger.open(path) as ledger:
        core = ledger.progress(old)
    assert (
        len(core.notes) == 1 and "no field 'held_area'" in core.notes[0] and "'piece_area'" in core.notes[0]
    )
    want = _areas(core.projects)
    assert _area_only(want) == pytest.approx(_by_project(pieces, "piece_area"))

    fb = _feedback()
    res = run_alg(
        "landcoord:consentprogress",
        {"LEDGER": str(path), "PIECES": f"{path}|layername=old_pieces", "OUTPUT": str(tmp_path / "p.gpkg")},
        fb,
    )
    assert _areas(pyogrio.read_dataframe(res["OUTPUT"])) == pytest.approx(want)
    assert any("no field 'held_area'" in line and "old_pieces" in line for line in fb.infos), fb.infos

    out = tmp_path / "cli.csv"
    proc = run_landcoord(
        "consent",
        "progress",
        path,
        "--pieces",
        f"{path}|layername=old_pieces",
        "--out",
        out,
        officer="王科长",
    )
    ok(proc)
    assert "note: Layer 'old_pieces' has no field 'held_area'" in proc.stderr
    assert _areas(pd.read_csv(out, encoding="utf-8-sig")) == pytest.approx(want)
    # a field named but absent is an error, not a fallback
    proc = run_landcoord(
        "consent",
        "progress",
        path,
        "--pieces",
        f"{path}|layername=old_pieces",
        "--area-field",
        "held_area",
        officer="王科长",
    )
    assert proc.returncode == 2 and "held_area" in proc.stderr
