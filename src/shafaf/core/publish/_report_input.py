"""The three documents behind ``report.html`` (summary, seats, fairness), read into frozen, typed records.

Reading validates every field the report shows: a missing key or a value of the wrong type raises
:class:`~shafaf.core.errors.InputError` naming the document ("summary", "seats" or "fairness") and the field
path (``posts[2].top[0].rank``). Keys the report does not use are ignored. Two checks protect the public:

* a ``cnic_masked`` value that still holds a whole CNIC (13 digits, with or without separators) is refused,
  without echoing it;
* each audited category's rate, impact ratio and four-fifths flag must agree with its counts (the report
  shows ratios recomputed exactly from the counts, so a disagreement would publish two different numbers).

Optional keys (absent or null means "not recorded"; present with the wrong type is refused):

* ``summary.warnings``: a list of texts, each shown as a WARNING line at the top of the report;
* ``summary.policies[i].unverified`` (the refs of the pack's notifications not yet verified against the
  official text) and ``.unverified_count`` (how many there are; used when the refs are not listed);
* ``summary.posts[i].total_weight``: what the merit total is out of (a decimal number as text, "1E+2"
  included, or a whole number; shown in plain notation); the report assumes 100 when it is absent;
* ``summary.posts[i].top[j].tie_break``: the tie-break code that placed the candidate below the one ranked
  just above (``"older"``, ``"test"``, ...), or null when there was no tie.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal

from shafaf.core.errors import InputError

__all__ = [
    "CAMPAIGN_COUNT_KEYS",
    "POST_COUNT_KEYS",
    "Action",
    "AuditCategory",
    "AuditFamily",
    "Campaign",
    "Fairness",
    "InputFile",
    "PolicyRef",
    "PostAudit",
    "PostSeats",
    "PostSummary",
    "ReasonLine",
    "ReportData",
    "SeatSlot",
    "StageAudit",
    "Summary",
    "TopRow",
    "read_report_data",
]

Action = Literal["carry_forward", "readvertise", "convert_to_merit"]
_ACTIONS: tuple[Action, ...] = ("carry_forward", "readvertise", "convert_to_merit")
_KINDS = ("merit", "zone", "region", "special")
_ROLES = ("campaign", "applications", "marks", "responses", "key", "disqualified")

#: The funnel counts of the whole campaign, in funnel order.
CAMPAIGN_COUNT_KEYS = (
    "rows_in",
    "accepted",
    "rejected",
    "duplicates",
    "eligible",
    "ineligible",
    "tested",
    "absent",
    "passed",
    "failed",
    "selected",
    "waiting",
)
#: The funnel counts of one post (rows in, rejected and duplicates exist only for the whole campaign).
POST_COUNT_KEYS = tuple(k for k in CAMPAIGN_COUNT_KEYS if k not in ("rows_in", "rejected", "duplicates"))

# A whole CNIC: 5 + 7 + 1 digits, with or without "-" or " " between the groups.
_CNIC = re.compile(r"[0-9]{5}[- ]?[0-9]{7}[- ]?[0-9]")
# Ratios read from the fairness document are floats; they must match the exact value within this tolerance.
_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Campaign:
    department: str
    advertisement: str
    title: str
    closing_date: str
    eligibility_date: str
    run_label: str


@dataclass(frozen=True, slots=True)
class InputFile:
    role: str
    file: str
    sha256: str


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """A policy pack; ``unverified`` lists the refs of its notifications not yet verified against the official
    text and ``unverified_count`` says how many there are (None: not recorded)."""

    name: str
    version: str
    sha256: str
    unverified: tuple[str, ...] = ()
    unverified_count: int | None = None


@dataclass(frozen=True, slots=True)
class TopRow:
    rank: int
    application_id: str
    cnic_masked: str
    name: str
    total: str
    slot: str
    tie_break: str | None = None


@dataclass(frozen=True, slots=True)
class PostSummary:
    code: str
    title: str
    bps: int
    vacancies: int
    policy: str
    counts: Mapping[str, int]
    top: tuple[TopRow, ...]
    total_weight: str | None = None
    #: True when the top rows carry the ``tie_break`` key (so "no tie" can be told from "not recorded").
    tie_breaks_recorded: bool = False


@dataclass(frozen=True, slots=True)
class Summary:
    campaign: Campaign
    software_name: str
    software_version: str
    inputs: tuple[InputFile, ...]
    policies: tuple[PolicyRef, ...]
    geography_version: str
    geography_note: str
    counts: Mapping[str, int]
    posts: tuple[PostSummary, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SeatSlot:
    slot: str
    label: str
    kind: str
    seats: int
    filled: int
    unfilled: int
    action: Action | None
    approver: str | None


@dataclass(frozen=True, slots=True)
class ReasonLine:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class PostSeats:
    post: str
    title: str
    vacancies: int
    policy: str
    pointer_start: int
    pointer_end: int
    slots: tuple[SeatSlot, ...]
    reasons: tuple[ReasonLine, ...]


@dataclass(frozen=True, slots=True)
class AuditCategory:
    """One category; ``rate`` and ``impact_ratio`` are exact (recomputed from the counts, checked against the
    document's floats). ``impact_ratio`` is None when the document says not computable."""

    label: str
    n: int
    positives: int
    rate: Fraction | None
    impact_ratio: Fraction | None
    flag: bool | None
    fisher_p: float | None
    z_p: float | None
    excluded: bool
    small_sample: bool
    selections_to_clear: int | None


@dataclass(frozen=True, slots=True)
class AuditFamily:
    name: str
    attributes: tuple[str, ...]
    unknown_count: int
    reference: str | None
    categories: tuple[AuditCategory, ...]

    @property
    def reference_rate(self) -> Fraction | None:
        for c in self.categories:
            if c.label == self.reference:
                return c.rate
        return None


@dataclass(frozen=True, slots=True)
class StageAudit:
    stage: str
    label: str
    method: str
    n_rows: int
    not_scored: int
    median: float | None
    exclude_small: bool
    families: tuple[AuditFamily, ...]


@dataclass(frozen=True, slots=True)
class PostAudit:
    post: str
    stages: tuple[StageAudit, ...]


@dataclass(frozen=True, slots=True)
class Fairness:
    exclude_small: bool
    stage_labels: tuple[tuple[str, str], ...]
    posts: tuple[PostAudit, ...]


@dataclass(frozen=True, slots=True)
class ReportData:
    summary: Summary
    seats: tuple[PostSeats, ...]
    fairness: Fairness


# ---------------------------------------------------------------------------------------------------------
# Typed access with precise error messages


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _field(doc: str, m: Mapping[str, Any], key: str, path: str) -> object:
    if key not in m:
        raise InputError(doc, f"{path}: missing; expected a field {key!r}")
    return m[key]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _mapping(doc: str, value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(doc, f"{path or 'document'}: expected an object, got {_type_name(value)}")
    for k in value:
        if not isinstance(k, str):
            raise InputError(doc, f"{path or 'document'}: expected text keys, got {_show(k)}")
    return value


def _list(doc: str, value: object, path: str) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InputError(doc, f"{path}: expected a list, got {_type_name(value)}")
    return value


def _text(doc: str, m: Mapping[str, Any], key: str, path: str) -> str:
    p = _join(path, key)
    value = _field(doc, m, key, p)
    if not isinstance(value, str):
        raise InputError(doc, f"{p}: expected text, got {_type_name(value)} {_show(value)}")
    return value


def _opt_text(doc: str, m: Mapping[str, Any], key: str, path: str) -> str | None:
    p = _join(path, key)
    value = _field(doc, m, key, p)
    if value is not None and not isinstance(value, str):
        raise InputError(doc, f"{p}: expected text or null, got {_type_name(value)} {_show(value)}")
    return value


def _int(doc: str, m: Mapping[str, Any], key: str, path: str) -> int:
    p = _join(path, key)
    value = _field(doc, m, key, p)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(doc, f"{p}: expected a whole number ≥ 0, got {_type_name(value)} {_show(value)}")
    return value


def _opt_int(doc: str, m: Mapping[str, Any], key: str, path: str) -> int | None:
    if m.get(key) is None:
        return None
    return _int(doc, m, key, path)


def _opt_texts(doc: str, m: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    """An optional list of texts (absent or null: empty)."""
    if m.get(key) is None:
        return ()
    p = _join(path, key)
    out: list[str] = []
    for i, item in enumerate(_list(doc, m[key], p)):
        if not isinstance(item, str):
            raise InputError(doc, f"{p}[{i}]: expected text, got {_type_name(item)} {_show(item)}")
        out.append(item)
    return tuple(out)


def _opt_decimal_text(doc: str, m: Mapping[str, Any], key: str, path: str) -> str | None:
    """An optional positive number given as decimal text ("100", "1E+2", "12.50") or a whole number, returned
    in plain notation without trailing zeros ("100", "100", "12.5")."""
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.strip() == value:
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = Decimal(0)
        if number.is_finite() and number > 0:
            plain = number.to_integral_value() if number == number.to_integral_value() else number.normalize()
            return format(plain, "f")
    raise InputError(
        doc,
        f'{_join(path, key)}: expected a positive number such as "100", got {_type_name(m[key])} '
        f"{_show(m[key])}",
    )


def _bool(doc: str, m: Mapping[str, Any], key: str, path: str) -> bool:
    p = _join(path, key)
    value = _field(doc, m, key, p)
    if not isinstance(value, bool):
        raise InputError(doc, f"{p}: expected true or false, got {_type_name(value)} {_show(value)}")
    return value


def _opt_bool(doc: str, m: Mapping[str, Any], key: str, path: str) -> bool | None:
    p = _join(path, key)
    value = _field(doc, m, key, p)
    if value is not None and not isinstance(value, bool):
        raise InputError(doc, f"{p}: expected true, false or null, got {_type_name(value)} {_show(value)}")
    return value


def _opt_number(doc: str, m: Mapping[str, Any], key: str, path: str) -> float | None:
    p = _join(path, key)
    value = _field(doc, m, key, p)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(doc, f"{p}: expected a number or null, got {_type_name(value)} {_show(value)}")
    return float(value)


def _choice(doc: str, value: str, allowed: Sequence[str], path: str) -> str:
    if value not in allowed:
        raise InputError(doc, f"{path}: expected one of {', '.join(allowed)}; got {_show(value)}")
    return value


# ---------------------------------------------------------------------------------------------------------
# summary


def _counts(doc: str, m: Mapping[str, Any], keys: Sequence[str], path: str) -> dict[str, int]:
    return {k: _int(doc, m, k, path) for k in keys}


def _top_row(doc: str, value: object, path: str) -> TopRow:
    m = _mapping(doc, value, path)
    cnic = _text(doc, m, "cnic_masked", path)
    if _CNIC.search(cnic):
        raise InputError(doc, f"{path}.cnic_masked: expected a masked CNIC, got a whole CNIC (not shown)")
    return TopRow(
        rank=_int(doc, m, "rank", path),
        application_id=_text(doc, m, "application_id", path),
        cnic_masked=cnic,
        name=_text(doc, m, "name", path),
        total=_text(doc, m, "total", path),
        slot=_text(doc, m, "slot", path),
        tie_break=_opt_text(doc, m, "tie_break", path) if "tie_break" in m else None,
    )


def _post_summary(doc: str, value: object, path: str) -> PostSummary:
    m = _mapping(doc, value, path)
    top_path = f"{path}.top"
    tops = _list(doc, _field(doc, m, "top", top_path), top_path)
    rows = [_top_row(doc, t, f"{top_path}[{i}]") for i, t in enumerate(tops)]
    recorded = any(isinstance(t, Mapping) and "tie_break" in t for t in tops)
    counts_path = f"{path}.counts"
    return PostSummary(
        code=_text(doc, m, "code", path),
        title=_text(doc, m, "title", path),
        bps=_int(doc, m, "bps", path),
        vacancies=_int(doc, m, "vacancies", path),
        policy=_text(doc, m, "policy", path),
        counts=_counts(
            doc,
            _mapping(doc, _field(doc, m, "counts", counts_path), counts_path),
            POST_COUNT_KEYS,
            counts_path,
        ),
        top=tuple(sorted(rows, key=lambda r: (r.rank, r.application_id))),
        total_weight=_opt_decimal_text(doc, m, "total_weight", path),
        tie_breaks_recorded=recorded,
    )


def read_summary(value: Mapping[str, Any]) -> Summary:
    doc = "summary"
    m = _mapping(doc, value, "")
    c = _mapping(doc, _field(doc, m, "campaign", "campaign"), "campaign")
    sw = _mapping(doc, _field(doc, m, "software", "software"), "software")
    geo = _mapping(doc, _field(doc, m, "geography", "geography"), "geography")
    inputs: list[InputFile] = []
    for i, item in enumerate(_list(doc, _field(doc, m, "inputs", "inputs"), "inputs")):
        p = f"inputs[{i}]"
        f = _mapping(doc, item, p)
        inputs.append(
            InputFile(
                role=_choice(doc, _text(doc, f, "role", p), _ROLES, f"{p}.role"),
                file=_text(doc, f, "file", p),
                sha256=_text(doc, f, "sha256", p),
            )
        )
    policies: list[PolicyRef] = []
    for i, item in enumerate(_list(doc, _field(doc, m, "policies", "policies"), "policies")):
        p = f"policies[{i}]"
        f = _mapping(doc, item, p)
        policies.append(
            PolicyRef(
                name=_text(doc, f, "name", p),
                version=_text(doc, f, "version", p),
                sha256=_text(doc, f, "sha256", p),
                unverified=_opt_texts(doc, f, "unverified", p),
                unverified_count=_opt_int(doc, f, "unverified_count", p),
            )
        )
    posts = [
        _post_summary(doc, item, f"posts[{i}]")
        for i, item in enumerate(_list(doc, _field(doc, m, "posts", "posts"), "posts"))
    ]
    codes = [p.code for p in posts]
    for code in codes:
        if codes.count(code) > 1:
            raise InputError(doc, f"posts: post code {code!r} is listed twice")
    return Summary(
        campaign=Campaign(
            department=_text(doc, c, "department", "campaign"),
            advertisement=_text(doc, c, "advertisement", "campaign"),
            title=_text(doc, c, "title", "campaign"),
            closing_date=_text(doc, c, "closing_date", "campaign"),
            eligibility_date=_text(doc, c, "eligibility_date", "campaign"),
            run_label=_text(doc, c, "run_label", "campaign"),
        ),
        software_name=_text(doc, sw, "name", "software"),
        software_version=_text(doc, sw, "version", "software"),
        inputs=tuple(inputs),
        policies=tuple(policies),
        geography_version=_text(doc, geo, "version", "geography"),
        geography_note=_text(doc, geo, "note", "geography"),
        counts=_counts(
            doc, _mapping(doc, _field(doc, m, "counts", "counts"), "counts"), CAMPAIGN_COUNT_KEYS, "counts"
        ),
        posts=tuple(posts),
        warnings=_opt_texts(doc, m, "warnings", ""),
    )


# ---------------------------------------------------------------------------------------------------------
# seats


def _seat_slot(doc: str, value: object, path: str) -> SeatSlot:
    m = _mapping(doc, value, path)
    action = _opt_text(doc, m, "action", path)
    if action is not None:
        _choice(doc, action, _ACTIONS, f"{path}.action")
    act: Action | None = None
    for a in _ACTIONS:
        if a == action:
            act = a
    return SeatSlot(
        slot=_text(doc, m, "slot", path),
        label=_text(doc, m, "label", path),
        kind=_choice(doc, _text(doc, m, "kind", path), _KINDS, f"{path}.kind"),
        seats=_int(doc, m, "seats", path),
        filled=_int(doc, m, "filled", path),
        unfilled=_int(doc, m, "unfilled", path),
        action=act,
        approver=_opt_text(doc, m, "approver", path),
    )


def read_seats(value: Mapping[str, Any]) -> tuple[PostSeats, ...]:
    doc = "seats"
    m = _mapping(doc, value, "")
    out: list[PostSeats] = []
    for i, item in enumerate(_list(doc, _field(doc, m, "posts", "posts"), "posts")):
        p = f"posts[{i}]"
        post = _mapping(doc, item, p)
        slots = _list(doc, _field(doc, post, "slots", f"{p}.slots"), f"{p}.slots")
        reasons: list[ReasonLine] = []
        for j, r in enumerate(_list(doc, _field(doc, post, "reasons", f"{p}.reasons"), f"{p}.reasons")):
            rp = f"{p}.reasons[{j}]"
            rm = _mapping(doc, r, rp)
            reasons.append(ReasonLine(code=_text(doc, rm, "code", rp), text=_text(doc, rm, "text", rp)))
        out.append(
            PostSeats(
                post=_text(doc, post, "post", p),
                title=_text(doc, post, "title", p),
                vacancies=_int(doc, post, "vacancies", p),
                policy=_text(doc, post, "policy", p),
                pointer_start=_int(doc, post, "pointer_start", p),
                pointer_end=_int(doc, post, "pointer_end", p),
                slots=tuple(_seat_slot(doc, s, f"{p}.slots[{j}]") for j, s in enumerate(slots)),
                reasons=tuple(reasons),
            )
        )
    codes = [s.post for s in out]
    for code in codes:
        if codes.count(code) > 1:
            raise InputError(doc, f"posts: post code {code!r} is listed twice")
    return tuple(out)


# ---------------------------------------------------------------------------------------------------------
# fairness


def _close(value: float, exact: Fraction) -> bool:
    return abs(value - float(exact)) <= _TOLERANCE


def _category(doc: str, label: str, value: object, path: str) -> AuditCategory:
    m = _mapping(doc, value, path)
    n = _int(doc, m, "n", path)
    positives = _int(doc, m, "positives", path)
    if positives > n:
        raise InputError(doc, f"{path}.positives: expected at most n = {n}, got {positives}")
    rate_value = _opt_number(doc, m, "rate", path)
    rate: Fraction | None = Fraction(positives, n) if n > 0 else None
    if rate is not None and (rate_value is None or not _close(rate_value, rate)):
        raise InputError(doc, f"{path}.rate: expected {positives}/{n}, got {_show(rate_value)}")
    ir = _opt_number(doc, m, "impact_ratio", path)
    return AuditCategory(
        label=label,
        n=n,
        positives=positives,
        rate=rate,
        impact_ratio=None if ir is None else Fraction(ir),  # replaced by the exact value in _family
        flag=_opt_bool(doc, m, "four_fifths_flag", path),
        fisher_p=_opt_number(doc, m, "fisher_p", path),
        z_p=_opt_number(doc, m, "z_p", path),
        excluded=_bool(doc, m, "excluded", path),
        small_sample=_bool(doc, m, "small_sample", path),
        selections_to_clear=_opt_int(doc, m, "selections_to_clear", path),
    )


def _exact_ir(doc: str, c: AuditCategory, ref: AuditCategory | None, path: str) -> AuditCategory:
    """The category with its impact ratio recomputed exactly (rate / reference rate) and checked."""
    if c.impact_ratio is None:
        if c.flag is not None:
            raise InputError(doc, f"{path}.four_fifths_flag: expected null when the impact ratio is null")
        return c
    if ref is None or ref.rate is None or ref.rate == 0 or c.rate is None:
        raise InputError(
            doc, f"{path}.impact_ratio: expected null when the family has no reference with a non-zero rate"
        )
    exact = c.rate / ref.rate
    if not _close(float(c.impact_ratio), exact):
        raise InputError(
            doc,
            f"{path}.impact_ratio: expected ({c.positives}/{c.n}) / ({ref.positives}/{ref.n}) = "
            f"{float(exact)!r}, got {float(c.impact_ratio)!r}",
        )
    if c.flag is not (exact < Fraction(4, 5)):
        raise InputError(
            doc,
            f"{path}.four_fifths_flag: expected {str(exact < Fraction(4, 5)).lower()} for an impact "
            f"ratio of {exact.numerator}/{exact.denominator}, got {_show(c.flag)}",
        )
    return AuditCategory(
        label=c.label,
        n=c.n,
        positives=c.positives,
        rate=c.rate,
        impact_ratio=exact,
        flag=c.flag,
        fisher_p=c.fisher_p,
        z_p=c.z_p,
        excluded=c.excluded,
        small_sample=c.small_sample,
        selections_to_clear=c.selections_to_clear,
    )


def _family(doc: str, name: str, value: object, path: str) -> AuditFamily:
    m = _mapping(doc, value, path)
    attrs = _list(doc, _field(doc, m, "attributes", f"{path}.attributes"), f"{path}.attributes")
    attributes: list[str] = []
    for i, a in enumerate(attrs):
        if not isinstance(a, str):
            raise InputError(doc, f"{path}.attributes[{i}]: expected text, got {_type_name(a)}")
        attributes.append(a)
    cats_path = f"{path}.categories"
    cats = _mapping(doc, _field(doc, m, "categories", cats_path), cats_path)
    raw = [_category(doc, label, cats[label], f"{cats_path}[{label!r}]") for label in sorted(cats)]
    reference = _opt_text(doc, m, "reference", path)
    ref = next((c for c in raw if c.label == reference), None)
    if reference is not None and ref is None:
        raise InputError(doc, f"{path}.reference: {reference!r} is not one of the family's categories")
    categories = tuple(_exact_ir(doc, c, ref, f"{cats_path}[{c.label!r}]") for c in raw)
    return AuditFamily(
        name=name,
        attributes=tuple(attributes),
        unknown_count=_int(doc, m, "unknown_count", path),
        reference=reference,
        categories=categories,
    )


def _stage(doc: str, stage: str, label: str, value: object, path: str) -> StageAudit:
    m = _mapping(doc, value, path)
    fam_path = f"{path}.families"
    fams = _mapping(doc, _field(doc, m, "families", fam_path), fam_path)
    return StageAudit(
        stage=stage,
        label=label,
        method=_choice(doc, _text(doc, m, "method", path), ("selection", "scoring"), f"{path}.method"),
        n_rows=_int(doc, m, "n_rows", path),
        not_scored=_int(doc, m, "not_scored", path),
        median=_opt_number(doc, m, "median", path),
        exclude_small=_bool(doc, m, "exclude_small", path),
        families=tuple(_family(doc, name, fams[name], f"{fam_path}[{name!r}]") for name in fams),
    )


def read_fairness(value: Mapping[str, Any]) -> Fairness:
    """Stages in the order of the document's ``stages`` legend, then any other stage by name."""
    doc = "fairness"
    m = _mapping(doc, value, "")
    legend = _mapping(doc, _field(doc, m, "stages", "stages"), "stages")
    labels = tuple((k, _text(doc, legend, k, "stages")) for k in legend)
    known = {k: i for i, (k, _) in enumerate(labels)}
    posts_map = _mapping(doc, _field(doc, m, "posts", "posts"), "posts")
    posts: list[PostAudit] = []
    for code in posts_map:
        p = f"posts[{code!r}]"
        stages_map = _mapping(doc, posts_map[code], p)
        order = sorted(stages_map, key=lambda s: (known.get(s, len(known)), s))
        stages = tuple(_stage(doc, s, dict(labels).get(s, s), stages_map[s], f"{p}[{s!r}]") for s in order)
        posts.append(PostAudit(post=code, stages=stages))
    return Fairness(exclude_small=_bool(doc, m, "exclude_small", ""), stage_labels=labels, posts=tuple(posts))


def read_report_data(
    *, summary: Mapping[str, Any], seats: Mapping[str, Any], fairness: Mapping[str, Any]
) -> ReportData:
    """Read and check the three documents; see the module docstring."""
    return ReportData(
        summary=read_summary(summary), seats=read_seats(seats), fairness=read_fairness(fairness)
    )
