"""Explore's "More filters" (wheelchair, free entry, open now, district, access needs), kept in
the page's link like the themes and the search, so that a shared link keeps them.

The link is the truth: each run puts the link's values into the widgets' session state before
they are drawn, and a change of any widget writes the link (``catalog.filter_link_params``).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from itinerary.catalog import FilterLink, filter_link_params, read_filter_link
from itinerary.i18n import t
from itinerary.stepfree import NEEDS
from ui.setup import PageContext, set_query

KEYS = {
    "wheelchair": "explore_wheelchair",
    "free": "explore_free",
    "open": "explore_open",
    "district": "explore_districts",
    "need": "explore_needs",
}


def read_filters(ctx: PageContext, districts: list[str]) -> FilterLink:
    """The link's filters, with a notice for each value dropped from it; primes the widgets."""
    link, bad = read_filter_link(st.query_params.to_dict(), districts=districts)
    for name, value in bad:
        key = "notice.unknown_need" if name == "need" else "notice.bad_filter"
        ctx.notices.append(t(key, ctx.lang, value=value, name=name))
    if bad:
        set_query(**filter_link_params(link))
    st.session_state.update(
        {
            KEYS["wheelchair"]: link.wheelchair,
            KEYS["free"]: link.free_only,
            KEYS["open"]: link.open_now,
            KEYS["district"]: list(link.districts),
            KEYS["need"]: list(link.needs),
        }
    )
    return link


def _from_widgets() -> FilterLink:
    state = st.session_state
    return FilterLink(
        wheelchair=state.get(KEYS["wheelchair"]) or "",
        free_only=bool(state.get(KEYS["free"])),
        open_now=bool(state.get(KEYS["open"])),
        needs=tuple(n for n in NEEDS if n in (state.get(KEYS["need"]) or [])),
        districts=tuple(state.get(KEYS["district"]) or []),
    )


def _on_change() -> None:
    set_query(**filter_link_params(_from_widgets()))


def clear_filter_params() -> None:
    """Drop every one of these filters from the link (the widgets follow on the next run)."""
    set_query(**dict.fromkeys(KEYS))


def more_filters(lang: str, districts: Mapping[str, str]) -> FilterLink:
    """The "More filters" expander; the filters as its widgets now hold them. ``districts`` are
    the city's districts (the values the link holds) and their labels in the page's language."""
    # open when a link set any of them, so that a visitor sees why the list is shorter
    with st.expander(t("explore.more_filters", lang), expanded=_from_widgets() != FilterLink()):
        c1, c2, c3 = st.columns([2, 1, 1])
        c1.segmented_control(
            t("explore.wheelchair", lang),
            options=["", "yes", "limited"],
            format_func=lambda v: t(f"explore.wheelchair_{v or 'any'}", lang),
            key=KEYS["wheelchair"],
            on_change=_on_change,
        )
        c2.toggle(t("explore.free", lang), key=KEYS["free"], on_change=_on_change)
        c3.toggle(t("explore.open_now", lang), key=KEYS["open"], on_change=_on_change)
        st.pills(
            t("explore.needs", lang),
            options=list(NEEDS),
            format_func=lambda n: t(f"need.{n}", lang),
            selection_mode="multi",
            key=KEYS["need"],
            on_change=_on_change,
            help=t("explore.needs_help", lang),
        )
        st.multiselect(
            t("explore.district", lang),
            options=list(districts),
            format_func=lambda d: districts.get(d, d),  # district_zh on Chinese pages
            placeholder=t("widget.choose", lang),
            key=KEYS["district"],
            on_change=_on_change,
        )
    return _from_widgets()
