"""What a hearing pack (听证会图册) prints: every table, already masked and formatted, and safe layers.

:func:`hearing_data` takes the outputs of the other steps (affected area, conflicts, quota trail,
benefit scenarios, carved retained land) for ONE project and returns a :class:`HearingData`: the
tables of every sheet as text cells (numbers formatted once, here, so that what is printed can be
compared with what was computed), and the layers the maps draw, carrying only what may be printed.

Privacy is applied here, before anything reaches a layout: in the public version (the default)
individual rights-holders' names are masked (:mod:`landcoord.allocation.privacy`), holders are
identified on the maps by a sheet code (H01, H02 ...) and their masked name, and no layer or table
carries an ID-card number, a phone number or an unmasked individual name. A user's own layout
template therefore cannot print them either.

Every quota or scenario figure whose rule value is not verified is marked ``未核实 unverified``
in its cell, and the sheet says the figures are not official.

Column names of the other steps' outputs are matched through :data:`COLUMN_ALIASES` (one place),
so a slightly different name (``party_name`` for ``party``) still works.

What the package holds, one builder per sheet:

- :mod:`.build` — :func:`hearing_data`, the orchestrator calling the phases below in order;
- :mod:`.holders` — the project's pieces, boundary and name, who is an individual, the holders'
  figures, codes and labels, which get a sheet, and each holder sheet's parcel table;
- :mod:`.layers` — the map layers (boundary, pieces, holders, nearby parcels, control lines);
- :mod:`.overview` — the overview sheet's table and project-land line;
- :mod:`.benefit` — benefit-sharing scenarios (all parties, each holder), quota trail, retained land;
- :mod:`.finance` — who gets and who pays under each scenario (every party, reconciled) and the
  implementing entity's feasibility verdict, from the finance tables of ``landcoord benefits``;
- :mod:`.conflicts` — the conflicts on this project's land and the verdict per input;
- :mod:`.ledger_block` — the ledger's fingerprint, consent rates, stages and notices (no names);
- :mod:`.masking` — the public-text cleaner applied to every layer, table, note and warning;
- :mod:`.formatting` — how figures are printed, :class:`Table`; :mod:`.columns` — input columns;
  :mod:`.data` — :class:`HearingData`.

What it may import: numpy, pandas, geopandas, shapely, pyproj and the other modules of
:mod:`landcoord.allocation` (never QGIS, never :mod:`landcoord.report`, which draws what this
package returns). Within the package, :mod:`.formatting` and :mod:`.columns` import no sibling,
and only :mod:`.build` imports the sheet builders (:mod:`.finance` aside, which prints the parties
as :mod:`.benefit` does, with its helpers).
"""

from __future__ import annotations

from .build import hearing_data
from .columns import COLUMN_ALIASES, FIELD_ARGUMENTS, adapt_columns, field_arguments
from .data import HearingData
from .finance import FINANCE_LAYERS, read_finance
from .formatting import (
    PARTY_TYPE_LABELS,
    SEVERITY_LABELS,
    UNVERIFIED,
    UNVERIFIED_MARK,
    Table,
    fmt_area,
    fmt_money,
    fmt_share,
    is_verified,
    land_line,
)
from .ledger_block import LedgerBlock, ledger_block, shanghai_time

__all__ = [
    "UNVERIFIED",
    "UNVERIFIED_MARK",
    "COLUMN_ALIASES",
    "PARTY_TYPE_LABELS",
    "SEVERITY_LABELS",
    "Table",
    "LedgerBlock",
    "HearingData",
    "FIELD_ARGUMENTS",
    "adapt_columns",
    "field_arguments",
    "hearing_data",
    "FINANCE_LAYERS",
    "read_finance",
    "ledger_block",
    "shanghai_time",
    "fmt_area",
    "fmt_money",
    "fmt_share",
    "is_verified",
    "land_line",
]
