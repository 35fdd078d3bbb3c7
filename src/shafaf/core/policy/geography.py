"""Versioned district -> division -> zone/region table.

The table is data (``policy/data/geography-*.csv``), never code: zones of the 1991 policy are older than
today's divisions and the mapping changes by notification (domain.md §2.6, §2.8). Each table carries a
version and a verification note (``# note:`` lines, joined) that is recorded in the ledger of every run that
used it. Columns beyond the required ones (the shipped table has ``remark``) are allowed and ignored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import polars as pl

from shafaf.core.errors import PolicyError

DEFAULT_GEOGRAPHY = "pakistan-2025"
_COLUMNS = ("district", "province", "division", "zone", "region", "aliases", "population_2023")


@dataclass(frozen=True, slots=True)
class District:
    name: str
    province: str
    division: str
    zone: str | None  # 1991 Balochistan zone (provincial rotation); None outside Balochistan
    region: (
        str  # federal quota region (punjab, sindh_urban, sindh_rural, kp, balochistan, ex_fata, gb, ajk, ict)
    )
    aliases: tuple[str, ...]
    population_2023: int | None


@dataclass(frozen=True)
class Geography:
    version: str
    note: str
    districts: tuple[District, ...]

    @cached_property
    def _by_key(self) -> dict[str, District]:
        out: dict[str, District] = {}
        for d in self.districts:
            for spelling in (d.name, *d.aliases):
                out[_key(spelling)] = d
        return out

    def resolve(self, raw: str | None) -> District | None:
        """The district named by ``raw`` (name or listed alias, case and spacing ignored), or None."""
        if raw is None:
            return None
        return self._by_key.get(_key(raw))

    def lookup_frame(self) -> pl.DataFrame:
        """One row per accepted spelling: ``key`` (normalised spelling) -> district attributes.

        Join on ``key`` after normalising a column with :func:`normalise_expr` for a vectorised lookup.
        """
        rows = [
            (k, d.name, d.province, d.division, d.zone, d.region) for k, d in sorted(self._by_key.items())
        ]
        return pl.DataFrame(
            rows,
            schema={
                "key": pl.String,
                "district": pl.String,
                "province": pl.String,
                "division": pl.String,
                "zone": pl.String,
                "region": pl.String,
            },
            orient="row",
        )

    def zones(self) -> tuple[str, ...]:
        return tuple(sorted({d.zone for d in self.districts if d.zone}))


def _key(raw: str) -> str:
    return " ".join(raw.replace("-", " ").replace("_", " ").split()).casefold()


def normalise_expr(col: str) -> pl.Expr:
    """The vectorised twin of ``_key``: trims, folds case, treats - and _ as spaces, squeezes spaces."""
    return (
        pl.col(col)
        .str.replace_all(r"[-_]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.to_lowercase()
    )


def load_geography(name_or_path: str | Path = DEFAULT_GEOGRAPHY) -> Geography:
    """Load a geography table by name (``pakistan-2025``) or from a CSV path."""
    path = Path(name_or_path)
    if path.suffix == ".csv" and path.exists():
        text = path.read_text(encoding="utf-8-sig")
        source = str(path)
    else:
        ref = resources.files("shafaf.core.policy") / "data" / f"geography-{name_or_path}.csv"
        if not ref.is_file():
            raise PolicyError(str(name_or_path), "no such geography table (expected e.g. 'pakistan-2025')")
        text = ref.read_text(encoding="utf-8-sig")
        source = f"geography-{name_or_path}.csv"
    return parse_geography(text, source)


def parse_geography(text: str, source: str) -> Geography:
    lines = text.splitlines()
    meta: dict[str, str] = {}
    body_start = 0
    for i, line in enumerate(lines):
        if line.startswith("#"):
            k, _, v = line[1:].partition(":")
            k, v = k.strip(), v.strip()
            # A header key may repeat (a long note over several lines): the parts are joined with a space.
            meta[k] = f"{meta[k]} {v}" if k in meta else v
            body_start = i + 1
        else:
            break
    if "version" not in meta:
        raise PolicyError(source, "expected a '# version: ...' header line")
    reader = csv.DictReader(io.StringIO("\n".join(lines[body_start:])))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PolicyError(source, f"missing columns {missing}; expected {list(_COLUMNS)}")
    districts: list[District] = []
    seen: dict[str, int] = {}
    for n, rec in enumerate(reader, start=body_start + 2):
        name = (rec["district"] or "").strip()
        if not name or not (rec["province"] or "").strip() or not (rec["region"] or "").strip():
            raise PolicyError(source, f"row {n}: district, province and region are required")
        for spelling in [name, *[a for a in (rec["aliases"] or "").split(";") if a.strip()]]:
            k = _key(spelling)
            if k in seen:
                raise PolicyError(source, f"row {n}: spelling '{spelling}' already used on row {seen[k]}")
            seen[k] = n
        pop = (rec["population_2023"] or "").strip()
        districts.append(
            District(
                name=name,
                province=rec["province"].strip(),
                division=(rec["division"] or "").strip(),
                zone=(rec["zone"] or "").strip() or None,
                region=rec["region"].strip(),
                aliases=tuple(a.strip() for a in (rec["aliases"] or "").split(";") if a.strip()),
                population_2023=int(pop) if pop else None,
            )
        )
    return Geography(version=meta["version"], note=meta.get("note", ""), districts=tuple(districts))
