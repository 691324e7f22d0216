"""The procedure's records in the ledger as tables: stage moves, sign-offs, public notices, objections.

Read-only. The procedure (:mod:`landcoord.allocation.procedure`), the public notices
(:mod:`landcoord.allocation.notice`), monitoring and the ledger's own xlsx export
(:func:`.sheets.export_ledger`) all read these tables through this module, which imports only
:mod:`.backend`, :mod:`.schema` and :mod:`.statuses`: the export's procedure sheets need no import of
the procedure modules, which write the records and import the ledger package.

An older ledger (schema version 1) has none of these tables until its first write migrates it: they
read as empty.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from .backend import read_rows
from .schema import TABLE_BY_NAME
from .statuses import project_key

__all__ = ["stage_history", "current_stage", "signoffs", "notices", "objections"]


def _where_project(project) -> tuple:
    return ("project = ?", (project_key(project),)) if project is not None else ("", ())


def stage_history(ledger, project=None) -> pd.DataFrame:
    """The stage moves (oldest first), with the proposer and approver of each."""
    moves = read_rows(ledger, "ledger_stage_moves", *_where_project(project))
    offs = {r["id"]: r for r in read_rows(ledger, "ledger_signoffs")}
    cols = TABLE_BY_NAME["ledger_stage_moves"].column_names + ["approved_by"]
    return pd.DataFrame(
        [[*(m[c] for c in cols[:-1]), offs.get(m["signoff_id"], {}).get("approved_by")] for m in moves],
        columns=cols,
        dtype=object,
    )


def current_stage(ledger, project) -> tuple:
    """(stage key or None, the day the project entered it or None)."""
    h = stage_history(ledger, project)
    if not len(h):
        return None, None
    last = h.iloc[-1]
    return last["to_stage"], last["moved_on"]


def signoffs(ledger, project=None) -> pd.DataFrame:
    """The decisions with their proposer and approver (an empty ``approved_by``: proposed, not
    approved), oldest first."""
    rows = read_rows(ledger, "ledger_signoffs", *_where_project(project))
    return pd.DataFrame(rows, columns=TABLE_BY_NAME["ledger_signoffs"].column_names, dtype=object)


def notices(ledger, project=None) -> pd.DataFrame:
    """Notices with their end date and number of objections (open = unanswered)."""
    rows = read_rows(ledger, "ledger_notices", *_where_project(project))
    objs = objections(ledger)
    cols = TABLE_BY_NAME["ledger_notices"].column_names
    df = pd.DataFrame(rows, columns=cols, dtype=object)
    df["end_date"] = [
        (date.fromisoformat(s) + timedelta(days=int(d) - 1)).isoformat()
        for s, d in zip(df["start_date"], df["days"])
    ]
    df["objections"] = [int((objs["notice_id"] == i).sum()) for i in df["id"]]
    df["unanswered"] = [int(((objs["notice_id"] == i) & objs["answer_date"].isna()).sum()) for i in df["id"]]
    return df


def objections(ledger, notice_id=None) -> pd.DataFrame:
    """The objections (of one notice, or all), oldest first, with their answers."""
    where, params = ("notice_id = ?", (int(notice_id),)) if notice_id is not None else ("", ())
    rows = read_rows(ledger, "ledger_objections", where, params)
    return pd.DataFrame(rows, columns=TABLE_BY_NAME["ledger_objections"].column_names, dtype=object)
