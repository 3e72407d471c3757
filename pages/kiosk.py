"""Kiosk: an unattended attract loop for promotion events, touch use and QR hand-off to phones."""

import time
from datetime import time as time_of_day
from typing import Any

import folium
import streamlit as st

from itinerary import counts, exports, maps, settings
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
from ui.cityaccounts import StoryStep, story_step_card, story_step_layer, story_steps
from ui.counting import count_event
from ui.kiosk import (
    MAP_HEIGHT,
    RELOAD_HTML,
    TEXT_SIZES,
    WATCHDOG_HTML,
    FillFrame,
    attract_sequence,
    idle_reset,
    kiosk_css,
    new_state,
    reload_due,
    route_card_html,
)
from ui.kiosk_event import event_due, event_for, show_event
from ui.kiosk_network import NETWORK_CSS, NetworkStep, network_card, network_layer, network_step, with_network
from ui.mapview import city_base_map, show_map
from ui.setup import now_in, set_query, setup_page
from ui.text import md_escape

INTERVAL_S = settings.kiosk_interval_seconds()
IDLE_S = settings.kiosk_idle_seconds()
RELOAD_EVERY = settings.kiosk_reload_advances()

ctx = setup_page("nav.kiosk", pickers=False)
lang = ctx.lang
# the language the kiosk was opened in (its URL) is the one the idle reset returns to
state = st.session_state.setdefault("kiosk", new_state(lang))
st.html(
    f"<style>{kiosk_css(state['text'], state['contrast'])}{NETWORK_CSS}</style>"
)  # style only, no data: takes no room
st.html(WATCHDOG_HTML, unsafe_allow_javascript=True)  # our own script, no data in it
catalog = ctx.catalog
landmarks = catalog.landmarks(ctx.city_id, include_drafts=True)
itineraries = catalog.itineraries(ctx.city_id)
themes = catalog.themes()
names = localized(landmarks, "name", lang)
stops_loop = attract_sequence(catalog, ctx.city_id)
loop_places = landmarks.loc[list(dict.fromkeys(lid for _, lid, _, _ in stops_loop))]
# the itineraries' stops, then the chapters of the city's stories; the network of city accounts
# after the first itinerary's stops (issue 11)
sequence: list[tuple[str, str, int, int] | StoryStep | NetworkStep] = with_network(
    [*stops_loop, *story_steps(catalog, ctx.city, lang)],
    stops_loop[0][3] if stops_loop else 0,
    network_step(catalog),
)
event = event_for(ctx, st.query_params.get("programme"))  # a public programme: one more loop step


def _touch(itinerary_id: str | None) -> None:
    state.update(itinerary=itinerary_id, touched=time.monotonic())
    count_event(ctx, counts.KIOSK_TOUCH)  # per hour, in the city's time zone


def _language(code: str) -> None:
    state["touched"] = time.monotonic()
    count_event(ctx, counts.KIOSK_TOUCH)
    set_query(lang=None if code == "en" else code)


def _display(**changes: object) -> None:
    state.update(changes, touched=time.monotonic())
    count_event(ctx, counts.KIOSK_TOUCH)


def _attribution() -> None:
    """The map's data credit, as plain text under it (the kiosk's map has no links)."""
    st.markdown(
        f"<p class='cp-kiosk-attribution'>{maps.escape(t('kiosk.attribution', lang))}</p>",
        unsafe_allow_html=True,
    )


def _route_link(itinerary_id: str) -> str:
    params = {
        "city": ctx.city_id,
        "itinerary": itinerary_id,
        "lang": lang if lang != "en" else None,
        counts.SOURCE_PARAM: counts.KIOSK_SOURCE,  # counted when a phone opens it, then dropped
    }
    return share_url(public_base_url(st.context.url), "itineraries", params)


st.markdown(
    f"<h1 class='cp-kiosk-title'>{maps.escape(t('kiosk.welcome', lang, city=localized_value(ctx.city, 'name', lang)))}</h1>",
    unsafe_allow_html=True,
)

styles = maps.theme_styles(themes, localized(themes, "label", lang))


def _touch_hint() -> None:
    st.markdown(f"<p class='cp-kiosk-hint'>{maps.escape(t('kiosk.touch', lang))}</p>", unsafe_allow_html=True)


def _show_story_step(story_step: StoryStep, step: int, base: folium.Map, map_col: Any, panel: Any) -> None:
    """One chapter of a city story: the map at its place, its card beside it."""
    place = story_step.chapter.place
    with map_col:
        show_map(
            base,
            [story_step_layer(story_step)],
            key="kiosk_map",
            height=MAP_HEIGHT,
            center=(place.lat, place.lon),
            zoom=place.zoom,
            returned_objects=(),
        )
        _attribution()
    with panel:
        st.markdown(story_step_card(story_step, step, lang), unsafe_allow_html=True)
        _touch_hint()


def _show_network_step(network: NetworkStep, step: int, base: folium.Map, map_col: Any, panel: Any) -> None:
    """The network of city accounts: the world map with the arcs from the home city, the join
    timeline beside it."""
    with map_col:
        show_map(
            base,
            [network_layer(network, lang)],
            key="kiosk_map",
            height=MAP_HEIGHT,
            center=network.center,
            zoom=network.zoom,
            returned_objects=(),
        )
        _attribution()
    with panel:
        st.markdown(network_card(network, step, lang), unsafe_allow_html=True)  # escaped by network_card


