"""Local answers: the city's own landmarks matching what was typed; the text helpers."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

import pandas as pd

from itinerary.geocode.results import GeocodeResult


def normalize_query(text: str) -> str:
    """Case-, width- and spacing-insensitive form (full-width letters and digits fold to ASCII)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def match_landmarks(
    landmarks: pd.DataFrame | None, query: str, *, language: str = "en", limit: int = 5
) -> tuple[GeocodeResult, ...]:
    """The landmarks whose English or Chinese name contains the query (NFKC, case-insensitive).

    Exact names first, then names starting with the query, then the rest; labels are Chinese
    when ``language`` is Chinese and the landmark has a Chinese name.
    """
    needle = normalize_query(query)
    if landmarks is None or landmarks.empty or not needle or limit < 1:
        return ()
    chinese = language.lower().startswith("zh")
    ranked: list[tuple[int, str, GeocodeResult]] = []
    for row in landmarks.to_dict("records"):
        name, name_zh = _text(row.get("name")), _text(row.get("name_zh"))
        ranks = [_rank(normalize_query(n), needle) for n in (name, name_zh) if n]
        rank = min((r for r in ranks if r is not None), default=None)
        lat, lon = finite_float(row.get("lat")), finite_float(row.get("lon"))
        if rank is None or lat is None or lon is None:
            continue
        label = name_zh if chinese and name_zh else name or name_zh
        landmark_id = _text(row.get("id")) or None
        ranked.append((rank, label, GeocodeResult(label, lat, lon, "landmark", landmark_id)))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return tuple(result for _, _, result in ranked[:limit])


def _rank(name: str, needle: str) -> int | None:
    if name == needle:
        return 0
    if name.startswith(needle):
        return 1
    return 2 if needle in name else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def finite_float(value: Any) -> float | None:
    """``value`` as a finite float, or ``None`` (missing, text, NaN, infinite)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
