"""Planning an import row by row: permissions, moves between cities, the content rules, the diff.

``plan_rows`` runs the steps in order on the rows that passed the seed's checks: cities and
themes (administrators only; identical rows are ignored), landmarks, itineraries (fields from
itineraries.csv, stops from itinerary_stops.csv, else the stored ones), and last the rule that
no published itinerary keeps a landmark the import unpublishes. The content rules are
``itinerary.rules``, the same functions the editor's writers call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from itinerary import curation, rules, seed
from itinerary.accounts import IMPORT, MANAGE_CITIES, PUBLISH, Account, can
from itinerary.transfer.geocoding import where
from itinerary.transfer.plan import CITY, ITINERARY, LANDMARK, THEME, Current, ImportPlan, RowChange, Snapshot
from itinerary.transfer.reading import Upload

StopRows = list[tuple[int, seed.Row]]  # (line in itinerary_stops.csv, row)


def as_snapshot(spec: str, row: Mapping[str, Any]) -> Snapshot:
    """A parsed row as the record the database holds (themes as a list)."""
    names = seed.SPEC_BY_NAME[spec].column_names
    snap = {name: row[name] for name in names}
    if spec == "landmarks.csv":
        snap["themes"] = list(snap["themes"])
    return snap


@dataclass
class _Planning:
    """What the steps share: the parsed upload, the database, and what was found so far."""

    parsed: Mapping[str, seed._Parsed]
    current: Current
    account: Account
    problems: list[seed.Problem]
    plan: ImportPlan
    upload: Upload
    codes: dict[seed.Problem, rules.Problem]
    bad_lines: set[tuple[str, int]] = field(default_factory=set)
    final_landmarks: dict[str, Snapshot] = field(default_factory=dict)  # after the import
    landmark_lines: dict[str, int] = field(default_factory=dict)  # landmarks the import writes

    def clean(self, spec: str) -> list[tuple[int, seed.Row]]:
        """Rows of a file with no problem so far."""
        rows = self.parsed.get(spec, seed._Parsed()).rows
        return [(line, row) for line, row in rows if (spec, line) not in self.bad_lines]

    def refuse(self, spec: str, line: int, column: str, reason: str | rules.Problem) -> None:
        found = seed.Problem(spec, line, column, str(reason))
        self.problems.append(found)
        if isinstance(reason, rules.Problem):
            self.codes[found] = reason

    def change(
        self,
        entity: str,
        row_id: str,
        city_id: str,
        spec: str,
        line: int,
        before: Snapshot | None,
        after: Snapshot,
    ) -> RowChange:
        found = self.current.landmarks if entity == LANDMARK else self.current.itineraries
        version = found[row_id][1] if entity in (LANDMARK, ITINERARY) and row_id in found else None
        return RowChange(
            entity, row_id, city_id, where(self.upload.files[spec], line), before, after, version
        )

    def may_write(self, spec: str, line: int, entity: str, new: Snapshot, old: Snapshot | None) -> bool:
        """Whether the account may write ``new`` over ``old`` (no move to another city)."""
        city_id, who = new["city_id"], self.account.username
        if old is not None and old["city_id"] != city_id:
            self.refuse(
                spec,
                line,
                "city_id",
                f"{entity} {new['id']!r} belongs to {old['city_id']!r}; ids are stable forever, "
                "so it cannot move to another city (choose a new id)",
            )
            return False
        if not can(self.account, IMPORT, city_id=city_id):
            self.refuse(spec, line, "city_id", f"{who} may not import into {city_id!r}")
            return False
        before_status = old["status"] if old else None
        status = rules.status_problem(before_status, new["status"])
        if status is not None:
            self.refuse(spec, line, "status", status)
            return False
        publishing = "published" in (before_status, new["status"]) and before_status != new["status"]
        if publishing and not can(self.account, PUBLISH, city_id=city_id):
            self.refuse(spec, line, "status", f"{who} may not publish in {city_id!r}")
            return False
        return True


def plan_rows(
    parsed: Mapping[str, seed._Parsed],
    current: Current,
    account: Account,
    problems: list[seed.Problem],
    plan: ImportPlan,
    upload: Upload,
    codes: dict[seed.Problem, rules.Problem],
) -> None:
    """Permissions, moves between cities, the content rules; then the diff of every clean row."""
    step = _Planning(parsed, current, account, problems, plan, upload, codes)
    step.bad_lines = {(p.file, p.line) for p in problems}
    step.final_landmarks = {k: v[0] for k, v in current.landmarks.items()}
    _plan_plain(step)
    _plan_landmarks(step)
    _plan_itineraries(step)
    _check_unpublished(step)
    from itinerary.transfer.stories import plan_stories

    plan_stories(step)


def _plan_plain(step: _Planning) -> None:
    """Cities and themes: only administrators may change them; identical rows are ignored."""
    for spec, entity, table, target in (
        ("cities.csv", CITY, step.current.cities, step.plan.cities),
        ("themes.csv", THEME, step.current.themes, step.plan.themes),
    ):
        for line, row in step.clean(spec):
            after = as_snapshot(spec, row)
            before = table.get(row["id"])
            if before == after:
                target.unchanged += 1
                continue
            if not can(step.account, MANAGE_CITIES):
                first = next(iter(curation.diff(before, after))).field
                verb = "add" if before is None else "change"
                message = (
                    f"{step.account.username} may not {verb} {entity} {row['id']!r} (administrators only)"
                )
                step.refuse(spec, line, first, message)
                continue
            city_id = row["id"] if entity == CITY else ""
            change = step.change(entity, row["id"], city_id, spec, line, before, after)
            (target.added if before is None else target.changed).append(change)


def _plan_landmarks(step: _Planning) -> None:
    spec = "landmarks.csv"
    for line, row in step.clean(spec):
        after = as_snapshot(spec, row)
        found = step.current.landmarks.get(row["id"])
        before = found[0] if found else None
        if before == after:
            step.plan.landmarks.unchanged += 1
            continue
        if not step.may_write(spec, line, LANDMARK, after, before):
            continue
        step.final_landmarks[row["id"]] = after
        step.landmark_lines[row["id"]] = line
        change = step.change(LANDMARK, row["id"], row["city_id"], spec, line, before, after)
        (step.plan.landmarks.added if before is None else step.plan.landmarks.changed).append(change)


def _uploaded_stops(step: _Planning) -> dict[str, StopRows]:
    """The stop rows of itinerary_stops.csv by itinerary id."""
    found: dict[str, StopRows] = {}
    stop_file = step.parsed.get("itinerary_stops.csv")
    for line, row in stop_file.rows if stop_file else []:
        if "itinerary_id" in row:
            found.setdefault(row["itinerary_id"], []).append((line, row))
    return found


def _plan_itineraries(step: _Planning) -> None:
    """Fields from itineraries.csv, stops from itinerary_stops.csv (else the stored ones)."""
    uploaded_stops = _uploaded_stops(step)
    rows_by_id = {row["id"]: (line, row) for line, row in step.clean("itineraries.csv")}
    every_row = step.parsed.get("itineraries.csv", seed._Parsed()).rows
    bad_ids = {row.get("id") for _, row in every_row} - set(rows_by_id)
    for itinerary_id in [*rows_by_id, *(i for i in uploaded_stops if i not in rows_by_id)]:
        stop_rows = uploaded_stops.get(itinerary_id)
        if itinerary_id in bad_ids or any(
            ("itinerary_stops.csv", ln) in step.bad_lines for ln, _ in stop_rows or []
        ):
            continue
        found = step.current.itineraries.get(itinerary_id)
        before = found[0] if found else None
        planned = _itinerary_after(before, rows_by_id.get(itinerary_id), stop_rows)
        if planned is None:
            continue  # a bad itinerary row or an unknown itinerary: already reported
        spec, line, after = planned
        if before == after:
            step.plan.itineraries.unchanged += 1
            continue
        if not step.may_write(spec, line, ITINERARY, after, before):
            continue
        if not _stops_fit(step, after, spec, line, stop_rows):
            continue
        change = step.change(ITINERARY, itinerary_id, after["city_id"], spec, line, before, after)
        (step.plan.itineraries.added if before is None else step.plan.itineraries.changed).append(change)


def _itinerary_after(
    before: Snapshot | None, row: tuple[int, seed.Row] | None, stop_rows: StopRows | None
) -> tuple[str, int, Snapshot] | None:
    """The itinerary after the import, and the upload line it is reported on."""
    if row is not None:
        spec, line = "itineraries.csv", row[0]
        after = as_snapshot("itineraries.csv", row[1])
    elif before is not None and stop_rows:
        spec, line = "itinerary_stops.csv", stop_rows[0][0]
        after = {k: v for k, v in before.items() if k != "stops"}
    else:
        return None
    if stop_rows is not None:
        ordered = sorted(stop_rows, key=lambda item: item[1]["position"])
        after["stops"] = [{k: stop[k] for k in curation.STOP_FIELDS} for _, stop in ordered]
    else:
        after["stops"] = list(before["stops"]) if before else []
    return spec, line, after


def _stops_fit(
    step: _Planning, after: Snapshot, spec: str, line: int, stop_rows: Sequence[tuple[int, seed.Row]] | None
) -> bool:
    """The stop rules (``rules.stop_problems``) on the landmarks as they will be after the import."""
    states = {
        lid: rules.LandmarkState(snap["city_id"], snap["status"])
        for lid, snap in step.final_landmarks.items()
    }
    stops = [(s["landmark_id"], states.get(s["landmark_id"])) for s in after["stops"]]
    found = rules.stop_problems(after["city_id"], after["status"], stops)
    lines = [ln for ln, _ in sorted(stop_rows, key=lambda i: i[1]["position"])] if stop_rows else []
    for n, problem in found.items():
        if n == 0:
            step.refuse(spec, line, "status", problem)
        elif lines:
            step.refuse("itinerary_stops.csv", lines[n - 1], "landmark_id", problem)
        else:
            step.refuse(spec, line, "landmark_id", problem)
    return not found


def _check_unpublished(step: _Planning) -> None:
    """A landmark the import unpublishes must not stay in a published itinerary."""
    final = {k: v[0] for k, v in step.current.itineraries.items()}
    final.update({c.id: c.after for c in step.plan.itineraries.rows})
    itineraries = [(i["id"], i["status"], [s["landmark_id"] for s in i["stops"]]) for i in final.values()]
    for landmark_id, line in step.landmark_lines.items():
        status = step.final_landmarks[landmark_id]["status"]
        problem = rules.unpublish_problem(status, rules.published_users(landmark_id, itineraries))
        if problem is not None:
            step.refuse("landmarks.csv", line, "status", problem)
