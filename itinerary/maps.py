"""folium map builders: the base map, landmark layers, legends. No streamlit here.

Every asset is served by the app (``static/vendor``), never by a CDN: ``use_local_assets`` points
folium's classes at those files. Text from data reaches the map only through ``escape``.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
import folium.plugins
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from itinerary import settings
from itinerary.i18n import t
from itinerary.map_controls import Legend, MapAccess
from itinerary.map_render import RawText, render_raw
from itinerary.map_render import install as render_once
from itinerary.markup import escape
from itinerary.markup import safe_url as safe_url  # re-exported: pages and cards use maps.safe_url

render_once()  # every macro element renders without a second Jinja pass (itinerary/map_render.py)

# The URL prefix under which Streamlit serves ./static (server.enableStaticServing).
STATIC_URL = "/app/static"

# (folium resource name, file under static/vendor); versions match tools/vendor-assets.sh
VENDOR_JS = {
    "leaflet": "leaflet-1.9.4/leaflet.js",
    "jquery": "jquery-3.7.1/jquery.min.js",
    "bootstrap": "bootstrap-5.2.2/bootstrap.bundle.min.js",
    "awesome_markers": "leaflet.awesome-markers-2.0.5/leaflet.awesome-markers.js",
    "markerclusterjs": "leaflet.markercluster-1.5.3/leaflet.markercluster.js",
    "supercluster": "supercluster-9.1.0/supercluster.min.js",  # map_index.IndexedLandmarkLayer
}
VENDOR_CSS = {
    "leaflet_css": "leaflet-1.9.4/leaflet.css",
    "bootstrap_css": "bootstrap-5.2.2/bootstrap.min.css",
    "awesome_markers_font_css": "fontawesome-free-6.2.0/css/all.min.css",
    "awesome_markers_css": "leaflet.awesome-markers-2.0.5/leaflet.awesome-markers.css",
    "markerclustercss": "leaflet.markercluster-1.5.3/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster-1.5.3/MarkerCluster.Default.css",
}

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
TILES_UNNAMED = "Map tiles"  # other tiles without CITYPLUS_TILES_ATTRIBUTION: said in the page's language
_VIEWPORT_LOCK = re.compile(r",\s*maximum-scale=1\.0,\s*user-scalable=no")

# folium asks for these, but nothing we draw uses them, so they are not vendored
NOT_VENDORED = {"glyphicons_css", "awesome_rotate_css"}

# Classes whose default_js/default_css we replace; each must list only names we vendor.
_PATCHED: tuple[type[Any], ...] = (
    folium.Map,
    folium.plugins.MarkerCluster,
    folium.plugins.FastMarkerCluster,
)


# What folium itself would load (from CDNs), kept to check that we vendor all of it.
FOLIUM_ASSETS: dict[type[Any], tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    cls: (list(cls.default_js), list(cls.default_css)) for cls in _PATCHED
}


def vendor_url(path: str, base: str = STATIC_URL) -> str:
    return f"{base}/vendor/{path}"


def use_local_assets(base: str = STATIC_URL) -> None:
    """Point folium's map and plugin classes at the app's own copies of their JS and CSS.

    Names folium lists that we do not vendor (Bootstrap 3 glyphicons, the awesome-markers
    rotation CSS) are dropped: nothing we draw uses them. Idempotent.
    """
    for cls in _PATCHED:
        cls.default_js = [
            (name, vendor_url(VENDOR_JS[name], base)) for name, _ in cls.default_js if name in VENDOR_JS
        ]
        cls.default_css = [
            (name, vendor_url(VENDOR_CSS[name], base)) for name, _ in cls.default_css if name in VENDOR_CSS
        ]


use_local_assets()


@dataclass(frozen=True)
class TileConfig:
    url: str = OSM_TILES
    attribution: str = OSM_ATTRIBUTION

    @classmethod
    def from_env(cls) -> TileConfig:
        url = settings.tiles_url() or OSM_TILES
        attribution = settings.tiles_attribution() or (OSM_ATTRIBUTION if url == OSM_TILES else TILES_UNNAMED)
        return cls(url=url, attribution=attribution)


class ZoomableMap(folium.Map):  # type: ignore[misc]
    """folium's map without its viewport lock: folium's page sets ``maximum-scale=1.0,
    user-scalable=no``, which keeps a visitor on a phone from zooming the page (WCAG 1.4.4)."""

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        super().render(**kwargs)
        header = self.get_root().header  # type: ignore[attr-defined]
        own = header._children.get(self.get_name())
        if own is not None:
            header._children[self.get_name()] = RawText(_VIEWPORT_LOCK.sub("", own.render()))


def base_map(
    *,
    center: tuple[float, float],
    zoom: int,
    tiles: TileConfig,
    legend: Sequence[ThemeStyle] = (),
    legend_title: str = "",
    links: bool = True,
    lang: str = "en",
) -> folium.Map:
    """The stable part of a page's map: view, tiles, legend, labelled controls. Changing layers
    go separately. ``lang`` is the language of the controls and of the markers' names."""
    fmap = ZoomableMap(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        zoom_control=False,  # MapAccess adds it, labelled in the page's language
        prefer_canvas=False,
        # a kiosk shows no link that leads off the page; it shows the attribution as plain text
        attribution_control=links,
    )
    attribution = tiles.attribution
    if attribution == OSM_ATTRIBUTION:
        attribution = attribution.replace(" contributors", " " + t("map.contributors", lang))
    elif attribution == TILES_UNNAMED:
        attribution = t("map.tiles", lang)
    folium.TileLayer(
        tiles=tiles.url,
        attr=attribution,
        name="tiles",
        max_zoom=19,
        # when tiles cannot load (offline event hall), the map stays usable on a plain background
        error_tile_url="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==",
    ).add_to(fmap)
    # every style a layer may use lives here: layers sent apart from the base map carry no <style>
    fmap.get_root().header.add_child(folium.Element(f"<style>{MAP_CSS}{ROUTE_CSS}</style>"))  # type: ignore[attr-defined]
    access = MapAccess(lang)
    # like the cluster plugin: a frame built for a few landmarks may later get many (map_index)
    access.default_js.append(("supercluster", vendor_url(VENDOR_JS["supercluster"])))
    access.add_to(fmap)
    OneThemeStyle().add_to(fmap)
    if legend:
        Legend(legend, legend_title).add_to(fmap)
    return fmap


