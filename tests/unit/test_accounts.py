"""Staff accounts: permissions, password hashing and policy, lockout, sessions, the `user` command."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import argon2
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher, Type

from itinerary import __main__ as cli
from itinerary import accounts as acc
from itinerary import seed, store
from itinerary.accounts import ADMIN, ALL_CITIES, EDITOR, Account, AccountError, AccountStore
from itinerary.permissions import Said
from tests.conftest import ROOT

GOOD = "correct horse battery"  # meets the policy
OTHER = "another fine passphrase"


class FakeClock:
    """UTC time that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class CountingHasher(PasswordHasher):
    """A cheap argon2id hasher (tests only) that counts verifications."""

    def __init__(self, **params: Any) -> None:
        super().__init__(**{"time_cost": 1, "memory_cost": 8, "parallelism": 1, **params})
        self.verifications = 0
        self.hashes = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hashes += 1
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verifications += 1
        return super().verify(hash, password)


@pytest.fixture
def db(db_url: str) -> store.Store:
    """A new database; every test using it runs on SQLite and on PostgreSQL."""
    return store.open_store(db_url)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def accounts(db: store.Store, clock: FakeClock, hasher: CountingHasher) -> AccountStore:
    return AccountStore(db, clock=clock, hasher=hasher)


def stored(db: store.Store, table: sa.Table) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.select(table)).mappings()]


# --- permissions ------------------------------------------------------------------------------

WHO = {
    "admin": Account("ada", ADMIN, frozenset({ALL_CITIES})),
    "editor-shenzhen": Account("eddie", EDITOR, frozenset({"shenzhen"})),
    "editor-all": Account("eve", EDITOR, frozenset({ALL_CITIES})),
}
CITIES = (None, "shenzhen", "seattle")
# For each action and account: allowed (Y) or not (N) for city_id None, "shenzhen", "seattle".
PERMISSIONS = {
    acc.VIEW_CURATE: {"admin": "YYY", "editor-shenzhen": "YYY", "editor-all": "YYY"},
    acc.EDIT_CONTENT: {"admin": "YYY", "editor-shenzhen": "NYN", "editor-all": "NYY"},
    acc.PUBLISH: {"admin": "YYY", "editor-shenzhen": "NYN", "editor-all": "NYY"},
    acc.IMPORT: {"admin": "YYY", "editor-shenzhen": "NYN", "editor-all": "NYY"},
    acc.EXPORT: {"admin": "YYY", "editor-shenzhen": "YYY", "editor-all": "YYY"},
    acc.MANAGE_ACCOUNTS: {"admin": "YYY", "editor-shenzhen": "NNN", "editor-all": "NNN"},
    acc.MANAGE_CITIES: {"admin": "YYY", "editor-shenzhen": "NNN", "editor-all": "NNN"},
}
CELLS = [
    pytest.param(action, who, city, row[who][i] == "Y", id=f"{action}-{who}-{city}")
    for action, row in PERMISSIONS.items()
    for who in WHO
    for i, city in enumerate(CITIES)
]


def test_the_permission_table_covers_every_action() -> None:
    assert set(PERMISSIONS) == set(acc.ACTIONS)
    assert set(acc.CITY_ACTIONS) == {acc.EDIT_CONTENT, acc.PUBLISH, acc.IMPORT}


@pytest.mark.parametrize(("action", "who", "city", "allowed"), CELLS)
def test_permissions(action: str, who: str, city: str | None, allowed: bool) -> None:
    assert acc.can(WHO[who], action, city_id=city) is allowed


@pytest.mark.parametrize(("action", "who", "city", "allowed"), CELLS)
def test_disabled_accounts_and_nobody_may_do_nothing(
    action: str, who: str, city: str | None, allowed: bool
) -> None:
    disabled = Account(WHO[who].username, WHO[who].role, WHO[who].cities, disabled=True)
    assert acc.can(disabled, action, city_id=city) is False
    assert acc.can(None, action, city_id=city) is False


def test_an_unknown_action_is_an_error_not_a_silent_no() -> None:
    with pytest.raises(ValueError, match="unknown action 'edit'"):
        acc.can(WHO["admin"], "edit")


def test_permitted_cities_for_a_city_picker() -> None:
    ids = ["seattle", "shenzhen", "tokyo"]
    assert acc.permitted_cities(WHO["editor-shenzhen"], acc.EDIT_CONTENT, ids) == ["shenzhen"]
    assert acc.permitted_cities(WHO["editor-all"], acc.EDIT_CONTENT, ids) == ids
    assert acc.permitted_cities(None, acc.EDIT_CONTENT, ids) == []


# --- hashing and the password policy ----------------------------------------------------------


PRODUCTION_PREFIX = "$argon2id$v=19$m=65536,t=3,p=4$"  # argon2-cffi's default: RFC 9106, low memory


def test_production_parameters_hash_with_argon2id() -> None:
    # (test_cli_user_add_then_sign_in checks that the store uses them unless told otherwise)
    hasher = acc.new_hasher()
    assert hasher.type is Type.ID
    hashed = acc.hash_password(GOOD, hasher=hasher)
    assert hashed.startswith(PRODUCTION_PREFIX)
    assert acc.verify_password(hashed, GOOD, hasher=hasher)
    assert not acc.verify_password(hashed, GOOD + "!", hasher=hasher)
    assert not acc.needs_rehash(hashed, hasher=hasher)


