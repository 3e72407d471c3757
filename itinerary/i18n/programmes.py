"""Strings of programmes (issue 12): the schedule's warnings, the programme page, its downloads,
the kiosk's event step and the staff's programme editor; the programme files' problems."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- the programme files' problems (itinerary/programmes/files.py) ---------------------------
    "problem.prog_ends_before_start": {
        "en": "ends on {end}, before it starts ({start})",
        "zh": "结束日期 {end} 早于开始日期 {start}",
    },
    "problem.prog_too_many_days": {
        "en": "a programme runs at most {days} days",
        "zh": "一个日程最多 {days} 天",
    },
    "problem.prog_unknown_programme": {
        "en": "no programme {value} in programmes.csv",
        "zh": "programmes.csv 中没有日程 {value}",
    },
    "problem.prog_unknown_venue": {
        "en": "no venue {value} of programme {programme} in programme_venues.csv",
        "zh": "programme_venues.csv 中没有日程 {programme} 的场地 {value}",
    },
    "problem.prog_two_places": {
        "en": "an item has one place: a landmark or a venue, not both",
        "zh": "一个环节只有一个地点：地标或场地，不能两者都填",
    },
    "problem.prog_no_place": {
        "en": "a {kind} item needs a landmark or a venue (only a break or a travel slot may have none)",
        "zh": "“{kind}”环节需要地标或场地（只有休息和交通环节可以没有地点）",
    },
    "problem.prog_day_outside": {
        "en": "{day} is not a day of the programme ({start} to {end})",
        "zh": "{day} 不在日程日期内（{start} 至 {end}）",
    },
    "problem.prog_item_ends_before_start": {
        "en": "ends at {end}, not after it starts ({start})",
        "zh": "结束时间 {end} 不晚于开始时间 {start}",
    },
    "problem.prog_time_skipped": {
        "en": "{time} does not exist on {day}: the clocks skip it (daylight saving time)",
        "zh": "{day} 没有 {time}：夏令时调整跳过了这个时间",
    },
    # --- the schedule's warnings (itinerary/programmes/feasibility.py) --------------------------
    "prog.warn.travel_short": {
        "en": "{item}: leaves {gap} minutes for a {need}-minute transfer by {mode} ({km} km)",
        "zh": "{item}：只留 {gap} 分钟，而{mode}转场约需 {need} 分钟（{km} 公里）",
    },
    "prog.warn.overlap": {
        "en": "{item} starts {minutes} minutes before {other} ends",
        "zh": "{item}在{other}结束前 {minutes} 分钟就开始",
    },
    "prog.warn.outside_hours": {
        "en": "{item} ({start}–{end}) is outside the place's opening hours that day ({hours})",
        "zh": "{item}（{start}–{end}）不在该地点当天的开放时间内（{hours}）",
    },
    "prog.warn.closed_that_day": {
        "en": "{item}: the place is closed that day",
        "zh": "{item}：该地点当天不开放",
    },
    "prog.warn.day_too_long": {
        "en": "{day} runs {minutes} minutes, longer than the set {limit}",
        "zh": "{day} 共 {minutes} 分钟，超过设定的 {limit} 分钟",
    },
    # --- the group's transport ------------------------------------------------------------------
    "prog.mode.walk": {"en": "walking", "zh": "步行"},
    "prog.mode.coach": {"en": "coach", "zh": "大巴"},
    "prog.mode.transit": {"en": "public transport", "zh": "公共交通"},
    "prog.mode.drive": {"en": "car", "zh": "驾车"},
    # --- the programme page (pages/programme.py, ui/programme.py) --------------------------------
    "nav.programme": {"en": "Programme", "zh": "日程"},
    "prog.not_found": {"en": "Not found", "zh": "未找到"},
    "prog.not_found_body": {
        "en": "There is no programme at this address. Check the link you were given.",
        "zh": "此地址没有日程。请核对您收到的链接。",
    },
    "prog.kind.delegation": {"en": "Delegation visit", "zh": "代表团访问"},
    "prog.kind.tour": {"en": "Public tour", "zh": "公开参观"},
    "prog.kind.conference": {"en": "Conference", "zh": "会议"},
    "prog.kind_item.visit": {"en": "Visit", "zh": "参观"},
    "prog.kind_item.meeting": {"en": "Meeting", "zh": "会见"},
    "prog.kind_item.meal": {"en": "Meal", "zh": "用餐"},
    "prog.kind_item.break": {"en": "Break", "zh": "休息"},
    "prog.kind_item.travel": {"en": "Travel", "zh": "交通"},
    "prog.clock": {"en": "Local time {time}", "zh": "当地时间 {time}"},
    "prog.now": {"en": "Now", "zh": "现在"},
    "prog.next": {"en": "Next", "zh": "接下来"},
    "prog.colon": {"en": ": ", "zh": "："},
    "prog.ended": {"en": "The programme has ended.", "zh": "日程已结束。"},
    "prog.day": {"en": "Day", "zh": "日期"},
    "prog.day_title": {"en": "Programme of {day}", "zh": "{day} 日程"},
    "prog.map_title": {"en": "Places of the day", "zh": "当天地点"},
    "prog.local_times": {"en": "All times are local ({zone}).", "zh": "所有时间均为当地时间（{zone}）。"},
    "prog.dl.ics": {"en": "Add to calendar (.ics)", "zh": "添加到日历（.ics）"},
    "prog.dl.print": {"en": "Printable programme (A4)", "zh": "可打印日程（A4）"},
    "prog.scan": {"en": "Scan to open the programme", "zh": "扫码打开日程"},
    "prog.col.time": {"en": "Time", "zh": "时间"},
    "prog.col.item": {"en": "Item", "zh": "环节"},
    "prog.col.place": {"en": "Place", "zh": "地点"},
    "prog.col.note": {"en": "Notes", "zh": "备注"},
    # --- staff: the history and conflicts name programmes ------------------------------------------
    "cur.entity.programme": {"en": "Programme", "zh": "日程"},
    "content.entity_programme": {"en": "programme", "zh": "日程"},
}
