"""Validation findings as codes with their values, readable in English and Chinese.

A finding carries a code (``not_a_number``) and the values its message needs (``{"value": "x"}``);
its text in a language is the i18n string ``problem.<code>`` (``itinerary/i18n/problems.py``)
filled with those values. The English text is also kept as ``message``: it is what the command
line and the ``file:line: column: message`` report print, and what a finding made the old way
(``Problem(file, line, column, message)``, no code) says in every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from itinerary.i18n import t


def problem_text(code: str, lang: str = "en", /, **values: Any) -> str:
    """The message of problem ``code`` in ``lang``, filled with its values."""
    return t(f"problem.{code}", lang, **values)


class CellError(ValueError):
    """A cell that does not parse: raised by the column parsers, with a code and its values.

    ``str()`` is the English message, so callers that only want text keep working."""

    def __init__(self, code: str, /, **values: Any) -> None:
        self.code = code
        self.values: dict[str, Any] = values
        super().__init__(problem_text(code, "en", **values))

    def text(self, lang: str) -> str:
        return problem_text(self.code, lang, **self.values)


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

    @classmethod
    def coded(cls, file: str, line: int, column: str, code: str, /, **values: Any) -> Problem:
        """A finding with a code; its English message is made from the code's string."""
        return cls(file, line, column, problem_text(code, "en", **values), code, values)

    @classmethod
    def of_error(cls, file: str, line: int, column: str, error: ValueError) -> Problem:
        """A finding from a parser's error: coded when it is a ``CellError``, else its text."""
        if isinstance(error, CellError):
            return cls(file, line, column, str(error), error.code, error.values)
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
