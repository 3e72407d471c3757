"""The pages' usage counts (``itinerary.counts``): what a session counts once, and the kiosk's
QR hand-off marker, counted when a phone opens the link and dropped from its URL.

A session remembers in its own state (never a cookie, never local storage) which figures it
has counted already, so a page view is counted once per browser session and page, city and
language: the most detailed figure there is. Reruns cost a set lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from itinerary import counts

if TYPE_CHECKING:
    from ui.setup import PageContext

SEEN_KEY = "count_seen"
UNCOUNTED_PAGES = frozenset({"curate"})  # staff pages are not the audience


def count_event(ctx: PageContext, event: str, key: str = "") -> None:
    """Count ``event`` (an export, a kiosk touch): every call counts. Written by the process's
    count writer, off this run (``counts.count_soon``)."""
    counts.count_soon(
        ctx.catalog.store, event, city_id=ctx.city_id, key=key, lang=ctx.lang, timezone=ctx.timezone
    )


def counted_download(
    ctx: PageContext, event: str, key: str, content: str | bytes | Callable[[], str | bytes]
) -> Callable[[], str | bytes]:
    """A download button's deferred ``data``: counts ``event`` when the browser fetches the file
    (on the download's own thread, so the click starts no rerun) and returns ``content`` (or
    what ``content()`` builds then)."""

    def fetch() -> str | bytes:
        count_event(ctx, event, key)
        return content() if callable(content) else content

    return fetch


def count_once(ctx: PageContext, event: str, key: str = "") -> None:
    """Count ``event`` once per browser session for this city, key and language."""
    seen: set[tuple[str, str, str, str]] = st.session_state.setdefault(SEEN_KEY, set())
    mark = (event, ctx.city_id, key, ctx.lang)
    if mark in seen:
        return
    seen.add(mark)
    count_event(ctx, event, key)


def count_visit(ctx: PageContext, title_key: str) -> None:
    """The page view of this session (once per page, city and language), and a QR hand-off
    when the link carries the kiosk's marker, which is then dropped from the URL."""
    page = title_key.removeprefix("nav.")
    if page in UNCOUNTED_PAGES:
        return
    if st.query_params.get(counts.SOURCE_PARAM) is not None:
        if st.query_params.get(counts.SOURCE_PARAM) == counts.KIOSK_SOURCE:
            count_event(ctx, counts.QR_HANDOFF, page)
        del st.query_params[counts.SOURCE_PARAM]  # the visitor keeps a clean link
    count_once(ctx, counts.PAGE_VIEW, page)
