"""Visitors' reports and suggestions (issue 13): the checks, the shared rate limits (two
processes on PostgreSQL), moderation with its history, and the purge."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from itinerary import store
from itinerary.accounts import ADMIN, EDITOR, Account
from itinerary.curation import Curator
from itinerary.permissions import Refused
from itinerary.voice import (
    MAX_TEXT,
    Inbox,
    Limit,
    Message,
    VoiceRefused,
    check,
    draft_id,
    is_spam,
    link_count,
    session_bucket,
)
from tests.conftest import ROOT

EDDIE = Account("eddie", EDITOR, frozenset({"shenzhen"}))
SAM = Account("sam", EDITOR, frozenset({"seattle"}))
ADA = Account("ada", ADMIN, frozenset({"*"}))
LANDMARKS = frozenset({"oct-loft", "lianhuashan-park"})
THEMES = frozenset({"culture", "nature"})
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def report(**changes: object) -> Message:
    values: dict[str, object] = {
        "city_id": "shenzhen",
        "kind": "correction",
        "topic": "hours",
        "landmark_id": "oct-loft",
        "text": "It opens at 9 now",
        "proposed": "Tu-Su 09:00-18:00",
        "page": "explore",
        "lang": "en",
    }
    values.update(changes)
    return Message(**values)  # type: ignore[arg-type]


def suggestion(**changes: object) -> Message:
    values: dict[str, object] = {
        "city_id": "shenzhen",
        "kind": "suggestion",
        "topic": "new",
        "proposed": "Dafen Oil Painting Village",
        "text": "Painters at work in every street",
        "theme": "culture",
        "point": (22.6130, 114.1390),
    }
    values.update(changes)
    return Message(**values)  # type: ignore[arg-type]


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# --- checks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (report(text="x" * (MAX_TEXT + 1)), "too_long"),
        (report(proposed="y" * 201), "too_long"),
        (report(text="see https://a.example and www.b.example"), "too_many_links"),
        (report(text="a.com b.net c.org"), "too_many_links"),
        (report(text="Cheap casino bonus here"), "spam"),
        (report(text="加微信 领红包"), "spam"),
        (report(text="!!!!!!!!!!!!!!!!!!!!", proposed=""), "spam"),
        (report(text="https://only.example/link", proposed=""), "spam"),
        (report(topic="gossip"), "unknown_topic"),
        (report(landmark_id="not-published"), "unknown_landmark"),
        (report(topic="place", point=None), "no_point"),
        (report(text="  ", proposed=""), "empty"),
        (report(topic="place", point=(95.0, 10.0)), "bad_point"),
        (suggestion(proposed="D"), "no_name"),
        (suggestion(theme="casinos"), "unknown_theme"),
        (suggestion(point=None), "no_point"),
        (suggestion(topic="hours"), "unknown_topic"),
    ],
)
def test_a_message_is_refused_with_its_reason(message: Message, code: str) -> None:
    with pytest.raises(VoiceRefused) as refused:
        check(message, landmarks=LANDMARKS, themes=THEMES)
    assert refused.value.code == code
    assert refused.value.text("zh") != refused.value.text("en")  # said in both languages


def test_a_message_is_kept_cleaned_with_one_link_at_most() -> None:
    kept = check(
        report(text="  Opens at 9\x00 now, see https://oct-loft.example \n", landmark_id="oct-loft"),
        landmarks=LANDMARKS,
        themes=THEMES,
    )
    assert kept.text == "Opens at 9 now, see https://oct-loft.example"
    assert kept.theme == "" and kept.point is None
    assert check(suggestion(landmark_id="oct-loft"), landmarks=LANDMARKS, themes=THEMES).landmark_id == ""


@pytest.mark.parametrize(
    ("text", "links", "spam"),
    [
        ("Closed on Mondays since May", 0, False),
        ("The ramp is at the back door (north side)", 0, False),
        ("营业时间改为上午九点", 0, False),
        ("http://x.example", 1, True),
        ("ＣＡＳＩＮＯ", 0, True),  # full-width letters are folded first
        ("www.shop.top and loans", 1, False),
        ("zzzzzzzzzzzzzzzzzz", 0, True),
    ],
)
def test_links_and_spam(text: str, links: int, spam: bool) -> None:
    assert link_count(text) == links
    assert is_spam(text) is spam


def test_a_suggestions_draft_id_is_a_slug() -> None:
    assert draft_id("Dafen Oil Painting Village", 7) == "dafen-oil-painting-village-7"
    assert draft_id("大芬油画村", 8) == "suggested-8"
    assert draft_id("Café <b>", 9) == "cafe-b-9"


# --- sending, rate limits ------------------------------------------------------------------------


def test_the_session_limit_refuses_and_a_refused_text_uses_no_slot(mini_db_url: str) -> None:
    clock = Clock()
    inbox = Inbox(store.open_store(mini_db_url), clock=clock)
    me, other = session_bucket("me"), session_bucket("other")
    limits = {"per_session": Limit(2, timedelta(hours=1)), "per_app": Limit(3, timedelta(hours=1))}
    kw = {"landmarks": LANDMARKS, "themes": THEMES, **limits}
    with pytest.raises(VoiceRefused):
        inbox.send(report(text="casino"), session=me, **kw)  # type: ignore[arg-type]
    inbox.send(report(), session=me, **kw)  # type: ignore[arg-type]
    inbox.send(report(), session=me, **kw)  # type: ignore[arg-type]
    with pytest.raises(VoiceRefused) as refused:
        inbox.send(report(), session=me, **kw)  # type: ignore[arg-type]
    assert refused.value.code == "rate_session"
    inbox.send(report(), session=other, **kw)  # type: ignore[arg-type]
    with pytest.raises(VoiceRefused) as refused:
        inbox.send(report(), session=session_bucket("third"), **kw)  # type: ignore[arg-type]
    assert refused.value.code == "rate_app"
    assert len(inbox.queue(["shenzhen"])) == 3
    clock.now += timedelta(hours=1, seconds=1)  # the windows end
    inbox.send(report(), session=me, **kw)  # type: ignore[arg-type]
    assert len(inbox.queue(["shenzhen"])) == 4


def test_the_throttle_stores_no_session_token(mini_db_url: str) -> None:
    db = store.open_store(mini_db_url)
    Inbox(db, clock=Clock()).send(
        report(), session=session_bucket("secret-token"), landmarks=LANDMARKS, themes=THEMES
    )
    with db.engine.connect() as conn:
        buckets = set(conn.execute(sa.select(store.voice_throttle.c.bucket)).scalars())
    assert buckets == {"app", session_bucket("secret-token")}
    assert not any("secret-token" in bucket for bucket in buckets)


SENDER = """
import sys
from datetime import UTC, datetime, timedelta
from itinerary import store
from itinerary.voice import Inbox, Limit, Message, VoiceRefused, session_bucket

