"""``plans.with_stop``: the ``stops=`` value behind a card's "Add to my route"."""

from __future__ import annotations

import pytest

from itinerary.plans import parse_id_list, with_stop


@pytest.mark.parametrize(
    ("stops", "added", "expected"),
    [
        (None, "oct-loft", "oct-loft"),  # no plan yet
        ("", "oct-loft", "oct-loft"),
        ("huaqiang-north", "oct-loft", "huaqiang-north,oct-loft"),  # at the end
        ("huaqiang-north,oct-loft", "oct-loft", "huaqiang-north,oct-loft"),  # never twice
        ("oct-loft,huaqiang-north", "oct-loft", "oct-loft,huaqiang-north"),  # left where it is
        (" huaqiang-north , ,", "oct-loft", "huaqiang-north,oct-loft"),  # blanks dropped as on Plan
    ],
)
def test_with_stop(stops: str | None, added: str, expected: str) -> None:
    assert with_stop(stops, added) == expected
    assert parse_id_list(with_stop(stops, added)).count(added) == 1
