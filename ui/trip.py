"""Trip settings shared by Itineraries and Plan my route: mode, start time and date; the files
a plan is taken along in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import streamlit as st

from itinerary import exports
from itinerary.i18n import t
from itinerary.models import MODES
from itinerary.plans import parse_day, parse_hhmm, parse_mode
from ui.setup import PageContext, set_query


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


@st.cache_data(max_entries=32, show_spinner=False)
def export_files(plan: exports.ExportPlan) -> tuple[tuple[str, str, str | bytes], ...]:
    """``exports.all_exports`` of a plan (extension, MIME type, content), kept per plan: every
    format is built when the plan changes (about 0.1 s, mostly the calendar), not on every
    rerun of the page."""
    return exports.all_exports(plan)
