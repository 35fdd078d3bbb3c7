"""Vectorised parsers for single cells: dates, fixed-point decimals, yes/no flags, quoting values in reasons.

Every parser works on whole columns and never raises on bad input: a cell that does not parse gets a null value
and a non-null ``*_error`` column. Intake runs every check twice (see ``applications``): once over all rows with
``explain=False``, where an error is only a marker and nothing is formatted, then with ``explain=True`` over the
failing rows alone, where each error becomes a sentence naming the expected format and the value seen. Formatting
sentences for a million valid rows would cost more than all the checks together.

Digits are matched with ``[0-9]``, never ``\\d``: in the regex engine ``\\d`` also matches Arabic-Indic digits,
which do not cast to integers.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

ECHO_LIMIT = 60
"""A reason quotes at most this many characters of the offending value (an ellipsis marks a cut)."""

REQUIRED = "required; the cell is empty"
FAILED = "failed"  # the marker an error carries when explain=False

# A CNIC, with or without separators, anywhere inside a value: masked before a value is quoted in a reason
# (rejected_rows.csv is shown to clerks and may be published; a CNIC is personal data).
_CNIC_SHAPE = r"[0-9]{5}[- ]?[0-9]{7}[- ]?[0-9]"
_CNIC_MASK = "#####-#######-#"

DATE_FORMATS = "YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, YYYY-MM or YYYY"
FULL_DATE_FORMATS = "YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY"
# No clock in core: a date "in the future" is eligibility's business; these bounds only stop typos (9999).
YEAR_MIN = 1900
YEAR_MAX = 2100

# Layout codes, recognised by anchored regexes (fast: no capture groups). Day and month have two digits.
_ISO, _DMY_SLASH, _DMY_DASH, _YEAR_MONTH, _YEAR = 1, 2, 3, 4, 5
_LAYOUTS = (
    (_ISO, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    (_DMY_SLASH, r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$"),
    (_DMY_DASH, r"^[0-9]{2}-[0-9]{2}-[0-9]{4}$"),
    (_YEAR_MONTH, r"^[0-9]{4}-[0-9]{2}$"),
    (_YEAR, r"^[0-9]{4}$"),
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# A partial date is resolved as domain.md §3 says: year only -> 1 July; year and month -> the 16th.
YEAR_ONLY_SUFFIX = "-07-01"
YEAR_MONTH_SUFFIX = "-16"

FLAG_TRUE = ("yes", "y", "1", "true")
FLAG_FALSE = ("no", "n", "0", "false")


def reason(explain: bool, template: str, *args: pl.Expr) -> pl.Expr:
    """An error sentence (``pl.format(template, *args)``) when explaining; otherwise the cheap marker."""
    return pl.format(template, *args) if explain else pl.lit(FAILED)


def echo(expr: pl.Expr) -> pl.Expr:
    """The value as a reason quotes it: in double quotes, control characters shown as spaces, anything shaped
    like a CNIC masked, cut to ``ECHO_LIMIT`` characters."""
    text = expr.str.replace_all(r"[\x00-\x1f\x7f]", " ").str.replace_all(_CNIC_SHAPE, _CNIC_MASK)
    cut = (
        pl.when(text.str.len_chars() > ECHO_LIMIT)
        .then(pl.concat_str(text.str.slice(0, ECHO_LIMIT - 1), pl.lit("…")))
        .otherwise(text)
    )
    return pl.concat_str(pl.lit('"'), cut, pl.lit('"'))


def quoter(explain: bool) -> Callable[[pl.Expr], pl.Expr]:
    """:func:`echo` when explaining; otherwise the expression itself, untouched (the fast pass never formats a
    sentence, so it need not even build the quoting expressions)."""
    return echo if explain else _unquoted


def _unquoted(expr: pl.Expr) -> pl.Expr:
    return expr


def echo_digits_masked(expr: pl.Expr) -> pl.Expr:
    """A value from the ``cnic`` column as a reason quotes it: every digit shown as ``#`` (the layout helps the
    clerk; the digits are never repeated)."""
    return echo(expr.str.replace_all(r"[0-9]", "#"))


def days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    """Gregorian month length; leap years are divisible by 4, except centuries not divisible by 400."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return (
        pl.when(month == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )


def patch_rows(frame: pl.DataFrame, where: pl.Expr, exprs: list[pl.Expr]) -> pl.DataFrame:
    """Recompute columns on the rows where ``where`` holds, leaving the others as they are.

    A ``when/then`` evaluates every branch on every row; this evaluates ``exprs`` on the selected rows only and
    scatters the results back. Used for the rare forms (a CNIC without dashes, spaces around list separators)
    so that they cost nothing when absent. Each expression must name an existing column.
    """
    mask = frame.select(where.fill_null(False)).to_series()
    if not mask.any():
        return frame
    index = mask.arg_true()
    fixed = frame.filter(mask).select(exprs)
    return frame.with_columns(
        frame[name].clone().scatter(index, fixed[name].cast(frame.schema[name])) for name in fixed.columns
    )


def date_layouts(values: pl.Series, *, partial: bool) -> tuple[int, ...]:
    """The layouts worth trying on a column of date text: ISO alone when every value is ISO (the usual case),
    otherwise each allowed layout that occurs. A ``when/then`` evaluates every branch on every row, so branches
    for layouts nobody used are left out."""
    present = values.drop_nulls()
    if present.str.contains(_LAYOUTS[0][1]).all():
        return (_ISO,)
    allowed = [(code, pattern) for code, pattern in _LAYOUTS if partial or code <= _DMY_DASH]
    return tuple(code for code, pattern in allowed if present.str.contains(pattern).any())


def parse_date(text: pl.Expr, layouts: tuple[int, ...]) -> pl.Expr:
    """A Date for text in one of ``layouts`` that names a real day (partial dates resolved as domain.md §3),
    else null. The year range is checked separately (:func:`date_in_range`)."""
    formats = {
        _ISO: (None, "%Y-%m-%d"),
        _DMY_SLASH: (None, "%d/%m/%Y"),
        _DMY_DASH: (None, "%d-%m-%Y"),
        _YEAR_MONTH: (YEAR_MONTH_SUFFIX, "%Y-%m-%d"),
        _YEAR: (YEAR_ONLY_SUFFIX, "%Y-%m-%d"),
    }
    patterns = dict(_LAYOUTS)
    date = pl.lit(None, pl.Date)
    for code in reversed(layouts):
        suffix, fmt = formats[code]
        full = pl.concat_str(text, pl.lit(suffix)) if suffix else text
        parsed = full.str.strptime(pl.Date, fmt, strict=False)
        date = pl.when(text.str.contains(patterns[code])).then(parsed).otherwise(date)
    return date


def date_in_range(date: pl.Expr) -> pl.Expr:
    """``date`` when its year is within 1900–2100, else null."""
    return pl.when(date.dt.year().is_between(YEAR_MIN, YEAR_MAX)).then(date)


def date_precision(text: pl.Expr, date: pl.Expr) -> pl.Expr:
    """ "day", "month" or "year": how much of a parsed date the text gave (null when it did not parse)."""
    length = text.str.len_bytes()
    return (
        pl.when(date.is_null())
        .then(pl.lit(None, pl.String))
        .when(length == len("YYYY-MM"))
        .then(pl.lit("month"))
        .when(length == len("YYYY"))
        .then(pl.lit("year"))
        .otherwise(pl.lit("day"))
    )


