"""GeoJSON uploads: Point features whose properties are landmarks.csv columns, as CSV rows.

A hostile file must give problems, never an exception: nesting deeper than ``MAX_DEPTH`` (the
JSON decoder and ``json.dumps`` recurse, and raise ``RecursionError`` at about 1,000 levels),
more than ``MAX_FEATURES`` features, and property cells longer than ``MAX_CELL_CHARS`` are each
reported as ``file:feature: column: problem`` like every other bad input.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Final

from itinerary import rules, seed

LANDMARK_COLUMNS: Final = seed.SPEC_BY_NAME["landmarks.csv"].column_names

MAX_DEPTH: Final = 20  # a landmark's properties are flat; a FeatureCollection needs 5 levels
MAX_FEATURES: Final = 100_000
MAX_CELL_CHARS: Final = 10_000  # a long summary is about 1,000

Codes = dict[seed.Problem, rules.Problem]


def report(
    problems: list[seed.Problem], codes: Codes, source: str, line: int, column: str, problem: rules.Problem
) -> None:
    """Add a coded problem: its English text to ``problems``, its code to ``codes``."""
    found = seed.Problem(source, line, column, problem.text("en"))
    problems.append(found)
    codes[found] = problem


def depth(value: Any) -> int:
    """How deeply lists and objects nest in a decoded JSON value (0 for a scalar); no recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest  # deep enough to refuse: no need to walk the rest
        stack.extend((child, level + 1) for child in children)
    return deepest


def property_cell(value: Any) -> str:
    """A property value as landmarks.csv cell text (lists ';'-separated, objects as JSON)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return ";".join(property_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _decode(source: str, raw: bytes, problems: list[seed.Problem], codes: Codes) -> list[Any] | None:
    """The features of a FeatureCollection, or None (reported)."""
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(seed.Problem.coded(source, 0, "-", "geojson_not_utf8"))
        return None
    except json.JSONDecodeError as exc:
        problems.append(seed.Problem.coded(source, 0, "-", "not_json", line=exc.lineno, error=exc.msg))
        return None
    except RecursionError:  # the decoder's own limit, far below the file size limit
        report(problems, codes, source, 0, "-", rules.Problem("json_too_deep", {"limit": MAX_DEPTH}))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(seed.Problem.coded(source, 0, "-", "not_a_feature_collection"))
        return None
    features = doc.get("features")
    if not isinstance(features, list):
        problems.append(seed.Problem.coded(source, 0, "features", "features_not_a_list"))
        return None
    if len(features) > MAX_FEATURES:
        problem = rules.Problem("json_too_many_features", {"count": len(features), "limit": MAX_FEATURES})
        report(problems, codes, source, 0, "features", problem)
        return None
    return features


def _point(geometry: Any) -> tuple[str, str] | None:
    """(lat, lon) cells of a Point geometry (empty for none: the address can be looked up)."""
    if geometry is None:
        return "", ""
    if (
        isinstance(geometry, dict)
        and geometry.get("type") == "Point"
        and isinstance(geometry.get("coordinates"), list)
        and len(geometry["coordinates"]) in (2, 3)
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in geometry["coordinates"])
    ):
        lon, lat = geometry["coordinates"][:2]
        return property_cell(float(lat)), property_cell(float(lon))
    return None


def _feature_cells(
    source: str, number: int, feature: Any, problems: list[seed.Problem], codes: Codes
) -> dict[str, str] | None:
    """The landmarks.csv cells of one feature, or None (reported)."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(seed.Problem.coded(source, number, "-", "not_a_feature"))
        return None
    if depth(feature) > MAX_DEPTH:
        report(problems, codes, source, number, "-", rules.Problem("json_too_deep", {"limit": MAX_DEPTH}))
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        problems.append(seed.Problem.coded(source, number, "properties", "properties_not_an_object"))
        return None
    cells = {k: property_cell(v) for k, v in props.items() if k in LANDMARK_COLUMNS}
    unknown = [key for key in props if key not in LANDMARK_COLUMNS]
    for key in unknown[:10]:  # a feature with thousands of made-up properties: ten say enough
        expected = ", ".join(LANDMARK_COLUMNS)
        problems.append(
            seed.Problem.coded(source, number, str(key)[:100], "unknown_property", expected=expected)
        )
    long = [k for k, text in cells.items() if len(text) > MAX_CELL_CHARS]
    for key in long:
        problem = rules.Problem("json_cell_too_long", {"length": len(cells[key]), "limit": MAX_CELL_CHARS})
        report(problems, codes, source, number, key, problem)
    if long:
        return None
    if not cells.get("id") and isinstance(feature.get("id"), str):
        cells["id"] = feature["id"]
    point = _point(feature.get("geometry"))
    if point is None:
        problems.append(seed.Problem.coded(source, number, "geometry", "not_a_point"))
        return None
    cells["lat"], cells["lon"] = point
    return cells


def geojson_csv(
    source: str, raw: bytes, problems: list[seed.Problem], codes: Codes
) -> tuple[bytes, dict[int, int]] | None:
    """landmarks.csv bytes from a FeatureCollection, and each CSV line's feature number.

    None when the file is unusable as a whole; problems are located by feature number.
    """
    features = _decode(source, raw, problems, codes)
    if features is None:
        return None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LANDMARK_COLUMNS)
    rows: list[int] = []  # feature number of each written row
    for number, feature in enumerate(features, start=1):
        cells = _feature_cells(source, number, feature, problems, codes)
        if cells is not None:
            writer.writerow([cells.get(c, "") for c in LANDMARK_COLUMNS])
            rows.append(number)
    text = out.getvalue()
    # Where each row starts, counted the way seed.parse_file counts (a value may hold newlines).
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    lines: dict[int, int] = {}
    for number in rows:
        start = reader.line_num + 1
        next(reader)
        lines[start] = number
    return text.encode("utf-8"), lines
