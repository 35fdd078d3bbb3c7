"""Policy packs: every number of a recruitment policy, as versioned and traceable data.

A pack is a TOML file in ``policy/data/packs/<name>.toml`` (or any path), parsed with exact decimals
(``tomllib`` with ``parse_float=Decimal``) and validated on load by the frozen pydantic models below. Every
table that holds parameters names a ``source``: the key of a ``[notifications.<ref>]`` table in the same pack
(title, date, verified, note). A single value that comes from somewhere else overrides it in the table's
``sources`` map (``sources = { grant_ceilings = "shafaf-default" }``). :meth:`PolicyPack.parameter_sources`
lists the source of every parameter; a pack whose references do not resolve does not load.

A pack that does not validate raises :class:`~shafaf.core.errors.PolicyError` naming the file, the field path
and what was expected. See ``docs/policy-packs.md`` for every field and where each value comes from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from shafaf.core.errors import PolicyError

__all__ = [
    "KINDS",
    "TIE_CODES",
    "Age",
    "Degree",
    "Eligibility",
    "Experience",
    "GeneralRelaxation",
    "Notification",
    "PolicyPack",
    "Qualifications",
    "Quota",
    "QuotaSlot",
    "Relaxation",
    "SpecialQuota",
    "Ties",
    "UnfilledAction",
    "UnfilledDefaults",
    "available_packs",
    "degree_key",
    "load_pack",
    "parse_pack",
    "round_share",
]

UnfilledAction = Literal["carry_forward", "readvertise", "convert_to_merit"]
SlotKind = Literal["merit", "zone", "region"]
FillKind = Literal["merit", "zone", "region", "special"]
Rounding = Literal["floor", "half_up"]
KINDS: tuple[str, ...] = ("merit", "zone", "region", "special")
#: Known links of the tie chain (domain.md §4). ``flag`` (hand the tie to a human) can only come last.
TIE_CODES: tuple[str, ...] = (
    "test",
    "interview",
    "older",
    "higher_qualification",
    "min_qual_percent",
    "earlier_min_qual_date",
    "flag",
)
_CODE = r"^[a-z][a-z0-9_]*$"
Percent = Annotated[Decimal, Field(gt=0, lt=100)]


def round_share(percent: Decimal, n: int, rounding: Rounding) -> int:
    """``percent`` % of ``n`` rounded by the pack's rule, exactly: floor, or half up (0.5 -> 1)."""
    num, den = percent.as_integer_ratio()
    num, den = num * n, den * 100
    if rounding == "floor":
        return num // den
    return (2 * num + den) // (2 * den)


def degree_key(spelling: str) -> str:
    """The lookup key of a degree spelling: trimmed, inner whitespace squeezed, lower case.

    The same folding as the intake's vectorised vocabulary join, so a spelling resolves identically in a
    single explanation and in a 10^6-row batch. Punctuation is kept: list dotted spellings as aliases.
    """
    return " ".join(spelling.split()).lower()


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Sourced(_Frozen):
    """A table of parameters with the notification they come from (``source``) and per-field overrides."""

    source: str = Field(min_length=1)
    sources: dict[str, str] = {}

    @model_validator(mode="after")
    def _override_keys(self) -> _Sourced:
        names = set(type(self).model_fields) - {"source", "sources"}
        unknown = sorted(set(self.sources) - names)
        if unknown:
            raise ValueError(f"sources: keys must be fields of this table ({sorted(names)}), got {unknown}")
        return self

    def source_of(self, field: str) -> str:
        return self.sources.get(field, self.source)


class Notification(_Frozen):
    """Where a value comes from: a notification, rule, act, or a documented Shafaf default."""

    title: str = Field(min_length=1)
    reference: str = ""
    date: dt.date | None = None
    verified: bool
    note: str = ""


# --- quotas -------------------------------------------------------------------------------------------------


class SpecialQuota(_Sourced):
    """A special quota (women, minorities, persons with disabilities), domain.md §2.1.

    ``carved_from = "regions"``: carved out of every regional share instead of taken off the top (federal
    practice). ``min_vacancies`` is informational (the smallest N that yields one seat) and checked on load.
    """

    code: Literal["women", "minorities", "disabled"]
    label: str = Field(min_length=1)
    percent: Percent
    attribute: Literal["female", "minority", "disabled"]
    rounding: Rounding = "floor"
    min_vacancies: int | None = Field(default=None, ge=1)
    carved_from: Literal["regions"] | None = None

    @model_validator(mode="after")
    def _min_vacancies(self) -> SpecialQuota:
        if self.min_vacancies is not None and self.carved_from is None:
            first = next(n for n in range(1, 100_001) if round_share(self.percent, n, self.rounding) >= 1)
            if first != self.min_vacancies:
                raise ValueError(
                    f"min_vacancies: {self.percent}% with {self.rounding} rounding first gives a seat at "
                    f"N = {first}, not {self.min_vacancies}"
                )
        return self


