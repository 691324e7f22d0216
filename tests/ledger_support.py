"""Shared fixtures and data of the ledger tests (imported by tests/test_ledger_*.py).

``postgres_dsn`` reads ``LANDCOORD_PG_DSN`` (e.g. ``postgresql://postgres@127.0.0.1:5432/postgres``)
and skips when it is unset. Every PostgreSQL test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

HOLDERS = [
    # holder, type, community
    ("张三", "个人", "龙田社区"),
    ("李四", "个人", "龙田社区"),
    ("王五", "个人", "南湾社区"),
    ("赵六", "个人", "南湾社区"),
    ("欧阳小明", "个人", "龙田社区"),
    ("龙田社区股份合作公司", "社区股份合作公司", "龙田社区"),
    ("深圳市土地储备中心", "国有单位", None),
]


def synthetic_cadastre() -> gpd.GeoDataFrame:
    """12 parcels (10 m x 20 m rows) in EPSG:4547; holders own one to three parcels; one has none."""
    owners = ["张三", "张三", "李四", "王五", "赵六", "欧阳小明",
              "龙田社区股份合作公司", "龙田社区股份合作公司", "龙田社区股份合作公司", "深圳市土地储备中心",
              "李四", None]  # fmt: skip
    x0, y0 = 500_000.0, 2_500_000.0
    rows, geoms = [], []
    for i, owner in enumerate(owners):
        w = 10.0 + 2.0 * i  # parcels of different sizes, so area rates differ from head counts
        x = x0 + sum(10.0 + 2.0 * k for k in range(i))
        info = next((h for h in HOLDERS if h[0] == owner), (None, None, None))
        rows.append(
            {
                "宗地号": f"LT-{i + 1:03d}",
                "权利人": owner,
                "权利人类型": info[1],
                "社区": info[2],
                "用地状态": "未完善征转手续" if i % 3 else "房地产证",
            }
        )
        geoms.append(box(x, y0, x + w, y0 + 20.0))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=4547)


def synthetic_projects(cadastre) -> gpd.GeoDataFrame:
    """Two projects: P1 over the first seven parcels (cutting the seventh), P2 over the rest."""
    xmin, ymin, xmax, ymax = cadastre.total_bounds
    cut = cadastre.geometry.iloc[6].bounds[0] + 5.0
    return gpd.GeoDataFrame(
        {"项目编号": ["P1", "P2"], "项目名称": ["龙田一期", "龙田二期"]},
        geometry=[box(xmin, ymin, cut, ymax), box(cut, ymin, xmax, ymax)],
        crs=4547,
    )


def synthetic_pieces(cadastre=None, projects=None):
    from landcoord.allocation.affected import affected_area

    cadastre = synthetic_cadastre() if cadastre is None else cadastre
    projects = synthetic_projects(cadastre) if projects is None else projects
    return affected_area(
        projects, cadastre, parcel_field="宗地号", holder_field="权利人", project_field="项目编号"
    ).pieces


def make_project_gpkg(path: Path) -> Path:
    """A project GeoPackage as an officer has it: parcels, projects and affected pieces."""
    from landcoord.allocation.io.files import write_layers

    cadastre = synthetic_cadastre()
    projects = synthetic_projects(cadastre)
    pieces = synthetic_pieces(cadastre, projects)
    write_layers(path, {"parcels": cadastre, "projects": projects, "pieces": pieces})
    return path


@dataclass
class Where:
    """Where a test's ledger lives: a GeoPackage path, or a PostgreSQL DSN and schema."""

    kind: str
    location: str
    schema: str | None = None

    def init(self, **kw):
        from landcoord.allocation.ledger import Ledger

        return Ledger.init(self.location, schema=self.schema, **kw)

    def open(self, **kw):
        from landcoord.allocation.ledger import Ledger

        return Ledger.open(self.location, schema=self.schema, **kw)

    def args(self) -> list:
        """Command-line arguments locating the ledger."""
        return [self.location] + (["--schema", self.schema] if self.schema else [])


@pytest.fixture(scope="session")
def postgres_dsn():
    """DSN of a PostgreSQL server for the ledger tests, from ``LANDCOORD_PG_DSN``."""
    dsn = os.environ.get("LANDCOORD_PG_DSN")
    if not dsn:
        pytest.skip(
            "LANDCOORD_PG_DSN is not set: no PostgreSQL server to run the PostgreSQL ledger tests "
            "against (set it to e.g. postgresql://postgres@127.0.0.1:5432/postgres)"
        )
    return dsn


