"""Retained-land quota (留用地) with a trail that traces every figure to a rule and its source.

From the parcel pieces of :func:`~landcoord.allocation.affected.affected_area` (one row per parcel
× project), a status map (which legal statuses are legal land, uncompensated land or state land), an
optional community field, optional buildings (floor area, for the existing FAR), an optional zoning
layer (for geometric entry conditions) and a rule set (:mod:`.rules`), :func:`retained_quota`
computes, per project and community, one trail row per calculation step: the data quantities, each
rule value where it is first used, each formula, the verdict (official or not, and why) and the
results: the retained-land quota, the planned floor area and the land left to the government.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import box
>>> pieces = gpd.GeoDataFrame(
...     {"project": ["P1", "P1"], "parcel_id": ["A", "B"], "holder": ["X", "Y"],
...      "status": ["房地产证", "未完善征转手续"], "piece_area": [4000.0, 6000.0]},
...     geometry=[box(0, 0, 40, 100), box(40, 0, 100, 100)], crs=4547)
>>> r = retained_quota(pieces, "guangdong_2016",
...                    given={"resettlement_area": 0, "retained_ratio": 0.12, "plot_far": 2.0})
>>> r.summary[["project", "retained_area", "planned_floor_area", "government_land"]].values.tolist()
[['P1', 1200.0, 2400.0, 8800.0]]
>>> bool(r.official)  # numbers given by the caller are not verified
False
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ._crs_plausible import check_coordinates
from ._quantities import check_areas
from .crs import measurement_crs, to_crs
from .errors import FieldError, LayerError, RuleError
from .feedback import Feedback
from .geometry import clean_polygons, polygonal_part
from .i18n import tr, trn
from .io.files import column_values, layer_name, read_table
from .rules import CATEGORIES, DATA_QUANTITIES, Evaluation, Quantity, RuleSet, TrailRow, evaluate, load_rules
from .rules.toml import key_lines, line_of
from .rules.toml import loads as toml_loads

__all__ = [
    "DEFAULT_STATUS_MAP",
    "PIECE_FIELDS",
    "TRAIL_COLUMNS",
    "SUMMARY_COLUMNS",
    "QuotaResult",
    "load_status_map",
    "attach_community",
    "building_floor_by_piece",
    "land_area",
    "class_matches",
    "largest_block",
    "retained_quota",
]

#: Legal status -> land category, for the statuses of docs/domain.md (glossary, "legal land").
DEFAULT_STATUS_MAP = {
    "房地产证": "legal",
    "出让合同": "legal",
    "非农建设用地": "legal",
    "征地返还用地": "legal",
    "历史遗留违法建筑确认": "legal",
    "旧屋村": "legal",
    "未完善征转手续": "uncompensated",
    "国有储备用地": "state",
}

#: Fields the pieces layer must have (as written by ``landcoord:affectedarea``).
PIECE_FIELDS = ("project", "parcel_id", "holder", "status", "piece_area")

TRAIL_COLUMNS = [
    "project",
    "community",
    "item",
    "quantity",
    "value",
    "unit",
    "rule",
    "source",
    "verified",
    "note",
]
SUMMARY_COLUMNS = [
    "project",
    "community",
    "land_area",
    "retained_area",
    "planned_floor_area",
    "government_land",
    "official",
    "blocking",
]
_CATEGORY_LABEL = {
    "legal": "合法用地 legal land",
    "uncompensated": "未完善征转手续用地 uncompensated land",
    "state": "国有用地 state land",
}


@dataclass
class QuotaResult:
    """What :func:`retained_quota` computes.

    Attributes
    ----------
    trail : DataFrame
        :data:`TRAIL_COLUMNS`; per project and community, the steps top to bottom.
    summary : DataFrame
        :data:`SUMMARY_COLUMNS`; one row per project and community.
    official : bool
        True only if every block's results are verified and its conditions met.
    rules : RuleSet
    warnings : list of str
    """

    trail: pd.DataFrame
    summary: pd.DataFrame
    official: bool
    rules: RuleSet
    warnings: list = field(default_factory=list)
    #: per missing input layer (``BUILDINGS``, ``ZONING``): (quantities not computed, blocks whose
    #: retained-land result is empty because of it)
    missing: dict = field(default_factory=dict)

    def layers(self) -> dict:
        return {"quota_trail": self.trail, "quota_summary": self.summary}


# ---------------------------------------------------------------------------------------------
# status map
# ---------------------------------------------------------------------------------------------


def load_status_map(source=None) -> tuple[dict, str]:
    """The status map: :data:`DEFAULT_STATUS_MAP` updated by ``source``.

    Parameters
    ----------
    source : None, mapping, DataFrame, or path
        A mapping status -> category; a table (DataFrame, CSV, XLSX) with columns ``status`` and
        ``category``; or a TOML file with a ``[status_map]`` table (``"房地产证" = "legal"``).
        Categories: ``legal``, ``uncompensated``, ``state``.

    Returns
    -------
    (dict, str)
        The map and a description of where it came from (for the trail).

    Examples
    --------
    >>> m, how = load_status_map({"权属争议": "uncompensated"})
    >>> m["权属争议"], m["房地产证"], how
    ('uncompensated', 'legal', 'default (docs/domain.md) updated by a table of 1 status(es)')
    """
    out = dict(DEFAULT_STATUS_MAP)
    if source is None or (isinstance(source, str) and not source):
        return out, "default (docs/domain.md)"
    if isinstance(source, Mapping):
        bad = {k: v for k, v in source.items() if v not in CATEGORIES}
        if bad:
            k, v = next(iter(bad.items()))
            raise RuleError(
                tr(
                    "Status map: status '{status}' has category '{category}'; use one of {categories}.",
                    status=k,
                    category=v,
                    categories=", ".join(CATEGORIES),
                )
            )
        out.update({str(k): v for k, v in source.items()})
        return out, f"default (docs/domain.md) updated by a table of {len(source)} status(es)"
    if isinstance(source, pd.DataFrame):
        return _status_table(source, "table", out)
    path = Path(os.fspath(source).split("|")[0])
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            text = path.read_text(encoding="utf-8")
            data = toml_loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RuleError(
                tr("Status map '{path}' cannot be read: {error}.", path=path, error=exc)
            ) from None
        table = data.get("status_map")
        if not isinstance(table, dict):
            raise RuleError(
                tr(
                    "Status map '{path}': a [status_map] table is missing "
                    '(lines like "房地产证" = "legal").',
                    path=path,
                )
            )
        lines = key_lines(text)
        for k, v in table.items():
            if v not in CATEGORIES:
                raise RuleError(
                    tr(
                        "Status map '{file}' line {line}: status_map.{status}: "
                        "category '{category}' is not one of {categories}.",
                        file=path.name,
                        line=line_of(lines, ("status_map", k)),
                        status=k,
                        category=v,
                        categories=", ".join(CATEGORIES),
                    )
                )
        out.update(table)
        return out, f"default (docs/domain.md) updated by {path.name}"
    df = read_table(source)
    return _status_table(df, path.name, out)


def _status_table(df: pd.DataFrame, name: str, out: dict) -> tuple[dict, str]:
    cols = {str(c).strip().lower(): c for c in df.columns}
    for need in ("status", "category"):
        if need not in cols:
            raise FieldError(name, need, list(df.columns), expected=None)
    seen: dict = {}
    for i, (s, c) in enumerate(zip(df[cols["status"]], df[cols["category"]])):
        row = i + 2  # header is line 1 of a CSV
        if s is None or (isinstance(s, float) and np.isnan(s)) or str(s).strip() == "":
            raise RuleError(tr("Status map '{name}' row {row}: the status is empty.", name=name, row=row))
        s = str(s).strip()
        c = "" if c is None or (isinstance(c, float) and np.isnan(c)) else str(c).strip().lower()
        if c not in CATEGORIES:
            raise RuleError(
                tr(
                    "Status map '{name}' row {row}: status '{status}' has category '{category}'; "
                    "use one of {categories}.",
                    name=name,
                    row=row,
                    status=s,
                    category=c,
                    categories=", ".join(CATEGORIES),
                )
            )
        if s in seen and seen[s][0] != c:
            raise RuleError(
                tr(
                    "Status map '{name}' rows {first_row} and {row}: status '{status}' is mapped to both "
                    "'{first_category}' and '{category}'.",
                    name=name,
                    first_row=seen[s][1],
                    row=row,
                    status=s,
                    first_category=seen[s][0],
                    category=c,
                )
            )
        seen[s] = (c, row)
        out[s] = c
    return out, f"default (docs/domain.md) updated by {name}"


# ---------------------------------------------------------------------------------------------
# community
# ---------------------------------------------------------------------------------------------


def attach_community(pieces, parcels, *, parcel_field: str, community_field: str, feedback=None):
    """A copy of ``pieces`` with a ``community`` column joined from the parcels by parcel id.

    Pieces whose parcel is not found (a warning) or has no community get None.
    """
    fb = feedback or Feedback()
    for f in (parcel_field, community_field):
        if f not in parcels.columns:
            raise FieldError(layer_name(parcels), f, [c for c in parcels.columns if c != "geometry"])
    ids = column_values(parcels, parcel_field)
    comm = column_values(parcels, community_field)
    lookup: dict = {}
    clash = set()
    for i, c in zip(ids, comm):
        if i in lookup and lookup[i] != c:
            clash.add(i)
        lookup[i] = c
    if clash:
        raise LayerError(
            trn(
                "Layer '{layer}': {n} parcel id has more than one community in '{field}': {ids}; "
                "make it unique.",
                "Layer '{layer}': {n} parcel ids have more than one community in '{field}': {ids}; "
                "make them unique.",
                len(clash),
                layer=layer_name(parcels),
                ids=sorted(map(str, clash))[:10],
                field=community_field,
            )
        )
    out = pieces.copy()
    out.attrs = dict(pieces.attrs)
    pids = column_values(pieces, "parcel_id")
    out["community"] = [lookup.get(p) for p in pids]
    unmatched = sorted({str(p) for p in pids if p not in lookup})
    if unmatched:
        fb.warning(
            trn(
                "{n} piece has a parcel id not found in '{layer}.{field}': {ids}. It gets no community.",
                "{n} pieces have a parcel id not found in '{layer}.{field}': {ids}. They get no community.",
                len(unmatched),
                layer=layer_name(parcels),
                field=parcel_field,
                ids=", ".join(unmatched[:20]) + (" ..." if len(unmatched) > 20 else ""),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# buildings
# ---------------------------------------------------------------------------------------------


def _projected(frame, target_crs, what, fb):
    if frame.crs is None:
        if what == "buildings":
            msg = tr(
                "Layer '{layer}' (buildings) has no coordinate reference system; set it.",
                layer=layer_name(frame),
            )
        else:
            msg = tr(
                "Layer '{layer}' (zoning) has no coordinate reference system; set it.",
                layer=layer_name(frame),
            )
        raise LayerError(msg)
    if target_crs is not None and not pyproj.CRS(frame.crs).equals(target_crs):
        fb.info(
            tr(
                "Layer '{layer}' reprojected to {crs} to match the pieces.",
                layer=layer_name(frame),
                crs=target_crs.name,
            )
        )
        frame = to_crs(frame, target_crs)
    return frame


def _piece_crs(pieces):
    if pieces.crs is None:
        raise LayerError(
            tr(
                "Layer '{layer}' (pieces) has no coordinate reference system; set it.",
                layer=layer_name(pieces),
            )
        )
    crs = pyproj.CRS(pieces.crs)
    if crs.is_projected:
        check_coordinates(crs, pieces.total_bounds if len(pieces) else None, layer_name(pieces))
        return pieces, crs, 1.0
    m = measurement_crs(crs, pieces.total_bounds, layer_name(pieces))
    return to_crs(pieces, m.crs), m.crs, m.area_factor


def building_floor_by_piece(
    pieces, buildings, *, floor_field: str, status_field: str | None = None, feedback=None
) -> tuple[pd.DataFrame, dict]:
    """Split each building's floor area over the pieces by the share of its footprint in them.

    Parameters
    ----------
    pieces : GeoDataFrame
        The parcel pieces (index = piece id).
    buildings : GeoDataFrame
        Building footprints with a floor-area field (建筑面积).
    floor_field : str
        Numeric field with the building's total floor area in m².
    status_field : str, optional
        Legal status of the building (合法状态), carried to the result.

    Returns
    -------
    (DataFrame, dict)
        Rows ``piece`` (index label of ``pieces``), ``building`` (index label), ``floor_area``,
        ``status``; and totals: ``total`` (floor area of all buildings with a floor area),
        ``inside`` (allocated to pieces), ``outside`` (on no piece), ``missing`` (building ids
        without a floor area).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> pcs = gpd.GeoDataFrame({"x": [1, 2]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=4547)
    >>> b = gpd.GeoDataFrame({"fa": [300.0]}, geometry=[box(5, 0, 15, 10)], crs=4547)
    >>> rows, tot = building_floor_by_piece(pcs, b, floor_field="fa")
    >>> rows.floor_area.tolist(), tot["inside"]
    ([150.0, 150.0], 300.0)
    """
    fb = feedback or Feedback()
    bname = layer_name(buildings)
    pieces, buildings, floor, missing = _floor_values(pieces, buildings, floor_field, status_field, bname, fb)
    use, footprint, rows = _floor_overlay(pieces, buildings, status_field, bname, fb, floor)
    total = float(np.nansum(floor[use]))
    zero_fp = [buildings.index[i] for i in use if footprint[i] == 0 and floor[i] > 0]
    if zero_fp:
        fb.warning(
            trn(
                "Layer '{layer}': {n} building has no footprint area and is left out: {ids}.",
                "Layer '{layer}': {n} buildings have no footprint area and are left out: {ids}.",
                len(zero_fp),
                layer=bname,
                ids=zero_fp[:10],
            )
        )
    inside = float(rows.floor_area.sum())
    return rows, {"total": total, "inside": inside, "outside": total - inside, "missing": missing}


def _floor_values(pieces, buildings, floor_field, status_field, bname, fb):
    """Takes the buildings and their floor-area field; gives the pieces and buildings in one CRS, each
    building's floor area (NaN when empty) and the buildings without one (raises on a missing field,
    text or a negative area; warns of the empty ones).
    """
    if floor_field not in buildings.columns:
        raise FieldError(bname, floor_field, [c for c in buildings.columns if c != buildings.geometry.name])
    if status_field and status_field not in buildings.columns:
        raise FieldError(bname, status_field, [c for c in buildings.columns if c != buildings.geometry.name])
    pieces, crs, _ = _piece_crs(pieces)
    buildings = _projected(buildings, crs, "buildings", fb)
    raw = buildings[floor_field]
    floor = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    check_areas(floor, buildings.index, layer=bname, field=floor_field)
    bad = [
        i for i, r, f in zip(buildings.index, raw, floor) if np.isnan(f) and r is not None and not pd.isna(r)
    ]
    if bad:
        raise FieldError(
            bname,
            floor_field,
            [c for c in buildings.columns if c != buildings.geometry.name],
            expected=trn(
                "a number for every building (not a number for {n} feature: {features})",
                "a number for every building (not a number for {n} features: {features})",
                len(bad),
                features=bad[:10],
            ),
        )
    if (floor < 0).any():
        neg = list(buildings.index[floor < 0][:10])
        raise LayerError(
            trn(
                "Layer '{layer}': field '{field}' is negative for {n} feature: {features}.",
                "Layer '{layer}': field '{field}' is negative for {n} features: {features}.",
                int((floor < 0).sum()),
                layer=bname,
                field=floor_field,
                features=neg,
            )
        )
    missing = [i for i, f in zip(buildings.index, floor) if np.isnan(f)]
    if missing:
        fb.warning(
            trn(
                "Layer '{layer}': {n} building has no floor area in '{field}' and is left out: {ids}.",
                "Layer '{layer}': {n} buildings have no floor area in '{field}' and are left out: {ids}.",
                len(missing),
                layer=bname,
                field=floor_field,
                ids=", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else ""),
            )
        )
    return pieces, buildings, floor, missing


def _floor_overlay(pieces, buildings, status_field, bname, fb, floor):
    """Takes the buildings and pieces in one CRS; gives each building's floor area shared out over the
    pieces by footprint (one row per building × piece), the buildings used and their footprints.
    """
    geoms, rep = clean_polygons(buildings.geometry.values, np.asarray(buildings.index, dtype=object), bname)
    for m in rep.messages():
        fb.warning(m)
    status = column_values(buildings, status_field) if status_field else np.full(len(buildings), None, object)
    use = np.flatnonzero(~np.isnan(floor) & ~shapely.is_missing(geoms))
    footprint = np.zeros(len(buildings))
    footprint[use] = shapely.area(geoms[use])
    pgeoms = pieces.geometry.values
    valid_p = np.flatnonzero(~shapely.is_missing(np.asarray(pgeoms)))
    tree = shapely.STRtree(np.asarray(pgeoms)[valid_p])
    bi, ti = tree.query(geoms[use], predicate="intersects")
    bi = use[bi]
    pi = valid_p[ti]
    inter = shapely.area(shapely.intersection(geoms[bi], np.asarray(pgeoms)[pi]))
    keep = (inter > 0) & (footprint[bi] > 0)
    bi, pi, inter = bi[keep], pi[keep], inter[keep]
    share = inter / footprint[bi]
    rows = pd.DataFrame(
        {
            "piece": pieces.index.to_numpy()[pi],
            "building": buildings.index.to_numpy()[bi],
            "floor_area": floor[bi] * share,
            "status": status[bi],
        }
    )
    return use, footprint, rows


# ---------------------------------------------------------------------------------------------
# largest contiguous block
# ---------------------------------------------------------------------------------------------


def class_matches(code, classes) -> bool:
    """Whether a zoning code belongs to one of ``classes``.

    A class matches the code itself and the code followed by digits; mixed codes (``R2+C1``)
    match when every part does.

    >>> class_matches("R2", ["R"]), class_matches("GIC", ["G"]), class_matches("G1", ["G"])
    (True, False, True)
    >>> class_matches("R2+C1", ["R", "C"]), class_matches("E1", ["R", "C"])
    (True, False)
    """
    if code is None:
        return False
    parts = [p.strip().upper() for p in str(code).replace("/", "+").split("+") if p.strip()]
    if not parts:
        return False
    cls = [c.strip().upper() for c in classes]

    def one(p):
        return any(p == c or (p.startswith(c) and p[len(c) :].isdigit()) for c in cls)

    return all(one(p) for p in parts)


def largest_block(geoms, zoning_geoms, *, tolerance: float = 1e-3):
    """Largest contiguous block of ``geoms`` clipped to ``zoning_geoms`` (both in one projected CRS).

    The clipped pieces are unioned exactly (areas are not rounded). Pieces that share an edge join
    into one block; pieces touching at a single point do not. Blocks whose edges run within
    ``tolerance`` (CRS units; 1 mm by default) of each other over more than ``100 * tolerance`` are
    joined too: neighbouring parcels whose common edge carries floating-point noise are contiguous.

    Returns
    -------
    (float, int, Geometry or None)
        Area of the largest block (CRS units²), number of blocks, the block.

    Examples
    --------
    >>> from shapely import box
    >>> a, b, c = box(0, 0, 50, 50), box(50, 0, 100, 50), box(100, 50, 150, 100)
    >>> largest_block([a, b, c], [box(0, 0, 200, 200)])[:2]  # a+b share an edge; c touches a corner
    (5000.0, 2)
    """
    geoms = np.asarray(geoms, dtype=object)
    zoning_geoms = np.asarray(zoning_geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms)]
    geoms = geoms[~shapely.is_empty(geoms)]
    zoning_geoms = zoning_geoms[~shapely.is_missing(zoning_geoms)]
    zoning_geoms = zoning_geoms[~shapely.is_empty(zoning_geoms)]
    if len(geoms) == 0 or len(zoning_geoms) == 0:
        return 0.0, 0, None
    tree = shapely.STRtree(zoning_geoms)
    a, b = tree.query(geoms, predicate="intersects")
    if len(a) == 0:
        return 0.0, 0, None
    inside = shapely.contains_properly(zoning_geoms[b], geoms[a])
    inter = np.empty(len(a), dtype=object)
    inter[inside] = geoms[a[inside]]
    cut = np.flatnonzero(~inside)
    if len(cut):
        clipped = shapely.intersection(geoms[a[cut]], zoning_geoms[b[cut]])
        odd = ~np.isin(shapely.get_type_id(clipped), (3, 6))
        clipped[odd] = [polygonal_part(g) for g in clipped[odd]]
        inter[cut] = clipped
    inter = inter[~shapely.is_missing(inter)]
    if len(inter) == 0:
        return 0.0, 0, None
    union = _coverage_union(inter)
    parts = shapely.get_parts(polygonal_part(union) or shapely.Polygon())
    if len(parts) == 0:
        return 0.0, 0, None
    areas = shapely.area(parts)
    label = np.arange(len(parts))
    if len(parts) > 1 and tolerance > 0:
        ptree = shapely.STRtree(parts)
        i, j = ptree.query(parts, predicate="dwithin", distance=tolerance)
        m = i < j
        i, j = i[m], j[m]
        if len(i):
            rings = shapely.boundary(parts)
            near = shapely.buffer(rings[i], tolerance, quad_segs=2)
            shared = shapely.length(shapely.intersection(near, rings[j]))
            keep = shared > 100 * tolerance
            for x, y in zip(i[keep], j[keep]):
                label = _join(label, x, y)
    comps, inv = np.unique(label, return_inverse=True)
    totals = np.bincount(inv, weights=areas)
    k = int(np.argmax(totals))
    members = parts[inv == k]
    geom = members[0] if len(members) == 1 else shapely.union_all(members)
    return float(totals[k]), int(len(comps)), geom


def _coverage_union(geoms):
    """Union of polygons; the linear coverage union when they form a clean coverage.

    Cadastral pieces clipped to zoning usually do: the coverage union is accepted when it is valid
    and its area is the sum of the pieces' (no overlap hidden), else the general union is used.
    """
    try:
        union = shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        union = None
    if union is not None and shapely.is_valid(union):
        total = float(shapely.area(geoms).sum())
        if abs(float(union.area) - total) <= 1e-9 * max(total, 1.0):
            return union
    return shapely.union_all(geoms)


def _join(label: np.ndarray, x: int, y: int) -> np.ndarray:
    """Merge the components of ``x`` and ``y`` (labels relabelled in place; few calls)."""
    lx, ly = label[x], label[y]
    if lx != ly:
        label[label == ly] = lx
    return label


# ---------------------------------------------------------------------------------------------
# the quota
# ---------------------------------------------------------------------------------------------


def _check_pieces(pieces, community_field):
    name = layer_name(pieces)
    fields = [c for c in pieces.columns if c != getattr(pieces, "_geometry_column_name", None)]
    for f in PIECE_FIELDS:
        if f not in pieces.columns:
            raise FieldError(
                name,
                f,
                fields,
                expected=tr(
                    "present: the pieces must be the output of landcoord:affectedarea (fields {fields})",
                    fields=", ".join(PIECE_FIELDS),
                ),
            )
    if community_field and community_field not in pieces.columns:
        raise FieldError(name, community_field, fields)
    area = pd.to_numeric(pieces["piece_area"], errors="coerce")
    check_areas(area, pieces.index, layer=name, field="piece_area")
    if area.isna().any() or (area < 0).any():
        bad = list(pieces.index[area.isna() | (area < 0)][:10])
        raise LayerError(
            trn(
                "Layer '{layer}': piece_area is missing or negative for {n} feature: {features}.",
                "Layer '{layer}': piece_area is missing or negative for {n} features: {features}.",
                int((area.isna() | (area < 0)).sum()),
                layer=name,
                features=bad,
            )
        )
    return area.to_numpy(dtype=float)


def land_area(pieces, claimed) -> np.ndarray:
    """The land of each piece, as every step counts it: ``held_area`` when the pieces carry it.

    ``landcoord affected`` writes ``piece_area`` (the land the parcel claims) and ``held_area`` (the
    same land counted once: land several parcels claim is split equally between them). A project's
    ``held_area`` adds up to its covered area (boundary − gaps), so the quota, the benefit scenarios,
    consent by area and the hearing pack share one project-land figure and never hand out
    double-claimed land twice. Pieces without ``held_area`` (older outputs, tables made by hand)
    are counted by ``piece_area``. ``claimed`` is ``piece_area`` as numbers.
    """
    if "held_area" not in getattr(pieces, "columns", ()):
        return claimed
    held = pd.to_numeric(pieces["held_area"], errors="coerce").to_numpy(dtype=float)
    check_areas(held, pieces.index, layer=layer_name(pieces), field="held_area")
    bad = np.isnan(held) | (held < 0) | (held > claimed * (1 + 1e-9) + 1e-9)
    if bad.any():
        raise LayerError(
            trn(
                "Layer '{layer}': held_area is missing, negative or larger than piece_area for "
                "{n} feature: {features}; run landcoord affected again.",
                "Layer '{layer}': held_area is missing, negative or larger than piece_area for "
                "{n} features: {features}; run landcoord affected again.",
                int(bad.sum()),
                layer=layer_name(pieces),
                features=list(pieces.index[bad][:10]),
            )
        )
    return held


def _categories(pieces, smap: dict, area) -> np.ndarray:
    status = column_values(pieces, "status")
    cats = np.array([smap.get(str(s).strip()) if s is not None else None for s in status], dtype=object)
    unknown = pd.isna(pd.Series(cats, dtype=object)).to_numpy()
    if unknown.any():
        df = pd.DataFrame({"status": status[unknown], "area": area[unknown]})
        empty = tr("(empty)")
        df["status"] = df["status"].map(lambda s: empty if s is None else str(s))
        g = df.groupby("status")["area"].agg(["count", "sum"])
        listing = "; ".join(
            trn(
                "'{status}' ({n} piece, {area:,.2f} m²)",
                "'{status}' ({n} pieces, {area:,.2f} m²)",
                int(r["count"]),
                status=s,
                area=r["sum"],
            )
            for s, r in g.iterrows()
        )
        raise RuleError(
            trn(
                "Layer '{layer}': {n} status value is not in the status map: {listing}. "
                "Add it to the STATUS_MAP file (status,category with category one of "
                "{categories}), or fix the status in the cadastre.",
                "Layer '{layer}': {n} status values are not in the status map: {listing}. "
                "Add them to the STATUS_MAP file (status,category with category one of "
                "{categories}), or fix the statuses in the cadastre.",
                len(g),
                layer=layer_name(pieces),
                listing=listing,
                categories=", ".join(CATEGORIES),
            )
        )
    return cats


def _covered_area(pieces, projects, area, project_order) -> dict:
    """Per project, the area the pieces cover: land claimed by two parcels counts once.

    From the pieces' geometries (in a projected CRS, as ``landcoord:affectedarea`` writes them);
    a table of pieces without geometry falls back to the sum of ``piece_area``. Pieces with
    ``held_area`` (:func:`land_area`) add it up: the covered area as ``landcoord affected`` measured
    it (in its CRS and method).
    """
    if "held_area" in getattr(pieces, "columns", ()):
        return {p: float(area[projects == p].sum()) for p in project_order}
    geoms = None
    if isinstance(pieces, gpd.GeoDataFrame) and pieces.crs is not None and pieces.crs.is_projected:
        geoms = pieces.geometry.values
    out = {}
    for p in project_order:
        sel = projects == p
        if geoms is None:
            out[p] = float(area[sel].sum())
            continue
        claimed = float(area[sel].sum())
        union = shapely.union_all(geoms[sel])
        covered = float(union.area) * float(pieces.crs.axis_info[0].unit_conversion_factor) ** 2
        out[p] = min(claimed, covered)
    return out


class _CollectingFeedback(Feedback):
    """Passes messages on to ``inner`` and keeps the warnings in ``warnings``.

    A module-level class on purpose: a class made inside a function is a reference cycle that
    would keep the caller's feedback (a Qt object inside QGIS) alive until the next garbage
    collection, in whatever thread that happens.
    """

    def __init__(self, inner: Feedback, warnings: list):
        self._inner = inner
        self._warnings = warnings

    def info(self, message: str) -> None:
        self._inner.info(message)

    def warning(self, message: str) -> None:
        self._warnings.append(message)
        self._inner.warning(message)

    def is_canceled(self) -> bool:
        return self._inner.is_canceled()


def retained_quota(
    pieces: gpd.GeoDataFrame,
    rules,
    *,
    status_map=None,
    community_field: str | None = None,
    buildings: gpd.GeoDataFrame | None = None,
    floor_area_field: str | None = None,
    zoning: gpd.GeoDataFrame | None = None,
    zoning_field: str | None = None,
    given: Mapping | None = None,
    official: bool = False,
    feedback: Feedback | None = None,
) -> QuotaResult:
    """Compute the retained-land quota per project (and community) with its trail.

    Parameters
    ----------
    pieces : GeoDataFrame or DataFrame
        Parcel pieces with :data:`PIECE_FIELDS` (the ``pieces`` of ``affected_area``). Geometry is
        needed only for buildings and zoning.
    rules : RuleSet, str or path
        A loaded rule set, a rule set file or the name of a shipped one.
    status_map : None, mapping, DataFrame or path
        See :func:`load_status_map`; default :data:`DEFAULT_STATUS_MAP`.
    community_field : str, optional
        Field of ``pieces`` with the community each piece's holder belongs to; the quota is then
        computed per project and community.
    buildings : GeoDataFrame, optional
        Building footprints; with ``floor_area_field`` they give the existing floor area and FAR.
    zoning : GeoDataFrame, optional
        Planned land use; with ``zoning_field`` (用地性质) it gives the geometric measures (e.g. the
        largest contiguous block of uncompensated planned construction land).
    given : mapping, optional
        Values or quantities to use instead of the rule set's or the data's (unverified unless
        given as :class:`~landcoord.allocation.rules.Quantity` with ``verified=True``).
    official : bool
        If True, raise :class:`RuleError` unless every result is official (verified values and
        formulas, conditions met, not an example rule set).

    Returns
    -------
    QuotaResult

    Raises
    ------
    FieldError, LayerError, RuleError
    """
    # long: its numpydoc docstring (parameters, a runnable example); the body is an orchestrator of phases
    fb = feedback or Feedback()
    rs = rules if isinstance(rules, RuleSet) else load_rules(rules)
    area = land_area(pieces, _check_pieces(pieces, community_field))
    smap, smap_text = load_status_map(status_map)
    cats = _categories(pieces, smap, area)
    warnings: list[str] = []

    wfb = _CollectingFeedback(fb, warnings)
    projects, communities, needed, pname, has_geom = _pieces_keys(pieces, community_field, rs, wfb)

    floor_by_row, floor_note = _buildings(pieces, buildings, floor_area_field, fb, has_geom, pname, wfb)

    maps = _zoning(pieces, zoning, zoning_field, fb, has_geom, needed, pname, rs, wfb)

    order, project_area, measured, counted, measure_cache, trail_rows, summary_rows, all_official = _blocks(
        pieces, area, communities, projects
    )
    for n, (p, c) in enumerate(order):
        fb.check()
        sel = (projects == p) & np.array([x == c or (x is None and c is None) for x in communities])
        inputs, land = _data_inputs(
            pieces, area, cats, counted, measured, p, pname, project_area, sel, smap_text
        )
        _floor_inputs(buildings, floor_by_row, floor_note, inputs, land, needed, sel)
        _measure_inputs(c, cats, inputs, measure_cache, p, pname, projects, rs, sel, maps)
        if community_field and c is None:
            ev = _outside_communities(rs, inputs, land)
        else:
            ev = evaluate(rs, inputs, given=given)
        all_official &= ev.official
        _block_rows(ev, p, c, land, trail_rows, summary_rows)
        fb.progress(35 + 60 * (n + 1) / max(len(order), 1))

    trail, summary, all_official = _tables(
        official, all_official, order, pname, rs, summary_rows, trail_rows, wfb
    )
    missing = _missing_warnings(summary, trail, wfb)
    fb.progress(100)
    return QuotaResult(
        trail=trail, summary=summary, official=all_official, rules=rs, warnings=warnings, missing=missing
    )


def _pieces_keys(pieces, community_field, rs, wfb):
    """Takes the pieces and the rule set; gives each piece's project and community, the quantities the
    rules need, the layer's name and whether it has geometry (warns of pieces with no community).
    """
    projects = column_values(pieces, "project")
    communities = (
        column_values(pieces, community_field)
        if community_field
        else np.full(len(pieces), None, dtype=object)
    )
    needed = rs.needed() | {n for s in rs.steps.values() for n in s.expr.names}
    pname = pieces.attrs.get("name", "pieces")
    if community_field:
        none = int(sum(c is None for c in communities))
        if none:
            wfb.warning(
                trn(
                    "Layer '{layer}': {n} piece has no community in '{field}'; it gets no retained land "
                    "(all its land is left to the government). Give it a community if it belongs to one.",
                    "Layer '{layer}': {n} pieces have no community in '{field}'; they get no retained land "
                    "(all their land is left to the government). "
                    "Give them a community if they belong to one.",
                    none,
                    layer=pname,
                    field=community_field,
                )
            )
    has_geom = isinstance(pieces, gpd.GeoDataFrame) and pieces.geometry.name in pieces.columns
    return projects, communities, needed, pname, has_geom


def _buildings(pieces, buildings, floor_area_field, fb, has_geom, pname, wfb):
    """Takes the pieces and the buildings layer; gives the existing floor area per piece row (None without
    buildings) and the note saying where it comes from.
    """
    # --- buildings ---------------------------------------------------------------------------
    floor_by_row = None
    floor_note = "no BUILDINGS layer given"
    if buildings is not None:
        if not floor_area_field:
            raise FieldError(
                layer_name(buildings),
                str(floor_area_field),
                list(buildings.columns),
                expected=tr("set (the floor-area field of the buildings)"),
            )
        if not has_geom:
            raise LayerError(
                tr("Layer '{layer}' has no geometry: buildings cannot be placed on the pieces.", layer=pname)
            )
        rows, tot = building_floor_by_piece(pieces, buildings, floor_field=floor_area_field, feedback=wfb)
        pos = pd.Series(np.arange(len(pieces)), index=pieces.index)
        floor_by_row = (
            np.bincount(
                pos.loc[rows.piece].to_numpy(), weights=rows.floor_area.to_numpy(), minlength=len(pieces)
            )
            if len(rows)
            else np.zeros(len(pieces))
        )
        floor_note = (
            f"{layer_name(buildings)}.{floor_area_field}: {tot['inside']:,.2f} m² on the pieces"
            + (
                f"; {tot['outside']:,.2f} m² outside every piece not counted"
                if tot["outside"] > 0.005
                else ""
            )
            + (f"; {len(tot['missing'])} building(s) without floor area left out" if tot["missing"] else "")
        )
    fb.progress(20)
    return floor_by_row, floor_note


def _zoning(pieces, zoning, zoning_field, fb, has_geom, needed, pname, rs, wfb):
    """Takes the pieces and the zoning layer; gives the rule set's map measures to compute, the zoning
    projected, its repaired geometries and land-use classes, and the pieces' measuring geometries and
    area factor. Hands on measure_keys, zoning, zoning_field, zoning_geoms, zoning_codes, geoms_m,
    factor together as ``maps``.
    """
    # --- zoning / measures -------------------------------------------------------------------
    zoning_geoms = zoning_codes = None
    measure_keys = [k for k in rs.measures if k in needed]
    if zoning is not None and measure_keys:
        if not zoning_field or zoning_field not in zoning.columns:
            raise FieldError(
                layer_name(zoning),
                str(zoning_field),
                [c for c in zoning.columns if c != zoning.geometry.name],
                expected=tr("set (the land-use class field of the zoning, 用地性质)"),
            )
        if not has_geom:
            raise LayerError(
                tr("Layer '{layer}' has no geometry: the zoning cannot be overlaid.", layer=pname)
            )
        _, pcrs, _ = _piece_crs(pieces)
        zoning = _projected(zoning, pcrs, "zoning", wfb)
        zg, zrep = clean_polygons(
            zoning.geometry.values, np.asarray(zoning.index, dtype=object), layer_name(zoning)
        )
        for m in zrep.messages():
            wfb.warning(m)
        zoning_geoms, zoning_codes = zg, column_values(zoning, zoning_field)
    geoms_m = factor = None
    if has_geom:
        pm, _, factor = _piece_crs(pieces)
        geoms_m = pm.geometry.values
    fb.progress(35)
    return SimpleNamespace(
        measure_keys=measure_keys,
        zoning=zoning,
        zoning_field=zoning_field,
        zoning_geoms=zoning_geoms,
        zoning_codes=zoning_codes,
        geoms_m=geoms_m,
        factor=factor,
    )


def _blocks(pieces, area, communities, projects):
    """Takes the pieces' projects and communities; gives the blocks (project, community) in order, each
    project's covered area, the measured statement, the area field counted and empty accumulators for
    the block loop.
    """
    # --- blocks ------------------------------------------------------------------------------
    keys = pd.DataFrame({"p": pd.Series(projects, dtype=object), "c": pd.Series(communities, dtype=object)})
    order = list(dict.fromkeys(zip(keys.p, keys.c)))
    project_order = list(dict.fromkeys(projects))
    project_area = _covered_area(pieces, projects, area, project_order)
    measured = ""
    if isinstance(pieces, gpd.GeoDataFrame) and pieces.crs is not None:
        from .affected import measured_statement

        measured = "; " + measured_statement(pieces)
    counted = "held_area" if "held_area" in pieces.columns else "piece_area"
    measure_cache: dict = {}
    trail_rows = []
    summary_rows = []
    all_official = True
    return order, project_area, measured, counted, measure_cache, trail_rows, summary_rows, all_official


def _block_rows(ev: Evaluation, p, c, land: float, trail_rows: list, summary_rows: list) -> None:
    """Appends one block's (project ``p`` x community ``c``) evaluation to the trail and its summary row."""
    for r in ev.rows:
        d = r.as_dict()
        d["project"], d["community"] = p, c
        trail_rows.append(d)
    summary_rows.append(
        {
            "project": p,
            "community": c,
            "land_area": land,
            "retained_area": ev.results.get("retained_area"),
            "planned_floor_area": ev.results.get("planned_floor_area"),
            "government_land": ev.results.get("government_land"),
            "official": ev.official,
            "blocking": "; ".join(ev.blocking),
        }
    )


