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
