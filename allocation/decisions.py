"""Decisions that change a figure an officer can set (权责清单 sign-off): who proposed, who approved.

A decision is a row of the ledger table ``ledger_signoffs`` (audited, so the ledger's fingerprint
covers it): its kind (:data:`~landcoord.allocation.ledger.schema.SIGNOFF_KINDS`: stage moves, rule
overrides, quota adjustments, carving choices, closing a public notice), what was decided, the figure
before and after, who proposed it (the ledger's officer) and who approved it. Where the procedure
lists the kind in ``four_eyes`` the same person cannot do both.

Stage moves (:func:`landcoord.allocation.procedure.advance`) and the closing of a public notice
(:func:`landcoord.allocation.notice.close_notice`) record theirs with :func:`record_signoff`; so does
``landcoord stage signoff``.

A computation run that takes figures an officer sets (``landcoord quota``: the rule set and status
map; ``landcoord carve``: the minimum width, the tolerance, the control-line registry, the quota
table...) records its decision with :func:`record_decision` when it is given a ledger: what was set
(names and values, with a fingerprint of the rule files, :func:`files_fingerprint`, stored as JSON in
``note``), the run's result figure (``new_value``; ``old_value`` is the figure the previous decision
of the same kind and project recorded), who proposed it and who approved it. Without an approver
the decision is recorded as *proposed* (``approved_by`` empty) and its outputs say "not approved",
never "official" (:func:`mark_tables`). A run plans its decision before any work
(:func:`plan_decision`: the ledger opens, the four-eyes rule holds) and records it after
(:meth:`PlannedDecision.record`); the quota's and the carving's settings and result figures are built
here (:func:`quota_settings`, :func:`quota_figures`, :func:`carving_settings`,
:func:`carving_figures`) for the command line and Processing alike.

Approving a proposed decision later (``landcoord decision approve``, :func:`approve_decision`): the
table ``ledger_signoffs`` is append-only (its rows can be neither updated nor deleted, whoever
writes), so an approval is a new row, an *approval row*: the decision's kind, project, subject and
figures, its proposer, the approving officer and the day, and in ``note`` the JSON
``{"approves": ID, ...}`` naming the decision it approves. The proposed row stays as it was written;
the audit trail gains the approval (who wrote it, when) and the ledger's fingerprint covers it, so a
code taken before still verifies and a code taken after changes. Refused (InputError, nothing
written): an unknown id, or an approval row; a decision already approved (by whom, when); the
four-eyes rule of the procedure (the approver is the proposer); a decision superseded by a later
decision of the same kind and project (its figures are no longer the ones proposed: approve the
later one). :func:`decision_register` lists the decisions with the approval rows folded in (by
whom, on which day), pending or approved, and the fingerprint of their settings
(:func:`settings_fingerprint`).

A later run picks up the approval (:func:`record_decision` without an approver): when the latest
decision of the same kind and project has the same settings fingerprint and the same result figure,
the run is that decision again and nothing new is recorded: approved, its outputs are marked approved
(``Decision.approved_on`` says when, ``Decision.reused`` that nothing was written); still proposed,
they say "not approved" under the same decision. Other settings or figures: a new proposed decision.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .controls import DEFAULT_REGISTRY
from .errors import InputError
from .i18n import tr
from .io.outputs import file_part
from .ledger.ledger import Ledger
from .ledger.records import signoffs
from .ledger.schema import SIGNOFF_KINDS
from .ledger.statuses import iso_date, project_key
from .rules import RULES_DIR

__all__ = [
    "record_signoff",
    "signoffs",
    "same_officer",
    "Decision",
    "check_decision",
    "record_decision",
    "files_fingerprint",
    "mark_tables",
    "PlannedDecision",
    "plan_decision",
    "quota_decision_kind",
    "quota_settings",
    "quota_figures",
    "mark_quota",
    "source_fingerprint",
    "carving_settings",
    "carving_figures",
    "one_project",
    "settings_fingerprint",
    "decision_register",
    "approve_decision",
]


def same_officer(a, b) -> bool:
    """Whether two officer names are the same person's (case and surrounding spaces ignored)."""
    return str(a or "").strip().casefold() == str(b or "").strip().casefold()


def _check_kind(kind) -> None:
    if kind not in SIGNOFF_KINDS:
        raise InputError(
            tr("Unknown decision kind '{kind}'; kinds: {kinds}.", kind=kind, kinds=", ".join(SIGNOFF_KINDS))
        )


