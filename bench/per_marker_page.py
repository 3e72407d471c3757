"""The baseline for the Explore benchmark: a plain per-marker folium page.

One ``folium.Marker`` with a tooltip and a popup per landmark, added straight to a
``folium.Map`` shown with ``streamlit_folium.st_folium``; no clustering, no compact rows. It
reads the same content as the app (``CITYPLUS_DATA_DIR``, ``CITYPLUS_DB_URL``), seeding the
database the same way, and caches the content, so that only the map differs.

Run it from the project root (static serving is on in .streamlit/config.toml; Leaflet and
its plugins come from ./static, as in the app, so the page works offline)::

    streamlit run bench/per_marker_page.py

``?limit=N`` draws only the first N landmarks (a cheap warm-up load for the benchmark), and
with ``CITYPLUS_BENCH_ARGS_FILE`` set the page writes the size of its map's component arguments
to that file. The module is import-safe (the page runs under ``__main__`` only).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run bench/...` puts bench/ first, not the root
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import pandas as pd  # noqa: E402
from branca.element import MacroElement  # noqa: E402

from itinerary import map_render, maps, store  # noqa: E402  (importing maps points folium at static/vendor)
from itinerary.catalog import Catalog  # noqa: E402

MAP_HEIGHT = 560
# When set, the sizes of the map's component arguments are written to this file (benchmark).
ARGS_FILE_ENV = "CITYPLUS_BENCH_ARGS_FILE"


def build_map(city: pd.Series, landmarks: pd.DataFrame) -> folium.Map:
    """A map of the city with one marker, tooltip and popup per landmark."""
    maps.use_local_assets()  # idempotent; explicit because the page cannot load offline without it
    fmap = folium.Map(
        location=[float(city["lat"]), float(city["lon"])],
        zoom_start=int(city["zoom"]),
        tiles=maps.OSM_TILES,
        attr=maps.OSM_ATTRIBUTION,
        control_scale=True,
    )
    for lat, lon, name, district, summary in zip(
        landmarks["lat"],
        landmarks["lon"],
        landmarks["name"],
        landmarks["district"],
        landmarks["summary"],
        strict=True,
    ):
        popup = f"<b>{maps.escape(name)}</b><br>{maps.escape(district)}<br>{maps.escape(summary)}"
        folium.Marker(
            location=[float(lat), float(lon)],
            tooltip=maps.escape(name),
            popup=folium.Popup(popup, max_width=300),
        ).add_to(fmap)
    return fmap


def main() -> None:
    """The Streamlit page: title, count, and the per-marker map."""
    import streamlit as st
    from streamlit_folium import st_folium

    @st.cache_resource(show_spinner=False)
    def open_catalog(db_url: str, data_dir: str) -> Catalog:
        db = store.open_store(db_url)
        store.ensure_seeded(db, data_dir)
        return Catalog(db)

    # a plain folium page renders as branca does, twice (importing itinerary.maps made every
    # macro element render once: itinerary/map_render.py; that is the app's, not the baseline's)
    MacroElement.render = map_render.ORIGINAL_RENDER  # type: ignore[method-assign]
    st.set_page_config(page_title="Per-marker baseline", layout="wide")
    if os.environ.get(ARGS_FILE_ENV):
        from bench.payload import install_file_recorder

        install_file_recorder(os.environ[ARGS_FILE_ENV])
    catalog = open_catalog(store.default_db_url(), str(store.default_data_dir()))
    city = catalog.cities().iloc[0]
    landmarks = catalog.landmarks(str(city["id"]))
    limit = st.query_params.get("limit", "")
    if limit.isdigit():  # ?limit=N draws the first N only: the benchmark warms the server up with it
        landmarks = landmarks.head(int(limit))
    st.title("Per-marker folium baseline", anchor=False)
    st.markdown(f"**{len(landmarks)} landmarks**, one `folium.Marker` each")
    st_folium(
        build_map(city, landmarks),
        key="per_marker_map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )


if __name__ == "__main__":
    main()