def _data_inputs(pieces, area, cats, counted, measured, p, pname, project_area, sel, smap_text):
    """Takes one block's selection; gives its data quantities (project and land area, area by status and by
    category) and its land area.
    """
    inputs: dict = {}
    inputs["project_area"] = Quantity(
        "project_area",
        project_area[p],
        DATA_QUANTITIES["project_area"][0],
        "m2",
        f"data: {DATA_QUANTITIES['project_area'][2]}",
        f"INPUT {pname}",
        note="land the pieces cover, land claimed by two parcels counted once; land no parcel "
        "covers (gaps of the affected area) is not in the pieces" + measured,
    )
    land = float(area[sel].sum())
    inputs["land_area"] = Quantity(
        "land_area",
        land,
        DATA_QUANTITIES["land_area"][0],
        "m2",
        f"data: {DATA_QUANTITIES['land_area'][2]}",
        f"INPUT {pname}",
        note=f"counted by {counted}" + measured,
    )
    st = pd.DataFrame({"s": column_values(pieces, "status")[sel], "a": area[sel], "k": cats[sel]})
    for (s, k), a in st.groupby(["s", "k"], sort=False)["a"].sum().items():
        inputs[f"status:{s}"] = Quantity(
            f"status:{s}",
            float(a),
            f"用地状态 {s} -> {_CATEGORY_LABEL[k]}",
            "m2",
            f"data: sum of piece_area where status = '{s}'; status map: {s} -> {k}",
            f"INPUT {pname}; status map {smap_text}",
        )
    for k in CATEGORIES:
        name = f"{k}_area"
        inputs[name] = Quantity(
            name,
            float(area[sel & (cats == k)].sum()),
            DATA_QUANTITIES[name][0],
            "m2",
            f"data: {DATA_QUANTITIES[name][2]}",
            f"INPUT {pname}; status map {smap_text}",
        )
    return inputs, land


