"""Turning a marks or responses file into exact section marks (formats.md §2–3).

Three readers, one output (``MarksResult``):

- ``score_responses``: raw option choices + an answer key. Options are ``1``–``9`` or ``A``–``I``, compared
  after trimming and case-folding, with letters mapped to numbers (``A``=1 … ``I``=9): **a key ``B`` matches a
  response ``2``**. An empty cell, or a cell equal (trimmed, case-folded) to one of ``omit_codes``, is an
  omitted answer; omit codes are compared as text before the letter mapping, so with the default ``8``/``9`` a
  response ``H`` is option 8, not an omission. Correct = +marks, wrong = −negative, omitted = 0.
- ``read_item_marks`` (campaign mode ``items``): one ``0``/``1`` column per item; ``1`` is a correct answer,
  ``0`` a wrong one (the section's negative marking applies), empty is omitted.
- ``read_section_marks`` (mode ``marks_columns``): one column per section, named by its code, holding the
  section's marks (up to four decimals), checked against the section's minimum and maximum.

Negative totals are allowed under negative marking and are never clamped to zero: they flow into the test
total and the composite as they are, and fail any positive pass percentage (see
``shafaf.core.merit.composite.passes``).

``id_column=None`` means the file has no id column and the spreadsheet row number (as text, ``"2"`` for the
first data row) is the candidate's id — used for anonymous research data such as the SAT12 responses.

Bad rows never abort a run (empty id, repeated id — the later row —, an invalid response code, an item mark
other than 0/1, an invalid mark): they become rejected rows and ``rows_in == len(marks) + len(rejected)``.
Structural problems (missing id or item column, a bad key) raise ``TableError`` naming the file, the column
and the expectation.

Scoring is vectorised: cells are classified once per distinct text (``classify_cells``), the states go into an
int8 matrix (0 omitted, 1 correct, 2 wrong, -1 invalid) and section totals are integer sums over it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from shafaf.core.errors import CampaignError, TableError
from shafaf.core.exact import SCALE, format_scaled_trim, scaled_to_decimal, to_scaled
from shafaf.core.marks._rows import (
    ERROR_SCHEMA,
    Rows,
    assemble,
    cell_errors,
    check_total_bound,
    classify_cells,
    interview_column,
    quoted,
    read_interview,
    read_rows,
    split_rejected,
)
from shafaf.core.marks.spec import MarksResult, SectionSpec, expand_item_range
from shafaf.core.tables import ROW_COLUMN, find_column, require_column

__all__ = [
    "DEFAULT_OMIT_CODES",
    "DEFAULT_SECTION",
    "option_code",
    "read_item_marks",
    "read_section_marks",
    "score_responses",
]

DEFAULT_OMIT_CODES: tuple[str, ...] = ("8", "9", "")
# The section used when neither the campaign nor the key names sections.
DEFAULT_SECTION = "test"

OMITTED, CORRECT, WRONG, INVALID = 0, 1, 2, -1
_OPTIONS: dict[str, int] = {str(n): n for n in range(1, 10)} | {
    chr(ord("a") + n - 1): n for n in range(1, 10)
}


def option_code(text: str) -> int | None:
    """The option number of a response or key text (``"B"``, ``" b "`` and ``"2"`` are 2), None if not one."""
    return _OPTIONS.get(text.strip().casefold())


@dataclass(frozen=True)
class _Item:
    column: str  # as spelled in the responses/marks file
    section: int  # index into the resolved sections
    marks: int  # scaled
    negative: int  # scaled
    key: int = 0  # option number 1..9 (responses mode only)


# ------------------------------------------------------------------------------------------------------------
# scoring an int8 state matrix


def _section_totals(
    states: npt.NDArray[np.int8], items: Sequence[_Item], n_sections: int
) -> tuple[
    list[npt.NDArray[np.int64]], tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
]:
    """Per-section totals (scaled) and the correct/wrong/omitted counts, over all rows of ``states``.

    Items are grouped by (section, marks, negative). With states 0 (omitted), 1 (correct) and 2 (wrong), a
    group's row sums give ``S1 = right + 2·wrong`` and ``S2 = right + 4·wrong``, so ``wrong = (S2 - S1) / 2``
    and ``right = S1 - 2·wrong``: two int32 additions per item column instead of comparisons and counts.
    Rows holding an invalid state (-1) get meaningless numbers here; they are rejected anyway.
    """
    height = states.shape[0]
    members: dict[tuple[int, int, int], list[int]] = {}
    for j, item in enumerate(items):
        members.setdefault((item.section, item.marks, item.negative), []).append(j)
    squares = np.square(states)
    totals = [np.zeros(height, dtype=np.int64) for _ in range(n_sections)]
    n_correct = np.zeros(height, dtype=np.int64)
    n_wrong = np.zeros(height, dtype=np.int64)
    for (section, marks, negative), cols in members.items():
        # column-by-column int32 additions: each column is contiguous, so this streams through memory once
        s1 = np.zeros(height, dtype=np.int32)
        s2 = np.zeros(height, dtype=np.int32)
        for j in cols:
            s1 += states[:, j]
            s2 += squares[:, j]
        wrong = (s2.astype(np.int64) - s1) // 2
        right = s1 - 2 * wrong
        totals[section] += right * marks - wrong * negative
        n_correct += right
        n_wrong += wrong
    n_omitted = len(items) - n_correct - n_wrong
    return totals, (n_correct, n_wrong, n_omitted)


def _resolved(spec: SectionSpec, items: Sequence[_Item], index: int) -> tuple[SectionSpec, int]:
    """The section with its item names as found in the file and its exact maximum."""
    maximum = sum(item.marks for item in items if item.section == index)
    resolved = SectionSpec(
        code=spec.code,
        label=spec.label,
        items=tuple(item.column for item in items if item.section == index),
        marks_per_item=spec.marks_per_item,
        negative=spec.negative,
        pass_percent=spec.pass_percent,
        max_marks=scaled_to_decimal(maximum),
    )
    return resolved, maximum


def _check_sections(sections: Sequence[SectionSpec]) -> None:
    if not sections:
        raise CampaignError("[test]", "at least one test section is needed")
    seen: set[str] = set()
    for spec in sections:
        folded = spec.code.casefold()
        if folded in seen:
            raise CampaignError("[[test.sections]]", f"section code {spec.code!r} is used twice")
        seen.add(folded)


def _score_items(
    frame: pl.DataFrame,
    rows: Rows,
    sections: Sequence[SectionSpec],
    items: Sequence[_Item],
    states: npt.NDArray[np.int8],
    reason: str,
    source: str,
) -> MarksResult:
    """Shared tail of ``score_responses`` and ``read_item_marks``."""
    resolved: list[SectionSpec] = []
    maxima: dict[str, int] = {}
    for index, spec in enumerate(sections):
        section, maximum = _resolved(spec, items, index)
        resolved.append(section)
        maxima[spec.code] = maximum
    check_total_bound(source, [(code, m) for code, m in maxima.items()])
    columns = [item.column for item in items]
    errors = [
        cell_errors(frame, columns, states == INVALID, lambda raw: pl.format(reason, quoted(raw))),
    ]
    taken = [rows.id_label, *columns]
    interview = None
    name = interview_column(frame, taken)
    if name is not None:
        interview, interview_errors = read_interview(frame, name)
        errors.append(interview_errors)
    keep, rejected = split_rejected(frame.height, rows, errors)
    totals, counts = _section_totals(states, items, len(sections))
    return assemble(
        rows=rows,
        keep=keep,
        rejected=rejected,
        sections=resolved,
        totals=totals,
        counts=counts,
        interview=interview,
        max_marks=maxima,
    )


# ------------------------------------------------------------------------------------------------------------
# responses + key


def _key_items(
    key: pl.DataFrame,
    sections: Sequence[SectionSpec] | None,
    responses_columns: Sequence[str],
    omit: set[str],
    source: str,
    key_source: str,
) -> tuple[list[SectionSpec], list[_Item]]:
    """Read the key into sections and items (raises ``TableError``/``CampaignError`` for structural
    problems)."""
    item_col = require_column(
        key, "item", source=key_source, purpose="the item (column name in the responses)"
    )
    key_col = require_column(key, "key", source=key_source, purpose="the correct option, 1-9 or A-I")
    section_col = find_column(key, "section")
    marks_col = find_column(key, "marks")
    negative_col = find_column(key, "negative")
    rows = (
        key.get_column(ROW_COLUMN).to_list() if ROW_COLUMN in key.columns else list(range(2, key.height + 2))
    )

    def scaled_cell(value: str | None, column: str, row: int) -> int | None:
        if value is None or value.strip() == "":
            return None
        try:
            scaled = to_scaled(value)
        except ValueError:
            scaled = -1
        # one item is worth at most 1000 marks: far above any real paper, and it keeps every total of
        # 10^6 candidates × 10^4 items exact in 64-bit integers
        if not 0 <= scaled <= 1000 * SCALE:
            raise TableError(
                key_source,
                f"row {row}, column {column!r}: {value!r} is not a number from 0 to 1000 with up to 4 decimals",
            )
        return scaled

    entries: list[tuple[int, str, int, str | None, int | None, int | None]] = []
    seen: dict[str, int] = {}
    for position, record in enumerate(key.iter_rows(named=True)):
        row = int(rows[position])
        item = (record[item_col] or "").strip()
        if item == "":
            raise TableError(key_source, f"row {row}, column {item_col!r}: the item name is empty")
        if item.casefold() in seen:
            raise TableError(
                key_source, f"row {row}: item {item!r} already has a key on row {seen[item.casefold()]}"
            )
        seen[item.casefold()] = row
        text = (record[key_col] or "").strip()
        code = option_code(text)
        if code is None or text.casefold() in omit:
            raise TableError(
                key_source,
                f"row {row}, column {key_col!r}: key {text!r} for item {item!r} is not an option "
                "(expected 1-9 or A-I, and not an omit code)",
            )
        section = (record[section_col] or "").strip() if section_col else None
        marks = scaled_cell(record[marks_col], marks_col, row) if marks_col else None
        negative = scaled_cell(record[negative_col], negative_col, row) if negative_col else None
        entries.append((row, item, code, section or None, marks, negative))

    if sections is None:
        order: list[str] = []
        for _, _, _, section, _, _ in entries:
            name = section or DEFAULT_SECTION
            if name not in order:
                order.append(name)
        specs = [SectionSpec(code=name, label=name, items=()) for name in order]
    else:
        _check_sections(sections)
        specs = list(sections)
    # where each item belongs
    owner: dict[str, int] = {}
    if sections is None:
        for _, item, _, section, _, _ in entries:
            owner[item.casefold()] = [s.code for s in specs].index(section or DEFAULT_SECTION)
    else:
        for index, spec in enumerate(specs):
            # section items may be ranges: expand them against the key's items (names the key gives)
            try:
                names = expand_item_range(spec.items, [e[1] for e in entries], source=key_source)
            except TableError as exc:
                raise TableError(
                    key_source, f"section {spec.code!r} has items with no key: {exc.detail}"
                ) from exc
            for name in names:
                if name.casefold() in owner:
                    other = specs[owner[name.casefold()]].code
                    raise CampaignError(
                        "[[test.sections]]", f"item {name!r} is in both section {other!r} and {spec.code!r}"
                    )
                owner[name.casefold()] = index
        for row, item, _, section, _, _ in entries:
            if item.casefold() not in owner:
                raise TableError(
                    key_source, f"row {row}: item {item!r} belongs to no test section of the campaign"
                )
            if section is not None and section.casefold() != specs[owner[item.casefold()]].code.casefold():
                raise TableError(
                    key_source,
                    f"row {row}: item {item!r} is in section {section!r} here but in "
                    f"{specs[owner[item.casefold()]].code!r} in the campaign",
                )
    lookup = {c.strip().casefold(): c for c in responses_columns if c != ROW_COLUMN}
    missing = [e[1] for e in entries if e[1].casefold() not in lookup]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        raise TableError(source, f"the key ({key_source}) has items with no column in the responses: {shown}")
    items: list[_Item] = []
    for _, item, code, _, marks, negative in entries:
        index = owner[item.casefold()]
        spec = specs[index]
        items.append(
            _Item(
                column=lookup[item.casefold()],
                section=index,
                marks=spec.marks_scaled if marks is None else marks,
                negative=spec.negative_scaled if negative is None else negative,
                key=code,
            )
        )
    return specs, items


def score_responses(
    responses: pl.DataFrame,
    key: pl.DataFrame,
    *,
    sections: Sequence[SectionSpec] | None,
    id_column: str | None,
    omit_codes: Collection[str] = DEFAULT_OMIT_CODES,
    source: str,
    key_source: str,
) -> MarksResult:
    """Score raw option choices against an answer key, exactly (formats.md §3; conventions in the module doc).

    ``key`` has columns ``item``, ``key`` and optionally ``section``, ``marks`` and ``negative`` (per-item
    values overriding the section's). With ``sections=None`` the key's ``section`` column defines the sections
    in order of first appearance (1 mark per item, no deduction, no pass minimum unless the key says
    otherwise); without that column every item is in one section ``test``. With ``sections`` given, every key
    item must belong to one of them and every section item must have a key. Items are scored in key order;
    response columns that are not key items are ignored.
    """
    omit = {code.strip().casefold() for code in omit_codes}
    rows = read_rows(responses, id_column, source)
    specs, items = _key_items(key, sections, responses.columns, omit, source, key_source)

    def classify(text: str) -> int:
        folded = text.strip().casefold()
        if folded == "" or folded in omit:
            return OMITTED
        return _OPTIONS.get(folded, INVALID)

    def state_of(key: int) -> Callable[[str], int]:
        def state(text: str) -> int:
            code = classify(text)
            return code if code <= 0 else (CORRECT if code == key else WRONG)

        return state

    states = classify_cells(responses, [i.column for i in items], [state_of(i.key) for i in items])
    options = ", ".join([*(repr(c) for c in sorted(omit) if c), "empty"])
    reason = f"INVALID_RESPONSE: {{}} is not an option (1-9 or A-I) or an omit code ({options})"
    return _score_items(responses, rows, specs, items, states, reason, source)


# ------------------------------------------------------------------------------------------------------------
# marks files


def read_item_marks(
    frame: pl.DataFrame, *, sections: Sequence[SectionSpec], id_column: str | None, source: str
) -> MarksResult:
    """Campaign mode ``items``: one column per item holding ``0``/``1`` (or empty = omitted).

    Section items (names or ranges) are expanded against the file's columns; columns in no section are
    ignored. ``1`` adds the section's ``marks_per_item``, ``0`` subtracts its ``negative``.
    """
    _check_sections(sections)
    rows = read_rows(frame, id_column, source)
    items: list[_Item] = []
    seen: dict[str, str] = {}
    available = [c for c in frame.columns if c != ROW_COLUMN]
    for index, spec in enumerate(sections):
        for column in expand_item_range(spec.items, available, source=source):
            if column in seen:
                raise CampaignError(
                    "[[test.sections]]",
                    f"item {column!r} is in both section {seen[column]!r} and {spec.code!r}",
                )
            seen[column] = spec.code
            items.append(
                _Item(column=column, section=index, marks=spec.marks_scaled, negative=spec.negative_scaled)
            )
    if not items:
        raise CampaignError("[[test.sections]]", "the sections list no items")

    def classify(text: str) -> int:
        stripped = text.strip()
        return {"1": CORRECT, "0": WRONG, "": OMITTED}.get(stripped, INVALID)

    states = classify_cells(frame, [i.column for i in items], [classify] * len(items))
    reason = "INVALID_ITEM_MARK: {} is not 0, 1 or empty"
    return _score_items(frame, rows, sections, items, states, reason, source)


def read_section_marks(
    frame: pl.DataFrame, *, sections: Sequence[SectionSpec], id_column: str | None, source: str
) -> MarksResult:
    """Campaign mode ``marks_columns``: one column per section (named by its code, case-insensitive).

    Each cell must be a mark with up to four decimals between the section's minimum (0, or ``-items ×
    negative`` under negative marking; unbounded below when negative marking is on and the item count is
    unknown) and its maximum (``max_marks``, or ``items × marks_per_item``). ``correct``/``wrong``/``omitted``
    are null.
    """
    _check_sections(sections)
    rows = read_rows(frame, id_column, source)
    columns: list[str] = []
    resolved: list[SectionSpec] = []
    maxima: dict[str, int] = {}
    errors: list[pl.DataFrame] = []
    totals: list[npt.NDArray[np.int64]] = []
    for spec in sections:
        column = require_column(frame, spec.code, source=source, purpose=f"marks of section {spec.label!r}")
        maximum = spec.maximum_scaled()
        if maximum is None:
            raise CampaignError(
                f"[[test.sections]] {spec.code!r}",
                "max_marks is needed in marks_columns mode when no items are listed",
            )
        minimum = spec.minimum_scaled()
        columns.append(column)
        maxima[spec.code] = maximum
        resolved.append(
            SectionSpec(
                code=spec.code,
                label=spec.label,
                items=spec.items,
                marks_per_item=spec.marks_per_item,
                negative=spec.negative,
                pass_percent=spec.pass_percent,
                max_marks=scaled_to_decimal(maximum),
            )
        )
        values, reasons = _parse_marks(frame.get_column(column), minimum, maximum)
        totals.append(values)
        bad = reasons.is_not_null().to_numpy()
        errors.append(
            pl.DataFrame(
                {
                    "pos": np.flatnonzero(bad).astype(np.int64),
                    "order": np.full(int(bad.sum()), frame.columns.index(column), dtype=np.int64),
                    "column": [column] * int(bad.sum()),
                    "reason": reasons.filter(pl.Series(bad)),
                },
                schema=ERROR_SCHEMA,
            )
        )
    check_total_bound(source, list(maxima.items()))
    interview = None
    name = interview_column(frame, [rows.id_label, *columns])
    if name is not None:
        interview, interview_errors = read_interview(frame, name)
        errors.append(interview_errors)
    keep, rejected = split_rejected(frame.height, rows, errors)
    return assemble(
        rows=rows,
        keep=keep,
        rejected=rejected,
        sections=resolved,
        totals=totals,
        counts=None,
        interview=interview,
        max_marks=maxima,
    )


def _parse_marks(
    series: pl.Series, minimum: int | None, maximum: int
) -> tuple[npt.NDArray[np.int64], pl.Series]:
    """Scaled values (0 where bad) and a reason per cell (null when fine); each distinct text is parsed
    once."""
    low = "no lower bound" if minimum is None else format_scaled_trim(minimum)
    high = format_scaled_trim(maximum)
    missing = "MISSING_MARK: the section mark is empty"
    parsed: dict[str, tuple[int, str | None]] = {}
    for text in series.unique().to_list():
        if text is None:
            continue
        stripped = text.strip()
        if stripped == "":
            parsed[text] = (0, missing)
            continue
        try:
            value = to_scaled(stripped)
        except ValueError:
            parsed[text] = (0, f"INVALID_MARK: {text!r} is not a number with up to 4 decimals")
            continue
        if value > maximum or (minimum is not None and value < minimum):
            parsed[text] = (0, f"MARK_OUT_OF_RANGE: {stripped} is outside {low}..{high}")
        else:
            parsed[text] = (value, None)
    keys = sorted(parsed)
    if not keys:
        return np.zeros(series.len(), dtype=np.int64), pl.Series(
            "reason", [missing] * series.len(), pl.String
        )
    out = pl.DataFrame({"v": series}).select(
        pl.col("v")
        .replace_strict(keys, [parsed[k][0] for k in keys], return_dtype=pl.Int64)
        .fill_null(0)
        .alias("value"),
        pl.when(pl.col("v").is_null())
        .then(pl.lit(missing))
        .otherwise(pl.col("v").replace_strict(keys, [parsed[k][1] for k in keys], return_dtype=pl.String))
        .alias("reason"),
    )
    return out.get_column("value").to_numpy().astype(np.int64), out.get_column("reason")
