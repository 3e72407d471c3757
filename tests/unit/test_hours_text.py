"""Opening hours as words (``itinerary.hours_text``), on every value of the shipped data and on
the forms a week cannot carry."""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import date, time
from functools import cache

import pandas as pd
import pytest

from itinerary import plans, seed
from itinerary.exports import ExportPlan, to_print_html
from itinerary.hours_text import Span, hours_lines, hours_text, weekly_hours
from tests.conftest import DATA

ON = date(2026, 12, 1)  # a Tuesday; the week of 2026-11-30
# what must never reach a visitor: OSM's day codes, its hyphen between times, its keywords
RAW_SYNTAX = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|off)\b|\d\d:\d\d-\d|24/7|;\s*Mo")


@cache
def shipped_hours() -> list[str]:
    """Every distinct opening_hours value of data/landmarks.csv, through the real loader."""
    return sorted({lm.opening_hours for lm in seed.load_dir(DATA).landmarks if lm.opening_hours})


def test_the_shipped_data_has_hours_to_read() -> None:
    assert len(shipped_hours()) >= 40


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("expression", shipped_hours())
def test_every_shipped_value_reads_as_words(expression: str, lang: str) -> None:
    text = hours_text(expression, lang, on=ON)
    assert text, expression
    assert not RAW_SYNTAX.search(text), f"{expression!r} -> {text!r}"
    assert "OpenStreetMap" not in text  # none of them needs the fallback
    week = weekly_hours(expression, on=ON)
    assert week is not None and week.regular and not week.holidays
    if lang == "zh":
        assert not re.search(r"[A-Za-z]", text), f"{expression!r} -> {text!r}"


@pytest.mark.parametrize(
    ("expression", "en", "zh"),
    [
        (
            "Tu-Su 10:00-18:00; Mo off",
            "Tue–Sun 10:00–18:00, closed Mondays",
            "周二至周日 10:00–18:00，周一闭馆",
        ),
        ("24/7", "Open 24 hours", "全天开放"),
        ("Mo-Su 10:00-19:00", "Daily 10:00–19:00", "每天 10:00–19:00"),
        (
            "Mo-Fr 08:00-17:00; Sa-Su off",
            "Mon–Fri 08:00–17:00, closed Saturdays and Sundays",
            "周一至周五 08:00–17:00，周六、周日闭馆",
        ),
        (
            "Mo,We-Su 10:00-18:00; Tu off",
            "Mon, Wed–Sun 10:00–18:00, closed Tuesdays",
            "周一、周三至周日 10:00–18:00，周二闭馆",
        ),
        (
            "Sa-Th 08:00-20:00; Fr 16:00-20:00",
            "Mon–Thu, Sat–Sun 08:00–20:00; Fri 16:00–20:00",
            "周一至周四、周六至周日 08:00–20:00；周五 16:00–20:00",
        ),
        (
            "Mo-Th 08:00-20:00; Fr 16:00-22:00; Sa 08:00-22:00; Su off",
            "Mon–Thu 08:00–20:00; Fri 16:00–22:00; Sat 08:00–22:00, closed Sundays",
            "周一至周四 08:00–20:00；周五 16:00–22:00；周六 08:00–22:00，周日闭馆",
        ),
        ("Mo 10:00-12:00", "Mon 10:00–12:00, closed other days", "周一 10:00–12:00，其余时间闭馆"),
        ("Mo-Su 05:00-01:00", "Daily 05:00–01:00 (next day)", "每天 05:00–次日 01:00"),
        ("Mo-Su 10:00-24:00", "Daily 10:00–24:00", "每天 10:00–24:00"),
        (
            "Mo-Fr 10:00-12:00,14:00-18:00",
            "Mon–Fri 10:00–12:00, 14:00–18:00, closed Saturdays and Sundays",
            "周一至周五 10:00–12:00、14:00–18:00，周六、周日闭馆",
        ),
        (
            "Mo-Fr 00:00-24:00",
            "Mon–Fri open 24 hours, closed Saturdays and Sundays",
            "周一至周五 全天开放，周六、周日闭馆",
        ),
        (
            "Fr-Sa 18:00-03:00; Mo-Th 18:00-24:00",
            "Mon–Thu 18:00–24:00; Fri–Sat 18:00–03:00 (next day), closed Sundays",
            "周一至周四 18:00–24:00；周五至周六 18:00–次日 03:00，周日闭馆",
        ),
        ("off", "Closed", "不开放"),
    ],
)
def test_hours_read_as_the_week_they_describe(expression: str, en: str, zh: str) -> None:
    assert hours_text(expression, "en", on=ON) == en
    assert hours_text(expression, "zh", on=ON) == zh


