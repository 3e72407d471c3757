"""Text, number and label helpers shared by the export writers.

Names, notes and addresses come from staff and data: ``_clean`` drops the characters no export
format can carry (XML 1.0 and iCalendar TEXT forbid most C0 controls), and each format escapes
the rest its own way (``_xml``, ``_html``). Labels are per language (``LABELS``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape as _xml_escape

from itinerary.exports.model import RETURN, START, STOP, ExportPlan, ExportStop
from itinerary.i18n import t
from itinerary.markup import safe_url

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
        "warning": "Warning",
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
        "warning": "注意",
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
    """The share URL if it is a plain http(s) URL, else "" (``markup.safe_url``, cleaned)."""
    return _clean(safe_url(url))


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


def stop_marks(plan: ExportPlan) -> list[str]:
    """The mark of each stop, as on the page's list, timeline and map: "S" (起点) for a start
    point that is no stop, 1, 2, ... for the stops, and for the arrival back of a round trip
    the mark of where it began."""
    marks: list[str] = []
    number = 0
    for stop in plan.stops:
        if stop.kind == START:
            marks.append(t("plan.start_mark", plan.lang))
        elif stop.kind == RETURN:
            marks.append(marks[0] if marks else "1")
        else:
            number += 1
            marks.append(str(number))
    return marks


def stop_label(stop: ExportStop, *, lang: str = "en") -> str:
    """The stop's name with its Chinese name, the plan's language first: "Name / 名称"; the
    arrival back of a round trip is "Back at Name / 名称"."""
    name, name_zh = _line(stop.name), _line(stop.name_zh)
    if not name_zh or name_zh == name:
        label = name
    elif not name:
        label = name_zh
    else:
        label = f"{name_zh} / {name}" if lang == "zh" else f"{name} / {name_zh}"
    return t("plan.back_to", lang, name=label) if stop.kind == RETURN else label


def marked_label(mark: str, stop: ExportStop, *, lang: str = "en", numbered: bool = True) -> str:
    """The stop's label after its mark: "1. Name", "S · Hotel" ("起点：酒店"), as the timeline.
    Not ``numbered`` (GPX and calendar names, whose order is their number): a stop's label
    alone, and the start and the arrival back still with their mark."""
    label = stop_label(stop, lang=lang)
    if stop.kind == STOP and not numbered:
        return label
    return f"{mark}. {label}" if mark.isdigit() else t("plan.start_row", lang, mark=mark, label=label)


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


def _warning_lines(stop: ExportStop, labels: Mapping[str, str]) -> list[str]:
    """Each warning as "Warning: Closed on this date" (clean text, one line each)."""
    return [f"{labels['warning']}{labels['colon']}{_line(w)}" for w in stop.warnings if _line(w)]


def _details(stop: ExportStop, labels: Mapping[str, str]) -> list[str]:
    """What a visitor reads about a stop besides its times: the curated note, the access, the
    warnings; clean text, empty parts left out. Every format shows these, in this order."""
    parts = [_clean(stop.note).strip(), _line(stop.access), *_warning_lines(stop, labels)]
    return [part for part in parts if part]


def _location(stop: ExportStop, plan: ExportPlan) -> str:
    """Where the stop is, for a calendar or a map search: its address with the city."""
    address = _line(stop.address) or _line(stop.name)
    city = _line(plan.city_name)
    return address if not city or city.lower() in address.lower() else f"{address}, {city}"


def _summary_line(plan: ExportPlan, labels: Mapping[str, str]) -> str:
    """City · date · mode, the one-line description of a whole plan."""
    return " · ".join(
        part for part in (_line(plan.city_name), _dates_label(plan, labels), _mode_label(plan)) if part
    )
