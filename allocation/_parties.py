"""Who takes part in a benefit-sharing scenario, as the scenarios and finance modules both name it.

The government party's printed name and how project / community ids are compared. Kept apart so
that :mod:`landcoord.allocation.finance` needs nothing back from :mod:`landcoord.allocation.scenarios`
(which imports finance): no import loop. Imports only the standard library.
"""

from __future__ import annotations

import math

__all__ = ["GOVERNMENT", "id_key"]

#: The government's party name in the scenario tables.
GOVERNMENT = "政府 government"


def id_key(v):
    """Project / community ids compared as text (a CSV gives text, a layer may give numbers).

    >>> id_key(12.0), id_key(" C1 "), id_key(float("nan")), id_key("")
    ('12', 'C1', None, None)
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None
