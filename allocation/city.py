"""City scale: every project of a plan against the whole cadastre and the whole "one map", on Dask.

A district or city bureau screens all consolidation projects of its annual plan at once: hundreds
to thousands of projects over hundreds of thousands to millions of parcels and control zones. This
module splits that work spatially and runs it on Dask, locally on every core or on a Dask
distributed cluster, and gives exactly what the single-process computations give.

How the work is split
---------------------
PROJECTS are partitioned, not parcels. Projects are ordered by the Hilbert distance of the centres
of their bounding boxes (computed with dask-geopandas) and cut into runs of about equal work, so each
partition is a compact group of neighbouring projects. Each partition gets every parcel (and every
control zone) whose bounding box meets the bounding box of one of its projects: a superset of what
its projects touch. :func:`~landcoord.allocation.affected.affected_area` and
:func:`~landcoord.allocation.conflicts.plan_conflicts` then run, unchanged, on each partition.

Why nothing is counted twice or lost: every result row of both computations belongs to exactly one
project (a piece is a parcel × project, a gap, overlap or reconciliation row is per project, a
conflict is per project × kind) and depends only on that project and the features that meet it.
Each project is in exactly one partition, and that partition holds every feature that meets it; a
parcel that crosses a partition edge is simply given to both partitions, and each cuts from it only
its own projects' pieces. The results are put back in the single process's order, so they are the
same rows in the same order (tested, also for PostGIS sources and projects whose parcels cross
partition edges).

Two details keep them identical: a layer in a geographic CRS is measured in the zone of the WHOLE
layer's centre (chosen once, not per partition), and each partition's control layer gets one zone
of every kind present in the whole layer but absent near its projects, so that a ``must_lie_inside``
kind (the urban development boundary) is checked everywhere as it is in one process (that zone
meets none of the partition's projects, so it adds no conflict).

Where the work runs
-------------------
``scheduler`` is ``"threads"`` (default: Dask's threaded scheduler in this process; GEOS releases
the GIL, so threads use every core, and QGIS needs nothing else), ``"processes"`` (Dask's
multiprocessing scheduler), ``"local-cluster"`` (a ``dask.distributed.LocalCluster`` of worker
processes), or the address of a running Dask scheduler (``tcp://host:8786``), or a
``distributed.Client``. On a cluster, partitions read from files are sent to the workers; partitions
read from PostGIS are fetched by the workers themselves, each with its own spatial filter pushed to
the database, so the workers must reach the database and have landcoord importable.
"""

from __future__ import annotations

import math
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .affected import (
    AffectedResult,
    AreaMethod,
    affected_area,
    measure_note,
    no_holder_warning,
    overlap_warning,
    project_ids,
)
from .crs import MeasureCRS, measurement_crs, project_measurement_crs, to_crs
from .errors import CRSError, FieldError, InputError, LayerError
from .feedback import Canceled, Feedback
from .geometry import polygonal_part
from .i18n import language, set_language, tr, trn
from .io.files import column_values, layer_name, read_layer
from .io.postgis import PgLayer, column_groups, describe, is_pg_source, read_column, read_postgis

__all__ = [
    "CityResult",
    "city_screen",
    "plan_partitions",
    "PROJECT_COLUMNS",
    "CONFLICT_PROJECT_COLUMNS",
    "PARTITION_COLUMNS",
    "LOCAL_SCHEDULERS",
    "PARCELS_PER_PARTITION",
]

#: Per-project summary columns (always), then :data:`CONFLICT_PROJECT_COLUMNS` when control lines are given.
PROJECT_COLUMNS = [
    "project",
    "project_area",
    "parcels",
    "holders",
    "affected_area",
    "covered_area",
    "gap_area",
    "double_claimed_area",
    "balanced",
    "partition",
    "measured",
]
CONFLICT_PROJECT_COLUMNS = ["blocking_area", "review_area", "advisory_area", "verdict", "conflict_kinds"]
#: One row per partition: what it held and what it cost (wall seconds on its worker).
PARTITION_COLUMNS = [
    "partition",
    "projects",
    "parcels",
    "zones",
    "fetch_seconds",
    "affected_seconds",
    "conflict_seconds",
    "seconds",
    "worker",
]
#: Schedulers that run in or beside this process, without a cluster address.
LOCAL_SCHEDULERS = ("threads", "processes", "local-cluster")
#: How long to try to reach a Dask scheduler given by its address.
CONNECT_TIMEOUT = "10s"
#: Work per partition by default: candidate parcels (those whose box meets a project's box).
PARCELS_PER_PARTITION = 20_000
#: Projects per partition by default when the candidate parcels cannot be counted up front.
PROJECTS_PER_PARTITION = 25


@dataclass
class CityResult:
    """Everything :func:`city_screen` computes.

    Attributes
    ----------
    projects : GeoDataFrame
        One row per project (:data:`PROJECT_COLUMNS`, then :data:`CONFLICT_PROJECT_COLUMNS` when
        control lines were checked), in project order, with the project's boundary (measurement CRS).
    affected : AffectedResult
        The same as :func:`~landcoord.allocation.affected.affected_area` on all projects at once.
    conflicts : ConflictResult or None
        The same as :func:`~landcoord.allocation.conflicts.plan_conflicts` on all projects at once
        (None without control lines).
    partitions : DataFrame
        One row per partition (:data:`PARTITION_COLUMNS`).
    scheduler : str
        Where it ran.
    warnings, notes : list of str
    """

    projects: gpd.GeoDataFrame
    affected: AffectedResult
    conflicts: object
    partitions: pd.DataFrame
    scheduler: str
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def layers(self) -> dict:
        """Output layers by the names the command line writes them under."""
        out = {"projects": self.projects}
        out.update(self.affected.layers())
        if self.conflicts is not None:
            out["conflicts"] = self.conflicts.conflicts
            out["conflict_summary"] = self.conflicts.summary
        out["partitions"] = self.partitions
        return out


