"""Checks that the Python libraries landcoord needs are importable, without importing QGIS.

Used by the plugin at start-up: a missing library must not crash QGIS; the officer gets a message,
in QGIS's language, saying what is missing and how to install it on this platform.

The minimum versions here are the *runtime minima*: the oldest releases that have what the code
calls (each entry says what). ``requirements.txt`` pins the versions the development venv is built
and tested with; ``tests/test_platform_support.py`` checks that its lower bounds are never below
these minima, so the two cannot drift apart.

The city screen (Dask) and the Excel import of the consent ledger (openpyxl) are optional: a
missing optional library disables only that feature (see :func:`missing_optional`).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .allocation import _platform
from .allocation.i18n import tr

__all__ = [
    "REQUIRED",
    "OPTIONAL",
    "missing_dependencies",
    "missing_optional",
    "install_hint",
    "optional_hint",
    "city_unavailable_reason",
    "requirement_minima",
]

HERE = Path(__file__).resolve().parent

#: module name -> minimal version (as a tuple), pip requirement. Why these minima:
#: shapely 2.1: ``make_valid(method="structure", keep_collapsed=...)`` and ``has_m`` (new in 2.1);
#: geopandas 1.0: the first release built on shapely 2 only, with pyogrio as its I/O engine;
#: pandas 2.0: what geopandas 1.x is tested with (``pd.Index`` of objects, copy semantics);
#: pyproj 3.3: ``CRS``/``Transformer.from_crs(always_xy=)`` as geopandas 1.0 requires;
#: pyogrio 0.7: ``read_dataframe(use_arrow=, fid_as_index=)``, ``read_info`` with ``total_bounds``,
#: ``read_bounds``, ``list_layers`` (geopandas 1.0 needs 0.7.2).
REQUIRED = {
    "shapely": ((2, 1), "shapely>=2.1"),
    "geopandas": ((1, 0), "geopandas>=1.0"),
    "pandas": ((2, 0), "pandas>=2.0"),
    "pyproj": ((3, 3), "pyproj>=3.3"),
    "pyogrio": ((0, 7), "pyogrio>=0.7"),
}

#: feature -> {module name -> (minimal version, pip requirement)}; a feature works when all are there.
#: city: ``dask.delayed``/``dask.compute``, ``distributed.Client``/``LocalCluster``/``as_completed``,
#: ``dask_geopandas.from_geopandas(...).hilbert_distance(total_bounds=, level=)`` (dask-geopandas 0.4
#: is the first for geopandas 1.0); xlsx: ``openpyxl.load_workbook(read_only=, data_only=)``.
OPTIONAL = {
    "city": {
        "dask": ((2024, 1), "dask[dataframe]>=2024.1"),
        "distributed": ((2024, 1), "distributed>=2024.1"),
        "dask_geopandas": ((0, 4), "dask-geopandas>=0.4"),
    },
    "xlsx": {
        "openpyxl": ((3, 0), "openpyxl>=3.0"),
    },
}


def _version_tuple(text: str) -> tuple:
    out = []
    for part in str(text).split(".")[:3]:
        digits = ""
        for ch in part:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        out.append(int(digits))
    return tuple(out)


def _missing(table: dict) -> list[str]:
    missing = []
    for module, (minimum, requirement) in table.items():
        try:
            mod = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a broken install is as missing as an absent one
            missing.append(requirement)
            continue
        if _version_tuple(getattr(mod, "__version__", "0")) < minimum:
            missing.append(requirement)
    return missing


def missing_dependencies() -> list[str]:
    """Required libraries that are absent or too old, as pip requirements (empty when all is well).

    Examples
    --------
    >>> isinstance(missing_dependencies(), list)
    True
    """
    return _missing(REQUIRED)


def missing_optional(feature: str) -> list[str]:
    """The libraries ``feature`` (``"city"`` or ``"xlsx"``) lacks, as pip requirements.

    Examples
    --------
    >>> isinstance(missing_optional("city"), list)
    True
    """
    return _missing(OPTIONAL[feature])


def requirement_minima() -> dict:
    """pip distribution name -> minimal version tuple, required and optional (for the tests)."""
    out = {}
    for table in (REQUIRED, *OPTIONAL.values()):
        for minimum, requirement in table.values():
            name = requirement.split(">=")[0].split("[")[0].strip().lower()
            out[name] = minimum
    return out


def _quoted(missing: list[str]) -> str:
    """``"shapely>=2.1" "pyproj>=3.3"``: double quotes keep ``>`` from redirecting in cmd.exe and sh."""
    return " ".join(f'"{r}"' for r in missing)


def _has_makefile() -> bool:
    """A development checkout (``make install`` possible), not a plugin installed from a ZIP."""
    return (HERE / "Makefile").is_file() and (HERE / "scripts" / "install.sh").is_file()


def _advice(missing: list[str]) -> str:
    """How to install ``missing`` on this platform, in the officer's language."""
    platform = _platform.platform_key()
    if platform == _platform.WINDOWS:
        return tr(
            "On Windows: close QGIS, open the OSGeo4W Shell from the Start menu (in the QGIS folder) "
            "and run:\n"
            "python -m pip install --upgrade {requirements}\n"
            "The QGIS installers for Windows (OSGeo4W and standalone) already include shapely, "
            "pyproj, pyogrio, pandas and geopandas in recent versions, so usually only an upgrade is "
            "needed. Then start QGIS again.",
            requirements=_quoted(missing),
        )
    if platform == _platform.MACOS:
        return tr(
            "On macOS: install them into the Python that comes with QGIS, from Terminal:\n"
            "/Applications/QGIS-LTR.app/Contents/MacOS/bin/python3 -m pip install --user {requirements}\n"
            "(use the path of your QGIS application if it has another name). Then restart QGIS.",
            requirements=_quoted(missing),
        )
    if _has_makefile():
        return tr(
            "On Linux, in the landcoord folder ({folder}), run: make install\n"
            "It builds them against the system's GEOS, GDAL and PROJ (the libraries QGIS itself uses) "
            "and makes them visible to QGIS. Then restart QGIS.",
            folder=HERE,
        )
    return tr(
        "On Linux: QGIS uses the system's Python 3 and its GEOS, GDAL and PROJ. Install the libraries "
        "for your user:\n"
        "python3 -m pip install --user {requirements}\n"
        "(Debian 12 and Ubuntu 23.04 or later also need --break-system-packages; with --user it "
        "writes only to your home folder.) Then restart QGIS. Caveat: pip's wheels of shapely, "
        "pyogrio and pyproj bring their own copies of GEOS, GDAL and PROJ, so QGIS's process then "
        "holds two copies of each; this usually works but is not what landcoord is tested with. If "
        "QGIS crashes at start-up or reports PROJ database errors afterwards, build them from source "
        "against the system libraries instead (needs the packages libgeos-dev, libgdal-dev, "
        "libproj-dev and a C compiler):\n"
        "python3 -m pip install --user --no-binary shapely,pyogrio,pyproj {requirements}\n"
        "Debian 12's own python3-shapely is version 2.0 and too old.",
        requirements=_quoted(missing),
    )


def install_hint(missing: list[str]) -> str:
    """One message telling the officer what is missing and how to install it on this platform."""
    return tr(
        "landcoord needs these Python libraries in QGIS's Python; they are missing or too old: "
        "{missing}.\n{advice}",
        missing=", ".join(missing),
        advice=_advice(missing),
    )


def optional_hint(feature: str, missing: list[str]) -> str:
    """Why an optional ``feature`` is unavailable, and how to install what it lacks."""
    what = {
        "city": tr("The city screen (all projects at once, on Dask)"),
        "xlsx": tr("Reading Excel workbooks (.xlsx)"),
    }[feature]
    return tr(
        "{feature} is not available: it needs {missing}, which is missing or too old in QGIS's "
        "Python. Everything else works without it.\n{advice}",
        feature=what,
        missing=", ".join(missing),
        advice=_advice(missing),
    )


def city_unavailable_reason() -> str | None:
    """None when the city screen can run; else the message saying what is missing and what to do."""
    missing = missing_optional("city")
    return optional_hint("city", missing) if missing else None
