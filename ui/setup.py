"""The one set-up call every page makes first (docs/architecture.md, "Deep links").

A new browser session that opens a page's URL directly may run that page without ``app.py``,
so nothing a page needs may depend on ``app.py`` having run: page config, content loading,
the error page for bad content files, and the city and language pickers all happen here.

``setup_page`` also sets the one error boundary of the pages: an unexpected exception gives the
person a plain message in their language and the server log the details, never a traceback
(``client.showErrorDetails = "none"`` in .streamlit/config.toml covers what fails before it).
"""

from __future__ import annotations

import html
import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from itinerary import seed, settings, store
from itinerary.catalog import Catalog, localized, localized_value
from itinerary.i18n import LANG_NAMES, LANGS, t
from itinerary.programmes.records import FILES as PROGRAMME_FILES
from ui import downloads, sessions
from ui.counting import count_visit
from ui.nav import PAGES, PLAN_PAGE, plan_params
from ui.text import md_inline

PAGE_ICON = "🗺️"
LOG = logging.getLogger("cityplus.pages")
# BCP 47 tags of the page languages (WCAG 3.1.1): a screen reader picks its voice from them.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}

# What the theme's settings cannot say (.streamlit/config.toml holds the rest), for WCAG 2.2 AA
# under axe-core (bench/a11y.py, tests/browser/test_accessibility.py):
# - 2.5.8 target size: the hour, minute, month and day segments of st.time_input and
#   st.date_input are about 18x20 px spin buttons side by side; at least 24x24 px.
# - 1.4.3 contrast: st.code's syntax colours (a light cyan on the code background is 2.8:1):
#   code is drawn in the theme's code text colour instead.
# - 2.1.1 keyboard: a code block wider than its box scrolls sideways, and a box that is not
#   focusable cannot be scrolled from the keyboard; wrapped (long links broken anywhere), it never
#   scrolls, and its copy button stays.
# - the element holding the language script below takes no room.
A11Y_CSS = """
[data-testid="stTimeInput"] [role="spinbutton"], [data-testid="stDateInput"] [role="spinbutton"] {
  display: inline-flex; align-items: center; justify-content: center;
  min-width: 24px; min-height: 24px;
}
[data-testid="stCode"] .token { color: inherit !important; }
[data-testid="stCode"] pre, [data-testid="stCode"] pre code {
  white-space: pre-wrap !important; overflow-wrap: anywhere; word-break: break-word;
}
.stElementContainer:has(.cp-page-lang) { display: none; }
"""

# The phone (docs/architecture.md, "The phone"): Streamlit hides the sidebar below 768 px
# (its `md` breakpoint) and lays it over the page when opened.
# - City and language are on the page itself there, in the bar of `_page_pickers`; wider, where
#   the sidebar is open beside the page, the bar is not shown (one set of pickers at a time).
# - A collapsed sidebar is only moved off the screen: its links and pickers stayed in the tab
#   order, invisible (WCAG 2.4.3, 2.4.7). Hidden, they take no focus.
# - A card scrolled into view (`scroll_into_view`) stops below the page's header.
PHONE_CSS = """
@media (min-width: 768.02px) { .st-key-page_pickers { display: none !important; } }
.st-key-page_pickers { justify-content: flex-end; }
[data-testid="stSidebar"][data-collapsed="true"] { visibility: hidden; }
[class*="st-key-scroll_"] { scroll-margin-top: 4rem; }
"""

# The map frame's title, in the page's language (WCAG 4.1.2; issue 10, section 2): LANG_SCRIPT
# gives it to every map frame, also to those that appear later.
MAP_TITLE_SCRIPT = """<span class="cp-page-lang" hidden data-title="%s"></span><script>
(() => { window.__cpMapTitle = %s; if (window.__cpMarkAll) window.__cpMarkAll(); })();
</script>"""

