"""Reading layers straight from PostGIS, with the spatial filter done by the database.

A PostGIS layer is named by a source string, in either of two forms:

- ``PG:host=db.example port=5432 dbname=cadastre user=officer|table=public.parcels|geom=geom|key=gid``
  (a libpq connection string after ``PG:``, as GDAL and QGIS write it, then ``|option=value`` parts);
- ``postgresql://officer@db.example:5432/cadastre?table=public.parcels&geom=geom&key=gid``
  (a libpq URI; ``table``, ``geom`` and ``key`` are taken out of the query, the rest is for libpq).

``table`` is required (``schema.table`` or a table on the search path). ``geom`` is the geometry
column (default: the table's only one). ``key`` is the column whose values become the feature ids
(default: the single-column primary key; a table without one gets ids from its physical row
position). Passwords come from libpq's usual places (``~/.pgpass``, ``PGPASSWORD``) or the string;
they are never shown in messages.

Rows are always read in key order, so a part of a table read with :func:`read_postgis` and
``envelopes`` lists its rows in the same order as the whole table would. With ``envelopes`` only
rows whose bounding box meets one of the boxes are fetched (``geom && ST_MakeEnvelope(...)``, which
the table's GiST index answers); that is a superset of the rows whose geometry meets them.

Uses psycopg2 (Debian's ``python3-psycopg2``; QGIS's DB Manager uses the same), imported when first
needed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..errors import FieldError, InputError, LayerError
from ..i18n import tr
from ..privacy import redact_dsn

__all__ = [
    "PgSource",
    "is_pg_source",
    "parse_pg_source",
    "PgLayer",
    "describe",
    "read_postgis",
    "read_column",
    "column_groups",
    "write_postgis",
]

_URI = re.compile(r"^postgres(ql)?://", re.IGNORECASE)


@dataclass(frozen=True)
class PgSource:
    """A table of a PostGIS database: connection, table, geometry and key columns."""

    dsn: str
    table: str
    geom: str | None = None
    key: str | None = None

    @property
    def label(self) -> str:
        """The table and the database, without any password (for messages)."""
        return f"{self.table} ({_safe_dsn(self.dsn)})"


def is_pg_source(text) -> bool:
    """Whether ``text`` names a PostGIS table rather than a file.

    Examples
    --------
    >>> is_pg_source("PG:dbname=gis|table=parcels"), is_pg_source("postgresql:///gis?table=t")
    (True, True)
    >>> is_pg_source("parcels.gpkg|layername=parcels")
    False
    """
    return isinstance(text, PgSource) or (
        isinstance(text, str) and (text[:3].upper() == "PG:" or bool(_URI.match(text)))
    )


def parse_pg_source(text) -> PgSource:
    """Split a PostGIS source string into a :class:`PgSource`.

    Examples
    --------
    >>> parse_pg_source("PG:host=127.0.0.1 port=5433 dbname=gis user=me|table=land.parcels|geom=shape")
    PgSource(dsn='host=127.0.0.1 port=5433 dbname=gis user=me', table='land.parcels', geom='shape', key=None)
    >>> parse_pg_source("postgresql://me@127.0.0.1:5433/gis?table=parcels&key=gid&sslmode=disable")
    PgSource(dsn='postgresql://me@127.0.0.1:5433/gis?sslmode=disable', table='parcels', geom=None, key='gid')
    """
    if isinstance(text, PgSource):
        _check_table(text.table, _safe_dsn(text.dsn), False)
        return text
    text = str(text).strip()
    options: dict = {}
    if _URI.match(text):
        parts = urlsplit(text)
        rest = []
        for k, v in parse_qsl(parts.query, keep_blank_values=True):
            if k.lower() in ("table", "geom", "key"):
                options[k.lower()] = v
            else:
                rest.append((k, v))
        dsn = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), parts.fragment))
    elif text[:3].upper() == "PG:":
        dsn, *opts = text[3:].split("|")
        for opt in opts:
            k, sep, v = opt.partition("=")
            if not sep or k.strip().lower() not in ("table", "geom", "key"):
                raise InputError(
                    tr(
                        "PostGIS source '{source}': unknown option '{option}'. "
                        "Options are |table=SCHEMA.TABLE, |geom=COLUMN and |key=COLUMN.",
                        source=_safe_dsn(text),
                        option=opt.strip(),
                    )
                )
            options[k.strip().lower()] = v.strip()
        dsn = dsn.strip()
    else:
        raise InputError(
            tr(
                "'{source}' is not a PostGIS source. Write PG:<libpq connection string>|table=SCHEMA.TABLE "
                "or postgresql://USER@HOST:PORT/DB?table=SCHEMA.TABLE.",
                source=text,
            )
        )
    if not options.get("table"):
        raise InputError(
            tr(
                "PostGIS source '{source}' names no table; add |table=SCHEMA.TABLE "
                "(or ?table=SCHEMA.TABLE to a postgresql:// URI).",
                source=_safe_dsn(text),
            )
        )
    uri = bool(_URI.match(text))
    _check_table(options["table"], _safe_dsn(text), uri)
    for opt in ("geom", "key"):
        if options.get(opt):
            _check_identifier(options[opt], opt, _safe_dsn(text), uri)
    return PgSource(dsn, options["table"], options.get("geom") or None, options.get("key") or None)


#: Longest PostgreSQL identifier (bytes of UTF-8; NAMEDATALEN - 1).
MAX_IDENTIFIER_BYTES = 63
#: A table, schema or column name landcoord accepts: letters (any script), digits, _ and $, not
#: starting with a digit or $. No quotes, semicolons, spaces, dots or control characters.
_IDENTIFIER = re.compile(r"[^\W\d]\w*[\w$]*\Z")


def _identifier_problem(name: str) -> str | None:
    if name == "":
        return tr("the name is empty")
    if len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
        return tr(
            "the name is {size} bytes long; PostgreSQL names have at most {limit}",
            size=len(name.encode("utf-8")),
            limit=MAX_IDENTIFIER_BYTES,
        )
    if not _IDENTIFIER.match(name):
        bad = sorted({ch for ch in name if not (ch.isalnum() or ch in "_$")})
        shown = " ".join(repr(ch) for ch in bad) if bad else repr(name[0])
        return tr(
            "it contains {chars}; use letters, digits and _ only (not starting with a digit)", chars=shown
        )
    return None


def _check_identifier(value: str, option: str, source: str, uri: bool) -> None:
    """Refuse a geometry or key column name that is not a plain identifier (no SQL is ever run)."""
    why = _identifier_problem(value)
    if why:
        raise InputError(
            tr(
                "PostGIS source '{source}': {sep}{option}='{value}' is not a column name: {why}. "
                "Nothing was run on the database.",
                source=source,
                sep="?" if uri else "|",
                option=option,
                value=value,
                why=why,
            )
        )


def _check_table(value: str, source: str, uri: bool) -> None:
    """Refuse a table name that is not ``TABLE`` or ``SCHEMA.TABLE`` of plain identifiers.

    Names with quotes, semicolons, spaces, an empty part, more than two parts or more than 63 bytes
    are refused before any connection is made.

    >>> _check_table("public.parcels", "PG:dbname=gis", False)
    >>> _check_table("parcels; DROP TABLE x", "PG:dbname=gis", False)
    Traceback (most recent call last):
    ...
    landcoord.allocation.errors.InputError: PostGIS source 'PG:dbname=gis': |table='parcels; DROP TABLE x' is not SCHEMA.TABLE or TABLE: it contains ' ' ';'; use letters, digits and _ only (not starting with a digit). Nothing was run on the database.
    """  # noqa: E501
    parts = value.split(".")
    if len(parts) > 2:
        why = tr("it has {count} parts separated by dots; give SCHEMA.TABLE or TABLE", count=len(parts))
    else:
        why = next((w for w in map(_identifier_problem, parts) if w), None)
    if why:
        raise InputError(
            tr(
                "PostGIS source '{source}': {option}table='{value}' is not SCHEMA.TABLE or TABLE: {why}. "
                "Nothing was run on the database.",
                source=source,
                option="?" if uri else "|",
                value=value,
                why=why,
            )
        )


def _safe_dsn(text: str, dsn: str | None = None) -> str:
    """``text`` without any password (one rule for every connection string: privacy.redact_dsn)."""
    return redact_dsn(text, dsn)


def _psycopg2():
    try:
        import psycopg2
    except ImportError as exc:  # pragma: no cover - present wherever QGIS is
        raise InputError(
            tr(
                "Reading from PostGIS needs the psycopg2 library (Debian: apt install python3-psycopg2; "
                "pip: psycopg2)."
            )
        ) from exc
    return psycopg2


def connect(src: PgSource):
    """A psycopg2 connection to ``src``'s database; errors say which database could not be reached."""
    psycopg2 = _psycopg2()
    try:
        return psycopg2.connect(src.dsn)
    except psycopg2.Error as exc:
        raise LayerError(
            tr(
                "Cannot connect to the PostGIS database of '{source}': {error}. Check host, port, "
                "database name and user (and ~/.pgpass or PGPASSWORD for the password).",
                source=src.label,
                error=_safe_dsn(str(exc).strip(), src.dsn),
            )
        ) from exc


