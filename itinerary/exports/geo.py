"""The plan for map and GPS apps: GPX 1.1, GeoJSON (RFC 7946) and KML 2.2.

XML escaping for GPX and KML (KML descriptions are HTML, so they are HTML-escaped first);
GeoJSON carries the text as JSON strings.
"""

from __future__ import annotations

import json
import re
from typing import Any

from itinerary.exports.model import APP_NAME, STOP, ExportPlan
from itinerary.exports.text import (
    _clean,
    _coord,
    _coord_text,
    _details,
    _html,
    _iso,
    _labels,
    _line,
    _location,
    _summary_line,
    _times,
    _travel_line,
    _utc,
    _xml,
    marked_label,
    share_link,
    stop_marks,
)

GPX_NS = "http://www.topografix.com/GPX/1/1"
KML_NS = "http://www.opengis.net/kml/2.2"


# ---------------------------------------------------------------- GPX 1.1


def to_gpx(plan: ExportPlan) -> str:
    """GPX 1.1: a waypoint per stop (name, times, arrival time) and the route through them."""
    labels = _labels(plan)
    link = share_link(plan.url)
    lats = [stop.lat for stop in plan.stops]
    lons = [stop.lon for stop in plan.stops]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gpx version="1.1" creator="{_xml(APP_NAME)}" xmlns="{GPX_NS}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{GPX_NS} {GPX_NS}/gpx.xsd">',
        "  <metadata>",
        f"    <name>{_xml(_line(plan.title))}</name>",
        f"    <desc>{_xml(_summary_line(plan, labels))}</desc>",
    ]
    if link:
        out.append(f'    <link href="{_xml(link)}"><text>{_xml(labels["share"])}</text></link>')
    out += [
        f'    <bounds minlat="{_coord_text(min(lats))}" minlon="{_coord_text(min(lons))}"'
        f' maxlat="{_coord_text(max(lats))}" maxlon="{_coord_text(max(lons))}"/>',
        "  </metadata>",
    ]
    # wptType order: ele, time, magvar, geoidheight, name, cmt, desc, src, link, sym, type, ...
    names = [
        marked_label(mark, stop, lang=plan.lang, numbered=False)
        for mark, stop in zip(stop_marks(plan), plan.stops, strict=True)
    ]
    for stop, name in zip(plan.stops, names, strict=True):
        desc = "\n".join(
            part
            for part in (_times(stop, plan, labels), _line(stop.address), *_details(stop, labels))
            if part
        )
        out += [
            f'  <wpt lat="{_coord_text(stop.lat)}" lon="{_coord_text(stop.lon)}">',
            f"    <time>{_utc(stop.arrive)}</time>",
            f"    <name>{_xml(name)}</name>",
            f"    <desc>{_xml(desc)}</desc>",
            "  </wpt>",
        ]
    out += ["  <rte>", f"    <name>{_xml(_line(plan.title))}</name>"]
    if link:
        out.append(f'    <link href="{_xml(link)}"><text>{_xml(labels["share"])}</text></link>')
    for stop, name in zip(plan.stops, names, strict=True):
        out += [
            f'    <rtept lat="{_coord_text(stop.lat)}" lon="{_coord_text(stop.lon)}">',
            f"      <name>{_xml(name)}</name>",
            "    </rtept>",
        ]
    out += ["  </rte>", "</gpx>", ""]
    return "\n".join(out)


# ---------------------------------------------------------------- GeoJSON (RFC 7946)


