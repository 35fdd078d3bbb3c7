"""Per-candidate explanations regenerated from the decision ledger alone (fairness.md §4, right to explanation).

The candidate's ledger entry holds the inputs the rules saw and the batch decision; the post's ``post_rules``
entry holds the exact parameters. The scalar rules are run again on those inputs and must agree with the
recorded decision — if they do not, the explanation is refused rather than made up.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from shafaf.core.eligibility.build import post_rules_from_dict
from shafaf.core.eligibility.rules import Candidate, decisions_equal, evaluate
from shafaf.core.errors import InputError, IntegrityError
from shafaf.core.ledger import read_entries, verify_dir

_STATUS = {
    "ineligible": "not eligible for this post",
    "absent": "eligible, but no test result was received (absent)",
    "failed": "eligible and tested, but below the pass marks",
    "selected": "selected",
    "waiting": "passed, on the waiting list",
    "disqualified": "disqualified after the test",
    "withdrawn": "the post was withdrawn",
}

_TIE_WORDS = {
    "test": "the higher written-test marks",
    "interview": "the higher interview marks",
    "older": "being older (earlier date of birth)",
    "higher_qualification": "the higher qualification",
    "min_qual_percent": "the better percentage in the essential qualification",
    "earlier_min_qual_date": "the earlier date of the essential qualification",
    "flag": "nothing: the tie is unresolved and flagged for a human decision",
}


def _trim(text: str) -> str:
    return format(Decimal(text).normalize(), "f")


def _fail_words(reason: str | None, post: dict[str, Any]) -> str:
    words = []
    for part in (reason or "").split(";"):
        if part.startswith("SECTION_BELOW_PASS:"):
            code = part.split(":", 1)[1]
            sec = {s["code"]: s for s in post.get("sections", [])}.get(code, {})
            words.append(
                f"section {sec.get('label') or code} is below its pass mark of {_trim(sec.get('pass_percent', '0'))}%"
            )
        elif part == "AGGREGATE_BELOW_PASS":
            words.append(f"the test total is below the pass mark of {_trim(post['aggregate_pass_percent'])}%")
        elif part:
            words.append(part)
    return "; ".join(words)


def _d(v: Any) -> date | None:
    return None if v is None else date.fromisoformat(v)


def _candidate(data: dict[str, Any]) -> Candidate:
    i = dict(data["inputs"])
    row = {
        "application_id": data["application_id"],
        "dob": _d(i["dob"]),
        "dob_precision": i["dob_precision"],
        "gender": i["gender"],
        "domicile_district": i["domicile_district"],
        "province": i["province"],
        "division": i["division"],
        "zone": i["zone"],
        "disabled": i["disabled"],
        "in_service_x100": i["in_service_x100"],
        "qualifications": [{**q, "date": _d(q["date"])} for q in i["qualifications"]],
        "experience": [{**e, "start": _d(e["start"]), "end": _d(e["end"])} for e in i["experience"]],
        "relaxations": i["relaxations"],
    }
    return Candidate.from_row(row)


def _explanation_line(path: Path, line: int) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(
            str(path.parent), "no explanations.jsonl here: expected the output folder of `shafaf run`"
        )
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if n == line:
                parsed: dict[str, Any] = json.loads(raw)
                return parsed
    raise IntegrityError(f"{path}: line {line} named by the ledger does not exist")


def _check_matches(data: dict[str, Any], entry: dict[str, Any], seq: int) -> None:
    """The explanation line must say what the sealed ledger decided; otherwise nothing is explained."""
    pairs = {
        "application_id": data["application_id"],
        "post": data["post"],
        "status": data["status"],
        "eligible": data["eligibility"]["eligible"],
        "fail_codes": data["eligibility"]["fail_codes"],
        "total": data["marks"]["total"],
        "rank": data["merit"]["rank"],
        "slot": data["seat"]["slot"],
    }
    diffs = [k for k, v in pairs.items() if entry.get(k) != v]
    if diffs:
        raise IntegrityError(
            f"explanations.jsonl disagrees with ledger entry {seq} on {', '.join(diffs)}: run `shafaf verify`"
        )


def _in_batches(ledger: Path, kind: str, application_id: str) -> list[dict[str, Any]]:
    """The items with ``application_id`` inside the batched entries of ``kind`` (see outputs.batched), each as
    ``{"seq": <entry seq>, "data": <item>}``."""
    key = {"decisions": "decisions", "intake_rejects": "rows", "marks_rejects": "rows"}[kind]
    found: list[dict[str, Any]] = []
    for entry in read_entries(ledger, kind=kind):
        items = entry["data"].get(key, [])
        for item in items:
            if item.get("application_id") == application_id:
                found.append({"seq": entry["seq"], "data": item})
    return found


def explain_lines(out_dir: Path, application_id: str) -> list[str]:
    """One candidate's explanation in plain words, from ``out_dir/ledger.jsonl``."""
    ledger = out_dir / "ledger.jsonl"
    if not ledger.is_file():
        raise InputError(str(out_dir), "no ledger.jsonl here: expected the output folder of `shafaf run`")
    check = verify_dir(out_dir, check_data=False)
    if not check.ok:
        first = check.problems[0].message if check.problems else "the ledger does not verify"
        raise IntegrityError(f"{out_dir}: refusing to explain from a ledger that does not verify: {first}")
    found = _in_batches(ledger, "decisions", application_id)
    if not found:
        rejected = _in_batches(ledger, "intake_rejects", application_id)
        if rejected:
            r = rejected[0]["data"]
            return [
                f"Application {application_id}: refused at intake (row {r['row']} of the applications file), "
                f"column {r['column']}: {r['reason']}"
                + (f"; also: {r['other_errors']}" if r.get("other_errors") else "")
                + ". It was not considered further; correct the row and apply again within the window."
            ]
        raise InputError(str(ledger), f"no application {application_id!r} in this run")
    lines: list[str] = []
    rules_by_post = {e["data"]["post"]: e["data"] for e in read_entries(ledger, kind="post_rules")}
    for entry in found:
        decision_entry = entry["data"]
        data = _explanation_line(out_dir / "explanations.jsonl", int(decision_entry["line"]))
        _check_matches(data, decision_entry, entry["seq"])
        post = rules_by_post[data["post"]]
        rules = post_rules_from_dict(post["rules"])
        decision = evaluate(_candidate(data), rules)
        logged = dict(data["eligibility"])
        logged["min_qual_date"] = _d(logged.get("min_qual_date"))
        diffs = decisions_equal(logged, decision)
        if diffs:
            raise IntegrityError(
                f"{ledger} seq {entry['seq']}: the recorded decision does not match the rules ({'; '.join(diffs)})"
            )
        lines.append(
            f"Application {application_id} — {data['name']} ({data['cnic_masked']}), post {data['post']} "
            f"({post['title']}), policy {post['policy']}"
        )
        lines.append(f"Result: {_STATUS.get(data['status'], data['status'])}.")
        dq = data.get("disqualification") or {}
        if dq.get("disqualified"):
            lines.append(
                f"Disqualified: {dq['disqualification_reason']} (decided by {dq['disqualified_by']}); "
                "the seats and the waiting list were allocated again without this application."
            )
        lines.append("")
        lines.append("Eligibility (counted on " + rules.reference_date.isoformat() + "):")
        shown = [r for r in decision.passes if not (r.code == "EXPERIENCE_OK" and rules.experience_days == 0)]
        for r in (*decision.notes, *shown, *decision.failures):
            mark = "✗" if r in decision.failures else ("•" if r in decision.notes else "✓")
            lines.append(f"  {mark} {r.text_en}")
            if r.text_ur:
                lines.append(f"    {r.text_ur}")
        marks = data["marks"]
        if decision.eligible:
            lines.append("")
            if not marks["present"]:
                lines.append(
                    "Written test: no result was received for your roll number "
                    + str(data["roll_number"])
                    + "."
                )
            else:
                lines.append("Written test and merit:")
                info = {s["code"]: s for s in post.get("sections", [])}
                test_max = Decimal(0)
                for key, value in (marks.get("sections") or {}).items():
                    code = key.removeprefix("marks_")
                    sec = info.get(code, {})
                    out_of = f" out of {_trim(sec['max_marks'])}" if sec.get("max_marks") else ""
                    test_max += Decimal(sec["max_marks"]) if sec.get("max_marks") else 0
                    lines.append(f"  {sec.get('label') or code}: {value}{out_of}")
                lines.append(
                    f"  test total: {marks['test_total']}"
                    + (f" out of {_trim(str(test_max))}" if test_max else "")
                )
                weight = sum((Decimal(c["weight"]) for c in post["components"]), Decimal(0))
                formula = " + ".join(
                    f"{c['source']} (weight {_trim(c['weight'])})" for c in post["components"]
                )
                lines.append(f"  merit total: {marks['total']} out of {_trim(str(weight))} ({formula})")
                if not marks["passed"]:
                    lines.append(f"  below the pass marks: {_fail_words(marks['fail_reason'], post)}")
        merit = data["merit"]
        if merit["rank"] is not None:
            lines.append(f"  merit position: {merit['rank']}")
            if merit["tie_with_prev"]:
                lines.append(
                    f"  tied on total with the candidate above; decided by {_TIE_WORDS.get(merit['tie_with_prev'], merit['tie_with_prev'])}"
                )
        seat = data["seat"]
        if seat["slot"]:
            extra = f" (converted from the {seat['converted_from']} quota)" if seat["converted_from"] else ""
            how = (
                f"This post is for domicile holders of {rules.restriction_text()}: its seats are filled on merit "
                "within that area, then the special quotas, in merit order."
                if rules.restricted
                else "Seats are filled merit first from the whole province, then each zone from its domicile "
                "holders, then the special quotas, in merit order."
            )
            lines.append(f"Seat: {seat['slot']}{extra}. {how}")
        elif seat["waiting_position"] is not None:
            lines.append(
                f"Waiting list position {seat['waiting_position']}; you would take a seat that frees up in: "
                f"{seat['eligible_slots'] or 'none of the slots'}."
            )
        lines.append("")
        lines.append(
            "To object: write to the department within the objection window, quoting your application id "
            "and the ledger entry " + str(entry["seq"]) + "; anyone can check this list with `shafaf verify`."
        )
        lines.append("")
    return lines