def _check_four_eyes(ledger, procedure, kind, subject, approver, proposer=None) -> None:
    """Refuse (InputError) a decision approved by its proposer (``proposer``, default the ledger's
    officer) where ``procedure`` says four eyes."""
    proposer = ledger.actor if proposer is None else proposer
    if procedure is not None and kind in procedure.four_eyes and same_officer(approver, proposer):
        raise InputError(
            tr(
                "Four-eyes rule of procedure '{procedure}': '{officer}' proposed this decision ({kind}: "
                "{subject}) and cannot also approve it; another officer must approve it. "
                "Nothing was written.",
                procedure=procedure.id,
                officer=proposer,
                kind=kind,
                subject=subject,
            )
        )


def record_signoff(
    ledger,
    kind,
    subject,
    *,
    approved_by,
    procedure=None,
    project=None,
    old_value=None,
    new_value=None,
    note=None,
    decided_on=None,
) -> int:
    """Record a decision that changes a figure an officer can set, proposed by the ledger's officer
    and approved by ``approved_by``; returns the sign-off id.

    Refused (:class:`InputError`) without an approver, or when the procedure lists ``kind`` in
    ``four_eyes`` and the approver is the proposer.
    """
    _check_kind(kind)
    approver = str(approved_by or "").strip()
    if not approver:
        raise InputError(
            tr(
                "A decision ({kind}: {subject}) needs the name of the officer who approved it "
                "(--approved-by).",
                kind=kind,
                subject=subject,
            )
        )
    _check_four_eyes(ledger, procedure, kind, subject, approver)
    day = iso_date(decided_on, tr("decision date")) if decided_on else date.today().isoformat()
    with ledger.transaction(f"sign-off {kind}: {subject}"):
        return ledger.backend.insert(
            "ledger_signoffs",
            {
                "project": None if project is None else project_key(project),
                "kind": kind,
                "subject": str(subject),
                "old_value": None if old_value is None else str(old_value),
                "new_value": None if new_value is None else str(new_value),
                "proposed_by": ledger.actor,
                "approved_by": approver,
                "decided_on": day,
                "note": note,
            },
        )


# -- decisions of a computation run (quota, carving) ----------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A decision recorded in the ledger (a ``ledger_signoffs`` row)."""

    id: int
    kind: str
    subject: str
    proposed_by: str
    approved_by: str | None
    ledger: str
    #: the day it was approved (None: not approved)
    approved_on: str | None = None
    #: True when the run found this decision already recorded (same settings and figures) and
    #: wrote nothing
    reused: bool = False

    @property
    def approved(self) -> bool:
        return bool(self.approved_by)

    def approval(self) -> str:
        """What the outputs say: ``approved by NAME`` or ``not approved``."""
        return f"approved by {self.approved_by}" if self.approved else "not approved"


def files_fingerprint(paths) -> str:
    """``sha256:`` and the first 16 hex digits of the SHA-256 of the files' names and contents, in
    order: the same rule files give the same fingerprint, an edited one another."""
    h = hashlib.sha256()
    for path in paths:
        path = Path(path)
        h.update(path.name.encode("utf-8") + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError as exc:
            raise InputError(tr("Cannot read '{source}': {error}", source=path, error=exc)) from None
        h.update(b"\0")
    return "sha256:" + h.hexdigest()[:16]


def check_decision(ledger, kind, subject, *, approved_by=None, procedure=None) -> None:
    """Refuse (InputError), before any work, a decision of an unknown kind, or one approved by its
    proposer (the ledger's officer) where the procedure lists the kind in ``four_eyes``."""
    _check_kind(kind)
    approver = str(approved_by or "").strip()
    if approver:
        _check_four_eyes(ledger, procedure, kind, subject, approver)


def _previous_figure(ledger, kind, project):
    """The result figure the latest decision of ``kind`` for ``project`` recorded, or None."""
    table = signoffs(ledger)
    if not len(table):
        return None
    mine = table[(table["kind"] == kind) & (table["project"].map(lambda p: p == project))]
    return None if not len(mine) else mine.iloc[-1]["new_value"]


def settings_fingerprint(settings) -> str | None:
    """``sha256:`` and 16 hex digits of the settings as JSON (keys sorted), as the ledger stores them:
    the same settings give the same fingerprint. None for no settings."""
    if settings is None:
        return None
    text = json.dumps(settings, ensure_ascii=False, sort_keys=True)
    text = json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True)  # tuples as stored: lists
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _note(row) -> dict:
    """The JSON of a sign-off's ``note`` ({} when free text or empty: a stage move's, a sign-off's)."""
    try:
        data = json.loads(row["note"] or "")
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _approves(row):
    """The id of the decision an approval row approves, None for a decision."""
    value = _note(row).get("approves")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class _Entry:
    """A decision of the register, its approval folded in."""

    row: dict
    approved_by: str | None
    approved_on: str | None
    approval_id: int | None
    superseded_by: int | None

    @property
    def id(self) -> int:
        return int(self.row["id"])


