"""``python -m itinerary user add|list|disable|passwd|unlock``: staff accounts on the server."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Final

import sqlalchemy as sa

from itinerary import accounts as acc
from itinerary import store as storage
from itinerary.settings import utc_now

HELP = "staff accounts: add, list, disable, passwd, unlock"
FIRST_ADMIN_HINT: Final = "python -m itinerary user add NAME --role admin"


def configure(parser: argparse.ArgumentParser) -> None:
    """The subcommands of ``python -m itinerary user``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db-url", help="default: $CITYPLUS_DB_URL or var/cityplus.db")
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (scripts) instead of the terminal",
    )
    sub = parser.add_subparsers(
        dest="user_command", required=True, metavar="{add,list,disable,passwd,unlock}"
    )
    p = sub.add_parser("add", parents=[common, reading], help="create a staff account")
    p.add_argument("username", metavar="NAME", help="3-32 lowercase letters, digits, '.', '_' or '-'")
    p.add_argument("--role", required=True, choices=acc.ROLES, help="editor: their cities; admin: everything")
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
    p = sub.add_parser(
        "unlock", parents=[common], help="lift the sign-in locks on an account, from every client"
    )
    p.add_argument("username", metavar="NAME")
    p.set_defaults(user_func=_cli_unlock)


def run(args: argparse.Namespace) -> int:
    """Run a ``user`` subcommand: 0 when done, 2 with a message on stderr when refused."""
    try:
        accounts = acc.AccountStore(storage.open_store(args.db_url))
        return int(args.user_func(accounts, args))
    except acc.AccountError as exc:
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
    problems = acc.password_problems(password, username=username)
    if problems:  # say so now rather than after typing it twice
        raise acc.AccountError(problems)
    if getpass.getpass("Repeat the password: ") != password:
        raise _CliError("the two passwords differ; nothing changed")
    return password


def _cli_add(accounts: acc.AccountStore, args: argparse.Namespace) -> int:
    if args.all_cities and args.cities:
        raise _CliError("give --city or --all-cities, not both")
    name = acc.normalize_username(args.username)
    cities = [acc.ALL_CITIES] if args.all_cities else args.cities
    if not args.password_stdin:  # so that nobody types a password for an account that is refused
        problems = accounts.new_account_problems(name, args.role, cities)
        if problems:
            raise acc.AccountError(problems)
    account = accounts.add(name, _read_password(args, name), args.role, cities)  # every problem at once
    print(f"added {account.role} {account.username!r} ({_describe_cities(account)})")
    if account.role == acc.EDITOR and not account.all_cities and not accounts.known_city_ids():
        print("note: the database has no cities yet (python -m itinerary seed); the ids were not checked")
    if not accounts.has_admin():
        print(f"note: there is no admin yet; create one with: {FIRST_ADMIN_HINT}")
    return 0


def _cli_list(accounts: acc.AccountStore, args: argparse.Namespace) -> int:
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


def _cli_disable(accounts: acc.AccountStore, args: argparse.Namespace) -> int:
    accounts.disable(args.username)
    print(f"disabled {acc.normalize_username(args.username)!r}; their sessions ended")
    return 0


def _cli_passwd(accounts: acc.AccountStore, args: argparse.Namespace) -> int:
    name = acc.normalize_username(args.username)
    if accounts.get(name) is None:
        raise acc.AccountError([f"no user {name!r}"])
    accounts.set_password(name, _read_password(args, name))
    print(f"changed the password of {name!r}; their sessions ended and any lock was lifted")
    return 0


def _cli_unlock(accounts: acc.AccountStore, args: argparse.Namespace) -> int:
    name = acc.normalize_username(args.username)
    accounts.unlock(name)
    print(f"unlocked {name!r}: failed sign-ins from every client are forgotten")
    return 0


def _describe_cities(account: acc.Account) -> str:
    return "all cities" if account.all_cities else ", ".join(sorted(account.cities))
