"""Shared machinery of the marks readers: ids, row numbers, row-level errors and the output frames.

Row-level errors are collected as a long frame ``(pos, order, column, reason)``: ``pos`` is the 0-based row
position in the input frame, ``order`` the column's position in the file (the id column counts as first). A
row with any error is rejected; its first error (by ``order``) gives ``column`` and ``reason`` and the others
are listed in ``other_errors`` as ``column: reason`` joined by ``"; "``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from shafaf.core.errors import TableError
from shafaf.core.exact import INT64_MAX, to_scaled
from shafaf.core.marks.spec import REJECTED_SCHEMA, MarksResult, SectionSpec, section_column
from shafaf.core.tables import ROW_COLUMN, find_column, require_column

INTERVIEW = "interview"

ERROR_SCHEMA: dict[str, pl.DataType] = {
    "pos": pl.Int64(),
    "order": pl.Int64(),
    "column": pl.String(),
    "reason": pl.String(),
}


@dataclass(frozen=True)
class Rows:
    """Ids and row numbers of an input frame, with the id errors already found."""

    ids: pl.Series  # trimmed id text; null when empty
    rows: pl.Series  # spreadsheet row numbers (Int64)
    id_label: str  # the id column's name, or "row" when the row number is the id
    errors: pl.DataFrame  # ERROR_SCHEMA


def read_rows(frame: pl.DataFrame, id_column: str | None, source: str) -> Rows:
    """Resolve the id column (``None``: the row number is the id) and flag empty and duplicate ids."""
    if ROW_COLUMN in frame.columns:
        rows = frame.get_column(ROW_COLUMN).cast(pl.Int64)
    else:  # a frame built in code: number rows as a spreadsheet would (header = row 1)
        rows = pl.int_range(2, frame.height + 2, dtype=pl.Int64, eager=True).alias(ROW_COLUMN)
    if id_column is None:
        return Rows(rows.cast(pl.String).alias("id"), rows, ROW_COLUMN, empty_errors())
    name = require_column(frame, id_column, source=source, purpose="the candidate id, [test] id_column")
    ids = frame.get_column(name).cast(pl.String).str.strip_chars()
    ids = pl.select(pl.when(ids == "").then(None).otherwise(ids).alias("id")).to_series()
    order = frame.columns.index(name)
    work = pl.DataFrame({"id": ids, "row": rows}).with_row_index("pos")
    work = work.with_columns(pl.col("pos").cast(pl.Int64), pl.col("id").is_first_distinct().alias("first"))
    repeated = work.filter(pl.col("id").is_not_null() & ~pl.col("first")).get_column("id").unique()
    first_rows = work.filter(pl.col("id").is_in(repeated.implode()) & pl.col("first")).select(
        "id", pl.col("row").alias("first_row")
    )
    work = work.join(first_rows, on="id", how="left", maintain_order="left")
    empty = work.filter(pl.col("id").is_null()).select(
        "pos",
        pl.lit(order, pl.Int64).alias("order"),
        pl.lit(name).alias("column"),
        pl.lit(f"EMPTY_ID: the id column {name!r} is empty").alias("reason"),
    )
    duplicate = work.filter(pl.col("id").is_not_null() & ~pl.col("first")).select(
        "pos",
        pl.lit(order, pl.Int64).alias("order"),
        pl.lit(name).alias("column"),
        pl.format(
            "DUPLICATE_ID: {} {} already appears on row {}",
            pl.lit(name),
            quoted(pl.col("id")),
            pl.col("first_row"),
        ).alias("reason"),
    )
    return Rows(ids, rows, name, pl.concat([empty, duplicate]).cast(ERROR_SCHEMA))  # type: ignore[arg-type]


def quoted(expr: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit("'"), expr, pl.lit("'")])


def empty_errors() -> pl.DataFrame:
    return pl.DataFrame(schema=ERROR_SCHEMA)


def classify_cells(
    frame: pl.DataFrame, columns: Sequence[str], classifiers: Sequence[Callable[[str], int]]
) -> npt.NDArray[np.int8]:
    """``classifiers[j](text)`` of every cell of ``columns[j]`` (``""`` for an empty cell), as an int8 matrix.

    The matrix is rows × columns in column-major order (each column contiguous). A classifier runs once per
    distinct text, never once per cell, and must return values in -128..127. Fast path: a column whose
    non-empty cells are all one byte long (the usual ``1``–``9``/``A``–``I``/``0``/``1`` codes) is read as
    bytes and mapped through a 256-entry table; any other column is mapped by its distinct texts. Both paths
    give the same result (held by a test).
    """
    height = frame.height
    if not columns or height == 0:
        return np.empty((height, len(columns)), dtype=np.int8, order="F")
    tables: list[pl.Series] = []
    for classify in classifiers:
        table = np.full(256, classify(""), dtype=np.int8)  # 128..254 are never a one-byte UTF-8 text
        for byte in range(128):
            table[byte] = classify(chr(byte))
        tables.append(pl.Series(table, dtype=pl.Int8))
    lazy = frame.lazy().select(pl.col(c).cast(pl.String).alias(f"t{j}") for j, c in enumerate(columns))
    byte_of = [pl.col(f"t{j}").cast(pl.Binary).bin.reinterpret(dtype=pl.UInt8) for j in range(len(columns))]
    computed = lazy.select(
        *(pl.lit(tables[j]).gather(byte_of[j].fill_null(255)).alias(f"s{j}") for j in range(len(columns))),
        # a column is on the fast path when reading bytes made no new nulls (every text is one byte long)
        *(
            (byte_of[j].null_count() == pl.col(f"t{j}").null_count()).alias(f"fast{j}")
            for j in range(len(columns))
        ),
    ).collect()
    out = np.asfortranarray(computed.select(f"s{j}" for j in range(len(columns))).to_numpy(), dtype=np.int8)
    if not out.flags.writeable:  # a zero-copy view of polars memory; slow-path columns are written below
        out = out.copy(order="F")
    for j, (column, classify) in enumerate(zip(columns, classifiers, strict=True)):
        if bool(computed.item(0, f"fast{j}")):
            continue
        raw = frame.get_column(column).cast(pl.String)
        distinct = sorted(v for v in raw.unique().to_list() if v is not None)
        mapped = raw.replace_strict(distinct, [classify(v) for v in distinct], return_dtype=pl.Int8)
        out[:, j] = mapped.fill_null(classify("")).to_numpy()
    return out


def cell_errors(
    frame: pl.DataFrame,
    columns: Sequence[str],
    bad: npt.NDArray[np.bool_],
    describe: Callable[[pl.Expr], pl.Expr],
) -> pl.DataFrame:
    """Errors for the ``True`` cells of ``bad`` (rows × ``columns``); ``describe`` turns the raw cell into a
    reason."""
    parts: list[pl.DataFrame] = []
    for j in np.flatnonzero(bad.any(axis=0)):
        column = columns[int(j)]
        positions = np.flatnonzero(bad[:, j]).astype(np.int64)
        raw = frame.get_column(column).gather(positions)
        parts.append(
            pl.DataFrame({"pos": positions, "raw": raw}).select(
                pl.col("pos"),
                pl.lit(frame.columns.index(column), pl.Int64).alias("order"),
                pl.lit(column).alias("column"),
                describe(pl.col("raw")).alias("reason"),
            )
        )
    if not parts:
        return empty_errors()
    return pl.concat(parts).cast(ERROR_SCHEMA)  # type: ignore[arg-type]


def split_rejected(
    height: int, rows: Rows, errors: Iterable[pl.DataFrame]
) -> tuple[npt.NDArray[np.bool_], pl.DataFrame]:
    """The keep-mask of rows without errors and the rejected-rows frame (in file order)."""
    all_errors = pl.concat([rows.errors, *errors]).sort(["pos", "order"], maintain_order=True)
    keep = np.ones(height, dtype=np.bool_)
    keep[all_errors.get_column("pos").to_numpy()] = False
    if all_errors.height == 0:
        return keep, pl.DataFrame(schema=REJECTED_SCHEMA)
    rejected = (
        all_errors.with_columns(
            pl.concat_str([pl.col("column"), pl.lit(": "), pl.col("reason")]).alias("text")
        )
        .group_by("pos", maintain_order=True)
        .agg(
            pl.col("column").first(),
            pl.col("reason").first(),
            pl.col("text").slice(1).str.join("; ").alias("other_errors"),
        )
        .with_columns(
            pl.when(pl.col("other_errors") == "")
            .then(None)
            .otherwise(pl.col("other_errors"))
            .alias("other_errors")
        )
    )
    positions = rejected.get_column("pos").to_numpy()
    rejected = rejected.with_columns(
        pl.Series("row", rows.rows.to_numpy()[positions], dtype=pl.Int64),
        pl.Series("id", rows.ids.gather(positions), dtype=pl.String),
    )
    return keep, rejected.select(list(REJECTED_SCHEMA)).cast(REJECTED_SCHEMA)  # type: ignore[arg-type]


def interview_column(frame: pl.DataFrame, taken: Sequence[str]) -> str | None:
    """The ``interview`` column (case-insensitive) unless it is the id or an item column."""
    name = find_column(frame, INTERVIEW)
    return None if name is None or name in taken else name


def read_interview(frame: pl.DataFrame, name: str) -> tuple[pl.Series, pl.DataFrame]:
    """Interview marks in ten-thousandths (null when empty) and the errors of cells that are not marks >=
    0."""
    invalid = -1

    def classify(text: str) -> int:
        stripped = text.strip()
        if stripped == "":
            return 0  # replaced by null below
        try:
            value = to_scaled(stripped)
        except ValueError:
            return invalid
        return value if value >= 0 else invalid

    raw = frame.get_column(name).cast(pl.String)
    distinct = sorted(v for v in raw.unique().to_list() if v is not None)
    codes = raw.replace_strict(distinct, [classify(v) for v in distinct], return_dtype=pl.Int64)
    blank = (raw.str.strip_chars() == "").fill_null(True)
    bad = (codes == invalid).fill_null(False)
    values = pl.select(pl.when(blank | bad).then(None).otherwise(codes).alias(INTERVIEW)).to_series()
    errors = cell_errors(
        frame,
        [name],
        bad.to_numpy().reshape(-1, 1),
        lambda raw: pl.format(
            "INVALID_INTERVIEW: {} is not a mark (a number >= 0 with up to 4 decimals)", quoted(raw)
        ),
    )
    return values, errors


def check_total_bound(source: str, sections: Sequence[tuple[str, int]]) -> None:
    """Refuse maxima whose sum could overflow Int64 (a campaign that scores ~10^14 marks is a typo)."""
    if sum(abs(m) for _, m in sections) * 2 > INT64_MAX:
        raise TableError(source, "the test maximum is too large to score exactly")


def assemble(
    *,
    rows: Rows,
    keep: npt.NDArray[np.bool_],
    rejected: pl.DataFrame,
    sections: Sequence[SectionSpec],
    totals: Sequence[npt.NDArray[np.int64]],
    counts: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]] | None,
    interview: pl.Series | None,
    max_marks: dict[str, int],
) -> MarksResult:
    """Build the ``MarksResult`` from per-row section totals (all rows; ``keep`` selects the accepted
    ones)."""
    height = keep.shape[0]
    keep_series = pl.Series(keep)
    columns: dict[str, pl.Series] = {"roll_number": rows.ids.filter(keep_series).alias("roll_number")}
    total = np.zeros(int(keep.sum()), dtype=np.int64)
    for spec, values in zip(sections, totals, strict=True):
        kept = values[keep]
        total += kept
        columns[section_column(spec.code)] = pl.Series(section_column(spec.code), kept, dtype=pl.Int64)
    columns["test_total"] = pl.Series("test_total", total, dtype=pl.Int64)
    for index, name in enumerate(("correct", "wrong", "omitted")):
        if counts is None:
            columns[name] = pl.Series(name, [None] * int(keep.sum()), dtype=pl.Int32)
        else:
            columns[name] = pl.Series(name, counts[index][keep], dtype=pl.Int32)
    if interview is not None:
        columns[INTERVIEW] = interview.filter(keep_series).alias(INTERVIEW)
    marks = pl.DataFrame(list(columns.values()))
    return MarksResult(
        marks=marks,
        rejected=rejected,
        rows_in=height,
        sections=tuple(sections),
        max_marks=dict(max_marks),
    )