def _entries(ledger) -> list:
    """Every decision (oldest first) with its approval (its own approver, or an approval row) and the
    later decision of the same kind and project that supersedes it, if any."""
    rows = signoffs(ledger).to_dict("records")
    approvals = {}
    for r in rows:
        target = _approves(r)
        if target is not None:
            approvals.setdefault(target, r)
    decisions = [r for r in rows if _approves(r) is None]
    out = []
    for k, r in enumerate(decisions):
        later = next(
            (
                int(d["id"])
                for d in decisions[k + 1 :]
                if d["kind"] == r["kind"] and d["project"] == r["project"]
            ),
            None,
        )
        approval = approvals.get(int(r["id"]))
        if r["approved_by"]:
            out.append(_Entry(r, r["approved_by"], r["decided_on"], None, later))
        elif approval is not None:
            out.append(_Entry(r, approval["approved_by"], approval["decided_on"], int(approval["id"]), later))
        else:
            out.append(_Entry(r, None, None, None, later))
    return out


#: The columns of :func:`decision_register`.
REGISTER_COLUMNS = (
    "id",
    "day",
    "kind",
    "project",
    "subject",
    "proposed_by",
    "approved_by",
    "approved_on",
    "status",
    "superseded_by",
    "old_value",
    "new_value",
    "settings_fingerprint",
    "settings",
)


def decision_register(ledger, *, project=None, kind=None, pending=False):
    """The decisions of the ledger (oldest first) as a table (:data:`REGISTER_COLUMNS`): the day,
    kind, project and subject, who proposed it, who approved it and when (an approval row folded in;
    ``approved_by`` ``pending`` when nobody has), its ``status`` (``approved``, ``pending``, or
    ``superseded``: not approved and a later decision of the same kind and project replaced it, named
    in ``superseded_by``), the figure before and after, and the settings (JSON) with their
    fingerprint. ``project``, ``kind``: only those; ``pending``: only the decisions awaiting approval
    (not superseded)."""
    import pandas as pd

    if kind is not None:
        _check_kind(kind)
    key = None if project is None else project_key(project)
    rows = []
    for e in _entries(ledger):
        r = e.row
        if (key is not None and r["project"] != key) or (kind is not None and r["kind"] != kind):
            continue
        status = "approved" if e.approved_by else ("superseded" if e.superseded_by else "pending")
        if pending and status != "pending":
            continue
        settings = _note(r).get("settings")
        rows.append(
            (
                e.id,
                r["decided_on"],
                r["kind"],
                r["project"],
                r["subject"],
                r["proposed_by"],
                e.approved_by or "pending",
                e.approved_on,
                status,
                e.superseded_by,
                r["old_value"],
                r["new_value"],
                settings_fingerprint(settings),
                None if settings is None else json.dumps(settings, ensure_ascii=False, sort_keys=True),
            )
        )
    table = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS), dtype=object)
    # whole numbers, missing as empty (not 2.0 in a written table)
    return table.astype({"id": "Int64", "superseded_by": "Int64"})


