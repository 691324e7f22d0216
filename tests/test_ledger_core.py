"""The consultation ledger: a full history, its audit trail, and the rules the database enforces.

Every test runs on a GeoPackage and, when LANDCOORD_PG_DSN is set, on PostgreSQL.
"""

from __future__ import annotations

import sqlite3

import pytest

from landcoord.allocation.errors import ConcurrentEditError, InputError, LedgerError
from landcoord.allocation.ledger import LEDGER_TABLES, STATUSES, TRANSITIONS, Ledger, reachable

pytest.register_assert_rewrite("ledger_support")
from ledger_support import frames_equal, make_project_gpkg, seeded  # noqa: E402

pytest_plugins = ["ledger_support"]  # fixtures: where, postgres_dsn, pg_schema


def _full_history(ledger, tmp_path, checkpoints):
    """A consultation as it happens: visits, a survey, a meeting, requests, consent, a correction."""

    def mark(label):
        checkpoints.append((label, ledger.last_audit_id(), ledger.snapshot()))

    minutes = tmp_path / "村民代表会议纪要.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes of the meeting")
    mark("holders")
    e1 = ledger.add_event(
        "入户走访", "2024-03-01", project="P1", place="龙田村3巷5号", participants="王科长, 张三",
        summary="介绍整备方案", holders=["张三"],
    )  # fmt: skip
    mark("visit 1")
    ledger.add_event("home_visit", "2024-03-02", project="P1", holders=["李四", "王五"], summary="走访")
    mark("visit 2")
    ledger.add_event(
        "民意调查", "2024-03-10", project="P1", summary="问卷 42 份", holders=["赵六", "欧阳小明"]
    )
    mark("survey")
    e4 = ledger.add_event(
        "村民代表会议", "2024-03-20", project="P1", place="龙田社区会堂",
        holders=["龙田社区股份合作公司", "张三"], attachments=[(minutes, "会议纪要")],
    )  # fmt: skip
    mark("meeting")
    r1 = ledger.add_request(
        "要求增加回迁面积", project="P1", holder="张三", event_id=e4, request_date="2024-03-20"
    )
    mark("request")
    ledger.respond(r1, "按规则核定，不能增加", expected_version=1, response_date="2024-03-25")
    mark("response")
    for holder, steps in {
        "张三": ["negotiating", "agreed", "signed"],
        "李四": ["negotiating", "refused"],
        "王五": ["agreed"],
        "龙田社区股份合作公司": ["negotiating", "agreed", "signed"],
        "欧阳小明": ["agreed"],
    }.items():
        for status in steps:
            rec = ledger.consent_record("P1", holder)
            ledger.set_consent(
                "P1", holder, status, expected_version=rec.version,
                scenario_option="产权置换" if status == "agreed" else rec.scenario_option,
            )  # fmt: skip
            mark(f"{holder} {status}")
    ledger.update_event(e1, expected_version=1, summary="介绍整备方案及补偿标准")
    mark("event edited")
    rec = ledger.consent_record("P1", "欧阳小明")
    ledger.correct_consent("P1", "欧阳小明", "negotiating", expected_version=rec.version,
                           reason="误录：欧阳小明尚未同意")  # fmt: skip
    mark("correction")
    ledger.void_event(e1, expected_version=2, reason="重复录入")
    mark("void")
    return e1, e4, r1


def test_full_consultation_history(where, tmp_path):
    checkpoints = []
    with seeded(where) as ledger:
        e1, e4, r1 = _full_history(ledger, tmp_path, checkpoints)
        table = ledger.consent_table("P1").set_index("holder")
        assert table.status.to_dict() == {
            "张三": "signed",
            "李四": "refused",
            "王五": "agreed",
            "赵六": "contacted",
            "欧阳小明": "negotiating",
            "龙田社区股份合作公司": "signed",
        }
        assert table.loc["王五", "scenario_option"] == "产权置换"
        assert table.loc["张三", "version"] == 4  # contacted, negotiating, agreed, signed
        assert table.loc["张三", "updated_by"] == "王科长"
        assert table.loc["赵六", "status_date"] == "2024-03-10"  # contacted at the survey
        events = ledger.events("P1")
        assert list(events.kind) == ["home_visit", "home_visit", "survey", "representative_meeting"]
        assert events.loc[e1, "voided"] == 1 and events.loc[e1, "void_reason"] == "重复录入"
        assert events.loc[e4, "holders"] == "龙田社区股份合作公司; 张三"
        att = ledger.attachments(e4)
        assert len(att) == 1 and bool(att.exists.iloc[0]) and bool(att.unchanged.iloc[0])
        expected_path = (
            "村民代表会议纪要.pdf" if where.kind == "gpkg" else str(tmp_path / "村民代表会议纪要.pdf")
        )
        assert att.path.iloc[0] == expected_path  # beside the GeoPackage: stored relative to it
        (tmp_path / "村民代表会议纪要.pdf").write_bytes(b"changed afterwards")
        assert not bool(ledger.attachments(e4).unchanged.iloc[0])
        req = ledger.requests("P1").loc[r1]
        assert (req.status, req.holder, req.version) == ("answered", "张三", 2)
        # the correction is in the trail with its reason and the old value
        hist = ledger.history("ledger_consent")
        corr = hist[hist.reason.fillna("").str.startswith("correction")]
        assert len(corr) == 1 and "agreed → negotiating" in corr.changes.iloc[0]
        assert "误录" in corr.reason.iloc[0]
        # every change is attributed
        assert set(ledger.history().actor) == {"王科长"}


