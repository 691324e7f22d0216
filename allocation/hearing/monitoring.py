"""The monitoring page of the hearing pack (动态监测): the project's indicators on the hearing day,
the duties of its stage on that day and the indicators over the months before (for the chart).

The figures are those of :func:`landcoord.allocation.monitoring.indicators`, the function behind
``landcoord monitor``, called with the same ledger, project, day, affected pieces and procedure: the
page prints what ``landcoord monitor LEDGER --pieces ... --project P --day D`` prints for that day
(one figure everywhere). Only counts, rates, stage keys and the procedure's duties (whose actors are
roles) are printed; an actor that reads as a person's name is masked in the public version.

Imports :mod:`.formatting` of this package and, lazily, :mod:`landcoord.allocation`'s ledger,
monitoring, procedure and privacy modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from .formatting import Table, fmt_area, fmt_share

__all__ = ["MonitoringPage", "monitoring_page", "monthly_days"]

#: The procedure's actor roles as printed.
ACTOR_LABELS = {
    "government": "政府部门 government",
    "implementing_entity": "实施主体 implementing entity",
    "community_company": "社区股份合作公司 community company",
    "holders": "权利人 holders",
}


@dataclass
class MonitoringPage:
    """What the monitoring page prints.

    Attributes
    ----------
    day : str
        The day the indicators are taken on (``YYYY-MM-DD``): the hearing day, or today when the
        hearing is still ahead (the ledger holds nothing later).
    hearing_day : str
        The hearing day asked for.
    indicators : Table
        Indicator and value, one row each, on ``day``.
    duties : Table or None
        The duties of the project's stage on ``day`` (duty, actor, due, overdue); None when the
        project had entered no stage by then.
    series : DataFrame
        :func:`~landcoord.allocation.monitoring.indicators` of the project on the first of each month
        (at most 24) and on ``day``: the chart over time (``report.charts.monitor_chart``).
    history : Table
        ``series`` as printed, one row per day.
    row : dict
        The indicators' row of ``day`` as computed (the figures behind ``indicators``).
    """

    day: str
    hearing_day: str
    indicators: Table
    duties: Table | None
    series: pd.DataFrame
    row: dict
    history: Table | None = None


def monthly_days(first: str | None, until: str | date | None = None) -> list:
    """The first of each month from the month of ``first`` (default: six months before ``until``), the
    last 24 at most, and ``until`` (default: today) itself.

    >>> monthly_days("2024-01-08", "2024-03-15")
    ['2024-01-01', '2024-02-01', '2024-03-01', '2024-03-15']
    >>> monthly_days(None, "2024-03-01")[0], monthly_days(None, "2024-03-01")[-1]
    ('2023-08-01', '2024-03-01')
    """
    end = date.fromisoformat(str(until)) if until else date.today()
    start = date.fromisoformat(str(first)) if first else end - timedelta(days=183)
    start = min(start, end)
    days, (y, m) = [], (start.year, start.month)
    while (y, m) <= (end.year, end.month):
        days.append(date(y, m, 1).isoformat())
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    days = days[-24:]
    return days if end.isoformat() in days else [*days, end.isoformat()]


def _count(v) -> str:
    return "—" if v is None or v != v else f"{int(v):,}"


def _stage_text(labels: dict, key) -> str:
    if key is None or key != key:
        return "—"
    return f"{labels[key]} ({key})" if key in labels else str(key)


def _indicator_table(row: dict, day: str, hearing_day: str, labels: dict) -> Table:
    items = [
        ("权利人 rights-holders", _count(row.get("holders"))),
        ("已同意（含已签约）consented (agreed or signed)", _count(row.get("consented"))),
        ("已签约 signed", _count(row.get("signed"))),
        ("同意率（按人数）consent by holders", fmt_share(row.get("consent_rate"))),
        ("受影响面积 affected area (m²)", fmt_area(row.get("area"))),
        ("已同意面积 consented area (m²)", fmt_area(row.get("area_consented"))),
        ("同意率（按面积）consent by area", fmt_share(row.get("area_consent_rate"))),
        ("签约率（按面积）signed by area", fmt_share(row.get("area_signed_rate"))),
        ("未答复异议 open objections", _count(row.get("open_objections"))),
        ("待答复诉求 open requests", _count(row.get("open_requests"))),
        ("所处阶段 stage", _stage_text(labels, row.get("stage"))),
        ("本阶段天数 days in stage", _count(row.get("days_in_stage"))),
        ("逾期职责 overdue duties", _count(row.get("overdue_duties"))),
    ]
    when = f"听证日 hearing day {day}"
    if hearing_day != day:
        when = f"截至今日 as of today {day}；听证日 hearing day {hearing_day} 尚未到 still ahead"
    return Table(
        title=f"动态监测 monitoring（{when}）",
        columns=["指标 indicator", "数值 value"],
        rows=[[k, v] for k, v in items],
        values=pd.DataFrame([row]),
        align=["l", "r"],
        marked=[k.startswith("逾期") and row.get("overdue_duties", 0) > 0 for k, _ in items],
        note=(
            "截至听证日当日终了的台账记录；与 landcoord monitor --day 同一口径。 "
            "The ledger's records by the end of the hearing day, as landcoord monitor --day gives them."
        ),
    )


def _history_table(series: pd.DataFrame) -> Table:
    rows = [
        [
            r.day,
            f"{_count(r.consented)} / {_count(r.holders)}",
            fmt_share(r.consent_rate),
            fmt_share(r.area_consent_rate),
            fmt_share(r.area_signed_rate),
            _count(r.open_objections),
            _count(r.open_requests),
            "—" if r.stage is None or r.stage != r.stage else str(r.stage),
            _count(r.days_in_stage),
            _count(r.overdue_duties),
        ]
        for r in series.itertuples()
    ]
    return Table(
        title="逐月监测 indicators over time（每月1日及听证日 the first of each month and the hearing day）",
        columns=[
            "日期 day",
            "同意/权利人 consented / holders",
            "同意率（人数）by holders",
            "同意率（面积）by area",
            "签约率（面积）signed by area",
            "异议 objections",
            "诉求 requests",
            "阶段 stage",
            "天数 days",
            "逾期 overdue",
        ],  # fmt: skip
        rows=rows,
        values=series.reset_index(drop=True),
        align=["l", "r", "r", "r", "r", "r", "r", "l", "r", "r"],
    )


def _actor_text(actor, public: bool, compound_surnames) -> str:
    """An actor as printed: a role of the procedure by its label; any other text that reads as a
    person's name masked in the public version."""
    from ..privacy import classify_holders, mask_name

    if actor in ACTOR_LABELS:
        return ACTOR_LABELS[actor]
    text = str(actor or "—")
    if public and bool(classify_holders([text], compound_surnames=compound_surnames)["individual"].iloc[0]):
        return mask_name(text, compound_surnames) or "—"
    return text


