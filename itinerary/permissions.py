"""Who may do what: roles, actions and the ``can`` predicate, and the ``Account`` they judge.

Permissions are predicates: pages ask ``can(account, EDIT_CONTENT, city_id=...)`` and never
compare roles themselves. ``itinerary.accounts`` re-exports the roles, actions, ``Account``,
``can`` and ``permitted_cities``. A refusal reads in both languages: ``Refused`` (a writer's
``PermissionError`` as a code) and ``Said`` (an English reason that keeps its i18n key).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from itinerary.i18n import t

# --- roles and actions ------------------------------------------------------------------------

EDITOR: Final = "editor"  # edits the content of their cities
ADMIN: Final = "admin"  # edits every city, and manages accounts and cities
ROLES: Final = (EDITOR, ADMIN)
ALL_CITIES: Final = "*"  # in Account.cities (and the accounts.cities column): every city

VIEW_CURATE: Final = "view_curate"  # open the curation page at all
EDIT_CONTENT: Final = "edit_content"  # landmarks, itineraries and stops of a city
PUBLISH: Final = "publish"  # switch a city's landmark or itinerary between draft and published
IMPORT: Final = "import"  # load data-contract CSV files into a city
EXPORT: Final = "export"  # download the content as data-contract CSV files
MANAGE_ACCOUNTS: Final = "manage_accounts"
MANAGE_CITIES: Final = "manage_cities"


@dataclass(frozen=True, slots=True)
class _Rule:
    roles: frozenset[str]
    per_city: bool  # editors need the city among theirs; admins have every city


_STAFF = frozenset(ROLES)
_ADMINS = frozenset({ADMIN})
_RULES: Final[dict[str, _Rule]] = {
    VIEW_CURATE: _Rule(_STAFF, per_city=False),
    EDIT_CONTENT: _Rule(_STAFF, per_city=True),
    PUBLISH: _Rule(_STAFF, per_city=True),
    IMPORT: _Rule(_STAFF, per_city=True),
    EXPORT: _Rule(_STAFF, per_city=False),  # reading only; every city
    MANAGE_ACCOUNTS: _Rule(_ADMINS, per_city=False),
    MANAGE_CITIES: _Rule(_ADMINS, per_city=False),
}
ACTIONS: Final = tuple(_RULES)
CITY_ACTIONS: Final = tuple(action for action, rule in _RULES.items() if rule.per_city)


@dataclass(frozen=True, slots=True)
class Account:
    """A staff member as the app sees one; the password hash never leaves the database."""

    username: str
    role: str
    cities: frozenset[str] = frozenset()  # city ids, or {ALL_CITIES}; admins have every city anyway
    disabled: bool = False
    created_at: datetime | None = None
    locked_until: datetime | None = None  # the latest sign-in lock on the name still running, if any

    @property
    def all_cities(self) -> bool:
        return self.role == ADMIN or ALL_CITIES in self.cities

    def covers(self, city_id: str) -> bool:
        """Whether ``city_id`` is one of this account's cities."""
        return self.all_cities or city_id in self.cities


# --- permissions ------------------------------------------------------------------------------


def can(account: Account | None, action: str, *, city_id: str | None = None) -> bool:
    """Whether ``account`` may do ``action`` (for ``city_id`` where the action is per city).

    Nobody signed in (``None``) and disabled accounts may do nothing. Editors need ``city_id``
    for per-city actions (``CITY_ACTIONS``); admins may do everything, for every city.
    Raises ``ValueError`` for an unknown action, so a typo in a page cannot silently deny.
    """
    rule = _RULES.get(action)
    if rule is None:
        raise ValueError(f"unknown action {action!r} (known: {', '.join(ACTIONS)})")
    if account is None or account.disabled or account.role not in rule.roles:
        return False
    if not rule.per_city or account.role == ADMIN:
        return True
    return city_id is not None and account.covers(city_id)


def permitted_cities(account: Account | None, action: str, city_ids: Iterable[str]) -> list[str]:
    """The ``city_ids`` for which ``account`` may do ``action``, in their order (for city pickers)."""
    return [city_id for city_id in city_ids if can(account, action, city_id=city_id)]


# --- refusals, readable in both languages ---------------------------------------------------------


def content_text(code: str, lang: str, values: Mapping[str, Any]) -> str:
    """The string ``content.<code>`` in ``lang`` filled with ``values``; an ``entity`` value
    (``landmark``, ``city``, ...) is itself named in ``lang`` (``content.entity_<entity>``)."""
    filled = dict(values)
    if "entity" in filled:
        filled["entity"] = t(f"content.entity_{filled['entity']}", lang)
    return t(f"content.{code}", lang, **filled)


class Refused(PermissionError):
    """A writer's refusal of an action the account may not take (the second line behind the
    pages' ``can``): a code (``content.<code>``) with its values. ``str()`` is the English text
    the command line and logs print; ``text(lang)`` is what a staff page shows."""

    def __init__(self, code: str, /, **values: Any) -> None:
        self.code = code
        self.values = values
        super().__init__(content_text(code, "en", values))

    def text(self, lang: str = "en") -> str:
        return content_text(self.code, lang, self.values)


class Said(str):
    """English text that keeps its i18n key and values, so a list of plain reasons (an
    ``AccountError``'s ``problems``) still reads in the staff member's language: ``text(lang)``."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Said:
        said = super().__new__(cls, t(key, "en", **values))
        said.key = key
        said.values = values
        return said

    def __reduce__(self) -> tuple[Any, ...]:  # pickled by key, not by its English text
        return (_said, (self.key, self.values))

    def text(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.values)


def _said(key: str, values: dict[str, Any]) -> Said:
    return Said(key, **values)
