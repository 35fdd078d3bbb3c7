"""Seat plans: the worked examples of domain.md §2, special-quota rounding, gender restriction, the rotation
pointer, federal shares with carve-outs, and the invariants over every N and pointer."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core.errors import InputError
from shafaf.core.merit.seats import SeatPlan, seat_plan
from shafaf.core.policy.packs import PolicyPack, load_pack

BAL = load_pack("balochistan-1991")
FED = load_pack("federal")
SPECIALS = ("women", "minorities", "disabled")
ORDER = [
    "merit",
    "kalat",
    "zhob",
    "nasirabad",
    "makran",
    "quetta",
    "sibi",
    "quetta_city",
    "women",
    "minorities",
    "disabled",
]


def test_worked_example_n40() -> None:
    """domain.md §2: N=40 -> specials 2+2+2 (floor 5% x 40 = 2); 34 = 2 cycles (32) + merit, kalat."""
    plan = seat_plan(BAL, 40)
    assert plan.seats() == {
        "merit": 7, "kalat": 7, "zhob": 4, "nasirabad": 4, "makran": 4, "quetta": 4, "sibi": 2,
        "quetta_city": 2, "women": 2, "minorities": 2, "disabled": 2,
    }  # fmt: skip
    assert list(plan.seats()) == ORDER
    assert (plan.pointer_start, plan.pointer_end) == (0, 2)
    assert plan.pack == BAL.version
    assert plan.vacancies == 40


def test_worked_example_n111() -> None:
    """N=111: specials floor(5.55)=5 each (15); 96 = exactly 6 cycles of (3,3,2,2,2,2,1,1); pointer to 0."""
    plan = seat_plan(BAL, 111)
    assert plan.seats() == {
        "merit": 18, "kalat": 18, "zhob": 12, "nasirabad": 12, "makran": 12, "quetta": 12, "sibi": 6,
        "quetta_city": 6, "women": 5, "minorities": 5, "disabled": 5,
    }  # fmt: skip
    assert plan.pointer_end == 0


def test_n1_and_n19_have_no_special_seats() -> None:
    """N<20: 5% floors to 0. N=1 is one merit seat; N=19 = 1 cycle (16) + merit, kalat, zhob."""
    assert seat_plan(BAL, 1).seats() == dict.fromkeys(ORDER, 0) | {"merit": 1}
    assert seat_plan(BAL, 19).seats() == {
        "merit": 4, "kalat": 4, "zhob": 3, "nasirabad": 2, "makran": 2, "quetta": 2, "sibi": 1,
        "quetta_city": 1, "women": 0, "minorities": 0, "disabled": 0,
    }  # fmt: skip


def test_n0_lists_every_slot_with_zero() -> None:
    """No vacancies: every slot still listed, all zero, pointer unchanged."""
    plan = seat_plan(BAL, 0, pointer=5)
    assert plan.seats() == dict.fromkeys(ORDER, 0)
    assert (plan.pointer_start, plan.pointer_end) == (5, 5)


def test_n20_first_special_seats() -> None:
    """N=20: 1 seat each; 17 = 1 cycle + merit."""
    assert seat_plan(BAL, 20).seats() == {
        "merit": 4, "kalat": 3, "zhob": 2, "nasirabad": 2, "makran": 2, "quetta": 2, "sibi": 1,
        "quetta_city": 1, "women": 1, "minorities": 1, "disabled": 1,
    }  # fmt: skip


def test_pointer_continues_mid_cycle() -> None:
    """Pointer 5 (6th slot, quetta): 3 seats walk quetta, sibi, quetta_city; the next advert starts at 8."""
    plan = seat_plan(BAL, 3, pointer=5)
    assert {k: v for k, v in plan.seats().items() if v} == {"quetta": 1, "sibi": 1, "quetta_city": 1}
    assert plan.pointer_end == 8
    wrapped = seat_plan(BAL, 4, pointer=14)  # merit, kalat (round 3), then wrap: merit, kalat
    assert {k: v for k, v in wrapped.seats().items() if v} == {"merit": 2, "kalat": 2}
    assert wrapped.pointer_end == 2


def test_two_adverts_of_a_cadre_equal_one_walk() -> None:
    """Continuing the pointer: 5 posts then 7 posts give the same rotation seats as 12 posts at once."""
    first = seat_plan(BAL, 5)
    second = seat_plan(BAL, 7, pointer=first.pointer_end)
    once = seat_plan(BAL, 12)
    assert Counter(first.seats()) + Counter(second.seats()) == Counter(
        {k: v for k, v in once.seats().items() if v}
    )


def test_men_only_post_has_no_women_seat() -> None:
    """A post for men: women 0; its 2 seats go to the rotation (36 = 2 cycles + merit, kalat, zhob,
    nasirabad)."""
    plan = seat_plan(BAL, 40, gender="M")
    assert plan.seats() == {
        "merit": 7, "kalat": 7, "zhob": 5, "nasirabad": 5, "makran": 4, "quetta": 4, "sibi": 2,
        "quetta_city": 2, "women": 0, "minorities": 2, "disabled": 2,
    }  # fmt: skip
    assert "SEATS_WOMEN_NONE_MEN_ONLY" in [r.code for r in plan.reasons]
    assert plan.gender == "M"


def test_women_only_post_women_quota_is_moot() -> None:
    """A post for women: the women's quota is moot (0, with a reason); the seats are the same as for men."""
    plan = seat_plan(BAL, 40, gender="F")
    assert plan.seats() == seat_plan(BAL, 40, gender="M").seats()
    moot = [r for r in plan.reasons if r.code == "SEATS_WOMEN_MOOT"]
    assert len(moot) == 1 and "moot" in moot[0].text_en


