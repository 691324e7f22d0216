"""A ledger of schema version 1 opened by a newer landcoord: reading never writes (every read-only
command leaves the file byte-identical, and a file on a read-only mount opens), the tables version 2
added read as empty, and the first write migrates (one audited ``migrate`` entry) and then writes; a
fingerprint code taken on the version-1 ledger still verifies, the migration counted as added since."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from landcoord.allocation import consultation as cs
from landcoord.allocation import notice as nt
from landcoord.allocation import procedure as pr
from landcoord.allocation.ledger.backend import connect
from landcoord.allocation.ledger.schema import ADDED_IN, SCHEMA_VERSION

pytest.register_assert_rewrite("ledger_support")
from ledger_support import Where, make_project_gpkg, old_ledger  # noqa: E402
from test_ledger_cli import landcoord, ok  # noqa: E402

pytest_plugins = ["ledger_support"]  # fixtures: where, pg_schema

NEW_TABLES = ADDED_IN[2]


def _state(where: Where):
    """What must not change when the ledger is only read: the file's bytes (GeoPackage); on
    PostgreSQL the schema's tables, triggers, ledger_meta and the audit trail."""
    if where.kind == "gpkg":
        return hashlib.sha256(Path(where.location).read_bytes()).hexdigest()
    b = connect(where.location, schema=where.schema)
    try:
        return (
            b.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "ORDER BY 1"
            ),
            b.query(
                "SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = current_schema()"
            ),
            b.query("SELECT key, value FROM ledger_meta ORDER BY id"),
            b.query("SELECT id, changed_at, action, table_name FROM ledger_audit ORDER BY id"),
        )
    finally:
        b.close()


def _code(printed: str) -> str:
    """The fingerprint code in what `landcoord consent fingerprint` printed."""
    return re.search(r"LC1-[0-9A-F-]+", printed).group(0)


def _read_commands(loc: list, pieces: str, out: Path, code: str) -> list:
    """Every read-only command over the ledger at ``loc`` (command-line arguments)."""
    return [
        ["consent", "fingerprint", *loc],
        ["consent", "verify", *loc, "--code", code],
        ["consent", "progress", *loc, "--pieces", pieces, "--out", out / "progress.csv"],
        ["consent", "export", *loc, out / "ledger.xlsx"],
        ["consent", "show", *loc, "--project", "P1"],
        ["consent", "history", *loc],
        ["stage", "show", *loc, "--project", "P1"],
        ["stage", "history", *loc],
        ["stage", "duties", *loc, "--project", "P1", "--date", "2024-03-01"],
        ["notice", "show", *loc],
        ["notice", "export", loc[0], out / "objections.csv", *loc[1:]],
        ["consult", "counts", *loc],
        ["consult", "escalation", *loc, "--project", "P1"],
    ]


def test_opening_a_version_one_ledger_reads_without_writing(where, tmp_path):
    old_ledger(where)
    before = _state(where)
    with where.open(officer="新科长") as ledger:
        assert ledger.schema_version == 1
        assert not any(ledger.has_table(t) for t in NEW_TABLES)
        assert ledger.has_table("ledger_consent")
        snap = ledger.snapshot()
        assert all(len(snap[t]) == 0 for t in NEW_TABLES) and len(snap["ledger_holders"]) == 1
        assert all(len(ledger.state_as_of()[t]) == 0 for t in NEW_TABLES)
        assert ledger.replay_matches()
        assert ledger.fingerprint().entries == 3
        assert ledger.consent_record("P1", "张三").status == "contacted"
        assert len(pr.stage_history(ledger, "P1")) == 0 and pr.current_stage(ledger, "P1") == (None, None)
        assert len(pr.signoffs(ledger)) == 0
        assert len(nt.notices(ledger)) == 0 and len(nt.objections(ledger)) == 0
        assert len(cs.survey_counts(ledger)) == 0 and len(cs.mediations(ledger)) == 0
    assert _state(where) == before


def test_every_read_only_command_leaves_a_version_one_ledger_as_it_was(where, tmp_path):
    old_ledger(where)
    pieces = f"{make_project_gpkg(tmp_path / 'cadastre.gpkg')}|layername=pieces"
    loc = where.args()
    code = _code(ok(landcoord("consent", "fingerprint", *loc)))
    assert code.startswith("LC1-3-")
    before = _state(where)
    for args in _read_commands(loc, pieces, tmp_path, code):
        out = ok(landcoord(*args))
        assert _state(where) == before, args
        if args[:2] == ["consent", "verify"]:
            assert "no entry was added since" in out
    progress = pd.read_csv(tmp_path / "progress.csv", encoding="utf-8-sig").set_index("project")
    assert progress.loc["P1", "holders"] > 0
    assert {"consent", "events", "audit"} <= set(pd.read_excel(tmp_path / "ledger.xlsx", sheet_name=None))
    # the first write migrates, then writes: one migrate entry, then the event's
    ok(landcoord("consent", "event", *loc, "--kind", "调解", "--date", "2024-02-01", "--project", "P1"))
    with where.open() as ledger:
        assert ledger.schema_version == SCHEMA_VERSION and all(ledger.has_table(t) for t in NEW_TABLES)
        hist = ledger.history()
        assert list(hist["action"])[3:] == ["migrate", "insert"]
        assert (hist["action"] == "migrate").sum() == 1
        assert ledger.events().iloc[-1]["kind"] == "mediation"
        assert ledger.replay_matches()
    # the code taken on the version-1 ledger still verifies; the migration is counted as added
    out = ok(landcoord("consent", "verify", *loc, "--code", code))
    assert "2 entries were added since" in out
    # further writes do not migrate again
    ok(landcoord("consent", "event", *loc, "--kind", "座谈会", "--date", "2024-02-02", "--project", "P1"))
    with where.open() as ledger:
        assert (ledger.history()["action"] == "migrate").sum() == 1


