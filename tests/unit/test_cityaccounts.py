"""City accounts (issue 11): the profile columns, stories and chapters through every path.

Validation on real files (``file:line: column: message``), storage and the export/import round
trip on SQLite and PostgreSQL, the history of stories and city profiles with restore, the
permission predicates, and the shipped content itself.
"""

from __future__ import annotations

import csv
import io
import itertools
import shutil
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from itinerary import cityaccounts, curation, seed, store, transfer
from itinerary.accounts import ADMIN, ALL_CITIES, EDITOR, Account
from itinerary.curation.stories import StoryDesk, parse_story, story_snapshot
from itinerary.geodesy import haversine_km
from itinerary.models import Dataset
from itinerary.permissions import Refused
from tests.conftest import DATA

ADA = Account("ada", ADMIN, frozenset({ALL_CITIES}))
EDDIE = Account("eddie", EDITOR, frozenset({"shenzhen"}))
SAM = Account("sam", EDITOR, frozenset({"seattle"}))

STORIES = (
    "id,city_id,title,title_zh,summary,summary_zh,itinerary_id,status\n"
    "sz-mini,shenzhen,Mini story,迷你故事,Two places.,两个地方。,shenzhen-mini,published\n"
    "sea-mini,seattle,Seattle story,,,,,draft\n"
)
CHAPTERS = (
    "story_id,position,title,title_zh,text,text_zh,landmark_id,lat,lon,zoom,image,image_alt,image_alt_zh\n"
    "sz-mini,1,The hill,山丘,A hill.,一座山。,lianhuashan-park,,,16,,,\n"
    "sz-mini,2,The bay,海湾,=1+1 is no formula,,,22.5,113.95,12,stories/bay.webp,The bay at dusk,黄昏的海湾\n"
    "sea-mini,1,The needle,,,,space-needle,,,,,,\n"
)


def with_stories(folder: Path, stories: str = STORIES, chapters: str = CHAPTERS) -> Path:
    (folder / "stories.csv").write_text(stories, encoding="utf-8")
    (folder / "story_chapters.csv").write_text(chapters, encoding="utf-8")
    return folder


def set_city_cells(folder: Path, city_id: str, **cells: str) -> None:
    path = folder / "cities.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    names = list(rows[0])
    names += [c.name for c in seed.SPEC_BY_NAME["cities.csv"].columns if c.name not in names]
    for row in rows:
        if row["id"] == city_id:
            row.update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, names, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# --- validation ---------------------------------------------------------------------------------


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(seed.ValidationError) as caught:
        seed.load_dir(folder)
    return [str(p) for p in caught.value.problems]


def test_stories_and_chapters_load_with_their_places(mini_dir: Path) -> None:
    data = seed.load_dir(with_stories(mini_dir))
    assert [s.id for s in data.stories] == ["sz-mini", "sea-mini"]
    chapters = cityaccounts.chapters_of(data.chapters, "sz-mini")
    assert [(c.position, c.landmark_id, c.lat, c.zoom) for c in chapters] == [
        (1, "lianhuashan-park", None, 16),
        (2, "", 22.5, 12),
    ]
    city = next(c for c in data.cities if c.id == "shenzhen")
    landmarks = {lm.id: lm for lm in data.landmarks}
    hill = cityaccounts.chapter_place(chapters[0], landmarks, city)
    assert (hill.lat, hill.lon, hill.zoom, hill.landmark_id) == (
        landmarks["lianhuashan-park"].lat,
        landmarks["lianhuashan-park"].lon,
        16,
        "lianhuashan-park",
    )
    assert cityaccounts.chapter_place(chapters[1], landmarks, city) == cityaccounts.Place(22.5, 113.95, 12)