url, who, tries = sys.argv[1], sys.argv[2], int(sys.argv[3])
inbox = Inbox(store.open_store(url), clock=lambda: datetime(2026, 12, 1, 9, tzinfo=UTC))
sent = 0
for i in range(tries):
    message = Message(city_id="shenzhen", kind="correction", topic="other", landmark_id="oct-loft",
                      text=f"{who} {i}")
    try:
        inbox.send(message, session=session_bucket(f"{who}-{i % 4}"), landmarks={"oct-loft"},
                   themes=set(), per_session=Limit(3, timedelta(hours=1)),
                   per_app=Limit(10, timedelta(hours=1)))
        sent += 1
    except VoiceRefused:
        pass
print(sent)
"""


def test_the_app_limit_holds_across_two_processes_on_postgresql(pg_url: str, mini_dir: object) -> None:
    db = store.open_store(pg_url)
    store.ensure_seeded(db, mini_dir)  # type: ignore[arg-type]
    senders = [
        subprocess.Popen(
            [sys.executable, "-c", SENDER, pg_url, who, "12"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for who in ("a", "b")
    ]
    sent = [int(p.communicate(timeout=120)[0]) for p in senders]
    assert all(p.returncode == 0 for p in senders)
    assert sum(sent) == 10  # 24 tries, 4 sessions of 3 each per process: the app's 10 in all
    assert len(Inbox(db).queue(["shenzhen"])) == 10


# --- moderation ----------------------------------------------------------------------------------


def test_accepting_a_suggestion_makes_a_draft_with_history(mini_db_url: str) -> None:
    db = store.open_store(mini_db_url)
    clock = Clock()
    inbox = Inbox(db, clock=clock)
    item_id = inbox.send(suggestion(), session=session_bucket("s"), landmarks=LANDMARKS, themes=THEMES)
    assert inbox.pending(["shenzhen", "seattle"]) == {"shenzhen": 1}
    curator = Curator(db)
    with pytest.raises(Refused):
        inbox.accept_suggestion(SAM, item_id, curator)  # another city's editor
    landmark_id = inbox.accept_suggestion(EDDIE, item_id, curator)
    lm, _ = curator.landmark(landmark_id)
    assert (lm.name, lm.status, lm.themes, lm.lat, lm.lon) == (
        "Dafen Oil Painting Village",
        "draft",
        ("culture",),
        22.613,
        114.139,
    )
    assert curator.history("landmark", landmark_id)[0].username == "eddie"
    decided = inbox.history(["shenzhen"])
    assert [(d.item_id, d.action, d.result, d.username, d.at) for d in decided] == [
        (item_id, "accept", landmark_id, "eddie", T0)
    ]
    assert inbox.pending(["shenzhen"]) == {}
    with pytest.raises(VoiceRefused) as refused:
        inbox.decide(ADA, item_id, "reject")
    assert refused.value.code == "already_decided"


def test_reject_and_spam_are_in_the_history_and_purged_after_the_set_days(mini_db_url: str) -> None:
    db = store.open_store(mini_db_url)
    clock = Clock()
    inbox = Inbox(db, clock=clock)
    s = session_bucket("s")
    first = inbox.send(report(), session=s, landmarks=LANDMARKS, themes=THEMES)
    second = inbox.send(report(topic="other"), session=s, landmarks=LANDMARKS, themes=THEMES)
    third = inbox.send(report(topic="closed"), session=s, landmarks=LANDMARKS, themes=THEMES)
    with pytest.raises(Refused):
        inbox.decide(SAM, first, "reject")
    inbox.decide(EDDIE, first, "reject", reason="duplicate")
    clock.now += timedelta(days=1)
    inbox.decide(ADA, second, "spam")
    inbox.decide(EDDIE, third, "accept")  # a correction: the editor takes the value from here
    assert [(d.item_id, d.action, d.reason, d.username) for d in inbox.history(["shenzhen"])] == [
        (third, "accept", "", "eddie"),
        (second, "spam", "", "ada"),
        (first, "reject", "duplicate", "eddie"),
    ]
    assert inbox.history(["seattle"]) == []
    clock.now = T0 + timedelta(days=30, hours=12)
    assert inbox.purge(days=30) == 1  # the rejected one; the spam was decided a day later
    clock.now += timedelta(days=1)
    assert inbox.purge(days=30) == 1
    assert inbox.item(first) is None and inbox.item(second) is None
    assert inbox.item(third) is not None  # accepted items stay
    assert len(inbox.history(["shenzhen"])) == 3  # decisions stay


def test_the_purge_reads_its_days_from_the_setting(mini_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    inbox = Inbox(store.open_store(mini_db_url), clock=clock)
    item = inbox.send(report(), session=session_bucket("s"), landmarks=LANDMARKS, themes=THEMES)
    inbox.decide(EDDIE, item, "spam")
    clock.now += timedelta(days=3)
    monkeypatch.setenv("CITYPLUS_VOICE_PURGE_DAYS", "5")
    assert inbox.purge() == 0
    monkeypatch.setenv("CITYPLUS_VOICE_PURGE_DAYS", "2")
    assert inbox.purge() == 1
