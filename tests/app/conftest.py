"""AppTest runs of the real pages against a real data folder and SQLite database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

AppFactory = Callable[..., AppTest]


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, mini_dir: Path, sqlite_url: str) -> Path:
    monkeypatch.setenv("CITYPLUS_DATA_DIR", str(mini_dir))
    monkeypatch.setenv("CITYPLUS_DB_URL", sqlite_url)
    monkeypatch.chdir(ROOT)
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
