"""verify_dir: an intact folder passes; every kind of tampering fails naming the first bad line or file.

The folder built by ``build_sealed_dir``: line 1 run (seq 0), lines 2-6 decisions (seq 1-5), line 7 the seal
(seq 6) over merit_list.csv, report.html and waiting_list.csv; ledger.head holds line 7's hash.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shafaf.core.errors import IntegrityError
from shafaf.core.ledger import LedgerWriter, Problem, ProblemCode, VerifyResult, verify_dir
from shafaf.core.ledger.verify import MAX_PROBLEMS_KEPT
from tests.core.ledger.builders import (
    SEAL_LINE,
    ZEROS,
    build_sealed_dir,
    entry_line,
    read_lines,
    write_lines,
)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return build_sealed_dir(tmp_path)


def _codes(result: VerifyResult) -> list[tuple[str, int | None, str | None]]:
    return [(p.code.value, p.line, p.file) for p in result.problems]


def _hash_of(line: bytes) -> str:
    return json.loads(line)["hash"]  # type: ignore[no-any-return]


def test_intact_folder_verifies(out: Path) -> None:
    """No problem: 7 entries, head = ledger.head = the seal's hash, all 3 sealed files match."""
    result = verify_dir(out)
    lines = read_lines(out / "ledger.jsonl")
    assert result == VerifyResult(
        ok=True, entries=7, head=_hash_of(lines[-1]), problems=(), files=3, problem_count=0
    )
    assert (out / "ledger.head").read_text() == f"{result.head}\n"
    result.raise_if_failed()  # does not raise


def test_changed_character_in_data_names_the_line(out: Path) -> None:
    """One character of line 4's data changed: hash_mismatch on line 4 (seq 3) and nothing else."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    assert b'"rank":3' in lines[3]
    lines[3] = lines[3].replace(b'"rank":3', b'"rank":8')
    write_lines(ledger, lines)
    result = verify_dir(out)
    assert not result.ok
    assert result.problems == (
        Problem(
            ProblemCode.HASH_MISMATCH,
            4,
            None,
            "line 4 (seq 3): hash does not match its contents — the entry was changed",
        ),
    )
    assert result.head == _hash_of(lines[-1])


def test_deleted_middle_line_names_the_gap(out: Path) -> None:
    """Line 4 (seq 3) deleted: the new line 4 holds seq 4 after seq 2 — one problem, no cascade."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    del lines[3]
    write_lines(ledger, lines)
    result = verify_dir(out)
    assert result.problems == (
        Problem(
            ProblemCode.SEQ_MISMATCH, 4, None, "line 4: seq 4 follows seq 2 — entries removed or reordered"
        ),
    )
    assert result.entries == 6 and result.problem_count == 1


def test_deleted_first_line(out: Path) -> None:
    """The genesis entry removed: line 1 holds seq 1 where seq 0 is required."""
    ledger = out / "ledger.jsonl"
    write_lines(ledger, read_lines(ledger)[1:])
    result = verify_dir(out)
    assert result.problems[0].message == (
        "line 1: seq 1 where the ledger starts at seq 0 — entries removed or reordered"
    )
    assert _codes(result) == [("seq_mismatch", 1, None)]


def test_swapped_lines_name_the_first_of_them(out: Path) -> None:
    """Lines 3 and 4 swapped: seq 3 after seq 1 on line 3, then the two resynchronised follow-ups."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    lines[2], lines[3] = lines[3], lines[2]
    write_lines(ledger, lines)
    result = verify_dir(out)
    assert result.problems[0].message == "line 3: seq 3 follows seq 1 — entries removed or reordered"
    # line 4 holds seq 2 after seq 3; line 5 holds seq 4 after seq 2.
    assert _codes(result) == [("seq_mismatch", 3, None), ("seq_mismatch", 4, None), ("seq_mismatch", 5, None)]


def test_rewritten_line_with_a_fresh_hash_breaks_the_next_prev(out: Path) -> None:
    """Line 4 rewritten by someone who recomputed its hash: line 5's prev no longer matches."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    old = json.loads(lines[3])
    data = dict(old["data"], outcome="selected")
    lines[3], _ = entry_line(3, old["prev"], "decision", json.dumps(data, separators=(",", ":")))
    write_lines(ledger, lines)
    result = verify_dir(out)
    assert result.problems == (
        Problem(
            ProblemCode.PREV_MISMATCH,
            5,
            None,
            "line 5: prev does not match the hash of line 4 — entries removed or reordered "
            "(or line 4 was rewritten)",
        ),
    )


