"""``landcoord notice export LEDGER x.pdf`` (issue 21): the notice and its answers as a printable public
document. Read back with pdftotext: every objection and every answer is there, the objectors' names
and the phone numbers inside the texts are masked exactly as in the public CSV, the notice's period,
place and outcome are printed; objections that do not fit one page continue on the next."""

from __future__ import annotations

import csv

import pytest

pytest.register_assert_rewrite("ledger_support", "hearing_support")
from hearing_support import page_texts, pdf_pages, pdf_text  # noqa: E402
from ledger_support import make_project_gpkg, ok, run_landcoord  # noqa: E402

N_OBJECTIONS = 36
LONG = "".join(f"[{i:03d}]对补偿面积有异议，" for i in range(200)) + "联系电话 13700002222。"


def landcoord(*args, process=False):
    return run_landcoord(*args, officer="王科长", process=process, timeout=300)


def _flat(text: str) -> str:
    """pdftotext's text without spaces and line breaks (a cell may wrap over several lines)."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    """A project GeoPackage with its ledger: notice 1 (closed, every objection answered, enough
    objections for several pages) and notice 2 (open, one objection unanswered)."""
    tmp = tmp_path_factory.mktemp("notice_pdf")
    g = str(make_project_gpkg(tmp / "project.gpkg"))
    ok(
        landcoord(
            "consent", "init", g, "--cadastre", f"{g}|layername=parcels",
            "--holder-field", "权利人", "--type-field", "权利人类型",
        )
    )  # fmt: skip
    ok(
        landcoord(
            "notice", "open", g, "--project", "P1", "--title", "利益统筹方案公示",
            "--start", "2024-04-01", "--days", "10", "--place", "龙田社区公告栏",
        )
    )  # fmt: skip
    # a holder of the ledger, named in her own text with her mobile number
    ok(
        landcoord(
            "notice", "object", g, "--notice", "1", "--objector", "欧阳小明",
            "--text", "欧阳小明的面积少算，电话 13812345678", "--date", "2024-04-02",
        )
    )  # fmt: skip
    # an objector who is not a holder of the ledger, with a landline in the text
    ok(
        landcoord(
            "notice", "object", g, "--notice", "1", "--objector", "陈大文",
            "--text", "留用地位置不合理，联系 0755-83456789", "--date", "2024-04-03",
        )
    )  # fmt: skip
    for i in range(3, N_OBJECTIONS + 1):
        ok(
            landcoord(
                "notice", "object", g, "--notice", "1", "--objector", "深圳市龙田股份合作公司",
                "--text", f"第{i:02d}号异议：道路宽度", "--date", "2024-04-05",
            )
        )  # fmt: skip
    for i in range(1, N_OBJECTIONS + 1):
        answer = f"答复{i:02d}：已复核"
        ok(landcoord("notice", "answer", g, "--objection", i, "--text", answer, "--date", "2024-04-08"))
    ok(
        landcoord(
            "notice", "close", g, "--notice", "1", "--outcome", "公示期满，异议均已答复",
            "--date", "2024-04-11", "--approved-by", "李处长",
        )
    )  # fmt: skip
    ok(
        landcoord(
            "notice", "open", g, "--project", "P1", "--title", "实施方案公示",
            "--start", "2024-06-01", "--days", "7",
        )
    )  # fmt: skip
    ok(
        landcoord(
            "notice", "object", g, "--notice", "2", "--objector", "张三",
            "--text", "张三要求补偿 13900001111", "--date", "2024-06-03",
        )
    )  # fmt: skip
    # a written objection of several pages (2,600 characters) with a phone number near its end
    ok(
        landcoord(
            "notice", "object", g, "--notice", "2", "--objector", "李四", "--text", LONG,
            "--date", "2024-06-04",
        )
    )  # fmt: skip
    return tmp, g


def test_public_pdf_masks_as_the_csv_and_holds_every_objection_and_answer(ledger):
    tmp, g = ledger
    pdf, public_csv = tmp / "notice_P1.pdf", tmp / "notice_P1.csv"
    out = ok(landcoord("--lang", "zh_CN", "notice", "export", g, pdf, "--project", "P1", process=True))
    assert str(pdf) in out
    ok(landcoord("notice", "export", g, public_csv, "--project", "P1"))
    rows = list(csv.DictReader(public_csv.open(encoding="utf-8-sig")))
    assert len(rows) == N_OBJECTIONS + 2
    text = pdf_text(pdf, "-raw")  # drawing order: a wrapped cell is in one piece
    flat = _flat(text)
    # names and phone numbers absent; the masked forms the CSV prints present
    for secret in ("欧阳小明", "陈大文", "张三", "李四", "13812345678", "83456789", "13900001111"):
        assert secret not in flat, secret
    assert "欧阳**" in flat and "陈**" in flat and "张*" in flat
    assert "138****5678" in flat and "0755-****6789" in flat
    # every objection (who, what, when) and every answer, as the public CSV has them
    for r in rows:
        for col in ("objector", "objection", "answer"):
            if r[col] and r[col] != LONG.replace("13700002222", "137****2222"):
                assert _flat(r[col]) in flat, (col, r[col])
    # the long objection continues over rows and pages: every piece of it is printed, masked
    assert all(f"[{i:03d}]对补偿面积有异议，" in flat for i in range(200))
    assert "137****2222" in flat and "13700002222" not in flat
    assert flat.count("2024-04-08") == N_OBJECTIONS  # each answer's date
    assert "2024-04-02" in flat and "2024-04-03" in flat and "2024-06-03" in flat
    for i in range(3, N_OBJECTIONS + 1):
        assert f"第{i:02d}号异议：道路宽度" in flat and f"答复{i:02d}：已复核" in flat
    # the notices: period, place, outcome; the open one says so and marks its unanswered objection
    assert "2024-04-01至2024-04-10（10天）" in flat and "龙田社区公告栏" in flat
    assert "公示结果：公示期满，异议均已答复" in flat and "已于2024-04-11结束" in flat
    assert "实施方案公示" in flat and "状态：公示中" in flat and "（未答复）" in flat
    # title and the masking line, in the officer's language
    assert "项目P1公示及异议答复" in flat and "公开版：个人姓名已脱敏" in flat
    # 37 objections do not fit one A4 page: they continue, the header and the masking line repeat
    pages = page_texts(pdf)
    n = pdf_pages(pdf)
    assert n >= 2 and len(pages) == n
    for k, page in enumerate(pages, start=1):
        p = _flat(page)
        assert f"第{k}/{n}页" in p and "公开版：个人姓名已脱敏" in p
    assert sum(_flat(p).count("异议内容") for p in pages) >= 3  # header row on each chunk


def test_internal_pdf_keeps_names_and_says_so(ledger):
    tmp, g = ledger
    pdf = tmp / "internal.pdf"
    ok(landcoord("notice", "export", g, pdf, "--project", "P1", "--internal"))
    flat = _flat(pdf_text(pdf))
    assert "欧阳小明" in flat and "13812345678" in flat
    assert "INTERNAL—NOTFORPUBLICDISPLAY" in flat and "Objections:36,unanswered:0" in flat


def test_pdf_output_is_guarded(ledger):
    tmp, g = ledger
    r = landcoord("notice", "export", g, tmp / "notice.docx", "--project", "P1")
    assert r.returncode == 2 and ".pdf" in r.stderr
    before = sorted(p.name for p in tmp.iterdir())
    r = landcoord("notice", "export", g, g, "--project", "P1")
    assert r.returncode == 2
    assert sorted(p.name for p in tmp.iterdir()) == before


def test_projectstage_writes_the_public_notice_document(ledger, run_alg):
    """The Processing route: ``landcoord:projectstage`` with NOTICE_PDF writes the same public
    document (and refuses a destination that is not a .pdf)."""
    from qgis.core import QgsProcessingException

    tmp, g = ledger
    pdf = tmp / "processing.pdf"
    res = run_alg(
        "landcoord:projectstage",
        {"LEDGER": g, "PROJECT": "P1", "ACTION": 0, "OUTPUT": str(tmp / "h.gpkg"), "NOTICE_PDF": str(pdf)},
    )
    assert res["NOTICE_PDF"] == str(pdf)
    flat = _flat(pdf_text(pdf, "-raw"))
    for secret in ("欧阳小明", "陈大文", "张三", "13812345678", "83456789", "13900001111"):
        assert secret not in flat, secret
    assert "欧阳**的面积少算，电话138****5678" in flat and "留用地位置不合理，联系0755-****6789" in flat
    assert all(f"答复{i:02d}：已复核" in flat for i in range(1, N_OBJECTIONS + 1))
    with pytest.raises(QgsProcessingException):
        run_alg(
            "landcoord:projectstage",
            {"LEDGER": g, "PROJECT": "P1", "ACTION": 0, "OUTPUT": str(tmp / "h2.gpkg"), "NOTICE_PDF": g},
        )
