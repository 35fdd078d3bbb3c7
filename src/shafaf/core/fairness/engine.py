"""The adverse-impact audit (fairness.md): one grouped polars engine under three entry points.

- :func:`audit` — one family per attribute, optionally every pairwise intersection;
- :func:`audit_families` — explicit families (a tuple of columns; two or more columns make an intersection);
- :func:`audit_stages` — the same families audited at each stage of a funnel (applied → eligible → ...).

The rows are grouped once, by the raw values of every audited column together; each family re-aggregates that
small table, and only the per-category counts reach Python, where
:func:`shafaf.core.fairness.compare.family_from_counts` applies the conventions.

Methods (fairness.md §1), for a category ``c`` with ``n_c`` known rows:

- selection: ``SR_c = x_c / n_c`` with ``x_c`` the rows whose binary outcome is true;
- scoring (NYC LL144): ``m`` = median of the score over every scored row (unknown labels included; mean of the
  two middle values when their number is even) and ``ScR_c = #{i ∈ c : s_i > m} / n_c`` (strictly greater:
  ties at the median do not count). Rows with a null score are *not scored*: they are left out of that audit
  altogether (neither in the median, nor in ``n_rows``, nor in any category) and counted in ``not_scored``.

``s > m`` is decided without forming ``m``: with ``t`` the lower middle value of the sorted scores, ``s > m ⇔
s > t`` (for an even count no score lies strictly between the two middle values), so no rounding can move a
row across the median.

A label combination with no rows does not appear in its family (e.g. "F×Kalat" when no woman from Kalat
applied), even though "F" and "Kalat" appear in the single-attribute families.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import polars as pl

from shafaf.core.errors import InputError
from shafaf.core.fairness.compare import family_from_counts
from shafaf.core.fairness.inputs import binary_values, label_expr_for, require_columns, score_values
from shafaf.core.fairness.report import INTERSECTION_SEPARATOR, AuditReport, FamilyResult, Method

__all__ = ["DEFAULT_SOURCE", "audit", "audit_families", "audit_stages", "family_key"]

DEFAULT_SOURCE = "audit input"
_POS = "__positive"
_N = "__n"
_X = "__x"


def family_key(columns: Sequence[str]) -> str:
    """The family's name: the column names joined by "×" (U+00D7), e.g. ``"gender×zone"``."""
    return INTERSECTION_SEPARATOR.join(columns)


