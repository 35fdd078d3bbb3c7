"""The scalar statistics of one comparison (fairness.md §1), with values worked out by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.fairness import fisher_p, four_fifths_flag, impact_ratio, selections_to_clear, z_p


def test_exact_four_fifths_is_not_a_flag() -> None:
    """IR exactly 0.8 (6/10 against 3/4) is not flagged although 0.6/0.75 is 0.7999999999999999 in floats."""
    assert 0.6 / 0.75 < 0.8  # the floating-point trap the integer rule avoids
    # 5·x_c·n_ref = 5·6·4 = 120 and 4·x_ref·n_c = 4·3·10 = 120: 120 < 120 is false.
    assert four_fifths_flag(6, 10, 3, 4) is False
    assert impact_ratio(6, 10, 3, 4) == Fraction(4, 5)


def test_just_below_four_fifths_is_a_flag() -> None:
    """IR 79/100 (79 of 1000 against 100 of 1000) is flagged: 5·79·1000 = 395000 < 4·100·1000 = 400000."""
    assert four_fifths_flag(79, 1000, 100, 1000) is True
    assert four_fifths_flag(80, 1000, 100, 1000) is False


def test_zero_reference_rate_is_not_computable() -> None:
    """With x_ref = 0 the ratio, the flag and the selections to clear are None, never 1.0 or a pass."""
    assert impact_ratio(0, 5, 0, 7) is None
    assert four_fifths_flag(0, 5, 0, 7) is None
    assert selections_to_clear(0, 5, 0, 7) is None


def test_zero_rate_category_with_nonzero_reference() -> None:
    """A category with no selections against a reference with some: IR 0 and flagged."""
    assert impact_ratio(0, 10, 5, 10) == 0
    assert four_fifths_flag(0, 10, 5, 10) is True


def test_hand_computed_two_by_two() -> None:
    """[[3, 17], [12, 13]]: Fisher two-sided p = 1828073/66731313 and the pooled z-test p = 0.0196244.

    Fisher: the hypergeometric tables with 15 selected among 20 + 25 whose probability is at most that of the
    observed x_c = 3 are x_c ∈ {0, 1, 2, 3, 11, 12, 13, 14, 15}; their probabilities, sums of
    C(20, k)·C(25, 15 − k) / C(45, 15), add up to 1828073/66731313 = 0.0273945306605911.
    z: p̂ = 15/45 = 1/3, SE = sqrt(1/3 · 2/3 · (1/20 + 1/25)) = sqrt(0.02) = 0.141421356,
    z = (0.15 − 0.48) / 0.141421356 = −2.33345238, p = 2·(1 − Φ(2.33345238)) = 0.0196244150.
    """
    assert fisher_p(3, 20, 12, 25) == pytest.approx(1828073 / 66731313, rel=1e-9)
    assert fisher_p(3, 20, 12, 25) == pytest.approx(0.0273945307, rel=1e-7)
    assert z_p(3, 20, 12, 25) == pytest.approx(0.0196244150, rel=1e-7)


def test_hand_computed_zero_cell() -> None:
    """[[0, 10], [5, 5]]: Fisher p = 2·C(10,5)/C(20,5) = 2·252/15504 = 21/646; z-test p = 0.00982327.

    The table is symmetric: P(x_c = 0) = P(x_c = 5) = 252/15504 and all other tables are more likely.
    z: p̂ = 5/20 = 0.25, SE = sqrt(0.25·0.75·(1/10 + 1/10)) = 0.193649167, z = −0.5/0.193649167 = −2.58198890.
    """
    assert fisher_p(0, 10, 5, 10) == pytest.approx(21 / 646, rel=1e-9)
    assert z_p(0, 10, 5, 10) == pytest.approx(0.00982327451, rel=1e-7)


def test_equal_rates_give_p_one() -> None:
    """The same rate in both rows: z = 0 so p = 1 exactly, and Fisher's p is 1."""
    assert z_p(2, 10, 4, 20) == 1.0
    assert fisher_p(2, 10, 4, 20) == pytest.approx(1.0)


