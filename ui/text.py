"""Safe rendering of data text in Streamlit markdown."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$:])")


def md_escape(text: object) -> str:
    """Text from data or staff, shown literally inside st.markdown (no links, no formatting)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
