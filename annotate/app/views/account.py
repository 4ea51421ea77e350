"""Who am I: the signed-in user's name and role, what the role may do, and sign out."""

from __future__ import annotations

import streamlit as st

from annotate.app.context import current_user, get_project, sign_out
from annotate.app.ui import plain
from annotate.auth import role_summary

user = current_user()
st.title("Account")
st.markdown(f"Signed in as **{plain(user.name)}** with the role **{user.role.value}** in {plain(get_project().title)}.")
st.write(role_summary(user))
st.button("Sign out", on_click=sign_out, icon=":material/logout:", key="account_sign_out")