ROUTE_CSS = """
.cp-num { width: 30px; height: 30px; border-radius: 50%; background: #c8102e; color: #fff; font-weight: 700;
  display: flex; align-items: center; justify-content: center; border: 2px solid #fff; font-size: 14px;
  box-shadow: 0 1px 4px rgba(0,0,0,.5); box-sizing: border-box; }
.cp-num.cp-late { background: #8a5a00; }
.cp-num.cp-start { background: #1d3f72; font-size: 12px; }
.cp-arrow { width: 0; height: 0; border-top: 7px solid transparent; border-bottom: 7px solid transparent;
  border-left: 12px solid #c8102e; }
"""


MAP_CSS = """
.leaflet-container { background: #e8eef1; font-family: "Source Sans Pro", "Noto Sans CJK SC", sans-serif; }
.cp-marker { background: transparent; border: none; }
.cp-pin { width: 28px; height: 28px; box-sizing: border-box;
  display: flex; align-items: center; justify-content: center; border-radius: 50%;
  border: 2px solid #fff; box-shadow: 0 1px 4px rgba(0,0,0,.45); color: #fff; font-size: 13px; }
.cp-pin.cp-selected { outline: 4px solid rgba(200,16,46,.55); }
.leaflet-marker-icon:focus-visible, .leaflet-control a:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.cp-legend { background: rgba(255,255,255,.92); padding: 4px 8px; border-radius: 6px; line-height: 1.5;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font-size: 12px; display: grid; grid-template-columns: auto auto;
  column-gap: 10px; }
.cp-legend strong { grid-column: 1 / -1; }
.cp-legend .cp-dot { display: inline-flex; width: 16px; height: 16px; border-radius: 50%; color: #fff;
  align-items: center; justify-content: center; font-size: 9px; margin-right: 4px; vertical-align: middle; }
"""


@dataclass(frozen=True)
class ThemeStyle:
    """How a theme looks on the map; color and icon are validated at load (#rrggbb, slug)."""

    id: str
    label: str
    color: str
    icon: str


_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ICON = re.compile(r"^[a-z0-9-]+$")


def theme_styles(themes: pd.DataFrame, labels: pd.Series) -> list[ThemeStyle]:
    """Styles of the themes; colours and icons go into markup, so anything odd is replaced."""
    return [
        ThemeStyle(
            id=str(tid),
            label=str(labels.get(tid, tid)),
            color=str(row["color"]) if _COLOR.match(str(row["color"])) else "#3388ff",
            icon=str(row["icon"]) if _ICON.match(str(row["icon"])) else "star",
        )
        for tid, row in themes.iterrows()
    ]


# The pins of a landmark layer, in both layers' scripts (this one and map_index's drawn by
# view): one icon per theme style ``[colour, icon]`` in ``styles``, and ``markId``, which puts a
# marker's landmark id on its element (``options.landmarkId``) for tests and assistive tools.
PIN_ICONS_JS = """            var icons = styles.map(function (s) {
                return L.divIcon({
                    className: "cp-marker",
                    html: '<div class="cp-pin" style="background:' + s[0] + '">'
                        + '<i class="fa-solid fa-' + s[1] + '"></i></div>',
                    iconSize: [28, 28], iconAnchor: [14, 14], tooltipAnchor: [12, 0]
                });
            });
            function markId() {  // lets tests and assistive tools find a landmark's pin
                var el = this.getElement();
                if (el) { el.setAttribute("data-landmark-id", this.options.landmarkId); }
            }
"""


