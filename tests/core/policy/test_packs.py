"""Policy packs: loading, the attributes other modules read, traceability of every value, and refusals."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from shafaf.core.errors import PolicyError
from shafaf.core.policy import load_pack as load_from_package
from shafaf.core.policy.packs import (
    TIE_CODES,
    PolicyPack,
    available_packs,
    degree_key,
    load_pack,
    parse_pack,
    round_share,
)

PACKS_DIR = Path(str(resources.files("shafaf.core.policy") / "data" / "packs"))


def pack_text(name: str) -> str:
    return (PACKS_DIR / f"{name}.toml").read_text(encoding="utf-8")


def edited(name: str, old: str, new: str) -> bytes:
    """The bytes of a shipped pack with one exact substring replaced (the substring must occur)."""
    text = pack_text(name)
    assert old in text, old
    return text.replace(old, new, 1).encode()


@pytest.fixture(scope="module")
def bal() -> PolicyPack:
    return load_pack("balochistan-1991")


@pytest.fixture(scope="module")
def fed() -> PolicyPack:
    return load_pack("federal")


def test_shipped_packs_are_listed_and_load_by_name() -> None:
    """Both shipped packs are found by name, also through the package-level import."""
    assert available_packs() == ("balochistan-1991", "federal")
    assert load_from_package("federal").name == "federal"


def test_identity_version_and_sha256(bal: PolicyPack) -> None:
    """name, version (name@release) and the sha256 of the exact file bytes are exposed."""
    assert bal.name == "balochistan-1991"
    assert re.fullmatch(r"balochistan-1991@\d{4}\.\d+", bal.version)
    assert bal.sha256 == hashlib.sha256((PACKS_DIR / "balochistan-1991.toml").read_bytes()).hexdigest()


def test_load_by_path_gives_the_same_pack(bal: PolicyPack) -> None:
    """A pack loaded from its path equals the one loaded by name (same values, same hash)."""
    assert load_pack(PACKS_DIR / "balochistan-1991.toml") == bal


def test_balochistan_quota(bal: PolicyPack) -> None:
    """Rotation of 16 slots in the 1991 order, 5% specials floored, default fill order and pointer."""
    q = bal.quota
    assert q.method == "rotation"
    assert q.rotation == (
        "merit", "kalat", "zhob", "nasirabad", "makran", "quetta", "sibi", "quetta_city",
        "merit", "kalat", "zhob", "nasirabad", "makran", "quetta",
        "merit", "kalat",
    )  # fmt: skip
    assert [(s.code, s.percent, s.attribute, s.rounding, s.carved_from) for s in q.special_quotas] == [
        ("women", Decimal(5), "female", "floor", None),
        ("minorities", Decimal(5), "minority", "floor", None),
        ("disabled", Decimal(5), "disabled", "floor", None),
    ]
    assert q.fill_order == ("merit", "zone", "special")
    assert q.pointer == "restart"
    assert q.zones == ("kalat", "zhob", "nasirabad", "makran", "quetta", "sibi", "quetta_city")
    assert (q.unfilled.merit, q.unfilled.zone, q.unfilled.special) == (
        "readvertise",
        "readvertise",
        "carry_forward",
    )
    assert q.shares == {}


def test_federal_quota(fed: PolicyPack) -> None:
    """Shares total 100 in the documented order; women and minorities are carved; ICT counts with Punjab."""
    q = fed.quota
    assert q.method == "shares"
    assert q.shares == {
        "merit": Decimal("7.5"),
        "punjab": Decimal(50),
        "sindh_urban": Decimal("7.6"),
        "sindh_rural": Decimal("11.4"),
        "kp": Decimal("11.5"),
        "balochistan": Decimal(6),
        "ex_fata": Decimal(3),
        "gb": Decimal(1),
        "ajk": Decimal(2),
    }
    assert sum(q.shares.values()) == 100
    assert {s.code: (s.percent, s.carved_from) for s in q.special_quotas} == {
        "women": (Decimal(10), "regions"),
        "minorities": (Decimal(5), "regions"),
        "disabled": (Decimal(2), None),
    }
    assert q.region_map == {"ict": "punjab"}
    assert q.fill_order == ("merit", "region", "special")
    assert {q.unfilled.action_for(k) for k in ("merit", "region", "special")} == {"carry_forward"}


def test_balochistan_age(bal: PolicyPack) -> None:
    """18-28, one category only, 29 Feb -> 1 Mar, the three relaxations, grant ceilings and the 43 window."""
    a = bal.age
    assert (a.min_years, a.max_years, a.stacking, a.leap_day_birthday) == (18, 28, False, "mar1")
    assert (a.unknown_dob_month_day, a.unknown_dob_day) == ((7, 1), 16)
    r = a.relaxations
    assert (r["civil_servant"].years, r["civil_servant"].requires, r["civil_servant"].min_service_years) == (
        5,
        "in_service",
        Decimal(2),
    )
    assert (r["disabled"].years, r["disabled"].requires) == (10, "disabled")
    assert (r["deceased_employee_family"].years, r["deceased_employee_family"].requires) == (5, "none")
    assert a.grant_ceilings == {"secretary": 3, "chief_secretary": 5, "chief_minister": 7}
    g = a.general
    assert g is not None
    assert (g.upper_age, g.applies_on, g.adds_category_relaxation) == (43, "closing_date", False)
    assert g.active_on(date(2026, 1, 26))  # the demo campaign's closing date
    assert g.active_on(g.valid_from) and g.active_on(g.valid_to)
    assert not g.active_on(date(2026, 6, 24))
    assert not bal.notifications[g.source].verified


def test_federal_age(fed: PolicyPack) -> None:
    """Federal: one category, no general relaxation, civil servants +10 up to 55."""
    a = fed.age
    assert (a.min_years, a.max_years, a.stacking, a.general) == (18, 28, False, None)
    cs = a.relaxations["civil_servant"]
    assert (cs.years, cs.max_total_age, cs.min_service_years) == (10, 55, Decimal(2))
    assert a.relaxations["disabled"].years == 10
    assert a.relaxations["deceased_employee_family"].years == 5


def test_other_attributes(bal: PolicyPack, fed: PolicyPack) -> None:
    """Experience types and year length, tie chain and domicile provinces."""
    for p in (bal, fed):
        assert p.experience_types_counted == ("regular",)
        assert p.days_per_year == 365
        assert p.tie_chain == (
            "test", "older", "higher_qualification", "min_qual_percent", "earlier_min_qual_date", "flag"
        )  # fmt: skip
    assert bal.eligibility.domicile_provinces == ("Balochistan",)
    assert fed.eligibility.domicile_provinces == ()


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("Matric", ("Matric", 10)),
        ("ssc", ("Matric", 10)),
        ("FSc", ("FSc", 12)),
        ("f.sc.", ("FSc", 12)),
        ("DAE", ("DAE", 12)),
        ("ba", ("BA", 14)),
        ("B.Com", ("BCom", 14)),
        ("  b.com  ", ("BCom", 14)),
        ("B.Com (Hons)", ("BCom(Hons)", 16)),
        ("bcom   hons", ("BCom(Hons)", 16)),
        ("BBA", ("BBA", 16)),
        ("B.Sc (Hons)", ("BSc(Hons)", 16)),
        ("MBBS", ("MBBS", 16)),
        ("LL.B", ("LLB", 16)),
        ("M.A.", ("MA", 16)),
        ("MBA", ("MBA", 16)),
        ("M.Phil", ("MPhil", 18)),
        ("ms", ("MS", 18)),
        ("Ph.D", ("PhD", 21)),
        ("B Com", None),  # punctuation and inner spaces matter: only listed spellings resolve
        ("Diploma", None),
        ("", None),
    ],
)
def test_degree_lookup(bal: PolicyPack, spelling: str, expected: tuple[str, int] | None) -> None:
    """degree() folds case and spacing and returns (canonical code, level) or None."""
    assert bal.degree(spelling) == expected


def test_degree_levels_and_spellings(bal: PolicyPack) -> None:
    """qualification_levels maps canonical codes to levels; every spelling maps to its canonical code."""
    levels = bal.qualification_levels
    assert levels["BCom"] == 14 and levels["BCom(Hons)"] == 16 and levels["PhD"] == 21
    spellings = bal.degree_spellings()
    assert list(spellings) == sorted(spellings)
    assert all(k == degree_key(k) for k in spellings)
    assert {code for code, _ in spellings.values()} == set(levels)


@pytest.mark.parametrize("name", ["balochistan-1991", "federal"])
def test_every_parameter_has_a_source_that_exists(name: str) -> None:
    """Traceability: every parameter path names a notification of the same pack; every table has a source."""
    pack = load_pack(name)
    sources = pack.parameter_sources()
    assert sources, "no parameters found"
    assert set(sources.values()) <= set(pack.notifications)
    expected = {
        "quota.method",
        "quota.rotation",
        "quota.pointer",
        "quota.fill_order",
        "quota.unfilled.merit",
        "quota.special_quotas.women.percent",
        "quota.special_quotas.disabled.rounding",
        "age.min_years",
        "age.max_years",
        "age.stacking",
        "age.grant_ceilings",
        "age.relaxations.civil_servant.years",
        "age.relaxations.disabled.years",
        "experience.days_per_year",
        "experience.types_counted",
        "ties.chain",
        "qualifications.degrees.BCom.level",
        "eligibility.domicile_provinces",
    }
    assert expected <= set(sources)
    for n in pack.notifications.values():
        assert n.title


def test_numeric_values_are_all_traced(bal: PolicyPack, fed: PolicyPack) -> None:
    """Every number written in a pack file is the value of a parameter listed by parameter_sources."""
    for pack in (bal, fed):
        sources = pack.parameter_sources()
        assert "quota.slots.punjab.share" in sources or pack.quota.method == "rotation"
        assert "age.relaxations.civil_servant.min_service_years" in sources
        assert "age.relaxations.civil_servant.years" in sources
    assert "age.general.upper_age" in bal.parameter_sources()
    assert fed.parameter_sources()["age.general"] == "fed-age-1993"  # no general relaxation: also traced


def test_source_overrides_are_used(bal: PolicyPack) -> None:
    """A value whose source differs from its table's names it in ``sources``."""
    s = bal.parameter_sources()
    assert s["age.min_years"] == "bal-age-rules-2012"
    assert s["age.stacking"] == "shafaf-default"
    assert s["age.grant_ceilings"] == "bal-age-grants"
    assert s["quota.special_quotas.disabled.percent"] == "bal-disabled-2018"
    assert s["quota.pointer"] == "shafaf-default"


