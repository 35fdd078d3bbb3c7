"""Section 4 of ``report.html``: the fairness audit, per post, stage and family, flags first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from shafaf.core.publish._report_format import (
    NOT_COMPUTABLE,
    bdi,
    count,
    cut3,
    esc,
    missing_posts_warning,
    number,
    pvalue,
)
from shafaf.core.publish._report_input import AuditCategory, AuditFamily, Fairness, PostAudit, StageAudit
from shafaf.core.publish._report_svg import Bar, rate_chart

__all__ = ["Flag", "fairness_section", "flags_by_stage", "flags_of", "reading_flags"]

# How the stages of the pipeline's audit are named in a sentence ("36 flags: 4 at eligibility, ...").
_STAGE_PHRASE = {
    "eligible": "at eligibility",
    "passed": "at the test",
    "selected": "at selection",
    "selected_of_applied": "from application to selection",
}


@dataclass(frozen=True, slots=True)
class Flag:
    """One flagged category, where it was found."""

    post: str
    stage: StageAudit
    family: AuditFamily
    category: AuditCategory


def flags_of(posts: Sequence[PostAudit]) -> list[Flag]:
    """Every flagged category, in report order (post, stage, family, category label)."""
    return [
        Flag(p.post, s, f, c)
        for p in posts
        for s in p.stages
        for f in s.families
        for c in f.categories
        if c.flag is True
    ]


def _stage_phrase(stage: str, label: str) -> str:
    return _STAGE_PHRASE.get(stage) or f"at the stage “{esc(label)}”"


def flags_by_stage(fairness: Fairness) -> str:
    """The flags counted by stage, every audited stage named (in the audit's stage order), with how many of
    each stage's flags are on small samples, e.g. "0 at eligibility, 2 at the test (all on small samples),
    30 at selection (25 of them on small samples)" (HTML)."""
    order = {k: i for i, (k, _) in enumerate(fairness.stage_labels)}
    stages: dict[str, str] = {}
    for p in fairness.posts:
        for s in p.stages:
            stages.setdefault(s.stage, s.label)
    flags = flags_of(fairness.posts)
    parts = []
    for stage in sorted(stages, key=lambda k: (order.get(k, len(order)), k)):
        here = [f for f in flags if f.stage.stage == stage]
        small = sum(1 for f in here if f.category.small_sample)
        text = f"{count(len(here))} {_stage_phrase(stage, stages[stage])}"
        if small and len(here) == 1:
            text += " (on a small sample)"
        elif small == len(here) > 1:
            text += " (all on small samples)"
        elif small:
            text += f" ({count(small)} of them on {'a small sample' if small == 1 else 'small samples'})"
        parts.append(text)
    return ", ".join(parts)


def reading_flags(fairness: Fairness) -> str:
    """How to read the flags, in one sentence (HTML): the quotas move seats on purpose, so selection-stage
    flags by their attributes are expected; eligibility and test flags are the ones to question."""
    end_to_end = any(s.stage == "selected_of_applied" for p in fairness.posts for s in p.stages)
    return (
        "How to read them: the zonal and special quotas deliberately redistribute seats by zone, gender, "
        "minority and disability, so flags by those attributes at selection are expected effects of the law "
        'and should be read with the <a href="#seats">seat table</a>; flags at eligibility and at the test are '
        "the ones that point to a rule or a test that may disadvantage a group"
        + (" (the stage from application to selection combines both)." if end_to_end else ".")
    )


def _why_null(fam: AuditFamily, c: AuditCategory, *, p_value: bool) -> str:
    """ "not computable" with its reason in brackets (plain text)."""
    if c.excluded:
        why = " (excluded)"
    elif fam.reference is None:
        why = " (no reference)"
    elif not fam.reference_rate:
        why = " (reference rate 0)"
    elif p_value and c.label == fam.reference:
        why = " (reference)"
    elif p_value:
        why = " (pooled rate 0 or 1)"
    else:
        why = ""
    return NOT_COMPUTABLE + why


def _flag_text(c: AuditCategory) -> str:
    if not c.flag:
        return "no"
    more = ""
    if c.selections_to_clear is not None:
        k = c.selections_to_clear
        more = f" ({k} more clear{'s' if k == 1 else ''} it)"
    return f"<strong>FLAG</strong>{more}"


def _result_cells(fam: AuditFamily, c: AuditCategory) -> str:
    """Impact ratio, four-fifths, Fisher p, z p; neighbouring "not computable" cells with the same reason
    are merged into one cell spanning them."""
    cells: list[tuple[str, bool]] = [
        (cut3(c.impact_ratio), False)
        if c.impact_ratio is not None
        else (_why_null(fam, c, p_value=False), True),
        (_flag_text(c), False) if c.flag is not None else (_why_null(fam, c, p_value=False), True),
        (pvalue(c.fisher_p), False) if c.fisher_p is not None else (_why_null(fam, c, p_value=True), True),
        (pvalue(c.z_p), False) if c.z_p is not None else (_why_null(fam, c, p_value=True), True),
    ]
    out: list[str] = []
    i = 0
    while i < len(cells):
        text, na = cells[i]
        j = i + 1
        while na and j < len(cells) and cells[j] == (text, True):
            j += 1
        span = f' colspan="{j - i}"' if j - i > 1 else ""
        out.append(f'<td class="na"{span}>{text}' if na else f"<td>{text}")
        i = j
    return "".join(out)


_FAMILY_HEAD = "".join(
    f'<th scope="col">{h}'
    for h in (
        "Category",
        "n",
        "Positives",
        "Rate",
        "Impact ratio",
        "Four-fifths",
        "Fisher p",
        "z p",
        "Excluded",
        "Small sample",
    )
)


def _family_table(fam: AuditFamily, caption: str) -> str:
    rows: list[str] = []
    for c in fam.categories:
        ref = ' <span class="muted">(reference)</span>' if c.label == fam.reference else ""
        rows.append(
            f'<tr><th scope="row">{bdi(c.label)}{ref}<td>{count(c.n)}<td>{count(c.positives)}'
            f"<td>{cut3(c.rate)}{_result_cells(fam, c)}<td>{'yes (under 2%)' if c.excluded else 'no'}"
            f"<td>{'small sample' if c.small_sample else 'no'}"
        )
    return (
        f'<table class="fa"><caption>{caption}</caption><thead><tr>{_FAMILY_HEAD}</thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _family(fam: AuditFamily, post: str, stage: StageAudit, new_id: Callable[[], str]) -> str:
    out = [f"<h5>Family: {bdi(fam.name)}</h5>"]
    rate = fam.reference_rate
    if fam.reference is None:
        ref = "No reference category, so every ratio, flag and p-value is not computable."
    elif not rate:
        ref = (
            f"Reference {bdi(fam.reference)} has a rate of 0 (no one in any category reached the next step), "
            "so every ratio, flag and p-value is not computable."
        )
    else:
        r = next(c for c in fam.categories if c.label == fam.reference)
        ref = (
            f"Reference {bdi(r.label)}: rate {cut3(rate)} ({count(r.positives)} of {count(r.n)}); "
            f"four-fifths line {cut3(rate * 4 / 5)}."
        )
    unknown = f"Unknown label: {count(fam.unknown_count)} row{'' if fam.unknown_count == 1 else 's'}."
    if not fam.categories:
        out.append(f"<p>{unknown} No row of this stage has a known label in this family.</p>")
        return "".join(out)
    out.append(_family_table(fam, f"{ref} {unknown}"))
    bars = [
        Bar(c.label, c.rate, c.flag is True, c.excluded, c.label == fam.reference) for c in fam.categories
    ]
    title = f"Rates by category (table above): post {post}, {stage.label}, {fam.name}"
    out.append(rate_chart(new_id(), title, bars, rate))
    return "".join(out)


def _stage(stage: StageAudit, post: str, new_id: Callable[[], str]) -> str:
    out = [f'<h4>Stage: {esc(stage.label)} <span class="muted">({esc(stage.stage)})</span></h4>']
    method = "selection rate" if stage.method == "selection" else "scoring rate (share above the median)"
    line = f"Method: {method}; {count(stage.n_rows)} people audited"
    if stage.method == "scoring":
        median = NOT_COMPUTABLE if stage.median is None else number(stage.median)
        line += f"; median {median}; not scored {count(stage.not_scored)}"
    exclusion = "on" if stage.exclude_small else "off"
    out.append(f"<p>{line}; 2% exclusion rule {exclusion}.</p>")
    if not stage.families:
        out.append("<p>No family was audited at this stage.</p>")
    out.extend(_family(f, post, stage, new_id) for f in stage.families)
    return "".join(out)


def _flags_summary(flags: Sequence[Flag], fairness: Fairness) -> str:
    """Every flagged category, one row per post, stage and family, after the count by stage and how to read
    them."""
    out = ['<h3 id="flags">Flags</h3>']
    if not flags:
        out.append('<p class="box ok">No four-fifths flags at any stage, in any family, for any post.</p>')
        return "".join(out)
    n = len(flags)
    out.append(
        f'<p class="box warn"><span class="flag">FLAG</span> {count(n)} '
        f"categor{'y is' if n == 1 else 'ies are'} below four-fifths of their reference rate. "
        f"By stage: {flags_by_stage(fairness)}. "
        "Each is listed here with its impact ratio and counts (positives/n), and again, with its "
        f"reference and p-values, in its family's table below. {reading_flags(fairness)}</p>"
    )
    groups: dict[tuple[str, str, str], list[Flag]] = {}
    for f in flags:
        groups.setdefault((f.post, f.stage.stage, f.family.name), []).append(f)
    rows = []
    for group in groups.values():
        first = group[0]
        cats = "; ".join(
            f"{bdi(f.category.label)} {cut3(f.category.impact_ratio)} "
            f"({count(f.category.positives)}/{count(f.category.n)})"
            for f in group
        )
        rows.append(
            f"<tr><td>{bdi(first.post)}<td>{esc(first.stage.label)}"
            f'<th scope="row">{bdi(first.family.name)}<td>{count(len(group))}<td>{cats}'
        )
    head = "".join(
        f'<th scope="col">{h}'
        for h in ("Post", "Stage", "Family", "Flags", "Flagged categories: impact ratio (positives/n)")
    )
    out.append(
        f'<table class="fl"><caption>Four-fifths flags ({count(n)})</caption><thead><tr>{head}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return "".join(out)


_INTRO = (
    "<p>For each post and stage, each category's <em>rate</em> is the share of its people who reach the "
    "next step. The <em>impact ratio</em> is the rate divided by the reference rate (the highest rate; ties "
    "go to the larger category). A category is flagged when its impact ratio is <strong>below</strong> 4/5 "
    "(exactly 0.800 is not flagged), decided on the exact counts. Fisher's exact test and the "
    "two-proportion z-test compare each category with the reference. <em>Small sample</em>: n under 30 or "
    "fewer than 5 expected positives, where one person can move a ratio a long way. Ratios are cut (not "
    "rounded) to three decimals. <em>Not computable</em> means the number does not exist for that category "
    "(it is never shown as 1.0 or left blank). "
)


def fairness_section(
    fairness: Fairness, order: Sequence[str], titles: dict[str, str], new_id: Callable[[], str]
) -> str:
    """Section 4: conventions, the flags summary, then every post (in ``order``), stage and family."""
    by_post = {p.post: p for p in fairness.posts}
    posts = [by_post[c] for c in order if c in by_post]
    out = [
        '<section id="fairness" aria-labelledby="fairness-h"><h2 id="fairness-h">4. Fairness audit</h2>',
        _INTRO,
        f"The 2% exclusion rule is <strong>{'on' if fairness.exclude_small else 'off'}</strong> for this "
        "campaign.</p>",
        _flags_summary(flags_of(posts), fairness),
    ]
    if not posts:
        out.append("<p>No fairness audit was recorded.</p>")
    for p in posts:
        title = titles.get(p.post)
        heading = f"Post {bdi(p.post)}" + ("" if title is None else f": {bdi(title)}")
        out.append(f"<h3>{heading}</h3>")
        if not p.stages:
            out.append("<p>No stage was audited for this post.</p>")
        out.extend(_stage(s, p.post, new_id) for s in p.stages)
    out.append(missing_posts_warning("fairness audit", [c for c in order if c not in by_post]))
    out.append("</section>")
    return "".join(out)
