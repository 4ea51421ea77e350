"""Sign in: a local account's name and password, or the organisation's identity provider (OIDC)."""

from __future__ import annotations

import streamlit as st

from annotate.app.context import get_oidc, get_project, get_store, sign_in_local
from annotate.app.ui import call, plain
from annotate.auth import list_users

_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title(plain(get_project().title))
    oidc = get_oidc()
    if oidc is not None:
        st.write("Sign in with your organisation's account.")
        for provider in oidc.providers:
            label = f"Sign in with {provider}" if provider else "Sign in"
            st.button(label, on_click=st.login, args=(provider,) if provider else (), icon=":material/login:")
    else:
        if not call(list_users, get_store()):
            st.info("This project has no users yet. Create one from the command line, then sign in:")
            st.code("annotate users add NAME --role admin", language="bash")
        with st.form("sign_in"):
            name = st.text_input("User name", key="sign_in_name", autocomplete="username")
            password = st.text_input(
                "Password", type="password", key="sign_in_password", autocomplete="current-password"
            )
            submitted = st.form_submit_button("Sign in", icon=":material/login:", type="primary")
        if submitted and sign_in_local(name, password) is not None:
            st.rerun()