@pytest.mark.parametrize("bad", ["", "not a hash", "$argon2id$v=19$m=8,t=1,p=1$broken"])
def test_a_malformed_hash_matches_nothing(bad: str, hasher: CountingHasher) -> None:
    assert not acc.verify_password(bad, GOOD, hasher=hasher)


def test_only_argon2id_hashers_are_accepted(db: store.Store) -> None:
    with pytest.raises(ValueError, match="argon2id"):
        AccountStore(db, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.I))


def test_sign_in_rehashes_when_the_parameters_changed(db: store.Store, clock: FakeClock) -> None:
    AccountStore(db, clock=clock, hasher=CountingHasher()).add("ada", GOOD, ADMIN)
    old = stored(db, store.accounts)[0]["password_hash"]
    assert "$m=8,t=1,p=1$" in old
    stronger = AccountStore(db, clock=clock, hasher=CountingHasher(time_cost=2, memory_cost=16))
    assert not stronger.authenticate("ada", OTHER).ok
    assert stored(db, store.accounts)[0]["password_hash"] == old  # a wrong password changes nothing
    assert stronger.authenticate("ada", GOOD).ok
    new = stored(db, store.accounts)[0]["password_hash"]
    assert "$m=16,t=2,p=1$" in new and new != old
    assert stronger.authenticate("ada", GOOD).ok  # the new hash verifies
    assert stored(db, store.accounts)[0]["password_hash"] == new  # and is not rehashed again


@pytest.mark.parametrize(
    ("password", "username", "problems"),
    [
        (GOOD, "ada", []),
        ("abababababab", "ada", []),  # twelve characters, two different ones
        ("密码密码密码密码密码密码", "ada", []),  # characters, not bytes
        ("short", "ada", ["the password has 5 characters; use at least 12"]),
        ("", "ada", ["the password has 0 characters; use at least 12"]),
        ("aaaaaaaaaaaa", "ada", ["the password must not be one character repeated"]),
        (
            "aaaa",
            "ada",
            [
                "the password has 4 characters; use at least 12",
                "the password must not be one character repeated",
            ],
        ),
        ("ada.lovelace.1815", "ada.lovelace.1815", ["the password must not be the user name"]),
        ("Ada.Lovelace.1815", "ada.lovelace.1815", ["the password must not be the user name"]),
        (
            "x" * 1025,
            "ada",
            ["the password has more than 1024 characters", "the password must not be one character repeated"],
        ),
    ],
)
def test_password_policy(password: str, username: str, problems: list[str]) -> None:
    assert acc.password_problems(password, username=username) == problems


# --- adding and changing accounts -------------------------------------------------------------


def test_a_fresh_database_has_no_account(db: store.Store, accounts: AccountStore) -> None:
    store.open_store(db.url)  # opening again creates nothing either
    assert accounts.list() == []
    assert not accounts.has_admin()
    assert accounts.authenticate("admin", "admin").reason == acc.BAD_CREDENTIALS


def test_add_then_read(accounts: AccountStore, clock: FakeClock) -> None:
    added = accounts.add(" Eddie ", GOOD, EDITOR, ["shenzhen", "seattle"])
    assert added == Account("eddie", EDITOR, frozenset({"shenzhen", "seattle"}), created_at=clock.now)
    assert accounts.get("EDDIE") == added
    assert accounts.add("ada", GOOD, ADMIN).cities == frozenset({ALL_CITIES})
    assert [a.username for a in accounts.list()] == ["ada", "eddie"]
    assert "hash" not in repr(accounts.list())


@pytest.mark.parametrize(
    ("username", "password", "role", "cities", "problems"),
    [
        (
            "b",
            "short",
            "owner",
            [],
            [
                "user name 'b' must be 3-32 characters: lowercase letters, digits, '.', '_' or '-', "
                "starting and ending with a letter or digit",
                "role 'owner' is not one of editor, admin",
                "the password has 5 characters; use at least 12",
            ],
        ),
        ("x" * 33, GOOD, EDITOR, ["shenzhen"], ["user name 'xxx"]),
        ("-eddie", GOOD, EDITOR, ["shenzhen"], ["user name '-eddie'"]),
        ("eddie", GOOD, EDITOR, [], ["an editor needs at least one city (or all cities)"]),
        ("eddie", GOOD, EDITOR, ["*", "seattle"], ["'*' (all cities) goes alone, without city ids"]),
        ("eddie", GOOD, EDITOR, ["Shen Zhen"], ["city id 'Shen Zhen' is not a lowercase slug"]),
        ("ada", GOOD, ADMIN, ["shenzhen"], ["an admin edits every city: give no cities"]),
        ("eddie", "eddie", EDITOR, ["shenzhen"], ["the password has 5", "the password must not be the user"]),
    ],
)
def test_add_reports_every_problem(
    accounts: AccountStore, username: str, password: str, role: str, cities: list[str], problems: list[str]
) -> None:
    with pytest.raises(AccountError) as refused:
        accounts.add(username, password, role, cities)
    assert len(refused.value.problems) == len(problems)
    for got, expected in zip(refused.value.problems, problems, strict=True):
        assert got.startswith(expected)
    assert accounts.list() == []


