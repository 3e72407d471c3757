"""Timelines of scheduled plans: arrival and departure per stop, the leg before it, warnings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from itinerary.catalog import localized_value
from itinerary.hours_text import hours_lines
from itinerary.i18n import t
from itinerary.plans import access_label, visit_warnings, warning_text
from itinerary.routing import Return, Schedule
from ui.text import md_escape

__all__ = ["duration_label", "render_timeline", "warning_text"]


def duration_label(minutes: float, lang: str) -> str:
    h, m = divmod(round(minutes), 60)
    if lang == "zh":
        return f"{h} 小时 {m} 分钟" if h else f"{m} 分钟"
    return f"{h} h {m:02d} min" if h else f"{m} min"


def _leg_caption(minutes: float, km: float, mode_lower: str, lang: str) -> None:
    st.caption("↓ " + t("tl.leg", lang, minutes=round(minutes), km=f"{km:.1f}", mode_lower=mode_lower))


def _render_back(
    back: Return, *, landmarks: pd.DataFrame, mode_lower: str, lang: str, origin_label: str
) -> None:
    """The leg home of a round trip and the arrival back, marked as where it began."""
    pid = back.place.id
    is_origin = pid not in landmarks.index
    name = origin_label if is_origin else localized_value(landmarks.loc[pid], "name", lang)
    _leg_caption(back.travel_minutes, back.distance_km, mode_lower, lang)
    label = _marked(None if is_origin else 1, t("plan.back_to", lang, name=name), lang)
    arrive = t("plan.back_arrive", lang, time=back.arrive.strftime("%H:%M"))
    st.markdown(f"**{md_escape(label)}**  \n{md_escape(arrive)}")


def _marked(number: int | None, name: str, lang: str) -> str:
    """ "2. Name" for a stop, "S · Name" (起点 · Name) for the start point, as on the map."""
    if number is None:
        return t("plan.start_row", lang, mark=t("plan.start_mark", lang), label=name)
    return f"{number}. {name}"


def render_timeline(
    days: Sequence[Schedule],
    *,
    landmarks: pd.DataFrame,
    mode: str,
    lang: str,
    origin_label: str = "",
    notes: Mapping[str, str] | None = None,
) -> list[str]:
    """Draw the plan day by day; return the ids of stops with warnings (for the map).

    Every landmark shows its access; ``notes`` are the curated notes by landmark id in ``lang``
    (``plans.stop_notes``), shown as plain text under the stop (a planned route has none).
    """
    notes = notes or {}
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
                _leg_caption(visit.travel_minutes, visit.distance_km, mode_lower, lang)
            if not is_origin:
                number += 1
            label = f"**{md_escape(_marked(None if is_origin else number, name, lang))}**"
            times = t(
                "tl.visit",
                lang,
                arrive=visit.start.strftime("%H:%M"),
                depart=visit.depart.strftime("%H:%M"),
                minutes=round(visit.place.dwell_minutes),
            )
            if is_origin:  # a start point is left, not visited
                times = t("plan.leave", lang, time=visit.depart.strftime("%H:%M"))
            line = f"{label}  \n{md_escape(times)}"
            if visit.wait_minutes >= 1:
                line += " · " + md_escape(t("tl.wait", lang, minutes=round(visit.wait_minutes)))
            warnings = visit_warnings(visit, lang)
            if warnings and not is_origin:
                flagged.append(pid)
                line += "  \n" + " · ".join(f":orange[:material/warning: {md_escape(w)}]" for w in warnings)
            st.markdown(line)
            if not is_origin:  # under the stop: hours, access, then the curated note (staff text, plain)
                for hours in hours_lines(landmarks.loc[pid, "opening_hours"], lang, on=visit.start.date()):
                    st.caption(":material/calendar_month: " + md_escape(hours))
                about = [":material/accessible: " + md_escape(access_label(landmarks.loc[pid], lang))]
                about += [md_escape(notes[pid])] if notes.get(pid) else []
                st.caption("  \n".join(about))
        if day.back is not None:
            _render_back(
                day.back, landmarks=landmarks, mode_lower=mode_lower, lang=lang, origin_label=origin_label
            )
        st.info(
            t(
                "tl.totals" if day.back is None else "plan.totals_back",
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
