"""Land and floor areas read from a layer: never infinite, never larger than the Earth.

A field typed by hand (or a file damaged on the way) can hold ``inf``, ``1e300`` or ``-inf``; the
steps that count areas (quota, benefit scenarios, consent by area, building floor area) refuse such
a value with a message naming the layer, the field and the features, instead of carrying an
infinite figure into a table or failing with an OverflowError. Missing and negative values are left
to each step's own rule (some leave them out with a warning).
"""

from __future__ import annotations

import numpy as np

from .errors import LayerError
from .i18n import trn

__all__ = ["MAX_AREA", "check_areas"]

#: No land or floor area is larger than the Earth's surface (about 5.1e14 m²).
MAX_AREA = 5.1e14


def check_areas(values, index, *, layer: str, field: str) -> np.ndarray:
    """``values`` as floats; raises LayerError when one is infinite or larger than :data:`MAX_AREA`.

    Examples
    --------
    >>> check_areas([1.5, float("nan")], [0, 1], layer="pieces", field="piece_area").tolist()
    [1.5, nan]
    >>> try:
    ...     check_areas([1.5, float("inf")], ["a", "b"], layer="pieces", field="piece_area")
    ... except LayerError as exc:
    ...     print(str(exc)[:86])
    Layer 'pieces': field 'piece_area' holds an impossible area (inf) for 1 feature: ['b']
    """
    arr = np.asarray(values, dtype=float)
    bad = np.isinf(arr) | (np.abs(np.nan_to_num(arr)) > MAX_AREA)
    if bad.any():
        idx = list(index)
        features = [idx[i] for i in np.flatnonzero(bad)[:10]]
        raise LayerError(
            trn(
                "Layer '{layer}': field '{field}' holds an impossible area ({value}) for {n} feature: "
                "{features}: infinite, or larger than the Earth's surface. Correct the field, or run the "
                "step that wrote it again.",
                "Layer '{layer}': field '{field}' holds an impossible area ({value}) for {n} features: "
                "{features}: infinite, or larger than the Earth's surface. Correct the field, or run the "
                "step that wrote it again.",
                int(bad.sum()),
                layer=layer,
                field=field,
                value=f"{arr[np.flatnonzero(bad)[0]]:g}",
                features=features,
            )
        )
    return arr
