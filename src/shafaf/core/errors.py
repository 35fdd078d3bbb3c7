"""The one error tree of ``shafaf.core``.

    ShafafError
    ├── InputError            bad user input; always names the source file and what was expected
    │   ├── CampaignError     the campaign file (field path + expectation)
    │   ├── PolicyError       a policy pack or geography table
    │   └── TableError        a whole input table is unusable (missing columns, unreadable file)
    └── IntegrityError        a ledger or published file does not match
Row-level problems are never raised: they become rejected rows with a row number, column and reason.
"""

from __future__ import annotations


class ShafafError(Exception):
    """Base of every error raised on purpose by Shafaf."""


class InputError(ShafafError):
    """Input the user can fix. The message names the file, the field or row, and what was expected."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.detail = message
        super().__init__(f"{source}: {message}")


class CampaignError(InputError):
    """A campaign file that does not validate."""


class PolicyError(InputError):
    """A policy pack or geography table that does not validate."""


class TableError(InputError):
    """An input table that cannot be processed at all (as opposed to single bad rows)."""


class IntegrityError(ShafafError):
    """A ledger chain or a published file that does not match what was recorded."""
