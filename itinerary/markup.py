"""Text from data, staff, visitors or files, made safe for HTML: the one home of that rule.

folium's tooltips and popups, the Leaflet legend and the printable page insert raw HTML, so
every such text passes through ``escape``; an outside link only ever comes from ``safe_url``.
"""

from __future__ import annotations

import html


def escape(text: object) -> str:
    """Text from data or staff, safe to insert as HTML (folium tooltips and popups are HTML).

    Braces become character references too: branca compiles rendered scripts as Jinja templates
    again, so a name with ``{#`` would crash the page and ``{{ ... }}`` would run as a template.
    """
    escaped = html.escape("" if text is None else str(text), quote=True)
    return escaped.replace("{", "&#123;").replace("}", "&#125;")


def safe_url(url: object) -> str:
    """An http(s) URL, or "" for anything else (javascript:, data:, relative, ...)."""
    text = str(url or "").strip()
    if text.lower().startswith(("http://", "https://")) and not any(c in text for c in "<>\"' "):
        return text
    return ""
