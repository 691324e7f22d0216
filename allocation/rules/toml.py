"""Line numbers of the keys of a TOML document, for error messages.

:mod:`tomllib` gives values but no positions. This scanner walks the (already valid) text once and
records, for every key path, the line where it is defined: table headers ``[a.b]``, arrays of tables
``[[a]]`` (path element = the index), ``key = value`` lines, keys inside inline tables and the items
of arrays. Scalars are skipped, strings (all four kinds) and comments are honoured.

>>> lines = key_lines('[values.x]\\nvalue = 3\\nunit = "m2"  # c\\n[[s]]\\na = {b = [1, {c = 2}]}\\n')
>>> lines[("values", "x", "unit")], lines[("s", 0, "a", "b", 1, "c")]
(3, 5)
>>> line_of(lines, ("values", "x", "missing"))
1
"""

from __future__ import annotations

import bisect
import tomllib
from pathlib import Path

from ..errors import RuleError
from ..i18n import tr

__all__ = ["key_lines", "line_of", "Problems", "place", "loads", "BOM"]

#: The byte-order mark Windows Notepad writes at the start of UTF-8 files.
BOM = "\ufeff"

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    def __init__(self, text: str):
        self.t = text
        self.n = len(text)
        self.i = 0
        self.nl = [k for k, ch in enumerate(text) if ch == "\n"]
        self.out: dict[tuple, int] = {}
        self.aot: dict[tuple, int] = {}

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.nl, pos) + 1

    def record(self, path: tuple, pos: int) -> None:
        self.out.setdefault(path, self.line(pos))

    # -- low level ------------------------------------------------------------------------
    def skip_ws(self, newlines: bool) -> None:
        t = self.t
        while self.i < self.n:
            ch = t[self.i]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.i += 1
            elif ch == "#":
                while self.i < self.n and t[self.i] != "\n":
                    self.i += 1
            else:
                break

    def string(self) -> str:
        t, i = self.t, self.i
        if t.startswith('"""', i) or t.startswith("'''", i):
            q = t[i : i + 3]
            j = i + 3
            while j < self.n:
                if q == '"""' and t[j] == "\\":
                    j += 2
                    continue
                if t.startswith(q, j):
                    # a closing delimiter may be followed by up to two more quotes of content
                    while j + 3 < self.n and t[j + 3] == q[0]:
                        j += 1
                    self.i = j + 3
                    return t[i + 3 : j]
                j += 1
            self.i = self.n
            return t[i + 3 :]
        q = t[i]
        j = i + 1
        buf = []
        while j < self.n and t[j] != q and t[j] != "\n":
            if q == '"' and t[j] == "\\" and j + 1 < self.n:
                buf.append(t[j : j + 2])
                j += 2
                continue
            buf.append(t[j])
            j += 1
        self.i = min(j + 1, self.n)
        raw = "".join(buf)
        if q == '"' and "\\" in raw:
            try:
                raw = raw.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            except (UnicodeDecodeError, UnicodeEncodeError):
                pass
        return raw

    def key(self) -> list[str]:
        parts = []
        while True:
            self.skip_ws(False)
            if self.i < self.n and self.t[self.i] in "\"'":
                parts.append(self.string())
            else:
                j = self.i
                while self.i < self.n and self.t[self.i] in _BARE:
                    self.i += 1
                parts.append(self.t[j : self.i])
            self.skip_ws(False)
            if self.i < self.n and self.t[self.i] == ".":
                self.i += 1
                continue
            return parts

    # -- values ---------------------------------------------------------------------------
    def value(self, path: tuple) -> None:
        self.skip_ws(False)
        if self.i >= self.n:
            return
        ch = self.t[self.i]
        if ch in "\"'":
            self.string()
        elif ch == "[":
            self.i += 1
            k = 0
            while True:
                self.skip_ws(True)
                if self.i >= self.n:
                    return
                if self.t[self.i] == "]":
                    self.i += 1
                    return
                if self.t[self.i] == ",":
                    self.i += 1
                    continue
                self.record(path + (k,), self.i)
                self.value(path + (k,))
                k += 1
        elif ch == "{":
            self.i += 1
            while True:
                self.skip_ws(True)
                if self.i >= self.n:
                    return
                if self.t[self.i] == "}":
                    self.i += 1
                    return
                if self.t[self.i] == ",":
                    self.i += 1
                    continue
                start = self.i
                sub = path + tuple(self.key())
                self.record(sub, start)
                if self.i < self.n and self.t[self.i] == "=":
                    self.i += 1
                self.value(sub)
        else:
            while self.i < self.n and self.t[self.i] not in ",]}\n#":
                self.i += 1

    # -- document -------------------------------------------------------------------------
    def document(self) -> dict:
        current: tuple = ()
        while True:
            self.skip_ws(True)
            if self.i >= self.n:
                return self.out
            start = self.i
            if self.t.startswith("[[", self.i):
                self.i += 2
                base = tuple(self.key())
                self.i = self.t.find("]]", self.i) + 2 if "]]" in self.t[self.i :] else self.n
                idx = self.aot.get(base, -1) + 1
                self.aot[base] = idx
                # nested arrays of tables restart below a new parent element
                for other in list(self.aot):
                    if len(other) > len(base) and other[: len(base)] == base:
                        del self.aot[other]
                current = self._resolve(base) + (idx,)
                self.record(current[:-1], start)
                self.record(current, start)
            elif self.t[self.i] == "[":
                self.i += 1
                current = self._resolve(tuple(self.key()))
                self.i = self.t.find("]", self.i) + 1 if "]" in self.t[self.i :] else self.n
                for k in range(1, len(current) + 1):  # [a.b] also defines a (if not defined before)
                    self.record(current[:k], start)
            else:
                path = current + tuple(self.key())
                self.record(path, start)
                if self.i < self.n and self.t[self.i] == "=":
                    self.i += 1
                self.value(path)
            # rest of the line (comment)
            self.skip_ws(False)

    def _resolve(self, base: tuple) -> tuple:
        """Insert the current indexes of enclosing arrays of tables into a header path."""
        out: list = []
        for k, part in enumerate(base):
            out.append(part)
            prefix = base[: k + 1]
            if prefix in self.aot and k < len(base) - 1:
                out.append(self.aot[prefix])
        return tuple(out)