def test_cities_must_exist_once_the_database_has_some(
    accounts: AccountStore, db: store.Store, mini_dir: Path
) -> None:
    accounts.add("early", GOOD, EDITOR, ["atlantis"])  # nothing to check against before seeding
    db.replace_all(seed.load_dir(mini_dir))
    with pytest.raises(AccountError, match=r"unknown city 'atlantis' \(known: seattle, shenzhen\)"):
        accounts.add("eddie", GOOD, EDITOR, ["shenzhen", "atlantis"])
    assert accounts.add("eddie", GOOD, EDITOR, ["shenzhen"]).cities == {"shenzhen"}


def test_a_user_name_is_taken_once(accounts: AccountStore) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    with pytest.raises(AccountError, match="user 'eddie' already exists"):
        accounts.add("Eddie", OTHER, EDITOR, ["seattle"])


def test_set_password(accounts: AccountStore) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    with pytest.raises(AccountError) as refused:
        accounts.set_password("eddie", "short")
    assert refused.value.problems == ["the password has 5 characters; use at least 12"]
    with pytest.raises(AccountError, match="no user 'nobody'"):
        accounts.set_password("nobody", OTHER)
    accounts.set_password("eddie", OTHER)
    assert not accounts.authenticate("eddie", GOOD).ok
    assert accounts.authenticate("eddie", OTHER).ok


def test_disable_and_the_last_admin(accounts: AccountStore) -> None:
    accounts.add("ada", GOOD, ADMIN)
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    assert accounts.has_admin()
    with pytest.raises(AccountError, match="'ada' is the only enabled admin"):
        accounts.disable("ada")
    accounts.add("grace", GOOD, ADMIN)
    accounts.disable("ada")
    accounts.disable("eddie")
    assert [(a.username, a.disabled) for a in accounts.list()] == [
        ("ada", True),
        ("eddie", True),
        ("grace", False),
    ]
    assert accounts.has_admin()
    with pytest.raises(AccountError, match="no user 'nobody'"):
        accounts.disable("nobody")
    accounts.enable("eddie")
    assert accounts.authenticate("eddie", GOOD).ok


# --- signing in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "delay"), [(0, 0.0), (1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (99, 8.0)]
)
def test_delay_hints_grow_and_cap(failures: int, delay: float) -> None:
    assert acc.failure_delay(failures) == delay


def test_success_returns_the_account(accounts: AccountStore) -> None:
    added = accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    assert accounts.authenticate("  EDDIE", GOOD) == acc.SignInResult(True, added, acc.OK, 0.0)


STRANGER, OWNER = "203.0.113.9", "198.51.100.7"  # two clients (documentation addresses)


def test_five_failures_lock_that_client_out_of_the_name_for_fifteen_minutes(
    accounts: AccountStore, clock: FakeClock
) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    results = [accounts.authenticate("eddie", f"wrong password {i}", client=STRANGER) for i in range(5)]
    assert [(r.ok, r.account, r.reason, r.retry_after_seconds) for r in results] == [
        (False, None, "bad_credentials", 0.5),
        (False, None, "bad_credentials", 1.0),
        (False, None, "bad_credentials", 2.0),
        (False, None, "bad_credentials", 4.0),
        (False, None, "bad_credentials", 8.0),  # locked now, and it says nothing more
    ]
    clock.advance(minutes=5)
    locked = acc.SignInResult(False, None, acc.BAD_CREDENTIALS, 8.0)
    assert accounts.authenticate("eddie", GOOD, client=STRANGER) == locked  # even the right password
    assert accounts.authenticate("eddie", "wrong again", client=STRANGER) == locked
    listed = accounts.get("eddie")
    assert listed is not None and listed.locked_until == clock.now + timedelta(minutes=10)  # not extended
    clock.advance(minutes=10)
    result = accounts.authenticate("eddie", GOOD, client=STRANGER)
    assert result.ok and result.account is not None and result.account.locked_until is None
    # the count started afresh
    assert accounts.authenticate("eddie", "wrong", client=STRANGER).retry_after_seconds == 0.5


def throttle_row(db: store.Store, client: str, username: str) -> dict[str, Any]:
    rows = [
        r for r in stored(db, store.signin_throttle) if (r["client"], r["username"]) == (client, username)
    ]
    assert len(rows) == 1, rows
    return rows[0]


def test_a_lock_that_ran_out_counts_failures_afresh(
    accounts: AccountStore, db: store.Store, clock: FakeClock
) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for _ in range(5):
        accounts.authenticate("eddie", "wrong")
    clock.advance(minutes=15)
    assert accounts.authenticate("eddie", "wrong") == acc.SignInResult(False, None, acc.BAD_CREDENTIALS, 0.5)
    row = throttle_row(db, "local", "eddie")
    assert (row["failed_count"], row["locked_until"]) == (1, None)
    failed_at = row["last_failed_at"]  # SQLite keeps UTC without the zone, PostgreSQL a timestamptz
    assert (failed_at if failed_at.tzinfo else failed_at.replace(tzinfo=UTC)) == clock.now


