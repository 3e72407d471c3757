"""AppTest of the access facts: the visitor card in both languages, the Chinese district and
address on Explore, and the Curate editor's fields and history (issue 10 section 3, issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from itinerary import accounts as acc
from itinerary import curation as cu
from itinerary import store
from tests.app.conftest import AppFactory
from tests.app.test_curate import PASSWORD, curate, errors, markdown
from tests.app.test_explore import card_text, listed
from tests.unit.test_access_data import set_cells

FACTS = {
    "district_zh": "南山区",
    "address_zh": "南山区恩平街华侨城创意文化园",
    "entrance_steps": "1",
    "entrance_step_height_cm": "4",
    "toilet_wheelchair": "yes",
    "hearing_loop": "no",
    "access_note": "Cobbled lanes; the main hall is level.",
    "access_note_zh": "园区道路为鹅卵石；主展厅无台阶。",
}


@pytest.fixture
def surveyed(mini_dir: Path) -> Path:
    """OCT Loft with some facts and its Chinese district and address (the app seeds them)."""
    set_cells(mini_dir, "oct-loft", FACTS)
    set_cells(mini_dir, "huaqiang-north", {"district_zh": "福田区"})
    set_cells(mini_dir, "ping-an-finance-center", {"district_zh": "福田区"})
    set_cells(mini_dir, "lianhuashan-park", {"district_zh": "福田区"})
    return mini_dir


@pytest.mark.usefixtures("surveyed")
def test_the_card_shows_the_facts_as_icons_with_text_in_english(make_app: AppFactory) -> None:
    at = make_app(landmark="oct-loft")
    assert not at.exception
    text = card_text(at)
    assert ":material/stairs: 1 step, 4 cm" in text
    assert ":material/wc: Accessible toilet" in text
    assert ":material/hearing: No hearing loop" in text
    assert "Not surveyed: lift, parking, tactile guidance, quiet space, seating" in text
    assert "Cobbled lanes; the main hall is level." in text
    assert "District: Nanshan" in text


@pytest.mark.usefixtures("surveyed")
def test_the_card_in_chinese_has_the_chinese_facts_district_and_address(make_app: AppFactory) -> None:
    at = make_app(lang="zh", landmark="oct-loft")
    assert not at.exception
    text = card_text(at)
    assert "1级台阶，高4厘米" in text and "有无障碍卫生间" in text and "无助听环路" in text
    assert "未调查：电梯、停车、盲道导引、安静空间、座椅" in text
    assert "园区道路为鹅卵石；主展厅无台阶。" in text
    assert "南山区" in text and "南山区恩平街华侨城创意文化园" in text
    assert "Nanshan" not in text


@pytest.mark.usefixtures("surveyed")
def test_a_card_without_facts_says_not_surveyed(make_app: AppFactory) -> None:
    at = make_app(landmark="dongmen-night-snacks")
    assert ":material/help: Access not surveyed" in card_text(at)
    at = make_app(lang="zh", landmark="dongmen-night-snacks")
    assert "无障碍信息未调查" in card_text(at)


@pytest.mark.usefixtures("surveyed")
def test_the_chinese_list_and_district_filter_use_the_chinese_district(make_app: AppFactory) -> None:
    at = make_app(lang="zh")
    frames = [df.value for df in at.dataframe if "district" in df.value.columns]
    districts = dict(zip(frames[0]["name"], frames[0]["district"], strict=True))
    assert districts["华侨城创意文化园"] == "南山区" and districts["华强北"] == "福田区"
    assert districts["东门夜宵"] == "Luohu"  # no district_zh: English is the fallback
    picker = at.multiselect(key="explore_districts")
    assert set(picker.options) == {"Luohu", "南山区", "福田区"}  # shown as labels; values stay English
    at = picker.set_value(["Futian"]).run()  # the value stays the English district
    assert set(listed(at)) == {"华强北", "莲花山公园", "平安金融中心"}


@pytest.mark.usefixtures("surveyed")
def test_chinese_search_finds_the_chinese_district(make_app: AppFactory) -> None:
    at = make_app(lang="zh", q="南山区")
    assert listed(at) == ["华侨城创意文化园"]


@pytest.fixture
def db(app_env: Path, sqlite_url: str) -> store.Store:
    database = store.open_store(sqlite_url)
    store.ensure_seeded(database, app_env)
    accounts = acc.AccountStore(database)
    accounts.add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    return database


def test_the_editor_loads_saves_and_refuses_access_facts(make_app: AppFactory, db: store.Store) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("oct-loft").run()
    # not surveyed reads as such: empty choices, empty numbers
    assert at.selectbox(key="lm_f_toilet_wheelchair").value == ""
    assert at.number_input(key="lm_f_entrance_steps").value is None
    labels = {w.label for w in at.selectbox} | {w.label for w in at.number_input}
    assert {"Accessible toilet", "Steps at the entrance", "Door width (cm)", "Hearing loop"} <= labels

    at.number_input(key="lm_f_entrance_steps").set_value(1)
    at.number_input(key="lm_f_entrance_step_height_cm").set_value(4)
    at.selectbox(key="lm_f_toilet_wheelchair").set_value("yes")
    at.selectbox(key="lm_f_hearing_loop").set_value("no")
    at.text_input(key="lm_f_district_zh").set_value("南山区")
    at.text_input(key="lm_f_access_surveyed").set_value("2026-11-30")
    at.text_input(key="lm_f_access_surveyed_by").set_value("eddie")
    at = at.button(key="lm_save").click().run()
    assert not at.exception and not errors(at), markdown(at)
    lm, version = cu.Curator(db).landmark("oct-loft")
    assert (lm.entrance_steps, lm.entrance_step_height_cm, version) == (1, 4, 2)
    assert lm.toilet_wheelchair is True and lm.hearing_loop is False and lm.seating is None
    assert lm.district_zh == "南山区" and lm.access_surveyed == "2026-11-30"
    # the preview card shows them
    assert "1 step, 4 cm" in markdown(at) and "Accessible toilet" in markdown(at)

    # the history names the fields and says "not surveyed", not "no"
    table = next(df.value for df in at.dataframe if "Field" in df.value.columns)
    rows = {r["Field"]: (r["Before"], r["After"]) for _, r in table.iterrows()}
    assert rows["Accessible toilet"] == ("Not surveyed", "Yes")
    assert rows["Hearing loop"] == ("Not surveyed", "No")
    assert rows["Steps at the entrance"] == ("Not surveyed", "1")
    assert rows["District (Chinese)"] == ("Not surveyed", "南山区")

    at.text_input(key="lm_f_access_surveyed").set_value("30/11/2026")
    at = at.button(key="lm_save").click().run()
    assert "Nothing was saved" in errors(at)
    assert "'30/11/2026' is not a date YYYY\\-MM\\-DD" in markdown(at)
    assert cu.Curator(db).landmark("oct-loft")[1] == 2


def test_the_editor_and_its_history_in_chinese(make_app: AppFactory, db: store.Store) -> None:
    curator = cu.Curator(db)
    eddie = acc.AccountStore(db).get("eddie")
    assert eddie is not None
    lm, version = curator.landmark("huaqiang-north")
    from dataclasses import replace

    curator.save_landmark(eddie, replace(lm, lift_all_floors=True, entrance_steps=0), base_version=version)
    at = curate(make_app, "eddie", lang="zh")
    at.selectbox(key="lm_pick").set_value("huaqiang-north").run()
    assert not at.exception
    assert at.selectbox(key="lm_f_lift_all_floors").value == "yes"
    assert at.number_input(key="lm_f_entrance_steps").value == 0
    assert "电梯通达所有公共楼层" in {w.label for w in at.selectbox}
    table = next(df.value for df in at.dataframe if "字段" in df.value.columns)
    rows = {r["字段"]: (r["之前"], r["之后"]) for _, r in table.iterrows()}
    assert rows == {"入口台阶数": ("未调查", "0"), "电梯通达所有公共楼层": ("未调查", "是")}
    assert "入口无台阶" in markdown(at)  # the preview card, in Chinese
