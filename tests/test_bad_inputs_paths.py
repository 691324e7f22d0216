"""Bad output paths: no output may replace or damage an input or a ledger (issue 16), whole or absent.

One row per case, run through the real command line (``.venv/bin/landcoord`` in a subprocess) and,
for the Processing cases, through real ``qgis_process`` with landcoord installed by ``make install``
into a temporary HOME. For every refused case: exit status 2 (the CLI) or non-zero (qgis_process),
the message names the output and the input, no traceback, the sha256 of every file that was there
before is unchanged and no output appeared.

Full disk: a 200 kB tmpfs is mounted when the test runs as root and ``mount`` is allowed, else that
case is skipped (read-only and impossible folders are always tested: a path under a regular file,
and ``/proc``). Windows (``os.name == "nt"``) is simulated on Linux through the module flag
``files._WINDOWS``, an ``os.fsync`` that refuses read-only handles and an ``os.replace`` raising
PermissionError as Windows does when another program holds the target open.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
from ledger_support import make_project_gpkg

pytest_plugins = ["ledger_support"]  # fixtures: postgres_dsn, pg_schema

ROOT = Path(__file__).resolve().parent.parent
LANDCOORD = Path(sys.executable).parent / "landcoord"
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
FIELDS = ["--parcel-field", "宗地号", "--holder-field", "权利人"]


# -- helpers --------------------------------------------------------------------------------------


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict:
    """sha256 of every regular file under ``folder`` (links followed once: a link is its target)."""
    return {p.relative_to(folder): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def landcoord(*args, cwd: Path, officer: str = "陈主任", stdin=None):
    env = {**os.environ, "LANDCOORD_LANG": "en", "LANDCOORD_OFFICER": officer}
    return subprocess.run(
        [str(LANDCOORD), *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def assert_refused(proc, *names, status=2):
    assert proc.returncode == status, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text, text
    assert "Nothing was written" in text or "nothing was written" in text, text
    for name in names:
        assert name in text, (name, text)


def make_ledger(path: Path, cwd: Path) -> Path:
    """A project GeoPackage holding a consultation ledger with the synthetic holders."""
    make_project_gpkg(path)
    proc = landcoord(
        "consent",
        "init",
        path,
        "--cadastre",
        f"{path}|layername=parcels",
        "--holder-field",
        "权利人",
        cwd=cwd,
    )
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture
def work(tmp_path):
    """A folder with the project GeoPackage p.gpkg, a symlink and a hard link to it, and a ledger."""
    make_project_gpkg(tmp_path / "p.gpkg")
    (tmp_path / "link.gpkg").symlink_to("p.gpkg")
    os.link(tmp_path / "p.gpkg", tmp_path / "hard.gpkg")
    make_ledger(tmp_path / "ledger.gpkg", tmp_path)
    (tmp_path / "controls.gpkg").write_bytes((tmp_path / "p.gpkg").read_bytes())
    (tmp_path / "notes.gpkg").write_text("not a GeoPackage: the officer's notes", encoding="utf-8")
    (tmp_path / "status.csv").write_text("status,category\n房地产证,legal\n", encoding="utf-8")
    (tmp_path / "t_quota_summary.csv").write_text("status,category\n房地产证,legal\n", encoding="utf-8")
    # a GeoPackage that a careless rename gave a spreadsheet's name
    (tmp_path / "sheet.xlsx").write_bytes((tmp_path / "p.gpkg").read_bytes())
    (tmp_path / "map.png").write_bytes((tmp_path / "p.gpkg").read_bytes())
    (tmp_path / "h_png").write_text("a file where the hearing's PNG folder would go", encoding="utf-8")
    # a ledger whose file name ends in a space: the writers open the name as typed
    (tmp_path / "ledger.gpkg ").write_bytes((tmp_path / "ledger.gpkg").read_bytes())
    return tmp_path


AFFECTED = [
    "affected",
    "--boundary",
    "p.gpkg|layername=projects",
    "--cadastre",
    "p.gpkg|layername=parcels",
    *FIELDS,
]

# (id, command line (in the work folder; {abs} is its absolute path), names the message must hold)
CLI_CASES = [
    ("same-path", [*AFFECTED, "--out", "p.gpkg"], ["--out", "--boundary", "p.gpkg"]),
    ("dot-variant", [*AFFECTED, "--out", "./p.gpkg"], ["--out", "--boundary", "./p.gpkg"]),
    ("absolute-vs-relative", [*AFFECTED, "--out", "{abs}/p.gpkg"], ["--out", "--boundary"]),
    ("symlink", [*AFFECTED, "--out", "link.gpkg"], ["--out", "link.gpkg", "--boundary"]),
    ("hard-link", [*AFFECTED, "--out", "hard.gpkg"], ["--out", "hard.gpkg", "--boundary"]),
    (
        "layername-source",
        [
            "conflicts",
            "--input",
            "p.gpkg|layername=projects",
            "--controls",
            "controls.gpkg|layername=parcels",
            "--kind-field",
            "用地状态",
            "--out",
            "p.gpkg",
        ],
        ["--out", "--input"],
    ),  # fmt: skip
    (
        "quota-pieces",
        ["quota", "--pieces", "p.gpkg|layername=pieces", "--out", "p.gpkg"],
        ["--out", "--pieces"],
    ),
    (
        "quota-csv-beside-an-input",
        [
            "quota",
            "--pieces",
            "p.gpkg|layername=pieces",
            "--status-map",
            "t_quota_summary.csv",
            "--out",
            "t.csv",
        ],
        ["--out (quota_summary)", "--status-map"],
    ),
    ("onto-a-ledger", [*AFFECTED, "--out", "ledger.gpkg"], ["--out", "ledger.gpkg", "consultation ledger"]),
    (
        "consent-export-onto-its-ledger",
        ["consent", "export", "ledger.gpkg", "ledger.gpkg"],
        ["out", "ledger"],
    ),
    (
        "consent-progress-onto-its-ledger",
        ["consent", "progress", "ledger.gpkg", "--pieces", "p.gpkg|layername=pieces", "--out", "ledger.gpkg"],
        ["--out", "ledger.gpkg"],
    ),
    ("hearing-onto-a-geopackage", ["hearing", "--gpkg", "p.gpkg", "--out", "p.gpkg"], ["--out", ".pdf"]),
    ("shapefile", [*AFFECTED, "--out", "x.shp"], ["--out", "x.shp", "GeoPackage only"]),
    ("not-a-geopackage", [*AFFECTED, "--out", "notes.gpkg"], ["--out", "notes.gpkg", "not a GeoPackage"]),
    (
        "two-outputs-one-file",
        [
            "benefits",
            "--pieces",
            "p.gpkg|layername=pieces",
            "--quota",
            "status.csv",
            "--scenarios",
            "status.csv",
            "--out",
            "b.csv",
            "--chart",
            "b.csv",
        ],
        ["--out", "--chart", "b.csv"],
    ),  # fmt: skip
    (
        "demo-onto-its-project",
        ["demo", "--project", "out/project.gpkg", "--out", "out"],
        ["project.gpkg", "--project"],
    ),
    # a chart, a sheet or a PDF over a GeoPackage that is no input of the run: its layers would be lost
    (
        "chart-onto-a-geopackage",
        [
            "benefits",
            "--pieces",
            "p.gpkg|layername=pieces",
            "--quota",
            "status.csv",
            "--scenarios",
            "status.csv",
            "--out",
            "b.csv",
            "--chart",
            "controls.gpkg",
        ],
        ["--chart", "controls.gpkg", ".png files only"],
    ),  # fmt: skip
    (
        "chart-onto-a-renamed-geopackage",
        [
            "benefits",
            "--pieces",
            "p.gpkg|layername=pieces",
            "--quota",
            "status.csv",
            "--scenarios",
            "status.csv",
            "--out",
            "b.csv",
            "--chart",
            "map.png",
        ],
        ["--chart", "map.png", "GeoPackage/SQLite", "parcels"],
    ),  # fmt: skip
    (
        "sheet-onto-a-renamed-geopackage",
        ["consent", "export", "ledger.gpkg", "sheet.xlsx"],
        ["out", "sheet.xlsx", "GeoPackage/SQLite"],
    ),
    (
        "monitor-chart-onto-a-geopackage",
        ["monitor", "--ledger", "ledger.gpkg", "--chart", "controls.png", "--out", "sheet.xlsx"],
        ["--out", "sheet.xlsx", "GeoPackage/SQLite"],
    ),
    # a connection string typed where a file goes would become a file named after it, password and all
    (
        "connection-string-as-output",
        [*AFFECTED, "--out", "host=db password='se cret' dbname=x.gpkg"],
        ["--out", "connection string", "password=***"],
    ),
    # a folder output onto a file (or a device): refused before any work, not a traceback
    (
        "templates-folder-onto-a-file",
        ["hearing", "--write-templates", "controls.gpkg"],
        ["--write-templates", "controls.gpkg", "not a folder"],
    ),
    ("demo-folder-onto-a-file", ["demo", "--out", "notes.gpkg"], ["--out", "notes.gpkg", "not a folder"]),
    ("demo-folder-onto-a-device", ["demo", "--out", "/dev/null"], ["--out", "/dev/null", "not a folder"]),
    (
        "png-folder-onto-a-file",
        ["hearing", "--gpkg", "p.gpkg", "--out", "h.pdf", "--png"],
        ["--png", "h_png", "not a folder"],
    ),
    ("trailing-space-ledger", [*AFFECTED, "--out", "ledger.gpkg "], ["--out", "ledger.gpkg "]),
    (
        "gdal-pg-string-as-output",
        [*AFFECTED, "--out", "PG:host=db dbname=x password=se cret.gpkg"],
        ["--out", "connection string", "password=***"],
    ),
    (
        "url-with-password-as-output",
        ["consent", "export", "ledger.gpkg", "postgresql:/u:pw@db/x.xlsx"],
        ["out", "connection string", "u:***@"],
    ),
]


@pytest.mark.parametrize("args,names", [pytest.param(a, n, id=i) for i, a, n in CLI_CASES])
def test_cli_refuses_an_output_onto_an_input(work, args, names):
    if args[0] == "demo":
        (work / "out").mkdir()
        shutil.copy(work / "p.gpkg", work / "out" / "project.gpkg")
    before = snapshot(work)
    proc = landcoord(*[a.replace("{abs}", str(work)) for a in args], cwd=work)
    assert_refused(proc, *names)
    assert snapshot(work) == before  # every input unchanged, and no output (whole or part) appeared
    assert "se cret" not in proc.stderr + proc.stdout


def test_cli_keeps_the_foreign_layers_of_an_existing_geopackage(work):
    """An existing GeoPackage that is no input: its other layers are kept, and the note says so."""
    target = work / "results.gpkg"
    shutil.copy(work / "p.gpkg", target)  # layers parcels, projects, pieces: 'pieces' will be replaced
    kept_before = pyogrio.read_dataframe(target, layer="parcels")
    proc = landcoord(*AFFECTED, "--out", "results.gpkg", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    layers = [str(n) for n, _ in pyogrio.list_layers(target)]
    assert {"parcels", "projects", "pieces", "summary"} <= set(layers)
    assert pyogrio.read_dataframe(target, layer="parcels").equals(kept_before)
    assert "kept its other layers parcels, projects" in proc.stderr
    assert "replaced layers pieces" in proc.stderr
    assert "added layers summary" in proc.stderr


def test_cli_broken_pipe_exits_141_without_a_traceback(work):
    """`landcoord ... | head -1`: the reader goes away; no BrokenPipeError traceback, status 141."""
    env = {**os.environ, "LANDCOORD_LANG": "en"}
    proc = subprocess.Popen(
        [str(LANDCOORD), "quota", "--list-rules"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.close()  # the reader is gone before the first line is written
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141, err
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err
    # and through a shell pipe, as an officer types it
    shell = subprocess.run(
        f"'{LANDCOORD}' quota --list-rules | head -1",
        shell=True,
        cwd=work,
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert shell.returncode == 0 and len(shell.stdout.splitlines()) == 1
    assert b"Traceback" not in shell.stderr


# -- the ledger refuses to write when its triggers were tampered with --------------------------------


def _consent_set(ledger, cwd):
    return landcoord(
        "consent", "set", ledger, "--project", "P1", "--holder", "张三", "--status", "contacted", cwd=cwd
    )


@pytest.mark.parametrize(
    "tamper,names",
    [
        pytest.param(
            ["DROP TRIGGER ledger_consent_audit_insert"],
            ["ledger_consent_audit_insert: missing"],
            id="dropped",
        ),
        pytest.param(
            [
                "DROP TRIGGER ledger_consent_audit_update",
                "CREATE TRIGGER ledger_consent_audit_update AFTER UPDATE ON ledger_consent FOR EACH ROW "
                "BEGIN SELECT 1; END",
            ],
            ["ledger_consent_audit_update: altered"],
            id="altered",
        ),
        pytest.param(
            ["CREATE TRIGGER ledger_audit_wipe AFTER INSERT ON ledger_audit BEGIN SELECT 1; END"],
            ["ledger_audit_wipe: added"],
            id="added",
        ),
    ],
)
def test_ledger_with_tampered_triggers_is_not_written(work, tamper, names):
    ledger = work / "ledger.gpkg"
    con = sqlite3.connect(ledger)
    for stmt in tamper:
        con.execute(stmt)
    con.commit()
    con.close()
    before = sha(ledger)
    proc = _consent_set(ledger, work)
    assert_refused(proc, "ledger.gpkg", "tampered", "consent verify", *names)
    assert sha(ledger) == before


@pytest.mark.parametrize("value", ["1 OR 1", "", "0", "x"])
def test_ledger_with_an_edited_schema_version_gives_a_clear_error(work, value):
    ledger = work / "ledger.gpkg"
    con = sqlite3.connect(ledger)
    con.execute("DROP TRIGGER ledger_meta_no_update")
    con.execute("UPDATE ledger_meta SET value = ? WHERE key = 'schema_version'", (value,))
    con.commit()
    con.close()
    before = sha(ledger)
    for proc in (_consent_set(ledger, work), landcoord("consent", "show", ledger, cwd=work)):
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert (
            "schema version" in proc.stderr
            and "ledger.gpkg" in proc.stderr
            and "consent verify" in proc.stderr
        )
    assert sha(ledger) == before


def test_postgres_ledger_with_tampered_triggers_is_not_written(postgres_dsn, pg_schema, tmp_path):
    import psycopg2

    gpkg = make_project_gpkg(tmp_path / "p.gpkg")
    loc = [postgres_dsn, "--schema", pg_schema]
    proc = landcoord(
        "consent",
        "init",
        *loc,
        "--cadastre",
        f"{gpkg}|layername=parcels",
        "--holder-field",
        "权利人",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    conn = psycopg2.connect(postgres_dsn)
    conn.autocommit = True

    def audit_rows():
        with conn.cursor() as cur:
            cur.execute(f'SELECT count(*) FROM "{pg_schema}".ledger_audit')
            return cur.fetchone()[0]

    for stmt, name in [
        (f'ALTER TABLE "{pg_schema}".ledger_consent DISABLE TRIGGER ledger_consent_audit', "disabled"),
        (f'DROP TRIGGER ledger_consent_audit ON "{pg_schema}".ledger_consent', "missing"),
    ]:
        with conn.cursor() as cur:
            cur.execute(stmt)
        n = audit_rows()
        proc = landcoord(
            "consent",
            "set",
            *loc,
            "--project",
            "P1",
            "--holder",
            "张三",
            "--status",
            "contacted",
            cwd=tmp_path,
        )
        assert_refused(proc, "tampered", f"ledger_consent_audit: {name}")
        assert audit_rows() == n
    conn.close()


# -- Windows rules for replacing and flushing files, simulated ------------------------------------


def _run_main(argv, cwd):
    from landcoord.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in argv])
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def windows(monkeypatch):
    """Windows' rules on Linux: fsync needs a writable handle, folders cannot be opened."""
    import fcntl

    from landcoord.allocation.io import files

    monkeypatch.setattr(files, "_WINDOWS", True)
    real_fsync, real_open = os.fsync, os.open

    def fsync(fd):
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor (Windows: fsync on a read-only handle)")
        return real_fsync(fd)

    def open_(path, flags, *args, **kwargs):
        if os.path.isdir(path):
            raise PermissionError(
                errno.EACCES, "Permission denied (Windows: a folder cannot be opened)", path
            )
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "open", open_)
    return files


