"""Test sections, the result of reading marks, and item-range expansion."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from shafaf.core.errors import CampaignError, TableError
from shafaf.core.exact import scaled_to_decimal, to_scaled

__all__ = [
    "REJECTED_SCHEMA",
    "MarksResult",
    "SectionSpec",
    "expand_item_range",
    "section_column",
]

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# "iraw.A1-iraw.A85", "Item.1 - Item.32", "Q001-Q100": the same prefix on both ends, then a number.
_RANGE = re.compile(r"(?P<prefix>.*?)(?P<start>\d+)\s*-\s*(?P=prefix)(?P<end>\d+)")

REJECTED_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64(),
    "id": pl.String(),
    "column": pl.String(),
    "reason": pl.String(),
    "other_errors": pl.String(),
}


def section_column(code: str) -> str:
    """Name of a section's marks column in a marks frame: ``sec_<code>``."""
    return f"sec_{code}"


@dataclass(frozen=True)
class SectionSpec:
    """One section of a test (campaign ``[[test.sections]]``).

    ``items`` are item column names or ranges (``"iraw.A1-iraw.A85"``), expanded against the marks file by
    ``expand_item_range``. ``marks_per_item`` is added for a correct answer, ``negative`` (written as a
    positive number, e.g. ``0.25``) subtracted for a wrong one; an omitted item scores 0. ``pass_percent`` is
    the minimum share of the section maximum, 0 meaning no minimum. ``max_marks`` is the section maximum:
    needed in ``marks_columns`` mode when no items are listed, and always set (exactly) on the sections a
    ``MarksResult`` returns; otherwise it defaults to ``len(items) × marks_per_item``.
    """

    code: str
    label: str
    items: tuple[str, ...]
    marks_per_item: Decimal = Decimal(1)
    negative: Decimal = Decimal(0)
    pass_percent: Decimal = Decimal(0)
    max_marks: Decimal | None = None

    def __post_init__(self) -> None:
        where = f"[[test.sections]] {self.code!r}"
        if isinstance(self.items, str):  # one range or name given bare: never iterate its characters
            object.__setattr__(self, "items", (self.items,))
        if not _CODE.fullmatch(self.code):
            raise CampaignError(
                where, "code must be letters, digits, '_' or '-', starting with a letter or digit"
            )
        for name, value, low in (
            ("marks_per_item", self.marks_per_item, 0),
            ("negative", self.negative, 0),
            ("max_marks", self.max_marks, 0),
        ):
            if value is None:
                continue
            try:
                scaled = to_scaled(value)
            except ValueError as exc:
                raise CampaignError(
                    where, f"{name} must be a number with up to 4 decimals, got {value}"
                ) from exc
            if scaled < low:
                raise CampaignError(
                    where, f"{name} must be >= 0 (a deduction is written as a positive number)"
                )
        if not self.pass_percent.is_finite() or not 0 <= self.pass_percent <= 100:
            raise CampaignError(where, f"pass_percent must be between 0 and 100, got {self.pass_percent}")

    @property
    def marks_scaled(self) -> int:
        return to_scaled(self.marks_per_item)

    @property
    def negative_scaled(self) -> int:
        return to_scaled(self.negative)

    def maximum_scaled(self) -> int | None:
        """Section maximum in ten-thousandths: ``max_marks`` if set, else the item count × marks, else
        None."""
        if self.max_marks is not None:
            return to_scaled(self.max_marks)
        count = sum(len(_expand_entry(entry)) for entry in self.items)
        return count * self.marks_scaled if count else None

    def minimum_scaled(self) -> int | None:
        """Lowest possible section mark (``-items × negative``), 0 without negative marking, None if
        unknown."""
        if self.negative_scaled == 0:
            return 0
        count = sum(len(_expand_entry(entry)) for entry in self.items)
        return -count * self.negative_scaled if count else None


