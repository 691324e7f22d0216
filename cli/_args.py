"""Argument types that refuse impossible values when the command line is parsed.

Each is given to ``add_argument(type=...)``; a bad value ends the run with argparse's usage line and
``argument --NAME: <why>`` (exit status 2), before anything is read or written.

Examples
--------
>>> positive_int("4"), non_negative_float("0"), percentage("12.5")
(4, 0.0, 12.5)
>>> positive_int("-3")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: -3 is not a whole number of at least 1
>>> iso_date("yesterday-ish")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: date: 'yesterday-ish' is not a date; write it as YYYY-MM-DD.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math

from ..allocation.errors import InputError
from ..allocation.i18n import tr
from ..allocation.ledger.statuses import EARLIEST_DATE, FUTURE_DAYS, event_date_problem, parse_day
from ..allocation.ledger.statuses import iso_date as ledger_iso_date

__all__ = [
    "positive_int",
    "non_negative_int",
    "positive_float",
    "non_negative_float",
    "percentage",
    "whole_number_between",
    "iso_date",
    "as_of",
    "document_date",
    "layer_source",
    "EARLIEST_DATE",
    "FUTURE_DAYS",
]

#: Largest number a count, a width or a tolerance may be (no project needs more).
_LIMIT = 1e12


def _number(text, kind):
    try:
        value = kind(str(text).strip())
    except (TypeError, ValueError, OverflowError):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if abs(value) > _LIMIT:
        return None
    return value


def positive_int(text) -> int:
    """A whole number of at least 1 (partitions, workers, dpi, holders, ids)."""
    v = _number(text, int)
    if v is None or v < 1:
        raise argparse.ArgumentTypeError(tr("{value} is not a whole number of at least 1", value=text))
    return v


def non_negative_int(text) -> int:
    """A whole number of at least 0."""
    v = _number(text, int)
    if v is None or v < 0:
        raise argparse.ArgumentTypeError(tr("{value} is not a whole number of at least 0", value=text))
    return v


def whole_number_between(low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high`` (e.g. years of income, 0 to 200)."""

    def parse(text) -> int:
        v = _number(text, int)
        if v is None or not low <= v <= high:
            raise argparse.ArgumentTypeError(
                tr("{value} is not a whole number from {low} to {high}", value=text, low=low, high=high)
            )
        return v

    parse.__name__ = f"whole number from {low} to {high}"
    return parse


def positive_float(text) -> float:
    """A finite number above 0 (widths, tolerances)."""
    v = _number(text, float)
    if v is None or v <= 0:
        raise argparse.ArgumentTypeError(tr("{value} is not a number above 0", value=text))
    return v


def non_negative_float(text) -> float:
    """A finite number of at least 0."""
    v = _number(text, float)
    if v is None or v < 0:
        raise argparse.ArgumentTypeError(tr("{value} is not a number of at least 0", value=text))
    return v


def percentage(text) -> float:
    """A percentage from 0 to 100."""
    v = _number(text, float)
    if v is None or not 0 <= v <= 100:
        raise argparse.ArgumentTypeError(tr("{value} is not a percentage from 0 to 100", value=text))
    return v


def _parse_day(text: str) -> dt.date | None:
    text = str(text).strip()
    for parse in (dt.date.fromisoformat, lambda t: dt.datetime.fromisoformat(t).date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def iso_date(text) -> str:
    """A date that has happened (1949-10-01 to tomorrow), as the ledger reads dates.

    ``YYYY-MM-DD``, ``2024/5/1`` or ``2024年5月1日``; returned as ``YYYY-MM-DD``.
    """
    try:
        return ledger_iso_date(text, tr("date"))
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


#: A document (a hearing pack) may be dated up to this many days ahead (printed before the hearing).
DOCUMENT_DAYS_AHEAD = 366


def document_date(text) -> str:
    """The date printed on a document: a real date from 1949-10-01 to a year from today.

    ``YYYY-MM-DD``, ``2024/5/1`` or ``2024年5月1日``; returned as ``YYYY-MM-DD``.
    """
    try:
        day = parse_day(text, tr("date"))
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    last = dt.date.today() + dt.timedelta(days=DOCUMENT_DAYS_AHEAD)
    if not EARLIEST_DATE <= day <= last:
        raise argparse.ArgumentTypeError(
            tr(
                "{date} is not a plausible date for a document: give one from {earliest} to {last}",
                date=day.isoformat(),
                earliest=EARLIEST_DATE.isoformat(),
                last=last.isoformat(),
            )
        )
    return day.isoformat()


def as_of(text) -> str:
    """An audit entry id (a whole number of at least 1) or an ISO date/time, 1949-10-01 to tomorrow."""
    t = str(text).strip()
    if t.isdigit():
        return str(positive_int(t))
    day = _parse_day(t)
    if day is None:
        raise argparse.ArgumentTypeError(
            tr(
                "'{value}' is neither an audit entry id nor a date/time; write an id from `consent "
                "history` or a time as YYYY-MM-DD or YYYY-MM-DDTHH:MM",
                value=text,
            )
        )
    why = event_date_problem(day)
    if why:
        raise argparse.ArgumentTypeError(why)
    return t


def layer_source(text) -> str:
    """A file source, or a PostGIS source whose table/geom/key names are checked now.

    A PostGIS table name with quotes, semicolons, spaces, an empty part or more than two parts is
    refused while parsing the arguments (naming the option), before any connection.
    """
    from ..allocation.io.postgis import is_pg_source, parse_pg_source

    if is_pg_source(text):
        try:
            parse_pg_source(text)
        except InputError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return text
