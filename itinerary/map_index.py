"""Many landmarks on one map: a compact payload and a layer that draws only what is in view.

From ``INDEXED_FROM`` landmarks on, a map's landmark layer is ``IndexedLandmarkLayer``: the
browser loads every landmark into supercluster (a spatial index of clusters per zoom, vendored
in ``static/vendor/supercluster-9.1.0``) and turns only the clusters and pins of the current view
into Leaflet markers, again after every move or zoom. Fewer landmarks keep the marker-cluster
layer of ``maps.LandmarkLayer`` (its spiderfying of pins at one spot, its animations).

The landmarks travel as columns (``landmark_columns``), sorted by id:

- ``lat``, ``lon``: Google's encoded polyline algorithm at 1e-6 degrees, each column a stream of
  differences from the previous landmark (about 4 characters a coordinate);
- ``style``: one character per landmark, its theme style's index (``STYLE_CODES``);
- ``ids``: each id front-coded against the one before: one character for the length of the
  prefix they share (``chr(65 + n)``), then the rest; entries joined by ``|``, which no id has;
- ``names``: the names escaped for HTML (``markup.escape``, then ``|`` as ``&#124;``, the same
  text once HTML-decoded), joined by ``|``.

Pins are the same markers as the marker-cluster layer's (theme icon, tooltip, ``landmarkId``,
``landmarkName``, ``themeLabel``: ``map_controls.MapAccess`` names them, Enter clicks them), in a
``FeatureGroup`` whose clicks reach streamlit-folium. Clusters look like marker-cluster's, are
named "N places here", fire ``clusterclick`` instead of ``click`` (so no cluster is reported as
a clicked landmark) and zoom in. The map's container tells what the map shows:
``data-cp-landmarks`` (landmarks in the index), ``data-cp-landmarks-shown`` (landmarks the
markers on the map represent, a cluster counting its members) and ``data-cp-drawn-zoom`` (the
zoom they were drawn for: Leaflet ends a zoom a frame before its ``moveend``);
``map.cpIndexed.shownIds()`` lists the represented landmarks' ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from itinerary.map_render import render_raw
from itinerary.maps import PIN_ICONS_JS, VENDOR_JS, vendor_url
from itinerary.markup import escape

INDEXED_FROM = 1000  # landmarks in a layer from which the map draws only what is in view
SCALE = 1_000_000  # coordinates in millionths of a degree (about 0.1 m), as the marker rows
STYLE_CODES = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEPARATOR = "|"
_MAX_PREFIX = 57  # chr(65 + 57) == "z": the prefix code stays below the separator


def use_index(count: int, styles: int = 0) -> bool:
    """Whether a layer of ``count`` landmarks (in ``styles`` theme styles) is drawn by view."""
    return count >= INDEXED_FROM and styles <= len(STYLE_CODES)


def encode_deltas(values: Sequence[int]) -> str:
    """Integers as differences from the one before, in the encoded polyline algorithm's characters
    (``?`` to ``~``: five bits a character, the sign in the lowest bit)."""
    out: list[str] = []
    previous = 0
    for value in values:
        delta, previous = value - previous, value
        chunk = ~(delta << 1) if delta < 0 else delta << 1
        while chunk >= 0x20:
            out.append(chr((0x20 | (chunk & 0x1F)) + 63))
            chunk >>= 5
        out.append(chr(chunk + 63))
    return "".join(out)


def decode_deltas(text: str) -> list[int]:
    """``encode_deltas`` undone (the browser does the same in the layer's script)."""
    values: list[int] = []
    value = shift = result = 0
    for char in text:
        bits = ord(char) - 63
        result |= (bits & 0x1F) << shift
        shift += 5
        if bits < 0x20:
            value += ~(result >> 1) if result & 1 else result >> 1
            values.append(value)
            shift = result = 0
    return values


def front_code(ids: Sequence[str]) -> str:
    """Ids (in order) as ``|``-joined entries: the length of the prefix shared with the id before
    as ``chr(65 + n)``, then the rest of the id."""
    entries: list[str] = []
    previous = ""
    for current in ids:
        shared = 0
        limit = min(len(previous), len(current), _MAX_PREFIX)
        while shared < limit and previous[shared] == current[shared]:
            shared += 1
        entries.append(chr(65 + shared) + current[shared:])
        previous = current
    return SEPARATOR.join(entries)


def front_decode(text: str) -> list[str]:
    """``front_code`` undone."""
    ids: list[str] = []
    previous = ""
    for entry in text.split(SEPARATOR) if text else []:
        previous = previous[: ord(entry[0]) - 65] + entry[1:]
        ids.append(previous)
    return ids


@dataclass(frozen=True)
class LandmarkColumns:
    """The landmarks of a layer, encoded for the browser (see the module's docstring)."""

    count: int
    lat: str
    lon: str
    style: str
    ids: str
    names: str

    def as_json_value(self) -> dict[str, Any]:
        return {
            "n": self.count,
            "lat": self.lat,
            "lon": self.lon,
            "style": self.style,
            "ids": self.ids,
            "names": self.names,
        }


def landmark_columns(frame: pd.DataFrame, *, style_index: pd.Series, names: pd.Series) -> LandmarkColumns:
    """Columns of ``frame``'s landmarks sorted by id; ``style_index`` and ``names`` (display
    names, escaped here) share the frame's index."""
    all_ids = frame["id"].astype(str).tolist()
    order = frame.iloc[sorted(range(len(all_ids)), key=all_ids.__getitem__)]
    ids = [str(x) for x in order["id"].tolist()]
    if any(SEPARATOR in x or not x for x in ids):  # ids are slugs (columns.py): never seen
        raise ValueError("landmark ids must be non-empty slugs without '|'")
    lat = (order["lat"].astype(float) * SCALE).round().astype("int64").tolist()
    lon = (order["lon"].astype(float) * SCALE).round().astype("int64").tolist()
    styles = style_index.loc[order.index].tolist()
    shown = names.loc[order.index].map(lambda name: escape(name).replace(SEPARATOR, "&#124;"))
    return LandmarkColumns(
        count=len(ids),
        lat=encode_deltas(lat),
        lon=encode_deltas(lon),
        style="".join(STYLE_CODES[i] for i in styles),
        ids=front_code(ids),
        names=SEPARATOR.join(shown.tolist()),
    )


class IndexedLandmarkLayer(JSCSSMixin, MacroElement):  # type: ignore[misc]
    """Landmarks in a supercluster index; only the clusters and pins in view are Leaflet markers.

    ``styles`` are ``[colour, icon, escaped label]`` per theme style (``maps.LandmarkLayer``'s),
    ``data_json`` the JSON of ``LandmarkColumns.as_json_value`` made safe for a script
    (``maps.script_json``), which a page may cache per filter.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(){
            var styles = {{ this.styles|tojson }};
            var started = performance.now(), timing = {};  // where the time goes (bench/)
            var data = {{ this.data_json }};
            var n = data.n, codes = {{ this.codes|tojson }};
            function deltas(text) {
                var out = new Float64Array(n), value = 0, k = 0, shift = 0, result = 0;
                for (var i = 0; i < text.length; i++) {
                    var bits = text.charCodeAt(i) - 63;
                    result |= (bits & 31) << shift;
                    shift += 5;
                    if (bits < 32) {
                        value += (result & 1) ? ~(result >> 1) : (result >> 1);
                        out[k++] = value / {{ this.scale }};
                        shift = 0; result = 0;
                    }
                }
                return out;
            }
            // the same landmarks as the layer before (a rerun that opened a card): its index is kept
            var cache = window.cpIndexCache = window.cpIndexCache || {}, key = {{ this.key|tojson }};
            var built = cache[key] || (function () {
            var lat = deltas(data.lat), lon = deltas(data.lon);
            var ids = new Array(n), names = data.names.split("|"), entries = data.ids.split("|");
            var style = new Uint8Array(n), previous = "";
            var features = new Array(n);
            for (var i = 0; i < n; i++) {
                var e = entries[i];
                previous = previous.slice(0, e.charCodeAt(0) - 65) + e.slice(1);
                ids[i] = previous;
                style[i] = codes.indexOf(data.style.charAt(i));
                features[i] = {type: "Feature", properties: {i: i},
                               geometry: {type: "Point", coordinates: [lon[i], lat[i]]}};
            }
            timing.decode_ms = performance.now() - started;
            var index = new Supercluster({{ this.options|tojson }}).load(features);
            timing.index_ms = performance.now() - started - timing.decode_ms;
            for (var old in cache) { delete cache[old]; }  // one index at a time
            return (cache[key] = {lat: lat, lon: lon, ids: ids, names: names, style: style, index: index});
            })();
            var lat = built.lat, lon = built.lon, ids = built.ids, names = built.names, style = built.style;
            var index = built.index;
"""
        + PIN_ICONS_JS
        + """            // a cluster never fires "click": streamlit-folium would report it as a landmark clicked
            var own = function (type) { return type === "click" ? "clusterclick" : type; };
            var Cluster = L.Marker.extend({
                getChildCount: function () { return this.options.count; },
                fire: function (type, data, propagate) {
                    return L.Marker.prototype.fire.call(this, own(type), data, propagate);
                },
                listens: function (type) {
                    var args = Array.prototype.slice.call(arguments);
                    args[0] = own(type);
                    return L.Marker.prototype.listens.apply(this, args);
                }
            });
            function pin(k) {
                var m = L.marker([lat[k], lon[k]], {icon: icons[style[k]], landmarkId: ids[k], keyboard: true,
                                                    landmarkName: names[k], themeLabel: styles[style[k]][2],
                                                    cpIndexed: true});
                m.bindTooltip(names[k]);
                m.on("add", markId);
                return m;
            }
            function cluster(f, map) {
                var count = f.properties.point_count;
                var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
                var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
                var m = new Cluster(ll, {count: count, keyboard: true, cpIndexed: true, icon: L.divIcon({
                    html: "<div><span>" + count + "</span></div>",
                    className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40)})});
                m.on("clusterclick", function () {
                    var zoom = Math.min(index.getClusterExpansionZoom(f.id), map.getMaxZoom());
                    map.setView(ll, Math.max(zoom, map.getZoom() + 1));
                });
                return m;
            }
            var Layer = L.FeatureGroup.extend({
                initialize: function () {
                    L.FeatureGroup.prototype.initialize.call(this, []);
                    this._clusters = L.layerGroup();
                    this._shown = {};
                },
                onAdd: function (map) {
                    L.FeatureGroup.prototype.onAdd.call(this, map);
                    this._clusters.addTo(map);
                    map.cpIndexed = this;
                    map.on("moveend", this.update, this);
                    this.update();
                },
                onRemove: function (map) {
                    map.off("moveend", this.update, this);
                    map.removeLayer(this._clusters);
                    L.FeatureGroup.prototype.onRemove.call(this, map);
                    if (map.cpIndexed === this) {
                        delete map.cpIndexed;
                        map.getContainer().removeAttribute("data-cp-landmarks");
                        map.getContainer().removeAttribute("data-cp-landmarks-shown");
                        map.getContainer().removeAttribute("data-cp-drawn-zoom");
                    }
                },
                update: function () {
                    var map = this._map;
                    if (!map) { return; }
                    var b = map.getBounds().pad({{ this.margin }});
                    var box = [Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()),
                               Math.min(180, b.getEast()), Math.min(85, b.getNorth())];
                    var zoom = Math.round(map.getZoom()), found = index.getClusters(box, zoom);
                    var next = {}, shown = 0, key, m;
                    for (var i = 0; i < found.length; i++) {
                        var f = found[i];
                        key = f.properties.cluster ? "c" + f.id : "p" + f.properties.i;
                        shown += f.properties.cluster ? f.properties.point_count : 1;
                        m = this._shown[key] || (f.properties.cluster ? cluster(f, map) : pin(f.properties.i));
                        m.cpFeature = f;
                        next[key] = m;
                    }
                    for (key in this._shown) {
                        if (!next[key]) {
                            m = this._shown[key];
                            if (m.cpFeature.properties.cluster) { this._clusters.removeLayer(m); }
                            else { this.removeLayer(m); }
                        }
                    }
                    for (key in next) {
                        if (!this._shown[key]) {
                            m = next[key];
                            if (m.cpFeature.properties.cluster) { this._clusters.addLayer(m); }
                            else { this.addLayer(m); }
                        }
                    }
                    this._shown = next;
                    map.getContainer().setAttribute("data-cp-landmarks", String(n));
                    map.getContainer().setAttribute("data-cp-landmarks-shown", String(shown));
                    map.getContainer().setAttribute("data-cp-drawn-zoom", String(zoom));
                },
                shownIds: function () {  // the landmarks the markers on the map represent
                    var out = [];
                    for (var key in this._shown) {
                        var f = this._shown[key].cpFeature;
                        if (f.properties.cluster) {
                            index.getLeaves(f.id, Infinity).forEach(function (leaf) { out.push(ids[leaf.properties.i]); });
                        } else { out.push(ids[f.properties.i]); }
                    }
                    return out.sort();
                }
            });
            var layer = new Layer();
            layer.addTo({{ this._parent.get_name() }});
            timing.draw_ms = performance.now() - started - (timing.decode_ms || 0) - (timing.index_ms || 0);
            window.cpIndexTiming = timing;  // without decode_ms and index_ms when the index was kept
            return layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, *, styles: Sequence[Sequence[str]], data_json: str) -> None:
        super().__init__()
        self._name = "IndexedLandmarkLayer"
        self.default_js = [("supercluster", vendor_url(VENDOR_JS["supercluster"]))]
        self.styles = [list(s) for s in styles]
        self.data_json = data_json
        self.key = hashlib.sha256(data_json.encode()).hexdigest()[:24]
        self.codes = STYLE_CODES
        self.scale = SCALE
        self.margin = 0.25  # of the view on each side: a short pan shows markers already made
        # clusters as wide as marker-cluster's (50 px), on Leaflet's 256 px tiles; pins from zoom 18
        self.options = {"radius": 50, "extent": 256, "maxZoom": 15, "minPoints": 2}

    def render(self, **kwargs: Any) -> str:
        render_raw(self, **kwargs)
        return ""
