"""AppTest of the kiosk: no sidebar widgets, the loop's card, a touch, and the QR hand-off."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory
from tests.conftest import DATA
from tests.unit.test_seed import edit_cell
from ui.kiosk import RELOAD_HTML, WATCHDOG_HTML

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


def style_sheet(at: AppTest) -> str:
    """The kiosk's own style sheet (the first rule sets the root size of its text step)."""
    return next(h.proto.body for h in at.get("html") if "--cp-map:" in h.proto.body).removeprefix("<style>")


def test_text_size_and_high_contrast_switch_the_style_sheet(make_app: AppFactory) -> None:
    at = make_app(PAGE)
    css = style_sheet(at)
    assert css.startswith("html { font-size: 28px;") and "#ffd400" not in css
    assert at.button(key="kiosk_text_standard").proto.type == "primary"
    at.button(key="kiosk_text_large").click().run()
    assert style_sheet(at).startswith("html { font-size: 34px;")
    assert at.button(key="kiosk_text_large").proto.type == "primary"
    assert at.button(key="kiosk_text_standard").proto.type == "secondary"
    at.button(key="kiosk_contrast_on").click().run()
    css = style_sheet(at)
    assert "background: #000 !important" in css and "#ffd400" in css
    assert at.button(key="kiosk_contrast_on").label == "✓ High contrast"
    at.button(key="kiosk_contrast_on").click().run()  # the same button turns it off
    assert "#ffd400" not in style_sheet(at) and at.button(key="kiosk_contrast_on").label == "High contrast"
    assert not at.exception


def test_the_settings_in_chinese(make_app: AppFactory) -> None:
    at = make_app(PAGE, lang="zh")
    labels = [
        at.button(key=k).label for k in ("kiosk_text_standard", "kiosk_text_large", "kiosk_contrast_on")
    ]
    assert labels == ["标准字号", "大字号", "高对比度"]


def idle(at: AppTest) -> AppTest:
    """As if nobody had touched the kiosk for longer than its idle time, then the next loop run."""
    at.session_state["kiosk"]["touched"] = -1e9
    return at.run()


def test_the_idle_reset_clears_route_text_contrast_and_language(make_app: AppFactory) -> None:
    at = make_app(PAGE, lang="zh")  # the kiosk was opened in Chinese: its own language
    at.button(key="kiosk_lang_en").click().run()
    assert "lang" not in at.query_params and "Discover Shenzhen" in " ".join(m.value for m in at.markdown)
    at.button(key="kiosk_text_large").click().run()
    at.button(key="kiosk_contrast_on").click().run()
    at.button(key="kiosk_route_shenzhen-mini").click().run()
    assert "data-kiosk-itinerary='shenzhen-mini'" in " ".join(m.value for m in at.markdown)
    at.run()  # touched a moment ago: nothing is reset
    assert "data-kiosk-itinerary=" in " ".join(m.value for m in at.markdown)

    idle(at)
    assert not at.exception
    html = " ".join(m.value for m in at.markdown)
    assert "data-kiosk-itinerary=" not in html and "data-kiosk-step=" in html  # back to the loop
    assert at.query_params["lang"] == "zh" and "发现深圳" in html  # its own language
    css = style_sheet(at)
    assert css.startswith("html { font-size: 28px;") and "#ffd400" not in css
    assert at.button(key="kiosk_text_standard").proto.type == "primary"
    assert at.session_state["kiosk"]["home"] == "zh"


def test_the_idle_reset_keeps_the_loops_place(make_app: AppFactory) -> None:
    at = make_app(PAGE)
    at.run()  # the loop advanced to its second stop
    at.button(key="kiosk_text_large").click().run()  # a run: third stop
    idle(at)
    html = " ".join(m.value for m in at.markdown)
    # 3 stops, then the network (issue 11): on from the third stop to the network, not restarted
    assert "data-kiosk-step='3'" in html and "data-kiosk-network=" in html
    assert style_sheet(at).startswith("html { font-size: 28px;")


def reloads(at: AppTest) -> bool:
    return any(h.proto.body == RELOAD_HTML for h in at.get("html"))


def test_an_unused_kiosk_reloads_at_the_start_of_its_loop(make_app: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CITYPLUS_KIOSK_RELOAD", "3")
    at = make_app(PAGE)  # the mini tour's 3 stops and the network: steps 0, 1, 2, 3, 0, ...
    seen = []
    for _ in range(7):
        seen.append(
            (re.search(r"data-kiosk-step='(\d)'", " ".join(m.value for m in at.markdown))[1], reloads(at))
        )  # type: ignore[index]
        at.run()
    # 3 advances shown by the third stop; the reload waits for the loop's start (a new page
    # begins there), then the count starts again
    assert seen == [
        ("0", False),
        ("1", False),
        ("2", False),
        ("3", False),
        ("0", True),
        ("1", False),
        ("2", False),
    ]


def test_a_kiosk_in_use_does_not_reload(make_app: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CITYPLUS_KIOSK_RELOAD", "1")
    at = make_app(PAGE, lang="zh")
    at.button(key="kiosk_lang_en").click().run()  # touched just now, and not in its own language
    for _ in range(4):
        assert not reloads(at)
        at.run()
    at.session_state["kiosk"]["touched"] = -1e9  # left alone: the idle reset first, in Chinese
    for _ in range(4):
        at.run()
        if reloads(at):
            break
    assert reloads(at) and at.query_params["lang"] == "zh"


def test_the_kiosk_watches_its_connection(make_app: AppFactory) -> None:
    at = make_app(PAGE)
    assert sum(h.proto.body == WATCHDOG_HTML for h in at.get("html")) == 1
