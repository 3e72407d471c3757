"""Staff user names and passwords: the policy, and argon2id hashing (re-exported by ``accounts``)."""

from __future__ import annotations

import re
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from itinerary.permissions import Said

MIN_PASSWORD_LENGTH: Final = 12
MAX_PASSWORD_LENGTH: Final = 1024
USERNAME_RE: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{1,30}[a-z0-9]$")


def normalize_username(username: str) -> str:
    return username.strip().lower()


def username_problems(username: str) -> list[str]:
    """Why ``username`` is not a valid user name (empty when it is); texts that read in Chinese too."""
    if USERNAME_RE.match(username):
        return []
    return [Said("cur.acc.err.username", name=username)]


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Every way ``password`` breaks the policy (empty when it is acceptable); each reason is
    English text that also reads in Chinese (``permissions.Said``)."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Said("cur.acc.err.pw_short", length=len(password), minimum=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(Said("cur.acc.err.pw_long", maximum=MAX_PASSWORD_LENGTH))
    if username and password.casefold() == username.casefold():
        problems.append(Said("cur.acc.err.pw_is_name"))
    if len(set(password)) == 1:
        problems.append(Said("cur.acc.err.pw_repeated"))
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
