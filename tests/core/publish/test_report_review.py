"""report.html after the reader review: flags counted by stage with small samples and how to read them,
summary warnings, unverified policy notifications, the short geography note, merit totals "out of" and
tie-breaks, funnel charts that fit their text, and no negative zero."""

from __future__ import annotations

import re
from typing import Any

import pytest

from shafaf.core.errors import InputError
from shafaf.core.publish.report import render_report
from tests.core.publish.helpers import audit_doc, big_docs, frame, small_docs
from tests.core.publish.htmltree import Node, parse

READING = (
    "How to read them: the zonal and special quotas deliberately redistribute seats by zone, gender, "
    "minority and disability, so flags by those attributes at selection are expected effects of the law and "
    "should be read with the seat table; flags at eligibility and at the test are the ones that point to a "
    "rule or a test that may disadvantage a group"
)
SMALL = "Small sample: n under 30 or fewer than 5 expected positives, where one person can move a ratio a long way."


def _render(summary: Any = None, seats: Any = None, fairness: Any = None) -> Node:
    s, se, f = small_docs()
    html = render_report(
        summary=s if summary is None else summary,
        seats=se if seats is None else seats,
        fairness=f if fairness is None else fairness,
    )
    root, errors = parse(html)
    assert errors == []
    return root


def _section(root: Node, section_id: str) -> Node:
    return root.find("section", id=section_id)


def _glance_items(root: Node) -> list[Node]:
    """The top-level items of the "At a glance" list."""
    return _section(root, "glance").find("ul").child_elements("li")


def _flag_item(root: Node) -> Node:
    found = [li for li in _glance_items(root) if li.text().startswith("FLAG ")]
    assert len(found) == 1
    return found[0]


def _headline(li: Node) -> str:
    """The item's own text, without its nested list."""
    return "".join(c if isinstance(c, str) else c.text() for c in li.children if not (
        isinstance(c, Node) and c.tag == "ul"
    ))  # fmt: skip


# A post of 80 applicants in one zone. Eligibility: F 20/40 against M 40/40 → impact ratio 1/2, flagged in
# gender and in gender×zone; n = 40 and 40 × 60/80 = 30 expected positives, so not small. Everyone eligible is
# tested and passes: no flag at the test. Selection (of the 60 who passed): F 1/20 against M 10/40 → 0.05/0.25
# = 1/5, flagged twice, n = 20 < 30, so small. Application to selection: F 1/40 against M 10/40 → 1/10,
# flagged twice; n = 40 and 40 × 11/80 = 5.5 ≥ 5 expected positives, so not small.
MIXED = [("F", "Kalat", "no", "no", int(i < 20), int(i < 20), int(i < 20), int(i < 1)) for i in range(40)]
MIXED += [("M", "Kalat", "no", "no", 1, 1, 1, int(i < 10)) for i in range(40)]
ALL_PASS = [(g, "Zhob", "no", "no", 1, 1, 1, 1) for g in ("F", "M")]


def _mixed() -> dict[str, Any]:
    return audit_doc({"P1": frame(MIXED), "P2": frame(ALL_PASS)})