@pytest.fixture
def pg_schema(postgres_dsn):
    """A fresh schema for one test, dropped afterwards."""
    import psycopg2

    name = f"landcoord_test_{uuid.uuid4().hex[:12]}"
    yield name
    conn = psycopg2.connect(postgres_dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    conn.close()


@pytest.fixture(params=["gpkg", "postgres"])
def where(request, tmp_path) -> Where:
    """A place for a new ledger: the project GeoPackage, or a PostgreSQL schema."""
    if request.param == "gpkg":
        return Where("gpkg", str(make_project_gpkg(tmp_path / "project.gpkg")))
    dsn = request.getfixturevalue("postgres_dsn")
    schema = request.getfixturevalue("pg_schema")
    return Where("postgres", dsn, schema)


def seeded(where: Where, officer: str = "王科长"):
    """A ledger at ``where`` with the synthetic cadastre's holders."""
    ledger = where.init(officer=officer)
    ledger.sync_holders(synthetic_cadastre(), "权利人", type_field="权利人类型", community_field="社区")
    return ledger


def frames_equal(a: dict, b: dict) -> bool:
    """Two ledger snapshots ({table: DataFrame}) hold the same records and values."""
    if set(a) != set(b):
        return False
    return all(a[t].to_dict("index") == b[t].to_dict("index") for t in a)


def independent_rates(consent: pd.DataFrame, pieces: pd.DataFrame) -> pd.DataFrame:
    """Per project: holders, consented, signed, area, consented area, signed area; written afresh."""
    # the land counted once (held_area, double-claimed land split) when the pieces carry it
    area = pieces["held_area"] if "held_area" in pieces.columns else pieces["piece_area"]
    p = pd.DataFrame({"project": pieces["project"].astype(str), "holder": pieces["holder"], "area": area})
    c = pd.DataFrame(
        {"project": consent["project"].astype(str), "holder": consent["holder"], "status": consent["status"]}
    ).astype(object)
    owned = p.dropna(subset=["holder"]).groupby(["project", "holder"], as_index=False)["area"].sum()
    owned = owned.astype({"project": object, "holder": object})
    m = owned.merge(c, on=["project", "holder"], how="left")
    m["status"] = m["status"].fillna("not_contacted")
    m["yes"] = m["status"].isin(["agreed", "signed"])
    m["signed"] = m["status"].eq("signed")
    m["yes_area"] = m["area"].where(m["yes"], 0.0)
    m["signed_area"] = m["area"].where(m["signed"], 0.0)
    out = m.groupby("project").agg(
        holders=("holder", "size"),
        consented=("yes", "sum"),
        signed=("signed", "sum"),
        area_consented=("yes_area", "sum"),
        area_signed=("signed_area", "sum"),
    )
    area = p.groupby("project")["area"].sum()
    out = out.reindex(area.index, fill_value=0)  # a project may have only land without a holder
    out["area"] = area
    out["consent_rate"] = out["consented"] / out["holders"]
    out["area_consent_rate"] = out["area_consented"] / out["area"]
    out["area_signed_rate"] = out["area_signed"] / out["area"]
    return out


def old_ledger(where: Where) -> None:
    """A ledger as landcoord wrote it before the procedure tables (schema 1), with three audited
    records (张三, an event of project P1, 张三's consent in P1)."""
    import ledger_schema_v1 as v1

    from landcoord.allocation.ledger.backend import Session, connect

    b = connect(where.location, schema=where.schema, create=True)
    s = Session("老科长", "olduser")
    b.begin(s)
    for stmt in v1.sqlite_ddl() if b.dialect == "sqlite" else v1.postgres_ddl():
        b.execute(stmt)
    for sql, params in v1.sqlite_seed():
        b.execute(sql, params)
    for k, v in {
        "schema_version": "1",
        "created_at": "2024-01-01T00:00:00.000Z",
        "created_by": "老科长",
    }.items():
        b.execute("INSERT INTO ledger_meta (key, value) VALUES (?, ?)", (k, v))
    if b.dialect == "sqlite":
        for t in v1.TABLES:
            b.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                "VALUES (?, 'attributes', ?, ?)",
                (t.name, t.name, t.description),
            )
    b.commit()
    b.begin(s)
    hid = b.insert("ledger_holders", {"holder": "张三", "holder_type": "个人", "version": 1})
    b.insert(
        "ledger_events",
        {"event_date": "2024-01-02", "kind": "hearing", "project": "P1", "voided": 0, "version": 1},
    )
    b.insert("ledger_consent", {"project": "P1", "holder_id": hid, "status": "contacted", "version": 1})
    b.commit()
    b.close()


def run_landcoord(*args, officer: str, process: bool = False, timeout: float = 300):
    """``landcoord ARGS`` as ``officer`` (``LANDCOORD_OFFICER``): in a subprocess
    (``python -m landcoord``) or through ``cli.main`` in this process (faster); either way a result
    with ``returncode``, ``stdout`` and ``stderr``."""
    argv = [str(a) for a in args]
    if process:
        env = {**os.environ, "LANDCOORD_OFFICER": officer}
        return subprocess.run(
            [sys.executable, "-m", "landcoord", *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
    from landcoord.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("LANDCOORD_OFFICER")
    os.environ["LANDCOORD_OFFICER"] = officer
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        if saved is None:
            os.environ.pop("LANDCOORD_OFFICER", None)
        else:
            os.environ["LANDCOORD_OFFICER"] = saved
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def ok(proc) -> str:
    """The standard output of a run that must have succeeded (its error output otherwise)."""
    assert proc.returncode == 0, proc.stderr
    return proc.stdout
