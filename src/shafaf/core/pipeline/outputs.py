"""Writing a run: the published files, each deterministic, and the decision ledger that seals them.

Files (all UTF-8, "\\n" line endings, sorted explicitly):
``merit_list.csv``/``.json`` every candidate who passed, by post and rank, with marks by component, total, slot
and status (selected / waiting); ``waiting_list.csv``; ``ineligible.csv`` with reason codes and sentences;
``results.csv`` every accepted application with its status and marks (nothing is withheld);
``rejected_rows.csv`` intake rejects; ``rejected_marks.csv`` marks/response rows that were refused or match no
application; ``explanations.jsonl`` one line per application (the same data as its ledger entry);
``seats.json``; ``fairness.json``; ``summary.json``; ``report.html``; ``ledger.jsonl`` + ``ledger.head``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from shafaf import __version__
from shafaf.core.errors import InputError
from shafaf.core.exact import SCALE, fraction_to_str, scaled_to_str
from shafaf.core.ledger import LedgerWriter
from shafaf.core.marks import section_column
from shafaf.core.pipeline.run import NESTED_INPUTS, PostRun, RunState, sha256_file
from shafaf.core.publish.report import render_report

PUBLISHED = (
    "merit_list.csv",
    "merit_list.json",
    "waiting_list.csv",
    "ineligible.csv",
    "results.csv",
    "rejected_rows.csv",
    "rejected_marks.csv",
    "multiple_selections.csv",
    "explanations.jsonl",
    "seats.json",
    "fairness.json",
    "summary.json",
    "report.html",
)

_INPUT_COLUMNS = (
    "dob",
    "dob_precision",
    "gender",
    "domicile_district",
    "domicile_basis",
    "province",
    "division",
    "zone",
    "region",
    "minority",
    "disabled",
    "in_service_x100",
    "qualifications",
    "experience",
    "relaxations",
)


def _json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


_FREE_TEXT = ("name", "father_name", "reasons", "reason", "other_errors")


def _write_csv(frame: pl.DataFrame, path: Path) -> None:
    # A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe in the
    # free-text columns that come from applicants (OWASP CSV injection); report.html shows the text as is.
    safe = [
        pl.when(pl.col(c).str.contains(r"^[=+\-@\t\r]"))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in _FREE_TEXT
        if c in frame.columns and frame.schema[c] == pl.String
    ]
    if safe:
        frame = frame.with_columns(safe)
    # A byte-order mark lets spreadsheet programs open Urdu names as UTF-8 when the file is double-clicked.
    frame.write_csv(path, line_terminator="\n", quote_style="necessary", include_bom=True)


def _denominators(state: RunState) -> pl.DataFrame:
    return pl.DataFrame(
        {"post_code": [p.post.code for p in state.posts], "_den": [p.denominator for p in state.posts]},
        schema={"post_code": pl.String, "_den": pl.Int64},
    )


def _with_text(state: RunState) -> pl.DataFrame:
    """Results with the exact marks rendered as decimal text (composite per post denominator)."""
    r = state.results
    cols: list[pl.Expr] = []
    for s in state.sections:
        c = section_column(s.code)
        if c in r.columns:
            cols.append(scaled_to_str(pl.col(c)).alias(f"marks_{s.code}"))
    if "test_total" in r.columns:
        cols.append(scaled_to_str(pl.col("test_total")).alias("test_total_text"))
    r = r.with_columns(cols)
    r = r.with_columns(total=pl.lit(None, pl.String))
    if "composite_num" in r.columns and state.posts:
        # one rendering per distinct denominator, only for the rows that have a composite
        by_den: dict[int, list[str]] = {}
        for p in state.posts:
            by_den.setdefault(p.denominator, []).append(p.post.code)
        scored = r.filter(pl.col("composite_num").is_not_null()).select("_pos", "post_code", "composite_num")
        parts = [
            scored.filter(pl.col("post_code").is_in(codes)).select(
                "_pos", _total=fraction_to_str(pl.col("composite_num"), den)
            )
            for den, codes in sorted(by_den.items())
        ]
        totals = pl.concat(parts)
        r = r.drop("total").join(totals, on="_pos", how="left").rename({"_total": "total"})
    return r


def _section_cols(state: RunState) -> list[str]:
    return [f"marks_{s.code}" for s in state.sections]


def merit_frame(state: RunState, t: pl.DataFrame) -> pl.DataFrame:
    ranked = t.filter(pl.col("rank").is_not_null()).sort(["post_code", "rank"])
    return ranked.select(
        "post_code",
        "rank",
        "application_id",
        "cnic_masked",
        "name",
        "father_name",
        *_section_cols(state),
        pl.col("test_total_text").alias("test_total")
        if "test_total_text" in t.columns
        else pl.lit(None).alias("test_total"),
        "total",
        "slot",
        "status",
        pl.col("tie_with_prev").alias("tie_break"),
        pl.col("tie_unresolved"),
    )


EXPLAIN_CHUNK = 200_000


def explanation_chunks(state: RunState, t: pl.DataFrame) -> Iterator[pl.DataFrame]:
    """:func:`explanation_frame` in consecutive slices of at most ``EXPLAIN_CHUNK`` applications."""
    ordered = t.sort("_pos")
    accepted = state.accepted
    for start in range(0, ordered.height, EXPLAIN_CHUNK):
        yield _explanation_json(
            state, ordered.slice(start, EXPLAIN_CHUNK), accepted.slice(start, EXPLAIN_CHUNK)
        )


def explanation_frame(state: RunState, t: pl.DataFrame) -> pl.DataFrame:
    """One JSON object per accepted application, in the order of the applications file (line k of
    ``explanations.jsonl`` is the k-th accepted row), so the nested input columns are joined by position
    without moving them."""
    return _explanation_json(state, t.sort("_pos"), state.accepted)


def _explanation_json(state: RunState, t: pl.DataFrame, accepted: pl.DataFrame) -> pl.DataFrame:
    assert t.get_column("_pos").equals(accepted.get_column("_pos")), "results and intake rows differ"
    t = t.hstack(accepted.select(*NESTED_INPUTS))
    sec = [pl.col(f"marks_{s.code}") for s in state.sections]
    marks_struct = pl.struct(sec) if sec else pl.lit(None)
    js = t.select(
        pl.struct(
            pl.col("application_id"),
            pl.col("post_code").alias("post"),
            pl.col("row"),
            pl.col("roll_number"),
            pl.col("name"),
            pl.col("cnic_masked"),
            pl.col("status"),
            pl.struct([pl.col(c) for c in _INPUT_COLUMNS]).alias("inputs"),
            pl.struct(
                "eligible",
                "fail_codes",
                "fail_text",
                "age_text",
                "upper_age",
                "relaxation_years",
                "min_qual_percent_x100",
                "min_qual_date",
                "highest_level",
                "experience_days",
            ).alias("eligibility"),
            pl.struct(
                pl.col("present"),
                (pl.col("batch") if "batch" in t.columns else pl.lit(None, pl.String)).alias("batch"),
                marks_struct.alias("sections"),
                pl.col("test_total_text").alias("test_total")
                if "test_total_text" in t.columns
                else pl.lit(None).alias("test_total"),
                pl.col("total"),
                pl.col("passed"),
                pl.col("fail_reason"),
            ).alias("marks"),
            pl.struct("rank", "tie_with_prev", "tie_unresolved").alias("merit"),
            pl.struct("slot", "slot_kind", "converted_from", "waiting_position", "eligible_slots").alias(
                "seat"
            ),
            pl.struct("disqualified", "disqualification_reason", "disqualified_by").alias("disqualification"),
            pl.col("post_withdrawn"),
        )
        .struct.json_encode()
        .alias("json")
    )
    return js


def decision_entries(state: RunState, t: pl.DataFrame) -> pl.Series:
    """The ledger's per-application decision: outcome, reasons' codes, marks, rank and seat, and the line of
    ``explanations.jsonl`` that holds the full explanation (inputs, every sentence), sealed with that file."""
    return t.select(
        pl.struct(
            pl.col("application_id"),
            pl.col("post_code").alias("post"),
            (pl.col("_pos").cast(pl.Int64) + 1).alias("line"),
            pl.col("status"),
            pl.col("eligible"),
            pl.col("fail_codes"),
            pl.col("test_total_text").alias("test_total")
            if "test_total_text" in t.columns
            else pl.lit(None, pl.String).alias("test_total"),
            pl.col("total"),
            pl.col("rank"),
            pl.col("tie_with_prev"),
            pl.col("slot"),
            pl.col("waiting_position"),
        ).struct.json_encode()
    ).to_series()


def seats_doc(state: RunState) -> dict[str, Any]:
    posts = []
    for p in state.posts:
        results = {r.code: r for r in (p.allocation.slots if p.allocation else ())}
        slots = []
        for s in p.plan.slots:
            r = results.get(s.code)
            slots.append(
                {
                    "slot": s.code,
                    "label": s.label,
                    "kind": s.kind,
                    "seats": s.seats,
                    "filled": r.filled if r else 0,
                    "unfilled": r.unfilled if r else s.seats,
                    "action": r.action if r else None,
                    "approver": r.approver if r else None,
                    "converted_filled": r.converted_filled if r else 0,
                }
            )
        posts.append(
            {
                "post": p.post.code,
                "title": p.post.title,
                "vacancies": p.post.vacancies,
                "policy": p.pack.version,
                "withdrawn": p.post.withdrawn,
                "pointer_start": p.plan.pointer_start,
                "pointer_end": p.plan.pointer_end,
                "slots": slots,
                "reasons": [
                    {"code": x.code, "text": x.text_en}
                    for x in (*p.plan.reasons, *(p.allocation.reasons if p.allocation else ()))
                ],
            }
        )
    return {"advertisement": state.campaign.campaign.advertisement, "posts": posts}


def _counts(frame: pl.DataFrame) -> dict[str, int]:
    """The funnel, built so that every split adds up: accepted = eligible + ineligible, eligible = tested +
    absent, tested = passed + failed, passed = selected + waiting. ``absent`` includes the candidates whose
    result row was refused (``result_refused``), and ``failed`` includes the tested candidates who were
    disqualified or whose post was withdrawn (``disqualified``, ``withdrawn_tested``), each also counted alone."""
    st = frame.get_column("status")
    eligible = frame.get_column("eligible")
    tested = eligible & frame.get_column("present")

    def n(v: str) -> int:
        return int((st == v).sum())

    passed = n("selected") + n("waiting")
    return {
        "accepted": frame.height,
        "eligible": int(eligible.sum()),
        "ineligible": int((~eligible).sum()),
        "tested": int(tested.sum()),
        "absent": int((eligible & ~frame.get_column("present")).sum()),
        "result_refused": n("result_refused"),
        "disqualified": n("disqualified"),
        "withdrawn_tested": int((tested & (st == "withdrawn")).sum()),
        "passed": passed,
        "failed": int(tested.sum()) - passed,
        "selected": n("selected"),
        "waiting": n("waiting"),
    }


def inputs_list(state: RunState) -> list[dict[str, Any]]:
    """Each input file's role, name, sha256 and size (hashed once per run: inputs can be hundreds of MB)."""
    if state.input_files is None:
        i = state.inputs
        roles = [
            ("campaign", i.campaign),
            ("applications", i.applications),
            *[("marks", m) for m in i.marks_files],
            ("responses", i.responses),
            ("key", i.key),
            ("disqualified", i.disqualified),
        ]
        state.input_files = [
            {"role": role, "file": path.name, "sha256": sha256_file(path), "bytes": path.stat().st_size}
            for role, path in roles
            if path is not None
        ]
    return state.input_files


