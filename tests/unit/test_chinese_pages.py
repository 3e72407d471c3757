"""What Chinese pages say in Chinese beyond the strings tables: the map's scale units and its
attribution for tiles without one (``itinerary.maps``, ``itinerary.map_controls``), and the
import's progress label on Curate (``transfer.apply``)."""

from __future__ import annotations

import json
import re

import folium
import pytest

from itinerary import maps, store, transfer
from tests.unit.test_transfer import EDDIE, GOOD


def _texts(html: str) -> dict[str, object]:
    return json.loads(re.search(r"window\.cpMapText = (\{.*?\});", html).group(1))  # type: ignore[union-attr,no-any-return]


@pytest.mark.parametrize(
    ("lang", "metres", "kilometres"), [("en", "{n} m", "{n} km"), ("zh", "{n} 米", "{n} 公里")]
)
def test_the_scale_bar_writes_its_units_in_the_page_language(lang: str, metres: str, kilometres: str) -> None:
    html = str(maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig(), lang=lang).get_root().render())
    texts = _texts(html)
    assert (texts["metres"], texts["kilometres"]) == (metres, kilometres)
    # Leaflet's own scale writes " m" and " km"; ours takes the units from the texts
    assert "L.Control.Scale.extend({_updateMetric" in html
    assert "new Scale({imperial: cpMapText.imperial})" in html and "L.control.scale(" not in html


@pytest.mark.parametrize(("lang", "label"), [("en", "Map tiles"), ("zh", "地图图块")])
def test_other_tiles_without_an_attribution_are_named_in_the_page_language(
    lang: str, label: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYPLUS_TILES", "/app/static/tiles/{z}/{x}/{y}.png")
    monkeypatch.delenv("CITYPLUS_TILES_ATTRIBUTION", raising=False)
    fmap = maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig.from_env(), lang=lang)
    tiles = next(c for c in fmap._children.values() if isinstance(c, folium.TileLayer))
    assert tiles.options["attribution"] == label


def test_a_configured_attribution_is_shown_as_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPLUS_TILES", "/app/static/tiles/{z}/{x}/{y}.png")
    monkeypatch.setenv("CITYPLUS_TILES_ATTRIBUTION", "Tiles © Example")
    fmap = maps.base_map(center=(0, 0), zoom=3, tiles=maps.TileConfig.from_env(), lang="zh")
    tiles = next(c for c in fmap._children.values() if isinstance(c, folium.TileLayer))
    assert tiles.options["attribution"] == "Tiles © Example"


@pytest.mark.parametrize(("lang", "entity"), [("en", "landmark"), ("zh", "地标")])
def test_the_import_progress_names_each_row_in_the_page_language(
    mini_db_url: str, lang: str, entity: str
) -> None:
    db = store.open_store(mini_db_url)
    seen: list[tuple[int, int, str]] = []
    plan = transfer.preview(db, {"landmarks.csv": GOOD}, EDDIE)
    transfer.apply(db, plan, EDDIE, progress=lambda *a: seen.append(a), lang=lang)
    assert seen == [(1, 2, f"{entity} shenzhen-bay-park"), (2, 2, f"{entity} ping-an-finance-center")]
    db.engine.dispose()
