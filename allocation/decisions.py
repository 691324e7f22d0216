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
]


def same_officer(a, b) -> bool:
    """Whether two officer names are the same person's (case and surrounding spaces ignored)."""
    return str(a or "").strip().casefold() == str(b or "").strip().casefold()


def _check_kind(kind) -> None:
    if kind not in SIGNOFF_KINDS:
        raise InputError(
            tr("Unknown decision kind '{kind}'; kinds: {kinds}.", kind=kind, kinds=", ".join(SIGNOFF_KINDS))
        )


def _check_four_eyes(ledger, procedure, kind, subject, approver) -> None:
    """Refuse (InputError) a decision approved by its proposer where ``procedure`` says four eyes."""
    if procedure is not None and kind in procedure.four_eyes and same_officer(approver, ledger.actor):
        raise InputError(
            tr(
                "Four-eyes rule of procedure '{procedure}': '{officer}' proposed this decision ({kind}: "
                "{subject}) and cannot also approve it; another officer must approve it. "
                "Nothing was written.",
                procedure=procedure.id,
                officer=ledger.actor,
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
) -> Decision:
    """Record the decision of a computation run: ``settings`` (the figures the officer set, names to
    values, JSON-serialisable) and the run's ``result`` figure, proposed by the ledger's officer and
    approved by ``approved_by`` (None: recorded as proposed, not approved).

    Refused (InputError, nothing written) when the procedure lists ``kind`` in ``four_eyes`` and
    the approver is the proposer.
    """
    check_decision(ledger, kind, subject, approved_by=approved_by, procedure=procedure)
    approver = str(approved_by or "").strip()
    day = iso_date(decided_on, tr("decision date")) if decided_on else date.today().isoformat()
    key = None if project is None else project_key(project)
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
    return Decision(sid, kind, str(subject), ledger.actor, approver or None, ledger.label)


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

    def record(self, *, settings: dict, result: str, project=None) -> Decision:
        """Record the decision with the run's settings and result figure (:func:`record_decision`)."""
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
