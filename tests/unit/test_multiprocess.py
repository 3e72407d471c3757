"""Several app processes on one database: an edit saved in one shows in the others' catalogs.

Process A saves a landmark through ``curation.Curator``; process B, a visitor-side ``Catalog``
that was warm before the edit, polls and must show it within 5 s of the save.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from itinerary import store
from tests.conftest import ROOT

LANDMARK = "oct-loft"
NEW_NAME = "OCT Loft (renamed in process A)"

# Process B: a long-lived reader. Polls its catalog from the start; once told that the save is
# done, gives it 5 s to show up.
VISITOR = """
import select, sys, time
from itinerary import store
from itinerary.catalog import Catalog

url, landmark, wanted = sys.argv[1:4]
catalog = Catalog(store.open_store(url))
name = catalog.landmarks("shenzhen").loc[landmark, "name"]  # cached for this data version
print("ready", catalog.version, name, sep="|", flush=True)
deadline = None
while True:
    name = catalog.landmarks("shenzhen").loc[landmark, "name"]
    if name == wanted:
        print("seen", catalog.version, sep="|", flush=True)
        break
    if deadline is not None and time.monotonic() > deadline:
        print("not seen", catalog.version, name, sep="|", flush=True)
        break
    if deadline is None and select.select([sys.stdin], [], [], 0)[0]:
        sys.stdin.readline()  # process A has saved
        deadline = time.monotonic() + 5
    time.sleep(0.05)
"""

# Process A: a member of staff saving an edit.
CURATOR = """
import sys
from dataclasses import replace
from itinerary import curation, store
from itinerary.accounts import ADMIN, Account

url, landmark, name = sys.argv[1:4]
curator = curation.Curator(store.open_store(url))
lm, version = curator.landmark(landmark)
print(curator.save_landmark(Account("ada", ADMIN), replace(lm, name=name), base_version=version))
"""


def test_an_edit_in_one_process_shows_in_another_within_5_s(db_url: str, mini_dir: Path) -> None:
    db = store.open_store(db_url)
    store.ensure_seeded(db, mini_dir)
    version = db.data_version()

    visitor = subprocess.Popen(
        [sys.executable, "-c", VISITOR, db_url, LANDMARK, NEW_NAME],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert visitor.stdout is not None and visitor.stdin is not None
        ready = visitor.stdout.readline().strip()
        assert ready == f"ready|{version}|OCT Loft", ready or visitor.communicate(timeout=30)[1]

        saved = subprocess.run(
            [sys.executable, "-c", CURATOR, db_url, LANDMARK, NEW_NAME],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert saved.returncode == 0, saved.stderr
        assert saved.stdout.strip() == "2"  # the landmark's second version

        try:
            visitor.stdin.write("saved\n")
            visitor.stdin.flush()
        except BrokenPipeError:
            pass  # process B polls all along: it saw the edit, and ended, before being told
        out, err = visitor.communicate(timeout=60)
    finally:
        if visitor.poll() is None:
            visitor.kill()
            visitor.wait()
    assert visitor.returncode == 0, err
    assert out.strip() == f"seen|{version + 1}", (
        f"process B's catalog did not show the edit saved by process A within 5 s: {out.strip()!r}"
    )
    assert db.data_version() == version + 1
