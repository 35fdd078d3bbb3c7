"""The public surface of shafaf.core.ledger is pinned: a change to it is a deliberate edit of this list."""

from __future__ import annotations

import shafaf.core.ledger as ledger


def test_exported_names() -> None:
    """__all__ lists exactly the documented API, and every name in it exists."""
    assert sorted(ledger.__all__) == [
        "GENESIS_PREV",
        "LedgerWriter",
        "Problem",
        "ProblemCode",
        "VerifyResult",
        "canonical_json",
        "find_entries",
        "read_entries",
        "verify_dir",
    ]
    assert all(hasattr(ledger, name) for name in ledger.__all__)


def test_problem_codes_are_stable() -> None:
    """Problem codes are part of the interface (docs/ledger.md §4); renaming one breaks consumers."""
    assert [code.value for code in ledger.ProblemCode] == [
        "ledger_missing",
        "ledger_unreadable",
        "not_json",
        "malformed",
        "hash_mismatch",
        "seq_mismatch",
        "prev_mismatch",
        "float_in_data",
        "after_seal",
        "no_seal",
        "bad_seal",
        "file_missing",
        "file_changed",
        "head_missing",
        "head_mismatch",
        "anchor_mismatch",
    ]
