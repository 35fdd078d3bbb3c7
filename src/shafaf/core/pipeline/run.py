"""The campaign job: applications + test results → eligibility → marks → merit → seats → audit → outputs.

One function, :func:`run_campaign`, reads the input files, runs every stage on columnar tables, writes the
published files into the output folder and seals them in the hash-chained decision ledger. Same inputs give
byte-identical outputs: nothing here reads the clock, and every table is sorted explicitly before it is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from shafaf.core.campaign import Campaign, LoadedCampaign, Post, load_campaign
from shafaf.core.eligibility.build import build_post_rules
from shafaf.core.eligibility.context import PostRules
from shafaf.core.eligibility.rules import evaluate_batch
from shafaf.core.errors import InputError, TableError
from shafaf.core.fairness import audit_stages
from shafaf.core.intake import IntakeResult, read_applications
from shafaf.core.marks import MarksResult, SectionSpec, read_item_marks, read_section_marks, score_responses
from shafaf.core.merit.allocate import Allocation, allocate
from shafaf.core.merit.composite import Component, composite, passes
from shafaf.core.merit.ranking import rank
from shafaf.core.merit.seats import SeatPlan, seat_plan
from shafaf.core.policy.geography import Geography, load_geography
from shafaf.core.policy.packs import PolicyPack, load_pack
from shafaf.core.reasons import Reason
from shafaf.core.tables import find_column, read_table

Progress = Callable[[str], None]
NESTED_INPUTS = ("qualifications", "experience", "relaxations")

STAGES: tuple[tuple[str, str, str, str], ...] = (
    ("eligible", "applied", "eligible", "applied → eligible"),
    ("passed", "tested", "passed", "eligible and tested → passed"),
    ("selected", "passed", "selected", "passed → selected"),
    ("selected_of_applied", "applied", "selected", "applied → selected"),
)
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("gender",),
    ("zone",),
    ("minority",),
    ("disabled",),
    ("gender", "zone"),
)


@dataclass(frozen=True)
class RunInputs:
    campaign: Path
    applications: Path
    marks: Path | None = None
    responses: Path | None = None
    key: Path | None = None
    disqualified: Path | None = None
    more_marks: tuple[Path, ...] = ()  # further test batches (one marks file per sitting/paper)

    @property
    def marks_files(self) -> tuple[Path, ...]:
        return () if self.marks is None else (self.marks, *self.more_marks)

    def check(self) -> None:
        if self.responses is not None and self.key is None:
            raise InputError("--responses", "raw responses need the answer key: pass --key FILE")
        if self.key is not None and self.responses is None:
            raise InputError("--key", "an answer key goes with --responses FILE")
        if self.marks is not None and self.responses is not None:
            raise InputError("--marks", "give either --marks or --responses/--key, not both")


@dataclass
class PostRun:
    post: Post
    pack: PolicyPack
    rules: PostRules
    plan: SeatPlan
    allocation: Allocation | None
    denominator: int
    components: tuple[Component, ...]


@dataclass
class RunState:
    """Everything the stages produced; the writers in :mod:`shafaf.core.pipeline.outputs` read it."""

    loaded: LoadedCampaign
    inputs: RunInputs
    geography: Geography
    packs: dict[str, PolicyPack]
    intake: IntakeResult
    marks: MarksResult | None
    unmatched_marks: pl.DataFrame
    results: pl.DataFrame
    posts: list[PostRun] = field(default_factory=list)
    fairness: dict[str, Any] = field(default_factory=dict)
    sections: tuple[SectionSpec, ...] = ()
    accepted: pl.DataFrame = field(default_factory=pl.DataFrame)  # with ``_pos``: the row in intake.accepted
    input_files: list[dict[str, Any]] | None = None  # filled once by outputs.inputs_list

    @property
    def campaign(self) -> Campaign:
        return self.loaded.model


def sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _pack_for(name: str, campaign_path: Path) -> PolicyPack:
    if name.endswith(".toml"):
        p = Path(name)
        return load_pack(p if p.is_absolute() else campaign_path.parent / p)
    return load_pack(name)


def _sections(campaign: Campaign) -> tuple[SectionSpec, ...]:
    if campaign.test is None:
        return ()
    out: list[SectionSpec] = []
    for s in campaign.test.sections:
        items: tuple[str, ...] = ()
        if isinstance(s.items, str):
            items = tuple(x.strip() for x in s.items.split(",") if x.strip())
        elif s.items:
            items = tuple(s.items)
        out.append(
            SectionSpec(
                code=s.code,
                label=s.label or s.code,
                items=items,
                marks_per_item=s.marks_per_item,
                negative=s.negative,
                pass_percent=s.pass_percent,
                max_marks=s.max_marks,
            )
        )
    return tuple(out)


def _read_marks(campaign: Campaign, inputs: RunInputs, sections: Sequence[SectionSpec]) -> MarksResult | None:
    test = campaign.test
    if inputs.marks is None and inputs.responses is None:
        needs = [p.code for p in campaign.posts if any(c.source == "test" for c in p.merit.components)]
        if needs:
            raise InputError(
                str(inputs.campaign),
                f"post(s) {', '.join(needs)} rank on test marks: pass --marks FILE or --responses FILE --key FILE",
            )
        return None
    if test is None:
        raise InputError(str(inputs.campaign), "test results were given but the campaign has no [test] table")
    if inputs.responses is not None:
        assert inputs.key is not None
        key = read_table(inputs.key)
        return score_responses(
            read_table(inputs.responses),
            key,
            sections=_sections_from_key(sections, key, str(inputs.key)),
            id_column=test.id_column,
            omit_codes=test.omit_codes,
            source=str(inputs.responses),
            key_source=str(inputs.key),
        )
    assert inputs.marks is not None
    if test.mode == "responses":
        raise InputError(
            str(inputs.campaign),
            "test.mode is 'responses': pass --responses FILE --key FILE instead of --marks",
        )
    batches = [_read_marks_file(path, test.mode, test.id_column, sections) for path in inputs.marks_files]
    return batches[0] if len(batches) == 1 else combine_batches(batches, inputs.marks_files)


def _read_marks_file(path: Path, mode: str, id_column: str, sections: Sequence[SectionSpec]) -> MarksResult:
    frame = read_table(path)
    if mode == "items":
        return read_item_marks(frame, sections=sections, id_column=id_column, source=str(path))
    return read_section_marks(frame, sections=sections, id_column=id_column, source=str(path))


def combine_batches(batches: Sequence[MarksResult], paths: Sequence[Path]) -> MarksResult:
    """Marks of several test batches (sittings, each possibly with its own paper), one file each.

    Each candidate's ``batch`` (the file's name) is kept. A roll number found in two batches is refused in
    both (rejected_marks.csv): nobody sits twice, and Shafaf will not choose between two results. The raw marks
    are put side by side as they are; papers of different difficulty need equating first (the summary warns
    and gives each batch's statistics).
    """
    first = batches[0]
    for b, path in zip(batches[1:], paths[1:], strict=True):
        if b.max_marks != first.max_marks:
            raise InputError(
                str(path), f"section maxima {b.max_marks} differ from the first batch's {first.max_marks}"
            )
    marks = pl.concat(
        [b.marks.with_columns(batch=pl.lit(p.name)) for b, p in zip(batches, paths, strict=True)],
        how="diagonal_relaxed",
    )
    counts = marks.group_by("roll_number").agg(n=pl.len(), where=pl.col("batch").sort().str.join(", "))
    twice = counts.filter(pl.col("n") > 1)
    rejected = [b.rejected for b in batches]
    if twice.height:
        clash = marks.join(twice, on="roll_number", how="inner").sort("batch", "roll_number")
        rejected.append(
            clash.select(
                pl.lit(None, pl.Int64).alias("row"),
                pl.col("roll_number").alias("id"),
                pl.lit("roll_number").alias("column"),
                pl.format("DUPLICATE_ACROSS_BATCHES: this roll number has results in {}", "where").alias(
                    "reason"
                ),
                pl.lit(None, pl.String).alias("other_errors"),
            )
        )
        marks = marks.join(twice, on="roll_number", how="anti")
    return MarksResult(
        marks=marks,
        rejected=pl.concat([r.select(first.rejected.columns).cast(first.rejected.schema) for r in rejected]),
        rows_in=sum(b.rows_in for b in batches),
        sections=first.sections,
        max_marks=first.max_marks,
    )


def _sections_from_key(sections: Sequence[SectionSpec], key: pl.DataFrame, source: str) -> list[SectionSpec]:
    """Campaign sections whose ``items`` are not listed take their items from the key's ``section`` column
    (formats.md §3); their marks, negative marking and pass marks still come from the campaign. Without a
    ``section`` column, a single campaign section takes every key item."""
    if all(s.items for s in sections):
        return list(sections)
    item_col = find_column(key, "item")
    sec_col = find_column(key, "section")
    if item_col is None:
        raise TableError(source, "missing column 'item'; expected item,key[,section,marks,negative]")
    items = [str(v).strip() for v in key.get_column(item_col).to_list()]
    if sec_col is None:
        if len(sections) != 1:
            raise TableError(
                source,
                f"the campaign has {len(sections)} sections without items: add a 'section' column to the key "
                f"naming one of {', '.join(s.code for s in sections)} for every item",
            )
        return [replace(sections[0], items=tuple(items))]
    codes = [str(v or "").strip() for v in key.get_column(sec_col).to_list()]
    rows = key.get_column("row").to_list()
    known = {s.code for s in sections}
    for r, code in zip(rows, codes, strict=True):
        if code not in known:
            raise TableError(
                source,
                f"row {r}, column section: {code!r} is not a section of the campaign ({', '.join(sorted(known))})",
            )
    out: list[SectionSpec] = []
    for s in sections:
        mine = tuple(i for i, c in zip(items, codes, strict=True) if c == s.code)
        if s.items:
            out.append(s)
        elif not mine:
            raise TableError(source, f"no key item is in section {s.code!r}, and the campaign lists none")
        else:
            out.append(replace(s, items=mine))
    return out


def _components(post: Post, marks: MarksResult | None) -> tuple[Component, ...]:
    out: list[Component] = []
    for c in post.merit.components:
        maximum = c.max_marks
        if c.source == "test":
            if marks is None:
                raise InputError(
                    "campaign", f"post {post.code}: the merit formula uses test marks but none were given"
                )
            maximum = sum(marks.max_marks_decimal().values(), Decimal(0))
        if c.source == "interview" and (marks is None or "interview" not in marks.marks.columns):
            raise InputError(
                "campaign",
                f"post {post.code}: the merit formula has an interview component, but the marks file has no "
                "'interview' column (docs/formats.md §2)",
            )
        out.append(Component(source=c.source, weight=c.weight, max_marks=maximum))
    return tuple(out)


def local_merit_plan(plan: SeatPlan, where: str) -> SeatPlan:
    """A post restricted to one area fills its rotation seats on merit within that area: zone slots of other
    areas could never be filled by its domicile holders. Special quotas are kept."""
    moved = sum(s.seats for s in plan.slots if s.kind in ("zone", "region"))
    if moved == 0:
        return plan
    slots = tuple(
        replace(s, seats=s.seats + moved)
        if s.kind == "merit"
        else replace(s, seats=0)
        if s.kind in ("zone", "region")
        else s
        for s in plan.slots
    )
    note = Reason(
        "SEATS_LOCAL_MERIT",
        {"seats": moved, "restriction": where},
        f"The post is restricted to domicile holders of {where}: its {moved} zonal seat(s) are filled on merit "
        "within that area instead of by zone.",
    )
    return replace(plan, slots=slots, reasons=(*plan.reasons, note))


def mask_cnic(col: str = "cnic") -> pl.Expr:
    """``54400-1234567-1`` → ``XXXXX-XXXX567-1``: enough to tell two candidates with one name apart."""
    c = pl.col(col)
    return pl.concat_str([pl.lit("XXXXX-XXXX"), c.str.slice(10, 3), pl.lit("-"), c.str.slice(14, 1)])


def _post_ranked(
    post: Post,
    pack: PolicyPack,
    rules: PostRules,
    frame: pl.DataFrame,
    marks: MarksResult | None,
    sections: Sequence[SectionSpec],
    default_pointer: int,
) -> tuple[pl.DataFrame, PostRun]:
    """Composite, pass marks, ranking and seats of one post. ``frame`` = its accepted applications with
    eligibility, marks and disqualifications joined."""
    components = _components(post, marks)
    tested = frame.filter(pl.col("eligible") & pl.col("present") & ~pl.col("disqualified"))
    scored, denom = composite(tested, components, days_per_year=pack.days_per_year)
    scored = passes(
        scored, sections, post.merit.aggregate_pass_percent, max_marks=marks.max_marks if marks else None
    )
    passed = scored.filter(pl.col("passed"))
    ranked = rank(passed, pack.tie_chain)
    pointer = post.rotation_pointer if post.rotation_pointer is not None else default_pointer
    plan = seat_plan(
        pack, post.vacancies, pointer=pointer if pack.quota.method == "rotation" else 0, gender=post.gender
    )
    zonal = post.zonal_rotation if post.zonal_rotation is not None else post.restriction is None
    if not zonal:
        plan = local_merit_plan(plan, rules.restriction_text() or "the advertised area")
    alloc: Allocation | None = None
    if post.withdrawn is None:
        alloc = allocate(ranked, plan, pack, conversions=post.conversions, unfilled_actions=post.unfilled)
    else:
        ranked = ranked.clear()
        plan = replace(
            plan,
            reasons=(
                *plan.reasons,
                Reason(
                    "POST_WITHDRAWN",
                    {"reason": post.withdrawn},
                    f"The post was withdrawn ({post.withdrawn}); no seat is allocated and every decision "
                    "up to the withdrawal is kept.",
                ),
            ),
        )
    keep = ["application_id", "composite_num", "composite", "passed", "fail_reason"]
    out = frame.join(scored.select(keep), on="application_id", how="left")
    out = out.join(
        ranked.select("application_id", "rank", "tie_with_prev", "tie_unresolved"),
        on="application_id",
        how="left",
    )
    if alloc is not None:
        out = out.join(
            alloc.selected.select("application_id", "slot", "slot_kind", "converted_from"),
            on="application_id",
            how="left",
        )
        out = out.join(
            alloc.waiting.select("application_id", "waiting_position", "eligible_slots"),
            on="application_id",
            how="left",
        )
    else:
        out = out.with_columns(
            slot=pl.lit(None, pl.String),
            slot_kind=pl.lit(None, pl.String),
            converted_from=pl.lit(None, pl.String),
            waiting_position=pl.lit(None, pl.Int64),
            eligible_slots=pl.lit(None, pl.String),
        )
    out = out.with_columns(post_withdrawn=pl.lit(post.withdrawn is not None))
    return out, PostRun(post, pack, rules, plan, alloc, denom, components)


def _status() -> pl.Expr:
    return (
        pl.when(pl.col("post_withdrawn"))
        .then(pl.lit("withdrawn"))
        .when(pl.col("disqualified"))
        .then(pl.lit("disqualified"))
        .when(~pl.col("eligible"))
        .then(pl.lit("ineligible"))
        .when(pl.col("result_refused"))
        .then(pl.lit("result_refused"))
        .when(~pl.col("present"))
        .then(pl.lit("absent"))
        .when(~pl.col("passed").fill_null(False))
        .then(pl.lit("failed"))
        .when(pl.col("slot").is_not_null())
        .then(pl.lit("selected"))
        .otherwise(pl.lit("waiting"))
    )


def run_campaign(inputs: RunInputs, *, progress: Progress | None = None) -> RunState:
    """Run every stage in memory and return the state; :func:`shafaf.core.pipeline.outputs.publish` writes it."""
    say = progress or (lambda _msg: None)
    inputs.check()
    loaded = load_campaign(inputs.campaign)
    campaign = loaded.model
    geo_name = campaign.campaign.geography
    if geo_name.endswith(".csv") and not Path(geo_name).is_absolute():
        geo_name = str(inputs.campaign.parent / geo_name)
    geography = load_geography(geo_name)
    packs = {p.policy: _pack_for(p.policy, inputs.campaign) for p in campaign.posts}
    say("intake")
    degree_lookup: dict[str, tuple[str, int]] = {}
    relaxation_codes: set[str] = set()
    ceilings: dict[str, int] = {}
    for pack in packs.values():
        for k, v in pack.degree_spellings().items():
            degree_lookup.setdefault(k, v)
        relaxation_codes.update(pack.age.relaxations)
        for k2, years in pack.age.grant_ceilings.items():
            ceilings.setdefault(k2, years)
    intake = read_applications(
        inputs.applications,
        posts=[p.code for p in campaign.posts],
        geography=geography,
        degree_lookup=degree_lookup,
        relaxation_codes=sorted(relaxation_codes),
        grant_ceilings=ceilings,
    )
    intake = refuse_shared_roll_numbers(intake)
    accepted = intake.accepted.with_row_index("_pos")
    # The decisions travel in a narrow table; the nested input columns (qualifications, experience,
    # relaxations) stay in ``accepted`` and are read again only for the explanations.
    base = accepted.drop(*NESTED_INPUTS)

    say("eligibility")
    rules_by_post: dict[str, PostRules] = {
        post.code: build_post_rules(
            post, packs[post.policy], campaign.campaign, geography, str(inputs.campaign)
        )
        for post in campaign.posts
    }

    def decide(post: Post) -> pl.DataFrame:
        sub = accepted.filter(pl.col("post_code") == post.code)
        return evaluate_batch(sub, rules_by_post[post.code]).with_columns(_pos=sub.get_column("_pos"))

    # posts are independent: two at a time (polars releases the GIL); concatenated in campaign order
    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = list(pool.map(decide, campaign.posts))
    decisions = pl.concat(parts) if parts else pl.DataFrame()
    frame = base.join(decisions.drop("application_id"), on="_pos", how="left")

    say("marks")
    sections = _sections(campaign)
    marks = _read_marks(campaign, inputs, sections)
    if marks is not None:
        sections = marks.sections
        m = marks.marks
        frame = frame.join(m, on="roll_number", how="left")
        refused_ids = marks.rejected.get_column("id").drop_nulls().unique()
        frame = frame.with_columns(
            present=pl.col("test_total").is_not_null(),
            # a result row that was refused (rejected_marks.csv) is not an absence: the result is held back
            result_refused=pl.col("test_total").is_null()
            & pl.col("roll_number").is_in(refused_ids.implode()),
        )
        unmatched = m.join(accepted.select("roll_number").unique(), on="roll_number", how="anti").select(
            "roll_number"
        )
    else:
        frame = frame.with_columns(
            present=pl.lit(True), test_total=pl.lit(None, pl.Int64), result_refused=pl.lit(False)
        )
        unmatched = pl.DataFrame(schema={"roll_number": pl.String})

    disq = read_disqualifications(inputs.disqualified, frame) if inputs.disqualified else _NO_DISQ
    frame = frame.join(disq, on="application_id", how="left").with_columns(
        disqualified=pl.col("disqualification_reason").is_not_null()
    )

    say("merit and seats")
    state = RunState(
        loaded,
        inputs,
        geography,
        packs,
        intake,
        marks,
        unmatched,
        frame,
        sections=tuple(sections),
        accepted=accepted,
    )
    out_parts: list[pl.DataFrame] = []
    for post in campaign.posts:
        sub = frame.filter(pl.col("post_code") == post.code)
        done, run = _post_ranked(
            post,
            packs[post.policy],
            rules_by_post[post.code],
            sub,
            marks,
            sections,
            campaign.campaign.rotation_pointer,
        )
        out_parts.append(done)
        state.posts.append(run)
    results = pl.concat(out_parts, how="diagonal_relaxed")
    results = results.with_columns(status=_status(), cnic_masked=mask_cnic()).sort(
        ["post_code", "application_id"]
    )
    state.results = results

    say("fairness audit")
    state.fairness = fairness_audit(
        results, [p.post.code for p in state.posts], exclude_small=campaign.audit.exclude_small
    )
    return state


def refuse_shared_roll_numbers(intake: IntakeResult) -> IntakeResult:
    """A roll number identifies one test taker: applications with different CNICs may not share one (they
    would both receive the same marks). The first such row keeps it; later rows are rejected with the row
    they collide with. The same CNIC on two posts may share its roll number (one test, two applications)."""
    acc = intake.accepted
    firsts = acc.group_by("roll_number").agg(
        first_cnic=pl.col("cnic").sort_by("row").first(), first_row=pl.col("row").min()
    )
    marked = acc.join(firsts, on="roll_number", how="left")
    clash = marked.filter(pl.col("cnic") != pl.col("first_cnic"))
    if clash.height == 0:
        return intake
    extra = clash.select(
        "row",
        "application_id",
        pl.lit("roll_number").alias("column"),
        pl.format(
            "roll number {} is already used by row {} (another CNIC); each test taker has one roll number",
            "roll_number",
            "first_row",
        ).alias("reason"),
        pl.lit(None, pl.String).alias("other_errors"),
    )
    rejected = pl.concat([intake.rejected, extra.cast(intake.rejected.schema)]).sort("row")
    accepted = acc.join(clash.select("row"), on="row", how="anti")
    return replace(intake, accepted=accepted, rejected=rejected, duplicates=intake.duplicates + clash.height)


_NO_DISQ = pl.DataFrame(
    schema={"application_id": pl.String, "disqualification_reason": pl.String, "disqualified_by": pl.String}
)


def read_disqualifications(path: Path, frame: pl.DataFrame) -> pl.DataFrame:
    """Late disqualifications (domain.md §3, §7): ``application_id,reason,decided_by``, one row each.

    A disqualified candidate is taken out before ranking, so the seats and the waiting list move up when the
    run is repeated; the decision and who took it are recorded in the ledger. This is an official decision
    file, so any bad row stops the run (exit 1) naming the row and the field.
    """
    raw = read_table(path)
    source = str(path)
    cols = {}
    for name in ("application_id", "reason", "decided_by"):
        found = find_column(raw, name)
        if found is None:
            raise TableError(source, f"missing column {name!r}; expected application_id,reason,decided_by")
        cols[name] = found
    known = set(frame.get_column("application_id").to_list())
    seen: dict[str, int] = {}
    rows = []
    for rec in raw.iter_rows(named=True):
        r = rec["row"]
        values = {k: (rec[c] or "").strip() for k, c in cols.items()}
        for k, v in values.items():
            if not v:
                raise InputError(source, f"row {r}, column {k}: required; the cell is empty")
        aid = values["application_id"]
        if aid not in known:
            raise InputError(
                source, f"row {r}, column application_id: {aid!r} is not an accepted application"
            )
        if aid in seen:
            raise InputError(
                source, f"row {r}, column application_id: {aid!r} already disqualified on row {seen[aid]}"
            )
        seen[aid] = r
        rows.append((aid, values["reason"], values["decided_by"]))
    return pl.DataFrame(rows, schema=_NO_DISQ.schema, orient="row")


def fairness_frame(results: pl.DataFrame) -> pl.DataFrame:
    yes_no = {True: "yes", False: "no"}
    return results.select(
        "post_code",
        gender=pl.col("gender"),
        zone=pl.col("zone"),
        minority=pl.col("minority").replace_strict(yes_no, return_dtype=pl.String),
        disabled=pl.col("disabled").replace_strict(yes_no, return_dtype=pl.String),
        applied=pl.lit(True),
        eligible=pl.col("eligible"),
        tested=pl.col("eligible") & pl.col("present"),
        passed=(pl.col("eligible") & pl.col("present") & pl.col("passed").fill_null(False)),
        selected=pl.col("status") == "selected",
    )


def fairness_audit(
    results: pl.DataFrame, posts: Sequence[str], *, exclude_small: bool = False
) -> dict[str, Any]:
    """The per-stage audit of every post (fairness.md): gender, zone, minority, disability and gender × zone."""
    frame = fairness_frame(results)
    out: dict[str, Any] = {
        "exclude_small": exclude_small,
        "stages": {name: label for name, _, _, label in STAGES},
        "posts": {},
    }
    for code in posts:
        sub = frame.filter(pl.col("post_code") == code)
        reports = audit_stages(
            sub,
            stages=[(name, pop, outcome) for name, pop, outcome, _ in STAGES],
            families=FAMILIES,
            exclude_small=exclude_small,
        )
        out["posts"][code] = {name: rep.to_dict() for name, rep in reports.items()}
    return out


__all__ = [
    "FAMILIES",
    "STAGES",
    "PostRun",
    "RunInputs",
    "RunState",
    "fairness_audit",
    "mask_cnic",
    "run_campaign",
    "sha256_file",
]
