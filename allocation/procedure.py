"""The procedure of a 利益统筹 project: stages, entry conditions, stage moves and sign-offs.

A procedure file (shipped: ``rules/procedure/shenzhen_benefit_coordination.toml``, editable per city)
lists the stages in order (计划立项 → 现状调查/权属核查 → 方案编制 → 公示 → 协议签订 → 审批 →
实施/移交), each with its entry conditions and due days, the responsibility list (权责清单: duties
per actor type and stage) and the decisions that need a second officer (``four_eyes``). Every entry
carries the provenance keys of the rule sets (document, article, version, source, verified).

Moving a project into a stage is a ledger write (table ``ledger_stage_moves``, audited, so the
fingerprint covers it) recording who moved it, when, from which stage, and each condition's result;
it is refused, naming the failed conditions, unless forced with a reason (recorded). The move is
also a sign-off (``ledger_signoffs``): who proposed it and who approved it; where the procedure
says so, the same person cannot do both (:mod:`landcoord.allocation.decisions`).

The readers of these records (:func:`stage_history`, :func:`current_stage`, :func:`signoffs`) live in
:mod:`landcoord.allocation.ledger.records`, where the ledger's xlsx export reads them too, and
:func:`record_signoff` in :mod:`landcoord.allocation.decisions`; they are importable from here as
before.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from .decisions import record_signoff, signoffs
from .errors import InputError, RuleError
from .i18n import tr, trn
from .ledger.backend import read_rows, utc_now
from .ledger.consent import evaluate_thresholds
from .ledger.records import current_stage, notices, stage_history
from .ledger.schema import EVENT_KINDS, SIGNOFF_KINDS
from .ledger.statuses import iso_date, project_key
from .rules import RULES_DIR, Provenance, provenance
from .rules.toml import Problems, key_lines, loads

__all__ = [
    "PROCEDURE_DIR",
    "Stage",
    "Duty",
    "Procedure",
    "load_procedure",
    "check_conditions",
    "current_stage",
    "stage_history",
    "advance",
    "record_signoff",
    "signoffs",
    "duties_table",
    "CONDITIONS",
]

PROCEDURE_DIR = RULES_DIR / "procedure"
DEFAULT = "shenzhen_benefit_coordination"
ACTORS = ("government", "implementing_entity", "community_company", "holders")

#: Named entry conditions (besides ``event:<kind>`` and ``threshold:<key>``).
CONDITIONS = ("affected_reconciled", "hearing_held", "notice_closed", "no_open_requests", "consent_recorded")


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    requires: tuple
    due_days: int | None
    provenance: Provenance


@dataclass(frozen=True)
class Duty:
    key: str
    actor: str
    label: str
    stage: str
    due_days: int | None
    provenance: Provenance


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    path: Path
    stages: tuple
    duties: tuple
    four_eyes: tuple
    thresholds: str
    mediation_levels: tuple = ()
    mediation_labels: tuple = ()

    def stage(self, key: str) -> Stage:
        for s in self.stages:
            if s.key == key:
                return s
        raise InputError(
            tr(
                "Procedure '{procedure}' has no stage '{stage}'; stages: {stages}.",
                procedure=self.id,
                stage=key,
                stages=", ".join(s.key for s in self.stages),
            )
        )

    def index(self, key: str | None) -> int:
        """Position of a stage (-1 for a project not yet in any stage)."""
        return -1 if key is None else self.stages.index(self.stage(key))


def _header(path, count: int, problems: str) -> str:
    return trn(
        "Procedure file '{path}' has {n} problem:\n{problems}",
        "Procedure file '{path}' has {n} problems:\n{problems}",
        count,
        path=path,
        problems=problems,
    )


def _resolve(source) -> Path:
    text = str(source)
    if not text.lower().endswith(".toml") and "/" not in text and "\\" not in text:
        shipped = PROCEDURE_DIR / f"{text}.toml"
        if shipped.exists():
            return shipped
        raise RuleError(
            tr(
                "No shipped procedure file '{name}'; shipped: {names}; or give a .toml path.",
                name=text,
                names=", ".join(sorted(p.stem for p in PROCEDURE_DIR.glob("*.toml"))),
            )
        )
    return Path(source)


def _days(value, path, probs) -> int | None:
    if value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        probs.add(
            path, tr('must be a whole number of days, or "" when not known; got {value}.', value=repr(value))
        )
        return None
    return value


def _condition_ok(name) -> bool:
    if not isinstance(name, str):
        return False
    if name.startswith("event:"):
        return name[6:] in EVENT_KINDS
    return name in CONDITIONS or (name.startswith("threshold:") and len(name) > 10)


def load_procedure(source=DEFAULT) -> Procedure:
    """Load and check a procedure file (a ``.toml`` path or a shipped name).

    Raises
    ------
    RuleError
        Naming the file, line and key of every problem.
    """
    path = _resolve(source)
    text, data = _read(path)
    probs = Problems(path, key_lines(text), _header)
    meta, four = _meta(data, probs)
    stages = _stages(data, probs)
    duties = _duties(data, {s.key for s in stages}, probs)
    med = data.get("mediation") or {}
    probs.raise_if_any()
    return Procedure(
        id=meta["id"],
        title=str(meta.get("title", "")),
        path=path,
        stages=tuple(stages),
        duties=tuple(duties),
        four_eyes=tuple(four),
        thresholds=str(meta.get("thresholds", "")),
        mediation_levels=tuple(med.get("levels", ())),
        mediation_labels=tuple(med.get("labels", ())),
    )


def _read(path) -> tuple:
    """``(text, data)`` of a procedure file; RuleError when it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
        return text, loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(
            tr("Procedure file '{path}' cannot be read: {error}.", path=path, error=exc)
        ) from None


