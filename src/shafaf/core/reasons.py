"""The reason every decision carries: a stable code, its parameters and a human sentence.

A reason is data, not prose: ``code`` is stable across releases (tests, ledgers and translations key on it),
``params`` hold every number the sentence uses (as ``str``/``int``/``bool``/``None`` so they serialise
unchanged; exact decimals are written as strings), ``text_en`` is the sentence shown to people and
``text_ur`` its Urdu translation where one exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ParamValue = str | int | bool | None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a decision came out the way it did. Frozen; ``params`` is a read-only mapping."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    text_en: str = ""
    text_ur: str | None = None

    def __post_init__(self) -> None:
        # Freeze the parameters: a reason recorded in a ledger must not change afterwards.
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items())), self.text_en, self.text_ur))

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict with keys in a fixed order (``params`` sorted by key)."""
        return {
            "code": self.code,
            "params": {k: self.params[k] for k in sorted(self.params)},
            "text_en": self.text_en,
            "text_ur": self.text_ur,
        }

    def to_dict(self) -> dict[str, object]:
        """Alias of :meth:`as_dict` (the name the report modules use)."""
        return self.as_dict()
