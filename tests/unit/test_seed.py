"""Validation of data-contract folders: every kind of error, reported all at once."""

from __future__ import annotations

import csv
import io
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from itinerary import seed
from tests.conftest import DATA, ROOT


def edit_cell(folder: Path, file: str, row_id: str, column: str, value: str, *, key: str = "id") -> None:
    """Set one cell of a CSV file (the row whose ``key`` is ``row_id``)."""
    path = folder / file
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    header = list(rows[0].keys())
    hits = [r for r in rows if r[key] == row_id]
    assert hits, f"no row {row_id} in {file}"
    hits[0][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(seed.ValidationError) as info:
        seed.load_dir(folder)
    return [str(p) for p in info.value.problems]


def test_fixture_folder_loads(mini_dir: Path) -> None:
    data = seed.load_dir(mini_dir)
    assert [c.id for c in data.cities] == ["shenzhen", "seattle"]
    ping_an = next(lm for lm in data.landmarks if lm.id == "ping-an-finance-center")
    assert ping_an.themes == ("innovation", "shopping")
    assert ping_an.lat == pytest.approx(22.5366)
    assert ping_an.address == "5033 Yitian Road, Futian"
    # empty dwell time means "use the landmark's visit time"
    stop = next(s for s in data.stops if s.itinerary_id == "shenzhen-mini" and s.position == 2)
    assert stop.dwell_minutes is None


# (file, row id, column, bad value, expected "file:line: column: message" start)
CELL_CASES = [
    ("cities.csv", "shenzhen", "id", "Shen Zhen", "cities.csv:2: id: 'Shen Zhen' is not a lowercase slug"),
    ("cities.csv", "shenzhen", "lat", "north", "cities.csv:2: lat: 'north' is not a decimal number"),
    ("cities.csv", "shenzhen", "lon", "214.1", "cities.csv:2: lon: 214.1 is out of range"),
    ("cities.csv", "seattle", "timezone", "Pacific", "cities.csv:3: timezone: 'Pacific' is not an IANA"),
    ("cities.csv", "seattle", "zoom", "25", "cities.csv:3: zoom: 25 is out of range"),
    ("themes.csv", "food", "color", "red", "themes.csv:4: color: 'red' is not a #rrggbb colour"),
    ("landmarks.csv", "oct-loft", "lat", "95.2", "landmarks.csv:5: lat: 95.2 is out of range (-90 to 90)"),
    ("landmarks.csv", "oct-loft", "lat", "nan", "landmarks.csv:5: lat: nan is out of range"),
    ("landmarks.csv", "oct-loft", "lon", "", "landmarks.csv:5: lon: must not be empty"),
    ("landmarks.csv", "oct-loft", "name", " ", "landmarks.csv:5: name: must not be empty"),
    ("landmarks.csv", "oct-loft", "city_id", "atlantis", "landmarks.csv:5: city_id: unknown city 'atlantis'"),
    ("landmarks.csv", "oct-loft", "themes", "culture;ufo", "landmarks.csv:5: themes: unknown theme 'ufo'"),
    (
        "landmarks.csv",
        "oct-loft",
        "opening_hours",
        "Mo-Xy 10-18",
        "landmarks.csv:5: opening_hours: 'Mo-Xy 10-18'",
    ),
    (
        "landmarks.csv",
        "oct-loft",
        "wheelchair",
        "maybe",
        "landmarks.csv:5: wheelchair: 'maybe' is not one of",
    ),
    ("landmarks.csv", "oct-loft", "status", "live", "landmarks.csv:5: status: 'live' is not one of"),
    ("landmarks.csv", "oct-loft", "price", "$5", "landmarks.csv:5: price: '$5' is not 'free'"),
    ("landmarks.csv", "oct-loft", "website", "javascript:alert(1)", "landmarks.csv:5: website:"),
    (
        "landmarks.csv",
        "oct-loft",
        "visit_minutes",
        "2h",
        "landmarks.csv:5: visit_minutes: '2h' is not a whole",
    ),
    (
        "landmarks.csv",
        "oct-loft",
        "id",
        "huaqiang-north",
        "landmarks.csv:5: id: duplicate id 'huaqiang-north'",
    ),
    # swapped lat/lon is in range but on the other side of the world
    ("landmarks.csv", "oct-loft", "lat", "113.9987", "landmarks.csv:5: lat: 113.9987 is out of range"),
    ("landmarks.csv", "space-needle", "lon", "122.3493", "landmarks.csv:8: lat: (47.6205, 122.3493) is"),
    ("itineraries.csv", "shenzhen-mini", "mode", "teleport", "itineraries.csv:2: mode: 'teleport' is not"),
    ("itineraries.csv", "shenzhen-mini", "start_time", "9am", "itineraries.csv:2: start_time: '9am' is not"),
    ("itineraries.csv", "shenzhen-mini", "start_time", "24:00", "itineraries.csv:2: start_time: '24:00'"),
    ("itineraries.csv", "shenzhen-mini", "theme_id", "sports", "itineraries.csv:2: theme_id: unknown theme"),
    (
        "itineraries.csv",
        "shenzhen-mini",
        "featured",
        "perhaps",
        "itineraries.csv:2: featured: 'perhaps' is not",
    ),
    (
        "itineraries.csv",
        "seattle-mini",
        "city_id",
        "tokyo",
        "itineraries.csv:4: city_id: unknown city 'tokyo'",
    ),
]


@pytest.mark.parametrize(("file", "row_id", "column", "value", "expected"), CELL_CASES)
def test_bad_cell_is_reported_with_file_line_column(
    mini_dir: Path, file: str, row_id: str, column: str, value: str, expected: str
) -> None:
    edit_cell(mini_dir, file, row_id, column, value)
    problems = problems_of(mini_dir)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(("file", "row_id", "column", "value", "expected"), CELL_CASES)
def test_bad_cell_is_a_code_that_reads_in_chinese(
    mini_dir: Path, file: str, row_id: str, column: str, value: str, expected: str
) -> None:
    edit_cell(mini_dir, file, row_id, column, value)
    with pytest.raises(seed.ValidationError) as info:
        seed.load_dir(mini_dir)
    [problem] = [p for p in info.value.problems if str(p).startswith(expected)]
    assert problem.code and problem.text("en") == problem.message
    assert has_chinese(problem.text("zh")), problem.text("zh")
    place = f"{problem.file}:{problem.line}: {problem.column}: "
    assert problem.located("zh") == place + problem.text("zh") and str(problem) == place + problem.message


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


STOP_CASES = [
    ("landmark_id", "no-such-place", "itinerary_stops.csv:3: landmark_id: unknown landmark 'no-such-place'"),
    ("landmark_id", "space-needle", "itinerary_stops.csv:3: landmark_id: landmark 'space-needle' is in"),
    ("position", "5", "itinerary_stops.csv:4: position: positions of 'shenzhen-mini' are [1, 3, 5]"),
    ("position", "3", "itinerary_stops.csv:4: position: position 3 of 'shenzhen-mini' is taken (line 3)"),
    ("position", "0", "itinerary_stops.csv:3: position: 0 is out of range"),
    ("itinerary_id", "nowhere", "itinerary_stops.csv:3: itinerary_id: unknown itinerary 'nowhere'"),
    ("dwell_minutes", "-5", "itinerary_stops.csv:3: dwell_minutes: -5 is out of range"),
]


@pytest.mark.parametrize(("column", "value", "expected"), STOP_CASES)
def test_bad_stop_is_reported(mini_dir: Path, column: str, value: str, expected: str) -> None:
    path = mini_dir / "itinerary_stops.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    # line 3 is shenzhen-mini position 2 (ping-an-finance-center)
    cells = lines[2].split(",")
    cells[header.index(column)] = value
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = problems_of(mini_dir)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(("column", "value", "expected"), STOP_CASES)
def test_bad_stop_reads_in_chinese(mini_dir: Path, column: str, value: str, expected: str) -> None:
    path = mini_dir / "itinerary_stops.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index(column)] = value
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(seed.ValidationError) as info:
        seed.load_dir(mini_dir)
    [problem] = [p for p in info.value.problems if str(p).startswith(expected)]
    assert problem.code and has_chinese(problem.text("zh")), problem


def test_a_problem_is_a_code_with_its_values(mini_dir: Path) -> None:
    edit_cell(mini_dir, "cities.csv", "shenzhen", "lat", "north")
    with pytest.raises(seed.ValidationError) as info:
        seed.load_dir(mini_dir)
    [problem] = info.value.problems
    assert (problem.code, dict(problem.values)) == ("not_a_number", {"value": "north"})
    assert problem.message == "'north' is not a decimal number"
    assert problem.text("zh") == "'north' 不是十进制数字"
    assert info.value.report() == "cities.csv:2: lat: 'north' is not a decimal number"
    assert info.value.report("zh") == "cities.csv:2: lat: 'north' 不是十进制数字"


def test_a_cross_file_problem_reads_in_chinese_with_its_values(mini_dir: Path) -> None:
    edit_cell(mini_dir, "landmarks.csv", "space-needle", "lon", "122.3493")
    with pytest.raises(seed.ValidationError) as info:
        seed.load_dir(mini_dir)
    [problem] = info.value.problems
    assert problem.code == "too_far" and problem.values["city"] == "Seattle"
    assert problem.message.startswith("(47.6205, 122.3493) is ") and "km from Seattle" in problem.message
    assert problem.text("zh").startswith("(47.6205, 122.3493) 距离Seattle ")


def test_a_problem_made_the_old_way_still_works() -> None:
    # other modules (the importer) make problems from their own text
    problem = seed.Problem("upload.zip", 0, "-", "file is larger than 10 MB")
    assert problem.code == "" and problem.values == {}
    assert problem.text("zh") == problem.text("en") == "file is larger than 10 MB"
    assert str(problem) == problem.located("zh") == "upload.zip:0: -: file is larger than 10 MB"
    assert sorted([problem, seed.Problem("a.csv", 1, "-", "x")])[0].file == "a.csv"


def test_a_parser_error_is_a_value_error_with_the_english_text() -> None:
    # the editor's own checks catch ValueError and show str(error)
    parse = seed.SPEC_BY_NAME["landmarks.csv"].columns[4].parse  # lat
    with pytest.raises(ValueError, match=r"^'x' is not a decimal number$") as info:
        parse("x")
    assert isinstance(info.value, seed.CellError)
    assert (info.value.code, info.value.text("zh")) == ("not_a_number", "'x' 不是十进制数字")


def test_text_passed_along_keeps_its_code() -> None:
    # the editor keeps str(error) per field; the importer copies a problem to its own file name
    parse = seed.SPEC_BY_NAME["cities.csv"].columns[0].parse  # id
    with pytest.raises(ValueError) as info:
        parse("Shen Zhen")
    reason = str(info.value)
    assert reason == "'Shen Zhen' is not a lowercase slug (letters, digits, single hyphens)"
    assert reason.text("zh") == "'Shen Zhen' 不是小写标识（仅限字母、数字和单个连字符）"  # type: ignore[attr-defined]
    copied = seed.Problem("upload/cities.csv", 2, "id", reason)
    assert copied.code == "not_a_slug" and copied.text("zh") == reason.text("zh")  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(reason)).text("zh") == reason.text("zh")  # type: ignore[attr-defined]
    assert f"{reason}" == reason and type(f"id: {reason}") is str


