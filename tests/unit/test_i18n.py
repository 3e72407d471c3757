"""Every UI string exists in English and Chinese, with the same placeholders; every key the code
uses exists, including the keys it builds (``t(f"mode.{mode}", lang)``); and no key goes unused.

The code is read as Python (``ast``), not searched with a pattern: a key is any string constant
that names one, wherever it stands (``t("cur.saved", lang)``, ``("success", "cur.saved")``,
``setup_page("nav.plan")``); a built key is an f-string that starts with a key prefix. Each
prefix the code builds keys from is declared below with the values it is built from, taken
from the domain's own constants where they exist.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from itinerary import access_facts, accounts, counts, curation, maps, models, stepfree, voice
from itinerary.geocode import MESSAGE_CODES
from itinerary.i18n import LANGS, STRINGS, t
from itinerary.programmes import feasibility
from itinerary.programmes import records as programme_records
from itinerary.routing import WARNINGS

ROOT = Path(__file__).resolve().parents[2]
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
PREFIX_RE = re.compile(r"^[a-z][a-z0-9_]*\.([a-z0-9_]+\.)*[a-z0-9_]*$")
NAMESPACES = frozenset(key.split(".")[0] for key in STRINGS)  # "cur", "plan", "mode", ...
LITERALS = "any string constant in the code"  # for codes that are written out where they arise

# prefix -> the suffixes the code builds keys with
DYNAMIC: dict[str, Iterable[str] | str] = {
    "day.": [str(day) for day in range(7)],  # date.weekday()
    "hours.days.": [str(day) for day in range(7)],  # hours_text: closed days by weekday
    # access facts (itinerary/access_facts.py): each yes/no fact's two lines, names and labels
    "access.": [f"{name}.{state}" for name, _ in access_facts.FLAGS for state in ("yes", "no")],
    "access.name.": access_facts.SURVEYABLE,
    "access.field.": access_facts.FIELD_NAMES,
    "access.choice.": ("unknown", "yes", "no"),
    "mode.": models.MODES,
    "wheelchair.": models.WHEELCHAIR,
    "explore.wheelchair_": ("any", "yes", "limited"),  # the filter's choices ("" is "any")
    "need.": stepfree.NEEDS,
    "sf.reason.": stepfree.REASONS,
    "warn.": WARNINGS,
    "plan.geo.": [code for code in MESSAGE_CODES if code],
    "cur.geo.": [code for code in MESSAGE_CODES if code],
    "plan.dl.": LITERALS,  # the export formats, listed where the page offers them
    "cur.role.": accounts.ROLES,
    "cur.status.": models.STATUSES,
    "cur.entity.": (*curation.ENTITIES, "programme"),  # programmes keep their history there too
    "cur.action.": (
        curation.CREATE,
        curation.EDIT,
        curation.ARCHIVE,
        curation.RESTORE,
        curation.IMPORT,
        curation.SEEDED,
    ),
    "cur.tr.kind.": (*curation.ENTITIES, "theme"),  # what an import changes
    "cur.tr.count.": (*curation.ENTITIES, "theme"),
    "cur.section.": LITERALS,  # the sections the page lists
    "problem.": LITERALS,
    "voice.refused.": LITERALS,
    "voice.topic.": (*voice.TOPICS, voice.SUGGESTION),
    "voice.value_help.": voice.TOPICS,
    "voice.section.": LITERALS,
    "nav.": LITERALS,  # a visitor's page named in the Inbox (ui/staff_inbox.py): the pages' own keys  # the Curate sections of ui/staff_inbox.py and ui/staff_reach.py
    "voice.reason.": (*voice.REJECT_REASONS, "own"),
    "voice.action.": ("accept", "reject", "spam"),
    "voice.field.": ("opening_hours", "status", "access_note", "lat", "lon"),
    "reach.event.": counts.EVENTS,  # itinerary/voice: each refusal's code written out where it is raised
    "map.": maps.MapAccess.TEXTS,
    "content.entity_": (*curation.ENTITIES, "theme", "programme"),  # permissions.content_text's {entity}
    "content.plural_": (*curation.ENTITIES, "theme"),  # transfer.describe_counts
    "prog.warn.": feasibility.CHECKS,  # itinerary/programmes: a schedule's warnings
    "prog.mode.": programme_records.PROGRAMME_MODES,
    "prog.kind.": programme_records.KINDS,
    "prog.visibility.": programme_records.VISIBILITIES,
    "prog.f.": LITERALS,  # the programme editor's fields, named where it lists them
    "prog.kind_item.": programme_records.ITEM_KINDS,
    "content.": LITERALS,  # rule problem codes, written out in itinerary/rules.py and its callers  # problem codes: each written out where the problem is found
}


def scanned_files() -> list[Path]:
    """The code that shows text: app.py, pages/, ui/ and itinerary/ (not the string tables)."""
    files = [
        ROOT / "app.py",
        *ROOT.glob("pages/*.py"),
        *ROOT.glob("ui/*.py"),
        *ROOT.glob("itinerary/**/*.py"),
    ]
    return [path for path in files if "i18n" not in path.relative_to(ROOT).parts[:2]]


def _is_prefix(value: object) -> bool:
    return isinstance(value, str) and bool(PREFIX_RE.match(value)) and value.split(".")[0] in NAMESPACES


def strings_in(source: str) -> tuple[set[str], set[str]]:
    """(every string constant, every key prefix a key is built from) in Python source."""
    tree = ast.parse(source)
    constants: set[str] = set()
    prefixes: set[str] = set()
    parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    for node in ast.walk(tree):  # breadth first: an f-string before its pieces
        if id(node) in parts:
            continue  # a piece of an f-string, not a string of its own
        if isinstance(node, ast.JoinedStr | ast.BinOp):  # f"mode.{m}" or "mode." + m
            first = node.values[0] if isinstance(node, ast.JoinedStr) else node.left
            if isinstance(first, ast.Constant) and _is_prefix(first.value):
                prefixes.add(first.value)
                parts.add(id(first))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            constants.add(node.value)
    return constants, prefixes


@cache
def code_strings() -> tuple[frozenset[str], frozenset[str]]:
    """(every string constant, every key prefix a key is built from) in the scanned code."""
    constants: set[str] = set()
    prefixes: set[str] = set()
    for path in scanned_files():
        found = strings_in(path.read_text(encoding="utf-8"))
        constants |= found[0]
        prefixes |= found[1]
    return frozenset(constants), frozenset(prefixes)


def dynamic_keys() -> dict[str, set[str]]:
    """Each declared prefix's keys, built from its declared suffixes."""
    constants, _ = code_strings()
    keys: dict[str, set[str]] = {}
    for prefix, suffixes in DYNAMIC.items():
        if suffixes == LITERALS:
            keys[prefix] = {
                key for key in STRINGS if key.startswith(prefix) and key[len(prefix) :] in constants
            }
        else:
            keys[prefix] = {prefix + suffix for suffix in suffixes}
    return keys


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_complete_in_every_language(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == set(LANGS)
    assert all(entry[lang].strip() for lang in LANGS)
    assert fields(entry["zh"]) == fields(entry["en"])


def test_chinese_differs_from_english() -> None:
    same = [k for k, v in STRINGS.items() if v["zh"] == v["en"]]
    assert same == []


def test_t_formats_and_falls_back() -> None:
    assert t("cur.hist.restore", "en", version=8) == "Restore version 8"
    assert t("cur.hist.restore", "zh", version=8) == "恢复到版本 8"
    assert t("cur.hist.restore", "fr", version=2) == "Restore version 2"


def test_the_scan_reads_keys_wherever_they_stand() -> None:
    constants, prefixes = strings_in(
        'st.info(t("cur.saved", lang))\n'
        's["lm_msg"] = ("info", "cur.lm.geocoded")\n'
        'label = t(f"mode.{m}", lang) + t("problem." + code, lang)\n'
        'other = f"lm_f_{name}" + f"{n}. cur.x"\n'
    )
    assert {"cur.saved", "info", "cur.lm.geocoded", "lm_msg"} <= constants
    assert "mode." not in constants and "problem." not in constants  # prefixes, not keys
    assert prefixes == {"mode.", "problem."}  # a session-state key is no i18n prefix


def test_the_scan_sees_the_code() -> None:
    constants, prefixes = code_strings()
    assert {"cur.saved", "nav.plan", "cur.lm.moved_by_click"} <= constants  # in t(), in data, in a call
    assert {"mode.", "cur.status.", "cur.geo.", "explore.wheelchair_"} <= prefixes


FILE_SUFFIXES = (".log", ".csv", ".json", ".md", ".zip", ".py")


def test_every_key_used_in_code_exists() -> None:
    constants, _ = code_strings()
    # a key-shaped constant in a namespace the tables use is meant as a key (module names such
    # as "itinerary.maps" or file names such as "cities.csv" are in none of them)
    # nor are file names in such a namespace ("access.log", "app.py")
    meant = {
        c
        for c in constants
        if KEY_RE.match(c) and c.split(".")[0] in NAMESPACES and not c.endswith(FILE_SUFFIXES)
    }
    assert meant, "no keys found in the code"
    assert sorted(meant - set(STRINGS)) == []


def test_every_built_key_has_a_declared_prefix() -> None:
    _, prefixes = code_strings()
    assert sorted(prefixes - set(DYNAMIC)) == [], "declare the values of each built key in DYNAMIC"
    assert sorted(set(DYNAMIC) - prefixes) == [], "a declared prefix the code no longer builds"


def test_every_built_key_exists() -> None:
    missing = sorted(key for keys in dynamic_keys().values() for key in keys if key not in STRINGS)
    assert missing == []


def test_no_key_is_unused() -> None:
    constants, _ = code_strings()
    used = set(constants) | {key for keys in dynamic_keys().values() for key in keys}
    assert sorted(set(STRINGS) - used) == []


def test_every_schedule_warning_and_geocoder_message_is_translated() -> None:
    assert all(f"warn.{code}" in STRINGS for code in WARNINGS)
    assert all(f"plan.geo.{code}" in STRINGS for code in MESSAGE_CODES if code)
