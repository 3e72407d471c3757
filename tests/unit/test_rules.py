"""The content rules (itinerary/rules.py), and the editor and the importer agreeing on every case.

Each case of ``CASES`` is one change to the mini data set, run twice on a fresh database: through
the editor's writers (``Curator.save_landmark`` / ``save_itinerary``) and through an import of
the changed records as data-contract CSV files (``transfer.preview`` then ``apply``). Both must
allow it, or both refuse it with the same rule problems (codes and values); a refusal changes
nothing. Every database test runs on SQLite and on PostgreSQL (``db_url``).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from itinerary import curation as cu
from itinerary import rules, seed, transfer
from itinerary import store as storage
from itinerary.accounts import ADMIN, ALL_CITIES, Account
from itinerary.i18n import STRINGS
from itinerary.models import Itinerary, Landmark, Stop
from itinerary.settings import utc_now
from itinerary.transfer.export import _csv_bytes

ADA = Account("ada", ADMIN, frozenset({ALL_CITIES}))

Record = Landmark | tuple[Itinerary, list[Stop]]
Outcome = list[tuple[str, tuple[tuple[str, Any], ...]]] | None  # None: allowed


@pytest.fixture
def db(db_url: str, mini_dir: Path) -> Iterator[storage.Store]:
    store = storage.open_store(db_url)
    assert storage.ensure_seeded(store, mini_dir) == "seeded"
    yield store
    store.engine.dispose()


# --- the rules on their own --------------------------------------------------------------------

SZ = rules.LandmarkState("shenzhen", "published")


@pytest.mark.parametrize(
    ("status", "stops", "form", "expected"),
    [
        ("published", [("a", SZ)], False, {}),
        ("published", [], False, {0: "stops_none"}),
        ("draft", [], False, {}),
        ("draft", [("a", None)], False, {1: "stop_missing"}),
        ("draft", [("a", rules.LandmarkState("seattle", "published"))], False, {1: "stop_other_city"}),
        ("published", [("a", SZ), ("b", replace(SZ, status="draft"))], False, {2: "stop_draft"}),
        ("draft", [("b", replace(SZ, status="draft"))], False, {}),
        ("published", [("c", replace(SZ, status="archived"))], False, {1: "stop_archived"}),
        ("draft", [("c", replace(SZ, status="archived"))], False, {}),  # a backup imports again
        ("draft", [("c", replace(SZ, status="archived"))], True, {1: "stop_archived"}),  # the form
    ],
)
def test_stop_rules(
    status: str, stops: list[tuple[str, rules.LandmarkState | None]], form: bool, expected: dict[int, str]
) -> None:
    found = rules.stop_problems("shenzhen", status, stops, form=form)
    assert {n: p.code for n, p in found.items()} == expected


def test_unpublish_and_status_rules() -> None:
    assert rules.unpublish_problem("published", ["x"]) is None
    assert rules.unpublish_problem("draft", []) is None
    problem = rules.unpublish_problem("archived", ["b", "a", "a"])
    assert problem == rules.Problem("in_use_archived", {"itineraries": "a, b"})
    assert problem.text("en") == "archived but used by published itineraries: a, b"
    assert problem.text("zh") == "已归档，但仍被已发布的行程使用：a, b"
    assert rules.published_users(
        "x", [("i", "published", ["x"]), ("j", "draft", ["x"]), ("k", "published", [])]
    ) == ["i"]
    assert all(rules.status_problem(a, b) is None for a, b in rules.ALLOWED_CHANGES)
    assert rules.status_problem("draft", "hidden") == rules.Problem(
        "status_unknown", {"status": "hidden", "known": "published, draft, archived"}
    )


def test_every_rule_code_has_both_languages_with_its_values() -> None:
    codes = [key for key in STRINGS if key.startswith("content.")]
    assert "content.stop_other_city" in codes
    for key in codes:
        en, zh = STRINGS[key]["en"], STRINGS[key]["zh"]
        assert {f for _, f, _, _ in string.Formatter().parse(en) if f} == {
            f for _, f, _, _ in string.Formatter().parse(zh) if f
        }, key


def test_the_other_city_text_is_the_data_files_own() -> None:
    """The seed's loader checks the same rule; the importer codes its problems by their text."""
    problems: list[seed.Problem] = []
    seed._check_stops(
        [(2, {"itinerary_id": "i", "landmark_id": "a", "position": 1})],
        {"i": {"id": "i", "city_id": "shenzhen"}},
        {"a": {"id": "a", "city_id": "seattle"}},
        problems,
    )
    rule = rules.stop_problems("shenzhen", "draft", [("a", rules.LandmarkState("seattle", "published"))])
    assert [p.message for p in problems] == [rule[1].text("en")]


