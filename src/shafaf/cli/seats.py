"""``shafaf seats``: the seat plan of N posts under a policy pack, as a table or as JSON."""

from __future__ import annotations

import json

import click

from shafaf.core.errors import InputError
from shafaf.core.merit.seats import Gender, SeatPlan, seat_plan
from shafaf.core.policy.packs import PolicyPack, load_pack

__all__ = ["seats"]


@click.command("seats")
@click.option(
    "--policy", "policy", required=True, metavar="NAME", help="Policy pack name or path to a pack .toml."
)
@click.option(
    "--posts",
    "posts",
    required=True,
    type=click.IntRange(min=0, max=100_000),
    metavar="N",
    help="Number of vacancies of the post (0 to 100,000).",
)
@click.option(
    "--pointer",
    "pointer",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="K",
    help="0-based rotation position to start from (the cadre's stored pointer).",
)
@click.option(
    "--gender",
    "gender",
    type=click.Choice(["any", "F", "M"]),
    default="any",
    show_default=True,
    help="Gender restriction of the post.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print only a JSON object: slot code -> seats, in plan order."
)
def seats(policy: str, posts: int, pointer: int, gender: str, as_json: bool) -> None:
    """Show how N vacancies of one post split into quota slots (domain.md §2)."""
    if posts < 0:
        raise click.ClickException(f"--posts: expected a whole number >= 0, got {posts}")
    try:
        pack = load_pack(policy)
        plan = seat_plan(pack, posts, pointer=pointer, gender=_gender(gender))
    except InputError as exc:  # PolicyError is an InputError
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(plan.seats(), ensure_ascii=False))
        return
    click.echo(_table(pack, plan))


_GENDERS: dict[str, Gender] = {"any": "any", "F": "F", "M": "M"}


def _gender(value: str) -> Gender:
    return _GENDERS[value]


def _table(pack: PolicyPack, plan: SeatPlan) -> str:
    width = max([len(s.code) for s in plan.slots] + [len("total")])
    lines = [
        f"Policy pack: {pack.version} (sha256 {pack.sha256[:12]})",
        f"Vacancies: {plan.vacancies}   gender: {plan.gender}   "
        + (
            f"rotation pointer: {plan.pointer_start} -> {plan.pointer_end}"
            if pack.quota.method == "rotation"
            else "method: shares"
        ),
        "",
        f"{'slot':<{width}}  {'kind':<7}  {'seats':>5}  label",
    ]
    for s in plan.slots:
        lines.append(f"{s.code:<{width}}  {s.kind:<7}  {s.seats:>5}  {s.label}")
    lines.append(f"{'total':<{width}}  {'':<7}  {sum(s.seats for s in plan.slots):>5}")
    lines += ["", "How the numbers were derived:"]
    lines += [f"  - {r.text_en}" for r in plan.reasons]
    unverified = pack.unverified()
    if unverified:
        lines += ["", f"Unverified sources in this pack ({len(unverified)}): " + ", ".join(unverified)]
    return "\n".join(lines)