@dataclass(frozen=True)
class PgLayer:
    """What :func:`describe` learnt about a PostGIS table."""

    source: PgSource
    schema: str
    name: str
    columns: tuple  # (name, type) in table order
    geom: str
    srid: int
    crs: pyproj.CRS | None
    key: str | None  # None: ids from the physical row position (ctid)
    has_m: bool = False

    @property
    def label(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def fields(self) -> list:
        return [c for c, _ in self.columns if c != self.geom]


def _ident(*names) -> str:
    from psycopg2 import sql

    return sql.SQL(".").join(sql.Identifier(n) for n in names)


def describe(source) -> PgLayer:
    """Look up a table's columns, geometry column, SRID and key.

    Raises
    ------
    LayerError
        When the table does not exist (the message lists the tables that have geometries) or has
        no geometry column.
    FieldError
        When the ``geom`` or ``key`` column asked for does not exist.
    """
    src = parse_pg_source(source)
    conn = connect(src)
    try:
        with conn.cursor() as cur:
            oid, schema, name = _find_table(cur, src)
            cur.execute(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                (oid,),
            )
            columns = tuple(cur.fetchall())
            label = f"{schema}.{name}"
            geom = _geometry_column(src, label, columns)
            has_m = bool(re.search(r"geometry\(\w*M\b", dict(columns)[geom], re.IGNORECASE))
            key = _key_column(cur, src, oid, label, [c for c, _ in columns])
            srid, crs = _srid_and_crs(cur, schema, name, geom)
    finally:
        conn.close()
    return PgLayer(src, schema, name, columns, geom, srid, crs, key, has_m)


def _find_table(cur, src: PgSource) -> tuple:
    """``(oid, schema, name)`` of the table; LayerError listing the tables with geometries if none."""
    cur.execute(
        "SELECT c.oid, n.nspname, c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(%s)",
        (src.table,),
    )
    row = cur.fetchone()
    if row is None:
        cur.execute("SELECT f_table_schema || '.' || f_table_name FROM geometry_columns ORDER BY 1 LIMIT 50")
        tables = [r[0] for r in cur.fetchall()]
        raise LayerError(
            tr(
                "PostGIS table '{table}' does not exist in {database}. Tables with geometries: "
                "{tables}. Give one as |table=SCHEMA.TABLE.",
                table=src.table,
                database=_safe_dsn(src.dsn),
                tables=", ".join(tables) or tr("(none)"),
            )
        )
    return row


def _geometry_column(src: PgSource, label: str, columns) -> str:
    """The geometry column asked for (``|geom=``), else the table's only one."""
    names = [c for c, _ in columns]
    geoms = [c for c, t in columns if t.startswith("geometry")]
    if src.geom:
        if src.geom not in names:
            raise FieldError(label, src.geom, names, expected=None)
        return src.geom
    if len(geoms) == 1:
        return geoms[0]
    if geoms:
        raise LayerError(
            tr(
                "PostGIS table '{table}' has several geometry columns ({columns}); name the one to "
                "use with |geom=COLUMN.",
                table=label,
                columns=", ".join(geoms),
            )
        )
    raise LayerError(
        tr(
            "PostGIS table '{table}' has no geometry column; name the one to use with |geom=COLUMN.",
            table=label,
        )
    )


def _key_column(cur, src: PgSource, oid, label: str, names: list):
    """The key column asked for (``|key=``), else the table's one-column primary key, else None."""
    if src.key:
        if src.key not in names:
            raise FieldError(label, src.key, names)
        return src.key
    cur.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s AND i.indisprimary",
        (oid,),
    )
    pk = [r[0] for r in cur.fetchall()]
    return pk[0] if len(pk) == 1 else None