def _approvable(ledger, decision_id, approver) -> _Entry:
    """The decision ``decision_id`` of the ledger if ``approver`` may approve it now; else InputError:
    an unknown id or an approval row, no approver, already approved, superseded."""
    try:
        wanted = int(decision_id)
    except (TypeError, ValueError):
        wanted = None
    entries = _entries(ledger)
    entry = next((e for e in entries if e.id == wanted), None)
    if entry is None:
        row = next((r for r in signoffs(ledger).to_dict("records") if int(r["id"]) == wanted), None)
        if row is not None:
            raise InputError(
                tr(
                    "Sign-off {id} is the approval of decision {decision}, not a decision; nothing to "
                    "approve.",
                    id=wanted,
                    decision=_approves(row),
                )
            )
        known = ", ".join(str(e.id) for e in entries if not e.approved_by) or tr("(none)")
        raise InputError(
            tr(
                "No decision {id} in the ledger {ledger}; decisions awaiting approval: {known} "
                "(landcoord decision list --pending).",
                id=decision_id,
                ledger=ledger.label,
                known=known,
            )
        )
    r = entry.row
    if not approver:
        raise InputError(
            tr(
                "A decision ({kind}: {subject}) needs the name of the officer who approved it "
                "(--approved-by).",
                kind=r["kind"],
                subject=r["subject"],
            )
        )
    if entry.approved_by:
        raise InputError(
            tr(
                "Decision {id} ({kind}: {subject}) is already approved, by {approver} on {day}. "
                "Nothing was written.",
                id=entry.id,
                kind=r["kind"],
                subject=r["subject"],
                approver=entry.approved_by,
                day=entry.approved_on,
            )
        )
    if entry.superseded_by is not None:
        raise InputError(
            tr(
                "Decision {id} ({kind}: {subject}) was superseded by decision {later} of the same kind "
                "and project: its figures are no longer the ones proposed. Approve decision {later} "
                "instead (landcoord decision list --pending). Nothing was written.",
                id=entry.id,
                kind=r["kind"],
                subject=r["subject"],
                later=entry.superseded_by,
            )
        )
    return entry


def approve_decision(ledger, decision_id, *, approved_by, procedure=None, decided_on=None) -> int:
    """Approve the proposed decision ``decision_id`` as ``approved_by`` (written by the ledger's
    officer): appends an approval row (``ledger_signoffs`` is append-only; see the module's
    docstring), audited and covered by the ledger's fingerprint; returns its id.

    Refused (InputError, nothing written): no approver; an unknown id or an approval row; a decision
    already approved; the approver is its proposer where ``procedure`` lists the kind in
    ``four_eyes``; a decision superseded by a later one of the same kind and project.
    """
    approver = str(approved_by or "").strip()
    day = iso_date(decided_on, tr("decision date")) if decided_on else date.today().isoformat()
    # checked inside the write's transaction: two officers approving at once cannot both succeed
    with ledger.transaction(f"approval of decision {decision_id} by {approver}"):
        entry = _approvable(ledger, decision_id, approver)
        r = entry.row
        _check_four_eyes(ledger, procedure, r["kind"], r["subject"], approver, proposer=r["proposed_by"])
        fp = settings_fingerprint(_note(r).get("settings"))
        note = {"approves": entry.id, "approval": "approved", "settings_fingerprint": fp}
        return ledger.backend.insert(
            "ledger_signoffs",
            {
                "project": r["project"],
                "kind": r["kind"],
                "subject": r["subject"],
                "old_value": r["old_value"],
                "new_value": r["new_value"],
                "proposed_by": r["proposed_by"],
                "approved_by": approver,
                "decided_on": day,
                "note": json.dumps(note, ensure_ascii=False, sort_keys=True),
            },
        )


def _same_decision(ledger, kind, key, settings, result):
    """The latest decision of ``kind`` for project ``key`` when it has these ``settings`` and this
    ``result`` figure (the run is that decision again), else None."""
    mine = [e for e in _entries(ledger) if e.row["kind"] == kind and e.row["project"] == key]
    if not mine:
        return None
    last = mine[-1]
    same = settings_fingerprint(_note(last.row).get("settings")) == settings_fingerprint(settings)
    return last if same and last.row["new_value"] == str(result) else None