def _meta(data, probs) -> tuple:
    """``(meta, four_eyes)``: the ``[procedure]`` table and its decision kinds needing two officers."""
    meta = data.get("procedure")
    if not isinstance(meta, dict) or not str(meta.get("id", "")).strip():
        probs.add(("procedure",), tr("the [procedure] table with an id and a title is missing."))
        meta = {}
    four = meta.get("four_eyes", [])
    if not isinstance(four, list) or any(k not in SIGNOFF_KINDS for k in four):
        probs.add(
            ("procedure", "four_eyes"),
            tr(
                "must list decision kinds among {kinds}; got {value}.",
                kinds=", ".join(SIGNOFF_KINDS),
                value=repr(four),
            ),
        )
        four = []
    return meta, four


def _stages(data, probs) -> list:
    """The ``[stage.NAME]`` entries in order, each checked (requires, due_days, provenance)."""
    stages = []
    for key, entry in (data.get("stage") or {}).items():
        here = ("stage", key)
        if not isinstance(entry, dict):
            probs.add(here, tr("must be a table."))
            continue
        prov = provenance(entry, here, probs, {"requires", "due_days"})
        requires = entry.get("requires", [])
        if not isinstance(requires, list) or not all(_condition_ok(r) for r in requires):
            probs.add(
                here + ("requires",),
                tr(
                    "must list entry conditions among {conditions}, event:KIND or threshold:KEY; "
                    "got {value}.",
                    conditions=", ".join(CONDITIONS),
                    value=repr(requires),
                ),
            )
            continue
        days = _days(entry.get("due_days", ""), here + ("due_days",), probs)
        if prov is not None:
            stages.append(Stage(key, str(entry.get("label", key)), tuple(requires), days, prov))
    if not stages:
        probs.add(("stage",), tr("no [stage.NAME] entries."))
    return stages


def _duties(data, keys: set, probs) -> list:
    """The ``[duty.NAME]`` entries (权责清单), each with an actor and one of the stages ``keys``."""
    duties = []
    for key, entry in (data.get("duty") or {}).items():
        here = ("duty", key)
        if not isinstance(entry, dict):
            probs.add(here, tr("must be a table."))
            continue
        prov = provenance(entry, here, probs, {"actor", "stage", "due_days"})
        if entry.get("actor") not in ACTORS:
            probs.add(here + ("actor",), tr("must be one of {actors}.", actors=", ".join(ACTORS)))
            continue
        if entry.get("stage") not in keys:
            probs.add(
                here + ("stage",), tr("must be one of the stages {stages}.", stages=", ".join(sorted(keys)))
            )
            continue
        days = _days(entry.get("due_days", ""), here + ("due_days",), probs)
        if prov is not None:
            duties.append(Duty(key, entry["actor"], str(entry.get("label", key)), entry["stage"], days, prov))
    return duties


