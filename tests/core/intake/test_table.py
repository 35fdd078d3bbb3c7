"""The table as a whole: required and ignored columns, schemas, row order and numbers, duplicates, and the
reconciliation ``rows_in == accepted + rejected``."""

from __future__ import annotations

import polars as pl
import pytest

from shafaf.core.errors import TableError
from shafaf.core.intake import ACCEPTED_SCHEMA, REJECTED_SCHEMA, REQUIRED_COLUMNS
from tests.core.intake.factory import COLUMNS, distinct, frame, row, validate


def test_missing_required_columns_stop_the_run() -> None:
    """Without cnic and dob the file is refused as a whole, naming the missing and the found columns."""
    raw = frame([row()]).drop("cnic", "dob", "experience")
    with pytest.raises(TableError) as caught:
        validate(raw, source="apps.csv")
    assert str(caught.value) == (
        "apps.csv: missing required column(s) cnic, dob; found: application_id, post_code, name, father_name, "
        "gender, domicile_district, domicile_basis, minority, disability, in_service_years, qualifications, "
        "relaxations, roll_number"
    )


def test_optional_columns_may_be_absent() -> None:
    """A file with only the required columns is read with the optional ones at their defaults."""
    raw = frame([{c: row()[c] for c in REQUIRED_COLUMNS}])
    result = validate(raw)
    record = result.accepted.to_dicts()[0]
    assert (record["roll_number"], record["domicile_basis"], record["minority"], record["disabled"]) == (
        "SA-2026-000123",
        "own",
        False,
        False,
    )
    assert (record["in_service_x100"], record["experience"], record["relaxations"]) == (0, [], [])
    assert result.ignored_columns == ()


def test_column_names_case_insensitive_and_unknown_ones_ignored() -> None:
    """Headers match after trimming and case-folding; columns intake does not know are listed as written."""
    raw = (
        frame([row()])
        .rename({"cnic": " CNIC ", "dob": "DoB"})
        .with_columns(pl.lit("x").alias("Remarks"), pl.lit("y").alias("disabled"))
    )
    result = validate(raw)
    assert result.accepted.height == 1
    assert result.ignored_columns == ("Remarks", "disabled")  # the input column is called "disability"


def test_a_column_named_twice_is_refused() -> None:
    """Two columns that fold to the same name (possible only in a frame built by hand) stop the run."""
    raw = frame([row()]).with_columns(pl.lit("F").alias("Gender"))
    with pytest.raises(TableError, match=r"column\(s\) named more than once: Gender"):
        validate(raw)


def test_schemas_are_exact() -> None:
    """Accepted and rejected frames carry exactly the documented names and dtypes, even when empty."""
    result = validate(frame([row(), row(application_id="x y")]))
    assert result.accepted.schema == ACCEPTED_SCHEMA
    assert result.rejected.schema == REJECTED_SCHEMA
    empty = validate(frame([]))
    assert (empty.rows_in, empty.accepted.schema, empty.rejected.schema) == (
        0,
        ACCEPTED_SCHEMA,
        REJECTED_SCHEMA,
    )


def test_rows_reconcile_and_keep_spreadsheet_numbers() -> None:
    """Every input row comes out exactly once, accepted or rejected, under its spreadsheet row number, sorted."""
    rows = distinct([row(), row(gender="?"), row(), row(dob="x"), row()])
    raw = frame(rows, first_row=10)
    result = validate(raw)
    assert result.rows_in == 5 == result.accepted.height + result.rejected.height
    assert result.accepted["row"].to_list() == [10, 12, 14]
    assert result.rejected["row"].to_list() == [11, 13]


def test_rows_are_sorted_by_row_number() -> None:
    """A frame whose rows are not in spreadsheet order comes out sorted by row."""
    raw = frame(distinct([row(), row(gender="?"), row()])).with_columns(pl.Series("row", [9, 3, 5]))
    result = validate(raw)
    assert result.accepted["row"].to_list() == [5, 9]
    assert result.rejected["row"].to_list() == [3]


