"""Consultation kinds the source paper names beyond visits and hearings: survey counts and mediation.

- 问卷调查 (survey, event kind ``survey``): :func:`record_survey_counts` records, for one survey
  event, how many answered each answer of each question (table ``ledger_survey_counts``);
  :func:`survey_counts` reads them back with each answer's share of its question.
- 座谈会 forum, 意见征询 solicited comments, 论证会 expert/scheme review: event kinds of the ledger
  (``landcoord consent event --kind 座谈会``).
- 调解 mediation of a refusal or a dispute (event kind ``mediation``): :func:`record_mediation`
  records, for a holder, the level it was held at (the procedure's escalation path, e.g. 社区 →
  街道 → 区人民政府) and its outcome; :func:`escalation` says, per holder, where the mediation stands
  and the next level, or that the last level failed (what the 95 % expropriation rule of the
  《深圳经济特区城市更新条例》 also requires: "经区人民政府调解未能达成一致").

Every write is audited (the fingerprint covers it).
"""

from __future__ import annotations

import pandas as pd

from .errors import InputError
from .i18n import tr
from .ledger.schema import MEDIATION_OUTCOMES, TABLE_BY_NAME

__all__ = ["record_survey_counts", "survey_counts", "record_mediation", "mediations", "escalation"]


def _event(ledger, event_id, kind) -> dict:
    ev = ledger.events(include_voided=False)
    if int(event_id) not in ev.index or ev.loc[int(event_id), "kind"] != kind:
        raise InputError(
            tr(
                "Ledger '{ledger}' has no (not voided) event {event} of kind {kind}; record it first with "
                "`landcoord consent event --kind {kind}`.",
                ledger=ledger.label,
                event=event_id,
                kind=kind,
            )
        )
    return ev.loc[int(event_id)].to_dict()


def record_survey_counts(ledger, event_id, counts: dict) -> int:
    """Record ``{question: {answer: responses}}`` for survey event ``event_id``; returns the rows added."""
    _event(ledger, event_id, "survey")
    rows = []
    for q, answers in counts.items():
        for a, n in answers.items():
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise InputError(
                    tr(
                        "Survey {event}: the count of '{answer}' to '{question}' must be a whole number of 0 "
                        "or more, not {value}.",
                        event=event_id,
                        answer=a,
                        question=q,
                        value=repr(n),
                    )
                )
            rows.append((str(q), str(a), n))
    with ledger.transaction(f"survey counts of event {event_id}"):
        for q, a, n in rows:
            ledger.backend.insert(
                "ledger_survey_counts",
                {"event_id": int(event_id), "question": q, "answer": a, "responses": n},
            )
    return len(rows)


def _table(ledger, table, where="", params=()):
    from .procedure import _rows

    rows = _rows(ledger, table, where, params)
    return pd.DataFrame(rows, columns=TABLE_BY_NAME[table].column_names, dtype=object)


def survey_counts(ledger, event_id=None) -> pd.DataFrame:
    """The counts, with ``share`` = responses / all responses to the same question of the same survey."""
    where, params = ("event_id = ?", (int(event_id),)) if event_id is not None else ("", ())
    df = _table(ledger, "ledger_survey_counts", where, params)
    totals = (
        df.groupby(["event_id", "question"])["responses"].transform("sum") if len(df) else df["responses"]
    )
    df["share"] = [n / t if t else float("nan") for n, t in zip(df["responses"], totals)]
    return df


def record_mediation(ledger, event_id, holder, level, outcome, *, procedure=None, note=None) -> int:
    """Record the mediation of ``holder`` at ``level`` (one of the procedure's levels) in mediation
    event ``event_id``, with its outcome (agreed, failed, pending)."""
    _event(ledger, event_id, "mediation")
    if outcome not in MEDIATION_OUTCOMES:
        raise InputError(
            tr(
                "Mediation outcome must be one of {outcomes}; not '{value}'.",
                outcomes=", ".join(MEDIATION_OUTCOMES),
                value=outcome,
            )
        )
    levels = tuple(procedure.mediation_levels) if procedure is not None else ()
    if levels and level not in levels:
        raise InputError(
            tr(
                "Mediation level must be one of {levels} (the procedure's escalation path); not '{value}'.",
                levels=" → ".join(levels),
                value=level,
            )
        )
    known = ledger.holders()
    match = known.index[known["holder"] == str(holder)]
    if not len(match):
        raise InputError(tr("Holder '{holder}' is not in the ledger.", holder=holder))
    hid = int(match[0])
    with ledger.transaction(f"mediation of {holder} at {level}: {outcome}"):
        return ledger.backend.insert(
            "ledger_mediations",
            {
                "event_id": int(event_id),
                "holder_id": hid,
                "level": str(level),
                "outcome": outcome,
                "note": note,
            },
        )


def mediations(ledger, project=None) -> pd.DataFrame:
    """Mediation records with the holder's name, the event's day and project."""
    df = _table(ledger, "ledger_mediations")
    ev = ledger.events(include_voided=False)
    names = ledger.holders()["holder"].to_dict()
    df = df[df["event_id"].isin(list(ev.index))].copy()
    df["holder"] = [names.get(h) for h in df["holder_id"]]
    df["event_date"] = [ev.loc[e, "event_date"] for e in df["event_id"]]
    df["project"] = [ev.loc[e, "project"] for e in df["event_id"]]
    if project is not None:
        df = df[df["project"] == str(project)]
    return df.sort_values(["event_date", "id"]).reset_index(drop=True)


def escalation(ledger, procedure, project) -> pd.DataFrame:
    """Per holder mediated in ``project``: the last level and outcome, and what comes next —
    ``done`` (agreed), ``continue`` (pending), ``escalate`` to the next level (failed below the
    last level), or ``exhausted`` (failed at the last level)."""
    levels = list(procedure.mediation_levels)
    rows = []
    for holder, g in mediations(ledger, project).groupby("holder", sort=True):
        last = g.iloc[-1]
        i = levels.index(last["level"]) if last["level"] in levels else -1
        if last["outcome"] == "agreed":
            step, nxt = "done", None
        elif last["outcome"] == "pending":
            step, nxt = "continue", last["level"]
        elif 0 <= i < len(levels) - 1:
            step, nxt = "escalate", levels[i + 1]
        else:
            step, nxt = "exhausted", None
        rows.append([project, holder, last["level"], last["outcome"], last["event_date"], step, nxt])
    return pd.DataFrame(
        rows, columns=["project", "holder", "level", "outcome", "day", "next_step", "next_level"]
    )
