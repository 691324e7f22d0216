"""Procedure tables of the ledger (issue 21): the migration of a version-1 ledger, on both backends;
the fingerprint covering stage moves, sign-offs, notices and objections; the four-eyes refusal; the
notice rule (no closing with an unanswered objection); each stage entry condition."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from landcoord.allocation import notice as nt
from landcoord.allocation import procedure as pr
from landcoord.allocation.errors import InputError, LedgerError
from landcoord.allocation.ledger.backend import connect
from landcoord.allocation.ledger.schema import ADDED_IN, SCHEMA_VERSION

pytest.register_assert_rewrite("ledger_support")
from ledger_support import Where, old_ledger, seeded  # noqa: E402

pytest_plugins = ["ledger_support"]  # fixtures: where, pg_schema

NEW_TABLES = ADDED_IN[2]


_old_ledger = old_ledger  # the version-1 ledger, shared with tests/test_ledger_v1_open.py


def _tables(ledger) -> set:
    if ledger.dialect == "sqlite":
        rows = ledger.backend.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = ledger.backend.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    return {r[0] for r in rows}


def test_version_one_ledger_is_migrated_and_audited(where):
    _old_ledger(where)
    # the fingerprint taken on the old ledger (by the old rules: the same chain over its audit trail)
    b = connect(where.location, schema=where.schema)
    before = b.query("SELECT count(*) FROM ledger_audit")[0][0]
    b.close()
    assert before == 3
    with where.open(officer="新科长") as ledger:
        old_code = ledger.fingerprint(upto=before).code
        # opening does not migrate (see tests/test_ledger_v1_open.py); the first write does, first
        assert ledger.schema_version == 1
        ledger.add_holder("李四")
        assert ledger.backend.query("SELECT value FROM ledger_meta WHERE key = 'schema_version'") == [
            (str(SCHEMA_VERSION),)
        ]
        assert set(NEW_TABLES) <= _tables(ledger)
        if ledger.dialect == "sqlite":  # QGIS lists them: registered in gpkg_contents
            registered = dict(ledger.backend.query("SELECT table_name, data_type FROM gpkg_contents"))
            assert all(registered.get(t) == "attributes" for t in NEW_TABLES)
            assert ledger.integrity_check() == "ok"
        assert ledger.backend.trigger_problems() == []
        hist = ledger.history()
        last = hist.iloc[-2]  # the migration, then the write that caused it
        assert (last["action"], last["table_name"], last["actor"]) == ("migrate", "ledger_meta", "新科长")
        assert json.loads(last["old_values"])["value"] == "1"
        assert json.loads(last["new_values"])["value"] == str(SCHEMA_VERSION)
        assert len(hist) == before + 2
        assert hist.iloc[-1]["table_name"] == "ledger_holders"
        # the migration entry is chained: the code over the old entries still verifies, the whole changes
        assert ledger.verify(old_code).chain_ok
        assert ledger.fingerprint().entries == before + 2
        assert ledger.replay_matches()
        # new writes work: a new consultation kind (the widened CHECK) and a stage move
        ledger.add_event("调解", "2024-02-01", project="P1", kind_detail="community")
        pr.advance(ledger, pr.load_procedure(), "P1", approved_by="李处长")
        assert pr.current_stage(ledger, "P1")[0] == "plan"
        assert ledger.replay_matches()
    # opened again: no second migration
    with where.open() as ledger:
        assert (ledger.history()["action"] == "migrate").sum() == 1


def test_migration_refused_when_old_triggers_were_tampered_with(tmp_path):
    where = Where("gpkg", str(tmp_path / "old.gpkg"))
    _old_ledger(where)
    import sqlite3

    conn = sqlite3.connect(where.location)
    conn.execute("DROP TRIGGER ledger_consent_audit_update")
    conn.commit()
    conn.close()
    with where.open() as ledger:  # opening to read does not write, so it is not refused
        assert ledger.consent_record("P1", "张三").status == "contacted"
        with pytest.raises(LedgerError, match="ledger_consent_audit_update"):
            ledger.add_holder("李四")  # the first write would migrate: refused
    conn = sqlite3.connect(where.location)
    assert conn.execute("SELECT value FROM ledger_meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert not conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ledger_signoffs'").fetchone()[0]
    conn.close()


def test_new_tables_have_the_protections(where):
    ledger = seeded(where)
    proc = pr.load_procedure()
    pr.advance(ledger, proc, "P1", approved_by="李处长")
    nid = nt.open_notice(ledger, "P1", "方案公示", "2024-05-01", 7)
    for table in ("ledger_stage_moves", "ledger_signoffs"):  # append-only
        with pytest.raises(LedgerError, match="append-only"):
            with ledger.transaction("tamper"):
                ledger.backend.execute(f"UPDATE {table} SET project = 'X' WHERE id = 1")
    with pytest.raises(LedgerError, match="never deleted"):
        with ledger.transaction("tamper"):
            ledger.backend.execute("DELETE FROM ledger_notices WHERE id = ?", (nid,))
    # a dropped trigger of a new table stops every write
    if where.kind == "gpkg":
        ledger.backend.execute("DROP TRIGGER ledger_stage_moves_audit_insert")
        missing = "ledger_stage_moves_audit_insert"
    else:
        ledger.backend.execute("DROP TRIGGER ledger_stage_moves_audit ON ledger_stage_moves")
        missing = "ledger_stage_moves_audit"
    with pytest.raises(LedgerError, match=missing):
        pr.advance(ledger, proc, "P1", approved_by="李处长")
    ledger.close()


def test_fingerprint_covers_the_procedure_entries(where):
    ledger = seeded(where)
    proc = pr.load_procedure()
    base = ledger.fingerprint()
    pr.advance(ledger, proc, "P1", approved_by="李处长")
    after_move = ledger.fingerprint()
    assert after_move.entries == base.entries + 2  # the sign-off and the move
    tables = list(ledger.history().iloc[base.entries :]["table_name"])
    assert tables == ["ledger_signoffs", "ledger_stage_moves"]
    nid = nt.open_notice(ledger, "P1", "方案公示", "2024-05-01", 7, place="龙田社区公告栏")
    oid = nt.add_objection(ledger, nid, "张三", "面积少算", "2024-05-02")
    nt.answer_objection(ledger, oid, "已复核更正", "2024-05-04")
    code = ledger.fingerprint()
    assert code.entries == after_move.entries + 3
    assert ledger.verify(code.code).chain_ok and ledger.verify(code.code).replay_ok
    # an audit entry of a stage move altered behind landcoord's back: the code no longer verifies
    move_audit = int(ledger.history("ledger_stage_moves").index[0])
    if where.kind == "gpkg":
        ledger.backend.execute("DROP TRIGGER ledger_audit_no_update")
    else:
        ledger.backend.execute("ALTER TABLE ledger_audit DISABLE TRIGGER ledger_audit_append_only")
    ledger.backend.execute(
        "UPDATE ledger_audit SET new_values = replace(new_values, '李处长', '王科长') WHERE id = ?",
        (move_audit - 1,),
    )
    assert not ledger.verify(code.code).chain_ok
    ledger.close()


def test_four_eyes_refusal_and_when_the_procedure_allows_one_person(where, tmp_path):
    ledger = seeded(where, officer="王科长")
    proc = pr.load_procedure()
    with pytest.raises(InputError, match="Four-eyes") as err:
        pr.advance(ledger, proc, "P1", approved_by="王科长")
    assert "王科长" in str(err.value)
    with pytest.raises(InputError, match="approved-by"):
        pr.advance(ledger, proc, "P1", approved_by="")
    assert pr.current_stage(ledger, "P1") == (None, None)
    assert len(pr.signoffs(ledger)) == 0
    with pytest.raises(InputError, match="Four-eyes"):
        pr.record_signoff(ledger, "quota_adjustment", "P1 留用地指标", approved_by=" 王科长 ", procedure=proc)
    # a city whose procedure does not ask for four eyes on quota adjustments
    text = proc.path.read_text(encoding="utf-8").replace(
        'four_eyes = ["stage_move", "rule_override", "quota_adjustment",',
        'four_eyes = ["stage_move", "rule_override",',
    )
    own = tmp_path / "city.toml"
    own.write_text(text, encoding="utf-8")
    lax = pr.load_procedure(own)
    sid = pr.record_signoff(
        ledger,
        "quota_adjustment",
        "P1 留用地指标",
        approved_by="王科长",
        procedure=lax,
        old_value="3000",
        new_value="3200",
    )
    row = pr.signoffs(ledger).set_index("id").loc[sid]
    assert (row.proposed_by, row.approved_by, row.old_value, row.new_value) == (
        "王科长",
        "王科长",
        "3000",
        "3200",
    )
    ledger.close()


def test_notice_cannot_close_with_an_unanswered_objection(where):
    ledger = seeded(where)
    nid = nt.open_notice(ledger, "P1", "利益统筹方案公示", "2024-05-01", 10, place="龙田社区公告栏")
    a = nt.add_objection(ledger, nid, "张三", "补偿面积少算 20 m²", "2024-05-03")
    b = nt.add_objection(ledger, nid, "李四", "留用地位置", "2024-05-04")
    with pytest.raises(LedgerError, match=rf"cannot close: 2 objections are not answered \({a}, {b}\)"):
        nt.close_notice(ledger, nid, "通过", "2024-05-11")
    nt.answer_objection(ledger, a, "已复核，更正为 120 m²", "2024-05-06")
    with pytest.raises(LedgerError, match=rf"1 objection is not answered \({b}\)"):
        nt.close_notice(ledger, nid, "通过", "2024-05-11")
    assert nt.notices(ledger, "P1").iloc[0]["status"] == "open"
    nt.answer_objection(ledger, b, "位置按规划确定", "2024-05-07")
    nt.close_notice(
        ledger,
        nid,
        "公示期满，异议均已答复",
        "2024-05-11",
        approved_by="李处长",
        procedure=pr.load_procedure(),
    )
    row = nt.notices(ledger, "P1").iloc[0]
    assert (row["status"], row["end_date"], row["objections"], row["unanswered"]) == (
        "closed",
        "2024-05-10",
        2,
        0,
    )
    with pytest.raises(LedgerError, match="closed"):
        nt.add_objection(ledger, nid, "王五", "迟到的异议", "2024-05-12")
    ledger.close()


def test_each_stage_entry_condition(where):
    ledger = seeded(where)
    names = [
        "affected_reconciled",
        "hearing_held",
        "event:forum",
        "notice_closed",
        "no_open_requests",
        "consent_recorded",
        "threshold:expropriation_old_residential",
    ]

    def results(**kw):
        return {n: ok for n, ok, _ in pr.check_conditions(ledger, "P1", names, **kw)}

    r = results()
    assert r == {
        "affected_reconciled": False,
        "hearing_held": False,
        "event:forum": False,
        "notice_closed": False,
        "no_open_requests": True,
        "consent_recorded": False,
        "threshold:expropriation_old_residential": False,
    }
    rec = pd.DataFrame({"project": ["P1", "P2"], "balanced": [True, False]})
    assert results(reconciliation=rec)["affected_reconciled"]
    assert not pr.check_conditions(ledger, "P2", ["affected_reconciled"], reconciliation=rec)[0][1]
    eid = ledger.add_event("听证会", "2024-04-01", project="P1", holders=["张三"])
    ledger.add_event("座谈会", "2024-04-02", project="P2")  # another project's forum does not count
    r = results()
    assert r["hearing_held"] and r["consent_recorded"] and not r["event:forum"]
    ledger.void_event(eid, expected_version=1, reason="录错")
    assert not results()["hearing_held"]
    ledger.add_request("要求复核面积", holder="张三", project="P1", request_date="2024-04-03")
    assert not results()["no_open_requests"]
    nid = nt.open_notice(ledger, "P1", "公示", "2024-05-01", 7)
    assert not results()["notice_closed"]
    nt.close_notice(ledger, nid, "无异议", "2024-05-08")
    assert results()["notice_closed"]
    from landcoord.allocation.ledger.consent import load_thresholds

    t = load_thresholds()
    # 20 holders, 19 signed (95 % exactly) and 950 of 1000 m²: met; one m² less: not met
    prog = pd.DataFrame(
        {
            "project": ["P1"],
            "holders": [20],
            "n_signed": [19],
            "n_agreed": [0],
            "area": [1000.0],
            "area_signed": [950.0],
            "area_agreed": [0.0],
        }
    )
    assert results(progress=prog, thresholds=t)["threshold:expropriation_old_residential"]
    prog["area_signed"] = 949.0
    assert not results(progress=prog, thresholds=t)["threshold:expropriation_old_residential"]
    ledger.close()


def test_advance_refuses_naming_failed_conditions_and_force_is_recorded(where):
    ledger = seeded(where)
    proc = pr.load_procedure()
    for _ in range(2):
        pr.advance(ledger, proc, "P1", approved_by="李处长", moved_on="2024-03-01")
    with pytest.raises(InputError) as err:
        pr.advance(ledger, proc, "P1", approved_by="李处长")
    assert "affected_reconciled" in str(err.value) and "consent_recorded" in str(err.value)
    assert pr.current_stage(ledger, "P1") == ("survey", "2024-03-01")
    with pytest.raises(
        InputError, match="entered stage survey on 2024-03-01; it cannot leave it on an earlier"
    ):
        pr.advance(ledger, proc, "P1", approved_by="李处长", moved_on="2024-02-28", force_reason="x")
    with pytest.raises(InputError, match="only move to the next stage, scheme"):
        pr.advance(ledger, proc, "P1", to="notice", approved_by="李处长")
    move = pr.advance(
        ledger, proc, "P1", approved_by="李处长", force_reason="区政府会议纪要 2024-3 号同意先行编制"
    )
    assert move["forced"] and move["to"] == "scheme"
    h = pr.stage_history(ledger, "P1").iloc[-1]
    assert h["forced"] == 1 and h["reason"].startswith("区政府") and h["approved_by"] == "李处长"
    assert [c["met"] for c in json.loads(h["conditions"])] == [False, False]
    ledger.close()


def _city_copy(tmp_path, old: str, new: str):
    text = pr.load_procedure().path.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "city_procedure.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_overdue_duties_when_a_city_sets_the_days(tmp_path):
    from landcoord.allocation.monitoring import indicators

    where = Where("gpkg", str(tmp_path / "l.gpkg"))
    ledger = seeded(where)
    shipped = pr.load_procedure()
    assert all(d.due_days is None for d in shipped.duties)  # durations not read: shipped empty
    # a city copy giving the district 30 days for the survey
    path = _city_copy(
        tmp_path,
        'stage = "survey"\ndue_days = ""',
        'stage = "survey"\ndue_days = 30',
    )
    proc = pr.load_procedure(path)
    pr.advance(ledger, proc, "P1", approved_by="李处长", moved_on="2024-01-01")
    pr.advance(ledger, proc, "P1", approved_by="李处长", moved_on="2024-01-10")

    def overdue(day):
        d = pr.duties_table(ledger, proc, "P1", today=day).set_index("duty")
        return bool(d.loc["district_survey", "overdue"]), d.loc["district_survey", "due"]

    assert overdue("2024-02-09") == (False, "2024-02-09")
    assert overdue("2024-02-10") == (True, "2024-02-09")
    ind = indicators(ledger, days=["2024-02-09", "2024-02-10"], projects=["P1"], procedure=proc)
    assert list(ind["overdue_duties"]) == [0, 1] and list(ind["days_in_stage"]) == [30, 31]
    assert list(ind["stage"]) == ["survey", "survey"]
    # the project left the stage: the duty is no longer overdue
    pr.advance(ledger, proc, "P1", approved_by="李处长", moved_on="2024-02-11", force_reason="test")
    assert overdue("2024-03-01")[0] is False
    ledger.close()


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('requires = ["hearing_held"]', 'requires = ["hearing_hold"]', "stage.notice.requires"),
        ('requires = ["hearing_held"]', 'requires = ["event:picnic"]', "stage.notice.requires"),
        ('actor = "holders"', 'actor = "villagers"', "duty.holders_sign.actor"),
        ('stage = "agreement"\ndue_days', 'stage = "signing"\ndue_days', "duty.holders_sign.stage"),
        ('four_eyes = ["stage_move",', 'four_eyes = ["stage_moves",', "procedure.four_eyes"),
        (
            '[stage.plan]\nlabel = "计划立项 project plan approved"\nrequires = []\ndue_days = ""',
            '[stage.plan]\nlabel = "计划立项 project plan approved"\nrequires = []\ndue_days = -3',
            "stage.plan.due_days",
        ),
        (
            'of the rights"\nrequires = []\ndue_days = ""\n'
            'document = "深圳市土地整备利益统筹办法 (in force version)"\n',
            'of the rights"\nrequires = []\ndue_days = ""\n',
            "'document' is missing",
        ),
    ],
)
def test_a_bad_procedure_file_is_refused_naming_line_and_key(tmp_path, old, new, problem):
    from landcoord.allocation.errors import RuleError

    path = _city_copy(tmp_path, old, new)
    with pytest.raises(RuleError, match=r"city_procedure.toml line \d+") as err:
        pr.load_procedure(path)
    assert problem in str(err.value)
    if "document" in problem:
        assert "stage.survey" in str(err.value)


def test_public_notice_export_masks_through_the_ledgers_public_rules(tmp_path):
    from landcoord.allocation.ledger.sheets import export_ledger

    where = Where("gpkg", str(tmp_path / "l.gpkg"))
    ledger = seeded(where)
    nid = nt.open_notice(ledger, "P1", "方案公示", "2024-05-01", 7, place="龙田社区公告栏")
    nt.add_objection(ledger, nid, "欧阳小明", "张三的面积算多了，身份证 440301199001011234", "2024-05-02")
    nt.add_objection(ledger, nid, "刘德华", "我是外村人，电话 13912345678", "2024-05-03")  # not a holder
    nt.add_objection(ledger, nid, "龙田社区股份合作公司", "留用地位置", "2024-05-03")
    out = nt.export_notice(ledger, tmp_path / "notice.xlsx")
    objs = pd.read_excel(out, sheet_name="objections")
    assert list(objs["objector"]) == ["欧阳**", "刘**", "龙田社区股份合作公司"]  # a company is not masked
    text = " ".join(str(v) for v in objs.to_numpy().ravel())
    for secret in ("张三", "440301199001011234", "13912345678", "欧阳小明", "刘德华"):
        assert secret not in text
    assert "updated_by" not in objs.columns
    notices = pd.read_excel(out, sheet_name="notices")
    assert list(notices["title"]) == ["方案公示"] and list(notices["objections"]) == [3]
    internal = pd.read_excel(nt.export_notice(ledger, tmp_path / "internal.xlsx", public=False), "objections")
    assert list(internal["objector"]) == ["欧阳小明", "刘德华", "龙田社区股份合作公司"]
    # the same names as the ledger's own public export
    export_ledger(ledger, tmp_path / "ledger_public.xlsx", public=True)
    holders = pd.read_excel(tmp_path / "ledger_public.xlsx", sheet_name="holders")
    assert "欧阳**" in set(holders["holder"]) and "欧阳小明" not in set(holders["holder"])
    ledger.close()


def test_ledger_xlsx_export_has_the_procedure_sheets(tmp_path):
    where = Where("gpkg", str(tmp_path / "l.gpkg"))
    ledger = seeded(where, officer="王科长")
    ledger.export(tmp_path / "before.xlsx")
    assert "stages" not in pd.read_excel(tmp_path / "before.xlsx", sheet_name=None)  # none yet: no sheet
    pr.advance(ledger, pr.load_procedure(), "P1", approved_by="李处长", moved_on="2024-01-02")
    nid = nt.open_notice(ledger, "P1", "方案公示", "2024-05-01", 7)
    nt.add_objection(ledger, nid, "欧阳小明", "欧阳小明：面积少算", "2024-05-02")
    internal = pd.read_excel(ledger.export(tmp_path / "ledger.xlsx"), sheet_name=None)
    assert {"stages", "signoffs", "notices", "objections"} <= set(internal)
    assert list(internal["signoffs"]["approved_by"]) == ["李处长"]
    assert list(internal["objections"]["objector"]) == ["欧阳小明"]
    public = pd.read_excel(ledger.export(tmp_path / "public.xlsx", public=True), sheet_name=None)
    assert "stages" not in public and "signoffs" not in public
    assert list(public["objections"]["objector"]) == ["欧阳**"]
    assert "欧阳小明" not in "".join(pd.concat(public.values()).astype(str).to_numpy().ravel())
    ledger.close()
