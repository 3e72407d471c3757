"""Streamlit under concurrency: a deferred download survives other sessions' runs
(ui/downloads.py), and every run has page objects of its own (ui/nav.py).

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