def test_every_problem_is_reported_at_once(mini_dir: Path) -> None:
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "wheelchair", "maybe")
    edit_cell(mini_dir, "landmarks.csv", "huaqiang-north", "lat", "x")
    edit_cell(mini_dir, "cities.csv", "seattle", "timezone", "Nowhere/Here")
    problems = problems_of(mini_dir)
    assert [p.split(": ")[0] for p in problems] == [
        "cities.csv:3",
        "landmarks.csv:4",
        "landmarks.csv:5",
    ]


def test_missing_and_unknown_columns(mini_dir: Path) -> None:
    path = mini_dir / "landmarks.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("lat,lon,", "latitude,lon,", 1), encoding="utf-8")
    problems = problems_of(mini_dir)
    assert "landmarks.csv:1: lat: missing required column" in problems
    assert any(p.startswith("landmarks.csv:1: latitude: unknown column") for p in problems)


def test_duplicate_column(mini_dir: Path) -> None:
    path = mini_dir / "themes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line + ",x" for line in lines]
    lines[0] = lines[0][:-2] + ",label"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "themes.csv:1: label: column appears twice" in problems_of(mini_dir)


def test_optional_columns_may_be_left_out(mini_dir: Path) -> None:
    (mini_dir / "themes.csv").write_text(
        "id,label\n"
        + "\n".join(
            f"{t},{t.title()}"
            for t in ("innovation", "green", "food", "culture", "history", "nature", "shopping", "family")
        )
        + "\n",
        encoding="utf-8",
    )
    data = seed.load_dir(mini_dir)
    assert data.themes[0].color == "#3388ff"
    assert data.themes[0].label_zh == ""


