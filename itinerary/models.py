"""Typed records of the data contract (docs/architecture.md, "The data contract")."""

from __future__ import annotations

from dataclasses import dataclass, field

from itinerary.programmes.records import ProgrammeSet

WHEELCHAIR = ("yes", "limited", "no", "unknown")
STATUSES = ("published", "draft", "archived")  # archived: kept, shown to no visitor
MODES = ("walk", "bike", "transit", "drive")
LANGS = ("en", "zh")
# How a city account is linked to Shenzhen (itinerary.cityaccounts): Shenzhen itself is "home";
# "platform" is a partner on the CityPlus platform with no formal twinning found in the sources.
PARTNERSHIPS = ("home", "sister-city", "friendship-city", "economic-partner", "platform")


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
    # --- the city account (revision 0005; itinerary.cityaccounts) ------------------------------
    portrait: str = ""  # a one-line portrait ("Imperial City by the Sea")
    portrait_zh: str = ""
    # key facts as one ';'-separated cell (as in the CSV and the database): the Chinese in the
    # same order (or none) and one source per fact (cityaccounts.city_facts reads them)
    facts: str = ""
    facts_zh: str = ""
    fact_sources: str = ""
    partnership: str = "platform"  # one of PARTNERSHIPS
    partner_since: int | None = None  # the year the partnership with Shenzhen began
    joined: str = ""  # when the account joined the platform: YYYY, YYYY-MM or YYYY-MM-DD
    join_order: int | None = None  # its place in the order the accounts joined (Shenzhen 1)


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
class Story:
    """A city story: an ordered series of chapters (``Chapter``), optionally followed on foot."""

    id: str
    city_id: str
    title: str
    title_zh: str
    summary: str
    summary_zh: str
    itinerary_id: str  # "" or an itinerary of the same city ("follow this story on foot")
    status: str


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of a story: its texts and its place (a landmark, or a centre and a zoom)."""

    story_id: str
    position: int
    title: str
    title_zh: str
    text: str
    text_zh: str
    landmark_id: str  # "" when the place is lat/lon
    lat: float | None
    lon: float | None
    zoom: int | None  # None: the chapter's default zoom (cityaccounts.CHAPTER_ZOOM)
    image: str  # "" or a path under static/ (served by the app, never hot-linked)
    image_alt: str
    image_alt_zh: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """A whole, validated set of content: what ``seed.load_dir`` returns and ``store`` saves."""

    cities: tuple[City, ...]
    themes: tuple[Theme, ...]
    landmarks: tuple[Landmark, ...]
    itineraries: tuple[Itinerary, ...]
    stops: tuple[Stop, ...]
    programmes: ProgrammeSet = field(default_factory=ProgrammeSet)  # itinerary/programmes
    stories: tuple[Story, ...] = ()
    chapters: tuple[Chapter, ...] = ()
