"""Carving retained-land parcels (留用地) to quota, on land the plan allows, compact and buildable.

Once each community's retained-land quota is known, :func:`carve_retained` draws where it goes:
for every community one parcel of exactly the quota area (within ``tolerance`` m²), inside the
project, clear of every EXCLUDE zone (blocking control lines, planned roads, public facilities) and
of road land, nowhere narrower than ``min_width``, touching a road when roads are given, and as near
the community's existing holdings as the land allows.

How it works
------------
*Developable land* is the project (inside ``within``, if given) less the EXCLUDE zones and road
land. Its *usable land* is what is left after removing every part narrower than ``min_width``
(:func:`~.shapes.width_opening`). Communities are carved one after the other, the largest quota
first. For each, parcels are grown from seeds on the usable land next to (or on) the community's
holdings and within reach of a road: squares on the project's axes and blocks squared to the
nearest road edge (as wide as deep, or twice as deep as wide) around a seed, and strips swept
across the land; disks only when none of those works (see :mod:`~landcoord.allocation._carving`).
Each is sized to the quota by secant steps on the square root of its area inside a safe bracket,
then checked against every guarantee (the width with one opening at MIN_WIDTH, a cheap filter).
The candidates that pass are ranked by compactness (Polsby–Popper) less their distance to the
holdings in parcel sizes and less the share of them lying on holdings of communities still to be
carved; the best one whose width holds in full *in the output CRS* (:func:`~.shapes.respects_width`,
the same measure the ``min_width`` column reports) is taken if the land it leaves can still hold
the remaining quotas. The parcel is removed from the available land and the next community is
carved. If that sequence runs out of land a second pass packs the parcels tightly (least land
wasted first, with blocks six times as deep as wide off the road among the candidates, which use
the least road frontage), then a third packs the smallest quotas first, before giving up.

Rules the guarantees follow
---------------------------
*Minimum width*: :func:`~.shapes.min_width` (see :mod:`~landcoord.allocation.shapes`): every carved
parcel reports ``min_width >= MIN_WIDTH`` by the very function the carving enforces.

*Touching a road*: a parcel touches a road when it comes within :data:`ROAD_TOUCH` (1 mm) of road
land. Parcels are grown only from places where a disk MIN_WIDTH across fits in the usable land and
touches road land, so every parcel holds such a disk against the road: land that meets a road only
with a corner narrower than MIN_WIDTH (a mitred tip) gives no road access, and the "no road access"
message measures the gap by that same rule. The ``frontage`` column gives the length of a parcel's
boundary along road land; the QA line (:func:`check_carving`) counts parcels off the roads by the
1 mm rule.

A quota comes as several parcels only when no block of usable land reachable from a road can hold
it (or none could be grown there meeting every guarantee); then it takes the fewest parcels it
can, whole blocks first, and the parcels' ``note`` says why. When the quotas cannot be met at all,
:class:`InfeasibleError` gives the shortfall in m² and where the developable land is; a parcel is
never silently smaller.

Everything is deterministic: the same input gives the same parcels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity

from . import _carving as eng
from .crs import MeasureCRS, match_crs, project_measurement_crs, to_crs
from .errors import FieldError, InfeasibleError, InputError, InternalError, LayerError
from .feedback import Feedback
from .geometry import clean_polygons, polygonal_part
from .i18n import tr
from .io.files import column_values, layer_name
from .shapes import frontage, min_width, polsby_popper, respects_width

__all__ = [
    "CarveResult",
    "CarveChecks",
    "carve_retained",
    "check_carving",
    "quota_targets",
    "PARCEL_COLUMNS",
    "LAND_COLUMNS",
    "QUOTA_ITEMS",
    "QUOTA_LABELS",
    "COMMUNITY_COLUMNS",
    "ROAD_WIDTH_FIELDS",
    "ROAD_TOUCH",
]

PARCEL_COLUMNS = [
    "project",
    "community",
    "part",
    "parts",
    "quota",
    "target_area",
    "area",
    "deviation",
    "compactness",
    "min_width",
    "frontage",
    "distance_to_holdings",
    "method",
    "note",
]
LAND_COLUMNS = ["project", "kind", "area"]

#: Names of the quota column in a wide quota table (``community`` + one of these), in order.
TARGET_COLUMNS = ("target_area", "quota", "retained_quota", "retained_land_quota", "retained_area")
#: In a long (trail) table with ``quantity``/``item`` and ``value``, the final quota, in order.
QUOTA_ITEMS = (
    "result.retained_area",
    "retained_area",
    "retained_land_quota",
    "retained_quota",
    "final_quota",
    "retained_land_area",
    "retained_area",
    "quota",
)
#: Labels of the final quota in a trail's ``item`` column (lower case).
QUOTA_LABELS = ("retained land quota", "留用地规模")
#: Accepted names of the community column of the quota table, in order.
COMMUNITY_COLUMNS = ("community", "社区", "community_name", "社区名称")
#: Numeric fields of a line road layer taken as the road's width (m), in order.
ROAD_WIDTH_FIELDS = ("宽度", "道路宽度", "红线宽度", "width", "road_width", "WIDTH", "Width")
#: A parcel touches a road when it comes this close (m) to road land.
ROAD_TOUCH = eng.ROAD_TOUCH
#: Half-width (m) given to road lines that have no width: they become hair-thin road land that no
#: parcel may cross.
LINE_ROAD_HALF_WIDTH = ROAD_TOUCH / 4


@dataclass
class CarveResult:
    """What :func:`carve_retained` produces.

    Attributes
    ----------
    parcels : GeoDataFrame
        One row per carved parcel (:data:`PARCEL_COLUMNS`), Polygon geometries.
    land : GeoDataFrame
        Per project: the developable land, the usable land (at least ``min_width`` wide) and the
        land remaining after carving (:data:`LAND_COLUMNS`).
    measure : MeasureCRS
        The CRS the parcels are in and were measured in.
    notes, warnings : list of str
        What was done and what the officer should look at (e.g. why a quota came as several
        parcels, communities without holdings).
    """

    parcels: gpd.GeoDataFrame
    land: gpd.GeoDataFrame
    measure: MeasureCRS
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    #: the land no parcel may use (EXCLUDE zones, land outside WITHIN, road land) and the road
    #: land, in the parcels' CRS, and MIN_WIDTH: what :func:`check_carving` checks against
    excluded: object = None
    road_land: object = None
    min_width: float = 0.0

    def layers(self) -> dict:
        """Output layers by the names the command line writes them under."""
        return {"parcels": self.parcels, "land": self.land}


@dataclass
class CarveChecks:
    """The guarantees of a carving, measured on the parcels as written (plain shapely).

    ``off_road`` counts the parcels farther than :data:`ROAD_TOUCH` from road land (None when no
    roads were given): the rule the carving enforces, so a parcel touching the road only at a
    corner counts as on the road; its ``frontage`` column says how long its side on the road is.
    """

    parcels: int
    overlap: float
    excluded: float
    deviation: float
    narrowest: float
    min_width: float
    off_road: int | None

    def message(self) -> str:
        """The one QA line the command line, the demo and the Processing algorithm print."""
        return tr(
            "checked: {n} parcels, largest overlap between parcels {overlap:.1e} m², largest area on "
            "excluded land {excluded:.1e} m², largest |area - target| {deviation:.4f} m², narrowest "
            "{narrowest:.2f} m (minimum {min_width:g} m), parcels off the roads {off_road}",
            n=self.parcels,
            overlap=self.overlap,
            excluded=self.excluded,
            deviation=self.deviation,
            narrowest=self.narrowest,
            min_width=self.min_width,
            off_road="-" if self.off_road is None else self.off_road,
        )


def check_carving(result: CarveResult) -> CarveChecks:
    """Check a carving's guarantees on its parcels with plain shapely (the QA line).

    Largest overlap between two parcels, largest area of a parcel on excluded land (EXCLUDE zones,
    land outside WITHIN and road land), largest |area - target|, the narrowest parcel (its
    ``min_width``, the measure the carving enforces) and how many parcels do not touch road land.
    Areas in the units² of the parcels' CRS (m² in every CRS the carving measures in but feet ones).
    """
    p = result.parcels
    geoms = p.geometry.values
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = 0.0
        if len(geoms) > 1:
            tree = shapely.STRtree(geoms)
            left, right = tree.query(geoms, predicate="intersects")
            pairs = left < right
            if pairs.any():
                a, b = geoms[left[pairs]], geoms[right[pairs]]
                # also snap-rounded: GEOS's plain overlay has been seen to miss a whole overlap
                overlap = float(
                    max(
                        shapely.area(shapely.intersection(a, b)).max(),
                        shapely.area(shapely.intersection(a, b, grid_size=1e-8)).max(),
                    )
                )
        excluded = 0.0
        if result.excluded is not None and not result.excluded.is_empty and len(geoms):
            excluded = float(shapely.area(shapely.intersection(geoms, result.excluded)).max())
        off_road = None
        if result.road_land is not None:
            off_road = (
                int((shapely.distance(geoms, result.road_land) > ROAD_TOUCH).sum()) if len(geoms) else 0
            )
    return CarveChecks(
        parcels=len(p),
        overlap=overlap,
        excluded=excluded,
        deviation=float(p.deviation.abs().max()) if len(p) else 0.0,
        narrowest=float(p.min_width.min()) if len(p) else float("nan"),
        min_width=float(result.min_width),
        off_road=off_road,
    )


# --------------------------------------------------------------------------------------------
# quotas
# --------------------------------------------------------------------------------------------


def _norm(name) -> str:
    return str(name).strip().lower()


def _find_column(df, names) -> str | None:
    lower = {_norm(c): c for c in df.columns}
    for n in names:
        if _norm(n) in lower:
            return lower[_norm(n)]
    return None


def quota_targets(quotas: pd.DataFrame, *, project=None) -> pd.DataFrame:
    """Each community's retained-land target area from a quota table.

    Accepted forms (column names case-insensitive):

    * wide: a community column (:data:`COMMUNITY_COLUMNS`) and ``target_area`` or another name of
      :data:`TARGET_COLUMNS`, one row per community; this includes the summary table of
      ``landcoord:retainedquota`` (``community``, ``retained_area``, ``official``, ``blocking``);
    * long, the calculation trail of ``landcoord:retainedquota``: ``community``, ``quantity``
      (or ``item``) and ``value``; the rows of the final quota are taken: the first name of
      :data:`QUOTA_ITEMS` present (``result.retained_area`` in that trail), else an item labelled
      "retained land quota" / 留用地规模. A missing figure is reported with the note of the
      trail's ``official`` row.

    With a ``project`` column, only the rows of ``project`` are taken (all rows when ``project``
    is None). ``verified`` (trail) or ``official`` (summary) columns are carried along as
    ``verified`` so unofficial quotas can be reported. Rows without a community and without a
    quota (land of no community) are skipped.

    Returns
    -------
    DataFrame with ``project`` (None when the table has no project column), ``community``,
    ``target_area`` (float, m²) and ``verified`` (bool or None).

    Examples
    --------
    >>> t = pd.DataFrame({"community": ["A", "A", "B"], "quantity": ["legal_area", "retained_area",
    ...                   "retained_area"], "value": [9000, 1200.5, 800]})
    >>> quota_targets(t)[["community", "target_area"]].values.tolist()
    [['A', 1200.5], ['B', 800.0]]
    """
    name = str(getattr(quotas, "attrs", {}).get("name", "quotas"))
    cols = [c for c in quotas.columns if c != getattr(quotas, "_geometry_column_name", None)]
    ccol = _find_column(quotas, COMMUNITY_COLUMNS)
    if ccol is None:
        raise FieldError(
            name, "community", cols, expected=tr("present (the community each quota belongs to)")
        )
    df = pd.DataFrame(quotas).copy()
    pcol = _find_column(df, ("project",))
    if pcol is not None and project is not None:
        df = df[df[pcol].map(lambda v: str(v).strip()) == str(project).strip()]
    tcol = _find_column(df, TARGET_COLUMNS)
    vcol = _find_column(df, ("value",))
    keys = [c for c in (_find_column(df, ("quantity",)), _find_column(df, ("item",))) if c is not None]
    why_not = {}  # (project, community) -> why the quota step gave no official figure (trail rows)
    ncol = _find_column(df, ("note",))
    if tcol is None and keys and vcol is not None and ncol is not None:
        official = df[df[keys[0]].map(lambda v: _norm(v) if v is not None else "") == "official"]
        for _, rec in official.iterrows():
            proj = str(rec[pcol]).strip() if pcol is not None else None
            why_not[(proj, None if rec[ccol] is None else str(rec[ccol]).strip())] = str(rec[ncol])
    if tcol is None and keys and vcol is not None:
        chosen = None
        for kcol in keys:
            items = df[kcol].map(lambda v: _norm(v) if v is not None else "")
            q = next((q for q in QUOTA_ITEMS if (items == q).any()), None)
            if q is not None:
                chosen = items == q
                break
        if chosen is None:
            for kcol in keys:
                items = df[kcol].map(lambda v: _norm(v) if v is not None else "")
                labelled = items.map(lambda v: any(label in v for label in QUOTA_LABELS))
                if labelled.any():
                    chosen = labelled
                    break
        if chosen is None:
            present = sorted({str(v) for v in df[keys[0]].dropna()})
            raise FieldError(
                name,
                keys[0],
                present,
                expected=tr(
                    "a quota item ({items}); the items in the table are listed", items=", ".join(QUOTA_ITEMS)
                ),
            )
        df = df[chosen]
        tcol = vcol
    elif tcol is None:
        raise FieldError(
            name,
            "target_area",
            cols,
            expected=tr("present: give community + target_area (m²), or the quota trail with item + value"),
        )
    vcol_verified = _find_column(df, ("verified",)) or _find_column(df, ("official",))
    bcol = _find_column(df, ("blocking",))
    rows = []
    seen = {}
    for idx, rec in df.iterrows():
        community = rec[ccol]
        raw = rec[tcol]
        try:
            value = float(str(raw).replace(",", "").strip()) if raw is not None else float("nan")
        except ValueError:
            value = float("nan")
        if (
            community is None
            or (isinstance(community, float) and math.isnan(community))
            or not str(community)
        ):
            if not math.isfinite(value) or value == 0:
                continue  # land of no community: no retained land
            raise InputError(
                tr(
                    "Table '{table}', row {row}: the community is empty. Name the community.",
                    table=name,
                    row=idx,
                )
            )
        community = str(community).strip()
        proj = str(rec[pcol]).strip() if pcol is not None else None
        if not math.isfinite(value):
            why = str(rec[bcol]).strip() if bcol is not None and rec[bcol] not in (None, "") else ""
            why = why or why_not.get((proj, community), "")
            if why and why != "nan":
                msg = tr(
                    "Table '{table}', community '{community}': target area '{value}' is not a number of m². "
                    "The quota step gave no figure: {why}. Enter the quota in square metres.",
                    table=name,
                    community=community,
                    value=raw,
                    why=why,
                )
            else:
                msg = tr(
                    "Table '{table}', community '{community}': target area '{value}' is not a number of m². "
                    "Enter the quota in square metres.",
                    table=name,
                    community=community,
                    value=raw,
                )
            raise InputError(msg)
        if value < 0:
            raise InputError(
                tr(
                    "Table '{table}', community '{community}': target area {value} m² is negative.",
                    table=name,
                    community=community,
                    value=value,
                )
            )
        key = (proj, community)
        if key in seen:
            fields = dict(table=name, community=community, first=seen[key], second=idx)
            if proj is not None:
                msg = tr(
                    "Table '{table}': community '{community}' of project '{project}' has two quotas "
                    "(rows {first} and {second}). Keep one row per community.",
                    project=proj,
                    **fields,
                )
            else:
                msg = tr(
                    "Table '{table}': community '{community}' has two quotas (rows {first} and {second}). "
                    "Keep one row per community.",
                    **fields,
                )
            raise InputError(msg)
        seen[key] = idx
        verified = None
        if vcol_verified is not None:
            v = rec[vcol_verified]
            verified = None if v is None else str(v).strip().lower() in ("1", "true", "yes", "t", "y")
        rows.append((proj, community, value, verified))
    return pd.DataFrame(rows, columns=["project", "community", "target_area", "verified"])


# --------------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------------


def _as_frames(layers) -> list:
    if layers is None:
        return []
    if isinstance(layers, gpd.GeoDataFrame | gpd.GeoSeries):
        return [layers]
    return list(layers)


def _frame(layer, what: str) -> gpd.GeoDataFrame:
    if isinstance(layer, gpd.GeoSeries):
        layer = gpd.GeoDataFrame(geometry=layer, crs=layer.crs)
    if not isinstance(layer, gpd.GeoDataFrame):
        raise InputError(
            tr("'{what}' should be a GeoDataFrame, got {type}.", what=what, type=type(layer).__name__)
        )
    return layer


def _to_measure(gdf, measure: MeasureCRS, what: str, notes: list, fb: Feedback):
    gdf, msg = match_crs(gdf, measure, layer=layer_name(gdf), role=what, to_what=tr("the project boundary"))
    if msg:
        notes.append(msg)
        fb.info(msg)
    return gdf


def _polygons(gdf, ids, what: str, warnings: list, fb: Feedback) -> np.ndarray:
    geoms, report = clean_polygons(gdf.geometry.values, ids, f"{layer_name(gdf)}")
    for m in report.messages():
        warnings.append(m)
        fb.warning(m)
    return geoms


def _road_land(roads, width_field, warnings, notes, fb):
    """Road land from a road layer: polygons as they are, lines buffered by half their width."""
    name = layer_name(roads)
    geoms = roads.geometry.values
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms = shapely.force_2d(geoms[present])
    sub = roads[present]
    if len(geoms) == 0:
        raise LayerError(
            tr("Layer '{layer}' (roads) has no geometries; choose a road layer or leave it out.", layer=name)
        )
    kinds = shapely.get_type_id(geoms)
    polys = geoms[np.isin(kinds, (3, 6))]
    lines = geoms[np.isin(kinds, (1, 2, 5))]
    pieces = []
    if len(polys):
        fixed = shapely.make_valid(polys)
        pieces.extend(p for p in (polygonal_part(g) for g in fixed) if p is not None)
    if len(lines):
        fields = [c for c in sub.columns if c != sub.geometry.name]
        if width_field:
            if width_field not in fields:
                raise FieldError(name, width_field, fields, expected=tr("present (road width in metres)"))
            wf = width_field
        else:
            wf = next(
                (f for f in ROAD_WIDTH_FIELDS if f in fields and pd.api.types.is_numeric_dtype(sub[f])), None
            )
            if wf is None:
                wf = next((f for f in ROAD_WIDTH_FIELDS if f in fields), None)
        line_sub = sub[np.isin(kinds, (1, 2, 5))]
        if wf is not None:
            widths = pd.to_numeric(line_sub[wf], errors="coerce").to_numpy(dtype=float)
            bad = ~np.isfinite(widths) | (widths <= 0)
            if bad.any():
                ids = [str(i) for i in line_sub.index[bad][:20]]
                msg = tr(
                    "Layer '{layer}': {n} road line(s) have no usable width in field '{field}' "
                    "(features {features}); they are taken as road edges with no width.",
                    layer=name,
                    n=int(bad.sum()),
                    field=wf,
                    features=", ".join(ids),
                )
                warnings.append(msg)
                fb.warning(msg)
            half = np.where(bad, LINE_ROAD_HALF_WIDTH, widths / 2.0)
            msg = tr(
                "Layer '{layer}': road lines buffered by half their width (field '{field}') to give road "
                "land.",
                layer=name,
                field=wf,
            )
            notes.append(msg)
            fb.info(msg)
        else:
            half = np.full(len(lines), LINE_ROAD_HALF_WIDTH)
            msg = tr(
                "Layer '{layer}': road lines have no width field ({fields}); each line is taken as a road "
                "edge: parcels must reach the line and may not cross it.",
                layer=name,
                fields=", ".join(ROAD_WIDTH_FIELDS),
            )
            notes.append(msg)
            fb.info(msg)
        buffered = shapely.buffer(lines, half, cap_style="flat", join_style="mitre", quad_segs=8)
        pieces.extend(b for b in buffered if not b.is_empty)
    if not pieces:
        raise LayerError(tr("Layer '{layer}' (roads) holds neither lines nor polygons.", layer=name))
    return shapely.union_all(np.array(pieces, dtype=object))


def _project_geoms(boundary, project_field, project, warnings, fb):
    """{project id: polygon} for the projects to carve (one unless the quota table has projects)."""
    bname = layer_name(boundary)
    if len(boundary) == 0:
        raise LayerError(
            tr("Layer '{layer}' (project boundary) is empty; choose the project's boundary.", layer=bname)
        )
    if project_field:
        fields = [c for c in boundary.columns if c != boundary.geometry.name]
        if project_field not in fields:
            raise FieldError(bname, project_field, fields)
        ids = column_values(boundary, project_field)
        missing = [i for i, v in zip(boundary.index, ids) if v is None]
        if missing:
            raise LayerError(
                tr(
                    "Layer '{layer}': field '{field}' is empty for feature(s) {features}. Give every project "
                    "boundary a project id.",
                    layer=bname,
                    field=project_field,
                    features=missing[:20],
                )
            )
        ids = np.array([str(v).strip() for v in ids], dtype=object)
    else:
        ids = np.array([str(i) for i in boundary.index], dtype=object)
        if len(boundary) > 1 and project is None:
            ids = np.array([str(boundary.index[0])] * len(boundary), dtype=object)
            msg = tr(
                "Layer '{layer}' has {n} features and no project field: they are taken together as one "
                "project.",
                layer=bname,
                n=len(boundary),
            )
            warnings.append(msg)
            fb.warning(msg)
    if project is not None:
        keep = ids == str(project).strip()
        if not keep.any():
            known = ", ".join(sorted(set(ids))[:30])
            if project_field:
                msg = tr(
                    "Layer '{layer}' has no project '{project}' in field '{field}'. Projects in it: {known}.",
                    layer=bname,
                    project=project,
                    field=project_field,
                    known=known,
                )
            else:
                msg = tr(
                    "Layer '{layer}' has no project '{project}'. Projects in it: {known}.",
                    layer=bname,
                    project=project,
                    known=known,
                )
            raise LayerError(msg)
        boundary, ids = boundary[keep], ids[keep]
    geoms, report = clean_polygons(boundary.geometry.values, list(ids), bname)
    for m in report.messages():
        warnings.append(m)
        fb.warning(m)
    out = {}
    for pid in pd.unique(pd.Series(ids, dtype=object)):
        sel = [g for g, i in zip(geoms, ids) if i == pid and g is not None]
        if not sel:
            raise LayerError(
                tr("Layer '{layer}': project '{project}' has no polygon geometry.", layer=bname, project=pid)
            )
        out[pid] = polygonal_part(shapely.union_all(np.array(sel, dtype=object)))
    return out


# --------------------------------------------------------------------------------------------
# the local frame
# --------------------------------------------------------------------------------------------


class _Frame:
    """Metres, origin at the project, x along the project's main axis (for square gauges)."""

    def __init__(self, geom, unit: float):
        self.unit = unit
        c = geom.centroid
        self.ox, self.oy = round(c.x, 0), round(c.y, 0)
        rect = shapely.minimum_rotated_rectangle(geom)
        xy = shapely.get_coordinates(rect)
        dx, dy = xy[1] - xy[0]
        angle = math.atan2(dy, dx) if (dx or dy) else 0.0
        # fold into [-45°, 45°): the smallest rotation that aligns an edge of the rectangle with x
        angle = (angle + math.pi / 4) % (math.pi / 2) - math.pi / 4
        self.angle = angle
        ca, sa = math.cos(-angle), math.sin(-angle)
        u = unit
        # local = R(-angle) * u * (p - o)
        self._fwd = [u * ca, -u * sa, u * sa, u * ca, 0.0, 0.0]
        cb, sb = math.cos(angle), math.sin(angle)
        self._back = [cb / u, -sb / u, sb / u, cb / u, 0.0, 0.0]

    def to_local(self, geom):
        if geom is None:
            return None
        g = affinity.translate(geom, -self.ox, -self.oy)
        return affinity.affine_transform(g, self._fwd)

    def to_world(self, geom):
        g = affinity.affine_transform(geom, self._back)
        return affinity.translate(g, self.ox, self.oy)


