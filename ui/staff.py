"""The staff side's shared pieces: the sign-in gate, the city choice, history and conflicts.

The gate lives here and every staff page calls it in its own set-up: a new browser session that
opens ``/curate`` directly runs the page without ``app.py``, so nothing may rely on app.py.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from itinerary import accounts as acc
from itinerary import curation as cu
from itinerary import settings
from itinerary.access_facts import FIELD_NAMES as ACCESS_FIELDS
from itinerary.access_facts import field_label, field_value
from itinerary.catalog import localized_value
from itinerary.geocode import Geocoder
from itinerary.i18n import t
from ui.setup import PageContext
from ui.text import md_escape

TOKEN_KEY = "staff_token"
STATE_PREFIXES = ("lm_", "it_", "imp_", "acc_", "city_", "acct_", "story_", "cur_section")
P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class Staff:
    """A signed-in staff member on a staff page."""

    account: acc.Account
    accounts: acc.AccountStore
    curator: cu.Curator
    city_id: str
    lang: str

    def can(self, action: str) -> bool:
        return acc.can(self.account, action, city_id=self.city_id)


def _client() -> str:
    """Who is signing in, for the throttle: the connection's address, or behind
    ``CITYPLUS_TRUSTED_PROXIES`` reverse proxies the one they forward (``acc.client_key``)."""
    return acc.client_key(
        st.context.ip_address, st.context.headers, trusted_proxies=settings.trusted_proxies()
    )


def _sign_in(accounts: acc.AccountStore, lang: str) -> None:
    username = st.session_state.get("signin_user", "")
    password = st.session_state.get("signin_password", "")
    st.session_state["signin_password"] = ""  # never kept in the session
    result = accounts.authenticate(username, password, client=_client())
    if result.ok and result.account is not None:
        st.session_state[TOKEN_KEY] = accounts.start_session(result.account)
        st.session_state.pop("signin_message", None)
        return
    if result.reason == acc.DISABLED:  # only said to someone who knows the password
        st.session_state["signin_message"] = t("cur.signin.disabled", lang)
        return
    # One answer for a wrong name, a wrong password and a lock, after a delay that grows with
    # each failure in a row: it slows guessing and, counted alike for every name, tells nothing.
    time.sleep(result.retry_after_seconds)
    st.session_state["signin_message"] = t("cur.signin.bad", lang)


def clear_staff_state() -> None:
    """Forget every form, preview and message: the next person at this browser starts clean."""
    for key in [k for k in st.session_state if str(k).startswith(STATE_PREFIXES)]:
        del st.session_state[key]


def sign_out(accounts: acc.AccountStore) -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        accounts.end_session(token)
    clear_staff_state()


def guarded(action: Callable[Concatenate[Staff, P], None]) -> Callable[Concatenate[Staff, P], None]:
    """A button action that runs only for a session that is still valid, with the account as
    the database has it now. Callbacks run before the page's own sign-in check, with the
    ``Staff`` of the previous run: a disabled account or an ended session must not act."""

    @functools.wraps(action)
    def run(staff: Staff, *args: P.args, **kwargs: P.kwargs) -> None:
        account = staff.accounts.session_account(st.session_state.get(TOKEN_KEY))
        if account is None or not acc.can(account, acc.VIEW_CURATE):
            return  # this same run shows the sign-in form
        action(replace(staff, account=account), *args, **kwargs)

    return run


def require_staff(ctx: PageContext) -> tuple[acc.Account, acc.AccountStore]:
    """The signed-in account, or the sign-in form and the end of the run."""
    lang = ctx.lang
    accounts = acc.AccountStore(ctx.catalog.store)
    had_token = bool(st.session_state.get(TOKEN_KEY))
    account = accounts.session_account(st.session_state.get(TOKEN_KEY))
    if account is not None and acc.can(account, acc.VIEW_CURATE):
        return account, accounts
    st.session_state.pop(TOKEN_KEY, None)
    if had_token:  # ended or expired: nothing of that session may show to whoever signs in next
        clear_staff_state()
    if not st.session_state.get("signin_purged"):  # once per browser session: one cheap DELETE
        accounts.purge_expired()
        st.session_state["signin_purged"] = True
    _, middle, _ = st.columns([1, 2, 1])  # a narrow form on wide screens; stacked on phones
    with middle:
        st.title(t("cur.signin.title", lang), anchor=False)
        if had_token:
            st.info(t("cur.signin.expired", lang))
        message = st.session_state.get("signin_message")
        if message:
            st.error(message)
        if not accounts.has_admin() and not accounts.list():
            st.info(t("cur.signin.no_accounts", lang))
            st.code("python -m itinerary user add NAME --role admin", language="bash")
        with st.form("signin", border=True, enter_to_submit=True):
            st.text_input(t("cur.signin.user", lang), key="signin_user", autocomplete="username")
            st.text_input(
                t("cur.signin.password", lang),
                type="password",
                key="signin_password",
                autocomplete="current-password",
            )
            st.form_submit_button(
                t("cur.signin.submit", lang), type="primary", on_click=_sign_in, args=(accounts, lang)
            )
    st.stop()
    raise AssertionError("unreachable")


def city_choice(ctx: PageContext, account: acc.Account) -> str | None:
    """The city to curate: the URL's if the account may edit it, else its first city."""
    cities = ctx.catalog.cities()
    allowed = acc.permitted_cities(account, acc.EDIT_CONTENT, list(cities["id"]))
    if not allowed:
        return None
    current = ctx.city_id if ctx.city_id in allowed else allowed[0]
    st.session_state["cur_city"] = current

    def changed() -> None:
        st.query_params["city"] = st.session_state["cur_city"]
        for key in [k for k in st.session_state if str(k).startswith(("lm_", "it_", "imp_"))]:
            del st.session_state[key]

    st.sidebar.selectbox(
        t("picker.city", ctx.lang),
        allowed,
        format_func=lambda cid: localized_value(cities.loc[cid], "name", ctx.lang),
        key="cur_city",
        on_change=changed,
    )
    return current