def test_glance_counts_flags_by_stage_and_small_samples() -> None:
    """The small campaign has 24 flags (helpers.py; every category there has n < 30, so every flag is on a
    small sample). By hand: eligibility P1 5 (F, Quetta, minority "no", disability "no", F×Quetta) + P2 3 (M 2/3
    against F 1/1, Sibi 0/1 against Zhob 3/3, M×Sibi) = 8; the test P1 4 (M 3/5 against F 2/2, Kalat 3/4
    against Quetta 2/2, minority "yes" 0/1, M×Kalat 1/2) + P2 2 (M 1/2 against F 1/1, M×Zhob) = 6; selection
    P1 4 (F 1/2 against M 2/3, Quetta 1/2 against Kalat 2/3, F×Kalat and M×Quetta 1/2 against M×Kalat 1/1),
    P2 none (no one selected); application to selection 6. The headline names every stage, then the
    sentence on how to read them and what a small sample is."""
    root = _render()
    li = _flag_item(root)
    assert _headline(li) == (
        "FLAG 24 four-fifths flags: 8 at eligibility (all on small samples), 6 at the test (all on small "
        "samples), 4 at selection (all on small samples), 6 from application to selection (all on small "
        "samples); see the list."
    )
    notes = [n.text() for n in li.find("ul").child_elements("li")]
    assert notes == [READING + " (the stage from application to selection combines both).", SMALL]
    links = [a.attrs["href"] for a in li.find_all("a")]
    assert links == ["#flags", "#seats"]
    # section 4 repeats the count by stage and the reading, and still lists every flag
    box = _section(root, "fairness").find("p", class_="box warn").text()
    assert "By stage: 8 at eligibility (all on small samples), 6 at the test" in box
    assert READING in box
    assert _section(root, "fairness").find("caption").text() == "Four-fifths flags (24)"


def test_flags_by_stage_with_some_small_and_some_not() -> None:
    """The mixed post (see MIXED): 2 at eligibility, 0 at the test, 2 at selection (both small), 2 from
    application to selection (not small); the other post has no flag."""
    root = _render(fairness=_mixed())
    li = _flag_item(root)
    assert _headline(li) == (
        "FLAG 6 four-fifths flags: 2 at eligibility, 0 at the test, 2 at selection (all on small samples), "
        "2 from application to selection; see the list."
    )
    rows = _section(root, "fairness").find("table", class_="fl").rows()[1:]
    assert len(rows) == 6


def test_one_flag_not_small_and_an_unknown_stage() -> None:
    """Only eligibility and gender kept: "1 four-fifths flag: 1 at eligibility", no small-sample note and no
    mention of the end-to-end stage. Only selection and gender kept, under a stage the report has no phrase
    for: it is named by its label, and the single small flag is "on a small sample"."""
    fairness = _mixed()
    for code, post in fairness["posts"].items():
        stage = post["eligible"]
        stage["families"] = {"gender": stage["families"]["gender"]}
        fairness["posts"][code] = {"eligible": stage}
    root = _render(fairness=fairness)
    li = _flag_item(root)
    assert _headline(li) == "FLAG 1 four-fifths flag: 1 at eligibility; see the list."
    assert [n.text() for n in li.find("ul").child_elements("li")] == [READING + "."]

    fairness = _mixed()
    fairness["stages"] = {"interview": "tested → interviewed"}
    for code, post in fairness["posts"].items():
        stage = post["selected"]
        stage["families"] = {"gender": stage["families"]["gender"]}
        fairness["posts"][code] = {"interview": stage}
    li = _flag_item(_render(fairness=fairness))
    assert _headline(li) == (
        "FLAG 1 four-fifths flag: 1 at the stage “tested → interviewed” (on a small sample); see the list."
    )
    assert [n.text() for n in li.find("ul").child_elements("li")] == [READING + ".", SMALL]


def test_summary_warnings_are_warning_lines() -> None:
    """Each text of summary.warnings is one WARNING line of "At a glance", in the given order, escaped; no
    warnings (absent, null or empty) means no WARNING line."""
    s, _, _ = small_docs()
    s["warnings"] = [
        "3 candidates were selected for more than one post; each must choose one and the waiting list moves up",
        "<b>bold</b>",
    ]
    root = _render(summary=s)
    lines = [li.text() for li in _glance_items(root) if li.text().startswith("WARNING")]
    assert lines == [
        "WARNING 3 candidates were selected for more than one post; each must choose one and the waiting "
        "list moves up",
        "WARNING <b>bold</b>",
    ]
    assert _section(root, "glance").find_all("b") == []
    nothing: tuple[list[str] | None, ...] = (None, [])
    for value in nothing:
        s["warnings"] = value
        assert not any(li.text().startswith("WARNING") for li in _glance_items(_render(summary=s)))
    del s["warnings"]
    assert not any(li.text().startswith("WARNING") for li in _glance_items(_render(summary=s)))


