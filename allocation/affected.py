"""Affected area by rights-holder: project boundaries over cadastral parcels, exactly accounted.

For each project, every square metre inside the boundary ends up in exactly one of: a parcel piece
(claimed once), an overlap (claimed by two or more parcels, each pair reported), or a gap (claimed
by no parcel). The reconciliation table shows, per project, that the parts add up to the boundary.

Speed comes from not clipping what needs no clipping: parcels that lie wholly inside a boundary
(most of them) are taken as they are; only parcels that cross a boundary edge are intersected.
Coverage checks run as a GEOS coverage union, with the exact pairwise path as the fallback when a
project's parcels do not form a clean coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ._parallel import chunked, chunked_groups, map_ordered, prepared_copies
from .crs import MeasureCRS, match_crs, measurement_crs, project_measurement_crs, scale_warning
from .errors import LayerError
from .feedback import Feedback
from .geometry import clean_polygons, polygonal_part
from .i18n import tr, trn
from .io.files import column_values, layer_name, require_field

__all__ = [
    "AreaMethod",
    "AffectedResult",
    "affected_area",
    "RESIDUE_AREA",
    "PIECE_COLUMNS",
    "SUMMARY_COLUMNS",
    "STATUS_COLUMNS",
    "GAP_COLUMNS",
    "OVERLAP_COLUMNS",
    "RECONCILE_COLUMNS",
    "GAP_WARNING_SHARE",
    "measured_statement",
    "measure_note",
]

#: Gap and overlap parts smaller than this (m²) are floating-point residue of the overlay, not
#: features of the data. They are not listed as features but their total is in the reconciliation.
RESIDUE_AREA = 1e-6

PIECE_COLUMNS = [
    "project",
    "parcel_id",
    "holder",
    "status",
    "piece_area",
    "parcel_area",
    "parcel_share",
    "held_area",
]
SUMMARY_COLUMNS = ["project", "holder", "parcels", "affected_area", "project_share", "held_area"]

#: Share of a project's boundary area that may be gap (claimed by no parcel) before a warning.
GAP_WARNING_SHARE = 0.10
STATUS_COLUMNS = ["project", "holder", "status", "area"]
GAP_COLUMNS = ["project", "gap_area"]
OVERLAP_COLUMNS = ["project", "parcel_a", "parcel_b", "overlap_area"]
RECONCILE_COLUMNS = [
    "project",
    "project_area",
    "covered_area",
    "gap_area",
    "claimed_area",
    "double_claimed_area",
    "residue_area",
    "balanced",
    "measured",
]


class AreaMethod(IntEnum):
    """How areas are measured (the values are the Processing enum indexes)."""

    PLANAR = 0
    ELLIPSOIDAL = 1


@dataclass
class AffectedResult:
    """Everything :func:`affected_area` computes.

    Attributes
    ----------
    pieces : GeoDataFrame
        One row per parcel × project (:data:`PIECE_COLUMNS`). ``piece_area`` is the land the parcel
        claims inside the project; ``held_area`` the same land counted once: land two (or more)
        parcels claim is split equally between them, so a project's ``held_area`` adds up to its
        covered area (boundary − gaps), the one project-land figure every later step uses.
    summary : DataFrame
        Per project × holder (:data:`SUMMARY_COLUMNS`): ``affected_area`` (claimed) and ``held_area``.
    status_summary : DataFrame
        Per project × holder × status (:data:`STATUS_COLUMNS`).
    gaps : GeoDataFrame
        Area inside a project claimed by no parcel (:data:`GAP_COLUMNS`), one row per part.
    overlaps : GeoDataFrame
        Area claimed by two parcels (:data:`OVERLAP_COLUMNS`), one row per pair.
    reconciliation : DataFrame
        Per project: boundary area = covered + gaps; claimed - covered = double-claimed; ``measured``
        says the CRS and method (:meth:`MeasureCRS.statement`).
    measure : MeasureCRS
        The CRS the areas were measured in (all geometries are in it).
    method : AreaMethod
        Planar or ellipsoidal; :attr:`statement` says both in one line.
    warnings : list of str
        Everything the officer should look at (repairs, parcels without holder, ...).
    """

    pieces: gpd.GeoDataFrame
    summary: pd.DataFrame
    status_summary: pd.DataFrame
    gaps: gpd.GeoDataFrame
    overlaps: gpd.GeoDataFrame
    reconciliation: pd.DataFrame
    measure: MeasureCRS
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    method: AreaMethod = AreaMethod.PLANAR
    #: what each warning is about, in step with ``warnings``: ``repair`` (invalid geometries),
    #: ``no_holder``, ``unbalanced`` (one project each) or ``overlaps`` (the total)
    warning_kinds: list = field(default_factory=list)

    @property
    def statement(self) -> str:
        """How the areas were measured: "planar areas in EPSG:x (...)" or "ellipsoidal areas on ..."."""
        return self.measure.statement(self.method == AreaMethod.ELLIPSOIDAL)

    def layers(self) -> dict:
        """Output layers by the names the command line writes them under."""
        return {
            "pieces": self.pieces,
            "summary": self.summary,
            "status_summary": self.status_summary,
            "gaps": self.gaps,
            "overlaps": self.overlaps,
            "reconciliation": self.reconciliation,
        }


class _Measurer:
    """Areas in m², planar on the measurement CRS or ellipsoidal on its ellipsoid."""

    def __init__(self, measure: MeasureCRS, method: AreaMethod):
        self.measure = measure
        self.method = AreaMethod(method)
        if self.method == AreaMethod.ELLIPSOIDAL:
            geodetic = measure.crs.geodetic_crs
            self._geod = geodetic.get_geod()
            self._to_geo = pyproj.Transformer.from_crs(measure.crs, geodetic, always_xy=True)

    def __call__(self, geoms) -> np.ndarray:
        geoms = np.asarray(geoms, dtype=object)
        if len(geoms) == 0:
            return np.zeros(0)
        if self.method == AreaMethod.PLANAR:
            return shapely.area(geoms) * self.measure.area_factor
        out = np.zeros(len(geoms))
        lonlat = shapely.transform(geoms, self._transform)
        for i, g in enumerate(lonlat):
            if g is not None and not g.is_empty:
                out[i] = abs(self._geod.geometry_area_perimeter(g)[0])
        return out

    def _transform(self, xy):
        x, y = self._to_geo.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])


def project_ids(boundary, project_field):
    """The project id of each boundary feature: ``project_field``'s values, or the feature ids."""
    if project_field:
        ids = column_values(boundary, project_field)
        missing = [i for i, v in zip(boundary.index, ids) if v is None]
        if missing:
            raise LayerError(
                trn(
                    "Layer '{layer}': field '{field}' is empty for {n} feature: {features}. Give every "
                    "project boundary a project id.",
                    "Layer '{layer}': field '{field}' is empty for {n} features: {features}. Give every "
                    "project boundary a project id.",
                    len(missing),
                    layer=layer_name(boundary),
                    field=project_field,
                    features=missing[:20],
                )
            )
        return ids
    return np.asarray(boundary.index.to_numpy(), dtype=object)


