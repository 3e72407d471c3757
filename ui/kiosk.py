"""Kiosk glue: full-screen styling, the visitor's display modes, the idle reset, the loop's stops.

The kiosk stands at promotion events: read from 2 m, touched by people standing or in a
wheelchair. Type is at least 28 px (the root size; nothing is smaller than 1rem), with a larger
step; a high-contrast mode (white and yellow on black); touch targets of at least 64 px. In
portrait every control sits in the lower two-thirds of the screen: what a visitor reads (the
card, the QR code) comes first, then the map, the route buttons and the settings at the bottom.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from branca.element import MacroElement
from folium.template import Template

from itinerary.catalog import Catalog, order_itineraries
from itinerary.markup import escape

# The root size of each text step: every kiosk size is in rem, so the step scales all of it.
TEXT_SIZES = {"standard": 28, "large": 34}
STANDARD = "standard"
# Heights in px per orientation and text step, so that the page never needs scrolling: the map
# in the loop and beside (landscape) or under (portrait) a route, the route card's most (its
# stops scroll inside it beyond that), and in portrait the least height above the map, so that
# the map and every control below it start in the lower two-thirds of the screen (in portrait a
# route's QR code comes first, then its card, whose lower part, in reach, scrolls it).
LAYOUT = {
    ("landscape", "standard"): {"map": 540, "route-map": 540, "card": 580, "top": 0},
    ("landscape", "large"): {"map": 420, "route-map": 340, "card": 400, "top": 0},
    ("portrait", "standard"): {"map": 700, "route-map": 440, "card": 540, "top": 600},
    ("portrait", "large"): {"map": 460, "route-map": 310, "card": 480, "top": 600},
}
# Lines of a loop card's summary at most (beyond them it ends in "…"): in landscape at the larger
# text the card beside the map has room for few, once the stop's names and opening hours are in.
SUMMARY_LINES = {
    ("landscape", "standard"): 8,
    ("landscape", "large"): 3,
    ("portrait", "standard"): 8,
    ("portrait", "large"): 6,
}
MAP_HEIGHT = LAYOUT[("landscape", STANDARD)]["map"]  # what st_folium is given; the CSS sets the rest

# Full screen for a touch display: no sidebar, header, toolbar or scrollbars.
BASE_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
header, footer, [data-testid="stElementToolbar"] { display: none !important; }
html, body, [data-testid="stApp"], [data-testid="stMain"], [data-testid="stAppViewContainer"] {
  overflow: hidden !important; }
::-webkit-scrollbar { display: none; }
[data-testid="stMainBlockContainer"] { padding: .5rem 1.2rem !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: .45rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1rem; line-height: 1.3; }
.cp-kiosk-title { font-size: 1.6rem !important; line-height: 1.15; margin: 0 !important; padding: 0 !important;
  color: #111; }
/* Streamlit pulls each markdown element 1rem up for its last paragraph's margin: the kiosk's have none */
[data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
.stElementContainer:has(.cp-kiosk-route), .stElementContainer:has(.cp-kiosk-attribution) { padding-bottom: .3rem; }
.cp-kiosk-route { margin-bottom: 1rem; }
.stElementContainer:has(.cp-kiosk-script) { display: none; }
/* the loop reruns its part of the page every few seconds: no fading of what is being redrawn */
.stElementContainer[data-stale="true"] { opacity: 1 !important; transition: none !important; }
.cp-kiosk-card h2 { font-size: 1.45rem; line-height: 1.15; margin: .1rem 0 .3rem; padding: 0; color: #111; }
.cp-kiosk-card p { font-size: 1rem; line-height: 1.35; color: #222; margin: 0 0 .3rem; }
.cp-kiosk-card .cp-kiosk-meta { color: #b00d27; font-weight: 700; }
.cp-kiosk-card .cp-kiosk-other { color: #444; }
.cp-kiosk-card .cp-kiosk-summary { display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: var(--cp-summary-lines); overflow: hidden; }
.cp-kiosk-route h2 { font-size: 1.2rem; }
.cp-kiosk-route ol { margin: 0 0 .2rem 1.3rem; padding: 0; }
.cp-kiosk-stop { font-size: 1rem; line-height: 1.2; margin: 0 0 .25rem; break-inside: avoid; color: #111; }
.cp-kiosk-stop .cp-kiosk-access { font-weight: 600; color: #333; }
.cp-kiosk-stop .cp-kiosk-access::before { content: " · "; }
.cp-kiosk-stop .cp-kiosk-note { display: block; line-height: 1.2; color: #333; }
[data-testid="stMarkdown"] h3 { font-size: 1.15rem; margin: 0; padding: 0; }
[data-testid="stHeadingWithActionElements"] a, h1 a, h2 a, h3 a { display: none !important; }
.cp-kiosk-hint, .cp-kiosk-label { font-size: 1rem; color: #333; font-weight: 600; margin: .2rem 0 0; }
.cp-kiosk-attribution { font-size: 1rem; color: #444; margin: 0; }
.stButton button { min-height: 64px; height: 100%; padding: .2rem .6rem; font-weight: 600; }
.stButton button p, .stButton button div { font-size: 1rem !important; line-height: 1.15;
  white-space: normal !important; overflow-wrap: anywhere; text-align: center; }
.stElementContainer:has(.stButton) { height: 100%; }
.st-key-kiosk_routes [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; row-gap: .45rem; }
.st-key-kiosk_routes [data-testid="stColumn"] { flex: 1 1 15% !important; min-width: 15% !important; }
.st-key-kiosk_settings [data-testid="stHorizontalBlock"] { gap: .6rem; }
iframe[data-testid="stCustomComponentV1"] { height: var(--cp-map) !important; }
html:has(.cp-kiosk-route) iframe[data-testid="stCustomComponentV1"] { height: var(--cp-route-map) !important; }
.cp-kiosk-route { max-height: var(--cp-card); overflow-y: auto; overscroll-behavior: contain;
  scrollbar-width: auto; scrollbar-color: #555 #e6e6e6; }
.cp-kiosk-route:focus-visible { outline: 4px solid #1d4ed8; outline-offset: 2px; }
.cp-kiosk-route ol { column-count: 1; }  /* in order when its stops scroll */
@media (orientation: portrait) {
  .st-key-kiosk_routes [data-testid="stColumn"] { flex: 1 1 30% !important; min-width: 30% !important; }
  [data-testid="stHorizontalBlock"]:has(iframe) { flex-wrap: wrap !important; row-gap: .45rem; }
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"] { width: auto !important;
    min-width: 0 !important; flex: 2 1 0 !important; min-height: var(--cp-top); }
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"]:first-child {
    order: 3; width: 100% !important; flex: 1 1 100% !important; min-height: 0; }
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"]:nth-child(3) {
    order: 1; flex: 1 1 100% !important; min-height: 0; }
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"]:nth-child(3) > [data-testid="stVerticalBlock"] {
    flex-direction: row !important; align-items: center; gap: 1.2rem; }
  [data-testid="stHorizontalBlock"]:has(.cp-kiosk-route) > [data-testid="stColumn"]:nth-child(2) {
    order: 2; flex: 1 1 100% !important; min-height: calc(var(--cp-top) - 260px); }
}
"""