def _floor_inputs(buildings, floor_by_row, floor_note, inputs, land, needed, sel):
    """Takes one block's selection and its quantities; adds the existing floor area and FAR (empty, with
    the reason, when no buildings were given).
    """
    if floor_by_row is not None:
        fa = float(floor_by_row[sel].sum())
        inputs["existing_floor_area"] = Quantity(
            "existing_floor_area",
            fa,
            DATA_QUANTITIES["existing_floor_area"][0],
            "m2",
            f"data: {DATA_QUANTITIES['existing_floor_area'][2]}",
            f"BUILDINGS {layer_name(buildings)}",
            note=floor_note,
        )
        inputs["existing_far"] = Quantity(
            "existing_far",
            fa / land if land > 0 else None,
            DATA_QUANTITIES["existing_far"][0],
            "FAR",
            f"data: {DATA_QUANTITIES['existing_far'][2]}",
            f"BUILDINGS {layer_name(buildings)}",
            note="" if land > 0 else "no land in this block",
        )
    else:
        for name in ("existing_floor_area", "existing_far"):
            if name in needed:
                inputs[name] = Quantity(
                    name,
                    None,
                    DATA_QUANTITIES[name][0],
                    DATA_QUANTITIES[name][1],
                    f"data: {DATA_QUANTITIES[name][2]}",
                    "BUILDINGS",
                    note=floor_note,
                )


