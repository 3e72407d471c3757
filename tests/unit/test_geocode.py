"""Geocoding against a real local HTTP stand-in of Nominatim: geopy does real requests.

Time is faked where possible (``FakeClock``: the rate limiter asks it the time and asks it to
sleep); one test checks the limiter in real time, and the timeout test waits 0.5 s for real.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from itinerary import geocode, seed
from itinerary.geocode import (
    MESSAGE_CODES,
    GeocodeOutcome,
    Geocoder,
    MemoryCache,
    bbox_around,
    geocode_address,
    match_landmarks,
    parse_coordinates,
)
from itinerary.routing import EARTH_RADIUS_KM
from tests.conftest import DATA
from tests.nominatim_standin import NominatimStandin

BBOX = (22.39, 113.75, 22.87, 114.65)  # Shenzhen: south, west, north, east


class FakeClock:
    """A clock that only moves when asked to sleep (or ``advance``); records every sleep."""

    def __init__(self, *, advance_on_sleep: bool = True) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.advance_on_sleep = advance_on_sleep

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.advance_on_sleep:
            self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "CITYPLUS_GEOCODER",
        "CITYPLUS_NOMINATIM_DOMAIN",
        "CITYPLUS_NOMINATIM_SCHEME",
        "CITYPLUS_CONTACT",
        "CITYPLUS_PUBLIC_URL",
        "CITYPLUS_GEOCODER_USER_AGENT",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def standin() -> Iterator[NominatimStandin]:
    with NominatimStandin() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def landmarks() -> pd.DataFrame:
    """Shenzhen's real landmarks, in the columns ``search`` uses."""
    dataset = seed.load_dir(DATA)
    rows = [dataclasses.asdict(lm) for lm in dataset.landmarks if lm.city_id == "shenzhen"]
    return pd.DataFrame(rows)[["id", "name", "name_zh", "lat", "lon"]]


def make(server: NominatimStandin, clock: FakeClock, **options: Any) -> Geocoder:
    options.setdefault("enabled", True)
    return Geocoder(domain=server.domain, scheme="http", clock=clock, sleep=clock.sleep, **options)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- success -----------------------------------------------------------------------------------


def test_success_parses_label_and_coordinates(standin: NominatimStandin, clock: FakeClock) -> None:
    outcome = make(standin, clock).search("Hilton Shenzhen Shekou")

    assert outcome.code == "" and outcome.ok and not outcome.used_fallback
    assert [(r.label.split(",")[0], r.lat, r.lon, r.source) for r in outcome.results] == [
        ("Hilton Shenzhen Shekou Nanhai", 22.4818, 113.9118, "nominatim"),
        ("Hilton Garden Inn Shenzhen Shekou", 22.4869, 113.9201, "nominatim"),
    ]
    assert outcome.results[0].label.endswith("Nanshan District, Shenzhen, China")
    assert all(isinstance(r.lat, float) and r.landmark_id is None for r in outcome.results)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "CityPlus-Explorer/0.1"),
        ({"CITYPLUS_CONTACT": "events@cityplus.example"}, "CityPlus-Explorer/0.1 (+events@cityplus.example)"),
        (
            {"CITYPLUS_PUBLIC_URL": "https://explore.example.org"},
            "CityPlus-Explorer/0.1 (+https://explore.example.org)",
        ),
    ],
)
def test_user_agent_sent_is_ours(
    standin: NominatimStandin,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    expected: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    make(standin, clock).search("Shenzhen Bay Hotel")

    [request] = standin.search_requests()
    assert request.user_agent == expected
    assert "geopy" not in request.user_agent


@pytest.mark.parametrize("agent", ["geopy/2.5.0", "my-application", "my_app/1"])
def test_geopy_default_or_sample_user_agent_is_refused(agent: str) -> None:
    with pytest.raises(ValueError, match="User-Agent"):
        Geocoder(user_agent=agent, enabled=True)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, {"q": "Shenzhen Bay Hotel", "format": "json", "limit": "5", "accept-language": "en"}),
        (
            {"city_bbox": BBOX, "language": "zh", "limit": 3, "country_codes": "cn"},
            {
                "q": "Shenzhen Bay Hotel",
                "format": "json",
                "limit": "3",
                "accept-language": "zh",
                "viewbox": "113.75,22.39,114.65,22.87",  # lon,lat,lon,lat as Nominatim wants
                "bounded": "1",
                "countrycodes": "cn",
            },
        ),
    ],
)
def test_request_parameters(
    standin: NominatimStandin, clock: FakeClock, options: dict[str, Any], expected: dict[str, str]
) -> None:
    make(standin, clock).search("  Shenzhen   Bay Hotel ", **options)

    [request] = standin.search_requests()
    assert request.path == "/search"
    assert dict(request.params) == expected


