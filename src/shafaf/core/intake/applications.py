"""Intake of the applications table (formats.md §1): every row is either accepted into the canonical schema
the rest of the pipeline reads, or rejected with its row number, first failing column, reason and other errors.

Nothing a row contains can stop the run: only a table without its required columns (or naming one twice)
raises :class:`~shafaf.core.errors.TableError`. ``rows_in == accepted.height + rejected.height`` always.

Conventions (also in docs/formats.md §1):
- Cells are trimmed of surrounding whitespace; an empty cell is a missing value. Names keep their inner text
  byte for byte: no Unicode normalisation (NFC/NFKC would silently rewrite Urdu spellings a candidate typed;
  two spellings of one name are a matter for document verification, not for intake).
- Gender: ``M``/``F``/``X`` or the words ``male``/``female``, any case; nothing else is guessed. CNIC parity
  is never compared with it (domain.md §3).
- Post codes, relaxation codes and grant authorities match exactly or case-insensitively; degrees
  case-insensitively; districts as the geography table says (case, spaces, ``-`` and ``_`` ignored). All are
  written in their canonical spelling. Application ids are compared exactly (case-sensitive) for uniqueness.
- Duplicates are looked for only among rows that passed every field check (a broken row neither is a
  duplicate nor makes a later row one). First a repeated ``application_id`` rejects its later rows; then,
  among the rows left, a repeated CNIC on the same post rejects its later rows. "Later" means a higher
  spreadsheet row; the reason names the earliest row.
- A reason quotes at most 60 characters of the value it saw; CNIC-shaped digit runs are masked, and values
  from the ``cnic`` column are quoted with every digit shown as ``#``.

Speed: every check runs first over all rows without formatting anything (``explain=False``), then again over
the failing rows only to write the sentences (``explain=True``); see :mod:`shafaf.core.intake.cells`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from shafaf.core.errors import TableError
from shafaf.core.intake import entries
from shafaf.core.intake.cells import (
    REQUIRED,
    date_error,
    date_in_range,
    date_layouts,
    date_precision,
    echo_digits_masked,
    flag,
    parse_date,
    parse_x100,
    patch_rows,
    quoter,
    reason,
    x100_error,
)
from shafaf.core.policy.geography import Geography, normalise_expr
from shafaf.core.tables import ROW_COLUMN, find_column, read_table

__all__ = [
    "ACCEPTED_SCHEMA",
    "INPUT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REJECTED_SCHEMA",
    "REQUIRED_COLUMNS",
    "IntakeResult",
    "read_applications",
    "validate_applications",
]

# Input columns in the order of formats.md §1: the "first failing column" is the first in this order.
INPUT_COLUMNS: tuple[str, ...] = (
    "application_id",
    "post_code",
    "cnic",
    "name",
    "father_name",
    "dob",
    "gender",
    "domicile_district",
    "domicile_basis",
    "minority",
    "disability",
    "in_service_years",
    "qualifications",
    "experience",
    "relaxations",
    "roll_number",
)
REQUIRED_COLUMNS: tuple[str, ...] = (
    "application_id",
    "post_code",
    "cnic",
    "name",
    "father_name",
    "dob",
    "gender",
    "domicile_district",
    "qualifications",
)
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(c for c in INPUT_COLUMNS if c not in REQUIRED_COLUMNS)

ACCEPTED_SCHEMA = pl.Schema(
    [
        ("row", pl.Int64()),
        ("application_id", pl.String()),
        ("post_code", pl.String()),
        ("roll_number", pl.String()),
        ("cnic", pl.String()),
        ("name", pl.String()),
        ("father_name", pl.String()),
        ("dob", pl.Date()),
        ("dob_precision", pl.String()),
        ("gender", pl.String()),
        ("domicile_district", pl.String()),
        ("province", pl.String()),
        ("division", pl.String()),
        ("zone", pl.String()),
        ("region", pl.String()),
        ("domicile_basis", pl.String()),
        ("minority", pl.Boolean()),
        ("disabled", pl.Boolean()),
        ("in_service_x100", pl.Int32()),
        ("qualifications", pl.List(entries.QUALIFICATION)),
        ("experience", pl.List(entries.EXPERIENCE)),
        ("relaxations", pl.List(entries.RELAXATION)),
    ]
)
REJECTED_SCHEMA = pl.Schema(
    [
        ("row", pl.Int64()),
        ("application_id", pl.String()),
        ("column", pl.String()),
        ("reason", pl.String()),
        ("other_errors", pl.String()),
    ]
)

ID_PATTERN = r"^[A-Za-z0-9_/-]{1,40}$"
ID_FORMAT = "1–40 characters A-Z a-z 0-9 - _ /"
CNIC_DASHED = r"^[0-9]{5}-[0-9]{7}-[0-9]$"
CNIC_DIGITS = r"^[0-9]{13}$"
NAME_MAX = 100
GENDERS = {"m": "M", "f": "F", "x": "X", "male": "M", "female": "F"}
BASES = ("own", "husband", "service_record")
IN_SERVICE_MAX_X100 = 45 * 100


@dataclass(frozen=True)
class IntakeResult:
    accepted: pl.DataFrame  # ACCEPTED_SCHEMA, sorted by row
    rejected: pl.DataFrame  # REJECTED_SCHEMA, sorted by row
    rows_in: int
    ignored_columns: tuple[str, ...]  # input column names (as written) that intake does not read
    duplicates: int  # rows rejected as a repeated application_id or a repeated CNIC for a post


@dataclass(frozen=True)
class _Context:
    posts: tuple[str, ...]
    geography: Geography
    degrees: Mapping[str, tuple[str, int]]
    relaxation_codes: tuple[str, ...]
    ceilings: Mapping[str, int]


def read_applications(
    path: Path,
    *,
    posts: Collection[str],
    geography: Geography,
    degree_lookup: Mapping[str, tuple[str, int]],
    relaxation_codes: Collection[str],
    grant_ceilings: Mapping[str, int],
) -> IntakeResult:
    """Read an applications CSV/XLSX with :func:`shafaf.core.tables.read_table` and validate it."""
    return validate_applications(
        read_table(path),
        source=str(path),
        posts=posts,
        geography=geography,
        degree_lookup=degree_lookup,
        relaxation_codes=relaxation_codes,
        grant_ceilings=grant_ceilings,
    )


def validate_applications(
    raw: pl.DataFrame,
    *,
    source: str,
    posts: Collection[str],
    geography: Geography,
    degree_lookup: Mapping[str, tuple[str, int]],
    relaxation_codes: Collection[str],
    grant_ceilings: Mapping[str, int],
) -> IntakeResult:
    """Check every row of an applications table (formats.md §1); split it into accepted and rejected rows.

    ``raw`` is what :func:`~shafaf.core.tables.read_table` returns: a leading Int64 ``row`` column (the
    spreadsheet row number) and text columns. Without a ``row`` column, rows are numbered 2, 3, … in order.
    ``degree_lookup`` maps a casefolded spelling to (canonical code, level); ``relaxation_codes`` are the
    category codes of the policy pack; ``grant_ceilings`` maps each authority to its ceiling in years.
    Raises :class:`TableError` only for missing (or doubly named) required columns.
    """
    found, ignored = _resolve_columns(raw, source)
    context = _Context(
        posts=tuple(sorted(posts)),
        geography=geography,
        degrees=dict(degree_lookup),
        relaxation_codes=tuple(sorted(relaxation_codes)),
        ceilings=dict(grant_ceilings),
    )
    cells = _clean_cells(raw, found)
    errors = [pl.col(f"{c}_error") for c in INPUT_COLUMNS]

    checked = _check(cells, context, explain=False)
    failing = checked.select(pl.any_horizontal(e.is_not_null() for e in errors)).to_series()
    rejected_fields = (
        _explain(_check(cells.filter(failing), context, explain=True))
        if failing.any()
        else pl.DataFrame(schema=REJECTED_SCHEMA)
    )
    accepted, rejected_duplicates = _split_duplicates(checked, ~failing)
    rejected = (
        pl.concat([rejected_fields, rejected_duplicates])
        .sort("row", maintain_order=True)
        .select(pl.col(name).cast(dtype) for name, dtype in REJECTED_SCHEMA.items())
    )
    result = IntakeResult(
        accepted=accepted.select(pl.col(name).cast(dtype) for name, dtype in ACCEPTED_SCHEMA.items()),
        rejected=rejected,
        rows_in=raw.height,
        ignored_columns=ignored,
        duplicates=rejected_duplicates.height,
    )
    assert result.rows_in == result.accepted.height + result.rejected.height, "intake lost or duplicated rows"
    return result


def _resolve_columns(raw: pl.DataFrame, source: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Map canonical column -> column of ``raw`` (``find_column``: trimmed, case-insensitive); list the
    columns intake does not read, as written."""
    found = {c: name for c in INPUT_COLUMNS if (name := find_column(raw, c)) is not None}
    others = [n for n in raw.columns if n != ROW_COLUMN]
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if missing:
        seen = ", ".join(others) or "(none)"
        raise TableError(source, f"missing required column(s) {', '.join(missing)}; found: {seen}")
    used = set(found.values())
    doubled = [n for n in others if n not in used and n.strip().casefold() in found]
    if doubled:  # read_table refuses these; a frame built another way must not silently lose one
        raise TableError(source, f"column(s) named more than once: {', '.join(doubled)}; keep one of each")
    return found, tuple(n for n in others if n not in used)