def _measure_inputs(c, cats, inputs, measure_cache, p, pname, projects, rs, sel, maps):
    """Takes one block and its quantities; adds the map measures the rules need, each computed once per
    project or block (cached).
    """
    zoning, zoning_field, factor, geoms_m, measure_keys, zoning_codes, zoning_geoms = (
        maps.zoning,
        maps.zoning_field,
        maps.factor,
        maps.geoms_m,
        maps.measure_keys,
        maps.zoning_codes,
        maps.zoning_geoms,
    )
    for key in measure_keys:
        m = rs.measures[key]
        scope_sel = (projects == p) if m.scope == "project" else sel
        ck = (key, p) if m.scope == "project" else (key, p, c)
        if ck not in measure_cache:
            measure_cache[ck] = _measure(
                m,
                rs,
                scope_sel,
                cats,
                geoms_m,
                factor,
                zoning_geoms,
                zoning_codes,
                zoning,
                zoning_field,
                pname,
            )
        inputs[key] = measure_cache[ck]


def _tables(official, all_official, order, pname, rs, summary_rows, trail_rows, wfb):
    """Takes the trail and summary rows; gives the trail and summary frames and whether every result is
    official (raises when an official result was asked for and one is not).
    """
    trail = pd.DataFrame(trail_rows, columns=TRAIL_COLUMNS)
    trail["value"] = pd.to_numeric(trail["value"], errors="coerce").astype(float)
    trail["verified"] = trail["verified"].astype(bool)
    summary = pd.DataFrame(summary_rows, columns=SUMMARY_COLUMNS)
    for col in ("retained_area", "planned_floor_area", "government_land"):
        summary[col] = pd.to_numeric(summary[col], errors="coerce").astype(float)
    if not order:
        all_official = False
        wfb.warning(tr("Layer '{layer}' has no pieces: the trail is empty.", layer=pname))
    if official and not all_official:
        lines = [
            tr("  project {project}: {blocking}", project=r.project, blocking=r.blocking)
            if r.community is None
            else tr(
                "  project {project} / {community}: {blocking}",
                project=r.project,
                community=r.community,
                blocking=r.blocking,
            )
            for r in summary.itertuples(index=False)
            if not r.official
        ]
        raise RuleError(
            tr(
                "No official result with rule set '{rules}' ({files}): "
                "a result depends on empty or unverified values, or a condition is not met:\n{blocks}",
                rules=rs.id,
                files=", ".join(f.name for f in rs.files),
                blocks="\n".join(lines),
            )
        )
    return trail, summary, all_official


