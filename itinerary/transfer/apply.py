"""``apply``: write a previewed import plan in one transaction, all or nothing.

Landmarks and itineraries go through the curation writers (history rows, action ``import``),
based on the versions the preview saw; the content rules are checked again on what was written,
before the commit (``curation.enforce_rules``), so that a change made between the preview and
the apply cannot slip an unpublished landmark into a published itinerary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa

from itinerary import curation, settings
from itinerary import store as storage
from itinerary.accounts import IMPORT, MANAGE_CITIES, Account, can
from itinerary.curation.stories import story_from_snapshot, write_story
from itinerary.i18n import t
from itinerary.models import City, Theme
from itinerary.permissions import Refused, content_text
from itinerary.transfer.plan import (
    CITY,
    ITINERARY,
    LANDMARK,
    STORY,
    THEME,
    ImportPlan,
    ImportSummary,
    Progress,
    RowChange,
    content_row,
)


class PlanHasProblems(ValueError):
    """``apply`` was given a plan with problems; nothing was written."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        return content_text("plan_has_problems", lang, {"count": self.count})


class Stale(curation.Conflict):
    """A city or theme changed between the preview and the apply; nothing was written."""

    def __init__(self, entity: str, entity_id: str) -> None:
        super().__init__(entity, entity_id, base_version=0, current_version=0)
        self.code = "import_stale"
        self.args = (self.text("en"),)


class RulesBroken(curation.Conflict):
    """What the import wrote breaks a content rule, because the database changed since the
    preview (a stop's landmark unpublished meanwhile); nothing was written. ``problems``: why."""

    def __init__(self, broken: curation.FieldErrors) -> None:
        self.broken = broken  # before Conflict's __init__, which asks text() for the English
        super().__init__("import", "", base_version=0, current_version=0)
        self.problems = broken.problems
        self.args = (self.text("en"),)

    def text(self, lang: str = "en") -> str:
        reasons = "; ".join(f"{k}: {v}" for k, v in self.broken.texts(lang).items())
        return content_text("import_rules_broken", lang, {"reasons": reasons})


def apply(
    store: storage.Store,
    plan: ImportPlan,
    account: Account,
    *,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = settings.utc_now,
    lang: str = "en",
) -> ImportSummary:
    """Write a previewed plan in one transaction, all or nothing.

    Raises ``PlanHasProblems`` for a plan with problems, ``PermissionError`` if the account may not
    write a row, ``curation.Conflict`` when a row changed since the preview, and
    ``RulesBroken`` (a ``Conflict``) when what was written breaks a content rule (the database
    changed since the preview); in each case nothing is written. ``progress(done, total, "landmark <id>")`` after each row, the entity in ``lang`` ("地标 <id>").
    """
    if plan.problems:
        raise PlanHasProblems(len(plan.problems))
    rows = plan.rows
    for row in rows:
        if row.entity in (CITY, THEME):
            allowed = can(account, MANAGE_CITIES)
        else:
            allowed = can(account, IMPORT, city_id=row.city_id) and (
                row.before is None or can(account, IMPORT, city_id=row.before["city_id"])
            )
        if not allowed:
            raise Refused("may_not_import", user=account.username, entity=row.entity, entity_id=row.id)
    if not rows:
        return ImportSummary(plan.counts(), store.data_version())
    at = clock()
    with store.transaction() as conn:
        for done, row in enumerate(rows, start=1):
            if row.entity in (CITY, THEME):
                _upsert_plain(conn, row)
            elif row.entity == STORY:
                story, chapters = story_from_snapshot(row.after)
                write_story(
                    conn,
                    story,
                    chapters,
                    base_version=row.base_version,
                    username=account.username,
                    action=curation.IMPORT,
                    at=at,
                )
            elif row.entity == LANDMARK:
                curation.write_landmark(
                    conn,
                    curation.landmark_from_snapshot(row.after),
                    base_version=row.base_version,
                    username=account.username,
                    action=curation.IMPORT,
                    at=at,
                    enforce=False,  # checked together below: the rows depend on each other
                )
            else:
                it, stops = curation.itinerary_from_snapshot(row.after)
                curation.write_itinerary(
                    conn,
                    it,
                    stops,
                    base_version=row.base_version,
                    username=account.username,
                    action=curation.IMPORT,
                    at=at,
                    enforce=False,  # checked together below: the rows depend on each other
                )
            if progress is not None:
                progress(done, len(rows), f"{t(f'content.entity_{row.entity}', lang)} {row.id}")
        try:
            curation.enforce_rules(
                conn,
                landmark_ids=[row.id for row in rows if row.entity == LANDMARK],
                itinerary_ids=[row.id for row in rows if row.entity == ITINERARY],
            )
        except curation.FieldErrors as broken:  # the preview checked them: the database changed
            raise RulesBroken(broken) from broken
    return ImportSummary(plan.counts(), store.data_version())


def _upsert_plain(conn: sa.Connection, row: RowChange) -> None:
    table = storage.cities if row.entity == CITY else storage.themes
    found = conn.execute(sa.select(table).where(table.c.id == row.id).with_for_update()).mappings().first()
    now = None if found is None else content_row(table, found)
    if now != row.before:
        raise Stale(row.entity, row.id)
    record = City(**row.after) if row.entity == CITY else Theme(**row.after)
    values = asdict(record)
    if found is None:
        conn.execute(table.insert().values(**values))
    else:
        conn.execute(table.update().where(table.c.id == row.id).values(**values))
