"""Builders for eligibility tests: canonical accepted rows and post rules with the demo's parameters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from shafaf.core.eligibility.context import GeneralRelaxation, PostRules, QualificationRule, RelaxationRule

QUAL = pl.Struct(
    {
        "degree": pl.String,
        "level": pl.Int16,
        "discipline": pl.String,
        "percent_x100": pl.Int32,
        "date": pl.Date,
        "status": pl.String,
    }
)
EXP = pl.Struct({"start": pl.Date, "end": pl.Date, "type": pl.String})
RELAX = pl.Struct({"code": pl.String, "years": pl.Int32, "authority": pl.String, "ref": pl.String})

REF = date(2026, 1, 26)

RULES = PostRules(
    post_code="SUB-ACC",
    reference_date=REF,
    min_age=18,
    max_age=28,
    relaxations=(
        RelaxationRule("civil_servant", "Civil servant", 5, "in_service", 200),
        RelaxationRule("disabled", "Person with disability", 10, "disabled"),
        RelaxationRule("deceased_employee_family", "Widow/child", 5, "none"),
    ),
    stacking=False,
    general=None,
    leap_rule="mar1",
    domicile_provinces=("Balochistan",),
    qualifications=(QualificationRule(("BCom", "BBA"), (), 4500),),
)


def qual(
    degree: str = "BCom",
    pct: int = 6000,
    on: date = date(2020, 8, 1),
    status: str = "completed",
    level: int = 14,
    discipline: str = "",
) -> dict[str, Any]:
    return dict(degree=degree, level=level, discipline=discipline, percent_x100=pct, date=on, status=status)


def row(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict(
        application_id="A1",
        dob=date(2000, 5, 10),
        dob_precision="day",
        gender="M",
        domicile_district="Kech",
        province="Balochistan",
        division="Makran",
        zone="makran",
        disabled=False,
        in_service_x100=0,
        qualifications=[qual()],
        experience=[],
        relaxations=[],
    )
    base.update(kw)
    return base


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema_overrides={
            "qualifications": pl.List(QUAL),
            "experience": pl.List(EXP),
            "relaxations": pl.List(RELAX),
            "in_service_x100": pl.Int32,
            "zone": pl.String,
        },
    )


def with_general(rules: PostRules, active: bool, adds: bool = False) -> PostRules:
    return replace(rules, general=GeneralRelaxation(43, active, adds, "2024-04-01..2026-12-31"))
