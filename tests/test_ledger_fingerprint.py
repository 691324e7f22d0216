"""The ledger's fingerprint code (校验码): what it covers, that it survives new entries, and that it
catches a record rewritten behind the triggers' back.

The code is recomputed here independently (plain ``sqlite3``/``psycopg2``, ``json`` and ``hashlib``,
from the specification in ``Ledger.fingerprint``'s docstring); tampering is done as someone with a
SQLite tool would do it: drop the triggers, then edit. Tests marked by the ``where`` fixture run on a
GeoPackage and on PostgreSQL (skipped when no server can be started).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landcoord.allocation.errors import InputError, LedgerError
from landcoord.allocation.ledger import STATUSES, Ledger, LedgerFingerprint

pytest.register_assert_rewrite("ledger_support")
from ledger_support import Where, make_project_gpkg, seeded  # noqa: E402

pytest_plugins = ["ledger_support", "dock_support"]  # fixtures: where, pg_schema; dock

AUDIT_COLUMNS = [
    "id",
    "changed_at",
    "actor",
    "os_user",
    "action",
    "table_name",
    "record_id",
    "old_values",
    "new_values",
    "reason",
]
#: the datetime columns of the audited tables (their values inside old_values/new_values)
DATETIME_KEYS = ("updated_at", "added_at")
ISO_MS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
CODE = re.compile(r"LC1-\d+-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")


# -- an independent recomputation, from the docstring of Ledger.fingerprint --------------------------
def _utc_ms(value) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _chain(rows, fix_time) -> tuple[int, str]:
    h = hashlib.sha256(b"landcoord-ledger-v1").digest()
    for row in rows:
        obj = dict(zip(AUDIT_COLUMNS, row))
        obj["changed_at"] = fix_time(obj["changed_at"])
        for column in ("old_values", "new_values"):
            if obj[column] is not None:
                values = json.loads(obj[column])
                for key in DATETIME_KEYS:
                    if values.get(key) is not None:
                        values[key] = fix_time(values[key])
                obj[column] = values
        text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        h = hashlib.sha256(h + text.encode("utf-8")).digest()
    return len(rows), h.hex()


def _as_stored_by_sqlite(value: str) -> str:
    # SQLite's trigger and landcoord's utc_now write the canonical text already: nothing to convert
    assert ISO_MS.fullmatch(value), value
    return value


def sqlite_digest(path, n=None) -> tuple[int, str]:
    """(entries, digest) of the first ``n`` audit entries of a GeoPackage, with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM ledger_audit ORDER BY id").fetchall()
    finally:
        conn.close()
    return _chain(rows if n is None else rows[:n], _as_stored_by_sqlite)


def postgres_digest(dsn, schema, n=None) -> tuple[int, str]:
    """The same on PostgreSQL, with plain psycopg2 (timestamps converted to UTC milliseconds)."""
    import psycopg2

    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(f'SET search_path TO "{schema}"')
            cur.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM ledger_audit ORDER BY id")
            rows = cur.fetchall()
    finally:
        conn.close()
    return _chain(rows if n is None else rows[:n], _utc_ms)


def independent_digest(where: Where, n=None) -> tuple[int, str]:
    if where.kind == "gpkg":
        return sqlite_digest(where.location, n)
    return postgres_digest(where.location, where.schema, n)


def code_of(entries: int, digest: str) -> str:
    return f"LC1-{entries}-" + "-".join(digest[i : i + 4].upper() for i in range(0, 16, 4))


# -- histories and tampering -----------------------------------------------------------------------------
def consult(ledger, attachment: Path) -> None:
    """A consultation with every kind of audited write, Chinese text, quotes and a line break."""
    ledger.add_event(
        "入户走访", "2024-03-01", project="P1", place="龙田村3巷5号",
        summary='介绍整备方案\n第二行："引号" 与 \\ 反斜杠', holders=["张三", "李四"],
    )  # fmt: skip
    e = ledger.add_event(
        "村民代表会议", "2024-03-20", project="P1", holders=["龙田社区股份合作公司"],
        attachments=[(attachment, "会议纪要")],
    )  # fmt: skip
    r = ledger.add_request(
        "要求增加回迁面积", project="P1", holder="张三", event_id=e, request_date="2024-03-20"
    )
    ledger.respond(r, "按规则核定，不能增加", expected_version=1, response_date="2024-03-25")
    ledger.set_consent("P1", "张三", "negotiating", expected_version=1)
    ledger.set_consent("P1", "张三", "agreed", expected_version=2, scenario_option="产权置换")
    ledger.correct_consent("P1", "李四", "signed", expected_version=1, reason="误录：补录已签约")
    ledger.update_holder("王五", expected_version=1, contact="138****0000")
    ledger.void_event(e, expected_version=1, reason="重复录入")