# --- conflicts, errors and history ------------------------------------------------------------


def show_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # stops
            return " → ".join(str(s.get("landmark_id")) for s in value)
        return "; ".join(str(v) for v in value)
    return str(value)


def _change_value(name: str, value: Any, lang: str) -> str:
    return field_value(name, value, lang) if name in ACCESS_FIELDS else show_value(value)


def changes_table(changes: list[cu.FieldChange], lang: str) -> pd.DataFrame:
    """Field changes as a table; access facts by their names in ``lang``, unknown as "not surveyed"."""
    return pd.DataFrame(
        [
            (
                field_label(c.field, lang),
                _change_value(c.field, c.before, lang),
                _change_value(c.field, c.after, lang),
            )
            for c in changes
        ],
        columns=[t("cur.hist.field", lang), t("cur.hist.before", lang), t("cur.hist.after", lang)],
    )


def show_conflict(conflict: cu.Conflict, lang: str, *, kept_input: bool = True) -> None:
    """Who saved the item since it was opened, and what they changed."""
    if conflict.current_version is None or conflict.base_version is None:
        st.error(md_escape(message_text(conflict, lang)))
        return
    when = conflict.at.strftime("%Y-%m-%d %H:%M UTC") if conflict.at else ""
    key = "cur.conflict" if kept_input else "cur.conflict_other"
    st.error(t(key, lang, who=md_escape(conflict.by or "?"), when=when), icon=":material/sync_problem:")
    if conflict.changes:
        st.dataframe(changes_table(conflict.changes, lang), hide_index=True, width="stretch")


def message_text(message: Any, lang: str) -> str:
    """A message from the domain in ``lang``: a coded one (``seed.Problem``, ``seed.CellError``,
    anything with ``text(lang)``) in that language; plain text as the domain wrote it."""
    text = getattr(message, "text", None)
    return str(text(lang)) if callable(text) else str(message)


def field_error(errors: Mapping[str, Any], name: str, lang: str) -> None:
    """The refusal of field ``name`` under it, in red, if it has one."""
    if name in errors:
        st.markdown(f":red[{md_escape(message_text(errors[name], lang))}]")


