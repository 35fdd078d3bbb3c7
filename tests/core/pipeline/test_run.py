"""The campaign job end to end on a small campaign whose every outcome is worked out by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from shafaf.core.errors import CampaignError, InputError, IntegrityError
from shafaf.core.ledger import verify_dir
from shafaf.core.pipeline import RunInputs, publish, run_campaign
from shafaf.core.pipeline.explain import explain_lines

CAMPAIGN = """
[campaign]
department = "Test Department"
advertisement = "T/1"
closing_date = 2026-01-26
[test]
id_column = "roll_number"
mode = "marks_columns"
[[test.sections]]
code = "written"
max_marks = "100"
[[posts]]
code = "P1"
title = "Assistant"
bps = 14
vacancies = 2
policy = "balochistan-1991"
[posts.age]
max = 28
general_relaxation = false
[[posts.qualifications]]
degrees = ["BCom"]
min_percent = "45"
[posts.merit]
components = [{ source = "test", weight = "100" }]
aggregate_pass_percent = "40"
"""

HEADER = (
    "application_id,post_code,cnic,name,father_name,dob,gender,domicile_district,qualifications,roll_number"
)
ROWS = [
    # A1 Quetta, best marks → the Merit seat
    "A1,P1,54400-1111111-1,Amna,Karim,2000-01-01,F,Quetta,BCom||60|2021-01-01,R1",
    # A2 Kalat, 70 marks, younger than A4 → ranked below A4 ("older"), waiting
    "A2,P1,54400-2222222-2,Bashir,Ali,2001-06-01,M,Kalat,BCom||60|2021-01-01,R2",
    # A3 Quetta, 80 → rank 2 but the Merit seat is taken and there is no Quetta City slot for N=2 → waiting
    "A3,P1,54400-3333333-3,محمد اسلم,عبدالکریم,2000-01-01,M,Quetta,BCom||60|2021-01-01,R3",
    # A4 Kalat, 70, older → the Kalat seat
    "A4,P1,54400-4444444-4,Dur Bibi,Noor,1999-03-01,F,Kalat,BCom||60|2021-01-01,R4",
    # A5 over age by one day (28y 0m 1d on 2026-01-26) → ineligible
    "A5,P1,54400-5555555-5,Ejaz,Umar,1998-01-25,M,Quetta,BCom||60|2021-01-01,R5",
    # A6 fails the 40% aggregate with 39.9999
    "A6,P1,54400-6666666-6,Farah,Javed,2000-01-01,F,Kech,BCom||60|2021-01-01,R6",
    # A7 has no marks → absent
    "A7,P1,54400-7777777-7,Gul,Khan,2000-01-01,M,Kech,BCom||60|2021-01-01,R7",
    # A8 bad CNIC → rejected at intake (row 9 of the file)
    "A8,P1,5440-77777-7,Hina,Saeed,2000-01-01,F,Kech,BCom||60|2021-01-01,R8",
]
MARKS = "roll_number,written\nR1,90\nR2,70\nR3,80\nR4,70\nR5,95\nR6,39.9999\nR9,50\n"


@pytest.fixture()
def inputs(tmp_path: Path) -> RunInputs:
    (tmp_path / "c.toml").write_text(CAMPAIGN, encoding="utf-8")
    (tmp_path / "apps.csv").write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    (tmp_path / "marks.csv").write_text(MARKS, encoding="utf-8")
    return RunInputs(tmp_path / "c.toml", tmp_path / "apps.csv", marks=tmp_path / "marks.csv")


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_outcomes_worked_by_hand(inputs: RunInputs, tmp_path: Path) -> None:
    """Statuses, ranks, tie-break, seats and the reconciliation match the hand-worked example."""
    state = run_campaign(inputs)
    out = tmp_path / "out"
    publish(state, out)
    status = {r["application_id"]: r["status"] for r in _csv(out / "results.csv")}
    assert status == {
        "A1": "selected",
        "A2": "waiting",
        "A3": "waiting",
        "A4": "selected",
        "A5": "ineligible",
        "A6": "failed",
        "A7": "absent",
    }
    merit = _csv(out / "merit_list.csv")
    assert [(r["rank"], r["application_id"], r["slot"], r["total"], r["tie_break"]) for r in merit] == [
        ("1", "A1", "merit", "90.0000", ""),
        ("2", "A3", "", "80.0000", ""),
        ("3", "A4", "kalat", "70.0000", ""),
        ("4", "A2", "", "70.0000", "older"),
    ]
    assert merit[1]["name"] == "محمد اسلم"  # Urdu survives the round trip
    assert merit[0]["cnic_masked"] == "XXXXX-XXXX111-1"
    rejected = _csv(out / "rejected_rows.csv")
    assert [(r["row"], r["application_id"], r["column"]) for r in rejected] == [("9", "A8", "cnic")]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    c = summary["counts"]
    assert (c["rows_in"], c["accepted"], c["rejected"]) == (8, 7, 1)
    assert (c["eligible"], c["tested"], c["passed"], c["selected"], c["waiting"]) == (6, 5, 4, 2, 2)
    seats = json.loads((out / "seats.json").read_text(encoding="utf-8"))["posts"][0]["slots"]
    assert [(s["slot"], s["seats"], s["filled"]) for s in seats if s["seats"]] == [
        ("merit", 1, 1),
        ("kalat", 1, 1),
    ]
    waiting = _csv(out / "waiting_list.csv")
    assert [(w["waiting_position"], w["application_id"], w["eligible_slots"]) for w in waiting] == [
        ("1", "A3", "merit"),
        ("2", "A2", "merit,kalat"),
    ]
    marks_rej = _csv(out / "rejected_marks.csv")
    assert [(r["id"], r["reason"].split(":")[0]) for r in marks_rej] == [("R9", "NO_APPLICATION")]
    assert verify_dir(out).ok


def test_explanation_from_the_ledger(inputs: RunInputs, tmp_path: Path) -> None:
    """`explain` regenerates the reasons from the ledger: over age by one day, and the tie decided by age."""
    publish(run_campaign(inputs), tmp_path / "o")
    text = "\n".join(explain_lines(tmp_path / "o", "A5"))
    assert (
        "Your age on 2026-01-26 was 28y 0m 1d; your upper age limit is 28 years: over age by 0y 0m 1d."
        in text
    )
    text2 = "\n".join(explain_lines(tmp_path / "o", "A2"))
    assert "decided by being older" in text2 and "Waiting list position 2" in text2
    with pytest.raises(InputError, match="no application 'ZZ'"):
        explain_lines(tmp_path / "o", "ZZ")


def test_same_inputs_byte_identical_outputs(inputs: RunInputs, tmp_path: Path) -> None:
    """Two runs on the same inputs produce byte-identical files, ledger included."""
    publish(run_campaign(inputs), tmp_path / "a")
    publish(run_campaign(inputs), tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "ledger.jsonl" in names and "report.html" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_shuffled_application_rows_give_the_same_lists(inputs: RunInputs, tmp_path: Path) -> None:
    """Row order of the input does not change the merit list, seats or audit."""
    publish(run_campaign(inputs), tmp_path / "a")
    shuffled = [ROWS[i] for i in (6, 2, 0, 5, 3, 1, 4, 7)]
    inputs.applications.write_text(HEADER + "\n" + "\n".join(shuffled) + "\n", encoding="utf-8")
    publish(run_campaign(inputs), tmp_path / "b")
    for name in ("merit_list.csv", "seats.json", "fairness.json", "waiting_list.csv", "ineligible.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_malformed_campaign_fails_fast_naming_the_field(inputs: RunInputs) -> None:
    inputs.campaign.write_text(CAMPAIGN.replace("vacancies = 2", 'vacancies = "two"'), encoding="utf-8")
    with pytest.raises(CampaignError, match=r"posts\[0\] \(code 'P1'\)\.vacancies"):
        run_campaign(inputs)


def test_unknown_degree_in_campaign_names_the_post(inputs: RunInputs) -> None:
    inputs.campaign.write_text(
        CAMPAIGN.replace('degrees = ["BCom"]', 'degrees = ["BCommm"]'), encoding="utf-8"
    )
    with pytest.raises(CampaignError, match=r"qualifications\[0\]\.degrees: .BCommm. is not a degree"):
        run_campaign(inputs)


def test_missing_test_results_is_an_input_error(inputs: RunInputs) -> None:
    with pytest.raises(InputError, match="pass --marks FILE"):
        run_campaign(RunInputs(inputs.campaign, inputs.applications))


def test_late_disqualification_moves_the_waiting_list(inputs: RunInputs, tmp_path: Path) -> None:
    """Disqualifying A4 (the Kalat seat) after the list: the run again gives the Kalat seat to A2, next in
    rank among Kalat domicile holders, and records who decided it (domain.md §3, §7)."""
    dq = tmp_path / "dq.csv"
    dq.write_text(
        "application_id,reason,decided_by\nA4,fake degree found on verification,Secretary S&GAD\n",
        encoding="utf-8",
    )
    run = RunInputs(inputs.campaign, inputs.applications, marks=inputs.marks, disqualified=dq)
    publish(run_campaign(run), tmp_path / "o")
    status = {r["application_id"]: (r["status"], r["slot"]) for r in _csv(tmp_path / "o" / "results.csv")}
    assert status["A4"] == ("disqualified", "")
    assert status["A2"] == ("selected", "kalat")
    assert status["A1"] == ("selected", "merit") and status["A3"] == ("waiting", "")
    text = "\n".join(explain_lines(tmp_path / "o", "A4"))
    assert "Disqualified: fake degree found on verification (decided by Secretary S&GAD)" in text
    dq.write_text("application_id,reason,decided_by\nA99,x,y\n", encoding="utf-8")
    with pytest.raises(
        InputError, match="row 2, column application_id: 'A99' is not an accepted application"
    ):
        run_campaign(run)


def test_withdrawn_post_keeps_its_decisions_and_allocates_nothing(inputs: RunInputs, tmp_path: Path) -> None:
    inputs.campaign.write_text(
        CAMPAIGN.replace(
            'policy = "balochistan-1991"', 'policy = "balochistan-1991"\nwithdrawn = "court stay order"'
        ),
        encoding="utf-8",
    )
    publish(run_campaign(inputs), tmp_path / "o")
    rows = _csv(tmp_path / "o" / "results.csv")
    assert {r["status"] for r in rows} == {"withdrawn"}
    assert len(rows) == 7
    seats = json.loads((tmp_path / "o" / "seats.json").read_text(encoding="utf-8"))["posts"][0]
    assert seats["withdrawn"] == "court stay order" and sum(s["filled"] for s in seats["slots"]) == 0
    assert verify_dir(tmp_path / "o").ok


def test_extended_deadline_keeps_the_eligibility_date(inputs: RunInputs, tmp_path: Path) -> None:
    """The closing date moves to 2026-03-01 but ages are still counted on 2026-01-26: A5 stays over age."""
    inputs.campaign.write_text(
        CAMPAIGN.replace(
            "closing_date = 2026-01-26", "closing_date = 2026-03-01\neligibility_date = 2026-01-26"
        ),
        encoding="utf-8",
    )
    publish(run_campaign(inputs), tmp_path / "o")
    inel = _csv(tmp_path / "o" / "ineligible.csv")
    assert [(r["application_id"], r["reason_codes"]) for r in inel] == [("A5", "AGE_ABOVE_MAX")]
    assert "Your age on 2026-01-26 was 28y 0m 1d" in inel[0]["reasons"]


def test_a_district_moved_to_another_zone_follows_the_versioned_table(
    inputs: RunInputs, tmp_path: Path
) -> None:
    """With a geography version that puts Quetta in the kalat zone, A3 (Quetta, rank 2) takes the Kalat seat."""
    from shafaf.core.policy.geography import load_geography

    base = load_geography()
    lines = [
        "# version: test-moved-1",
        "# note: Quetta moved to the kalat zone for this test",
        "district,province,division,zone,region,aliases,population_2023",
    ]
    for d in base.districts:
        zone = "kalat" if d.name == "Quetta" else (d.zone or "")
        lines.append(f"{d.name},{d.province},{d.division},{zone},{d.region},{';'.join(d.aliases)},")
    (tmp_path / "geo.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inputs.campaign.write_text(
        CAMPAIGN.replace("closing_date = 2026-01-26", 'closing_date = 2026-01-26\ngeography = "geo.csv"'),
        encoding="utf-8",
    )
    inputs.campaign.rename(tmp_path / "c2.toml")
    shutil_inputs = RunInputs(tmp_path / "c2.toml", inputs.applications, marks=inputs.marks)
    publish(run_campaign(shutil_inputs), tmp_path / "o")
    status = {r["application_id"]: (r["status"], r["slot"]) for r in _csv(tmp_path / "o" / "results.csv")}
    assert status["A3"] == ("selected", "kalat")
    assert status["A4"] == ("waiting", "")
    run_entry = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))["geography"]
    assert run_entry["version"] == "test-moved-1"


def test_fairness_audit_of_the_eligibility_stage(inputs: RunInputs, tmp_path: Path) -> None:
    """Eligibility by gender: F 3/3 eligible (reference), M 3/4 (A5 over age): IR 0.75, flagged
    (5·3·3 = 45 < 4·3·4 = 48), Fisher p = 1, pooled z-test p = 0.349575 (z = −0.9354, pooled rate 6/7)."""
    publish(run_campaign(inputs), tmp_path / "o")
    doc = json.loads((tmp_path / "o" / "fairness.json").read_text(encoding="utf-8"))
    assert doc["exclude_small"] is True
    gender = doc["posts"]["P1"]["eligible"]["families"]["gender"]
    assert gender["reference"] == "F" and gender["unknown_count"] == 0
    m = gender["categories"]["M"]
    assert (m["n"], m["positives"], m["impact_ratio"], m["four_fifths_flag"]) == (4, 3, 0.75, True)
    assert m["fisher_p"] == pytest.approx(1.0)
    assert m["z_p"] == pytest.approx(0.349575, abs=1e-6)
    assert set(doc["posts"]["P1"]) == {"eligible", "passed", "selected", "selected_of_applied"}
    assert "gender×zone" in doc["posts"]["P1"]["selected"]["families"]


def test_raw_responses_with_sections_from_the_key_keep_negative_marking(
    inputs: RunInputs, tmp_path: Path
) -> None:
    """Sections listed without items take their items from the key's `section` column, and keep the campaign's
    marks and negative marking: A1 answers q1 right, q2 wrong, q3 omitted, q4 right → 1 − 0.25 + 0 + 2 = 2.75."""
    camp = (
        CAMPAIGN.replace('mode = "marks_columns"', 'mode = "responses"')
        .replace(
            '[[test.sections]]\ncode = "written"\nmax_marks = "100"',
            '[[test.sections]]\ncode = "general"\nnegative = "0.25"\n[[test.sections]]\ncode = "numeric"\n'
            'marks_per_item = "2"\nnegative = "0.5"',
        )
        .replace('aggregate_pass_percent = "40"', 'aggregate_pass_percent = "0"')
    )
    inputs.campaign.write_text(camp, encoding="utf-8")
    key = tmp_path / "key.csv"
    key.write_text(
        "item,key,section\nq1,A,general\nq2,B,general\nq3,C,general\nq4,D,numeric\n", encoding="utf-8"
    )
    resp = tmp_path / "resp.csv"
    resp.write_text("roll_number,q1,q2,q3,q4\nR1,A,C,,D\nR2,B,B,C,A\n", encoding="utf-8")
    publish(
        run_campaign(RunInputs(inputs.campaign, inputs.applications, responses=resp, key=key)), tmp_path / "o"
    )
    marks = {
        r["application_id"]: (r["marks_general"], r["marks_numeric"], r["test_total"])
        for r in _csv(tmp_path / "o" / "results.csv")
        if r["test_total"]
    }
    # R2: q1 wrong −0.25, q2 right +1, q3 right +1, q4 wrong −0.5 → general 1.75, numeric −0.5, total 1.25
    assert marks == {"A1": ("0.7500", "2.0000", "2.7500"), "A2": ("1.7500", "-0.5000", "1.2500")}


def test_a_candidate_selected_for_two_posts_is_reported(inputs: RunInputs, tmp_path: Path) -> None:
    """The same CNIC applying to two posts may top both lists; the run warns and lists them so the candidate
    chooses one and the other waiting list moves up."""
    two = CAMPAIGN + CAMPAIGN[CAMPAIGN.index("[[posts]]") :].replace('code = "P1"', 'code = "P2"')
    inputs.campaign.write_text(two, encoding="utf-8")
    rows = [*ROWS, "B1,P2,54400-1111111-1,Amna,Karim,2000-01-01,F,Quetta,BCom||60|2021-01-01,R1"]
    inputs.applications.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    publish(run_campaign(inputs), tmp_path / "o")
    assert _csv(tmp_path / "o" / "multiple_selections.csv") == [
        {"application_ids": "A1;B1", "posts": "P1;P2"}
    ]
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["warnings"][0].startswith("1 candidate(s) were selected for more than one post")


def test_explain_a_row_refused_at_intake_and_refuse_a_forged_ledger(
    inputs: RunInputs, tmp_path: Path
) -> None:
    """A8 (bad CNIC) is explained from its intake rejection; after one byte of the ledger is forged, explain
    refuses to explain anything."""
    out = tmp_path / "o"
    publish(run_campaign(inputs), out)
    text = explain_lines(out, "A8")[0]
    assert text.startswith("Application A8: refused at intake (row 9 of the applications file), column cnic:")
    ledger = out / "ledger.jsonl"
    forged = ledger.read_text(encoding="utf-8").replace('"status":"ineligible"', '"status":"selected"', 1)
    assert forged != ledger.read_text(encoding="utf-8")
    ledger.write_text(forged, encoding="utf-8")
    with pytest.raises(IntegrityError, match="refusing to explain from a ledger that does not verify"):
        explain_lines(out, "A5")


def test_shared_roll_number_formula_cells_and_refused_results(inputs: RunInputs, tmp_path: Path) -> None:
    """Another CNIC reusing roll number R1 is rejected naming row 2; a name starting with '=' is written as text
    in the CSVs; a refused marks row makes the candidate 'result_refused', not absent; an output folder that
    would overwrite an input is refused."""
    rows = [
        *ROWS[:7],
        "A9,P1,54400-9999999-9,=HYPERLINK(1),Ali,2000-01-01,M,Kech,BCom||60|2021-01-01,R9",
        "A10,P1,54400-1010101-0,Zed,Ali,2000-01-01,M,Kech,BCom||60|2021-01-01,R1",
    ]
    inputs.applications.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    inputs.marks.write_text(MARKS.replace("R9,50", "R9,50\nR7,abc"), encoding="utf-8")
    publish(run_campaign(inputs), tmp_path / "o")
    rejected = _csv(tmp_path / "o" / "rejected_rows.csv")
    assert [(r["row"], r["application_id"], r["column"]) for r in rejected] == [("10", "A10", "roll_number")]
    assert rejected[0]["reason"] == (
        "roll number R1 is already used by row 2 (another CNIC); each test taker has one roll number"
    )
    results = {r["application_id"]: r for r in _csv(tmp_path / "o" / "results.csv")}
    assert results["A9"]["name"] == "'=HYPERLINK(1)"
    assert results["A7"]["status"] == "result_refused"
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    c = summary["counts"]
    assert (c["eligible"], c["tested"] + c["absent"], c["result_refused"]) == (7, 7, 1)
    clash = tmp_path / "o" / "results.csv"
    clash.write_bytes(inputs.applications.read_bytes())
    with pytest.raises(InputError, match="would overwrite the input"):
        publish(run_campaign(RunInputs(inputs.campaign, clash, marks=inputs.marks)), tmp_path / "o")


def test_explanations_written_in_chunks_are_the_same_bytes(
    inputs: RunInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunked writing (3 applications per chunk here) gives exactly the file written in one piece."""
    import shafaf.core.pipeline.outputs as outputs

    publish(run_campaign(inputs), tmp_path / "one")
    monkeypatch.setattr(outputs, "EXPLAIN_CHUNK", 3)
    publish(run_campaign(inputs), tmp_path / "chunked")
    one = (tmp_path / "one" / "explanations.jsonl").read_bytes()
    assert one == (tmp_path / "chunked" / "explanations.jsonl").read_bytes()
    assert one.count(b"\n") == 7