# On a phone, the sidebar is laid over the page: a link chosen in it closes it (Streamlit leaves
# it open over three quarters of the screen). Installed once per browser tab.
CLOSE_SIDEBAR_SCRIPT = """<span class="cp-page-lang" hidden></span><script>
(() => {
  if (window.__cpCloseSidebar) return;
  window.__cpCloseSidebar = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-testid=stSidebar] a");
    if (!link || !window.matchMedia("(max-width: 768px)").matches) return;
    const close = document.querySelector("[data-testid=stSidebarCollapseButton] button");
    if (close) close.click();
  });
})();
</script>"""

# Brings the element of a container keyed ``scroll_<name>`` into view once it is drawn; the
# element's text changes with what is shown, so a new card scrolls again and a rerun does not.
SCROLL_SCRIPT = """<span class="cp-page-lang" hidden data-what="%s"></span><script>
(() => {
  const selector = %s;
  let tries = 0;
  const go = () => {
    const target = document.querySelector(selector);
    if (!target) { if (tries++ < 120) requestAnimationFrame(go); return; }
    const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    target.scrollIntoView({block: "nearest", behavior: calm ? "auto" : "smooth"});
  };
  requestAnimationFrame(go);
})();
</script>"""

# Streamlit's document says <html lang="en"> whatever the page's language; this sets the page's
# own, on the document and on every same-origin frame (the map), also on frames that appear or
# reload later. It runs again whenever the language changes (the element's text changes).
LANG_SCRIPT = """<span class="cp-page-lang" hidden></span><script>
(() => {
  window.__cpLang = %s;
  const title = (frame) => {  // streamlit-folium names its frame after itself (MAP_TITLE_SCRIPT)
    if (frame.title === "streamlit_folium.st_folium") frame.dataset.cpMap = "1";
    const wanted = window.__cpMapTitle;
    if (wanted && frame.dataset.cpMap && frame.title !== wanted) frame.title = wanted;
  };
  const mark = (doc) => {
    if (doc && doc.documentElement && doc.documentElement.lang !== window.__cpLang) {
      doc.documentElement.lang = window.__cpLang;
    }
  };
  const markAll = () => {
    mark(document);
    document.querySelectorAll("iframe").forEach((frame) => {
      title(frame);
      try {
        mark(frame.contentDocument);
        if (!frame.__cpLang) {
          frame.__cpLang = true;
          frame.addEventListener("load", () => mark(frame.contentDocument));
        }
      } catch (error) {}  // a frame of another origin: not ours to label
    });
  };
  markAll();
  window.__cpMarkAll = markAll;
  if (!window.__cpLangObserver) {
    window.__cpLangObserver = new MutationObserver(markAll);
    window.__cpLangObserver.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


@dataclass
class PageContext:
    """What a page gets from set-up: the catalog, the chosen city and language, notices."""

    catalog: Catalog
    city: pd.Series
    lang: str
    notices: list[str] = field(default_factory=list)

    @property
    def city_id(self) -> str:
        return str(self.city["id"])

    @property
    def timezone(self) -> str:
        return str(self.city["timezone"])


def _files_signature(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Cheap stat-based key: the catalog is rebuilt (and reseeded if needed) when files change."""
    out = []
    for name in (*(spec.name for spec in seed.SPECS), *PROGRAMME_FILES):  # programmes: issue 12
        path = data_dir / name
        if path.is_file():
            info = path.stat()
            out.append((name, info.st_size, info.st_mtime_ns))
    return tuple(out)


@st.cache_resource(show_spinner=False)
def _open_catalog(db_url: str, data_dir: str, _signature: tuple[object, ...]) -> Catalog:
    db = store.open_store(db_url)
    store.ensure_seeded(db, data_dir)  # raises ValidationError: not cached, shown as a page
    return Catalog(db)


def get_catalog() -> Catalog:
    data_dir = store.default_data_dir()
    return _open_catalog(store.default_db_url(), str(data_dir), _files_signature(data_dir))


def now_in(timezone: str) -> datetime:
    """The current time in a city's time zone. ``CITYPLUS_NOW`` (ISO 8601 with offset) pins
    the clock for demos and tests of opening-hours features."""
    now = settings.pinned_now() or datetime.now(UTC)
    return now.astimezone(ZoneInfo(timezone))


def current_lang() -> str:
    lang = st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