def _clean_cells(raw: pl.DataFrame, found: Mapping[str, str]) -> pl.DataFrame:
    """``row``, ``_i`` (position in row order) and one trimmed text column ``_r_<canonical>`` per input
    column (null when empty or absent), sorted by row."""
    position = pl.int_range(pl.len(), dtype=pl.Int64)
    row = position + 2
    if ROW_COLUMN in raw.columns:
        row = pl.coalesce(pl.col(ROW_COLUMN).cast(pl.Int64, strict=False), row)
    names = [f"_r_{c}" for c in INPUT_COLUMNS]
    cells = raw.select(
        row.alias("row"),
        *[
            (
                pl.col(found[c]).cast(pl.String, strict=False).str.strip_chars()
                if c in found
                else pl.lit(None, pl.String)
            ).alias(name)
            for c, name in zip(INPUT_COLUMNS, names, strict=True)
        ],
    ).with_columns(pl.when(pl.col(name) != "").then(pl.col(name)).alias(name) for name in names)
    if not cells["row"].is_sorted():
        cells = cells.sort("row", maintain_order=True)
    return cells.with_columns(position.alias("_i"))


def _check(cells: pl.DataFrame, context: _Context, *, explain: bool) -> pl.DataFrame:
    """Every field check: the canonical value columns plus ``<input column>_error`` (null when fine)."""
    r = {c: pl.col(f"_r_{c}") for c in INPUT_COLUMNS}
    quote = quoter(explain)
    quote_digits = echo_digits_masked if explain else quote

    def say(template: str, *args: pl.Expr) -> pl.Expr:
        return reason(explain, template, *args)

    def required(c: str, bad: pl.Expr, message: pl.Expr) -> pl.Expr:
        return pl.when(r[c].is_null()).then(pl.lit(REQUIRED)).when(bad).then(message).alias(f"{c}_error")

    def name_error(c: str) -> pl.Expr:
        length = r[c].str.len_chars()
        return (
            pl.when(r[c].is_null())
            .then(pl.lit(REQUIRED))
            .when(length > NAME_MAX)
            .then(
                say("expected 1–{} characters; got {} characters: {}", pl.lit(NAME_MAX), length, quote(r[c]))
            )
            .when(r[c].str.contains(r"[\x00-\x1f\x7f]"))
            .then(
                say(
                    "expected a name on one line; got a line break, tab or control character in {}",
                    quote(r[c]),
                )
            )
            .alias(f"{c}_error")
        )

    geography = context.geography
    districts = geography.districts
    spellings = geography.lookup_frame()
    index_of = {d.name: i for i, d in enumerate(districts)}
    district_ix = pl.col("_district_ix")

    def district_attribute(values: list[str | None]) -> pl.Expr:
        if not values:  # an empty geography: nothing resolves
            return pl.lit(None, pl.String)
        return pl.lit(pl.Series(values, dtype=pl.String)).gather(district_ix)

    low_gender = pl.col("_gender_low")
    gender = pl.lit(None, pl.String)
    for spelling, code in sorted(GENDERS.items()):
        gender = pl.when(low_gender == spelling).then(pl.lit(code)).otherwise(gender)
    basis = r["domicile_basis"].str.to_lowercase().str.replace_all(r"[\s-]+", "_").fill_null(BASES[0])
    minority, minority_error = flag(r["minority"], explain=explain)
    disabled, disabled_error = flag(r["disability"], explain=explain)
    dob, service = pl.col("dob"), pl.col("in_service_x100")

    frame = cells.with_columns(
        r["gender"].str.to_lowercase().alias("_gender_low"),
        normalise_expr("_r_domicile_district")
        .replace_strict(
            spellings["key"],
            [index_of[d] for d in spellings["district"]],
            default=None,
            return_dtype=pl.UInt32,
        )
        .alias("_district_ix"),
        r["cnic"].str.contains(CNIC_DASHED).alias("_cnic_dashed"),
        r["cnic"].str.contains(CNIC_DIGITS).alias("_cnic_digits"),
        r["application_id"].alias("application_id"),
        entries.lookup(r["post_code"], {p: p for p in context.posts}).alias("post_code"),
        pl.coalesce(r["roll_number"], r["application_id"]).alias("roll_number"),
        r["name"].alias("name"),
        r["father_name"].alias("father_name"),
        pl.when(basis.is_in(BASES)).then(basis).alias("domicile_basis"),
        minority.alias("minority"),
        disabled.alias("disabled"),
        minority_error.alias("minority_error"),
        disabled_error.alias("disability_error"),
        parse_date(r["dob"], date_layouts(cells["_r_dob"], partial=True)).alias("dob"),
        parse_x100(r["in_service_years"]).alias("in_service_x100"),
    )
    frame = frame.with_columns(
        gender.alias("gender"),
        pl.when(pl.col("_cnic_dashed")).then(r["cnic"]).alias("cnic"),
        district_attribute([d.name for d in districts]).alias("domicile_district"),
        district_attribute([d.province for d in districts]).alias("province"),
        district_attribute([d.division for d in districts]).alias("division"),
        district_attribute([d.zone for d in districts]).alias("zone"),
        district_attribute([d.region for d in districts]).alias("region"),
        date_in_range(dob).alias("dob"),
    )
    # 13 digits without dashes (rarer): dashes inserted on those rows only.
    frame = patch_rows(
        frame,
        pl.col("_cnic_digits"),
        [
            pl.concat_str(
                r["cnic"].str.slice(0, 5),
                r["cnic"].str.slice(5, 7),
                r["cnic"].str.slice(12, 1),
                separator="-",
            ).alias("cnic")
        ],
    )
    frame = frame.with_columns(
        date_precision(r["dob"], dob).alias("dob_precision"),
        date_error(r["dob"], dob, partial=True, explain=explain).alias("dob_error"),
        x100_error(r["in_service_years"], service, maximum_x100=IN_SERVICE_MAX_X100, explain=explain).alias(
            "in_service_years_error"
        ),
    )
    # The three list cells are parsed independently of each other: two at a time on threads (polars releases
    # the GIL), each adding its own columns, which are then put side by side in row order.
    parsers = (
        lambda f: entries.qualifications(f, "_r_qualifications", context.degrees, explain=explain),
        lambda f: entries.experience(f, "_r_experience", explain=explain),
        lambda f: entries.relaxations(
            f, "_r_relaxations", list(context.relaxation_codes), context.ceilings, explain=explain
        ),
    )
    before = set(frame.columns)
    with ThreadPoolExecutor(max_workers=2) as pool:
        parsed = list(pool.map(lambda parse: parse(frame), parsers))
    for result in parsed:
        assert result.height == frame.height
        frame = frame.hstack(result.select([c for c in result.columns if c not in before]))

    basis_col, gender_col = pl.col("domicile_basis"), pl.col("gender")
    return frame.with_columns(
        required(
            "application_id",
            ~r["application_id"].str.contains(ID_PATTERN),
            say("expected {}; got {}", pl.lit(ID_FORMAT), quote(r["application_id"])),
        ),
        required(
            "post_code",
            pl.col("post_code").is_null(),
            say(
                "expected a post code of this campaign ({}); got {}",
                pl.lit(entries.listing(list(context.posts))),
                quote(r["post_code"]),
            ),
        ),
        required(
            "cnic",
            pl.col("cnic").is_null(),
            say(
                "expected 13 digits as XXXXX-XXXXXXX-X or without dashes; got {} digit{} in {}",
                r["cnic"].str.count_matches("[0-9]"),
                pl.when(r["cnic"].str.count_matches("[0-9]") == 1).then(pl.lit("")).otherwise(pl.lit("s")),
                quote_digits(r["cnic"]),
            ),
        ),
        name_error("name"),
        name_error("father_name"),
        pl.when(r["dob"].is_null()).then(pl.lit(REQUIRED)).otherwise(pl.col("dob_error")).alias("dob_error"),
        required(
            "gender",
            gender_col.is_null(),
            say("expected M, F or X (or male/female); got {}", quote(r["gender"])),
        ),
        required(
            "domicile_district",
            pl.col("domicile_district").is_null(),
            say(
                "expected a district of geography {} (name or listed spelling); got {}",
                pl.lit(geography.version),
                quote(r["domicile_district"]),
            ),
        ),
        pl.when(basis_col.is_null())
        .then(
            say("expected own, husband or service_record (empty = own); got {}", quote(r["domicile_basis"]))
        )
        .when((basis_col == "husband") & (gender_col != "F"))
        .then(say("a husband's domicile is only for a married woman (gender F); gender is {}", gender_col))
        .alias("domicile_basis_error"),
        pl.when(r["in_service_years"].is_null())
        .then(0)
        .otherwise(service)
        .cast(pl.Int32)
        .alias("in_service_x100"),
        pl.when(r["qualifications"].is_null())
        .then(pl.lit(REQUIRED))
        .when(pl.col("qualifications").list.len() == 0)
        .then(
            say(
                "expected at least one entry {}; got {}",
                pl.lit(entries.QUALIFICATION_LAYOUT),
                quote(r["qualifications"]),
            )
        )
        .otherwise(pl.col("qualifications_error"))
        .alias("qualifications_error"),
        pl.when(r["roll_number"].is_not_null() & ~r["roll_number"].str.contains(ID_PATTERN))
        .then(say("expected {}; got {}", pl.lit(ID_FORMAT), quote(r["roll_number"])))
        .alias("roll_number_error"),
    )


