"""The public function of the carving, :func:`carve_retained`, and its phases: the settings, the
projects and their quotas, the other layers in the measuring CRS, each project carved
(:mod:`.project`), the result (see the package's notes for how the carving works)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import project_measurement_crs, to_crs
from ..errors import InputError, LayerError
from ..feedback import Feedback
from ..i18n import tr
from ..io.files import layer_name
from .inputs import (
    _as_frames,
    _exclusion,
    _frame,
    _holdings,
    _project_geoms,
    _quotas_by_project,
    _road_land,
    _to_measure,
    _within,
)
from .project import _carve_project
from .result import LAND_COLUMNS, PARCEL_COLUMNS, CarveResult
from .review import clear_of_review
from .targets import quota_targets

__all__ = ["carve_retained"]


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
    review=(),
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
    review : GeoDataFrame or sequence of GeoDataFrames, optional
        Zones for review by hand (the registry's ``review`` kinds, such as the purple line 紫线,
        :meth:`~landcoord.allocation.controls.ExclusionZones.review_frame`): kept clear of when every
        quota of the project still fits that way; otherwise the project is carved as without them
        and a warning says which community's parcel lies how much on them.

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
    # (long only by its docstring: the parameters and a doctest; the work is in _carve)
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
            review=review,
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
    review=(),
) -> CarveResult:
    """The phases of :func:`carve_retained`: the settings, the projects and their quotas, the other
    layers in the measuring CRS, each project carved, the result."""
    fb = feedback or Feedback()
    notes: list[str] = []
    warnings: list[str] = []
    min_width, tolerance = _settings(min_width, tolerance)
    boundary, bname, measure = _measured_boundary(boundary, measure_crs, notes, fb)

    projects = _project_geoms(boundary, project_field, project, warnings, fb)
    table = quota_targets(quotas, project=project)
    by_project = _quotas_by_project(table, projects, quotas, bname, project_field, project, warnings, fb)

    # -- the other layers, in the measurement CRS ---------------------------------------------
    excl_union = _exclusion(exclude, measure, notes, warnings, fb)
    road_land_w = None
    if roads is not None:
        roads = _to_measure(_frame(roads, "roads"), measure, "ROADS", notes, fb)
        road_land_w = _road_land(roads, road_width_field, warnings, notes, fb)
    holdings = _holdings(prefer, prefer_field, measure, notes, fb)
    fb.progress(5)
    within_union = _within(within, measure, notes, warnings, fb)

    review_union = _exclusion(review, measure, notes, warnings, fb, role="REVIEW")
    review_names = ", ".join(layer_name(r) for r in _as_frames(review))
    run = _Run(by_project, excl_union, within_union, road_land_w, holdings, min_width, tolerance, measure)
    parcel_rows, land_rows = [], []
    for j, (pid, pgeom) in enumerate(projects.items()):
        carve = functools.partial(run.project, pid, pgeom, (j, len(projects)))
        rows, lrows = clear_of_review(
            pid, pgeom, review_union, review_names, run.unit, carve, notes, warnings, fb
        )
        parcel_rows.extend(rows)
        land_rows.extend(lrows)

    return _result(
        parcel_rows,
        land_rows,
        measure,
        notes,
        warnings,
        excl_union,
        road_land_w,
        within_union,
        projects,
        min_width,
        fb,
    )


@dataclass
class _Run:
    """What every project of a run shares: its quotas, the land it keeps clear of or inside, the
    roads, the holdings, the settings and the measuring CRS."""

    by_project: dict
    excl_union: object
    within_union: object
    road_land_w: object
    holdings: dict
    min_width: float
    tolerance: float
    measure: object

    @property
    def unit(self) -> float:
        return math.sqrt(self.measure.area_factor)

    def project(self, pid, pgeom, place, extra, notes, warnings, fb):
        """Carve project ``pid`` (number ``place[0]`` of ``place[1]``, for the progress), keeping
        clear of ``extra`` too when given: ``(parcel rows, land rows)``."""
        j, n = place
        excl = self.excl_union
        if extra is not None:
            excl = extra if excl is None else shapely.union(excl, extra)
        return _carve_project(
            pid,
            pgeom,
            self.by_project[pid],
            excl,
            self.within_union,
            self.road_land_w,
            self.holdings,
            self.min_width,
            self.tolerance,
            self.unit,
            self.measure,
            notes,
            warnings,
            fb,
            progress=lambda f: fb.progress(5 + 90 * (j + f) / n),
        )


def _measured_boundary(boundary, measure_crs, notes, fb):
    """The boundary in the measuring CRS (the officer's, else the project's own): ``(boundary, its
    layer name, the MeasureCRS)``."""
    boundary = _frame(boundary, "boundary")
    bname = layer_name(boundary)
    if boundary.crs is None:
        raise LayerError(
            tr("Layer '{layer}' (project boundary) has no coordinate reference system; set it.", layer=bname)
        )
    measure = project_measurement_crs(boundary, choice=measure_crs)
    notes.append(measure.note)
    fb.info(measure.note)
    return to_crs(boundary, measure.crs), bname, measure


def _settings(min_width, tolerance) -> tuple[float, float]:
    """MIN_WIDTH and TOLERANCE as numbers, checked."""
    try:
        min_width = float(min_width)
        tolerance = float(tolerance)
    except (TypeError, ValueError) as exc:
        raise InputError(tr("MIN_WIDTH and TOLERANCE must be numbers: {error}", error=exc)) from exc
    if not math.isfinite(min_width) or min_width < 0:
        raise InputError(tr("MIN_WIDTH must be 0 or more metres, got {value}.", value=min_width))
    if not math.isfinite(tolerance) or tolerance <= 0:
        raise InputError(tr("TOLERANCE must be more than 0 m², got {value}.", value=tolerance))
    return min_width, tolerance


def _result(
    parcel_rows,
    land_rows,
    measure,
    notes,
    warnings,
    excl_union,
    road_land_w,
    within_union,
    projects,
    min_width,
    fb,
) -> CarveResult:
    """The parcels and land as GeoDataFrames, with what :func:`check_carving` checks against."""
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