def test_rechained_tail_passes_alone_but_fails_against_the_published_head(out: Path) -> None:
    """Rewriting lines 4..7 and ledger.head consistently is only caught by the head published elsewhere."""
    ledger = out / "ledger.jsonl"
    published = (out / "ledger.head").read_text().strip()
    lines = read_lines(ledger)
    prev = _hash_of(lines[2])
    for i in range(3, len(lines)):
        entry = json.loads(lines[i])
        if i == 3:
            entry["data"]["outcome"] = "selected"
        data_text = json.dumps(entry["data"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        lines[i], prev = entry_line(entry["seq"], prev, entry["kind"], data_text)
    write_lines(ledger, lines)
    (out / "ledger.head").write_text(prev + "\n")
    assert verify_dir(out).ok
    result = verify_dir(out, expected_head=published)
    assert result.problems == (
        Problem(
            ProblemCode.ANCHOR_MISMATCH,
            7,
            None,
            f"the published head {published} does not match the ledger's head {prev} (line 7)",
        ),
    )
    assert verify_dir(out, expected_head=prev.upper()).ok  # hex case does not matter


def test_removed_seal_is_truncation(out: Path) -> None:
    """The seal (last line) deleted: no_seal first, then ledger.head no longer matches the last hash."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    write_lines(ledger, lines[:-1])
    result = verify_dir(out)
    assert result.problems[0] == Problem(
        ProblemCode.NO_SEAL, None, None, "the ledger has no seal entry — truncated? (it ends at line 6)"
    )
    assert _codes(result) == [("no_seal", None, None), ("head_mismatch", 6, "ledger.head")]


def test_last_lines_deleted(out: Path) -> None:
    """Lines 5-7 deleted (decisions and seal): the ledger fails as truncated."""
    ledger = out / "ledger.jsonl"
    write_lines(ledger, read_lines(ledger)[:4])
    result = verify_dir(out)
    assert _codes(result)[0] == ("no_seal", None, None)


def test_seal_cut_in_half(out: Path) -> None:
    """The seal line cut mid-way (a crash while writing): line 7 is not JSON, then no seal."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    lines[-1] = lines[-1][:40]
    write_lines(ledger, lines)
    result = verify_dir(out)
    assert _codes(result) == [("not_json", 7, None), ("no_seal", None, None)]
    assert result.problems[0].message.startswith("line 7: not valid JSON (")
    assert result.head is None


def test_edited_published_file_is_named(out: Path) -> None:
    """merit_list.csv edited keeping its size: file_changed naming the file and the seal's line."""
    path = out / "merit_list.csv"
    path.write_bytes(path.read_bytes().replace(b"000002,2", b"000009,2"))
    result = verify_dir(out)
    assert result.problems == (
        Problem(
            ProblemCode.FILE_CHANGED,
            SEAL_LINE,
            "merit_list.csv",
            "file merit_list.csv: sha256 differs from the seal (line 7)",
        ),
    )
    assert result.files == 2


def test_published_file_with_another_size(out: Path) -> None:
    """A row appended to waiting_list.csv: file_changed reporting both sizes."""
    path = out / "waiting_list.csv"
    path.write_bytes(path.read_bytes() + b"SA-2026-000099,3\n")
    result = verify_dir(out)
    assert result.problems[0] == Problem(
        ProblemCode.FILE_CHANGED,
        SEAL_LINE,
        "waiting_list.csv",
        "file waiting_list.csv: 71 bytes where the seal (line 7) recorded 54",
    )


def test_removed_published_file_is_named(out: Path) -> None:
    """waiting_list.csv deleted: file_missing naming it; the other two files still match."""
    (out / "waiting_list.csv").unlink()
    result = verify_dir(out)
    assert result.problems == (
        Problem(
            ProblemCode.FILE_MISSING,
            SEAL_LINE,
            "waiting_list.csv",
            "file waiting_list.csv listed in the seal (line 7) is missing",
        ),
    )
    assert result.files == 2


def test_chained_line_after_the_seal(out: Path) -> None:
    """A correctly chained entry appended after the seal: after_seal on line 8, and ledger.head is stale."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    extra, extra_hash = entry_line(7, _hash_of(lines[-1]), "decision", '{"application_id":"SA-2026-000099"}')
    write_lines(ledger, [*lines, extra])
    result = verify_dir(out)
    assert result.problems[0] == Problem(
        ProblemCode.AFTER_SEAL,
        8,
        None,
        "line 8 (seq 7): entry after the seal (line 7) — the ledger was extended after it was sealed",
    )
    assert _codes(result) == [("after_seal", 8, None), ("head_mismatch", 8, "ledger.head")]
    assert result.head == extra_hash


def test_garbage_line_after_the_seal(out: Path) -> None:
    """A line that is not JSON after the seal is reported as such on line 8."""
    ledger = out / "ledger.jsonl"
    write_lines(ledger, [*read_lines(ledger), b"hello\n"])
    result = verify_dir(out)
    assert _codes(result) == [("not_json", 8, None)]
    assert result.problems[0].message == "line 8: not valid JSON (Expecting value at column 1)"


def test_changed_head_file(out: Path) -> None:
    """ledger.head edited: head_mismatch naming ledger.head; the ledger itself is fine."""
    real = (out / "ledger.head").read_text().strip()
    fake = "f" * 64
    (out / "ledger.head").write_text(fake + "\n")
    result = verify_dir(out)
    assert result.problems == (
        Problem(
            ProblemCode.HEAD_MISMATCH,
            7,
            "ledger.head",
            f"ledger.head says {fake} but the ledger's last hash (line 7) is {real}",
        ),
    )


def test_missing_head_file(out: Path) -> None:
    """ledger.head deleted: head_missing."""
    (out / "ledger.head").unlink()
    assert _codes(verify_dir(out)) == [("head_missing", None, "ledger.head")]


def test_missing_and_empty_ledger(tmp_path: Path) -> None:
    """No ledger: ledger_missing naming it; an empty ledger: no_seal (truncated to nothing)."""
    result = verify_dir(tmp_path)
    assert _codes(result) == [("ledger_missing", None, "ledger.jsonl")]
    assert result.entries == 0 and result.head is None
    (tmp_path / "ledger.jsonl").write_bytes(b"")
    result = verify_dir(tmp_path)
    assert result.problems == (
        Problem(
            ProblemCode.NO_SEAL, None, None, "the ledger is empty: no entries and no seal entry — truncated?"
        ),
    )


def test_windows_line_endings(out: Path) -> None:
    """A ledger converted to CRLF fails on line 1 saying so."""
    ledger = out / "ledger.jsonl"
    ledger.write_bytes(ledger.read_bytes().replace(b"\n", b"\r\n"))
    result = verify_dir(out)
    assert result.problems[0].code is ProblemCode.MALFORMED and result.problems[0].line == 1
    assert "carriage return" in result.problems[0].message


def test_garbage_line_in_the_middle_resynchronises(out: Path) -> None:
    """A middle line replaced by non-JSON is reported once; checking resumes on the next line."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    lines[2] = b'{"seq":2, oops\n'
    write_lines(ledger, lines)
    result = verify_dir(out)
    assert _codes(result) == [("not_json", 3, None)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"\n", "empty line"),
        (b"[1,2]\n", "a JSON list, not an entry object"),
        (b'{"seq":0}\n', "members are seq; expected seq, prev, kind, data, hash in this order"),
        (b"\xff\xfe\n", "not valid UTF-8 (byte 1)"),
    ],
)
def test_layout_diagnoses(tmp_path: Path, line: bytes, reason: str) -> None:
    """Lines that are not entries get a precise reason."""
    (tmp_path / "ledger.jsonl").write_bytes(line)
    assert verify_dir(tmp_path).problems[0].message == f"line 1: {reason}"