def test_unverified_lists_unverified_notifications(bal: PolicyPack) -> None:
    """Every shipped source is still unverified; unverified() lists them sorted."""
    assert list(bal.unverified()) == sorted(bal.notifications)


@pytest.mark.parametrize(
    ("n", "rounding", "expected"),
    [(19, "floor", 0), (20, "floor", 1), (39, "floor", 1), (40, "floor", 2), (111, "floor", 5),
     (19, "half_up", 1), (10, "half_up", 1), (9, "half_up", 0), (30, "half_up", 2), (0, "half_up", 0)],
)  # fmt: skip
def test_round_share(n: int, rounding: str, expected: int) -> None:
    """5% of N: floor(0.95)=0, floor(1)=1; half up: 0.95->1, 0.5->1, 0.45->0, 1.5->2."""
    assert round_share(Decimal(5), n, rounding) == expected  # type: ignore[arg-type]


# --- refusals -----------------------------------------------------------------------------------------------


def refuse(data: bytes) -> str:
    with pytest.raises(PolicyError) as info:
        parse_pack(data, "test.toml")
    assert info.value.source == "test.toml"
    return info.value.detail


def test_unknown_pack_name() -> None:
    """An unknown name is refused with the list of shipped packs."""
    with pytest.raises(
        PolicyError, match=r"no such policy pack; expected one of \['balochistan-1991', 'federal'\]"
    ):
        load_pack("punjab-2020")


