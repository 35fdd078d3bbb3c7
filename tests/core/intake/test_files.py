"""Reading real files through ``read_applications`` (``read_table`` + validation): CSV with Urdu and
mixed-script names surviving byte for byte, and XLSX with number and date cells."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import xlsxwriter  # type: ignore[import-untyped]

from shafaf.core.intake import IntakeResult, read_applications
from tests.core.intake.factory import CEILINGS, DEGREES, GEOGRAPHY, GOOD, POSTS, RELAXATION_CODES

NAMES = [
    # Urdu with a zero-width non-joiner, and with harakat (combining marks) in decomposed order
    ("محمد\u200cاسلم", "عبدالکریم"),
    ("مُحَمَّد", "Abdul Karim"),
    # mixed scripts; "é" written decomposed (e + U+0301): NFC would change these bytes
    ("Ali علی Khan", "Jose\u0301 D'Souza"),
    # Pashto and Balochi letters
    ("ځلمی", "ښاغلی"),
]


def _read(path: Path) -> IntakeResult:
    return read_applications(
        path,
        posts=POSTS,
        geography=GEOGRAPHY,
        degree_lookup=DEGREES,
        relaxation_codes=RELAXATION_CODES,
        grant_ceilings=CEILINGS,
    )


def test_urdu_names_survive_a_csv_round_trip(tmp_path: Path) -> None:
    """Names read from a UTF-8 CSV (with BOM and padding) and written back by polars are the same bytes as
    the trimmed input: no Unicode normalisation anywhere."""
    source = tmp_path / "applications.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(GOOD))
        for k, (name, father) in enumerate(NAMES):
            cells = {**GOOD, "application_id": f"U-{k}", "cnic": f"54400-000000{k}-1", "name": f"  {name} "}
            cells["father_name"] = f"\t{father}"
            writer.writerow([cells[c] or "" for c in GOOD])
    result = _read(source)
    assert result.rejected.height == 0
    out = tmp_path / "names.csv"
    result.accepted.select("name", "father_name").write_csv(out)
    expected = "name,father_name\n" + "".join(f"{n},{f}\n" for n, f in NAMES)
    assert out.read_bytes() == expected.encode("utf-8")
    raw = source.read_bytes()
    assert all(n.encode("utf-8") in raw and f.encode("utf-8") in raw for n, f in NAMES)


def test_rejected_rows_carry_spreadsheet_row_numbers(tmp_path: Path) -> None:
    """A blank line in the CSV is skipped without renumbering: the bad row after it keeps its own number."""
    source = tmp_path / "applications.csv"
    header = ",".join(GOOD)
    good = ",".join(v or "" for v in GOOD.values())
    bad = good.replace("SA-2026-000123", "SA-2").replace(",M,", ",?,")
    source.write_text(f"{header}\n{good}\n\n{bad}\n", encoding="utf-8")
    result = _read(source)
    assert result.rejected.select("row", "application_id", "column").to_dicts() == [
        {"row": 4, "application_id": "SA-2", "column": "gender"}
    ]
    assert result.accepted["row"].to_list() == [2]


def test_xlsx_with_number_and_date_cells(tmp_path: Path) -> None:
    """An XLSX whose CNIC is a 13-digit number, DOB a date cell and service years a number is read as text
    by read_table and validated like a CSV."""
    path = tmp_path / "applications.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Applications")
    when = book.add_format({"num_format": "dd/mm/yyyy"})
    for col, name in enumerate(GOOD):
        sheet.write_string(0, col, name)
    values = {
        **GOOD,
        "name": "محمد اسلم",
        "gender": "F",
        "domicile_district": "Turbat",
        "minority": "yes",
        "qualifications": "BCom|Accounting|61.25|2021-08-14;Matric|Science|80|2015",
    }
    for col, name in enumerate(GOOD):
        value = values[name]
        if name == "cnic":
            sheet.write_number(1, col, 5440012345672)
        elif name == "dob":
            sheet.write_datetime(1, col, datetime(1999, 2, 28), when)
        elif name == "in_service_years":
            sheet.write_number(1, col, 2.5)
        elif value is not None:
            sheet.write_string(1, col, value)
    book.close()
    result = _read(path)
    record = result.accepted.to_dicts()[0]
    assert (record["row"], record["cnic"], record["dob"], record["in_service_x100"]) == (
        2,
        "54400-1234567-2",
        date(1999, 2, 28),
        250,
    )
    assert (record["name"], record["gender"], record["domicile_district"], record["minority"]) == (
        "محمد اسلم",
        "F",
        "Kech",
        True,
    )
    assert [q["degree"] for q in record["qualifications"]] == ["BCom", "Matric"]
