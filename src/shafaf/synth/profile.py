"""The distributions of a synthetic applicant registry, stated as data.

A :class:`Profile` is everything :func:`shafaf.synth.applicants.generate_applicants` draws from;
docs/demo-data.md states the same numbers in words. Shares are sampling probabilities (floats are fine
here: they shape synthetic data, no decision depends on them); percentages of marks are integers in
hundredths so that boundary values such as exactly 45.00 % are exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "DEFAULT",
    "DISCIPLINES",
    "DURATION_YEARS",
    "JUNIOR_CLERK",
    "AgeBand",
    "BoundaryBirthday",
    "Profile",
    "QualificationTrack",
]


@dataclass(frozen=True, slots=True)
class AgeBand:
    """Completed age on the eligibility date, uniform between ``min_age`` and ``max_age`` (inclusive)."""

    code: str
    share: float
    min_age: int
    max_age: int


@dataclass(frozen=True, slots=True)
class BoundaryBirthday:
    """A date of birth on an age boundary: ``age`` years before the eligibility date + ``offset_days``.

    ``offset_days = 0``: the candidate turns ``age`` on the eligibility date itself (exactly ``age`` years 0
    days, still inside a "not more than ``age`` years" limit); ``offset_days = -1``: born a day earlier, so
    over such a limit by one day; ``offset_days = 1``: the birthday is the next day (one day short of ``age``).
    """

    code: str
    share: float
    age: int
    offset_days: int


@dataclass(frozen=True, slots=True)
class QualificationTrack:
    """One educational history: chronological steps, each one degree drawn from its alternatives.

    ``focus`` is the index of the step the scenario is about (usually the essential qualification): its
    percentage is drawn inside ``percent`` (hundredths, both inclusive), and when ``awaited`` it is the last
    step and its result is not declared by the closing date (STATUS ``awaited``, result date after the
    eligibility date).
    """

    code: str
    share: float
    steps: tuple[tuple[str, ...], ...]
    focus: int
    percent: tuple[int, int]
    awaited: bool = False


# Years from the previous result to this one (Matric is taken at about 16, see applicants.py).
DURATION_YEARS: dict[str, int] = {
    "Matric": 0,
    "FA": 2,
    "FSc": 2,
    "ICom": 2,
    "BA": 2,
    "BSc": 2,
    "BCom": 2,
    "BBA": 4,
    "BS": 4,
    "MA": 2,
    "MSc": 2,
    "MCom": 2,
    "MBA": 2,
}

# The DISCIPLINE field per degree; "" is a legal empty discipline.
DISCIPLINES: dict[str, tuple[str, ...]] = {
    "Matric": ("Science", "Arts", "Computer Science"),
    "FA": ("Humanities", "General Science"),
    "FSc": ("Pre-Medical", "Pre-Engineering"),
    "ICom": ("Commerce",),
    "BA": ("Economics", "English", "Political Science", "Urdu", ""),
    "BSc": ("Mathematics", "Physics", "Chemistry"),
    "BCom": ("Accounting", "Finance", "Banking", "Commerce", ""),
    "BBA": ("Finance", "Accounting", "Marketing", "Human Resource Management"),
    "BS": ("Accounting and Finance", "Economics"),
    "MA": ("Economics", "English", "Urdu", "International Relations"),
    "MSc": ("Mathematics", "Economics"),
    "MCom": ("Accounting", "Finance"),
    "MBA": ("Finance", "Marketing", "Banking"),
}

_MATRIC = ("Matric",)
_INTER_COM = ("ICom", "FA")
_INTER_ANY = ("FA", "FSc", "ICom")
_ESSENTIAL_SA = ("BCom", "BBA")
_BACHELOR_ANY = ("BA", "BSc", "BCom")

# Sub-Accountant (BPS-14): essential BCom or BBA with at least 45 %.
SUB_ACCOUNTANT_TRACKS: tuple[QualificationTrack, ...] = (
    QualificationTrack("essential", 0.822, (_MATRIC, _INTER_COM, _ESSENTIAL_SA), 2, (4501, 9500)),
    QualificationTrack(
        "essential_and_master", 0.06, (_MATRIC, _INTER_COM, _ESSENTIAL_SA, ("MCom", "MBA")), 2, (4501, 9500)
    ),
    QualificationTrack("essential_at_minimum", 0.005, (_MATRIC, _INTER_COM, _ESSENTIAL_SA), 2, (4500, 4500)),
    QualificationTrack("essential_just_below", 0.003, (_MATRIC, _INTER_COM, _ESSENTIAL_SA), 2, (4499, 4499)),
    QualificationTrack(
        "essential_below_minimum", 0.03, (_MATRIC, _INTER_COM, _ESSENTIAL_SA), 2, (3300, 4498)
    ),
    QualificationTrack(
        "essential_awaited", 0.02, (_MATRIC, _INTER_COM, _ESSENTIAL_SA), 2, (4501, 9500), awaited=True
    ),
    QualificationTrack("ba_only", 0.03, (_MATRIC, ("FA",), ("BA",)), 2, (3300, 9500)),
    QualificationTrack(
        "master_without_essential", 0.02, (_MATRIC, ("FA",), ("BA",), ("MCom", "MA")), 3, (4501, 9500)
    ),
    QualificationTrack("intermediate_only", 0.01, (_MATRIC, _INTER_COM), 1, (3300, 9500)),
)

# Junior Clerk (BPS-11): essential intermediate (FA, FSc or ICom) with at least 45 % (second division).
JUNIOR_CLERK_TRACKS: tuple[QualificationTrack, ...] = (
    QualificationTrack("essential", 0.35, (_MATRIC, _INTER_ANY), 1, (4501, 9500)),
    QualificationTrack("essential_and_bachelor", 0.40, (_MATRIC, _INTER_ANY, _BACHELOR_ANY), 1, (4501, 9500)),
    QualificationTrack(
        "essential_and_master",
        0.08,
        (_MATRIC, _INTER_ANY, _BACHELOR_ANY, ("MA", "MSc", "MCom")),
        1,
        (4501, 9500),
    ),
    QualificationTrack("essential_at_minimum", 0.01, (_MATRIC, _INTER_ANY), 1, (4500, 4500)),
    QualificationTrack("essential_below_minimum", 0.06, (_MATRIC, _INTER_ANY), 1, (3300, 4499)),
    QualificationTrack(
        "essential_below_minimum_with_bachelor", 0.02, (_MATRIC, _INTER_ANY, _BACHELOR_ANY), 1, (3300, 4499)
    ),
    QualificationTrack("essential_awaited", 0.03, (_MATRIC, _INTER_ANY), 1, (4501, 9500), awaited=True),
    QualificationTrack("matric_only", 0.05, (_MATRIC,), 0, (3300, 9500)),
)

# Ages for a post limited to 18-30 with a general relaxation to 43 (the demo campaign).
AGE_BANDS_18_30: tuple[AgeBand, ...] = (
    AgeBand("under_minimum", 0.004, 16, 17),
    AgeBand("young", 0.04, 18, 20),
    AgeBand("core", 0.833, 21, 29),
    AgeBand("over_post_maximum", 0.09, 30, 42),
    AgeBand("over_general_relaxation", 0.015, 43, 50),
)
BOUNDARIES_18_30: tuple[BoundaryBirthday, ...] = (
    BoundaryBirthday("turns_18_on_date", 0.002, 18, 0),
    BoundaryBirthday("turns_18_next_day", 0.002, 18, 1),
    # "18 to 30 years": eligible up to and including the 30th birthday (docs/campaign.md); a day later is
    # "over age by 0y 0m 1d", the way commission rejection lists put it
    BoundaryBirthday("exactly_30_on_date", 0.004, 30, 0),
    BoundaryBirthday("over_30_by_one_day", 0.004, 30, -1),
    BoundaryBirthday("exactly_43_on_date", 0.003, 43, 0),
    BoundaryBirthday("over_43_by_one_day", 0.003, 43, -1),
)

EXPERIENCE_TYPES: tuple[tuple[str, float], ...] = (
    ("regular", 0.50),
    ("contract", 0.25),
    ("part_time", 0.10),
    ("daily_wage", 0.05),
    ("internship", 0.07),
    ("unpaid", 0.03),
)

# Discretionary grant authorities and their ceilings in years (domain.md §3).
GRANT_AUTHORITIES: tuple[tuple[str, int], ...] = (
    ("secretary", 3),
    ("chief_secretary", 5),
    ("chief_minister", 7),
)


@dataclass(frozen=True, slots=True)
class Profile:
    """Every distribution of the synthetic registry (see docs/demo-data.md for the same numbers in words)."""

    id_prefix: str = "SA-2026"
    # Geography: districts of ``province`` weighted by population_2023; ``home_divisions`` (empty = the whole
    # province) receive all rows except ``outside_home_share``, drawn from the rest of the province.
    province: str = "Balochistan"
    home_divisions: tuple[str, ...] = ()
    outside_home_share: float = 0.0
    alias_spelling_share: float = 0.03  # district written as a listed alias (when it has one)
    upper_case_district_share: float = 0.02
    # People.
    female_share: float = 0.24
    x_share: float = 0.002
    minority_share: float = 0.03
    minority_name_share: float = 0.9  # of minority candidates, names from the minority lists
    disability_share: float = 0.02
    urdu_name_share: float = 0.30
    muhammad_prefix_share: float = 0.25  # of Muslim men (candidate and father)
    same_family_name_as_father_share: float = 0.9
    # CNIC: 5 (Balochistan) + 2-digit district code + 2 random digits, 7 random digits, a last digit whose
    # parity follows the odd-male/even-female convention except in ``parity_mismatch_share`` of M/F rows.
    parity_mismatch_share: float = 0.015
    cnic_without_dashes_share: float = 0.08
    husband_domicile_share: float = 0.04  # of women: domicile_basis = husband, CNIC from another district
    # Age.
    age_max: int = 30  # the post's upper age limit (rows above it are "over age")
    age_bands: tuple[AgeBand, ...] = AGE_BANDS_18_30
    boundaries: tuple[BoundaryBirthday, ...] = BOUNDARIES_18_30
    dob_feb29_share: float = 0.003  # of age-band rows: born on 29 February of a leap year inside the band
    dob_year_only_share: float = 0.01  # of age-band rows
    dob_year_month_share: float = 0.02  # of age-band rows
    dob_day_first_share: float = 0.05  # of full dates written DD/MM/YYYY
    # Education.
    qualification_tracks: tuple[QualificationTrack, ...] = SUB_ACCOUNTANT_TRACKS
    percent_mean: float = 62.0
    percent_sd: float = 10.0
    other_percent: tuple[int, int] = (3300, 9500)  # hundredths, for steps other than the focus
    qualification_month_only_share: float = 0.03  # completed result dates written YYYY-MM
    # Service and relaxations.
    in_service_share: float = 0.07
    in_service_under_two_share: float = 0.25  # of in-service: 3..23 months
    in_service_exactly_two_share: float = 0.10  # of in-service: exactly 2 years
    in_service_zero_written_share: float = 0.10  # of the others: "0" written instead of empty
    service_record_domicile_share: float = 0.15  # of in-service: domicile_basis = service_record
    civil_servant_code: str = "civil_servant"
    disability_code: str = "disabled"
    civil_servant_claim_if_over_age: float = 0.85
    civil_servant_claim_otherwise: float = 0.15
    disability_claim_if_over_age: float = 0.85
    disability_claim_otherwise: float = 0.25
    deceased_family_code: str = (
        "deceased_employee_family"  # widow/child of a civil servant who died in service
    )
    deceased_family_claim_if_over_age: float = 0.03
    deceased_family_claim_otherwise: float = 0.003
    grant_share_if_over_age: float = 0.03
    grant_authorities: tuple[tuple[str, int], ...] = GRANT_AUTHORITIES
    # Experience.
    experience_share: float = 0.18
    experience_second_entry_share: float = 0.30  # of those with experience
    experience_present_share: float = 0.25  # END written "present" (also when the period reaches the date)
    experience_types: tuple[tuple[str, float], ...] = EXPERIENCE_TYPES
    # Spelling of optional columns.
    own_basis_written_share: float = 0.7  # else empty (= own)
    boolean_blank_share: float = 0.2  # of "no" values left empty
    boolean_variant_share: float = 0.05  # yes/no written y/n, 1/0 or true/false

    def __post_init__(self) -> None:
        age_total = sum(b.share for b in self.age_bands) + sum(b.share for b in self.boundaries)
        if not math.isclose(age_total, 1.0, abs_tol=1e-9):
            raise ValueError(f"age band and boundary shares sum to {age_total}, expected 1")
        track_total = sum(t.share for t in self.qualification_tracks)
        if not math.isclose(track_total, 1.0, abs_tol=1e-9):
            raise ValueError(f"qualification track shares sum to {track_total}, expected 1")
        exp_total = sum(s for _, s in self.experience_types)
        if not math.isclose(exp_total, 1.0, abs_tol=1e-9):
            raise ValueError(f"experience type shares sum to {exp_total}, expected 1")
        if self.female_share + self.x_share > 1:
            raise ValueError("female_share + x_share exceeds 1")
        for band in self.age_bands:
            if band.min_age > band.max_age:
                raise ValueError(f"age band {band.code}: min_age above max_age")
            if (
                band.min_age < self.age_max <= band.max_age
            ):  # completed age = max is already over (unless 0 days)
                raise ValueError(f"age band {band.code} straddles the post maximum {self.age_max}")
        for track in self.qualification_tracks:
            if not 0 <= track.focus < len(track.steps):
                raise ValueError(f"qualification track {track.code}: focus outside its steps")
            if track.awaited and track.focus != len(track.steps) - 1:
                raise ValueError(f"qualification track {track.code}: an awaited result must be the last step")
            lo, hi = track.percent
            if not 0 <= lo <= hi <= 10000:
                raise ValueError(f"qualification track {track.code}: percent range outside 0..100")
            for step in track.steps:
                for degree in step:
                    if degree not in DURATION_YEARS or degree not in DISCIPLINES:
                        raise ValueError(f"qualification track {track.code}: unknown degree {degree}")


DEFAULT = Profile()

JUNIOR_CLERK = Profile(
    id_prefix="JC-2026",
    home_divisions=("Quetta",),
    outside_home_share=0.05,
    qualification_tracks=JUNIOR_CLERK_TRACKS,
)
