"""Take a planned route with you: GPX, iCalendar, GeoJSON, CSV, KML, a printable page, QR codes.

Every export is a pure function of an ``ExportPlan`` (same plan, byte-identical output): no clock,
no network, no locale. The only timestamp that is not in the plan (the iCalendar DTSTAMP) is a
keyword argument whose default comes from the plan.

Names, notes and addresses come from staff and data, so every format escapes them its own way:
XML escaping for GPX and KML (KML descriptions are HTML, so they are HTML-escaped first),
``html.escape`` for the printable page, iCalendar TEXT escaping (icalendar) for .ics, and for CSV
quoting plus a guard against spreadsheet formulas. Control characters XML cannot carry are dropped
everywhere. The share link appears as a link only when it is http(s).

One module per concern: ``model`` (the plan), ``text`` (escaping, numbers, labels), ``geo`` (GPX,
GeoJSON, KML), ``ical``, ``table`` (CSV), ``page`` (printable HTML), ``qr``. Callers use this
package: ``from itinerary import exports``; ``exports.to_gpx(plan)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from itinerary.cells import guard_formula
from itinerary.exports.geo import GPX_NS, KML_NS, to_geojson, to_gpx, to_kml
from itinerary.exports.ical import PRODID, UID_DOMAIN, stop_uid, to_ics
from itinerary.exports.model import APP_NAME, RETURN, START, STOP, STOP_KINDS, ExportPlan, ExportStop
from itinerary.exports.page import PRINT_CSS, to_print_html
from itinerary.exports.qr import QR_BORDER, QR_ERROR, LinkTooLong, qr_fits, qr_png, qr_svg
from itinerary.exports.table import CSV_COLUMNS, csv_bytes, to_csv
from itinerary.exports.text import LABELS, marked_label, share_link, stop_label, stop_marks

__all__ = [
    "APP_NAME",
    "CSV_COLUMNS",
    "FORMATS",
    "GPX_NS",
    "KML_NS",
    "LABELS",
    "PRINT_CSS",
    "PRODID",
    "QR_BORDER",
    "QR_ERROR",
    "RETURN",
    "START",
    "STOP",
    "STOP_KINDS",
    "UID_DOMAIN",
    "ExportPlan",
    "ExportStop",
    "LinkTooLong",
    "all_exports",
    "csv_bytes",
    "export_file",
    "guard_formula",
    "marked_label",
    "qr_fits",
    "qr_png",
    "qr_svg",
    "share_link",
    "stop_label",
    "stop_marks",
    "stop_uid",
    "to_csv",
    "to_geojson",
    "to_gpx",
    "to_ics",
    "to_kml",
    "to_print_html",
]


# Every export a visitor can download: (file extension, MIME type, writer). The one list of
# formats: Plan's and Itineraries' download buttons are made from it (ui/trip.py).
FORMATS: tuple[tuple[str, str, Callable[[ExportPlan], str | bytes]], ...] = (
    ("gpx", "application/gpx+xml", to_gpx),
    ("ics", "text/calendar", to_ics),
    ("geojson", "application/geo+json", to_geojson),
    ("csv", "text/csv", csv_bytes),
    ("kml", "application/vnd.google-earth.kml+xml", to_kml),
    ("html", "text/html", to_print_html),
)


def all_exports(plan: ExportPlan) -> tuple[tuple[str, str, str | bytes], ...]:
    """(file extension, MIME type, content) of every export of the plan, for download buttons."""
    return tuple((ext, mime, write(plan)) for ext, mime, write in FORMATS)


@functools.lru_cache(maxsize=64)
def export_file(plan: ExportPlan, ext: str) -> str | bytes:
    """The plan in the format ``ext``, kept for the last plans: a page offers every format but
    builds a file only when the visitor fetches it (a plan changes at every stop added, and all
    six files took about 70 ms, mostly the calendar; bench.load's profile)."""
    for known, _mime, write in FORMATS:
        if known == ext:
            return write(plan)
    raise ValueError(f"unknown export format {ext!r}: one of {', '.join(f[0] for f in FORMATS)}")
