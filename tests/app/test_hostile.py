"""Hostile input through the pages: links anyone can write, failing code, links in content.

- Every URL parameter of every page with unknown ids and hostile values: the page runs, the
  value is dropped with a notice that quotes it literally (no markup, no link), and nothing
  else changes. Unknown ids run on both databases.
- A 5,000-character search.
- A page whose code raises: a plain message in the page's language and a reference, the
  traceback in the server log, none of it on the page.
- Bare URLs in content never become links; the website field is the only outside link.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from itinerary import catalog, store
from itinerary.i18n import t
from tests.app.conftest import AppFactory
from tests.unit.test_seed import edit_cell

EXPLORE, ITINERARIES, PLAN, KIOSK, CURATE = (
    "pages/explore.py",
    "pages/itineraries.py",
    "pages/plan.py",
    "pages/kiosk.py",
    "pages/curate.py",
)
# The parameters each page reads (README, "Pages and links"). A test sets all of a page's
# parameters to the same bad value in one run (one run per page and value keeps the suite quick)
# and checks each parameter on its own.
PARAMS: dict[str, tuple[str, ...]] = {
    EXPLORE: ("city", "theme", "landmark", "lang"),
    ITINERARIES: ("city", "itinerary", "mode", "start", "date", "lang"),
    PLAN: ("city", "stops", "mode", "start", "date", "lang", "origin"),
    KIOSK: ("city", "lang"),
    CURATE: ("city", "lang"),
}
LIST_PARAMS = ("stops", "theme")  # comma lists: each unknown item is named
UNKNOWN = "atlantis"
HOSTILE = {
    "markdown-link": "[click here](https://evil.example/login)",
    "bare-url": "see https://evil.example/login",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "traversal": "../../../../etc/passwd",
    "absurd-number": "1e308,nan",
    "long": "x" * 5000,
}
# The kiosk is a touch screen at an event and /curate shows nothing before sign-in: both ignore
# a bad value without a notice (nothing to read for a passer-by, nothing to learn for a stranger).
SILENT_PAGES = (KIOSK, CURATE)


def all_text(at: AppTest) -> str:
    """Every element the run produced, as its protobuf text: what the browser would get."""
    out: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def unescaped(markdown: str) -> str:
    """Markdown source with backslash escapes and word joiners removed: the text a reader sees."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


# The bare-URL patterns of Streamlit's markdown (mdast-util-gfm-autolink-literal, as bundled in
# streamlit 1.67's StreamlitMarkdown.js): a link starts where one of them matches in the text
# after the escapes are resolved, after white space, punctuation or the start.
# (JavaScript's \w is ASCII, hence re.ASCII.)
_AUTOLINK_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE | re.ASCII)
_AUTOLINK_EMAIL = re.compile(r"(?:^|(?<=[^\w\u2060]))([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)


_LINK = r"(?<!\\)\[[^\]]*(?<!\\)\]\((?:<([^>\n]*)>|([^)\s]+))\)"  # [label](url), [label](<url>)


def autolinks(markdown: str) -> list[str]:
    """The bare URLs and e-mail addresses Streamlit's markdown would turn into links."""
    text = re.sub(_LINK, " ", markdown)  # the renderer looks for bare URLs outside links only
    text = re.sub(r"\\(.)", r"\1", text)  # escapes resolved, word joiners kept
    found = []
    for match in _AUTOLINK_URL.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        if before.isspace() or (not before.isalnum() and before != "\u2060"):
            found.append(match.group(0))
    found += [m.group(0) for m in _AUTOLINK_EMAIL.finditer(text)]
    return found


def explicit_links(markdown: str) -> list[str]:
    """Targets of markdown links ``[label](url)`` / ``[label](<url>)`` that are not escaped."""
    return [bracketed or bare for bracketed, bare in re.findall(_LINK, markdown)]


def markdown_sources(at: AppTest) -> list[str]:
    """What the page renders as markdown: markdown, captions, headings, alerts."""
    elements = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader]
    elements += [*at.warning, *at.info, *at.error, *at.success]
    return [str(e.value) for e in elements]


