"""The synthetic applicant registry: format, determinism and the distributions its profile states."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shafaf.core.policy.geography import Geography, load_geography, normalise_expr
from shafaf.synth import COLUMNS, DEFAULT, JUNIOR_CLERK, AgeBand, generate_applicants
from shafaf.synth.applicants import completed_age
from tests.synth.formats import bad_columns, column_errors

E = date(2026, 1, 26)  # the demo campaign's eligibility date
N = 100_000


@pytest.fixture(scope="module")
def geography() -> Geography:
    return load_geography()


@pytest.fixture(scope="module")
def big(geography: Geography) -> pl.DataFrame:
    return generate_applicants(
        n=N, seed=11, post_code="SUB-ACC", roll_numbers=None, geography=geography, eligibility_date=E
    )


def _within(count: int, n: int, p: float, sigmas: float = 4.0) -> bool:
    """``count`` of ``n`` is within ``sigmas`` binomial standard errors of the share ``p``."""
    return abs(count - n * p) <= sigmas * math.sqrt(n * p * (1 - p)) + 1


def _days(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def _share(frame: pl.DataFrame, expr: pl.Expr) -> int:
    return int(frame.select(expr.fill_null(False).sum()).item())


# --- shape and format ---


def test_columns_are_exactly_the_formats_columns_all_strings(big: pl.DataFrame) -> None:
    """The frame has the formats.md §1 columns, in order, every one a String column."""
    assert tuple(big.columns) == COLUMNS
    assert set(big.schema.values()) == {pl.String}
    assert big.height == N


def test_every_clean_row_is_in_format(big: pl.DataFrame, geography: Geography) -> None:
    """No generated row breaks any column's format (regexes written from formats.md §1)."""
    errors = column_errors(big, post_codes=("SUB-ACC",), geography=geography)
    bad = bad_columns(errors)
    offenders = big.filter(bad.list.len() > 0)
    assert offenders.height == 0, offenders.head(3).to_dicts()


def test_ids_are_sequential_and_unique(big: pl.DataFrame) -> None:
    """Application ids run SA-2026-000001 .. SA-2026-100000 in row order."""
    assert big["application_id"][0] == "SA-2026-000001"
    assert big["application_id"][-1] == "SA-2026-100000"
    assert big["application_id"].n_unique() == N


def test_cnics_are_unique_balochistan_numbers(big: pl.DataFrame) -> None:
    """Every CNIC is 13 digits starting with 5 (Balochistan); no two rows share one, dashes or not."""
    digits = big["cnic"].str.replace_all("-", "")
    assert digits.str.contains(r"^5\d{12}$").all()
    assert digits.n_unique() == N
    plain = _share(big, ~pl.col("cnic").str.contains("-"))
    assert _within(plain, N, DEFAULT.cnic_without_dashes_share)


def test_parity_disagrees_with_gender_for_a_small_share(big: pl.DataFrame) -> None:
    """About 1.5 % of M/F rows have a last digit against the odd-male/even-female convention."""
    mf = big.filter(pl.col("gender").is_in(["M", "F"]))
    odd = pl.col("cnic").str.slice(-1).cast(pl.Int64) % 2 == 1
    mismatch = _share(mf, (odd & (pl.col("gender") == "F")) | (~odd & (pl.col("gender") == "M")))
    assert mismatch > 0
    assert _within(mismatch, mf.height, DEFAULT.parity_mismatch_share)


# --- determinism ---


def test_same_seed_gives_byte_identical_csv(geography: Geography) -> None:
    """Two runs with the same arguments write the same bytes; another seed writes other bytes."""

    def csv(seed: int) -> str:
        frame = generate_applicants(
            n=3000, seed=seed, post_code="SUB-ACC", roll_numbers=None, geography=geography, eligibility_date=E
        )
        return frame.write_csv()

    first = csv(7)
    assert first == csv(7)
    assert first != csv(8)