# -- inputs ------------------------------------------------------------------------------------------
class _Input:
    """A layer given as a GeoDataFrame, a file source or a PostGIS source."""

    def __init__(self, value, role: str, columns=None):
        self.role = role
        self.frame: gpd.GeoDataFrame | None = None
        self.pg: PgLayer | None = None
        if isinstance(value, gpd.GeoDataFrame):
            self.frame = value
        elif is_pg_source(value):
            self.pg = describe(value)
        elif isinstance(value, str | os.PathLike):
            self.frame = read_layer(value)
        else:
            raise InputError(
                tr(
                    "The {role} must be a GeoDataFrame, a file (PATH or PATH|layername=NAME) or a PostGIS "
                    "source (PG:...|table=SCHEMA.TABLE); got {type}.",
                    role=role,
                    type=type(value).__name__,
                )
            )

    @property
    def name(self) -> str:
        return layer_name(self.frame) if self.frame is not None else self.pg.label

    @property
    def fields(self) -> list:
        if self.frame is not None:
            return [c for c in self.frame.columns if c != self.frame.geometry.name]
        return self.pg.fields

    @property
    def crs(self):
        if self.frame is not None:
            return pyproj.CRS(self.frame.crs) if self.frame.crs is not None else None
        return self.pg.crs

    def require(self, name, what: str, optional: bool = False):
        if name is None or name == "":
            if optional:
                return None
            raise FieldError(self.name, str(name), self.fields, expected=tr("set ({what})", what=what))
        if name not in self.fields:
            raise FieldError(self.name, name, self.fields)
        return name


def _as_frame(value, role: str) -> gpd.GeoDataFrame:
    inp = _Input(value, role)
    if inp.frame is not None:
        return inp.frame
    return read_postgis(inp.pg.source, layer=inp.pg, name=inp.pg.label)


def _pg_is_empty(layer: PgLayer) -> bool:
    from .io.postgis import connect

    conn = connect(layer.source)
    try:
        with conn.cursor() as cur:
            from psycopg2 import sql

            cur.execute(
                sql.SQL("SELECT NOT EXISTS (SELECT 1 FROM {}.{})").format(
                    sql.Identifier(layer.schema), sql.Identifier(layer.name)
                )
            )
            return bool(cur.fetchone()[0])
    finally:
        conn.close()


def _pg_extent(layer: PgLayer) -> tuple:
    from .io.postgis import table_stats

    return table_stats(layer.source, layer=layer)[1]


def _pg_estimate(layer: PgLayer) -> tuple[float, tuple] | None:
    """The planner's row count and extent estimate of a table (None when it was never analysed)."""
    from psycopg2 import sql

    from .io.postgis import connect

    conn = connect(layer.source)
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("SELECT reltuples FROM pg_class WHERE oid = {}::regclass").format(
                    sql.Literal(f'"{layer.schema}"."{layer.name}"')
                )
            )
            rows = float(cur.fetchone()[0])
            try:
                cur.execute(
                    "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM "
                    "ST_EstimatedExtent(%s, %s, %s) AS b",
                    (layer.schema, layer.name, layer.geom),
                )
                ext = cur.fetchone()
            except Exception:  # noqa: BLE001 - no statistics yet: no estimate
                return None
    finally:
        conn.close()
    if rows <= 0 or ext is None or any(v is None for v in ext):
        return None
    return rows, tuple(float(v) for v in ext)


