"""What a person reads when something fails unexpectedly or a request is refused as unsafe.

Plain words only: the details of an error (its type, message, stack and the server's paths) go
to the server log under a short reference that the message shows, never to the page.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "error.page.title": {
        "en": "Something went wrong",
        "zh": "出错了",
    },
    "error.page.body": {
        "en": "This page could not be shown completely. The problem was recorded for the team "
        "(reference {ref}). Reload the page, or try again later.",
        "zh": "此页面未能完整显示。问题已记录，供团队处理（编号 {ref}）。请刷新页面，或稍后再试。",
    },
    "error.qr_too_long": {
        "en": "This plan's link is too long for a QR code: copy the link instead.",
        "zh": "此行程的链接太长，无法生成二维码：请复制链接。",
    },
}
