"""report.html: the sections, tables and charts, checked on a small campaign whose numbers are worked out by
hand in ``helpers.py`` (post P1: 10 applicants, post P2: 4 applicants with no one selected)."""

from __future__ import annotations

import copy
import itertools
import re
from fractions import Fraction
from typing import Any

import polars as pl
import pytest

from shafaf.core.publish.report import render_report
from tests.core.publish.helpers import P1_ROWS, STAGES, audit_doc, frame, small_docs
from tests.core.publish.htmltree import Node, parse


def _render(summary: Any = None, seats: Any = None, fairness: Any = None) -> str:
    s, se, f = small_docs()
    return render_report(
        summary=s if summary is None else summary,
        seats=se if seats is None else seats,
        fairness=f if fairness is None else fairness,
    )


def _tree(html: str) -> Node:
    root, errors = parse(html)
    assert errors == []
    return root


def _table(root: Node, caption: str) -> Node:
    found = [t for t in root.find_all("table") if t.find("caption").text() == caption]
    assert len(found) == 1, f"{len(found)} tables captioned {caption!r}"
    return found[0]


def _section(root: Node, section_id: str) -> Node:
    return root.find("section", id=section_id)


def _cell_texts(row: Node) -> list[str]:
    return [c.text().strip() for c in row.cells()]


def _stage_block(root: Node, post: str, stage_label: str) -> list[Node]:
    """The nodes of section 4 from the h4 of ``stage_label`` under the post's h3 to the next h4/h3."""
    nodes = _section(root, "fairness").child_elements()
    out: list[Node] = []
    in_post = in_stage = False
    for n in nodes:
        if n.tag == "h3":
            in_post = n.text().startswith(f"Post {post}")
            in_stage = False
        elif n.tag == "h4":
            in_stage = in_post and n.text().startswith(f"Stage: {stage_label} ")
        elif in_stage:
            out.append(n)
    assert out, f"no block for {post} / {stage_label}"
    return out


def _family_nodes(root: Node, post: str, stage_label: str, family: str) -> tuple[Node, Node]:
    """(table, svg) of one family."""
    block = _stage_block(root, post, stage_label)
    for i, n in enumerate(block):
        if n.tag == "h5" and n.text() == f"Family: {family}":
            table, svg = block[i + 1], block[i + 2]
            assert (table.tag, svg.tag) == ("table", "svg")
            return table, svg
    raise AssertionError(f"no family {family}")


def test_document_skeleton() -> None:
    """A complete HTML5 document: doctype, lang="en", UTF-8, a title, one main, well-formed, final newline."""
    html = _render()
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    assert html.endswith("</html>\n")
    root = _tree(html)
    assert root.find("title").text() == "Sub-Accountant (BPS-11): campaign report (FD-01/2025)"
    assert len(root.find_all("main")) == 1
    assert "@media print{" in root.find("style").text()


