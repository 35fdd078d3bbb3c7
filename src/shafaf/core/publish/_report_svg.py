"""Inline SVG bar charts for ``report.html``, drawn by hand (no library, no script, no external reference).

Every chart is ``role="img"`` with a ``<title>`` (named by ``aria-labelledby``) and has a table with the same
numbers beside it. Flagged bars are red *and* say "FLAG" in text; excluded bars are grey *and* say
"excluded"; the four-fifths line is dashed, so no meaning rests on colour alone. Lengths are computed from
exact fractions and written with at most one decimal. The markup is kept small (one path per bar colour,
styling by CSS classes) because a campaign report holds about a hundred of these charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from shafaf.core.publish._report_format import count, cut3, esc

__all__ = ["Bar", "FunnelBar", "funnel_chart", "rate_chart"]

_ROW = 20
_BAR = 13
# Text is 12 px; 7 px is a generous average width of one character of it (digits of DejaVu Sans are 7.6 px,
# most letters and punctuation less), used to size a chart so that no text runs past its edge.
_CHAR_PX = 7
# Rate-chart labels end 6 px before the bars at x = 180: 24 characters of 7 px fit in the 174 px before it.
_LABEL_CHARS = 24


@dataclass(frozen=True, slots=True)
class Bar:
    """One category of a rate chart."""

    label: str
    rate: Fraction | None
    flag: bool
    excluded: bool
    reference: bool


@dataclass(frozen=True, slots=True)
class FunnelBar:
    """One stage of a funnel chart: ``value`` people, then ``note`` (plain text) after the count."""

    label: str
    value: int
    note: str


def _px(x: Fraction) -> str:
    text = f"{float(x):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _clip(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def _open(chart_id: str, width: int, height: int, title: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}"><title id="{chart_id}">{esc(title)}</title>'
    )


def _bars(cls: str, x0: int, top: int, rows: Sequence[tuple[int, Fraction]]) -> str:
    """One path with a bar of width ``w`` in row ``i`` for each ``(i, w)`` (zero widths drawn as nothing)."""
    y0 = top + (_ROW - _BAR) // 2
    d = "".join(f"M{x0} {y0 + i * _ROW}h{_px(w)}v{_BAR}H{x0}z" for i, w in rows if w > 0)
    return f'<path class="{cls}" d="{d}"/>' if d else ""


def _labels(x0: int, top: int, labels: Sequence[str]) -> str:
    """Row labels, right-aligned 6 px before ``x0``."""
    texts = "".join(f'<text y="{top + 14 + i * _ROW}">{esc(t)}</text>' for i, t in enumerate(labels))
    return f'<g class="l" transform="translate({x0 - 6} 0)">{texts}</g>'


def rate_chart(chart_id: str, title: str, bars: Sequence[Bar], reference_rate: Fraction | None) -> str:
    """Horizontal bars of the rate of each category on a fixed 0–1 scale, each followed by its marks (FLAG,
    excluded, reference; the rates themselves are in the table beside), with the four-fifths line (dashed) at
    4/5 of ``reference_rate`` when that rate is known and above 0."""
    width, x0, scale, top = 620, 180, 360, 20
    bottom = top + len(bars) * _ROW
    parts = [_open(chart_id, width, bottom + 26, title)]
    grid = "".join(f"M{x0 + scale * t // 4} {top - 4}V{bottom}" for t in range(5))
    parts.append(f'<path class="ax" d="{grid}"/><g class="tk">')
    parts.extend(f'<text x="{x0 + scale * t // 2}" y="{top - 7}">{t / 2:g}</text>' for t in range(3))
    parts.append("</g>")
    widths = [Fraction(0) if b.rate is None else scale * b.rate for b in bars]
    rows = list(enumerate(zip(bars, widths, strict=True)))
    parts.append(_bars("bx", x0, top, [(i, w) for i, (b, w) in rows if b.excluded]))
    parts.append(_bars("bf", x0, top, [(i, w) for i, (b, w) in rows if b.flag and not b.excluded]))
    parts.append(_bars("b", x0, top, [(i, w) for i, (b, w) in rows if not b.flag and not b.excluded]))
    parts.append(_labels(x0, top, [_clip(b.label) for b in bars]))
    flagged = "".join(
        f'<text x="{_px(x0 + w + 5)}" y="{top + 14 + i * _ROW}">FLAG</text>' for i, (b, w) in rows if b.flag
    )
    noted = "".join(
        f'<text x="{_px(x0 + w + 5)}" y="{top + 14 + i * _ROW}">'
        f"{'excluded' if b.excluded else 'reference'}</text>"
        for i, (b, w) in rows
        if b.excluded or b.reference
    )
    parts.append(f'<g class="v fl">{flagged}</g>' if flagged else "")
    parts.append(f'<g class="v">{noted}</g>' if noted else "")
    if reference_rate is not None and reference_rate > 0:
        limit = Fraction(4, 5) * reference_rate
        parts.append(f'<path class="lim" d="M{_px(x0 + scale * limit)} {top - 2}V{bottom + 2}"/>')
        legend = f"Dashed line: 4/5 of the reference rate, {cut3(limit)}"
    else:
        legend = "No four-fifths line: no reference rate above 0"
    parts.append(f'<text x="4" y="{bottom + 20}">{legend}</text></svg>')
    return "".join(parts)


def funnel_chart(chart_id: str, title: str, bars: Sequence[FunnelBar]) -> str:
    """Horizontal bars of a funnel, scaled to its largest stage, each followed by its count and note. The
    chart is as wide as its longest line of text needs (at :data:`_CHAR_PX` a character), so no text is cut
    at its edge."""
    x0, scale, top = 70, 190, 4
    largest = max((b.value for b in bars), default=0)
    widths = [Fraction(0) if largest == 0 else Fraction(scale * b.value, largest) for b in bars]
    texts = [count(b.value) + (f" · {b.note}" if b.note else "") for b in bars]
    ends = [x0 + w + 5 + _CHAR_PX * len(text) for w, text in zip(widths, texts, strict=True)]
    width = max([x0 + scale, *(math.ceil(e) + 4 for e in ends)])
    parts = [_open(chart_id, width, top + len(bars) * _ROW + 4, title)]
    parts.append(_bars("b", x0, top, list(enumerate(widths))))
    parts.append(_labels(x0, top, [b.label for b in bars]))
    values = "".join(
        f'<text x="{_px(x0 + w + 5)}" y="{top + 14 + i * _ROW}">{esc(text)}</text>'
        for i, (text, w) in enumerate(zip(texts, widths, strict=True))
    )
    parts.append(f'<g class="v">{values}</g></svg>')
    return "".join(parts)