# -- reading the procedure tables --------------------------------------------------------------------


def _rows(ledger, table: str, where: str = "", params=()) -> list:
    return read_rows(ledger, table, where, params)  # an older ledger's missing table reads as empty


# -- entry conditions ---------------------------------------------------------------------------------


def check_conditions(ledger, project, names, *, reconciliation=None, progress=None, thresholds=None) -> list:
    """Each named condition's result for ``project``: ``[(name, ok, detail)]``.

    ``reconciliation`` is the affected-area reconciliation table (``landcoord affected``'s layer),
    ``progress`` the consent progress per project and ``thresholds`` a loaded threshold set; a
    condition that needs an output not given fails, saying which.
    """
    project = project_key(project)
    out = []
    events = ledger.events(project, include_voided=False)
    for name in names:
        if name == "affected_reconciled":
            if reconciliation is None:
                out.append((name, False, tr("no affected-area reconciliation given (--affected)")))
                continue
            rows = reconciliation[reconciliation["project"].astype(str) == project]
            ok = bool(len(rows)) and bool(rows["balanced"].astype(bool).all())
            out.append((name, ok, tr("balanced") if ok else tr("not balanced or project not in it")))
        elif name == "hearing_held" or name.startswith("event:"):
            kind = "hearing" if name == "hearing_held" else name[6:]
            n = int((events["kind"] == kind).sum()) if len(events) else 0
            out.append(
                (name, n > 0, trn("{n} event of kind {kind}", "{n} events of kind {kind}", n, kind=kind))
            )
        elif name == "notice_closed":
            n = notices(ledger, project)
            closed = int((n["status"] == "closed").sum()) if len(n) else 0
            out.append((name, closed > 0, trn("{n} closed notice", "{n} closed notices", closed)))
        elif name == "no_open_requests":
            r = ledger.requests(project)
            n = int((r["status"] == "open").sum()) if len(r) else 0
            out.append((name, n == 0, trn("{n} open request", "{n} open requests", n)))
        elif name == "consent_recorded":
            c = ledger.consent_table(project)
            out.append((name, len(c) > 0, trn("{n} consent record", "{n} consent records", len(c))))
        elif name.startswith("threshold:"):
            key = name[10:]
            if progress is None or thresholds is None:
                out.append((name, False, tr("no consent progress given (--affected with its pieces)")))
                continue
            v = evaluate_thresholds(progress, thresholds)
            v = v[(v["project"].astype(str) == project) & (v["threshold"] == key)]
            verdict = str(v["verdict"].iloc[0]) if len(v) else "missing"
            out.append((name, verdict == "met", tr("threshold verdict: {verdict}", verdict=verdict)))
        else:
            out.append((name, False, tr("unknown condition")))
    return out


# -- writes ----------------------------------------------------------------------------------------


def advance(
    ledger,
    procedure: Procedure,
    project,
    *,
    to=None,
    approved_by=None,
    force_reason=None,
    moved_on=None,
    reconciliation=None,
    progress=None,
    thresholds=None,
) -> dict:
    """Move ``project`` into the next stage (or ``to``, which must be the next one).

    Returns the move: ``{"id", "from", "to", "conditions": [(name, ok, detail)], "forced"}``.
    Raises :class:`InputError` naming the failed conditions unless ``force_reason`` is given.
    """
    project = project_key(project)
    # the checks and the writes in one transaction: nobody writes in between
    with ledger.transaction(f"stage move of project {project}"):
        here, since = current_stage(ledger, project)
        nxt = _next_stage(procedure, project, here, to)
        results = check_conditions(
            ledger,
            project,
            nxt.requires,
            reconciliation=reconciliation,
            progress=progress,
            thresholds=thresholds,
        )
        forced = _unmet_or_forced(project, nxt, results, force_reason)
        day = _move_day(project, here, since, moved_on)
        reason = force_reason if forced else None
        mid = _write_move(ledger, procedure, project, here, nxt, results, day, approved_by, reason)
    return {"id": mid, "from": here, "to": nxt.key, "conditions": results, "forced": forced}


