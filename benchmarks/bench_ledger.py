"""Benchmark: the consultation ledger, against plain SQLite and plain pandas on the same data.

    make bench BENCH_ARGS="ledger [--writes 2000] [--pieces 200000] [--rows 10000]"

- writes: ``Ledger.set_consent`` (one ``BEGIN IMMEDIATE`` transaction each, version check,
  transition check, audit trigger, ``synchronous=FULL``) against the peer: the same UPDATE on the
  same kind of table in a GeoPackage through the stdlib ``sqlite3`` module, one committed
  transaction each, same ``synchronous=FULL``, no audit. The ratio is the price of the guarantees.
- replay: ``Ledger.state_as_of`` over the whole audit trail, against reading the current tables.
- import: preview and commit of a CSV with ``--rows`` rows (1 in 20 bad).
- progress: ``consent_progress`` on ``--pieces`` affected pieces (50 projects) against a plain
  pandas groupby/merge computing the same rates; the two must agree or the run fails.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _t(fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t0, out


def bench_writes(folder: Path, n: int) -> None:
    from landcoord.allocation.ledger import Ledger

    holders = [f"户{i:05d}" for i in range(n)]
    ledger = Ledger.init(folder / "ledger.gpkg", officer="bench")
    with ledger.transaction("setup"):
        for h in holders:
            ledger.add_holder(h)
    statuses = ["contacted", "negotiating", "agreed"]
    peer = folder / "peer.gpkg"
    Ledger.init(peer).close()  # an empty GeoPackage of the same kind
    conn = sqlite3.connect(peer, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE plain_consent (id INTEGER PRIMARY KEY, project TEXT, holder TEXT, status TEXT)"
    )
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO plain_consent (project, holder, status) VALUES ('P1', ?, 'not_contacted')",
        [(h,) for h in holders],
    )
    conn.execute("COMMIT")

    def landcoord_round(status):
        for h in holders:
            ledger.set_consent("P1", h, status, expected_version=None)

    def peer_round(status):
        for h in holders:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "UPDATE plain_consent SET status = ? WHERE project = 'P1' AND holder = ?", (status, h)
            )
            conn.execute("COMMIT")

    # rounds alternate so that both meet the same disk (fsync) conditions
    t_lc = t_peer = 0.0
    for status in statuses:
        t_lc += _t(landcoord_round, status)[0]
        t_peer += _t(peer_round, status)[0]
    conn.close()
    writes = n * len(statuses)
    print(
        f"writes: {writes} consent changes, one transaction each: "
        f"landcoord {t_lc:.2f} s ({writes / t_lc:,.0f}/s), "
        f"plain sqlite3 {t_peer:.2f} s ({writes / t_peer:,.0f}/s); ratio {t_lc / t_peer:.1f}x"
    )
    t_replay, state = _t(ledger.state_as_of)
    t_read, snap = _t(ledger.snapshot)
    assert all(state[t].to_dict("index") == snap[t].to_dict("index") for t in snap)
    print(
        f"replay: {ledger.last_audit_id():,} audit entries replayed in {t_replay:.2f} s; "
        f"reading the current tables {t_read:.2f} s; ratio {t_replay / t_read:.1f}x"
    )
    ledger.close()


def bench_import(folder: Path, rows: int) -> None:
    from landcoord.allocation.ledger import Ledger

    holders = [f"户{i:05d}" for i in range(rows)]
    sheet = pd.DataFrame({"权利人": holders, "项目": "P1", "状态": "同意", "方案": "产权置换"})
    sheet.loc[::20, "权利人"] = [f"外人{i}" for i in range(len(sheet.loc[::20]))]
    path = folder / "sheet.csv"
    sheet.to_csv(path, index=False, encoding="gbk")
    ledger = Ledger.init(folder / "import.gpkg", officer="bench")
    t_prev, preview = _t(ledger.preview_import, path, holders)
    t_commit, result = _t(ledger.commit_import, preview)
    print(
        f"import: {rows:,} rows (GBK CSV): preview {t_prev:.2f} s, commit {t_commit:.2f} s; "
        f"{result.imported:,} imported, {len(result.bad):,} bad"
    )
    ledger.close()


def _plain_pandas(consent, pieces):
    owned = (
        pieces.dropna(subset=["holder"]).groupby(["project", "holder"], as_index=False)["piece_area"].sum()
    )
    m = owned.merge(consent, on=["project", "holder"], how="left")
    m["yes"] = m["status"].isin(["agreed", "signed"])
    m["yes_area"] = m["piece_area"].where(m["yes"], 0.0)
    out = m.groupby("project").agg(
        holders=("holder", "size"), consented=("yes", "sum"), ya=("yes_area", "sum")
    )
    out["area"] = pieces.groupby("project")["piece_area"].sum()
    out["area_consent_rate"] = out["ya"] / out["area"]
    return out


def bench_progress(n: int) -> None:
    from landcoord.allocation.ledger import STATUSES, consent_progress

    rng = np.random.default_rng(3)
    pieces = pd.DataFrame(
        {
            "project": rng.integers(0, 50, n).astype(str),
            "holder": rng.integers(0, n // 10, n).astype(str),
            "piece_area": rng.uniform(10, 2000, n),
        }
    )
    pairs = pieces[["project", "holder"]].drop_duplicates()
    consent = pairs.assign(status=rng.choice(list(STATUSES), len(pairs)))
    t_lc, res = _t(consent_progress, consent, pieces)
    t_pd, ref = _t(_plain_pandas, consent, pieces)
    got = res.projects.set_index("project")
    assert (got["consented"] == ref.loc[got.index, "consented"]).all()
    assert np.allclose(got["area_consent_rate"], ref.loc[got.index, "area_consent_rate"], rtol=1e-12)
    print(
        f"progress: {n:,} pieces, {len(pairs):,} holder x project pairs, 50 projects: "
        f"landcoord {t_lc:.2f} s, plain pandas {t_pd:.2f} s; ratio {t_lc / t_pd:.1f}x "
        "(landcoord also gives counts and areas per status and per holder)"
    )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="bench ledger")
    p.add_argument("--writes", type=int, default=2000, help="holders whose consent changes three times")
    p.add_argument("--pieces", type=int, default=200_000)
    p.add_argument("--rows", type=int, default=10_000)
    args, _ = p.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="landcoord-bench-ledger-") as tmp:
        folder = Path(tmp)
        bench_writes(folder, args.writes)
        bench_import(folder, args.rows)
    bench_progress(args.pieces)
    return 0


if __name__ == "__main__":
    sys.exit(main())
