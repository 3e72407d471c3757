"""AppTest of the kiosk: no sidebar widgets, the loop's card, a touch, and the QR hand-off."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory
from tests.conftest import DATA
from tests.unit.test_seed import edit_cell

PAGE = "pages/kiosk.py"


def test_kiosk_shows_the_loop_without_sidebar_or_links(make_app: AppFactory) -> None:
    at = make_app(PAGE)
    assert not at.exception
    assert len(at.sidebar) == 0  # no pickers, no navigation links
    html = " ".join(m.value for m in at.markdown)
    assert "Discover Shenzhen" in html
    assert "data-kiosk-step='0'" in html and "Stop 1 of 3 · Mini tour" in html
    assert "<a " not in html


def test_touching_a_route_shows_it_with_a_qr_code(make_app: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CITYPLUS_PUBLIC_URL", "https://visit.example.org")
    at = make_app(PAGE)
    at.button(key="kiosk_route_shenzhen-mini").click().run()
    html = " ".join(m.value for m in at.markdown)
    assert "data-kiosk-itinerary='shenzhen-mini'" in html
    assert "Lianhuashan Park" in html
    assert len(at.get("image")) == 1  # the QR code
    at.button(key="kiosk_back").click().run()
    assert "data-kiosk-step=" in " ".join(m.value for m in at.markdown)


def test_kiosk_in_chinese(make_app: AppFactory) -> None:
    at = make_app(PAGE, lang="zh")
    html = " ".join(m.value for m in at.markdown)
    assert "发现深圳" in html and "迷你游" in html


def route_card(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "data-kiosk-itinerary=" in m.value)


def test_the_route_card_shows_each_stops_access_and_note(make_app: AppFactory) -> None:
    at = make_app(PAGE)
    at.button(key="kiosk_route_shenzhen-mini").click().run()
    card = route_card(at)
    stops = re.findall(r"<li class='cp-kiosk-stop'>(.*?)</li>", card)
    assert len(stops) == 3
    assert stops[0].endswith(
        "Lianhuashan Park<span class='cp-kiosk-access'>Partly accessible</span>"
        "<span class='cp-kiosk-note'>Start at the top.</span>"
    )
    assert stops[1].endswith("<span class='cp-kiosk-access'>Wheelchair accessible</span>")  # no note
    assert "Bring cash." in stops[2]


def test_the_route_card_in_chinese(make_app: AppFactory) -> None:
    at = make_app(PAGE, lang="zh")
    at.button(key="kiosk_route_shenzhen-mini").click().run()
    card = route_card(at)
    assert (
        "<span class='cp-kiosk-access'>部分无障碍</span><span class='cp-kiosk-note'>从山顶开始。</span>"
        in card
    )
    assert "带现金。" in card and "Bring cash." not in card


def test_the_must_go_route_card_shows_its_notes(make_app: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CITYPLUS_DATA_DIR", str(DATA))
    at = make_app(PAGE)
    at.button(key="kiosk_route_shenzhen-must-go").click().run()
    card = route_card(at)
    assert card.count("<li class='cp-kiosk-stop'>") == 8
    assert "the restaurant is reached by lift." in card and "use the market lifts" in card
    assert card.count("<span class='cp-kiosk-access'>Partly accessible</span>") == 2


def test_a_note_on_the_kiosk_is_escaped(make_app: AppFactory, app_env: Path) -> None:
    hostile = "<img src=x onerror=alert(1)><a href='https://evil.example'>win</a> {{ 7*7 }}"
    edit_cell(app_env, "itinerary_stops.csv", "shenzhen-mini", "note", hostile, key="itinerary_id")
    at = make_app(PAGE)
    at.button(key="kiosk_route_shenzhen-mini").click().run()
    card = route_card(at)
    assert "<img" not in card and "<a " not in card and "{{" not in card
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;a href=&#x27;https://evil.example&#x27;&gt;" in card
