"""``landcoord monitor LEDGER... --district`` (issue 21: "landcoord city can summarise them for a
district"): the monitoring indicators of every project of two project ledgers, one row per project
and the district's total, against an independent count of the consent set in the test, the affected
pieces, the objections and requests left open and the stage moves; CSV and XLSX, formula-safe."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest

pytest.register_assert_rewrite("ledger_support")
from ledger_support import (  # noqa: E402
    independent_rates,
    make_project_gpkg,
    ok,
    run_landcoord,
    synthetic_cadastre,
    synthetic_pieces,
    synthetic_projects,
)

#: A project named like a formula: written as text, never run by a spreadsheet.
FORMULA = "=SUM(A1)"

CONSENT = {
    "a": [("P1", "张三", "signed"), ("P1", "李四", "agreed"), ("P1", "王五", "refused"),
          ("P2", "龙田社区股份合作公司", "signed")],
    "b": [("P3", "欧阳小明", "agreed"), ("P3", "赵六", "negotiating"), (FORMULA, "李四", "agreed")],
}  # fmt: skip


def landcoord(*args, process=False):
    return run_landcoord(*args, officer="王科长", process=process, timeout=300)


def _ledger(path, pieces_projects=None):
    """A project GeoPackage (parcels, projects, pieces) with its ledger; projects renamed if asked."""
    if pieces_projects is None:
        g = make_project_gpkg(path)
    else:
        from landcoord.allocation.io.files import write_layers

        cadastre = synthetic_cadastre()
        projects = synthetic_projects(cadastre)
        projects["项目编号"] = pieces_projects
        pieces = synthetic_pieces(cadastre, projects)
        write_layers(path, {"parcels": cadastre, "projects": projects, "pieces": pieces})
        g = path
    g = str(g)
    ok(
        landcoord(
            "consent", "init", g, "--cadastre", f"{g}|layername=parcels",
            "--holder-field", "权利人", "--type-field", "权利人类型",
        )
    )  # fmt: skip
    return g


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("district")
    a = _ledger(tmp / "a.gpkg")
    b = _ledger(tmp / "b.gpkg", ["P3", FORMULA])
    for g, key in ((a, "a"), (b, "b")):
        for project in dict.fromkeys(p for p, _, _ in CONSENT[key]):
            visited = [x for h in CONSENT[key] if h[0] == project for x in ("--holder", h[1])]
            ok(
                landcoord(
                    "consent",
                    "event",
                    g,
                    "--kind",
                    "入户走访",
                    "--date",
                    "2024-02-10",
                    "--project",
                    project,
                    *visited,
                )
            )
        for project, holder, status in CONSENT[key]:
            if status == "signed":
                ok(
                    landcoord(
                        "consent", "set", g, "--project", project, "--holder", holder, "--status", "agreed"
                    )
                )
            ok(landcoord("consent", "set", g, "--project", project, "--holder", holder, "--status", status))
    # ledger a: P1 in stage plan since 2024-01-10, an objection and a request left open
    ok(landcoord("stage", "advance", a, "--project", "P1", "--approved-by", "李处长", "--date", "2024-01-10"))
    ok(
        landcoord(
            "notice", "open", a, "--project", "P1", "--title", "公示", "--start", "2024-02-15", "--days", "7"
        )
    )
    ok(
        landcoord(
            "notice",
            "object",
            a,
            "--notice",
            1,
            "--objector",
            "王五",
            "--text",
            "不同意",
            "--date",
            "2024-02-16",
        )
    )
    ok(
        landcoord(
            "consent", "request", a, "--text", "复核面积", "--project", "P1", "--holder", "李四",
            "--date", "2024-02-11",
        )
    )  # fmt: skip
    # ledger b: P3 in stage plan since 2024-03-01; two objections, one answered
    ok(landcoord("stage", "advance", b, "--project", "P3", "--approved-by", "李处长", "--date", "2024-03-01"))
    ok(
        landcoord(
            "notice", "open", b, "--project", "P3", "--title", "公示", "--start", "2024-03-05", "--days", "7"
        )
    )
    for who in ("赵六", "欧阳小明"):
        ok(
            landcoord(
                "notice",
                "object",
                b,
                "--notice",
                1,
                "--objector",
                who,
                "--text",
                "异议",
                "--date",
                "2024-03-06",
            )
        )
    ok(landcoord("notice", "answer", b, "--objection", 1, "--text", "已答复", "--date", "2024-03-08"))
    return tmp, a, b


def _expected(a, b) -> pd.DataFrame:
    """Written afresh from the pieces and the statuses above (not from landcoord's indicators)."""
    pieces = pd.concat(
        [gpd.read_file(g, layer="pieces").drop(columns="geometry") for g in (a, b)], ignore_index=True
    )
    consent = pd.DataFrame(
        [(p, h, s) for k in ("a", "b") for p, h, s in CONSENT[k]], columns=["project", "holder", "status"]
    )
    out = independent_rates(consent, pieces)
    out["open_objections"] = pd.Series({"P1": 1, "P3": 1})
    out["open_requests"] = pd.Series({"P1": 1})
    return out.fillna({"open_objections": 0, "open_requests": 0})


def test_district_rows_and_total_against_an_independent_count(district):
    tmp, a, b = district
    today = dt.date.today()
    out_csv, out_xlsx = tmp / "district.csv", tmp / "district.xlsx"
    pieces = [f"{g}|layername=pieces" for g in (a, b)]
    args = ["monitor", a, b, "--district", "--pieces", pieces[0], "--pieces", pieces[1], "--day", today]
    printed = ok(landcoord(*args, "--out", out_csv))
    ok(landcoord(*args, "--out", out_xlsx, "--chart", tmp / "district.png"))
    png = (tmp / "district.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    assert "district total" in printed
    got = pd.read_csv(out_csv, encoding="utf-8-sig", dtype={"project": str})
    assert list(got["level"]) == ["project"] * 4 + ["district"]
    rows = got[got["level"] == "project"].copy()
    # the formula-like project name is written as text ('=SUM(A1) in the CSV, read back by pandas as is)
    assert f"'{FORMULA}" in set(rows["project"])
    rows["project"] = rows["project"].str.lstrip("'")
    rows = rows.set_index("project")
    want = _expected(a, b)
    assert sorted(rows.index) == sorted(want.index) == sorted(["P1", "P2", "P3", FORMULA])
    assert set(rows.loc[["P1", "P2"], "ledger"]) == {a} and set(rows.loc[["P3", FORMULA], "ledger"]) == {b}
    for p, w in want.iterrows():
        r = rows.loc[p]
        assert (r["holders"], r["consented"], r["signed"]) == (w["holders"], w["consented"], w["signed"]), p
        assert r["area"] == pytest.approx(w["area"]) and r["area_consent_rate"] == pytest.approx(
            w["area_consent_rate"]
        )
        assert r["area_signed"] == pytest.approx(w["area_signed"])
        assert (r["open_objections"], r["open_requests"]) == (w["open_objections"], w["open_requests"]), p
    total = got[got["level"] == "district"].iloc[0]
    assert total["holders"] == want["holders"].sum() and total["consented"] == want["consented"].sum()
    assert total["signed"] == want["signed"].sum()
    assert total["consent_rate"] == pytest.approx(want["consented"].sum() / want["holders"].sum())
    assert total["area"] == pytest.approx(want["area"].sum())
    # the district's rate from the sums, not an average of the projects' rates
    assert total["area_consent_rate"] == pytest.approx(want["area_consented"].sum() / want["area"].sum())
    assert total["area_signed_rate"] == pytest.approx(want["area_signed"].sum() / want["area"].sum())
    assert (total["open_objections"], total["open_requests"]) == (2, 1)
    assert total["stage"] == "plan: 2"
    assert total["days_in_stage"] == (today - dt.date(2024, 1, 10)).days
    assert rows.loc["P3", "days_in_stage"] == (today - dt.date(2024, 3, 1)).days
    assert total["overdue_duties"] == rows["overdue_duties"].sum()
    # each project's row is what `landcoord monitor` reports for its own ledger
    single = tmp / "single.csv"
    ok(landcoord("monitor", b, "--pieces", pieces[1], "--project", "P3", "--day", today, "--out", single))
    one = pd.read_csv(single, encoding="utf-8-sig").iloc[0]
    for col in ("holders", "consented", "area_consent_rate", "days_in_stage", "overdue_duties"):
        assert one[col] == pytest.approx(rows.loc["P3", col]), col
    # XLSX: the same figures; the formula-like name is a text cell
    from openpyxl import load_workbook

    sheet = load_workbook(out_xlsx)["district"]
    cells = {c.value: c for c in sheet["D"]}
    assert FORMULA in cells and cells[FORMULA].data_type == "s"
    x = pd.read_excel(out_xlsx, sheet_name="district")
    assert x["holders"].tolist() == got["holders"].tolist()


def test_several_ledgers_need_district(district):
    tmp, a, b = district
    r = landcoord("monitor", a, b)
    assert r.returncode == 2 and "--district" in r.stderr


def test_one_ledger_named_twice_is_counted_once(district):
    tmp, a, _b = district
    again = f"{tmp}/./{a.rsplit('/', 1)[1]}"
    once, twice = tmp / "once.csv", tmp / "twice.csv"
    ok(landcoord("monitor", a, "--district", "--out", once))
    ok(landcoord("monitor", a, again, "--district", "--out", twice))
    assert once.read_text(encoding="utf-8-sig") == twice.read_text(encoding="utf-8-sig")
