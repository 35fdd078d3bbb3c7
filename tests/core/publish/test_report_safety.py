"""report.html: escaping of hostile input, offline-ness, determinism and the size budget."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from shafaf.core.publish.report import render_report
from tests.core.publish.helpers import P1_ROWS, P2_ROWS, audit_doc, big_docs, frame, small_docs
from tests.core.publish.htmltree import parse

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src="http://evil.example/x.png" onerror="alert(2)">'
QUOTE = 'x" onmouseover="alert(3)'


def _hostile() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Every text field the report shows, filled with markup: ids, names, labels, titles, hashes, reasons,
    category labels and family names."""
    s, se, f = small_docs()
    s["campaign"] = {k: SCRIPT for k in s["campaign"]}
    s["software"]["version"] = SCRIPT
    s["inputs"][0].update(file=IMG, sha256=QUOTE)
    s["policies"][0].update(name=SCRIPT, version=IMG, sha256=QUOTE)
    s["geography"] = {"version": SCRIPT, "note": IMG}
    post = s["posts"][0]
    post.update(code="P1", title=IMG)
    post["top"][0].update(application_id=SCRIPT, name=IMG, total=SCRIPT, slot=QUOTE, cnic_masked=SCRIPT)
    seat = se["posts"][0]
    seat.update(title=SCRIPT, policy=IMG)
    seat["slots"][2].update(slot=SCRIPT, label=IMG, approver=QUOTE)
    seat["reasons"][0].update(code=SCRIPT, text=IMG)
    rows = [(SCRIPT if g == "F" else g, z, m, d, e, t, p, x) for g, z, m, d, e, t, p, x in P1_ROWS]
    f = audit_doc({"P1": frame(rows), "P2": frame(P1_ROWS)})
    stage = f["posts"]["P1"]["eligible"]
    stage["families"] = {IMG if k == "zone" else k: v for k, v in stage["families"].items()}
    f["stages"]["eligible"] = SCRIPT
    return s, se, f


def test_hostile_text_is_escaped_everywhere() -> None:
    """No markup from the input survives: no script, img or event attribute reaches the document; the texts
    are there, escaped; the tree is still well formed."""
    s, se, f = _hostile()
    html = render_report(summary=s, seats=se, fairness=f)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=&quot;http://evil.example/x.png&quot; onerror=&quot;alert(2)&quot;&gt;" in html
    assert "x&quot; onmouseover=&quot;alert(3)" in html
    root, errors = parse(html)
    assert errors == []
    tags = {n.tag for n in root.iter()}
    assert not tags & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    for n in root.iter():
        assert not any(a.startswith("on") for a in n.attrs), n.tag
        assert "src" not in n.attrs
    # the hostile category label is in the table, in the chart and in the flags summary, as text
    assert root.text().count(SCRIPT) >= 10


def test_control_characters_are_replaced() -> None:
    """A NUL or other control character in a name (forbidden in HTML) becomes U+FFFD; tabs and newlines
    stay."""
    s, se, f = small_docs()
    s["posts"][0]["top"][1]["name"] = "A\x00B\x1bC\tD"
    html = render_report(summary=s, seats=se, fairness=f)
    assert "A\ufffdB\ufffdC\tD" in html
    assert not re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", html)


def test_urdu_text_sits_in_auto_direction_cells_or_bdi() -> None:
    """Urdu names are in dir="auto" cells; an Urdu post title inside an English sentence is wrapped in <bdi>;
    ASCII titles are not wrapped."""
    s, se, f = small_docs()
    s["posts"][1]["title"] = "جونیئر کلرک"
    html = render_report(summary=s, seats=se, fairness=f)
    root, errors = parse(html)
    assert errors == []
    name_cells = [c for c in root.find_all("td") if c.text() == "عائشہ بی بی"]
    assert name_cells and all(c.attrs.get("dir") == "auto" for c in name_cells)
    assert "<h3>Post P2: <bdi>جونیئر کلرک</bdi></h3>" in html
    assert "<h3>Post P1: Sub-Accountant</h3>" in html


def test_offline_no_external_reference() -> None:
    """Nothing is fetched: no http(s) URL, no src attribute, no script, no stylesheet link, no CSS url() or
    @import; every href is an in-page anchor; a Content Security Policy forbids any load."""
    for docs in (small_docs(), big_docs(posts=2, applicants=120)):
        html = render_report(summary=docs[0], seats=docs[1], fairness=docs[2])
        lowered = html.lower()
        for needle in ("http://", "https://", "src=", "<script", "<link", "url(", "@import", "<iframe", "//"):
            assert needle not in lowered.replace("http-equiv", ""), needle
        root, _ = parse(html)
        for n in root.iter():
            assert n.attrs.get("href", "#").startswith("#")  # type: ignore[union-attr]
        csp = root.find("meta", **{"http-equiv": "Content-Security-Policy"})
        assert csp.attrs["content"] is not None and csp.attrs["content"].startswith("default-src 'none';")


def test_deterministic_output() -> None:
    """The same documents give the same string: twice in a row, after a JSON round trip, from deep copies,
    and when the audit's rows were shuffled; rendering does not modify its inputs."""
    s, se, f = small_docs()
    before = json.dumps([s, se, f], sort_keys=True)
    first = render_report(summary=s, seats=se, fairness=f)
    assert render_report(summary=s, seats=se, fairness=f) == first
    assert json.dumps([s, se, f], sort_keys=True) == before
    again = json.loads(json.dumps([s, se, f]))
    assert render_report(summary=again[0], seats=again[1], fairness=again[2]) == first
    assert (
        render_report(summary=copy.deepcopy(s), seats=copy.deepcopy(se), fairness=copy.deepcopy(f)) == first
    )
    shuffled = {
        "P1": frame(P1_ROWS).sample(fraction=1.0, shuffle=True, seed=3),
        "P2": frame(P2_ROWS).sample(fraction=1.0, shuffle=True, seed=5),
    }
    assert render_report(summary=s, seats=se, fairness=audit_doc(shuffled)) == first


def test_no_timestamp_in_output() -> None:
    """No date or time appears except the campaign's own dates (2025-03-31)."""
    s, se, f = small_docs()
    html = render_report(summary=s, seats=se, fairness=f)
    dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", html))
    assert dates == {"2025-03-31"}
    assert not re.search(r"\d{2}:\d{2}:\d{2}", html)


def test_size_budget_five_posts() -> None:
    """5 posts × 600 applicants, 16 slots each, 4 stages × 5 families (30 categories a stage, hundreds of
    flags from small intersections): under 300 KB of UTF-8."""
    s, se, f = big_docs()
    html = render_report(summary=s, seats=se, fairness=f)
    size = len(html.encode("utf-8"))
    assert size < 300_000, size
    root, errors = parse(html)
    assert errors == []
    assert len(root.find_all("table", class_="fa")) == 5 * 4 * 5
    # each post's slot table has 16 slot rows (+ header and total)
    for i in range(5):
        caption = f"Seats by slot: post P{i + 1}"
        table = next(t for t in root.find_all("table") if t.find("caption").text() == caption)
        assert len(table.rows()) == 18
