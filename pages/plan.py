"""Plan my route: choose, order and time your own stops, then take the plan along."""

import functools
from datetime import time
from typing import Any

import folium
import streamlit as st

from itinerary import counts, exports, maps
from itinerary.catalog import localized, localized_value, nearest_landmark
from itinerary.geocode import Geocoder
from itinerary.i18n import t
from itinerary.plans import (
    ORIGIN_ID,
    export_plan,
    fit_to_budget,
    optimise_order,
    origin_params,
    parse_id_list,
    parse_origin,
    places_for,
    plan_days,
    public_base_url,
    search_box,
    share_url,
    split_known,
    unknown_notice,
)
from itinerary.routing import Place
from ui.cityaccounts import city_page_link
from ui.counting import counted_download
from ui.mapview import city_base_map, clicked_point, show_map
from ui.nav import remember_plan
from ui.setup import now_in, set_query, setup_page, show_notices
from ui.sharelink import share_link
from ui.stepfree import plan_report, plan_switch
from ui.text import md_escape
from ui.timeline import render_timeline
from ui.trip import export_files, offer_route_back, read_trip_params, show_outcome, stop_row, trip_controls

MAP_KEY = "plan_map"


ROUTE_KEYS = ("origin", "origin_name", "round_trip")  # what a route keeps besides its stops


def route_params_of() -> dict[str, str | None]:
    return {key: st.query_params.get(key) for key in ROUTE_KEYS}


ctx = setup_page("nav.plan")
lang = ctx.lang
catalog = ctx.catalog
landmarks = catalog.landmarks(ctx.city_id)
themes = catalog.themes()
names = localized(landmarks, "name", lang)

# --- the plan lives in the URL ------------------------------------------------------------------
ids, unknown = split_known(parse_id_list(st.query_params.get("stops")), landmarks.index)
if unknown:
    ctx.notices.append(unknown_notice(unknown, lang))
    set_query(stops=",".join(ids))
link_mode, link_start, link_day = read_trip_params(ctx)
mode = link_mode or "transit"
start = link_start or time(9)
day = link_day or now_in(ctx.timezone).date()
raw_origin = st.query_params.get("origin")
start_point = parse_origin(raw_origin, st.query_params.get("origin_name"))
if raw_origin and start_point is None:  # the README promises a notice for a bad start point
    ctx.notices.append(t("notice.bad_origin", lang, value=raw_origin))
    set_query(origin=None, origin_name=None)
origin = start_point.place if start_point else None
remember_plan(ctx.city_id)  # the checked link, for the sidebar and Explore's "Add to my route"
origin_label = start_point.label if start_point else ""
round_trip = st.query_params.get("round_trip") == "1"
st.session_state.update(plan_mode=mode, plan_start=start, plan_date=day, plan_round_trip=round_trip)
# the route of another city, left behind when the city changed: offered back, never emptied silently
left: dict[str, Any] | None = st.session_state.get("plan_route")
if ids:
    left = st.session_state["plan_route"] = {"city": ctx.city_id, "stops": ids, **route_params_of()}
elif left is not None and left["city"] == ctx.city_id:
    left = st.session_state["plan_route"] = None
must: set[str] = st.session_state.setdefault("plan_must", set())


def _set_stops(new_ids: list[str]) -> None:
    set_query(stops=",".join(new_ids))


def _add(lid: str | None) -> None:
    if lid and lid not in ids:
        _set_stops([*ids, lid])


def _move(i: int, step: int) -> None:
    j = i + step
    if 0 <= j < len(ids):
        new = list(ids)
        new[i], new[j] = new[j], new[i]
        _set_stops(new)


def _remove(lid: str) -> None:
    must.discard(lid)
    _set_stops([x for x in ids if x != lid])


def _keep_route() -> None:
    route = st.session_state.get("plan_route") or {}
    set_query(city=route.get("city"), stops=",".join(route.get("stops", [])))
    set_query(**{key: route.get(key) for key in ROUTE_KEYS})


def _new_route() -> None:
    st.session_state["plan_route"] = None


def _on_round_trip() -> None:
    set_query(round_trip="1" if st.session_state["plan_round_trip"] else None)


def _toggle_must(lid: str) -> None:
    (must.add if st.session_state[f"must_{lid}"] else must.discard)(lid)


def _on_map_click() -> None:
    point = clicked_point(MAP_KEY)
    if point:
        _add(nearest_landmark(catalog.landmarks(ctx.city_id), *point))


def _on_controls() -> None:
    set_query(
        mode=st.session_state["plan_mode"],
        start=st.session_state["plan_start"].strftime("%H:%M"),
        date=st.session_state["plan_date"].isoformat(),
    )


def _add_selected() -> None:
    _add(st.session_state.get("plan_add"))
    st.session_state["plan_add"] = None


