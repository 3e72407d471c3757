"""Embedding folium maps with streamlit-folium, keeping the base map stable across reruns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import folium
import streamlit as st
from streamlit_folium import st_folium


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