# --- cache -------------------------------------------------------------------------------------


def test_cache_hit_makes_no_second_request(standin: NominatimStandin, clock: FakeClock) -> None:
    geocoder = make(standin, clock)
    first = geocoder.search("Shenzhen Bay Hotel", city_bbox=BBOX)
    again = geocoder.search("ＳＨＥＮＺＨＥＮ bay  hotel", city_bbox=BBOX)  # same after NFKC, case, spaces

    assert len(standin.search_requests()) == 1
    assert [r.source for r in first.results] == ["nominatim"]
    assert [r.source for r in again.results] == ["cache"]
    assert (again.results[0].lat, again.results[0].lon) == (first.results[0].lat, first.results[0].lon)
    assert again.code == ""


@pytest.mark.parametrize(
    "other",
    [{"city_bbox": None}, {"language": "zh"}, {"country_codes": "cn"}, {"limit": 1}],
)
def test_cache_key_includes_what_changes_the_answer(
    standin: NominatimStandin, clock: FakeClock, other: dict[str, Any]
) -> None:
    geocoder = make(standin, clock)
    options: dict[str, Any] = {"city_bbox": BBOX} | other
    geocoder.search("Shenzhen Bay Hotel", city_bbox=BBOX)
    geocoder.search("Shenzhen Bay Hotel", **options)

    assert len(standin.search_requests()) == 2


def test_cached_answers_expire(standin: NominatimStandin, clock: FakeClock) -> None:
    geocoder = make(standin, clock, cache=MemoryCache(clock=clock), cache_ttl_seconds=60)
    geocoder.search("Shenzhen Bay Hotel")
    clock.advance(59)
    assert geocoder.search("Shenzhen Bay Hotel").results[0].source == "cache"
    clock.advance(2)
    assert geocoder.search("Shenzhen Bay Hotel").results[0].source == "nominatim"
    assert len(standin.search_requests()) == 2


# --- failures: a code, the landmark fallback, one request, nothing cached ----------------------


@pytest.mark.parametrize(
    ("server", "code"),
    [
        ({"behaviour": "failing", "failing_status": 500}, "service_error"),
        ({"behaviour": "failing", "failing_status": 503}, "service_error"),  # geopy says GeocoderTimedOut
        ({"behaviour": "failing", "failing_status": 403}, "service_error"),
        ({"behaviour": "rate_limited"}, "rate_limited"),
        ({"behaviour": "rate_limited", "retry_after": "2"}, "rate_limited"),  # no silent sleep-and-retry
        ({"behaviour": "empty"}, "not_found"),
        ({"behaviour": "malformed"}, "service_error"),
        ({"places": {"huaqiang": {"error": "Nominatim error"}}}, "service_error"),
        ({"places": {"huaqiang": [{"place_id": 1, "display_name": "no coordinates"}]}}, "service_error"),
        ({"behaviour": "slow"}, "timeout"),
    ],
)
def test_failures_return_a_code_and_the_landmark_fallback(
    clock: FakeClock, landmarks: pd.DataFrame, server: dict[str, Any], code: str
) -> None:
    cache = MemoryCache()
    with NominatimStandin(**server) as standin:
        geocoder = make(standin, clock, timeout=0.5, cache=cache)
        outcome = geocoder.search("Huaqiang", landmarks=landmarks, city_bbox=BBOX)
        requests = len(standin.search_requests())

    assert outcome.code == code and outcome.used_fallback and not outcome.ok
    assert [r.landmark_id for r in outcome.results] == ["huaqiang-north"]
    assert outcome.results[0].source == "landmark"
    # one request and no retry: a slow server costs one timeout, never a hang (geopy's adapter
    # would retry a slow server and a 429 with Retry-After)
    assert requests == 1
    assert len(cache) == 0


