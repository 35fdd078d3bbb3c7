"""Seeded synthetic data for demos and benchmarks: an applicant registry in the applications format.

Not part of ``shafaf.core``: nothing here takes a decision. The registry is synthetic (random combinations of
common names, random CNIC-shaped numbers); no real person's record is used. See docs/demo-data.md.
"""

from shafaf.synth.applicants import COLUMNS, generate_applicants
from shafaf.synth.corrupt import CORRUPTIONS, Corruption, corrupt, corrupt_with_manifest
from shafaf.synth.profile import DEFAULT, JUNIOR_CLERK, AgeBand, BoundaryBirthday, Profile, QualificationTrack

__all__ = [
    "COLUMNS",
    "CORRUPTIONS",
    "DEFAULT",
    "JUNIOR_CLERK",
    "AgeBand",
    "BoundaryBirthday",
    "Corruption",
    "Profile",
    "QualificationTrack",
    "corrupt",
    "corrupt_with_manifest",
    "generate_applicants",
]
