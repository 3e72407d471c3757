"""How often a Catalog asks the database for the data version (bench.load's profile found
seven queries per page run): once per run when forced, again after this process's own write,
and otherwise at most every ``CHECK_EVERY`` seconds; edits in another process show on the next
forced look."""

from __future__ import annotations

from dataclasses import replace

import pytest

from itinerary import catalog as cat
from itinerary import curation, store
from itinerary.accounts import ADMIN, Account

ADA = Account("ada", ADMIN)


class Counting(store.Store):
    asked = 0

    def data_version(self) -> int:
        self.asked += 1
        return super().data_version()


def test_a_page_run_asks_once_and_sees_its_own_process_write_at_once(
    mini_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cat, "CHECK_EVERY", 3600.0)  # no look because of time in this test
    db = Counting(mini_db_url)
    catalog = cat.Catalog(db)
    catalog.refresh(force=True)
    city = str(catalog.cities().iloc[0]["id"])
    landmark = str(catalog.landmarks(city).index[0])
    asked = db.asked
    for _ in range(7):  # the reads of one run
        catalog.landmarks(city), catalog.themes(), catalog.cities()
    assert db.asked == asked

    curator = curation.Curator(db)  # a save in this process (the same Store): seen on the next read
    lm, version = curator.landmark(landmark)
    curator.save_landmark(ADA, replace(lm, name="Renamed here"), base_version=version)
    assert catalog.landmarks(city).loc[landmark, "name"] == "Renamed here"
    assert db.asked == asked + 1


def test_another_process_edit_shows_on_the_next_forced_look_or_after_check_every(
    mini_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cat, "CHECK_EVERY", 3600.0)
    catalog = cat.Catalog(store.open_store(mini_db_url))
    city = str(catalog.cities().iloc[0]["id"])
    landmark = str(catalog.landmarks(city).index[0])
    other = curation.Curator(store.open_store(mini_db_url))  # another process's Store
    lm, version = other.landmark(landmark)
    other.save_landmark(ADA, replace(lm, name="Renamed there"), base_version=version)
    assert catalog.landmarks(city).loc[landmark, "name"] != "Renamed there"  # within the run
    catalog.refresh(force=True)  # the next page run
    assert catalog.landmarks(city).loc[landmark, "name"] == "Renamed there"

    lm, version = other.landmark(landmark)
    other.save_landmark(ADA, replace(lm, name="Renamed again"), base_version=version)
    monkeypatch.setattr(cat, "CHECK_EVERY", 0.0)  # a long run (a kiosk's fragment): time is up
    assert catalog.landmarks(city).loc[landmark, "name"] == "Renamed again"
