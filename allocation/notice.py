"""Public notices (公示) of a project: the period, where posted, objections and their answers.

A notice is open from ``start_date`` for ``days`` days at ``place``; objections (异议) are recorded
with who raised them, what and when, and each gets an answer and its date. A notice cannot close
while an objection is unanswered. Everything is written to the ledger (tables ``ledger_notices`` and
``ledger_objections``, audited, so the fingerprint covers them).

:func:`export_notice` writes the public version (CSV or XLSX) through the ledger's public-export
rules (:mod:`landcoord.allocation.privacy`): objectors' names masked, free text scrubbed.

The readers :func:`notices` and :func:`objections` live in :mod:`landcoord.allocation.ledger.records`
and :func:`notice_frames` (the export's tables) in :mod:`landcoord.allocation.ledger.sheets`, where
the ledger's own xlsx export reads them too; they are importable from here as before.
"""

from __future__ import annotations

from pathlib import Path

from .decisions import record_signoff
from .errors import InputError, LedgerError
from .i18n import tr, trn
from .ledger.backend import read_rows, utc_now
from .ledger.records import notices, objections
from .ledger.sheets import _write_frames, notice_frames
from .ledger.statuses import iso_date, project_key

__all__ = [
    "open_notice",
    "add_objection",
    "answer_objection",
    "close_notice",
    "notices",
    "objections",
    "notice_frames",
    "export_notice",
]


def _rows(ledger, table, where="", params=()):
    return read_rows(ledger, table, where, params)  # an older ledger's missing table reads as empty


def _notice(ledger, notice_id) -> dict:
    rows = _rows(ledger, "ledger_notices", "id = ?", (int(notice_id),))
    if not rows:
        raise InputError(
            tr("Ledger '{ledger}' has no public notice {notice}.", ledger=ledger.label, notice=notice_id)
        )
    return rows[0]


def open_notice(ledger, project, title, start, days, *, place=None) -> int:
    """Post a public notice; returns its id."""
    day = iso_date(start, tr("notice start date"))
    if day is None:
        raise InputError(tr("A public notice needs a start date (YYYY-MM-DD)."))
    try:
        n = int(days)
    except (TypeError, ValueError):
        n = 0
    if n < 1:
        raise InputError(
            tr("A public notice lasts a whole number of days, 1 or more; not '{days}'.", days=days)
        )
    with ledger.transaction(f"public notice: {title}"):
        return ledger.backend.insert(
            "ledger_notices",
            {
                "project": project_key(project),
                "title": str(title),
                "start_date": day,
                "days": n,
                "place": place,
                "status": "open",
                "version": 1,
                "updated_at": _now(),
                "updated_by": ledger.actor,
            },
        )


def _now():
    return utc_now()


def add_objection(ledger, notice_id, objector, text, received) -> int:
    """Record an objection to an open notice; returns its id."""
    n = _notice(ledger, notice_id)
    if n["status"] != "open":
        raise LedgerError(
            tr("Public notice {notice} is closed; an objection to it cannot be added.", notice=notice_id)
        )
    day = iso_date(received, tr("objection date"))
    if day is None or not str(objector or "").strip() or not str(text or "").strip():
        raise InputError(tr("An objection needs who raised it, what it says and the day it was received."))
    with ledger.transaction(f"objection to notice {notice_id}"):
        return ledger.backend.insert(
            "ledger_objections",
            {
                "notice_id": int(notice_id),
                "objector": str(objector).strip(),
                "received_date": day,
                "objection": str(text),
                "version": 1,
                "updated_at": _now(),
                "updated_by": ledger.actor,
            },
        )


def answer_objection(ledger, objection_id, answer, answered) -> None:
    rows = _rows(ledger, "ledger_objections", "id = ?", (int(objection_id),))
    if not rows:
        raise InputError(
            tr("Ledger '{ledger}' has no objection {objection}.", ledger=ledger.label, objection=objection_id)
        )
    day = iso_date(answered, tr("answer date"))
    if day is None or not str(answer or "").strip():
        raise InputError(tr("An answer needs its text and its date."))
    row = rows[0]
    with ledger.transaction(f"answer to objection {objection_id}"):
        n = ledger.backend.update(
            "ledger_objections",
            int(objection_id),
            row["version"],
            {
                "answer": str(answer),
                "answer_date": day,
                "version": row["version"] + 1,
                "updated_at": _now(),
                "updated_by": ledger.actor,
            },
        )
        if n != 1:
            raise LedgerError(
                tr("Objection {objection} was changed meanwhile; read it again.", objection=objection_id)
            )


def close_notice(ledger, notice_id, outcome, closed, *, approved_by=None, procedure=None) -> None:
    """Close a notice with its outcome. Refused while an objection is unanswered."""
    n = _notice(ledger, notice_id)
    if n["status"] == "closed":
        raise LedgerError(tr("Public notice {notice} is already closed.", notice=notice_id))
    open_ = objections(ledger, notice_id)
    open_ = open_[open_["answer_date"].isna()]
    if len(open_):
        raise LedgerError(
            trn(
                "Public notice {notice} cannot close: {n} objection is not answered ({ids}). "
                "Answer it with `landcoord notice answer` first.",
                "Public notice {notice} cannot close: {n} objections are not answered ({ids}). "
                "Answer each with `landcoord notice answer` first.",
                len(open_),
                notice=notice_id,
                ids=", ".join(str(i) for i in open_["id"]),
            )
        )
    day = iso_date(closed, tr("closing date"))
    if day is None or not str(outcome or "").strip():
        raise InputError(tr("Closing a public notice needs its outcome and the closing date."))
    with ledger.transaction(f"close public notice {notice_id}"):
        if approved_by is not None or procedure is not None:
            record_signoff(
                ledger,
                "notice_close",
                f"notice {notice_id}: {n['title']}",
                approved_by=approved_by,
                procedure=procedure,
                project=n["project"],
                new_value=str(outcome),
                decided_on=day,
            )
        if (
            ledger.backend.update(
                "ledger_notices",
                int(notice_id),
                n["version"],
                {
                    "status": "closed",
                    "outcome": str(outcome),
                    "closed_date": day,
                    "version": n["version"] + 1,
                    "updated_at": _now(),
                    "updated_by": ledger.actor,
                },
            )
            != 1
        ):
            raise LedgerError(
                tr("Public notice {notice} was changed meanwhile; read it again.", notice=notice_id)
            )


def export_notice(ledger, path, *, project=None, public: bool = True, encoding: str = "utf-8-sig") -> Path:
    """Write the notices and objections with their answers to ``.csv`` (objections) or ``.xlsx``.

    ``public=True`` masks the objectors' names and scrubs every text with the ledger's public-export
    rules (the same functions as ``landcoord consent export --public``)."""
    frames = notice_frames(ledger, project, public=public)
    if Path(path).suffix.lower() == ".csv":
        return _write_frames(path, {"objections": frames["objections"]}, encoding)
    return _write_frames(path, frames, encoding)
