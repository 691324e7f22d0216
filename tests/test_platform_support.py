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


# -- CJK fonts ----------------------------------------------------------------------------------------

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def test_linux_keeps_noto_sans_cjk_sc_first(qgis_app):
    from landcoord.report.fonts import cjk_family, platform_key, require_cjk_font

    assert platform_key() == "linux"
    assert cjk_family() == "Noto Sans CJK SC"
    assert require_cjk_font() == "DejaVu Sans"  # with Noto Sans CJK SC substituted, as before
    assert cjk_family(["WenQuanYi Micro Hei", "Noto Sans CJK SC"]) == "Noto Sans CJK SC"
    assert cjk_family(["Droid Sans Fallback", "WenQuanYi Zen Hei"]) == "WenQuanYi Zen Hei"


def test_windows_picks_its_own_fonts_under_either_name(qgis_app, platform):
    from landcoord.report.fonts import cjk_family, require_cjk_font

    platform("windows")
    assert cjk_family(["Arial", "SimSun", "SimHei", "Microsoft YaHei"]) == "Microsoft YaHei"
    assert cjk_family(["Arial", "宋体", "等线"]) == "等线"  # a Chinese Windows lists Chinese names
    assert require_cjk_font(["Arial", "SimSun"]) == "SimSun"  # no DejaVu Sans: set in the CJK font
    # Linux fonts do not count on Windows, and the other way round
    with pytest.raises(Exception, match="Supplemental Fonts"):
        cjk_family(["Noto Sans CJK SC"])
    platform("linux")
    with pytest.raises(Exception, match="fonts-noto-cjk"):
        cjk_family(["Microsoft YaHei"])


def test_missing_font_message_per_platform(qgis_app, platform, chinese):
    from landcoord.allocation.errors import OutputError
    from landcoord.report.fonts import cjk_family

    platform("windows")
    with pytest.raises(OutputError) as err:
        cjk_family(["Arial", "Times New Roman"])
    text = str(err.value)
    assert "Microsoft YaHei, DengXian, SimHei, SimSun" in text and "中文(简体)补充字体" in text
    assert "apt" not in text and "fonts-noto-cjk" not in text
    platform("macos")
    with pytest.raises(OutputError) as err:
        cjk_family(["Helvetica"])
    assert "PingFang SC" in str(err.value) and "macOS 内置" in str(err.value) and "apt" not in str(err.value)
    platform("linux")
    with pytest.raises(OutputError, match="sudo apt-get install fonts-noto-cjk"):
        cjk_family(["DejaVu Sans"])


def test_font_file_found_without_fc_match(monkeypatch):
    from landcoord.allocation import fonts

    assert fonts.find_font_file("Noto Sans CJK SC") == (str(NOTO), 2)  # fc-match: the SC face
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)  # no fontconfig (Windows, macOS)
    # matplotlib lists the collection as "Noto Sans CJK JP" only: found in /usr/share/fonts, and
    # the SC face picked by the names inside the collection
    assert fonts.find_font_file("Noto Sans CJK SC") == (str(NOTO), 2)
    wqy = fonts.find_font_file("文泉驿微米黑")  # through matplotlib's font list, by its Chinese name
    assert wqy is not None and wqy[0].endswith("wqy-microhei.ttc")
    assert fonts.find_font_file("No Such Font SC") is None


def test_windows_font_file_found_in_windir_fonts(monkeypatch, tmp_path, platform):
    import shutil

    from landcoord.allocation import fonts

    platform("windows")
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    (tmp_path / "Fonts").mkdir()
    shutil.copy(NOTO.with_name("NotoSansCJK-Bold.ttc"), tmp_path / "Fonts" / "msyh.ttc")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    assert fonts.font_dirs() == [tmp_path / "Fonts"]
    assert fonts.find_font_file("Microsoft YaHei") == (str(tmp_path / "Fonts" / "msyh.ttc"), 0)
    assert fonts.find_font_file("微软雅黑") == (str(tmp_path / "Fonts" / "msyh.ttc"), 0)
    assert fonts.find_font_file("SimHei") is None


def test_pdf_text_layer_map_is_the_same_without_fc_match(qgis_app, monkeypatch):
    from landcoord.allocation import fonts
    from landcoord.report import pdf

    pdf._radical_map.cache_clear()
    with_fc = pdf.radical_map()
    assert with_fc == pdf.radical_map("Noto Sans CJK SC")
    assert with_fc[0x2EF0] == ord("龙") and with_fc[0x2F1F] == ord("土")
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    pdf._radical_map.cache_clear()
    try:
        assert pdf.radical_map() == with_fc
    finally:
        pdf._radical_map.cache_clear()


def test_chart_font_per_platform(monkeypatch, platform):
    from matplotlib import font_manager

    from landcoord.allocation.feedback import RecordingFeedback
    from landcoord.allocation.scenarios import cjk_font

    real = font_manager.fontManager.ttflist
    assert cjk_font() in ("WenQuanYi Micro Hei", "Noto Sans CJK SC")  # this Debian machine
    platform("windows")
    fake = [font_manager.FontEntry(fname=str(NOTO), name=n) for n in ("Arial", "SimHei", "Microsoft YaHei")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake)
    assert cjk_font() == "Microsoft YaHei"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", real)  # Debian's fonts, but "on Windows"
    fb = RecordingFeedback()
    assert cjk_font(fb) is None
    (warning,) = fb.warnings
    assert "Microsoft YaHei, DengXian, SimHei, SimSun" in warning and "Supplemental Fonts" in warning
    assert "apt" not in warning


