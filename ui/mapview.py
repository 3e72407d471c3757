"""Embedding folium maps with streamlit-folium, keeping the base map stable across reruns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium

from itinerary import maps
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
    )
