"""The finance tables of the benefit sheet: what each party gets and pays under each scenario, side
by side and reconciled, and the implementing entity's feasibility verdict.

:func:`finance_tables` takes the finance tables of ``landcoord benefits`` (the
:class:`~landcoord.allocation.scenarios.ScenarioResult`, or its tables read back from its output by
:func:`read_finance`) and gives three :class:`Table`:

* every party of the project under every scenario (grouped by scenario): land (from the scenarios
  table), floor area (all its uses in ``finance_floor``), cash now (``net_now``) and with the income
  later as a net present value (``npv``: cash now plus the discounted rent); the market (buyers,
  builders, tenants) is a row of its own, and each scenario closes with a total row: the land adds
  up to the project's, the floor area to the planned floor area and the money to zero;
* who pays what: each party paying compensation, land premium, construction or the communities,
  each scenario closed by its total;
* the implementing entity's verdict per scenario: sale price, break-even price, margin against the
  required margin, feasible or not.

Money is printed in 万元 (10,000 yuan): the figures run into billions, and a number must fit a
column of a continuation sheet.

Names are printed as on the other sheets (:func:`.benefit._shown_parties`: holders by sheet code and
masked name, an entity or developer that reads as a person masked). Every row resting on an
unverified value is marked ``未核实``, and when any is, every title says the figures are not official.

Imports :mod:`.benefit`, :mod:`.columns`, :mod:`.formatting` and :mod:`.holders` of this package and
:mod:`landcoord.allocation`'s errors, files and i18n modules.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..i18n import tr, trn
from ..io.files import column_values, read_table
from .benefit import _scenario_frame, _shown_parties
from .columns import _same
from .formatting import (
    PARTY_TYPE_LABELS,
    UNVERIFIED_MARK,
    Table,
    _text,
    fmt_area,
    fmt_money,
    fmt_share,
    is_verified,
)
from .holders import HolderIndex

__all__ = ["FINANCE_LAYERS", "finance_tables", "read_finance"]

#: The tables of ``landcoord benefits`` the finance sheet prints, and the columns each needs.
FINANCE_LAYERS = {
    "finance_cashflow": ("scenario", "project", "party_type", "party", "net_now", "npv", "premium_paid",
                         "compensation_paid", "construction_paid", "payment_paid", "verified"),
    "finance_floor": ("scenario", "project", "party_type", "party", "floor_area", "verified"),
    "finance_feasibility": ("scenario", "project", "entity", "sale_price", "break_even_price", "margin",
                            "required_margin", "verdict", "verified"),
}  # fmt: skip

_NOT_OFFICIAL = "（非正式 NOT OFFICIAL）"  # short: the title must fit a continuation column
_RANK = {"government": 0, "entity": 1, "developer": 2, "community": 3, "holder": 4, "market": 5}
_TYPE_LABELS = {**PARTY_TYPE_LABELS, "market": "市场 market"}
_VERDICTS = {"feasible": "可行 feasible", "not feasible": "不可行 not feasible", "unknown": "未知 unknown"}
_TOTAL = "合计 total"


def read_finance(source) -> dict:
    """The finance tables ``landcoord benefits`` wrote to ``source``: its GeoPackage or XLSX (one
    layer or sheet per table), or its ``.csv`` (the tables beside it, ``<name>_finance_cashflow.csv``
    ...). Refused, naming the file, when a table is missing."""
    path = Path(str(source))
    if not path.exists():
        raise InputError(
            tr("Finance tables '{path}' do not exist. Give the output of landcoord benefits.", path=path)
        )
    out = {}
    if path.suffix.lower() == ".csv":
        out["scenario_parties"] = read_table(path)  # the first table is the .csv itself
    else:
        out["scenario_parties"] = read_table(f"{path}|layername=scenario_parties")
    for name in FINANCE_LAYERS:
        if path.suffix.lower() == ".csv":
            sibling = path.with_name(f"{path.stem}_{name}.csv")
            if not sibling.exists():
                raise InputError(
                    tr(
                        "Finance table '{path}' does not exist: give the .csv that landcoord benefits "
                        "wrote with a scenarios file that has [scenario.finance] (the tables are written "
                        "beside it).",
                        path=sibling,
                    )
                )
            out[name] = read_table(sibling)
        else:
            try:
                out[name] = read_table(f"{path}|layername={name}")
            except Exception as exc:  # noqa: BLE001 - any reader's failure says the same to the officer
                raise InputError(
                    tr(
                        "'{path}' has no readable table {table} ({error}); give the output of landcoord "
                        "benefits run with a scenarios file that has [scenario.finance].",
                        path=path,
                        table=name,
                        error=exc,
                    )
                ) from None
    return out


def finance_tables(finance, project, who: HolderIndex, public, compound_surnames, extra, notes):
    """``(parties, payers, feasibility, unverified)`` of the benefit sheet; ``(None, None, None,
    False)`` without finance tables. ``finance``: the
    :class:`~landcoord.allocation.scenarios.ScenarioResult` of ``benefit_scenarios``, or the tables
    of :func:`read_finance`; the land per party comes from its ``scenario_parties`` (the same run;
    "—" without it). ``extra`` collects the holders of other
    projects as printed (for the masking of free text)."""
    if finance is None:
        return None, None, None, False
    frames = _project_frames(finance, project)
    cash = frames["finance_cashflow"]
    if cash.empty:
        notes.append(
            tr(
                "The finance tables hold no row of project {project}: the finance tables are left out.",
                project=project,
            )
        )
        return None, None, None, False
    land = None
    if frames.get("scenario_parties") is not None:
        land = _scenario_frame(frames["scenario_parties"], project, notes)
        land["ok"] = [is_verified(v) for v in land["verified"]]
    rows = _party_rows(cash, frames["finance_floor"], land)
    ptypes = [_text(t).casefold() for t in rows["party_type"]]
    _, shown = _shown_parties(rows, ptypes, who, public, compound_surnames, extra)
    rows["shown"] = shown

    def show(party, ptype="entity"):
        return _shown_parties(
            pd.DataFrame({"party": [party]}), [ptype], who, public, compound_surnames, extra
        )[1][0]

    tables = (
        _parties_table(rows, ptypes, who),
        _payers_table(rows, ptypes, who),
        _feasibility_table(frames["finance_feasibility"], rows, show),
    )
    unverified = any(any(t.marked) for t in tables)
    if unverified:
        for t in tables:
            t.title += _NOT_OFFICIAL
    return (*tables, unverified)


def _project_frames(finance, project) -> dict:
    """The three finance tables, their columns checked, cut to the project, figures numeric; and the
    run's ``scenario_parties`` (None when not given), which :func:`._scenario_frame` cuts."""
    layers = finance.layers() if hasattr(finance, "layers") else dict(finance)
    out = {"scenario_parties": layers.get("scenario_parties")}
    for name, cols in FINANCE_LAYERS.items():
        df = layers.get(name)
        if df is None:
            raise InputError(
                tr("The finance tables lack {table}; give every table landcoord benefits wrote.", table=name)
            )
        miss = [c for c in cols if c not in df.columns]
        if miss:
            raise InputError(
                trn(
                    "Finance table {table} lacks the column {columns}; give the table as landcoord "
                    "benefits wrote it.",
                    "Finance table {table} lacks the {n} columns {columns}; give the table as landcoord "
                    "benefits wrote it.",
                    len(miss),
                    table=name,
                    columns=", ".join(miss),
                )
            )
        df = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
        df = df[_same(column_values(df, "project"), project)].reset_index(drop=True)
        for c in cols:
            if c not in ("scenario", "project", "party_type", "party", "entity", "verdict", "verified"):
                df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
        out[name] = df
    return out


