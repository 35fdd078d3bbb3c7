"""The ``shafaf`` command.

Exit codes: 0 done; 1 input errors (a message on stderr names the file, field or row and what was expected);
2 usage errors (click's own). Progress goes to stderr, results to stdout.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from shafaf import __version__
from shafaf.cli.audit import audit
from shafaf.cli.explain import explain
from shafaf.cli.seats import seats
from shafaf.cli.synth import synth
from shafaf.cli.verify import verify
from shafaf.core.errors import ShafafError
from shafaf.core.pipeline import RunInputs, publish, run_campaign

_err = Console(stderr=True, highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="shafaf")
def cli() -> None:
    """Shafaf (شفاف): transparent merit recruitment. Run a campaign, audit it, explain and verify it."""


STEPS = (
    "intake",
    "eligibility",
    "marks",
    "merit and seats",
    "fairness audit",
    "writing lists",
    "writing explanations",
    "sealing the ledger",
)


@contextmanager
def _steps(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar over the run's stages on stderr (only on a terminal)."""
    if not enabled:
        yield lambda _msg: None
        return
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_err, transient=True) as bar:
        task = bar.add_task("starting", total=len(STEPS))
        done: list[str] = []

        def step(msg: str) -> None:
            if done:
                bar.advance(task)
            done.append(msg)
            bar.update(task, description=msg)

        yield step
        bar.update(task, completed=len(STEPS))


def _run(inputs: RunInputs, out: Path, quiet: bool) -> int:
    try:
        with _steps(not quiet and sys.stderr.isatty()) as say:
            state = run_campaign(inputs, progress=say)
            head = publish(state, out, progress=say)
    except ShafafError as exc:
        _err.print(f"[red]error:[/red] {escape(str(exc))}", markup=True, highlight=False, soft_wrap=True)
        return 1
    except OSError as exc:  # the output folder cannot be written (read-only, a file in the way, no space)
        where = exc.filename or out
        _err.print(
            f"[red]error:[/red] cannot write the outputs to {escape(str(out))}: {escape(str(exc.strerror or exc))} "
            f"({escape(str(where))})",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )
        return 1
    i = state.intake
    click.echo(
        f"{state.campaign.campaign.advertisement}: {i.rows_in} rows in = {i.accepted.height} accepted + "
        f"{i.rejected.height} rejected ({i.duplicates} duplicates)"
    )
    for p in state.posts:
        sub = state.results.filter(state.results["post_code"] == p.post.code)
        st = sub["status"].value_counts().sort("status")
        counts = ", ".join(f"{r['status']} {r['count']}" for r in st.iter_rows(named=True))
        filled = sum(r.filled for r in p.allocation.slots) if p.allocation else 0
        click.echo(
            f"  {p.post.code} ({p.post.vacancies} posts): {counts}; seats filled {filled}/{p.post.vacancies}"
        )
    if state.marks is not None and (state.marks.rejected.height or state.unmatched_marks.height):
        click.echo(
            f"  test results: {state.marks.rejected.height} rows refused, "
            f"{state.unmatched_marks.height} match no application (rejected_marks.csv)"
        )
    click.echo(f"outputs in {out}/ (report.html, merit_list.csv, ...); ledger head {head}")
    return 0


@cli.command("run")
@click.argument("campaign", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--applications",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Applications CSV or XLSX (docs/formats.md §1).",
)
@click.option(
    "--responses",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Raw option choices, one row per candidate (with --key).",
)
@click.option(
    "--key", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Answer key CSV: item,key."
)
@click.option(
    "--marks",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="Marks computed by a testing body (docs/formats.md §2); repeat for several test batches.",
)
@click.option(
    "--disqualified",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Late disqualifications: CSV application_id,reason,decided_by (seats are allocated again).",
)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--quiet", is_flag=True, help="No progress display.")
def run_cmd(
    campaign: Path,
    applications: Path,
    responses: Path | None,
    key: Path | None,
    marks: tuple[Path, ...],
    disqualified: Path | None,
    out: Path,
    quiet: bool,
) -> None:
    """Run one campaign end to end and write the merit list, audit, report and sealed ledger into OUT."""
    if (responses is None) != (key is None):
        raise click.UsageError("--responses and --key go together")
    if marks and responses is not None:
        raise click.UsageError("give either --marks or --responses/--key, not both")
    inputs = RunInputs(
        campaign,
        applications,
        marks=marks[0] if marks else None,
        more_marks=tuple(marks[1:]),
        responses=responses,
        key=key,
        disqualified=disqualified,
    )
    sys.exit(_run(inputs, out, quiet))


def demo_root() -> Path:
    """The bundled demo (``demo/`` in the repository)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "demo" / "campaign.toml").is_file():
            return parent / "demo"
    raise click.ClickException(
        "the bundled demo folder (demo/campaign.toml) was not found beside the package"
    )


@cli.command("demo")
@click.option(
    "--out", default=Path("out/demo"), show_default=True, type=click.Path(file_okay=False, path_type=Path)
)
@click.option("--quiet", is_flag=True)
def demo_cmd(out: Path, quiet: bool) -> None:
    """Run the bundled real example: the Sub-Accountant campaign (real test marks) and the Junior Clerk
    campaign (real raw responses scored against a key)."""
    root = demo_root()
    runs = [
        (
            "sub-accountant",
            RunInputs(
                root / "campaign.toml",
                root / "data" / "applications.csv",
                marks=root / "data" / "copydetect_form1.csv",
            ),
        ),
        (
            "junior-clerk",
            RunInputs(
                root / "junior-clerk" / "campaign.toml",
                root / "junior-clerk" / "applications.csv",
                responses=root / "junior-clerk" / "responses.csv",
                key=root / "junior-clerk" / "key.csv",
            ),
        ),
    ]
    status = 0
    for name, inputs in runs:
        click.echo(f"== {name}")
        status = max(status, _run(inputs, out / name, quiet))
    if status == 0:
        exe = Path(sys.argv[0])
        command = os.path.relpath(exe) if exe.is_file() else "shafaf"
        click.echo(
            f"\nOpen {out / 'sub-accountant' / 'report.html'} in a browser; "
            f"check the seal with: {command} verify {out / 'sub-accountant'}; "
            f"explain one candidate with: {command} explain {out / 'sub-accountant'} APPLICATION_ID"
        )
    sys.exit(status)


cli.add_command(seats)
cli.add_command(audit)
cli.add_command(verify)
cli.add_command(explain)
cli.add_command(synth)


def main() -> None:
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