def _places() -> list[Place]:
    return places_for(landmarks, ids, origin=origin)


def _optimise() -> None:
    result = optimise_order(
        _places(),
        day=day,
        start_time=start,
        mode=mode,
        city_id=ctx.city_id,
        timezone=ctx.timezone,
        keep_end=st.session_state.get("plan_keep_end", False),
        round_trip=round_trip,
    )
    _set_stops(result.ids)
    st.session_state["plan_message"] = ("optimised", result)


def _fit() -> None:
    hours = float(st.session_state["plan_budget"])
    result = fit_to_budget(
        _places(), budget_minutes=hours * 60, must=must, mode=mode, city_id=ctx.city_id, round_trip=round_trip
    )
    if not result.fits or not result.dropped:  # nothing changes: the visitor reads why
        st.session_state["plan_message"] = ("too_long" if not result.fits else "fitted_all", hours)
        return
    _set_stops(result.ids)
    st.session_state["plan_fitted"] = {
        "before": ids,
        "after": result.ids,
        "dropped": result.dropped,
        "hours": hours,
    }


def _undo_fit() -> None:
    fitted = st.session_state.pop("plan_fitted", None)
    if fitted:
        _set_stops(fitted["before"])
        st.session_state["plan_message"] = ("undone", None)


def _use_origin(lat: float, lon: float, label: str) -> None:
    set_query(**origin_params(lat, lon, label))
    st.session_state.pop("plan_geo", None)  # the search's notice (offline, ...) is done with


def _clear_origin() -> None:
    set_query(origin=None, origin_name=None)


@st.cache_resource(show_spinner=False)
def geocoder() -> Geocoder:
    return Geocoder()  # one per process: the rate limit and cache are shared by all visitors


st.title(md_escape(t("plan.title", lang, city=localized_value(ctx.city, "name", lang))), anchor=False)
city_page_link(ctx)  # the city account's own page (issue 11)
show_notices(ctx)

trip_controls("plan", lang, on_change=_on_controls)
step_free = plan_switch(ctx, ids)  # ui/stepfree.py: the findings go under the map

if left is not None and not ids:
    offer_route_back(
        len(left["stops"]),
        other=localized_value(catalog.cities().loc[left["city"]], "name", lang),
        here=localized_value(ctx.city, "name", lang),
        lang=lang,
        keep=_keep_route,
        new=_new_route,
    )
fitted = st.session_state.get("plan_fitted")
if fitted and fitted["after"] != ids:  # the plan changed since: nothing left to undo
    fitted = st.session_state["plan_fitted"] = None
show_outcome(st.session_state.pop("plan_message", None), fitted, names=names, lang=lang, undo=_undo_fit)

places = _places()
days = (
    plan_days(
        places,
        day=day,
        start_time=start,
        mode=mode,
        city_id=ctx.city_id,
        timezone=ctx.timezone,
        round_trip=round_trip,
    )
    if ids
    else []
)

map_col, side_col = st.columns([3, 2], gap="medium")
with side_col:
    st.markdown(f"**{t('plan.stops', lang, count=len(ids))}**")
    if not ids:
        st.info(t("plan.empty", lang))
    elif origin is not None:
        st.markdown(md_escape(t("plan.start_row", lang, mark=t("plan.start_mark", lang), label=origin_label)))
    for i, lid in enumerate(ids):
        st.session_state[f"must_{lid}"] = lid in must
        stop_row(i, lid, f"{i + 1}\\. {md_escape(names[lid])}", last=i == len(ids) - 1, lang=lang,
                 move=_move, remove=_remove, toggle_must=_toggle_must)  # fmt: skip
    add_col, button_col = st.columns([4, 1], vertical_alignment="bottom")
    add_col.selectbox(
        t("plan.add", lang),
        options=[x for x in landmarks.index if x not in ids],
        format_func=lambda x: names[x],
        index=None,
        placeholder=t("plan.add_placeholder", lang),
        key="plan_add",
    )
    button_col.button(t("plan.add_button", lang), on_click=_add_selected, key="plan_add_button")

    with st.expander(t("plan.start_point", lang), expanded=origin is not None):
        if origin is not None:
            st.markdown(md_escape(t("plan.origin", lang, label=origin_label)))
            st.button(t("plan.clear_origin", lang), on_click=_clear_origin, key="plan_clear_origin")
        query = st.text_input(t("plan.address", lang), key="plan_address")
        if st.button(t("plan.find", lang), key="plan_find") and query.strip():
            st.session_state["plan_geo"] = geocoder().search(
                query, city_bbox=search_box(ctx.city, landmarks), language=lang, landmarks=landmarks
            )
        outcome = st.session_state.get("plan_geo")
        if outcome is not None:
            if outcome.code:
                st.warning(t(f"plan.geo.{outcome.code}", lang))
            for k, result in enumerate(outcome.results):
                st.button(
                    f"{t('plan.use_start', lang)}: {result.label}"[:120],
                    key=f"geo_{k}",
                    on_click=_use_origin,
                    args=(result.lat, result.lon, result.label),
                )

    if len(places) >= 2:
        with st.container(border=True):
            st.checkbox(t("plan.keep_end", lang), key="plan_keep_end", disabled=round_trip)
            st.checkbox(t("plan.round_trip", lang), key="plan_round_trip", on_change=_on_round_trip)
            st.button(t("plan.optimise", lang), on_click=_optimise, key="plan_optimise", type="primary")
            f1, f2 = st.columns([2, 1], vertical_alignment="bottom")
            f1.number_input(
                t("plan.budget", lang), min_value=0.5, max_value=24.0, value=4.0, step=0.5, key="plan_budget"
            )
            f2.button(t("plan.fit", lang), on_click=_fit, key="plan_fit")

    flagged = (
        render_timeline(days, landmarks=landmarks, mode=mode, lang=lang, origin_label=origin_label)
        if days
        else []
    )

