"""Eligibility rules (domain.md §3 and the §7 edge cases), each checked on the scalar and the batch path."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from shafaf.core.eligibility.context import PostRules, QualificationRule
from shafaf.core.eligibility.dates import age_ymd, anniversary
from shafaf.core.eligibility.rules import Candidate, Decision, decisions_equal, evaluate, evaluate_batch

from .helpers import REF, RULES, frame, qual, row, with_general


def both(r: dict[str, Any], rules: PostRules = RULES) -> Decision:
    """Evaluate one row on both paths, assert they agree, return the scalar decision."""
    d = evaluate(Candidate.from_row(r), rules)
    b = evaluate_batch(frame([r]), rules).row(0, named=True)
    assert decisions_equal(b, d) == []
    return d


def codes(d: Decision) -> list[str]:
    return [f.code for f in d.failures]


# ---- age --------------------------------------------------------------------------------------------------


def test_exactly_28_on_the_reference_date_is_eligible() -> None:
    """Born 1998-01-26: 28y 0m 0d on 2026-01-26, the last eligible day."""
    d = both(row(dob=date(1998, 1, 26)))
    assert d.eligible and d.age_text == "28y 0m 0d" and d.upper_age == 28


def test_over_age_by_one_day() -> None:
    """Born 1998-01-25: 28y 0m 1d on 2026-01-26 — one day over, ineligible, and the sentence says so."""
    d = both(row(dob=date(1998, 1, 25)))
    assert codes(d) == ["AGE_ABOVE_MAX"]
    assert (
        d.failures[0].text_en
        == "Your age on 2026-01-26 was 28y 0m 1d; your upper age limit is 28 years: over age by 0y 0m 1d."
    )


def test_under_min_by_one_day() -> None:
    """Born 2008-01-27 turns 18 on 2026-01-27, one day after the reference date."""
    d = both(row(dob=date(2008, 1, 27)))
    assert codes(d) == ["AGE_BELOW_MIN"] and d.age_text == "17y 11m 30d"
    assert both(row(dob=date(2008, 1, 26))).eligible


def test_born_29_february_reaches_age_on_1_march() -> None:
    """Leap-day birthday: the 28th birthday in non-leap 2027 is 1 March (mar1 rule)."""
    assert anniversary(date(1999, 2, 28), 0) == date(1999, 2, 28)
    assert anniversary(date(2000, 2, 29), 27) == date(2027, 3, 1)
    assert anniversary(date(2000, 2, 29), 27, "feb28") == date(2027, 2, 28)
    assert anniversary(date(2000, 2, 29), 28) == date(2028, 2, 29)
    rules = replace(RULES, reference_date=date(2027, 3, 1), max_age=26)
    # 2000-02-29 → 2027-03-01 is 27y 0m 0d: above 26 by a year
    d = both(row(dob=date(2000, 2, 29)), rules)
    assert d.age_text == "27y 0m 0d" and codes(d) == ["AGE_ABOVE_MAX"]
    rules27 = replace(RULES, reference_date=date(2027, 3, 1), max_age=27)
    assert both(row(dob=date(2000, 2, 29)), rules27).eligible
    rules27b = replace(RULES, reference_date=date(2027, 3, 2), max_age=27)
    assert codes(both(row(dob=date(2000, 2, 29)), rules27b)) == ["AGE_ABOVE_MAX"]
    # the day before the 27th birthday
    assert age_ymd(date(2000, 2, 29), date(2027, 2, 28)) == (
        26,
        11,
        27,
    )  # 2026-03-01 + 11 months = 2027-02-01, + 27 days


def test_partial_dob_is_resolved_and_noted() -> None:
    """Year-only DOB is taken as 1 July (intake resolves it); the explanation says so."""
    d = both(row(dob=date(1998, 7, 1), dob_precision="year"))
    assert d.notes[0].code == "DOB_ASSUMED"
    assert (
        d.notes[0].text_en
        == "Your date of birth gives no day or month, so by rule it is taken as 1998-07-01."
    )


def test_civil_servant_relaxation_needs_two_years_service() -> None:
    """+5 years with ≥ 2 years' service; with 1.99 years the claim is refused and explained."""
    over = dict(
        dob=date(1994, 1, 26), relaxations=[dict(code="civil_servant", years=None, authority=None, ref=None)]
    )
    ok = both(row(in_service_x100=200, **over))
    assert ok.eligible and ok.upper_age == 33 and ok.relaxation_years == 5
    assert ok.passes[0].text_en == (
        "Your age on 2026-01-26 was 32y 0m 0d, within the limits of 18 to 33 years (28 + 5 years' relaxation)."
    )
    short = both(row(in_service_x100=199, **over))
    assert codes(short) == ["AGE_ABOVE_MAX"] and short.upper_age == 28
    assert short.notes[0].text_en == (
        "The age relaxation you claimed (civil_servant) was not applied: it needs 2.00 years of continuous "
        "service and 1.99 were declared."
    )


