"""The ledger block of the overview sheet: the consultation ledger's fingerprint code, the project's
consent rates, stage history and public notices, read in one transaction (aggregates only, no names).

Imports the ledger, notice and procedure modules lazily (inside :func:`ledger_block`), and the
formatting of :mod:`.formatting`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .formatting import fmt_area, fmt_share

__all__ = ["LedgerBlock", "ledger_block", "shanghai_time"]


@dataclass
class LedgerBlock:
    """The consultation ledger as the overview sheet prints it: its fingerprint code (校验码) and the
    project's consent progress, read in one read transaction (see :func:`ledger_block`).

    Only aggregates: no holder is named, so the block is the same in the public and internal version.

    Attributes
    ----------
    code : str
        ``LC1-<entries>-XXXX-XXXX-XXXX-XXXX`` (:meth:`Ledger.fingerprint`).
    entries : int
        Audit entries the code covers.
    last_changed_at : str or None
        UTC time of the last of them (``YYYY-MM-DDTHH:MM:SS.sssZ``); None for an empty trail.
    progress : dict
        The project's row of the consent progress (:data:`PROGRESS_COLUMNS` of
        :func:`~landcoord.allocation.ledger.consent_progress`): ``holders``, ``consented``,
        ``consent_rate``, ``area``, ``area_consented``, ``area_consent_rate`` ...
    lines : list of str
        The block's text, line by line, as printed.
    warnings : list of str
        Warnings of the consent progress (for the officer, not printed).
    """

    code: str
    entries: int
    last_changed_at: str | None
    progress: dict
    lines: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def shanghai_time(utc_text) -> str:
    """A UTC time of the ledger as Shanghai local time with its offset (China has no summer time).

    >>> shanghai_time("2026-11-25T18:35:15.123Z"), shanghai_time(None)
    ('2026-11-26 02:35:15 +08:00', '—')
    """
    from datetime import UTC, datetime, timedelta, timezone

    if not utc_text:
        return "—"
    when = datetime.fromisoformat(str(utc_text).replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(timezone(timedelta(hours=8)))
    return local.strftime("%Y-%m-%d %H:%M:%S +08:00")


def ledger_block(ledger, pieces, project) -> LedgerBlock:
    """Read the ledger's fingerprint and the consent progress of ``project`` in ONE read transaction.

    Parameters
    ----------
    ledger : path, DSN or Ledger
        The project GeoPackage holding the ledger (or a PostgreSQL DSN), or an open
        :class:`~landcoord.allocation.ledger.Ledger` (left open).
    pieces : DataFrame
        Affected pieces with ``project``, ``holder`` and ``piece_area`` (the pack's own).
    project : str
        The pack's project.

    Raises
    ------
    LedgerError
        ``ledger`` is no file, not a GeoPackage, or has no consultation ledger (the message names it).
    """
    from ..ledger import Ledger, consent_progress

    own = not isinstance(ledger, Ledger)
    led = Ledger.open(ledger) if own else ledger
    try:
        with led.read_transaction():  # the code of the very records the rates come from
            fingerprint = led.fingerprint()
            # Ledger.progress over this project's records only, so that other projects of the
            # ledger give no "not reported" warnings
            result = consent_progress(
                led.consent_table(project),
                pieces,
                project_field="project",
                holder_field="holder",
                area_field=None,  # held_area: the land counted once, as the overview counts it
                projects=[project],
            )
            procedure_lines = _procedure_lines(led, project)
    finally:
        if own:
            led.close()
    row = result.projects.iloc[0].to_dict() if len(result.projects) else {}
    block = LedgerBlock(
        fingerprint.code, fingerprint.entries, fingerprint.last_changed_at, row, warnings=result.warnings
    )
    block.lines = [
        f"台账校验码 Ledger code：{fingerprint.code}",
        f"审计记录 {fingerprint.entries} 条，截至 {shanghai_time(fingerprint.last_changed_at)}"
        f"（{fingerprint.entries} audit entries up to then）",
        "同意率（已同意及已签约）consent (agreed or signed)：",
        f"　按权利人 by holders：{int(row.get('consented', 0))} / {int(row.get('holders', 0))}"
        f"（{fmt_share(row.get('consent_rate'))}）",
        f"　按受影响面积 by affected area：{fmt_area(row.get('area_consented'))} / "
        f"{fmt_area(row.get('area'))} m²（{fmt_share(row.get('area_consent_rate'))}）",
        *procedure_lines,
        "核验 verify：landcoord consent verify --code " + fingerprint.code,
    ]
    return block


def _procedure_lines(ledger, project) -> list:
    """The project's stage history and public notices, for the ledger block (no names: stages, days,
    counts). Empty when the project has neither."""
    from ..notice import notices, objections
    from ..procedure import load_procedure, stage_history

    moves = stage_history(ledger, project)
    ns = notices(ledger, project)
    out = []
    if len(moves):
        labels = {st.key: st.label.split(" ")[0] for st in load_procedure().stages}
        steps = [
            f"{labels.get(m.to_stage, m.to_stage)} {m.moved_on}" + ("（强制 forced）" if m.forced else "")
            for m in moves.itertuples()
        ]
        out.append("阶段记录 stage history：" + " → ".join(steps))
    if len(ns):
        objs = objections(ledger)
        objs = objs[objs["notice_id"].isin(list(ns["id"]))]
        answered = int(objs["answer_date"].notna().sum())
        for n in ns.itertuples():
            state = f"已结束 closed {n.closed_date}" if n.status == "closed" else "公示中 open"
            out.append(f"公示 notice：{n.start_date} 至 {n.end_date}，{state}")
        out.append(f"　异议 objections：{len(objs)} 条，已答复 answered {answered} 条")
    return out
