"""Strings of the map itself: Leaflet's controls, marker names for screen readers, attribution."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "map.zoom_in": {"en": "Zoom in", "zh": "放大"},
    "map.zoom_out": {"en": "Zoom out", "zh": "缩小"},
    "map.leaflet": {"en": "A JavaScript library for interactive maps", "zh": "交互式地图的 JavaScript 库"},
    "map.cluster": {
        "en": "{count} places here: press Enter to zoom in",
        "zh": "此处有 {count} 个地点：按回车键放大",
    },
    "map.landmark": {"en": "{name}, {theme}", "zh": "{name}，{theme}"},
    "map.stop": {"en": "Stop {number}: {name}", "zh": "第 {number} 站：{name}"},
    "map.contributors": {"en": "contributors", "zh": "贡献者"},
}
