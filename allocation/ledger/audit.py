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

import pandas as pd

from ..errors import InputError
from ..i18n import tr
from .backend import loads, normalize, read_rows, table_frame
from .schema import AUDITED, TABLE_BY_NAME

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


def _verify_messages(n_now: int, n_then: int, shown: str, chain_ok: bool, replay_ok: bool) -> list:
    """What :meth:`Ledger.verify` says: the chain's verdict, the replay's, and what was added since."""
    messages = []
    if n_now < n_then:
        messages.append(
            tr(
                "CHANGED: the ledger has {now} audit entries, fewer than the {then} of code {code}; "
                "audit entries were removed after the code was taken.",
                now=n_now,
                then=n_then,
                code=shown,
            )
        )
    elif not chain_ok:
        messages.append(
            tr(
                "CHANGED: the first {then} audit entries no longer give code {code}; the record was "
                "altered after the code was taken.",
                then=n_then,
                code=shown,
            )
        )
    if not replay_ok:
        messages.append(
            tr(
                "The current tables differ from the replayed audit trail: the tables were edited "
                "without the audit trail."
            )
        )
    if chain_ok:
        added = n_now - n_then
        if added == 1:
            messages.append(
                tr(
                    "The ledger's first {then} audit entries are unchanged since code {code}; "
                    "1 entry was added since.",
                    then=n_then,
                    code=shown,
                )
            )
        elif added:
            messages.append(
                tr(
                    "The ledger's first {then} audit entries are unchanged since code {code}; "
                    "{added} entries were added since.",
                    then=n_then,
                    code=shown,
                    added=added,
                )
            )
        else:
            messages.append(
                tr(
                    "The ledger's {then} audit entries are unchanged since code {code}; no entry "
                    "was added since.",
                    then=n_then,
                    code=shown,
                )
            )
    return messages


# -- history, replay, fingerprint and verification of a ledger (the Ledger methods call these) ---------


def history(ledger, table: str | None = None, record_id: int | None = None) -> pd.DataFrame:
    """:meth:`Ledger.history` (see there)."""
    where, params = [], []
    if table is not None:
        if table not in TABLE_BY_NAME:
            raise InputError(
                tr(
                    "Unknown ledger table '{table}'. Tables: {tables}.",
                    table=table,
                    tables=", ".join(AUDITED),
                )
            )
        where.append("table_name = ?")
        params.append(table)
    if record_id is not None:
        where.append("record_id = ?")
        params.append(int(record_id))
    df = table_frame("ledger_audit", read_rows(ledger, "ledger_audit", " AND ".join(where), params))
    df["changes"] = [
        _describe(t, o, n) for t, o, n in zip(df["table_name"], df["old_values"], df["new_values"])
    ]
    return df


def state_as_of(ledger, audit_id: int | None = None, *, at=None) -> dict:
    """:meth:`Ledger.state_as_of` (see there)."""
    if audit_id is not None and at is not None:
        raise InputError(tr("Give either audit_id or at, not both."))
    where, params = "", ()
    if audit_id is not None:
        where, params = "id <= ?", (int(audit_id),)
    entries = read_rows(ledger, "ledger_audit", where, params)
    if at is not None:
        limit = normalize("datetime", at)
        entries = [e for e in entries if e["changed_at"] <= limit]
    state = {t: {} for t in AUDITED}
    for e in entries:
        if e["table_name"] not in state:
            continue
        kinds = TABLE_BY_NAME[e["table_name"]].kinds()
        values = loads(e["new_values"]) or {}
        state[e["table_name"]][e["record_id"]] = {c: normalize(k, values.get(c)) for c, k in kinds.items()}
    return {t: table_frame(t, [rows[i] for i in sorted(rows)]) for t, rows in state.items()}


def replay_matches(ledger) -> bool:
    """:meth:`Ledger.replay_matches` (see there)."""
    with ledger.read_transaction():
        try:
            replayed = state_as_of(ledger)
            current = ledger.snapshot()
        except (ValueError, TypeError, KeyError):  # an entry or a record not of its declared type
            return False
    return set(replayed) == set(current) and all(
        replayed[t].to_dict("index") == current[t].to_dict("index") for t in current
    )


def _audit_rows(ledger, upto: int | None = None, limit: int | None = None) -> list:
    sql = f"SELECT {', '.join(AUDIT_COLUMNS)} FROM ledger_audit"
    params: tuple = ()
    if upto is not None:
        sql += " WHERE id <= ?"
        params = (int(upto),)
    sql += " ORDER BY id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return ledger.backend.query(sql, params)


def fingerprint(ledger, upto: int | None = None) -> LedgerFingerprint:
    """:meth:`Ledger.fingerprint` (see there)."""
    if upto is not None:
        given = upto
        try:
            upto = int(str(given).strip())
        except ValueError:
            upto = -1
        if upto < 0:
            raise InputError(
                tr("An audit entry id is a whole number of 0 or more; not '{upto}'.", upto=given)
            )
    chain = Chain()
    with ledger.read_transaction():
        for row in _audit_rows(ledger, upto):
            chain.add(row)
    return chain.fingerprint()


def verify(ledger, code) -> LedgerVerification:
    """:meth:`Ledger.verify` (see there)."""
    parsed = parse_code(code)
    if parsed is None:
        raise InputError(
            tr(
                "'{code}' is not a ledger fingerprint code; a code looks like {format} "
                "(e.g. LC1-42-3F2A-9C1B-77D0-E4A5), as `landcoord consent fingerprint` prints it.",
                code=str(code).strip(),
                format=CODE_FORMAT,
            )
        )
    n_then, head = parsed
    shown = f"LC1-{n_then}-" + "-".join(head[i : i + 4] for i in range(0, 16, 4))
    chain = Chain()
    with ledger.read_transaction():
        n_now = int(ledger.backend.query("SELECT count(*) FROM ledger_audit")[0][0])
        if n_now >= n_then:
            for row in _audit_rows(ledger, limit=n_then):
                chain.add(row)
        replay_ok = replay_matches(ledger)
    chain_ok = n_now >= n_then and chain.digest[:16].upper() == head
    messages = _verify_messages(n_now, n_then, shown, chain_ok, replay_ok)
    return LedgerVerification(
        ok=chain_ok and replay_ok,
        entries_then=n_then,
        entries_now=n_now,
        chain_ok=chain_ok,
        replay_ok=replay_ok,
        message=" ".join(messages),
    )


_NOISE = {"version", "updated_at", "updated_by"}


def _describe(table: str, old_text, new_text) -> str:
    """A readable summary of one audit entry (``status: contacted → agreed``)."""
    old, raw = loads(old_text), loads(new_text) or {}
    cols = TABLE_BY_NAME[table].column_names if table in TABLE_BY_NAME else list(raw)
    new = {c: raw.get(c) for c in cols if c in raw}
    if old is None:
        parts = [f"{k}={v}" for k, v in new.items() if v is not None and k not in _NOISE and k != "id"]
        return "new: " + ", ".join(parts)
    parts = [f"{k}: {old.get(k)} → {v}" for k, v in new.items() if k not in _NOISE and old.get(k) != v]
    return "; ".join(parts) if parts else "(no field changed)"
