"""Staff: create and edit a city's itineraries: texts in both languages, theme, mode, start,
stops (from the map or the list; reordered; visit time and notes), draft or published, featured;
previewed with the Itineraries page's own timeline and route.

The callbacks (``_load``, ``_move``, ``_save``, ...) change the session state before a run; the
section then draws, in parts: loading, the form (fields, stops, adding stops), the actions,
the preview and history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from itinerary import curation as cu
from itinerary import maps
from itinerary.accounts import EDIT_CONTENT, PUBLISH
from itinerary.catalog import LandmarkFilter, localized, nearest_landmark
from itinerary.i18n import t
from itinerary.models import MODES
from itinerary.plans import parse_hhmm, places_for, plan_days
from ui.mapview import city_base_map, landmark_layer, show_map
from ui.setup import PageContext, now_in
from ui.staff import (
    Staff,
    attempt,
    conflict_panel,
    field_error,
    guarded,
    show_history,
    show_message,
    staff_context,
    start_action,
)
from ui.text import md_escape
from ui.timeline import render_timeline

NEW = "__new__"
MAP_KEY = "it_map"
STATUS_CHOICES = ("draft", "published", "archived")  # in the order of an itinerary's life
FIELDS = ("id", "title", "title_zh", "theme_id", "summary", "summary_zh", "mode", "featured", "status")


def _key(name: str) -> str:
    return f"it_f_{name}"


def _stop_key(uid: str, name: str) -> str:
    return f"it_s_{uid}_{name}"


def _new_stop(landmark_id: str, dwell: int | None = None, note: str = "", note_zh: str = "") -> str:
    uid = uuid.uuid4().hex[:8]
    st.session_state[_stop_key(uid, "landmark_id")] = landmark_id
    st.session_state[_stop_key(uid, "dwell_minutes")] = dwell
    st.session_state[_stop_key(uid, "note")] = note
    st.session_state[_stop_key(uid, "note_zh")] = note_zh
    return uid


def _load(staff: Staff, itinerary_id: str) -> None:
    for key in [
        k
        for k in st.session_state
        # MAP_KEY too: a pin clicked before counts as a new click on the next itinerary
        if str(k).startswith(("it_f_", "it_s_", "it_msg", "it_conflict", "it_errors", MAP_KEY))
    ]:
        del st.session_state[key]
    st.session_state["it_tried"] = False
    if itinerary_id == NEW:
        values: dict[str, Any] = {
            "mode": "walk",
            "status": "draft",
            "featured": False,
            "start_time": "09:00",
            "theme_id": "",
        }
        stops: list[dict[str, Any]] = []
        st.session_state["it_base"] = None
    else:
        it, stop_rows, version = staff.curator.itinerary(itinerary_id)
        snap = cu.itinerary_snapshot(it, stop_rows)
        values, stops = snap, snap["stops"]
        st.session_state["it_base"] = version
    for name in FIELDS:
        st.session_state[_key(name)] = values.get(name, "") if name != "featured" else bool(values.get(name))
    st.session_state[_key("start_time")] = parse_hhmm(str(values.get("start_time") or "09:00")) or time(9)
    st.session_state["it_stops"] = [
        _new_stop(s["landmark_id"], s.get("dwell_minutes"), s.get("note", ""), s.get("note_zh", ""))
        for s in stops
    ]
    st.session_state["it_loaded"] = itinerary_id
    st.session_state["it_snapshot"] = _fields()  # to tell unsaved edits


def _fields() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    fields = {name: st.session_state.get(_key(name)) for name in FIELDS}
    start = st.session_state.get(_key("start_time"))
    fields["start_time"] = start.strftime("%H:%M") if isinstance(start, time) else ""
    stops = [
        {name: st.session_state.get(_stop_key(uid, name)) for name in cu.STOP_FIELDS}
        for uid in st.session_state.get("it_stops", [])
    ]
    return fields, stops


def _move(uid: str, step: int) -> None:
    st.session_state.pop("it_msg", None)
    order: list[str] = st.session_state["it_stops"]
    i = order.index(uid)
    j = i + step
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]


def _remove(uid: str) -> None:
    st.session_state.pop("it_msg", None)
    st.session_state["it_stops"].remove(uid)
    st.session_state.pop(MAP_KEY, None)  # so that clicking the same pin again adds it again


def _add_from_list() -> None:
    st.session_state.pop("it_msg", None)
    lid = st.session_state.get("it_add")
    if lid:
        st.session_state["it_stops"].append(_new_stop(lid))
        st.session_state["it_add"] = None


def _add_from_map(staff: Staff, ctx: PageContext) -> None:
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_object_clicked")
    if not clicked:
        return
    frame = ctx.catalog.landmarks(staff.city_id, include_drafts=True)
    frame = frame[frame["status"] != "archived"]
    lid = nearest_landmark(frame, float(clicked["lat"]), float(clicked["lng"]))
    if lid:
        st.session_state["it_stops"].append(_new_stop(lid))
        st.session_state["it_msg"] = ("info", "cur.it.added_from_map")


def _save(staff: Staff, *, overwrite: bool = False) -> None:
    conflict: cu.Conflict | None = st.session_state.get("it_conflict")
    start_action("it")
    st.session_state["it_tried"] = True
    new = st.session_state.get("it_base") is None
    fields, stops = _fields()
    try:
        it, parsed = cu.parse_itinerary(fields, stops, staff_context(staff), new=new)
    except cu.FieldErrors:
        st.session_state["it_msg"] = ("error", "cur.fix_fields")  # each field shows its own error
        return
    base = st.session_state.get("it_base")
    if overwrite and conflict is not None:
        base = conflict.current_version  # over the version the editor was shown, no newer one
    version = attempt(
        "it", "save", lambda: staff.curator.save_itinerary(staff.account, it, parsed, base_version=base)
    )
    if version is None:
        return
    st.session_state["it_base"] = version
    st.session_state["it_snapshot"] = _fields()
    st.session_state["it_pick"] = it.id
    st.session_state["it_loaded"] = it.id
    st.session_state["it_tried"] = False
    st.session_state["it_msg"] = ("success", "cur.saved")


def _archive(staff: Staff, itinerary_id: str) -> None:
    start_action("it")
    if _fields() != st.session_state.get("it_snapshot"):
        st.session_state["it_msg"] = ("warning", "cur.unsaved_first")
        return
    base = st.session_state["it_base"]
    version = attempt(
        "it",
        "archive",
        lambda: staff.curator.archive_itinerary(staff.account, itinerary_id, base_version=base),
    )
    if version is None:
        return
    st.session_state["it_base"] = version
    st.session_state[_key("status")] = "archived"
    st.session_state[_key("featured")] = False
    st.session_state["it_snapshot"] = _fields()
    st.session_state["it_msg"] = ("success", "cur.archived")


def _restore(staff: Staff, itinerary_id: str, version: int) -> None:
    start_action("it")
    base = st.session_state["it_base"]
    restored = attempt(
        "it",
        "restore",
        lambda: staff.curator.restore(staff.account, cu.ITINERARY, itinerary_id, version, base_version=base),
    )
    if restored is None:
        return
    _load(staff, itinerary_id)
    st.session_state["it_msg"] = ("success", "cur.restored")


# --- the section, in parts: loading, the form, the preview, the actions ----------------------


@dataclass(frozen=True)
class _Loaded:
    """What the section shows: the city's itineraries and landmarks (drafts too), the picked one."""

    landmarks: pd.DataFrame
    usable: pd.DataFrame  # the landmarks a stop may use (not archived)
    themes: pd.DataFrame
    names: pd.Series
    picked: str  # an itinerary id, or NEW
    is_new: bool


