"""The statistics of one comparison: a category ``c`` against the reference category ``ref``.

Counts are integers: ``x`` selected (or, for the scoring method, scored above the median) out of ``n``. Every
threshold is decided with integer arithmetic (fairness.md §1); floats appear only in reported values.
"""

from __future__ import annotations

import math
from fractions import Fraction

from scipy.stats import fisher_exact

__all__ = [
    "fisher_p",
    "four_fifths_flag",
    "impact_ratio",
    "selections_to_clear",
    "z_p",
]


def _check(x: int, n: int) -> None:
    if n <= 0 or x < 0 or x > n:
        raise ValueError(f"counts must satisfy 0 <= x <= n and n > 0; got x={x}, n={n}")


def impact_ratio(x_c: int, n_c: int, x_ref: int, n_ref: int) -> Fraction | None:
    """``IR_c = (x_c / n_c) / (x_ref / n_ref) = x_c·n_ref / (n_c·x_ref)``, exactly; None when ``x_ref = 0``.

    A zero reference rate makes the ratio not computable (fairness.md §2.2): never 1.0, never a pass.
    """
    _check(x_c, n_c)
    _check(x_ref, n_ref)
    if x_ref == 0:
        return None
    return Fraction(x_c * n_ref, n_c * x_ref)


def four_fifths_flag(x_c: int, n_c: int, x_ref: int, n_ref: int) -> bool | None:
    """The four-fifths flag of 29 CFR 1607.4(D): ``IR_c < 4/5`` ⇔ ``5·x_c·n_ref < 4·x_ref·n_c``.

    Decided on integers so that an impact ratio of exactly 0.8 (for example 0.6 / 0.75, which is
    0.7999999999999999 in binary floating point) is not a flag. None when the reference rate is 0.
    """
    _check(x_c, n_c)
    _check(x_ref, n_ref)
    if x_ref == 0:
        return None
    return 5 * x_c * n_ref < 4 * x_ref * n_c


def fisher_p(x_c: int, n_c: int, x_ref: int, n_ref: int) -> float:
    """Two-sided Fisher exact p-value of ``[[x_c, n_c − x_c], [x_ref, n_ref − x_ref]]``.

    Computed by ``scipy.stats.fisher_exact`` (conditional maximum-likelihood tables, two-sided).
    """
    _check(x_c, n_c)
    _check(x_ref, n_ref)
    result = fisher_exact([[x_c, n_c - x_c], [x_ref, n_ref - x_ref]], alternative="two-sided")
    return min(1.0, float(result.pvalue))


def z_p(x_c: int, n_c: int, x_ref: int, n_ref: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test, no continuity correction.

    ``p̂ = (x_c + x_ref) / (n_c + n_ref)``,
    ``z = (x_c/n_c − x_ref/n_ref) / sqrt(p̂·(1 − p̂)·(1/n_c + 1/n_ref))``,
    ``p = 2·(1 − Φ(|z|)) = erfc(|z|/√2)``.
    None when the pooled rate is 0 or 1 (the standard error is 0: not computable).
    """
    _check(x_c, n_c)
    _check(x_ref, n_ref)
    pooled_x = x_c + x_ref
    pooled_n = n_c + n_ref
    if pooled_x == 0 or pooled_x == pooled_n:
        return None
    p_hat = pooled_x / pooled_n
    se = math.sqrt(p_hat * (1.0 - p_hat) * (1.0 / n_c + 1.0 / n_ref))
    # The difference is formed exactly, then rounded once, so equal rates give z = 0 and p = 1 exactly.
    z = float(Fraction(x_c, n_c) - Fraction(x_ref, n_ref)) / se
    return min(1.0, math.erfc(abs(z) / math.sqrt(2.0)))


def selections_to_clear(x_c: int, n_c: int, x_ref: int, n_ref: int) -> int | None:
    """The smallest ``k ≥ 0`` such that ``x_c + k`` positives out of the same ``n_c`` clear the 4/5 flag.

    Other categories are held fixed. If ``c`` overtakes the reference it becomes the reference (IR 1), so in
    every case the flag clears exactly when ``5·(x_c + k)·n_ref ≥ 4·x_ref·n_c``, giving
    ``k = max(0, ⌈(4·x_ref·n_c − 5·x_c·n_ref) / (5·n_ref)⌉)``. Always ``≤ n_c − x_c`` because the target rate
    is at most 4/5. None when the reference rate is 0 (no flag is computable).
    """
    _check(x_c, n_c)
    _check(x_ref, n_ref)
    if x_ref == 0:
        return None
    gap = 4 * x_ref * n_c - 5 * x_c * n_ref
    if gap <= 0:
        return 0
    return -(-gap // (5 * n_ref))
