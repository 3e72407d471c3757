"""The benchmark's Markdown report: a table of figures and targets, then notes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """One measured figure; ``met`` is None for figures without a target of their own."""

    name: str
    measured: str
    target: str = ""
    met: bool | None = None

    @property
    def verdict(self) -> str:
        return "n/a" if self.met is None else ("yes" if self.met else "**no**")


@dataclass
class Report:
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, measured: str, target: str = "", met: bool | None = None) -> None:
        self.figures.append(Figure(name, measured, target, met))

    def markdown(self) -> str:
        lines = [
            f"# {self.title}",
            "",
            "| Figure | Measured | Target | Met |",
            "| --- | --- | --- | --- |",
        ]
        for f in self.figures:
            cells = (f.name, f.measured, f.target or "–", f.verdict)
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        if self.notes:
            lines += ["", "## Notes", ""]
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def ms(value: float | None) -> str:
    return "> timeout" if value is None else f"{value:,.0f} ms"


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.2f} MB"
