"""Planted malformed and duplicate rows: exact counts, one broken column each, duplicates after originals."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from shafaf.core.policy.geography import Geography, load_geography
from shafaf.synth import CORRUPTIONS, corrupt, corrupt_with_manifest, generate_applicants
from tests.synth.formats import bad_columns, column_errors

N = 2000


@pytest.fixture(scope="module")
def geography() -> Geography:
    return load_geography()


@pytest.fixture(scope="module")
def clean(geography: Geography) -> pl.DataFrame:
    return generate_applicants(
        n=N,
        seed=4,
        post_code="SUB-ACC",
        roll_numbers=[f"e{100001 + i}" for i in range(N)],
        geography=geography,
        eligibility_date=date(2026, 1, 26),
    )


def _digits(col: str) -> pl.Expr:
    return pl.col(col).str.replace_all(r"\D", "")


@pytest.mark.parametrize(("n_bad", "n_dup"), [(0, 0), (1, 0), (0, 1), (18, 5), (40, 12)])
def test_exactly_the_requested_rows_are_added(clean: pl.DataFrame, n_bad: int, n_dup: int) -> None:
    """The output has N + n_bad + n_dup rows; the manifest lists exactly those, and the clean rows keep their
    relative order and content."""
    out, manifest = corrupt_with_manifest(clean, seed=9, n_bad=n_bad, n_duplicates=n_dup)
    assert out.height == N + n_bad + n_dup
    assert manifest.height == n_bad + n_dup
    assert manifest.filter(pl.col("kind") == "duplicate_cnic").height == n_dup
    planted = set(manifest["application_id"].to_list())
    kept = out.filter(~pl.col("application_id").is_in(sorted(planted)))
    assert kept.equals(clean)
    assert out["application_id"].n_unique() == out.height
    # the manifest's row numbers are spreadsheet rows (header = 1) of the planted ids
    rows = out.with_row_index("r", offset=2).filter(pl.col("application_id").is_in(sorted(planted)))
    assert sorted(rows["r"].to_list()) == manifest["row"].to_list()


def test_each_malformed_row_breaks_exactly_its_column(clean: pl.DataFrame, geography: Geography) -> None:
    """With one row of every kind, each planted row fails the format in its kind's column and nowhere else."""
    out, manifest = corrupt_with_manifest(clean, seed=2, n_bad=len(CORRUPTIONS), n_duplicates=0)
    assert sorted(manifest["kind"].to_list()) == sorted(c.code for c in CORRUPTIONS)
    errors = column_errors(out, post_codes=("SUB-ACC",), geography=geography)
    bad = out.select("application_id").with_columns(bad=bad_columns(errors))
    by_id = dict(bad.iter_rows())
    for app_id, column, kind in manifest.select("application_id", "column", "kind").iter_rows():
        assert by_id[app_id] == [column], (kind, by_id[app_id])
    planted = set(manifest["application_id"].to_list())
    assert all(not cols for app_id, cols in by_id.items() if app_id not in planted)


def test_malformed_rows_carry_fresh_cnics_and_no_roll_number(clean: pl.DataFrame) -> None:
    """A malformed row never repeats a clean row's CNIC (so it is rejected for its own fault only) and has no
    roll number (no test record)."""
    out, manifest = corrupt_with_manifest(clean, seed=5, n_bad=30, n_duplicates=0)
    planted = out.filter(pl.col("application_id").is_in(manifest["application_id"].to_list()))
    assert planted["roll_number"].null_count() == 30
    clean_digits = set(clean.select(_digits("cnic"))["cnic"].to_list())
    assert not clean_digits & set(planted.select(_digits("cnic"))["cnic"].to_list())


def test_duplicates_repeat_an_earlier_cnic(clean: pl.DataFrame, geography: Geography) -> None:
    """A duplicate is a well-formed row whose CNIC digits equal those of the row named in duplicate_of_row,
    which comes earlier in the file; about half are written with the other dash layout."""
    out, manifest = corrupt_with_manifest(clean, seed=8, n_bad=0, n_duplicates=40)
    numbered = out.with_row_index("row", offset=2).with_columns(digits=_digits("cnic"))
    errors = column_errors(out, post_codes=("SUB-ACC",), geography=geography)
    assert bad_columns(errors).list.len().sum() == 0
    by_row = {r: (d, c) for r, d, c in numbered.select("row", "digits", "cnic").iter_rows()}
    layouts = 0
    for row, original in manifest.select("row", "duplicate_of_row").iter_rows():
        assert original < row
        assert by_row[row][0] == by_row[original][0]
        layouts += by_row[row][1] != by_row[original][1]
    assert 0 < layouts < 40
    assert numbered["digits"].n_unique() == N


def test_same_seed_same_rows_and_positions(clean: pl.DataFrame) -> None:
    """corrupt() is deterministic and equals the first element of corrupt_with_manifest()."""
    a = corrupt(clean, seed=3, n_bad=10, n_duplicates=4)
    b, _ = corrupt_with_manifest(clean, seed=3, n_bad=10, n_duplicates=4)
    assert a.write_csv() == b.write_csv()
    assert a.write_csv() != corrupt(clean, seed=4, n_bad=10, n_duplicates=4).write_csv()


def test_ids_continue_the_numbering(clean: pl.DataFrame) -> None:
    """Planted rows take the next application ids (SA-2026-002001 after SA-2026-002000), in planting order;
    the invalid-id kind appends ' #2' to its id."""
    _, manifest = corrupt_with_manifest(clean, seed=1, n_bad=2, n_duplicates=1)
    ids = sorted(manifest["application_id"].to_list())
    assert ids == ["SA-2026-002001", "SA-2026-002002", "SA-2026-002003"]


def test_impossible_requests_are_refused(clean: pl.DataFrame) -> None:
    """More duplicates than rows, negative counts, or corrupting an empty frame raise ValueError."""
    with pytest.raises(ValueError, match="exceeds"):
        corrupt(clean.head(3), seed=1, n_bad=0, n_duplicates=4)
    with pytest.raises(ValueError, match=">= 0"):
        corrupt(clean, seed=1, n_bad=-1, n_duplicates=0)
    with pytest.raises(ValueError, match="empty frame"):
        corrupt(clean.head(0), seed=1, n_bad=1, n_duplicates=0)
    with pytest.raises(ValueError, match="lacks applications columns"):
        corrupt(clean.drop("cnic"), seed=1, n_bad=1, n_duplicates=0)
