"""The `shafaf` command in-process: run (both test-result paths), demo, explain, verify, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from shafaf.cli.main import cli, demo_root

DEMO = demo_root()


def _invoke(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    code, stdout, _ = _invoke("demo", "--out", str(out), "--quiet")
    assert code == 0, stdout
    return out


def test_demo_produces_every_output_and_verifies(demo_out: Path) -> None:
    """`shafaf demo` writes every published file for both campaigns, and `verify` passes on them."""
    for name in ("sub-accountant", "junior-clerk"):
        d = demo_out / name
        for f in (
            "merit_list.csv",
            "merit_list.json",
            "waiting_list.csv",
            "ineligible.csv",
            "explanations.jsonl",
            "seats.json",
            "fairness.json",
            "report.html",
            "rejected_rows.csv",
            "ledger.jsonl",
            "ledger.head",
        ):
            assert (d / f).is_file(), f"{name}/{f}"
        code, stdout, _ = _invoke("verify", str(d))
        assert code == 0 and stdout.startswith("OK:")


def test_demo_marks_path_on_real_copydetect_data(demo_out: Path) -> None:
    """The Sub-Accountant run: every one of the 111 seats is accounted for and rows reconcile."""
    d = demo_out / "sub-accountant"
    summary = json.loads((d / "summary.json").read_text(encoding="utf-8"))
    c = summary["counts"]
    assert c["rows_in"] == c["accepted"] + c["rejected"]
    assert c["accepted"] == c["ineligible"] + c["absent"] + c["failed"] + c["selected"] + c["waiting"]
    seats = json.loads((d / "seats.json").read_text(encoding="utf-8"))["posts"][0]
    plan = {s["slot"]: s["seats"] for s in seats["slots"]}
    assert plan == {
        "merit": 18,
        "kalat": 18,
        "zhob": 12,
        "nasirabad": 12,
        "makran": 12,
        "quetta": 12,
        "sibi": 6,
        "quetta_city": 6,
        "women": 5,
        "minorities": 5,
        "disabled": 5,
    }
    assert all(s["filled"] + s["unfilled"] == s["seats"] for s in seats["slots"])
    with (d / "merit_list.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    selected = [r for r in rows if r["status"] == "selected"]
    assert sum(s["filled"] for s in seats["slots"]) == len(selected)
    # every test mark is a real CopyDetect total: 170 items of 1 mark each
    assert all(0 <= float(r["test_total"]) <= 170 for r in rows)


def test_demo_raw_response_path_scores_against_the_key(demo_out: Path) -> None:
    """The Junior Clerk run scores SAT12 option choices with −0.25 per wrong answer: every total is a
    multiple of 0.25 and no more than 32."""
    with (demo_out / "junior-clerk" / "results.csv").open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["test_total"]]
    assert rows
    for r in rows:
        total = float(r["test_total"])
        assert -8 <= total <= 32 and (total * 4).is_integer()


def test_demo_is_deterministic(demo_out: Path, tmp_path: Path) -> None:
    """A second demo run gives byte-identical files."""
    code, _, _ = _invoke("demo", "--out", str(tmp_path), "--quiet")
    assert code == 0
    for name in ("sub-accountant", "junior-clerk"):
        for f in sorted((demo_out / name).iterdir()):
            assert f.read_bytes() == (tmp_path / name / f.name).read_bytes(), f"{name}/{f.name}"


def test_explain_prints_words(demo_out: Path) -> None:
    d = demo_out / "sub-accountant"
    with (d / "ineligible.csv").open(encoding="utf-8-sig") as fh:
        first = next(csv.DictReader(fh))
    code, stdout, _ = _invoke("explain", str(d), first["application_id"])
    assert code == 0
    assert "Result: not eligible for this post." in stdout
    assert first["reasons"].split(" | ")[0] in stdout
    code, _, stderr = _invoke("explain", str(d), "NO-SUCH-ID")
    assert code == 1 and "no application 'NO-SUCH-ID'" in stderr


def test_tampered_output_fails_verify(demo_out: Path, tmp_path: Path) -> None:
    """Editing one byte of a published list makes `verify` exit 1 and name the file."""
    import shutil

    d = tmp_path / "copy"
    shutil.copytree(demo_out / "junior-clerk", d)
    p = d / "merit_list.csv"
    data = bytearray(p.read_bytes())
    data[-3] = ord("9") if data[-3] != ord("9") else ord("8")
    p.write_bytes(bytes(data))
    code, _, stderr = _invoke("verify", str(d))
    assert code == 1 and "merit_list.csv" in stderr


def test_run_reports_input_errors_with_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text(
        (DEMO / "campaign.toml").read_text(encoding="utf-8").replace("closing_date = 2026-01-26", ""),
        encoding="utf-8",
    )
    code, _, stderr = _invoke(
        "run",
        str(bad),
        "--applications",
        str(DEMO / "data" / "applications.csv"),
        "--marks",
        str(DEMO / "data" / "copydetect_form1.csv"),
        "--out",
        str(tmp_path / "o"),
        "--quiet",
    )
    assert code == 1 and "campaign.closing_date" in stderr


def test_run_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, _ = _invoke(
        "run",
        str(DEMO / "campaign.toml"),
        "--applications",
        str(DEMO / "data" / "applications.csv"),
        "--responses",
        str(DEMO / "junior-clerk" / "responses.csv"),
        "--out",
        str(tmp_path),
    )
    assert code == 2
    code, _, _ = _invoke("run", str(DEMO / "campaign.toml"), "--out", str(tmp_path))
    assert code == 2


def test_seats_json() -> None:
    code, stdout, _ = _invoke("seats", "--policy", "balochistan-1991", "--posts", "40", "--json")
    assert code == 0
    assert json.loads(stdout) == {
        "merit": 7,
        "kalat": 7,
        "zhob": 4,
        "nasirabad": 4,
        "makran": 4,
        "quetta": 4,
        "sibi": 2,
        "quetta_city": 2,
        "women": 2,
        "minorities": 2,
        "disabled": 2,
    }