def _missing_warnings(summary, trail, wfb):
    """Takes the trail and summary; gives the input layers missing for some quantity (warns of each, saying
    whether a result is empty because of it).
    """
    missing = _missing_inputs(trail, summary)
    for name, (quantities, empty) in missing.items():
        if empty:
            wfb.warning(
                tr(
                    "{layer} is missing: {quantities} cannot be computed, so the retained-land result is "
                    "EMPTY for {blocks}. Give {option} and run the quota again.",
                    layer=name,
                    quantities=", ".join(quantities),
                    blocks=", ".join(empty),
                    option=MISSING_INPUT_OPTIONS[name],
                )
            )
        else:
            wfb.warning(
                tr(
                    "{layer} is missing: {quantities} are not computed (the results do not need them "
                    "here). Give {option} to compute them.",
                    layer=name,
                    quantities=", ".join(quantities),
                    option=MISSING_INPUT_OPTIONS[name],
                )
            )
    return missing


#: How to give a missing input layer (command line option; Processing parameter).
MISSING_INPUT_OPTIONS = {
    "BUILDINGS": "--buildings with --floor-area-field (Processing: BUILDINGS, FLOOR_AREA_FIELD)",
    "ZONING": "--zoning with --zoning-field (Processing: ZONING, ZONING_FIELD)",
}


