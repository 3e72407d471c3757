"""AppTest of visitors' voice (issue 13): reporting and suggesting on Explore, the staff's Inbox
(accept, reject, spam, with history; editors see their own cities only) and Reach with seeded
figures."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from itinerary import accounts as acc
from itinerary import counts, store
from itinerary.curation import Curator
from itinerary.settings import utc_now
from itinerary.voice import Inbox, Message, session_bucket
from tests.app.conftest import AppFactory
from tests.app.test_curate import PASSWORD, curate

HOSTILE = "<b>bold</b> **stars** [link](https://evil.example)"


@pytest.fixture
def db(app_env: Path, sqlite_url: str) -> store.Store:
    database = store.open_store(sqlite_url)
    store.ensure_seeded(database, app_env)
    accounts = acc.AccountStore(database)
    accounts.add("ada", PASSWORD, acc.ADMIN)
    accounts.add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    accounts.add("sam", PASSWORD, acc.EDITOR, ["seattle"])
    return database


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [e.value for e in at.error] + [s.value for s in at.success] + [w.value for w in at.warning]
    parts += [i.value for i in at.info]
    return " ".join(str(p) for p in parts)


def send(db: store.Store, **values: object) -> int:
    fields: dict[str, object] = {
        "city_id": "shenzhen",
        "kind": "correction",
        "topic": "hours",
        "landmark_id": "oct-loft",
        "text": HOSTILE,
        "proposed": "Tu-Su 09:00-17:00",
        "page": "explore",
        "lang": "en",
    }
    fields.update(values)
    landmarks = {"oct-loft", "lianhuashan-park", "huaqiang-north"}
    return Inbox(db).send(
        Message(**fields), session=session_bucket("t"), landmarks=landmarks, themes={"culture"}
    )  # type: ignore[arg-type]


# --- visitors ----------------------------------------------------------------------------------------


def test_a_visitor_reports_wrong_hours_and_nothing_shows_to_others(
    make_app: AppFactory, db: store.Store
) -> None:
    at = make_app("pages/explore.py", landmark="oct-loft")
    assert not at.exception
    assert "Kept: only your text, the time and the page" in text_of(at)
    at.radio(key="vo_r_topic").set_value("hours")
    at.text_area(key="vo_r_text").set_value("Opens at nine since November")
    at.text_input(key="vo_r_value").set_value("Tu-Su 09:00-18:00")
    at = at.button(key="vo_r_send").click().run()
    assert not at.exception
    assert "Thank you" in text_of(at)
    [item] = Inbox(db).queue(["shenzhen"])
    assert (item.landmark_id, item.topic, item.proposed, item.page) == (
        "oct-loft",
        "hours",
        "Tu-Su 09:00-18:00",
        "explore",
    )
    other = make_app("pages/explore.py", landmark="oct-loft")
    assert "Opens at nine" not in text_of(other) and "09:00-18:00" not in text_of(other)


def test_a_refused_report_says_why_and_keeps_the_text(make_app: AppFactory, db: store.Store) -> None:
    at = make_app("pages/explore.py", landmark="oct-loft", lang="zh")
    at.radio(key="vo_r_topic").set_value("other")
    at.text_area(key="vo_r_text").set_value("casino bonus www.a.example www.b.example")
    at = at.button(key="vo_r_send").click().run()
    assert "最多只能包含 1 个链接" in text_of(at)
    assert at.text_area(key="vo_r_text").value.startswith("casino")
    assert Inbox(db).queue(["shenzhen"]) == []


def test_a_suggestion_needs_a_point_on_the_map(make_app: AppFactory, db: store.Store) -> None:
    at = make_app("pages/explore.py")
    at.text_input(key="vo_s_name").set_value("Dafen Village")
    at = at.button(key="vo_s_send").click().run()
    assert "Please click the map where the place is." in text_of(at)
    assert Inbox(db).queue(["shenzhen"]) == []


def test_an_empty_search_is_counted_once_per_session(make_app: AppFactory, db: store.Store) -> None:
    at = make_app("pages/explore.py", q="Ferry Terminal!")
    at.run()
    counts.flush()  # pages count through the process's count writer

    frame = counts.figures.read(db, ["shenzhen"], date(2000, 1, 1), date(2100, 1, 1))
    searches = frame[frame["event"] == counts.SEARCH_EMPTY]
    assert searches[["key", "n"]].values.tolist() == [["ferry terminal", 1]]
    views = frame[frame["event"] == counts.PAGE_VIEW]
    assert views[["key", "n"]].values.tolist() == [["explore", 1]]  # the rerun counted nothing more


def test_a_kiosk_qr_link_counts_a_hand_off_and_the_marker_leaves_the_url(
    make_app: AppFactory, db: store.Store
) -> None:
    at = make_app("pages/itineraries.py", city="shenzhen", itinerary="shenzhen-mini", src="kiosk")
    assert not at.exception
    assert "src" not in at.query_params and at.query_params["itinerary"] == "shenzhen-mini"
    counts.flush()
    frame = counts.figures.read(db, ["shenzhen"], date(2000, 1, 1), date(2100, 1, 1))
    assert frame[frame["event"] == counts.QR_HANDOFF][["key", "n"]].values.tolist() == [["itineraries", 1]]
    assert frame[frame["event"] == counts.ITINERARY_OPEN][["key", "n"]].values.tolist() == [
        ["shenzhen-mini", 1]
    ]


def test_nothing_is_counted_when_counts_are_off(
    make_app: AppFactory, db: store.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYPLUS_COUNTS", "off")
    at = make_app("pages/itineraries.py", itinerary="shenzhen-mini", src="kiosk")
    assert "src" not in at.query_params  # dropped all the same
    counts.flush()
    assert counts.figures.read(db, None, date(2000, 1, 1), date(2100, 1, 1)).empty


# --- the Inbox ---------------------------------------------------------------------------------------


def inbox(at: AppTest) -> AppTest:
    options = at.button_group[0].options
    assert any(o.startswith("Inbox") for o in options)
    return at.button_group[0].set_value("inbox").run()


def test_accepting_a_correction_opens_the_editor_with_the_value_marked_and_saved_with_history(
    make_app: AppFactory, db: store.Store
) -> None:
    item = send(db)
    at = curate(make_app, "eddie")
    assert "**1** new from visitors" in text_of(at)
    at = inbox(at)
    shown = text_of(at)
    assert "<b>bold</b>" not in shown and "\\*\\*stars\\*\\*" in shown  # escaped, never markup
    assert "Wrong opening hours: OCT Loft" in shown
    at = at.button(key=f"vo_accept_{item}").click().run()
    assert not at.exception
    assert at.button_group[0].value == "landmarks"
    assert at.selectbox(key="lm_pick").value == "oct-loft"
    assert at.text_input(key="lm_f_opening_hours").value == "Tu-Su 09:00-17:00"
    assert "A visitor's correction (Wrong opening hours) is filled in and outlined" in text_of(at)
    at = at.button(key="lm_save").click().run()
    assert not at.exception
    lm, _ = Curator(db).landmark("oct-loft")
    assert lm.opening_hours == "Tu-Su 09:00-17:00"
    assert Curator(db).history("landmark", "oct-loft")[0].username == "eddie"
    at = inbox(at)
    assert "Nothing new from visitors." in text_of(at)
    history = at.dataframe[0].value
    assert history.iloc[0].tolist()[1:4] == ["eddie", "accepted", item]


def test_reject_with_a_reason_and_spam_are_in_the_history(make_app: AppFactory, db: store.Store) -> None:
    first = send(db)
    second = send(db, topic="other", text="rubbish", proposed="")
    at = inbox(curate(make_app, "eddie"))
    at.selectbox(key=f"vo_reason_{first}").set_value("duplicate")
    at = at.button(key=f"vo_reject_{first}").click().run()
    assert "Rejected." in text_of(at)
    at = at.button(key=f"vo_spam_{second}").click().run()
    assert "Marked as spam." in text_of(at)
    rows = at.dataframe[0].value
    assert [r[1:5] for r in rows.values.tolist()] == [
        ["eddie", "spam", second, ""],
        ["eddie", "rejected", first, "Already known"],
    ]


def test_a_suggestion_accepted_becomes_a_draft_in_the_editor(make_app: AppFactory, db: store.Store) -> None:
    item = send(
        db,
        kind="suggestion",
        topic="new",
        proposed="Dafen Village",
        text="Painters",
        theme="culture",
        point=(22.61, 114.14),
    )
    at = inbox(curate(make_app, "eddie"))
    assert "Suggested place: Dafen Village" in text_of(at)
    at = at.button(key=f"vo_accept_{item}").click().run()
    assert at.selectbox(key="lm_pick").value == f"dafen-village-{item}"
    assert at.text_input(key="lm_f_name").value == "Dafen Village"
    lm, _ = Curator(db).landmark(f"dafen-village-{item}")
    assert lm.status == "draft"
    assert "A visitor suggested this place" in text_of(at)


def test_editors_see_their_own_cities_only(make_app: AppFactory, db: store.Store) -> None:
    send(db, text="Shenzhen only")
    at = inbox(curate(make_app, "sam"))
    assert "Shenzhen only" not in text_of(at)
    assert "Nothing new from visitors." in text_of(at)


# --- Reach -------------------------------------------------------------------------------------------


def seed_counts(db: store.Store) -> None:
    today = utc_now()
    for days_ago, views in ((0, 4), (1, 2)):
        counts.count(
            db,
            counts.PAGE_VIEW,
            city_id="shenzhen",
            key="explore",
            at=today - timedelta(days=days_ago),
            timezone="Asia/Shanghai",
            by=views,
        )
    counts.count(
        db,
        counts.ITINERARY_OPEN,
        city_id="shenzhen",
        key="shenzhen-mini",
        at=today,
        timezone="Asia/Shanghai",
        by=3,
    )
    counts.count(db, counts.EXPORT, city_id="shenzhen", key="gpx", at=today, timezone="Asia/Shanghai", by=2)
    counts.count(db, counts.KIOSK_TOUCH, city_id="shenzhen", at=today, timezone="Asia/Shanghai", by=7)
    counts.count(
        db, counts.SEARCH_EMPTY, city_id="shenzhen", key="=ferry", at=today, timezone="Asia/Shanghai", by=2
    )
    counts.count(
        db, counts.PAGE_VIEW, city_id="seattle", key="plan", at=today, timezone="America/Los_Angeles", by=9
    )


def charts(at: AppTest) -> list[object]:
    return list(at.get("vega_lite_chart"))


def chart_rows(at: AppTest) -> list[list[object]]:
    """Every chart's data rows (label or day/hour, and the count), as the browser gets them."""
    import pyarrow as pa

    rows: list[list[object]] = []
    for chart in charts(at):
        for dataset in chart.proto.datasets:  # type: ignore[attr-defined]
            frame = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
            rows += frame[[c for c in ("label", "n") if c in frame.columns]].values.tolist()
    return rows


