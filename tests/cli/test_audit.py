"""`shafaf audit` run in-process: CSV/XLSX in, a table or exact JSON out, and exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from shafaf.cli.audit import audit

# 6 rows. gender: F rows 2, 3, 7 (1 selected); M rows 4, 5 (1 selected); row 6 has no gender.
# Scores: 10, 20, 30, (none), 25, 5 → scored 5, 10, 20, 25, 30, median 20.
CSV = "\ufeffGender,Zone,selected,score\nF,A,1,10\nF,B,0,20\nM,A,yes,30\nM,B,n,\n,A,1,25\nF,A,0,5\n"


def _write(tmp_path: Path, text: str, name: str = "apps.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(audit, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_json_selection_report(tmp_path: Path) -> None:
    """--json prints exactly the report dict; header names match case-insensitively; the BOM is ignored.

    gender: F 1/3, M 1/2 (reference), 1 unknown. IR_F = (1/3)/(1/2) = 2/3, flagged (5·1·2 = 10 < 4·1·3 = 12),
    one more selection clears it (2/3 ≥ 0.8·1/2). Known rate 2/5: shortfall F = 3·2/5 − 1 = 0.2, M = −0.2.
    Fisher [[1, 2], [1, 1]] p = 1.0; z: p̂ = 2/5, SE = sqrt(0.24·(1/3 + 1/2)) = 0.447214, z = −0.372678,
    p = 0.709388.
    """
    code, out, err = _run(_write(tmp_path, CSV), "--attribute", "gender", "--selected", "selected", "--json")
    assert (code, err) == (0, "")
    d = json.loads(out)
    f = d["families"]["gender"]["categories"]["F"]
    assert f.pop("z_p") == pytest.approx(0.709388, rel=1e-5)
    assert f.pop("shortfall") == pytest.approx(0.2, rel=1e-12)
    assert d["families"]["gender"]["categories"]["M"].pop("shortfall") == pytest.approx(-0.2, rel=1e-12)
    assert d == {
        "method": "selection",
        "n_rows": 6,
        "not_scored": 0,
        "median": None,
        "exclude_small": False,
        "families": {
            "gender": {
                "attributes": ["gender"],
                "unknown_count": 1,
                "reference": "M",
                "categories": {
                    "F": {
                        "n": 3,
                        "positives": 1,
                        "rate": pytest.approx(1 / 3, rel=1e-15),
                        "impact_ratio": pytest.approx(2 / 3, rel=1e-15),
                        "four_fifths_flag": True,
                        "fisher_p": 1.0,
                        "excluded": False,
                        "small_sample": True,
                        "selections_to_clear": 1,
                        "one_or_two_more_clear": True,
                    },
                    "M": {
                        "n": 2,
                        "positives": 1,
                        "rate": 0.5,
                        "impact_ratio": 1.0,
                        "four_fifths_flag": False,
                        "fisher_p": None,
                        "z_p": None,
                        "excluded": False,
                        "small_sample": True,
                        "selections_to_clear": None,
                        "one_or_two_more_clear": False,
                    },
                },
            }
        },
    }


def test_json_scoring_report(tmp_path: Path) -> None:
    """--score: median 20 over the 5 scored rows (the unknown-gender 25 included); F 0/3 above, M 1/1."""
    code, out, _ = _run(_write(tmp_path, CSV), "--attribute", "Gender", "--score", "score", "--json")
    assert code == 0
    d = json.loads(out)
    assert (d["method"], d["n_rows"], d["not_scored"], d["median"]) == ("scoring", 5, 1, 20.0)
    cats = d["families"]["Gender"]["categories"]
    assert {k: (v["n"], v["positives"], v["impact_ratio"]) for k, v in cats.items()} == {
        "F": (3, 0, 0.0),
        "M": (1, 1, 1.0),
    }


def test_json_is_deterministic_and_keeps_unicode(tmp_path: Path) -> None:
    """Two runs print identical bytes; the intersection key and labels use "×" unescaped."""
    path = _write(tmp_path, CSV)
    args = (path, "--attribute", "gender", "--attribute", "zone", "--intersections", "--selected", "selected")
    first = _run(*args, "--json", "--exclude-small")
    assert first == _run(*args, "--json", "--exclude-small")
    d = json.loads(first[1])
    assert list(d["families"]) == ["gender", "zone", "gender×zone"]
    assert list(d["families"]["gender×zone"]["categories"]) == ["F×A", "F×B", "M×A", "M×B"]
    assert d["exclude_small"] is True
    assert '"gender×zone"' in first[1]


def test_readable_table(tmp_path: Path) -> None:
    """Without --json: a header line, one table per family with counts next to ratios, the flag and notes."""
    code, out, _ = _run(_write(tmp_path, CSV), "--attribute", "zone", "--selected", "selected")
    assert code == 0
    assert "Adverse-impact audit (selection rate): 6 rows; 2% exclusion off." in out
    assert "zone: reference A, unknown 0" in out
    # zone A: 4 rows, 3 selected (rows 2, 4, 6); B: 2 rows, 0 selected → IR 0, flagged;
    # +2 clears it (2/2 ≥ 0.8 · 3/4).
    a_line = next(line for line in out.splitlines() if line.startswith("│ A "))
    b_line = next(line for line in out.splitlines() if line.startswith("│ B "))
    assert [cell.strip() for cell in a_line.split("│")[1:6]] == ["A", "4", "3", "0.750", "1.000"]
    assert [cell.strip() for cell in b_line.split("│")[1:7]] == ["B", "2", "0", "0.000", "0.000", "FLAG"]
    assert "+2" in b_line and "clears with 2 more" in b_line and "small sample" in b_line


def test_labels_are_read_as_text(tmp_path: Path) -> None:
    """CSV cells are text: "1", "1.0" and "01" are three distinct categories."""
    path = _write(tmp_path, "code,sel\n1,1\n1.0,1\n01,0\n1,0\n")
    code, out, _ = _run(path, "--attribute", "code", "--selected", "sel", "--json")
    assert code == 0
    cats = json.loads(out)["families"]["code"]["categories"]
    assert {k: (v["n"], v["positives"]) for k, v in cats.items()} == {
        "01": (1, 0),
        "1": (2, 1),
        "1.0": (1, 1),
    }


def test_xlsx_input(tmp_path: Path) -> None:
    """An XLSX sheet is read as text: numeric cells 1 and 0 are outcomes, 2.5 is a score, "Kalat" a label."""
    path = tmp_path / "apps.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["zone", "selected", "score"])
    sheet.write_row(1, 0, ["Kalat", 1, 2.5])
    sheet.write_row(2, 0, ["Kalat", 0, 1])
    sheet.write_row(3, 0, ["Kech", 1, 4])
    book.close()
    code, out, _ = _run(path, "--attribute", "zone", "--selected", "selected", "--json")
    assert code == 0
    cats = json.loads(out)["families"]["zone"]["categories"]
    assert {k: (v["n"], v["positives"]) for k, v in cats.items()} == {"Kalat": (2, 1), "Kech": (1, 1)}
    code, out, _ = _run(path, "--attribute", "zone", "--score", "score", "--json")
    assert (code, json.loads(out)["median"]) == (0, 2.5)


def test_missing_file_is_exit_1(tmp_path: Path) -> None:
    """A missing file: exit 1 and a message naming it on stderr."""
    missing = tmp_path / "nope.csv"
    code, out, err = _run(missing, "--attribute", "g", "--selected", "s")
    assert (code, out) == (1, "")
    assert err == f"error: {missing}: file not found\n"


def test_missing_column_is_exit_1(tmp_path: Path) -> None:
    """A column that is not in the header: exit 1, naming the column and listing the header."""
    path = _write(tmp_path, CSV)
    code, _, err = _run(path, "--attribute", "district", "--selected", "selected")
    assert code == 1
    assert err == f"error: {path}: missing column 'district'; the header has: Gender, Zone, selected, score\n"


def test_bad_outcome_value_is_exit_1_with_row(tmp_path: Path) -> None:
    """A bad outcome on the third data row is reported as spreadsheet row 4, with column and value."""
    path = _write(tmp_path, "g,sel\nF,1\nM,0\nF,maybe\n")
    code, _, err = _run(path, "--attribute", "g", "--selected", "sel")
    assert code == 1
    expected = "expected 1/0, true/false, yes/no or y/n (any case); got 'maybe'"
    assert err == f"error: {path}: row 4, column 'sel': {expected}\n"


def test_bad_score_value_is_exit_1_with_row(tmp_path: Path) -> None:
    """A score that is not a decimal number (here "12,5" on data row 2 → row 3) is an input error."""
    path = _write(tmp_path, 'g,score\nF,10\nM,"12,5"\n')
    code, _, err = _run(path, "--attribute", "g", "--score", "score")
    assert code == 1
    assert err == f"error: {path}: row 3, column 'score': expected a decimal number; got '12,5'\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"g,sel\n\xff\xfe,1\n", "the file is not UTF-8 text"),
        (b"g,g,sel\nF,F,1\n", "row 1: column 'g' appears twice in the header"),
        (b"g,sel\nF,1,extra\n", "cannot read the CSV"),
    ],
)
def test_unreadable_csv_is_exit_1(tmp_path: Path, content: bytes, message: str) -> None:
    """Empty, non-UTF-8, duplicate-header or ragged CSV files: exit 1 with the reason."""
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, _, err = _run(path, "--attribute", "g", "--selected", "sel")
    assert code == 1
    assert err.startswith(f"error: {path}: {message}")


def test_corrupt_xlsx_is_exit_1(tmp_path: Path) -> None:
    """A file named .xlsx that is not a workbook: exit 1."""
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"not a zip")
    code, _, err = _run(path, "--attribute", "g", "--selected", "sel")
    assert code == 1
    assert err.startswith(f"error: {path}: cannot read the spreadsheet:")


@pytest.mark.parametrize(
    "args",
    [
        ["--attribute", "gender"],
        ["--attribute", "gender", "--selected", "selected", "--score", "score"],
        ["--selected", "selected"],
        ["--attribute", "gender", "--selected", "selected", "--bogus"],
    ],
)
def test_usage_errors_are_exit_2(tmp_path: Path, args: list[str]) -> None:
    """No outcome, both outcomes, no attribute or an unknown option: click's usage error, exit 2."""
    code, out, err = _run(_write(tmp_path, CSV), *args)
    assert (code, out) == (2, "")
    assert "Usage:" in err
