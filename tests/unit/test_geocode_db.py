"""Geocoding answers and the rate-limit slot shared through the database (SQLite and PostgreSQL).

Every test that takes ``db_url`` runs on both databases. Separate ``Store`` objects (separate
engines and connection pools) stand in for separate processes: nothing in ``DbGeocodeCache``
or ``DbRateLimit`` lives in Python memory except the engine, so what they share, they share
through the database. Requests are counted and timed at the Nominatim stand-in.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from itinerary import store as storage
from itinerary.geocode import (
    DbGeocodeCache,
    DbRateLimit,
    Geocoder,
    GeocodeResult,
    ProcessRateLimit,
    geocode_address,
)
from tests.nominatim_standin import NominatimStandin

BBOX = (22.39, 113.75, 22.87, 114.65)  # Shenzhen: south, west, north, east


class WallClock:
    """A UTC clock for the cache that moves only when told."""

    def __init__(self) -> None:
        self.now = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeClock:
    """Epoch-like seconds for the rate limit; sleeping moves it."""

    def __init__(self) -> None:
        self.now = 1_750_000_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "CITYPLUS_GEOCODER",
        "CITYPLUS_NOMINATIM_DOMAIN",
        "CITYPLUS_NOMINATIM_SCHEME",
        "CITYPLUS_GEOCODER_USER_AGENT",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def stores(db_url: str) -> Iterator[Callable[[], storage.Store]]:
    """Opens as many stores on one database as a test wants ("processes"); disposes them."""
    opened: list[storage.Store] = []

    def open_one() -> storage.Store:
        opened.append(storage.open_store(db_url))
        return opened[-1]

    yield open_one
    for store in opened:
        store.engine.dispose()


@pytest.fixture
def store(stores: Callable[[], storage.Store]) -> storage.Store:
    return stores()


@pytest.fixture
def standin() -> Iterator[NominatimStandin]:
    with NominatimStandin() as server:
        yield server


def make(server: NominatimStandin, store: storage.Store, clock: FakeClock, **options: Any) -> Geocoder:
    """A geocoder on the stand-in with the database cache and slot (fake time for the slot)."""
    options.setdefault("cache", DbGeocodeCache(store))
    options.setdefault("rate_limit", DbRateLimit(store, clock=clock))
    return Geocoder(
        domain=server.domain, scheme="http", clock=clock, sleep=clock.sleep, enabled=True, **options
    )


def rows(store: storage.Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(storage.geocode_cache)).mappings()]


# --- the cache on its own ----------------------------------------------------------------------

RESULTS = (
    GeocodeResult("Shenzhen Bay Hotel, 9009 Shennan Boulevard", 22.5313, 113.9868, "nominatim"),
    GeocodeResult("平安金融中心（云际观光层）", 22.5364, 114.05045, "landmark", "ping-an-finance-center"),
    GeocodeResult('Quote " and \\ backslash', -33.9249, 18.4241, "cache"),
)


def test_results_round_trip(store: storage.Store) -> None:
    cache = DbGeocodeCache(store)
    cache.set('["a", "key"]', RESULTS, ttl_seconds=60)

    assert cache.get('["a", "key"]') == RESULTS
    assert cache.get('["another"]') is None
    [row] = rows(store)
    assert row["query"] == '["a", "key"]' and len(row["key_sha256"]) == 64
    assert "平安金融中心" in row["results"]  # readable JSON, not escapes


def test_empty_answer_round_trips(store: storage.Store) -> None:
    cache = DbGeocodeCache(store)
    cache.set("k", (), ttl_seconds=60)
    assert cache.get("k") == ()


def test_entries_expire_and_are_purged(store: storage.Store) -> None:
    clock = WallClock()
    cache = DbGeocodeCache(store, clock=clock)
    cache.set("old", RESULTS[:1], ttl_seconds=60)
    clock.advance(30)
    cache.set("new", RESULTS[1:2], ttl_seconds=60)
    clock.advance(29)
    assert cache.get("old") == RESULTS[:1]
    clock.advance(1)  # "old" is exactly 60 s old now
    assert cache.get("old") is None
    assert cache.get("new") == RESULTS[1:2]

    assert cache.purge_expired() == 1
    assert [r["query"] for r in rows(store)] == ["new"]


def test_set_purges_expired_rows_now_and_then(store: storage.Store) -> None:
    clock = WallClock()
    cache = DbGeocodeCache(store, clock=clock, purge_every_seconds=3600)
    cache.set("a", (), ttl_seconds=10)  # first write purges (nothing to purge)
    clock.advance(20)
    cache.set("b", (), ttl_seconds=10)  # within the hour: no purge, "a" stays (expired)
    assert sorted(r["query"] for r in rows(store)) == ["a", "b"]
    clock.advance(3600)
    cache.set("c", (), ttl_seconds=10)
    assert [r["query"] for r in rows(store)] == ["c"]


def test_set_replaces_an_entry(store: storage.Store) -> None:
    clock = WallClock()
    cache = DbGeocodeCache(store, clock=clock)
    cache.set("k", RESULTS[:1], ttl_seconds=10)
    clock.advance(20)
    cache.set("k", RESULTS[1:], ttl_seconds=10)  # replaces the expired one, new expiry

    assert cache.get("k") == RESULTS[1:]
    assert len(rows(store)) == 1


def test_concurrent_writes_of_one_key_never_fail(
    stores: Callable[[], storage.Store], caplog: pytest.LogCaptureFixture
) -> None:
    opened = [stores() for _ in range(4)]  # four processes
    caches = [DbGeocodeCache(store, purge_every_seconds=1e9) for store in opened]
    start = threading.Barrier(8)

    def write(i: int) -> None:
        start.wait()
        for n in range(5):
            caches[i % 4].set("same key", RESULTS[(i + n) % 3 : (i + n) % 3 + 1], ttl_seconds=60)

    with caplog.at_level(logging.WARNING, logger="itinerary.geocode"):
        threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert [r.message for r in caplog.records] == []  # no write was lost to an error
    assert caches[0].get("same key") in [RESULTS[i : i + 1] for i in range(3)]
    assert len(rows(opened[0])) == 1


def test_entries_are_shared_by_every_process(stores: Callable[[], storage.Store]) -> None:
    DbGeocodeCache(stores()).set("k", RESULTS, ttl_seconds=60)
    assert DbGeocodeCache(stores()).get("k") == RESULTS


def test_a_damaged_row_reads_as_a_miss(store: storage.Store) -> None:
    cache = DbGeocodeCache(store)
    cache.set("k", RESULTS, ttl_seconds=60)
    for damage in ("not json", '[{"label": "x"}]', '[{"label": "x", "lat": 1, "lon": 2, "source": "?"}]'):
        with store.engine.begin() as conn:
            conn.execute(storage.geocode_cache.update().values(results=damage))
        assert cache.get("k") is None


def test_a_database_error_is_a_miss_not_an_exception(
    new_db_url: str, caplog: pytest.LogCaptureFixture, standin: NominatimStandin
) -> None:
    broken = storage.Store(new_db_url)  # no schema: every statement fails
    try:
        cache = DbGeocodeCache(broken)
        with caplog.at_level(logging.WARNING, logger="itinerary.geocode"):
            assert cache.get("k") is None
            cache.set("k", RESULTS, ttl_seconds=60)
            assert cache.purge_expired() == 0
        assert sum("geocode cache" in r.message for r in caplog.records) == 3

        # and a whole search still works, the slot falling back to the process-wide one
        clock = FakeClock()
        geocoder = make(standin, broken, clock)
        first = geocoder.search("Shenzhen Bay Hotel")
        second = geocoder.search("Shenzhen Bay Hotel")
        assert (first.code, first.results[0].source) == ("", "nominatim")
        assert (second.code, second.results[0].source) == ("", "nominatim")  # nothing was cached
        assert clock.sleeps == [pytest.approx(1.0)]  # the process-wide slot still spaced them
        assert len(standin.search_requests()) == 2
    finally:
        broken.engine.dispose()


# --- the geocoder with the database cache ------------------------------------------------------


def test_cache_hit_makes_no_second_request(
    standin: NominatimStandin, store: storage.Store, stores: Callable[[], storage.Store]
) -> None:
    clock = FakeClock()
    first = make(standin, store, clock).search("Shenzhen Bay Hotel", city_bbox=BBOX)
    # another session, and another process: same database, same answer, no request
    session = make(standin, store, clock).search("shenzhen BAY hotel", city_bbox=BBOX)
    process = make(standin, stores(), clock).search("Shenzhen Bay Hotel", city_bbox=BBOX)

    assert len(standin.search_requests()) == 1
    assert [r.source for r in first.results] == ["nominatim"]
    assert [r.source for r in session.results] == [r.source for r in process.results] == ["cache"]
    assert (session.results[0].lat, session.results[0].lon) == (22.5313, 113.9868)


def test_failures_and_empty_answers_are_not_cached(standin: NominatimStandin, store: storage.Store) -> None:
    clock = FakeClock()
    geocoder = make(standin, store, clock)
    for behaviour, code in (("failing", "service_error"), ("empty", "not_found")):
        standin.behaviour = behaviour
        assert geocoder.search("Shenzhen Bay Hotel").code == code
    standin.behaviour = "normal"
    assert geocoder.search("Shenzhen Bay Hotel").code == ""

    assert len(standin.search_requests()) == 3
    assert [r["query"].startswith("[") for r in rows(store)].count(True) == 1


def test_cached_answers_expire(standin: NominatimStandin, store: storage.Store) -> None:
    wall = WallClock()
    clock = FakeClock()
    geocoder = make(standin, store, clock, cache=DbGeocodeCache(store, clock=wall), cache_ttl_seconds=60)
    assert geocoder.search("Shenzhen Bay Hotel").results[0].source == "nominatim"
    wall.advance(59)
    assert geocoder.search("Shenzhen Bay Hotel").results[0].source == "cache"
    wall.advance(2)
    assert geocoder.search("Shenzhen Bay Hotel").results[0].source == "nominatim"
    assert len(standin.search_requests()) == 2


def test_two_servers_never_share_answers(store: storage.Store) -> None:
    clock = FakeClock()
    with NominatimStandin() as one, NominatimStandin() as two:
        make(one, store, clock).search("Shenzhen Bay Hotel")
        assert make(two, store, clock).search("Shenzhen Bay Hotel").results[0].source == "nominatim"
        assert make(one, store, clock).search("Shenzhen Bay Hotel").results[0].source == "cache"
        assert (len(one.search_requests()), len(two.search_requests())) == (1, 1)

    keys = sorted(r["query"] for r in rows(store) if r["query"].startswith("["))
    assert [k.split('"')[1] for k in keys] == sorted([one.domain, two.domain])


def test_for_store_shares_cache_and_slot(standin: NominatimStandin, store: storage.Store) -> None:
    geocoder = Geocoder.for_store(store, domain=standin.domain, scheme="http", enabled=True)
    assert geocoder.search("Huaqiang North").code == ""
    assert geocoder.search("Huaqiang North").results[0].source == "cache"

    queries = sorted(r["query"] for r in rows(store))
    assert queries[0].startswith("[") and queries[1] == f"rate-limit slot {standin.domain}"


def test_staff_address_search_uses_the_database_cache(
    standin: NominatimStandin, store: storage.Store
) -> None:
    clock = FakeClock()
    first = geocode_address(make(standin, store, clock), "Huaqiang North", city_centre=(22.543, 114.058))
    again = geocode_address(make(standin, store, clock), "Huaqiang North", city_centre=(22.543, 114.058))

    assert (first.code, first.results[0].source, again.results[0].source) == ("", "nominatim", "cache")
    assert len(standin.search_requests()) == 1


# --- the shared slot ---------------------------------------------------------------------------


def test_slot_spacing_queue_and_refusal(stores: Callable[[], storage.Store]) -> None:
    clock = FakeClock()
    a, b = DbRateLimit(stores(), clock=clock), DbRateLimit(stores(), clock=clock)  # two processes

    waits = [limit.reserve("example.org", min_delay=1.0, max_wait=2.5) for limit in (a, b, a, b, a)]
    assert waits == [0.0, 1.0, 2.0, None, None]
    assert b.reserve("other.example", min_delay=1.0, max_wait=0.0) == 0.0  # per server
    clock.now += 3.0
    assert a.reserve("EXAMPLE.org", min_delay=1.0, max_wait=0.0) == 0.0  # domains are case-blind


def test_a_late_start_moves_the_next_slot_on_by_as_much(stores: Callable[[], storage.Store]) -> None:
    # a thread that wakes late for its slot: the next request, in another process, waits as much
    # longer, so starts stay a second apart (the arrivals the real-time test above measures)
    clock = FakeClock()
    a, b = DbRateLimit(stores(), clock=clock), DbRateLimit(stores(), clock=clock)
    assert a.reserve("example.org", min_delay=1.0, max_wait=5.0) == 0.0
    assert b.reserve("example.org", min_delay=1.0, max_wait=5.0) == pytest.approx(1.0)
    clock.now += 0.3  # a starts 0.3 s after its slot
    assert a.begin("example.org", min_delay=1.0) == 0.0
    clock.now += 0.7  # b wakes on its slot
    assert b.begin("example.org", min_delay=1.0) == pytest.approx(0.3)
    clock.now += 0.3
    assert a.reserve("example.org", min_delay=1.0, max_wait=5.0) == pytest.approx(0.7)  # 2.0 s on
    clock.now += 0.7
    assert a.begin("example.org", min_delay=1.0) == pytest.approx(0.3)  # b started at 1.3


@pytest.mark.parametrize("late", [0.0, 0.25])
def test_the_process_slot_keeps_starts_apart_after_a_late_one(late: float) -> None:
    clock = FakeClock()
    limit = ProcessRateLimit(clock=clock)
    assert limit.reserve("late.example", min_delay=1.0, max_wait=5.0) == 0.0
    first = clock.now
    clock.now += late
    assert limit.begin("late.example", min_delay=1.0) == 0.0
    clock.now = first  # a second thread reserves at the same moment as the first
    assert limit.reserve("late.example", min_delay=1.0, max_wait=5.0) == pytest.approx(1.0)
    clock.now = first + 1.0
    assert limit.begin("late.example", min_delay=1.0) == pytest.approx(late)


def test_hold_off_reaches_other_processes(stores: Callable[[], storage.Store]) -> None:
    clock = FakeClock()
    a, b = DbRateLimit(stores(), clock=clock), DbRateLimit(stores(), clock=clock)
    a.hold_off("example.org", 30.0)
    assert b.reserve("example.org", min_delay=1.0, max_wait=5.0) is None
    clock.now += 25.0
    assert b.reserve("example.org", min_delay=1.0, max_wait=5.0) == pytest.approx(5.0)
    a.hold_off("example.org", 1.0)  # shorter than what is booked: nothing changes
    assert b.reserve("example.org", min_delay=1.0, max_wait=10.0) == pytest.approx(6.0)


def test_a_slot_far_in_the_future_is_ignored(store: storage.Store) -> None:
    # the wall clock stepped back (or the row is damaged): do not lock geocoding out for hours
    clock = FakeClock()
    limit = DbRateLimit(store, clock=clock)
    limit.reserve("example.org", min_delay=1.0, max_wait=0.0)
    clock.now -= 3 * 3600
    assert limit.reserve("example.org", min_delay=1.0, max_wait=0.0) == 0.0
    with store.engine.begin() as conn:
        conn.execute(storage.geocode_cache.update().values(results="garbage"))
    assert limit.reserve("example.org", min_delay=1.0, max_wait=0.0) == 0.0


def test_429_from_one_process_keeps_the_other_away(
    standin: NominatimStandin, stores: Callable[[], storage.Store]
) -> None:
    clock = FakeClock()
    one, two = make(standin, stores(), clock), make(standin, stores(), clock)
    standin.behaviour = "rate_limited"
    assert one.search("Shenzhen Bay Hotel").code == "rate_limited"
    standin.behaviour = "normal"
    assert two.search("Hilton Shenzhen Shekou").code == "rate_limited"  # refused without a request
    assert len(standin.search_requests()) == 1
    clock.now += 30.0
    assert two.search("Hilton Shenzhen Shekou").code == ""


@pytest.mark.realtime  # measures real request spacing: run alone (make test)
def test_at_most_one_request_a_second_across_processes_and_threads(
    standin: NominatimStandin, stores: Callable[[], storage.Store]
) -> None:
    # real time: two "processes" (own store, own slot object), two threads each, one request
    # per thread; the property is asserted on the arrival times the stand-in recorded
    geocoders = [
        Geocoder.for_store(stores(), domain=standin.domain, scheme="http", enabled=True) for _ in range(2)
    ]
    queries = ["Shenzhen Bay Hotel", "Hilton Shenzhen Shekou", "Huaqiang North", "Nowhere at all"]
    codes: list[str] = []
    start = threading.Barrier(len(queries))

    def search(i: int) -> None:
        start.wait()
        codes.append(geocoders[i % 2].search(queries[i]).code)

    threads = [threading.Thread(target=search, args=(i,)) for i in range(len(queries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    arrivals = sorted(r.at for r in standin.search_requests())
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert sorted(codes) == ["", "", "", "not_found"]  # every one got a slot (waits 0-3 s)
    assert len(arrivals) == 4
    assert min(gaps) >= 1.0 - 0.05
