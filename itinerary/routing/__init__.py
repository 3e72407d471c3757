"""Distances, travel-time estimates, visit schedules and the order of stops.

Everything takes plain coordinates, minutes and aware datetimes (no database, no UI). Import
from here; the modules are, from the bottom up:

- ``distance``: great-circle distances (vectorised haversine) and distance matrices;
- ``travel``: the travel-time *estimate* per mode and city (``ModeProfile``, ``profiles_for``);
- ``schedule``: timed visits with opening hours (``schedule``, ``split_days``), the leg back of
  a round trip (``with_return``) and the open windows the solver takes (``windows_from_hours``);
- ``ordering``: the order of stops with the least travel (``order_stops``), on the ordering
  problem of ``problem``, solved by ``exact`` (Held-Karp, label search) up to
  ``EXACT_MAX_STOPS`` and by ``heuristic`` (local search, beam search) beyond;
- ``budget``: as many stops as fit a time budget (``fit_budget``).
"""

from __future__ import annotations

from itinerary.routing.aliases import ArrayLike, Clock, FloatArray, IntArray, Window
from itinerary.routing.budget import BudgetResult, fit_budget
from itinerary.routing.distance import EARTH_RADIUS_KM, distance_matrix_km, haversine_km
from itinerary.routing.ordering import OrderResult, order_stops
from itinerary.routing.problem import EXACT_CAP, EXACT_MAX_STOPS
from itinerary.routing.schedule import (
    CLOSED_ON_ARRIVAL,
    CLOSED_ON_DATE,
    CLOSES_BEFORE_END,
    OPENS_LATER,
    UNKNOWN_HOURS,
    WARNINGS,
    Place,
    Return,
    Schedule,
    Visit,
    schedule,
    split_days,
    windows_from_hours,
    with_return,
)
from itinerary.routing.travel import (
    CITY_PROFILES,
    DEFAULT_PROFILES,
    ESTIMATE_BASIS,
    ModeProfile,
    minutes_from_km,
    mode_profile,
    profiles_for,
    travel_matrix_minutes,
    travel_minutes,
)

__all__ = [
    "CITY_PROFILES",
    "CLOSED_ON_ARRIVAL",
    "CLOSED_ON_DATE",
    "CLOSES_BEFORE_END",
    "DEFAULT_PROFILES",
    "EARTH_RADIUS_KM",
    "ESTIMATE_BASIS",
    "EXACT_CAP",
    "EXACT_MAX_STOPS",
    "OPENS_LATER",
    "UNKNOWN_HOURS",
    "WARNINGS",
    "ArrayLike",
    "BudgetResult",
    "Clock",
    "FloatArray",
    "IntArray",
    "ModeProfile",
    "OrderResult",
    "Place",
    "Return",
    "Schedule",
    "Visit",
    "Window",
    "distance_matrix_km",
    "fit_budget",
    "haversine_km",
    "minutes_from_km",
    "mode_profile",
    "order_stops",
    "profiles_for",
    "schedule",
    "split_days",
    "travel_matrix_minutes",
    "travel_minutes",
    "windows_from_hours",
    "with_return",
]
