"""The ledger inside QGIS: its tables open as layers, the GeoPackage stays valid, edits made in QGIS are
audited and checked, and ``landcoord:consentprogress`` runs through ``processing.run``."""

from __future__ import annotations

import pyogrio
import pytest

from landcoord.allocation.ledger import LEDGER_TABLES

pytest.register_assert_rewrite("ledger_support")
from ledger_support import Where, frames_equal, make_project_gpkg, seeded  # noqa: E402

ALL_TABLES = [*LEDGER_TABLES, "ledger_audit", "ledger_transitions", "ledger_meta"]


@pytest.fixture
def ledger_gpkg(tmp_path):
    """The project GeoPackage with a ledger that has seen some consultation."""
    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    doc = tmp_path / "纪要.txt"
    doc.write_text("会议纪要", encoding="utf-8")
    with seeded(where) as ledger:
        e = ledger.add_event(
            "村民代表会议", "2024-03-01", project="P1", holders=["张三", "李四"], attachments=[doc]
        )
        ledger.add_request("要求公开补偿标准", project="P1", holder="李四", event_id=e)
        ledger.set_consent("P1", "张三", "agreed", expected_version=1, scenario_option="产权置换")
        ledger.add_event("home_visit", "2024-03-05", project="P2", holders=["深圳市土地储备中心"])
        counts = {t: len(ledger.snapshot()[t]) for t in LEDGER_TABLES}
        counts["ledger_audit"] = len(ledger.history())
    return where.location, counts


def _layer(path, name):
    from qgis.core import QgsVectorLayer

    return QgsVectorLayer(f"{path}|layername={name}", name, "ogr")


def test_qgis_opens_every_ledger_table_as_a_layer(qgis_app, ledger_gpkg):
    from qgis.core import QgsWkbTypes

    path, counts = ledger_gpkg
    for name in ALL_TABLES:
        layer = _layer(path, name)
        assert layer.isValid(), name
        assert layer.geometryType() == QgsWkbTypes.NullGeometry, name
        if name in counts:
            assert layer.featureCount() == counts[name], name
    consent = _layer(path, "ledger_consent")
    assert {"project", "holder_id", "status", "scenario_option", "version"} <= set(consent.fields().names())
    statuses = sorted(f["status"] for f in consent.getFeatures())
    assert statuses == ["agreed", "contacted", "contacted"]
    # the officer's spatial layers in the same GeoPackage are untouched and valid
    parcels = _layer(path, "parcels")
    assert parcels.isValid() and parcels.featureCount() == 12
    assert all(f.geometry().isGeosValid() for f in parcels.getFeatures())


