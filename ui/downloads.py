"""A fetched download lives long enough for the browser to fetch it, however busy the server.

A download button whose ``data`` is a callable (Plan's files: built only when asked for) works
in two steps: the browser asks over the websocket, Streamlit runs the callable and answers with
the file's URL, then the browser fetches that URL. Streamlit 1.67 keeps the file it made mapped
to no session, so every script run of *any* session that ends in between counts it as an orphan:
the first marks it, the second deletes it. On a busy server two runs end within those
milliseconds, and the visitor's download is a 404 (bench.load, 75 visitors on one process).

``keep_fetched_downloads`` gives such a file ``GRACE_S`` seconds before it can be counted as an
orphan; media files (images of old runs) are removed as before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from streamlit.runtime import Runtime
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileKind

GRACE_S = 60.0
_installed: set[int] = set()
_lock = threading.Lock()


def keep_fetched_downloads(
    manager: MediaFileManager, *, clock: Callable[[], float] = time.monotonic, grace: float = GRACE_S
) -> None:
    """Wrap ``manager``'s orphan check (once per manager) so that a downloadable file is kept for
    ``grace`` seconds after it first shows up unreferenced."""
    with _lock:
        if id(manager) in _installed:
            return
        _installed.add(id(manager))
    original = manager._get_inactive_file_ids
    first_seen: dict[str, float] = {}

    def inactive_after_grace() -> set[str]:  # called with the manager's lock held
        inactive = original()
        now = clock()
        for file_id in [f for f in first_seen if f not in manager._file_metadata]:
            del first_seen[file_id]  # deleted: forget it
        young = {
            file_id
            for file_id in inactive
            if manager._file_metadata[file_id].kind == MediaFileKind.DOWNLOADABLE
            and now - first_seen.setdefault(file_id, now) < grace
        }
        return inactive - young

    manager._get_inactive_file_ids = inactive_after_grace  # type: ignore[method-assign]


def install() -> None:
    """Apply ``keep_fetched_downloads`` to the running app's media file manager (``setup_page``)."""
    if Runtime.exists():
        manager = getattr(Runtime.instance(), "media_file_mgr", None)
        if type(manager) is MediaFileManager:  # not AppTest's stand-in
            keep_fetched_downloads(manager)