def audit(
    frame: pl.DataFrame,
    *,
    attributes: Sequence[str],
    selected: str | None = None,
    score: str | None = None,
    intersections: bool = False,
    exclude_small: bool = False,
    source: str = DEFAULT_SOURCE,
) -> AuditReport:
    """Audit ``selected`` (a binary outcome column) or ``score`` (a numeric column) across ``attributes``.

    Families: one per attribute, in the order given, then (``intersections=True``) every pair ``a×b`` with
    ``a`` before ``b`` in ``attributes``. ``source`` names the input in error messages. See
    :func:`audit_families` for the rest of the contract.
    """
    names = _names(attributes, "attributes", source)
    if not names:
        raise InputError(source, "give at least one attribute to audit")
    families: list[tuple[str, ...]] = [(a,) for a in names]
    if intersections:
        families.extend((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
    return audit_families(
        frame, families=families, selected=selected, score=score, exclude_small=exclude_small, source=source
    )


def audit_families(
    frame: pl.DataFrame,
    *,
    families: Sequence[Sequence[str]],
    selected: str | None = None,
    score: str | None = None,
    exclude_small: bool = False,
    source: str = DEFAULT_SOURCE,
) -> AuditReport:
    """Audit explicit families, e.g. ``[("gender",), ("zone",), ("gender", "zone")]``.

    Exactly one of ``selected`` / ``score`` is given. ``selected`` holds Boolean, integer 0/1, or text
    1/0, true/false, yes/no, y/n (trimmed, any case); any other value or a null raises :class:`InputError`
    naming the column, the spreadsheet row (data row + 1) and the value. ``score`` is numeric (or decimal
    text); a null score leaves the row out (``not_scored``). Label columns may be text, integers or
    Boolean; see :mod:`shafaf.core.fairness.inputs` for how labels are read. ``exclude_small`` switches on
    the 2% rule. Per-category fields and their conventions: :class:`~shafaf.core.fairness.CategoryResult`
    and :func:`~shafaf.core.fairness.family_from_counts`. The report is the same for any order of the rows.
    """
    fams = _families(families, source)
    if (selected is None) == (score is None):
        raise InputError(
            source, "give exactly one of selected= (a binary outcome) or score= (a numeric score)"
        )
    outcome = selected if selected is not None else score
    assert outcome is not None
    columns = _columns(fams)
    require_columns(frame, [*columns, outcome], source=source)
    if selected is not None:
        positive = binary_values(frame, selected, source=source)
        return _run(
            frame,
            columns,
            positive,
            None,
            fams,
            method="selection",
            not_scored=0,
            median=None,
            exclude_small=exclude_small,
            source=source,
        )

    values = score_values(frame, outcome, source=source)
    scored = values.is_not_null()
    kept = values.drop_nulls()
    median: float | None = None
    positive = pl.repeat(None, frame.height, dtype=pl.Boolean, eager=True)
    if kept.len() > 0:
        median, threshold = _median(kept.to_numpy())
        positive = values > threshold
    return _run(
        frame,
        columns,
        positive,
        scored,
        fams,
        method="scoring",
        not_scored=frame.height - kept.len(),
        median=median,
        exclude_small=exclude_small,
        source=source,
    )


def audit_stages(
    frame: pl.DataFrame,
    *,
    stages: Sequence[tuple[str, str, str]],
    families: Sequence[Sequence[str]],
    exclude_small: bool = False,
    source: str = DEFAULT_SOURCE,
) -> dict[str, AuditReport]:
    """Audit each stage ``(name, population_column, outcome_column)`` of a funnel, in the order given.

    Both columns are binary (Boolean, or as accepted by ``selected=``). A stage audits the rows whose
    population is true, with the outcome column as ``selected``; the population must be valid on every row,
    the outcome only on the stage's population (it may be null elsewhere). ``n_rows`` of a stage is the size
    of its population. Example: ``[("eligibility", "applied", "eligible"), ("test", "eligible", "passed")]``.
    """
    fams = _families(families, source)
    names: list[str] = []
    needed: list[str] = []
    for stage in stages:
        if isinstance(stage, str) or len(stage) != 3 or not all(isinstance(s, str) for s in stage):
            raise InputError(source, f"a stage is (name, population_column, outcome_column); got {stage!r}")
        if stage[0] in names:
            raise InputError(source, f"stage {stage[0]!r} is given twice")
        names.append(stage[0])
        needed.extend(stage[1:])
    columns = _columns(fams)
    require_columns(frame, [*columns, *needed], source=source)
    out: dict[str, AuditReport] = {}
    for name, population_column, outcome_column in stages:
        population = binary_values(frame, population_column, source=source)
        outcome = binary_values(frame, outcome_column, source=source, scope=population)
        out[name] = _run(
            frame,
            columns,
            outcome,
            population,
            fams,
            method="selection",
            not_scored=0,
            median=None,
            exclude_small=exclude_small,
            source=source,
        )
    return out


def _names(value: Sequence[str], what: str, source: str) -> list[str]:
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise InputError(source, f"{what} must be a sequence of column names; got {value!r}")
    names = list(value)
    for name in names:
        if names.count(name) > 1:
            raise InputError(source, f"{what}: column {name!r} is given twice")
    return names


def _families(families: Sequence[Sequence[str]], source: str) -> list[tuple[str, ...]]:
    if isinstance(families, str):
        raise InputError(source, f"families must be a sequence of column tuples; got {families!r}")
    out: list[tuple[str, ...]] = []
    keys: set[str] = set()
    for fam in families:
        cols = tuple(_names(fam, "a family", source))
        if not cols:
            raise InputError(source, "a family needs at least one column")
        key = family_key(cols)
        if key in keys:
            raise InputError(source, f"family {key!r} is given twice")
        keys.add(key)
        out.append(cols)
    if not out:
        raise InputError(source, "give at least one family to audit")
    return out


def _columns(families: list[tuple[str, ...]]) -> list[str]:
    return list(dict.fromkeys(c for fam in families for c in fam))


def _label_column(index: int) -> str:
    return f"__label_{index}"


def _median(scores: np.ndarray) -> tuple[float, float]:
    """``(m, t)``: the median ``m`` (for the report) and the lower middle value ``t`` (``s > m ⇔ s > t``)."""
    n = scores.size
    k = (n - 1) // 2
    if n % 2 == 1:
        low = float(np.partition(scores, k)[k])
        return low, low
    part = np.partition(scores, [k, k + 1])
    low, high = float(part[k]), float(part[k + 1])
    return float((Fraction(low) + Fraction(high)) / 2), low


def _run(
    frame: pl.DataFrame,
    columns: list[str],
    positive: pl.Series,
    keep: pl.Series | None,
    families: list[tuple[str, ...]],
    *,
    method: Method,
    not_scored: int,
    median: float | None,
    exclude_small: bool,
    source: str,
) -> AuditReport:
    """Count the rows in ``keep`` (all when None) per family and category; ``positive`` is the outcome.

    One pass over the rows groups them by the raw values of every attribute column at once (the finest
    partition); labels are read on that small table and each family is a re-aggregation of it, so unknown
    and trimmed spellings merge exactly as they would row by row.
    """
    internal = {c: _label_column(i) for i, c in enumerate(columns)}
    raw = frame.select([pl.col(c).alias(internal[c]) for c in columns]).with_columns(positive.alias(_POS))
    if keep is not None:
        raw = raw.filter(keep)
    n_rows = raw.height
    finest = raw.group_by(list(internal.values())).agg(
        pl.len().cast(pl.Int64).alias(_N), pl.col(_POS).sum().cast(pl.Int64).alias(_X)
    )
    labels = finest.lazy().select(
        *[label_expr_for(internal[c], finest.schema[internal[c]], source=source, name=c) for c in columns],
        pl.col(_N),
        pl.col(_X),
    )
    queries = []
    for fam in families:
        keys = [internal[c] for c in fam]
        queries.append(
            labels.filter(pl.all_horizontal([pl.col(k).is_not_null() for k in keys]))
            .group_by(keys)
            .agg(pl.col(_N).sum(), pl.col(_X).sum())
        )
    grouped = pl.collect_all(queries)
    results: list[FamilyResult] = []
    for fam, table in zip(families, grouped, strict=True):
        name = family_key(fam)
        counts: dict[str, tuple[int, int]] = {}
        for row in table.iter_rows():
            label = INTERSECTION_SEPARATOR.join(row[: len(fam)])
            if label in counts:
                raise InputError(
                    source,
                    f"family {name!r}: two different label combinations both read {label!r}; a label "
                    f"contains {INTERSECTION_SEPARATOR!r}, which joins intersection labels",
                )
            counts[label] = (int(row[-2]), int(row[-1]))
        results.append(
            family_from_counts(counts, n_rows=n_rows, exclude_small=exclude_small, name=name, attributes=fam)
        )
    return AuditReport(
        method=method,
        n_rows=n_rows,
        not_scored=not_scored,
        median=median,
        exclude_small=exclude_small,
        families=tuple(results),
    )