def test_reasons_explain_the_numbers() -> None:
    """Each number of the N=40 plan has a reason with its parameters."""
    plan = seat_plan(BAL, 40)
    women = next(r for r in plan.reasons if r.code == "SEATS_SPECIAL" and r.params["slot"] == "women")
    assert dict(women.params) == {
        "slot": "women", "percent": "5", "base": 40, "rounding": "floor", "exact": "2", "seats": 2,
    }  # fmt: skip
    assert women.text_en == "Women: floor(5% × 40 vacancies) = floor(2) = 2 seat(s)."
    rot = next(r for r in plan.reasons if r.code == "SEATS_ROTATION")
    assert rot.params["cycles"] == 2 and rot.params["partial"] == 2 and rot.params["pointer_end"] == 2
    assert "continues at position 3 (zhob)" in rot.text_en
    kalat = next(r for r in plan.reasons if r.code == "SEATS_SLOT" and r.params["slot"] == "kalat")
    assert kalat.text_en == "Kalat: 2 cycle(s) × 3 + 1 in the partial walk = 7."


def test_half_up_rounding_pack() -> None:
    """With rounding = half_up (some commission adverts) N=19 gives 1 seat per special quota (0.95 -> 1)."""
    data = BAL.model_dump()
    for sq in data["quota"]["special_quotas"]:
        sq["rounding"] = "half_up"
        sq["min_vacancies"] = 10
    half = PolicyPack.model_validate(data)
    plan = seat_plan(half, 19)
    assert [plan.seats()[k] for k in ("women", "minorities", "disabled")] == [1, 1, 1]
    assert sum(plan.seats().values()) == 19
    assert "round half up(5% × 19 vacancies) = round half up(0.95) = 1" in " ".join(
        r.text_en for r in plan.reasons
    )


def test_bad_inputs() -> None:
    """Negative N, a pointer outside the rotation, an unknown gender, a pointer for a shares pack."""
    with pytest.raises(InputError, match="vacancies: expected a whole number >= 0, got -1"):
        seat_plan(BAL, -1)
    with pytest.raises(InputError, match=r"pointer: expected a rotation position 0..15, got 16"):
        seat_plan(BAL, 10, pointer=16)
    with pytest.raises(InputError, match="gender"):
        seat_plan(BAL, 10, gender="W")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="has no rotation"):
        seat_plan(FED, 10, pointer=1)


# --- federal ------------------------------------------------------------------------------------------------


def test_federal_n100() -> None:
    """N=100: disabled floor(2)=2; 98 by shares: floors 7,49,7,11,11,5,2,0,1 (=93); the 5 left go to the
    largest fractions gb .98, ajk .96, ex_fata .94, balochistan .88, sindh_urban .448 -> 7,49,8,11,11,6,3,1,2.
    Carving (floor): Punjab 49 -> women 4, minorities 2 (open 43); Sindh rural 11 -> women 1; KP 11 ->
    women 1."""
    plan = seat_plan(FED, 100)
    s = plan.seats()
    assert {k: s[k] for k in FED.quota.shares} == {
        "merit": 7, "punjab": 43, "sindh_urban": 8, "sindh_rural": 10, "kp": 10, "balochistan": 6,
        "ex_fata": 3, "gb": 1, "ajk": 2,
    }  # fmt: skip
    assert s["punjab_women"] == 4 and s["punjab_minorities"] == 2
    assert s["sindh_rural_women"] == 1 and s["kp_women"] == 1
    assert s["disabled"] == 2
    assert sum(s.values()) == 100
    women = [x for x in plan.slots if x.attribute == "female"]
    assert [x.code for x in women][:2] == ["punjab_women", "sindh_urban_women"]
    assert all(x.kind == "special" and x.region is not None for x in women)
    assert plan.slot("punjab").region == "punjab" and plan.slot("merit").region is None
    assert list(s)[-1] == "disabled"