def test_roll_numbers_fill_the_column_in_row_order(geography: Geography) -> None:
    """Given roll numbers land in row order; without them the column is empty (defaults to the id)."""
    rolls = [f"R-{i}" for i in range(5)]
    with_rolls = generate_applicants(
        n=5, seed=1, post_code="P", roll_numbers=rolls, geography=geography, eligibility_date=E
    )
    assert with_rolls["roll_number"].to_list() == rolls
    without = generate_applicants(
        n=5, seed=1, post_code="P", roll_numbers=None, geography=geography, eligibility_date=E
    )
    assert without["roll_number"].null_count() == 5
    assert without.drop("roll_number").equals(with_rolls.drop("roll_number"))


def test_bad_arguments_are_refused(geography: Geography) -> None:
    """A roll-number list of the wrong length, a negative n or seed raise ValueError naming the problem."""
    with pytest.raises(ValueError, match="roll_numbers has 2 entries, expected n = 3"):
        generate_applicants(
            n=3, seed=1, post_code="P", roll_numbers=["a", "b"], geography=geography, eligibility_date=E
        )
    with pytest.raises(ValueError, match="n must be >= 0"):
        generate_applicants(
            n=-1, seed=1, post_code="P", roll_numbers=None, geography=geography, eligibility_date=E
        )
    with pytest.raises(ValueError, match="seed must be >= 0"):
        generate_applicants(
            n=1, seed=-1, post_code="P", roll_numbers=None, geography=geography, eligibility_date=E
        )


def test_a_province_without_districts_is_refused(geography: Geography) -> None:
    """A profile naming a province absent from the table fails loudly instead of writing no domicile."""
    with pytest.raises(ValueError, match="no district in province 'Atlantis'"):
        generate_applicants(
            n=3,
            seed=1,
            post_code="P",
            roll_numbers=None,
            geography=geography,
            eligibility_date=E,
            profile=replace(DEFAULT, province="Atlantis"),
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=0, max_value=40), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_any_seed_and_size_gives_valid_unique_rows(geography: Geography, n: int, seed: int) -> None:
    """For every seed and size: n rows, all in format, unique ids and CNICs."""
    frame = generate_applicants(
        n=n, seed=seed, post_code="SUB-ACC", roll_numbers=None, geography=geography, eligibility_date=E
    )
    assert frame.height == n
    assert tuple(frame.columns) == COLUMNS
    errors = column_errors(frame, post_codes=("SUB-ACC",), geography=geography)
    assert bad_columns(errors).list.len().sum() == 0
    assert frame["cnic"].str.replace_all("-", "").n_unique() == n
    assert frame["application_id"].n_unique() == n


# --- people ---


def test_gender_minority_disability_shares(big: pl.DataFrame) -> None:
    """F 24 % (within 1 point), X 0.2 %, minorities 3 %, disability 2 % (each within 4 standard errors)."""
    female = _share(big, pl.col("gender") == "F")
    assert abs(female / N - 0.24) <= 0.01
    assert _within(female, N, DEFAULT.female_share)
    assert _within(_share(big, pl.col("gender") == "X"), N, DEFAULT.x_share)
    yes = ["yes", "y", "1", "true"]
    assert _within(_share(big, pl.col("minority").is_in(yes)), N, DEFAULT.minority_share)
    assert _within(_share(big, pl.col("disability").is_in(yes)), N, DEFAULT.disability_share)


def test_names_in_urdu_script_for_about_thirty_percent(big: pl.DataFrame) -> None:
    """About 30 % of rows write both names in Urdu script; a row never mixes scripts between the two."""
    urdu_name = pl.col("name").str.contains(r"[\u0600-\u06FF]")
    urdu_father = pl.col("father_name").str.contains(r"[\u0600-\u06FF]")
    assert _within(_share(big, urdu_name), N, DEFAULT.urdu_name_share)
    assert _share(big, urdu_name != urdu_father) == 0
    latin = big.filter(~urdu_name)
    assert latin["name"].str.contains(r"^[A-Za-z ]+$").all()


def test_domicile_tracks_2023_population(big: pl.DataFrame, geography: Geography) -> None:
    """Each Balochistan district's share of rows is its share of the 2023 population (4 standard errors);
    districts without a population figure get no rows; no row is domiciled outside the province."""
    lookup = geography.lookup_frame().select("key", "district", "province")
    resolved = big.select(normalise_expr("domicile_district").alias("key")).join(
        lookup, on="key", how="left", maintain_order="left"
    )
    assert resolved["province"].to_list() == ["Balochistan"] * N
    counts = dict(resolved.group_by("district").len().iter_rows())
    pops = {d.name: d.population_2023 or 0 for d in geography.districts if d.province == "Balochistan"}
    total = sum(pops.values())
    for name, pop in pops.items():
        if pop == 0:
            assert counts.get(name, 0) == 0, name
        else:
            assert _within(counts.get(name, 0), N, pop / total), (name, counts.get(name, 0), N * pop / total)


