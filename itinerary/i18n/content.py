"""Messages of the content rules, uploads and imports (``content.`` keys), by problem code.

The domain returns ``rules.Problem(code, values)``; ``Problem.text(lang)`` looks the code up here.
The English texts are also what the import report and the command line print.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # statuses
    "content.status_unknown": {
        "en": "{status!r} is not one of {known}",
        "zh": "“{status}”不是以下之一：{known}",
    },
    "content.status_change": {
        "en": "the status cannot change from {before} to {after}",
        "zh": "状态不能从 {before} 改为 {after}",
    },
    # stops of an itinerary
    "content.stops_none": {
        "en": "a published itinerary needs at least one stop",
        "zh": "已发布的行程至少需要一站",
    },
    "content.stop_missing": {
        "en": "no landmark {landmark_id!r} in this city",
        "zh": "本城市没有地标“{landmark_id}”",
    },
    "content.stop_other_city": {
        "en": "landmark {landmark_id!r} is in {landmark_city!r}, not in the itinerary's city {city_id!r}",
        "zh": "地标“{landmark_id}”属于“{landmark_city}”，不属于行程所在城市“{city_id}”",
    },
    "content.stop_archived": {
        "en": "landmark {landmark_id!r} is archived",
        "zh": "地标“{landmark_id}”已归档",
    },
    "content.stop_draft": {
        "en": "landmark {landmark_id!r} is a draft: publish it first",
        "zh": "地标“{landmark_id}”是草稿：请先发布它",
    },
    # a landmark that stops being published
    "content.in_use_archived": {
        "en": "archived but used by published itineraries: {itineraries}",
        "zh": "已归档，但仍被已发布的行程使用：{itineraries}",
    },
    "content.in_use_draft": {
        "en": "draft but used by published itineraries: {itineraries}",
        "zh": "设为草稿，但仍被已发布的行程使用：{itineraries}",
    },
}
STRINGS.update(
    {
        # the editor's form
        "content.empty": {"en": "must not be empty", "zh": "不能为空"},
        "content.id_taken": {
            "en": "id {id!r} is taken; ids are stable forever, choose another",
            "zh": "标识“{id}”已被使用；标识永久不变，请另选一个",
        },
        "content.unknown_theme": {"en": "unknown theme {theme!r}", "zh": "未知主题“{theme}”"},
        "content.far_from_city": {
            "en": "({lat}, {lon}) is {km:,.0f} km from {city}: lat and lon swapped or mistyped?",
            "zh": "（{lat}, {lon}）距离{city} {km:,.0f} 公里：纬度和经度是否颠倒或输错？",
        },
        "content.moved_landmark": {
            "en": "id {id!r} belongs to a landmark of {city_id}",
            "zh": "标识“{id}”属于 {city_id} 的地标",
        },
        "content.moved_itinerary": {
            "en": "id {id!r} belongs to an itinerary of {city_id}",
            "zh": "标识“{id}”属于 {city_id} 的行程",
        },
        # likely duplicates of a landmark
        "content.same_name": {"en": "same name", "zh": "名称相同"},
        "content.metres_away": {"en": "{metres} m away", "zh": "相距 {metres} 米"},
        # GeoJSON uploads
        "content.json_too_deep": {
            "en": "nested deeper than {limit} levels; not read",
            "zh": "嵌套超过 {limit} 层；未读取",
        },
        "content.json_too_many_features": {
            "en": "{count:,} features; at most {limit:,} are read",
            "zh": "共 {count:,} 个要素；最多读取 {limit:,} 个",
        },
        "content.json_cell_too_long": {
            "en": "{length:,} characters long; at most {limit:,}",
            "zh": "长度为 {length:,} 个字符；最多 {limit:,} 个",
        },
        # batch geocoding (codes of geocode.MESSAGE_CODES)
        "content.geocode_not_found": {
            "en": "no place found for this address; lat and lon are empty: enter them",
            "zh": "找不到此地址；纬度和经度为空：请填写",
        },
        "content.geocode_offline": {
            "en": "address lookup is switched off (offline); lat and lon are empty: enter them",
            "zh": "地址查询已关闭（离线）；纬度和经度为空：请填写",
        },
        "content.geocode_timeout": {
            "en": "address lookup timed out; lat and lon are empty: try again or enter them",
            "zh": "地址查询超时；纬度和经度为空：请重试或填写",
        },
        "content.geocode_rate_limited": {
            "en": "address lookup is busy (rate limited); lat and lon are empty: try again later",
            "zh": "地址查询繁忙（限流）；纬度和经度为空：请稍后重试",
        },
        "content.geocode_service_error": {
            "en": "address lookup failed (server error); lat and lon are empty: try again or enter them",
            "zh": "地址查询失败（服务器错误）；纬度和经度为空：请重试或填写",
        },
    }
)
STRINGS.update(
    {
        # what a conflict or a refusal names ({entity}: permissions.content_text)
        "content.entity_landmark": {"en": "landmark", "zh": "地标"},
        "content.entity_itinerary": {"en": "itinerary", "zh": "行程"},
        "content.entity_city": {"en": "city", "zh": "城市"},
        "content.entity_theme": {"en": "theme", "zh": "主题"},
        # a save refused because someone else saved first (curation.Conflict)
        "content.conflict_gone": {
            "en": "{entity} {entity_id!r} no longer exists",
            "zh": "{entity}“{entity_id}”已不存在",
        },
        "content.conflict_exists": {
            "en": "{entity} {entity_id!r} already exists",
            "zh": "{entity}“{entity_id}”已存在",
        },
        "content.conflict_saved": {
            "en": "{entity} {entity_id!r} was saved by {by} since you opened it "
            "(version {base_version} -> {current_version}; changed: {fields})",
            "zh": "你打开{entity}“{entity_id}”之后，{by} 保存了它"
            "（版本 {base_version} → {current_version}；更改了：{fields}）",
        },
        "content.someone": {"en": "someone", "zh": "他人"},
        "content.nothing_visible": {"en": "nothing visible", "zh": "无可见字段"},
        # an import whose content changed between the preview and the apply
        "content.import_stale": {
            "en": "{entity} {entity_id!r} was changed since the preview; preview the import again",
            "zh": "{entity}“{entity_id}”在预览后已被更改；请重新预览导入",
        },
        "content.import_rules_broken": {
            "en": "the content changed since the preview ({reasons}); preview the import again",
            "zh": "内容在预览后已更改（{reasons}）；请重新预览导入",
        },
        "content.plan_has_problems": {
            "en": "{count} problem(s) in the import; nothing was written",
            "zh": "导入中有 {count} 个问题；未写入任何内容",
        },
        # a writer's refusal (permissions.Refused): the pages ask first, the writers again
        "content.may_not_edit": {
            "en": "{user} may not edit {city_id}",
            "zh": "{user} 无权编辑 {city_id}",
        },
        "content.may_not_publish": {
            "en": "{user} may not publish in {city_id}",
            "zh": "{user} 无权在 {city_id} 发布内容",
        },
        "content.may_not_manage_cities": {
            "en": "{user} may not manage cities",
            "zh": "{user} 无权管理城市",
        },
        "content.may_not_import": {
            "en": "{user} may not import {entity} {entity_id!r}",
            "zh": "{user} 无权导入{entity}“{entity_id}”",
        },
    }
)
STRINGS.update(
    {
        # what an import wrote (transfer.describe_counts)
        "content.counts": {
            "en": "{what}: {added} added, {changed} changed, {unchanged} unchanged",
            "zh": "{what}：新增 {added}，更改 {changed}，未变 {unchanged}",
        },
        "content.counts_separator": {"en": "; ", "zh": "；"},
        "content.plural_city": {"en": "cities", "zh": "城市"},
        "content.plural_theme": {"en": "themes", "zh": "主题"},
        "content.plural_landmark": {"en": "landmarks", "zh": "地标"},
        "content.plural_itinerary": {"en": "itineraries", "zh": "行程"},
    }
)
