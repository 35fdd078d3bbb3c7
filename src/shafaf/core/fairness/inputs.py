"""Reading the audit's columns: category labels, binary outcomes and scores (vectorised, strict).

Row numbers in messages are spreadsheet numbers (docs/formats.md): data row ``i`` (0-based) is row ``i + 2``,
the header being row 1.

Labels (fairness.md §2.1, §2.9):
- a String (or Categorical/Enum, or all-null) label is the value with surrounding Unicode whitespace
  removed; case and every other character are kept, so "1", "1.0" and "01" are three different labels, as
  are "F" and "f";
- an integer label is rendered in decimal ("1", "-3"), a Boolean label as "true"/"false";
- null, or a string that is empty after trimming, is *unknown*;
- a polars column has one dtype, so within a column no two spellings of a value can mix; an integer column
  holding 1 and a String column holding "1" are different columns (different attributes) and are never merged.
Other dtypes (floats, dates, ...) are refused: a float label such as 1.0 has no canonical text.
"""

from __future__ import annotations

import polars as pl

from shafaf.core.errors import InputError, TableError

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "binary_values",
    "label_expr",
    "label_expr_for",
    "require_columns",
    "score_values",
]

#: Accepted spellings of a binary outcome in a text column, compared after trimming and lower-casing.
TRUE_WORDS = ("1", "true", "yes", "y")
FALSE_WORDS = ("0", "false", "no", "n")
_BINARY_EXPECTED = "expected 1/0, true/false, yes/no or y/n (any case)"
# Plain decimal numbers: optional sign, digits with an optional fraction, no exponent, no thousands separator.
_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"


def _row(index: int) -> int:
    return index + 2


def _shown(value: object) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return "an empty value" if not value.strip() else repr(value)
    return repr(value)


def _is_text(dtype: pl.DataType) -> bool:
    # A Null-typed column (every value missing, no declared type) reads like empty text.
    return dtype in (pl.String, pl.Null) or isinstance(dtype, pl.Categorical | pl.Enum)


def require_columns(frame: pl.DataFrame, columns: list[str], *, source: str) -> None:
    """Raise :class:`TableError` naming every column of ``columns`` missing from ``frame``."""
    present = set(frame.columns)
    missing = [c for c in dict.fromkeys(columns) if c not in present]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        raise TableError(source, f"missing column(s) {names}; the table has {len(frame.columns)} column(s)")


def _first_bad(frame: pl.DataFrame, bad: pl.Series, column: str) -> tuple[int, object] | None:
    hits = bad.arg_true()
    if hits.len() == 0:
        return None
    index = int(hits[0])
    return _row(index), frame.get_column(column)[index]


def binary_values(
    frame: pl.DataFrame, column: str, *, source: str, scope: pl.Series | None = None
) -> pl.Series:
    """The column as a Boolean series: Boolean, integer 0/1, or text in 1/0, true/false, yes/no, y/n.

    Every row in ``scope`` (all rows when None) must hold a valid value; the first row that does not (null
    included) raises :class:`InputError` naming the column, the spreadsheet row and the value seen. Rows out
    of scope are null in the result.
    """
    dtype = frame.schema[column]
    col = pl.col(column)
    if dtype == pl.Boolean:
        expr = col
    elif dtype.is_integer():
        expr = pl.when(col == 1).then(pl.lit(True)).when(col == 0).then(pl.lit(False)).otherwise(None)
    elif _is_text(dtype):
        word = col.cast(pl.String).str.strip_chars().str.to_lowercase()
        expr = (
            pl.when(word.is_in(TRUE_WORDS))
            .then(pl.lit(True))
            .when(word.is_in(FALSE_WORDS))
            .then(pl.lit(False))
            .otherwise(None)
        )
    else:
        raise TableError(
            source,
            f"column {column!r} has type {dtype}; {_BINARY_EXPECTED}, as Boolean, integer 0/1 or text",
        )
    values = frame.select(expr.cast(pl.Boolean).alias(column)).to_series()
    bad = values.is_null() if scope is None else values.is_null() & scope
    first = _first_bad(frame, bad, column)
    if first is not None:
        row, seen = first
        raise InputError(source, f"row {row}, column {column!r}: {_BINARY_EXPECTED}; got {_shown(seen)}")
    if scope is None:
        return values
    return pl.select(pl.when(scope).then(values).otherwise(None).alias(column)).to_series()


def score_values(frame: pl.DataFrame, column: str, *, source: str) -> pl.Series:
    """The score column as Float64; null means *not scored*.

    Numeric dtypes are taken as they are. Text is trimmed; empty means not scored; anything else must be a
    plain decimal number (``-12``, ``3.5``, ``.25``; no exponent, no thousands separator). A value that is not
    a number, NaN or infinite raises :class:`InputError` naming the row. Scores are compared as IEEE doubles:
    two different decimals with at most 15 significant digits stay different and keep their order.
    """
    dtype = frame.schema[column]
    col = pl.col(column)
    if dtype.is_numeric():
        values = frame.select(col.cast(pl.Float64)).to_series()
    elif _is_text(dtype):
        text = col.cast(pl.String).str.strip_chars()
        text = pl.when(text == "").then(pl.lit(None, dtype=pl.String)).otherwise(text)
        parsed = frame.select(
            (text.is_null() | text.str.contains(_DECIMAL)).alias("ok"),
            pl.when(text.str.contains(_DECIMAL)).then(text).otherwise(None).cast(pl.Float64).alias("v"),
        )
        first = _first_bad(frame, parsed.get_column("ok").not_(), column)
        if first is not None:
            row, seen = first
            raise InputError(
                source, f"row {row}, column {column!r}: expected a decimal number; got {_shown(seen)}"
            )
        values = parsed.get_column("v").alias(column)
    else:
        raise TableError(source, f"column {column!r} has type {dtype}; expected numeric scores")
    first = _first_bad(frame, (values.is_nan() | values.is_infinite()).fill_null(False), column)
    if first is not None:
        row, seen = first
        raise InputError(
            source, f"row {row}, column {column!r}: expected a finite number; got {_shown(seen)}"
        )
    return values


def label_expr(frame: pl.DataFrame, column: str, *, source: str) -> pl.Expr:
    """An expression giving the column's labels as strings, null where unknown (see the module docstring)."""
    return label_expr_for(column, frame.schema[column], source=source)


def label_expr_for(column: str, dtype: pl.DataType, *, source: str, name: str | None = None) -> pl.Expr:
    """:func:`label_expr` for a column of type ``dtype``; messages call it ``name`` (default ``column``).

    The expression keeps the column's name.
    """
    col = pl.col(column)
    if _is_text(dtype):
        text = col.cast(pl.String).str.strip_chars()
        return pl.when(text == "").then(pl.lit(None, dtype=pl.String)).otherwise(text).alias(column)
    if dtype.is_integer() or dtype == pl.Boolean:
        return col.cast(pl.String)
    shown = column if name is None else name
    raise TableError(
        source,
        f"column {shown!r} has type {dtype}; category labels must be text, integers or Boolean",
    )
