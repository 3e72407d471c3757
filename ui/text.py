"""Safe rendering of data text in Streamlit markdown: shown literally, never formatted or linked.

Backslash escapes stop markdown syntax, but not links: Streamlit's markdown (remark-gfm) also
turns bare URLs, ``www.`` names and e-mail addresses into links *after* parsing, in the text that
the escapes leave (mdast-util-gfm-autolink-literal). ``md_escape`` therefore also puts a WORD
JOINER (U+2060: invisible, no width, no line break) where that matching needs two characters to
touch: between ``:`` and ``//``, between ``www`` and ``.``, and after ``@``. The text reads the
same; nothing in it becomes a link. The only outside link a card shows is the website field,
drawn by ``outside_link``.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$:])")
# Inside a sentence only these start markup (links, emphasis, code, HTML, maths, tables):
# "-", ".", "#" and "+" matter only at the start of a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>~|$&])")
WORD_JOINER = "\u2060"
# The places where remark-gfm's autolink literals start: "http://", "https://", "www.", "a@b.c".
_AUTOLINK_SEAMS = re.compile(r"(?<=:)(?=/)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def no_autolink(text: str) -> str:
    """``text`` with a WORD JOINER in every place where a markdown renderer would start a link."""
    return _AUTOLINK_SEAMS.sub(WORD_JOINER, text)


def md_escape(text: object) -> str:
    """Text from data or staff, shown literally inside st.markdown (no links, no formatting)."""
    return _MD_SPECIAL.sub(r"\\\1", no_autolink(str(text))).replace("\n", " ")


def md_inline(text: object) -> str:
    """A sentence that may carry data text (a notice naming a value from the link), shown literally
    inside st.markdown: lighter than ``md_escape`` (it keeps "-" and "." as they are)."""
    return _MD_INLINE.sub(r"\\\1", no_autolink(str(text))).replace("\n", " ")


def outside_link(label: str, url: str) -> str:
    """A markdown link to an http(s) ``url``, or "" when the URL is anything else.

    Streamlit opens markdown links in a new tab with ``rel="noopener noreferrer"``. The angle
    brackets keep parentheses in the URL inside the link; a URL with a character that the link
    syntax would change or end on (angle brackets, backslash, quotes, white space) gets no link.
    """
    if not url.lower().startswith(("http://", "https://")) or any(c in url for c in "<>\\\"' \t\n\r"):
        return ""
    return f"[{md_escape(label)}](<{url}>)"
