"""Composite merit marks (exact fractions) and pass thresholds."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core.errors import CampaignError, TableError
from shafaf.core.marks import SectionSpec
from shafaf.core.merit.composite import Component, composite, passes


def _display(value: Fraction) -> str:
    """Reference display: Decimal division to 40 digits then ROUND_HALF_EVEN to four places."""
    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if value.denominator != 1
        else Decimal(value.numerator)
    )
    text = f"{exact.quantize(Decimal('0.0001'), rounding=ROUND_HALF_EVEN):f}"
    return "0.0000" if text == "-0.0000" else text


def test_test_only_formula_of_the_demo() -> None:
    """Demo formula: test weight 100 out of 170 marks. 54 marks -> 100 × 54 / 170 = 31.764705… -> "31.7647";
    55 -> 32.352941… -> "32.3529". D = 170 × 10^4 / 100 = 17000 and composite_num = test_total."""
    frame = pl.DataFrame({"test_total": [540_000, 550_000]})
    out, denominator = composite(frame, [Component("test", Decimal(100), Decimal(170))])
    assert denominator == 17_000
    assert out.get_column("composite_num").to_list() == [540_000, 550_000]
    assert out.get_column("composite").to_list() == ["31.7647", "32.3529"]


def test_mixed_formula_worked_example() -> None:
    """test 60 (max 85) + academic 30 (percent) + experience 10 (cap 2 years = 730 days).

    a: 60 × 61.25/85 + 30 × 61.25/100 + 0 = 43.235294… + 18.375 = 61.610294… -> "61.6103"
    b: 60 × 61.25/85 + 30 × 70/100 + 10 × 400/730 = 43.235294… + 21 + 5.479452… = 69.714746… -> "69.7147"
    c: 60 × 70/85 + 30 × 50/100 + 10 (3000 days, capped) = 49.411764… + 15 + 10 = 74.411764… -> "74.4118"
    d: exactly at the cap (730 days) the experience part is exactly 10.
    D = lcm(85000, 1000, 73) = 6,205,000.
    """
    frame = pl.DataFrame(
        {
            "test_total": [612_500, 612_500, 700_000, 612_500],
            "min_qual_percent_x100": [6_125, 7_000, 5_000, 6_125],
            "experience_days": [0, 400, 3_000, 730],
        }
    )
    components = [
        Component("test", Decimal(60), Decimal(85)),
        Component("academic", Decimal(30), None),
        Component("experience", Decimal(10), Decimal(2)),
    ]
    out, denominator = composite(frame, components)
    assert denominator == 6_205_000
    expected = [
        Fraction(60 * 6125, 85 * 100) + Fraction(30 * 6125, 10_000),
        Fraction(60 * 6125, 85 * 100) + Fraction(30 * 7000, 10_000) + Fraction(10 * 400, 730),
        Fraction(60 * 70, 85) + Fraction(15) + 10,
        Fraction(60 * 6125, 85 * 100) + Fraction(30 * 6125, 10_000) + 10,
    ]
    assert [Fraction(n, denominator) for n in out.get_column("composite_num")] == expected
    assert out.get_column("composite").to_list() == ["61.6103", "69.7147", "74.4118", "71.6103"]


def test_experience_cap_in_fractional_years() -> None:
    """Cap 2.5 years = 912.5 days: 912 days give 10 × 912/912.5 = 9.99452…; 913 days give the full 10."""
    frame = pl.DataFrame({"experience_days": [912, 913, 0]})
    out, denominator = composite(frame, [Component("experience", Decimal(10), Decimal("2.5"))])
    values = [Fraction(n, denominator) for n in out.get_column("composite_num")]
    assert values == [Fraction(10 * 912 * 2, 1825), Fraction(10), Fraction(0)]
    assert out.get_column("composite").to_list() == ["9.9945", "10.0000", "0.0000"]


def test_null_component_makes_the_composite_null_and_negative_totals_stay_negative() -> None:
    """A missing interview mark leaves the composite null; a negative test total contributes negatively."""
    frame = pl.DataFrame({"test_total": [-15_000, 100_000], "interview": [None, 50_000]})
    out, denominator = composite(
        frame, [Component("test", Decimal(80), Decimal(10)), Component("interview", Decimal(20), Decimal(10))]
    )
    assert out.get_column("composite").to_list() == [None, "90.0000"]  # 80 × 10/10 + 20 × 5/10
    frame = pl.DataFrame({"test_total": [-15_000]})
    out, denominator = composite(frame, [Component("test", Decimal(100), Decimal(6))])
    assert Fraction(out.item(0, "composite_num"), denominator) == Fraction(-150, 6)
    assert out.item(0, "composite") == "-25.0000"


@pytest.mark.parametrize(
    ("components", "message"),
    [
        ([], "at least one component"),
        ([Component("test", Decimal(1), Decimal(1))] * 2, "appears twice"),
        ([Component("test", Decimal(0), Decimal(1))], "weight must be > 0"),
        ([Component("test", Decimal(1), None)], "max_marks is required"),
        ([Component("interview", Decimal(1), Decimal(0))], "max_marks must be > 0"),
        (
            [
                Component("test", Decimal(1), Decimal("99999999.9999")),
                Component("interview", Decimal(1), Decimal("99999999.9997")),
            ],
            "common denominator",
        ),
    ],
)
def test_bad_formulas_are_campaign_errors(components: list[Component], message: str) -> None:
    """Formulas that cannot be computed exactly are refused with the reason."""
    frame = pl.DataFrame({"test_total": [1], "interview": [1]})
    with pytest.raises(CampaignError, match=message):
        composite(frame, components)


def test_overflow_and_missing_columns_are_refused() -> None:
    """Values whose weighted sum cannot fit Int64 are refused; a missing source column is a TableError."""
    with pytest.raises(CampaignError, match="too large"):
        composite(pl.DataFrame({"test_total": [2**62]}), [Component("test", Decimal(3), Decimal(7))])
    with pytest.raises(TableError, match="interview"):
        composite(pl.DataFrame({"test_total": [1]}), [Component("interview", Decimal(3), Decimal(7))])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=-(10**7), max_value=10**8), min_size=1, max_size=20),
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=20),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2),
    st.decimals(min_value=Decimal("1"), max_value=Decimal(1000), places=4),
)
def test_composite_equals_fraction_arithmetic(
    tests: list[int], percents: list[int], w_test: Decimal, w_acad: Decimal, test_max: Decimal
) -> None:
    """Property: composite_num / D is exactly Σ weight × value / max, and the display is its half-even
    rounding."""
    n = min(len(tests), len(percents))
    frame = pl.DataFrame({"test_total": tests[:n], "min_qual_percent_x100": percents[:n]})
    out, denominator = composite(
        frame, [Component("test", w_test, test_max), Component("academic", w_acad, Decimal(100))]
    )
    for t, p, num, text in zip(tests, percents, out["composite_num"], out["composite"], strict=False):
        exact = Fraction(w_test) * Fraction(t, 10_000) / Fraction(test_max) + Fraction(w_acad) * Fraction(
            p, 10_000
        )
        assert Fraction(num, denominator) == exact
        assert text == _display(exact)


# --- pass marks --------------------------------------------------------------------------------------------

SECTIONS = [
    SectionSpec("subject", "Subject", ("i1-i85",), pass_percent=Decimal(40)),  # max 85: needs 34
    SectionSpec("english", "English", ("e1-e3",), pass_percent=Decimal("33.33")),  # max 3: needs 0.9999
]


def _frame(rows: list[tuple[int | None, int | None]]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={"sec_subject": pl.Int64, "sec_english": pl.Int64}, orient="row")
    return frame.with_columns((pl.col("sec_subject") + pl.col("sec_english")).alias("test_total"))


def test_section_pass_marks_are_exact_at_the_boundary() -> None:
    """34.0000 of 85 at 40 % passes (34 × 100 = 40 × 85); 33.9999 fails. 0.9999 of 3 at 33.33 % passes
    (0.9999 × 100 = 33.33 × 3 = 99.99); 0.9998 fails."""
    out = passes(
        _frame([(340_000, 9_999), (339_999, 9_999), (340_000, 9_998), (339_999, 9_998)]), SECTIONS, None
    )
    assert out.select("passed", "fail_reason").rows() == [
        (True, None),
        (False, "SECTION_BELOW_PASS:subject"),
        (False, "SECTION_BELOW_PASS:english"),
        (False, "SECTION_BELOW_PASS:subject;SECTION_BELOW_PASS:english"),
    ]


def test_aggregate_pass_mark_uses_the_sum_of_maxima() -> None:
    """Aggregate 40 % of 85 + 3 = 88 marks needs 35.2: 35.2000 passes, 35.1999 fails (sections not checked
    here: their pass_percent is 0)."""
    sections = [SectionSpec(s.code, s.label, s.items) for s in SECTIONS]
    out = passes(_frame([(342_000, 10_000), (341_999, 10_000)]), sections, Decimal(40))
    assert out.select("passed", "fail_reason").rows() == [(True, None), (False, "AGGREGATE_BELOW_PASS")]


def test_negative_totals_and_missing_marks() -> None:
    """A negative total passes a 0 % minimum (no check) and fails any positive one; null marks fail with
    NO_TEST_MARKS. Maxima may come from MarksResult.max_marks."""
    sections = [SectionSpec("subject", "S", ()), SectionSpec("english", "E", ())]
    maxima = {"subject": 850_000, "english": 30_000}
    frame = _frame([(-15_000, 0), (None, None)])
    assert passes(frame, sections, None, max_marks=maxima).select("passed", "fail_reason").rows() == [
        (True, None),
        (False, "NO_TEST_MARKS"),
    ]
    assert passes(frame, sections, Decimal("0.01"), max_marks=maxima).get_column("fail_reason").to_list() == [
        "AGGREGATE_BELOW_PASS",
        "NO_TEST_MARKS",
    ]
    with pytest.raises(CampaignError, match="maximum is unknown"):
        passes(frame, sections, None)