def test_failures_after_a_quiet_window_count_afresh(accounts: AccountStore, clock: FakeClock) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for _ in range(4):
        accounts.authenticate("eddie", "wrong")
        clock.advance(minutes=16)  # one guess every 16 minutes never reaches five in a window
    assert accounts.authenticate("eddie", "wrong").retry_after_seconds == 0.5
    assert accounts.authenticate("eddie", GOOD).ok


def test_success_resets_the_count(accounts: AccountStore) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for _ in range(4):
        accounts.authenticate("eddie", "wrong")
    assert accounts.authenticate("eddie", GOOD).ok
    for _ in range(4):
        result = accounts.authenticate("eddie", "wrong")
    assert (result.reason, result.retry_after_seconds) == (acc.BAD_CREDENTIALS, 4.0)


def test_failures_count_per_account(accounts: AccountStore) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    accounts.add("erin", GOOD, EDITOR, ["seattle"])
    for _ in range(5):
        accounts.authenticate("eddie", "wrong")
    assert not accounts.authenticate("eddie", GOOD).ok
    assert accounts.authenticate("erin", GOOD).ok


def test_an_unknown_user_looks_like_a_wrong_password(
    accounts: AccountStore, db: store.Store, hasher: CountingHasher
) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    hasher.verifications = 0
    wrong = accounts.authenticate("eddie", "wrong")
    assert hasher.verifications == 1
    unknown = accounts.authenticate("mallory", GOOD)
    assert hasher.verifications == 2  # the same work: hashing a dummy password
    assert unknown == acc.SignInResult(False, None, acc.BAD_CREDENTIALS, 0.5) == wrong
    assert accounts.authenticate("", "").reason == acc.BAD_CREDENTIALS
    assert [a.username for a in accounts.list()] == ["eddie"]


def test_a_disabled_account_says_so_only_to_who_knows_the_password(accounts: AccountStore) -> None:
    accounts.add("ada", GOOD, ADMIN)
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    accounts.disable("eddie")
    assert accounts.authenticate("eddie", "wrong").reason == acc.BAD_CREDENTIALS
    assert accounts.authenticate("eddie", GOOD) == acc.SignInResult(False, None, acc.DISABLED, 0.0)


def test_set_password_lifts_a_lock(accounts: AccountStore) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for _ in range(5):
        accounts.authenticate("eddie", "wrong")
    accounts.set_password("eddie", OTHER)
    assert accounts.authenticate("eddie", OTHER).ok


# --- a sign-in that leaks nothing (issue 15, defect 5) ------------------------------------------


def five_guesses_then(accounts: AccountStore, name: str, last: str) -> list[acc.SignInResult]:
    return [*(accounts.authenticate(name, f"guess {i}") for i in range(5)), accounts.authenticate(name, last)]


@pytest.mark.parametrize("last", [GOOD, "one more guess"])
def test_five_guesses_do_not_tell_whether_a_name_exists(
    accounts: AccountStore, hasher: CountingHasher, last: str
) -> None:
    """A real name (then locked) and an unknown one answer alike, after the same hashing work.

    On the old code the fifth guess said "locked" for real names only, and a locked account
    was answered without verifying the password.
    """
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    hasher.verifications = 0
    real = five_guesses_then(accounts, "eddie", last)
    assert hasher.verifications == 6  # one per attempt, locked or not
    unknown = five_guesses_then(accounts, "mallory", last)
    assert hasher.verifications == 12
    assert real == unknown
    assert {r.reason for r in real} == {acc.BAD_CREDENTIALS} and not any(r.ok or r.account for r in real)


def test_unknown_names_cost_one_verification_with_the_same_parameters(db: store.Store) -> None:
    """Pages make a new AccountStore on every run: an unknown name must not cost a hash too."""
    AccountStore(db, hasher=CountingHasher()).add("eddie", GOOD, EDITOR, ["shenzhen"])
    fresh = CountingHasher()
    accounts = AccountStore(db, hasher=fresh)
    fresh.hashes = fresh.verifications = 0
    assert not accounts.authenticate("mallory", GOOD).ok
    assert (fresh.hashes, fresh.verifications) == (0, 1)
    dummy = acc._dummy_hash(fresh)
    made = argon2.extract_parameters(dummy)
    assert (made.type, made.time_cost, made.memory_cost, made.parallelism, made.hash_len) == (
        fresh.type,
        fresh.time_cost,
        fresh.memory_cost,
        fresh.parallelism,
        fresh.hash_len,
    )


def test_a_stranger_cannot_lock_the_owner_out(accounts: AccountStore) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    accounts.add("erin", GOOD, EDITOR, ["seattle"])
    for i in range(30):
        accounts.authenticate("eddie", f"guess {i}", client=STRANGER)
    assert not accounts.authenticate("eddie", GOOD, client=STRANGER).ok
    assert accounts.authenticate("eddie", GOOD, client=OWNER).ok
    # and the stranger's client, past 20 failures on any names, is refused for every name
    assert not accounts.authenticate("erin", GOOD, client=STRANGER).ok
    assert accounts.authenticate("erin", GOOD, client=OWNER).ok