def _explain(explained: pl.DataFrame) -> pl.DataFrame:
    """Rejected rows (REJECTED_SCHEMA) from the explained check of the failing rows: the first failing column
    (in INPUT_COLUMNS order) with its reason, and ``column: reason`` of every other one joined by ``; ``."""
    errors = [(c, pl.col(f"{c}_error")) for c in INPUT_COLUMNS]
    column = pl.lit(None, pl.String)
    for c, e in reversed(errors):
        column = pl.when(e.is_not_null()).then(pl.lit(c)).otherwise(column)
    labelled = [pl.concat_str(pl.lit(f"{c}: "), e) for c, e in errors]  # null when the column is fine
    rejected = explained.select(
        "row",
        pl.when(pl.col("application_id_error").is_null())
        .then(pl.col("application_id"))
        .alias("application_id"),
        column.alias("column"),
        pl.coalesce(e for _, e in errors).alias("reason"),
        pl.concat_str(labelled, separator="; ", ignore_nulls=True).alias("_all"),
    )
    # Everything after the first "column: reason; " is the other errors.
    first = pl.col("column").str.len_chars() + pl.col("reason").str.len_chars() + len(": ; ")
    rejected = rejected.with_columns(
        pl.when(pl.col("_all").str.len_chars() > first)
        .then(pl.col("_all").str.slice(first))
        .alias("other_errors")
    ).drop("_all")
    # The fast pass found these rows failing; the explaining pass must say why, for every one of them.
    assert rejected["reason"].null_count() == 0, "a failing row was not explained"
    return rejected


