"""The NYC LL144 scoring rate: median over every scored row, strictly greater counts, ties do not."""

from __future__ import annotations

import math

import polars as pl

from shafaf.core.fairness import audit


def test_odd_count_ties_at_the_median_do_not_count() -> None:
    """Scores 1, 2, 2, 2, 3, 4, 5: median 2; only 3, 4, 5 are above it.

    A: 1, 2, 2 → 0 of 3 above; B: 2, 3, 4, 5 → 3 of 4 above.
    """
    frame = pl.DataFrame({"g": ["A", "A", "A", "B", "B", "B", "B"], "s": [1, 2, 2, 2, 3, 4, 5]})
    report = audit(frame, attributes=["g"], score="s")
    assert (report.method, report.median, report.n_rows) == ("scoring", 2.0, 7)
    family = report.family("g")
    assert [(c.label, c.n, c.positives) for c in family.categories] == [("A", 3, 0), ("B", 4, 3)]
    assert family.reference == "B"
    a = family.category("A")
    assert (a.rate, a.impact_ratio, a.four_fifths_flag) == (0.0, 0.0, True)


def test_even_count_median_is_mean_of_middle_values() -> None:
    """Scores 10, 20, 30, 40: median 25; 30 and 40 count. A: 10, 30 → 1/2; B: 20, 40 → 1/2."""
    frame = pl.DataFrame({"g": ["A", "B", "A", "B"], "s": [10, 20, 30, 40]})
    report = audit(frame, attributes=["g"], score="s")
    assert report.median == 25.0
    assert [(c.n, c.positives) for c in report.family("g").categories] == [(2, 1), (2, 1)]


def test_even_count_tied_middle_values() -> None:
    """Scores 1, 2, 2, 3: the middle values are both 2, so the median is 2 and only the 3 counts."""
    frame = pl.DataFrame({"g": ["A", "A", "B", "B"], "s": [1, 2, 2, 3]})
    report = audit(frame, attributes=["g"], score="s")
    assert report.median == 2.0
    assert [c.positives for c in report.family("g").categories] == [0, 1]


def test_unknown_rows_enter_the_median() -> None:
    """Unknown-label rows count toward the median (LL144), though they are in no category.

    Scores: A 1, 2, 3; B 4, 5, 6; unknown 100 (four rows: null, "", " ", null). The 10 sorted scores have
    middle values 5 and 6, so the median is 5.5: B has 1 of 3 above (the 6), A none. Over the known rows
    alone the median would be 3.5 and B would have 3 of 3 above.
    """
    frame = pl.DataFrame(
        {
            "g": ["A", "A", "A", "B", "B", "B", None, "", " ", None],
            "s": [1, 2, 3, 4, 5, 6, 100, 100, 100, 100],
        }
    )
    report = audit(frame, attributes=["g"], score="s")
    assert (report.median, report.n_rows) == (5.5, 10)
    family = report.family("g")
    assert family.unknown_count == 4
    assert [(c.label, c.n, c.positives) for c in family.categories] == [("A", 3, 0), ("B", 3, 1)]
    assert family.reference == "B"
    assert family.category("A").four_fifths_flag is True


def test_not_scored_rows_are_left_out() -> None:
    """A null score leaves the row out of the median, n_rows and every category; not_scored counts it."""
    frame = pl.DataFrame({"g": ["A", "A", "B", "B", "C"], "s": [1.0, None, 2.0, 3.0, None]})
    report = audit(frame, attributes=["g"], score="s")
    assert (report.n_rows, report.not_scored, report.median) == (3, 2, 2.0)
    assert [(c.label, c.n, c.positives) for c in report.family("g").categories] == [("A", 1, 0), ("B", 2, 1)]


def test_nothing_scored() -> None:
    """Every score null: no median, no rows, no categories."""
    frame = pl.DataFrame({"g": ["A", "B"], "s": [None, None]}, schema={"g": pl.String, "s": pl.Float64})
    report = audit(frame, attributes=["g"], score="s")
    assert report.to_dict() == {
        "method": "scoring",
        "n_rows": 0,
        "not_scored": 2,
        "median": None,
        "exclude_small": False,
        "families": {"g": {"attributes": ["g"], "unknown_count": 0, "reference": None, "categories": {}}},
    }


def test_all_scores_equal() -> None:
    """All scores tie at the median: nobody is above it, so every ratio is not computable."""
    frame = pl.DataFrame({"g": ["A", "B", "B"], "s": [7, 7, 7]})
    family = audit(frame, attributes=["g"], score="s").family("g")
    assert [c.positives for c in family.categories] == [0, 0]
    assert all(c.impact_ratio is None and c.four_fifths_flag is None for c in family.categories)


def test_adjacent_middle_values_are_decided_exactly() -> None:
    """Middle values 1.0 and the next double up: the exact median lies strictly between, so the upper counts.

    The float mean rounds to one of the two; the engine compares with the lower middle value instead
    (s > m ⇔ s > lower middle), so the upper middle value is always above the median.
    """
    upper = math.nextafter(1.0, 2.0)
    frame = pl.DataFrame({"g": ["A", "B"], "s": [1.0, upper]})
    report = audit(frame, attributes=["g"], score="s")
    assert report.median in (1.0, upper)
    assert [c.positives for c in report.family("g").categories] == [0, 1]


def test_text_and_numeric_scores_agree() -> None:
    """The same scores as text ("2.5") and as numbers (2.5) give the same report."""
    numbers = pl.DataFrame({"g": ["A", "B", "A", "B", "A"], "s": [2.5, 0.1, 7.0, 3.25, 0.2]})
    text = numbers.with_columns(pl.Series("s", ["2.5", "0.1", "7", "3.25", ".2"]))
    assert (
        audit(numbers, attributes=["g"], score="s").to_dict()
        == audit(text, attributes=["g"], score="s").to_dict()
    )
