"""Every convention of fairness.md §2 (and the edge cases of §5), each with its values written out."""

from __future__ import annotations

import polars as pl
import pytest

from shafaf.core.errors import InputError, TableError
from shafaf.core.fairness import audit, audit_families, family_from_counts

from .helpers import as_json, counts_frame


def test_empty_input() -> None:
    """No rows: n_rows 0, every family present with no category, no reference and no unknowns."""
    frame = pl.DataFrame({"g": [], "sel": []}, schema={"g": pl.String, "sel": pl.Int64})
    report = audit(frame, attributes=["g"], selected="sel")
    assert report.to_dict() == {
        "method": "selection",
        "n_rows": 0,
        "not_scored": 0,
        "median": None,
        "exclude_small": False,
        "families": {"g": {"attributes": ["g"], "unknown_count": 0, "reference": None, "categories": {}}},
    }


def test_single_selected_element() -> None:
    """One selected row: its category is the reference, IR 1.0, no flag, no p-value, a small sample."""
    report = audit(counts_frame({"F": (1, 1)}), attributes=["g"], selected="sel")
    family = report.family("g")
    assert family.reference == "F"
    assert family.category("F").to_dict() == {
        "n": 1,
        "positives": 1,
        "rate": 1.0,
        "impact_ratio": 1.0,
        "four_fifths_flag": False,
        "fisher_p": None,
        "z_p": None,
        "excluded": False,
        "small_sample": True,
        "shortfall": 0.0,
        "selections_to_clear": None,
        "one_or_two_more_clear": False,
    }


def test_single_category_is_reference_with_ir_one() -> None:
    """§2.5: a single category (40 rows, 10 selected) has IR 1.0, no flag and no p-value."""
    c = audit(counts_frame({"F": (40, 10)}), attributes=["g"], selected="sel").family("g").category("F")
    assert (c.impact_ratio, c.four_fifths_flag, c.fisher_p, c.z_p) == (1.0, False, None, None)
    assert c.rate == 0.25
    assert c.small_sample is False  # n = 40 and expected positives 40 × 10/40 = 10


def test_single_category_with_zero_rate_is_not_computable() -> None:
    """§2.2 wins over §2.5: one category with no selection has IR, flag and p None, not 1.0."""
    family = audit(counts_frame({"F": (40, 0)}), attributes=["g"], selected="sel").family("g")
    c = family.category("F")
    assert family.reference == "F"
    assert (c.impact_ratio, c.four_fifths_flag, c.fisher_p, c.z_p) == (None, None, None, None)
    assert (c.selections_to_clear, c.one_or_two_more_clear) == (None, None)
    assert [r.code for r in family.reasons] == ["reference", "reference_rate_zero"]


def test_unknown_labels_are_counted_apart_and_per_family() -> None:
    """§2.1: null and blank labels are unknown for their family only and never enter a category's n.

    Rows: (F, A, 1), (F, None, 0), (None, A, 1), ("  ", B, 0), (M, B, 1).
    gender: F 2 rows, M 1 row, 2 unknown. zone: A 2 rows, B 2 rows, 1 unknown.
    gender×zone: F×A, M×B, 3 unknown.
    """
    frame = pl.DataFrame(
        {
            "gender": ["F", "F", None, "  ", "M"],
            "zone": ["A", None, "A", "B", "B"],
            "sel": [1, 0, 1, 0, 1],
        }
    )
    d = as_json(audit(frame, attributes=["gender", "zone"], selected="sel", intersections=True))
    families = d["families"]
    summary = {
        name: (fam["unknown_count"], {k: (v["n"], v["positives"]) for k, v in fam["categories"].items()})
        for name, fam in families.items()
    }
    assert summary == {
        "gender": (2, {"F": (2, 1), "M": (1, 1)}),
        "zone": (1, {"A": (2, 2), "B": (2, 1)}),
        "gender×zone": (3, {"F×A": (1, 1), "M×B": (1, 1)}),
    }
    assert d["n_rows"] == 5


def test_reference_is_highest_rate() -> None:
    """§2.2: the reference is the category with the highest rate (B 6/10 over A 5/10 with larger n)."""
    family = audit(counts_frame({"A": (20, 10), "B": (10, 6)}), attributes=["g"], selected="sel").family("g")
    assert family.reference == "B"
    # IR_A = (10/20) / (6/10) = 5/6
    assert family.category("A").impact_ratio == pytest.approx(5 / 6, rel=1e-15)


