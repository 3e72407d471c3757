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
    # --- topics -------------------------------------------------------------------------------
    "voice.topic.hours": {"en": "Wrong opening hours", "zh": "开放时间有误"},
    "voice.topic.closed": {"en": "Closed for good", "zh": "已永久关闭"},
    "voice.topic.access": {"en": "Access facts wrong", "zh": "无障碍信息有误"},
    "voice.topic.place": {"en": "Wrong place on the map", "zh": "地图位置有误"},
    "voice.topic.other": {"en": "Something else", "zh": "其他问题"},
    "voice.topic.new": {"en": "Suggested place", "zh": "建议的地点"},
    # --- the visitor's forms (ui/voice.py) ------------------------------------------------------
    "voice.report": {"en": "Report a problem", "zh": "报告问题"},
    "voice.kept": {
        "en": "Kept: only your text, the time and the page. Nothing about you: no name, no address, "
        "no cookie. Staff read it before anything changes; other visitors never see it.",
        "zh": "我们只保存您写的内容、时间和页面，不保存任何关于您的信息：没有姓名、没有地址、没有 Cookie。"
        "工作人员审阅后才会修改；其他访客看不到您的内容。",
    },
    "voice.report.topic": {"en": "What is wrong?", "zh": "哪里有误？"},
    "voice.report.text": {"en": "Tell us briefly (optional)", "zh": "简要说明（可选）"},
    "voice.report.value": {"en": "The correct value (optional)", "zh": "正确的信息（可选）"},
    "voice.value_help.hours": {
        "en": "The opening hours as they are now, e.g. Tue-Sun 10:00-18:00",
        "zh": "现在的开放时间，例如 周二至周日 10:00-18:00",
    },
    "voice.value_help.closed": {
        "en": "Since when, if you know",
        "zh": "如果知道，请写明从何时起",
    },
    "voice.value_help.access": {
        "en": "What is really there, e.g. 3 steps at the entrance, no ramp",
        "zh": "实际情况，例如 入口有 3 级台阶，没有坡道",
    },
    "voice.value_help.place": {"en": "Click the map where the place is", "zh": "请在地图上点击该地点的位置"},
    "voice.value_help.other": {"en": "What it should say", "zh": "应当怎样写"},
    "voice.point.show_map": {"en": "Choose the point on a map", "zh": "在地图上选择位置"},
    "voice.point.hint": {"en": "Click the map where the place is.", "zh": "请在地图上点击该地点的位置。"},
    "voice.point.chosen": {"en": "Chosen point: {lat}, {lon}", "zh": "已选位置：{lat}, {lon}"},
    "voice.point.chosen_pin": {"en": "The point you chose", "zh": "您选择的位置"},
    "voice.send": {"en": "Send to the city's staff", "zh": "发送给城市工作人员"},
    "voice.thanks": {
        "en": "Thank you. The city's staff will check it; nothing changes before they do.",
        "zh": "谢谢！城市工作人员会核实；核实前不会有任何改动。",
    },
    "voice.suggest": {"en": "Suggest a place", "zh": "推荐地点"},
    "voice.suggest.name": {"en": "The place's name", "zh": "地点名称"},
    "voice.suggest.why": {"en": "Why visitors should go there", "zh": "推荐理由"},
    "voice.suggest.theme": {"en": "Theme", "zh": "主题"},
    "voice.suggest.no_theme": {"en": "Not sure", "zh": "不确定"},
    # --- the staff's Inbox (ui/staff_inbox.py) ------------------------------------------------
    "voice.section.inbox": {"en": "Inbox ({count})", "zh": "收件箱（{count}）"},
    "voice.section.reach": {"en": "Reach", "zh": "访问统计"},
    "voice.sidebar.pending": {
        "en": ":material/inbox: **{count}** new from visitors",
        "zh": ":material/inbox: 访客新消息 **{count}** 条",
    },
    "voice.inbox.title": {
        "en": "Visitors' reports and suggestions: {city}",
        "zh": "访客的报告与推荐：{city}",
    },
    "voice.inbox.help": {
        "en": "Oldest first. Nothing here is shown to visitors unless you accept it. A suggestion becomes a "
        "draft landmark; a correction opens the landmark editor with the proposed value filled in.",
        "zh": "按时间先后排列。未经您接受，这里的内容不会显示给访客。推荐的地点会成为草稿地标；"
        "纠错会打开地标编辑器并填入建议的值。",
    },
    "voice.inbox.empty": {"en": "Nothing new from visitors.", "zh": "没有访客的新消息。"},
    "voice.inbox.report": {"en": "{topic}: {name}", "zh": "{topic}：{name}"},
    "voice.inbox.suggestion": {"en": "Suggested place: {name}", "zh": "推荐地点：{name}"},
    "voice.inbox.sent": {"en": "Sent {when} from {page} ({lang})", "zh": "{when} 发自 {page}（{lang}）"},
    "voice.inbox.text": {"en": "Visitor wrote: {text}", "zh": "访客写道：{text}"},
    "voice.inbox.proposed": {"en": "Proposed value: {value}", "zh": "建议的值：{value}"},
    "voice.inbox.theme": {"en": "Theme: {theme}", "zh": "主题：{theme}"},
    "voice.inbox.point": {"en": "Point: {lat}, {lon}", "zh": "位置：{lat}, {lon}"},
    "voice.inbox.accept": {"en": "Accept: open in the editor", "zh": "接受：在编辑器中打开"},
    "voice.inbox.accept_draft": {"en": "Accept: make a draft", "zh": "接受：创建草稿"},
    "voice.inbox.spam": {"en": "Mark as spam", "zh": "标记为垃圾信息"},
    "voice.inbox.reject": {"en": "Reject…", "zh": "拒绝…"},
    "voice.inbox.reason": {"en": "Reason", "zh": "原因"},
    "voice.inbox.reason_text": {"en": "The reason, in your words", "zh": "原因（自行填写）"},
    "voice.inbox.reject_button": {"en": "Reject", "zh": "拒绝"},
    "voice.inbox.accepted_draft": {
        "en": "Accepted: a draft landmark to complete is open in the editor.",
        "zh": "已接受：待完善的草稿地标已在编辑器中打开。",
    },
    "voice.inbox.rejected": {"en": "Rejected.", "zh": "已拒绝。"},
    "voice.inbox.marked_spam": {"en": "Marked as spam.", "zh": "已标记为垃圾信息。"},
    "voice.inbox.history": {"en": "Decisions ({count})", "zh": "处理记录（{count}）"},
    "voice.inbox.history_none": {"en": "No decisions yet.", "zh": "尚无处理记录。"},
    "voice.reason.wrong": {"en": "Not correct", "zh": "信息不正确"},
    "voice.reason.duplicate": {"en": "Already known", "zh": "重复"},
    "voice.reason.not_a_place": {"en": "Not a place to visit", "zh": "不是可参观的地点"},
    "voice.reason.out_of_area": {"en": "Outside the city", "zh": "不在本市范围内"},
    "voice.reason.own": {"en": "In my words", "zh": "自行填写"},
    "voice.action.accept": {"en": "accepted", "zh": "已接受"},
    "voice.action.reject": {"en": "rejected", "zh": "已拒绝"},
    "voice.action.spam": {"en": "spam", "zh": "垃圾信息"},
    "voice.col.when": {"en": "When", "zh": "时间"},
    "voice.col.who": {"en": "Who", "zh": "处理人"},
    "voice.col.action": {"en": "Decision", "zh": "决定"},
    "voice.col.item": {"en": "Message", "zh": "消息编号"},
    "voice.col.reason": {"en": "Reason", "zh": "原因"},
    "voice.col.result": {"en": "Draft made", "zh": "创建的草稿"},
    "voice.field.opening_hours": {"en": "Opening hours", "zh": "开放时间"},
    "voice.field.status": {"en": "Status", "zh": "状态"},
    "voice.field.access_note": {"en": "Access note", "zh": "无障碍说明"},
    "voice.field.lat": {"en": "Latitude", "zh": "纬度"},
    "voice.field.lon": {"en": "Longitude", "zh": "经度"},
    "voice.proposal.marked": {
        "en": "A visitor's correction ({topic}) is filled in and outlined: {values}. Check it, then save.",
        "zh": "已填入并标出访客的纠错（{topic}）：{values}。请核对后保存。",
    },
    "voice.proposal.no_value": {
        "en": "A visitor reported: {topic}. No value was proposed; see the Inbox's history for the text.",
        "zh": "访客报告：{topic}。未提供建议的值。",
    },
    "voice.proposal.draft": {
        "en": "A visitor suggested this place: complete it (names, summary, hours), then publish.",
        "zh": "这是访客推荐的地点：请补充信息（名称、简介、开放时间）后发布。",
    },
    # --- Reach (ui/staff_reach.py) ----------------------------------------------------------------
    "reach.all_cities": {"en": "All cities", "zh": "所有城市"},
    "reach.period": {"en": "Period", "zh": "时间段"},
    "reach.days": {"en": "Last {days} days", "zh": "最近 {days} 天"},
    "reach.privacy": {
        "en": "Daily totals only. Never counted: who you are, cookies or local storage, addresses, "
        "browsers, or one visitor's path through the pages. A page counts once per browser session.",
        "zh": "只有每日总数。从不记录：访客身份、Cookie 或本地存储、地址、浏览器信息，以及单个访客的浏览路径。"
        "每个浏览器会话中的每个页面只计一次。",
    },
    "reach.none": {"en": "No figures for this period yet.", "zh": "该时间段还没有数据。"},
    "reach.empty": {"en": "Nothing counted in this period.", "zh": "该时间段没有计数。"},
    "reach.count": {"en": "Count", "zh": "次数"},
    "reach.day": {"en": "Day", "zh": "日期"},
    "reach.what": {"en": "What", "zh": "类别"},
    "reach.trend": {"en": "Trends", "zh": "趋势"},
    "reach.trend_help": {
        "en": "Per day (in the city's time zone): page views (once per browser session and page), itinerary and "
        "programme opens, exports and kiosk QR hand-offs. Not counted: reloads in the same session, staff pages.",
        "zh": "按日（城市时区）：页面浏览（每个浏览器会话每页一次）、路线和活动打开次数、导出以及自助机二维码带走次数。"
        "不计：同一会话中的刷新、工作人员页面。",
    },
    "reach.pages": {"en": "Page views by page and language", "zh": "按页面和语言统计的浏览"},
    "reach.pages_help": {
        "en": "Each page once per browser session, in the language it was read in. Not counted: staff pages, "
        "who read them.",
        "zh": "每个浏览器会话每页计一次，按阅读时的语言。不计：工作人员页面、读者身份。",
    },
    "reach.page": {"en": "Page", "zh": "页面"},
    "reach.language": {"en": "Language", "zh": "语言"},
    "reach.top": {"en": "Top itineraries", "zh": "热门路线"},
    "reach.top_help": {
        "en": "Itinerary pages opened, once per browser session. Not counted: how long they were looked at.",
        "zh": "路线页面被打开的次数，每个浏览器会话一次。不计：浏览时长。",
    },
    "reach.itinerary": {"en": "Itinerary", "zh": "路线"},
    "reach.exports": {"en": "Exports by format", "zh": "按格式统计的导出"},
    "reach.exports_help": {
        "en": "Plan downloads per file format. Not counted: QR codes scanned from the screen, copied links.",
        "zh": "按文件格式统计的行程下载次数。不计：从屏幕扫描的二维码、复制的链接。",
    },
    "reach.format": {"en": "Format", "zh": "格式"},
    "reach.kiosk": {"en": "Kiosk sessions per hour", "zh": "自助机每小时使用情况"},
    "reach.kiosk_help": {
        "en": "Touches on the kiosk's screen and its idle resets (about one per group of visitors), per hour of "
        "the chosen day. Not counted: people who only watched the loop.",
        "zh": "所选日期每小时的自助机触摸次数及闲置重置次数（大约每组访客一次）。不计：只观看轮播的人。",
    },
    "reach.kiosk_day": {"en": "Event day", "zh": "活动日期"},
    "reach.hour": {"en": "Hour", "zh": "小时"},
    "reach.searches": {"en": "Searches that found nothing", "zh": "无结果的搜索"},
    "reach.searches_help": {
        "en": "What visitors looked for on Explore that the city does not show yet, as typed (lower case, without "
        "punctuation), once per session; shown from {minimum} searches on. Not counted: searches that found places.",
        "zh": "访客在“探索”中搜索但本市尚未展示的内容（小写、去除标点），每个会话一次；达到 {minimum} 次才显示。"
        "不计：有结果的搜索。",
    },
    "reach.search": {"en": "Search", "zh": "搜索词"},
    "reach.csv": {"en": "Download these figures (CSV)", "zh": "下载这些数据（CSV）"},
    "reach.event.page_view": {"en": "Page views", "zh": "页面浏览"},
    "reach.event.itinerary_open": {"en": "Itinerary opens", "zh": "路线打开"},
    "reach.event.programme_open": {"en": "Programme opens", "zh": "活动打开"},
    "reach.event.export": {"en": "Exports", "zh": "导出"},
    "reach.event.qr_handoff": {"en": "Kiosk QR hand-offs", "zh": "自助机二维码带走"},
    "reach.event.kiosk_touch": {"en": "Kiosk touches", "zh": "自助机触摸"},
    "reach.event.kiosk_reset": {"en": "Idle resets", "zh": "闲置重置"},
    "reach.event.search_empty": {"en": "Searches with no result", "zh": "无结果搜索"},
}
