"""Canonical JSON of ledger data: sorted keys, compact, UTF-8 kept, no floats or foreign types."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from enum import IntEnum, StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shafaf.core.ledger import canonical_json


class Outcome(StrEnum):
    SELECTED = "selected"


class Quota(IntEnum):
    OPEN = 7


def test_worked_example() -> None:
    """Nested keys are sorted at every level, tuples become arrays, Urdu stays unescaped, no spaces."""
    data = {
        "z": (1, 2),
        "name": "محمد",
        "a": {"y": None, "b": True},
        "outcome": Outcome.SELECTED,
        "q": Quota.OPEN,
    }
    assert (
        canonical_json(data) == '{"a":{"b":true,"y":null},"name":"محمد","outcome":"selected","q":7,"z":[1,2]}'
    )


def test_escapes_are_jsons_own() -> None:
    """Quotes, backslashes, newlines and control characters are escaped so a line never breaks."""
    assert canonical_json({"t": 'a"b\\c\nd\x01'}) == '{"t":"a\\"b\\\\c\\nd\\u0001"}'


def test_any_mapping_is_accepted() -> None:
    """A read-only mapping is written like the dict it holds."""
    assert canonical_json(MappingProxyType({"b": 1, "a": 2})) == '{"a":2,"b":1}'


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"score": 0.5}, r"data\['score'\]: float 0.5"),
        ({"a": [{"b": float("nan")}]}, r"data\['a'\]\[0\]\['b'\]: float nan"),
        ({"a": (1, 2.0)}, r"data\['a'\]\[1\]: float 2.0"),
    ],
)
def test_floats_are_refused_naming_where(data: Mapping[str, object], where: str) -> None:
    """A binary float anywhere raises TypeError naming its place and the exact alternative."""
    with pytest.raises(TypeError, match=where + ".*decimal strings"):
        canonical_json(data)


@pytest.mark.parametrize("value", [Decimal("61.25"), Fraction(1, 3), {1, 2}, b"x", object()])
def test_foreign_types_are_refused(value: object) -> None:
    """Decimal, Fraction, sets, bytes and other objects must be converted by the caller (TypeError)."""
    with pytest.raises(TypeError, match=r"data\['v'\]: .* convert it explicitly"):
        canonical_json({"v": value})


def test_non_string_keys_and_non_mapping_data_are_refused() -> None:
    """Keys must be str (json would silently turn 1 into "1"); data itself must be a mapping."""
    with pytest.raises(TypeError, match=r"key 1 is a int"):
        canonical_json({"a": {1: "x"}})
    with pytest.raises(TypeError, match="must be a mapping"):
        canonical_json([1, 2])  # type: ignore[arg-type]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_form_round_trips_and_equals_sorted_compact_dumps(data: dict[str, Any]) -> None:
    """For any float-free JSON data: the text parses back equal and equals sorted compact json.dumps."""
    text = canonical_json(data)
    assert json.loads(text) == data
    assert text == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert "\n" not in text and "\r" not in text
