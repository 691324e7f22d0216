"""One-map conflict check: where a proposal crosses the control lines, how badly, and by which rule.

Each proposal feature (retained-land parcels, a project boundary, a resettlement site) is checked
against every control zone it meets. For a ``must_not_overlap`` kind the conflict is the part of the
input inside the union of that kind's zones; for a ``must_lie_inside`` kind (the urban development
boundary) it is the part of the input outside that union. Zones of one kind that overlap each other
are counted once. Touching along an edge is no conflict; an overlap smaller than the tolerance is
reported with severity ``sliver``, never dropped.

Speed comes from doing only the work a pair needs: the zones an input meets are found with an
STRtree; a zone wholly inside an input is taken as it is, an input wholly inside a zone is taken as
it is, and only zones that cross an input's edge are clipped. Zones are unioned per input and kind,
never all at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._parallel import chunked, chunked_groups, prepared_copies
from .controls import SEVERITIES, ControlRegistry, load_registry
from .crs import MeasureCRS, match_crs, measurement_crs, project_measurement_crs, to_crs
from .errors import GeometryError, InputError, LayerError
from .feedback import Feedback
from .geometry import clean_polygons, polygonal_part
from .i18n import tr, trn
from .io.files import column_values, layer_name, require_field

__all__ = [
    "ConflictResult",
    "plan_conflicts",
    "CONFLICT_COLUMNS",
    "SUMMARY_COLUMNS",
    "VERDICTS",
    "SLIVER",
]

#: Severity of an overlap smaller than the tolerance.
SLIVER = "sliver"
#: Verdicts of the summary: no blocking or review conflict; a review conflict; a blocking conflict.
VERDICTS = ("clear", "review", "blocked")

CONFLICT_COLUMNS = [
    "input_id",
    "kind",
    "severity",
    "conflict_area",
    "input_share",
    "rule",
    "source",
    "verified",
    "kind_en",
    "rule_type",
    "rule_en",
    "adjustment",
    "adjustment_en",
    "zone_ids",
]
SUMMARY_COLUMNS = [
    "input_id",
    "blocking_area",
    "review_area",
    "advisory_area",
    "verdict",
    "sliver_area",
    "input_area",
    "kinds",
    "measured",
]

_ZONE_IDS_SHOWN = 100
#: Overlay calls on more pairs than this are split over threads (an overlay takes some 20-50 µs).
_CHUNK = 1024
#: Grid (in CRS units) a pair is snapped to when GEOS cannot overlay it exactly.
_SNAP = 1e-4


@dataclass
class ConflictResult:
    """Everything :func:`plan_conflicts` computes.

    Attributes
    ----------
    conflicts : GeoDataFrame
        One row per input × kind in conflict (:data:`CONFLICT_COLUMNS`), the conflict's geometry
        in the measurement CRS. ``conflict_area`` is in m²; ``input_share`` is the share of the
        input's area; ``zone_ids`` are the feature ids of the control zones involved (for a
        ``must_lie_inside`` kind: the zones that cover the input in part).
    summary : DataFrame
        One row per input (:data:`SUMMARY_COLUMNS`), every input listed, in input order.
        ``blocking_area``, ``review_area`` and ``advisory_area`` are the area of the input under
        conflicts of that severity (land under two kinds of one severity counted once; land under a
        blocking and a review kind is in both figures). ``verdict`` is ``blocked`` when there is
        blocking area, else ``review`` when there is review area, else ``clear``.
    measure : MeasureCRS
        The CRS areas were measured in (all geometries are in it).
    registry : ControlRegistry
        The registry the kinds were read with.
    kinds_checked : list of str
        The kinds that have zones in the control layer.
    warnings, notes : list of str
        Things the officer must look at; what was done (CRS, repairs, merged ids).
    """

    conflicts: gpd.GeoDataFrame
    summary: pd.DataFrame
    measure: MeasureCRS
    registry: ControlRegistry
    kinds_checked: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def layers(self) -> dict:
        """Output layers by the names the command line writes them under."""
        return {"conflicts": self.conflicts, "summary": self.summary}


def _registry(registry) -> ControlRegistry:
    if isinstance(registry, ControlRegistry):
        return registry
    return load_registry(registry)


def _input_ids(proposal, id_field, pname):
    if not id_field:
        return np.asarray(proposal.index.to_numpy(), dtype=object)
    ids = column_values(proposal, id_field)
    missing = [i for i, v in zip(proposal.index, ids) if v is None]
    if missing:
        shown = ", ".join(map(str, missing[:20]))
        if len(missing) > 20:
            shown = tr("{ids} and {more} more", ids=shown, more=len(missing) - 20)
        raise LayerError(
            trn(
                "Layer '{layer}': field '{field}' is empty for {n} feature: {features}. "
                "Give every proposal feature an id, or leave the id field unset to use feature ids.",
                "Layer '{layer}': field '{field}' is empty for {n} features: {features}. "
                "Give every proposal feature an id, or leave the id field unset to use feature ids.",
                len(missing),
                layer=pname,
                field=id_field,
                features=shown,
            )
        )
    return ids


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Polygonal part of each geometry; None where there is none or it has no area."""
    out = np.asarray(geoms, dtype=object).copy()
    present = ~shapely.is_missing(out)
    kinds = np.full(len(out), -1)
    kinds[present] = shapely.get_type_id(out[present])
    for k in np.flatnonzero(present & ~np.isin(kinds, (3, 6))):
        out[k] = polygonal_part(out[k])
    present = ~shapely.is_missing(out)
    empty = np.zeros(len(out), dtype=bool)
    empty[present] = shapely.area(out[present]) <= 0
    out[~present | empty] = None
    return out