def _missing_inputs(trail: pd.DataFrame, summary: pd.DataFrame) -> dict:
    """Per missing input layer (BUILDINGS, ZONING): the quantities left empty for want of it, and the
    blocks (project / community) whose retained-land result is empty.
    """
    out = {}
    notes = trail["note"].astype(str)
    empty_value = trail["value"].isna()
    for name, marker in (("BUILDINGS", "no BUILDINGS layer"), ("ZONING", "no ZONING layer")):
        rows = trail[empty_value & notes.str.startswith(marker)]
        if not len(rows):
            continue
        quantities = list(dict.fromkeys(rows["quantity"]))
        blocks = []
        for r in summary.itertuples(index=False):
            hit = (
                (rows["project"] == r.project)
                & ((rows["community"] == r.community) | (rows["community"].isna() & (r.community is None)))
            ).any()
            if hit and r.retained_area != r.retained_area:  # NaN: the result is empty
                blocks.append(f"{r.project}" + ("" if r.community is None else f" / {r.community}"))
        out[name] = (quantities, blocks)
    return out


def _outside_communities(rs: RuleSet, inputs: dict, land: float) -> Evaluation:
    """The trail of pieces that belong to no community: no retained land, all land to the government.

    Retained land is handed back to the community (docs/domain.md); holders outside every community
    (state bodies, holders whose community is not recorded) have no share of it. The rule set is not
    applied to them.
    """
    rows = [
        TrailRow(
            q.name, q.label, q.value, q.unit, q.rule, q.source, q.verified and q.value is not None, q.note
        )
        for name, q in inputs.items()
        if name in ("project_area", "land_area", "legal_area", "uncompensated_area", "state_area")
        or name.startswith("status:")
    ]
    why = "no community: the rule set is not applied; retained land is handed back to communities only"
    src = "landcoord docs/domain.md (the job in one paragraph: retained land goes to the community)"
    results = {"retained_area": 0.0, "planned_floor_area": 0.0, "government_land": land}
    labels = {
        "retained_area": "留用地规模 retained land quota",
        "planned_floor_area": "规划建筑面积 planned floor area",
        "government_land": "政府收回用地 land left to the government",
    }
    for key, value in results.items():
        rule = "= land_area" if key == "government_land" else "= 0"
        rows.append(
            TrailRow(
                key,
                labels[key],
                value,
                "m2",
                f"{rule} ({why})",
                src,
                True,
                "pieces without a community: give them one if they belong to a collective",
            )
        )
    blocking = [f"rule set '{rs.id}' is an EXAMPLE (example = true): never official"] if rs.example else []
    official = not blocking
    rows.append(
        TrailRow(
            "official",
            "正式结果 official result",
            1.0 if official else 0.0,
            "flag",
            "official only if every result and condition is verified, conditions are met, and "
            "the rule set is not an example",
            ", ".join(f.name for f in rs.files),
            official,
            "yes" if official else "NOT OFFICIAL: " + "; ".join(blocking),
        )
    )
    for key, value in results.items():
        rows.append(
            TrailRow(f"result.{key}", f"结果 {labels[key]}", value, "m2", f"= {key} (above)", src, True)
        )
    return Evaluation(rows, results, official, blocking, dict(results))