def _status_label(status: str, lang: str) -> str:
    return t(f"cur.status.{status}", lang)


def _load_section(staff: Staff, ctx: PageContext) -> _Loaded:
    """Loading: the itinerary picker, and the picked itinerary in the form (once per pick)."""
    lang = ctx.lang
    itineraries = ctx.catalog.itineraries(staff.city_id, include_drafts=True)
    landmarks = ctx.catalog.landmarks(staff.city_id, include_drafts=True)
    titles = localized(itineraries, "title", lang)
    options = [NEW, *itineraries.index]
    if st.session_state.get("it_pick") not in options:
        st.session_state["it_pick"] = NEW if itineraries.empty else str(itineraries.index[0])

    def label(iid: str) -> str:
        if iid == NEW:
            return t("cur.it.new", lang)
        return f"{titles[iid]} · {_status_label(str(itineraries.loc[iid, 'status']), lang)}"

    st.selectbox(
        t("cur.it.pick", lang),
        options,
        format_func=label,
        key="it_pick",
        on_change=lambda: _load(staff, st.session_state["it_pick"]),
    )
    if st.session_state.get("it_loaded") != st.session_state["it_pick"] or _key("id") not in st.session_state:
        _load(staff, st.session_state["it_pick"])
    return _Loaded(
        landmarks=landmarks,
        usable=landmarks[landmarks["status"] != "archived"],
        themes=ctx.catalog.themes(),
        names=localized(landmarks, "name", lang),
        picked=st.session_state["it_pick"],
        is_new=st.session_state.get("it_base") is None,
    )


