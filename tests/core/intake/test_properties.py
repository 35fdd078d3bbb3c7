"""Property tests: garbage never raises and every row is accounted for; the fast pass and the explaining pass
agree; valid dates and decimals in any accepted spelling come back exactly."""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shafaf.core.intake import ACCEPTED_SCHEMA, INPUT_COLUMNS, REJECTED_SCHEMA
from shafaf.core.intake.applications import _check, _clean_cells, _Context, _resolve_columns
from tests.core.intake.factory import (
    CEILINGS,
    DEGREES,
    GEOGRAPHY,
    GOOD,
    POSTS,
    RELAXATION_CODES,
    Batch,
    validate,
)

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that reach the interesting branches: separators, digits (ASCII and Arabic-Indic), dashes,
# whitespace (including a non-breaking space and a line break), Urdu letters, a combining mark, a ZWNJ.
ALPHABET = "0123456789٠١٢۳;|:/-_. \u00a0\n\tabcxyzABCMFXgrantpesموحد\u064e\u200c%+"
NEAR = {
    "application_id": ["SA-1", "SA-1", "x y", "A" * 41],
    "post_code": ["SUB-ACC", "sub-acc", "JR-CLERK", "NOPE"],
    "cnic": ["54400-1234567-1", "5440012345671", "54400-1234567-1", "54400 1234567 1", "544001234567"],
    "name": ["محمد اسلم", "Ali\nKhan", "N" * 101],
    "father_name": ["Abdul Karim", "  "],
    "dob": ["1999-02-28", "1999", "1999-02", "29/02/2001", "31-04-2000", "2101", "1999-13"],
    "gender": ["M", "f", "female", "X", "?"],
    "domicile_district": ["Kech", "turbat", "Dera-Bugti", "Lahore", "Nowhere"],
    "domicile_basis": ["own", "husband", "service record", "father"],
    "minority": ["yes", "N", "2"],
    "disability": ["TRUE", "0", "maybe"],
    "in_service_years": ["2.5", "45", "45.01", "1.234", "-1"],
    "qualifications": [
        "BCom|Accounting|61.25|2021-08-14",
        "BCom|A|61.25|2021-08;matric||80|2015",
        "BCom|A|61.255|2021",
        "PhD|x|70|2020",
        "BCom|x|70|2021-02-29|awaited",
        ";;",
    ],
    "experience": ["2021-09-01|present|regular", "2021-09-01|2020-01-01|regular", "2021-09|present|regular"],
    "relaxations": [
        "civil_servant",
        "grant:5:chief_secretary:S&GAD-2026/41",
        "grant:6:secretary:x",
        "grant:",
    ],
    "roll_number": ["e100001", "e 1"],
}
CNIC_SHAPE = re.compile(r"[0-9]{5}[- ]?[0-9]{7}[- ]?[0-9]")


def cell(column: str) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.text(ALPHABET, max_size=24), st.sampled_from(NEAR[column]))


@st.composite
def garbage(draw: st.DrawFn) -> pl.DataFrame:
    height = draw(st.integers(0, 12))
    rows = draw(st.lists(st.integers(2, 40), min_size=height, max_size=height, unique=True))
    data = {c: draw(st.lists(cell(c), min_size=height, max_size=height)) for c in INPUT_COLUMNS}
    return pl.DataFrame(
        {"row": rows, **data}, schema={"row": pl.Int64, **{c: pl.String for c in INPUT_COLUMNS}}
    )


@FAST
@given(garbage())
def test_garbage_never_raises_and_every_row_is_accounted_for(raw: pl.DataFrame) -> None:
    """Any text in any column is only ever rejected, never raised: each input row comes out once, accepted
    or rejected, under its own row number, sorted; every rejection names a column and a reason, and no
    reason repeats a CNIC."""
    result = validate(raw)
    assert result.rows_in == raw.height == result.accepted.height + result.rejected.height
    assert (result.accepted.schema, result.rejected.schema) == (ACCEPTED_SCHEMA, REJECTED_SCHEMA)
    out = result.accepted["row"].to_list() + result.rejected["row"].to_list()
    assert sorted(out) == sorted(raw["row"].to_list())
    assert result.accepted["row"].is_sorted() and result.rejected["row"].is_sorted()
    assert result.rejected["column"].null_count() == 0 and result.rejected["reason"].null_count() == 0
    assert set(result.rejected["column"].to_list()) <= set(INPUT_COLUMNS)
    for text in result.rejected["reason"].to_list() + result.rejected["other_errors"].drop_nulls().to_list():
        assert not CNIC_SHAPE.search(text), text
    assert result.duplicates == result.rejected["reason"].str.starts_with("duplicate ").sum()


