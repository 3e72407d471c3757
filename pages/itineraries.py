"""Itineraries: the city's curated routes, each with its stops on the map and a timed timeline."""

from datetime import date, time

import streamlit as st

from itinerary import counts, maps
from itinerary.catalog import localized, localized_value, order_itineraries
from itinerary.i18n import t
from itinerary.plans import (
    export_plan,
    parse_hhmm,
    places_for,
    plan_days,
    public_base_url,
    share_url,
    stop_notes,
)
from itinerary.routing import profiles_for
from itinerary.stepfree import inclusive_label
from ui.cityaccounts import city_page_link
from ui.counting import count_once
from ui.mapview import city_base_map, show_map
from ui.programme import upcoming_events
from ui.setup import now_in, set_query, setup_page, show_notices
from ui.stepfree import is_on as stepfree_on
from ui.stepfree import itinerary_label_and_switch, itinerary_report, label_line
from ui.text import md_escape
from ui.timeline import duration_label, render_timeline
from ui.trip import export_files, read_trip_params, trip_controls

ctx = setup_page("nav.itineraries")
lang = ctx.lang
catalog = ctx.catalog
itineraries = catalog.itineraries(ctx.city_id)
landmarks = catalog.landmarks(ctx.city_id, include_drafts=True)
themes = catalog.themes()
today = now_in(ctx.timezone).date()

st.title(md_escape(t("itin.title", lang, city=localized_value(ctx.city, "name", lang))), anchor=False)
city_page_link(ctx)  # the city account's own page (issue 11)

chosen = st.query_params.get("itinerary")
if chosen and chosen not in itineraries.index:
    ctx.notices.append(t("itin.unknown", lang, value=chosen))
    set_query(itinerary=None)
    chosen = None

# --- the view in the URL: mode, start, date (bad values are dropped with a notice) -------------
link_mode, link_start, link_day = read_trip_params(ctx)
show_notices(ctx)


def _show(itinerary_id: str | None) -> None:
    set_query(itinerary=itinerary_id, mode=None, start=None, date=None)


def stop_ids(itinerary_id: str) -> tuple[list[str], dict[str, float]]:
    stops = catalog.stops(itinerary_id)
    ids = [lid for lid in stops["landmark_id"] if lid in landmarks.index]
    return ids, dict(zip(stops["landmark_id"], stops["dwell_minutes"].astype(float), strict=True))


def schedule_of(itinerary_id: str, mode: str, start: time, day: date):  # type: ignore[no-untyped-def]
    ids, dwell = stop_ids(itinerary_id)
    places = places_for(landmarks, ids, dwell=dwell)
    return plan_days(places, day=day, start_time=start, mode=mode, city_id=ctx.city_id, timezone=ctx.timezone)


if itineraries.empty:
    st.info(t("itin.none", lang))
    st.stop()

# --- the list of itineraries ------------------------------------------------------------------
if not chosen:
    upcoming_events(ctx, today)  # the city's public programmes, when there are any (issue 12)
    order = order_itineraries(itineraries)
    columns = st.columns(2)
    for i, (iid, it) in enumerate(order.iterrows()):
        days = schedule_of(str(iid), str(it["mode"]), parse_hhmm(it["start_time"]) or time(9), today)
        total = sum(d.total_minutes for d in days)
        km = sum(d.distance_km for d in days)
        with columns[i % 2].container(border=True):
            st.subheader(md_escape(localized_value(it, "title", lang)), anchor=False)
            if it["theme_id"] in themes.index:
                label = localized(themes.loc[[it["theme_id"]]], "label", lang).iloc[0]
                st.markdown(f":blue-badge[{md_escape(label)}]")
            st.markdown(md_escape(localized_value(it, "summary", lang)))
            st.caption(
                t(
                    "itin.card_meta",
                    lang,
                    stops=int(it["stop_count"]),
                    hours=duration_label(total, lang),
                    km=f"{km:.1f}",
                    mode=t(f"mode.{it['mode']}", lang),
                )
            )
            label_line(inclusive_label(landmarks, stop_ids(str(iid))[0]), lang)  # computed, never typed
            st.button(t("itin.choose", lang), key=f"show_{iid}", on_click=_show, args=(str(iid),))
    st.stop()