def _srid_and_crs(cur, schema: str, name: str, geom: str) -> tuple:
    """``(srid, pyproj CRS or None)`` of the geometry column: declared, else of its first geometry."""
    cur.execute(
        "SELECT srid FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s "
        "AND f_geometry_column = %s",
        (schema, name, geom),
    )
    r = cur.fetchone()
    srid = int(r[0]) if r and r[0] else 0
    if srid == 0:
        from psycopg2 import sql

        cur.execute(
            sql.SQL("SELECT ST_SRID({g}) FROM {t} WHERE {g} IS NOT NULL LIMIT 1").format(
                g=sql.Identifier(geom), t=_ident(schema, name)
            )
        )
        r = cur.fetchone()
        srid = int(r[0]) if r else 0
    crs = None
    if srid:
        cur.execute("SELECT auth_name, auth_srid, srtext FROM spatial_ref_sys WHERE srid = %s", (srid,))
        r = cur.fetchone()
        if r is not None:
            auth, code, wkt = r
            crs = pyproj.CRS.from_user_input(f"{auth}:{code}") if auth and code else pyproj.CRS(wkt)
    return srid, crs


def _geom_sql(layer: PgLayer):
    """SQL giving the geometry as 2D/3D WKB with curves linearised (as pyogrio does for files)."""
    from psycopg2 import sql

    g = sql.Identifier(layer.geom)
    inner = sql.SQL("CASE WHEN ST_HasArc({g}) THEN ST_CurveToLine({g}) ELSE {g} END").format(g=g)
    if layer.has_m:
        inner = sql.SQL("ST_Force2D({i})").format(i=inner)
    return sql.SQL("ST_AsBinary({i}, 'NDR')").format(i=inner)


