"""The usage counts read back for Curate's Reach: per city (editors) or every city (admins).

Every figure is a sum of daily rows (``usage_counts``); none can tell one visitor from another.
Search texts are shown only once ``MIN_SEARCHES`` searches found nothing for them, so a single
visitor's odd query (a name, a number) never shows on the dashboard.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

import pandas as pd
import sqlalchemy as sa

from itinerary import store as storage
from itinerary.cells import guard_formula
from itinerary.counts.events import EXPORT, HOURLY, ITINERARY_OPEN, PAGE_VIEW, PROGRAMME_OPEN, SEARCH_EMPTY

MIN_SEARCHES = 2  # a search text shows once at least this many searches found nothing for it
COLUMNS = ["day", "city_id", "event", "key", "lang", "n"]

_table = storage.usage_counts


def read(store: storage.Store, city_ids: Iterable[str] | None, start: date, end: date) -> pd.DataFrame:
    """The rows from ``start`` to ``end`` (both included) of these cities (None: every city)."""
    query = sa.select(*(_table.c[name] for name in COLUMNS)).where(
        _table.c.day >= start.isoformat(), _table.c.day <= end.isoformat()
    )
    if city_ids is not None:
        query = query.where(_table.c.city_id.in_(list(city_ids)))
    with store.engine.connect() as conn:
        rows = conn.execute(query.order_by(*(_table.c[name] for name in COLUMNS[:5]))).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)
    frame["n"] = frame["n"].astype(int)
    return frame


def trend(frame: pd.DataFrame, events: Iterable[str]) -> pd.DataFrame:
    """Per day and event, the sum (day, event, n), for the chosen events."""
    wanted = frame[frame["event"].isin(list(events))]
    return pd.DataFrame(wanted.groupby(["day", "event"], as_index=False)["n"].sum())


def top(frame: pd.DataFrame, event: str, *, limit: int = 10, minimum: int = 1) -> pd.DataFrame:
    """The keys of ``event`` with the highest sums (key, n), at least ``minimum`` each."""
    sums = pd.DataFrame(frame[frame["event"] == event].groupby("key", as_index=False)["n"].sum())
    sums = sums[sums["n"] >= minimum]
    return pd.DataFrame(
        sums.sort_values(["n", "key"], ascending=[False, True]).head(limit).reset_index(drop=True)
    )


def views_by_page(frame: pd.DataFrame) -> pd.DataFrame:
    """Page views per page and language (key, lang, n), the most viewed first."""
    wanted = frame[frame["event"] == PAGE_VIEW]
    sums = pd.DataFrame(wanted.groupby(["key", "lang"], as_index=False)["n"].sum())
    return pd.DataFrame(
        sums.sort_values(["n", "key", "lang"], ascending=[False, True, True]).reset_index(drop=True)
    )


def top_itineraries(frame: pd.DataFrame, *, limit: int = 10) -> pd.DataFrame:
    return top(frame, ITINERARY_OPEN, limit=limit)


def top_programmes(frame: pd.DataFrame, *, limit: int = 10) -> pd.DataFrame:
    return top(frame, PROGRAMME_OPEN, limit=limit)


def exports_by_format(frame: pd.DataFrame) -> pd.DataFrame:
    return top(frame, EXPORT, limit=20)


def empty_searches(frame: pd.DataFrame, *, limit: int = 15) -> pd.DataFrame:
    return top(frame, SEARCH_EMPTY, limit=limit, minimum=MIN_SEARCHES)


def kiosk_hours(frame: pd.DataFrame, day: str) -> pd.DataFrame:
    """One day's kiosk touches and idle resets per hour (hour, event, n), every hour present."""
    wanted = frame[(frame["day"] == day) & frame["event"].isin(sorted(HOURLY))]
    sums = pd.DataFrame(wanted.groupby(["key", "event"], as_index=False)["n"].sum())
    sums = sums.rename(columns={"key": "hour"})
    grid = pd.DataFrame(
        [(f"{h:02d}", e) for h in range(24) for e in sorted(HOURLY)], columns=["hour", "event"]
    )
    out = grid.merge(sums, on=["hour", "event"], how="left").fillna({"n": 0})
    out["n"] = out["n"].astype(int)
    return out


def kiosk_days(frame: pd.DataFrame) -> list[str]:
    """The days with kiosk counts, newest first (the event days to choose from)."""
    days = frame.loc[frame["event"].isin(sorted(HOURLY)), "day"].unique()
    return sorted((str(d) for d in days), reverse=True)


def csv_text(frame: pd.DataFrame) -> str:
    """The rows as CSV, every text cell through the spreadsheet-formula guard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for row in frame.itertuples(index=False):
        writer.writerow([guard_formula(v) if isinstance(v, str) else v for v in row])
    return buffer.getvalue()
