"""Validating form values like the data files, field by field, before anything is saved.

The column parsers are the data files' own (``seed.SPECS``); references are checked against a
``Context`` (the city, the known themes, landmarks and itineraries), and the stops against the
content rules (``rules.stop_problems``, as the form sees them). ``parse_*`` raise ``FieldErrors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import sqlalchemy as sa

from itinerary import rules, seed
from itinerary import store as storage
from itinerary.cells import cell_text
from itinerary.curation.records import FieldErrors, NotFound
from itinerary.models import City, Itinerary, Landmark, Stop
from itinerary.routing import haversine_km

DUPLICATE_RADIUS_M: Final = 30.0


@dataclass(frozen=True, slots=True)
class Context:
    """What validation checks references against: the city and the known themes and landmarks."""

    city_id: str
    city_name: str
    city_lat: float
    city_lon: float
    theme_ids: frozenset[str]
    landmark_ids: frozenset[str] = frozenset()  # every landmark id (any city): ids are global
    city_landmarks: Mapping[str, str] = field(default_factory=dict)  # id -> status, this city
    itinerary_ids: frozenset[str] = frozenset()  # every itinerary id (any city)


def context_for(store: storage.Store, city_id: str) -> Context:
    with store.engine.connect() as conn:
        city = (
            conn.execute(sa.select(storage.cities).where(storage.cities.c.id == city_id)).mappings().first()
        )
        if city is None:
            raise NotFound(f"unknown city {city_id!r}")
        themes = frozenset(conn.execute(sa.select(storage.themes.c.id)).scalars())
        rows = conn.execute(
            sa.select(storage.landmarks.c.id, storage.landmarks.c.city_id, storage.landmarks.c.status)
        ).all()
        itinerary_ids = frozenset(conn.execute(sa.select(storage.itineraries.c.id)).scalars())
    return Context(
        city_id=city_id,
        city_name=city["name"],
        city_lat=city["lat"],
        city_lon=city["lon"],
        theme_ids=themes,
        landmark_ids=frozenset(r[0] for r in rows),
        city_landmarks={r[0]: r[2] for r in rows if r[1] == city_id},
        itinerary_ids=itinerary_ids,
    )


Errors = dict[str, str | rules.Problem]  # by field; the seed's column parsers give English text


def _parse_columns(
    spec_name: str, fields: Mapping[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], Errors]:
    values: dict[str, Any] = {}
    errors: Errors = {}
    for column in seed.SPEC_BY_NAME[spec_name].columns:
        if column.name not in fields and column.name in ("city_id", "itinerary_id", "position"):
            continue
        cell = cell_text(fields.get(column.name))
        if not cell.strip():
            if column.non_empty:
                errors[prefix + column.name] = rules.Problem("empty")
                continue
            cell = column.default
        try:
            values[column.name] = column.parse(cell)
        except ValueError as exc:
            errors[prefix + column.name] = str(exc)
    return values, errors


def parse_landmark(fields: Mapping[str, Any], ctx: Context, *, new: bool) -> Landmark:
    """A landmark from form values (any of str, number, list), validated like ``landmarks.csv``."""
    values, errors = _parse_columns("landmarks.csv", {**fields, "city_id": ctx.city_id})
    if new and "id" in values and values["id"] in ctx.landmark_ids:
        errors["id"] = rules.Problem("id_taken", {"id": values["id"]})
    if not new and "id" in values and values["id"] not in ctx.city_landmarks:
        errors["id"] = rules.Problem("stop_missing", {"landmark_id": values["id"]})
    for theme in values.get("themes", ()):
        if theme not in ctx.theme_ids:
            errors["themes"] = rules.Problem("unknown_theme", {"theme": theme})
    if "lat" in values and "lon" in values:
        km = float(haversine_km(ctx.city_lat, ctx.city_lon, values["lat"], values["lon"]))
        if km > seed.MAX_KM_FROM_CITY:
            where = {"lat": values["lat"], "lon": values["lon"], "km": km, "city": ctx.city_name}
            errors["lat"] = rules.Problem("far_from_city", where)
    if errors:
        raise FieldErrors(errors)
    return Landmark(**values)


def parse_city(fields: Mapping[str, Any], *, existing_ids: Iterable[str], new: bool) -> City:
    """A city from form values, validated like ``cities.csv``."""
    values, errors = _parse_columns("cities.csv", fields)
    if new and values.get("id") in set(existing_ids):
        errors["id"] = rules.Problem("id_taken", {"id": values["id"]})
    if errors:
        raise FieldErrors(errors)
    return City(**values)


def parse_itinerary(
    fields: Mapping[str, Any], stops: Sequence[Mapping[str, Any]], ctx: Context, *, new: bool
) -> tuple[Itinerary, list[Stop]]:
    """An itinerary and its stops (in order) from form values, validated like the data files."""
    values, errors = _parse_columns("itineraries.csv", {**fields, "city_id": ctx.city_id})
    if new and "id" in values and values["id"] in ctx.itinerary_ids:
        errors["id"] = rules.Problem("id_taken", {"id": values["id"]})
    if values.get("theme_id") and values["theme_id"] not in ctx.theme_ids:
        errors["theme_id"] = rules.Problem("unknown_theme", {"theme": values["theme_id"]})
    parsed_stops: list[Stop] = []
    checked: list[tuple[int, str]] = []  # (stop number, landmark id) of stops whose id parsed
    for i, raw in enumerate(stops, start=1):
        prefix = f"stops.{i}."
        stop, stop_errors = _parse_columns("itinerary_stops.csv", raw, prefix)
        errors.update(stop_errors)
        landmark_id = stop.get("landmark_id")
        if landmark_id:
            checked.append((i, landmark_id))
        if not stop_errors and landmark_id:
            parsed_stops.append(
                Stop(
                    itinerary_id=values.get("id", ""),
                    position=i,
                    landmark_id=landmark_id,
                    dwell_minutes=stop.get("dwell_minutes"),
                    note=stop.get("note", ""),
                    note_zh=stop.get("note_zh", ""),
                )
            )
    # the form knows this city's landmarks only: another city's is "no landmark in this city"
    known = {lid: rules.LandmarkState(ctx.city_id, status) for lid, status in ctx.city_landmarks.items()}
    found = rules.stop_problems(
        ctx.city_id, values.get("status", ""), [(lid, known.get(lid)) for _, lid in checked], form=True
    )
    for n, problem in found.items():
        if n:
            errors[f"stops.{checked[n - 1][0]}.landmark_id"] = problem
    if 0 in found and not stops:
        errors["stops"] = found[0]
    if errors:
        raise FieldErrors(errors)
    return Itinerary(**values), parsed_stops


def likely_duplicates(
    candidates: Iterable[Mapping[str, Any]],
    *,
    name: str,
    name_zh: str = "",
    lat: float,
    lon: float,
    exclude_id: str = "",
    lang: str = "en",
) -> list[tuple[str, str, str]]:
    """Landmarks that are probably the same place: ``(id, name, reason)``, the reason in ``lang``.

    Same name (English or Chinese, ignoring case and spaces) or within ``DUPLICATE_RADIUS_M``.
    """

    def norm(text: Any) -> str:
        return "".join(str(text or "").split()).casefold()

    wanted = {n for n in (norm(name), norm(name_zh)) if n}
    found: list[tuple[str, str, str]] = []
    for row in candidates:
        if row["id"] == exclude_id:
            continue
        same_name = bool(wanted & {norm(row.get("name")), norm(row.get("name_zh"))} - {""})
        metres = float(haversine_km(lat, lon, float(row["lat"]), float(row["lon"]))) * 1000
        if same_name:
            found.append((str(row["id"]), str(row["name"]), rules.Problem("same_name").text(lang)))
        elif metres <= DUPLICATE_RADIUS_M:
            reason = rules.Problem("metres_away", {"metres": round(metres)}).text(lang)
            found.append((str(row["id"]), str(row["name"]), reason))
    return found