class LandmarkLayer(JSCSSMixin, MacroElement):  # type: ignore[misc]
    """Landmarks as theme-coloured pins in a marker cluster, built in the browser from compact rows.

    One ``L.divIcon`` per theme is shared by all its markers, and the cluster receives them in
    one ``addLayers`` call: 10,000 landmarks cost a few hundred KB and well under a second.
    Each marker carries its landmark id (``options.landmarkId``) for tests and click handling.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var styles = {{ this.styles|tojson }};
"""
        + PIN_ICONS_JS
        + """            var rows = {{ this.rows_json }};
            var markers = new Array(rows.length);
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                var m = L.marker([r[0], r[1]], {icon: icons[r[2]], landmarkId: r[4], keyboard: true,
                                                landmarkName: r[3], themeLabel: styles[r[2]][2]});
                m.bindTooltip(r[3]);
                m.on("add", markId);
                markers[i] = m;
            }
            var cluster = L.markerClusterGroup({{ this.options|tojson }});
            cluster.addLayers(markers);
            cluster.addTo({{ this._parent.get_name() }});
            return cluster;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        *,
        styles: Sequence[ThemeStyle],
        names: pd.Series | None = None,
        prefer_themes: Sequence[str] = (),
        rows_json: str | None = None,
    ) -> None:
        """From a landmarks frame and its display names, or from ``rows_json`` made earlier by
        ``landmark_rows_json`` (a page can cache that for a filter it has seen)."""
        super().__init__()
        self._name = "LandmarkLayer"
        # the assets are MarkerCluster's, already pointed at static/vendor
        self.default_js = list(folium.plugins.MarkerCluster.default_js)
        self.default_css = list(folium.plugins.MarkerCluster.default_css)
        self.styles = [[s.color, s.icon, escape(s.label)] for s in styles]
        if rows_json is None:
            if frame is None or names is None:
                raise ValueError("LandmarkLayer needs a frame and names, or rows_json")
            rows_json = landmark_rows_json(frame, styles=styles, names=names, prefer_themes=prefer_themes)
        self.rows_json = rows_json
        self.options = {
            "showCoverageOnHover": False,
            "chunkedLoading": True,
            "maxClusterRadius": 50,
            "disableClusteringAtZoom": 18,
            "spiderfyOnMaxZoom": True,
        }

    def render(self, **kwargs: Any) -> str:
        render_raw(self, **kwargs)
        return ""


def landmark_rows(
    frame: pd.DataFrame, *, styles: Sequence[ThemeStyle], names: pd.Series, prefer_themes: Sequence[str] = ()
) -> list[list[Any]]:
    """Compact rows ``[lat, lon, style index, escaped name, id]``, one per landmark."""
    style = style_indexes(frame, styles=styles, prefer_themes=prefer_themes)
    return [
        list(row)
        for row in zip(
            frame["lat"].round(6).tolist(),
            frame["lon"].round(6).tolist(),
            style.tolist(),
            names.loc[frame.index].map(escape).tolist(),
            frame["id"].tolist(),
            strict=True,
        )
    ]


def style_indexes(
    frame: pd.DataFrame, *, styles: Sequence[ThemeStyle], prefer_themes: Sequence[str] = ()
) -> pd.Series:
    """Each landmark's style (an index into ``styles``): its first preferred theme, else its first."""
    index = {s.id: i for i, s in enumerate(styles)}
    preferred = [t for t in prefer_themes if t in index]
    return frame["themes"].map(lambda themes: _style_index(themes, preferred, index))


def landmark_rows_json(
    frame: pd.DataFrame, *, styles: Sequence[ThemeStyle], names: pd.Series, prefer_themes: Sequence[str] = ()
) -> str:
    """The rows as JSON made by the C encoder and escaped for a <script> block the way Jinja's
    tojson does: the template only pastes it (at 10,000 landmarks tojson took 100 ms)."""
    return script_json(landmark_rows(frame, styles=styles, names=names, prefer_themes=prefer_themes))


def script_json(value: Any) -> str:
    """JSON safe inside an HTML <script> element (no </script>, no HTML-significant characters)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("'", "\\u0027")
    )


def _style_index(themes: Sequence[str], preferred: Sequence[str], index: dict[str, int]) -> int:
    """The style of a landmark: its first theme among the visitor's chosen ones, else its first."""
    for theme in preferred:
        if theme in themes:
            return index[theme]
    for theme in themes:
        if theme in index:
            return index[theme]
    return 0