SHENZHEN_TO_SEATTLE_KM = float(haversine_km(22.5431, 114.0579, 47.6, -122.3))  # the mini city's centre
BAD_STORIES = [
    (
        "id,city_id,title,itinerary_id,status\nx,atlantis,X,,published\ny,shenzhen,Y,seattle-mini,published\n",
        "story_id,position,title,landmark_id,lat,lon,image\n"
        "y,1,One,space-needle,,,\n"
        "y,1,Again,,22.5,,\n"
        "y,3,Far,,47.6,-122.3,\n"
        "nope,1,Lost,,,,\n"
        "y,4,Picture,lianhuashan-park,,,../etc/passwd.png\n",
        [
            "stories.csv:2: city_id: unknown city 'atlantis'",
            "stories.csv:3: itinerary_id: itinerary 'seattle-mini' is in 'seattle', not in the story's city 'shenzhen'",
            "story_chapters.csv:2: landmark_id: landmark 'space-needle' is in 'seattle', not in the story's city 'shenzhen'",
            "story_chapters.csv:3: landmark_id: a chapter needs a place: a landmark_id, or lat and lon",
            "story_chapters.csv:3: position: chapter 1 of 'y' is taken (line 2)",
            f"story_chapters.csv:4: lat: (47.6, -122.3) is {SHENZHEN_TO_SEATTLE_KM:,.0f} km from Shenzhen: "
            "lat and lon swapped or mistyped?",
            "story_chapters.csv:5: story_id: unknown story 'nope'",
            "story_chapters.csv:6: image: '../etc/passwd.png' is not an image the app serves "
            "(a lowercase path under static/, .png, .jpg, .webp or .svg)",
            "story_chapters.csv:6: position: chapters of 'y' are [1, 3, 4]; expected 1 to 3 without gaps",
        ],
    ),
]


@pytest.mark.parametrize(("stories", "chapters", "expected"), BAD_STORIES)
def test_bad_stories_report_every_problem_by_file_line_and_column(
    mini_dir: Path, stories: str, chapters: str, expected: list[str]
) -> None:
    assert sorted(problems_of(with_stories(mini_dir, stories, chapters))) == sorted(expected)