def test_headings_are_in_order() -> None:
    """One h1, the six numbered sections as h2 after "At a glance", and no heading skips a level."""
    root = _tree(_render())
    heads = [n for n in root.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    levels = [int(h.tag[1]) for h in heads]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert [h.text() for h in heads if h.tag == "h2"] == [
        "At a glance",
        "1. Campaign and inputs",
        "2. Application funnel",
        "3. Seats",
        "4. Fairness audit",
        "5. Merit lists (top 20)",
        "6. How to verify",
    ]
    # 2 posts × 4 stages, 5 families each
    assert len([h for h in heads if h.tag == "h4"]) == 8
    assert len([h for h in heads if h.tag == "h5"]) == 40


def test_links_ids_and_table_headers() -> None:
    """Every link is in-page and lands on an id; ids are unique; every th has a scope; every svg is an image
    named by its own <title>."""
    root = _tree(_render())
    ids = [n.attrs["id"] for n in root.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    for a in root.find_all("a"):
        href = a.attrs["href"]
        assert href is not None and href.startswith("#") and href[1:] in ids
    for th in root.find_all("th"):
        assert th.attrs.get("scope") in ("col", "row")
    for svg in root.find_all("svg"):
        assert svg.attrs["role"] == "img"
        title = svg.child_elements("title")[0]
        assert svg.attrs["aria-labelledby"] == title.attrs["id"] and title.text()


def test_header_lists_campaign_policies_and_hashes() -> None:
    """Section 1 shows the campaign fields and each input and pack hash as 12 characters + the full value in
    the title attribute."""
    root = _tree(_render())
    sec = _section(root, "campaign")
    meta = dict(
        zip([d.text() for d in sec.find_all("dt")], [d.text() for d in sec.find_all("dd")], strict=True)
    )
    assert meta["Department"] == "Finance Department"
    assert meta["Closing date"] == "2025-03-31"
    assert meta["Eligibility date"].startswith("2025-03-31")
    assert meta["Geography table"] == "version 2025.1"
    inputs = _table(sec, "Input files and their SHA-256")
    rows = [_cell_texts(r) for r in inputs.rows()[1:]]
    assert rows == [
        ["campaign", "campaign.toml", "0123456789ab…"],
        ["applications", "applications.csv", "abababababab…"],
    ]
    codes = inputs.find_all("code", class_="sha")
    assert [c.attrs["title"] for c in codes] == ["0123456789abcdef" * 4, "ab" * 32]
    packs = _table(sec, "Policy packs used")
    assert _cell_texts(packs.rows()[1]) == ["balochistan-1991", "balochistan-1991@2025.1", "cdcdcdcdcdcd…"]


def test_funnel_table_and_reconciliation() -> None:
    """The funnel per post (P1: 10 accepted, 8 eligible, 2 ineligible, 7 tested, 1 absent, 5 passed, 2 failed,
    3 selected, 2 waiting) and the line rows in = accepted + rejected: 16 = 14 + 2."""
    root = _tree(_render())
    sec = _section(root, "funnel")
    table = _table(sec, "People at each stage, by post")
    rows = [_cell_texts(r) for r in table.rows()]
    assert rows[0] == [
        "Post", "Accepted", "Eligible", "Ineligible", "Tested", "Absent", "Passed", "Failed", "Selected",
        "Waiting",
    ]  # fmt: skip
    assert rows[1][1:] == ["10", "8", "2", "7", "1", "5", "2", "3", "2"]
    assert rows[1][0].startswith("P1 Sub-Accountant")
    assert rows[2][1:] == ["4", "3", "1", "3", "0", "2", "1", "0", "2"]
    assert rows[3] == ["Whole campaign", "14", "11", "3", "10", "1", "7", "3", "3", "4"]
    assert "Reconciliation: rows in = accepted + rejected: 16 = 14 + 2 (adds up)." in sec.text()
    assert "Every split adds up" in sec.text()
    # one funnel chart for the campaign and one per post
    assert len(sec.find_all("svg")) == 3


def test_reconciliation_mismatch_is_shown() -> None:
    """rows_in 17 with 14 accepted + 2 rejected: a CHECK line with the numbers and the difference 1."""
    s, _, _ = small_docs()
    s["counts"]["rows_in"] = 17
    text = _tree(_render(summary=s)).text()
    assert (
        "CHECK Reconciliation: rows in = accepted + rejected does not hold: 17 ≠ 14 + 2; difference 1."
        in text
    )


def test_split_that_does_not_add_up_is_shown() -> None:
    """P1 with 9 eligible (8 tested + 1 absent would be 9, but 9 + 2 ineligible ≠ 10 accepted): CHECK line."""
    s, _, _ = small_docs()
    s["posts"][0]["counts"]["eligible"] = 9
    sec = _section(_tree(_render(summary=s)), "funnel")
    items = [li.text() for li in sec.find_all("li")]
    assert "CHECK post P1: accepted 10 ≠ eligible 9 + ineligible 2 (difference -1)" in items
    assert "CHECK post P1: eligible 9 ≠ tested 7 + absent 1 (difference 1)" in items


def test_every_slot_row_with_its_unfilled_action() -> None:
    """Each post's slot table has one row per slot, in order, with seats/filled/unfilled and what happens to
    unfilled seats (a conversion to merit names its approver); totals in the footer."""
    root = _tree(_render())
    sec = _section(root, "seats")
    p1 = [_cell_texts(r) for r in _table(sec, "Seats by slot: post P1").rows()]
    assert p1[0][-1] == "What happens to unfilled seats"
    assert p1[1:] == [
        ["merit", "Merit", "merit", "1", "1", "0", "none unfilled"],
        ["zone-kalat", "Kalat", "zone", "1", "1", "0", "none unfilled"],
        [
            "zone-zhob",
            "Zhob",
            "zone",
            "1",
            "0",
            "1 UNFILLED",
            "converted to merit, approved by Secretary Finance",
        ],
        ["women", "Women", "special", "0", "0", "0", "none unfilled"],
        ["Total", "3", "2", "1", "–"],
    ]
    p2 = [_cell_texts(r) for r in _table(sec, "Seats by slot: post P2").rows()]
    assert [r[0] for r in p2[1:]] == ["zone-nasirabad", "zone-makran", "Total"]
    assert p2[1][-1] == "re-advertised" and p2[2][-1] == "carried forward to the next advertisement"


def test_unfilled_callout_and_pointer() -> None:
    """A callout counts the 3 unfilled seats and names each; the pointer is shown 0-based and as a
    position."""
    sec = _section(_tree(_render()), "seats")
    box = sec.find("div", class_="box warn")
    assert box.find("p").text() == "UNFILLED 3 seats could not be filled:"
    assert [li.text() for li in box.find_all("li")] == [
        "Post P1, Zhob (zone): 1 unfilled; converted to merit, approved by Secretary Finance.",
        "Post P2, Nasirabad (zone): 1 unfilled; re-advertised.",
        "Post P2, Makran (zone): 1 unfilled; carried forward to the next advertisement.",
    ]
    assert "started at position 1 (pointer 0), ended at position 4 (pointer 3)" in sec.text()
    assert "started at position 4 (pointer 3), ended at position 6 (pointer 5)" in sec.text()


def test_all_seats_filled_has_no_unfilled_callout() -> None:
    """With every seat filled the section says so and the word UNFILLED appears nowhere in the report."""
    _, seats, _ = small_docs()
    for post in seats["posts"]:
        for slot in post["slots"]:
            slot["filled"], slot["unfilled"] = slot["seats"], 0
    html = _render(seats=seats)
    assert "UNFILLED" not in html
    assert "Every seat of every post is filled." in _tree(html).text()


def test_incomplete_seat_records_warn() -> None:
    """Unfilled seats with no action, a conversion without an approver, and slots that do not add up to the
    vacancies are all spelled out as warnings."""
    _, seats, _ = small_docs()
    slots = seats["posts"][1]["slots"]
    slots[0]["action"] = None
    slots[1]["action"], slots[1]["approver"] = "convert_to_merit", None
    seats["posts"][1]["vacancies"] = 3
    text = _section(_tree(_render(seats=seats)), "seats").text()
    assert "Post P2, Nasirabad (zone): 1 unfilled; WARNING: no action recorded." in text
    assert "Post P2, Makran (zone): 1 unfilled; converted to merit; WARNING: no approver recorded." in text
    assert (
        "WARNING the seat record does not add up:the slots hold 2 seats but the post has 3 vacancies" in text
    )


def test_shares_policy_has_no_pointer_sentence() -> None:
    """A post whose slots are regions (federal shares) says it has no rotation pointer."""
    _, seats, _ = small_docs()
    seats["posts"][1]["slots"][0]["kind"] = "region"
    text = _section(_tree(_render(seats=seats)), "seats").text()
    assert "Seats are shared by the policy's shares; there is no rotation pointer." in text
    assert text.count("Rotation pointer:") == 1


def _flags_from_summary(root: Node) -> set[tuple[str, str, str, str]]:
    sec = _section(root, "fairness")
    table = sec.find("table", class_="fl")
    out: set[tuple[str, str, str, str]] = set()
    for row in table.rows()[1:]:
        post, stage, family, n, cats = _cell_texts(row)
        labels = [c.rsplit(" ", 2)[0] for c in cats.split("; ")]
        assert int(n) == len(labels)
        out.update((post, stage, family, label) for label in labels)
    return out


def _flags_from_doc(fairness: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {
        (post, fairness["stages"][stage], family, label)
        for post, stages in fairness["posts"].items()
        for stage, report in stages.items()
        for family, fam in report["families"].items()
        for label, cat in fam["categories"].items()
        if cat["four_fifths_flag"] is True
    }


def test_flags_summary_lists_exactly_the_flagged_categories() -> None:
    """The Flags table lists every category whose four_fifths_flag is true, and nothing else; by hand, P1 at
    eligibility flags F (2/4 against M 6/6: 0.500), Quetta (3/5 against Kalat 4/4: 0.600), minority "no" and
    disability "no" (7/9 against 1/1: 0.777, cut) and F×Quetta (0/2)."""
    _, _, fairness = small_docs()
    root = _tree(_render(fairness=fairness))
    found = _flags_from_summary(root)
    assert found == _flags_from_doc(fairness)
    eligibility = {(f, c) for p, s, f, c in found if (p, s) == ("P1", "applied → eligible")}
    assert eligibility == {
        ("gender", "F"), ("zone", "Quetta"), ("minority", "no"), ("disabled", "no"),
        ("gender×zone", "F×Quetta"),
    }  # fmt: skip
    row = next(
        r
        for r in _section(root, "fairness").find("table", class_="fl").rows()
        if _cell_texts(r)[2] == "gender"
    )
    assert _cell_texts(row) == ["P1", "applied → eligible", "gender", "1", "F 0.500 (2/4)"]
    # the summary comes first in its section, and the glance box counts the flags
    sec = _section(root, "fairness")
    assert [n.tag for n in sec.child_elements()][:5] == ["h2", "p", "h3", "p", "table"]
    assert f"FLAG {len(found)} four-fifths flags" in _section(root, "glance").text()


def test_no_flags_says_so() -> None:
    """With every rate equal (everyone passes every stage) the Flags section says "No four-fifths flags"."""
    rows = [(g, z, "no", "no", 1, 1, 1, 1) for g in ("F", "M") for z in ("Kalat", "Zhob")]
    fairness = audit_doc({"P1": frame(rows), "P2": frame(rows)})
    root = _tree(_render(fairness=fairness))
    sec = _section(root, "fairness")
    assert sec.find("h3", id="flags").text() == "Flags"
    assert "No four-fifths flags at any stage, in any family, for any post." in sec.text()
    assert sec.find_all("table", class_="fl") == []
    assert "FLAG" not in root.text()


def test_family_table_columns_and_reference_row() -> None:
    """P1 eligibility, gender: F 4 2 0.500 0.500 FLAG (2 more clear it) with both p-values; M is the
    reference: IR 1.000, no flag, p-values not computable (reference). Fisher: with 8 positives among 10,
    P(F has k) = C(4,k)·C(6,8−k)/45 = 6/45, 24/45, 15/45 for k = 2, 3, 4; two-sided p = 6/45 = 0.1333… →
    "0.133". z-test: pooled 8/10, z = −0.5/√(0.16·(1/4 + 1/6)) = −1.936, p = 0.0528 → "0.053"."""
    root = _tree(_render())
    table, _ = _family_nodes(root, "P1", "applied → eligible", "gender")
    rows = table.rows()
    assert _cell_texts(rows[0]) == [
        "Category", "n", "Positives", "Rate", "Impact ratio", "Four-fifths", "Fisher p", "z p", "Excluded",
        "Small sample",
    ]  # fmt: skip
    assert _cell_texts(rows[1]) == [
        "F",
        "4",
        "2",
        "0.500",
        "0.500",
        "FLAG (2 more clear it)",
        "0.133",
        "0.053",
        "no",
        "small sample",
    ]
    ref = rows[2]
    assert _cell_texts(ref) == [
        "M (reference)",
        "6",
        "6",
        "1.000",
        "1.000",
        "no",
        "not computable (reference)",
        "no",
        "small sample",
    ]
    assert ref.cells()[6].attrs["colspan"] == "2"
    assert table.find("caption").text() == (
        "Reference M: rate 1.000 (6 of 6); four-fifths line 0.800. Unknown label: 0 rows."
    )


def test_zone_family_counts_unknown_and_pooled_z() -> None:
    """P1 eligibility, zone: one row has no zone (unknown 1); Kalat 4/4 is the reference; Quetta 3/5."""
    table, _ = _family_nodes(_tree(_render()), "P1", "applied → eligible", "zone")
    assert table.find("caption").text().endswith("Unknown label: 1 row.")
    assert [_cell_texts(r)[:5] for r in table.rows()[1:]] == [
        ["Kalat (reference)", "4", "4", "1.000", "1.000"],
        ["Quetta", "5", "3", "0.600", "0.600"],
    ]


def test_nulls_are_not_computable_never_blank_or_one() -> None:
    """P2 selects no one, so at "passed → selected" every rate is 0: the reference has rate 0 and the impact
    ratio, flag and both p-values of every category read "not computable (reference rate 0)" in one cell.
    Across the whole report, no fairness cell is empty and every null of the document shows as not
    computable."""
    _, _, fairness = small_docs()
    root = _tree(_render(fairness=fairness))
    table, svg = _family_nodes(root, "P2", "passed → selected", "gender")
    assert table.find("caption").text().startswith("Reference F has a rate of 0")
    for row in table.rows()[1:]:
        cells = row.cells()
        assert [c.text() for c in cells[1:4]] == ["1", "0", "0.000"]
        assert cells[4].text() == "not computable (reference rate 0)" and cells[4].attrs["colspan"] == "4"
    assert "No four-fifths line" in svg.text()
    assert svg.find_all("path", class_="lim") == []
    # every fairness table: 10 columns per row counting spans, no blank cell, nulls → "not computable"
    for t in _section(root, "fairness").find_all("table", class_="fa"):
        for row in t.rows():
            cells = row.cells()
            assert sum(int(c.attrs.get("colspan") or 1) for c in cells) == 10
            assert all(c.text().strip() for c in cells)
    for post, stages in fairness["posts"].items():
        for stage, report in stages.items():
            for family, fam in report["families"].items():
                table, _ = _family_nodes(root, post, fairness["stages"][stage], family)
                for row in table.rows()[1:]:
                    label = row.cells()[0].text().removesuffix(" (reference)")
                    ir = row.cells()[4].text()
                    if fam["categories"][label]["impact_ratio"] is None:
                        assert ir.startswith("not computable")
                    else:
                        assert re.fullmatch(r"[01]\.\d{3}", ir)


def test_pooled_rate_one_has_no_z_p() -> None:
    """P1 eligibility, gender×zone: F×Kalat 2/2 against the reference M×Quetta 3/3 (rate 1, the larger of the
    tied categories): the pooled rate is 1, so z p is not computable while Fisher p is 1.000."""
    table, _ = _family_nodes(_tree(_render()), "P1", "applied → eligible", "gender×zone")
    row = next(r for r in table.rows() if r.cells()[0].text() == "F×Kalat")
    assert _cell_texts(row)[4:8] == ["1.000", "no", "1.000", "not computable (pooled rate 0 or 1)"]


def test_rate_chart_draws_the_four_fifths_line_and_flags_in_words() -> None:
    """P1 eligibility, gender: the reference rate is 1, so the dashed line sits at 180 + 360 × 4/5 = 468; F's
    bar (rate 1/2) is 180 px long and red, and the word FLAG stands next to it."""
    _, svg = _family_nodes(_tree(_render()), "P1", "applied → eligible", "gender")
    assert svg.find("path", class_="lim").attrs["d"] == "M468 18V62"
    assert svg.find("path", class_="bf").attrs["d"] == "M180 23h180v13H180z"
    assert svg.find("path", class_="b").attrs["d"] == "M180 43h360v13H180z"
    assert [t.text() for t in svg.find("g", class_="v fl").find_all("text")] == ["FLAG"]
    assert [t.text() for t in svg.find("g", class_="l").find_all("text")] == ["F", "M"]
    assert "Dashed line: 4/5 of the reference rate, 0.800" in svg.text()


def test_flag_words_match_flags_in_every_chart() -> None:
    """In every rate chart the number of FLAG words equals the number of flagged rows of its table."""
    root = _tree(_render())
    sec = _section(root, "fairness")
    kids = sec.child_elements()
    for i, n in enumerate(kids):
        if n.tag == "table" and n.attrs.get("class") == "fa":
            svg = kids[i + 1]
            flagged = sum(1 for r in n.rows()[1:] if r.cells()[5].text().startswith("FLAG"))
            words = sum(1 for t in svg.find_all("text") if t.text() == "FLAG")
            assert words == flagged


def test_exact_four_fifths_is_not_flagged_and_just_below_is() -> None:
    """F 4/5 against M 5/5 is exactly 0.8: shown "0.800", not flagged. F 3999/5000 against M 10/10 is 0.7998:
    rounding would print 0.800, so it is cut to "0.799" and flagged."""
    exact = [("F", "Kalat", "no", "no", int(i < 4), 0, 0, 0) for i in range(5)]
    exact += [("M", "Kalat", "no", "no", 1, 0, 0, 0)] * 5
    below = [("F", "Kalat", "no", "no", int(i < 3999), 0, 0, 0) for i in range(5000)]
    below += [("M", "Kalat", "no", "no", 1, 0, 0, 0)] * 10
    fairness = audit_doc({"P1": frame(exact), "P2": frame(below)})
    root = _tree(_render(fairness=fairness))
    t1, _ = _family_nodes(root, "P1", "applied → eligible", "gender")
    assert _cell_texts(t1.rows()[1])[:6] == ["F", "5", "4", "0.800", "0.800", "no"]
    t2, _ = _family_nodes(root, "P2", "applied → eligible", "gender")
    assert _cell_texts(t2.rows()[1])[:6] == [
        "F",
        "5,000",
        "3,999",
        "0.799",
        "0.799",
        "FLAG (1 more clears it)",
    ]


def test_excluded_category_under_the_two_percent_rule() -> None:
    """With the 2% rule on, a category with 1 of 60 rows (1.7%) is excluded: rate shown, ratio/flag/p-values
    "not computable (excluded)", grey bar marked "excluded" in words; the section says the rule is on."""
    rows = [("F", "Kalat", "no", "no", 0, 0, 0, 0)]
    rows += [("M", "Kalat", "no", "no", int(i % 2 == 0), 0, 0, 0) for i in range(59)]
    fairness = audit_doc({"P1": frame(rows), "P2": frame(rows)}, exclude_small=True)
    root = _tree(_render(fairness=fairness))
    table, svg = _family_nodes(root, "P1", "applied → eligible", "gender")
    cells = _cell_texts(table.rows()[1])
    assert cells == ["F", "1", "0", "0.000", "not computable (excluded)", "yes (under 2%)", "small sample"]
    assert table.rows()[1].cells()[4].attrs["colspan"] == "4"
    assert [t.text() for t in svg.find("g", class_="v").find_all("text")] == ["excluded", "reference"]
    assert "The 2% exclusion rule is on for this campaign." in _section(root, "fairness").text()


def test_top_twenty_excerpt() -> None:
    """Section 5 shows rank, id, masked CNIC, name, total (out of 100 when the post's total weight is not
    recorded) and slot (label and code), at most 20 rows sorted by rank; no tie-break column when the rows do
    not record it; an empty slot reads "no seat (waiting)"; a post with no one ranked says so."""
    s, _, _ = small_docs()
    extra = [
        {"rank": r, "application_id": f"B-{r:04d}", "cnic_masked": "XXXXX-XXXX000-0", "name": "x",
         "total": "10.0000", "slot": ""}
        for r in range(30, 3, -1)
    ]  # fmt: skip
    s["posts"][0]["top"] += extra
    sec = _section(_tree(_render(summary=s)), "merit")
    table = _table(sec, "Top 20 of the merit list: post P1")
    rows = [_cell_texts(r) for r in table.rows()]
    assert rows[0] == ["Rank", "Application id", "CNIC (masked)", "Name", "Total (out of 100)", "Slot"]
    assert rows[1] == ["1", "A-0009", "XXXXX-XXXX567-1", "عائشہ بی بی", "81.2500", "Merit (merit)"]
    assert rows[2][-1] == "Kalat (zone-kalat)" and rows[3][-1] == "no seat (waiting)"
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 21))
    assert "No one is ranked for this post." in sec.text()
    assert table.rows()[1].cells()[3].attrs["dir"] == "auto"


def test_verify_box() -> None:
    """Section 6 gives the command and says what ledger.head holds."""
    text = _section(_tree(_render()), "verify").text()
    assert "shafaf verify DIR" in text
    assert "ledger.head holds the head hash of the decision ledger" in text


def test_post_only_in_fairness_or_seats_is_still_shown() -> None:
    """A post present in seats and fairness but not in the summary follows the summary's posts, and the
    report warns when a summary post has no seat plan or no audit."""
    s, seats, fairness = small_docs()
    fairness["posts"]["P0"] = copy.deepcopy(fairness["posts"]["P2"])
    seats["posts"].append({**copy.deepcopy(seats["posts"][1]), "post": "P0", "title": "Extra"})
    del seats["posts"][1]
    root = _tree(_render(summary=s, seats=seats, fairness=fairness))
    h3 = [h.text() for h in _section(root, "fairness").find_all("h3")]
    assert h3 == ["Flags", "Post P1: Sub-Accountant", "Post P2: Junior Clerk", "Post P0: Extra"]
    assert "WARNING: no seat plan was recorded for post P2." in _section(root, "seats").text()


def test_scoring_stage_shows_its_median() -> None:
    """A stage audited with the scoring method states the method, the median and the not-scored count."""
    _, _, fairness = small_docs()
    stage = fairness["posts"]["P1"]["passed"]
    stage.update(method="scoring", median=61.25, not_scored=2)
    block = _stage_block(_tree(_render(fairness=fairness)), "P1", "eligible and tested → passed")
    assert block[0].text() == (
        "Method: scoring rate (share above the median); 7 people audited; median 61.25; not scored 2; "
        "2% exclusion rule off."
    )


@pytest.mark.parametrize("stage", [s[0] for s in STAGES])
def test_stage_blocks_have_every_family(stage: str) -> None:
    """Each stage of P1 has the five families, each with a table then a chart."""
    label = dict((s[0], s[3]) for s in STAGES)[stage]
    block = _stage_block(_tree(_render()), "P1", label)
    assert [n.text() for n in block if n.tag == "h5"] == [
        "Family: gender", "Family: zone", "Family: minority", "Family: disabled", "Family: gender×zone",
    ]  # fmt: skip
    assert [n.tag for n in block[1:]] == ["h5", "table", "svg"] * 5


def test_counts_of_p1_rows_match_the_hand_count() -> None:
    """Sanity of the fixture itself: P1 has 4 women, 6 men, one row without a zone."""
    frame_ = frame(P1_ROWS)
    assert frame_.get_column("gender").value_counts(sort=True).rows() == [("M", 6), ("F", 4)]
    assert frame_.get_column("zone").null_count() == 1
    women = frame_.filter(pl.col("gender") == "F")
    assert Fraction(int(women.get_column("eligible").sum()), women.height) == Fraction(1, 2)