def _fails(match: str, summary: Any) -> None:
    _, se, f = small_docs()
    with pytest.raises(InputError, match=match):
        render_report(summary=summary, seats=se, fairness=f)


def test_optional_keys_of_the_wrong_type_are_refused() -> None:
    """warnings must be a list of texts, unverified a list of texts, unverified_count a whole number, a total
    weight a positive number, a tie-break a text or null."""
    cases: list[tuple[str, Any, str]] = [
        ("warnings", "one warning", r"^summary: warnings: expected a list, got str$"),
        ("warnings", ["ok", 3], r"^summary: warnings\[1\]: expected text, got int 3$"),
        ("unverified", "ref", r"^summary: policies\[0\]\.unverified: expected a list, got str$"),
        ("unverified_count", -1, r"^summary: policies\[0\]\.unverified_count: expected a whole number ≥ 0"),
        ("total_weight", "abc", r"^summary: posts\[0\]\.total_weight: expected a positive number"),
        ("total_weight", "0", r"^summary: posts\[0\]\.total_weight: expected a positive number"),
        ("total_weight", True, r"^summary: posts\[0\]\.total_weight: expected a positive number"),
        ("total_weight", "NaN", r"^summary: posts\[0\]\.total_weight: expected a positive number"),
        ("tie_break", 1, r"^summary: posts\[0\]\.top\[0\]\.tie_break: expected text or null, got int 1$"),
    ]
    for key, value, match in cases:
        s, _, _ = small_docs()
        target = {
            "warnings": s,
            "unverified": s["policies"][0],
            "unverified_count": s["policies"][0],
            "total_weight": s["posts"][0],
            "tie_break": s["posts"][0]["top"][0],
        }[key]
        target[key] = value
        _fails(match, s)


def _notice(root: Node) -> list[str]:
    return [p.text() for p in _section(root, "campaign").find_all("p", class_="box")]


def test_unverified_policy_notifications_get_a_calm_notice() -> None:
    """A pack resting on 3 notifications not yet verified: one notice in section 1 naming the pack, how many
    and which (escaped), pointing to docs/policy-packs.md, not in capitals. Singular for one ref; the count
    alone when the refs are not listed; nothing when both are empty or absent."""
    s, _, _ = small_docs()
    s["policies"][0].update(unverified=["bal-general-2025", "hec-equivalence", "<x>"], unverified_count=3)
    root = _render(summary=s)
    assert _notice(root) == [
        "Not yet verified: the policy pack balochistan-1991@2025.1 rests on 3 notifications not yet verified "
        "against the official text: bal-general-2025, hec-equivalence, <x>. See docs/policy-packs.md for how a "
        "pack is checked and overridden."
    ]
    notice = _section(root, "campaign").find("p", class_="box")
    assert not re.search(r"[A-Z]{4,}", notice.text())
    assert [c.text() for c in notice.find_all("code")][:3] == ["bal-general-2025", "hec-equivalence", "<x>"]
    s["policies"][0].update(unverified=["bal-general-2025"], unverified_count=1)
    assert _notice(_render(summary=s)) == [
        "Not yet verified: the policy pack balochistan-1991@2025.1 rests on a notification not yet verified "
        "against the official text: bal-general-2025. See docs/policy-packs.md for how a pack is checked and "
        "overridden."
    ]
    s["policies"][0].update(unverified=None, unverified_count=5)
    assert _notice(_render(summary=s)) == [
        "Not yet verified: the policy pack balochistan-1991@2025.1 rests on 5 notifications not yet verified "
        "against the official text. See docs/policy-packs.md for how a pack is checked and overridden."
    ]
    s["policies"][0].update(unverified=[], unverified_count=0)
    assert _notice(_render(summary=s)) == []
    del s["policies"][0]["unverified"], s["policies"][0]["unverified_count"]
    assert _notice(_render(summary=s)) == []