def test_server_not_running_is_offline(clock: FakeClock, landmarks: pd.DataFrame) -> None:
    geocoder = Geocoder(
        domain=f"127.0.0.1:{closed_port()}", scheme="http", clock=clock, sleep=clock.sleep, enabled=True
    )
    outcome = geocoder.search("华强北", landmarks=landmarks)

    assert (outcome.code, outcome.used_fallback) == ("offline", True)
    assert [r.landmark_id for r in outcome.results] == ["huaqiang-north"]
    assert clock.sleeps == []  # no wait for a slot (no retries: see the stand-in tests above)


@pytest.mark.parametrize(("retry_after", "quiet_seconds"), [(None, 30.0), ("120", 120.0)])
def test_after_429_the_server_is_left_alone(
    clock: FakeClock, retry_after: str | None, quiet_seconds: float
) -> None:
    with NominatimStandin(behaviour="rate_limited", retry_after=retry_after) as standin:
        geocoder = make(standin, clock)
        assert geocoder.search("Shenzhen Bay Hotel").code == "rate_limited"
        standin.behaviour = "normal"
        clock.advance(quiet_seconds - 5)  # 5 s to go: more than a search may wait (timeout 5 s)
        assert geocoder.search("Hilton Shenzhen Shekou").code == "rate_limited"  # refused at once
        assert len(standin.search_requests()) == 1 and clock.sleeps == []
        clock.advance(5)
        assert geocoder.search("Hilton Shenzhen Shekou").code == ""
        assert len(standin.search_requests()) == 2


# --- switched off ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false"])
def test_disabled_by_env_makes_no_request(
    standin: NominatimStandin, monkeypatch: pytest.MonkeyPatch, landmarks: pd.DataFrame, value: str
) -> None:
    monkeypatch.setenv("CITYPLUS_GEOCODER", value)
    geocoder = Geocoder(domain=standin.domain, scheme="http")

    outcome = geocoder.search("Huaqiang North", landmarks=landmarks)
    typed = geocoder.search("22.5431, 114.0579")

    assert standin.requests == []
    assert (outcome.code, outcome.used_fallback) == ("offline", True)
    assert [r.landmark_id for r in outcome.results] == ["huaqiang-north"]
    assert (typed.code, typed.results[0].source) == ("", "coordinates")