# --- unknown and hostile values in every URL parameter of every page ------------------------------


def _run(make_app: AppFactory, page: str, value: str) -> AppTest:
    at = make_app(page, **dict.fromkeys(PARAMS[page], value))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _not_dropped_with_a_notice(at: AppTest, page: str, value: str) -> list[str]:
    """The parameters whose bad value stayed in the link or is named by no notice."""
    notices = [unescaped(w.value) for w in at.warning]
    wrong = []
    for key in PARAMS[page]:
        if at.query_params.get(key) == value:
            wrong.append(f"{key}: stayed in the link")
        if page in SILENT_PAGES:
            continue
        listed = key in LIST_PARAMS
        parts = [p.strip()[:20] for p in value.split(",") if p.strip()] if listed else [value[:20]]
        if not all(any(part in n for n in notices) for part in parts):
            wrong.append(f"{key}: no notice names it")
    if page not in SILENT_PAGES and len(notices) < len(PARAMS[page]):  # at least one per parameter
        wrong.append(f"{len(notices)} notices for {len(PARAMS[page])} bad parameters: {notices}")
    return wrong


def _assert_literal(at: AppTest) -> None:
    """No value from the link becomes markup or a link anywhere on the page."""
    for source in markdown_sources(at):
        assert autolinks(source) == [], source[:200]
        assert "evil.example" not in " ".join(explicit_links(source)), source[:200]
        assert not re.search(r"(?<!\\)<(script|img)", source, re.IGNORECASE), source[:200]


