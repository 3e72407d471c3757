"""Staff (admins): accounts: add an editor or admin, disable and enable, unlock, set a password."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from itinerary import accounts as acc
from itinerary.catalog import localized_value
from itinerary.i18n import t
from ui.setup import PageContext
from ui.staff import Staff, guarded, message_text
from ui.text import md_escape


def _add(staff: Staff) -> None:
    s = st.session_state
    if s.get("acc_new_password") != s.get("acc_new_password2"):
        s["acc_msg"] = ("error", [t("cur.acc.mismatch", staff.lang)])
        return
    role = s.get("acc_new_role") or acc.EDITOR
    cities = [acc.ALL_CITIES] if s.get("acc_new_all") else list(s.get("acc_new_cities") or [])
    try:
        account = staff.accounts.add(
            s.get("acc_new_user", ""),
            s.get("acc_new_password", ""),
            role,
            [] if role == acc.ADMIN else cities,
        )
    except acc.AccountError as error:
        s["acc_msg"] = ("error", error.problems)
        return
    finally:
        s["acc_new_password"] = s["acc_new_password2"] = ""
    s["acc_new_user"] = ""
    s["acc_msg"] = ("success", [t("cur.acc.added", staff.lang, user=account.username)])


def _toggle(staff: Staff, username: str, enable: bool) -> None:
    try:
        (staff.accounts.enable if enable else staff.accounts.disable)(username)
    except acc.AccountError as error:
        st.session_state["acc_msg"] = ("error", error.problems)
        return
    st.session_state["acc_msg"] = (
        "success",
        [t("cur.acc.enabled" if enable else "cur.acc.disabled", staff.lang, user=username)],
    )


def _unlock(staff: Staff, username: str) -> None:
    try:
        staff.accounts.unlock(username)
    except acc.AccountError as error:
        st.session_state["acc_msg"] = ("error", error.problems)
        return
    st.session_state["acc_msg"] = ("success", [t("cur.acc.unlocked", staff.lang, user=username)])


def _set_password(staff: Staff) -> None:
    s = st.session_state
    try:
        staff.accounts.set_password(s.get("acc_pw_user", ""), s.get("acc_pw_password", ""))
    except acc.AccountError as error:
        s["acc_msg"] = ("error", error.problems)
        return
    finally:
        s["acc_pw_password"] = ""
    s["acc_msg"] = ("success", [t("cur.acc.password_set", staff.lang, user=s.get("acc_pw_user", ""))])


def accounts_section(staff: Staff, ctx: PageContext) -> None:
    lang = ctx.lang
    if not staff.can(acc.MANAGE_ACCOUNTS):
        st.warning(t("cur.acc.admins_only", lang))
        return
    msg = st.session_state.get("acc_msg")
    if msg:
        kind, lines = msg
        getattr(st, kind)("  \n".join(md_escape(message_text(line, lang)) for line in lines))
    people = staff.accounts.list()
    st.dataframe(
        pd.DataFrame(
            [
                (
                    a.username,
                    t(f"cur.role.{a.role}", lang),
                    t("cur.acc.all_cities", lang) if a.all_cities else ", ".join(sorted(a.cities)),
                    t("cur.acc.yes", lang) if a.disabled else "",
                    f"{a.locked_until:%Y-%m-%d %H:%M} UTC" if a.locked_until else "",
                )
                for a in people
            ],
            columns=[
                t("cur.acc.user", lang),
                t("cur.acc.role", lang),
                t("cur.acc.cities", lang),
                t("cur.acc.is_disabled", lang),
                t("cur.acc.locked_until", lang),
            ],
        ),
        hide_index=True,
        width="stretch",
    )
    cities = ctx.catalog.cities()
    add_col, manage_col = st.columns(2, gap="large")
    with add_col, st.container(border=True):
        st.markdown(f"**{t('cur.acc.add', lang)}**")
        st.text_input(t("cur.acc.user", lang), key="acc_new_user")
        st.segmented_control(
            t("cur.acc.role", lang),
            list(acc.ROLES),
            key="acc_new_role",
            default=acc.EDITOR,
            format_func=lambda r: t(f"cur.role.{r}", lang),
        )
        if st.session_state.get("acc_new_role", acc.EDITOR) != acc.ADMIN:
            st.multiselect(
                t("cur.acc.cities", lang),
                list(cities["id"]),
                key="acc_new_cities",
                format_func=lambda cid: localized_value(cities.loc[cid], "name", lang),
                placeholder=t("widget.choose", lang),  # Streamlit's own is English
            )
            st.checkbox(t("cur.acc.all_cities", lang), key="acc_new_all")
        st.text_input(
            t("cur.acc.password", lang),
            type="password",
            key="acc_new_password",
            autocomplete="new-password",
            help=t("cur.acc.password_help", lang, n=acc.MIN_PASSWORD_LENGTH),
        )
        st.text_input(
            t("cur.acc.password2", lang),
            type="password",
            key="acc_new_password2",
            autocomplete="new-password",
        )
        st.button(
            t("cur.acc.add_button", lang),
            type="primary",
            on_click=guarded(_add),
            args=(staff,),
            key="acc_add",
        )
    with manage_col, st.container(border=True):
        st.markdown(f"**{t('cur.acc.manage', lang)}**")
        names = [a.username for a in people]
        st.selectbox(t("cur.acc.user", lang), names, key="acc_pw_user")
        chosen = next((a for a in people if a.username == st.session_state.get("acc_pw_user")), None)
        if chosen is not None:
            if chosen.disabled:
                st.button(
                    t("cur.acc.enable", lang),
                    on_click=guarded(_toggle),
                    args=(staff, chosen.username, True),
                    key="acc_enable",
                )
            elif chosen.username != staff.account.username:
                st.button(
                    t("cur.acc.disable", lang),
                    on_click=guarded(_toggle),
                    args=(staff, chosen.username, False),
                    key="acc_disable",
                )
            if chosen.locked_until is not None:
                st.button(
                    t("cur.acc.unlock", lang),
                    on_click=guarded(_unlock),
                    args=(staff, chosen.username),
                    key="acc_unlock",
                )
            st.text_input(
                t("cur.acc.new_password", lang),
                type="password",
                key="acc_pw_password",
                autocomplete="new-password",
            )
            st.button(
                t("cur.acc.set_password", lang),
                on_click=guarded(_set_password),
                args=(staff,),
                key="acc_set_pw",
            )
