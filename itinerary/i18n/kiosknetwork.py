"""Strings of the kiosk's network step (issue 11): the city accounts' map and join timeline."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "kiosknet.heading": {
        "en": "{count} city accounts, each a two-way window with {home}",
        "zh": "{count} 个城市账号，每一个都是与{home}之间的双向窗口",
    },
    "kiosknet.row": {"en": "{order}. {city}", "zh": "{order}．{city}"},
    "kiosknet.kinds": {"en": "Lines on the map", "zh": "地图上的连线"},
}
