"""Checks that the Python libraries landcoord's core needs are importable, without importing QGIS.

Used by the plugin at start-up (a missing library must not crash QGIS: the officer gets a message
saying what is missing and how to install it) and by ``make install``.
"""

from __future__ import annotations

import importlib

__all__ = ["REQUIRED", "missing_dependencies", "install_hint"]

#: module name -> minimal version (as a tuple), pip requirement
REQUIRED = {
    "shapely": ((2, 0), "shapely>=2.0"),
    "geopandas": ((0, 14), "geopandas>=0.14"),
    "pyproj": ((3, 4), "pyproj>=3.4"),
    "pyogrio": ((0, 7), "pyogrio>=0.7"),
    "pandas": ((1, 5), "pandas>=1.5"),
}


def _version_tuple(text: str) -> tuple:
    out = []
    for part in text.split(".")[:3]:
        digits = "".join(ch for ch in part if ch.isdigit())
        if not digits:
            break
        out.append(int(digits))
    return tuple(out)


def missing_dependencies() -> list[str]:
    """Requirements that are absent or too old, as pip requirement strings (empty when all is well).

    Examples
    --------
    >>> isinstance(missing_dependencies(), list)
    True
    """
    missing = []
    for module, (minimum, requirement) in REQUIRED.items():
        try:
            mod = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a broken install is as missing as an absent one
            missing.append(requirement)
            continue
        if _version_tuple(getattr(mod, "__version__", "0")) < minimum:
            missing.append(requirement)
    return missing


def install_hint(missing: list[str]) -> str:
    """One paragraph telling the officer how to install what is missing."""
    return (
        "landcoord needs these Python libraries in QGIS's Python: " + ", ".join(missing) + ". "
        "On Debian/Ubuntu run `make install` in the landcoord folder (it builds them against the "
        "system's GEOS, GDAL and PROJ), or install them with "
        "`sudo apt install python3-shapely python3-geopandas python3-pyproj` "
        "or, on Windows, from the OSGeo4W Shell: `python -m pip install " + " ".join(missing) + "`. "
        "Then restart QGIS."
    )