def summary_doc(state: RunState, t: pl.DataFrame, merit: pl.DataFrame) -> dict[str, Any]:
    c = state.campaign.campaign
    counts = {
        "rows_in": state.intake.rows_in,
        "rejected": state.intake.rejected.height,
        "duplicates": state.intake.duplicates,
        **_counts(state.results),
    }
    posts = []
    for p in state.posts:
        sub = state.results.filter(pl.col("post_code") == p.post.code)
        top = merit.filter(pl.col("post_code") == p.post.code).head(20)
        posts.append(
            {
                "code": p.post.code,
                "title": p.post.title,
                "bps": p.post.bps,
                "vacancies": p.post.vacancies,
                "policy": p.pack.version,
                "counts": _counts(sub),
                "total_weight": format(sum((c.weight for c in p.components), Decimal(0)).normalize(), "f"),
                "top": [
                    {
                        "rank": r["rank"],
                        "application_id": r["application_id"],
                        "cnic_masked": r["cnic_masked"],
                        "name": r["name"],
                        "total": r["total"],
                        "slot": r["slot"] or "",
                        "tie_break": r["tie_break"],
                    }
                    for r in top.iter_rows(named=True)
                ],
            }
        )
    return {
        "campaign": {
            "department": c.department,
            "advertisement": c.advertisement,
            "title": c.title,
            "closing_date": c.closing_date.isoformat(),
            "eligibility_date": c.reference_date.isoformat(),
            "run_label": c.run_label,
        },
        "software": {"name": "shafaf", "version": __version__},
        "inputs": [{k: v for k, v in x.items() if k != "bytes"} for x in inputs_list(state)],
        "policies": [
            {
                "name": p.name,
                "version": p.version,
                "sha256": p.sha256,
                "unverified": sorted(p.unverified()),
                "unverified_count": len(p.unverified()),
            }
            for _, p in sorted(state.packs.items())
        ],
        "geography": {"version": state.geography.version, "note": state.geography.note},
        "counts": counts,
        "unmatched_marks": state.unmatched_marks.height,
        "warnings": run_warnings(state),
        "batches": batch_statistics(state),
        "ignored_columns": list(state.intake.ignored_columns),
        "posts": posts,
    }


