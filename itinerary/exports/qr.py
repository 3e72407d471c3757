"""The share link as a QR code (PNG, SVG, inline SVG for the printable page), made only for http(s).

A QR code at level M holds at most 2,331 bytes; a longer link (many stops, or a link someone
padded on purpose) raises ``LinkTooLong``, and ``qr_fits`` tells beforehand.
"""

from __future__ import annotations

import functools
import io
from typing import Any

import segno
from segno.encoder import DataOverflowError

from itinerary.exports.text import _clean, share_link

QR_ERROR = "m"
QR_BORDER = 4


class LinkTooLong(ValueError):
    """The link does not fit in a QR code (at error correction level M)."""


@functools.lru_cache(maxsize=256)
def _qr(url: str) -> Any:
    """The QR code of ``url``, encoded once per link: Plan shows the same link's code (PNG, SVG,
    the check that it fits) on every rerun, and encoding was a fifth of Plan's time (bench.load)."""
    link = share_link(url)
    if not link:
        raise ValueError(f"a QR code is made only for an http(s) link, not {url[:80]!r}")
    try:
        # boost_error=False: exactly level M, as documented, whatever the length of the link
        return segno.make(link, error=QR_ERROR, micro=False, boost_error=False)
    except DataOverflowError as exc:
        raise LinkTooLong(f"a link of {len(link.encode())} bytes does not fit in a QR code") from exc


def qr_fits(url: str) -> bool:
    """Whether ``qr_png``/``qr_svg`` can make a QR code of ``url`` (http(s), short enough)."""
    try:
        _qr(url)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=128)
def qr_png(url: str, *, scale: int = 8) -> bytes:
    """The share link as a PNG QR code (error correction M, a 4-module quiet zone), made once
    per link and scale (the kiosk and the programme page show it again at every rerun; Plan
    shows the SVG and makes the PNG when it is fetched: writing it took 7 to 17 ms)."""
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 8) -> str:
    """The share link as a standalone SVG QR code (error correction M, a 4-module quiet zone)."""
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="svg", scale=scale, border=QR_BORDER, xmldecl=True, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _qr_inline_svg(url: str, title: str) -> str:
    """The QR code as an <svg> element for an HTML page: no XML declaration, sized by CSS."""
    buffer = io.BytesIO()
    _qr(url).save(
        buffer,
        kind="svg",
        border=QR_BORDER,
        xmldecl=False,
        omitsize=True,
        title=_clean(title),
        encoding="utf-8",
    )
    return buffer.getvalue().decode("utf-8")
