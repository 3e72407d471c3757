"""Batch geocoding during an import's preview: landmarks with an address and no coordinates."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final

from itinerary import rules, seed
from itinerary.geocode import Geocoder, MessageCode
from itinerary.transfer.plan import Geocoded, ImportPlan, Progress
from itinerary.transfer.reading import UploadFile

Codes = dict[seed.Problem, rules.Problem]

# the geocoder's outcome codes as rule problems (written out: the i18n test finds each key)
GEOCODE_PROBLEMS: Final[dict[str, str]] = {
    "offline": "geocode_offline",
    "timeout": "geocode_timeout",
    "rate_limited": "geocode_rate_limited",
    "not_found": "geocode_not_found",
    "service_error": "geocode_service_error",
}


def where(item: UploadFile, line: int) -> str:
    """The upload's place of a CSV line: ``landmarks.geojson:4`` (its feature 4)."""
    return f"{item.source}:{item.lines.get(line, line) if item.lines else line}"


def city_bbox(city: Mapping[str, Any] | None) -> tuple[float, float, float, float] | None:
    """About a degree around a city's centre (south, west, north, east): where to look."""
    if city is None:
        return None
    dlat = 1.0
    dlon = min(1.0 / max(math.cos(math.radians(float(city["lat"]))), 0.01), 179.0)
    return (
        max(float(city["lat"]) - dlat, -90.0),
        max(float(city["lon"]) - dlon, -180.0),
        min(float(city["lat"]) + dlat, 90.0),
        min(float(city["lon"]) + dlon, 180.0),
    )


def geocode(
    parsed: seed._Parsed,
    item: UploadFile,
    problems: list[seed.Problem],
    plan: ImportPlan,
    city_of: Callable[[str], Mapping[str, Any] | None],
    geocoder: Geocoder | None,
    progress: Progress | None,
    codes: Codes,
) -> None:
    """Fill lat/lon of rows that have an address and neither lat nor lon, or say why not."""
    file = "landmarks.csv"
    empty = {
        (p.line, p.column)
        for p in problems
        if p.file == file and p.column in ("lat", "lon") and p.message == "must not be empty"
    }
    todo = [
        (line, row)
        for line, row in parsed.rows
        if (line, "lat") in empty and (line, "lon") in empty and row.get("address")
    ]
    if geocoder is None:
        lines = {line for line, _ in todo}
        problems[:] = [
            seed.Problem.coded(p.file, p.line, p.column, "empty_or_look_up")
            if p.file == file
            and p.line in lines
            and p.column == "lat"
            and p.message == "must not be empty"  # the one ``empty`` holds
            else p
            for p in problems
        ]
        return
    for done, (line, row) in enumerate(todo, start=1):
        problems[:] = [
            p for p in problems if not (p.file == file and p.line == line and (p.line, p.column) in empty)
        ]
        bbox = city_bbox(city_of(row.get("city_id", "")))
        outcome = geocoder.search(row["address"], city_bbox=bbox, limit=1)
        best = outcome.results[0] if outcome.results else None
        if best is None:
            code: MessageCode = outcome.code or "not_found"
            problem = rules.Problem(GEOCODE_PROBLEMS.get(code, "geocode_not_found"))
            found = seed.Problem(file, line, "address", problem.text("en"))
            problems.append(found)
            codes[found] = problem
        else:
            row["lat"], row["lon"] = round(best.lat, 7), round(best.lon, 7)
            plan.geocoded.append(
                Geocoded(
                    where(item, line),
                    str(row.get("id", "")),
                    row["address"],
                    row["lat"],
                    row["lon"],
                    best.label,
                )
            )
        if progress is not None:
            progress(done, len(todo), row["address"])
