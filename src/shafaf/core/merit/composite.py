"""Composite merit marks, exactly, and the pass thresholds of a test (domain.md §4).

Each component contributes ``weight × value / maximum``; the composite is their sum, out of the sum of the
weights. Sources and their columns:

=============  ===============================  ======================================================
source         column                           maximum
=============  ===============================  ======================================================
``test``       ``test_total`` (Int64, 1/10^4)   ``max_marks`` = sum of the section maxima (required)
``academic``   ``min_qual_percent_x100`` (Int)  ``max_marks`` or 100 (percent), value is percent × 100
``interview``  ``interview`` (Int64, 1/10^4)    ``max_marks`` = the interview maximum (required)
``experience`` ``experience_days`` (Int)        ``max_marks`` = a cap in *years*; days beyond
                                                ``years × days_per_year`` add nothing more
=============  ===============================  ======================================================

Experience is kept simple: the contribution is ``weight × min(days, cap) / cap`` with
``cap = max_marks × days_per_year`` counted days (the pack's ``days_per_year``, 365 by default), i.e. linear
up to the cap and full weight beyond it. No other source is capped: a value above its maximum (an interview
mark typed wrongly) would give more than the weight, so callers validate values against their maxima.

Exactness: the composite is ``composite_num / D`` with one common denominator ``D`` for the frame (``D`` is
the least common multiple of the components' denominators, so ``composite_num`` is an integer and comparing
two candidates is comparing two integers). A null in any used source column makes the composite null: the
candidate cannot be placed on merit until the value is known (``rank`` puts nulls last). ``composite``
(String) is the display text, rounded to four decimals ROUND_HALF_EVEN from the exact fraction.

Bounds: ``D <= 10**14`` and ``Σ |coefficient| × max |value| <= 2**63 - 1`` are checked before computing;
ordinary formulas (weights and maxima with a few decimals) are many orders of magnitude below both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Literal

import polars as pl

from shafaf.core.errors import CampaignError, TableError
from shafaf.core.exact import INT64_MAX, MAX_DENOMINATOR, SCALE, fraction_to_str, to_fraction
from shafaf.core.marks.spec import SectionSpec, section_column

__all__ = [
    "SOURCE_COLUMNS",
    "Component",
    "composite",
    "passes",
]

Source = Literal["test", "academic", "interview", "experience"]

#: The frame column each source reads and the unit of that column (how many column units make one mark).
SOURCE_COLUMNS: dict[str, tuple[str, int]] = {
    "test": ("test_total", SCALE),
    "academic": ("min_qual_percent_x100", 100),
    "interview": ("interview", SCALE),
    "experience": ("experience_days", 1),
}
_WHERE = "[posts.merit] components"


@dataclass(frozen=True)
class Component:
    """One part of the merit formula: ``weight × value / max_marks`` (see the module doc for each source)."""

    source: Source
    weight: Decimal
    max_marks: Decimal | None = None


@dataclass(frozen=True)
class _Term:
    column: str
    coefficient: Fraction  # contribution per column unit
    cap: Fraction | None  # experience: column units beyond which the contribution stays at the weight
    weight: Fraction


def _terms(components: Sequence[Component], days_per_year: int) -> list[_Term]:
    if not components:
        raise CampaignError(_WHERE, "the merit formula needs at least one component")
    seen: set[str] = set()
    terms: list[_Term] = []
    for component in components:
        if component.source not in SOURCE_COLUMNS:
            raise CampaignError(
                _WHERE, f"unknown source {component.source!r}; expected {sorted(SOURCE_COLUMNS)}"
            )
        if component.source in seen:
            raise CampaignError(_WHERE, f"source {component.source!r} appears twice")
        seen.add(component.source)
        column, unit = SOURCE_COLUMNS[component.source]
        try:
            weight = to_fraction(component.weight)
            maximum = (
                Fraction(100)
                if component.max_marks is None and component.source == "academic"
                else None
                if component.max_marks is None
                else to_fraction(component.max_marks)
            )
        except ValueError as exc:
            raise CampaignError(_WHERE, f"{component.source}: {exc}") from exc
        if weight <= 0:
            raise CampaignError(_WHERE, f"{component.source}: weight must be > 0, got {component.weight}")
        if maximum is None:
            raise CampaignError(_WHERE, f"{component.source}: max_marks is required for this source")
        if maximum <= 0:
            raise CampaignError(
                _WHERE, f"{component.source}: max_marks must be > 0, got {component.max_marks}"
            )
        if component.source == "experience":
            cap = maximum * days_per_year  # in days
            terms.append(_Term(column, weight / cap, cap, weight))
        else:
            terms.append(_Term(column, weight / (maximum * unit), None, weight))
    return terms


def composite(
    frame: pl.DataFrame, components: Sequence[Component], *, days_per_year: int = 365
) -> tuple[pl.DataFrame, int]:
    """Add ``composite_num`` (Int64) and ``composite`` (String, 4 decimals) and return the denominator ``D``.

    ``composite_num / D`` is the exact composite mark (module doc). ``D`` is the same for every row, so the
    frame can be ranked on ``composite_num`` directly. Raises ``TableError`` when a source column is missing
    and ``CampaignError`` for an unusable formula (no components, a repeated source, weight or maximum <= 0,
    a missing maximum, or numbers too fine to fit the bounds).
    """
    if days_per_year <= 0:
        raise CampaignError(_WHERE, f"days_per_year must be > 0, got {days_per_year}")
    terms = _terms(components, days_per_year)
    missing = [t.column for t in terms if t.column not in frame.columns]
    if missing:
        raise TableError(
            "merit table", f"composite needs the column(s) {missing}; columns are {frame.columns}"
        )
    denominator = 1
    for term in terms:
        denominator = lcm(denominator, term.coefficient.denominator, term.weight.denominator)
    if denominator > MAX_DENOMINATOR:
        raise CampaignError(
            _WHERE,
            f"the weights and maxima need a common denominator of {denominator}, above "
            f"{MAX_DENOMINATOR}; use fewer decimals",
        )
    bound = 0
    for term in terms:
        stats = frame.select(pl.col(term.column).cast(pl.Int64).abs().max()).item()
        largest = int(stats) if stats is not None else 0
        if term.cap is not None:
            largest = min(largest, _ceil(term.cap))
        bound += int(term.coefficient * denominator) * largest
    if bound > INT64_MAX:
        raise CampaignError(_WHERE, "the composite marks are too large to compute exactly in 64-bit integers")
    parts: list[pl.Expr] = []
    for term in terms:
        value = pl.col(term.column).cast(pl.Int64)
        multiplier = int(term.coefficient * denominator)
        contribution = value * multiplier
        if term.cap is not None:
            # days >= cap  <=>  days × cap.denominator >= cap.numerator (exact); below the cap days <
            # ceil(cap), so clipping first keeps the (always evaluated) product within the checked bound
            full = int(term.weight * denominator)
            reached = value * term.cap.denominator >= term.cap.numerator
            clipped = value.clip(upper_bound=_ceil(term.cap)) * multiplier
            contribution = pl.when(reached).then(pl.lit(full, pl.Int64)).otherwise(clipped)
        parts.append(contribution)
    total = parts[0]
    for part in parts[1:]:
        total = total + part  # null in any part keeps the sum null
    out = frame.with_columns(total.cast(pl.Int64).alias("composite_num"))
    out = out.with_columns(fraction_to_str(pl.col("composite_num"), denominator).alias("composite"))
    return out, denominator


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def passes(
    frame: pl.DataFrame,
    sections: Sequence[SectionSpec],
    aggregate_pass_percent: Decimal | None,
    *,
    max_marks: Mapping[str, int] | None = None,
) -> pl.DataFrame:
    """Add ``passed`` (Boolean) and ``fail_reason`` (String, null when passed) from the test's pass marks.

    A section passes when ``sec_<code> × 100 ≥ pass_percent × section maximum``; the test passes in aggregate
    when ``test_total × 100 ≥ aggregate_pass_percent × Σ section maxima``; both compared as exact integers.
    A pass percentage of 0 (or None for the aggregate) means *no minimum*: nothing is checked, so a negative
    total under negative marking passes a 0 % minimum and fails every positive one (totals are never clamped).
    ``fail_reason`` lists every failure, separated by ``;`` in section order then the aggregate:
    ``SECTION_BELOW_PASS:<code>``, ``AGGREGATE_BELOW_PASS``; a row without test marks (a null section or
    total, e.g. absent from the test) fails with ``NO_TEST_MARKS``.
    Section maxima (ten-thousandths) come from ``max_marks`` (e.g. ``MarksResult.max_marks``), else from each
    section's ``max_marks``.
    """
    maxima: dict[str, int] = {}
    for spec in sections:
        if max_marks is not None and spec.code in max_marks:
            maxima[spec.code] = int(max_marks[spec.code])
        else:
            maximum = spec.maximum_scaled()
            if maximum is None:
                raise CampaignError(f"[[test.sections]] {spec.code!r}", "the section maximum is unknown")
            maxima[spec.code] = maximum
    needed = ["test_total", *(section_column(s.code) for s in sections)]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise TableError("merit table", f"pass marks need the column(s) {missing}")
    checks: list[pl.Expr] = []
    for spec in sections:
        percent = to_fraction(spec.pass_percent)
        if percent == 0:
            continue
        # marks × 100 ≥ (p/q) × max  <=>  marks × 100 × q ≥ p × max
        below = (
            pl.col(section_column(spec.code)) * (100 * percent.denominator)
            < percent.numerator * maxima[spec.code]
        )
        checks.append(pl.when(below).then(pl.lit(f"SECTION_BELOW_PASS:{spec.code}")))
    aggregate = to_fraction(aggregate_pass_percent) if aggregate_pass_percent is not None else Fraction(0)
    if aggregate < 0 or aggregate > 100:
        raise CampaignError(
            _WHERE, f"aggregate_pass_percent must be between 0 and 100, got {aggregate_pass_percent}"
        )
    if aggregate != 0:
        total_max = sum(maxima.values())
        below = pl.col("test_total") * (100 * aggregate.denominator) < aggregate.numerator * total_max
        checks.append(pl.when(below).then(pl.lit("AGGREGATE_BELOW_PASS")))
    absent = pl.any_horizontal(pl.col(c).is_null() for c in needed)
    joined: pl.Expr = pl.lit(None, pl.String)
    if checks:
        joined = pl.concat_str(checks, separator=";", ignore_nulls=True)
        joined = pl.when(joined != "").then(joined).otherwise(pl.lit(None, pl.String))
    reason = pl.when(absent).then(pl.lit("NO_TEST_MARKS")).otherwise(joined)
    out = frame.with_columns(reason.alias("fail_reason"))
    return out.with_columns(pl.col("fail_reason").is_null().alias("passed"))
