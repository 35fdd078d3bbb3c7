"""The audit report: frozen dataclasses and their deterministic JSON-ready form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "INTERSECTION_SEPARATOR",
    "AuditReport",
    "CategoryResult",
    "FamilyResult",
    "JsonValue",
    "Method",
    "Reason",
]

#: Joins column names into an intersection family key ("gender×zone") and labels into a cell label
#: ("F×Kalat").
INTERSECTION_SEPARATOR = "\u00d7"

Method = Literal["selection", "scoring"]
JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]
ParamValue = None | bool | int | float | str


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a number is what it is: a stable ``code``, the ``params`` it used and a human sentence."""

    code: str
    params: Mapping[str, ParamValue]
    text: str

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "code": self.code,
            "params": {k: self.params[k] for k in sorted(self.params)},
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class CategoryResult:
    """One category of a family (fairness.md §1–§2).

    ``rate`` = positives / n. ``impact_ratio``, ``four_fifths_flag``, ``fisher_p`` and ``z_p`` are None when
    not computable: the category is excluded (2% rule), the reference rate is 0, or (p-values) the category is
    the reference, or (``z_p``) the pooled rate is 0 or 1. ``shortfall`` = n × (rate of the compared pool) −
    positives, None for an excluded category. ``selections_to_clear`` is None unless flagged;
    ``one_or_two_more_clear`` is None when the flag is None, else ``flag and selections_to_clear <= 2``.
    """

    label: str
    n: int
    positives: int
    rate: float
    impact_ratio: float | None
    four_fifths_flag: bool | None
    fisher_p: float | None
    z_p: float | None
    excluded: bool
    small_sample: bool
    shortfall: float | None
    selections_to_clear: int | None
    one_or_two_more_clear: bool | None
    reasons: tuple[Reason, ...] = ()

    def to_dict(self, *, reasons: bool = False) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {
            "n": self.n,
            "positives": self.positives,
            "rate": self.rate,
            "impact_ratio": self.impact_ratio,
            "four_fifths_flag": self.four_fifths_flag,
            "fisher_p": self.fisher_p,
            "z_p": self.z_p,
            "excluded": self.excluded,
            "small_sample": self.small_sample,
            "shortfall": self.shortfall,
            "selections_to_clear": self.selections_to_clear,
            "one_or_two_more_clear": self.one_or_two_more_clear,
        }
        if reasons:
            out["reasons"] = [r.to_dict() for r in self.reasons]
        return out


@dataclass(frozen=True, slots=True)
class FamilyResult:
    """One family: a single attribute ("gender") or an intersection ("gender×zone").

    ``categories`` are sorted by label (code-point order of the rendered string). A label combination with no
    rows does not appear. ``unknown_count`` counts rows with a null/empty label in any of ``attributes``.
    """

    name: str
    attributes: tuple[str, ...]
    unknown_count: int
    reference: str | None
    categories: tuple[CategoryResult, ...]
    reasons: tuple[Reason, ...] = ()

    def category(self, label: str) -> CategoryResult:
        for c in self.categories:
            if c.label == label:
                return c
        raise KeyError(label)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.categories)

    def to_dict(self, *, reasons: bool = False) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {
            "attributes": list(self.attributes),
            "unknown_count": self.unknown_count,
            "reference": self.reference,
            "categories": {c.label: c.to_dict(reasons=reasons) for c in self.categories},
        }
        if reasons:
            out["reasons"] = [r.to_dict() for r in self.reasons]
        return out


@dataclass(frozen=True, slots=True)
class AuditReport:
    """An adverse-impact audit of one outcome over several families.

    ``n_rows`` is the audited population (N_rows of the 2% rule): every row for the selection method, every
    scored row for the scoring method (``not_scored`` rows, with a null score, are left out of that audit).
    ``median`` is the LL144 median of the scores (None for the selection method or when nothing is scored).
    """

    method: Method
    n_rows: int
    not_scored: int
    median: float | None
    exclude_small: bool
    families: tuple[FamilyResult, ...]

    def family(self, name: str) -> FamilyResult:
        for f in self.families:
            if f.name == name:
                return f
        raise KeyError(name)

    def to_dict(self, *, reasons: bool = False) -> dict[str, JsonValue]:
        """The JSON-ready report; families in the order requested, categories sorted by label.

        With ``reasons=True`` each family and category also carries its ``reasons`` (code, params, text).
        """
        return {
            "method": self.method,
            "n_rows": self.n_rows,
            "not_scored": self.not_scored,
            "median": self.median,
            "exclude_small": self.exclude_small,
            "families": {f.name: f.to_dict(reasons=reasons) for f in self.families},
        }
