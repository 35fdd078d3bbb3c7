"""Malformed and duplicate rows planted in a clean synthetic registry, so intake has something real to reject.

Each malformed row is a copy of a clean row (a fresh, unique CNIC and a new application id) with exactly
one field broken in one documented way (:data:`CORRUPTIONS`); each duplicate is a clean row submitted a
second time (new application id, the same CNIC, written with or without dashes) and always placed *after*
the row it duplicates, so the second occurrence is the one intake rejects. :func:`corrupt_with_manifest`
also returns the list of planted rows with their spreadsheet row numbers (header = row 1).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from shafaf.synth.applicants import COLUMNS

__all__ = ["CORRUPTIONS", "MANIFEST_COLUMNS", "Corruption", "corrupt", "corrupt_with_manifest"]

Row = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class Corruption:
    """One kind of malformed row: the column it breaks, how (in words), and the broken value from the row."""

    code: str
    column: str
    description: str
    value: Callable[[Row], str | None]


def _year(row: Row) -> str:
    dob = row["dob"] or "1999"
    return dob[-4:] if "/" in dob else dob[:4]


def _last_entry_fields(row: Row) -> tuple[list[str], list[str]]:
    entries = (row["qualifications"] or "").split(";")
    return entries, entries[-1].split("|")


def _percent_120(row: Row) -> str:
    entries, fields = _last_entry_fields(row)
    fields[2] = "120"
    return ";".join([*entries[:-1], "|".join(fields)])


def _fields_missing(row: Row) -> str:
    entries, fields = _last_entry_fields(row)
    return ";".join([*entries[:-1], "|".join(fields[:2])])


def _cnic_short(row: Row) -> str:
    return "".join(ch for ch in row["cnic"] or "" if ch.isdigit())[:12]


def _cnic_letter(row: Row) -> str:
    digits = "".join(ch for ch in row["cnic"] or "" if ch.isdigit())
    return f"{digits[:5]}-{digits[5]}O{digits[7:12]}-{digits[12]}"


CORRUPTIONS: tuple[Corruption, ...] = (
    Corruption("cnic_too_short", "cnic", "12 digits instead of 13", _cnic_short),
    Corruption("cnic_letter", "cnic", "the letter O typed for a zero inside the CNIC", _cnic_letter),
    Corruption(
        "dob_impossible", "dob", "30 February (a date that does not exist)", lambda r: f"{_year(r)}-02-30"
    ),
    Corruption("dob_month_13", "dob", "month 13", lambda r: f"{_year(r)}-13-01"),
    Corruption(
        "district_unknown",
        "domicile_district",
        "a misspelt district in no table: Quettta",
        lambda r: "Quettta",
    ),
    Corruption("gender_invalid", "gender", "'Male?' instead of M, F or X", lambda r: "Male?"),
    Corruption(
        "qualifications_empty", "qualifications", "required qualifications left empty", lambda r: None
    ),
    Corruption("percent_over_100", "qualifications", "a percentage of 120 in the last degree", _percent_120),
    Corruption(
        "qualification_fields_missing",
        "qualifications",
        "last degree without PERCENT and DATE",
        _fields_missing,
    ),
    Corruption(
        "grant_above_ceiling",
        "relaxations",
        "a 9-year grant by a Secretary (ceiling 3; no authority may grant more than 7)",
        lambda r: "grant:9:secretary:S&GAD-2026/99",
    ),
    Corruption(
        "in_service_out_of_range", "in_service_years", "57 years of service (allowed 0-45)", lambda r: "57"
    ),
    Corruption(
        "post_code_unknown", "post_code", "a post code not in the campaign", lambda r: f"{r['post_code']}-OLD"
    ),
    Corruption(
        "application_id_invalid",
        "application_id",
        "a space and '#' in the application id",
        lambda r: f"{r['application_id']} #2",
    ),
    Corruption("name_empty", "name", "required name left empty", lambda r: None),
    Corruption(
        "father_name_too_long",
        "father_name",
        "father's name of more than 100 characters",
        lambda r: " ".join([r["father_name"] or "Abdul Karim"] * 40)[:130],
    ),
    Corruption("minority_invalid", "minority", "'maybe' instead of yes/no", lambda r: "maybe"),
    Corruption(
        "experience_type_unknown",
        "experience",
        "experience TYPE 'volunteer' (not a listed type)",
        lambda r: "2022-01-01|2023-06-30|volunteer",
    ),
    Corruption(
        "domicile_basis_invalid",
        "domicile_basis",
        "'father' instead of own/husband/service_record",
        lambda r: "father",
    ),
)

MANIFEST_COLUMNS: tuple[str, ...] = (
    "row",
    "application_id",
    "kind",
    "column",
    "duplicate_of_row",
    "description",
)


def _next_ids(existing: pl.Series, k: int) -> list[str]:
    """``k`` new ids continuing the frame's numbering (``SA-2026-001677`` after ``SA-2026-001676``)."""
    parts = pl.DataFrame({"id": existing}).select(
        pl.col("id").str.extract(r"^(.*?)\d+$", 1).alias("prefix"),
        pl.col("id").str.extract(r"(\d+)$", 1).alias("digits"),
    )
    prefixes = parts["prefix"].unique()
    if existing.len() and parts["digits"].null_count() == 0 and prefixes.len() == 1:
        prefix = str(prefixes[0])
        width = int(parts["digits"].str.len_chars().max())  # type: ignore[arg-type]
        number = int(parts["digits"].cast(pl.Int64).max()) + 1  # type: ignore[arg-type]
    else:
        prefix, width, number = "X-", 6, 1
    taken = set(existing.filter(existing.str.starts_with(prefix)).to_list()) if prefix == "X-" else set()
    out: list[str] = []
    while len(out) < k:
        candidate = f"{prefix}{number:0{width}d}"
        if candidate not in taken:
            out.append(candidate)
        number += 1
    return out


