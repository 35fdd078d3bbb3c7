"""Auditing each stage of a funnel: the stage's population, its outcome, its own n_rows."""

from __future__ import annotations

import polars as pl
import pytest

from shafaf.core.errors import InputError
from shafaf.core.fairness import audit_stages


def _funnel() -> pl.DataFrame:
    # 8 applicants: 4 F, 4 M. Eligible: F 2, M 4. Passed (of the eligible): F 1, M 2. Not-eligible rows have
    # a null "passed", which is fine: they are outside the test stage's population.
    return pl.DataFrame(
        {
            "gender": ["F", "F", "F", "F", "M", "M", "M", "M"],
            "applied": [True] * 8,
            "eligible": [True, True, False, False, True, True, True, True],
            "passed": [True, False, None, None, True, True, False, False],
        }
    )


def test_each_stage_audits_its_population() -> None:
    """eligibility: F 2/4, M 4/4 (IR 0.5, flagged); test: F 1/2, M 2/4 (IR 1.0, tie broken by larger n)."""
    reports = audit_stages(
        _funnel(),
        stages=[("eligibility", "applied", "eligible"), ("test", "eligible", "passed")],
        families=[("gender",)],
    )
    assert list(reports) == ["eligibility", "test"]
    elig = reports["eligibility"].family("gender")
    assert reports["eligibility"].n_rows == 8
    assert [(c.label, c.n, c.positives) for c in elig.categories] == [("F", 4, 2), ("M", 4, 4)]
    assert (elig.category("F").impact_ratio, elig.category("F").four_fifths_flag) == (0.5, True)
    test = reports["test"].family("gender")
    assert reports["test"].n_rows == 6
    assert [(c.label, c.n, c.positives) for c in test.categories] == [("F", 2, 1), ("M", 4, 2)]
    assert test.reference == "M"
    assert test.category("F").impact_ratio == 1.0


def test_null_outcome_inside_the_population_is_refused() -> None:
    """An eligible row with no "passed" value is an input error naming its spreadsheet row (index 1 → 3)."""
    frame = _funnel().with_columns(passed=pl.Series([True, None, None, None, True, True, False, False]))
    with pytest.raises(InputError, match=r"^stages.csv: row 3, column 'passed'"):
        audit_stages(
            frame, stages=[("test", "eligible", "passed")], families=[("gender",)], source="stages.csv"
        )


def test_stage_names_must_be_unique() -> None:
    """Two stages with the same name would overwrite each other: refused."""
    with pytest.raises(InputError, match="stage 'x' is given twice"):
        audit_stages(
            _funnel(),
            stages=[("x", "applied", "eligible"), ("x", "eligible", "passed")],
            families=[("gender",)],
        )


def test_stage_exclusion_uses_the_stage_population() -> None:
    """The 2% rule's N_rows is the stage's population: 1 of 49 eligible rows (2.04%) stays in."""
    n = 100
    frame = pl.DataFrame(
        {
            "g": ["small"] + ["big"] * (n - 1),
            "applied": [True] * n,
            "eligible": [True] * 49 + [False] * (n - 49),
            "passed": [True] * 49 + [False] * (n - 49),
        }
    )
    reports = audit_stages(
        frame,
        stages=[("apply", "applied", "eligible"), ("test", "eligible", "passed")],
        families=[("g",)],
        exclude_small=True,
    )
    assert reports["apply"].family("g").category("small").excluded is True  # 1 of 100 = 1%
    assert reports["test"].family("g").category("small").excluded is False  # 1 of 49 > 2%
