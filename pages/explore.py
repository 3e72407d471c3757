"""Explore: the city's landmarks on a themed map, with filters, a list and landmark cards."""

import streamlit as st

from itinerary import counts, maps
from itinerary.catalog import LandmarkFilter, filter_landmarks, localized, localized_value, nearest_landmark
from itinerary.i18n import join_list, t
from ui.cards import landmark_card
from ui.cityaccounts import city_page_link
from ui.counting import count_once
from ui.filters import clear_filter_params, more_filters, read_filters
from ui.mapview import city_base_map, clicked_point, landmark_layer, show_map
from ui.nav import add_to_route_link
from ui.setup import now_in, scroll_into_view, set_query, setup_page, show_notices
from ui.text import md_escape
from ui.voice import report_problem, suggest_place

LIST_LIMIT = 200
MAP_KEY = "explore_map"
LIST_KEY = "explore_list"

ctx = setup_page("nav.explore")
lang = ctx.lang
catalog = ctx.catalog
themes = catalog.themes()
landmarks = catalog.landmarks(ctx.city_id)
theme_labels = localized(themes, "label", lang)

# --- the view in the URL: theme, q, landmark (invalid values are dropped with a notice) -----
theme_param = [v for v in st.query_params.get("theme", "").split(",") if v]
valid_themes = [v for v in theme_param if v in themes.index]
for bad in (v for v in theme_param if v not in themes.index):
    ctx.notices.append(t("notice.unknown_theme", lang, value=bad))
if valid_themes != theme_param:
    set_query(theme=",".join(valid_themes))
chosen = st.query_params.get("landmark")
if chosen and chosen not in landmarks.index:
    ctx.notices.append(t("notice.unknown_landmark", lang, value=chosen))
    set_query(landmark=None)
    chosen = None

# widgets follow the URL (the URL is the truth; callbacks write to it)
st.session_state["explore_themes"] = valid_themes
st.session_state["explore_q"] = st.query_params.get("q", "")
read_filters(ctx, catalog.districts(ctx.city_id))  # wheelchair, free, open, district, need


def _on_themes() -> None:
    set_query(theme=",".join(st.session_state["explore_themes"]))


def _on_query() -> None:
    set_query(q=st.session_state["explore_q"].strip())


def _clear_filters() -> None:
    set_query(theme=None, q=None)
    clear_filter_params()


def _on_map_click() -> None:
    point = clicked_point(MAP_KEY)
    if point:
        hit = nearest_landmark(catalog.landmarks(ctx.city_id), *point)
        if hit:
            set_query(landmark=hit)


def _on_list_select() -> None:
    rows = st.session_state[LIST_KEY].selection.rows
    ids = st.session_state.get("explore_list_ids", [])
    if rows and rows[0] < len(ids):
        set_query(landmark=ids[rows[0]])


def _close_card() -> None:
    set_query(landmark=None)


st.title(md_escape(t("explore.title", lang, city=localized_value(ctx.city, "name", lang))), anchor=False)
city_page_link(ctx)  # the city account's own page (issue 11)
show_notices(ctx)

# --- filters -----------------------------------------------------------------------------------
st.text_input(
    t("explore.search", lang),
    key="explore_q",
    placeholder=t("explore.search_placeholder", lang),
    on_change=_on_query,
)
st.pills(
    t("explore.themes", lang),
    options=list(themes.index),
    format_func=lambda tid: theme_labels[tid],
    selection_mode="multi",
    key="explore_themes",
    on_change=_on_themes,
)
# kept in the link (ui/filters.py); districts by their label in the page's language (district_zh)
link = more_filters(lang, catalog.district_labels(ctx.city_id, lang))

now = now_in(ctx.timezone)
criteria = LandmarkFilter(
    themes=frozenset(valid_themes),
    wheelchair=link.wheelchair,
    free_only=link.free_only,
    districts=frozenset(link.districts),
    open_at=now.replace(second=0, microsecond=0) if link.open_now else None,  # one filter per minute
    query=st.query_params.get("q", ""),
    needs=frozenset(link.needs),
)
matches = filter_landmarks(landmarks, criteria, timezone=ctx.timezone)

count_col, clear_col = st.columns([4, 1], vertical_alignment="center")
if criteria.is_empty:
    count_col.markdown(f"**{t('explore.count_all', lang, total=len(landmarks))}**")
else:
    count_col.markdown(f"**{t('explore.count', lang, count=len(matches), total=len(landmarks))}**")
    clear_col.button(t("explore.clear", lang), on_click=_clear_filters, key="explore_clear_top")
if matches.empty:
    st.info(t("explore.none", lang), icon="🔎")
    if criteria.query.strip():  # what visitors look for that the city does not show (Reach)
        count_once(ctx, counts.SEARCH_EMPTY, counts.normalise_search(criteria.query))

# --- map and list ------------------------------------------------------------------------------
styles = maps.theme_styles(themes, theme_labels)
names = localized(matches, "name", lang)
layer = landmark_layer(catalog, ctx.city_id, lang, criteria, prefer=valid_themes)
center, zoom = None, None
if chosen:
    row = landmarks.loc[chosen]
    maps.highlight_marker(
        row["lat"], row["lon"], localized(landmarks.loc[[chosen]], "name", lang)[chosen]
    ).add_to(layer)
    center, zoom = (float(row["lat"]), float(row["lon"])), 16

map_col, side_col = st.columns([3, 2], gap="medium")
with map_col:
    base = city_base_map(ctx, legend=styles)
    show_map(base, [layer], key=MAP_KEY, height=560, center=center, zoom=zoom, on_change=_on_map_click)
    st.caption(t("explore.map_note", lang))
    suggest_place(ctx)

with side_col:
    if chosen:
        with st.container(border=True, key="scroll_card"):  # phone: in view once chosen (ui.setup)
            landmark_card(landmarks.loc[chosen], themes=themes, timezone=ctx.timezone, now=now, lang=lang)
            with st.container(horizontal=True, vertical_alignment="center"):
                add_to_route_link(ctx.city_id, chosen, lang)
                st.button(t("card.close", lang), on_click=_close_card, key="explore_close_card")
            report_problem(ctx, landmarks.loc[chosen], page="explore")
        scroll_into_view("card", chosen)
    else:
        st.caption(t("explore.pick_hint", lang))
    if not matches.empty:
        st.markdown(f"**{t('explore.list', lang)}**")
        shown = matches.head(LIST_LIMIT)
        st.session_state["explore_list_ids"] = list(shown["id"])
        table = shown.assign(
            name=names.loc[shown.index],
            district=localized(shown, "district", lang),
            themes=shown["themes"].map(
                lambda ts: join_list((theme_labels[x] for x in ts if x in theme_labels), lang)
            ),
        )[["name", "district", "themes"]]
        st.dataframe(
            table,
            hide_index=True,
            key=LIST_KEY,
            on_select=_on_list_select,
            selection_mode="single-row",
            height=360,
            column_config={  # they fit 320 px (a phone, 1280 px with the sidebar) and grow wider
                "name": st.column_config.TextColumn(t("col.name", lang), width=110),
                "district": st.column_config.TextColumn(t("col.district", lang), width=72),
                "themes": st.column_config.TextColumn(t("col.themes", lang), width=84),
            },
        )
        if len(matches) > LIST_LIMIT:
            st.caption(md_escape(t("explore.list_cut", lang, shown=LIST_LIMIT, count=len(matches))))