def _key_sql(layer: PgLayer):
    from psycopg2 import sql

    if layer.key:
        return sql.Identifier(layer.key)
    # the physical row position (block, line) as one integer: stable while the table is not written
    return sql.SQL("((ctid::text::point)[0]::bigint * 65536 + (ctid::text::point)[1]::bigint)")


def read_postgis(
    source,
    columns=None,
    *,
    envelopes=None,
    keys=None,
    layer: PgLayer | None = None,
    name: str | None = None,
    limit: int | None = None,
) -> gpd.GeoDataFrame:
    """Read a PostGIS table (all of it, or only the rows near some boxes) into a GeoDataFrame.

    Parameters
    ----------
    source : str or PgSource
        The table (see the module's documentation for the string forms).
    columns : list of str, optional
        Attribute columns to read (default: all but the geometry).
    envelopes : array of shape (n, 4), optional
        Boxes ``(minx, miny, maxx, maxy)`` in the table's SRID. Only rows whose bounding box meets
        one of them are fetched (the database's GiST index does the filtering).
    keys : sequence, optional
        Only the rows with these feature ids.
    layer : PgLayer, optional
        The table's description, when already known (saves a round trip).
    name : str, optional
        Name for messages (``attrs["name"]``; default ``schema.table``).
    limit : int, optional
        At most this many rows (the first in key order).

    Returns
    -------
    GeoDataFrame
        Index = feature ids (the key column), rows in key order, CRS from the SRID.
    """
    layer = layer or describe(source)
    default = [c for c in layer.fields if c != layer.key]
    wanted = list(default if columns is None else [c for c in columns if c])
    names = [c for c, _ in layer.columns]
    for c in wanted:
        if c not in names or c == layer.geom:
            raise FieldError(layer.label, c, layer.fields)
    query, args = _select(layer, wanted, envelopes, keys, limit)
    ids, wkbs, cols = _fetch(layer, query, args, len(wanted))
    index = pd.Index(ids)
    data = {c: _column(v, index) for c, v in zip(wanted, cols)}
    gdf = gpd.GeoDataFrame(
        pd.DataFrame(data, index=index, columns=wanted),
        geometry=gpd.GeoSeries(shapely.from_wkb(np.array(wkbs, dtype=object)), index=index, crs=layer.crs),
        crs=layer.crs,
    )
    gdf.attrs["name"] = name or layer.label
    gdf.attrs["source"] = layer.source.label
    return gdf