class _Overlays:
    """Elementwise overlay on every core; a pair GEOS cannot overlay is retried on a 0.1 mm grid.

    GEOS's robust overlay rarely fails on valid input (nearly coincident edges); when it does, the
    whole vectorised call raises, so the pairs are redone one by one and only the failing ones are
    snapped to :data:`_SNAP` (a change of area far below any legal precision); ``snapped`` counts
    them for the report.
    """

    def __init__(self) -> None:
        self.snapped = 0

    def __call__(self, func, a: np.ndarray, b: np.ndarray, what: str, name=None) -> np.ndarray:
        """``func(a, b)``; ``what`` says what is computed and ``name(k)`` which features pair ``k`` is."""
        try:
            return chunked(func, a, b, min_chunk=_CHUNK)
        except shapely.errors.GEOSException:
            pass
        out = np.empty(len(a), dtype=object)
        for k in range(len(a)):
            try:
                out[k] = func(a[k], b[k])
            except shapely.errors.GEOSException:
                try:
                    out[k] = func(a[k], b[k], grid_size=_SNAP)
                except shapely.errors.GEOSException as exc:
                    if name is not None:
                        raise GeometryError(
                            tr(
                                "GEOS cannot compute the {what} ({which}): {error}. Check these features "
                                "for nearly coincident edges or spikes and fix them.",
                                what=what,
                                which=name(k),
                                error=exc,
                            )
                        ) from exc
                    raise GeometryError(
                        tr(
                            "GEOS cannot compute the {what}: {error}. Check these features for "
                            "nearly coincident edges or spikes and fix them.",
                            what=what,
                            error=exc,
                        )
                    ) from exc
                self.snapped += 1
        return out


def _interiors_meet(a, b):
    return shapely.relate_pattern(a, b, "T********")