# -- partitions --------------------------------------------------------------------------------------
def plan_partitions(bounds, n_parts: int, weights=None) -> list:
    """Split items (projects) into ``n_parts`` spatially compact groups of about equal weight.

    Items are ordered by the Hilbert distance of the centres of their bounding boxes (computed by
    dask-geopandas over the items' total extent), then cut into runs of about equal total weight.
    Items without a box (NaN bounds: no geometry) go to the first group.

    Parameters
    ----------
    bounds : array of shape (n, 4)
        ``minx, miny, maxx, maxy`` of each item.
    n_parts : int
        How many groups at most (fewer when there are fewer items).
    weights : array of shape (n,), optional
        Work of each item (default 1 each).

    Returns
    -------
    list of numpy arrays of item positions, each sorted, together covering every item once.

    Examples
    --------
    >>> b = np.array([[0, 0, 1, 1], [10, 10, 11, 11], [0, 1, 1, 2], [10, 11, 11, 12]], dtype=float)
    >>> [p.tolist() for p in plan_partitions(b, 2)]
    [[0, 2], [1, 3]]
    """
    import dask_geopandas

    bounds = np.asarray(bounds, dtype=float).reshape(-1, 4)
    n = len(bounds)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    ok = np.isfinite(bounds).all(axis=1)
    valid = np.flatnonzero(ok)
    parts: list = []
    if len(valid):
        b = bounds[valid]
        centres = gpd.GeoDataFrame(
            geometry=shapely.points((b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2), index=valid
        )
        total = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
        dist = (
            dask_geopandas.from_geopandas(centres, npartitions=1)
            .hilbert_distance(total_bounds=total, level=16)
            .compute()
            .to_numpy()
        )
        order = valid[np.lexsort((valid, dist))]
        k = max(1, min(int(n_parts), len(order)))
        cw = np.maximum(w[order], 0)
        cum = np.cumsum(cw)
        mid = (cum - cw / 2) / max(cum[-1], 1e-300)
        part = np.minimum((mid * k).astype(int), k - 1)
        parts = [np.sort(order[part == p]) for p in range(k) if (part == p).any()]
    missing = np.flatnonzero(~ok)
    if len(missing):
        parts = [np.sort(np.concatenate([parts[0], missing]))] + parts[1:] if parts else [missing]
    return parts


def _expand(boxes: np.ndarray, crs_from, crs_to) -> np.ndarray:
    """Boxes in ``crs_from`` as boxes in ``crs_to`` that contain them (edges densified, 0.5 % margin)."""
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if crs_to is None or crs_from is None or pyproj.CRS(crs_from).equals(crs_to):
        return boxes.copy()
    transformer = pyproj.Transformer.from_crs(crs_from, crs_to, always_xy=True)
    out = np.empty_like(boxes)
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        out[i] = transformer.transform_bounds(x0, y0, x1, y1, densify_pts=21)
    pad = 0.005 * np.maximum(out[:, 2] - out[:, 0], out[:, 3] - out[:, 1])[:, None]
    return out + np.hstack([-pad, -pad, pad, pad])


# -- one partition (runs on a worker) --------------------------------------------------------------------
class _Silent(Feedback):
    """A partition's feedback: its messages come back in its result and are reported once, merged."""

    def info(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        pass


@dataclass
class _Part:
    """Everything one partition needs, picklable (sent to a worker as it is)."""

    index: int
    projects: gpd.GeoDataFrame  # the partition's project features, original CRS (affected area)
    cprojects: gpd.GeoDataFrame | None  # the same in the conflicts' measurement CRS
    cadastre: gpd.GeoDataFrame | None  # rows for this partition (file input), or None (PostGIS)
    cad_pg: PgLayer | None
    cad_columns: list
    cad_envelopes: np.ndarray | None
    cad_measure_crs: object  # reproject PostGIS rows to this CRS (geographic tables), else None
    kwargs: dict
    controls: gpd.GeoDataFrame | None = None
    ctl_pg: PgLayer | None = None
    ctl_envelopes: np.ndarray | None = None
    ctl_witnesses: dict | None = None  # kind key -> feature id of a zone of that kind (PostGIS)
    kind_field: str | None = None
    ckwargs: dict | None = None
    geometries: bool = True
    lang: str = "en"  # language of the messages (a worker process starts in English)


def _without_geometry(frame):
    """A result frame as a plain table (its geometry column dropped)."""
    if isinstance(frame, gpd.GeoDataFrame):
        return pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return frame


def _run_partition(part: _Part):
    """Fetch a partition's parcels and zones (PostGIS) and run the unchanged single-process cores."""
    t0 = time.perf_counter()
    if language() != part.lang:
        set_language(part.lang)
    cad = part.cadastre
    if cad is None:
        cad = read_postgis(
            part.cad_pg.source,
            part.cad_columns,
            envelopes=part.cad_envelopes,
            layer=part.cad_pg,
            name=part.cad_pg.label,
        )
        if len(cad) == 0:  # no parcel near: one far-away parcel keeps affected_area's input non-empty
            cad = read_postgis(
                part.cad_pg.source, part.cad_columns, limit=1, layer=part.cad_pg, name=part.cad_pg.label
            )
        if part.cad_measure_crs is not None:
            cad = to_crs(cad, part.cad_measure_crs)
    ctl = part.controls
    if part.ckwargs is not None and ctl is None:
        ctl = read_postgis(
            part.ctl_pg.source,
            [part.kind_field],
            envelopes=part.ctl_envelopes,
            layer=part.ctl_pg,
            name=part.ctl_pg.label,
        )
        reg = part.ckwargs["registry"]
        keys = reg.resolve(
            column_values(ctl, part.kind_field), ctl.index.to_numpy(), layer=ctl.attrs["name"],
            field_name=part.kind_field,
        )  # fmt: skip
        present = set(keys[~shapely.is_missing(ctl.geometry.values)].tolist())
        extra = [fid for key, fid in part.ctl_witnesses.items() if key not in present]
        if extra:
            more = read_postgis(
                part.ctl_pg.source, [part.kind_field], keys=extra, layer=part.ctl_pg, name=part.ctl_pg.label
            )
            ctl = more if len(ctl) == 0 else pd.concat([ctl, more]).sort_index(kind="stable")
            ctl.attrs["name"] = part.ctl_pg.label
    t1 = time.perf_counter()
    aff = affected_area(part.projects, cad, feedback=_Silent(), **part.kwargs)
    t2 = time.perf_counter()
    con = None
    if part.ckwargs is not None:
        from .conflicts import plan_conflicts

        con = plan_conflicts(
            part.cprojects, ctl, kind_field=part.kind_field, feedback=_Silent(), **part.ckwargs
        )
    t3 = time.perf_counter()
    if not part.geometries:  # only the tables travel back: far less to send and to hold
        aff.pieces, aff.gaps, aff.overlaps = (
            _without_geometry(f) for f in (aff.pieces, aff.gaps, aff.overlaps)
        )
        if con is not None:
            con.conflicts = _without_geometry(con.conflicts)
    stats = {
        "partition": part.index,
        "projects": int(pd.unique(pd.Series(_part_project_ids(part), dtype=object)).size),
        "parcels": len(cad),
        "zones": len(ctl) if ctl is not None else 0,
        "fetch_seconds": t1 - t0,
        "affected_seconds": t2 - t1,
        "conflict_seconds": t3 - t2,
        "seconds": t3 - t0,
        "worker": f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}",
    }
    return aff, con, stats


def _part_project_ids(part: _Part):
    field_name = part.kwargs.get("project_field")
    if field_name:
        return column_values(part.projects, field_name)
    return np.asarray(part.projects.index.to_numpy(), dtype=object)


# -- running on Dask --------------------------------------------------------------------------------------
def _run_all(parts: list, scheduler, workers: int, fb: Feedback, lo: float, hi: float) -> tuple[list, str]:
    """Results of :func:`_run_partition` for every part, in part order, and where they ran."""
    try:
        import dask
    except ImportError as exc:
        raise InputError(
            tr("City-scale runs need Dask: pip install 'dask[dataframe]' dask-geopandas distributed")
        ) from exc
    n = len(parts)
    done = [0]

    def tick():
        done[0] += 1
        fb.progress(lo + (hi - lo) * done[0] / n)

    if scheduler in ("threads", "processes"):
        return _run_local(dask, parts, scheduler, workers, fb, tick)
    return _run_distributed(parts, scheduler, workers, fb, tick, n)


def _run_local(dask, parts, scheduler, workers, fb, tick):
    """Takes the parts and a local Dask scheduler (threads or processes); gives the results in part
    order and where they ran."""
    from dask.callbacks import Callback

    keys = set()

    class _Progress(Callback):
        def _posttask(self, key, result, dsk, state, worker_id):
            if key in keys:
                tick()
            if fb.is_canceled():
                raise Canceled(tr("Canceled by the user; no output was written."))

    tasks = [
        dask.delayed(_run_partition)(dask.delayed(p, traverse=False), dask_key_name=f"partition-{p.index}")
        for p in parts
    ]
    keys.update(t.key for t in tasks)
    with _Progress():
        results = dask.compute(*tasks, scheduler=scheduler, num_workers=workers)
    if workers == 1:
        where = tr(
            "dask {scheduler} scheduler, {workers} worker on {host}",
            scheduler=scheduler,
            workers=workers,
            host=socket.gethostname(),
        )
    else:
        where = tr(
            "dask {scheduler} scheduler, {workers} workers on {host}",
            scheduler=scheduler,
            workers=workers,
            host=socket.gethostname(),
        )
    return list(results), where


def _run_distributed(parts, scheduler, workers, fb, tick, n):
    """Takes the parts and a Dask distributed scheduler (a Client, "local-cluster" or an address);
    gives the results in part order and where they ran (closes the client and cluster it opened)."""
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    own_client = True
    if isinstance(scheduler, Client):
        client, own_client = scheduler, False
    elif scheduler == "local-cluster":
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        try:
            client = Client(str(scheduler), timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise InputError(
                tr(
                    "Cannot reach the Dask scheduler at '{scheduler}': {error}. Check the address "
                    "(tcp://HOST:8786) and that the scheduler is running.",
                    scheduler=scheduler,
                    error=exc,
                )
            ) from exc
    try:
        info = client.scheduler_info()
        nworkers = len(info.get("workers", {}))
        if nworkers == 1:
            where = tr(
                "dask distributed scheduler {address}, {workers} worker",
                address=info.get("address", scheduler),
                workers=nworkers,
            )
        else:
            where = tr(
                "dask distributed scheduler {address}, {workers} workers",
                address=info.get("address", scheduler),
                workers=nworkers,
            )
        scattered = client.scatter(parts)
        futures = client.map(_run_partition, scattered, pure=False)
        position = {f.key: i for i, f in enumerate(futures)}
        results: list = [None] * n
        for fut in as_completed(futures):
            if fb.is_canceled():
                client.cancel(futures)
                raise Canceled(tr("Canceled by the user; no output was written."))
            results[position[fut.key]] = fut.result()
            tick()
        return results, where
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()


# -- putting the partitions back together ------------------------------------------------------------------
def _ordered(frames: list, rank: dict, column: str):
    """Concatenate per-partition frames and order their rows by project rank, stably."""
    df = pd.concat(frames, ignore_index=True)
    if len(df) == 0:
        return df
    key = pd.Series(df[column].to_numpy(dtype=object)).map(rank).to_numpy()
    return df.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)


def _unique(messages) -> list:
    return list(dict.fromkeys(messages))


def _split_warnings(aff: AffectedResult) -> tuple[list, list]:
    """A partition's repair (and projection scale) warnings and its per-project warnings (unbalanced,
    mostly gap) by their kind, not their words, which are in the officer's language; the two totals
    are re-made from the merged results."""
    kinds = dict(zip(aff.warnings, aff.warning_kinds))
    return (
        [w for w in aff.warnings if kinds[w] in ("repair", "scale")],
        [w for w in aff.warnings if kinds[w] in ("unbalanced", "gaps")],
    )


def _merged_warnings(affs: list, pieces, overlaps, cname: str, holder_field: str) -> list:
    """The partitions' warnings once each, with the totals over all projects (as one process words them)."""
    # in the single process's order: repairs, parcels without holder, unbalanced projects, overlaps
    split = [_split_warnings(a) for a in affs]
    out = _unique(w for repairs, _ in split for w in repairs)
    unbalanced = _unique(w for _, projects in split for w in projects)
    pids, holders = pieces["parcel_id"].to_numpy(dtype=object), pieces["holder"].to_numpy(dtype=object)
    msg = no_holder_warning(cname, holder_field, pids[pd.isna(holders)])  # as affected_area words it
    if msg:
        out.append(msg)
    out += unbalanced
    if len(overlaps):
        out.append(overlap_warning(overlaps))
    return out


def _combine_affected(results: list, rank: dict, measure: MeasureCRS, notes: list, cname, holder_field):
    affs = [r[0] for r in results]
    pieces = _ordered([a.pieces for a in affs], rank, "project")
    overlaps = _ordered([a.overlaps for a in affs], rank, "project")
    return AffectedResult(
        pieces=pieces,
        summary=_ordered([a.summary for a in affs], rank, "project"),
        status_summary=_ordered([a.status_summary for a in affs], rank, "project"),
        gaps=_ordered([a.gaps for a in affs], rank, "project"),
        overlaps=overlaps,
        reconciliation=_ordered([a.reconciliation for a in affs], rank, "project"),
        measure=measure,
        warnings=_merged_warnings(affs, pieces, overlaps, cname, holder_field),
        notes=notes,
        method=affs[0].method if affs else AreaMethod.PLANAR,  # the statement says ellipsoidal when it was
    )


def _combine_conflicts(results: list, rank: dict, notes: list):
    from .conflicts import ConflictResult

    cons = [r[1] for r in results]
    conflicts = _ordered([c.conflicts for c in cons], rank, "input_id")
    summary = _ordered([c.summary for c in cons], rank, "input_id")
    for df in (conflicts, summary):
        df["input_id"] = df["input_id"].astype(object).infer_objects()
    kinds = _unique(k for c in cons for k in c.kinds_checked)
    return ConflictResult(
        conflicts=conflicts,
        summary=summary,
        measure=cons[0].measure,
        registry=cons[0].registry,
        kinds_checked=kinds,
        warnings=_unique(w for c in cons for w in c.warnings),
        notes=notes,
    )


# -- the public entry point ------------------------------------------------------------------------------
def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def city_screen(
    projects,
    cadastre,
    *,
    parcel_field: str,
    holder_field: str,
    status_field: str | None = None,
    project_field: str | None = None,
    area_method: AreaMethod = AreaMethod.PLANAR,
    controls=None,
    kind_field: str | None = None,
    registry=None,
    tolerance: float = 1.0,
    scheduler="threads",
    workers: int | None = None,
    partitions: int | None = None,
    geometries: bool = True,
    feedback: Feedback | None = None,
    measure_crs=None,
) -> CityResult:
    """Screen every project against the whole cadastre (and the one map), partitioned, on Dask.

    Gives the same pieces, summaries, gaps, overlaps and reconciliation as
    :func:`~landcoord.allocation.affected.affected_area` on all projects, and the same conflicts
    and conflict summary as :func:`~landcoord.allocation.conflicts.plan_conflicts`, plus one
    summary row per project.

    Parameters
    ----------
    projects : GeoDataFrame or str
        Project boundaries: a frame, a file (``PATH`` or ``PATH|layername=NAME``) or a PostGIS
        source (read whole).
    cadastre : GeoDataFrame or str
        Parcels: a frame, a file, or a PostGIS source (``PG:<libpq string>|table=SCHEMA.TABLE`` or
        ``postgresql://...?table=SCHEMA.TABLE``, see :mod:`~landcoord.allocation.io.postgis`), of
        which only the rows near the projects are fetched, partition by partition.
    parcel_field, holder_field, status_field, project_field, area_method
        As for :func:`~landcoord.allocation.affected.affected_area`.
    controls : GeoDataFrame or str, optional
        Control zones of the one map (frame, file or PostGIS source); checked when given.
    kind_field, registry, tolerance
        As for :func:`~landcoord.allocation.conflicts.plan_conflicts` (``kind_field`` is required
        with ``controls``); the projects are the inputs, ``project_field`` their ids.
    measure_crs : pyproj.CRS or str, optional
        The officer's measuring CRS; by default chosen as
        :func:`~landcoord.allocation.crs.project_measurement_crs` chooses it (the projects' projected
        CRS, else the cadastre's, else the national or local projection), one for the whole run.
    scheduler : str or distributed.Client
        ``"threads"`` (default), ``"processes"``, ``"local-cluster"``, or a Dask scheduler address
        such as ``tcp://10.0.0.5:8786``.
    workers : int, optional
        Threads or worker processes for the local schedulers (default: every core).
    partitions : int, optional
        Number of partitions (default: enough for about :data:`PARCELS_PER_PARTITION` candidate
        parcels each, and at least four per worker).
    geometries : bool
        With False, pieces, gaps, overlaps and conflicts come back as tables without their
        geometries (every figure the same): far less for the workers to send and for this process
        to hold, for province-sized runs. The per-project table keeps its boundaries.
    feedback : Feedback, optional

    Returns
    -------
    CityResult

    Raises
    ------
    FieldError, LayerError, CRSError, GeometryError, InputError
        As the single-process computations do, before any partition runs.

    Examples
    --------
    >>> from landcoord.sample.fabric import quad_fabric, blob_boundaries
    >>> parcels = quad_fabric(400, seed=1)
    >>> plan = blob_boundaries(parcels, 6, seed=1)
    >>> r = city_screen(plan, parcels, parcel_field="pid", holder_field="owner",
    ...                 project_field="code", partitions=3)
    >>> len(r.partitions), len(r.projects)
    (3, 6)
    >>> one = affected_area(plan, parcels, parcel_field="pid", holder_field="owner", project_field="code")
    >>> r.affected.pieces.drop(columns="geometry").equals(one.pieces.drop(columns="geometry"))
    True
    """
    # long: its numpydoc docstring (parameters, a runnable example); the body is an orchestrator of phases
    fb = feedback or Feedback()
    workers, scheduler = _check_options(scheduler, workers)
    notes: list[str] = []

    def note(msg: str) -> None:
        notes.append(msg)
        fb.info(msg)

    projects, cad, bname, cname, ctl, fields = _check_inputs(
        projects, cadastre, parcel_field, holder_field, status_field, project_field, controls, kind_field, fb
    )

    measure = _measure(projects, measure_crs, cad, cname, note, area_method)
    boxes = _project_boxes(projects, fb, measure, fields)

    plan = _plan(workers, partitions, cad, cname, measure, note, fields, boxes)

    ctl_in = _control_inputs(projects, registry, tolerance, ctl, fb, measure, note, fields)

    parts = _partitions(
        projects, area_method, geometries, bname, cad, cname, ctl, measure, fields, boxes, plan, ctl_in
    )

    results, where = _run(scheduler, workers, fb, note, parts)

    affected, conflicts, stats, per_project = _combine(
        cname, ctl, fb, measure, notes, results, fields, boxes, plan
    )
    fb.progress(100)
    return CityResult(
        projects=per_project,
        affected=affected,
        conflicts=conflicts,
        partitions=stats,
        scheduler=where,
        warnings=affected.warnings + (conflicts.warnings if conflicts is not None else []),
        notes=notes,
    )


def _check_options(scheduler, workers):
    """Takes the workers and scheduler options; gives them checked (raises on fewer than one worker or an
    unknown scheduler).
    """
    workers = int(workers or _default_workers())
    if workers < 1:
        raise InputError(tr("workers must be 1 or more; got {workers}.", workers=workers))
    if isinstance(scheduler, str):
        scheduler = scheduler.strip()
        if scheduler not in LOCAL_SCHEDULERS and "://" not in scheduler:
            raise InputError(
                tr(
                    "Unknown scheduler '{scheduler}'. Use one of {schedulers} or the address of a Dask "
                    "scheduler, e.g. tcp://HOST:8786.",
                    scheduler=scheduler,
                    schedulers=", ".join(LOCAL_SCHEDULERS),
                )
            )
    return workers, scheduler


def _check_inputs(
    projects, cadastre, parcel_field, holder_field, status_field, project_field, controls, kind_field, fb
):
    """Takes the layers (frames, files or PostGIS sources) and field names; gives the project frame, the
    cadastre and control inputs, the layer names and the optional fields as found (raises on an empty
    layer, a missing field or no CRS), before any work. Hands on parcel_field, holder_field,
    status_field, project_field, kind_field together as ``fields``.
    """
    # --- inputs and the checks the single process makes, before any work -----------------------
    projects = _as_frame(projects, tr("project boundaries"))
    cad = _Input(cadastre, tr("cadastre"))
    bname, cname = layer_name(projects), cad.name
    if len(projects) == 0:
        raise LayerError(
            tr(
                "Layer '{layer}' (project boundaries) is empty; choose a layer with at least one boundary.",
                layer=bname,
            )
        )
    if (cad.frame is not None and len(cad.frame) == 0) or (cad.pg is not None and _pg_is_empty(cad.pg)):
        raise LayerError(tr("Layer '{layer}' (cadastre) is empty; choose a layer with parcels.", layer=cname))
    cad.require(parcel_field, tr("parcel id"))
    cad.require(holder_field, tr("rights-holder"))
    status_field = cad.require(status_field, tr("legal status"), optional=True)
    if project_field:
        if project_field not in projects.columns or project_field == projects.geometry.name:
            raise FieldError(
                bname, project_field, [c for c in projects.columns if c != projects.geometry.name]
            )
    else:
        project_field = None
    if projects.crs is None:
        raise LayerError(
            tr("Layer '{layer}' has no coordinate reference system; set it and run again.", layer=bname)
        )
    ctl = None
    if controls is not None:
        ctl = _Input(controls, tr("control lines"))
        if (ctl.frame is not None and len(ctl.frame) == 0) or (ctl.pg is not None and _pg_is_empty(ctl.pg)):
            raise LayerError(
                tr(
                    "Layer '{layer}' (control lines) is empty; choose a layer with control zones.",
                    layer=ctl.name,
                )
            )
        ctl.require(kind_field, tr("the kind of each control zone"))
    fb.progress(2)
    return (
        projects,
        cad,
        bname,
        cname,
        ctl,
        SimpleNamespace(
            parcel_field=parcel_field,
            holder_field=holder_field,
            status_field=status_field,
            project_field=project_field,
            kind_field=kind_field,
        ),
    )


def _measure(projects, measure_crs, cad, cname, note, area_method=AreaMethod.PLANAR):
    """Takes the projects and the cadastre; gives the one measuring CRS of the run (the cadastre frame
    reprojected to it) and notes it.
    """
    # --- the measurement CRS of the whole cadastre (not of one partition) ------------------------------
    # (one measuring CRS for the run, chosen as affected_area chooses it: crs.project_measurement_crs;
    # the partitions and the conflict check are given it)
    ccrs = cad.crs
    if cad.frame is not None:
        if ccrs is None:
            measurement_crs(None, cad.frame.total_bounds, cname)  # raises: names the layer
        measure = project_measurement_crs(projects, cad.frame, choice=measure_crs)
        cad.frame = to_crs(cad.frame, measure.crs)  # as affected_area does, once for all
    else:
        if ccrs is None:
            raise CRSError(
                tr(
                    "Layer '{layer}' has no coordinate reference system (SRID 0). Set its SRID "
                    "(UpdateGeometrySRID) and run again.",
                    layer=cname,
                )
            )
        measure = measurement_crs(ccrs, _pg_extent(cad.pg) if not ccrs.is_projected else None, cname)
        if measure_crs is not None or (projects.crs is not None and pyproj.CRS(projects.crs).is_projected):
            measure = project_measurement_crs(projects, choice=measure_crs)
    note(measure_note(measure, area_method))  # ellipsoidal said as such, as affected_area says it
    return measure


def _project_boxes(projects, fb, measure, fields):
    """Takes the projects; gives the project ids in order, each feature's project code, the projects in the
    measuring CRS and each project's bounding box (with which boxes are usable). Hands on order, rank,
    code, pm, bounds, boxes_ok together as ``boxes``.
    """
    project_field = fields.project_field
    ids = project_ids(projects, project_field)
    order = list(pd.unique(pd.Series(ids, dtype=object)))
    rank = {p: k for k, p in enumerate(order)}
    code = pd.Series(ids, dtype=object).map(rank).to_numpy()
    pm = to_crs(projects, measure.crs)
    pgeoms = np.asarray(pm.geometry.values, dtype=object)
    b = np.full((len(pm), 4), np.nan)
    present = ~(shapely.is_missing(pgeoms) | shapely.is_empty(pgeoms))
    b[present] = shapely.bounds(pgeoms[present])
    pb = pd.DataFrame(b).groupby(code).agg(["min", "max"])
    bounds = np.full((len(order), 4), np.nan)
    bounds[pb.index.to_numpy()] = np.column_stack(
        [pb[(0, "min")], pb[(1, "min")], pb[(2, "max")], pb[(3, "max")]]
    )
    boxes_ok = np.isfinite(bounds).all(axis=1)
    fb.progress(5)
    fb.check()
    return SimpleNamespace(order=order, rank=rank, code=code, pm=pm, bounds=bounds, boxes_ok=boxes_ok)


def _plan(workers, partitions, cad, cname, measure, note, fields, boxes):
    """Takes the project boxes and the cadastre; gives the cadastre columns, the candidate parcels per
    project (files) and the partitions planned by Hilbert distance (notes their number). Hands on
    cad_cols, cframe, qp, qc, groups together as ``plan``.
    """
    cframe = qp = qc = None  # set for a cadastre read from a file only; unused otherwise
    parcel_field, holder_field, status_field = fields.parcel_field, fields.holder_field, fields.status_field
    bounds, boxes_ok, order = boxes.bounds, boxes.boxes_ok, boxes.order
    # --- candidate parcels per project (files) or an estimate (PostGIS); the partitions -----------
    cad_cols = [c for c in (parcel_field, holder_field, status_field) if c]
    if cad.frame is not None:
        cframe = cad.frame[[*cad_cols, cad.frame.geometry.name]]
        cframe.attrs["name"] = cname
        tree = shapely.STRtree(np.asarray(cframe.geometry.values, dtype=object))
        qp, qc = tree.query(shapely.box(*bounds[boxes_ok].T)) if boxes_ok.any() else (np.zeros(0, int),) * 2
        qp = np.flatnonzero(boxes_ok)[qp]
        weights = np.bincount(qp, minlength=len(order)).astype(float) + 1.0
        candidates = float(len(qc))
    else:
        est = _pg_estimate(cad.pg)
        area = np.where(boxes_ok, (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1]), 0.0)
        if est is not None and cad.pg.crs is not None and pyproj.CRS(cad.pg.crs).equals(measure.crs):
            rows, (x0, y0, x1, y1) = est
            density = rows / max((x1 - x0) * (y1 - y0), 1e-300)
            weights = area * density + 1.0
            candidates = float(weights.sum())
        else:
            weights = area + float(np.nanmean(area[boxes_ok])) if boxes_ok.any() else np.ones(len(order))
            candidates = len(order) / PROJECTS_PER_PARTITION * PARCELS_PER_PARTITION
    if partitions is None:
        partitions = max(min(len(order), 4 * workers), math.ceil(candidates / PARCELS_PER_PARTITION))
    groups = plan_partitions(bounds, max(1, int(partitions)), weights)
    note(
        trn(
            "{projects} in {n} partition by Hilbert distance (about {parcels:,.0f} candidate parcels each).",
            "{projects} in {n} partitions by Hilbert distance (about {parcels:,.0f} candidate parcels each).",
            len(groups),
            projects=trn("{n} project", "{n} projects", len(order)),
            parcels=candidates / max(len(groups), 1),
        )
    )
    return SimpleNamespace(cad_cols=cad_cols, cframe=cframe, qp=qp, qc=qc, groups=groups)