# --------------------------------------------------------------------------------------------
# carving
# --------------------------------------------------------------------------------------------


@dataclass
class _Community:
    name: str
    target: float
    anchor: object  # holdings in the local frame, or None


@dataclass
class _Piece:
    community: str
    target: float
    parcel: object  # local frame
    method: str
    note: str = ""


class _ShortfallError(Exception):
    def __init__(self, community, needed, usable, carved):
        self.community, self.needed, self.usable, self.carved = community, needed, usable, carved
        super().__init__(community)


class _OverlayError(Exception):
    """GEOS could not take a parcel out of the available land, even with snap-rounding."""

    def __init__(self, land, parcel, rest):
        self.land, self.parcel, self.rest = land, parcel, rest
        self.community = None
        super().__init__(f"{land} - {parcel} gave {rest}")


#: Overlap (m²) left by rounding that needs no clipping: far below the 1e-6 m² guarantee.
_TRACE = 1e-8
#: Without a minimum width, parcels are still at least twice this wide (m): hairline slivers
#: (rounding left between parcels) are not land.
_SLIVER = 1e-3


def _fmt(a: float) -> str:
    return f"{a:,.2f}"


def _named_area(name, area: float) -> str:
    """``'A' (1,200.00 m²)``: a community and an area, in a list within a message."""
    return tr("'{community}' ({area:,.2f} m²)", community=name, area=area)