def _validate(staff: Staff, is_new: bool) -> dict[str, Any]:
    """The form checked as a save would check it: the errors per field (``stops.2.note`` for a
    stop's), shown once a save was tried, or at once for an existing itinerary."""
    fields, stops = _fields()
    try:
        cu.parse_itinerary(fields, stops, staff_context(staff), new=is_new)
    except cu.FieldErrors as found:
        if st.session_state.get("it_tried") or not is_new:
            return dict(found.reasons)
    return {}


def _itinerary_fields(staff: Staff, shown: _Loaded, errors: dict[str, Any], lang: str) -> None:
    """The form, first part: id, titles, summaries, theme, mode, start, status, featured."""
    st.text_input(
        t("cur.f.id", lang), key=_key("id"), disabled=not shown.is_new, help=t("cur.f.id_help", lang)
    )
    field_error(errors, "id", lang)
    c1, c2 = st.columns(2)
    with c1:
        st.text_input(t("cur.f.title", lang), key=_key("title"))
        field_error(errors, "title", lang)
    with c2:
        st.text_input(t("cur.f.title_zh", lang), key=_key("title_zh"))
    st.text_area(t("cur.f.summary", lang), key=_key("summary"), height=80)
    st.text_area(t("cur.f.summary_zh", lang), key=_key("summary_zh"), height=80)
    c1, c2, c3 = st.columns(3)
    with c1:
        theme_labels = localized(shown.themes, "label", lang)
        st.selectbox(
            t("cur.f.theme", lang),
            ["", *shown.themes.index],
            key=_key("theme_id"),
            format_func=lambda tid: str(theme_labels.get(tid, t("cur.f.no_theme", lang))),
        )
        field_error(errors, "theme_id", lang)
    with c2:
        st.selectbox(
            t("cur.f.mode", lang), MODES, key=_key("mode"), format_func=lambda m: t(f"mode.{m}", lang)
        )
    with c3:
        st.time_input(t("cur.f.start", lang), key=_key("start_time"), step=900)
    c1, c2 = st.columns(2)
    with c1:
        st.selectbox(
            t("cur.f.status", lang),
            STATUS_CHOICES,
            key=_key("status"),
            format_func=lambda s: _status_label(s, lang),
            disabled=not staff.can(PUBLISH),
        )
        field_error(errors, "status", lang)
    with c2:
        st.checkbox(t("cur.f.featured", lang), key=_key("featured"), help=t("cur.f.featured_help", lang))


def _stop_rows(shown: _Loaded, errors: dict[str, Any], lang: str) -> None:
    """The form, the stops in order: move up or down, remove, visit time and notes."""
    st.markdown(f"**{t('cur.it.stops', lang)}**")
    field_error(errors, "stops", lang)
    order: list[str] = st.session_state.get("it_stops", [])
    for n, uid in enumerate(order, start=1):
        lid = st.session_state.get(_stop_key(uid, "landmark_id"))
        with st.container(border=True):
            head, up, down, remove = st.columns([6, 1, 1, 1], vertical_alignment="center")
            head.markdown(f"**{n}. {md_escape(str(shown.names.get(lid, lid)))}**")
            up.button(
                "↑",
                key=f"it_up_{uid}",
                on_click=_move,
                args=(uid, -1),
                disabled=n == 1,
                help=t("cur.it.up", lang),
            )
            down.button(
                "↓",
                key=f"it_down_{uid}",
                on_click=_move,
                args=(uid, 1),
                disabled=n == len(order),
                help=t("cur.it.down", lang),
            )
            remove.button(
                "✕", key=f"it_rm_{uid}", on_click=_remove, args=(uid,), help=t("cur.it.remove", lang)
            )
            c1, c2, c3 = st.columns([1, 2, 2])
            c1.number_input(
                t("cur.it.dwell", lang),
                key=_stop_key(uid, "dwell_minutes"),
                min_value=0,
                max_value=1440,
                step=5,
                placeholder=t("cur.it.dwell_default", lang),
            )
            c2.text_input(t("cur.it.note", lang), key=_stop_key(uid, "note"))
            c3.text_input(t("cur.it.note_zh", lang), key=_stop_key(uid, "note_zh"))
            for name in cu.STOP_FIELDS:
                field_error(errors, f"stops.{n}.{name}", lang)