def show_history(
    history: list[cu.Change],
    *,
    current_version: int,
    lang: str,
    can_restore: bool,
    on_restore: Callable[[int], None],
    key: str,
) -> None:
    """Every saved version, newest first, with what changed and a restore button."""
    if not history:
        st.caption(t("cur.hist.none", lang))
        return
    for change in history:
        when = change.at.strftime("%Y-%m-%d %H:%M UTC") if change.at else t("cur.hist.from_files", lang)
        title = t(
            "cur.hist.entry",
            lang,
            version=change.version,
            action=t(f"cur.action.{change.action}", lang),
            who=change.username or "—",
            when=when,
        )
        with st.container(border=True):
            st.markdown(md_escape(title))
            if change.before is not None:
                st.dataframe(changes_table(change.changed, lang), hide_index=True, width="stretch")
            if change.version == current_version:
                st.caption(t("cur.hist.current", lang))
            elif can_restore:
                st.button(
                    t("cur.hist.restore", lang, version=change.version),
                    key=f"{key}_restore_{change.version}",
                    on_click=on_restore,
                    args=(change.version,),
                    icon=":material/history:",
                )


# --- one editor action: a write, its conflict or refusal, and the message after it -----------
# An editor keeps its state under a prefix ("lm", "it"): <prefix>_msg is (kind, i18n key) or
# ("refusal", the refused write's error); <prefix>_conflict and <prefix>_conflict_action the
# refused action. Messages are kept as keys and errors, not text: a language switch translates them.


def refusal(error: Exception, lang: str) -> str:
    """A refused save's reasons as plain text (``FieldErrors`` carry one per field)."""
    reasons = getattr(error, "errors", None)
    if isinstance(reasons, dict):
        return "; ".join(message_text(reason, lang) for reason in reasons.values())
    return message_text(error, lang)


def start_action(prefix: str) -> None:
    """Forget the message and the conflict of the editor's previous action."""
    for key in ("msg", "conflict", "conflict_action"):
        st.session_state.pop(f"{prefix}_{key}", None)


def attempt(prefix: str, action: str, write: Callable[[], T]) -> T | None:
    """Run one write; a conflict or a refusal is kept for the editor to show, and gives None."""
    try:
        return write()
    except cu.Conflict as conflict:
        st.session_state[f"{prefix}_conflict"] = conflict  # the form keeps the editor's input
        st.session_state[f"{prefix}_conflict_action"] = action
    except (cu.FieldErrors, PermissionError) as error:
        st.session_state[f"{prefix}_msg"] = ("refusal", error)
    return None


def show_message(prefix: str, lang: str) -> None:
    # kept until the next action: a map that reruns the page on load must not hide it at once
    msg = st.session_state.get(f"{prefix}_msg")
    if not msg:
        return
    kind, key = msg
    if kind == "refusal":
        st.error(md_escape(refusal(key, lang)))
    else:
        getattr(st, kind)(t(key, lang))


def conflict_panel(
    prefix: str, lang: str, *, reload: Callable[[], None], overwrite: Callable[[], None]
) -> None:
    """The refused action's conflict, with "load theirs" and (for a save) "save mine over theirs"."""
    conflict = st.session_state.get(f"{prefix}_conflict")
    if conflict is None:
        return
    saving = st.session_state.get(f"{prefix}_conflict_action") == "save"
    show_conflict(conflict, lang, kept_input=saving)
    c1, c2 = st.columns(2)
    c1.button(t("cur.conflict.reload", lang), on_click=reload, key=f"{prefix}_reload")
    if saving:  # a restore or an archive is simply tried again on the reloaded version
        c2.button(t("cur.conflict.overwrite", lang), on_click=overwrite, key=f"{prefix}_overwrite")


@st.cache_resource(max_entries=64, show_spinner=False)
def _context(url: str, city_id: str, data_version: int, _store: Any) -> cu.Context:
    return cu.context_for(_store, city_id)


def staff_context(staff: Staff) -> cu.Context:
    """What edits are validated against (the city, its themes and ids), read once per data
    version instead of on every rerun; any save anywhere changes the version."""
    store = staff.curator.store
    return _context(store.url, staff.city_id, store.data_version(), store)


@st.cache_resource(show_spinner=False)
def _geocoder(url: str, _store: Any) -> Geocoder:
    return Geocoder.for_store(_store)


def staff_geocoder(staff: Staff) -> Geocoder:
    """One per process and database: the rate limit is shared and answers are kept in the database."""
    return _geocoder(staff.curator.store.url, staff.curator.store)