def test_reference_tie_goes_to_larger_n() -> None:
    """§2.2: A 2/4 and B 4/8 tie at 0.5; B has the larger n and is the reference; A has IR 1.0."""
    family = audit(counts_frame({"A": (4, 2), "B": (8, 4)}), attributes=["g"], selected="sel").family("g")
    assert family.reference == "B"
    a = family.category("A")
    assert (a.impact_ratio, a.four_fifths_flag, a.z_p) == (1.0, False, 1.0)
    assert a.fisher_p == pytest.approx(1.0)


def test_reference_tie_on_rate_and_n_goes_to_smallest_label() -> None:
    """§2.2: B 3/6 and A 3/6 tie on rate and n: the smallest label, A, is the reference."""
    family = audit(counts_frame({"B": (6, 3), "A": (6, 3)}), attributes=["g"], selected="sel").family("g")
    assert family.reference == "A"


def test_zero_reference_rate_makes_everything_null() -> None:
    """§2.2: nobody selected: every IR, flag and p-value is None; shortfalls 0.0; all small samples."""
    family = audit(counts_frame({"F": (40, 0), "M": (60, 0)}), attributes=["g"], selected="sel").family("g")
    assert family.reference == "M"  # rates tie at 0; M has the larger n
    for c in family.categories:
        assert (c.impact_ratio, c.four_fifths_flag, c.fisher_p, c.z_p) == (None, None, None, None)
        assert c.shortfall == 0.0
        assert c.small_sample is True  # expected positives n × 0/100 = 0 < 5
        assert (c.selections_to_clear, c.one_or_two_more_clear) == (None, None)


def test_all_selected() -> None:
    """All-one outcomes: IR 1.0 everywhere, no flag, Fisher p 1.0, z-test None (pooled rate 1)."""
    family = audit(counts_frame({"F": (40, 40), "M": (60, 60)}), attributes=["g"], selected="sel").family("g")
    assert family.reference == "M"
    f = family.category("F")
    assert (f.impact_ratio, f.four_fifths_flag, f.fisher_p, f.z_p, f.shortfall) == (
        1.0,
        False,
        1.0,
        None,
        0.0,
    )


def test_zero_rate_category_with_nonzero_reference() -> None:
    """§2.3: F 0/40 against M 12/60: IR exactly 0.0 (not NaN), flagged; 8 selections would clear it.

    Clearing needs 5·k·60 ≥ 4·12·40 = 1920, k ≥ 6.4, so k = 7 (7/40 = 0.175 vs 0.2: IR 0.875).
    """
    f = audit(counts_frame({"F": (40, 0), "M": (60, 12)}), attributes=["g"], selected="sel").family("g")
    c = f.category("F")
    assert c.impact_ratio == 0.0
    assert c.four_fifths_flag is True
    assert c.selections_to_clear == 7
    assert c.one_or_two_more_clear is False


def test_exact_four_fifths_is_not_flagged_end_to_end() -> None:
    """§1: A 6/10 against B 3/4: IR reported as 0.8, not flagged (0.6/0.75 gives 0.7999999999999999)."""
    a = (
        audit(counts_frame({"A": (10, 6), "B": (4, 3)}), attributes=["g"], selected="sel")
        .family("g")
        .category("A")
    )
    assert a.impact_ratio == 0.8
    assert a.four_fifths_flag is False
    assert a.selections_to_clear is None
    assert a.one_or_two_more_clear is False


def test_one_more_selection_clears() -> None:
    """A 5/10 against B 3/4: IR 2/3, flagged; a sixth selection makes IR exactly 0.8, so k = 1."""
    a = (
        audit(counts_frame({"A": (10, 5), "B": (4, 3)}), attributes=["g"], selected="sel")
        .family("g")
        .category("A")
    )
    assert a.four_fifths_flag is True
    assert a.impact_ratio == pytest.approx(2 / 3, rel=1e-15)
    assert (a.selections_to_clear, a.one_or_two_more_clear) == (1, True)


