"""Benchmark: N synthetic applications through intake → eligibility → marks → ranking → seats → audit → outputs.

    .venv/bin/python bench/bench_pipeline.py --rows 1000000

Generates (untimed, in a child process) a seeded applications CSV with 1% malformed rows and a marks file (four
sections, section marks per candidate, 3% absent), then times one `shafaf run` in-process, stage by stage, and
reports peak memory (ru_maxrss of this process: the pipeline alone). Results go to docs/benchmarks.md by hand, with
the machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from shafaf.core.pipeline import RunInputs, publish, run_campaign
from shafaf.core.policy.geography import load_geography
from shafaf.synth.applicants import generate_applicants
from shafaf.synth.corrupt import corrupt

CAMPAIGN = """
[campaign]
department = "Benchmark Department"
advertisement = "BENCH/2026/1"
closing_date = 2026-01-26
[test]
id_column = "roll_number"
mode = "marks_columns"
[[test.sections]]
code = "subject"
max_marks = "50"
[[test.sections]]
code = "critical"
max_marks = "20"
[[test.sections]]
code = "logical"
max_marks = "20"
[[test.sections]]
code = "english"
max_marks = "10"
{posts}
"""
POST = """
[[posts]]
code = "{code}"
title = "Post {code}"
bps = 14
vacancies = {vacancies}
policy = "balochistan-1991"
[posts.age]
max = 30
[[posts.qualifications]]
degrees = ["BCom", "BBA"]
min_percent = "45"
[posts.merit]
components = [{{ source = "test", weight = "100" }}]
aggregate_pass_percent = "40"
"""


def make_inputs(rows: int, folder: Path, seed: int = 7) -> RunInputs:
    geo = load_geography()
    posts = [("SUB-ACC", 1110), ("ASST", 2000), ("CLERK", 5000), ("JR-CLERK", 1500)]
    frames = []
    per = rows // len(posts)
    for i, (code, _) in enumerate(posts):
        n = per if i < len(posts) - 1 else rows - per * (len(posts) - 1)
        f = generate_applicants(
            n=n,
            seed=seed + i,
            post_code=code,
            roll_numbers=None,
            geography=geo,
            eligibility_date=date(2026, 1, 26),
        ).with_columns(application_id=pl.format("{}-{}", pl.lit(code), pl.col("application_id")))
        frames.append(f)
    apps = pl.concat(frames)
    apps = corrupt(apps, seed=seed, n_bad=rows // 100, n_duplicates=rows // 1000)
    apps = apps.head(rows)
    apps_path = folder / "applications.csv"
    apps.write_csv(apps_path)
    ids = apps.get_column("roll_number").fill_null(apps.get_column("application_id")).unique().sort()
    rng = np.random.default_rng(seed)
    present = rng.random(ids.len()) >= 0.03
    ids = ids.filter(pl.Series(present))
    m = ids.len()
    marks = pl.DataFrame(
        {
            "roll_number": ids,
            "subject": (rng.integers(0, 201, m) / 4).round(2),
            "critical": rng.integers(0, 21, m),
            "logical": rng.integers(0, 21, m),
            "english": rng.integers(0, 11, m),
        }
    )
    marks_path = folder / "marks.csv"
    marks.write_csv(marks_path)
    campaign_path = folder / "campaign.toml"
    campaign_path.write_text(
        CAMPAIGN.format(posts="".join(POST.format(code=c, vacancies=v) for c, v in posts)), encoding="utf-8"
    )
    return RunInputs(campaign_path, apps_path, marks=marks_path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="keep inputs and outputs in this folder")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="shafaf-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    # generate in a child process, so that this process's peak memory is the pipeline's alone
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        inputs = pool.apply(make_inputs, (args.rows, work))
    gen = time.perf_counter() - t0
    marks: list[tuple[str, float]] = []

    def step(name: str) -> None:
        marks.append((name, time.perf_counter()))

    start = time.perf_counter()
    state = run_campaign(inputs, progress=step)
    step("outputs")
    head = publish(state, work / "out", progress=step)
    end = time.perf_counter()
    marks.append(("end", end))
    stages: dict[str, float] = {}
    prev_name, prev_t = "setup", start
    for name, t in marks:
        stages[prev_name] = stages.get(prev_name, 0.0) + (t - prev_t)
        prev_name, prev_t = name, t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "rows": args.rows,
        "accepted": state.intake.accepted.height,
        "rejected": state.intake.rejected.height,
        "generation_s": round(gen, 2),
        "wall_s": round(end - start, 2),
        "stages_s": {k: round(v, 2) for k, v in stages.items()},
        "peak_rss_mb": round(peak_mb),
        "ledger_head": head,
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "polars": pl.__version__,
            "processor": platform.processor() or platform.machine(),
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