def test_guessing_many_names_from_one_client_locks_that_client(
    accounts: AccountStore, clock: FakeClock
) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for i in range(20):  # four guesses at each of five names: no single name reaches five
        accounts.authenticate(f"name{i % 5}", "guess", client=STRANGER)
    assert not accounts.authenticate("eddie", GOOD, client=STRANGER).ok
    clock.advance(minutes=15)
    assert accounts.authenticate("eddie", GOOD, client=STRANGER).ok


def test_many_clients_lock_a_name_for_five_minutes_only(accounts: AccountStore, clock: FakeClock) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for i in range(100):  # 20 clients, each below its own limits
        accounts.authenticate("eddie", "guess", client=f"192.0.2.{i // 5}")
    assert not accounts.authenticate("eddie", GOOD, client=OWNER).ok
    clock.advance(minutes=5)
    assert accounts.authenticate("eddie", GOOD, client=OWNER).ok


def test_an_admin_unlocks_an_account_for_every_client(accounts: AccountStore, db: store.Store) -> None:
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for i in range(100):
        accounts.authenticate("eddie", "guess", client=f"192.0.2.{i // 5}")
    locked = accounts.get("eddie")
    assert locked is not None and locked.locked_until is not None
    assert [a.locked_until is not None for a in accounts.list()] == [True]
    accounts.unlock("EDDIE")
    assert accounts.get("eddie") == replace(locked, locked_until=None)
    assert accounts.authenticate("eddie", GOOD, client="192.0.2.0").ok
    assert accounts.authenticate("eddie", GOOD, client=OWNER).ok
    with pytest.raises(AccountError, match="no user 'nobody'"):
        accounts.unlock("nobody")


def test_failures_are_shared_by_every_process(db: store.Store, db_url: str, clock: FakeClock) -> None:
    """Two stores on one database (as two processes would have) count into the same rows."""
    first = AccountStore(db, clock=clock, hasher=CountingHasher())
    second = AccountStore(store.open_store(db_url), clock=clock, hasher=CountingHasher())
    first.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for i in range(5):
        (first if i % 2 else second).authenticate("eddie", "guess", client=STRANGER)
    assert not first.authenticate("eddie", GOOD, client=STRANGER).ok
    assert not second.authenticate("eddie", GOOD, client=STRANGER).ok


@pytest.mark.parametrize(
    ("ip", "headers", "proxies", "key"),
    [
        (None, {}, 0, "local"),  # Streamlit gives no address for localhost
        ("198.51.100.7", {}, 0, "198.51.100.7"),
        ("198.51.100.7", {"X-Forwarded-For": "203.0.113.9"}, 0, "198.51.100.7"),  # no proxy: ignored
        ("10.0.0.2", {"X-Forwarded-For": "203.0.113.9"}, 1, "203.0.113.9"),
        ("10.0.0.2", {"x-forwarded-for": "6.6.6.6, 203.0.113.9"}, 1, "203.0.113.9"),  # left: made up
        ("10.0.0.2", {"X-Forwarded-For": "6.6.6.6, 203.0.113.9, 10.0.0.3"}, 2, "203.0.113.9"),
        ("10.0.0.2", {}, 1, "10.0.0.2"),
        ("x" * 300, {}, 0, "x" * 128),
    ],
)
def test_client_key(ip: str | None, headers: dict[str, str], proxies: int, key: str) -> None:
    assert acc.client_key(ip, headers, trusted_proxies=proxies) == key


# --- expired sessions are purged (issue 15, defect 8) ---------------------------------------------


def test_signing_in_deletes_expired_sessions(
    accounts: AccountStore, db: store.Store, clock: FakeClock
) -> None:
    """On the old code nothing called purge_expired: ended sessions stayed in the table."""
    eddie = accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    accounts.add("erin", GOOD, EDITOR, ["seattle"])
    accounts.start_session(eddie)
    clock.advance(hours=9)
    assert len(stored(db, store.sessions)) == 1
    assert accounts.authenticate("erin", GOOD).ok
    assert stored(db, store.sessions) == []


def test_purging_deletes_failure_counts_gone_quiet(
    accounts: AccountStore, db: store.Store, clock: FakeClock
) -> None:
    accounts.authenticate("mallory", "guess", client=STRANGER)
    clock.advance(minutes=14)
    accounts.purge_expired()
    assert len(stored(db, store.signin_throttle)) == 3  # per pair, per client, per name
    clock.advance(minutes=2)
    accounts.purge_expired()
    assert stored(db, store.signin_throttle) == []


# --- sessions ---------------------------------------------------------------------------------


@pytest.fixture
def eddie(accounts: AccountStore) -> Account:
    return accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])


def test_the_token_is_not_stored_in_clear(accounts: AccountStore, db: store.Store, eddie: Account) -> None:
    token = accounts.start_session(eddie)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert accounts.start_session(eddie) != token
    rows = stored(db, store.sessions)
    assert len(rows) == 2
    assert hashlib.sha256(token.encode()).hexdigest() in {r["token_sha256"] for r in rows}
    assert all(token not in str(value) for row in rows for value in row.values())
    assert accounts.session_account(token) == eddie


