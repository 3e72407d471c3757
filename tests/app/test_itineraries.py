"""AppTest of the Itineraries page: cards, timeline, travel modes, time zones, bad links."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory

PAGE = "pages/itineraries.py"


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown]


def test_cards_list_published_itineraries(make_app: AppFactory) -> None:
    at = make_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Itineraries in Shenzhen"
    assert [plain(s.value) for s in at.subheader] == ["Mini tour"]  # the draft is not listed
    meta = at.caption[0].value
    assert meta.startswith("3 stops · about ") and meta.endswith(" km · Walk")


def test_choosing_shows_timeline_with_times(make_app: AppFactory) -> None:
    at = make_app(PAGE)
    at.button(key="show_shenzhen-mini").click().run()
    assert at.query_params["itinerary"] == "shenzhen-mini"
    lines = texts(at)
    # 09:00 start, 60 min in the park (the stop's dwell time), then the walk to Ping An
    assert "**1. Lianhuashan Park**  \n09:00–10:00 · visit 60 min" in lines
    assert any(line.startswith("**2. Ping An Finance Center**  \n10:") for line in lines)
    assert any("visit 45 min" in line for line in lines)  # Huaqiang North's dwell from the stop row
    assert any("km by walk (estimate)" in c.value for c in at.caption)
    totals = at.info[0].value
    assert totals.startswith("Total ") and "min visiting" in totals


def test_travel_mode_recomputes_every_leg(make_app: AppFactory) -> None:
    walk = make_app(PAGE, itinerary="shenzhen-mini")
    drive = make_app(PAGE, itinerary="shenzhen-mini", mode="drive")
    walk_legs = [c.value for c in walk.caption if c.value.startswith("↓")]
    drive_legs = [c.value for c in drive.caption if c.value.startswith("↓")]
    assert len(walk_legs) == len(drive_legs) == 2
    assert all("by drive" in leg for leg in drive_legs)
    assert walk_legs != drive_legs
    assert drive.segmented_control(key="itin_mode").value == "drive"


def test_start_time_and_date_from_the_link(make_app: AppFactory) -> None:
    at = make_app(PAGE, itinerary="shenzhen-mini", start="14:30", date="2026-12-07")
    assert "**1. Lianhuashan Park**  \n14:30–15:30 · visit 60 min" in texts(at)
    assert str(at.date_input(key="itin_date").value) == "2026-12-07"


def test_closed_day_is_warned(make_app: AppFactory) -> None:
    # Seattle's Space Needle opens 09:00: starting at 07:00 means waiting at the first stop
    at = make_app(PAGE, city="seattle", itinerary="seattle-mini", start="07:00", date="2026-07-01")
    lines = texts(at)
    assert any("waits 120 min for opening" in line for line in lines), lines


def test_times_are_in_the_city_time_zone_across_daylight_saving(make_app: AppFactory) -> None:
    # 2026-11-01: Seattle's clocks go back at 02:00; a 10:00 start is still 10:00 local time
    at = make_app(PAGE, city="seattle", itinerary="seattle-mini", date="2026-11-01")
    assert any(line.startswith("**1. Pike Place Market**  \n10:00–") for line in texts(at))


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"itinerary": "nowhere"}, "Itinerary “nowhere” is not in this city; showing the list instead."),
        ({"itinerary": "shenzhen-mini", "mode": "teleport"}, "Unknown travel mode “teleport” ignored."),
        ({"itinerary": "shenzhen-mini", "start": "9am"}, "Start time “9am” is not HH:MM; ignored."),
        ({"itinerary": "shenzhen-mini", "date": "tomorrow"}, "Date “tomorrow” is not YYYY-MM-DD; ignored."),
    ],
)
def test_bad_link_values(make_app: AppFactory, query: dict[str, str], notice: str) -> None:
    at = make_app(PAGE, **query)
    assert not at.exception
    assert notice in [w.value for w in at.warning]


def test_chinese(make_app: AppFactory) -> None:
    at = make_app(PAGE, itinerary="shenzhen-mini", lang="zh")
    assert at.title[0].value == "深圳精选行程"
    assert "**1. 莲花山公园**  \n09:00–10:00 · 游览 60 分钟" in texts(at)
