"""Strings of the city accounts: the city page, stories, the network, and their data problems."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- a story as an entity of the history and of imports -------------------------------------
    "content.entity_story": {"en": "story", "zh": "故事"},
    "content.plural_story": {"en": "stories", "zh": "故事"},
    "cur.entity.story": {"en": "story", "zh": "故事"},
    "cur.tr.kind.story": {"en": "story", "zh": "故事"},
    "cur.tr.count.story": {
        "en": "Stories: {added} new, {changed} changed, {same} unchanged",
        "zh": "故事：新增 {added}，更改 {changed}，未变 {same}",
    },
    "content.join_order_taken_by": {
        "en": "place {order} in the join order is {city}'s",
        "zh": "加入顺序中的第 {order} 位已属于{city}",
    },
    "content.story_itinerary_unknown": {
        "en": "no itinerary {itinerary!r} in this city",
        "zh": "本城市没有行程 {itinerary!r}",
    },
    # --- problems of the city-account columns and of stories.csv / story_chapters.csv ----------
    "problem.not_a_partial_date": {
        "en": "{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
        "zh": "{value!r} 不是日期（YYYY、YYYY-MM 或 YYYY-MM-DD）",
    },
    "problem.not_a_static_image": {
        "en": "{value!r} is not an image the app serves (a lowercase path under static/, .png, .jpg, .webp or .svg)",
        "zh": "{value!r} 不是本应用提供的图片（static/ 下的小写路径，.png、.jpg、.webp 或 .svg）",
    },
    "problem.facts_zh_count": {
        "en": "{count} Chinese facts for {facts} facts: give one for each, in the same order, or none",
        "zh": "共有 {facts} 条事实，却有 {count} 条中文：请逐条对应、顺序一致，或全部留空",
    },
    "problem.fact_sources_count": {
        "en": "{count} sources for {facts} facts: every fact needs its source, in the same order",
        "zh": "共有 {facts} 条事实，却有 {count} 个来源：每条事实都需要来源，顺序一致",
    },
    "problem.join_order_taken": {
        "en": "place {order} in the join order is taken (line {other})",
        "zh": "加入顺序中的第 {order} 位已被占用（第 {other} 行）",
    },
    "problem.home_twice": {
        "en": "only one city is the platform's home (line {other})",
        "zh": "只能有一个城市是平台的主城市（第 {other} 行）",
    },
    "problem.story_itinerary_other_city": {
        "en": "itinerary {itinerary!r} is in {itinerary_city!r}, not in the story's city {city!r}",
        "zh": "行程 {itinerary!r} 位于 {itinerary_city!r}，不在故事所在城市 {city!r}",
    },
    "problem.chapter_landmark_other_city": {
        "en": "landmark {landmark!r} is in {landmark_city!r}, not in the story's city {city!r}",
        "zh": "地标 {landmark!r} 位于 {landmark_city!r}，不在故事所在城市 {city!r}",
    },
    "problem.chapter_without_place": {
        "en": "a chapter needs a place: a landmark_id, or lat and lon",
        "zh": "每一章都需要地点：填写 landmark_id，或填写 lat 和 lon",
    },
    "problem.image_without_alt": {
        "en": "an image needs a text that describes it (image_alt)",
        "zh": "图片需要一段描述文字（image_alt）",
    },
    "problem.unknown_story": {"en": "unknown story {value!r}", "zh": "未知的故事 {value!r}"},
    "problem.chapter_position_taken": {
        "en": "chapter {position} of {story!r} is taken (line {other})",
        "zh": "{story!r} 的第 {position} 章已被占用（第 {other} 行）",
    },
    "problem.chapter_position_gaps": {
        "en": "chapters of {story!r} are {positions}; expected 1 to {count} without gaps",
        "zh": "{story!r} 的章节为 {positions}；应为 1 至 {count} 且不间断",
    },
}

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
for _number, _name in enumerate(MONTHS_EN, start=1):
    STRINGS["city.month." + str(_number)] = {"en": _name, "zh": f"{_number}月"}
STRINGS.update(
    {
        # --- navigation and links from the other pages ----------------------------------------
        "nav.city": {"en": "City account", "zh": "城市账号"},
        "nav.network": {"en": "City network", "zh": "城市网络"},
        "city.link": {"en": "About {city}: the city account", "zh": "关于{city}：城市账号"},
        # --- the city page ----------------------------------------------------------------------
        "city.facts": {"en": "Key facts", "zh": "主要信息"},
        "city.source": {"en": "Source: {source}", "zh": "来源：{source}"},
        "city.partnership": {"en": "The link with Shenzhen", "zh": "与深圳的关系"},
        "city.kind.home": {"en": "Home of the platform", "zh": "平台的主城市"},
        "city.kind.sister_city": {"en": "Sister city of Shenzhen", "zh": "深圳的友好城市"},
        "city.kind.friendship_city": {"en": "Friendship city of Shenzhen", "zh": "深圳的友好交流城市"},
        "city.kind.economic_partner": {
            "en": "Economic partner city of Shenzhen",
            "zh": "深圳的经济合作伙伴城市",
        },
        "city.kind.platform": {
            "en": "Partner city on the CityPlus platform",
            "zh": "CityPlus 平台的伙伴城市",
        },
        "city.since": {"en": "since {year}", "zh": "始于 {year} 年"},
        "city.joined": {
            "en": "Joined the platform: {date}. City account {order} of {count}.",
            "zh": "加入平台：{date}。第 {order} 个城市账号（共 {count} 个）。",
        },
        "city.joined_undated": {
            "en": "City account {order} of {count} to join the platform.",
            "zh": "第 {order} 个加入平台的城市账号（共 {count} 个）。",
        },
        "city.date_day": {"en": "{day} {month} {year}", "zh": "{year}年{month}{day}日"},
        "city.date_month": {"en": "{month} {year}", "zh": "{year}年{month}"},
        "city.date_year": {"en": "{year}", "zh": "{year}年"},
        "city.itineraries": {"en": "Itineraries", "zh": "行程"},
        "city.landmarks": {"en": "Featured landmarks", "zh": "精选地标"},
        "city.stories": {"en": "City stories", "zh": "城市故事"},
        "city.no_stories": {"en": "No stories yet.", "zh": "暂无故事。"},
        "city.no_itineraries": {"en": "No itineraries yet.", "zh": "暂无行程。"},
        "city.read_story": {"en": "Read “{title}”", "zh": "阅读《{title}》"},
        "city.story_meta": {"en": "{count} chapters", "zh": "共 {count} 章"},
        # --- the story viewer -------------------------------------------------------------------
        "story.chapter_of": {"en": "Chapter {number} of {count}", "zh": "第 {number} 章，共 {count} 章"},
        "story.previous": {"en": "Previous", "zh": "上一章"},
        "story.next": {"en": "Next", "zh": "下一章"},
        "story.back": {"en": "All of {city}", "zh": "返回{city}"},
        "story.follow": {"en": "Follow this story on foot: {title}", "zh": "沿着故事步行游览：{title}"},
        "story.keys": {
            "en": "Turn the chapters with the buttons, the arrow keys or a swipe.",
            "zh": "用按钮、方向键或滑动翻阅章节。",
        },
        "story.unknown": {
            "en": "There is no story {value!r} in {city}: here is the city's page.",
            "zh": "{city}没有故事 {value!r}：这里是城市页面。",
        },
        "story.no_chapter": {
            "en": "There is no chapter {value!r}: here is the first.",
            "zh": "没有第 {value!r} 章：这里是第一章。",
        },
        "story.kiosk_meta": {
            "en": "City story “{story}” · chapter {number} of {count}",
            "zh": "城市故事《{story}》· 第 {number} 章，共 {count} 章",
        },
        "story.map_place": {"en": "Chapter {number}: {title}", "zh": "第 {number} 章：{title}"},
    }
)

STRINGS.update(
    {
        "network.title": {"en": "The network of city accounts", "zh": "城市账号网络"},
        "network.intro": {
            "en": "{count} city accounts, each a two-way window: Shenzhen's residents get to know "
            "the partner cities, and the partner cities get to know Shenzhen. Choose a city on the "
            "map or in the timeline.",
            "zh": "{count} 个城市账号，每一个都是一扇双向的窗口：深圳市民了解伙伴城市，伙伴城市也了解深圳。"
            "在地图或时间线上选择一个城市。",
        },
        "network.marker": {"en": "{order}. {city}: {kind}", "zh": "{order}．{city}：{kind}"},
        "network.timeline": {"en": "When each account joined", "zh": "各账号加入平台的顺序"},
        "network.timeline_row": {"en": "{order}. {city}", "zh": "{order}．{city}"},
        "network.twins": {"en": "Twin themes", "zh": "双城主题"},
        "network.twins_intro": {
            "en": "The same theme in every city: Tsukuba's innovation next to Shenzhen's, and the other way round.",
            "zh": "同一主题，不同城市：筑波的创新与深圳的创新并列，反之亦然。",
        },
    }
)

STRINGS.update(
    {
        "cur.section.stories": {"en": "City account", "zh": "城市账号"},
        "acct.profile": {"en": "The city's profile", "zh": "城市简介"},
        "acct.portrait": {"en": "Portrait (one line)", "zh": "一句话简介（英文）"},
        "acct.portrait_zh": {"en": "Portrait in Chinese", "zh": "一句话简介（中文）"},
        "acct.facts": {"en": "Key facts", "zh": "主要信息（英文）"},
        "acct.facts_zh": {"en": "Key facts in Chinese", "zh": "主要信息（中文）"},
        "acct.fact_sources": {"en": "Source of each fact", "zh": "每条信息的来源"},
        "acct.one_a_line": {"en": "One a line, in the same order.", "zh": "每行一条，顺序一致。"},
        "acct.partnership": {"en": "Link with Shenzhen", "zh": "与深圳的关系"},
        "acct.partner_since": {"en": "Since (year)", "zh": "始于（年份）"},
        "acct.joined": {"en": "Joined the platform", "zh": "加入平台的日期"},
        "acct.joined_help": {"en": "YYYY, YYYY-MM or YYYY-MM-DD", "zh": "YYYY、YYYY-MM 或 YYYY-MM-DD"},
        "acct.join_order": {"en": "Place in the join order", "zh": "加入顺序"},
        "acct.story": {"en": "Story", "zh": "故事"},
        "acct.new_story": {"en": "New story", "zh": "新故事"},
        "acct.story_id": {"en": "Id (never changes)", "zh": "标识（永不更改）"},
        "acct.story_itinerary": {"en": "Follow on foot with", "zh": "步行游览所用行程"},
        "acct.title": {"en": "Title", "zh": "标题（英文）"},
        "acct.title_zh": {"en": "Title in Chinese", "zh": "标题（中文）"},
        "acct.summary": {"en": "Summary", "zh": "简介（英文）"},
        "acct.summary_zh": {"en": "Summary in Chinese", "zh": "简介（中文）"},
        "acct.chapters": {"en": "Chapters, in order", "zh": "章节（按顺序）"},
        "acct.chapters_help": {
            "en": "Each chapter's place is a landmark_id of this city, or lat and lon (and a zoom).",
            "zh": "每章的地点为本城市的 landmark_id，或 lat 和 lon（可加 zoom）。",
        },
        "acct.preview": {"en": "Preview", "zh": "预览"},
        "acct.preview_chapter": {"en": "Chapter to preview", "zh": "预览的章节"},
        "acct.read_only": {
            "en": "Only the editors of this city may change its account.",
            "zh": "只有本城市的编辑可以修改其城市账号。",
        },
    }
)
