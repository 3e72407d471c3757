"""Curate (staff): landmarks, itineraries, import and export, history, accounts. Sign-in first.

The sign-in gate is the first thing after set-up, so a new browser session opening /curate
directly (which runs this file without app.py) sees nothing but the form.
"""

import streamlit as st

from itinerary import accounts as acc
from itinerary.curation import Curator
from itinerary.i18n import LANG_NAMES, LANGS, t
from ui.setup import set_query, setup_page
from ui.staff import Staff, city_choice, require_staff, sign_out
from ui.staff_accounts import accounts_section
from ui.staff_changes import changes_section
from ui.staff_cities import cities_section
from ui.staff_inbox import inbox_section, pending_count
from ui.staff_itineraries import itineraries_section
from ui.staff_landmarks import landmarks_section
from ui.staff_programmes import programmes_section
from ui.staff_reach import reach_section
from ui.staff_stories import stories_section
from ui.staff_transfer import transfer_section
from ui.text import md_escape

ctx = setup_page("nav.curate", pickers=False, sidebar=True)  # staff pickers: ui.staff
account, accounts = require_staff(ctx)  # stops the run with the sign-in form when signed out
lang = ctx.lang

city_id = city_choice(ctx, account)
st.session_state["cur_lang"] = lang
st.sidebar.segmented_control(
    t("picker.language", lang),
    list(LANGS),
    format_func=LANG_NAMES.__getitem__,
    key="cur_lang",
    on_change=lambda: set_query(
        lang=None if st.session_state["cur_lang"] == "en" else st.session_state["cur_lang"]
    ),
    required=True,
)
st.sidebar.caption(
    t("cur.signed_in", lang, user=md_escape(account.username), role=t(f"cur.role.{account.role}", lang))
)
st.sidebar.button(
    t("cur.sign_out", lang), on_click=sign_out, args=(accounts,), icon=":material/logout:", key="cur_sign_out"
)
st.sidebar.page_link(
    "pages/explore.py",
    label=t("cur.to_explore", lang),
    icon=":material/map:",
    query_params={"city": city_id or ctx.city_id},
)

st.title(t("cur.title", lang), anchor=False)
if city_id is None:
    st.warning(t("cur.no_cities", lang))
    st.stop()

staff = Staff(
    account=account, accounts=accounts, curator=Curator(ctx.catalog.store), city_id=city_id, lang=lang
)
# Streamlit forgets the state of widgets a run does not draw: keep the forms' (and their unsaved
# input) while another section is shown
for key in list(st.session_state):
    kept = ("lm_f_", "it_f_", "it_s_", "city_f_", "acct_f_", "story_f_", "pg_f_", "pg_i_", "pg_v_")
    if str(key).startswith(kept) or key in (
        "lm_pick",
        "it_pick",
        "city_pick",
    ):
        st.session_state[key] = st.session_state[key]
sections = ["landmarks", "itineraries", "stories", "programmes", "transfer", "changes", "inbox", "reach"]
pending = pending_count(ctx, staff)  # visitors' reports and suggestions waiting (ui/staff_inbox.py)
st.sidebar.markdown(t("voice.sidebar.pending", lang, count=pending))
if staff.can(acc.MANAGE_CITIES):
    sections.append("cities")
if staff.can(acc.MANAGE_ACCOUNTS):
    sections.append("accounts")
if st.session_state.get("cur_section") not in sections:
    st.session_state["cur_section"] = "landmarks"
st.segmented_control(
    t("cur.section", lang),
    sections,
    format_func=lambda s: (
        t(f"voice.section.{s}", lang, count=pending)
        if s in ("inbox", "reach")
        else t(f"cur.section.{s}", lang)
    ),
    key="cur_section",
    required=True,
    label_visibility="collapsed",
)
{
    "landmarks": landmarks_section,
    "itineraries": itineraries_section,
    "stories": stories_section,
    "programmes": programmes_section,
    "transfer": transfer_section,
    "changes": changes_section,
    "cities": cities_section,
    "accounts": accounts_section,
    "inbox": inbox_section,
    "reach": reach_section,
}[st.session_state["cur_section"]](staff, ctx)
