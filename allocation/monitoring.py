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
from .ledger.statuses import iso_date, project_key

__all__ = ["MONITOR_COLUMNS", "indicators"]

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
    from .notice import notices, objections
    from .procedure import due_date, stage_history

    days = sorted({iso_date(d, tr("monitoring day")) for d in (days or [date.today().isoformat()])})
    moves = stage_history(ledger)
    reqs = ledger.requests()
    ns = notices(ledger)
    objs = objections(ledger)
    notice_project = dict(zip(ns["id"], ns["project"]))
    names = set(projects or [])
    if not names:
        names |= set(ledger.consent_table()["project"])
        names |= set(moves["project"]) | set(ns["project"])
        if pieces is not None:
            names |= {str(p) for p in pieces["project"]}
    names = sorted(project_key(p) for p in names)
    rows = []
    for day in days:
        consent = _consent_at(ledger, day)
        if pieces is not None:
            prog = consent_progress(consent, pieces, projects=names).projects.set_index("project")
        for p in names:
            if pieces is not None and p in prog.index:
                r = prog.loc[p]
                consent_cols = [
                    int(r["holders"]),
                    int(r["consented"]),
                    int(r["signed"]),
                    r["consent_rate"],
                    float(r["area"]),
                    float(r["area_consented"]),
                    r["area_consent_rate"],
                    r["area_signed_rate"],
                ]
            else:
                mine = consent[consent["project"] == p]
                n = len(mine)
                ok = int(mine["status"].isin(CONSENTED).sum())
                consent_cols = [
                    n,
                    ok,
                    int((mine["status"] == "signed").sum()),
                    ok / n if n else float("nan"),
                    None,
                    None,
                    None,
                    None,
                ]
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
            mine = moves[(moves["project"] == p) & (moves["moved_on"] <= day)]
            stage, in_stage, overdue = None, None, 0
            if len(mine):
                stage = mine.iloc[-1]["to_stage"]
                entered = mine.iloc[-1]["moved_on"]
                in_stage = (date.fromisoformat(day) - date.fromisoformat(entered)).days
                if procedure is not None:
                    overdue = sum(
                        1
                        for d in procedure.duties
                        if d.stage == stage
                        and (due := due_date(entered, d.due_days)) is not None
                        and day > due
                    )
            rows.append([p, day, *consent_cols, open_obj, open_req, stage, in_stage, overdue])
    return pd.DataFrame(rows, columns=MONITOR_COLUMNS)
