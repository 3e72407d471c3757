"""Access facts: their problems, their names in the editor and the history, and the card's lines.

The card's wording is built by ``itinerary.access_facts`` from these strings; the editor's field
names (``access.field.<column>``) are also what the curation history shows for a change.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- problems of a cell (itinerary.columns) ---------------------------------------------------
    "problem.not_yes_no_or_empty": {
        "en": "{value!r} is not yes or no (leave it empty when not surveyed)",
        "zh": "{value!r} 不是 yes 或 no（未调查时请留空）",
    },
    "problem.not_a_date": {
        "en": "{value!r} is not a date YYYY-MM-DD",
        "zh": "{value!r} 不是 YYYY-MM-DD 格式的日期",
    },
    "problem.date_in_future": {
        "en": "{value!r} is in the future",
        "zh": "{value!r} 是未来的日期",
    },
}
STRINGS |= {
    # --- the card's lines (itinerary.access_facts) ---------------------------------------------
    "access.heading": {"en": "Access", "zh": "无障碍信息"},
    "access.step_free": {"en": "Step-free entrance", "zh": "入口无台阶"},
    "access.one_step": {"en": "1 step at the entrance", "zh": "入口有1级台阶"},
    "access.steps": {"en": "{count} steps at the entrance", "zh": "入口有{count}级台阶"},
    "access.one_step_cm": {"en": "1 step, {cm} cm", "zh": "1级台阶，高{cm}厘米"},
    "access.steps_cm": {"en": "{count} steps, up to {cm} cm", "zh": "{count}级台阶，最高{cm}厘米"},
    "access.ramp": {"en": "Ramp at the entrance", "zh": "入口有坡道"},
    "access.no_ramp": {"en": "No ramp at the entrance", "zh": "入口无坡道"},
    "access.door_cm": {"en": "Door {cm} cm wide", "zh": "门宽{cm}厘米"},
    "access.door_automatic": {"en": "Automatic door", "zh": "自动门"},
    "access.door_automatic_cm": {"en": "Automatic door, {cm} cm wide", "zh": "自动门，宽{cm}厘米"},
    "access.door_manual": {"en": "Door opened by hand", "zh": "手动门"},
    "access.door_manual_cm": {"en": "Door opened by hand, {cm} cm wide", "zh": "手动门，宽{cm}厘米"},
    "access.toilet_wheelchair.yes": {"en": "Accessible toilet", "zh": "有无障碍卫生间"},
    "access.toilet_wheelchair.no": {"en": "No accessible toilet", "zh": "无无障碍卫生间"},
    "access.lift_all_floors.yes": {"en": "Lift to every public floor", "zh": "电梯通达所有公共楼层"},
    "access.lift_all_floors.no": {"en": "Not every floor by lift", "zh": "并非所有楼层都有电梯可达"},
    "access.parking_wheelchair.yes": {"en": "Accessible parking", "zh": "有无障碍停车位"},
    "access.parking_wheelchair.no": {"en": "No accessible parking", "zh": "无无障碍停车位"},
    "access.hearing_loop.yes": {"en": "Hearing loop", "zh": "有助听环路"},
    "access.hearing_loop.no": {"en": "No hearing loop", "zh": "无助听环路"},
    "access.tactile_guidance.yes": {"en": "Tactile or Braille guidance", "zh": "有盲道或盲文导引"},
    "access.tactile_guidance.no": {"en": "No tactile or Braille guidance", "zh": "无盲道或盲文导引"},
    "access.quiet_space.yes": {"en": "Quiet space", "zh": "有安静空间"},
    "access.quiet_space.no": {"en": "No quiet space", "zh": "无安静空间"},
    "access.seating.yes": {"en": "Seating inside", "zh": "室内有座椅"},
    "access.seating.no": {"en": "No seating inside", "zh": "室内无座椅"},
    "access.quiet_hours": {"en": "Quiet hours: {hours}", "zh": "安静时段：{hours}"},
    "access.none_surveyed": {"en": "Access not surveyed", "zh": "无障碍信息未调查"},
    "access.unsurveyed": {"en": "Not surveyed: {facts}", "zh": "未调查：{facts}"},
    "access.list_separator": {"en": ", ", "zh": "、"},
    "access.surveyed_on_by": {"en": "Surveyed {date} by {by}", "zh": "{date}由{by}调查"},
    "access.surveyed_on": {"en": "Surveyed {date}", "zh": "{date}调查"},
    "access.surveyed_by": {"en": "Surveyed by {by}", "zh": "由{by}调查"},
    # the facts by name, in "Not surveyed: ..."
    "access.name.entrance": {"en": "entrance", "zh": "入口"},
    "access.name.toilet_wheelchair": {"en": "accessible toilet", "zh": "无障碍卫生间"},
    "access.name.lift_all_floors": {"en": "lift", "zh": "电梯"},
    "access.name.parking_wheelchair": {"en": "parking", "zh": "停车"},
    "access.name.hearing_loop": {"en": "hearing loop", "zh": "助听环路"},
    "access.name.tactile_guidance": {"en": "tactile guidance", "zh": "盲道导引"},
    "access.name.quiet_space": {"en": "quiet space", "zh": "安静空间"},
    "access.name.seating": {"en": "seating", "zh": "座椅"},
}
STRINGS |= {
    # --- the editor's fields, also the names the curation history shows --------------------------
    "access.editor": {"en": "Access facts", "zh": "无障碍信息"},
    "access.editor_help": {
        "en": 'Measured facts, not ratings. Leave a fact empty ("not surveyed") unless someone checked it: '
        '"no" means checked and absent.',
        "zh": "填写实测事实而非评级。未经核实的项目请留空（“未调查”）：“否”表示已核实且没有。",
    },
    "access.choice.unknown": {"en": "Not surveyed", "zh": "未调查"},
    "access.choice.yes": {"en": "Yes", "zh": "是"},
    "access.choice.no": {"en": "No", "zh": "否"},
    "access.field.district_zh": {"en": "District (Chinese)", "zh": "区（中文）"},
    "access.field.address_zh": {"en": "Address (Chinese)", "zh": "地址（中文）"},
    "access.field.entrance_steps": {"en": "Steps at the entrance", "zh": "入口台阶数"},
    "access.field.entrance_step_height_cm": {"en": "Highest step (cm)", "zh": "最高台阶（厘米）"},
    "access.field.entrance_ramp": {"en": "Ramp at the entrance", "zh": "入口坡道"},
    "access.field.door_width_cm": {"en": "Door width (cm)", "zh": "门宽（厘米）"},
    "access.field.automatic_door": {"en": "Automatic door", "zh": "自动门"},
    "access.field.toilet_wheelchair": {"en": "Accessible toilet", "zh": "无障碍卫生间"},
    "access.field.lift_all_floors": {"en": "Lift to every public floor", "zh": "电梯通达所有公共楼层"},
    "access.field.parking_wheelchair": {"en": "Accessible parking", "zh": "无障碍停车位"},
    "access.field.hearing_loop": {"en": "Hearing loop", "zh": "助听环路"},
    "access.field.tactile_guidance": {"en": "Tactile or Braille guidance", "zh": "盲道或盲文导引"},
    "access.field.quiet_space": {"en": "Quiet space", "zh": "安静空间"},
    "access.field.quiet_hours": {
        "en": "Quiet hours (opening-hours syntax)",
        "zh": "安静时段（开放时间格式）",
    },
    "access.field.seating": {"en": "Seating inside", "zh": "室内座椅"},
    "access.field.access_note": {"en": "Access description (English)", "zh": "无障碍说明（英文）"},
    "access.field.access_note_zh": {"en": "Access description (Chinese)", "zh": "无障碍说明（中文）"},
    "access.field.access_surveyed": {"en": "Surveyed on (YYYY-MM-DD)", "zh": "调查日期（YYYY-MM-DD）"},
    "access.field.access_surveyed_by": {"en": "Surveyed by", "zh": "调查者"},
}