def affected_area(
    boundary: gpd.GeoDataFrame,
    cadastre: gpd.GeoDataFrame,
    *,
    parcel_field: str,
    holder_field: str,
    status_field: str | None = None,
    project_field: str | None = None,
    area_method: AreaMethod = AreaMethod.PLANAR,
    measure_crs=None,
    feedback: Feedback | None = None,
) -> AffectedResult:
    """Overlay project boundaries on cadastral parcels and account for every square metre.

    Parameters
    ----------
    boundary : GeoDataFrame
        Project boundaries (polygons); features sharing a project id form one project.
    cadastre : GeoDataFrame
        Cadastral parcels (polygons).
    parcel_field, holder_field : str
        Fields of ``cadastre`` with the parcel id and the rights-holder.
    status_field : str, optional
        Field of ``cadastre`` with the legal status of the land.
    project_field : str, optional
        Field of ``boundary`` with the project id; by default the feature id (the frame's index).
    area_method : AreaMethod
        Planar on the projection plane (default) or ellipsoidal.
    measure_crs : pyproj.CRS or str, optional
        The officer's measuring CRS; by default the boundary's projected CRS, else the cadastre's,
        else the national or local projection (:func:`~landcoord.allocation.crs.project_measurement_crs`).
    feedback : Feedback, optional
        Progress, messages and cancellation.

    Returns
    -------
    AffectedResult

    Raises
    ------
    FieldError, LayerError, CRSError, GeometryError

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> parcels = gpd.GeoDataFrame({"pid": ["A", "B"], "owner": ["X", "Y"]},
    ...                            geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=4547)
    >>> project = gpd.GeoDataFrame({"code": ["P1"]}, geometry=[box(5, 0, 25, 10)], crs=4547)
    >>> r = affected_area(project, parcels, parcel_field="pid", holder_field="owner",
    ...                   project_field="code")
    >>> r.summary[["holder", "affected_area"]].values.tolist()
    [['Y', 100.0], ['X', 50.0]]
    >>> float(r.gaps.gap_area.sum())
    50.0
    """
    # long: its numpydoc docstring (parameters, a runnable example); the body is an orchestrator of phases
    fb = feedback or Feedback()
    bname, cname = layer_name(boundary), layer_name(cadastre)
    status_field, project_field = _check_inputs(
        boundary, cadastre, parcel_field, holder_field, status_field, project_field, bname, cname
    )

    warnings: list[str] = []
    warning_kinds: list[str] = []

    def warn(msg: str, kind: str) -> None:
        warnings.append(msg)
        warning_kinds.append(kind)
        fb.warning(msg)

    notes: list[str] = []

    measure, method, cadastre, boundary = _measure(
        boundary, cadastre, area_method, measure_crs, bname, cname, fb, notes
    )

    pids, holders, statuses, parcels, proj_ids, bgeoms = _clean_inputs(
        boundary, cadastre, parcel_field, holder_field, status_field, project_field, bname, cname, fb, warn
    )

    projects, pgeoms, measurer, project_area = _project_geometries(
        area_method, bgeoms, measure, method, proj_ids, warn
    )

    pgeoms, bi, pi, piece_geoms = _overlay(fb, parcels, pgeoms)

    piece_area, pieces = _pieces_frame(
        holder_field,
        bi,
        bname,
        cname,
        fb,
        holders,
        measure,
        measurer,
        notes,
        parcels,
        pi,
        pids,
        piece_geoms,
        projects,
        statuses,
        warn,
    )

    gap_rows, overlap_rows, rec_rows, held_area = _coverage(
        bi, fb, measure, measurer, method, pgeoms, pi, pids, piece_area, piece_geoms, project_area, projects
    )

    overlap_rows = _reconcile(cname, held_area, overlap_rows, pieces, rec_rows, warn)

    gaps, overlaps, reconciliation = _output_frames(gap_rows, measure, overlap_rows, rec_rows, warn)

    summary, status_summary = _summaries(
        bi, pids[pi], holders[pi], statuses[pi], piece_area, projects, project_area, held_area
    )
    fb.progress(100)
    return AffectedResult(
        pieces=pieces,
        summary=summary,
        status_summary=status_summary,
        gaps=gaps,
        overlaps=overlaps,
        reconciliation=reconciliation,
        measure=measure,
        warnings=warnings,
        warning_kinds=warning_kinds,
        notes=notes,
        method=method,
    )