def date_error(
    text: pl.Expr, date: pl.Expr, *, partial: bool, explain: bool, or_else: str | None = None
) -> pl.Expr:
    """Null when ``text`` is null or parsed to ``date``; otherwise why not. ``or_else`` names a word the cell
    may hold instead of a date (``present``), for the sentence."""
    failed = text.is_not_null() & date.is_null()
    if not explain:
        return pl.when(failed).then(pl.lit(FAILED))
    lay = pl.lit(None, pl.UInt8)
    for code, pattern in reversed(_LAYOUTS):
        lay = pl.when(text.str.contains(pattern)).then(pl.lit(code, pl.UInt8)).otherwise(lay)
    dmy = lay.is_in([_DMY_SLASH, _DMY_DASH])
    year = (
        pl.when(dmy).then(text.str.slice(6, 4)).otherwise(text.str.slice(0, 4)).cast(pl.Int32, strict=False)
    )
    month = (
        pl.when(dmy).then(text.str.slice(3, 2)).otherwise(text.str.slice(5, 2)).cast(pl.Int32, strict=False)
    )
    month_name = month.replace_strict(list(range(1, 13)), list(_MONTHS), default="?", return_dtype=pl.String)
    formats = DATE_FORMATS if partial else FULL_DATE_FORMATS
    if or_else:
        formats = formats.replace(" or ", ", ") + f" or {or_else}"
    expected = pl.lit(formats)
    return (
        pl.when(~failed)
        .then(pl.lit(None, pl.String))
        .when(lay.is_null())
        .then(pl.format("expected a date as {}; got {}", expected, echo(text)))
        .when(pl.lit(not partial) & (lay > _DMY_DASH))
        .then(pl.format("expected a full date as {}; got {}", expected, echo(text)))
        .when(~year.is_between(YEAR_MIN, YEAR_MAX))
        .then(
            pl.format(
                "year {} is outside {}–{}; got {}", year, pl.lit(YEAR_MIN), pl.lit(YEAR_MAX), echo(text)
            )
        )
        .when(~month.is_between(1, 12))
        .then(pl.format("no month {}: expected {}; got {}", month, expected, echo(text)))
        .otherwise(
            pl.format(
                "no such date: {} ({} {} has {} days)",
                echo(text),
                month_name,
                year,
                days_in_month(year, month),
            )
        )
    )


def parse_x100(text: pl.Expr, *, percent_sign: bool = False) -> pl.Expr:
    """A non-negative decimal with at most two decimals as an exact integer ×100 (Int64), else null:
    ``61.25`` -> 6125, ``2.5`` -> 250, ``7`` -> 700. No binary float ever holds the value. ``percent_sign``
    also accepts a trailing ``%`` (``61.25%``). The range is checked by the caller."""
    if percent_sign:
        text = text.str.strip_suffix("%")
    # The shape allows at most two decimals, so the Decimal(10, 2) cast is exact (nothing is rounded).
    value = (text.cast(pl.Decimal(10, 2), strict=False) * 100).cast(pl.Int64, strict=False)
    return pl.when(text.str.contains(r"^[0-9]{1,6}(?:\.[0-9]{1,2})?$")).then(value)


def x100_error(text: pl.Expr, value: pl.Expr, *, maximum_x100: int, explain: bool) -> pl.Expr:
    """Null when ``text`` is null or parsed to a ``value`` within 0..maximum; otherwise why not."""
    whole, cents = divmod(maximum_x100, 100)
    shown_max = f"{whole}" if cents == 0 else f"{whole}.{cents:02d}"
    bad = text.is_not_null() & ~(value <= maximum_x100).fill_null(False)
    return pl.when(bad).then(
        reason(
            explain,
            "expected a number from 0 to {} with at most two decimals; got {}",
            pl.lit(shown_max),
            echo(text),
        )
    )


def flag(src: pl.Expr, *, explain: bool) -> tuple[pl.Expr, pl.Expr]:
    """(value, error) for a yes/no cell, any case; empty means no."""
    low = src.str.to_lowercase()
    yes = low.is_in(FLAG_TRUE)
    error = pl.when(src.is_not_null() & ~yes & ~low.is_in(FLAG_FALSE)).then(
        reason(explain, "expected yes or no (y/n, 1/0, true/false) or empty; got {}", quoter(explain)(src))
    )
    return yes.fill_null(False), error