def test_member_order_and_hex_case_matter(tmp_path: Path) -> None:
    """An entry re-serialised with another member order or uppercase hex is malformed, not silently read."""
    good, _ = entry_line(0, ZEROS, "run", "{}")
    obj = json.loads(good)
    reordered = json.dumps(
        {k: obj[k] for k in ("prev", "seq", "kind", "data", "hash")}, separators=(",", ":")
    )
    (tmp_path / "ledger.jsonl").write_bytes(reordered.encode() + b"\n")
    assert verify_dir(tmp_path).problems[0].message == (
        "line 1: members are prev, seq, kind, data, hash; expected seq, prev, kind, data, hash in this order"
    )
    upper = good.replace(obj["hash"].encode(), obj["hash"].upper().encode())
    (tmp_path / "ledger.jsonl").write_bytes(upper)
    assert verify_dir(tmp_path).problems[0].message == "line 1: hash is not 64 lowercase hexadecimal digits"


def test_first_entry_with_a_wrong_prev(tmp_path: Path) -> None:
    """Seq 0 must chain from 64 zeros."""
    line, _ = entry_line(0, "1" * 64, "run", "{}")
    (tmp_path / "ledger.jsonl").write_bytes(line)
    assert verify_dir(tmp_path).problems[0] == Problem(
        ProblemCode.PREV_MISMATCH,
        1,
        None,
        "line 1 (seq 0): prev is not the genesis value (64 zeros) — the first entry was replaced",
    )