class QuotaSlot(_Frozen):
    """A non-special slot: open merit, a zone (rotation method) or a region (shares method)."""

    code: str = Field(pattern=_CODE)
    label: str = Field(min_length=1)
    kind: SlotKind
    share: Decimal | None = Field(default=None, gt=0, le=100)


class UnfilledDefaults(_Sourced):
    """What happens to seats nobody eligible can fill, per slot kind (domain.md §2.5)."""

    merit: UnfilledAction = "readvertise"
    zone: UnfilledAction = "carry_forward"
    region: UnfilledAction = "carry_forward"
    special: UnfilledAction = "carry_forward"

    @field_validator("merit")
    @classmethod
    def _merit_not_converted(cls, v: str) -> str:
        if v == "convert_to_merit":
            raise ValueError("a merit seat cannot be converted to merit; use carry_forward or readvertise")
        return v

    def action_for(self, kind: str) -> UnfilledAction:
        value: UnfilledAction = getattr(self, kind)
        return value


class Quota(_Sourced):
    """How N vacancies become seats per slot (domain.md §2) and how seats are filled."""

    method: Literal["rotation", "shares"]
    slots: tuple[QuotaSlot, ...] = Field(min_length=1)
    rotation: tuple[str, ...] = ()
    special_quotas: tuple[SpecialQuota, ...] = ()
    pointer: Literal["restart", "continue"] = "restart"
    fill_order: tuple[FillKind, ...] = ("merit", "zone", "special")
    unfilled: UnfilledDefaults
    region_map: dict[str, str] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Quota:
        codes = [s.code for s in self.slots]
        if len(set(codes)) != len(codes):
            raise ValueError(f"slots: codes must be unique, got {codes}")
        if codes.count("merit") > 1 or ("merit" in codes and self.slot("merit").kind != "merit"):
            raise ValueError("slots: the code 'merit' is reserved for the one slot of kind merit")
        sq_codes = [q.code for q in self.special_quotas]
        if len(set(sq_codes)) != len(sq_codes):
            raise ValueError(f"special_quotas: codes must be unique, got {sq_codes}")
        attrs = [q.attribute for q in self.special_quotas]
        if len(set(attrs)) != len(attrs):
            raise ValueError(f"special_quotas: attributes must be unique, got {attrs}")
        top = sum((q.percent for q in self.special_quotas if q.carved_from is None), Decimal(0))
        if top > 50:
            raise ValueError(f"special_quotas: quotas off the top may total at most 50%, got {top}%")
        if self.method == "rotation":
            self._check_rotation(codes)
        else:
            self._check_shares()
        used = {s.kind for s in self.slots} | ({"special"} if self.special_quotas else set())
        if len(set(self.fill_order)) != len(self.fill_order) or set(self.fill_order) != used:
            raise ValueError(
                f"fill_order: expected each slot kind used by this pack exactly once ({sorted(used)}), "
                f"got {list(self.fill_order)}"
            )
        regions = {s.code for s in self.slots if s.kind == "region"}
        bad = sorted(v for v in self.region_map.values() if v not in regions)
        if bad:
            raise ValueError(f"region_map: targets must be region slot codes {sorted(regions)}, got {bad}")
        carved = {f"{r}_{q.code}" for q in self.special_quotas if q.carved_from for r in regions}
        clash = sorted(carved & (set(codes) | set(sq_codes)))
        if clash:
            raise ValueError(f"slots: codes {clash} clash with the carved special-quota slot codes")
        return self

    def _check_rotation(self, codes: list[str]) -> None:
        if not self.rotation:
            raise ValueError("rotation: the rotation method needs the list of slot codes in order")
        unknown = sorted({c for c in self.rotation if c not in codes})
        if unknown:
            raise ValueError(f"rotation: codes {unknown} are not slots (expected one of {codes})")
        never = [c for c in codes if c not in self.rotation]
        if never:
            raise ValueError(f"rotation: slots {never} never occur in the rotation")
        if any(s.share is not None for s in self.slots):
            raise ValueError("slots: share is only used by the shares method")
        if any(s.kind == "region" for s in self.slots):
            raise ValueError("slots: region slots belong to the shares method")
        if any(q.carved_from for q in self.special_quotas):
            raise ValueError("special_quotas: carved_from = 'regions' needs the shares method")

    def _check_shares(self) -> None:
        if self.rotation:
            raise ValueError("rotation: only used by the rotation method")
        missing = [s.code for s in self.slots if s.share is None]
        if missing:
            raise ValueError(f"slots: every slot needs a share with the shares method, missing for {missing}")
        total = sum((s.share for s in self.slots if s.share is not None), Decimal(0))
        if total != 100:
            raise ValueError(f"slots: shares must total exactly 100, got {total}")
        if any(s.kind == "zone" for s in self.slots):
            raise ValueError("slots: zone slots belong to the rotation method")

    def slot(self, code: str) -> QuotaSlot:
        for s in self.slots:
            if s.code == code:
                return s
        raise KeyError(code)

    @property
    def shares(self) -> dict[str, Decimal]:
        """Slot code -> percent, in the listed order (the largest-remainder tie order). Empty for rotation."""
        return {s.code: s.share for s in self.slots if s.share is not None}

    @property
    def zones(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.slots if s.kind == "zone")

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.slots if s.kind == "region")

    def special(self, code_or_attribute: str) -> SpecialQuota | None:
        for q in self.special_quotas:
            if code_or_attribute in (q.code, q.attribute):
                return q
        return None


