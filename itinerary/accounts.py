"""Staff accounts: argon2id passwords, the account store, sign-in, sessions.

Roles and the ``can`` predicate live in ``itinerary.permissions`` and the sign-in throttling in
``itinerary.signin``; both are re-exported here, so pages import this one module. No account is
ever created implicitly, so a fresh database has none until someone runs
``python -m itinerary user add NAME --role admin`` (the command is ``itinerary.cli.user``).

Account and session writes use plain transactions on the engine, not ``Store.transaction()``:
they are not content, and signing in must not invalidate the content caches (``data_version``).
The module never sleeps (a failed sign-in returns a delay for the UI to wait) and reads the time
only through the ``clock`` seam.
"""

from __future__ import annotations

import builtins
import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal

import sqlalchemy as sa
from argon2 import PasswordHasher, Type
from sqlalchemy.engine import Connection

from itinerary import signin
from itinerary import store as storage
from itinerary.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    USERNAME_RE,
    hash_password,
    needs_rehash,
    new_hasher,
    normalize_username,
    password_problems,
    username_problems,
    verify_password,
)
from itinerary.permissions import (
    ACTIONS,
    ADMIN,
    ALL_CITIES,
    CITY_ACTIONS,
    EDIT_CONTENT,
    EDITOR,
    EXPORT,
    IMPORT,
    MANAGE_ACCOUNTS,
    MANAGE_CITIES,
    PUBLISH,
    ROLES,
    VIEW_CURATE,
    Account,
    Said,
    can,
    permitted_cities,
)
from itinerary.seed import SLUG_RE
from itinerary.settings import utc_now
from itinerary.signin import client_key, failure_delay

__all__ = [
    "ACTIONS",
    "ADMIN",
    "ALL_CITIES",
    "BAD_CREDENTIALS",
    "CITY_ACTIONS",
    "DISABLED",
    "EDITOR",
    "EDIT_CONTENT",
    "EXPORT",
    "IMPORT",
    "MANAGE_ACCOUNTS",
    "MANAGE_CITIES",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "OK",
    "PUBLISH",
    "ROLES",
    "USERNAME_RE",
    "VIEW_CURATE",
    "Account",
    "AccountError",
    "AccountStore",
    "SignInResult",
    "can",
    "client_key",
    "failure_delay",
    "hash_password",
    "needs_rehash",
    "new_hasher",
    "normalize_username",
    "password_problems",
    "permitted_cities",
    "username_problems",
    "verify_password",
]

# --- session policy and answers ---------------------------------------------------------------------

SESSION_LIFETIME: Final = timedelta(hours=8)  # absolute, however active the session
SESSION_IDLE_TIMEOUT: Final = timedelta(minutes=30)
# A session's last use is written at most this often: Curate checks the session on every rerun
# (every keystroke that commits a field), and a write per check cost a transaction each time.
SEEN_EVERY: Final = timedelta(minutes=1)

OK: Final = "ok"
# A wrong name, a wrong password and a throttled attempt: one answer that never says which.
BAD_CREDENTIALS: Final = "bad_credentials"
DISABLED: Final = "disabled"  # only said to someone who knows the password
Reason = Literal["ok", "bad_credentials", "disabled"]

Clock = Callable[[], datetime]


