"""Compile the core's gettext catalogs: every ``*/locale/<lang>/LC_MESSAGES/<domain>.po`` to its ``.mo``.

Run it (``make catalogs``) after editing a ``.po`` file; the ``.mo`` files are committed next to their
``.po`` and shipped in the plugin zip, so no compiler is needed where the plugin runs::

    .venv/bin/python scripts/compile_catalogs.py          # rewrites every stale .mo
    .venv/bin/python scripts/compile_catalogs.py --check  # exit status 1 if a .mo is stale (CI)

A small pure-Python ``msgfmt`` (CPython's ``Tools/i18n/msgfmt.py`` is the model): it reads the header
entry, ``msgctxt``, plural entries (``msgid_plural`` / ``msgstr[n]``), multi-line strings and the C
escapes of the PO format; it leaves out fuzzy, obsolete (``#~``) and untranslated entries, as GNU
``msgfmt`` does. The output is deterministic (entries sorted, little-endian, no hash table), so
``tests/test_i18n_core.py`` can check that every committed ``.mo`` is what this script makes of its
``.po``. GNU ``msgfmt --check`` accepts the same files (the test runs it when it is installed).
"""

from __future__ import annotations

import argparse
import array
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: where the catalogs live, relative to the plugin folder (one domain per area)
CATALOG_GLOBS = tuple(f"{area}/locale/*/LC_MESSAGES/*.po" for area in ("allocation", "cli", "report"))
MAGIC = 0x950412DE
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


class PoError(ValueError):
    """A ``.po`` file this compiler cannot read; the message names the file and line."""


@dataclass
class Entry:
    """One message of a ``.po`` file."""

    msgid: str
    msgstr: list[str]  # one string, or one per plural form (msgstr[0], msgstr[1], ...)
    msgid_plural: str | None = None
    msgctxt: str | None = None
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return any(self.msgstr)


def unescape(text: str, where: str) -> str:
    """The value of a PO string literal's inside (C escapes: ``\\n``, ``\\"``, ``\\\\``, octal ...)."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            raise PoError(f'{where}: a double quote inside a string must be written \\"')
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(text):
            raise PoError(f"{where}: a string ends with a lone backslash")
        e = text[i + 1]
        if e in _ESCAPES:
            out.append(_ESCAPES[e])
            i += 2
        elif e in "01234567":
            j = i + 1
            while j < len(text) and j < i + 4 and text[j] in "01234567":
                j += 1
            out.append(chr(int(text[i + 1 : j], 8)))
            i = j
        elif e == "x":
            j = i + 2
            while j < len(text) and text[j] in "0123456789abcdefABCDEF":
                j += 1
            if j == i + 2:
                raise PoError(f"{where}: \\x without hex digits")
            out.append(chr(int(text[i + 2 : j], 16)))
            i = j
        else:
            raise PoError(f"{where}: unknown escape \\{e}")
    return "".join(out)


def escape(text: str) -> str:
    """``text`` as the inside of a PO string literal."""
    for char, code in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\t", "\\t"), ("\r", "\\r")):
        text = text.replace(char, code)
    return text


def parse_po(text: str, name: str = "<po>") -> list[Entry]:
    """The entries of a ``.po`` file's text, the header (``msgid ""``) first as it stands."""
    entries: list[Entry] = []
    flags: set[str] = set()
    refs: list[str] = []
    cur: dict | None = None  # keyword -> value of the entry being read
    section = None  # the keyword a continuation string belongs to
    start = 0

    def finish():
        nonlocal cur, flags, refs
        if cur is None:
            return
        where = f"{name}:{start}"
        if "msgid" not in cur:
            raise PoError(f"{where}: an entry without msgid")
        plural = cur.get("msgid_plural")
        if plural is None:
            if "msgstr" not in cur or any(k.startswith("msgstr[") for k in cur):
                raise PoError(f"{where}: a singular entry needs exactly one msgstr (not msgstr[n])")
            strs = [cur["msgstr"]]
        else:
            if "msgstr" in cur:
                raise PoError(f"{where}: a plural entry needs msgstr[0], msgstr[1] ..., not msgstr")
            idx = sorted(int(k[7:-1]) for k in cur if k.startswith("msgstr["))
            if not idx or idx != list(range(len(idx))):
                raise PoError(f"{where}: plural forms must be msgstr[0], msgstr[1] ... without gaps")
            strs = [cur[f"msgstr[{i}]"] for i in idx]
        entries.append(Entry(cur["msgid"], strs, plural, cur.get("msgctxt"), flags, refs, start))
        cur, flags, refs = None, set(), []

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        where = f"{name}:{lineno}"
        if not line:
            continue
        if line.startswith("#"):
            if cur is not None and section is not None and section.startswith("msgstr"):
                finish()  # a comment after msgstr starts the next entry
                section = None
            if line.startswith("#~"):
                continue  # obsolete entry
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            elif line.startswith("#:"):
                refs += line[2:].split()
            continue
        if line.startswith('"'):
            if cur is None or section is None:
                raise PoError(f"{where}: a string outside an entry")
            cur[section] += _literal(line, where)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr") and not (
            keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit()
        ):
            raise PoError(f"{where}: unexpected {keyword!r}")
        after_msgstr = section is not None and section.startswith("msgstr")
        if keyword in ("msgctxt", "msgid") and cur is not None and after_msgstr:
            finish()
        if cur is None:
            cur, start = {}, lineno
        if keyword in cur:
            raise PoError(f"{where}: {keyword} given twice in one entry")
        if keyword == "msgid" and "msgctxt" not in cur and len(cur):
            raise PoError(f"{where}: msgid after {next(iter(cur))}")
        cur[keyword] = _literal(rest.strip(), where)
        section = keyword
    finish()
    return entries