class _Carver:
    def __init__(self, developable, r, road_land, width, tolerance, fb, verify=None):
        self.developable = developable
        #: ``verify(parcel)``: whether a parcel (local frame) keeps every guarantee once in the
        #: output CRS (the full width measure the parcels report); None checks nothing more
        self.verify = verify or (lambda parcel: True)
        self.r = r
        self.road_land = road_land
        self.width = width
        self.tolerance = tolerance
        self.aim = tolerance / 4.0
        self.fb = fb

    def land(self, available) -> eng.Land:
        return eng.Land(available, self.r, self.road_land)

    def run(self, communities: list[_Community], pack: bool, progress) -> tuple[list[_Piece], eng.Land]:
        land = self.land(self.developable)
        pieces: list[_Piece] = []
        for i, c in enumerate(communities):
            self.fb.check()
            rest = communities[i + 1 :]
            try:
                new_pieces, land = self._carve_community(land, c, rest, pack, pieces)
            except _OverlayError as exc:
                exc.community = c.name
                raise
            pieces.extend(new_pieces)
            progress(i + 1)
        return pieces, land

    # -- one community --------------------------------------------------------------------------
    def _carve_community(self, land, c: _Community, rest, pack, done):
        accessible = land.accessible()
        total = float(land.capacity[accessible].sum()) if accessible else 0.0
        if total < c.target - self.aim:
            raise _ShortfallError(c, c.target, total, done)
        fits = [k for k in accessible if land.capacity[k] >= c.target - self.aim]
        if fits:
            best = self._best_single(land, c, c.target, fits, rest, pack)
            if best is not None:
                grown, new_land = best
                return [_Piece(c.name, c.target, grown.parcel, grown.gauge.label)], new_land
        # no single block can hold the quota (or none could be grown there): several parcels
        return self._carve_split(land, c, rest, pack, done, fits)

    def _components_near(self, land, ks, anchor):
        if anchor is not None and not anchor.is_empty:
            d = [shapely.distance(land.components[k], anchor) for k in ks]
            order = sorted(range(len(ks)), key=lambda i: (round(d[i], 6), -land.capacity[ks[i]], ks[i]))
        else:
            order = sorted(range(len(ks)), key=lambda i: (-land.capacity[ks[i]], ks[i]))
        return [ks[i] for i in order]

    def _grown_candidates(self, land, c, target, ks, pack):
        """Every acceptable parcel of area ``target`` grown in components ``ks`` (nearest first)."""
        found = []
        for disks in (False, True):
            for k in self._components_near(land, ks, c.anchor)[:2]:
                grower = eng.Grower(land, k)
                gauges = eng.candidate_gauges(
                    grower, c.anchor, n_seeds=3, sweeps=not disks, disks=disks, deep=pack
                )
                for g in gauges:
                    if disks and g.kind != "disk":
                        continue
                    self.fb.check()
                    res = grower.grow(g, target, self.aim)
                    if res is None or not eng.acceptable(res.parcel, self.width, self.road_land):
                        res = grower.grow(g, target, self.aim, round_corners=True)
                        if res is None or not eng.acceptable(res.parcel, self.width, self.road_land):
                            continue
                    found.append(res)
                if found and not pack:
                    break
            if found:
                break
        return found

    def _leftover(self, land, parcel):
        rest = eng.overlay(shapely.difference, land.available, parcel)
        # the parcel lies in the available land, so the rest has the area of the land less the
        # parcel's; GEOS 3.11's overlay can miss the parcel altogether (seen: an intersection of 0
        # m² for a parcel inside the land, so the next parcel was carved on top of it): redo it
        # with snap-rounding (a 1 nm grid) when the areas disagree
        expected = land.available.area - parcel.area
        if abs(rest.area - expected) > max(1e-6 * land.available.area, 1e-3):
            rest = eng.clean(shapely.difference(land.available, parcel, grid_size=1e-9))
            if abs(rest.area - expected) > max(1e-6 * land.available.area, 1e-3):
                raise _OverlayError(land.available.area, parcel.area, rest.area)
        return self.land(rest)

    def _lack(self, new_land: eng.Land, rest) -> float:
        """How much the remaining quotas lack on ``new_land`` (0 when they can still fit)."""
        need = sum(c.target for c in rest)
        if not rest:
            return 0.0
        return max(need - new_land.usable_area, 0.0)

    def _best_single(self, land, c, target, ks, rest, pack, max_checks: int = 6):
        """The best acceptable parcel and the land it leaves, or None when none could be grown.

        Compact pass: by score, the first whose leftover can still hold the remaining quotas.
        Pack pass: the one leaving the most usable land (least wasted), then by score.
        """
        found = self._grown_candidates(land, c, target, ks, pack)
        if not found:
            return None
        verified = {}

        def ok(i):
            if i not in verified:
                verified[i] = bool(self.verify(found[i].parcel))
            return verified[i]

        pending = [o.anchor for o in rest if o.anchor is not None and o.name != c.name]
        others = shapely.union_all(np.array(pending, dtype=object)) if pending else None
        if others is not None and c.anchor is not None:
            others = eng.overlay(shapely.difference, others, c.anchor)  # shared holdings count as own
        scores = [eng.score(g.parcel, c.anchor, target, others) for g in found]
        order = sorted(range(len(found)), key=lambda i: (-round(scores[i], 9), i))
        if not rest:
            i = next((i for i in order if ok(i)), None)
            return (found[i], None) if i is not None else None
        checked = []
        for i in order:
            if not pack and len(checked) >= max_checks:
                break
            if not ok(i):
                continue
            new_land = self._leftover(land, found[i].parcel)
            lack = self._lack(new_land, rest)
            if not pack and lack <= 0:
                return found[i], new_land
            checked.append(
                (round(lack, 6), -round(new_land.usable_area, 6), -round(scores[i], 9), i, new_land)
            )
        if not checked:
            return None
        best = min(checked, key=lambda x: x[:4])
        return found[best[3]], best[4]

    def _whole_block_order(self, land, smaller, accessible, remaining, anchor):
        """Blocks to take whole: those after which the rest fits in one other block first, then
        the nearest to the holdings, then the largest."""
        cap = {k: float(land.capacity[k]) for k in accessible}

        def parts_after(k):
            left = remaining - cap[k]
            return 1 if any(cap[j] >= left - self.aim for j in accessible if j != k) else 2

        def dist(k):
            if anchor is None or anchor.is_empty:
                return 0.0
            return round(float(shapely.distance(land.usable[k], anchor)), 3)

        return sorted(smaller, key=lambda k: (parts_after(k), dist(k), -round(cap[k], 6), k))

    def _carve_split(self, land, c, rest, pack, done, fits):
        pieces = []
        remaining = c.target
        largest = float(land.capacity[land.accessible()].max()) if land.accessible() else 0.0
        # fewest parcels: the rest goes where one block can hold it, else the largest block is
        # taken whole and the loop goes on
        while remaining > self.aim:
            self.fb.check()
            accessible = land.accessible()
            if not accessible:
                raise _ShortfallError(c, remaining, 0.0, done + pieces)
            holders = [k for k in accessible if land.capacity[k] >= remaining - self.aim]
            if holders:
                best = self._best_single(land, c, remaining, holders, rest, pack)
                if best is not None:
                    grown, land = best
                    pieces.append(_Piece(c.name, remaining, grown.parcel, grown.gauge.label))
                    remaining = 0.0
                    break
            smaller = [k for k in accessible if land.capacity[k] < remaining - self.aim]
            placed = False
            for k in self._whole_block_order(land, smaller, accessible, remaining, c.anchor):
                whole = land.usable[k]
                if whole.geom_type != "Polygon" or not eng.acceptable(whole, self.width, self.road_land):
                    continue
                if not self.verify(whole):
                    continue
                floor = 2.0 * math.pi * self.r**2  # a remainder this large can still be grown
                left = remaining - whole.area
                if self.width > 0 and self.aim < left < floor:
                    # the whole block would leave less than the smallest parcel MIN_WIDTH wide:
                    # take less from it, so that the rest can be grown in another block
                    part = remaining - floor
                    best = self._best_single(land, c, part, [k], rest, pack) if part > floor else None
                    if best is None:
                        continue
                    grown, new_land = best
                    pieces.append(_Piece(c.name, part, grown.parcel, grown.gauge.label))
                    remaining = floor
                    land = new_land if new_land is not None else self._leftover(land, grown.parcel)
                    placed = True
                    break
                pieces.append(_Piece(c.name, whole.area, whole, "whole block of usable land"))
                remaining -= whole.area
                land = self._leftover(land, whole)
                placed = True
                break
            if not placed:
                raise _ShortfallError(c, remaining, land.usable_area, done + pieces)
        n = len(pieces)
        # the parcels' note: prose for the officer, in the current language
        if fits:
            note = tr(
                "quota {quota} m² could not be grown as one parcel meeting every guarantee in the blocks "
                "large enough for it; carved as {n} parcels",
                quota=_fmt(c.target),
                n=n,
            )
        elif self.road_land is not None:
            note = tr(
                "quota {quota} m² does not fit in one parcel: the largest block of usable land reachable "
                "from a road holds {largest} m²; carved as {n} parcels",
                quota=_fmt(c.target),
                n=n,
                largest=_fmt(largest),
            )
        else:
            note = tr(
                "quota {quota} m² does not fit in one parcel: the largest block of usable land holds "
                "{largest} m²; carved as {n} parcels",
                quota=_fmt(c.target),
                n=n,
                largest=_fmt(largest),
            )
        for p in pieces:
            p.note = note
        fields = dict(community=c.name, quota=c.target, n=n)
        if fits:
            msg = tr(
                "Community '{community}': quota {quota:,.2f} m² could not be grown as one parcel meeting "
                "every guarantee in the blocks large enough for it; carved as {n} parcels.",
                **fields,
            )
        elif self.road_land is not None:
            msg = tr(
                "Community '{community}': quota {quota:,.2f} m² does not fit in one parcel: the largest "
                "block of usable land reachable from a road holds {largest:,.2f} m²; carved as {n} parcels.",
                largest=largest,
                **fields,
            )
        else:
            msg = tr(
                "Community '{community}': quota {quota:,.2f} m² does not fit in one parcel: the largest "
                "block of usable land holds {largest:,.2f} m²; carved as {n} parcels.",
                largest=largest,
                **fields,
            )
        self.fb.warning(msg)
        return pieces, land


