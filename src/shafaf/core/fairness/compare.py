"""From per-category counts to a family's results: the conventions of fairness.md §2, in scalar Python.

Only the few categories of one family pass through here; the rows were counted by the grouped engine
(:mod:`shafaf.core.fairness.engine`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from shafaf.core.fairness.report import CategoryResult, FamilyResult, Reason
from shafaf.core.fairness.stats import fisher_p, four_fifths_flag, impact_ratio, selections_to_clear, z_p

__all__ = ["SMALL_SAMPLE_EXPECTED", "SMALL_SAMPLE_N", "family_from_counts"]

#: fairness.md §2.6: a category is a small sample when n_c < 30 ...
SMALL_SAMPLE_N = 30
#: ... or when its expected positives, n_c × (positives / n of the family's known rows), are below 5.
SMALL_SAMPLE_EXPECTED = 5
#: fairness.md §2.4 (LL144 §5-301(d)): excluded when n_c / N_rows < 1/50, i.e. 50·n_c < N_rows.
_EXCLUSION_DENOMINATOR = 50


@dataclass(frozen=True, slots=True)
class _Counts:
    label: str
    n: int
    x: int


def _frac(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def family_from_counts(
    counts: Mapping[str, tuple[int, int]],
    *,
    n_rows: int,
    exclude_small: bool = False,
    name: str = "",
    attributes: Sequence[str] = (),
) -> FamilyResult:
    """The results of one family from ``{label: (n, positives)}`` counts.

    ``n_rows`` is N_rows of the 2% rule: every audited row, unknown labels included; ``n_rows − Σ n`` is the
    family's unknown count. Conventions (fairness.md §2):

    - excluded ⇔ ``exclude_small`` and ``50·n_c < N_rows`` (strict: exactly 2% stays in); an excluded category
      reports n and rate, has IR, flag, p-values, shortfall and selections-to-clear None, and does not compete
      for the reference;
    - reference = highest rate among compared (non-excluded) categories, ties → larger n, then smallest label;
      if its rate is 0, every IR, flag and p-value is None;
    - ``IR_c = rate_c / rate_ref`` (reference: 1.0; zero rate with a non-zero reference: 0.0 and flagged);
    - small sample ⇔ ``n_c < 30`` or ``n_c·X < 5·N`` where X / N = positives / n over all known rows of the
      family (excluded categories included);
    - ``shortfall = n_c·X' / N' − x_c`` where X' / N' = positives / n over the compared categories (positive:
      fewer positives than the pool rate would give).
    """
    cats: list[_Counts] = []
    for label in sorted(counts):
        n, x = counts[label]
        if n <= 0 or not 0 <= x <= n:
            raise ValueError(f"category {label!r}: counts must satisfy 0 <= positives <= n and n > 0")
        cats.append(_Counts(label, n, x))
    known_n = sum(c.n for c in cats)
    known_x = sum(c.x for c in cats)
    unknown = n_rows - known_n
    if unknown < 0:
        raise ValueError(f"n_rows={n_rows} is smaller than the categories' total n={known_n}")

    def is_excluded(c: _Counts) -> bool:
        return exclude_small and _EXCLUSION_DENOMINATOR * c.n < n_rows

    compared = [c for c in cats if not is_excluded(c)]
    pool_n = sum(c.n for c in compared)
    pool_x = sum(c.x for c in compared)
    ref = min(compared, key=lambda c: (-Fraction(c.x, c.n), -c.n, c.label)) if compared else None

    family_reasons: list[Reason] = []
    if unknown:
        family_reasons.append(
            Reason(
                "unknown_labels",
                {"unknown_count": unknown},
                f"{unknown} row(s) have a null or empty label and are in no category of this family.",
            )
        )
    if ref is None:
        family_reasons.append(
            Reason(
                "no_compared_category",
                {"categories": len(cats), "excluded": len(cats) - len(compared)},
                "No category is compared (no known rows, or every category is excluded by the 2% rule).",
            )
        )
    else:
        family_reasons.append(
            Reason(
                "reference",
                {"label": ref.label, "positives": ref.x, "n": ref.n},
                f"Reference {ref.label!r}: highest rate {ref.x}/{ref.n} among the compared categories "
                "(ties: larger n, then smallest label).",
            )
        )
        if ref.x == 0:
            family_reasons.append(
                Reason(
                    "reference_rate_zero",
                    {"label": ref.label},
                    "The reference rate is 0: impact ratios, flags and p-values are not computable.",
                )
            )

    results = [
        _category(c, ref, is_excluded(c), n_rows, known_n, known_x, pool_n, pool_x, len(compared))
        for c in cats
    ]
    return FamilyResult(
        name=name,
        attributes=tuple(attributes),
        unknown_count=unknown,
        reference=None if ref is None else ref.label,
        categories=tuple(results),
        reasons=tuple(family_reasons),
    )


def _category(
    c: _Counts,
    ref: _Counts | None,
    excluded: bool,
    n_rows: int,
    known_n: int,
    known_x: int,
    pool_n: int,
    pool_x: int,
    n_compared: int,
) -> CategoryResult:
    reasons: list[Reason] = []
    small = c.n < SMALL_SAMPLE_N or c.n * known_x < SMALL_SAMPLE_EXPECTED * known_n
    if small:
        expected = Fraction(c.n * known_x, known_n)
        why = []
        if c.n < SMALL_SAMPLE_N:
            why.append(f"n = {c.n} < {SMALL_SAMPLE_N}")
        if expected < SMALL_SAMPLE_EXPECTED:
            why.append(
                f"expected positives {c.n}×{known_x}/{known_n} = {float(expected):.4g} "
                f"< {SMALL_SAMPLE_EXPECTED}"
            )
        reasons.append(
            Reason(
                "small_sample",
                {"n": c.n, "expected_positives": _frac(expected)},
                f"Small sample ({'; '.join(why)}): one positive more or less can move the ratio a lot.",
            )
        )

    ir: Fraction | None = None
    flag: bool | None = None
    p_fisher: float | None = None
    p_z: float | None = None
    shortfall: float | None = None
    to_clear: int | None = None
    one_or_two: bool | None = None

    if excluded:
        reasons.append(
            Reason(
                "excluded_2pct",
                {"n": c.n, "n_rows": n_rows},
                f"n = {c.n} is below 2% of the {n_rows} audited rows (LL144 §5-301(d)): excluded from impact "
                "ratios; n and rate are still reported.",
            )
        )
    else:
        assert ref is not None  # a compared category exists, so a reference was chosen
        shortfall = float(Fraction(c.n * pool_x, pool_n) - c.x)
        if ref.x == 0:
            reasons.append(
                Reason(
                    "not_computable",
                    {"reference": ref.label},
                    "The reference rate is 0, so this impact ratio is not computable (not a pass).",
                )
            )
        elif c is ref:
            ir, flag, one_or_two = Fraction(1), False, False
            reasons.append(
                Reason(
                    "is_reference",
                    {"compared_categories": n_compared},
                    "This is the reference category (IR = 1)"
                    + (", the only compared category." if n_compared == 1 else "."),
                )
            )
        else:
            ir = impact_ratio(c.x, c.n, ref.x, ref.n)
            flag = four_fifths_flag(c.x, c.n, ref.x, ref.n)
            p_fisher = fisher_p(c.x, c.n, ref.x, ref.n)
            p_z = z_p(c.x, c.n, ref.x, ref.n)
            lhs, rhs = 5 * c.x * ref.n, 4 * ref.x * c.n
            assert ir is not None
            if flag:
                to_clear = selections_to_clear(c.x, c.n, ref.x, ref.n)
                assert to_clear is not None
                one_or_two = to_clear <= 2
                reasons.append(
                    Reason(
                        "four_fifths_flag",
                        {"impact_ratio": _frac(ir), "lhs": lhs, "rhs": rhs, "selections_to_clear": to_clear},
                        f"Impact ratio {_frac(ir)} is below 4/5 (5·{c.x}·{ref.n} = {lhs} < 4·{ref.x}·{c.n} = "
                        f"{rhs}; 29 CFR 1607.4(D)); {to_clear} more positive(s) in this category would "
                        "clear it.",
                    )
                )
            else:
                one_or_two = False
                reasons.append(
                    Reason(
                        "four_fifths_pass",
                        {"impact_ratio": _frac(ir), "lhs": lhs, "rhs": rhs},
                        f"Impact ratio {_frac(ir)} is at least 4/5 (5·{c.x}·{ref.n} = {lhs} ≥ "
                        f"4·{ref.x}·{c.n} = {rhs}).",
                    )
                )

    return CategoryResult(
        label=c.label,
        n=c.n,
        positives=c.x,
        rate=c.x / c.n,
        impact_ratio=None if ir is None else float(ir),
        four_fifths_flag=flag,
        fisher_p=p_fisher,
        z_p=p_z,
        excluded=excluded,
        small_sample=small,
        shortfall=shortfall,
        selections_to_clear=to_clear,
        one_or_two_more_clear=one_or_two,
        reasons=tuple(reasons),
    )
