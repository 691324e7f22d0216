"""The money and land sheets of a hearing pack: the benefit-sharing scenarios (all parties, and each
holder's own rows), the retained-land quota trail and the carved retained land, every figure resting
on an unverified rule value marked ``未核实``.

Imports :mod:`.columns`, :mod:`.formatting` and :mod:`.holders` of this package and
:mod:`landcoord.allocation`'s files, i18n and privacy modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import tr
from ..io.files import column_values, layer_name
from ..privacy import classify_holders, is_organisation_name, mask_name, scrub_text
from .columns import _frame, _reproject, _same, adapt_columns
from .formatting import (
    _NO_HOLDER,
    PARTY_TYPE_LABELS,
    UNVERIFIED_MARK,
    Table,
    _fmt_value,
    _text,
    _unverified_note,
    fmt_area,
    fmt_money,
    is_verified,
)
from .holders import HolderIndex

__all__: list = []


def _scenario_frame(scenarios, project, notes):
    """The scenarios table of this project, figures numeric, with its ``verified`` column."""
    sc = adapt_columns(
        scenarios,
        "scenarios",
        required=[
            "scenario",
            "party",
            "party_type",
            "land_area",
            "floor_area",
            "money",
            "swap_floor_area",
        ],
        name=layer_name(scenarios) if hasattr(scenarios, "attrs") else "scenarios",
    )
    if "project" in sc.columns:
        sc = sc[_same(column_values(sc, "project"), project)]
    if "verified" not in sc.columns:
        sc = sc.assign(verified=False)
        notes.append(
            tr(
                "The scenarios table has no 'verified' column: every scenario figure is printed "
                "as unverified."
            )
        )
    sc = sc.reset_index(drop=True)
    for col in ("land_area", "floor_area", "money", "swap_floor_area"):
        sc[col] = pd.to_numeric(sc[col], errors="coerce").astype(float)
    return sc


def _shown_parties(sc, ptypes, who: HolderIndex, public, compound_surnames, extra):
    """Each row's party as printed: a holder of the project by its sheet code and label, another
    holder masked like one (added to ``extra``), an organisation in full unless it reads as a person.

    Returns ``(parties, shown)``: the parties as in the data ('(no holder)' read as None), as printed.
    """
    code_of, label_of, type_of = who.code_of, who.label_of, who.type_of
    parties = column_values(sc, "party")
    shown = []
    # the scenarios step names the land of no holder '(no holder)'
    parties = np.array([None if p == "(no holder)" else p for p in parties], dtype=object)
    for p, t in zip(parties, ptypes):
        if t.casefold() == "holder" or t == "权利人":
            if p in label_of:
                shown.append(f"{code_of[p]} {label_of[p]}")
                continue
            if p not in extra:
                tp = [type_of.get(p)] if type_of else None
                extra[p] = (
                    classify_holders([p], tp, public=public, compound_surnames=compound_surnames)[
                        "display"
                    ].iloc[0]
                    or _NO_HOLDER
                )
            shown.append(extra[p])
        else:
            # government, community, developer: organisations, printed in full unless the name
            # reads as a person's (a developer that is a natural person)
            txt = scrub_text(_text(p))
            person_like = t.casefold() in ("developer", "entity") and not is_organisation_name(txt)
            if public and txt and person_like:
                txt = mask_name(txt, compound_surnames)
            shown.append(txt)
    return parties, shown


def _figures(r) -> list:
    """A scenario row's four figures as printed, marked when they rest on unverified rule values."""
    mark = "" if r.ok else f"\n{UNVERIFIED_MARK}"
    return [
        fmt_area(r.land_area) + mark,
        fmt_area(r.floor_area) + mark,
        fmt_money(r.money) + mark,
        fmt_area(r.swap_floor_area) + mark,
    ]


