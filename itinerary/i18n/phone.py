"""Strings of the phone flow: the map frame's title, the card's way into Plan."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # the title of the map's frame (a screen reader announces it when entering the map)
    "phone.map_title": {"en": "Map of {city}: {page}", "zh": "{city}地图：{page}"},
    "phone.add_to_route": {"en": "Add to my route", "zh": "加入我的路线"},
    "phone.in_route": {"en": "In my route: open the plan", "zh": "已在我的路线中：打开规划"},
}
