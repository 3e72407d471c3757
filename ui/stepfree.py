"""Step-free planning on Itineraries and Plan: the switch (``stepfree=1`` in the link), each
stop that is not step-free or not surveyed with its reason and a swap, long legs on foot, long
stretches without a seat, and the "inclusive" label. The rules are ``itinerary.stepfree``'s;
this module only shows them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time

import pandas as pd
import streamlit as st

from itinerary.catalog import localized
from itinerary.i18n import join_list, t
from itinerary.routing import Schedule
from itinerary.stepfree import (
    FAIL,
    UNKNOWN,
    Label,
    RouteReport,
    StopIssue,
    check_route,
    counts,
    inclusive_label,
    swap_all,
    swapped,
)
from ui.setup import PageContext, set_query
from ui.text import md_escape
from ui.timeline import duration_label

PARAM = "stepfree"  # in the link: stepfree=1
ON = "1"


def is_on() -> bool:
    return st.query_params.get(PARAM) == ON


def _on_switch(key: str) -> None:
    set_query(**{PARAM: ON if st.session_state[key] else None})


def switch(prefix: str, lang: str) -> bool:
    """The "Step-free" toggle keyed ``{prefix}_stepfree``; the link holds its state."""
    key = f"{prefix}_stepfree"
    st.session_state[key] = is_on()
    st.toggle(
        t("sf.switch", lang),
        key=key,
        help=t("sf.switch_help", lang),
        on_change=_on_switch,
        args=(key,),
    )
    return is_on()


def distance_label(metres: int, lang: str) -> str:
    """Metres under a kilometre, else kilometres with one decimal ("935 m", "11.7 km")."""
    if metres < 1000:
        return t("sf.metres", lang, metres=metres)
    return t("sf.km", lang, km=f"{metres / 1000:.1f}")


def _stop_line(number: int, name: str, reason: str, lang: str) -> str:
    return md_escape(t("sf.stop", lang, number=number, name=name, reason=reason))


# --- the "inclusive" label -----------------------------------------------------------------------


def label_line(label: Label, lang: str) -> None:
    """The label on an itinerary's card in a list: the badge when earned, else what is missing."""
    if label.inclusive:
        st.markdown(f":green-badge[:material/verified: {t('sf.label', lang)}]")
        st.caption(t("sf.all_pass", lang))
    elif label.stops:
        st.caption(":material/accessible: " + _missing_text(label, lang))


def _missing_text(label: Label, lang: str) -> str:
    tally = counts(label)
    parts = [
        t(key, lang, n=tally[kind])
        for key, kind in (("sf.missing_failing", FAIL), ("sf.missing_unknown", UNKNOWN))
    ]
    detail = join_list((part for part, kind in zip(parts, (FAIL, UNKNOWN), strict=True) if tally[kind]), lang)
    return t(
        "sf.label_missing", lang, blocking=len(label.standing_in_the_way), count=label.stops, detail=detail
    )


def label_block(label: Label, landmarks: pd.DataFrame, lang: str) -> None:
    """The label of a shown itinerary with its reasons: why it is earned, or what stands in its way."""
    if not label.stops:
        return
    names = localized(landmarks, "name", lang)
    if label.inclusive:
        st.markdown(
            f":green-badge[:material/verified: {t('sf.label', lang)}] {t('sf.label_earned', lang, count=label.stops)}"
        )
        title = t("sf.label_why", lang)
    else:
        st.markdown(":material/accessible: " + _missing_text(label, lang))
        title = t("sf.label_way", lang)
    with st.expander(title):
        for number, lid, found in label.reasons:
            st.markdown("- " + _stop_line(number, names.get(lid, lid), found.reason.text(lang), lang))


# --- the switch's report -------------------------------------------------------------------------


def _swap_in_plan(ids: list[str], old: str, new: str, names: dict[str, str]) -> None:
    set_query(stops=",".join(swapped(ids, old, new)))
    st.session_state["sf_swapped"] = (names.get(old, old), names.get(new, new))


def _plan_params(ctx: PageContext, ids: Sequence[str], mode: str, start: time, day: date) -> dict[str, str]:
    params = {
        "city": ctx.city_id,
        "stops": ",".join(ids),
        "mode": mode,
        "start": start.strftime("%H:%M"),
        "date": day.isoformat(),
        "lang": ctx.lang if ctx.lang != "en" else "",
        PARAM: ON,
    }
    return {k: v for k, v in params.items() if v}


def _issue(
    issue: StopIssue, names: dict[str, str], lang: str, swap_action: Callable[[StopIssue], None]
) -> None:
    verdict = t("sf.fail" if issue.check.outcome == FAIL else "sf.unknown", lang)
    name = names.get(issue.landmark_id, issue.landmark_id)
    with st.container(border=True):
        st.markdown(
            f"**{md_escape(f'{issue.number}. {name}')}**  \n:material/warning: "
            + md_escape(t("sf.verdict", lang, verdict=verdict, reason=issue.check.reason.text(lang)))
        )
        if issue.swap is None:
            st.caption(t("sf.no_swap", lang))
        else:
            swap_action(issue)