def _benefits_table(sc, ptypes, who: HolderIndex, ok):
    """The scenarios of all parties (government, community, developer, then holders in sheet
    order): ``(table, sc)``, ``sc`` with the ``_sorder`` (scenario order) column the holder tables use."""
    codes, labels = who.codes, who.labels
    rank = {"government": 0, "community": 1, "developer": 2, "entity": 2, "holder": 3}
    sc["_rank"] = [rank.get(t.casefold(), 4) for t in ptypes]
    scen_order = list(dict.fromkeys(_text(s) for s in sc["scenario"]))
    sc["_sorder"] = [scen_order.index(_text(s)) for s in sc["scenario"]]
    hold_rank = {f"{c} {lab}": i for i, (c, lab) in enumerate(zip(codes, labels))}
    sc["_hrank"] = [hold_rank.get(s, len(labels)) if r == 3 else 0 for s, r in zip(sc["shown"], sc["_rank"])]
    ordered = sc.sort_values(["_rank", "_hrank", "shown", "_sorder"], kind="stable")
    benefits = Table(
        title="利益分配方案比较 Benefit-sharing scenarios, all parties",
        columns=[
            "参与方 party",
            "类别 type",
            "方案 scenario",
            "用地 land m²",
            "建筑面积 floor m²",
            "货币 money ¥",
            "置换 swap floor m²",
        ],
        rows=[
            [r.shown, r.type_label, _text(r.scenario), *_figures(r)] for r in ordered.itertuples(index=False)
        ],
        values=ordered[
            ["scenario", "party_type", "land_area", "floor_area", "money", "swap_floor_area", "ok"]
        ]
        .reset_index(drop=True)
        .assign(party=ordered["shown"].to_numpy()),
        align=["l", "l", "l", "r", "r", "r", "r"],
        marked=[not o for o in ordered["ok"]],
        note=_unverified_note(not all(ok)),
    )
    return benefits, sc


def _holder_scenario_tables(sc, ptypes, parties, who: HolderIndex) -> dict:
    """Sheet code -> the holder's own rows under each scenario: as a holder, or (a community company,
    a developer) under its own party type; never the government's."""
    holder_scenarios: dict = {}
    for k, c, s in zip(who.keys, who.codes, who.sheet):
        if not s:
            continue
        # the holder's own rows: as a holder, or (a community company, a developer) under its
        # own party type; never the government's
        rows_k = sc[[p == k and t.casefold() not in ("government", "政府") for t, p in zip(ptypes, parties)]]
        rows_k = rows_k.sort_values("_sorder", kind="stable")
        holder_scenarios[c] = Table(
            title="各方案下的补偿与安置 Figures under each scenario",
            columns=[
                "方案 scenario",
                "用地 land m²",
                "建筑面积 floor m²",
                "货币 money ¥",
                "置换 swap floor m²",
            ],
            rows=[[_text(r.scenario), *_figures(r)] for r in rows_k.itertuples(index=False)],
            values=rows_k[
                ["scenario", "land_area", "floor_area", "money", "swap_floor_area", "ok"]
            ].reset_index(drop=True),
            align=["l", "r", "r", "r", "r"],
            marked=[not o for o in rows_k["ok"]],
            note=_unverified_note(not all(rows_k["ok"])) if len(rows_k) else "无 none",
        )
    return holder_scenarios


def benefit_tables(scenarios, project, who: HolderIndex, public, compound_surnames, notes):
    """The benefit-sharing sheets: ``(benefits, holder_scenarios, extra, unverified)``; ``extra`` the
    parties that are holders but not of this project (party -> as printed), ``unverified`` True when
    a figure rests on an unverified rule value. ``(None, {}, {}, False)`` without scenarios."""
    extra: dict = {}
    if scenarios is None:
        return None, {}, extra, False
    sc = _scenario_frame(scenarios, project, notes)
    ok = [is_verified(v) for v in sc["verified"]]
    ptypes = [_text(t) for t in sc["party_type"]]
    parties, shown = _shown_parties(sc, ptypes, who, public, compound_surnames, extra)
    sc["shown"] = shown
    sc["type_label"] = [PARTY_TYPE_LABELS.get(t.casefold(), t) for t in ptypes]
    sc["ok"] = ok
    benefits, sc = _benefits_table(sc, ptypes, who, ok)
    return benefits, _holder_scenario_tables(sc, ptypes, parties, who), extra, not all(ok)


