"""Canonical JSON for ledger data: the one byte form that :meth:`LedgerWriter.append` hashes.

``canonical_json(data)`` = ``json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``
after a type check. Allowed values: ``str``, ``int`` (``bool`` included), ``None``, mappings with ``str``
keys, lists and tuples (written as arrays). **Binary floats are refused** (``TypeError``): a score, a
percentage or a threshold goes into the ledger as an exact decimal string (``str(Decimal("61.25"))``) or an
integer, so that the log never holds a number whose text depends on float formatting. Other types
(``Decimal``, ``Fraction``, dates, numpy scalars, sets) are refused too, naming where they sit, so the caller
converts them explicitly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["canonical_json"]

_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(data: Mapping[str, object]) -> str:
    """The canonical JSON text of a data object (keys sorted, no spaces, UTF-8 characters kept as they are).

    Raises ``TypeError`` naming the offending place (``data['marks'][2]``) for a float, a non-string key or
    any type outside str/int/bool/None/mapping/list/tuple.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"ledger data must be a mapping of str to JSON values, not {type(data).__name__}")
    return _ENCODER.encode(_plain(data, "data"))


def _plain(value: object, where: str) -> Any:
    """A copy of ``value`` made only of dict/list/str/int/bool/None, or TypeError naming ``where``."""
    if isinstance(value, str | bool | int) or value is None:
        # bool, int subclasses (IntEnum) and str subclasses (StrEnum) are written by json as plain values.
        return value
    if isinstance(value, float):
        raise TypeError(
            f"{where}: float {value!r} is not allowed in the ledger; write exact numbers as integers or as "
            "decimal strings (str(Decimal(...)))"
        )
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(
                    f"{where}: key {key!r} is a {type(key).__name__}; ledger keys must be strings"
                )
            out[key] = _plain(item, f"{where}[{key!r}]")
        return out
    if isinstance(value, list | tuple):
        return [_plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise TypeError(
        f"{where}: {type(value).__name__} {value!r} is not a JSON value the ledger accepts "
        "(str, int, bool, None, mapping, list); convert it explicitly"
    )
