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