def more(ledger) -> None:
    """Consultation after the code was taken."""
    ledger.add_event("听证会", "2024-04-10", project="P1", holders=["王五", "赵六"])
    ledger.set_consent("P1", "王五", "agreed", expected_version=1, scenario_option="货币补偿")


def attachment_file(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    path = folder / "村民代表会议纪要.pdf"
    path.write_bytes(b"%PDF-1.4 minutes")
    return path


def sqlite_tamper(path, *statements) -> None:
    """What anyone with a SQLite tool can do: drop every trigger, then write."""
    conn = sqlite3.connect(path)
    try:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def postgres_tamper(dsn, schema, *statements) -> None:
    """The same on PostgreSQL, as the owner of the tables: triggers disabled, then writes."""
    import psycopg2

    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(f'SET search_path TO "{schema}"')
            for table in ("ledger_audit", "ledger_consent", "ledger_holders", "ledger_events"):
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            for sql in statements:
                cur.execute(sql)
        conn.commit()
    finally:
        conn.close()


def tamper(where: Where, *statements) -> None:
    if where.kind == "gpkg":
        sqlite_tamper(where.location, *statements)
    else:
        postgres_tamper(where.location, where.schema, *statements)


def landcoord(*args, process=False):
    """``landcoord ARGS``: through ``cli.main`` in this process, or as a subprocess."""
    argv = [str(a) for a in args]
    if process:
        return subprocess.run(
            [sys.executable, "-m", "landcoord", *argv], capture_output=True, text=True, timeout=120
        )
    from landcoord.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


# -- the code ---------------------------------------------------------------------------------------------
def test_code_is_the_documented_hash_chain(where, tmp_path):
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
        assert isinstance(fp, LedgerFingerprint)
        hist = ledger.history()
        assert fp.entries == len(hist) > 20
        assert fp.last_audit_id == hist.index[-1]
        assert fp.last_changed_at == hist.changed_at.iloc[-1]
        assert CODE.fullmatch(fp.code) and fp.code.startswith(f"LC1-{fp.entries}-")
        assert re.fullmatch(r"[0-9a-f]{64}", fp.digest)
        assert (fp.entries, fp.digest) == independent_digest(where)
        assert fp.code == code_of(*independent_digest(where))
        # up to an entry: the entries with an id up to it
        for upto in (0, 1, 7, fp.last_audit_id // 2, fp.last_audit_id, fp.last_audit_id + 100):
            part = ledger.fingerprint(upto=upto)
            n = min(upto, fp.entries)
            assert (part.entries, part.digest) == independent_digest(where, n), upto
            assert part.last_audit_id == n
        assert ledger.fingerprint(upto=0).digest == hashlib.sha256(b"landcoord-ledger-v1").hexdigest()
        assert ledger.fingerprint(upto=0).last_changed_at is None
        # reading is not writing: the code does not change by being taken
        assert ledger.fingerprint() == fp
        with pytest.raises(InputError, match="whole number"):
            ledger.fingerprint(upto=-1)


def test_same_history_gives_the_same_code_on_geopackage_and_postgres(
    tmp_path, postgres_dsn, pg_schema, monkeypatch
):
    """One consultation recorded in a GeoPackage and in PostgreSQL, each stored the backend's own way
    (SQLite's json_object and ...Z text; PostgreSQL's jsonb and timestamptz): one code."""
    import psycopg2

    import landcoord.allocation.ledger.ledger as ledger_module

    attachment = attachment_file(tmp_path)  # outside the GeoPackage's folder: stored as the same path
    (tmp_path / "gpkg").mkdir()
    places = [
        Where("gpkg", str(make_project_gpkg(tmp_path / "gpkg" / "project.gpkg"))),
        Where("postgres", postgres_dsn, pg_schema),
    ]
    start = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    for where in places:
        # the times landcoord writes into the records (updated_at, added_at), the same in both
        clock = (start + timedelta(milliseconds=1001 * i) for i in itertools.count())
        monkeypatch.setattr(ledger_module, "utc_now", lambda clock=clock: _utc_ms(next(clock)))
        with seeded(where) as ledger:
            consult(ledger, attachment)
    # the audit trail's own times come from each database's clock: set them to the same instants,
    # written the backend's way (PostgreSQL with microseconds, in UTC+8)
    n = sqlite_digest(places[0].location)[0]
    stamps = [start + timedelta(seconds=7 * i, microseconds=123_456 + i) for i in range(1, n + 1)]
    sqlite_tamper(
        places[0].location,
        *(
            f"UPDATE ledger_audit SET changed_at = '{_utc_ms(t)}' WHERE id = {i}"
            for i, t in enumerate(stamps, 1)
        ),
    )
    china = timezone(timedelta(hours=8))
    conn = psycopg2.connect(postgres_dsn)
    with conn.cursor() as cur:
        cur.execute(f'SET search_path TO "{pg_schema}"')
        cur.execute("ALTER TABLE ledger_audit DISABLE TRIGGER ALL")
        for i, t in enumerate(stamps, 1):
            cur.execute("UPDATE ledger_audit SET changed_at = %s WHERE id = %s", (t.astimezone(china), i))
        cur.execute("ALTER TABLE ledger_audit ENABLE TRIGGER ALL")
        cur.execute("SELECT new_values FROM ledger_audit WHERE table_name = 'ledger_attachments'")
        native = json.loads(cur.fetchone()[0])
    conn.commit()
    conn.close()
    assert native["added_at"].endswith("+00:00")  # not the GeoPackage's ...Z: normalised by the chain
    with Ledger.open(places[0].location) as gpkg, Ledger.open(postgres_dsn, schema=pg_schema) as pg:
        assert gpkg.fingerprint() == pg.fingerprint()
        for upto in (1, 5, 12, n - 1):
            assert gpkg.fingerprint(upto=upto) == pg.fingerprint(upto=upto)
        fp = pg.fingerprint()
        assert fp.entries == n and fp.last_changed_at == _utc_ms(stamps[-1])
        assert gpkg.verify(fp.code).ok and pg.verify(gpkg.fingerprint().code).ok
    assert (fp.entries, fp.digest) == sqlite_digest(places[0].location)
    assert (fp.entries, fp.digest) == postgres_digest(postgres_dsn, pg_schema)


def test_entries_added_later_keep_the_code_verifiable(where, tmp_path):
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
        same = ledger.verify(fp.code)
        assert (same.ok, same.chain_ok, same.replay_ok) == (True, True, True)
        assert same.entries_then == same.entries_now == fp.entries
        assert "no entry was added" in same.message
        more(ledger)
        later = ledger.verify(fp.code)
        added = later.entries_now - fp.entries
        assert later.ok and later.chain_ok and later.replay_ok and added == 6  # event, 2 links, 3 consent
        assert later.message == (
            f"The ledger's first {fp.entries} audit entries are unchanged since code {fp.code}; "
            f"{added} entries were added since."
        )
    # and after reopening, from another connection
    with where.open() as ledger:
        assert ledger.verify(fp.code).ok
        assert ledger.fingerprint(upto=fp.last_audit_id) == fp


def test_a_code_is_read_as_people_copy_it():
    from landcoord.allocation.ledger.audit import parse_code

    assert parse_code("LC1-42-3F2A-9C1B-77D0-E4A5") == (42, "3F2A9C1B77D0E4A5")
    for variant in (
        " lc1-42-3f2a-9c1b-77d0-e4a5 ",
        "LC1–42–3F2A–9C1B–77D0–E4A5",  # en dashes, as a word processor writes them
        "LC1－42－3F2A－9C1B－77D0－E4A5",  # full-width, as a Chinese input method types them
        "LC1 42 3F2A 9C1B 77D0 E4A5",
    ):
        assert parse_code(variant) == (42, "3F2A9C1B77D0E4A5"), variant
    for bad in ("", "LC1-42", "LC2-42-3F2A-9C1B-77D0-E4A5", "LC1-42-3F2A-9C1B-77D0-E4AZ", "LC1-x-3F2A-9C1B"):
        assert parse_code(bad) is None, bad


def test_a_malformed_code_is_bad_input_that_shows_the_format(tmp_path):
    with seeded(Where("gpkg", str(make_project_gpkg(tmp_path / "p.gpkg")))) as ledger:
        for bad in ("LC1-12", "12-ABCD", "听证会校验码", ""):
            with pytest.raises(InputError, match=r"LC1-<entries>-XXXX-XXXX-XXXX-XXXX"):
                ledger.verify(bad)


# -- tampering ----------------------------------------------------------------------------------------
MIDDLE = "(SELECT min(id) FROM ledger_audit WHERE table_name = 'ledger_consent')"


@pytest.mark.parametrize(
    ("case", "statements", "later_entries"),
    [
        (
            "an audit entry's new values edited",
            [
                "UPDATE ledger_audit SET new_values = json_set(new_values, '$.note', '已同意') "
                f"WHERE id = {MIDDLE}"
            ],
            False,
        ),
        (
            "an audit entry's reason edited",
            [f"UPDATE ledger_audit SET reason = NULL WHERE id = {MIDDLE}"],
            False,
        ),
        (
            "an audit entry's time edited",
            [f"UPDATE ledger_audit SET changed_at = '2024-01-01T00:00:00.000Z' WHERE id = {MIDDLE}"],
            False,
        ),
        (
            "the last audit entry deleted",
            ["DELETE FROM ledger_audit WHERE id = (SELECT max(id) FROM ledger_audit)"],
            False,
        ),
        ("an audit entry deleted, later ones exist", [f"DELETE FROM ledger_audit WHERE id = {MIDDLE}"], True),
        (
            "an audit entry deleted and the ids renumbered",
            [
                "CREATE TEMP TABLE gone AS SELECT " + MIDDLE + " AS id",
                "DELETE FROM ledger_audit WHERE id = (SELECT id FROM gone)",
                "UPDATE ledger_audit SET id = -(id - 1) WHERE id > (SELECT id FROM gone)",
                "UPDATE ledger_audit SET id = -id WHERE id < 0",
            ],
            True,
        ),
        (
            "an audit entry inserted in the middle (ids renumbered)",
            [
                "CREATE TEMP TABLE at AS SELECT " + MIDDLE + " AS id",
                "UPDATE ledger_audit SET id = -(id + 1) WHERE id >= (SELECT id FROM at)",
                "UPDATE ledger_audit SET id = -id WHERE id < 0",
                "INSERT INTO ledger_audit (id, changed_at, actor, os_user, action, table_name, record_id, "
                "old_values, new_values, reason) SELECT (SELECT id FROM at), changed_at, actor, os_user, "
                "'update', table_name, record_id, new_values, json_set(new_values, '$.status', 'refused'), "
                "'拒绝' FROM ledger_audit WHERE id = (SELECT id FROM at) + 1",
            ],
            False,
        ),
    ],
)
def test_a_rewritten_audit_trail_no_longer_gives_the_code(tmp_path, case, statements, later_entries):
    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
        if later_entries:
            more(ledger)
    sqlite_tamper(where.location, *statements)
    with where.open() as ledger:
        result = ledger.verify(fp.code)
        now = ledger.fingerprint()
    assert not result.ok and not result.chain_ok, case
    assert result.entries_now == now.entries and result.entries_then == fp.entries
    assert result.message.startswith("CHANGED: "), result.message
    if result.entries_now < fp.entries:
        assert "removed after the code was taken" in result.message
    else:
        assert f"the first {fp.entries} audit entries no longer give code {fp.code}" in result.message
    assert independent_digest(where, fp.entries)[1] != fp.digest


def test_history_rewritten_consistently_is_caught_by_the_chain(where, tmp_path):
    """Someone changes a consent AND its audit entry, so that the replay still agrees: the tables
    look coherent, but the code taken before the hearing no longer matches."""
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
        record = ledger.consent_record("P1", "张三")
        last = ledger.history("ledger_consent", record.record_id).index[-1]
    if where.kind == "gpkg":
        new = "json_set(new_values, '$.status', 'refused')"
    else:
        new = "jsonb_set(new_values::jsonb, '{status}', '\"refused\"')::text"
    tamper(
        where,
        f"UPDATE ledger_audit SET new_values = {new} WHERE id = {last}",
        f"UPDATE ledger_consent SET status = 'refused' WHERE id = {record.record_id}",
    )
    with where.open() as ledger:
        assert ledger.consent_record("P1", "张三").status == "refused"
        assert ledger.replay_matches()
        result = ledger.verify(fp.code)
    assert (result.ok, result.chain_ok, result.replay_ok) == (False, False, True)
    assert result.message == (
        f"CHANGED: the first {fp.entries} audit entries no longer give code {fp.code}; the record was "
        "altered after the code was taken."
    )


def test_a_table_edited_without_the_audit_trail_fails_the_replay(where, tmp_path):
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
        assert ledger.replay_matches()
        record = ledger.consent_record("P1", "张三")
    tamper(where, f"UPDATE ledger_consent SET status = 'signed' WHERE id = {record.record_id}")
    with where.open() as ledger:
        assert not ledger.replay_matches()
        result = ledger.verify(fp.code)
        assert ledger.fingerprint() == fp  # the audit trail itself is untouched
    assert (result.ok, result.chain_ok, result.replay_ok) == (False, True, False)
    assert result.message.startswith(
        "The current tables differ from the replayed audit trail: the tables were edited without the "
        "audit trail."
    )


def test_an_audit_entry_that_no_longer_reads_fails_instead_of_crashing(tmp_path):
    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
    sqlite_tamper(
        where.location,
        f"UPDATE ledger_audit SET new_values = '{{not json', record_id = 'x' WHERE id = {MIDDLE}",
    )
    with where.open() as ledger:
        result = ledger.verify(fp.code)
        assert CODE.fullmatch(ledger.fingerprint().code)
    assert (result.ok, result.chain_ok, result.replay_ok) == (False, False, False)


# -- the command line ---------------------------------------------------------------------------------------
def test_command_line_fingerprint_and_verify(tmp_path):
    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
        half = ledger.fingerprint(upto=fp.last_audit_id // 2)
    out = landcoord("consent", "fingerprint", where.location)
    assert out.returncode == 0, out.stderr
    assert f"fingerprint code (校验码): {fp.code}" in out.stdout
    assert f"audit entries: {fp.entries} (ids up to {fp.last_audit_id})" in out.stdout
    assert fp.last_changed_at in out.stdout
    out = landcoord("consent", "fingerprint", "--ledger", where.location, "--upto", half.last_audit_id)
    assert out.returncode == 0 and half.code in out.stdout
    out = landcoord("consent", "verify", "--ledger", where.location, "--code", half.code.lower())
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{fp.entries - half.entries} entries were added since" in out.stdout
    # bad input: 2
    for args in (
        ["consent", "verify", where.location, "--code", "LC1-12"],
        ["consent", "verify", "--code", fp.code],
        ["consent", "verify", where.location, "--ledger", str(tmp_path / "other.gpkg"), "--code", fp.code],
        ["consent", "verify", str(tmp_path / "none.gpkg"), "--code", fp.code],
        ["consent", "fingerprint", where.location, "--upto", "-3"],
    ):
        out = landcoord(*args)
        assert out.returncode == 2, (args, out.stdout, out.stderr)
        assert "error" in out.stderr
    # altered: 3, from a real process as a script would see it
    # the last entry, after the half the other code covers
    sqlite_tamper(
        where.location, "UPDATE ledger_audit SET actor = '别人' WHERE id = (SELECT max(id) FROM ledger_audit)"
    )
    proc = landcoord("consent", "verify", where.location, "--code", fp.code, process=True)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert proc.stdout.startswith("CHANGED: ") and "audit trail CHANGED" in proc.stdout
    assert landcoord("consent", "verify", where.location, "--code", half.code).returncode == 0
    help_text = landcoord("consent", "verify", "--help", process=True).stdout
    assert "exit status: 0" in help_text and "3 it was altered" in help_text


def test_command_line_speaks_chinese(tmp_path):
    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
        more(ledger)
    try:
        out = landcoord("--lang", "zh_CN", "consent", "verify", where.location, "--code", fp.code)
        assert out.returncode == 0
        assert f"自取得校验码 {fp.code} 以来，台账的前 {fp.entries} 条审计记录未被改动" in out.stdout
        out = landcoord("--lang", "zh_CN", "consent", "verify", where.location, "--code", "LC1")
        assert out.returncode == 2 and "不是台账校验码" in out.stderr
    finally:
        from landcoord.allocation import i18n

        i18n.set_language("en")


# -- random histories -----------------------------------------------------------------------------------
NAMES = ["张三", "李四", "王五", "赵六", "欧阳小明", "龙田社区股份合作公司"]
OPERATION = st.tuples(
    st.sampled_from(["event", "consent", "correct", "request", "holder", "outside"]),
    st.integers(0, len(NAMES) - 1),
    st.integers(0, 11),
)


def apply(ledger, operations) -> None:
    """Ledger operations from drawn numbers; a refused one (a status change not allowed) writes nothing."""
    statuses = list(STATUSES)
    for op, a, b in operations:
        project = ("P1", "P2")[b % 2]
        holder = NAMES[a]
        try:
            if op == "event":
                kind = ("home_visit", "survey", "representative_meeting", "hearing", "other")[b % 5]
                ledger.add_event(
                    kind, f"2024-03-{b + 1:02d}", project=project, holders=NAMES[a : a + 1 + b % 3]
                )
            elif op == "consent":
                ledger.set_consent(project, holder, statuses[b % 6], expected_version=None)
            elif op == "correct":
                ledger.correct_consent(
                    project, holder, statuses[b % 6], expected_version=None, reason=f"更正 {b}"
                )
            elif op == "request":
                rid = ledger.add_request(f"诉求 {b}", project=project, holder=holder)
                if b % 2:
                    ledger.respond(rid, "已答复", expected_version=1)
            elif op == "holder":
                ledger.update_holder(holder, expected_version=None, note=f"备注 {b}")
            else:  # an edit made in QGIS's attribute table: audited by the triggers as such
                ledger.backend.execute(
                    "UPDATE ledger_holders SET note = ?, version = version + 1 WHERE holder = ?",
                    (f"QGIS {b}", holder),
                )
        except LedgerError:
            pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.lists(OPERATION, max_size=10),
    second=st.lists(OPERATION, max_size=10),
    data=st.data(),
)
def test_a_code_taken_midway_verifies_after_any_further_operations(first, second, data):
    with (
        tempfile.TemporaryDirectory() as folder,
        Ledger.init(Path(folder) / "ledger.gpkg", officer="王科长") as ledger,
    ):
        with ledger.transaction("holders"):
            for name in NAMES:
                ledger.add_holder(name)
        apply(ledger, first)
        fp = ledger.fingerprint()
        upto = data.draw(st.integers(0, fp.last_audit_id), label="upto")
        earlier = ledger.fingerprint(upto=upto)
        apply(ledger, second)
        now = ledger.fingerprint()
        for code in (fp, earlier):
            result = ledger.verify(code.code)
            assert result.ok and result.chain_ok and result.replay_ok, result.message
            assert (result.entries_then, result.entries_now) == (code.entries, now.entries)
        assert ledger.fingerprint(upto=fp.last_audit_id) == fp
        assert (now.entries, now.digest) == sqlite_digest(Path(folder) / "ledger.gpkg")


# -- QGIS: the Processing algorithm and the dock ---------------------------------------------------------
def test_consentprogress_gives_the_code_of_the_ledger_it_read(tmp_path, run_alg, recording_feedback):
    from qgis.core import QgsProcessingOutputString

    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    with seeded(where) as ledger:
        consult(ledger, attachment_file(tmp_path))
        fp = ledger.fingerprint()
    feedback = recording_feedback
    res = run_alg(
        "landcoord:consentprogress",
        {
            "LEDGER": where.location,
            "PIECES": f"{where.location}|layername=pieces",
            "OUTPUT": str(tmp_path / "p.gpkg"),
        },
        feedback=feedback,
    )
    assert res["FINGERPRINT"] == fp.code
    assert any(fp.code in info and str(fp.entries) in info for info in feedback.infos), feedback.infos
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById("landcoord:consentprogress")
    assert isinstance(alg.outputDefinition("FINGERPRINT"), QgsProcessingOutputString)


def test_the_dock_shows_the_code_with_the_progress(dock):
    from dock_support import wait_for

    f = dock.steps["project"].form
    f.projectValue.setCurrentIndex(f.projectValue.findData("LHTZ-2024-01"))
    dock.steps["affected"].run()
    wait_for(dock)
    step = dock.steps["consultation"]
    step.open_ledger()
    code = step.ledger.fingerprint().code
    assert f"Ledger fingerprint code (校验码) for the hearing minutes: {code}" in step.form.totalsLabel.text()
    holder = next(r["holder"] for r in step.table.model.records if r["holder"] is not None)
    step.ledger.add_event("hearing", "2024-05-01", project="LHTZ-2024-01", holders=[holder])
    step.show_results()
    newer = step.ledger.fingerprint().code
    assert newer != code and newer in step.form.totalsLabel.text()
    assert step.ledger.verify(code).ok
