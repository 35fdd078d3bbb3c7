"""Scoring real public test data: SAT12 (raw responses + key) and the CopyDetect credentialing exam (items).

The files live in /work/shared/data/psychometrics (see SOURCES.md there); the tests skip when it is absent.
Expected values are pinned as literals and re-derived here with a separate plain ``csv`` loop.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from shafaf.core.marks import MarksResult, SectionSpec, read_item_marks, score_responses
from shafaf.core.tables import read_table
from tests.core.marks.helpers import DATA

SAT12_RAW = DATA / "mirt_SAT12_raw.csv"
SAT12_KEY = DATA / "mirt_SAT12_key.csv"
COPYDETECT = DATA / "CopyDetect_form1.csv"


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"shared test data not available: {path}")


def _sat12(negative: Decimal) -> MarksResult:
    _need(SAT12_RAW)
    _need(SAT12_KEY)
    section = SectionSpec("sat", "SAT12", tuple(f"Item.{i}" for i in range(1, 33)), Decimal(1), negative)
    return score_responses(
        read_table(SAT12_RAW),
        read_table(SAT12_KEY),
        sections=[section],
        id_column=None,  # the file has no id column: the row number identifies the candidate
        source=str(SAT12_RAW),
        key_source=str(SAT12_KEY),
    )


def _sat12_loop() -> list[tuple[int, int, int]]:
    """(right, wrong, omitted) per candidate, by hand: 8 marks a missing answer in SAT12."""
    with SAT12_KEY.open(newline="") as handle:
        key = {row["item"]: row["key"] for row in csv.DictReader(handle)}
    out = []
    with SAT12_RAW.open(newline="") as handle:
        for row in csv.DictReader(handle):
            right = sum(1 for item, answer in row.items() if answer == key[item])
            omitted = sum(1 for answer in row.values() if answer in ("8", "9", ""))
            out.append((right, len(row) - right - omitted, omitted))
    return out


def test_sat12_number_right() -> None:
    """600 candidates × 32 items: pinned literals (first candidate answers all 32 correctly; the second has 17
    right, 8 wrong, 7 missing; 10,921 right answers in all) and equality with a plain loop."""
    result = _sat12(Decimal(0))
    assert result.rows_in == 600 and result.rejected.height == 0
    marks = result.marks
    assert marks.select("roll_number", "test_total", "correct", "wrong", "omitted").rows()[:3] == [
        ("2", 320_000, 32, 0, 0),
        ("3", 170_000, 17, 8, 7),
        ("4", 180_000, 18, 14, 0),
    ]
    assert marks.get_column("correct").sum() == 10_921
    assert marks.get_column("wrong").sum() == 8_210
    assert marks.get_column("omitted").sum() == 69
    loop = _sat12_loop()
    assert marks.select("correct", "wrong", "omitted").rows() == loop
    assert marks.get_column("test_total").to_list() == [right * 10_000 for right, _, _ in loop]


def test_sat12_with_negative_marking() -> None:
    """With -0.25 per wrong answer each total is right - wrong / 4 exactly (candidate 2: 17 - 2 = 15)."""
    result = _sat12(Decimal("0.25"))
    assert result.marks.item(1, "test_total") == 150_000
    expected = [right * 10_000 - wrong * 2_500 for right, wrong, _ in _sat12_loop()]
    assert result.marks.get_column("test_total").to_list() == expected


CAMPAIGN_SECTIONS = [
    SectionSpec("subject", "Accounting and finance", ("iraw.A1-iraw.A85",)),
    SectionSpec("critical", "Critical thinking", ("iraw.A86-iraw.A119",)),
    SectionSpec("logical", "Logical reasoning", ("iraw.A120-iraw.A153",)),
    SectionSpec("english", "English", ("iraw.A154-iraw.A170",)),
]


def test_copydetect_items_mode_with_the_demo_sections() -> None:
    """CopyDetect form 1 (1,636 × 170 items) in the four sections of demo/campaign.toml: pinned section
    totals of the first two candidates and of everyone, re-derived with a plain loop."""
    _need(COPYDETECT)
    result = read_item_marks(
        read_table(COPYDETECT), sections=CAMPAIGN_SECTIONS, id_column="EID", source="form1"
    )
    assert result.rows_in == 1_636 and result.rejected.height == 0
    assert result.max_marks == {
        "subject": 850_000,
        "critical": 340_000,
        "logical": 340_000,
        "english": 170_000,
    }
    columns = ["roll_number", "sec_subject", "sec_critical", "sec_logical", "sec_english", "test_total"]
    assert result.marks.select(columns).rows()[:2] == [
        ("e100001", 270_000, 100_000, 100_000, 70_000, 540_000),
        ("e100002", 250_000, 110_000, 100_000, 90_000, 550_000),
    ]
    sums = result.marks.select(columns[1:]).sum().row(0)
    assert sums == (1_027_040_000, 395_430_000, 388_360_000, 206_560_000, 2_017_390_000)
    # the same sums by hand
    bounds = [(1, 85), (86, 119), (120, 153), (154, 170)]
    totals = [0, 0, 0, 0]
    with COPYDETECT.open(newline="") as handle:
        for row in csv.DictReader(handle):
            for s, (lo, hi) in enumerate(bounds):
                totals[s] += sum(int(row[f"iraw.A{i}"]) for i in range(lo, hi + 1))
    assert [t * 10_000 for t in totals] == list(sums[:4])
