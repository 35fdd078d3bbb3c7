"""read_table: CSV and XLSX into all-String frames with spreadsheet row numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter  # type: ignore[import-untyped]

from shafaf.core.errors import TableError
from shafaf.core.tables import find_column, read_table, require_column

URDU = "محمد اسلم"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_csv_with_bom_urdu_and_whitespace(tmp_path: Path) -> None:
    """BOM ignored, header trimmed (case kept), Urdu kept byte for byte, cell whitespace kept, empty ->
    null."""
    text = f"\ufeff application_id ,Name,dob\nA-1,{URDU}, 1999-02-28\nA-2,,\n"
    frame = read_table(_write(tmp_path / "apps.csv", text.encode("utf-8")))
    assert frame.columns == ["row", "application_id", "Name", "dob"]
    assert frame.schema["row"] == pl.Int64
    assert all(frame.schema[c] == pl.String for c in frame.columns[1:])
    assert frame.rows() == [(2, "A-1", URDU, " 1999-02-28"), (3, "A-2", None, None)]
    assert frame.item(0, "Name").encode("utf-8") == URDU.encode("utf-8")


def test_csv_quoted_newline_is_one_row_and_blank_rows_keep_numbering(tmp_path: Path) -> None:
    """A quoted newline stays in its cell (one spreadsheet row); blank lines are skipped without renumbering;
    a quoted empty field is null like an unquoted one."""
    data = b'id,note\r\n1,"two\nlines"\r\n\r\n3,""\r\n,x\r\n\r\n'
    frame = read_table(_write(tmp_path / "t.csv", data))
    assert frame.rows() == [(2, "1", "two\nlines"), (4, "3", None), (5, None, "x")]


def test_csv_leading_blank_lines_move_the_header(tmp_path: Path) -> None:
    """The header is the first non-empty row; row numbers stay those of the file."""
    frame = read_table(_write(tmp_path / "t.csv", b"\n\nid,v\n1,2\n"))
    assert frame.rows() == [(4, "1", "2")]


def test_csv_numbers_are_not_inferred(tmp_path: Path) -> None:
    """Leading zeros, CNIC dashes and decimals stay text exactly as written."""
    frame = read_table(_write(tmp_path / "t.csv", b"cnic,pct,code\n54400-1234567-1,061.50,007\n"))
    assert frame.row(0) == (2, "54400-1234567-1", "061.50", "007")


def test_csv_short_row_is_padded_long_row_is_refused(tmp_path: Path) -> None:
    """Missing trailing cells are empty; a row with more fields than the header is a TableError naming it."""
    assert read_table(_write(tmp_path / "a.csv", b"a,b,c\n1\n")).row(0) == (2, "1", None, None)
    with pytest.raises(TableError, match=r"row 3 has more fields than the header"):
        read_table(_write(tmp_path / "b.csv", b"a,b\n1,2\n1,2,3\n"))


def test_unnamed_empty_column_is_ignored_but_unnamed_data_is_refused(tmp_path: Path) -> None:
    """Trailing commas make an unnamed empty column (ignored); data under no header is refused."""
    assert read_table(_write(tmp_path / "a.csv", b"a,b,\n1,2,\n")).columns == ["row", "a", "b"]
    with pytest.raises(TableError, match=r"column 3 .* has data but no header"):
        read_table(_write(tmp_path / "b.csv", b"a,b,\n1,2,3\n"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\n\n", "empty"),
        (b"a,A \n1,2\n", "duplicate column name"),
        (b"Row,b\n1,2\n", "reserved"),
        (b"a,b\n\xff\xfe,2\n", "UTF-8"),
    ],
)
def test_csv_structural_errors(tmp_path: Path, data: bytes, message: str) -> None:
    """Empty files, duplicate names (ignoring case and spaces), the reserved name and bad encodings fail
    whole."""
    path = _write(tmp_path / "bad.csv", data)
    with pytest.raises(TableError, match=message) as info:
        read_table(path)
    assert info.value.source == str(path)


def test_missing_file_and_unsupported_extension(tmp_path: Path) -> None:
    """A missing file and an unknown extension are TableErrors naming the file."""
    with pytest.raises(TableError, match="not found"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(TableError, match="unsupported file type"):
        read_table(_write(tmp_path / "x.txt", b"a\n1\n"))
    with pytest.raises(TableError, match="sheet"):
        read_table(_write(tmp_path / "x.csv", b"a\n1\n"), sheet="Main")


def _workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Applications")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["application_id", "Name", "dob", "percent", "count", "cnic", "flag"])
    sheet.write_row(1, 0, ["A-1", URDU])
    sheet.write_datetime(1, 2, dt.datetime(1999, 2, 28), date_format)
    sheet.write_number(1, 3, 61.25)
    sheet.write_number(1, 4, 3)
    sheet.write_number(1, 5, 5440012345671)
    sheet.write_boolean(1, 6, True)
    sheet.write_row(2, 0, ["A-2", "  Ali  "])
    sheet.write_number(2, 3, 70.0)
    sheet.write_string(2, 4, "007")
    # row 4 left empty on purpose
    sheet.write_string(4, 0, "A-4")
    sheet.write_datetime(
        4, 2, dt.datetime(2021, 8, 14, 13, 5), book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    )
    other = book.add_worksheet("Other")
    other.write_row(2, 1, ["h1", "h2"])  # a table starting at B3
    other.write_row(3, 1, ["v1", "v2"])
    book.close()
    return path


def test_xlsx_cells_as_displayed_text(tmp_path: Path) -> None:
    """Dates -> YYYY-MM-DD, integer-valued numbers without .0, text (Urdu, spaces, leading zeros) kept,
    empty cells null, an empty spreadsheet row skipped without renumbering."""
    frame = read_table(_workbook(tmp_path / "apps.xlsx"), sheet="Applications")
    assert frame.columns == ["row", "application_id", "Name", "dob", "percent", "count", "cnic", "flag"]
    assert frame.rows() == [
        (2, "A-1", URDU, "1999-02-28", "61.25", "3", "5440012345671", "true"),
        (3, "A-2", "  Ali  ", None, "70", "007", None, None),
        (5, "A-4", None, "2021-08-14 13:05:00", None, None, None, None),
    ]


def test_xlsx_named_sheet_row_numbers_are_absolute(tmp_path: Path) -> None:
    """A named sheet is read; a header on row 3 gives the first data row number 4."""
    frame = read_table(_workbook(tmp_path / "apps.xlsx"), sheet="Other")
    assert frame.rows() == [(4, "v1", "v2")]
    with pytest.raises(TableError, match="sheet 'Missing' not found"):
        read_table(tmp_path / "apps.xlsx", sheet="Missing")


def test_xlsx_not_a_workbook(tmp_path: Path) -> None:
    """A file named .xlsx that is not a workbook is a TableError."""
    with pytest.raises(TableError, match="cannot read the file as XLSX"):
        read_table(_write(tmp_path / "fake.xlsx", b"id,name\n1,x\n"))


def test_csv_and_xlsx_give_the_same_frame(tmp_path: Path) -> None:
    """The same table saved as CSV and as XLSX reads identically (text cells)."""
    rows = [["roll_number", "interview"], ["e1", "12.5"], ["e2", ""], ["e3", "7"]]
    csv_path = _write(tmp_path / "m.csv", "\n".join(",".join(r) for r in rows).encode())
    book = xlsxwriter.Workbook(str(tmp_path / "m.xlsx"))
    sheet = book.add_worksheet()
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v:
                sheet.write_string(i, j, v)
    book.close()
    assert read_table(csv_path).equals(read_table(tmp_path / "m.xlsx"))


def test_find_and_require_column() -> None:
    """Names match ignoring case and surrounding spaces; a missing required column names the file."""
    frame = pl.DataFrame({"row": [2], "Roll_Number": ["e1"]})
    assert find_column(frame, " roll_number ") == "Roll_Number"
    assert find_column(frame, "missing") is None
    with pytest.raises(TableError, match="required column 'EID' not found") as info:
        require_column(frame, "EID", source="marks.csv")
    assert info.value.source == "marks.csv"


def test_brackets_and_stars_in_a_path_are_not_glob_patterns(tmp_path: Path) -> None:
    """`cand[1].csv` is read as itself, never as the pattern matching `cand1.csv`."""
    (tmp_path / "cand[1].csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "cand1.csv").write_text("a,b\n9,9\n3,4\n", encoding="utf-8")
    frame = read_table(tmp_path / "cand[1].csv")
    assert frame.select("a", "b").rows() == [("1", "2")]


def test_a_workbook_with_data_on_two_sheets_is_refused(tmp_path: Path) -> None:
    """Rows on a second sheet would be lost silently, so the file is refused naming the sheets."""
    import xlsxwriter

    path = tmp_path / "two.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name, rows in (("first", [["a"], ["1"]]), ("second", [["a"], ["2"]]), ("empty", [])):
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()
    with pytest.raises(TableError, match="data on more than one sheet \\('first', 'second'\\)"):
        read_table(path)
