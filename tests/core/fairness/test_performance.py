"""A million rows, five families (the pipeline's set), well under three seconds."""

from __future__ import annotations

import time

import numpy as np
import polars as pl
import pytest

from shafaf.core.fairness import audit_families

FAMILIES = [("gender",), ("zone",), ("minority",), ("disabled",), ("gender", "zone")]


@pytest.mark.slow
def test_one_million_rows_five_families() -> None:
    """1,000,000 rows × 5 families, by selection and by score, each in under 3 s, with exact counts."""
    rng = np.random.default_rng(20261203)
    n = 1_000_000
    frame = pl.DataFrame(
        {
            "gender": rng.choice(np.array(["M", "F", "X", ""]), n, p=[0.6, 0.385, 0.01, 0.005]),
            "zone": rng.choice(np.array([f"Z{i:02d}" for i in range(36)]), n),
            "minority": rng.integers(0, 2, n),
            "disabled": rng.random(n) < 0.03,
            "selected": rng.random(n) < 0.2,
            "score": rng.normal(50.0, 10.0, n),
        }
    )
    for selected, score in (("selected", None), (None, "score")):
        start = time.perf_counter()
        report = audit_families(frame, families=FAMILIES, selected=selected, score=score)
        elapsed = time.perf_counter() - start
        assert elapsed < 3.0, f"{selected or score}: {elapsed:.2f} s"
        assert report.n_rows == n
        gender = report.family("gender")
        assert gender.unknown_count == int((frame["gender"] == "").sum())
        assert len(report.family("gender×zone").categories) == 3 * 36
    assert report.family("disabled").labels == ("false", "true")