def test_audit_trail_reproduces_every_past_state(where, tmp_path):
    checkpoints = []
    with seeded(where) as ledger:
        _full_history(ledger, tmp_path, checkpoints)
        assert len(checkpoints) == 20
        for label, audit_id, state in checkpoints:
            assert frames_equal(ledger.state_as_of(audit_id), state), label
        assert frames_equal(ledger.state_as_of(), ledger.snapshot())
        # by time: the state at the time of an entry includes that entry and nothing after it
        hist = ledger.history()
        for label, audit_id, state in checkpoints[::5]:
            at = hist.loc[audit_id, "changed_at"] if audit_id else "2000-01-01T00:00:00Z"
            later = hist[(hist.index > audit_id) & (hist.changed_at <= at)]
            if len(later) == 0:  # no later entry in the same millisecond
                assert frames_equal(ledger.state_as_of(at=at), state), label
        # before anything: empty tables
        empty = ledger.state_as_of(0)
        assert all(len(empty[t]) == 0 for t in LEDGER_TABLES)


def test_audit_rows_and_records_cannot_be_changed_or_deleted(where):
    with seeded(where) as ledger:
        ledger.add_event("hearing", "2024-04-01", project="P1", holders=["张三"])
        n = len(ledger.history())
        before = ledger.snapshot()
        for sql in (
            "UPDATE ledger_audit SET actor = 'someone else'",
            "DELETE FROM ledger_audit",
            "DELETE FROM ledger_audit WHERE id = 1",
            "DELETE FROM ledger_consent",
            "DELETE FROM ledger_holders WHERE holder = '李四'",
            "DELETE FROM ledger_events",
            "UPDATE ledger_event_holders SET holder_id = 2",
            "DELETE FROM ledger_transitions",
            "UPDATE ledger_transitions SET to_status = 'signed'",
        ):
            with pytest.raises(LedgerError, match="append-only|never deleted"):
                ledger.backend.execute(sql)
        if where.kind == "postgres":
            with pytest.raises(LedgerError, match="append-only"):
                ledger.backend.execute("TRUNCATE ledger_audit")
        assert len(ledger.history()) == n
        assert frames_equal(ledger.snapshot(), before)


def test_database_enforces_versions_and_transitions_for_any_writer(where):
    with seeded(where) as ledger:
        ledger.add_event("home_visit", "2024-04-01", project="P1", holders=["张三"])
        # an update that does not bump the version is a stale write
        with pytest.raises(ConcurrentEditError):
            ledger.backend.execute("UPDATE ledger_consent SET note = 'x'")
        # a status jump outside the allowed transitions is refused even with a version bump
        with pytest.raises(LedgerError, match="not allowed"):
            ledger.backend.execute("UPDATE ledger_consent SET status = 'signed', version = version + 1")
        with pytest.raises(LedgerError, match="starts as"):
            ledger.backend.execute(
                "INSERT INTO ledger_consent (project, holder_id, status, version) "
                "VALUES ('P9', 1, 'signed', 1)"
            )
        # an allowed change made outside landcoord is audited as such
        ledger.backend.execute("UPDATE ledger_consent SET status = 'negotiating', version = version + 1")
        last = ledger.history().iloc[-1]
        assert "outside landcoord" in last.actor
        assert "contacted → negotiating" in last.changes
        assert frames_equal(ledger.state_as_of(), ledger.snapshot())


@pytest.mark.parametrize("current", list(STATUSES))
def test_transitions_are_enforced_as_documented(where, current):
    """From each status, exactly the documented changes are accepted by set_consent."""
    with seeded(where) as ledger:
        # reach `current` with a correction, then try every target
        for target in STATUSES:
            holder = f"户{target}"
            ledger.add_holder(holder)
            if current != "not_contacted":
                ledger.correct_consent("P1", holder, current, expected_version=0, reason="set up the test")
            rec = ledger.consent_record("P1", holder)
            assert rec.status == current
            if target == current or target in TRANSITIONS[current]:
                got = ledger.set_consent("P1", holder, target, expected_version=rec.version)
                assert got.status == target
            else:
                with pytest.raises(LedgerError, match="cannot change"):
                    ledger.set_consent("P1", holder, target, expected_version=rec.version)
                assert ledger.consent_record("P1", holder) == rec
        assert reachable(current, current)