def test_wrong_encoding_names_the_line(mini_dir: Path) -> None:
    path = mini_dir / "landmarks.csv"
    text = path.read_text(encoding="utf-8").replace("東", "").replace("深圳第一高楼，设有云际观光层。", "")
    # a spreadsheet saved as Latin-1: the é of "cafés" on line 5 is not UTF-8
    path.write_bytes(text.encode("utf-8").replace("cafés".encode(), "cafés".encode("latin-1")))
    problems = problems_of(mini_dir)
    assert problems == ["landmarks.csv:5: -: file is not UTF-8 text (save it as CSV UTF-8); nothing loaded"]


def test_utf8_with_bom_is_fine(mini_dir: Path) -> None:
    path = mini_dir / "cities.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert seed.load_dir(mini_dir).cities[0].id == "shenzhen"


def test_too_many_cells_hints_at_quoting(mini_dir: Path) -> None:
    with (mini_dir / "themes.csv").open("a", encoding="utf-8") as f:
        f.write("sports,Sports,运动,#123456,futbol,Stadiums, pools and trails,\n")
    problems = problems_of(mini_dir)
    assert problems == [
        "themes.csv:10: -: 8 cells but the header has 7 columns (a comma inside a value needs quotes)"
    ]


def test_missing_required_file(mini_dir: Path) -> None:
    (mini_dir / "landmarks.csv").unlink()
    assert "landmarks.csv:0: -: file is missing" in problems_of(mini_dir)


