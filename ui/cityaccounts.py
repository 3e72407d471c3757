"""Streamlit glue of the city accounts: the link to a city's page, and the story viewer.

The viewer steps through a story's chapters by buttons; the arrow keys and a swipe on the
story press the same buttons (``STEP_SCRIPT``), so every way is one path, and the URL keeps the
chapter (``chapter=N``). The map is one base map per story; each chapter moves its view
(st_folium's ``center`` and ``zoom``, flown to: ``map_motion.FlyToViews``) and the chapter's
marker is outlined.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import pandas as pd
import streamlit as st

from itinerary import maps
from itinerary.catalog import Catalog, localized_value
from itinerary.cityaccounts import ChapterView, chapter_views
from itinerary.i18n import t
from itinerary.map_motion import FlyToViews
from itinerary.markup import escape
from ui.mapview import show_map
from ui.setup import PageContext, set_query
from ui.text import md_escape

CITY_PAGE = "pages/city.py"
STORY_MAP_KEY = "story_map"

# Arrow keys anywhere on the page (not while typing) and a horizontal swipe on the story press
# the chapter buttons: the same click a mouse makes, so the URL and the map follow one path.
STEP_SCRIPT = """<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const press = (which) => {
    const button = doc.querySelector(`.st-key-story_${which} button`);
    if (button && !button.disabled) { button.click(); return true; }
    return false;
  };
  if (!window.__cpStoryKeys) {
    window.__cpStoryKeys = true;
    doc.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const target = event.target;
      const tag = target && target.tagName ? target.tagName.toLowerCase() : "";
      if (["input", "textarea", "select"].includes(tag) || (target && target.isContentEditable)) return;
      if (!doc.querySelector(".st-key-story_view")) return;
      if (event.key === "ArrowRight" && press("next")) event.preventDefault();
      if (event.key === "ArrowLeft" && press("previous")) event.preventDefault();
    });
    let startX = null, startY = null;
    doc.addEventListener("touchstart", (event) => {
      const inside = event.target.closest && event.target.closest(".st-key-story_view");
      if (!inside || event.touches.length !== 1) { startX = null; return; }
      startX = event.touches[0].clientX; startY = event.touches[0].clientY;
    }, {passive: true});
    doc.addEventListener("touchend", (event) => {
      if (startX === null) return;
      const dx = event.changedTouches[0].clientX - startX;
      const dy = event.changedTouches[0].clientY - startY;
      startX = null;
      if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) press(dx < 0 ? "next" : "previous");
    }, {passive: true});
  }
})();
</script>"""


def city_page_link(ctx: PageContext) -> None:
    """The link to the page's city account (Explore, Itineraries and Plan show it)."""
    params = {"city": ctx.city_id} | ({"lang": ctx.lang} if ctx.lang != "en" else {})
    st.page_link(
        CITY_PAGE,
        label=t("city.link", ctx.lang, city=localized_value(ctx.city, "name", ctx.lang)),
        icon=":material/location_city:",
        query_params=params,
    )


def _chapter_group(views: Sequence[ChapterView], current: int, lang: str) -> folium.FeatureGroup:
    """Every chapter's place, numbered; the current one outlined and first for the keyboard."""
    group = folium.FeatureGroup(name="story")
    order = [current, *(i for i in range(len(views)) if i != current)]
    for i in order:
        view = views[i]
        name = t("story.map_place", lang, number=view.number, title=view.title)
        css = "cp-num cp-current" if i == current else "cp-num"
        folium.Marker(
            location=(view.place.lat, view.place.lon),
            icon=folium.DivIcon(
                html=f'<div class="{css}" data-chapter="{view.number}">{view.number}</div>',
                icon_size=(30, 30),
                icon_anchor=(15, 15),
                class_name="cp-marker",
            ),
            tooltip=escape(name),
            aria_label=escape(name),
            z_index_offset=2000 if i == current else 1000,
        ).add_to(group)
    here = views[current]
    maps.highlight_marker(here.place.lat, here.place.lon, here.title).add_to(group)
    return group


