"""Take a planned route with you: GPX, iCalendar, GeoJSON, CSV, KML, a printable page, QR codes.

Every export is a pure function of an ``ExportPlan`` (same plan, byte-identical output): no clock,
no network, no locale. The only timestamp that is not in the plan (the iCalendar DTSTAMP) is a
keyword argument whose default comes from the plan.

Names, notes and addresses come from staff and data, so every format escapes them its own way:
XML escaping for GPX and KML (KML descriptions are HTML, so they are HTML-escaped first),
``html.escape`` for the printable page, iCalendar TEXT escaping (icalendar) for .ics, and for CSV
quoting plus a guard against spreadsheet formulas. Control characters XML cannot carry are dropped
everywhere. The share link appears as a link only when it is http(s).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape as _xml_escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import segno

from itinerary.cells import guard_formula
from itinerary.i18n import t
from itinerary.models import LANGS

APP_NAME = "CityPlus Explorer"
PRODID = "-//CityPlus Explorer//Itinerary export 1.0//EN"
UID_DOMAIN = "cityplus-explorer"
GPX_NS = "http://www.topografix.com/GPX/1/1"
KML_NS = "http://www.opengis.net/kml/2.2"
CSV_COLUMNS = (
    "position",
    "id",
    "name",
    "name_zh",
    "lat",
    "lon",
    "arrive",
    "depart",
    "travel_minutes",
    "distance_km",
    "address",
    "note",
)
# A spreadsheet evaluates a cell starting with one of these as a formula (OWASP "CSV injection");
# the full-width forms are included because CJK input methods produce them.
QR_ERROR = "m"
QR_BORDER = 4

# Labels of the exported files, per language; ``to_print_html(labels=...)`` overrides single entries.
# Placeholders in braces are replaced literally (an override cannot break formatting).
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "position": "#",
        "stop": "Stop",
        "arrive": "Arrive",
        "depart": "Depart",
        "travel": "Travel before",
        "address": "Address",
        "note": "Notes",
        "city": "City",
        "date": "Date",
        "mode": "Getting around",
        "start": "Start",
        "minutes": "{minutes} min",
        "km": "{km} km",
        "colon": ": ",
        "times": "Arrive {arrive}, depart {depart}",
        "route": "Route",
        "share": "Open this plan online",
        "scan": "Scan to open this plan on your phone",
        "made_with": "Made with CityPlus Explorer",
        "date_format": "{weekday} {day} {month} {year}",
    },
    "zh": {
        "position": "序号",
        "stop": "地点",
        "arrive": "到达",
        "depart": "离开",
        "travel": "前往用时",
        "address": "地址",
        "note": "备注",
        "city": "城市",
        "date": "日期",
        "mode": "出行方式",
        "start": "起点",
        "minutes": "{minutes} 分钟",
        "km": "{km} 公里",
        "colon": "：",
        "times": "到达 {arrive}，离开 {depart}",
        "route": "路线",
        "share": "在线打开此行程",
        "scan": "用手机扫码打开此行程",
        "made_with": "由「城市+ 探索」生成",
        "date_format": "{year}年{month_number}月{day}日（{weekday}）",
    },
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Characters XML 1.0 cannot carry even escaped (and iCalendar TEXT forbids): C0 controls but tab
# and newline, DEL, lone surrogates, U+FFFE/U+FFFF.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ExportStop:
    """One stop of a planned route; ``arrive``/``depart`` are timezone-aware."""

    id: str
    name: str
    name_zh: str
    lat: float
    lon: float
    arrive: datetime
    depart: datetime
    address: str = ""
    note: str = ""
    travel_minutes: float = 0  # from the previous stop
    distance_km: float = 0  # from the previous stop

    def __post_init__(self) -> None:
        problems = _stop_problems(self)
        if problems:
            raise ValueError(f"stop {self.id!r}: " + "; ".join(problems))


@dataclass(frozen=True)
class ExportPlan:
    """A visitor's planned route, as exported. ``url`` is the share link that rebuilds it (or "")."""

    title: str
    city_name: str
    timezone: str
    mode: str
    url: str
    stops: tuple[ExportStop, ...]
    lang: str = "en"

    def __post_init__(self) -> None:
        object.__setattr__(self, "stops", tuple(self.stops))
        problems = []
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"unknown time zone {self.timezone!r}")
        if not self.stops:
            problems.append("a plan needs at least one stop")
        if self.lang not in LANGS:
            problems.append(f"lang must be one of {', '.join(LANGS)}, not {self.lang!r}")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _stop_problems(stop: ExportStop) -> list[str]:
    problems = []
    for field in ("arrive", "depart"):
        value = getattr(stop, field)
        if not isinstance(value, datetime) or value.utcoffset() is None:
            problems.append(f"{field} must be a timezone-aware datetime")
    if not problems and stop.depart < stop.arrive:
        problems.append("depart is before arrive")
    if not (math.isfinite(stop.lat) and -90 <= stop.lat <= 90):
        problems.append(f"lat {stop.lat} is not in -90..90")
    if not (math.isfinite(stop.lon) and -180 <= stop.lon <= 180):
        problems.append(f"lon {stop.lon} is not in -180..180")
    for field in ("travel_minutes", "distance_km"):
        value = getattr(stop, field)
        if not (math.isfinite(value) and value >= 0):
            problems.append(f"{field} must be a number >= 0")
    return problems