def multiple_selections(results: pl.DataFrame) -> pl.DataFrame:
    """Candidates (by CNIC) selected for more than one post of the campaign: each must choose one post, and
    the waiting list of every other post moves up when they decline (domain.md §4)."""
    sel = results.filter(pl.col("status") == "selected")
    return (
        sel.group_by("cnic")
        .agg(posts=pl.col("post_code").sort(), application_ids=pl.col("application_id").sort())
        .filter(pl.col("posts").list.len() > 1)
        .sort("cnic")
    )


def batch_statistics(state: RunState) -> list[dict[str, Any]]:
    """Per test batch (marks file): candidates, mean and standard deviation of the test total (descriptive)."""
    if state.marks is None or "batch" not in state.marks.marks.columns:
        return []
    stats = (
        state.marks.marks.group_by("batch", maintain_order=True)
        .agg(
            n=pl.len(),
            mean=(pl.col("test_total").cast(pl.Float64) / SCALE).mean(),
            sd=(pl.col("test_total").cast(pl.Float64) / SCALE).std(),
        )
        .sort("batch")
    )
    return [
        {
            "batch": r["batch"],
            "candidates": r["n"],
            "mean": f"{r['mean']:.4f}",
            "sd": None if r["sd"] is None else f"{r['sd']:.4f}",
        }
        for r in stats.iter_rows(named=True)
    ]


