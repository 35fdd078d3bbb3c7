"""Reading the three documents: missing or mistyped fields, unmasked CNICs and ratios that disagree with their
counts are refused with a message naming the document and the field."""

from __future__ import annotations

from typing import Any

import pytest

from shafaf.core.errors import InputError
from shafaf.core.publish.report import render_report
from tests.core.publish.helpers import small_docs


def _fails(match: str, summary: Any = None, seats: Any = None, fairness: Any = None) -> InputError:
    s, se, f = small_docs()
    with pytest.raises(InputError, match=match) as info:
        render_report(
            summary=s if summary is None else summary,
            seats=se if seats is None else seats,
            fairness=f if fairness is None else fairness,
        )
    return info.value


def test_missing_field_names_its_path() -> None:
    """A summary without campaign.department: "summary: campaign.department: missing"."""
    s, _, _ = small_docs()
    del s["campaign"]["department"]
    err = _fails(r"^summary: campaign\.department: missing; expected a field 'department'$", summary=s)
    assert err.source == "summary"


def test_wrong_types_are_refused() -> None:
    """A rank given as text, a count given as true, seats given as -1 and a post title given as a number."""
    s, _, _ = small_docs()
    s["posts"][0]["top"][1]["rank"] = "2"
    _fails(r"^summary: posts\[0\]\.top\[1\]\.rank: expected a whole number ≥ 0, got str '2'$", summary=s)
    s, _, _ = small_docs()
    s["counts"]["accepted"] = True
    _fails(r"^summary: counts\.accepted: expected a whole number ≥ 0, got bool True$", summary=s)
    _, se, _ = small_docs()
    se["posts"][1]["slots"][0]["seats"] = -1
    _fails(r"^seats: posts\[1\]\.slots\[0\]\.seats: expected a whole number ≥ 0, got int -1$", seats=se)
    _, se, _ = small_docs()
    se["posts"][0]["title"] = 7
    _fails(r"^seats: posts\[0\]\.title: expected text, got int 7$", seats=se)


def test_unknown_choices_are_refused() -> None:
    """An unknown unfilled-seat action, slot kind or input role lists what is allowed."""
    _, se, _ = small_docs()
    se["posts"][0]["slots"][0]["action"] = "drop"
    _fails(r"action: expected one of carry_forward, readvertise, convert_to_merit; got 'drop'$", seats=se)
    _, se, _ = small_docs()
    se["posts"][0]["slots"][0]["kind"] = "zonal"
    _fails(r"kind: expected one of merit, zone, region, special; got 'zonal'$", seats=se)
    s, _, _ = small_docs()
    s["inputs"][0]["role"] = "other"
    _fails(r"^summary: inputs\[0\]\.role: expected one of campaign, applications", summary=s)


def test_duplicate_post_codes_are_refused() -> None:
    """Two summary posts with the same code cannot both be reported."""
    s, _, _ = small_docs()
    s["posts"][1]["code"] = "P1"
    _fails(r"^summary: posts: post code 'P1' is listed twice$", summary=s)


@pytest.mark.parametrize("cnic", ["54400-1234567-1", "5440012345671", "54400 1234567 1", "x 54400-1234567-1"])
def test_unmasked_cnic_is_refused_without_echo(cnic: str) -> None:
    """A whole CNIC in cnic_masked would publish personal data: refused, and the message does not repeat
    it."""
    s, _, _ = small_docs()
    s["posts"][0]["top"][0]["cnic_masked"] = cnic
    err = _fails(r"^summary: posts\[0\]\.top\[0\]\.cnic_masked: expected a masked CNIC", summary=s)
    assert "1234567" not in str(err)


def test_rate_must_match_counts() -> None:
    """A rate of 0.6 for 2 positives out of 4 is refused (the report shows 2/4 computed exactly)."""
    _, _, f = small_docs()
    f["posts"]["P1"]["eligible"]["families"]["gender"]["categories"]["F"]["rate"] = 0.6
    _fails(r"^fairness: posts\['P1'\]\['eligible'\]\.families\['gender'\]\.categories\['F'\]\.rate: "
           r"expected 2/4, got 0\.6$", fairness=f)  # fmt: skip


def test_impact_ratio_and_flag_must_match_counts() -> None:
    """IR 0.9 for (2/4)/(6/6) is refused; so is a flag of false on an exact ratio of 1/2, and a flag with a
    null ratio."""
    _, _, f = small_docs()
    cat = f["posts"]["P1"]["eligible"]["families"]["gender"]["categories"]["F"]
    cat["impact_ratio"] = 0.9
    _fails(r"impact_ratio: expected \(2/4\) / \(6/6\) = 0\.5, got 0\.9$", fairness=f)
    _, _, f = small_docs()
    f["posts"]["P1"]["eligible"]["families"]["gender"]["categories"]["F"]["four_fifths_flag"] = False
    _fails(r"four_fifths_flag: expected true for an impact ratio of 1/2, got False$", fairness=f)
    _, _, f = small_docs()
    cat = f["posts"]["P1"]["eligible"]["families"]["gender"]["categories"]["F"]
    cat["impact_ratio"] = None
    _fails(r"four_fifths_flag: expected null when the impact ratio is null$", fairness=f)


def test_ratio_without_a_positive_reference_is_refused() -> None:
    """At P2's selection stage every rate is 0; a non-null impact ratio there cannot be right."""
    _, _, f = small_docs()
    cat = f["posts"]["P2"]["selected"]["families"]["gender"]["categories"]["M"]
    cat.update(impact_ratio=1.0, four_fifths_flag=False)
    _fails(r"impact_ratio: expected null when the family has no reference with a non-zero rate$", fairness=f)


def test_reference_must_be_a_category() -> None:
    """A reference label that names no category is refused."""
    _, _, f = small_docs()
    f["posts"]["P1"]["eligible"]["families"]["gender"]["reference"] = "X"
    _fails(r"reference: 'X' is not one of the family's categories$", fairness=f)


def test_positives_cannot_exceed_n() -> None:
    """5 positives out of 4 is refused."""
    _, _, f = small_docs()
    f["posts"]["P1"]["eligible"]["families"]["gender"]["categories"]["F"]["positives"] = 5
    _fails(r"positives: expected at most n = 4, got 5$", fairness=f)


def test_nan_and_non_numbers_are_refused_for_p_values() -> None:
    """A p-value must be a finite number or null."""
    _, _, f = small_docs()
    f["posts"]["P1"]["eligible"]["families"]["gender"]["categories"]["F"]["fisher_p"] = float("nan")
    _fails(r"fisher_p: expected a number or null, got float nan$", fairness=f)
    _, _, f = small_docs()
    f["posts"]["P1"]["eligible"]["families"]["gender"]["categories"]["F"]["z_p"] = "0.05"
    _fails(r"z_p: expected a number or null, got str '0\.05'$", fairness=f)


def test_extra_keys_are_ignored() -> None:
    """Fields the report does not show (unmatched_marks, converted_filled, reasons on categories) are fine."""
    s, se, f = small_docs()
    s["extra"] = {"anything": [1, 2]}
    f["posts"]["P1"]["eligible"]["families"]["gender"]["reasons"] = [{"code": "x", "params": {}, "text": "y"}]
    assert render_report(summary=s, seats=se, fairness=f).startswith("<!DOCTYPE html>")
