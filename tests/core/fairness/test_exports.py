"""The public surface of shafaf.core.fairness, pinned."""

from __future__ import annotations

import shafaf.core.fairness as fairness


def test_exported_members() -> None:
    """Adding or removing a public name is a deliberate change to this list."""
    assert sorted(fairness.__all__) == sorted(
        [
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
    )
    for name in fairness.__all__:
        assert getattr(fairness, name) is not None
    assert fairness.INTERSECTION_SEPARATOR == "\u00d7"
