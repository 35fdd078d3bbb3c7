"""``shafaf seats`` in-process (CliRunner): JSON and table output, the worked examples, and clear errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from shafaf.cli.seats import seats


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(seats, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_n40_in_plan_order() -> None:
    """--json prints only the slot -> seats object of domain.md's N=40 example, keys in plan order."""
    code, out, _ = run("--policy", "balochistan-1991", "--posts", "40", "--json")
    assert code == 0
    assert out.count("\n") == 1
    data = json.loads(out)
    assert list(data.items()) == [
        ("merit", 7), ("kalat", 7), ("zhob", 4), ("nasirabad", 4), ("makran", 4), ("quetta", 4), ("sibi", 2),
        ("quetta_city", 2), ("women", 2), ("minorities", 2), ("disabled", 2),
    ]  # fmt: skip


def test_json_n111() -> None:
    """N=111 (the 2026 pilot): specials floor(5.55) = 5 each; 96 = six full cycles of (3,3,2,2,2,2,1,1)."""
    code, out, _ = run("--policy", "balochistan-1991", "--posts", "111", "--json")
    assert code == 0
    assert json.loads(out) == {
        "merit": 18, "kalat": 18, "zhob": 12, "nasirabad": 12, "makran": 12, "quetta": 12, "sibi": 6,
        "quetta_city": 6, "women": 5, "minorities": 5, "disabled": 5,
    }  # fmt: skip


def test_pointer_and_gender_options() -> None:
    """--pointer 5 walks from Quetta (zone); --gender M removes the women's seat."""
    code, out, _ = run("--policy", "balochistan-1991", "--posts", "3", "--pointer", "5", "--json")
    assert code == 0
    assert {k: v for k, v in json.loads(out).items() if v} == {"quetta": 1, "sibi": 1, "quetta_city": 1}
    code, out, _ = run("--policy", "balochistan-1991", "--posts", "40", "--gender", "M", "--json")
    assert code == 0 and json.loads(out)["women"] == 0


def test_table_with_reasons() -> None:
    """Without --json: a readable table, the total, the reasons and the unverified sources."""
    code, out, _ = run("--policy", "balochistan-1991", "--posts", "40")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Policy pack: balochistan-1991@")
    assert "rotation pointer: 0 -> 2" in lines[1]
    assert "merit        merit        7  Merit" in lines
    assert "total                    40" in lines
    assert "  - Women: floor(5% × 40 vacancies) = floor(2) = 2 seat(s)." in lines
    assert any(line.startswith("Unverified sources in this pack") for line in lines)


def test_federal_table() -> None:
    """The federal pack prints its carved slots and the shares method."""
    code, out, _ = run("--policy", "federal", "--posts", "100")
    assert code == 0
    assert "method: shares" in out
    assert "punjab_women" in out


def test_unknown_pack_exits_1() -> None:
    """An unknown pack name: exit 1 with the list of packs on stderr."""
    code, out, err = run("--policy", "sindh-2020", "--posts", "10")
    assert code == 1 and out == ""
    assert "no such policy pack" in err and "balochistan-1991" in err


def test_negative_posts_is_a_usage_error() -> None:
    """N < 0 (or above 100,000) is refused by the option itself: exit 2 naming the range."""
    code, _, err = run("--policy", "balochistan-1991", "--posts", "-3")
    assert code == 2
    assert "-3 is not in the range 0<=x<=100000" in err


def test_pointer_out_of_range_exit_1() -> None:
    """A pointer outside the 16 rotation positions: exit 1 naming the range."""
    code, _, err = run("--policy", "balochistan-1991", "--posts", "3", "--pointer", "16")
    assert code == 1
    assert "0..15" in err
