"""Number and text formatting of the report, and its chart geometry."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from shafaf.core.publish._report_format import (
    bdi,
    count,
    cut3,
    esc,
    first_sentence,
    number,
    percent_cut1,
    pvalue,
    short_hash,
)
from shafaf.core.publish._report_svg import Bar, FunnelBar, funnel_chart, rate_chart


def test_cut3_worked_values() -> None:
    """Ratios are cut, never rounded up: 2/3 → 0.666, 4/5 → 0.800, 3999/5000 → 0.799, 1 → 1.000, 0 → 0.000,
    0.9995 → 0.999; None → not computable."""
    assert cut3(Fraction(2, 3)) == "0.666"
    assert cut3(Fraction(4, 5)) == "0.800"
    assert cut3(Fraction(3999, 5000)) == "0.799"
    assert cut3(Fraction(1)) == "1.000"
    assert cut3(Fraction(0)) == "0.000"
    assert cut3(Fraction(9995, 10000)) == "0.999"
    assert cut3(None) == "not computable"


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_cut3_is_a_floor_and_preserves_the_four_fifths_line(x: int, n: int) -> None:
    """For any ratio r = x/n: cut3(r) ≤ r < cut3(r) + 0.001, so the printed value is below 0.800 exactly when
    r < 4/5 (a flagged ratio never prints as 0.800)."""
    r = Fraction(x, n)
    shown = Fraction(Decimal(cut3(r)))
    assert shown <= r < shown + Fraction(1, 1000)
    assert (shown < Fraction(4, 5)) == (r < Fraction(4, 5))


def test_pvalue_count_percent() -> None:
    """p-values with three decimals or "< 0.001"; counts with thousands separators; percentages cut."""
    assert pvalue(0.0004) == "&lt; 0.001"
    assert pvalue(0.001) == "0.001"
    assert pvalue(0.0528) == "0.053"
    assert pvalue(1.0) == "1.000"
    assert pvalue(None) == "not computable"
    assert count(1234567) == "1,234,567" and count(0) == "0"
    assert percent_cut1(2, 3) == "66.6%" and percent_cut1(1, 1) == "100.0%" and percent_cut1(0, 0) == "–"


def test_short_hash_keeps_the_full_value_in_the_title() -> None:
    """The first 12 characters and an ellipsis; the full value in the title attribute, escaped."""
    full = "0123456789abcdef" * 4
    assert short_hash(full) == f'<code class="sha" title="{full}">0123456789ab…</code>'
    assert short_hash('"<x>') == '<code class="sha" title="&quot;&lt;x&gt;">&quot;&lt;x&gt;</code>'


@given(st.text())
@example("a\rb\x0cc\x00d\x0be\x7f\x85\ud800<'\"&")
def test_esc_is_safe_and_reversible(text: str) -> None:
    """Escaped text has no markup character left, encodes as UTF-8 and unescapes to the input (forbidden
    control characters and lone surrogates replaced by U+FFFD)."""
    out = esc(text)
    assert not set(out) & set("<>\"'")
    cleaned = "".join(
        "\ufffd"
        if (ord(c) < 32 and c not in "\t\n\r\x0c") or 127 <= ord(c) <= 159 or 0xD800 <= ord(c) <= 0xDFFF
        else c
        for c in text
    )
    assert html.unescape(out) == cleaned
    out.encode("utf-8")


def test_bdi_only_for_right_to_left_or_direction_controls() -> None:
    """Latin text and "F×Kalat" are only escaped; Urdu and a right-to-left override are isolated."""
    assert bdi("F×Kalat") == "F×Kalat"
    assert bdi("<b>") == "&lt;b&gt;"
    assert bdi("کوئٹہ") == "<bdi>کوئٹہ</bdi>"
    assert bdi("abc\u202edef") == "<bdi>abc\u202edef</bdi>"
    assert bdi("\u0661") == "<bdi>\u0661</bdi>"  # Arabic-Indic digit one (class AN)


def test_rate_chart_geometry() -> None:
    """Rates 1/3 (flagged), 0 (flagged, no bar drawn), 5/6 (reference) and 1/2 (excluded) on a 360 px scale
    from x = 180; the dashed line at 180 + 360 · 4/5 · 5/6 = 420; rows 20 px apart from y = 23."""
    bars = [
        Bar("a", Fraction(1, 3), flag=True, excluded=False, reference=False),
        Bar("b", Fraction(0), flag=True, excluded=False, reference=False),
        Bar("c", Fraction(5, 6), flag=False, excluded=False, reference=True),
        Bar("d", Fraction(1, 2), flag=False, excluded=True, reference=False),
    ]
    svg = rate_chart("c9", "T <x>", bars, Fraction(5, 6))
    assert svg.startswith(
        '<svg viewBox="0 0 620 126" width="620" height="126" role="img" aria-labelledby="c9">'
        '<title id="c9">T &lt;x&gt;</title>'
    )
    assert '<path class="bf" d="M180 23h120v13H180z"/>' in svg
    assert '<path class="b" d="M180 63h300v13H180z"/>' in svg
    assert '<path class="bx" d="M180 83h180v13H180z"/>' in svg
    assert '<path class="lim" d="M420 18V102"/>' in svg
    assert '<g class="v fl"><text x="305" y="34">FLAG</text><text x="185" y="54">FLAG</text></g>' in svg
    assert '<g class="v"><text x="485" y="74">reference</text><text x="365" y="94">excluded</text></g>' in svg
    assert "Dashed line: 4/5 of the reference rate, 0.666" in svg


def test_rate_chart_without_reference_has_no_line() -> None:
    """With a reference rate of 0 no dashed line is drawn and the legend says why."""
    svg = rate_chart("c1", "t", [Bar("a", Fraction(0), False, False, True)], Fraction(0))
    assert 'class="lim"' not in svg and "No four-fifths line" in svg and 'class="b"' not in svg


def test_funnel_chart_scales_to_the_largest_stage() -> None:
    """Bars of 100 and 25 people: 190 px and 47.5 px long; counts and notes follow the bars 5 px after them,
    escaped. The chart is as wide as its longest text needs at 7 px a character, plus 4: "100" ends at
    70 + 190 + 5 + 3·7 = 286 and "25 · a<b" (8 characters) at 70 + 47.5 + 5 + 56 = 178.5, so 290 px."""
    svg = funnel_chart("c2", "F", [FunnelBar("in", 100, ""), FunnelBar("out", 25, "a<b")])
    assert svg.startswith('<svg viewBox="0 0 290 48" width="290" height="48" ')
    assert '<path class="b" d="M70 7h190v13H70zM70 27h47.5v13H70z"/>' in svg
    assert '<text x="265" y="18">100</text><text x="122.5" y="38">25 · a&lt;b</text>' in svg


def test_first_sentence_worked_values() -> None:
    """Split after the first ". ", "! ", "? " or Urdu full stop followed by white space and a character that is
    not lower case; closing quotes stay with the sentence; "e.g. the" does not split; one sentence → rest ""."""
    assert first_sentence("As understood in 2025. VERIFY it. More.") == (
        "As understood in 2025.",
        "VERIFY it. More.",
    )
    assert first_sentence("  One sentence only.  ") == ("One sentence only.", "")
    assert first_sentence("See e.g. the table. Then") == ("See e.g. the table.", "Then")
    assert first_sentence('He said "stop." Next') == ('He said "stop."', "Next")
    assert first_sentence("Urdu۔ دوسرا جملہ") == ("Urdu۔", "دوسرا جملہ")
    assert first_sentence("Why?\nBecause.") == ("Why?", "Because.")
    assert first_sentence("v1.2 is out") == ("v1.2 is out", "")
    assert first_sentence("") == ("", "")


@given(st.text())
def test_first_sentence_keeps_every_word(text: str) -> None:
    """The two parts, joined by the white space between them, give back the stripped text."""
    first, rest = first_sentence(text)
    stripped = text.strip()
    assert stripped.startswith(first)
    if rest:
        assert stripped.endswith(rest) and stripped[len(first) : len(stripped) - len(rest)].isspace()
    else:
        assert first == stripped


def test_number_never_prints_negative_zero() -> None:
    """-0.0 prints "0"; other values in their shortest general form."""
    assert number(-0.0) == "0"
    assert number(0.0) == "0"
    assert number(61.25) == "61.25"
    assert number(-1.5) == "-1.5"


def test_rate_chart_labels_are_clipped_to_fit_before_the_bars() -> None:
    """A 30-character label is clipped to 23 characters and an ellipsis (24 × 7 px = 168 px fit in the 174 px
    before the bars); a 24-character label is kept whole."""
    long, fits = "x" * 30, "y" * 24
    svg = rate_chart(
        "c1",
        "t",
        [Bar(long, Fraction(1), False, False, True), Bar(fits, None, False, False, False)],
        Fraction(1),
    )
    assert f">{'x' * 23}…</text>" in svg
    assert f">{fits}</text>" in svg


@given(st.lists(st.tuples(st.integers(0, 10**7), st.text(max_size=60)), min_size=1, max_size=8))
def test_funnel_chart_is_as_wide_as_its_text(bars: list[tuple[int, str]]) -> None:
    """Whatever the values and notes, each count-and-note text starts after its bar and, at 7 px a character,
    ends inside the chart; the chart is never narrower than its bars."""
    svg = funnel_chart("c1", "t", [FunnelBar(f"s{i}", v, note) for i, (v, note) in enumerate(bars)])
    width = int(svg.split('width="', 1)[1].split('"', 1)[0])
    assert width >= 70 + 190
    values = svg.split('<g class="v">', 1)[1]
    for x, text in re.findall(r'<text x="([0-9.]+)" y="[0-9]+">(.*?)</text>', values, flags=re.S):
        assert float(x) + 7 * len(html.unescape(text)) <= width