def test_alias_and_upper_case_spellings_appear(big: pl.DataFrame, geography: Geography) -> None:
    """Some districts are written as a listed alias (e.g. Turbat for Kech) or in capitals."""
    names = {d.name for d in geography.districts}
    written = big["domicile_district"]
    assert written.is_in(sorted(names)).sum() < N
    assert written.str.contains(r"^[A-Z ()-]+$").sum() > 0


def test_husband_domicile_only_for_women(big: pl.DataFrame) -> None:
    """domicile_basis = husband only on women's rows, for about 4 % of them."""
    husband = big.filter(pl.col("domicile_basis") == "husband")
    assert set(husband["gender"].to_list()) == {"F"}
    women = _share(big, pl.col("gender") == "F")
    assert _within(husband.height, women, DEFAULT.husband_domicile_share)


# --- age ---


def _resolved_dob(frame: pl.DataFrame) -> pl.Series:
    """DOB as a date; year only -> 1 July, year-month -> the 16th (domain.md §3)."""
    text = pl.col("dob")
    return frame.select(
        pl.when(text.str.len_chars() == 4)
        .then(pl.concat_str([text, pl.lit("-07-01")]).str.to_date("%Y-%m-%d"))
        .when(text.str.len_chars() == 7)
        .then(pl.concat_str([text, pl.lit("-16")]).str.to_date("%Y-%m-%d"))
        .when(text.str.contains("/"))
        .then(text.str.to_date("%d/%m/%Y", strict=False))
        .otherwise(text.str.to_date("%Y-%m-%d", strict=False))
    ).to_series()


def test_completed_age_examples() -> None:
    """Exact Y/M/D ages on 2026-01-26: born 1995-01-26 -> 31 (birthday today), 1995-01-27 -> 30 (tomorrow),
    2000-02-29 -> 25, 2008-01-26 -> 18, 2008-01-27 -> 17."""
    dobs = np.array(
        [
            _days(date(y, m, d))
            for y, m, d in [(1995, 1, 26), (1995, 1, 27), (2000, 2, 29), (2008, 1, 26), (2008, 1, 27)]
        ]
    )
    assert completed_age(dobs, E).tolist() == [31, 30, 25, 18, 17]


def test_age_bands_and_over_age_share(big: pl.DataFrame) -> None:
    """Ages follow the profile: 11.9 % aged 30 or more in completed years (9 + 1.5 + exactly-30 0.4 +
    over-30-by-a-day 0.4 + 0.3 + 0.3), 2.1 % aged 43 or more (1.5 + 0.3 + 0.3), 0.6 % under 18 (0.4 +
    turns-18-tomorrow 0.2)."""
    dob = _resolved_dob(big)
    assert dob.null_count() == 0
    ages = completed_age(dob.cast(pl.Int64).to_numpy(), E)
    full = big["dob"].str.len_chars().to_numpy() == 10
    # Only full dates: a partial DOB resolves to 1 July / the 16th and may move a row across a boundary.
    n_full = int(full.sum())
    assert _within(int(((ages >= 30) & full).sum()), n_full, 0.119, sigmas=5)
    assert _within(int(((ages >= 43) & full).sum()), n_full, 0.021, sigmas=5)
    assert _within(int(((ages < 18) & full).sum()), n_full, 0.006, sigmas=5)
    assert ages.min() >= 16 and ages.max() <= 50