def _select(layer: PgLayer, wanted: list, envelopes, keys, limit):
    """The SELECT of :func:`read_postgis` and its arguments: key, geometry, ``wanted``, filtered."""
    from psycopg2 import sql

    query = sql.SQL("SELECT {key}, {geom}{cols} FROM {table}").format(
        key=_key_sql(layer),
        geom=_geom_sql(layer),
        cols=sql.SQL("").join(sql.SQL(", {}").format(sql.Identifier(c)) for c in wanted),
        table=_ident(layer.schema, layer.name),
    )
    args: list = []
    where = []
    if envelopes is not None:
        env = np.asarray(envelopes, dtype=float).reshape(-1, 4)
        if len(env) == 0:
            where.append(sql.SQL("false"))
        else:
            # one && per envelope, OR-ed: the planner answers each from the GiST index and merges
            # the row sets in a BitmapOr (an EXISTS over an array of envelopes is planned as a scan)
            test = sql.SQL("{g} && ST_MakeEnvelope(%s, %s, %s, %s, {srid})").format(
                g=sql.Identifier(layer.geom), srid=sql.Literal(layer.srid)
            )
            where.append(sql.SQL("({})").format(sql.SQL(" OR ").join([test] * len(env))))
            args += env.ravel().tolist()
    if keys is not None:
        where.append(sql.SQL("{k} = ANY(%s)").format(k=_key_sql(layer)))
        args.append([k.item() if isinstance(k, np.generic) else k for k in keys])
    if where:
        query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
    query += sql.SQL(" ORDER BY 1")
    if limit is not None:
        query += sql.SQL(" LIMIT {}").format(sql.Literal(int(limit)))
    return query, args


def _fetch(layer: PgLayer, query, args, n_columns: int):
    """Run ``query`` with a server-side cursor: ``(ids, wkbs, columns)``; LayerError on failure."""
    conn = connect(layer.source)
    ids, wkbs, cols = [], [], [[] for _ in range(n_columns)]
    try:
        with conn.cursor(name="landcoord_read") as cur:  # server-side: streamed in batches
            cur.itersize = 20_000
            cur.execute(query, args)
            for row in cur:
                ids.append(row[0])
                wkbs.append(None if row[1] is None else bytes(row[1]))
                for c, v in zip(cols, row[2:]):
                    c.append(v)
    except _psycopg2().Error as exc:
        raise LayerError(
            tr(
                "Cannot read PostGIS table '{table}': {error}",
                table=layer.label,
                error=_safe_dsn(str(exc).strip(), layer.source.dsn),
            )
        ) from exc
    finally:
        conn.close()
    return ids, wkbs, cols


def _column(values: list, index) -> pd.Series:
    """A column as pandas would type it from a file: numbers numeric, decimals as floats."""
    import decimal

    if values and any(isinstance(v, decimal.Decimal) for v in values):
        values = [float(v) if isinstance(v, decimal.Decimal) else v for v in values]
    s = pd.Series(values, index=index, dtype=object)
    return s.infer_objects() if len(s) else s


def read_column(
    source, column: str, *, layer: PgLayer | None = None, non_empty: bool = False, values_in=None
):
    """``(keys, values)`` of one attribute column, in key order, without geometries.

    With ``non_empty`` a third array says which rows have a non-empty geometry; with ``values_in``
    only rows whose value is one of those (None: NULL) are read.
    """
    from psycopg2 import sql

    layer = layer or describe(source)
    if column not in layer.fields:
        raise FieldError(layer.label, column, layer.fields)
    g = sql.Identifier(layer.geom)
    where, args = sql.SQL(""), []
    if values_in is not None:
        wanted = [v for v in values_in if v is not None]
        where = sql.SQL(
            " WHERE {c}::text = ANY(%s)" + (" OR {c} IS NULL" if None in values_in else "")
        ).format(c=sql.Identifier(column))
        args = [[str(v) for v in wanted]]
    query = sql.SQL("SELECT {key}, {col}{ne} FROM {table}{where} ORDER BY 1").format(
        key=_key_sql(layer),
        col=sql.Identifier(column),
        ne=sql.SQL(", {g} IS NOT NULL AND NOT ST_IsEmpty({g})").format(g=g) if non_empty else sql.SQL(""),
        table=_ident(layer.schema, layer.name),
        where=where,
    )
    conn = connect(layer.source)
    try:
        with conn.cursor() as cur:
            cur.execute(query, args)
            rows = cur.fetchall()
    finally:
        conn.close()
    keys = np.array([r[0] for r in rows], dtype=object)
    values = np.array([r[1] for r in rows], dtype=object)
    if non_empty:
        return keys, values, np.array([bool(r[2]) for r in rows], dtype=bool)
    return keys, values