with map_col:
    styles = maps.theme_styles(themes, localized(themes, "label", lang))
    layer = folium.FeatureGroup(name="landmarks")
    maps.LandmarkLayer(landmarks, styles=styles, names=names).add_to(layer)
    stops = [maps.RouteStop(ORIGIN_ID, origin.lat, origin.lon, origin_label, start=True)] if origin else []
    stops += [
        maps.RouteStop(
            x, float(landmarks.loc[x, "lat"]), float(landmarks.loc[x, "lon"]), names[x], x in flagged
        )
        for x in ids
    ]
    base = city_base_map(ctx, legend=styles)
    show_map(
        base,
        [layer, maps.route_group(stops, lang=lang, round_trip=round_trip)],
        key=MAP_KEY,
        height=560,
        on_change=_on_map_click,
    )
    st.caption(t("plan.map_hint", lang))
    if step_free:  # each stop that is not step-free with a swap button, long legs and days
        plan_report(ctx, landmarks, days, ids, mode=mode, start=start, day=day)

# --- take it along -------------------------------------------------------------------------------
if ids:
    st.subheader(t("plan.take", lang), anchor=False)
    link = share_url(
        public_base_url(st.context.url),
        "plan",
        {
            "city": ctx.city_id,
            "stops": ",".join(ids),
            "mode": mode,
            "start": start.strftime("%H:%M"),
            "date": day.isoformat(),
            "lang": lang if lang != "en" else None,
            "origin": st.query_params.get("origin") if origin else None,
            "origin_name": st.query_params.get("origin_name") if origin else None,
            "stepfree": "1" if step_free else None,  # the shared plan keeps the switch
            "round_trip": "1" if round_trip else None,
        },
    )
    plan = export_plan(
        title=t("plan.title", lang, city=localized_value(ctx.city, "name", lang)),
        city_name=localized_value(ctx.city, "name", lang),
        timezone=ctx.timezone,
        mode=mode,
        url=link,
        landmarks=landmarks,
        days=days,
        lang=lang,
        origin_label=origin_label,
    )
    qr_col, files_col = st.columns([1, 2])
    with qr_col:
        if not exports.qr_fits(link):  # too long for a QR code: a padded link, or very many stops
            st.info(t("error.qr_too_long", lang))
        else:
            svg = exports.qr_svg(link)  # shown as drawn: 1.7 ms, where the PNG took 7 ms a plan
            st.image(svg, width=220, caption=t("plan.link", lang), alt=t("plan.qr_alt", lang))
            st.download_button(
                t("plan.qr_png", lang),
                functools.partial(exports.qr_png, link),  # made when fetched
                "cityplus-plan-qr.png",
                "image/png",
                key="dl_qr_png",
                on_click="ignore",
            )
            st.download_button(
                t("plan.qr_svg", lang),
                svg,
                "cityplus-plan-qr.svg",
                "image/svg+xml",
                key="dl_qr_svg",
                on_click="ignore",
            )
    with files_col:
        share_link(link, lang)  # in full, wrapped, with a copy button (no code block: ui/sharelink.py)
        base_name = f"cityplus-{ctx.city_id}-{day.isoformat()}"
        for ext, mime, content in export_files(plan):
            st.download_button(
                t(f"plan.dl.{ext}", lang),
                counted_download(ctx, counts.EXPORT, ext, content),  # exports by format (Reach)
                f"{base_name}.{ext}",
                mime,
                key=f"dl_{ext}",
                on_click="ignore",  # no rerun: the file is served, and counted, when it is fetched
            )
