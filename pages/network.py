"""The network of city accounts: a world map of arcs from Shenzhen, the join timeline, twin themes."""

import streamlit as st

from itinerary import cityaccounts as ca
from itinerary import maps, network
from itinerary.catalog import localized, localized_value
from itinerary.i18n import t
from itinerary.markup import escape
from ui.kiosk_network import NETWORK_PAGE_CSS
from ui.mapview import clicked_point, show_map
from ui.setup import scroll_into_view, set_query, setup_page, show_notices
from ui.text import md_escape

MAP_KEY = "network_map"
PICKED_KEY = "network_picked"  # the city last chosen on the map, in this session

ctx = setup_page("nav.network")
lang, catalog = ctx.lang, ctx.catalog
cities = catalog.cities()
records = ca.city_records(cities)
ordered = ca.join_order(records)
home = network.home_city(records)
found = network.arcs(records)
show_notices(ctx)
st.html(f"<style>{NETWORK_PAGE_CSS}</style>")  # style only: large type and touch at kiosk sizes

st.title(t("network.title", lang), anchor=False)
st.markdown(t("network.intro", lang, count=len(records)))


def keep(city_id: str) -> dict[str, str]:
    return {"city": city_id} | ({"lang": lang} if lang != "en" else {})


def city_name(city_id: str) -> str:
    return localized_value(cities.loc[city_id], "name", lang)


def _on_click() -> None:
    point = clicked_point(MAP_KEY)
    if point and home is not None:
        chosen = network.city_at(found, home, *point)
        if chosen:
            set_query(city=chosen)
            st.session_state[PICKED_KEY] = chosen  # its card is brought into view (below the map)


map_col, time_col = st.columns([3, 2], gap="large")
with map_col:
    if home is not None:
        base = maps.base_map(center=(25.0, 90.0), zoom=2, tiles=maps.TileConfig.from_env(), lang=lang)
        base.fit_bounds(network.bounds(found, home), padding=(30, 30))
        names = {
            c.id: t(
                "network.marker",
                lang,
                order=c.join_order or "",
                city=city_name(c.id),
                kind=t(ca.partnership_key(c.partnership), lang),
            )
            for c in records
        }
        show_map(
            base,
            [network.arc_group(found, home, names, {c.id: str(c.join_order or "") for c in records})],
            key=MAP_KEY,
            height=520,
            on_change=_on_click,
        )
    st.html(
        '<ul class="cp-arc-legend" style="list-style:none;padding-left:0">'
        + "".join(
            f'<li><span aria-hidden="true" style="display:inline-block;width:3rem;vertical-align:middle;'
            f'border-top:{style.weight}px {style.border} {style.color};margin-right:0.5rem"></span>'
            f"{escape(t(ca.partnership_key(kind), lang))}</li>"
            for kind, style in network.ARC_STYLES.items()
            if any(a.kind == kind for a in found)  # the kinds the map shows
        )
        + "</ul>"
    )
    # the chosen city's card (a click on the map, or the city in the link)
    chosen = ctx.city_id
    with st.container(border=True, key="scroll_network"):  # phone: in view once chosen (ui.setup)
        city = cities.loc[chosen]
        st.subheader(md_escape(city_name(chosen)), anchor=False)
        if city["portrait"]:
            st.markdown(md_escape(localized_value(city, "portrait", lang)))
        st.caption(md_escape(t(ca.partnership_key(str(city["partnership"])), lang)))
        st.page_link(
            "pages/city.py",
            label=t("city.link", lang, city=city_name(chosen)),
            icon=":material/location_city:",
            query_params=keep(chosen),
        )
    if st.session_state.get(PICKED_KEY) == chosen:  # not when the page opens on a city
        scroll_into_view("network", chosen)

with time_col:
    st.subheader(t("network.timeline", lang), anchor=False)
    for c in ordered:
        when = ca.date_text(c.joined, lang)
        label = t("network.timeline_row", lang, order=c.join_order or "–", city=city_name(c.id))
        st.page_link("pages/city.py", label=label, icon=":material/location_city:", query_params=keep(c.id))
        if when:
            st.caption(when)

st.subheader(t("network.twins", lang), anchor=False)
st.markdown(t("network.twins_intro", lang))
themes = catalog.themes()
labels = localized(themes, "label", lang)
content = {c.id: (catalog.landmarks(c.id), catalog.itineraries(c.id)) for c in ordered}
twins = network.twin_themes(list(themes.index), content)
for theme_id, entries in twins.items():
    with st.expander(md_escape(str(labels.loc[theme_id])), expanded=theme_id == "innovation"):
        columns = st.columns(3)
        for i, entry in enumerate(entries):
            with columns[i % 3]:
                st.markdown(f"**{md_escape(city_name(entry.city_id))}**")
                landmarks = content[entry.city_id][0]
                for lid in entry.landmark_ids:
                    st.page_link(
                        "pages/explore.py",
                        label=localized_value(landmarks.loc[lid], "name", lang),
                        icon=":material/place:",
                        query_params=keep(entry.city_id) | {"landmark": lid},
                    )
                itineraries = content[entry.city_id][1]
                for iid in entry.itinerary_ids:
                    st.page_link(
                        "pages/itineraries.py",
                        label=localized_value(itineraries.loc[iid], "title", lang),
                        icon=":material/route:",
                        query_params=keep(entry.city_id) | {"itinerary": iid},
                    )