def quota_table(quota_trail, project, notes):
    """The retained-land quota, step by step: ``(table, quota_ok, unverified)``, ``quota_ok`` community ->
    its retained-land quota is verified. ``(None, {}, False)`` without a quota trail."""
    quota_ok: dict = {}
    if quota_trail is None:
        return None, quota_ok, False
    qt = adapt_columns(quota_trail, "quota_trail", required=["item", "value"], name="quota trail")
    if "project" in qt.columns:
        qt = qt[_same(column_values(qt, "project"), project)]
    qt = qt.reset_index(drop=True)
    for col in ("community", "quantity", "unit", "rule", "source", "note"):
        if col not in qt.columns:
            qt[col] = None
    if "verified" not in qt.columns:
        qt["verified"] = False
        notes.append(
            tr("The quota trail has no 'verified' column: every quota figure is printed as unverified.")
        )
    qt["value"] = pd.to_numeric(qt["value"], errors="coerce").astype(float)
    ok = [is_verified(v) for v in qt["verified"]]
    rows = []
    for r, o in zip(qt.itertuples(index=False), ok):
        unit = _text(r.unit).replace("m2", "m²")
        value = _fmt_value(r.value, unit)
        rows.append(
            [
                _text(r.community) or "—",
                # the quota step writes the step's label in 'item' and its key in 'quantity'
                _text(r.item) or _text(r.quantity),
                value + ("" if o else f"\n{UNVERIFIED_MARK}"),
                unit,
                scrub_text(_text(r.rule)),
                scrub_text(_text(r.source)),
            ]
        )
    for r, o in zip(qt.itertuples(index=False), ok):
        if "retained_area" in (_text(r.quantity), _text(r.item)) or "result.retained_area" in (
            _text(r.quantity),
            _text(r.item),
        ):
            quota_ok[_text(r.community)] = o
    quota = Table(
        title="留用地指标计算 Retained-land quota, step by step",
        columns=["社区 community", "项目 item", "数值 value", "单位 unit", "规则 rule", "来源 source"],
        rows=rows,
        values=qt[["community", "item", "value", "unit"]].assign(verified=ok),
        align=["l", "l", "r", "l", "l", "l"],
        marked=[not o for o in ok],
        note=_unverified_note(not all(ok)),
    )
    return quota, quota_ok, not all(ok)


def retained_sheet(retained, crs, project, quota_ok, notes):
    """The carved retained land: ``(table, layer, unverified)``; a parcel's target is a quota figure,
    marked unless the quota trail says the community's quota is verified. ``(None, None, False)``
    without carved land."""
    if retained is None:
        return None, None, False
    rt = adapt_columns(retained, "retained", required=["community", "area"], name=layer_name(retained))
    rt = _reproject(rt, crs, tr("carved retained land"), notes)
    if "project" in rt.columns and rt["project"].notna().any():
        rt = rt[_same(column_values(rt, "project"), project)]
    for col in (
        "target_area",
        "deviation",
        "compactness",
        "min_width",
        "frontage",
        "distance_to_holdings",
    ):
        if col not in rt.columns:
            rt[col] = np.nan
        rt[col] = pd.to_numeric(rt[col], errors="coerce").astype(float)
    rt["area"] = pd.to_numeric(rt["area"], errors="coerce").astype(float)
    layer = _frame(
        {"community": [_text(v) for v in rt["community"]], "area": rt["area"].to_numpy()},
        rt.geometry.values,
        crs,
    )
    # the target of a parcel is a quota figure: marked unless the quota trail says the
    # community's retained-land quota is verified
    target_ok = [quota_ok.get(_text(c), False) for c in rt["community"]]
    parts = rt["parts"] if "parts" in rt.columns else pd.Series([1] * len(rt), index=rt.index)
    part = rt["part"] if "part" in rt.columns else pd.Series([1] * len(rt), index=rt.index)
    rows = []
    for r, ok_t, k, n in zip(rt.itertuples(index=False), target_ok, part, parts):
        label = _text(r.community) or "—"
        if n == n and n is not None and int(n) > 1:
            label += f" {int(k)}/{int(n)}"
        rows.append(
            [
                label,
                fmt_area(r.target_area) + ("" if ok_t else f"\n{UNVERIFIED_MARK}"),
                fmt_area(r.area),
                fmt_area(r.deviation),
                "—" if not np.isfinite(r.compactness) else f"{r.compactness:.3f}",
                fmt_area(r.min_width),
                fmt_area(r.frontage),
                fmt_area(r.distance_to_holdings),
            ]
        )
    retained_table = Table(
        title="留用地选址 Carved retained land",
        columns=[
            "社区 community",
            "指标 target m²",
            "面积 area m²",
            "偏差 deviation m²",
            "紧凑度 compactness",
            "最小宽度 min width m",
            "临路 frontage m",
            "距现有用地 to holdings m",
        ],
        rows=rows,
        values=pd.DataFrame(rt.drop(columns=rt.geometry.name)).reset_index(drop=True).assign(ok=target_ok),
        align=["l", "r", "r", "r", "r", "r", "r", "r"],
        marked=[not o for o in target_ok],
    )
    return retained_table, layer, len(rt) > 0 and not all(target_ok)