# --- one table, two paths ------------------------------------------------------------------------


def _landmark(db: storage.Store, landmark_id: str, **changes: Any) -> Landmark:
    return replace(cu.Curator(db).landmark(landmark_id)[0], **changes)


def _itinerary(
    db: storage.Store, itinerary_id: str, stops: list[str] | None = None, **changes: Any
) -> Record:
    it, stored, _ = cu.Curator(db).itinerary(itinerary_id)
    it = replace(it, **changes)
    if stops is None:
        return it, stored
    return it, [Stop(it.id, n, lid, None, "", "") for n, lid in enumerate(stops, start=1)]


def _new_itinerary(stops: list[str], **changes: Any) -> Record:
    it = Itinerary("bay-walk", "shenzhen", "Bay walk", "", "", "", "", "walk", "09:00", False, "published")
    it = replace(it, **changes)
    return it, [Stop(it.id, n, lid, None, "", "") for n, lid in enumerate(stops, start=1)]


def _set_itinerary_status(db: storage.Store, itinerary_id: str, status: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            sa.update(storage.itineraries)
            .where(storage.itineraries.c.id == itinerary_id)
            .values(status=status)
        )


def _set_status(db: storage.Store, landmark_id: str, status: str) -> None:
    """Set up a case: a landmark's status changed directly in the database."""
    with db.transaction() as conn:
        conn.execute(
            sa.update(storage.landmarks).where(storage.landmarks.c.id == landmark_id).values(status=status)
        )


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[storage.Store], Record]
    expected: list[str] | None  # the rule codes of the refusal; None: allowed
    setup: Callable[[storage.Store], None] = lambda db: None


MINI = ["lianhuashan-park", "ping-an-finance-center", "huaqiang-north"]  # shenzhen-mini's stops

CASES = [
    # defect: the editor's writer accepted another city's landmark as a stop
    Case(
        "published itinerary with a stop in another city",
        lambda db: _itinerary(db, "shenzhen-mini", [*MINI, "space-needle"]),
        ["stop_other_city"],
    ),
    Case(
        "draft itinerary with a stop in another city",
        lambda db: _itinerary(db, "shenzhen-hidden", ["space-needle"]),
        ["stop_other_city"],
    ),
    Case(
        "draft landmark in a published itinerary",
        lambda db: _itinerary(db, "shenzhen-mini", [*MINI, "shenzhen-museum-draft"]),
        ["stop_draft"],
    ),
    Case(
        "draft landmark in a draft itinerary",
        lambda db: _itinerary(db, "shenzhen-hidden", ["shenzhen-museum-draft"]),
        None,
    ),
    Case(
        "archived landmark in a published itinerary",
        lambda db: _itinerary(db, "shenzhen-mini", [*MINI, "dongmen-night-snacks"]),
        ["stop_archived"],
        setup=lambda db: _set_status(db, "dongmen-night-snacks", "archived"),
    ),
    Case(
        "archived landmark kept by a draft itinerary",
        lambda db: _itinerary(db, "shenzhen-hidden", ["dongmen-night-snacks"]),
        None,
        setup=lambda db: _set_status(db, "dongmen-night-snacks", "archived"),
    ),
    Case(
        "publishing an itinerary whose stop is a draft",
        lambda db: _itinerary(
            db, "shenzhen-hidden", ["oct-loft", "shenzhen-museum-draft"], status="published"
        ),
        ["stop_draft"],
    ),
    Case("new published itinerary without stops", lambda db: _new_itinerary([]), ["stops_none"]),
    Case("new draft itinerary without stops", lambda db: _new_itinerary([], status="draft"), None),
    Case("new published itinerary", lambda db: _new_itinerary(["oct-loft", "huaqiang-north"]), None),
    Case("unpublishing an itinerary", lambda db: _itinerary(db, "shenzhen-mini", status="draft"), None),
    # defect: the importer let a landmark of a published itinerary become a draft
    Case(
        "landmark of a published itinerary set to draft",
        lambda db: _landmark(db, "ping-an-finance-center", status="draft"),
        ["in_use_draft"],
    ),
    Case(
        "landmark of a published itinerary archived",
        lambda db: _landmark(db, "huaqiang-north", status="archived"),
        ["in_use_archived"],
    ),
    Case(
        "unused landmark archived",
        lambda db: _landmark(db, "dongmen-night-snacks", status="archived"),
        None,
    ),
    Case(
        "landmark of an archived itinerary archived",
        lambda db: _landmark(db, "huaqiang-north", status="archived"),
        None,
        setup=lambda db: _set_itinerary_status(db, "shenzhen-mini", "archived"),
    ),
    Case(
        "landmark of a published itinerary renamed",
        lambda db: _landmark(db, "ping-an-finance-center", name="Ping An Tower"),
        None,
    ),
]


