"""AppTest of /curate's city account section: an editor changes their city's profile and a story,
with a live preview; the history records both; another city's editor sees no such section."""

from __future__ import annotations

from pathlib import Path

import pytest

from itinerary import accounts as acc
from itinerary import curation, store
from itinerary.curation.stories import StoryDesk
from tests.app.conftest import AppFactory
from tests.app.test_curate import PASSWORD, curate
from tests.unit.test_cityaccounts import with_stories


@pytest.fixture
def db(app_env: Path, sqlite_url: str) -> store.Store:
    with_stories(app_env)  # the mini content with two stories
    database = store.open_store(sqlite_url)
    assert store.ensure_seeded(database, app_env) == "seeded"
    accounts = acc.AccountStore(database)
    accounts.add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    accounts.add("sam", PASSWORD, acc.EDITOR, ["seattle"])
    return database


def open_section(make_app: AppFactory, user: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    at = curate(make_app, user, lang=lang)
    at.button_group[0].set_value("stories").run()
    assert not at.exception, at.exception
    return at


def test_an_editor_saves_their_citys_profile_with_history(make_app: AppFactory, db: store.Store) -> None:
    at = open_section(make_app, "eddie")
    at.text_input(key="acct_f_portrait").set_value("City of makers")
    at.text_area(key="acct_f_facts").set_value("17.56 million residents\nSpecial Economic Zone since 1980")
    at.text_area(key="acct_f_fact_sources").set_value("Census 2020")  # one source for two facts
    at = at.button(key="acct_save").click().run()
    assert "2 facts" in " ".join(e.value for e in at.error)
    at.text_area(key="acct_f_fact_sources").set_value("Census 2020\nWikipedia: Shenzhen")
    at = at.button(key="acct_save").click().run()
    assert not at.exception
    assert "Saved." in [s.value for s in at.success]
    city = curation.Curator(db).city("shenzhen")
    assert city.portrait == "City of makers"
    assert city.facts == "17.56 million residents;Special Economic Zone since 1980"
    assert curation.Curator(db).history(curation.CITY, "shenzhen")[0].username == "eddie"


def test_an_editor_edits_a_story_with_a_live_preview_and_saves_it(
    make_app: AppFactory, db: store.Store
) -> None:
    at = open_section(make_app, "eddie")
    assert at.selectbox(key="story_pick").value == "sz-mini"
    assert "The hill" in " ".join(m.value for m in at.markdown)  # the preview of chapter 1
    at.text_input(key="story_f_title").set_value("A renamed story")
    at = at.button(key="story_save").click().run()
    assert not at.exception
    story, chapters, version = StoryDesk(db).story("sz-mini")
    assert story.title == "A renamed story" and len(chapters) == 2 and version == 2
    assert [c.username for c in StoryDesk(db).history("sz-mini")] == ["eddie"]


def test_the_section_in_chinese(make_app: AppFactory, db: store.Store) -> None:
    at = open_section(make_app, "eddie", lang="zh")
    assert "城市简介" in [s.value for s in at.subheader]
    assert at.text_input(key="acct_f_portrait").label == "一句话简介（英文）"


def test_an_editor_of_another_city_edits_only_their_own(make_app: AppFactory, db: store.Store) -> None:
    at = open_section(make_app, "sam")
    assert at.selectbox(key="cur_city").options == ["Seattle"]
    assert at.selectbox(key="story_pick").value == "sea-mini"
