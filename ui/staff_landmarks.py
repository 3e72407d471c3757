"""Staff: create, edit and archive a city's landmarks; position by address, map click or typed
coordinates (with GCJ-02 conversion); duplicate warnings; the visitor card as a preview.

The callbacks (``_load``, ``_save``, ``_archive``, ...) change the session state before a run;
the section then draws, in parts: loading, the form, the actions, the preview and history.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from itinerary import curation as cu
from itinerary import geodesy, maps
from itinerary.accounts import EDIT_CONTENT, PUBLISH
from itinerary.catalog import LandmarkFilter, localized
from itinerary.geocode import geocode_address
from itinerary.i18n import t
from itinerary.models import WHEELCHAIR
from ui.cards import landmark_card
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
    staff_geocoder,
    start_action,
)
from ui.staff_access import access_fields, form_value, place_fields
from ui.staff_inbox import show_proposal
from ui.text import md_escape

NEW = "__new__"
FIELDS = cu.LANDMARK_FIELDS  # id, city_id, name, ... status
MAP_KEY = "lm_map"
STATUS_CHOICES = ("draft", "published", "archived")  # in the order of a landmark's life


def _key(name: str) -> str:
    return f"lm_f_{name}"


def _load(staff: Staff, ctx: PageContext, landmark_id: str) -> None:
    """Put a landmark (or a blank new one) into the form; remember the version it is based on."""
    for key in [
        k for k in st.session_state if str(k).startswith(("lm_f_", "lm_msg", "lm_conflict", "lm_geo"))
    ]:
        del st.session_state[key]
    st.session_state["lm_tried"] = False
    if landmark_id == NEW:
        values: dict[str, Any] = {
            "id": "",
            "lat": float(ctx.city["lat"]),
            "lon": float(ctx.city["lon"]),
            "themes": [],
            "visit_minutes": 60,
            "wheelchair": "unknown",
            "status": "draft",
        }
        st.session_state["lm_base"] = None
    else:
        lm, version = staff.curator.landmark(landmark_id)
        values = cu.landmark_snapshot(lm)
        st.session_state["lm_base"] = version
    st.session_state["lm_loaded"] = landmark_id
    for name in FIELDS:
        if name == "city_id":
            continue
        st.session_state[_key(name)] = form_value(name, values.get(name, ""))
    st.session_state["lm_snapshot"] = _form_values()  # to tell unsaved edits


def _form_values() -> dict[str, Any]:
    return {name: st.session_state.get(_key(name)) for name in FIELDS if name != "city_id"}


def _on_pick(staff: Staff, ctx: PageContext) -> None:
    _load(staff, ctx, st.session_state["lm_pick"])


def _on_map_click() -> None:
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_clicked")
    if clicked:
        st.session_state[_key("lat")] = round(float(clicked["lat"]), 6)
        # Leaflet reports longitudes beyond ±180 after panning across the date line
        st.session_state[_key("lon")] = round(((float(clicked["lng"]) + 180) % 360) - 180, 6)
        st.session_state["lm_msg"] = ("info", "cur.lm.moved_by_click")


def _on_convert() -> None:
    lat, lon = float(st.session_state[_key("lat")]), float(st.session_state[_key("lon")])
    if geodesy.outside_china(lat, lon):
        st.session_state["lm_msg"] = ("warning", "cur.lm.gcj_outside")
        return
    new_lat, new_lon = geodesy.gcj02_to_wgs84(lat, lon)
    st.session_state[_key("lat")] = round(new_lat, 6)
    st.session_state[_key("lon")] = round(new_lon, 6)
    st.session_state["lm_msg"] = ("info", "cur.lm.converted")


def _on_geocode(staff: Staff, ctx: PageContext) -> None:
    address = str(st.session_state.get(_key("address")) or "").strip()
    if not address:
        st.session_state["lm_msg"] = ("warning", "cur.lm.no_address")
        return
    geocoder = staff_geocoder(staff)
    centre = (float(ctx.city["lat"]), float(ctx.city["lon"]))
    outcome = geocode_address(geocoder, address, city_centre=centre, language=staff.lang)
    found = list(outcome.results)
    st.session_state["lm_geo"] = found
    if outcome.code:
        st.session_state["lm_msg"] = ("warning", f"cur.geo.{outcome.code}")
    elif not found:
        st.session_state["lm_msg"] = ("warning", "cur.geo.not_found")
    else:
        st.session_state[_key("lat")] = round(found[0].lat, 6)
        st.session_state[_key("lon")] = round(found[0].lon, 6)
        st.session_state["lm_msg"] = ("info", "cur.lm.geocoded")


def _use_geo(lat: float, lon: float) -> None:
    st.session_state.pop("lm_msg", None)
    st.session_state[_key("lat")] = round(lat, 6)
    st.session_state[_key("lon")] = round(lon, 6)


def _draft_row(lm: cu.Landmark) -> pd.Series:
    row = pd.Series(cu.landmark_snapshot(lm))
    row["themes"] = tuple(lm.themes)
    return row


def _save(staff: Staff, ctx: PageContext, *, overwrite: bool = False) -> None:
    conflict: cu.Conflict | None = st.session_state.get("lm_conflict")
    start_action("lm")
    st.session_state["lm_tried"] = True
    new = st.session_state.get("lm_base") is None
    try:
        lm = cu.parse_landmark(_form_values(), staff_context(staff), new=new)
    except cu.FieldErrors:
        st.session_state["lm_msg"] = ("error", "cur.fix_fields")  # each field shows its own error
        return
    base = st.session_state.get("lm_base")
    if overwrite and conflict is not None:
        # over the version the editor was shown, not whatever is newest now: a save made after
        # the conflict appeared is one more conflict
        base = conflict.current_version
    version = attempt("lm", "save", lambda: staff.curator.save_landmark(staff.account, lm, base_version=base))
    if version is None:
        return
    st.session_state["lm_base"] = version
    st.session_state["lm_snapshot"] = _form_values()
    st.session_state["lm_pick"] = lm.id
    st.session_state["lm_loaded"] = lm.id
    st.session_state["lm_tried"] = False
    st.session_state["lm_msg"] = ("success", "cur.saved")


def _archive(staff: Staff, landmark_id: str) -> None:
    start_action("lm")
    if _form_values() != st.session_state.get("lm_snapshot"):
        st.session_state["lm_msg"] = ("warning", "cur.unsaved_first")
        return
    base = st.session_state["lm_base"]
    version = attempt(
        "lm", "archive", lambda: staff.curator.archive_landmark(staff.account, landmark_id, base_version=base)
    )
    if version is None:
        return
    st.session_state["lm_base"] = version
    st.session_state[_key("status")] = "archived"
    st.session_state["lm_snapshot"] = _form_values()
    st.session_state["lm_msg"] = ("success", "cur.archived")


def _restore(staff: Staff, ctx: PageContext, landmark_id: str, version: int) -> None:
    start_action("lm")
    base = st.session_state["lm_base"]
    restored = attempt(
        "lm",
        "restore",
        lambda: staff.curator.restore(staff.account, cu.LANDMARK, landmark_id, version, base_version=base),
    )
    if restored is None:
        return
    _load(staff, ctx, landmark_id)
    st.session_state["lm_msg"] = ("success", "cur.restored")


# --- the section, in parts: loading, the form, the preview, the actions ----------------------


@dataclass(frozen=True)
class _Loaded:
    """What the section shows: the city's landmarks (drafts too), themes, the one in the form."""

    landmarks: pd.DataFrame
    themes: pd.DataFrame
    theme_labels: pd.Series
    names: pd.Series
    picked: str  # a landmark id, or NEW
    is_new: bool