def test_windows_atomic_write_flushes_through_a_writable_handle(work, windows):
    code, _, err = _run_main([*AFFECTED, "--out", "w.gpkg"], work)
    assert code == 0, err
    assert {"pieces", "summary"} <= {str(n) for n, _ in pyogrio.list_layers(work / "w.gpkg")}


def test_windows_target_open_in_another_program(work, windows, monkeypatch):
    """os.replace raises PermissionError (the PDF/GeoPackage is open elsewhere): clear message, old
    file kept, temporary file removed."""
    target = work / "open.gpkg"
    shutil.copy(work / "p.gpkg", target)
    before = snapshot(work)

    def replace(src, dst, *a, **k):
        raise PermissionError(
            errno.EACCES, "The process cannot access the file because it is being used", dst
        )

    monkeypatch.setattr(os, "replace", replace)
    code, _, err = _run_main([*AFFECTED, "--out", "open.gpkg"], work)
    assert code == 2, err
    assert "Close open.gpkg in the other program" in err and "nothing was written" in err
    assert "Traceback" not in err
    assert snapshot(work) == before  # old file kept, no temporary file left


def test_posix_permission_error_on_replace_is_not_blamed_on_another_program(work, monkeypatch):
    from landcoord.allocation.io import files

    monkeypatch.setattr(files, "_WINDOWS", False)
    before = snapshot(work)

    def replace(src, dst, *a, **k):
        raise PermissionError(errno.EACCES, "Permission denied", dst)

    monkeypatch.setattr(os, "replace", replace)
    code, _, err = _run_main([*AFFECTED, "--out", "new.gpkg"], work)
    assert code == 2 and "Nothing was written" in err and "other program" not in err, err
    assert snapshot(work) == before


