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