def _load_section(staff: Staff, ctx: PageContext) -> _Loaded:
    """Loading: the landmark picker, and the picked landmark in the form (once per pick)."""
    lang = ctx.lang
    landmarks = ctx.catalog.landmarks(staff.city_id, include_drafts=True)
    names = localized(landmarks, "name", lang)
    options = [NEW, *landmarks.index]
    if st.session_state.get("lm_pick") not in options:
        st.session_state["lm_pick"] = NEW if landmarks.empty else str(landmarks.index[0])

    def label(lid: str) -> str:
        if lid == NEW:
            return t("cur.lm.new", lang)
        status = str(landmarks.loc[lid, "status"])
        return f"{names[lid]} · {t(f'cur.status.{status}', lang)}"

    st.selectbox(
        t("cur.lm.pick", lang),
        options,
        format_func=label,
        key="lm_pick",
        on_change=_on_pick,
        args=(staff, ctx),
    )
    if st.session_state.get("lm_loaded") != st.session_state["lm_pick"] or _key("id") not in st.session_state:
        _load(staff, ctx, st.session_state["lm_pick"])
    themes = ctx.catalog.themes()
    return _Loaded(
        landmarks=landmarks,
        themes=themes,
        theme_labels=localized(themes, "label", lang),
        names=names,
        picked=st.session_state["lm_pick"],
        is_new=st.session_state.get("lm_base") is None,
    )


