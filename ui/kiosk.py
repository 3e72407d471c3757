"""Kiosk glue: full-screen styling and the attract loop's sequence of stops."""

from __future__ import annotations

from collections.abc import Sequence

from itinerary.catalog import Catalog, order_itineraries
from itinerary.markup import escape

# Full screen for a touch display: no sidebar, header, toolbar or scrollbars; type readable from
# 2 m; touch targets of at least 64 px. On a portrait screen the map takes the whole width and
# what stood beside it goes under it (a route's stops and its QR hand-off side by side).
KIOSK_CSS = """
html { font-size: 22px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
header, footer { display: none !important; }
html, body, [data-testid="stApp"], [data-testid="stMain"], [data-testid="stAppViewContainer"] {
  overflow: hidden !important; }
::-webkit-scrollbar { display: none; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem !important; max-width: 100% !important; }
.cp-kiosk-title { font-size: 2.6rem; margin: 0; padding: 0; color: #111; }
.cp-kiosk-card h2 { font-size: 2.2rem; line-height: 1.15; margin: .2rem 0 .4rem; color: #111; }
.cp-kiosk-card p { font-size: 1.15rem; line-height: 1.45; color: #222; }
.cp-kiosk-card .cp-kiosk-meta { color: #c8102e; font-weight: 700; margin: 0; }
.cp-kiosk-card .cp-kiosk-other { color: #444; margin: 0 0 .5rem; }
.cp-kiosk-route h2 { font-size: 1.7rem; }
.cp-kiosk-route ol { column-count: 2; column-gap: 1.5rem; margin: 0 0 .4rem 1.2rem; padding: 0; }
.cp-kiosk-stop { font-size: 1rem; line-height: 1.35; margin: 0 0 .2rem; break-inside: avoid; }
.cp-kiosk-stop .cp-kiosk-access { font-size: .72rem; font-weight: 600; color: #333; white-space: nowrap; }
.cp-kiosk-stop .cp-kiosk-access::before { content: " · "; }
.cp-kiosk-stop .cp-kiosk-note { display: block; font-size: .72rem; line-height: 1.3; color: #333; }
.cp-kiosk-card h3, [data-testid="stMarkdown"] h3 { font-size: 1.4rem; margin: 0; }
[data-testid="stHeadingWithActionElements"] a, h1 a, h2 a, h3 a { display: none !important; }
.cp-kiosk-hint, .cp-kiosk-label { font-size: 1.05rem; color: #333; font-weight: 600; margin: .6rem 0 .2rem; }
.cp-kiosk-attribution { font-size: .7rem; color: #444; margin: .3rem 0 0; }
.stButton button { min-height: 64px; font-size: 1.05rem; font-weight: 600; }
@media (orientation: portrait) {
  [data-testid="stHorizontalBlock"]:has(iframe) { flex-wrap: wrap !important; }
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"] { width: auto !important;
    min-width: 0 !important; flex: 2 1 0 !important; }
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"]:first-child {
    width: 100% !important; flex: 1 1 100% !important; }
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"]:nth-child(3) { flex: 1 1 0 !important; }
}
"""

Step = tuple[str, str, int, int]  # itinerary id, landmark id, stop number, stops in that itinerary


def attract_sequence(catalog: Catalog, city_id: str) -> list[Step]:
    """Stops of the city's featured itineraries (all when none is), in the visitors' order."""
    its = order_itineraries(catalog.itineraries(city_id))
    featured = its[its["featured"]] if its["featured"].any() else its
    steps: list[Step] = []
    for iid in featured["id"]:
        ids = list(catalog.stops(iid)["landmark_id"])
        steps += [(str(iid), str(lid), n, len(ids)) for n, lid in enumerate(ids, start=1)]
    return steps


def route_card_html(
    itinerary_id: str,
    title: str,
    stops: Sequence[tuple[str, str, str, str]],
) -> str:
    """The kiosk's card of a touched route: per stop its time, name, access and curated note.

    ``stops`` are (time, name, access, note) in the kiosk's language. All of it is data and staff
    text, escaped here (``markup.escape``): no markup, no link.
    """
    items = "".join(
        f"<li class='cp-kiosk-stop'><b>{escape(at)}</b> {escape(name)}"
        f"<span class='cp-kiosk-access'>{escape(access)}</span>"
        + (f"<span class='cp-kiosk-note'>{escape(note)}</span>" if note else "")
        + "</li>"
        for at, name, access, note in stops
    )
    return (
        f"<div class='cp-kiosk-card cp-kiosk-route' data-kiosk-itinerary='{escape(itinerary_id)}'>"
        f"<h2>{escape(title)}</h2><ol>{items}</ol></div>"
    )
