"""Maps render once (``itinerary/map_render.py``): the same bytes as branca's two passes.

Each map is built twice, rendered once with branca's own ``MacroElement.render`` and once with
``render_once``, and the two pages compared byte for byte (element ids, random in branca, are
numbered in the order they first appear). The maps are the ones the pages draw: a base map with
its legend and controls, Explore's landmark layer, a route with a start, the network's arcs,
folium markers with popups, and what ``st_folium`` sends of each layer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import folium
import pandas as pd
import pytest
import streamlit_folium
from branca.element import MacroElement

from itinerary import map_render, maps, network, seed
from tests.conftest import DATA

STYLES = [
    maps.ThemeStyle("innovation", "Innovation", "#7b2ff7", "lightbulb"),
    maps.ThemeStyle("food", "Food", "#e4572e", "utensils"),
]
HEX_ID = re.compile(r"[0-9a-f]{32}")


def numbered_ids(html: str) -> str:
    seen: dict[str, str] = {}
    return HEX_ID.sub(lambda m: seen.setdefault(m.group(0), f"ID{len(seen)}"), html)


@pytest.fixture
def branca_render() -> Iterator[Callable[[Callable[[], str]], str]]:
    """Render with branca's own second pass for the duration of one call."""

    def with_branca(build: Callable[[], str]) -> str:
        MacroElement.render = map_render.ORIGINAL_RENDER  # type: ignore[method-assign]
        try:
            return build()
        finally:
            MacroElement.render = map_render.render_once  # type: ignore[method-assign]

    yield with_branca
    assert MacroElement.render is map_render.render_once


def explore_map() -> str:
    fmap = maps.base_map(
        center=(22.54, 114.05), zoom=12, tiles=maps.TileConfig(), legend=STYLES, legend_title="Themes"
    )
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "lat": [22.5475, 22.54],
            "lon": [114.0836, 114.0],
            "themes": [("innovation",), ("food",)],
            "name": ["Huaqiang North <b>&</b> {{ 7 * 7 }}", "华强北"],
        }
    )
    group = folium.FeatureGroup(name="landmarks")
    maps.LandmarkLayer(frame, styles=STYLES, names=frame["name"]).add_to(group)
    maps.highlight_marker(22.5475, 114.0836, "Huaqiang North").add_to(group)
    group.add_to(fmap)
    return str(fmap.get_root().render())


def route_layers(lang: str) -> str:
    fmap = maps.base_map(center=(22.54, 114.05), zoom=12, tiles=maps.TileConfig(), lang=lang)
    stops = [
        maps.RouteStop("origin", 22.53, 114.05, "Hotel", start=True),
        maps.RouteStop("a", 22.5475, 114.0836, "Huaqiang North"),
        maps.RouteStop("b", 22.54, 114.0, "OCT Loft", late=True),
    ]
    group = maps.route_group(stops, lang=lang, round_trip=True)
    maps.ReleaseOldLayers().add_to(group)
    return streamlit_folium._get_feature_group_string(group, map=fmap, idx=0) + str(fmap.get_root().render())


def network_map() -> str:
    shipped = seed.load_dir(DATA)
    home = network.home_city(shipped.cities)
    assert home is not None
    found = network.arcs(shipped.cities)
    names = {c.id: c.name_zh for c in shipped.cities}
    marks = {c.id: str(c.join_order or "") for c in shipped.cities}
    fmap = maps.base_map(center=(30, 60), zoom=2, tiles=maps.TileConfig(), lang="zh")
    network.arc_group(found, home, names, marks).add_to(fmap)
    return str(fmap.get_root().render())


def folium_markers() -> str:
    fmap = maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig(), links=False)
    folium.Marker(
        [0, 0], tooltip=maps.escape("a <tip>"), popup=folium.Popup(maps.escape("a\r\npopup\n"))
    ).add_to(fmap)
    folium.CircleMarker([1, 1], radius=5, tooltip="circle\n").add_to(fmap)
    folium.PolyLine([[0, 0], [1, 1]], tooltip="line").add_to(fmap)
    return str(fmap.get_root().render())


@pytest.mark.parametrize(
    "build",
    [explore_map, lambda: route_layers("en"), lambda: route_layers("zh"), network_map, folium_markers],
    ids=["explore", "route-en", "route-zh", "network", "folium-markers"],
)
def test_rendering_once_writes_the_same_page(
    build: Callable[[], str], branca_render: Callable[[Callable[[], str]], str]
) -> None:
    once = build()
    twice = branca_render(build)
    assert numbered_ids(once) == numbered_ids(twice)
    assert "{{ 7 * 7 }}" not in once  # text from data never carries template syntax into the page


def test_rendering_compiles_no_template(monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    fmap = maps.base_map(center=(22.54, 114.05), zoom=12, tiles=maps.TileConfig(), legend=STYLES)
    stops = [
        maps.RouteStop("a", 22.5475, 114.0836, "Huaqiang North"),
        maps.RouteStop("b", 22.54, 114.0, "OCT"),
    ]
    group = maps.route_group(stops)
    compiled: list[str] = []
    original = jinja2.Environment.from_string

    def counting(self: jinja2.Environment, source: str, *args: object, **kwargs: object) -> jinja2.Template:
        compiled.append(str(source))
        return original(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "from_string", counting)
    streamlit_folium._get_feature_group_string(group, map=fmap, idx=0)
    fmap.get_root().render()
    assert compiled == []  # branca compiled each marker's, line's, tooltip's... rendered text: 40 on Plan


@pytest.mark.parametrize("text", ["a\r\nb\rc\n", "x\n\n", "", "no newline", "trailing space \n "])
def test_second_pass_changes_only_line_endings_and_one_trailing_newline(text: str) -> None:
    import jinja2

    assert map_render.as_second_pass(text) == jinja2.Template(text).render()