def _validate(staff: Staff, is_new: bool) -> tuple[dict[str, Any], cu.Landmark | None]:
    """The form checked as a save would check it: (errors per field, the landmark if valid).

    Errors show once a save was tried, or at once for an existing landmark."""
    try:
        return {}, cu.parse_landmark(_form_values(), staff_context(staff), new=is_new)
    except cu.FieldErrors as found:
        return (dict(found.reasons) if st.session_state.get("lm_tried") or not is_new else {}), None
    except (TypeError, ValueError):
        return {}, None


def _text_fields(shown: _Loaded, errors: dict[str, Any], lang: str) -> None:
    """The form, first part: id, names, themes, district and address (English and Chinese)."""
    st.text_input(
        t("cur.f.id", lang), key=_key("id"), disabled=not shown.is_new, help=t("cur.f.id_help", lang)
    )
    field_error(errors, "id", lang)
    c1, c2 = st.columns(2)
    with c1:
        st.text_input(t("cur.f.name", lang), key=_key("name"))
        field_error(errors, "name", lang)
    with c2:
        st.text_input(t("cur.f.name_zh", lang), key=_key("name_zh"))
        field_error(errors, "name_zh", lang)
    st.multiselect(
        t("col.themes", lang),
        list(shown.themes.index),
        format_func=lambda tid: str(shown.theme_labels.get(tid, tid)),
        key=_key("themes"),
        placeholder=t("widget.choose", lang),  # Streamlit's own is English
    )
    field_error(errors, "themes", lang)
    place_fields(_key, errors, lang)


def _position_fields(staff: Staff, ctx: PageContext, errors: dict[str, Any]) -> tuple[float, float]:
    """The form, the position: by address, map click or typed coordinates; returns (lat, lon)."""
    lang = ctx.lang
    c1, c2, c3, c4 = st.columns([2, 2, 2, 2], vertical_alignment="bottom")
    with c1:
        st.number_input(
            t("cur.f.lat", lang), key=_key("lat"), format="%.6f", step=0.0001, min_value=-90.0, max_value=90.0
        )
    with c2:
        st.number_input(
            t("cur.f.lon", lang),
            key=_key("lon"),
            format="%.6f",
            step=0.0001,
            min_value=-180.0,
            max_value=180.0,
        )
    with c3:
        st.button(
            t("cur.lm.geocode", lang),
            on_click=guarded(_on_geocode),
            args=(staff, ctx),
            key="lm_geocode",
            icon=":material/travel_explore:",
            width="stretch",
        )
    with c4:
        st.button(
            t("cur.lm.gcj", lang),
            on_click=_on_convert,
            key="lm_gcj",
            help=t("cur.lm.gcj_help", lang),
            icon=":material/swap_horiz:",
            width="stretch",
        )
    field_error(errors, "lat", lang)
    field_error(errors, "lon", lang)
    for k, result in enumerate((st.session_state.get("lm_geo") or [])[:5]):
        st.button(
            t("cur.lm.use_result", lang, place=md_escape(result.label[:120])),
            key=f"lm_geo_{k}",
            on_click=_use_geo,
            args=(result.lat, result.lon),
        )
    lat = float(st.session_state[_key("lat")])
    lon = float(st.session_state[_key("lon")])
    # the city's published pins for orientation, and a ring where the form puts this landmark
    pins = landmark_layer(ctx.catalog, staff.city_id, lang, LandmarkFilter())
    maps.highlight_marker(lat, lon, t("cur.lm.here", lang)).add_to(pins)
    st.caption(t("cur.lm.map_help", lang))
    loaded = st.session_state.get("lm_snapshot") or {}
    show_map(
        city_base_map(ctx, links=False),
        [pins],
        key=MAP_KEY,
        height=380,
        # centred on the landmark as loaded: picking another one moves the map, a click does not
        center=(float(loaded.get("lat", lat)), float(loaded.get("lon", lon))),
        returned_objects=("last_clicked",),
        on_change=_on_map_click,
    )
    return lat, lon


def _detail_fields(staff: Staff, errors: dict[str, Any], lang: str) -> None:
    """The form, the rest: summaries, visit time, access, status, hours, price, website."""
    st.text_area(t("cur.f.summary", lang), key=_key("summary"), height=90)
    st.text_area(t("cur.f.summary_zh", lang), key=_key("summary_zh"), height=90)
    c1, c2, c3 = st.columns(3)
    with c1:
        st.number_input(t("col.visit", lang), key=_key("visit_minutes"), min_value=0, max_value=1440, step=5)
        field_error(errors, "visit_minutes", lang)
    with c2:
        st.selectbox(
            t("col.wheelchair", lang),
            WHEELCHAIR,
            key=_key("wheelchair"),
            format_func=lambda w: t(f"wheelchair.{w}", lang),
        )
    with c3:
        st.selectbox(
            t("cur.f.status", lang),
            STATUS_CHOICES,
            key=_key("status"),
            format_func=lambda s: t(f"cur.status.{s}", lang),
            disabled=not staff.can(PUBLISH),
        )
        field_error(errors, "status", lang)
    c1, c2, c3 = st.columns(3)
    with c1:
        st.text_input(t("col.hours", lang), key=_key("opening_hours"), help=t("cur.f.hours_help", lang))
        field_error(errors, "opening_hours", lang)
    with c2:
        st.text_input(t("col.price", lang), key=_key("price"), help=t("cur.f.price_help", lang))
        field_error(errors, "price", lang)
    with c3:
        st.text_input(t("cur.f.website", lang), key=_key("website"))
        field_error(errors, "website", lang)