def test_one_category_only_by_default_stacking_is_a_switch() -> None:
    """Disabled (+10) and civil servant (+5): the larger one only, unless the pack stacks them."""
    claims = [
        dict(code="civil_servant", years=None, authority=None, ref=None),
        dict(code="disabled", years=None, authority=None, ref=None),
    ]
    r = row(dob=date(1986, 1, 26), disabled=True, in_service_x100=500, relaxations=claims)  # 40y 0m 0d
    d = both(r)
    assert d.upper_age == 38 and codes(d) == ["AGE_ABOVE_MAX"]
    d2 = both(r, replace(RULES, stacking=True))
    assert d2.upper_age == 43 and d2.eligible


def test_disability_relaxation_requires_declared_disability() -> None:
    claims = [dict(code="disabled", years=None, authority=None, ref=None)]
    d = both(row(dob=date(1990, 1, 1), disabled=False, relaxations=claims))
    assert d.upper_age == 28 and d.notes[0].params["why"] == "no disability was declared"


def test_discretionary_grant_adds_its_years() -> None:
    claims = [dict(code="grant", years=7, authority="chief_minister", ref="CM-1")]
    d = both(row(dob=date(1991, 1, 26), relaxations=claims))  # 35y 0m 0d, upper 35
    assert d.eligible and d.upper_age == 35


def test_general_relaxation_inside_window_raises_to_43_without_stacking() -> None:
    """Inside the window: max(post max + own relaxation, 43); outside it the general relaxation is ignored."""
    r43 = row(dob=date(1983, 1, 26))  # 43y 0m 0d
    assert both(r43, with_general(RULES, True)).eligible
    d = both(row(dob=date(1983, 1, 25)), with_general(RULES, True))  # 43y 0m 1d
    assert codes(d) == ["AGE_ABOVE_MAX"] and d.failures[0].text_en.endswith(
        "your upper age limit is 43 years (general relaxation, notified window 2024-04-01..2026-12-31): over age by 0y 0m 1d."
    )
    assert codes(both(r43, with_general(RULES, False))) == ["AGE_ABOVE_MAX"]
    disabled = row(
        dob=date(1981, 1, 26),
        disabled=True,
        relaxations=[dict(code="disabled", years=None, authority=None, ref=None)],
    )
    d2 = both(disabled, with_general(RULES, True))  # 45y: own limit 38 < 43 → 43, category not added
    assert d2.upper_age == 43 and codes(d2) == ["AGE_ABOVE_MAX"]
    d3 = both(disabled, with_general(RULES, True, adds=True))  # switch: 43 + 10
    assert d3.upper_age == 53 and d3.eligible


# ---- domicile ---------------------------------------------------------------------------------------------


def test_domicile_outside_province() -> None:
    d = both(row(domicile_district="Lahore", province="Punjab", division="Lahore", zone=None))
    assert codes(d) == ["DOMICILE_OUTSIDE_PROVINCE"]


def test_geographic_restriction_by_district_division_or_zone() -> None:
    r = replace(RULES, restrict_districts=("Quetta",), restrict_zones=("makran",))
    assert both(row(), r).eligible  # Kech is in the makran zone
    d = both(row(domicile_district="Sibi", division="Sibi", zone="sibi"), r)
    assert codes(d) == ["DOMICILE_OUTSIDE_RESTRICTION"]
    assert d.failures[0].text_en == (
        "This post is only for domicile holders of district Quetta or zone makran; your domicile district is Sibi."
    )


# ---- qualification ----------------------------------------------------------------------------------------


def test_higher_degree_does_not_replace_essential() -> None:
    """An MCom without a BCom/BBA is ineligible (domain.md §3)."""
    d = both(row(qualifications=[qual("MCom", 7000, level=16)]))
    assert codes(d) == ["QUAL_MISSING"]
    assert d.failures[0].text_en == (
        "The essential qualification is BCom or BBA; it is not among your qualifications "
        "(a different or higher degree does not replace it)."
    )


def test_result_awaited_on_closing_date_is_ineligible() -> None:
    d = both(row(qualifications=[qual(status="awaited")]))
    assert codes(d) == ["QUAL_RESULT_AWAITED"]


def test_result_after_reference_date_does_not_count() -> None:
    d = both(row(qualifications=[qual(on=date(2026, 1, 27))]))
    assert codes(d) == ["QUAL_AFTER_REFERENCE"]
    assert both(row(qualifications=[qual(on=REF)])).eligible


