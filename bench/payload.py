"""Server-side size of a map: the arguments ``st_folium`` hands to its Streamlit component.

Streamlit serialises a component's arguments with ``json.dumps`` (everything but the
``on_change`` callback) and sends that string to the browser, so its length is the map's
payload before protobuf framing. ``record_component_args`` wraps the component function of
``streamlit_folium`` to capture those sizes from a real run of a page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ComponentArgs:
    """Sizes in bytes of one ``st_folium`` call's component arguments."""

    total_json: int  # what Streamlit sends (json.dumps of every argument but on_change)
    script: int  # the base map's Leaflet script
    feature_group: int  # layers sent separately (feature_group_to_add); 0 if none
    header: int  # CSS/JS inlined in the map's <head>

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ComponentArgs:
        return cls(**json.loads(text))


def component_arg_sizes(kwargs: dict[str, Any]) -> ComponentArgs:
    """The sizes of the arguments of one call of streamlit_folium's component function."""

    def size(name: str) -> int:
        value = kwargs.get(name)
        return len(value.encode()) if isinstance(value, str) else 0

    sent = {k: v for k, v in kwargs.items() if k != "on_change"}
    return ComponentArgs(
        total_json=len(json.dumps(sent).encode()),
        script=size("script"),
        feature_group=size("feature_group"),
        header=size("header"),
    )


@contextmanager
def record_component_args() -> Iterator[list[ComponentArgs]]:
    """Capture the component argument sizes of every ``st_folium`` call made in this block."""
    import streamlit_folium

    calls: list[ComponentArgs] = []
    original: Callable[..., Any] = streamlit_folium._component_func

    def recorder(**kwargs: Any) -> Any:
        calls.append(component_arg_sizes(kwargs))
        return original(**kwargs)

    streamlit_folium._component_func = recorder
    try:
        yield calls
    finally:
        streamlit_folium._component_func = original


def install_file_recorder(path: Path | str) -> None:
    """Write the sizes of each later ``st_folium`` call to ``path`` (for a page in a server).

    Idempotent: the page module is re-run on every rerun, the wrapper is installed once.
    """
    import streamlit_folium

    original: Callable[..., Any] = streamlit_folium._component_func
    if getattr(original, "_cityplus_recorder", False):
        return

    def recorder(**kwargs: Any) -> Any:
        Path(path).write_text(component_arg_sizes(kwargs).to_json())
        return original(**kwargs)

    recorder._cityplus_recorder = True  # type: ignore[attr-defined]
    streamlit_folium._component_func = recorder
