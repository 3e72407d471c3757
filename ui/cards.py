"""Landmark cards: what a visitor sees of one place (Explore, Itineraries, Plan, Kiosk)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from itinerary.access_facts import fact_lines
from itinerary.catalog import localized_value
from itinerary.hours import describe_status, status_at
from itinerary.hours_text import hours_lines
from itinerary.i18n import t
from itinerary.maps import safe_url
from ui.text import md_escape, outside_link


def price_label(price: str, lang: str) -> str:
    if price == "free":
        return t("price.free", lang)
    return price or t("price.unknown", lang)


def landmark_card(row: pd.Series, *, themes: pd.DataFrame, timezone: str, now: datetime, lang: str) -> None:
    """The card of one landmark row (from ``Catalog.landmarks``).

    All data text is escaped (``md_escape``: no formatting, no autolinked URLs); the website
    field is the card's only link.
    """
    other = "en" if lang == "zh" else "zh"
    st.subheader(md_escape(localized_value(row, "name", lang)), anchor=False)
    second = localized_value(row, "name", other)
    if second and second != localized_value(row, "name", lang):
        st.caption(md_escape(second))
    labels = [localized_value(themes.loc[tid], "label", lang) for tid in row["themes"] if tid in themes.index]
    if labels:
        st.markdown(" ".join(f":blue-badge[{md_escape(label)}]" for label in labels))
    summary = localized_value(row, "summary", lang)
    if summary:
        st.markdown(md_escape(summary))
    hours = str(row["opening_hours"] or "")
    status = describe_status(status_at(hours, now, timezone), now, lang)
    # Material icons ship with Streamlit (no emoji font or network needed)
    lines = [f":material/schedule: **{md_escape(status)}**"]
    lines += [
        ":material/calendar_month: " + md_escape(line) for line in hours_lines(hours, lang, on=now.date())
    ]
    lines += [
        ":material/timer: " + md_escape(t("card.visit", lang, minutes=int(row["visit_minutes"]))),
        ":material/accessible: " + md_escape(t(f"wheelchair.{row['wheelchair']}", lang)),
        ":material/confirmation_number: "
        + md_escape(t("card.price", lang, price=price_label(str(row["price"]), lang))),
    ]
    # Chinese pages show district_zh and address_zh where filled, English otherwise
    district = localized_value(row, "district", lang)
    if district:
        lines.append(":material/location_city: " + md_escape(t("card.district", lang, district=district)))
    address = localized_value(row, "address", lang)
    if address:
        lines.append(":material/location_on: " + md_escape(t("card.address", lang, address=address)))
    st.markdown("  \n".join(lines))
    access_facts(row, lang)
    # the one outside link of a card: http(s) only, a new tab, rel="noopener noreferrer"
    link = outside_link(t("card.website", lang), safe_url(row["website"]))
    if link:
        st.markdown(f":material/language: {link}")


def access_facts(row: pd.Series, lang: str) -> None:
    """The landmark's access facts, an icon with text each (wording: ``itinerary.access_facts``)."""
    lines = [f":material/{line.icon}: {md_escape(line.text)}" for line in fact_lines(row, lang)]
    st.markdown(f"**{md_escape(t('access.heading', lang))}**  \n" + "  \n".join(lines))
