"""The consultation and consent ledger: who was visited, heard, asked for what, and agreed.

The ledger lives **inside the project's GeoPackage** (tables ``ledger_*``, registered in
``gpkg_contents`` as attribute tables, so QGIS lists them), or in a PostgreSQL/PostGIS schema with
the same tables. It holds:

- ``ledger_holders``: rights-holders, named exactly as in the cadastre's holder field (权利人);
- ``ledger_events``: consultation events (入户走访 home visit, 民意调查 survey, 村民代表会议
  villager-representative meeting, 听证会 hearing, other) with date, place, participants, summary;
  ``ledger_event_holders`` links holders to events and ``ledger_attachments`` references files
  (path, size, SHA-256 at the time of attaching);
- ``ledger_requests``: each party's requests (诉求) and the officer's responses;
- ``ledger_consent``: the consent status of each holder per project, with the scenario option the
  holder chose;
- ``ledger_audit``: the append-only audit trail.

Consent statuses and their allowed changes (:data:`TRANSITIONS`, also stored in the table
``ledger_transitions`` and enforced by a trigger)::

    not_contacted -> contacted
    contacted     -> negotiating | agreed | refused
    negotiating   -> agreed | refused
    agreed        -> signed | negotiating (withdrawn) | refused
    refused       -> negotiating (talks reopened)
    signed        -> (final)

A holder without a consent record is ``not_contacted`` (version 0). Recording an event with
holders and a project moves those holders from ``not_contacted`` to ``contacted``. An import may
move a status forward along any chain of allowed changes (never back); anything else, e.g. undoing a
wrong ``signed``, is a *correction* (:meth:`Ledger.correct_consent`) that needs a reason.

Guarantees
----------
- **Audit**: triggers append a row to ``ledger_audit`` for every insert or update of a ledger
  table, with the time, who (the configured officer name, else the OS user; writes made outside
  landcoord, e.g. in QGIS's attribute table, are recorded as such), why, and the full old and new
  values. Triggers make ``ledger_audit`` immutable (``UPDATE``/``DELETE`` raise) and refuse the
  deletion of any ledger record: a wrong entry is corrected by a new entry.
  :meth:`Ledger.state_as_of` replays the trail to reproduce the ledger as of any audit entry or
  time.
- **Fingerprint**: triggers stop careless edits, not someone who drops them. Before a hearing,
  :meth:`Ledger.fingerprint` gives a short code (校验码, ``LC1-<entries>-XXXX-XXXX-XXXX-XXXX``, a
  hash chain over the audit trail) for the minutes; :meth:`Ledger.verify` later shows whether the
  audit trail up to the code is unchanged and whether replaying it still gives the tables
  (:meth:`Ledger.replay_matches`). It proves the record was not altered after the code was taken,
  not that it was complete or true then.
- **Transactions**: every logical write (e.g. an event with its holders, attachments and the
  resulting status changes) is one transaction (``BEGIN IMMEDIATE`` on SQLite); a killed process
  or a failed write leaves the last committed state.
- **Optimistic concurrency**: versioned tables (holders, events, requests, consent) carry a
  ``version``. An update names the version it read; if someone else changed the record since,
  :class:`~landcoord.allocation.errors.ConcurrentEditError` is raised and nothing is written. A
  trigger enforces the same rule on every writer (an update must set ``version`` to the old
  version + 1).

For a user interface (the dock's Consultation tab)
--------------------------------------------------
A controller keeps one :class:`Ledger` open per project (``Ledger.open(gpkg, officer=name)``;
``Ledger.init`` the first time) and never holds a transaction open while the user types:

1. Show: :meth:`Ledger.consent_table` (one row per holder and project, with ``version``),
   :meth:`Ledger.events`, :meth:`Ledger.requests`, :meth:`Ledger.progress` with the affected
   pieces (consent rate by holders and by area), :meth:`Ledger.history` for a record's trail.
2. Edit: keep the ``version`` of the row the user edits and pass it back:
   ``ledger.set_consent(project, holder, "agreed", expected_version=row.version,
   scenario_option="产权置换")``. Catch ``ConcurrentEditError``: tell the user someone else changed
   the record, reload, and let them re-apply. Catch ``LedgerError`` for a refused status change
   (its message lists the allowed ones) and offer :meth:`Ledger.correct_consent` with a reason.
3. Add: :meth:`Ledger.add_event` (with ``holders=`` and ``attachments=``),
   :meth:`Ledger.add_request`, :meth:`Ledger.respond`.
4. Import: ``preview = ledger.preview_import(path, cadastre_holders, project=...)``; show
   ``preview.rows`` (action ``set`` / ``unchanged`` / ``bad`` with a reason per row), then
   ``ledger.commit_import(preview)`` (one transaction; raises ``ConcurrentEditError`` if the
   ledger changed since the preview). Export with :meth:`Ledger.export` (``.csv`` or ``.xlsx``;
   ``public=True`` masks individuals' names for a hearing).
5. Several writes that belong together: ``with ledger.transaction(reason="..."):``.

Writes block for at most ``timeout`` seconds when another program is writing; run them in a
``QgsTask`` if that matters. The ledger object is not thread-safe: use it from one thread at a time
(e.g. open it in the task, or hand it to the task and wait).
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ..errors import ConcurrentEditError, FieldError, InputError, LedgerError
from ..i18n import tr
from ..io.files import column_values, layer_name
from . import audit
from .audit import (
    LedgerFingerprint,
    LedgerVerification,
)
from .backend import Backend, Session, connect, normalize, read_rows, table_frame, utc_now
from .consent import (
    ProgressResult,
    consent_progress,
)
from .schema import (
    AUDITED,
    EVENT_KINDS,
    REQUEST_STATUSES,
    SCHEMA_VERSION,
    STATUSES,
    TRANSITIONS,
    added_tables,
)
from .sheets import commit_import, export_ledger, preview_import
from .statuses import KEEP, event_kind_code, reachable, status_code
from .statuses import iso_date as _iso_date
from .statuses import project_key as _project_key

# the class and what it returns; the package (``__init__``) re-exports the other modules' names
__all__ = [
    "Ledger",
    "open_ledger",
    "init_ledger",
    "ConsentRecord",
    "SyncReport",
    "LEDGER_TABLES",
]

#: Tables of the ledger whose state the audit trail reproduces.
LEDGER_TABLES = AUDITED

_KEEP = KEEP


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or password database
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


@dataclass(frozen=True)
class ConsentRecord:
    """The consent of one holder in one project, as read (``version`` 0: no record yet)."""

    project: str
    holder: str
    status: str
    scenario_option: str | None = None
    status_date: str | None = None
    note: str | None = None
    version: int = 0
    updated_at: str | None = None
    updated_by: str | None = None
    record_id: int | None = None

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


@dataclass
class SyncReport:
    """What :meth:`Ledger.sync_holders` did."""

    added: list = field(default_factory=list)
    known: int = 0
    not_in_cadastre: list = field(default_factory=list)


class Ledger:
    """An open consultation ledger (see the module documentation).

    Use :meth:`open` or :meth:`init` rather than the constructor.

    Parameters
    ----------
    backend : Backend
    officer : str, optional
        Name recorded as the author of every change; by default the environment variable
        ``LANDCOORD_OFFICER``, else the OS user.
    """

    def __init__(self, backend: Backend, officer: str | None = None):
        self._backend = backend
        self.os_user = _os_user()
        self.actor = (officer or os.environ.get("LANDCOORD_OFFICER") or self.os_user).strip()
        self._depth = 0
        self._session: Session | None = None
        self._doomed = False
        self._reads = 0
        self._version = SCHEMA_VERSION

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def open(cls, location, *, officer=None, schema=None, timeout: float = 10.0) -> Ledger:
        """Open an existing ledger: a ``.gpkg`` path or a PostgreSQL DSN (``postgresql://...``,
        ``PG:dbname=...``); ``schema`` is the PostgreSQL schema (default: the search path's)."""
        backend = connect(location, schema=schema, timeout=timeout)
        try:
            if not backend.has_ledger():
                raise LedgerError(
                    tr(
                        "'{ledger}' has no consultation ledger yet; create it with "
                        "`landcoord consent init` (or Ledger.init).",
                        ledger=backend.label,
                    )
                )
            ledger = cls(backend, officer)
            ledger._version = ledger._check_version()
        except BaseException:
            backend.close()
            raise
        return ledger

    @classmethod
    def init(cls, location, *, officer=None, schema=None, timeout: float = 10.0) -> Ledger:
        """Open the ledger at ``location``, creating its tables (and the GeoPackage) if missing."""
        backend = connect(location, schema=schema, create=True, timeout=timeout)
        try:
            ledger = cls(backend, officer)
            if not backend.has_ledger():
                backend.create_ledger(
                    Session(ledger.actor, ledger.os_user, "create the consultation ledger"),
                    {
                        "schema_version": str(SCHEMA_VERSION),
                        "created_at": utc_now(),
                        "created_by": ledger.actor,
                    },
                )
            ledger._version = ledger._check_version()
        except BaseException:
            backend.close()
            raise
        return ledger

    def _check_version(self) -> int:
        """The ledger's schema version, refused when unreadable or newer than this landcoord's.

        An older ledger is not migrated here (opening never writes: a read-only command leaves the
        file as it was, and a read-only file opens); the first write transaction migrates it.
        """
        rows = self._backend.query("SELECT value FROM ledger_meta WHERE key = 'schema_version'")
        value = rows[0][0] if rows else None
        try:
            version = int(str(value).strip())
        except (TypeError, ValueError):
            version = None
        if version is None or version < 1 or len(rows) != 1:
            raise LedgerError(
                tr(
                    "Ledger '{ledger}': its schema version (table ledger_meta, key schema_version) is "
                    "{value}, which no landcoord wrote: the ledger was edited outside landcoord. Nothing "
                    "was read or written. Check it with `landcoord consent verify` against a fingerprint "
                    "code taken earlier, and restore the GeoPackage (or database) from a backup.",
                    ledger=self.label,
                    value=", ".join(repr(r[0]) for r in rows) if rows else tr("missing"),
                )
            )
        if version > SCHEMA_VERSION:
            raise LedgerError(
                tr(
                    "Ledger '{ledger}' was written by a newer landcoord (schema {version}, this one "
                    "reads {supported}); update landcoord.",
                    ledger=self.label,
                    version=version,
                    supported=SCHEMA_VERSION,
                )
            )
        return version

    @property
    def schema_version(self) -> int:
        """The schema version of the ledger as stored (an older ledger is migrated by its first write)."""
        if self._version < SCHEMA_VERSION and not self._depth:
            self._version = self._check_version()  # another program may have migrated it meanwhile
        return self._version

    def has_table(self, name: str) -> bool:
        """Whether the ledger has table ``name``: a ledger of an older schema lacks the tables later
        versions added until its first write migrates it; readers see those tables as empty."""
        return name not in added_tables(self.schema_version)

    def _migrate_before_write(self) -> None:
        """Migrate an older ledger in its own audited transaction, right before the first write."""
        version = self._check_version()
        if version < SCHEMA_VERSION:
            self._migrate(version)
        self._version = SCHEMA_VERSION

    def _migrate(self, version: int) -> None:
        """Bring a ledger written by an older landcoord to this schema (audited, one transaction).

        Refused when the old ledger's own triggers are not as landcoord created them: a tampered
        ledger is not written to, not even to be migrated.
        """
        new = added_tables(version)
        problems = [
            (name, kind)
            for name, kind in self._backend.trigger_problems()
            if not (kind == "missing" and any(name.startswith(t + "_") for t in new))
        ]
        if problems:
            self._check_triggers()
        self._backend.migrate(
            Session(
                self.actor,
                self.os_user,
                f"migrate the ledger schema from version {version} to {SCHEMA_VERSION}",
            ),
            version,
            SCHEMA_VERSION,
        )

    def _check_triggers(self) -> None:
        """Refuse to write when the audit and protection triggers are not exactly as created.

        Without them a write would leave no audit entry (or an edit could delete history), so a
        ledger whose triggers were dropped, altered, disabled or added to is not written to.
        """
        problems = self._backend.trigger_problems()
        if not problems:
            return
        words = {
            "missing": tr("missing"),
            "altered": tr("altered"),
            "disabled": tr("disabled"),
            "added": tr("added"),
        }
        raise LedgerError(
            tr(
                "Ledger '{ledger}' has been tampered with: its triggers, which write the audit trail and "
                "protect the records, are not as landcoord created them ({problems}). Nothing was "
                "written. Check the ledger with `landcoord consent verify` against a fingerprint code "
                "taken earlier, and restore the GeoPackage (or database) from a backup.",
                ledger=self.label,
                problems=", ".join(f"{name}: {words.get(kind, kind)}" for name, kind in problems[:8])
                + (f" (+{len(problems) - 8})" if len(problems) > 8 else ""),
            )
        )

    @property
    def label(self) -> str:
        """Where the ledger is (path, or DSN without password)."""
        return self._backend.label

    @property
    def dialect(self) -> str:
        return self._backend.dialect

    @property
    def backend(self) -> Backend:
        return self._backend

    def close(self) -> None:
        self._backend.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- transactions ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, reason: str | None = None, *, mode: str = "normal"):
        """Group writes into one transaction: all of them are committed, or none.

        Nested calls join the outer transaction (their ``reason`` is recorded for the writes
        inside them). An error inside any block cancels the whole transaction.
        """
        if mode not in ("normal", "import", "correction"):
            raise ValueError(f"mode must be normal, import or correction, not {mode!r}")
        if self._depth:
            outer = self._session
            session = Session(
                self.actor,
                self.os_user,
                reason if reason is not None else outer.reason,
                mode if mode != "normal" else outer.mode,
            )
            self._backend.set_session(session)
            self._session = session
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._doomed = True
                raise
            finally:
                self._depth -= 1
                self._session = outer
                if self._backend.in_transaction and not self._doomed:
                    self._backend.set_session(outer)
            return
        if self._version < SCHEMA_VERSION:
            self._migrate_before_write()
        session = Session(self.actor, self.os_user, reason, mode)
        self._backend.begin(session)
        try:
            self._check_triggers()
        except BaseException:
            self._backend.rollback()
            raise
        self._session = session
        self._depth = 1
        self._doomed = False
        try:
            yield self
            if self._doomed:
                raise LedgerError(
                    tr("A write inside this transaction failed; the whole transaction was canceled.")
                )
        except BaseException:
            self._backend.rollback()
            raise
        else:
            self._backend.commit()
        finally:
            self._depth = 0
            self._session = None
            self._doomed = False

    # -- reading helpers -------------------------------------------------------------------------
    def _rows(self, table: str, where: str = "", params=(), order: str = "id") -> list:
        return read_rows(self, table, where, params, order)

    def _row(self, table: str, record_id: int) -> dict | None:
        rows = self._rows(table, "id = ?", (int(record_id),))
        return rows[0] if rows else None

    def _frame(self, table: str, rows: list) -> pd.DataFrame:
        return table_frame(table, rows)

    def _holder_row(self, holder) -> dict | None:
        rows = self._rows("ledger_holders", "holder = ?", (str(holder),))
        return rows[0] if rows else None

    def _holder_id(self, holder) -> int:
        row = self._holder_row(holder)
        if row is None:
            raise LedgerError(
                tr(
                    "Ledger '{ledger}': '{holder}' is not a rights-holder of the ledger. Add the "
                    "cadastre's holders first (`landcoord consent init --cadastre ...` or sync_holders), "
                    "and write the name exactly as in the cadastre.",
                    ledger=self.label,
                    holder=holder,
                )
            )
        return row["id"]

    # -- reading ---------------------------------------------------------------------------------
    def holders(self) -> pd.DataFrame:
        """Rights-holders (index: record id)."""
        return self._frame("ledger_holders", self._rows("ledger_holders"))

    def events(self, project=None, *, include_voided: bool = True) -> pd.DataFrame:
        """Consultation events, oldest first, with the names of the linked holders."""
        where, params = [], []
        if project is not None:
            where.append("project = ?")
            params.append(_project_key(project))
        if not include_voided:
            where.append("voided = 0")
        rows = self._rows("ledger_events", " AND ".join(where), params, order="event_date, id")
        df = self._frame("ledger_events", rows)
        links = self._backend.query(
            "SELECT l.event_id, h.holder FROM ledger_event_holders l "
            "JOIN ledger_holders h ON h.id = l.holder_id ORDER BY l.id"
        )
        names: dict = {}
        for eid, h in links:
            names.setdefault(int(eid), []).append(h)
        df["holders"] = ["; ".join(names.get(int(i), [])) for i in df.index]
        return df

    def attachments(self, event_id: int | None = None) -> pd.DataFrame:
        """Attachments (all, or of one event) with ``exists``/``unchanged`` checks against the files."""
        rows = self._rows(
            "ledger_attachments", "event_id = ?" if event_id else "", (event_id,) if event_id else ()
        )
        df = self._frame("ledger_attachments", rows)
        exists, unchanged = [], []
        for p, digest in zip(df["path"], df["sha256"]):
            path = self.attachment_path(p)
            ok = path is not None and path.is_file()
            exists.append(ok)
            unchanged.append(bool(ok and digest == _sha256(path)))
        df["exists"] = exists
        df["unchanged"] = unchanged
        return df

    def attachment_path(self, stored: str) -> Path | None:
        """The file an attachment's stored path refers to (relative paths: beside the GeoPackage)."""
        if stored is None:
            return None
        p = Path(stored)
        if not p.is_absolute() and self.dialect == "sqlite":
            p = Path(self.label).resolve().parent / p
        return p

    def requests(self, project=None) -> pd.DataFrame:
        """Requests and responses, with the holder's name."""
        rows = self._rows(
            "ledger_requests",
            "project = ?" if project is not None else "",
            (_project_key(project),) if project is not None else (),
        )
        df = self._frame("ledger_requests", rows)
        names = {r["id"]: r["holder"] for r in self._rows("ledger_holders")}
        df["holder"] = [names.get(h) if h is not None else None for h in df["holder_id"]]
        return df

    def consent_record(self, project, holder) -> ConsentRecord:
        """The consent of ``holder`` in ``project`` (``not_contacted``, version 0, if none yet)."""
        project = _project_key(project)
        hid = self._holder_id(holder)
        rows = self._rows("ledger_consent", "project = ? AND holder_id = ?", (project, hid))
        if not rows:
            return ConsentRecord(project, str(holder), "not_contacted")
        r = rows[0]
        return ConsentRecord(
            project,
            str(holder),
            r["status"],
            r["scenario_option"],
            r["status_date"],
            r["note"],
            r["version"],
            r["updated_at"],
            r["updated_by"],
            r["id"],
        )

    def consent_table(self, project=None) -> pd.DataFrame:
        """Consent records with holder name, type and community (one row per holder and project)."""
        sql = (
            "SELECT c.id, c.project, h.holder, h.holder_type, h.community, c.status, c.scenario_option, "
            "c.status_date, c.note, c.version, c.updated_at, c.updated_by "
            "FROM ledger_consent c JOIN ledger_holders h ON h.id = c.holder_id"
        )
        params = ()
        if project is not None:
            sql += " WHERE c.project = ?"
            params = (_project_key(project),)
        sql += " ORDER BY c.project, h.holder"
        cols = [
            "id",
            "project",
            "holder",
            "holder_type",
            "community",
            "status",
            "scenario_option",
            "status_date",
            "note",
            "version",
            "updated_at",
            "updated_by",
        ]
        kinds = {"id": "int", "version": "int", "status_date": "date", "updated_at": "datetime"}
        rows = [
            [normalize(kinds.get(c, "text"), v) for c, v in zip(cols, r)]
            for r in self._backend.query(sql, params)
        ]
        df = pd.DataFrame(rows, columns=cols, dtype=object)
        df.insert(df.columns.get_loc("status") + 1, "status_label", [STATUSES[s] for s in df["status"]])
        return df

    def snapshot(self) -> dict:
        """The current content of every ledger table (name -> DataFrame indexed by record id)."""
        return {t: self._frame(t, self._rows(t)) for t in AUDITED}

    def history(self, table: str | None = None, record_id: int | None = None) -> pd.DataFrame:
        """Audit entries, oldest first, with a readable ``changes`` column."""
        return audit.history(self, table, record_id)

    def state_as_of(self, audit_id: int | None = None, *, at=None) -> dict:
        """The ledger as it was right after audit entry ``audit_id``, or at time ``at``.

        Replays the audit trail from the start (entries in id order, which is the order the
        changes were committed in). Returns the same structure as :meth:`snapshot`. Without either
        argument it reproduces the current state.

        Parameters
        ----------
        audit_id : int, optional
            Include entries up to and including this id.
        at : str or datetime, optional
            Include entries whose ``changed_at`` is at or before this time (naive times are UTC).
        """
        return audit.state_as_of(self, audit_id, at=at)

    def last_audit_id(self) -> int:
        """Id of the newest audit entry (0 for none)."""
        return int(self._backend.query("SELECT COALESCE(MAX(id), 0) FROM ledger_audit")[0][0])

    # -- proving the record: replay and fingerprint ---------------------------------------------------
    @contextlib.contextmanager
    def read_transaction(self):
        """``with ledger.read_transaction():`` the reads inside see one committed state (a read-only
        transaction; inside a write transaction, that one), e.g. a table and the fingerprint of the
        audit trail it came from. Keep it short: on a GeoPackage a writer waits until it ends."""
        if self._reads or self._depth or self._backend.in_transaction:
            self._reads += 1
            try:
                yield
            finally:
                self._reads -= 1
            return
        self._backend.begin_read()
        self._reads = 1
        try:
            yield
        finally:
            self._reads = 0
            self._backend.end_read()

    def replay_matches(self) -> bool:
        """Whether replaying the whole audit trail gives the current tables.

        False when a table was changed without its audit entry (triggers dropped, then an edit), or
        when an audit entry no longer reads as one. Audit trail and tables are read in one
        transaction, so a write committed by someone else meanwhile cannot make them differ.
        """
        return audit.replay_matches(self)

    def _audit_rows(self, upto: int | None = None, limit: int | None = None) -> list:
        return audit._audit_rows(self, upto, limit)

    def fingerprint(self, upto: int | None = None) -> LedgerFingerprint:
        """The fingerprint (校验码) of the audit trail up to and including audit entry ``upto``
        (default: all of it), to be written into the minutes of a hearing (听证会).

        Whoever later holds the ledger can show with :meth:`verify` that the audit trail up to that
        entry is still the one that gave the code: a changed, deleted or inserted entry changes it,
        and every change of the ledger's records goes through the audit trail (:meth:`verify` also
        replays it against the tables). The code does not prove that the record was complete or
        truthful when it was taken, only that it was not altered afterwards.

        Returns
        -------
        LedgerFingerprint
            ``code`` (``LC1-<entries>-XXXX-XXXX-XXXX-XXXX``), ``entries`` (how many audit entries
            it covers), ``last_audit_id`` and ``last_changed_at`` of the last of them (0 and None
            for none), and ``digest``, the full SHA-256 in hex.

        How it is computed (so that anyone can recompute it, e.g. with Python's ``sqlite3``,
        ``json`` and ``hashlib``; the GeoPackage and PostgreSQL give the same digest for the same
        history):

        1. The entries: the rows of ``ledger_audit`` with ``id <= upto``, in ``id`` order.
        2. Each entry becomes the UTF-8 bytes of ``json.dumps(obj, sort_keys=True,
           ensure_ascii=False, separators=(",", ":"))`` (keys sorted by code point, no spaces,
           non-ASCII characters as themselves; ``"``, ``\\`` and control characters escaped as
           Python's ``json`` does). ``obj`` has exactly the ten columns of ``ledger_audit`` as keys
           (``id``, ``changed_at``, ``actor``, ``os_user``, ``action``, ``table_name``,
           ``record_id``, ``old_values``, ``new_values``, ``reason``), SQL NULL as ``null``:

           - ``id``, ``record_id``: integers;
           - ``changed_at``: the UTC time as text ``YYYY-MM-DDTHH:MM:SS.sssZ`` (milliseconds,
             further digits cut off; another offset converted to UTC): what SQLite's trigger
             writes, and PostgreSQL's ``timestamptz`` as :func:`normalize` gives it;
           - ``actor``, ``os_user``, ``action``, ``table_name``, ``reason``: the text as stored;
           - ``old_values``, ``new_values``: the stored JSON text parsed and embedded as a JSON
             object (so key order and spacing, which differ between SQLite's ``json_object`` and
             PostgreSQL's ``jsonb``, do not matter). Inside it, the value of a key that is a
             ``datetime`` column of the table ``table_name`` (``updated_at``, ``added_at``) is
             written as ``changed_at`` is; the value of an integer column (``id``, ``version``,
             ``holder_id``, ...) that is an integral float (``3.0``) becomes the integer; other
             values stay as parsed. Text that is not valid JSON is embedded as a JSON string.

           A value not of its column's declared type (only another tool can write one) is kept as
           it is; a blob becomes the string ``x'<hex>'``.
        3. ``h0 = SHA-256(b"landcoord-ledger-v1")``; ``h_i = SHA-256(h_{i-1} + canonical_i)``
           with ``h_{i-1}`` as its 32 raw bytes; ``digest`` is the last ``h`` in lower-case hex
           (``h0`` when there is no entry).
        4. ``code = "LC1-" + str(number of entries) + "-"`` and the first 16 hex digits of the
           digest in upper case, in four groups of four joined by ``-``.
        """
        return audit.fingerprint(self, upto)

    def verify(self, code) -> LedgerVerification:
        """Check the ledger against a fingerprint code taken earlier (:meth:`fingerprint`).

        The chain is recomputed over the first ``n`` audit entries in ``id`` order, ``n`` being the
        number of entries the code names (by position, not by id, so that renumbered ids do not
        hide an inserted or deleted entry), and compared with the code (``chain_ok``). The whole
        audit trail is also replayed against the current tables (``replay_ok``,
        :meth:`replay_matches`): a table edited without its audit entry fails it. ``ok`` is both.

        Raises
        ------
        InputError
            ``code`` is not a code of the form ``LC1-<entries>-XXXX-XXXX-XXXX-XXXX``.
        """
        return audit.verify(self, code)

    def integrity_check(self) -> str:
        """``'ok'`` or SQLite's ``PRAGMA integrity_check`` report."""
        return self._backend.integrity()

    # -- writing: generic ------------------------------------------------------------------------
    def _stamp(self) -> dict:
        return {"updated_at": utc_now(), "updated_by": self.actor}

    def _update(self, table: str, record_id: int, expected_version, values: dict, what: str) -> dict:
        row = self._row(table, record_id)
        if row is None:
            raise LedgerError(
                tr(
                    "Ledger '{ledger}': {what} does not exist (table {table}, id {id}).",
                    ledger=self.label,
                    what=what,
                    table=table,
                    id=record_id,
                )
            )
        if expected_version is not None and int(expected_version) != row["version"]:
            raise ConcurrentEditError(_conflict(what, row, expected_version))
        changes = {k: v for k, v in values.items() if row.get(k) != v}
        if not changes:
            return row
        changes.update(version=row["version"] + 1, **self._stamp())
        if self._backend.update(table, record_id, row["version"], changes) != 1:
            raise ConcurrentEditError(_conflict(what, self._row(table, record_id), row["version"]))
        return self._row(table, record_id)

    # -- writing: holders ------------------------------------------------------------------------
    def add_holder(
        self, holder, *, holder_type=None, community=None, contact=None, note=None, reason=None
    ) -> int:
        """Add a rights-holder (named exactly as in the cadastre); returns its record id.

        ``reason`` is recorded in the audit trail (default: ``add holder <name>``)."""
        name = str(holder).strip() if holder is not None else ""
        if not name:
            raise InputError(tr("A rights-holder needs a name (the cadastre's holder value)."))
        with self.transaction(reason or f"add holder {name}"):
            if self._holder_row(name) is not None:
                raise LedgerError(
                    tr(
                        "Ledger '{ledger}': holder '{holder}' is already in the ledger.",
                        ledger=self.label,
                        holder=name,
                    )
                )
            return self._backend.insert(
                "ledger_holders",
                {
                    "holder": name,
                    "holder_type": holder_type,
                    "community": community,
                    "contact": contact,
                    "note": note,
                    "version": 1,
                    **self._stamp(),
                },
            )

    def update_holder(self, holder, *, expected_version, **fields) -> dict:
        """Change a holder's type, community, contact or note (not the name, which is the link to
        the cadastre)."""
        allowed = {"holder_type", "community", "contact", "note"}
        bad = set(fields) - allowed
        if bad:
            raise InputError(
                tr(
                    "Holder fields that can be changed: {allowed}; not {fields}.",
                    allowed=", ".join(sorted(allowed)),
                    fields=sorted(bad),
                )
            )
        with self.transaction(f"update holder {holder}"):
            return self._update(
                "ledger_holders",
                self._holder_id(holder),
                expected_version,
                fields,
                tr("holder '{holder}'", holder=holder),
            )

    def sync_holders(
        self, cadastre, holder_field: str, *, type_field=None, community_field=None
    ) -> SyncReport:
        """Add every holder of a cadastre (or of affected pieces) that the ledger does not have.

        Existing holders are left as they are; holders of the ledger that the cadastre no longer
        has are listed in the report, never removed.
        """
        for f in (holder_field, type_field, community_field):
            if f and f not in cadastre.columns:
                raise FieldError(layer_name(cadastre), f, [c for c in cadastre.columns if c != "geometry"])
        names = column_values(cadastre, holder_field)
        types = column_values(cadastre, type_field) if type_field else [None] * len(names)
        comms = column_values(cadastre, community_field) if community_field else [None] * len(names)
        first: dict = {}
        for n, t, c in zip(names, types, comms):
            if n is None or str(n).strip() == "":
                continue
            key = str(n).strip()
            if key not in first:
                first[key] = [t, c]
            else:  # keep the first non-empty type and community seen
                first[key][0] = first[key][0] if first[key][0] is not None else t
                first[key][1] = first[key][1] if first[key][1] is not None else c
        report = SyncReport()
        with self.transaction(f"holders from {layer_name(cadastre)}"):
            known = {r["holder"] for r in self._rows("ledger_holders")}
            for name, (t, c) in first.items():
                if name in known:
                    report.known += 1
                    continue
                self._backend.insert(
                    "ledger_holders",
                    {
                        "holder": name,
                        "holder_type": None if t is None else str(t),
                        "community": None if c is None else str(c),
                        "version": 1,
                        **self._stamp(),
                    },
                )
                report.added.append(name)
            report.not_in_cadastre = sorted(known - set(first))
        return report

    # -- writing: events -------------------------------------------------------------------------
    def add_event(
        self,
        kind,
        event_date,
        *,
        project=None,
        place=None,
        participants=None,
        summary=None,
        holders=(),
        attachments=(),
        kind_detail=None,
        mark_contacted: bool = True,
    ) -> int:
        """Record a consultation event; returns its id.

        Parameters
        ----------
        kind : str
            ``home_visit``, ``survey``, ``representative_meeting``, ``hearing``, ``other`` or the
            Chinese name (入户走访, 民意调查, 村民代表会议, 听证会, 其他).
        event_date : date or str
        project : str, optional
            The project the event concerns (None: several or all).
        holders : iterable of str
            Rights-holders who took part (names as in the ledger).
        attachments : iterable of path or (path, description)
            Files to reference; they must exist (their size and SHA-256 are recorded).
        mark_contacted : bool
            Move the holders from ``not_contacted`` to ``contacted`` in ``project``.
        """
        kind = event_kind_code(kind)
        day = _iso_date(event_date, tr("event date"))
        if day is None:
            raise InputError(tr("An event needs a date (YYYY-MM-DD)."))
        project = None if project is None or str(project).strip() == "" else _project_key(project)
        label = f"{EVENT_KINDS[kind]} {day}"
        with self.transaction(f"event: {label}"):
            eid = self._backend.insert(
                "ledger_events",
                {
                    "project": project,
                    "event_date": day,
                    "kind": kind,
                    "kind_detail": kind_detail,
                    "place": place,
                    "participants": participants,
                    "summary": summary,
                    "voided": 0,
                    "version": 1,
                    **self._stamp(),
                },
            )
            seen = set()
            for h in holders:
                hid = self._holder_id(h)
                if hid in seen:
                    continue
                seen.add(hid)
                self._backend.insert("ledger_event_holders", {"event_id": eid, "holder_id": hid})
                if mark_contacted and project is not None:
                    rec = self.consent_record(project, h)
                    if rec.status == "not_contacted":
                        with self.transaction(f"contacted at event {eid} ({label})"):
                            self._set_consent(project, h, "contacted", None, status_date=day)
            for a in attachments:
                path, desc = a if isinstance(a, (tuple, list)) else (a, None)
                self._attach(eid, path, desc)
        return eid

    def update_event(self, event_id: int, *, expected_version, **fields) -> dict:
        """Change an event's fields (project, event_date, kind, kind_detail, place, participants,
        summary) under optimistic concurrency; the old values stay in the audit trail."""
        allowed = {"project", "event_date", "kind", "kind_detail", "place", "participants", "summary"}
        bad = set(fields) - allowed
        if bad:
            raise InputError(
                tr(
                    "Event fields that can be changed: {allowed}; not {fields}.",
                    allowed=", ".join(sorted(allowed)),
                    fields=sorted(bad),
                )
            )
        if "kind" in fields:
            fields["kind"] = event_kind_code(fields["kind"])
        if "event_date" in fields:
            fields["event_date"] = _iso_date(fields["event_date"], tr("event date"))
        if "project" in fields and fields["project"] is not None:
            fields["project"] = _project_key(fields["project"])
        with self.transaction(f"update event {event_id}"):
            return self._update(
                "ledger_events", event_id, expected_version, fields, tr("event {event}", event=event_id)
            )

    def void_event(self, event_id: int, *, expected_version, reason: str) -> dict:
        """Mark an event recorded by mistake as void (it stays in the ledger, with the reason)."""
        if not reason or not str(reason).strip():
            raise InputError(tr("Voiding an event needs a reason."))
        with self.transaction(f"void event {event_id}: {reason}"):
            return self._update(
                "ledger_events",
                event_id,
                expected_version,
                {"voided": 1, "void_reason": str(reason)},
                tr("event {event}", event=event_id),
            )

    def attach(self, event_id: int, path, description=None) -> int:
        """Reference a file (minutes, photo, signed form) from an event; returns the attachment id."""
        with self.transaction(f"attach {Path(path).name} to event {event_id}"):
            return self._attach(event_id, path, description)

    def _attach(self, event_id: int, path, description) -> int:
        if self._row("ledger_events", event_id) is None:
            raise LedgerError(
                tr("Ledger '{ledger}': event {event} does not exist.", ledger=self.label, event=event_id)
            )
        p = Path(path)
        if not p.is_file():
            raise InputError(
                tr("Attachment '{path}' is not a file; give the path of an existing file.", path=path)
            )
        stored = str(p.resolve())
        if self.dialect == "sqlite":
            base = Path(self.label).resolve().parent
            with contextlib.suppress(ValueError):
                stored = p.resolve().relative_to(base).as_posix()
        return self._backend.insert(
            "ledger_attachments",
            {
                "event_id": int(event_id),
                "path": stored,
                "description": description,
                "size_bytes": p.stat().st_size,
                "sha256": _sha256(p),
                "added_at": utc_now(),
                "added_by": self.actor,
            },
        )

    # -- writing: requests -----------------------------------------------------------------------
    def add_request(
        self, request: str, *, project=None, holder=None, event_id=None, request_date=None
    ) -> int:
        """Record a party's request (诉求); returns its id."""
        if not request or not str(request).strip():
            raise InputError(tr("A request needs its text."))
        with self.transaction("request"):
            hid = self._holder_id(holder) if holder is not None else None
            if event_id is not None and self._row("ledger_events", event_id) is None:
                raise LedgerError(
                    tr("Ledger '{ledger}': event {event} does not exist.", ledger=self.label, event=event_id)
                )
            return self._backend.insert(
                "ledger_requests",
                {
                    "project": None if project is None else _project_key(project),
                    "holder_id": hid,
                    "event_id": event_id,
                    "request_date": _iso_date(request_date, tr("request date")) or date.today().isoformat(),
                    "request": str(request),
                    "status": "open",
                    "version": 1,
                    **self._stamp(),
                },
            )

    def respond(
        self,
        request_id: int,
        response: str,
        *,
        expected_version,
        response_date=None,
        status: str = "answered",
    ) -> dict:
        """Record the officer's response to a request (status ``answered`` or ``closed``)."""
        if status not in REQUEST_STATUSES:
            raise InputError(
                tr(
                    "Request status must be one of {statuses}; not '{status}'.",
                    statuses=", ".join(REQUEST_STATUSES),
                    status=status,
                )
            )
        with self.transaction(f"response to request {request_id}"):
            return self._update(
                "ledger_requests",
                request_id,
                expected_version,
                {
                    "response": response,
                    "response_date": _iso_date(response_date, tr("response date"))
                    or date.today().isoformat(),
                    "status": status,
                },
                tr("request {request}", request=request_id),
            )

    # -- writing: consent ------------------------------------------------------------------------
    def set_consent(
        self,
        project,
        holder,
        status,
        *,
        expected_version,
        scenario_option=_KEEP,
        status_date=None,
        note=_KEEP,
        reason: str | None = None,
    ) -> ConsentRecord:
        """Change a holder's consent status (and/or chosen scenario option) in a project.

        Parameters
        ----------
        project, holder
            The project id and the holder's name (as in the cadastre).
        status : str
            New status (code or Chinese label); it must be an allowed change (:data:`TRANSITIONS`)
            or the current status (to change only the option or the note).
        expected_version : int or None
            The ``version`` the caller read (0 when there was no record). ``None`` applies the
            change to whatever is current: only for one-shot commands, never for a form a user
            filled in.
        scenario_option, note : str, optional
            Left as they are unless given.
        status_date : date or str, optional
            When the status was reached (default: today, when the status changes).

        Raises
        ------
        ConcurrentEditError
            The record changed since ``expected_version`` was read; nothing was written.
        LedgerError
            The status change is not allowed, or the holder is not in the ledger.
        """
        status = status_code(status)
        project = _project_key(project)
        with self.transaction(reason):
            return self._set_consent(
                project,
                holder,
                status,
                expected_version,
                scenario_option,
                status_date,
                note,
                check="transition",
            )

    def correct_consent(
        self,
        project,
        holder,
        status,
        *,
        expected_version,
        reason: str,
        scenario_option=_KEEP,
        status_date=None,
        note=_KEEP,
    ) -> ConsentRecord:
        """Correct a wrong consent entry: any status, with a reason kept in the audit trail."""
        if not reason or not str(reason).strip():
            raise InputError(tr("A correction needs a reason (it is kept in the audit trail)."))
        status = status_code(status)
        project = _project_key(project)
        with self.transaction(f"correction: {reason}", mode="correction"):
            return self._set_consent(
                project, holder, status, expected_version, scenario_option, status_date, note, check=None
            )

    def import_consent(
        self,
        project,
        holder,
        status,
        *,
        expected_version,
        reason: str,
        scenario_option=_KEEP,
        status_date=None,
        note=_KEEP,
    ) -> ConsentRecord:
        """Set a consent status as a spreadsheet import does (:meth:`commit_import`): forward along
        any chain of allowed changes (:func:`reachable`), never back, written in import mode with
        ``reason``. ``project`` and ``status`` are taken as given (a project key, a status code)."""
        with self.transaction(reason, mode="import"):
            return self._set_consent(
                project,
                holder,
                status,
                expected_version,
                scenario_option=scenario_option,
                status_date=status_date,
                note=note,
                check="reachable",
            )

    def _set_consent(
        self,
        project,
        holder,
        status,
        expected_version,
        scenario_option=_KEEP,
        status_date=None,
        note=_KEEP,
        check="transition",
    ) -> ConsentRecord:
        rec = self.consent_record(project, holder)
        what = tr("consent of '{holder}' in project {project}", holder=holder, project=project)
        _check_consent_change(rec, status, expected_version, check, what)
        values = _consent_values(rec, status, status_date, scenario_option, note)
        if rec.record_id is None:
            if not values:
                return rec
            self._insert_consent(project, holder, status, values, what)
        else:
            self._update("ledger_consent", rec.record_id, rec.version, values, what)
        return self.consent_record(project, holder)

    def _insert_consent(self, project, holder, status, values: dict, what: str) -> None:
        """The first consent record of ``holder`` in ``project`` (someone else's meanwhile: a conflict)."""
        row = {
            "project": project,
            "holder_id": self._holder_id(holder),
            "status": status,
            "scenario_option": values.get("scenario_option"),
            "status_date": values.get("status_date"),
            "note": values.get("note"),
            "version": 1,
            **self._stamp(),
        }
        try:
            self._backend.insert("ledger_consent", row)
        except LedgerError as exc:
            if "unique" in str(exc).lower() or "duplicate" in str(exc).lower():
                raise ConcurrentEditError(
                    tr(
                        "{what} was just created by someone else; nothing was written. "
                        "Read it again and repeat the change.",
                        what=_cap(what),
                    )
                ) from exc
            raise

    # -- progress --------------------------------------------------------------------------------
    def progress(
        self,
        pieces,
        *,
        project_field="project",
        holder_field="holder",
        area_field=None,
        projects=None,
    ) -> ProgressResult:
        """Consent progress per project from affected pieces (see :func:`consent_progress`)."""
        return consent_progress(
            self.consent_table(),
            pieces,
            project_field=project_field,
            holder_field=holder_field,
            area_field=area_field,
            projects=projects,
        )

    # -- import / export -------------------------------------------------------------------------
    def preview_import(self, path, cadastre_holders, *, project=None, pieces=None, encoding=None, sheet=None):
        """Read a consent spreadsheet (CSV UTF-8/GBK, XLSX) and say what importing it would do.

        See :func:`landcoord.allocation.ledger.sheets.preview_import`; nothing is written.
        """
        return preview_import(
            self, path, cadastre_holders, project=project, pieces=pieces, encoding=encoding, sheet=sheet
        )

    def commit_import(self, preview):
        """Import the good rows of a preview in one transaction; returns an ``ImportResult``."""
        return commit_import(self, preview)

    def export(self, path, *, project=None, public: bool = False, encoding: str = "utf-8-sig") -> Path:
        """Write the ledger to ``.csv`` (consent table) or ``.xlsx`` (all tables), atomically."""
        return export_ledger(self, path, project=project, public=public, encoding=encoding)


