"""Dates of birth and qualification dates: the five layouts, partial dates resolved as domain.md §3 says (year
only -> 1 July, year and month -> the 16th), 29 February, impossible days and the 1900–2100 year bounds."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core.intake.factory import Batch

DATES = "YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, YYYY-MM or YYYY"

GOOD_DOB = [
    ("1999-02-28", date(1999, 2, 28), "day"),
    ("28/02/1999", date(1999, 2, 28), "day"),
    ("28-02-1999", date(1999, 2, 28), "day"),
    ("1999", date(1999, 7, 1), "year"),  # day and month unknown: 1 July
    ("1999-02", date(1999, 2, 16), "month"),  # day unknown: the 16th
    ("2000-02", date(2000, 2, 16), "month"),
    ("2000-02-29", date(2000, 2, 29), "day"),  # 2000 is a leap year (divisible by 400)
    ("29/02/2004", date(2004, 2, 29), "day"),  # 2004: divisible by 4
    ("29-02-1904", date(1904, 2, 29), "day"),
    ("1900-01-01", date(1900, 1, 1), "day"),  # the lowest year accepted
    ("2100-12-31", date(2100, 12, 31), "day"),  # the highest (no clock in core: eligibility judges "future")
    ("1900", date(1900, 7, 1), "year"),
    (" 31/12/1998 ", date(1998, 12, 31), "day"),
]
GOOD = Batch([{"dob": text} for text, _, _ in GOOD_DOB])


@pytest.mark.parametrize(("text", "resolved", "precision"), GOOD_DOB)
def test_dob_layouts_and_partial_dates(text: str, resolved: date, precision: str) -> None:
    """Each accepted DOB layout resolves to the documented day and records how much of it was given."""
    record = GOOD.accepted({"dob": text})
    assert (record["dob"], record["dob_precision"]) == (resolved, precision)


BAD_DOB = [
    ("2001-02-29", 'no such date: "2001-02-29" (February 2001 has 28 days)'),  # not a leap year
    ("29/02/1900", 'no such date: "29/02/1900" (February 1900 has 28 days)'),  # century not divisible by 400
    ("29-02-2100", 'no such date: "29-02-2100" (February 2100 has 28 days)'),
    ("31/04/2000", 'no such date: "31/04/2000" (April 2000 has 30 days)'),
    ("2000-06-31", 'no such date: "2000-06-31" (June 2000 has 30 days)'),
    ("2000-01-00", 'no such date: "2000-01-00" (January 2000 has 31 days)'),
    ("1999-13-01", f'no month 13: expected {DATES}; got "1999-13-01"'),
    ("1999-00", f'no month 0: expected {DATES}; got "1999-00"'),
    ("01/13/1999", f'no month 13: expected {DATES}; got "01/13/1999"'),  # a US month/day order
    ("1899-12-31", 'year 1899 is outside 1900–2100; got "1899-12-31"'),
    ("2101", 'year 2101 is outside 1900–2100; got "2101"'),
    ("0000-01-01", 'year 0 is outside 1900–2100; got "0000-01-01"'),
    ("1999/02/28", f'expected a date as {DATES}; got "1999/02/28"'),
    ("1999-2-28", f'expected a date as {DATES}; got "1999-2-28"'),  # day and month have two digits
    ("2/8/1999", f'expected a date as {DATES}; got "2/8/1999"'),
    ("28/02-1999", f'expected a date as {DATES}; got "28/02-1999"'),  # mixed separators
    ("99", f'expected a date as {DATES}; got "99"'),
    ("28 Feb 1999", f'expected a date as {DATES}; got "28 Feb 1999"'),
    ("١٩٩٩-٠٢-٢٨", f'expected a date as {DATES}; got "١٩٩٩-٠٢-٢٨"'),  # Arabic-Indic digits
    ("+1999-02-28", f'expected a date as {DATES}; got "+1999-02-28"'),
    ("1999-02-28T10:00", f'expected a date as {DATES}; got "1999-02-28T10:00"'),
]
BAD = Batch([{"dob": text} for text, _ in BAD_DOB])


@pytest.mark.parametrize(("text", "reason"), BAD_DOB)
def test_bad_dob(text: str, reason: str) -> None:
    """Impossible days, out-of-range years and unknown layouts are rejected on dob, saying why."""
    record = BAD.rejected({"dob": text})
    assert (record["column"], record["reason"]) == ("dob", reason)


QUALIFICATION_DATES = [
    ("2021", date(2021, 7, 1)),
    ("2021-08", date(2021, 8, 16)),
    ("14/08/2021", date(2021, 8, 14)),
    ("2020-02-29", date(2020, 2, 29)),
]
QUALIFICATIONS = Batch(
    [{"qualifications": f"BCom|Accounting|61.25|{text}"} for text, _ in QUALIFICATION_DATES]
)


@pytest.mark.parametrize(("text", "resolved"), QUALIFICATION_DATES)
def test_qualification_dates_resolve_like_a_dob(text: str, resolved: date) -> None:
    """A qualification's result date accepts the DOB layouts, partial ones resolved the same way."""
    record = QUALIFICATIONS.accepted({"qualifications": f"BCom|Accounting|61.25|{text}"})
    assert record["qualifications"][0]["date"] == resolved


def test_mixed_layouts_in_one_column() -> None:
    """A column mixing layouts (the slow path for non-ISO dates) gives each row its own right answer."""
    cases = [{"dob": d} for d in ("1999-02-28", "1999", "28/02/1999", "2001-02-29", "1999-02", "31-12-1999")]
    batch = Batch(cases)
    assert [r["dob"] for r in batch.result.accepted.to_dicts()] == [
        date(1999, 2, 28),
        date(1999, 7, 1),
        date(1999, 2, 28),
        date(1999, 2, 16),
        date(1999, 12, 31),
    ]
    assert batch.result.rejected["row"].to_list() == [5]
