"""`shafaf synth` run in-process with click's CliRunner."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from shafaf.cli.synth import synth

REPO = Path(__file__).resolve().parents[2]


def test_applicants_writes_rows_and_manifest_deterministically(tmp_path: Path) -> None:
    """`synth applicants` writes N + bad + duplicates rows and the manifest; a rerun writes the same bytes."""
    args = ["applicants", "--n", "50", "--seed", "3", "--bad", "5", "--duplicates", "2"]
    runner = CliRunner()
    first = runner.invoke(
        synth, [*args, "--out", str(tmp_path / "a.csv"), "--manifest", str(tmp_path / "m.csv")]
    )
    assert first.exit_code == 0, first.output
    second = runner.invoke(synth, [*args, "--out", str(tmp_path / "b.csv")])
    assert second.exit_code == 0, second.output
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert pl.read_csv(tmp_path / "a.csv", infer_schema=False).height == 57
    manifest = pl.read_csv(tmp_path / "m.csv")
    assert manifest.height == 7
    assert manifest.columns == ["row", "application_id", "kind", "column", "duplicate_of_row", "description"]


def test_applicants_junior_clerk_profile(tmp_path: Path) -> None:
    """--profile junior-clerk numbers applications JC-2026-…; an unknown profile is a usage error (exit 2)."""
    runner = CliRunner()
    ok = runner.invoke(
        synth, ["applicants", "--n", "3", "--profile", "junior-clerk", "--out", str(tmp_path / "j.csv")]
    )
    assert ok.exit_code == 0, ok.output
    assert pl.read_csv(tmp_path / "j.csv")["application_id"].to_list()[0] == "JC-2026-000001"
    bad = runner.invoke(
        synth, ["applicants", "--n", "3", "--profile", "nope", "--out", str(tmp_path / "x.csv")]
    )
    assert bad.exit_code == 2


def test_demo_from_the_committed_copy(tmp_path: Path) -> None:
    """`synth demo` without ../shared regenerates from the copy in --out and reports the row counts."""
    shutil.copyfile(REPO / "demo" / "data" / "copydetect_form1.csv", tmp_path / "copydetect_form1.csv")
    result = CliRunner().invoke(synth, ["demo", "--out", str(tmp_path), "--source", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    assert (
        "1718 application rows = 1636 examinees + 40 absent + 30 malformed + 12 duplicates" in result.output
    )
    assert (tmp_path / "applications.csv").read_bytes() == (
        REPO / "demo" / "data" / "applications.csv"
    ).read_bytes()


def test_missing_sources_are_a_clear_error(tmp_path: Path) -> None:
    """With neither the source file nor a committed copy, both demo commands exit 1 naming the file."""
    runner = CliRunner()
    for command in ("demo", "junior-clerk"):
        result = runner.invoke(
            synth, [command, "--out", str(tmp_path / command), "--source", str(tmp_path / "none")]
        )
        assert result.exit_code == 1
        assert "not found" in result.output and "--source" in result.output
