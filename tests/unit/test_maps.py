"""folium output without a browser: local assets only, escaped text, compact landmark rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import folium.plugins
import pandas as pd
import pytest

from itinerary import maps, seed
from tests.conftest import ROOT

FOLIUM_CLASSES = (folium.Map, folium.plugins.MarkerCluster, folium.plugins.FastMarkerCluster)


def test_every_folium_asset_is_vendored_or_deliberately_dropped() -> None:
    # folium's own lists, before our patch: what each class would load from a CDN
    names = {name for js, css in maps.FOLIUM_ASSETS.values() for name, _ in js + css}
    assert {"leaflet", "markerclusterjs", "awesome_markers_font_css"} <= names
    unknown = names - set(maps.VENDOR_JS) - set(maps.VENDOR_CSS) - maps.NOT_VENDORED
    assert unknown == set()


@pytest.mark.parametrize("path", sorted({*maps.VENDOR_JS.values(), *maps.VENDOR_CSS.values()}))
def test_vendored_file_exists(path: str) -> None:
    assert (ROOT / "static" / "vendor" / path).is_file()


def test_font_awesome_webfonts_are_vendored() -> None:
    css = (ROOT / "static/vendor/fontawesome-free-6.2.0/css/all.min.css").read_text()
    for ref in set(re.findall(r"url\(\.\./(webfonts/[^)]+)\)", css)):
        assert (ROOT / "static/vendor/fontawesome-free-6.2.0" / ref).is_file(), ref


@pytest.mark.parametrize("cls", FOLIUM_CLASSES)
def test_classes_point_at_static_files(cls: type) -> None:
    for _, url in [*cls.default_js, *cls.default_css]:
        assert url.startswith("/app/static/vendor/"), url


def sample_frame(name: str = "Huaqiang North") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b"],
            "lat": [22.5475, 22.54],
            "lon": [114.0836, 114.0],
            "themes": [("innovation", "shopping"), ("food",)],
            "name": [name, "Plain"],
        }
    )


STYLES = [
    maps.ThemeStyle("innovation", "Innovation", "#7b2ff7", "lightbulb"),
    maps.ThemeStyle("shopping", "Shopping", "#f9a825", "bag-shopping"),
    maps.ThemeStyle("food", "Food", "#e4572e", "utensils"),
]


def render(layer: maps.LandmarkLayer, legend: bool = True) -> str:
    fmap = maps.base_map(
        center=(22.54, 114.05), zoom=12, tiles=maps.TileConfig(), legend=STYLES if legend else ()
    )
    group = folium.FeatureGroup(name="landmarks")
    layer.add_to(group)
    group.add_to(fmap)
    return str(fmap.get_root().render())


def test_rendered_map_asks_no_cdn() -> None:
    frame = sample_frame()
    html = render(maps.LandmarkLayer(frame, styles=STYLES, names=frame["name"]))
    urls = set(re.findall(r"""https?://[^"' )\\]+""", html))
    assert urls == {
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://www.openstreetmap.org/copyright",
    }
    assert "/app/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js" in html
    assert "/app/static/vendor/fontawesome-free-6.2.0/css/all.min.css" in html


def test_hostile_name_is_escaped_in_tooltips() -> None:
    hostile = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    frame = sample_frame(hostile)
    layer = maps.LandmarkLayer(frame, styles=STYLES, names=frame["name"])
    assert json.loads(layer.rows_json)[0][3] == maps.escape(hostile)
    html = render(layer)
    assert "<img src=x" not in html
    assert "</script><script>alert(2)" not in html


def test_hostile_legend_label_is_escaped() -> None:
    legend = maps.Legend([maps.ThemeStyle("x", "<b onmouseover=alert(1)>Bad</b>", "#123456", "star")], "T")
    assert "<b onmouseover" not in legend.inner_html
    assert "&lt;b onmouseover=alert(1)&gt;Bad&lt;/b&gt;" in legend.inner_html


