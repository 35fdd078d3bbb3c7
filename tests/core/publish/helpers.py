"""Report fixtures in the exact shapes the campaign pipeline emits; the fairness part comes from the real
``audit_stages`` on small synthetic frames."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from shafaf.core.fairness import audit_stages

STAGES = (
    ("eligible", "applied", "eligible", "applied → eligible"),
    ("passed", "tested", "passed", "eligible and tested → passed"),
    ("selected", "passed", "selected", "passed → selected"),
    ("selected_of_applied", "applied", "selected", "applied → selected"),
)
FAMILIES = (("gender",), ("zone",), ("minority",), ("disabled",), ("gender", "zone"))
ZONES = ("Kalat", "Zhob", "Nasirabad", "Makran", "Quetta", "Sibi", "Quetta City", "Merit-free")
HASH = "ab" * 32

#: (gender, zone, minority, disabled, eligible, tested, passed, selected); the last four are 1/0.
Row = tuple[str | None, str | None, str, str, int, int, int, int]


def frame(rows: Sequence[Row]) -> pl.DataFrame:
    """The pipeline's audit frame for ``rows`` (every row has applied)."""
    cols = list(zip(*rows, strict=True))
    return pl.DataFrame(
        {
            "gender": list(cols[0]),
            "zone": list(cols[1]),
            "minority": list(cols[2]),
            "disabled": list(cols[3]),
            "applied": [True] * len(rows),
            "eligible": [bool(v) for v in cols[4]],
            "tested": [bool(v) for v in cols[5]],
            "passed": [bool(v) for v in cols[6]],
            "selected": [bool(v) for v in cols[7]],
        },
        schema_overrides={"gender": pl.String, "zone": pl.String},
    )


def audit_doc(frames: dict[str, pl.DataFrame], *, exclude_small: bool = False) -> dict[str, Any]:
    """The fairness document, as the pipeline builds it, after a JSON round trip."""
    out: dict[str, Any] = {
        "exclude_small": exclude_small,
        "stages": {name: label for name, _, _, label in STAGES},
        "posts": {},
    }
    for code, frame in frames.items():
        reports = audit_stages(
            frame,
            stages=[(n, pop, outcome) for n, pop, outcome, _ in STAGES],
            families=FAMILIES,
            exclude_small=exclude_small,
        )
        out["posts"][code] = {name: rep.to_dict() for name, rep in reports.items()}
    return json.loads(json.dumps(out, allow_nan=False))  # type: ignore[no-any-return]


# Post P1 (10 applicants). Eligibility: F 2/4 (rows 1–4) vs M 6/6 → F impact ratio 0.5, flagged.
# Zone at eligibility: Kalat 4/4, Quetta 3/5 → Quetta 0.6, flagged; one row with no zone (unknown 1).
P1_ROWS: list[Row] = [
    ("F", "Kalat", "no", "no", 1, 1, 1, 1),
    ("F", "Kalat", "no", "no", 1, 1, 1, 0),
    ("F", "Quetta", "no", "no", 0, 0, 0, 0),
    ("F", "Quetta", "no", "no", 0, 0, 0, 0),
    ("M", "Kalat", "no", "no", 1, 1, 1, 1),
    ("M", "Kalat", "yes", "no", 1, 1, 0, 0),
    ("M", "Quetta", "no", "no", 1, 1, 1, 0),
    ("M", "Quetta", "no", "yes", 1, 0, 0, 0),
    ("M", "Quetta", "no", "no", 1, 1, 1, 1),
    ("M", None, "no", "no", 1, 1, 0, 0),
]
# Post P2 (4 applicants, nobody selected): at the selection stages every rate is 0, so there is no
# reference and every ratio, flag and p-value is null.
P2_ROWS: list[Row] = [
    ("F", "Zhob", "no", "no", 1, 1, 1, 0),
    ("M", "Zhob", "no", "no", 1, 1, 1, 0),
    ("M", "Zhob", "no", "no", 1, 1, 0, 0),
    ("M", "Sibi", "no", "no", 0, 0, 0, 0),
]


