"""The monitoring sheet of the hearing pack (issue 21, item 6): the indicators of ``landcoord monitor``
on the hearing day and over the months before, read back from the PDF with pdftotext and compared with
the CSV ``landcoord monitor`` writes for the same ledger, pieces, project and days (one figure
everywhere); no personal names; absent (not empty) without a ledger."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import hearing_support as hs
import pandas as pd
import pytest


def _flat(text: str) -> str:
    return " ".join(text.split())


def _share(v) -> str:
    return "—" if pd.isna(v) else f"{float(v):.2%}"


def _area(v) -> str:
    return "—" if pd.isna(v) else f"{float(v):,.2f}"


def _count(v) -> str:
    return "—" if pd.isna(v) else f"{int(v):,}"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """A ledger with consent (recorded today), two stage moves, a notice with one objection answered
    and one open, two requests (one answered); the pack of the hearing day (today) and the CSV of
    ``landcoord monitor`` for the same days."""
    from landcoord.allocation import notice as nt
    from landcoord.allocation import procedure as pr
    from landcoord.allocation.hearing.monitoring import monthly_days
    from landcoord.allocation.io.files import write_layers
    from landcoord.allocation.ledger import Ledger
    from landcoord.cli import main

    tmp = tmp_path_factory.mktemp("monitoring")
    today = dt.date.today()
    first = (today - dt.timedelta(days=70)).isoformat()
    gpkg = hs.ledger_gpkg(tmp / "project.gpkg")
    proc = pr.load_procedure()
    with Ledger.open(gpkg, officer="王科长") as ledger:
        pr.advance(ledger, proc, hs.PROJECT, approved_by="李处长", moved_on=first)
        pr.advance(ledger, proc, hs.PROJECT, approved_by="李处长",
                   moved_on=(today - dt.timedelta(days=40)).isoformat())  # fmt: skip
        nid = nt.open_notice(ledger, hs.PROJECT, "方案公示", (today - dt.timedelta(days=30)).isoformat(), 7)
        a = nt.add_objection(ledger, nid, "张三丰", "面积少算", (today - dt.timedelta(days=29)).isoformat())
        nt.add_objection(ledger, nid, "李四光", "位置不对", (today - dt.timedelta(days=28)).isoformat())
        nt.answer_objection(ledger, a, "已复核", (today - dt.timedelta(days=20)).isoformat())
        holder = ledger.consent_table(hs.PROJECT)["holder"].iloc[0]
        r1 = ledger.add_request("补偿标准", project=hs.PROJECT, holder=holder,
                                request_date=(today - dt.timedelta(days=35)).isoformat())  # fmt: skip
        ledger.add_request("安置地点", project=hs.PROJECT, holder=holder,
                           request_date=(today - dt.timedelta(days=10)).isoformat())  # fmt: skip
        answered = (today - dt.timedelta(days=5)).isoformat()
        ledger.respond(r1, "按规则", expected_version=None, response_date=answered)
    _, _, _, result = hs.sample_frames()
    write_layers(tmp / "affected.gpkg", result.layers())
    pdf = tmp / "h.pdf"
    args = ["hearing", "--gpkg", str(gpkg), "--project", hs.PROJECT, "--affected", str(tmp / "affected.gpkg"),
            "--max-holders", "0", "--dpi", "50", "--paper", "A4", "--ledger", str(gpkg),
            "--date", today.isoformat(), "--out", str(pdf)]  # fmt: skip
    assert main(args) == 0
    days = monthly_days(first, today.isoformat())
    csv = tmp / "monitor.csv"
    pieces = f"{tmp / 'affected.gpkg'}|layername=pieces"
    cmd = [str(Path(sys.executable).parent / "landcoord"), "monitor", str(gpkg), "--pieces", pieces,
           "--project", hs.PROJECT, "--out", str(csv)]  # fmt: skip
    for d in days:
        cmd += ["--day", d]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(csv, encoding="utf-8-sig", dtype={"day": str})
    return pdf, table, today.isoformat(), days, tmp


def _monitoring_page(pdf) -> str:
    pages = hs.page_texts(pdf)
    mine = [p for p in pages if "动态监测 Monitoring" in p]
    assert len(mine) == 1  # one sheet, the pack's last
    assert pages.index(mine[0]) == len(pages) - 1
    return mine[0]


def test_the_indicators_of_the_hearing_day_are_those_of_landcoord_monitor(pack):
    pdf, table, today, _days, _ = pack
    text = _monitoring_page(pdf)
    flat = _flat(text)
    row = table[table["day"] == today].iloc[0]
    assert int(row["open_objections"]) == 1 and int(row["open_requests"]) == 1  # the ledger built above
    assert int(row["consented"]) == 9 and row["stage"] == "survey"
    expected = {
        "权利人 rights-holders": _count(row["holders"]),
        "已同意（含已签约）consented (agreed or signed)": _count(row["consented"]),
        "已签约 signed": _count(row["signed"]),
        "同意率（按人数）consent by holders": _share(row["consent_rate"]),
        "受影响面积 affected area (m²)": _area(row["area"]),
        "已同意面积 consented area (m²)": _area(row["area_consented"]),
        "同意率（按面积）consent by area": _share(row["area_consent_rate"]),
        "签约率（按面积）signed by area": _share(row["area_signed_rate"]),
        "未答复异议 open objections": _count(row["open_objections"]),
        "待答复诉求 open requests": _count(row["open_requests"]),
        "所处阶段 stage": f"现状调查/权属核查 ({row['stage']})",
        "本阶段天数 days in stage": _count(row["days_in_stage"]),
        "逾期职责 overdue duties": _count(row["overdue_duties"]),
    }
    for label, value in expected.items():
        assert f"{label} {value}" in flat, (label, value)
    assert f"听证日 hearing day {today}" in flat


def test_the_indicators_over_time_are_those_of_landcoord_monitor(pack):
    pdf, table, _today, days, _ = pack
    page = _monitoring_page(pdf).splitlines()
    lines = {ln.split()[0]: ln.split() for ln in page if ln.strip()[:4].isdigit()}
    assert sorted(table["day"]) == days and len(days) >= 3
    for r in table.itertuples():
        assert lines[r.day] == [
            r.day,
            _count(r.consented), "/", _count(r.holders),
            _share(r.consent_rate), _share(r.area_consent_rate), _share(r.area_signed_rate),
            _count(r.open_objections), _count(r.open_requests), "—" if pd.isna(r.stage) else r.stage,
            _count(r.days_in_stage), _count(r.overdue_duties),
        ]  # fmt: skip


def test_the_monitoring_sheet_names_no_person_and_draws_the_chart(pack):
    pdf, *_ = pack
    text = _monitoring_page(pdf)
    for name in ("张三丰", "李四光", "王科长", "李处长"):
        assert name not in text
    assert "政府部门 government" in text  # the duty's actor: a role
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    last = str(hs.pdf_pages(pdf))
    assert any(line.split()[:1] == [last] for line in images.stdout.splitlines()[2:])  # the chart


def test_an_actor_reading_as_a_person_is_masked_in_the_public_version():
    from landcoord.allocation.hearing.monitoring import _actor_text

    assert _actor_text("government", True, None) == "政府部门 government"
    assert _actor_text("张伟", True, None) == "张*"
    assert _actor_text("张伟", False, None) == "张伟"
    assert _actor_text("深圳市规划和自然资源局", True, None) == "深圳市规划和自然资源局"


def test_without_a_ledger_there_is_no_monitoring_sheet(pack):
    from landcoord.cli import main

    _pdf, _table, _today, _days, tmp = pack
    out = tmp / "no_ledger.pdf"
    args = ["hearing", "--gpkg", str(tmp / "project.gpkg"), "--project", hs.PROJECT,
            "--affected", str(tmp / "affected.gpkg"), "--max-holders", "0", "--dpi", "50",
            "--paper", "A4", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    assert "动态监测" not in hs.pdf_text(out)


def test_a_hearing_day_still_ahead_gives_the_indicators_of_today_and_says_so(pack):
    """The ledger holds nothing after today: the sheet takes today's indicators, names both days,
    and reads the hearing day in the forms an officer types."""
    from landcoord.allocation.hearing.monitoring import monitoring_page
    from landcoord.allocation.io.files import read_layer

    _pdf, _table, today, _days, tmp = pack
    pieces = read_layer(f"{tmp / 'affected.gpkg'}|layername=pieces")
    ahead = dt.date.today() + dt.timedelta(days=30)
    typed = f"{ahead.year}年{ahead.month}月{ahead.day}日"
    page = monitoring_page(tmp / "project.gpkg", pieces, hs.PROJECT, typed)
    assert page.day == today
    assert page.hearing_day == ahead.isoformat()
    assert today in page.indicators.title and ahead.isoformat() in page.indicators.title
    on_day = monitoring_page(tmp / "project.gpkg", pieces, hs.PROJECT, today)
    assert on_day.day == on_day.hearing_day == today
    assert page.row == on_day.row
