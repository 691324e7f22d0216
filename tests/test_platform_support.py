"""Windows, macOS and Linux: the dependency check and its advice, and the CJK fonts.

The platform is simulated on this Debian machine by patching
``landcoord.allocation._platform.platform_key`` (every platform-dependent choice goes through it),
the installed font families and the absence of ``fc-match``; missing libraries by putting ``None``
into ``sys.modules`` (then ``import`` raises ImportError, as for an absent package).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def platform(monkeypatch):
    """Call with "windows", "macos" or "linux" to make landcoord believe it runs there."""
    from landcoord.allocation import _platform

    def set_platform(key: str) -> None:
        monkeypatch.setattr(_platform, "platform_key", lambda: key)

    return set_platform


@pytest.fixture
def chinese():
    from landcoord.allocation import i18n

    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


# -- one source of truth for the minimum versions ----------------------------------------------------


def _lower_bounds(text: str) -> dict:
    """pip name -> lower bound (tuple) of each requirement line with >= or ==."""
    out = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        m = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", line)
        if not line or not m:
            continue
        for spec in m.group(3).split(","):
            spec = spec.strip()
            if spec.startswith((">=", "==")):
                out[m.group(1).lower()] = tuple(int(x) for x in re.findall(r"\d+", spec[2:])[:3])
    return out


def test_requirements_never_allow_less_than_the_runtime_minima():
    from landcoord.deps import requirement_minima

    bounds = _lower_bounds((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    minima = requirement_minima()
    assert {"shapely", "geopandas", "pandas", "pyproj", "pyogrio", "openpyxl", "dask"} <= set(minima)
    for name, minimum in minima.items():
        assert name in bounds, f"requirements.txt has no lower bound for {name} (runtime minimum {minimum})"
        assert bounds[name] >= minimum, f"requirements.txt allows {name} {bounds[name]} < minimum {minimum}"
    assert minima["shapely"] >= (2, 1)  # make_valid(method="structure"), has_m


def test_the_installed_libraries_meet_the_minima():
    from landcoord.deps import missing_dependencies, missing_optional

    assert missing_dependencies() == []
    assert missing_optional("city") == []
    assert missing_optional("xlsx") == []


def test_an_absent_or_old_library_is_reported(monkeypatch):
    import shapely

    from landcoord.deps import missing_dependencies

    monkeypatch.setitem(sys.modules, "pyogrio", None)
    assert missing_dependencies() == ["pyogrio>=0.7"]
    monkeypatch.setattr(shapely, "__version__", "2.0.6")  # Debian 12's python3-shapely is 2.0
    assert missing_dependencies() == ["shapely>=2.1", "pyogrio>=0.7"]


# -- advice per platform ------------------------------------------------------------------------------


def test_windows_advice_is_the_osgeo4w_shell_with_quoted_requirements(platform):
    from landcoord.deps import install_hint

    platform("windows")
    text = install_hint(["shapely>=2.1", "pyogrio>=0.7"])
    assert "shapely>=2.1, pyogrio>=0.7" in text
    assert "OSGeo4W Shell" in text
    assert 'python -m pip install --upgrade "shapely>=2.1" "pyogrio>=0.7"' in text
    assert "apt" not in text and "make install" not in text and "sudo" not in text


def test_windows_advice_in_chinese(platform, chinese):
    from landcoord.deps import install_hint

    platform("windows")
    text = install_hint(["shapely>=2.1"])
    assert "缺失或版本过旧：shapely>=2.1" in text
    assert "OSGeo4W Shell" in text and "开始" in text
    assert 'python -m pip install --upgrade "shapely>=2.1"' in text
    assert "apt" not in text


def test_linux_checkout_advice_is_make_install(platform):
    from landcoord import deps

    platform("linux")
    assert (ROOT / "Makefile").is_file()
    text = deps.install_hint(["shapely>=2.1"])
    assert "make install" in text and str(ROOT) in text
    assert "apt" not in text


def test_linux_zip_install_gets_pip_with_the_geos_caveat(platform, monkeypatch, tmp_path):
    from landcoord import deps

    platform("linux")
    monkeypatch.setattr(deps, "HERE", tmp_path)  # a plugin unzipped by QGIS: no Makefile beside it
    text = deps.install_hint(["shapely>=2.1", "pyproj>=3.3"])
    assert "make install" not in text
    assert 'python3 -m pip install --user "shapely>=2.1" "pyproj>=3.3"' in text
    assert "--no-binary shapely,pyogrio,pyproj" in text and "GEOS" in text
    assert "python3-shapely is version 2.0 and too old" in text
    assert "apt install" not in text and "apt-get" not in text


def test_macos_advice(platform, chinese):
    from landcoord.deps import install_hint

    platform("macos")
    text = install_hint(["geopandas>=1.0"])
    assert 'QGIS-LTR.app/Contents/MacOS/bin/python3 -m pip install --user "geopandas>=1.0"' in text
    assert "apt" not in text and "OSGeo4W" not in text and "重启 QGIS" in text


# -- the optional city screen -------------------------------------------------------------------------


def test_city_screen_reports_itself_unavailable_without_dask(qgis_app, monkeypatch, platform):
    from landcoord.processing.city_screen import CityScreen

    alg = CityScreen()
    assert alg.canExecute() == (True, "")
    platform("windows")
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    ok, reason = alg.canExecute()
    assert ok is False
    assert "city screen" in reason and "dask-geopandas>=0.4" in reason
    assert '"dask-geopandas>=0.4"' in reason and "OSGeo4W Shell" in reason
    assert "Everything else works without it" in reason


def test_city_screen_reason_in_chinese(qgis_app, monkeypatch, platform, chinese):
    from landcoord.processing.city_screen import CityScreen

    platform("linux")
    monkeypatch.setitem(sys.modules, "dask", None)
    ok, reason = CityScreen().canExecute()
    assert ok is False and "城市级筛查" in reason and "dask[dataframe]>=2024.1" in reason


def test_plugin_on_windows_says_how_to_install_there(qgis_app, qgis_iface, monkeypatch, platform):
    from qgis.core import Qgis, QgsApplication

    import landcoord.plugin as plugin_module

    platform("windows")
    monkeypatch.setitem(sys.modules, "pyproj", None)
    qgis_iface.messageBar().clear_messages()
    plugin = plugin_module.LandcoordPlugin(qgis_iface)
    plugin.initGui()
    try:
        assert QgsApplication.processingRegistry().providerById("landcoord") is None
        critical = qgis_iface.messageBar().get_messages(Qgis.Critical)
        assert any('python -m pip install --upgrade "pyproj>=3.3"' in m for m in critical), critical
        assert not any("apt" in m or "make install" in m for m in critical)
    finally:
        plugin.unload()