def _split_duplicates(checked: pl.DataFrame, valid: pl.Series) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(accepted, rejected duplicates) among the ``valid`` rows (those that passed every field check); see the
    module docstring. Rows are in row order, so a key's first occurrence is its earliest row. The usual file
    has no duplicate at all: a distinct count settles that without the per-row pass."""
    rows = checked.select(ACCEPTED_SCHEMA.names()).filter(valid)
    every = pl.Series([True] * rows.height, dtype=pl.Boolean)
    first_id = every
    if rows["application_id"].n_unique() != rows.height:
        first_id = rows.select(pl.col("application_id").is_first_distinct()).to_series()
    first_cnic = first_id
    if rows.filter(first_id)["cnic"].n_unique() != first_id.sum():
        key = pl.when(pl.lit(first_id)).then(pl.struct("post_code", "cnic"))
        first_cnic = rows.select(key.is_first_distinct() & pl.lit(first_id)).to_series()
    accepted = rows.filter(first_cnic)
    by_id = _with_first_row(rows.filter(~first_id), rows.filter(first_id), ["application_id"])
    by_cnic = _with_first_row(rows.filter(first_id & ~first_cnic), accepted, ["post_code", "cnic"])
    rejected = pl.concat(
        [
            by_id.select(
                "row",
                "application_id",
                pl.lit("application_id").alias("column"),
                pl.format("duplicate application_id: same as row {}", pl.col("_first")).alias("reason"),
            ),
            by_cnic.select(
                "row",
                "application_id",
                pl.lit("cnic").alias("column"),
                pl.format(
                    "duplicate CNIC for post {}: same as row {}", pl.col("post_code"), pl.col("_first")
                ).alias("reason"),
            ),
        ]
    ).with_columns(pl.lit(None, pl.String).alias("other_errors"))
    return accepted, rejected


def _with_first_row(repeated: pl.DataFrame, firsts: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """``repeated`` with ``_first``: the row of the first occurrence of its key (``firsts`` holds one row per
    key, the earliest, since frames are in row order)."""
    if repeated.height == 0:
        return repeated.with_columns(pl.lit(None, pl.Int64).alias("_first"))
    wanted = firsts.join(repeated.select(keys).unique(), on=keys, how="semi")
    return repeated.join(
        wanted.select(*keys, pl.col("row").alias("_first")), on=keys, how="left", maintain_order="left"
    )
