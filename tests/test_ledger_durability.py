"""The ledger survives a killed writer, a full disk and a second writer, with nothing lost or half-written.

The writers here are real processes on the real files (or a real PostgreSQL server when
LANDCOORD_PG_DSN is set), killed with SIGKILL in the middle of a transaction.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from landcoord.allocation.errors import ConcurrentEditError, LedgerError

pytest.register_assert_rewrite("ledger_support")
from ledger_support import frames_equal, seeded  # noqa: E402

pytest_plugins = ["ledger_support"]  # fixtures: where, postgres_dsn, pg_schema

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

_KILLED_WRITER = r"""
import sys, time
from landcoord.allocation.ledger import Ledger

location, schema, n = sys.argv[1], sys.argv[2] or None, int(sys.argv[3])
ledger = Ledger.open(location, schema=schema, officer="被中断的进程")
rec = ledger.consent_record("P1", "张三")
ledger.set_consent("P1", "张三", "negotiating", expected_version=rec.version)  # committed
print("COMMITTED", flush=True)
sys.stdin.readline()
with ledger.transaction("a write that is killed half-way"):
    rec = ledger.consent_record("P1", "张三")
    ledger.set_consent("P1", "张三", "agreed", expected_version=rec.version, scenario_option="产权置换")
    ledger.add_event("hearing", "2024-06-01", project="P1", holders=["李四", "王五"], summary="听证")
    for i in range(n):  # enough to spill uncommitted pages into the database file
        ledger.add_holder(f"临时{i}", note="很长的备注" * 300)
    print("INSIDE", flush=True)
    time.sleep(300)
"""

_ONE_WRITE = r"""
import sys
from landcoord.allocation.ledger import Ledger

location, schema = sys.argv[1], sys.argv[2] or None
with Ledger.open(location, schema=schema, officer="另一台电脑") as ledger:
    ledger.set_consent("P1", "王五", "negotiating", expected_version=None, scenario_option="货币补偿")
"""

_HOLDING_WRITER = r"""
import sys
from landcoord.allocation.ledger import Ledger

location, schema = sys.argv[1], sys.argv[2] or None
with Ledger.open(location, schema=schema, officer="另一台电脑") as ledger:
    with ledger.transaction("slow form"):
        ledger.set_consent("P1", "王五", "negotiating", expected_version=None)
        print("INSIDE", flush=True)
        sys.stdin.readline()