def test_z_test_undefined_when_pooled_rate_is_zero_or_one() -> None:
    """Pooled rate 0 (nobody selected) or 1 (everybody selected): the z-test is None; Fisher is 1."""
    assert z_p(0, 4, 0, 6) is None
    assert z_p(4, 4, 6, 6) is None
    assert fisher_p(4, 4, 6, 6) == 1.0


def test_selections_to_clear_worked_example() -> None:
    """3/20 against 12/25: clears when 5·(3 + k)·25 ≥ 4·12·20 = 960, i.e. 3 + k ≥ 7.68, so k = 5.

    Check: 8/20 = 0.40 against 0.48 is IR 0.8333 (clear); 7/20 = 0.35 is IR 0.729 (flagged).
    """
    assert selections_to_clear(3, 20, 12, 25) == 5
    assert four_fifths_flag(8, 20, 12, 25) is False
    assert four_fifths_flag(7, 20, 12, 25) is True


def test_selections_to_clear_lands_on_exact_four_fifths() -> None:
    """5/10 against 3/4 needs exactly 6/10 (IR exactly 0.8, not a flag): k = 1."""
    assert selections_to_clear(5, 10, 3, 4) == 1
    assert selections_to_clear(6, 10, 3, 4) == 0


@pytest.mark.parametrize("args", [(-1, 5, 1, 5), (6, 5, 1, 5), (1, 0, 1, 5), (1, 5, 1, 0)])
def test_impossible_counts_are_refused(args: tuple[int, int, int, int]) -> None:
    """Negative counts, more positives than n, or n = 0 are programming errors (ValueError)."""
    with pytest.raises(ValueError, match="counts must satisfy"):
        four_fifths_flag(*args)


counts = st.integers(min_value=1, max_value=400).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(counts, counts)
def test_flag_equals_exact_ratio_below_four_fifths(c: tuple[int, int], r: tuple[int, int]) -> None:
    """The integer rule agrees with the exact rational IR < 4/5 whenever the reference rate is non-zero."""
    (x_c, n_c), (x_r, n_r) = c, r
    ir = impact_ratio(x_c, n_c, x_r, n_r)
    flag = four_fifths_flag(x_c, n_c, x_r, n_r)
    if x_r == 0:
        assert ir is None and flag is None
    else:
        assert ir is not None
        assert flag == (ir < Fraction(4, 5))


@given(counts, counts)
def test_selections_to_clear_is_the_smallest_k(c: tuple[int, int], r: tuple[int, int]) -> None:
    """k more positives clear the flag, k − 1 do not, and k never needs more rows than the category has."""
    (x_c, n_c), (x_r, n_r) = c, r
    k = selections_to_clear(x_c, n_c, x_r, n_r)
    if x_r == 0:
        assert k is None
        return
    assert k is not None and 0 <= k <= n_c - x_c
    assert four_fifths_flag(x_c + k, n_c, x_r, n_r) is False
    if k > 0:
        assert four_fifths_flag(x_c + k - 1, n_c, x_r, n_r) is True
    assert (k == 0) == (four_fifths_flag(x_c, n_c, x_r, n_r) is False)


@given(counts, counts)
def test_p_values_are_probabilities(c: tuple[int, int], r: tuple[int, int]) -> None:
    """Both p-values lie in [0, 1]; the z-test is None exactly when the pooled rate is 0 or 1."""
    (x_c, n_c), (x_r, n_r) = c, r
    assert 0.0 <= fisher_p(x_c, n_c, x_r, n_r) <= 1.0
    p = z_p(x_c, n_c, x_r, n_r)
    pooled_degenerate = x_c + x_r in (0, n_c + n_r)
    assert (p is None) == pooled_degenerate
    if p is not None:
        assert 0.0 <= p <= 1.0
