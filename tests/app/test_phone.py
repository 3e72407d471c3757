"""AppTest of the phone flow's page logic: "Add to my route" on Explore's card, the plan the
session keeps for the sidebar's link, the pickers on the page, the map frame's title."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory
from ui.setup import script_value


def links(at: AppTest) -> dict[str, tuple[str, dict[str, str]]]:
    """The page links of a run by label: (page, query parameters)."""
    out = {}
    for element in at.get("page_link"):
        proto = element.proto
        out[proto.label] = (proto.page, {k: v[0] for k, v in parse_qs(proto.query_string).items()})
    return out


def open_page(at: AppTest, page: str, **query: str) -> AppTest:
    """Go to ``page`` in the same session (as a link does) with exactly ``query`` in the URL."""
    at.switch_page(page)
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_the_card_links_to_plan_with_the_landmark_added(make_app: AppFactory) -> None:
    at = make_app(landmark="oct-loft")
    assert not at.exception
    assert links(at)["Add to my route"] == ("plan", {"city": "shenzhen", "stops": "oct-loft"})
    at = open_page(at, "pages/explore.py")  # no card, no link
    assert "Add to my route" not in links(at)


def test_the_link_adds_to_the_plan_of_the_session_and_keeps_its_settings(make_app: AppFactory) -> None:
    at = make_app()
    at = open_page(
        at, "pages/plan.py", stops="huaqiang-north,ping-an-finance-center", mode="walk", start="10:30"
    )
    assert at.title[0].value == "Plan my route in Shenzhen"
    at = open_page(at, "pages/explore.py", landmark="oct-loft")
    page, query = links(at)["Add to my route"]
    assert page == "plan"
    assert query == {
        "city": "shenzhen",
        "stops": "huaqiang-north,ping-an-finance-center,oct-loft",
        "mode": "walk",
        "start": "10:30",
    }
    # followed, the link opens Plan with the three stops
    at = open_page(at, "pages/plan.py", **query)
    assert not at.exception
    assert at.query_params["stops"] == "huaqiang-north,ping-an-finance-center,oct-loft"
    assert "**Your stops (3)**" in [m.value for m in at.markdown]


def test_a_landmark_already_planned_is_not_added_twice(make_app: AppFactory) -> None:
    at = make_app()
    at = open_page(at, "pages/plan.py", stops="oct-loft,huaqiang-north", lang="zh")
    at = open_page(at, "pages/explore.py", landmark="oct-loft", lang="zh")
    label = "已在我的路线中：打开规划"
    assert links(at)[label] == (
        "plan",
        {"city": "shenzhen", "stops": "oct-loft,huaqiang-north", "lang": "zh"},
    )


def test_the_plan_is_kept_per_city_and_only_for_the_plan_link(make_app: AppFactory) -> None:
    at = make_app()
    at = open_page(at, "pages/plan.py", stops="oct-loft")
    at = open_page(at, "pages/itineraries.py")
    nav = links(at)
    assert nav["Plan my route"] == ("plan", {"city": "shenzhen", "stops": "oct-loft"})
    assert nav["Explore"][1] == {} and nav["Itineraries"][1] == {}  # city and language only
    # another city has no plan yet; Shenzhen's stays for when the visitor comes back
    at = open_page(at, "pages/itineraries.py", city="seattle")
    assert links(at)["Plan my route"] == ("plan", {"city": "seattle"})
    at = open_page(at, "pages/explore.py", city="seattle", landmark="space-needle")
    assert links(at)["Add to my route"][1] == {"city": "seattle", "stops": "space-needle"}
    at = open_page(at, "pages/explore.py")
    assert links(at)["Plan my route"] == ("plan", {"city": "shenzhen", "stops": "oct-loft"})


def test_a_plan_link_with_unknown_stops_is_kept_checked(make_app: AppFactory) -> None:
    at = make_app()
    at = open_page(at, "pages/plan.py", stops="oct-loft,atlantis", date="2026-02-30")
    at = open_page(at, "pages/explore.py", landmark="huaqiang-north")
    assert links(at)["Add to my route"][1] == {"city": "shenzhen", "stops": "oct-loft,huaqiang-north"}


def test_the_pickers_on_the_page_switch_city_and_language(make_app: AppFactory) -> None:
    at = make_app()
    assert at.selectbox(key="page_city").value == "shenzhen"
    assert at.selectbox(key="page_city").label == "City"  # its name, though the label is hidden
    at.selectbox(key="page_city").set_value("seattle").run()
    assert at.query_params["city"] == "seattle"
    assert at.title[0].value == "Explore Seattle"
    assert at.sidebar.selectbox(key="picker_city").value == "seattle"  # both follow the URL
    at.segmented_control(key="page_lang").set_value("zh").run()
    assert at.query_params["lang"] == "zh" and at.query_params["city"] == "seattle"
    assert at.title[0].value == "探索西雅图"
    assert at.selectbox(key="page_city").label == "城市"
    at.segmented_control(key="page_lang").set_value("en").run()
    assert "lang" not in at.query_params


def test_the_kiosk_has_no_pickers_on_the_page(make_app: AppFactory) -> None:
    at = make_app("pages/kiosk.py")
    assert not at.exception
    assert [s.key for s in at.selectbox if s.key in ("page_city", "picker_city")] == []


def test_the_map_frame_title_is_in_the_page_language(make_app: AppFactory) -> None:
    at = make_app()
    assert any(
        f"window.__cpMapTitle = {script_value('Map of Shenzhen: Explore')};" in h.proto.body
        for h in at.get("html")
    )
    at = make_app("pages/plan.py", city="seattle", lang="zh")
    title = script_value("西雅图地图：规划我的路线")
    assert any(f"window.__cpMapTitle = {title};" in h.proto.body for h in at.get("html"))


def test_a_value_in_a_script_cannot_end_it() -> None:
    assert script_value("</script><b>&") == '"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"'
    assert json.loads(script_value("</script> 西雅图")) == "</script> 西雅图"
