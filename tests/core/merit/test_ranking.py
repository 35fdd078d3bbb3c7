"""Merit ranking: composite first, then the tie chain, then a flag for a human."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core.errors import PolicyError, TableError
from shafaf.core.merit.ranking import DEFAULT_TIE_CHAIN, TIE_KEYS, rank

SCHEMA: dict[str, Any] = {
    "application_id": pl.String,
    "composite_num": pl.Int64,
    "test_total": pl.Int64,
    "interview": pl.Int64,
    "dob": pl.Date,
    "highest_level": pl.Int64,
    "min_qual_percent_x100": pl.Int64,
    "min_qual_date": pl.Date,
}


def _frame(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


D = dt.date


def test_three_way_tie_resolved_at_different_steps() -> None:
    """A, B, C share composite 700. C has the lowest test total -> separated by "test". A and B have the same
    test total; A is older (1990 < 1991) -> A before B, separated by "older". X (composite 900) is first and
    A's composite differs from X's, so A has no tie step."""
    frame = _frame(
        [
            ("C", 700, 500_000, None, D(1980, 1, 1), 3, 6_000, D(2010, 1, 1)),
            ("B", 700, 600_000, None, D(1991, 1, 1), 3, 6_000, D(2010, 1, 1)),
            ("X", 900, 800_000, None, D(1995, 1, 1), 3, 6_000, D(2010, 1, 1)),
            ("A", 700, 600_000, None, D(1990, 1, 1), 3, 6_000, D(2010, 1, 1)),
        ]
    )
    out = rank(frame, DEFAULT_TIE_CHAIN)
    assert out.select("application_id", "rank", "tie_with_prev", "tie_unresolved").rows() == [
        ("X", 1, None, False),
        ("A", 2, None, False),
        ("B", 3, "older", False),
        ("C", 4, "test", False),
    ]


def test_each_later_link_of_the_default_chain() -> None:
    """Equal composite, test and age: the higher qualification level wins; then the better percentage in the
    minimum qualification; then its earlier date; full equality is flagged and both candidates are marked."""
    frame = _frame(
        [
            ("P", 500, 1, None, D(1990, 5, 5), 4, 6_000, D(2012, 1, 1)),
            ("Q", 500, 1, None, D(1990, 5, 5), 3, 7_000, D(2012, 1, 1)),
            ("R", 500, 1, None, D(1990, 5, 5), 3, 6_500, D(2011, 1, 1)),
            ("S", 500, 1, None, D(1990, 5, 5), 3, 6_500, D(2012, 1, 1)),
            ("U", 500, 1, None, D(1990, 5, 5), 3, 6_500, D(2013, 1, 1)),
            ("T", 500, 1, None, D(1990, 5, 5), 3, 6_500, D(2013, 1, 1)),
        ]
    )
    out = rank(frame, DEFAULT_TIE_CHAIN)
    assert out.select("application_id", "tie_with_prev", "tie_unresolved").rows() == [
        ("P", None, False),
        ("Q", "higher_qualification", False),
        ("R", "min_qual_percent", False),
        ("S", "earlier_min_qual_date", False),
        ("T", "earlier_min_qual_date", True),  # T and U are tied on everything: application_id decides
        ("U", "flag", True),
    ]


def test_unknown_values_lose_a_tie() -> None:
    """A null (unknown date of birth) sorts last in its key: the known older candidate wins the "older"
    link."""
    frame = _frame(
        [
            ("N", 10, 1, None, None, 1, 1, None),
            ("K", 10, 1, None, D(2000, 1, 1), 1, 1, None),
        ]
    )
    out = rank(frame, ["test", "older", "flag"])
    assert out.select("application_id", "tie_with_prev").rows() == [("K", None), ("N", "older")]


def test_null_composites_rank_last_and_interview_link() -> None:
    """Candidates without a composite come last; the interview link prefers the higher interview mark."""
    frame = _frame(
        [
            ("Z", None, None, None, None, None, None, None),
            ("I1", 10, 5, 30_000, None, None, None, None),
            ("I2", 10, 5, 40_000, None, None, None, None),
        ]
    )
    out = rank(frame, ["interview", "test"])
    assert out.select("application_id", "rank", "tie_with_prev").rows() == [
        ("I2", 1, None),
        ("I1", 2, "interview"),
        ("Z", 3, None),
    ]


def test_chain_without_flag_still_marks_unresolved_ties() -> None:
    """Even when the chain does not end with "flag", a tie nothing separates is reported as "flag"."""
    frame = _frame([("b", 1, 1, None, None, None, None, None), ("a", 1, 1, None, None, None, None, None)])
    out = rank(frame, ["test"])
    assert out.select("application_id", "tie_with_prev", "tie_unresolved").rows() == [
        ("a", None, True),
        ("b", "flag", True),
    ]


@pytest.mark.parametrize(
    ("chain", "error", "message"),
    [
        (["test", "coin_toss"], PolicyError, "unknown tie-break 'coin_toss'"),
        (["flag", "test"], PolicyError, "'flag' must be the last link"),
        (["test", "test"], PolicyError, "appears twice"),
    ],
)
def test_bad_chains(chain: list[str], error: type[Exception], message: str) -> None:
    """Unknown links, a misplaced flag and repeated links are policy errors."""
    with pytest.raises(error, match=message):
        rank(_frame([]), chain)


def test_missing_columns_and_duplicate_ids() -> None:
    """A link whose column is absent and repeated application ids are table errors."""
    frame = _frame([("a", 1, 1, None, None, None, None, None)])
    with pytest.raises(TableError, match="dob"):
        rank(frame.drop("dob"), DEFAULT_TIE_CHAIN)
    with pytest.raises(TableError, match="unique"):
        rank(pl.concat([frame, frame]), DEFAULT_TIE_CHAIN)


# --- properties
# ------------------------------------------------------------------------------------------------

SMALL_DATES = st.one_of(st.none(), st.sampled_from([D(1990, 1, 1), D(1991, 6, 1), D(1995, 3, 3)]))
ROWS = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 3)),
        st.integers(0, 2),
        st.one_of(st.none(), st.integers(0, 2)),
        SMALL_DATES,
        st.integers(1, 2),
        st.integers(0, 1),
        SMALL_DATES,
    ),
    min_size=1,
    max_size=25,
)


def _build(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    return _frame([(f"id{i:02d}", *r) for i, r in enumerate(rows)])


def _key(value: Any, descending: bool) -> tuple[int, Any]:
    """Sort key: nulls last, then by value in the link's direction."""
    if value is None:
        return (1, 0)
    if isinstance(value, dt.date):
        value = value.toordinal()
    return (0, -value if descending else value)


