"""Alembic migrations of the content database (see ``itinerary.store.create_schema``)."""