def test_server_and_scheme_from_env(standin: NominatimStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPLUS_NOMINATIM_DOMAIN", standin.domain)
    monkeypatch.setenv("CITYPLUS_NOMINATIM_SCHEME", "http")
    geocoder = Geocoder(clock=FakeClock())

    assert (geocoder.domain, geocoder.scheme, geocoder.enabled) == (standin.domain, "http", True)
    assert geocoder.search("Shenzhen Bay Hotel").code == ""
    assert len(standin.search_requests()) == 1


def test_defaults_are_the_public_server_over_https() -> None:
    geocoder = Geocoder(enabled=False)
    assert (geocoder.domain, geocoder.scheme, geocoder.timeout) == (
        "nominatim.openstreetmap.org",
        "https",
        5.0,
    )


def test_a_url_as_domain_is_understood(standin: NominatimStandin, clock: FakeClock) -> None:
    geocoder = Geocoder(domain=f"http://{standin.domain}/", clock=clock, sleep=clock.sleep, enabled=True)
    assert (geocoder.domain, geocoder.scheme) == (standin.domain, "http")
    assert geocoder.search("Shenzhen Bay Hotel").code == ""


# --- typed coordinates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("22.5431, 114.0579", 22.5431, 114.0579),
        ("22.5431,114.0579", 22.5431, 114.0579),
        ("22.5431 114.0579", 22.5431, 114.0579),
        ("22.5431; 114.0579", 22.5431, 114.0579),
        ("-33.9249, 18.4241", -33.9249, 18.4241),
        ("22.5431N 114.0579E", 22.5431, 114.0579),
        ("22.5431° N, 114.0579° E", 22.5431, 114.0579),
        ("N 22.5431, E 114.0579", 22.5431, 114.0579),
        ("114.0579E 22.5431N", 22.5431, 114.0579),  # longitude first, letters say so
        ("33.9249 S, 18.4241 E", -33.9249, 18.4241),
        ("47.6062N 122.3321W", 47.6062, -122.3321),
        ("22°32'35\"N 114°03'28\"E", 22 + 32 / 60 + 35 / 3600, 114 + 3 / 60 + 28 / 3600),
        ("22°32′35″N 114°03′28″E", 22 + 32 / 60 + 35 / 3600, 114 + 3 / 60 + 28 / 3600),
        ("２２．５４３１，１１４．０５７９", 22.5431, 114.0579),  # full-width, as a Chinese IME types
        ("北纬22.5431 东经114.0579", 22.5431, 114.0579),
        ("90.0, 180.0", 90.0, 180.0),
        ("-90 °, -180 °", -90.0, -180.0),
    ],
)
def test_typed_coordinates_are_answered_locally(
    standin: NominatimStandin, clock: FakeClock, text: str, lat: float, lon: float
) -> None:
    outcome = make(standin, clock).search(text)

    [result] = outcome.results
    assert result.lat == pytest.approx(lat) and result.lon == pytest.approx(lon)
    assert (result.source, outcome.code, outcome.used_fallback) == ("coordinates", "", False)
    assert result.label == f"{lat:.5f}, {lon:.5f}"
    assert standin.requests == []


@pytest.mark.parametrize(
    "text",
    [
        "95, 114.0579",  # latitude out of range
        "22.5431, 190",  # longitude out of range
        "-22.5 S, 114 E",  # a sign and a letter
        "22.5N 114.0N",  # both latitudes
        "22.5N S 114",  # two letters on one
        "22°75'N 114°03'E",  # 75 minutes
    ],
)
def test_invalid_coordinates_are_not_found_without_a_request(
    standin: NominatimStandin, clock: FakeClock, text: str
) -> None:
    with pytest.raises(ValueError):
        parse_coordinates(text)
    outcome = make(standin, clock).search(text)

    assert outcome == GeocodeOutcome((), "not_found", used_fallback=True)
    assert standin.requests == []


@pytest.mark.parametrize(
    "text", ["Shenzhen Bay Hotel", "华强北", "518000", "Pier 66", "22.5431", "7 11", "1 2", ""]
)
def test_other_text_is_not_coordinates(text: str) -> None:
    assert parse_coordinates(text) is None


# --- landmarks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "language", "first_id", "label"),
    [
        ("华强北", "zh", "huaqiang-north", "华强北"),
        ("华强北", "en", "huaqiang-north", "Huaqiang North"),
        ("huaqiang NORTH", "en", "huaqiang-north", "Huaqiang North"),
        ("ＨＵＡＱＩＡＮＧ", "en", "huaqiang-north", "Huaqiang North"),  # full-width
        ("平安金融", "zh", "ping-an-finance-center", "平安金融中心（云际观光层）"),
    ],
)
def test_landmarks_match_in_english_and_chinese(
    standin: NominatimStandin,
    clock: FakeClock,
    landmarks: pd.DataFrame,
    query: str,
    language: str,
    first_id: str,
    label: str,
) -> None:
    outcome = make(standin, clock).search(query, landmarks=landmarks, language=language)

    first = outcome.results[0]
    assert (first.landmark_id, first.label, first.source) == (first_id, label, "landmark")
    row = landmarks.set_index("id").loc[first_id]
    assert (first.lat, first.lon) == (row["lat"], row["lon"])


