"""Inline SVG bar charts for ``report.html``, drawn by hand (no library, no script, no external reference).

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` (``aria-labelledby`` both) and has a table
with the same numbers beside it. Flagged bars are red *and* say "FLAG" in text; excluded bars are grey *and*
say "excluded"; the four-fifths line is dashed, so no meaning rests on colour alone. Lengths are computed
from exact fractions and written with one decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from shafaf.core.publish._report_format import count, cut3, esc

__all__ = ["Bar", "FunnelBar", "funnel_chart", "rate_chart"]

_ROW = 22
_BAR = 14
_TOP = 24
_LABEL_CHARS = 26


@dataclass(frozen=True, slots=True)
class Bar:
    """One category of a rate chart."""

    label: str
    rate: Fraction | None
    n: int
    positives: int
    flag: bool
    excluded: bool
    reference: bool


@dataclass(frozen=True, slots=True)
class FunnelBar:
    """One stage of a funnel chart: ``value`` people, with ``note`` (already formatted text) after the count."""

    label: str
    value: int
    note: str


def _px(x: Fraction | float) -> str:
    text = f"{float(x):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _clip(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d"><title id="{chart_id}-t">{esc(title)}</title>'
        f'<desc id="{chart_id}-d">{esc(desc)}</desc>'
    )


def rate_chart(chart_id: str, title: str, bars: Sequence[Bar], reference_rate: Fraction | None) -> str:
    """Horizontal bars of the rate of each category on a fixed 0–1 scale, with the four-fifths line (dashed)
    at 4/5 of ``reference_rate`` when that rate is known and positive."""
    width, x0, scale = 760, 196, 360
    rows = len(bars)
    bottom = _TOP + rows * _ROW
    height = bottom + 34
    parts = [
        _open(
            chart_id,
            width,
            height,
            title,
            "Selection rate of each category as a bar from 0 to 1; the table beside the chart gives the "
            "same numbers.",
        )
    ]
    for tick in range(6):
        x = _px(x0 + Fraction(scale * tick, 5))
        parts.append(f'<line class="ax" x1="{x}" y1="{_TOP - 4}" x2="{x}" y2="{bottom}"/>')
        parts.append(f'<text x="{x}" y="{_TOP - 8}" text-anchor="middle">{tick / 5:.1f}</text>')
    for i, bar in enumerate(bars):
        y = _TOP + i * _ROW
        cls = "bx" if bar.excluded else "bf" if bar.flag else "b"
        w = Fraction(0) if bar.rate is None else scale * bar.rate
        parts.append(
            f'<text x="{x0 - 6}" y="{y + 15}" text-anchor="end">{esc(_clip(bar.label))}</text>'
            f'<rect class="{cls}" x="{x0}" y="{y + (_ROW - _BAR) // 2}" width="{_px(w)}" height="{_BAR}"/>'
        )
        note = f"{cut3(bar.rate)} ({count(bar.positives)}/{count(bar.n)})"
        extra = ""
        if bar.flag:
            extra += ' <tspan class="fl">FLAG</tspan>'
        if bar.excluded:
            extra += " excluded"
        if bar.reference:
            extra += " reference"
        parts.append(f'<text class="v" x="{_px(x0 + w + 6)}" y="{y + 15}">{note}{extra}</text>')
    if reference_rate is not None and reference_rate > 0:
        limit = Fraction(4, 5) * reference_rate
        x = _px(x0 + scale * limit)
        parts.append(f'<line class="lim" x1="{x}" y1="{_TOP - 2}" x2="{x}" y2="{bottom + 2}"/>')
        legend = (
            f"Dashed line: 4/5 of the reference rate ({cut3(reference_rate)}) = {cut3(limit)}; "
            "a bar ending left of it is flagged."
        )
    else:
        legend = "No four-fifths line: there is no reference category with a rate above 0."
    parts.append(f'<text x="4" y="{bottom + 24}">{esc(legend)}</text></svg>')
    return "".join(parts)


def funnel_chart(chart_id: str, title: str, bars: Sequence[FunnelBar]) -> str:
    """Horizontal bars of a funnel, scaled to its largest stage, each followed by its count and note."""
    width, x0, scale = 600, 96, 300
    top = 8
    height = top + len(bars) * _ROW + 6
    largest = max((b.value for b in bars), default=0)
    parts = [
        _open(
            chart_id,
            width,
            height,
            title,
            "Number of people at each stage as a bar; the funnel table gives the same numbers.",
        )
    ]
    for i, bar in enumerate(bars):
        y = top + i * _ROW
        w = Fraction(0) if largest == 0 else Fraction(scale * bar.value, largest)
        note = f" · {esc(bar.note)}" if bar.note else ""
        parts.append(
            f'<text x="{x0 - 6}" y="{y + 15}" text-anchor="end">{esc(bar.label)}</text>'
            f'<rect class="b" x="{x0}" y="{y + (_ROW - _BAR) // 2}" width="{_px(w)}" height="{_BAR}"/>'
            f'<text class="v" x="{_px(x0 + w + 6)}" y="{y + 15}">{count(bar.value)}{note}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