def _duty_table(procedure, stage, entered, day: str, public: bool, compound_surnames) -> Table | None:
    """The duties of ``stage`` (entered on ``entered``) as of ``day``: due date and overdue."""
    from ..procedure import due_date

    if stage is None:
        return None
    rows, values, marked = [], [], []
    for d in procedure.duties:
        if d.stage != stage:
            continue
        due = due_date(entered, d.due_days)
        overdue = due is not None and day > due
        rows.append([d.label, _actor_text(d.actor, public, compound_surnames), due or "—",
                     "逾期 overdue" if overdue else "—"])  # fmt: skip
        values.append({"duty": d.key, "actor": d.actor, "due": due, "overdue": overdue})
        marked.append(overdue)
    return Table(
        title=f"本阶段职责 duties of the stage（{stage}，进入 entered {entered}）",
        columns=["职责 duty", "责任方 actor", "到期 due", "状态 state"],
        rows=rows,
        values=pd.DataFrame(values, columns=["duty", "actor", "due", "overdue"]),
        align=["l", "l", "l", "l"],
        marked=marked,
        note="（本阶段无职责 no duty in this stage）",
    )


def monitoring_page(ledger, pieces, project, day=None, *, public: bool = True, compound_surnames=None):
    """The monitoring page of ``project`` on ``day`` (default: today), read in one transaction.

    Parameters
    ----------
    ledger : path, DSN or Ledger
        The consultation ledger (an open :class:`~landcoord.allocation.ledger.Ledger` is left open).
    pieces : DataFrame
        The project's affected pieces (``project``, ``holder``, ``piece_area``/``held_area``).
    project : str
    day : str, optional
        The hearing day (``2024-05-01``, ``2024/5/1``, ``2024年5月1日``); a day still ahead gives the
        indicators of today.

    Returns
    -------
    MonitoringPage
    """
    from ..i18n import tr
    from ..ledger import Ledger
    from ..ledger.statuses import parse_day
    from ..monitoring import indicators
    from ..procedure import load_procedure, stage_history

    today = date.today().isoformat()
    hearing_day = parse_day(day, tr("date")).isoformat() if day else today
    day = min(hearing_day, today)
    procedure = load_procedure()
    labels = {st.key: st.label.split(" ")[0] for st in procedure.stages}
    own = not isinstance(ledger, Ledger)
    led = Ledger.open(ledger) if own else ledger
    try:
        with led.read_transaction():
            moves = stage_history(led, project)
            first = str(moves["moved_on"].min()) if len(moves) else None
            series = indicators(
                led, days=monthly_days(first, day), projects=[project], pieces=pieces, procedure=procedure
            )
    finally:
        if own:
            led.close()
    today = series[series["day"] == day]
    row = today.iloc[0].to_dict() if len(today) else {}
    before = moves[moves["moved_on"] <= day]
    entered = str(before.iloc[-1]["moved_on"]) if len(before) else None
    return MonitoringPage(
        day=day,
        hearing_day=hearing_day,
        indicators=_indicator_table(row, day, hearing_day, labels),
        duties=_duty_table(procedure, row.get("stage"), entered, day, public, compound_surnames),
        series=series,
        row=row,
        history=_history_table(series),
    )
