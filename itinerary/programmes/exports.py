"""A programme's downloads: iCalendar (an event per item, local times with TZID and VTIMEZONE,
as ``exports.ical``) and the printable bilingual A4 page with a map of its places and the QR code
of its link (``exports.page``'s style sheet and ``exports.qr``)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from datetime import UTC

import icalendar

from itinerary.exports.ical import add_timezone
from itinerary.exports.page import PRINT_CSS
from itinerary.exports.qr import _qr_inline_svg, qr_fits
from itinerary.exports.text import _clean, _html, _line, share_link
from itinerary.i18n import t
from itinerary.programmes.feasibility import PlaceInfo
from itinerary.programmes.records import Full, local_moment
from itinerary.programmes.view import Row, rows

PRODID = "-//CityPlus Explorer//Programme export 1.0//EN"
UID_DOMAIN = "cityplus-explorer"


def _both(en: str, zh: str) -> str:
    """ "English / 中文", or one of them when they are the same or one is missing."""
    en, zh = _line(en), _line(zh)
    return f"{en} / {zh}" if en and zh and en != zh else en or zh


def to_ics(
    full: Full, places: Mapping[str, PlaceInfo], *, timezone: str, link: str = "", lang: str = "en"
) -> str:
    """iCalendar with a VEVENT per item in the city's time zone; UIDs and DTSTAMP are stable
    (the same programme exported again updates calendar entries, never duplicates them)."""
    programme = full.programme
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    title = programme.title_zh if lang == "zh" and programme.title_zh else programme.title
    cal.add("name", _line(title))
    cal.add("x-wr-calname", _line(title))
    cal.add("x-wr-timezone", timezone)
    link = share_link(link)
    stamp = local_moment(programme.start_date, "00:00", timezone).astimezone(UTC)
    for row in rows(full, places):
        item = row.item
        event = icalendar.Event()
        key = "\x1f".join((programme.id, str(item.position))).encode()
        event.add("uid", f"{hashlib.sha1(key, usedforsecurity=False).hexdigest()}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", local_moment(item.day, item.start, timezone))
        event.add("dtend", local_moment(item.day, item.end, timezone))
        event.add("summary", _line(row.title(lang)) or t(f"prog.kind_item.{item.kind}", lang))
        if row.place is not None:
            event.add("location", _line(row.place_name(lang)))
            event.add("geo", (round(row.place.lat, 6), round(row.place.lon, 6)))
        description = [_clean(row.note(lang)).strip(), link]
        event.add("description", "\n\n".join(part for part in description if part))
        if link:
            event.add("url", link)
        cal.add_component(event)
    first, last = programme.first_day.year, programme.last_day.year
    add_timezone(cal, timezone, first, last)
    ical: bytes = cal.to_ical()
    return ical.decode("utf-8")


def map_svg(
    points: Sequence[tuple[str, PlaceInfo]], *, title: str, width: int = 600, height: int = 300
) -> str:
    """The places as numbered dots on a plain drawing (no tiles: it prints offline), north up."""
    if not points:
        return ""
    lats = [p.lat for _, p in points]
    lons = [p.lon for _, p in points]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * scale_x, 1e-3)
    span_y = max(max(lats) - min(lats), 1e-3)
    pad = 40
    k = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)

    def xy(p: PlaceInfo) -> tuple[float, float]:
        x = width / 2 + ((p.lon - (min(lons) + max(lons)) / 2) * scale_x) * k
        y = height / 2 - (p.lat - (min(lats) + max(lats)) / 2) * k
        return round(x, 1), round(y, 1)

    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_html(title)}" class="map">',
        f"<title>{_html(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f4f4f4" stroke="#999"/>',
    ]
    seen: dict[tuple[float, float], int] = {}
    for mark, place in points:
        x, y = xy(place)
        shift = seen.get((x, y), 0)
        seen[(x, y)] = shift + 1
        y += shift * 22
        out += [
            f'<circle cx="{x}" cy="{y}" r="10" fill="#c8102e"/>',
            f'<text x="{x}" y="{y + 4}" text-anchor="middle" font-size="11" fill="#fff">{_html(mark)}</text>',
            # a label on the right half runs to the left of its dot, so it stays in the drawing
            f'<text x="{x + 14 if x < width / 2 else x - 14}" y="{y + 4}" font-size="11"'
            f' text-anchor="{"start" if x < width / 2 else "end"}">{_html(_line(place.name))}</text>',
        ]
    out.append("</svg>")
    return "".join(out)


def _places_of(day_rows: Sequence[Row]) -> list[tuple[str, PlaceInfo]]:
    marks: list[tuple[str, PlaceInfo]] = []
    for row in day_rows:
        if row.place is not None and all(place is not row.place for _, place in marks):
            marks.append((str(len(marks) + 1), row.place))
    return marks


PROGRAMME_CSS = """
.day { break-inside: avoid; page-break-inside: avoid; margin-bottom: 5mm; }
h2 { font-size: 13pt; margin: 3mm 0 2mm; }
svg.map { width: 100%; height: auto; max-height: 70mm; display: block; margin-bottom: 2mm; }
.qr { width: 40mm; height: 40mm; }
"""


def to_print_html(
    full: Full, places: Mapping[str, PlaceInfo], *, timezone: str, city: tuple[str, str], link: str = ""
) -> str:
    """A standalone bilingual A4 page (no scripts, no outside resources): each day's items with
    times, places and notes in English and Chinese, a drawing of the day's places, the QR code."""
    p = full.programme
    link = share_link(link)
    scan = _both(t("prog.scan", "en"), t("prog.scan", "zh"))
    qr = f'<div class="qr" title="{_html(scan)}">{_qr_inline_svg(link, scan)}</div>' if qr_fits(link) else ""
    dates = p.start_date if p.start_date == p.end_date else f"{p.start_date} – {p.end_date}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_html(_both(p.title, p.title_zh))}</title>",
        f"<style>{PRINT_CSS}{PROGRAMME_CSS}</style></head>",
        "<body><header><div>",
        f'<h1>{_html(_line(p.title))}<span class="other" lang="zh-Hans">{_html(_line(p.title_zh))}</span></h1>',
        f'<p class="meta">{_html(_both(*city))} · {_html(dates)} · {_html(_both(p.host, p.host_zh))}</p>',
        "</div>",
        qr,
        "</header>",
    ]
    heads = [
        _both(t(k, "en"), t(k, "zh"))
        for k in ("prog.col.time", "prog.col.item", "prog.col.place", "prog.col.note")
    ]
    for day in p.days:
        day_rows = rows(full, places, day=day)
        if not day_rows:
            continue
        n = p.days.index(day) + 1
        day_title = f"{day.isoformat()} · " + _both(t("prog.day_n", "en", n=n), t("prog.day_n", "zh", n=n))
        out += [
            '<section class="day">',
            f"<h2>{_html(day_title)}</h2>",
            map_svg(_places_of(day_rows), title=_both(t("prog.map_title", "en"), t("prog.map_title", "zh"))),
            "<table><thead><tr>"
            + "".join(f'<th scope="col">{_html(h)}</th>' for h in heads)
            + "</tr></thead><tbody>",
        ]
        for row in day_rows:
            out.append(
                "<tr>"
                f'<td class="time">{_html(row.item.start)}–{_html(row.item.end)}</td>'
                f"<td><strong>{_html(_line(row.title('en')))}</strong>"
                f'<span class="other" lang="zh-Hans">{_html(_line(row.title("zh")))}</span></td>'
                f"<td>{_html(_line(row.place_name('en')))}"
                f'<span class="other" lang="zh-Hans">{_html(_line(row.place_name("zh")))}</span></td>'
                f'<td class="note">{_html(_line(row.item.note))}'
                f'<span class="other" lang="zh-Hans">{_html(_line(row.item.note_zh))}</span></td>'
                "</tr>"
            )
        out += ["</tbody></table>", "</section>"]
    out += ["<footer>"]
    if link:
        out.append(f'<p><a href="{_html(link)}">{_html(link)}</a></p>')
    out += [
        f"<p>{_html(_both(t('prog.local_times', 'en', zone=timezone), t('prog.local_times', 'zh', zone=timezone)))}</p>"
    ]
    out += ["</footer></body></html>", ""]
    return "\n".join(out)
