"""AppTest of planning by need: Explore's filters in the link (wheelchair, free, open now,
district, access needs) and the step-free switch, swaps and the "inclusive" label on
Itineraries and Plan."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory, shared_links
from tests.app.test_explore import ALL, listed
from tests.app.test_itineraries import real_data  # noqa: F401  (a fixture)
from tests.conftest import DATA

ITIN = "pages/itineraries.py"
PLAN = "pages/plan.py"


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown]


# --- Explore: every filter in the link ---------------------------------------------------------

CHANGES = [
    ("toggle", "explore_free", True, {"free": "1"}),
    ("toggle", "explore_open", True, {"open": "1"}),
    ("segmented_control", "explore_wheelchair", "limited", {"wheelchair": "limited"}),
    ("multiselect", "explore_districts", ["Futian", "Nanshan"], {"district": "Futian,Nanshan"}),
    ("pills", "explore_needs", ["quiet", "step_free"], {"need": "step_free,quiet"}),
]


@pytest.mark.parametrize(("kind", "key", "value", "params"), CHANGES)
def test_each_filter_goes_into_the_link_and_a_shared_link_keeps_it(
    make_app: AppFactory,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    key: str,
    value: object,
    params: dict[str, str],
) -> None:
    monkeypatch.setenv("CITYPLUS_NOW", "2026-11-24T03:00:00+00:00")  # Tuesday 11:00 in Shenzhen
    at = make_app()
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception
    assert {k: at.query_params[k] for k in params} == params
    chosen = listed(at)
    shared = make_app(**params)  # a new visitor opens the link
    assert not shared.exception
    widget = getattr(shared, kind)(key=key).value
    assert (sorted(widget) if isinstance(widget, list) else widget) == (
        sorted(value) if isinstance(value, list) else value
    )
    assert listed(shared) == chosen


def test_a_link_with_several_filters_rebuilds_the_view(make_app: AppFactory) -> None:
    at = make_app(free="1", wheelchair="yes", district="Futian")
    assert listed(at) == ["Huaqiang North"]
    assert at.toggle(key="explore_free").value is True
    assert at.segmented_control(key="explore_wheelchair").value == "yes"
    assert at.multiselect(key="explore_districts").value == ["Futian"]
    assert not at.toggle(key="explore_open").value
    at.segmented_control(key="explore_wheelchair").set_value(None).run()  # deselected: any
    assert "wheelchair" not in at.query_params
    assert listed(at) == ["Huaqiang North", "Lianhuashan Park"]
    at.button(key="explore_clear_top").click().run()
    assert not {"free", "wheelchair", "district", "open", "need"} & set(at.query_params)
    assert listed(at) == ALL
    assert at.toggle(key="explore_free").value is False


def test_bad_filter_values_in_the_link_are_dropped_with_a_notice(make_app: AppFactory) -> None:
    at = make_app(free="yes", wheelchair="maybe", need="lift,step_free", district="Atlantis")
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert "The link's value “yes” for free was ignored." in notices
    assert "The link's value “maybe” for wheelchair was ignored." in notices
    assert "The link's value “Atlantis” for district was ignored." in notices
    assert "Unknown access need “lift” ignored." in notices
    assert at.query_params.get("need") == "step_free"
    assert not {"free", "wheelchair", "district"} & set(at.query_params)
    assert at.pills(key="explore_needs").value == ["step_free"]


def test_a_need_keeps_only_places_surveyed_to_meet_it(make_app: AppFactory) -> None:
    # the mini data has no access survey: nothing is shown as meeting a need, and the page says so
    at = make_app(need="toilet")
    assert listed(at) == []
    assert [i.value for i in at.info] == ["No landmark matches these filters."]


def test_the_needs_read_in_chinese(make_app: AppFactory) -> None:
    at = make_app(lang="zh")
    pills = at.pills(key="explore_needs")
    assert pills.label == "无障碍需求"
    assert list(pills.options) == ["无台阶入口", "无障碍卫生间", "助听环路", "安静空间"]


# --- the step-free switch ----------------------------------------------------------------------


def test_the_switch_on_an_itinerary_marks_stops_not_surveyed_and_long_walks(make_app: AppFactory) -> None:
    at = make_app(ITIN, itinerary="shenzhen-mini", date="2026-12-01")
    assert not any("Not surveyed: Entrance not surveyed" in line for line in texts(at))  # off: no marks
    at.toggle(key="itin_stepfree").set_value(True).run()
    assert not at.exception
    assert at.query_params["stepfree"] == "1"
    lines = texts(at)
    assert [w.value for w in at.warning] == ["3 of 3 stops: not step-free or not surveyed"]
    for number, name in ((1, "Lianhuashan Park"), (2, "Ping An Finance Center"), (3, "Huaqiang North")):
        assert any(
            line.startswith(f"**{number}. {name}**") and "Not surveyed: Entrance not surveyed" in line
            for line in lines
        )
    # a walking route: Lianhuashan Park to Ping An is about 2 km as the crow flies
    assert any(
        "Leg to 2. Ping An Finance Center: about" in line and "(more than 500 m)" in line for line in lines
    )
    # nothing is surveyed step-free, so there is nothing to swap in: said, not left blank
    assert "No step-free place of the same theme to swap in" in [c.value for c in at.caption]
    customise = next(p.proto for p in at.get("page_link") if p.proto.label == "Customise in Plan my route")
    assert customise.query_string.endswith("&stepfree=1")  # Plan opens with the switch on


def test_the_switch_is_in_the_link_and_off_clears_it(make_app: AppFactory) -> None:
    at = make_app(PLAN, stops="oct-loft,huaqiang-north", mode="walk", date="2026-12-01", stepfree="1")
    assert at.toggle(key="plan_stepfree").value is True
    assert any("OCT Loft" in line and "Entrance not surveyed" in line for line in texts(at))
    at.toggle(key="plan_stepfree").set_value(False).run()
    assert "stepfree" not in at.query_params
    assert not any("Not surveyed: Entrance not surveyed" in line for line in texts(at))


def test_the_label_on_the_list_and_the_itinerary_says_what_stands_in_its_way(make_app: AppFactory) -> None:
    at = make_app(ITIN)
    assert (
        ":material/accessible: Not labelled inclusive yet: 3 of its 3 stops have no confirmed step-free "
        "entrance (3 not surveyed)." in [c.value for c in at.caption]
    )
    at = make_app(ITIN, itinerary="shenzhen-mini", lang="zh")
    assert any(
        "尚未获得“无障碍友好”标签：3 站中有 3 站未确认有无台阶入口（3 站未调查）" in line
        for line in texts(at)
    )
    way = at.expander[0]
    assert way.label == "距离获得标签还差什么"
    assert any("1. 莲花山公园：入口情况未调查" in plain(m.value) for m in way.markdown)


# --- with surveyed access facts ------------------------------------------------------------------


def survey(folder: Path, facts: dict[str, dict[str, str]]) -> None:
    """Fill access facts of landmarks.csv (adding the optional columns the file lacks)."""
    path = folder / "landmarks.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    header = list(rows[0])
    header += sorted({c for cols in facts.values() for c in cols} - set(header))
    for row in rows:
        row.update({c: row.get(c, "") for c in header})
        row.update(facts.get(row["id"], {}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def replace_stop(folder: Path, itinerary: str, position: int, landmark: str) -> None:
    path = folder / "itinerary_stops.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    for row in rows:
        if row["itinerary_id"] == itinerary and row["position"] == str(position):
            row["landmark_id"] = landmark
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


FACTS = {
    "ping-an-finance-center": {"entrance_steps": "0", "seating": "yes"},
    "huaqiang-north": {"entrance_steps": "2", "entrance_ramp": "no", "entrance_step_height_cm": "15"},
    "lianhuashan-park": {"entrance_ramp": "yes"},
    "oct-loft": {"toilet_wheelchair": "yes", "quiet_hours": "Tu 10:00-12:00"},
    "shenzhen-museum-draft": {"entrance_steps": "0"},  # a draft: never offered
}


@pytest.mark.parametrize(
    ("need", "expected"),
    [
        ("step_free", ["Lianhuashan Park", "Ping An Finance Center"]),
        ("toilet", ["OCT Loft"]),
        ("quiet", ["OCT Loft"]),
        ("step_free,toilet", []),
        ("hearing_loop", []),
    ],
)
def test_the_need_filter_on_surveyed_places(
    make_app: AppFactory, app_env: Path, need: str, expected: list[str]
) -> None:
    survey(app_env, FACTS)
    at = make_app(need=need)
    assert not at.exception
    assert listed(at) == expected


def test_plan_swaps_a_stop_that_is_not_step_free(make_app: AppFactory, app_env: Path) -> None:
    survey(app_env, FACTS)
    at = make_app(PLAN, stops="huaqiang-north,oct-loft", mode="walk", date="2026-12-01", stepfree="1")
    assert not at.exception
    lines = texts(at)
    assert any(
        line.startswith("**1. Huaqiang North**")
        and "Not step-free: Entrance steps: 2 of 15 cm, no ramp" in line
        for line in lines
    )
    assert any(
        line.startswith("**2. OCT Loft**") and "Not surveyed: Entrance not surveyed" in line for line in lines
    )
    swap = at.button(key="sf_swap_huaqiang-north")
    # Ping An shares Huaqiang North's first theme (innovation) and is step-free
    assert plain(swap.label) == "Swap for Ping An Finance Center (3.6 km away)"
    swap.click().run()
    assert at.query_params["stops"] == "ping-an-finance-center,oct-loft"
    assert "Huaqiang North was swapped for Ping An Finance Center." in [plain(s.value) for s in at.success]
    assert [w.value for w in at.warning] == ["1 of 2 stops: not step-free or not surveyed"]


def test_itinerary_swap_opens_plan_with_the_stop_swapped(make_app: AppFactory, app_env: Path) -> None:
    survey(app_env, FACTS)
    replace_stop(app_env, "shenzhen-mini", 2, "oct-loft")  # Ping An is then free to swap in
    at = make_app(ITIN, itinerary="shenzhen-mini", date="2026-12-01", stepfree="1")
    assert not at.exception
    links = {plain(p.proto.label): p.proto.query_string for p in at.get("page_link")}
    label = next(k for k in links if k.startswith("Swap for Ping An Finance Center ("))
    assert label == "Swap for Ping An Finance Center (3.6 km away)"  # over a kilometre: in km
    assert "Opens Plan my route with this itinerary's stops, this one swapped." in [
        c.value for c in at.caption
    ]
    assert "stops=lianhuashan-park%2Coct-loft%2Cping-an-finance-center" in links[label]
    assert links[label].endswith("&stepfree=1")


def test_a_route_with_a_seat_and_every_entrance_step_free_earns_the_label(
    make_app: AppFactory, app_env: Path
) -> None:
    survey(app_env, {**FACTS, "huaqiang-north": {"entrance_steps": "0"}})
    at = make_app(ITIN)
    assert ":green-badge[:material/verified: Inclusive]" in [m.value for m in at.markdown]
    assert "Every stop has a step-free entrance (no steps, or a ramp)." in [c.value for c in at.caption]
    at = make_app(ITIN, itinerary="shenzhen-mini", date="2026-12-01", stepfree="1")
    assert any("Every one of its 3 stops has a step-free entrance" in m.value for m in at.markdown)
    why = next(e for e in at.expander if e.label == "What the label is based on")
    assert [plain(m.value) for m in why.markdown] == [
        "- 1. Lianhuashan Park: Ramp at the entrance",
        "- 2. Ping An Finance Center: Entrance without steps",
        "- 3. Huaqiang North: Entrance without steps",
    ]
    assert "Every stop has a step-free entrance (no steps, or a ramp)." in [s.value for s in at.success]
    # the seat at Ping An breaks the day: no stretch is flagged
    assert not any("known to have seating" in line for line in texts(at))


def test_a_long_day_without_a_seat_is_flagged(make_app: AppFactory, app_env: Path) -> None:
    survey(app_env, {"ping-an-finance-center": {"seating": "no"}})
    at = make_app(ITIN, itinerary="shenzhen-mini", date="2026-12-01", stepfree="1")
    assert any(
        "Day 1: about " in line
        and "walking and visiting from Lianhuashan Park to Huaqiang North with no stop known to have seating "
        "(more than 120 min)"
        in line
        for line in texts(at)
    )


def test_itinerary_offers_every_swap_at_once(make_app: AppFactory, app_env: Path) -> None:
    survey(app_env, {**FACTS, "dongmen-night-snacks": {"entrance_steps": "0"}})
    replace_stop(app_env, "shenzhen-mini", 2, "oct-loft")  # OCT Loft (food) can become Dongmen
    at = make_app(ITIN, itinerary="shenzhen-mini", date="2026-12-01", stepfree="1")
    links = {plain(p.proto.label): p.proto.query_string for p in at.get("page_link")}
    every = links["Plan it step-free: open in Plan with all 2 swaps"]
    assert "stops=lianhuashan-park%2Cdongmen-night-snacks%2Cping-an-finance-center" in every
    assert every.endswith("&stepfree=1")


def test_the_shared_plan_link_keeps_the_switch(make_app: AppFactory) -> None:
    at = make_app(PLAN, stops="oct-loft,huaqiang-north", date="2026-12-01", stepfree="1")
    assert any(link.endswith("&stepfree=1") for link in shared_links(at))
    at.toggle(key="plan_stepfree").set_value(False).run()
    assert shared_links(at) and not any("stepfree" in link for link in shared_links(at))


def test_the_switch_reads_in_chinese(make_app: AppFactory, app_env: Path) -> None:
    survey(app_env, FACTS)
    at = make_app(
        PLAN, stops="huaqiang-north,oct-loft", mode="walk", date="2026-12-01", stepfree="1", lang="zh"
    )
    lines = texts(at)
    assert any(
        line.startswith("**1. 华强北**") and "不满足无台阶：入口台阶：2 级，每级 15 厘米，无坡道" in line
        for line in lines
    )
    assert any(
        line.startswith("**2. 华侨城创意文化园**") and "未调查：入口情况未调查" in line for line in lines
    )
    assert plain(at.button(key="sf_swap_huaqiang-north").label) == "换成平安金融中心（相距 3.6 公里）"
    assert at.toggle(key="plan_stepfree").label == "无台阶"


@pytest.mark.usefixtures("real_data")
def test_the_must_go_itinerary_shows_what_stands_between_it_and_the_label(make_app: AppFactory) -> None:
    raw = {r["id"]: r for r in csv.DictReader((DATA / "landmarks.csv").open(encoding="utf-8", newline=""))}
    stops = [r for r in csv.DictReader((DATA / "itinerary_stops.csv").open(encoding="utf-8", newline=""))]
    route = [r["landmark_id"] for r in stops if r["itinerary_id"] == "shenzhen-must-go"]
    # the rule read straight off the file's cells: no entrance steps, or a ramp
    in_the_way = [
        lid for lid in route if not (raw[lid]["entrance_steps"] == "0" or raw[lid]["entrance_ramp"] == "yes")
    ]
    assert in_the_way and "huaqiang-north" not in in_the_way
    at = make_app(ITIN, itinerary="shenzhen-must-go", date="2026-12-05")
    assert not at.exception
    headline = next(m.value for m in at.markdown if "inclusive" in m.value)
    assert headline.startswith(
        f":material/accessible: Not labelled inclusive yet: {len(in_the_way)} of its 8 stops"
    )
    way = next(e for e in at.expander if e.label == "What stands between it and the label")
    names = {lid: raw[lid]["name"] for lid in route}
    listed_stops = [plain(m.value) for m in way.markdown]
    assert [line.split(": ")[0] for line in listed_stops] == [
        f"- {route.index(lid) + 1}. {names[lid]}" for lid in in_the_way
    ]
    at.toggle(key="itin_stepfree").set_value(True).run()
    assert [w.value for w in at.warning][-1] == f"{len(in_the_way)} of 8 stops: not step-free or not surveyed"
