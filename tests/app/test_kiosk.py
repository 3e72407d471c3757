"""AppTest of the kiosk: no sidebar widgets, the loop's card, a touch, and the QR hand-off."""

from __future__ import annotations

from tests.app.conftest import AppFactory

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
