"""Seat allocation: worked examples (hand-computed in the docstrings), unfilled seats and conversions, input
checks, and property tests of the invariants (hypothesis)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shafaf.core.errors import InputError, TableError
from shafaf.core.merit.allocate import Allocation, allocate
from shafaf.core.merit.seats import SeatPlan, Slot, seat_plan
from shafaf.core.policy.packs import PolicyPack, load_pack

BAL = load_pack("balochistan-1991")
FED = load_pack("federal")


def cand(rank: int, zone: str | None, gender: str = "M", minority: bool = False, disabled: bool = False,
         region: str = "balochistan") -> dict[str, object]:  # fmt: skip
    return {
        "application_id": f"A{rank:03d}",
        "rank": rank,
        "zone": zone,
        "region": region,
        "gender": gender,
        "minority": minority,
        "disabled": disabled,
    }


def frame(rows: Sequence[Mapping[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(
        list(rows),
        schema={
            "application_id": pl.String,
            "rank": pl.Int64,
            "zone": pl.String,
            "region": pl.String,
            "gender": pl.String,
            "minority": pl.Boolean,
            "disabled": pl.Boolean,
        },
    )


def plan_of(pack: PolicyPack, seats: Mapping[str, int]) -> SeatPlan:
    """A hand-made plan over the Balochistan slots with the given seats (others 0)."""
    full = seat_plan(pack, 0)
    slots = tuple(
        Slot(s.code, s.label, s.kind, s.zone, s.region, s.attribute, seats.get(s.code, 0)) for s in full.slots
    )
    return SeatPlan(pack.version, sum(seats.values()), slots, 0, 0, ())


def chosen(a: Allocation) -> dict[str, str]:
    return dict(zip(a.selected["application_id"], a.selected["slot"], strict=True))


def result(a: Allocation, code: str) -> tuple[int, int, int, str | None, str | None, int]:
    r = next(x for x in a.slots if x.code == code)
    return (r.seats, r.filled, r.unfilled, r.action, r.approver, r.converted_filled)


def test_n1_single_merit_seat() -> None:
    """N=1 is one merit seat: the best candidate takes it whoever they are; the rest wait for merit."""
    a = allocate(frame([cand(2, "zhob"), cand(1, "kalat", "F")]), seat_plan(BAL, 1), BAL)
    assert chosen(a) == {"A001": "merit"}
    assert a.waiting.to_dicts() == [
        {"application_id": "A002", "rank": 2, "waiting_position": 1, "eligible_slots": "merit"}
    ]
    assert result(a, "merit") == (1, 1, 0, None, None, 0)


def test_woman_who_is_also_a_minority_takes_one_seat() -> None:
    """Seats merit 1, kalat 1, women 1, minorities 1. r1 (M kalat) -> merit; r3 (M kalat) -> kalat (r1 taken);
    women: r2 (F, minority) -> women; minorities: r2 already selected, so r4 (X, minority) -> minorities.
    r5 (F makran) waits, eligible for merit and women (makran has no seat here)."""
    rows = [
        cand(1, "kalat"),
        cand(2, "zhob", "F", minority=True),
        cand(3, "kalat"),
        cand(4, "sibi", "X", minority=True),
        cand(5, "makran", "F"),
    ]
    a = allocate(frame(rows), plan_of(BAL, {"merit": 1, "kalat": 1, "women": 1, "minorities": 1}), BAL)
    assert chosen(a) == {"A001": "merit", "A002": "women", "A003": "kalat", "A004": "minorities"}
    assert a.selected["rank"].to_list() == [1, 2, 3, 4]
    assert a.selected.filter(pl.col("application_id") == "A002")["slot_kind"].to_list() == ["special"]
    assert a.waiting["eligible_slots"].to_list() == ["merit,women"]


def test_zone_seat_goes_to_the_zone_not_the_next_in_merit() -> None:
    """N=20 walk: merit 4, kalat 3, zhob 2, ... A Kalat holder at rank 30 takes a Kalat seat ahead of better
    ranked candidates of other zones, because they only compete within their own zone."""
    rows = [cand(r, "zhob") for r in range(1, 11)] + [cand(30, "kalat"), cand(31, "kalat"), cand(32, "kalat")]
    a = allocate(frame(rows), seat_plan(BAL, 20), BAL)
    got = chosen(a)
    assert [got[f"A{r:03d}"] for r in (1, 2, 3, 4)] == ["merit"] * 4
    assert (got["A005"], got["A006"]) == ("zhob", "zhob")
    assert (got["A030"], got["A031"], got["A032"]) == ("kalat", "kalat", "kalat")
    assert "A007" not in got
    assert result(a, "sibi") == (1, 0, 1, "readvertise", None, 0)
    assert result(a, "women") == (1, 0, 1, "carry_forward", None, 0)


def test_zone_with_no_candidates_is_recorded_not_moved() -> None:
    """Seats merit 1, sibi 2; nobody from Sibi: merit -> r1; both Sibi seats unfilled with the pack's action
    (readvertise) and a reason; r2 stays on the waiting list."""
    a = allocate(frame([cand(1, "kalat"), cand(2, "zhob")]), plan_of(BAL, {"merit": 1, "sibi": 2}), BAL)
    assert chosen(a) == {"A001": "merit"}
    assert result(a, "sibi") == (2, 0, 2, "readvertise", None, 0)
    why = next(r for r in a.reasons if r.params.get("slot") == "sibi")
    assert why.code == "ALLOCATION_SLOT_UNFILLED" and "re-advertised" in why.text_en
    assert a.waiting["application_id"].to_list() == ["A002"]


def test_conversion_to_merit_needs_an_approver() -> None:
    """Converting the unfilled Sibi seats without a named approver raises; it is never silent."""
    rows = frame([cand(1, "kalat"), cand(2, "zhob")])
    plan = plan_of(BAL, {"merit": 1, "sibi": 2})
    with pytest.raises(InputError, match=r"conversions\['sibi'\].*needs a named approver"):
        allocate(rows, plan, BAL, unfilled_actions={"zone": "convert_to_merit"})
    with pytest.raises(InputError, match="needs a named approver"):
        allocate(rows, plan, BAL, unfilled_actions={"sibi": "convert_to_merit"}, conversions={"sibi": "  "})


def test_conversion_fills_from_the_remaining_candidates() -> None:
    """With approval, the 2 unfilled Sibi seats become merit seats: r2 takes one ('sibi→merit', converted from
    sibi); nobody is left for the second, which stays vacant and is said so."""
    rows = frame([cand(1, "kalat"), cand(2, "zhob")])
    a = allocate(
        rows,
        plan_of(BAL, {"merit": 1, "sibi": 2}),
        BAL,
        unfilled_actions={"zone": "convert_to_merit"},
        conversions={"sibi": "Chief Secretary"},
    )
    assert a.selected.to_dicts() == [
        {"application_id": "A001", "rank": 1, "slot": "merit", "slot_kind": "merit", "converted_from": None},
        {
            "application_id": "A002",
            "rank": 2,
            "slot": "sibi→merit",
            "slot_kind": "merit",
            "converted_from": "sibi",
        },
    ]
    assert result(a, "sibi") == (2, 0, 2, "convert_to_merit", "Chief Secretary", 1)
    conv = next(r for r in a.reasons if r.code == "ALLOCATION_CONVERTED")
    assert conv.params["approver"] == "Chief Secretary"
    assert "1 stay vacant" in conv.text_en
    assert a.waiting.height == 0


def test_conversions_run_after_every_primary_slot() -> None:
    """Seats merit 1, sibi 1, women 1. Sibi is converted, but the women's seat is filled first from its own
    pool: r1 merit; women -> r3 (F); the converted Sibi seat -> r2 (next remaining in rank order)."""
    rows = frame([cand(1, "kalat"), cand(2, "zhob"), cand(3, "zhob", "F")])
    a = allocate(
        rows,
        plan_of(BAL, {"merit": 1, "sibi": 1, "women": 1}),
        BAL,
        unfilled_actions={"sibi": "convert_to_merit"},
        conversions={"zone": "Secretary S&GAD"},
    )
    assert chosen(a) == {"A001": "merit", "A002": "sibi→merit", "A003": "women"}


def test_everyone_from_one_zone() -> None:
    """N=40, 60 men all from Kalat: merit 7 (r1-7), kalat 7 (r8-14); every other zone and special seat
    unfilled (zones readvertise, specials carry forward); 46 wait, each eligible for merit and kalat."""
    rows = frame([cand(r, "kalat") for r in range(1, 61)])
    a = allocate(rows, seat_plan(BAL, 40), BAL)
    assert a.selected.height == 14
    assert a.selected.filter(pl.col("slot") == "merit")["rank"].to_list() == list(range(1, 8))
    assert a.selected.filter(pl.col("slot") == "kalat")["rank"].to_list() == list(range(8, 15))
    assert [(r.code, r.unfilled, r.action) for r in a.slots if r.unfilled] == [
        ("zhob", 4, "readvertise"), ("nasirabad", 4, "readvertise"), ("makran", 4, "readvertise"),
        ("quetta", 4, "readvertise"), ("sibi", 2, "readvertise"), ("quetta_city", 2, "readvertise"),
        ("women", 2, "carry_forward"), ("minorities", 2, "carry_forward"), ("disabled", 2, "carry_forward"),
    ]  # fmt: skip
    assert a.waiting["waiting_position"].to_list() == list(range(1, 47))
    assert set(a.waiting["eligible_slots"].to_list()) == {"merit,kalat"}


def test_action_keys_slot_then_quota_then_kind() -> None:
    """unfilled_actions by slot code beats the kind; the pack default applies otherwise."""
    rows = frame([cand(1, "kalat")])
    plan = plan_of(BAL, {"merit": 1, "sibi": 1, "zhob": 1, "women": 1})
    a = allocate(rows, plan, BAL, unfilled_actions={"zone": "carry_forward", "sibi": "readvertise"})
    assert [result(a, c)[3] for c in ("sibi", "zhob", "women")] == [
        "readvertise",
        "carry_forward",
        "carry_forward",
    ]


def test_federal_ict_counts_with_punjab_and_carved_women() -> None:
    """Federal N=100: Punjab's 43 open seats and 4 Punjab women's seats. A woman from ICT is in the Punjab
    pool and the Punjab women's pool; a woman from Sindh (rural) is in neither."""
    plan = seat_plan(FED, 100)
    rows = [cand(r, None, "M", region="kp") for r in range(1, 11)]
    rows += [cand(11, None, "F", region="ict"), cand(12, None, "F", region="sindh_rural")]
    a = allocate(frame(rows), plan, FED)
    got = chosen(a)
    assert [got[f"A{r:03d}"] for r in range(1, 8)] == ["merit"] * 7
    assert (got["A008"], got["A009"], got["A010"]) == ("kp", "kp", "kp")
    assert got["A011"] == "punjab"  # the region slot is filled before the special slots
    assert got["A012"] == "sindh_rural"
    assert result(a, "punjab") == (43, 1, 42, "carry_forward", None, 0)
    assert result(a, "punjab_women") == (4, 0, 4, "carry_forward", None, 0)