def record_decision(
    ledger,
    kind,
    subject,
    *,
    settings: dict,
    result: str,
    approved_by=None,
    procedure=None,
    project=None,
    decided_on=None,
    official: bool = False,
) -> Decision:
    """Record the decision of a computation run: ``settings`` (the figures the officer set, names to
    values, JSON-serialisable) and the run's ``result`` figure, proposed by the ledger's officer and
    approved by ``approved_by`` (None: recorded as proposed, not approved).

    Without an approver, when the latest decision of ``kind`` for ``project`` has the same settings
    (:func:`settings_fingerprint`) and the same ``result``, nothing is recorded: that decision is
    returned (``reused``), approved (by whom, ``approved_on``) if it has been since
    (:func:`approve_decision`). ``official`` (an official result asked for): refused (InputError,
    nothing written) unless the decision is approved, by ``approved_by`` or before.

    Refused (InputError, nothing written) when the procedure lists ``kind`` in ``four_eyes`` and
    the approver is the proposer.
    """
    check_decision(ledger, kind, subject, approved_by=approved_by, procedure=procedure)
    approver = str(approved_by or "").strip()
    day = iso_date(decided_on, tr("decision date")) if decided_on else date.today().isoformat()
    key = None if project is None else project_key(project)
    if not approver:
        same = _same_decision(ledger, kind, key, settings, result)
        if official and (same is None or not same.approved_by):
            raise InputError(
                tr(
                    "An official result was asked for, but this run's decision ({kind}: {subject}) is not "
                    "approved: no approved decision of the same kind and project has these settings and "
                    "result figures. Give the approving officer (--approved-by), or have the decision "
                    "approved (landcoord decision approve) and run again. Nothing was recorded.",
                    kind=kind,
                    subject=subject,
                )
            )
        if same is not None:
            r = same.row
            return Decision(
                same.id,
                r["kind"],
                r["subject"],
                r["proposed_by"],
                same.approved_by,
                ledger.label,
                approved_on=same.approved_on,
                reused=True,
            )
    state = "approved" if approver else "proposed, not approved"
    note = json.dumps({"settings": settings, "approval": state}, ensure_ascii=False, sort_keys=True)
    with ledger.transaction(f"decision {kind}: {subject} ({state})"):
        old = _previous_figure(ledger, kind, key)
        sid = ledger.backend.insert(
            "ledger_signoffs",
            {
                "project": key,
                "kind": kind,
                "subject": str(subject),
                "old_value": old,
                "new_value": str(result),
                "proposed_by": ledger.actor,
                "approved_by": approver,  # empty: proposed, not approved (the column is NOT NULL)
                "decided_on": day,
                "note": note,
            },
        )
    approved_on = day if approver else None
    return Decision(
        sid, kind, str(subject), ledger.actor, approver or None, ledger.label, approved_on=approved_on
    )


def mark_tables(frames: dict, decision: Decision) -> dict:
    """Copies of the output ``frames`` saying which decision they belong to (columns ``decision``,
    the sign-off id, and ``approval``: ``approved by NAME`` or ``not approved``). Not approved, no
    row is official: an ``official`` column becomes false, a ``blocking`` column (the reasons a
    result is not official) gains ``not approved``, and a trail's ``official`` rows (``quantity``
    ``official``, as the quota trail has) become 0 with the reason."""
    out = {}
    for name, frame in frames.items():
        frame = frame.copy()
        frame["decision"] = decision.id
        frame["approval"] = decision.approval()
        if not decision.approved:
            _not_official(frame, f"decision {decision.id} not approved (proposed by {decision.proposed_by})")
        out[name] = frame
    return out


def _not_official(frame, why: str) -> None:
    """Mark every result of ``frame`` (in place) as not official, because ``why``."""
    if "official" in frame.columns:
        frame["official"] = False
    if "blocking" in frame.columns:
        frame["blocking"] = [f"{b}; {why}" if isinstance(b, str) and b else why for b in frame["blocking"]]
    if {"quantity", "value", "note"} <= set(frame.columns):
        rows = frame["quantity"] == "official"
        frame.loc[rows, "value"] = 0.0
        frame.loc[rows, "note"] = [
            f"{n}; {why}" if isinstance(n, str) and n.startswith("NOT OFFICIAL") else f"NOT OFFICIAL: {why}"
            for n in frame.loc[rows, "note"]
        ]


# -- a run's decision, planned before the run and recorded after it ---------------------------------


@dataclass(frozen=True)
class PlannedDecision:
    """A run's decision checked before the run (:func:`plan_decision`), recorded after it."""

    location: str
    kind: str
    subject: str
    procedure: object
    approved_by: str | None = None
    officer: str | None = None
    schema: str | None = None

    def open(self) -> Ledger:
        return Ledger.open(self.location, officer=self.officer, schema=self.schema)

    def record(self, *, settings: dict, result: str, project=None, official: bool = False) -> Decision:
        """Record the decision with the run's settings and result figure (:func:`record_decision`;
        ``official``: refused unless approved)."""
        with self.open() as ledger:
            return record_decision(
                ledger,
                self.kind,
                self.subject,
                settings=settings,
                result=result,
                approved_by=self.approved_by,
                procedure=self.procedure,
                project=project,
                official=official,
            )


