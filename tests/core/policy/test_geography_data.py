"""The shipped geography table: complete, consistent with the policy packs, and with checked populations."""

from __future__ import annotations

from collections import defaultdict

import pytest

from shafaf.core.policy.geography import Geography, load_geography
from shafaf.core.policy.packs import load_pack

#: 2023 census totals by Balochistan division (domain.md §2.8).
DIVISION_TOTALS = {
    "Quetta": 4_259_163,
    "Kalat": 2_721_018,
    "Naseerabad": 2_044_021,
    "Makran": 1_875_872,
    "Sibi": 1_156_748,
    "Rakhshan": 1_040_001,
    "Zhob": 927_579,
    "Loralai": 870_000,
}
REGIONS = {"punjab", "sindh_urban", "sindh_rural", "kp", "balochistan", "ex_fata", "gb", "ajk", "ict"}


@pytest.fixture(scope="module")
def geo() -> Geography:
    return load_geography()


def test_header_says_verify_and_names_unverified_rows(geo: Geography) -> None:
    """The version is set and the note tells the reader to verify and which rows are unverified."""
    assert geo.version == "pakistan-2025.1"
    assert "VERIFY AGAINST THE CURRENT NOTIFICATION" in geo.note
    assert "Unverified rows:" in geo.note


def test_balochistan_districts_and_divisions(geo: Geography) -> None:
    """All 37 districts of Balochistan (2025) in the 8 divisions."""
    bal = [d for d in geo.districts if d.province == "Balochistan"]
    assert len(bal) == 37
    assert {d.division for d in bal} == set(DIVISION_TOTALS)
    by_div: dict[str, set[str]] = defaultdict(set)
    for d in bal:
        by_div[d.division].add(d.name)
    assert by_div["Loralai"] == {"Loralai", "Barkhan", "Musakhel", "Duki"}
    assert by_div["Rakhshan"] == {"Chagai", "Kharan", "Nushki", "Washuk"}
    assert by_div["Quetta"] == {"Quetta", "Pishin", "Karezat", "Killa Abdullah", "Chaman"}


def test_every_balochistan_district_has_a_zone_of_the_pack(geo: Geography) -> None:
    """Zones are the balochistan-1991 zone codes; no district elsewhere has a zone."""
    zones = set(load_pack("balochistan-1991").quota.zones)
    for d in geo.districts:
        if d.province == "Balochistan":
            assert d.zone in zones, d.name
            assert d.region == "balochistan"
        else:
            assert d.zone is None, d.name
    assert set(geo.zones()) == zones


@pytest.mark.parametrize(
    ("district", "zone"),
    [
        ("Quetta", "quetta_city"),
        ("Pishin", "quetta"),
        ("Chagai", "quetta"),  # Rakhshan division, from the old Quetta division
        ("Kharan", "kalat"),  # Rakhshan division, from the old Kalat division
        ("Washuk", "kalat"),
        ("Loralai", "zhob"),  # Loralai division was split from Zhob
        ("Duki", "zhob"),
        ("Kech", "makran"),
        ("Kachhi", "nasirabad"),
        ("Dera Bugti", "sibi"),
        ("Hub", "kalat"),
    ],
)
def test_zone_judgement_calls(geo: Geography, district: str, zone: str) -> None:
    """The documented zone of districts whose division changed after 1991."""
    d = geo.resolve(district)
    assert d is not None and d.zone == zone


def test_regions_are_known_and_federal_pack_covers_them(geo: Geography) -> None:
    """Every region is a federal slot code or mapped onto one (ICT -> Punjab)."""
    fed = load_pack("federal")
    assert {d.region for d in geo.districts} == REGIONS
    covered = set(fed.quota.regions) | set(fed.quota.region_map)
    assert covered == REGIONS


def test_province_counts(geo: Geography) -> None:
    """District counts per province as listed (verify against notifications)."""
    counts: dict[str, int] = defaultdict(int)
    for d in geo.districts:
        counts[d.province] += 1
    assert dict(counts) == {
        "Balochistan": 37,
        "Punjab": 41,
        "Islamabad Capital Territory": 1,
        "Sindh": 30,
        "Khyber Pakhtunkhwa": 37,
        "Gilgit-Baltistan": 14,
        "Azad Jammu and Kashmir": 10,
    }


def test_sindh_urban_convention(geo: Geography) -> None:
    """Karachi's seven districts, Hyderabad and Sukkur are sindh_urban; the rest of Sindh sindh_rural."""
    urban = {d.name for d in geo.districts if d.region == "sindh_urban"}
    assert urban == {
        "Karachi Central", "Karachi East", "Karachi South", "Karachi West", "Korangi", "Malir", "Keamari",
        "Hyderabad", "Sukkur",
    }  # fmt: skip


def test_ex_fata_districts(geo: Geography) -> None:
    """The seven merged agencies (South Waziristan now in two districts) are ex_fata."""
    assert {d.name for d in geo.districts if d.region == "ex_fata"} == {
        "Bajaur", "Mohmand", "Khyber", "Kurram", "Orakzai", "North Waziristan",
        "Upper South Waziristan", "Lower South Waziristan",
    }  # fmt: skip


def test_division_populations_match_the_census(geo: Geography) -> None:
    """Where every district of a division has a population, they sum to the census division total; the
    province adds up to 14,894,402 once Kohlu + Harnai (387,791 together) are added."""
    sums: dict[str, int] = defaultdict(int)
    missing: dict[str, list[str]] = defaultdict(list)
    for d in geo.districts:
        if d.province != "Balochistan":
            continue
        if d.population_2023 is None:
            missing[d.division].append(d.name)
        else:
            sums[d.division] += d.population_2023
    assert {k: sorted(v) for k, v in missing.items()} == {
        "Quetta": ["Karezat"],
        "Naseerabad": ["Usta Muhammad"],
        "Sibi": ["Harnai", "Kohlu"],
    }
    for division, total in DIVISION_TOTALS.items():
        if division == "Sibi":
            assert total - sums[division] == 387_791
        else:
            assert sums[division] == total, division
    assert sum(DIVISION_TOTALS.values()) == 14_894_402


@pytest.mark.parametrize(
    ("spelling", "district"),
    [
        ("Turbat", "Kech"),
        ("bolan", "Kachhi"),
        ("Qila  Abdullah", "Killa Abdullah"),
        ("D.I. Khan", "Dera Ismail Khan"),
        ("Nawabshah", "Shaheed Benazirabad"),
        ("ICT", "Islamabad"),
        ("South Waziristan", "Lower South Waziristan"),
        ("kolai_palas", "Kolai-Palas"),
        ("Rawalakot", "Poonch"),
    ],
)
def test_aliases_resolve(geo: Geography, spelling: str, district: str) -> None:
    """Common spellings and old names resolve to today's district."""
    d = geo.resolve(spelling)
    assert d is not None and d.name == district


def test_repeated_note_lines_are_joined() -> None:
    """A long note may span several '# note:' lines; extra columns (remark) are allowed."""
    from shafaf.core.policy.geography import parse_geography

    text = (
        "# version: t-1\n# note: first part.\n# note: second part.\n"
        "district,province,division,zone,region,aliases,population_2023,remark\n"
        "Kech,Balochistan,Makran,makran,balochistan,Turbat,1060931,a remark\n"
    )
    g = parse_geography(text, "t.csv")
    assert g.note == "first part. second part."
    assert g.districts[0].population_2023 == 1_060_931
