"""Typed records of the data contract (docs/architecture.md, "The data contract")."""

from __future__ import annotations

from dataclasses import dataclass, field

from itinerary.programmes.records import ProgrammeSet

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
    # --- access facts (columns.ACCESS_COLUMNS): None or "" is "not surveyed", never "no" -------
    district_zh: str = ""
    address_zh: str = ""
    entrance_steps: int | None = None  # steps at the main public entrance (OSM entrance:step_count)
    entrance_step_height_cm: int | None = None  # the highest of them
    entrance_ramp: bool | None = None  # a ramp a wheelchair can use (OSM ramp:wheelchair)
    door_width_cm: int | None = None  # clear width of the entrance door
    automatic_door: bool | None = None
    toilet_wheelchair: bool | None = None  # OSM toilets:wheelchair
    lift_all_floors: bool | None = None  # a lift to every public floor
    parking_wheelchair: bool | None = None  # OSM capacity:disabled > 0
    hearing_loop: bool | None = None  # OSM hearing_loop
    tactile_guidance: bool | None = None  # tactile paving or Braille guidance (OSM tactile_paving)
    quiet_space: bool | None = None
    quiet_hours: str = ""  # OpenStreetMap opening_hours syntax, like opening_hours
    seating: bool | None = None  # seats inside, to rest
    access_note: str = ""
    access_note_zh: str = ""
    access_surveyed: str = ""  # YYYY-MM-DD, not in the future
    access_surveyed_by: str = ""

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
    programmes: ProgrammeSet = field(default_factory=ProgrammeSet)  # itinerary/programmes
