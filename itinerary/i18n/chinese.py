"""Strings that make Chinese pages Chinese: opening hours as words (``itinerary.hours_text``) and
the texts that were English on ``?lang=zh`` pages."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # opening hours as text: "Tue–Sun 10:00–18:00, closed Mondays" / "周二至周日 10:00–18:00，周一闭馆"
    "hours.always": {"en": "Open 24 hours", "zh": "全天开放"},
    "hours.never": {"en": "Closed", "zh": "不开放"},
    "hours.daily": {"en": "Daily", "zh": "每天"},
    "hours.all_day": {"en": "open 24 hours", "zh": "全天开放"},
    "hours.range": {"en": "{first}–{last}", "zh": "{first}至{last}"},
    "hours.list_sep": {"en": ", ", "zh": "、"},
    "hours.group_sep": {"en": "; ", "zh": "；"},
    "hours.closed_sep": {"en": ", ", "zh": "，"},
    "hours.overnight": {"en": "{start}–{end} (next day)", "zh": "{start}–次日 {end}"},
    "hours.closed_days": {"en": "closed {days}", "zh": "{days}闭馆"},
    "hours.closed_other": {"en": "closed other days", "zh": "其余时间闭馆"},
    "hours.and": {"en": "{first} and {second}", "zh": "{first}、{second}"},
    "hours.days.0": {"en": "Mondays", "zh": "周一"},
    "hours.days.1": {"en": "Tuesdays", "zh": "周二"},
    "hours.days.2": {"en": "Wednesdays", "zh": "周三"},
    "hours.days.3": {"en": "Thursdays", "zh": "周四"},
    "hours.days.4": {"en": "Fridays", "zh": "周五"},
    "hours.days.5": {"en": "Saturdays", "zh": "周六"},
    "hours.days.6": {"en": "Sundays", "zh": "周日"},
    "hours.varies": {
        "en": "Hours vary by date; the week of {date}: {hours}",
        "zh": "开放时间随日期变化；{date} 这一周：{hours}",
    },
    "hours.holidays": {"en": "{hours}; public holidays may differ", "zh": "{hours}；节假日可能不同"},
    "hours.raw": {"en": "{hours} (OpenStreetMap notation)", "zh": "{hours}（OpenStreetMap 格式）"},
    # Leaflet's scale bar: its units in the page's language (map_controls.MapAccess)
    "map.metres": {"en": "{n} m", "zh": "{n} 米"},
    "map.kilometres": {"en": "{n} km", "zh": "{n} 公里"},
    "map.tiles": {"en": "Map tiles", "zh": "地图图块"},
    # the empty multiselect's placeholder (Streamlit writes "Choose options" in every language)
    "widget.choose": {"en": "Choose options", "zh": "请选择"},
}