def _check_inputs(boundary, cadastre, parcel_field, holder_field, status_field, project_field, bname, cname):
    """Takes the two layers and the field names; raises on an empty layer or a missing field, gives the
    optional status and project fields as found.
    """
    if len(boundary) == 0:
        raise LayerError(
            tr(
                "Layer '{layer}' (project boundaries) is empty; choose a layer with at least one boundary.",
                layer=bname,
            )
        )
    if len(cadastre) == 0:
        raise LayerError(tr("Layer '{layer}' (cadastre) is empty; choose a layer with parcels.", layer=cname))
    require_field(cadastre, parcel_field, tr("parcel id"))
    require_field(cadastre, holder_field, tr("rights-holder"))
    status_field = require_field(cadastre, status_field, tr("legal status"), optional=True)
    project_field = require_field(boundary, project_field, tr("project id"), optional=True)
    return status_field, project_field


def _measure(boundary, cadastre, area_method, measure_crs, bname, cname, fb, notes):
    """Takes the layers and the measuring-CRS choice; gives the measuring CRS, the area method and both
    layers in that CRS (notes the reprojections).
    """
    # --- measurement CRS, reprojection ------------------------------------------------------
    if cadastre.crs is None:
        measurement_crs(None, cadastre.total_bounds, cname)  # raises: names the layer, says what to do
    measure = project_measurement_crs(boundary, cadastre, choice=measure_crs)
    method = AreaMethod(area_method)
    first = measure_note(measure, method)
    notes.append(first)
    fb.info(first)
    for gdf_name, role in ((cname, "cadastre"), (bname, "boundary")):
        frame = cadastre if role == "cadastre" else boundary
        frame, msg = match_crs(frame, measure, layer=gdf_name, to_what=tr("the measuring CRS"))
        if role == "cadastre":
            cadastre = frame
        else:
            boundary = frame
        if msg:
            notes.append(msg)
            fb.info(msg)
    fb.progress(5)
    fb.check()
    return measure, method, cadastre, boundary


def measure_note(measure: MeasureCRS, method: AreaMethod) -> str:
    """The first line of a run's log: where the areas are measured, or that they are ellipsoidal."""
    if AreaMethod(method) == AreaMethod.ELLIPSOIDAL:
        return tr(
            "{statement}; the ellipsoidal area is the legal figure only where the rules say so",
            statement=measure.statement(ellipsoidal=True),
        )
    return measure.note