def test_shortfall_against_the_pool_rate() -> None:
    """Shortfall = n_c × pool rate − x_c. A 12/25, B 3/20: pool 15/45 = 1/3.

    B: 20/3 − 3 = 11/3 = 3.6667 short; A: 25/3 − 12 = −11/3 (above expectation). B needs 5 more to clear.
    """
    family = audit(counts_frame({"A": (25, 12), "B": (20, 3)}), attributes=["g"], selected="sel").family("g")
    b = family.category("B")
    assert b.shortfall == pytest.approx(11 / 3, rel=1e-15)
    assert family.category("A").shortfall == pytest.approx(-11 / 3, rel=1e-15)
    assert (b.selections_to_clear, b.one_or_two_more_clear) == (5, False)
    assert b.fisher_p == pytest.approx(0.0273945307, rel=1e-7)
    assert b.z_p == pytest.approx(0.0196244150, rel=1e-7)


def test_two_percent_rule_boundary() -> None:
    """§2.4: with 100 rows, a category of 2 (exactly 2%) stays; a category of 1 (1%) is excluded.

    The excluded one (1/1 selected, the highest rate) does not compete for the reference; it reports n and
    rate.
    """
    frame = counts_frame({"big": (97, 40), "two": (2, 1), "one": (1, 1)})
    family = audit(frame, attributes=["g"], selected="sel", exclude_small=True).family("g")
    assert family.reference == "two"  # 1/2 = 0.5 beats 40/97; "one" (1.0) is excluded
    one = family.category("one")
    assert (one.excluded, one.n, one.positives, one.rate) == (True, 1, 1, 1.0)
    assert (one.impact_ratio, one.four_fifths_flag, one.fisher_p, one.z_p) == (None, None, None, None)
    assert (one.shortfall, one.selections_to_clear, one.one_or_two_more_clear) == (None, None, None)
    assert family.category("two").excluded is False
    # IR_big = (40/97) / (1/2) = 80/97 = 0.8247 ≥ 0.8
    big = family.category("big")
    assert big.impact_ratio == pytest.approx(80 / 97, rel=1e-15)
    assert big.four_fifths_flag is False
    # Shortfall uses the compared pool only: 41/99.
    assert big.shortfall == pytest.approx(97 * 41 / 99 - 40, rel=1e-12)


def test_two_percent_rule_is_off_by_default() -> None:
    """Switch off: nothing is excluded, the 1-row category (1/1) is the reference; the switch is reported."""
    frame = counts_frame({"big": (97, 40), "two": (2, 1), "one": (1, 1)})
    report = audit(frame, attributes=["g"], selected="sel")
    assert report.exclude_small is False
    assert report.family("g").reference == "one"
    assert not any(c.excluded for c in report.family("g").categories)


def test_two_percent_rule_counts_unknown_rows() -> None:
    """§2.4: N_rows counts unknowns. B has 1 row of 60 (1.7%): excluded, though 1 of 40 known rows is 2.5%."""
    frame = counts_frame({"A": (39, 10), "B": (1, 0), None: (20, 5)})
    family = audit(frame, attributes=["g"], selected="sel", exclude_small=True).family("g")
    assert family.unknown_count == 20
    assert family.category("B").excluded is True
    assert family.category("A").excluded is False


def test_everything_excluded_leaves_no_reference() -> None:
    """If every category is under 2% (all rows unknown but two), there is no reference and no ratio."""
    frame = counts_frame({"A": (1, 1), "B": (1, 0), None: (98, 10)})
    family = audit(frame, attributes=["g"], selected="sel", exclude_small=True).family("g")
    assert family.reference is None
    assert all(c.excluded and c.impact_ratio is None for c in family.categories)
    assert [r.code for r in family.reasons] == ["unknown_labels", "no_compared_category"]


def test_small_sample_by_n() -> None:
    """§2.6: n = 29 is a small sample, n = 30 is not (both with plenty of expected positives: rate 1/2)."""
    frame = counts_frame({"A": (29, 15), "B": (30, 15), "C": (41, 20)})
    family = audit(frame, attributes=["g"], selected="sel").family("g")
    assert family.category("A").small_sample is True
    assert family.category("B").small_sample is False


