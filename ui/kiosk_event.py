"""The kiosk at an event (``/kiosk?city=...&programme=...``, public programmes only): one added
step of the attract loop with "now" and "next" by the clock, the venues on the map and the QR
code of the programme. The loop's other steps stay as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import folium
import streamlit as st

from itinerary import exports, maps, settings
from itinerary.i18n import t
from itinerary.plans import public_base_url
from itinerary.programmes import repo, tokens, view
from itinerary.programmes.feasibility import PlaceInfo
from itinerary.programmes.records import Full, Item
from ui.mapview import show_map
from ui.setup import PageContext

LABELS = {"now": "prog.now", "next": "prog.next"}
EVENT_EVERY = 3  # the event's step comes first, then after every this many stops of the loop


def event_due(state: dict[str, object]) -> bool:
    """Whether the loop shows the event now (``since_event`` counts the stops shown since)."""
    since = state.get("since_event")
    if since is None or int(since) >= EVENT_EVERY:  # type: ignore[call-overload]
        state["since_event"] = 0
        return True
    return False


@dataclass(frozen=True)
class Event:
    full: Full
    places: dict[str, PlaceInfo]
    timezone: str


def event_for(ctx: PageContext, programme_id: str | None) -> Event | None:
    """The public, published programme of the page's city named in the URL, else None."""
    if not programme_id:
        return None
    full = tokens.find_public(ctx.catalog.store, programme_id)
    if full is None or full.programme.city_id != ctx.city_id:
        return None
    return Event(full, repo.landmark_places(ctx.catalog.store, full), ctx.timezone)


def _item_html(label: str, item: Item | None, rows: dict[int, view.Row], lang: str) -> str:
    if item is None:
        return ""
    row = rows[item.position]
    place = row.place_name(lang)
    title = row.title(lang) or t(f"prog.kind_item.{item.kind}", lang)
    where = f" · {maps.escape(place)}" if place and place != title else ""
    return (
        f"<p class='cp-kiosk-meta' data-kiosk-{label}='{item.position}'>{maps.escape(t(LABELS[label], lang))}"
        f" {maps.escape(item.start)}–{maps.escape(item.end)}</p><h2>{maps.escape(title)}{where}</h2>"
    )


def show_event(
    event: Event, ctx: PageContext, base: folium.Map, map_col: object, panel: object, lang: str
) -> None:
    """Draw the event step in the loop's two columns (the map, the card with the QR code)."""
    now: datetime = settings.pinned_now() or settings.utc_now()
    full = event.full
    current, upcoming = view.now_and_next(full, now, event.timezone)
    rows = {r.item.position: r for r in view.rows(full, event.places)}
    stops: list[maps.RouteStop] = []
    for row in rows.values():
        if row.place is not None and all(s.label != row.place_name(lang) for s in stops):
            stops.append(
                maps.RouteStop(f"e{len(stops) + 1}", row.place.lat, row.place.lon, row.place_name(lang))
            )
    with map_col:  # type: ignore[attr-defined]
        if stops:
            center = (sum(s.lat for s in stops) / len(stops), sum(s.lon for s in stops) / len(stops))
            layer = maps.route_group(stops, lang=lang, name="event")
            from ui.kiosk import MAP_HEIGHT

            show_map(
                base, [layer], key="kiosk_map", height=MAP_HEIGHT, center=center, zoom=15, returned_objects=()
            )
    p = full.programme
    title = p.title_zh if lang == "zh" and p.title_zh else p.title
    body = _item_html("now", current, rows, lang) + _item_html("next", upcoming, rows, lang)
    if not body:
        body = f"<p>{maps.escape(t('prog.ended', lang))}</p>"
    link = view.public_link(public_base_url(st.context.url), p.city_id, p.id, lang=lang)
    with panel:  # type: ignore[attr-defined]
        st.markdown(
            f"<div class='cp-kiosk-card' data-kiosk-event='{maps.escape(p.id)}'>"
            f"<p class='cp-kiosk-other'>{maps.escape(title)}</p>{body}</div>",
            unsafe_allow_html=True,
        )
        st.image(
            exports.qr_png(link, scale=10),
            width=230,
            caption=t("prog.scan", lang),
            alt=t("prog.qr_alt", lang),
        )
