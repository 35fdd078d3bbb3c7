"""``shafaf verify DIR``: checks a published output folder against its hash-chained ledger.

Exit codes: 0 verified, 1 a problem was found (the first one and a count of the others on stderr), 2 usage.
The checks and problem codes are those of :func:`shafaf.core.ledger.verify_dir` (see docs/ledger.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from shafaf.core.ledger import verify_dir

__all__ = ["verify"]

_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _check_head(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if _HEX64.fullmatch(value) is None:
        raise click.BadParameter(f"expected 64 hexadecimal digits, got {value!r}")
    return value.lower()


@click.command("verify")
@click.argument(
    "out_dir",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path),
)
@click.option(
    "--ledger",
    "ledger_name",
    default="ledger.jsonl",
    show_default=True,
    help="Name of the ledger file inside DIR.",
)
@click.option(
    "--head",
    "expected_head",
    default=None,
    callback=_check_head,
    metavar="HASH",
    help="A head hash published elsewhere (newspaper, job board); the ledger must end with it.",
)
@click.option(
    "--quick",
    is_flag=True,
    help="Do not parse each entry's data; hashes, chain, seal, files and head are still checked.",
)
@click.option("--all", "show_all", is_flag=True, help="List every problem found, not only the first.")
@click.pass_context
def verify(
    ctx: click.Context,
    out_dir: Path,
    ledger_name: str,
    expected_head: str | None,
    quick: bool,
    show_all: bool,
) -> None:
    """Verify the ledger in DIR, the published files its seal lists, and ledger.head.

    Prints "OK: N entries, head HASH, M files match" and exits 0, or prints the first problem to stderr and
    exits 1.
    """
    result = verify_dir(out_dir, ledger_name=ledger_name, expected_head=expected_head, check_data=not quick)
    if result.ok:
        # Fixed wording (no singular forms) so scripts can parse the line.
        click.echo(f"OK: {result.entries} entries, head {result.head}, {result.files} files match")
        return
    shown = result.problems if show_all else result.problems[:1]
    for problem in shown:
        click.echo(f"FAILED: {out_dir}: {problem.message} [{problem.code}]", err=True)
    others = result.problem_count - len(shown)
    if others > 0:
        more = "more" if show_all else "other"
        click.echo(f"... and {others} {more} problem{'s' if others != 1 else ''}", err=True)
    ctx.exit(1)
