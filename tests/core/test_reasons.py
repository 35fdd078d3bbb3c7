"""Reason: a frozen record of code, parameters and sentences, serialised in a fixed key order."""

from __future__ import annotations

import pytest

from shafaf.core.reasons import Reason


def test_params_are_frozen_and_copied() -> None:
    """Changing the dict a reason was built from does not change it; its params are read-only."""
    params: dict[str, str | int | bool | None] = {"b": 2, "a": "x"}
    r = Reason("CODE", params, "text")
    params["b"] = 3
    assert r.params["b"] == 2
    with pytest.raises(TypeError):
        r.params["a"] = "y"  # type: ignore[index]


def test_as_dict_sorts_params_and_keeps_urdu() -> None:
    """as_dict/to_dict give code, params sorted by key, and both sentences."""
    r = Reason(code="SEATS", params={"z": None, "a": True}, text_en="en", text_ur="اردو")
    assert r.as_dict() == {
        "code": "SEATS",
        "params": {"a": True, "z": None},
        "text_en": "en",
        "text_ur": "اردو",
    }
    assert list(r.to_dict()["params"]) == ["a", "z"]  # type: ignore[call-overload]


def test_equal_reasons_hash_equal() -> None:
    """Reasons with the same content are equal and hash alike (usable in sets)."""
    a = Reason("C", {"x": 1, "y": "2"}, "t")
    b = Reason("C", {"y": "2", "x": 1}, "t")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
