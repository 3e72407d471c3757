"""The map flies to a new view instead of jumping to it (issue 11: a story's chapters).

streamlit-folium 0.27 moves a map it has already drawn by calling ``map.setView(center, zoom)``
with no options when its ``center`` or ``zoom`` argument changes (its frontend bundle,
``finalizeOnRender``). ``FlyToViews`` wraps that one method of the map it is added to: a call
without options becomes ``map.flyTo`` (Leaflet's animated pan and zoom). Leaflet's own calls pass
options (the zoom buttons, ``fitBounds``, ``panTo``, the first view, ``flyTo`` itself without
animation) and are left as they were, and so is st_folium's first call (the view the page opens
at, such as a link's chapter: shown at once). When the visitor asks for less motion
(``prefers-reduced-motion: reduce``, read at each move) the view still jumps.
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

FLIGHT_SECONDS = 1.2  # long enough to follow from one place to the next, short enough not to wait


class FlyToViews(MacroElement):  # type: ignore[misc]
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var jump = map.setView;
            var still = function () {
                return !window.matchMedia || window.matchMedia("(prefers-reduced-motion: reduce)").matches;
            };
            var opened = false;  // the first view st_folium sets is where the page opens: no flight
            map.setView = function (center, zoom, options) {
                if (options !== undefined || !this._loaded || !opened || still()) {
                    opened = opened || options === undefined;
                    return jump.apply(this, arguments);
                }
                return this.flyTo(center, zoom, {duration: {{ this.seconds }}});
            };
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, seconds: float = FLIGHT_SECONDS) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FlyToViews"
        self.seconds = float(seconds)
