"""Trip settings shared by Itineraries and Plan my route: mode, start time and date; the files
a plan is taken along in."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date, time
from typing import Any

import streamlit as st

from itinerary import exports
from itinerary.i18n import join_list, t
from itinerary.models import MODES
from itinerary.plans import day_notice, parse_day, parse_hhmm, parse_mode
from ui.setup import PageContext, set_query
from ui.text import md_escape


def read_trip_params(ctx: PageContext) -> tuple[str | None, time | None, date | None]:
    """``mode``, ``start`` and ``date`` from the link; bad values are dropped with a notice."""
    values = []
    for key, parse, notice in (
        ("mode", parse_mode, "notice.bad_mode"),
        ("start", parse_hhmm, "notice.bad_start"),
        ("date", parse_day, "notice.bad_date"),
    ):
        raw = st.query_params.get(key)
        value = parse(raw)  # type: ignore[operator]
        if raw and value is None:
            notice = day_notice(raw) if key == "date" else notice  # 2026-02-30: "no such date"
            ctx.notices.append(t(notice, ctx.lang, value=raw))
            set_query(**{key: None})
        values.append(value)
    return values[0], values[1], values[2]


def trip_controls(prefix: str, lang: str, *, on_change: Callable[[], None]) -> None:
    """Travel mode, start time and date widgets keyed ``{prefix}_mode|start|date``; the page
    puts their values in session state first (from the link) and writes the link on change."""
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.segmented_control(
        t("itin.mode", lang),
        options=list(MODES),
        format_func=lambda m: t(f"mode.{m}", lang),
        key=f"{prefix}_mode",
        on_change=on_change,
        required=True,
    )
    c2.time_input(t("itin.start", lang), key=f"{prefix}_start", on_change=on_change, step=900)
    c3.date_input(t("itin.date", lang), key=f"{prefix}_date", on_change=on_change)


def export_files(plan: exports.ExportPlan) -> tuple[tuple[str, str, Callable[[], str | bytes]], ...]:
    """(extension, MIME type, deferred content) of every export of a plan, for download buttons:
    a file is built when the browser fetches it (``exports.export_file``, kept per plan), not at
    every change of the plan."""
    return tuple(
        (ext, mime, functools.partial(exports.export_file, plan, ext))
        for ext, mime, _write in exports.FORMATS
    )


# A stop's row on Plan: the ↑ ↓ × buttons show only their icons, and their labels ("Move up")
# stay in the page for screen readers, visually hidden: Streamlit names an icon-only button
# "arrow_upward icon".
ROW_CSS = """
[class*="st-key-plan_row_"] button [data-testid="stMarkdownContainer"] {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
[class*="st-key-plan_row_"] button { min-width: 2.5rem; }
"""


def stop_row(
    i: int,
    lid: str,
    label: str,
    *,
    last: bool,
    lang: str,
    move: Callable[[int, int], None],
    remove: Callable[[str], None],
    toggle_must: Callable[[str], None],
) -> None:
    """One stop of the plan on one line, also on a phone: its number and name (``label``,
    markdown-safe) with its must-see box under it, then ↑ ↓ × (named for screen readers). A
    horizontal container that does not wrap keeps them side by side where ``st.columns`` would
    stack them below 640 px."""
    if i == 0:
        st.html(f"<style>{ROW_CSS}</style>")  # style only: Streamlit puts it where it takes no room
    row = st.container(
        horizontal=True, wrap=False, vertical_alignment="center", gap="small", key=f"plan_row_{lid}"
    )
    with row:
        with st.container(gap="xxsmall", width="stretch"):
            st.markdown(label)
            st.checkbox(t("plan.must", lang), key=f"must_{lid}", on_change=toggle_must, args=(lid,))
        for key, icon, handler, args, help_key, disabled in (
            (f"up_{lid}", ":material/arrow_upward:", move, (i, -1), "plan.up", i == 0),
            (f"down_{lid}", ":material/arrow_downward:", move, (i, 1), "plan.down", last),
            (f"rm_{lid}", ":material/close:", remove, (lid,), "plan.remove", False),
        ):
            text = t(help_key, lang)  # the button's name, read aloud; the icon is what one sees
            st.button(text, key=key, icon=icon, on_click=handler, args=args, help=text, disabled=disabled)


def offer_route_back(
    count: int, *, other: str, here: str, lang: str, keep: Callable[[], None], new: Callable[[], None]
) -> None:
    """The route of ``count`` stops left in the city ``other`` when the city changed: say so,
    and offer to go back to it with the route, or to start a new one ``here``."""
    with st.container(border=True):
        st.warning(md_escape(t("plan.other_city", lang, count=count, city=other)))
        with st.container(horizontal=True):
            st.button(
                t("plan.keep_route", lang, city=other), on_click=keep, key="plan_keep_route", type="primary"
            )
            st.button(t("plan.new_route", lang, city=here), on_click=new, key="plan_new_route")


def show_outcome(
    message: tuple[str, Any] | None,
    fitted: Mapping[str, Any] | None,
    *,
    names: Mapping[str, str],
    lang: str,
    undo: Callable[[], None],
) -> None:
    """What the last action did: optimising (a new order, or the order already the best; the
    stops late on the final schedule), a fit that changed nothing (all fit, or even the must-see
    stops do not), an undo; and,
    while the fitted plan stands, what the fit left out with its one undo."""
    kind, value = message or ("", None)
    if kind == "optimised":
        if value.already_best:
            st.info(t("plan.already_best", lang, minutes=round(value.minutes_before)))
        else:
            after, before = round(value.minutes_after), round(value.minutes_before)
            st.success(t("plan.optimised", lang, after=after, before=before))
        if value.late:
            st.warning(
                t("plan.late", lang, names=join_list((md_escape(names.get(x, x)) for x in value.late), lang))
            )
    elif kind == "too_long":
        st.warning(t("plan.must_too_long", lang, hours=f"{value:g}"))
        st.caption(t("plan.unchanged", lang))
    elif kind == "fitted_all":
        st.success(t("plan.fitted_all", lang, hours=f"{value:g}"))
    elif kind == "undone":
        st.success(t("plan.undone", lang))
    if not fitted:
        return
    hours = f"{fitted['hours']:g}"
    dropped = join_list((md_escape(names.get(x, x)) for x in fitted["dropped"]), lang)
    kept, total = len(fitted["after"]), len(fitted["before"])
    st.info(t("plan.fitted", lang, kept=kept, total=total, hours=hours, names=dropped))
    st.button(t("plan.undo", lang), on_click=undo, key="plan_undo", icon=":material/undo:")