def _control_inputs(projects, registry, tolerance, ctl, fb, measure, note, fields):
    """Takes the control input and the registry; gives the conflict check's arguments, the projects in its
    CRS and the control zones, their index and the witness zone of each kind (the database's kinds
    grouped there). Hands on ckwargs, cprojects, ctl_frame, ctl_tree, ctl_keys, ctl_witness_pos,
    ctl_witness_ids, cmeasure together as ``ctl_in``.
    """
    cmeasure = ctl_keys = None  # set with control lines (ctl_keys: from a file) only; unused otherwise
    project_field, kind_field = fields.project_field, fields.kind_field
    # --- conflicts: measurement CRS of the whole proposal, kinds and witnesses of the whole map ---------
    ckwargs = None
    cprojects = None
    ctl_frame = ctl_tree = None
    ctl_witness_pos: dict = {}
    ctl_witness_ids: dict = {}
    if ctl is not None:
        from .controls import ControlRegistry, load_registry

        reg = registry if isinstance(registry, ControlRegistry) else load_registry(registry)
        cmeasure = measure
        cprojects = to_crs(projects, cmeasure.crs)
        ctl_frame, ctl_tree, ctl_keys = _control_zones(
            ctl, cmeasure, ctl_witness_ids, ctl_witness_pos, kind_field, reg, ctl_frame, ctl_tree, ctl_keys
        )
        ckwargs = {
            "input_id_field": project_field,
            "registry": reg,
            "tolerance": tolerance,
            "measure_crs": measure.crs,
        }
        note(tr("Control lines '{layer}' checked in {crs}.", layer=ctl.name, crs=cmeasure.label))
    fb.progress(8)
    fb.check()
    return SimpleNamespace(
        ckwargs=ckwargs,
        cprojects=cprojects,
        ctl_frame=ctl_frame,
        ctl_tree=ctl_tree,
        ctl_keys=ctl_keys,
        ctl_witness_pos=ctl_witness_pos,
        ctl_witness_ids=ctl_witness_ids,
        cmeasure=cmeasure,
    )


