"""The network of city accounts: great-circle arcs from the home city, and the twin themes.

Every published city account is linked to the home city (``partnership == "home"``, else the
first in the join order) by a great-circle arc (``geodesy.great_circle``) styled by the kind of
partnership. "Twin themes" lists, per theme, what each city has under it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import MacroElement
from folium.template import Template

from itinerary.cityaccounts import HOME, join_order
from itinerary.geodesy import great_circle
from itinerary.markup import escape
from itinerary.models import City


@dataclass(frozen=True, slots=True)
class ArcStyle:
    color: str
    dash: str  # SVG dash array: "" solid; the kind is told by the line and the legend, not colour alone
    weight: int
    border: str  # the same line as a CSS border style, for the legend


ARC_STYLES: Mapping[str, ArcStyle] = {
    "sister-city": ArcStyle("#c8102e", "", 4, "solid"),
    "friendship-city": ArcStyle("#b35900", "12 6", 4, "dashed"),
    "economic-partner": ArcStyle("#1f5fa8", "6 6", 4, "dashed"),
    "platform": ArcStyle("#4d4d4d", "1 7", 3, "dotted"),
}


def bounds(found: Sequence[Arc], home: City) -> list[list[float]]:
    """The box around the home city and every arc's end (for the map's first view)."""
    lats = [home.lat, *(a.end[0] for a in found)]
    lons = [home.lon, *(a.end[1] for a in found)]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


@dataclass(frozen=True, slots=True)
class Arc:
    city_id: str
    kind: str
    points: tuple[tuple[float, float], ...]  # longitudes unwrapped from the home city's

    @property
    def end(self) -> tuple[float, float]:
        return self.points[-1]


def home_city(cities: Sequence[City]) -> City | None:
    homes = [c for c in cities if c.partnership == HOME]
    if homes:
        return homes[0]
    ordered = join_order(cities)
    return ordered[0] if ordered else None


def arcs(cities: Sequence[City], *, steps: int = 64) -> list[Arc]:
    """One arc from the home city to every other city account, in the join order."""
    home = home_city(cities)
    if home is None:
        return []
    return [
        Arc(c.id, c.partnership, tuple(great_circle(home.lat, home.lon, c.lat, c.lon, steps=steps)))
        for c in join_order(cities)
        if c.id != home.id
    ]


MARKER_PX = 30  # a city's numbered marker, square


def arc_group(
    found: Sequence[Arc],
    home: City,
    names: Mapping[str, str],
    marks: Mapping[str, str],
    *,
    name: str = "network",
) -> folium.FeatureGroup:
    """The arcs and a marker at each end, named for screen readers (``names``: city id to its
    name in the page's language, with what links it) and marked (``marks``: its place in the
    join order, as the timeline numbers it). Clicking a marker reports its position."""
    group = folium.FeatureGroup(name=name)
    for arc in found:
        style = ARC_STYLES.get(arc.kind, ARC_STYLES["platform"])
        folium.PolyLine(  # type: ignore[no-untyped-call]
            arc.points,
            color=style.color,
            weight=style.weight,
            dash_array=style.dash or None,
            opacity=0.9,
            interactive=False,
            class_name=f"cp-arc cp-arc-{arc.kind}",
        ).add_to(group)
    for city_id, (lat, lon), home_mark in [
        (home.id, (home.lat, home.lon), True),
        *((a.city_id, a.end, False) for a in found),
    ]:
        label = names.get(city_id, city_id)
        folium.Marker(
            location=(lat, lon),
            icon=folium.DivIcon(
                html=f'<div class="cp-num{" cp-current" if home_mark else ""}" data-city="{escape(city_id)}">'
                f"{escape(marks.get(city_id, ''))}</div>",
                icon_size=(MARKER_PX, MARKER_PX),
                icon_anchor=(MARKER_PX // 2, MARKER_PX // 2),
                class_name="cp-marker",
            ),
            tooltip=escape(label),
            aria_label=escape(label),
        ).add_to(group)
    SpreadMarkers(MARKER_PX).add_to(group)
    return group


class SpreadMarkers(MacroElement):  # type: ignore[misc]
    """Keep every marker of its layer readable: where two would cover each other at the map's
    zoom (Liège and The Hague are 180 km apart, a few pixels at world zoom), the later one is
    drawn beside the earlier: the first free place of eight around its city, 32 px away, then of
    eight 64 px away. Its arcs still end at the city; once the map is zoomed in far enough, each
    marker is back on its city. Moving a marker moves its whole icon (the ``size`` px box,
    anchored at its centre, that is clicked, tapped and focused), not only what it shows."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (() => {
          const group = {{ this._parent.get_name() }};
          const ring = [[1, 0], [0, -1], [-1, 0], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];
          const tries = [[0, 0], ...ring.map(([x, y]) => [32 * x, 32 * y]), ...ring.map(([x, y]) => [64 * x, 64 * y])];
          const spread = (map) => {
            const size = {{ this.size }}, half = size / 2;
            const placed = [];  // the boxes drawn so far: apart when a box apart on either axis
            const free = (x, y) => placed.every((q) => Math.abs(q.x - x) >= size || Math.abs(q.y - y) >= size);
            group.eachLayer((layer) => {
              if (!(layer instanceof L.Marker) || !layer._icon) { return; }
              const p = map.latLngToLayerPoint(layer.getLatLng());
              const [dx, dy] = tries.find(([x, y]) => free(p.x + x, p.y + y)) || [0, 0];
              placed.push({x: p.x + dx, y: p.y + dy});
              layer._icon.style.marginLeft = (dx - half) + "px";  // anchored at its centre
              layer._icon.style.marginTop = (dy - half) + "px";
            });
          };
          // streamlit-folium may take the layer off the map and put it back: follow each time
          let shown = null;
          const again = () => spread(shown);
          const start = () => { shown = group._map; spread(shown); shown.on("zoomend", again); };
          group.on("add", start);
          group.on("remove", () => { if (shown) { shown.off("zoomend", again); shown = null; } });
          if (group._map) { start(); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, size: int) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SpreadMarkers"
        self.size = size


