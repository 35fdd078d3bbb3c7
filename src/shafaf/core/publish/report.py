"""``report.html``: the self-contained public report of one campaign run.

:func:`render_report` turns the run's three JSON documents (``summary``, ``seats``, ``fairness``) into one
HTML5 document: inline CSS, inline SVG charts drawn here, no script and no external reference (a Content
Security Policy forbids fetching anything), so it opens offline and prints (an ``@media print`` block).
Same input → the same string: no clock, ids numbered in document order, input order kept where it is
meaningful. Optional end tags of table cells and rows are omitted (valid HTML5) to keep the file light.

Sections: at a glance; 1 campaign and inputs (hashes); 2 the funnel (intake reconciliation, per-post table
and charts); 3 seats (slots, unfilled seats and what happens to them, rotation pointer); 4 the fairness audit
(flags first); 5 the top 20 of each merit list; 6 how to verify. Posts appear in the summary's order; a post
that is only in ``seats`` or ``fairness`` follows, by code.

Every input text is HTML-escaped; text that may be Urdu sits in ``dir="auto"`` cells or ``<bdi>``. Problems
the report can see (counts that do not add up, unfilled seats without an action, a conversion to merit
without an approver) are shown as warnings in words, never by colour alone. Malformed documents raise
:class:`~shafaf.core.errors.InputError` (see :mod:`shafaf.core.publish._report_input`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shafaf.core.publish._report_fairness import fairness_section, flags_by_stage, flags_of, reading_flags
from shafaf.core.publish._report_format import (
    CSS,
    bdi,
    count,
    esc,
    first_sentence,
    missing_posts_warning,
    percent_cut1,
    short_hash,
)
from shafaf.core.publish._report_input import (
    POST_COUNT_KEYS,
    PolicyRef,
    PostSeats,
    PostSummary,
    ReportData,
    SeatSlot,
    read_report_data,
)
from shafaf.core.publish._report_svg import FunnelBar, funnel_chart

__all__ = ["DEFAULT_TOTAL_WEIGHT", "TOP_ROWS", "render_report"]

#: Rows of each post's merit list shown in the report (the full list is published separately).
TOP_ROWS = 20

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

# (whole, part, rest): the funnel's splits, each checked as whole = part + rest.
_SPLITS = (
    ("accepted", "eligible", "ineligible"),
    ("eligible", "tested", "absent"),
    ("tested", "passed", "failed"),
    ("passed", "selected", "waiting"),
)
_ACTION_TEXT = {
    "carry_forward": "carried forward to the next advertisement",
    "readvertise": "re-advertised",
    "convert_to_merit": "converted to merit",
}
# The tie-break codes of the merit ranking, in words ("decided by: older").
_TIE_TEXT = {
    "test": "written-test marks",
    "interview": "interview marks",
    "older": "older",
    "higher_qualification": "higher qualification",
    "min_qual_percent": "qualification percentage",
    "earlier_min_qual_date": "earlier qualification date",
}
#: What a merit total is out of when the summary does not say.
DEFAULT_TOTAL_WEIGHT = "100"


def render_report(
    *, summary: Mapping[str, Any], seats: Mapping[str, Any], fairness: Mapping[str, Any]
) -> str:
    """The campaign's ``report.html`` (a complete UTF-8 HTML5 document, ending in a newline).

    Raises :class:`~shafaf.core.errors.InputError` when a document lacks a field the report shows, holds a
    value of the wrong type, a whole (unmasked) CNIC, or a ratio that does not match its counts.
    """
    return _Report(read_report_data(summary=summary, seats=seats, fairness=fairness)).render()


def _table(caption: str, head: Sequence[str], body: Sequence[str], foot: str = "") -> str:
    """A table with column headers (``scope="col"``); ``body`` rows are complete ``<tr>`` strings."""
    cols = "".join(f'<th scope="col">{h}' for h in head)
    tfoot = f"<tfoot>{foot}</tfoot>" if foot else ""
    return (
        f"<table><caption>{caption}</caption><thead><tr>{cols}</thead>"
        f"<tbody>{''.join(body)}</tbody>{tfoot}</table>"
    )


def _num(n: int) -> str:
    return f'<td class="r">{count(n)}'


def _split_problems(name: str, counts: Mapping[str, int]) -> list[str]:
    out = []
    for whole, part, rest in _SPLITS:
        w, a, b = counts[whole], counts[part], counts[rest]
        if w != a + b:
            out.append(
                f"<li><strong>CHECK</strong> {name}: {whole} {count(w)} ≠ {part} {count(a)} + {rest} "
                f"{count(b)} (difference {count(w - a - b)})</li>"
            )
    return out


def _unverified_notice(p: PolicyRef) -> str:
    """A calm notice that a policy pack rests on notifications not yet verified against the official text
    ("" when none). The refs are counted when listed; ``unverified_count`` is used only when they are not."""
    refs = p.unverified
    n = len(refs) if refs else p.unverified_count or 0
    if n == 0:
        return ""
    listed = ": " + ", ".join(f"<code>{esc(r)}</code>" for r in refs) if refs else ""
    return (
        f'<p class="box"><strong>Not yet verified:</strong> the policy pack {bdi(p.version)} rests on '
        f"{'a notification' if n == 1 else f'{count(n)} notifications'} not yet verified against the official "
        f"text{listed}. See <code>docs/policy-packs.md</code> for how a pack is checked and overridden.</p>"
    )


def _tie_text(code: str | None) -> str:
    if code is None:
        return '<span class="muted">no tie</span>'
    if code == "flag":
        return '<span class="flag">UNRESOLVED</span>: no rule separated them; a person decides'
    return f"decided by: {esc(_TIE_TEXT.get(code, code))}"


def _unfilled_action(s: SeatSlot) -> str:
    """What happens to the slot's unfilled seats, in words (with WARNING when the record is incomplete)."""
    if s.unfilled == 0:
        return "none unfilled"
    if s.action is None:
        return '<span class="flag">WARNING</span>: no action recorded'
    text = _ACTION_TEXT[s.action]
    if s.action == "convert_to_merit":
        if s.approver is None or not s.approver.strip():
            return f'{text}; <span class="flag">WARNING</span>: no approver recorded'
        return f"{text}, approved by {bdi(s.approver)}"
    return text


