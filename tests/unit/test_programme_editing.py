"""Staff edits of programmes on SQLite and PostgreSQL: validation, warnings before publishing and
publishing over them (recorded), conflicts, history and restore, who may see and edit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from itinerary import store
from itinerary.curation.records import Conflict
from itinerary.permissions import Account, Refused
from itinerary.programmes import editing, files, repo
from itinerary.programmes.records import Full
from itinerary.validation import ValidationError
from tests.conftest import DATA, copied_db_url
from tests.unit.test_programmes import HOTEL, item, programme

HAGUE_EDITOR = Account("hana", "editor", frozenset({"the-hague"}))
SHENZHEN_EDITOR = Account("shen", "editor", frozenset({"shenzhen"}))
CLOCK = lambda: datetime(2026, 3, 1, 9, tzinfo=UTC)  # noqa: E731


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> store.Store:
    return store.open_store(copied_db_url(request, request.param, DATA))


def two_days(status: str = "draft") -> Full:
    """A two-day delegation with a private venue; the Peace Palace is closed on Mondays."""
    return Full(
        programme(start_date="2026-03-22", end_date="2026-03-23", status=status),
        (HOTEL,),
        (
            item(1, "2026-03-22", "09:00", "10:00", venue="hotel"),
            item(2, "2026-03-22", "10:30", "12:00", landmark="mauritshuis"),
            item(3, "2026-03-23", "10:00", "11:00", landmark="peace-palace"),
        ),
    )


def test_publishing_shows_every_warning_then_records_publishing_over_them(db: store.Store) -> None:
    assert editing.save(db, HAGUE_EDITOR, two_days(), base_version=None, clock=CLOCK) == 1
    published = editing.with_status(two_days(), "published")
    with pytest.raises(editing.Unaccepted) as caught:
        editing.save(db, HAGUE_EDITOR, published, base_version=1, clock=CLOCK)
    assert [w.code for w in caught.value.warnings] == ["closed_that_day"]
    assert repo.load(db, "test-visit").programme.status == "draft"  # nothing written
    assert editing.save(db, HAGUE_EDITOR, published, base_version=1, accept_warnings=True, clock=CLOCK) == 2
    newest = editing.history(db, "test-visit")[0]
    assert newest[0] == 2 and newest[2] == "hana"
    assert newest[4]["published_over"] == [caught.value.warnings[0].text("en")]
    assert "published_over" not in editing.history(db, "test-visit")[1][4]


def test_a_save_is_validated_by_the_files_rules(db: store.Store) -> None:
    bad = replace(
        two_days(), items=(*two_days().items, item(4, "2026-03-29", "02:30", "02:00", venue="attic"))
    )
    with pytest.raises(ValidationError) as caught:
        editing.save(db, HAGUE_EDITOR, bad, base_version=None, clock=CLOCK)
    codes = {p.code for p in caught.value.problems}
    assert {
        "prog_day_outside",
        "prog_unknown_venue",
        "prog_item_ends_before_start",
        "prog_time_skipped",
    } <= codes
    assert all(p.file == files.ITEMS for p in caught.value.problems)
    assert repo.load(db, "test-visit") is None


def test_conflicting_save_is_refused_and_restore_brings_a_version_back(db: store.Store) -> None:
    editing.save(db, HAGUE_EDITOR, two_days(), base_version=None, clock=CLOCK)
    retitled = replace(two_days(), programme=replace(two_days().programme, title="Second title"))
    assert editing.save(db, HAGUE_EDITOR, retitled, base_version=1, clock=CLOCK) == 2
    with pytest.raises(Conflict) as caught:
        editing.save(db, HAGUE_EDITOR, two_days(), base_version=1, clock=CLOCK)
    assert caught.value.current_version == 2 and "title" in caught.value.text("en")
    assert "日程" in caught.value.text("zh")
    assert editing.restore(db, HAGUE_EDITOR, "test-visit", version=1, base_version=2, clock=CLOCK) == 3
    assert repo.load(db, "test-visit").programme.title == "Test visit"
    assert editing.history(db, "test-visit")[0][1] == "restore"


def test_only_the_citys_staff_see_and_edit_its_programmes(db: store.Store) -> None:
    with pytest.raises(Refused):
        editing.save(db, SHENZHEN_EDITOR, two_days(), base_version=None, clock=CLOCK)
    editing.save(db, HAGUE_EDITOR, two_days(), base_version=None, clock=CLOCK)
    assert [p.id for p in editing.visible_to(db, HAGUE_EDITOR, "the-hague").programmes] == ["test-visit"]
    assert editing.visible_to(db, SHENZHEN_EDITOR, "the-hague").programmes == ()
    assert editing.visible_to(db, None, "the-hague").programmes == ()


def test_the_shipped_programmes_pass_their_checks(db: store.Store) -> None:
    for pid in ("qianhai-diplomats-2023", "the-hague-city-promotion-2018"):
        full = repo.load(db, pid)
        assert full is not None and full.programme.status == "published"
        assert editing.warnings_of(db, full) == []
    assert any(
        v.programme_id == "qianhai-diplomats-2023" for v in repo.load(db, "qianhai-diplomats-2023").venues
    )


def test_export_import_round_trip_is_byte_identical_and_imports_are_history(db: store.Store) -> None:
    admin = Account("ada", "admin")
    exported = files.write_files(repo.programmes_of(db, "shenzhen"))
    assert editing.import_files(db, admin, exported, city_id="shenzhen") == []  # unchanged: nothing saved
    assert files.write_files(repo.programmes_of(db, "shenzhen")) == exported

    changed = replace(repo.programmes_of(db, "shenzhen"))
    first = changed.programmes[0]
    changed = replace(changed, programmes=(replace(first, title="Renamed"), *changed.programmes[1:]))
    assert editing.import_files(db, admin, files.write_files(changed), city_id="shenzhen") == [first.id]
    assert editing.history(db, first.id)[0][1] == "import"
    again = files.write_files(repo.programmes_of(db, "shenzhen"))
    assert again == files.write_files(changed)
    with pytest.raises(Refused):
        editing.import_files(db, HAGUE_EDITOR, again, city_id="the-hague")  # the files name another city
    with pytest.raises(Refused):
        editing.import_files(db, HAGUE_EDITOR, again, city_id="shenzhen")


def test_an_upload_is_the_three_files_or_a_zip_of_them(db: store.Store) -> None:
    import io
    import zipfile

    exported = files.write_files(repo.programmes_of(db, "shenzhen"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, raw in exported.items():
            archive.writestr(f"export/{name}", raw)
    assert files.read_upload({"programmes-shenzhen.zip": out.getvalue()}) == exported
    assert files.read_upload(dict(exported)) == exported
    with pytest.raises(ValidationError) as caught:
        files.read_upload({"landmarks.csv": b"id\n", "notes.txt": b"x"})
    assert [p.code for p in caught.value.problems] == ["not_a_contract_file", "not_a_contract_file"]


def test_a_zip_bomb_is_read_no_further_than_the_limit() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("programmes.csv", b"0" * (files.MAX_UPLOAD_BYTES + 10))
    assert len(out.getvalue()) < files.MAX_UPLOAD_BYTES // 100  # small as it arrives
    with pytest.raises(ValidationError) as caught:
        files.read_upload({"bomb.zip": out.getvalue()})
    assert [p.code for p in caught.value.problems] == ["zip_unpacked_too_large"]
