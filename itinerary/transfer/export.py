"""Export a city in the data contract: a zip of its CSV files (the documented backup), or GeoJSON.

Importing an export again changes nothing, and the same content gives the same bytes. Every CSV
cell goes through ``cells.guard_formula``, so a spreadsheet never runs a cell as a formula; the
importer undoes the guard (the seed's CSV reader, ``seed._parse_row``). GeoJSON is not opened by spreadsheets:
its text stays as it is.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from itinerary import seed
from itinerary import store as storage
from itinerary.cells import cell_text, guard_formula
from itinerary.models import Chapter, City, Itinerary, Landmark, Stop, Story, Theme
from itinerary.transfer.geojson import LANDMARK_COLUMNS

# Fixed zip entry time: the same content gives byte-identical exports.
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)


class UnknownCity(LookupError):
    pass


def _csv_bytes(spec: str, records: Iterable[Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = seed.SPEC_BY_NAME[spec].column_names
    writer.writerow(names)
    for record in records:
        writer.writerow([guard_formula(cell_text(getattr(record, name))) for name in names])
    # a BOM, so that spreadsheets open the Chinese text as UTF-8 (the seed reads it either way)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


@dataclass(frozen=True, slots=True)
class CityContent:
    city: City
    themes: tuple[Theme, ...]
    landmarks: tuple[Landmark, ...]
    itineraries: tuple[Itinerary, ...]
    stops: tuple[Stop, ...]
    stories: tuple[Story, ...] = ()
    chapters: tuple[Chapter, ...] = ()


def city_content(store: storage.Store, city_id: str) -> CityContent:
    """A city's content, drafts and archived included; raises ``UnknownCity``."""
    data = store.dataset()
    city = next((c for c in data.cities if c.id == city_id), None)
    if city is None:
        known = ", ".join(c.id for c in data.cities) or "none"
        raise UnknownCity(f"unknown city {city_id!r} (known: {known})")
    itineraries = tuple(i for i in data.itineraries if i.city_id == city_id)
    ids = {i.id for i in itineraries}
    stories = tuple(s for s in data.stories if s.city_id == city_id)
    story_ids = {s.id for s in stories}
    return CityContent(
        city=city,
        themes=data.themes,
        landmarks=tuple(lm for lm in data.landmarks if lm.city_id == city_id),
        itineraries=itineraries,
        stops=tuple(s for s in data.stops if s.itinerary_id in ids),
        stories=stories,
        chapters=tuple(c for c in data.chapters if c.story_id in story_ids),
    )


def export_files(store: storage.Store, city_id: str) -> dict[str, bytes]:
    """The data-contract files of one city (every theme), by file name."""
    content = city_content(store, city_id)
    return {
        "cities.csv": _csv_bytes("cities.csv", [content.city]),
        "themes.csv": _csv_bytes("themes.csv", content.themes),
        "landmarks.csv": _csv_bytes("landmarks.csv", content.landmarks),
        "itineraries.csv": _csv_bytes("itineraries.csv", content.itineraries),
        "itinerary_stops.csv": _csv_bytes("itinerary_stops.csv", content.stops),
        "stories.csv": _csv_bytes("stories.csv", content.stories),
        "story_chapters.csv": _csv_bytes("story_chapters.csv", content.chapters),
    }


def export_zip(store: storage.Store, city_id: str) -> bytes:
    """A zip of the city's data-contract files in a folder ``cityplus-<city>/``; same content, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, raw in export_files(store, city_id).items():
            info = zipfile.ZipInfo(f"cityplus-{city_id}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, raw)
    return buffer.getvalue()


def export_geojson(store: storage.Store, city_id: str) -> bytes:
    """The city's landmarks as a GeoJSON FeatureCollection (RFC 7946) that imports back unchanged.

    One Point per landmark ([lon, lat], unrounded); properties are the other landmarks.csv
    columns (themes ';'-separated, as in the CSV).
    """
    content = city_content(store, city_id)
    features = []
    for lm in content.landmarks:
        props: dict[str, Any] = {}
        for name in LANDMARK_COLUMNS:
            if name in ("lat", "lon"):
                continue
            value = getattr(lm, name)
            props[name] = ";".join(value) if name == "themes" else value
        features.append(
            {
                "type": "Feature",
                "id": lm.id,
                "geometry": {"type": "Point", "coordinates": [lm.lon, lm.lat]},
                "properties": props,
            }
        )
    # one feature a line: readable, and a changed landmark is one changed line in a diff
    lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    head = json.dumps(
        {"type": "FeatureCollection", "name": f"cityplus-{city_id}-landmarks"}, ensure_ascii=False
    )
    return f'{head[:-1]}, "features": [\n{lines}\n]}}\n'.encode()
