"""The map's controls: the theme legend, zoom and scale labelled in the page's language, and
names for every marker, so the map works with a keyboard and a screen reader (WCAG 2.2 AA).

Text reaches the markup only escaped (``markup.escape``); markers' names are set with
``setAttribute``, never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import folium.plugins
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from itinerary.i18n import t
from itinerary.markup import escape

if TYPE_CHECKING:
    from itinerary.maps import ThemeStyle


class Legend(MacroElement):  # type: ignore[misc]
    """A Leaflet control listing theme colours and icons; labels are escaped."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "cp-legend");
                div.innerHTML = {{ this.inner_html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, styles: Sequence[ThemeStyle], title: str) -> None:
        super().__init__()
        self._name = "Legend"
        rows = [f"<strong>{escape(title)}</strong>"] if title else []
        rows += [
            f'<div><span class="cp-dot" style="background:{s.color}">'
            f'<i class="fa-solid fa-{s.icon}"></i></span>{escape(s.label)}</div>'
            for s in styles
        ]
        self.inner_html = "".join(rows)


class MapAccess(JSCSSMixin, MacroElement):  # type: ignore[misc]
    """The map for keyboards and screen readers, in the page's language.

    - Zoom and scale controls labelled in ``lang`` (Leaflet's own are English), the scale's
      units too ("500 米", "2 公里"); miles and feet only in English.
    - Every marker gets an accessible name when it is added: its ``ariaLabel`` option (route
      stops), "name, theme" (landmark pins), "N places here" (clusters), else its tooltip.
      Leaflet gives markers ``role="button"`` and a tab stop but no name.
    - Enter or Space on a focused marker clicks it (Leaflet itself only opens a bound popup), so
      a keyboard opens a landmark's card and zooms into a cluster like a tap does.
    - A marker that does nothing (route arrows) leaves the tab order.
    The hook is registered once per frame, before any layer is added.

    It also declares the marker-cluster plugin's files: streamlit-folium loads only the scripts
    the map declares when it builds its frame, and it rebuilds the frame whenever the base map
    changes (a language switch does). A frame built while only a route was shown would otherwise
    lack the plugin when a landmark layer came back (the kiosk's idle reset did exactly that).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(){
            var map = {{ this._parent.get_name() }};
            window.cpMapText = {{ this.texts|tojson }};
            L.control.zoom({zoomInTitle: cpMapText.zoom_in, zoomOutTitle: cpMapText.zoom_out}).addTo(map);
            // Leaflet writes "m" and "km" itself; the page's language has its own units (米, 公里)
            var Scale = L.Control.Scale.extend({_updateMetric: function (maxMeters) {
                var meters = this._getRoundNum(maxMeters);
                var label = meters < 1000 ? cpMapText.metres.replace("{n}", meters)
                    : cpMapText.kilometres.replace("{n}", meters / 1000);
                this._updateScale(this._mScale, label, meters / maxMeters);
            }});
            new Scale({imperial: cpMapText.imperial}).addTo(map);
            var ac = map.attributionControl;
            if (ac && typeof ac.options.prefix === "string") {
                ac.setPrefix(ac.options.prefix.replace("A JavaScript library for interactive maps", cpMapText.leaflet));
            }
            if (L.Marker.prototype.cpNamed) { return; }
            L.Marker.prototype.cpNamed = true;
            function decode(html) { var d = document.createElement("textarea"); d.innerHTML = html; return d.value; }
            function nameOf(m) {
                var o = m.options, text = window.cpMapText || {};
                if (o.ariaLabel) { return o.ariaLabel; }
                if (m.getChildCount) { return (text.cluster || "{count}").replace("{count}", m.getChildCount()); }
                if (o.landmarkName) {
                    return (text.landmark || "{name}, {theme}").replace("{name}", o.landmarkName).replace("{theme}", o.themeLabel || "");
                }
                var tip = m.getTooltip && m.getTooltip();
                return tip && typeof tip.getContent() === "string" ? tip.getContent() : "";
            }
            function name() {
                var el = this.getElement();
                if (!el) { return; }
                var label = nameOf(this);
                if (label) {
                    el.setAttribute("aria-label", decode(label));
                } else if (!this.options.interactive) {
                    el.removeAttribute("role");
                    el.removeAttribute("tabindex");
                }
            }
            function press(e) {
                var key = e.originalEvent && e.originalEvent.key;
                if (key === "Enter" || key === " ") {
                    e.originalEvent.preventDefault();
                    this.fire("click", {latlng: this.getLatLng(), originalEvent: e.originalEvent}, true);
                }
            }
            L.Marker.addInitHook(function () { this.on("add", name); this.on("keydown", press); });
        })();
        {% endmacro %}
        """
    )

    TEXTS = (
        "zoom_in",
        "zoom_out",
        "leaflet",
        "cluster",
        "landmark",
        "metres",
        "kilometres",
    )  # keys map.<text>

    def __init__(self, lang: str) -> None:
        super().__init__()
        self._name = "MapAccess"
        self.default_js = list(folium.plugins.MarkerCluster.default_js)  # already our own copies
        self.default_css = list(folium.plugins.MarkerCluster.default_css)
        self.texts: dict[str, str | bool] = {key: t(f"map.{key}", lang) for key in self.TEXTS}
        self.texts["imperial"] = lang == "en"  # 中文 readers use metric only
