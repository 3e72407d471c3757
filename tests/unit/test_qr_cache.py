"""A plan's QR code is encoded once per link (bench.load's profile: Plan encoded the same link
three or four times on every rerun); what it renders stays the same."""

from __future__ import annotations

import pytest
import segno

from itinerary.exports import qr


def test_the_same_link_is_encoded_once_and_renders_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = segno.make

    def counting(content: str, **kw: object) -> object:
        made.append(content)
        return real(content, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(segno, "make", counting)
    qr._qr.cache_clear()
    link = "https://explore.example.org/plan?city=shenzhen&stops=oct-loft,huaqiang-north"
    assert qr.qr_fits(link)
    png, svg = qr.qr_png(link), qr.qr_svg(link)
    assert qr.qr_png(link) == png and qr.qr_svg(link) == svg
    assert len(made) == 1
    qr.qr_png(link + ",shenzhen-museum")
    assert len(made) == 2
    qr._qr.cache_clear()
    assert qr.qr_png(link) == png  # encoded again from nothing: the same image


def test_a_link_too_long_is_still_refused_every_time() -> None:
    link = "https://explore.example.org/plan?stops=" + "x" * 3000
    for _ in range(2):
        assert not qr.qr_fits(link)
        with pytest.raises(qr.LinkTooLong):
            qr.qr_png(link)
