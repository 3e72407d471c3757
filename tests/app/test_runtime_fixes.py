"""Streamlit under concurrency: a deferred download survives other sessions' runs
(ui/downloads.py), every run has page objects of its own (ui/nav.py), and abandoned sessions are
shut down once past their TTL (ui/sessions.py).

On Streamlit's own media file manager and in-memory storage: the file Plan's GPX button makes
when asked is fetched after two other runs ended (each run ends with ``remove_orphaned_files``).
Without the grace, that fetch is the 404 bench.load met at 75 visitors.
"""

from __future__ import annotations

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from ui import downloads


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def made_on_request(manager: MediaFileManager) -> str:
    """What the browser gets when it clicks: the URL's file id of the file made then."""
    placeholder = manager.add_deferred(lambda: "<gpx/>", "application/gpx+xml", "coord-1", "plan.gpx")
    url = manager.execute_deferred(placeholder)
    return url.rsplit("/", 1)[1].split(".")[0]


def test_without_the_grace_two_other_runs_delete_the_file_before_it_is_fetched() -> None:
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    file_id = made_on_request(manager)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert file_id not in manager._file_metadata  # Streamlit 1.67 as it is: the fetch is a 404


def test_with_the_grace_the_file_is_fetched_after_other_runs_and_then_removed() -> None:
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    clock = Clock()
    downloads.keep_fetched_downloads(manager, clock=clock, grace=60)
    downloads.keep_fetched_downloads(manager, clock=clock, grace=60)  # once per manager
    file_id = made_on_request(manager)
    for _ in range(20):  # a busy server: many runs end before the browser fetches
        manager.remove_orphaned_files()
        clock.now += 1
    assert manager._storage.get_file(file_id).content == b"<gpx/>"
    clock.now += 60
    manager.remove_orphaned_files()  # past the grace: marked, as Streamlit does
    assert file_id in manager._file_metadata
    manager.remove_orphaned_files()  # and deleted
    assert file_id not in manager._file_metadata


def test_media_of_old_runs_is_removed_at_once() -> None:
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    downloads.keep_fetched_downloads(manager, clock=Clock(), grace=60)
    url = manager.add(b"\x89PNG", "image/png", "coord-2")
    file_id = url.rsplit("/", 1)[1].split(".")[0]
    manager.clear_session_refs()  # the next run no longer shows it
    manager.remove_orphaned_files()
    assert file_id not in manager._file_metadata


def test_every_run_gets_pages_of_its_own() -> None:
    """The pages are made once per language, and each run gets copies: running a page clears its
    "callable" mark, and on shared objects one session's run cleared another's (bench.load, 130
    visitors: "This page cannot be called directly")."""
    from ui import nav

    first, second = nav.navigation_pages("zh"), nav.navigation_pages("zh")
    assert len(first) == len(second) == len(nav.PAGES + nav.UNLISTED)
    assert all(a is not b for a, b in zip(first, second, strict=True))
    first[0]._can_be_called = True  # st.navigation picked it for one session
    second[0]._can_be_called = False  # another session's page ran
    assert first[0]._can_be_called


class Session:
    def __init__(self, session_id: str) -> None:
        self.id = session_id
        self.shut_down = False

    def shutdown(self) -> None:
        self.shut_down = True


def test_disconnected_sessions_past_their_ttl_are_shut_down() -> None:
    """Streamlit's own store of disconnected sessions: past its TTL a session only reads as
    absent, and is never shut down; the purge shuts down those, and only those (ui/sessions.py)."""
    import threading
    from types import SimpleNamespace

    from streamlit.runtime.caching.ttl_cache import TTLCache
    from streamlit.runtime.memory_session_storage import MemorySessionStorage
    from streamlit.runtime.session_manager import SessionInfo

    from ui import sessions

    clock = Clock()
    storage = MemorySessionStorage(ttl_seconds=20)
    storage._cache = TTLCache(maxsize=128, ttl=20, timer=clock)
    manager = SimpleNamespace(_session_storage=storage, _storage_lock=threading.Lock())
    old, new = Session("old"), Session("new")
    storage.save(SessionInfo(client=None, session=old))  # type: ignore[arg-type]
    clock.now += 15
    storage.save(SessionInfo(client=None, session=new))  # type: ignore[arg-type]
    clock.now += 10  # "old" is past its 20 s, "new" is not
    assert storage.get("old") is None and len(storage._cache._data) == 2  # absent, still held
    assert sessions.purge_expired(manager) == 1
    assert old.shut_down and not new.shut_down
    assert storage.get("new") is not None and len(storage._cache._data) == 1
    assert sessions.purge_expired(SimpleNamespace()) == 0  # another session manager: left alone


def test_a_full_store_shuts_down_the_session_it_drops() -> None:
    import threading
    from types import SimpleNamespace

    from streamlit.runtime.caching.ttl_cache import TTLCache
    from streamlit.runtime.memory_session_storage import MemorySessionStorage
    from streamlit.runtime.session_manager import SessionInfo

    from ui import sessions

    clock = Clock()
    storage = MemorySessionStorage(maxsize=2, ttl_seconds=20)
    storage._cache = TTLCache(maxsize=2, ttl=20, timer=clock)
    manager = SimpleNamespace(_session_storage=storage, _storage_lock=threading.Lock())
    sessions.shut_down_what_saving_drops(manager)
    first, second, third, late = Session("1"), Session("2"), Session("3"), Session("late")
    for session in (first, second, second, third):  # the second saved twice: no room taken
        storage.save(SessionInfo(client=None, session=session))  # type: ignore[arg-type]
    assert first.shut_down and not second.shut_down and not third.shut_down
    clock.now += 30  # both past their TTL
    storage.save(SessionInfo(client=None, session=late))  # type: ignore[arg-type]
    assert second.shut_down and third.shut_down and not late.shut_down
    assert [info.session.id for info in storage.list()] == ["late"]
