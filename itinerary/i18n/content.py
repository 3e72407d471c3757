"""Messages of the content rules, uploads and imports (``content.`` keys), by problem code.

The domain returns ``rules.Problem(code, values)``; ``Problem.text(lang)`` looks the code up here.
The English texts are also what the import report and the command line print.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # statuses
    "content.status_unknown": {
        "en": "{status!r} is not one of {known}",
        "zh": "“{status}”不是以下之一：{known}",
    },
    "content.status_change": {
        "en": "the status cannot change from {before} to {after}",
        "zh": "状态不能从 {before} 改为 {after}",
    },
    # stops of an itinerary
    "content.stops_none": {
        "en": "a published itinerary needs at least one stop",
        "zh": "已发布的行程至少需要一站",
    },
    "content.stop_missing": {
        "en": "no landmark {landmark_id!r} in this city",
        "zh": "本城市没有地标“{landmark_id}”",
    },
    "content.stop_other_city": {
        "en": "landmark {landmark_id!r} is in {landmark_city!r}, not in the itinerary's city {city_id!r}",
        "zh": "地标“{landmark_id}”属于“{landmark_city}”，不属于行程所在城市“{city_id}”",
    },
    "content.stop_archived": {
        "en": "landmark {landmark_id!r} is archived",
        "zh": "地标“{landmark_id}”已归档",
    },
    "content.stop_draft": {
        "en": "landmark {landmark_id!r} is a draft: publish it first",
        "zh": "地标“{landmark_id}”是草稿：请先发布它",
    },
    # a landmark that stops being published
    "content.in_use_archived": {
        "en": "archived but used by published itineraries: {itineraries}",
        "zh": "已归档，但仍被已发布的行程使用：{itineraries}",
    },
    "content.in_use_draft": {
        "en": "draft but used by published itineraries: {itineraries}",
        "zh": "设为草稿，但仍被已发布的行程使用：{itineraries}",
    },
}