# --------------------------------------------------------------------------------------------
# the public function
# --------------------------------------------------------------------------------------------


def _describe_land(geoms, frame: _Frame, limit: int = 8) -> str:
    parts = eng.parts_of(shapely.union_all(np.array(geoms, dtype=object))) if len(geoms) else []
    if not parts:
        return tr("none")
    lines = []
    for p in parts[:limit]:
        w = frame.to_world(p)
        c = w.centroid
        minx, miny, maxx, maxy = w.bounds
        lines.append(
            tr(
                "{area:,.2f} m² around ({x:.1f}, {y:.1f}), extent ({minx:.1f}, {miny:.1f})–({maxx:.1f}, "
                "{maxy:.1f})",
                area=p.area,
                x=c.x,
                y=c.y,
                minx=minx,
                miny=miny,
                maxx=maxx,
                maxy=maxy,
            )
        )
    if len(parts) > limit:
        return tr(
            "{n} block(s): {blocks}; and {more} smaller block(s)",
            n=len(parts),
            blocks="; ".join(lines),
            more=len(parts) - limit,
        )
    return tr("{n} block(s): {blocks}", n=len(parts), blocks="; ".join(lines))


def carve_retained(
    boundary,
    quotas: pd.DataFrame,
    *,
    exclude=(),
    prefer=None,
    prefer_field: str | None = None,
    roads=None,
    min_width: float = 20.0,
    tolerance: float = 0.01,
    project_field: str | None = None,
    project=None,
    road_width_field: str | None = None,
    within=None,
    feedback: Feedback | None = None,
    measure_crs=None,
) -> CarveResult:
    """Carve each community's retained-land parcel(s) to its quota.

    Parameters
    ----------
    boundary : GeoDataFrame
        The project boundary: one project (several features with the same ``project_field`` value
        form one project; without a project field all features are taken together), or choose one
        with ``project``. Several projects are carved one after the other when the quota table has
        a ``project`` column.
    quotas : DataFrame
        ``community`` + ``target_area`` (m²), or the quota trail of ``landcoord:retainedquota``
        (``community``, ``item``, ``value``); see :func:`quota_targets`.
    exclude : GeoDataFrame or sequence of GeoDataFrames
        Land retained land may not use: blocking control zones, planned roads, public facilities.
    prefer : GeoDataFrame, optional
        Each community's existing holdings; parcels are carved next to (or on) them.
    prefer_field : str, optional
        Field of ``prefer`` naming the community (matched to the quota table's community).
    roads : GeoDataFrame, optional
        Road polygons (road land), or road lines (buffered by half their width when a width field
        is found, see :data:`ROAD_WIDTH_FIELDS`, else taken as road edges). Every parcel touches
        road land (within :data:`ROAD_TOUCH` m); road land is never carved.
    min_width : float
        No part of a parcel narrower than this (m); see :mod:`~landcoord.allocation.shapes`.
    tolerance : float
        Largest allowed difference (m²) between a parcel's area and its target.
    project_field, project
        Field of ``boundary`` with the project id, and the project to carve.
    road_width_field : str, optional
        Field of ``roads`` (lines) with the road width in m (default: found by name).
    within : GeoDataFrame or sequence of GeoDataFrames, optional
        Land retained land must lie inside, such as the urban development boundary (城镇开发边界):
        the project's land outside it is excluded.
    feedback : Feedback, optional
    measure_crs : pyproj.CRS or str, optional
        The officer's measuring CRS (one per project run); by default the boundary's projected CRS,
        else its national or local projection (:func:`~landcoord.allocation.crs.project_measurement_crs`).

    Returns
    -------
    CarveResult

    Raises
    ------
    InfeasibleError
        When the quotas cannot be carved: the message gives the shortfall in m² and where the
        developable land is.
    FieldError, LayerError, InputError, CRSError

    Examples
    --------
    >>> from shapely import box
    >>> project = gpd.GeoDataFrame(geometry=[box(0, 0, 200, 100)], crs=4547)
    >>> school = gpd.GeoDataFrame(geometry=[box(80, 0, 120, 40)], crs=4547)
    >>> quotas = pd.DataFrame({"community": ["A", "B"], "target_area": [4000.0, 2500.0]})
    >>> r = carve_retained(project, quotas, exclude=[school], min_width=20)
    >>> r.parcels[["community", "target_area"]].values.tolist()
    [['A', 4000.0], ['B', 2500.0]]
    >>> bool((r.parcels.deviation.abs() <= 0.01).all())
    True
    >>> float(r.parcels.intersection(school.geometry[0]).area.max())
    0.0
    """
    # GEOS's robust predicates divide by zero and make NaNs on purpose in degenerate cases; numpy
    # would report each as a RuntimeWarning although the results are right
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return _carve(
            boundary,
            quotas,
            exclude=exclude,
            prefer=prefer,
            prefer_field=prefer_field,
            roads=roads,
            min_width=min_width,
            tolerance=tolerance,
            project_field=project_field,
            project=project,
            road_width_field=road_width_field,
            within=within,
            feedback=feedback,
            measure_crs=measure_crs,
        )