class _Report:
    def __init__(self, data: ReportData) -> None:
        self.d = data
        self._ids = 0
        s = data.summary
        self.summary_posts = {p.code: p for p in s.posts}
        self.seat_posts = {p.post: p for p in data.seats}
        audited = [p.post for p in data.fairness.posts]
        extra = sorted({*self.seat_posts, *audited} - set(self.summary_posts))
        self.order = [p.code for p in s.posts] + extra
        self.titles: dict[str, str] = {p.post: p.title for p in data.seats}
        self.titles.update({p.code: p.title for p in s.posts})

    def new_id(self) -> str:
        self._ids += 1
        return f"c{self._ids}"

    def _post_heading(self, code: str) -> str:
        title = self.titles.get(code)
        return f"Post {bdi(code)}" + ("" if title is None else f": {bdi(title)}")

    # -----------------------------------------------------------------------------------------------------
    def render(self) -> str:
        c = self.d.summary.campaign
        sw = self.d.summary
        body = [
            self._header(),
            self._nav(),
            "<main>",
            self._glance(),
            self._campaign(),
            self._funnel(),
            self._seats(),
            fairness_section(self.d.fairness, self.order, self.titles, self.new_id),
            self._merit(),
            self._verify(),
            "</main>",
            f'<footer><p class="muted">Produced by {esc(sw.software_name)} {esc(sw.software_version)} '
            f"from the run “{bdi(c.run_label)}”. This file is self-contained: it loads nothing from any "
            "network.</p></footer>",
        ]
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="{esc(sw.software_name)} {esc(sw.software_version)}">\n'
            f"<title>{esc(c.title)}: campaign report ({esc(c.advertisement)})</title>\n"
            f"<style>\n{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
        )

    def _header(self) -> str:
        c = self.d.summary.campaign
        return (
            f'<header><p class="muted">{bdi(c.department)} · Advertisement {bdi(c.advertisement)}</p>'
            f'<h1 dir="auto">{esc(c.title)}</h1><p>Campaign report: how the applications were checked, '
            "ranked and placed on seats, and what the fairness audit found.</p></header>"
        )

    def _nav(self) -> str:
        links = [
            ("glance", "At a glance"),
            ("campaign", "1. Campaign and inputs"),
            ("funnel", "2. Application funnel"),
            ("seats", "3. Seats"),
            ("fairness", "4. Fairness audit"),
            ("merit", "5. Merit lists (top 20)"),
            ("verify", "6. How to verify"),
        ]
        items = "".join(f'<li><a href="#{i}">{t}</a></li>' for i, t in links)
        return f'<nav aria-label="Contents"><ul>{items}</ul></nav>'

    # -----------------------------------------------------------------------------------------------------
    def _glance(self) -> str:
        s = self.d.summary
        k = s.counts
        vacancies = sum(p.vacancies for p in s.posts)
        flags = flags_of(self.d.fairness.posts)
        unfilled = sum(slot.unfilled for p in self.d.seats for slot in p.slots)
        items = [
            f"<li>{count(len(s.posts))} post{'' if len(s.posts) == 1 else 's'}, "
            f"{count(vacancies)} vacanc{'y' if vacancies == 1 else 'ies'}.</li>",
            f"<li>{count(k['rows_in'])} application rows in; {count(k['accepted'])} accepted; "
            f"{count(k['eligible'])} eligible; {count(k['passed'])} passed; "
            f"{count(k['selected'])} selected.</li>",
            f"<li>{self._reconciliation()}</li>",
        ]
        items.extend(f'<li><span class="flag">WARNING</span> {bdi(w)}</li>' for w in s.warnings)
        if flags:
            notes = [reading_flags(self.d.fairness)]
            if any(f.category.small_sample for f in flags):
                notes.append(
                    "<em>Small sample</em>: n under 30 or fewer than 5 expected positives, where one person "
                    "can move a ratio a long way."
                )
            items.append(
                f'<li><span class="flag">FLAG</span> {count(len(flags))} four-fifths '
                f"flag{'' if len(flags) == 1 else 's'}: {flags_by_stage(self.d.fairness)}; "
                f'<a href="#flags">see the list</a>.<ul>{"".join(f"<li>{x}</li>" for x in notes)}</ul></li>'
            )
        else:
            items.append('<li>No four-fifths flags (<a href="#flags">fairness audit</a>).</li>')
        if unfilled:
            items.append(
                f'<li><span class="flag">UNFILLED</span> {count(unfilled)} '
                f'seat{"" if unfilled == 1 else "s"} not filled: <a href="#seats">see the seats</a>.</li>'
            )
        else:
            items.append("<li>Every seat is filled.</li>")
        return (
            '<section id="glance" aria-labelledby="glance-h"><h2 id="glance-h">At a glance</h2>'
            f'<ul class="box">{"".join(items)}</ul></section>'
        )

    def _reconciliation(self) -> str:
        k = self.d.summary.counts
        rows_in, acc, rej = k["rows_in"], k["accepted"], k["rejected"]
        numbers = f"{count(rows_in)} {{}} {count(acc)} + {count(rej)}"
        if rows_in == acc + rej:
            return f"Reconciliation: rows in = accepted + rejected: {numbers.format('=')} (adds up)."
        return (
            f'<span class="flag">CHECK</span> Reconciliation: rows in = accepted + rejected does not hold: '
            f"{numbers.format('≠')}; difference {count(rows_in - acc - rej)}."
        )

    # -----------------------------------------------------------------------------------------------------
    def _campaign(self) -> str:
        s = self.d.summary
        c = s.campaign
        meta = [
            ("Department", bdi(c.department)),
            ("Advertisement", bdi(c.advertisement)),
            ("Title", bdi(c.title)),
            ("Closing date", esc(c.closing_date)),
            (
                "Eligibility date",
                esc(c.eligibility_date) + ' <span class="muted">(ages and experience are '
                "counted on this date)</span>",
            ),
            ("Run label", bdi(c.run_label)),
            ("Software", f"{esc(s.software_name)} {esc(s.software_version)}"),
            ("Geography table", f"version {bdi(s.geography_version)}"),
            ("Geography note", self._geography_note()),
        ]
        dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta)
        policies = [
            f'<tr><th scope="row" dir="auto">{esc(p.name)}<td dir="auto">{esc(p.version)}'
            f"<td>{short_hash(p.sha256)}"
            for p in s.policies
        ]
        inputs = [
            f'<tr><th scope="row">{esc(f.role)}<td dir="auto">{esc(f.file)}<td>{short_hash(f.sha256)}'
            for f in s.inputs
        ]
        out = [
            '<section id="campaign" aria-labelledby="campaign-h">'
            '<h2 id="campaign-h">1. Campaign and inputs</h2>',
            f'<dl class="meta">{dl}</dl>',
            "<h3>Policy packs</h3>",
            _table("Policy packs used", ["Pack", "Version", "SHA-256"], policies)
            if policies
            else "<p>No policy pack recorded.</p>",
            *(_unverified_notice(p) for p in s.policies),
            "<h3>Input files</h3>",
            _table("Input files and their SHA-256", ["Role", "File", "SHA-256"], inputs)
            if inputs
            else "<p>No input file recorded.</p>",
            '<p class="muted">Hashes show their first 12 characters; the full value is in the tooltip and is '
            "printed in full.</p></section>",
        ]
        return "".join(out)

    def _geography_note(self) -> str:
        """The note's first sentence; the rest (long, copied verbatim from the table) in a <details>."""
        first, rest = first_sentence(self.d.summary.geography_note)
        if not rest:
            return f'<span dir="auto">{esc(first)}</span>'
        return (
            f'<span dir="auto">{esc(first)}</span><details><summary>The rest of the note</summary>'
            f'<p dir="auto">{esc(rest)}</p></details>'
        )

    # -----------------------------------------------------------------------------------------------------
    def _funnel(self) -> str:
        s = self.d.summary
        k = s.counts
        intake = _table(
            "Intake of application rows",
            ["Rows in", "Accepted", "Rejected", "Duplicates"],
            [f"<tr>{_num(k['rows_in'])}{_num(k['accepted'])}{_num(k['rejected'])}{_num(k['duplicates'])}"],
        )
        heads = ["Post", *(key.capitalize() for key in POST_COUNT_KEYS)]
        rows = [
            f'<tr><th scope="row">{self._post_cell(p)}'
            + "".join(_num(p.counts[key]) for key in POST_COUNT_KEYS)
            for p in s.posts
        ]
        foot = '<tr><th scope="row">Whole campaign' + "".join(_num(k[key]) for key in POST_COUNT_KEYS)
        problems = _split_problems("whole campaign", k)
        for p in s.posts:
            problems.extend(_split_problems(f"post {bdi(p.code)}", p.counts))
        splits = ", ".join(f"{w} = {a} + {b}" for w, a, b in _SPLITS)
        if problems:
            check = (
                f'<div class="box warn"><p>These splits do not add up ({splits}):</p>'
                f"<ul>{''.join(problems)}</ul></div>"
            )
        else:
            check = f"<p>Every split adds up for every post and the whole campaign: {splits}.</p>"
        charts = [self._funnel_figure("Whole campaign", k, with_rows_in=True)]
        charts.extend(self._funnel_figure(f"Post {p.code}", p.counts, with_rows_in=False) for p in s.posts)
        out = [
            '<section id="funnel" aria-labelledby="funnel-h"><h2 id="funnel-h">2. Application funnel</h2>',
            "<h3>Intake</h3>",
            intake,
            f"<p>{self._reconciliation()}</p>",
            "<h3>Funnel by post</h3>",
            _table("People at each stage, by post", heads, rows, foot),
            check,
            "<h3>Funnel charts</h3>",
            f'<div class="charts">{"".join(charts)}</div>',
            "</section>",
        ]
        return "".join(out)

    def _post_cell(self, p: PostSummary) -> str:
        return (
            f'{bdi(p.code)} <span class="muted">{bdi(p.title)}, BPS-{p.bps}, {count(p.vacancies)} vac.</span>'
        )

    def _funnel_figure(self, name: str, k: Mapping[str, int], *, with_rows_in: bool) -> str:
        acc = k["accepted"]
        bars = [FunnelBar("rows in", k["rows_in"], "")] if with_rows_in else []
        bars.append(FunnelBar("accepted", acc, f"rejected {count(k['rejected'])}" if with_rows_in else ""))
        for label, rest in (
            ("eligible", "ineligible"),
            ("tested", "absent"),
            ("passed", "failed"),
            ("selected", "waiting"),
        ):
            share = percent_cut1(k[label], acc)
            bars.append(FunnelBar(label, k[label], f"{share} of accepted; {rest} {count(k[rest])}"))
        chart = funnel_chart(self.new_id(), f"Funnel chart: {name}", bars)
        return f"<figure>{chart}<figcaption>Funnel: {bdi(name)}</figcaption></figure>"

    # -----------------------------------------------------------------------------------------------------
    def _seats(self) -> str:
        out = ['<section id="seats" aria-labelledby="seats-h"><h2 id="seats-h">3. Seats</h2>']
        posts = [self.seat_posts[c] for c in self.order if c in self.seat_posts]
        unfilled = [(p, s) for p in posts for s in p.slots if s.unfilled > 0]
        if unfilled:
            total = sum(s.unfilled for _, s in unfilled)
            items = "".join(
                f"<li>Post {bdi(p.post)}, {bdi(s.label)} ({esc(s.kind)}): {count(s.unfilled)} unfilled; "
                f"{_unfilled_action(s)}.</li>"
                for p, s in unfilled
            )
            out.append(
                f'<div class="box warn"><p><span class="flag">UNFILLED</span> {count(total)} '
                f"seat{'' if total == 1 else 's'} could not be filled:</p><ul>{items}</ul></div>"
            )
        elif posts:
            out.append('<p class="box ok">Every seat of every post is filled.</p>')
        if not posts:
            out.append("<p>No seat plan was recorded.</p>")
        out.extend(self._seat_post(p) for p in posts)
        out.append(missing_posts_warning("seat plan", [c for c in self.order if c not in self.seat_posts]))
        out.append("</section>")
        return "".join(out)

    def _seat_post(self, p: PostSeats) -> str:
        rows = []
        for s in p.slots:
            unfilled = count(s.unfilled) + (' <span class="flag">UNFILLED</span>' if s.unfilled else "")
            rows.append(
                f'<tr><th scope="row">{bdi(s.slot)}<td dir="auto">{esc(s.label)}<td>{esc(s.kind)}'
                f'{_num(s.seats)}{_num(s.filled)}<td class="r">{unfilled}<td>{_unfilled_action(s)}'
            )
        seats = sum(s.seats for s in p.slots)
        filled = sum(s.filled for s in p.slots)
        left = sum(s.unfilled for s in p.slots)
        foot = f'<tr><th scope="row" colspan="3">Total{_num(seats)}{_num(filled)}{_num(left)}<td>–'
        problems = []
        if seats != p.vacancies:
            problems.append(
                f"the slots hold {count(seats)} seats but the post has {count(p.vacancies)} vacancies"
            )
        problems.extend(
            f"slot {bdi(s.slot)}: filled {count(s.filled)} + unfilled {count(s.unfilled)} "
            f"≠ seats {count(s.seats)}"
            for s in p.slots
            if s.filled + s.unfilled != s.seats
        )
        out = [
            f"<h3>{self._post_heading(p.post)}</h3>",
            f"<p>Policy {bdi(p.policy)}; {count(p.vacancies)} vacanc{'y' if p.vacancies == 1 else 'ies'}. "
            f"{self._pointer(p)}</p>",
        ]
        if problems:
            out.append(
                '<div class="box warn"><p><span class="flag">WARNING</span> '
                "the seat record does not add up:</p>"
                f"<ul>{''.join(f'<li>{x}</li>' for x in problems)}</ul></div>"
            )
        if rows:
            out.append(
                _table(
                    f"Seats by slot: post {bdi(p.post)}",
                    [
                        "Slot",
                        "Label",
                        "Kind",
                        "Seats",
                        "Filled",
                        "Unfilled",
                        "What happens to unfilled seats",
                    ],
                    rows,
                    foot,
                )
            )
        else:
            out.append("<p>This post has no slots.</p>")
        if p.reasons:
            items = "".join(
                f'<li><code>{esc(r.code)}</code> <span dir="auto">{esc(r.text)}</span></li>'
                for r in p.reasons
            )
            out.append(f"<p>Why the seats are what they are:</p><ul>{items}</ul>")
        return "".join(out)

    @staticmethod
    def _pointer(p: PostSeats) -> str:
        if any(s.kind == "region" for s in p.slots):
            return "Seats are shared by the policy's shares; there is no rotation pointer."
        return (
            f"Rotation pointer: started at position {count(p.pointer_start + 1)} (pointer "
            f"{count(p.pointer_start)}), ended at position {count(p.pointer_end + 1)} (pointer "
            f"{count(p.pointer_end)}); the next advertisement of the same cadre continues from the end "
            "position."
        )

    # -----------------------------------------------------------------------------------------------------
    def _merit(self) -> str:
        out = [
            '<section id="merit" aria-labelledby="merit-h"><h2 id="merit-h">5. Merit lists (top 20)</h2>',
            f"<p>The first {TOP_ROWS} ranks of each post's merit list. The full list, with every mark, is "
            "published as <code>merit_list.csv</code>. CNICs are masked.</p>",
        ]
        if any(p.tie_breaks_recorded for p in self.d.summary.posts):
            out.append(
                "<p>When a candidate has the same total as the candidate ranked just above, the last column "
                "names the tie-break rule that placed them below (“decided by: older”: the candidate above "
                "is older).</p>"
            )
        if not self.d.summary.posts:
            out.append("<p>No post was recorded.</p>")
        for p in self.d.summary.posts:
            out.append(f"<h3>{self._post_heading(p.code)}</h3>")
            top = p.top[:TOP_ROWS]
            if not top:
                out.append("<p>No one is ranked for this post.</p>")
                continue
            labels = (
                {s.slot: s.label for s in self.seat_posts[p.code].slots} if p.code in self.seat_posts else {}
            )
            ties = p.tie_breaks_recorded
            rows = [
                f'<tr>{_num(r.rank)}<th scope="row" dir="auto">{esc(r.application_id)}'
                f'<td><code>{esc(r.cnic_masked)}</code><td dir="auto">{esc(r.name)}'
                f'<td class="r">{esc(r.total)}<td dir="auto">{self._slot_text(r.slot, labels)}'
                + (f"<td>{_tie_text(r.tie_break)}" if ties else "")
                for r in top
            ]
            weight = p.total_weight or DEFAULT_TOTAL_WEIGHT
            head = [
                "Rank",
                "Application id",
                "CNIC (masked)",
                "Name",
                f"Total (out of {esc(weight)})",
                "Slot",
            ]
            out.append(
                _table(
                    f"Top {count(len(top))} of the merit list: post {bdi(p.code)}",
                    [*head, "Tie with the rank above"] if ties else head,
                    rows,
                )
            )
        out.append("</section>")
        return "".join(out)

    @staticmethod
    def _slot_text(slot: str, labels: Mapping[str, str]) -> str:
        if not slot:
            return '<span class="muted">no seat (waiting)</span>'
        label = labels.get(slot)
        if label is None or label == slot:
            return esc(slot)
        return f'{esc(label)} <span class="muted">({esc(slot)})</span>'

    # -----------------------------------------------------------------------------------------------------
    @staticmethod
    def _verify() -> str:
        return (
            '<section id="verify" aria-labelledby="verify-h"><h2 id="verify-h">6. How to verify</h2>'
            '<div class="box"><p>Anyone with the published campaign folder can check it with the free '
            "Shafaf tool:</p><p><code>shafaf verify DIR</code></p><p>where <code>DIR</code> is the folder "
            "holding this report. The check reads the decision ledger (<code>ledger.jsonl</code>): every "
            "entry is chained to the one before by its SHA-256 hash, and its last entry seals every "
            "published file with its size and hash. The file <code>ledger.head</code> holds the head hash of "
            "the decision ledger (the hash of its last entry); compare it with the head hash published with "
            "the results. Any changed, removed or reordered entry, or any changed file, is reported."
            "</p></div>"
            "</section>"
        )
