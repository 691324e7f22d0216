"""Which desktop platform landcoord runs on, in one place so that tests can simulate another.

Fonts (:mod:`landcoord.allocation.fonts`, :mod:`landcoord.report.fonts`) and the install advice of
:mod:`landcoord.deps` ask :func:`platform_key` (through this module, so one ``monkeypatch`` of
``landcoord.allocation._platform.platform_key`` changes what all of them see).
"""

from __future__ import annotations

import os
import sys

__all__ = ["platform_key", "WINDOWS", "MACOS", "LINUX"]

WINDOWS = "windows"
MACOS = "macos"
LINUX = "linux"


def platform_key() -> str:
    """``"windows"``, ``"macos"`` or ``"linux"`` (any other Unix counts as Linux).

    Examples
    --------
    >>> platform_key() in ("windows", "macos", "linux")
    True
    """
    if os.name == "nt" or sys.platform.startswith(("win", "cygwin", "msys")):
        return WINDOWS
    if sys.platform == "darwin":
        return MACOS
    return LINUX
