"""The JSON-ready report: its exact shape, Python types, ordering and the optional reasons."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest

from shafaf.core.fairness import audit

from .helpers import as_json, counts_frame


def test_to_dict_shape_worked_example() -> None:
    """M 12/25 and F 3/20 plus 5 unknown rows (1 selected): the whole report written out.

    Known: 45 rows, 15 selected (rate 1/3). F: rate 0.15, IR 0.15/0.48 = 0.3125, flagged (5·3·25 = 375 <
    4·12·20 = 960), 5 more to clear, shortfall 20/3 − 3 = 11/3, Fisher p 0.0273945, z p 0.0196244.
    Small sample: F n 20 < 30; M n 25 < 30.
    """
    frame = counts_frame({"M": (25, 12), "F": (20, 3), None: (5, 1)})
    d = as_json(audit(frame, attributes=["g"], selected="sel"))
    f = d["families"]["g"]["categories"]["F"]
    assert f["fisher_p"] == pytest.approx(0.0273945307, rel=1e-7)
    assert f["z_p"] == pytest.approx(0.0196244150, rel=1e-7)
    assert f["shortfall"] == pytest.approx(11 / 3, rel=1e-12)
    f["fisher_p"] = f["z_p"] = f["shortfall"] = "checked"
    assert d == {
        "method": "selection",
        "n_rows": 50,
        "not_scored": 0,
        "median": None,
        "exclude_small": False,
        "families": {
            "g": {
                "attributes": ["g"],
                "unknown_count": 5,
                "reference": "M",
                "categories": {
                    "F": {
                        "n": 20,
                        "positives": 3,
                        "rate": 0.15,
                        "impact_ratio": 0.3125,
                        "four_fifths_flag": True,
                        "fisher_p": "checked",
                        "z_p": "checked",
                        "excluded": False,
                        "small_sample": True,
                        "shortfall": "checked",
                        "selections_to_clear": 5,
                        "one_or_two_more_clear": False,
                    },
                    "M": {
                        "n": 25,
                        "positives": 12,
                        "rate": 0.48,
                        "impact_ratio": 1.0,
                        "four_fifths_flag": False,
                        "fisher_p": None,
                        "z_p": None,
                        "excluded": False,
                        "small_sample": True,
                        "shortfall": pytest.approx(-11 / 3, rel=1e-12),
                        "selections_to_clear": None,
                        "one_or_two_more_clear": False,
                    },
                },
            }
        },
    }


def test_values_are_plain_python_types() -> None:
    """Every number is a Python int or float (no numpy scalars), so json.dumps works without a default."""
    frame = counts_frame({"M": (25, 12), "F": (20, 3)})
    d = audit(frame, attributes=["g"], selected="sel").to_dict()
    cats: Any = d["families"]
    cats = cats["g"]["categories"]
    for values in cats.values():
        for key in ("rate", "impact_ratio", "shortfall"):
            assert type(values[key]) is float
        assert type(values["n"]) is int and type(values["positives"]) is int
    assert type(cats["F"]["fisher_p"]) is float and type(cats["F"]["z_p"]) is float
    json.dumps(d, allow_nan=False)


def test_categories_sorted_by_label_in_json() -> None:
    """Categories appear sorted by label whatever the row order: "A", "B", "a", "Ø" (code-point order)."""
    frame = pl.DataFrame({"g": ["a", "Ø", "B", "A"], "sel": [1, 1, 1, 1]})
    d = as_json(audit(frame, attributes=["g"], selected="sel"))
    assert list(d["families"]["g"]["categories"]) == ["A", "B", "a", "Ø"]


def test_reasons_are_optional_and_coded() -> None:
    """to_dict(reasons=True) adds code/params/text to families and categories; the default shape has none."""
    frame = counts_frame({"A": (10, 5), "B": (4, 3)})
    report = audit(frame, attributes=["g"], selected="sel")
    assert "reasons" not in as_json(report)["families"]["g"]
    family = as_json(report, reasons=True)["families"]["g"]
    assert [r["code"] for r in family["reasons"]] == ["reference"]
    a_reasons = family["categories"]["A"]["reasons"]
    assert [r["code"] for r in a_reasons] == ["small_sample", "four_fifths_flag"]
    assert a_reasons[1]["params"] == {"impact_ratio": "2/3", "lhs": 100, "rhs": 120, "selections_to_clear": 1}
    assert a_reasons[1]["text"].startswith("Impact ratio 2/3 is below 4/5 (5·5·4 = 100 < 4·3·10 = 120;")
