"""LedgerWriter: exact bytes, chaining, the raw fast path, sealing and its refusals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from shafaf.core.ledger import GENESIS_PREV, LedgerWriter, read_entries
from tests.core.ledger.builders import FILES, ZEROS, entry_line

RUN_DATA = {"campaign": "BPSC-2026-01"}


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_tiny_ledger_has_exact_bytes_and_hashes(tmp_path: Path) -> None:
    """Two appends give exactly the specified lines; hashes are SHA-256 of the body written out by hand."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger) as writer:
        h0 = writer.append("run", {"policy": "bal-2025.1", "campaign": "BPSC-2026-01"})
        h1 = writer.append("decision", {"outcome": "eligible", "name": "محمد اسلم", "application_id": "SA-1"})
    # Keys sorted, no spaces, Urdu kept as UTF-8, prev of seq 0 = 64 zeros.
    body0 = (
        '{"seq":0,"prev":"'
        + ZEROS
        + '","kind":"run","data":{"campaign":"BPSC-2026-01","policy":"bal-2025.1"}}'
    )
    body1 = (
        '{"seq":1,"prev":"' + h0 + '","kind":"decision","data":'
        '{"application_id":"SA-1","name":"محمد اسلم","outcome":"eligible"}}'
    )
    assert h0 == hashlib.sha256(body0.encode("utf-8")).hexdigest()
    assert h1 == hashlib.sha256(body1.encode("utf-8")).hexdigest()
    # Pinned values: a change of the format (or of canonical JSON) must show up here.
    assert h0 == "9f8fd3d344e72f0347e3e0c11949a16a53e8898bc49a13e5c8ceef4d68a9f007"
    assert h1 == "995fbdcc4d6cbec81a2486a4216266613736839afb14d08e487ed205007f94b8"
    expected = (body0[:-1] + ',"hash":"' + h0 + '"}\n' + body1[:-1] + ',"hash":"' + h1 + '"}\n').encode(
        "utf-8"
    )
    assert ledger.read_bytes() == expected


def test_each_line_is_json_with_members_in_order(tmp_path: Path) -> None:
    """A stored line parses as JSON with members seq, prev, kind, data, hash in this order."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger) as writer:
        writer.append("run", {"a": [1, True, None, {"b": "c"}]})
    line = ledger.read_text(encoding="utf-8")
    assert line.endswith("\n") and line.count("\n") == 1
    obj = json.loads(line)
    assert list(obj) == ["seq", "prev", "kind", "data", "hash"]
    assert obj["data"] == {"a": [1, True, None, {"b": "c"}]}
    assert obj["prev"] == GENESIS_PREV == ZEROS


def test_same_appends_give_byte_identical_files(tmp_path: Path) -> None:
    """Determinism: two writers fed the same entries (dict order differing) write identical bytes."""
    outputs = []
    for name, order in (("a", ["x", "y", "z"]), ("b", ["z", "y", "x"])):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "merit_list.csv").write_bytes(FILES["merit_list.csv"])
        with LedgerWriter(folder / "ledger.jsonl") as writer:
            writer.append("run", {key: key.upper() for key in order})
            writer.append_raw("decision", ['{"i":1}', '{"i":2}'])
            writer.seal(folder, ["merit_list.csv"])
        outputs.append(((folder / "ledger.jsonl").read_bytes(), (folder / "ledger.head").read_bytes()))
    assert outputs[0] == outputs[1]


def test_append_raw_chains_exactly_like_append(tmp_path: Path) -> None:
    """append_raw with canonical strings gives the same lines as append with the same dicts."""
    rows = [{"application_id": f"SA-{i}", "rank": i} for i in range(5)]
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    with LedgerWriter(a) as writer:
        writer.append("run", {"n": 5})
        for row in rows:
            writer.append("decision", row)
    with LedgerWriter(b) as writer:
        writer.append("run", {"n": 5})
        writer.append_raw("decision", (json.dumps(r, sort_keys=True, separators=(",", ":")) for r in rows))
        assert writer.count == 6
    assert a.read_bytes() == b.read_bytes()


def test_append_raw_uses_the_strings_byte_for_byte(tmp_path: Path) -> None:
    """Raw data is not re-serialised: key order and spelling are kept as given; the line matches the spec."""
    ledger = tmp_path / "ledger.jsonl"
    raw = '{"z":"1","a":"\\u0645"}'  # unsorted keys and an escape: kept exactly
    with LedgerWriter(ledger) as writer:
        writer.append_raw("decision", [raw])
        head = writer.head
    line, digest = entry_line(0, ZEROS, "decision", raw)
    assert ledger.read_bytes() == line
    assert head == digest


def test_append_raw_refuses_non_objects_and_keeps_earlier_entries(tmp_path: Path) -> None:
    """A string that is not one {...} on one line is refused; the entries before it stay written, chained."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger) as writer:
        with pytest.raises(ValueError, match=r"item 2 is not one JSON object"):
            writer.append_raw("decision", ['{"i":0}', '{"i":1}', '{"i":\n2}', '{"i":3}'])
        assert writer.count == 2
        writer.append("note", {"after": "error"})
    lines = ledger.read_bytes().splitlines(keepends=True)
    _, h0 = entry_line(0, ZEROS, "decision", '{"i":0}')
    line1, h1 = entry_line(1, h0, "decision", '{"i":1}')
    line2, _ = entry_line(2, h1, "note", '{"after":"error"}')
    assert lines[1:] == [line1, line2]


