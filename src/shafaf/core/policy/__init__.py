"""Policy packs (versioned quota, age, qualification and tie rules) and the geography table."""

from shafaf.core.errors import PolicyError
from shafaf.core.policy.geography import DEFAULT_GEOGRAPHY, District, Geography, load_geography
from shafaf.core.policy.packs import PolicyPack, available_packs, load_pack

__all__ = [
    "DEFAULT_GEOGRAPHY",
    "District",
    "Geography",
    "PolicyError",
    "PolicyPack",
    "available_packs",
    "load_geography",
    "load_pack",
]