# --- one itinerary: controls, map and timeline -----------------------------------------------
it = itineraries.loc[chosen]
count_once(ctx, counts.ITINERARY_OPEN, chosen)  # once per browser session (Curate's Reach)
mode = link_mode or str(it["mode"])
start = link_start or parse_hhmm(str(it["start_time"])) or time(9)
day = link_day or today
st.session_state.update(itin_mode=mode, itin_start=start, itin_date=day)


def _on_controls() -> None:
    set_query(
        mode=st.session_state["itin_mode"] if st.session_state["itin_mode"] != it["mode"] else None,
        start=st.session_state["itin_start"].strftime("%H:%M"),
        date=st.session_state["itin_date"].isoformat(),
    )


st.button(t("itin.back", lang), icon=":material/arrow_back:", on_click=_show, args=(None,), key="itin_back")
st.subheader(md_escape(localized_value(it, "title", lang)), anchor=False)
st.markdown(md_escape(localized_value(it, "summary", lang)))
trip_controls("itin", lang, on_change=_on_controls)

days = schedule_of(chosen, mode, start, day)
ids, _ = stop_ids(chosen)
profile = profiles_for(ctx.city_id)[mode]
names = localized(landmarks, "name", lang)
step_free = itinerary_label_and_switch(ctx, landmarks, ids)  # the computed label, the step-free switch

map_col, timeline_col = st.columns([3, 2], gap="medium")
with timeline_col:
    notes = stop_notes(catalog.stops(chosen), lang)  # the curated notes, in the page's language
    flagged = render_timeline(days, landmarks=landmarks, mode=mode, lang=lang, notes=notes)
    st.caption(
        t(
            "itin.estimate_note",
            lang,
            detour=f"{profile.detour_factor:g}",
            speed=f"{profile.speed_kmh:g}",
            overhead=f"{profile.overhead_minutes:g}",
            mode_lower=t(f"mode.{mode}", lang).lower(),
        )
    )
    st.page_link(
        "pages/plan.py",
        label=t("itin.customise", lang),
        icon=":material/edit_road:",
        query_params={
            k: v
            for k, v in {
                "city": ctx.city_id,
                "stops": ",".join(ids),
                "mode": mode,
                "start": start.strftime("%H:%M"),
                "date": day.isoformat(),
                "lang": lang if lang != "en" else "",
                "stepfree": "1" if stepfree_on() else "",
            }.items()
            if v
        },
    )
with map_col:
    route = maps.route_group(
        [
            maps.RouteStop(
                lid,
                float(landmarks.loc[lid, "lat"]),
                float(landmarks.loc[lid, "lon"]),
                names[lid],
                lid in flagged,
            )
            for lid in ids
        ],
        lang=lang,
    )
    lats = [float(landmarks.loc[lid, "lat"]) for lid in ids]
    lons = [float(landmarks.loc[lid, "lon"]) for lid in ids]
    base = city_base_map(ctx)
    if ids:
        base.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30))
    show_map(base, [route], key=f"itin_map_{chosen}", height=560, returned_objects=())
    if step_free:  # under the map: each stop that is not step-free, its swap, long legs and days
        itinerary_report(ctx, landmarks, days, ids, mode=mode, start=start, day=day)

# --- take it along: the same files as a planned route, with the curated notes ---------------------
if ids:
    link_params = {
        "city": ctx.city_id,
        "itinerary": chosen,
        "mode": mode if mode != it["mode"] else None,
        "start": start.strftime("%H:%M"),
        "date": day.isoformat(),
        "lang": lang if lang != "en" else None,
    }
    plan = export_plan(
        title=localized_value(it, "title", lang),
        city_name=localized_value(ctx.city, "name", lang),
        timezone=ctx.timezone,
        mode=mode,
        url=share_url(public_base_url(st.context.url), "itineraries", link_params),
        landmarks=landmarks,
        days=days,
        lang=lang,
        notes=notes,
    )
    with st.expander(t("plan.take", lang), icon=":material/download:"):
        for ext, mime, content in export_files(plan):
            st.download_button(
                t(f"plan.dl.{ext}", lang),
                content,
                f"cityplus-{chosen}-{day.isoformat()}.{ext}",
                mime,
                key=f"itin_dl_{ext}",
                on_click="ignore",  # a download reruns nothing
            )