def test_stale_version_raises_and_overwrites_nothing(where):
    with seeded(where) as ledger, where.open(officer="李科员") as other:
        ledger.add_event("home_visit", "2024-04-01", project="P1", holders=["王五"])
        seen_by_a = ledger.consent_record("P1", "王五")
        seen_by_b = other.consent_record("P1", "王五")
        assert seen_by_a == seen_by_b
        other.set_consent(
            "P1", "王五", "negotiating", expected_version=seen_by_b.version, scenario_option="货币补偿"
        )
        with pytest.raises(ConcurrentEditError, match="李科员") as e:
            ledger.set_consent(
                "P1", "王五", "agreed", expected_version=seen_by_a.version, scenario_option="产权置换"
            )
        assert "Nothing was written" in str(e.value)
        now = ledger.consent_record("P1", "王五")
        assert (now.status, now.scenario_option, now.updated_by) == ("negotiating", "货币补偿", "李科员")
        # events and requests are versioned the same way
        eid = ledger.add_event("survey", "2024-04-02", project="P1")
        other.update_event(eid, expected_version=1, summary="B")
        with pytest.raises(ConcurrentEditError):
            ledger.update_event(eid, expected_version=1, summary="A")
        assert ledger.events().loc[eid, "summary"] == "B"


def test_one_transaction_per_logical_write(where):
    with seeded(where) as ledger:
        before = ledger.snapshot()
        # an event whose attachment is missing is not recorded at all (nor its holders' contact)
        with pytest.raises(InputError, match="not a file"):
            ledger.add_event(
                "hearing", "2024-05-01", project="P1", holders=["张三"], attachments=["/nonexistent.pdf"]
            )
        assert frames_equal(ledger.snapshot(), before)
        # several writes grouped by the caller: one failure cancels all of them
        with pytest.raises(LedgerError), ledger.transaction("batch"):
            ledger.add_event("home_visit", "2024-05-02", project="P1", holders=["李四"])
            ledger.set_consent("P1", "李四", "signed", expected_version=None)  # not allowed from contacted
        assert frames_equal(ledger.snapshot(), before)
        with ledger.transaction("batch"):
            ledger.add_event("home_visit", "2024-05-02", project="P1", holders=["李四"])
            ledger.set_consent("P1", "李四", "negotiating", expected_version=None)
        assert ledger.consent_record("P1", "李四").status == "negotiating"
        assert set(ledger.history().reason.dropna()) >= {"batch"}


def test_bad_input_is_named():
    from landcoord.allocation.ledger import event_kind_code, status_code

    with pytest.raises(InputError, match="maybe.*not_contacted"):
        status_code("maybe")
    with pytest.raises(InputError, match="party.*home_visit"):
        event_kind_code("party")


def test_open_refuses_what_is_not_a_ledger(tmp_path):
    with pytest.raises(LedgerError, match="does not exist"):
        Ledger.open(tmp_path / "none.gpkg")
    project = make_project_gpkg(tmp_path / "p.gpkg")
    with pytest.raises(LedgerError, match="no consultation ledger"):
        Ledger.open(project)
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(LedgerError, match="not a GeoPackage"):
        Ledger.init(plain)
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(LedgerError, match="not a GeoPackage"):
        Ledger.init(junk)


def test_init_is_idempotent_and_creates_a_geopackage(tmp_path):
    path = tmp_path / "new" / "ledger.gpkg"
    with Ledger.init(path, officer="a") as ledger:
        ledger.add_holder("张三")
    with Ledger.init(path, officer="b") as ledger:
        assert list(ledger.holders().holder) == ["张三"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    tables = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
    assert {t: tables.get(t) for t in LEDGER_TABLES} == dict.fromkeys(LEDGER_TABLES, "attributes")
    assert tables["ledger_audit"] == "attributes"
    conn.close()


def test_officer_defaults_to_environment_then_os_user(tmp_path, monkeypatch):
    import getpass

    path = make_project_gpkg(tmp_path / "p.gpkg")
    monkeypatch.setenv("LANDCOORD_OFFICER", "陈主任")
    with Ledger.init(path) as ledger:
        ledger.add_holder("甲")
    monkeypatch.delenv("LANDCOORD_OFFICER")
    with Ledger.open(path) as ledger:
        ledger.add_holder("乙")
        hist = ledger.history()
    assert list(hist.actor) == ["陈主任", getpass.getuser()]
    assert set(hist.os_user) == {getpass.getuser()}


def test_session_row_is_protected_and_a_task_thread_can_write(tmp_path):
    import threading

    from ledger_support import Where

    where = Where("gpkg", str(make_project_gpkg(tmp_path / "p.gpkg")))
    with seeded(where) as ledger:
        with pytest.raises(LedgerError, match="one row"):
            ledger.backend.execute("DELETE FROM ledger_session")
        errors = []

        def task():  # as a QgsTask would run it, in another thread
            try:
                ledger.add_event("home_visit", "2024-05-01", project="P1", holders=["张三"])
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        worker = threading.Thread(target=task)
        worker.start()
        worker.join()
        assert errors == []
        assert ledger.consent_record("P1", "张三").status == "contacted"
