"""What a visitor may send: lengths, links and the spam checks, as problem codes with values.

Pure functions on the text; nothing here reads a clock or a database. A refusal is a
``VoiceRefused`` (a code, ``voice.refused.<code>`` in ``itinerary/i18n/voice.py``, with its
values), so the page says why in the visitor's language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

from itinerary.i18n import t

TOPICS: Final = ("hours", "closed", "access", "place", "other")  # what a report is about
SUGGESTION: Final = "new"  # the topic of a suggested place
KINDS: Final = ("correction", "suggestion")

MAX_TEXT: Final = 500  # characters of the short text (a report) or the "why" (a suggestion)
MAX_PROPOSED: Final = 200  # characters of a corrected value or a suggested name
MIN_NAME: Final = 2
MAX_LINKS: Final = 1  # links in what a visitor writes: one is a source, more is advertising
MAX_REPEAT: Final = 12  # one character this many times in a row is noise

# A link: a scheme, "www.", or a dotted host name with a common top-level domain
_LINK: Final = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|top|xyz|cn|ru|io|cc|me)\b",
    re.IGNORECASE,
)
# words of advertising and fraud seen in public feedback forms (lowercase, after NFKC)
SPAM_WORDS: Final = (
    "casino",
    "viagra",
    "crypto",
    "bitcoin",
    "seo service",
    "buy followers",
    "porn",
    "赌场",
    "博彩",
    "代开发票",
    "加微信",
    "加v",
    "贷款",
    "刷单",
)
_REPEAT: Final = re.compile(r"(.)\1{" + str(MAX_REPEAT - 1) + ",}", re.DOTALL)


class VoiceRefused(ValueError):
    """A report or suggestion refused: ``code`` with ``values``; ``text(lang)`` for the page."""

    def __init__(self, code: str, /, **values: Any) -> None:
        self.code = code
        self.values = values
        super().__init__(t(f"voice.refused.{code}", "en", **values))

    def text(self, lang: str = "en") -> str:
        return t(f"voice.refused.{self.code}", lang, **self.values)


@dataclass(frozen=True, slots=True)
class Message:
    """What a visitor sends, before any check (the form's fields as given)."""

    city_id: str
    kind: str  # correction | suggestion
    topic: str  # TOPICS, or SUGGESTION
    text: str = ""
    proposed: str = ""  # a corrected value, or the suggested place's name
    landmark_id: str = ""
    theme: str = ""
    point: tuple[float, float] | None = None
    page: str = ""
    lang: str = ""


def clean(text: str) -> str:
    """Text as kept: NFC, control characters dropped (newlines kept), trimmed."""
    text = unicodedata.normalize("NFC", text or "")
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return kept.strip()


def link_count(text: str) -> int:
    return len(_LINK.findall(unicodedata.normalize("NFKC", text)))


def is_spam(text: str) -> bool:
    """Advertising or noise: a spam word, a long run of one character, or nothing but links."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if any(word in folded for word in SPAM_WORDS):
        return True
    if _REPEAT.search(folded):
        return True
    without_links = _LINK.sub("", folded).strip()
    return bool(folded.strip()) and not without_links


def check(message: Message, *, landmarks: frozenset[str], themes: frozenset[str]) -> Message:
    """The message cleaned, or ``VoiceRefused`` with the first problem found.

    ``landmarks`` are the city's published landmark ids (a report is about one of them),
    ``themes`` the theme ids a suggestion may name.
    """
    text, proposed = clean(message.text), clean(message.proposed)
    _check_kind(message, landmarks, themes, text, proposed)
    for name, value, limit in (("text", text, MAX_TEXT), ("proposed", proposed, MAX_PROPOSED)):
        if len(value) > limit:
            raise VoiceRefused("too_long", field=name, limit=limit, length=len(value))
    both = f"{text}\n{proposed}"
    if link_count(both) > MAX_LINKS:
        raise VoiceRefused("too_many_links", limit=MAX_LINKS)
    if is_spam(both):
        raise VoiceRefused("spam")
    point = message.point
    if point is not None and not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise VoiceRefused("bad_point")
    return Message(
        city_id=message.city_id,
        kind=message.kind,
        topic=message.topic,
        text=text,
        proposed=proposed,
        landmark_id=message.landmark_id if message.kind == "correction" else "",
        theme=message.theme if message.kind == "suggestion" else "",
        point=point,
        page=message.page[:32],
        lang=message.lang[:8],
    )


def _check_kind(
    message: Message, landmarks: frozenset[str], themes: frozenset[str], text: str, proposed: str
) -> None:
    if message.kind == "correction":
        if message.topic not in TOPICS:
            raise VoiceRefused("unknown_topic")
        if message.landmark_id not in landmarks:
            raise VoiceRefused("unknown_landmark")
        if message.topic == "place" and message.point is None:
            raise VoiceRefused("no_point")
        if not text and not proposed and message.point is None:
            raise VoiceRefused("empty")
        return
    if message.kind != "suggestion" or message.topic != SUGGESTION:
        raise VoiceRefused("unknown_topic")
    if len(proposed) < MIN_NAME:
        raise VoiceRefused("no_name", minimum=MIN_NAME)
    if message.theme and message.theme not in themes:
        raise VoiceRefused("unknown_theme")
    if message.point is None:
        raise VoiceRefused("no_point")