def test_rows_numbered_from_two_without_a_row_column() -> None:
    """Without read_table's row column the rows are numbered 2, 3, … in order (header = row 1)."""
    raw = frame(distinct([row(), row(gender="?")])).drop("row")
    assert validate(raw).rejected["row"].to_list() == [3]


def test_duplicate_cnic_for_a_post() -> None:
    """The same CNIC twice for one post: the later row is rejected naming the earlier one (17 here)."""
    rows = distinct([row() for _ in range(4)])
    rows[3]["cnic"] = rows[0]["cnic"]
    result = validate(frame(rows, first_row=17))
    assert result.rejected.to_dicts() == [
        {
            "row": 20,
            "application_id": "SA-4",
            "column": "cnic",
            "reason": "duplicate CNIC for post SUB-ACC: same as row 17",
            "other_errors": None,
        }
    ]
    assert (result.duplicates, result.accepted["row"].to_list()) == (1, [17, 18, 19])


def test_same_cnic_on_two_posts_is_fine() -> None:
    """One row per candidate per post: the same CNIC on SUB-ACC and JR-CLERK is two applications."""
    rows = distinct([row(), row(post_code="JR-CLERK")])
    rows[1]["cnic"] = rows[0]["cnic"]
    result = validate(frame(rows))
    assert (result.accepted.height, result.duplicates) == (2, 0)


def test_cnic_written_two_ways_is_still_a_duplicate() -> None:
    """Duplicates are found on the normalised CNIC: with and without dashes is the same person."""
    rows = distinct([row(), row()])
    rows[0]["cnic"], rows[1]["cnic"] = "54400-1234567-1", "5440012345671"
    result = validate(frame(rows))
    assert result.rejected["reason"].to_list() == ["duplicate CNIC for post SUB-ACC: same as row 2"]


def test_duplicate_application_id_anywhere() -> None:
    """A repeated application id is rejected even on another post with another CNIC; all later copies name
    the first."""
    rows = distinct([row(), row(post_code="JR-CLERK"), row()])
    rows[1]["application_id"] = rows[2]["application_id"] = rows[0]["application_id"]
    result = validate(frame(rows))
    assert result.rejected.select("row", "column", "reason").to_dicts() == [
        {"row": 3, "column": "application_id", "reason": "duplicate application_id: same as row 2"},
        {"row": 4, "column": "application_id", "reason": "duplicate application_id: same as row 2"},
    ]
    assert result.duplicates == 2


def test_duplicate_checks_count_only_otherwise_valid_rows() -> None:
    """A broken row is rejected for its own fault and is neither a duplicate nor the original of one: the
    later valid copy of its CNIC is accepted."""
    rows = distinct([row(gender="?"), row(), row()])
    rows[1]["cnic"] = rows[0]["cnic"]
    rows[2]["cnic"] = rows[0]["cnic"]
    result = validate(frame(rows))
    assert result.rejected.select("row", "column", "reason").to_dicts() == [
        {"row": 2, "column": "gender", "reason": 'expected M, F or X (or male/female); got "?"'},
        {"row": 4, "column": "cnic", "reason": "duplicate CNIC for post SUB-ACC: same as row 3"},
    ]
    assert (result.accepted["row"].to_list(), result.duplicates) == ([3], 1)


def test_a_row_repeating_an_id_is_not_also_a_cnic_original() -> None:
    """The application-id check runs first; a row it rejects does not make a later row a CNIC duplicate."""
    rows = distinct([row(), row(), row()])
    rows[1]["application_id"] = rows[0]["application_id"]  # row 3 repeats row 2's id
    rows[2]["cnic"] = rows[1]["cnic"]  # row 4 shares row 3's CNIC
    result = validate(frame(rows))
    assert result.rejected.select("row", "column").to_dicts() == [{"row": 3, "column": "application_id"}]
    assert result.accepted["row"].to_list() == [2, 4]


def test_columns_in_canonical_order() -> None:
    """The accepted frame's columns are in the documented order, whatever the input order."""
    raw = frame([row()]).select("row", *reversed(COLUMNS))
    assert validate(raw).accepted.columns == list(ACCEPTED_SCHEMA.names())
