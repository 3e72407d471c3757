"""AppTest of the Itineraries page: cards, timeline, travel modes, time zones, bad links."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import ui.trip
from itinerary import exports
from tests.app.conftest import AppFactory
from tests.app.test_hostile import autolinks, explicit_links, unescaped
from tests.conftest import DATA
from tests.unit.test_seed import edit_cell

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


# --- curated notes and access on the timeline, and in the files to take along -------------------


@pytest.fixture
def real_data(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped content (the must-go itinerary and its notes) instead of the small fixture."""
    monkeypatch.setenv("CITYPLUS_DATA_DIR", str(DATA))


def stop_captions(at: AppTest) -> list[str]:
    """The caption under each stop: its access, then its note."""
    return [plain(c.value) for c in at.caption if c.value.startswith(":material/accessible:")]


@pytest.mark.usefixtures("real_data")
def test_the_must_go_timeline_shows_each_stops_note_and_access(make_app: AppFactory) -> None:
    at = make_app(PAGE, itinerary="shenzhen-must-go", date="2026-12-05")
    assert not at.exception
    about = stop_captions(at)
    assert len(about) == 8
    assert about[0].startswith(":material/accessible: Partly accessible  \nStart with dim sum")
    assert about[0].endswith("the restaurant is reached by lift.")
    assert "use the market lifts rather than escalators." in about[1]
    assert [a.split("  \n")[0] for a in about].count(":material/accessible: Partly accessible") == 2
    assert sum("Wheelchair accessible" in a for a in about) == 6
    totals = at.info[0].value
    assert "ends at" in totals and "back at" not in totals  # a one-way route does not come back
    labels = {b.label for b in at.get("download_button")}
    assert {
        "GPX (maps apps)",
        "Calendar (.ics)",
        "Spreadsheet (CSV)",
        "KML (Google Earth)",
        "Printable page",
    } <= labels


@pytest.mark.usefixtures("real_data")
def test_the_must_go_timeline_in_chinese_shows_the_chinese_notes(make_app: AppFactory) -> None:
    at = make_app(PAGE, itinerary="shenzhen-must-go", date="2026-12-07", lang="zh")  # a Monday
    about = stop_captions(at)
    assert (
        about[0]
        == ":material/accessible: 部分无障碍  \n在邓小平1992年到访过的旋转餐厅饮早茶开启一天；可乘电梯直达餐厅。"
    )
    assert "逛商场时可乘直梯代替扶梯" in about[1]
    assert sum("部分无障碍" in a for a in about) == 2 and sum("轮椅可达" in a for a in about) == 6
    assert any("**4. 深圳博物馆（市民中心馆）**" in line and "当日不开放" in line for line in texts(at))
    assert {b.label for b in at.get("download_button")} >= {"GPX（地图应用）", "打印版页面"}


def test_a_stop_without_note_shows_its_access_only(make_app: AppFactory) -> None:
    at = make_app(PAGE, itinerary="shenzhen-mini", lang="zh")
    assert stop_captions(at) == [
        ":material/accessible: 部分无障碍  \n从山顶开始。",
        ":material/accessible: 轮椅可达",  # Ping An has no note in this itinerary
        ":material/accessible: 轮椅可达  \n带现金。",
    ]


def test_a_note_is_text_never_markup_or_a_link(make_app: AppFactory, app_env: Path) -> None:
    hostile = "[click](https://evil.example) see www.evil.example <img src=x onerror=alert(1)> **bold**"
    edit_cell(app_env, "itinerary_stops.csv", "shenzhen-mini", "note", hostile, key="itinerary_id")
    at = make_app(PAGE, itinerary="shenzhen-mini")
    assert not at.exception
    caption = next(c.value for c in at.caption if "evil" in c.value)
    assert unescaped(caption).endswith(hostile)
    assert autolinks(caption) == [] and explicit_links(caption) == []
    assert "<img" not in caption.replace("\\<img", "") and "**bold**" not in caption


@pytest.mark.usefixtures("real_data")
def test_the_files_to_take_along_carry_the_notes(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans: list[exports.ExportPlan] = []

    def export_files(plan: exports.ExportPlan) -> tuple[tuple[str, str, str | bytes], ...]:
        plans.append(plan)
        return exports.all_exports(plan)

    monkeypatch.setattr(ui.trip, "export_files", export_files)  # the page imports it at each run
    make_app(PAGE, itinerary="shenzhen-must-go", date="2026-12-07", lang="zh")
    (plan,) = plans
    assert plan.url.endswith(
        "/itineraries?city=shenzhen&itinerary=shenzhen-must-go&start=09:00&date=2026-12-07&lang=zh"
    )
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(plan))))
    assert rows[0]["note"].endswith("可乘电梯直达餐厅。") and rows[0]["access"] == "部分无障碍"
    assert rows[3]["warnings"] == "当日不开放"  # Shenzhen Museum on a Monday
    assert all(row["arrive"].endswith(":00+08:00") for row in rows)  # whole minutes