def test_small_sample_by_expected_positives() -> None:
    """§2.6: known rate 12/240 = 1/20: A (n 100) expects 5 positives (not small), C (n 40) 2 (small)."""
    frame = counts_frame({"A": (100, 5), "B": (100, 5), "C": (40, 2)})
    family = audit(frame, attributes=["g"], selected="sel").family("g")
    assert [c.small_sample for c in family.categories] == [False, False, True]


def test_category_absent_from_an_intersection() -> None:
    """§5: F and B each have rows, but no row is F×B, so the intersection has no F×B category at all."""
    frame = pl.DataFrame({"gender": ["F", "M", "M"], "zone": ["A", "A", "B"], "sel": [1, 1, 0]})
    report = audit(frame, attributes=["gender", "zone"], selected="sel", intersections=True)
    assert report.family("gender").labels == ("F", "M")
    assert report.family("zone").labels == ("A", "B")
    assert report.family("gender×zone").labels == ("F×A", "M×A", "M×B")


def test_intersection_reveals_hidden_disadvantage() -> None:
    """§2.7: balanced gender (10/20 each) and balanced zone (10/20 each) hide F×B at 2/10 against 8/10.

    F×A and M×B tie at 8/10 with n 10: the smallest label F×A is the reference; IR(F×B) = 0.25, flagged,
    and 5 more selections clear it (5·(2 + k)·10 ≥ 4·8·10 = 320 ⇒ 2 + k ≥ 6.4 ⇒ k = 5).
    """
    frame = pl.concat(
        [
            counts_frame({"F": (10, 8)}, column="gender").with_columns(zone=pl.lit("A")),
            counts_frame({"F": (10, 2)}, column="gender").with_columns(zone=pl.lit("B")),
            counts_frame({"M": (10, 2)}, column="gender").with_columns(zone=pl.lit("A")),
            counts_frame({"M": (10, 8)}, column="gender").with_columns(zone=pl.lit("B")),
        ]
    )
    report = audit(frame, attributes=["gender", "zone"], selected="sel", intersections=True)
    assert not any(c.four_fifths_flag for c in report.family("gender").categories)
    assert not any(c.four_fifths_flag for c in report.family("zone").categories)
    cell = report.family("gender×zone")
    assert cell.reference == "F×A"
    fb = cell.category("F×B")
    assert (fb.impact_ratio, fb.four_fifths_flag, fb.selections_to_clear) == (0.25, True, 5)


def test_families_in_requested_order_with_pairwise_intersections() -> None:
    """audit(intersections=True) makes one family per attribute, then every pair in attribute order."""
    frame = pl.DataFrame({"a": ["x"], "b": ["y"], "c": ["z"], "sel": [True]})
    report = audit(frame, attributes=["c", "a", "b"], selected="sel", intersections=True)
    assert [f.name for f in report.families] == ["c", "a", "b", "c×a", "c×b", "a×b"]
    assert report.family("c×a").attributes == ("c", "a")
    assert report.family("c×a").labels == ("z×x",)


def test_explicit_families() -> None:
    """audit_families takes the families the pipeline wants, including a chosen intersection only."""
    frame = pl.DataFrame({"gender": ["F", "M"], "zone": ["A", "B"], "minority": [0, 1], "sel": [1, 0]})
    report = audit_families(
        frame, families=[("gender",), ("zone",), ("minority",), ("gender", "zone")], selected="sel"
    )
    assert [f.name for f in report.families] == ["gender", "zone", "minority", "gender×zone"]


def test_label_types_stay_distinct() -> None:
    """§2.9: "1", "1.0" and "01" are three labels; " F " is "F" but "f" is not; ints and Booleans render."""
    frame = pl.DataFrame(
        {
            "code": ["1", "1.0", "01", "1", " F ", "F", "f"],
            "num": [1, 1, 0, 1, 10, 9, 1],
            "flag": [True, False, True, None, True, True, False],
            "sel": [1, 1, 1, 1, 1, 1, 1],
        }
    )
    report = audit(frame, attributes=["code", "num", "flag"], selected="sel")
    assert report.family("code").labels == ("01", "1", "1.0", "F", "f")
    assert report.family("code").category("1").n == 2
    assert report.family("code").category("F").n == 2
    # Labels are ordered as strings, by code point: "10" sorts before "9".
    assert report.family("num").labels == ("0", "1", "10", "9")
    assert report.family("flag").labels == ("false", "true")
    assert report.family("flag").unknown_count == 1


