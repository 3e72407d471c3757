"""Start-to-start spacing of requests to each server: per process, or through the database."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from typing import Final, Protocol

import sqlalchemy as sa

from itinerary.geocode.cache import sha256_hex
from itinerary.store import Store, geocode_cache

MAX_BACKOFF: Final = 600.0  # the longest hold-off a 429 can impose (seconds)


class RateLimit(Protocol):
    """Start-to-start spacing of requests to each server.

    ``reserve`` books the next free slot for ``domain`` and returns how many seconds to sleep
    before the request may start, or ``None`` when that slot is more than ``max_wait`` away (the
    caller gives up instead of queueing). ``begin``, called by the same thread once it has slept,
    records that its request starts now and returns how many seconds more to wait first: when the
    request before it started late (a thread that woke late, a busy machine), its slot is moved on
    by as much, so starts stay ``min_delay`` apart. ``hold_off`` keeps everyone away for
    ``seconds`` (after a 429).
    """

    def reserve(self, domain: str, *, min_delay: float, max_wait: float) -> float | None: ...

    def begin(self, domain: str, *, min_delay: float) -> float: ...

    def hold_off(self, domain: str, seconds: float) -> None: ...


class _SlotLimiter:
    """Start-to-start spacing of requests to one server, shared by every caller in the process.

    Unlike geopy's ``RateLimiter`` (see ``Geocoder``), a caller *reserves* the next free slot
    under the lock and then sleeps outside it, and is refused when that slot is further away
    than it can wait, so a queue of sessions never turns into a hang.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_free = -math.inf
        self._last_start = -math.inf

    def reserve(self, now: float, *, min_delay: float, max_wait: float) -> float | None:
        """Seconds to sleep before the reserved request may start, or ``None`` (no slot in time)."""
        with self._lock:
            start = max(now, self._next_free)
            wait = start - now
            if wait > max_wait:
                return None
            self._next_free = start + min_delay
            return wait

    def begin(self, now: float, slot: float, *, min_delay: float) -> float:
        """Record a start at ``now`` of the request reserved for ``slot``; seconds more to wait."""
        with self._lock:
            extra, self._last_start = _begin(self._last_start, now, slot, min_delay)
            return extra

    def hold_off(self, until: float) -> None:
        """No request before ``until`` (the server said 429)."""
        with self._lock:
            self._next_free = max(self._next_free, until)


def _begin(last_start: float, now: float, slot: float, min_delay: float) -> tuple[float, float]:
    """Extra seconds to wait, and the start to record, for a request reserved for ``slot`` that
    is ready at ``now`` when the one before it started at ``last_start``. Relative to the slot, not
    to ``now``: a request that is itself on time waits only as long as the one before was late."""
    extra = max(0.0, last_start + min_delay - slot)
    return extra, max(now, slot + extra)