def _key(scenario, ptype, party) -> tuple:
    return (_text(scenario), _text(ptype).casefold(), _text(party))


def _party_rows(cash: pd.DataFrame, floor: pd.DataFrame, scenarios) -> pd.DataFrame:
    """One row per scenario and party: the cash-flow figures, the floor area and land, verified."""
    fsum: dict = {}
    for r in floor.itertuples(index=False):
        k = _key(r.scenario, r.party_type, r.party)
        a, ok = fsum.get(k, (0.0, True))
        fsum[k] = (a + (0.0 if np.isnan(r.floor_area) else r.floor_area), ok and is_verified(r.verified))
    land: dict = {}
    if scenarios is not None:
        for r in scenarios.itertuples(index=False):
            k = _key(r.scenario, r.party_type, r.party)
            a, ok = land.get(k, (0.0, True))
            land[k] = (a + (0.0 if np.isnan(r.land_area) else r.land_area), ok and bool(r.ok))
    out = []
    for r in cash.itertuples(index=False):
        party = None if _text(r.party) == "(no holder)" else r.party
        k = _key(r.scenario, r.party_type, r.party)
        fl, f_ok = fsum.get(k, (0.0, True))
        ld, l_ok = land.get(k, (np.nan, True))
        out.append(
            {
                "scenario": _text(r.scenario),
                "party_type": _text(r.party_type),
                "party": party,
                "land_area": ld,
                "floor_area": fl,
                "net_now": r.net_now,
                "npv": r.npv,
                "premium_paid": r.premium_paid,
                "compensation_paid": r.compensation_paid,
                "construction_paid": r.construction_paid,
                "payment_paid": r.payment_paid,
                "ok": bool(is_verified(r.verified) and f_ok and l_ok),
            }
        )
    return pd.DataFrame(out)


