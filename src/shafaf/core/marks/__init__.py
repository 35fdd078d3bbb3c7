"""Test marks: reading marks files and scoring raw responses against a key, exactly (formats.md §2–3)."""

from shafaf.core.marks.scoring import (
    DEFAULT_OMIT_CODES,
    DEFAULT_SECTION,
    option_code,
    read_item_marks,
    read_section_marks,
    score_responses,
)
from shafaf.core.marks.spec import (
    REJECTED_SCHEMA,
    MarksResult,
    SectionSpec,
    expand_item_range,
    section_column,
)

__all__ = [
    "DEFAULT_OMIT_CODES",
    "DEFAULT_SECTION",
    "REJECTED_SCHEMA",
    "MarksResult",
    "SectionSpec",
    "expand_item_range",
    "option_code",
    "read_item_marks",
    "read_section_marks",
    "score_responses",
    "section_column",
]