def _geography(root: Node) -> Node:
    sec = _section(root, "campaign")
    dts = sec.find_all("dt")
    dds = sec.find_all("dd")
    return next(dd for dt, dd in zip(dts, dds, strict=True) if dt.text() == "Geography note")


def test_geography_note_first_sentence_then_details() -> None:
    """A long note shows its first sentence; the rest, verbatim, is in a <details> whose summary says what
    it holds (readable without script). A one-sentence note has no <details>."""
    s, _, _ = small_docs()
    s["geography"]["note"] = (
        "District -> zone, as understood in 2025. VERIFY AGAINST THE CURRENT NOTIFICATION before a real "
        "campaign (e.g. the 1991 zones). Region codes: punjab, kp."
    )
    dd = _geography(_render(summary=s))
    assert dd.child_elements()[0].text() == "District -> zone, as understood in 2025."
    details = dd.find("details")
    assert details.find("summary").text() == "The rest of the note"
    assert details.find("p").text() == (
        "VERIFY AGAINST THE CURRENT NOTIFICATION before a real campaign (e.g. the 1991 zones). Region codes: "
        "punjab, kp."
    )
    dd = _geography(_render())
    assert dd.text() == "Verify against the current notification." and dd.find_all("details") == []


def _merit_table(root: Node, post: str) -> Node:
    sec = _section(root, "merit")
    return next(
        t for t in sec.find_all("table") if t.find("caption").text().endswith(f"merit list: post {post}")
    )


def test_merit_total_out_of_the_posts_weight_and_tie_breaks() -> None:
    """The total's header says what it is out of (the post's total_weight, 100 when absent). When the rows
    record tie_break, a last column says "no tie" (null), "decided by: older", the words for other known
    codes, UNRESOLVED for "flag", and an unknown code as given (escaped); rows without the key read "no
    tie"."""
    s, _, _ = small_docs()
    s["posts"][0]["total_weight"] = "120"
    top = s["posts"][0]["top"]
    top[0]["tie_break"] = None
    top[1]["tie_break"] = "older"
    extra = [
        {"rank": r, "application_id": f"B-{r}", "cnic_masked": "XXXXX-XXXX000-0", "name": "x",
         "total": "75.5000", "slot": "", "tie_break": code}
        for r, code in ((4, "test"), (5, "flag"), (6, "<new>"), (7, None))
    ]  # fmt: skip
    top.extend(extra)
    root = _render(summary=s)
    table = _merit_table(root, "P1")
    head = [c.text() for c in table.rows()[0].cells()]
    assert head[4:] == ["Total (out of 120)", "Slot", "Tie with the rank above"]
    assert [r.cells()[-1].text() for r in table.rows()[1:]] == [
        "no tie",
        "decided by: older",
        "no tie",  # rank 3 has no tie_break key
        "decided by: written-test marks",
        "UNRESOLVED: no rule separated them; a person decides",
        "decided by: <new>",
        "no tie",
    ]
    assert "the last column names the tie-break rule" in _section(root, "merit").text()
    # a post whose rows do not record tie-breaks has no such column and says "out of 100"
    s, _, _ = small_docs()
    root = _render(summary=s)
    head = [c.text() for c in _merit_table(root, "P1").rows()[0].cells()]
    assert head[4:] == ["Total (out of 100)", "Slot"]
    assert "tie-break" not in _section(root, "merit").text()


def test_funnel_charts_are_wide_enough_for_their_text() -> None:
    """The demo's "1,349 · 80.4% of accepted; ineligible 327" no longer runs past the chart: in every funnel
    chart, every text's start plus 7 px a character is inside the viewBox."""
    s, _, _ = small_docs()
    s["counts"].update(rows_in=1718, rejected=42, accepted=1676, eligible=1349, ineligible=327)
    html = render_report(summary=s, seats=small_docs()[1], fairness=small_docs()[2])
    root, _ = parse(html)
    svgs = _section(root, "funnel").find_all("svg")
    texts = 0
    for svg in svgs:
        width = int(svg.attrs["viewbox"].split()[2])  # type: ignore[union-attr]
        assert svg.attrs["width"] == str(width)
        for t in svg.find("g", class_="v").find_all("text"):
            assert float(t.attrs["x"]) + 7 * len(t.text()) <= width, t.text()  # type: ignore[arg-type]
            texts += 1
    assert texts == 6 + 5 + 5
    assert any("ineligible 327" in t.text() for t in svgs[0].find_all("text"))


