"""AppTest of Plan my route: the plan in the link, editing, optimising, fitting, exports."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import AppFactory, shared_links
from ui.sharelink import share_html

PAGE = "pages/plan.py"


def plain(text: str) -> str:
    """Markdown as a visitor reads it: without the escapes of ``md_escape``."""
    return re.sub(r"\\(.)", r"\1", text)


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
    link = shared_links(at)[0]
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


def test_the_link_box_is_escaped_and_in_both_languages(make_app: AppFactory) -> None:
    """Plan's link box (ui/sharelink.py): the link as text, no code block (which would make the
    browser fetch Streamlit's syntax highlighter), the button and the messages in the page's
    language, and whatever the link holds escaped."""
    at = make_app(PAGE, stops="oct-loft", lang="zh")
    assert not [c for c in at.code if "/plan?" in c.value]
    box = next(h.value for h in at.html if "cp-share-link" in h.value)
    assert "复制链接" in box and "链接已复制" in box and "本路线链接" in box
    (link,) = shared_links(at)
    assert "/plan?city=shenzhen&stops=oct-loft&" in link and "&lang=zh" in link
    hostile = share_html('https://x.example/?a=1&b="><script>alert(1)</script>', "en", "cp-test")
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile and "Copy link" in hostile


def test_public_url_is_used_for_share_links(make_app: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CITYPLUS_PUBLIC_URL", "https://visit.example.org/sz")
    at = make_app(PAGE, stops="oct-loft")
    assert shared_links(at)[0].startswith("https://visit.example.org/sz/plan?city=shenzhen&stops=oct-loft")


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


# ------------------------------------------------------------------ plans that tell the truth


def test_a_link_with_500_unknown_ids_counts_them_and_lists_a_few(make_app: AppFactory) -> None:
    unknown = [f"nowhere-{n}" for n in range(500)]
    at = make_app(PAGE, stops=",".join(["oct-loft", *unknown]))
    notices = [w.value for w in at.warning if "unknown stops" in w.value]
    assert notices == [
        "500 unknown stops were left out of the link: nowhere-0, nowhere-1, nowhere-2, nowhere-3, nowhere-4 and 495 more."
    ]
    assert stops(at) == ["1. OCT Loft"] and at.query_params["stops"] == "oct-loft"


@pytest.mark.parametrize(
    ("value", "notice"),
    [("2026-02-30", "There is no such date as “2026-02-30”; ignored."), ("30/02/2026", "Date “30/02/2026” is not YYYY-MM-DD; ignored.")],
)  # fmt: skip
def test_a_date_that_does_not_exist_is_no_such_date(make_app: AppFactory, value: str, notice: str) -> None:
    at = make_app(PAGE, stops="oct-loft", date=value)
    assert notice in [w.value for w in at.warning]
    assert "date" not in at.query_params


def test_the_start_is_marked_s_in_the_list_and_the_timeline(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="oct-loft,huaqiang-north", origin="22.5431,114.0579", origin_name="Hotel")
    texts = [plain(m.value) for m in at.markdown]
    assert "S · Hotel" in texts  # the list's first row
    assert "**S · Hotel**  \nleave 09:00" in texts  # the timeline: a start is left, not visited
    assert stops(at) == ["1. OCT Loft", "2. Huaqiang North"]  # numbers after the start, as on the map
    assert any(m.startswith("**1. OCT Loft**") for m in texts)
    zh = make_app(PAGE, stops="oct-loft", origin="22.5431,114.0579", origin_name="Hotel", lang="zh")
    assert "起点：Hotel" in [plain(m.value) for m in zh.markdown]


def test_a_round_trip_is_in_the_link_and_ends_back_at_the_start(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="oct-loft,huaqiang-north", origin="22.5431,114.0579", origin_name="Hotel")
    assert "round_trip" not in at.query_params
    assert not any("Back at" in m.value for m in at.markdown)
    at.checkbox(key="plan_round_trip").check().run()
    assert at.query_params["round_trip"] == "1"
    back = [plain(m.value) for m in at.markdown if "Back at" in m.value]
    assert len(back) == 1 and back[0].startswith("**S · Back at Hotel**")
    assert "back at" in at.info[-1].value and "ends at" not in at.info[-1].value
    assert shared_links(at)[0].endswith("&round_trip=1")
    # the file has the way back too
    again = make_app(PAGE, stops="oct-loft,huaqiang-north", round_trip="1")
    back = [plain(m.value) for m in again.markdown if "Back at" in m.value]
    assert len(back) == 1 and back[0].startswith("**1. Back at OCT Loft**")


def test_optimise_says_when_the_order_was_already_the_best(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="huaqiang-north,oct-loft,lianhuashan-park", round_trip="1", date="2026-12-01")
    at.button(key="plan_optimise").click().run()
    assert [i.value for i in at.info if "already" in i.value] == [
        next(i.value for i in at.info if i.value.startswith("This order is already the shortest: about "))
    ]
    assert not at.success and " instead of " not in " ".join(i.value for i in at.info)
    assert at.query_params["stops"] == "huaqiang-north,oct-loft,lianhuashan-park"


def test_fit_my_time_that_fails_changes_nothing(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="lianhuashan-park,oct-loft,huaqiang-north", mode="drive")
    at.checkbox(key="must_oct-loft").check().run()
    at.number_input(key="plan_budget").set_value(1.0).run()
    at.button(key="plan_fit").click().run()
    assert at.query_params["stops"] == "lianhuashan-park,oct-loft,huaqiang-north"
    assert stops(at) == ["1. Lianhuashan Park", "2. OCT Loft", "3. Huaqiang North"]
    assert "Your route was left as it was." in [c.value for c in at.caption]
    assert not _has_button(at, "plan_undo")


def test_fit_my_time_from_a_start_that_keeps_no_stop_changes_nothing(make_app: AppFactory) -> None:
    """From a start address, a budget too short for any stop would keep the start alone: that is
    no fit, and the route stays as it was (a review found it emptied)."""
    ids = "huaqiang-north,oct-loft,lianhuashan-park"
    at = make_app(PAGE, stops=ids, origin="22.5431,114.0579", origin_name="Hotel", round_trip="1")
    at.number_input(key="plan_budget").set_value(0.5).run()
    at.button(key="plan_fit").click().run()
    assert at.query_params["stops"] == ids
    assert len(stops(at)) == 3
    assert "Your route was left as it was." in [c.value for c in at.caption]
    assert not _has_button(at, "plan_undo")


def _has_button(at: AppTest, key: str) -> bool:
    return any(b.key == key for b in at.button)


def test_fit_my_time_lists_what_it_left_out_with_one_undo(make_app: AppFactory) -> None:
    ids = "lianhuashan-park,oct-loft,huaqiang-north,ping-an-finance-center"
    at = make_app(PAGE, stops=ids, mode="drive")
    at.checkbox(key="must_oct-loft").check().run()
    at.number_input(key="plan_budget").set_value(4.0).run()
    at.button(key="plan_fit").click().run()
    kept = at.query_params["stops"].split(",")
    left_out = [x for x in ids.split(",") if x not in kept]
    assert left_out and "oct-loft" in kept
    info = next(i.value for i in at.info if i.value.startswith(f"Kept {len(kept)} of 4 stops"))
    assert info.endswith("; left out: " + ", ".join({"huaqiang-north": "Huaqiang North", "ping-an-finance-center": "Ping An Finance Center", "lianhuashan-park": "Lianhuashan Park"}[x] for x in left_out) + ".")  # fmt: skip
    assert _has_button(at, "plan_undo")
    at.button(key="plan_undo").click().run()
    assert at.query_params["stops"] == ids
    assert "Your route is back as it was." in [s.value for s in at.success]
    assert not _has_button(at, "plan_undo")  # one undo


def test_the_undo_goes_once_the_plan_changes(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="lianhuashan-park,oct-loft,huaqiang-north,ping-an-finance-center", mode="drive")
    at.number_input(key="plan_budget").set_value(4.0).run()
    at.button(key="plan_fit").click().run()
    assert _has_button(at, "plan_undo")
    first = at.query_params["stops"].split(",")[0]
    at.button(key=f"rm_{first}").click().run()
    assert not _has_button(at, "plan_undo")


def test_changing_city_offers_the_route_back(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="oct-loft,huaqiang-north", origin="22.5431,114.0579", origin_name="Hotel")
    at.selectbox(key="picker_city").set_value("seattle").run()
    assert at.query_params["city"] == "seattle" and "stops" not in at.query_params
    assert "Your route of 2 stops is in Shenzhen; a route keeps to one city." in [
        plain(w.value) for w in at.warning
    ]
    assert at.button(key="plan_keep_route").label == "Back to Shenzhen with my route"
    assert at.button(key="plan_new_route").label == "Start a new route in Seattle"
    at.button(key="plan_keep_route").click().run()
    assert at.query_params["city"] == "shenzhen" and at.query_params["stops"] == "oct-loft,huaqiang-north"
    assert at.query_params["origin"] == "22.5431,114.0579"
    assert stops(at) == ["1. OCT Loft", "2. Huaqiang North"]
    assert not _has_button(at, "plan_keep_route")


def test_a_round_trip_taken_back_from_another_city_is_still_a_round_trip(make_app: AppFactory) -> None:
    at = make_app(
        PAGE, stops="oct-loft,huaqiang-north", origin="22.5431,114.0579", origin_name="Hotel", round_trip="1"
    )
    at.selectbox(key="picker_city").set_value("seattle").run()
    at.button(key="plan_keep_route").click().run()
    assert at.query_params["round_trip"] == "1" and at.query_params["origin_name"] == "Hotel"
    assert at.checkbox(key="plan_round_trip").value


def test_a_new_route_in_the_other_city_forgets_the_old_one(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="oct-loft")
    at.selectbox(key="picker_city").set_value("seattle").run()
    at.button(key="plan_new_route").click().run()
    assert not _has_button(at, "plan_keep_route")
    assert not any("a route keeps to one city" in w.value for w in at.warning)
    assert at.query_params["city"] == "seattle" and "stops" not in at.query_params


def test_the_offline_notice_goes_once_a_start_is_chosen(make_app: AppFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CITYPLUS_GEOCODER", "off")
    at = make_app(PAGE, stops="oct-loft")
    at.text_input(key="plan_address").set_value("Huaqiang").run()  # a landmark answers, offline
    at.button(key="plan_find").click().run()
    assert any("(offline)" in w.value for w in at.warning)
    at.button(key="geo_0").click().run()
    assert at.query_params["origin_name"] == "Huaqiang North"
    assert not any("(offline)" in w.value for w in at.warning)


def test_fit_my_time_when_all_fit_changes_nothing(make_app: AppFactory) -> None:
    at = make_app(PAGE, stops="lianhuashan-park,huaqiang-north", mode="drive")
    at.number_input(key="plan_budget").set_value(12.0).run()
    at.button(key="plan_fit").click().run()
    assert "All stops fit in 12 h." in [s.value for s in at.success]
    assert at.query_params["stops"] == "lianhuashan-park,huaqiang-north" and not _has_button(at, "plan_undo")
    at.run()
    assert not at.success  # said once
