"""Embedding folium maps with streamlit-folium, keeping the base map stable across reruns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from itinerary import map_index, maps
from itinerary.catalog import Catalog, LandmarkFilter, filter_landmarks, localized
from itinerary.i18n import t
from ui.setup import PageContext


def show_map(
    base: folium.Map,
    layers: Sequence[folium.FeatureGroup],
    *,
    key: str,
    height: int,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    returned_objects: Sequence[str] = ("last_object_clicked",),
    on_change: Callable[[], None] | None = None,
) -> dict[str, Any] | None:
    """Render ``base`` once per session and send ``layers`` separately, so a filter change
    redraws the markers without rebuilding the map (no flash, zoom kept)."""
    if layers and not any(isinstance(c, maps.ReleaseOldLayers) for c in layers[0]._children.values()):
        maps.ReleaseOldLayers().add_to(layers[0])
    result: dict[str, Any] | None = st_folium(
        base,
        key=key,
        height=height,
        use_container_width=True,
        feature_group_to_add=list(layers),
        returned_objects=list(returned_objects),
        center=center,
        zoom=zoom,
        on_change=on_change,
    )
    return result


def clicked_point(key: str) -> tuple[float, float] | None:
    """The position of the last object clicked on the map with this key, if any."""
    state = st.session_state.get(key) or {}
    clicked = state.get("last_object_clicked")
    if not clicked:
        return None
    return float(clicked["lat"]), float(clicked["lng"])


def city_base_map(
    ctx: PageContext, *, legend: Sequence[maps.ThemeStyle] = (), links: bool = True
) -> folium.Map:
    """The base map of the page's city: its centre and zoom, the configured tiles, a legend."""
    return maps.base_map(
        center=(float(ctx.city["lat"]), float(ctx.city["lon"])),
        zoom=int(ctx.city["zoom"]),
        tiles=maps.TileConfig.from_env(),
        legend=legend,
        legend_title=t("explore.legend", ctx.lang) if legend else "",
        links=links,
        lang=ctx.lang,
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def _landmark_payload(
    version: int,
    city_id: str,
    lang: str,
    criteria: LandmarkFilter,
    prefer: tuple[str, ...],
    _catalog: Catalog,
) -> tuple[bool, str]:
    """(drawn by view, the layer's JSON): marker rows for a few landmarks, columns for many."""
    landmarks = _catalog.landmarks(city_id)
    themes = _catalog.themes()
    matches = filter_landmarks(landmarks, criteria, timezone=str(_catalog.cities().loc[city_id, "timezone"]))
    styles = maps.theme_styles(themes, localized(themes, "label", lang))
    names = localized(matches, "name", lang)
    if map_index.use_index(len(matches), len(styles)):
        columns = map_index.landmark_columns(
            matches, style_index=maps.style_indexes(matches, styles=styles, prefer_themes=prefer), names=names
        )
        return True, maps.script_json(columns.as_json_value())
    return False, maps.landmark_rows_json(matches, styles=styles, names=names, prefer_themes=prefer)


def landmark_layer(
    catalog: Catalog, city_id: str, lang: str, criteria: LandmarkFilter, *, prefer: Sequence[str] = ()
) -> folium.FeatureGroup:
    """The pins of the landmarks matching ``criteria``, as a layer for ``show_map`` (more can be
    added to it). Their rows are kept per data version and filter, so going back to a filter seen
    before (all 10,000 landmarks, say) costs no rebuild. From ``map_index.INDEXED_FROM`` landmarks
    on, the browser draws only what is in view (``map_index.IndexedLandmarkLayer``).

    A FeatureGroup, not the bare ``LandmarkLayer``: streamlit-folium adds each layer it is given
    by a FeatureGroup's variable name, so any other element breaks its script, and with it the
    reporting of clicks on pins."""
    themes = catalog.themes()
    styles = maps.theme_styles(themes, localized(themes, "label", lang))
    indexed, payload = _landmark_payload(catalog.refresh(), city_id, lang, criteria, tuple(prefer), catalog)
    group = folium.FeatureGroup(name="landmarks")
    if indexed:
        rows = [[s.color, s.icon, maps.escape(s.label)] for s in styles]
        map_index.IndexedLandmarkLayer(styles=rows, data_json=payload).add_to(group)
    else:
        maps.LandmarkLayer(styles=styles, rows_json=payload).add_to(group)
    return group
