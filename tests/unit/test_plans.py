"""Plan URLs: parsing what links carry and building share links that round-trip."""

from __future__ import annotations

from datetime import date, time
from urllib.parse import parse_qs, urlsplit

import pytest

from itinerary import plans


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", []), (None, []), ("a,b,,c", ["a", "b", "c"]), (" a , b ", ["a", "b"])],
)
def test_parse_id_list(raw: str | None, expected: list[str]) -> None:
    assert plans.parse_id_list(raw) == expected


def test_split_known_keeps_order_and_drops_repeats() -> None:
    assert plans.split_known(["c", "x", "a", "c", "y"], {"a", "b", "c"}) == (["c", "a"], ["x", "y"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:05", time(9, 5)),
        ("23:59", time(23, 59)),
        ("24:00", None),
        ("9h", None),
        ("", None),
    ],
)
def test_parse_hhmm(raw: str, expected: time | None) -> None:
    assert plans.parse_hhmm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-12-05", date(2026, 12, 5)), ("2026-02-30", None), ("tomorrow", None), (None, None)],
)
def test_parse_day(raw: str | None, expected: date | None) -> None:
    assert plans.parse_day(raw) == expected


def test_parse_mode() -> None:
    assert [plans.parse_mode(m) for m in ("walk", "transit", "teleport", None)] == [
        "walk",
        "transit",
        None,
        None,
    ]


def test_public_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITYPLUS_PUBLIC_URL", raising=False)
    assert plans.public_base_url("http://localhost:8501/plan?stops=a") == "http://localhost:8501"
    assert plans.public_base_url(None) == "http://localhost:8501"
    monkeypatch.setenv("CITYPLUS_PUBLIC_URL", "https://explore.example.org/cityplus/")
    assert plans.public_base_url("http://localhost:8501/kiosk") == "https://explore.example.org/cityplus"


def test_share_url_round_trip() -> None:
    params = {
        "city": "shenzhen",
        "stops": "oct-loft,huaqiang-north",
        "mode": "transit",
        "start": "09:30",
        "date": "2026-12-05",
        "lang": "zh",
        "empty": "",
    }
    url = plans.share_url("https://x.org/app", "plan", params)
    assert url.startswith("https://x.org/app/plan?city=shenzhen&stops=oct-loft,huaqiang-north&")
    parsed = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert parsed == {k: v for k, v in params.items() if v}
    assert plans.share_url("https://x.org", "/itineraries/", {}) == "https://x.org/itineraries"
