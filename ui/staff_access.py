"""Staff: the landmark editor's access facts and its Chinese district and address.

A part of the landmark form (``ui/staff_landmarks.py``): the widgets keep their values in the
same session keys (``key(column)``), and the save parses them with the data files' parsers. A
yes/no fact is a choice of three: not surveyed (empty), yes, no.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from itinerary.access_facts import field_label
from itinerary.columns import ACCESS_COLUMNS, ACCESS_FLAGS, ACCESS_NUMBERS
from itinerary.i18n import t
from ui.staff import field_error

Key = Callable[[str], str]
CHOICES = ("", "yes", "no")  # not surveyed, yes, no (the cells of landmarks.csv)
NUMBER_LIMITS = {"entrance_steps": (0, 100), "entrance_step_height_cm": (0, 100), "door_width_cm": (40, 400)}
ACCESS_NAMES = frozenset(c.name for c in ACCESS_COLUMNS) - {"district_zh", "address_zh"}


def form_value(name: str, value: Any) -> Any:
    """A snapshot's value as its widget holds it: "yes"/"no"/"" for yes/no, None for no number."""
    if name in ACCESS_FLAGS:
        return "" if value is None or value == "" else ("yes" if value in (True, "yes") else "no")
    if name in ACCESS_NUMBERS:
        return None if value is None or value == "" else int(value)
    return "" if value is None else value


def place_fields(key: Key, errors: Mapping[str, Any], lang: str) -> None:
    """District and address in English and Chinese (Chinese pages fall back to the English)."""
    c1, c2 = st.columns(2)
    with c1:
        st.text_input(t("col.district", lang), key=key("district"))
        st.text_input(field_label("district_zh", lang), key=key("district_zh"))
        field_error(errors, "district_zh", lang)
    with c2:
        st.text_input(t("cur.f.address", lang), key=key("address"))
        st.text_input(field_label("address_zh", lang), key=key("address_zh"))
        field_error(errors, "address_zh", lang)


def _choice(key: Key, name: str, lang: str) -> None:
    st.selectbox(
        field_label(name, lang),
        CHOICES,
        key=key(name),
        format_func=lambda v: t(f"access.choice.{v or 'unknown'}", lang),
    )


def _number(key: Key, name: str, lang: str) -> None:
    lo, hi = NUMBER_LIMITS[name]
    st.number_input(
        field_label(name, lang),
        key=key(name),
        min_value=lo,
        max_value=hi,
        step=1,
        placeholder=t("access.choice.unknown", lang),
    )


def access_fields(key: Key, errors: Mapping[str, Any], lang: str) -> None:
    """The access facts: the entrance, the facilities, quiet, the description and the survey."""
    with st.expander(
        t("access.editor", lang), icon=":material/accessible:", expanded=bool(ACCESS_NAMES & set(errors))
    ):
        st.caption(t("access.editor_help", lang))
        columns = st.columns(3)
        for column, name in zip(columns, ACCESS_NUMBERS, strict=True):
            with column:
                _number(key, name, lang)
                field_error(errors, name, lang)
        flags = [name for name in ACCESS_FLAGS]
        for start in range(0, len(flags), 3):
            for column, name in zip(st.columns(3), flags[start : start + 3], strict=False):
                with column:
                    _choice(key, name, lang)
                    field_error(errors, name, lang)
        st.text_input(
            field_label("quiet_hours", lang), key=key("quiet_hours"), help=t("cur.f.hours_help", lang)
        )
        field_error(errors, "quiet_hours", lang)
        st.text_area(field_label("access_note", lang), key=key("access_note"), height=70)
        st.text_area(field_label("access_note_zh", lang), key=key("access_note_zh"), height=70)
        c1, c2 = st.columns(2)
        with c1:
            st.text_input(field_label("access_surveyed", lang), key=key("access_surveyed"))
            field_error(errors, "access_surveyed", lang)
        with c2:
            st.text_input(field_label("access_surveyed_by", lang), key=key("access_surveyed_by"))
