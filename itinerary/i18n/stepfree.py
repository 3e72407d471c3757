"""Strings of step-free planning: the needs, their reasons, the switch, swaps, legs, days and the
"inclusive" label (``itinerary/stepfree.py``, ``ui/stepfree.py``)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # the needs, as Explore's filter offers them
    "need.step_free": {"en": "Step-free entrance", "zh": "无台阶入口"},
    "need.toilet": {"en": "Accessible toilet", "zh": "无障碍卫生间"},
    "need.hearing_loop": {"en": "Hearing loop", "zh": "助听环路"},
    "need.quiet": {"en": "Quiet space", "zh": "安静空间"},
    "explore.needs": {"en": "Access needs", "zh": "无障碍需求"},
    "explore.needs_help": {
        "en": "Only places whose survey shows it. Places not surveyed are left out.",
        "zh": "只显示经调查确认具备该条件的地点，未调查的地点不显示。",
    },
    "notice.unknown_need": {
        "en": "Unknown access need “{value}” ignored.",
        "zh": "已忽略未知的无障碍需求“{value}”。",
    },
    "notice.bad_filter": {
        "en": "The link's value “{value}” for {name} was ignored.",
        "zh": "已忽略链接中 {name} 的值“{value}”。",
    },
    # why a need passes, fails or is unknown (codes of itinerary/stepfree.py)
    "sf.reason.no_steps": {"en": "Entrance without steps", "zh": "入口无台阶"},
    "sf.reason.ramp": {"en": "Ramp at the entrance", "zh": "入口有坡道"},
    "sf.reason.ramp_steps": {
        "en": "Entrance steps: {steps}, with a ramp",
        "zh": "入口台阶：{steps} 级，设有坡道",
    },
    "sf.reason.steps": {"en": "Entrance steps: {steps}, no ramp", "zh": "入口台阶：{steps} 级，无坡道"},
    "sf.reason.steps_height": {
        "en": "Entrance steps: {steps} of {height} cm, no ramp",
        "zh": "入口台阶：{steps} 级，每级 {height} 厘米，无坡道",
    },
    "sf.reason.steps_ramp_unknown": {
        "en": "Entrance steps: {steps}; a ramp not surveyed",
        "zh": "入口台阶：{steps} 级；是否有坡道未调查",
    },
    "sf.reason.steps_unknown_no_ramp": {
        "en": "No ramp; entrance steps not surveyed",
        "zh": "无坡道；入口台阶未调查",
    },
    "sf.reason.entrance_unknown": {"en": "Entrance not surveyed", "zh": "入口情况未调查"},
    "sf.reason.not_published": {"en": "Not a published place", "zh": "不是已发布的地点"},
    "sf.reason.toilet_yes": {"en": "Accessible toilet", "zh": "有无障碍卫生间"},
    "sf.reason.toilet_no": {"en": "No accessible toilet", "zh": "没有无障碍卫生间"},
    "sf.reason.toilet_unknown": {"en": "Toilet not surveyed", "zh": "卫生间未调查"},
    "sf.reason.loop_yes": {"en": "Hearing loop", "zh": "有助听环路"},
    "sf.reason.loop_no": {"en": "No hearing loop", "zh": "没有助听环路"},
    "sf.reason.loop_unknown": {"en": "Hearing loop not surveyed", "zh": "助听环路未调查"},
    "sf.reason.quiet_space": {"en": "Quiet space", "zh": "有安静空间"},
    "sf.reason.quiet_hours": {"en": "Quiet hours: {hours}", "zh": "安静时段：{hours}"},
    "sf.reason.quiet_no": {"en": "No quiet space or quiet hours", "zh": "没有安静空间或安静时段"},
    "sf.reason.quiet_unknown": {"en": "Quiet space not surveyed", "zh": "安静空间未调查"},
    # the switch on Itineraries and Plan
    "sf.switch": {"en": "Step-free", "zh": "无台阶"},
    "sf.switch_help": {
        "en": "Check every stop's entrance, long walks and places to sit",
        "zh": "检查每一站的入口、较长的步行和可以坐下休息的地方",
    },
    "sf.all_pass": {
        "en": "Every stop has a step-free entrance (no steps, or a ramp).",
        "zh": "每一站都有无台阶入口（没有台阶或设有坡道）。",
    },
    "sf.issues": {
        "en": "{count} of {total} stops: not step-free or not surveyed",
        "zh": "{total} 站中有 {count} 站：入口有台阶或未调查",
    },
    "sf.fail": {"en": "Not step-free", "zh": "不满足无台阶"},
    "sf.verdict": {"en": "{verdict}: {reason}", "zh": "{verdict}：{reason}"},
    "sf.unknown": {"en": "Not surveyed", "zh": "未调查"},
    "sf.swap": {"en": "Swap for {name} ({distance} away)", "zh": "换成{name}（相距 {distance}）"},
    "sf.swap_opens_plan": {
        "en": "Opens Plan my route with this itinerary's stops, this one swapped.",
        "zh": "在“规划路线”中打开本线路的各站，并替换这一站。",
    },
    "sf.metres": {"en": "{metres} m", "zh": "{metres} 米"},
    "sf.km": {"en": "{km} km", "zh": "{km} 公里"},
    "sf.swapped": {"en": "{old} was swapped for {new}.", "zh": "已将{old}换成{new}。"},
    "sf.no_swap": {
        "en": "No step-free place of the same theme to swap in",
        "zh": "没有同主题的无台阶地点可替换",
    },
    "sf.plan_all": {
        "en": "Plan it step-free: open in Plan with all {count} swaps",
        "zh": "按无台阶规划：在“规划路线”中打开并完成全部 {count} 处替换",
    },
    "sf.long_leg": {
        "en": "Leg to {number}. {name}: about {distance} on foot (more than {limit} m)",
        "zh": "前往第 {number} 站 {name}：步行约 {distance}（超过 {limit} 米）",
    },
    "sf.long_stretch": {
        "en": "Day {day}: about {duration} walking and visiting from {first} to {last} with no stop "
        "known to have seating (more than {limit} min)",
        "zh": "第 {day} 天：从{first}到{last}约 {duration} 的步行和参观，途中没有已知可坐下休息的站点"
        "（超过 {limit} 分钟）",
    },
    "sf.long_stretch_one": {
        "en": "Day {day}: about {duration} at {first} with no seating known there (more than {limit} min)",
        "zh": "第 {day} 天：在{first}约 {duration}，那里没有已知的座位（超过 {limit} 分钟）",
    },
    "sf.legs_ok": {
        "en": "No leg on foot is longer than {limit} m.",
        "zh": "没有超过 {limit} 米的步行路段。",
    },
    "sf.legs_not_walked": {
        "en": "Legs by {mode_lower} are not counted as walking.",
        "zh": "{mode_lower}路段不计为步行。",
    },
    # the "inclusive" label
    "sf.label": {"en": "Inclusive", "zh": "无障碍友好"},
    "sf.label_earned": {
        "en": "Every one of its {count} stops has a step-free entrance, by the surveyed access data.",
        "zh": "根据已调查的无障碍信息，全部 {count} 站都有无台阶入口。",
    },
    "sf.label_missing": {
        "en": "Not labelled inclusive yet: {blocking} of its {count} stops have no confirmed step-free "
        "entrance ({detail}).",
        "zh": "尚未获得“无障碍友好”标签：{count} 站中有 {blocking} 站未确认有无台阶入口（{detail}）。",
    },
    "sf.missing_failing": {"en": "{n} with steps and no ramp", "zh": "{n} 站入口有台阶且无坡道"},
    "sf.missing_unknown": {"en": "{n} not surveyed", "zh": "{n} 站未调查"},
    "sf.label_why": {"en": "What the label is based on", "zh": "标签的依据"},
    "sf.label_way": {"en": "What stands between it and the label", "zh": "距离获得标签还差什么"},
    "sf.stop": {"en": "{number}. {name}: {reason}", "zh": "{number}. {name}：{reason}"},
}