def _control_zones(
    ctl, cmeasure, ctl_witness_ids, ctl_witness_pos, kind_field, reg, ctl_frame, ctl_tree, ctl_keys
):
    """Takes the control input (file or PostGIS) and the registry; gives the zones in the measuring CRS,
    their index and kinds (file), and fills in the witness zone of each kind (the database's kinds are
    grouped there, only unknown values read).
    """
    if ctl.frame is not None:
        if ctl.frame.crs is None:
            raise CRSError(
                tr(
                    "Layer '{layer}' has no coordinate reference system. Set its CRS (the CRS the "
                    "zones were drawn in) and run again.",
                    layer=ctl.name,
                )
            )
        ctl_frame = to_crs(ctl.frame[[kind_field, ctl.frame.geometry.name]], cmeasure.crs)
        ctl_frame.attrs["name"] = ctl.name
        keys = reg.resolve(
            column_values(ctl_frame, kind_field), ctl_frame.index.to_numpy(), layer=ctl.name,
            field_name=kind_field,
        )  # fmt: skip
        zg = np.asarray(ctl_frame.geometry.values, dtype=object)
        usable = ~(shapely.is_missing(zg) | shapely.is_empty(zg))
        good = usable.copy()
        good[usable] = shapely.is_valid(zg[usable]) & (shapely.area(zg[usable]) > 0)
        for key in pd.unique(pd.Series(keys[usable], dtype=object)):
            cand = np.flatnonzero(good & (keys == key))
            if not len(cand):
                cand = np.flatnonzero(usable & (keys == key))
            ctl_witness_pos[key] = int(cand[0])
        ctl_tree = shapely.STRtree(zg)
        ctl_keys = keys
    else:
        if ctl.pg.crs is None:
            raise CRSError(
                tr(
                    "Layer '{layer}' has no coordinate reference system (SRID 0). Set its SRID "
                    "and run again.",
                    layer=ctl.name,
                )
            )
        # the kinds are grouped in the database (one row per distinct value, however many zones);
        # only the rows of unknown values are read, to raise the single process's error
        kind_groups = column_groups(ctl.pg.source, kind_field, layer=ctl.pg)
        unknown = [v for v, _, _ in kind_groups if v is None or not str(v).strip() or reg.lookup(v) is None]
        if unknown:
            fids, values = read_column(ctl.pg.source, kind_field, layer=ctl.pg, values_in=unknown)
            reg.resolve(values, fids, layer=ctl.name, field_name=kind_field)
        candidates: dict = {}
        for v, _, sample in kind_groups:
            candidates.setdefault(reg.lookup(v).key, []).extend(sample)
        for key, cand in candidates.items():
            if not cand:
                continue
            rows = read_postgis(ctl.pg.source, [kind_field], keys=sorted(cand)[:5], layer=ctl.pg)
            zg = np.asarray(rows.geometry.values, dtype=object)
            ok = ~shapely.is_missing(zg)
            ok[ok] = shapely.is_valid(zg[ok]) & (shapely.area(zg[ok]) > 0)
            ctl_witness_ids[key] = rows.index[int(np.argmax(ok))] if ok.any() else sorted(cand)[0]
    return ctl_frame, ctl_tree, ctl_keys


