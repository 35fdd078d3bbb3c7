"""The byte layout of one ledger line, shared by the writer, the verifier and the reader (private).

A line is ``{"seq":N,"prev":"<64 hex>","kind":"<kind>","data":{...},"hash":"<64 hex>"}\\n`` and its
*body* is the same bytes without the hash member: ``{"seq":N,"prev":"...","kind":"...","data":{...}}``.
``hash`` is the lowercase hex SHA-256 of the body's UTF-8 bytes. The hash member has a fixed length, so the
body is recovered by slicing: ``body = line[:-TAIL_LEN] + b"}"`` where the tail is ``,"hash":"<64 hex>"}\\n``.
Parsing a line is a prefix match (up to ``"data":{``) plus fixed-position checks of the tail: a regular
expression over the whole line costs three times as much (backtracking over ``data``).
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

GENESIS_PREV: Final = "0" * 64
HASH_MEMBER: Final = ',"hash":"'
TAIL_LEN: Final = len(HASH_MEMBER) + 64 + len('"}\n')  # 76 bytes
SEAL_KIND: Final = "seal"
KIND_PATTERN: Final = r"[a-z][a-z0-9_.\-]{0,63}"
KIND_RE: Final = re.compile(KIND_PATTERN)

# Everything before data: seq (no leading zeros), prev (any 64 bytes but a newline: the verifier compares it
# with the previous line's hash, which is hex, or checks it with HEX64), kind, and data's opening brace.
PREFIX_RE: Final = re.compile(
    rb'\{"seq":(0|[1-9][0-9]{0,18}),"prev":"(.{64})","kind":"(' + KIND_PATTERN.encode() + rb')","data":\{'
)
HASH_KEY: Final = HASH_MEMBER.encode("ascii")
LINE_END: Final = b'"}\n'
HEX64_RE: Final = re.compile(r"[0-9a-f]{64}")
HEX64_BYTES_RE: Final = re.compile(rb"[0-9a-f]{64}")
ENVELOPE_KEYS: Final = ("seq", "prev", "kind", "data", "hash")


class FloatInData(ValueError):
    """Raised from the JSON parser when the data holds a float or a non-standard constant."""


def _refuse_float(text: str) -> Any:
    raise FloatInData(f"float {text}")


def _refuse_constant(text: str) -> Any:
    raise FloatInData(f"non-standard constant {text}")


DATA_DECODER: Final = json.JSONDecoder(parse_float=_refuse_float, parse_constant=_refuse_constant)


def split_line(raw: bytes) -> tuple[int, bytes, bytes, bytes, bytes] | None:
    """``(seq, prev, kind, data, hash)`` of a line in the ledger layout (hex checked), else None.

    ``data`` is the raw bytes of the data object (from ``{`` to its ``}``), not yet parsed.
    """
    m = PREFIX_RE.match(raw)
    n = len(raw)
    if m is None or m.end() > n - TAIL_LEN - 1 or raw[n - TAIL_LEN - 1] != 0x7D:  # 0x7D = "}"
        return None
    if raw[n - TAIL_LEN : n - TAIL_LEN + 9] != HASH_KEY or raw[n - 3 :] != LINE_END:
        return None
    prev = m.group(2)
    stored = raw[n - 67 : n - 3]
    if HEX64_BYTES_RE.fullmatch(prev) is None or HEX64_BYTES_RE.fullmatch(stored) is None:
        return None
    return int(m.group(1)), prev, m.group(3), raw[m.end() - 1 : n - TAIL_LEN], stored


def diagnose_layout(raw: bytes) -> tuple[str, str]:
    """Why a line does not match the layout: ``("not_json", reason)`` or ``("malformed", reason)``."""
    text_bytes = raw[:-1] if raw.endswith(b"\n") else raw
    if not text_bytes.strip():
        return "malformed", "empty line"
    try:
        text = text_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "not_json", f"not valid UTF-8 (byte {exc.start + 1})"
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return "not_json", f"not valid JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:
        return "not_json", "not valid JSON (nested too deeply)"
    if not isinstance(obj, dict):
        return "malformed", f"a JSON {type(obj).__name__}, not an entry object"
    keys = tuple(obj)
    if keys != ENVELOPE_KEYS:
        return (
            "malformed",
            f"members are {', '.join(keys) or '(none)'}; expected seq, prev, kind, data, hash in this order",
        )
    seq, prev, kind, data, hsh = (obj[k] for k in ENVELOPE_KEYS)
    if type(seq) is not int or seq < 0:
        return "malformed", f"seq {seq!r} is not a non-negative integer"
    for name, value in (("prev", prev), ("hash", hsh)):
        if not isinstance(value, str) or HEX64_RE.fullmatch(value) is None:
            return "malformed", f"{name} is not 64 lowercase hexadecimal digits"
    if not isinstance(kind, str) or KIND_RE.fullmatch(kind) is None:
        return "malformed", f"kind {kind!r} does not match {KIND_PATTERN}"
    if not isinstance(data, dict):
        return "malformed", "data is not a JSON object"
    if text.endswith("\r"):
        return "malformed", "ends with a carriage return (Windows line ending) — the file was rewritten"
    if not raw.endswith(b"\n"):
        return "malformed", "no newline at the end — the ledger was cut short"
    return "malformed", "not in the compact layout the ledger writes (spaces or escapes in the envelope)"


def seal_name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a sealed file name (a relative POSIX path inside the output folder), or None."""
    if not isinstance(name, str) or not name:
        return f"{name!r} is not a non-empty string"
    if name.startswith("/") or "\\" in name or any(ord(ch) < 0x20 or ch == "\x7f" for ch in name):
        return f"{name!r} is not a relative POSIX path (no leading '/', backslash or control character)"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return f"{name!r} has an empty, '.' or '..' component"
    return None
