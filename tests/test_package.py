"""`make package`: a zip QGIS can install, without tests, with compiled translations."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [str(ROOT / "scripts" / "package.sh")],
        env=dict(os.environ, DIST=str(dist)),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    (zip_path,) = dist.glob("landcoord-*.zip")
    return zip_path


def test_zip_holds_the_plugin_and_nothing_of_development(package):
    names = zipfile.ZipFile(package).namelist()
    assert all(n.startswith("landcoord/") for n in names)
    for required in (
        "metadata.txt",
        "__init__.py",
        "plugin.py",
        "processing/provider.py",
        "allocation/affected.py",
        "i18n/landcoord_zh_CN.qm",
        "qgis_compat.py",
        "icons/landcoord.svg",
        "help/affectedarea.html",
        "help/zh_CN/affectedarea.html",
        "sample/landcoord_sample.gpkg",
        "LICENSE",
    ):
        assert f"landcoord/{required}" in names, required
    top = {n.split("/")[1] for n in names}
    assert not top & {"tests", "benchmarks", "scripts", ".ci", "docs", ".venv", "Makefile", "pyproject.toml"}
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    # no compiled Qt resources: the icon is loaded from its file (pyrcc5 has no Qt6 counterpart in PyQt6)
    assert not [n for n in names if n.endswith(("resources_rc.py", ".qrc"))]


def test_zip_holds_the_message_catalogs_and_they_translate(package, tmp_path):
    """The core's, the command line's and the report's gettext catalogs ship (.po and compiled .mo)."""
    names = zipfile.ZipFile(package).namelist()
    domains = (("allocation", "landcoord"), ("cli", "landcoord_cli"), ("report", "landcoord_report"))
    for area, domain in domains:
        for ext in (".po", ".mo"):
            assert f"landcoord/{area}/locale/zh_CN/LC_MESSAGES/{domain}{ext}" in names, (area, ext)
    assert not [n for n in names if "/locale/" in n and n.endswith(".json")]
    zipfile.ZipFile(package).extractall(tmp_path)
    code = (
        "from landcoord.allocation import i18n; i18n.set_language('zh_CN'); print(i18n.__file__); "
        "print(i18n.tr('landcoord {command}: error: {error}', command='affected', error='x'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, PYTHONPATH=str(tmp_path)),
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    where, message = proc.stdout.splitlines()
    assert where.startswith(str(tmp_path)), where  # the unzipped plugin's catalogs, not the checkout's
    assert message == "landcoord affected：错误：x", message


def test_zip_installs_into_qgis_and_lists_its_algorithms(package, tmp_path):
    """Unzipped into a fresh profile as "Install from ZIP" does, the plugin loads in qgis_process."""
    home = tmp_path / "home"
    plugins = home / ".local/share/QGIS/QGIS3/profiles/default/python/plugins"
    plugins.mkdir(parents=True)
    zipfile.ZipFile(package).extractall(plugins)
    # the libraries: the same venv, as `make install` would make them importable
    site = next(p for p in sys.path if p.endswith("site-packages") and ".venv" in p)
    user_site = home / ".local/lib/python3.11/site-packages"
    user_site.mkdir(parents=True)
    (user_site / "landcoord-deps.pth").write_text(site + "\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "VIRTUAL_ENV", "PYTHONPATH")
    }
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    run = [str(Path("/usr/bin/qgis_process.bin"))]
    assert (
        subprocess.run([*run, "plugins", "enable", "landcoord"], env=env, capture_output=True).returncode == 0
    )
    listing = subprocess.run([*run, "list"], env=env, capture_output=True, text=True).stdout
    for alg in ("affectedarea", "planconflicts", "retainedquota", "carveretained", "hearingmaps"):
        assert f"landcoord:{alg}" in listing