def _show_stop_step(
    stop: tuple[str, str, int, int], step: int, base: folium.Map, map_col: Any, panel: Any
) -> None:
    """One stop of an itinerary: the loop's places with this one highlighted, its card beside it."""
    itinerary_id, lid, n, total = stop
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
        _attribution()
    with panel:
        route = localized_value(itineraries.loc[itinerary_id], "title", lang)
        st.markdown(
            f"<div class='cp-kiosk-card' data-kiosk-step='{step}' data-landmark-id='{maps.escape(lid)}'>"
            f"<p class='cp-kiosk-meta'>{maps.escape(t('kiosk.stop_of', lang, n=n, total=total, route=route))}</p>"
            f"<h2>{maps.escape(localized_value(row, 'name', lang))}</h2>"
            f"<p class='cp-kiosk-other'>{maps.escape(localized_value(row, 'name', 'en' if lang == 'zh' else 'zh'))}</p>"
            f"<p class='cp-kiosk-summary'>{maps.escape(localized_value(row, 'summary', lang))}</p>"
            f"<p class='cp-kiosk-hours'>{maps.escape(' '.join(hours_lines(row['opening_hours'], lang)))}</p></div>",
            unsafe_allow_html=True,
        )
        _touch_hint()


@st.fragment(run_every=INTERVAL_S)
def kiosk_view() -> None:
    """Everything that changes: the loop advancing, or a visitor's route; reset when idle."""
    # a fresh base map every run: st_folium adds the layers to the map it is given, and a map
    # that grew would look new to it and be reloaded (a flash on every advance)
    home = idle_reset(state, lang, time.monotonic(), IDLE_S)
    if home is not None:  # nobody touched the screen for a while: back to the loop, as it was
        count_event(ctx, counts.KIOSK_RESET)
        set_query(lang=None if home == "en" else home)
        st.rerun(scope="app")  # the language, text size and contrast live outside this fragment
    base = city_base_map(ctx, links=False)
    FillFrame().add_to(base)
    chosen = state["itinerary"]
    # a visitor's route gets a third column for the QR hand-off, so that the stops keep the whole
    # height beside the map for their access and notes and the page still needs no scrolling
    map_col, panel, *hand_off = st.columns([2, 3, 1.4] if chosen else [3, 2], gap="large")
    if chosen is None and event is not None and event_due(state):
        show_event(event, ctx, base, map_col, panel, lang)  # first, then after every few stops
        state["advances"] += 1
    elif chosen is None and sequence:
        step = state["step"] % len(sequence)
        if reload_due(state, lang, step, time.monotonic(), IDLE_S, RELOAD_EVERY):
            state["advances"] = 0  # this page is going; the new one counts afresh
            st.html(RELOAD_HTML, unsafe_allow_javascript=True)
        if isinstance(sequence[step], StoryStep):
            _show_story_step(sequence[step], step, base, map_col, panel)  # type: ignore[arg-type]
        elif isinstance(sequence[step], NetworkStep):
            _show_network_step(sequence[step], step, base, map_col, panel)  # type: ignore[arg-type]
        else:
            _show_stop_step(sequence[step], step, base, map_col, panel)  # type: ignore[arg-type]
        state["step"] = step + 1  # after drawing: a run cut short shows the same step again
        state["advances"] += 1
        state["since_event"] = state.get("since_event", 0) + 1
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
            _attribution()
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
                f"<h3>{maps.escape(t('kiosk.take', lang))}</h3><p>{maps.escape(t('kiosk.scan', lang))}</p>",
                unsafe_allow_html=True,
            )

    # touch controls: a theme (its route) or a route, and the way back to the tour
    routes = order_itineraries(itineraries).head(5)
    label = t("kiosk.routes", lang)
    if chosen:  # said where the visitor looks next, the route buttons
        label += " · " + t("kiosk.idle_note", lang, seconds=int(IDLE_S))
    st.markdown(f"<p class='cp-kiosk-label'>{maps.escape(label)}</p>", unsafe_allow_html=True)
    with st.container(key="kiosk_routes"):
        cols = iter(st.columns(len(routes) + (1 if chosen else 0) or 1))
        if chosen:
            next(cols).button(
                t("kiosk.back", lang),
                key="kiosk_back",
                on_click=_touch,
                args=(None,),
                use_container_width=True,
            )
        for col, (iid, row) in zip(cols, routes.iterrows(), strict=False):
            label = localized_value(row, "title", lang)
            if row["theme_id"] in themes.index:  # the theme first, unless the title says it already
                theme = localized_value(themes.loc[row["theme_id"]], "label", lang)
                label = label if theme.casefold() in label.casefold() else f"{theme} · {label}"
            col.button(
                md_escape(label),
                key=f"kiosk_route_{iid}",
                on_click=_touch,
                args=(str(iid),),
                use_container_width=True,
                type="primary" if iid == chosen else "secondary",
            )


kiosk_view()

# the visitor's settings, at the bottom within reach: language, text size, contrast. Outside the
# fragment: a change reruns the whole page (its style sheet and title follow)
with st.container(key="kiosk_settings"):
    choices = [("lang", code, LANG_NAMES[code]) for code in LANGS]
    text_labels = {"standard": t("kiosk.text.standard", lang), "large": t("kiosk.text.large", lang)}
    choices += [("text", size, text_labels[size]) for size in TEXT_SIZES]
    choices.append(("contrast", "on", t("kiosk.contrast", lang)))
    for col, (kind, value, label) in zip(st.columns(len(choices)), choices, strict=True):
        if kind == "lang":
            active, action, kwargs = value == lang, _language, {"code": value}
        elif kind == "text":
            active, action, kwargs = value == state["text"], _display, {"text": value}
        else:
            active, action, kwargs = bool(state["contrast"]), _display, {"contrast": not state["contrast"]}
        col.button(
            ("✓ " if active and kind == "contrast" else "") + label,
            key=f"kiosk_{kind}_{value}",
            on_click=action,
            kwargs=kwargs,
            type="primary" if active else "secondary",
            use_container_width=True,
        )