def _digits(cnic: str | None) -> str:
    return "".join(ch for ch in cnic or "" if ch.isdigit())


def _fresh_cnics(rng: np.random.Generator, taken: pl.Series, k: int) -> list[str]:
    """``k`` distinct Balochistan-shaped CNICs (with dashes) whose digits are not in ``taken``."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < k:
        bodies = ["5" + "".join(str(d) for d in rng.integers(0, 10, size=12)) for _ in range(k - len(out))]
        clash = set(taken.filter(taken.is_in(bodies)).to_list())
        for body in bodies:
            if body not in clash and body not in seen:
                seen.add(body)
                out.append(f"{body[:5]}-{body[5:12]}-{body[12]}")
    return out


def corrupt_with_manifest(
    frame: pl.DataFrame, *, seed: int, n_bad: int, n_duplicates: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``frame`` with ``n_bad`` malformed and ``n_duplicates`` duplicate-CNIC rows at seeded positions.

    Malformed kinds cycle through :data:`CORRUPTIONS` in order (so ``n_bad >= len(CORRUPTIONS)`` plants every
    kind). Returns the new frame and a manifest (:data:`MANIFEST_COLUMNS`), one line per planted row in file
    order, with spreadsheet row numbers.
    """
    if n_bad < 0 or n_duplicates < 0:
        raise ValueError("n_bad and n_duplicates must be >= 0")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks applications columns {missing}")
    n = frame.height
    if (n_bad or n_duplicates) and n == 0:
        raise ValueError("cannot corrupt an empty frame")
    if n_duplicates > n:
        raise ValueError(f"n_duplicates = {n_duplicates} exceeds the {n} rows available to duplicate")
    rng = np.random.default_rng([seed, zlib.crc32(b"corrupt")])
    frame = frame.select([pl.col(c).cast(pl.String) for c in frame.columns])

    ids = _next_ids(frame["application_id"], n_bad + n_duplicates)
    cnic_digits = frame["cnic"].str.replace_all(r"\D", "")
    fresh = _fresh_cnics(rng, cnic_digits, n_bad)

    new_rows: list[Row] = []
    slots: list[int] = []
    notes: list[tuple[str, str, int | None, str]] = []  # kind, column, duplicated clean index, description

    templates = rng.integers(0, max(n, 1), size=n_bad)
    for k in range(n_bad):
        kind = CORRUPTIONS[k % len(CORRUPTIONS)]
        row: Row = dict(frame.row(int(templates[k]), named=True))
        row["application_id"] = ids[k]
        row["cnic"] = fresh[k]
        row["roll_number"] = None
        row[kind.column] = kind.value(row)
        new_rows.append(row)
        slots.append(int(rng.integers(0, n + 1)))
        notes.append((kind.code, kind.column, None, kind.description))

    originals = (
        np.sort(rng.choice(n, size=n_duplicates, replace=False)) if n_duplicates else np.array([], int)
    )
    for k, original in enumerate(originals.tolist()):
        row = dict(frame.row(original, named=True))
        row["application_id"] = ids[n_bad + k]
        row["roll_number"] = None
        digits = _digits(row["cnic"])
        if rng.random() < 0.5:  # the same CNIC written the other way (with / without dashes)
            row["cnic"] = (
                digits if "-" in (row["cnic"] or "") else f"{digits[:5]}-{digits[5:12]}-{digits[12]}"
            )
        new_rows.append(row)
        slots.append(int(rng.integers(original + 1, n + 1)))
        notes.append(("duplicate_cnic", "cnic", original, "the same CNIC applying again for the same post"))

    clean = frame.with_columns(
        _key=pl.int_range(0, n, dtype=pl.Int64) * 2 + 1,
        _sub=pl.lit(0, dtype=pl.Int64),
        _src=pl.lit(-1, pl.Int64),
    )
    added = pl.DataFrame(new_rows, schema={c: pl.String for c in frame.columns}, orient="row").with_columns(
        _key=pl.Series(values=[2 * s for s in slots], dtype=pl.Int64),
        _sub=pl.int_range(1, len(new_rows) + 1, dtype=pl.Int64),
        _src=pl.int_range(0, len(new_rows), dtype=pl.Int64),
    )
    merged = pl.concat([clean, added]).sort(["_key", "_sub"]).with_row_index("_pos")

    positions = merged.filter(pl.col("_src") >= 0).select("_pos", "_src").sort("_src")["_pos"].to_list()
    # A clean row's position = its index + the number of planted rows placed before it (key < 2 i + 1).
    planted_keys = np.sort(np.array([2 * s for s in slots], dtype=np.int64))
    manifest_rows = []
    for src, pos in enumerate(positions):
        kind_code, column, original_idx, description = notes[src]
        manifest_rows.append(
            {
                "row": pos + 2,
                "application_id": new_rows[src]["application_id"],
                "kind": kind_code,
                "column": column,
                "duplicate_of_row": None
                if original_idx is None
                else original_idx + int(np.searchsorted(planted_keys, 2 * original_idx + 1)) + 2,
                "description": description,
            }
        )
    manifest = pl.DataFrame(
        manifest_rows,
        schema={
            "row": pl.Int64,
            "application_id": pl.String,
            "kind": pl.String,
            "column": pl.String,
            "duplicate_of_row": pl.Int64,
            "description": pl.String,
        },
        orient="row",
    ).sort("row")
    return merged.drop("_key", "_sub", "_src", "_pos"), manifest


def corrupt(frame: pl.DataFrame, *, seed: int, n_bad: int, n_duplicates: int) -> pl.DataFrame:
    """``frame`` with malformed and duplicate rows inserted; see :func:`corrupt_with_manifest`."""
    return corrupt_with_manifest(frame, seed=seed, n_bad=n_bad, n_duplicates=n_duplicates)[0]