@pytest.mark.parametrize("page", list(PARAMS))
def test_unknown_ids_in_the_link_are_dropped_with_a_notice(
    make_app: AppFactory, page: str, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYPLUS_DB_URL", db_url)  # SQLite and PostgreSQL
    at = _run(make_app, page, UNKNOWN)
    assert _not_dropped_with_a_notice(at, page, UNKNOWN) == []


@pytest.mark.parametrize("payload", sorted(HOSTILE))
@pytest.mark.parametrize("page", list(PARAMS))
def test_hostile_values_in_the_link_are_shown_literally_and_dropped(
    make_app: AppFactory, page: str, payload: str
) -> None:
    value = HOSTILE[payload]
    at = _run(make_app, page, value)
    assert _not_dropped_with_a_notice(at, page, value) == []
    _assert_literal(at)


@pytest.mark.parametrize("value", ["[x](https://evil.example)", "<b>x</b>", "x" * 5000])
def test_a_hostile_origin_name_is_shown_as_text(make_app: AppFactory, value: str) -> None:
    at = make_app(PLAN, stops="oct-loft", origin="22.54,114.05", origin_name=value)
    assert not at.exception and not at.error
    _assert_literal(at)


@pytest.mark.parametrize(
    ("query", "found"),
    [("x" * 5000, []), ("park " * 1000, ["Lianhuashan Park"]), ("[a](https://evil.example) " * 200, [])],
    ids=["one-word", "repeated-word", "markdown"],
)
def test_a_5000_character_search(make_app: AppFactory, query: str, found: list[str]) -> None:
    at = make_app(q=query[:5000])
    assert not at.exception and not at.error
    frames = [df.value for df in at.dataframe if "name" in df.value.columns]
    assert (list(frames[0]["name"]) if frames else []) == found
    if not found:
        assert [i.value for i in at.info] == [t("explore.none", "en")]
    _assert_literal(at)


# --- no tracebacks ----------------------------------------------------------------------------------

SECRET = "/srv/cityplus/secret-path.py exploded"


@pytest.mark.parametrize("lang", ["en", "zh"])
# None: the default page, run through app.py and st.navigation; the others as deep links
@pytest.mark.parametrize("page", [None, EXPLORE, ITINERARIES, PLAN, KIOSK, CURATE])
def test_a_failing_page_shows_a_plain_message_and_logs_the_details(
    make_app: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    page: str | None,
    lang: str,
) -> None:
    def broken() -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr("ui.setup.get_catalog", broken)
    with caplog.at_level(logging.ERROR, logger="cityplus.pages"):
        at = make_app(page, lang=lang)
    assert not at.exception  # Streamlit's own exception element (message, type, stack) is not drawn
    [error] = [e.value for e in at.error]
    assert t("error.page.title", lang) in error
    ref = re.search(r"[0-9a-f]{8}", error)
    assert ref, error
    shown = all_text(at)
    for leak in ("Traceback", "RuntimeError", "secret-path", "exploded", ".py", "/srv/"):
        assert leak not in shown
    [record] = [r for r in caplog.records if r.name == "cityplus.pages"]
    assert ref.group(0) in record.getMessage()
    assert record.exc_info is not None and SECRET in str(record.exc_info[1])


def test_a_failure_inside_a_page_keeps_what_was_drawn_and_adds_the_message(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError(SECRET)

    monkeypatch.setattr(catalog, "filter_landmarks", broken)  # the page imports it on every run
    at = make_app(EXPLORE)
    assert not at.exception
    assert at.title[0].value == "Explore Shenzhen"  # drawn before the failure
    assert [t("error.page.title", "en") in e.value for e in at.error] == [True]
    assert "exploded" not in all_text(at)


# --- links in content -------------------------------------------------------------------------------

BARE = "see https://evil.example/login or www.evil.example, mail boss@evil.example"


@pytest.fixture
def linked_content(app_env: Path) -> Path:
    """OCT Loft and the mini tour with bare URLs in every text field; OCT Loft keeps a website."""
    for column in ("name", "name_zh", "summary", "summary_zh", "district", "address"):
        edit_cell(app_env, "landmarks.csv", "oct-loft", column, f"{column}: {BARE}")
    edit_cell(app_env, "landmarks.csv", "oct-loft", "website", "https://www.octloft.cn/(en)")
    for column in ("title", "title_zh", "summary", "summary_zh"):
        edit_cell(app_env, "itineraries.csv", "shenzhen-mini", column, f"{column}: {BARE}")
    edit_cell(app_env, "itinerary_stops.csv", "shenzhen-mini", "note", BARE, key="itinerary_id")
    return app_env


@pytest.mark.usefixtures("linked_content")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bare_urls_on_the_explore_card_are_text_and_the_website_is_the_one_link(
    make_app: AppFactory, lang: str
) -> None:
    at = make_app(landmark="oct-loft", lang=lang)
    assert not at.exception
    sources = markdown_sources(at)
    card = " ".join(unescaped(s) for s in sources)
    assert "see https://evil.example/login" in card  # shown, as text
    assert [a for s in sources for a in autolinks(s)] == []
    assert [u for s in sources for u in explicit_links(s)] == ["https://www.octloft.cn/(en)"]
    assert not at.get("link_button")


@pytest.mark.usefixtures("linked_content")
def test_a_website_that_is_not_http_is_no_link(make_app: AppFactory, app_env: Path) -> None:
    edit_cell(app_env, "landmarks.csv", "oct-loft", "website", "javascript:alert(1)")
    at = make_app(landmark="oct-loft")
    assert not at.exception
    assert [u for s in markdown_sources(at) for u in explicit_links(s)] == []


@pytest.mark.usefixtures("linked_content")
@pytest.mark.parametrize("query", [{}, {"itinerary": "shenzhen-mini"}], ids=["list", "one"])
def test_bare_urls_in_itineraries_are_text(make_app: AppFactory, query: dict[str, str]) -> None:
    at = make_app(ITINERARIES, **query)
    assert not at.exception
    sources = markdown_sources(at)
    assert any("summary: see https://evil.example/login" in unescaped(s) for s in sources)
    assert [a for s in sources for a in autolinks(s)] == []
    assert [u for s in sources for u in explicit_links(s)] == []


def test_the_autolink_check_finds_what_streamlit_would_link() -> None:
    """The test's own detector, on text as it was rendered before the fix: it must find them."""
    assert autolinks("see https://evil.example/login") == ["https://evil.example/login"]
    assert autolinks("see https\\://evil\\.example") == ["https://evil.example"]  # escapes do not help
    assert autolinks("www\\.evil\\.example") == ["www.evil.example"]
    assert autolinks("mail boss@evil\\.example") == ["boss@evil.example"]
    assert explicit_links("[x](https://evil.example)") == ["https://evil.example"]
    assert explicit_links("\\[x\\](https://evil.example)") == []


def test_the_store_is_not_written_by_visitor_pages(make_app: AppFactory, sqlite_url: str) -> None:
    """The hostile link values above change nothing: the data version stays the same."""
    make_app()
    db = store.open_store(sqlite_url)
    before = (db.data_version(), db.dataset())
    for page, keys in PARAMS.items():
        make_app(page, **dict.fromkeys(keys, HOSTILE["markdown-link"]))
    assert (db.data_version(), db.dataset()) == before


CARD_PAYLOADS = (
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "**bold** [click](https://evil.example) ![i](https://evil.example/i.png) :red[x] `c`",
    "# heading\n\n- item\n1. item | a | b |",
)


# Pieces of the payloads as markdown would read them: none may reach the page unescaped.
RAW_FRAGMENTS = (
    r"(?<!\\)<script",
    r"(?<!\\)<img",
    r"\*\*bold",
    r"(?<!\\)\[click",
    r"(?<!\\)!\[i",
    r":red(?<!\\)\[",
    r"(?<!\\)`c",
    r"(?<!\\)# heading",
    r"(?<!\\)- item",
    r"1\. item",
    r"(?<!\\)\| a",
)


@pytest.mark.parametrize("payload", CARD_PAYLOADS)
def test_markup_in_every_card_field_is_shown_literally(
    make_app: AppFactory, app_env: Path, payload: str
) -> None:
    for column in ("name", "name_zh", "summary", "summary_zh", "district", "address"):
        edit_cell(app_env, "landmarks.csv", "oct-loft", column, f"{column} {payload}")
    for column in ("title", "title_zh", "summary", "summary_zh"):
        edit_cell(app_env, "itineraries.csv", "shenzhen-mini", column, f"{column} {payload}")
    for page, query in (
        (EXPLORE, {"landmark": "oct-loft"}),
        (EXPLORE, {"landmark": "oct-loft", "lang": "zh"}),
        (ITINERARIES, {}),
        (ITINERARIES, {"itinerary": "shenzhen-mini"}),
        (PLAN, {"stops": "oct-loft,huaqiang-north"}),
    ):
        at = make_app(page, **query)
        assert not at.exception and not at.error, (page, query)
        _assert_literal(at)
        for source in markdown_sources(at):
            for fragment in RAW_FRAGMENTS:
                assert not re.search(fragment, source), (page, fragment, source[:120])


@pytest.mark.usefixtures("linked_content")
def test_bare_urls_in_the_staff_preview_are_text(
    make_app: AppFactory, app_env: Path, sqlite_url: str
) -> None:
    """The editor previews the card with ``ui.cards.landmark_card``, as visitors see it."""
    from itinerary import accounts as acc
    from tests.app.test_curate import PASSWORD, sign_in

    database = store.open_store(sqlite_url)
    store.ensure_seeded(database, app_env)
    acc.AccountStore(database).add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    at = sign_in(make_app(CURATE), "eddie")
    at.selectbox(key="lm_pick").set_value("oct-loft").run()
    assert not at.exception
    sources = markdown_sources(at)
    assert any("summary: see https://evil.example/login" in unescaped(s) for s in sources)
    assert [a for s in sources for a in autolinks(s)] == []
    assert [u for s in sources for u in explicit_links(s)] == ["https://www.octloft.cn/(en)"]
