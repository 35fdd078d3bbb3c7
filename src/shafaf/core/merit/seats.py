"""Seat plans: how N vacancies of one post become seats per quota slot (domain.md §2).

Two methods, chosen by the policy pack:

* ``rotation`` (Balochistan, Recruitment Policy 1991): each special quota takes ``percent × N`` off the top,
  rounded by the pack (floor by default, so N < 20 gives 0); the remainder walks the fixed rotation from a
  0-based ``pointer``, wrapping. ``pointer_end`` is where the next advertisement of the same cadre continues.
* ``shares`` (federal): quotas off the top as above, then merit and the regions get the remainder by their
  shares with largest-remainder apportionment (Hamilton's method: floor every exact quota, then one more seat
  to the largest fractional parts, equal fractions in the pack's listed order). Special quotas marked
  ``carved_from = "regions"`` are then carved out of every regional share (``percent × regional seats``,
  rounded by the pack), leaving the rest as the region's open seats.

Gender restriction: a post for men has no women's seat; a post for women has every seat a woman's seat, so
the women's quota is moot. In both cases the women's slot(s) get 0 seats and a reason says why; the seats go
to the remainder.

Slots are listed in a fixed order, zero-seat slots included: merit, the zones (or regions) in the pack's slot
order (for the shipped rotation pack: the order of first occurrence in the rotation), then the special
quotas in the pack's order (a carved quota expands to one slot per region, in region order). All arithmetic
is exact (integers and fractions).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from shafaf.core.errors import InputError, PolicyError
from shafaf.core.policy.packs import PolicyPack, SpecialQuota, round_share
from shafaf.core.reasons import Reason

__all__ = ["Gender", "SeatPlan", "Slot", "SlotKind", "seat_plan"]

SlotKind = Literal["merit", "zone", "region", "special"]
Attribute = Literal["female", "minority", "disabled"]
Gender = Literal["any", "F", "M"]


@dataclass(frozen=True, slots=True)
class Slot:
    """One quota slot of a post and its number of seats."""

    code: str
    label: str
    kind: SlotKind
    zone: str | None
    region: str | None
    attribute: Attribute | None
    seats: int


@dataclass(frozen=True)
class SeatPlan:
    """Seats per slot for one post; ``pack`` is the pack version used (e.g. ``balochistan-1991@2025.1``)."""

    pack: str
    vacancies: int
    slots: tuple[Slot, ...]
    pointer_start: int
    pointer_end: int
    reasons: tuple[Reason, ...]
    gender: Gender = "any"

    def seats(self) -> dict[str, int]:
        """Slot code -> seats, in plan order."""
        return {s.code: s.seats for s in self.slots}

    def slot(self, code: str) -> Slot:
        for s in self.slots:
            if s.code == code:
                return s
        raise KeyError(code)


def seat_plan(pack: PolicyPack, vacancies: int, *, pointer: int = 0, gender: Gender = "any") -> SeatPlan:
    """The seat plan of ``vacancies`` seats under ``pack``; see the module docstring for the rules.

    Raises :class:`InputError` for a negative number of vacancies, an unknown gender restriction or a pointer
    outside the rotation (a shares pack accepts only pointer 0).
    """
    if isinstance(vacancies, bool) or not isinstance(vacancies, int) or vacancies < 0:
        raise InputError("seat plan", f"vacancies: expected a whole number >= 0, got {vacancies!r}")
    if gender not in ("any", "F", "M"):
        raise InputError("seat plan", f"gender: expected 'any', 'F' or 'M', got {gender!r}")
    q = pack.quota
    width = len(q.rotation)
    if q.method == "rotation" and (isinstance(pointer, bool) or not 0 <= pointer < width):
        raise InputError(
            "seat plan", f"pointer: expected a rotation position 0..{width - 1}, got {pointer!r}"
        )
    if q.method == "shares" and pointer != 0:
        raise InputError(
            "seat plan", f"pointer: the {pack.name} pack has no rotation; expected 0, got {pointer!r}"
        )

    reasons: list[Reason] = []
    top: list[Slot] = []
    for sq in q.special_quotas:
        if sq.carved_from is None:
            seats = _special_seats(sq, vacancies, gender, f"{vacancies} vacancies", reasons, sq.label)
            top.append(Slot(sq.code, sq.label, "special", None, None, sq.attribute, seats))
    taken = sum(s.seats for s in top)
    if taken > vacancies:  # pragma: no cover - packs cap quotas off the top at 50%
        raise PolicyError(pack.name, f"special quotas take {taken} of {vacancies} vacancies")
    remainder = vacancies - taken
    reasons.append(
        Reason(
            "SEATS_REMAINDER",
            {"vacancies": vacancies, "special": taken, "remainder": remainder},
            f"{vacancies} vacancies − {taken} special seat(s) off the top = {remainder} seat(s) for "
            + ("the rotation." if q.method == "rotation" else "merit and the regions."),
        )
    )
    if q.method == "rotation":
        main, end = _rotation(pack, remainder, pointer, reasons)
        carved: list[Slot] = []
    else:
        main, carved = _shares(pack, remainder, gender, reasons)
        end = 0
    return SeatPlan(
        pack=pack.version,
        vacancies=vacancies,
        slots=(*main, *_specials_in_order(pack, top, carved)),
        pointer_start=pointer,
        pointer_end=end,
        reasons=tuple(reasons),
        gender=gender,
    )


def _special_seats(
    sq: SpecialQuota, base: int, gender: Gender, of_what: str, reasons: list[Reason], label: str
) -> int:
    params: dict[str, str | int | bool | None] = {"slot": sq.code, "gender": gender}
    if sq.attribute == "female" and gender == "M":
        reasons.append(
            Reason(
                "SEATS_WOMEN_NONE_MEN_ONLY",
                params,
                f"{label}: 0 seats — the post is restricted to men, so it has no women's seat.",
            )
        )
        return 0
    if sq.attribute == "female" and gender == "F":
        reasons.append(
            Reason(
                "SEATS_WOMEN_MOOT",
                params,
                f"{label}: 0 seats — the post is restricted to women, so every seat is a woman's seat and "
                "the women's quota is moot.",
            )
        )
        return 0
    num, den = sq.percent.as_integer_ratio()
    exact = _show_ratio(num * base, den * 100)
    seats = round_share(sq.percent, base, sq.rounding)
    rule = "floor" if sq.rounding == "floor" else "round half up"
    reasons.append(
        Reason(
            "SEATS_SPECIAL",
            {
                "slot": sq.code,
                "percent": str(sq.percent),
                "base": base,
                "rounding": sq.rounding,
                "exact": exact,
                "seats": seats,
            },
            f"{label}: {rule}({sq.percent}% × {of_what}) = {rule}({exact}) = {seats} seat(s).",
        )
    )
    return seats


def _rotation(
    pack: PolicyPack, remainder: int, pointer: int, reasons: list[Reason]
) -> tuple[list[Slot], int]:
    rot = pack.quota.rotation
    width = len(rot)
    cycles, partial = divmod(remainder, width)
    per_cycle = Counter(rot)
    walked = [rot[(pointer + i) % width] for i in range(partial)]
    extra = Counter(walked)
    end = (pointer + remainder) % width
    reasons.append(
        Reason(
            "SEATS_ROTATION",
            {
                "remainder": remainder,
                "cycles": cycles,
                "partial": partial,
                "pointer_start": pointer,
                "pointer_end": end,
                "slots_per_cycle": width,
            },
            f"{remainder} seat(s) = {cycles} full cycle(s) of {width} slots + {partial} slot(s) walked from "
            f"position {pointer + 1} ({rot[pointer]})"
            + (f": {', '.join(walked)}" if walked else "")
            + f". The next advertisement of this cadre continues at position {end + 1} ({rot[end]}).",
        )
    )
    out: list[Slot] = []
    for s in pack.quota.slots:
        seats = cycles * per_cycle[s.code] + extra[s.code]
        reasons.append(
            Reason(
                "SEATS_SLOT",
                {"slot": s.code, "per_cycle": per_cycle[s.code], "cycles": cycles, "walked": extra[s.code]},
                f"{s.label}: {cycles} cycle(s) × {per_cycle[s.code]} + {extra[s.code]} in the partial walk "
                f"= {seats}.",
            )
        )
        zone = s.code if s.kind == "zone" else None
        out.append(Slot(s.code, s.label, s.kind, zone, None, None, seats))
    return out, end


def _shares(
    pack: PolicyPack, remainder: int, gender: Gender, reasons: list[Reason]
) -> tuple[list[Slot], list[Slot]]:
    q = pack.quota
    quotas = [Fraction(s.share or 0) * remainder / 100 for s in q.slots]
    base = [x.numerator // x.denominator for x in quotas]
    left = remainder - sum(base)
    # Largest fractional part first; equal fractions in the listed order (stable sort on the index).
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - base[i]), i))
    bonus = set(order[:left])
    seats = [b + (1 if i in bonus else 0) for i, b in enumerate(base)]
    reasons.append(
        Reason(
            "SEATS_LARGEST_REMAINDER",
            {
                "remainder": remainder,
                "left_after_floor": left,
                "to": ",".join(q.slots[i].code for i in order[:left]),
            },
            f"Flooring every share of {remainder} leaves {left} seat(s); they go to the largest fractional "
            f"parts ({', '.join(q.slots[i].code for i in order[:left]) or 'none'}); equal parts go in the "
            "pack's listed order.",
        )
    )
    main: list[Slot] = []
    carved: list[Slot] = []
    carving = [sq for sq in q.special_quotas if sq.carved_from == "regions"]
    for i, s in enumerate(q.slots):
        reasons.append(
            Reason(
                "SEATS_SHARE",
                {"slot": s.code, "share": str(s.share), "exact": _show(quotas[i]), "seats": seats[i]},
                f"{s.label}: {s.share}% × {remainder} = {_show(quotas[i])} → {base[i]}"
                + (" + 1 largest-remainder seat" if i in bonus else "")
                + f" = {seats[i]}.",
            )
        )
        open_seats = seats[i]
        if s.kind == "region":
            for sq in carving:
                label = f"{s.label} — {sq.label}"
                n = _special_seats(sq, seats[i], gender, f"{seats[i]} {s.label} seats", reasons, label)
                carved.append(Slot(f"{s.code}_{sq.code}", label, "special", None, s.code, sq.attribute, n))
                open_seats -= n
            if open_seats < 0:  # pragma: no cover - carved percents are capped well below 100%
                raise PolicyError(pack.name, f"carved quotas exceed the {s.code} share")
            if carving:
                reasons.append(
                    Reason(
                        "SEATS_REGION_OPEN",
                        {"slot": s.code, "share_seats": seats[i], "open": open_seats},
                        f"{s.label}: {seats[i]} seat(s) − {seats[i] - open_seats} carved = {open_seats} "
                        "open seat(s).",
                    )
                )
        region = s.code if s.kind == "region" else None
        main.append(Slot(s.code, s.label, s.kind, None, region, None, open_seats))
    return main, carved


def _specials_in_order(pack: PolicyPack, top: list[Slot], carved: list[Slot]) -> list[Slot]:
    """Special slots in the pack's order; a carved quota contributes its per-region slots, in region order."""
    out: list[Slot] = []
    for sq in pack.quota.special_quotas:
        if sq.carved_from is None:
            out.extend(s for s in top if s.code == sq.code)
        else:
            out.extend(s for s in carved if s.attribute == sq.attribute)
    return out


def _show(value: Fraction) -> str:
    return _show_ratio(value.numerator, value.denominator)


def _show_ratio(num: int, den: int) -> str:
    """An exact ratio of the form p × N / 100 as a plain decimal (always finite here: den divides 10^k)."""
    return format((Decimal(num) / Decimal(den)).normalize(), "f")
