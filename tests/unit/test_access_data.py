"""Access facts and Chinese addresses in landmarks.csv: parsed, refused with file:line: column,
seeded and stored as "not surveyed" when empty (issue 10 section 3, issue 17)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from itinerary import columns, seed, store
from itinerary.validation import CellError


def set_cells(folder: Path, row_id: str, cells: dict[str, str], *, file: str = "landmarks.csv") -> None:
    """Set cells of one row, adding any column the file does not have yet (at the end)."""
    path = folder / file
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    header = list(rows[0].keys()) + [c for c in cells if c not in rows[0]]
    for row in rows:
        for column in header:
            row.setdefault(column, "")
    [hit] = [r for r in rows if r["id"] == row_id]
    hit.update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


PARSER = {c.name: c.parse for c in columns.SPEC_BY_NAME["landmarks.csv"].columns}
TODAY = datetime.now(UTC).date().isoformat()

# (column, cell, value): what a good cell means; "" is always "not surveyed"
PARSES = [
    ("entrance_steps", "", None),
    ("entrance_steps", "0", 0),
    ("entrance_steps", " 3 ", 3),
    ("entrance_steps", "100", 100),
    ("entrance_step_height_cm", "4", 4),
    ("entrance_step_height_cm", "", None),
    ("door_width_cm", "90", 90),
    ("door_width_cm", "40", 40),
    ("door_width_cm", "", None),
    ("entrance_ramp", "yes", True),
    ("entrance_ramp", "no", False),
    ("entrance_ramp", "", None),
    ("entrance_ramp", " YES ", True),
    ("automatic_door", "no", False),
    ("toilet_wheelchair", "yes", True),
    ("lift_all_floors", "", None),
    ("parking_wheelchair", "no", False),
    ("hearing_loop", "yes", True),
    ("tactile_guidance", "", None),
    ("quiet_space", "yes", True),
    ("seating", "no", False),
    ("quiet_hours", "Mo-Fr 09:00-11:00", "Mo-Fr 09:00-11:00"),
    ("quiet_hours", "", ""),
    ("access_surveyed", "2026-11-30", "2026-11-30"),
    ("access_surveyed", TODAY, TODAY),
    ("access_surveyed", "", ""),
    ("access_surveyed_by", " CityPlus staff ", "CityPlus staff"),
    ("district_zh", "福田区", "福田区"),
    ("address_zh", "福田区益田路5033号", "福田区益田路5033号"),
    ("access_note", "Lift from the B1 entrance", "Lift from the B1 entrance"),
    ("access_note_zh", "B1入口有电梯", "B1入口有电梯"),
]


@pytest.mark.parametrize(("column", "cell", "value"), PARSES)
def test_an_access_cell_parses_to_its_value(column: str, cell: str, value: Any) -> None:
    assert PARSER[column](cell) == value
    if value is None:
        assert PARSER[column](cell) is None  # not surveyed is None, never False or 0


FUTURE = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()

# (column, bad cell, problem code, expected English message start)
REFUSES = [
    ("entrance_steps", "-1", "out_of_range", "-1 is out of range (0 to 100)"),
    ("entrance_steps", "101", "out_of_range", "101 is out of range (0 to 100)"),
    ("entrance_steps", "two", "not_a_whole_number", "'two' is not a whole number"),
    ("entrance_steps", "1.5", "not_a_whole_number", "'1.5' is not a whole number"),
    ("entrance_step_height_cm", "150", "out_of_range", "150 is out of range (0 to 100)"),
    ("door_width_cm", "39", "out_of_range", "39 is out of range (40 to 400)"),
    ("door_width_cm", "401", "out_of_range", "401 is out of range (40 to 400)"),
    ("door_width_cm", "90cm", "not_a_whole_number", "'90cm' is not a whole number"),
    ("entrance_ramp", "maybe", "not_yes_no_or_empty", "'maybe' is not yes or no"),
    ("toilet_wheelchair", "true", "not_yes_no_or_empty", "'true' is not yes or no"),
    ("hearing_loop", "1", "not_yes_no_or_empty", "'1' is not yes or no"),
    ("seating", "unknown", "not_yes_no_or_empty", "'unknown' is not yes or no"),
    ("quiet_hours", "mornings", "not_opening_hours", "'mornings' is not OpenStreetMap"),
    ("access_surveyed", "30/11/2026", "not_a_date", "'30/11/2026' is not a date YYYY-MM-DD"),
    ("access_surveyed", "2026-02-30", "not_a_date", "'2026-02-30' is not a date"),
    ("access_surveyed", "2026-1-5", "not_a_date", "'2026-1-5' is not a date"),
    ("access_surveyed", FUTURE, "date_in_future", f"'{FUTURE}' is in the future"),
]


@pytest.mark.parametrize(("column", "cell", "code", "message"), REFUSES)
def test_a_bad_access_cell_is_refused_with_a_code(column: str, cell: str, code: str, message: str) -> None:
    with pytest.raises(CellError) as info:
        PARSER[column](cell)
    assert info.value.code.startswith(code)
    assert str(info.value).startswith(message)
    assert info.value.text("zh") != str(info.value)  # translated


@pytest.mark.parametrize(("column", "cell", "code", "message"), REFUSES)
def test_a_bad_access_cell_in_a_file_is_reported_as_file_line_column(
    mini_dir: Path, column: str, cell: str, code: str, message: str
) -> None:
    set_cells(mini_dir, "oct-loft", {column: cell})
    with pytest.raises(seed.ValidationError) as info:
        seed.load_dir(mini_dir)
    [problem] = info.value.problems
    assert str(problem).startswith(f"landmarks.csv:5: {column}: {message}")
    assert problem.located("zh").startswith(f"landmarks.csv:5: {column}: ")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem.text("zh"))


def test_every_bad_access_cell_of_a_row_is_reported_at_once(mini_dir: Path) -> None:
    set_cells(mini_dir, "oct-loft", {"entrance_steps": "x", "door_width_cm": "5", "seating": "perhaps"})
    with pytest.raises(seed.ValidationError) as info:
        seed.load_dir(mini_dir)
    assert [p.column for p in sorted(info.value.problems)] == ["door_width_cm", "entrance_steps", "seating"]


def test_a_file_without_the_access_columns_loads_as_not_surveyed(mini_dir: Path) -> None:
    header = (mini_dir / "landmarks.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "entrance_steps" not in header
    for lm in seed.load_dir(mini_dir).landmarks:
        assert all(getattr(lm, name) is None for name in columns.ACCESS_FLAGS + columns.ACCESS_NUMBERS)
        assert lm.district_zh == lm.address_zh == lm.access_note == lm.access_surveyed == ""


FACTS = {
    "district_zh": "南山区",
    "address_zh": "南山区恩平街华侨城创意文化园",
    "entrance_steps": "1",
    "entrance_step_height_cm": "4",
    "entrance_ramp": "no",
    "door_width_cm": "90",
    "automatic_door": "",
    "toilet_wheelchair": "yes",
    "hearing_loop": "no",
    "quiet_hours": "Mo-Fr 09:00-11:00",
    "access_note": "Cobbled lanes; the main hall is level.",
    "access_note_zh": "园区道路为鹅卵石；主展厅无台阶。",
    "access_surveyed": "2026-11-30",
    "access_surveyed_by": "CityPlus staff",
}


def test_access_facts_load_as_typed_values(mini_dir: Path) -> None:
    set_cells(mini_dir, "oct-loft", FACTS)
    lm = next(x for x in seed.load_dir(mini_dir).landmarks if x.id == "oct-loft")
    assert (lm.entrance_steps, lm.entrance_step_height_cm, lm.door_width_cm) == (1, 4, 90)
    assert lm.entrance_ramp is False and lm.toilet_wheelchair is True and lm.hearing_loop is False
    assert lm.automatic_door is None and lm.lift_all_floors is None  # empty and absent alike
    assert lm.district_zh == "南山区" and lm.quiet_hours == "Mo-Fr 09:00-11:00"
    assert lm.access_surveyed == "2026-11-30" and lm.access_surveyed_by == "CityPlus staff"


def test_access_facts_are_stored_and_read_back_with_unknown_apart_from_no(
    mini_dir: Path, new_db_url: str
) -> None:
    set_cells(mini_dir, "oct-loft", FACTS)
    data = seed.load_dir(mini_dir)
    db = store.open_store(new_db_url)
    db.replace_all(data)
    back = db.dataset()
    assert sorted(back.landmarks, key=lambda x: x.id) == sorted(data.landmarks, key=lambda x: x.id)
    lm = next(x for x in back.landmarks if x.id == "oct-loft")
    assert lm.entrance_ramp is False and lm.automatic_door is None and lm.entrance_steps == 1
    # every combination of the tri-state survives the database
    other = replace(lm, id="oct-loft-2", entrance_ramp=None, automatic_door=True, seating=False)
    db.replace_all(replace(data, landmarks=(*data.landmarks, other)))
    again = next(x for x in db.dataset().landmarks if x.id == "oct-loft-2")
    assert (again.entrance_ramp, again.automatic_door, again.seating) == (None, True, False)


def test_the_shipped_landmarks_have_the_access_columns_before_status() -> None:
    names = columns.SPEC_BY_NAME["landmarks.csv"].column_names
    assert names[-1] == "status"
    assert names.index("website") + 1 == names.index("district_zh")
    assert [c.name for c in columns.ACCESS_COLUMNS] == list(names[names.index("district_zh") : -1])


def test_a_snapshot_from_before_the_access_columns_shows_no_access_change() -> None:
    from itinerary import curation

    lm = seed.load_dir(Path(__file__).parents[1] / "fixtures" / "mini").landmarks[0]
    now = curation.landmark_snapshot(lm)
    old = {k: v for k, v in now.items() if k not in {c.name for c in columns.ACCESS_COLUMNS}}
    assert curation.diff(old, now) == []
    surveyed = curation.landmark_snapshot(replace(lm, entrance_ramp=False, district_zh="福田区"))
    assert curation.diff(old, surveyed) == [
        curation.FieldChange("district_zh", None, "福田区"),
        curation.FieldChange("entrance_ramp", None, False),
    ]
    # a creation sets every field, surveyed or not
    assert {c.field for c in curation.diff(None, now)} == set(now)