def _partitions(
    projects, area_method, geometries, bname, cad, cname, ctl, measure, fields, boxes, plan, ctl_in
):
    """Takes the plan and the inputs; gives one partition per group of projects with its projects, its
    candidate parcels (or their envelopes in the database) and its control zones.
    """
    parcel_field, holder_field, status_field, project_field, kind_field = (
        fields.parcel_field,
        fields.holder_field,
        fields.status_field,
        fields.project_field,
        fields.kind_field,
    )
    bounds, boxes_ok, code = boxes.bounds, boxes.boxes_ok, boxes.code
    cad_cols, cframe, groups, qc, qp = plan.cad_cols, plan.cframe, plan.groups, plan.qc, plan.qp
    ckwargs, cmeasure, cprojects, ctl_frame, ctl_keys, ctl_tree, ctl_witness_ids, ctl_witness_pos = (
        ctl_in.ckwargs,
        ctl_in.cmeasure,
        ctl_in.cprojects,
        ctl_in.ctl_frame,
        ctl_in.ctl_keys,
        ctl_in.ctl_tree,
        ctl_in.ctl_witness_ids,
        ctl_in.ctl_witness_pos,
    )
    # --- the partitions' inputs --------------------------------------------------------------------
    kwargs = {
        "parcel_field": parcel_field,
        "holder_field": holder_field,
        "status_field": status_field,
        "project_field": project_field,
        "area_method": AreaMethod(area_method),
        "measure_crs": measure.crs,
    }
    pcodes = code
    parts = []
    for i, members in enumerate(groups):
        rows = np.flatnonzero(np.isin(pcodes, members))
        pp = projects.iloc[rows]
        pp.attrs["name"] = bname
        part = _Part(
            index=i,
            projects=pp,
            cprojects=None,
            cadastre=None,
            cad_pg=cad.pg,
            cad_columns=cad_cols,
            cad_envelopes=None,
            cad_measure_crs=None,
            kwargs=kwargs,
            geometries=bool(geometries),
            lang=language(),
        )
        mb = bounds[members][boxes_ok[members]]
        if cad.frame is not None:
            sel = np.unique(qc[np.isin(qp, members)])
            part.cadastre = cframe.iloc[sel if len(sel) else [0]]
            part.cadastre.attrs["name"] = cname
        else:
            part.cad_envelopes = _expand(mb, measure.crs, cad.pg.crs)
            if not (cad.pg.crs is not None and pyproj.CRS(cad.pg.crs).equals(measure.crs)):
                part.cad_measure_crs = measure.crs
        _part_controls(
            bname,
            ctl,
            ckwargs,
            cmeasure,
            cprojects,
            ctl_frame,
            ctl_keys,
            ctl_tree,
            ctl_witness_ids,
            ctl_witness_pos,
            kind_field,
            part,
            rows,
        )
        parts.append(part)
    return parts