def _clean_inputs(
    boundary, cadastre, parcel_field, holder_field, status_field, project_field, bname, cname, fb, warn
):
    """Takes the reprojected layers and field names; gives the parcel ids, holders, statuses, repaired
    parcel geometries, project ids and boundary geometries (warns of repairs).
    """
    # --- clean inputs -------------------------------------------------------------------------
    pids = column_values(cadastre, parcel_field)
    holders = column_values(cadastre, holder_field)
    if status_field:
        statuses = column_values(cadastre, status_field)
    else:
        statuses = np.full(len(cadastre), None, dtype=object)
    parcels, crep = clean_polygons(cadastre.geometry.values, pids, cname)
    proj_ids = project_ids(boundary, project_field)
    bgeoms, brep = clean_polygons(boundary.geometry.values, proj_ids, bname)
    for m in crep.messages() + brep.messages():
        warn(m, "repair")
    fb.progress(15)
    fb.check()
    return pids, holders, statuses, parcels, proj_ids, bgeoms


def _project_geometries(area_method, bgeoms, measure, method, proj_ids, warn):
    """Takes the boundary geometries and their project ids; gives the projects in order, one geometry each,
    the area measurer and the projects' areas (warns of scale distortion).
    """
    # --- one geometry per project --------------------------------------------------------------
    order = pd.unique(pd.Series(proj_ids, dtype=object))
    projects = list(order)
    pgeoms = np.empty(len(projects), dtype=object)
    index_of = {p: k for k, p in enumerate(projects)}
    members: list[list[int]] = [[] for _ in projects]
    for i, p in enumerate(proj_ids):
        if bgeoms[i] is not None:
            members[index_of[p]].append(i)
    for k, rows in enumerate(members):
        if not rows:
            pgeoms[k] = shapely.Polygon()
        elif len(rows) == 1:
            pgeoms[k] = bgeoms[rows[0]]
        else:
            pgeoms[k] = polygonal_part(shapely.union_all(bgeoms[rows])) or shapely.Polygon()
    measurer = _Measurer(measure, area_method)
    project_area = measurer(pgeoms)
    if method == AreaMethod.PLANAR:
        for p, g in zip(projects, pgeoms):
            msg = scale_warning(measure, p, g)
            if msg:
                warn(msg, "scale")
    return projects, pgeoms, measurer, project_area


def _overlay(fb, parcels, pgeoms):
    """Takes the project and parcel geometries; gives the prepared project geometries and, per piece, its
    project row, parcel row and geometry (only parcels crossing a boundary edge are clipped).
    """
    # --- pieces: only parcels crossing a boundary edge are clipped -------------------------------
    valid_rows = np.flatnonzero(~shapely.is_missing(parcels))
    tree = shapely.STRtree(parcels[valid_rows])
    pgeoms = prepared_copies(pgeoms)  # the caller's boundaries are never prepared
    bi, ti = tree.query(pgeoms, predicate="intersects")
    pi = valid_rows[ti]
    fb.progress(30)
    fb.check()
    # on every core; a prepared boundary stays in one thread (see chunked_groups)
    inside = chunked_groups(shapely.contains_properly, bi, pgeoms[bi], parcels[pi])
    piece_geoms = np.empty(len(bi), dtype=object)
    piece_geoms[inside] = parcels[pi[inside]]
    cross = np.flatnonzero(~inside)
    if len(cross):
        clipped = chunked(shapely.intersection, parcels[pi[cross]], pgeoms[bi[cross]])
        kinds = shapely.get_type_id(clipped)
        odd = ~np.isin(kinds, (3, 6))
        for k in np.flatnonzero(odd):
            clipped[k] = polygonal_part(clipped[k])
        piece_geoms[cross] = clipped
    keep = ~shapely.is_missing(piece_geoms)
    keep[keep] = shapely.area(piece_geoms[keep]) > 0
    bi, pi, piece_geoms = bi[keep], pi[keep], piece_geoms[keep]
    sort = np.lexsort((pi, bi))
    bi, pi, piece_geoms = bi[sort], pi[sort], piece_geoms[sort]
    fb.progress(50)
    fb.check()
    return pgeoms, bi, pi, piece_geoms


