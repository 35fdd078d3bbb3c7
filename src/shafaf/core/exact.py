"""Exact fixed-point marks and exact fractions, scalar and vectorised.

Marks are stored in frames as Int64 *ten-thousandths* (``SCALE = 10_000``): ``61.25`` is ``612_500``. Every
mark in an input file has at most four decimals (formats.md §2), so this representation is exact and sums,
differences and comparisons of marks are plain integer operations.

Composite merit (weights divided by maxima) is generally not a finite decimal. It is held as an integer
numerator over one common denominator per post (see ``shafaf.core.merit.composite``), so ties and thresholds
are decided on exact integers; it is only *displayed* rounded to four decimals with ROUND_HALF_EVEN, computed
from the exact fraction, never from a float.

Bounds (all Int64): a scaled mark must satisfy ``|v| <= 2**63 - 1`` (about 9.2e14 marks); a fraction's
denominator must not exceed ``MAX_DENOMINATOR = 10**14`` so that ``remainder * 10**4`` stays below ``2**63``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import polars as pl

__all__ = [
    "INT64_MAX",
    "MAX_DENOMINATOR",
    "PLACES",
    "SCALE",
    "format_fraction",
    "format_scaled",
    "format_scaled_trim",
    "fraction_to_str",
    "scaled_to_decimal",
    "scaled_to_str",
    "to_fraction",
    "to_scaled",
]

PLACES = 4
SCALE = 10**PLACES
INT64_MAX = 2**63 - 1
MAX_DENOMINATOR = 10**14

# Plain decimal notation only: no exponents, no thousands separators, no "nan"/"inf".
_DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def to_scaled(value: str | Decimal | int) -> int:
    """Return ``value`` in ten-thousandths, exactly.

    Text is trimmed and must be plain decimal notation (``"61.25"``, ``"-0.25"``, ``"7"``, ``".5"``). A value
    whose exact magnitude needs more than four decimals raises ``ValueError``; trailing zeros are not "more
    decimals" (``"2.50000"`` is ``25_000``). Results outside Int64 raise ``ValueError`` too.
    """
    if isinstance(value, bool):  # bool is an int subclass: refuse it rather than read True as 1
        raise ValueError(f"not a mark: {value!r}")
    if isinstance(value, int):
        scaled: int = int(value) * SCALE
    else:
        if isinstance(value, str):
            text = value.strip()
            if not _DECIMAL_TEXT.fullmatch(text):
                raise ValueError(f"not a decimal number: {value!r}")
            number = Decimal(text)
        elif isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError(f"not a finite number: {value!r}")
            number = value
        else:
            raise ValueError(f"not a mark: {value!r}")
        exact = Fraction(number) * SCALE
        if exact.denominator != 1:
            raise ValueError(f"{value!r} has more than {PLACES} decimals")
        scaled = int(exact.numerator)
    if abs(scaled) > INT64_MAX:
        raise ValueError(f"{value!r} is too large for a mark")
    return scaled


def scaled_to_decimal(value: int) -> Decimal:
    """The exact Decimal of a scaled mark (``612_500`` → ``Decimal("61.2500")``)."""
    return Decimal(value).scaleb(-PLACES)


def to_fraction(value: Decimal | int | str) -> Fraction:
    """Exact ``Fraction`` of a Decimal, int or plain decimal text (for weights and percentages)."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):
        text = value.strip()
        if not _DECIMAL_TEXT.fullmatch(text):
            raise ValueError(f"not a decimal number: {value!r}")
        return Fraction(Decimal(text))
    try:
        return Fraction(value)
    except (ValueError, OverflowError, InvalidOperation) as exc:  # NaN / infinity
        raise ValueError(f"not a finite number: {value!r}") from exc


def format_fraction(numerator: int, denominator: int, places: int = PLACES) -> str:
    """``numerator / denominator`` rounded to ``places`` decimals, ROUND_HALF_EVEN, e.g. ``(1, 3) →
    "0.3333"``.

    A value that rounds to zero is written without a sign (``"0.0000"``, never ``"-0.0000"``).
    """
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    if places < 0:
        raise ValueError("places must be >= 0")
    unit = 10**places
    magnitude, rest = divmod(abs(numerator) * unit, denominator)
    twice = 2 * rest
    if twice > denominator or (twice == denominator and magnitude % 2 == 1):
        magnitude += 1
    whole, frac = divmod(magnitude, unit)
    sign = "-" if numerator < 0 and magnitude != 0 else ""
    if places == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:0{places}d}"


def format_scaled(value: int, places: int = PLACES) -> str:
    """A scaled mark as text with exactly ``places`` decimals: ``612_500 → "61.2500"``.

    ``places < 4`` rounds ROUND_HALF_EVEN (``format_scaled(612_500, 1) == "61.2"``); ``places > 4`` pads
    zeros.
    """
    if places >= PLACES:
        return format_fraction(value * 10 ** (places - PLACES), 10**places, places)
    return format_fraction(value, SCALE, places)


def format_scaled_trim(value: int) -> str:
    """A scaled mark with trailing zeros (and a bare point) removed: ``612_500 → "61.25"``, ``10_000 →
    "1"``."""
    text = format_scaled(value)
    text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _decimal_text(whole: pl.Expr, frac: pl.Expr, negative: pl.Expr) -> pl.Expr:
    """Text ``[-]whole.frac`` (four decimals) from non-negative Int64 parts; no sign on zero."""
    sign = pl.when(negative & ((whole != 0) | (frac != 0))).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str([sign, whole.cast(pl.String), pl.lit("."), frac.cast(pl.String).str.zfill(PLACES)])


def scaled_to_str(expr: pl.Expr) -> pl.Expr:
    """Vectorised ``format_scaled``: Int64 ten-thousandths → ``"61.2500"``; null stays null.

    Byte-identical to ``format_scaled(v)`` for every ``|v| <= 2**63 - 1`` (held by a property test).
    """
    value = expr.cast(pl.Int64)
    # |v| // SCALE and |v| % SCALE computed from the signed value so that -2**63 cannot overflow abs().
    whole = (value // SCALE).abs() - pl.when((value < 0) & (value % SCALE != 0)).then(1).otherwise(0)
    frac = pl.when(value < 0).then((SCALE - value % SCALE) % SCALE).otherwise(value % SCALE)
    return _decimal_text(whole, frac, value < 0)


def fraction_to_str(numerator: pl.Expr, denominator: int) -> pl.Expr:
    """Vectorised ``format_fraction(n, denominator)``: an Int64 numerator column over a common denominator.

    Computed with integers only: ``q, r = divmod(|n|, d)``; the four decimals are ``r * 10**4 // d`` with
    the remainder deciding ROUND_HALF_EVEN. Requires ``0 < denominator <= MAX_DENOMINATOR`` so that
    ``r * 10**4 < 2**63``.
    """
    if not 0 < denominator <= MAX_DENOMINATOR:
        raise ValueError(f"denominator must be in 1..{MAX_DENOMINATOR}, got {denominator}")
    value = numerator.cast(pl.Int64)
    mag = value.abs()
    whole = mag // denominator
    rest = (mag % denominator) * SCALE
    frac = rest // denominator
    rem2 = (rest % denominator) * 2
    round_up = (rem2 > denominator) | ((rem2 == denominator) & (frac % 2 == 1))
    frac = frac + round_up.cast(pl.Int64)
    carry = frac == SCALE
    whole = pl.when(carry).then(whole + 1).otherwise(whole)
    frac = pl.when(carry).then(0).otherwise(frac)
    return _decimal_text(whole, frac, value < 0)
