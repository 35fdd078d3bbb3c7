"""``verify_dir``: checks a published output folder against its hash-chained ledger.

Checks, in this order (one problem per ledger line; the first problem is the one to read):

1. the ledger file exists and can be read (``ledger_missing``, ``ledger_unreadable``);
2. every line, in file order: layout (``not_json``, ``malformed``), its own hash (``hash_mismatch``), its
   seq follows the line before (``seq_mismatch``), its prev is the hash of the line before
   (``prev_mismatch``), its data is one JSON object without floats (``not_json``, ``float_in_data``), and it
   does not come after the seal (``after_seal``). After a problem the check resynchronises on the line that
   has it, so one deleted line gives one problem, not one per following line;
3. the ledger ends with a ``seal`` entry (``no_seal``) whose data is well formed (``bad_seal``);
4. every sealed file exists (``file_missing``) with the sealed size and SHA-256 (``file_changed``);
5. ``ledger.head`` holds the last entry's hash (``head_missing``, ``head_mismatch``), and, when the caller
   passes a head published elsewhere, that one too (``anchor_mismatch``).

Line numbers are 1-based and count every ``\\n``-terminated line of the ledger file; ``seq`` is the entry's
own number (line - 1 in an intact ledger).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, Final

from shafaf.core.errors import IntegrityError
from shafaf.core.ledger._format import (
    DATA_DECODER,
    GENESIS_PREV,
    HASH_KEY,
    HEX64_BYTES_RE,
    HEX64_RE,
    LINE_END,
    PREFIX_RE,
    SEAL_KIND,
    TAIL_LEN,
    FloatInData,
    diagnose_layout,
    seal_name_problem,
)

__all__ = ["Problem", "ProblemCode", "VerifyResult", "verify_dir"]

MAX_PROBLEMS_KEPT: Final = 1000  # beyond this only the count grows (a wrong file could give millions)
_SEAL_KIND_BYTES: Final = SEAL_KIND.encode("ascii")
_GENESIS_BYTES: Final = GENESIS_PREV.encode("ascii")
_HASH_KEY: Final = HASH_KEY
_LINE_END: Final = LINE_END
assert TAIL_LEN == 76  # the hot loop below spells the tail's offsets out (76, 67, 3) for speed


class ProblemCode(StrEnum):
    """Stable codes of verification problems (documented in docs/ledger.md)."""

    LEDGER_MISSING = "ledger_missing"
    LEDGER_UNREADABLE = "ledger_unreadable"
    NOT_JSON = "not_json"
    MALFORMED = "malformed"
    HASH_MISMATCH = "hash_mismatch"
    SEQ_MISMATCH = "seq_mismatch"
    PREV_MISMATCH = "prev_mismatch"
    FLOAT_IN_DATA = "float_in_data"
    AFTER_SEAL = "after_seal"
    NO_SEAL = "no_seal"
    BAD_SEAL = "bad_seal"
    FILE_MISSING = "file_missing"
    FILE_CHANGED = "file_changed"
    HEAD_MISSING = "head_missing"
    HEAD_MISMATCH = "head_mismatch"
    ANCHOR_MISMATCH = "anchor_mismatch"


@dataclass(frozen=True, slots=True)
class Problem:
    """One verification failure.

    ``line`` is always a line of the ledger (for a file problem: the seal's line); ``file`` names a published
    file or the head file the problem is about, or is None for problems inside the ledger itself.
    """

    code: ProblemCode
    line: int | None
    file: str | None
    message: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of :func:`verify_dir`. ``ok`` ⇔ no problem at all.

    ``entries``: lines read from the ledger; ``head``: hash stored on its last line (None if unreadable);
    ``files``: sealed files that matched; ``problems``: the first ``MAX_PROBLEMS_KEPT`` problems in check
    order; ``problem_count``: how many there were in all.
    """

    ok: bool
    entries: int
    head: str | None
    problems: tuple[Problem, ...]
    files: int = 0
    problem_count: int = 0

    def raise_if_failed(self) -> None:
        """Raise IntegrityError with the first problem (and how many others) unless ``ok``."""
        if self.ok:
            return
        first = self.problems[0].message
        others = self.problem_count - 1
        suffix = f" (and {others} other problem{'s' if others != 1 else ''})" if others else ""
        raise IntegrityError(first + suffix)


@dataclass(slots=True)
class _Collector:
    kept: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(
        self, code: ProblemCode, message: str, *, line: int | None = None, file: str | None = None
    ) -> None:
        self.count += 1
        if len(self.kept) < MAX_PROBLEMS_KEPT:
            self.kept.append(Problem(code=code, line=line, file=file, message=message))


@dataclass(frozen=True, slots=True)
class _Scan:
    lines: int
    head: str | None
    seal_line: int | None
    seal_seq: int
    seal_data: bytes


def verify_dir(
    out_dir: Path,
    *,
    ledger_name: str = "ledger.jsonl",
    expected_head: str | None = None,
    check_data: bool = True,
) -> VerifyResult:
    """Verify ``out_dir/ledger_name``, the files its seal lists, and ``ledger.head`` (suffix ``.head``).

    ``expected_head`` is a head hash published elsewhere (newspaper, job board); when given it must equal the
    ledger's last hash. ``check_data=False`` skips parsing each entry's data object (about half the time on
    large ledgers); every hash, the chain, the seal, the files and the head are still checked, so any
    change, removal or reordering is still found. Never raises for a bad ledger: every finding is a
    :class:`Problem`.
    """
    out = Path(out_dir)
    ledger = out / ledger_name
    sink = _Collector()
    try:
        fh = ledger.open("rb", buffering=1 << 20)
    except FileNotFoundError:
        sink.add(ProblemCode.LEDGER_MISSING, f"the ledger {ledger} is missing", file=ledger_name)
        return _result(sink, lines=0, head=None, files=0)
    except OSError as exc:
        sink.add(
            ProblemCode.LEDGER_UNREADABLE, f"the ledger {ledger} cannot be read: {exc}", file=ledger_name
        )
        return _result(sink, lines=0, head=None, files=0)
    with fh:
        scan = _scan_lines(fh, sink, check_data=check_data)

    files_ok = 0
    if scan.lines == 0:
        sink.add(ProblemCode.NO_SEAL, "the ledger is empty: no entries and no seal entry — truncated?")
    elif scan.seal_line is None:
        sink.add(
            ProblemCode.NO_SEAL, f"the ledger has no seal entry — truncated? (it ends at line {scan.lines})"
        )
    else:
        files_ok = _check_seal(out, scan, sink)

    head_path = ledger.with_suffix(".head")
    if scan.head is not None:
        _check_head(head_path, scan, sink)
        if expected_head is not None and expected_head.strip().lower() != scan.head:
            sink.add(
                ProblemCode.ANCHOR_MISMATCH,
                f"the published head {expected_head.strip()} does not match the ledger's head {scan.head} "
                f"(line {scan.lines})",
                line=scan.lines,
            )
    elif expected_head is not None and scan.lines > 0:
        sink.add(
            ProblemCode.ANCHOR_MISMATCH,
            f"the published head cannot be compared: the last line ({scan.lines}) has no readable hash",
            line=scan.lines,
        )
    return _result(sink, lines=scan.lines, head=scan.head, files=files_ok)


def _result(sink: _Collector, *, lines: int, head: str | None, files: int) -> VerifyResult:
    return VerifyResult(
        ok=sink.count == 0,
        entries=lines,
        head=head,
        problems=tuple(sink.kept),
        files=files,
        problem_count=sink.count,
    )


def _scan_lines(fh: BinaryIO, sink: _Collector, *, check_data: bool) -> _Scan:
    """Step 2: every line's layout, hash, chain and data; finds the seal. The hot loop for 10^6 lines."""
    prefix_match = PREFIX_RE.match
    hex64 = HEX64_BYTES_RE.fullmatch
    sha256 = hashlib.sha256
    raw_decode = DATA_DECODER.raw_decode
    add = sink.add
    expect_seq: int | None = 0
    expect_prev: bytes | None = _GENESIS_BYTES
    head: bytes | None = None
    seal_line: int | None = None
    seal_seq = -1
    seal_data = b""
    line_no = 0
    for raw in fh:
        line_no += 1
        n = len(raw)
        m = prefix_match(raw)
        if (
            m is None
            or m.end() > n - 77
            or raw[n - 77] != 0x7D  # "}" closing data
            or raw[n - 76 : n - 67] != _HASH_KEY
            or raw[n - 3 :] != _LINE_END
        ):
            code, reason = diagnose_layout(raw)
            add(ProblemCode(code), f"line {line_no}: {reason}", line=line_no)
            expect_seq = expect_prev = head = None
            continue
        stored = raw[n - 67 : n - 3]
        seq = int(m.group(1))
        prev = m.group(2)
        if sha256(raw[: n - 76] + b"}").hexdigest().encode("ascii") != stored:
            if hex64(stored) is None:
                add(
                    ProblemCode.MALFORMED,
                    f"line {line_no}: hash is not 64 lowercase hexadecimal digits",
                    line=line_no,
                )
                expect_seq = expect_prev = head = None
                continue
            add(
                ProblemCode.HASH_MISMATCH,
                f"line {line_no} (seq {seq}): hash does not match its contents — the entry was changed",
                line=line_no,
            )
        elif expect_seq is not None and seq != expect_seq:
            if expect_seq == 0:
                msg = (
                    f"line {line_no}: seq {seq} where the ledger starts at seq 0 — entries removed "
                    "or reordered"
                )
            else:
                msg = f"line {line_no}: seq {seq} follows seq {expect_seq - 1} — entries removed or reordered"
            add(ProblemCode.SEQ_MISMATCH, msg, line=line_no)
        elif expect_prev is not None and prev != expect_prev:
            if expect_prev == _GENESIS_BYTES:
                msg = (
                    f"line {line_no} (seq {seq}): prev is not the genesis value (64 zeros) — "
                    "the first entry was replaced"
                )
            else:
                msg = (
                    f"line {line_no}: prev does not match the hash of line {line_no - 1} — entries removed "
                    f"or reordered (or line {line_no - 1} was rewritten)"
                )
            add(ProblemCode.PREV_MISMATCH, msg, line=line_no)
        elif expect_prev is None and hex64(prev) is None:
            add(
                ProblemCode.MALFORMED,
                f"line {line_no}: prev is not 64 lowercase hexadecimal digits",
                line=line_no,
            )
        else:
            problem = _data_problem(raw_decode, raw[m.end() - 1 : n - 76]) if check_data else None
            if problem is not None:
                code, reason = problem
                add(code, f"line {line_no} (seq {seq}): {reason}", line=line_no)
            elif seal_line is not None:
                add(
                    ProblemCode.AFTER_SEAL,
                    f"line {line_no} (seq {seq}): entry after the seal (line {seal_line}) — the ledger was "
                    "extended after it was sealed",
                    line=line_no,
                )
        if seal_line is None and m.group(3) == _SEAL_KIND_BYTES:
            seal_line = line_no
            seal_seq = seq
            seal_data = raw[m.end() - 1 : n - 76]
        head = stored
        expect_seq = seq + 1
        expect_prev = stored
    return _Scan(
        lines=line_no,
        head=None if head is None else head.decode("ascii"),
        seal_line=seal_line,
        seal_seq=seal_seq,
        seal_data=seal_data,
    )


def _data_problem(raw_decode: Any, data: bytes) -> tuple[ProblemCode, str] | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ProblemCode.NOT_JSON, f"data is not valid UTF-8 (byte {exc.start + 1} of data)"
    try:
        obj, end = raw_decode(text)
    except FloatInData as exc:
        return (
            ProblemCode.FLOAT_IN_DATA,
            f"data holds a {exc} — ledger numbers are integers or decimal strings",
        )
    except json.JSONDecodeError as exc:
        return ProblemCode.NOT_JSON, f"data is not valid JSON ({exc.msg} at column {exc.colno} of data)"
    except RecursionError:
        return ProblemCode.NOT_JSON, "data is not valid JSON (nested too deeply)"
    if end != len(text) or not isinstance(obj, dict):
        return ProblemCode.NOT_JSON, "data is not exactly one JSON object"
    return None


def _check_seal(out: Path, scan: _Scan, sink: _Collector) -> int:
    """Steps 3–4: the seal's own form, then each sealed file. Returns the number of files that match."""
    line = scan.seal_line
    assert line is not None
    try:
        data: Any = json.loads(scan.seal_data)
    except (ValueError, RecursionError):
        sink.add(ProblemCode.BAD_SEAL, f"the seal (line {line}) does not hold a JSON object", line=line)
        return 0
    shape = _seal_shape_problem(data, scan.seal_seq)
    if shape is not None:
        sink.add(ProblemCode.BAD_SEAL, f"the seal (line {line}) {shape}", line=line)
        return 0
    matched = 0
    for record in data["files"]:
        name: str = record["name"]
        path = out / name
        if not path.is_file():
            sink.add(
                ProblemCode.FILE_MISSING,
                f"file {name} listed in the seal (line {line}) is missing",
                line=line,
                file=name,
            )
            continue
        try:
            with path.open("rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
                size = fh.tell()
        except OSError as exc:
            sink.add(
                ProblemCode.FILE_MISSING,
                f"file {name} listed in the seal (line {line}) cannot be read: {exc}",
                line=line,
                file=name,
            )
            continue
        if size != record["bytes"]:
            sink.add(
                ProblemCode.FILE_CHANGED,
                f"file {name}: {size} bytes where the seal (line {line}) recorded {record['bytes']}",
                line=line,
                file=name,
            )
        elif digest != record["sha256"]:
            sink.add(
                ProblemCode.FILE_CHANGED,
                f"file {name}: sha256 differs from the seal (line {line})",
                line=line,
                file=name,
            )
        else:
            matched += 1
    return matched


def _seal_shape_problem(data: Any, seal_seq: int) -> str | None:
    """Why the seal's data is not ``{"entries":seq+1,"files":[{"bytes","name","sha256"},...]}``, or None."""
    if not isinstance(data, dict) or set(data) != {"entries", "files"}:
        return "must hold exactly the members entries and files"
    entries = data["entries"]
    if type(entries) is not int or entries != seal_seq + 1:
        return f"counts {entries!r} entries but it is entry number {seal_seq + 1} (seq {seal_seq})"
    files = data["files"]
    if not isinstance(files, list):
        return "files is not a list"
    previous: str | None = None
    for i, record in enumerate(files):
        if not isinstance(record, dict) or set(record) != {"bytes", "name", "sha256"}:
            return f"files[{i}] must hold exactly bytes, name and sha256"
        name, size, digest = record["name"], record["bytes"], record["sha256"]
        problem = seal_name_problem(name)
        if problem is not None:
            return f"files[{i}]: name {problem}"
        if type(size) is not int or size < 0:
            return f"files[{i}] ({name}): bytes {size!r} is not a non-negative integer"
        if not isinstance(digest, str) or HEX64_RE.fullmatch(digest) is None:
            return f"files[{i}] ({name}): sha256 is not 64 lowercase hexadecimal digits"
        if previous is not None and name <= previous:
            return f"files[{i}] ({name}) is not after {previous} (names must be sorted and unique)"
        previous = name
    return None


def _check_head(head_path: Path, scan: _Scan, sink: _Collector) -> None:
    try:
        text = head_path.read_bytes().decode("ascii")
    except FileNotFoundError:
        sink.add(
            ProblemCode.HEAD_MISSING,
            f"{head_path.name} is missing (it should hold the last hash {scan.head})",
            file=head_path.name,
        )
        return
    except (OSError, UnicodeDecodeError) as exc:
        sink.add(ProblemCode.HEAD_MISMATCH, f"{head_path.name} cannot be read: {exc}", file=head_path.name)
        return
    stated = text.strip()
    if stated != scan.head:
        shown = stated[:64] if stated else "nothing"
        sink.add(
            ProblemCode.HEAD_MISMATCH,
            f"{head_path.name} says {shown} but the ledger's last hash (line {scan.lines}) is {scan.head}",
            line=scan.lines,
            file=head_path.name,
        )
