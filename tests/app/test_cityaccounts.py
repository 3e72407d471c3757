"""AppTest of the city accounts' pages: a city's page, a story stepped chapter by chapter, and
the network, in English and Chinese, on the shipped content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from itinerary import seed
from tests.app.conftest import AppFactory
from tests.conftest import DATA

CITY, NETWORK = "pages/city.py", "pages/network.py"
SHIPPED = seed.load_dir(DATA)


@pytest.fixture(autouse=True)
def real_data(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPLUS_DATA_DIR", str(DATA))


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown]


def links(at: AppTest) -> list[str]:
    return [plain(str(el.proto.label)) for el in at.get("page_link")]


def chapters(story_id: str) -> list[seed.Chapter]:
    return sorted((c for c in SHIPPED.chapters if c.story_id == story_id), key=lambda c: c.position)


@pytest.mark.parametrize(
    ("lang", "title", "portrait", "fact", "source", "joined"),
    [
        (
            "en",
            "The Hague",
            "### Imperial City by the Sea, city of peace and justice",
            "About 130 Chinese companies as of 2017",
            "Source: CityPlus: The Hague's city account launched (3 December 2018)",
            "Joined the platform: 3 December 2018. City account 9 of 9.",
        ),
        (
            "zh",
            "海牙",
            "### 海边的皇城，和平与正义之城",
            "截至2017年约有130家中国企业",
            "来源：CityPlus: The Hague's city account launched (3 December 2018)",
            "加入平台：2018年12月3日。第 9 个城市账号（共 9 个）。",
        ),
    ],
)
def test_a_city_page_says_who_the_city_is_and_what_links_it_to_shenzhen(
    make_app: AppFactory, lang: str, title: str, portrait: str, fact: str, source: str, joined: str
) -> None:
    at = make_app(CITY, city="the-hague", lang=lang)
    assert not at.exception
    assert at.title[0].value == title
    shown = texts(at)
    assert portrait in shown
    assert any(s.startswith(f"- {fact}") and s.endswith(f":gray[{source}]") for s in shown), shown
    assert joined in shown
    story = next(s for s in SHIPPED.stories if s.city_id == "the-hague")
    assert any((story.title_zh if lang == "zh" else story.title) in link for link in links(at))
    itinerary = next(i for i in SHIPPED.itineraries if i.id == "the-hague-highlights")
    assert (itinerary.title_zh if lang == "zh" else itinerary.title) in links(at)
    assert "Peace Palace" in links(at) or "和平宫" in links(at)  # a featured landmark


def test_a_story_opens_at_the_chapter_of_the_link_and_steps_by_buttons(make_app: AppFactory) -> None:
    story = chapters("shenzhen-speed")
    at = make_app(CITY, city="shenzhen", story="shenzhen-speed", chapter="2")
    assert not at.exception
    assert at.subheader[0].value == story[1].title
    at.button(key="story_next").click().run()
    assert at.query_params["chapter"] == "3"
    assert at.subheader[0].value == story[2].title
    at.button(key="story_previous").click().run()
    at.button(key="story_previous").click().run()
    assert "chapter" not in at.query_params  # chapter 1 is the story's own link
    assert at.subheader[0].value == story[0].title
    assert at.button(key="story_previous").disabled
    assert any(link.startswith("Follow this story on foot: ") for link in links(at))


def test_a_story_in_chinese(make_app: AppFactory) -> None:
    story = chapters("shenzhen-speed")
    at = make_app(CITY, city="shenzhen", story="shenzhen-speed", lang="zh")
    assert not at.exception
    assert at.subheader[0].value == story[0].title_zh
    assert [b.label for b in at.button if b.key in ("story_previous", "story_next")] == ["上一章", "下一章"]
    assert f"第 1 章，共 {len(story)} 章" in at.get("html")[-1].proto.body or any(
        f"第 1 章，共 {len(story)} 章" in h.proto.body for h in at.get("html")
    )


def test_bad_story_links_fall_back_with_a_notice(make_app: AppFactory) -> None:
    at = make_app(CITY, city="shenzhen", story="shenzhen-speed", chapter="99")
    assert not at.exception
    assert "There is no chapter '99': here is the first." in [plain(w.value) for w in at.warning]
    assert at.subheader[0].value == chapters("shenzhen-speed")[0].title
    at = make_app(CITY, city="seattle", story="shenzhen-speed")
    assert "There is no story 'shenzhen-speed' in Seattle: here is the city's page." in [
        plain(w.value) for w in at.warning
    ]
    assert at.title[0].value == "Seattle"


@pytest.mark.parametrize(
    ("lang", "title", "first"),
    [("en", "The network of city accounts", "1. Shenzhen"), ("zh", "城市账号网络", "1．深圳")],
)
def test_the_network_lists_every_account_in_join_order(
    make_app: AppFactory, lang: str, title: str, first: str
) -> None:
    at = make_app(NETWORK, lang=lang)
    assert not at.exception
    assert at.title[0].value == title
    rows = [link for link in links(at) if re.match(r"^\d[.．]", link)]
    assert len(rows) == len(SHIPPED.cities)
    assert rows[0] == first
    assert len(at.expander) >= 1  # twin themes shared by two cities or more


def test_the_sidebar_and_the_visitor_pages_link_to_the_city_page(make_app: AppFactory) -> None:
    for page in ("pages/explore.py", "pages/itineraries.py", "pages/plan.py"):
        at = make_app(page, city="tsukuba")
        assert not at.exception
        shown = links(at)
        assert "City account" in shown and "City network" in shown  # the sidebar
        assert "About Tsukuba: the city account" in shown, page


def scrolls(at: AppTest) -> list[str]:
    """What the page's scroll scripts bring into view (ui.setup.scroll_into_view)."""
    return re.findall(r'data-what="([^"]*)"', " ".join(str(el.proto.body) for el in at.get("html")))


def test_the_network_brings_the_card_of_a_city_chosen_on_the_map_into_view(make_app: AppFactory) -> None:
    at = make_app(NETWORK, city="seattle")
    assert not at.exception
    assert scrolls(at) == []  # opened on a city: the page stays at its top
    at.session_state["network_picked"] = "seattle"  # what a tap on Seattle's marker sets (_on_click)
    at.run()
    assert scrolls(at) == ["seattle"]
