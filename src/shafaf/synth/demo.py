"""The committed demo inputs: real test data (copied byte for byte) joined to a seeded synthetic registry.

``build_sub_accountant_demo`` writes ``demo/data`` (the 2026-style Sub-Accountant campaign of
``demo/campaign.toml``: the real CopyDetect form 1 answers, one synthetic applicant per real examinee,
plus absent, malformed and duplicate applications). ``build_junior_clerk_demo`` writes the data files of
``demo/junior-clerk`` (raw option choices of mirt's SAT12 with their key, 600 synthetic applicants). Both
are deterministic: the same source files, geography table and code give byte-identical outputs. A clone
without ``../shared`` regenerates from the copies already in the output folder.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import polars as pl

from shafaf.core.policy.geography import Geography, load_geography
from shafaf.synth.applicants import generate_applicants
from shafaf.synth.corrupt import corrupt_with_manifest
from shafaf.synth.profile import DEFAULT, JUNIOR_CLERK

__all__ = [
    "DEFAULT_SOURCE",
    "JC",
    "SA",
    "DemoSpec",
    "build_junior_clerk_demo",
    "build_sub_accountant_demo",
]

DEFAULT_SOURCE = Path("../shared/data/psychometrics")


@dataclass(frozen=True, slots=True)
class DemoSpec:
    """The fixed parameters of one demo campaign's synthetic registry."""

    seed: int
    post_code: str
    eligibility_date: date
    n_absent: int = 0
    n_bad: int = 0
    n_duplicates: int = 0


SA = DemoSpec(
    seed=20260126,
    post_code="SUB-ACC",
    eligibility_date=date(2026, 1, 26),
    n_absent=40,
    n_bad=30,
    n_duplicates=12,
)
JC = DemoSpec(seed=20260223, post_code="JR-CLERK", eligibility_date=date(2026, 2, 23))

COPYDETECT = "CopyDetect_form1.csv"
SAT12_RAW = "mirt_SAT12_raw.csv"
SAT12_KEY = "mirt_SAT12_key.csv"


def _source_file(source: Path, name: str, fallback: Path) -> Path:
    """``source/name`` when it exists, else the copy already committed at ``fallback``."""
    primary = source / name
    if primary.is_file():
        return primary
    if fallback.is_file():
        return fallback
    raise FileNotFoundError(f"{primary}: not found (and no committed copy at {fallback}); pass --source")


def _copy(src: Path, dst: Path) -> None:
    if src.resolve() != dst.resolve():
        shutil.copyfile(src, dst)


def _write_sources(out: Path, template: str) -> None:
    text = (resources.files("shafaf.synth") / "data" / template).read_text(encoding="utf-8")
    (out / "SOURCES.md").write_text(text, encoding="utf-8", newline="")


def _write_csv(frame: pl.DataFrame, path: Path) -> None:
    path.write_text(frame.write_csv(line_terminator="\n"), encoding="utf-8", newline="")


def build_sub_accountant_demo(
    out: Path, source: Path = DEFAULT_SOURCE, geography: Geography | None = None
) -> dict[str, int]:
    """Write ``copydetect_form1.csv``, ``applications.csv``, ``expected_rejections.csv``, ``SOURCES.md``.

    Every EID of the real file becomes one applicant's roll number; ``SA.n_absent`` more applicants get the
    next roll numbers (registered, but with no test record); the roll numbers are shuffled with the seed,
    then ``SA.n_bad`` malformed and ``SA.n_duplicates`` duplicate rows are planted. Returns row counts.
    """
    out.mkdir(parents=True, exist_ok=True)
    marks_src = _source_file(source, COPYDETECT, out / "copydetect_form1.csv")
    eids = pl.read_csv(marks_src, columns=["EID"], infer_schema=False)["EID"].to_list()
    numbers = [int(e[1:]) for e in eids if e[:1] == "e" and e[1:].isdigit()]
    if len(numbers) != len(eids):
        raise ValueError(f"{marks_src}: expected EIDs like e100001")
    width = len(eids[0]) - 1
    absent = [f"e{max(numbers) + 1 + i:0{width}d}" for i in range(SA.n_absent)]
    rolls = [*eids, *absent]
    order = np.random.default_rng([SA.seed, 1]).permutation(len(rolls))
    shuffled = [rolls[i] for i in order]

    clean = generate_applicants(
        n=len(shuffled),
        seed=SA.seed,
        post_code=SA.post_code,
        roll_numbers=shuffled,
        geography=geography or load_geography(),
        eligibility_date=SA.eligibility_date,
        profile=DEFAULT,
    )
    frame, manifest = corrupt_with_manifest(clean, seed=SA.seed, n_bad=SA.n_bad, n_duplicates=SA.n_duplicates)

    _copy(marks_src, out / "copydetect_form1.csv")
    _write_csv(frame, out / "applications.csv")
    _write_csv(manifest, out / "expected_rejections.csv")
    _write_sources(out, "sources-sub-accountant.md")
    return {
        "examinees": len(eids),
        "absent": len(absent),
        "malformed": SA.n_bad,
        "duplicates": SA.n_duplicates,
        "rows": frame.height,
    }


def build_junior_clerk_demo(
    out: Path, source: Path = DEFAULT_SOURCE, geography: Geography | None = None
) -> dict[str, int]:
    """Write ``responses.csv``, ``key.csv``, ``applications.csv``, ``SOURCES.md`` (not ``campaign.toml``)."""
    out.mkdir(parents=True, exist_ok=True)
    raw = source / SAT12_RAW
    if raw.is_file():
        lines = raw.read_text(encoding="utf-8").splitlines()
        rolls = [f"JC-{i:04d}" for i in range(1, len(lines))]
        body = [f"roll_number,{lines[0]}", *(f"{r},{line}" for r, line in zip(rolls, lines[1:], strict=True))]
        (out / "responses.csv").write_text("\n".join(body) + "\n", encoding="utf-8", newline="")
    elif (out / "responses.csv").is_file():
        rolls = pl.read_csv(out / "responses.csv", columns=["roll_number"], infer_schema=False)[
            "roll_number"
        ].to_list()
    else:
        raise FileNotFoundError(f"{raw}: not found (and no committed responses.csv in {out}); pass --source")
    _copy(_source_file(source, SAT12_KEY, out / "key.csv"), out / "key.csv")

    order = np.random.default_rng([JC.seed, 1]).permutation(len(rolls))
    frame = generate_applicants(
        n=len(rolls),
        seed=JC.seed,
        post_code=JC.post_code,
        roll_numbers=[rolls[i] for i in order],
        geography=geography or load_geography(),
        eligibility_date=JC.eligibility_date,
        profile=JUNIOR_CLERK,
    )
    _write_csv(frame, out / "applications.csv")
    _write_sources(out, "sources-junior-clerk.md")
    return {"examinees": len(rolls), "rows": frame.height}