@FAST
@given(garbage())
def test_fast_and_explaining_passes_agree(raw: pl.DataFrame) -> None:
    """The cheap pass over all rows and the sentence-writing pass flag the same cells as failing (intake
    explains only the rows the cheap pass rejected, so the two must agree)."""
    found, _ = _resolve_columns(raw, "t")
    context = _Context(POSTS, GEOGRAPHY, DEGREES, RELAXATION_CODES, CEILINGS)
    cells = _clean_cells(raw, found)
    errors = [pl.col(f"{c}_error").is_not_null() for c in INPUT_COLUMNS]
    fast = _check(cells, context, explain=False).select(errors)
    explained = _check(cells, context, explain=True).select(errors)
    assert fast.equals(explained)


LAYOUTS = {
    "iso": lambda d: d.strftime("%Y-%m-%d"),
    "slash": lambda d: d.strftime("%d/%m/%Y"),
    "dash": lambda d: d.strftime("%d-%m-%Y"),
}


@FAST
@given(
    st.lists(
        st.tuples(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.sampled_from(sorted(LAYOUTS))),
        max_size=8,
    )
)
def test_any_real_day_in_any_layout(days: list[tuple[date, str]]) -> None:
    """Every real day from 1900 to 2100 (29 February included) is read back as itself in each full layout,
    and its year alone as 1 July, its year and month as the 16th."""
    cases = []
    for k, (day, layout) in enumerate(days):
        cases += [
            {"dob": LAYOUTS[layout](day), "application_id": f"D{k}", "cnic": f"54400-{k:07d}-1"},
            {"dob": f"{day.year:04d}", "application_id": f"Y{k}", "cnic": f"54400-{k:07d}-2"},
            {"dob": f"{day.year:04d}-{day.month:02d}", "application_id": f"M{k}", "cnic": f"54400-{k:07d}-3"},
        ]
    if not cases:
        return
    result = Batch(cases).result
    assert result.rejected.height == 0
    expected = []
    for day, _ in days:
        expected += [day, date(day.year, 7, 1), date(day.year, day.month, 16)]
    assert result.accepted["dob"].to_list() == expected


@FAST
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=10), st.data())
def test_percent_is_exact(values: list[int], data: st.DataObject) -> None:
    """A percentage written with 0, 1 or 2 decimals (trailing zeros or not) is read as the exact hundredths."""
    texts = []
    for v in values:
        whole, cents = divmod(v, 100)
        forms = [f"{whole}.{cents:02d}"] + ([f"{whole}.{cents // 10}"] if cents % 10 == 0 else [])
        forms += [f"{whole}"] if cents == 0 else []
        texts.append(data.draw(st.sampled_from(forms)))
    quals = [f"BCom|Accounting|{t}|2021-08-14" for t in texts]
    cases = [
        {"qualifications": q, "application_id": f"P{k}", "cnic": f"54400-{k:07d}-1"}
        for k, q in enumerate(quals)
    ]
    result = Batch(cases).result
    assert [r[0]["percent_x100"] for r in result.accepted["qualifications"].to_list()] == values


def test_one_day_older_boundary_dates_are_distinct() -> None:
    """Adjacent days stay adjacent: 28 Feb and 1 Mar 2000 around a leap day, read from different layouts."""
    base = date(2000, 2, 28)
    texts = ["2000-02-28", "29/02/2000", "01-03-2000"]
    cases = [{"dob": t, "application_id": f"B{k}", "cnic": f"54400-{k:07d}-1"} for k, t in enumerate(texts)]
    assert Batch(cases).result.accepted["dob"].to_list() == [base + timedelta(days=k) for k in range(3)]


def test_factory_row_is_valid() -> None:
    """The factory's row (the base of every case above) is itself accepted."""
    assert validate(pl.DataFrame([GOOD], schema={c: pl.String for c in GOOD})).accepted.height == 1
