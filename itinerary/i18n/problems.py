"""Messages for problem codes that the domain returns (validation, curation, import, sign-in).

A problem code ``c`` is the key ``problem.c`` (``itinerary.validation``). The English text is
also what the command line and the ``file:line: column: message`` report print, so it stays
word for word what those always said. Values in quotes (``{value!r}``) are the cell as typed.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- a cell ---------------------------------------------------------------------------------
    "problem.not_a_slug": {
        "en": "{value!r} is not a lowercase slug (letters, digits, single hyphens)",
        "zh": "{value!r} 不是小写标识（仅限字母、数字和单个连字符）",
    },
    "problem.not_a_number": {
        "en": "{value!r} is not a decimal number",
        "zh": "{value!r} 不是十进制数字",
    },
    "problem.out_of_range": {
        "en": "{value} is out of range ({lo:g} to {hi:g})",
        "zh": "{value} 超出范围（{lo:g} 至 {hi:g}）",
    },
    "problem.not_a_whole_number": {
        "en": "{value!r} is not a whole number",
        "zh": "{value!r} 不是整数",
    },
    "problem.not_one_of": {
        "en": "{value!r} is not one of {choices}",
        "zh": "{value!r} 不是以下值之一：{choices}",
    },
    "problem.not_a_time_zone": {
        "en": "{value!r} is not an IANA time zone (like Asia/Shanghai)",
        "zh": "{value!r} 不是 IANA 时区（例如 Asia/Shanghai）",
    },
    "problem.not_a_colour": {
        "en": "{value!r} is not a #rrggbb colour",
        "zh": "{value!r} 不是 #rrggbb 格式的颜色",
    },
    "problem.not_an_icon": {
        "en": "{value!r} is not an icon name (like leaf or utensils)",
        "zh": "{value!r} 不是图标名称（例如 leaf 或 utensils）",
    },
    "problem.theme_twice": {"en": "lists a theme twice", "zh": "同一主题列出了两次"},
    "problem.not_opening_hours": {
        "en": "{value!r} is not OpenStreetMap opening_hours syntax (like 'Tu-Su 10:00-18:00; Mo off')",
        "zh": "{value!r} 不符合 OpenStreetMap opening_hours 格式（例如 'Tu-Su 10:00-18:00; Mo off'）",
    },
    "problem.not_opening_hours_at": {
        "en": "{value!r} is not OpenStreetMap opening_hours syntax at character {position} (like 'Tu-Su 10:00-18:00; Mo off')",
        "zh": "{value!r} 在第 {position} 个字符处不符合 OpenStreetMap opening_hours 格式（例如 'Tu-Su 10:00-18:00; Mo off'）",
    },
    "problem.not_a_price": {
        "en": "{value!r} is not 'free', 'CNY 60' or 'CNY 80-150'",
        "zh": "{value!r} 不是 'free'、'CNY 60' 或 'CNY 80-150' 这样的价格",
    },
    "problem.not_a_url": {
        "en": "{value!r} is not an http(s) URL",
        "zh": "{value!r} 不是 http(s) 网址",
    },
    "problem.not_a_time": {
        "en": "{value!r} is not a 24-hour time HH:MM",
        "zh": "{value!r} 不是 24 小时制时间 HH:MM",
    },
    "problem.not_yes_or_no": {
        "en": "{value!r} is not yes or no",
        "zh": "{value!r} 不是 yes 或 no",
    },
    "problem.must_not_be_empty": {"en": "must not be empty", "zh": "不能为空"},
    # --- a file ---------------------------------------------------------------------------------
    "problem.not_utf8": {
        "en": "file is not UTF-8 text (save it as CSV UTF-8); nothing loaded",
        "zh": "文件不是 UTF-8 文本（请另存为 CSV UTF-8）；未载入任何内容",
    },
    "problem.empty_file": {
        "en": "file is empty; expected a header row",
        "zh": "文件为空；应有一行表头",
    },
    "problem.unreadable_csv": {"en": "unreadable CSV: {error}", "zh": "无法读取的 CSV：{error}"},
    "problem.missing_column": {"en": "missing required column", "zh": "缺少必需的列"},
    "problem.column_twice": {"en": "column appears twice", "zh": "该列出现了两次"},
    "problem.unknown_column": {
        "en": "unknown column (expected: {expected})",
        "zh": "未知的列（应为：{expected}）",
    },
    "problem.too_many_cells": {
        "en": "{cells} cells but the header has {columns} columns (a comma inside a value needs quotes)",
        "zh": "有 {cells} 个单元格，但表头只有 {columns} 列（值中含逗号时需加引号）",
    },
    "problem.missing_file": {"en": "file is missing", "zh": "缺少此文件"},
    "problem.no_such_folder": {"en": "no such folder", "zh": "没有这个文件夹"},
    # --- across rows and files ------------------------------------------------------------------
    "problem.duplicate_id": {
        "en": "duplicate id {value!r} (first on line {first})",
        "zh": "ID {value!r} 重复（首次出现在第 {first} 行）",
    },
    "problem.unknown_city": {"en": "unknown city {value!r}", "zh": "未知的城市 {value!r}"},
    "problem.unknown_theme": {"en": "unknown theme {value!r}", "zh": "未知的主题 {value!r}"},
    "problem.unknown_itinerary": {"en": "unknown itinerary {value!r}", "zh": "未知的行程 {value!r}"},
    "problem.unknown_landmark": {"en": "unknown landmark {value!r}", "zh": "未知的地标 {value!r}"},
    "problem.too_far": {
        "en": "({lat}, {lon}) is {km:,.0f} km from {city}: lat and lon swapped or mistyped?",
        "zh": "({lat}, {lon}) 距离{city} {km:,.0f} 公里：纬度和经度是否填反或输错？",
    },
    "problem.landmark_in_other_city": {
        "en": "landmark {landmark!r} is in {landmark_city!r}, not in the itinerary's city {city!r}",
        "zh": "地标 {landmark!r} 位于 {landmark_city!r}，不在行程所在城市 {city!r}",
    },
    "problem.position_taken": {
        "en": "position {position} of {itinerary!r} is taken (line {other})",
        "zh": "{itinerary!r} 的第 {position} 站已被占用（第 {other} 行）",
    },
    "problem.position_gaps": {
        "en": "positions of {itinerary!r} are {positions}; expected 1 to {count} without gaps",
        "zh": "{itinerary!r} 的站序为 {positions}；应为 1 至 {count} 且不间断",
    },
}
STRINGS.update(
    {
        # --- an upload: the file itself, a zip and its entries (itinerary/transfer/reading.py) ---
        "problem.given_twice": {
            "en": "{spec} given twice (also as {earlier})",
            "zh": "{spec} 提供了两次（另一份为 {earlier}）",
        },
        "problem.not_a_contract_file": {
            "en": "not a data-contract file (expected {expected}, a zip of them, or a GeoJSON FeatureCollection of landmarks)",
            "zh": "不是数据约定文件（应为 {expected}、它们的 zip 压缩包，或地标的 GeoJSON FeatureCollection）",
        },
        "problem.separated_by_semicolons": {
            "en": "columns are separated by semicolons, not commas: save as 'CSV UTF-8 (Comma delimited)'",
            "zh": "各列以分号而非逗号分隔：请另存为“CSV UTF-8（逗号分隔）”",
        },
        "problem.separated_by_tabs": {
            "en": "columns are separated by tabs, not commas: save as 'CSV UTF-8 (Comma delimited)'",
            "zh": "各列以制表符而非逗号分隔：请另存为“CSV UTF-8（逗号分隔）”",
        },
        "problem.upload_too_large": {
            "en": "file is larger than {megabytes} MB",
            "zh": "文件大于 {megabytes} MB",
        },
        "problem.no_contract_files_here": {
            "en": "no data-contract files here ({expected})",
            "zh": "此处没有数据约定文件（{expected}）",
        },
        "problem.no_such_path": {"en": "no such file or folder", "zh": "没有这个文件或文件夹"},
        "problem.zip_unreadable": {
            "en": "not a readable zip file ({error})",
            "zh": "不是可读取的 zip 文件（{error}）",
        },
        "problem.zip_too_many_entries": {
            "en": "zip holds {count} entries; at most {limit} are read",
            "zh": "zip 含 {count} 个条目；最多读取 {limit} 个",
        },
        "problem.zip_unsafe_path": {
            "en": "unsafe path in zip (absolute or with '..'); not read",
            "zh": "zip 中的路径不安全（绝对路径或含 '..'）；未读取",
        },
        "problem.zip_encrypted": {
            "en": "encrypted zip entry; not read",
            "zh": "zip 条目已加密；未读取",
        },
        "problem.zip_entry_too_large": {
            "en": "too large once unpacked ({size:,} bytes); not read",
            "zh": "解压后过大（{size:,} 字节）；未读取",
        },
        "problem.zip_entry_unreadable": {
            "en": "unreadable zip entry ({error})",
            "zh": "无法读取的 zip 条目（{error}）",
        },
        "problem.zip_unpacked_too_large": {
            "en": "too large once unpacked; not read",
            "zh": "解压后过大；未读取",
        },
        "problem.zip_no_contract_files": {
            "en": "the zip holds no data-contract files ({expected})",
            "zh": "该 zip 中没有数据约定文件（{expected}）",
        },
        "problem.empty_or_look_up": {
            "en": "must not be empty (or leave lat and lon empty and look the address up)",
            "zh": "不能为空（或将纬度和经度都留空，并查询地址）",
        },
        # --- a GeoJSON upload (itinerary/transfer/geojson.py) -----------------------------------
        "problem.geojson_not_utf8": {
            "en": "file is not UTF-8 text; nothing loaded",
            "zh": "文件不是 UTF-8 文本；未载入任何内容",
        },
        "problem.not_json": {
            "en": "not valid JSON (line {line}: {error})",
            "zh": "不是有效的 JSON（第 {line} 行：{error}）",
        },
        "problem.not_a_feature_collection": {
            "en": "not a GeoJSON FeatureCollection",
            "zh": "不是 GeoJSON FeatureCollection",
        },
        "problem.features_not_a_list": {
            "en": "must be a list of features",
            "zh": "必须是要素（feature）的列表",
        },
        "problem.not_a_feature": {"en": "not a GeoJSON Feature", "zh": "不是 GeoJSON Feature"},
        "problem.properties_not_an_object": {"en": "must be an object", "zh": "必须是对象"},
        "problem.unknown_property": {
            "en": "unknown property (expected: {expected})",
            "zh": "未知的属性（应为：{expected}）",
        },
        "problem.not_a_point": {
            "en": "must be a Point with coordinates [lon, lat]",
            "zh": "必须是坐标为 [lon, lat] 的 Point",
        },
    }
)
