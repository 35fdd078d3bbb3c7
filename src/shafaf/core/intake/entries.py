"""The three list cells of an application: qualifications, experience, relaxations (formats.md §1).

A cell holds entries separated by ``;``; an entry holds fields separated by ``|`` (qualifications, experience)
or is a code or ``grant:YEARS:AUTHORITY:REF`` (relaxations). Whitespace around ``;`` and ``|`` is dropped;
empty entries (``a;;b``, a trailing ``;``) are skipped; entries are numbered by position in the cell (1-based,
empty ones included), which is what a clerk counts.

The cell is split into a list of entry structs and every check runs inside ``list.eval`` on the flattened
entries, one stage per ``with_columns`` (so nothing is computed twice): vectorised, no explode/group_by round
trip, and an empty cell costs next to nothing. Each function returns the frame with the parsed list column (an
empty cell gives an empty list) and ``<column>_error``: the first failing entry's reason, ``entry N, field:
...``. Whether the column is required is the caller's business.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from shafaf.core.intake.cells import (
    FAILED,
    date_error,
    date_in_range,
    date_layouts,
    parse_date,
    parse_x100,
    patch_rows,
    quoter,
    reason,
    x100_error,
)

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
# part_time may also be written part-time or "part time"; daily_wage likewise.
_TYPE_SPELLINGS = {v: t for t in EXPERIENCE_TYPES for v in (t, t.replace("_", "-"), t.replace("_", " "))}
PRESENT = "present"
GRANT_CODE = "grant"
EMPTY_FIELD = "required; the field is empty"

_E = pl.element()
_WORK = "_entries"  # the working List(Struct) column


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


def _split(frame: pl.DataFrame, src: str, explain: bool) -> pl.DataFrame:
    """Add ``_entries``: List(Struct{_entry, _n}) of the non-empty entries of ``src`` (``_n`` only when
    explaining: numbering needs a per-list pass that only the failing rows pay for)."""
    frame = patch_rows(
        frame,
        pl.col(src).str.contains(r"\s[|;]|[|;]\s"),
        [pl.col(src).str.replace_all(r"\s*([|;])\s*", "$1")],
    )
    cell = pl.col(src).str.split(";")
    if explain:
        entries = cell.list.eval(
            pl.struct(_E.alias("_entry"), pl.int_range(1, pl.len() + 1, dtype=pl.Int32).alias("_n"))
        ).list.eval(_E.filter(_E.struct.field("_entry") != ""))
    else:
        entries = cell.list.eval(_E.filter(_E != "")).list.eval(pl.struct(_E.alias("_entry")))
    return frame.with_columns(entries.alias(_WORK))


def _stage(frame: pl.DataFrame, *fields: pl.Expr) -> pl.DataFrame:
    """Add fields to every entry struct (``pl.field`` names the fields added by earlier stages)."""
    return frame.with_columns(pl.col(_WORK).list.eval(_E.struct.with_fields(*fields)))


def _flat(frame: pl.DataFrame, field: str) -> pl.Series:
    """One field of every entry, flattened (to look at a whole column of dates at once)."""
    return frame.select(
        pl.col(_WORK).list.eval(_E.struct.field(field)).explode(empty_as_null=False, keep_nulls=False)
    ).to_series()


def _nonempty(index: int) -> pl.Expr:
    text = pl.field("_parts").struct.field(f"field_{index}")
    return pl.when(text != "").then(text)


def _entry_reason(explain: bool, field: str, message: pl.Expr) -> pl.Expr:
    if not explain:
        return pl.lit(FAILED)
    return pl.format("entry {}, {}: {}", pl.field("_n"), pl.lit(field), message)


def _finish(
    frame: pl.DataFrame, column: str, value: pl.Expr, dtype: pl.DataType, explain: bool
) -> pl.DataFrame:
    """The parsed list (``value`` per entry) and the row's error, replacing the working column. Only the
    explaining pass picks out the first failing entry's reason (a per-list pass); the fast pass needs a flag."""
    errors = pl.col(_WORK).list.eval(_E.struct.field("_error"))
    if explain:
        error = errors.list.drop_nulls().list.first()
    else:
        error = pl.when(errors.list.eval(_E.is_not_null()).list.any()).then(pl.lit(FAILED))
    values = pl.col(_WORK).list.eval(_E.struct.with_fields(value.alias("_value")).struct.field("_value"))
    return frame.with_columns(
        values.cast(pl.List(dtype)).fill_null(pl.lit([], dtype=pl.List(dtype))).alias(column),
        error.alias(f"{column}_error"),
    ).drop(_WORK)