# ---------------------------------------------------------------- shared text and number helpers


def _clean(text: object) -> str:
    """Text without characters no export format can carry; newlines normalised to \\n."""
    value = "" if text is None else str(text)
    return _UNSAFE_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _line(text: object) -> str:
    """Clean text on a single line (names, titles): runs of whitespace become one space."""
    return " ".join(_clean(text).split())


def _xml(text: object) -> str:
    """Clean text escaped for XML element content and double-quoted attributes."""
    return _xml_escape(_clean(text), {'"': "&quot;"})


def _html(text: object) -> str:
    return html.escape(_clean(text), quote=True)


def share_link(url: object) -> str:
    """The share URL if it is a plain http(s) URL, else "" (same rule as ``maps.safe_url``)."""
    text = str(url or "").strip()
    if text.lower().startswith(("http://", "https://")) and not any(c in text for c in "<>\"' "):
        return _clean(text)
    return ""


def _fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def _coord(value: float) -> float:
    """A coordinate rounded to 6 decimals (about 0.1 m), without a negative zero."""
    return round(value, 6) + 0.0


def _coord_text(value: float) -> str:
    return f"{_coord(value):.6f}"


def _amount(value: float, digits: int) -> str:
    """A number with at most ``digits`` decimals and no trailing zeros: 12, 12.5, 3.25."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _local(moment: datetime, plan: ExportPlan) -> datetime:
    return moment.astimezone(plan.tz)


def _iso(moment: datetime, plan: ExportPlan) -> str:
    """ISO 8601 local time with its UTC offset: 2026-12-05T09:00:00+08:00."""
    return _local(moment, plan).isoformat(timespec="seconds")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _multi_day(plan: ExportPlan) -> bool:
    return _local(plan.stops[0].arrive, plan).date() != _local(plan.stops[-1].depart, plan).date()


def _clock(moment: datetime, plan: ExportPlan) -> str:
    """09:00, or 12-05 09:00 when the plan spans several days."""
    local = _local(moment, plan)
    return local.strftime("%m-%d %H:%M") if _multi_day(plan) else local.strftime("%H:%M")


def _labels(plan: ExportPlan, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**LABELS[plan.lang], **(overrides or {})}


def _mode_label(plan: ExportPlan) -> str:
    key = f"mode.{plan.mode}"
    try:
        return t(key, plan.lang)
    except KeyError:
        return _line(plan.mode)


def _date_label(day: date, lang: str, labels: Mapping[str, str]) -> str:
    return _fill(
        labels["date_format"],
        weekday=t(f"day.{day.weekday()}", lang),
        day=str(day.day),
        month=_MONTHS_EN[day.month - 1],
        month_number=str(day.month),
        year=str(day.year),
    )


def _dates_label(plan: ExportPlan, labels: Mapping[str, str]) -> str:
    first = _local(plan.stops[0].arrive, plan).date()
    last = _local(plan.stops[-1].depart, plan).date()
    text = _date_label(first, plan.lang, labels)
    return text if first == last else f"{text} – {_date_label(last, plan.lang, labels)}"


def stop_label(stop: ExportStop, *, lang: str = "en") -> str:
    """The stop's name with its Chinese name, the plan's language first: "Name / 名称"."""
    name, name_zh = _line(stop.name), _line(stop.name_zh)
    if not name_zh or name_zh == name:
        return name
    if not name:
        return name_zh
    return f"{name_zh} / {name}" if lang == "zh" else f"{name} / {name_zh}"


def _times(stop: ExportStop, plan: ExportPlan, labels: Mapping[str, str]) -> str:
    return _fill(labels["times"], arrive=_clock(stop.arrive, plan), depart=_clock(stop.depart, plan))


def _travel(stop: ExportStop, labels: Mapping[str, str]) -> list[str]:
    """Travel from the previous stop: ["20 min", "3.8 km"], [] when none is known."""
    if stop.travel_minutes <= 0:
        return []
    parts = [_fill(labels["minutes"], minutes=_amount(stop.travel_minutes, 0))]
    if stop.distance_km > 0:
        parts.append(_fill(labels["km"], km=_amount(stop.distance_km, 1)))
    return parts


def _travel_line(stop: ExportStop, labels: Mapping[str, str]) -> str:
    """Travel as one line, "Travel before: 20 min · 3.8 km", or "" when none is known."""
    travel = _travel(stop, labels)
    return f"{labels['travel']}{labels['colon']}{' · '.join(travel)}" if travel else ""


def _location(stop: ExportStop, plan: ExportPlan) -> str:
    """Where the stop is, for a calendar or a map search: its address with the city."""
    address = _line(stop.address) or _line(stop.name)
    city = _line(plan.city_name)
    return address if not city or city.lower() in address.lower() else f"{address}, {city}"


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
    for stop in plan.stops:
        desc = "\n".join(
            part
            for part in (_times(stop, plan, labels), _line(stop.address), _clean(stop.note).strip())
            if part
        )
        out += [
            f'  <wpt lat="{_coord_text(stop.lat)}" lon="{_coord_text(stop.lon)}">',
            f"    <time>{_utc(stop.arrive)}</time>",
            f"    <name>{_xml(stop_label(stop, lang=plan.lang))}</name>",
            f"    <desc>{_xml(desc)}</desc>",
            "  </wpt>",
        ]
    out += ["  <rte>", f"    <name>{_xml(_line(plan.title))}</name>"]
    if link:
        out.append(f'    <link href="{_xml(link)}"><text>{_xml(labels["share"])}</text></link>')
    for stop in plan.stops:
        out += [
            f'    <rtept lat="{_coord_text(stop.lat)}" lon="{_coord_text(stop.lon)}">',
            f"      <name>{_xml(stop_label(stop, lang=plan.lang))}</name>",
            "    </rtept>",
        ]
    out += ["  </rte>", "</gpx>", ""]
    return "\n".join(out)


def _summary_line(plan: ExportPlan, labels: Mapping[str, str]) -> str:
    """City · date · mode, the one-line description of a whole plan."""
    return " · ".join(
        part for part in (_line(plan.city_name), _dates_label(plan, labels), _mode_label(plan)) if part
    )


# ---------------------------------------------------------------- iCalendar (RFC 5545)


def stop_uid(plan: ExportPlan, position: int, stop: ExportStop) -> str:
    """A UID that stays the same when the same plan is exported again (so calendars update, not duplicate)."""
    basis = plan.url or plan.title
    day = _local(stop.arrive, plan).date().isoformat()
    key = "\x1f".join((basis, stop.id, str(position), day)).encode("utf-8")
    digest = hashlib.sha1(key, usedforsecurity=False).hexdigest()
    return f"{digest}@{UID_DOMAIN}"


def to_ics(plan: ExportPlan, *, stamp: datetime | None = None) -> str:
    """iCalendar with a VEVENT per stop in the city's time zone (TZID + VTIMEZONE), CRLF, folded lines.

    ``stamp`` is every event's DTSTAMP; it defaults to the first arrival so that output is stable.
    """
    if stamp is not None and stamp.utcoffset() is None:
        raise ValueError("stamp must be timezone-aware")
    labels = _labels(plan)
    link = share_link(plan.url)
    dtstamp = (stamp or plan.stops[0].arrive).astimezone(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", _line(plan.title))  # RFC 7986
    cal.add("x-wr-calname", _line(plan.title))  # the same, for clients that predate RFC 7986
    for position, stop in enumerate(plan.stops, start=1):
        event = icalendar.Event()
        event.add("uid", stop_uid(plan, position, stop))
        event.add("dtstamp", dtstamp)
        event.add("dtstart", _local(stop.arrive, plan))
        if stop.depart > stop.arrive:  # DTEND must be later than DTSTART; without it the event is instant
            event.add("dtend", _local(stop.depart, plan))
        event.add("summary", stop_label(stop, lang=plan.lang))
        event.add("location", _location(stop, plan))
        event.add("geo", (_coord(stop.lat), _coord(stop.lon)))
        description = [_clean(stop.note).strip(), _travel_line(stop, labels), link]
        event.add("description", "\n\n".join(part for part in description if part))
        if link:
            event.add("url", link)
        cal.add_component(event)
    # VTIMEZONE from the time zone database, covering the plan's years only (short and stable)
    first = min(_local(stop.arrive, plan).year for stop in plan.stops)
    last = max(_local(stop.depart, plan).year for stop in plan.stops)
    cal.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1))
    if cal.get_missing_tzids():  # pragma: no cover - ZoneInfo keys always resolve
        raise ValueError(f"no VTIMEZONE for {plan.timezone!r}")
    ical: bytes = cal.to_ical()
    return ical.decode("utf-8")


# ---------------------------------------------------------------- GeoJSON (RFC 7946)


def to_geojson(plan: ExportPlan) -> str:
    """A FeatureCollection: a Point per stop ([lon, lat]) and a LineString of the route."""
    features: list[dict[str, Any]] = []
    for position, stop in enumerate(plan.stops, start=1):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [_coord(stop.lon), _coord(stop.lat)]},
                "properties": {
                    "kind": "stop",
                    "position": position,
                    "id": _line(stop.id),
                    "name": _line(stop.name),
                    "name_zh": _line(stop.name_zh),
                    "arrive": _iso(stop.arrive, plan),
                    "depart": _iso(stop.depart, plan),
                    "address": _line(stop.address),
                    "note": _clean(stop.note).strip(),
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


# ---------------------------------------------------------------- CSV


def to_csv(plan: ExportPlan) -> str:
    """One row per stop (RFC 4180: CRLF, quoting as needed); text cells guarded against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for position, stop in enumerate(plan.stops, start=1):
        text = [_line(stop.id), _line(stop.name), _line(stop.name_zh)]
        writer.writerow(
            [
                str(position),
                *(guard_formula(cell) for cell in text),
                _coord_text(stop.lat),
                _coord_text(stop.lon),
                _iso(stop.arrive, plan),
                _iso(stop.depart, plan),
                _amount(stop.travel_minutes, 1),
                _amount(stop.distance_km, 2),
                guard_formula(_line(stop.address)),
                guard_formula(_clean(stop.note).strip()),
            ]
        )
    return buffer.getvalue()


