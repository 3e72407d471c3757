"""UI strings in English and Chinese: ``t(key, lang, **values)``.

Content (names, summaries) is not here: it comes from the data with ``_zh`` columns that fall
back to English (``catalog.localized``).
"""

from __future__ import annotations

LANGS = ("en", "zh")
LANG_NAMES = {"en": "English", "zh": "中文"}

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "CityPlus Explorer", "zh": "城市+ 探索"},
    "app.tagline": {
        "en": "Landmarks and itineraries of {city}",
        "zh": "{city}的地标与行程",
    },
    "picker.city": {"en": "City", "zh": "城市"},
    "picker.language": {"en": "Language", "zh": "语言"},
    "nav.explore": {"en": "Explore", "zh": "探索"},
    "nav.itineraries": {"en": "Itineraries", "zh": "精选行程"},
    "nav.plan": {"en": "Plan my route", "zh": "规划我的路线"},
    "nav.kiosk": {"en": "Kiosk", "zh": "展台"},
    "nav.curate": {"en": "Curate", "zh": "内容管理"},
    "home.landmarks": {"en": "Landmarks ({count})", "zh": "地标（{count}）"},
    "home.itineraries": {"en": "Itineraries ({count})", "zh": "行程（{count}）"},
    "home.stops": {"en": "{count} stops", "zh": "{count} 站"},
    "col.name": {"en": "Name", "zh": "名称"},
    "col.district": {"en": "District", "zh": "区域"},
    "col.themes": {"en": "Themes", "zh": "主题"},
    "col.visit": {"en": "Visit (min)", "zh": "游览（分钟）"},
    "col.hours": {"en": "Opening hours", "zh": "开放时间"},
    "col.wheelchair": {"en": "Wheelchair", "zh": "无障碍"},
    "col.price": {"en": "Price", "zh": "价格"},
    "wheelchair.yes": {"en": "Wheelchair accessible", "zh": "轮椅可达"},
    "wheelchair.limited": {"en": "Partly accessible", "zh": "部分无障碍"},
    "wheelchair.no": {"en": "Not wheelchair accessible", "zh": "轮椅不可达"},
    "wheelchair.unknown": {"en": "Access unknown", "zh": "无障碍信息未知"},
    "price.free": {"en": "Free", "zh": "免费"},
    "price.unknown": {"en": "Price unknown", "zh": "价格未知"},
    "mode.walk": {"en": "Walk", "zh": "步行"},
    "mode.bike": {"en": "Bike", "zh": "骑行"},
    "mode.transit": {"en": "Public transport", "zh": "公共交通"},
    "mode.drive": {"en": "Drive", "zh": "驾车"},
    "explore.title": {"en": "Explore {city}", "zh": "探索{city}"},
    "explore.search": {"en": "Search", "zh": "搜索"},
    "explore.search_placeholder": {
        "en": "Name, district or keyword, in English or 中文",
        "zh": "名称、区域或关键词（中英文均可）",
    },
    "explore.themes": {"en": "Themes", "zh": "主题"},
    "explore.more_filters": {"en": "More filters", "zh": "更多筛选"},
    "explore.wheelchair": {"en": "Wheelchair access", "zh": "无障碍通行"},
    "explore.wheelchair_any": {"en": "Any", "zh": "不限"},
    "explore.wheelchair_yes": {"en": "Accessible", "zh": "轮椅可达"},
    "explore.wheelchair_limited": {"en": "At least partly", "zh": "至少部分可达"},
    "explore.free": {"en": "Free entry", "zh": "免费入场"},
    "explore.open_now": {"en": "Open now", "zh": "正在开放"},
    "explore.district": {"en": "District", "zh": "区域"},
    "explore.count": {"en": "{count} of {total} landmarks match", "zh": "{total} 个地标中有 {count} 个符合"},
    "explore.count_all": {"en": "{total} landmarks", "zh": "共 {total} 个地标"},
    "explore.none": {
        "en": "No landmark matches these filters.",
        "zh": "没有符合这些筛选条件的地标。",
    },
    "explore.clear": {"en": "Clear filters", "zh": "清除筛选"},
    "explore.list": {"en": "Matching landmarks", "zh": "符合条件的地标"},
    "explore.list_cut": {
        "en": "Showing the first {shown} of {count}: search or filter to narrow the list.",
        "zh": "仅显示前 {shown} 个（共 {count} 个），请搜索或筛选以缩小范围。",
    },
    "explore.pick_hint": {
        "en": "Choose a landmark in the list or click its pin on the map to see its card.",
        "zh": "在列表中选择地标或点击地图上的标记，即可查看详情。",
    },
    "explore.legend": {"en": "Themes", "zh": "主题"},
    "explore.map_note": {
        "en": "Map: if tiles do not load (offline), pins and cards still work.",
        "zh": "地图：若底图无法加载（离线），标记和详情仍可使用。",
    },
    "notice.unknown_theme": {
        "en": "Unknown theme “{value}” in the link was ignored.",
        "zh": "链接中的主题“{value}”不存在，已忽略。",
    },
    "notice.unknown_landmark": {
        "en": "Landmark “{value}” is not in this city; the link’s choice was ignored.",
        "zh": "地标“{value}”不在此城市，已忽略链接中的选择。",
    },
    "card.close": {"en": "Close", "zh": "关闭"},
    "card.hours_line": {"en": "Opening hours: {hours}", "zh": "开放时间：{hours}"},
    "card.hours_unknown": {"en": "Opening hours unknown", "zh": "开放时间未知"},
    "card.open_until": {"en": "Open now · closes {time}", "zh": "正在开放 · {time} 关闭"},
    "card.open": {"en": "Open now", "zh": "正在开放"},
    "card.closed_until": {"en": "Closed now · opens {time}", "zh": "现已关闭 · {time} 开放"},
    "card.closed": {"en": "Closed now", "zh": "现已关闭"},
    "card.visit": {"en": "Typical visit: {minutes} min", "zh": "建议游览：{minutes} 分钟"},
    "card.price": {"en": "Price: {price}", "zh": "价格：{price}"},
    "card.address": {"en": "Address: {address}", "zh": "地址：{address}"},
    "card.website": {"en": "Website", "zh": "官方网站"},
    "card.district": {"en": "District: {district}", "zh": "区域：{district}"},
    "day.0": {"en": "Mon", "zh": "周一"},
    "day.1": {"en": "Tue", "zh": "周二"},
    "day.2": {"en": "Wed", "zh": "周三"},
    "day.3": {"en": "Thu", "zh": "周四"},
    "day.4": {"en": "Fri", "zh": "周五"},
    "day.5": {"en": "Sat", "zh": "周六"},
    "day.6": {"en": "Sun", "zh": "周日"},
    "itin.title": {"en": "Itineraries in {city}", "zh": "{city}精选行程"},
    "itin.none": {"en": "This city has no published itineraries yet.", "zh": "该城市还没有发布行程。"},
    "itin.card_meta": {
        "en": "{stops} stops · about {hours} · {km} km · {mode}",
        "zh": "{stops} 站 · 约 {hours} · {km} 公里 · {mode}",
    },
    "itin.choose": {"en": "Show this itinerary", "zh": "查看此行程"},
    "itin.back": {"en": "All itineraries", "zh": "全部行程"},
    "itin.mode": {"en": "Travel mode", "zh": "出行方式"},
    "itin.start": {"en": "Start time", "zh": "出发时间"},
    "itin.date": {"en": "Date", "zh": "日期"},
    "itin.customise": {"en": "Customise in Plan my route", "zh": "在“规划我的路线”中自定义"},
    "itin.estimate_note": {
        "en": "Travel times are estimates: straight-line distance × {detour} over {speed} km/h, "
        "plus {overhead} min per leg for {mode_lower}.",
        "zh": "交通时间为估算值：直线距离 × {detour}，按 {speed} 公里/小时计算，{mode_lower}每段另加 {overhead} 分钟。",
    },
    "itin.unknown": {
        "en": "Itinerary “{value}” is not in this city; showing the list instead.",
        "zh": "行程“{value}”不在此城市，已改为显示行程列表。",
    },
    "notice.bad_mode": {
        "en": "Unknown travel mode “{value}” ignored.",
        "zh": "出行方式“{value}”无效，已忽略。",
    },
    "notice.bad_start": {
        "en": "Start time “{value}” is not HH:MM; ignored.",
        "zh": "出发时间“{value}”格式无效，已忽略。",
    },
    "notice.bad_date": {
        "en": "Date “{value}” is not YYYY-MM-DD; ignored.",
        "zh": "日期“{value}”格式无效，已忽略。",
    },
    "tl.leg": {
        "en": "{minutes} min · {km} km by {mode_lower} (estimate)",
        "zh": "{mode_lower}约 {minutes} 分钟 · {km} 公里（估算）",
    },
    "tl.visit": {
        "en": "{arrive}–{depart} · visit {minutes} min",
        "zh": "{arrive}–{depart} · 游览 {minutes} 分钟",
    },
    "tl.wait": {"en": "waits {minutes} min for opening", "zh": "需等待 {minutes} 分钟开门"},
    "tl.totals": {
        "en": "Total {hours}: {travel} min travelling ({km} km), {visit} min visiting; back at {end}.",
        "zh": "共 {hours}：交通 {travel} 分钟（{km} 公里），游览 {visit} 分钟；约 {end} 结束。",
    },
    "tl.day": {"en": "Day {n} · {date}", "zh": "第 {n} 天 · {date}"},
    "warn.closed_on_date": {"en": "Closed on this date", "zh": "当日不开放"},
    "warn.closed_on_arrival": {"en": "Already closed when you arrive", "zh": "到达时已关闭"},
    "warn.closes_before_end": {
        "en": "Closes at {time}, before the visit ends",
        "zh": "{time} 关闭，早于游览结束",
    },
    "warn.opens_later": {"en": "Opens later: waits until {time}", "zh": "尚未开放：需等到 {time}"},
    "warn.unknown_hours": {"en": "Opening hours unknown", "zh": "开放时间未知"},
    "plan.title": {"en": "Plan my route in {city}", "zh": "规划{city}路线"},
    "plan.empty": {
        "en": "Your route is empty: add landmarks from the list below, or click pins on the map.",
        "zh": "路线还是空的：从下方列表添加地标，或点击地图上的标记。",
    },
    "plan.stops": {"en": "Your stops ({count})", "zh": "我的站点（{count}）"},
    "plan.add": {"en": "Add a landmark", "zh": "添加地标"},
    "plan.add_button": {"en": "Add", "zh": "添加"},
    "plan.add_placeholder": {"en": "Type to search landmarks", "zh": "输入以搜索地标"},
    "plan.up": {"en": "Move up", "zh": "上移"},
    "plan.down": {"en": "Move down", "zh": "下移"},
    "plan.remove": {"en": "Remove", "zh": "移除"},
    "plan.must": {"en": "Must-see", "zh": "必去"},
    "plan.dropped": {
        "en": "Not in this city, dropped from the link: {ids}",
        "zh": "以下地标不在此城市，已从链接中移除：{ids}",
    },
    "plan.map_hint": {"en": "Click a pin to add it to your route.", "zh": "点击地图上的标记即可加入路线。"},
    "plan.start_point": {"en": "Start from", "zh": "出发地点"},
    "plan.start_first": {"en": "The first stop", "zh": "第一站"},
    "plan.start_address": {"en": "An address or hotel", "zh": "地址或酒店"},
    "plan.address": {"en": "Address, hotel or coordinates", "zh": "地址、酒店或坐标"},
    "plan.find": {"en": "Find", "zh": "查找"},
    "plan.use_start": {"en": "Start here", "zh": "从这里出发"},
    "plan.origin": {"en": "Start: {label}", "zh": "出发：{label}"},
    "plan.clear_origin": {"en": "Start at the first stop instead", "zh": "改为从第一站出发"},
    "plan.geo.offline": {
        "en": "Address search is not available (offline). Showing matching landmarks and typed coordinates only.",
        "zh": "地址搜索不可用（离线），仅显示匹配的地标和输入的坐标。",
    },
    "plan.geo.timeout": {
        "en": "The address search did not answer in time. Showing matching landmarks only.",
        "zh": "地址搜索超时，仅显示匹配的地标。",
    },
    "plan.geo.rate_limited": {
        "en": "The address search is busy; try again in a moment. Showing matching landmarks only.",
        "zh": "地址搜索繁忙，请稍后再试。仅显示匹配的地标。",
    },
    "plan.geo.not_found": {"en": "Nothing found for that search.", "zh": "没有找到相关结果。"},
    "plan.geo.service_error": {
        "en": "The address search failed. Showing matching landmarks only.",
        "zh": "地址搜索出错，仅显示匹配的地标。",
    },
    "plan.optimise": {"en": "Optimise order", "zh": "优化顺序"},
    "plan.keep_end": {"en": "Keep the last stop last", "zh": "最后一站保持不变"},
    "plan.round_trip": {"en": "Round trip (back to the start)", "zh": "往返（回到起点）"},
    "plan.optimised": {
        "en": "New order: about {after} min of travel instead of {before} min.",
        "zh": "新顺序：交通约 {after} 分钟（原为 {before} 分钟）。",
    },
    "plan.late": {
        "en": "Cannot be visited while open on that day: {names}. Try another date or start time.",
        "zh": "以下地点当天无法在开放时间内到达：{names}。请换个日期或出发时间。",
    },
    "plan.fit": {"en": "Fit my time", "zh": "按时间安排"},
    "plan.budget": {"en": "Time available (hours)", "zh": "可用时间（小时）"},
    "plan.fitted": {
        "en": "Kept {kept} of {total} stops to fit {hours} h; left out: {names}.",
        "zh": "为在 {hours} 小时内完成，保留了 {total} 站中的 {kept} 站；未安排：{names}。",
    },
    "plan.fitted_all": {"en": "All stops fit in {hours} h.", "zh": "所有站点都能在 {hours} 小时内完成。"},
    "plan.must_too_long": {
        "en": "Even the must-see stops need more than {hours} h.",
        "zh": "仅必去站点就需要超过 {hours} 小时。",
    },
    "plan.take": {"en": "Take it with you", "zh": "随身带走"},
    "plan.link": {"en": "Link to this plan", "zh": "本路线链接"},
    "plan.qr_png": {"en": "QR code (PNG)", "zh": "二维码（PNG）"},
    "plan.qr_svg": {"en": "QR code (SVG)", "zh": "二维码（SVG）"},
    "plan.dl.gpx": {"en": "GPX (maps apps)", "zh": "GPX（地图应用）"},
    "plan.dl.ics": {"en": "Calendar (.ics)", "zh": "日历（.ics）"},
    "plan.dl.geojson": {"en": "GeoJSON", "zh": "GeoJSON 数据"},
    "plan.dl.csv": {"en": "Spreadsheet (CSV)", "zh": "表格（CSV）"},
    "plan.dl.kml": {"en": "KML (Google Earth)", "zh": "KML（谷歌地球）"},
    "plan.dl.html": {"en": "Printable page", "zh": "打印版页面"},
    "kiosk.welcome": {"en": "Discover {city}", "zh": "发现{city}"},
    "kiosk.touch": {"en": "Touch a theme or a route to start", "zh": "轻触主题或路线开始探索"},
    "kiosk.themes": {"en": "Themes", "zh": "主题"},
    "kiosk.routes": {"en": "Routes", "zh": "路线"},
    "kiosk.stop_of": {"en": "Stop {n} of {total} · {route}", "zh": "第 {n} 站，共 {total} 站 · {route}"},
    "kiosk.take": {"en": "Take it with you", "zh": "扫码带走"},
    "kiosk.scan": {
        "en": "Scan with your phone's camera to open this route.",
        "zh": "用手机相机扫码，即可在手机上打开这条路线。",
    },
    "kiosk.back": {"en": "Back to the tour", "zh": "返回导览"},
    "kiosk.idle_note": {
        "en": "Returns to the tour after {seconds} s without a touch.",
        "zh": "{seconds} 秒无操作后自动返回导览。",
    },
    "kiosk.no_theme_route": {
        "en": "No route for this theme yet: here are its places.",
        "zh": "该主题暂无路线，以下是相关地点。",
    },
    "kiosk.attribution": {
        "en": "Map data © OpenStreetMap contributors",
        "zh": "地图数据 © OpenStreetMap 贡献者",
    },
    "notice.unknown_city": {
        "en": "Unknown city “{value}” in the link; showing {city} instead.",
        "zh": "链接中的城市“{value}”不存在，已显示{city}。",
    },
    "notice.unknown_lang": {
        "en": "Unknown language “{value}” in the link; showing English.",
        "zh": "链接中的语言“{value}”不受支持，已显示英文。",
    },
    "error.data.title": {
        "en": "The content files have problems",
        "zh": "内容文件有问题",
    },
    "error.data.body": {
        "en": "Nothing was loaded from them and the database was left as it was. "
        "Fix each line below (file:line: column: problem), then reload this page.",
        "zh": "这些文件未被载入，数据库保持不变。请修正以下各行（文件:行: 列: 问题）后刷新本页。",
    },
    "error.no_cities": {
        "en": "No city is in the database yet. Add a city to the content files.",
        "zh": "数据库中还没有城市。请在内容文件中添加城市。",
    },
}


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """The UI text ``key`` in ``lang`` (English if the language is unknown), formatted."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
