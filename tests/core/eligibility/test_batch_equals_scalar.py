"""Property: the vectorised batch form of every rule gives the same outcome, failing codes, sentences and
tie-break facts as the scalar form that explains it, for arbitrary candidates and post rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shafaf.core.eligibility.context import GeneralRelaxation, PostRules, QualificationRule
from shafaf.core.eligibility.rules import Candidate, decisions_equal, evaluate, evaluate_batch

from .helpers import RULES, frame

DISTRICTS = [
    ("Kech", "Balochistan", "Makran", "makran"),
    ("Quetta", "Balochistan", "Quetta", "quetta_city"),
    ("Sibi", "Balochistan", "Sibi", "sibi"),
    ("Lahore", "Punjab", "Lahore", None),
]
DEGREES = [("BCom", 14), ("BBA", 16), ("BA", 14), ("MCom", 16), ("FSc", 12)]

dates = st.dates(min_value=date(1960, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def qualifications(draw: st.DrawFn) -> dict[str, Any]:
    deg, level = draw(st.sampled_from(DEGREES))
    return dict(
        degree=deg,
        level=level,
        discipline=draw(st.sampled_from([None, "", "Accounting", "Finance and Accounting", "Marketing"])),
        percent_x100=draw(st.integers(0, 10000)),
        date=draw(dates),
        status=draw(st.sampled_from(["completed", "completed", "awaited"])),
    )


@st.composite
def experiences(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(dates)
    end = draw(st.one_of(st.none(), st.integers(0, 4000).map(lambda n: start + timedelta(days=n))))
    return dict(start=start, end=end, type=draw(st.sampled_from(["regular", "contract", "part_time"])))


@st.composite
def claims(draw: st.DrawFn) -> dict[str, Any]:
    code = draw(
        st.sampled_from(["civil_servant", "disabled", "deceased_employee_family", "grant", "unknown"])
    )
    if code == "grant":
        return dict(code="grant", years=draw(st.integers(1, 7)), authority="chief_minister", ref="R-1")
    return dict(code=code, years=None, authority=None, ref=None)


@st.composite
def candidates(draw: st.DrawFn, i: int) -> dict[str, Any]:
    district, province, division, zone = draw(st.sampled_from(DISTRICTS))
    return dict(
        application_id=f"A{i}",
        dob=draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2012, 12, 31))),
        dob_precision=draw(st.sampled_from(["day", "month", "year"])),
        gender=draw(st.sampled_from(["M", "F", "X"])),
        domicile_district=district,
        province=province,
        division=division,
        zone=zone,
        disabled=draw(st.booleans()),
        in_service_x100=draw(st.integers(0, 600)),
        qualifications=draw(st.lists(qualifications(), min_size=1, max_size=4)),
        experience=draw(st.lists(experiences(), max_size=4)),
        relaxations=draw(st.lists(claims(), max_size=3)),
    )


@st.composite
def post_rules(draw: st.DrawFn) -> PostRules:
    lo = draw(st.integers(15, 25))
    hi = draw(st.integers(lo, 45))
    general = draw(
        st.one_of(
            st.none(),
            st.builds(GeneralRelaxation, st.integers(30, 50), st.booleans(), st.booleans(), st.just("w")),
        )
    )
    quals = draw(
        st.lists(
            st.builds(
                QualificationRule,
                st.lists(st.sampled_from([d for d, _ in DEGREES]), min_size=1, max_size=2, unique=True).map(
                    tuple
                ),
                st.sampled_from([(), ("accounting",), ("Finance",)]),
                st.integers(0, 8000),
            ),
            min_size=1,
            max_size=2,
        )
    )
    exp_days = draw(st.sampled_from([0, 365, 730, 1825]))
    return replace(
        RULES,
        reference_date=draw(st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))),
        min_age=lo,
        max_age=hi,
        stacking=draw(st.booleans()),
        general=general,
        leap_rule=draw(st.sampled_from(["mar1", "feb28"])),
        restrict_districts=draw(st.sampled_from([(), ("Quetta",)])),
        restrict_zones=draw(st.sampled_from([(), ("makran",)])),
        gender=draw(st.sampled_from(["any", "any", "F", "M"])),
        qualifications=tuple(quals),
        experience_days=exp_days,
        experience_years=str(exp_days // 365),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), rules=post_rules())
def test_batch_equals_scalar(data: st.DataObject, rules: PostRules) -> None:
    """For a batch of random candidates, every batch row equals the scalar decision for that candidate."""
    n = data.draw(st.integers(1, 12))
    rows = [data.draw(candidates(i)) for i in range(n)]
    batch = evaluate_batch(frame(rows), rules)
    assert batch.height == n
    for r, b in zip(rows, batch.iter_rows(named=True), strict=True):
        assert b["application_id"] == r["application_id"]
        assert decisions_equal(b, evaluate(Candidate.from_row(r), rules)) == []
