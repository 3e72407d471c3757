"""A city account's page: who the city is, its link with Shenzhen, its itineraries, landmarks
and stories; ``story=ID`` opens a story at ``chapter=N``."""

import streamlit as st

from itinerary import cityaccounts as ca
from itinerary.catalog import localized_value, order_itineraries
from itinerary.i18n import t
from ui.cityaccounts import story_viewer
from ui.setup import set_query, setup_page, show_notices
from ui.text import md_escape

ctx = setup_page("nav.city")
lang, catalog, city = ctx.lang, ctx.catalog, ctx.city
name = localized_value(city, "name", lang)
stories = catalog.stories(ctx.city_id)
landmarks = catalog.landmarks(ctx.city_id)

chosen = st.query_params.get("story")
if chosen and chosen not in stories.index:
    ctx.notices.append(t("story.unknown", lang, value=chosen, city=name))
    set_query(story=None, chapter=None)
    chosen = None

if chosen:
    views = ca.chapter_views(catalog.chapters(chosen), landmarks, city, lang)
    number, bad = ca.chapter_number(st.query_params.get("chapter"), len(views))
    if bad is not None:
        ctx.notices.append(t("story.no_chapter", lang, value=bad))
        set_query(chapter=None)
    show_notices(ctx)
    story = stories.loc[chosen]
    st.button(
        t("story.back", lang, city=name),
        icon=":material/arrow_back:",
        on_click=set_query,
        kwargs={"story": None, "chapter": None},
        key="story_back",
    )
    st.title(md_escape(localized_value(story, "title", lang)), anchor=False)
    if views:
        story_viewer(ctx, chosen, views, number - 1)
    itineraries = catalog.itineraries(ctx.city_id)
    target = str(story["itinerary_id"] or "")
    if target in itineraries.index:
        st.page_link(
            "pages/itineraries.py",
            label=t("story.follow", lang, title=localized_value(itineraries.loc[target], "title", lang)),
            icon=":material/directions_walk:",
            query_params={"city": ctx.city_id, "itinerary": target}
            | ({"lang": lang} if lang != "en" else {}),
        )
    st.stop()

show_notices(ctx)
keep = {"city": ctx.city_id} | ({"lang": lang} if lang != "en" else {})
other = city["name"] if lang == "zh" else city["name_zh"]
st.title(md_escape(name), anchor=False)
st.caption(md_escape(" · ".join(v for v in (str(other or ""), str(city["country"] or "")) if v)))
if city["portrait"]:
    st.markdown(f"### {md_escape(localized_value(city, 'portrait', lang))}")

cities = catalog.cities()
ordered = ca.join_order(ca.city_records(cities))
facts_col, link_col = st.columns([3, 2], gap="large")
with facts_col:
    st.subheader(t("city.facts", lang), anchor=False)
    for fact in ca.city_facts(ca.city_record(city), lang):
        st.markdown(
            f"- {md_escape(fact.text)}  \n  :gray[{md_escape(t('city.source', lang, source=fact.source))}]"
        )
with link_col:
    st.subheader(t("city.partnership", lang), anchor=False)
    kind = t(ca.partnership_key(str(city["partnership"])), lang)
    since = ca.optional_int(city["partner_since"])
    st.markdown(md_escape(f"{kind}, {t('city.since', lang, year=since)}" if since else kind))
    order = ca.optional_int(city["join_order"])
    if order:
        when = ca.date_text(str(city["joined"] or ""), lang)
        line = (
            t("city.joined", lang, date=when, order=order, count=len(ordered))
            if when
            else t("city.joined_undated", lang, order=order, count=len(ordered))
        )
        st.markdown(md_escape(line))
    st.page_link("pages/network.py", label=t("nav.network", lang), icon=":material/hub:", query_params=keep)

st.subheader(t("city.stories", lang), anchor=False)
if stories.empty:
    st.caption(t("city.no_stories", lang))
for sid, story in stories.iterrows():
    with st.container(border=True):
        st.markdown(f"**{md_escape(localized_value(story, 'title', lang))}**")
        st.markdown(md_escape(localized_value(story, "summary", lang)))
        st.caption(t("city.story_meta", lang, count=int(story["chapter_count"])))
        st.page_link(
            "pages/city.py",
            label=t("city.read_story", lang, title=localized_value(story, "title", lang)),
            icon=":material/auto_stories:",
            query_params=keep | {"story": str(sid)},
        )

itineraries = order_itineraries(catalog.itineraries(ctx.city_id))
it_col, lm_col = st.columns(2, gap="large")
with it_col:
    st.subheader(t("city.itineraries", lang), anchor=False)
    if itineraries.empty:
        st.caption(t("city.no_itineraries", lang))
    for iid, it in itineraries.iterrows():
        st.page_link(
            "pages/itineraries.py",
            label=localized_value(it, "title", lang),
            icon=":material/route:",
            query_params=keep | {"itinerary": str(iid)},
        )
with lm_col:
    st.subheader(t("city.landmarks", lang), anchor=False)
    featured = ca.featured_landmark_ids(
        [catalog.chapters(str(sid)) for sid in stories.index],
        [catalog.stops(str(iid)) for iid, it in itineraries.iterrows() if it["featured"]],
        visible=landmarks.index,
    )
    for lid in featured:
        st.page_link(
            "pages/explore.py",
            label=localized_value(landmarks.loc[lid], "name", lang),
            icon=":material/place:",
            query_params=keep | {"landmark": lid},
        )
