"""Marks files computed by a testing body: items mode (0/1 per item) and marks_columns mode (formats.md
§2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shafaf.core.errors import CampaignError, TableError
from shafaf.core.marks import SectionSpec, read_item_marks, read_section_marks
from tests.core.marks.helpers import text_frame

SECTIONS = [
    SectionSpec("math", "Mathematics", ("i1-i3",), Decimal(2), Decimal("0.5"), Decimal(50)),
    SectionSpec("eng", "English", ("i4", "i5"), Decimal(1)),
]


def test_items_mode_sums_sections_with_negative_marking() -> None:
    """Worked example (math: 2 marks, -0.5; eng: 1 mark, no deduction).

    a: math 1,1,0 -> 2+2-0.5 = 3.5; eng 1,"" -> 1; total 4.5.
    b: math 0,0,0 -> -1.5 (negative, kept); eng 0,0 -> 0; total -1.5.
    """
    frame = text_frame(
        {
            "EID": ["a", "b"],
            "i1": ["1", "0"],
            "i2": ["1", "0"],
            "i3": [" 0", "0"],
            "i4": ["1", "0"],
            "i5": [None, "0"],
            "cent_id": ["59", "67"],
        }
    )
    result = read_item_marks(frame, sections=SECTIONS, id_column="EID", source="m.csv")
    assert result.marks.rows() == [
        ("a", 35_000, 10_000, 45_000, 3, 1, 1),
        ("b", -15_000, 0, -15_000, 0, 5, 0),
    ]
    assert result.marks.columns == [
        "roll_number",
        "sec_math",
        "sec_eng",
        "test_total",
        "correct",
        "wrong",
        "omitted",
    ]
    assert result.max_marks == {"math": 60_000, "eng": 20_000}
    assert result.test_max == 80_000
    assert [s.max_marks for s in result.sections] == [Decimal(6), Decimal(2)]


def test_items_mode_rejects_marks_other_than_0_1_or_empty() -> None:
    """ "2", "1.0" and "yes" are not item marks: the row is rejected with every bad cell listed."""
    frame = text_frame(
        {
            "EID": ["a", "b"],
            "i1": ["1", "2"],
            "i2": ["1", "1.0"],
            "i3": ["1", "1"],
            "i4": ["1", "yes"],
            "i5": ["1", "1"],
        }
    )
    result = read_item_marks(frame, sections=SECTIONS, id_column="EID", source="m.csv")
    assert result.marks.get_column("roll_number").to_list() == ["a"]
    assert result.rejected.rows() == [
        (
            3,
            "b",
            "i1",
            "INVALID_ITEM_MARK: '2' is not 0, 1 or empty",
            "i2: INVALID_ITEM_MARK: '1.0' is not 0, 1 or empty; "
            "i4: INVALID_ITEM_MARK: 'yes' is not 0, 1 or empty",
        )
    ]
    assert result.rows_in == 2


def test_items_mode_structural_errors() -> None:
    """A section item missing from the file is a TableError naming the file; an item in two sections and a
    repeated section code are CampaignErrors."""
    frame = text_frame({"EID": ["a"], "i1": ["1"], "i2": ["1"]})
    with pytest.raises(TableError, match="item columns not found: 'i3'") as info:
        read_item_marks(frame, sections=[SECTIONS[0]], id_column="EID", source="m.csv")
    assert info.value.source == "m.csv"
    with pytest.raises(CampaignError, match="both section"):
        read_item_marks(
            frame,
            sections=[SectionSpec("a", "A", ("i1",)), SectionSpec("b", "B", ("i1", "i2"))],
            id_column="EID",
            source="m.csv",
        )
    with pytest.raises(CampaignError, match="used twice"):
        read_item_marks(
            frame,
            sections=[SectionSpec("a", "A", ("i1",)), SectionSpec("A", "B", ("i2",))],
            id_column="EID",
            source="m.csv",
        )


MARKS_SECTIONS = [
    SectionSpec("written", "Written", (), max_marks=Decimal(85), pass_percent=Decimal(40)),
    SectionSpec("mcq", "MCQ", ("q1-q20",), Decimal(1), Decimal("0.25")),  # max 20, min -5
]


def test_marks_columns_mode_reads_exact_section_marks() -> None:
    """Section marks with up to four decimals are summed exactly; counts are unknown (null)."""
    frame = text_frame(
        {
            "roll_number": ["a", "b"],
            "WRITTEN": ["61.25", "85"],
            "mcq": ["-2.75", " 20 "],
            "interview": ["", "9.5"],
        }
    )
    result = read_section_marks(frame, sections=MARKS_SECTIONS, id_column="roll_number", source="m.csv")
    assert result.marks.rows() == [
        ("a", 612_500, -27_500, 585_000, None, None, None, None),
        ("b", 850_000, 200_000, 1_050_000, None, None, None, 95_000),
    ]
    assert result.max_marks == {"written": 850_000, "mcq": 200_000}


def test_marks_columns_mode_rejects_bad_marks() -> None:
    """Empty, non-numeric, five-decimal and out-of-range marks reject the row (lower bound -20 × 0.25 =
    -5)."""
    frame = text_frame(
        {
            "roll_number": ["a", "b", "c", "d", "e"],
            "written": [None, "abc", "85.00001", "85.0001", "10"],
            "mcq": ["1", "1", "1", "1", "-5.25"],
        }
    )
    result = read_section_marks(frame, sections=MARKS_SECTIONS, id_column="roll_number", source="m.csv")
    assert result.marks.height == 0
    assert result.rejected.select("id", "column", "reason").rows() == [
        ("a", "written", "MISSING_MARK: the section mark is empty"),
        ("b", "written", "INVALID_MARK: 'abc' is not a number with up to 4 decimals"),
        ("c", "written", "INVALID_MARK: '85.00001' is not a number with up to 4 decimals"),
        ("d", "written", "MARK_OUT_OF_RANGE: 85.0001 is outside 0..85"),
        ("e", "mcq", "MARK_OUT_OF_RANGE: -5.25 is outside -5..20"),
    ]


def test_marks_columns_mode_needs_a_maximum_and_the_columns() -> None:
    """A section with neither items nor max_marks is a CampaignError; a missing section column a
    TableError."""
    frame = text_frame({"roll_number": ["a"], "written": ["1"]})
    with pytest.raises(CampaignError, match="max_marks is needed"):
        read_section_marks(
            frame, sections=[SectionSpec("written", "W", ())], id_column="roll_number", source="m.csv"
        )
    with pytest.raises(TableError, match="required column 'mcq'"):
        read_section_marks(frame, sections=MARKS_SECTIONS, id_column="roll_number", source="m.csv")
