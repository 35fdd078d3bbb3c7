"""Small builders shared by the marks tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import polars as pl

DATA = Path("/work/shared/data/psychometrics")


def text_frame(columns: Mapping[str, Sequence[str | None]]) -> pl.DataFrame:
    """An all-String frame with spreadsheet row numbers, as ``read_table`` returns."""
    height = len(next(iter(columns.values())))
    frame = pl.DataFrame(
        {name: list(values) for name, values in columns.items()}, schema=dict.fromkeys(columns, pl.String)
    )
    return frame.select(pl.int_range(2, height + 2, dtype=pl.Int64).alias("row"), pl.all())


def key_frame(rows: Sequence[Sequence[str | None]], header: Sequence[str] = ("item", "key")) -> pl.DataFrame:
    return text_frame({name: [r[i] for r in rows] for i, name in enumerate(header)})
