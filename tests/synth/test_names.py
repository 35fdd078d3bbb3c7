"""The hand-written name lists: clean spellings in both scripts."""

from __future__ import annotations

import re
import unicodedata

import pytest

from shafaf.synth import names

LISTS = {
    "MALE_GIVEN": names.MALE_GIVEN,
    "FEMALE_GIVEN": names.FEMALE_GIVEN,
    "FAMILY": names.FAMILY,
    "MINORITY_MALE_GIVEN": names.MINORITY_MALE_GIVEN,
    "MINORITY_FEMALE_GIVEN": names.MINORITY_FEMALE_GIVEN,
    "MINORITY_FAMILY": names.MINORITY_FAMILY,
}
ARABIC_LOOKALIKES = "\u064a\u0643\u0647"  # ي ك ه: Arabic yeh, kaf, heh, which Urdu text must not use


@pytest.mark.parametrize("name", sorted(LISTS))
def test_pairs_are_clean_latin_and_urdu(name: str) -> None:
    """Each entry is (ASCII letters and spaces, Arabic-script letters and spaces), NFC, no Arabic look-alikes,
    and no Latin spelling appears twice in a list."""
    pairs = LISTS[name]
    assert pairs
    latin = [lat for lat, _ in pairs]
    assert len(set(latin)) == len(latin)
    for lat, urdu in pairs:
        assert re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", lat), lat
        assert re.fullmatch(r"[\u0600-\u06FF]+(?: [\u0600-\u06FF]+)*", urdu), (lat, urdu)
        assert unicodedata.normalize("NFC", urdu) == urdu, lat
        assert not set(urdu) & set(ARABIC_LOOKALIKES), (lat, urdu)


def test_muhammad_prefix_pair() -> None:
    """The prefix pair is Muhammad / محمد."""
    assert names.MUHAMMAD == ("Muhammad", "محمد")
