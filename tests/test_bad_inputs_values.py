"""Impossible values (issue 16, third part): refused with a clear message, never printed as a figure.

One row per case, run through the real command line (``.venv/bin/landcoord`` in a subprocess):
exit status 2, the message names the rule key and its file line, the layer, or the option, no
traceback, the sha256 of every file in the working folder unchanged and no output written. The
hostile inputs are made here: the shipped Guangdong rule set with a value typed as ``1e400``, ``-5``,
a 401-digit integer or a formula multiplying past what a float holds; the bundled sample's layers
relabelled with a CRS they are not in, or with none; TOML files with a byte-order mark or nested
10,000 deep; PostGIS table names with quotes and semicolons. A few cases also run through real
``qgis_process`` (landcoord installed by ``make install`` into a temporary HOME).
"""

from __future__ import annotations

import doctest
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "landcoord_sample.gpkg"
LANDCOORD = Path(sys.executable).parent / "landcoord"
FIELDS = ["--parcel-field", "宗地号", "--holder-field", "权利人", "--project-field", "项目编号"]
GUANGDONG = ROOT / "allocation" / "rules" / "guangdong_2016.toml"
SCENARIOS = ROOT / "allocation" / "rules" / "scenarios" / "example_sample_scenarios.toml"
REGISTRY = ROOT / "allocation" / "controls.toml"
DEEP_ARRAY = "[" * 10_000 + "]" * 10_000
DEEP_TABLE = "{a = " * 10_000 + "1" + "}" * 10_000