def _group_starts(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and size of each run of equal values in a sorted array."""
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    return starts, np.diff(np.r_[starts, len(group)])


def _grouped_union(geoms: np.ndarray, group: np.ndarray, n: int, overlay: _Overlays) -> np.ndarray:
    """The union of ``geoms`` per value of ``group`` (sorted), as an array of ``n`` (None: no geometry).

    Pieces that are pairwise disjoint (the common case: zones of one kind rarely meet inside one
    input) are gathered into a MultiPolygon without an overlay, once GEOS says it is valid; the rest
    are unioned pairwise in rounds, vectorised over all groups at once.
    """
    out = np.empty(n, dtype=object)
    if len(geoms) == 0:
        return out
    starts, sizes = _group_starts(group)
    single = sizes == 1
    out[group[starts[single]]] = geoms[starts[single]]
    sel = np.flatnonzero(np.repeat(~single, sizes))
    if len(sel) == 0:
        return out
    g, grp = geoms[sel], group[sel]
    parts, pidx = shapely.get_parts(g, return_index=True)
    ids, dense = np.unique(grp[pidx], return_inverse=True)
    gathered = shapely.multipolygons(parts, indices=dense)
    ok = chunked(shapely.is_valid, gathered, min_chunk=_CHUNK)
    out[ids[ok]] = gathered[ok]
    redo = np.isin(grp, ids[~ok])
    g, grp = g[redo], grp[redo]
    while len(grp):
        starts, sizes = _group_starts(grp)
        done = sizes == 1
        out[grp[starts[done]]] = g[starts[done]]
        keep = np.repeat(~done, sizes)
        g, grp = g[keep], grp[keep]
        if not len(grp):
            break
        starts, sizes = _group_starts(grp)
        rank = np.arange(len(grp)) - np.repeat(starts, sizes)
        left = np.flatnonzero((rank % 2 == 0) & np.r_[grp[1:] == grp[:-1], False])
        g[left] = overlay(shapely.union, g[left], g[left + 1], tr("union of conflict pieces of one proposal"))
        drop = np.zeros(len(grp), dtype=bool)
        drop[left + 1] = True
        g, grp = g[~drop], grp[~drop]
    return _polygonal(out)


def _grouped_difference(
    base: np.ndarray, group: np.ndarray, groups: np.ndarray, cut: np.ndarray, overlay: _Overlays
) -> np.ndarray:
    """``base[k]`` minus every ``cut`` whose ``group`` is ``groups[k]`` (``group`` sorted, in ``groups``).

    Done in rounds (the first zone of every group, then the second...), each vectorised.
    """
    out = np.asarray(base, dtype=object).copy()
    if len(group) == 0:
        return _polygonal(out)
    at = np.searchsorted(groups, group)
    starts, sizes = _group_starts(group)
    rank = np.arange(len(group)) - np.repeat(starts, sizes)
    for r in range(int(rank.max()) + 1):
        m = np.flatnonzero(rank == r)
        out[at[m]] = overlay(shapely.difference, out[at[m]], cut[m], tr("part of a proposal outside a zone"))
    return _polygonal(out)


def _zone_list(fids, message: bool = False) -> str:
    """The first ids joined; ``message``: for a message (translated), else for the zone_ids column."""
    shown = ", ".join(str(f) for f in fids[:_ZONE_IDS_SHOWN])
    more = len(fids) - _ZONE_IDS_SHOWN
    if more <= 0:
        return shown
    if message:
        return tr("{shown} and {more} more", shown=shown, more=more)
    return f"{shown} and {more} more"


def plan_conflicts(
    proposal: gpd.GeoDataFrame,
    controls: gpd.GeoDataFrame,
    *,
    kind_field: str,
    input_id_field: str | None = None,
    registry=None,
    tolerance: float = 1.0,
    feedback: Feedback | None = None,
    far_zones=None,
    measure_crs=None,
) -> ConflictResult:
    """Check a proposal against the control lines of the "one map".

    Parameters
    ----------
    proposal : GeoDataFrame
        Polygons to check (retained-land parcels, project boundaries, resettlement sites...).
        Features sharing an id are checked as one input.
    controls : GeoDataFrame
        Control zones of any kinds (polygons).
    kind_field : str
        Field of ``controls`` with each zone's kind (a name or alias known to the registry).
    input_id_field : str, optional
        Field of ``proposal`` with the id of each feature; by default the feature id (the index).
    registry : ControlRegistry, str or os.PathLike, optional
        The registry, or the path of an officer's registry file merged over the shipped one;
        by default the shipped registry.
    tolerance : float
        Conflicts smaller than this (m², per input and kind) get severity ``sliver``.
    feedback : Feedback, optional
        Progress, messages and cancellation.
    measure_crs : pyproj.CRS or str, optional
        The officer's measuring CRS (one per project run); by default the proposal's projected CRS,
        else the controls', else the national or local projection.
    far_zones : Series or DataFrame, optional
        The kinds (``kind_field``) of the zones of the control layer that were not loaded into
        ``controls`` because their envelope lies away from every proposal, indexed by feature id
        (see :func:`landcoord.allocation.io.files.read_layer_near`). They cannot overlap a proposal,
        but their kinds are checked like the others (an unknown one stops the run) and count as
        present: a proposal away from every zone of a ``must_lie_inside`` kind lies wholly outside
        it.

    Returns
    -------
    ConflictResult

    Raises
    ------
    UnknownKindError
        When a zone's kind is not in the registry (every unknown value is listed).
    FieldError, LayerError, CRSError, GeometryError, RuleError, InputError

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> site = gpd.GeoDataFrame({"code": ["A"]}, geometry=[box(0, 0, 100, 100)], crs=4547)
    >>> zones = gpd.GeoDataFrame(
    ...     {"kind": ["道路红线", "ROAD_RED", "UDB"]},
    ...     geometry=[box(90, -10, 120, 110), box(80, -10, 95, 50), box(-50, -50, 100, 80)],
    ...     crs=4547,
    ... )
    >>> r = plan_conflicts(site, zones, kind_field="kind", input_id_field="code")
    >>> r.conflicts[["kind", "severity", "conflict_area"]].values.tolist()
    [['城镇开发边界', 'blocking', 2000.0], ['道路红线', 'blocking', 1500.0]]
    >>> r.summary[["input_id", "blocking_area", "verdict"]].values.tolist()  # 2000 + 1500 - 200 counted once
    [['A', 3300.0, 'blocked']]
    """
    # long: its numpydoc docstring (parameters, a runnable example); the body is an orchestrator of phases
    fb = feedback or Feedback()
    pname, cname = layer_name(proposal), layer_name(controls)
    input_id_field, tolerance, reg = _check_inputs(
        proposal, controls, kind_field, input_id_field, registry, tolerance, cname, pname
    )

    warnings: list[str] = []
    notes: list[str] = []

    def note(msg: str) -> None:
        notes.append(msg)
        fb.info(msg)

    def warn(msg: str) -> None:
        warnings.append(msg)
        fb.warning(msg)

    for msg in reg.notes:
        note(msg)

    measure, proposal, controls, run = _measure(proposal, controls, measure_crs, cname, fb, note, pname, warn)

    zones = _zone_kinds(controls, kind_field, far_zones, reg, run)

    inputs, n_in, igeoms, ivalid, input_area = _inputs(proposal, input_id_field, run)

    present_kinds, kinds_checked = _kind_notes(run, zones)

    ii, zi, zgeoms = _pairs(igeoms, ivalid, run, zones)

    overlay, groups = _group_pairs(igeoms, ii, zgeoms, zi, run, zones)

    g_geom, hit = _must_not_overlap(igeoms, inputs, overlay, zgeoms, run, groups, zones)

    blocks = _must_lie_inside(g_geom, hit, igeoms, ivalid, n_in, overlay, present_kinds, zgeoms, run, groups)

    rows = _rows(tolerance, blocks, hit, input_area, groups, zones, run)

    conflicts = _conflicts_frame(tolerance, inputs, rows, zones, run)

    summary = _verdicts(conflicts, input_area, inputs, n_in, overlay, run, rows)
    fb.progress(100)
    return ConflictResult(
        conflicts=conflicts,
        summary=summary,
        measure=measure,
        registry=reg,
        kinds_checked=kinds_checked,
        warnings=warnings,
        notes=notes,
    )


def _check_inputs(proposal, controls, kind_field, input_id_field, registry, tolerance, cname, pname):
    """Takes the two layers, the field names, the tolerance and the registry choice; raises on an empty
    layer, a missing field or a bad tolerance; gives the input-id field as found, the tolerance as a
    number and the control registry.
    """
    if len(proposal) == 0:
        raise LayerError(
            tr("Layer '{layer}' (proposal) is empty; choose a layer with the polygons to check.", layer=pname)
        )
    if len(controls) == 0:
        raise LayerError(
            tr("Layer '{layer}' (control lines) is empty; choose a layer with control zones.", layer=cname)
        )
    require_field(controls, kind_field, tr("the kind of each control zone"))
    input_id_field = require_field(proposal, input_id_field, tr("input id"), optional=True)
    try:
        tolerance = float(tolerance)
    except (TypeError, ValueError):
        raise InputError(
            tr(
                "Tolerance {value} is not a number; give an area in m² (e.g. 1.0).",
                value=repr(tolerance),
            )
        ) from None
    if not math.isfinite(tolerance) or tolerance < 0:
        raise InputError(
            tr("Tolerance {tolerance} m² must be a finite area of 0 or more (e.g. 1.0).", tolerance=tolerance)
        )
    reg = _registry(registry)
    return input_id_field, tolerance, reg


def _measure(proposal, controls, measure_crs, cname, fb, note, pname, warn):
    """Takes both layers and the measuring-CRS choice; gives the measuring CRS and both layers in it (notes
    the reprojection). Hands on fb, note, warn, pname, cname, measure together as ``run``.
    """
    # --- CRS: measure in the proposal's projected CRS; controls follow the proposal -------------
    # (one measuring CRS per project run: the officer's choice, else the proposal's projected CRS,
    # else the controls', else the national or local projection; see crs.project_measurement_crs)
    if proposal.crs is None:
        measurement_crs(None, proposal.total_bounds, pname)  # raises: names the layer
    measure = project_measurement_crs(proposal, controls, choice=measure_crs)
    proposal = to_crs(proposal, measure.crs)
    note(measure.note)
    controls, msg = match_crs(
        controls, measure, layer=cname, to_what=tr("the proposal '{layer}'", layer=pname)
    )
    if msg:
        note(msg)
    fb.progress(5)
    fb.check()
    return (
        measure,
        proposal,
        controls,
        SimpleNamespace(fb=fb, note=note, warn=warn, pname=pname, cname=cname, measure=measure),
    )


def _zone_kinds(controls, kind_field, far_zones, reg, run):
    """Takes the control layer, the zones away from every proposal and the registry; gives the zone ids,
    each zone's and each far zone's kind, the registry's kinds and the raw zone geometries with which
    are present (raises when no zone is a polygon). Hands on zone_fids, kind_list, kind_pos, zkind,
    far_kind, zraw, zpresent together as ``zones``.
    """
    cname = run.cname
    # --- kinds, ids, clean geometries ------------------------------------------------------------
    zone_fids = np.asarray(controls.index.to_numpy(), dtype=object)
    zone_values = column_values(controls, kind_field)
    if far_zones is None:
        far_zones = pd.Series([], dtype=object)
    elif isinstance(far_zones, pd.DataFrame):
        far_zones = far_zones[kind_field]
    far_fids = np.asarray(far_zones.index.to_numpy(), dtype=object)
    far_values = np.asarray(far_zones.to_numpy(), dtype=object)
    all_keys = reg.resolve(
        np.concatenate([zone_values, far_values]),
        np.concatenate([zone_fids, far_fids]),
        layer=cname,
        field_name=kind_field,
    )
    zone_keys, far_keys = all_keys[: len(zone_fids)], all_keys[len(zone_fids) :]
    kind_list = list(reg.kinds.values())
    kind_pos = {k.key: n for n, k in enumerate(kind_list)}
    zkind = np.array([kind_pos[k] for k in zone_keys], dtype=np.int64)
    far_kind = np.array([kind_pos[k] for k in far_keys], dtype=np.int64)
    zraw = np.asarray(controls.geometry.values, dtype=object)
    zpresent = ~(shapely.is_missing(zraw) | shapely.is_empty(zraw))
    if zpresent.any() and not np.isin(shapely.get_type_id(zraw[zpresent]), (3, 6, 7)).any():
        raise LayerError(
            tr("Layer '{layer}' holds no polygons; choose the polygon layer of control zones.", layer=cname)
        )
    return SimpleNamespace(
        zone_fids=zone_fids,
        kind_list=kind_list,
        kind_pos=kind_pos,
        zkind=zkind,
        far_kind=far_kind,
        zraw=zraw,
        zpresent=zpresent,
    )


def _inputs(proposal, input_id_field, run):
    """Takes the proposal layer; gives its inputs (features sharing an id are one input), their geometries,
    which are valid and their areas (warns of repairs, notes shared ids).
    """
    fb, measure, note, pname, warn = run.fb, run.measure, run.note, run.pname, run.warn
    feature_ids = _input_ids(proposal, input_id_field, pname)
    fgeoms, frep = clean_polygons(proposal.geometry.values, feature_ids.tolist(), pname)
    for m in frep.messages():
        warn(m)
    fb.progress(15)
    fb.check()

    codes, uniq = pd.factorize(pd.Series(feature_ids, dtype=object), use_na_sentinel=False)
    inputs = np.asarray(uniq, dtype=object)
    n_in = len(inputs)
    if n_in < len(feature_ids):
        shared = pd.Series(codes).value_counts()
        shared = shared[shared > 1]
        note(
            trn(
                "Layer '{layer}': {features} features share {n} id in '{field}' ({shared}); "
                "features with one id are checked as one input.",
                "Layer '{layer}': {features} features share {n} ids in '{field}' ({shared}); "
                "features with one id are checked as one input.",
                len(shared),
                layer=pname,
                features=int(shared.sum()),
                field=input_id_field,
                shared=_zone_list([inputs[c] for c in shared.index], message=True),
            )
        )
        igeoms = np.empty(n_in, dtype=object)
        for c in range(n_in):
            parts = fgeoms[codes == c]
            parts = parts[~shapely.is_missing(parts)]
            if len(parts) == 1:
                igeoms[c] = parts[0]
            elif len(parts) > 1:
                igeoms[c] = polygonal_part(shapely.union_all(parts))
    else:
        igeoms = np.asarray(fgeoms, dtype=object)
    ivalid = np.flatnonzero(~shapely.is_missing(igeoms))
    input_area = np.zeros(n_in)
    input_area[ivalid] = shapely.area(igeoms[ivalid]) * measure.area_factor
    return inputs, n_in, igeoms, ivalid, input_area


def _kind_notes(run, zones):
    """Takes the zones' kinds; gives the kinds present and their names (notes them, warns of a must-lie-
    inside kind with no zone).
    """
    cname, note, warn = run.cname, run.note, run.warn
    far_kind, kind_list, kind_pos, zkind, zpresent = (
        zones.far_kind,
        zones.kind_list,
        zones.kind_pos,
        zones.zkind,
        zones.zpresent,
    )
    present_kinds = sorted(set(zkind[zpresent].tolist()) | set(far_kind.tolist()))
    kinds_checked = [kind_list[k].name for k in present_kinds]
    zone_count = int(zpresent.sum()) + len(far_kind)
    kinds_text = ", ".join(kinds_checked) or tr("(none)")
    zones_text = trn("{n} zone", "{n} zones", zone_count)
    if len(far_kind):
        note(
            trn(
                "Layer '{layer}': {zones} of {n} kind: {names} ({far} of them away from every "
                "proposal, whose kinds alone were read).",
                "Layer '{layer}': {zones} of {n} kinds: {names} ({far} of them away from every "
                "proposal, whose kinds alone were read).",
                len(kinds_checked),
                layer=cname,
                zones=zones_text,
                names=kinds_text,
                far=len(far_kind),
            )
        )
    else:
        note(
            trn(
                "Layer '{layer}': {zones} of {n} kind: {names}.",
                "Layer '{layer}': {zones} of {n} kinds: {names}.",
                len(kinds_checked),
                layer=cname,
                zones=zones_text,
                names=kinds_text,
            )
        )
    for k in kind_list:
        if k.rule_type == "must_lie_inside" and kind_pos[k.key] not in present_kinds:
            warn(
                tr(
                    "Layer '{layer}' has no zone of kind {kind}; the rule that proposals must lie inside it "
                    "was not checked. Add those zones to the control layer to check it.",
                    layer=cname,
                    kind=k.label,
                )
            )
    return present_kinds, kinds_checked


def _pairs(igeoms, ivalid, run, zones):
    """Takes the input and zone geometries; gives the intersecting pairs (input row, zone row) and the zone
    geometries near an input, repaired and prepared (warns of points and lines).
    """
    cname, fb, warn = run.cname, run.fb, run.warn
    zone_fids, zpresent, zraw = zones.zone_fids, zones.zpresent, zones.zraw
    # --- pairs input × zone ------------------------------------------------------------------------
    # candidates by bounding box; only the zones near an input are repaired
    zvalid = np.flatnonzero(zpresent)
    tree = shapely.STRtree(zraw[zvalid])
    qi, qz = tree.query(igeoms[ivalid])
    ii, zi = ivalid[qi], zvalid[qz]
    near = np.unique(zi)
    zgeoms = np.empty(len(zraw), dtype=object)
    lines = near[~np.isin(shapely.get_type_id(zraw[near]), (3, 6, 7))]
    if len(lines):
        warn(
            trn(
                "Layer '{layer}': {n} feature near the proposal is a point or line, not a zone, "
                "and was ignored: {features}.",
                "Layer '{layer}': {n} features near the proposal are points or lines, not zones, "
                "and were ignored: {features}.",
                len(lines),
                layer=cname,
                features=_zone_list(zone_fids[lines].tolist(), message=True),
            )
        )
        near = np.setdiff1d(near, lines)
    if len(near):
        zgeoms[near], zrep = clean_polygons(zraw[near], zone_fids[near].tolist(), cname)
        for m in zrep.messages():
            warn(tr("{message} (Only zones near the proposal are checked.)", message=m))
    keep = ~shapely.is_missing(zgeoms[zi])
    ii, zi = ii[keep], zi[keep]
    # a prepared geometry pays off when tested more than once: every input is (it is small), a zone
    # only when several inputs meet it (large zones such as a development boundary)
    # (copies: the caller's geometries are never prepared, see prepared_copies)
    igeoms[ivalid] = prepared_copies(igeoms[ivalid])
    shared = np.bincount(zi, minlength=len(zraw))[zi] > 1
    reused = np.unique(zi[shared])
    zgeoms[reused] = prepared_copies(zgeoms[reused])
    keep = np.empty(len(ii), dtype=bool)
    # (on every core, each prepared geometry in one thread only: see chunked_groups)
    keep[shared] = chunked_groups(shapely.intersects, zi[shared], zgeoms[zi[shared]], igeoms[ii[shared]])
    keep[~shared] = chunked_groups(shapely.intersects, ii[~shared], igeoms[ii[~shared]], zgeoms[zi[~shared]])
    ii, zi = ii[keep], zi[keep]
    fb.progress(30)
    fb.check()
    return ii, zi, zgeoms


def _group_pairs(igeoms, ii, zgeoms, zi, run, zones):
    """Takes the pairs; gives them sorted and grouped by input × kind with which contain which, the overlay
    helper and the groups' inputs, kinds and rule types. Hands on zone_in, input_in, ii, zi, keys,
    starts, counts, g_input, g_kind, g_full, pair_group, rule_inside, g_inside together as ``groups``.
    """
    fb = run.fb
    kind_list, zkind = zones.kind_list, zones.zkind
    zone_in = chunked_groups(shapely.contains_properly, ii, igeoms[ii], zgeoms[zi])  # zone inside the input
    input_in = np.zeros(len(ii), dtype=bool)  # input wholly inside the zone
    rest = np.flatnonzero(~zone_in)
    input_in[rest] = chunked_groups(shapely.contains_properly, zi[rest], zgeoms[zi[rest]], igeoms[ii[rest]])

    overlay = _Overlays()

    # group the pairs by input × kind
    nk = len(kind_list)
    pkind = zkind[zi]
    order = np.lexsort((zi, pkind, ii))
    ii, zi, pkind, zone_in, input_in = ii[order], zi[order], pkind[order], zone_in[order], input_in[order]
    gkey = ii.astype(np.int64) * nk + pkind
    keys, starts, counts = np.unique(gkey, return_index=True, return_counts=True)
    g_input, g_kind = keys // nk, keys % nk
    g_full = np.logical_or.reduceat(input_in, starts) if len(keys) else np.zeros(0, dtype=bool)
    pair_group = np.repeat(np.arange(len(keys)), counts)
    rule_inside = np.array([k.rule_type == "must_lie_inside" for k in kind_list], dtype=bool)
    g_inside = rule_inside[g_kind]
    fb.progress(40)
    fb.check()
    return overlay, SimpleNamespace(
        zone_in=zone_in,
        input_in=input_in,
        ii=ii,
        zi=zi,
        keys=keys,
        starts=starts,
        counts=counts,
        g_input=g_input,
        g_kind=g_kind,
        g_full=g_full,
        pair_group=pair_group,
        rule_inside=rule_inside,
        g_inside=g_inside,
    )


def _must_not_overlap(igeoms, inputs, overlay, zgeoms, run, groups, zones):
    """Takes the grouped pairs; gives each group's conflict geometry (the input inside the union of the
    kind's zones) and which pairs the conflict traces back to.
    """
    fb = run.fb
    g_full, g_input, g_inside, ii, input_in, keys, pair_group, zi, zone_in = (
        groups.g_full,
        groups.g_input,
        groups.g_inside,
        groups.ii,
        groups.input_in,
        groups.keys,
        groups.pair_group,
        groups.zi,
        groups.zone_in,
    )
    zone_fids = zones.zone_fids
    # --- must not overlap: the part of the input inside the union of the kind's zones --------------
    # a zone inside the input is taken whole, an input inside a zone is taken whole (and makes the
    # whole input the conflict of that kind); only pairs whose edges cross are clipped.
    g_geom = np.empty(len(keys), dtype=object)
    nov = ~g_inside[pair_group] & ~g_full[pair_group]
    piece = np.empty(len(ii), dtype=object)
    take = nov & zone_in
    piece[take] = zgeoms[zi[take]]
    cross = np.flatnonzero(nov & ~zone_in)
    if len(cross):
        piece[cross] = _polygonal(
            overlay(
                shapely.intersection,
                igeoms[ii[cross]],
                zgeoms[zi[cross]],
                tr("intersection of a proposal and a zone"),
                lambda k: tr(
                    "proposal {proposal}, zone {zone}",
                    proposal=inputs[ii[cross[k]]],
                    zone=zone_fids[zi[cross[k]]],
                ),
            )
        )
    fb.progress(60)
    fb.check()
    sel = np.flatnonzero(nov & ~shapely.is_missing(piece))  # touching along an edge leaves no piece
    g_geom[:] = _grouped_union(piece[sel], pair_group[sel], len(keys), overlay)
    full_nov = g_full & ~g_inside
    g_geom[full_nov] = igeoms[g_input[full_nov]]
    # the zones each conflict traces back to: those whose interior meets the input (not touching)
    hit = np.zeros(len(ii), dtype=bool)
    hit[sel] = True
    hit[g_full[pair_group] & input_in] = True
    fb.progress(75)
    fb.check()
    return g_geom, hit


def _must_lie_inside(g_geom, hit, igeoms, ivalid, n_in, overlay, present_kinds, zgeoms, run, groups):
    """Takes the groups; gives the blocks of conflict rows, must-lie-inside kinds added as the part of the
    input outside their zones (marks the pairs they trace back to).
    """
    fb = run.fb
    g_full, g_input, g_inside, g_kind, ii, pair_group, rule_inside, zi, zone_in = (
        groups.g_full,
        groups.g_input,
        groups.g_inside,
        groups.g_kind,
        groups.ii,
        groups.pair_group,
        groups.rule_inside,
        groups.zi,
        groups.zone_in,
    )
    # --- rows: one per input × kind with a conflict --------------------------------------------------
    # (input, kind, geometry, group of the pairs or -1, whether the conflict is the whole input)
    gsel = np.flatnonzero(~g_inside)
    blocks = [(g_input[gsel], g_kind[gsel], g_geom[gsel], gsel, g_full[gsel])]

    # must lie inside: the part of the input outside the union of the kind's zones
    for k in present_kinds:
        if not rule_inside[k]:
            continue
        gsel = np.flatnonzero((g_kind == k) & ~g_full)
        psel = np.flatnonzero(np.isin(pair_group, gsel))
        outside = _grouped_difference(
            igeoms[g_input[gsel]], pair_group[psel], gsel, zgeoms[zi[psel]], overlay
        )
        interiors_meet = chunked_groups(_interiors_meet, ii[psel], igeoms[ii[psel]], zgeoms[zi[psel]])
        hit[psel] = zone_in[psel] | interiors_meet
        blocks.append((g_input[gsel], np.full(len(gsel), k), outside, gsel, np.zeros(len(gsel), dtype=bool)))
        met = np.zeros(n_in, dtype=bool)
        met[g_input[g_kind == k]] = True
        away = ivalid[~met[ivalid]]  # meets no zone of the kind: wholly outside
        blocks.append(
            (away, np.full(len(away), k), igeoms[away], np.full(len(away), -1), np.ones(len(away), bool))
        )
    fb.progress(85)
    fb.check()
    return blocks


def _rows(tolerance, blocks, hit, input_area, groups, zones, run):
    """Takes the blocks of rows; gives the rows in order with their zones, areas, severities (slivers
    marked) and shares of the input. Hands on rows_input, rows_kind, rows_geom, rows_whole, rows_zones,
    area, severity, sliver, share together as ``rows``.
    """
    counts, starts, zi = groups.counts, groups.starts, groups.zi
    kind_list = zones.kind_list
    measure = run.measure
    rows_input, rows_kind, rows_geom, rows_group, rows_whole = (
        np.concatenate([np.asarray(b[n], dtype=dt) for b in blocks])
        for n, dt in enumerate((np.int64, np.int64, object, np.int64, bool))
    )
    order = np.lexsort((rows_kind, rows_input))
    order = order[~shapely.is_missing(rows_geom[order])]
    rows_input, rows_kind, rows_geom, rows_group, rows_whole = (
        rows_input[order],
        rows_kind[order],
        rows_geom[order],
        rows_group[order],
        rows_whole[order],
    )
    ends = starts + counts
    rows_zones = [zi[starts[g] : ends[g]][hit[starts[g] : ends[g]]] if g >= 0 else zi[:0] for g in rows_group]
    area = shapely.area(rows_geom) * measure.area_factor if len(rows_geom) else np.zeros(0)
    severity = np.array([kind_list[k].severity for k in rows_kind], dtype=object)
    sliver = area < tolerance
    severity[sliver] = SLIVER
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(input_area[rows_input] > 0, area / input_area[rows_input], np.nan)
    return SimpleNamespace(
        rows_input=rows_input,
        rows_kind=rows_kind,
        rows_geom=rows_geom,
        rows_whole=rows_whole,
        rows_zones=rows_zones,
        area=area,
        severity=severity,
        sliver=sliver,
        share=share,
    )


def _conflicts_frame(tolerance, inputs, rows, zones, run):
    """Takes the rows; gives the conflicts frame with each kind's rule, source and adjustment (notes the
    slivers).
    """
    area, rows_geom, rows_input, rows_kind, rows_zones, severity, share, sliver = (
        rows.area,
        rows.rows_geom,
        rows.rows_input,
        rows.rows_kind,
        rows.rows_zones,
        rows.severity,
        rows.share,
        rows.sliver,
    )
    kind_list, zone_fids = zones.kind_list, zones.zone_fids
    measure, note = run.measure, run.note

    def attr(name):
        return pd.Series(
            np.array([getattr(k, name) for k in kind_list], dtype=object)[rows_kind], dtype=object
        )

    conflicts = gpd.GeoDataFrame(
        {
            "input_id": pd.Series(inputs[rows_input], dtype=object).infer_objects(),
            "kind": attr("name"),
            "severity": pd.Series(severity, dtype=object),
            "conflict_area": pd.Series(area, dtype=float),
            "input_share": pd.Series(share, dtype=float),
            "rule": attr("rule"),
            "source": attr("source"),
            "verified": pd.Series(np.array([k.verified for k in kind_list], dtype=bool)[rows_kind]),
            "kind_en": attr("name_en"),
            "rule_type": attr("rule_type"),
            "rule_en": attr("rule_en"),
            "adjustment": attr("adjustment"),
            "adjustment_en": attr("adjustment_en"),
            "zone_ids": pd.Series([_zone_list(zone_fids[z].tolist()) for z in rows_zones], dtype=object),
        },
        geometry=gpd.GeoSeries(rows_geom, crs=measure.crs),
        crs=measure.crs,
    )
    if sliver.any():
        note(
            trn(
                "{n} overlap smaller than the tolerance of {tolerance:g} m² reported with severity "
                "'{severity}' ({area:.4f} m² in all); it does not change a verdict.",
                "{n} overlaps smaller than the tolerance of {tolerance:g} m² reported with severity "
                "'{severity}' ({area:.4f} m² in all); they do not change a verdict.",
                int(sliver.sum()),
                tolerance=tolerance,
                severity=SLIVER,
                area=float(area[sliver].sum()),
            )
        )
    return conflicts


def _verdicts(conflicts, input_area, inputs, n_in, overlay, run, rows):
    """Takes the rows and the conflicts frame; gives the per-input summary with its verdicts (warns of
    snapped overlays, notes the verdict counts).
    """
    cname, measure, note, pname, warn = run.cname, run.measure, run.note, run.pname, run.warn
    rows_geom, rows_input, rows_whole, severity = (
        rows.rows_geom,
        rows.rows_input,
        rows.rows_whole,
        rows.severity,
    )
    summary = _summary(
        inputs, input_area, rows_input, rows_geom, rows_whole, severity, conflicts, measure, overlay
    )
    if overlay.snapped:
        warn(
            trn(
                "{n} overlay with nearly coincident edges was computed on a grid of {grid:g} CRS "
                "units (0.1 mm for metres) because GEOS could not compute it exactly; the area changes "
                "far below legal precision.",
                "{n} overlays with nearly coincident edges were computed on a grid of {grid:g} CRS "
                "units (0.1 mm for metres) because GEOS could not compute them exactly; the areas change "
                "far below legal precision.",
                overlay.snapped,
                grid=_SNAP,
            )
        )
    counts = summary["verdict"].value_counts()
    note(
        trn(
            "{n} input of '{layer}' checked against '{controls}': {blocked} blocked, {review} review, "
            "{clear} clear.",
            "{n} inputs of '{layer}' checked against '{controls}': {blocked} blocked, {review} review, "
            "{clear} clear.",
            n_in,
            layer=pname,
            controls=cname,
            blocked=int(counts.get("blocked", 0)),
            review=int(counts.get("review", 0)),
            clear=int(counts.get("clear", 0)),
        )
    )
    return summary


def _summary(inputs, input_area, rows_input, rows_geom, rows_whole, severity, conflicts, measure, overlay):
    """Per input: area under conflicts of each severity (kinds unioned), verdict, kinds.

    An input with a conflict that is the whole input has the input's area under that severity; the
    other inputs' conflicts of a severity are unioned (land under two kinds counted once).
    """
    n_in = len(inputs)
    out = {"input_id": pd.Series(inputs, dtype=object).infer_objects()}
    for sev in (*SEVERITIES, SLIVER):
        sel = np.flatnonzero(severity == sev)  # rows are sorted by input
        totals = np.zeros(n_in)
        if len(sel):
            whole = np.zeros(n_in, dtype=bool)
            whole[rows_input[sel[rows_whole[sel]]]] = True
            sel = sel[~whole[rows_input[sel]]]
            union = _grouped_union(rows_geom[sel], rows_input[sel], n_in, overlay)
            has = ~shapely.is_missing(union)
            totals[has] = shapely.area(union[has]) * measure.area_factor
            totals[whole] = input_area[whole]
        out[f"{sev}_area"] = totals
    verdict = np.full(n_in, "clear", dtype=object)
    verdict[out["review_area"] > 0] = "review"
    verdict[out["blocking_area"] > 0] = "blocked"
    kinds = [[] for _ in range(n_in)]
    for i, kind, sev in zip(rows_input, conflicts["kind"], severity):
        if sev != SLIVER:
            kinds[i].append(kind)
    return pd.DataFrame(
        {
            "input_id": out["input_id"],
            "blocking_area": out["blocking_area"],
            "review_area": out["review_area"],
            "advisory_area": out["advisory_area"],
            "verdict": pd.Series(verdict, dtype=object),
            "sliver_area": out["sliver_area"],
            "input_area": input_area,
            "kinds": pd.Series(["; ".join(k) for k in kinds], dtype=object),
            # the run's one measuring CRS, as every output states it (issue 19)
            "measured": pd.Series([measure.statement()] * n_in, dtype=object),
        },
        columns=SUMMARY_COLUMNS,
    )