# -- the same guard under qgis_process -----------------------------------------------------------


def _plain_env(home) -> dict:
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "MAKEFLAGS"):
        env.pop(var, None)
    env["LANDCOORD_LANG"] = "en"
    return env


# qgis_home: conftest.py (a HOME with landcoord installed, for QGIS_PROCESS with _plain_env)


def qgis_process(home, alg, params: dict, cwd):
    args = [QGIS_PROCESS, "run", alg, "--json", "--", *(f"{k}={v}" for k, v in params.items())]
    return subprocess.run(args, env=_plain_env(home), cwd=cwd, capture_output=True, text=True, timeout=600)


def _results(proc) -> dict:
    if "{" not in proc.stdout:
        return {}
    try:
        return json.loads(proc.stdout[proc.stdout.index("{") :]).get("results") or {}
    except ValueError:
        return {}


AFFECTED_ALG = {
    "BOUNDARY": "p.gpkg|layername=projects",
    "PROJECT_FIELD": "项目编号",
    "CADASTRE": "{abs}/p.gpkg|layername=parcels",
    "PARCEL_FIELD": "宗地号",
    "HOLDER_FIELD": "权利人",
}

# (id, algorithm, parameters, names the message must hold)
QGIS_CASES = [
    ("same-path", "landcoord:affectedarea", {**AFFECTED_ALG, "OUTPUT": "p.gpkg"}, ["(OUTPUT)", "(BOUNDARY)"]),
    (
        "dot-variant",
        "landcoord:affectedarea",
        {**AFFECTED_ALG, "OUTPUT": "./p.gpkg"},
        ["(OUTPUT)", "(BOUNDARY)"],
    ),
    (
        "absolute",
        "landcoord:affectedarea",
        {**AFFECTED_ALG, "OUTPUT": "{abs}/p.gpkg"},
        ["(OUTPUT)", "(BOUNDARY)"],
    ),
    ("symlink", "landcoord:affectedarea", {**AFFECTED_ALG, "OUTPUT": "link.gpkg"}, ["(OUTPUT)", "link.gpkg"]),
    (
        "hard-link",
        "landcoord:affectedarea",
        {**AFFECTED_ALG, "OUTPUT": "hard.gpkg"},
        ["(OUTPUT)", "hard.gpkg"],
    ),
    (
        "second-sink",
        "landcoord:affectedarea",
        {**AFFECTED_ALG, "OUTPUT": "TEMPORARY_OUTPUT", "SUMMARY": "{abs}/hard.gpkg"},
        ["(SUMMARY)", "(BOUNDARY)"],
    ),
    (
        "onto-a-ledger",
        "landcoord:affectedarea",
        {**AFFECTED_ALG, "OUTPUT": "ledger.gpkg"},
        ["(OUTPUT)", "ledger"],
    ),
    (
        "two-outputs-one-file",
        "landcoord:affectedarea",
        {**AFFECTED_ALG, "OUTPUT": "{abs}/new.gpkg", "GAPS": "./new.gpkg"},
        ["(OUTPUT)", "(GAPS)", "new.gpkg"],
    ),
    (
        "existing-geopackage-with-other-layers",
        "landcoord:affectedarea",
        {**AFFECTED_ALG, "OUTPUT": "controls.gpkg"},
        ["(OUTPUT)", "controls.gpkg", "parcels, projects, pieces", "ogr:dbname="],
    ),
    (
        "consent-progress-onto-its-ledger",
        "landcoord:consentprogress",
        {"LEDGER": "ledger.gpkg", "PIECES": "p.gpkg|layername=pieces", "OUTPUT": "ledger.gpkg"},
        ["(OUTPUT)", "(LEDGER)"],
    ),
    # the chain model: a step's output onto another step's input (the quota trail onto the control
    # lines the conflicts step reads later); before, the model replaced the control lines
    (
        "chain-output-onto-another-steps-input",
        "landcoord:landcoordchain",
        {
            **AFFECTED_ALG,
            "CONTROLS": "controls.gpkg|layername=parcels",
            "KIND_FIELD": "用地状态",
            "SCENARIOS": str(ROOT / "allocation" / "rules" / "scenarios" / "example_sample_scenarios.toml"),
            "affected_pieces": "{abs}/chain_pieces.gpkg",
            "scenarios_by_party": "{abs}/chain_sc.gpkg",
            "retainedland_parcels": "{abs}/chain_ret.gpkg",
            "hearing_pack": "{abs}/chain.pdf",
            "conflicts_of_the_retained_land": "{abs}/chain_cf.gpkg",
            "quota_trail": "controls.gpkg",
        },
        ["(quota_trail)", "(CONTROLS)", "controls.gpkg"],
    ),
]


