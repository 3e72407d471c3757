"""Staff accounts: roles and permissions, argon2id passwords, sign-in throttling, sessions.

Permissions are predicates: pages ask ``can(account, EDIT_CONTENT, city_id=...)`` and never
compare roles themselves. No account is ever created implicitly, so a fresh database has none
until someone runs ``python -m itinerary user add NAME --role admin``.

Account and session writes use plain transactions on the engine, not ``Store.transaction()``:
they are not content, and signing in must not invalidate the content caches (``data_version``).
The module never sleeps (a failed sign-in returns a delay for the UI to wait) and reads the time
only through the ``clock`` seam.
"""

from __future__ import annotations

import argparse
import builtins
import getpass
import hashlib
import math
import re
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, Final, Literal

import sqlalchemy as sa
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from itinerary import store as storage
from itinerary.seed import SLUG_RE
from itinerary.settings import utc_now

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

# --- sign-in and session policy ---------------------------------------------------------------

MIN_PASSWORD_LENGTH: Final = 12
MAX_PASSWORD_LENGTH: Final = 1024
MAX_FAILURES: Final = 5  # failed sign-ins in a row that lock the account
LOCK_DURATION: Final = timedelta(minutes=15)
FIRST_DELAY_SECONDS: Final = 0.5  # the delay hint doubles with each failure in a row ...
MAX_DELAY_SECONDS: Final = 8.0  # ... up to this
SESSION_LIFETIME: Final = timedelta(hours=8)  # absolute, however active the session
SESSION_IDLE_TIMEOUT: Final = timedelta(minutes=30)

OK: Final = "ok"
BAD_CREDENTIALS: Final = "bad_credentials"  # unknown user or wrong password: never says which
LOCKED: Final = "locked"
DISABLED: Final = "disabled"  # only said to someone who knows the password
Reason = Literal["ok", "bad_credentials", "locked", "disabled"]

USERNAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{1,30}[a-z0-9]$")

Clock = Callable[[], datetime]


class AccountError(ValueError):
    """A refused account change, with every reason in ``problems``."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = builtins.list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class Account:
    """A staff member as the app sees one; the password hash never leaves the database."""

    username: str
    role: str
    cities: frozenset[str] = frozenset()  # city ids, or {ALL_CITIES}; admins have every city anyway
    disabled: bool = False
    created_at: datetime | None = None
    locked_until: datetime | None = None

    @property
    def all_cities(self) -> bool:
        return self.role == ADMIN or ALL_CITIES in self.cities

    def covers(self, city_id: str) -> bool:
        """Whether ``city_id`` is one of this account's cities."""
        return self.all_cities or city_id in self.cities


@dataclass(frozen=True, slots=True)
class SignInResult:
    ok: bool
    account: Account | None
    reason: Reason
    # 'bad_credentials': how long the UI should wait before answering (grows with each failure);
    # 'locked': seconds until the lock ends; otherwise 0.
    retry_after_seconds: float = 0.0


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


# --- names, passwords and hashes --------------------------------------------------------------


def normalize_username(username: str) -> str:
    return username.strip().lower()


def username_problems(username: str) -> list[str]:
    if USERNAME_RE.match(username):
        return []
    return [
        f"user name {username!r} must be 3-32 characters: lowercase letters, digits, '.', '_' or '-', "
        "starting and ending with a letter or digit"
    ]


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Every way ``password`` breaks the policy (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"the password has {len(password)} characters; use at least {MIN_PASSWORD_LENGTH}")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"the password has more than {MAX_PASSWORD_LENGTH} characters")
    if username and password.casefold() == username.casefold():
        problems.append("the password must not be the user name")
    if len(set(password)) == 1:
        problems.append("the password must not be one character repeated")
    return problems


def new_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile)."""
    return PasswordHasher()


def hash_password(password: str, *, hasher: PasswordHasher) -> str:
    return hasher.hash(password)


def verify_password(password_hash: str, password: str, *, hasher: PasswordHasher) -> bool:
    """Whether ``password`` matches; a malformed hash matches nothing."""
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, *, hasher: PasswordHasher) -> bool:
    """Whether the hash was made with other parameters than ``hasher``'s (rehash at sign-in)."""
    try:
        return hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def failure_delay(failures: int) -> float:
    """Seconds the UI waits after ``failures`` failed sign-ins in a row: 0.5, 1, 2, 4, 8, 8, ..."""
    if failures <= 0:
        return 0.0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * (1 << min(failures - 1, 16)))


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _as_utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else _as_utc(value)


