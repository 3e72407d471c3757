"""AppTest of /curate: the sign-in gate, landmark and itinerary editing, conflicts, history."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from itinerary import accounts as acc
from itinerary import curation as cu
from itinerary import geodesy, store
from itinerary.settings import utc_now
from tests.app.conftest import AppFactory
from tests.nominatim_standin import NominatimStandin

PASSWORD = "correct horse battery"


@pytest.fixture
def db(app_env: Path, sqlite_url: str) -> store.Store:
    database = store.open_store(sqlite_url)
    store.ensure_seeded(database, app_env)
    accounts = acc.AccountStore(database)
    accounts.add("ada", PASSWORD, acc.ADMIN)
    accounts.add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    return database


def sign_in(at: AppTest, user: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="signin_user").set_value(user)
    at.text_input(key="signin_password").set_value(password)
    return at.button[0].click().run()


def curate(make_app: AppFactory, user: str | None = None, **query: str) -> AppTest:
    at = make_app("pages/curate.py", **query)
    if user:
        at = sign_in(at, user)
        assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def markdown(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.usefixtures("db")
def test_signed_out_shows_only_the_sign_in_form(make_app: AppFactory) -> None:
    at = curate(make_app)
    assert not at.exception
    assert [t.value for t in at.title] == ["Staff sign-in"]
    assert {w.key for w in at.text_input} == {"signin_user", "signin_password"}
    assert len(at.selectbox) == 0 and len(at.button_group) == 0 and len(at.dataframe) == 0
    assert "Dongmen" not in markdown(at)


@pytest.mark.usefixtures("db")
def test_wrong_password_is_refused_without_saying_which(make_app: AppFactory) -> None:
    at = sign_in(curate(make_app), "eddie", "not the password at all")
    assert "Wrong user name or password" in errors(at)
    assert [t.value for t in at.title] == ["Staff sign-in"]
    at = sign_in(at, "nobody", "not the password at all")
    assert "Wrong user name or password" in errors(at)


def lock_from_everywhere(db: store.Store, username: str) -> None:
    """What 100 failed sign-ins from many clients leave: the name locked for every client."""
    with db.engine.begin() as conn:
        conn.execute(
            store.signin_throttle.insert().values(
                client="",
                username=username,
                failed_count=100,
                last_failed_at=utc_now(),
                locked_until=utc_now() + timedelta(minutes=5),
            )
        )


def test_a_locked_account_gets_the_answer_of_a_wrong_name_and_an_admin_unlocks_it(
    make_app: AppFactory, db: store.Store
) -> None:
    lock_from_everywhere(db, "eddie")
    at = sign_in(curate(make_app), "eddie")  # the right password
    assert [t.value for t in at.title] == ["Staff sign-in"]
    locked = errors(at)
    at = sign_in(curate(make_app), "nobody")
    assert errors(at) == locked and "Wrong user name or password" in locked
    assert "locked" not in locked.lower()

    at = curate(make_app, "ada")
    at.button_group[0].set_value("accounts").run()
    at.selectbox(key="acc_pw_user").set_value("eddie").run()
    at = at.button(key="acc_unlock").click().run()
    assert not at.exception
    assert "of eddie unlocked" in " ".join(s.value for s in at.success)
    assert "acc_unlock" not in {b.key for b in at.button}  # nothing left to unlock
    at = curate(make_app, "eddie")
    assert [t.value for t in at.title] == ["Curate content"]


def test_opening_the_sign_in_form_deletes_ended_sessions(make_app: AppFactory, db: store.Store) -> None:
    """On the old code nothing called purge_expired: ended sessions stayed in the table."""
    yesterday = utc_now() - timedelta(days=1)
    earlier = acc.AccountStore(db, clock=lambda: yesterday)
    eddie = earlier.get("eddie")
    assert eddie is not None
    earlier.start_session(eddie)
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.sessions)).scalar_one() == 1
    curate(make_app)
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.sessions)).scalar_one() == 0


@pytest.mark.usefixtures("db")
def test_an_editor_sees_the_sections_of_their_city_but_not_accounts(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie")
    assert [t.value for t in at.title] == ["Curate content"]
    assert at.button_group[0].options == [
        "Landmarks",
        "Itineraries",
        "City account",
        "Programmes",
        "Import / export",
        "Recent changes",
        "Inbox (0)",
        "Reach",
    ]
    assert at.selectbox(key="cur_city").options == ["Shenzhen"]
    assert at.selectbox(key="lm_pick").value == "__new__" or at.selectbox(key="lm_pick").value


@pytest.mark.usefixtures("db")
def test_an_admin_also_manages_accounts(make_app: AppFactory) -> None:
    at = curate(make_app, "ada")
    assert "Accounts" in at.button_group[0].options
    at.button_group[0].set_value("accounts").run()
    at.text_input(key="acc_new_user").set_value("nina")
    at.multiselect(key="acc_new_cities").set_value(["seattle"])
    at.text_input(key="acc_new_password").set_value("a long enough password")
    at.text_input(key="acc_new_password2").set_value("a long enough password")
    at = at.button(key="acc_add").click().run()
    assert not at.exception
    assert "Account nina added" in " ".join(s.value for s in at.success)
    nina = acc.AccountStore(store.open_store()).get("nina")
    assert nina is not None and nina.role == acc.EDITOR and nina.cities == frozenset({"seattle"})


def test_a_new_landmark_is_validated_field_by_field_then_saved(make_app: AppFactory, db: store.Store) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    at.text_input(key="lm_f_id").set_value("Bad Id")
    at.number_input(key="lm_f_visit_minutes").set_value(2)
    at = at.button(key="lm_save").click().run()
    assert "Nothing was saved" in errors(at)
    text = markdown(at)
    assert "is not a lowercase slug" in text and "must not be empty" in text and "5 to 1440" in text
    with pytest.raises(cu.NotFound):
        cu.Curator(db).landmark("bad-id")

    at.text_input(key="lm_f_id").set_value("shenzhen-bay-park")
    at.text_input(key="lm_f_name").set_value("Shenzhen Bay <Park>")
    at.number_input(key="lm_f_lat").set_value(22.5535)
    at.number_input(key="lm_f_lon").set_value(114.0548)
    at.number_input(key="lm_f_visit_minutes").set_value(90)
    at.multiselect(key="lm_f_themes").set_value(["nature"])
    at = at.button(key="lm_save").click().run()
    assert not at.exception and not errors(at), markdown(at)
    lm, version = cu.Curator(db).landmark("shenzhen-bay-park")
    assert (lm.name, lm.status, lm.themes, version) == ("Shenzhen Bay <Park>", "draft", ("nature",), 1)
    [change] = cu.Curator(db).history(cu.LANDMARK, "shenzhen-bay-park")
    assert (change.username, change.action, change.before) == ("eddie", "create", None)
    # the card preview shows the name escaped, as visitors see it
    assert any(h.value == "Shenzhen Bay \\<Park\\>" for h in at.subheader)


def test_a_later_save_is_refused_and_the_input_stays(make_app: AppFactory, db: store.Store) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("oct-loft").run()
    at.text_input(key="lm_f_name").set_value("OCT Loft (mine)")
    # meanwhile another editor saves the same landmark
    curator = cu.Curator(db)
    lm, version = curator.landmark("oct-loft")
    ada = acc.AccountStore(db).get("ada")
    assert ada is not None
    curator.save_landmark(ada, replace(lm, summary="Their new summary"), base_version=version)

    at = at.button(key="lm_save").click().run()
    assert "Not saved: ada saved this item" in errors(at)
    conflict_table = at.dataframe[0].value
    assert list(conflict_table.iloc[:, 0]) == ["summary"] and "Their new summary" in list(
        conflict_table.iloc[:, 2]
    )
    assert at.text_input(key="lm_f_name").value == "OCT Loft (mine)"  # the input stays
    assert curator.landmark("oct-loft")[0].name == lm.name  # never a silent overwrite
    assert curator.landmark("oct-loft")[0].summary == "Their new summary"

    # saving over theirs is an explicit choice
    at = at.button(key="lm_overwrite").click().run()
    now, new_version = curator.landmark("oct-loft")
    assert (now.name, new_version) == ("OCT Loft (mine)", version + 2)


def test_history_lists_versions_and_restores_one(make_app: AppFactory, db: store.Store) -> None:
    curator = cu.Curator(db)
    eddie = acc.AccountStore(db).get("eddie")
    assert eddie is not None
    lm, v1 = curator.landmark("huaqiang-north")
    v2 = curator.save_landmark(eddie, replace(lm, visit_minutes=75), base_version=v1)
    curator.save_landmark(eddie, replace(lm, visit_minutes=75, price="CNY 10"), base_version=v2)

    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("huaqiang-north").run()
    text = markdown(at)
    assert "Version 3 · edited · eddie" in text and "Version 1 · from the data files" in text
    at = at.button(key="lm_hist_restore_1").click().run()
    assert not at.exception
    restored, version = curator.landmark("huaqiang-north")
    assert (restored.visit_minutes, restored.price, version) == (lm.visit_minutes, lm.price, 4)
    assert curator.history(cu.LANDMARK, "huaqiang-north")[0].action == "restore"
    assert at.number_input(key="lm_f_visit_minutes").value == lm.visit_minutes


@pytest.mark.usefixtures("db")
def test_duplicates_are_warned_before_saving(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    at.text_input(key="lm_f_name").set_value("oct  LOFT")
    at = at.text_input(key="lm_f_id").set_value("oct-loft-2").run()
    warnings = " ".join(w.value for w in at.warning)
    assert "Possible duplicate: OCT Loft (oct-loft), same name" in warnings


def test_build_and_publish_an_itinerary(make_app: AppFactory, db: store.Store) -> None:
    at = curate(make_app, "eddie")
    at.button_group[0].set_value("itineraries").run()
    at.selectbox(key="it_pick").set_value("__new__").run()
    at.text_input(key="it_f_id").set_value("art-walk")
    at.text_input(key="it_f_title").set_value("Art walk")
    at.text_input(key="it_f_title_zh").set_value("艺术漫步")
    for landmark_id in ("oct-loft", "ping-an-finance-center", "huaqiang-north"):
        at.selectbox(key="it_add").set_value(landmark_id)
        at = at.button(key="it_add_btn").click().run()
    # reorder: move the last stop up one place
    order = at.session_state["it_stops"]
    at = at.button(key=f"it_up_{order[2]}").click().run()
    at.number_input(key=f"it_s_{order[0]}_dwell_minutes").set_value(45)
    at.selectbox(key="it_f_status").set_value("published")
    at = at.button(key="it_save").click().run()
    assert not at.exception and not errors(at), markdown(at)
    it, stops, version = cu.Curator(db).itinerary("art-walk")
    assert (it.title_zh, it.status, version) == ("艺术漫步", "published", 1)
    assert [s.landmark_id for s in stops] == ["oct-loft", "huaqiang-north", "ping-an-finance-center"]
    assert stops[0].dwell_minutes == 45 and stops[1].dwell_minutes is None
    # the preview is the Itineraries page's timeline: numbered stops with times
    text = markdown(at)
    assert "**1. OCT Loft**" in text and "**3. Ping An Finance Center**" in text


@pytest.mark.parametrize(("lang", "reason"), [("en", "publish it first"), ("zh", "是草稿：请先发布它")])
def test_a_published_itinerary_cannot_use_a_draft_landmark(
    make_app: AppFactory, db: store.Store, lang: str, reason: str
) -> None:
    at = curate(make_app, "eddie", lang=lang)
    at.button_group[0].set_value("itineraries").run()
    at.selectbox(key="it_pick").set_value("__new__").run()
    at.text_input(key="it_f_id").set_value("museum-day")
    at.text_input(key="it_f_title").set_value("Museum day")
    at.selectbox(key="it_add").set_value("shenzhen-museum-draft")
    at = at.button(key="it_add_btn").click().run()
    at.selectbox(key="it_f_status").set_value("published")
    at = at.button(key="it_save").click().run()
    assert reason in markdown(at)  # the rule's code, said in the page's language
    with pytest.raises(cu.NotFound):
        cu.Curator(db).itinerary("museum-day")


def test_visitor_and_kiosk_pages_do_not_link_to_curate(make_app: AppFactory) -> None:
    for page in ("pages/explore.py", "pages/itineraries.py", "pages/plan.py", "pages/kiosk.py"):
        at = make_app(page)
        assert not at.exception
        links = [link.proto.page for link in at.get("page_link")]
        assert not any("curate" in link for link in links), (page, links)
        if page != "pages/kiosk.py":  # the kiosk links nowhere; the others link the visitor pages
            # the five visitor pages in the sidebar, and the city account's page from the page itself
            assert sorted(links) == sorted(["city", "explore", "itineraries", "plan", "city", "network"]), (
                page,
                links,
            )


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[NominatimStandin]:
    with NominatimStandin() as server:
        monkeypatch.setenv("CITYPLUS_NOMINATIM_DOMAIN", server.domain)
        monkeypatch.setenv("CITYPLUS_NOMINATIM_SCHEME", "http")
        monkeypatch.setenv("CITYPLUS_GEOCODER", "on")
        yield server


@pytest.mark.usefixtures("db")
def test_geocoding_an_address_sets_the_position(make_app: AppFactory, standin: NominatimStandin) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    at.text_input(key="lm_f_name").set_value("Bay hotel")
    at.text_input(key="lm_f_address").set_value("Shenzhen Bay Hotel")
    at = at.button(key="lm_geocode").click().run()
    assert "Position set from the address" in " ".join(i.value for i in at.info)
    assert (at.number_input(key="lm_f_lat").value, at.number_input(key="lm_f_lon").value) == (
        22.5313,
        113.9868,
    )
    assert len(standin.search_requests()) == 1


@pytest.mark.usefixtures("db")
@pytest.mark.parametrize(
    ("behaviour", "message"),
    [("failing", "The address search failed"), ("empty", "No place found for that address")],
)
def test_a_failed_lookup_says_so_and_keeps_the_form(
    make_app: AppFactory, standin: NominatimStandin, behaviour: str, message: str
) -> None:
    standin.behaviour = behaviour  # type: ignore[assignment]
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    at.text_input(key="lm_f_name").set_value("Bay hotel")
    at.text_input(key="lm_f_address").set_value("Shenzhen Bay Hotel")
    lat = at.number_input(key="lm_f_lat").value
    at = at.button(key="lm_geocode").click().run()
    assert message in " ".join(w.value for w in at.warning)
    assert at.number_input(key="lm_f_lat").value == lat
    assert at.text_input(key="lm_f_name").value == "Bay hotel"


@pytest.mark.usefixtures("db")
def test_coordinates_from_a_chinese_map_app_are_converted(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    wgs = (22.533, 114.055)
    gcj = geodesy.wgs84_to_gcj02(*wgs)
    at.number_input(key="lm_f_lat").set_value(round(gcj[0], 6))
    at.number_input(key="lm_f_lon").set_value(round(gcj[1], 6))
    at = at.button(key="lm_gcj").click().run()
    lat, lon = at.number_input(key="lm_f_lat").value, at.number_input(key="lm_f_lon").value
    assert abs(lat - wgs[0]) < 2e-6 and abs(lon - wgs[1]) < 2e-6


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, app_env: Path, monkeypatch: pytest.MonkeyPatch) -> store.Store:
    """The app on SQLite or on PostgreSQL, seeded, with one admin made by the command line's code."""
    url = str(request.getfixturevalue("pg_url" if request.param == "postgresql" else "sqlite_url"))
    monkeypatch.setenv("CITYPLUS_DB_URL", url)
    database = store.open_store(url)
    store.ensure_seeded(database, app_env)
    acc.AccountStore(database).add("ada", PASSWORD, acc.ADMIN)
    return database


