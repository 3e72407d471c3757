"""Opening hours as a visitor reads them, in English and Chinese, from the parser's own answers.

The text is built from what opening-hours-py evaluates, never by rewriting the OpenStreetMap
syntax: ``intervals()`` over the coming year gives the open ranges of each week, and a week that
repeats all year is read as a table of seven days (``WeeklyHours``), then as text::

    Tu-Su 10:00-18:00; Mo off   ->  "Tue–Sun 10:00–18:00, closed Mondays"
                                    "周二至周日 10:00–18:00，周一闭馆"
    24/7                        ->  "Open 24 hours" / "全天开放"

What a week cannot carry falls back to a readable form: hours that change during the year are
shown for the week of the given day ("Hours vary by date; week of ..."); public or school
holidays add "public holidays may differ"; solar times, comments and "unknown" states are shown
as written, marked as OpenStreetMap notation. Wall-clock times are evaluated in UTC, where no
daylight-saving change shifts them: the text describes the place's local hours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import State

from itinerary.hours import parse_hours
from itinerary.i18n import t

DAY = 24 * 60
WEEK = 7 * DAY
WEEKS_CHECKED = 53  # a year ahead: seasons, months and years in the rules all show as a change
_NAMED_DAYS_MAX = 2  # more closed days than this read "closed other days"
# what the normalised rules may name that a table of weekdays cannot show (the library gives no
# other view of them: its evaluation simply skips holidays it has no calendar for)
_HOLIDAYS = re.compile(r"\b(PH|SH)\b")
_SOLAR = re.compile(r"sunrise|sunset|dawn|dusk")


@dataclass(frozen=True, slots=True)
class Span:
    """Open from ``start`` to ``end``, minutes after the day's midnight; ``end`` > 1440 closes
    after midnight (05:00 to 01:00 the next day is 300..1500)."""

    start: int
    end: int

    @property
    def whole_day(self) -> bool:
        return self.start == 0 and self.end == DAY


Week = tuple[tuple[Span, ...], ...]  # Monday first, seven entries; () is closed that day


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """The open spans of one week (from ``monday``), as the parser evaluates them.

    ``regular``: every week of the coming year is the same. ``holidays``: the rules name public
    or school holidays, which a week does not show.
    """

    days: Week
    monday: date
    regular: bool
    holidays: bool

    @property
    def always_open(self) -> bool:
        return all(len(spans) == 1 and spans[0].whole_day for spans in self.days)


def weekly_hours(expression: str, *, on: date) -> WeeklyHours | None:
    """The week of ``on`` as a table of spans, or None when the hours are not a matter of
    weekdays and clock times (solar times, comments, "unknown" states) or do not parse."""
    return _weekly_hours(expression.strip(), on - timedelta(days=on.weekday()))


@lru_cache(maxsize=2048)
def _weekly_hours(expression: str, monday: date) -> WeeklyHours | None:
    try:
        oh = parse_hours(expression, "UTC")
    except Exception:  # the library's own ParserError (not in its stubs); the data is validated at load
        return None
    normal = str(oh.normalize())
    if _SOLAR.search(normal):
        return None
    begin = datetime.combine(monday, time(0), tzinfo=ZoneInfo("UTC"))
    weeks: list[list[tuple[int, int]]] = [[] for _ in range(WEEKS_CHECKED)]
    for start, end, state, comment in oh.intervals(begin, begin + timedelta(weeks=WEEKS_CHECKED)):
        if state == State.UNKNOWN or comment:
            return None
        if state == State.OPEN:
            _add_range(
                weeks, int((start - begin).total_seconds() // 60), int((end - begin).total_seconds() // 60)
            )
    first = weeks[0]
    return WeeklyHours(
        days=_day_spans(first),
        monday=monday,
        regular=all(week == first for week in weeks),
        holidays=bool(_HOLIDAYS.search(normal)),
    )


def _add_range(weeks: list[list[tuple[int, int]]], start: int, end: int) -> None:
    """Record an open range (minutes from the first Monday) in the weeks it covers, cut at each
    week's end, so that weeks compare as lists."""
    while start < end:
        index, offset = divmod(start, WEEK)
        stop = min(end - index * WEEK, WEEK)
        weeks[index].append((offset, stop))
        start = index * WEEK + stop


