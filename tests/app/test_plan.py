"""AppTest of Plan my route: the plan in the link, editing, optimising, fitting, exports."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory

PAGE = "pages/plan.py"


def stops(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if re.match(r"^\d+\\?\. ", m.value)]


def test_the_link_rebuilds_the_plan_and_drops_unknown_ids(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="oct-loft,atlantis,huaqiang-north,space-needle", mode="walk", date="2026-12-01")
    assert not at.exception
    assert stops(at) == ["1. OCT Loft", "2. Huaqiang North"]
    assert "Not in this city, dropped from the link: atlantis, space-needle" in [w.value for w in at.warning]
    assert at.query_params["stops"] == "oct-loft,huaqiang-north"


def test_add_reorder_remove(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="oct-loft")
    at.selectbox(key="plan_add").set_value("huaqiang-north").run()
    at.button(key="plan_add_button").click().run()
    assert at.query_params["stops"] == "oct-loft,huaqiang-north"
    at.button(key="up_huaqiang-north").click().run()
    assert at.query_params["stops"] == "huaqiang-north,oct-loft"
    at.button(key="rm_oct-loft").click().run()
    assert at.query_params["stops"] == "huaqiang-north"
    assert stops(at) == ["1. Huaqiang North"]


def test_optimise_changes_the_order_and_the_link(make_app: AppFactory) -> None:
    # a zig-zag across Futian and Nanshan; the best order from Lianhuashan goes east first
    at = make_app(
        PAGE, stops="lianhuashan-park,oct-loft,huaqiang-north,ping-an-finance-center", date="2026-12-01"
    )
    at.button(key="plan_optimise").click().run()
    assert at.query_params["stops"].split(",")[0] == "lianhuashan-park"  # the start stays
    assert at.query_params["stops"] != "lianhuashan-park,oct-loft,huaqiang-north,ping-an-finance-center"
    assert at.success[0].value.startswith("New order: about ")


def test_optimise_reports_a_stop_that_cannot_be_made(make_app: AppFactory) -> None:
    # OCT Loft is closed on Mondays (2026-11-23): no order can visit it while open
    at = make_app(PAGE, stops="huaqiang-north,oct-loft,ping-an-finance-center", date="2026-11-23")
    at.button(key="plan_optimise").click().run()
    assert any("Cannot be visited while open on that day: OCT Loft" in w.value for w in at.warning)


def test_fit_my_time_keeps_must_see(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="lianhuashan-park,oct-loft,huaqiang-north,ping-an-finance-center", mode="drive")
    at.checkbox(key="must_oct-loft").check().run()
    at.number_input(key="plan_budget").set_value(4.0).run()
    at.button(key="plan_fit").click().run()
    kept = at.query_params["stops"].split(",")
    assert "oct-loft" in kept and kept[0] == "lianhuashan-park"
    assert len(kept) < 4
    assert any(i.value.startswith(f"Kept {len(kept)} of 4 stops to fit 4 h") for i in at.info)


def test_fit_my_time_says_when_even_must_see_do_not_fit(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="lianhuashan-park,oct-loft,huaqiang-north", mode="drive")
    at.checkbox(key="must_oct-loft").check().run()
    at.number_input(key="plan_budget").set_value(1.0).run()
    at.button(key="plan_fit").click().run()
    assert "Even the must-see stops need more than 1 h." in [w.value for w in at.warning]


def test_take_it_along(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="oct-loft,huaqiang-north", date="2026-12-01", start="10:00")
    link = at.code[0].value
    assert link.endswith(
        "/plan?city=shenzhen&stops=oct-loft,huaqiang-north&mode=transit&start=10:00&date=2026-12-01"
    )
    labels = {b.label for b in at.get("download_button")}
    assert {
        "GPX (maps apps)",
        "Calendar (.ics)",
        "GeoJSON",
        "Spreadsheet (CSV)",
        "KML (Google Earth)",
        "Printable page",
        "QR code (PNG)",
        "QR code (SVG)",
    } <= labels


def test_public_url_is_used_for_share_links(make_app: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CITYPLUS_PUBLIC_URL", "https://visit.example.org/sz")
    at = make_app(PAGE, stops="oct-loft")
    assert at.code[0].value.startswith("https://visit.example.org/sz/plan?city=shenzhen&stops=oct-loft")


def test_start_from_typed_coordinates(make_app: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CITYPLUS_GEOCODER", "off")  # no network here: coordinates still work
    at = make_app(PAGE, stops="oct-loft")
    at.text_input(key="plan_address").set_value("22.5431, 114.0579").run()
    at.button(key="plan_find").click().run()
    at.button(key="geo_0").click().run()
    assert at.query_params["origin"] == "22.543100,114.057900"
    assert any(m.value.startswith("Start") for m in at.markdown)


@pytest.mark.parametrize("origin", ["nan,nan", "1e308,0", "north,east", "91,0", "22.5"])
def test_a_bad_origin_is_dropped_with_a_notice(make_app: AppFactory, origin: str) -> None:
    at = make_app(PAGE, stops="oct-loft,huaqiang-north", origin=origin, origin_name="Hotel")
    assert not at.exception
    assert any(origin in w.value and "first stop" in w.value for w in at.warning), [
        w.value for w in at.warning
    ]
    assert "origin" not in at.query_params and "origin_name" not in at.query_params


def test_the_timeline_shows_access_and_no_curated_notes(make_app: AppFactory) -> None:
    # Huaqiang North has a note in the mini itinerary ("Bring cash."); a planned route has none
    at = make_app(PAGE, stops="lianhuashan-park,huaqiang-north", date="2026-12-01")
    about = [c.value for c in at.caption if c.value.startswith(":material/accessible:")]
    assert about == [":material/accessible: Partly accessible", ":material/accessible: Wheelchair accessible"]
    assert not any("Bring cash" in c.value for c in at.caption)
    assert "ends at" in at.info[0].value and "back at" not in at.info[0].value
