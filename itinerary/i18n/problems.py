"""Messages for problem codes that the domain returns (validation, curation, import, sign-in)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
