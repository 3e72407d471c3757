"""A landmark's access facts as the lines a visitor reads: measurements, not ratings.

``fact_lines(landmark, lang)`` turns the access columns (``columns.ACCESS_COLUMNS``) into short
lines, each with an icon name and its text ("1 step, 4 cm", "Accessible toilet"). A fact that
was never surveyed is never shown as "no": the facts nobody surveyed are named in one line
("Not surveyed: ..."), and a place with no fact at all says "Access not surveyed". The card
renders these lines; the step-free checks read the same values through ``access_value``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from itinerary.columns import ACCESS_COLUMNS
from itinerary.i18n import t

State = Literal["yes", "no", "unknown", "info"]

# the yes/no facts a card lists, in the card's order, with their icon (Material Symbols names,
# served by Streamlit itself); "entrance" is built from the steps, the ramp and the door
FLAGS: Final = (
    ("toilet_wheelchair", "wc"),
    ("lift_all_floors", "elevator"),
    ("parking_wheelchair", "local_parking"),
    ("hearing_loop", "hearing"),
    ("tactile_guidance", "blind"),
    ("quiet_space", "self_improvement"),
    ("seating", "chair"),
)
# every fact the "not surveyed" line may name, in the card's order
SURVEYABLE: Final = ("entrance", *(name for name, _ in FLAGS))


@dataclass(frozen=True, slots=True)
class FactLine:
    """One line of a card: a Material icon name, the text, and what kind of fact it is."""

    icon: str
    text: str
    state: State
    key: str  # the fact ("entrance", "toilet_wheelchair", ..., "note", "surveyed", "unsurveyed")


def access_value(record: Any, name: str) -> Any:
    """One access fact of a record (a model, a mapping or a DataFrame row), None when not surveyed.

    DataFrames hold a missing whole number as NaN and a missing yes/no as None or NaN: both
    are "not surveyed". Whole numbers come back as ``int``, yes/no as ``bool``.
    """
    if isinstance(record, Mapping) or hasattr(record, "get"):
        value = record.get(name)
    else:
        value = getattr(record, name, None)
    if value is None or type(value).__name__ == "NAType":  # pandas' NA
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars as Python values
        value = value.item()
    if value == "":
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else int(value)
    return value


def _text(record: Any, name: str) -> str:
    value = access_value(record, name)
    return "" if value is None else str(value).strip()


def localized_text(record: Any, name: str, lang: str) -> str:
    """``name_zh`` on Chinese pages when it is filled, else ``name`` (the data's fallback rule)."""
    if lang == "zh":
        zh = _text(record, f"{name}_zh")
        if zh:
            return zh
    return _text(record, name)


def _steps_text(steps: int, height: int | None, lang: str) -> str:
    if height is None:
        return t("access.steps", lang, count=steps) if steps != 1 else t("access.one_step", lang)
    if steps == 1:
        return t("access.one_step_cm", lang, cm=height)
    return t("access.steps_cm", lang, count=steps, cm=height)


def entrance_lines(record: Any, lang: str) -> list[FactLine]:
    """The entrance: step-free, or its steps and their height; a ramp; the door."""
    steps = access_value(record, "entrance_steps")
    height = access_value(record, "entrance_step_height_cm")
    ramp = access_value(record, "entrance_ramp")
    width = access_value(record, "door_width_cm")
    automatic = access_value(record, "automatic_door")
    lines: list[FactLine] = []
    if steps == 0:
        lines.append(FactLine("accessible", t("access.step_free", lang), "yes", "entrance"))
    elif steps is not None:
        lines.append(FactLine("stairs", _steps_text(steps, height, lang), "no", "entrance"))
    if ramp is True:
        lines.append(FactLine("accessible_forward", t("access.ramp", lang), "yes", "entrance"))
    elif ramp is False and steps != 0:  # "no ramp" says nothing at a level entrance
        lines.append(FactLine("accessible_forward", t("access.no_ramp", lang), "no", "entrance"))
    if width is not None or automatic is not None:
        if automatic is True:
            key = "access.door_automatic_cm" if width is not None else "access.door_automatic"
        elif automatic is False:
            key = "access.door_manual_cm" if width is not None else "access.door_manual"
        else:
            key = "access.door_cm"
        lines.append(FactLine("door_front", t(key, lang, cm=width), "info", "entrance"))
    return lines


def fact_lines(record: Any, lang: str) -> list[FactLine]:
    """Every line of a landmark's access facts in ``lang``, the unsurveyed ones named last."""
    lines = entrance_lines(record, lang)
    unsurveyed: list[str] = [] if lines else ["entrance"]
    for name, icon in FLAGS:
        value = access_value(record, name)
        if value is None:
            unsurveyed.append(name)
        else:
            state: State = "yes" if value else "no"
            lines.append(FactLine(icon, t(f"access.{name}.{state}", lang), state, name))
    hours = _text(record, "quiet_hours")
    if hours:
        lines.append(FactLine("schedule", t("access.quiet_hours", lang, hours=hours), "info", "quiet_hours"))
    note = localized_text(record, "access_note", lang)
    if note:
        lines.append(FactLine("info", note, "info", "note"))
    if not lines:
        return [FactLine("help", t("access.none_surveyed", lang), "unknown", "unsurveyed")]
    if unsurveyed:
        names = t("access.list_separator", lang).join(t(f"access.name.{n}", lang) for n in unsurveyed)
        lines.append(FactLine("help", t("access.unsurveyed", lang, facts=names), "unknown", "unsurveyed"))
    surveyed = survey_line(record, lang)
    if surveyed:
        lines.append(surveyed)
    return lines


def survey_line(record: Any, lang: str) -> FactLine | None:
    """When and by whom the facts were surveyed, if that is known."""
    day = _text(record, "access_surveyed")
    by = _text(record, "access_surveyed_by")
    if not day and not by:
        return None
    if day and by:
        text = t("access.surveyed_on_by", lang, date=day, by=by)
    elif day:
        text = t("access.surveyed_on", lang, date=day)
    else:
        text = t("access.surveyed_by", lang, by=by)
    return FactLine("fact_check", text, "info", "surveyed")


# --- the facts as the editor and the history name them ------------------------------------------

FIELD_NAMES: Final = tuple(c.name for c in ACCESS_COLUMNS)


def field_label(name: str, lang: str) -> str:
    """An access column's name for people ("Steps at the entrance"); other columns as they are."""
    return t(f"access.field.{name}", lang) if name in FIELD_NAMES else name


def field_value(name: str, value: Any, lang: str) -> str:
    """An access fact's value for people: yes, no, or "not surveyed" (never "no") when empty."""
    if name not in FIELD_NAMES:
        return "—" if value is None or value == "" else str(value)
    if value is None or value == "":
        return t("access.choice.unknown", lang)
    if isinstance(value, bool):
        return t(f"access.choice.{'yes' if value else 'no'}", lang)
    return str(value)