def test_geopackage_stays_valid_for_gdal(ledger_gpkg):
    import sqlite3

    from osgeo import gdal

    path, counts = ledger_gpkg
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    registered = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
    conn.close()
    assert all(registered[t] == "attributes" for t in ALL_TABLES)
    assert registered["parcels"] == "features"
    messages = []
    gdal.PushErrorHandler(lambda cls, no, msg: messages.append(msg))
    try:
        ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
        names = {ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
        for t in ALL_TABLES:
            ds.GetLayerByName(t).GetFeatureCount()
        ds = None
    finally:
        gdal.PopErrorHandler()
    assert set(ALL_TABLES) <= names and "ledger_session" not in names
    assert [m for m in messages if "ledger" in m.lower()] == []
    assert len(pyogrio.read_dataframe(path, layer="ledger_consent")) == counts["ledger_consent"]


def test_geopackage_passes_gdals_validator(ledger_gpkg, tmp_path):
    """GDAL's GeoPackage validator, strictest settings, on a project GeoPackage with a ledger and on
    a GeoPackage the ledger created itself."""
    from landcoord.allocation.ledger import Ledger

    validate = pytest.importorskip("osgeo_utils.samples.validate_gpkg")
    path, _ = ledger_gpkg
    fresh = tmp_path / "ledger_only.gpkg"
    with Ledger.init(fresh) as ledger:
        ledger.add_holder("张三")
        ledger.add_event("hearing", "2024-01-01", project="P1", holders=["张三"])
    for gpkg in (path, str(fresh)):
        assert (
            validate.check(gpkg, abort_at_first_error=False, extra_checks=True, warning_as_error=True) == []
        )


def test_edits_made_in_qgis_are_audited_and_version_checked(qgis_app, ledger_gpkg):
    from landcoord.allocation.ledger import Ledger

    path, _ = ledger_gpkg
    with Ledger.open(path) as ledger:
        before = ledger.snapshot()
        n_audit = len(ledger.history())
    layer = _layer(path, "ledger_consent")
    feat = next(f for f in layer.getFeatures() if f["status"] == "agreed")
    i_note, i_version, i_status = (layer.fields().indexOf(n) for n in ("note", "version", "status"))
    # a change that does not name the next version is refused by the database
    layer.startEditing()
    layer.changeAttributeValue(feat.id(), i_note, "在 QGIS 里改的")
    assert not layer.commitChanges()
    layer.rollBack()
    # so is a status jump the transitions do not allow
    layer.startEditing()
    layer.changeAttributeValue(feat.id(), i_status, "refused")
    layer.changeAttributeValue(feat.id(), i_version, feat["version"] + 1)
    layer.changeAttributeValue(feat.id(), i_status, "not_contacted")
    assert not layer.commitChanges()
    layer.rollBack()
    with Ledger.open(path) as ledger:
        assert frames_equal(ledger.snapshot(), before)
        assert len(ledger.history()) == n_audit
    # a proper edit goes through and is recorded as made outside landcoord
    layer.startEditing()
    layer.changeAttributeValue(feat.id(), i_note, "在 QGIS 里改的")
    layer.changeAttributeValue(feat.id(), i_version, feat["version"] + 1)
    assert layer.commitChanges(), layer.commitErrors()
    del layer
    with Ledger.open(path) as ledger:
        last = ledger.history().iloc[-1]
        assert last.actor == "unknown (edited outside landcoord)"
        assert "note: None → 在 QGIS 里改的" in last.changes
        assert frames_equal(ledger.state_as_of(), ledger.snapshot())
        assert ledger.integrity_check() == "ok"
        # and landcoord's own writes still work on the file QGIS edited
        rec = ledger.consent_record("P1", "张三")
        assert rec.note == "在 QGIS 里改的"
        assert ledger.set_consent("P1", "张三", "signed", expected_version=rec.version).status == "signed"


def test_consentprogress_algorithm_matches_the_core(ledger_gpkg, tmp_path, run_alg):
    from landcoord.allocation.io.files import read_layer
    from landcoord.allocation.ledger import Ledger

    path, _ = ledger_gpkg
    res = run_alg(
        "landcoord:consentprogress",
        {
            "LEDGER": path,
            "PIECES": f"{path}|layername=pieces",
            "PROJECT_FIELD": "project",
            "HOLDER_FIELD": "holder",
            "AREA_FIELD": "piece_area",
            "OUTPUT": str(tmp_path / "progress.gpkg"),
            "HOLDERS": str(tmp_path / "holders.gpkg"),
            "PIECES_STATUS": str(tmp_path / "coloured.gpkg"),
        },
    )
    pieces = read_layer(f"{path}|layername=pieces")
    with Ledger.open(path) as ledger:
        core = ledger.progress(pieces)
    got = pyogrio.read_dataframe(res["OUTPUT"])
    assert list(got.columns) == list(core.projects.columns)
    for col in core.projects.columns:
        if col == "project":
            assert got[col].tolist() == core.projects[col].tolist()
        else:
            assert got[col].to_numpy() == pytest.approx(
                core.projects[col].to_numpy(dtype=float), nan_ok=True
            ), col
    holders = pyogrio.read_dataframe(res["HOLDERS"])
    assert len(holders) == len(core.holders)
    assert (
        holders.set_index(["project", "holder"]).status.to_dict()
        == core.holders.set_index(["project", "holder"]).status.to_dict()
    )
    coloured = pyogrio.read_dataframe(res["PIECES_STATUS"])
    assert len(coloured) == len(pieces)
    assert coloured.geometry.area.sum() == pytest.approx(pieces.piece_area.sum(), rel=1e-9)
    assert set(coloured.status) == {"agreed", "contacted", "not_contacted"}


def test_consentprogress_batch_over_projects_and_errors(ledger_gpkg, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    path, _ = ledger_gpkg
    base = {"LEDGER": path, "PIECES": f"{path}|layername=pieces", "OUTPUT": str(tmp_path / "p.gpkg")}
    res = run_alg("landcoord:consentprogress", {**base, "PROJECTS": "P2"})
    assert pyogrio.read_dataframe(res["OUTPUT"]).project.tolist() == ["P2"]
    with pytest.raises(QgsProcessingException, match="no consultation ledger"):
        run_alg(
            "landcoord:consentprogress", {**base, "LEDGER": str(make_project_gpkg(tmp_path / "bare.gpkg"))}
        )
