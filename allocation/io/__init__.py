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

from .cells import (
    DANGEROUS_STARTS,
    csv_cell,
    csv_frame,
    protect_workbook,
    unescape_cell,
    write_frames,
    xlsx_frame,
)
from .files import (
    Source,
    atomic_output,
    boxes_in_crs,
    column_values,
    empty_frame,
    field_names,
    layer_name,
    near_extent,
    parse_source,
    read_layer,
    read_layer_near,
    read_table,
    replace_atomically,
    require_field,
    write_layers,
)
from .outputs import (
    GPKG_ONLY,
    check_outputs,
    check_whole_file_replacement,
    file_part,
    geopackage_tables,
    incomplete_output,
    is_ledger_file,
    is_sqlite_file,
    same_file,
)
from .postgis import (
    PgLayer,
    PgSource,
    column_groups,
    describe,
    is_pg_source,
    parse_pg_source,
    read_column,
    read_postgis,
    write_postgis,
)

__all__ = [
    # files
    "Source",
    "parse_source",
    "read_layer",
    "read_layer_near",
    "boxes_in_crs",
    "near_extent",
    "read_table",
    "write_layers",
    "layer_name",
    "empty_frame",
    "column_values",
    "field_names",
    "require_field",
    "atomic_output",
    "replace_atomically",
    # postgis
    "PgSource",
    "is_pg_source",
    "parse_pg_source",
    "PgLayer",
    "describe",
    "read_postgis",
    "read_column",
    "column_groups",
    "write_postgis",
    # outputs
    "file_part",
    "same_file",
    "is_ledger_file",
    "is_sqlite_file",
    "check_outputs",
    "incomplete_output",
    "check_whole_file_replacement",
    "geopackage_tables",
    "GPKG_ONLY",
    # cells
    "DANGEROUS_STARTS",
    "csv_cell",
    "csv_frame",
    "xlsx_frame",
    "protect_workbook",
    "unescape_cell",
    "write_frames",
]
