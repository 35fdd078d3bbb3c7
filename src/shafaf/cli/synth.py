"""``shafaf synth``: seeded synthetic applicant registries for the demo and the benchmarks.

    shafaf synth demo --out demo/data                 # the Sub-Accountant demo inputs (real marks + registry)
    shafaf synth junior-clerk --out demo/junior-clerk # the raw-responses demo inputs
    shafaf synth applicants --n 1000000 --seed 7 --out bench/applications.csv

Same arguments, same bytes: every output is a pure function of its options, the source files and the geography
table. See docs/demo-data.md.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import click

from shafaf.core.errors import ShafafError
from shafaf.core.policy.geography import DEFAULT_GEOGRAPHY, load_geography
from shafaf.synth.applicants import generate_applicants
from shafaf.synth.corrupt import corrupt_with_manifest
from shafaf.synth.demo import DEFAULT_SOURCE, build_junior_clerk_demo, build_sub_accountant_demo
from shafaf.synth.profile import DEFAULT, JUNIOR_CLERK, Profile

__all__ = ["synth"]

PROFILES: dict[str, Profile] = {"sub-accountant": DEFAULT, "junior-clerk": JUNIOR_CLERK}


@click.group(name="synth")
def synth() -> None:
    """Generate seeded synthetic applicant data (no real person's record)."""


@synth.command("demo")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo/data"),
    show_default=True,
    help="Folder for copydetect_form1.csv, applications.csv, expected_rejections.csv, SOURCES.md.",
)
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_SOURCE,
    show_default=True,
    help="Folder holding CopyDetect_form1.csv; without it the copy already in --out is used.",
)
def demo_command(out: Path, source: Path) -> None:
    """Write the Sub-Accountant demo inputs (real test answers + synthetic registry)."""
    try:
        counts = build_sub_accountant_demo(out, source)
    except (FileNotFoundError, ValueError, ShafafError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{out}: {counts['rows']} application rows = {counts['examinees']} examinees"
        f" + {counts['absent']} absent + {counts['malformed']} malformed + {counts['duplicates']} duplicates"
    )


@synth.command("junior-clerk")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo/junior-clerk"),
    show_default=True,
    help="Folder for responses.csv, key.csv, applications.csv, SOURCES.md (campaign.toml is hand-written).",
)
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_SOURCE,
    show_default=True,
    help="Folder holding mirt_SAT12_raw.csv and mirt_SAT12_key.csv; without it the copies in --out are used.",
)
def junior_clerk_command(out: Path, source: Path) -> None:
    """Write the Junior Clerk demo inputs (real raw responses + synthetic registry)."""
    try:
        counts = build_junior_clerk_demo(out, source)
    except (FileNotFoundError, ValueError, ShafafError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{out}: {counts['rows']} applications for {counts['examinees']} examinees")


@synth.command("applicants")
@click.option("--n", "n", type=click.IntRange(min=0), required=True, help="Number of clean applications.")
@click.option("--seed", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--post-code", default="SUB-ACC", show_default=True)
@click.option(
    "--eligibility-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default="2026-01-26",
    show_default=True,
    help="Ages and qualification dates are drawn relative to this date.",
)
@click.option("--profile", type=click.Choice(sorted(PROFILES)), default="sub-accountant", show_default=True)
@click.option("--geography", default=DEFAULT_GEOGRAPHY, show_default=True, help="Table name or CSV path.")
@click.option(
    "--bad", type=click.IntRange(min=0), default=0, show_default=True, help="Malformed rows to plant."
)
@click.option("--duplicates", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="CSV to write.")
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the planted rows (row, application_id, kind, column, duplicate_of_row) here.",
)
def applicants_command(
    n: int,
    seed: int,
    post_code: str,
    eligibility_date: datetime,
    profile: str,
    geography: str,
    bad: int,
    duplicates: int,
    out: Path,
    manifest: Path | None,
) -> None:
    """Write N synthetic applications (plus planted errors) in the applications format."""
    started = time.perf_counter()
    try:
        frame = generate_applicants(
            n=n,
            seed=seed,
            post_code=post_code,
            roll_numbers=None,
            geography=load_geography(geography),
            eligibility_date=date(eligibility_date.year, eligibility_date.month, eligibility_date.day),
            profile=PROFILES[profile],
        )
        frame, planted = corrupt_with_manifest(frame, seed=seed, n_bad=bad, n_duplicates=duplicates)
    except (ValueError, ShafafError) as exc:
        raise click.ClickException(str(exc)) from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(out, line_terminator="\n")
    if manifest is not None:
        planted.write_csv(manifest, line_terminator="\n")
    click.echo(f"{out}: {frame.height} rows in {time.perf_counter() - started:.2f} s", err=True)
