"""The travel-time model: straight-line km to estimated minutes, per mode and per city.

Travel times here are *estimates*: straight-line (great-circle) distance times a detour factor,
at a typical door-to-door speed, plus a fixed overhead per leg (waiting for a train, parking).
No street network or timetable is consulted; the UI should say "about" and "estimated".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from itinerary.routing.aliases import FloatArray
from itinerary.routing.distance import distance_matrix_km

ESTIMATE_BASIS = (
    "estimate: straight-line distance x detour factor at a typical speed, plus a fixed overhead "
    "per leg; not a routed or timetabled travel time"
)


@dataclass(frozen=True, slots=True)
class ModeProfile:
    """How one travel mode turns straight-line km into estimated minutes.

    ``detour_factor`` is how much longer real paths are than the straight line (about 1.2-1.4 in
    street grids); ``overhead_minutes`` is paid once per leg (waiting, parking, unlocking a bike).
    """

    speed_kmh: float
    detour_factor: float
    overhead_minutes: float

    def __post_init__(self) -> None:
        if not self.speed_kmh > 0:
            raise ValueError(f"speed_kmh must be positive, not {self.speed_kmh}")
        if not self.detour_factor >= 1:
            raise ValueError(f"detour_factor must be at least 1, not {self.detour_factor}")
        if not self.overhead_minutes >= 0:
            raise ValueError(f"overhead_minutes must not be negative, not {self.overhead_minutes}")


DEFAULT_PROFILES: dict[str, ModeProfile] = {
    "walk": ModeProfile(speed_kmh=4.5, detour_factor=1.3, overhead_minutes=0.0),
    "bike": ModeProfile(speed_kmh=14.0, detour_factor=1.3, overhead_minutes=2.0),  # unlock, park
    "transit": ModeProfile(speed_kmh=25.0, detour_factor=1.4, overhead_minutes=10.0),  # walk + wait
    "drive": ModeProfile(speed_kmh=30.0, detour_factor=1.4, overhead_minutes=8.0),  # parking
}

# Per-city departures from the defaults, all in one place. Assumptions, not measurements.
CITY_PROFILES: dict[str, dict[str, ModeProfile]] = {
    # A dense metro network (over 500 km of lines, trains every few minutes at peak).
    "shenzhen": {"transit": ModeProfile(speed_kmh=32.0, detour_factor=1.3, overhead_minutes=7.0)},
    # Buses, mostly; services are infrequent outside the TX line, but roads are empty and wide.
    "tsukuba": {
        "transit": ModeProfile(speed_kmh=18.0, detour_factor=1.5, overhead_minutes=15.0),
        "drive": ModeProfile(speed_kmh=35.0, detour_factor=1.3, overhead_minutes=5.0),
    },
    # Separate cycle paths everywhere and bikes parked at the door.
    "the-hague": {"bike": ModeProfile(speed_kmh=15.0, detour_factor=1.2, overhead_minutes=1.0)},
}


def profiles_for(city_id: str) -> dict[str, ModeProfile]:
    """The travel profiles of a city: the defaults with the city's overrides applied."""
    return {**DEFAULT_PROFILES, **CITY_PROFILES.get(city_id, {})}


def mode_profile(mode: str, profiles: Mapping[str, ModeProfile]) -> ModeProfile:
    """The profile of ``mode``; ``ValueError`` naming the known modes if there is none."""
    try:
        return profiles[mode]
    except KeyError:
        raise ValueError(f"unknown travel mode {mode!r} (expected: {', '.join(profiles)})") from None


def travel_minutes(distance_km: float, mode: str, *, profiles: Mapping[str, ModeProfile]) -> float:
    """Estimated minutes for one leg; a 0 km leg (staying put) takes no time and no overhead."""
    p = mode_profile(mode, profiles)
    if distance_km <= 0:
        return 0.0
    return float(distance_km) * p.detour_factor / p.speed_kmh * 60.0 + p.overhead_minutes


def minutes_from_km(
    distance_km: npt.ArrayLike, mode: str, *, profiles: Mapping[str, ModeProfile]
) -> FloatArray:
    """``travel_minutes`` applied elementwise to an array of distances."""
    p = mode_profile(mode, profiles)
    km = np.asarray(distance_km, dtype=float)
    return np.where(km > 0, km * p.detour_factor / p.speed_kmh * 60.0 + p.overhead_minutes, 0.0)


def travel_matrix_minutes(
    lats: npt.ArrayLike, lons: npt.ArrayLike, mode: str, *, profiles: Mapping[str, ModeProfile]
) -> FloatArray:
    """Estimated minutes between every pair of points, as an n x n matrix (0 on the diagonal)."""
    return minutes_from_km(distance_matrix_km(lats, lons), mode, profiles=profiles)
