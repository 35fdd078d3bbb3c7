"""Building small audit frames from per-category counts."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from shafaf.core.fairness import AuditReport


def counts_frame(
    spec: dict[str | None, tuple[int, int]], *, column: str = "g", outcome: str = "sel"
) -> pl.DataFrame:
    """Rows for ``{label: (n, selected)}``: ``selected`` rows with outcome 1 then ``n − selected`` with 0.

    A label of None makes unknown rows.
    """
    labels: list[str | None] = []
    values: list[int] = []
    for label, (n, x) in spec.items():
        labels.extend([label] * n)
        values.extend([1] * x + [0] * (n - x))
    return pl.DataFrame({column: labels, outcome: values}, schema={column: pl.String, outcome: pl.Int64})


def as_json(report: AuditReport, *, reasons: bool = False) -> Any:
    """The report's dict after a JSON round trip (typed Any, for indexing in tests)."""
    return json.loads(json.dumps(report.to_dict(reasons=reasons), allow_nan=False))
