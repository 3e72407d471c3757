"""The layer drawn by view (issue 14): its compact columns, their escaping, its script and assets."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import folium
import pandas as pd
import pytest
import streamlit_folium

from itinerary import map_index, maps
from tests.conftest import ROOT

STYLES = [
    maps.ThemeStyle("innovation", "Innovation", "#7b2ff7", "lightbulb"),
    maps.ThemeStyle("food", "Food & <b>drink</b>", "#e4572e", "utensils"),
]
HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script> | {{ 7 * 7 }}"


def frame_of(n: int, *, first_name: str = "First") -> pd.DataFrame:
    ids = [f"lm-{i:05d}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "id": ids,
            "lat": [22.5 + (i % 97) * 0.0013 - (i % 7) * 0.00071 for i in range(n)],
            "lon": [114.0 - (i % 89) * 0.0017 + (i % 5) * 0.00093 for i in range(n)],
            "themes": [("food",) if i % 3 else ("innovation", "food") for i in range(n)],
            "name": [first_name if i == 0 else f"Place {i} 名" for i in range(n)],
        },
        index=pd.Index(ids, name="id"),  # the catalog's frames are indexed by id too
    )
    return frame.iloc[::-1]  # not in id order: the columns sort them


def columns_of(frame: pd.DataFrame, prefer: tuple[str, ...] = ()) -> map_index.LandmarkColumns:
    styles = maps.style_indexes(frame, styles=STYLES, prefer_themes=prefer)
    return map_index.landmark_columns(frame, style_index=styles, names=frame["name"])


def test_deltas_are_googles_encoded_polyline() -> None:
    # the example of Google's "Encoded Polyline Algorithm Format": (38.5, -120.2), (40.7, -120.95),
    # (43.252, -126.453) encode as "_p~iF~ps|U_ulLnnqC_mqNvxq`@" (latitude, longitude per point)
    lats, lons = [3850000, 4070000, 4325200], [-12020000, -12095000, -12645300]
    assert map_index.encode_deltas(lats) == "_p~iF_ulL_mqN"
    assert map_index.encode_deltas(lons) == "~ps|UnnqCvxq`@"


@pytest.mark.parametrize("values", [[], [0], [1, -1, 0], [180_000_000, -180_000_000, 90_000_000, 7, 7]])
def test_deltas_round_trip(values: list[int]) -> None:
    assert map_index.decode_deltas(map_index.encode_deltas(values)) == values


def test_ids_are_front_coded() -> None:
    ids = ["abc", "abd", "b", "b-1", "b-1", "c" * 70, "c" * 71]
    text = map_index.front_code(ids)
    assert text.split("|")[:4] == ["Aabc", "Cd", "Ab", "B-1"]
    assert map_index.front_decode(text) == ids
    assert map_index.front_decode(map_index.front_code([])) == []


def test_columns_decode_to_the_landmarks_sorted_by_id() -> None:
    frame = frame_of(1200, first_name=HOSTILE)
    columns = columns_of(frame, prefer=("innovation",))
    ordered = frame.sort_index()
    assert columns.count == 1200
    assert map_index.front_decode(columns.ids) == list(ordered["id"])
    lat = [v / map_index.SCALE for v in map_index.decode_deltas(columns.lat)]
    lon = [v / map_index.SCALE for v in map_index.decode_deltas(columns.lon)]
    assert lat == pytest.approx(list(ordered["lat"]), abs=1e-6)
    assert lon == pytest.approx(list(ordered["lon"]), abs=1e-6)
    assert columns.style == "".join("0" if i % 3 == 0 else "1" for i in range(1200))  # preferred first
    names = columns.names.split("|")
    assert len(names) == 1200 and names[1] == "Place 1 名"
    # escaped for HTML, the separator as a character reference: the same text once decoded
    assert names[0] == maps.escape(HOSTILE).replace("|", "&#124;")
    assert "<" not in columns.names and "{{" not in columns.names


def test_ids_with_the_separator_are_refused() -> None:
    frame = frame_of(2).assign(id=["a|b", "c"])
    with pytest.raises(ValueError):
        columns_of(frame)


def test_the_threshold() -> None:
    assert not map_index.use_index(map_index.INDEXED_FROM - 1, 8)
    assert map_index.use_index(map_index.INDEXED_FROM, 8)
    assert not map_index.use_index(10_000, len(map_index.STYLE_CODES) + 1)  # one character each


def render(n: int, name: str = "First") -> str:
    frame = frame_of(n, first_name=name)
    columns = columns_of(frame)
    styles = [[s.color, s.icon, maps.escape(s.label)] for s in STYLES]
    fmap = maps.base_map(center=(22.5, 114.0), zoom=11, tiles=maps.TileConfig(), legend=STYLES)
    group = folium.FeatureGroup(name="landmarks")
    layer = map_index.IndexedLandmarkLayer(styles=styles, data_json=maps.script_json(columns.as_json_value()))
    layer.add_to(group)
    # what st_folium does with a page's layers
    script: str = streamlit_folium._get_feature_group_string(group, map=fmap, idx=0)
    return script + str(fmap.get_root().render())


def test_layer_script_is_safe_and_uses_vendored_supercluster() -> None:
    html = render(1000, HOSTILE)
    assert "<img src=x" not in html and "</script><script>alert(2)" not in html
    assert "{{ 7 * 7 }}" not in html and "49" not in re.findall(r"&#123;&#123; (\S+)", html)
    styles = json.loads(re.search(r"var styles = (\[.*?\]);", html).group(1))  # type: ignore[union-attr]
    assert styles[1] == ["#e4572e", "utensils", "Food &amp; &lt;b&gt;drink&lt;/b&gt;"]  # the label, escaped
    assert "/app/static/vendor/supercluster-9.1.0/supercluster.min.js" in html
    urls = set(re.findall(r"""https?://[^"' )\\]+""", html))
    assert urls == {
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://www.openstreetmap.org/copyright",
    }
    assert 'new Supercluster({"extent": 256' in html
    assert "clusterclick" in html and "landmarkName: names[k]" in html


