"""Resolve a campaign post and its policy pack into the plain :class:`PostRules` the rules read."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Any

from shafaf.core.campaign import CampaignInfo, Post
from shafaf.core.eligibility.context import GeneralRelaxation, PostRules, QualificationRule, RelaxationRule
from shafaf.core.errors import CampaignError
from shafaf.core.policy.geography import Geography
from shafaf.core.policy.packs import PolicyPack


def _x100(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def build_post_rules(
    post: Post, pack: PolicyPack, info: CampaignInfo, geography: Geography, source: str
) -> PostRules:
    """The eligibility parameters of ``post``: the post's own values where it sets them, else the pack's.

    Raises :class:`CampaignError` naming the post field for a degree not in the pack's vocabulary or a
    restriction naming an unknown district, division or zone.
    """
    age = pack.age
    general: GeneralRelaxation | None = None
    if age.general is not None and post.age.general_relaxation:
        start = post.age.general_valid_from or age.general.valid_from
        end = post.age.general_valid_to or age.general.valid_to
        day = info.closing_date  # applies_on = closing_date (the only value the pack schema allows)
        general = GeneralRelaxation(
            upper_age=age.general.upper_age,
            active=start <= day <= end,
            adds_category=age.general.adds_category_relaxation,
            window=f"{start.isoformat()}..{end.isoformat()}",
        )
    relaxations = tuple(
        RelaxationRule(
            code=code,
            label=r.label,
            years=r.years,
            requires=r.requires,
            min_service_x100=_x100(r.min_service_years) if r.min_service_years is not None else 0,
        )
        for code, r in sorted(age.relaxations.items())
    )
    quals: list[QualificationRule] = []
    for i, q in enumerate(post.qualifications):
        canonical: list[str] = []
        for spelling in q.degrees:
            found = pack.degree(spelling)
            if found is None:
                raise CampaignError(
                    source,
                    f"posts (code {post.code!r}).qualifications[{i}].degrees: {spelling!r} is not a degree of "
                    f"policy pack {pack.name} (known: {', '.join(pack.qualification_levels)})",
                )
            canonical.append(found[0])
        quals.append(
            QualificationRule(
                degrees=tuple(dict.fromkeys(canonical)),
                disciplines=tuple(q.disciplines),
                min_percent_x100=_x100(q.min_percent),
            )
        )
    districts: list[str] = []
    divisions: list[str] = []
    zones: list[str] = []
    if post.restriction is not None:
        known_div = {d.division.casefold(): d.division for d in geography.districts}
        known_zone = {z.casefold(): z for z in geography.zones()}
        for name in post.restriction.districts:
            d = geography.resolve(name)
            if d is None:
                raise CampaignError(
                    source, f"posts (code {post.code!r}).restriction.districts: unknown district {name!r}"
                )
            districts.append(d.name)
        for name in post.restriction.divisions:
            if name.casefold() not in known_div:
                raise CampaignError(
                    source, f"posts (code {post.code!r}).restriction.divisions: unknown division {name!r}"
                )
            divisions.append(known_div[name.casefold()])
        for name in post.restriction.zones:
            if name.casefold() not in known_zone:
                raise CampaignError(
                    source,
                    f"posts (code {post.code!r}).restriction.zones: unknown zone {name!r} "
                    f"(known: {', '.join(geography.zones())})",
                )
            zones.append(known_zone[name.casefold()])
    years = post.experience.years
    required_days = int((years * pack.days_per_year).to_integral_value(rounding=ROUND_CEILING))
    types = tuple(post.experience.types) if post.experience.types else tuple(pack.experience_types_counted)
    return PostRules(
        post_code=post.code,
        reference_date=info.reference_date,
        min_age=post.age.min if post.age.min is not None else age.min_years,
        max_age=post.age.max if post.age.max is not None else age.max_years,
        relaxations=relaxations,
        stacking=post.age.stacking if post.age.stacking is not None else age.stacking,
        general=general,
        leap_rule=age.leap_day_birthday,
        domicile_provinces=tuple(pack.eligibility.domicile_provinces),
        restrict_districts=tuple(districts),
        restrict_divisions=tuple(divisions),
        restrict_zones=tuple(zones),
        gender=post.gender,
        qualifications=tuple(quals),
        experience_days=required_days,
        experience_years=f"{years.normalize():f}",
        experience_types=types,
    )


def post_rules_from_dict(d: Mapping[str, Any]) -> PostRules:
    """Rebuild the :class:`PostRules` recorded in the ledger (``PostRules.to_dict()``)."""
    from datetime import date

    g = d.get("general")
    return PostRules(
        post_code=d["post_code"],
        reference_date=date.fromisoformat(d["reference_date"]),
        min_age=d["min_age"],
        max_age=d["max_age"],
        relaxations=tuple(RelaxationRule(**r) for r in d["relaxations"]),
        stacking=d["stacking"],
        general=GeneralRelaxation(**g) if g else None,
        leap_rule=d["leap_rule"],
        domicile_provinces=tuple(d["domicile_provinces"]),
        restrict_districts=tuple(d["restrict_districts"]),
        restrict_divisions=tuple(d["restrict_divisions"]),
        restrict_zones=tuple(d["restrict_zones"]),
        gender=d["gender"],
        qualifications=tuple(
            QualificationRule(tuple(q["degrees"]), tuple(q["disciplines"]), q["min_percent_x100"])
            for q in d["qualifications"]
        ),
        experience_days=d["experience_days"],
        experience_years=d["experience_years"],
        experience_types=tuple(d["experience_types"]),
    )