def test_federal_equal_remainders_follow_listed_order() -> None:
    """N=40: disabled 0; quotas of 40: merit 3.0, punjab 20, su 3.04, sr 4.56, kp 4.6, bal 2.4, exf 1.2,
    gb .4, ajk .8 -> floors 3,20,3,4,4,2,1,0,0 = 37; the 3 left go to ajk .8, kp .6, sr .56."""
    s = seat_plan(FED, 40).seats()
    share = {k: s[k] + sum(v for c, v in s.items() if c.startswith(f"{k}_")) for k in FED.quota.shares}
    assert share == {
        "merit": 3, "punjab": 20, "sindh_urban": 3, "sindh_rural": 5, "kp": 5, "balochistan": 2, "ex_fata": 1,
        "gb": 0, "ajk": 1,
    }  # fmt: skip


def test_federal_men_only_drops_every_women_slot() -> None:
    """A men-only federal post carves no women's seats anywhere."""
    s = seat_plan(FED, 200, gender="M").seats()
    assert all(v == 0 for k, v in s.items() if k.endswith("_women"))
    assert sum(s.values()) == 200


# --- invariants ---------------------------------------------------------------------------------------------


def brute_force_walks(pack: PolicyPack, top: int) -> list[list[Counter[str]]]:
    """walks[p][r]: slot counts after walking r seats of the rotation from pointer p, one seat at a time."""
    rot = pack.quota.rotation
    walks: list[list[Counter[str]]] = []
    for p in range(len(rot)):
        counts: Counter[str] = Counter()
        row: list[Counter[str]] = [Counter()]
        for i in range(top):
            counts[rot[(p + i) % len(rot)]] += 1
            row.append(Counter(counts))
        walks.append(row)
    return walks


@pytest.mark.slow
def test_rotation_every_n_and_every_pointer_matches_a_brute_force_walk() -> None:
    """For N in 0..2000 and every pointer: seats sum to N, every zone/merit count equals a step-by-step walk
    of N - specials seats from the pointer, and pointer_end = (pointer + walked) mod 16."""
    walks = brute_force_walks(BAL, 2001)
    for n in range(2001):
        special = 3 * (n // 20)
        for p in range(16):
            plan = seat_plan(BAL, n, pointer=p)
            seats = plan.seats()
            assert sum(seats.values()) == n
            assert [seats[k] for k in ("women", "minorities", "disabled")] == [n // 20] * 3
            walk = walks[p][n - special]
            assert {k: v for k, v in seats.items() if v and k not in SPECIALS} == +walk
            assert plan.pointer_end == (p + n - special) % 16


@pytest.mark.slow
def test_federal_every_n_sums_and_respects_quotas() -> None:
    """For N in 0..2000: seats sum to N; every share gets floor or ceil of its exact quota; carved seats are
    floor(percent x the region's seats)."""
    for n in range(2001):
        plan = seat_plan(FED, n)
        s = plan.seats()
        assert sum(s.values()) == n
        remainder = n - s["disabled"]
        assert s["disabled"] == n * 2 // 100
        for code, share in FED.quota.shares.items():
            total = s[code] + s.get(f"{code}_women", 0) + s.get(f"{code}_minorities", 0)
            exact = Fraction(share) * remainder / 100
            assert exact - 1 < total < exact + 1
            if code != "merit":
                assert s[f"{code}_women"] == total * 10 // 100
                assert s[f"{code}_minorities"] == total * 5 // 100


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 3000), pointer=st.integers(0, 15), gender=st.sampled_from(["any", "F", "M"]))
def test_plan_shape_invariants(n: int, pointer: int, gender: str) -> None:
    """Any plan: fixed slot order, non-negative seats summing to N, and a pointer inside the rotation."""
    plan: SeatPlan = seat_plan(BAL, n, pointer=pointer, gender=gender)  # type: ignore[arg-type]
    assert list(plan.seats()) == ORDER
    assert all(s.seats >= 0 for s in plan.slots)
    assert sum(plan.seats().values()) == n
    assert 0 <= plan.pointer_end < 16
    if gender != "any":
        assert plan.seats()["women"] == 0