def _with_dates(frame: pl.DataFrame, fields: dict[str, str], *, partial: bool) -> pl.DataFrame:
    """Parse the text fields ``fields`` (text -> date field) of every entry into in-range Dates."""
    layouts = {text: date_layouts(_flat(frame, text), partial=partial) for text in fields}
    frame = _stage(frame, *[parse_date(pl.field(t), layouts[t]).alias(d) for t, d in fields.items()])
    return _stage(frame, *[date_in_range(pl.field(d)).alias(d) for d in fields.values()])


def qualifications(
    frame: pl.DataFrame, src: str, degrees: Mapping[str, tuple[str, int]], *, explain: bool
) -> pl.DataFrame:
    """``DEGREE|DISCIPLINE|PERCENT|DATE[|STATUS]``. ``degrees`` maps a casefolded spelling to (code, level);
    PERCENT 0–100 with at most two decimals (a trailing ``%`` is allowed); DATE as a DOB; STATUS ``completed``
    (default) or ``awaited``."""
    quote = quoter(explain)
    codes = {spelling: code for spelling, (code, _) in degrees.items()}
    levels = {code: level for code, level in degrees.values()}
    examples = sorted(levels, key=lambda c: (levels[c], c.casefold()))
    frame = _stage(_split(frame, src, explain), pl.field("_entry").str.splitn("|", 6).alias("_parts"))
    frame = _stage(
        frame,
        (
            pl.field("_parts").struct.field("field_3").is_not_null()
            & pl.field("_parts").struct.field("field_5").is_null()
        ).alias("_shape_ok"),
        _nonempty(0).alias("_deg"),
        _nonempty(1).alias("_disc"),
        _nonempty(2).alias("_pct"),
        _nonempty(3).alias("_date"),
        _nonempty(4).alias("_status_raw"),
    )
    frame = _stage(
        frame,
        lookup(pl.field("_deg"), codes, exact_first=False).alias("_degree"),
        parse_x100(pl.field("_pct"), percent_sign=True).alias("_pct_x100"),
        pl.field("_status_raw").str.to_lowercase().fill_null(STATUSES[0]).alias("_status"),
    )
    frame = _with_dates(frame, {"_date": "_qdate"}, partial=True)
    f = pl.field
    frame = _stage(
        frame,
        pl.when(~f("_shape_ok"))
        .then(
            reason(
                explain,
                "entry {}: expected {} (4 or 5 fields); got {}",
                f("_n"),
                pl.lit(QUALIFICATION_LAYOUT),
                quote(f("_entry")),
            )
        )
        .when(f("_deg").is_null())
        .then(_entry_reason(explain, "degree", pl.lit(EMPTY_FIELD)))
        .when(f("_degree").is_null())
        .then(
            _entry_reason(
                explain,
                "degree",
                pl.format(
                    "expected a qualification code such as {}; got {}",
                    pl.lit(", ".join(examples[:6]) + (", …" if len(examples) > 6 else "")),
                    quote(f("_deg")),
                ),
            )
        )
        .when(f("_pct").is_null())
        .then(_entry_reason(explain, "percent", pl.lit(EMPTY_FIELD)))
        .when(x100_error(f("_pct"), f("_pct_x100"), maximum_x100=100 * 100, explain=False).is_not_null())
        .then(
            _entry_reason(
                explain,
                "percent",
                x100_error(f("_pct"), f("_pct_x100"), maximum_x100=100 * 100, explain=explain),
            )
        )
        .when(f("_date").is_null())
        .then(_entry_reason(explain, "date", pl.lit(EMPTY_FIELD)))
        .when(f("_qdate").is_null())
        .then(
            _entry_reason(explain, "date", date_error(f("_date"), f("_qdate"), partial=True, explain=explain))
        )
        .when(~f("_status").is_in(STATUSES))
        .then(
            _entry_reason(
                explain, "status", pl.format("expected completed or awaited; got {}", quote(f("_status_raw")))
            )
        )
        .alias("_error"),
    )
    value = pl.struct(
        pl.field("_degree").alias("degree"),
        pl.field("_degree")
        .replace_strict(list(levels), list(levels.values()), default=None, return_dtype=pl.Int16)
        .alias("level"),
        pl.field("_disc").alias("discipline"),
        pl.field("_pct_x100").cast(pl.Int32).alias("percent_x100"),
        pl.field("_qdate").alias("date"),
        pl.field("_status").alias("status"),
    )
    return _finish(frame, "qualifications", value, QUALIFICATION, explain)