def test_rows_are_compact_and_pick_the_preferred_theme() -> None:
    frame = sample_frame()
    rows = maps.landmark_rows(frame, styles=STYLES, names=frame["name"], prefer_themes=["shopping"])
    assert rows == [[22.5475, 114.0836, 1, "Huaqiang North", "a"], [22.54, 114.0, 2, "Plain", "b"]]
    plain = maps.landmark_rows(frame, styles=STYLES, names=frame["name"])
    assert plain[0][2] == 0  # its first theme
    layer = maps.LandmarkLayer(styles=STYLES, rows_json=maps.script_json(rows))
    assert json.loads(layer.rows_json) == rows


def test_theme_styles_replace_odd_colours_and_icons() -> None:
    themes = pd.DataFrame(
        {"color": ["#00ff00", "red;background:url(x)"], "icon": ["leaf", '"><script>']}, index=["a", "b"]
    )
    styles = maps.theme_styles(themes, pd.Series({"a": "A", "b": "B"}))
    assert [(s.color, s.icon) for s in styles] == [("#00ff00", "leaf"), ("#3388ff", "star")]


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://www.szmuseum.com/", "https://www.szmuseum.com/"),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("//evil.example", ""),
        ('https://x.org/"onmouseover="alert(1)', ""),
        ("", ""),
    ],
)
def test_safe_url(url: str, safe: str) -> None:
    assert maps.safe_url(url) == safe


def test_tiles_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITYPLUS_TILES", raising=False)
    assert maps.TileConfig.from_env().url == maps.OSM_TILES
    assert "OpenStreetMap" in maps.TileConfig.from_env().attribution
    monkeypatch.setenv("CITYPLUS_TILES", "http://tiles.local/{z}/{x}/{y}.png")
    monkeypatch.setenv("CITYPLUS_TILES_ATTRIBUTION", "Event tiles")
    config = maps.TileConfig.from_env()
    assert (config.url, config.attribution) == ("http://tiles.local/{z}/{x}/{y}.png", "Event tiles")
    html = str(maps.base_map(center=(0, 0), zoom=3, tiles=config).get_root().render())
    assert "http://tiles.local/{z}/{x}/{y}.png" in html
    assert "tile.openstreetmap.org" not in html


def test_layer_size_for_the_shipped_city_is_small(tmp_path: Path) -> None:
    data = seed.load_dir(ROOT / "data")
    frame = pd.DataFrame(
        {
            "id": [lm.id for lm in data.landmarks],
            "lat": [lm.lat for lm in data.landmarks],
            "lon": [lm.lon for lm in data.landmarks],
            "themes": [lm.themes for lm in data.landmarks],
            "name": [lm.name for lm in data.landmarks],
        }
    )
    styles = [maps.ThemeStyle(t.id, t.label, t.color, t.icon) for t in data.themes]
    layer = maps.LandmarkLayer(frame, styles=styles, names=frame["name"])
    rows = json.loads(layer.rows_json)
    assert len(rows) == len(data.landmarks)
    assert rows[0][4] == data.landmarks[0].id


def test_script_json_cannot_close_the_script_element() -> None:
    text = maps.script_json(["</script><script>alert(1)</script>", "a & b", "it's"])
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert json.loads(text) == ["</script><script>alert(1)</script>", "a & b", "it's"]


def test_release_old_layers_empties_streamlit_folium_list() -> None:
    group = folium.FeatureGroup(name="g")
    maps.ReleaseOldLayers().add_to(group)
    fmap = maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig())
    group.add_to(fmap)
    assert "window.feature_group.length = 0" in str(fmap.get_root().render())