def test_landmarks_come_before_server_results(
    standin: NominatimStandin, clock: FakeClock, landmarks: pd.DataFrame
) -> None:
    outcome = make(standin, clock).search("Huaqiang North", landmarks=landmarks)

    assert [r.source for r in outcome.results] == ["landmark", "nominatim"]
    assert (outcome.code, outcome.used_fallback) == ("", False)


@pytest.mark.parametrize("frame", [None, pd.DataFrame(columns=["id", "name", "name_zh", "lat", "lon"])])
def test_no_landmarks_no_matches(frame: pd.DataFrame | None) -> None:
    assert match_landmarks(frame, "华强北") == ()


def test_blank_query_is_an_empty_outcome(standin: NominatimStandin, clock: FakeClock) -> None:
    assert make(standin, clock).search("   ") == GeocodeOutcome()
    assert standin.requests == []


# --- rate limit --------------------------------------------------------------------------------


def test_second_search_waits_one_second(standin: NominatimStandin, clock: FakeClock) -> None:
    geocoder = make(standin, clock)
    geocoder.search("Shenzhen Bay Hotel")
    geocoder.search("Hilton Shenzhen Shekou")

    assert clock.sleeps == [pytest.approx(1.0)]
    assert len(standin.search_requests()) == 2


def test_limit_is_shared_by_instances_for_the_same_server(
    standin: NominatimStandin, clock: FakeClock
) -> None:
    make(standin, clock).search("Shenzhen Bay Hotel")
    make(standin, clock).search("Hilton Shenzhen Shekou")
    # the same server under another name is another domain: not limited by the first
    Geocoder(
        domain=f"localhost:{standin.port}", scheme="http", clock=clock, sleep=clock.sleep, enabled=True
    ).search("Huaqiang North")

    assert clock.sleeps == [pytest.approx(1.0)]
    assert len(standin.search_requests()) == 3


def test_a_queue_longer_than_the_timeout_is_refused_not_waited_for(standin: NominatimStandin) -> None:
    # The clock does not move while "sleeping": like sessions that each reserved the next slot.
    clock = FakeClock(advance_on_sleep=False)
    geocoder = make(standin, clock, timeout=5.0)
    codes = [geocoder.search(q).code for q in ("Shenzhen Bay Hotel", "a", "b", "c", "d", "e")]

    assert codes == ["", "not_found", "not_found", "not_found", "not_found", "rate_limited"]
    assert clock.sleeps == [pytest.approx(s) for s in (1.0, 2.0, 3.0, 4.0)]
    assert len(standin.search_requests()) == 5


@pytest.mark.realtime  # measures real request spacing: run alone (make test)
def test_rate_limit_in_real_time(standin: NominatimStandin) -> None:
    geocoder = Geocoder(domain=standin.domain, scheme="http", min_delay_seconds=0.3, enabled=True)
    for query in ("Shenzhen Bay Hotel", "Hilton Shenzhen Shekou", "Huaqiang North"):
        assert geocoder.search(query).code == ""

    arrivals = [r.at for r in standin.search_requests()]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(gaps) == 2 and min(gaps) >= 0.28  # the limiter spaces real requests


def test_every_message_code_is_listed() -> None:
    assert MESSAGE_CODES == ("", "offline", "timeout", "rate_limited", "not_found", "service_error")