def _duplicate_warnings(shown: _Loaded, lat: float, lon: float, lang: str) -> None:
    """Landmarks that are probably this one: the same name, or within a few metres."""
    others = shown.landmarks[shown.landmarks["status"] != "archived"]
    dupes = cu.likely_duplicates(
        others.to_dict("records"),
        name=str(st.session_state.get(_key("name")) or ""),
        name_zh=str(st.session_state.get(_key("name_zh")) or ""),
        lat=lat,
        lon=lon,
        exclude_id=str(st.session_state.get(_key("id")) or "") if not shown.is_new else "",
        lang=lang,
    )
    for dupe_id, dupe_name, reason in dupes:
        st.warning(
            t(
                "cur.lm.duplicate",
                lang,
                name=md_escape(dupe_name),
                id=dupe_id,
                reason=md_escape(reason),
            ),
            icon=":material/content_copy:",
        )


def _actions(staff: Staff, ctx: PageContext, shown: _Loaded) -> None:
    """The actions: save (for an editor of the city) and archive (for a saved landmark)."""
    lang = ctx.lang
    c1, c2 = st.columns(2)
    c1.button(
        t("cur.save", lang),
        type="primary",
        on_click=guarded(_save),
        args=(staff, ctx),
        key="lm_save",
        disabled=not staff.can(EDIT_CONTENT),
        icon=":material/save:",
    )
    if not shown.is_new and st.session_state.get(_key("status")) != "archived":
        c2.button(
            t("cur.archive", lang),
            on_click=guarded(_archive),
            args=(staff, shown.picked),
            key="lm_archive",
            icon=":material/archive:",
        )


def _preview(ctx: PageContext, shown: _Loaded, draft: cu.Landmark | None) -> None:
    """The preview: the visitor's card of the landmark as the form stands, once it is valid."""
    lang = ctx.lang
    st.markdown(f"**{t('cur.preview', lang)}**")
    with st.container(border=True):
        if draft is None:
            st.caption(t("cur.preview_invalid", lang))
            return
        landmark_card(
            _draft_row(draft), themes=shown.themes, timezone=ctx.timezone, now=now_in(ctx.timezone), lang=lang
        )


def _history(staff: Staff, ctx: PageContext, shown: _Loaded) -> None:
    """Every saved version of the landmark, each with a restore button."""
    if shown.is_new:
        return
    with st.expander(t("cur.hist.title", ctx.lang), icon=":material/history:"):
        show_history(
            staff.curator.history(cu.LANDMARK, shown.picked),
            current_version=int(st.session_state["lm_base"]),
            lang=ctx.lang,
            can_restore=staff.can(EDIT_CONTENT),
            on_restore=partial(guarded(_restore), staff, ctx, shown.picked),
            key="lm_hist",
        )


def landmarks_section(staff: Staff, ctx: PageContext) -> None:
    """The landmark editor: pick or start one, edit it with live checks, see the visitor's card."""
    lang = ctx.lang
    shown = _load_section(staff, ctx)
    show_proposal(_key, shown.picked, lang)  # an accepted visitor's correction (ui/staff_inbox.py)
    show_message("lm", lang)
    conflict_panel(
        "lm",
        lang,
        reload=partial(_load, staff, ctx, shown.picked),
        overwrite=partial(guarded(_save), staff, ctx, overwrite=True),
    )
    errors, draft = _validate(staff, shown.is_new)
    form_col, side_col = st.columns([3, 2], gap="large")
    with form_col:
        _text_fields(shown, errors, lang)
        lat, lon = _position_fields(staff, ctx, errors)
        _detail_fields(staff, errors, lang)
        access_fields(_key, errors, lang)
        _duplicate_warnings(shown, lat, lon, lang)
        _actions(staff, ctx, shown)
    with side_col:
        _preview(ctx, shown, draft)
        _history(staff, ctx, shown)