def _outcome(problems: list[rules.Problem]) -> Outcome:
    return sorted((p.code, tuple(sorted(p.values.items()))) for p in problems)


def _through_the_editor(db: storage.Store, record: Record) -> Outcome:
    curator = cu.Curator(db)
    try:
        if isinstance(record, Landmark):
            version = curator.landmark(record.id)[1]
            curator.save_landmark(ADA, record, base_version=version)
        else:
            it, stops = record
            try:
                version: int | None = curator.itinerary(it.id)[2]
            except cu.NotFound:
                version = None
            curator.save_itinerary(ADA, it, stops, base_version=version)
    except cu.FieldErrors as refused:
        assert set(refused.problems) == set(refused.errors), refused.errors  # every reason is coded
        return _outcome(list(refused.problems.values()))
    return None


def _files(record: Record) -> dict[str, bytes]:
    """The changed records as an upload of data-contract files."""
    if isinstance(record, Landmark):
        return {"landmarks.csv": _csv_bytes("landmarks.csv", [record])}
    it, stops = record
    files = {"itineraries.csv": _csv_bytes("itineraries.csv", [it])}
    if stops:
        files["itinerary_stops.csv"] = _csv_bytes("itinerary_stops.csv", stops)
    return files


def _through_an_import(db: storage.Store, record: Record) -> Outcome:
    plan = transfer.preview(db, _files(record), ADA)
    if plan.ok:
        assert plan.rows, "the case changes nothing"
        transfer.apply(db, plan, ADA)
        return None
    assert set(plan.codes) == set(plan.problems), plan.report()  # every refusal is a rule's
    return _outcome(list(plan.codes.values()))


def _state(db: storage.Store) -> tuple[Any, ...]:
    return db.dataset(), db.data_version()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_editor_and_the_importer_agree(db: storage.Store, mini_dir: Path, case: Case) -> None:
    outcomes: dict[str, Outcome] = {}
    for path, run in (("editor", _through_the_editor), ("import", _through_an_import)):
        db.replace_all(seed.load_dir(mini_dir))  # each path starts from the same content
        case.setup(db)
        record = case.change(db)
        before = _state(db)
        outcomes[path] = run(db, record)
        if outcomes[path] is None:
            assert _state(db) != before, path
        else:
            assert _state(db) == before, path  # a refusal writes nothing
    assert outcomes["editor"] == outcomes["import"]  # allowed by both, or the same codes and values
    codes = None if outcomes["editor"] is None else [code for code, _ in outcomes["editor"]]
    assert codes == case.expected


# --- restore: an old version that breaks a rule today is refused, with the reason ---------------


