"""Scoring raw responses against an answer key (formats.md §3)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shafaf.core.errors import CampaignError, TableError
from shafaf.core.marks import REJECTED_SCHEMA, SectionSpec, option_code, score_responses
from tests.core.marks.helpers import key_frame, text_frame

KEY6 = [("q1", "A"), ("q2", "B"), ("q3", "3"), ("q4", "4"), ("q5", "1"), ("q6", "2")]


def _score(responses: pl.DataFrame, key: pl.DataFrame, **kwargs: object):  # type: ignore[no-untyped-def]
    params: dict[str, object] = {
        "sections": None,
        "id_column": "roll_number",
        "source": "r.csv",
        "key_source": "k.csv",
    }
    params.update(kwargs)
    return score_responses(responses, key, **params)  # type: ignore[arg-type]


def test_three_right_two_wrong_one_omitted_with_negative_marking() -> None:
    """1 mark per item, -0.25 per wrong answer: 3 right, 2 wrong, 1 omitted = 3 - 0.5 = 2.5000 exactly.

    q1 key "A" vs "1" (letter = number), q2 key "B" vs "b" (case-folded), q3 " 3 " (trimmed) are right;
    q4 "1" and q5 "2" are wrong; q6 is empty (omitted).
    """
    responses = text_frame(
        {
            "roll_number": ["c1"],
            "q1": ["1"],
            "q2": ["b"],
            "q3": [" 3 "],
            "q4": ["1"],
            "q5": ["2"],
            "q6": [None],
        }
    )
    section = SectionSpec("all", "All", ("q1-q6",), Decimal(1), Decimal("0.25"), Decimal(40))
    result = _score(responses, key_frame(KEY6), sections=[section])
    assert result.marks.rows(named=True) == [
        {
            "roll_number": "c1",
            "sec_all": 25_000,
            "test_total": 25_000,
            "correct": 3,
            "wrong": 2,
            "omitted": 1,
        }
    ]
    assert result.max_marks == {"all": 60_000}
    assert result.sections[0].items == ("q1", "q2", "q3", "q4", "q5", "q6")
    assert result.sections[0].max_marks == Decimal(6)
    assert result.rows_in == 1 and result.rejected.height == 0


def test_all_wrong_gives_a_negative_total_and_omit_codes_score_zero() -> None:
    """Six wrong answers at -0.25 give -1.5000 (never clamped); "8", "9" and empty are omitted (0)."""
    responses = text_frame(
        {
            "roll_number": ["neg", "omit"],
            **{
                f"q{i}": ["5", code]
                for i, code in zip(range(1, 7), ["8", "9", None, "8", " 9", ""], strict=True)
            },
        }
    )
    section = SectionSpec("all", "All", ("q1-q6",), Decimal(1), Decimal("0.25"))
    marks = _score(responses, key_frame(KEY6), sections=[section]).marks
    assert marks.select("roll_number", "test_total", "correct", "wrong", "omitted").rows() == [
        ("neg", -15_000, 0, 6, 0),
        ("omit", 0, 0, 0, 6),
    ]


def test_bad_rows_are_rejected_and_counts_reconcile() -> None:
    """Empty id, repeated id (the later row) and invalid codes become rejected rows with the first failing
    column (file order, the id first) and every other error; rows_in == marks + rejected."""
    responses = text_frame(
        {
            "roll_number": ["c1", "c2", "c1", "  ", "c5"],
            "q1": ["1", "X", "1", "1", "1"],
            "q2": ["2", "2", "2", "2", "2"],
            "q3": ["3", "3", "3", "3", "3"],
            "q4": ["4", "4", "4", "4", "4"],
            "q5": ["1", "0", "1", "1", "J"],
            "q6": ["2", "2", "2", "2", "2"],
        }
    )
    result = _score(responses, key_frame(KEY6))
    assert result.marks.get_column("roll_number").to_list() == ["c1"]
    assert result.marks.item(0, "test_total") == 60_000
    assert result.rejected.schema == pl.Schema(REJECTED_SCHEMA)
    invalid = "is not an option (1-9 or A-I) or an omit code ('8', '9', empty)"
    assert result.rejected.rows() == [
        (3, "c2", "q1", f"INVALID_RESPONSE: 'X' {invalid}", f"q5: INVALID_RESPONSE: '0' {invalid}"),
        (4, "c1", "roll_number", "DUPLICATE_ID: roll_number 'c1' already appears on row 2", None),
        (5, None, "roll_number", "EMPTY_ID: the id column 'roll_number' is empty", None),
        (6, "c5", "q5", f"INVALID_RESPONSE: 'J' {invalid}", None),
    ]
    assert result.rows_in == result.marks.height + result.rejected.height == 5


def test_key_letters_and_numbers_match_and_h_is_not_an_omission() -> None:
    """A key "H" is option 8: a response "h" is right, "8" is an omission (default omit codes compare
    text)."""
    responses = text_frame({"id": ["a", "b"], "q1": ["h", "8"]})
    result = _score(responses, key_frame([("q1", "H")]), id_column="id")
    assert result.marks.select("roll_number", "correct", "omitted").rows() == [("a", 1, 0), ("b", 0, 1)]
    assert option_code(" b ") == option_code("2") == 2
    assert option_code("J") is None


def test_custom_omit_codes() -> None:
    """omit_codes replace the defaults: with ("0", "") a "9" is an answer (wrong here) and "0" omitted."""
    responses = text_frame({"id": ["a"], "q1": ["9"], "q2": ["0"]})
    result = _score(responses, key_frame([("q1", "1"), ("q2", "2")]), id_column="id", omit_codes=("0", ""))
    assert result.marks.select("correct", "wrong", "omitted").row(0) == (0, 1, 1)


def test_key_sections_and_per_item_marks() -> None:
    """Without campaign sections the key's section column defines them in order of first appearance; per-item
    marks and negative override the defaults (1 mark, no deduction).

    b: q1 right (2 marks) + q3 wrong (-0.5) = 1.5; a: q2 right (1) + q4 omitted = 1.
    """
    key = key_frame(
        [
            ("q1", "1", "b", "2", ""),
            ("q2", "2", "a", "", ""),
            ("q3", "3", "b", "", "0.5"),
            ("q4", "4", "a", "", ""),
        ],
        header=("Item", "KEY", "Section", "marks", "negative"),
    )
    responses = text_frame({"id": ["x"], "q1": ["1"], "q2": ["2"], "q3": ["1"], "q4": [None]})
    result = _score(responses, key, id_column="id")
    assert [s.code for s in result.sections] == ["b", "a"]
    assert result.max_marks == {"b": 30_000, "a": 20_000}
    assert result.marks.select("sec_b", "sec_a", "test_total").row(0) == (15_000, 10_000, 25_000)


def test_key_without_sections_is_one_section_named_test() -> None:
    """No campaign sections and no section column: every item is in section "test"."""
    responses = text_frame({"id": ["x"], "q1": ["1"], "q2": ["1"]})
    result = _score(responses, key_frame([("q1", "1"), ("q2", "2")]), id_column="id")
    assert result.marks.columns == ["roll_number", "sec_test", "test_total", "correct", "wrong", "omitted"]
    assert result.marks.item(0, "sec_test") == 10_000


def test_id_column_none_uses_the_row_number() -> None:
    """id_column=None: the spreadsheet row number (as text) identifies the candidate."""
    responses = text_frame({"q1": ["1", "2"]})
    result = _score(responses, key_frame([("q1", "1")]), id_column=None)
    assert result.marks.select("roll_number", "test_total").rows() == [("2", 10_000), ("3", 0)]


def test_interview_column_is_read_and_checked() -> None:
    """An interview column gives scaled marks (null when empty); a non-mark rejects the row."""
    responses = text_frame({"id": ["a", "b", "c"], "q1": ["1", "1", "1"], "Interview": ["12.5", None, "-3"]})
    result = _score(responses, key_frame([("q1", "1")]), id_column="id")
    assert result.marks.select("roll_number", "interview").rows() == [("a", 125_000), ("b", None)]
    assert result.rejected.select("row", "column", "reason").rows() == [
        (4, "Interview", "INVALID_INTERVIEW: '-3' is not a mark (a number >= 0 with up to 4 decimals)")
    ]


def test_campaign_sections_must_cover_the_key() -> None:
    """With campaign sections every key item belongs to one section and every section item has a key."""
    responses = text_frame({"id": ["a"], "q1": ["1"], "q2": ["1"]})
    key = key_frame([("q1", "1"), ("q2", "2")])
    with pytest.raises(TableError, match="'q2' belongs to no test section"):
        _score(responses, key, id_column="id", sections=[SectionSpec("s", "S", ("q1",))])
    with pytest.raises(TableError, match="section 's' has items with no key"):
        _score(responses, key, id_column="id", sections=[SectionSpec("s", "S", ("q1-q3",))])
    with pytest.raises(CampaignError, match="both section"):
        _score(
            responses,
            key,
            id_column="id",
            sections=[SectionSpec("s", "S", ("q1-q2",)), SectionSpec("t", "T", ("q2",))],
        )
    with pytest.raises(TableError, match="in section 'x' here but in 's'"):
        _score(
            responses,
            key_frame([("q1", "1", "x"), ("q2", "2", "s")], header=("item", "key", "section")),
            id_column="id",
            sections=[SectionSpec("s", "S", ("q1-q2",))],
        )


@pytest.mark.parametrize(
    ("key_rows", "message"),
    [
        ([("q1", "J")], r"row 2, column 'key': key 'J' for item 'q1' is not an option"),
        ([("q1", "8")], r"key '8' for item 'q1' is not an option .*not an omit code"),
        ([("q1", "")], r"key '' for item 'q1'"),
        ([("q1", "1"), ("Q1", "2")], r"row 3: item 'Q1' already has a key on row 2"),
        ([("", "1")], r"row 2, column 'item': the item name is empty"),
    ],
)
def test_bad_key_is_a_table_error_naming_the_key_file(key_rows: list[tuple[str, str]], message: str) -> None:
    """Out-of-range keys, omit-code keys, empty and repeated items stop the run with the key file named."""
    responses = text_frame({"id": ["a"], "q1": ["1"]})
    with pytest.raises(TableError, match=message) as info:
        _score(responses, key_frame(key_rows), id_column="id")
    assert info.value.source == "k.csv"


def test_bad_key_marks_and_missing_columns() -> None:
    """A key mark that is not a number >= 0, a key item missing from the responses and a missing id column
    are TableErrors naming the right file."""
    responses = text_frame({"id": ["a"], "q1": ["1"]})
    with pytest.raises(TableError, match="column 'marks': '-1' is not a number") as info:
        _score(responses, key_frame([("q1", "1", "-1")], header=("item", "key", "marks")), id_column="id")
    assert info.value.source == "k.csv"
    with pytest.raises(TableError, match="no column in the responses: 'q9'") as info:
        _score(responses, key_frame([("q1", "1"), ("q9", "2")]), id_column="id")
    assert info.value.source == "r.csv"
    with pytest.raises(TableError, match="required column 'EID' not found") as info:
        _score(responses, key_frame([("q1", "1")]), id_column="EID")
    assert info.value.source == "r.csv"
    with pytest.raises(TableError, match="required column 'key'"):
        _score(responses, key_frame([("q1", "1")], header=("item", "answer")), id_column="id")


# --- property: the vectorised scorer equals a plain Python loop -------------------------------------------

CELLS = ["1", "2", "3", "4", "5", "a", "B", " c ", "8", "9", "", None, "x", "10", "٣", " ", "ب", "D "]


def _loop_score(
    rows: list[list[str | None]], keys: list[str], marks: list[Decimal], negs: list[Decimal]
) -> list[tuple[Decimal, int, int, int] | None]:
    """Reference: score each cell with Python string logic; None for a row holding an invalid code."""
    letters = {chr(ord("a") + i): str(i + 1) for i in range(9)}
    out: list[tuple[Decimal, int, int, int] | None] = []
    for row in rows:
        total, right, wrong, omitted, bad = Decimal(0), 0, 0, 0, False
        for cell, key, m, n in zip(row, keys, marks, negs, strict=True):
            text = (cell or "").strip().lower()
            if text in ("", "8", "9"):
                omitted += 1
                continue
            text = letters.get(text, text)
            if text not in {str(i) for i in range(1, 10)}:
                bad = True
                continue
            if text == letters.get(key.lower(), key):
                right, total = right + 1, total + m
            else:
                wrong, total = wrong + 1, total - n
        out.append(None if bad else (total, right, wrong, omitted))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda k: st.tuples(
            st.lists(st.lists(st.sampled_from(CELLS), min_size=k, max_size=k), min_size=1, max_size=25),
            st.lists(st.sampled_from(["1", "2", "3", "4", "5", "A", "b"]), min_size=k, max_size=k),
            st.lists(st.sampled_from([Decimal(1), Decimal(2), Decimal("0.5")]), min_size=k, max_size=k),
            st.lists(
                st.sampled_from([Decimal(0), Decimal("0.25"), Decimal("0.3333")]), min_size=k, max_size=k
            ),
        )
    )
)
def test_vectorised_scoring_equals_python_loop(
    case: tuple[list[list[str | None]], list[str], list[Decimal], list[Decimal]],
) -> None:
    """Property: totals, counts and the rejected rows equal a cell-by-cell loop, for any mix of fast-path
    (one-byte) and slow-path (padded, multi-byte, Urdu digits) cells and per-item marks."""
    rows, keys, marks, negs = case
    k = len(keys)
    columns: dict[str, list[str | None]] = {"id": [f"c{i}" for i in range(len(rows))]}
    columns.update({f"q{j + 1}": [r[j] for r in rows] for j in range(k)})
    key = key_frame(
        [(f"q{j + 1}", keys[j], str(marks[j]), str(negs[j])) for j in range(k)],
        header=("item", "key", "marks", "negative"),
    )
    result = _score(text_frame(columns), key, id_column="id")
    expected = _loop_score(rows, keys, marks, negs)
    kept = [(f"c{i}", e) for i, e in enumerate(expected) if e is not None]
    got = result.marks.select("roll_number", "test_total", "correct", "wrong", "omitted").rows()
    assert got == [(rid, int(e[0] * 10_000), e[1], e[2], e[3]) for rid, e in kept]
    assert result.rejected.get_column("id").to_list() == [
        f"c{i}" for i, e in enumerate(expected) if e is None
    ]
    assert result.rows_in == len(rows)


def test_fast_and_slow_paths_classify_alike() -> None:
    """classify_cells gives the same codes whether a column is read as single bytes (fast path) or by its
    distinct texts (forced here by one two-byte cell in the second column)."""
    from shafaf.core.marks._rows import classify_cells

    cells = ["1", "a", "I", "8", None, "x", "0", "9"]
    frame = text_frame({"fast": cells, "slow": [*cells[:-1], "10"]})

    def classify(text: str) -> int:
        return {"": 0}.get(text.strip(), option_code(text) or -1)

    matrix = classify_cells(frame, ["fast", "slow"], [classify, classify])
    assert matrix[:, 0].tolist() == [1, 1, 9, 8, 0, -1, -1, 9]
    assert matrix[:-1, 1].tolist() == matrix[:-1, 0].tolist()
    assert matrix[-1, 1] == -1


def test_header_only_file_gives_empty_results() -> None:
    """A responses file with a header and no rows scores to empty frames with the full schema."""
    responses = text_frame({"id": [], "q1": []})
    result = _score(responses, key_frame([("q1", "1")]), id_column="id")
    assert result.rows_in == 0 and result.marks.height == 0 and result.rejected.height == 0
    assert result.marks.columns == ["roll_number", "sec_test", "test_total", "correct", "wrong", "omitted"]
