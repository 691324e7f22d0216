"""Where the consultation ledger is stored: a GeoPackage (SQLite) or a PostgreSQL schema.

Part of :mod:`landcoord.allocation.ledger`. Both backends take the same SQL (``?`` placeholders,
``INSERT ... RETURNING id``) and differ only in how they connect, start a write transaction, tell
the audit triggers who is writing, report errors, and register tables (``gpkg_contents`` for a
GeoPackage). Values are handed back normalised (dates and timestamps as ISO text) so that the two
backends return the same rows.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ..errors import ConcurrentEditError, LedgerError
from ..i18n import tr
from ..io.files import replace_atomically
from .schema import (
    EVENT_KINDS,
    EVENT_KINDS_V1,
    TABLE_BY_NAME,
    TABLES,
    added_tables,
    events_check,
    normalize_sql,
    postgres_ddl,
    postgres_functions,
    postgres_migration,
    postgres_seed,
    postgres_triggers,
    sqlite_ddl,
    sqlite_migration,
    sqlite_seed,
    sqlite_triggers,
)

__all__ = [
    "Session",
    "Backend",
    "SqliteBackend",
    "PostgresBackend",
    "connect",
    "normalize",
    "utc_now",
    "read_rows",
    "table_frame",
]

#: GeoPackage application id ('GPKG') and the version written into new files (1.2).
GPKG_APPLICATION_ID = 0x47504B47
GPKG_USER_VERSION = 10200


@dataclass
class Session:
    """Who writes and why; the audit triggers record it with every change."""

    actor: str
    os_user: str
    reason: str | None = None
    mode: str = "normal"  # normal | import | correction


def utc_now() -> str:
    """The current UTC time as ISO text with milliseconds (the ledger's timestamp format)."""
    return _format_datetime(datetime.now(UTC))


def _format_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def normalize(kind: str, value):
    """A stored value as the ledger hands it out, whatever backend it came from.

    Examples
    --------
    >>> normalize("datetime", "2024-05-01T10:00:00.5+00:00")
    '2024-05-01T10:00:00.500Z'
    >>> normalize("date", date(2024, 5, 1))
    '2024-05-01'
    >>> normalize("int", 3.0)
    3
    """
    if value is None:
        return None
    if kind in ("pk", "int", "ref"):
        return int(value)
    if kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return str(value)
    if kind == "datetime":
        if isinstance(value, datetime):
            return _format_datetime(value)
        text = str(value)
        try:
            return _format_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            return text
    return str(value) if not isinstance(value, str) else value


class Backend:
    """Common interface of the two storage backends."""

    dialect = ""
    label = ""

    def __init__(self) -> None:
        self._touched: set = set()
        self.in_transaction = False

    # -- statements ------------------------------------------------------------------------------
    def _sql(self, sql: str, has_params: bool) -> str:
        return sql

    def _params(self, params):
        return tuple(params) if params else ()

    def query(self, sql: str, params=()) -> list:
        cur = self._cursor()
        try:
            cur.execute(self._sql(sql, bool(params)), self._params(params))
            return [tuple(r) for r in cur.fetchall()]
        except self._db_errors() as exc:
            raise self.map_error(exc) from exc

    def execute(self, sql: str, params=()) -> int:
        cur = self._cursor()
        try:
            cur.execute(self._sql(sql, bool(params)), self._params(params))
        except self._db_errors() as exc:
            raise self.map_error(exc) from exc
        return cur.rowcount

    def insert(self, table: str, values: dict) -> int:
        """Insert one row and return its id."""
        cols = list(values)
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) RETURNING id"
        rows = self.query(sql, [values[c] for c in cols])
        self._touched.add(table)
        return int(rows[0][0])

    def update(self, table: str, record_id: int, version: int, values: dict) -> int:
        """Update one row if it still has ``version``; returns the number of rows changed."""
        sets = ", ".join(f"{c} = ?" for c in values)
        n = self.execute(
            f"UPDATE {table} SET {sets} WHERE id = ? AND version = ?",
            [*values.values(), record_id, version],
        )
        self._touched.add(table)
        return n

    # -- transactions ----------------------------------------------------------------------------
    def begin(self, session: Session) -> None:
        raise NotImplementedError

    def set_session(self, session: Session) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def rollback(self) -> None:
        raise NotImplementedError

    def begin_read(self) -> None:
        """Start a read-only transaction: the reads until :meth:`end_read` see one committed state."""
        raise NotImplementedError

    def end_read(self) -> None:
        raise NotImplementedError

    # -- schema ----------------------------------------------------------------------------------
    def has_ledger(self) -> bool:
        raise NotImplementedError

    def create_ledger(self, session: Session, meta: dict) -> None:
        self.begin(session)
        try:
            for stmt in self._ddl():
                self.execute(stmt)
            for sql, params in self._seed():
                self.execute(sql, params)
            for key, value in meta.items():
                self.execute("INSERT INTO ledger_meta (key, value) VALUES (?, ?)", (key, value))
            self._register()
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def _register(self, tables=None) -> None:
        """Make the tables visible to QGIS (GeoPackage: ``gpkg_contents``)."""

    def migrate(self, session: Session, from_version: int, to_version: int) -> None:
        """Bring a ledger of ``from_version`` to ``to_version`` in one transaction: the tables and
        triggers later versions added, the widened event kinds, the new schema version in
        ledger_meta, and one audit entry (action ``migrate``) saying so, which the fingerprint
        chains like any other."""
        tables = added_tables(from_version)
        self.begin(session)
        try:
            if self._stored_version() >= to_version:  # another program migrated it meanwhile
                self.rollback()
                return
            for stmt in self._migration(from_version):
                self.execute(stmt)
            meta_id = self.query("SELECT id FROM ledger_meta WHERE key = 'schema_version'")[0][0]
            self._set_meta_version(to_version)
            self.execute(
                "INSERT INTO ledger_audit (changed_at, actor, os_user, action, table_name, record_id, "
                "old_values, new_values, reason) VALUES (?, ?, ?, 'migrate', 'ledger_meta', ?, ?, ?, ?)",
                (
                    utc_now(),
                    session.actor,
                    session.os_user,
                    int(meta_id),
                    json.dumps({"id": int(meta_id), "key": "schema_version", "value": str(from_version)}),
                    json.dumps({"id": int(meta_id), "key": "schema_version", "value": str(to_version)}),
                    session.reason,
                ),
            )
            self._register(tables)
            self._touched.update(tables)
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def _stored_version(self) -> int:
        """The schema version in ledger_meta, read inside the write transaction (on PostgreSQL the row
        is locked, so a second migrator waits for the first and then sees its version)."""
        lock = " FOR UPDATE" if self.dialect == "postgresql" else ""
        rows = self.query(f"SELECT value FROM ledger_meta WHERE key = 'schema_version'{lock}")
        return int(str(rows[0][0]).strip())

    def trigger_problems(self) -> list:
        """What is wrong with the ledger's triggers: ``[(trigger, "missing"|"altered"|"disabled"|"added")]``.

        Empty when every trigger the schema creates is there, unchanged, and no other trigger was
        put on a ledger table.
        """
        raise NotImplementedError

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.in_transaction:
                self.rollback()
        with contextlib.suppress(Exception):
            self.conn.close()

    def map_error(self, exc: Exception) -> Exception:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "[concurrent]" in msg:
            return ConcurrentEditError(msg.replace("[concurrent] ", ""))
        return LedgerError(tr("Ledger '{ledger}': {error}", ledger=self.label, error=msg))