class AccountError(ValueError):
    """A refused account change, with every reason in ``problems``."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = builtins.list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True)
class SignInResult:
    ok: bool
    account: Account | None
    reason: Reason
    # After a refusal: how long the UI waits before answering (grows with each failure in a
    # row, counted alike for every name); otherwise 0.
    retry_after_seconds: float = 0.0


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
_throttle = storage.signin_throttle
# The accounts table's own failed_count, locked_until and last_failed_at are unused since
# revision 0003: failures are counted per client and name in signin_throttle.
_UNUSED = frozenset({"password_hash", "failed_count", "locked_until", "last_failed_at"})


def _public(now: datetime) -> tuple[sa.ColumnElement[Any], ...]:
    """What reading an account selects: everything but the password hash, and as ``locked_until``
    the end of the latest sign-in lock on the name still running at ``now`` (from any client)."""
    latest_lock = (
        sa.select(sa.func.max(_throttle.c.locked_until))
        .where(_throttle.c.username == _accounts.c.username, _throttle.c.locked_until > now)
        .scalar_subquery()
        .label("locked_until")
    )
    return (*(column for column in _accounts.c if column.name not in _UNUSED), latest_lock)


def _account(row: sa.RowMapping) -> Account:
    return Account(
        username=row["username"],
        role=row["role"],
        cities=_parse_cities(row["cities"]),
        disabled=bool(row["disabled"]),
        created_at=_as_utc(row["created_at"]),
        locked_until=_as_utc_or_none(row["locked_until"]),
    )


_DUMMY_HASHES: dict[tuple[object, ...], str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random password with ``hasher``'s parameters, made once per process.

    Unknown names are verified against it, so that a sign-in costs one verification of the same
    cost whoever asks. Made once: pages make a new ``AccountStore`` on every run, and a hash
    made during a sign-in would double the work for unknown names only.
    """
    key = (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[key]


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
        _dummy_hash(self._hasher)  # made now, not during the first sign-in with an unknown name

    def __repr__(self) -> str:
        return f"AccountStore({self._engine.url.render_as_string(hide_password=True)!r})"

    def _now(self) -> datetime:
        return _as_utc(self._clock())

    @property
    def _dummy_hash(self) -> str:
        return _dummy_hash(self._hasher)

    # --- reading --------------------------------------------------------------------------------

    def get(self, username: str) -> Account | None:
        with self._engine.connect() as conn:
            row = self._row(conn, normalize_username(username))
        return None if row is None else _account(row)

    def list(self) -> builtins.list[Account]:
        """Every account, disabled ones too, by user name."""
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(*_public(self._now())).order_by(_accounts.c.username)).mappings()
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
        return (
            conn.execute(sa.select(*_public(self._now())).where(_accounts.c.username == username))
            .mappings()
            .first()
        )

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
            "failed_count": 0,  # unused since 0003, but the column is NOT NULL
        }
        try:
            with self._engine.begin() as conn:
                conn.execute(_accounts.insert().values(**row))
        except sa.exc.IntegrityError:  # added by someone else meanwhile
            raise AccountError([Said("cur.acc.err.exists", name=name)]) from None
        return Account(name, role, wanted, disabled=False, created_at=now)

    def new_account_problems(self, username: str, role: str, cities: Iterable[str]) -> builtins.list[str]:
        """Every problem with adding this account, except its password's (see ``password_problems``)."""
        name = normalize_username(username)
        problems = [*username_problems(name), *self._role_problems(role, frozenset(cities))]
        if self.get(name) is not None:
            problems.append(Said("cur.acc.err.exists", name=name))
        return problems

    def _role_problems(self, role: str, cities: frozenset[str]) -> builtins.list[str]:
        if role not in ROLES:
            return [Said("cur.acc.err.role", role=role, roles=", ".join(ROLES))]
        if role == ADMIN:
            if cities - {ALL_CITIES}:
                return [Said("cur.acc.err.admin_cities")]
            return []
        if not cities:
            return [Said("cur.acc.err.editor_no_city")]
        if ALL_CITIES in cities:
            return [] if len(cities) == 1 else [Said("cur.acc.err.all_alone", all=ALL_CITIES)]
        problems: builtins.list[str] = [
            Said("cur.acc.err.city_slug", city=c) for c in sorted(cities) if not SLUG_RE.match(c)
        ]
        known = self.known_city_ids()
        if known:  # before the first seeding there is nothing to check against
            listed = ", ".join(sorted(known))
            problems += [
                Said("cur.acc.err.unknown_city", city=c, known=listed)
                for c in sorted(cities)
                if SLUG_RE.match(c) and c not in known
            ]
        return problems

    def set_password(self, username: str, password: str) -> None:
        """Replace the password, lift every lock on the name and end the account's sessions."""
        name = normalize_username(username)
        problems = password_problems(password, username=name)
        if self.get(name) is None:
            problems.insert(0, Said("cur.acc.err.no_user", name=name))
        if problems:
            raise AccountError(problems)
        password_hash = hash_password(password, hasher=self._hasher)
        with self._engine.begin() as conn:
            conn.execute(
                _accounts.update().where(_accounts.c.username == name).values(password_hash=password_hash)
            )
            signin.unlock(conn, name)
            self._end_sessions(conn, name)

    def disable(self, username: str) -> None:
        """Stop the account signing in and end its sessions; the last enabled admin stays."""
        name = normalize_username(username)
        account = self.get(name)
        if account is None:
            raise AccountError([Said("cur.acc.err.no_user", name=name)])
        if account.role == ADMIN and not account.disabled and self._enabled_admins() == 1:
            raise AccountError([Said("cur.acc.err.last_admin", name=name)])
        with self._engine.begin() as conn:
            conn.execute(_accounts.update().where(_accounts.c.username == name).values(disabled=True))
            self._end_sessions(conn, name)

    def enable(self, username: str) -> None:
        """Let a disabled account sign in again (with no locks and clean failure counts)."""
        name = normalize_username(username)
        with self._engine.begin() as conn:
            updated = conn.execute(
                _accounts.update().where(_accounts.c.username == name).values(disabled=False)
            )
            if updated.rowcount == 0:
                raise AccountError([Said("cur.acc.err.no_user", name=name)])
            signin.unlock(conn, name)

    def unlock(self, username: str) -> None:
        """Lift every sign-in lock on the account, from every client (an admin's action)."""
        name = normalize_username(username)
        with self._engine.begin() as conn:
            if self._row(conn, name) is None:
                raise AccountError([Said("cur.acc.err.no_user", name=name)])
            signin.unlock(conn, name)

    def _enabled_admins(self) -> int:
        query = sa.select(sa.func.count()).where(_accounts.c.role == ADMIN, _accounts.c.disabled.is_(False))
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    # --- signing in -----------------------------------------------------------------------------

    def authenticate(
        self, username: str, password: str, *, client: str = signin.LOCAL_CLIENT
    ) -> SignInResult:
        """Check a sign-in from ``client`` (``client_key``), throttled as ``itinerary.signin`` says.

        A wrong name, a wrong password and a throttled attempt get one answer
        (``BAD_CREDENTIALS``, with a delay counted alike for every name) after the same work:
        one argon2 verification, against a dummy hash made with the same parameters when the
        name is unknown. A throttled attempt refuses even the right password.
        """
        name = normalize_username(username)
        counted = signin.throttle_name(name)
        now = self._now()
        with self._engine.connect() as conn:
            query = sa.select(_accounts.c.password_hash, *_public(now)).where(_accounts.c.username == name)
            row = conn.execute(query).mappings().first()
        stored_hash: str = self._dummy_hash if row is None else row["password_hash"]
        # before any branch: the work must not depend on the name, the lock or the answer
        verified = verify_password(stored_hash, password, hasher=self._hasher)
        with self._engine.begin() as conn:
            if row is not None and verified and not signin.is_locked(conn, client, counted, now):
                return self._signed_in(conn, row, password, client, now)
            failures = signin.count_failure(conn, client, counted, now)
        return SignInResult(False, None, BAD_CREDENTIALS, failure_delay(failures))

    def _signed_in(
        self, conn: Connection, row: sa.RowMapping, password: str, client: str, now: datetime
    ) -> SignInResult:
        account = replace(_account(row), locked_until=None)
        if account.disabled:
            return SignInResult(False, None, DISABLED)
        signin.forget_success(conn, client, account.username)
        stored_hash: str = row["password_hash"]
        if needs_rehash(stored_hash, hasher=self._hasher):
            conn.execute(
                _accounts.update()
                .where(_accounts.c.username == account.username)
                .values(password_hash=hash_password(password, hasher=self._hasher))
            )
        self._purge(conn, now)  # cheap, and often enough: expired sessions go at each sign-in
        return SignInResult(True, account, OK)

    # --- sessions -------------------------------------------------------------------------------

    def start_session(self, account: Account) -> str:
        """A new session token for the browser; the database keeps only its SHA-256."""
        now = self._now()
        token = secrets.token_urlsafe(32)
        with self._engine.begin() as conn:
            row = self._row(conn, account.username)
            if row is None or row["disabled"]:
                raise AccountError([Said("cur.acc.err.cannot_sign_in", name=account.username)])
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
        without use; each use (this call) counts as activity, written when the last one written
        is ``SEEN_EVERY`` old or more: most calls only read (one SELECT, no transaction to
        commit), and a session may end up to ``SEEN_EVERY`` before its idle time is quite over.
        """
        if not token:
            return None
        now = self._now()
        digest = _token_digest(token)
        query = (
            sa.select(_sessions.c.expires_at, _sessions.c.last_seen_at, *_public(now))
            .join_from(_sessions, _accounts)
            .where(_sessions.c.token_sha256 == digest)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        account = _account(row)
        seen = _as_utc(row["last_seen_at"])
        this_session = _sessions.c.token_sha256 == digest
        if now >= _as_utc(row["expires_at"]) or now - seen >= SESSION_IDLE_TIMEOUT or account.disabled:
            with self._engine.begin() as conn:
                conn.execute(_sessions.delete().where(this_session))
            return None
        if now - seen >= SEEN_EVERY:
            with self._engine.begin() as conn:  # another process may have written it meanwhile: fine
                conn.execute(_sessions.update().where(this_session).values(last_seen_at=now))
        return account

    def end_session(self, token: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(_sessions.delete().where(_sessions.c.token_sha256 == _token_digest(token)))

    def purge_expired(self) -> int:
        """Delete expired and idle sessions, and failure counts gone quiet; returns how many sessions.

        Runs at each sign-in and once per browser session of the sign-in page.
        """
        with self._engine.begin() as conn:
            return self._purge(conn, self._now())

    def _purge(self, conn: Connection, now: datetime) -> int:
        result = conn.execute(
            _sessions.delete().where(
                sa.or_(
                    _sessions.c.expires_at <= now,
                    _sessions.c.last_seen_at <= now - SESSION_IDLE_TIMEOUT,
                )
            )
        )
        signin.purge(conn, now)
        return int(result.rowcount)

    def _end_sessions(self, conn: Connection, username: str) -> None:
        conn.execute(_sessions.delete().where(_sessions.c.username == username))
