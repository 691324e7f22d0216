"""The carving's inputs, checked and in the measuring CRS: the projects, their quotas, the land
to avoid or lie inside, the road land and the communities' holdings."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import MeasureCRS, match_crs
from ..errors import FieldError, InputError, LayerError
from ..feedback import Feedback
from ..geometry import clean_polygons, polygonal_part
from ..i18n import tr
from ..io.files import column_values, layer_name
from .grow import ROAD_TOUCH

__all__ = ["ROAD_WIDTH_FIELDS", "LINE_ROAD_HALF_WIDTH"]

#: Numeric fields of a line road layer taken as the road's width (m), in order.
ROAD_WIDTH_FIELDS = ("宽度", "道路宽度", "红线宽度", "width", "road_width", "WIDTH", "Width")
#: Half-width (m) given to road lines that have no width: they become hair-thin road land that no
#: parcel may cross.
LINE_ROAD_HALF_WIDTH = ROAD_TOUCH / 4


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


def _quotas_by_project(table, projects, quotas, bname, project_field, project, warnings, fb) -> dict:
    """{project id: its rows of the quota table}, matching the table's projects to the boundary's."""
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
    return by_project


def _union(geoms):
    return shapely.union_all(np.array(geoms, dtype=object))


def _exclusion(exclude, measure, notes, warnings, fb, role: str = "EXCLUDE"):
    """The union of the EXCLUDE (or ``role``) layers' polygons in the measuring CRS, or None when
    there are none."""
    excl_geoms = []
    for i, layer in enumerate(_as_frames(exclude)):
        layer = _to_measure(_frame(layer, f"{role.lower()}[{i}]"), measure, role, notes, fb)
        if len(layer) == 0:
            continue
        g = _polygons(layer, list(layer.index), role, warnings, fb)
        excl_geoms.extend(x for x in g if x is not None)
    return _union(excl_geoms) if excl_geoms else None


def _holdings(prefer, prefer_field, measure, notes, fb) -> dict:
    """{community: union of its holdings} from the PREFER layer, in the measuring CRS."""
    holdings = {}
    if prefer is None:
        return holdings
    prefer = _to_measure(_frame(prefer, "prefer"), measure, "PREFER", notes, fb)
    pname = layer_name(prefer)
    fields = [c for c in prefer.columns if c != prefer.geometry.name]
    if not prefer_field:
        raise FieldError(pname, str(prefer_field), fields, expected=tr("set (the community of each holding)"))
    if prefer_field not in fields:
        raise FieldError(pname, prefer_field, fields)
    names = column_values(prefer, prefer_field)
    geoms = shapely.force_2d(prefer.geometry.values)
    for n, g in zip(names, geoms):
        if n is None or g is None or g.is_empty:
            continue
        holdings.setdefault(str(n).strip(), []).append(g)
    return {k: _union(v) for k, v in holdings.items()}


def _within(within, measure, notes, warnings, fb):
    """The union of the WITHIN layers' polygons (None when not given; empty when they hold none)."""
    if within is None:
        return None
    inside = []
    for i, layer in enumerate(_as_frames(within)):
        layer = _to_measure(_frame(layer, f"within[{i}]"), measure, "WITHIN", notes, fb)
        if len(layer):
            inside.extend(
                x for x in _polygons(layer, list(layer.index), "WITHIN", warnings, fb) if x is not None
            )
    return _union(inside) if inside else shapely.Polygon()
