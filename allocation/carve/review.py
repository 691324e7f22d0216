"""Keeping clear of the zones for review by hand (the registry's ``review`` kinds, e.g. the purple
line 紫线) when every quota still fits that way, and saying where the parcels lie on them when not."""

from __future__ import annotations

import shapely

from ..errors import InfeasibleError
from ..feedback import Feedback
from ..i18n import tr
from .search import _named_area

__all__ = ["clear_of_review"]


class _Held(Feedback):
    """Passes progress and cancelling on to ``fb`` and holds the messages until :meth:`release`:
    a try that is thrown away leaves nothing in the log."""

    def __init__(self, fb: Feedback):
        self.fb = fb
        self.held: list = []

    def progress(self, percent: float) -> None:
        self.fb.progress(percent)

    def is_canceled(self) -> bool:
        return self.fb.is_canceled()

    def info(self, message: str) -> None:
        self.held.append((self.fb.info, message))

    def warning(self, message: str) -> None:
        self.held.append((self.fb.warning, message))

    def release(self) -> None:
        for say, message in self.held:
            say(message)


def clear_of_review(pid, pgeom, review, names: str, unit: float, carve, notes, warnings, fb):
    """Project ``pid`` carved clear of ``review`` (the union of the zones for review by hand, in the
    measuring CRS; None when none were given) when every quota fits that way, else as without them.

    ``carve(extra, notes, warnings, feedback)`` carves the project keeping clear of ``extra`` too
    (None: of nothing more) and returns ``(parcel rows, land rows)``; ``unit`` converts the CRS's
    units to metres. The log says which way it went: clear of the zones, or how much of which
    community's parcel lies on them.
    """
    if review is None or review.is_empty or not shapely.intersects(pgeom, review):
        return carve(None, notes, warnings, fb)
    held, tried_notes, tried_warnings = _Held(fb), [], []
    try:
        rows, lrows = carve(review, tried_notes, tried_warnings, held)
    except InfeasibleError:
        pass  # the quotas do not fit clear of them: carved as without them, below
    else:
        held.release()
        notes.extend(tried_notes)
        warnings.extend(tried_warnings)
        msg = tr(
            "Project {project}: every parcel keeps clear of {zones}; the quotas fit without that land.",
            project=pid,
            zones=names,
        )
        notes.append(msg)
        fb.info(msg)
        return rows, lrows
    rows, lrows = carve(None, notes, warnings, fb)
    on = []
    for row, geom in rows:
        area = shapely.area(shapely.intersection(geom, review)) * unit * unit
        if area > 1e-6:
            on.append(_named_area(row["community"], area))
    msg = tr(
        "Project {project}: the quotas do not fit clear of {zones}, so they were carved as without it; on "
        "it lie: {parcels}. Check that land by hand in the conflicts step.",
        project=pid,
        zones=names,
        parcels=", ".join(on) or tr("nothing"),
    )
    warnings.append(msg)
    fb.warning(msg)
    return rows, lrows