def run_warnings(state: RunState) -> list[str]:
    out: list[str] = []
    batches = batch_statistics(state)
    if len(batches) > 1:
        means = ", ".join(f"{b['batch']} mean {b['mean']} (n {b['candidates']})" for b in batches)
        out.append(
            f"{len(batches)} test batches are ranked on their raw marks side by side ({means}); if their papers "
            "differ in difficulty, the marks must be equated onto one scale before ranking"
        )
    multi = multiple_selections(state.results)
    if multi.height:
        out.append(
            f"{multi.height} candidate(s) were selected for more than one post; each must choose one, and the "
            "waiting list of the other post moves up (see multiple_selections.csv)"
        )
    if state.unmatched_marks.height:
        out.append(
            f"{state.unmatched_marks.height} test result row(s) match no accepted application (rejected_marks.csv)"
        )
    return out


def merit_json(state: RunState, merit: pl.DataFrame) -> bytes:
    """``merit_list.json``: per post its formula and sections, then one JSON object per ranked candidate
    (written by polars row by row: a list of 10^6 candidates is not built as Python objects)."""
    posts: list[str] = []
    for p in state.posts:
        rows = merit.filter(pl.col("post_code") == p.post.code).select(
            pl.struct(
                "rank",
                "application_id",
                "cnic_masked",
                "name",
                "father_name",
                pl.struct([pl.col(f"marks_{s.code}").alias(s.code) for s in state.sections]).alias("marks")
                if state.sections
                else pl.lit(None).alias("marks"),
                "test_total",
                "total",
                "slot",
                "status",
                "tie_break",
            ).struct.json_encode()
        )
        head = {
            "post": p.post.code,
            "title": p.post.title,
            "vacancies": p.post.vacancies,
            "components": [{"source": c.source, "weight": str(c.weight)} for c in p.components],
            "sections": [{"code": s.code, "label": s.label} for s in state.sections],
        }
        body = rows.to_series().str.join(",\n").item() if rows.height else ""
        posts.append(json.dumps(head, ensure_ascii=False)[:-1] + ',"list":[\n' + body + "\n]}")
    top = json.dumps({"advertisement": state.campaign.campaign.advertisement}, ensure_ascii=False)[:-1]
    return (top + ',"posts":[\n' + ",\n".join(posts) + "\n]}\n").encode("utf-8")


