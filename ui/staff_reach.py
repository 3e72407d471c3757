"""Staff: Reach, the usage figures of ``/curate`` (``itinerary.counts.figures``) as Vega-Lite
charts (``st.altair_chart``: Streamlit serves Vega itself, nothing is fetched), per city for
editors and for every city for admins, each saying what it counts and what not; a CSV of the
figures shown (formula-safe)."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from itinerary import counts
from itinerary.catalog import localized
from itinerary.counts import figures
from itinerary.i18n import LANG_NAMES, STRINGS, t
from ui.setup import PageContext, now_in
from ui.staff import Staff
from ui.text import md_escape

PERIODS = (7, 30, 90, 365)
COUNT_AXIS = alt.Axis(format="d", tickMinStep=1)  # counts are whole numbers
TREND_EVENTS = (
    counts.PAGE_VIEW,
    counts.ITINERARY_OPEN,
    counts.PROGRAMME_OPEN,
    counts.EXPORT,
    counts.QR_HANDOFF,
)


def _figure(title: str, what: str, chart: alt.Chart | None, *, empty: str) -> None:
    st.markdown(f"**{md_escape(title)}**")
    st.caption(what)
    if chart is None:
        st.caption(empty)
        return
    st.altair_chart(chart, use_container_width=True)


def _bars(frame: pd.DataFrame, label: str, value: str) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_bar(color="#1f5fa8")
        .encode(
            x=alt.X("n:Q", title=value, axis=COUNT_AXIS),
            y=alt.Y("label:N", title=label, sort="-x", axis=alt.Axis(labelLimit=260)),
            tooltip=[alt.Tooltip("label:N", title=label), alt.Tooltip("n:Q", title=value)],
        )
    )


def _event_label(event: str, lang: str) -> str:
    return t(f"reach.event.{event}", lang)


def reach_section(staff: Staff, ctx: PageContext) -> None:
    lang = ctx.lang
    every_city = staff.account.all_cities and st.toggle(t("reach.all_cities", lang), key="reach_all")
    if st.session_state.get("reach_days") not in PERIODS:
        st.session_state["reach_days"] = 30
    days = st.segmented_control(
        t("reach.period", lang),
        PERIODS,
        format_func=lambda n: t("reach.days", lang, days=n),
        key="reach_days",
        required=True,
    )
    end = now_in(ctx.timezone).date()
    start = end - timedelta(days=int(days or 30) - 1)
    frame = figures.read(ctx.catalog.store, None if every_city else [staff.city_id], start, end)
    st.caption(t("reach.privacy", lang))
    if frame.empty:
        st.info(t("reach.none", lang))
        return
    value = t("reach.count", lang)

    trend = figures.trend(frame, TREND_EVENTS)
    trend["label"] = trend["event"].map(lambda e: _event_label(e, lang))
    line = (
        alt.Chart(trend)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title=t("reach.day", lang)),
            y=alt.Y("n:Q", title=value, axis=COUNT_AXIS),
            color=alt.Color("label:N", title=t("reach.what", lang)),
            tooltip=[
                "day:T",
                alt.Tooltip("label:N", title=t("reach.what", lang)),
                alt.Tooltip("n:Q", title=value),
            ],
        )
    )
    _figure(
        t("reach.trend", lang),
        t("reach.trend_help", lang),
        line if not trend.empty else None,
        empty=t("reach.empty", lang),
    )

    pages = figures.views_by_page(frame)
    pages["label"] = pages["key"].map(lambda k: t(f"nav.{k}", lang) if f"nav.{k}" in STRINGS else k)
    pages["language"] = pages["lang"].map(lambda code: LANG_NAMES.get(code, code))
    by_page = (
        alt.Chart(pages)
        .mark_bar()
        .encode(
            x=alt.X("n:Q", title=value, axis=COUNT_AXIS, stack="zero"),
            y=alt.Y("label:N", title=t("reach.page", lang), sort="-x", axis=alt.Axis(labelLimit=260)),
            color=alt.Color("language:N", title=t("reach.language", lang)),
            tooltip=[
                alt.Tooltip("label:N", title=t("reach.page", lang)),
                "language:N",
                alt.Tooltip("n:Q", title=value),
            ],
        )
    )
    _figure(
        t("reach.pages", lang),
        t("reach.pages_help", lang),
        by_page if not pages.empty else None,
        empty=t("reach.empty", lang),
    )

    itineraries = ctx.catalog.itineraries(staff.city_id)
    titles = localized(itineraries, "title", lang) if not itineraries.empty else pd.Series(dtype=object)
    top = figures.top_itineraries(frame)
    top["label"] = top["key"].map(lambda k: str(titles.get(k, k)))
    _figure(
        t("reach.top", lang),
        t("reach.top_help", lang),
        _bars(top, t("reach.itinerary", lang), value) if not top.empty else None,
        empty=t("reach.empty", lang),
    )

    fmt = figures.exports_by_format(frame)
    fmt["label"] = fmt["key"].str.upper()
    _figure(
        t("reach.exports", lang),
        t("reach.exports_help", lang),
        _bars(fmt, t("reach.format", lang), value) if not fmt.empty else None,
        empty=t("reach.empty", lang),
    )

    _kiosk(frame, lang, value)

    searches = figures.empty_searches(frame)
    searches["label"] = searches["key"]
    _figure(
        t("reach.searches", lang),
        t("reach.searches_help", lang, minimum=figures.MIN_SEARCHES),
        _bars(searches, t("reach.search", lang), value) if not searches.empty else None,
        empty=t("reach.empty", lang),
    )
    st.download_button(
        t("reach.csv", lang),
        figures.csv_text(frame),
        f"cityplus-reach-{'all' if every_city else staff.city_id}-{start.isoformat()}-{end.isoformat()}.csv",
        "text/csv",
        key="reach_csv",
        on_click="ignore",
        icon=":material/download:",
    )


def _kiosk(frame: pd.DataFrame, lang: str, value: str) -> None:
    kiosk_days = figures.kiosk_days(frame)
    chart = None
    if kiosk_days:
        day = st.selectbox(t("reach.kiosk_day", lang), kiosk_days, key="reach_kiosk_day")
        hours = figures.kiosk_hours(frame, str(day or kiosk_days[0]))
        hours["label"] = hours["event"].map(lambda e: _event_label(e, lang))
        chart = (
            alt.Chart(hours)
            .mark_bar()
            .encode(
                x=alt.X("hour:O", title=t("reach.hour", lang)),
                y=alt.Y("n:Q", title=value, axis=COUNT_AXIS),
                color=alt.Color("label:N", title=t("reach.what", lang)),
                xOffset="label:N",
                tooltip=[
                    "hour:O",
                    alt.Tooltip("label:N", title=t("reach.what", lang)),
                    alt.Tooltip("n:Q", title=value),
                ],
            )
        )
    _figure(t("reach.kiosk", lang), t("reach.kiosk_help", lang), chart, empty=t("reach.empty", lang))
