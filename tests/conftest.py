"""Shared fixtures. QGIS itself comes from pytest-qgis (qgis_app, qgis_iface, qgis_processing).

Plugin modules are imported inside fixtures and tests, never at the top of this file (pytest-qgis
patches ``iface`` after conftest files are imported).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("LANDCOORD_SHARED_DATA", ROOT.parent / "shared" / "data"))
SAMPLE = ROOT / "sample" / "landcoord_sample.gpkg"


def _ensure_importable() -> None:
    """Make ``import landcoord`` resolve to this checkout even outside the venv's .pth."""
    try:
        import landcoord  # noqa: F401

        return
    except ImportError:
        pass
    link_dir = ROOT / ".venv" / "pkgroot"
    link_dir.mkdir(parents=True, exist_ok=True)
    link = link_dir / "landcoord"
    if not link.exists():
        link.symlink_to(ROOT)
    sys.path.insert(0, str(link_dir))


_ensure_importable()
# messages in English whatever the machine's locale (tests that check Chinese set it themselves);
# command-line subprocesses inherit this
os.environ["LANDCOORD_LANG"] = "en"
# Tests run with --import-mode=importlib (pyproject.toml): pytest must not put the repository root
# on sys.path, where its processing/ folder would shadow QGIS's Processing package, whatever the
# checkout folder is called. Helper modules in tests/ stay importable from here.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))


@pytest.fixture(scope="module")
def qgis_home(request, tmp_path_factory) -> Path:
    """A temporary HOME with landcoord installed by `make install` (never the user's profile), for a
    test module that runs its ``QGIS_PROCESS`` with its ``_plain_env(home)`` (the environment of a
    plain QGIS process: no venv, no pytest-qgis settings path); skipped when that binary is missing."""
    exe = getattr(request.module, "QGIS_PROCESS", None)
    if exe is None or not Path(exe).exists():
        pytest.skip(f"{exe or 'qgis_process'} is not installed")
    home = tmp_path_factory.mktemp("home")
    proc = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "install"],
        env=request.module._plain_env(home),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return home


@pytest.fixture(scope="session")
def sample_gpkg() -> Path:
    assert SAMPLE.exists(), "the bundled sample project is missing: run `make sample`"
    return SAMPLE


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The team's shared real-data folder; tests that need it skip when it is absent."""
    if not SHARED_DATA.exists():
        pytest.skip(f"shared real data not found at {SHARED_DATA} (a fresh clone has none)")
    return SHARED_DATA


@pytest.fixture
def landcoord_provider(qgis_app, qgis_processing):
    """The landcoord provider registered in the test QGIS for one test, removed afterwards."""
    from qgis.core import QgsApplication

    from landcoord.processing.provider import LandcoordProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("landcoord")
    added = provider is None
    if added:
        provider = LandcoordProvider()
        registry.addProvider(provider)
    yield provider
    if added:
        registry.removeProvider(provider)


@pytest.fixture
def run_alg(landcoord_provider, qgis_processing):
    """Run a landcoord algorithm through ``processing.run`` and return its result dict."""
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    def _run(alg_id: str, params: dict, feedback=None):
        context = QgsProcessingContext()
        fb = feedback or QgsProcessingFeedback()
        return processing.run(alg_id, params, context=context, feedback=fb)

    return _run


# -- a throw-away PostgreSQL + PostGIS server for the test run ----------------------------------------
def _postgres_bindir() -> Path | None:
    """The newest PostgreSQL server binaries installed from Debian's packages, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_dsn():
    """A libpq DSN (``host=127.0.0.1 port=NNNN dbname=landcoord user=postgres``) of a real
    PostgreSQL server with PostGIS, started for this test run and removed after it.

    The cluster is made with ``initdb`` in a temporary folder (as the ``postgres`` OS user when the
    tests run as root), listens on a free port of 127.0.0.1 only, keeps its socket in that folder,
    and trusts local connections (it holds test data only). Skips only when the server binaries or
    PostGIS are not installed (``scripts/bootstrap.sh`` installs them).
    """
    import pwd
    import shutil
    import subprocess
    import tempfile

    bindir = _postgres_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (run scripts/bootstrap.sh)"
        )
    version = bindir.parent.name
    if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
        pytest.skip(f"PostGIS for PostgreSQL {version} is not installed (run scripts/bootstrap.sh)")
    try:
        import psycopg2
    except ImportError:
        pytest.skip("psycopg2 is not importable (Debian's python3-psycopg2; run scripts/bootstrap.sh)")

    as_root = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="landcoord-pg-"))
    prefix: list[str] = []
    if as_root:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            pytest.skip("running as root but there is no 'postgres' OS user to run the server as")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"
    port = _free_port()

    def run(*cmd):
        proc = subprocess.run([*prefix, *map(str, cmd)], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}\n{tail}")
        return proc

    started = False
    try:
        run(
            bindir / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        opts = (
            f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off"
        )
        run(bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", opts, "start")
        started = True
        admin = psycopg2.connect(host="127.0.0.1", port=port, dbname="postgres", user="postgres")
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute("CREATE DATABASE landcoord")
        admin.close()
        dsn = f"host=127.0.0.1 port={port} dbname=landcoord user=postgres"
        conn = psycopg2.connect(dsn)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("CREATE EXTENSION postgis")
        conn.close()
        yield dsn
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=120,
            )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def qgis_in_chinese(qgis_app):
    """QGIS's user interface locale set to zh_CN for one test; afterwards as it was, core in English."""
    from qgis.core import QgsSettings

    from landcoord.allocation import i18n

    settings = QgsSettings()
    before = settings.value("locale/userLocale", None)
    settings.setValue("locale/userLocale", "zh_CN")
    yield
    if before is None:
        settings.remove("locale/userLocale")
    else:
        settings.setValue("locale/userLocale", before)
    i18n.set_language("en")


@pytest.fixture
def recording_feedback(qgis_app):
    """A QgsProcessingFeedback that keeps what it is told (the dock's own): ``infos``, ``warnings``
    (with non-fatal errors, as the provider reports the core's warnings), ``errors``."""
    from landcoord.ui.tasks import CollectingFeedback

    return CollectingFeedback()
