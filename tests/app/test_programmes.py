"""AppTest of programmes (issue 12): staff build a two-day delegation with a private venue in
/curate, see every warning, publish it unlisted over them; a visitor with the link sees it, and
without the link finds it on no page."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from itinerary import accounts as acc
from itinerary import store
from itinerary.programmes import editing, repo
from tests.app.conftest import AppFactory
from tests.app.test_curate import PASSWORD, curate

TITLE = "Jiangmen deputy mayor's delegation"
VENUE = "Tencent meeting room"


@pytest.fixture
def db(app_env: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> store.Store:
    monkeypatch.setenv("CITYPLUS_NOW", "2026-12-14T10:20:00+08:00")
    database = store.open_store(sqlite_url)
    store.ensure_seeded(database, app_env)
    accounts = acc.AccountStore(database)
    accounts.add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    accounts.add("sam", PASSWORD, acc.EDITOR, ["seattle"])
    return database


def programmes(at: AppTest) -> AppTest:
    at.segmented_control(key="cur_section").set_value("programmes")
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.title] + [c.value for c in at.caption]
    parts += [s.value for s in at.subheader] + [w.value for w in at.warning] + [e.value for e in at.error]
    return " ".join(str(p) for p in parts).replace("\\", "")  # markdown escapes


def add_item(at: AppTest, day: date, start: str, end: str, kind: str, place: str, title: str = "") -> AppTest:
    at.selectbox(key="pg_i_day").set_value(day)
    at.text_input(key="pg_i_start").set_value(start)
    at.text_input(key="pg_i_end").set_value(end)
    at.selectbox(key="pg_i_kind").set_value(kind)
    at.selectbox(key="pg_i_place").set_value(place)
    at.text_input(key="pg_i_title").set_value(title)
    return at.button(key="pgb_add_item").click().run()


def build(at: AppTest) -> AppTest:
    at.text_input(key="pg_f_id").set_value("jiangmen-delegation")
    at.text_input(key="pg_f_title").set_value(TITLE)
    at.text_input(key="pg_f_title_zh").set_value("江门副市长代表团")
    at.date_input(key="pg_f_start_date").set_value(date(2026, 12, 14))  # a Monday
    at.date_input(key="pg_f_end_date").set_value(date(2026, 12, 15))
    at.selectbox(key="pg_f_mode").set_value("coach")
    at.selectbox(key="pg_f_visibility").set_value("unlisted")
    at = at.run()
    at.text_input(key="pg_v_id").set_value("tencent-room")
    at.text_input(key="pg_v_name").set_value(VENUE)
    at.number_input(key="pg_v_lat").set_value(22.5405)
    at.number_input(key="pg_v_lon").set_value(113.9345)
    at = at.button(key="pgb_add_venue").click().run()
    at = add_item(at, date(2026, 12, 14), "09:00", "10:00", "visit", "landmark:oct-loft")  # closed on Mondays
    at = add_item(
        at, date(2026, 12, 14), "10:05", "11:30", "meeting", "venue:tencent-room", "Meeting at Tencent"
    )
    at = add_item(at, date(2026, 12, 14), "11:30", "12:30", "break", "", "Lunch")
    return add_item(at, date(2026, 12, 15), "10:00", "11:00", "visit", "landmark:ping-an-finance-center")


def test_staff_build_a_two_day_delegation_see_the_warnings_and_publish_it_unlisted(
    make_app: AppFactory, db: store.Store
) -> None:
    at = build(programmes(curate(make_app, "eddie")))
    assert not at.exception, at.exception
    shown = [w.value for w in at.warning]
    assert any("the place is closed that day" in w for w in shown)
    assert any("leaves 5 minutes for a" in w and "transfer by coach" in w for w in shown)
    at.selectbox(key="pg_f_status").set_value("published")
    at = at.button(key="pg_save").click().run()
    assert "tick the box" in texts(at)
    assert repo.load(db, "jiangmen-delegation") is None  # nothing saved
    at.checkbox(key="pg_accept").check()
    at = at.button(key="pg_save").click().run()
    assert not at.exception, at.exception
    saved = repo.load(db, "jiangmen-delegation")
    assert (
        saved is not None
        and saved.programme.status == "published"
        and saved.programme.visibility == "unlisted"
    )
    assert [v.name for v in saved.venues] == [VENUE] and len(saved.items) == 4
    assert len(editing.history(db, "jiangmen-delegation")[0][4]["published_over"]) == len(shown)

    at = at.button(key="pg_new_link").click().run()
    link = next(c.value for c in at.code if "token=" in c.value)
    token = parse_qs(urlsplit(link).query)["token"][0]

    visitor = make_app("pages/programme.py", token=token)
    assert not visitor.exception, visitor.exception
    seen = texts(visitor)
    assert TITLE in seen and VENUE in seen and "Meeting at Tencent" in seen
    assert "Now" in seen and "10:05–11:30" in seen  # the pinned clock: 10:20 in Shenzhen

    zh = make_app("pages/programme.py", token=token, lang="zh")
    assert "江门副市长代表团" in texts(zh) and "现在" in texts(zh)

    # without the link: not on any page, not by its id, not with a wrong or revoked token
    for page, query in (
        ("pages/programme.py", {"city": "shenzhen", "programme": "jiangmen-delegation"}),
        ("pages/programme.py", {"token": token[:-2] + "xx"}),
        ("pages/programme.py", {}),
        ("pages/explore.py", {"city": "shenzhen", "q": "Tencent"}),
        ("pages/itineraries.py", {"city": "shenzhen"}),
        ("pages/plan.py", {"city": "shenzhen"}),
        ("pages/kiosk.py", {"city": "shenzhen"}),
    ):
        other = make_app(page, **query)
        assert not other.exception, (page, other.exception)
        assert TITLE not in texts(other) and VENUE not in texts(other), page
    not_found = texts(make_app("pages/programme.py", token="wrong"))
    assert "Not found" in not_found

    at = at.button(key="pg_revoke").click().run()
    assert "Not found" in texts(make_app("pages/programme.py", token=token))


def test_staff_of_another_city_never_see_the_programme(make_app: AppFactory, db: store.Store) -> None:
    at = build(programmes(curate(make_app, "eddie")))
    at.checkbox(key="pg_accept").check() if at.checkbox else None
    at = at.button(key="pg_save").click().run()
    assert repo.load(db, "jiangmen-delegation") is not None
    other = programmes(curate(make_app, "sam"))
    assert not other.exception
    assert "jiangmen-delegation" not in " ".join(str(o) for o in other.selectbox(key="pg_pick").options)