@settings(max_examples=60, deadline=None)
@given(ROWS, st.randoms(use_true_random=False))
def test_ranking_is_independent_of_row_order(rows: list[tuple[Any, ...]], rnd: Any) -> None:
    """Property: shuffling the input rows gives a byte-identical ranking."""
    frame = _build(rows)
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 10**6))
    assert rank(frame, DEFAULT_TIE_CHAIN).equals(rank(shuffled, DEFAULT_TIE_CHAIN))


@settings(max_examples=60, deadline=None)
@given(ROWS)
def test_ranking_matches_a_python_sort_and_explains_each_step(rows: list[tuple[Any, ...]]) -> None:
    """Property: the order is Python's sort on (composite desc, chain links, application_id), ranks are 1..n,
    composites never increase down the list, and tie_with_prev names the first link that differs from the row
    above (null when the composite differs, "flag" when none does); tie_unresolved marks full ties."""
    frame = _build(rows)
    out = rank(frame, DEFAULT_TIE_CHAIN)
    links = [code for code in DEFAULT_TIE_CHAIN if code != "flag"]
    keys = [("composite_num", True), *(TIE_KEYS[c] for c in links)]
    records = frame.rows(named=True)
    records.sort(key=lambda r: (*(_key(r[c], d) for c, d in keys), r["application_id"]))
    assert out.get_column("application_id").to_list() == [r["application_id"] for r in records]
    assert out.get_column("rank").to_list() == list(range(1, len(records) + 1))
    composites = [c for c in out.get_column("composite_num").to_list() if c is not None]
    assert composites == sorted(composites, reverse=True)
    steps: list[str | None] = [None]
    for above, below in itertools.pairwise(records):
        if above["composite_num"] != below["composite_num"]:
            steps.append(None)
            continue
        differing = [code for code in links if above[TIE_KEYS[code][0]] != below[TIE_KEYS[code][0]]]
        steps.append(differing[0] if differing else "flag")
    assert out.get_column("tie_with_prev").to_list() == steps
    flags = [s == "flag" for s in steps]
    unresolved = [a or b for a, b in zip(flags, [*flags[1:], False], strict=True)]
    assert out.get_column("tie_unresolved").to_list() == unresolved