@pytest.mark.parametrize("name", ["{# unclosed comment", "{{ 7 * 7 }}", "{% raw %}", "<b>{{x}}</b>"])
def test_template_syntax_in_data_neither_crashes_nor_runs(name: str) -> None:
    import streamlit_folium

    fmap = maps.base_map(
        center=(22.5, 114.0),
        zoom=12,
        tiles=maps.TileConfig(),
        legend=[maps.ThemeStyle("t", name, "#123456", "star")],
    )
    html = str(fmap.get_root().render())
    if "7 * 7" in name:
        assert "7 * 7" in html  # shown as text, not evaluated to 49
    route = maps.route_group([maps.RouteStop("a", 22.5, 114.0, name), maps.RouteStop("b", 22.6, 114.1, name)])
    frame = pd.DataFrame({"id": ["a"], "lat": [22.5], "lon": [114.0], "themes": [("t",)], "name": [name]})
    pins = folium.FeatureGroup(name="pins")
    maps.LandmarkLayer(
        frame, styles=[maps.ThemeStyle("t", "T", "#123456", "star")], names=frame["name"]
    ).add_to(pins)
    # what st_folium does with the layers of a page
    script = streamlit_folium._get_feature_group_string(route, map=fmap, idx=0)
    script += streamlit_folium._get_feature_group_string(pins, map=fmap, idx=1)
    assert "{#" not in script and "{{" not in script and "{%" not in script
    assert maps.escape(name) in script


# --- the map for keyboards and screen readers (issue 10) ------------------------------------------


def test_map_page_lets_a_phone_zoom() -> None:
    html = str(maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig()).get_root().render())
    viewport = re.findall(r'<meta name="viewport" content="([^"]*)"', html)
    assert viewport and all("user-scalable=no" not in v and "maximum-scale" not in v for v in viewport)


@pytest.mark.parametrize(
    ("lang", "zoom_in", "cluster", "contributors"),
    [
        ("en", "Zoom in", "{count} places here", "OpenStreetMap</a> contributors"),
        ("zh", "放大", "此处有 {count} 个地点", "OpenStreetMap</a> 贡献者"),
    ],
)
def test_controls_and_marker_names_in_the_page_language(
    lang: str, zoom_in: str, cluster: str, contributors: str
) -> None:
    html = str(maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig(), lang=lang).get_root().render())
    texts = json.loads(re.search(r"window\.cpMapText = (\{.*?\});", html).group(1))  # type: ignore[union-attr]
    assert texts["zoom_in"] == zoom_in and texts["cluster"].startswith(cluster)
    assert texts["imperial"] is (lang == "en")
    fmap = maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig(), lang=lang)
    tiles = next(c for c in fmap._children.values() if isinstance(c, folium.TileLayer))
    assert tiles.options["attribution"].endswith(contributors)
    assert "L.Marker.addInitHook" in html and 'el.setAttribute("aria-label"' in html
    assert "L.control.zoom({zoomInTitle: cpMapText.zoom_in" in html


def test_landmark_pins_carry_their_name_and_theme_label() -> None:
    frame = sample_frame("A & B")
    layer = maps.LandmarkLayer(frame, styles=STYLES, names=frame["name"])
    assert layer.styles[0] == ["#7b2ff7", "lightbulb", "Innovation"]
    html = render(layer)
    assert "landmarkName: r[3], themeLabel: styles[r[2]][2]" in html


@pytest.mark.parametrize(("lang", "label"), [("en", "Stop 2: A &lt;b&gt;"), ("zh", "第 2 站：A &lt;b&gt;")])
def test_route_stops_are_named_and_arrows_are_out_of_the_tab_order(lang: str, label: str) -> None:
    route = maps.route_group(
        [maps.RouteStop("a", 22.5, 114.0, "First"), maps.RouteStop("b", 22.6, 114.1, "A <b>")], lang=lang
    )
    fmap = maps.base_map(center=(22.5, 114.0), zoom=12, tiles=maps.TileConfig())
    route.add_to(fmap)
    html = str(fmap.get_root().render())
    labels = [json.loads(f'"{m}"') for m in re.findall(r'"ariaLabel": "((?:[^"\\]|\\.)*)"', html)]
    assert labels[1] == label
    assert html.count('"keyboard": false') == 1  # the one arrow between the two stops
    assert "A <b>" not in html


def test_every_base_map_declares_the_cluster_plugin() -> None:
    """streamlit-folium loads only the scripts a map declares when it (re)builds its frame: a base
    map shown with just a route must still be able to take a landmark layer later."""
    fmap = maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig(), lang="zh")
    declared = [src for child in fmap._children.values() for _, src in getattr(child, "default_js", [])]
    assert "/app/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js" in declared
