"""The ledger's fingerprint (校验码): a hash chain over the audit trail, and its short code.

Part of :mod:`landcoord.allocation.ledger` (:meth:`Ledger.fingerprint`, :meth:`Ledger.verify`),
which documents what the code proves. This module holds the computation only, so that it can be
read, and recomputed elsewhere, without the rest of the ledger.

The canonical form of an entry, the chain and the code are specified in the docstring of
:meth:`Ledger.fingerprint`; change neither without a new :data:`DOMAIN` and :data:`PREFIX`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from .backend import normalize
from .schema import TABLE_BY_NAME

__all__ = [
    "DOMAIN",
    "PREFIX",
    "AUDIT_COLUMNS",
    "CODE_FORMAT",
    "LedgerFingerprint",
    "LedgerVerification",
    "canonical_entry",
    "Chain",
    "format_code",
    "parse_code",
]

#: The first input of the chain; a new canonical form would get a new one (and a new prefix).
DOMAIN = b"landcoord-ledger-v1"
PREFIX = "LC1"
#: The code as it is shown to a person in messages.
CODE_FORMAT = "LC1-<entries>-XXXX-XXXX-XXXX-XXXX"
#: Columns of ``ledger_audit``, in the order they are read.
AUDIT_COLUMNS = tuple(TABLE_BY_NAME["ledger_audit"].column_names)
_AUDIT_KINDS = TABLE_BY_NAME["ledger_audit"].kinds()


@dataclass(frozen=True)
class LedgerFingerprint:
    """The fingerprint of a ledger's audit trail up to one entry (see :meth:`Ledger.fingerprint`)."""

    code: str
    entries: int
    last_audit_id: int
    last_changed_at: str | None
    digest: str


@dataclass
class LedgerVerification:
    """What :meth:`Ledger.verify` found; ``ok`` is ``chain_ok and replay_ok``."""

    ok: bool
    entries_then: int
    entries_now: int
    chain_ok: bool
    replay_ok: bool
    message: str


def _value(kind: str, value):
    """A stored value in its canonical form; a value not of the declared type is kept as it is."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "x'" + bytes(value).hex() + "'"
    if kind in ("pk", "int", "ref"):
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if kind == "datetime":
        if isinstance(value, (datetime, str)):
            return normalize("datetime", value)
        return value
    if isinstance(value, (datetime, date)):  # not from a ledger column; ISO text all the same
        return value.isoformat()
    return value


def _values(table_name, text):
    """``old_values``/``new_values``: the JSON text parsed, datetimes and integers canonical."""
    if text is None:
        return None
    if isinstance(text, (dict, list)):  # a driver that hands JSON out parsed
        parsed = text
    else:
        if isinstance(text, (bytes, bytearray, memoryview)):
            return _value("text", text)
        try:
            parsed = json.loads(text)
        except ValueError:
            return str(text)
    table = TABLE_BY_NAME.get(table_name) if isinstance(table_name, str) else None
    if not isinstance(parsed, dict) or table is None:
        return parsed
    kinds = table.kinds()
    return {k: _value(kinds[k], v) if k in kinds else v for k, v in parsed.items()}


def canonical_entry(row) -> bytes:
    """The canonical bytes of one audit entry: ``row`` is its values in :data:`AUDIT_COLUMNS` order
    (as the database returns them) or a dict by column name."""
    values = row if isinstance(row, dict) else dict(zip(AUDIT_COLUMNS, row))
    obj = {}
    for column in AUDIT_COLUMNS:
        value = values.get(column)
        if column in ("old_values", "new_values"):
            obj[column] = _values(values.get("table_name"), value)
        else:
            obj[column] = _value(_AUDIT_KINDS[column], value)
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


class Chain:
    """The hash chain, fed one entry at a time."""

    def __init__(self) -> None:
        self._h = hashlib.sha256(DOMAIN).digest()
        self.entries = 0
        self.last_audit_id = 0
        self.last_changed_at: str | None = None

    def add(self, row) -> None:
        values = row if isinstance(row, dict) else dict(zip(AUDIT_COLUMNS, row))
        self._h = hashlib.sha256(self._h + canonical_entry(values)).digest()
        self.entries += 1
        last_id = _value("int", values.get("id"))
        self.last_audit_id = last_id if isinstance(last_id, int) else self.last_audit_id
        changed = _value("datetime", values.get("changed_at"))
        self.last_changed_at = None if changed is None else str(changed)

    @property
    def digest(self) -> str:
        return self._h.hex()

    def fingerprint(self) -> LedgerFingerprint:
        return LedgerFingerprint(
            format_code(self.entries, self.digest),
            self.entries,
            self.last_audit_id,
            self.last_changed_at,
            self.digest,
        )


def format_code(entries: int, digest: str) -> str:
    """``LC1-<entries>-XXXX-XXXX-XXXX-XXXX`` from the number of entries and the hex digest."""
    head = digest[:16].upper()
    return f"{PREFIX}-{int(entries)}-" + "-".join(head[i : i + 4] for i in range(0, 16, 4))


# dashes a person may type or a word processor may put instead of '-' (hyphen, non-breaking
# hyphen, figure dash, en and em dash, minus sign, full-width hyphen-minus)
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212\uff0d]")
_CODE = re.compile(r"LC1-(\d{1,12})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})")


def parse_code(text) -> tuple[int, str] | None:
    """``(entries, first 16 hex digits, upper case)`` of a code, or None if it is not one.

    Case, spaces around the code and look-alike dashes (``–``, ``－``) are forgiven; spaces
    inside it are read as dashes.
    """
    if text is None:
        return None
    s = _DASHES.sub("-", str(text)).strip().upper()
    s = re.sub(r"\s*-\s*|\s+", "-", s)
    m = _CODE.fullmatch(s)
    if m is None:
        return None
    return int(m.group(1)), "".join(m.group(i) for i in range(2, 6))