def _carve(
    boundary,
    quotas,
    *,
    exclude,
    prefer,
    prefer_field,
    roads,
    min_width,
    tolerance,
    project_field,
    project,
    road_width_field,
    within,
    feedback,
    measure_crs=None,
) -> CarveResult:
    fb = feedback or Feedback()
    notes: list[str] = []
    warnings: list[str] = []
    try:
        min_width = float(min_width)
        tolerance = float(tolerance)
    except (TypeError, ValueError) as exc:
        raise InputError(tr("MIN_WIDTH and TOLERANCE must be numbers: {error}", error=exc)) from exc
    if not math.isfinite(min_width) or min_width < 0:
        raise InputError(tr("MIN_WIDTH must be 0 or more metres, got {value}.", value=min_width))
    if not math.isfinite(tolerance) or tolerance <= 0:
        raise InputError(tr("TOLERANCE must be more than 0 m², got {value}.", value=tolerance))
    boundary = _frame(boundary, "boundary")
    bname = layer_name(boundary)
    if boundary.crs is None:
        raise LayerError(
            tr("Layer '{layer}' (project boundary) has no coordinate reference system; set it.", layer=bname)
        )
    measure = project_measurement_crs(boundary, choice=measure_crs)
    notes.append(measure.note)
    fb.info(measure.note)
    boundary = to_crs(boundary, measure.crs)
    unit = math.sqrt(measure.area_factor)

    projects = _project_geoms(boundary, project_field, project, warnings, fb)
    table = quota_targets(quotas, project=project)
    qname = str(getattr(quotas, "attrs", {}).get("name", "quotas"))
    by_project = {}
    has_projects = bool(table["project"].notna().any())
    table_projects = sorted({str(p) for p in table["project"].dropna()})
    for pid in projects:
        if not has_projects:
            if len(projects) > 1:
                raise InputError(
                    tr(
                        "Layer '{layer}' holds {n} projects ({projects}) but table '{table}' has no project "
                        "column. Choose one project (project id or selection).",
                        layer=bname,
                        n=len(projects),
                        projects=", ".join(list(projects)[:20]),
                        table=qname,
                    )
                )
            by_project[pid] = table
        elif project_field or project is not None:
            by_project[pid] = table[table["project"] == pid]
            if len(by_project[pid]) == 0:
                raise InputError(
                    tr(
                        "Table '{table}' has no quota for project '{project}' of layer '{layer}'. Projects "
                        "in the table: {projects}.",
                        table=qname,
                        project=pid,
                        layer=bname,
                        projects=", ".join(table_projects),
                    )
                )
        elif len(table_projects) > 1:
            raise InputError(
                tr(
                    "Table '{table}' has quotas for several projects ({projects}); name the project field of "
                    "layer '{layer}' so the quotas can be matched to the boundary.",
                    table=qname,
                    projects=", ".join(table_projects),
                    layer=bname,
                )
            )
        else:
            by_project[pid] = table
    unknown = sorted(set(table_projects) - set(projects)) if has_projects else []
    if unknown and len(projects) > 1:
        msg = tr(
            "Table '{table}': project(s) {projects} not in '{layer}'; their quotas are skipped.",
            table=qname,
            projects=", ".join(unknown),
            layer=bname,
        )
        warnings.append(msg)
        fb.warning(msg)
    unverified = table[table["verified"] == False]  # noqa: E712 - None means "not stated"
    if len(unverified):
        msg = tr(
            "The quotas of {communities} are not official (they rest on rule values marked unverified or on "
            "example values); the parcels are drawn to them but are not official either.",
            communities=", ".join(
                str(c) if p is None else f"{c} ({p})"
                for p, c in zip(unverified["project"], unverified["community"])
            ),
        )
        warnings.append(msg)
        fb.warning(msg)

    # -- the other layers, in the measurement CRS ---------------------------------------------
    excl_geoms = []
    for i, layer in enumerate(_as_frames(exclude)):
        layer = _to_measure(_frame(layer, f"exclude[{i}]"), measure, "EXCLUDE", notes, fb)
        if len(layer) == 0:
            continue
        g = _polygons(layer, list(layer.index), "EXCLUDE", warnings, fb)
        excl_geoms.extend(x for x in g if x is not None)
    road_land_w = None
    if roads is not None:
        roads = _to_measure(_frame(roads, "roads"), measure, "ROADS", notes, fb)
        road_land_w = _road_land(roads, road_width_field, warnings, notes, fb)
    holdings = {}
    if prefer is not None:
        prefer = _to_measure(_frame(prefer, "prefer"), measure, "PREFER", notes, fb)
        pname = layer_name(prefer)
        fields = [c for c in prefer.columns if c != prefer.geometry.name]
        if not prefer_field:
            raise FieldError(
                pname, str(prefer_field), fields, expected=tr("set (the community of each holding)")
            )
        if prefer_field not in fields:
            raise FieldError(pname, prefer_field, fields)
        names = column_values(prefer, prefer_field)
        geoms = shapely.force_2d(prefer.geometry.values)
        for n, g in zip(names, geoms):
            if n is None or g is None or g.is_empty:
                continue
            holdings.setdefault(str(n).strip(), []).append(g)
        holdings = {k: shapely.union_all(np.array(v, dtype=object)) for k, v in holdings.items()}
    fb.progress(5)

    within_union = None
    if within is not None:
        inside = []
        for i, layer in enumerate(_as_frames(within)):
            layer = _to_measure(_frame(layer, f"within[{i}]"), measure, "WITHIN", notes, fb)
            if len(layer):
                inside.extend(
                    x for x in _polygons(layer, list(layer.index), "WITHIN", warnings, fb) if x is not None
                )
        within_union = shapely.union_all(np.array(inside, dtype=object)) if inside else shapely.Polygon()
    excl_union = shapely.union_all(np.array(excl_geoms, dtype=object)) if excl_geoms else None
    parcel_rows, land_rows = [], []
    n_projects = len(projects)
    for j, (pid, pgeom) in enumerate(projects.items()):
        sub = by_project[pid]
        rows, lrows = _carve_project(
            pid,
            pgeom,
            sub,
            excl_union,
            within_union,
            road_land_w,
            holdings,
            min_width,
            tolerance,
            unit,
            measure,
            notes,
            warnings,
            fb,
            progress=lambda f, j=j: fb.progress(5 + 90 * (j + f) / n_projects),
        )
        parcel_rows.extend(rows)
        land_rows.extend(lrows)

    parcels = gpd.GeoDataFrame(
        pd.DataFrame([r[0] for r in parcel_rows], columns=PARCEL_COLUMNS),
        geometry=gpd.GeoSeries([r[1] for r in parcel_rows], crs=measure.crs),
        crs=measure.crs,
    )
    for col in ("part", "parts"):
        parcels[col] = parcels[col].astype("int64")
    land = gpd.GeoDataFrame(
        pd.DataFrame([r[0] for r in land_rows], columns=LAND_COLUMNS),
        geometry=gpd.GeoSeries([r[1] for r in land_rows], crs=measure.crs),
        crs=measure.crs,
    )
    fb.progress(100)
    off_limits = [g for g in (excl_union, road_land_w) if g is not None]
    if within_union is not None:
        outline = shapely.union_all(np.array(list(projects.values()), dtype=object))
        off_limits.append(shapely.difference(outline, within_union))
    excluded = shapely.union_all(np.array(off_limits, dtype=object)) if off_limits else None
    return CarveResult(
        parcels=parcels,
        land=land,
        measure=measure,
        notes=notes,
        warnings=warnings,
        excluded=excluded,
        road_land=road_land_w,
        min_width=min_width,
    )


