"""Usage counts (issue 13): every event, by day in the city's time zone, the figures read back,
switched off by CITYPLUS_COUNTS, and a schema that has no column for anything personal."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from itinerary import counts, store
from itinerary.counts import figures

SZ = "Asia/Shanghai"  # UTC+8
LA = "America/Los_Angeles"


@pytest.fixture
def db(mini_db_url: str) -> store.Store:
    return store.open_store(mini_db_url)


def rows(db: store.Store) -> list[tuple[str, str, str, str, str, int]]:
    frame = figures.read(db, None, date(2000, 1, 1), date(2100, 1, 1))
    return [tuple(r) for r in frame.itertuples(index=False)]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("event", "key", "stored"),
    [
        (counts.PAGE_VIEW, "explore", "explore"),
        (counts.ITINERARY_OPEN, "sz-classic", "sz-classic"),
        (counts.PROGRAMME_OPEN, "spring-festival", "spring-festival"),
        (counts.EXPORT, "gpx", "gpx"),
        (counts.QR_HANDOFF, "itineraries", "itineraries"),
        (counts.KIOSK_TOUCH, "ignored", "01"),  # 17:30 UTC is 01:30 in Shenzhen
        (counts.KIOSK_RESET, "", "01"),
        (counts.SEARCH_EMPTY, "  Dragon—BOAT!! ", "dragon boat"),
    ],
)
def test_every_event_is_counted_per_day_in_the_citys_time_zone(
    db: store.Store, event: str, key: str, stored: str
) -> None:
    at = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert counts.count(db, event, city_id="shenzhen", key=key, lang="zh", timezone=SZ, at=at)
    assert counts.count(db, event, city_id="shenzhen", key=key, lang="zh", timezone=SZ, at=at)
    assert rows(db) == [("2026-12-02", "shenzhen", event, stored, "zh", 2)]  # the next day there


def test_days_follow_each_citys_zone_and_languages_stay_apart(db: store.Store) -> None:
    at = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 11:00 in Shenzhen, 19:00 the day before in Seattle
    counts.count(db, counts.PAGE_VIEW, city_id="shenzhen", key="explore", lang="en", timezone=SZ, at=at)
    counts.count(db, counts.PAGE_VIEW, city_id="shenzhen", key="explore", lang="zh", timezone=SZ, at=at)
    counts.count(db, counts.PAGE_VIEW, city_id="seattle", key="explore", lang="en", timezone=LA, at=at)
    assert rows(db) == [
        ("2026-12-01", "seattle", "page_view", "explore", "en", 1),
        ("2026-12-02", "shenzhen", "page_view", "explore", "en", 1),
        ("2026-12-02", "shenzhen", "page_view", "explore", "zh", 1),
    ]
    only = figures.read(db, ["seattle"], date(2026, 12, 1), date(2026, 12, 1))
    assert list(only["city_id"]) == ["seattle"]


def test_nothing_is_counted_when_off_or_unknown(db: store.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not counts.count(db, "mouse_move", city_id="shenzhen")
    assert not counts.count(db, counts.SEARCH_EMPTY, city_id="shenzhen", key=" !? ")
    monkeypatch.setenv("CITYPLUS_COUNTS", "off")
    assert not counts.count(db, counts.PAGE_VIEW, city_id="shenzhen", key="explore")
    assert rows(db) == []


def test_counts_handed_to_the_writer_from_many_threads_all_arrive(db: store.Store) -> None:
    import threading

    at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)

    def visitor() -> None:
        for _ in range(25):
            counts.count_soon(
                db, counts.PAGE_VIEW, city_id="shenzhen", key="plan", lang="en", timezone=SZ, at=at
            )

    threads = [threading.Thread(target=visitor) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not counts.count_soon(db, counts.SEARCH_EMPTY, city_id="shenzhen", key="  ")
    counts.flush()
    assert rows(db) == [("2026-12-01", "shenzhen", "page_view", "plan", "en", 100)]


def test_a_database_error_drops_the_count_and_raises_nothing(tmp_path: object) -> None:
    broken = store.Store(f"sqlite:///{tmp_path}/never-migrated.db")  # no tables
    assert not counts.count(broken, counts.PAGE_VIEW, city_id="shenzhen", key="explore")


def test_the_figures(db: store.Store) -> None:
    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=UTC)

    for day, n in ((1, 3), (2, 1)):
        for _ in range(n):
            counts.count(db, counts.PAGE_VIEW, city_id="shenzhen", key="explore", at=at(day, 4), timezone=SZ)
    for key, n in (("sz-classic", 3), ("sz-nature", 1)):
        counts.count(db, counts.ITINERARY_OPEN, city_id="shenzhen", key=key, at=at(1, 4), timezone=SZ, by=n)
    counts.count(db, counts.EXPORT, city_id="shenzhen", key="ics", at=at(1, 4), by=2)
    counts.count(db, counts.SEARCH_EMPTY, city_id="shenzhen", key="ferry", at=at(1, 4), by=2)
    counts.count(db, counts.SEARCH_EMPTY, city_id="shenzhen", key="=HYPERLINK(1)", at=at(1, 4), by=2)
    counts.count(db, counts.SEARCH_EMPTY, city_id="shenzhen", key="my phone 555", at=at(1, 4))  # once only
    counts.count(db, counts.KIOSK_TOUCH, city_id="shenzhen", at=at(1, 2), timezone=SZ, by=5)  # 10:00
    counts.count(db, counts.KIOSK_RESET, city_id="shenzhen", at=at(1, 3), timezone=SZ)  # 11:00
    frame = figures.read(db, ["shenzhen"], date(2026, 11, 1), date(2026, 11, 30))
    assert figures.trend(frame, [counts.PAGE_VIEW]).values.tolist() == [
        ["2026-11-01", "page_view", 3],
        ["2026-11-02", "page_view", 1],
    ]
    assert figures.views_by_page(frame).values.tolist() == [["explore", "", 4]]
    assert figures.top_itineraries(frame).values.tolist() == [["sz-classic", 3], ["sz-nature", 1]]
    assert figures.exports_by_format(frame).values.tolist() == [["ics", 2]]
    assert figures.empty_searches(frame).values.tolist() == [["ferry", 2], ["hyperlink 1", 2]]
    hours = figures.kiosk_hours(frame, "2026-11-01")
    assert len(hours) == 48
    assert hours[hours["n"] > 0].values.tolist() == [["10", "kiosk_touch", 5], ["11", "kiosk_reset", 1]]
    assert figures.kiosk_days(frame) == ["2026-11-01"]


def test_the_csv_is_formula_safe() -> None:
    import pandas as pd

    frame = pd.DataFrame([["=cmd|' /C calc'!A0", 2], ["ferry", 1]], columns=["key", "n"])
    assert figures.csv_text(frame) == "key,n\n'=cmd|' /C calc'!A0,2\nferry,1\n"


PERSONAL = re.compile(
    r"(^|_)(ip|ips|ip_address|address_ip|user_agent|agent|ua|cookie|cookies|visitor|visitor_id|"
    r"session_id|token|fingerprint|device|email|phone|name)($|_)"
)


def test_the_voice_and_count_tables_have_no_column_for_a_person() -> None:
    for table in (store.voice_items, store.voice_decisions, store.voice_throttle, store.usage_counts):
        columns = {c.name for c in table.columns}
        assert not {c for c in columns if PERSONAL.search(c)}, table.name
    # the staff member's name is in the decisions (who decided), never a visitor's
    assert "username" in store.voice_decisions.c


def test_no_table_has_a_column_for_addresses_agents_or_cookies() -> None:
    banned = re.compile(r"(^|_)(ip|ip_address|user_agent|cookie|visitor_id|fingerprint)($|_)")
    found = [
        f"{t.name}.{c.name}"
        for t in store.metadata.tables.values()
        for c in t.columns
        if banned.search(c.name)
    ]
    assert found == []
