"""Everything the eligibility rules need about one post, resolved from the campaign and its policy pack.

The rules read only this plain, frozen object, so they are testable without files and the same object is
recorded (as a dict) in the decision ledger: the explanation of a decision names the exact parameters used.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

from shafaf.core.eligibility.dates import LeapRule


@dataclass(frozen=True, slots=True)
class RelaxationRule:
    code: str
    label: str
    years: int
    requires: Literal["none", "in_service", "disabled"]
    min_service_x100: int = 0  # years of continuous service × 100


@dataclass(frozen=True, slots=True)
class GeneralRelaxation:
    """A time-bound general upper-age relaxation (domain.md §3), already resolved to active or not."""

    upper_age: int
    active: bool
    adds_category: bool  # False: effective upper = max(post max + own relaxation, upper_age)
    window: str  # "2024-04-01..2026-12-31" for the explanation


@dataclass(frozen=True, slots=True)
class QualificationRule:
    """One acceptable essential qualification: any of ``degrees`` (canonical codes), optionally limited to
    disciplines (case-insensitive; a required discipline matches when it equals, or is contained in, the
    candidate's discipline), with a minimum percentage × 100."""

    degrees: tuple[str, ...]
    disciplines: tuple[str, ...]
    min_percent_x100: int


@dataclass(frozen=True, slots=True)
class PostRules:
    post_code: str
    reference_date: date
    min_age: int
    max_age: int
    relaxations: tuple[RelaxationRule, ...]
    stacking: bool
    general: GeneralRelaxation | None
    leap_rule: LeapRule
    domicile_provinces: tuple[str, ...]  # empty = any province
    restrict_districts: tuple[str, ...] = ()
    restrict_divisions: tuple[str, ...] = ()
    restrict_zones: tuple[str, ...] = ()
    gender: Literal["any", "F", "M"] = "any"
    qualifications: tuple[QualificationRule, ...] = ()
    experience_days: int = 0
    experience_years: str = "0"
    experience_types: tuple[str, ...] = ("regular",)

    @property
    def restricted(self) -> bool:
        return bool(self.restrict_districts or self.restrict_divisions or self.restrict_zones)

    def restriction_text(self) -> str:
        parts: list[str] = []
        if self.restrict_districts:
            parts.append("district " + ", ".join(self.restrict_districts))
        if self.restrict_divisions:
            parts.append("division " + ", ".join(self.restrict_divisions))
        if self.restrict_zones:
            parts.append("zone " + ", ".join(self.restrict_zones))
        return " or ".join(parts)

    def required_text(self) -> str:
        out: list[str] = []
        for q in self.qualifications:
            text = " or ".join(q.degrees)
            if q.disciplines:
                text += " in " + " or ".join(q.disciplines)
            out.append(text)
        return "; or ".join(out)

    def relaxation(self, code: str) -> RelaxationRule | None:
        for r in self.relaxations:
            if r.code == code:
                return r
        return None

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["reference_date"] = self.reference_date.isoformat()
        return d