def test_reach_shows_the_seeded_figures_per_city_and_all_for_admins(
    make_app: AppFactory, db: store.Store
) -> None:
    seed_counts(db)
    at = curate(make_app, "eddie")
    at = at.button_group[0].set_value("reach").run()
    assert not at.exception
    shown = text_of(at)
    for title in (
        "Trends",
        "Page views by page and language",
        "Top itineraries",
        "Exports by format",
        "Kiosk sessions per hour",
        "Searches that found nothing",
    ):
        assert f"**{title}**" in shown
    assert "Never counted" in shown
    assert len(charts(at)) == 6
    rows = chart_rows(at)
    assert ["Page views", 4] in rows and ["Page views", 2] in rows  # the trend, per day
    assert ["Mini tour", 3] in rows  # the top itinerary, by its title
    assert ["GPX", 2] in rows and ["Kiosk touches", 7] in rows and ["ferry", 2] in rows
    assert sum(n for label, n in rows if label == "Page views") == 6  # not Seattle's 9
    assert ["Explore", 6] in rows  # page views by page (and language)
    [download] = at.get("download_button")
    assert download.proto.label == "Download these figures (CSV)"
    assert len(at.toggle) == 0  # editors: their city only

    at = curate(make_app, "ada")
    at = at.button_group[0].set_value("reach").run()
    assert sum(n for label, n in chart_rows(at) if label == "Page views") == 6  # the sidebar's city
    at = at.toggle(key="reach_all").set_value(True).run()
    assert not at.exception and len(charts(at)) == 6
    assert sum(n for label, n in chart_rows(at) if label == "Page views") == 15  # and Seattle's
