"""read_entries / find_entries: reading decisions back from the log (for explanations)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shafaf.core.errors import IntegrityError
from shafaf.core.ledger import LedgerWriter, find_entries, read_entries, verify_dir
from tests.core.ledger.builders import DECISIONS, RUN, build_sealed_dir, read_lines, write_lines


def test_read_entries_gives_every_entry_in_order(tmp_path: Path) -> None:
    """All 7 entries come back with seq, prev, kind, data and hash; prev chains to the previous hash."""
    out = build_sealed_dir(tmp_path)
    entries = list(read_entries(out / "ledger.jsonl"))
    assert [e["seq"] for e in entries] == list(range(7))
    assert [e["kind"] for e in entries] == ["run"] + ["decision"] * 5 + ["seal"]
    assert entries[0]["data"] == RUN and entries[0]["prev"] == "0" * 64
    assert [e["data"] for e in entries[1:6]] == DECISIONS
    assert all(b["prev"] == a["hash"] for a, b in itertools.pairwise(entries))
    assert entries[-1]["hash"] == (out / "ledger.head").read_text().strip()
    assert set(entries[0]) == {"seq", "prev", "kind", "data", "hash"}


def test_kind_filter(tmp_path: Path) -> None:
    """kind= keeps only that kind, in order."""
    out = build_sealed_dir(tmp_path)
    assert [e["seq"] for e in read_entries(out / "ledger.jsonl", kind="decision")] == [1, 2, 3, 4, 5]
    assert [e["seq"] for e in read_entries(out / "ledger.jsonl", kind="seal")] == [6]
    assert list(read_entries(out / "ledger.jsonl", kind="override")) == []


def test_find_entries_by_application_across_kinds(tmp_path: Path) -> None:
    """All entries whose top-level data["application_id"] equals the value, whatever their kind."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger) as writer:
        writer.append("run", {"note": "SA-7 appears here only as text"})
        writer.append("eligibility", {"application_id": "SA-7", "rule": "age_limit", "passed": True})
        writer.append("eligibility", {"application_id": "SA-70", "rule": "age_limit", "passed": True})
        writer.append_raw(
            "merit", ['{"application_id":"SA-7","rank":3}', '{"application_id":"SA-8","rank":4}']
        )
        writer.append("override", {"by": {"application_id": "SA-7"}, "reason_code": "R1"})  # nested: no match
    found = find_entries(ledger, "application_id", "SA-7")
    assert [(e["seq"], e["kind"]) for e in found] == [(1, "eligibility"), (3, "merit")]
    assert found[1]["data"] == {"application_id": "SA-7", "rank": 3}
    assert [e["seq"] for e in find_entries(ledger, "application_id", "SA-7", kind="merit")] == [3]
    assert find_entries(ledger, "application_id", "SA-9") == []


def test_find_entries_with_slash_and_non_ascii_values(tmp_path: Path) -> None:
    """Values with '/' (also found when a writer escaped it) and Urdu values (parsed, not pre-filtered)."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger) as writer:
        writer.append("grant", {"ref": "S&GAD-2026/41"})
        writer.append_raw("grant", ['{"ref":"S&GAD-2026\\/41"}'])
        writer.append("decision", {"district": "کیچ"})
        writer.append_raw("decision", ['{"district":"\\u06a9\\u06cc\\u0686"}'])
    assert [e["seq"] for e in find_entries(ledger, "ref", "S&GAD-2026/41")] == [0, 1]
    assert [e["seq"] for e in find_entries(ledger, "district", "کیچ")] == [2, 3]


def test_numbers_with_fractions_read_as_decimal(tmp_path: Path) -> None:
    """A fraction that slipped in through append_raw is read exactly, as Decimal, never as a float."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger) as writer:
        writer.append_raw("decision", ['{"merit":61.10}'])
    assert next(read_entries(ledger))["data"] == {"merit": Decimal("61.10")}


def test_a_broken_line_raises_integrity_error_naming_it(tmp_path: Path) -> None:
    """Readers refuse a line that is not an entry, naming the file and line."""
    out = build_sealed_dir(tmp_path)
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    lines[3] = b"not json\n"
    write_lines(ledger, lines)
    with pytest.raises(IntegrityError, match=r"ledger\.jsonl line 4: not valid JSON"):
        list(read_entries(ledger))
    with pytest.raises(IntegrityError, match="line 4"):
        find_entries(ledger, "district", "کیچ")  # non-ASCII: every line is parsed
    # Pre-filters only look at lines that can match: the broken line is neither a seal nor SA-2026-000001.
    assert [e["seq"] for e in find_entries(ledger, "application_id", "SA-2026-000001")] == [1]
    assert [e["seq"] for e in read_entries(ledger, kind="seal")] == [6]


json_scalars = st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.text(max_size=20)
data_dicts = st.dictionaries(
    st.text(min_size=1, max_size=10),
    json_scalars | st.lists(json_scalars, max_size=3) | st.dictionaries(st.text(max_size=4), json_scalars),
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["run", "decision", "override.manual"]), data_dicts), max_size=8))
def test_any_appended_data_reads_back_and_verifies(
    tmp_path: Path, items: list[tuple[str, dict[str, object]]]
) -> None:
    """Whatever float-free data is appended reads back equal, and the sealed folder verifies."""
    folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "merit_list.csv").write_bytes(b"x\n")
    with LedgerWriter(folder / "ledger.jsonl") as writer:
        for kind, data in items:
            writer.append(kind, data)
        writer.seal(folder, ["merit_list.csv"])
    entries = list(read_entries(folder / "ledger.jsonl"))
    assert [(e["kind"], e["data"]) for e in entries[:-1]] == items
    assert verify_dir(folder).ok