def _pieces_frame(
    holder_field,
    bi,
    bname,
    cname,
    fb,
    holders,
    measure,
    measurer,
    notes,
    parcels,
    pi,
    pids,
    piece_geoms,
    projects,
    statuses,
    warn,
):
    """Takes the overlay's pieces and the parcels' attributes; gives the piece areas and the pieces frame
    (warns of pieces with no holder, notes an empty result).
    """
    piece_area = measurer(piece_geoms)
    parcel_area_all = np.zeros(len(parcels))
    uniq = np.unique(pi)
    parcel_area_all[uniq] = measurer(parcels[uniq])
    parcel_area = parcel_area_all[pi]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(parcel_area > 0, piece_area / parcel_area, np.nan)

    proj_values = np.empty(len(bi), dtype=object)
    proj_values[:] = [projects[k] for k in bi]
    pieces = gpd.GeoDataFrame(
        {
            "project": proj_values,
            "parcel_id": pids[pi],
            "holder": holders[pi],
            "status": statuses[pi],
            "piece_area": piece_area,
            "parcel_area": parcel_area,
            "parcel_share": share,
            "held_area": piece_area,  # land claimed twice is split below, per project
        },
        geometry=gpd.GeoSeries(piece_geoms, crs=measure.crs),
        crs=measure.crs,
    )

    msg = no_holder_warning(cname, holder_field, pids[pi][pd.isna(holders[pi])])
    if msg:
        warn(msg, "no_holder")
    if len(pieces) == 0:
        msg = tr(
            "No parcel of '{cadastre}' overlaps any project of '{boundary}': the result is empty.",
            cadastre=cname,
            boundary=bname,
        )
        notes.append(msg)
        fb.info(msg)
    return piece_area, pieces


def _coverage(
    bi, fb, measure, measurer, method, pgeoms, pi, pids, piece_area, piece_geoms, project_area, projects
):
    """Takes the pieces and project geometries; gives the gap, overlap and reconciliation rows and each
    piece's held area (land claimed twice counted once).
    """
    # --- coverage: gaps, overlaps, reconciliation ------------------------------------------------
    starts = np.searchsorted(bi, np.arange(len(projects) + 1))
    gap_rows, overlap_rows, rec_rows = [], [], []
    # the projects' coverage checks are independent: run them on every core, largest first
    held_area = piece_area.copy()
    sizes = np.diff(starts)
    by_size = np.argsort(-sizes, kind="stable")
    results = map_ordered(lambda k: _project_coverage(piece_geoms[starts[k] : starts[k + 1]]), by_size)
    coverage = dict(zip(by_size, results))
    fb.check()
    for k, p in enumerate(projects):
        lo = starts[k]
        claimed = float(piece_area[lo : starts[k + 1]].sum())
        union, pairs = coverage.pop(k)
        for i, j, g in pairs:
            overlap_rows.append((p, pids[pi[lo + i]], pids[pi[lo + j]], float(measurer([g])[0]), g))
        covered = float(measurer([union])[0])
        if pairs:
            held_area[lo : starts[k + 1]] -= _double_claim_shares(
                piece_geoms[lo : starts[k + 1]], pairs, measurer, claimed - covered
            )
        # The pieces lie inside the boundary, so boundary - covered is the gap area; the gap's
        # geometry is computed only when there is more than floating-point residue to show.
        if float(project_area[k]) - covered > RESIDUE_AREA:
            gap = shapely.difference(pgeoms[k], union)
            gap_parts = shapely.get_parts(polygonal_part(gap) or shapely.Polygon())
            gap_areas = measurer(gap_parts)
        else:
            gap_parts = np.array([shapely.Polygon()], dtype=object)
            gap_areas = np.array([max(float(project_area[k]) - covered, 0.0)])
        big = gap_areas >= RESIDUE_AREA
        for g, a in zip(gap_parts[big], gap_areas[big]):
            gap_rows.append((p, float(a), g))
        rec_rows.append(
            {
                "project": p,
                "project_area": float(project_area[k]),
                "covered_area": covered,
                "gap_area": float(gap_areas.sum()),
                "claimed_area": claimed,
                "double_claimed_area": max(claimed - covered, 0.0),
                "residue_area": float(gap_areas[~big].sum()),
                "measured": measure.statement(method == AreaMethod.ELLIPSOIDAL),
            }
        )
        fb.progress(50 + 40 * (k + 1) / max(len(projects), 1))
    return gap_rows, overlap_rows, rec_rows, held_area


