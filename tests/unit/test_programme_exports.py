"""A programme's downloads and views: iCalendar in the city's time zone (TZID + VTIMEZONE),
read back by icalendar and imported by khal, a calendar program nobody here wrote; the printable
bilingual page; now and next by the clock."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest

from itinerary import seed
from itinerary.programmes import exports, view
from itinerary.programmes.feasibility import PlaceInfo
from itinerary.programmes.records import Full, full_of
from tests.conftest import DATA
from tests.unit.test_programmes import HOTEL, item, programme

HAGUE = "Europe/Amsterdam"
KHAL = shutil.which("khal") or "/usr/bin/khal"
LINK = "https://cityplus.example/programme?token=abc&lang=en"


@pytest.fixture(scope="module")
def shipped() -> tuple[seed.Dataset, dict[str, PlaceInfo]]:
    data = seed.load_dir(DATA)
    places = {
        lm.id: PlaceInfo(lm.name, lm.name_zh, lm.lat, lm.lon, lm.opening_hours) for lm in data.landmarks
    }
    return data, places


def across_dst() -> Full:
    """Two days in The Hague either side of the clocks going forward (29 March 2026)."""
    return Full(
        programme(start_date="2026-03-28", end_date="2026-03-29"),
        (HOTEL,),
        (
            item(1, "2026-03-28", "10:00", "11:00", landmark="mauritshuis"),
            item(2, "2026-03-29", "10:00", "11:30", venue="hotel"),
        ),
    )


def test_ics_has_local_times_with_tzid_and_a_vtimezone(
    shipped: tuple[seed.Dataset, dict[str, PlaceInfo]],
) -> None:
    _, places = shipped
    text = exports.to_ics(across_dst(), places, timezone=HAGUE, link=LINK)
    assert "DTSTART;TZID=Europe/Amsterdam:20260328T100000" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20260329T100000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Amsterdam" in text
    cal = icalendar.Calendar.from_ical(text)
    starts = [e.decoded("dtstart").astimezone(UTC) for e in cal.walk("VEVENT")]
    # 10:00 CET is 09:00 UTC; 10:00 CEST, the day after, is 08:00 UTC
    assert starts == [datetime(2026, 3, 28, 9, tzinfo=UTC), datetime(2026, 3, 29, 8, tzinfo=UTC)]
    assert (
        exports.to_ics(across_dst(), places, timezone=HAGUE, link=LINK) == text
    )  # stable: updates, not duplicates


def khal_list(tmp_path: Path, ics: str, local_zone: str, day: str) -> list[str]:
    """Import ``ics`` into a new khal calendar and list ``day`` as khal shows it in ``local_zone``."""
    calendar = tmp_path / "calendar"
    calendar.mkdir(parents=True, exist_ok=True)
    config = tmp_path / "khal.conf"
    config.write_text(
        "[calendars]\n[[programme]]\n"
        f"path = {calendar}\ntype = calendar\n"
        "[locale]\n"
        f"local_timezone = {local_zone}\ndefault_timezone = {local_zone}\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n",
        encoding="utf-8",
    )
    source = tmp_path / "programme.ics"
    source.write_text(ics, encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path), "TZ": "UTC"}
    run = [KHAL, "-c", str(config)]
    subprocess.run(
        [*run, "import", "--batch", "-a", "programme", str(source)], check=True, env=env, timeout=60
    )
    listed = subprocess.run(
        [*run, "list", "--day-format", "", "--format", "{start-time}-{end-time} {title}", day, "1d"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return [line for line in listed.stdout.splitlines() if line.strip()]


@pytest.fixture
def khal() -> str:
    if not Path(KHAL).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("khal is missing: apt-get install khal (make calendar)")
        pytest.skip("khal is missing: apt-get install khal (make calendar)")
    return KHAL


@pytest.mark.parametrize(
    ("local_zone", "day", "expected"),
    [
        (HAGUE, "2026-03-28", "10:00-11:00"),  # at home: the wall times of the programme
        (HAGUE, "2026-03-29", "10:00-11:30"),
        ("Asia/Shanghai", "2026-03-28", "17:00-18:00"),  # CET + 7 h
        ("Asia/Shanghai", "2026-03-29", "16:00-17:30"),  # CEST + 6 h: the VTIMEZONE was read
    ],
)
def test_khal_imports_the_programme_with_the_right_local_times(
    khal: str,
    tmp_path: Path,
    local_zone: str,
    day: str,
    expected: str,
    shipped: tuple[seed.Dataset, dict[str, PlaceInfo]],
) -> None:
    _, places = shipped
    ics = exports.to_ics(across_dst(), places, timezone=HAGUE, link=LINK)
    lines = khal_list(tmp_path, ics, local_zone, day)
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_khal_imports_the_shipped_qianhai_tour(
    khal: str, tmp_path: Path, shipped: tuple[seed.Dataset, dict[str, PlaceInfo]]
) -> None:
    data, places = shipped
    full = full_of(data.programmes, "qianhai-diplomats-2023")
    assert full is not None
    lines = khal_list(
        tmp_path, exports.to_ics(full, places, timezone="Asia/Shanghai"), "Asia/Shanghai", "2023-01-18"
    )
    assert [line.split(" ", 1)[0] for line in lines] == [f"{i.start}-{i.end}" for i in full.items]
    assert lines[0].endswith("Qianhai Exhibition Hall")


def test_print_page_is_bilingual_escaped_with_map_and_qr(
    shipped: tuple[seed.Dataset, dict[str, PlaceInfo]],
) -> None:
    _, places = shipped
    hostile = Full(
        across_dst().programme,
        (HOTEL,),
        (item(1, "2026-03-28", "10:00", "11:00", landmark="mauritshuis"),),
    )
    hostile = Full(
        hostile.programme,
        hostile.venues,
        (replace(hostile.items[0], note="<script>x</script>", note_zh="备注"),),
    )
    page = exports.to_print_html(hostile, places, timezone=HAGUE, city=("The Hague", "海牙"), link=LINK)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert (
        "Test visit" in page and "测试访问" in page and "Mauritshuis" in page and "莫瑞泰斯皇家美术馆" in page
    )
    assert "<svg" in page and 'class="map"' in page and 'class="qr"' in page
    assert "Time / 时间" in page and "All times are local (Europe/Amsterdam)." in page
    assert "http" not in page.replace(LINK.replace("&", "&amp;"), "").replace(
        "http://www.w3.org/2000/svg", ""
    )  # no outside resource


@pytest.mark.parametrize(
    ("moment", "now_position", "next_position"),
    [
        ("2026-03-28T08:59:00+00:00", None, 1),  # 09:59 CET
        ("2026-03-28T09:20:00+00:00", 1, 2),
        ("2026-03-29T08:20:00+00:00", 2, None),  # 10:20 CEST
        ("2026-03-29T09:31:00+00:00", None, None),
    ],
)
def test_now_and_next_by_the_city_clock(
    moment: str, now_position: int | None, next_position: int | None
) -> None:
    current, upcoming = view.now_and_next(across_dst(), datetime.fromisoformat(moment), HAGUE)
    assert (current.position if current else None, upcoming.position if upcoming else None) == (
        now_position,
        next_position,
    )