def report_panel(
    ctx: PageContext,
    landmarks: pd.DataFrame,
    days: Sequence[Schedule],
    ids: list[str],
    *,
    mode: str,
    start: time,
    day: date,
    in_plan: bool,
) -> RouteReport:
    """The switch's findings for a route. In Plan a swap is a button that replaces the stop in
    the visitor's plan; on Itineraries it opens Plan with the itinerary's stops, swapped."""
    lang = ctx.lang
    report = check_route(landmarks, days, mode=mode, city_id=ctx.city_id)
    names = dict(localized(landmarks, "name", lang))
    done = st.session_state.pop("sf_swapped", None)
    if done:
        st.success(md_escape(t("sf.swapped", lang, old=done[0], new=done[1])), icon=":material/swap_horiz:")
    if report.all_pass:
        st.success(t("sf.all_pass", lang), icon=":material/accessible:")
    elif report.issues:
        st.warning(t("sf.issues", lang, count=len(report.issues), total=len(report.checks)))

    def action(issue: StopIssue) -> None:
        assert issue.swap is not None
        label = t(
            "sf.swap",
            lang,
            name=names.get(issue.swap.landmark_id, ""),
            distance=distance_label(issue.swap.metres, lang),
        )
        if in_plan:
            st.button(
                md_escape(label),
                key=f"sf_swap_{issue.landmark_id}",
                icon=":material/swap_horiz:",
                on_click=_swap_in_plan,
                args=(ids, issue.landmark_id, issue.swap.landmark_id, names),
            )
        else:
            st.page_link(
                "pages/plan.py",
                label=md_escape(label),
                icon=":material/swap_horiz:",
                query_params=_plan_params(
                    ctx, swapped(ids, issue.landmark_id, issue.swap.landmark_id), mode, start, day
                ),
            )
            st.caption(t("sf.swap_opens_plan", lang))

    for issue in report.issues:
        _issue(issue, names, lang, action)
    all_ids, applied = swap_all(ids, report.issues)
    if not in_plan and applied > 1:
        st.page_link(
            "pages/plan.py",
            label=t("sf.plan_all", lang, count=applied),
            icon=":material/edit_road:",
            query_params=_plan_params(ctx, all_ids, mode, start, day),
        )
    _legs_and_days(report, names, mode, lang)
    return report


def _legs_and_days(report: RouteReport, names: dict[str, str], mode: str, lang: str) -> None:
    lines = [
        ":material/directions_walk: "
        + md_escape(
            t(
                "sf.long_leg",
                lang,
                number=leg.number,
                name=names.get(leg.landmark_id, leg.landmark_id),
                distance=distance_label(leg.metres, lang),
                limit=report.walk_limit_m,
            )
        )
        for leg in report.long_legs
    ]
    for stretch in report.long_stretches:
        key = "sf.long_stretch_one" if stretch.first == stretch.last else "sf.long_stretch"
        text = t(
            key,
            lang,
            day=stretch.day,
            duration=duration_label(stretch.minutes, lang),
            first=names.get(stretch.first, stretch.first),
            last=names.get(stretch.last, stretch.last),
            limit=report.seat_limit_minutes,
        )
        lines.append(":material/chair: " + md_escape(text))
    if lines:
        st.markdown("  \n".join(lines))
    if mode != "walk":
        st.caption(t("sf.legs_not_walked", lang, mode_lower=t(f"mode.{mode}", lang).lower()))
    elif not report.long_legs:
        st.caption(t("sf.legs_ok", lang, limit=report.walk_limit_m))


# --- what the pages call -------------------------------------------------------------------------


def itinerary_label_and_switch(ctx: PageContext, landmarks: pd.DataFrame, ids: list[str]) -> bool:
    """On a shown itinerary: its "inclusive" label with reasons, and the step-free switch."""
    label_block(inclusive_label(landmarks, ids), landmarks, ctx.lang)
    return switch("itin", ctx.lang) and bool(ids)


def itinerary_report(
    ctx: PageContext,
    landmarks: pd.DataFrame,
    days: Sequence[Schedule],
    ids: list[str],
    *,
    mode: str,
    start: time,
    day: date,
) -> None:
    """The switch's findings on a shown itinerary: swaps open Plan."""
    report_panel(ctx, landmarks, days, ids, mode=mode, start=start, day=day, in_plan=False)


def plan_switch(ctx: PageContext, ids: list[str]) -> bool:
    """On Plan: the step-free switch (by the trip settings); True when it is on and there are stops."""
    return switch("plan", ctx.lang) and bool(ids)


def plan_report(
    ctx: PageContext,
    landmarks: pd.DataFrame,
    days: Sequence[Schedule],
    ids: list[str],
    *,
    mode: str,
    start: time,
    day: date,
) -> None:
    """The switch's findings on Plan: a swap is a button that replaces the stop in the plan."""
    report_panel(ctx, landmarks, days, ids, mode=mode, start=start, day=day, in_plan=True)