def test_missing_pack_path(tmp_path: Path) -> None:
    """A .toml path that does not exist is refused naming the path."""
    with pytest.raises(PolicyError, match="no such policy pack file"):
        load_pack(tmp_path / "nope.toml")


def test_invalid_toml() -> None:
    """Broken TOML is refused with the parser's position."""
    assert refuse(b'name = "x"\n[quota\n').startswith("invalid TOML")


def test_bad_percent_names_the_field() -> None:
    """A negative quota percent is refused with its field path."""
    detail = refuse(
        edited(
            "balochistan-1991",
            'code = "women"\nlabel = "Women"\npercent = 5',
            'code = "women"\nlabel = "Women"\npercent = -5',
        )
    )
    assert detail.startswith("quota.special_quotas[0].percent: ")
    assert "greater than 0" in detail


def test_unknown_field() -> None:
    """A misspelt field is refused (extra = forbid)."""
    detail = refuse(edited("balochistan-1991", "stacking = false", "stackng = false"))
    assert "age.stackng: unknown field" in detail


def test_reference_to_a_missing_notification() -> None:
    """A source that has no [notifications.<ref>] table is refused."""
    detail = refuse(edited("federal", 'source = "fed-women"', 'source = "fed-woman"'))
    assert "sources ['fed-woman'] are referenced but have no [notifications.<ref>] table" in detail


