"""AppTest runs of the real pages against a real data folder and SQLite database.

The database is a copy of the session's migrated template seeded with the ``mini`` files (see
tests/templates.py), put where ``sqlite_url`` points, so the app's first run finds it seeded
instead of migrating and seeding it. Staff passwords are hashed with argon2id at cheap
parameters (about 0.2 s less per hash and per sign-in here); the production parameters are tested
in tests/unit/test_accounts.py. Streamlit's caches live as long as the process, and every
copy starts at the same data version: they are cleared before each test, so that nothing cached
for another test's database (keyed by data version) is served to this one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from itinerary import accounts
from tests.conftest import MINI, ROOT
from tests.templates import SqliteTemplates

AppFactory = Callable[..., AppTest]


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # still argon2id


@pytest.fixture(scope="session", autouse=True)
def components_scanned_once() -> Iterator[None]:
    """Each new AppTest scans every installed package for Streamlit components (0.3 s or more,
    over half of a short AppTest here); the installed packages do not change during a session."""
    from streamlit.components.v2 import manifest_scanner

    found = manifest_scanner.scan_component_manifests()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(manifest_scanner, "scan_component_manifests", lambda max_workers=None: list(found))
        yield


@pytest.fixture
def app_env(
    monkeypatch: pytest.MonkeyPatch,
    mini_dir: Path,
    sqlite_url: str,
    sqlite_templates: SqliteTemplates,
    tmp_path: Path,
) -> Path:
    sqlite_templates.copy_to(tmp_path / "test.db", MINI)
    assert sqlite_url == f"sqlite:///{tmp_path / 'test.db'}"
    monkeypatch.setenv("CITYPLUS_DATA_DIR", str(mini_dir))
    monkeypatch.setenv("CITYPLUS_DB_URL", sqlite_url)
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(accounts, "new_hasher", cheap_hasher)
    st.cache_data.clear()
    st.cache_resource.clear()
    return mini_dir


@pytest.fixture
def make_app(app_env: Path) -> AppFactory:
    def make(page: str | None = None, **query: str) -> AppTest:
        """Run app.py (as a visitor's browser does), switched to ``page`` when given."""
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        for key, value in query.items():
            at.query_params[key] = value
        if page:
            at.switch_page(page)
        return at.run()

    return make


SHARED_LINK = re.compile(r'<code class="cp-share-link"[^>]*>(.*?)</code>', re.S)


def shared_links(at: AppTest) -> list[str]:
    """The links the page offers to take along (ui/sharelink.py's boxes), as a visitor reads them."""
    return [html.unescape(m) for h in at.html for m in SHARED_LINK.findall(h.value)]
