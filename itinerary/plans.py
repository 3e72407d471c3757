"""Plans as URLs: parsing the public query parameters and building share links.

Share links and QR codes carry landmark ids and plain values only, so a link opened anywhere
rebuilds the same plan; unknown ids are dropped (the page says so).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import date, time
from urllib.parse import urlencode, urlsplit, urlunsplit

from itinerary.models import MODES

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_id_list(raw: str | None) -> list[str]:
    """Comma-separated ids, in order, blanks dropped."""
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def split_known(ids: Iterable[str], known: Iterable[str]) -> tuple[list[str], list[str]]:
    """(known ids in their order without repeats, unknown ids) of a list from a link."""
    valid = set(known)
    kept: list[str] = []
    unknown: list[str] = []
    for item in ids:
        if item not in valid:
            unknown.append(item)
        elif item not in kept:
            kept.append(item)
    return kept, unknown


def parse_hhmm(raw: str | None) -> time | None:
    match = _TIME.match((raw or "").strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def parse_mode(raw: str | None) -> str | None:
    return raw if raw in MODES else None


def public_base_url(browser_url: str | None) -> str:
    """``CITYPLUS_PUBLIC_URL`` when set (a kiosk, or an app behind a proxy or below a path),
    else the scheme and host of the address the browser used."""
    configured = os.environ.get("CITYPLUS_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    if not browser_url:
        return "http://localhost:8501"
    parts = urlsplit(browser_url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")).rstrip("/")


def share_url(base: str, page: str, params: Mapping[str, str | None]) -> str:
    """``base/page?params`` with empty values left out; commas in id lists stay readable."""
    query = urlencode({k: v for k, v in params.items() if v}, safe=",:")
    path = f"{base.rstrip('/')}/{page.strip('/')}"
    return f"{path}?{query}" if query else path
