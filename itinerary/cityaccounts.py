"""City accounts: a city's profile rules, and the checks of its stories and their chapters.

The one home of the rules of the city-account columns of ``cities.csv`` and of ``stories.csv``
and ``story_chapters.csv``: the data files (``seed``), the importer and the editor all call them.
A problem is a code with values (strings ``problem.*`` in ``itinerary/i18n/cityaccounts.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from itinerary.columns import MAX_KM_FROM_CITY
from itinerary.geodesy import haversine_km
from itinerary.i18n import t
from itinerary.models import Chapter, City, Landmark, Story
from itinerary.validation import Positions, Problem

Row = Mapping[str, Any]
CHAPTER_ZOOM = 15  # a chapter's zoom when it gives none
HOME = "home"


def items(cell: str | None) -> list[str]:
    """The items of a ';'-separated text cell (a city's facts)."""
    return [v.strip() for v in (cell or "").split(";") if v.strip()]


@dataclass(frozen=True, slots=True)
class Fact:
    text: str
    source: str


def city_facts(city: City, lang: str) -> list[Fact]:
    """A city's key facts in ``lang`` (the English where the Chinese is missing), each with its source."""
    facts, zh, sources = items(city.facts), items(city.facts_zh), items(city.fact_sources)
    texts = zh if lang == "zh" and len(zh) == len(facts) else facts
    return [Fact(text, sources[i] if i < len(sources) else "") for i, text in enumerate(texts)]


def city_row_problems(row: Row) -> list[tuple[str, str, dict[str, Any]]]:
    """A city row's own problems (column, code, values): facts, their Chinese and their sources."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    if row.get("facts") is None:
        return found
    facts = items(row["facts"])
    zh = None if row.get("facts_zh") is None else items(row["facts_zh"])
    sources = None if row.get("fact_sources") is None else items(row["fact_sources"])
    if zh and len(zh) != len(facts):
        found.append(("facts_zh", "facts_zh_count", {"facts": len(facts), "count": len(zh)}))
    if sources is not None and len(sources) != len(facts):
        found.append(("fact_sources", "fact_sources_count", {"facts": len(facts), "count": len(sources)}))
    return found


def check_cities(rows: Sequence[tuple[int, Row]], problems: list[Problem]) -> None:
    """Every city row's own problems, and the places in the join order taken once each."""
    file = "cities.csv"
    orders: dict[int, int] = {}
    homes: list[int] = []
    for line, row in rows:
        for column, code, values in city_row_problems(row):
            problems.append(Problem.coded(file, line, column, code, **values))
        order = row.get("join_order")
        if order is not None:
            if order in orders:
                problems.append(
                    Problem.coded(
                        file, line, "join_order", "join_order_taken", order=order, other=orders[order]
                    )
                )
            else:
                orders[order] = line
        if row.get("partnership") == HOME:
            homes.append(line)
    for line in homes[1:]:
        problems.append(Problem.coded(file, line, "partnership", "home_twice", other=homes[0]))


def _check_story_rows(
    rows: Sequence[tuple[int, Row]],
    cities: Mapping[str, Row],
    itineraries: Mapping[str, Row],
    problems: list[Problem],
) -> None:
    file = "stories.csv"
    for line, row in rows:
        if "city_id" in row and row["city_id"] not in cities:
            problems.append(Problem.coded(file, line, "city_id", "unknown_city", value=row["city_id"]))
        target = row.get("itinerary_id")
        if not target:
            continue
        it = itineraries.get(target)
        if it is None:
            problems.append(Problem.coded(file, line, "itinerary_id", "unknown_itinerary", value=target))
        elif it.get("city_id") != row.get("city_id"):
            problems.append(
                Problem.coded(
                    file,
                    line,
                    "itinerary_id",
                    "story_itinerary_other_city",
                    itinerary=target,
                    itinerary_city=it.get("city_id"),
                    city=row.get("city_id"),
                )
            )


def chapter_row_problems(
    row: Row, city: Row | None, landmarks: Mapping[str, Row]
) -> list[tuple[str, str, dict[str, Any]]]:
    """A chapter's place (a landmark of the story's city, or a centre near it) and image alt."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    landmark_id = row.get("landmark_id")
    lat, lon = row.get("lat"), row.get("lon")
    if landmark_id:
        lm = landmarks.get(landmark_id)
        if lm is None:
            found.append(("landmark_id", "unknown_landmark", {"value": landmark_id}))
        elif city is not None and lm.get("city_id") != city.get("id"):
            found.append(
                (
                    "landmark_id",
                    "chapter_landmark_other_city",
                    {"landmark": landmark_id, "landmark_city": lm.get("city_id"), "city": city.get("id")},
                )
            )
    elif "landmark_id" in row and "lat" in row and "lon" in row:
        if lat is None or lon is None:
            found.append(("landmark_id", "chapter_without_place", {}))
        elif city is not None and "lat" in city and "lon" in city:
            km = float(haversine_km(city["lat"], city["lon"], lat, lon))
            if km > MAX_KM_FROM_CITY:
                found.append(
                    ("lat", "too_far", {"lat": lat, "lon": lon, "km": km, "city": city.get("name", "")})
                )
    if row.get("image") and not row.get("image_alt"):
        found.append(("image_alt", "image_without_alt", {}))
    return found


def _check_chapter_rows(
    rows: Sequence[tuple[int, Row]],
    stories: Mapping[str, Row],
    cities: Mapping[str, Row],
    landmarks: Mapping[str, Row],
    problems: list[Problem],
) -> None:
    file = "story_chapters.csv"
    positions = Positions(file, "story", "chapter_position_taken", "chapter_position_gaps")
    for line, row in rows:
        if "story_id" not in row:
            continue
        story = stories.get(row["story_id"])
        if story is None:
            problems.append(Problem.coded(file, line, "story_id", "unknown_story", value=row["story_id"]))
            continue
        city = cities.get(story.get("city_id", ""))
        for column, code, values in chapter_row_problems(row, city, landmarks):
            problems.append(Problem.coded(file, line, column, code, **values))
        if "position" in row:
            positions.add(line, row["story_id"], row["position"], problems)
    positions.finish(problems)


def check_stories(
    story_rows: Sequence[tuple[int, Row]],
    chapter_rows: Sequence[tuple[int, Row]],
    *,
    cities: Mapping[str, Row],
    itineraries: Mapping[str, Row],
    landmarks: Mapping[str, Row],
    stories: Mapping[str, Row],
    problems: list[Problem],
) -> None:
    """The cross-file checks of stories.csv and story_chapters.csv (``seed.validate_rows``)."""
    _check_story_rows(story_rows, cities, itineraries, problems)
    _check_chapter_rows(chapter_rows, stories, cities, landmarks, problems)


# --- the read side ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    """Where a chapter's map flies to."""

    lat: float
    lon: float
    zoom: int
    landmark_id: str = ""


def chapter_place(chapter: Chapter, landmarks: Mapping[str, Landmark], city: City) -> Place:
    """A chapter's place: its landmark's position, else its centre, else the city's centre."""
    zoom = chapter.zoom or CHAPTER_ZOOM
    lm = landmarks.get(chapter.landmark_id) if chapter.landmark_id else None
    if lm is not None:
        return Place(lm.lat, lm.lon, zoom, lm.id)
    if chapter.lat is not None and chapter.lon is not None:
        return Place(chapter.lat, chapter.lon, zoom)
    return Place(city.lat, city.lon, city.zoom)


def join_order(cities: Iterable[City]) -> list[City]:
    """The city accounts in the order they joined the platform (those without a place last)."""
    return sorted(cities, key=lambda c: (c.join_order is None, c.join_order or 0, c.joined or "9999", c.id))


def published_stories(stories: Iterable[Story], city_id: str) -> list[Story]:
    return sorted(
        (s for s in stories if s.city_id == city_id and s.status == "published"), key=lambda s: s.id
    )


def chapters_of(chapters: Iterable[Chapter], story_id: str) -> list[Chapter]:
    return sorted((c for c in chapters if c.story_id == story_id), key=lambda c: c.position)


# --- the pages' side: frames of the catalog (Catalog.cities, stories, chapters, landmarks) --------


@dataclass(frozen=True, slots=True)
class ChapterView:
    """A chapter as a visitor reads it: its number, texts in the page's language, its place."""

    number: int
    title: str
    text: str
    place: Place
    image: str
    image_alt: str


def _text_in(row: Any, column: str, lang: str) -> str:
    value = row.get(f"{column}_zh") if lang == "zh" else None
    if isinstance(value, str) and value.strip():
        return value
    found = row.get(column)
    return found if isinstance(found, str) else ""


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN: an empty cell


def chapter_views(chapters: Any, landmarks: Any, city: Any, lang: str) -> list[ChapterView]:
    """A story's chapters (``Catalog.chapters``) as the viewer shows them, in order.

    A chapter's landmark that visitors cannot see (a draft) gives its place but not its name."""
    views: list[ChapterView] = []
    for _, row in chapters.iterrows():
        zoom = _number(row.get("zoom"))
        lat, lon = _number(row.get("lat")), _number(row.get("lon"))
        landmark_id = str(row.get("landmark_id") or "")
        if landmark_id and landmark_id in landmarks.index:
            lm = landmarks.loc[landmark_id]
            place = Place(float(lm["lat"]), float(lm["lon"]), int(zoom or CHAPTER_ZOOM), landmark_id)
        elif lat is not None and lon is not None:
            place = Place(lat, lon, int(zoom or CHAPTER_ZOOM))
        else:
            place = Place(float(city["lat"]), float(city["lon"]), int(city["zoom"]))
        views.append(
            ChapterView(
                number=int(row["position"]),
                title=_text_in(row, "title", lang),
                text=_text_in(row, "text", lang),
                place=place,
                image=str(row.get("image") or ""),
                image_alt=_text_in(row, "image_alt", lang),
            )
        )
    return views


def chapter_number(raw: str | None, count: int) -> tuple[int, str | None]:
    """The chapter a link asks for (1-based) and the value to report when it is no chapter."""
    if raw is None or raw == "":
        return 1, None
    try:
        number = int(raw)
    except ValueError:
        return 1, raw
    if not 1 <= number <= count:
        return 1, raw
    return number, None


def featured_landmark_ids(
    chapter_frames: Iterable[Any], stop_frames: Iterable[Any], *, visible: Iterable[str], limit: int = 6
) -> list[str]:
    """A city's featured landmarks: those its stories visit, then its featured itineraries' stops,
    each once, in that order, only ``visible`` ones (published), at most ``limit``."""
    shown = set(visible)
    found: list[str] = []
    for frame in [*chapter_frames, *stop_frames]:
        for value in frame["landmark_id"]:
            if value and value in shown and value not in found:
                found.append(str(value))
    return found[:limit]


KIND_KEYS: dict[str, str] = {
    "home": "city.kind.home",
    "sister-city": "city.kind.sister_city",
    "friendship-city": "city.kind.friendship_city",
    "economic-partner": "city.kind.economic_partner",
    "platform": "city.kind.platform",
}
MONTH_KEYS = (
    "city.month.1",
    "city.month.2",
    "city.month.3",
    "city.month.4",
    "city.month.5",
    "city.month.6",
    "city.month.7",
    "city.month.8",
    "city.month.9",
    "city.month.10",
    "city.month.11",
    "city.month.12",
)


def partnership_key(kind: str) -> str:
    """The i18n key of a partnership kind's name."""
    return KIND_KEYS.get(kind, KIND_KEYS["platform"])


def date_parts(value: str) -> tuple[str, int | None, int | None]:
    """A partial date (YYYY, YYYY-MM, YYYY-MM-DD) as year, month and day (None where not given)."""
    parts = value.split("-")
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    return parts[0], month, day


def optional_int(value: Any) -> int | None:
    """A whole number from a frame cell that may be empty (None or NaN)."""
    number = _number(value)
    return None if number is None else int(number)


def city_record(row: Any) -> City:
    """A city from a row of ``Catalog.cities``."""
    values = {name: row[name] for name in City.__slots__ if name in row}  # type: ignore[attr-defined]
    for name in ("partner_since", "join_order"):
        values[name] = optional_int(values.get(name))
    for name in ("lat", "lon"):
        values[name] = float(values[name])
    values["zoom"] = int(values["zoom"])
    return City(**values)


def city_records(frame: Any) -> list[City]:
    return [city_record(row) for _, row in frame.iterrows()]


def date_text(value: str, lang: str) -> str:
    """A partial date as a reader says it: "3 December 2018", "2018年12月3日", "December 2017"."""
    if not value:
        return ""
    year, month, day = date_parts(value)
    if month is None:
        return t("city.date_year", lang, year=year)
    name = t(MONTH_KEYS[month - 1], lang)
    if day is None:
        return t("city.date_month", lang, month=name, year=year)
    return t("city.date_day", lang, day=day, month=name, year=year)