_LIMITERS: dict[tuple[str, Hashable], _SlotLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def _limiter_for(domain: str, clock: Hashable) -> _SlotLimiter:
    # Keyed by clock too: times from different clocks cannot be compared. In production every
    # instance uses time.monotonic, so all instances for one server share one limiter.
    key = (domain.lower(), clock)
    with _LIMITERS_LOCK:
        limiter = _LIMITERS.get(key)
        if limiter is None:
            limiter = _LIMITERS[key] = _SlotLimiter()
        return limiter


class ProcessRateLimit:
    """The default ``RateLimit``: module-level state, so every ``Geocoder`` and every thread of
    the process (every session of one Streamlit server) shares one slot per server domain.

    It does not reach other processes. For one app server that is the whole app; with several
    processes on one database, use ``DbRateLimit``.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._slots = threading.local()  # the slot each thread reserved last, for ``begin``

    def reserve(self, domain: str, *, min_delay: float, max_wait: float) -> float | None:
        now = self._clock()
        wait = _limiter_for(domain, self._clock).reserve(now, min_delay=min_delay, max_wait=max_wait)
        if wait is not None:
            self._slots.slot = now + wait
        return wait

    def begin(self, domain: str, *, min_delay: float) -> float:
        now = self._clock()
        slot = getattr(self._slots, "slot", now)
        return _limiter_for(domain, self._clock).begin(now, slot, min_delay=min_delay)

    def hold_off(self, domain: str, seconds: float) -> None:
        _limiter_for(domain, self._clock).hold_off(self._clock() + seconds)


_SLOT_ATTEMPTS: Final = 20


class DbRateLimit:
    """A ``RateLimit`` shared by every process on the database: one row of ``geocode_cache``.

    The row (key ``"rate-limit slot <domain>"``, never a cache key: those are JSON lists) holds
    the next free start time as wall-clock epoch seconds in ``results``. A reservation reads it
    and moves it on with a compare-and-set ``UPDATE ... WHERE results = <what was read>``: one
    atomic statement on SQLite and PostgreSQL alike, no lock held while anyone sleeps; a lost
    race just reads again. A stored time further ahead than any legitimate hold-off (the wall
    clock stepped back) is ignored. Database errors propagate: ``Geocoder`` logs them and falls
    back to the process-wide limit for that search.
    """

    def __init__(self, store: Store, *, clock: Callable[[], float] = time.time) -> None:
        self._engine = store.engine
        self._clock = clock
        self._slots = threading.local()  # the slot each thread reserved last, for ``begin``

    def reserve(self, domain: str, *, min_delay: float, max_wait: float) -> float | None:
        for _ in range(_SLOT_ATTEMPTS):
            now = self._clock()
            (next_free, last_start), seen = self._read(domain, now)
            start = max(now, next_free)
            wait = start - now
            if wait > max_wait:
                return None
            if self._swap(domain, seen, start + min_delay, last_start):
                self._slots.slot = start
                return wait
        return None  # lost the race every time: as busy as a full queue

    def begin(self, domain: str, *, min_delay: float) -> float:
        for _ in range(_SLOT_ATTEMPTS):
            now = self._clock()
            slot = getattr(self._slots, "slot", now)
            (next_free, last_start), seen = self._read(domain, now)
            extra, started = _begin(last_start, now, slot, min_delay)
            if self._swap(domain, seen, next_free, started):
                return extra
        return 0.0  # lost every race: the reservation's own spacing still holds

    def hold_off(self, domain: str, seconds: float) -> None:
        for _ in range(_SLOT_ATTEMPTS):
            now = self._clock()
            (next_free, last_start), seen = self._read(domain, now)
            if next_free >= now + seconds or self._swap(domain, seen, now + seconds, last_start):
                return

    def _key(self, domain: str) -> tuple[str, str]:
        text = f"rate-limit slot {domain.lower()}"
        return sha256_hex(text), text

    def _read(self, domain: str, now: float) -> tuple[tuple[float, float], str | None]:
        """The next free time and the last start (``-inf`` if none or implausible), and the raw
        text seen."""
        sha, _ = self._key(domain)
        with self._engine.connect() as conn:
            seen = conn.execute(
                sa.select(geocode_cache.c.results).where(geocode_cache.c.key_sha256 == sha)
            ).scalar()
        times = []
        for name in ("next_free", "last_start"):
            try:
                value = float(json.loads(seen).get(name, -math.inf)) if seen is not None else -math.inf
            except (TypeError, ValueError, AttributeError):
                value = -math.inf
            times.append(value if math.isfinite(value) and value <= now + MAX_BACKOFF + 60 else -math.inf)
        return (times[0], times[1]), seen

    def _swap(self, domain: str, seen: str | None, next_free: float, last_start: float) -> bool:
        """Store ``next_free`` and ``last_start`` if the row still holds ``seen``; False when
        someone was faster."""
        sha, text = self._key(domain)
        latest = max(next_free, last_start, self._clock())
        values = {
            "results": json.dumps({"next_free": _finite(next_free), "last_start": _finite(last_start)}),
            # kept well past its use, so purging expired answers never drops a live slot
            "expires_at": datetime.fromtimestamp(latest, UTC) + timedelta(days=1),
        }
        table = geocode_cache
        try:
            with self._engine.begin() as conn:
                if seen is None:
                    conn.execute(table.insert().values(key_sha256=sha, query=text, **values))
                    return True
                updated = conn.execute(
                    table.update().where(table.c.key_sha256 == sha, table.c.results == seen).values(**values)
                )
                return bool(updated.rowcount == 1)
        except sa.exc.IntegrityError:  # another process created the row first
            return False


def _finite(value: float) -> float | None:
    """A time for the row's JSON (``-inf``, none yet, is stored as null)."""
    return value if math.isfinite(value) else None