def test_sessions_end_after_thirty_idle_minutes(
    accounts: AccountStore, db: store.Store, clock: FakeClock, eddie: Account
) -> None:
    token = accounts.start_session(eddie)
    clock.advance(minutes=29, seconds=59)
    assert accounts.session_account(token) == eddie  # and this use counts as activity
    clock.advance(minutes=29, seconds=59)
    assert accounts.session_account(token) == eddie
    clock.advance(minutes=30)
    assert accounts.session_account(token) is None
    assert stored(db, store.sessions) == []


def test_a_session_check_writes_its_use_at_most_once_a_minute(
    accounts: AccountStore, db: store.Store, clock: FakeClock, eddie: Account
) -> None:
    token = accounts.start_session(eddie)
    (started,) = [r["last_seen_at"] for r in stored(db, store.sessions)]
    for _ in range(5):  # reruns of Curate a few seconds apart: reads only
        clock.advance(seconds=10)
        assert accounts.session_account(token) == eddie
    assert [r["last_seen_at"] for r in stored(db, store.sessions)] == [started]
    clock.advance(seconds=10)  # a minute since the use last written
    assert accounts.session_account(token) == eddie
    (seen,) = [r["last_seen_at"] for r in stored(db, store.sessions)]
    assert seen != started
    # idle time counts from the use written: 29 min 59 s after it the session still lives
    clock.advance(seconds=30)
    assert accounts.session_account(token) == eddie
    clock.advance(minutes=29, seconds=29)
    assert accounts.session_account(token) == eddie


def test_sessions_end_after_eight_hours_however_active(
    accounts: AccountStore, clock: FakeClock, eddie: Account
) -> None:
    token = accounts.start_session(eddie)
    for _ in range(23):  # 7 h 40 min of use every 20 minutes
        clock.advance(minutes=20)
        assert accounts.session_account(token) == eddie
    clock.advance(minutes=19, seconds=59)
    assert accounts.session_account(token) == eddie
    clock.advance(seconds=1)
    assert accounts.session_account(token) is None


def test_end_session(accounts: AccountStore, eddie: Account) -> None:
    token, other = accounts.start_session(eddie), accounts.start_session(eddie)
    accounts.end_session(token)
    assert accounts.session_account(token) is None
    assert accounts.session_account(other) == eddie
    accounts.end_session(token)  # twice is fine


@pytest.mark.parametrize("token", [None, "", "made-up-token"])
def test_no_account_for_a_missing_or_unknown_token(
    accounts: AccountStore, eddie: Account, token: str | None
) -> None:
    accounts.start_session(eddie)
    assert accounts.session_account(token) is None


def test_purge_expired(accounts: AccountStore, db: store.Store, clock: FakeClock, eddie: Account) -> None:
    old = accounts.start_session(eddie)
    clock.advance(minutes=20)
    idle = accounts.start_session(eddie)
    assert accounts.session_account(old) == eddie
    clock.advance(minutes=20)
    fresh = accounts.start_session(eddie)
    assert accounts.session_account(old) == eddie
    clock.advance(minutes=15)  # idle has been idle 35 minutes, old and fresh 15
    assert accounts.purge_expired() == 1
    assert accounts.session_account(old) == eddie and accounts.session_account(fresh) == eddie
    clock.advance(hours=8)
    assert accounts.purge_expired() == 2
    assert stored(db, store.sessions) == []
    assert accounts.session_account(idle) is None


@pytest.mark.parametrize("change", ["disable", "set_password"])
def test_disabling_or_a_new_password_ends_the_sessions(
    accounts: AccountStore, eddie: Account, change: str
) -> None:
    accounts.add("ada", GOOD, ADMIN)
    token = accounts.start_session(eddie)
    if change == "disable":
        accounts.disable("eddie")
    else:
        accounts.set_password("eddie", OTHER)
    assert accounts.session_account(token) is None


def test_a_disabled_account_gets_no_session(accounts: AccountStore, eddie: Account) -> None:
    accounts.add("ada", GOOD, ADMIN)
    accounts.disable("eddie")
    with pytest.raises(AccountError, match="cannot sign in"):
        accounts.start_session(eddie)
    with pytest.raises(AccountError, match="cannot sign in"):
        accounts.start_session(Account("ghost", EDITOR, frozenset({"shenzhen"})))


# --- accounts are not content -----------------------------------------------------------------


def test_account_writes_leave_the_content_version_alone(
    accounts: AccountStore, db: store.Store, clock: FakeClock, mini_dir: Path
) -> None:
    db.replace_all(seed.load_dir(mini_dir))
    version = db.data_version()
    accounts.add("ada", GOOD, ADMIN)
    eddie = accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    accounts.authenticate("eddie", GOOD)
    for _ in range(5):
        accounts.authenticate("eddie", "wrong")
    token = accounts.start_session(eddie)
    accounts.session_account(token)
    accounts.end_session(token)
    accounts.set_password("eddie", OTHER)
    accounts.disable("eddie")
    accounts.enable("eddie")
    clock.advance(hours=9)
    accounts.purge_expired()
    assert db.data_version() == version
    # and reseeding the content keeps the accounts
    db.replace_all(seed.load_dir(mini_dir))
    assert [a.username for a in accounts.list()] == ["ada", "eddie"]


