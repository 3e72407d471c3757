"""AppTest of app.py: start page, city and language pickers, notices, the data error page."""

from __future__ import annotations

from pathlib import Path

from tests.app.conftest import AppFactory
from tests.unit.test_seed import edit_cell


def test_start_page_lists_city_content(make_app: AppFactory) -> None:
    at = make_app()
    assert not at.exception
    assert at.title[0].value == "Explore Shenzhen"
    picker = at.sidebar.selectbox(key="picker_city")
    assert picker.options[0] == "Shenzhen"  # the home city first
    assert picker.options == ["Shenzhen", "Seattle"]
    assert picker.value == "shenzhen"
    assert "**5 landmarks**" in [m.value for m in at.markdown]


def test_city_picker_switches_city_and_url(make_app: AppFactory) -> None:
    at = make_app()
    at.sidebar.selectbox(key="picker_city").set_value("seattle").run()
    assert at.query_params["city"] == "seattle"
    assert at.title[0].value == "Explore Seattle"
    assert "**2 landmarks**" in [m.value for m in at.markdown]


def test_language_switch_to_chinese_and_back(make_app: AppFactory) -> None:
    at = make_app()
    at.sidebar.segmented_control(key="picker_lang").set_value("zh").run()
    assert at.query_params["lang"] == "zh"
    assert at.title[0].value == "探索深圳"
    assert at.sidebar.selectbox(key="picker_city").label == "城市"
    assert at.sidebar.selectbox(key="picker_city").options[0] == "深圳"
    assert "**共 5 个地标**" in [m.value for m in at.markdown]
    at.sidebar.segmented_control(key="picker_lang").set_value("en").run()
    assert "lang" not in at.query_params
    assert at.title[0].value == "Explore Shenzhen"


def test_link_with_city_and_language(make_app: AppFactory) -> None:
    at = make_app(city="seattle", lang="zh")
    assert at.sidebar.selectbox(key="picker_city").value == "seattle"
    assert at.title[0].value == "探索西雅图"


def test_unknown_city_and_language_in_link_are_ignored_with_notice(make_app: AppFactory) -> None:
    at = make_app(city="atlantis", lang="xx")
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert "Unknown language “xx” in the link; showing English." in notices
    assert "Unknown city “atlantis” in the link; showing Shenzhen instead." in notices
    assert at.sidebar.selectbox(key="picker_city").value == "shenzhen"
    assert "city" not in at.query_params and "lang" not in at.query_params


def test_bad_data_file_shows_every_problem_not_a_traceback(make_app: AppFactory, app_env: Path) -> None:
    edit_cell(app_env, "landmarks.csv", "oct-loft", "lat", "222")
    edit_cell(app_env, "landmarks.csv", "space-needle", "wheelchair", "sometimes")
    at = make_app()
    assert not at.exception
    assert at.title[0].value == "The content files have problems"
    report = at.code[0].value
    assert report.splitlines() == [
        "landmarks.csv:5: lat: 222 is out of range (-90 to 90)",
        "landmarks.csv:8: wheelchair: 'sometimes' is not one of yes, limited, no, unknown",
    ]
    assert not at.dataframe  # nothing of the app was rendered


def test_fixing_the_file_recovers_without_restart(make_app: AppFactory, app_env: Path) -> None:
    edit_cell(app_env, "landmarks.csv", "oct-loft", "lat", "222")
    at = make_app()
    assert at.title[0].value == "The content files have problems"
    edit_cell(app_env, "landmarks.csv", "oct-loft", "lat", "22.54020")
    at.run()
    assert at.title[0].value == "Explore Shenzhen"
    assert not at.error