def city_at(found: Sequence[Arc], home: City, lat: float, lon: float) -> str | None:
    """The city whose marker is at (lat, lon) (a click on it reports that position)."""
    ends = [(home.id, (home.lat, home.lon)), *((a.city_id, a.end) for a in found)]
    best = min(ends, key=lambda e: (e[1][0] - lat) ** 2 + (e[1][1] - lon) ** 2, default=None)
    if best is None or (best[1][0] - lat) ** 2 + (best[1][1] - lon) ** 2 > 1e-6:
        return None
    return best[0]


@dataclass(frozen=True, slots=True)
class TwinEntry:
    city_id: str
    landmark_ids: tuple[str, ...]
    itinerary_ids: tuple[str, ...]


def twin_themes(
    theme_ids: Sequence[str], content: Mapping[str, tuple[Any, Any]], *, limit: int = 4
) -> dict[str, list[TwinEntry]]:
    """Per theme, each city's landmarks (at most ``limit``) and itineraries under it.

    ``content`` maps a city id (in the order to show) to its published landmarks and
    itineraries (``Catalog.landmarks`` and ``Catalog.itineraries``); a city with nothing under a
    theme is left out of it."""
    found: dict[str, list[TwinEntry]] = {}
    for theme in theme_ids:
        entries = []
        for city_id, (landmarks, itineraries) in content.items():
            lms = tuple(str(i) for i, row in landmarks.iterrows() if theme in row["themes"])[:limit]
            its = tuple(str(i) for i, row in itineraries.iterrows() if row["theme_id"] == theme)
            if lms or its:
                entries.append(TwinEntry(city_id, lms, its))
        if len(entries) >= 2:  # a twin theme is shared by two cities at least
            found[theme] = entries
    return found


def extent(found: Sequence[Arc], home: City) -> list[list[float]]:
    """The box around the home city and every point of every arc (a great circle bows away from
    the equator: the box of its ends alone would cut the northern arcs off)."""
    points = [(home.lat, home.lon), *(p for a in found for p in a.points)]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def fit_view(
    box: Sequence[Sequence[float]], width: int, height: int, *, pad: int = 40
) -> tuple[tuple[float, float], int]:
    """The centre and the largest whole zoom at which ``box`` ([[south, west], [north, east]],
    as ``bounds`` gives it) fits a map of ``width`` x ``height`` px with ``pad`` px around (Web
    Mercator, 256 px tiles: what Leaflet's ``fitBounds`` does, for a map whose view st_folium sets
    by centre and zoom, such as the kiosk's)."""
    (south, west), (north, east) = box

    def y(lat: float) -> float:  # Mercator, in units of the world's width (0 at the equator)
        clipped = max(min(lat, 85.0511), -85.0511)
        return math.log(math.tan(math.pi / 4 + math.radians(clipped) / 2)) / (2 * math.pi)

    span_x = max((east - west) / 360.0, 1e-9)
    span_y = max(y(north) - y(south), 1e-9)
    fits = [
        z
        for z in range(19)
        if 256 * 2**z * span_x <= width - 2 * pad and 256 * 2**z * span_y <= height - 2 * pad
    ]
    mid_y = (y(north) + y(south)) / 2
    lat = math.degrees(2 * math.atan(math.exp(mid_y * 2 * math.pi)) - math.pi / 2)
    return (lat, (east + west) / 2), max(fits, default=0)