def test_source_override_for_an_unknown_field() -> None:
    """A ``sources`` key must be a field of its table."""
    detail = refuse(
        edited(
            "balochistan-1991",
            'sources = { pointer = "shafaf-default" }',
            'sources = { pointr = "shafaf-default" }',
        )
    )
    assert "quota.sources: keys must be fields of this table" in detail


def test_rotation_with_unknown_slot() -> None:
    """Every rotation code must be a slot."""
    detail = refuse(edited("balochistan-1991", '"merit", "kalat",   ', '"merit", "kalatt",   '))
    assert "quota.rotation: codes ['kalatt'] are not slots" in detail


def test_shares_must_total_100() -> None:
    """Shares that do not add up to exactly 100 are refused."""
    detail = refuse(edited("federal", "share = 50", "share = 49.9"))
    assert "quota.slots: shares must total exactly 100, got 99.9" in detail


def test_unknown_tie_code_and_flag_position() -> None:
    """Tie-break codes are checked against the known codes; 'flag' can only be last."""
    chain = '["test", "older", "higher_qualification", "min_qual_percent", "earlier_min_qual_date", "flag"]'
    assert "unknown tie-break codes ['coin']" in refuse(edited("federal", chain, '["test", "coin"]'))
    assert "'flag' (hand the tie to a human) can only be the last link" in refuse(
        edited("federal", chain, '["flag", "test"]')
    )
    assert set(TIE_CODES) >= {"test", "older", "flag"}


def test_min_vacancies_is_checked() -> None:
    """min_vacancies must be the first N that yields a seat under the quota's rounding."""
    detail = refuse(edited("federal", "min_vacancies = 50", "min_vacancies = 40"))
    assert (
        "quota.special_quotas[2].min_vacancies: 2% with floor rounding first gives a seat at N = 50, not 40"
        in detail
    )


def test_fill_order_must_cover_the_kinds() -> None:
    """fill_order lists each slot kind the pack uses exactly once."""
    detail = refuse(
        edited(
            "balochistan-1991",
            'fill_order = ["merit", "zone", "special"]',
            'fill_order = ["merit", "special"]',
        )
    )
    assert "quota.fill_order: expected each slot kind used by this pack exactly once" in detail


def test_merit_cannot_default_to_conversion() -> None:
    """Converting unfilled merit seats to merit is meaningless and refused."""
    detail = refuse(edited("balochistan-1991", 'merit = "readvertise"', 'merit = "convert_to_merit"'))
    assert "quota.unfilled.merit: a merit seat cannot be converted to merit" in detail


def test_version_must_name_the_pack() -> None:
    """The version reads '<name>@<release>'."""
    detail = refuse(edited("federal", 'version = "federal@2025.1"', 'version = "2025.1"'))
    assert "version: expected 'federal@<release>'" in detail


def test_sha256_cannot_be_written_in_the_file() -> None:
    """The hash is computed on load, never trusted from the file."""
    assert refuse(b'sha256 = "abc"\n' + pack_text("federal").encode()).startswith("sha256: computed")


def test_name_must_match_the_file_name(tmp_path: Path) -> None:
    """A shipped pack's name is its file name; a pack loaded by path keeps its own name."""
    path = tmp_path / "copy.toml"
    path.write_bytes((PACKS_DIR / "federal.toml").read_bytes())
    assert load_pack(path).name == "federal"


def test_general_relaxation_window_order() -> None:
    """valid_to before valid_from is refused."""
    detail = refuse(edited("balochistan-1991", "valid_to = 2026-06-23", "valid_to = 2024-06-23"))
    assert "age.general.valid_to: expected a date on or after valid_from 2025-06-24" in detail


def test_derived_pack_can_override_the_window(tmp_path: Path) -> None:
    """Overriding the general window (the documented way) gives a different version and hash."""
    data = edited("balochistan-1991", "valid_from = 2025-06-24", "valid_from = 2024-04-25")
    data = data.replace(b'version = "balochistan-1991@2025.1"', b'version = "balochistan-1991@2025.1-local"')
    pack = parse_pack(data, "derived.toml")
    assert pack.age.general is not None and pack.age.general.valid_from == date(2024, 4, 25)
    assert pack.sha256 == hashlib.sha256(data).hexdigest()
    assert pack.sha256 != load_pack("balochistan-1991").sha256