def open_ledger(location, **kwargs) -> Ledger:
    """Same as :meth:`Ledger.open`."""
    return Ledger.open(location, **kwargs)


def init_ledger(location, **kwargs) -> Ledger:
    """Same as :meth:`Ledger.init`."""
    return Ledger.init(location, **kwargs)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _conflict(what: str, row: dict | None, expected) -> str:
    if row is None:
        return tr("{what} no longer exists; nothing was written.", what=_cap(what))
    who = row.get("updated_by") or tr("someone")
    when = row.get("updated_at") or tr("an unknown time")
    return tr(
        "{what} was changed by {who} at {when} (it is now version {version}; you edited version "
        "{expected}). Nothing was written: read it again and repeat your change.",
        what=_cap(what),
        who=who,
        when=when,
        version=row.get("version"),
        expected=expected,
    )


# -- progress ----------------------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check_consent_change(rec: ConsentRecord, status: str, expected_version, check, what: str) -> None:
    """Refuse a consent change made on a stale read, or not allowed from the current status
    (``check``: ``"transition"`` one allowed change, ``"reachable"`` forward only, None any)."""
    if expected_version is not None and int(expected_version) != rec.version:
        raise ConcurrentEditError(
            _conflict(
                what,
                {
                    "version": rec.version,
                    "updated_by": rec.updated_by,
                    "updated_at": rec.updated_at,
                    "status": rec.status,
                },
                expected_version,
            )
        )
    if check == "transition" and status != rec.status and status not in TRANSITIONS[rec.status]:
        allowed = ", ".join(TRANSITIONS[rec.status]) or tr("none: it is final")
        raise LedgerError(
            tr(
                "{what} is '{current}' ({label}); it cannot change to '{status}'. Allowed: {allowed}. "
                "If the current entry is wrong, record a correction with a reason.",
                what=_cap(what),
                current=rec.status,
                label=STATUSES[rec.status],
                status=status,
                allowed=allowed,
            )
        )
    if check == "reachable" and not reachable(rec.status, status):
        raise LedgerError(
            tr(
                "{what} is already '{current}'; an import never moves a status back to '{status}'. "
                "Record a correction with a reason if the spreadsheet is right.",
                what=_cap(what),
                current=rec.status,
                status=status,
            )
        )


def _consent_values(rec: ConsentRecord, status: str, status_date, scenario_option, note) -> dict:
    """The columns a consent change writes (status and its date, option, note; KEEP leaves one)."""
    day = _iso_date(status_date, tr("status date"))
    values = {}
    if status != rec.status:
        values["status"] = status
        values["status_date"] = day or date.today().isoformat()
    elif day is not None:
        values["status_date"] = day
    if scenario_option is not _KEEP:
        values["scenario_option"] = None if scenario_option in (None, "") else str(scenario_option)
    if note is not _KEEP:
        values["note"] = None if note in (None, "") else str(note)
    return values
