"""``shafaf explain DIR APPLICATION_ID``: every rule, mark, tie-break and seat decision for one candidate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from shafaf.core.errors import ShafafError
from shafaf.core.pipeline.explain import explain_lines


@click.command("explain")
@click.argument("out_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("application_id")
def explain(out_dir: Path, application_id: str) -> None:
    """Explain one candidate's outcome in plain words, regenerated from the run's decision ledger."""
    try:
        lines = explain_lines(out_dir, application_id)
    except ShafafError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo("\n".join(lines).rstrip())
