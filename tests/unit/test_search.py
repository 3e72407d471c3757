"""Search in both languages (``itinerary.search``) on the shipped data in a real database: a
Chinese word finds what its English word finds, themes and districts count in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from itinerary import store
from itinerary.catalog import Catalog, LandmarkFilter, filter_landmarks
from itinerary.search import WORDS, normalize_text, query_terms, search_text
from tests.conftest import DATA


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The shipped data, seeded into a real (SQLite) database once for this module."""
    db = store.open_store(f"sqlite:///{tmp_path_factory.mktemp('search') / 'search.db'}")
    store.ensure_seeded(db, DATA)
    return Catalog(db)


def found(catalog: Catalog, city_id: str, query: str) -> list[str]:
    frame = catalog.landmarks(city_id)
    return sorted(filter_landmarks(frame, LandmarkFilter(query=query), timezone="UTC").index)


def cities(catalog: Catalog) -> list[str]:
    return list(catalog.cities().index)


def test_museum_and_bo_wu_guan_find_the_same_places(catalog: Catalog) -> None:
    english, chinese = found(catalog, "shenzhen", "museum"), found(catalog, "shenzhen", "博物馆")
    assert english == chinese
    assert len(chinese) == 5  # was 3: only the places whose Chinese text says 博物馆
    assert {"shenzhen-museum", "mocape", "crane-lake-hakka-residence"} <= set(chinese)


def test_the_same_on_the_database_the_app_uses(db_url: str) -> None:
    db = store.open_store(db_url)
    store.ensure_seeded(db, DATA)
    assert found(Catalog(db), "shenzhen", "博物馆") == found(Catalog(db), "shenzhen", "museum")


def _words() -> list[tuple[str, ...]]:
    return [(*en, *zh) for en, zh in WORDS]


@pytest.mark.parametrize("words", _words(), ids=lambda w: w[0])
def test_every_word_of_an_entry_finds_the_same_places_in_every_city(
    catalog: Catalog, words: tuple[str, ...]
) -> None:
    for city_id in cities(catalog):
        results = {word: found(catalog, city_id, word) for word in words}
        first = results[words[0]]
        assert all(ids == first for ids in results.values()), (
            city_id,
            {w: len(v) for w, v in results.items()},
        )


@pytest.mark.parametrize(("en", "zh"), WORDS, ids=lambda w: w[0])
def test_every_entry_comes_from_the_datas_names(
    catalog: Catalog, en: tuple[str, ...], zh: tuple[str, ...]
) -> None:
    """The table is made of words that stand in the data, in both languages, not of wishes."""
    frames = [catalog.landmarks(c) for c in cities(catalog)]
    english = " ".join(normalize_text(" ".join(f["name"]) + " " + " ".join(f["summary"])) for f in frames)
    chinese = " ".join(
        " ".join(f["name_zh"].fillna("")) + " ".join(f["summary_zh"].fillna("")) for f in frames
    )
    assert any(normalize_text(word) in english for word in en), en
    assert any(word in chinese for word in zh), zh


def test_themes_count_in_both_languages(catalog: Catalog) -> None:
    themes = catalog.themes()
    frame = catalog.landmarks("shenzhen")
    for tid, theme in themes.iterrows():
        themed = set(frame.index[frame["themes"].map(lambda ts, tid=tid: tid in ts)])
        for label in (theme["label"], theme["label_zh"]):
            assert themed <= set(found(catalog, "shenzhen", label)), (tid, label)
    assert found(catalog, "shenzhen", "美食") == found(catalog, "shenzhen", "food")
    # a Chinese theme label finds at least the theme's places: 购物 was 1 place, shopping's are 5
    assert len(found(catalog, "shenzhen", "购物")) >= 5


def test_a_chinese_query_is_cut_at_the_tables_words() -> None:
    assert query_terms("福田公园") == ["福田", query_terms("公园")[0]]
    assert query_terms("Futian  PARK") == ["futian", query_terms("park")[0]]
    assert query_terms("华强北") == ["华强北"]  # no word of the table in it: one term


def test_futian_gong_yuan_finds_what_futian_park_finds(catalog: Catalog) -> None:
    assert found(catalog, "shenzhen", "福田公园") == found(catalog, "shenzhen", "futian park")
    assert found(catalog, "shenzhen", "福田公园") == ["futian-mangrove-ecological-park", "lianhuashan-park"]


def test_one_entrys_words_never_find_another_entrys_places() -> None:
    frame = pd.DataFrame(
        {
            "name": ["City Art Gallery", "Folk Museum", "Old Fort"],
            "name_zh": ["城市画廊", "", ""],
            "summary": ["", "", "A comfortable walk."],
            "summary_zh": ["", "", ""],
            "district": ["Centre", "Centre", "Nanshan"],
            "address": ["", "", ""],
            "district_zh": ["中心区", "中心区", "南山区"],
            "themes": [("culture",), (), ()],
        },
        index=["gallery", "museum", "fort"],
    )
    text = search_text(frame, {"culture": "Culture 文化艺术"})
    matching = {
        q: sorted(i for i in frame.index if all(t in text[i] for t in query_terms(q)))
        for q in ["museum", "博物馆", "gallery", "美术馆", "画廊", "南山", "nanshan", "文化", "culture"]
    }
    assert matching["museum"] == matching["博物馆"] == ["museum"]
    assert matching["gallery"] == matching["美术馆"] == matching["画廊"] == ["gallery"]
    assert matching["南山"] == matching["nanshan"] == ["fort"]  # the district's Chinese name counts
    assert matching["文化"] == matching["culture"] == ["gallery"]  # the theme's labels count


def test_the_districts_chinese_name_finds_the_district(catalog: Catalog) -> None:
    for city_id in cities(catalog):
        frame = catalog.landmarks(city_id)
        named = frame[frame["district_zh"].fillna("") != ""]
        for (district, district_zh), group in named.groupby(["district", "district_zh"]):
            assert set(group.index) <= set(found(catalog, city_id, district_zh)), (district, district_zh)
    # the name without 区, as people write it, finds as much as the English name (南山 was 1 place)
    assert found(catalog, "shenzhen", "南山") == found(catalog, "shenzhen", "nanshan")
    assert len(found(catalog, "shenzhen", "南山")) == 19
    assert found(catalog, "shenzhen", "福田") == found(catalog, "shenzhen", "futian")