def test_federal_women_key_names_every_carved_slot() -> None:
    """The quota code 'women' selects the action of every carved women's slot (e.g. punjab_women)."""
    plan = seat_plan(FED, 100)
    a = allocate(frame([cand(1, None, region="kp")]), plan, FED, unfilled_actions={"women": "readvertise"})
    assert result(a, "punjab_women")[3] == "readvertise"
    assert result(a, "punjab_minorities")[3] == "carry_forward"


def test_unsorted_input_is_ranked() -> None:
    """Rows may come in any order; the output is in rank order."""
    rows = frame([cand(3, "kalat"), cand(1, "zhob"), cand(2, "sibi")])
    a = allocate(rows, plan_of(BAL, {"merit": 2}), BAL)
    assert a.selected["rank"].to_list() == [1, 2]
    assert a.waiting["rank"].to_list() == [3]


def test_empty_input() -> None:
    """No candidates: every seat unfilled, empty frames with the documented columns."""
    a = allocate(frame([]), seat_plan(BAL, 20), BAL)
    assert a.selected.columns == ["application_id", "rank", "slot", "slot_kind", "converted_from"]
    assert a.waiting.columns == ["application_id", "rank", "waiting_position", "eligible_slots"]
    assert sum(r.unfilled for r in a.slots) == 20


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop("zone"), "missing columns"),
        (lambda f: f.with_columns(pl.lit(1, pl.Int64).alias("rank")), "each rank once"),
        (lambda f: f.with_columns(pl.lit("A1").alias("application_id")), "each application once"),
        (lambda f: f.with_columns(pl.lit("W").alias("gender")), "gender: expected M, F or X"),
        (lambda f: f.with_columns(pl.lit(None, pl.Boolean).alias("minority")), "minority: expected a value"),
        (lambda f: f.with_columns(pl.lit(0, pl.Int64).alias("rank")), "rank: expected 1 or more"),
        (lambda f: f.with_columns(pl.lit("x").alias("rank")), "columns must have types"),
    ],
)
def test_bad_tables(change: object, message: str) -> None:
    """Unusable ranked tables are refused with the column and what was expected."""
    rows = frame([cand(1, "kalat"), cand(2, "zhob")])
    with pytest.raises(TableError, match=message):
        allocate(change(rows), seat_plan(BAL, 1), BAL)  # type: ignore[operator]


