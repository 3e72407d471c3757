"""AppTest of the Explore page: filters, search, URL state, cards, Chinese UI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory
from tests.unit.test_seed import edit_cell

ALL = ["Dongmen Night Snacks", "Huaqiang North", "Lianhuashan Park", "OCT Loft", "Ping An Finance Center"]


def listed(at: AppTest) -> list[str]:
    frames = [df for df in at.dataframe if "name" in df.value.columns]
    return list(frames[0].value["name"]) if frames else []


def plain(markdown: str) -> str:
    """Markdown source without the backslash escapes put in front of data text."""
    return re.sub(r"\\(.)", r"\1", markdown)


def card_text(at: AppTest) -> str:
    return plain(" ".join(m.value for m in at.markdown))


def count_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "landmark" in m.value or "地标" in m.value)


def test_default_view_lists_published_landmarks(make_app: AppFactory) -> None:
    at = make_app()
    assert not at.exception
    assert at.title[0].value == "Explore Shenzhen"
    assert count_line(at) == "**5 landmarks**"
    assert listed(at) == ALL  # the draft museum is not shown


def test_theme_in_url(make_app: AppFactory) -> None:
    at = make_app(theme="food")
    assert listed(at) == ["Dongmen Night Snacks", "OCT Loft"]
    assert count_line(at) == "**2 of 5 landmarks match**"
    assert at.pills(key="explore_themes").value == ["food"]


def test_choosing_themes_changes_the_set_and_the_url(make_app: AppFactory) -> None:
    at = make_app()
    at.pills(key="explore_themes").set_value(["innovation", "nature"]).run()
    assert at.query_params["theme"] == "innovation,nature"
    assert listed(at) == ["Huaqiang North", "Lianhuashan Park", "Ping An Finance Center"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("market", ["Huaqiang North"]),
        ("华强", ["Huaqiang North"]),
        ("deng xiaoping", ["Lianhuashan Park"]),
        ("Nanshan", ["OCT Loft"]),
    ],
)
def test_search_in_english_and_chinese(make_app: AppFactory, query: str, expected: list[str]) -> None:
    at = make_app()
    at.text_input(key="explore_q").set_value(query).run()
    assert at.query_params["q"] == query
    assert listed(at) == expected


def test_more_filters(make_app: AppFactory) -> None:
    at = make_app()
    at.toggle(key="explore_free").set_value(True).run()
    assert listed(at) == ["Huaqiang North", "Lianhuashan Park", "OCT Loft"]
    at.segmented_control(key="explore_wheelchair").set_value("yes").run()
    assert listed(at) == ["Huaqiang North"]
    at.segmented_control(key="explore_wheelchair").set_value("").run()
    at.multiselect(key="explore_districts").set_value(["Nanshan"]).run()
    assert listed(at) == ["OCT Loft"]


def test_open_now_in_the_city_time_zone(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Monday 11:00 in Shenzhen (03:00 UTC): OCT Loft is closed on Mondays, the night market too
    monkeypatch.setenv("CITYPLUS_NOW", "2026-11-23T03:00:00+00:00")
    at = make_app()
    at.toggle(key="explore_open").set_value(True).run()
    assert listed(at) == ["Huaqiang North", "Lianhuashan Park", "Ping An Finance Center"]


def test_empty_result_says_so_and_offers_to_clear(make_app: AppFactory) -> None:
    at = make_app(theme="family", q="nothing-like-this")
    assert listed(at) == []
    assert [i.value for i in at.info] == ["No landmark matches these filters."]
    at.button(key="explore_clear_top").click().run()
    assert "theme" not in at.query_params and "q" not in at.query_params
    assert listed(at) == ALL


def test_bad_url_values_are_ignored_with_a_notice(make_app: AppFactory) -> None:
    at = make_app(theme="ufo,food", landmark="space-needle")  # Space Needle is in Seattle
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert "Unknown theme “ufo” in the link was ignored." in notices
    assert "Landmark “space-needle” is not in this city; the link’s choice was ignored." in notices
    assert at.query_params["theme"] == "food"
    assert "landmark" not in at.query_params
    assert listed(at) == ["Dongmen Night Snacks", "OCT Loft"]


def test_landmark_in_url_opens_its_card(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPLUS_NOW", "2026-11-24T03:00:00+00:00")  # Tuesday 11:00
    at = make_app(landmark="ping-an-finance-center")
    assert [s.value for s in at.subheader] == ["Ping An Finance Center"]
    card = card_text(at)
    assert "Open now · closes 22:00" in card
    assert "Typical visit: 90 min" in card
    assert "Wheelchair accessible" in card
    assert "CNY 180" in card
    assert "平安金融中心" in [c.value for c in at.caption]
    at.button(key="explore_close_card").click().run()
    assert "landmark" not in at.query_params
    assert not at.subheader


def test_chinese_ui_and_content(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPLUS_NOW", "2026-11-23T03:00:00+00:00")  # Monday 11:00
    at = make_app(lang="zh", landmark="oct-loft")
    assert at.title[0].value == "探索深圳"
    assert at.text_input(key="explore_q").label == "搜索"
    assert listed(at) == ["东门夜宵", "华强北", "莲花山公园", "华侨城创意文化园", "平安金融中心"]
    assert [s.value for s in at.subheader] == ["华侨城创意文化园"]
    card = card_text(at)
    assert "现已关闭 · 周二 10:00 开放" in card
    assert "OCT Loft" in [c.value for c in at.caption]


def test_chinese_content_falls_back_to_english(make_app: AppFactory) -> None:
    at = make_app(city="seattle", lang="zh", landmark="pike-place-market")
    assert "Public market since 1907." in card_text(at)


def test_hostile_text_is_escaped_in_markdown(make_app: AppFactory, app_env: Path) -> None:
    edit_cell(app_env, "landmarks.csv", "oct-loft", "name", "**Bold** [link](https://evil.example) <b>x</b>")
    at = make_app(landmark="oct-loft")
    assert not at.exception
    heading = at.subheader[0].value
    assert "\\*\\*Bold\\*\\*" in heading and "\\[link\\]" in heading and "\\<b\\>" in heading