def publish(state: RunState, out: Path, *, progress: Any = None) -> str:
    """Write every published file and the sealed ledger into ``out``; return the ledger head hash.

    ``out`` is emptied of earlier Shafaf outputs first (only the files this function writes)."""
    say = progress or (lambda _m: None)
    out.mkdir(parents=True, exist_ok=True)
    ours = {(out / n).resolve() for n in (*PUBLISHED, "ledger.jsonl", "ledger.head")}
    i = state.inputs
    for path in (i.campaign, i.applications, *i.marks_files, i.responses, i.key, i.disqualified):
        if path is not None and path.resolve() in ours:
            raise InputError(
                str(out), f"the output folder would overwrite the input {path}: choose another --out"
            )
    for name in (*PUBLISHED, "ledger.jsonl", "ledger.head"):
        (out / name).unlink(missing_ok=True)
    t = _with_text(state)

    def write_explanations() -> None:
        # one JSON object per line, written by polars straight from the column (no quoting: json_encode never
        # emits a raw newline), in chunks so that at most EXPLAIN_CHUNK encoded lines are held at once
        with (out / "explanations.jsonl").open("wb") as fh:
            for chunk in explanation_chunks(state, t):
                chunk.write_csv(fh, include_header=False, quote_style="never", line_terminator="\n")

    # The explanations (the largest file) are encoded and written on a second thread while the lists are
    # written here: polars releases the GIL, and the two share nothing but read-only tables.
    with ThreadPoolExecutor(max_workers=1) as pool:
        explanations = pool.submit(write_explanations)
        say("writing lists")
        merit = merit_frame(state, t)
        _write_csv(merit, out / "merit_list.csv")
        (out / "merit_list.json").write_bytes(merit_json(state, merit))
        waiting = (
            t.filter(pl.col("status") == "waiting")
            .sort(["post_code", "waiting_position"])
            .select(
                "post_code",
                "waiting_position",
                "rank",
                "application_id",
                "cnic_masked",
                "name",
                "total",
                "eligible_slots",
            )
        )
        _write_csv(waiting, out / "waiting_list.csv")
        inelig = (
            t.filter(~pl.col("eligible"))
            .sort(["post_code", "application_id"])
            .select(
                "post_code",
                "application_id",
                "cnic_masked",
                "name",
                pl.col("fail_codes").list.join(";").alias("reason_codes"),
                pl.col("fail_text").alias("reasons"),
            )
        )
        _write_csv(inelig, out / "ineligible.csv")
        res = t.select(
            "post_code",
            "application_id",
            "cnic_masked",
            "name",
            "status",
            pl.col("fail_codes").list.join(";").alias("ineligibility_codes"),
            *_section_cols(state),
            pl.col("test_total_text").alias("test_total")
            if "test_total_text" in t.columns
            else pl.lit(None).alias("test_total"),
            "total",
            "fail_reason",
            "rank",
            "slot",
        )
        _write_csv(res, out / "results.csv")
        _write_csv(state.intake.rejected, out / "rejected_rows.csv")
        multi = multiple_selections(state.results).select(
            pl.col("application_ids").list.join(";"), pl.col("posts").list.join(";")
        )
        _write_csv(multi, out / "multiple_selections.csv")
        rejected_marks = _rejected_marks(state)
        _write_csv(rejected_marks, out / "rejected_marks.csv")
        say("writing explanations")
        seats = seats_doc(state)
        summary = summary_doc(state, t, merit)
        explanations.result()  # re-raises any error of the writer thread
    (out / "seats.json").write_bytes(_json_bytes(seats))
    (out / "fairness.json").write_bytes(_json_bytes(state.fairness))
    (out / "summary.json").write_bytes(_json_bytes(summary))
    (out / "report.html").write_text(
        render_report(summary=summary, seats=seats, fairness=state.fairness), encoding="utf-8", newline="\n"
    )
    say("sealing the ledger")
    decisions = decision_entries(state, t)
    return _ledger(state, out, summary, seats, decisions, rejected_marks)