def test_bad_keys() -> None:
    """Unknown keys and actions, and converting merit to merit, are refused."""
    rows = frame([cand(1, "kalat")])
    plan = seat_plan(BAL, 1)
    with pytest.raises(InputError, match=r"unfilled_actions: unknown slot or kind \['womenn'\]"):
        allocate(rows, plan, BAL, unfilled_actions={"womenn": "carry_forward"})
    with pytest.raises(InputError, match="expected one of"):
        allocate(rows, plan, BAL, unfilled_actions={"women": "drop"})
    with pytest.raises(InputError, match="cannot be converted to merit"):
        allocate(rows, plan, BAL, unfilled_actions={"merit": "convert_to_merit"})
    with pytest.raises(InputError, match=r"conversions: unknown slot or kind \['kalatt'\]"):
        allocate(rows, plan, BAL, conversions={"kalatt": "X"})


def test_deterministic() -> None:
    """Same inputs, identical outputs."""
    rows = frame([cand(r, ["kalat", "zhob", None][r % 3], "MF"[r % 2], r % 7 == 0) for r in range(1, 80)])
    a, b = allocate(rows, seat_plan(BAL, 40), BAL), allocate(rows, seat_plan(BAL, 40), BAL)
    assert a.selected.equals(b.selected) and a.waiting.equals(b.waiting) and a.slots == b.slots