print("DONE", flush=True)
"""


def _spawn(script, where, *extra):
    return subprocess.Popen(
        [sys.executable, "-c", script, where.location, where.schema or "", *map(str, extra)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _expect(proc, word):
    line = proc.stdout.readline().strip()
    if line != word:
        proc.kill()
        raise AssertionError(f"child said {line!r}, not {word!r}; stderr:\n{proc.communicate()[1]}")


def test_killed_writer_leaves_the_last_committed_state(where):
    with seeded(where) as ledger:
        ledger.add_event("home_visit", "2024-05-01", project="P1", holders=["张三"])
    n = 1200 if where.kind == "gpkg" else 50
    child = _spawn(_KILLED_WRITER, where, n)
    try:
        _expect(child, "COMMITTED")
        with where.open() as reader:
            committed = reader.snapshot()
            audit_before = reader.last_audit_id()
        assert committed["ledger_consent"].status.tolist() == ["negotiating"]
        size_before = Path(where.location).stat().st_size if where.kind == "gpkg" else 0
        child.stdin.write("go\n")
        child.stdin.flush()
        _expect(child, "INSIDE")
        if where.kind == "gpkg":
            journal = Path(where.location + "-journal")
            # uncommitted pages are in the database file, the originals in the journal
            assert journal.exists() and journal.stat().st_size > 0
            assert Path(where.location).stat().st_size > size_before
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    if where.kind == "gpkg":
        assert Path(where.location + "-journal").exists()  # a hot journal, to be rolled back
    with where.open() as ledger:
        assert ledger.integrity_check() == "ok"
        assert frames_equal(ledger.snapshot(), committed)
        assert ledger.last_audit_id() == audit_before
        assert frames_equal(ledger.state_as_of(), committed)
        # and it takes writes again
        rec = ledger.consent_record("P1", "张三")
        ledger.set_consent("P1", "张三", "agreed", expected_version=rec.version)
    if where.kind == "gpkg":
        assert not Path(where.location + "-journal").exists()
        conn = sqlite3.connect(where.location)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
        import pyogrio

        layers = {str(n) for n, _ in pyogrio.list_layers(where.location)}
        assert {"parcels", "projects", "pieces", "ledger_consent", "ledger_audit"} <= layers
        assert len(pyogrio.read_dataframe(where.location, layer="parcels")) == 12


def test_full_disk_mid_transaction_leaves_the_previous_state(tmp_path):
    from ledger_support import Where, make_project_gpkg

    where = Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    with seeded(where) as ledger:
        before = ledger.snapshot()
        pages = ledger.backend.conn.execute("PRAGMA page_count").fetchone()[0]
        ledger.backend.conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # the disk is nearly full
        with pytest.raises(LedgerError, match="full"), ledger.transaction("batch"):
            ledger.add_event("hearing", "2024-06-01", project="P1", holders=["张三"])
            ledger.add_holder("大户", note="很长的备注" * 20000)
        assert frames_equal(ledger.snapshot(), before)
        assert ledger.integrity_check() == "ok"
        ledger.backend.conn.execute("PRAGMA max_page_count = 1073741823")
        ledger.add_event("hearing", "2024-06-01", project="P1", holders=["张三"])
        assert ledger.consent_record("P1", "张三").status == "contacted"


def test_concurrent_edit_from_another_process_is_detected(where):
    with seeded(where) as ledger:
        ledger.add_event("home_visit", "2024-05-01", project="P1", holders=["王五"])
        read = ledger.consent_record("P1", "王五")  # the officer opens the form ...
        subprocess.run(
            [sys.executable, "-c", _ONE_WRITE, where.location, where.schema or ""], check=True, timeout=60
        )  # ... meanwhile another computer records a change ...
        with pytest.raises(ConcurrentEditError, match="另一台电脑"):
            ledger.set_consent(
                "P1", "王五", "agreed", expected_version=read.version, scenario_option="产权置换"
            )
        now = ledger.consent_record("P1", "王五")  # ... whose change is kept, not overwritten
        assert (now.status, now.scenario_option, now.updated_by) == ("negotiating", "货币补偿", "另一台电脑")
        again = ledger.set_consent(
            "P1", "王五", "agreed", expected_version=now.version, scenario_option="产权置换"
        )
        assert again.version == now.version + 1


def test_a_writer_holding_the_ledger_makes_others_wait_then_report(where):
    with seeded(where) as ledger:
        ledger.add_event("home_visit", "2024-05-01", project="P1", holders=["王五"])
    child = _spawn(_HOLDING_WRITER, where)
    try:
        _expect(child, "INSIDE")
        with where.open(timeout=0.5) as ledger:
            before = ledger.snapshot()
            read = ledger.consent_record("P1", "王五")
            with pytest.raises(LedgerError, match="another program") as e:
                ledger.set_consent("P1", "王五", "agreed", expected_version=read.version)
            assert not isinstance(e.value, ConcurrentEditError)
            assert frames_equal(ledger.snapshot(), before)
            child.stdin.write("go\n")
            child.stdin.flush()
            _expect(child, "DONE")
            with pytest.raises(ConcurrentEditError):
                ledger.set_consent("P1", "王五", "agreed", expected_version=read.version)
            now = ledger.consent_record("P1", "王五")
            assert now.status == "negotiating"
            assert ledger.set_consent("P1", "王五", "agreed", expected_version=now.version).status == "agreed"
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