def csv_bytes(plan: ExportPlan) -> bytes:
    """``to_csv`` as UTF-8 with a byte order mark, so Excel reads the Chinese names correctly."""
    return to_csv(plan).encode("utf-8-sig")


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
    for position, stop in enumerate(plan.stops, start=1):
        parts = [_times(stop, plan, labels), _travel_line(stop, labels), _clean(stop.note).strip()]
        description = "<br>".join(_html(part).replace("\n", "<br>") for part in parts if part)
        out += [
            f'    <Placemark id="stop-{position}">',
            f"      <name>{_xml(f'{position}. ' + stop_label(stop, lang=plan.lang))}</name>",
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


# ---------------------------------------------------------------- printable page

PRINT_CSS = """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box; }
body { margin: 0; color: #000; background: #fff;
  font: 10.5pt/1.4 "Source Sans Pro", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 8mm;
  border-bottom: 1.5pt solid #c8102e; padding-bottom: 3mm; margin-bottom: 4mm; }
h1 { font-size: 18pt; margin: 0 0 1mm; }
.meta { margin: 0; color: #333; }
.qr { width: 28mm; height: 28mm; flex: none; }
.qr svg { width: 100%; height: 100%; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border-bottom: 0.5pt solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { border-bottom: 1pt solid #000; font-size: 9pt; }
th, td.num, td.time, td.travel { white-space: nowrap; }
.other { display: block; }
.note { color: #333; font-size: 9.5pt; }
footer { margin-top: 5mm; font-size: 9pt; color: #333; overflow-wrap: anywhere; }
a { color: #000; }
"""


def to_print_html(plan: ExportPlan, *, labels: Mapping[str, str] | None = None, with_qr: bool = True) -> str:
    """A standalone A4 page of the plan (no scripts, no external resources), ready to print.

    ``labels`` overrides entries of ``LABELS[plan.lang]``; ``with_qr`` draws the share link as an
    inline SVG QR code next to the title when the link is http(s).
    """
    text = _labels(plan, labels)
    link = share_link(plan.url)
    qr = ""
    if with_qr and link:
        qr = f'<div class="qr" title="{_html(text["scan"])}">{_qr_inline_svg(link, text["scan"])}</div>'
    heads = ("position", "stop", "arrive", "depart", "travel", "address", "note")
    facts = (("city", _line(plan.city_name)), ("date", _dates_label(plan, text)), ("mode", _mode_label(plan)))
    meta = [f"{text[key]}{text['colon']}{value}" for key, value in facts]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-Hans" if plan.lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_html(_line(plan.title))} · {_html(_line(plan.city_name))}</title>",
        f"<style>{PRINT_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<div>",
        f"<h1>{_html(_line(plan.title))}</h1>",
        f'<p class="meta">{_html(" · ".join(meta))}</p>',
        "</div>",
        *([qr] if qr else []),
        "</header>",
        "<table>",
        "<thead><tr>"
        + "".join(f'<th scope="col">{_html(text[key])}</th>' for key in heads)
        + "</tr></thead>",
        "<tbody>",
    ]
    for position, stop in enumerate(plan.stops, start=1):
        travel = _travel(stop, text) or [text["start"] if position == 1 else "—"]
        note = _html(_clean(stop.note).strip()).replace("\n", "<br>")
        out.append(
            "<tr>"
            f'<td class="num">{position}</td>'
            f"<td>{_names_html(stop, plan.lang)}</td>"
            f'<td class="time">{_html(_clock(stop.arrive, plan))}</td>'
            f'<td class="time">{_html(_clock(stop.depart, plan))}</td>'
            f'<td class="travel">{"<br>".join(_html(part) for part in travel)}</td>'
            f"<td>{_html(_line(stop.address))}</td>"
            f'<td class="note">{note}</td>'
            "</tr>"
        )
    out += ["</tbody>", "</table>", "<footer>"]
    if link:
        out.append(f'<p>{_html(text["share"] + text["colon"])}<a href="{_html(link)}">{_html(link)}</a></p>')
    out += [f"<p>{_html(text['made_with'])}</p>", "</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def _names_html(stop: ExportStop, lang: str) -> str:
    """The name in the page's language in bold, the other one under it."""
    name, name_zh = _line(stop.name), _line(stop.name_zh)
    pairs = [(name_zh, "zh-Hans"), (name, "en")] if lang == "zh" else [(name, "en"), (name_zh, "zh-Hans")]
    shown = [(text, code) for text, code in pairs if text]
    if len(shown) == 2 and name == name_zh:
        shown = shown[:1]
    first, *rest = shown or [("", lang)]
    return f"<strong>{_html(first[0])}</strong>" + "".join(
        f'<span class="other" lang="{code}">{_html(text)}</span>' for text, code in rest
    )


# ---------------------------------------------------------------- QR codes


def _qr(url: str) -> Any:
    link = share_link(url)
    if not link:
        raise ValueError(f"a QR code is made only for an http(s) link, not {url!r}")
    # boost_error=False: exactly level M, as documented, whatever the length of the link
    return segno.make(link, error=QR_ERROR, micro=False, boost_error=False)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """The share link as a PNG QR code (error correction M, a 4-module quiet zone)."""
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 8) -> str:
    """The share link as a standalone SVG QR code (error correction M, a 4-module quiet zone)."""
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="svg", scale=scale, border=QR_BORDER, xmldecl=True, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _qr_inline_svg(url: str, title: str) -> str:
    """The QR code as an <svg> element for an HTML page: no XML declaration, sized by CSS."""
    buffer = io.BytesIO()
    _qr(url).save(
        buffer,
        kind="svg",
        border=QR_BORDER,
        xmldecl=False,
        omitsize=True,
        title=_clean(title),
        encoding="utf-8",
    )
    return buffer.getvalue().decode("utf-8")


def all_exports(plan: ExportPlan) -> tuple[tuple[str, str, str | bytes], ...]:
    """(file extension, MIME type, content) of every export of the plan, for download buttons."""
    return (
        ("gpx", "application/gpx+xml", to_gpx(plan)),
        ("ics", "text/calendar", to_ics(plan)),
        ("geojson", "application/geo+json", to_geojson(plan)),
        ("csv", "text/csv", csv_bytes(plan)),
        ("kml", "application/vnd.google-earth.kml+xml", to_kml(plan)),
        ("html", "text/html", to_print_html(plan)),
    )
