"""Reading tabular input files (CSV or XLSX) into all-String polars frames.

Contract of ``read_table`` (used by intake and marks; keep it stable):

- Every column is ``String``; nothing is inferred. An empty cell is null; any other text is kept exactly,
  whitespace included (callers trim). Urdu and mixed-script text round-trips byte for byte.
- A leading ``row`` column (Int64) holds the *spreadsheet row number* a clerk sees: the header is the first
  non-empty row (row 1 in a normal file) and the first data row is the next one. Rows whose every cell is
  empty are skipped, without renumbering the others. ``row`` is therefore a reserved header name.
- Header names are trimmed (case kept); two names equal after trimming and case-folding are refused, and so is
a
  column with data but no header. ``find_column`` matches names case-insensitively.
- CSV: UTF-8, a byte-order mark is ignored, RFC 4180 quoting (a quoted field may hold newlines and counts as
one
  row, as in a spreadsheet program). A row with more fields than the header is refused, naming the row.
- XLSX: read with calamine (the ``fastexcel`` package, which is what ``pl.read_excel(engine="calamine")``
calls;
  we call it directly because polars 1.44 emits a FutureWarning on that path and drops empty rows, which would
  shift row numbers). Each cell becomes the text of its value: integer-valued numbers without ``.0``
  (``3``, not ``3.0``), other numbers in shortest round-trip form (``61.25``), dates as ``YYYY-MM-DD`` (a time
  other than midnight is kept: ``2021-08-14 13:05:00``), booleans ``true``/``false``, formula errors as empty.
  Display formats (thousands separators, percent signs, date styles) are not applied.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from shafaf.core.errors import TableError

__all__ = ["ROW_COLUMN", "find_column", "read_table", "require_column"]

ROW_COLUMN = "row"
_CSV_SUFFIXES = (".csv",)
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?$")


def read_table(path: Path, *, sheet: str | None = None) -> pl.DataFrame:
    """Read a CSV or XLSX file: a leading Int64 ``row`` column, then every column as String (see module doc).

    ``sheet`` names the XLSX sheet to read (default: the first); it is refused for a CSV file. Raises
    ``TableError`` naming the file for a missing or unreadable file, an empty file (no header), a duplicate or
    missing header name, a reserved ``row`` header, or an unsupported extension.
    """
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in _CSV_SUFFIXES + _XLSX_SUFFIXES:
        raise TableError(source, f"unsupported file type {path.suffix or '(none)'!r}; expected .csv or .xlsx")
    if not path.is_file():
        raise TableError(source, "file not found")
    if suffix in _CSV_SUFFIXES:
        if sheet is not None:
            raise TableError(source, f"a sheet name ({sheet!r}) was given but a CSV file has no sheets")
        raw = _read_csv_raw(path, source)
    else:
        raw = _read_xlsx_raw(path, source, sheet)
    return _shape(raw, source)


def find_column(frame: pl.DataFrame, name: str) -> str | None:
    """The column of ``frame`` whose name equals ``name`` after trimming and case-folding, or None."""
    wanted = name.strip().casefold()
    for column in frame.columns:
        if column.strip().casefold() == wanted:
            return column
    return None


def require_column(frame: pl.DataFrame, name: str, *, source: str, purpose: str = "") -> str:
    """Like ``find_column`` but a missing column raises ``TableError`` naming the file and the expectation."""
    found = find_column(frame, name)
    if found is None:
        why = f" ({purpose})" if purpose else ""
        raise TableError(
            source, f"required column {name!r} not found{why}; columns are {_list(frame.columns)}"
        )
    return found


def _list(names: Sequence[str]) -> str:
    shown = [repr(n) for n in names if n != ROW_COLUMN][:20]
    more = len(names) - 1 - len(shown) if ROW_COLUMN in names else len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _first_record(path: Path, source: str) -> tuple[int, list[str]] | None:
    """Index (0-based, in records) and fields of the first non-empty CSV record, or None for an empty file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for index, record in enumerate(csv.reader(handle)):
                if any(field != "" for field in record):
                    return index, record
    except UnicodeDecodeError as exc:
        raise TableError(source, _not_utf8(path)) from exc
    except (OSError, csv.Error) as exc:
        raise TableError(source, f"cannot read the file: {exc}") from exc
    return None


