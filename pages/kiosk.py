"""Kiosk: an unattended attract loop for promotion events, touch use and QR hand-off to phones."""

import time
from datetime import time as time_of_day

import folium
import streamlit as st

from itinerary import exports, maps, settings
from itinerary.catalog import localized, localized_value, order_itineraries
from itinerary.hours_text import hours_lines
from itinerary.i18n import LANG_NAMES, LANGS, t
from itinerary.plans import (
    access_label,
    parse_hhmm,
    places_for,
    plan_days,
    public_base_url,
    share_url,
    stop_notes,
)
from ui.kiosk import KIOSK_CSS, attract_sequence, route_card_html
from ui.mapview import city_base_map, show_map
from ui.setup import now_in, set_query, setup_page
from ui.text import md_escape

INTERVAL_S = settings.kiosk_interval_seconds()
IDLE_S = settings.kiosk_idle_seconds()
MAP_HEIGHT = 620

ctx = setup_page("nav.kiosk", pickers=False)
st.markdown(f"<style>{KIOSK_CSS}</style>", unsafe_allow_html=True)  # static CSS, no data in it
lang = ctx.lang
catalog = ctx.catalog
landmarks = catalog.landmarks(ctx.city_id, include_drafts=True)
itineraries = catalog.itineraries(ctx.city_id)
themes = catalog.themes()
names = localized(landmarks, "name", lang)
sequence = attract_sequence(catalog, ctx.city_id)
loop_places = landmarks.loc[list(dict.fromkeys(lid for _, lid, _, _ in sequence))]
state = st.session_state.setdefault("kiosk", {"step": 0, "itinerary": None, "touched": 0.0})


def _touch(itinerary_id: str | None) -> None:
    state.update(itinerary=itinerary_id, touched=time.monotonic())


def _language(code: str) -> None:
    state["touched"] = time.monotonic()
    set_query(lang=None if code == "en" else code)


def _route_link(itinerary_id: str) -> str:
    params = {"city": ctx.city_id, "itinerary": itinerary_id, "lang": lang if lang != "en" else None}
    return share_url(public_base_url(st.context.url), "itineraries", params)


top = st.columns([5, 2], vertical_alignment="center")
top[0].markdown(
    f"<h1 class='cp-kiosk-title'>{maps.escape(t('kiosk.welcome', lang, city=localized_value(ctx.city, 'name', lang)))}</h1>",
    unsafe_allow_html=True,
)
with top[1]:
    lang_cols = st.columns(len(LANGS))
    for col, code in zip(lang_cols, LANGS, strict=True):
        col.button(
            LANG_NAMES[code],
            key=f"kiosk_lang_{code}",
            on_click=_language,
            args=(code,),
            type="primary" if code == lang else "secondary",
            use_container_width=True,
        )

styles = maps.theme_styles(themes, localized(themes, "label", lang))


