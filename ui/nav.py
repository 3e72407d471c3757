"""The app's visitor pages, in navigation order. Paths and URLs are public (share links)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from itinerary.i18n import t


@dataclass(frozen=True)
class PageEntry:
    path: str  # relative to the project root
    title_key: str
    url_path: str
    icon: str  # a Material icon: Streamlit ships the font (an emoji needs a system font)


PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/explore.py", "nav.explore", "", ":material/map:"),
    PageEntry("pages/itineraries.py", "nav.itineraries", "itineraries", ":material/route:"),
    PageEntry("pages/plan.py", "nav.plan", "plan", ":material/edit_road:"),
)


# Registered with st.navigation but never linked from the visitor pages.
UNLISTED: tuple[PageEntry, ...] = (
    PageEntry("pages/kiosk.py", "nav.kiosk", "kiosk", ":material/tv:"),
    PageEntry("pages/curate.py", "nav.curate", "curate", ":material/edit_note:"),
)


def navigation_pages(lang: str) -> list[st.Page]:
    return [
        # no icon here: a Material page icon becomes a favicon fetched from Google's servers
        st.Page(p.path, title=t(p.title_key, lang), url_path=p.url_path or None, default=i == 0)
        for i, p in enumerate(PAGES + UNLISTED)
    ]
