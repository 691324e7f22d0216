"""Legal consent thresholds (allocation/ledger/consent.py) on real ledgers, exactly at and under 95 %."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from landcoord.allocation.errors import RuleError
from landcoord.allocation.ledger import Ledger
from landcoord.allocation.ledger.consent import evaluate_thresholds, load_thresholds, verdict_lines

LANDCOORD = Path(sys.executable).parent / "landcoord"
SIGNING = ("contacted", "negotiating", "agreed", "signed")


def _ledger_with(path, areas, signed: set, agreed: set = frozenset()):
    """A real ledger of one project P whose holder i owns ``areas[i]`` m²; returns (ledger, pieces)."""
    ledger = Ledger.init(path, officer="test")
    for i in range(len(areas)):
        ledger.add_holder(f"H{i:02d}", holder_type="个人")
    for i in range(len(areas)):
        steps = SIGNING if i in signed else SIGNING[:3] if i in agreed else SIGNING[:1]
        for status in steps:
            ledger.set_consent("P", f"H{i:02d}", status, expected_version=None)
    pieces = pd.DataFrame(
        {"project": "P", "holder": [f"H{i:02d}" for i in range(len(areas))], "piece_area": areas}
    )
    return ledger, pieces


def _verdict(ledger, pieces, key):
    progress = ledger.progress(pieces).projects
    v = evaluate_thresholds(progress, load_thresholds())
    return v[v.threshold == key].iloc[0]


def test_shipped_file_holds_the_verified_95_percent_rules_and_empty_unread_ones():
    t = {x.key: x for x in load_thresholds().thresholds}
    old = t["expropriation_old_residential"]
    assert old.by_holders == Fraction(95, 100) and old.by_area == Fraction(95, 100)
    assert old.provenance.verified and "城市更新条例" in old.provenance.document
    assert old.counts == ("signed",)
    village = t["expropriation_urban_village_homes"]
    assert village.by_holders == Fraction(19, 20) and village.by_area is None
    for key in ("renewal_unit_application", "benefit_coordination_agreement"):
        assert not t[key].is_set and not t[key].provenance.verified


def test_exactly_95_percent_by_holders_and_by_area_is_met(tmp_path):
    areas = [100.0] * 20  # 19 of 20 holders and 1,900 of 2,000 m²: exactly 95 %
    ledger, pieces = _ledger_with(tmp_path / "l.gpkg", areas, signed=set(range(19)))
    with ledger:
        r = _verdict(ledger, pieces, "expropriation_old_residential")
    assert (r.holders_counted, r.holders) == (19, 20) and r.area_counted == 1900.0
    assert r.holders_met and r.area_met and r.verdict == "met" and r.official
    assert r.holders_short == 0 and r.area_short == 0.0


def test_just_under_95_percent_by_area_is_not_met(tmp_path):
    areas = [100.0] * 19 + [100.01]  # the unsigned holder has 1 cm² x 100 more: 1,900 / 2,000.01
    ledger, pieces = _ledger_with(tmp_path / "l.gpkg", areas, signed=set(range(19)))
    with ledger:
        r = _verdict(ledger, pieces, "expropriation_old_residential")
        village = _verdict(ledger, pieces, "expropriation_urban_village_homes")
    assert r.holders_met and not r.area_met and r.verdict == "not_met" and r.official
    # independent: the signed area must reach 0.95 * 2,000.01 = 1,900.0095 m²
    assert r.area_short == pytest.approx(0.95 * 2000.01 - 1900.0, abs=1e-9)
    assert village.verdict == "met"  # by owners only


def test_one_holder_short_by_number(tmp_path):
    areas = [10.0] * 20
    ledger, pieces = _ledger_with(tmp_path / "l.gpkg", areas, signed=set(range(18)), agreed={18})
    with ledger:
        r = _verdict(ledger, pieces, "expropriation_old_residential")
    assert (r.holders_counted, r.holders_short) == (18, 1)  # agreed does not count as signed
    assert not r.holders_met and r.verdict == "not_met"


def test_unverified_threshold_is_never_official(tmp_path):
    ledger, pieces = _ledger_with(tmp_path / "l.gpkg", [1.0] * 4, signed={0, 1, 2, 3})
    with ledger:
        r = _verdict(ledger, pieces, "benefit_coordination_agreement")
    assert r.verdict == "not_set" and not r.official
    custom = tmp_path / "t.toml"
    custom.write_text(
        '[thresholds]\nid = "x"\ntitle = "x"\n[threshold.a]\nlabel = "a"\ncounts = ["signed"]\n'
        'by_holders = 0.5\nby_area = ""\ndocument = "d"\narticle = ""\nversion = ""\nsource = ""\n'
        "verified = false\n",
        encoding="utf-8",
    )
    with Ledger.open(tmp_path / "l.gpkg") as ledger:
        v = evaluate_thresholds(ledger.progress(pieces).projects, load_thresholds(custom))
    assert v.iloc[0].verdict == "met" and not v.iloc[0].official
    assert "NOT OFFICIAL" in verdict_lines(v)[0]


@pytest.mark.parametrize(
    "entry, words",
    [
        ('by_holders = 95\nby_area = ""', ["line 6", "by_holders", "0.95"]),
        ('by_holders = ""\nby_area = -0.1', ["by_area"]),
        ('by_holders = ""\nby_area = ""', ["verified = true needs a value"]),
        ('by_holders = nan\nby_area = ""', ["by_holders"]),
    ],
)
def test_bad_threshold_files_name_the_line_and_key(tmp_path, entry, words):
    f = tmp_path / "bad.toml"
    f.write_text(
        f'[thresholds]\nid = "x"\ntitle = "x"\n[threshold.a]\ncounts = ["signed"]\n{entry}\n'
        'document = "d"\narticle = ""\nversion = ""\nsource = "s"\nverified = true\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleError) as err:
        load_thresholds(f)
    for w in words:
        assert w in str(err.value)


def test_command_line_prints_the_verdicts_and_writes_them(tmp_path):
    ledger, pieces = _ledger_with(tmp_path / "l.gpkg", [100.0] * 20, signed=set(range(19)))
    ledger.close()
    pieces_csv = tmp_path / "pieces.csv"
    pieces.to_csv(pieces_csv, index=False)
    out = tmp_path / "progress.xlsx"
    res = subprocess.run(
        [
            str(LANDCOORD),
            "--lang",
            "en",
            "consent",
            "progress",
            str(tmp_path / "l.gpkg"),
            "--pieces",
            str(pieces_csv),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert "expropriation_old_residential: met" in res.stdout
    assert "城市更新条例" in res.stdout
    assert "benefit_coordination_agreement: not set" in res.stdout
    sheet = pd.read_excel(out, sheet_name="thresholds")
    assert set(sheet.threshold) >= {"expropriation_old_residential", "expropriation_urban_village_homes"}
