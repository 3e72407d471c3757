"""Staff: the visitors' Inbox of ``/curate``. A queue per city (the account's own cities only),
each item with accept, reject (a reason from a short list or a text) and spam; the history of
decisions. Accepting a correction opens the landmark editor with the proposed value filled in
and marked (``show_proposal``); accepting a suggestion makes a draft landmark.

Everything a visitor wrote is shown through ``md_escape`` (no markup, no links) or in a data
frame (plain text cells).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from itinerary import curation as cu
from itinerary.catalog import localized_value
from itinerary.i18n import LANG_NAMES, STRINGS, t
from itinerary.voice import REJECT_REASONS, Inbox, Item, VoiceRefused
from ui.setup import PageContext
from ui.staff import Staff, guarded, refusal
from ui.staff_access import form_value
from ui.text import md_escape

OWN_TEXT = "own"  # the reject reason "in my words"
PROPOSAL_KEY = "vo_proposal"


def inbox_of(ctx: PageContext) -> Inbox:
    return Inbox(ctx.catalog.store)


def pending_count(ctx: PageContext, staff: Staff) -> int:
    """New items in the city being curated (the sidebar's count)."""
    return inbox_of(ctx).pending([staff.city_id]).get(staff.city_id, 0)


def _said(error: Exception | str) -> None:
    st.session_state["vo_msg"] = error


def _proposal(item: Item) -> dict[str, Any]:
    """What the landmark editor fills in for an accepted correction."""
    values: dict[str, Any] = {}
    if item.topic == "place" and item.point is not None:
        values = {"lat": item.point[0], "lon": item.point[1]}
    elif item.topic == "closed":
        values = {"status": "archived"}
    elif item.field and item.proposed:
        values = {item.field: item.proposed}
    return {
        "landmark": item.landmark_id,
        "item": item.id,
        "topic": item.topic,
        "values": values,
        "applied": False,
    }


def _accept(staff: Staff, ctx: PageContext, item: Item) -> None:
    inbox = inbox_of(ctx)
    try:
        if item.kind == "suggestion":
            landmark_id = inbox.accept_suggestion(staff.account, item.id, staff.curator)
            _said("voice.inbox.accepted_draft")
            st.session_state[PROPOSAL_KEY] = {
                "landmark": landmark_id,
                "item": item.id,
                "topic": "new",
                "values": {},
                "applied": True,
            }
        else:
            inbox.decide(staff.account, item.id, "accept")
            st.session_state[PROPOSAL_KEY] = _proposal(item)
            landmark_id = item.landmark_id
    except (VoiceRefused, PermissionError, ValueError, cu.Conflict, cu.FieldErrors) as error:
        _said(error)
        return
    # open the landmark editor on it: loaded afresh, then the proposal filled in (show_proposal)
    st.session_state["lm_pick"] = landmark_id
    st.session_state.pop("lm_loaded", None)
    st.session_state["cur_section"] = "landmarks"


def _reject(staff: Staff, ctx: PageContext, item: Item) -> None:
    code = st.session_state.get(f"vo_reason_{item.id}") or REJECT_REASONS[0]
    reason = str(st.session_state.get(f"vo_reason_text_{item.id}") or "") if code == OWN_TEXT else code
    _decide(staff, ctx, item, "reject", reason, "voice.inbox.rejected")


def _spam(staff: Staff, ctx: PageContext, item: Item) -> None:
    _decide(staff, ctx, item, "spam", "", "voice.inbox.marked_spam")


def _decide(staff: Staff, ctx: PageContext, item: Item, action: str, reason: str, done: str) -> None:
    try:
        inbox_of(ctx).decide(staff.account, item.id, action, reason=reason)
    except (VoiceRefused, PermissionError, ValueError) as error:
        _said(error)
        return
    _said(done)


def _message(lang: str) -> None:
    said = st.session_state.get("vo_msg")
    if said is None:
        return
    if isinstance(said, str):
        st.success(t(said, lang))
    else:
        st.error(md_escape(refusal(said, lang)))


def _item_lines(ctx: PageContext, item: Item, names: pd.Series) -> list[str]:
    lang = ctx.lang
    when = item.created_at.astimezone(ZoneInfo(ctx.timezone)).strftime("%Y-%m-%d %H:%M")
    if item.kind == "suggestion":
        head = t("voice.inbox.suggestion", lang, name=md_escape(item.proposed))
    else:
        name = names.get(item.landmark_id, item.landmark_id)
        head = t("voice.inbox.report", lang, topic=t(f"voice.topic.{item.topic}", lang), name=md_escape(name))
    page = t(f"nav.{item.page}", lang) if f"nav.{item.page}" in STRINGS else item.page
    language = LANG_NAMES.get(item.lang, item.lang)
    lines = [f"**{head}**", md_escape(t("voice.inbox.sent", lang, when=when, page=page, lang=language))]
    if item.text:
        lines.append(t("voice.inbox.text", lang, text=md_escape(item.text)))
    if item.kind == "correction" and item.proposed:
        lines.append(t("voice.inbox.proposed", lang, value=md_escape(item.proposed)))
    if item.theme:
        themes = ctx.catalog.themes()
        label = (
            localized_value(themes.loc[item.theme], "label", lang)
            if item.theme in themes.index
            else item.theme
        )
        lines.append(t("voice.inbox.theme", lang, theme=md_escape(label)))
    if item.point is not None:
        lines.append(
            md_escape(t("voice.inbox.point", lang, lat=f"{item.point[0]:.5f}", lon=f"{item.point[1]:.5f}"))
        )
    return lines


def _item_actions(staff: Staff, ctx: PageContext, item: Item) -> None:
    lang = ctx.lang
    args = (staff, ctx, item)
    with st.container(horizontal=True):
        st.button(
            t("voice.inbox.accept_draft" if item.kind == "suggestion" else "voice.inbox.accept", lang),
            key=f"vo_accept_{item.id}",
            on_click=guarded(_accept),
            args=args,
            type="primary",
            icon=":material/check:",
        )
        st.button(
            t("voice.inbox.spam", lang),
            key=f"vo_spam_{item.id}",
            on_click=guarded(_spam),
            args=args,
            icon=":material/report:",
        )
    with st.expander(t("voice.inbox.reject", lang)):
        choice = st.selectbox(
            t("voice.inbox.reason", lang),
            [*REJECT_REASONS, OWN_TEXT],
            format_func=lambda code: t(f"voice.reason.{code}", lang),
            key=f"vo_reason_{item.id}",
        )
        if choice == OWN_TEXT:
            st.text_input(t("voice.inbox.reason_text", lang), key=f"vo_reason_text_{item.id}", max_chars=300)
        st.button(
            t("voice.inbox.reject_button", lang),
            key=f"vo_reject_{item.id}",
            on_click=guarded(_reject),
            args=args,
            icon=":material/close:",
        )


def _history(ctx: PageContext, staff: Staff) -> None:
    lang = ctx.lang
    decided = inbox_of(ctx).history([staff.city_id])
    with st.expander(t("voice.inbox.history", lang, count=len(decided))):
        if not decided:
            st.caption(t("voice.inbox.history_none", lang))
            return
        zone = ZoneInfo(ctx.timezone)
        st.dataframe(  # plain text cells: a reason a member of staff typed is not markup
            pd.DataFrame(
                [
                    (
                        d.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                        d.username,
                        t(f"voice.action.{d.action}", lang),
                        d.item_id,
                        t(f"voice.reason.{d.reason}", lang) if d.reason in REJECT_REASONS else d.reason,
                        d.result,
                    )
                    for d in decided
                ],
                columns=[
                    t("voice.col.when", lang),
                    t("voice.col.who", lang),
                    t("voice.col.action", lang),
                    t("voice.col.item", lang),
                    t("voice.col.reason", lang),
                    t("voice.col.result", lang),
                ],
            ),
            hide_index=True,
            width="stretch",
        )


def inbox_section(staff: Staff, ctx: PageContext) -> None:
    """The queue of the city being curated, oldest first; then the history of decisions."""
    lang = ctx.lang
    inbox = inbox_of(ctx)
    if not st.session_state.get("vo_purged"):  # once per session: a cheap DELETE
        inbox.purge()
        st.session_state["vo_purged"] = True
    city_name = localized_value(ctx.catalog.cities().loc[staff.city_id], "name", lang)
    st.subheader(md_escape(t("voice.inbox.title", lang, city=city_name)), anchor=False)
    st.caption(t("voice.inbox.help", lang))
    _message(lang)
    items = inbox.queue([staff.city_id])
    if not items:
        st.info(t("voice.inbox.empty", lang))
    landmarks = ctx.catalog.landmarks(staff.city_id, include_drafts=True)
    names = pd.Series(
        {lid: localized_value(landmarks.loc[lid], "name", lang) for lid in landmarks.index}, dtype=object
    )
    for item in items:
        with st.container(border=True, key=f"vo_item_{item.id}"):
            st.markdown("  \n".join(_item_lines(ctx, item, names)))
            _item_actions(staff, ctx, item)
    _history(ctx, staff)


# --- the landmark editor's side ---------------------------------------------------------------


def show_proposal(key: Callable[[str], str], picked: str, lang: str) -> None:
    """In the landmark editor: fill in an accepted correction's value once, and mark it (a note
    above the form, an outline on the field) while the landmark stays picked."""
    proposal = st.session_state.get(PROPOSAL_KEY)
    if not proposal:
        return
    if proposal["landmark"] != picked:
        del st.session_state[PROPOSAL_KEY]
        return
    if not proposal["applied"]:
        for name, value in proposal["values"].items():
            st.session_state[key(name)] = form_value(name, value)
        proposal["applied"] = True
    if proposal["topic"] == "new":
        st.info(t("voice.proposal.draft", lang), icon=":material/add_location_alt:")
        return
    shown = ", ".join(f"{t(f'voice.field.{n}', lang)}: {md_escape(v)}" for n, v in proposal["values"].items())
    note = t("voice.proposal.marked", lang, topic=t(f"voice.topic.{proposal['topic']}", lang), values=shown)
    st.warning(
        note
        if shown
        else t("voice.proposal.no_value", lang, topic=t(f"voice.topic.{proposal['topic']}", lang)),
        icon=":material/flag:",
    )
    rules = "".join(
        f".st-key-{key(n)} input, .st-key-{key(n)} textarea, .st-key-{key(n)} [data-baseweb='select'] "
        "{outline: 3px solid #b45309; outline-offset: 1px;}"
        for n in proposal["values"]
    )
    if rules:
        st.html(f"<style>{rules}</style>")