# -- helpers --------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict:
    """sha256 of every file under ``folder``."""
    return {
        p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def landcoord(*args, cwd: Path):
    env = {**os.environ, "LANDCOORD_LANG": "en", "LANDCOORD_OFFICER": "陈主任"}
    return subprocess.run(
        [str(LANDCOORD), *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


def ok(proc) -> str:
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def set_value(text: str, key: str, value: str) -> str:
    """The rule set text with ``[values.KEY]``'s ``value = ...`` line replaced."""
    pattern = re.compile(r"(\[values\." + key + r"\][^\[]*?\nvalue = )([^\n]*)")
    assert pattern.search(text), key
    return pattern.sub(lambda m: m.group(1) + value, text, count=1)


def line_of(text: str, needle: str, after: str = "") -> int:
    """1-based line of the first ``needle`` at or after the first ``after``."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(needle, start)) + 1


# -- the working folder: sample copy, pieces, quota trail, ledger, hostile files ------------------


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    d = tmp_path_factory.mktemp("values")
    gpkg = d / "sample.gpkg"
    shutil.copy(SAMPLE, gpkg)
    ok(
        landcoord(
            "affected",
            "--boundary",
            f"{gpkg}|layername=projects",
            "--cadastre",
            f"{gpkg}|layername=parcels",
            *FIELDS,
            "--status-field",
            "用地状态",
            "--out",
            d / "affected.gpkg",
            cwd=d,
        )
    )
    common = ["--pieces", f"{d / 'affected.gpkg'}|layername=pieces"]
    community = ["--community-field", "社区", "--parcels", f"{gpkg}|layername=parcels"]
    community += ["--parcel-field", "宗地号"]
    buildings = ["--buildings", f"{gpkg}|layername=buildings", "--floor-area-field", "建筑面积"]
    extra = [*community, *buildings, "--out", d / "quota.gpkg"]
    ok(landcoord("quota", *common, "--rules", "shenzhen_example", *extra, cwd=d))

    # the Guangdong rule set with its project inputs filled in: runs (not official, values unverified)
    base = GUANGDONG.read_text(encoding="utf-8")
    for key, value in (("resettlement_area", "0"), ("retained_ratio", "0.12"), ("plot_far", "2.0")):
        base = set_value(base, key, value)
    base = set_value(base, "industrial_land_min_price", "100")
    rules = d / "rules"
    rules.mkdir()
    files = {
        "ok": base,
        "inf": set_value(base, "plot_far", "1e400"),
        "negative": set_value(base, "resettlement_area", "-5"),
        "bigint": set_value(base, "plot_far", "1" + "0" * 400),
        "longint": set_value(base, "plot_far", "1" * 5000),
        "over1e15": set_value(base, "plot_far", "2e15"),
        "ratio": set_value(base, "retained_ratio", "2.5"),
        "resettle": set_value(base, "resettlement_area", "1e12"),
        "product": base.replace(
            'formula = "retained_area * plot_far"',
            'formula = "retained_area * plot_far' + " * 1000000000000000000" * 20 + '"',
        ),
        "deeparray": base + "\n[values.deep]\nx = " + DEEP_ARRAY + "\n",
        "deeptable": base + "\n[values.deep]\nx = " + DEEP_TABLE + "\n",
    }
    for name, text in files.items():
        (rules / f"{name}.toml").write_text(text, encoding="utf-8")
    (rules / "bom.toml").write_bytes(b"\xef\xbb\xbf" + base.encode("utf-8"))
    (rules / "status_deep.toml").write_text("[status_map]\nx = " + DEEP_ARRAY + "\n", encoding="utf-8")

    sc = SCENARIOS.read_text(encoding="utf-8")
    (rules / "sc_deep.toml").write_text(sc + "\nx = " + DEEP_TABLE + "\n", encoding="utf-8")
    (rules / "sc_bom.toml").write_bytes(b"\xef\xbb\xbf" + sc.encode("utf-8"))
    (rules / "sc_big.toml").write_text(
        sc.replace("buyback_price = {value = 6000,", "buyback_price = {value = " + "9" * 30 + ",", 1),
        encoding="utf-8",
    )
    (rules / "reg_deep.toml").write_text("[kinds.x]\naliases = " + DEEP_ARRAY + "\n", encoding="utf-8")
    (rules / "reg_bom.toml").write_bytes(b"\xef\xbb\xbf" + REGISTRY.read_bytes())

    # the quota trail edited by hand: a negative retained area, one above the block's land
    trail = gpd.read_file(d / "quota.gpkg", layer="quota_trail")
    trail = pd.DataFrame(trail.drop(columns="geometry", errors="ignore"))
    first = trail.index[trail["quantity"] == "result.retained_area"][0]
    edited = trail.copy()
    edited.loc[first, "value"] = -5.0
    edited.to_csv(rules / "quota_negative.csv", index=False, encoding="utf-8-sig")
    edited = trail.copy()
    edited.loc[first, "value"] = 1e9
    edited.to_csv(rules / "quota_above.csv", index=False, encoding="utf-8-sig")

    # the sample's layers with a CRS they are not in, or without any
    projects = gpd.read_file(gpkg, layer="projects")
    parcels = gpd.read_file(gpkg, layer="parcels")
    crs = d / "crs"
    crs.mkdir()

    def write(name, frames):
        for layer, frame in frames.items():
            frame.to_file(crs / f"{name}.gpkg", layer=layer)

    def relabel(frame, code):
        return frame.set_crs(code, allow_override=True)

    both = (("projects", projects), ("parcels", parcels))
    write("degrees", {k: relabel(f.to_crs(4490), 4547) for k, f in both})
    write("metres", {k: relabel(f, 4326) for k, f in both})
    write("metres_cad", {"projects": projects, "parcels": relabel(parcels, 4490)})
    with pytest.warns(UserWarning, match="crs"):
        write("nocrs", {k: relabel(f, None) for k, f in both})
    prefixed = {k: f.set_geometry(f.geometry.translate(xoff=38_000_000)) for k, f in both}
    write("prefixed", prefixed)
    pieces = gpd.read_file(d / "affected.gpkg", layer="pieces")
    relabel(pieces.to_crs(4490), 4547).to_file(crs / "pieces_degrees.gpkg", layer="pieces")

    # a ledger, and a consent sheet with impossible dates
    ok(
        landcoord(
            "consent",
            "init",
            d / "ledger.gpkg",
            "--cadastre",
            f"{gpkg}|layername=parcels",
            "--holder-field",
            "权利人",
            cwd=d,
        )
    )
    holder = parcels["权利人"].dropna().iloc[0]
    project = pieces["project"].iloc[0]
    (d / "sheet.csv").write_text(
        "权利人,项目,状态,日期\n"
        f"{holder},{project},已接触,9999-12-31\n"
        f"{holder},{project},已接触,1900-01-01\n"
        f"{holder},{project},已接触,2024-05-01\n",
        encoding="utf-8",
    )
    # areas no land can have, typed into an output by hand: infinite, 1e300 m², a floor area of inf
    bad = d / "bad_areas.gpkg"
    pieces = gpd.read_file(d / "affected.gpkg", layer="pieces")
    first = pieces.index[:3]
    for layer, cols, value in (
        ("pieces_inf", ["piece_area", "held_area"], float("inf")),
        ("pieces_1e300", ["piece_area", "held_area"], 1e300),
        ("pieces_held_inf", ["held_area"], float("inf")),
    ):
        frame = pieces.copy()
        frame.loc[first, cols] = value
        frame.to_file(bad, layer=layer)
    buildings = gpd.read_file(gpkg, layer="buildings")
    buildings.loc[buildings.index[:2], "建筑面积"] = float("-inf")
    buildings.to_file(bad, layer="buildings_inf")
    # a cadastre of points or lines (a wrong layer picked): refused naming the geometry types
    parcels = gpd.read_file(gpkg, layer="parcels")
    parcels.set_geometry(parcels.geometry.centroid).to_file(bad, layer="parcel_points")
    projects = gpd.read_file(gpkg, layer="projects")
    projects.set_geometry(projects.geometry.boundary).to_file(bad, layer="project_lines")
    return {"dir": d, "gpkg": gpkg, "rules": rules, "crs": crs, "base": base, "files": files, "sc": sc}


# -- the cases ------------------------------------------------------------------------------------


def _quota(w, rules, *extra):
    return [
        "quota",
        "--pieces",
        f"{w['dir'] / 'affected.gpkg'}|layername=pieces",
        "--rules",
        w["rules"] / f"{rules}.toml",
        "--out",
        w["dir"] / "out_quota.csv",
        *extra,
    ]


def _benefits(w, scenarios, quota=None):
    g = w["gpkg"]
    return [
        "benefits",
        "--pieces",
        f"{w['dir'] / 'affected.gpkg'}|layername=pieces",
        "--quota",
        quota or f"{w['dir'] / 'quota.gpkg'}|layername=quota_trail",
        "--scenarios",
        w["rules"] / f"{scenarios}.toml",
        "--community-field",
        "社区",
        "--parcels",
        f"{g}|layername=parcels",
        "--parcel-field",
        "宗地号",
        "--buildings",
        f"{g}|layername=buildings",
        "--floor-area-field",
        "建筑面积",
        "--building-status-field",
        "合法状态",
        "--out",
        w["dir"] / "out_benefits.gpkg",
    ]


def _affected(w, name):
    f = w["crs"] / f"{name}.gpkg"
    return [
        "affected",
        "--boundary",
        f"{f}|layername=projects",
        "--cadastre",
        f"{f}|layername=parcels",
        *FIELDS,
        "--out",
        w["dir"] / "out_affected.gpkg",
    ]


def _conflicts(w, registry):
    g = w["gpkg"]
    return [
        "conflicts",
        "--input",
        f"{g}|layername=projects",
        "--controls",
        f"{g}|layername=controls",
        "--kind-field",
        "类型",
        "--registry",
        w["rules"] / f"{registry}.toml",
        "--out",
        w["dir"] / "out_conflicts.gpkg",
    ]


def _city(w, table):
    g = w["gpkg"]
    return [
        "city",
        "--projects",
        f"{g}|layername=projects",
        "--cadastre",
        f"PG:host=127.0.0.1 dbname=gis user=officer|table={table}",
        "--parcel-field",
        "宗地号",
        "--holder-field",
        "权利人",
        "--out",
        w["dir"] / "out_city.gpkg",
    ]


def _rule_line(w, name, key, section="values"):
    """``name.toml line N``: the ``value =`` line of ``[values.KEY]``, the header of ``[steps.KEY]``."""
    text = w["files"][name]
    if section == "steps":
        return f"{name}.toml line {line_of(text, f'[steps.{key}]')}"
    return f"{name}.toml line {line_of(text, chr(10) + 'value = ', f'[values.{key}]') + 1}"


# (id, arguments(w), substrings the message holds (or a function of w giving them))
CASES = [
    # -- rule sets: impossible values and figures, named by key and file line
    ("rule-value-1e400", lambda w: _quota(w, "inf"),
     lambda w: [_rule_line(w, "inf", "plot_far"), "values.plot_far", "infinite"]),
    ("rule-value-negative-area", lambda w: _quota(w, "negative"),
     lambda w: [_rule_line(w, "negative", "resettlement_area"), "values.resettlement_area", "negative"]),
    ("rule-value-401-digits", lambda w: _quota(w, "bigint"),
     lambda w: [_rule_line(w, "bigint", "plot_far"), "values.plot_far", "401 digits"]),
    ("rule-value-5000-digits", lambda w: _quota(w, "longint"), ["longint.toml", "not valid TOML", "4300"]),
    ("rule-value-over-1e15", lambda w: _quota(w, "over1e15"),
     lambda w: [_rule_line(w, "over1e15", "plot_far"), "values.plot_far", "too large"]),
    ("rule-huge-integer-product", lambda w: _quota(w, "product"),
     lambda w: [_rule_line(w, "product", "planned_floor_area", "steps"), "steps.planned_floor_area",
                "not a real figure"]),
    ("rule-retained-above-the-land", lambda w: _quota(w, "ratio"),
     lambda w: [_rule_line(w, "ratio", "retained_area", "steps"), "steps.retained_area", "more land than"]),
    ("rule-negative-figure", lambda w: _quota(w, "resettle"),
     lambda w: [_rule_line(w, "resettle", "retained_base", "steps"), "steps.retained_base", "negative"]),
    ("rule-impossible-even-with-official", lambda w: _quota(w, "ratio", "--official"),
     ["steps.retained_area", "more land than"]),
    # -- areas in the layers that no land can have: refused naming layer, field and features
    ("pieces-area-infinite",
     lambda w: _quota(w, "ok", "--pieces", f"{w['dir'] / 'bad_areas.gpkg'}|layername=pieces_inf"),
     ["'pieces_inf'", "'piece_area'", "impossible area (inf)"]),
    ("pieces-area-1e300",
     lambda w: _quota(w, "ok", "--pieces", f"{w['dir'] / 'bad_areas.gpkg'}|layername=pieces_1e300"),
     ["'pieces_1e300'", "'piece_area'", "impossible area (1e+300)"]),
    ("held-area-infinite",
     lambda w: _quota(w, "ok", "--pieces", f"{w['dir'] / 'bad_areas.gpkg'}|layername=pieces_held_inf"),
     ["'pieces_held_inf'", "'held_area'", "impossible area (inf)"]),
    ("benefits-pieces-area-infinite",
     lambda w: [*_benefits(w, "sc_bom"), "--pieces", f"{w['dir'] / 'bad_areas.gpkg'}|layername=pieces_inf"],
     ["'pieces_inf'", "'piece_area'", "impossible area (inf)"]),
    ("floor-area-minus-infinity",
     lambda w: _quota(w, "ok", "--buildings", f"{w['dir'] / 'bad_areas.gpkg'}|layername=buildings_inf",
                      "--floor-area-field", "建筑面积"),
     ["'buildings_inf'", "'建筑面积'", "impossible area (-inf)"]),
    ("cadastre-of-points",
     lambda w: ["affected", "--boundary", f"{w['gpkg']}|layername=projects", "--cadastre",
                f"{w['dir'] / 'bad_areas.gpkg'}|layername=parcel_points", *FIELDS, "--out",
                w["dir"] / "out_affected.gpkg"],
     ["'parcel_points'", "holds no polygons", "geometry types: Point"]),
    ("boundary-of-lines",
     lambda w: ["affected", "--boundary", f"{w['dir'] / 'bad_areas.gpkg'}|layername=project_lines",
                "--cadastre", f"{w['gpkg']}|layername=parcels", *FIELDS,
                "--out", w["dir"] / "out_affected.gpkg"],
     ["'project_lines'", "holds no polygons", "geometry types: "]),
    # -- sources that are no local file: a clear error (no network, no mangled 'http:/' path)
    ("vsizip-source",
     lambda w: ["affected", "--boundary", f"{w['gpkg']}|layername=projects", "--cadastre",
                "/vsizip/cadastre.zip/parcels.shp", *FIELDS, "--out", w["dir"] / "out_affected.gpkg"],
     ["'/vsizip/cadastre.zip/parcels.shp'", "local files only", ".zip file itself"]),
    ("url-source-with-password",
     lambda w: ["affected", "--boundary", f"{w['gpkg']}|layername=projects", "--cadastre",
                "https://u:Sekr3t@example.org/x.gpkg", *FIELDS, "--out", w["dir"] / "out_affected.gpkg"],
     ["'https://u:***@example.org/x.gpkg'", "local files only"]),
    # -- TOML robustness
    ("rules-nested-10000-arrays", lambda w: _quota(w, "deeparray"), ["deeparray.toml", "nested too deeply"]),
    ("rules-nested-10000-tables", lambda w: _quota(w, "deeptable"), ["deeptable.toml", "nested too deeply"]),
    ("status-map-nested", lambda w: _quota(w, "ok", "--status-map", w["rules"] / "status_deep.toml"),
     ["status_deep.toml", "nested too deeply"]),
    ("scenarios-nested", lambda w: _benefits(w, "sc_deep"), ["sc_deep.toml", "nested too deeply"]),
    ("scenarios-rate-30-digits", lambda w: _benefits(w, "sc_big"),
     lambda w: [f"sc_big.toml line {line_of(w['sc'], 'buyback_price = {value = 6000,')}", "buyback_price",
                "too large"]),
    ("quota-table-edited-negative",
     lambda w: _benefits(w, "sc_bom", w["rules"] / "quota_negative.csv"),
     ["quota_negative", "result.retained_area = -5", "cannot be"]),
    ("quota-table-edited-above-the-land",
     lambda w: _benefits(w, "sc_bom", w["rules"] / "quota_above.csv"),
     ["quota_above", "result.retained_area = 1,000,000,000.00 m² is more than"]),
    ("registry-nested", lambda w: _conflicts(w, "reg_deep"), ["reg_deep.toml", "nested too deeply"]),
    # -- coordinates that cannot be in the declared CRS
    ("degrees-labelled-4547", lambda w: _affected(w, "degrees"),
     ["'projects'", "EPSG:4547", "longitude/latitude degrees", "EPSG:4326 or EPSG:4490"]),
    ("metres-labelled-4326", lambda w: _affected(w, "metres"),
     ["'projects'", "EPSG:4326", "beyond ±180°/±90°", "EPSG:4547"]),
    ("cadastre-metres-labelled-4490", lambda w: _affected(w, "metres_cad"),
     ["'parcels'", "EPSG:4490", "beyond ±180°/±90°"]),
    ("no-crs", lambda w: _affected(w, "nocrs"),
     ["'projects'", "no coordinate reference system", "Set its CRS"]),
    ("zone-prefixed-labelled-4547", lambda w: _affected(w, "prefixed"),
     ["'projects'", "far outside the area", "zone 38: EPSG:4526"]),
    ("quota-pieces-in-degrees", lambda w: [
        "quota", "--pieces", f"{w['crs'] / 'pieces_degrees.gpkg'}|layername=pieces", "--rules",
        w["rules"] / "ok.toml", "--out", w["dir"] / "out_quota.csv"],
     ["'pieces'", "longitude/latitude degrees"]),
    # -- options refused while parsing the arguments
    ("partitions-negative", lambda w: [*_city(w, "public.parcels"), "--partitions", "-3"],
     ["argument --partitions", "-3", "at least 1"]),
    ("workers-zero", lambda w: [*_city(w, "public.parcels"), "--workers", "0"], ["argument --workers"]),
    ("city-tolerance-negative", lambda w: [*_city(w, "public.parcels"), "--tolerance", "-1"],
     ["argument --tolerance", "above 0"]),
    ("conflicts-tolerance-zero", lambda w: [*_conflicts(w, "reg_bom"), "--tolerance", "0"],
     ["argument --tolerance", "above 0"]),
    ("conflicts-tolerance-nan", lambda w: [*_conflicts(w, "reg_bom"), "--tolerance", "nan"],
     ["argument --tolerance"]),
    ("carve-min-width-negative", lambda w: ["carve", "--min-width", "-20"], ["argument --min-width"]),
    ("carve-tolerance-inf", lambda w: ["carve", "--tolerance", "inf"], ["argument --tolerance"]),
    ("benefits-years-negative", lambda w: ["benefits", "--years", "-5"], ["argument --years", "0 to 200"]),
    ("hearing-dpi-zero", lambda w: ["hearing", "--dpi", "0"], ["argument --dpi"]),
    ("hearing-date-9999", lambda w: ["hearing", "--date", "9999-12-31"],
     ["argument --date", "9999-12-31", "not a plausible date"]),
    ("hearing-date-not-a-date", lambda w: ["hearing", "--date", "next week"],
     ["argument --date", "not a date"]),
    ("hearing-max-holders-negative", lambda w: ["hearing", "--max-holders", "-1"],
     ["argument --max-holders"]),
    ("as-of-not-a-date",
     lambda w: ["consent", "history", w["dir"] / "ledger.gpkg", "--as-of", "yesterday-ish"],
     ["argument --as-of", "yesterday-ish"]),
    ("as-of-9999", lambda w: ["consent", "history", w["dir"] / "ledger.gpkg", "--as-of", "9999-12-31"],
     ["argument --as-of", "9999-12-31", "future"]),
    ("event-date-9999", lambda w: ["consent", "event", w["dir"] / "ledger.gpkg", "--kind", "入户走访",
                                   "--date", "9999-12-31", "--project", "P1"],
     ["argument --date", "9999-12-31", "future"]),
    ("status-date-before-1949",
     lambda w: ["consent", "set", w["dir"] / "ledger.gpkg", "--project", "P1", "--holder", "张三",
                "--status", "contacted", "--date", "1900-01-01"],
     ["argument --date", "1900-01-01", "1949-10-01"]),
    ("request-date-not-a-date", lambda w: ["consent", "request", w["dir"] / "ledger.gpkg", "--text", "x",
                                           "--date", "yesterday-ish"],
     ["argument --date", "yesterday-ish", "not a date"]),
    ("request-event-id-negative", lambda w: ["consent", "request", w["dir"] / "ledger.gpkg", "--text", "x",
                                             "--event", "-1"],
     ["argument --event"]),
    ("upto-zero", lambda w: ["consent", "fingerprint", w["dir"] / "ledger.gpkg", "--upto", "0"],
     ["argument --upto"]),
    # -- PostGIS table names: refused before any connection
    ("table-semicolon", lambda w: _city(w, "public.parcels;DROP TABLE x"),
     ["argument --cadastre", "|table='public.parcels;DROP TABLE x'", "';'", "Nothing was run"]),
    ("table-quotes", lambda w: _city(w, 'public."parcels"'), ["argument --cadastre", "'\"'"]),
    ("table-space", lambda w: _city(w, "my parcels"), ["argument --cadastre", "' '"]),
    ("table-empty-part", lambda w: _city(w, "public."), ["argument --cadastre", "the name is empty"]),
    ("table-too-long", lambda w: _city(w, "t" * 64), ["argument --cadastre", "64 bytes", "63"]),
    ("table-three-parts", lambda w: _city(w, "db.public.parcels"), ["argument --cadastre", "3 parts"]),
]  # fmt: skip


@pytest.mark.parametrize("args,expected", [pytest.param(a, e, id=i) for i, a, e in CASES])
def test_impossible_input_is_refused(work, args, expected):
    before = snapshot(work["dir"])
    proc = landcoord(*args(work), cwd=work["dir"])
    text = proc.stdout + proc.stderr
    assert proc.returncode == 2, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    for needle in expected(work) if callable(expected) else expected:
        assert needle in proc.stderr, (needle, proc.stderr[-3000:])
    assert snapshot(work["dir"]) == before  # inputs unchanged, no output written
    assert not list(work["dir"].glob("out_*"))


# -- what still works -----------------------------------------------------------------------------


def test_encoding_is_for_shapefiles_not_geopackages(work, tmp_path):
    """--encoding gbk for a GBK shapefile without .cpg, beside a GeoPackage boundary: the GeoPackage
    is read as the UTF-8 it is (before: 'gbk' codec can't decode ... for the boundary), the
    shapefile's Chinese names as GBK."""
    parcels = gpd.read_file(work["gpkg"], layer="parcels")[["宗地号", "权利人", "geometry"]]
    # written in a fresh process: once QGIS has opened a shapefile in this one, GDAL's SHAPE_ENCODING
    # is '' here and the file would come out UTF-8 whatever encoding is asked for
    code = (
        "import sys, geopandas as gpd; "
        "p = gpd.read_file(sys.argv[1], layer='parcels')[['宗地号', '权利人', 'geometry']]; "
        "p.to_file(sys.argv[2], encoding='gbk')"
    )
    subprocess.run([sys.executable, "-c", code, str(work["gpkg"]), str(tmp_path / "gbk.shp")], check=True)
    (tmp_path / "gbk.cpg").unlink(missing_ok=True)
    before = hashlib.sha256(work["gpkg"].read_bytes()).hexdigest()
    proc = landcoord(
        "affected", "--boundary", f"{work['gpkg']}|layername=projects", "--cadastre", tmp_path / "gbk.shp",
        *FIELDS, "--encoding", "gbk", "--out", tmp_path / "out.gpkg", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    holders = set(gpd.read_file(tmp_path / "out.gpkg", layer="pieces")["holder"].dropna())
    assert holders & set(parcels["权利人"].dropna())  # the names read back as written, not mojibake
    assert hashlib.sha256(work["gpkg"].read_bytes()).hexdigest() == before


def test_the_base_rule_set_and_bom_files_run(work):
    """The edits above are what is refused: the same rule set runs, with a BOM too."""
    d = work["dir"]
    for name in ("ok", "bom"):
        out = d / "checks" / f"{name}.csv"
        out.parent.mkdir(exist_ok=True)
        ok(landcoord(*_quota(work, name)[:-2], "--out", out, cwd=d))
        trail = pd.read_csv(out, encoding="utf-8-sig")
        retained = trail[trail["quantity"] == "result.retained_area"]["value"]
        assert len(retained) and retained.notna().all() and (retained >= 0).all()
    base = pd.read_csv(d / "checks" / "ok.csv", encoding="utf-8-sig")
    bom = pd.read_csv(d / "checks" / "bom.csv", encoding="utf-8-sig")
    pd.testing.assert_series_equal(base["value"], bom["value"])
    # a BOM scenarios file and a BOM registry are read like the plain ones
    bargs = _benefits(work, "sc_bom")
    ok(landcoord(*bargs[:-1], d / "checks" / "benefits.gpkg", cwd=d))
    cargs = _conflicts(work, "reg_bom")
    ok(landcoord(*cargs[:-1], d / "checks" / "conflicts.gpkg", cwd=d))
    shutil.rmtree(d / "checks")


def test_import_rejects_rows_with_impossible_dates(work):
    d = work["dir"]
    report = d / "bad_rows.csv"
    before = snapshot(d)
    out = ok(
        landcoord(
            "consent",
            "import",
            d / "ledger.gpkg",
            d / "sheet.csv",
            "--pieces",
            f"{d / 'affected.gpkg'}|layername=pieces",
            "--dry-run",
            "--report",
            report,
            "--allow-rejected",  # the bad rows are the point here (issue 19: else exit status 4)
            cwd=d,
        )
    )
    assert "Traceback" not in out
    bad = pd.read_csv(report, encoding="utf-8-sig")
    report.unlink()
    assert snapshot(d) == before  # a dry run writes nothing but the report
    assert sorted(bad["row"].tolist()) == [2, 3]  # the 9999 and the 1900 rows; the 2024 row is fine
    reasons = " ".join(bad["reason"].astype(str))
    assert "9999-12-31 is in the future" in reasons and "1900-01-01 is before 1949-10-01" in reasons


def test_argument_types_doctests():
    from landcoord.cli import _args

    result = doctest.testmod(_args, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed


def test_chinese_messages_for_a_refused_figure(work):
    """The same refusal in Chinese: the key and line stay, the sentence is translated."""
    env = {**os.environ, "LANDCOORD_LANG": "zh_CN"}
    proc = subprocess.run(
        [str(LANDCOORD), *map(str, _quota(work, "ratio"))],
        cwd=work["dir"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "steps.retained_area" in proc.stderr and "超过了其所取自的" in proc.stderr


# -- the same refusals under qgis_process -----------------------------------------------------------

#: QGIS 3.40's qgis_process (3.22 had to be called as qgis_process.bin)
QGIS_PROCESS = next(
    (p for p in ("/usr/bin/qgis_process", "/usr/bin/qgis_process.bin") if Path(p).exists()), None
)


def _plain_env(home) -> dict:
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen", PATH="/usr/local/bin:/usr/bin:/bin")
    for var in ("VIRTUAL_ENV", "PYTHONPATH", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "MAKEFLAGS"):
        env.pop(var, None)
    env["LANDCOORD_LANG"] = "en"
    return env


# qgis_home: conftest.py (a HOME with landcoord installed, for QGIS_PROCESS with _plain_env)


def _results(proc) -> dict:
    if "{" not in proc.stdout:
        return {}
    try:
        return json.loads(proc.stdout[proc.stdout.index("{") :]).get("results") or {}
    except ValueError:
        return {}


QGIS_CASES = [
    (
        "degrees-labelled-4547",
        "landcoord:affectedarea",
        lambda w: {
            "BOUNDARY": f"{w['crs'] / 'degrees.gpkg'}|layername=projects",
            "PROJECT_FIELD": "项目编号",
            "CADASTRE": f"{w['crs'] / 'degrees.gpkg'}|layername=parcels",
            "PARCEL_FIELD": "宗地号",
            "HOLDER_FIELD": "权利人",
            "OUTPUT": str(w["dir"] / "out_qgis.gpkg"),
        },
        ["'projects'", "longitude/latitude degrees", "EPSG:4326 or EPSG:4490"],
    ),
    (
        "rule-value-1e400",
        "landcoord:retainedquota",
        lambda w: {
            "INPUT": f"{w['dir'] / 'affected.gpkg'}|layername=pieces",
            "RULES": str(w["rules"] / "inf.toml"),
            "OUTPUT": str(w["dir"] / "out_qgis.gpkg"),
        },
        lambda w: [_rule_line(w, "inf", "plot_far"), "values.plot_far", "infinite"],
    ),
    (
        "rule-huge-integer-product",
        "landcoord:retainedquota",
        lambda w: {
            "INPUT": f"{w['dir'] / 'affected.gpkg'}|layername=pieces",
            "RULES": str(w["rules"] / "product.toml"),
            "OUTPUT": str(w["dir"] / "out_qgis.gpkg"),
        },
        lambda w: [_rule_line(w, "product", "planned_floor_area", "steps"), "not a real figure"],
    ),
]


@pytest.mark.qgis_process
@pytest.mark.parametrize("alg,params,expected", [pytest.param(a, p, e, id=i) for i, a, p, e in QGIS_CASES])
def test_qgis_process_refuses_impossible_values(qgis_home, work, alg, params, expected):
    before = snapshot(work["dir"])
    args = [QGIS_PROCESS, "run", alg, "--json", "--", *(f"{k}={v}" for k, v in params(work).items())]
    env = _plain_env(qgis_home)
    proc = subprocess.run(args, env=env, cwd=work["dir"], capture_output=True, text=True, timeout=600)
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    for needle in expected(work) if callable(expected) else expected:
        assert needle in text, (needle, text[-3000:])
    assert not _results(proc)
    assert snapshot(work["dir"]) == before
