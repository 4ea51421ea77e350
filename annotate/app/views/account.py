"""Who am I: the signed-in user's name and role, what the role may do, a new password, and sign out; for admins,
every account (disable, enable, set a password).

Every action calls :mod:`annotate.auth`, which checks the password (throttled) or the admin role afresh; a new
password or a disabled account ends that user's sessions, in every browser, at their next interaction.
"""

from __future__ import annotations

import streamlit as st

from annotate.app.context import client_address, current_user, get_oidc, get_project, get_store, notice, sign_out
from annotate.app.ui import call, plain
from annotate.auth import (
    Role,
    change_own_password,
    disable_account,
    enable_account,
    list_users,
    role_summary,
    set_account_password,
)

user = current_user()
store = get_store()
st.title("Account")
st.markdown(f"Signed in as **{plain(user.name)}** with the role **{user.role.value}** in {plain(get_project().title)}.")
st.write(role_summary(user))
st.button("Sign out", on_click=sign_out, icon=":material/logout:", key="account_sign_out")

if get_oidc() is None:
    st.subheader("Change your password")
    with st.form("account_password", clear_on_submit=True):
        current = st.text_input("Current password", type="password", key="account_current",
                                autocomplete="current-password")
        new = st.text_input("New password (at least 8 characters)", type="password", key="account_new",
                            autocomplete="new-password")
        again = st.text_input("New password again", type="password", key="account_again",
                              autocomplete="new-password")
        change = st.form_submit_button("Change password", icon=":material/key:")
    if change:
        if new != again:
            st.error("The two new passwords differ.", icon=":material/error:")
        elif call(change_own_password, store, user.name, current, new, client=client_address()) is not None:
            notice("Your password was changed and every session of yours ended: sign in with the new password.")
            st.rerun()

if user.role is Role.admin:
    st.subheader("Accounts")
    users = list_users(store)
    st.dataframe(
        [{"name": u.name, "role": u.role.value, "created": u.created_at.strftime("%Y-%m-%d"),
          "disabled": u.disabled_at.strftime("%Y-%m-%d %H:%M") if u.disabled_at else ""} for u in users],
        hide_index=True, key="account_users",
    )
    others = [u.name for u in users if u.name != user.name]
    if others:
        who = st.selectbox("Account", others, key="account_pick")
        chosen = next(u for u in users if u.name == who)
        cols = st.columns(2)
        if chosen.disabled:
            if cols[0].button("Enable", key="account_enable", icon=":material/lock_open:"):
                if call(enable_account, store, user.name, chosen.name):
                    st.rerun()
        elif cols[0].button("Disable (ends their sessions)", key="account_disable", icon=":material/block:"):
            ended = call(disable_account, store, user.name, chosen.name)
            if ended is not None:
                notice(f"{chosen.name} is disabled; {ended} session(s) ended.")
                st.rerun()
        with st.form("account_set_password", clear_on_submit=True):
            password = st.text_input(f"New password for {chosen.name}", type="password", key="account_other_new",
                                     autocomplete="new-password")
            if st.form_submit_button("Set password (ends their sessions)", icon=":material/key:"):
                ended = call(set_account_password, store, user.name, chosen.name, password)
                if ended is not None:
                    notice(f"New password set for {chosen.name}; {ended} session(s) ended.")
                    st.rerun()
