"""The plan for spreadsheets: CSV (RFC 4180), one row per stop.

Text cells go through ``itinerary.cells.guard_formula`` (the one home of the formula rule), so a
name such as ``=HYPERLINK(...)`` opens as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from itinerary.cells import guard_formula
from itinerary.exports.model import RETURN, ExportPlan
from itinerary.exports.text import _amount, _clean, _coord_text, _iso, _line, stop_label, stop_marks

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
    "access",
    "warnings",
)


# ---------------------------------------------------------------- CSV


def to_csv(plan: ExportPlan) -> str:
    """One row per stop (RFC 4180: CRLF, quoting as needed); text cells guarded against formulas.

    ``position`` is the stop's mark (1, 2, ...; "S" for a start point that is no stop, and the
    arrival back of a round trip, named "Back at ...", has the mark of where it began).
    ``note`` is the curated note, ``access`` the wheelchair access, ``warnings`` those of the
    schedule joined by "; ", all in the plan's language.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for mark, stop in zip(stop_marks(plan), plan.stops, strict=True):
        name, name_zh = _line(stop.name), _line(stop.name_zh)
        if stop.kind == RETURN:
            name = stop_label(replace(stop, name_zh=""), lang="en") if name else ""
            name_zh = stop_label(replace(stop, name=""), lang="zh") if name_zh else ""
        text = [_line(stop.id), name, name_zh]
        writer.writerow(
            [
                mark,
                *(guard_formula(cell) for cell in text),
                _coord_text(stop.lat),
                _coord_text(stop.lon),
                _iso(stop.arrive, plan),
                _iso(stop.depart, plan),
                _amount(stop.travel_minutes, 1),
                _amount(stop.distance_km, 2),
                guard_formula(_line(stop.address)),
                guard_formula(_clean(stop.note).strip()),
                guard_formula(_line(stop.access)),
                guard_formula("; ".join(_line(w) for w in stop.warnings if _line(w))),
            ]
        )
    return buffer.getvalue()


def csv_bytes(plan: ExportPlan) -> bytes:
    """``to_csv`` as UTF-8 with a byte order mark, so Excel reads the Chinese names correctly."""
    return to_csv(plan).encode("utf-8-sig")