def _reconcile(cname, held_area, overlap_rows, pieces, rec_rows, warn):
    """Takes the coverage rows; moves overlap residue into the reconciliation, checks each project balances
    and warns of large gaps; gives the overlap rows above residue.
    """
    pieces["held_area"] = held_area
    overlap_res = {}
    for row in overlap_rows:
        if row[3] < RESIDUE_AREA:
            overlap_res[row[0]] = overlap_res.get(row[0], 0.0) + row[3]
    overlap_rows = [r for r in overlap_rows if r[3] >= RESIDUE_AREA]
    for rec in rec_rows:
        rec["residue_area"] += overlap_res.get(rec["project"], 0.0)
        total = rec["covered_area"] + rec["gap_area"]
        rec["balanced"] = bool(abs(total - rec["project_area"]) <= 1e-6 * max(rec["project_area"], 1.0))
        if rec["project_area"] > 0 and rec["gap_area"] > GAP_WARNING_SHARE * rec["project_area"]:
            warn(
                tr(
                    "Project {project}: {share:.1%} of its area ({gaps:,.2f} of {area:,.2f} m²) lies in no "
                    "parcel of '{cadastre}'; is the project outside the cadastre, or is the cadastre "
                    "incomplete? See the gaps output.",
                    project=rec["project"],
                    share=rec["gap_area"] / rec["project_area"],
                    gaps=rec["gap_area"],
                    area=rec["project_area"],
                    cadastre=cname,
                ),
                "gaps",
            )
        if not rec["balanced"]:
            msg = tr(
                "Project {project}: covered {covered:.3f} m² + gaps {gaps:.3f} m² does not equal the "
                "boundary area {area:.3f} m²; check the boundary geometry.",
                project=rec["project"],
                covered=rec["covered_area"],
                gaps=rec["gap_area"],
                area=rec["project_area"],
            )
            warn(msg, "unbalanced")
    return overlap_rows


def _output_frames(gap_rows, measure, overlap_rows, rec_rows, warn):
    """Takes the gap, overlap and reconciliation rows; gives the gaps, overlaps and reconciliation frames
    (warns of overlaps).
    """
    gaps = gpd.GeoDataFrame(
        {
            "project": pd.Series([r[0] for r in gap_rows], dtype=object),
            "gap_area": pd.Series([r[1] for r in gap_rows], dtype=float),
        },
        geometry=gpd.GeoSeries([r[2] for r in gap_rows], crs=measure.crs),
        crs=measure.crs,
    )
    overlaps = gpd.GeoDataFrame(
        {
            "project": pd.Series([r[0] for r in overlap_rows], dtype=object),
            "parcel_a": pd.Series([r[1] for r in overlap_rows], dtype=object),
            "parcel_b": pd.Series([r[2] for r in overlap_rows], dtype=object),
            "overlap_area": pd.Series([r[3] for r in overlap_rows], dtype=float),
        },
        geometry=gpd.GeoSeries([r[4] for r in overlap_rows], crs=measure.crs),
        crs=measure.crs,
    )
    if len(overlaps):
        warn(overlap_warning(overlaps), "overlaps")
    reconciliation = pd.DataFrame(rec_rows, columns=RECONCILE_COLUMNS)
    return gaps, overlaps, reconciliation


def _double_claim_shares(geoms, pairs, measurer, double_claimed: float) -> np.ndarray:
    """Per piece, the area it gives up so that land several parcels claim is counted once.

    The pieces in ``pairs`` are cut into faces by their outlines; a face that ``n`` pieces claim
    is split equally: each gives up ``(n - 1) / n`` of it. The shares are then scaled to add up to
    ``double_claimed`` exactly (claimed − covered, measured once), so ``held_area`` adds up to the
    covered area to the last digit.
    """
    out = np.zeros(len(geoms))
    involved = np.array(sorted({i for i, _, _ in pairs} | {j for _, j, _ in pairs}), dtype=np.int64)
    sub = geoms[involved]
    lines = shapely.union_all(shapely.boundary(sub))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    if len(faces):
        pts = shapely.point_on_surface(faces)
        fi, si = shapely.STRtree(sub).query(pts, predicate="within")
        counts = np.bincount(fi, minlength=len(faces))
        multi = counts[fi] > 1
        if multi.any():
            areas = measurer(faces)
            give = areas[fi[multi]] * (counts[fi[multi]] - 1) / counts[fi[multi]]
            np.add.at(out, involved[si[multi]], give)
    total = float(out.sum())
    if total > 0 and double_claimed > 0:
        out *= double_claimed / total
    return out