@pytest.mark.parametrize(
    ("dob", "share"),
    [
        (
            date(1996, 1, 26),
            0.004,
        ),  # exactly 30y 0m 0d on the eligibility date: the last day inside the limit
        (date(1996, 1, 25), 0.004),  # 30y 0m 1d: over age by one day
        (date(1983, 1, 26), 0.003),  # exactly 43y 0m 0d: the last day inside the general relaxation
        (date(1983, 1, 25), 0.003),  # 43y 0m 1d: over the general relaxation by one day
        (date(2008, 1, 26), 0.002),  # turns 18 on the date: just old enough
        (date(2008, 1, 27), 0.002),  # turns 18 the next day: under age by one day
    ],
)
def test_boundary_birthdays_are_planted(big: pl.DataFrame, dob: date, share: float) -> None:
    """Each boundary date of birth appears for its planted share (plus the rare random hit on that day)."""
    iso, dmy = dob.isoformat(), dob.strftime("%d/%m/%Y")
    count = _share(big, pl.col("dob").is_in([iso, dmy]))
    assert count >= N * share * 0.8
    assert count <= N * share * 1.2 + 15


def test_partial_and_leap_day_dates_of_birth(big: pl.DataFrame) -> None:
    """About 1 % of DOBs give the year only, 2 % year and month, 5 % of full dates are DD/MM/YYYY, and some
    fall on 29 February (0.3 % planted)."""
    length = pl.col("dob").str.len_chars()
    in_bands = 1 - sum(b.share for b in DEFAULT.boundaries)  # boundaries are always full dates
    assert _within(_share(big, length == 4), N, DEFAULT.dob_year_only_share * in_bands)
    assert _within(_share(big, length == 7), N, DEFAULT.dob_year_month_share * in_bands)
    full = _share(big, length == 10)
    assert _within(_share(big, pl.col("dob").str.contains("/")), full, DEFAULT.dob_day_first_share)
    feb29 = _share(big, pl.col("dob").str.contains(r"-02-29$|^29/02/"))
    assert feb29 >= N * DEFAULT.dob_feb29_share * 0.8


# --- qualifications, service, relaxations, experience ---


@pytest.fixture(scope="module")
def adults(geography: Geography) -> pl.DataFrame:
    """Only 25-30-year-olds: nobody too young for a degree, so the planted tracks show exactly."""
    profile = replace(DEFAULT, age_bands=(AgeBand("core", 1.0, 25, 29),), boundaries=())
    return generate_applicants(
        n=N,
        seed=3,
        post_code="SUB-ACC",
        roll_numbers=None,
        geography=geography,
        eligibility_date=E,
        profile=profile,
    )


def test_qualification_tracks_have_their_planted_shares(adults: pl.DataFrame) -> None:
    """Among adults: 2 % BCom/BBA result awaited, 0.5 % exactly 45, 0.3 % at 44.99, 3 % below, 3 % BA only,
    2 % a master's without the essential degree (a higher degree does not replace it), 1 % intermediate only,
    6 % the essential degree and a master's."""
    q = pl.col("qualifications")
    essential = q.str.extract(r"(?:^|;)(?:BCom|BBA)\|[^|]*\|([0-9.]+)\|", 1)
    percent = essential.cast(pl.Float64)
    awaited = q.str.contains(r"(?:BCom|BBA)\|[^;]*\|awaited")
    master = q.str.contains(r"(?:^|;)(?:MCom|MBA|MA)\|")
    has_ba = q.str.contains(r"(?:^|;)BA\|")
    checks = [
        (0.02, awaited),
        (0.005, (percent == 45) & ~awaited),
        (0.003, (percent == 44.99) & ~awaited),
        (0.03, (percent < 44.99) & ~awaited),
        (0.03, essential.is_null() & has_ba & ~master),
        (0.02, essential.is_null() & master),
        (0.01, essential.is_null() & ~has_ba & ~master),
        (0.06, essential.is_not_null() & master & (percent > 45) & ~awaited),
    ]
    for share, expr in checks:
        assert _within(_share(adults, expr), N, share), share
    total = sum(share for share, _ in checks) + 0.822  # + the plain essential track
    assert math.isclose(total, 1.0)