# --- properties ---------------------------------------------------------------------------------------------

ZONES = [*BAL.quota.zones, None, "elsewhere"]
REGIONS = [*FED.quota.regions, "ict", None]


@st.composite
def scenario(draw: st.DrawFn) -> tuple[PolicyPack, pl.DataFrame, SeatPlan, dict[str, str]]:
    pack = draw(st.sampled_from([BAL, FED]))
    n = draw(st.integers(0, 70))
    gender = draw(st.sampled_from(["any", "F", "M"]))
    pointer = draw(st.integers(0, 15)) if pack is BAL else 0
    plan = seat_plan(pack, n, pointer=pointer, gender=gender)  # type: ignore[arg-type]
    size = draw(st.integers(0, 90))
    ranks = draw(st.permutations(range(1, size + 1)))
    rows = [
        {
            "application_id": f"A{r}",
            "rank": r,
            "zone": draw(st.sampled_from(ZONES)),
            "region": draw(st.sampled_from(REGIONS)),
            "gender": draw(st.sampled_from(["M", "F", "X"])),
            "minority": draw(st.booleans()),
            "disabled": draw(st.booleans()),
        }
        for r in ranks
    ]
    convert = draw(st.sampled_from(["carry_forward", "readvertise", "convert_to_merit"]))
    return pack, frame(rows), plan, {"special": convert, "zone": convert, "region": convert}