def key_lines(text: str) -> dict:
    """Map every key path of a TOML text to its 1-based line number.

    Paths are tuples of keys; elements of arrays (and of arrays of tables) are ints. A leading
    byte-order mark is ignored; a text nested too deeply to scan gives no lines (messages then cite
    line 1).
    """
    try:
        return _Scanner(text.removeprefix(BOM)).document()
    except RecursionError:
        return {}


def loads(text: str) -> dict:
    """:func:`tomllib.loads`, accepting a UTF-8 byte-order mark and refusing deep nesting cleanly.

    Every TOML file landcoord reads (rule sets, scenario files, status maps, control registries)
    goes through here. Arrays or inline tables nested so deeply that :mod:`tomllib` would raise
    :class:`RecursionError`, and integers too long for Python to read, raise
    :class:`tomllib.TOMLDecodeError` instead, so each caller's "is not valid TOML" message covers them.

    >>> loads("\\ufeffa = 1")
    {'a': 1}
    >>> loads("a = " + "[" * 5000 + "]" * 5000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tomllib.TOMLDecodeError: arrays or inline tables are nested too deeply ...
    """
    try:
        return tomllib.loads(text.removeprefix(BOM))
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        raise tomllib.TOMLDecodeError(
            tr(
                "arrays or inline tables are nested too deeply (more than a few hundred levels); "
                "flatten the file"
            )
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise tomllib.TOMLDecodeError(
            tr("a number cannot be read ({error}); write a real value", error=str(exc)[:120])
        ) from None


def line_of(lines: dict, path) -> int:
    """The line of ``path``, or of its nearest recorded parent, or 1."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1


def place(origin: str) -> str:
    """An entry's origin (``"file.toml line 12"``, kept in English in output tables) for a message."""
    file, _, line = origin.rpartition(" line ")
    return tr("{file} line {line}", file=file, line=line)


class Problems:
    """Collects every problem of one TOML file with its line, and raises them together.

    ``header(path, count, problems)`` words the error (a rule set's, a scenario file's).
    """

    def __init__(self, path: Path, lines: dict, header):
        self.path = path
        self.lines = lines
        self.header = header
        self.items: list[tuple[int, str]] = []

    def where(self, path: tuple) -> str:
        """``"file.toml line 12"`` of a key path (English: it is also written to output tables)."""
        return f"{self.path.name} line {line_of(self.lines, path)}"

    def add(self, path: tuple, message: str) -> None:
        line = line_of(self.lines, path)
        key = ".".join(str(p) for p in path)
        self.items.append(
            (
                line,
                tr(
                    "{file} line {line}: {key}: {problem}",
                    file=self.path.name,
                    line=line,
                    key=key,
                    problem=message,
                ),
            )
        )

    def raise_if_any(self) -> None:
        if self.items:
            self.items.sort(key=lambda t: t[0])
            problems = "\n".join(f"  - {m}" for _, m in self.items)
            raise RuleError(self.header(self.path, len(self.items), problems))