@dataclass(frozen=True)
class MarksResult:
    """Marks read or scored from one file.

    ``marks``: ``roll_number`` (String), ``sec_<code>`` per section (Int64, ten-thousandths), ``test_total``
    (Int64, ten-thousandths; may be negative under negative marking), ``correct``/``wrong``/``omitted``
    (Int32; null in ``marks_columns`` mode where they are unknown) and ``interview`` (Int64 ten-thousandths,
    null when the cell is empty) when the file has an ``interview`` column. Rows keep the file order.
    ``rejected``: ``row``, ``id``, ``column``, ``reason``, ``other_errors`` (see ``REJECTED_SCHEMA``);
    ``reason`` starts with a stable code (``EMPTY_ID:``, ``DUPLICATE_ID:``, ``INVALID_RESPONSE:``,
    ``INVALID_ITEM_MARK:``, ``INVALID_MARK:``, ``MISSING_MARK:``, ``MARK_OUT_OF_RANGE:``,
    ``INVALID_INTERVIEW:``). ``rows_in == marks.height + rejected.height`` always. ``sections`` are resolved:
    item names as found in the file and ``max_marks`` set exactly; ``max_marks`` maps section code → maximum
    in ten-thousandths.
    """

    marks: pl.DataFrame
    rejected: pl.DataFrame
    rows_in: int
    sections: tuple[SectionSpec, ...]
    max_marks: dict[str, int]

    @property
    def test_max(self) -> int:
        """Maximum of the whole test in ten-thousandths (sum of the section maxima)."""
        return sum(self.max_marks.values())

    def max_marks_decimal(self) -> dict[str, Decimal]:
        return {code: scaled_to_decimal(value) for code, value in self.max_marks.items()}


def _expand_entry(entry: str) -> list[str]:
    """One entry of an item list, expanded syntactically: a range becomes its names, a name stays itself."""
    text = entry.strip()
    match = _RANGE.fullmatch(text)
    if match is None:
        return [text]
    prefix, start, end = match["prefix"], match["start"], match["end"]
    first, last = int(start), int(end)
    if first > last:
        raise CampaignError("[[test.sections]] items", f"range {entry!r} runs backwards ({first} > {last})")
    width = len(start) if start.startswith("0") and len(start) == len(end) else 0
    return [f"{prefix}{number:0{width}d}" for number in range(first, last + 1)]


def expand_item_range(
    spec: str | Sequence[str], available: Sequence[str], *, source: str = "marks file"
) -> tuple[str, ...]:
    """Expand item names and ranges into the names of ``available`` columns, in the order given.

    ``"iraw.A1-iraw.A85"`` is the 85 names ``iraw.A1`` … ``iraw.A85`` (same prefix on both ends; zero padding
    kept when both ends have the same width and the start is padded, ``Q001-Q100``). An entry that is itself
    an available column name is taken as a name even if it looks like a range. Names match case-insensitively
    and are returned as spelled in ``available``. A name missing from ``available`` raises ``TableError``
    naming ``source``; a name listed twice or a backwards range raises ``CampaignError``.
    """
    entries = [spec] if isinstance(spec, str) else list(spec)
    lookup: dict[str, str] = {}
    for name in available:
        lookup.setdefault(name.strip().casefold(), name)
    result: list[str] = []
    missing: list[str] = []
    for entry in entries:
        direct = lookup.get(entry.strip().casefold())
        names = [entry.strip()] if direct is not None else _expand_entry(entry)
        for name in names:
            found = lookup.get(name.casefold())
            if found is None:
                missing.append(name)
            else:
                result.append(found)
    if missing:
        shown = ", ".join(repr(m) for m in missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        raise TableError(source, f"item columns not found: {shown} (from {entries!r})")
    seen: set[str] = set()
    for name in result:
        if name in seen:
            raise CampaignError("[[test.sections]] items", f"item {name!r} is listed more than once")
        seen.add(name)
    return tuple(result)
