"""Reading entries back from a ledger (for ``shafaf explain`` and audits).

These readers do **not** verify the chain or the seal: call :func:`verify_dir` first when the answer matters.
They do refuse a line that is not a ledger entry (IntegrityError naming the file and line). Entries come back
as ``{"seq": int, "prev": str, "kind": str, "data": dict, "hash": str}``; a number with a fraction or exponent
in ``data`` (never written by :meth:`LedgerWriter.append`) is read as ``decimal.Decimal``, not as a float.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from shafaf.core.errors import IntegrityError
from shafaf.core.ledger._format import diagnose_layout, split_line

__all__ = ["find_entries", "read_entries"]

_READ_DECODER: Final = json.JSONDecoder(parse_float=Decimal)


def read_entries(path: Path, *, kind: str | None = None) -> Iterator[dict[str, Any]]:
    """Entries of the ledger at ``path`` in file order, only those of ``kind`` when given.

    The kind filter looks at the line's bytes before parsing it, so reading one kind out of millions of
    entries costs little more than reading the file; lines it skips are not checked.
    """
    ledger = Path(path)
    want = None if kind is None else kind.encode("utf-8")
    # The envelope spells the kind as below; a line without these bytes cannot be of that kind.
    marker = None if want is None else b'","kind":"' + want + b'","data":{'
    with ledger.open("rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if marker is not None and marker not in raw:
                continue
            parts = split_line(raw)
            if parts is None:
                _, reason = diagnose_layout(raw)
                raise IntegrityError(f"{ledger} line {line_no}: {reason}")
            if want is not None and parts[2] != want:
                continue
            yield _entry(ledger, line_no, parts)


def find_entries(path: Path, key: str, value: str, *, kind: str | None = None) -> list[dict[str, Any]]:
    """All entries (of ``kind`` when given) whose top-level ``data[key] == value``, in file order.

    E.g. ``find_entries(p, "application_id", "SA-2026-000123")``. Lines are pre-filtered on the bytes of
    ``"key":"value"`` as compact JSON writers (the ledger's canonical JSON, polars) spell them, and only those
    lines are parsed; a key or value with quotes, backslashes, control or non-ASCII characters (which JSON
    writers may escape differently) falls back to parsing every line.
    """
    needles = _needles(key, value)
    ledger = Path(path)
    want = None if kind is None else kind.encode("utf-8")
    found: list[dict[str, Any]] = []
    with ledger.open("rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if needles is not None and not any(n in raw for n in needles):
                continue
            parts = split_line(raw)
            if parts is None:
                _, reason = diagnose_layout(raw)
                raise IntegrityError(f"{ledger} line {line_no}: {reason}")
            if want is not None and parts[2] != want:
                continue
            entry = _entry(ledger, line_no, parts)
            data = entry["data"]
            if data.get(key) == value:
                found.append(entry)
    return found


def _needles(key: str, value: str) -> tuple[bytes, ...] | None:
    """Byte strings one of which every matching line must contain, or None when no safe pre-filter exists."""
    if not isinstance(key, str) or not isinstance(value, str):
        raise TypeError("find_entries: key and value must be strings")
    both = key + value
    if not both.isascii() or not both.isprintable() or '"' in both or "\\" in both:
        return None
    plain = f'"{key}":"{value}"'
    if "/" in both:  # some writers escape '/' as '\/'
        return plain.encode("ascii"), plain.replace("/", "\\/").encode("ascii")
    return (plain.encode("ascii"),)


def _entry(ledger: Path, line_no: int, parts: tuple[int, bytes, bytes, bytes, bytes]) -> dict[str, Any]:
    seq, prev, kind, data, digest = parts
    try:
        text = data.decode("utf-8")
        obj, end = _READ_DECODER.raw_decode(text)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise IntegrityError(f"{ledger} line {line_no}: data is not valid JSON ({exc})") from exc
    if end != len(text) or not isinstance(obj, dict):
        raise IntegrityError(f"{ledger} line {line_no}: data is not exactly one JSON object")
    return {
        "seq": seq,
        "prev": prev.decode("ascii"),
        "kind": kind.decode("ascii"),
        "data": obj,
        "hash": digest.decode("ascii"),
    }
