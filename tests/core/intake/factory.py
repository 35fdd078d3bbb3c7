"""Builders for intake tests: a small geography and policy vocabulary, one valid application row, and frames
shaped like ``read_table`` output (a leading Int64 ``row`` column, every other column String)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from shafaf.core.intake import INPUT_COLUMNS, IntakeResult, validate_applications
from shafaf.core.policy.geography import Geography, parse_geography

GEOGRAPHY: Geography = parse_geography(
    "# version: test-1\n"
    "# note: three districts for intake tests\n"
    "district,province,division,zone,region,aliases,population_2023\n"
    "Quetta,Balochistan,Quetta,Quetta City,balochistan,,2595492\n"
    "Kech,Balochistan,Makran,Makran,balochistan,Turbat,1060931\n"
    "Dera Bugti,Balochistan,Sibi,Sibi,balochistan,,312603\n"
    "Lahore,Punjab,Lahore,,punjab,,13004135\n",
    "test-geography.csv",
)
DEGREES: dict[str, tuple[str, int]] = {
    "matric": ("Matric", 10),
    "fa": ("FA", 12),
    "fsc": ("FSc", 12),
    "ba": ("BA", 14),
    "bcom": ("BCom", 14),
    "b.com": ("BCom", 14),
    "bba": ("BBA", 14),
    "mba": ("MBA", 16),
}
RELAXATION_CODES = ("civil_servant", "disabled", "deceased_employee_family")
CEILINGS: dict[str, int] = {"secretary": 3, "chief_secretary": 5, "chief_minister": 7}
POSTS = ("SUB-ACC", "JR-CLERK")
COLUMNS = INPUT_COLUMNS  # the columns of docs/formats.md §1, in order

GOOD: dict[str, str | None] = {
    "application_id": "SA-2026-000123",
    "post_code": "SUB-ACC",
    "cnic": "54400-1234567-1",
    "name": "Muhammad Aslam",
    "father_name": "Abdul Karim",
    "dob": "1999-02-28",
    "gender": "M",
    "domicile_district": "Kech",
    "domicile_basis": None,
    "minority": None,
    "disability": None,
    "in_service_years": None,
    "qualifications": "BCom|Accounting|61.25|2021-08-14",
    "experience": None,
    "relaxations": None,
    "roll_number": None,
}


def row(**overrides: str | None) -> dict[str, str | None]:
    """The valid row with some cells replaced; a distinct id and CNIC are the caller's business."""
    unknown = set(overrides) - set(GOOD)
    assert not unknown, f"not an applications column: {unknown}"
    return {**GOOD, **overrides}


def frame(rows: Sequence[Mapping[str, str | None]], *, first_row: int = 2) -> pl.DataFrame:
    """A frame as ``read_table`` returns it: ``row`` (Int64, header = 1) then String columns, in order."""
    names = list(rows[0]) if rows else list(COLUMNS)
    data: dict[str, Any] = {"row": list(range(first_row, first_row + len(rows)))}
    data.update({n: [r.get(n) for r in rows] for n in names})
    return pl.DataFrame(data, schema={"row": pl.Int64, **{n: pl.String for n in names}})


def distinct(rows: Sequence[Mapping[str, str | None]]) -> list[dict[str, str | None]]:
    """Give each row its own application id and CNIC (row k: SA-k, 54400-00000kk-k style)."""
    out = []
    for k, r in enumerate(rows):
        out.append({**r, "application_id": f"SA-{k + 1}", "cnic": f"54400-{k + 1:07d}-{k % 10}"})
    return out


def validate(raw: pl.DataFrame, *, source: str = "applications.csv") -> IntakeResult:
    return validate_applications(
        raw,
        source=source,
        posts=POSTS,
        geography=GEOGRAPHY,
        degree_lookup=DEGREES,
        relaxation_codes=RELAXATION_CODES,
        grant_ceilings=CEILINGS,
    )


def one(**overrides: str | None) -> IntakeResult:
    """Validate the single row ``row(**overrides)``."""
    return validate(frame([row(**overrides)]))


def rejection(result: IntakeResult, at: int = 2) -> dict[str, Any]:
    """The rejected record of spreadsheet row ``at`` (asserting it exists)."""
    found = result.rejected.filter(pl.col("row") == at).to_dicts()
    assert len(found) == 1, f"row {at} not rejected; accepted: {result.accepted.to_dicts()}"
    return found[0]


def accepted(result: IntakeResult) -> dict[str, Any]:
    """The only accepted record (asserting there is exactly one and nothing was rejected)."""
    assert result.rejected.height == 0, result.rejected.to_dicts()
    assert result.accepted.height == 1
    return result.accepted.to_dicts()[0]


class Batch:
    """Many single-row cases validated as one table (one ``validate`` call for a whole parametrised test):
    case ``k`` is spreadsheet row ``k + 2``, with its own application id and CNIC unless the case sets them."""

    def __init__(self, cases: Sequence[Mapping[str, str | None]]) -> None:
        rows = []
        for k, overrides in enumerate(cases):
            base = row(application_id=f"B-{k + 1}", cnic=f"54400-{k + 1:07d}-1")
            rows.append({**base, **overrides})
        self.keys = [tuple(sorted(c.items())) for c in cases]
        self.result = validate(frame(rows))

    def at(self, overrides: Mapping[str, str | None]) -> int:
        return self.keys.index(tuple(sorted(overrides.items()))) + 2

    def accepted(self, overrides: Mapping[str, str | None]) -> dict[str, Any]:
        found = self.result.accepted.filter(pl.col("row") == self.at(overrides)).to_dicts()
        assert len(found) == 1, rejection(self.result, self.at(overrides))
        return found[0]

    def rejected(self, overrides: Mapping[str, str | None]) -> dict[str, Any]:
        return rejection(self.result, self.at(overrides))