# -- SQLite / GeoPackage -----------------------------------------------------------------------------

_GPKG_CORE = [
    """CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""",
    """INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined',
  'undefined cartesian coordinate reference system')""",
    """INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined',
  'undefined geographic coordinate reference system')""",
    """INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326,
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
  || 'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
  || 'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],'
  || 'AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
  'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')""",
    """CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
]


def create_geopackage(path: Path) -> None:
    """Create an empty GeoPackage (no layers) at ``path``, atomically."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".gpkg", dir=folder)
        os.close(fd)
        os.unlink(tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
            conn.execute("BEGIN")
            for stmt in _GPKG_CORE:
                conn.execute(stmt)
            conn.execute("COMMIT")
        finally:
            conn.close()
        if path.exists():
            os.unlink(tmp)
            raise LedgerError(tr("'{path}' appeared while it was being created; open it instead.", path=path))
        replace_atomically(tmp, path)
    except OSError as exc:
        with contextlib.suppress(Exception):
            os.unlink(tmp)
        raise LedgerError(
            tr("Cannot create the GeoPackage '{path}': {error}. Nothing was written.", path=path, error=exc)
        ) from exc


class SqliteBackend(Backend):
    """The ledger inside a GeoPackage, through the stdlib ``sqlite3`` module.

    Each write is one ``BEGIN IMMEDIATE`` transaction (the write lock is taken before anything is
    read, so a read-then-write cannot interleave with another writer). The journal is left as the
    file has it (rollback journal for a GeoPackage; WAL if QGIS switched it), never ``OFF`` or
    ``MEMORY``, and ``synchronous=FULL``: a process killed at any point leaves the last committed
    state, which the next opener restores from the hot journal.
    """

    dialect = "sqlite"

    def __init__(self, path, *, create: bool = False, timeout: float = 10.0):
        super().__init__()
        self.path = Path(path)
        self.label = str(self.path)
        if not self.path.exists():
            if not create:
                raise LedgerError(
                    tr(
                        "Ledger '{path}' does not exist. Give the project's GeoPackage, or create "
                        "a ledger with `landcoord consent init`.",
                        path=self.path,
                    )
                )
            create_geopackage(self.path)
        try:
            # check_same_thread=False: a UI may run a write in a QgsTask thread; the ledger object is
            # still used by one thread at a time
            self.conn = sqlite3.connect(
                str(self.path), isolation_level=None, timeout=timeout, check_same_thread=False
            )
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = FULL")
            mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
            if mode in ("off", "memory"):
                self.conn.execute("PRAGMA journal_mode = DELETE")
            is_gpkg = self.conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'"
            ).fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise LedgerError(
                tr("'{path}' is not a GeoPackage (SQLite said: {error}).", path=self.path, error=exc)
            ) from exc
        if not is_gpkg:
            self.conn.close()
            raise LedgerError(
                tr(
                    "'{path}' is an SQLite file but not a GeoPackage (no gpkg_contents table); "
                    "give the project's .gpkg file.",
                    path=self.path,
                )
            )

    def _cursor(self):
        return self.conn.cursor()

    def _db_errors(self):
        return sqlite3.Error

    def map_error(self, exc: Exception) -> Exception:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower():
            return LedgerError(
                tr(
                    "Ledger '{ledger}' is being written by another program (another QGIS or "
                    "landcoord); nothing was written. Try again in a moment.",
                    ledger=self.label,
                )
            )
        return super().map_error(exc)

    def _set(self, session: Session | None) -> None:
        values = (
            (None, None, None, None)
            if session is None
            else (
                session.actor,
                session.os_user,
                session.reason,
                session.mode,
            )
        )
        n = self.execute(
            "UPDATE ledger_session SET actor = ?, os_user = ?, reason = ?, mode = ? WHERE id = 1", values
        )
        if n != 1:
            raise LedgerError(
                tr(
                    "Ledger '{ledger}': its table ledger_session has lost its row, so changes could not "
                    "be attributed; nothing was written. Restore the GeoPackage from a backup.",
                    ledger=self.label,
                )
            )

    def begin(self, session: Session) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self.map_error(exc) from exc
        self.in_transaction = True
        self._touched = set()
        if self.has_ledger():
            self._set(session)

    def set_session(self, session: Session) -> None:
        self._set(session)

    def commit(self) -> None:
        try:
            self._set(None)
            if self._touched:
                stamp = utc_now()
                for table in sorted(self._touched | {"ledger_audit"}):
                    self.execute(
                        "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (stamp, table)
                    )
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.rollback()
            raise self.map_error(exc) from exc
        finally:
            self.in_transaction = self.conn.in_transaction
        self._touched = set()

    def rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        self.in_transaction = False
        self._touched = set()

    def begin_read(self) -> None:
        # a deferred transaction: the first read takes a shared lock (rollback journal) or a
        # snapshot (WAL), and every read after it sees the same committed state
        try:
            self.conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise self.map_error(exc) from exc

    def end_read(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def has_ledger(self) -> bool:
        return bool(
            self.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_meta'")[0][
                0
            ]
        )

    def _ddl(self):
        return sqlite_ddl()

    def _seed(self):
        return sqlite_seed()

    def _migration(self, from_version: int) -> list:
        if from_version < 2:
            # widen the CHECK of ledger_events.kind in place: SQLite's documented way for a change
            # that leaves every stored row valid (https://sqlite.org/lang_altertable.html, section 7)
            old, new = events_check(EVENT_KINDS_V1), events_check(EVENT_KINDS)
            sql = self.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ledger_events'")
            text = str(sql[0][0]) if sql else ""
            if old not in text:
                raise LedgerError(
                    tr(
                        "Ledger '{ledger}': its table ledger_events is not as landcoord created it; "
                        "it cannot be brought to the new schema. Nothing was written.",
                        ledger=self.label,
                    )
                )
            version = int(self.query("PRAGMA schema_version")[0][0])
            self.execute("PRAGMA writable_schema = ON")
            try:
                self.execute(
                    "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'ledger_events'",
                    (text.replace(old, new),),
                )
                self.execute(f"PRAGMA schema_version = {version + 1}")
            finally:
                self.execute("PRAGMA writable_schema = OFF")
        return sqlite_migration(from_version)

    def _set_meta_version(self, version: int) -> None:
        keep = sqlite_triggers()["ledger_meta_no_update"]
        self.execute("DROP TRIGGER ledger_meta_no_update")
        self.execute("UPDATE ledger_meta SET value = ? WHERE key = 'schema_version'", (str(version),))
        self.execute(keep)

    def _register(self, tables=None) -> None:
        stamp = utc_now()
        for t in TABLES if tables is None else [TABLE_BY_NAME[n] for n in tables]:
            self.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                "VALUES (?, 'attributes', ?, ?, ?)",
                (t.name, t.name, t.description, stamp),
            )

    def integrity(self) -> str:
        return str(self.query("PRAGMA integrity_check")[0][0])

    def trigger_problems(self) -> list:
        expected = sqlite_triggers()
        tables = {t.name for t in TABLES} | {"ledger_session"}
        rows = self.query("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        actual = {str(name): sql for name, table, sql in rows if name in expected or table in tables}
        problems = [(n, "missing") for n in expected if n not in actual]
        problems += [
            (n, "altered")
            for n in expected
            if n in actual and normalize_sql(actual[n]) != normalize_sql(expected[n])
        ]
        problems += [(n, "added") for n in actual if n not in expected]
        return problems


# -- PostgreSQL --------------------------------------------------------------------------------------


class PostgresBackend(Backend):
    """The ledger in a PostgreSQL (PostGIS) database, through psycopg2.

    Tables live in ``schema`` (default: the first schema of the search path, usually ``public``).
    Who writes is passed to the audit triggers with transaction-local settings
    (``set_config('landcoord.actor', ..., true)``); a write from outside landcoord is recorded
    under the database user.
    """

    dialect = "postgresql"

    def __init__(self, dsn: str, *, schema: str | None = None, create: bool = False, timeout: float = 10.0):
        super().__init__()
        try:
            import psycopg2
        except ImportError as exc:  # pragma: no cover - python3-psycopg2 is part of the setup
            raise LedgerError(
                tr("A PostgreSQL ledger needs psycopg2 (Debian package python3-psycopg2).")
            ) from exc
        self._psycopg2 = psycopg2
        self.schema = schema
        self.label = _redact(dsn) + (f" schema {schema}" if schema else "")
        try:
            self.conn = psycopg2.connect(dsn, connect_timeout=max(1, int(timeout)))
        except psycopg2.Error as exc:
            raise LedgerError(
                tr(
                    "Cannot connect to the PostgreSQL ledger '{ledger}': {error}",
                    ledger=self.label,
                    error=_redact(str(exc), dsn),
                ).strip()
            ) from None  # the driver's exception may carry the connection string
        self.conn.autocommit = True
        self.execute("SET TIME ZONE 'UTC'")
        self.execute(f"SET lock_timeout = {int(timeout * 1000)}")
        if schema:
            from psycopg2 import sql as pgsql

            ident = pgsql.Identifier(schema).as_string(self.conn)
            if create:
                self.execute(f"CREATE SCHEMA IF NOT EXISTS {ident}")
            self.execute(f"SET search_path TO {ident}")

    def _cursor(self):
        return self.conn.cursor()

    def _db_errors(self):
        return self._psycopg2.Error

    def _sql(self, sql: str, has_params: bool) -> str:
        return sql.replace("%", "%%").replace("?", "%s") if has_params else sql

    def _params(self, params):
        return tuple(params) if params else None

    def map_error(self, exc: Exception) -> Exception:
        pgcode = getattr(exc, "pgcode", None)
        if pgcode == "55P03":  # lock_not_available
            return LedgerError(
                tr(
                    "Ledger '{ledger}' is being written by another program; nothing was written. "
                    "Try again in a moment.",
                    ledger=self.label,
                )
            )
        diag = getattr(exc, "diag", None)
        primary = getattr(diag, "message_primary", None) if diag is not None else None
        if primary:
            exc = type(exc)(primary)
        return super().map_error(exc)

    def _set(self, session: Session | None) -> None:
        s = session or Session("", "", "", "")
        self.query(
            "SELECT set_config('landcoord.actor', ?, true), set_config('landcoord.os_user', ?, true), "
            "set_config('landcoord.reason', ?, true), set_config('landcoord.mode', ?, true)",
            (s.actor or "", s.os_user or "", s.reason or "", s.mode or ""),
        )

    def begin(self, session: Session) -> None:
        self.execute("BEGIN")
        self.in_transaction = True
        self._touched = set()
        self._set(session)

    def set_session(self, session: Session) -> None:
        self._set(session)

    def commit(self) -> None:
        try:
            self.execute("COMMIT")
        except LedgerError:
            self.rollback()
            raise
        finally:
            self.in_transaction = False
        self._touched = set()

    def rollback(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.cursor().execute("ROLLBACK")
        self.in_transaction = False
        self._touched = set()

    def begin_read(self) -> None:
        self.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def end_read(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.cursor().execute("COMMIT")

    def has_ledger(self) -> bool:
        return self.query("SELECT to_regclass('ledger_meta') IS NOT NULL")[0][0] is True

    def _ddl(self):
        return postgres_ddl()

    def _migration(self, from_version: int) -> list:
        return postgres_migration(from_version)

    def _set_meta_version(self, version: int) -> None:
        self.execute("ALTER TABLE ledger_meta DISABLE TRIGGER ledger_meta_append_only")
        self.execute("UPDATE ledger_meta SET value = ? WHERE key = 'schema_version'", (str(version),))
        self.execute("ALTER TABLE ledger_meta ENABLE TRIGGER ledger_meta_append_only")

    def _seed(self):
        return postgres_seed()

    def integrity(self) -> str:
        return "ok"

    def trigger_problems(self) -> list:
        import re

        expected = postgres_triggers()
        rows = self.query(
            "SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid), n.nspname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND c.relnamespace = "
            "(SELECT relnamespace FROM pg_class WHERE oid = to_regclass('ledger_meta'))"
        )
        actual = {}
        for name, enabled, definition, schema in rows:
            # the definition names the table and function with their schema: drop it to compare
            plain = re.sub(rf'(?:"{re.escape(schema)}"|\b{re.escape(schema)})\.', "", str(definition))
            actual[str(name)] = (str(enabled), plain)
        problems = [(n, "missing") for n in expected if n not in actual]
        for n, sql in expected.items():
            if n in actual:
                enabled, definition = actual[n]
                if _pg_trigger_sql(definition) != _pg_trigger_sql(sql):
                    problems.append((n, "altered"))
                elif enabled == "D":
                    problems.append((n, "disabled"))
        problems += [(n, "added") for n in actual if n not in expected]
        functions = postgres_functions()
        bodies = dict(
            self.query(
                "SELECT proname, prosrc FROM pg_proc WHERE proname IN ("
                + ", ".join("?" for _ in functions)
                + ") AND pronamespace = "
                "(SELECT relnamespace FROM pg_class WHERE oid = to_regclass('ledger_meta'))",
                list(functions),
            )
        )
        for name, body in functions.items():
            if name not in bodies:
                problems.append((f"{name}()", "missing"))
            elif normalize_sql(bodies[name]) != normalize_sql(body):
                problems.append((f"{name}()", "altered"))
        return problems


def _pg_trigger_sql(sql: str) -> str:
    """A ``CREATE TRIGGER`` statement normalised for comparison: spaces, and the events in one order
    (PostgreSQL prints ``UPDATE OR DELETE`` as ``DELETE OR UPDATE``)."""
    import re

    text = normalize_sql(sql)
    m = re.match(r"^(CREATE TRIGGER \S+ (?:BEFORE|AFTER|INSTEAD OF) )(.+?)( ON .*)$", text)
    if not m:
        return text
    return m.group(1) + " OR ".join(sorted(m.group(2).split(" OR "))) + m.group(3)


def _redact(text: str, dsn: str | None = None) -> str:
    """A DSN (or a driver's message about it) without its password: privacy.redact_dsn, the one
    rule for every connection string."""
    from ..privacy import redact_dsn

    return redact_dsn(text, dsn)


def is_postgres(location: str) -> bool:
    text = str(location)
    # a libpq keyword string ("host=10.0.0.5 port=5432 dbname=..."): its host's dots are no file suffix
    return text.startswith(("postgresql://", "postgres://", "PG:")) or (
        "dbname=" in text and Path(text).suffix.lower() != ".gpkg"
    )


def connect(location, *, schema: str | None = None, create: bool = False, timeout: float = 10.0) -> Backend:
    """The backend for ``location``: a ``.gpkg`` path, or a PostgreSQL DSN (``postgresql://...``,
    ``PG:dbname=...`` as QGIS/OGR write it, or a libpq keyword string)."""
    text = os.fspath(location) if not isinstance(location, str) else location
    if is_postgres(text):
        dsn = text[3:] if text.startswith("PG:") else text
        return PostgresBackend(dsn, schema=schema, create=create, timeout=timeout)
    return SqliteBackend(text, create=create, timeout=timeout)


def loads(text):
    """JSON text of an audit entry as a dict (None stays None)."""
    return None if text is None else json.loads(text)


def read_rows(ledger, table: str, where: str = "", params=(), order: str = "id") -> list:
    """Rows of ledger table ``table`` (optionally ``WHERE where``) as dicts of normalised values.

    ``ledger`` is an open Ledger; a table its schema version does not have yet (an older ledger,
    migrated by its first write) reads as empty (:meth:`Ledger.has_table`).
    """
    if not ledger.has_table(table):
        return []
    t = TABLE_BY_NAME[table]
    kinds = t.kinds()
    cols = t.column_names
    sql = f"SELECT {', '.join(cols)} FROM {table}"
    if where:
        sql += f" WHERE {where}"
    sql += f" ORDER BY {order}"
    return [{c: normalize(kinds[c], v) for c, v in zip(cols, r)} for r in ledger.backend.query(sql, params)]


def table_frame(table: str, rows: list):
    """``rows`` of ledger table ``table`` as a DataFrame indexed by record id (every column, as text
    objects)."""
    import pandas as pd

    cols = TABLE_BY_NAME[table].column_names
    df = pd.DataFrame([[r.get(c) for c in cols] for r in rows], columns=cols, dtype=object)
    return df.set_index("id", drop=True)