def _cities_column(cities: frozenset[str]) -> str:
    return ";".join(sorted(cities))


def _parse_cities(value: str) -> frozenset[str]:
    return frozenset(c for c in value.split(";") if c)


# --- the account store ------------------------------------------------------------------------

_accounts = storage.accounts
_sessions = storage.sessions
# Everything but the password hash: what reading an account selects.
_PUBLIC = tuple(column for column in _accounts.c if column.name != "password_hash")


def _account(row: sa.RowMapping) -> Account:
    return Account(
        username=row["username"],
        role=row["role"],
        cities=_parse_cities(row["cities"]),
        disabled=bool(row["disabled"]),
        created_at=_as_utc(row["created_at"]),
        locked_until=_as_utc_or_none(row["locked_until"]),
    )


class AccountStore:
    """Staff accounts and sessions in the content database's ``accounts`` and ``sessions`` tables.

    ``clock`` returns the current time (aware; UTC is used throughout); ``hasher`` is the argon2id
    ``PasswordHasher`` whose parameters new hashes use (tests pass a cheap one).
    """

    def __init__(
        self, store: storage.Store, *, clock: Clock = utc_now, hasher: PasswordHasher | None = None
    ) -> None:
        self._engine = store.engine
        self._clock = clock
        self._hasher = hasher or new_hasher()
        if self._hasher.type is not Type.ID:
            raise ValueError("staff passwords are hashed with argon2id")

    def __repr__(self) -> str:
        return f"AccountStore({self._engine.url.render_as_string(hide_password=True)!r})"

    def _now(self) -> datetime:
        return _as_utc(self._clock())

    @cached_property
    def _dummy_hash(self) -> str:
        # Verified against for unknown users, so that a sign-in costs the same whoever asks.
        return self._hasher.hash(secrets.token_urlsafe(16))

    # --- reading --------------------------------------------------------------------------------

    def get(self, username: str) -> Account | None:
        with self._engine.connect() as conn:
            row = self._row(conn, normalize_username(username))
        return None if row is None else _account(row)

    def list(self) -> builtins.list[Account]:
        """Every account, disabled ones too, by user name."""
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(*_PUBLIC).order_by(_accounts.c.username)).mappings()
            return [_account(row) for row in rows]

    def has_admin(self) -> bool:
        """Whether an enabled admin exists (if not, the UI points to ``python -m itinerary user add``)."""
        query = sa.select(_accounts.c.username).where(
            _accounts.c.role == ADMIN, _accounts.c.disabled.is_(False)
        )
        with self._engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def known_city_ids(self) -> frozenset[str]:
        """The cities in the content tables (empty before the first seeding)."""
        with self._engine.connect() as conn:
            return frozenset(conn.execute(sa.select(storage.cities.c.id)).scalars())

    def _row(self, conn: Connection, username: str) -> sa.RowMapping | None:
        return conn.execute(sa.select(*_PUBLIC).where(_accounts.c.username == username)).mappings().first()

    # --- writing --------------------------------------------------------------------------------

    def add(self, username: str, password: str, role: str, cities: Iterable[str] = ()) -> Account:
        """Create an account; raises ``AccountError`` with every problem found.

        ``cities`` are city ids, or ``[ALL_CITIES]``; an editor needs at least one, an admin none
        (admins have every city). When the database has cities, the ids must be among them.
        """
        name = normalize_username(username)
        wanted = frozenset(c.strip() for c in cities if c.strip())
        problems = [
            *self.new_account_problems(name, role, wanted),
            *password_problems(password, username=name),
        ]
        if problems:
            raise AccountError(problems)
        if role == ADMIN:
            wanted = frozenset({ALL_CITIES})
        now = self._now()
        row = {
            "username": name,
            "password_hash": hash_password(password, hasher=self._hasher),
            "role": role,
            "cities": _cities_column(wanted),
            "created_at": now,
            "disabled": False,
            "failed_count": 0,
        }
        try:
            with self._engine.begin() as conn:
                conn.execute(_accounts.insert().values(**row))
        except sa.exc.IntegrityError:  # added by someone else meanwhile
            raise AccountError([f"user {name!r} already exists"]) from None
        return Account(name, role, wanted, disabled=False, created_at=now)

    def new_account_problems(self, username: str, role: str, cities: Iterable[str]) -> builtins.list[str]:
        """Every problem with adding this account, except its password's (see ``password_problems``)."""
        name = normalize_username(username)
        problems = [*username_problems(name), *self._role_problems(role, frozenset(cities))]
        if self.get(name) is not None:
            problems.append(f"user {name!r} already exists")
        return problems

    def _role_problems(self, role: str, cities: frozenset[str]) -> builtins.list[str]:
        if role not in ROLES:
            return [f"role {role!r} is not one of {', '.join(ROLES)}"]
        if role == ADMIN:
            if cities - {ALL_CITIES}:
                return ["an admin edits every city: give no cities"]
            return []
        if not cities:
            return ["an editor needs at least one city (or all cities)"]
        if ALL_CITIES in cities:
            return [] if len(cities) == 1 else [f"{ALL_CITIES!r} (all cities) goes alone, without city ids"]
        problems = [f"city id {c!r} is not a lowercase slug" for c in sorted(cities) if not SLUG_RE.match(c)]
        known = self.known_city_ids()
        if known:  # before the first seeding there is nothing to check against
            listed = ", ".join(sorted(known))
            problems += [
                f"unknown city {c!r} (known: {listed})"
                for c in sorted(cities)
                if SLUG_RE.match(c) and c not in known
            ]
        return problems

    def set_password(self, username: str, password: str) -> None:
        """Replace the password, lift any lock and end the account's sessions."""
        name = normalize_username(username)
        problems = password_problems(password, username=name)
        if self.get(name) is None:
            problems.insert(0, f"no user {name!r}")
        if problems:
            raise AccountError(problems)
        password_hash = hash_password(password, hasher=self._hasher)
        with self._engine.begin() as conn:
            conn.execute(
                _accounts.update()
                .where(_accounts.c.username == name)
                .values(password_hash=password_hash, failed_count=0, locked_until=None)
            )
            self._end_sessions(conn, name)

    def disable(self, username: str) -> None:
        """Stop the account signing in and end its sessions; the last enabled admin stays."""
        name = normalize_username(username)
        account = self.get(name)
        if account is None:
            raise AccountError([f"no user {name!r}"])
        if account.role == ADMIN and not account.disabled and self._enabled_admins() == 1:
            raise AccountError([f"{name!r} is the only enabled admin; add another admin first"])
        with self._engine.begin() as conn:
            conn.execute(_accounts.update().where(_accounts.c.username == name).values(disabled=True))
            self._end_sessions(conn, name)

    def enable(self, username: str) -> None:
        """Let a disabled account sign in again (with a clean failure count)."""
        name = normalize_username(username)
        with self._engine.begin() as conn:
            updated = conn.execute(
                _accounts.update()
                .where(_accounts.c.username == name)
                .values(disabled=False, failed_count=0, locked_until=None)
            )
        if updated.rowcount == 0:
            raise AccountError([f"no user {name!r}"])

    def _enabled_admins(self) -> int:
        query = sa.select(sa.func.count()).where(_accounts.c.role == ADMIN, _accounts.c.disabled.is_(False))
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    # --- signing in -----------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> SignInResult:
        """Check a sign-in; counts failures per account and locks after ``MAX_FAILURES`` in a row.

        Unknown users cost one hash verification like known ones and get the same answer as a
        wrong password. A locked account refuses even the right password until the lock ends.
        """
        name = normalize_username(username)
        now = self._now()
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(_accounts).where(_accounts.c.username == name)).mappings().first()
        if row is None:
            verify_password(self._dummy_hash, password, hasher=self._hasher)
            return SignInResult(False, None, BAD_CREDENTIALS, failure_delay(1))
        locked_until = _as_utc_or_none(row["locked_until"])
        if locked_until is not None and now < locked_until:
            return _locked(locked_until, now)
        stored_hash: str = row["password_hash"]
        if not verify_password(stored_hash, password, hasher=self._hasher):
            return self._record_failure(name, now)
        account = _account(row)
        if account.disabled:
            return SignInResult(False, None, DISABLED)
        values: dict[str, Any] = {"failed_count": 0, "locked_until": None}
        if needs_rehash(stored_hash, hasher=self._hasher):
            values["password_hash"] = hash_password(password, hasher=self._hasher)
        with self._engine.begin() as conn:
            conn.execute(_accounts.update().where(_accounts.c.username == name).values(**values))
        return SignInResult(True, replace(account, locked_until=None), OK)

    def _record_failure(self, name: str, now: datetime) -> SignInResult:
        # One atomic UPDATE counts the failure, so parallel attempts cannot lose counts; a lock
        # that has run out starts the count afresh, one set meanwhile by a parallel attempt stays.
        column = _accounts.c
        lock_ended = sa.and_(column.locked_until.is_not(None), column.locked_until <= now)
        with self._engine.begin() as conn:
            conn.execute(
                _accounts.update()
                .where(column.username == name, sa.or_(column.locked_until.is_(None), lock_ended))
                .values(
                    failed_count=sa.case((lock_ended, 1), else_=column.failed_count + 1),
                    locked_until=None,
                    last_failed_at=now,
                )
            )
            failures, locked = conn.execute(
                sa.select(column.failed_count, column.locked_until).where(column.username == name)
            ).one()
            locked_until = _as_utc_or_none(locked)
            if locked_until is None and failures >= MAX_FAILURES:
                locked_until = now + LOCK_DURATION
                conn.execute(
                    _accounts.update().where(column.username == name).values(locked_until=locked_until)
                )
        if locked_until is not None and now < locked_until:
            return _locked(locked_until, now)
        return SignInResult(False, None, BAD_CREDENTIALS, failure_delay(int(failures)))

    # --- sessions -------------------------------------------------------------------------------

    def start_session(self, account: Account) -> str:
        """A new session token for the browser; the database keeps only its SHA-256."""
        now = self._now()
        token = secrets.token_urlsafe(32)
        with self._engine.begin() as conn:
            row = self._row(conn, account.username)
            if row is None or row["disabled"]:
                raise AccountError([f"user {account.username!r} cannot sign in"])
            conn.execute(
                _sessions.insert().values(
                    token_sha256=_token_digest(token),
                    username=account.username,
                    created_at=now,
                    expires_at=now + SESSION_LIFETIME,
                    last_seen_at=now,
                )
            )
        return token

    def session_account(self, token: str | None) -> Account | None:
        """The account signed in with ``token``, or ``None`` once the session ended or expired.

        A session lasts ``SESSION_LIFETIME`` at most and ends after ``SESSION_IDLE_TIMEOUT``
        without use; each use (this call) counts as activity.
        """
        if not token:
            return None
        now = self._now()
        digest = _token_digest(token)
        query = (
            sa.select(_sessions.c.expires_at, _sessions.c.last_seen_at, *_PUBLIC)
            .join_from(_sessions, _accounts)
            .where(_sessions.c.token_sha256 == digest)
        )
        this_session = _sessions.c.token_sha256 == digest
        with self._engine.begin() as conn:
            row = conn.execute(query).mappings().first()
            if row is None:
                return None
            account = _account(row)
            expired = now >= _as_utc(row["expires_at"]) or (
                now - _as_utc(row["last_seen_at"]) >= SESSION_IDLE_TIMEOUT
            )
            if expired or account.disabled:
                conn.execute(_sessions.delete().where(this_session))
                return None
            conn.execute(_sessions.update().where(this_session).values(last_seen_at=now))
        return account

    def end_session(self, token: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(_sessions.delete().where(_sessions.c.token_sha256 == _token_digest(token)))

    def purge_expired(self) -> int:
        """Delete expired and idle sessions; returns how many."""
        now = self._now()
        with self._engine.begin() as conn:
            result = conn.execute(
                _sessions.delete().where(
                    sa.or_(
                        _sessions.c.expires_at <= now,
                        _sessions.c.last_seen_at <= now - SESSION_IDLE_TIMEOUT,
                    )
                )
            )
        return int(result.rowcount)

    def _end_sessions(self, conn: Connection, username: str) -> None:
        conn.execute(_sessions.delete().where(_sessions.c.username == username))


def _locked(until: datetime, now: datetime) -> SignInResult:
    return SignInResult(False, None, LOCKED, float(math.ceil((until - now).total_seconds())))


# --- command line: python -m itinerary user ... -----------------------------------------------

FIRST_ADMIN_HINT: Final = "python -m itinerary user add NAME --role admin"


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """The subcommands of ``python -m itinerary user``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db-url", help="default: $CITYPLUS_DB_URL or var/cityplus.db")
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (scripts) instead of the terminal",
    )
    sub = parser.add_subparsers(dest="user_command", required=True, metavar="{add,list,disable,passwd}")
    p = sub.add_parser("add", parents=[common, reading], help="create a staff account")
    p.add_argument("username", metavar="NAME", help="3-32 lowercase letters, digits, '.', '_' or '-'")
    p.add_argument("--role", required=True, choices=ROLES, help="editor: their cities; admin: everything")
    p.add_argument(
        "--city", dest="cities", action="append", default=[], metavar="CITY_ID", help="repeat for more cities"
    )
    p.add_argument("--all-cities", action="store_true", help="an editor of every city")
    p.set_defaults(user_func=_cli_add)
    p = sub.add_parser("list", parents=[common], help="show the accounts (never their hashes)")
    p.set_defaults(user_func=_cli_list)
    p = sub.add_parser("disable", parents=[common], help="stop an account signing in; ends its sessions")
    p.add_argument("username", metavar="NAME")
    p.set_defaults(user_func=_cli_disable)
    p = sub.add_parser("passwd", parents=[common, reading], help="set a new password; ends its sessions")
    p.add_argument("username", metavar="NAME")
    p.set_defaults(user_func=_cli_passwd)


def run(args: argparse.Namespace) -> int:
    """Run a ``user`` subcommand: 0 when done, 2 with a message on stderr when refused."""
    try:
        accounts = AccountStore(storage.open_store(args.db_url))
        return int(args.user_func(accounts, args))
    except AccountError as exc:
        _fail(*exc.problems)
    except _CliError as exc:
        _fail(str(exc))
    except sa.exc.SQLAlchemyError as exc:
        # DBAPI errors carry the statement and its parameters; only the driver's message is shown.
        detail = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
        _fail(f"database error: {str(detail).splitlines()[0] if str(detail) else type(exc).__name__}")
    return 2


class _CliError(Exception):
    pass


def _fail(*problems: str) -> None:
    if len(problems) == 1:
        print(f"error: {problems[0]}", file=sys.stderr)
        return
    print(f"error: {len(problems)} problems:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)


def _read_password(args: argparse.Namespace, username: str) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise _CliError("no terminal to ask for the password on; pipe it in with --password-stdin")
    password = getpass.getpass(f"New password for {username}: ")
    problems = password_problems(password, username=username)
    if problems:  # say so now rather than after typing it twice
        raise AccountError(problems)
    if getpass.getpass("Repeat the password: ") != password:
        raise _CliError("the two passwords differ; nothing changed")
    return password


def _cli_add(accounts: AccountStore, args: argparse.Namespace) -> int:
    if args.all_cities and args.cities:
        raise _CliError("give --city or --all-cities, not both")
    name = normalize_username(args.username)
    cities = [ALL_CITIES] if args.all_cities else args.cities
    if not args.password_stdin:  # so that nobody types a password for an account that is refused
        problems = accounts.new_account_problems(name, args.role, cities)
        if problems:
            raise AccountError(problems)
    account = accounts.add(name, _read_password(args, name), args.role, cities)  # every problem at once
    print(f"added {account.role} {account.username!r} ({_describe_cities(account)})")
    if account.role == EDITOR and not account.all_cities and not accounts.known_city_ids():
        print("note: the database has no cities yet (python -m itinerary seed); the ids were not checked")
    if not accounts.has_admin():
        print(f"note: there is no admin yet; create one with: {FIRST_ADMIN_HINT}")
    return 0


def _cli_list(accounts: AccountStore, args: argparse.Namespace) -> int:
    rows = accounts.list()
    if not rows:
        print(f"no accounts; create the first admin with: {FIRST_ADMIN_HINT}")
        return 0
    now = utc_now()
    table = [("NAME", "ROLE", "CITIES", "STATUS", "CREATED")]
    for account in rows:
        if account.disabled:
            status = "disabled"
        elif account.locked_until is not None and account.locked_until > now:
            status = f"locked until {account.locked_until:%Y-%m-%d %H:%M} UTC"
        else:
            status = "active"
        created = f"{account.created_at:%Y-%m-%d}" if account.created_at else ""
        table.append((account.username, account.role, _describe_cities(account), status, created))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        print("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]]))
    return 0


def _cli_disable(accounts: AccountStore, args: argparse.Namespace) -> int:
    accounts.disable(args.username)
    print(f"disabled {normalize_username(args.username)!r}; their sessions ended")
    return 0


def _cli_passwd(accounts: AccountStore, args: argparse.Namespace) -> int:
    name = normalize_username(args.username)
    if accounts.get(name) is None:
        raise AccountError([f"no user {name!r}"])
    accounts.set_password(name, _read_password(args, name))
    print(f"changed the password of {name!r}; their sessions ended and any lock was lifted")
    return 0


def _describe_cities(account: Account) -> str:
    return "all cities" if account.all_cities else ", ".join(sorted(account.cities))
