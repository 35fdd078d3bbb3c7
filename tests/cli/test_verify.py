"""``shafaf verify DIR``: output and exit codes (0 verified, 1 problem, 2 usage), run in-process."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from shafaf.cli.verify import verify
from tests.core.ledger.builders import build_sealed_dir, read_lines, write_lines


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(verify, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_intact_folder_prints_ok_and_exits_0(tmp_path: Path) -> None:
    """OK line with the entry count, the head and the number of matching files."""
    out = build_sealed_dir(tmp_path)
    head = (out / "ledger.head").read_text().strip()
    code, stdout, stderr = _run(str(out))
    assert (code, stdout, stderr) == (0, f"OK: 7 entries, head {head}, 3 files match\n", "")


def test_published_head_option(tmp_path: Path) -> None:
    """--head with the right hash passes (any hex case); with another hash it fails with anchor_mismatch."""
    out = build_sealed_dir(tmp_path)
    head = (out / "ledger.head").read_text().strip()
    assert _run(str(out), "--head", head.upper())[0] == 0
    code, stdout, stderr = _run(str(out), "--head", "a" * 64)
    assert code == 1 and stdout == ""
    assert stderr == (
        f"FAILED: {out}: the published head {'a' * 64} does not match the ledger's head {head} (line 7) "
        "[anchor_mismatch]\n"
    )


def test_tampered_ledger_prints_first_problem_and_count(tmp_path: Path) -> None:
    """Two swapped lines: the first problem on stderr, then how many others; exit 1."""
    out = build_sealed_dir(tmp_path)
    ledger = out / "ledger.jsonl"
    lines = read_lines(ledger)
    lines[2], lines[3] = lines[3], lines[2]
    write_lines(ledger, lines)
    code, stdout, stderr = _run(str(out))
    assert code == 1 and stdout == ""
    assert stderr == (
        f"FAILED: {out}: line 3: seq 3 follows seq 1 — entries removed or reordered [seq_mismatch]\n"
        "... and 2 other problems\n"
    )
    code, _, stderr = _run(str(out), "--all")
    assert code == 1 and stderr.count("FAILED:") == 3 and "... and" not in stderr


def test_edited_file_is_named(tmp_path: Path) -> None:
    """An edited published file is named on stderr; exit 1."""
    out = build_sealed_dir(tmp_path)
    (out / "report.html").write_bytes(b"<html></html>\n")
    code, _, stderr = _run(str(out))
    assert code == 1
    assert (
        stderr
        == f"FAILED: {out}: file report.html: 14 bytes where the seal (line 7) recorded 44 [file_changed]\n"
    )


def test_quick_skips_data_parsing_only(tmp_path: Path) -> None:
    """--quick still finds a changed line (its hash no longer matches)."""
    out = build_sealed_dir(tmp_path)
    ledger = out / "ledger.jsonl"
    ledger.write_bytes(ledger.read_bytes().replace(b'"rank":2', b'"rank":1'))
    code, _, stderr = _run(str(out), "--quick")
    assert code == 1 and "line 3 (seq 2): hash does not match its contents" in stderr


def test_folder_without_ledger_exits_1(tmp_path: Path) -> None:
    """An existing folder without a ledger is a verification failure, not a usage error."""
    code, _, stderr = _run(str(tmp_path))
    assert code == 1 and "ledger.jsonl is missing [ledger_missing]" in stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    """A missing folder, a file instead of a folder, a malformed --head or no argument: exit 2."""
    (tmp_path / "f.txt").write_text("x")
    assert _run(str(tmp_path / "nope"))[0] == 2
    assert _run(str(tmp_path / "f.txt"))[0] == 2
    code, _, stderr = _run(str(tmp_path), "--head", "xyz")
    assert code == 2 and "expected 64 hexadecimal digits" in stderr
    assert _run()[0] == 2