def test_done_when_a_new_editor_curates_on_either_database(
    make_app: AppFactory, any_db: store.Store, standin: NominatimStandin
) -> None:
    # nothing without signing in, not even with a made-up session token
    at = make_app("pages/curate.py")
    at.session_state["staff_token"] = "made-up"
    at = at.run()
    assert [t.value for t in at.title] == ["Staff sign-in"] and len(at.button_group) == 0

    # an admin creates a new editor
    at = curate(make_app, "ada")
    at.button_group[0].set_value("accounts").run()
    at.text_input(key="acc_new_user").set_value("nina")
    at.multiselect(key="acc_new_cities").set_value(["shenzhen"])
    at.text_input(key="acc_new_password").set_value("nina's long password")
    at.text_input(key="acc_new_password2").set_value("nina's long password")
    at.button(key="acc_add").click().run()

    # the editor signs in and adds a landmark with a geocoded address, published
    at = make_app("pages/curate.py")
    at = sign_in(at, "nina", "nina's long password")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    at.text_input(key="lm_f_id").set_value("shenzhen-bay-hotel")
    at.text_input(key="lm_f_name").set_value("Shenzhen Bay Hotel")
    at.text_input(key="lm_f_address").set_value("Shenzhen Bay Hotel")
    at = at.button(key="lm_geocode").click().run()
    at.selectbox(key="lm_f_status").set_value("published")
    at = at.button(key="lm_save").click().run()
    assert not errors(at), markdown(at)
    curator = cu.Curator(any_db)
    hotel, _ = curator.landmark("shenzhen-bay-hotel")
    assert (hotel.lat, hotel.lon, hotel.status) == (22.5313, 113.9868, "published")

    # ... builds and publishes an itinerary with it
    at.button_group[0].set_value("itineraries").run()
    at.selectbox(key="it_pick").set_value("__new__").run()
    at.text_input(key="it_f_id").set_value("bay-evening")
    at.text_input(key="it_f_title").set_value("Bay evening")
    for landmark_id in ("shenzhen-bay-hotel", "oct-loft"):
        at.selectbox(key="it_add").set_value(landmark_id)
        at = at.button(key="it_add_btn").click().run()
    at.selectbox(key="it_f_status").set_value("published")
    at = at.button(key="it_save").click().run()
    assert not errors(at), markdown(at)
    it, stops, _ = curator.itinerary("bay-evening")
    assert it.status == "published" and [s.landmark_id for s in stops] == ["shenzhen-bay-hotel", "oct-loft"]

    # ... edits it today after an edit made yesterday, and restores yesterday's version
    at.text_input(key="it_f_title").set_value("Bay evening walk")
    at = at.button(key="it_save").click().run()
    first = (store.changes.c.entity_id == "bay-evening") & (store.changes.c.version == 1)
    with any_db.engine.begin() as conn:  # the first version was saved yesterday
        saved_at = conn.execute(sa.select(store.changes.c.at).where(first)).scalar_one()
        conn.execute(store.changes.update().where(first).values(at=saved_at - timedelta(days=1)))
    at.text_input(key="it_f_title").set_value("Bay evening stroll")
    at = at.button(key="it_save").click().run()
    assert curator.itinerary("bay-evening")[0].title == "Bay evening stroll"
    yesterday = next(c for c in curator.history(cu.ITINERARY, "bay-evening") if c.version == 1)
    at = at.button(key="it_hist_restore_1").click().run()
    assert not at.exception and "Restored" in " ".join(s.value for s in at.success)
    assert curator.itinerary("bay-evening")[0].title == yesterday.after["title"] == "Bay evening"
    assert [c.username for c in curator.history(cu.ITINERARY, "bay-evening")][:1] == ["nina"]

    # ... and visitors of the city see the new landmark and itinerary
    explore = make_app("pages/itineraries.py")
    assert any("Bay evening" in s.value for s in explore.subheader)