# White and yellow on black (21:1 and 17:1), buttons outlined in white; the chosen one yellow.
CONTRAST_CSS = """
[data-testid="stApp"], [data-testid="stMain"], [data-testid="stAppViewContainer"],
[data-testid="stMainBlockContainer"] { background: #000 !important; color: #fff !important; }
.cp-kiosk-title, .cp-kiosk-card h2, .cp-kiosk-card p, .cp-kiosk-stop, .cp-kiosk-stop .cp-kiosk-note,
.cp-kiosk-stop .cp-kiosk-access, .cp-kiosk-card .cp-kiosk-other, [data-testid="stMarkdown"] h3,
[data-testid="stMarkdownContainer"] p, .cp-kiosk-hint, .cp-kiosk-label, .cp-kiosk-attribution {
  color: #fff !important; }
.cp-kiosk-card .cp-kiosk-meta, .cp-kiosk-stop b { color: #ffd400 !important; }
.stButton button { background: #000 !important; color: #fff !important; border: 3px solid #fff !important; }
.stButton button[data-testid="stBaseButton-primary"] { background: #ffd400 !important;
  border-color: #ffd400 !important; }
.stButton button[data-testid="stBaseButton-primary"] * { color: #000 !important; }
.stButton button[data-testid="stBaseButton-secondary"] * { color: #fff !important; }
.stButton button:focus-visible, .cp-kiosk-route:focus-visible { outline: 4px solid #00e5ff !important;
  outline-offset: 2px; }
.cp-kiosk-route { scrollbar-color: #fff #333; }
[data-testid="stImage"] img { border: 8px solid #fff; }
"""