def test_itinerary_files_are_optional(mini_dir: Path) -> None:
    (mini_dir / "itinerary_stops.csv").unlink()
    (mini_dir / "itineraries.csv").unlink()
    assert seed.load_dir(mini_dir).itineraries == ()


def test_empty_file(mini_dir: Path) -> None:
    (mini_dir / "cities.csv").write_text("", encoding="utf-8")
    assert "cities.csv:1: -: file is empty; expected a header row" in problems_of(mini_dir)


def test_blank_lines_are_skipped(mini_dir: Path) -> None:
    path = mini_dir / "cities.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert len(seed.load_dir(mini_dir).cities) == 2


def test_fingerprint_changes_with_content(mini_dir: Path) -> None:
    before = seed.fingerprint(mini_dir)
    assert seed.fingerprint(mini_dir) == before
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "visit_minutes", "100")
    assert seed.fingerprint(mini_dir) != before


# --- the shipped content ----------------------------------------------------------------------


def test_shipped_data_validates_cleanly() -> None:
    data = seed.load_dir(DATA)
    assert data.cities and data.landmarks and data.itineraries


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itinerary", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_cli_validate_clean_data() -> None:
    result = run_cli("validate", str(DATA))
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": OK (" in result.stdout


def test_cli_validate_names_each_broken_line(mini_dir: Path) -> None:
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "lat", "222")
    edit_cell(mini_dir, "landmarks.csv", "space-needle", "opening_hours", "sometimes")
    result = run_cli("validate", str(mini_dir))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "landmarks.csv:5: lat: 222 is out of range (-90 to 90)",
        "landmarks.csv:8: opening_hours: 'sometimes' is not OpenStreetMap opening_hours syntax "
        "at character 1 (like 'Tu-Su 10:00-18:00; Mo off')",
    ]
    assert "2 problem(s)" in result.stderr


def test_cli_validate_missing_folder(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "no such folder" in result.stdout


def test_guarded_formula_cells_load_as_their_real_text(mini_dir: Path) -> None:
    """A data folder made from an export (cells guarded against spreadsheets) seeds the real text."""
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "name", '\'=HYPERLINK("http://x.example")')
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "summary", "''=1+1")
    dataset = seed.load_dir(mini_dir)
    loft = next(lm for lm in dataset.landmarks if lm.id == "oct-loft")
    assert loft.name == '=HYPERLINK("http://x.example")' and loft.summary == "'=1+1"
