"""Consent statuses, event kinds and the small parsers shared by the ledger's modules.

Part of :mod:`landcoord.allocation.ledger`, which re-exports the public names.
"""

from __future__ import annotations

from collections import deque
from datetime import date, datetime

import numpy as np

from ..errors import InputError
from ..i18n import tr
from .schema import EVENT_KINDS, STATUSES, TRANSITIONS

#: "Leave this value as it is" for an optional field of a consent change (scenario option, note),
#: where ``None`` would clear it.
KEEP = object()

__all__ = [
    "KEEP",
    "status_code",
    "event_kind_code",
    "allowed_transitions",
    "reachable",
    "iso_date",
    "parse_day",
    "event_date_problem",
    "EARLIEST_DATE",
    "FUTURE_DAYS",
    "project_key",
    "holder_key",
]

#: Spellings of consent statuses accepted from users and spreadsheets.
_STATUS_ALIASES = {
    "not_contacted": ("未接触", "未联系", "未走访", "not contacted"),
    "contacted": ("已接触", "已联系", "已走访", "接触"),
    "negotiating": ("协商中", "洽谈中", "谈判中", "协商", "negotiation"),
    "agreed": ("已同意", "同意", "agree"),
    "signed": ("已签约", "签约", "已签", "已签订", "已签署", "sign"),
    "refused": ("拒绝", "已拒绝", "不同意", "refuse"),
}
_EVENT_ALIASES = {
    "home_visit": ("入户走访", "入户", "走访", "home visit", "visit"),
    "survey": ("民意调查", "问卷", "调查", "问卷调查"),
    "representative_meeting": ("村民代表会议", "代表会议", "居民代表会议", "股东代表大会", "meeting"),
    "hearing": ("听证会", "听证"),
    "forum": ("座谈会", "座谈", "forum"),
    "solicited_comments": ("意见征询", "征求意见", "征询意见", "意见征集", "solicited comments", "comments"),
    "expert_review": ("论证会", "专家论证", "方案论证", "专家论证会", "expert review", "scheme review"),
    "mediation": ("调解", "人民调解", "调解会", "mediation"),
    "other": ("其他", "其它"),
}


def _lookup(value, table: dict, aliases: dict, what: str) -> str:
    """The code of ``value`` in ``table``; ``what`` (already translated) names it in the error."""
    text = str(value).strip() if value is not None else ""
    key = text.lower().replace("-", "_").replace(" ", "_")
    if key in table:
        return key
    for code, label in table.items():
        if text == label or text in aliases.get(code, ()) or key in aliases.get(code, ()):
            return code
    choices = ", ".join(f"{c} ({lbl})" for c, lbl in table.items())
    raise InputError(
        tr("Unknown {what} '{value}'. Use one of: {choices}.", what=what, value=value, choices=choices)
    )


def status_code(value) -> str:
    """The consent status code for a code, its Chinese label or a common spelling.

    Examples
    --------
    >>> status_code("已签约"), status_code("Agreed"), status_code("不同意")
    ('signed', 'agreed', 'refused')
    """
    return _lookup(value, STATUSES, _STATUS_ALIASES, tr("consent status"))


def event_kind_code(value) -> str:
    """The event kind code for a code or its Chinese name.

    Examples
    --------
    >>> event_kind_code("入户走访"), event_kind_code("hearing")
    ('home_visit', 'hearing')
    """
    return _lookup(value, EVENT_KINDS, _EVENT_ALIASES, tr("event kind"))


def allowed_transitions(status: str) -> tuple:
    """Statuses a consent status may change to in a normal update.

    Examples
    --------
    >>> allowed_transitions("negotiating")
    ('agreed', 'refused')
    """
    return TRANSITIONS[status_code(status)]


def reachable(current: str, target: str) -> bool:
    """Whether ``target`` follows ``current`` along a chain of allowed changes (or equals it).

    Examples
    --------
    >>> reachable("not_contacted", "signed"), reachable("signed", "negotiating")
    (True, False)
    """
    current, target = status_code(current), status_code(target)
    seen, todo = {current}, deque([current])
    while todo:
        s = todo.popleft()
        if s == target:
            return True
        for t in TRANSITIONS[s]:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return False


#: No consultation event, consent or request predates the People's Republic (1949-10-01).
EARLIEST_DATE = date(1949, 10, 1)
#: Dates of things that have happened may be at most this many days after today (time-zone slack).
FUTURE_DAYS = 1


def event_date_problem(day: date, today: date | None = None) -> str | None:
    """Why ``day`` cannot be the date of something that has happened, or None.

    Bounds: not before :data:`EARLIEST_DATE` and not more than :data:`FUTURE_DAYS` day after today
    (a 9999-12-31 or a 1900-01-01 is a typing error or a spreadsheet placeholder, never an event).

    >>> event_date_problem(date(2024, 5, 1), today=date(2024, 6, 1)) is None
    True
    >>> event_date_problem(date(9999, 12, 31), today=date(2024, 6, 1))
    '9999-12-31 is in the future (today is 2024-06-01); record events once they have happened.'
    """
    today = today or date.today()
    if day < EARLIEST_DATE:
        return tr(
            "{date} is before {earliest}; no consultation record is that old. Check the year.",
            date=day.isoformat(),
            earliest=EARLIEST_DATE.isoformat(),
        )
    if (day - today).days > FUTURE_DAYS:
        return tr(
            "{date} is in the future (today is {today}); record events once they have happened.",
            date=day.isoformat(),
            today=today.isoformat(),
        )
    return None


def parse_day(value, what: str) -> date:
    """The day of a ``date``, ``datetime`` or text (2024-05-01, 2024/5/1, 2024年5月1日); no bounds."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for a, b in (("年", "-"), ("月", "-"), ("日", ""), ("/", "-"), (".", "-")):
        text = text.replace(a, b)
    text = text.split(" ")[0].split("T")[0]
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except (ValueError, TypeError, OverflowError):
        raise InputError(
            tr("{what}: '{value}' is not a date; write it as YYYY-MM-DD.", what=what, value=value)
        ) from None


def iso_date(value, what: str) -> str | None:
    """A date given as ``date``, ``datetime`` or text (2024-05-01, 2024/5/1, 2024年5月1日).

    ``what`` names the date in the error message, already in the current language
    (``tr("event date")``). Dates before 1949-10-01 or after tomorrow are refused
    (:func:`event_date_problem`).
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return None
    day = parse_day(value, what)
    why = event_date_problem(day)
    if why:
        raise InputError(tr("{what}: {problem}", what=what, problem=why))
    return day.isoformat()


def project_key(project) -> str:
    if project is None or (isinstance(project, float) and np.isnan(project)) or str(project).strip() == "":
        raise InputError(tr("A project is needed: give the project id (as in the project boundaries layer)."))
    if isinstance(project, (float, np.floating)) and float(project).is_integer():
        project = int(project)
    return str(project).strip()


def holder_key(value):
    """A holder value as the ledger keys it (stripped text; None for empty)."""
    return None if value is None or str(value).strip() == "" else str(value).strip()