def set_query(**params: str | None) -> None:
    """Set (or, with None or "", remove) query parameters of the page URL."""
    for key, value in params.items():
        if value:
            st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]


def _data_error_page(error: seed.ValidationError, lang: str) -> None:
    st.title(t("error.data.title", lang))
    st.error(t("error.data.body", lang))
    st.code(error.report(lang), language=None)  # each problem in the page's language
    st.stop()


def _on_city_change(key: str = "picker_city") -> None:
    # a new city: the other view parameters named the old city's content
    lang = st.query_params.get("lang")
    st.query_params.clear()
    set_query(city=st.session_state[key], lang=lang)


def _on_lang_change(key: str = "picker_lang") -> None:
    set_query(lang=None if st.session_state[key] == "en" else st.session_state[key])


def _sidebar_nav(lang: str, keep: dict[str, str], city_id: str) -> None:
    """Links to the visitor pages, keeping city and language (also when app.py did not run);
    Plan's link keeps this session's plan (``ui.nav.plan_params``)."""
    for entry in PAGES:
        params = plan_params(city_id, lang) if entry.path == PLAN_PAGE else keep
        st.sidebar.page_link(entry.path, label=t(entry.title_key, lang), icon=entry.icon, query_params=params)


def _pickers(cities: pd.DataFrame, lang: str, prefix: str, *, compact: bool = False) -> None:
    """The city and language pickers keyed ``{prefix}_city`` and ``{prefix}_lang``."""
    names = dict(
        zip(cities["id"], localized(cities, "name", lang).astype(str), strict=True)
    )  # not a row each
    st.selectbox(
        t("picker.city", lang),
        options=list(names),
        format_func=names.__getitem__,
        key=f"{prefix}_city",
        on_change=_on_city_change,
        args=(f"{prefix}_city",),
        label_visibility="collapsed" if compact else "visible",  # still its name for screen readers
        width=170 if compact else "stretch",
    )
    st.segmented_control(
        t("picker.language", lang),
        options=list(LANGS),
        format_func=LANG_NAMES.__getitem__,
        key=f"{prefix}_lang",
        on_change=_on_lang_change,
        args=(f"{prefix}_lang",),
        required=True,
        label_visibility="collapsed" if compact else "visible",
    )


def _sidebar_pickers(cities: pd.DataFrame, city_id: str, lang: str) -> None:
    for prefix in ("picker", "page"):  # the URL is the truth; widgets follow it
        st.session_state[f"{prefix}_city"] = city_id
        st.session_state[f"{prefix}_lang"] = lang
    keep = {
        k: v for k, v in (("city", st.query_params.get("city")), ("lang", st.query_params.get("lang"))) if v
    }
    _sidebar_nav(lang, keep, city_id)
    with st.sidebar:
        _pickers(cities, lang, "picker")
    # the same on the page, shown where the sidebar is hidden (PHONE_CSS)
    with st.container(key="page_pickers", horizontal=True, vertical_alignment="center"):
        _pickers(cities, lang, "page", compact=True)


def setup_page(
    title_key: str, *, layout: str = "wide", pickers: bool = True, sidebar: bool | None = None
) -> PageContext:
    """Configure the page, load content (or show the data error page), resolve city and language."""
    _install_error_boundary()
    downloads.install()  # a download made on request outlives other sessions' runs (ui/downloads.py)
    sessions.install()  # abandoned sessions are shut down past their TTL (ui/sessions.py)
    lang = current_lang()
    st.set_page_config(
        page_title=f"{t(title_key, lang)} · {t('app.title', lang)}",
        page_icon=PAGE_ICON,
        layout=layout,  # type: ignore[arg-type]
        initial_sidebar_state="auto" if (pickers if sidebar is None else sidebar) else "collapsed",
    )
    _accessibility_head(lang)
    notices: list[str] = []
    raw_lang = st.query_params.get("lang")
    if raw_lang is not None and raw_lang not in LANGS:
        notices.append(t("notice.unknown_lang", lang, value=raw_lang))
        set_query(lang=None)
    try:
        catalog = get_catalog()
    except seed.ValidationError as error:
        _data_error_page(error, lang)
        raise  # unreachable: st.stop() ends the run
    catalog.refresh(force=True)  # one look at the data version per run: others' edits show now
    cities = catalog.cities()
    if cities.empty:
        st.error(t("error.no_cities", lang))
        st.stop()
    home = cities.iloc[0]
    raw_city = st.query_params.get("city")
    if raw_city is not None and raw_city not in cities.index:
        notices.append(
            t("notice.unknown_city", lang, value=raw_city, city=localized_value(home, "name", lang))
        )
        set_query(city=None)
        raw_city = None
    city = cities.loc[raw_city] if raw_city else home
    _map_title(title_key, city, lang)
    if pickers:
        _sidebar_pickers(cities, str(city["id"]), lang)
    ctx = PageContext(catalog=catalog, city=city, lang=lang, notices=notices)
    count_visit(ctx, title_key)  # once per session and page; the kiosk's QR marker (ui/counting.py)
    return ctx