def _stop_adders(staff: Staff, ctx: PageContext, shown: _Loaded) -> None:
    """The form, adding stops: from the list of the city's landmarks, or by a pin on the map."""
    lang = ctx.lang
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.selectbox(
        t("cur.it.add", lang),
        list(shown.usable.index),
        index=None,
        key="it_add",
        format_func=lambda lid: (
            f"{shown.names[lid]} · {_status_label(str(shown.landmarks.loc[lid, 'status']), lang)}"
        ),
        placeholder=t("cur.it.add_placeholder", lang),
    )
    c2.button(t("cur.it.add_button", lang), on_click=_add_from_list, key="it_add_btn", icon=":material/add:")
    st.caption(t("cur.it.map_help", lang))
    show_map(
        city_base_map(ctx, links=False),
        [landmark_layer(ctx.catalog, staff.city_id, lang, LandmarkFilter())],
        key=MAP_KEY,
        height=360,
        on_change=lambda: _add_from_map(staff, ctx),
    )


def _actions(staff: Staff, shown: _Loaded, lang: str) -> None:
    """The actions: save (for an editor of the city) and archive (for a saved itinerary)."""
    c1, c2 = st.columns(2)
    c1.button(
        t("cur.save", lang),
        type="primary",
        on_click=guarded(_save),
        args=(staff,),
        key="it_save",
        disabled=not staff.can(EDIT_CONTENT),
        icon=":material/save:",
    )
    if not shown.is_new and st.session_state.get(_key("status")) != "archived":
        c2.button(
            t("cur.archive", lang),
            on_click=guarded(_archive),
            args=(staff, shown.picked),
            key="it_archive",
            icon=":material/archive:",
        )


def _preview(staff: Staff, ctx: PageContext, shown: _Loaded) -> None:
    """The preview: the Itineraries page's own timeline and route of the stops as they stand,
    even while other fields are still incomplete."""
    lang = ctx.lang
    landmarks = shown.landmarks
    fields, stops = _fields()
    st.markdown(f"**{t('cur.preview', lang)}**")
    with st.container(border=True):
        ids = [str(s["landmark_id"]) for s in stops if s.get("landmark_id") in landmarks.index]
        if not ids:
            st.caption(t("cur.it.preview_empty", lang))
            return
        dwell = {
            str(s["landmark_id"]): float(s["dwell_minutes"])
            for s in stops
            if s.get("landmark_id") in landmarks.index and isinstance(s.get("dwell_minutes"), int | float)
        }
        mode = fields["mode"] if fields.get("mode") in MODES else "walk"
        start = st.session_state.get(_key("start_time"))
        days = plan_days(
            places_for(landmarks, ids, dwell=dwell),
            day=now_in(ctx.timezone).date(),
            start_time=start if isinstance(start, time) else time(9),
            mode=mode,
            city_id=staff.city_id,
            timezone=ctx.timezone,
        )
        title = str(
            fields.get("title_zh") if lang == "zh" and fields.get("title_zh") else fields.get("title") or ""
        )
        if title:
            st.subheader(md_escape(title), anchor=False)
        render_timeline(days, landmarks=landmarks, mode=mode, lang=lang)
        route = maps.route_group(
            [
                maps.RouteStop(
                    lid,
                    float(landmarks.loc[lid, "lat"]),
                    float(landmarks.loc[lid, "lon"]),
                    str(shown.names[lid]),
                    False,
                )
                for lid in ids
            ],
            lang=ctx.lang,
        )
        show_map(
            city_base_map(ctx, links=False), [route], key="it_preview_map", height=300, returned_objects=()
        )


def _history(staff: Staff, shown: _Loaded, lang: str) -> None:
    """Every saved version of the itinerary, each with a restore button."""
    if shown.is_new:
        return
    with st.expander(t("cur.hist.title", lang), icon=":material/history:"):
        show_history(
            staff.curator.history(cu.ITINERARY, shown.picked),
            current_version=int(st.session_state["it_base"]),
            lang=lang,
            can_restore=staff.can(EDIT_CONTENT),
            on_restore=partial(guarded(_restore), staff, shown.picked),
            key="it_hist",
        )


def itineraries_section(staff: Staff, ctx: PageContext) -> None:
    """The itinerary editor: pick or start one, edit it and its stops, see its timeline and route."""
    lang = ctx.lang
    shown = _load_section(staff, ctx)
    show_message("it", lang)
    conflict_panel(
        "it",
        lang,
        reload=partial(_load, staff, shown.picked),
        overwrite=partial(guarded(_save), staff, overwrite=True),
    )
    errors = _validate(staff, shown.is_new)
    form_col, side_col = st.columns([3, 2], gap="large")
    with form_col:
        _itinerary_fields(staff, shown, errors, lang)
        _stop_rows(shown, errors, lang)
        _stop_adders(staff, ctx, shown)
        _actions(staff, shown, lang)
    with side_col:
        _preview(staff, ctx, shown)
        _history(staff, shown, lang)