def test_hearing_pack_reads_a_version_one_ledger_without_writing(tmp_path, sample_gpkg):
    import hearing_support as hs

    from landcoord.allocation.io.files import write_layers
    from landcoord.cli import main

    where = Where("gpkg", str(tmp_path / "ledger.gpkg"))
    old_ledger(where)
    before = _state(where)
    _, _, _, result = hs.sample_frames()
    write_layers(tmp_path / "affected.gpkg", result.layers())
    args = ["hearing", "--gpkg", str(sample_gpkg), "--project", hs.PROJECT,
            "--affected", str(tmp_path / "affected.gpkg"), "--max-holders", "0", "--dpi", "50",
            "--paper", "A4", "--ledger", where.location, "--out", str(tmp_path / "h.pdf")]  # fmt: skip
    assert main(args) == 0
    assert "Ledger code：LC1-3-" in hs.page_texts(tmp_path / "h.pdf")[0]
    assert _state(where) == before


def test_processing_consentprogress_reads_a_version_one_ledger_without_writing(tmp_path, run_alg):
    path = make_project_gpkg(tmp_path / "project.gpkg")
    where = Where("gpkg", str(path))
    old_ledger(where)
    before = _state(where)
    res = run_alg(
        "landcoord:consentprogress",
        {"LEDGER": str(path), "PIECES": f"{path}|layername=pieces", "OUTPUT": str(tmp_path / "p.gpkg")},
    )
    assert Path(res["OUTPUT"]).exists()
    assert _state(where) == before


# -- a version-1 ledger on a read-only file system -----------------------------------------------------
# The tests run as root, for whom chmod 0444 does not stop a write. The folder holding the ledger is
# bind-mounted read-only in a private mount namespace of the command's own process (unshare -m), so the
# kernel refuses every write to it (EROFS), root or not; the probe `touch` proves that before the
# command runs. Nothing outside that one process sees the mount.
_RO = (
    'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" '
    '&& ! touch "$1/.probe" 2>/dev/null && shift && exec "$@"'
)


def _read_only(folder: Path, *args):
    env = {**os.environ, "LANDCOORD_OFFICER": "新科长"}
    argv = [str(a) for a in args]
    return subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", _RO, "sh", str(folder), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def read_only_folder():
    if shutil.which("unshare") is None or _read_only(Path("/tmp"), "true").returncode != 0:
        pytest.skip("cannot mount a folder read-only here (unshare -m and mount need CAP_SYS_ADMIN)")
    return _read_only


def test_read_only_version_one_ledger_opens_and_its_first_write_migrates(tmp_path, read_only_folder):
    folder = tmp_path / "share"
    folder.mkdir()
    where = Where("gpkg", str(make_project_gpkg(folder / "project.gpkg")))
    old_ledger(where)
    os.chmod(where.location, 0o444)
    before = _state(where)
    landcoord_cmd = [sys.executable, "-m", "landcoord"]
    pieces = f"{where.location}|layername=pieces"
    # the mount really refuses writes, even for root
    probe = read_only_folder(folder, "sh", "-c", f'echo x > "{folder}/new.txt"')
    assert probe.returncode != 0 and not (folder / "new.txt").exists()
    fp = read_only_folder(folder, *landcoord_cmd, "consent", "fingerprint", where.location)
    assert fp.returncode == 0, fp.stderr
    code = _code(fp.stdout)
    assert code.startswith("LC1-3-")
    for args in _read_commands([where.location], pieces, tmp_path, code):
        proc = read_only_folder(folder, *landcoord_cmd, *args)
        assert proc.returncode == 0, (args, proc.stderr)
    assert _state(where) == before
    # a write on the read-only file is refused cleanly (exit 2, the ledger named), nothing changed
    w = read_only_folder(folder, *landcoord_cmd, "consent", "event", where.location, "--kind", "调解",
                         "--date", "2024-02-01", "--project", "P1")  # fmt: skip
    assert w.returncode == 2, w.stderr
    assert where.location in w.stderr and "Traceback" not in w.stderr
    assert _state(where) == before
    # where it may be written, the first write migrates with one audited entry, then writes
    os.chmod(where.location, 0o644)
    ok(
        landcoord(
            "consent", "event", where.location, "--kind", "调解", "--date", "2024-02-01", "--project", "P1"
        )
    )
    with where.open() as ledger:
        hist = ledger.history()
        assert list(hist["action"])[3:] == ["migrate", "insert"]
        assert hist.iloc[3]["table_name"] == "ledger_meta"
    assert "2 entries were added since" in ok(landcoord("consent", "verify", where.location, "--code", code))