def test_a_disabled_account_cannot_act_through_a_button_drawn_before(
    make_app: AppFactory, db: store.Store
) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("oct-loft").run()
    at.text_input(key="lm_f_name").set_value("Defaced")
    acc.AccountStore(db).disable("eddie")  # an admin disables eddie while his page is open
    at = at.button(key="lm_save").click().run()
    assert [t.value for t in at.title] == ["Staff sign-in"]
    assert cu.Curator(db).landmark("oct-loft")[0].name == "OCT Loft"


def test_whoever_signs_in_after_a_session_ended_starts_clean(make_app: AppFactory, db: store.Store) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("oct-loft").run()
    at.text_input(key="lm_f_name").set_value("OCT Loft, eddie's unsaved input")
    with db.engine.begin() as conn:  # the session ends (idle, expired or revoked)
        conn.execute(store.sessions.delete())
    at = at.run()
    assert "Your session ended" in " ".join(i.value for i in at.info)
    at = sign_in(at, "ada")
    picked = at.selectbox(key="lm_pick").value
    assert at.text_input(key="lm_f_name").value == cu.Curator(db).landmark(picked)[0].name
    assert not at.success and not at.error


@pytest.mark.usefixtures("db")
def test_switching_sections_keeps_the_form_and_its_unsaved_input(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("dongmen-night-snacks").run()
    at.text_input(key="lm_f_name").set_value("Dongmen, unsaved")
    at.button_group[0].set_value("changes").run()
    at.button_group[0].set_value("landmarks").run()
    assert at.selectbox(key="lm_pick").value == "dongmen-night-snacks"
    assert at.text_input(key="lm_f_name").value == "Dongmen, unsaved"
    assert at.selectbox(key="lm_f_status").value == "published"


def test_saving_over_theirs_never_overwrites_a_change_not_shown(
    make_app: AppFactory, db: store.Store
) -> None:
    curator = cu.Curator(db)
    ada = acc.AccountStore(db).get("ada")
    assert ada is not None
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("oct-loft").run()
    at.text_input(key="lm_f_name").set_value("OCT Loft (mine)")
    lm, v1 = curator.landmark("oct-loft")
    v2 = curator.save_landmark(ada, replace(lm, summary="Theirs"), base_version=v1)
    at = at.button(key="lm_save").click().run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["summary"]  # the conflict shows the summary
    curator.save_landmark(ada, replace(lm, summary="Theirs", website="https://example.org/"), base_version=v2)
    at = at.button(key="lm_overwrite").click().run()  # over version 2: the website change is new
    assert "Not saved: ada saved this item" in errors(at)
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["website"]
    assert curator.landmark("oct-loft")[0].website == "https://example.org/"
    assert at.text_input(key="lm_f_name").value == "OCT Loft (mine)"


def test_a_restore_that_conflicts_offers_reload_not_overwrite(make_app: AppFactory, db: store.Store) -> None:
    curator = cu.Curator(db)
    ada = acc.AccountStore(db).get("ada")
    eddie = acc.AccountStore(db).get("eddie")
    assert ada is not None and eddie is not None
    lm, v1 = curator.landmark("huaqiang-north")
    curator.save_landmark(eddie, replace(lm, visit_minutes=75), base_version=v1)
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("huaqiang-north").run()
    curator.save_landmark(ada, replace(lm, visit_minutes=75, price="CNY 1"), base_version=v1 + 1)
    at = at.button(key="lm_hist_restore_1").click().run()
    assert "Load their version and try again" in errors(at)
    assert not [b for b in at.button if b.key == "lm_overwrite"]
    assert curator.landmark("huaqiang-north")[0].price == "CNY 1"
    at = at.button(key="lm_reload").click().run()
    at = at.button(key="lm_hist_restore_1").click().run()
    assert curator.landmark("huaqiang-north")[0] == lm


def test_an_admin_adds_a_city_and_an_editor_cannot_manage_cities(
    make_app: AppFactory, db: store.Store
) -> None:
    at = curate(make_app, "eddie")
    assert "Cities" not in at.button_group[0].options
    ada = acc.AccountStore(db).get("ada")
    eddie = acc.AccountStore(db).get("eddie")
    assert ada is not None and eddie is not None
    with pytest.raises(PermissionError):
        cu.Curator(db).save_city(eddie, cu.Curator(db).city("shenzhen"), base=None)

    at = curate(make_app, "ada")
    at.button_group[0].set_value("cities").run()
    at.selectbox(key="city_pick").set_value("__new__").run()
    at.text_input(key="city_f_id").set_value("liege")
    at.text_input(key="city_f_name").set_value("Liège")
    at.text_input(key="city_f_timezone").set_value("Europe/Nowhere")
    at = at.button(key="city_save").click().run()
    assert "is not an IANA time zone" in markdown(at)
    with pytest.raises(cu.NotFound):
        cu.Curator(db).city("liege")
    at.number_input(key="city_f_lat").set_value(50.6326)
    at.number_input(key="city_f_lon").set_value(5.5797)
    at.text_input(key="city_f_timezone").set_value("Europe/Brussels")
    at = at.button(key="city_save").click().run()
    assert not errors(at), markdown(at)
    liege = cu.Curator(db).city("liege")
    assert (liege.name, liege.timezone, liege.zoom) == ("Liège", "Europe/Brussels", 12)
    [change] = cu.Curator(db).history(cu.CITY, "liege")
    assert (change.action, change.username) == ("create", "ada")
    # the new city is at once one the admin can curate, and one an editor can be given
    assert "Liège" in at.selectbox(key="cur_city").options
    acc.AccountStore(db).add("lea", PASSWORD, acc.EDITOR, ["liege"])


# --- the staff pages in Chinese ----------------------------------------------------------------


def warnings(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


@pytest.mark.usefixtures("db")
def test_the_landmark_editor_reads_in_chinese(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie", lang="zh")
    assert [t.value for t in at.title] == ["内容管理"]
    assert at.button_group[0].options == [
        "地标",
        "行程",
        "城市账号",
        "日程",
        "导入 / 导出",
        "最近更改",
        "收件箱（0）",
        "访问统计",
    ]
    at.selectbox(key="lm_pick").set_value("__new__").run()
    assert at.text_input(key="lm_f_name").label == "名称（英文）"
    assert at.button(key="lm_save").label == "保存"
    at.text_input(key="lm_f_id").set_value("Bad Id")
    at.number_input(key="lm_f_visit_minutes").set_value(2)
    at = at.button(key="lm_save").click().run()
    assert "未保存：请修正标红的字段。" in errors(at)
    # the cell checks' reasons in Chinese, with the values as typed
    text = markdown(at)
    assert "'Bad Id' 不是小写标识" in text and "2 超出范围（5 至 1440）" in text
    assert "is not a lowercase slug" not in text and "out of range" not in text


@pytest.mark.usefixtures("db")
def test_the_duplicate_warning_is_chinese_through_and_through(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie", lang="zh")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    at = at.text_input(key="lm_f_name").set_value("oct  LOFT").run()
    assert "可能重复：OCT Loft（oct-loft），名称相同。" in warnings(at)
    # a different name a few metres away: the distance in Chinese too
    at.text_input(key="lm_f_name").set_value("Creative park gate")
    at.number_input(key="lm_f_lat").set_value(22.5403)
    at = at.number_input(key="lm_f_lon").set_value(113.9987).run()
    assert "可能重复：OCT Loft（oct-loft），相距 11 米。" in warnings(at), warnings(at)
    assert "m away" not in warnings(at) and "same name" not in warnings(at)


@pytest.mark.usefixtures("db")
def test_the_duplicate_reason_stays_english_in_english(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    at.number_input(key="lm_f_lat").set_value(22.5403)
    at = at.number_input(key="lm_f_lon").set_value(113.9987).run()
    assert "Possible duplicate: OCT Loft (oct-loft), 11 m away." in warnings(at), warnings(at)


def test_the_city_editor_reads_in_chinese(make_app: AppFactory, db: store.Store) -> None:
    at = curate(make_app, "ada", lang="zh")
    at.button_group[0].set_value("cities").run()
    at.selectbox(key="city_pick").set_value("__new__").run()
    assert at.text_input(key="city_f_timezone").label == "时区（IANA）"
    at.text_input(key="city_f_id").set_value("liege")
    at.text_input(key="city_f_name").set_value("Liège")
    at.text_input(key="city_f_timezone").set_value("Europe/Nowhere")
    at = at.button(key="city_save").click().run()
    assert "未保存：请修正标红的字段。" in errors(at)
    assert "'Europe/Nowhere' 不是 IANA 时区（例如 Asia/Shanghai）" in markdown(at)
    with pytest.raises(cu.NotFound):
        cu.Curator(db).city("liege")


@pytest.mark.usefixtures("db")
def test_a_message_follows_the_language_switch(make_app: AppFactory) -> None:
    at = curate(make_app, "eddie")
    at.selectbox(key="lm_pick").set_value("__new__").run()
    at.text_input(key="lm_f_id").set_value("Bad Id")
    at = at.button(key="lm_save").click().run()
    assert "Nothing was saved" in errors(at)
    at.query_params["lang"] = "zh"
    at = at.run()
    assert "未保存：请修正标红的字段。" in errors(at) and "'Bad Id' 不是小写标识" in markdown(at)


def test_import_problems_read_in_chinese(db: store.Store) -> None:
    from itinerary import transfer

    ada = acc.AccountStore(db).get("ada")
    assert ada is not None
    bad = (
        "id,name,name_zh,country,lat,lon,zoom,timezone\n"
        "Shen Zhen,Shenzhen,深圳,China,north,114.05,12,Asia/Shanghai\n"
    ).encode()
    plan = transfer.preview(db, transfer.read_upload("cities.csv", bad), ada)
    assert not plan.ok
    english = plan.texts("en")
    chinese = plan.texts("zh")
    assert english == [str(p) for p in plan.problems]  # the report as the importer writes it
    assert "cities.csv:2: id: 'Shen Zhen' 不是小写标识（仅限字母、数字和单个连字符）" in chinese
    assert "cities.csv:2: lat: 'north' 不是十进制数字" in chinese


# --- every message of /curate in Chinese: conflicts, refusals, upload problems, the import summary


def test_a_conflict_reads_in_chinese(make_app: AppFactory, db: store.Store) -> None:
    at = curate(make_app, "eddie", lang="zh")
    at.selectbox(key="lm_pick").set_value("oct-loft").run()
    at.text_input(key="lm_f_name").set_value("OCT Loft (mine)")
    curator = cu.Curator(db)
    lm, version = curator.landmark("oct-loft")
    ada = acc.AccountStore(db).get("ada")
    assert ada is not None
    curator.save_landmark(ada, replace(lm, summary="Their new summary"), base_version=version)
    at = at.button(key="lm_save").click().run()
    assert "未保存：ada 在 " in errors(at) and "Not saved" not in errors(at)
    assert at.button(key="lm_reload").label == "放弃我的更改，载入对方版本"
    assert at.button(key="lm_overwrite").label == "用我的版本覆盖"


def test_a_permission_refusal_reads_in_chinese(make_app: AppFactory, db: store.Store) -> None:
    from itinerary import transfer

    ada = acc.AccountStore(db).get("ada")
    assert ada is not None
    files = transfer.export_files(db, "seattle")
    files["landmarks.csv"] = files["landmarks.csv"].replace(b"Space Needle", b"Space Needle (new)", 1)
    plan = transfer.preview(db, transfer.Upload.of({"landmarks.csv": files["landmarks.csv"]}), ada)
    assert plan.ok and plan.rows
    at = curate(make_app, "eddie", lang="zh")  # an editor of Shenzhen, with a plan that writes Seattle
    at.button_group[0].set_value("transfer").run()
    at.session_state["imp_plan"] = plan  # AppTest cannot upload: the plan, where the preview keeps it
    at = at.run().button(key="imp_apply").click().run()
    assert not at.exception
    assert "eddie 无权导入地标“space\\-needle”" in errors(at), errors(at)  # markdown-escaped
    assert "may not" not in errors(at)


def test_an_upload_problem_and_the_import_summary_read_in_chinese(
    make_app: AppFactory, db: store.Store
) -> None:
    from itinerary import transfer

    ada = acc.AccountStore(db).get("ada")
    assert ada is not None
    at = curate(make_app, "ada", lang="zh")
    at.button_group[0].set_value("transfer").run()
    # AppTest cannot upload a file: the plan the preview button makes is put where it keeps it
    at.session_state["imp_plan"] = transfer.preview(db, transfer.read_upload("backup.zip", b"not a zip"), ada)
    at = at.run()
    assert not at.exception
    report = at.code[0].value
    assert report.startswith("backup.zip:0: -: 不是可读取的 zip 文件（"), report
    assert "not a readable zip" not in report

    at.session_state["imp_plan"] = None
    at.session_state["imp_done"] = transfer.ImportSummary({"landmark": (1, 2, 3)}, db.data_version())
    at = at.run()
    assert "地标：新增 1，更改 2，未变 3" in " ".join(s.value for s in at.success)


@pytest.mark.usefixtures("db")
def test_an_account_problem_reads_in_chinese(make_app: AppFactory) -> None:
    at = curate(make_app, "ada", lang="zh")
    at.button_group[0].set_value("accounts").run()
    at.text_input(key="acc_new_user").set_value("eddie")
    at.multiselect(key="acc_new_cities").set_value(["seattle"])
    at.text_input(key="acc_new_password").set_value("a long enough password")
    at.text_input(key="acc_new_password2").set_value("a long enough password")
    at = at.button(key="acc_add").click().run()
    assert not at.exception
    assert "用户“eddie”已存在" in errors(at) and "already exists" not in errors(at)


def test_the_data_error_page_reads_in_chinese(make_app: AppFactory, app_env: Path) -> None:
    from tests.unit.test_seed import edit_cell

    edit_cell(app_env, "landmarks.csv", "oct-loft", "lat", "222")
    at = make_app("pages/curate.py", lang="zh")
    assert not at.exception
    assert at.code[0].value.splitlines() == ["landmarks.csv:5: lat: 222 超出范围（-90 至 90）"]
