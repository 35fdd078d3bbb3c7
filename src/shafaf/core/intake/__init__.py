"""Intake of applications: validate a raw applications table into the canonical accepted schema and a list of
rejected rows with reasons (formats.md §1)."""

from shafaf.core.intake.applications import (
    ACCEPTED_SCHEMA,
    INPUT_COLUMNS,
    OPTIONAL_COLUMNS,
    REJECTED_SCHEMA,
    REQUIRED_COLUMNS,
    IntakeResult,
    read_applications,
    validate_applications,
)

__all__ = [
    "ACCEPTED_SCHEMA",
    "INPUT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REJECTED_SCHEMA",
    "REQUIRED_COLUMNS",
    "IntakeResult",
    "read_applications",
    "validate_applications",
]
