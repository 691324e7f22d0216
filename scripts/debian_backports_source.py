#!/usr/bin/env python3
"""Print an APT source entry (deb822) for ``<codename>-backports``, derived from this machine's own.

Usage: ``debian_backports_source.py CODENAME`` (e.g. ``bookworm``).

The entry uses the same mirror (URIs), components and keyring (Signed-By) as the machine's entry for
the main Debian suite ``CODENAME``, read from ``/etc/apt/sources.list.d/*.sources`` (deb822) or
``/etc/apt/sources.list`` (one-line style). No mirror is hard-coded: a machine behind a local mirror
gets its backports from that mirror. Exits 1 with a message when no such entry exists.

Runs on Debian's own ``/usr/bin/python3`` with the standard library only (before any venv exists).
"""

from __future__ import annotations

import glob
import re
import sys

SOURCES_DIR = "/etc/apt/sources.list.d"
SOURCES_LIST = "/etc/apt/sources.list"


def deb822_stanzas(text: str) -> list[dict]:
    """Stanzas of a deb822 ``.sources`` file as dicts (field names as written, values joined)."""
    stanzas, current, key = [], {}, None
    for raw in text.splitlines():
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if current:
                stanzas.append(current)
            current, key = {}, None
            continue
        if raw[0] in " \t" and key:
            current[key] += " " + raw.strip()
            continue
        if ":" in raw:
            key, value = raw.split(":", 1)
            key = key.strip()
            current[key] = value.strip()
    if current:
        stanzas.append(current)
    return stanzas


def one_line_entries(text: str) -> list[dict]:
    """``deb [options] URI SUITE COMPONENTS…`` lines as deb822-like dicts."""
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^deb\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s+(.+)$", line)
        if not m:
            continue
        entry = {"Types": "deb", "URIs": m.group(2), "Suites": m.group(3), "Components": m.group(4)}
        for opt in (m.group(1) or "").strip("[] \t").split():
            if opt.startswith("signed-by="):
                entry["Signed-By"] = opt.split("=", 1)[1]
        out.append(entry)
    return out


def main_entry(codename: str, stanzas: list[dict]) -> dict | None:
    """The entry that serves the main suite ``codename`` (binary packages, component main)."""
    for st in stanzas:
        types = st.get("Types", "").split()
        suites = st.get("Suites", "").split()
        if "deb" in types and codename in suites and "main" in st.get("Components", "").split():
            if st.get("Enabled", "yes").lower() != "no":
                return st
    return None


def backports_entry(codename: str, entry: dict) -> str:
    lines = [
        "Types: deb",
        f"URIs: {entry['URIs']}",
        f"Suites: {codename}-backports",
        f"Components: {entry['Components']}",
    ]
    if entry.get("Signed-By"):
        lines.append(f"Signed-By: {entry['Signed-By']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    codename = argv[0]
    stanzas: list[dict] = []
    for path in sorted(glob.glob(f"{SOURCES_DIR}/*.sources")):
        with open(path, encoding="utf-8") as f:
            stanzas.extend(deb822_stanzas(f.read()))
    for path in [SOURCES_LIST, *sorted(glob.glob(f"{SOURCES_DIR}/*.list"))]:
        try:
            with open(path, encoding="utf-8") as f:
                stanzas.extend(one_line_entries(f.read()))
        except FileNotFoundError:
            pass
    entry = main_entry(codename, stanzas)
    if entry is None:
        print(
            f"debian_backports_source: no APT entry for Debian '{codename}' (main) found in "
            f"{SOURCES_LIST} or {SOURCES_DIR}; add {codename}-backports by hand, or set "
            "LANDCOORD_QGIS=3.22 to use Debian's own QGIS.",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(backports_entry(codename, entry))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