@pytest.mark.parametrize("bad", ["[1]", "", "{", '{"a":1}\r', "x{}", b'{"a":1}'])
def test_append_raw_cheap_checks(tmp_path: Path, bad: object) -> None:
    """Arrays, empty or unterminated text, carriage returns and bytes are refused without parsing."""
    with LedgerWriter(tmp_path / "ledger.jsonl") as writer, pytest.raises(ValueError):
        writer.append_raw("decision", [bad])  # type: ignore[list-item]
    assert (tmp_path / "ledger.jsonl").read_bytes() == b""


def test_float_is_refused_and_nothing_written(tmp_path: Path) -> None:
    """append() refuses a float anywhere in data (TypeError naming where) and writes nothing."""
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger) as writer:
        with pytest.raises(TypeError, match=r"data\['marks'\]\[1\]: float 0.5"):
            writer.append("decision", {"marks": ["1", 0.5]})
        assert writer.count == 0 and writer.head == ZEROS
    assert ledger.read_bytes() == b""


@pytest.mark.parametrize("kind", ["", "Run", "1run", "run space", 'ru"n', "x" * 65, "seal"])
def test_bad_or_reserved_kinds_are_refused(tmp_path: Path, kind: str) -> None:
    """Kinds must match [a-z][a-z0-9_.-]{0,63}; 'seal' is reserved for seal()."""
    with LedgerWriter(tmp_path / "ledger.jsonl") as writer:
        with pytest.raises(ValueError, match="kind"):
            writer.append(kind, {})
        with pytest.raises(ValueError, match="kind"):
            writer.append_raw(kind, ["{}"])


def test_existing_ledger_is_not_overwritten_unless_asked(tmp_path: Path) -> None:
    """Exclusive creation: an existing ledger raises FileExistsError; overwrite=True starts afresh."""
    ledger = tmp_path / "ledger.jsonl"
    (tmp_path / "merit_list.csv").write_bytes(b"x\n")
    with LedgerWriter(ledger) as writer:
        writer.append("run", {"n": 1})
        writer.seal(tmp_path, ["merit_list.csv"])
    with pytest.raises(FileExistsError):
        LedgerWriter(ledger)
    with LedgerWriter(ledger, overwrite=True) as writer:
        assert not (tmp_path / "ledger.head").exists()  # the stale anchor is removed at once
        writer.append("run", {"n": 2})
    assert [e["data"] for e in read_entries(ledger)] == [{"n": 2}]