def _day_spans(ranges: Sequence[tuple[int, int]]) -> Week:
    """Open ranges of a week (minutes from Monday 00:00, sorted) as each day's spans. A week
    repeats, so a range open at Sunday midnight goes on into Monday; a partial day that runs to
    midnight and is continued by the next morning's first range closes after midnight."""
    ranges = list(ranges)
    if ranges == [(0, WEEK)]:
        return tuple((Span(0, DAY),) for _ in range(7))
    if len(ranges) > 1 and ranges[0][0] == 0 and ranges[-1][1] == WEEK:
        ranges = [(ranges[-1][0], WEEK + ranges[0][1]), *ranges[1:-1]]
    pieces: list[list[Span]] = [[] for _ in range(7)]
    for start, end in ranges:
        while start < end:
            day, offset = divmod(start, DAY)
            stop = min(end - day * DAY, DAY)
            pieces[day % 7].append(Span(offset, stop))
            start = day * DAY + stop
    for spans in pieces:
        spans.sort(key=lambda s: s.start)
    for day in range(7):
        after = pieces[(day + 1) % 7]
        last = pieces[day][-1] if pieces[day] else None
        morning = after[0] if after else None
        if (
            last is not None
            and morning is not None
            and last.end == DAY
            and last.start > 0
            and morning.start == 0
            and morning.end < DAY
        ):
            pieces[day][-1] = Span(last.start, DAY + morning.end)
            after.pop(0)
    return tuple(tuple(spans) for spans in pieces)


# ------------------------------------------------------------------------------------ text


def hours_text(expression: object, lang: str, *, on: date | None = None) -> str:
    """Opening hours in the visitor's words (``lang``), for the week of ``on`` (today when not
    given) when they change during the year. "" for no hours (an empty cell, None or NaN).
    Callers escape it like any text."""
    expression = expression.strip() if isinstance(expression, str) else ""
    if not expression:
        return ""
    week = weekly_hours(expression, on=on or date.today())
    if week is None:
        return t("hours.raw", lang, hours=expression)
    text = week_text(week.days, lang)
    if not week.regular:
        text = t("hours.varies", lang, date=week.monday.isoformat(), hours=text)
    if week.holidays:
        text = t("hours.holidays", lang, hours=text)
    return text


def week_text(days: Week, lang: str) -> str:
    """'Tue–Sun 10:00–18:00, closed Mondays': days with the same spans together, Monday first."""
    if all(len(spans) == 1 and spans[0].whole_day for spans in days):
        return t("hours.always", lang)
    closed = [day for day, spans in enumerate(days) if not spans]
    if len(closed) == 7:
        return t("hours.never", lang)
    groups: dict[tuple[Span, ...], list[int]] = {}
    for day, spans in enumerate(days):
        if spans:
            groups.setdefault(spans, []).append(day)
    # days, a space, times: the same in both languages ("周二至周日 10:00–18:00")
    parts = [f"{_days_label(group, lang)} {_spans_label(spans, lang)}" for spans, group in groups.items()]
    text = t("hours.group_sep", lang).join(parts)
    if closed:
        text += t("hours.closed_sep", lang) + _closed_label(closed, lang)
    return text


def _days_label(days: Sequence[int], lang: str) -> str:
    """'Daily', 'Mon–Fri', 'Mon, Wed–Sun': runs of consecutive days as ranges."""
    if len(days) == 7:
        return t("hours.daily", lang)
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    labels = [
        t(f"day.{run[0]}", lang)
        if len(run) == 1
        else t("hours.range", lang, first=t(f"day.{run[0]}", lang), last=t(f"day.{run[-1]}", lang))
        for run in runs
    ]
    return t("hours.list_sep", lang).join(labels)


def _spans_label(spans: Sequence[Span], lang: str) -> str:
    return t("hours.list_sep", lang).join(_span_label(span, lang) for span in spans)


def _span_label(span: Span, lang: str) -> str:
    if span.whole_day:
        return t("hours.all_day", lang)
    if span.end > DAY:
        return t("hours.overnight", lang, start=_clock(span.start), end=_clock(span.end - DAY))
    return f"{_clock(span.start)}–{_clock(span.end)}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _closed_label(days: Sequence[int], lang: str) -> str:
    if len(days) > _NAMED_DAYS_MAX:
        return t("hours.closed_other", lang)
    names = [t(f"hours.days.{day}", lang) for day in days]
    joined = names[0] if len(names) == 1 else t("hours.and", lang, first=names[0], second=names[1])
    return t("hours.closed_days", lang, days=joined)


def hours_lines(expression: object, lang: str, *, on: date | None = None) -> list[str]:
    """The line "Opening hours: ..." for a place's card, timeline stop or printed row; none
    when the place has no hours (the unknown state is said where the schedule warns)."""
    text = hours_text(expression, lang, on=on)
    return [t("card.hours_line", lang, hours=text)] if text else []