def _go(number: int) -> None:
    set_query(chapter=str(number) if number > 1 else None)


def story_viewer(ctx: PageContext, story_id: str, views: Sequence[ChapterView], current: int) -> None:
    """One chapter of a story: its number, title, text and image, the buttons, and the map."""
    lang, count = ctx.lang, len(views)
    view = views[current]
    st.html(STEP_SCRIPT, unsafe_allow_javascript=True)
    with st.container(key="story_view"):
        left, right = st.columns([2, 3], gap="medium")
        with left:
            # one live region: a screen reader hears the new chapter after a button or a key
            st.html(
                f'<p class="cp-chapter-of" role="status" aria-live="polite" data-chapter="{view.number}">'
                f"{escape(t('story.chapter_of', lang, number=view.number, count=count))}: "
                f"{escape(view.title)}</p>"
            )
            st.subheader(md_escape(view.title), anchor=False)
            st.markdown(md_escape(view.text))
            if view.image:
                st.image(f"app/static/{view.image}", caption=view.image_alt or None)
            buttons = st.columns(2)
            buttons[0].button(
                t("story.previous", lang),
                key="story_previous",
                icon=":material/arrow_back:",
                disabled=current == 0,
                on_click=_go,
                args=(view.number - 1,),
                use_container_width=True,
            )
            buttons[1].button(
                t("story.next", lang),
                key="story_next",
                icon=":material/arrow_forward:",
                disabled=current == count - 1,
                on_click=_go,
                args=(view.number + 1,),
                use_container_width=True,
            )
            st.caption(t("story.keys", lang))
        with right:
            base = maps.base_map(
                center=(views[0].place.lat, views[0].place.lon),
                zoom=views[0].place.zoom,
                tiles=maps.TileConfig.from_env(),
                lang=lang,
            )
            FlyToViews().add_to(base)  # from one chapter's place to the next, unless less motion is asked
            show_map(
                base,
                [_chapter_group(views, current, lang)],
                key=f"{STORY_MAP_KEY}_{story_id}",
                height=460,
                center=(view.place.lat, view.place.lon),
                zoom=view.place.zoom,
                returned_objects=(),
            )


# --- the kiosk's attract loop: a city's stories, chapter by chapter, beside the itineraries ------


@dataclass(frozen=True)
class StoryStep:
    """One chapter of a story as a step of the kiosk's loop."""

    story_id: str
    story_title: str
    chapter: ChapterView
    count: int


def story_steps(catalog: Catalog, city: pd.Series, lang: str) -> list[StoryStep]:
    """Every chapter of the city's published stories, in order (``pages/kiosk.py`` adds them to
    its loop after the itineraries' stops)."""
    stories = catalog.stories(str(city["id"]))
    landmarks = catalog.landmarks(str(city["id"]))
    steps: list[StoryStep] = []
    for sid, story in stories.iterrows():
        views = chapter_views(catalog.chapters(str(sid)), landmarks, city, lang)
        title = localized_value(story, "title", lang)
        steps += [StoryStep(str(sid), title, view, len(views)) for view in views]
    return steps


def story_step_layer(step: StoryStep) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name="loop")
    maps.highlight_marker(step.chapter.place.lat, step.chapter.place.lon, step.chapter.title).add_to(layer)
    return layer


def story_step_card(step: StoryStep, index: int, lang: str) -> str:
    """The kiosk's card of a story's chapter (escaped: staff text, no markup, no link)."""
    meta = t("story.kiosk_meta", lang, story=step.story_title, number=step.chapter.number, count=step.count)
    return (
        f"<div class='cp-kiosk-card' data-kiosk-step='{index}' data-kiosk-story='{escape(step.story_id)}'"
        f" data-kiosk-chapter='{step.chapter.number}'>"
        f"<p class='cp-kiosk-meta'>{escape(meta)}</p>"
        f"<h2>{escape(step.chapter.title)}</h2>"
        f"<p class='cp-kiosk-summary'>{escape(step.chapter.text)}</p></div>"
    )
