"""Carving retained-land parcels (留用地) to quota, on land the plan allows, compact and buildable.

Once each community's retained-land quota is known, :func:`carve_retained` draws where it goes:
for every community one parcel of exactly the quota area (within ``tolerance`` m²), inside the
project, clear of every EXCLUDE zone (blocking control lines, planned roads, public facilities) and
of road land, nowhere narrower than ``min_width``, touching a road when roads are given, and as near
the community's existing holdings as the land allows.

How it works
------------
*Developable land* is the project (inside ``within``, if given) less the
EXCLUDE zones and road land. Its *usable land* is what is left after removing every part narrower
than ``min_width`` (:func:`~landcoord.allocation.shapes.width_opening`). Communities are carved one
after the other, the largest quota first. For each, parcels are grown from seeds on the usable land
next to (or on) the community's holdings and within reach of a road: squares on the project's axes
and blocks squared to the nearest road edge (as wide as deep, or twice as deep as wide) around a
seed, and strips swept across the land; disks only when none of those works (see :mod:`.grow`). Each
is sized to the quota by secant steps on the square root of its area inside a safe bracket, then
checked against every guarantee (the width with one opening at MIN_WIDTH, a cheap filter). The
candidates that pass are ranked by compactness (Polsby–Popper) less their distance to the holdings
in parcel sizes and less the share of them lying on holdings of communities still to be carved; the
best one whose width holds in full *in the output CRS*
(:func:`~landcoord.allocation.shapes.respects_width`, the same measure the ``min_width`` column
reports) is taken if the land it leaves can still hold the remaining quotas. The parcel is removed
from the available land and the next community is carved. If that sequence runs out of land a second
pass packs the parcels tightly (least land wasted first, with blocks six times as deep as wide off
the road among the candidates, which use the least road frontage), then a third packs the smallest
quotas first. When all three fail and roads are given, the same three passes run again allowing
parcels that reach the road only at a corner or along a short edge (see below), before giving up.

Rules the guarantees follow
---------------------------
*Minimum width*:
:func:`~landcoord.allocation.shapes.min_width` (see :mod:`~landcoord.allocation.shapes`): every
carved parcel reports ``min_width >= MIN_WIDTH`` by the very function the carving enforces.

*Touching a road*: a parcel touches a road when it comes within :data:`ROAD_TOUCH` (1 mm) of road
land. Parcels are first grown only from places where a disk MIN_WIDTH across fits in the usable
land and touches road land, so each holds such a disk against the road. When those parcels cannot
hold every quota (the first parcels use the frontage up, or the land meets the road only with a
corner), a fallback also tries parcels that reach the road with a corner (a rhombus pointing at
the road from centre land up to MIN_WIDTH from it, its apex 60°-90°, which the width measure keeps),
lines turned about a point of the frontage (the parcel keeps the frontage on one side of it and
leaves the rest) and strips swept across the land in twelve directions; land whose usable part
comes within 1 mm of a road then counts as reachable. Last, every quota is laid out side by side
along the road frontage of one block, the dividing lines fanning out from the road so that each
parcel widens away from it (every order along the road up to 4 communities; method "fan from the
road frontage"; :func:`.grow.fan`). Such parcels are reported, never silent:
the ``frontage`` column gives the length of a parcel's boundary along road land, the ``note`` of a
fallback parcel whose frontage is under MIN_WIDTH says it reaches the road only at a corner or a
short edge, the log says the fallback was used, and the QA line (:func:`check_carving`) counts
parcels off the roads by the 1 mm rule and the parcels whose frontage is under MIN_WIDTH. When even
the fallback fails, the message names road access as the limit, with the frontage of the usable
land and the shortfall.

A quota comes as several parcels only when no block of usable land reachable from a road can hold
it (or none could be grown there meeting every guarantee); then it takes the fewest parcels it
can, whole blocks first, and the parcels' ``note`` says why. When the quotas cannot be met at all,
:class:`InfeasibleError` gives the shortfall in m² and where the developable land is; a parcel is
never silently smaller.

Everything is deterministic: the same input gives the same parcels.

Modules
-------
Each imports only the ones listed after it, and the core's leaf modules (``crs``, ``errors``,
``feedback``, ``geometry``, ``i18n``, ``io``, ``shapes``):

- :mod:`.carving`: :func:`carve_retained`, a short orchestrator of the run's phases;
- :mod:`.review`: each project carved clear of the zones for review by hand (the registry's
  ``review`` kinds, e.g. 紫线) when every quota fits that way, else as without them, said in the log;
- :mod:`.project`: one project carved: the developable land and the local frame, the
  communities, the feasibility checks, the search and its failure messages, the rows written;
- :mod:`.inputs`: the inputs checked and in the measuring CRS (layers, road land from road
  lines or polygons, project geometries, the quotas of each project);
- :mod:`.targets`: :func:`quota_targets`, each community's quota from a quota table or trail;
- :mod:`.checks`: :func:`check_carving`, the guarantees measured again with plain shapely;
- :mod:`.result`: :class:`CarveResult` and the output columns;
- :mod:`.search`: the search over communities and candidate parcels (compact, packed passes);
- :mod:`.grow`: the geometry engine (centre land, gauges, growing a parcel to an exact area,
  scoring, the guarantees a candidate must meet), in a local metric frame.

Nothing here imports QGIS. Everything importable from ``landcoord.allocation.carve`` before it
became a package still is.
"""

from .carving import carve_retained
from .checks import CarveChecks, check_carving
from .grow import ROAD_TOUCH
from .inputs import LINE_ROAD_HALF_WIDTH, ROAD_WIDTH_FIELDS
from .result import LAND_COLUMNS, PARCEL_COLUMNS, CarveResult
from .targets import COMMUNITY_COLUMNS, QUOTA_ITEMS, QUOTA_LABELS, TARGET_COLUMNS, quota_targets

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
    "LINE_ROAD_HALF_WIDTH",
    "TARGET_COLUMNS",
]
