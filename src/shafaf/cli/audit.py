"""``shafaf audit``: an adverse-impact audit of one outcome column in a CSV or XLSX file (fairness.md).

Every cell is read as text, so labels are the file's own spellings (trimmed): "1", "1.0" and "01" are three
different labels, and "F" and "f" are two. Outcomes accept 1/0, true/false, yes/no, y/n (any case); scores are
plain decimal numbers, an empty score cell meaning *not scored*. Column names given on the command line match
the header exactly or, failing that, ignoring case and surrounding spaces (as in docs/formats.md).

Exit codes: 0 done, 1 input error (message on stderr naming the file, column and row), 2 usage error.
"""

from __future__ import annotations

import csv
import json
import sys
import warnings
from pathlib import Path

import click
import polars as pl
from rich.console import Console
from rich.table import Table
from rich.text import Text

from shafaf.core import fairness
from shafaf.core.errors import InputError, TableError
from shafaf.core.fairness import AuditReport, CategoryResult, FamilyResult

__all__ = ["audit", "read_table"]

_EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})


def read_table(path: Path, *, source: str) -> pl.DataFrame:
    """Read a CSV (UTF-8, optional byte-order mark) or a spreadsheet's first sheet with every column as text.

    Raises :class:`TableError` when the file is missing, unreadable, empty, or has a repeated column name.
    """
    if not path.exists():
        raise TableError(source, "file not found")
    if not path.is_file():
        raise TableError(source, "not a file")
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        try:
            with warnings.catch_warnings():
                # polars' calamine reader emits a FutureWarning about its own internal call to from_arrow.
                warnings.simplefilter("ignore", FutureWarning)
                frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
        except Exception as exc:  # the Excel readers raise their own, unrelated exception types
            raise TableError(source, f"cannot read the spreadsheet: {_first_line(exc)}") from exc
        _check_header(frame.columns, source)
        return frame
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise TableError(source, "the file is not UTF-8 text") from exc
    if header is None:
        raise TableError(source, "the file is empty")
    _check_header(header, source)
    try:
        with path.open("rb") as handle:  # a handle: a path string would be expanded as a glob pattern
            return pl.read_csv(handle, infer_schema=False, encoding="utf8")
    except pl.exceptions.PolarsError as exc:
        raise TableError(source, f"cannot read the CSV: {_first_line(exc)}") from exc


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _check_header(names: list[str], source: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise TableError(source, f"row 1: column {name!r} appears twice in the header")
        seen.add(name)


def _resolve_columns(frame: pl.DataFrame, wanted: list[str], source: str) -> pl.DataFrame:
    """Rename header columns to the names asked for: exact match first, else case- and space-insensitive."""
    renames: dict[str, str] = {}
    for name in dict.fromkeys(wanted):
        if name in frame.columns:
            continue
        key = name.strip().casefold()
        matches = [c for c in frame.columns if c.strip().casefold() == key]
        if not matches:
            raise TableError(source, f"missing column {name!r}; the header has: {', '.join(frame.columns)}")
        if len(matches) > 1:
            raise TableError(source, f"column {name!r} is ambiguous: {', '.join(repr(m) for m in matches)}")
        renames[matches[0]] = name
    return frame.rename(renames) if renames else frame


@click.command("audit")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--attribute",
    "attributes",
    multiple=True,
    required=True,
    metavar="COL",
    help="A column of category labels (gender, zone, ...). Repeat for several families.",
)
@click.option("--intersections", is_flag=True, help="Also audit every pair of attributes (e.g. gender×zone).")
@click.option("--selected", metavar="COL", help="Binary outcome column (1/0, true/false, yes/no, y/n).")
@click.option("--score", metavar="COL", help="Numeric score column (NYC LL144 scoring rate over the median).")
@click.option(
    "--exclude-small", is_flag=True, help="Exclude categories under 2% of the rows from impact ratios."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def audit(
    file: Path,
    attributes: tuple[str, ...],
    intersections: bool,
    selected: str | None,
    score: str | None,
    exclude_small: bool,
    as_json: bool,
) -> None:
    """Audit FILE (CSV or XLSX) for adverse impact across the --attribute columns.

    Reports per category: n, positives, rate, impact ratio, the four-fifths flag, Fisher and z-test p-values,
    the shortfall against the pool rate and how many more positives would clear the flag.
    """
    if (selected is None) == (score is None):
        raise click.UsageError("give exactly one of --selected COL or --score COL")
    source = str(file)
    outcome = selected if selected is not None else score
    assert outcome is not None
    try:
        frame = read_table(file, source=source)
        frame = _resolve_columns(frame, [*attributes, outcome], source)
        report = fairness.audit(
            frame,
            attributes=list(attributes),
            selected=selected,
            score=score,
            intersections=intersections,
            exclude_small=exclude_small,
            source=source,
        )
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(1) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    # Labels are data: never interpret them as rich markup or emoji codes.
    console = Console(highlight=False, markup=False, emoji=False, width=None if sys.stdout.isatty() else 160)
    _print_report(report, console)


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value >= 0.001 else f"{value:.1e}"


def _flag(category: CategoryResult) -> Text:
    if category.four_fifths_flag is None:
        return Text("—")
    return Text("FLAG", style="bold red") if category.four_fifths_flag else Text("ok")


def _notes(family: FamilyResult, category: CategoryResult) -> str:
    notes = []
    if category.label == family.reference:
        notes.append("reference")
    if category.excluded:
        notes.append("excluded (<2%)")
    if category.small_sample:
        notes.append("small sample")
    if category.one_or_two_more_clear:
        notes.append(f"clears with {category.selections_to_clear} more")
    return ", ".join(notes)


def _print_report(report: AuditReport, console: Console) -> None:
    positives = "selected" if report.method == "selection" else "above median"
    head = f"Adverse-impact audit ({report.method} rate): {report.n_rows} rows"
    if report.method == "scoring":
        median = "—" if report.median is None else f"{report.median:g}"
        head += f", median {median}, not scored {report.not_scored}"
    head += f"; 2% exclusion {'on' if report.exclude_small else 'off'}."
    console.print(head)
    for family in report.families:
        table = Table(
            title=f"{family.name}: reference {family.reference or '—'}, unknown {family.unknown_count}",
            title_justify="left",
        )
        table.add_column("category")
        for name in ("n", positives, "rate", "impact ratio"):
            table.add_column(name, justify="right")
        table.add_column("4/5")
        for name in ("Fisher p", "z p", "shortfall", "+k"):
            table.add_column(name, justify="right")
        table.add_column("notes")
        for c in family.categories:
            table.add_row(
                c.label,
                str(c.n),
                str(c.positives),
                f"{c.rate:.3f}",
                _ratio(c.impact_ratio),
                _flag(c),
                _p(c.fisher_p),
                _p(c.z_p),
                "—" if c.shortfall is None else f"{c.shortfall:+.1f}",
                "" if c.selections_to_clear is None else f"+{c.selections_to_clear}",
                _notes(family, c),
            )
        console.print(table)
        for reason in family.reasons:
            if reason.code in ("reference_rate_zero", "no_compared_category"):
                console.print(f"  {reason.text}")
    console.print(
        "4/5: FLAG when the impact ratio is below 0.8 (decided on integer counts). +k: positives the "
        "category would need to clear the flag. Small sample: n < 30 or expected positives < 5."
    )
