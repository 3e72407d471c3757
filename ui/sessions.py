"""Abandoned sessions give their memory back: disconnected sessions past their TTL are shut down.

When a browser goes away, Streamlit 1.67 keeps its session for ``server.disconnectedSessionTTL``
seconds so that a reconnecting tab finds its state (``MemorySessionStorage``, a TTL cache of at
most 128). Past the TTL the session only *reads* as absent: it stays in the cache until the next
disconnect writes to it, and even then it is dropped without ``AppSession.shutdown``, so what the
process keeps for it elsewhere (its media files, its uploads) stays. bench.load measured it: 40
abandoned sessions past their TTL left the process as large as before.

``install`` (called by ``setup_page``, once per process) looks every ``PURGE_EVERY_S`` seconds on
Streamlit's event loop, the thread its own session handling runs on, and shuts down each expired
session as Streamlit does for a closed one; a save into the store shuts down what it drops (the
expired, and the least recently used when 128 are held). A tab that comes back later gets a new
session, as it would after the TTL anyway.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from streamlit.runtime import Runtime

PURGE_EVERY_S = 10.0
_LOG = logging.getLogger(__name__)
_installed: set[int] = set()
_lock = threading.Lock()


def purge_expired(manager: Any) -> int:
    """Shut down the sessions ``manager`` stores for reconnection whose TTL has passed; how many.
    A manager without such a store (another session manager) is left alone."""
    storage = getattr(manager, "_session_storage", None)
    cache = getattr(storage, "_cache", None)
    lock = getattr(manager, "_storage_lock", None)
    if cache is None or lock is None or not hasattr(cache, "expire"):
        return 0
    with lock:
        expired = cache.expire()
    for _session_id, info in expired:
        info.session.shutdown()
    return len(expired)


def shut_down_what_saving_drops(manager: Any) -> None:
    """Wrap ``manager``'s store so that a save shuts down what it would drop without a word:
    the sessions past their TTL, and, when the store is full (128), the least recently used."""
    storage = getattr(manager, "_session_storage", None)
    cache = getattr(storage, "_cache", None)
    if storage is None or cache is None or not hasattr(cache, "expire"):
        return
    original = storage.save

    def save(info: Any) -> None:  # Streamlit calls it with the manager's lock held
        for _session_id, old in cache.expire():
            old.session.shutdown()
        while info.session.id not in cache and len(cache._data) >= cache.maxsize:
            _session_id, old = cache.popitem()
            old.session.shutdown()
        original(info)

    storage.save = save


def install(every: float = PURGE_EVERY_S) -> None:
    """Start the periodic purge on the running app's event loop (once per runtime)."""
    if not Runtime.exists():
        return
    runtime = Runtime.instance()
    manager = getattr(runtime, "_session_mgr", None)  # AppTest's runtime is a stand-in without one
    async_objs = getattr(runtime, "_async_objs", None)
    loop = getattr(async_objs, "eventloop", None)
    if manager is None or not isinstance(loop, asyncio.AbstractEventLoop):
        return
    with _lock:
        if id(runtime) in _installed:
            return
        _installed.add(id(runtime))
    shut_down_what_saving_drops(manager)

    def tick() -> None:
        try:
            purge_expired(manager)
        except Exception:  # a purge that fails must not stop the next ones
            _LOG.exception("purging expired sessions failed")
        if not loop.is_closed():
            loop.call_later(every, tick)

    loop.call_soon_threadsafe(tick)
