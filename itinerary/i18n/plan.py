"""Strings of Plan my route that tell the plan as it is: the start's mark, the leg back of a
round trip, the outcome of optimising and fitting, and the notices about a plan's link."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "plan.start_mark": {"en": "S", "zh": "起点"},
    "plan.map_start": {"en": "Start: {name}", "zh": "起点：{name}"},
    "plan.back_to": {"en": "Back at {name}", "zh": "回到{name}"},
    "plan.leave": {"en": "leave {time}", "zh": "{time} 出发"},
    "plan.back_arrive": {"en": "arrive {time}", "zh": "{time} 到达"},
    "plan.totals_back": {
        "en": "Total {hours}: {travel} min travelling ({km} km), {visit} min visiting; back at {end}.",
        "zh": "共 {hours}：交通 {travel} 分钟（{km} 公里），游览 {visit} 分钟；约 {end} 回到起点。",
    },
    "plan.already_best": {
        "en": "This order is already the shortest: about {minutes} min of travel.",
        "zh": "当前顺序已是最短：交通约 {minutes} 分钟。",
    },
    "plan.unchanged": {"en": "Your route was left as it was.", "zh": "路线保持不变。"},
    "plan.undo": {"en": "Undo", "zh": "撤销"},
    "plan.undone": {"en": "Your route is back as it was.", "zh": "路线已恢复原样。"},
    "plan.unknown_stops": {
        "en": "{count} unknown stops were left out of the link: {ids} and {more} more.",
        "zh": "链接中有 {count} 个未知站点已略去：{ids} 等（另有 {more} 个）。",
    },
    "plan.other_city": {
        "en": "Your route of {count} stops is in {city}; a route keeps to one city.",
        "zh": "你的 {count} 站路线在{city}；一条路线只能在一个城市。",
    },
    "plan.keep_route": {"en": "Back to {city} with my route", "zh": "带着路线回到{city}"},
    "plan.new_route": {"en": "Start a new route in {city}", "zh": "在{city}新建路线"},
    "plan.start_row": {"en": "{mark} · {label}", "zh": "{mark}：{label}"},
    "notice.no_such_date": {
        "en": "There is no such date as “{value}”; ignored.",
        "zh": "不存在日期“{value}”，已忽略。",
    },
}