def _measure(m, rs, sel, cats, geoms_m, factor, zoning_geoms, zoning_codes, zoning, zoning_field, pname):
    classes = rs.values[m.zoning_classes].value or []
    rule = (
        f"measures.{m.key} [{m.origin}]: pieces of category {'/'.join(m.categories)} clipped to the zoning "
        f"classes of values.{m.zoning_classes}, dissolved, largest contiguous block"
    )
    if geoms_m is None:
        return Quantity(
            m.key,
            None,
            m.label,
            "m2",
            rule,
            m.prov.text(),
            m.prov.verified,
            note=f"Layer '{pname}' has no geometry",
        )
    if zoning_geoms is None:
        return Quantity(
            m.key,
            None,
            m.label,
            "m2",
            rule,
            m.prov.text(),
            m.prov.verified,
            note="no ZONING layer given: give the zoning (用地性质) to check it",
        )
    if not classes:
        return Quantity(
            m.key,
            None,
            m.label,
            "m2",
            rule,
            m.prov.text(),
            m.prov.verified,
            note=f"values.{m.zoning_classes} is empty",
        )
    pick = sel & np.isin(cats, list(m.categories))
    zmask = np.array([class_matches(z, classes) for z in zoning_codes], dtype=bool)
    a, nblocks, _ = largest_block(geoms_m[pick], zoning_geoms[zmask])
    a *= factor
    rule += f" of {layer_name(zoning)}.{zoning_field}"
    note = (
        f"{int(pick.sum())} piece(s) of {'/'.join(m.categories)} land; {nblocks} contiguous block(s) on "
        f"{int(zmask.sum())} zoning feature(s) of classes {', '.join(classes)}"
        + ("; project-level" if m.scope == "project" else "")
    )
    return Quantity(m.key, a, m.label, "m2", rule, m.prov.text(), m.prov.verified, note=note)