@pytest.mark.qgis_process
@pytest.mark.parametrize("alg,params,names", [pytest.param(a, p, n, id=i) for i, a, p, n in QGIS_CASES])
def test_qgis_process_refuses_an_output_onto_an_input(qgis_home, work, alg, params, names):
    before = snapshot(work)
    proc = qgis_process(qgis_home, alg, {k: v.replace("{abs}", str(work)) for k, v in params.items()}, work)
    assert proc.returncode != 0, proc.stdout[-2000:]
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text, text[-3000:]
    assert "Nothing was written" in text, text[-3000:]
    for name in names:
        assert name in text, (name, text[-3000:])
    assert not _results(proc)
    assert snapshot(work) == before


@pytest.mark.qgis_process
@pytest.mark.parametrize(
    "where",
    [
        pytest.param("notes.gpkg/sub.gpkg", id="folder-is-a-file"),
        pytest.param("/proc/landcoord_out.gpkg", id="read-only-proc"),
    ],
)
def test_qgis_process_unwritable_folder_fails_and_lists_nothing(qgis_home, work, where):
    before = snapshot(work)
    params = {**AFFECTED_ALG, "CADASTRE": f"{work}/p.gpkg|layername=parcels", "OUTPUT": where}
    proc = qgis_process(qgis_home, "landcoord:affectedarea", {**params, "SUMMARY": f"{work}/s.csv"}, work)
    assert proc.returncode != 0, proc.stdout[-2000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not _results(proc)
    assert snapshot(work) == before
    assert not Path(where).exists()


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 200 kB tmpfs: a real full disk (root only; skipped where mount is not allowed)."""
    mnt = tmp_path / "full"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mnt)], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


@pytest.mark.qgis_process
def test_qgis_process_full_disk_fails_and_leaves_nothing(qgis_home, work, small_tmpfs):
    """GDAL reports the full disk only when the GeoPackage is closed: the run must still fail."""
    before = snapshot(work)
    proc = qgis_process(
        qgis_home, "landcoord:affectedarea",
        {**AFFECTED_ALG, "CADASTRE": f"{ROOT}/sample/landcoord_sample.gpkg|layername=parcels",
         "BOUNDARY": f"{ROOT}/sample/landcoord_sample.gpkg|layername=projects",
         "OUTPUT": f"{small_tmpfs}/pieces.gpkg"},
        work,
    )  # fmt: skip
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text[-3000:]
    assert "Traceback" not in text
    assert "(OUTPUT)" in text and "was not written completely" in text, text[-3000:]
    assert not _results(proc)
    assert list(small_tmpfs.iterdir()) == []  # the broken file was removed
    assert snapshot(work) == before


@pytest.mark.qgis_process
def test_qgis_process_hearing_pack_onto_a_geopackage_is_refused(qgis_home, work):
    before = snapshot(work)
    proc = qgis_process(
        qgis_home,
        "landcoord:hearingmaps",
        {
            "BOUNDARY": "p.gpkg|layername=projects",
            "PROJECT_FIELD": "项目编号",
            "PROJECT": "P1",
            "CADASTRE": "p.gpkg|layername=parcels",
            "PARCEL_FIELD": "宗地号",
            "HOLDER_FIELD": "权利人",
            "OUTPUT": "p.gpkg",
        },
        work,
    )
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text[-3000:]
    assert "Traceback" not in text
    assert "(OUTPUT)" in text and ".pdf" in text and "Nothing was written" in text, text[-3000:]
    assert snapshot(work) == before


@pytest.mark.qgis_process
def test_qgis_process_adds_a_layer_to_an_existing_geopackage_keeping_the_others(qgis_home, work):
    """The way out the refusal names: ogr:dbname=... table=NAME adds a layer and keeps the rest."""
    target = work / "controls.gpkg"
    parcels = pyogrio.read_dataframe(target, layer="parcels")
    proc = qgis_process(
        qgis_home,
        "landcoord:affectedarea",
        {
            **AFFECTED_ALG,
            "CADASTRE": f"{work}/p.gpkg|layername=parcels",
            "OUTPUT": f"ogr:dbname='{target}' table=\"pieces2\"",
        },
        work,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    layers = [str(n) for n, _ in pyogrio.list_layers(target)]
    assert layers[:3] == ["parcels", "projects", "pieces"] and "pieces2" in layers
    assert pyogrio.read_dataframe(target, layer="parcels").equals(parcels)
    assert len(pyogrio.read_dataframe(target, layer="pieces2")) == len(
        pyogrio.read_dataframe(work / "p.gpkg", layer="pieces")
    )


def test_dock_runner_path_refuses_too(work, landcoord_provider):
    """The dock runs algorithms through QgsProcessingAlgRunnerTask / alg.run, which skip
    checkParameterValues: prepareAlgorithm refuses the same outputs before anything is written."""
    from qgis.core import (
        QgsApplication,
        QgsFeatureRequest,
        QgsProcessingContext,
        QgsProcessingException,
        QgsProcessingFeedback,
    )

    alg = QgsApplication.processingRegistry().algorithmById("landcoord:affectedarea").create()
    context = QgsProcessingContext()
    context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
    errors = []

    class Feedback(QgsProcessingFeedback):
        def reportError(self, text, fatalError=False):  # noqa: N803 - Qt's name
            errors.append(text)

    feedback = Feedback()
    before = snapshot(work)
    params = {**AFFECTED_ALG, "BOUNDARY": f"{work}/p.gpkg|layername=projects"}
    params = {**params, "CADASTRE": f"{work}/p.gpkg|layername=parcels", "OUTPUT": str(work / "hard.gpkg")}
    try:
        _, ok = alg.run(params, context, feedback)
    except QgsProcessingException as exc:
        ok, errors = False, [*errors, str(exc)]
    assert not ok
    assert snapshot(work) == before
    assert any("(OUTPUT)" in e and "hard.gpkg" in e and "(BOUNDARY)" in e for e in errors), errors


def test_cli_full_disk_fails_and_leaves_nothing(small_tmpfs):
    sample = ROOT / "sample" / "landcoord_sample.gpkg"
    before = sha(sample)
    proc = landcoord(
        "affected", "--boundary", f"{sample}|layername=projects", "--cadastre", f"{sample}|layername=parcels",
        *FIELDS, "--project-field", "项目编号", "--out", small_tmpfs / "a.gpkg", cwd=small_tmpfs.parent,
    )  # fmt: skip
    assert_refused(proc, "a.gpkg")
    assert list(small_tmpfs.iterdir()) == []
    assert sha(sample) == before


def test_every_cli_output_option_is_declared():
    """Each command declares its output options in OUTPUTS, so that the guard sees them: an option
    whose help says it writes (output/write/draw ...) must be there (new commands included)."""
    import argparse
    import re

    from landcoord import cli

    def actions(parser):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from actions(sub)
            else:
                yield action

    writes = re.compile(r"^(output|write|draw|the pdf to write)\b", re.I)
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = []
    for mod in cli._commands():
        declared = set(getattr(mod, "OUTPUTS", {}) or {})
        for action in actions(sub.choices[mod.NAME]):
            writer = action.help and writes.search(action.help) and action.nargs != 0
            read_here = action.help and "of `landcoord" in action.help  # an earlier command's output
            folder = hasattr(mod, "output_paths") and action.dest == "out"  # files from output_paths
            if writer and not read_here and not folder and action.dest not in declared:
                missing.append(f"{mod.NAME} {action.dest}: {action.help}")
    assert not missing, missing


def test_hearing_write_templates_never_overwrites_the_templates_given(work):
    (work / "tpl").mkdir()
    (work / "tpl" / "overview_A3.qpt").write_text("<Layout/>", encoding="utf-8")
    before = snapshot(work)
    proc = landcoord("hearing", "--templates", "tpl", "--write-templates", "./tpl", cwd=work)
    assert_refused(proc, "--write-templates", "--templates")
    assert snapshot(work) == before
