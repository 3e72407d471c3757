"""What only a browser shows of hostile content: which <a> elements Streamlit's markdown makes.

Streamlit's markdown turns bare URLs, ``www.`` names and e-mail addresses into links after it
parses (escaping does not stop it); the AppTests check the markdown sources, this test checks
the DOM: a bare URL in a name, summary or itinerary text is no link, the website is the one
outside link, opened in a new tab with ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import AppServer, start_server, stop_server, wait_ready
from tests.conftest import MINI
from tests.unit.test_seed import edit_cell

BARE = "see https://evil.example/login or www.evil.example, mail boss@evil.example"
WEBSITE = "https://www.octloft.cn/(en)"


@pytest.fixture(scope="session")  # a server: see the conftest docstring
def app_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[AppServer]:
    """The mini data set with bare URLs in every text of OCT Loft and the mini tour."""
    tmp = tmp_path_factory.mktemp("linked")
    data_dir = tmp / "data"
    shutil.copytree(MINI, data_dir)
    _link_everything(data_dir)
    server = start_server(tmp, data_dir)
    yield server
    stop_server(server)


def _link_everything(data_dir: Path) -> None:
    for column in ("name", "summary", "district", "address"):
        edit_cell(data_dir, "landmarks.csv", "oct-loft", column, f"{column}: {BARE}")
    edit_cell(data_dir, "landmarks.csv", "oct-loft", "website", WEBSITE)
    for column in ("title", "summary"):
        edit_cell(data_dir, "itineraries.csv", "shenzhen-mini", column, f"{column}: {BARE}")


def _main_links(page: Page) -> list[dict[str, str]]:
    """Every <a> in the page's main area (the sidebar holds the app's own page links)."""
    return page.locator("[data-testid='stMain'] a").evaluate_all(  # type: ignore[no-any-return]
        "els => els.map(a => ({href: a.getAttribute('href') || '', rel: a.rel, target: a.target,"
        " text: a.textContent}))"
    )


def _main_text(page: Page) -> str:
    """The main area's text as shown, without the invisible word joiners (U+2060)."""
    text: str = page.locator("[data-testid='stMain']").inner_text()
    return text.replace("\u2060", "")


def test_bare_urls_on_the_card_are_text_and_the_website_is_the_one_link(
    page: Page, app_server: AppServer
) -> None:
    page.goto(app_server.url + "/?landmark=oct-loft")
    wait_ready(page)
    assert "summary: " + BARE in _main_text(page)  # shown, reads the same
    links = _main_links(page)
    assert [a for a in links if "evil" in a["href"] + a["text"]] == []
    [website] = [a for a in links if a["href"].startswith("http")]
    assert website["href"] == WEBSITE
    assert set(website["rel"].split()) >= {"noopener", "noreferrer"} and website["target"] == "_blank"


@pytest.mark.parametrize("query", ["", "?itinerary=shenzhen-mini"], ids=["list", "one"])
def test_bare_urls_in_itineraries_are_text(page: Page, app_server: AppServer, query: str) -> None:
    page.goto(app_server.url + "/itineraries" + query)
    wait_ready(page)
    assert "summary: " + BARE in _main_text(page)
    assert [a for a in _main_links(page) if "evil" in a["href"] + a["text"]] == []