def test_two_test_batches(inputs: RunInputs, tmp_path: Path) -> None:
    """Two marks files (two sittings): results are ranked together, each candidate keeps its batch, a roll
    number with results in both batches is refused in both, and the summary warns with each batch's mean."""
    first = tmp_path / "batch1.csv"
    first.write_text("roll_number,written\nR1,90\nR2,70\nR3,80\n", encoding="utf-8")
    second = tmp_path / "batch2.csv"
    second.write_text("roll_number,written\nR4,70\nR6,40\nR3,10\n", encoding="utf-8")
    run = RunInputs(inputs.campaign, inputs.applications, marks=first, more_marks=(second,))
    publish(run_campaign(run), tmp_path / "o")
    status = {r["application_id"]: r["status"] for r in _csv(tmp_path / "o" / "results.csv")}
    assert status["A3"] == "result_refused" and status["A1"] == "selected" and status["A4"] == "selected"
    refused = _csv(tmp_path / "o" / "rejected_marks.csv")
    assert [(r["id"], r["reason"]) for r in refused if r["id"] == "R3"] == [
        ("R3", "DUPLICATE_ACROSS_BATCHES: this roll number has results in batch1.csv, batch2.csv")
    ] * 2
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["batches"] == [
        {"batch": "batch1.csv", "candidates": 2, "mean": "80.0000", "sd": "14.1421"},
        {"batch": "batch2.csv", "candidates": 2, "mean": "55.0000", "sd": "21.2132"},
    ]
    assert any(w.startswith("2 test batches are ranked on their raw marks") for w in summary["warnings"])
    line = json.loads((tmp_path / "o" / "explanations.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert line["application_id"] == "A1" and line["marks"]["batch"] == "batch1.csv"
    assert verify_dir(tmp_path / "o").ok