def highlight_marker(lat: float, lon: float, label: str, color: str = "#c8102e") -> folium.CircleMarker:
    """A ring around the chosen landmark (drawn above the clusters)."""
    return folium.CircleMarker(
        location=[lat, lon],
        radius=22,
        color=color,
        weight=4,
        fill=False,
        tooltip=escape(label),
    )


def bearing_degrees(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial compass bearing from point 1 to point 2 (0 = north, 90 = east)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


@dataclass(frozen=True)
class RouteStop:
    id: str
    lat: float
    lon: float
    label: str  # shown in the tooltip (escaped here)
    late: bool = False  # drawn in another colour when the stop cannot be made in time
    start: bool = False  # a start point that is not a stop: marked "S" (起点), not numbered


def route_group(
    stops: Sequence[RouteStop],
    *,
    color: str = "#c8102e",
    name: str = "route",
    lang: str = "en",
    round_trip: bool = False,
) -> folium.FeatureGroup:
    """Numbered stops joined by a line with an arrow on each leg, pointing the way. Each stop's
    marker is named "Stop N: name" in ``lang`` for screen readers; the arrows are decoration.
    A ``start`` stop is marked "S" (起点) and named "Start: name", and the numbers begin after
    it; ``round_trip`` draws the leg back to the first stop as well."""
    group = folium.FeatureGroup(name=name)
    path = [*stops, stops[0]] if round_trip and len(stops) >= 2 else list(stops)
    if len(path) >= 2:
        folium.PolyLine([(s.lat, s.lon) for s in path], color=color, weight=4, opacity=0.85).add_to(group)
    for a, b in itertools.pairwise(path):
        angle = bearing_degrees(a.lat, a.lon, b.lat, b.lon) - 90  # the CSS arrow points east
        folium.Marker(
            location=((a.lat + b.lat) / 2, (a.lon + b.lon) / 2),
            icon=folium.DivIcon(
                html=f'<div class="cp-arrow" style="transform: rotate({angle:.1f}deg)"></div>',
                icon_size=(12, 14),
                icon_anchor=(6, 7),
                class_name="cp-marker",
            ),
            interactive=False,
            keyboard=False,
        ).add_to(group)
    number = 0
    for stop in stops:
        late = " cp-late" if stop.late else ""
        if stop.start:
            mark, kind, late = t("plan.start_mark", lang), "start", " cp-start"
            aria = t("plan.map_start", lang, name=stop.label)
            tip = t("plan.start_row", lang, mark=mark, label=stop.label)
        else:
            number += 1
            mark, kind, aria = str(number), str(number), t("map.stop", lang, number=number, name=stop.label)
            tip = f"{number}. {stop.label}"
        folium.Marker(
            location=(stop.lat, stop.lon),
            icon=folium.DivIcon(
                html=f'<div class="cp-num{late}" data-stop="{kind}" data-landmark-id="{escape(stop.id)}">'
                f"{escape(mark)}</div>",
                icon_size=(30, 30),
                icon_anchor=(15, 15),
                class_name="cp-marker",
            ),
            tooltip=escape(tip),
            aria_label=escape(aria),
            z_index_offset=1000,  # above the landmark pins and clusters
        ).add_to(group)
    return group


class ReleaseOldLayers(MacroElement):  # type: ignore[misc]
    """Forget the layers streamlit-folium took off the map on the previous render.

    streamlit-folium (0.27) removes the old layers from the map before it evaluates the new
    ones, but keeps every old layer in ``window.feature_group`` forever: a kiosk looping for days,
    or a visitor changing filters on 10,000 landmarks, would pile them up in memory. Added as the
    first child of the first layer sent, this empties that list just before the new layers are
    pushed onto it (upstream: randyzwitch/streamlit-folium#247).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.feature_group) { window.feature_group.length = 0; }
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ReleaseOldLayers"


class OneThemeStyle(MacroElement):  # type: ignore[misc]
    """Keep one of the theme ``<style>`` elements Streamlit's component library adds to the map frame.

    streamlit-component-lib (bundled in streamlit-folium 0.27) appends a new ``<style>`` with the
    theme's colours to the frame's ``<head>`` on every render message and never removes the old
    ones: a kiosk advancing every 8 s piled up thousands, and its renderer grew by about 0.07 MB
    per advance. Part of the base map's script (run once per frame), this watches the head and
    drops every such element but the newest, whose rules are the same or newer.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (() => {
          if (window.__cpOneThemeStyle) { return; }
          window.__cpOneThemeStyle = true;
          const theme = (node) => node.tagName === "STYLE" && node.textContent.includes("--primary-color");
          const prune = () => {
            const styles = Array.from(document.head.children).filter(theme);
            styles.slice(0, -1).forEach((node) => node.remove());
          };
          prune();
          new MutationObserver(prune).observe(document.head, {childList: true});
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "OneThemeStyle"