# --- age ----------------------------------------------------------------------------------------------------


class Relaxation(_Sourced):
    """A category upper-age relaxation (domain.md §3)."""

    years: int = Field(ge=0, le=30)
    requires: Literal["none", "in_service", "disabled"]
    min_service_years: Decimal | None = Field(default=None, ge=0)
    max_total_age: int | None = Field(default=None, ge=18, le=70)
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _service(self) -> Relaxation:
        if self.requires == "in_service" and self.min_service_years is None:
            raise ValueError("min_service_years: required when requires = 'in_service'")
        if self.requires != "in_service" and self.min_service_years is not None:
            raise ValueError("min_service_years: only meaningful when requires = 'in_service'")
        return self


class GeneralRelaxation(_Sourced):
    """A time-bound general relaxation of the upper age limit (re-notified repeatedly; domain.md §3)."""

    upper_age: int = Field(ge=18, le=70)
    valid_from: dt.date
    valid_to: dt.date
    applies_on: Literal["closing_date"] = "closing_date"
    adds_category_relaxation: bool = False

    @model_validator(mode="after")
    def _window(self) -> GeneralRelaxation:
        if self.valid_to < self.valid_from:
            raise ValueError(f"valid_to: expected a date on or after valid_from {self.valid_from}")
        return self

    def active_on(self, day: dt.date) -> bool:
        """Whether ``day`` (the eligibility reference date) is inside the window, both ends included."""
        return self.valid_from <= day <= self.valid_to


class Age(_Sourced):
    min_years: int = Field(ge=14, le=60)
    max_years: int = Field(ge=15, le=70)
    stacking: bool = False
    leap_day_birthday: Literal["mar1", "feb28"] = "mar1"
    unknown_dob_month_day: tuple[int, int] = (7, 1)
    unknown_dob_day: int = Field(default=16, ge=1, le=28)
    relaxations: dict[str, Relaxation] = {}
    grant_ceilings: dict[str, int] = {}
    general: GeneralRelaxation | None = None

    @model_validator(mode="after")
    def _limits(self) -> Age:
        if self.min_years >= self.max_years:
            raise ValueError(
                f"max_years: expected more than min_years {self.min_years}, got {self.max_years}"
            )
        month, day = self.unknown_dob_month_day
        if not (1 <= month <= 12 and 1 <= day <= 28):
            raise ValueError(
                f"unknown_dob_month_day: expected [month, day] with day <= 28, got {[month, day]}"
            )
        bad = sorted(k for k in self.relaxations if not k.replace("_", "").isalnum() or k != k.lower())
        if bad:
            raise ValueError(f"relaxations: codes must be lower_snake_case, got {bad}")
        neg = sorted(k for k, v in self.grant_ceilings.items() if not 0 < v <= 15)
        if neg:
            raise ValueError(f"grant_ceilings: ceilings must be 1..15 years, got {neg}")
        if self.general is not None and self.general.upper_age <= self.max_years:
            raise ValueError(
                f"general.upper_age: expected more than max_years {self.max_years}, "
                f"got {self.general.upper_age}"
            )
        return self


# --- qualifications, experience, ties -----------------------------------------------------------------------


