"""What every page needs from the session: the project, its store, and who is signed in.

The project directory comes from ``ANNOTATE_PROJECT`` (``annotate serve`` sets it); the opened project is
shared by all sessions of the server (``st.cache_resource``, keyed by the directory). Identity comes from
:func:`annotate.auth.resolve_user`: the local sign-in kept in ``st.session_state[SESSION_USER]``, or the OIDC
identity in ``st.user`` when the project configures ``st.login``.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from ..auth import (
    SESSION_COOKIE,
    SESSION_TTL,
    OidcConfig,
    issue_session_token,
    load_oidc_config,
    resolve_user,
    revoke_sessions,
    session_key,
    sign_in,
)
from ..errors import AnnotateError, AuthError
from ..project import Project, open_project, resolve_project_dir
from ..store import Store, User
from .ui import fail, show_error

SESSION_USER = "annotate_user"
"""Session-state key holding the name of the locally signed-in user (tests set it to sign a user in)."""

_COOKIE_UPDATE = "annotate_cookie_update"
"""Session-state key: a session token for the browser to keep ("" to forget it), written on the next run."""

SESSION_DOC = "annotate_doc_id"
"""Session-state key holding the document the queue opened (the annotation page reads it)."""


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Project:
    project = open_project(path)
    project.store()
    return project


def get_project() -> Project:
    """The project the app serves; stops the page with the reason (and fix) when it cannot be opened."""
    try:
        return _open(str(resolve_project_dir(None).resolve()))
    except AnnotateError as exc:
        fail(exc)


def get_store() -> Store:
    """The project's store."""
    return get_project().store()


def get_oidc() -> OidcConfig | None:
    """The project's OIDC set-up (``.streamlit/secrets.toml`` ``[auth]``), or None for local accounts."""
    try:
        return load_oidc_config(get_project().path)
    except AnnotateError as exc:
        fail(exc)


def signed_in_user() -> User | None:
    """The signed-in user, or None; the one function the app uses to tell who is annotating."""
    oidc = get_oidc()
    claims = st.user.to_dict() if oidc is not None else None
    session_user = st.session_state.get(SESSION_USER)
    token = None if oidc is not None or session_user else st.context.cookies.get(SESSION_COOKIE)
    key = session_key(get_project().path) if token else None
    try:
        user = resolve_user(
            get_store(), session_user=session_user, oidc=oidc, claims=claims, token=token, key=key
        )
    except AuthError as exc:
        show_error(exc)
        st.button("Sign out", on_click=st.logout, key="annotate_oidc_logout")
        st.stop()
    if user is not None and oidc is None and not session_user:
        st.session_state[SESSION_USER] = user.name  # restored from the browser's session cookie
    return user


def current_user() -> User:
    """The signed-in user; stops the page with a message when nobody is signed in."""
    user = signed_in_user()
    if user is None:
        _stop("Sign in first.")
    return user


def require_role(*roles: str) -> User:
    """The signed-in user if their role is one of ``roles``; otherwise the page stops with a message."""
    user = current_user()
    if user.role.value not in roles:
        _stop(f"This page is for {', '.join(roles)} accounts; you are signed in as {user.role.value}.")
    return user


def sign_in_local(name: str, password: str) -> User | None:
    """Check a local account and remember it in the session; the error is shown and None returned if wrong."""
    try:
        user = sign_in(get_store(), name, password)
    except AnnotateError as exc:
        show_error(exc)
        return None
    st.session_state[SESSION_USER] = user.name
    st.session_state[_COOKIE_UPDATE] = issue_session_token(session_key(get_project().path), user)
    return user


def sign_out() -> None:
    """Forget the sign-in: this session's, the browser's cookie and every session token issued so far
    (and end the OIDC session when that is how the user signed in)."""
    name = st.session_state.get(SESSION_USER)
    for key in (SESSION_USER, SESSION_DOC):
        st.session_state.pop(key, None)
    if get_oidc() is not None:
        st.logout()
        return
    if isinstance(name, str):
        revoke_sessions(get_store(), name)
    st.session_state[_COOKIE_UPDATE] = ""


def sync_session_cookie() -> None:
    """Give the browser the session token made at sign-in, or make it forget it after sign-out (once)."""
    token = st.session_state.pop(_COOKIE_UPDATE, None)
    if token is None:
        return
    max_age = int(SESSION_TTL.total_seconds()) if token else 0
    # The token is hex, base64url and dots only, so it needs no quoting inside the script.
    st.html(
        f"<script>document.cookie = '{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


SESSION_AUTHOR = "annotate_open_author"
"""Session-state key holding whose annotation set the next opened document shows (curators; read once)."""


def open_document(doc_id: str, author: str | None = None) -> None:
    """Remember ``doc_id`` as the document to annotate (the annotation page reads :func:`selected_document`), and
    for curators whose set of it to show (:func:`take_author`)."""
    st.session_state[SESSION_DOC] = doc_id
    if author is not None:
        st.session_state[SESSION_AUTHOR] = author


def take_author() -> str | None:
    """The annotation set a curator asked to open with the document, once (then it is forgotten)."""
    value = st.session_state.pop(SESSION_AUTHOR, None)
    return value if isinstance(value, str) else None


def selected_document() -> str | None:
    """The document the user last opened from the queue, if any."""
    value = st.session_state.get(SESSION_DOC)
    return value if isinstance(value, str) else None


def _stop(message: str) -> NoReturn:
    st.warning(message, icon=":material/lock:")
    st.stop()