def test_raw_data_with_a_float_or_bad_json_is_found(tmp_path: Path) -> None:
    """append_raw does not parse; verify reports a float and invalid JSON (check_data=False skips them)."""
    (tmp_path / "merit_list.csv").write_bytes(b"x\n")
    with LedgerWriter(tmp_path / "ledger.jsonl") as writer:
        writer.append("run", {})
        writer.append_raw("decision", ['{"score":61.25}', '{"a":}', '{"a":1}{"b":2}', '{"n":NaN}'])
        writer.seal(tmp_path, ["merit_list.csv"])
    result = verify_dir(tmp_path)
    assert [(p.code.value, p.line) for p in result.problems] == [
        ("float_in_data", 2),
        ("not_json", 3),
        ("not_json", 4),
        ("float_in_data", 5),
    ]
    assert result.problems[0].message == (
        "line 2 (seq 1): data holds a float 61.25 — ledger numbers are integers or decimal strings"
    )
    assert (
        result.problems[1].message
        == "line 3 (seq 2): data is not valid JSON (Expecting value at column 6 of data)"
    )
    assert verify_dir(tmp_path, check_data=False).ok


def test_malformed_seals(tmp_path: Path) -> None:
    """A correctly chained seal whose data is not the seal format is bad_seal, naming the defect."""
    cases = [
        ('{"entries":2,"files":[]}', "counts 2 entries but it is entry number 1 (seq 0)"),
        ('{"entries":1}', "must hold exactly the members entries and files"),
        (
            '{"entries":1,"files":[{"bytes":1,"name":"../x","sha256":"' + "a" * 64 + '"}]}',
            "files[0]: name '../x'",
        ),
        (
            '{"entries":1,"files":[{"bytes":1,"name":"b","sha256":"' + "a" * 64 + '"},'
            '{"bytes":1,"name":"a","sha256":"' + "a" * 64 + '"}]}',
            "files[1] (a) is not after b (names must be sorted and unique)",
        ),
    ]
    for data, reason in cases:
        line, digest = entry_line(0, ZEROS, "seal", data)
        (tmp_path / "ledger.jsonl").write_bytes(line)
        (tmp_path / "ledger.head").write_text(digest + "\n")
        result = verify_dir(tmp_path)
        assert _codes(result) == [("bad_seal", 1, None)], data
        assert result.problems[0].message.startswith(f"the seal (line 1) {reason}"), result.problems[
            0
        ].message