def _literal(token: str, where: str) -> str:
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise PoError(f"{where}: expected a string in double quotes, got {token!r}")
    return unescape(token[1:-1], where)


def header(entries: list[Entry]) -> dict[str, str]:
    """The header entry's fields (``Content-Type``, ``Plural-Forms`` ...)."""
    for e in entries:
        if e.msgid == "" and e.msgctxt is None:
            out = {}
            for line in e.msgstr[0].splitlines():
                key, sep, value = line.partition(":")
                if sep:
                    out[key.strip()] = value.strip()
            return out
    return {}


def compile_entries(entries: list[Entry], name: str = "<po>") -> bytes:
    """The ``.mo`` bytes of ``entries`` (fuzzy, obsolete and untranslated ones left out)."""
    head = header(entries)
    charset = head.get("Content-Type", "").partition("charset=")[2].strip() or "UTF-8"
    if charset.upper().replace("-", "") != "UTF8":
        raise PoError(f"{name}: the header must say Content-Type: text/plain; charset=UTF-8, not {charset!r}")
    messages: dict[bytes, bytes] = {}
    for e in entries:
        is_header = e.msgid == "" and e.msgctxt is None
        if (e.fuzzy and not is_header) or not e.translated:
            continue
        key = e.msgid if e.msgid_plural is None else f"{e.msgid}\0{e.msgid_plural}"
        if e.msgctxt is not None:
            key = f"{e.msgctxt}\x04{key}"
        kb = key.encode("utf-8")
        if kb in messages:
            raise PoError(f"{name}:{e.line}: msgid {e.msgid!r} is given twice")
        messages[kb] = "\0".join(e.msgstr).encode("utf-8")
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for k in keys:
        offsets.append((len(ids), len(k), len(strs), len(messages[k])))
        ids += k + b"\0"
        strs += messages[k] + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    table = array.array("I", koffsets + voffsets)
    if sys.byteorder != "little":
        table.byteswap()
    return (
        struct.pack("<7I", MAGIC, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
        + table.tobytes()
        + ids
        + strs
    )


def compile_po(path: Path) -> bytes:
    """The ``.mo`` bytes for the ``.po`` file at ``path``."""
    return compile_entries(parse_po(path.read_text(encoding="utf-8"), str(path)), str(path))


def catalogs(root: Path = ROOT) -> list[Path]:
    """Every ``.po`` file of the plugin."""
    return sorted(p for pattern in CATALOG_GLOBS for p in root.glob(pattern))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a .mo is missing or stale")
    ap.add_argument("po", nargs="*", type=Path, help="the .po files (default: every catalog of the plugin)")
    args = ap.parse_args(argv)
    stale = []
    for po in args.po or catalogs():
        try:
            data = compile_po(po)
        except PoError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        mo = po.with_suffix(".mo")
        if mo.is_file() and mo.read_bytes() == data:
            continue
        stale.append(mo)
        if not args.check:
            mo.write_bytes(data)
            print(f"wrote {mo.relative_to(ROOT) if mo.is_relative_to(ROOT) else mo}")
    if args.check and stale:
        print("stale: " + ", ".join(str(m) for m in stale) + "; run `make catalogs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