def test_qualification_entries_are_chronological_and_before_the_date(adults: pl.DataFrame) -> None:
    """Result dates never go backwards along an entry list; completed results precede the eligibility date
    and awaited ones follow it."""
    entries = adults.select(pl.col("qualifications").str.split(";").alias("e")).explode(
        "e", empty_as_null=True
    )
    fields = entries.select(
        pl.col("e").str.split("|").list.get(3).alias("date"),
        pl.col("e").str.ends_with("|awaited").alias("awaited"),
    ).with_columns(day=pl.col("date").str.slice(0, 7))
    completed = fields.filter(~pl.col("awaited"))
    assert (completed["day"] <= "2026-01").all()
    assert (fields.filter(pl.col("awaited"))["date"] > E.isoformat()).all()
    months = adults.select(pl.col("qualifications").str.extract_all(r"\|(\d{4}-\d{2})").alias("m"))["m"]
    assert all(m == sorted(m) for m in months.head(5000).to_list())


def test_service_relaxations_and_experience(big: pl.DataFrame) -> None:
    """7 % in service (some under 2 years, some exactly 2); civil_servant claimed only by them and
    disabled only by disabled rows; service_record domicile only in service; about 18 % list experience."""
    service = pl.col("in_service_years").cast(pl.Float64)
    in_service = service.is_not_null() & (service > 0)
    assert _within(_share(big, in_service), N, DEFAULT.in_service_share)
    assert _share(big, in_service & (service < 2)) > 0
    assert _share(big, pl.col("in_service_years") == "2") > 0
    relax = pl.col("relaxations").fill_null("")
    claims_cs = relax.str.contains(r"(?:^|;)civil_servant(?:;|$)")
    assert _share(big, claims_cs) > 0
    assert _share(big, claims_cs & ~in_service.fill_null(False)) == 0
    assert _share(big, claims_cs & (service < 2)) > 0  # claims that the rule must refuse
    disabled = pl.col("disability").is_in(["yes", "y", "1", "true"])
    claims_dis = relax.str.contains(r"(?:^|;)disabled(?:;|$)")
    assert _share(big, claims_dis) > 0 and _share(big, claims_dis & ~disabled) == 0
    record = pl.col("domicile_basis") == "service_record"
    assert _share(big, record) > 0 and _share(big, record & ~in_service.fill_null(False)) == 0
    assert _within(_share(big, pl.col("experience").is_not_null()), N, DEFAULT.experience_share)
    assert _share(big, pl.col("experience").str.contains(r"\|present\|")) > 0


def test_grants_only_for_over_age_rows_and_within_ceilings(big: pl.DataFrame) -> None:
    """A discretionary grant is claimed only by rows over 30 (full DOBs), never above its authority's
    ceiling (Secretary 3, Chief Secretary 5, Chief Minister 7)."""
    grants = big.filter(pl.col("relaxations").str.contains("grant:") & (pl.col("dob").str.len_chars() == 10))
    assert grants.height > 0
    ages = completed_age(_resolved_dob(grants).cast(pl.Int64).to_numpy(), E)
    assert (ages > 30).all()
    ceilings = {"secretary": 3, "chief_secretary": 5, "chief_minister": 7}
    for text in grants["relaxations"].to_list():
        m = re.search(r"grant:(\d+):([a-z_]+):S&GAD-2026/\d+$", text)
        assert m is not None
        assert 1 <= int(m.group(1)) <= ceilings[m.group(2)]


# --- the junior clerk profile ---


def test_junior_clerk_profile_stays_mostly_in_quetta_division(geography: Geography) -> None:
    """The Junior Clerk profile draws 95 % of domiciles from the Quetta division, 5 % from the rest of
    Balochistan (they will be refused by the post's restriction), with intermediate-based qualifications."""
    n = 20_000
    frame = generate_applicants(
        n=n,
        seed=2,
        post_code="JR-CLERK",
        roll_numbers=None,
        geography=geography,
        eligibility_date=date(2026, 2, 23),
        profile=JUNIOR_CLERK,
    )
    assert frame["application_id"][0] == "JC-2026-000001"
    lookup = geography.lookup_frame().select("key", "division")
    divisions = frame.select(normalise_expr("domicile_district").alias("key")).join(
        lookup, on="key", how="left", maintain_order="left"
    )["division"]
    assert _within(int((divisions != "Quetta").sum()), n, JUNIOR_CLERK.outside_home_share)
    errors = column_errors(frame, post_codes=("JR-CLERK",), geography=geography)
    assert bad_columns(errors).list.len().sum() == 0
    matric_only = _share(frame, ~pl.col("qualifications").str.contains(";"))
    assert _within(matric_only, n, 0.05, sigmas=6)