def test_every_single_byte_change_is_caught_on_its_line(out: Path) -> None:
    """Flipping any one bit of any byte of the ledger makes the first problem name that byte's line."""
    ledger = out / "ledger.jsonl"
    original = ledger.read_bytes()
    line_of = []
    for number, line in enumerate(original.splitlines(keepends=True), start=1):
        line_of.extend([number] * len(line))
    for pos in range(len(original)):
        changed = bytearray(original)
        changed[pos] ^= 0x01
        ledger.write_bytes(bytes(changed))
        result = verify_dir(out)
        assert not result.ok, pos
        assert result.problems[0].line == line_of[pos], (pos, result.problems[0])
    ledger.write_bytes(original)
    assert verify_dir(out).ok


def test_deleting_any_one_line_is_caught_on_that_line(out: Path) -> None:
    """Deleting line k fails on line k (seq gap), or as a missing seal when k is the last line."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    for k in range(1, len(lines) + 1):
        write_lines(ledger, lines[: k - 1] + lines[k:])
        first = verify_dir(out).problems[0]
        if k == len(lines):
            assert first.code is ProblemCode.NO_SEAL
        else:
            assert (first.code, first.line) == (ProblemCode.SEQ_MISMATCH, k)


def test_swapping_any_two_lines_is_caught_at_the_first(out: Path) -> None:
    """Swapping lines i < j fails first on line i."""
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            swapped = list(lines)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            write_lines(ledger, swapped)
            assert verify_dir(out).problems[0].line == i + 1, (i, j)


def test_problem_list_is_capped_but_counted(tmp_path: Path) -> None:
    """A file of garbage keeps the first MAX_PROBLEMS_KEPT problems and counts all of them."""
    (tmp_path / "ledger.jsonl").write_bytes(b"x\n" * (MAX_PROBLEMS_KEPT + 500))
    result = verify_dir(tmp_path)
    assert len(result.problems) == MAX_PROBLEMS_KEPT
    assert result.problem_count == MAX_PROBLEMS_KEPT + 500 + 1  # + no_seal
    with pytest.raises(IntegrityError, match=r"^line 1: not valid JSON .* \(and 1500 other problems\)$"):
        result.raise_if_failed()


def test_other_ledger_name(tmp_path: Path) -> None:
    """ledger_name picks another file; its anchor is the same name with suffix .head."""
    (tmp_path / "merit_list.csv").write_bytes(b"x\n")
    with LedgerWriter(tmp_path / "decisions.jsonl") as writer:
        writer.append("run", {})
        head = writer.seal(tmp_path, ["merit_list.csv"])
    assert (tmp_path / "decisions.head").read_text() == head + "\n"
    assert verify_dir(tmp_path, ledger_name="decisions.jsonl").ok
    assert _codes(verify_dir(tmp_path)) == [("ledger_missing", None, "ledger.jsonl")]


def test_200k_raw_entries_round_trip(tmp_path: Path) -> None:
    """200,000 append_raw entries plus run and seal verify OK with every count right."""
    (tmp_path / "merit_list.csv").write_bytes(b"application_id\n")
    with LedgerWriter(tmp_path / "ledger.jsonl") as writer:
        writer.append("run", {"campaign": "big"})
        writer.append_raw(
            "decision",
            (f'{{"application_id":"SA-{i:06d}","outcome":"eligible","rank":{i}}}' for i in range(200_000)),
        )
        head = writer.seal(tmp_path, ["merit_list.csv"])
    result = verify_dir(tmp_path)
    assert result.problems == ()
    assert (result.ok, result.entries, result.head, result.files) == (True, 200_002, head, 1)
