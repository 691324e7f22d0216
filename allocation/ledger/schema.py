"""Tables of the consultation ledger, and their DDL in the two SQL dialects it runs on.

Part of :mod:`landcoord.allocation.ledger`. One description of every table
(:data:`TABLES`) produces the ``CREATE`` statements for SQLite/GeoPackage and for PostgreSQL; the
dialects differ only in column types, the primary key clause and trigger syntax, and those
differences live here.

Triggers (both dialects) enforce what must hold whoever writes, landcoord or QGIS's attribute table:

- every insert or update of a ledger table appends a row to ``ledger_audit`` with the full old and
  new values (JSON), the time, who wrote it and why;
- ``ledger_audit`` and the other append-only tables refuse ``UPDATE`` and ``DELETE``;
- records are never deleted from any ledger table;
- an update of a versioned table must set ``version`` to the version read + 1 (a stale writer fails);
- a consent status change must follow ``ledger_transitions`` unless the write is an import or a
  correction with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SCHEMA_VERSION",
    "Column",
    "Table",
    "TABLES",
    "TABLE_BY_NAME",
    "AUDITED",
    "VERSIONED",
    "APPEND_ONLY",
    "NO_DELETE",
    "sqlite_ddl",
    "postgres_ddl",
    "sqlite_triggers",
    "postgres_triggers",
    "postgres_functions",
    "normalize_sql",
    "STATUSES",
    "TRANSITIONS",
    "EVENT_KINDS",
    "REQUEST_STATUSES",
    "OUTSIDE_ACTOR",
    "ADDED_IN",
    "NOTICE_STATUSES",
    "SIGNOFF_KINDS",
    "MEDIATION_OUTCOMES",
]

#: Version 2 added the procedure tables (stage moves, public notices and objections, sign-offs) and
#: the consultation kinds 座谈会, 意见征询, 论证会, 调解; an older ledger is migrated by its first write
#: (opening it, to read, never writes).
SCHEMA_VERSION = 2

#: Consent statuses, in the order of the process, with their Chinese labels.
STATUSES = {
    "not_contacted": "未接触",
    "contacted": "已接触",
    "negotiating": "协商中",
    "agreed": "已同意",
    "signed": "已签约",
    "refused": "拒绝",
}

#: Allowed consent status changes (from -> to). ``signed`` is final: only a correction (with a
#: reason, audited) changes it. A holder who agreed may withdraw (back to negotiating, or refuse);
#: a holder who refused may reopen talks.
TRANSITIONS = {
    "not_contacted": ("contacted",),
    "contacted": ("negotiating", "agreed", "refused"),
    "negotiating": ("agreed", "refused"),
    "agreed": ("signed", "negotiating", "refused"),
    "refused": ("negotiating",),
    "signed": (),
}

#: Kinds of consultation event (code -> Chinese name).
EVENT_KINDS = {
    "home_visit": "入户走访",
    "survey": "民意调查",
    "representative_meeting": "村民代表会议",
    "hearing": "听证会",
    "forum": "座谈会",
    "solicited_comments": "意见征询",
    "expert_review": "论证会",
    "mediation": "调解",
    "other": "其他",
}

#: Event kinds of schema version 1 (the CHECK constraint of ledger_events in a version-1 ledger).
EVENT_KINDS_V1 = ("home_visit", "survey", "representative_meeting", "hearing", "other")

#: Status of a public notice (公示).
NOTICE_STATUSES = {"open": "公示中", "closed": "已结束"}

#: Outcomes of a mediation (调解).
MEDIATION_OUTCOMES = {"agreed": "调解成功", "failed": "调解不成", "pending": "调解中"}

#: Kinds of officer decision recorded with a proposer and an approver (权责清单 sign-off).
SIGNOFF_KINDS = {
    "stage_move": "阶段推进",
    "rule_override": "规则取值调整",
    "quota_adjustment": "指标调整",
    "carving_choice": "选址方案选择",
    "notice_close": "公示结束",
}

REQUEST_STATUSES = {"open": "待答复", "answered": "已答复", "closed": "已办结"}

#: Actor recorded for writes that did not come through landcoord (e.g. QGIS's attribute table).
OUTSIDE_ACTOR = "unknown (edited outside landcoord)"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # pk, int, ref, text, date, datetime
    not_null: bool = False
    default: str | None = None
    check: str | None = None
    references: str | None = None
    unique: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple
    unique: tuple = ()

    @property
    def column_names(self) -> list:
        return [c.name for c in self.columns]

    def kinds(self) -> dict:
        return {c.name: c.kind for c in self.columns}


def _in(values) -> str:
    return "IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _versioned():
    return (
        Column("version", "int", not_null=True, default="1", check="version >= 1"),
        Column("updated_at", "datetime"),
        Column("updated_by", "text"),
    )


TABLES = (
    Table(
        "ledger_meta",
        "Consultation ledger: schema version and creation",
        (
            Column("id", "pk"),
            Column("key", "text", not_null=True, unique=True),
            Column("value", "text"),
        ),
    ),
    Table(
        "ledger_transitions",
        "Consultation ledger: allowed consent status changes",
        (
            Column("id", "pk"),
            Column("from_status", "text", not_null=True),
            Column("to_status", "text", not_null=True),
        ),
        unique=(("from_status", "to_status"),),
    ),
    Table(
        "ledger_holders",
        "Consultation ledger: rights-holders (权利人), as named in the cadastre",
        (
            Column("id", "pk"),
            Column("holder", "text", not_null=True, unique=True),
            Column("holder_type", "text"),
            Column("community", "text"),
            Column("contact", "text"),
            Column("note", "text"),
            *_versioned(),
        ),
    ),
    Table(
        "ledger_events",
        "Consultation ledger: consultation events (入户走访, 民意调查, 村民代表会议, 听证会)",
        (
            Column("id", "pk"),
            Column("project", "text"),
            Column("event_date", "date", not_null=True),
            Column("kind", "text", not_null=True, check=f"kind {_in(EVENT_KINDS)}"),
            Column("kind_detail", "text"),
            Column("place", "text"),
            Column("participants", "text"),
            Column("summary", "text"),
            Column("voided", "int", not_null=True, default="0", check="voided IN (0, 1)"),
            Column("void_reason", "text"),
            *_versioned(),
        ),
    ),
    Table(
        "ledger_event_holders",
        "Consultation ledger: rights-holders taking part in an event",
        (
            Column("id", "pk"),
            Column("event_id", "ref", not_null=True, references="ledger_events"),
            Column("holder_id", "ref", not_null=True, references="ledger_holders"),
        ),
        unique=(("event_id", "holder_id"),),
    ),
    Table(
        "ledger_attachments",
        "Consultation ledger: files attached to events (minutes, photos, signed forms)",
        (
            Column("id", "pk"),
            Column("event_id", "ref", not_null=True, references="ledger_events"),
            Column("path", "text", not_null=True),
            Column("description", "text"),
            Column("size_bytes", "int"),
            Column("sha256", "text"),
            Column("added_at", "datetime"),
            Column("added_by", "text"),
        ),
    ),
    Table(
        "ledger_requests",
        "Consultation ledger: requests (诉求) of the parties and the officer's responses",
        (
            Column("id", "pk"),
            Column("project", "text"),
            Column("holder_id", "ref", references="ledger_holders"),
            Column("event_id", "ref", references="ledger_events"),
            Column("request_date", "date"),
            Column("request", "text", not_null=True),
            Column("response", "text"),
            Column("response_date", "date"),
            Column(
                "status", "text", not_null=True, default="'open'", check=f"status {_in(REQUEST_STATUSES)}"
            ),
            *_versioned(),
        ),
    ),
    Table(
        "ledger_consent",
        "Consultation ledger: consent status of each rights-holder per project",
        (
            Column("id", "pk"),
            Column("project", "text", not_null=True),
            Column("holder_id", "ref", not_null=True, references="ledger_holders"),
            Column("status", "text", not_null=True, check=f"status {_in(STATUSES)}"),
            Column("scenario_option", "text"),
            Column("status_date", "date"),
            Column("note", "text"),
            *_versioned(),
        ),
        unique=(("project", "holder_id"),),
    ),
    Table(
        "ledger_signoffs",
        "Procedure: decisions changing a figure an officer can set, with proposer and approver",
        (
            Column("id", "pk"),
            Column("project", "text"),
            Column("kind", "text", not_null=True, check=f"kind {_in(SIGNOFF_KINDS)}"),
            Column("subject", "text", not_null=True),
            Column("old_value", "text"),
            Column("new_value", "text"),
            Column("proposed_by", "text", not_null=True),
            Column("approved_by", "text", not_null=True),
            Column("decided_on", "date", not_null=True),
            Column("note", "text"),
        ),
    ),
    Table(
        "ledger_stage_moves",
        "Procedure: moves of a project from one stage to the next (who, when, conditions checked)",
        (
            Column("id", "pk"),
            Column("project", "text", not_null=True),
            Column("from_stage", "text"),
            Column("to_stage", "text", not_null=True),
            Column("moved_on", "date", not_null=True),
            Column("moved_at", "datetime", not_null=True),
            Column("moved_by", "text", not_null=True),
            Column("conditions", "text"),
            Column("forced", "int", not_null=True, default="0", check="forced IN (0, 1)"),
            Column("reason", "text"),
            Column("signoff_id", "ref", references="ledger_signoffs"),
        ),
    ),
    Table(
        "ledger_notices",
        "Procedure: public notices (公示) with their period and outcome",
        (
            Column("id", "pk"),
            Column("project", "text", not_null=True),
            Column("title", "text", not_null=True),
            Column("start_date", "date", not_null=True),
            Column("days", "int", not_null=True, check="days >= 1"),
            Column("place", "text"),
            Column("status", "text", not_null=True, default="'open'", check=f"status {_in(NOTICE_STATUSES)}"),
            Column("outcome", "text"),
            Column("closed_date", "date"),
            *_versioned(),
        ),
    ),
    Table(
        "ledger_objections",
        "Procedure: objections to a public notice and the answer to each",
        (
            Column("id", "pk"),
            Column("notice_id", "ref", not_null=True, references="ledger_notices"),
            Column("objector", "text", not_null=True),
            Column("received_date", "date", not_null=True),
            Column("objection", "text", not_null=True),
            Column("answer", "text"),
            Column("answer_date", "date"),
            *_versioned(),
        ),
    ),
    Table(
        "ledger_survey_counts",
        "Consultation: counts of the answers to each question of a survey (问卷调查)",
        (
            Column("id", "pk"),
            Column("event_id", "ref", not_null=True, references="ledger_events"),
            Column("question", "text", not_null=True),
            Column("answer", "text", not_null=True),
            Column("responses", "int", not_null=True, check="responses >= 0"),
        ),
        unique=(("event_id", "question", "answer"),),
    ),
    Table(
        "ledger_mediations",
        "Consultation: mediation (调解) of a refusal or dispute, its level and outcome",
        (
            Column("id", "pk"),
            Column("event_id", "ref", not_null=True, references="ledger_events"),
            Column("holder_id", "ref", not_null=True, references="ledger_holders"),
            Column("level", "text", not_null=True),
            Column("outcome", "text", not_null=True, check=f"outcome {_in(MEDIATION_OUTCOMES)}"),
            Column("note", "text"),
        ),
    ),
    Table(
        "ledger_audit",
        "Consultation ledger: append-only audit trail of every change",
        (
            Column("id", "pk"),
            Column("changed_at", "datetime", not_null=True),
            Column("actor", "text", not_null=True),
            Column("os_user", "text"),
            Column("action", "text", not_null=True),
            Column("table_name", "text", not_null=True),
            Column("record_id", "int", not_null=True),
            Column("old_values", "text"),
            Column("new_values", "text"),
            Column("reason", "text"),
        ),
    ),
)

TABLE_BY_NAME = {t.name: t for t in TABLES}

#: Tables whose every insert and update is written to the audit trail (in replay order).
AUDITED = (
    "ledger_holders",
    "ledger_events",
    "ledger_event_holders",
    "ledger_attachments",
    "ledger_requests",
    "ledger_consent",
    "ledger_signoffs",
    "ledger_stage_moves",
    "ledger_notices",
    "ledger_objections",
    "ledger_survey_counts",
    "ledger_mediations",
)
#: Tables updated in place under optimistic concurrency (``version`` column).
VERSIONED = (
    "ledger_holders",
    "ledger_events",
    "ledger_requests",
    "ledger_consent",
    "ledger_notices",
    "ledger_objections",
)
#: Tables whose rows can neither be updated nor deleted.
APPEND_ONLY = (
    "ledger_audit",
    "ledger_meta",
    "ledger_transitions",
    "ledger_event_holders",
    "ledger_attachments",
    "ledger_signoffs",
    "ledger_stage_moves",
    "ledger_survey_counts",
    "ledger_mediations",
)
#: Schema version -> the tables it added (an older ledger gets them, with their triggers, on opening).
ADDED_IN = {
    2: (
        "ledger_signoffs",
        "ledger_stage_moves",
        "ledger_notices",
        "ledger_objections",
        "ledger_survey_counts",
        "ledger_mediations",
    ),
}
#: Tables whose rows can be updated (with a version) but never deleted.
NO_DELETE = VERSIONED

# -- messages raised by triggers (static text: SQLite's RAISE takes a literal) ------------------
MSG_APPEND_ONLY = (
    "landcoord ledger: {table} is append-only: its rows cannot be changed or deleted. "
    "Correct a wrong entry with a new entry."
)
MSG_NO_DELETE = "landcoord ledger: {table}: records are never deleted; void or correct them with a new entry."
MSG_VERSION = (
    "landcoord ledger: {table}: [concurrent] the record was changed since it was read (an update must "
    "set version to the version read + 1); read it again and repeat the change."
)
MSG_TRANSITION = (
    "landcoord ledger: ledger_consent: this consent status change is not allowed (see table "
    "ledger_transitions); record it as a correction with a reason."
)
MSG_INITIAL = (
    "landcoord ledger: ledger_consent: a new consent record starts as not_contacted or contacted; "
    "other statuses come from an import or a correction with a reason."
)


def _sqlite_type(kind: str) -> str:
    return {
        "pk": "INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
        "int": "INTEGER",
        "ref": "INTEGER",
        "text": "TEXT",
        "date": "DATE",
        "datetime": "DATETIME",
    }[kind]


def _postgres_type(kind: str) -> str:
    return {
        "pk": "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        "int": "BIGINT",
        "ref": "BIGINT",
        "text": "TEXT",
        "date": "DATE",
        "datetime": "TIMESTAMPTZ",
    }[kind]


def _create_table(table: Table, typename) -> str:
    parts = []
    for c in table.columns:
        sql = f"{c.name} {typename(c.kind)}"
        if c.not_null and c.kind != "pk":
            sql += " NOT NULL"
        if c.unique:
            sql += " UNIQUE"
        if c.default is not None:
            sql += f" DEFAULT {c.default}"
        if c.check:
            sql += f" CHECK ({c.check})"
        if c.references:
            sql += f" REFERENCES {c.references}(id)"
        parts.append(sql)
    for cols in table.unique:
        parts.append(f"UNIQUE ({', '.join(cols)})")
    body = ",\n  ".join(parts)
    return f"CREATE TABLE {table.name} (\n  {body}\n)"


def _indexes() -> list:
    return [
        "CREATE INDEX ledger_consent_holder_idx ON ledger_consent (holder_id)",
        "CREATE INDEX ledger_requests_holder_idx ON ledger_requests (holder_id)",
        "CREATE INDEX ledger_event_holders_holder_idx ON ledger_event_holders (holder_id)",
        "CREATE INDEX ledger_audit_record_idx ON ledger_audit (table_name, record_id)",
    ]


def _transition_rows() -> list:
    return [(a, b) for a, tos in TRANSITIONS.items() for b in tos]


# -- SQLite / GeoPackage ---------------------------------------------------------------------------


def _sqlite_session_value(column: str) -> str:
    return f"(SELECT {column} FROM ledger_session WHERE id = 1)"


def _sqlite_json(prefix: str, table: Table) -> str:
    args = ", ".join(f"'{c}', {prefix}.{c}" for c in table.column_names)
    return f"json_object({args})"


def sqlite_ddl() -> list:
    """Statements creating the ledger in a SQLite database (a GeoPackage)."""
    out = [_create_table(t, _sqlite_type) for t in TABLES]
    # the writer's identity for the audit triggers; set and cleared inside each landcoord
    # transaction, so other connections only ever see it empty
    out.append(
        "CREATE TABLE ledger_session (\n  id INTEGER PRIMARY KEY CHECK (id = 1),\n  actor TEXT,\n"
        "  os_user TEXT,\n  reason TEXT,\n  mode TEXT\n)"
    )
    out.append("INSERT INTO ledger_session (id) VALUES (1)")
    out.append(
        "CREATE TRIGGER ledger_session_no_delete BEFORE DELETE ON ledger_session FOR EACH ROW BEGIN\n"
        "  SELECT RAISE(ABORT, 'landcoord ledger: ledger_session keeps one row; it cannot be deleted.');\nEND"
    )
    out += _indexes()
    actor = f"COALESCE({_sqlite_session_value('actor')}, '{OUTSIDE_ACTOR}')"
    for name in AUDITED:
        t = TABLE_BY_NAME[name]
        for op in ("insert", "update"):
            old = _sqlite_json("OLD", t) if op == "update" else "NULL"
            out.append(
                f"CREATE TRIGGER {name}_audit_{op} AFTER {op.upper()} ON {name} FOR EACH ROW BEGIN\n"
                "  INSERT INTO ledger_audit (changed_at, actor, os_user, action, table_name, record_id,"
                " old_values, new_values, reason)\n"
                f"  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), {actor},"
                f" {_sqlite_session_value('os_user')},"
                f" '{op}', '{name}', NEW.id, {old}, {_sqlite_json('NEW', t)},"
                f" {_sqlite_session_value('reason')});\nEND"
            )
    for name in APPEND_ONLY:
        msg = MSG_APPEND_ONLY.format(table=name).replace("'", "''")
        for op in ("update", "delete"):
            out.append(
                f"CREATE TRIGGER {name}_no_{op} BEFORE {op.upper()} ON {name} FOR EACH ROW BEGIN\n"
                f"  SELECT RAISE(ABORT, '{msg}');\nEND"
            )
    for name in NO_DELETE:
        msg = MSG_NO_DELETE.format(table=name).replace("'", "''")
        out.append(
            f"CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {name} FOR EACH ROW BEGIN\n"
            f"  SELECT RAISE(ABORT, '{msg}');\nEND"
        )
    for name in VERSIONED:
        msg = MSG_VERSION.format(table=name).replace("'", "''")
        out.append(
            f"CREATE TRIGGER {name}_version BEFORE UPDATE ON {name} FOR EACH ROW\n"
            "  WHEN NEW.version IS NOT OLD.version + 1 BEGIN\n"
            f"  SELECT RAISE(ABORT, '{msg}');\nEND"
        )
    mode = f"COALESCE({_sqlite_session_value('mode')}, 'normal')"
    out.append(
        "CREATE TRIGGER ledger_consent_transition BEFORE UPDATE OF status ON ledger_consent FOR EACH ROW\n"
        f"  WHEN NEW.status IS NOT OLD.status AND {mode} = 'normal' AND NOT EXISTS (\n"
        "    SELECT 1 FROM ledger_transitions WHERE from_status = OLD.status AND to_status = NEW.status)\n"
        f"BEGIN\n  SELECT RAISE(ABORT, '{MSG_TRANSITION}');\nEND"
    )
    out.append(
        "CREATE TRIGGER ledger_consent_initial BEFORE INSERT ON ledger_consent FOR EACH ROW\n"
        f"  WHEN NEW.status NOT IN ('not_contacted', 'contacted') AND {mode} = 'normal'\n"
        f"BEGIN\n  SELECT RAISE(ABORT, '{MSG_INITIAL}');\nEND"
    )
    return out


def sqlite_seed() -> list:
    """(sql, params) pairs filling the static tables after creation."""
    rows = [
        (
            "INSERT INTO ledger_transitions (from_status, to_status) VALUES (?, ?)",
            r,
        )
        for r in _transition_rows()
    ]
    return rows


# -- PostgreSQL ------------------------------------------------------------------------------------


def postgres_ddl() -> list:
    """Statements creating the ledger in a PostgreSQL schema (the search path's first schema)."""
    out = [_create_table(t, _postgres_type) for t in TABLES]
    out += _indexes()
    setting = "NULLIF(current_setting('landcoord.{0}', true), '')"
    out.append(
        "CREATE OR REPLACE FUNCTION ledger_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  INSERT INTO ledger_audit (changed_at, actor, os_user, action, table_name, record_id,"
        " old_values, new_values, reason)\n"
        f"  VALUES (clock_timestamp(), COALESCE({setting.format('actor')},"
        " session_user || ' (edited outside landcoord)'),"
        f" {setting.format('os_user')}, lower(TG_OP), TG_TABLE_NAME, NEW.id,\n"
        "    CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD)::text END, to_jsonb(NEW)::text,"
        f" {setting.format('reason')});\n"
        "  RETURN NEW;\nEND $$"
    )
    out.append(
        "CREATE OR REPLACE FUNCTION ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n  RAISE EXCEPTION '%', TG_ARGV[0];\nEND $$"
    )
    out.append(
        "CREATE OR REPLACE FUNCTION ledger_version_check() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  IF NEW.version IS DISTINCT FROM OLD.version + 1 THEN\n"
        "    RAISE EXCEPTION '%', TG_ARGV[0];\n  END IF;\n  RETURN NEW;\nEND $$"
    )
    mode = f"COALESCE({setting.format('mode')}, 'normal')"
    out.append(
        "CREATE OR REPLACE FUNCTION ledger_consent_check() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        f"  IF {mode} <> 'normal' THEN\n    RETURN NEW;\n  END IF;\n"
        "  IF TG_OP = 'INSERT' THEN\n"
        "    IF NEW.status NOT IN ('not_contacted', 'contacted') THEN\n"
        f"      RAISE EXCEPTION '%', '{MSG_INITIAL}';\n    END IF;\n"
        "  ELSIF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (\n"
        "      SELECT 1 FROM ledger_transitions\n"
        "      WHERE from_status = OLD.status AND to_status = NEW.status) THEN\n"
        f"    RAISE EXCEPTION '%', '{MSG_TRANSITION}';\n"
        "  END IF;\n  RETURN NEW;\nEND $$"
    )
    for name in AUDITED:
        out.append(
            f"CREATE TRIGGER {name}_audit AFTER INSERT OR UPDATE ON {name} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_audit_row()"
        )
    for name in APPEND_ONLY:
        msg = MSG_APPEND_ONLY.format(table=name).replace("'", "''")
        out.append(
            f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION ledger_refuse('{msg}')"
        )
        out.append(
            f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse('{msg}')"
        )
    for name in NO_DELETE:
        msg = MSG_NO_DELETE.format(table=name).replace("'", "''")
        out.append(
            f"CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION ledger_refuse('{msg}')"
        )
        out.append(
            f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse('{msg}')"
        )
    for name in VERSIONED:
        msg = MSG_VERSION.format(table=name).replace("'", "''")
        out.append(
            f"CREATE TRIGGER {name}_version BEFORE UPDATE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION ledger_version_check('{msg}')"
        )
    out.append(
        "CREATE TRIGGER ledger_consent_transition BEFORE INSERT OR UPDATE ON ledger_consent "
        "FOR EACH ROW EXECUTE FUNCTION ledger_consent_check()"
    )
    return out


postgres_seed = sqlite_seed


# -- the triggers as they must be (checked before every write: a ledger whose audit triggers were
# dropped or altered would take writes without an audit entry) ----------------------------------


def normalize_sql(text: str) -> str:
    """SQL text with runs of white space made one space (for comparing stored definitions)."""
    import re

    return re.sub(r"\s+", " ", str(text or "")).strip()


def sqlite_triggers() -> dict:
    """Name -> ``CREATE TRIGGER`` statement of every trigger of a SQLite ledger."""
    out = {}
    for stmt in sqlite_ddl():
        if stmt.startswith("CREATE TRIGGER "):
            out[stmt.split()[2]] = stmt
    return out


def postgres_triggers() -> dict:
    """Name -> ``CREATE TRIGGER`` statement of every trigger of a PostgreSQL ledger."""
    out = {}
    for stmt in postgres_ddl():
        if stmt.startswith("CREATE TRIGGER "):
            out[stmt.split()[2]] = stmt
    return out


def postgres_functions() -> dict:
    """Name -> body (the text between ``$$``) of every trigger function of a PostgreSQL ledger."""
    out = {}
    for stmt in postgres_ddl():
        if stmt.startswith("CREATE OR REPLACE FUNCTION "):
            name = stmt.split()[4].split("(")[0]
            out[name] = stmt.split("$$")[1]
    return out


# -- migration of an older ledger (tables and triggers added by later versions) --------------------


def added_tables(from_version: int) -> tuple:
    """Tables a ledger of ``from_version`` lacks (in creation order)."""
    names = {n for v, tables in ADDED_IN.items() if v > from_version for n in tables}
    return tuple(t.name for t in TABLES if t.name in names)


def _statements_for(ddl: list, tables: tuple) -> list:
    out = []
    for stmt in ddl:
        words = stmt.split()
        if stmt.startswith("CREATE TABLE ") and words[2] in tables:
            out.append(stmt)
        elif stmt.startswith("CREATE TRIGGER ") and any(
            f" ON {t} " in f" {stmt} " or f" ON {t}\n" in stmt for t in tables
        ):
            out.append(stmt)
    return out


def sqlite_migration(from_version: int) -> list:
    """``CREATE`` statements (tables, then their triggers) bringing a SQLite ledger of
    ``from_version`` to :data:`SCHEMA_VERSION` (the widened CHECK of ledger_events is separate)."""
    return _statements_for(sqlite_ddl(), added_tables(from_version))


def postgres_migration(from_version: int) -> list:
    """As :func:`sqlite_migration`, for PostgreSQL, with the widened CHECK of ledger_events."""
    out = _statements_for(postgres_ddl(), added_tables(from_version))
    if from_version < 2:
        out.append(
            "ALTER TABLE ledger_events DROP CONSTRAINT IF EXISTS ledger_events_kind_check, "
            f"ADD CONSTRAINT ledger_events_kind_check CHECK (kind {_in(EVENT_KINDS)})"
        )
    return out


def events_check(kinds) -> str:
    """The CHECK clause of ledger_events.kind for ``kinds`` (as the DDL writes it)."""
    return f"CHECK (kind {_in(kinds)})"
