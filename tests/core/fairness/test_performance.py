"""A million rows, five families (the pipeline's set): exact counts at scale. Speed is measured by
`make bench` (bench/bench_pipeline.py), not asserted here."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from shafaf.core.fairness import audit_families

FAMILIES = [("gender",), ("zone",), ("minority",), ("disabled",), ("gender", "zone")]


@pytest.mark.slow
def test_one_million_rows_five_families() -> None:
    """1,000,000 rows × 5 families, by selection and by score, with exact counts."""
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
        report = audit_families(frame, families=FAMILIES, selected=selected, score=score)
        assert report.n_rows == n
        gender = report.family("gender")
        assert gender.unknown_count == int((frame["gender"] == "").sum())
        assert len(report.family("gender×zone").categories) == 3 * 36
    assert report.family("disabled").labels == ("false", "true")