def _rejected_marks(state: RunState) -> pl.DataFrame:
    schema = {
        "row": pl.Int64,
        "id": pl.String,
        "column": pl.String,
        "reason": pl.String,
        "other_errors": pl.String,
    }
    parts = []
    if state.marks is not None:
        parts.append(state.marks.rejected.select([pl.col(k).cast(v) for k, v in schema.items()]))
    if state.unmatched_marks.height:
        parts.append(
            state.unmatched_marks.select(
                pl.lit(None, pl.Int64).alias("row"),
                pl.col("roll_number").alias("id"),
                pl.lit("roll_number").alias("column"),
                pl.lit("NO_APPLICATION: no accepted application has this roll number").alias("reason"),
                pl.lit(None, pl.String).alias("other_errors"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat(parts).sort(["row", "id"], nulls_last=True)


def _post_entry(p: PostRun, state: RunState) -> dict[str, Any]:
    return {
        "post": p.post.code,
        "title": p.post.title,
        "policy": p.pack.version,
        "rules": p.rules.to_dict(),
        "components": [
            {
                "source": c.source,
                "weight": str(c.weight),
                "max_marks": None if c.max_marks is None else str(c.max_marks),
            }
            for c in p.components
        ],
        "sections": [
            {
                "code": s.code,
                "label": s.label,
                "max_marks": None if s.max_marks is None else str(s.max_marks),
                "pass_percent": str(s.pass_percent),
                "negative": str(s.negative),
                "marks_per_item": str(s.marks_per_item),
            }
            for s in state.sections
        ],
        "aggregate_pass_percent": str(p.post.merit.aggregate_pass_percent),
        "tie_chain": list(p.pack.tie_chain),
        "composite_denominator": p.denominator,
    }


def _ledger(
    state: RunState,
    out: Path,
    summary: dict[str, Any],
    seats: dict[str, Any],
    lines: pl.Series,
    rejected_marks: pl.DataFrame,
) -> str:
    w = LedgerWriter(out / "ledger.jsonl", overwrite=True)
    w.append(
        "run",
        {
            "software": {"name": "shafaf", "version": __version__},
            "campaign": summary["campaign"],
            "inputs": inputs_list(state),
            "policies": summary["policies"],
            "geography": summary["geography"],
        },
    )
    for p in state.posts:
        w.append("post_rules", _post_entry(p, state))
    for p in seats["posts"]:
        w.append("seat_plan", p)
    rej = state.intake.rejected.select(pl.struct(pl.all()).struct.json_encode()).to_series()
    w.append_raw("intake_rejects", batched(rej, "rows"))
    marks_rej = rejected_marks.select(pl.struct(pl.all()).struct.json_encode()).to_series()
    w.append_raw("marks_rejects", batched(marks_rej, "rows"))
    w.append_raw("decisions", batched(lines, "decisions"))
    for code, stages in state.fairness["posts"].items():
        w.append("audit", {"post": code, "flags": _flags(stages), "counts": summary["counts"]})
    return w.seal(out, list(PUBLISHED))


LEDGER_BATCH = 1000


def batched(items: pl.Series, key: str, size: int = LEDGER_BATCH) -> pl.Series:
    """Group JSON objects into ledger entries of ``size``: ``{"first":k,"count":n,"<key>":[...]}`` with ``k``
    the 1-based number of the batch's first item. Every decision is still in the chain — changing any one
    changes its entry's hash — but the chain has 10^3 links for 10^6 decisions, not 10^6."""
    if items.len() == 0:
        return pl.Series("json", [], dtype=pl.String)
    frame = pl.DataFrame({"j": items}).with_row_index("_i")
    grouped = (
        frame.group_by(pl.col("_i") // size, maintain_order=True)
        .agg(first=pl.col("_i").min() + 1, count=pl.len(), body=pl.col("j").str.join(","))
        .sort("_i")
    )
    return grouped.select(
        pl.format('{{"first":{},"count":{},"' + key + '":[{}]}}', "first", "count", "body")
    ).to_series()


def _flags(stages: dict[str, Any]) -> list[dict[str, Any]]:
    flags = []
    for stage, rep in stages.items():
        for fam, f in rep["families"].items():
            for label, cat in f["categories"].items():
                if cat.get("four_fifths_flag"):
                    flags.append(
                        {
                            "stage": stage,
                            "family": fam,
                            "category": label,
                            "n": cat["n"],
                            "positives": cat["positives"],
                        }
                    )
    return flags
