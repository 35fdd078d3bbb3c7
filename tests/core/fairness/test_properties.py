"""Invariants of the audit over generated data: row order never matters, and the grouped engine agrees with
a plain-Python count row by row."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core.fairness import audit

Row = tuple[str | None, str | None, bool, int | None]
GENDERS = st.sampled_from(["F", "M", "X", None, "", " F", "f"])
ZONES = st.sampled_from(["A", "B", "C", None])
rows = st.lists(
    st.tuples(GENDERS, ZONES, st.booleans(), st.one_of(st.none(), st.integers(min_value=0, max_value=6))),
    max_size=60,
)


def _frame(data: list[Row]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "gender": [r[0] for r in data],
            "zone": [r[1] for r in data],
            "sel": [r[2] for r in data],
            "score": [r[3] for r in data],
        },
        schema={"gender": pl.String, "zone": pl.String, "sel": pl.Boolean, "score": pl.Int64},
    )


def _dump(frame: pl.DataFrame, *, selected: str | None, score: str | None, exclude_small: bool) -> str:
    report = audit(
        frame,
        attributes=["gender", "zone"],
        intersections=True,
        selected=selected,
        score=score,
        exclude_small=exclude_small,
    )
    return json.dumps(report.to_dict(reasons=True), ensure_ascii=False)


@settings(max_examples=60, deadline=None)
@given(rows.flatmap(lambda r: st.tuples(st.just(r), st.permutations(r))), st.booleans())
def test_shuffled_rows_give_a_byte_identical_report(pair: tuple[list[Row], list[Row]], exclude: bool) -> None:
    """§2.8: a permutation of the rows gives the same JSON, byte for byte, for both methods."""
    original, shuffled = pair
    a, b = _frame(original), _frame(shuffled)
    for selected, score in (("sel", None), (None, "score")):
        first = _dump(a, selected=selected, score=score, exclude_small=exclude)
        assert first == _dump(b, selected=selected, score=score, exclude_small=exclude)


def _label(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value.strip()


@settings(max_examples=60, deadline=None)
@given(rows)
def test_engine_counts_match_a_row_by_row_count(data: list[Row]) -> None:
    """Per family: n, positives and unknown_count equal a plain count over the rows; Σn + unknown = n_rows."""
    report = audit(_frame(data), attributes=["gender", "zone"], selected="sel", intersections=True)
    keyed: dict[str, Callable[[Row], str | None]] = {
        "gender": lambda r: _label(r[0]),
        "zone": lambda r: _label(r[1]),
        "gender×zone": lambda r: (
            None if None in (_label(r[0]), _label(r[1])) else f"{_label(r[0])}×{_label(r[1])}"
        ),
    }
    for name, key in keyed.items():
        n: Counter[str] = Counter()
        x: Counter[str] = Counter()
        unknown = 0
        for r in data:
            k = key(r)
            if k is None:
                unknown += 1
                continue
            n[k] += 1
            x[k] += int(r[2])
        family = report.family(name)
        assert family.unknown_count == unknown
        assert {c.label: (c.n, c.positives) for c in family.categories} == {k: (n[k], x[k]) for k in n}
        assert family.labels == tuple(sorted(n))
        assert sum(c.n for c in family.categories) + family.unknown_count == report.n_rows == len(data)


@settings(max_examples=60, deadline=None)
@given(rows, st.booleans())
def test_ratios_are_bounded_and_the_reference_is_one(data: list[Row], exclude: bool) -> None:
    """Computed IRs lie in [0, 1]; the reference's IR is 1 unless the reference rate is 0 (then all None)."""
    report = audit(_frame(data), attributes=["gender"], selected="sel", exclude_small=exclude)
    family = report.family("gender")
    for c in family.categories:
        if c.impact_ratio is not None:
            assert 0.0 <= c.impact_ratio <= 1.0
            assert c.four_fifths_flag is not None
        if c.excluded:
            assert c.impact_ratio is None and c.label != family.reference
    if family.reference is not None:
        ref = family.category(family.reference)
        assert ref.impact_ratio == (None if ref.positives == 0 else 1.0)
