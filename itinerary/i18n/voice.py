"""Strings of visitors' voice (reports, suggestions, the staff's Inbox) and of Reach (the usage
figures): issue 13."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- refusals (itinerary/voice/checks.py, throttle.py, inbox.py) -----------------------------
    "voice.refused.too_long": {
        "en": "Please keep it shorter: at most {limit} characters (you wrote {length}).",
        "zh": "请写得简短一些：最多 {limit} 个字符（您写了 {length} 个）。",
    },
    "voice.refused.too_many_links": {
        "en": "Please include at most {limit} link.",
        "zh": "最多只能包含 {limit} 个链接。",
    },
    "voice.refused.spam": {
        "en": "This looks like advertising, so it was not sent. Please describe the problem in your own words.",
        "zh": "这看起来像广告，因此未发送。请用您自己的话描述问题。",
    },
    "voice.refused.bad_point": {"en": "That point is not on the map.", "zh": "该位置不在地图上。"},
    "voice.refused.unknown_topic": {"en": "Please choose what is wrong.", "zh": "请选择问题类型。"},
    "voice.refused.unknown_landmark": {
        "en": "This place is no longer shown, so it cannot be reported.",
        "zh": "该地点已不再显示，无法报告。",
    },
    "voice.refused.no_point": {
        "en": "Please click the map where the place is.",
        "zh": "请在地图上点击该地点的位置。",
    },
    "voice.refused.empty": {
        "en": "Please say what is wrong, or give the correct value.",
        "zh": "请说明问题，或填写正确的信息。",
    },
    "voice.refused.no_name": {
        "en": "Please give the place's name (at least {minimum} characters).",
        "zh": "请填写地点名称（至少 {minimum} 个字符）。",
    },
    "voice.refused.unknown_theme": {
        "en": "Please choose a theme from the list.",
        "zh": "请从列表中选择主题。",
    },
    "voice.refused.rate_session": {
        "en": "Thank you, you have sent several already. Please try again in {minutes} minutes.",
        "zh": "感谢您，您已发送多条。请在 {minutes} 分钟后再试。",
    },
    "voice.refused.rate_app": {
        "en": "Many messages have arrived just now. Please try again later.",
        "zh": "刚才收到的消息太多。请稍后再试。",
    },
    "voice.refused.no_item": {"en": "This message is gone (purged).", "zh": "该消息已不存在（已清除）。"},
    "voice.refused.already_decided": {
        "en": "Someone has decided on this message already.",
        "zh": "已有人处理了这条消息。",
    },
    "voice.refused.not_a_suggestion": {
        "en": "Only a suggested place becomes a draft.",
        "zh": "只有建议的地点才能成为草稿。",
    },
}
