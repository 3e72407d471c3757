"""AppTest of the kiosk in event mode: a public programme's now and next as one more loop step;
an unlisted programme or another city's gives the ordinary loop."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from itinerary import store
from itinerary.permissions import ADMIN, Account
from itinerary.programmes import editing
from itinerary.programmes.records import Full, Item, Programme, Venue
from tests.app.conftest import AppFactory

HALL = Venue("expo", "hall", "Expo hall", "展厅", 22.5400, 114.0570, "", "", "")


def conference(visibility: str) -> Full:
    day = "2026-12-03"
    return Full(
        Programme(
            "expo",
            "shenzhen",
            "City Expo",
            "城市博览会",
            "",
            "",
            "conference",
            day,
            day,
            "",
            "",
            "walk",
            visibility,
            600,
            "published",
        ),
        (HALL,),
        (
            Item("expo", 1, day, "09:30", "10:00", "meeting", "", "hall", "Opening", "开幕", "", ""),
            Item("expo", 2, day, "10:00", "11:00", "meeting", "", "hall", "Briefing", "发布会", "", ""),
        ),
    )


@pytest.fixture
def db(app_env: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> store.Store:
    monkeypatch.setenv("CITYPLUS_NOW", "2026-12-03T09:40:00+08:00")
    database = store.open_store(sqlite_url)
    store.ensure_seeded(database, app_env)
    return database


def html(at: AppTest) -> str:
    return " ".join(str(m.value) for m in at.markdown)


@pytest.mark.parametrize(("visibility", "shown"), [("public", True), ("unlisted", False)])
def test_the_kiosk_shows_a_public_programmes_now_and_next(
    make_app: AppFactory, db: store.Store, visibility: str, shown: bool
) -> None:
    editing.save(db, Account("ada", ADMIN), conference(visibility), base_version=None)
    at = make_app("pages/kiosk.py", city="shenzhen", programme="expo")
    assert not at.exception, at.exception
    page = html(at)
    assert ("data-kiosk-event='expo'" in page) is shown
    if shown:
        assert "data-kiosk-now='1'" in page and "Opening" in page
        assert "data-kiosk-next='2'" in page and "Briefing" in page
    else:
        assert "Briefing" not in page and "data-kiosk-step=" in page
    seattle = make_app("pages/kiosk.py", city="seattle", programme="expo")
    assert "data-kiosk-event" not in html(seattle)


def test_a_public_programme_is_listed_as_an_upcoming_event_and_an_unlisted_one_is_not(
    make_app: AppFactory, db: store.Store
) -> None:
    admin = Account("ada", ADMIN)
    editing.save(db, admin, conference("public"), base_version=None)
    hidden = conference("unlisted")
    hidden = Full(
        replace(hidden.programme, id="hidden", title="Hidden visit"),
        (replace(HALL, programme_id="hidden"),),
        tuple(replace(i, programme_id="hidden") for i in hidden.items),
    )
    editing.save(db, admin, hidden, base_version=None)
    at = make_app("pages/itineraries.py", city="shenzhen")
    assert not at.exception, at.exception
    links = [(p.proto.label, p.proto.query_string) for p in at.get("page_link")]
    assert any("City Expo" in label and "programme=expo" in query for label, query in links), links
    assert not any("Hidden visit" in label for label, _ in links)
    assert "Hidden visit" not in " ".join(str(m.value) for m in at.markdown)
