"""Eligibility rules (domain.md §3): each rule has a scalar check, which gives the explanation, and a vectorised
batch form over the canonical applications frame. A property test holds the two equal on every outcome, failing
code and sentence.

Rules, in the order they are reported: age (with relaxations), domicile (province and geographic restriction),
essential qualification, post-qualification experience, gender restriction. All failures are collected; the
first failure does not hide the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from shafaf.core.eligibility.context import PostRules
from shafaf.core.eligibility.dates import (
    age_ymd,
    anniversary,
    anniversary_expr,
    format_ymd,
    merge_periods,
    with_age_text,
)
from shafaf.core.eligibility.messages import format_expr, reason
from shafaf.core.reasons import ParamValue, Reason

RULE_ORDER = ("age", "domicile", "qualification", "experience", "gender")
_GENDER_WORD = {"F": "women", "M": "men"}


@dataclass(frozen=True)
class Qualification:
    degree: str
    level: int
    discipline: str | None
    percent_x100: int
    date: date
    status: str


@dataclass(frozen=True)
class Experience:
    start: date
    end: date | None
    type: str


@dataclass(frozen=True)
class Claim:
    code: str
    years: int | None = None
    authority: str | None = None
    ref: str | None = None


@dataclass(frozen=True)
class Candidate:
    """One accepted application, as the scalar rules see it."""

    application_id: str
    dob: date
    dob_precision: str
    gender: str
    domicile_district: str
    province: str
    division: str
    zone: str | None
    disabled: bool
    in_service_x100: int
    qualifications: tuple[Qualification, ...]
    experience: tuple[Experience, ...] = ()
    relaxations: tuple[Claim, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Candidate:
        return cls(
            application_id=row["application_id"],
            dob=row["dob"],
            dob_precision=row.get("dob_precision") or "day",
            gender=row["gender"],
            domicile_district=row["domicile_district"],
            province=row["province"],
            division=row.get("division") or "",
            zone=row.get("zone"),
            disabled=bool(row.get("disabled")),
            in_service_x100=int(row.get("in_service_x100") or 0),
            qualifications=tuple(Qualification(**q) for q in (row.get("qualifications") or [])),
            experience=tuple(Experience(**e) for e in (row.get("experience") or [])),
            relaxations=tuple(Claim(**r) for r in (row.get("relaxations") or [])),
        )


@dataclass(frozen=True)
class Decision:
    application_id: str
    eligible: bool
    failures: tuple[Reason, ...]
    passes: tuple[Reason, ...]
    notes: tuple[Reason, ...]
    age_text: str
    upper_age: int
    relaxation_years: int
    min_qual_percent_x100: int | None
    min_qual_date: date | None
    highest_level: int | None
    experience_days: int


def percent_text(x100: int) -> str:
    return f"{x100 // 100}.{x100 % 100:02d}"


def _percent_expr(x100: pl.Expr) -> pl.Expr:
    return pl.format("{}.{}", x100 // 100, (x100 % 100).cast(pl.String).str.zfill(2))


# ---- age -------------------------------------------------------------------------------------------------


def _relaxation(c: Candidate, r: PostRules) -> tuple[int, list[Reason]]:
    valid: list[int] = []
    notes: list[Reason] = []
    for claim in c.relaxations:
        if claim.code == "grant":
            valid.append(int(claim.years or 0))
            continue
        rule = r.relaxation(claim.code)
        why: str | None = None
        if rule is None:
            why = "this category is not in the policy for this post"
        elif rule.requires == "in_service" and c.in_service_x100 < rule.min_service_x100:
            why = (
                f"it needs {percent_text(rule.min_service_x100)} years of continuous service and "
                f"{percent_text(c.in_service_x100)} were declared"
            )
        elif rule.requires == "disabled" and not c.disabled:
            why = "no disability was declared"
        if why is not None:
            notes.append(reason("RELAXATION_NOT_APPLICABLE", claim=claim.code, why=why))
        elif rule is not None:
            valid.append(rule.years)
    years = sum(valid) if r.stacking else max(valid, default=0)
    return years, notes


def upper_age(relax_years: int, r: PostRules) -> tuple[int, str]:
    """Effective upper age limit and the words that explain it."""
    own = r.max_age + relax_years
    basis = f" ({r.max_age} + {relax_years} years' relaxation)" if relax_years else ""
    g = r.general
    if g is not None and g.active:
        if g.adds_category:
            return (
                g.upper_age + relax_years,
                f" (general relaxation to {g.upper_age}{basis and ' + ' + str(relax_years)})",
            )
        if g.upper_age >= own:
            return g.upper_age, f" (general relaxation, notified window {g.window})"
    return own, basis


def check_age(c: Candidate, r: PostRules) -> tuple[Reason, list[Reason], int, int, str]:
    relax_years, notes = _relaxation(c, r)
    upper, basis = upper_age(relax_years, r)
    ref = r.reference_date
    age = format_ymd(age_ymd(c.dob, ref, r.leap_rule))
    if c.dob_precision != "day":
        missing = "day" if c.dob_precision == "month" else "day or month"
        notes.insert(0, reason("DOB_ASSUMED", missing=missing, assumed=c.dob.isoformat()))
    params: dict[str, ParamValue] = {
        "ref": ref.isoformat(),
        "age": age,
        "lower": r.min_age,
        "upper": upper,
        "basis": basis,
    }
    if ref < anniversary(c.dob, r.min_age, r.leap_rule):
        return reason("AGE_BELOW_MIN", **params), notes, upper, relax_years, age
    last_day = anniversary(c.dob, upper, r.leap_rule)
    if ref > last_day:
        over = format_ymd(age_ymd(last_day, ref, r.leap_rule))
        return reason("AGE_ABOVE_MAX", over=over, **params), notes, upper, relax_years, age
    return reason("AGE_OK", **params), notes, upper, relax_years, age


# ---- domicile --------------------------------------------------------------------------------------------


def check_domicile(c: Candidate, r: PostRules) -> Reason:
    if r.domicile_provinces and c.province not in r.domicile_provinces:
        return reason(
            "DOMICILE_OUTSIDE_PROVINCE",
            district=c.domicile_district,
            province=" or ".join(r.domicile_provinces),
        )
    if r.restricted and not (
        c.domicile_district in r.restrict_districts
        or c.division in r.restrict_divisions
        or (c.zone is not None and c.zone in r.restrict_zones)
    ):
        return reason(
            "DOMICILE_OUTSIDE_RESTRICTION", district=c.domicile_district, allowed=r.restriction_text()
        )
    return reason("DOMICILE_OK", district=c.domicile_district)


# ---- qualification ---------------------------------------------------------------------------------------


def _requirement(r: PostRules, q: Qualification) -> tuple[bool, int]:
    """Whether ``q`` is an essential degree (and discipline) for the post, and the minimum % × 100 for it."""
    for req in r.qualifications:
        if q.degree in req.degrees:
            disc = (q.discipline or "").lower()
            if not req.disciplines or any(d.lower() in disc for d in req.disciplines):
                return True, req.min_percent_x100
    return False, 0


def check_qualification(c: Candidate, r: PostRules) -> tuple[Reason, Qualification | None]:
    ref = r.reference_date
    matching = [(q, m) for q in c.qualifications for ok, m in [_requirement(r, q)] if ok]
    good = [q for q, m in matching if q.status == "completed" and q.date <= ref and q.percent_x100 >= m]
    if good:
        best = sorted(good, key=lambda q: (-q.percent_x100, q.date, q.degree))[0]
        return reason(
            "QUAL_OK", degree=best.degree, percent=percent_text(best.percent_x100), date=best.date.isoformat()
        ), best
    awaited = sorted((q for q, _ in matching if q.status == "awaited"), key=lambda q: q.degree)
    if awaited:
        return reason("QUAL_RESULT_AWAITED", degree=awaited[0].degree, ref=ref.isoformat()), None
    late = sorted((q for q, _ in matching if q.date > ref), key=lambda q: (q.date, q.degree))
    if late:
        return reason(
            "QUAL_AFTER_REFERENCE", degree=late[0].degree, date=late[0].date.isoformat(), ref=ref.isoformat()
        ), None
    if matching:
        q, m = sorted(matching, key=lambda qm: (-qm[0].percent_x100, qm[0].degree))[0]
        return reason(
            "QUAL_BELOW_MIN_PERCENT",
            degree=q.degree,
            percent=percent_text(q.percent_x100),
            min=percent_text(m),
        ), None
    essential = {d for req in r.qualifications for d in req.degrees}
    wrong = sorted(
        (q for q in c.qualifications if q.degree in essential),
        key=lambda q: (q.degree, q.discipline is not None, q.discipline or ""),
    )
    if wrong:
        return reason(
            "QUAL_WRONG_DISCIPLINE",
            degree=wrong[0].degree,
            discipline=wrong[0].discipline or "no stated discipline",
            required=r.required_text(),
        ), None
    note = ""
    if any(q.status == "completed" for q in c.qualifications):
        note = " (a different or higher degree does not replace it)"
    return reason("QUAL_MISSING", required=r.required_text(), note=note), None


# ---- experience ------------------------------------------------------------------------------------------


def experience_days(c: Candidate, r: PostRules, since: date | None) -> int:
    """Days of counted experience: counted types only, after the essential qualification's date (the day
    itself excluded: it is not post-qualification), up to the reference date, overlaps merged, ends inclusive."""
    ref = r.reference_date
    periods: list[tuple[date, date]] = []
    for e in c.experience:
        if e.type not in r.experience_types:
            continue
        start = e.start if since is None else max(e.start, date.fromordinal(since.toordinal() + 1))
        end = ref if e.end is None else min(e.end, ref)
        if end >= start:
            periods.append((start, end))
    return sum((e - s).days + 1 for s, e in merge_periods(periods))


def check_experience(c: Candidate, r: PostRules, since: date | None) -> tuple[Reason, int]:
    days = experience_days(c, r, since)
    if days < r.experience_days:
        return reason(
            "EXPERIENCE_SHORT",
            days=days,
            required=r.experience_days,
            years=r.experience_years,
            ref=r.reference_date.isoformat(),
        ), days
    return reason("EXPERIENCE_OK", days=days, required=r.experience_days), days


# ---- gender ----------------------------------------------------------------------------------------------


def check_gender(c: Candidate, r: PostRules) -> Reason:
    if r.gender != "any" and c.gender != r.gender:
        return reason("GENDER_RESTRICTED", allowed=_GENDER_WORD[r.gender])
    return reason("GENDER_OK")


# ---- scalar engine ---------------------------------------------------------------------------------------


def evaluate(c: Candidate, r: PostRules) -> Decision:
    """Every rule for one candidate, all failures collected, with the sentences a candidate reads."""
    age_reason, notes, upper, relax_years, age_text = check_age(c, r)
    dom = check_domicile(c, r)
    qual, best = check_qualification(c, r)
    exp, days = check_experience(c, r, best.date if best else None)
    gen = check_gender(c, r)
    outcomes = [age_reason, dom, qual, exp, gen]
    failures = tuple(o for o in outcomes if not o.code.endswith("_OK"))
    passes = tuple(o for o in outcomes if o.code.endswith("_OK"))
    completed = [q.level for q in c.qualifications if q.status == "completed" and q.date <= r.reference_date]
    return Decision(
        application_id=c.application_id,
        eligible=not failures,
        failures=failures,
        passes=passes,
        notes=tuple(notes),
        age_text=age_text,
        upper_age=upper,
        relaxation_years=relax_years,
        min_qual_percent_x100=best.percent_x100 if best else None,
        min_qual_date=best.date if best else None,
        highest_level=max(completed) if completed else None,
        experience_days=days,
    )


# ---- batch engine ----------------------------------------------------------------------------------------

_REASON_SEP = " | "


def _relaxation_years_batch(frame: pl.DataFrame, r: PostRules) -> pl.DataFrame:
    """Per ``_i``: relaxation years (valid claims, summed or the largest)."""
    claims = (
        frame.select("_i", "disabled", "in_service_x100", "relaxations")
        .explode("relaxations", empty_as_null=True)
        .filter(pl.col("relaxations").is_not_null())
        .unnest("relaxations")
    )
    if claims.height == 0:
        return pl.DataFrame({"_i": [], "_relax": []}, schema={"_i": pl.UInt32, "_relax": pl.Int32})
    years: Any = pl.when(pl.col("code") == "grant").then(pl.col("years").fill_null(0))
    for rule in r.relaxations:
        cond = pl.col("code") == rule.code
        if rule.requires == "in_service":
            cond = cond & (pl.col("in_service_x100") >= rule.min_service_x100)
        elif rule.requires == "disabled":
            cond = cond & pl.col("disabled")
        years = years.when(cond).then(pl.lit(rule.years))
    valid_years: pl.Expr = years.otherwise(0).cast(pl.Int32)
    agg = pl.col("_y").sum() if r.stacking else pl.col("_y").max()
    return claims.with_columns(_y=valid_years).group_by("_i").agg(agg.cast(pl.Int32).alias("_relax"))


def _qualification_batch(frame: pl.DataFrame, r: PostRules) -> pl.DataFrame:
    """Per ``_i``: the qualification outcome code and parameters, and the tie-break facts."""
    ref = r.reference_date
    q = (
        frame.select("_i", "qualifications")
        .explode("qualifications", empty_as_null=True)
        .filter(pl.col("qualifications").is_not_null())
        .unnest("qualifications")
    )
    match = pl.lit(False)
    minimum = pl.lit(None, pl.Int32)
    disc = pl.col("discipline").fill_null("").str.to_lowercase()
    for req in reversed(r.qualifications):  # earlier requirements win, like the scalar loop
        cond = pl.col("degree").is_in(list(req.degrees))
        if req.disciplines:
            cond = cond & pl.any_horizontal(
                [disc.str.contains(d.lower(), literal=True) for d in req.disciplines]
            )
        match = pl.when(cond).then(True).otherwise(match)
        minimum = pl.when(cond).then(pl.lit(req.min_percent_x100, pl.Int32)).otherwise(minimum)
    all_degrees = sorted({d for req in r.qualifications for d in req.degrees})
    q = q.with_columns(_m=match, _min=minimum, _dm=pl.col("degree").is_in(all_degrees))
    q = q.with_columns(
        _good=pl.col("_m")
        & (pl.col("status") == "completed")
        & (pl.col("date") <= ref)
        & (pl.col("percent_x100") >= pl.col("_min")),
        _done=(pl.col("status") == "completed") & (pl.col("date") <= ref),
    )
    good = (
        q.filter("_good")
        .sort(["_i", "percent_x100", "date", "degree"], descending=[False, True, False, False])
        .group_by("_i", maintain_order=True)
        .first()
        .select("_i", q_deg=pl.col("degree"), q_pct=pl.col("percent_x100"), q_date=pl.col("date"))
    )
    awaited = (
        q.filter(pl.col("_m") & (pl.col("status") == "awaited"))
        .group_by("_i")
        .agg(aw_deg=pl.col("degree").min())
    )
    late = (
        q.filter(pl.col("_m") & (pl.col("date") > ref))
        .sort(["_i", "date", "degree"])
        .group_by("_i", maintain_order=True)
        .first()
        .select("_i", late_deg=pl.col("degree"), late_date=pl.col("date"))
    )
    low = (
        q.filter("_m")
        .sort(["_i", "percent_x100", "degree"], descending=[False, True, False])
        .group_by("_i", maintain_order=True)
        .first()
        .select("_i", low_deg=pl.col("degree"), low_pct=pl.col("percent_x100"), low_min=pl.col("_min"))
    )
    wrong = (
        q.filter(pl.col("_dm") & ~pl.col("_m"))
        .sort(["_i", "degree", "discipline"], nulls_last=False)
        .group_by("_i", maintain_order=True)
        .first()
        .select("_i", wd_deg=pl.col("degree"), wd_disc=pl.col("discipline"))
    )
    facts = q.group_by("_i").agg(
        highest_level=pl.col("level").filter(pl.col("_done")).max().cast(pl.Int16),
        any_done=(pl.col("status") == "completed").any(),
    )
    out = frame.select("_i")
    for part in (good, awaited, late, low, wrong, facts):
        out = out.join(part, on="_i", how="left")
    return out


def _experience_batch(full: pl.DataFrame, qdates: pl.DataFrame, r: PostRules) -> pl.DataFrame:
    """Per ``_i``: counted experience days. ``full`` holds the list column; ``qdates`` the qualifying date."""
    ref = r.reference_date
    e = (
        full.select("_i", "experience")
        .explode("experience", empty_as_null=True)
        .filter(pl.col("experience").is_not_null())
        .unnest("experience")
        .filter(pl.col("type").is_in(list(r.experience_types)))
    )
    if e.height == 0:
        return pl.DataFrame(schema={"_i": pl.UInt32, "experience_days": pl.Int64})
    e = e.join(qdates, on="_i", how="left")
    e = e.with_columns(
        s=pl.when(pl.col("q_date").is_null())
        .then(pl.col("start"))
        .otherwise(pl.max_horizontal(pl.col("start"), pl.col("q_date") + pl.duration(days=1))),
        t=pl.min_horizontal(pl.col("end").fill_null(pl.lit(ref)), pl.lit(ref)),
    ).filter(pl.col("t") >= pl.col("s"))
    e = e.sort(["_i", "s", "t"]).with_columns(
        prev_max=pl.col("t").cum_max().shift(1).over("_i"),
    )
    e = e.with_columns(
        new=pl.col("prev_max").is_null() | (pl.col("s") > pl.col("prev_max") + pl.duration(days=1))
    ).with_columns(g=pl.col("new").cast(pl.Int32).cum_sum().over("_i"))
    merged = e.group_by("_i", "g").agg(s=pl.col("s").min(), t=pl.col("t").max())
    return merged.group_by("_i").agg(
        experience_days=((pl.col("t") - pl.col("s")).dt.total_days() + 1).sum().cast(pl.Int64)
    )


def evaluate_batch(frame: pl.DataFrame, r: PostRules) -> pl.DataFrame:
    """Vectorised :func:`evaluate` for every row of ``frame`` (the canonical accepted schema).

    Returns one row per input row, in input order: ``application_id``, ``eligible``, ``fail_codes``
    (List[String], in rule order), ``fail_text`` (the failing sentences joined by " | "), ``age_text``,
    ``upper_age``, ``relaxation_years``, ``min_qual_percent_x100``, ``min_qual_date``, ``highest_level``,
    ``experience_days``.
    """
    ref = r.reference_date
    full = frame.select(
        "application_id",
        "dob",
        "gender",
        "domicile_district",
        "province",
        "division",
        "zone",
        "disabled",
        "in_service_x100",
        "qualifications",
        "experience",
        "relaxations",
    ).with_row_index("_i")
    # the rules' scalar columns travel through the joins; the list columns are only exploded
    f = full.drop("qualifications", "experience", "relaxations")
    relax = _relaxation_years_batch(full, r)
    f = f.join(relax, on="_i", how="left").with_columns(pl.col("_relax").fill_null(0))
    own = pl.lit(r.max_age, pl.Int32) + pl.col("_relax")
    basis_own = (
        pl.when(pl.col("_relax") > 0)
        .then(pl.format(" ({} + {} years' relaxation)", pl.lit(r.max_age), pl.col("_relax")))
        .otherwise(pl.lit(""))
    )
    g = r.general
    if g is not None and g.active and g.adds_category:
        upper = pl.lit(g.upper_age, pl.Int32) + pl.col("_relax")
        basis = pl.format(
            f" (general relaxation to {g.upper_age}{{}})",
            pl.when(pl.col("_relax") > 0).then(pl.format(" + {}", pl.col("_relax"))).otherwise(pl.lit("")),
        )
    elif g is not None and g.active:
        use_general = pl.lit(g.upper_age, pl.Int32) >= own
        upper = pl.when(use_general).then(pl.lit(g.upper_age, pl.Int32)).otherwise(own)
        basis = (
            pl.when(use_general)
            .then(pl.lit(f" (general relaxation, notified window {g.window})"))
            .otherwise(basis_own)
        )
    else:
        upper = own
        basis = basis_own
    f = f.with_columns(upper_age=upper.cast(pl.Int32), _basis=basis)
    f = with_age_text(f, "dob", ref, "age_text", r.leap_rule)
    f = f.with_columns(
        _lower_day=anniversary_expr(pl.col("dob"), pl.lit(r.min_age, pl.Int32), r.leap_rule),
        _upper_day=anniversary_expr(pl.col("dob"), pl.col("upper_age"), r.leap_rule),
    )
    lower_day = pl.col("_lower_day")
    upper_day = pl.col("_upper_day")
    age_params = {
        "ref": pl.lit(ref.isoformat()),
        "age": pl.col("age_text"),
        "lower": pl.lit(str(r.min_age)),
        "upper": pl.col("upper_age").cast(pl.String),
        "basis": pl.col("_basis"),
        "over": pl.col("_over"),
    }
    below = pl.lit(ref) < lower_day
    above = pl.lit(ref) > upper_day
    age_code = pl.when(below).then(pl.lit("AGE_BELOW_MIN")).when(above).then(pl.lit("AGE_ABOVE_MAX"))
    age_text = (
        pl.when(below)
        .then(format_expr("AGE_BELOW_MIN", age_params))
        .when(above)
        .then(format_expr("AGE_ABOVE_MAX", age_params))
    )

    # domicile
    dom_code = pl.lit(None, pl.String)
    dom_text = pl.lit(None, pl.String)
    if r.restricted:
        inside = (
            pl.col("domicile_district").is_in(list(r.restrict_districts))
            | pl.col("division").is_in(list(r.restrict_divisions))
            | pl.col("zone").is_in(list(r.restrict_zones)).fill_null(False)
        )
        dom_code = pl.when(~inside).then(pl.lit("DOMICILE_OUTSIDE_RESTRICTION"))
        dom_text = pl.when(~inside).then(
            format_expr(
                "DOMICILE_OUTSIDE_RESTRICTION",
                {"district": pl.col("domicile_district"), "allowed": pl.lit(r.restriction_text())},
            )
        )
    if r.domicile_provinces:
        outside = ~pl.col("province").is_in(list(r.domicile_provinces))
        prov = " or ".join(r.domicile_provinces)
        dom_code = pl.when(outside).then(pl.lit("DOMICILE_OUTSIDE_PROVINCE")).otherwise(dom_code)
        dom_text = (
            pl.when(outside)
            .then(
                format_expr(
                    "DOMICILE_OUTSIDE_PROVINCE",
                    {"district": pl.col("domicile_district"), "province": pl.lit(prov)},
                )
            )
            .otherwise(dom_text)
        )

    # qualification
    f = f.join(_qualification_batch(full, r), on="_i", how="left")
    qual_code = (
        pl.when(pl.col("q_deg").is_not_null())
        .then(pl.lit(None, pl.String))
        .when(pl.col("aw_deg").is_not_null())
        .then(pl.lit("QUAL_RESULT_AWAITED"))
        .when(pl.col("late_deg").is_not_null())
        .then(pl.lit("QUAL_AFTER_REFERENCE"))
        .when(pl.col("low_deg").is_not_null())
        .then(pl.lit("QUAL_BELOW_MIN_PERCENT"))
        .when(pl.col("wd_deg").is_not_null())
        .then(pl.lit("QUAL_WRONG_DISCIPLINE"))
        .otherwise(pl.lit("QUAL_MISSING"))
    )
    note = (
        pl.when(pl.col("any_done").fill_null(False))
        .then(pl.lit(" (a different or higher degree does not replace it)"))
        .otherwise(pl.lit(""))
    )
    qual_text = (
        pl.when(pl.col("q_deg").is_not_null())
        .then(pl.lit(None, pl.String))
        .when(pl.col("aw_deg").is_not_null())
        .then(
            format_expr("QUAL_RESULT_AWAITED", {"degree": pl.col("aw_deg"), "ref": pl.lit(ref.isoformat())})
        )
        .when(pl.col("late_deg").is_not_null())
        .then(
            format_expr(
                "QUAL_AFTER_REFERENCE",
                {
                    "degree": pl.col("late_deg"),
                    "date": pl.col("late_date").dt.strftime("%Y-%m-%d"),
                    "ref": pl.lit(ref.isoformat()),
                },
            )
        )
        .when(pl.col("low_deg").is_not_null())
        .then(
            format_expr(
                "QUAL_BELOW_MIN_PERCENT",
                {
                    "degree": pl.col("low_deg"),
                    "percent": _percent_expr(pl.col("low_pct")),
                    "min": _percent_expr(pl.col("low_min")),
                },
            )
        )
        .when(pl.col("wd_deg").is_not_null())
        .then(
            format_expr(
                "QUAL_WRONG_DISCIPLINE",
                {
                    "degree": pl.col("wd_deg"),
                    "discipline": pl.when(pl.col("wd_disc").fill_null("") == "")
                    .then(pl.lit("no stated discipline"))
                    .otherwise(pl.col("wd_disc")),
                    "required": pl.lit(r.required_text()),
                },
            )
        )
        .otherwise(format_expr("QUAL_MISSING", {"required": pl.lit(r.required_text()), "note": note}))
    )

    # experience
    f = f.join(_experience_batch(full, f.select("_i", "q_date"), r), on="_i", how="left").with_columns(
        pl.col("experience_days").fill_null(0)
    )
    short = pl.col("experience_days") < r.experience_days
    exp_code = pl.when(short).then(pl.lit("EXPERIENCE_SHORT"))
    exp_text = pl.when(short).then(
        format_expr(
            "EXPERIENCE_SHORT",
            {
                "days": pl.col("experience_days").cast(pl.String),
                "required": pl.lit(str(r.experience_days)),
                "years": pl.lit(r.experience_years),
                "ref": pl.lit(ref.isoformat()),
            },
        )
    )

    # gender
    gen_code: pl.Expr
    gen_text: pl.Expr
    if r.gender != "any":
        wrong = pl.col("gender") != r.gender
        gen_code = pl.when(wrong).then(pl.lit("GENDER_RESTRICTED"))
        gen_text = pl.when(wrong).then(
            format_expr("GENDER_RESTRICTED", {"allowed": pl.lit(_GENDER_WORD[r.gender])})
        )
    else:
        gen_code = pl.lit(None, pl.String)
        gen_text = pl.lit(None, pl.String)

    codes = [age_code, dom_code, qual_code, exp_code, gen_code]
    texts = [age_text, dom_text, qual_text, exp_text, gen_text]
    f = f.with_columns(fail_codes=pl.concat_list([c.cast(pl.String) for c in codes]).list.drop_nulls())
    # Sentences only for the rows that fail something: polars evaluates every branch of a when/then chain on
    # every row, and most candidates fail nothing.
    bad = f.filter(pl.col("fail_codes").list.len() > 0)
    bad = with_age_text(bad, "_upper_day", ref, "_over", r.leap_rule)
    bad = bad.select(
        "_i",
        fail_text=pl.concat_str([t.cast(pl.String) for t in texts], separator=_REASON_SEP, ignore_nulls=True),
    )
    f = f.join(bad, on="_i", how="left").with_columns(pl.col("fail_text").fill_null(""))
    return f.sort("_i").select(
        "application_id",
        eligible=pl.col("fail_codes").list.len() == 0,
        fail_codes=pl.col("fail_codes"),
        fail_text=pl.col("fail_text"),
        age_text=pl.col("age_text"),
        upper_age=pl.col("upper_age"),
        relaxation_years=pl.col("_relax").cast(pl.Int32),
        min_qual_percent_x100=pl.col("q_pct").cast(pl.Int32),
        min_qual_date=pl.col("q_date"),
        highest_level=pl.col("highest_level"),
        experience_days=pl.col("experience_days"),
    )


def decisions_equal(batch_row: Mapping[str, Any], d: Decision) -> list[str]:
    """Differences between a batch row and a scalar decision (empty when they agree); used by tests and by
    ``shafaf explain`` to refuse an explanation that would not match the published decision."""
    diffs: list[str] = []
    expect: Sequence[tuple[str, object]] = (
        ("eligible", d.eligible),
        ("fail_codes", [x.code for x in d.failures]),
        ("fail_text", _REASON_SEP.join(x.text_en for x in d.failures)),
        ("age_text", d.age_text),
        ("upper_age", d.upper_age),
        ("relaxation_years", d.relaxation_years),
        ("min_qual_percent_x100", d.min_qual_percent_x100),
        ("min_qual_date", d.min_qual_date),
        ("highest_level", d.highest_level),
        ("experience_days", d.experience_days),
    )
    for key, value in expect:
        if batch_row.get(key) != value:
            diffs.append(f"{key}: batch {batch_row.get(key)!r} != scalar {value!r}")
    return diffs
