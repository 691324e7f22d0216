"""Loading the Qt Designer forms of the dock (``ui/*.ui``) with ``uic.loadUiType``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from qgis.PyQt import uic

__all__ = ["FORMS_DIR", "form_class"]

FORMS_DIR = Path(__file__).resolve().parent


@cache
def form_class(name: str):
    """The generated form class of ``ui/<name>`` (e.g. ``"affected_step.ui"``)."""
    form, _base = uic.loadUiType(str(FORMS_DIR / name))
    return form
