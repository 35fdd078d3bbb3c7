"""Test helpers: a small sealed output folder, and an independent implementation of the line format.

``entry_line`` is written from the format's definition (docs/ledger.md), not from the writer's code, so tests
that compare the writer's bytes with it check the writer against the specification; tamper tests use it to
forge correctly chained lines the way an attacker would.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from shafaf.core.ledger import LedgerWriter

ZEROS = "0" * 64

RUN: dict[str, object] = {"campaign": "BPSC-2026-01", "policy": "bal-2025.1"}
DECISIONS: list[dict[str, object]] = [
    {"application_id": "SA-2026-000001", "merit": "71.25", "outcome": "selected", "rank": 1},
    {"application_id": "SA-2026-000002", "merit": "70.50", "outcome": "selected", "rank": 2},
    {"application_id": "SA-2026-000003", "merit": "69.00", "outcome": "waiting", "rank": 3},
    {"application_id": "SA-2026-000004", "merit": "66.75", "outcome": "waiting", "rank": 4},
    {"application_id": "SA-2026-000005", "merit": "0", "outcome": "ineligible", "rule": "age_limit"},
]
FILES = {
    "merit_list.csv": b"application_id,rank\nSA-2026-000001,1\nSA-2026-000002,2\n",
    "waiting_list.csv": b"application_id,rank\nSA-2026-000003,1\nSA-2026-000004,2\n",
    "report.html": "<html><body><h1>شفاف</h1></body></html>\n".encode(),
}
SEAL_LINE = 7  # line 1 run, lines 2-6 decisions, line 7 seal


def build_sealed_dir(root: Path) -> Path:
    """``root/out`` with three published files and a 7-line sealed ledger (see SEAL_LINE)."""
    out = root / "out"
    out.mkdir()
    for name, content in FILES.items():
        (out / name).write_bytes(content)
    with LedgerWriter(out / "ledger.jsonl") as writer:
        writer.append("run", RUN)
        for decision in DECISIONS:
            writer.append("decision", decision)
        writer.seal(out, sorted(FILES))
    return out


def entry_line(seq: int, prev: str, kind: str, data_text: str) -> tuple[bytes, str]:
    """One ledger line (bytes, newline included) and its hash, straight from the format's definition."""
    body = (
        '{"seq":' + str(seq) + ',"prev":"' + prev + '","kind":"' + kind + '","data":' + data_text + "}"
    ).encode()
    digest = hashlib.sha256(body).hexdigest()
    return body[:-1] + b',"hash":"' + digest.encode() + b'"}\n', digest


def read_lines(ledger: Path) -> list[bytes]:
    """The ledger's lines with their newlines."""
    return ledger.read_bytes().splitlines(keepends=True)


def write_lines(ledger: Path, lines: list[bytes]) -> None:
    ledger.write_bytes(b"".join(lines))