BAD_CITY_CELLS = [
    ({"facts": "a;b", "facts_zh": "甲", "fact_sources": "s1;s2"}, "facts_zh: 1 Chinese facts for 2 facts"),
    ({"facts": "a;b", "fact_sources": "s1"}, "fact_sources: 1 sources for 2 facts"),
    ({"partnership": "twin"}, "partnership: 'twin' is not one of home, sister-city"),
    ({"partner_since": "1850"}, "partner_since: 1850 is out of range (1900 to 2100)"),
    ({"joined": "2018-13"}, "joined: '2018-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ({"joined": "2018-02-30"}, "joined: '2018-02-30' is not a date"),
    ({"join_order": "1", "partnership": "home"}, "join_order: place 1 in the join order is taken (line 2)"),
    ({"partnership": "home"}, "partnership: only one city is the platform's home (line 2)"),
]


@pytest.mark.parametrize(("cells", "expected"), BAD_CITY_CELLS)
def test_bad_city_account_cells_are_reported_on_their_line(
    mini_dir: Path, cells: dict[str, str], expected: str
) -> None:
    set_city_cells(mini_dir, "shenzhen", join_order="1", partnership="home")
    set_city_cells(mini_dir, "seattle", **cells)
    found = problems_of(mini_dir)
    assert [p for p in found if p.startswith("cities.csv:3: ")] == [p for p in found]
    assert any(p.startswith(f"cities.csv:3: {expected}") for p in found), found


def test_city_facts_read_in_either_language_with_their_sources(mini_dir: Path) -> None:
    set_city_cells(mini_dir, "seattle", facts="Big; Wet ", facts_zh="大;湿", fact_sources="A;B")
    city = next(c for c in seed.load_dir(mini_dir).cities if c.id == "seattle")
    assert city.facts == "Big;Wet"  # normalised once, as the files and the database keep it
    assert cityaccounts.city_facts(city, "zh") == [cityaccounts.Fact("大", "A"), cityaccounts.Fact("湿", "B")]
    assert cityaccounts.city_facts(replace(city, facts_zh=""), "zh")[0] == cityaccounts.Fact("Big", "A")


def test_problem_messages_exist_in_chinese(mini_dir: Path) -> None:
    stories = "id,city_id,title\nx,atlantis,X\n"
    with pytest.raises(seed.ValidationError) as caught:
        seed.load_dir(with_stories(mini_dir, stories, "story_id,position,title\nx,1,A\n"))
    report = caught.value.report("zh")
    assert "未知的城市 'atlantis'" in report
    assert "每一章都需要地点" in report


# --- the shipped content -------------------------------------------------------------------------


def test_every_shipped_city_account_has_a_profile_a_place_and_a_published_story() -> None:
    data = seed.load_dir(DATA)
    ordered = cityaccounts.join_order(data.cities)
    assert [c.join_order for c in ordered] == list(range(1, len(data.cities) + 1))
    assert ordered[0].id == "shenzhen" and ordered[0].partnership == "home"
    assert ordered[-1].id == "the-hague" and ordered[-1].joined == "2018-12-03"
    for city in data.cities:
        facts = cityaccounts.city_facts(city, "en")
        assert city.portrait and city.portrait_zh and facts, city.id
        assert all(f.source for f in facts), city.id
        assert len(cityaccounts.city_facts(city, "zh")) == len(facts)
        stories = cityaccounts.published_stories(data.stories, city.id)
        assert stories, city.id
        for story in stories:
            assert len(cityaccounts.chapters_of(data.chapters, story.id)) >= 3
    shenzhen = {c.landmark_id for c in data.chapters if c.story_id == "shenzhen-speed"}
    assert {
        "shenzhen-guomao-building",
        "huaqiang-north",
        "shenzhen-civic-center",
        "qianhai-exhibition-hall",
    } <= shenzhen
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for city in data.cities:
        for fact in cityaccounts.city_facts(city, "en"):
            assert fact.source in sources, (city.id, fact.source)


# --- the database ---------------------------------------------------------------------------------


@pytest.fixture
def db(mini_db_url: str) -> Iterator[store.Store]:
    s = store.open_store(mini_db_url)
    yield s
    s.engine.dispose()


def seeded(db: store.Store, folder: Path) -> Dataset:
    data = seed.load_dir(with_stories(folder))
    set_city_cells(
        folder,
        "shenzhen",
        portrait="City of makers",
        facts="17.56 million residents",
        fact_sources="Census 2020",
    )
    data = seed.load_dir(folder)
    db.replace_all(data)
    return data


def test_the_store_keeps_stories_chapters_and_profiles(db: store.Store, mini_dir: Path) -> None:
    data = seeded(db, mini_dir)
    back = db.dataset()
    assert sorted(back.stories, key=lambda s: s.id) == sorted(data.stories, key=lambda s: s.id)
    assert sorted(back.chapters, key=lambda c: (c.story_id, c.position)) == sorted(
        data.chapters, key=lambda c: (c.story_id, c.position)
    )
    assert sorted(back.cities, key=lambda c: c.id) == sorted(data.cities, key=lambda c: c.id)


def test_export_and_import_carry_stories_byte_identical(db: store.Store, mini_dir: Path) -> None:
    seeded(db, mini_dir)
    first = transfer.export_zip(db, "shenzhen")
    files = transfer.export_files(db, "shenzhen")
    assert files["stories.csv"].decode("utf-8-sig").splitlines()[1:] == [
        "sz-mini,shenzhen,Mini story,迷你故事,Two places.,两个地方。,shenzhen-mini,published"
    ]
    chapters = files["story_chapters.csv"].decode("utf-8-sig").splitlines()
    assert chapters[2].startswith("sz-mini,2,The bay,海湾,'=1+1 is no formula,")  # guarded
    plan = transfer.preview(db, transfer.read_upload("shenzhen.zip", first), EDDIE)
    assert plan.ok and not plan.rows, plan.report()

    db.replace_all(Dataset((), (), (), (), ()))
    plan = transfer.preview(db, transfer.read_upload("shenzhen.zip", first), ADA)
    assert plan.ok, plan.report()
    assert plan.counts()["story"] == (1, 0, 0)
    transfer.apply(db, plan, ADA)
    assert transfer.export_zip(db, "shenzhen") == first
    assert [c.action for c in StoryDesk(db).history("sz-mini")] == ["import"]


def test_an_editor_may_not_import_another_citys_story(db: store.Store, mini_dir: Path) -> None:
    seeded(db, mini_dir)
    upload = {
        "stories.csv": b"id,city_id,title,status\nsea-mini,seattle,Changed,draft\n",
    }
    plan = transfer.preview(db, upload, EDDIE)
    assert [str(p) for p in plan.problems] == ["stories.csv:2: city_id: eddie may not import into 'seattle'"]
    plan = transfer.preview(db, upload, SAM)
    assert plan.ok and [r.id for r in plan.stories.changed] == ["sea-mini"]


def test_the_shipped_stories_round_trip_for_every_city(sqlite_url: str) -> None:
    db = store.open_store(sqlite_url)
    db.replace_all(seed.load_dir(DATA))
    for city in db.dataset().cities:
        first = transfer.export_zip(db, city.id)
        plan = transfer.preview(db, transfer.read_upload("x.zip", first), ADA)
        assert plan.ok and not plan.rows, (city.id, plan.report())
    db.engine.dispose()


# --- curation: history, restore, permissions -------------------------------------------------------


def rows_for(
    db: store.Store,
) -> tuple[dict[str, object], dict[str, dict[str, object]], dict[str, dict[str, object]]]:
    data = db.dataset()
    city = next(asdict(c) for c in data.cities if c.id == "shenzhen")
    return city, {i.id: asdict(i) for i in data.itineraries}, {lm.id: asdict(lm) for lm in data.landmarks}


def test_story_edits_are_recorded_and_any_version_restores(db: store.Store, mini_dir: Path) -> None:
    seeded(db, mini_dir)
    clock = iter(datetime(2026, 12, 1, 10, m, tzinfo=UTC) for m in range(10))
    desk = StoryDesk(db, clock=lambda: next(clock))
    story, chapters, version = desk.story("sz-mini")
    city, itineraries, landmarks = rows_for(db)
    fields = {**asdict(story), "title": "Renamed"}
    form = [{**asdict(c), "lat": c.lat or "", "lon": c.lon or "", "zoom": c.zoom or ""} for c in chapters[:1]]
    edited, kept = parse_story(fields, form, city=city, itineraries=itineraries, landmarks=landmarks)
    assert desk.save(EDDIE, edited, kept, base_version=version) == version + 1
    now = desk.story("sz-mini")
    assert now[0].title == "Renamed" and len(now[1]) == 1
    history = desk.history("sz-mini")
    assert [(c.version, c.action, c.username) for c in history] == [(2, "edit", "eddie")]
    assert history[0].before == story_snapshot(story, chapters)

    with pytest.raises(curation.Conflict):
        desk.save(EDDIE, edited, kept, base_version=version)  # based on the old version
    desk.save(ADA, replace(edited, title="Third"), kept, base_version=2)
    assert desk.restore(EDDIE, "sz-mini", 2, base_version=3) == 4
    assert desk.story("sz-mini")[0].title == "Renamed"
    assert desk.history("sz-mini")[0].action == "restore"


def test_editors_edit_stories_of_their_own_cities_only(db: store.Store, mini_dir: Path) -> None:
    seeded(db, mini_dir)
    desk = StoryDesk(db)
    story, chapters, version = desk.story("sea-mini")
    with pytest.raises(Refused):
        desk.save(EDDIE, replace(story, title="Mine now"), chapters, base_version=version)
    assert desk.save(SAM, replace(story, title="Ours"), chapters, base_version=version) == version + 1
    moved = replace(story, city_id="shenzhen")
    with pytest.raises(Refused):
        desk.save(ADA, moved, chapters, base_version=version + 1)  # ids never move to another city


def test_a_story_form_reports_each_chapters_problems(db: store.Store, mini_dir: Path) -> None:
    seeded(db, mini_dir)
    city, itineraries, landmarks = rows_for(db)
    with pytest.raises(curation.FieldErrors) as caught:
        parse_story(
            {"id": "new", "title": "", "status": "published", "itinerary_id": "seattle-mini"},
            [{"title": "No place"}, {"title": "Other city", "landmark_id": "space-needle"}],
            city=city,
            itineraries=itineraries,
            landmarks=landmarks,
        )
    assert sorted(caught.value.errors) == [
        "chapters.1.landmark_id",
        "chapters.2.landmark_id",
        "itinerary_id",
        "title",
    ]
    assert "每一章都需要地点" in caught.value.texts("zh")["chapters.1.landmark_id"]


def test_a_city_profile_edit_is_in_the_citys_history(db: store.Store, mini_dir: Path) -> None:
    seeded(db, mini_dir)
    curator = curation.Curator(db)
    base = curator.city("seattle")
    changed = replace(
        base, portrait="The Emerald City", facts="737,015 residents", fact_sources="Census 2020"
    )
    curator.save_city(ADA, changed, base=base)
    assert curator.city("seattle") == changed
    change = curator.history(curation.CITY, "seattle")[0]  # the newest first
    assert change.after["portrait"] == "The Emerald City" and change.before["portrait"] == ""


# --- migration ------------------------------------------------------------------------------------


def test_revision_0005_adds_the_accounts_and_drops_them_again(new_db_url: str) -> None:
    from tests.unit.test_migrations import engine_for, migrate

    migrate(new_db_url, "upgrade", "0004")
    engine = engine_for(new_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO cities (id, name, name_zh, country, lat, lon, zoom, timezone) "
                    "VALUES ('x', 'X', '', '', 1.0, 2.0, 12, 'UTC')"
                )
            )
    finally:
        engine.dispose()
    migrate(new_db_url, "upgrade", "0005")
    engine = engine_for(new_db_url)
    try:  # read as 0005 left it (the model reads the newest revision's tables)
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT partnership, facts, join_order FROM cities")).one()
    finally:
        engine.dispose()
    assert tuple(row) == ("platform", "", None)
    migrate(new_db_url, "downgrade", "0004")
    engine = engine_for(new_db_url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert not inspector.has_table("stories") and not inspector.has_table("story_chapters")
            assert "portrait" not in {c["name"] for c in inspector.get_columns("cities")}
            assert conn.execute(sa.text("SELECT count(*) FROM cities")).scalar() == 1
    finally:
        engine.dispose()


def test_stories_are_content_the_seed_replaces(tmp_path: Path, sqlite_url: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    db = store.open_store(sqlite_url)
    assert store.ensure_seeded(db, folder) == "seeded"
    assert len(db.dataset().stories) == len(seed.load_dir(folder).stories)
    db.engine.dispose()


# --- the network ------------------------------------------------------------------------------------


def test_a_great_circle_runs_from_one_city_to_the_other_across_the_antimeridian() -> None:
    from itinerary.geodesy import great_circle

    points = great_circle(22.543, 114.058, 47.6062, -122.3321, steps=32)
    assert len(points) == 33
    assert points[0] == pytest.approx((22.543, 114.058))
    assert points[-1][0] == pytest.approx(47.6062) and points[-1][1] == pytest.approx(-122.3321 + 360)
    steps = [abs(b[1] - a[1]) for a, b in itertools.pairwise(points)]
    assert max(steps) < 10  # no jump back round the world
    legs = [float(haversine_km(*a, *b)) for a, b in itertools.pairwise(points)]
    assert sum(legs) == pytest.approx(float(haversine_km(22.543, 114.058, 47.6062, -122.3321)), rel=1e-3)
    assert max(lat for lat, _ in points) > 47.6062  # a great circle bows towards the pole


def test_the_network_has_an_arc_for_every_partner_city_styled_by_its_kind() -> None:
    from itinerary import network

    data = seed.load_dir(DATA)
    found = network.arcs(data.cities)
    home = network.home_city(data.cities)
    assert home is not None and home.id == "shenzhen"
    assert [a.city_id for a in found] == [c.id for c in cityaccounts.join_order(data.cities)][1:]
    assert {a.kind for a in found} <= set(network.ARC_STYLES)
    by_city = {a.city_id: a for a in found}
    assert by_city["brisbane"].kind == "sister-city"
    end = by_city["seattle"].end
    assert network.city_at(found, home, *end) == "seattle"
    assert network.city_at(found, home, home.lat, home.lon) == "shenzhen"
    assert network.city_at(found, home, 0.0, 0.0) is None
    import folium

    fmap = folium.Map(location=(25, 90), zoom_start=2, tiles=None)
    network.arc_group(found, home, {"seattle": "<b>Seattle</b>"}, {"seattle": "8"}).add_to(fmap)
    html = fmap.get_root().render()
    assert "&lt;b&gt;Seattle&lt;/b&gt;" in html and "<b>Seattle</b>" not in html


def test_editors_change_the_profile_of_their_own_city_only(db: store.Store, mini_dir: Path) -> None:
    from itinerary.curation.stories import parse_profile, save_profile

    seeded(db, mini_dir)
    curator = curation.Curator(db)
    base = curator.city("seattle")
    others = [c for c in db.dataset().cities if c.id != "seattle"]
    changed = parse_profile(
        base,
        {
            "portrait": "Emerald City",
            "facts": "737,015 residents\nAmazon's home",
            "fact_sources": "Census\nWiki",
        },
        others=others,
    )
    assert changed.facts == "737,015 residents;Amazon's home"
    with pytest.raises(Refused):
        save_profile(db, EDDIE, changed, base=base)  # an editor of Shenzhen
    assert save_profile(db, SAM, changed, base=base) == 2
    assert curator.city("seattle").portrait == "Emerald City"
    assert curator.history(curation.CITY, "seattle")[0].username == "sam"
    with pytest.raises(Refused):  # the names and the centre stay the administrators'
        save_profile(db, SAM, replace(changed, name="Emerald"), base=changed)
    with pytest.raises(curation.Conflict):  # based on the version before sam's save
        save_profile(db, SAM, replace(base, portrait="Other"), base=base)


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"facts": "a\nb", "fact_sources": "s"}, "fact_sources", "1 sources for 2 facts"),
        ({"join_order": "1"}, "join_order", "place 1 in the join order is Shenzhen's"),
        ({"joined": "soon"}, "joined", "'soon' is not a date"),
        ({"partnership": "rival"}, "partnership", "'rival' is not one of"),
    ],
)
def test_a_profile_form_reports_its_field(
    db: store.Store, mini_dir: Path, fields: dict[str, str], field: str, text: str
) -> None:
    from itinerary.curation.stories import parse_profile

    seeded(db, mini_dir)
    cities = {c.id: c for c in db.dataset().cities}
    shenzhen = replace(cities["shenzhen"], join_order=1)
    with pytest.raises(curation.FieldErrors) as caught:
        parse_profile(cities["seattle"], {"partnership": "platform", **fields}, others=[shenzhen])
    assert list(caught.value.errors) == [field]
    assert text in caught.value.errors[field]
