"""The app's visitor pages, in navigation order. Paths and URLs are public (share links)."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from itinerary.i18n import t
from itinerary.plans import parse_id_list, with_stop


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
    PageEntry("pages/city.py", "nav.city", "city", ":material/location_city:"),
    PageEntry("pages/network.py", "nav.network", "network", ":material/hub:"),
)


# Registered with st.navigation but never linked from the visitor pages.
UNLISTED: tuple[PageEntry, ...] = (
    PageEntry("pages/kiosk.py", "nav.kiosk", "kiosk", ":material/tv:"),
    PageEntry("pages/curate.py", "nav.curate", "curate", ":material/edit_note:"),
    PageEntry("pages/programme.py", "nav.programme", "programme", ":material/event_note:"),
)


def navigation_pages(lang: str) -> list[st.Page]:
    """The pages for ``st.navigation``, titled in ``lang``: copies, one set per run (Streamlit
    marks the page it picks as callable, and running it clears the mark: shared objects would
    let one session's run clear another's)."""
    return [copy.copy(page) for page in _pages(lang, _main_dir())]


def _main_dir() -> str:
    ctx = get_script_run_ctx()
    return str(ctx.pages_manager.main_script_parent) if ctx is not None else ""


@functools.lru_cache(maxsize=16)
def _pages(lang: str, main_dir: str) -> tuple[st.Page, ...]:
    """Made once per language and main script (``main_dir``, which page paths are relative to):
    ``st.Page`` resolves its path through the file system, and making the eight pages at every
    run took 15 ms of each run (bench.load's profile). ``navigation_pages`` hands out copies."""
    return tuple(
        # no icon here: a Material page icon becomes a favicon fetched from Google's servers
        st.Page(p.path, title=t(p.title_key, lang), url_path=p.url_path or None, default=i == 0)
        for i, p in enumerate(PAGES + UNLISTED)
    )


# --- one flow from Explore to Plan ----------------------------------------------------------------
# The plan lives in Plan's URL (docs/architecture.md, "Public URLs"). So that a visitor who leaves
# Plan finds the same plan again (the sidebar's link, a card's "Add to my route"), the session
# keeps Plan's last query parameters, per city.
PLAN_MEMORY = "nav_plan_params"
PLAN_PAGE = "pages/plan.py"


def remember_plan(city_id: str) -> None:
    """Keep the Plan page's query parameters of this run (call it once they are checked)."""
    st.session_state.setdefault(PLAN_MEMORY, {})[city_id] = st.query_params.to_dict()


def plan_params(city_id: str, lang: str, *, add: str | None = None) -> dict[str, str]:
    """The query parameters of a link to Plan: this session's plan in ``city_id``, if any, in the
    page's language, with ``add`` added as its last stop (``plans.with_stop``)."""
    params = dict(st.session_state.get(PLAN_MEMORY, {}).get(city_id, {}))
    params["city"] = city_id
    params.pop("lang", None)
    if lang != "en":
        params["lang"] = lang
    if add:
        params["stops"] = with_stop(params.get("stops"), add)
    return params


def planned(city_id: str) -> list[str]:
    """The stops of this session's plan in ``city_id``."""
    return parse_id_list(st.session_state.get(PLAN_MEMORY, {}).get(city_id, {}).get("stops"))


def add_to_route_link(city_id: str, landmark_id: str, lang: str) -> None:
    """A landmark card's link into Plan, with the landmark added to this session's plan."""
    st.page_link(
        PLAN_PAGE,
        label=t("phone.in_route" if landmark_id in planned(city_id) else "phone.add_to_route", lang),
        icon=":material/add_location_alt:",
        query_params=plan_params(city_id, lang, add=landmark_id),
    )