def to_geojson(plan: ExportPlan) -> str:
    """A FeatureCollection: a Point per stop ([lon, lat]) and a LineString of the route.

    Each Point has its ``kind`` (start, stop, return), its ``mark`` as on the page (S or 起点,
    1, 2, ...) and its ``position``: the stop's number, null for a start point or the way back."""
    features: list[dict[str, Any]] = []
    for mark, stop in zip(stop_marks(plan), plan.stops, strict=True):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_coord(stop.lon), _coord(stop.lat)]},
                "properties": {
                    "kind": stop.kind,
                    "position": int(mark) if stop.kind == STOP else None,
                    "mark": mark,
                    "id": _line(stop.id),
                    "name": _line(stop.name),
                    "name_zh": _line(stop.name_zh),
                    "arrive": _iso(stop.arrive, plan),
                    "depart": _iso(stop.depart, plan),
                    "address": _line(stop.address),
                    "note": _clean(stop.note).strip(),
                    "access": _line(stop.access),
                    "warnings": [_line(w) for w in stop.warnings if _line(w)],
                    "travel_minutes": stop.travel_minutes,
                    "distance_km": stop.distance_km,
                },
            }
        )
    if len(plan.stops) >= 2:  # a LineString needs two or more positions
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[_coord(stop.lon), _coord(stop.lat)] for stop in plan.stops],
                },
                "properties": {
                    "kind": "route",
                    "title": _line(plan.title),
                    "city": _line(plan.city_name),
                    "timezone": plan.timezone,
                    "mode": plan.mode,
                    "url": share_link(plan.url),
                },
            }
        )
    lons = [_coord(stop.lon) for stop in plan.stops]
    lats = [_coord(stop.lat) for stop in plan.stops]
    collection = {
        "type": "FeatureCollection",
        "bbox": [min(lons), min(lats), max(lons), max(lats)],
        "features": features,
    }
    text = json.dumps(collection, ensure_ascii=False, indent=2)
    # one line per coordinate pair (and the bbox): a raw newline never occurs inside a JSON string
    return _NUMBER_ARRAY.sub(lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text) + "\n"


_NUMBER_ARRAY = re.compile(r"\[\n\s*(-?[0-9.eE+-]+(?:,\n\s*-?[0-9.eE+-]+)*)\n\s*\]")


# ---------------------------------------------------------------- KML 2.2


def to_kml(plan: ExportPlan) -> str:
    """KML 2.2: a Placemark per stop (with its time span) and a LineString Placemark of the route.

    KML descriptions are HTML in Google Earth and most viewers, so they are built from
    HTML-escaped parts and then XML-escaped; names are plain text, XML-escaped.
    """
    labels = _labels(plan)
    link = share_link(plan.url)
    summary = [_html(_summary_line(plan, labels))]
    if link:
        summary.append(f'<a href="{_html(link)}">{_html(labels["share"])}</a>')
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<kml xmlns="{KML_NS}">',
        "  <Document>",
        f"    <name>{_xml(_line(plan.title))}</name>",
        f"    <description>{_xml('<br>'.join(summary))}</description>",
    ]
    # Feature order in the schema: name, address, description, TimePrimitive, then the geometry
    for mark, stop in zip(stop_marks(plan), plan.stops, strict=True):
        parts = [_times(stop, plan, labels), _travel_line(stop, labels), *_details(stop, labels)]
        description = "<br>".join(_html(part).replace("\n", "<br>") for part in parts if part)
        ident = f"stop-{mark}" if stop.kind == STOP else stop.kind
        out += [
            f'    <Placemark id="{ident}">',
            f"      <name>{_xml(marked_label(mark, stop, lang=plan.lang))}</name>",
            f"      <address>{_xml(_location(stop, plan))}</address>",
            f"      <description>{_xml(description)}</description>",
            f"      <TimeSpan><begin>{_iso(stop.arrive, plan)}</begin><end>{_iso(stop.depart, plan)}</end></TimeSpan>",
            f"      <Point><coordinates>{_coord_text(stop.lon)},{_coord_text(stop.lat)}</coordinates></Point>",
            "    </Placemark>",
        ]
    if len(plan.stops) >= 2:  # a LineString needs two or more coordinate tuples
        coordinates = " ".join(f"{_coord_text(stop.lon)},{_coord_text(stop.lat)}" for stop in plan.stops)
        out += [
            '    <Placemark id="route">',
            f"      <name>{_xml(labels['route'])}</name>",
            f"      <LineString><tessellate>1</tessellate><coordinates>{coordinates}</coordinates></LineString>",
            "    </Placemark>",
        ]
    out += ["  </Document>", "</kml>", ""]
    return "\n".join(out)
