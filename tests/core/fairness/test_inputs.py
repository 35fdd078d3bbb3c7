"""Reading outcome and score columns: accepted spellings, and errors that name the row, column and value."""

from __future__ import annotations

import math
from decimal import Decimal

import polars as pl
import pytest

from shafaf.core.errors import InputError, TableError
from shafaf.core.fairness import audit


def _positives(values: pl.Series) -> tuple[int, int]:
    frame = pl.DataFrame({"g": ["A"] * values.len()}).with_columns(values.alias("sel"))
    c = audit(frame, attributes=["g"], selected="sel").family("g").category("A")
    return c.n, c.positives


def test_text_outcome_spellings() -> None:
    """Text outcomes: 1/0, true/false, yes/no, y/n in any case with spaces around; 4 of these 8 are true."""
    values = pl.Series(["1", " TRUE ", "Yes", "y", "0", "False", "NO", " n"])
    assert _positives(values) == (8, 4)


def test_boolean_and_integer_outcomes() -> None:
    """Boolean outcomes and 0/1 integers (any integer type) are read directly."""
    assert _positives(pl.Series([True, False, True])) == (3, 2)
    assert _positives(pl.Series([1, 0, 0, 1, 1], dtype=pl.UInt8)) == (5, 3)


def test_bad_text_outcome_names_row_column_and_value() -> None:
    """Data row 3 (0-based) is spreadsheet row 5; the message names the source, column and value seen."""
    frame = pl.DataFrame({"g": ["A"] * 5, "sel": ["1", "0", "yes", "maybe", "1.0"]})
    with pytest.raises(InputError) as info:
        audit(frame, attributes=["g"], selected="sel", source="apps.csv")
    assert str(info.value) == (
        "apps.csv: row 5, column 'sel': expected 1/0, true/false, yes/no or y/n (any case); got 'maybe'"
    )
    assert info.value.source == "apps.csv"


def test_decimal_one_is_not_an_outcome() -> None:
    """ "1.0" is not one of the accepted spellings (no silent number parsing): row 2 is refused."""
    frame = pl.DataFrame({"g": ["A"], "sel": ["1.0"]})
    with pytest.raises(InputError, match=r"row 2, column 'sel': .*; got '1.0'$"):
        audit(frame, attributes=["g"], selected="sel")


def test_null_outcome_is_refused() -> None:
    """A null outcome (here in a Boolean column, data row 1 → row 3) is an input error, not a silent 0."""
    frame = pl.DataFrame({"g": ["A", "A"], "sel": [True, None]})
    with pytest.raises(InputError, match=r"row 3, column 'sel': .*; got an empty value$"):
        audit(frame, attributes=["g"], selected="sel")


def test_integer_outside_zero_one_is_refused() -> None:
    """An integer outcome of 2 is refused with its row."""
    frame = pl.DataFrame({"g": ["A", "A", "A"], "sel": [0, 1, 2]})
    with pytest.raises(InputError, match=r"row 4, column 'sel': .*; got 2$"):
        audit(frame, attributes=["g"], selected="sel")


def test_float_outcome_column_is_refused() -> None:
    """A Float outcome column is refused as a whole (TableError naming its type)."""
    frame = pl.DataFrame({"g": ["A"], "sel": [1.0]})
    with pytest.raises(TableError, match=r"column 'sel' has type Float64"):
        audit(frame, attributes=["g"], selected="sel")


def _scores(values: pl.Series) -> tuple[int, int, float | None]:
    frame = pl.DataFrame({"g": ["A"] * values.len()}).with_columns(values.alias("s"))
    report = audit(frame, attributes=["g"], score="s")
    return report.n_rows, report.not_scored, report.median


def test_text_scores_are_plain_decimals() -> None:
    """Text scores: "12", " 3.5 ", ".25", "-1", "+2", "7." are numbers; "" and null are not scored.

    Sorted: −1, 0.25, 2, 3.5, 7, 12 → median (2 + 3.5)/2 = 2.75.
    """
    values = pl.Series(["12", " 3.5 ", ".25", "-1", "+2", "7.", "", None, "   "])
    assert _scores(values) == (6, 3, 2.75)


@pytest.mark.parametrize("bad", ["1e3", "abc", "1,000", "NaN", "inf", "--1", "1.2.3"])
def test_bad_text_score_names_the_row(bad: str) -> None:
    """A score that is not a plain decimal number is an input error naming the row (here row 3)."""
    frame = pl.DataFrame({"g": ["A", "A"], "s": ["1", bad]})
    with pytest.raises(
        InputError, match=rf"^f.csv: row 3, column 's': expected a decimal number; got '{bad}'$"
    ):
        audit(frame, attributes=["g"], score="s", source="f.csv")


def test_huge_text_score_is_refused() -> None:
    """A decimal too large for a double (400 digits) becomes infinite and is refused."""
    frame = pl.DataFrame({"g": ["A"], "s": ["9" * 400]})
    with pytest.raises(InputError, match=r"row 2, column 's': expected a finite number"):
        audit(frame, attributes=["g"], score="s")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numeric_score_is_refused(bad: float) -> None:
    """NaN and infinities in a numeric score column are refused with their row."""
    frame = pl.DataFrame({"g": ["A", "A", "A"], "s": [1.0, 2.0, bad]})
    with pytest.raises(InputError, match=r"row 4, column 's': expected a finite number"):
        audit(frame, attributes=["g"], score="s")


def test_integer_and_decimal_scores() -> None:
    """Integer and Decimal score columns are numbers: [3, 1, 2] has median 2; Decimals 0.1, 0.3 give 0.2."""
    assert _scores(pl.Series([3, 1, 2])) == (3, 0, 2.0)
    assert _scores(pl.Series([Decimal("0.1"), Decimal("0.3")], dtype=pl.Decimal(10, 2))) == (2, 0, 0.2)


def test_boolean_score_column_is_refused() -> None:
    """A Boolean column is not a score."""
    frame = pl.DataFrame({"g": ["A"], "s": [True]})
    with pytest.raises(TableError, match=r"column 's' has type Boolean; expected numeric scores"):
        audit(frame, attributes=["g"], score="s")