def _post_counts(rows: Sequence[Row]) -> dict[str, int]:
    e = sum(r[4] for r in rows)
    t = sum(r[5] for r in rows)
    p = sum(r[6] for r in rows)
    s = sum(r[7] for r in rows)
    return {
        "accepted": len(rows),
        "eligible": e,
        "ineligible": len(rows) - e,
        "tested": t,
        "absent": e - t,
        "passed": p,
        "failed": t - p,
        "selected": s,
        "waiting": p - s,
    }


def _slot(
    slot: str,
    label: str,
    kind: str,
    seats: int,
    filled: int,
    action: str | None = None,
    approver: str | None = None,
) -> dict[str, Any]:
    return {
        "slot": slot,
        "label": label,
        "kind": kind,
        "seats": seats,
        "filled": filled,
        "unfilled": seats - filled,
        "action": action,
        "approver": approver,
        "converted_filled": 0,
    }


def small_docs() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(summary, seats, fairness) of a two-post campaign with flags, nulls and unfilled seats."""
    c1, c2 = _post_counts(P1_ROWS), _post_counts(P2_ROWS)
    campaign_counts = {k: c1[k] + c2[k] for k in c1}
    summary: dict[str, Any] = {
        "campaign": {
            "department": "Finance Department",
            "advertisement": "FD-01/2025",
            "title": "Sub-Accountant (BPS-11)",
            "closing_date": "2025-03-31",
            "eligibility_date": "2025-03-31",
            "run_label": "final",
        },
        "software": {"name": "shafaf", "version": "0.1.0"},
        "inputs": [
            {"role": "campaign", "file": "campaign.toml", "sha256": "0123456789abcdef" * 4},
            {"role": "applications", "file": "applications.csv", "sha256": HASH},
        ],
        "policies": [{"name": "balochistan-1991", "version": "balochistan-1991@2025.1", "sha256": "cd" * 32}],
        "geography": {"version": "2025.1", "note": "Verify against the current notification."},
        "counts": {"rows_in": 16, "rejected": 2, "duplicates": 1, **campaign_counts},
        "unmatched_marks": 0,
        "ignored_columns": [],
        "posts": [
            {
                "code": "P1",
                "title": "Sub-Accountant",
                "bps": 11,
                "vacancies": 3,
                "policy": "balochistan-1991@2025.1",
                "counts": c1,
                "top": [
                    {
                        "rank": 1,
                        "application_id": "A-0009",
                        "cnic_masked": "XXXXX-XXXX567-1",
                        "name": "عائشہ بی بی",
                        "total": "81.2500",
                        "slot": "merit",
                    },
                    {
                        "rank": 2,
                        "application_id": "A-0001",
                        "cnic_masked": "XXXXX-XXXX123-2",
                        "name": "Zarghuna Khan",
                        "total": "79.0000",
                        "slot": "zone-kalat",
                    },
                    {
                        "rank": 3,
                        "application_id": "A-0005",
                        "cnic_masked": "XXXXX-XXXX999-3",
                        "name": "Baran Baloch",
                        "total": "75.5000",
                        "slot": "",
                    },
                ],
            },
            {
                "code": "P2",
                "title": "Junior Clerk",
                "bps": 11,
                "vacancies": 2,
                "policy": "balochistan-1991@2025.1",
                "counts": c2,
                "top": [],
            },
        ],
    }
    seats: dict[str, Any] = {
        "advertisement": "FD-01/2025",
        "posts": [
            {
                "post": "P1",
                "title": "Sub-Accountant",
                "vacancies": 3,
                "policy": "balochistan-1991@2025.1",
                "pointer_start": 0,
                "pointer_end": 3,
                "slots": [
                    _slot("merit", "Merit", "merit", 1, 1),
                    _slot("zone-kalat", "Kalat", "zone", 1, 1),
                    _slot("zone-zhob", "Zhob", "zone", 1, 0, "convert_to_merit", "Secretary Finance"),
                    _slot("women", "Women", "special", 0, 0, "carry_forward"),
                ],
                "reasons": [{"code": "seats.rotation", "text": "3 seats walk the rotation from position 1."}],
            },
            {
                "post": "P2",
                "title": "Junior Clerk",
                "vacancies": 2,
                "policy": "balochistan-1991@2025.1",
                "pointer_start": 3,
                "pointer_end": 5,
                "slots": [
                    _slot("zone-nasirabad", "Nasirabad", "zone", 1, 0, "readvertise"),
                    _slot("zone-makran", "Makran", "zone", 1, 0, "carry_forward"),
                ],
                "reasons": [],
            },
        ],
    }
    return summary, seats, copy.deepcopy(_small_fairness())


@functools.cache
def _small_fairness() -> dict[str, Any]:
    return audit_doc({"P1": frame(P1_ROWS), "P2": frame(P2_ROWS)})


def big_docs(posts: int = 5, applicants: int = 600) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A campaign of ``posts`` posts, 16 slots each, ``applicants`` each, audited on 5 families."""
    rng = np.random.default_rng(20250331)
    summary, seats, _ = small_docs()
    summary = copy.deepcopy(summary)
    summary["posts"] = []
    seats = {"advertisement": "FD-01/2025", "posts": []}
    frames: dict[str, pl.DataFrame] = {}
    for i in range(posts):
        code = f"P{i + 1}"
        rows: list[Row] = []
        for _ in range(applicants):
            g = "F" if rng.random() < 0.35 else "M"
            z = ZONES[int(rng.integers(0, len(ZONES)))] if rng.random() > 0.01 else None
            m = "yes" if rng.random() < 0.04 else "no"
            d = "yes" if rng.random() < 0.03 else "no"
            e = int(rng.random() < (0.76 if g == "F" else 0.8))
            t = e * int(rng.random() < 0.9)
            p = t * int(rng.random() < 0.5)
            s = p * int(rng.random() < 0.08)
            rows.append((g, z, m, d, e, t, p, s))
        frames[code] = frame(rows)
        counts = _post_counts(rows)
        summary["posts"].append(
            {
                "code": code,
                "title": f"Post number {i + 1}",
                "bps": 14,
                "vacancies": 16,
                "policy": "balochistan-1991@2025.1",
                "counts": counts,
                "top": [
                    {
                        "rank": r + 1,
                        "application_id": f"APP-{i:02d}-{r:05d}",
                        "cnic_masked": "XXXXX-XXXX567-1",
                        "name": "محمد علی خان" if r % 2 else "Muhammad Ali Khan",
                        "total": f"{90 - r / 4:.4f}",
                        "slot": f"s{r % 16:02d}",
                    }
                    for r in range(20)
                ],
            }
        )
        seats["posts"].append(
            {
                "post": code,
                "title": f"Post number {i + 1}",
                "vacancies": 16,
                "policy": "balochistan-1991@2025.1",
                "pointer_start": 0,
                "pointer_end": 0,
                "slots": [_slot(f"s{j:02d}", f"Slot {j}", "zone", 1, 1) for j in range(16)],
                "reasons": [
                    {"code": "seats.rotation", "text": "16 seats walk one full cycle of the rotation."}
                ],
            }
        )
    fairness = audit_doc(frames)
    keys = (
        "accepted",
        "eligible",
        "ineligible",
        "tested",
        "absent",
        "passed",
        "failed",
        "selected",
        "waiting",
    )
    total = {k: sum(p["counts"][k] for p in summary["posts"]) for k in keys}
    summary["counts"] = {"rows_in": total["accepted"] + 40, "rejected": 40, "duplicates": 5, **total}
    return summary, seats, fairness