def script_value(value: object) -> str:
    """``value`` as a JavaScript literal that is safe inside a ``<script>`` element: no ``<``,
    ``>`` or ``&`` (a name holding ``</script>`` cannot end the script)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _accessibility_head(lang: str) -> None:
    """The page's language on the document and its frames, the CSS of ``A11Y_CSS`` and
    ``PHONE_CSS``, and the phone's sidebar that closes after a link."""
    st.html(f"<style>{A11Y_CSS}{PHONE_CSS}</style>")  # style only: Streamlit puts it where it takes no room
    st.html(LANG_SCRIPT % json.dumps(HTML_LANG.get(lang, "en")), unsafe_allow_javascript=True)
    st.html(CLOSE_SIDEBAR_SCRIPT, unsafe_allow_javascript=True)


def _map_title(title_key: str, city: pd.Series, lang: str) -> None:
    """The title of the page's map frames: the city and the page, in the page's language."""
    title = t("phone.map_title", lang, city=localized_value(city, "name", lang), page=t(title_key, lang))
    st.html(MAP_TITLE_SCRIPT % (html.escape(title), script_value(title)), unsafe_allow_javascript=True)


def scroll_into_view(name: str, what: str) -> None:
    """Scroll the container keyed ``scroll_{name}`` into view when ``what`` (say, the id of the
    card it holds) is new: a card opened from a pin below the map, on a phone, is seen."""
    selector = f".st-key-scroll_{name}"
    st.html(SCROLL_SCRIPT % (html.escape(what), script_value(selector)), unsafe_allow_javascript=True)


def show_notices(ctx: PageContext) -> None:
    """The notices of set-up and the page. They quote values from the link, which anyone can
    write: shown literally (no markup, no links)."""
    for notice in ctx.notices:
        st.warning(md_inline(notice), icon="⚠️")


def show_page_error(ref: str, lang: str | None = None) -> None:
    """The plain message for an unexpected error, with the reference its log entry carries."""
    lang = lang or current_lang()
    st.error(
        f"**{t('error.page.title', lang)}**  \n{t('error.page.body', lang, ref=ref)}", icon=":material/error:"
    )


def _on_page_error(error: Exception) -> bool:
    """Streamlit's handler for an exception that ends this run: log it, show the plain message.

    Returning True tells Streamlit to draw nothing of its own (no message, type or stack).
    """
    ref = secrets.token_hex(4)
    LOG.error("page error, reference %s", ref, exc_info=error)  # the traceback names the page
    show_page_error(ref)
    return True


def _install_error_boundary() -> None:
    """Route this run's uncaught exceptions to ``_on_page_error``.

    A wrapper around ``st.navigation(...).run()`` in app.py would miss the runs in which
    Streamlit executes a page file without app.py (docs/architecture.md, "Deep links": a
    ``pages/`` folder makes streamlit 1.67 run a deep link's page directly until some session has
    called ``st.navigation``). Every page calls ``setup_page`` first, so the boundary is set here,
    on the run's own context (``on_script_error``: Streamlit calls it for an exception of the
    script, after logging it). tests/app/test_hostile.py checks both kinds of run.
    """
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.on_script_error = _on_page_error
