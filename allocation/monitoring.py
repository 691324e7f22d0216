"""Monitoring (动态监测) of 利益统筹 projects: indicators per project at given days.

For each project and each day: consent by holders and by affected area (the ledger's consent records
as they were recorded by the end of that day, replayed from the audit trail, against the affected
pieces), signed shares, objections to public notices received and not yet answered on that day,
requests (诉求) made and not yet answered, the stage the project was in, the days it had been in it,
and the duties of the responsibility list overdue on that day.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .i18n import tr
from .ledger.consent import CONSENTED, consent_progress
from .ledger.records import notices, objections, stage_history
from .ledger.statuses import iso_date, project_key
from .procedure import due_date

__all__ = ["MONITOR_COLUMNS", "DISTRICT_COLUMNS", "indicators", "ledger_projects", "district_summary"]

MONITOR_COLUMNS = [
    "project",
    "day",
    "holders",
    "consented",
    "signed",
    "consent_rate",
    "area",
    "area_consented",
    "area_consent_rate",
    "area_signed_rate",
    "open_objections",
    "open_requests",
    "stage",
    "days_in_stage",
    "overdue_duties",
]


def _consent_at(ledger, day: str) -> pd.DataFrame:
    state = ledger.state_as_of(at=f"{day}T23:59:59.999Z")
    holders = state["ledger_holders"]["holder"].to_dict()
    c = state["ledger_consent"]
    return pd.DataFrame(
        {
            "project": list(c["project"]),
            "holder": [holders.get(h) for h in c["holder_id"]],
            "status": list(c["status"]),
        },
        dtype=object,
    )


def _open_on(received, answered, day) -> bool:
    return received is not None and received <= day and (answered is None or answered > day)


def indicators(ledger, *, days=None, projects=None, pieces=None, procedure=None) -> pd.DataFrame:
    """The indicators (:data:`MONITOR_COLUMNS`) of each project at each of ``days`` (default: today).

    ``pieces`` are the affected pieces (``landcoord affected``): with them the holders and areas are
    those with land in each project; without them, the holders are those with a consent record and
    the area columns are empty. ``procedure`` (:func:`landcoord.allocation.procedure.load_procedure`)
    gives the stages' duties for ``overdue_duties``.
    """
    days = sorted({iso_date(d, tr("monitoring day")) for d in (days or [date.today().isoformat()])})
    moves = stage_history(ledger)
    reqs = ledger.requests()
    ns = notices(ledger)
    objs = objections(ledger)
    notice_project = dict(zip(ns["id"], ns["project"]))
    names = _project_names(ledger, projects, pieces, moves, ns)
    rows = []
    for day in days:
        consent = _consent_at(ledger, day)
        prog = None
        if pieces is not None:
            prog = consent_progress(consent, pieces, projects=names).projects.set_index("project")
        for p in names:
            rows.append(
                [
                    p,
                    day,
                    *_consent_columns(consent, prog, p),
                    *_open_counts(objs, notice_project, reqs, p, day),
                    *_stage_on(moves, p, day, procedure),
                ]
            )
    return pd.DataFrame(rows, columns=MONITOR_COLUMNS)


def _project_names(ledger, projects, pieces, moves, ns) -> list:
    """The projects asked for, else every project of the ledger's consent, stage moves and notices
    and of the pieces."""
    names = set(projects or [])
    if not names:
        names |= set(ledger.consent_table()["project"])
        names |= set(moves["project"]) | set(ns["project"])
        if pieces is not None:
            names |= {str(p) for p in pieces["project"]}
    return sorted(project_key(p) for p in names)


def _consent_columns(consent, prog, p) -> list:
    """holders .. area_signed_rate of project ``p``: from the consent progress ``prog`` (pieces
    given and the project among them), else from the consent records alone (no areas)."""
    if prog is not None and p in prog.index:
        r = prog.loc[p]
        return [
            int(r["holders"]),
            int(r["consented"]),
            int(r["signed"]),
            r["consent_rate"],
            float(r["area"]),
            float(r["area_consented"]),
            r["area_consent_rate"],
            r["area_signed_rate"],
        ]
    mine = consent[consent["project"] == p]
    n = len(mine)
    ok = int(mine["status"].isin(CONSENTED).sum())
    return [
        n,
        ok,
        int((mine["status"] == "signed").sum()),
        ok / n if n else float("nan"),
        None,
        None,
        None,
        None,
    ]


def _open_counts(objs, notice_project: dict, reqs, p, day) -> tuple:
    """(objections to ``p``'s notices, requests of ``p``) received by ``day`` and not answered then."""
    open_obj = sum(
        1
        for o in objs.itertuples()
        if notice_project.get(o.notice_id) == p and _open_on(o.received_date, o.answer_date, day)
    )
    open_req = sum(
        1
        for q in reqs.itertuples()
        if q.project == p
        and _open_on(q.request_date or "", q.response_date if q.status != "open" else None, day)
    )
    return open_obj, open_req


def _stage_on(moves, p, day, procedure) -> tuple:
    """(stage, days in it, overdue duties of that stage) of project ``p`` on ``day``."""
    mine = moves[(moves["project"] == p) & (moves["moved_on"] <= day)]
    if not len(mine):
        return None, None, 0
    stage = mine.iloc[-1]["to_stage"]
    entered = mine.iloc[-1]["moved_on"]
    in_stage = (date.fromisoformat(day) - date.fromisoformat(entered)).days
    overdue = 0
    if procedure is not None:
        overdue = sum(
            1
            for d in procedure.duties
            if d.stage == stage and (due := due_date(entered, d.due_days)) is not None and day > due
        )
    return stage, in_stage, overdue


#: Columns of :func:`district_summary`: ``level`` is ``project`` (one row per project of a ledger) or
#: ``district`` (the total of the day's rows).
DISTRICT_COLUMNS = [
    "level",
    "day",
    "ledger",
    "project",
    "holders",
    "consented",
    "signed",
    "consent_rate",
    "area",
    "area_consented",
    "area_signed",
    "area_consent_rate",
    "area_signed_rate",
    "open_objections",
    "open_requests",
    "stage",
    "days_in_stage",
    "overdue_duties",
]


def ledger_projects(ledger) -> list:
    """The projects a ledger has records of: consent, stage moves or public notices."""
    names = set(ledger.consent_table()["project"])
    names |= set(stage_history(ledger)["project"]) | set(notices(ledger)["project"])
    return sorted(project_key(p) for p in names if p is not None)


def _number(v):
    return None if v is None or v != v else v


def district_summary(tables: dict) -> pd.DataFrame:
    """One row per project of every ledger and, for each day, a district row (:data:`DISTRICT_COLUMNS`).

    ``tables`` maps a ledger's label to its :func:`indicators`. The district row sums the counts
    (holders, consented, signed, areas, open objections and requests, overdue duties) and computes the
    rates from the sums (consented holders / holders, consented area / area: a project's rate is not
    averaged); its area columns are empty unless every project has its area (``pieces`` given for
    all); its ``stage`` counts the projects in each stage (``notice: 2, plan: 1``) and its
    ``days_in_stage`` is the longest any project has been in its stage.
    """
    rows = []
    for label, table in tables.items():
        for r in table.itertuples():
            area = _number(r.area)
            signed_rate = _number(r.area_signed_rate)
            rows.append(
                {
                    "level": "project",
                    "day": r.day,
                    "ledger": str(label),
                    "project": r.project,
                    "holders": int(r.holders),
                    "consented": int(r.consented),
                    "signed": int(r.signed),
                    "consent_rate": _number(r.consent_rate),
                    "area": area,
                    "area_consented": _number(r.area_consented),
                    "area_signed": None if area is None or signed_rate is None else signed_rate * area,
                    "area_consent_rate": _number(r.area_consent_rate),
                    "area_signed_rate": signed_rate,
                    "open_objections": int(r.open_objections),
                    "open_requests": int(r.open_requests),
                    "stage": r.stage,
                    "days_in_stage": _number(r.days_in_stage),
                    "overdue_duties": int(r.overdue_duties),
                }
            )
    frame = pd.DataFrame(rows, columns=DISTRICT_COLUMNS, dtype=object)
    out = []
    for day in sorted(set(frame["day"])):
        mine = frame[frame["day"] == day]
        out.extend(mine.to_dict("records"))
        holders = int(mine["holders"].sum())
        consented = int(mine["consented"].sum())
        with_area = all(a is not None for a in mine["area"]) and len(mine) > 0
        area = float(sum(mine["area"])) if with_area else None
        area_ok = float(sum(v or 0.0 for v in mine["area_consented"])) if with_area else None
        area_signed = float(sum(v or 0.0 for v in mine["area_signed"])) if with_area else None
        stages = pd.Series([s for s in mine["stage"] if s is not None], dtype=object).value_counts()
        in_stage = [d for d in mine["days_in_stage"] if d is not None]
        out.append(
            {
                "level": "district",
                "day": day,
                "ledger": None,
                "project": None,
                "holders": holders,
                "consented": consented,
                "signed": int(mine["signed"].sum()),
                "consent_rate": consented / holders if holders else None,
                "area": area,
                "area_consented": area_ok,
                "area_signed": area_signed,
                "area_consent_rate": area_ok / area if area else None,
                "area_signed_rate": area_signed / area if area else None,
                "open_objections": int(mine["open_objections"].sum()),
                "open_requests": int(mine["open_requests"].sum()),
                "stage": ", ".join(f"{s}: {n}" for s, n in sorted(stages.items())) or None,
                "days_in_stage": max(in_stage) if in_stage else None,
                "overdue_duties": int(mine["overdue_duties"].sum()),
            }
        )
    return pd.DataFrame(out, columns=DISTRICT_COLUMNS, dtype=object)