def plan_decision(location, kind, subject, *, procedure, approved_by=None, officer=None, schema=None):
    """The decision a run will record in the ledger at ``location`` (a GeoPackage or PostgreSQL DSN,
    ``schema``), checked now, before any work: the ledger opens, the kind is known, and the four-eyes
    rule of ``procedure`` (:func:`landcoord.allocation.procedure.load_procedure`) holds for the
    proposer ``officer`` (None: the configured officer or OS user) and ``approved_by``."""
    planned = PlannedDecision(str(location), kind, str(subject), procedure, approved_by, officer, schema)
    with planned.open() as ledger:
        check_decision(ledger, kind, subject, approved_by=approved_by, procedure=procedure)
    return planned


# -- the decision of a quota run ---------------------------------------------------------------------


def quota_decision_kind(rules) -> str:
    """``quota_adjustment`` under a shipped rule set, ``rule_override`` when one of its files (``rules``
    a loaded RuleSet) is the officer's own."""
    shipped = RULES_DIR.resolve()
    return (
        "quota_adjustment"
        if all(Path(f).resolve().is_relative_to(shipped) for f in rules.files)
        else "rule_override"
    )


def quota_settings(rules, *, status_map=None, community_field=None, floor_area_field=None, zoning_field=None):
    """What a quota run's officer set: the rule set, its files and their fingerprint, the status map
    (and its fingerprint when a file) and the fields."""
    status_file = status_map if isinstance(status_map, (str, Path)) and Path(status_map).is_file() else None
    return {
        "rules": rules.id,
        "rule_files": [str(f) for f in rules.files],
        "rule_set_fingerprint": files_fingerprint(rules.files),
        "example": bool(rules.example),
        "status_map": None if status_map is None else str(status_map),
        "status_map_fingerprint": files_fingerprint([status_file]) if status_file else None,
        "community_field": community_field,
        "floor_area_field": floor_area_field,
        "zoning_field": zoning_field,
    }


def _figure(v) -> str:
    return "empty" if v is None or v != v else f"{float(v):.2f}"


def quota_figures(summary) -> str:
    """A quota run's result figures: retained area, planned floor area and land to the government of
    each project (and community) of its summary."""
    return "; ".join(
        f"{r.project}" + ("" if r.community is None else f"/{r.community}") + ": "
        f"retained_area={_figure(r.retained_area)}, planned_floor_area={_figure(r.planned_floor_area)}, "
        f"government_land={_figure(r.government_land)}"
        for r in summary.itertuples(index=False)
    )


def mark_quota(result, decision: Decision) -> None:
    """Mark a QuotaResult's trail and summary with its decision (:func:`mark_tables`); not approved,
    nothing in it is official."""
    layers = mark_tables(result.layers(), decision)
    result.trail, result.summary = layers["quota_trail"], layers["quota_summary"]
    result.official = bool(result.official and decision.approved)


# -- the decision of a carving run ------------------------------------------------------------------


def source_fingerprint(source):
    """The fingerprint of the file a source names (``FILE|layername=...``), None when not a file."""
    part = file_part(source) if isinstance(source, (str, Path)) else None
    return files_fingerprint([part[0]]) if part is not None and Path(part[0]).is_file() else None


def carving_settings(*, min_width, tolerance, quotas=None, registry=None, **choices) -> dict:
    """What a carving run's officer set: the minimum width and the tolerance, the quota table (and
    its file's fingerprint), the control-line registry (the officer's file, if any, and the
    fingerprint of the shipped registry with it), and the other ``choices`` as given (layers,
    fields, the measuring CRS, the kinds avoided ...)."""
    return {
        "min_width": float(min_width),
        "tolerance": float(tolerance),
        "quotas": None if quotas is None else str(quotas),
        "quotas_fingerprint": source_fingerprint(quotas),
        "registry": None if registry is None else str(registry),
        "registry_fingerprint": files_fingerprint([DEFAULT_REGISTRY] + ([registry] if registry else [])),
        **choices,
    }


def carving_figures(parcels) -> str:
    """A carving run's result figures: each parcel's area against its target."""
    return "; ".join(
        f"{r.project}/{r.community} part {r.part}/{r.parts}: area={r.area:.2f}, target={r.target_area:.2f}"
        for r in parcels.itertuples(index=False)
    )


def one_project(frame):
    """The project of a result frame when it has one only, else None (a decision of several)."""
    projects = sorted({str(p) for p in frame["project"]})
    return projects[0] if len(projects) == 1 else None
