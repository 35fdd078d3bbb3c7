"""The list columns: qualifications, experience and relaxations (entries separated by ``;``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.core.intake.factory import Batch


def q(
    degree: str, level: int, discipline: str | None, percent_x100: int, on: date, status: str = "completed"
) -> Any:
    return {
        "degree": degree,
        "level": level,
        "discipline": discipline,
        "percent_x100": percent_x100,
        "date": on,
        "status": status,
    }


GOOD_QUALIFICATIONS = [
    (
        "BCom|Accounting|61.25|2021-08-14;matric||80|2015",
        [q("BCom", 14, "Accounting", 6125, date(2021, 8, 14)), q("Matric", 10, None, 8000, date(2015, 7, 1))],
    ),
    # whitespace around separators dropped, a trailing ; ignored, partial date -> the 16th
    (" BCom | Accounting | 61.25 | 2021-08 ; ", [q("BCom", 14, "Accounting", 6125, date(2021, 8, 16))]),
    # a listed spelling (b.com), a percent sign, DD/MM/YYYY and the status in any case
    ("b.com|Acc|61.5%|14/08/2021|Awaited", [q("BCom", 14, "Acc", 6150, date(2021, 8, 14), "awaited")]),
    ("BBA|Finance|100|2020-06-30|completed", [q("BBA", 14, "Finance", 10000, date(2020, 6, 30))]),
    ("MBA|Finance|0|2020", [q("MBA", 16, "Finance", 0, date(2020, 7, 1))]),
    # an empty entry between two is skipped
    (
        "FA|Arts|55|2013;;BA|Urdu ادب|60.05|2016-09-01",
        [q("FA", 12, "Arts", 5500, date(2013, 7, 1)), q("BA", 14, "Urdu ادب", 6005, date(2016, 9, 1))],
    ),
]
GOOD_Q = Batch([{"qualifications": text} for text, _ in GOOD_QUALIFICATIONS])


@pytest.mark.parametrize(("text", "expected"), GOOD_QUALIFICATIONS)
def test_good_qualifications(text: str, expected: list[Any]) -> None:
    """Entries become structs with the canonical degree code, its level, the percent ×100 and the date."""
    assert GOOD_Q.accepted({"qualifications": text})["qualifications"] == expected


LAYOUT = "DEGREE|DISCIPLINE|PERCENT|DATE[|STATUS]"
PERCENT = "expected a number from 0 to 100 with at most two decimals; got "
BAD_QUALIFICATIONS = [
    ("BCom|Accounting|61.25", f'entry 1: expected {LAYOUT} (4 or 5 fields); got "BCom|Accounting|61.25"'),
    (
        "BCom|A|61|2021|completed|x",
        f'entry 1: expected {LAYOUT} (4 or 5 fields); got "BCom|A|61|2021|completed|x"',
    ),
    (
        "PhD|x|70|2020",
        'entry 1, degree: expected a qualification code such as Matric, FA, FSc, BA, BBA, BCom, …; got "PhD"',
    ),
    ("|x|70|2020", "entry 1, degree: required; the field is empty"),
    ("BCom|x||2020", "entry 1, percent: required; the field is empty"),
    ("BCom|x|100.01|2020", f'entry 1, percent: {PERCENT}"100.01"'),
    ("BCom|x|61.255|2020", f'entry 1, percent: {PERCENT}"61.255"'),
    ("BCom|x|3.2 CGPA|2020", f'entry 1, percent: {PERCENT}"3.2 CGPA"'),
    ("BCom|x|70|2021-02-29", 'entry 1, date: no such date: "2021-02-29" (February 2021 has 28 days)'),
    ("BCom|x|70|", "entry 1, date: required; the field is empty"),
    ("BCom|x|70|2020|pending", 'entry 1, status: expected completed or awaited; got "pending"'),
    # the first failing entry is reported, numbered by position
    (
        "BCom|x|70|2020;MBA|y|70|2020-13;PhD|z|1|2020",
        'entry 2, date: no month 13: expected YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, YYYY-MM or YYYY; got "2020-13"',
    ),
    (
        "BCom|x|70|2020;;PhD|z|1|2020",
        'entry 3, degree: expected a qualification code such as Matric, FA, FSc, BA, BBA, BCom, …; got "PhD"',
    ),
    (";;", f'expected at least one entry {LAYOUT}; got ";;"'),
]
BAD_Q = Batch([{"qualifications": text} for text, _ in BAD_QUALIFICATIONS] + [{"qualifications": None}])


@pytest.mark.parametrize(("text", "reason"), BAD_QUALIFICATIONS)
def test_bad_qualifications(text: str, reason: str) -> None:
    """Each broken entry is rejected on qualifications, naming the entry, its field and the value seen."""
    record = BAD_Q.rejected({"qualifications": text})
    assert (record["column"], record["reason"]) == ("qualifications", reason)


def test_qualifications_required() -> None:
    """At least one qualification is required."""
    record = BAD_Q.rejected({"qualifications": None})
    assert (record["column"], record["reason"]) == ("qualifications", "required; the cell is empty")


GOOD_EXPERIENCE = [
    (
        "2021-09-01|2024-06-30|regular;2024-07-01|Present|Part-time",
        [
            {"start": date(2021, 9, 1), "end": date(2024, 6, 30), "type": "regular"},
            {"start": date(2024, 7, 1), "end": None, "type": "part_time"},  # present -> null
        ],
    ),
    # a one-day post (both ends inclusive), "daily wage" spelled with a space
    (
        "01/09/2021|01/09/2021|daily wage",
        [{"start": date(2021, 9, 1), "end": date(2021, 9, 1), "type": "daily_wage"}],
    ),
    (
        "2020-01-01|2020-12-31|UNPAID",
        [{"start": date(2020, 1, 1), "end": date(2020, 12, 31), "type": "unpaid"}],
    ),
]
BAD_EXPERIENCE = [
    (
        "2021-09|2024-06-30|regular",
        'entry 1, start: expected a full date as YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY; got "2021-09"',
    ),
    ("2021-09-01|2021-08-31|regular", "entry 1: ends before it starts (2021-09-01 to 2021-08-31)"),
    ("2021-09-01|2024-06-30", 'entry 1: expected START|END|TYPE (3 fields); got "2021-09-01|2024-06-30"'),
    (
        "2021-09-01|soon|regular",
        'entry 1, end: expected a date as YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or present; got "soon"',
    ),
    ("2021-09-01||regular", "entry 1, end: required; the field is empty (write present for a current post)"),
    ("|2024-06-30|regular", "entry 1, start: required; the field is empty"),
    (
        "2021-09-01|present|volunteer",
        'entry 1, type: expected one of regular, contract, part_time, daily_wage, internship, unpaid; got "volunteer"',
    ),
    (
        "2021-09-01|present|",
        'entry 1, type: expected one of regular, contract, part_time, daily_wage, internship, unpaid; got ""',
    ),
]
EXPERIENCE = Batch(
    [{"experience": t} for t, _ in GOOD_EXPERIENCE]
    + [{"experience": t} for t, _ in BAD_EXPERIENCE]
    + [{"experience": " ; "}]
)


@pytest.mark.parametrize(("text", "expected"), GOOD_EXPERIENCE)
def test_good_experience(text: str, expected: list[Any]) -> None:
    """Experience entries become start/end/type structs; ``present`` is an open end (null)."""
    assert EXPERIENCE.accepted({"experience": text})["experience"] == expected


@pytest.mark.parametrize(("text", "reason"), BAD_EXPERIENCE)
def test_bad_experience(text: str, reason: str) -> None:
    """Partial dates, reversed periods, missing fields and unknown types are rejected on experience."""
    record = EXPERIENCE.rejected({"experience": text})
    assert (record["column"], record["reason"]) == ("experience", reason)


def test_experience_may_be_empty() -> None:
    """An empty experience cell (or only separators) is an empty list, not an error."""
    assert EXPERIENCE.accepted({"experience": " ; "})["experience"] == []


def grant(years: int, authority: str, ref: str) -> dict[str, Any]:
    return {"code": "grant", "years": years, "authority": authority, "ref": ref}


CATEGORY = {"years": None, "authority": None, "ref": None}
GOOD_RELAXATIONS = [
    (
        "civil_servant;grant:5:chief_secretary:S&GAD-2026/41",
        [{"code": "civil_servant", **CATEGORY}, grant(5, "chief_secretary", "S&GAD-2026/41")],
    ),
    # codes and authorities in any case; the reference keeps its own colon
    (
        "Disabled; GRANT: 3 : Secretary : SO(R)/2026:7",
        [{"code": "disabled", **CATEGORY}, grant(3, "secretary", "SO(R)/2026:7")],
    ),
    ("grant:7:chief_minister:CM/1", [grant(7, "chief_minister", "CM/1")]),  # exactly at the ceiling
]
BAD_RELAXATIONS = [
    (
        "grant:6:chief_secretary:S&GAD-2026/41",
        "entry 1: a grant of 6 years exceeds the chief_secretary ceiling of 5 years",
    ),
    ("grant:4:secretary:x", "entry 1: a grant of 4 years exceeds the secretary ceiling of 3 years"),
    ("grant:0:secretary:x", 'entry 1, grant years: expected a whole number of years from 1; got "0"'),
    ("grant:two:secretary:x", 'entry 1, grant years: expected a whole number of years from 1; got "two"'),
    (
        "grant:3:governor:x",
        'entry 1, grant authority: expected one of chief_minister, chief_secretary, secretary; got "governor"',
    ),
    ("grant:3:secretary", 'entry 1: expected grant:YEARS:AUTHORITY:REF; got "grant:3:secretary"'),
    ("grant:3:secretary: ", "entry 1, grant reference: required; the notification reference is empty"),
    (
        "civil_servant;widow",
        "entry 2: expected a relaxation code (civil_servant, deceased_employee_family, disabled) or "
        'grant:YEARS:AUTHORITY:REF; got "widow"',
    ),
]
RELAXATIONS = Batch([{"relaxations": t} for t, _ in GOOD_RELAXATIONS + BAD_RELAXATIONS])


@pytest.mark.parametrize(("text", "expected"), GOOD_RELAXATIONS)
def test_good_relaxations(text: str, expected: list[Any]) -> None:
    """Category codes carry no years/authority/ref; grants carry all three, canonically spelled."""
    assert RELAXATIONS.accepted({"relaxations": text})["relaxations"] == expected


@pytest.mark.parametrize(("text", "reason"), BAD_RELAXATIONS)
def test_bad_relaxations(text: str, reason: str) -> None:
    """A grant above its authority's ceiling rejects the row, as do malformed grants and unknown codes."""
    record = RELAXATIONS.rejected({"relaxations": text})
    assert (record["column"], record["reason"]) == ("relaxations", reason)
