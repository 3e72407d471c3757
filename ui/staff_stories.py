"""Staff: a city account's profile and its stories (draft or published), with a live preview of a
chapter and its place on the map. Editors of the city may do this; ``itinerary`` decides."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd
import streamlit as st

from itinerary import accounts as acc
from itinerary import cityaccounts as ca
from itinerary import maps
from itinerary.catalog import localized_value
from itinerary.curation.stories import (
    CHAPTER_FIELDS,
    PROFILE_FIELDS,
    StoryDesk,
    parse_profile,
    parse_story,
    save_profile,
)
from itinerary.i18n import t
from itinerary.models import PARTNERSHIPS, STATUSES
from ui.mapview import show_map
from ui.setup import PageContext
from ui.staff import Staff, attempt, guarded, show_history, show_message, start_action
from ui.text import md_escape

NEW = "__new__"
STORY_FIELDS = ("id", "title", "title_zh", "summary", "summary_zh", "itinerary_id", "status")


def _lines(cell: str) -> str:
    return "\n".join(ca.items(cell))


# --- the profile ----------------------------------------------------------------------------------


def _load_profile(staff: Staff) -> None:
    city = staff.curator.city(staff.city_id)
    st.session_state["acct_base"] = city
    st.session_state["acct_loaded"] = staff.city_id
    for name in PROFILE_FIELDS:
        value = getattr(city, name)
        if name in ("facts", "facts_zh", "fact_sources"):
            value = _lines(value)
        st.session_state[f"acct_f_{name}"] = "" if value is None else str(value)


@guarded
def _save_profile(staff: Staff) -> None:
    start_action("acct")
    base = st.session_state["acct_base"]
    others = [c for c in staff.curator.store.dataset().cities if c.id != base.id]
    fields = {name: st.session_state.get(f"acct_f_{name}") for name in PROFILE_FIELDS}

    def write() -> int:
        city = parse_profile(base, fields, others=others)
        return save_profile(staff.curator.store, staff.account, city, base=base)

    if attempt("acct", "save", write) is not None:
        st.session_state["acct_msg"] = ("success", "cur.saved")
        _load_profile(staff)


def _profile(staff: Staff, lang: str) -> None:
    if st.session_state.get("acct_loaded") != staff.city_id:
        _load_profile(staff)
    st.subheader(t("acct.profile", lang), anchor=False)
    c1, c2 = st.columns(2)
    c1.text_input(t("acct.portrait", lang), key="acct_f_portrait")
    c2.text_input(t("acct.portrait_zh", lang), key="acct_f_portrait_zh")
    c1, c2, c3 = st.columns(3)
    c1.text_area(t("acct.facts", lang), key="acct_f_facts", help=t("acct.one_a_line", lang))
    c2.text_area(t("acct.facts_zh", lang), key="acct_f_facts_zh", help=t("acct.one_a_line", lang))
    c3.text_area(t("acct.fact_sources", lang), key="acct_f_fact_sources", help=t("acct.one_a_line", lang))
    c1, c2, c3, c4 = st.columns(4)
    c1.selectbox(
        t("acct.partnership", lang),
        PARTNERSHIPS,
        format_func=lambda k: t(ca.partnership_key(k), lang),
        key="acct_f_partnership",
    )
    c2.text_input(t("acct.partner_since", lang), key="acct_f_partner_since")
    c3.text_input(t("acct.joined", lang), key="acct_f_joined", help=t("acct.joined_help", lang))
    c4.text_input(t("acct.join_order", lang), key="acct_f_join_order")
    st.button(t("cur.save", lang), on_click=_save_profile, args=(staff,), key="acct_save", type="primary")
    show_message("acct", lang)


# --- stories ----------------------------------------------------------------------------------------


def _load_story(staff: Staff, story_id: str) -> None:
    desk = StoryDesk(staff.curator.store)
    if story_id == NEW:
        values: dict[str, Any] = {"status": "draft", "itinerary_id": ""}
        chapters: list[dict[str, Any]] = []
        version = None
    else:
        story, found, version = desk.story(story_id)
        values = asdict(story)
        chapters = [{k: getattr(c, k) for k in CHAPTER_FIELDS} for c in found]
    st.session_state["story_version"] = version
    st.session_state["story_loaded"] = (staff.city_id, story_id)
    for name in STORY_FIELDS:
        st.session_state[f"story_f_{name}"] = values.get(name) or ("" if name != "status" else "draft")
    st.session_state["story_chapters_base"] = pd.DataFrame(chapters, columns=list(CHAPTER_FIELDS))
    st.session_state.pop("story_chapters", None)


def _chapter_rows() -> list[dict[str, Any]]:
    """The chapters as the editor holds them now (the table and its unsaved edits)."""
    frame = st.session_state["story_chapters_base"]
    edits = st.session_state.get("story_chapters") or {}
    rows = frame.to_dict("records")
    for index, changes in (edits.get("edited_rows") or {}).items():
        rows[int(index)].update(changes)
    rows += list(edits.get("added_rows") or [])
    gone = {int(i) for i in edits.get("deleted_rows") or []}
    return [
        {k: ("" if v is None or (isinstance(v, float) and v != v) else v) for k, v in row.items()}
        for i, row in enumerate(rows)
        if i not in gone
    ]


def _rows(staff: Staff) -> tuple[dict[str, Any], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    data = staff.curator.store.dataset()
    city = next(asdict(c) for c in data.cities if c.id == staff.city_id)
    return city, {i.id: asdict(i) for i in data.itineraries}, {lm.id: asdict(lm) for lm in data.landmarks}


@guarded
def _save_story(staff: Staff) -> None:
    start_action("story")
    city, itineraries, landmarks = _rows(staff)
    fields = {name: st.session_state.get(f"story_f_{name}") for name in STORY_FIELDS}
    desk = StoryDesk(staff.curator.store)

    def write() -> int:
        story, chapters = parse_story(
            fields, _chapter_rows(), city=city, itineraries=itineraries, landmarks=landmarks
        )
        return desk.save(staff.account, story, chapters, base_version=st.session_state.get("story_version"))

    if attempt("story", "save", write) is not None:
        st.session_state["story_msg"] = ("success", "cur.saved")
        st.session_state["story_pick"] = fields["id"]
        _load_story(staff, str(fields["id"]))


@guarded
def _restore_story(staff: Staff, version: int) -> None:
    start_action("story")
    story_id = st.session_state["story_loaded"][1]
    desk = StoryDesk(staff.curator.store)
    done = attempt(
        "story",
        "restore",
        lambda: desk.restore(
            staff.account, story_id, version, base_version=st.session_state["story_version"]
        ),
    )
    if done is not None:
        st.session_state["story_msg"] = ("success", "cur.saved")
        _load_story(staff, story_id)


def _preview(staff: Staff, ctx: PageContext, lang: str) -> None:
    """The chosen chapter as a visitor would read it, and its place, from the unsaved input."""
    rows = _chapter_rows()
    if not rows:
        return
    st.markdown(f"**{t('acct.preview', lang)}**")
    number = st.number_input(t("acct.preview_chapter", lang), 1, len(rows), 1, key="story_preview_n")
    landmarks = ctx.catalog.landmarks(staff.city_id, include_drafts=True)
    frame = pd.DataFrame([{**r, "position": i} for i, r in enumerate(rows, start=1)])
    views = ca.chapter_views(frame, landmarks, ctx.city, lang)
    view = views[int(number) - 1]
    with st.container(border=True):
        st.caption(t("story.chapter_of", lang, number=view.number, count=len(views)))
        st.markdown(f"**{md_escape(view.title)}**")
        st.markdown(md_escape(view.text))
        base = maps.base_map(
            center=(view.place.lat, view.place.lon),
            zoom=view.place.zoom,
            tiles=maps.TileConfig.from_env(),
            lang=lang,
        )
        group = maps.folium.FeatureGroup(name="preview")
        maps.highlight_marker(view.place.lat, view.place.lon, view.title).add_to(group)
        show_map(
            base,
            [group],
            key="story_preview_map",
            height=300,
            center=(view.place.lat, view.place.lon),
            zoom=view.place.zoom,
            returned_objects=(),
        )


def _stories(staff: Staff, ctx: PageContext, lang: str) -> None:
    st.subheader(t("city.stories", lang), anchor=False)
    stories = ctx.catalog.stories(staff.city_id, include_drafts=True)
    options = [NEW, *stories.index]
    if st.session_state.get("story_pick") not in options:
        st.session_state["story_pick"] = options[1] if len(options) > 1 else NEW
    st.selectbox(
        t("acct.story", lang),
        options,
        format_func=lambda s: (
            t("acct.new_story", lang) if s == NEW else localized_value(stories.loc[s], "title", lang)
        ),
        key="story_pick",
    )
    picked = st.session_state["story_pick"]
    if st.session_state.get("story_loaded") != (staff.city_id, picked):
        _load_story(staff, picked)
    itineraries = ctx.catalog.itineraries(staff.city_id, include_drafts=True)
    c1, c2, c3 = st.columns(3)
    c1.text_input(t("acct.story_id", lang), key="story_f_id", disabled=picked != NEW)
    c2.selectbox(
        t("acct.story_itinerary", lang),
        ["", *itineraries.index],
        format_func=lambda i: "—" if not i else localized_value(itineraries.loc[i], "title", lang),
        key="story_f_itinerary_id",
    )
    c3.selectbox(
        t("cur.f.status", lang),
        STATUSES,
        format_func=lambda s: t(f"cur.status.{s}", lang),
        key="story_f_status",
    )
    c1, c2 = st.columns(2)
    c1.text_input(t("acct.title", lang), key="story_f_title")
    c2.text_input(t("acct.title_zh", lang), key="story_f_title_zh")
    c1.text_area(t("acct.summary", lang), key="story_f_summary")
    c2.text_area(t("acct.summary_zh", lang), key="story_f_summary_zh")
    st.markdown(f"**{t('acct.chapters', lang)}**")
    st.caption(t("acct.chapters_help", lang))
    st.data_editor(
        st.session_state["story_chapters_base"],
        key="story_chapters",
        num_rows="dynamic",
        use_container_width=True,
        hide_index=True,
    )
    st.button(t("cur.save", lang), on_click=_save_story, args=(staff,), key="story_save", type="primary")
    show_message("story", lang)
    _preview(staff, ctx, lang)
    if picked != NEW:
        show_history(
            StoryDesk(staff.curator.store).history(picked),
            current_version=int(st.session_state.get("story_version") or 0),
            lang=lang,
            can_restore=staff.can(acc.EDIT_CONTENT),
            on_restore=lambda version: _restore_story(staff, version),
            key="story_hist",
        )


def stories_section(staff: Staff, ctx: PageContext) -> None:
    """The city account section of /curate: its profile, then its stories."""
    if not staff.can(acc.EDIT_CONTENT):
        st.info(t("acct.read_only", staff.lang))
        return
    _profile(staff, staff.lang)
    st.divider()
    _stories(staff, ctx, staff.lang)
