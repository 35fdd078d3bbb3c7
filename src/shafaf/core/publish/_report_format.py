"""Text and number formatting for ``report.html``: escaping, counts, exact ratios, p-values, hashes, the CSS.

Conventions (stated in the report itself):

* every text from the input goes through :func:`esc` (HTML-escaped, quotes included; control characters
  that HTML forbids and lone surrogates become U+FFFD);
* ratios are computed exactly from the counts and **cut** (rounded toward zero) to three decimals, so a ratio
  below 4/5 never prints as 0.800 and a rate below 1 never prints as 1.000;
* p-values print with three decimals, or "< 0.001";
* a value that is null prints as "not computable", never as a blank or 1.0;
* no number prints as a negative zero ("-0", "-0.0");
* a closed ``<details>`` (the rest of a long note) prints open where the browser allows it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from fractions import Fraction

__all__ = [
    "CSS",
    "NOT_COMPUTABLE",
    "bdi",
    "count",
    "cut3",
    "esc",
    "first_sentence",
    "number",
    "percent_cut1",
    "pvalue",
    "short_hash",
]

NOT_COMPUTABLE = "not computable"
# Bidi classes that can reorder neighbouring text: right-to-left letters, Arabic numbers, and the embedding,
# override and isolate controls.
_RTL_OR_CONTROL = frozenset({"R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"})
# C0 controls other than tab, LF, FF and CR, DEL and the C1 controls (parse errors in HTML), and lone
# surrogates (which cannot be written as UTF-8).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def esc(text: str) -> str:
    """``text`` safe inside HTML text and inside a double- or single-quoted attribute."""
    return html.escape(_FORBIDDEN.sub("\ufffd", text), quote=True)


def bdi(text: str) -> str:
    """Input text placed inside an English sentence: isolated, so Urdu (right-to-left) text or a stray
    direction mark cannot reorder the words around it. Text with no right-to-left character and no
    direction control needs no isolation and is only escaped."""
    if any(unicodedata.bidirectional(ch) in _RTL_OR_CONTROL for ch in text):
        return f"<bdi>{esc(text)}</bdi>"
    return esc(text)


def count(n: int) -> str:
    """A whole number with thousands separators: 1234567 → "1,234,567"."""
    return f"{n:,}"


def cut3(value: Fraction | None) -> str:
    """A non-negative ratio cut to three decimals: 2/3 → "0.666", 4/5 → "0.800", 0.7999… → "0.799"."""
    if value is None:
        return NOT_COMPUTABLE
    thousandths = value.numerator * 1000 // value.denominator
    return f"{thousandths // 1000}.{thousandths % 1000:03d}"


def percent_cut1(part: int, whole: int) -> str:
    """``part / whole`` as a percentage cut to one decimal: 2/3 → "66.6%"; a zero ``whole`` → "–"."""
    if whole == 0:
        return "–"
    tenths = part * 1000 // whole
    return f"{tenths // 10}.{tenths % 10}%"


def number(x: float) -> str:
    """A float in its shortest general form ("61.25", "0"); a negative zero prints as "0"."""
    return f"{x + 0.0:g}"  # -0.0 + 0.0 is +0.0


# A candidate end of sentence: a full stop (Latin or Urdu), "!" or "?", then any closing quotes or brackets,
# then white space.
_SENTENCE_END = re.compile(r"[.!?\u06d4][\"'\u2019\u201d)\]]*(\s+)")


def first_sentence(text: str) -> tuple[str, str]:
    """``text`` (stripped) split after its first sentence: (first sentence, the rest), the rest "" when there
    is only one sentence. A full stop followed by a lower-case letter ("e.g. the") does not end a sentence."""
    text = text.strip()
    for m in _SENTENCE_END.finditer(text):
        if not text[m.end()].islower():
            return text[: m.start(1)], text[m.end() :]
    return text, ""


def pvalue(p: float | None) -> str:
    """A p-value as HTML: "0.046", "1.000", "&lt; 0.001"; null → "not computable"."""
    if p is None:
        return NOT_COMPUTABLE
    if p < 0.001:
        return "&lt; 0.001"
    return f"{p:.3f}"


def missing_posts_warning(what: str, codes: list[str]) -> str:
    """A WARNING box naming the posts for which ``what`` (e.g. "seat plan") was not recorded; "" if none."""
    if not codes:
        return ""
    return (
        f'<p class="box warn">WARNING: no {what} was recorded for post '
        + ", ".join(bdi(c) for c in codes)
        + ".</p>"
    )


def short_hash(sha256: str) -> str:
    """A hash shown by its first 12 characters, the full value in the title attribute (printed in full)."""
    short = sha256 if len(sha256) <= 12 else sha256[:12] + "…"
    return f'<code class="sha" title="{esc(sha256)}">{esc(short)}</code>'


# Colours: text #1b1b1b on white (contrast 17:1); flag red #a4161a on #fdecea (7.3:1); bars #2b5a84 and
# #a4161a against white (both > 4.5:1). Flags and warnings also say so in words; colour is never the only cue.
CSS = """\
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1120px;padding:16px 24px 48px;color:#1b1b1b;background:#fff;
font:15px/1.45 system-ui,"Segoe UI","Noto Sans","Noto Nastaliq Urdu","Noto Naskh Arabic",
"Jameel Noori Nastaleeq","Urdu Typesetting",Arial,sans-serif}
h1{font-size:1.7em;margin:.4em 0 .2em}
h2{font-size:1.35em;margin:1.6em 0 .5em;padding-top:.4em;border-top:2px solid #2b5a84}
h3{font-size:1.15em;margin:1.3em 0 .4em}
h4{font-size:1.05em;margin:1.1em 0 .3em}
h5{font-size:1em;margin:1em 0 .3em}
p{margin:.4em 0}
code{font-family:ui-monospace,"DejaVu Sans Mono",Consolas,monospace;font-size:.92em}
nav ul{columns:2;margin:.3em 0;padding-left:1.2em}
ul.box{padding-left:2em}
a{color:#174a7c}
table{border-collapse:collapse;margin:.4em 0 .8em;font-size:.9em}
caption{text-align:left;font-weight:600;padding:.2em 0}
th,td{border:1px solid #9aa5b1;padding:3px 7px;vertical-align:top}
thead th{background:#e8eef4}
tbody th{text-align:left;font-weight:600}
td.r,table.fa td:nth-child(-n+5),table.fl td:nth-child(4){text-align:right;font-variant-numeric:tabular-nums}
tfoot td,tfoot th{font-weight:700;background:#f3f5f7}
.box{border:2px solid #2b5a84;background:#f2f6fa;padding:8px 14px;margin:.7em 0}
.warn{border-color:#a4161a;background:#fdecea}
.ok{border-color:#1e6b3a;background:#eef7f0}
.box code{white-space:nowrap}
.flag,td strong{color:#a4161a;font-weight:700}
.muted{color:#4a4a4a}
.na{color:#4a4a4a;font-style:italic}
table.fa td.na{text-align:left}
table.fl td:nth-child(-n+2){white-space:nowrap}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:.4em 0}
dl.meta dt{font-weight:600}
dl.meta dd{margin:0}
figure{margin:.4em 0 1em}
figcaption{font-size:.88em;color:#333}
.charts{display:flex;flex-wrap:wrap;gap:4px 24px}
.charts figure{margin:.3em 0}
svg{max-width:100%;height:auto;display:block}
svg text{font-size:12px;fill:#1b1b1b}
svg .l text{text-anchor:end}
svg .tk text{text-anchor:middle}
svg .ax{stroke:#c4ccd4;stroke-width:1;fill:none}
svg .b{fill:#2b5a84}
svg .bf{fill:#a4161a}
svg .bx{fill:#8a949e}
svg .lim{stroke:#1b1b1b;stroke-width:2;stroke-dasharray:6 4;fill:none}
svg .fl{fill:#a4161a;font-weight:700}
svg .v text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
@media print{
body{max-width:none;padding:0;font-size:10pt}
nav{display:none}
h2{border-top:none}
h2,h3,h4,h5{break-after:avoid}
table,figure,.box{break-inside:avoid}
thead{display:table-header-group}
tr{break-inside:avoid}
a{color:inherit;text-decoration:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
code.sha{font-size:0}
code.sha::after{content:attr(title);font-size:8pt;word-break:break-all}
details::details-content{content-visibility:visible;display:block}
@page{margin:14mm 12mm}
}
"""