def test_restoring_a_landmark_version_that_would_unpublish_a_used_stop_is_refused(db: storage.Store) -> None:
    curator = cu.Curator(db)
    oct_loft, _ = curator.landmark("oct-loft")
    curator.save_landmark(ADA, replace(oct_loft, status="draft"), base_version=1)  # version 2
    curator.save_landmark(ADA, oct_loft, base_version=2)  # version 3: published again
    it, stops, version = curator.itinerary("shenzhen-mini")
    curator.save_itinerary(ADA, it, [*stops, replace(stops[0], landmark_id="oct-loft")], base_version=version)
    before = _state(db)
    with pytest.raises(cu.FieldErrors) as refused:
        curator.restore(ADA, cu.LANDMARK, "oct-loft", 2, base_version=3)
    assert refused.value.problems == {
        "status": rules.Problem("in_use_draft", {"itineraries": "shenzhen-mini"})
    }
    assert refused.value.texts("zh") == {"status": "设为草稿，但仍被已发布的行程使用：shenzhen-mini"}
    assert _state(db) == before


def test_restoring_an_itinerary_version_whose_stop_is_a_draft_now_is_refused(db: storage.Store) -> None:
    curator = cu.Curator(db)
    it, stops, _ = curator.itinerary("shenzhen-mini")
    curator.save_itinerary(ADA, it, stops[:2], base_version=1)  # without huaqiang-north
    huaqiang, _ = curator.landmark("huaqiang-north")
    curator.save_landmark(ADA, replace(huaqiang, status="draft"), base_version=1)
    before = _state(db)
    with pytest.raises(cu.FieldErrors) as refused:
        curator.restore(ADA, cu.ITINERARY, "shenzhen-mini", 1, base_version=2)
    assert refused.value.errors == {
        "stops.3.landmark_id": "landmark 'huaqiang-north' is a draft: publish it first"
    }
    assert refused.value.problems["stops.3.landmark_id"].code == "stop_draft"
    assert _state(db) == before


def test_restoring_a_version_with_another_citys_stop_is_refused(db: storage.Store) -> None:
    """Such a version exists where the old writer saved one (shenzhen-food with binnenhof)."""
    curator = cu.Curator(db)
    it, stops, _ = curator.itinerary("shenzhen-mini")
    bad = [*stops, replace(stops[0], landmark_id="space-needle")]
    with db.transaction() as conn:  # what the old writer did: no rules
        cu.write_itinerary(
            conn, it, bad, base_version=1, username="old", action="edit", at=utc_now(), enforce=False
        )
    curator.save_itinerary(ADA, it, stops, base_version=2)  # fixed by hand: version 3
    before = _state(db)
    with pytest.raises(cu.FieldErrors) as refused:
        curator.restore(ADA, cu.ITINERARY, "shenzhen-mini", 2, base_version=3)
    assert refused.value.errors == {"stops.4.landmark_id": "no landmark 'space-needle' in this city"}
    assert _state(db) == before
    # and the writer itself refuses it, whoever calls it
    with pytest.raises(cu.FieldErrors) as refused, db.transaction() as conn:
        cu.write_itinerary(conn, it, bad, base_version=3, username="x", action="edit", at=utc_now())
    assert refused.value.problems["stops.4.landmark_id"].code == "stop_other_city"
    assert _state(db) == before


def test_a_landmark_unpublished_between_preview_and_apply_stops_the_import(db: storage.Store) -> None:
    """The importer checks the rules on what it wrote, before the commit: nothing is written."""
    it, stops = _new_itinerary(["oct-loft"])
    plan = transfer.preview(db, _files((it, stops)), ADA)
    assert plan.ok, plan.report()
    curator = cu.Curator(db)
    curator.save_landmark(ADA, replace(curator.landmark("oct-loft")[0], status="draft"), base_version=1)
    before = _state(db)
    with pytest.raises(transfer.RulesBroken) as broken:
        transfer.apply(db, plan, ADA)
    assert isinstance(broken.value, cu.Conflict)  # pages and the command line: preview again
    assert broken.value.problems == {
        "itinerary bay-walk: stops.1.landmark_id": rules.Problem("stop_draft", {"landmark_id": "oct-loft"})
    }
    assert _state(db) == before
