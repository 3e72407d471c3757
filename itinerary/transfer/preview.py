"""``preview``: validate an upload against the database and list what importing it would change.

The seed's own parsers and cross-file checks run on the union of the upload and the database
(uploaded rows replace stored rows of the same id); then ``rows.plan_rows`` checks permissions
and the content rules row by row. Problems come out in the upload's own file names and lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from itinerary import rules, seed
from itinerary import store as storage
from itinerary.accounts import Account
from itinerary.geocode import Geocoder
from itinerary.transfer.geocoding import geocode
from itinerary.transfer.plan import Current, ImportPlan, Progress, Snapshot, read_current
from itinerary.transfer.reading import Upload
from itinerary.transfer.rows import plan_rows

Codes = dict[seed.Problem, rules.Problem]


def preview(
    store: storage.Store,
    upload: Upload | Mapping[str, bytes],
    account: Account,
    *,
    geocoder: Geocoder | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Validate an upload against the database and list what importing it would change.

    Nothing is written. ``geocoder``: look up landmarks that have an address but empty lat and
    lon (one request per row, ``progress(done, total, address)`` after each).
    """
    if not isinstance(upload, Upload):
        upload = Upload.of(upload)
    current = read_current(store)
    problems: list[seed.Problem] = []  # in contract names and CSV lines; mapped at the end
    codes: Codes = {}
    parsed: dict[str, seed._Parsed] = {}
    for file_spec in seed.SPECS:
        item = upload.files.get(file_spec.name)
        if item is None:
            continue
        if item.raw is None:
            parsed[file_spec.name] = seed._Parsed(readable=False)  # unusable: already reported
        else:
            parsed[file_spec.name] = seed.parse_file(file_spec, item.raw, problems)
    plan = ImportPlan(data_version=current.data_version, sources=[f.source for f in upload.files.values()])

    uploaded_cities = {
        row["id"]: row for _, row in parsed.get("cities.csv", seed._Parsed()).rows if "id" in row
    }

    def city_of(city_id: str) -> Mapping[str, Any] | None:
        return uploaded_cities.get(city_id) or current.cities.get(city_id)

    if "landmarks.csv" in parsed:
        item = upload.files["landmarks.csv"]
        geocode(parsed["landmarks.csv"], item, problems, plan, city_of, geocoder, progress, codes)

    union = _union(parsed, current)
    seed.validate_rows(union, problems)
    problems[:] = [p for p in problems if p.line != 0]
    _code_city_checks(union, problems, codes)

    plan_rows(parsed, current, account, problems, plan, upload, codes)
    located = [(_locate(p, upload), p) for p in problems]
    plan.problems = sorted([*upload.problems, *(p for p, _ in located)])
    plan.codes = {**upload.codes, **{mine: codes[p] for mine, p in located if p in codes}}
    return plan


def _db_row(spec: str, snap: Mapping[str, Any]) -> seed.Row:
    """A database record in the shape seed's parsers give (for the cross-file checks)."""
    row = {k: v for k, v in snap.items() if k not in ("stops", "chapters")}
    if spec == "landmarks.csv":
        row["themes"] = tuple(row["themes"])
    return row


def _union(parsed: Mapping[str, seed._Parsed], current: Current) -> dict[str, seed._Parsed]:
    """Uploaded rows, and the database's rows of other ids at line 0 (their problems are dropped)."""
    union: dict[str, seed._Parsed] = {}
    tables: tuple[tuple[str, Mapping[str, Snapshot]], ...] = (
        ("cities.csv", current.cities),
        ("themes.csv", current.themes),
        ("landmarks.csv", {k: v[0] for k, v in current.landmarks.items()}),
        ("itineraries.csv", {k: v[0] for k, v in current.itineraries.items()}),
    )
    for spec, table_rows in tables:
        mine = parsed.get(spec, seed._Parsed())
        ids = {row.get("id") for _, row in mine.rows}
        stored = [(0, _db_row(spec, snap)) for key, snap in table_rows.items() if key not in ids]
        union[spec] = seed._Parsed(rows=mine.rows + stored, readable=mine.readable)
    union["itinerary_stops.csv"] = parsed.get("itinerary_stops.csv", seed._Parsed())
    mine = parsed.get("stories.csv", seed._Parsed())
    ids = {row.get("id") for _, row in mine.rows}
    stored = [
        (0, _db_row("stories.csv", snap)) for key, (snap, _) in current.stories.items() if key not in ids
    ]
    union["stories.csv"] = seed._Parsed(rows=mine.rows + stored, readable=mine.readable)
    union["story_chapters.csv"] = parsed.get("story_chapters.csv", seed._Parsed())
    return union


def _code_city_checks(union: Mapping[str, seed._Parsed], problems: list[seed.Problem], codes: Codes) -> None:
    """The code of the seed's "stop in another city" problems, which are the rule ``stop_other_city``.

    The data files' loader checks that rule itself (``seed._check_stops``) in the same words.
    """
    landmarks = {row.get("id"): row for _, row in union["landmarks.csv"].rows}
    itineraries = {row.get("id"): row for _, row in union["itineraries.csv"].rows}
    stops = dict(union["itinerary_stops.csv"].rows)
    for p in problems:
        stop = stops.get(p.line) if (p.file, p.column) == ("itinerary_stops.csv", "landmark_id") else None
        if stop is None:
            continue
        landmark = landmarks.get(stop.get("landmark_id"), {})
        it = itineraries.get(stop.get("itinerary_id"), {})
        state = rules.LandmarkState(str(landmark.get("city_id")), str(landmark.get("status")))
        found = rules.stop_problems(str(it.get("city_id")), "", [(str(stop.get("landmark_id")), state)])
        if 1 in found and found[1].text("en") == p.message:
            codes[p] = found[1]


def _locate(problem: seed.Problem, upload: Upload) -> seed.Problem:
    """A problem in contract terms, in the upload's own file name and lines."""
    item = upload.files.get(problem.file)
    if item is None:
        return problem
    line = item.lines.get(problem.line, problem.line) if item.lines else problem.line
    message = problem.message
    if item.lines:
        message = re.sub(
            r"\b(on )?line (\d+)",
            lambda m: (
                f"{'in ' if m.group(1) else ''}{item.unit} {item.lines.get(int(m.group(2)), m.group(2))}"
            ),
            message,
        )
    return seed.Problem(item.source, line, problem.column, message)
