"""The three list cells of an application: qualifications, experience, relaxations (formats.md §1).

A cell holds entries separated by ``;``; an entry holds fields separated by ``|`` (qualifications, experience) or
is a code or ``grant:YEARS:AUTHORITY:REF`` (relaxations). Each parser explodes the column to one row per entry
(keeping one null entry for an empty cell, so that every application stays present), checks every entry with
column expressions and folds the entries back with one ``group_by`` on the sorted row position, whose output is
aligned with the input frame: no join, no Python per row. Empty entries (``a;;b``, a trailing ``;``) are skipped;
entries are numbered by position in the cell (1-based, empty ones included), which is what a clerk counts.

Each function takes the cleaned frame (``_i`` ascending plus the cell column) and returns the same frame with the
parsed list column and ``<column>_error`` (the first failing entry's reason, ``entry N, field: ...``) added. An
empty cell gives an empty list and no error; the caller decides whether the column is required.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from shafaf.core.intake.cells import FAILED, echo, patch_rows, reason, with_date, with_x100

QUALIFICATION = pl.Struct(
    {
        "degree": pl.String,
        "level": pl.Int16,
        "discipline": pl.String,
        "percent_x100": pl.Int32,
        "date": pl.Date,
        "status": pl.String,
    }
)
EXPERIENCE = pl.Struct({"start": pl.Date, "end": pl.Date, "type": pl.String})
RELAXATION = pl.Struct({"code": pl.String, "years": pl.Int32, "authority": pl.String, "ref": pl.String})

QUALIFICATION_LAYOUT = "DEGREE|DISCIPLINE|PERCENT|DATE[|STATUS]"
EXPERIENCE_LAYOUT = "START|END|TYPE"
GRANT_LAYOUT = "grant:YEARS:AUTHORITY:REF"
STATUSES = ("completed", "awaited")
EXPERIENCE_TYPES = ("regular", "contract", "part_time", "daily_wage", "internship", "unpaid")
PRESENT = "present"
GRANT_CODE = "grant"
EMPTY_FIELD = "required; the field is empty"


def listing(values: list[str], limit: int = 8) -> str:
    """``a, b, c, …``: a sorted, bounded list of accepted values for a reason."""
    ordered = sorted(values)
    if not ordered:
        return "none configured"
    return ", ".join(ordered[:limit]) + (", …" if len(ordered) > limit else "")


def lookup(expr: pl.Expr, vocabulary: Mapping[str, str], *, exact_first: bool = True) -> pl.Expr:
    """The canonical code for a spelling: exact match first (when ``exact_first``), then case-insensitive.

    A lower-cased spelling that two different codes share is left out of the case-insensitive table (only its
    exact spellings match), so the lookup never guesses between two codes.
    """
    folded: dict[str, str | None] = {}
    for spelling, code in sorted(vocabulary.items()):
        key = spelling.strip().lower()
        folded[key] = code if folded.get(key, code) == code else None
    keys = [k for k, v in folded.items() if v is not None]
    found = expr.str.to_lowercase().replace_strict(
        keys, [folded[k] for k in keys], default=None, return_dtype=pl.String
    )
    if exact_first:
        exact = sorted(vocabulary)
        found = pl.coalesce(
            expr.replace_strict(exact, [vocabulary[s] for s in exact], default=None, return_dtype=pl.String),
            found,
        )
    return found


def _explode(frame: pl.DataFrame, src: str, explain: bool) -> pl.DataFrame:
    """One row per entry (an empty cell keeps one null entry): ``_i``, ``_entry``, ``_keep`` (a non-empty
    entry) and, when explaining, ``_n`` (1-based position in the cell). Whitespace around ``;`` and ``|`` is
    dropped first, so that entries and fields come out trimmed."""
    cells = patch_rows(
        frame.select("_i", src),
        pl.col(src).str.contains(r"\s[|;]|[|;]\s"),
        [pl.col(src).str.replace_all(r"\s*([|;])\s*", "$1")],
    )
    split = pl.col(src).str.split(";").alias("_entry")
    columns = [pl.col("_i"), split]
    if explain:
        columns.append(pl.int_ranges(1, split.list.len() + 1, dtype=pl.Int32).alias("_n"))
    exploded = cells.select(columns).explode(
        ["_entry", "_n"] if explain else ["_entry"], empty_as_null=True, keep_nulls=True
    )
    return exploded.with_columns((pl.col("_entry") != "").fill_null(False).alias("_keep"), pl.col("_i").set_sorted())


def _fold(
    frame: pl.DataFrame, entries: pl.DataFrame, value: pl.Expr, column: str, dtype: pl.DataType
) -> pl.DataFrame:
    keep = pl.col("_keep")
    folded = entries.group_by("_i", maintain_order=True).agg(
        value.filter(keep).alias(column),
        pl.col("_error").filter(keep).drop_nulls().first().alias(f"{column}_error"),
    )
    # The group_by runs on the sorted position with every application present: its rows align with ``frame``.
    assert folded["_i"].equals(frame["_i"]), "entry folding lost its alignment"
    return frame.with_columns(folded[column].cast(pl.List(dtype)), folded[f"{column}_error"])


def _split_fields(entries: pl.DataFrame, separator: str, names: list[str]) -> pl.DataFrame:
    """Fields of each entry as columns ``names`` (an empty field is null) and ``_extra``: the text after the
    last expected field when the entry has more fields than ``names`` (null otherwise)."""
    parts = pl.col("_parts").struct
    return entries.with_columns(pl.col("_entry").str.splitn(separator, len(names) + 1).alias("_parts")).with_columns(
        *[pl.when(parts.field(f"field_{k}") != "").then(parts.field(f"field_{k}")).alias(n) for k, n in enumerate(names)],
        parts.field(f"field_{len(names)}").alias("_extra"),
        parts.field(f"field_{len(names) - 1}").is_not_null().alias("_complete"),
    )


def _entry_reason(explain: bool, field: str, message: pl.Expr) -> pl.Expr:
    if not explain:
        return pl.lit(FAILED)
    return pl.format("entry {}, {}: {}", pl.col("_n"), pl.lit(field), message)


def qualifications(
    frame: pl.DataFrame,
    src: str,
    degrees: Mapping[str, tuple[str, int]],
    *,
    explain: bool,
) -> pl.DataFrame:
    """``DEGREE|DISCIPLINE|PERCENT|DATE[|STATUS]``. ``degrees`` maps a casefolded spelling to (code, level);
    PERCENT 0–100 with at most two decimals (a trailing ``%`` is allowed); DATE as a DOB; STATUS ``completed``
    (default) or ``awaited``."""
    codes = {spelling: code for spelling, (code, _) in degrees.items()}
    levels = {code: level for code, level in degrees.values()}
    e = _split_fields(_explode(frame, src, explain), "|", ["_deg", "_disc", "_pct", "_date", "_status_raw"])
    e = e.with_columns(
        (pl.col("_parts").struct.field("field_3").is_not_null() & pl.col("_extra").is_null()).alias("_shape_ok"),
        lookup(pl.col("_deg"), codes, exact_first=False).alias("_degree"),
        pl.col("_status_raw").str.to_lowercase().fill_null(STATUSES[0]).alias("_status"),
    )
    e = with_x100(e, "_pct", "_pct_x100", maximum_x100=100 * 100, percent_sign=True, explain=explain)
    e = with_date(e, "_date", "_qdate", partial=True, explain=explain)
    examples = sorted(levels, key=lambda c: (levels[c], c.casefold()))
    error = (
        pl.when(~pl.col("_shape_ok"))
        .then(
            reason(
                explain,
                "entry {}: expected {} (4 or 5 fields); got {}",
                pl.col("_n"),
                pl.lit(QUALIFICATION_LAYOUT),
                echo(pl.col("_entry")),
            )
        )
        .when(pl.col("_deg").is_null())
        .then(_entry_reason(explain, "degree", pl.lit(EMPTY_FIELD)))
        .when(pl.col("_degree").is_null())
        .then(
            _entry_reason(
                explain,
                "degree",
                pl.format(
                    "expected a qualification code such as {}; got {}",
                    pl.lit(", ".join(examples[:6]) + (", …" if len(examples) > 6 else "")),
                    echo(pl.col("_deg")),
                ),
            )
        )
        .when(pl.col("_pct").is_null())
        .then(_entry_reason(explain, "percent", pl.lit(EMPTY_FIELD)))
        .when(pl.col("_pct_x100_error").is_not_null())
        .then(_entry_reason(explain, "percent", pl.col("_pct_x100_error")))
        .when(pl.col("_date").is_null())
        .then(_entry_reason(explain, "date", pl.lit(EMPTY_FIELD)))
        .when(pl.col("_qdate_error").is_not_null())
        .then(_entry_reason(explain, "date", pl.col("_qdate_error")))
        .when(~pl.col("_status").is_in(STATUSES))
        .then(
            _entry_reason(
                explain,
                "status",
                pl.format("expected completed or awaited; got {}", echo(pl.col("_status_raw"))),
            )
        )
    )
    value = pl.struct(
        pl.col("_degree").alias("degree"),
        pl.col("_degree")
        .replace_strict(list(levels), list(levels.values()), default=None, return_dtype=pl.Int16)
        .alias("level"),
        pl.col("_disc").alias("discipline"),
        pl.col("_pct_x100").alias("percent_x100"),
        pl.col("_qdate").alias("date"),
        pl.col("_status").alias("status"),
    )
    return _fold(frame, e.with_columns(error.alias("_error")), value, "qualifications", QUALIFICATION)


def experience(frame: pl.DataFrame, src: str, *, explain: bool) -> pl.DataFrame:
    """``START|END|TYPE``: full dates, END may be ``present`` (-> null), END not before START (both ends are
    inclusive, so a one-day post has START == END); TYPE from ``EXPERIENCE_TYPES`` (any case; ``part-time`` and
    ``part time`` read as ``part_time``)."""
    e = _split_fields(_explode(frame, src, explain), "|", ["_start", "_end_raw", "_type_raw"])
    e = e.with_columns(
        (pl.col("_complete") & pl.col("_extra").is_null()).alias("_shape_ok"),
        pl.when(pl.col("_end_raw").str.to_lowercase() != PRESENT).then(pl.col("_end_raw")).alias("_end"),
        pl.col("_type_raw").str.to_lowercase().str.replace_all(r"[ -]+", "_").alias("_type"),
    )
    e = with_date(e, "_start", "_sdate", partial=False, explain=explain)
    e = with_date(e, "_end", "_edate", partial=False, explain=explain)
    error = (
        pl.when(~pl.col("_shape_ok"))
        .then(
            reason(
                explain,
                "entry {}: expected {} (3 fields); got {}",
                pl.col("_n"),
                pl.lit(EXPERIENCE_LAYOUT),
                echo(pl.col("_entry")),
            )
        )
        .when(pl.col("_start").is_null())
        .then(_entry_reason(explain, "start", pl.lit(EMPTY_FIELD)))
        .when(pl.col("_sdate_error").is_not_null())
        .then(_entry_reason(explain, "start", pl.col("_sdate_error")))
        .when(pl.col("_end_raw").is_null())
        .then(_entry_reason(explain, "end", pl.lit(f"{EMPTY_FIELD} (write {PRESENT} for a current post)")))
        .when(pl.col("_edate_error").is_not_null())
        .then(_entry_reason(explain, "end", pl.format("{} or {}", pl.col("_edate_error"), pl.lit(PRESENT))))
        .when(~pl.col("_type").is_in(EXPERIENCE_TYPES).fill_null(False))
        .then(
            _entry_reason(
                explain,
                "type",
                pl.format(
                    "expected one of {}; got {}",
                    pl.lit(", ".join(EXPERIENCE_TYPES)),
                    echo(pl.coalesce(pl.col("_type_raw"), pl.lit(""))),
                ),
            )
        )
        .when(pl.col("_edate") < pl.col("_sdate"))
        .then(
            reason(
                explain,
                "entry {}: ends before it starts ({} to {})",
                pl.col("_n"),
                pl.col("_sdate").dt.to_string("%Y-%m-%d"),
                pl.col("_edate").dt.to_string("%Y-%m-%d"),
            )
        )
    )
    value = pl.struct(
        pl.col("_sdate").alias("start"), pl.col("_edate").alias("end"), pl.col("_type").alias("type")
    )
    return _fold(frame, e.with_columns(error.alias("_error")), value, "experience", EXPERIENCE)


def relaxations(
    frame: pl.DataFrame,
    src: str,
    codes: list[str],
    ceilings: Mapping[str, int],
    *,
    explain: bool,
) -> pl.DataFrame:
    """A category code of the policy pack, or ``grant:YEARS:AUTHORITY:REF``: YEARS a whole number from 1 to the
    authority's ceiling, AUTHORITY a key of ``ceilings``, REF the notification reference (not empty; it may hold
    ``:`` but not ``;``). Codes and authorities are matched case-insensitively and written canonically."""
    authorities = sorted(ceilings)
    e = _explode(frame, src, explain).with_columns(pl.col("_entry").str.splitn(":", 4).alias("_g"))
    e = e.with_columns(
        (pl.col("_g").struct.field("field_0").str.strip_chars().str.to_lowercase() == GRANT_CODE)
        .fill_null(False)
        .alias("_is_grant"),
        pl.col("_g").struct.field("field_1").str.strip_chars().alias("_years_raw"),
        pl.col("_g").struct.field("field_2").str.strip_chars().alias("_authority_raw"),
        pl.col("_g").struct.field("field_3").str.strip_chars().alias("_ref"),
        lookup(pl.col("_entry"), {c: c for c in codes}).alias("_code"),
    ).with_columns(
        pl.when(pl.col("_years_raw").str.contains(r"^[0-9]{1,2}$"))
        .then(pl.col("_years_raw").cast(pl.Int32, strict=False))
        .alias("_years"),
        lookup(pl.col("_authority_raw"), {a: a for a in authorities}).alias("_authority"),
    )
    ceiling = pl.col("_authority").replace_strict(
        authorities, [ceilings[a] for a in authorities], default=None, return_dtype=pl.Int32
    )
    grant = pl.col("_is_grant")
    error = (
        pl.when(~grant & pl.col("_code").is_null())
        .then(
            reason(
                explain,
                "entry {}: expected a relaxation code ({}) or {}; got {}",
                pl.col("_n"),
                pl.lit(listing(codes)),
                pl.lit(GRANT_LAYOUT),
                echo(pl.col("_entry")),
            )
        )
        .when(~grant)
        .then(pl.lit(None, pl.String))
        .when(pl.col("_ref").is_null())
        .then(
            reason(
                explain,
                "entry {}: expected {}; got {}",
                pl.col("_n"),
                pl.lit(GRANT_LAYOUT),
                echo(pl.col("_entry")),
            )
        )
        .when(pl.col("_years").is_null() | (pl.col("_years") < 1))
        .then(
            _entry_reason(
                explain,
                "grant years",
                pl.format("expected a whole number of years from 1; got {}", echo(pl.col("_years_raw"))),
            )
        )
        .when(pl.col("_authority").is_null())
        .then(
            _entry_reason(
                explain,
                "grant authority",
                pl.format(
                    "expected one of {}; got {}", pl.lit(listing(authorities)), echo(pl.col("_authority_raw"))
                ),
            )
        )
        .when(pl.col("_years") > ceiling)
        .then(
            reason(
                explain,
                "entry {}: a grant of {} years exceeds the {} ceiling of {} years",
                pl.col("_n"),
                pl.col("_years"),
                pl.col("_authority"),
                ceiling,
            )
        )
        .when(pl.col("_ref") == "")
        .then(
            _entry_reason(explain, "grant reference", pl.lit("required; the notification reference is empty"))
        )
    )
    value = pl.struct(
        pl.when(grant).then(pl.lit(GRANT_CODE)).otherwise(pl.col("_code")).alias("code"),
        pl.when(grant).then(pl.col("_years")).alias("years"),
        pl.when(grant).then(pl.col("_authority")).alias("authority"),
        pl.when(grant).then(pl.col("_ref")).alias("ref"),
    )
    return _fold(frame, e.with_columns(error.alias("_error")), value, "relaxations", RELAXATION)
