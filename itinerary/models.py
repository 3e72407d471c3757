"""Typed records of the data contract (docs/architecture.md, "The data contract")."""

from __future__ import annotations

from dataclasses import dataclass

WHEELCHAIR = ("yes", "limited", "no", "unknown")
STATUSES = ("published", "draft", "archived")  # archived: kept, shown to no visitor
MODES = ("walk", "bike", "transit", "drive")
LANGS = ("en", "zh")


@dataclass(frozen=True, slots=True)
class City:
    id: str
    name: str
    name_zh: str
    country: str
    lat: float
    lon: float
    zoom: int
    timezone: str


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    label: str
    label_zh: str
    color: str
    icon: str
    description: str
    description_zh: str


@dataclass(frozen=True, slots=True)
class Landmark:
    id: str
    city_id: str
    name: str
    name_zh: str
    lat: float
    lon: float
    themes: tuple[str, ...]
    district: str
    address: str
    summary: str
    summary_zh: str
    visit_minutes: int
    opening_hours: str
    wheelchair: str
    price: str
    website: str
    status: str

    @property
    def is_free(self) -> bool:
        return self.price == "free"


@dataclass(frozen=True, slots=True)
class Itinerary:
    id: str
    city_id: str
    title: str
    title_zh: str
    theme_id: str
    summary: str
    summary_zh: str
    mode: str
    start_time: str
    featured: bool
    status: str


@dataclass(frozen=True, slots=True)
class Stop:
    itinerary_id: str
    position: int
    landmark_id: str
    dwell_minutes: int | None
    note: str
    note_zh: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """A whole, validated set of content: what ``seed.load_dir`` returns and ``store`` saves."""

    cities: tuple[City, ...]
    themes: tuple[Theme, ...]
    landmarks: tuple[Landmark, ...]
    itineraries: tuple[Itinerary, ...]
    stops: tuple[Stop, ...]
