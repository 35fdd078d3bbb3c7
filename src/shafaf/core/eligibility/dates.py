"""Exact calendar arithmetic for ages and periods (domain.md §3: exact Y/M/D, never float years).

Two conventions, stated once:
- The N-th birthday of someone born on 29 February falls on 1 March in a non-leap year (``mar1``, the default) or
  on 28 February (``feb28``). A candidate is "N years old" from that day on.
- "Not more than U years" on the reference date means the reference date is on or before the U-th birthday; one
  day later is over age. "At least L years" means on or after the L-th birthday.
Every function has a scalar form (explanations) and a polars expression form (batches), held equal by tests.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

import polars as pl

LeapRule = Literal["mar1", "feb28"]


def anniversary(dob: date, years: int, leap: LeapRule = "mar1") -> date:
    """The ``years``-th birthday of someone born on ``dob``."""
    y = dob.year + years
    if dob.month == 2 and dob.day == 29 and not calendar.isleap(y):
        return date(y, 3, 1) if leap == "mar1" else date(y, 2, 28)
    return date(y, dob.month, dob.day)


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clamped to the end of a shorter month."""
    idx = d.year * 12 + (d.month - 1) + months
    y, m = divmod(idx, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def age_ymd(dob: date, on: date, leap: LeapRule = "mar1") -> tuple[int, int, int]:
    """Completed years, then months, then days from ``dob`` to ``on`` (``on`` ≥ ``dob``; else (0, 0, 0))."""
    if on < dob:
        return (0, 0, 0)
    years = on.year - dob.year
    if anniversary(dob, years, leap) > on:
        years -= 1
    start = anniversary(dob, years, leap)
    months = (on.year * 12 + on.month) - (start.year * 12 + start.month)
    if add_months(start, months) > on:
        months -= 1
    days = (on - add_months(start, months)).days
    return (years, months, days)


def format_ymd(ymd: tuple[int, int, int]) -> str:
    y, m, d = ymd
    return f"{y}y {m}m {d}d"


def inclusive_days(start: date, end: date) -> int:
    return (end - start).days + 1


def merge_periods(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Merge overlapping or touching inclusive periods."""
    out: list[tuple[date, date]] = []
    for s, e in sorted(periods):
        if out and s <= out[-1][1] + timedelta(days=1):
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


# ---- vectorised twins -------------------------------------------------------------------------------------


def _is_leap(year: pl.Expr) -> pl.Expr:
    return ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)


def anniversary_expr(dob: pl.Expr, years: pl.Expr, leap: LeapRule = "mar1") -> pl.Expr:
    """Vectorised :func:`anniversary`; ``years`` may vary per row."""
    y = dob.dt.year().cast(pl.Int32) + years.cast(pl.Int32)
    m = dob.dt.month().cast(pl.Int32)
    d = dob.dt.day().cast(pl.Int32)
    fix = (m == 2) & (d == 29) & ~_is_leap(y)
    if leap == "mar1":
        mm = pl.when(fix).then(3).otherwise(m)
        dd = pl.when(fix).then(1).otherwise(d)
    else:
        mm = m
        dd = pl.when(fix).then(28).otherwise(d)
    return pl.date(y, mm, dd)


def _add_months_expr(start: pl.Expr, months: pl.Expr) -> pl.Expr:
    idx = start.dt.year().cast(pl.Int32) * 12 + start.dt.month().cast(pl.Int32) - 1 + months
    y = idx // 12
    m = idx % 12 + 1
    dim = pl.date(y, m, 1).dt.month_end().dt.day().cast(pl.Int32)
    d = pl.min_horizontal(start.dt.day().cast(pl.Int32), dim)
    return pl.date(y, m, d)


def with_age_text(frame: pl.DataFrame, dob: str, on: date, out: str, leap: LeapRule = "mar1") -> pl.DataFrame:
    """Add column ``out``: the vectorised ``format_ymd(age_ymd(dob, on))`` for a fixed reference date.

    Computed in steps (materialised temporaries) rather than one nested expression: polars plans deeply
    nested date expressions slowly.
    """
    on_lit = pl.lit(on)
    d = pl.col(dob)
    f = frame.with_columns(_y0=pl.lit(on.year, pl.Int32) - d.dt.year().cast(pl.Int32))
    f = f.with_columns(
        _ys=pl.when(anniversary_expr(d, pl.col("_y0"), leap) > on_lit)
        .then(pl.col("_y0") - 1)
        .otherwise(pl.col("_y0"))
    )
    f = f.with_columns(_st=anniversary_expr(d, pl.col("_ys"), leap))
    f = f.with_columns(
        _m0=pl.lit(on.year * 12 + on.month, pl.Int32)
        - (pl.col("_st").dt.year().cast(pl.Int32) * 12 + pl.col("_st").dt.month().cast(pl.Int32))
    )
    f = f.with_columns(_a0=_add_months_expr(pl.col("_st"), pl.col("_m0")))
    f = f.with_columns(_ms=pl.when(pl.col("_a0") > on_lit).then(pl.col("_m0") - 1).otherwise(pl.col("_m0")))
    f = f.with_columns(_a1=_add_months_expr(pl.col("_st"), pl.col("_ms")))
    text = pl.format("{}y {}m {}d", pl.col("_ys"), pl.col("_ms"), (on_lit - pl.col("_a1")).dt.total_days())
    f = f.with_columns(pl.when(d > on_lit).then(pl.lit("0y 0m 0d")).otherwise(text).alias(out))
    return f.drop("_y0", "_ys", "_st", "_m0", "_a0", "_ms", "_a1")