def measured_statement(pieces, area_field: str = "piece_area") -> str:
    """How the affected pieces were measured, read from the pieces themselves: their CRS and method.

    A file of pieces keeps its CRS but not whether ``landcoord affected`` measured planar or
    ellipsoidal areas; the pieces' own areas tell: they equal the planar areas of their geometries
    in their CRS, or the ellipsoidal ones. Later steps (hearing pack, quota) print this line so every
    sheet and table says how its figures were measured.

    Examples
    --------
    >>> from shapely import box
    >>> p = gpd.GeoDataFrame({"piece_area": [100.0]}, geometry=[box(500000, 2500000, 500010, 2500010)],
    ...                      crs=4547)
    >>> measured_statement(p)
    'planar areas in EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)'
    """
    crs = pyproj.CRS(pieces.crs)
    unit = crs.axis_info[0].unit_conversion_factor if crs.is_projected and crs.axis_info else 1.0
    measure = MeasureCRS(crs, unit * unit, "")
    area = pd.to_numeric(pieces[area_field], errors="coerce").to_numpy(dtype=float)
    geoms = np.asarray(pieces.geometry.values, dtype=object)
    ok = np.isfinite(area) & (area > 0) & ~shapely.is_missing(geoms)
    ok[ok] = ~shapely.is_empty(geoms[ok])
    rows = np.flatnonzero(ok)[:200]
    if len(rows) == 0:
        return (
            measure.statement(False)
            if crs.is_projected
            else tr("areas as given in {field}", field=area_field)
        )
    if crs.is_projected:
        planar = shapely.area(geoms[rows]) * measure.area_factor
        if np.allclose(planar, area[rows], rtol=1e-9, atol=1e-9):
            return measure.statement(False)
    ellipsoidal = _Measurer(measure, AreaMethod.ELLIPSOIDAL)(geoms[rows])
    if np.allclose(ellipsoidal, area[rows], rtol=1e-7, atol=1e-6):
        return measure.statement(True)
    return tr(
        "areas as given in {field} (neither planar in {label} nor ellipsoidal)",
        field=area_field,
        label=measure.label,
    )


def no_holder_warning(layer: str, holder_field: str, parcel_ids) -> str | None:
    """The warning that names the affected parcels without a rights-holder (None when there are none)."""
    no_holder = sorted({str(p) for p in parcel_ids})
    if not no_holder:
        return None
    fields = dict(layer=layer, field=holder_field, parcels=", ".join(no_holder[:30]))
    if len(no_holder) > 30:
        return tr(
            "Layer '{layer}': {n} affected parcels have no rights-holder in field '{field}'; they are "
            "kept with holder NULL: {parcels} and {more} more. Record their holders in the cadastre.",
            n=len(no_holder),
            more=len(no_holder) - 30,
            **fields,
        )
    return trn(
        "Layer '{layer}': {n} affected parcel has no rights-holder in field '{field}'; it is "
        "kept with holder NULL: {parcels}. Record its holder in the cadastre.",
        "Layer '{layer}': {n} affected parcels have no rights-holder in field '{field}'; they are "
        "kept with holder NULL: {parcels}. Record their holders in the cadastre.",
        len(no_holder),
        **fields,
    )


def overlap_warning(overlaps) -> str:
    """The warning that totals the pairs of parcels claiming the same land (the ``overlaps`` output)."""
    return trn(
        "{n} pair of parcels claim the same land ({area:.2f} m²); see the overlaps output.",
        "{n} pairs of parcels claim the same land ({area:.2f} m² in all); see the overlaps output.",
        len(overlaps),
        area=overlaps.overlap_area.sum(),
    )


def _coverage_union(geoms):
    """Fast union of pieces that form a clean coverage, or None when they do not.

    GEOS's coverage union is linear but only defined for non-overlapping, correctly noded
    polygons. Its result is accepted only if it is valid and its area equals the sum of the
    pieces' areas (no overlap hidden); otherwise the caller takes the exact pairwise path.
    """
    if len(geoms) == 0:
        return shapely.Polygon()
    try:
        union = shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        return None
    if not shapely.is_valid(union):
        return None
    total = float(shapely.area(geoms).sum())
    if abs(float(union.area) - total) > 1e-9 * max(total, 1.0):
        return None
    return union


#: Pieces below which a part of a project that is not a clean coverage is checked pair by pair.
LEAF_SIZE = 32


def _overlap_pairs(geoms, candidates_a, candidates_b):
    """(i, j, overlap geometry) for candidate pairs whose interiors overlap."""
    if len(candidates_a) == 0:
        return []
    inter = shapely.intersection(geoms[candidates_a], geoms[candidates_b])
    area = shapely.area(inter)
    out = []
    for k in np.flatnonzero(area > 0):
        g = polygonal_part(inter[k])
        if g is not None:
            out.append((int(candidates_a[k]), int(candidates_b[k]), g))
    return out


