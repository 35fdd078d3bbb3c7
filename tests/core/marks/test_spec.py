"""Section specs and item-range expansion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shafaf.core.errors import CampaignError, TableError
from shafaf.core.marks import SectionSpec, expand_item_range, section_column

AVAILABLE = ["EID", "cent_id", *(f"iraw.A{i}" for i in range(1, 11)), "Q001", "Q002", "Q003", "A1-A2"]


def test_range_expands_in_order() -> None:
    """ "iraw.A1-iraw.A3" names the three columns in numeric order."""
    assert expand_item_range("iraw.A1-iraw.A3", AVAILABLE) == ("iraw.A1", "iraw.A2", "iraw.A3")


def test_range_is_case_insensitive_and_returns_file_spelling() -> None:
    """Names match ignoring case and come back as the file spells them; spaces around '-' are allowed."""
    assert expand_item_range("IRAW.a9 - IRAW.a10", AVAILABLE) == ("iraw.A9", "iraw.A10")


def test_list_mixes_names_ranges_and_zero_padding() -> None:
    """A list may mix names and ranges; zero padding is kept ("Q001-Q003")."""
    assert expand_item_range(["EID", "Q001-Q003", "iraw.A5"], AVAILABLE) == (
        "EID",
        "Q001",
        "Q002",
        "Q003",
        "iraw.A5",
    )


def test_a_column_named_like_a_range_is_a_name() -> None:
    """An entry equal to an existing column is that column, even if it looks like a range."""
    assert expand_item_range("A1-A2", AVAILABLE) == ("A1-A2",)


def test_missing_backwards_and_repeated_items() -> None:
    """Missing names -> TableError naming the file; a backwards range or a repeated item -> CampaignError."""
    with pytest.raises(TableError, match=r"item columns not found: 'iraw.A11', 'iraw.A12'") as info:
        expand_item_range("iraw.A9-iraw.A12", AVAILABLE, source="marks.csv")
    assert info.value.source == "marks.csv"
    with pytest.raises(CampaignError, match="backwards"):
        expand_item_range("iraw.A5-iraw.A1", AVAILABLE)
    with pytest.raises(CampaignError, match="more than once"):
        expand_item_range(["iraw.A1-iraw.A3", "iraw.A2"], AVAILABLE)


def test_section_spec_maxima() -> None:
    """Maximum = items × marks (ranges counted without a file) unless max_marks is given; minimum = -items ×
    negative, 0 without negative marking."""
    spec = SectionSpec("subject", "Accounting", ("iraw.A1-iraw.A85",), Decimal("1.5"), Decimal("0.25"))
    assert spec.maximum_scaled() == 85 * 15_000
    assert spec.minimum_scaled() == -85 * 2_500
    assert SectionSpec("w", "W", (), max_marks=Decimal("85.5")).maximum_scaled() == 855_000
    assert SectionSpec("w", "W", ()).maximum_scaled() is None
    assert SectionSpec("w", "W", ()).minimum_scaled() == 0
    assert SectionSpec("w", "W", (), negative=Decimal(1)).minimum_scaled() is None
    assert section_column("subject") == "sec_subject"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "has space"}, "code must be"),
        ({"code": ""}, "code must be"),
        ({"marks_per_item": Decimal("0.00001")}, "marks_per_item must be a number with up to 4 decimals"),
        ({"negative": Decimal("-0.25")}, "negative must be >= 0"),
        ({"pass_percent": Decimal(101)}, "pass_percent must be between 0 and 100"),
        ({"max_marks": Decimal(-1)}, "max_marks must be >= 0"),
    ],
)
def test_section_spec_validation(kwargs: dict[str, object], message: str) -> None:
    """Invalid section parameters are CampaignErrors naming the section."""
    params: dict[str, object] = {"code": "s", "label": "S", "items": ()}
    params.update(kwargs)
    with pytest.raises(CampaignError, match=message):
        SectionSpec(**params)  # type: ignore[arg-type]
