"""Read side: cities, themes, landmarks and itineraries as pandas DataFrames, with filters.

``Catalog`` caches its frames per data version of the database, so every process refreshes
after any write (its own or another process's) and otherwise never queries twice.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

import pandas as pd

from itinerary import settings
from itinerary import store as storage
from itinerary.hours import open_mask
from itinerary.routing import haversine_km
from itinerary.search import normalize_text as normalize_text  # re-exported
from itinerary.search import query_terms, search_text, theme_labels
from itinerary.stepfree import needs_mask, parse_needs
from itinerary.store import Store

# Wheelchair filter: what each choice accepts (OSM's values).
WHEELCHAIR_ACCEPTS = {"yes": ("yes",), "limited": ("yes", "limited")}


def localized(frame: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """``column_zh`` where the language is Chinese and the cell is filled, else ``column``."""
    if lang == "zh" and f"{column}_zh" in frame:
        zh = frame[f"{column}_zh"].fillna("")
        return zh.where(zh != "", frame[column])
    return frame[column]


def localized_value(record: Any, column: str, lang: str) -> str:
    """The same fallback for one record (a mapping, a Series row or a model object)."""
    get = record.get if hasattr(record, "get") else lambda k, d="": getattr(record, k, d)
    if lang == "zh":
        zh = get(f"{column}_zh", "") or ""
        if zh:
            return str(zh)
    return str(get(column, "") or "")


@dataclass(frozen=True)
class LandmarkFilter:
    """What a visitor asked for; every field narrows the set, empty means no narrowing."""

    themes: frozenset[str] = field(default_factory=frozenset)  # any of these themes
    wheelchair: str = ""  # "" | "yes" | "limited" (yes or limited)
    free_only: bool = False
    districts: frozenset[str] = field(default_factory=frozenset)
    open_at: datetime | None = None  # aware datetime
    query: str = ""
    needs: frozenset[str] = field(default_factory=frozenset)  # stepfree.NEEDS, every one passed

    @property
    def is_empty(self) -> bool:
        return self == LandmarkFilter()


def filter_landmarks(frame: pd.DataFrame, criteria: LandmarkFilter, *, timezone: str) -> pd.DataFrame:
    """The rows of a landmarks frame (from ``Catalog.landmarks``) that match ``criteria``."""
    mask = pd.Series(True, index=frame.index)
    if criteria.themes:
        wanted = criteria.themes
        mask &= frame["themes"].map(lambda ts: not wanted.isdisjoint(ts)).astype(bool)
    if criteria.wheelchair:
        mask &= frame["wheelchair"].isin(WHEELCHAIR_ACCEPTS[criteria.wheelchair])
    if criteria.free_only:
        mask &= frame["is_free"]
    if criteria.districts:
        mask &= frame["district"].isin(criteria.districts)
    for term in query_terms(criteria.query):  # itinerary.search: both languages
        mask &= frame["search_text"].str.contains(term, regex=False)
    if criteria.needs:
        rows = frame.loc[mask]
        mask.loc[rows.index] &= needs_mask(rows, sorted(criteria.needs))
    if criteria.open_at is not None:
        subset = frame.loc[mask, "opening_hours"]
        mask.loc[subset.index] &= open_mask(subset, criteria.open_at, timezone)
    return frame.loc[mask]


# Seconds a look at the data version stays good within a page run (Catalog.refresh).
CHECK_EVERY: Final = 1.0


class Catalog:
    """Frames of the content database, cached per data version."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._version = -1
        self._cache: dict[tuple[Any, ...], pd.DataFrame] = {}
        self._checked_at = -math.inf  # time.monotonic() of the last look at the data version
        self._writes_seen = -1  # the store's count of this process's writes at that look

    @property
    def version(self) -> int:
        return self._version

    def refresh(self, *, force: bool = False) -> int:
        """Drop cached frames if the database changed; return the current data version.

        The database is asked when ``force`` is given (``ui.setup`` does, once at the start of
        every page run: another process's edit shows on the next run), when this process wrote
        since the last look, or when that look is ``CHECK_EVERY`` old. A page run read the
        catalog about seven times, each one a query of the data version (bench.load's profile).
        """
        now = time.monotonic()
        writes = self.store.writes
        if force or writes != self._writes_seen or now - self._checked_at >= CHECK_EVERY:
            version = self.store.data_version()
            self._checked_at, self._writes_seen = now, writes
            if version != self._version:
                self._cache.clear()
                self._version = version
        return self._version

    def _cached(self, key: tuple[Any, ...], build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        self.refresh()
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def cities(self) -> pd.DataFrame:
        """All cities, the home city first, then by name."""

        def build() -> pd.DataFrame:
            frame = self.store.frame(storage.cities)
            frame["home"] = frame["id"] == settings.home_city()
            frame = frame.sort_values(["home", "name"], ascending=[False, True])
            return frame.drop(columns="home").set_index("id", drop=False)

        return self._cached(("cities",), build)

    def themes(self) -> pd.DataFrame:
        return self._cached(
            ("themes",),
            lambda: self.store.frame(storage.themes, order_by=storage.themes.c.id).set_index(
                "id", drop=False
            ),
        )

    def landmarks(self, city_id: str, *, include_drafts: bool = False) -> pd.DataFrame:
        """A city's landmarks, indexed by id, with ``themes`` as tuples and search helpers."""

        def build() -> pd.DataFrame:
            where = [storage.landmarks.c.city_id == city_id]
            if not include_drafts:
                where.append(storage.landmarks.c.status == "published")
            frame = self.store.frame(storage.landmarks, *where, order_by=storage.landmarks.c.name)
            frame["themes"] = frame["themes"].map(lambda s: tuple(t for t in s.split(";") if t))
            frame["is_free"] = frame["price"] == "free"
            frame["search_text"] = search_text(frame, theme_labels(self.themes()))  # itinerary.search
            return frame.set_index("id", drop=False)

        return self._cached(("landmarks", city_id, include_drafts), build)

    def districts(self, city_id: str) -> list[str]:
        values = self.landmarks(city_id)["district"]
        return sorted(d for d in values.unique() if d)

    def district_labels(self, city_id: str, lang: str) -> dict[str, str]:
        """Each district (its English name, the filter's value) as a page in ``lang`` names it:
        the ``district_zh`` most of its landmarks give on Chinese pages, else the English name."""
        frame = self.landmarks(city_id)
        labels = {d: d for d in self.districts(city_id)}
        if lang == "zh" and "district_zh" in frame:
            named = frame[(frame["district"] != "") & (frame["district_zh"].fillna("") != "")]
            for district, group in named.groupby("district")["district_zh"]:
                labels[str(district)] = str(group.mode().iloc[0])
        return labels

    def itineraries(self, city_id: str, *, include_drafts: bool = False) -> pd.DataFrame:
        """A city's itineraries with stop counts, featured ones first, then by title."""

        def build() -> pd.DataFrame:
            where = [storage.itineraries.c.city_id == city_id]
            if not include_drafts:
                where.append(storage.itineraries.c.status == "published")
            frame = self.store.frame(storage.itineraries, *where)
            counts = self.store.frame(storage.itinerary_stops).groupby("itinerary_id").size()
            frame["stop_count"] = frame["id"].map(counts).fillna(0).astype(int)
            frame = frame.sort_values(["featured", "title"], ascending=[False, True])
            return frame.set_index("id", drop=False)

        return self._cached(("itineraries", city_id, include_drafts), build)

    def stops(self, itinerary_id: str) -> pd.DataFrame:
        """An itinerary's stops in order, joined with their landmarks' columns."""

        def build() -> pd.DataFrame:
            stops = self.store.frame(
                storage.itinerary_stops,
                storage.itinerary_stops.c.itinerary_id == itinerary_id,
                order_by=storage.itinerary_stops.c.position,
            )
            lms = self.store.frame(storage.landmarks, storage.landmarks.c.id.in_(list(stops["landmark_id"])))
            joined = stops.merge(
                lms.rename(columns={"id": "landmark_id"}),
                on="landmark_id",
                how="left",
                suffixes=("", "_landmark"),
            )
            joined["dwell_minutes"] = joined["dwell_minutes"].fillna(joined["visit_minutes"]).astype(int)
            return joined.sort_values("position").reset_index(drop=True)

        return self._cached(("stops", itinerary_id), build)

    def stories(self, city_id: str, *, include_drafts: bool = False) -> pd.DataFrame:
        """A city's stories (itinerary.cityaccounts), by id, with their chapter counts."""

        def build() -> pd.DataFrame:
            where = [storage.stories.c.city_id == city_id]
            if not include_drafts:
                where.append(storage.stories.c.status == "published")
            frame = self.store.frame(storage.stories, *where, order_by=storage.stories.c.id)
            counts = self.store.frame(storage.story_chapters).groupby("story_id").size()
            frame["chapter_count"] = frame["id"].map(counts).fillna(0).astype(int)
            return frame.set_index("id", drop=False)

        return self._cached(("stories", city_id, include_drafts), build)

    def chapters(self, story_id: str) -> pd.DataFrame:
        """A story's chapters in order (positions 1, 2, ...)."""
        return self._cached(
            ("chapters", story_id),
            lambda: self.store.frame(
                storage.story_chapters,
                storage.story_chapters.c.story_id == story_id,
                order_by=storage.story_chapters.c.position,
            ).reset_index(drop=True),
        )


def order_itineraries(itineraries: pd.DataFrame) -> pd.DataFrame:
    """A city's itineraries (rows of ``Catalog.itineraries``) in the order visitors see them, on
    the Itineraries page and the kiosk alike: featured first, then general ones (no theme, like
    the inclusive must-go route) before themed ones, then by title."""
    general = itineraries["theme_id"].fillna("") == ""
    ordered = itineraries.assign(_general=general).sort_values(
        ["featured", "_general", "title"], ascending=[False, False, True], kind="stable"
    )
    return ordered.drop(columns="_general")


# A click on a pin reports the pin's position; anything further than this is not a pin.
CLICK_TOLERANCE_M = 30.0


def nearest_landmark(frame: pd.DataFrame, lat: float, lon: float) -> str | None:
    """The id of the landmark at a clicked map position, or None if none is that close."""
    if frame.empty:
        return None
    distances = haversine_km(lat, lon, frame["lat"].to_numpy(), frame["lon"].to_numpy()) * 1000
    best = int(distances.argmin())
    return str(frame["id"].iloc[best]) if distances[best] <= CLICK_TOLERANCE_M else None


# --- Explore's filters in the link (docs/architecture.md, "Public URLs") -----------------------

FLAG_ON = "1"  # free=1, open=1


@dataclass(frozen=True)
class FilterLink:
    """The filters a shared Explore link keeps besides ``theme`` and ``q``."""

    wheelchair: str = ""  # "" | a key of WHEELCHAIR_ACCEPTS
    free_only: bool = False
    open_now: bool = False
    needs: tuple[str, ...] = ()  # in stepfree.NEEDS order
    districts: tuple[str, ...] = ()


def read_filter_link(
    params: Mapping[str, str], *, districts: Iterable[str]
) -> tuple[FilterLink, list[tuple[str, str]]]:
    """The filters of a link's ``wheelchair``, ``free``, ``open``, ``need`` and ``district``, and
    the (parameter, value) pairs that are not valid (ignored, for the page to say so)."""
    bad: list[tuple[str, str]] = []
    wheelchair = params.get("wheelchair", "")
    if wheelchair and wheelchair not in WHEELCHAIR_ACCEPTS:
        bad.append(("wheelchair", wheelchair))
        wheelchair = ""
    flags = {}
    for name in ("free", "open"):
        value = params.get(name, "")
        if value and value != FLAG_ON:
            bad.append((name, value))
        flags[name] = value == FLAG_ON
    needs, unknown = parse_needs(params.get("need"))
    bad += [("need", v) for v in unknown]
    known = set(districts)
    asked = [d for d in params.get("district", "").split(",") if d]
    bad += [("district", d) for d in asked if d not in known]
    link = FilterLink(
        wheelchair=wheelchair,
        free_only=flags["free"],
        open_now=flags["open"],
        needs=tuple(needs),
        districts=tuple(d for d in asked if d in known),
    )
    return link, bad


def filter_link_params(link: FilterLink) -> dict[str, str | None]:
    """The link parameters of ``link`` (None: not in the link), which ``read_filter_link`` reads back."""
    return {
        "wheelchair": link.wheelchair or None,
        "free": FLAG_ON if link.free_only else None,
        "open": FLAG_ON if link.open_now else None,
        "need": ",".join(link.needs) or None,
        "district": ",".join(link.districts) or None,
    }
