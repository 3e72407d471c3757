"""The wording of a landmark's access facts in English and Chinese: measurements, and
"not surveyed" kept apart from "no" (itinerary.access_facts)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from itinerary import access_facts, seed
from itinerary.models import Landmark
from tests.conftest import DATA


def base() -> Landmark:
    return next(lm for lm in seed.load_dir(DATA).landmarks if lm.id == "shenzhen-museum")


def texts(lm: Any, lang: str) -> list[str]:
    return [line.text for line in access_facts.fact_lines(lm, lang)]


NOTHING = {"entrance_steps": None, "access_note": "", "access_note_zh": ""}

# (facts, English lines, Chinese lines)
CASES = [
    ({}, ["Access not surveyed"], ["无障碍信息未调查"]),
    (
        {"entrance_steps": 0, "toilet_wheelchair": True},
        [
            "Step-free entrance",
            "Accessible toilet",
            "Not surveyed: lift, parking, hearing loop, tactile guidance, quiet space, seating",
        ],
        ["入口无台阶", "有无障碍卫生间", "未调查：电梯、停车、助听环路、盲道导引、安静空间、座椅"],
    ),
    (
        {"entrance_steps": 1, "entrance_step_height_cm": 4, "hearing_loop": True},
        [
            "1 step, 4 cm",
            "Hearing loop",
            "Not surveyed: accessible toilet, lift, parking, tactile guidance, quiet space, seating",
        ],
        ["1级台阶，高4厘米", "有助听环路", "未调查：无障碍卫生间、电梯、停车、盲道导引、安静空间、座椅"],
    ),
    (
        {"entrance_steps": 3, "entrance_step_height_cm": 15, "entrance_ramp": True, "door_width_cm": 90},
        ["3 steps, up to 15 cm", "Ramp at the entrance", "Door 90 cm wide"],
        ["3级台阶，最高15厘米", "入口有坡道", "门宽90厘米"],
    ),
    (
        {"entrance_steps": 2, "entrance_ramp": False, "automatic_door": True, "door_width_cm": 120},
        ["2 steps at the entrance", "No ramp at the entrance", "Automatic door, 120 cm wide"],
        ["入口有2级台阶", "入口无坡道", "自动门，宽120厘米"],
    ),
    (
        # no ramp at a level entrance says nothing
        {"entrance_steps": 0, "entrance_ramp": False, "automatic_door": False},
        ["Step-free entrance", "Door opened by hand"],
        ["入口无台阶", "手动门"],
    ),
    (
        {"toilet_wheelchair": False, "seating": False, "quiet_space": True, "quiet_hours": "Mo 09:00-11:00"},
        ["No accessible toilet", "Quiet space", "No seating inside", "Quiet hours: Mo 09:00-11:00"],
        ["无无障碍卫生间", "有安静空间", "室内无座椅", "安静时段：Mo 09:00-11:00"],
    ),
]
ALL_SURVEYED = {
    "entrance_steps": 0,
    "toilet_wheelchair": True,
    "lift_all_floors": True,
    "parking_wheelchair": False,
    "hearing_loop": False,
    "tactile_guidance": True,
    "quiet_space": False,
    "seating": True,
}


@pytest.mark.parametrize(("facts", "en", "zh"), CASES)
def test_the_lines_of_a_landmark_in_both_languages(
    facts: dict[str, Any], en: list[str], zh: list[str]
) -> None:
    lm = replace(base(), **(NOTHING | facts))
    assert texts(lm, "en")[: len(en)] == en
    assert texts(lm, "zh")[: len(zh)] == zh


def test_every_fact_surveyed_has_no_not_surveyed_line() -> None:
    lm = replace(base(), **(NOTHING | ALL_SURVEYED))
    lines = access_facts.fact_lines(lm, "en")
    assert [line.text for line in lines] == [
        "Step-free entrance",
        "Accessible toilet",
        "Lift to every public floor",
        "No accessible parking",
        "No hearing loop",
        "Tactile or Braille guidance",
        "No quiet space",
        "Seating inside",
    ]
    assert {line.state for line in lines} == {"yes", "no"}
    assert all(line.icon for line in lines)


def test_unknown_is_never_said_as_no() -> None:
    lm = replace(base(), **NOTHING, toilet_wheelchair=None, hearing_loop=False)  # type: ignore[arg-type]
    en = texts(lm, "en")
    assert "No hearing loop" in en and "No accessible toilet" not in en
    assert any(line.startswith("Not surveyed:") and "accessible toilet" in line for line in en)


def test_the_note_is_in_the_page_language_with_english_as_fallback_and_the_survey_last() -> None:
    lm = replace(
        base(),
        **ALL_SURVEYED,
        access_note="Lift from the B1 entrance",
        access_note_zh="B1入口有电梯",
        access_surveyed="2026-11-30",
        access_surveyed_by="CityPlus staff",
    )
    assert texts(lm, "en")[-2:] == ["Lift from the B1 entrance", "Surveyed 2026-11-30 by CityPlus staff"]
    assert texts(lm, "zh")[-2:] == ["B1入口有电梯", "2026-11-30由CityPlus staff调查"]
    assert texts(replace(lm, access_note_zh=""), "zh")[-2] == "Lift from the B1 entrance"
    assert texts(replace(lm, access_surveyed_by=""), "en")[-1] == "Surveyed 2026-11-30"


def test_rows_of_a_dataframe_read_like_the_model() -> None:
    """The catalog's frames hold a missing whole number as NaN and yes/no as objects."""
    lms = [
        replace(
            base(),
            id="a",
            **(NOTHING | {"entrance_steps": 1, "entrance_step_height_cm": 4, "hearing_loop": True}),
        ),
        replace(base(), id="b", **NOTHING),
    ]
    frame = pd.DataFrame([{f: getattr(lm, f) for f in Landmark.__slots__} for lm in lms])  # type: ignore[attr-defined]
    assert frame["entrance_steps"].dtype.kind == "f"  # NaN where not surveyed
    assert texts(frame.iloc[0], "en")[:2] == ["1 step, 4 cm", "Hearing loop"]
    assert texts(frame.iloc[1], "zh") == ["无障碍信息未调查"]
    assert access_facts.access_value(frame.iloc[1], "entrance_steps") is None
    assert access_facts.access_value(frame.iloc[0], "entrance_steps") == 1


def test_the_shipped_shenzhen_facts_read_as_sentences() -> None:
    lms = {lm.id: lm for lm in seed.load_dir(DATA).landmarks}
    bay = texts(lms["shenzhen-bay-park"], "en")
    assert bay[0] == "Step-free entrance" and "The seafront promenade is flat and step-free." in bay
    assert "电梯通达所有公共楼层" in texts(lms["ping-an-finance-center"], "zh")
