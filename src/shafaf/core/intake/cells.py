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
YEAR_MIN = 1900
YEAR_MAX = (
    2100  # no clock in core: "in the future" is eligibility's business; this only stops typos like 9999
)

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


def clean(expr: pl.Expr) -> pl.Expr:
    """A cell as text: cast to String, surrounding whitespace trimmed, empty -> null. Inner text untouched."""
    text = expr.cast(pl.String, strict=False).str.strip_chars()
    return pl.when(text != "").then(text)


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
    scatters the results back. Used for the rare layouts (a DD/MM/YYYY date in a file of ISO dates, padded
    separators) so that they cost nothing when absent. Each expression must name an existing column.
    """
    mask = frame.select(where.fill_null(False)).to_series()
    if not mask.any():
        return frame
    index = mask.arg_true()
    fixed = frame.filter(mask).select(exprs)
    return frame.with_columns(
        frame[name].clone().scatter(index, fixed[name].cast(frame.schema[name])) for name in fixed.columns
    )


def with_date(frame: pl.DataFrame, src: str, out: str, *, partial: bool, explain: bool) -> pl.DataFrame:
    """Parse text column ``src`` into ``out`` (Date), ``out_precision`` ("day"/"month"/"year") and ``out_error``
    (null when the cell is null or valid).

    Layouts: ``YYYY-MM-DD``, ``DD/MM/YYYY``, ``DD-MM-YYYY`` and, with ``partial=True``, ``YYYY-MM`` (resolved to
    the 16th) and ``YYYY`` (resolved to 1 July), domain.md §3. Day and month have two digits. Years outside
    1900–2100 and days that do not exist (31/04/2000, 2001-02-29) are errors.
    """
    s = pl.col(src)
    layout = f"_{out}_layout"

    def parse(text: pl.Expr, fmt: str = "%Y-%m-%d") -> pl.Expr:
        return text.str.strptime(pl.Date, fmt, strict=False)

    iso_code, iso_pattern = _LAYOUTS[0]
    is_iso = s.str.contains(iso_pattern)
    frame = frame.with_columns(
        pl.when(is_iso).then(pl.lit(iso_code, pl.UInt8)).alias(layout),
        pl.when(is_iso).then(parse(s)).alias(out),
    )
    # Every other layout: only on the cells that are not ISO dates (usually none).
    recognise = pl.lit(None, pl.UInt8)
    for code, pattern in reversed(_LAYOUTS[1:]):
        recognise = pl.when(s.str.contains(pattern)).then(pl.lit(code, pl.UInt8)).otherwise(recognise)
    lay = pl.col(layout)
    frame = patch_rows(frame, s.is_not_null() & ~is_iso, [recognise.alias(layout)])
    frame = patch_rows(
        frame,
        lay > iso_code,
        [
            pl.when(lay == _DMY_SLASH)
            .then(parse(s, "%d/%m/%Y"))
            .when(lay == _DMY_DASH)
            .then(parse(s, "%d-%m-%Y"))
            .when(lay == _YEAR_MONTH)
            .then(parse(pl.concat_str(s, pl.lit(YEAR_MONTH_SUFFIX))))
            .when(lay == _YEAR)
            .then(parse(pl.concat_str(s, pl.lit(YEAR_ONLY_SUFFIX))))
            .alias(out)
        ],
    )
    allowed = lay <= (_YEAR if partial else _DMY_DASH)
    frame = frame.with_columns(
        pl.when(allowed & pl.col(out).dt.year().is_between(YEAR_MIN, YEAR_MAX)).then(pl.col(out)).alias(out)
    )
    precision = (
        pl.when(pl.col(out).is_null())
        .then(pl.lit(None, pl.String))
        .when(lay == _YEAR_MONTH)
        .then(pl.lit("month"))
        .when(lay == _YEAR)
        .then(pl.lit("year"))
        .otherwise(pl.lit("day"))
    )
    failed = s.is_not_null() & pl.col(out).is_null()
    if not explain:
        return frame.with_columns(
            precision.alias(f"{out}_precision"), pl.when(failed).then(pl.lit(FAILED)).alias(f"{out}_error")
        ).drop(layout)
    # Explaining (failing rows only): read the numbers back by position to say what is wrong with them.
    dmy = lay.is_in([_DMY_SLASH, _DMY_DASH])
    year = pl.when(dmy).then(s.str.slice(6, 4)).otherwise(s.str.slice(0, 4)).cast(pl.Int32, strict=False)
    month = pl.when(dmy).then(s.str.slice(3, 2)).otherwise(s.str.slice(5, 2)).cast(pl.Int32, strict=False)
    month_name = month.replace_strict(list(range(1, 13)), list(_MONTHS), default="?", return_dtype=pl.String)
    expected = pl.lit(DATE_FORMATS if partial else FULL_DATE_FORMATS)
    error = (
        pl.when(~failed)
        .then(pl.lit(None, pl.String))
        .when(lay.is_null())
        .then(pl.format("expected a date as {}; got {}", expected, echo(s)))
        .when(~allowed)
        .then(pl.format("expected a full date as {}; got {}", expected, echo(s)))
        .when(~year.is_between(YEAR_MIN, YEAR_MAX))
        .then(pl.format("year {} is outside {}–{}; got {}", year, pl.lit(YEAR_MIN), pl.lit(YEAR_MAX), echo(s)))
        .when(~month.is_between(1, 12))
        .then(pl.format("no month {}: expected {}; got {}", month, expected, echo(s)))
        .otherwise(
            pl.format(
                "no such date: {} ({} {} has {} days)", echo(s), month_name, year, days_in_month(year, month)
            )
        )
    )
    return frame.with_columns(precision.alias(f"{out}_precision"), error.alias(f"{out}_error")).drop(layout)


def with_x100(
    frame: pl.DataFrame, src: str, out: str, *, maximum_x100: int, percent_sign: bool = False, explain: bool
) -> pl.DataFrame:
    """Parse a non-negative decimal with at most two decimals into an exact integer ×100 (``out``, Int32) and
    ``out_error``: ``61.25`` -> 6125, ``2.5`` -> 250, ``7`` -> 700. No binary float ever holds the value.
    ``percent_sign`` also accepts a trailing ``%`` (``61.25%``)."""
    text = pl.col(src).str.strip_suffix("%") if percent_sign else pl.col(src)
    shape_ok = text.str.contains(r"^[0-9]{1,6}(?:\.[0-9]{1,2})?$")
    # The shape allows at most two decimals, so the Decimal(10, 2) cast is exact (nothing is rounded).
    value = (text.cast(pl.Decimal(10, 2), strict=False) * 100).cast(pl.Int64, strict=False)
    frame = frame.with_columns(pl.when(shape_ok).then(value).alias(f"_{out}"))
    ok = pl.col(f"_{out}") <= maximum_x100
    whole, cents = divmod(maximum_x100, 100)
    shown_max = f"{whole}" if cents == 0 else f"{whole}.{cents:02d}"
    error = pl.when(pl.col(src).is_not_null() & ~ok.fill_null(False)).then(
        reason(
            explain,
            "expected a number from 0 to {} with at most two decimals; got {}",
            pl.lit(shown_max),
            echo(pl.col(src)),
        )
    )
    return frame.with_columns(
        pl.when(ok).then(pl.col(f"_{out}")).cast(pl.Int32).alias(out),
        error.alias(f"{out}_error"),
    ).drop(f"_{out}")


def flag(src: pl.Expr, *, explain: bool) -> tuple[pl.Expr, pl.Expr]:
    """(value, error) for a yes/no cell, any case; empty means no."""
    low = src.str.to_lowercase()
    yes = low.is_in(FLAG_TRUE)
    error = pl.when(src.is_not_null() & ~yes & ~low.is_in(FLAG_FALSE)).then(
        reason(explain, "expected yes or no (y/n, 1/0, true/false) or empty; got {}", echo(src))
    )
    return yes.fill_null(False), error
