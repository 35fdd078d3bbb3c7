"""The applications format of docs/formats.md §1 as vectorised checks, written for the synth tests.

Independent of ``shafaf.core.intake`` on purpose: it restates the format table so the generator is checked
against the document, not against another module's reading of it. ``column_errors`` returns, per row, a
boolean column ``<column>_bad`` for every applications column.
"""

from __future__ import annotations

import polars as pl

from shafaf.core.policy.geography import Geography, normalise_expr

DEGREES = (
    "Matric|FA|FSc|ICom|ICS|HSSC|DAE|BA|BSc|BCom|BBA|BS|MA|MSc|MCom|MBA|MPhil|MS|PhD"  # vocabulary subset
)
DATE_FULL = r"\d{4}-\d{2}-\d{2}"
DATE_ANY = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
PERCENT = r"(?:100(?:\.0{1,2})?|\d{1,2}(?:\.\d{1,2})?)"
QUALIFICATION_ENTRY = rf"(?i:{DEGREES})\|[^|;]*\|{PERCENT}\|{DATE_ANY}(?:\|(?:completed|awaited))?"
EXPERIENCE_TYPES = "regular|contract|part_time|daily_wage|internship|unpaid"
EXPERIENCE_ENTRY = rf"{DATE_FULL}\|(?:{DATE_FULL}|present)\|(?:{EXPERIENCE_TYPES})"
GRANT = r"grant:(?:[1-3]:secretary|[1-5]:chief_secretary|[1-7]:chief_minister):[^:;]+"
RELAXATION_ENTRY = rf"(?:civil_servant|disabled|deceased_employee_family|{GRANT})"
BOOLEAN = r"(?i:yes|no|y|n|1|0|true|false)"

PATTERNS: dict[str, str] = {
    "application_id": r"^[A-Za-z0-9_/-]{1,40}$",
    "cnic": r"^(?:\d{5}-\d{7}-\d|\d{13})$",
    "name": r"^\S(?:.{0,98}\S)?$",
    "father_name": r"^\S(?:.{0,98}\S)?$",
    "dob": r"^(?:\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}|\d{4}-\d{2}|\d{4})$",
    "gender": r"^[MFX]$",
    "domicile_basis": r"^(?:own|husband|service_record)$",
    "minority": rf"^{BOOLEAN}$",
    "disability": rf"^{BOOLEAN}$",
    "in_service_years": r"^\d{1,2}(?:\.\d{1,2})?$",
    "qualifications": rf"^{QUALIFICATION_ENTRY}(?:;{QUALIFICATION_ENTRY})*$",
    "experience": rf"^{EXPERIENCE_ENTRY}(?:;{EXPERIENCE_ENTRY})*$",
    "relaxations": rf"^{RELAXATION_ENTRY}(?:;{RELAXATION_ENTRY})*$",
}
REQUIRED = ("application_id", "post_code", "cnic", "name", "father_name", "dob", "gender", "qualifications")


def _real_date(col: str) -> pl.Expr:
    """True where a full date (either layout) names a day that exists; partial dates count as real."""
    text = pl.col(col)
    iso = text.str.to_date("%Y-%m-%d", strict=False)
    dmy = text.str.to_date("%d/%m/%Y", strict=False)
    full = text.str.len_chars().is_in([10])
    return ~full | iso.is_not_null() | dmy.is_not_null()


def _entry_dates_real(col: str) -> pl.Expr:
    """Every YYYY-MM-DD inside a list column is a day that exists and every YYYY-MM a real month."""
    days = pl.col(col).str.extract_all(r"\d{4}-\d{2}-\d{2}")
    months = pl.col(col).str.extract_all(r"(?:^|[|;])\d{4}-\d{2}(?:$|[|;])")
    day_ok = days.list.eval(pl.element().str.to_date("%Y-%m-%d", strict=False).is_not_null()).list.all()
    month_ok = months.list.eval(
        pl.element().str.strip_chars("|;").str.slice(5, 2).cast(pl.Int64).is_between(1, 12)
    ).list.all()
    return day_ok & month_ok


def column_errors(frame: pl.DataFrame, *, post_codes: tuple[str, ...], geography: Geography) -> pl.DataFrame:
    """One boolean column ``<column>_bad`` per applications column: True where the cell breaks the format."""
    lookup = geography.lookup_frame().select("key", pl.lit(True).alias("_known"))
    keyed = frame.with_columns(normalise_expr("domicile_district").alias("key")).join(
        lookup, on="key", how="left", maintain_order="left"
    )
    checks: list[pl.Expr] = []
    for col in frame.columns:
        bad = pl.lit(False)
        if col in REQUIRED:
            bad = bad | pl.col(col).is_null()
        if col in PATTERNS:
            bad = bad | (pl.col(col).is_not_null() & ~pl.col(col).str.contains(PATTERNS[col]))
        if col == "post_code":
            bad = bad | ~pl.col(col).is_in(list(post_codes))
        if col == "dob":
            bad = bad | (pl.col(col).is_not_null() & ~_real_date(col))
        if col == "domicile_district":
            bad = bad | pl.col(col).is_null() | pl.col("_known").is_null()
        if col == "in_service_years":
            bad = bad | (pl.col(col).is_not_null() & (pl.col(col).cast(pl.Float64, strict=False) > 45))
        if col in ("qualifications", "experience"):
            bad = bad | (pl.col(col).is_not_null() & ~_entry_dates_real(col))
        checks.append(bad.fill_null(True).alias(f"{col}_bad"))
    return keyed.select(checks)


def bad_columns(errors: pl.DataFrame) -> pl.Series:
    """Per row, the sorted list of columns that break the format."""
    names = [c.removesuffix("_bad") for c in errors.columns]
    return errors.select(
        pl.concat_list([pl.when(pl.col(f"{n}_bad")).then(pl.lit(n)).otherwise(pl.lit(None)) for n in names])
        .list.drop_nulls()
        .alias("bad")
    ).to_series()
