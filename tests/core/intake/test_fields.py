"""Every scalar column of the applications format (formats.md §1): good forms and their canonical value, bad
forms and the column and reason that name them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.core.intake.factory import Batch, accepted, one, rejection

REQUIRED = "required; the cell is empty"
ID = "expected 1–40 characters A-Z a-z 0-9 - _ /; got "
CNIC = "expected 13 digits as XXXXX-XXXXXXX-X or without dashes; got "
DATES = "YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, YYYY-MM or YYYY"
FLAG = "expected yes or no (y/n, 1/0, true/false) or empty; got "


def test_the_valid_row_in_canonical_form() -> None:
    """The factory row is accepted with every canonical column filled as documented."""
    record = accepted(one())
    assert record == {
        "row": 2,
        "application_id": "SA-2026-000123",
        "post_code": "SUB-ACC",
        "roll_number": "SA-2026-000123",  # default = application_id
        "cnic": "54400-1234567-1",
        "name": "Muhammad Aslam",
        "father_name": "Abdul Karim",
        "dob": date(1999, 2, 28),
        "dob_precision": "day",
        "gender": "M",
        "domicile_district": "Kech",
        "province": "Balochistan",
        "division": "Makran",
        "zone": "Makran",
        "region": "balochistan",
        "domicile_basis": "own",
        "minority": False,
        "disabled": False,
        "in_service_x100": 0,
        "qualifications": [
            {
                "degree": "BCom",
                "level": 14,
                "discipline": "Accounting",
                "percent_x100": 6125,
                "date": date(2021, 8, 14),
                "status": "completed",
            }
        ],
        "experience": [],
        "relaxations": [],
    }


GOOD_FORMS = [
    ("application_id", "  SA/2026_01-x  ", "application_id", "SA/2026_01-x"),
    ("application_id", "A" * 40, "application_id", "A" * 40),
    ("post_code", "sub-acc", "post_code", "SUB-ACC"),  # case-insensitive, written canonically
    ("post_code", "JR-CLERK", "post_code", "JR-CLERK"),
    ("roll_number", "e100001", "roll_number", "e100001"),
    ("cnic", "5440012345671", "cnic", "54400-1234567-1"),  # 13 digits without dashes
    ("cnic", " 54400-7654321-2 ", "cnic", "54400-7654321-2"),
    ("name", "  محمد اسلم  ", "name", "محمد اسلم"),  # trimmed, inner text untouched
    ("father_name", "Abdul  Karim", "father_name", "Abdul  Karim"),  # inner double space kept
    ("name", "N" * 100, "name", "N" * 100),
    ("gender", "f", "gender", "F"),
    ("gender", "Female", "gender", "F"),
    ("gender", "MALE", "gender", "M"),
    ("gender", "x", "gender", "X"),
    ("domicile_district", "turbat", "domicile_district", "Kech"),  # a listed spelling
    ("domicile_district", "dera-bugti", "domicile_district", "Dera Bugti"),  # - read as a space
    ("domicile_district", "LAHORE", "zone", None),  # outside Balochistan: no 1991 zone
    ("domicile_district", "Lahore", "region", "punjab"),
    ("domicile_basis", "Service Record", "domicile_basis", "service_record"),
    ("domicile_basis", "OWN", "domicile_basis", "own"),
    ("minority", "Y", "minority", True),
    ("minority", "TRUE", "minority", True),
    ("minority", "no", "minority", False),
    ("disability", "1", "disabled", True),
    ("disability", "0", "disabled", False),
    ("in_service_years", "2.5", "in_service_x100", 250),  # 2.5 years = 250 hundredths
    ("in_service_years", "0.05", "in_service_x100", 5),
    ("in_service_years", "45", "in_service_x100", 4500),
    ("in_service_years", "7.25", "in_service_x100", 725),
]
GOOD = Batch([{column: given} for column, given, _, _ in GOOD_FORMS])


@pytest.mark.parametrize(("column", "given", "field", "expected"), GOOD_FORMS)
def test_good_forms(column: str, given: str, field: str, expected: Any) -> None:
    """Accepted spellings of each column and the canonical value they become."""
    assert GOOD.accepted({column: given})[field] == expected


def test_husband_domicile_for_a_woman() -> None:
    """A married woman may use her husband's domicile (domain.md §3)."""
    record = accepted(one(domicile_basis="husband", gender="F"))
    assert (record["domicile_basis"], record["gender"]) == ("husband", "F")


PARITY = [
    ("54400-1234567-1", "F"),
    ("54400-7654321-2", "M"),
    ("54400-2222222-2", "X"),
    ("54400-3333333-1", "X"),
]
PARITY_BATCH = Batch([{"cnic": c, "gender": g} for c, g in PARITY])


@pytest.mark.parametrize(("cnic", "gender"), PARITY)
def test_cnic_parity_never_checked(cnic: str, gender: str) -> None:
    """An odd last digit (the male convention) with F, an even one with M, and X with either: all accepted."""
    record = PARITY_BATCH.accepted({"cnic": cnic, "gender": gender})
    assert (record["cnic"], record["gender"]) == (cnic, gender)