class Degree(_Frozen):
    code: str = Field(min_length=1)
    level: int = Field(ge=1, le=30)
    aliases: tuple[str, ...] = ()


class Qualifications(_Sourced):
    """Degree vocabulary -> level (years of schooling the degree is equated to for posts)."""

    degrees: tuple[Degree, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Qualifications:
        seen: dict[str, str] = {}
        for d in self.degrees:
            for spelling in (d.code, *d.aliases):
                k = degree_key(spelling)
                if not k:
                    raise ValueError(f"degrees: empty spelling for {d.code!r}")
                if seen.get(k, d.code) != d.code:
                    raise ValueError(
                        f"degrees: spelling {spelling!r} is used by both {seen[k]!r} and {d.code!r}"
                    )
                seen[k] = d.code
        return self


class Experience(_Sourced):
    """How experience is counted: which types count and how many merged, inclusive days make a year."""

    types_counted: tuple[
        Literal["regular", "contract", "part_time", "daily_wage", "internship", "unpaid"], ...
    ] = Field(min_length=1)
    days_per_year: int = Field(ge=360, le=366)


class Ties(_Sourced):
    chain: tuple[str, ...] = Field(min_length=1)

    @field_validator("chain")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in v if c not in TIE_CODES]
        if unknown:
            raise ValueError(f"unknown tie-break codes {unknown}; expected codes from {list(TIE_CODES)}")
        if len(set(v)) != len(v):
            raise ValueError(f"each tie-break code appears once, got {list(v)}")
        if "flag" in v and v[-1] != "flag":
            raise ValueError("'flag' (hand the tie to a human) can only be the last link")
        return v


class Eligibility(_Sourced):
    """Pack-wide eligibility rules that are not about age, degrees or experience."""

    #: Provinces (as spelled in the geography table) whose domicile holders may apply; empty = any.
    domicile_provinces: tuple[str, ...] = ()


# --- the pack -----------------------------------------------------------------------------------------------

_NON_PARAMETERS = frozenset({"source", "sources", "label", "title", "code"})


class PolicyPack(_Frozen):
    """One versioned policy pack. Build it with :func:`load_pack`; never edit a loaded pack."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    version: str
    title: str = Field(min_length=1)
    jurisdiction: str = Field(min_length=1)
    description: str = ""
    sha256: str = ""
    notifications: dict[str, Notification] = Field(min_length=1)
    quota: Quota
    age: Age
    qualifications: Qualifications
    experience: Experience
    ties: Ties
    eligibility: Eligibility

    @model_validator(mode="after")
    def _traceable(self) -> PolicyPack:
        if not self.version.startswith(f"{self.name}@") or len(self.version) == len(self.name) + 1:
            raise ValueError(f"version: expected '{self.name}@<release>', got {self.version!r}")
        missing = sorted({ref for _, ref in self._refs() if ref not in self.notifications})
        if missing:
            raise ValueError(
                f"notifications: sources {missing} are referenced but have no [notifications.<ref>] table"
            )
        return self

    def _refs(self) -> Iterator[tuple[str, str]]:
        yield from self.parameter_sources().items()
        for path, model in _walk(self, ""):
            if isinstance(model, _Sourced):
                yield (f"{path}.source", model.source)

    # -- the attributes other modules read -------------------------------------------------------------------

    @property
    def qualification_levels(self) -> dict[str, int]:
        """Canonical degree code -> level (years of schooling), in the pack's order."""
        return {d.code: d.level for d in self.qualifications.degrees}

    @property
    def experience_types_counted(self) -> tuple[str, ...]:
        return self.experience.types_counted

    @property
    def days_per_year(self) -> int:
        return self.experience.days_per_year

    @property
    def tie_chain(self) -> tuple[str, ...]:
        return self.ties.chain

    def degree_spellings(self) -> dict[str, tuple[str, int]]:
        """Folded spelling (see :func:`degree_key`) -> (canonical code, level), sorted by spelling."""
        out: dict[str, tuple[str, int]] = {}
        for d in self.qualifications.degrees:
            for spelling in (d.code, *d.aliases):
                out[degree_key(spelling)] = (d.code, d.level)
        return {k: out[k] for k in sorted(out)}

    def degree(self, code: str) -> tuple[str, int] | None:
        """The canonical code and level of a degree spelling (case and spacing ignored), or None."""
        return self.degree_spellings().get(degree_key(code))

    def parameter_sources(self) -> dict[str, str]:
        """Dotted path of every parameter -> the notification ref it comes from (sorted by path)."""
        out: dict[str, str] = {}
        for path, model in _walk(self, ""):
            if not isinstance(model, _Sourced):
                continue
            for name in type(model).model_fields:
                if name in _NON_PARAMETERS:
                    continue
                value = getattr(model, name)
                if isinstance(value, _Sourced) or (
                    isinstance(value, dict | tuple)
                    and value
                    and all(
                        isinstance(v, _Sourced)
                        for v in (value.values() if isinstance(value, dict) else value)
                    )
                ):
                    continue  # nested tables name their own source
                if isinstance(value, tuple) and value and all(isinstance(v, BaseModel) for v in value):
                    for i, item in enumerate(value):
                        key = getattr(item, "code", None) or str(i)
                        for sub in type(item).model_fields:
                            if sub not in _NON_PARAMETERS:
                                out[f"{path}.{name}.{key}.{sub}"] = model.source_of(name)
                    continue
                out[f"{path}.{name}"] = model.source_of(name)
        return {k: out[k] for k in sorted(out)}

    def unverified(self) -> dict[str, Notification]:
        """The notifications marked ``verified = false``, by ref (sorted)."""
        return {k: v for k, v in sorted(self.notifications.items()) if not v.verified}


