"""A programme for its participants (issue 12): ``/programme?token=...`` (unlisted) or
``/programme?city=...&programme=...`` (public); the day's schedule, now and next, the map,
the downloads and the QR code. Anything else is the same plain "not found"."""

import streamlit as st

from itinerary import settings
from itinerary.catalog import localized_value
from itinerary.i18n import LANG_NAMES, LANGS, t
from itinerary.plans import public_base_url
from itinerary.programmes import repo, tokens, view
from ui import programme as parts
from ui.setup import set_query, setup_page
from ui.text import md_escape

ctx = setup_page("nav.programme", layout="centered", pickers=False)
lang = ctx.lang
store = ctx.catalog.store
now = settings.pinned_now() or settings.utc_now()
token = st.query_params.get("token", "")
full = tokens.open_for_visitor(store, token=token, programme_id=st.query_params.get("programme", ""), now=now)

st.segmented_control(
    t("picker.language", lang),
    options=list(LANGS),
    format_func=LANG_NAMES.__getitem__,
    default=lang,
    key="prog_lang",
    on_change=lambda: set_query(
        lang=None if st.session_state.prog_lang == "en" else st.session_state.prog_lang
    ),
    label_visibility="collapsed",
)

if full is None:
    st.title(t("prog.not_found", lang), anchor=False)
    st.markdown(t("prog.not_found_body", lang))
    st.stop()

programme = full.programme
timezone = repo.city_timezone(store, programme.city_id)
places = repo.landmark_places(store, full)
city = ctx.catalog.cities().loc[programme.city_id]
base = public_base_url(st.context.url)
if token:
    link = view.token_link(base, token, lang=lang)
else:
    link = view.public_link(base, programme.city_id, programme.id, lang=lang)

st.title(
    md_escape(programme.title_zh if lang == "zh" and programme.title_zh else programme.title), anchor=False
)
summary = programme.summary_zh if lang == "zh" and programme.summary_zh else programme.summary
host = programme.host_zh if lang == "zh" and programme.host_zh else programme.host
st.caption(
    md_escape(
        " · ".join(
            part
            for part in (
                t(f"prog.kind.{programme.kind}", lang),
                localized_value(city, "name", lang),
                programme.start_date
                if programme.start_date == programme.end_date
                else f"{programme.start_date} – {programme.end_date}",
                host,
            )
            if part
        )
    )
)
if summary:
    st.markdown(md_escape(summary))

parts.now_next(full, places, now, timezone, lang)

days = [d.isoformat() for d in programme.days if full.items_on(d)]
first = view.day_of(full, now, timezone).isoformat()
day = first if first in days else (days[0] if days else programme.start_date)
if len(days) > 1:
    day = st.segmented_control(t("prog.day", lang), options=days, default=day, key="prog_day") or day
rows = view.rows(full, places, day=day)
st.subheader(t("prog.day_title", lang, day=day), anchor=False)
parts.schedule(rows, lang)
parts.day_map(ctx, rows, key=f"prog_map_{day}")
parts.downloads(
    full, places, timezone=timezone, city=(str(city["name"]), str(city["name_zh"])), link=link, lang=lang
)
parts.qr(link, lang)
st.caption(t("prog.local_times", lang, zone=timezone))
