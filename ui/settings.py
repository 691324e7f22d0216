"""User-level preferences (not per project) behind one small typed wrapper over ``QgsSettings``.

Per-project choices live in the QGIS project file (see :mod:`.state`); these are the officer's own
habits, the same in every project::

    settings = Settings()
    settings.zoom_to_selection = False
    settings.output_folder        # -> str
"""

from __future__ import annotations

from typing import Generic, TypeVar

from qgis.core import QgsSettings

__all__ = ["Setting", "Settings"]

T = TypeVar("T")
PREFIX = "landcoord/"


class Setting(Generic[T]):
    """One typed value under ``landcoord/<key>`` in ``QgsSettings`` (a descriptor)."""

    def __init__(self, key: str, kind: type, default: T):
        self.key = PREFIX + key
        self.kind = kind
        self.default = default

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        raw = obj.qsettings.value(self.key, None)
        if raw is None:
            return self.default
        if self.kind is bool:
            if isinstance(raw, str):
                return raw.strip().lower() in ("true", "1", "yes")  # type: ignore[return-value]
            return bool(raw)  # type: ignore[return-value]
        try:
            return self.kind(raw)
        except (TypeError, ValueError):
            return self.default

    def __set__(self, obj, value: T) -> None:
        if not isinstance(value, self.kind):
            try:
                value = self.kind(value)
            except (TypeError, ValueError) as exc:
                raise TypeError(f"Setting '{self.key}' takes a {self.kind.__name__}, got {value!r}") from exc
        obj.qsettings.setValue(self.key, value)

    def reset(self, obj) -> None:
        obj.qsettings.remove(self.key)


class Settings:
    """The officer's preferences for the landcoord dock."""

    #: Folder for results when a consolidation project has none and the QGIS project is unsaved.
    output_folder = Setting("output_folder", str, "")
    #: Clicking a holder or conflict row zooms the map to it.
    zoom_to_selection = Setting("zoom_to_selection", bool, True)
    #: Name recorded as the author of ledger entries (empty: the OS user).
    officer_name = Setting("officer_name", str, "")
    #: Index of the step tab shown last.
    last_tab = Setting("last_tab", int, 0)
    #: Delete a step's previous result files once a new run has replaced them.
    delete_replaced_results = Setting("delete_replaced_results", bool, True)

    def __init__(self, qsettings: QgsSettings | None = None):
        self.qsettings = qsettings if qsettings is not None else QgsSettings()

    @classmethod
    def keys(cls) -> list[str]:
        return [v.key for v in vars(cls).values() if isinstance(v, Setting)]
