"""The campaign file: one advertisement with its posts, eligibility rules, merit formula and test.

TOML, documented field by field in ``docs/campaign.md``. A malformed file fails fast with a
:class:`~shafaf.core.errors.CampaignError` naming the file, the field path and what was expected.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from shafaf.core.errors import CampaignError

Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=4)]
Marks = Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=4)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class CampaignInfo(_Model):
    department: str = Field(min_length=1)
    advertisement: str = Field(min_length=1)
    title: str = ""
    published: date | None = None
    closing_date: date
    eligibility_date: date | None = None
    cadre: str | None = None
    rotation_pointer: int = Field(default=0, ge=0)
    geography: str = "pakistan-2025"  # versioned district table: a shipped name or a CSV path
    run_label: str = ""

    @model_validator(mode="after")
    def _dates(self) -> CampaignInfo:
        if self.closing_date.year < 1950:
            raise ValueError(
                f"closing_date {self.closing_date} is not a plausible date (expected 1950 or later)"
            )
        if self.eligibility_date is not None and self.eligibility_date > self.closing_date:
            raise ValueError(
                f"eligibility_date {self.eligibility_date} is after closing_date {self.closing_date}; an extended "
                "deadline keeps the original eligibility date, which is on or before the closing date"
            )
        if self.published is not None and self.published > self.closing_date:
            raise ValueError(f"published {self.published} is after closing_date {self.closing_date}")
        return self

    @property
    def reference_date(self) -> date:
        """The date ages, qualifications and experience are counted on (domain.md §3: the closing date unless
        the advertisement fixes another; an extended deadline does not move it)."""
        return self.eligibility_date or self.closing_date


class Section(_Model):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,30}$")
    label: str = ""
    items: str | list[str] | None = None
    marks_per_item: Annotated[Decimal, Field(gt=0, max_digits=9, decimal_places=4)] = Decimal(1)
    negative: Marks = Decimal(0)
    pass_percent: Percent = Decimal(0)
    max_marks: Marks | None = None  # required in marks_columns mode, derived from items otherwise


class TestSpec(_Model):
    id_column: str = "roll_number"
    mode: Literal["items", "marks_columns", "responses"] = "marks_columns"
    omit_codes: list[str] = ["8", "9", ""]
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _sections(self) -> TestSpec:
        codes = [s.code for s in self.sections]
        if len(set(codes)) != len(codes):
            raise ValueError(f"section codes must be unique, got {codes}")
        for s in self.sections:
            if self.mode == "marks_columns" and s.max_marks is None:
                raise ValueError(f"section '{s.code}': max_marks is required in marks_columns mode")
            if self.mode == "items" and not s.items:
                raise ValueError(f"section '{s.code}': items is required in items mode")
        return self


class AgeSpec(_Model):
    min: int | None = Field(default=None, ge=0, le=100)
    max: int | None = Field(default=None, ge=0, le=100)
    general_relaxation: bool = (
        True  # apply the pack's time-bound general relaxation when its window is active
    )
    general_valid_from: date | None = None  # override the pack's window (a newer notification)
    general_valid_to: date | None = None
    stacking: bool | None = None  # override the pack's one-category rule

    @model_validator(mode="after")
    def _range(self) -> AgeSpec:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        if (
            self.general_valid_from is not None
            and self.general_valid_to is not None
            and self.general_valid_from > self.general_valid_to
        ):
            raise ValueError(
                f"general_valid_from {self.general_valid_from} is after general_valid_to {self.general_valid_to}"
            )
        return self


class QualificationReq(_Model):
    degrees: list[str] = Field(min_length=1)
    disciplines: list[str] = []
    min_percent: Percent = Decimal(0)


class ExperienceReq(_Model):
    years: Annotated[Decimal, Field(ge=0, le=50, decimal_places=2)] = Decimal(0)
    types: list[Literal["regular", "contract", "part_time", "daily_wage", "internship", "unpaid"]] | None = (
        None
    )
    # None = the pack's counted types


class Restriction(_Model):
    districts: list[str] = []
    divisions: list[str] = []
    zones: list[str] = []

    @model_validator(mode="after")
    def _not_empty(self) -> Restriction:
        if not (self.districts or self.divisions or self.zones):
            raise ValueError("a restriction lists at least one district, division or zone")
        return self


class Component(_Model):
    source: Literal["test", "academic", "interview", "experience"]
    weight: Annotated[Decimal, Field(gt=0, max_digits=9, decimal_places=4)]
    max_marks: Marks | None = None  # interview maximum; experience cap in years


class MeritSpec(_Model):
    components: list[Component] = Field(min_length=1)
    aggregate_pass_percent: Percent = Decimal(0)

    @field_validator("components")
    @classmethod
    def _unique(cls, v: list[Component]) -> list[Component]:
        sources = [c.source for c in v]
        if len(set(sources)) != len(sources):
            raise ValueError(f"each source appears once, got {sources}")
        return v


UnfilledAction = Literal["carry_forward", "readvertise", "convert_to_merit"]


class Post(_Model):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,39}$")
    title: str = Field(min_length=1)
    bps: int = Field(ge=1, le=22)
    vacancies: int = Field(ge=0, le=100_000, strict=True)  # strict: `true` is not one vacancy
    policy: str = Field(min_length=1)
    cadre: str | None = None
    rotation_pointer: int | None = Field(default=None, ge=0)
    restriction: Restriction | None = None
    zonal_rotation: bool | None = None  # None: the rotation applies unless the post has a restriction
    gender: Literal["any", "F", "M"] = "any"
    age: AgeSpec = AgeSpec()
    qualifications: list[QualificationReq] = Field(min_length=1)
    experience: ExperienceReq = ExperienceReq()
    merit: MeritSpec
    unfilled: dict[str, UnfilledAction] = {}
    conversions: dict[str, str] = {}  # slot code -> named approver of a conversion to merit
    withdrawn: str | None = None  # reason: the post was withdrawn mid-process; decisions so far are kept


class AuditSpec(_Model):
    # LL144's 2% rule (fairness.md §2.4): categories under 2% of the rows keep their n and rate but do not
    # compete for the reference or get an impact ratio; the switch is recorded in fairness.json and the report.
    exclude_small: bool = True


class Campaign(_Model):
    campaign: CampaignInfo
    audit: AuditSpec = AuditSpec()
    test: TestSpec | None = None
    posts: list[Post] = Field(min_length=1)

    @model_validator(mode="after")
    def _posts(self) -> Campaign:
        for p in self.posts:
            for key, action in p.unfilled.items():
                if action == "convert_to_merit" and not p.conversions.get(key, "").strip():
                    raise ValueError(
                        f"post '{p.code}': unfilled.{key} = 'convert_to_merit' needs a named approver in "
                        f'[posts.conversions] {key} = "<name and office>" (quota seats never move to merit silently)'
                    )
        codes = [p.code for p in self.posts]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"post codes must be unique, repeated: {dup}")
        for p in self.posts:
            if any(c.source == "test" for c in p.merit.components) and self.test is None:
                raise ValueError(f"post '{p.code}' uses test marks but the campaign has no [test] table")
        return self


@dataclass(frozen=True)
class LoadedCampaign:
    model: Campaign
    path: Path
    sha256: str


def _loc(loc: tuple[int | str, ...], data: Any) -> str:
    """Render a pydantic location as a TOML-ish field path, using post codes for readability."""
    parts: list[str] = []
    node: Any = data
    for i, key in enumerate(loc):
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                code = node[key].get("code")
                if code is not None and i > 0:
                    label = f"[{key}] (code {code!r})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)


def parse_campaign(text: str, source: str) -> Campaign:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CampaignError(source, f"not valid TOML: {exc}") from None
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        errors = sorted(
            exc.errors(), key=lambda e: e["type"] != "extra_forbidden"
        )  # a typo explains the rest
        shown = [_describe(e, data) for e in errors[:5]]
        more = f"\n  … and {len(errors) - 5} more problem(s)" if len(errors) > 5 else ""
        if len(shown) == 1:
            raise CampaignError(source, shown[0]) from None
        raise CampaignError(source, f"{len(errors)} problems:\n  " + "\n  ".join(shown) + more) from None


def _describe(error: Any, data: Any) -> str:
    where = _loc(tuple(error["loc"]), data) or "(top level)"
    got = error.get("input")
    shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
    msg = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        msg = "unknown field (a typo? see docs/campaign.md for the field names)"
    return f"{where}: {msg}{shown}"


def load_campaign(path: Path) -> LoadedCampaign:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CampaignError(str(path), f"cannot read the campaign file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CampaignError(str(path), "expected UTF-8 text") from None
    return LoadedCampaign(parse_campaign(text, str(path)), path, hashlib.sha256(raw).hexdigest())
