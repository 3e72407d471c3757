"""Validation findings as codes with their values, readable in English and Chinese.

A finding carries a code (``not_a_number``) and the values its message needs (``{"value": "x"}``);
its text in a language is the i18n string ``problem.<code>`` (``itinerary/i18n/problems.py``)
filled with those values. The English text is also kept as ``message``: it is what the command
line and the ``file:line: column: message`` report print, and what a finding made the old way
(``Problem(file, line, column, message)`` with plain text) says in every language. The English
text is a ``Message``, a ``str`` that keeps its code: a module that copies the text along
(the editor's per-field reasons, an importer re-locating a problem) keeps it translatable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from itinerary.i18n import t


def problem_text(code: str, lang: str = "en", /, **values: Any) -> str:
    """The message of problem ``code`` in ``lang``, filled with its values."""
    return t(f"problem.{code}", lang, **values)


class Message(str):
    """A problem's English message that remembers its code and values.

    It is a ``str``, so code that only passes text along (``str(error)``, a dict of reasons per
    field) hands on something the UI can still show in the reader's language (``text``)."""

    code: str
    values: dict[str, Any]

    def __new__(cls, code: str, /, **values: Any) -> Message:
        message = super().__new__(cls, problem_text(code, "en", **values))
        message.code = code
        message.values = values
        return message

    def __reduce__(self) -> tuple[Any, ...]:  # pickled by code, not by its English text
        return (_message, (self.code, self.values))

    def text(self, lang: str) -> str:
        return problem_text(self.code, lang, **self.values)


def _message(code: str, values: dict[str, Any]) -> Message:
    return Message(code, **values)


class CellError(ValueError):
    """A cell that does not parse: raised by the column parsers, with a code and its values.

    ``str()`` is the English message (a ``Message``), so callers that only want text keep working."""

    def __init__(self, code: str, /, **values: Any) -> None:
        self.message = Message(code, **values)
        super().__init__(self.message)

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def values(self) -> dict[str, Any]:
        return self.message.values

    def __str__(self) -> str:
        return self.message

    def text(self, lang: str) -> str:
        return self.message.text(lang)


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One validation finding, located in a file.

    Sorted and compared by place and English message; ``code`` and ``values`` ride along."""

    file: str
    line: int
    column: str
    message: str = ""
    code: str = field(default="", compare=False)
    values: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # made the old way from a coded message (another module copying a problem): keep its code
        if not self.code and isinstance(self.message, Message):
            object.__setattr__(self, "code", self.message.code)
            object.__setattr__(self, "values", self.message.values)

    @classmethod
    def coded(cls, file: str, line: int, column: str, code: str, /, **values: Any) -> Problem:
        """A finding with a code; its English message is made from the code's string."""
        return cls(file, line, column, Message(code, **values))

    @classmethod
    def of_error(cls, file: str, line: int, column: str, error: ValueError) -> Problem:
        """A finding from a parser's error: coded when it is a ``CellError``, else its text."""
        return cls(file, line, column, str(error))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``; English is ``message`` itself (also for a finding without code)."""
        return problem_text(self.code, lang, **self.values) if self.code and lang != "en" else self.message

    def located(self, lang: str = "en") -> str:
        """``file:line: column: message``, the message in ``lang``."""
        return f"{self.file}:{self.line}: {self.column}: {self.text(lang)}"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class ValidationError(Exception):
    """Raised with every problem found; nothing was loaded."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data files")

    def report(self, lang: str = "en") -> str:
        return "\n".join(p.located(lang) for p in self.problems)


@dataclass
class Positions:
    """The ``position`` cells of ordered rows, per owner (an itinerary's stops, a story's
    chapters): a position taken twice is reported at once (``add``), positions that are not 1 to
    n once all rows are in (``finish``). ``owner`` names the owner in the problems' values."""

    file: str
    owner: str  # "itinerary", "story"
    taken: str  # the codes: a position taken twice, positions with gaps
    gaps: str
    seen: dict[str, dict[int, int]] = field(default_factory=dict)  # owner id -> position -> line

    def add(self, line: int, owner_id: str, position: int, problems: list[Problem]) -> None:
        seen = self.seen.setdefault(owner_id, {})
        if position in seen:
            values = {"position": position, self.owner: owner_id, "other": seen[position]}
            problems.append(Problem.coded(self.file, line, "position", self.taken, **values))
        else:
            seen[position] = line

    def finish(self, problems: list[Problem]) -> None:
        for owner_id, seen in self.seen.items():
            if set(seen) != set(range(1, len(seen) + 1)):
                values = {self.owner: owner_id, "positions": sorted(seen), "count": len(seen)}
                problems.append(Problem.coded(self.file, max(seen.values()), "position", self.gaps, **values))