def test_seal_records_files_sorted_and_writes_head(tmp_path: Path) -> None:
    """The seal lists name, bytes and sha256 of each file sorted by name, counts entries, and ends it."""
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "SA-1.txt").write_bytes(b"")
    ledger = tmp_path / "ledger.jsonl"
    writer = LedgerWriter(ledger)
    writer.append("run", RUN_DATA)
    head = writer.seal(tmp_path, ["waiting_list.csv", "report.html", "letters/SA-1.txt", "merit_list.csv"])
    assert writer.sealed and writer.count == 2 and writer.head == head
    seal = list(read_entries(ledger))[-1]
    assert seal["kind"] == "seal" and seal["seq"] == 1 and seal["hash"] == head
    empty_sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"  # sha256 of b""
    # merit/waiting lists: a 20-byte header + two 17-byte rows = 54 bytes. report.html: "<html><body><h1>" 16
    # + four Arabic-script letters of 2 bytes each 8 + "</h1></body></html>" 19 + newline 1 = 44 bytes.
    assert seal["data"] == {
        "entries": 2,
        "files": [
            {"bytes": 0, "name": "letters/SA-1.txt", "sha256": empty_sha},
            {"bytes": 54, "name": "merit_list.csv", "sha256": _sha(FILES["merit_list.csv"])},
            {"bytes": 44, "name": "report.html", "sha256": _sha(FILES["report.html"])},
            {"bytes": 54, "name": "waiting_list.csv", "sha256": _sha(FILES["waiting_list.csv"])},
        ],
    }
    assert (tmp_path / "ledger.head").read_bytes() == (head + "\n").encode()
    with pytest.raises(ValueError, match="sealed"):
        writer.append("run", {})


@pytest.mark.parametrize(
    ("files", "error", "match"),
    [
        (["merit_list.csv", "merit_list.csv"], ValueError, "listed twice: merit_list.csv"),
        (["../merit_list.csv"], ValueError, "'..'"),
        (["/etc/passwd"], ValueError, "relative POSIX path"),
        (["a\\b.csv"], ValueError, "relative POSIX path"),
        (["./merit_list.csv"], ValueError, "'.'"),
        (["ledger.jsonl"], ValueError, "cannot be sealed inside itself"),
        (["missing.csv"], FileNotFoundError, "missing.csv"),
        ("merit_list.csv", TypeError, "sequence of names"),
    ],
)
def test_seal_refuses_bad_file_lists(
    tmp_path: Path, files: list[str], error: type[Exception], match: str
) -> None:
    """Duplicate, unsafe, self-referencing or missing names are refused before anything is written."""
    (tmp_path / "merit_list.csv").write_bytes(b"x\n")
    ledger = tmp_path / "ledger.jsonl"
    with LedgerWriter(ledger) as writer:
        writer.append("run", RUN_DATA)
        with pytest.raises(error, match=match):
            writer.seal(tmp_path, files)
        assert writer.count == 1 and not writer.sealed
    assert len(ledger.read_bytes().splitlines()) == 1
    assert not (tmp_path / "ledger.head").exists()


def test_seal_requires_the_ledgers_own_folder(tmp_path: Path) -> None:
    """Sealed names are relative to the ledger's folder (where verify looks); another out_dir is refused."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "merit_list.csv").write_bytes(b"x\n")
    with (
        LedgerWriter(tmp_path / "ledger.jsonl") as writer,
        pytest.raises(ValueError, match="ledger's folder"),
    ):
        writer.seal(other, ["merit_list.csv"])


def test_a_ledger_named_dot_head_is_refused(tmp_path: Path) -> None:
    """The .head suffix belongs to the anchor file, so a ledger cannot be called x.head."""
    with pytest.raises(ValueError, match=r"\.head"):
        LedgerWriter(tmp_path / "ledger.head")
