"""Rendering folium maps once: branca's ``MacroElement.render`` without a second Jinja pass.

branca renders each macro element's ``header``, ``html`` and ``script`` macros to text, then
wraps that text in a new ``Element``, which compiles the text as a Jinja template to render it
a second time. The second pass leaves folium's output as it is (folium never writes Jinja
syntax into it, and text from data reaches it escaped, braces included: ``markup.escape``) but
compiling costs: a Plan page compiled about 40 such templates per run, 22 ms of its 250 ms under
the profiler (bench.load). ``install`` puts the rendered text into the figure as it is.

Same output: the text of each part, with what Jinja's second pass changed in it (line endings as
``\\n``, one trailing newline dropped). ``tests/unit/test_map_render.py`` renders maps both ways
and compares them byte for byte.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any

from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement

_ids = itertools.count()


class RawText(Element):  # type: ignore[misc]
    """Text already rendered, added to a figure as it is (never compiled as a template)."""

    def __init__(self, text: str) -> None:
        # not Element.__init__: no template, and no random id (its name is given when added)
        self._name = "RawText"
        self._id = f"raw_{next(_ids)}"
        self._children: OrderedDict[str, Element] = OrderedDict()
        self._parent: Element | None = None
        self._template_str = None
        self._template_name = None
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


def as_second_pass(text: str) -> str:
    """``text`` as Jinja's default settings render a template of it that holds no Jinja syntax."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1] if text.endswith("\n") else text


def render_once(self: MacroElement, **kwargs: Any) -> None:
    """``MacroElement.render``, with each macro's text added as ``RawText``."""
    figure = self.get_root()
    assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
    macros = self._template.module.__dict__
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = macros.get(part)
        if macro is not None:
            target.add_child(RawText(as_second_pass(macro(self, kwargs))), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


ORIGINAL_RENDER = MacroElement.render


def install() -> None:
    """Make every folium macro element render once (``itinerary.maps`` calls this on import)."""
    MacroElement.render = render_once  # type: ignore[method-assign]


def render_raw(element: Any, **kwargs: Any) -> None:
    """MacroElement.render for a large script: add its links and its script as rendered text,
    without the second pass's newline changes (the script is pasted as it is)."""
    figure = element.get_root()
    for name, url in element.default_js:
        figure.header.add_child(JavascriptLink(url), name=name)
    for name, url in element.default_css:
        figure.header.add_child(CssLink(url), name=name)
    script = element._template.module.__dict__["script"]
    figure.script.add_child(RawText(script(element, kwargs)), name=element.get_name())
