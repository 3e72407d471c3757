"""AppTest of what makes Chinese pages Chinese: opening hours in words on the card, the
timeline and the kiosk, in both languages, never in OpenStreetMap syntax."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory
from tests.app.test_curate import curate
from tests.app.test_curate import db as db  # the accounts of the signed-in Curate tests (a fixture)

RAW = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\b|\d\d:\d\d-\d")


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def page_text(at: AppTest) -> str:
    return " ".join(plain(m.value) for m in [*at.markdown, *at.caption])


@pytest.mark.parametrize(
    ("lang", "landmark", "line"),
    [
        ("zh", "oct-loft", "开放时间：周二至周日 10:00–18:00，周一闭馆"),
        ("en", "oct-loft", "Opening hours: Tue–Sun 10:00–18:00, closed Mondays"),
        ("zh", "dongmen-night-snacks", "开放时间：每天 18:00–次日 02:00"),
        ("en", "dongmen-night-snacks", "Opening hours: Daily 18:00–02:00 (next day)"),
    ],
)
def test_the_card_shows_hours_in_words(make_app: AppFactory, lang: str, landmark: str, line: str) -> None:
    at = make_app(lang=lang, landmark=landmark)
    assert not at.exception
    text = page_text(at)
    assert line in text
    assert not RAW.search(text), text


def test_the_timeline_shows_each_stops_hours_in_chinese(make_app: AppFactory) -> None:
    at = make_app("pages/itineraries.py", lang="zh", itinerary="shenzhen-mini")
    assert not at.exception
    captions = [plain(c.value) for c in at.caption]
    hours = [line for c in captions for line in c.split("  \n") if "开放时间" in line]
    assert [h.split("开放时间：", 1)[1] for h in hours] == [
        "每天 06:00–23:00",  # Lianhuashan Park
        "每天 09:30–22:00",  # Ping An Finance Center
        "每天 10:00–20:00",  # Huaqiang North
    ]
    assert not RAW.search(" ".join(captions))


def test_the_kiosk_loop_card_shows_the_stops_hours(make_app: AppFactory) -> None:
    at = make_app("pages/kiosk.py", lang="zh")
    card = next(m.value for m in at.markdown if "data-kiosk-step=" in m.value)
    assert "<p class='cp-kiosk-hours'>开放时间：每天 06:00–23:00</p>" in card  # Lianhuashan Park first


@pytest.mark.usefixtures("db")
def test_curates_empty_multiselect_asks_in_chinese(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie", lang="zh")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    themes = next(m for m in at.multiselect if m.label == "主题")
    assert themes.placeholder == "请选择"  # Streamlit's own would be "Choose options"
