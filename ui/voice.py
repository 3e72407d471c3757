"""Visitors' voice on the visitor pages: "Report a problem" under a landmark card and "Suggest
a place" on Explore (``itinerary.voice``: the checks, the limits, the inbox).

No account and nothing about the person: the forms say what is kept (the text, the time and the
page). The session's rate-limit bucket is a hash of a random token kept in the session's own
state, never a cookie. What a visitor sends is shown to nobody but staff.
"""

from __future__ import annotations

import secrets

import folium
import pandas as pd
import streamlit as st

from itinerary import maps
from itinerary.catalog import localized
from itinerary.i18n import t
from itinerary.voice import (
    MAX_PROPOSED,
    MAX_TEXT,
    SUGGESTION,
    TOPICS,
    Inbox,
    Message,
    VoiceRefused,
    session_bucket,
)
from ui.mapview import show_map
from ui.setup import PageContext

TOKEN_KEY = "vo_token"
NO_THEME = ""


def _session() -> str:
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        token = st.session_state[TOKEN_KEY] = secrets.token_urlsafe(16)
    return session_bucket(str(token))


def _picked(map_key: str) -> tuple[float, float] | None:
    clicked = (st.session_state.get(map_key) or {}).get("last_clicked")
    if not clicked:
        return None
    return round(float(clicked["lat"]), 6), round(((float(clicked["lng"]) + 180) % 360) - 180, 6)


def _point_picker(ctx: PageContext, map_key: str, center: tuple[float, float], zoom: int) -> None:
    """A small map: a click chooses the point (shown under it, with a pin)."""
    point = _picked(map_key)
    base = maps.base_map(
        center=center, zoom=zoom, tiles=maps.TileConfig.from_env(), lang=ctx.lang, links=False
    )
    layer = folium.FeatureGroup(name="voice_point")
    if point is not None:
        maps.highlight_marker(point[0], point[1], t("voice.point.chosen_pin", ctx.lang)).add_to(layer)
    show_map(base, [layer], key=map_key, height=260, returned_objects=("last_clicked",))
    if point is None:
        st.caption(t("voice.point.hint", ctx.lang))
    else:
        st.caption(t("voice.point.chosen", ctx.lang, lat=f"{point[0]:.5f}", lon=f"{point[1]:.5f}"))


def _outcome(prefix: str, lang: str) -> None:
    said = st.session_state.get(f"{prefix}_said")
    if said is None:
        return
    if isinstance(said, VoiceRefused):
        st.error(said.text(lang), icon=":material/block:")
    else:
        st.success(t("voice.thanks", lang), icon=":material/check_circle:")


def _send(ctx: PageContext, prefix: str, message: Message, fields: tuple[str, ...]) -> None:
    catalog = ctx.catalog
    try:
        Inbox(catalog.store).send(
            message,
            session=_session(),
            landmarks=catalog.landmarks(ctx.city_id).index,
            themes=catalog.themes().index,
        )
    except VoiceRefused as refused:
        st.session_state[f"{prefix}_said"] = refused  # the fields keep what the visitor wrote
        return
    st.session_state[f"{prefix}_said"] = "sent"
    for name in fields:
        st.session_state.pop(f"{prefix}_{name}", None)


# --- "Report a problem" ---------------------------------------------------------------------------


def _send_report(ctx: PageContext, landmark_id: str, page: str) -> None:
    topic = str(st.session_state.get("vo_r_topic") or "")
    message = Message(
        city_id=ctx.city_id,
        kind="correction",
        topic=topic,
        landmark_id=landmark_id,
        text=str(st.session_state.get("vo_r_text") or ""),
        proposed=str(st.session_state.get("vo_r_value") or "") if topic != "place" else "",
        point=_picked("vo_r_map") if topic == "place" else None,
        page=page,
        lang=ctx.lang,
    )
    _send(ctx, "vo_r", message, ("text", "value", "map", "topic"))


def report_problem(ctx: PageContext, row: pd.Series, *, page: str) -> None:
    """The "Report a problem" form of the landmark ``row``, folded under its card."""
    lang = ctx.lang
    landmark_id = str(row["id"])
    if st.session_state.get("vo_r_for") != landmark_id:  # another place: a fresh form
        for name in ("topic", "text", "value", "map", "said"):
            st.session_state.pop(f"vo_r_{name}", None)
        st.session_state["vo_r_for"] = landmark_id
    with (
        st.container(key="vo_report"),
        st.expander(
            t("voice.report", lang), icon=":material/flag:", expanded="vo_r_said" in st.session_state
        ),
    ):
        st.caption(t("voice.kept", lang))
        topic = st.radio(
            t("voice.report.topic", lang),
            TOPICS,
            format_func=lambda code: t(f"voice.topic.{code}", lang),
            key="vo_r_topic",
        )
        st.text_area(t("voice.report.text", lang), key="vo_r_text", max_chars=MAX_TEXT, height=100)
        if topic == "place":
            _point_picker(ctx, "vo_r_map", (float(row["lat"]), float(row["lon"])), 16)
        else:
            st.text_input(
                t("voice.report.value", lang),
                key="vo_r_value",
                max_chars=MAX_PROPOSED,
                help=t(f"voice.value_help.{topic}", lang),
            )
        st.button(
            t("voice.send", lang),
            on_click=_send_report,
            args=(ctx, landmark_id, page),
            key="vo_r_send",
            type="primary",
        )
        _outcome("vo_r", lang)


# --- "Suggest a place" ----------------------------------------------------------------------------


def _send_suggestion(ctx: PageContext) -> None:
    message = Message(
        city_id=ctx.city_id,
        kind="suggestion",
        topic=SUGGESTION,
        proposed=str(st.session_state.get("vo_s_name") or ""),
        text=str(st.session_state.get("vo_s_why") or ""),
        theme=str(st.session_state.get("vo_s_theme") or NO_THEME),
        point=_picked("vo_s_map"),
        page="explore",
        lang=ctx.lang,
    )
    _send(ctx, "vo_s", message, ("name", "why", "theme", "map", "show_map"))


def suggest_place(ctx: PageContext) -> None:
    """Explore's "Suggest a place" form: a name, why, a theme and a point on the map."""
    lang = ctx.lang
    themes = ctx.catalog.themes()
    labels = localized(themes, "label", lang)
    with (
        st.container(key="vo_suggest"),
        st.expander(
            t("voice.suggest", lang),
            icon=":material/add_location_alt:",
            expanded="vo_s_said" in st.session_state,
        ),
    ):
        st.caption(t("voice.kept", lang))
        st.text_input(t("voice.suggest.name", lang), key="vo_s_name", max_chars=MAX_PROPOSED)
        st.text_area(t("voice.suggest.why", lang), key="vo_s_why", max_chars=MAX_TEXT, height=100)
        st.selectbox(
            t("voice.suggest.theme", lang),
            [NO_THEME, *themes.index],
            format_func=lambda tid: (
                t("voice.suggest.no_theme", lang) if tid == NO_THEME else str(labels[tid])
            ),
            key="vo_s_theme",
        )
        # the map only on demand: Explore's every load would otherwise start a second map
        if st.toggle(t("voice.point.show_map", lang), key="vo_s_show_map") or _picked("vo_s_map"):
            center = (float(ctx.city["lat"]), float(ctx.city["lon"]))
            _point_picker(ctx, "vo_s_map", center, int(ctx.city["zoom"]))
        st.button(
            t("voice.send", lang), on_click=_send_suggestion, args=(ctx,), key="vo_s_send", type="primary"
        )
        _outcome("vo_s", lang)