_FIGURES = ("land_area", "floor_area", "net_now", "npv")
_PAID = ("compensation_paid", "premium_paid", "construction_paid", "payment_paid")


def fmt_wan(value) -> str:
    """Yuan as printed in 万元 (10,000 yuan), two decimals: the finance figures run into billions.

    >>> fmt_wan(-5_211_675_820.2), fmt_wan(None)
    ('-521,167.58', '—')
    """
    return fmt_money(None if value is None else float(value) / 1e4)


def _ordered(rows: pd.DataFrame, ptypes: list, who: HolderIndex) -> pd.DataFrame:
    """The rows by scenario, then government, entity, developer, communities, holders (sheet order),
    the market; with each party's type as printed."""
    hold_rank = {f"{c} {lab}": i for i, (c, lab) in enumerate(zip(who.codes, who.labels))}
    rows = rows.assign(
        _sorder=[list(dict.fromkeys(rows["scenario"])).index(s) for s in rows["scenario"]],
        _rank=[_RANK.get(t, 6) for t in ptypes],
        _hrank=[hold_rank.get(s, len(hold_rank)) for s in rows["shown"]],
        type_label=[_TYPE_LABELS.get(t, t) for t in ptypes],
    )
    return rows.sort_values(["_sorder", "_rank", "_hrank", "shown"], kind="stable")


def _blocks(ordered: pd.DataFrame, figures: tuple, cells) -> tuple:
    """Rows as printed (party and its type in one cell, the scenario, ``cells`` of the figures),
    each scenario closed by its total row; the values behind them and the rows to mark."""
    printed, values, marked = [], [], []
    for _scen, block in ordered.groupby("_sorder", sort=True):
        for r in block.to_dict("records"):
            mark = "" if r["ok"] else f"\n{UNVERIFIED_MARK}"
            who_cell = f"{r['shown']}\n{r['type_label']}"
            printed.append([who_cell, r["scenario"], *[c + mark for c in cells(r)]])
            values.append({k: r[k] for k in ("scenario", "party_type", "shown", *figures, "ok")})
            marked.append(not r["ok"])
        tot = {c: float(np.nansum(block[c].to_numpy(dtype=float))) for c in figures}
        if "land_area" in tot and block["land_area"].isna().all():
            tot["land_area"] = np.nan
        ok = bool(block["ok"].all())
        mark = "" if ok else f"\n{UNVERIFIED_MARK}"
        scenario = block["scenario"].iloc[0]
        printed.append([_TOTAL, scenario, *[c + mark for c in cells(tot)]])
        values.append({"scenario": scenario, "party_type": "total", "shown": _TOTAL, **tot, "ok": ok})
        marked.append(not ok)
    return printed, pd.DataFrame(values).rename(columns={"shown": "party"}), marked