def _ragged_row(path: Path, width: int) -> int | None:
    """Spreadsheet row number of the first record with more than ``width`` fields (error path only)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for index, record in enumerate(csv.reader(handle)):
            if len(record) > width and any(field != "" for field in record[width:]):
                return index + 1
    return None


def _read_csv_raw(path: Path, source: str) -> pl.DataFrame:
    """All records, header included, as String columns ``c0..c{n-1}``; row i is spreadsheet row i + 1."""
    first = _first_record(path, source)
    if first is None:
        raise TableError(source, "the file is empty: expected a header row and data rows")
    width = len(first[1])
    schema = {f"c{i}": pl.String for i in range(width)}
    try:
        # an open handle, never the path: polars expands *, ? and [..] in a path string as a glob pattern
        with path.open("rb") as handle:
            frame = pl.read_csv(
                handle,
                has_header=False,
                schema=schema,
                encoding="utf8",
                empty_string_is_null=True,
                raise_if_empty=False,
            )
    except pl.exceptions.ComputeError as exc:
        text = str(exc)
        if "more fields" in text:
            row = _ragged_row(path, width)
            where = f"row {row}" if row is not None else "a row"
            raise TableError(
                source, f"{where} has more fields than the header ({width} columns); check commas and quotes"
            ) from exc
        if "utf-8" in text.lower():
            raise TableError(source, _not_utf8(path)) from exc
        if any(w in text.lower() for w in ("malformed", "quote", "could not parse")):
            raise TableError(
                source,
                'cannot split the file into rows: a double quote (") inside a cell is probably not closed or not '
                'doubled; in CSV a quote inside a quoted cell is written twice (""). Save the sheet again as '
                "CSV UTF-8 from the spreadsheet program",
            ) from exc
        raise TableError(source, f"cannot read the file as CSV: {text.splitlines()[0]}") from exc
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise TableError(source, f"cannot read the file as CSV: {str(exc).splitlines()[0]}") from exc
    # polars reads a quoted empty field ("") as an empty string; a clerk sees an empty cell either way.
    return frame.with_columns(
        pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in schema
    )


def _not_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        row = data[: err.start].count(b"\n") + 1
        return (
            f"row {row} is not valid UTF-8 text (byte {err.start}: {data[err.start : err.start + 1]!r}); "
            "save the file as 'CSV UTF-8' from the spreadsheet program"
        )
    return "not valid UTF-8 text; save the file as 'CSV UTF-8'"


def _read_xlsx_raw(path: Path, source: str, sheet: str | None) -> pl.DataFrame:
    import fastexcel  # local import: only XLSX reading needs it

    try:
        reader = fastexcel.read_excel(path)
        names = reader.sheet_names
        if sheet is not None and sheet not in names:
            raise TableError(source, f"sheet {sheet!r} not found; sheets are {', '.join(map(repr, names))}")
        if not names:
            raise TableError(source, "the workbook has no sheets")
        if sheet is None and len(names) > 1:
            # rows on a second sheet would be silently ignored: refuse unless the other sheets are empty
            filled = [n for n in names[1:] if reader.load_sheet(n, header_row=None, n_rows=1).height > 0]
            if filled:
                raise TableError(
                    source,
                    f"the workbook has data on more than one sheet ({', '.join(map(repr, [names[0], *filled]))}); "
                    "only the first sheet would be read: put all rows on one sheet",
                )
        loaded = reader.load_sheet(
            sheet if sheet is not None else 0, header_row=None, skip_rows=0, dtypes="string"
        )
        frame = pl.DataFrame(loaded.to_polars())
    except TableError:
        raise
    except Exception as exc:  # fastexcel raises its own hierarchy plus OSError/ValueError for broken zips
        raise TableError(source, f"cannot read the file as XLSX: {str(exc).splitlines()[0]}") from exc
    columns = [f"c{i}" for i in range(frame.width)]
    frame = frame.rename(dict(zip(frame.columns, columns, strict=True)))
    # Calamine writes date cells as "YYYY-MM-DD 00:00:00"; the formats use plain dates.
    return frame.with_columns(pl.col(c).str.replace(_MIDNIGHT.pattern, "${1}") for c in columns)


def _shape(raw: pl.DataFrame, source: str) -> pl.DataFrame:
    """Find the header, check its names, number the rows and drop the all-empty ones."""
    columns = raw.columns
    if not columns:
        raise TableError(source, "the file is empty: expected a header row and data rows")
    numbered = raw.with_row_index("__index").with_columns(
        (pl.col("__index").cast(pl.Int64) + 1).alias("__row"),
        pl.any_horizontal(pl.col(c).is_not_null() for c in columns).alias("__filled"),
    )
    filled = numbered.filter(pl.col("__filled"))
    if filled.height == 0:
        raise TableError(source, "the file is empty: expected a header row and data rows")
    header_values = filled.row(0, named=True)
    header_row = int(header_values["__row"])
    data = filled.slice(1)
    names: list[str] = []
    keep: list[str] = []
    seen: dict[str, int] = {}
    for index, column in enumerate(columns):
        raw_name = header_values[column]
        name = raw_name.strip() if raw_name is not None else ""
        if name == "":
            if data.get_column(column).is_not_null().any():
                raise TableError(
                    source, f"column {index + 1} (row {header_row}) has data but no header name; name it"
                )
            continue  # an unnamed, empty column (trailing commas, an empty spreadsheet column): ignore it
        folded = name.casefold()
        if folded == ROW_COLUMN:
            raise TableError(
                source, f"column name {name!r} is reserved for the row number; rename the column"
            )
        if folded in seen:
            raise TableError(
                source,
                f"duplicate column name {name!r} (columns {seen[folded] + 1} and {index + 1}); "
                "column names must be unique ignoring case",
            )
        seen[folded] = index
        names.append(name)
        keep.append(column)
    if not names:
        raise TableError(source, "the header row has no column names")
    data = data.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in keep))
    return data.select(
        pl.col("__row").alias(ROW_COLUMN),
        *(pl.col(c).alias(n) for c, n in zip(keep, names, strict=True)),
    )
