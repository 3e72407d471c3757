"""docs/architecture.md stays true where a program can tell: modules, pages and their URLs."""

from __future__ import annotations

import re
from pathlib import Path

from ui.nav import PAGES, UNLISTED

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def domain_modules() -> list[str]:
    """The top-level modules and packages of itinerary/ (a package's own modules are its business)."""
    names = []
    for path in sorted((ROOT / "itinerary").iterdir()):
        if path.name.startswith("_") or path.name == "migrations":
            continue
        if path.suffix == ".py":
            names.append(path.stem)
        elif path.is_dir() and (path / "__init__.py").exists():
            names.append(path.name)
    return names


def test_every_domain_module_is_described() -> None:
    section = DOC.split("## Modules", 1)[1].split("\n## ", 1)[0]
    described = set(re.findall(r"^\| `(\w+)(?:/|\.py)?` \|", section, flags=re.M))
    assert sorted(set(domain_modules()) - described) == []
    assert sorted(described - set(domain_modules())) == []


def test_every_page_and_its_url_is_listed() -> None:
    table = DOC.split("## Public URLs", 1)[1].split("\n## ", 1)[0]
    paths = set(re.findall(r"^\| [^|]+ \| `(/[a-z]*)` \|", table, flags=re.M))
    assert paths == {f"/{p.url_path}" for p in PAGES + UNLISTED}


def test_the_readme_links_the_design() -> None:
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(encoding="utf-8")