def test_minimum_percentage_exact_boundary() -> None:
    """45.00% passes a 45% minimum; 44.99% does not."""
    assert both(row(qualifications=[qual(pct=4500)])).eligible
    d = both(row(qualifications=[qual(pct=4499)]))
    assert d.failures[0].text_en == "Your BCom marks are 44.99%; the minimum for this post is 45.00%."


def test_best_matching_degree_feeds_tie_breaks() -> None:
    """With BCom 52% and BBA 61%, the qualifying record is the BBA; highest level counts every completed degree."""
    d = both(
        row(
            qualifications=[
                qual("BCom", 5200),
                qual("BBA", 6100, date(2021, 7, 1), level=16),
                qual("MPhil", 7000, level=18),
            ]
        )
    )
    assert d.min_qual_percent_x100 == 6100 and d.min_qual_date == date(2021, 7, 1) and d.highest_level == 18


def test_discipline_restriction() -> None:
    rules = replace(RULES, qualifications=(QualificationRule(("BCom",), ("Accounting",), 4500),))
    assert both(row(qualifications=[qual(discipline="Accounting & Finance")]), rules).eligible
    assert codes(both(row(qualifications=[qual(discipline="Marketing")]), rules)) == ["QUAL_WRONG_DISCIPLINE"]


# ---- experience and gender --------------------------------------------------------------------------------


def test_post_qualification_experience_merged_and_clipped() -> None:
    """Only regular work after the qualification date counts, overlaps merged, up to the reference date."""
    rules = replace(RULES, experience_days=730, experience_years="2")
    exp = [
        dict(start=date(2019, 1, 1), end=date(2021, 12, 31), type="regular"),  # counts from 2020-08-02
        dict(start=date(2021, 6, 1), end=date(2022, 3, 31), type="regular"),  # overlaps
        dict(start=date(2023, 1, 1), end=None, type="contract"),  # not counted
    ]
    d = both(row(experience=exp), rules)
    # 2020-08-02..2022-03-31 inclusive
    assert d.experience_days == (date(2022, 3, 31) - date(2020, 8, 2)).days + 1 == 607
    assert codes(d) == ["EXPERIENCE_SHORT"]
    exp.append(dict(start=date(2024, 1, 1), end=None, type="regular"))  # present → to 2026-01-26
    d2 = both(row(experience=exp), rules)
    assert d2.experience_days == 607 + (REF - date(2024, 1, 1)).days + 1 and d2.eligible


def test_gender_restricted_post_and_x_gender() -> None:
    women = replace(RULES, gender="F")
    assert codes(both(row(gender="M"), women)) == ["GENDER_RESTRICTED"]
    assert codes(both(row(gender="X"), women)) == ["GENDER_RESTRICTED"]
    assert both(row(gender="F"), women).eligible
    assert both(row(gender="X")).eligible


def test_all_failures_are_collected_in_rule_order() -> None:
    d = both(
        row(
            dob=date(1980, 1, 1),
            domicile_district="Lahore",
            province="Punjab",
            zone=None,
            qualifications=[qual("BA", 7000)],
            gender="M",
        ),
        replace(RULES, gender="F"),
    )
    assert codes(d) == ["AGE_ABOVE_MAX", "DOMICILE_OUTSIDE_PROVINCE", "QUAL_MISSING", "GENDER_RESTRICTED"]


@pytest.mark.parametrize(
    ("dob", "on", "ymd"),
    [
        (date(2000, 1, 31), date(2000, 3, 1), (0, 1, 1)),
        (date(2000, 1, 31), date(2000, 2, 29), (0, 1, 0)),  # month end clamps
        (date(1999, 12, 31), date(2026, 1, 26), (26, 0, 26)),
        (date(2000, 5, 10), date(2000, 5, 10), (0, 0, 0)),
    ],
)
def test_age_ymd_values(dob: date, on: date, ymd: tuple[int, int, int]) -> None:
    assert age_ymd(dob, on) == ymd


def test_right_degree_wrong_discipline_says_so() -> None:
    """A BCom in Marketing for a post requiring BCom in Accounting is refused naming the discipline."""
    rules = replace(RULES, qualifications=(QualificationRule(("BCom",), ("Accounting",), 4500),))
    d = both(row(qualifications=[qual(discipline="Marketing")]), rules)
    assert codes(d) == ["QUAL_WRONG_DISCIPLINE"]
    assert d.failures[0].text_en == "Your BCom is in Marketing; this post requires BCom in Accounting."
    d2 = both(row(qualifications=[qual(discipline=None)]), rules)
    assert (
        d2.failures[0].text_en
        == "Your BCom is in no stated discipline; this post requires BCom in Accounting."
    )