def test_the_week_table_comes_from_the_parsers_evaluation() -> None:
    week = weekly_hours("Mo-Su 05:00-01:00", on=ON)
    assert week is not None and week.monday == date(2026, 11, 30)
    # the open hour after midnight belongs to the evening before, also from Sunday into Monday
    assert week.days == tuple((Span(5 * 60, 25 * 60),) for _ in range(7))
    closed_monday = weekly_hours("Tu-Su 10:00-18:00; Mo off", on=ON)
    assert closed_monday is not None and closed_monday.days[0] == ()
    assert closed_monday.days[1:] == tuple((Span(600, 1080),) for _ in range(6))


@pytest.mark.parametrize(
    ("expression", "en", "zh"),
    [
        (  # summer hours: the week of the day asked about, said to vary
            "10:00-18:00; Jul-Aug 10:00-22:00",
            "Hours vary by date; the week of 2026-11-30: Daily 10:00–18:00",
            "开放时间随日期变化；2026-11-30 这一周：每天 10:00–18:00",
        ),
        (
            "2027 Mo-Su 10:00-18:00",
            "Hours vary by date; the week of 2026-11-30: Closed",
            "开放时间随日期变化；2026-11-30 这一周：不开放",
        ),
        (  # no holiday calendar is loaded: the week is read, the holidays are flagged
            "Tu-Su 10:00-18:00; PH off",
            "Tue–Sun 10:00–18:00, closed Mondays; public holidays may differ",
            "周二至周日 10:00–18:00，周一闭馆；节假日可能不同",
        ),
        (  # solar times, comments and unknown states: shown as written, and said to be so
            "Mo-Su sunrise-sunset",
            "Mo-Su sunrise-sunset (OpenStreetMap notation)",
            "Mo-Su sunrise-sunset（OpenStreetMap 格式）",
        ),
        (
            'Su 10:00-14:00 "by appointment"',
            'Su 10:00-14:00 "by appointment" (OpenStreetMap notation)',
            'Su 10:00-14:00 "by appointment"（OpenStreetMap 格式）',
        ),
        (
            "Mo-Fr 10:00-18:00; Sa unknown",
            "Mo-Fr 10:00-18:00; Sa unknown (OpenStreetMap notation)",
            "Mo-Fr 10:00-18:00; Sa unknown（OpenStreetMap 格式）",
        ),
        (
            "not hours at all",
            "not hours at all (OpenStreetMap notation)",
            "not hours at all（OpenStreetMap 格式）",
        ),
    ],
)
def test_what_a_week_cannot_carry_falls_back_to_a_readable_form(expression: str, en: str, zh: str) -> None:
    assert hours_text(expression, "en", on=ON) == en
    assert hours_text(expression, "zh", on=ON) == zh


def test_a_varying_week_is_the_week_of_the_day_asked_about() -> None:
    summer = hours_text("10:00-18:00; Jul-Aug 10:00-22:00", "en", on=date(2027, 7, 15))
    assert summer == "Hours vary by date; the week of 2027-07-12: Daily 10:00–22:00"


@pytest.mark.parametrize("empty", ["", "  ", None, float("nan")])
def test_no_hours_is_no_text(empty: object) -> None:
    assert hours_text(empty, "en", on=ON) == ""
    assert hours_lines(empty, "zh", on=ON) == []


def test_the_lines_around_the_words() -> None:
    assert hours_lines("Tu-Su 10:00-18:00; Mo off", "zh", on=ON) == [
        "开放时间：周二至周日 10:00–18:00，周一闭馆"
    ]


def _museum_plan(lang: str) -> ExportPlan:
    """Shenzhen Museum after a start point, planned on a Saturday, from the real data."""
    data = seed.load_dir(DATA)
    landmarks = pd.DataFrame([asdict(lm) for lm in data.landmarks if lm.city_id == "shenzhen"])
    landmarks = landmarks.set_index("id", drop=False)
    origin = plans.parse_origin("22.5431,114.0579", "Hotel")
    assert origin is not None
    days = plans.plan_days(
        plans.places_for(landmarks, ["shenzhen-museum"], origin=origin.place),
        day=date(2026, 12, 5),
        start_time=time(9),
        mode="walk",
        city_id="shenzhen",
        timezone="Asia/Shanghai",
    )
    return plans.export_plan(
        title="t",
        city_name="Shenzhen",
        timezone="Asia/Shanghai",
        mode="walk",
        url="",
        landmarks=landmarks,
        days=days,
        lang=lang,
        origin_label="Hotel",
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Tue–Sun 10:00–18:00, closed Mondays"), ("zh", "周二至周日 10:00–18:00，周一闭馆")],
)
def test_the_printable_page_shows_each_stops_hours_in_words(lang: str, words: str) -> None:
    plan = _museum_plan(lang)
    start, museum = plan.stops
    assert (start.hours, museum.hours) == ("", words)
    page = to_print_html(plan)
    assert f'<span class="access">{words}</span>' in page
    assert "Tu-Su" not in page
    hostile = to_print_html(replace(plan, stops=(replace(museum, hours="<b>x</b> & Tue"),)))
    assert '<span class="access">&lt;b&gt;x&lt;/b&gt; &amp; Tue</span>' in hostile