# --- the command line -------------------------------------------------------------------------


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itinerary", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_cli_user_add_then_sign_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/a.db"
    result = run_cli(
        "user", "add", "Eddie", "--role", "editor", "--city", "shenzhen", "--city", "seattle",
        "--password-stdin", stdin=GOOD + "\n", env={"CITYPLUS_DB_URL": url},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "added editor 'eddie' (seattle, shenzhen)" in result.stdout
    assert "no admin yet" in result.stdout and "$argon2" not in result.stdout + result.stderr
    db = store.open_store(url)
    assert stored(db, store.accounts)[0]["password_hash"].startswith(PRODUCTION_PREFIX)
    signed_in = AccountStore(db).authenticate("eddie", GOOD)
    assert signed_in.ok and signed_in.account is not None
    assert signed_in.account.cities == {"shenzhen", "seattle"}


def test_cli_user_add_with_a_weak_password_lists_the_problems(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/a.db"
    env = {"CITYPLUS_DB_URL": f"sqlite:///{tmp_path}/elsewhere.db"}  # --db-url wins
    result = run_cli(
        "user", "add", "ada", "--role", "admin", "--password-stdin", "--db-url", url, stdin="ada\n", env=env
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: 2 problems:",
        "  - the password has 3 characters; use at least 12",
        "  - the password must not be the user name",
    ]
    assert result.stdout == ""
    assert AccountStore(store.open_store(url)).list() == []


def main(*args: str) -> int:
    return cli.main(["user", *args])


@pytest.fixture
def cheap_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process commands hash with cheap parameters (the subprocess ones use the real ones)."""
    monkeypatch.setattr(acc, "new_hasher", CountingHasher)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.usefixtures("cheap_cli")
def test_cli_list_disable_passwd(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CITYPLUS_DB_URL", db_url)
    assert main("list") == 0
    assert capsys.readouterr().out == (
        "no accounts; create the first admin with: python -m itinerary user add NAME --role admin\n"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    assert main("add", "ada", "--role", "admin", "--password-stdin") == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(GOOD + "\n"))
    assert main("add", "eve", "--role", "editor", "--all-cities", "--password-stdin") == 0
    capsys.readouterr()
    assert main("disable", "eve") == 0
    assert capsys.readouterr().out == "disabled 'eve'; their sessions ended\n"
    assert main("list") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["NAME", "ROLE", "CITIES", "STATUS", "CREATED"]
    assert out.splitlines()[1].split()[:5] == ["ada", "admin", "all", "cities", "active"]
    assert out.splitlines()[2].split()[:5] == ["eve", "editor", "all", "cities", "disabled"]
    assert "$argon2" not in out

    answers = iter([OTHER, OTHER])
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main("passwd", "ada") == 0
    assert "changed the password of 'ada'" in capsys.readouterr().out
    assert AccountStore(store.open_store(db_url), hasher=CountingHasher()).authenticate("ada", OTHER).ok


TTY = object()  # stdin is a terminal: the password is typed (getpass answers from ``typed``)


@pytest.mark.parametrize(
    ("args", "stdin", "typed", "message"),
    [
        (["passwd", "ada"], TTY, [GOOD, GOOD + "!"], "error: the two passwords differ; nothing changed"),
        (["passwd", "ada"], TTY, ["short"], "error: the password has 5 characters; use at least 12"),
        (["passwd", "ada"], "", [], "error: no terminal to ask for the password on; pipe it in with"),
        (["passwd", "nobody", "--password-stdin"], GOOD, [], "error: no user 'nobody'"),
        (["disable", "ada"], "", [], "error: 'ada' is the only enabled admin"),
        (
            ["add", "eve", "--role", "editor", "--city", "seattle", "--all-cities"],
            TTY,
            [],
            "error: give --city",
        ),
        (["add", "eve", "--role", "editor", "--city", "tokyo"], TTY, [], "error: unknown city 'tokyo'"),
        (["add", "ada", "--role", "admin"], TTY, [], "error: user 'ada' already exists"),
        (
            ["add", "eve", "--role", "editor", "--all-cities", "--password-stdin"],
            "eve\n",
            [],
            "error: 2 problems",
        ),
    ],
)
@pytest.mark.usefixtures("cheap_cli")
def test_cli_refusals_exit_2(
    db_url: str,
    mini_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: object,
    typed: list[str],
    message: str,
) -> None:
    db = store.open_store(db_url)
    if "--city" in args:
        db.replace_all(seed.load_dir(mini_dir))
    accounts = AccountStore(db, hasher=CountingHasher())
    accounts.add("ada", GOOD, ADMIN)
    answers = iter(typed)
    monkeypatch.setattr("sys.stdin", Terminal() if stdin is TTY else io.StringIO(str(stdin)))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(*args, "--db-url", db_url) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(message), captured.err
    assert "$argon2" not in captured.out + captured.err
    assert [a.username for a in accounts.list()] == ["ada"]
    assert accounts.authenticate("ada", GOOD).ok  # nothing changed


@pytest.mark.usefixtures("cheap_cli")
def test_cli_unlock(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    accounts = AccountStore(store.open_store(db_url), hasher=CountingHasher())
    accounts.add("eddie", GOOD, EDITOR, ["shenzhen"])
    for _ in range(5):
        accounts.authenticate("eddie", "guess", client=STRANGER)
    assert main("list", "--db-url", db_url) == 0
    assert "locked until" in capsys.readouterr().out
    assert main("unlock", "Eddie", "--db-url", db_url) == 0
    assert capsys.readouterr().out == "unlocked 'eddie': failed sign-ins from every client are forgotten\n"
    assert accounts.authenticate("eddie", GOOD, client=STRANGER).ok
    assert main("unlock", "nobody", "--db-url", db_url) == 2
    assert capsys.readouterr().err == "error: no user 'nobody'\n"


def test_every_command_lives_in_the_cli_package() -> None:
    """``python -m itinerary`` only dispatches (issue 16): each command is a module of itinerary.cli."""
    from itinerary import cli as commands

    assert list(commands.COMMANDS) == ["validate", "seed", "import", "export", "tiles", "user", "cluster"]
    for module in commands.COMMANDS.values():
        assert module.__name__.startswith("itinerary.cli.")
        assert callable(module.configure) and callable(module.run) and module.HELP
    assert cli.main is commands.main


# --- account refusals keep their i18n key: English word for word as before, Chinese too ---------


def _zh(problems: list[str]) -> list[str]:
    return [problem.text("zh") if isinstance(problem, Said) else problem for problem in problems]


def test_account_refusals_read_in_both_languages(
    accounts: AccountStore, db: store.Store, mini_dir: Path
) -> None:
    accounts.add("ada", GOOD, ADMIN)
    with pytest.raises(AccountError) as refused:
        accounts.add("Ada", GOOD, "boss", [])
    assert refused.value.problems == ["role 'boss' is not one of editor, admin", "user 'ada' already exists"]
    assert _zh(refused.value.problems) == ["角色“boss”不是以下之一：editor, admin", "用户“ada”已存在"]
    cases = [
        (
            ("nina", GOOD, ADMIN, ["shenzhen"]),
            "an admin edits every city: give no cities",
            "管理员可编辑所有城市：请不要指定城市",
        ),
        (
            ("nina", GOOD, EDITOR, []),
            "an editor needs at least one city (or all cities)",
            "编辑至少需要一个城市（或所有城市）",
        ),
        (
            ("nina", GOOD, EDITOR, ["*", "seattle"]),
            "'*' (all cities) goes alone, without city ids",
            "“*”（所有城市）须单独使用，不能与城市标识同时给出",
        ),
        (
            ("nina", GOOD, EDITOR, ["Sea"]),
            "city id 'Sea' is not a lowercase slug",
            "城市标识“Sea”不是小写标识",
        ),
    ]
    for args, english, chinese in cases:
        with pytest.raises(AccountError) as refused:
            accounts.add(*args)
        assert (refused.value.problems, _zh(refused.value.problems)) == ([english], [chinese])
    db.replace_all(seed.load_dir(mini_dir))
    with pytest.raises(AccountError) as refused:
        accounts.add("nina", GOOD, EDITOR, ["atlantis"])
    assert _zh(refused.value.problems) == ["未知的城市“atlantis”（已有：seattle, shenzhen）"]
    with pytest.raises(AccountError) as refused:
        accounts.disable("ada")
    assert refused.value.problems == ["'ada' is the only enabled admin; add another admin first"]
    assert _zh(refused.value.problems) == ["“ada”是唯一启用的管理员；请先添加另一位管理员"]
    for refuse in (
        accounts.disable,
        accounts.enable,
        accounts.unlock,
        lambda name: accounts.set_password(name, OTHER),
    ):
        with pytest.raises(AccountError) as refused:
            refuse("nobody")
        assert (refused.value.problems, _zh(refused.value.problems)) == (
            ["no user 'nobody'"],
            ["没有用户“nobody”"],
        )
    ghost = accounts.add("ghost", GOOD, ADMIN)
    accounts.disable("ghost")
    with pytest.raises(AccountError) as refused:
        accounts.start_session(ghost)
    assert (refused.value.problems, _zh(refused.value.problems)) == (
        ["user 'ghost' cannot sign in"],
        ["用户“ghost”无法登录"],
    )


@pytest.mark.parametrize(
    ("password", "username", "chinese"),
    [
        ("short", "", ["密码只有 5 个字符，至少需要 12 个"]),
        ("x" * 1025, "", ["密码超过 1024 个字符", "密码不能只是同一个字符的重复"]),
        ("Ada-Lovelace-1815", "ada-lovelace-1815", ["密码不能与用户名相同"]),
    ],
)
def test_password_rules_read_in_chinese_and_keep_their_english(
    password: str, username: str, chinese: list[str]
) -> None:
    problems = acc.password_problems(password, username=username)
    assert [p.text("zh") for p in problems] == chinese  # type: ignore[attr-defined]
    assert [p.text("en") for p in problems] == [str(p) for p in problems]  # type: ignore[attr-defined]


def test_a_bad_user_name_reads_in_chinese() -> None:
    (problem,) = acc.username_problems("Not Valid")
    assert str(problem).startswith("user name 'Not Valid' must be 3-32 characters")
    assert problem.text("zh").startswith("用户名“Not Valid”须为 3-32 个字符")  # type: ignore[attr-defined]
