"""Fixed-point marks and exact fractions: parsing, formatting, and vectorised == scalar."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core.exact import (
    INT64_MAX,
    MAX_DENOMINATOR,
    SCALE,
    format_fraction,
    format_scaled,
    format_scaled_trim,
    fraction_to_str,
    scaled_to_decimal,
    scaled_to_str,
    to_fraction,
    to_scaled,
)


def _reference(numerator: int, denominator: int) -> str:
    """Independent oracle: Decimal quantize with ROUND_HALF_EVEN, sign dropped on a rounded zero."""
    with localcontext() as ctx:
        ctx.prec = 80
        value = (Decimal(numerator) / Decimal(denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_EVEN
        )
    text = f"{value:f}"
    return text[1:] if text == "-0.0000" else text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("61.25", 612_500),
        ("  61.25 ", 612_500),
        ("-0.25", -2_500),
        ("+7", 70_000),
        (".5", 5_000),
        ("3.", 30_000),
        ("0.0001", 1),
        ("2.50000", 25_000),  # trailing zeros are not "more decimals"
        ("0", 0),
    ],
)
def test_to_scaled_parses_plain_decimals_exactly(text: str, expected: int) -> None:
    """Plain decimal text becomes ten-thousandths without rounding."""
    assert to_scaled(text) == expected


def test_to_scaled_accepts_decimal_and_int() -> None:
    """Decimals and ints are scaled exactly; bool is refused (it is not a mark)."""
    assert to_scaled(Decimal("1.2345")) == 12_345
    assert to_scaled(12) == 120_000
    with pytest.raises(ValueError):
        to_scaled(True)


@pytest.mark.parametrize(
    "text", ["0.00001", "1.23456", "1e2", "nan", "inf", "", "1,5", "12.5%", "--1", "abc"]
)
def test_to_scaled_refuses_more_than_four_decimals_and_non_numbers(text: str) -> None:
    """Five decimals, exponents, separators and words are ValueErrors, never silently rounded."""
    with pytest.raises(ValueError):
        to_scaled(text)


def test_to_scaled_refuses_non_finite_decimal_and_overflow() -> None:
    """NaN/infinity and values beyond Int64 are refused."""
    with pytest.raises(ValueError):
        to_scaled(Decimal("NaN"))
    with pytest.raises(ValueError):
        to_scaled(10**16)


def test_format_scaled_examples() -> None:
    """Four places by default; fewer places round half-even; trimmed form drops zeros."""
    assert format_scaled(612_500) == "61.2500"
    assert format_scaled(-2_500) == "-0.2500"
    assert format_scaled(0) == "0.0000"
    assert format_scaled(612_500, 1) == "61.2"  # 61.25 -> 61.2 (half to even)
    assert format_scaled(613_500, 1) == "61.4"  # 61.35 -> 61.4
    assert format_scaled(5_000, 0) == "0"  # 0.5 -> 0
    assert format_scaled(15_000, 0) == "2"  # 1.5 -> 2
    assert format_scaled(12_345, 6) == "1.234500"
    assert format_scaled_trim(612_500) == "61.25"
    assert format_scaled_trim(10_000) == "1"
    assert format_scaled_trim(-2_500) == "-0.25"
    assert format_scaled_trim(0) == "0"
    assert scaled_to_decimal(612_500) == Decimal("61.25")


def test_format_fraction_examples() -> None:
    """Worked examples: 1/3 = 0.3333; 2/3 = 0.6667; 1/20000 = 0.00005 -> 0.0000 (half to even, 0 is even);
    3/20000 = 0.00015 -> 0.0002; -1/20000 -> "0.0000" without a sign."""
    assert format_fraction(1, 3) == "0.3333"
    assert format_fraction(2, 3) == "0.6667"
    assert format_fraction(1, 20_000) == "0.0000"
    assert format_fraction(3, 20_000) == "0.0002"
    assert format_fraction(-1, 20_000) == "0.0000"
    assert format_fraction(-3, 20_000) == "-0.0002"
    assert format_fraction(99_999, 20_000) == "5.0000"  # 4.99995 -> 5.0000 (carry into the whole part)
    with pytest.raises(ValueError):
        format_fraction(1, 0)


def test_to_fraction() -> None:
    """Weights and percentages become exact fractions."""
    assert to_fraction(Decimal("0.25")) == Fraction(1, 4)
    assert to_fraction("33.3") == Fraction(333, 10)
    assert to_fraction(7) == Fraction(7)
    with pytest.raises(ValueError):
        to_fraction(Decimal("Infinity"))


def test_scaled_to_str_matches_format_scaled_on_edges() -> None:
    """The vectorised text equals the scalar text at the Int64 edges; null stays null."""
    values = [0, 1, -1, 9_999, -9_999, 10_000, -10_000, 612_500, INT64_MAX, -INT64_MAX, -INT64_MAX - 1]
    frame = pl.DataFrame({"v": [*values, None]}, schema={"v": pl.Int64})
    got = frame.select(scaled_to_str(pl.col("v"))).to_series().to_list()
    assert got == [*(format_scaled(v) for v in values), None]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-INT64_MAX - 1, max_value=INT64_MAX), min_size=1, max_size=50))
def test_scaled_to_str_equals_format_scaled(values: list[int]) -> None:
    """Property: vectorised formatting is byte-identical to the scalar one for every Int64."""
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Int64})
    assert frame.select(scaled_to_str(pl.col("v"))).to_series().to_list() == [
        format_scaled(v) for v in values
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=-INT64_MAX, max_value=INT64_MAX), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=MAX_DENOMINATOR),
)
def test_fraction_to_str_equals_decimal_reference(numerators: list[int], denominator: int) -> None:
    """Property: vectorised rounding of n/d equals Decimal ROUND_HALF_EVEN and the scalar format_fraction."""
    frame = pl.DataFrame({"n": numerators}, schema={"n": pl.Int64})
    got = frame.select(fraction_to_str(pl.col("n"), denominator)).to_series().to_list()
    assert got == [format_fraction(n, denominator) for n in numerators]
    assert got == [_reference(n, denominator) for n in numerators]


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=-(10**9), max_value=10**9), st.sampled_from([1, 2, 3, 7]))
def test_fraction_half_way_cases_round_to_even(m: int, c: int) -> None:
    """Property: n/d exactly half-way between m and m+1 ten-thousandths rounds to the even one of the two.

    With d = 20000·c and n = c·(2m+1), n/d = (m + 1/2) / 10^4.
    """
    denominator = 20_000 * c
    numerator = c * (2 * m + 1)
    frame = pl.DataFrame({"n": [numerator]}, schema={"n": pl.Int64})
    got = frame.select(fraction_to_str(pl.col("n"), denominator)).item()
    lower, upper = (m, m + 1)
    even = lower if lower % 2 == 0 else upper
    assert got == format_scaled(even) if even != 0 else got == "0.0000"
    assert got == _reference(numerator, denominator)


def test_fraction_to_str_refuses_denominators_out_of_range() -> None:
    """A denominator above the documented bound (or <= 0) is refused, not silently overflowed."""
    with pytest.raises(ValueError):
        fraction_to_str(pl.col("n"), MAX_DENOMINATOR + 1)
    with pytest.raises(ValueError):
        fraction_to_str(pl.col("n"), 0)


def test_scale_is_ten_thousand() -> None:
    """The storage unit is fixed: changing it would change every stored file."""
    assert SCALE == 10_000
