"""The kiosk's network step (issue 11): the world map of the city accounts, with the great-circle
arcs from the home city and a numbered marker per city, and beside it the join timeline as a
short list. One step of the attract loop, after the first itinerary's stops (``with_network``),
so that a visitor waiting at the kiosk sees it soon. The data is ``itinerary.network``'s; the
card is all escaped text, with no link (the kiosk leads nowhere off its page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import folium

from itinerary import cityaccounts as ca
from itinerary import network
from itinerary.catalog import Catalog
from itinerary.i18n import t
from itinerary.markup import escape
from itinerary.models import City

# The kiosk's map at its narrowest and lowest (portrait, larger text: ``ui.kiosk.LAYOUT``): the
# whole network fits it, so it fits every other kiosk layout too.
FIT_SIZE = (1000, 420)


@dataclass(frozen=True)
class NetworkStep:
    """The network as a step of the kiosk's loop."""

    home: City
    cities: tuple[City, ...]  # in the order they joined the platform
    arcs: tuple[network.Arc, ...]
    center: tuple[float, float]
    zoom: int


def network_step(catalog: Catalog) -> NetworkStep | None:
    """The network step, or None when there is no partner city to link to the home city."""
    records = ca.city_records(catalog.cities())
    home = network.home_city(records)
    found = network.arcs(records)
    if home is None or not found:
        return None
    center, zoom = network.fit_view(network.extent(found, home), *FIT_SIZE)
    return NetworkStep(home, tuple(ca.join_order(records)), tuple(found), center, zoom)


S = TypeVar("S")
T = TypeVar("T")


def with_network(sequence: Sequence[S], first_stops: int, step: T | None) -> list[S | T]:
    """The loop with the network step after the first ``first_stops`` steps (the first
    itinerary's stops), so that it comes round early; the loop as it was without one."""
    steps: list[S | T] = list(sequence)
    if step is not None:
        steps.insert(min(first_stops, len(steps)), step)
    return steps


def city_name(city: City, lang: str) -> str:
    return (city.name_zh or city.name) if lang == "zh" else city.name


def network_layer(step: NetworkStep, lang: str) -> folium.FeatureGroup:
    """The arcs and the numbered markers, named "N. City: kind" as on ``/network``."""
    names = {
        c.id: t(
            "network.marker",
            lang,
            order=c.join_order or "",
            city=city_name(c, lang),
            kind=t(ca.partnership_key(c.partnership), lang),
        )
        for c in step.cities
    }
    marks = {c.id: str(c.join_order or "") for c in step.cities}
    return network.arc_group(step.arcs, step.home, names, marks, name="loop")


def network_card(step: NetworkStep, index: int, lang: str) -> str:
    """The kiosk's card of the network: the join timeline and the kinds of line on the map."""
    rows = "".join(
        f"<li data-city='{escape(c.id)}'><b>{escape(t('kiosknet.row', lang, order=c.join_order or '–', city=city_name(c, lang)))}</b>"
        + (
            f" <span class='cp-kiosk-when'>{escape(ca.date_text(c.joined[:7], lang))}</span>"
            if c.joined
            else ""
        )
        + "</li>"
        for c in step.cities
    )
    kinds = "".join(
        f"<li><span aria-hidden='true' class='cp-kiosk-line' style='border-top:{style.weight + 2}px "
        f"{style.border} {style.color}'></span>{escape(t(ca.partnership_key(kind), lang))}</li>"
        for kind, style in network.ARC_STYLES.items()
        if any(a.kind == kind for a in step.arcs)
    )
    heading = t("kiosknet.heading", lang, count=len(step.cities), home=city_name(step.home, lang))
    return (
        f"<div class='cp-kiosk-card cp-kiosk-network' data-kiosk-step='{index}' data-kiosk-network='{len(step.arcs)}'>"
        f"<p class='cp-kiosk-meta'>{escape(t('network.title', lang))}</p>"
        f"<h2>{escape(heading)}</h2>"
        f"<p class='cp-kiosk-meta'>{escape(t('network.timeline', lang))}</p>"
        f"<ol class='cp-kiosk-joined'>{rows}</ol>"
        f"<p class='cp-kiosk-meta'>{escape(t('kiosknet.kinds', lang))}</p>"
        f"<ul class='cp-kiosk-kinds'>{kinds}</ul></div>"
    )


# the card's lists: large type in two columns (nine cities fit beside the map), no bullets
NETWORK_CSS = """
.cp-kiosk-network ol, .cp-kiosk-network ul { list-style: none; margin: 0 0 .3rem; padding: 0; }
.cp-kiosk-network .cp-kiosk-joined { column-count: 2; column-gap: 1rem; }
.cp-kiosk-network li { font-size: 1rem; line-height: 1.25; margin: 0 0 .2rem; break-inside: avoid; color: inherit; }
.cp-kiosk-network .cp-kiosk-when { display: block; }
.cp-kiosk-network .cp-kiosk-kinds { display: flex; flex-wrap: wrap; gap: 0 1.2rem; }
.cp-kiosk-network .cp-kiosk-line { display: inline-block; width: 2.2rem; vertical-align: middle; margin-right: .4rem; }
"""


# /network on a big touch screen (a kiosk-size display in a hall: 1920x1080 landscape, 1080x1920
# portrait): larger type for reading from a step or two away, touch targets of 64 px, and in
# portrait the map the whole width, the timeline under it. By the viewport: the page has
# no kiosk mode of its own; a laptop's 1280x900 and a phone keep the ordinary page.
BIG_SCREEN = "(min-width: 1600px) and (min-height: 1000px), (min-width: 1000px) and (min-height: 1600px)"
NETWORK_PAGE_CSS = f"""
@media {BIG_SCREEN} {{
  html {{ font-size: 24px; }}
  [data-testid="stMainBlockContainer"] {{ max-width: 100% !important; padding: 2rem 2.5rem !important; }}
  [data-testid="stPageLink"] a, [data-testid="stExpander"] summary, .stButton button,
  [data-testid="stBaseButton-segmented_control"], [data-testid="stBaseButton-segmented_controlActive"] {{
    min-height: 64px; align-items: center; }}
  [data-testid="stPageLink"] p, [data-testid="stPageLink"] span {{ font-size: 1rem !important;
    white-space: normal !important; }}
  [data-testid="stCaptionContainer"] {{ font-size: .9rem !important; }}
  .cp-arc-legend li {{ font-size: 1rem; margin-bottom: .3rem; }}
}}
@media (min-width: 1000px) and (min-height: 1600px) {{
  /* beside the sidebar the page is narrow: less padding, so that the world fits at zoom 2 */
  [data-testid="stMainBlockContainer"] {{ padding: 2rem 1rem !important; }}
  [data-testid="stHorizontalBlock"]:has(iframe) {{ flex-wrap: wrap !important; }}
  [data-testid="stHorizontalBlock"]:has(iframe) > [data-testid="stColumn"] {{ flex: 1 1 100% !important;
    width: 100% !important; }}
  [data-testid="stExpanderDetails"] [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap !important; }}
  [data-testid="stExpanderDetails"] [data-testid="stColumn"] {{ flex: 1 1 45% !important; min-width: 45% !important; }}
}}
"""