def _parties_table(rows: pd.DataFrame, ptypes: list, who: HolderIndex) -> Table:
    """Every party under every scenario, grouped by scenario, each scenario closed by its total."""

    def cells(r):
        return [fmt_area(r["land_area"]), fmt_area(r["floor_area"]), fmt_wan(r["net_now"]), fmt_wan(r["npv"])]

    printed, values, marked = _blocks(_ordered(rows, ptypes, who), _FIGURES, cells)
    return Table(
        title="各方所得对账 Every party, reconciled",
        columns=[
            "参与方 party",
            "方案 scenario",
            "用地 land m²",
            "建筑面积 floor m²",
            "当期净现金 cash now 万元",
            "含远期收益现值 with income later, NPV 万元",
        ],
        rows=printed,
        values=values,
        align=["l", "l", "r", "r", "r", "r"],
        marked=marked,
    )


def _payers_table(rows: pd.DataFrame, ptypes: list, who: HolderIndex) -> Table:
    """Who pays what: each party that pays compensation, premium, construction or the communities,
    by scenario, each scenario closed by its total."""

    def cells(r):
        return [fmt_wan(r[c]) for c in _PAID]

    keep = [any(r[c] > 0 for c in _PAID) for r in rows.to_dict("records")]
    sub = rows[keep].reset_index(drop=True)
    printed, values, marked = _blocks(
        _ordered(sub, [t for t, k in zip(ptypes, keep) if k], who), _PAID, cells
    )
    return Table(
        title="谁出资 Who pays what",
        columns=[
            "出资方 payer",
            "方案 scenario",
            "补偿 compensation 万元",
            "地价 land premium 万元",
            "建设 construction 万元",
            "付社区 to the communities 万元",
        ],
        rows=printed,
        values=values,
        align=["l", "l", "r", "r", "r", "r"],
        marked=marked,
    )


def _feasibility_table(feas: pd.DataFrame, rows: pd.DataFrame, show) -> Table:
    """The implementing entity's verdict per scenario (the entity printed as in the parties table,
    or by ``show`` when that table lacks it)."""
    cols = (rows["scenario"], rows["party_type"], rows["party"], rows["shown"])
    roles = ("entity", "developer", "government", "community")
    shown_entity = {(s, _text(p)): sh for s, t, p, sh in zip(*cols) if t.casefold() in roles}
    printed, marked = [], []
    for r in feas.itertuples(index=False):
        ok = is_verified(r.verified)
        mark = "" if ok else f"\n{UNVERIFIED_MARK}"
        entity = shown_entity.get((_text(r.scenario), _text(r.entity)))
        if entity is None:
            entity = show(_text(r.entity))
        printed.append(
            [
                _text(r.scenario),
                entity,
                fmt_money(r.sale_price) + mark,
                fmt_money(r.break_even_price) + mark,
                fmt_share(r.margin) + mark,
                fmt_share(r.required_margin) + mark,
                _VERDICTS.get(_text(r.verdict), _text(r.verdict)) + mark,
            ]
        )
        marked.append(not ok)
    return Table(
        title="实施主体可行性 Entity feasibility",
        columns=[
            "方案 scenario",
            "实施主体 entity",
            "售价 sale price ¥/m²",
            "盈亏平衡价 break-even ¥/m²",
            "利润率 margin",
            "要求 required",
            "结论 verdict",
        ],
        rows=printed,
        values=feas[
            ["scenario", "entity", "sale_price", "break_even_price", "margin", "required_margin", "verdict"]
        ]
        .assign(ok=[not m for m in marked])
        .reset_index(drop=True),
        align=["l", "l", "r", "r", "r", "r", "l"],
        marked=marked,
    )