def experience(frame: pl.DataFrame, src: str, *, explain: bool) -> pl.DataFrame:
    """``START|END|TYPE``: full dates, END may be ``present`` (-> null), END not before START (both ends are
    inclusive, so a one-day post has START == END); TYPE from ``EXPERIENCE_TYPES`` (any case; ``part-time`` and
    ``part time`` read as ``part_time``)."""
    quote = quoter(explain)
    frame = _stage(_split(frame, src, explain), pl.field("_entry").str.splitn("|", 4).alias("_parts"))
    frame = _stage(
        frame,
        (
            pl.field("_parts").struct.field("field_2").is_not_null()
            & pl.field("_parts").struct.field("field_3").is_null()
        ).alias("_shape_ok"),
        _nonempty(0).alias("_start"),
        _nonempty(1).alias("_end_raw"),
        _nonempty(2).alias("_type_raw"),
    )
    frame = _stage(
        frame,
        pl.when(pl.field("_end_raw").str.to_lowercase() != PRESENT).then(pl.field("_end_raw")).alias("_end"),
        lookup(pl.field("_type_raw"), _TYPE_SPELLINGS, exact_first=False).alias("_type"),
    )
    frame = _with_dates(frame, {"_start": "_sdate", "_end": "_edate"}, partial=False)
    f = pl.field
    frame = _stage(
        frame,
        pl.when(~f("_shape_ok"))
        .then(
            reason(
                explain,
                "entry {}: expected {} (3 fields); got {}",
                f("_n"),
                pl.lit(EXPERIENCE_LAYOUT),
                quote(f("_entry")),
            )
        )
        .when(f("_start").is_null())
        .then(_entry_reason(explain, "start", pl.lit(EMPTY_FIELD)))
        .when(f("_sdate").is_null())
        .then(
            _entry_reason(
                explain, "start", date_error(f("_start"), f("_sdate"), partial=False, explain=explain)
            )
        )
        .when(f("_end_raw").is_null())
        .then(_entry_reason(explain, "end", pl.lit(f"{EMPTY_FIELD} (write {PRESENT} for a current post)")))
        .when(f("_end").is_not_null() & f("_edate").is_null())
        .then(
            _entry_reason(
                explain,
                "end",
                date_error(f("_end"), f("_edate"), partial=False, explain=explain, or_else=PRESENT),
            )
        )
        .when(f("_type").is_null())
        .then(
            _entry_reason(
                explain,
                "type",
                pl.format(
                    "expected one of {}; got {}",
                    pl.lit(", ".join(EXPERIENCE_TYPES)),
                    quote(pl.coalesce(f("_type_raw"), pl.lit(""))),
                ),
            )
        )
        .when(f("_edate") < f("_sdate"))
        .then(
            reason(
                explain,
                "entry {}: ends before it starts ({} to {})",
                f("_n"),
                f("_sdate").dt.to_string("%Y-%m-%d"),
                f("_edate").dt.to_string("%Y-%m-%d"),
            )
        )
        .alias("_error"),
    )
    value = pl.struct(f("_sdate").alias("start"), f("_edate").alias("end"), f("_type").alias("type"))
    return _finish(frame, "experience", value, EXPERIENCE, explain)


