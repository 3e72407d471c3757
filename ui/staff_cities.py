"""Staff (admins): add a city or change one (names, country, centre, zoom, time zone)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from itinerary import accounts as acc
from itinerary import curation as cu
from itinerary.catalog import localized_value
from itinerary.cities import city_ids
from itinerary.i18n import t
from ui.setup import PageContext
from ui.staff import Staff, field_error, guarded, show_conflict, show_history, show_message

NEW = "__new__"
FIELDS = ("id", "name", "name_zh", "country", "lat", "lon", "zoom", "timezone")


def _key(name: str) -> str:
    return f"city_f_{name}"


def _load(staff: Staff, city_id: str) -> None:
    for key in [
        k
        for k in st.session_state
        if str(k).startswith(("city_f_", "city_msg", "city_conflict", "city_errors"))
    ]:
        del st.session_state[key]
    if city_id == NEW:
        base = None
        values: dict[str, Any] = {"zoom": 12, "lat": 0.0, "lon": 0.0, "timezone": "UTC"}
    else:
        base = staff.curator.city(city_id)
        values = {name: getattr(base, name) for name in FIELDS}
    st.session_state["city_base"] = base
    st.session_state["city_loaded"] = city_id
    for name in FIELDS:
        st.session_state[_key(name)] = values.get(name, "")


def _values() -> dict[str, Any]:
    return {name: st.session_state.get(_key(name)) for name in FIELDS}


def _save(staff: Staff) -> None:
    for key in ("city_msg", "city_conflict"):
        st.session_state.pop(key, None)
    base = st.session_state.get("city_base")
    try:
        city = cu.parse_city(_values(), existing_ids=city_ids(staff.curator.store), new=base is None)
        staff.curator.save_city(staff.account, city, base=base)
    except cu.FieldErrors as errors:
        st.session_state["city_msg"] = ("error", "cur.fix_fields")
        st.session_state["city_errors"] = errors.reasons
        return
    except cu.Conflict as conflict:
        st.session_state["city_conflict"] = conflict
        return
    except PermissionError as error:
        st.session_state["city_msg"] = ("refusal", error)
        return
    st.session_state.pop("city_errors", None)
    st.session_state["city_base"] = city
    st.session_state["city_pick"] = city.id
    st.session_state["city_loaded"] = city.id
    st.session_state["city_msg"] = ("success", "cur.saved")


def _load_section(staff: Staff, ctx: PageContext) -> bool:
    """Loading: the city picker, and the picked city in the form; True for a new city."""
    lang = ctx.lang
    cities = ctx.catalog.cities()
    options = [NEW, *cities.index]
    if st.session_state.get("city_pick") not in options:
        st.session_state["city_pick"] = str(cities.index[0]) if len(cities) else NEW
    st.selectbox(
        t("picker.city", lang),
        options,
        key="city_pick",
        format_func=lambda cid: (
            t("cur.city.new", lang) if cid == NEW else localized_value(cities.loc[cid], "name", lang)
        ),
    )
    if (
        st.session_state.get("city_loaded") != st.session_state["city_pick"]
        or _key("id") not in st.session_state
    ):
        _load(staff, st.session_state["city_pick"])
    return st.session_state.get("city_base") is None


def _messages(staff: Staff, lang: str) -> None:
    """The last save's outcome, and a conflict with the way out of it."""
    show_message("city", lang)
    conflict = st.session_state.get("city_conflict")
    if conflict is not None:
        show_conflict(conflict, lang)
        st.button(
            t("cur.conflict.reload", lang),
            on_click=_load,
            args=(staff, st.session_state["city_pick"]),
            key="city_reload",
        )


def _form(is_new: bool, lang: str) -> None:
    """The form: id and names on the left, centre, zoom and time zone on the right."""
    errors: dict[str, Any] = st.session_state.get("city_errors", {})
    st.caption(t("cur.city.help", lang))
    c1, c2 = st.columns(2)
    with c1:
        st.text_input(t("cur.f.id", lang), key=_key("id"), disabled=not is_new, help=t("cur.f.id_help", lang))
        field_error(errors, "id", lang)
        st.text_input(t("cur.f.name", lang), key=_key("name"))
        field_error(errors, "name", lang)
        st.text_input(t("cur.f.name_zh", lang), key=_key("name_zh"))
        st.text_input(t("cur.city.country", lang), key=_key("country"))
    with c2:
        st.number_input(t("cur.f.lat", lang), key=_key("lat"), format="%.6f", min_value=-90.0, max_value=90.0)
        field_error(errors, "lat", lang)
        st.number_input(
            t("cur.f.lon", lang), key=_key("lon"), format="%.6f", min_value=-180.0, max_value=180.0
        )
        field_error(errors, "lon", lang)
        st.number_input(t("cur.city.zoom", lang), key=_key("zoom"), min_value=1, max_value=19, step=1)
        field_error(errors, "zoom", lang)
        st.text_input(
            t("cur.city.timezone", lang), key=_key("timezone"), help=t("cur.city.timezone_help", lang)
        )
        field_error(errors, "timezone", lang)


def _history(staff: Staff, lang: str) -> None:
    """The city's saved versions (restoring a city is not offered)."""
    with st.expander(t("cur.hist.title", lang), icon=":material/history:"):
        history = staff.curator.history(cu.CITY, st.session_state["city_pick"])
        show_history(
            history,
            current_version=history[0].version if history else 1,
            lang=lang,
            can_restore=False,
            on_restore=lambda _version: None,
            key="city_hist",
        )


def cities_section(staff: Staff, ctx: PageContext) -> None:
    """The city editor (admins): pick or start a city, edit it, save, see its history."""
    lang = ctx.lang
    if not staff.can(acc.MANAGE_CITIES):
        st.warning(t("cur.city.admins_only", lang))
        return
    is_new = _load_section(staff, ctx)
    _messages(staff, lang)
    _form(is_new, lang)
    st.button(
        t("cur.save", lang),
        type="primary",
        on_click=guarded(_save),
        args=(staff,),
        key="city_save",
        icon=":material/save:",
    )
    if not is_new:
        _history(staff, lang)
