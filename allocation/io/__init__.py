"""Reading and writing the officer's data: files, PostGIS tables, spreadsheets, and the output guard.

What it holds:

- :mod:`.files`: layers and tables read from files (GeoPackage, Shapefile, CSV, XLSX ...), written
  whole or not at all (:func:`atomic_output`, :func:`write_layers`).
- :mod:`._gpkg`: the GeoPackage fast path ``files`` uses to write rows in bulk (private).
- :mod:`.postgis`: the same for PostgreSQL/PostGIS sources (``postgresql://...?table=...``).
- :mod:`.outputs`: the guard every entry point runs before any work (no output replaces an input
  or a ledger, no two outputs are one file).
- :mod:`.cells`: every CSV/XLSX text cell written as text, never as a formula.

The output guard and the spreadsheet writer live here because they are the two other halves of
"writing a file": ``files`` calls the guard before replacing a GeoPackage and reads CSV cells
back through ``cells``; nothing in them knows about land consolidation.

What it may import: the standard library, numpy, pandas, geopandas, shapely, pyogrio, pyproj
(psycopg lazily, for PostGIS), and from the core only :mod:`..errors`, :mod:`..i18n` and
:mod:`..privacy`. Nothing in ``allocation`` outside this package is imported here, so every step
can import it; never QGIS.
"""

from __future__ import annotations

from .cells import *  # noqa: F403
from .cells import __all__ as _cells_all
from .files import *  # noqa: F403
from .files import __all__ as _files_all
from .outputs import *  # noqa: F403
from .outputs import __all__ as _outputs_all
from .postgis import *  # noqa: F403
from .postgis import __all__ as _postgis_all

# the package's names are its modules'
__all__ = [*_files_all, *_postgis_all, *_outputs_all, *_cells_all]
