"""The public surface of shafaf.core.marks is pinned: other packages (pipeline, intake) import it."""

from __future__ import annotations

from decimal import Decimal

import shafaf.core.marks as marks
from shafaf.core.marks import SectionSpec


def test_exported_members() -> None:
    """Adding or removing a public name is a deliberate change of this list."""
    assert sorted(marks.__all__) == [
        "DEFAULT_OMIT_CODES",
        "DEFAULT_SECTION",
        "MarksResult",
        "REJECTED_SCHEMA",
        "SectionSpec",
        "expand_item_range",
        "option_code",
        "read_item_marks",
        "read_section_marks",
        "score_responses",
        "section_column",
    ]
    assert all(hasattr(marks, name) for name in marks.__all__)


def test_bare_string_items_are_one_entry() -> None:
    """items given as one string (a range) is kept as one entry, not split into characters."""
    spec = SectionSpec("s", "S", "q1-q20", Decimal(1))  # type: ignore[arg-type]
    assert spec.items == ("q1-q20",)
    assert spec.maximum_scaled() == 200_000