def _carve_project(
    pid,
    pgeom,
    table,
    excl_union,
    within_union,
    road_land_w,
    holdings,
    width,
    tolerance,
    unit,
    measure,
    notes,
    warnings,
    fb,
    progress,
):
    # developable land in world coordinates: the exact reference the parcels are clipped to
    developable_w = pgeom
    if within_union is not None:
        developable_w = shapely.intersection(developable_w, within_union)
    if excl_union is not None:
        developable_w = shapely.difference(developable_w, excl_union)
    if road_land_w is not None:
        developable_w = shapely.difference(developable_w, road_land_w)
    developable_w = polygonal_part(developable_w) or shapely.Polygon()
    frame = _Frame(pgeom, unit)
    developable = eng.clean(frame.to_local(developable_w))
    road_land = None
    if road_land_w is not None:
        near = shapely.buffer(pgeom, 1000.0 / unit, quad_segs=2)
        road_land = frame.to_local(shapely.intersection(road_land_w, near))
        if road_land.is_empty:
            road_land = frame.to_local(road_land_w)
    # even without a minimum width, hairline slivers (rounding left between parcels) are not land
    r = max(width / 2.0, _SLIVER) + 1e-6

    communities = []
    for rec in table.itertuples(index=False):
        if rec.target_area <= 0:
            msg = tr(
                "Project {project}, community '{community}': quota 0 m², nothing to carve.",
                project=pid,
                community=rec.community,
            )
            notes.append(msg)
            fb.info(msg)
            continue
        h = holdings.get(str(rec.community).strip())
        anchor = frame.to_local(h) if h is not None else None
        if holdings and h is None:
            msg = tr(
                "Community '{community}' has no holdings in PREFER; its parcel is placed by shape and road "
                "access only.",
                community=rec.community,
            )
            warnings.append(msg)
            fb.warning(msg)
        communities.append(_Community(str(rec.community), float(rec.target_area), anchor))
    communities.sort(key=lambda c: (-c.target, c.name))

    def to_output(parcel):
        """A parcel (local frame) as it is written: in the output CRS, within the developable land."""
        g = frame.to_world(parcel)
        if not g.is_valid:  # rounding in the transform can fold a micrometre-sized notch
            g = polygonal_part(shapely.make_valid(g, method="structure", keep_collapsed=False))
            g = eng.parts_of(g)[0] if g is not None else shapely.Polygon()
        # the parcel lies in the developable land up to rounding; clip only when rounding left more
        # than a trace outside (clipping along nearly tangent edges would add needle-thin corners)
        if shapely.difference(g, developable_w).area * unit * unit > _TRACE:
            g = shapely.intersection(g, developable_w)
            parts = eng.parts_of(g)
            g = parts[0] if parts else shapely.Polygon()
        return g

    def metric(g):
        return affinity.scale(g, unit, unit, origin=(0, 0)) if unit != 1.0 else g

    def verify(parcel):
        """The full width measure (the one reported) on the parcel as it will be written."""
        if width <= 0:
            return True
        g = to_output(parcel)
        return g.geom_type == "Polygon" and g.is_valid and respects_width(metric(g), width)

    carver = _Carver(developable, r, road_land, width, tolerance, fb, verify=verify)
    start = carver.land(developable)
    usable_total = start.usable_area
    need = sum(c.target for c in communities)
    land_fields = dict(
        area=developable.area,
        developable=_describe_land([developable], frame),
        width=width,
        usable=_describe_land([start.usable[k] for k in start.accessible()], frame),
    )
    if road_land is not None:
        where = tr(
            "Developable land (project less EXCLUDE zones and road land): {area:,.2f} m² in {developable}. "
            "Of it, land at least {width:g} m wide and reachable from a road: {usable}.",
            **land_fields,
        )
    else:
        where = tr(
            "Developable land (project less EXCLUDE zones and road land): {area:,.2f} m² in {developable}. "
            "Of it, land at least {width:g} m wide: {usable}.",
            **land_fields,
        )
    smallest = math.pi * (width / 2.0) ** 2
    too_small = [c for c in communities if c.target < smallest - tolerance]
    if too_small:
        names = ", ".join(_named_area(c.name, c.target) for c in too_small)
        raise InfeasibleError(
            tr(
                "Project {project}: the quota of {names} is smaller than the smallest parcel at least "
                "{width:g} m wide (a disk {width:g} m across: {smallest:,.2f} m²); no parcel can be both. "
                "Lower MIN_WIDTH for this run or merge the quota with another.",
                project=pid,
                names=names,
                width=width,
                smallest=smallest,
            )
        )
    if road_land is not None and communities and not start.accessible():
        # how far the nearest parcel at least MIN_WIDTH wide could stand from a road: its centre
        # land (the usable land eroded by half the width) lies that much more than half a width away
        gap = min((shapely.distance(c, road_land) for c in start.components), default=float("nan")) - start.r
        gap = max(gap, 0.0)
        raise InfeasibleError(
            tr(
                "Project {project}: no road access. No land at least {width:g} m wide touches road land; the "
                "nearest is {gap:,.2f} m from a road: shortfall {need:,.2f} m² (every quota). {where} Give "
                "the roads that serve the project (road polygons, or lines with a width field).",
                project=pid,
                width=width,
                gap=gap,
                need=need,
                where=where,
            )
        )
    if need > usable_total + carver.aim * len(communities):
        fields = dict(
            project=pid,
            need=need,
            usable=usable_total,
            width=width,
            shortfall=need - usable_total,
            where=where,
        )
        if road_land is not None:
            msg = tr(
                "Project {project}: not enough land for the retained-land quotas. They total {need:,.2f} m², "
                "but only {usable:,.2f} m² of the developable land is at least {width:g} m wide and "
                "reachable from a road: shortfall {shortfall:,.2f} m². {where} Lower the quotas, review the "
                "EXCLUDE zones or the minimum width.",
                **fields,
            )
        else:
            msg = tr(
                "Project {project}: not enough land for the retained-land quotas. They total {need:,.2f} m², "
                "but only {usable:,.2f} m² of the developable land is at least {width:g} m wide: shortfall "
                "{shortfall:,.2f} m². {where} Lower the quotas, review the EXCLUDE zones or the minimum "
                "width.",
                **fields,
            )
        raise InfeasibleError(msg)

    n = max(len(communities), 1)
    pieces = None
    failure = None
    # compact parcels, largest quota first; else packed tightly; else packed, smallest quota first
    # (a large parcel carved first can cut the land behind it off from the roads)
    attempts = [(False, communities), (True, communities)]
    if len(communities) > 1:
        attempts.append((True, sorted(communities, key=lambda c: (c.target, c.name))))
    rank = {c.name: i for i, c in enumerate(communities)}
    for j, (pack, order) in enumerate(attempts):
        try:
            pieces, end = carver.run(order, pack, lambda i, j=j: progress((j + i / n) / len(attempts)))
            pieces.sort(key=lambda p: rank[p.community])  # stable: a community's parts keep their order
            if pack:
                msg = tr(
                    "Project {project}: carving the most compact parcels first left too little land for the "
                    "last quotas; the parcels were packed tightly instead.",
                    project=pid,
                )
                notes.append(msg)
                fb.info(msg)
            break
        except _ShortfallError as exc:
            if failure is None or exc.needed - exc.usable < failure.needed - failure.usable:
                failure = exc
        except _OverlayError as exc:
            raise InternalError(
                tr(
                    "Project {project}, community '{community}': GEOS could not take the carved parcel "
                    "({parcel:,.2f} m²) out of the available land ({land:,.2f} m²; the rest came out as "
                    "{rest:,.2f} m²), even with snap-rounding; nothing was written. Report this with the "
                    "input data.",
                    project=pid,
                    community=exc.community,
                    parcel=exc.parcel,
                    land=exc.land,
                    rest=exc.rest,
                )
            ) from exc
    if pieces is None:
        exc = failure
        carved = ", ".join(_named_area(p.community, p.parcel.area) for p in exc.carved) or tr("nothing")
        fields = dict(
            project=pid,
            community=exc.community.name,
            carved=carved,
            needed=exc.needed,
            width=width,
            usable=exc.usable,
            shortfall=max(exc.needed - exc.usable, 0.0),
            need=need,
            total=usable_total,
            where=where,
        )
        if exc.needed <= exc.usable + carver.aim:
            # enough land by area, but no parcel meeting every guarantee could be grown in it
            if exc.needed < smallest - tolerance:
                why = tr(
                    "{needed:,.2f} m² is less than the smallest parcel at least {width:g} m wide "
                    "({smallest:,.2f} m²)",
                    needed=exc.needed,
                    width=width,
                    smallest=smallest,
                )
            else:
                why = tr(
                    "no parcel of that area at least {width:g} m wide and touching a road could be grown in "
                    "the remaining blocks",
                    width=width,
                )
            msg = tr(
                "Project {project}: community '{community}' cannot get its quota. After carving {carved}, "
                "{needed:,.2f} m² are still to be carved; the remaining usable land ({usable:,.2f} m²) holds "
                "that much by area, but {why}: shortfall {needed:,.2f} m² (compact and packed carvings, "
                "largest and smallest quotas first, were all tried). Lower the quotas, review the EXCLUDE "
                "zones or the minimum width. {where}",
                why=why,
                **fields,
            )
        elif road_land is not None:
            msg = tr(
                "Project {project}: community '{community}' cannot get its quota. After carving {carved}, "
                "{needed:,.2f} m² are still to be carved but the remaining land at least {width:g} m wide "
                "and reachable from a road is {usable:,.2f} m²: shortfall {shortfall:,.2f} m² (the quotas "
                "total {need:,.2f} m² against {total:,.2f} m² of such land, but the parcels carved first "
                "leave the rest narrower than {width:g} m or cut off from the roads; compact and packed "
                "carvings were both tried). {where}",
                **fields,
            )
        else:
            msg = tr(
                "Project {project}: community '{community}' cannot get its quota. After carving {carved}, "
                "{needed:,.2f} m² are still to be carved but the remaining land at least {width:g} m wide is "
                "{usable:,.2f} m²: shortfall {shortfall:,.2f} m² (the quotas total {need:,.2f} m² against "
                "{total:,.2f} m² of such land, but the parcels carved first leave the rest narrower than "
                "{width:g} m; compact and packed carvings were both tried). {where}",
                **fields,
            )
        raise InfeasibleError(msg)

    # -- back to the world: clip to the developable land, keep the parcels disjoint, measure ------
    rows, taken = [], []
    counts = {}
    for p in pieces:
        counts[p.community] = counts.get(p.community, 0) + 1
    seen = {}
    quota_of = {c.name: c.target for c in communities}
    holdings_w = {c.name: holdings.get(c.name) for c in communities}
    for p in pieces:
        g = to_output(p.parcel)
        # off the other parcels up to rounding (clipped only beyond a trace, as in to_output)
        if taken:
            others = shapely.union_all(np.array(taken, dtype=object))
            if shapely.intersection(g, others).area * unit * unit > _TRACE:
                g = shapely.difference(g, others)
        parts = eng.parts_of(g)
        g = parts[0] if parts else shapely.Polygon()
        area = g.area * unit * unit
        if abs(area - p.target) > tolerance:
            raise InternalError(
                tr(
                    "Project {project}, community '{community}': the parcel's area {area:.4f} m² misses its "
                    "target {target:.4f} m² by more than {tolerance} m² after projecting back; nothing was "
                    "written. Report this with the input data.",
                    project=pid,
                    community=p.community,
                    area=area,
                    target=p.target,
                    tolerance=tolerance,
                )
            )
        taken.append(g)
        metric_g = metric(g)
        road_metric = None
        if road_land_w is not None:
            road_metric = (
                affinity.scale(road_land_w, unit, unit, origin=(0, 0)) if unit != 1.0 else road_land_w
            )
        h = holdings_w.get(p.community)
        dist = float(shapely.distance(g, h)) * unit if h is not None else float("nan")
        seen[p.community] = seen.get(p.community, 0) + 1
        row = {
            "project": pid,
            "community": p.community,
            "part": seen[p.community],
            "parts": counts[p.community],
            "quota": quota_of[p.community],
            "target_area": p.target,
            "area": area,
            "deviation": area - p.target,
            "compactness": polsby_popper(metric_g),
            "min_width": min_width(metric_g),
            "frontage": frontage(metric_g, road_metric, ROAD_TOUCH)
            if road_metric is not None
            else float("nan"),
            "distance_to_holdings": dist,
            "method": p.method,
            "note": p.note or None,
        }
        if width > 0 and row["min_width"] < width - 1e-9:  # the measure reported is the one enforced
            raise InternalError(
                tr(
                    "Project {project}, community '{community}': the parcel does not keep the minimum width "
                    "after projecting back; nothing was written. Report this with the input data.",
                    project=pid,
                    community=p.community,
                )
            )
        rows.append((row, g))
    remaining_w = shapely.difference(developable_w, shapely.union_all(np.array(taken, dtype=object)))
    usable_w = frame.to_world(
        shapely.union_all(
            np.array([start.usable[k] for k in start.accessible()] or [shapely.Polygon()], dtype=object)
        )
    )
    u2 = unit * unit
    lrows = [
        ({"project": pid, "kind": "developable", "area": developable_w.area * u2}, developable_w),
        ({"project": pid, "kind": "usable", "area": usable_w.area * u2}, usable_w),
        (
            {"project": pid, "kind": "remaining", "area": remaining_w.area * u2},
            polygonal_part(remaining_w) or shapely.Polygon(),
        ),
    ]
    msg = tr(
        "Project {project}: {parcels} parcel(s) for {communities} communities, {area:,.2f} m² of "
        "{developable:,.2f} m² developable.",
        project=pid,
        parcels=len(rows),
        communities=len(communities),
        area=sum(r[0]["area"] for r in rows),
        developable=developable_w.area * u2,
    )
    notes.append(msg)
    fb.info(msg)
    progress(1.0)
    return rows, lrows
