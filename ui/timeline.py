"""Timelines of scheduled plans: arrival and departure per stop, the leg before it, warnings."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from itinerary.catalog import localized_value
from itinerary.i18n import t
from itinerary.routing import CLOSES_BEFORE_END, OPENS_LATER, Schedule
from ui.text import md_escape


def duration_label(minutes: float, lang: str) -> str:
    h, m = divmod(round(minutes), 60)
    if lang == "zh":
        return f"{h} 小时 {m} 分钟" if h else f"{m} 分钟"
    return f"{h} h {m:02d} min" if h else f"{m} min"


def warning_text(code: str, visit_start: str, closes: str, lang: str) -> str:
    """The visitor's words for a schedule warning code of ``routing`` (each has a ``warn.`` key)."""
    return t(f"warn.{code}", lang, time=closes if code == CLOSES_BEFORE_END else visit_start)


def render_timeline(
    days: Sequence[Schedule], *, landmarks: pd.DataFrame, mode: str, lang: str, origin_label: str = ""
) -> list[str]:
    """Draw the plan day by day; return the ids of stops with warnings (for the map)."""
    flagged: list[str] = []
    mode_lower = t(f"mode.{mode}", lang).lower()
    number = 0
    for day_no, day in enumerate(days, start=1):
        if len(days) > 1:
            st.markdown(f"**{t('tl.day', lang, n=day_no, date=day.start.date().isoformat())}**")
        for visit in day.visits:
            pid = visit.place.id
            is_origin = pid not in landmarks.index
            name = origin_label if is_origin else localized_value(landmarks.loc[pid], "name", lang)
            if visit.travel_minutes > 0:
                st.caption(
                    "↓ "
                    + t(
                        "tl.leg",
                        lang,
                        minutes=round(visit.travel_minutes),
                        km=f"{visit.distance_km:.1f}",
                        mode_lower=mode_lower,
                    )
                )
            if not is_origin:
                number += 1
            label = f"**{number}. {md_escape(name)}**" if not is_origin else f"**{md_escape(name)}**"
            times = t(
                "tl.visit",
                lang,
                arrive=visit.start.strftime("%H:%M"),
                depart=visit.depart.strftime("%H:%M"),
                minutes=round(visit.place.dwell_minutes),
            )
            line = f"{label}  \n{md_escape(times)}"
            if visit.wait_minutes >= 1:
                line += " · " + md_escape(t("tl.wait", lang, minutes=round(visit.wait_minutes)))
            warnings = [
                warning_text(
                    code,
                    visit.start.strftime("%H:%M"),
                    visit.closes_at.strftime("%H:%M") if visit.closes_at else "",
                    lang,
                )
                for code in visit.warnings
                if code != OPENS_LATER
            ]
            if warnings and not is_origin:
                flagged.append(pid)
                line += "  \n" + " · ".join(f":orange[:material/warning: {md_escape(w)}]" for w in warnings)
            st.markdown(line)
        st.info(
            t(
                "tl.totals",
                lang,
                hours=duration_label(day.total_minutes, lang),
                travel=round(day.travel_minutes),
                km=f"{day.distance_km:.1f}",
                visit=round(day.visit_minutes),
                end=day.end.strftime("%H:%M"),
            ),
            icon=":material/schedule:",
        )
    return flagged
