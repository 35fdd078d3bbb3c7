"""Adverse-impact audits (fairness.md): selection and scoring rates, impact ratios, four-fifths flags,
Fisher and z p-values, practical significance, per family and per funnel stage.

The public surface is listed in ``__all__``; everything else is private to the package.
"""

from shafaf.core.fairness.compare import SMALL_SAMPLE_EXPECTED, SMALL_SAMPLE_N, family_from_counts
from shafaf.core.fairness.engine import audit, audit_families, audit_stages, family_key
from shafaf.core.fairness.inputs import FALSE_WORDS, TRUE_WORDS
from shafaf.core.fairness.report import (
    INTERSECTION_SEPARATOR,
    AuditReport,
    CategoryResult,
    FamilyResult,
    JsonValue,
    Method,
    Reason,
)
from shafaf.core.fairness.stats import fisher_p, four_fifths_flag, impact_ratio, selections_to_clear, z_p

__all__ = [
    "FALSE_WORDS",
    "INTERSECTION_SEPARATOR",
    "SMALL_SAMPLE_EXPECTED",
    "SMALL_SAMPLE_N",
    "TRUE_WORDS",
    "AuditReport",
    "CategoryResult",
    "FamilyResult",
    "JsonValue",
    "Method",
    "Reason",
    "audit",
    "audit_families",
    "audit_stages",
    "family_from_counts",
    "family_key",
    "fisher_p",
    "four_fifths_flag",
    "impact_ratio",
    "selections_to_clear",
    "z_p",
]