def pool_members(pack: PolicyPack, row: Mapping[str, object], slot: Slot) -> bool:
    region = pack.quota.region_map.get(str(row["region"]), row["region"])
    attr = {"female": row["gender"] == "F", "minority": row["minority"], "disabled": row["disabled"]}
    return (
        (slot.zone is None or row["zone"] == slot.zone)
        and (slot.region is None or region == slot.region)
        and (slot.attribute is None or bool(attr[slot.attribute]))
    )


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_allocation_invariants(case: tuple[PolicyPack, pl.DataFrame, SeatPlan, dict[str, str]]) -> None:
    """Seats filled <= plan; filled + unfilled == seats; nobody twice; selected and waiting partition the
    input; within each pool merit order holds (anyone of the pool ranked above a selectee was selected
    somewhere); every unfilled seat has an action and its pool is exhausted; conversions only with an
    approver; the waiting list names exactly the slots each candidate could take."""
    pack, rows, plan, actions = case
    approvers = {"special": "Chief Secretary", "zone": "Chief Secretary", "region": "Establishment Secretary"}
    a = allocate(rows, plan, pack, unfilled_actions=actions, conversions=approvers)
    by_id = {r["application_id"]: r for r in rows.to_dicts()}
    sel = a.selected.to_dicts()
    ids = [r["application_id"] for r in sel]
    assert len(ids) == len(set(ids))
    assert set(ids) | set(a.waiting["application_id"]) == set(by_id)
    assert not set(ids) & set(a.waiting["application_id"])
    assert a.selected["rank"].to_list() == sorted(a.selected["rank"].to_list())
    assert a.waiting["rank"].to_list() == sorted(a.waiting["rank"].to_list())
    assert a.waiting["waiting_position"].to_list() == list(range(1, a.waiting.height + 1))
    selected = set(ids)
    for res, slot in zip(a.slots, plan.slots, strict=True):
        assert res.code == slot.code and res.seats == slot.seats
        assert res.filled + res.unfilled == res.seats and 0 <= res.filled <= res.seats
        mine = [r for r in sel if r["slot"] == slot.code]
        assert len(mine) == res.filled
        assert all(pool_members(pack, by_id[r["application_id"]], slot) for r in mine)
        if mine:
            worst = max(r["rank"] for r in mine)
            above = [i for i, r in by_id.items() if r["rank"] < worst and pool_members(pack, r, slot)]
            assert set(above) <= selected
        if res.unfilled:
            assert res.action is not None
            assert not any(pool_members(pack, by_id[i], slot) for i in a.waiting["application_id"])
            if res.action == "convert_to_merit":
                assert res.approver
                converted = [r for r in sel if r["converted_from"] == slot.code]
                assert len(converted) == res.converted_filled <= res.unfilled
                assert all(r["slot"] == f"{slot.code}→merit" for r in converted)
        else:
            assert res.action is None and res.converted_filled == 0
    for w in a.waiting.to_dicts():
        expected = [
            s.code for s in plan.slots if s.seats > 0 and pool_members(pack, by_id[w["application_id"]], s)
        ] + [f"{r.code}→merit" for r in a.slots if r.converted_filled]
        assert w["eligible_slots"] == ",".join(expected)


@pytest.mark.slow
def test_million_candidates_ten_thousand_seats() -> None:
    """10^6 ranked candidates, 10^4 seats (federal plan, 26 slots): allocation fills every seat (the pools
    are large). Its speed is measured by `make bench`, not asserted here."""
    n = 1_000_000
    rng = np.random.default_rng(7)
    regions = np.array(
        ["punjab", "sindh_urban", "sindh_rural", "kp", "balochistan", "ex_fata", "gb", "ajk", "ict"]
    )
    rows = pl.DataFrame(
        {
            "application_id": pl.int_range(0, n, eager=True).cast(pl.String),
            "rank": np.arange(1, n + 1),
            "zone": pl.repeat(None, n, dtype=pl.String, eager=True),
            "region": regions[rng.integers(0, regions.size, n)],
            "gender": np.array(["M", "F", "X"])[rng.integers(0, 3, n)],
            "minority": rng.random(n) < 0.04,
            "disabled": rng.random(n) < 0.02,
        }
    )
    plan = seat_plan(FED, 10_000)
    a = allocate(rows, plan, FED)
    assert a.selected.height == 10_000
    assert a.waiting.height == n - 10_000