def column_groups(source, column: str, *, layer: PgLayer | None = None, samples: int = 5) -> list:
    """The distinct values of a column, grouped in the database: ``(value, rows, keys)`` per value, with
    the first ``samples`` feature ids (in key order) of its rows that have a non-empty geometry.

    Reads one row per distinct value, however large the table.
    """
    from psycopg2 import sql

    layer = layer or describe(source)
    if column not in layer.fields:
        raise FieldError(layer.label, column, layer.fields)
    g = sql.Identifier(layer.geom)
    query = sql.SQL(
        "SELECT {col}, count(*), (array_agg({key} ORDER BY {key}) FILTER "
        "(WHERE {g} IS NOT NULL AND NOT ST_IsEmpty({g})))[1:{n}] FROM {table} GROUP BY 1"
    ).format(
        col=sql.Identifier(column),
        key=_key_sql(layer),
        g=g,
        n=sql.Literal(int(samples)),
        table=_ident(layer.schema, layer.name),
    )
    conn = connect(layer.source)
    try:
        with conn.cursor() as cur:
            cur.execute(query)
            rows = cur.fetchall()
    finally:
        conn.close()
    return [(v, int(n), list(k or [])) for v, n, k in rows]


def table_stats(source, *, layer: PgLayer | None = None) -> tuple[int, tuple]:
    """``(row count, extent (minx, miny, maxx, maxy))`` of a table (extent NaN when it has no geometry)."""
    from psycopg2 import sql

    layer = layer or describe(source)
    conn = connect(layer.source)
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL(
                    "SELECT n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                    "(SELECT count(*) AS n, ST_Extent({g}) AS e FROM {t}) s"
                ).format(g=sql.Identifier(layer.geom), t=_ident(layer.schema, layer.name))
            )
            row = cur.fetchone()
    finally:
        conn.close()
    if row is None:
        return 0, (np.nan,) * 4
    return int(row[0]), tuple(np.nan if v is None else float(v) for v in row[1:])


_PG_TYPES = {"i": "bigint", "u": "bigint", "f": "double precision", "b": "boolean"}


def write_postgis(frame: gpd.GeoDataFrame, source, *, key: str = "fid", replace: bool = False) -> PgSource:
    """Write a GeoDataFrame into a new PostGIS table (index as the primary key), with a GiST index.

    For loading test data and benchmark data; an officer's tables are written by their own tools.
    Columns are typed bigint / double precision / boolean / text from the frame's dtypes; the
    geometry column is ``geom`` with the frame's EPSG code as SRID.

    Returns
    -------
    PgSource
        The table just written.
    """
    from psycopg2 import sql

    src = parse_pg_source(source)
    schema, _, table = src.table.rpartition(".")
    target = _ident(schema, table) if schema else _ident(table)
    epsg = pyproj.CRS(frame.crs).to_epsg() if frame.crs is not None else 0
    attrs = [c for c in frame.columns if c != frame.geometry.name]
    defs = [sql.SQL("{} bigint PRIMARY KEY").format(sql.Identifier(key))]
    for c in attrs:
        kind = frame[c].dtype.kind
        defs.append(sql.SQL("{} {}").format(sql.Identifier(str(c)), sql.SQL(_PG_TYPES.get(kind, "text"))))
    defs.append(sql.SQL("geom geometry(Geometry, {})").format(sql.Literal(int(epsg or 0))))

    buf = io.StringIO()
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if epsg:
        geoms = shapely.set_srid(geoms, int(epsg))
    geoms = shapely.to_wkb(geoms, hex=True, include_srid=bool(epsg))
    columns = [frame[c].to_numpy(dtype=object) for c in attrs]
    for i, fid in enumerate(frame.index):
        vals = [str(int(fid))] + [_copy_text(col[i]) for col in columns]
        vals.append("\\N" if geoms[i] is None else geoms[i])
        buf.write("\t".join(vals) + "\n")
    buf.seek(0)

    conn = connect(src)
    try:
        with conn, conn.cursor() as cur:
            if replace:
                cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(target))
            cur.execute(sql.SQL("CREATE TABLE {} ({})").format(target, sql.SQL(", ").join(defs)))
            cols = sql.SQL(", ").join(sql.Identifier(str(c)) for c in [key, *attrs, "geom"])
            cur.copy_expert(
                sql.SQL("COPY {} ({}) FROM STDIN").format(target, cols).as_string(cur), buf, size=1 << 20
            )
            name = f"{table}_geom_idx"
            cur.execute(
                sql.SQL("CREATE INDEX {} ON {} USING gist (geom)").format(sql.Identifier(name), target)
            )
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("ANALYZE {}").format(target))
    finally:
        conn.close()
    return PgSource(src.dsn, src.table, "geom", key)


def _copy_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "\\N"
    if isinstance(value, bool | np.bool_):
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
