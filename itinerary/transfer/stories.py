"""Planning the stories of an import: fields from stories.csv, chapters from story_chapters.csv.

Like an itinerary and its stops: a story's chapters come from story_chapters.csv when the upload
has rows for it, else the stored ones stay. The cross-file checks (``cityaccounts.check_stories``)
ran in the preview; here are the permissions (``_Planning.may_write``) and the diff.
"""

from __future__ import annotations

from itinerary import seed
from itinerary.curation.stories import CHAPTER_FIELDS
from itinerary.transfer.geocoding import where
from itinerary.transfer.plan import STORY, RowChange, Snapshot
from itinerary.transfer.rows import _Planning

ChapterRows = list[tuple[int, seed.Row]]


def _uploaded_chapters(step: _Planning) -> dict[str, ChapterRows]:
    found: dict[str, ChapterRows] = {}
    chapter_file = step.parsed.get("story_chapters.csv")
    for line, row in chapter_file.rows if chapter_file else []:
        if "story_id" in row:
            found.setdefault(row["story_id"], []).append((line, row))
    return found


def _after(
    before: Snapshot | None, row: tuple[int, seed.Row] | None, chapter_rows: ChapterRows | None
) -> tuple[str, int, Snapshot] | None:
    """The story after the import, and the upload line it is reported on."""
    if row is not None:
        spec, line = "stories.csv", row[0]
        names = seed.SPEC_BY_NAME["stories.csv"].column_names
        after = {name: row[1][name] for name in names}
    elif before is not None and chapter_rows:
        spec, line = "story_chapters.csv", chapter_rows[0][0]
        after = {k: v for k, v in before.items() if k != "chapters"}
    else:
        return None
    if chapter_rows is not None:
        ordered = sorted(chapter_rows, key=lambda item: item[1]["position"])
        after["chapters"] = [{k: chapter[k] for k in CHAPTER_FIELDS} for _, chapter in ordered]
    else:
        after["chapters"] = list(before["chapters"]) if before else []
    return spec, line, after


def plan_stories(step: _Planning) -> None:
    """Every story the upload adds or changes, checked like an itinerary (city, status, rights)."""
    uploaded = _uploaded_chapters(step)
    rows_by_id = {row["id"]: (line, row) for line, row in step.clean("stories.csv")}
    every_row = step.parsed.get("stories.csv", seed._Parsed()).rows
    bad_ids = {row.get("id") for _, row in every_row} - set(rows_by_id)
    for story_id in [*rows_by_id, *(i for i in uploaded if i not in rows_by_id)]:
        chapter_rows = uploaded.get(story_id)
        if story_id in bad_ids or any(
            ("story_chapters.csv", ln) in step.bad_lines for ln, _ in chapter_rows or []
        ):
            continue
        found = step.current.stories.get(story_id)
        before = found[0] if found else None
        planned = _after(before, rows_by_id.get(story_id), chapter_rows)
        if planned is None:
            continue  # an unknown story in story_chapters.csv: already reported
        spec, line, after = planned
        if before == after:
            step.plan.stories.unchanged += 1
            continue
        if not step.may_write(spec, line, STORY, after, before):
            continue
        change = RowChange(
            STORY,
            story_id,
            after["city_id"],
            where(step.upload.files[spec], line),
            before,
            after,
            found[1] if found else None,
        )
        (step.plan.stories.added if before is None else step.plan.stories.changed).append(change)
