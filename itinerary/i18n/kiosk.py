"""Strings of the kiosk's display settings (the kiosk's other strings are in ``visitor``)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "kiosk.text.standard": {"en": "Standard text", "zh": "标准字号"},
    "kiosk.text.large": {"en": "Larger text", "zh": "大字号"},
    "kiosk.contrast": {"en": "High contrast", "zh": "高对比度"},
}