def _project_coverage(geoms):
    """The union of a project's pieces and every pair of pieces that overlap.

    Fast path: the pieces form a clean coverage (one GEOS coverage union, no pair to check).
    Otherwise the pieces are split in two halves by the median of their positions, recursively (a
    k-d tree). A half that is a clean coverage has no overlapping pair inside it, so only pairs
    that straddle the split of a half that is not clean, and pairs inside small unclean leaves,
    are intersected. Every overlapping pair is found: a pair is skipped only when both its pieces
    lie in one clean half.
    """
    n = len(geoms)
    if n == 0:
        return shapely.Polygon(), []
    union = _coverage_union(geoms)
    if union is not None:
        return union, []
    # envelope pairs only: the few pairs that need checking are intersected anyway
    a, b = shapely.STRtree(geoms).query(geoms)
    keep = a < b
    a, b = a[keep], b[keep]
    check = np.zeros(len(a), dtype=bool)
    pts = shapely.get_coordinates(shapely.point_on_surface(geoms))
    in_left = np.zeros(n, dtype=bool)
    unions = []
    stack = [(np.arange(n), np.arange(len(a)), 0, False)]
    while stack:
        idx, pairs, depth, try_clean = stack.pop()
        if try_clean:
            u = _coverage_union(geoms[idx])
            if u is not None:
                unions.append(u)
                continue
        if len(idx) <= LEAF_SIZE:
            check[pairs] = True
            unions.append(shapely.union_all(geoms[idx]))
            continue
        order = idx[np.argsort(pts[idx, depth % 2], kind="stable")]
        left, right = order[: len(order) // 2], order[len(order) // 2 :]
        in_left[left] = True
        in_left[right] = False
        la, lb = in_left[a[pairs]], in_left[b[pairs]]
        check[pairs[la != lb]] = True
        stack.append((right, pairs[~la & ~lb], depth + 1, True))
        stack.append((left, pairs[la & lb], depth + 1, True))
    pairs = _overlap_pairs(geoms, a[check], b[check])
    union = unions[0] if len(unions) == 1 else shapely.union_all(np.array(unions, dtype=object))
    return union, pairs


def _codes(values):
    """Integer codes of an object array (None/NaN get the last code) and the labels in code order."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    labels = np.empty(len(uniques) + 1, dtype=object)
    labels[: len(uniques)] = uniques.to_numpy(dtype=object)
    labels[-1] = None
    return np.where(codes < 0, len(uniques), codes).astype(np.int64), labels


def _label_rank(labels) -> np.ndarray:
    """The rank of each label in ascending order, None last (labels compared as text if mixed)."""
    known = [i for i, v in enumerate(labels) if v is not None]
    try:
        order = sorted(known, key=lambda i: labels[i])
    except TypeError:
        order = sorted(known, key=lambda i: str(labels[i]))
    rank = np.full(len(labels), len(labels), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _summaries(bi, pids, holders, statuses, piece_area, projects, project_area, held_area=None):
    """Per project x holder and per project x holder x status totals, with numpy group codes.

    Rows come in project order; within a project, holders by affected area (largest first) in the
    summary, and by holder then area (largest first) in the status summary. Missing holders and
    statuses are groups of their own (None).
    """
    if len(bi) == 0:
        summary = pd.DataFrame(
            {
                c: pd.Series(dtype=t)
                for c, t in zip(SUMMARY_COLUMNS, [object, object, "int64", float, float, float])
            }
        )
        status = pd.DataFrame(
            {c: pd.Series(dtype=t) for c, t in zip(STATUS_COLUMNS, [object, object, object, float])}
        )
        return summary, status
    bi = np.asarray(bi, dtype=np.int64)
    hc, hlabels = _codes(holders)
    pc, plabels = _codes(pids)
    sc, slabels = _codes(statuses)
    nh, npid, ns = len(hlabels), len(plabels), len(slabels)
    project_values = np.empty(len(projects), dtype=object)
    project_values[:] = list(projects)

    keys, inv = np.unique(bi * nh + hc, return_inverse=True)
    area = np.bincount(inv, weights=piece_area)
    held = np.bincount(inv, weights=piece_area if held_area is None else held_area)
    pairs = np.unique(inv.astype(np.int64) * npid + pc)
    parcels = np.bincount(pairs // npid, minlength=len(keys))
    kp, kh = keys // nh, keys % nh
    parea = np.asarray(project_area, dtype=float)[kp]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(parea > 0, area / parea, np.nan)
    order = np.lexsort((-area, kp))
    summary = pd.DataFrame(
        {
            "project": project_values[kp[order]],
            "holder": hlabels[kh[order]],
            "parcels": parcels[order].astype(np.int64),
            "affected_area": area[order],
            "project_share": share[order],
            "held_area": held[order],
        }
    )

    keys3, inv3 = np.unique((bi * nh + hc) * ns + sc, return_inverse=True)
    area3 = np.bincount(inv3, weights=piece_area)
    k3p, k3h, k3s = keys3 // (nh * ns), (keys3 // ns) % nh, keys3 % ns
    order3 = np.lexsort((-area3, _label_rank(hlabels)[k3h], k3p))
    status = pd.DataFrame(
        {
            "project": project_values[k3p[order3]],
            "holder": hlabels[k3h[order3]],
            "status": slabels[k3s[order3]],
            "area": area3[order3],
        }
    )
    return summary, status
