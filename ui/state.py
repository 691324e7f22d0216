"""Every choice of the dock, stored in the QGIS project file under the scope ``landcoord``.

One QGIS project may hold several consolidation projects ("set-ups"), each under its own key::

    landcoord/version                      1
    landcoord/current                      p2
    landcoord/setups/p1/name               龙园片区
    landcoord/setups/p1/layers/cadastre    parcels_3f0c...   (layer id)
    landcoord/setups/p1/fields/holder      权利人
    landcoord/setups/p1/options/tolerance  1.0
    landcoord/setups/p1/results/affected.OUTPUT  pieces_a81d...  (id of a loaded result layer)

Values are stored as strings, so the file round-trips exactly whatever the locale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qgis.core import QgsProject

__all__ = ["SCOPE", "LAYER_ROLES", "Setup", "ProjectStore"]

SCOPE = "landcoord"
VERSION = 1
SECTIONS = ("layers", "fields", "options", "results")

#: Layer roles of a set-up, in the order of the Project step.
LAYER_ROLES = ("boundary", "cadastre", "buildings", "controls", "zoning", "holdings", "roads")
_KEY = re.compile(r"^p(\d+)$")


@dataclass
class Setup:
    """One consolidation project: its layers, fields, step options and loaded results."""

    key: str
    name: str
    layers: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    results: dict[str, str] = field(default_factory=dict)

    def layer_id(self, role: str) -> str:
        return self.layers.get(role, "")

    def field(self, role: str) -> str:
        return self.fields.get(role, "")

    def option(self, name: str, default: str = "") -> str:
        value = self.options.get(name, "")
        return value if value != "" else default


class ProjectStore:
    """Reads and writes :class:`Setup` objects in a ``QgsProject``."""

    def __init__(self, project: QgsProject):
        self.project = project

    def keys(self) -> list[str]:
        keys = [k for k in self.project.subkeyList(SCOPE, "setups") if _KEY.match(k)]
        return sorted(keys, key=lambda k: int(_KEY.match(k).group(1)))

    def new_key(self) -> str:
        used = [int(_KEY.match(k).group(1)) for k in self.keys()]
        return f"p{max(used, default=0) + 1}"

    def load(self, key: str) -> Setup:
        base = f"setups/{key}"
        name, _ = self.project.readEntry(SCOPE, f"{base}/name", key)
        setup = Setup(key=key, name=name)
        for section in SECTIONS:
            target = getattr(setup, section)
            for entry in self.project.entryList(SCOPE, f"{base}/{section}"):
                value, ok = self.project.readEntry(SCOPE, f"{base}/{section}/{entry}", "")
                if ok and value != "":
                    target[entry] = value
        return setup

    def save(self, setup: Setup) -> None:
        """Write ``setup`` whole: entries no longer in it are removed."""
        base = f"setups/{setup.key}"
        self.project.writeEntry(SCOPE, "version", VERSION)
        self.project.writeEntry(SCOPE, f"{base}/name", setup.name)
        for section in SECTIONS:
            values = getattr(setup, section)
            for entry in self.project.entryList(SCOPE, f"{base}/{section}"):
                if values.get(entry, "") == "":
                    self.project.removeEntry(SCOPE, f"{base}/{section}/{entry}")
            for entry, value in values.items():
                if value != "":
                    self.project.writeEntry(SCOPE, f"{base}/{section}/{entry}", str(value))

    def remove(self, key: str) -> None:
        self.project.removeEntry(SCOPE, f"setups/{key}")
        if self.current() == key:
            self.project.removeEntry(SCOPE, "current")

    def current(self) -> str:
        value, _ = self.project.readEntry(SCOPE, "current", "")
        return value

    def set_current(self, key: str) -> None:
        if self.current() != key:
            self.project.writeEntry(SCOPE, "current", key)