def _next_stage(procedure: Procedure, project: str, here, to) -> Stage:
    """The stage after ``here``; refused in the last stage, or when ``to`` is not that stage."""
    i = procedure.index(here)
    if i + 1 >= len(procedure.stages):
        raise InputError(
            tr(
                "Project {project} is in the last stage ({stage}); there is no next stage.",
                project=project,
                stage=here,
            )
        )
    nxt = procedure.stages[i + 1]
    if to is not None and procedure.stage(to).key != nxt.key:
        raise InputError(
            tr(
                "Project {project} is in stage {stage}; it can only move to the next stage, {next}, "
                "not {to}.",
                project=project,
                stage=here or "-",
                next=nxt.key,
                to=to,
            )
        )
    return nxt


def _unmet_or_forced(project: str, nxt: Stage, results: list, force_reason) -> bool:
    """Whether the move is forced (some condition failed and a reason is given); refused when a
    condition failed without a reason."""
    failed = [f"{n} ({d})" for n, ok, d in results if not ok]
    if failed and not (force_reason and str(force_reason).strip()):
        raise InputError(
            tr(
                "Project {project} cannot enter stage {stage}: conditions not met: {failed}. Meet them, "
                "or force the move with a reason (--force REASON), which is recorded.",
                project=project,
                stage=f"{nxt.key} {nxt.label}",
                failed="; ".join(failed),
            )
        )
    return bool(failed)


def _move_day(project: str, here, since, moved_on) -> str:
    """The day of the move (default today), never before the day the project entered its stage."""
    day = iso_date(moved_on, tr("move date")) if moved_on else date.today().isoformat()
    if since is not None and day < since:
        raise InputError(
            tr(
                "Project {project} entered stage {stage} on {since}; it cannot leave it on an earlier "
                "day ({day}).",
                project=project,
                stage=here,
                since=since,
                day=day,
            )
        )
    return day


def _write_move(ledger, procedure, project, here, nxt, results, day, approved_by, force_reason) -> int:
    """The move's sign-off (four-eyes checked) and its ``ledger_stage_moves`` row, in one transaction;
    ``force_reason`` is None unless the move is forced. Returns the move's id."""
    forced = force_reason is not None
    reason = f"stage {here or '-'} -> {nxt.key}" + (f" (forced: {force_reason})" if forced else "")
    with ledger.transaction(reason):
        sid = record_signoff(
            ledger,
            "stage_move",
            f"{project}: {here or '-'} -> {nxt.key}",
            approved_by=approved_by,
            procedure=procedure,
            project=project,
            old_value=here,
            new_value=nxt.key,
            note=force_reason,
            decided_on=day,
        )
        return ledger.backend.insert(
            "ledger_stage_moves",
            {
                "project": project,
                "from_stage": here,
                "to_stage": nxt.key,
                "moved_on": day,
                "moved_at": utc_now(),
                "moved_by": ledger.actor,
                "conditions": json.dumps(
                    [{"condition": n, "met": ok, "detail": d} for n, ok, d in results], ensure_ascii=False
                ),
                "forced": int(forced),
                "reason": str(force_reason) if forced else None,
                "signoff_id": sid,
            },
        )


def due_date(entered_on, days) -> str | None:
    if entered_on is None or days is None:
        return None
    return (date.fromisoformat(str(entered_on)) + timedelta(days=int(days))).isoformat()


def duties_table(ledger, procedure: Procedure, project, *, today=None) -> pd.DataFrame:
    """The responsibility list of ``project``'s current stage and the stages before: each duty, its
    actor, due date (when the procedure gives days) and whether it is overdue (the project is still in
    the duty's stage after its due date)."""
    project = project_key(project)
    today = iso_date(today, tr("date")) if today else date.today().isoformat()
    hist = stage_history(ledger, project)
    entered = {r.to_stage: r.moved_on for r in hist.itertuples()}
    here, _ = current_stage(ledger, project)
    rows = []
    for d in procedure.duties:
        due = due_date(entered.get(d.stage), d.due_days)
        overdue = bool(due is not None and here == d.stage and today > due)
        rows.append(
            [
                project,
                d.key,
                d.actor,
                d.stage,
                d.label,
                due,
                overdue,
                d.provenance.document,
                d.provenance.verified,
            ]
        )
    return pd.DataFrame(
        rows,
        columns=["project", "duty", "actor", "stage", "label", "due", "overdue", "document", "verified"],
    )