def kiosk_css(text: str, contrast: bool) -> str:
    """The kiosk's style sheet for a text step and a contrast mode (static: no data in it)."""
    step = text if text in TEXT_SIZES else STANDARD

    def sizes(orientation: str) -> str:
        lengths = " ".join(f"--cp-{name}: {px}px;" for name, px in LAYOUT[(orientation, step)].items())
        return f"{lengths} --cp-summary-lines: {SUMMARY_LINES[(orientation, step)]};"

    head = (
        f"html {{ font-size: {TEXT_SIZES[step]}px; {sizes('landscape')} }}\n"
        f"@media (orientation: portrait) {{ html {{ {sizes('portrait')} }} }}\n"
    )
    return head + BASE_CSS + (CONTRAST_CSS if contrast else "")


class FillFrame(MacroElement):  # type: ignore[misc]
    """The kiosk map fills its frame, whose height the page's CSS sets per orientation and text
    step (streamlit-folium gives the map a fixed height in px; Leaflet follows the frame's resize);
    its numbered markers are larger, to be read from 2 m (scaled about their centre: their anchor
    stays), and its zoom buttons are touch targets of 48 px like every button of the kiosk
    (Leaflet draws them at 30 px; the id outranks Leaflet's touch rule)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>#map_div, #map_div > .folium-map { height: 100vh !important; }
        .cp-num { transform: scale(1.4); }
        #map_div .leaflet-bar a { width: 48px; height: 48px; line-height: 48px; font-size: 28px; }</style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FillFrame"


# --- the visitor's state: a chosen route, text step, contrast, language; the idle reset ----------


def new_state(home_lang: str) -> dict[str, Any]:
    """A kiosk session's state; ``home`` is the language the kiosk was opened in (its URL), and
    ``advances`` counts the loop's steps shown since this page was loaded."""
    return {
        "step": 0,
        "advances": 0,
        "itinerary": None,
        "touched": 0.0,
        "text": STANDARD,
        "contrast": False,
        "home": home_lang,
    }


def touched_by_visitor(state: MutableMapping[str, Any], lang: str) -> bool:
    """Whether anything differs from how the kiosk runs alone: a route, text, contrast, language."""
    return (
        state["itinerary"] is not None
        or state["text"] != STANDARD
        or bool(state["contrast"])
        or lang != state["home"]
    )


def idle_reset(state: MutableMapping[str, Any], lang: str, now: float, idle_s: float) -> str | None:
    """After ``idle_s`` without a touch, clear what a visitor chose and return the language to
    return to (the kiosk's own), or None when nothing was reset. The loop keeps its place."""
    if now - state["touched"] <= idle_s or not touched_by_visitor(state, lang):
        return None
    state.update(itinerary=None, text=STANDARD, contrast=False)
    return str(state["home"])


# The browser reloads the kiosk page: a new page, a new session, the memory of the old one freed.
RELOAD_HTML = "<span class='cp-kiosk-script' hidden></span><script>window.location.reload();</script>"

# A kiosk has nobody to press "Rerun" when its page loses the server for good (Streamlit stops
# reconnecting after a fatal websocket error, seen once in a soak run: "Cached ForwardMsg MISS"):
# after 20 s without a connection, once the server answers its health check, the page reloads
# (its URL holds the city and language). Installed once per page.
WATCHDOG_HTML = """<span class='cp-kiosk-script' hidden></span><script>
(() => {
  if (window.__cpKioskWatchdog) { return; }
  window.__cpKioskWatchdog = true;
  let lost = null;
  setInterval(() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute("data-test-connection-state") === "CONNECTED") { lost = null; return; }
    lost = lost === null ? Date.now() : lost;
    if (Date.now() - lost < 20000) { return; }
    fetch("/_stcore/health", {cache: "no-store"}).then((r) => { if (r.ok) { window.location.reload(); } }, () => {});
  }, 2000);
})();
</script>"""


def reload_due(
    state: MutableMapping[str, Any], lang: str, step: int, now: float, idle_s: float, every: int
) -> bool:
    """Whether the kiosk should reload its page now: after ``every`` advances (0: never), at the
    start of the loop (a new session starts there: the kiosk keeps its place), and only when
    nobody has touched it for ``idle_s`` and it shows nothing a visitor chose (the URL then holds
    the kiosk's own language, which the new page keeps).

    A browser showing the loop for days grows: about 0.05 MB per advance that no page object
    holds (the soak run, bench/kiosk_soak.py); a reload gives that memory back.
    """
    return (
        every > 0
        and step == 0
        and state["advances"] >= every
        and now - state["touched"] > idle_s
        and not touched_by_visitor(state, lang)
    )


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
        # focusable and named: the stops scroll inside the card when they are more than its height
        f"<div class='cp-kiosk-card cp-kiosk-route' data-kiosk-itinerary='{escape(itinerary_id)}'"
        f" tabindex='0' role='region' aria-label='{escape(title)}'>"
        f"<h2>{escape(title)}</h2><ol>{items}</ol></div>"
    )
