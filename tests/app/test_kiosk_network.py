"""AppTest of the kiosk's network step: the loop reaches it after the first itinerary's stops,
with the join timeline of every city account, in English and Chinese, and no link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from itinerary import cityaccounts as ca
from itinerary import seed
from tests.app.conftest import AppFactory
from tests.conftest import DATA

PAGE = "pages/kiosk.py"
SHIPPED = seed.load_dir(DATA)


@pytest.fixture(autouse=True)
def real_data(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPLUS_DATA_DIR", str(DATA))  # the nine city accounts


def loop_card(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "data-kiosk-step=" in m.value)


@pytest.mark.parametrize(("lang", "first"), [("en", "1. Shenzhen"), ("zh", "1．深圳")])
def test_the_loop_reaches_the_network_after_the_first_itinerarys_stops(
    make_app: AppFactory, lang: str, first: str
) -> None:
    at = make_app(PAGE, city="tsukuba", lang=lang)
    assert not at.exception
    cards = [loop_card(at)]
    while "data-kiosk-network=" not in cards[-1] and len(cards) < 40:
        at.run()  # each run of the page advances the loop by one step
        assert not at.exception
        cards.append(loop_card(at))
    *before, card = cards
    assert f"data-kiosk-step='{len(before)}'" in card
    # before it, the stops of one itinerary, all of them: the first itinerary's
    metas = [re.search(r"<p class='cp-kiosk-meta'>([^<]+)</p>", c).group(1) for c in before]  # type: ignore[union-attr]
    numbers = [re.findall(r"\d+", m)[:2] for m in metas]
    assert before and [int(n) for n, _ in numbers] == list(range(1, len(before) + 1)), metas
    assert {int(total) for _, total in numbers} == {len(before)}, metas
    partners = [c for c in SHIPPED.cities if c.partnership != ca.HOME]
    assert f"data-kiosk-network='{len(partners)}'" in card  # an arc per partner city
    rows = re.findall(r"<li data-city='([^']+)'><b>([^<]+)</b>", card)
    assert [cid for cid, _ in rows] == [c.id for c in ca.join_order(SHIPPED.cities)]
    assert rows[0][1] == first
    assert "href" not in card  # the kiosk leads nowhere off its page