def _walk(model: BaseModel, path: str) -> Iterator[tuple[str, BaseModel]]:
    """Every sub-model of ``model`` with its dotted path (depth first, fields in declaration order)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        here = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            yield here, value
            yield from _walk(value, here)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    key = getattr(item, "code", None) or str(i)
                    yield f"{here}.{key}", item
                    yield from _walk(item, f"{here}.{key}")
        elif isinstance(value, dict) and name != "notifications":
            for k in sorted(value):
                item = value[k]
                if isinstance(item, BaseModel):
                    yield f"{here}.{k}", item
                    yield from _walk(item, f"{here}.{k}")


# --- loading ------------------------------------------------------------------------------------------------


def _packs_dir() -> Any:
    return resources.files("shafaf.core.policy") / "data" / "packs"


def available_packs() -> tuple[str, ...]:
    """The names of the packs shipped with Shafaf, sorted."""
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in _packs_dir().iterdir() if p.name.endswith(".toml"))
    )


def load_pack(name_or_path: str | Path) -> PolicyPack:
    """Load a shipped pack by name (``balochistan-1991``, ``federal``) or a pack file by path (``*.toml``)."""
    path = Path(name_or_path)
    if path.suffix == ".toml":
        if not path.is_file():
            raise PolicyError(str(path), "no such policy pack file")
        return parse_pack(path.read_bytes(), str(path))
    name = str(name_or_path)
    ref = _packs_dir() / f"{name}.toml"
    if "/" in name or "\\" in name or not ref.is_file():
        raise PolicyError(
            name, f"no such policy pack; expected one of {list(available_packs())} or a path to a .toml file"
        )
    pack = parse_pack(ref.read_bytes(), f"{name}.toml")
    if pack.name != name:
        raise PolicyError(f"{name}.toml", f"name: expected {name!r} (the file name), got {pack.name!r}")
    return pack


def parse_pack(data: bytes, source: str) -> PolicyPack:
    """Validate the bytes of a pack file; ``source`` names it in error messages."""
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError as exc:
        raise PolicyError(source, f"expected UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, f"invalid TOML: {exc}") from None
    if "sha256" in raw:
        raise PolicyError(source, "sha256: computed from the file bytes on load; remove it from the file")
    raw["sha256"] = hashlib.sha256(data).hexdigest()
    try:
        return PolicyPack.model_validate(raw)
    except ValidationError as exc:
        raise PolicyError(source, _explain(exc)) from None


_FIELD_PREFIX = re.compile(r"^([a-z_]+(?:\.[a-z_]+)*): ")


def _explain(exc: ValidationError) -> str:
    parts: list[str] = []
    for err in exc.errors():
        loc = ""
        for item in err["loc"]:
            loc += f"[{item}]" if isinstance(item, int) else (f".{item}" if loc else str(item))
        msg = str(err["msg"]).removeprefix("Value error, ")
        field = _FIELD_PREFIX.match(msg)
        if field and err["type"] == "value_error":
            # A table-level check names the field it is about: fold it into the path.
            loc = f"{loc}.{field.group(1)}" if loc else field.group(1)
            msg = msg[field.end() :]
        if err["type"] == "extra_forbidden":
            msg = "unknown field (not part of the policy-pack format)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        parts.append(f"{loc or '(pack)'}: {msg}")
    return "; ".join(parts)