@pytest.mark.realtime  # measures real request spacing: run alone (make test)
def test_rate_limit_holds_across_threads_in_real_time(standin: NominatimStandin) -> None:
    # Streamlit runs every session as a thread of one process: four sessions, each with its own
    # Geocoder (as if not shared through st.cache_resource), search at once at the real rate
    # (one a second); the gaps are measured where the requests arrive
    geocoders = [Geocoder(domain=standin.domain, scheme="http", enabled=True) for _ in range(4)]
    queries = ["Shenzhen Bay Hotel", "Hilton Shenzhen Shekou", "Huaqiang North", "Nowhere at all"]
    codes: list[str] = []
    start = threading.Barrier(len(queries))

    def search(i: int) -> None:
        start.wait()
        codes.append(geocoders[i].search(queries[i]).code)

    threads = [threading.Thread(target=search, args=(i,)) for i in range(len(queries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    arrivals = sorted(r.at for r in standin.search_requests())
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert sorted(codes) == ["", "", "", "not_found"] and len(arrivals) == 4
    assert min(gaps) >= 1.0 - 0.05


# --- configuration -----------------------------------------------------------------------------


def test_user_agent_from_env_and_constructor(
    standin: NominatimStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYPLUS_GEOCODER_USER_AGENT", "CityPlus-Shenzhen-Events/2.0 (ops@example.org)")
    monkeypatch.setenv("CITYPLUS_CONTACT", "ignored@example.org")
    clock = FakeClock()
    make(standin, clock).search("Shenzhen Bay Hotel")
    make(standin, clock, user_agent="Kiosk-7/1.0").search("Huaqiang North")  # the keyword wins

    assert [r.user_agent for r in standin.search_requests()] == [
        "CityPlus-Shenzhen-Events/2.0 (ops@example.org)",
        "Kiosk-7/1.0",
    ]


def test_a_sample_user_agent_from_env_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPLUS_GEOCODER_USER_AGENT", "my-application")
    with pytest.raises(ValueError, match="User-Agent"):
        Geocoder(enabled=True)


def test_constructor_wins_over_env_for_the_server(
    standin: NominatimStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYPLUS_NOMINATIM_DOMAIN", "nominatim.invalid")
    monkeypatch.setenv("CITYPLUS_NOMINATIM_SCHEME", "https")
    geocoder = Geocoder(domain=standin.domain, scheme="http", enabled=True, clock=FakeClock())
    assert (geocoder.domain, geocoder.scheme) == (standin.domain, "http")


def test_every_environment_variable_is_documented() -> None:
    # every module of the package; it reads its settings through itinerary.settings, one
    # function per variable, and documents them in the package docstring
    package = Path(geocode.__file__).parent
    source = "".join(path.read_text(encoding="utf-8") for path in sorted(package.glob("*.py")))
    names = {
        "nominatim_domain": "CITYPLUS_NOMINATIM_DOMAIN",
        "nominatim_scheme": "CITYPLUS_NOMINATIM_SCHEME",
        "geocoder_user_agent": "CITYPLUS_GEOCODER_USER_AGENT",
        "geocoder_enabled": "CITYPLUS_GEOCODER",
    }
    read = {names.get(fn, fn) for fn in re.findall(r"settings\.(\w+)\(", source)} - {"user_agent"}
    assert read >= {"CITYPLUS_NOMINATIM_DOMAIN", "CITYPLUS_NOMINATIM_SCHEME", "CITYPLUS_GEOCODER_USER_AGENT"}
    assert sorted(name for name in read if name not in (geocode.__doc__ or "")) == []


# --- staff address search ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("server", "code"),
    [
        ({"behaviour": "slow"}, "timeout"),
        ({"behaviour": "failing", "failing_status": 500}, "service_error"),
        ({"behaviour": "failing", "failing_status": 503}, "service_error"),
        ({"behaviour": "rate_limited"}, "rate_limited"),
        ({"behaviour": "empty"}, "not_found"),
        ({"behaviour": "malformed"}, "service_error"),
    ],
)
def test_address_search_failures_are_codes_not_exceptions(server: dict[str, Any], code: str) -> None:
    clock = FakeClock()
    with NominatimStandin(**server) as standin:
        geocoder = make(standin, clock, timeout=0.5)
        outcome = geocode_address(geocoder, "Huaqiang North", city_bbox=BBOX)
        requests = len(standin.search_requests())

    assert outcome == GeocodeOutcome((), code, used_fallback=True)
    assert requests == 1


def test_address_search_offline() -> None:
    geocoder = Geocoder(domain=f"127.0.0.1:{closed_port()}", scheme="http", enabled=True, clock=FakeClock())
    assert geocode_address(geocoder, "Huaqiang North").code == "offline"
    assert geocode_address(Geocoder(enabled=False), "Huaqiang North").code == "offline"


def test_address_search_finds_and_biases_to_the_city(standin: NominatimStandin, clock: FakeClock) -> None:
    outcome = geocode_address(
        make(standin, clock),
        "Huaqiang North",
        city_centre=(22.543, 114.058),
        language="zh",
        country_codes="cn",
    )

    assert outcome.ok and [(r.lat, r.lon, r.source) for r in outcome.results] == [
        (22.5461, 114.0851, "nominatim")
    ]
    [request] = standin.search_requests()
    west, south, east, north = (float(v) for v in request.params["viewbox"].split(","))
    assert south < 22.543 < north and west < 114.058 < east
    # 50 km of latitude on the mean Earth radius (the one box, itinerary.geodesy.bbox_around)
    assert north - south == pytest.approx(2 * math.degrees(50 / EARTH_RADIUS_KM), abs=1e-5)
    assert (request.params["bounded"], request.params["accept-language"], request.params["countrycodes"]) == (
        "1",
        "zh",
        "cn",
    )


def test_address_search_does_not_offer_landmarks(standin: NominatimStandin, clock: FakeClock) -> None:
    standin.behaviour = "empty"
    outcome = geocode_address(make(standin, clock), "Huaqiang North")
    assert outcome.results == () and outcome.code == "not_found"


@pytest.mark.parametrize(
    ("text", "code", "count"),
    [("22.5431, 114.0579", "", 1), ("95.0, 114.0", "not_found", 0), ("", "", 0)],
)
def test_address_search_takes_typed_coordinates_without_a_request(
    standin: NominatimStandin, clock: FakeClock, text: str, code: str, count: int
) -> None:
    outcome = geocode_address(make(standin, clock), text)
    assert (outcome.code, len(outcome.results)) == (code, count)
    assert standin.requests == []


@pytest.mark.parametrize(
    "options",
    [
        {"city_bbox": (23.0, 114.0, 22.0, 113.0)},  # south above north
        {"city_bbox": (22.0, 113.0)},  # too short
        {"city_centre": ("x", 114.0)},
        {"city_centre": (22.5,)},
    ],
)
def test_address_search_ignores_a_malformed_area(
    standin: NominatimStandin, clock: FakeClock, options: dict[str, Any]
) -> None:
    outcome = geocode_address(make(standin, clock), "Huaqiang North", **options)
    assert outcome.ok
    [request] = standin.search_requests()
    assert "viewbox" not in request.params


def test_address_search_never_raises(standin: NominatimStandin, clock: FakeClock) -> None:
    class Broken(Geocoder):
        def search(self, query: str, **options: Any) -> GeocodeOutcome:
            raise RuntimeError("a bug")

    broken = Broken(domain=standin.domain, scheme="http", enabled=True)
    assert geocode_address(broken, "Huaqiang North") == GeocodeOutcome(
        (), "service_error", used_fallback=True
    )


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [(22.543, 114.058, 50.0), (0.0, 0.0, 10.0), (89.9, 179.9, 100.0), (-89.9, -179.9, 100.0)],
)
def test_bbox_around_is_valid_and_contains_the_centre(lat: float, lon: float, radius: float) -> None:
    south, west, north, east = bbox_around(lat, lon, radius_km=radius)
    assert -90 <= south < lat < north <= 90 and -180 <= west < lon < east <= 180