def test_no_negative_zero_anywhere() -> None:
    """A scoring stage whose median is -0.0 prints "median 0"; shortfalls of -0.0 in the document (not shown)
    change nothing; no "-0" or "-0.0" appears anywhere in the report."""
    _, _, fairness = small_docs()
    stage = fairness["posts"]["P1"]["passed"]
    stage.update(method="scoring", median=-0.0, not_scored=0)
    for fam in stage["families"].values():
        for cat in fam["categories"].values():
            cat["shortfall"] = -0.0
    root = _render(fairness=fairness)
    text = root.text()
    assert "median 0;" in text
    assert not re.search(r"(?<![\w.])-0(\.0+)?(?![\d.])", text)


def test_clear_note_only_on_flagged_categories_and_matches_the_document() -> None:
    """ "(k more clear(s) it)" appears in the four-fifths cell of exactly the flagged categories whose
    selections_to_clear is k, and nowhere else, in every family table (e.g. P1 eligibility F: 2 more)."""
    _, _, fairness = small_docs()
    root = _render(fairness=fairness)
    shown: list[tuple[str, int]] = []
    for table in _section(root, "fairness").find_all("table", class_="fa"):
        for row in table.rows()[1:]:
            for cell in row.cells():
                m = re.fullmatch(r"FLAG \((\d+) more clears? it\)", cell.text())
                if m:
                    assert cell is row.cells()[5]  # the four-fifths column
                    label = row.cells()[0].text().removesuffix(" (reference)")
                    shown.append((label, int(m.group(1))))
    expected = [
        (label, cat["selections_to_clear"])
        for stages in fairness["posts"].values()
        for report in stages.values()
        for fam in report["families"].values()
        for label, cat in sorted(fam["categories"].items())
        if cat["four_fifths_flag"] is True and cat["selections_to_clear"] is not None
    ]
    assert sorted(shown) == sorted(expected)
    assert ("F", 2) in shown and len(shown) == 24
    assert root.text().count("more clear") == 24


def test_size_budget_with_every_optional_key() -> None:
    """The 5-post campaign of the size test, with warnings, unverified policy values, total weights and a
    tie-break on every top row, stays under 300 KB."""
    s, se, f = big_docs()
    s["warnings"] = ["3 candidates were selected for more than one post; each must choose one."] * 3
    s["policies"][0].update(unverified=[f"ref-{i}" for i in range(10)], unverified_count=40)
    for post in s["posts"]:
        post["total_weight"] = "100"
        for i, row in enumerate(post["top"]):
            row["tie_break"] = None if i % 3 == 0 else "higher_qualification"
    html = render_report(summary=s, seats=se, fairness=f)
    assert len(html.encode("utf-8")) < 300_000
    root, errors = parse(html)
    assert errors == []
    assert len(_section(root, "glance").find_all("li")) >= 8


@pytest.mark.parametrize(
    ("weight", "shown"), [("100", "100"), ("1E+2", "100"), ("100.00", "100"), ("12.50", "12.5"), (150, "150")]
)
def test_total_weight_is_shown_in_plain_notation(weight: object, shown: str) -> None:
    """The pipeline writes a normalised Decimal ("1E+2" for 100): the header reads "out of 100", never in
    exponent form; trailing zeros are dropped."""
    s, _, _ = small_docs()
    s["posts"][0]["total_weight"] = weight
    head = [c.text() for c in _merit_table(_render(summary=s), "P1").rows()[0].cells()]
    assert head[4] == f"Total (out of {shown})"