def relaxations(
    frame: pl.DataFrame, src: str, codes: list[str], ceilings: Mapping[str, int], *, explain: bool
) -> pl.DataFrame:
    """A category code of the policy pack, or ``grant:YEARS:AUTHORITY:REF``: YEARS a whole number from 1 to the
    authority's ceiling, AUTHORITY a key of ``ceilings``, REF the notification reference (not empty; it may hold
    ``:`` but not ``;``). Codes and authorities are matched exactly or case-insensitively and written
    canonically."""
    authorities = sorted(ceilings)
    quote = quoter(explain)
    f = pl.field
    frame = _stage(_split(frame, src, explain), f("_entry").str.splitn(":", 4).alias("_g"))
    frame = _stage(
        frame,
        (f("_g").struct.field("field_0").str.strip_chars().str.to_lowercase() == GRANT_CODE)
        .fill_null(False)
        .alias("_is_grant"),
        f("_g").struct.field("field_1").str.strip_chars().alias("_years_raw"),
        f("_g").struct.field("field_2").str.strip_chars().alias("_authority_raw"),
        f("_g").struct.field("field_3").str.strip_chars().alias("_ref"),
        lookup(f("_entry"), {c: c for c in codes}).alias("_code"),
    )
    frame = _stage(
        frame,
        pl.when(f("_years_raw").str.contains(r"^[0-9]{1,2}$"))
        .then(f("_years_raw").cast(pl.Int32, strict=False))
        .alias("_years"),
        lookup(f("_authority_raw"), {a: a for a in authorities}).alias("_authority"),
    )
    frame = _stage(
        frame,
        f("_authority")
        .replace_strict(authorities, [ceilings[a] for a in authorities], default=None, return_dtype=pl.Int32)
        .alias("_ceiling"),
    )
    grant = f("_is_grant")
    frame = _stage(
        frame,
        pl.when(~grant & f("_code").is_null())
        .then(
            reason(
                explain,
                "entry {}: expected a relaxation code ({}) or {}; got {}",
                f("_n"),
                pl.lit(listing(codes)),
                pl.lit(GRANT_LAYOUT),
                quote(f("_entry")),
            )
        )
        .when(~grant)
        .then(pl.lit(None, pl.String))
        .when(f("_ref").is_null())
        .then(
            reason(
                explain, "entry {}: expected {}; got {}", f("_n"), pl.lit(GRANT_LAYOUT), quote(f("_entry"))
            )
        )
        .when(f("_years").is_null() | (f("_years") < 1))
        .then(
            _entry_reason(
                explain,
                "grant years",
                pl.format("expected a whole number of years from 1; got {}", quote(f("_years_raw"))),
            )
        )
        .when(f("_authority").is_null())
        .then(
            _entry_reason(
                explain,
                "grant authority",
                pl.format(
                    "expected one of {}; got {}", pl.lit(listing(authorities)), quote(f("_authority_raw"))
                ),
            )
        )
        .when(f("_years") > f("_ceiling"))
        .then(
            reason(
                explain,
                "entry {}: a grant of {} years exceeds the {} ceiling of {} years",
                f("_n"),
                f("_years"),
                f("_authority"),
                f("_ceiling"),
            )
        )
        .when(f("_ref") == "")
        .then(
            _entry_reason(explain, "grant reference", pl.lit("required; the notification reference is empty"))
        )
        .alias("_error"),
    )
    value = pl.struct(
        pl.when(grant).then(pl.lit(GRANT_CODE)).otherwise(f("_code")).alias("code"),
        pl.when(grant).then(f("_years")).alias("years"),
        pl.when(grant).then(f("_authority")).alias("authority"),
        pl.when(grant).then(f("_ref")).alias("ref"),
    )
    return _finish(frame, "relaxations", value, RELAXATION, explain)