def test_integer_and_text_columns_are_never_merged() -> None:
    """An Int column's 1 and a String column's "1" are different attributes, so different families."""
    frame = pl.DataFrame({"as_int": [1, 0], "as_text": ["1", "one"], "sel": [1, 0]})
    report = audit(frame, attributes=["as_int", "as_text"], selected="sel", intersections=True)
    assert report.family("as_int").labels == ("0", "1")
    assert report.family("as_text").labels == ("1", "one")
    assert report.family("as_int×as_text").labels == ("0×one", "1×1")


def test_float_label_column_is_refused() -> None:
    """A Float label column has no canonical text (1.0 or 1?): TableError naming the column."""
    frame = pl.DataFrame({"g": [1.0, 2.0], "sel": [1, 0]})
    with pytest.raises(TableError, match=r"column 'g' has type Float64; category labels must be text"):
        audit(frame, attributes=["g"], selected="sel")


def test_label_containing_the_separator_cannot_collide() -> None:
    """("A×B", "C") and ("A", "B×C") would both read "A×B×C": refused rather than merged."""
    frame = pl.DataFrame({"a": ["A×B", "A"], "b": ["C", "B×C"], "sel": [1, 0]})
    with pytest.raises(InputError, match="both read 'A×B×C'"):
        audit(frame, attributes=["a", "b"], selected="sel", intersections=True, source="apps.csv")


def test_missing_columns_are_named() -> None:
    """A missing attribute or outcome column raises TableError naming each missing column."""
    frame = pl.DataFrame({"g": ["F"], "sel": [1]})
    with pytest.raises(TableError, match=r"^apps.csv: missing column\(s\) 'zone', 'chosen'"):
        audit(frame, attributes=["g", "zone"], selected="chosen", source="apps.csv")


def test_exactly_one_outcome() -> None:
    """Both or neither of selected= / score= is an InputError."""
    frame = counts_frame({"F": (1, 1)})
    with pytest.raises(InputError, match="exactly one of selected="):
        audit(frame, attributes=["g"], selected="sel", score="sel")
    with pytest.raises(InputError, match="exactly one of selected="):
        audit(frame, attributes=["g"])


def test_bad_attribute_lists() -> None:
    """A bare string, a repeated column, no attribute, or a repeated family are refused."""
    frame = counts_frame({"F": (1, 1)})
    with pytest.raises(InputError, match="sequence of column names"):
        audit(frame, attributes="g", selected="sel")
    with pytest.raises(InputError, match="'g' is given twice"):
        audit(frame, attributes=["g", "g"], selected="sel")
    with pytest.raises(InputError, match="at least one attribute"):
        audit(frame, attributes=[], selected="sel")
    with pytest.raises(InputError, match="family 'g' is given twice"):
        audit_families(frame, families=[("g",), ["g"]], selected="sel")


def test_categorical_and_all_null_label_columns() -> None:
    """Categorical labels read like text (trimmed); a column with no value at all makes every row unknown."""
    frame = pl.DataFrame(
        {
            "cat": pl.Series(["F", "F ", "M"], dtype=pl.Categorical),
            "empty": pl.Series([None, None, None], dtype=pl.Null),
            "sel": [1, 0, 1],
        }
    )
    report = audit(frame, attributes=["cat", "empty"], selected="sel")
    assert [(c.label, c.n) for c in report.family("cat").categories] == [("F", 2), ("M", 1)]
    assert (report.family("empty").categories, report.family("empty").unknown_count) == ((), 3)


def test_family_from_counts_directly() -> None:
    """Already-aggregated counts give the same family as the rows; impossible counts are refused."""
    family = family_from_counts({"A": (10, 6), "B": (4, 3)}, n_rows=20, name="g", attributes=("g",))
    rows = audit(counts_frame({"A": (10, 6), "B": (4, 3), None: (6, 0)}), attributes=["g"], selected="sel")
    assert family == rows.family("g")
    assert family.unknown_count == 6
    with pytest.raises(ValueError, match="smaller than the categories' total"):
        family_from_counts({"A": (10, 6)}, n_rows=9)
    with pytest.raises(ValueError, match="category 'A'"):
        family_from_counts({"A": (3, 4)}, n_rows=9)
