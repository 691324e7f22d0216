"""The layers the maps of a hearing pack draw, carrying only what may be printed: the project's
outline, its pieces and holders (sheet code and masked label), the parcels around it and the control
lines. The retained-land and conflicts layers are made with their tables (:mod:`.benefit`,
:mod:`.conflicts`).

Imports :mod:`.columns`, :mod:`.formatting` and :mod:`.holders` of this package and
:mod:`landcoord.allocation`'s errors, files, i18n and privacy modules.
"""

from __future__ import annotations

import numpy as np
import shapely

from ..errors import FieldError
from ..i18n import tr
from ..io.files import column_values, layer_name
from ..privacy import classify_holders, scrub_text
from .columns import _frame, _reproject
from .formatting import _NO_HOLDER, _text
from .holders import HolderIndex, Pieces

__all__: list = []


def _pieces_layers(p: Pieces, who: HolderIndex, bgeom, project_name) -> dict:
    """The boundary, pieces and holders layers (one holder feature: the union of its pieces; its
    ``sheet`` = 1 when it gets a sheet, the atlas coverage of the holder sheets)."""
    mine, crs, raw_holders = p.mine, p.crs, who.raw_holders
    layers: dict = {}
    layers["boundary"] = _frame({"project": [p.project], "name": [project_name]}, [bgeom], crs)
    layers["pieces"] = _frame(
        {
            "parcel_id": [_text(v) for v in column_values(mine, "parcel_id")],
            "holder_code": [who.code_of[None if (h is None) else h] for h in raw_holders],
            "holder_label": [who.label_of[h] for h in raw_holders],
            "status": [_text(v) for v in column_values(mine, "status")],
            "piece_area": mine["piece_area"].to_numpy(),
        },
        mine.geometry.values,
        crs,
    )
    raw_arr = np.empty(len(raw_holders), dtype=object)
    raw_arr[:] = list(raw_holders)
    hgeoms = []
    for k in who.keys:
        sel = np.array([h == k for h in raw_arr], dtype=bool)
        hgeoms.append(shapely.union_all(mine.geometry.values[sel]))
    layers["holders"] = _frame(
        {
            "code": who.codes,
            "label": who.labels,
            "sheet": [1.0 if s else 0.0 for s in who.sheet],
            "parcels": [float(v) for v in who.table["parcels"]],
            "affected_area": [float(v) for v in who.table["affected_area"]],
        },
        hgeoms,
        crs,
    )
    return layers


def _parcels_layer(parcels, fields, who: HolderIndex, bgeom, crs, public, compound_surnames, notes, outside):
    """The base map: parcels near the project (the map extent), holders shown as on the sheets.

    ``fields`` is ``(parcel_field, holder_field, status_field)``; holders of parcels outside the
    project are added to ``outside`` (holder -> as printed).
    """
    parcel_field, holder_field, status_field = fields
    parcels = _reproject(parcels, crs, tr("parcels"), notes)
    for f in (parcel_field, holder_field):
        if not f or f not in parcels.columns:
            raise FieldError(layer_name(parcels), str(f), list(parcels.columns))
    if status_field and status_field not in parcels.columns:
        raise FieldError(layer_name(parcels), status_field, list(parcels.columns))
    minx, miny, maxx, maxy = shapely.bounds(bgeom) if not bgeom.is_empty else parcels.total_bounds
    pad = 0.25 * max(maxx - minx, maxy - miny, 1.0)
    near = parcels.cx[minx - pad : maxx + pad, miny - pad : maxy + pad]
    ph = column_values(near, holder_field)
    in_project = [h in who.code_of for h in ph]
    p_labels = []
    for h, inside in zip(ph, in_project):
        if inside:
            p_labels.append(who.label_of[h])
        elif h is None:
            p_labels.append(_NO_HOLDER)
        else:
            if h not in outside:
                t = [who.type_of.get(h)] if who.type_of else None
                outside[h] = classify_holders([h], t, public=public, compound_surnames=compound_surnames)[
                    "display"
                ].iloc[0]
            p_labels.append(outside[h])
    return _frame(
        {
            "parcel_id": [_text(v) for v in column_values(near, parcel_field)],
            "holder_code": [who.code_of[h] if ok else None for h, ok in zip(ph, in_project)],
            "holder_label": p_labels,
            "status": [_text(v) for v in column_values(near, status_field)]
            if status_field
            else [""] * len(near),
        },
        near.geometry.values,
        crs,
    )


def _controls_layer(controls, kind_field, name_field, crs, notes):
    """The control lines / zones of the one map: kind and (scrubbed) name."""
    controls = _reproject(controls, crs, tr("control lines"), notes)
    if not kind_field or kind_field not in controls.columns:
        raise FieldError(
            layer_name(controls),
            str(kind_field),
            list(controls.columns),
            expected=tr("the kind field"),
        )
    if name_field and name_field not in controls.columns:
        raise FieldError(layer_name(controls), name_field, list(controls.columns))
    return _frame(
        {
            "kind": [_text(v) for v in column_values(controls, kind_field)],
            "name": [scrub_text(_text(v)) for v in column_values(controls, name_field)]
            if name_field
            else [""] * len(controls),
        },
        controls.geometry.values,
        crs,
    )


def map_layers(
    p: Pieces,
    who: HolderIndex,
    bgeom,
    project_name,
    parcels,
    parcel_fields,
    controls,
    control_fields,
    public,
    compound_surnames,
    notes,
):
    """Every map layer but retained land and conflicts: ``(layers, outside)``, ``outside`` the
    holders of nearby parcels that are no holders of the project (holder -> as printed)."""
    outside: dict = {}
    layers = _pieces_layers(p, who, bgeom, project_name)
    if parcels is not None:
        layers["parcels"] = _parcels_layer(
            parcels, parcel_fields, who, bgeom, p.crs, public, compound_surnames, notes, outside
        )
    else:
        layers["parcels"] = layers["pieces"][
            ["parcel_id", "holder_code", "holder_label", "status", "geometry"]
        ].copy()
    if controls is not None:
        layers["controls"] = _controls_layer(controls, *control_fields, p.crs, notes)
    return layers, outside
