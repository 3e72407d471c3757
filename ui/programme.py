"""The programme page's parts (``pages/programme.py``): now and next, a day's schedule, the day's
map, the downloads and the QR code of the link."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from itinerary import maps
from itinerary.exports.qr import qr_fits, qr_png
from itinerary.i18n import t
from itinerary.programmes import exports, tokens, view
from itinerary.programmes.feasibility import PlaceInfo
from itinerary.programmes.records import Full, Item
from ui.mapview import city_base_map, show_map
from ui.setup import PageContext
from ui.text import md_escape


def _line(row: view.Row, lang: str) -> str:
    place = row.place_name(lang)
    title = row.title(lang) or t(f"prog.kind_item.{row.item.kind}", lang)
    where = f" · {place}" if place and place != title else ""
    return f"**{md_escape(row.item.start)}–{md_escape(row.item.end)}** {md_escape(title)}{md_escape(where)}"


def now_next(full: Full, places: dict[str, PlaceInfo], now: datetime, timezone: str, lang: str) -> None:
    """Where the group is and where it goes next, by the city's clock."""
    current, upcoming = view.now_and_next(full, now, timezone)
    by_position = {r.item.position: r for r in view.rows(full, places)}

    def said(item: Item | None) -> str:
        return _line(by_position[item.position], lang) if item is not None else ""

    with st.container(key="prog_now_next", border=True):
        st.caption(t("prog.clock", lang, time=now.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")))
        if current is not None:
            st.markdown(f"{t('prog.now', lang)}{t('prog.colon', lang)}{said(current)}")
        if upcoming is not None:
            day = "" if current is not None and upcoming.day == current.day else f"{upcoming.day} "
            st.markdown(f"{t('prog.next', lang)}{t('prog.colon', lang)}{md_escape(day)}{said(upcoming)}")
        if current is None and upcoming is None:
            st.markdown(t("prog.ended", lang))


def schedule(rows: list[view.Row], lang: str) -> None:
    with st.container(key="prog_schedule"):
        for row in rows:
            with st.container(border=True):
                st.markdown(_line(row, lang))
                note = row.note(lang)
                if note:
                    st.markdown(md_escape(note))


def day_map(ctx: PageContext, rows: list[view.Row], *, key: str, height: int = 320) -> None:
    """The day's places, numbered in the order they are visited."""
    stops: list[maps.RouteStop] = []
    for row in rows:
        if row.place is not None and all(s.label != row.place_name(ctx.lang) for s in stops):
            stops.append(
                maps.RouteStop(f"p{len(stops) + 1}", row.place.lat, row.place.lon, row.place_name(ctx.lang))
            )
    if not stops:
        return
    base = city_base_map(ctx, links=True)
    center = (sum(s.lat for s in stops) / len(stops), sum(s.lon for s in stops) / len(stops))
    layer = maps.route_group(stops, lang=ctx.lang, name="programme")
    show_map(base, [layer], key=key, height=height, center=center, zoom=13, returned_objects=())


def downloads(
    full: Full, places: dict[str, PlaceInfo], *, timezone: str, city: tuple[str, str], link: str, lang: str
) -> None:
    ics = exports.to_ics(full, places, timezone=timezone, link=link, lang=lang)
    page = exports.to_print_html(full, places, timezone=timezone, city=city, link=link)
    with st.container(horizontal=True, key="prog_downloads"):
        st.download_button(
            t("prog.dl.ics", lang),
            ics.encode("utf-8"),
            f"{full.programme.id}.ics",
            "text/calendar",
            key="prog_ics",
        )
        st.download_button(
            t("prog.dl.print", lang),
            page.encode("utf-8"),
            f"{full.programme.id}.html",
            "text/html",
            key="prog_print",
        )


def qr(link: str, lang: str) -> None:
    """The link as a QR code large enough for badges and handouts."""
    if not qr_fits(link):
        return
    with st.container(key="prog_qr"):
        st.image(qr_png(link, scale=10), caption=t("prog.scan", lang), width=320, alt=t("prog.qr_alt", lang))


def upcoming_events(ctx: PageContext, today: date) -> None:
    """The city's public programmes that have not ended, each a link to its page."""
    upcoming = tokens.upcoming_public(ctx.catalog.store, ctx.city_id, today=today)
    if not upcoming:
        return
    with st.container(key="prog_upcoming", border=True):
        st.subheader(t("prog.upcoming", ctx.lang), anchor=False)
        for p in upcoming:
            title = p.title_zh if ctx.lang == "zh" and p.title_zh else p.title
            dates = p.start_date if p.start_date == p.end_date else f"{p.start_date} – {p.end_date}"
            params = {
                "city": p.city_id,
                "programme": p.id,
                **({"lang": ctx.lang} if ctx.lang != "en" else {}),
            }
            st.page_link(
                "pages/programme.py",
                label=f"{dates} · {md_escape(title)}",
                query_params=params,
                icon=":material/event:",
            )
