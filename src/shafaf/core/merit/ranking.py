"""Merit order: one stable lexsort over the composite and the tie chain (domain.md §4).

The primary key is the exact composite (``composite_num``, higher first; every row shares one denominator, see
``composite``). Equal composites are separated by the links of the tie chain, in order:

=========================  ===========================  ===============================
code                       column                       better
=========================  ===========================  ===============================
``test``                   ``test_total``               higher
``interview``              ``interview``                higher
``older``                  ``dob`` (Date)               earlier (the older candidate)
``higher_qualification``   ``highest_level`` (Int)      higher
``min_qual_percent``       ``min_qual_percent_x100``    higher
``earlier_min_qual_date``  ``min_qual_date`` (Date)     earlier
``flag``                   (none)                       hand the tie to a human
=========================  ===========================  ===============================

In every key a null (unknown value) sorts last, so a known value wins a tie against an unknown one. The
chain stops at ``flag`` (which may only come last). Candidates still equal on the composite and every link are
*unresolved*: both are marked ``tie_unresolved`` for a human to decide, and only to keep the output
deterministic they are listed by ``application_id`` ascending — that order is not a merit decision.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from shafaf.core.errors import PolicyError, TableError

__all__ = ["DEFAULT_TIE_CHAIN", "TIE_KEYS", "rank"]

#: code -> (column, descending: True when the higher value ranks first)
TIE_KEYS: dict[str, tuple[str, bool]] = {
    "test": ("test_total", True),
    "interview": ("interview", True),
    "older": ("dob", False),
    "higher_qualification": ("highest_level", True),
    "min_qual_percent": ("min_qual_percent_x100", True),
    "earlier_min_qual_date": ("min_qual_date", False),
}
FLAG = "flag"
DEFAULT_TIE_CHAIN: tuple[str, ...] = (
    "test",
    "older",
    "higher_qualification",
    "min_qual_percent",
    "earlier_min_qual_date",
    FLAG,
)
_PRIMARY = "composite_num"
_ID = "application_id"


def _chain_keys(tie_chain: Sequence[str]) -> list[tuple[str, str, bool]]:
    """(code, column, descending) of each sorting link; validates the chain."""
    keys: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    for position, code in enumerate(tie_chain):
        if code in seen:
            raise PolicyError("tie chain", f"{code!r} appears twice in {list(tie_chain)}")
        seen.add(code)
        if code == FLAG:
            if position != len(tie_chain) - 1:
                raise PolicyError("tie chain", f"'flag' must be the last link, got {list(tie_chain)}")
            continue
        if code not in TIE_KEYS:
            raise PolicyError("tie chain", f"unknown tie-break {code!r}; expected one of {[*TIE_KEYS, FLAG]}")
        column, descending = TIE_KEYS[code]
        keys.append((code, column, descending))
    return keys


def rank(frame: pl.DataFrame, tie_chain: Sequence[str]) -> pl.DataFrame:
    """Sort ``frame`` into merit order and add ``rank``, ``tie_with_prev`` and ``tie_unresolved``.

    - ``rank``: 1..n, unique, in merit order (the frame is returned in that order).
    - ``tie_with_prev``: for each candidate, the code of the chain link that placed them below the candidate
      ranked just above (``"test"``, ``"older"``, …); null when the composite already differed (and for rank
      1); ``"flag"`` when nothing separated them.
    - ``tie_unresolved``: True when the candidate equals a neighbour (above or below) on the composite and on
      every link of the chain; their relative order is then ``application_id`` ascending (module doc).

    Needs ``composite_num``, ``application_id`` (unique, not null) and the column of each link used.
    """
    keys = _chain_keys(tie_chain)
    needed = [_PRIMARY, _ID, *(column for _, column, _ in keys)]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise TableError("merit table", f"ranking with chain {list(tie_chain)} needs the column(s) {missing}")
    ids = frame.get_column(_ID)
    if ids.null_count() or ids.n_unique() != frame.height:
        raise TableError("merit table", "application_id must be present and unique to rank deterministically")
    columns = [_PRIMARY, *(column for _, column, _ in keys)]
    descending = [True, *(desc for _, _, desc in keys)]
    ordered = frame.sort(
        [*columns, _ID],
        descending=[*descending, False],
        nulls_last=True,
        maintain_order=True,
    )
    # equal to the row above on each key, nulls counting as equal to nulls
    same = [pl.col(c).eq_missing(pl.col(c).shift(1)) for c in columns]
    first = pl.int_range(pl.len()) == 0
    step: pl.Expr = pl.lit(FLAG)
    for (code, _, _), equal in zip(reversed(keys), reversed(same[1:]), strict=True):
        step = pl.when(~equal).then(pl.lit(code)).otherwise(step)
    tie_with_prev = pl.when(first | ~same[0]).then(pl.lit(None, pl.String)).otherwise(step)
    all_same = pl.all_horizontal(same).fill_null(False) & ~first
    return (
        ordered.with_columns(
            pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("rank"),
            tie_with_prev.alias("tie_with_prev"),
            all_same.alias("__same_above"),
        )
        .with_columns(
            (pl.col("__same_above") | pl.col("__same_above").shift(-1).fill_null(False)).alias(
                "tie_unresolved"
            )
        )
        .drop("__same_above")
    )
