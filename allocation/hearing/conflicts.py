"""The conflicts sheet of a hearing pack: the one-map conflicts on this project's land (its boundary
and its carved retained land), blocking first, and the verdict per input, cut to this project when
the tables cover several.

Imports :mod:`.columns` and :mod:`.formatting` of this package and :mod:`landcoord.allocation`'s
files, i18n and privacy modules.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..i18n import tr, trn
from ..io.files import layer_name
from ..privacy import scrub_text
from .columns import _frame, _reproject, adapt_columns
from .formatting import _VERDICT_LABELS, SEVERITY_LABELS, Table, _text, fmt_area, fmt_share

__all__: list = []


def _conflict_frame(conflicts):
    """The conflicts table with its expected columns, figures numeric."""
    ct = adapt_columns(
        conflicts,
        "conflicts",
        required=["input_id", "kind", "severity", "conflict_area"],
        name=layer_name(conflicts),
    )
    for col in ("input_share", "rule", "source"):
        if col not in ct.columns:
            ct[col] = None
    ct["conflict_area"] = pd.to_numeric(ct["conflict_area"], errors="coerce").astype(float)
    ct["input_share"] = pd.to_numeric(ct["input_share"], errors="coerce").astype(float)
    return ct


def _on_this_project(ct, zone_parts, projects, project, crs, notes):
    """Keep the conflicts whose interior meets this project's land and whose input is not another
    project's: ``(ct, layer, dropped_inputs)``, ``dropped_inputs`` the inputs of which nothing is kept."""
    dropped_inputs = set()
    ct = _reproject(ct, crs, tr("conflicts"), notes)
    # a conflicts layer may cover several projects: keep the conflicts on this project's
    # land (its boundary and its carved retained land)
    zone = shapely.union_all([g for g in zone_parts if g is not None])
    shapely.prepare(zone)
    # interiors meet: touching along an edge (a neighbouring project) is not enough
    keep = np.array(
        [g is not None and shapely.relate_pattern(zone, g, "T********") for g in ct.geometry.values],
        dtype=bool,
    )
    # an input whose id names another project of the pieces (and not this one) is that
    # project's, even where its land touches this one: its rows are that project's page
    others = [p for p in projects if p != project and p not in project]
    keep &= np.array(
        [project in _text(v) or not any(o in _text(v) for o in others) for v in ct["input_id"]],
        dtype=bool,
    )
    if not keep.all():
        kept_ids = {_text(v) for v in ct.loc[keep, "input_id"]}
        dropped_inputs = {_text(v) for v in ct.loc[~keep, "input_id"]} - kept_ids
        notes.append(
            trn(
                "{n} conflict lies outside project '{project}' and is not printed.",
                "{n} conflicts lie outside project '{project}' and are not printed.",
                int((~keep).sum()),
                project=project,
            )
        )
        ct = ct[keep]
    layer = _frame(
        {
            "input_id": [_text(v) for v in ct["input_id"]],
            "kind": [_text(v) for v in ct["kind"]],
            "severity": [_text(v) for v in ct["severity"]],
            "conflict_area": ct["conflict_area"].to_numpy(),
        },
        ct.geometry.values,
        crs,
    )
    return ct, layer, dropped_inputs


def _conflict_table(ct) -> Table:
    """The conflicts, blocking first and largest first, blocking rows marked."""
    sev_rank = {"blocking": 0, "review": 1, "advisory": 2, "sliver": 3}
    ct = ct.assign(_r=[sev_rank.get(_text(s), 4) for s in ct["severity"]]).sort_values(
        ["_r", "conflict_area"], ascending=[True, False], kind="stable"
    )
    return Table(
        title="一张图管控冲突 Conflicts with the control lines",
        columns=[
            "对象 input",
            "管控类型 kind",
            "严重程度 severity",
            "面积 area m²",
            "占比 share",
            "规则 rule",
            "依据 source",
        ],
        rows=[
            [
                _text(r.input_id),
                _text(r.kind),
                SEVERITY_LABELS.get(_text(r.severity), _text(r.severity)),
                "<0.01" if 0 < r.conflict_area < 0.005 else fmt_area(r.conflict_area),
                fmt_share(r.input_share),
                scrub_text(_text(r.rule) + (f"（调整途径：{_text(a)}）" if _text(a) else "")),
                scrub_text(_text(r.source)),
            ]
            for r, a in zip(
                ct.itertuples(index=False),
                ct["adjustment"] if "adjustment" in ct.columns else [None] * len(ct),
            )
        ],
        values=pd.DataFrame(ct[["input_id", "kind", "severity", "conflict_area", "input_share"]]).reset_index(
            drop=True
        ),
        align=["l", "l", "l", "r", "r", "l", "l"],
        marked=[_text(s) == "blocking" for s in ct["severity"]],
        note="" if len(ct) else "未发现冲突。 No conflict found.",
    )


def _verdict_table(conflict_summary, projects, project, dropped_inputs) -> Table:
    """The verdict per input, without the inputs that belong to another project."""
    cs = adapt_columns(
        conflict_summary, "conflict_summary", required=["input_id", "verdict"], name="conflict summary"
    )
    # inputs whose conflicts all lie outside this project, or whose id names another project
    # of the pieces (and not this one), belong to another project
    others = [p for p in projects if p not in (project,) and p not in project]
    cs = cs[
        [
            _text(v) not in dropped_inputs and (project in _text(v) or not any(o in _text(v) for o in others))
            for v in cs["input_id"]
        ]
    ]
    for col in ("blocking_area", "review_area", "advisory_area"):
        if col not in cs.columns:
            cs[col] = np.nan
        cs[col] = pd.to_numeric(cs[col], errors="coerce").astype(float)
    return Table(
        title="结论 Verdict per input",
        columns=[
            "对象 input",
            "禁止 blocking m²",
            "需审查 review m²",
            "提示 advisory m²",
            "结论 verdict",
        ],
        rows=[
            [
                _text(r.input_id),
                fmt_area(r.blocking_area),
                fmt_area(r.review_area),
                fmt_area(r.advisory_area),
                _VERDICT_LABELS.get(_text(r.verdict), _text(r.verdict)),
            ]
            for r in cs.itertuples(index=False)
        ],
        values=pd.DataFrame(
            cs[["input_id", "blocking_area", "review_area", "advisory_area", "verdict"]]
        ).reset_index(drop=True),
        align=["l", "r", "r", "r", "l"],
        marked=[_text(v) == "blocked" for v in cs["verdict"]],
    )


def conflict_tables(conflicts, conflict_summary, p, bgeom, retained_layer, notes):
    """The conflicts sheet: ``(conflict_table, verdict_table, layer)``; each None when not given, the
    layer None when the conflicts have no geometry."""
    conflict_table = verdict_table = layer = None
    dropped_inputs: set = set()
    if conflicts is not None:
        ct = _conflict_frame(conflicts)
        if isinstance(ct, gpd.GeoDataFrame) and ct.geometry.notna().any():
            zone = [bgeom] + (list(retained_layer.geometry.values) if retained_layer is not None else [])
            ct, layer, dropped_inputs = _on_this_project(ct, zone, p.projects, p.project, p.crs, notes)
        conflict_table = _conflict_table(ct)
    if conflict_summary is not None:
        verdict_table = _verdict_table(conflict_summary, p.projects, p.project, dropped_inputs)
    return conflict_table, verdict_table, layer