def test_supercluster_is_vendored_with_its_licences() -> None:
    folder = ROOT / "static/vendor/supercluster-9.1.0"
    assert (folder / "supercluster.min.js").is_file()
    assert "ISC License" in (folder / "LICENSE").read_text()
    assert "ISC License" in (folder / "LICENSE-kdbush").read_text()  # bundled in the built file
    assert "sourceMappingURL" not in (folder / "supercluster.min.js").read_text()
    assert "supercluster@9.1.0" in (ROOT / "tools/vendor-assets.sh").read_text()


def test_every_base_map_declares_supercluster() -> None:
    fmap = maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig())
    declared = [src for child in fmap._children.values() for _, src in getattr(child, "default_js", [])]
    assert "/app/static/vendor/supercluster-9.1.0/supercluster.min.js" in declared


def test_payload_of_ten_thousand_landmarks_is_small() -> None:
    columns = columns_of(frame_of(10_000))
    size = len(maps.script_json(columns.as_json_value()).encode())
    rows = maps.landmark_rows_json(frame_of(10_000), styles=STYLES, names=frame_of(10_000)["name"])
    assert size < len(rows.encode()) / 2  # against the marker rows of the cluster layer


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_decodes_what_python_encoded() -> None:
    """The layer's own decoding, run by node on the script as rendered."""
    frame = frame_of(1000, first_name=HOSTILE)
    columns = columns_of(frame)
    html = render(1000, HOSTILE)
    body = re.search(r"var data = (\{.*?\});\s*var n = data\.n, codes = (\".*?\");", html, re.S)
    decode = re.search(r"(function deltas\(text\) \{.*?\n\s*return out;\n\s*\})", html, re.S)
    loop = re.search(r"(var lat = deltas.*?\n\s*\}\n)", html, re.S)
    assert body and decode and loop
    program = (
        f"var data = {body.group(1)}; var n = data.n, codes = {body.group(2)};\n{decode.group(1)}\n"
        + loop.group(1)
        + "console.log(JSON.stringify({ids: ids, names: names, lat: Array.from(lat), lon: Array.from(lon),"
        " style: Array.from(style)}));"
    )
    out = json.loads(
        subprocess.run(["node", "-e", program], capture_output=True, check=True, text=True).stdout
    )
    ordered = frame.sort_index()
    assert out["ids"] == list(ordered["id"])
    assert out["names"] == columns.names.split("|")
    assert out["lat"] == pytest.approx(list(ordered["lat"]), abs=1e-6)
    assert out["lon"] == pytest.approx(list(ordered["lon"]), abs=1e-6)
    assert out["style"] == [int(c) for c in columns.style]