def _part_controls(
    bname,
    ctl,
    ckwargs,
    cmeasure,
    cprojects,
    ctl_frame,
    ctl_keys,
    ctl_tree,
    ctl_witness_ids,
    ctl_witness_pos,
    kind_field,
    part,
    rows,
):
    """Takes one partition and its project rows; gives it the projects in the conflict check's CRS and the
    control zones near them (or their envelopes in the database), plus one witness zone of every kind.
    """
    if ctl is not None:
        part.cprojects = cprojects.iloc[rows]
        part.cprojects.attrs["name"] = bname
        part.kind_field = kind_field
        part.ckwargs = ckwargs
        cb = np.full((len(rows), 4), np.nan)
        cg = np.asarray(part.cprojects.geometry.values, dtype=object)
        okc = ~(shapely.is_missing(cg) | shapely.is_empty(cg))
        cb[okc] = shapely.bounds(cg[okc])
        cb = cb[okc]
        if ctl_frame is not None:
            zsel = np.unique(ctl_tree.query(shapely.box(*cb.T))[1]) if len(cb) else np.zeros(0, int)
            have = set(ctl_keys[zsel].tolist())
            extra = [p for k, p in ctl_witness_pos.items() if k not in have]
            zsel = np.union1d(zsel, np.asarray(extra, dtype=int))
            part.controls = ctl_frame.iloc[zsel if len(zsel) else [0]]
            part.controls.attrs["name"] = ctl.name
        else:
            part.ctl_pg = ctl.pg
            part.ctl_envelopes = _expand(cb, cmeasure.crs, ctl.pg.crs)
            part.ctl_witnesses = ctl_witness_ids