@st.fragment(run_every=INTERVAL_S)
def kiosk_view() -> None:
    """Everything that changes: the loop advancing, or a visitor's route; reset when idle."""
    # a fresh base map every run: st_folium adds the layers to the map it is given, and a map
    # that grew would look new to it and be reloaded (a flash on every advance)
    base = city_base_map(ctx, links=False)
    chosen = state["itinerary"]
    if chosen and time.monotonic() - state["touched"] > IDLE_S:
        state.update(itinerary=None)  # nobody touched the screen for a while: back to the loop
        chosen = None
    # a visitor's route gets a third column for the QR hand-off, so that the stops keep the whole
    # height beside the map for their access and notes and the page still needs no scrolling
    map_col, panel, *hand_off = st.columns([2, 2, 1] if chosen else [3, 2], gap="large")
    if chosen is None and sequence:
        step = state["step"] % len(sequence)
        itinerary_id, lid, n, total = sequence[step]
        row = landmarks.loc[lid]
        layer = folium.FeatureGroup(name="loop")
        maps.LandmarkLayer(loop_places, styles=styles, names=names.loc[loop_places.index]).add_to(layer)
        maps.highlight_marker(float(row["lat"]), float(row["lon"]), names[lid]).add_to(layer)
        with map_col:
            show_map(
                base,
                [layer],
                key="kiosk_map",
                height=MAP_HEIGHT,
                center=(float(row["lat"]), float(row["lon"])),
                zoom=15,
                returned_objects=(),
            )
        with panel:
            route = localized_value(itineraries.loc[itinerary_id], "title", lang)
            st.markdown(
                f"<div class='cp-kiosk-card' data-kiosk-step='{step}' data-landmark-id='{maps.escape(lid)}'>"
                f"<p class='cp-kiosk-meta'>{maps.escape(t('kiosk.stop_of', lang, n=n, total=total, route=route))}</p>"
                f"<h2>{maps.escape(localized_value(row, 'name', lang))}</h2>"
                f"<p class='cp-kiosk-other'>{maps.escape(localized_value(row, 'name', 'en' if lang == 'zh' else 'zh'))}</p>"
                f"<p>{maps.escape(localized_value(row, 'summary', lang))}</p>"
                f"<p class='cp-kiosk-hours'>{maps.escape(' '.join(hours_lines(row['opening_hours'], lang)))}</p></div>",
                unsafe_allow_html=True,
            )
            st.markdown(
                f"<p class='cp-kiosk-hint'>{maps.escape(t('kiosk.touch', lang))}</p>", unsafe_allow_html=True
            )
        state["step"] = step + 1  # after drawing: a run cut short shows the same stop again
    elif chosen is not None:
        it = itineraries.loc[chosen]
        stops = catalog.stops(chosen)
        ids = [x for x in stops["landmark_id"] if x in landmarks.index]
        dwell = dict(zip(stops["landmark_id"], stops["dwell_minutes"].astype(float), strict=True))
        days = plan_days(
            places_for(landmarks, ids, dwell=dwell),
            day=now_in(ctx.timezone).date(),
            start_time=parse_hhmm(str(it["start_time"])) or time_of_day(9),
            mode=str(it["mode"]),
            city_id=ctx.city_id,
            timezone=ctx.timezone,
        )
        times = {v.place.id: v.start.strftime("%H:%M") for day in days for v in day.visits}
        route = maps.route_group(
            [
                maps.RouteStop(x, float(landmarks.loc[x, "lat"]), float(landmarks.loc[x, "lon"]), names[x])
                for x in ids
            ],
            lang=lang,
        )
        with map_col:
            lats = [float(landmarks.loc[x, "lat"]) for x in ids]
            lons = [float(landmarks.loc[x, "lon"]) for x in ids]
            center = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2) if ids else None
            show_map(
                base, [route], key="kiosk_map", height=MAP_HEIGHT, center=center, zoom=12, returned_objects=()
            )
        with panel:
            notes = stop_notes(stops, lang)
            rows = [
                (times.get(x, ""), names[x], access_label(landmarks.loc[x], lang), notes.get(x, ""))
                for x in ids
            ]
            card = route_card_html(chosen, localized_value(it, "title", lang), rows)
            st.markdown(card, unsafe_allow_html=True)  # every text in it escaped by route_card_html
        with hand_off[0]:
            st.image(exports.qr_png(_route_link(chosen), scale=10), width=230, alt=t("kiosk.qr_alt", lang))
            st.markdown(
                f"<h3>{maps.escape(t('kiosk.take', lang))}</h3><p>{maps.escape(t('kiosk.scan', lang))}</p>"
                f"<p class='cp-kiosk-hint'>{maps.escape(t('kiosk.idle_note', lang, seconds=int(IDLE_S)))}</p>",
                unsafe_allow_html=True,
            )
            st.button(
                t("kiosk.back", lang),
                key="kiosk_back",
                on_click=_touch,
                args=(None,),
                use_container_width=True,
            )

    # touch controls: a theme (its route) or a route
    routes = order_itineraries(itineraries)
    st.markdown(
        f"<p class='cp-kiosk-label'>{maps.escape(t('kiosk.routes', lang))}</p>", unsafe_allow_html=True
    )
    cols = st.columns(min(len(routes), 5) or 1)
    for i, (iid, row) in enumerate(routes.head(5).iterrows()):
        label = localized_value(row, "title", lang)
        if row["theme_id"] in themes.index:
            label = localized_value(themes.loc[row["theme_id"]], "label", lang) + " · " + label
        cols[i].button(
            md_escape(label),
            key=f"kiosk_route_{iid}",
            on_click=_touch,
            args=(str(iid),),
            use_container_width=True,
            type="primary" if iid == state["itinerary"] else "secondary",
        )
    st.markdown(
        f"<p class='cp-kiosk-attribution'>{maps.escape(t('kiosk.attribution', lang))}</p>",
        unsafe_allow_html=True,
    )


kiosk_view()