BAD_FORMS: list[tuple[dict[str, str | None], str, str]] = [
    ({"application_id": None}, "application_id", REQUIRED),
    ({"application_id": "SA 001"}, "application_id", ID + '"SA 001"'),
    ({"application_id": "A" * 41}, "application_id", ID + '"' + "A" * 41 + '"'),
    ({"application_id": "SA-١"}, "application_id", ID + '"SA-١"'),
    ({"post_code": None}, "post_code", REQUIRED),
    (
        {"post_code": "SUBACC"},
        "post_code",
        'expected a post code of this campaign (JR-CLERK, SUB-ACC); got "SUBACC"',
    ),
    ({"cnic": None}, "cnic", REQUIRED),
    ({"cnic": "54400-123456-1"}, "cnic", CNIC + '12 digits in "#####-######-#"'),
    ({"cnic": "5440O-1234567-1"}, "cnic", CNIC + '12 digits in "####O-#######-#"'),
    ({"cnic": "544001234567189"}, "cnic", CNIC + '15 digits in "###############"'),
    ({"cnic": "54400 1234567 1"}, "cnic", CNIC + '13 digits in "##### ####### #"'),
    ({"name": None}, "name", REQUIRED),
    ({"name": "   "}, "name", REQUIRED),
    ({"father_name": None}, "father_name", REQUIRED),
    (
        {"name": "N" * 101},
        "name",
        'expected 1–100 characters; got 101 characters: "' + "N" * 59 + '…"',
    ),
    (
        {"father_name": "Ali\nKhan"},
        "father_name",
        'expected a name on one line; got a line break, tab or control character in "Ali Khan"',
    ),
    ({"gender": None}, "gender", REQUIRED),
    ({"gender": "woman"}, "gender", 'expected M, F or X (or male/female); got "woman"'),
    ({"gender": "FM"}, "gender", 'expected M, F or X (or male/female); got "FM"'),
    ({"domicile_district": None}, "domicile_district", REQUIRED),
    (
        {"domicile_district": "Karachi"},
        "domicile_district",
        'expected a district of geography test-1 (name or listed spelling); got "Karachi"',
    ),
    (
        {"domicile_basis": "father"},
        "domicile_basis",
        'expected own, husband or service_record (empty = own); got "father"',
    ),
    (
        {"domicile_basis": "husband"},  # gender M
        "domicile_basis",
        "a husband's domicile is only for a married woman (gender F); gender is M",
    ),
    (
        {"domicile_basis": "husband", "gender": "X"},
        "domicile_basis",
        "a husband's domicile is only for a married woman (gender F); gender is X",
    ),
    ({"minority": "maybe"}, "minority", FLAG + '"maybe"'),
    ({"disability": "2"}, "disability", FLAG + '"2"'),
    (
        {"in_service_years": "45.01"},
        "in_service_years",
        'expected a number from 0 to 45 with at most two decimals; got "45.01"',
    ),
    (
        {"in_service_years": "2.555"},
        "in_service_years",
        'expected a number from 0 to 45 with at most two decimals; got "2.555"',
    ),
    (
        {"in_service_years": "-1"},
        "in_service_years",
        'expected a number from 0 to 45 with at most two decimals; got "-1"',
    ),
    (
        {"in_service_years": "2,5"},
        "in_service_years",
        'expected a number from 0 to 45 with at most two decimals; got "2,5"',
    ),
    (
        {"in_service_years": "٢"},  # an Arabic-Indic digit is not read as 2
        "in_service_years",
        'expected a number from 0 to 45 with at most two decimals; got "٢"',
    ),
    ({"roll_number": "e 1"}, "roll_number", ID + '"e 1"'),
]
BAD = Batch([overrides for overrides, _, _ in BAD_FORMS])


@pytest.mark.parametrize(("overrides", "column", "reason"), BAD_FORMS)
def test_bad_forms(overrides: dict[str, str | None], column: str, reason: str) -> None:
    """Each bad form is rejected on its column with a sentence naming the expectation and the value seen."""
    record = BAD.rejected(overrides)
    assert (record["column"], record["reason"], record["other_errors"]) == (column, reason, None)


def test_reason_never_echoes_a_cnic() -> None:
    """A CNIC typed into another column is masked when the reason quotes the cell; the cnic column's own value
    is quoted with every digit hidden."""
    record = rejection(one(gender="54400-1234567-1", cnic="54400-1234567-12"))
    assert record["column"] == "cnic"
    assert record["reason"] == CNIC + '14 digits in "#####-#######-##"'
    assert record["other_errors"] == 'gender: expected M, F or X (or male/female); got "#####-#######-#"'
    name = rejection(one(name="x" * 90 + "5440012345671"))
    assert "1234567" not in name["reason"]


def test_rejected_id_is_given_only_when_valid() -> None:
    """The rejected record repeats the application id when it passed its own check, and is null otherwise."""
    assert rejection(one(gender="?"))["application_id"] == "SA-2026-000123"
    assert rejection(one(application_id="bad id", gender="?"))["application_id"] is None


def test_first_failing_column_and_the_others() -> None:
    """Column order is the table order of formats.md §1: the first failing column leads, the rest are listed
    as ``column: reason`` joined by ``; ``."""
    record = rejection(one(cnic="1", gender="?", dob="2001-02-29", minority="maybe", post_code=None))
    assert record["column"] == "post_code"
    assert record["reason"] == REQUIRED
    assert record["other_errors"] == (
        'cnic: expected 13 digits as XXXXX-XXXXXXX-X or without dashes; got 1 digit in "#"; '
        'dob: no such date: "2001-02-29" (February 2001 has 28 days); '
        'gender: expected M, F or X (or male/female); got "?"; '
        'minority: expected yes or no (y/n, 1/0, true/false) or empty; got "maybe"'
    )