def _run(scheduler, workers, fb, note, parts):
    """Takes the partitions and the scheduler; gives the partitions' results and where they ran (notes how
    long).
    """
    # --- run ---------------------------------------------------------------------------------------
    fb.progress(10)
    fb.check()
    t0 = time.perf_counter()
    results, where = _run_all(parts, scheduler, workers, fb, 10.0, 95.0)
    note(
        trn(
            "{n} partition ran in {seconds:.1f} s on the {where}.",
            "{n} partitions ran in {seconds:.1f} s on the {where}.",
            len(parts),
            seconds=time.perf_counter() - t0,
            where=where,
        )
    )
    return results, where


def _combine(cname, ctl, fb, measure, notes, results, fields, boxes, plan):
    """Takes the partitions' results; gives the affected and conflict results in the single process's
    order, the partition and per-project tables (passes the warnings on).
    """
    holder_field = fields.holder_field
    code, order, pm, rank = boxes.code, boxes.order, boxes.pm, boxes.rank
    groups = plan.groups
    # --- put back together in the single process's order -------------------------------------------------
    affected = _combine_affected(results, rank, measure, list(notes), cname, holder_field)
    conflicts = _combine_conflicts(results, rank, list(notes)) if ctl is not None else None
    stats = pd.DataFrame([r[2] for r in results], columns=PARTITION_COLUMNS)
    part_of = np.zeros(len(order), dtype="int64")
    for i, members in enumerate(groups):
        part_of[members] = i
    per_project = _project_table(order, pm, code, affected, conflicts, measure, part_of)
    for w in affected.warnings + (conflicts.warnings if conflicts is not None else []):
        fb.warning(w)
    return affected, conflicts, stats, per_project


def _project_table(order, pm, code, affected: AffectedResult, conflicts, measure: MeasureCRS, part_of):
    """One row per project: areas, parcels, holders, balance and, with control lines, the verdict."""
    rec = affected.reconciliation.set_index(pd.Index(affected.reconciliation["project"].map(
        {p: k for k, p in enumerate(order)}).to_numpy()))  # fmt: skip
    n = len(order)
    pieces = affected.pieces
    rank = pd.Series(pieces["project"].to_numpy(dtype=object)).map({p: k for k, p in enumerate(order)})
    grouped = pd.DataFrame(
        {
            "k": rank.to_numpy(),
            "parcel": pieces["parcel_id"].to_numpy(),
            "holder": pieces["holder"].to_numpy(),
        }
    ).groupby("k")
    nparcels = grouped["parcel"].nunique().reindex(range(n), fill_value=0).to_numpy()
    nholders = grouped["holder"].nunique().reindex(range(n), fill_value=0).to_numpy()
    geoms = np.empty(n, dtype=object)
    pg = np.asarray(pm.geometry.values, dtype=object)
    for k in range(n):
        g = pg[code == k]
        g = g[~(shapely.is_missing(g) | shapely.is_empty(g))]
        if len(g) == 1 and shapely.is_valid(g[0]):
            geoms[k] = g[0]
        elif len(g):
            geoms[k] = polygonal_part(shapely.union_all(shapely.make_valid(g)))
    out = pd.DataFrame(
        {
            "project": pd.Series(list(order), dtype=object).infer_objects(),
            "project_area": rec["project_area"].reindex(range(n)).to_numpy(),
            "parcels": nparcels.astype("int64"),
            "holders": nholders.astype("int64"),
            "affected_area": rec["claimed_area"].reindex(range(n)).to_numpy(),
            "covered_area": rec["covered_area"].reindex(range(n)).to_numpy(),
            "gap_area": rec["gap_area"].reindex(range(n)).to_numpy(),
            "double_claimed_area": rec["double_claimed_area"].reindex(range(n)).to_numpy(),
            "balanced": rec["balanced"].reindex(range(n)).to_numpy(dtype=bool),
            "partition": part_of,
            "measured": [affected.statement] * n,  # the CRS and method, as in the reconciliation
        }
    )
    if conflicts is not None:
        s = conflicts.summary
        k = (
            pd.Series(s["input_id"].to_numpy(dtype=object))
            .map({p: k for k, p in enumerate(order)})
            .to_numpy()
        )
        s = s.set_index(pd.Index(k))
        for c in ("blocking_area", "review_area", "advisory_area"):
            out[c] = s[c].reindex(range(n)).to_numpy()
        out["verdict"] = s["verdict"].reindex(range(n)).to_numpy(dtype=object)
        out["conflict_kinds"] = s["kinds"].reindex(range(n)).to_numpy(dtype=object)
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, crs=measure.crs), crs=measure.crs)
