"""The cities in the database, read for the staff's city editor."""

from __future__ import annotations

import sqlalchemy as sa

from itinerary.store import Store, cities


def city_ids(store: Store) -> list[str]:
    """Every city id in the database, read now rather than from a cache: a new city's id must
    not be one that another admin took a moment ago (ids are stable forever)."""
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(cities.c.id).order_by(cities.c.id)).scalars())