def test_processing_run_of_the_city_screen_without_dask_says_why(run_alg, monkeypatch, sample_gpkg):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    params = {
        "PROJECTS": f"{sample_gpkg}|layername=projects",
        "CADASTRE": f"{sample_gpkg}|layername=parcels",
        "PARCEL_FIELD": "宗地号",
        "HOLDER_FIELD": "权利人",
        "OUTPUT": "TEMPORARY_OUTPUT",
    }
    class Errors(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.errors = []

        def reportError(self, error, fatalError=False):  # noqa: N803 - QGIS names it so
            self.errors.append(error)

    fb = Errors()
    with pytest.raises(QgsProcessingException):
        run_alg("landcoord:cityscreen", params, feedback=fb)
    assert any(re.search(r"city screen .* dask-geopandas>=0\.4", e, re.S) for e in fb.errors), fb.errors


def test_qgis_process_city_screen_without_dask_says_why(tmp_path, sample_gpkg):
    """qgis_process does not ask canExecute(); the algorithm refuses in prepareAlgorithm instead."""
    import os
    import subprocess
    import sysconfig

    exe = Path("/usr/bin/qgis_process.bin")
    if not exe.exists():
        pytest.skip("qgis_process.bin is not installed")
    home = tmp_path / "home"
    plugins = home / ".local/share/QGIS/QGIS3/profiles/default/python/plugins"
    plugins.mkdir(parents=True)
    (plugins / "landcoord").symlink_to(ROOT)
    user_site = home / ".local/lib/python3.11/site-packages"
    user_site.mkdir(parents=True)
    (user_site / "landcoord-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    absent = tmp_path / "absent" / "dask_geopandas"
    absent.mkdir(parents=True)
    (absent / "__init__.py").write_text('raise ImportError("dask-geopandas is not installed (simulated)")\n')
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "QGIS_CUSTOM_CONFIG_PATH")}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", LANDCOORD_LANG="en")
    env.pop("PYTHONPATH", None)
    enable = subprocess.run([str(exe), "plugins", "enable", "landcoord"], env=env, capture_output=True)
    assert enable.returncode == 0, enable.stderr
    env["PYTHONPATH"] = str(absent.parent)
    proc = subprocess.run(
        [
            str(exe),
            "run",
            "landcoord:cityscreen",
            "--",
            f"PROJECTS={sample_gpkg}|layername=projects",
            f"CADASTRE={sample_gpkg}|layername=parcels",
            "PARCEL_FIELD=宗地号",
            "HOLDER_FIELD=权利人",
            f"OUTPUT={tmp_path / 'city.gpkg'}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text
    assert "The city screen (all projects at once, on Dask) is not available" in text, text
    assert "dask-geopandas>=0.4" in text and "Traceback" not in text, text
    assert not (tmp_path / "city.gpkg").exists()


# -- metadata and help links point at nothing invented ------------------------------------------------


def test_metadata_versions_and_no_invented_links():
    import configparser

    meta = configparser.ConfigParser()
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    general = meta["general"]
    assert general["qgisMinimumVersion"] == "3.34" and general["qgisMaximumVersion"] == "3.99"
    text = (ROOT / "metadata.txt").read_text(encoding="utf-8")
    assert "example.org" not in text and "github.com/landcoord" not in text
    for key in ("repository", "tracker", "homepage", "email"):
        assert not general.get(key), f"{key} must stay empty until the real one exists"


def test_every_algorithm_help_is_a_shipped_file(landcoord_provider, chinese):
    from qgis.PyQt.QtCore import QUrl

    from landcoord.processing.base import help_url

    algorithms = landcoord_provider.algorithms()
    assert algorithms
    for alg in algorithms:
        url = QUrl(alg.helpUrl())
        assert url.isLocalFile(), (alg.id(), alg.helpUrl())
        path = Path(url.toLocalFile())
        assert path.is_file() and path.resolve().is_relative_to(ROOT.resolve()), (alg.id(), path)
    assert help_url("cityscreen").endswith("help/zh_CN/cityscreen.html")  # the Chinese page, shipped
    assert help_url("no_such_algorithm").endswith("README.zh-CN.md")  # no page: the README


def test_plugin_logs_which_optional_feature_is_off(qgis_app, qgis_iface, monkeypatch):
    from qgis.core import QgsApplication

    import landcoord.plugin as plugin_module

    seen = []

    def grab(message, tag, level):
        if tag == "landcoord":
            seen.append(message)

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    QgsApplication.messageLog().messageReceived.connect(grab)
    plugin = plugin_module.LandcoordPlugin(qgis_iface)
    try:
        plugin.initProcessing()
        assert QgsApplication.processingRegistry().providerById("landcoord") is not None
    finally:
        plugin.unload()
        QgsApplication.messageLog().messageReceived.disconnect(grab)
    assert any("Reading Excel workbooks (.xlsx) is not available" in m and "openpyxl>=3.0" in m for m in seen)
    assert not any("city screen" in m for m in seen)  # dask is installed here
