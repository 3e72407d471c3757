"""Explore: the city's landmarks and itineraries."""

import streamlit as st

from itinerary.catalog import localized, localized_value
from itinerary.i18n import t
from ui.setup import setup_page, show_notices
from ui.text import md_escape

ctx = setup_page("nav.explore")
lang = ctx.lang
st.title(t("app.title", lang))
st.caption(t("app.tagline", lang, city=md_escape(localized_value(ctx.city, "name", lang))))
show_notices(ctx)

landmarks = ctx.catalog.landmarks(ctx.city_id)
themes = ctx.catalog.themes()
st.subheader(t("home.landmarks", lang, count=len(landmarks)))
table = landmarks.assign(
    name=localized(landmarks, "name", lang),
    themes=landmarks["themes"].map(
        lambda ts: ", ".join(localized(themes.loc[list(ts)], "label", lang)) if ts else ""
    ),
)[["name", "district", "themes", "visit_minutes", "opening_hours", "wheelchair", "price"]]
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "name": t("col.name", lang),
        "district": t("col.district", lang),
        "themes": t("col.themes", lang),
        "visit_minutes": t("col.visit", lang),
        "opening_hours": t("col.hours", lang),
        "wheelchair": t("col.wheelchair", lang),
        "price": t("col.price", lang),
    },
)

itineraries = ctx.catalog.itineraries(ctx.city_id)
st.subheader(t("home.itineraries", lang, count=len(itineraries)))
for _, it in itineraries.iterrows():
    title = md_escape(localized_value(it, "title", lang))
    st.markdown(
        f"**{title}** · {t('home.stops', lang, count=it['stop_count'])} · {t('mode.' + it['mode'], lang)}"
    )
    st.caption(md_escape(localized_value(it, "summary", lang)))
