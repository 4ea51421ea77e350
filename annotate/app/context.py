"""What every page needs from the session: the project, its store, and who is signed in.

The project directory comes from ``ANNOTATE_PROJECT`` (``annotate serve`` sets it); the opened project is
shared by all sessions of the server (``st.cache_resource``, keyed by the directory). Identity comes from
:func:`annotate.auth.resolve_user` on every run of every page: the server-side session whose token this
Streamlit session holds (``st.session_state[SESSION_TOKEN]``) or the browser's HttpOnly session cookie sent
back after a reload, or the OIDC identity in ``st.user`` when the project configures ``st.login``. A session
ended anywhere (sign-out, password change, a disabled account) fails here at its next interaction.
"""

from __future__ import annotations

import json
from typing import NoReturn

import streamlit as st

from ..auth import (
    SESSION_COOKIE,
    OidcConfig,
    load_oidc_config,
    resolve_user,
    sign_in,
    sign_out_everywhere,
    start_session,
)
from ..errors import AnnotateError, AuthError
from ..project import Project, open_project, resolve_project_dir
from ..store import Store, User
from . import session_routes
from .ui import fail, show_error

SESSION_TOKEN = "annotate_session_token"
"""Session-state key holding the token of this Streamlit session's server-side sign-in session."""

SESSION_USER = "annotate_user"
"""Session-state key holding the name the session resolved to last (shown, never trusted: the token is)."""

_NAVIGATE = "annotate_navigate"
"""Session-state key: a same-server path for the browser to go to on the next run (cookie set or cleared)."""

_NOTICE = "annotate_notice"
"""Session-state key: a message for the next run of whatever page shows (e.g. the sign-in page)."""

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


def client_address() -> str:
    """Where this session connects from, for sign-in throttling and the audit log (``local`` for localhost)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def signed_in_user() -> User | None:
    """The signed-in user, or None; the one function the app uses to tell who is annotating.

    A session that ended elsewhere is forgotten here (and, under OIDC, the provider sign-in of this browser
    too), so the page shows the sign-in form instead of running.
    """
    oidc = get_oidc()
    store = get_store()
    claims = st.user.to_dict() if oidc is not None else None
    token = st.session_state.get(SESSION_TOKEN)
    if oidc is None and not isinstance(token, str):
        token = st.context.cookies.get(SESSION_COOKIE)  # a reload: the browser's HttpOnly cookie
    try:
        if oidc is not None and claims and claims.get("is_logged_in") and not isinstance(token, str):
            identity = resolve_user(store, token=None, oidc=oidc, claims=claims)
            if identity is not None:  # first sight of this provider sign-in in this Streamlit session
                token = start_session(store, identity, client=f"oidc {client_address()}")
        user = resolve_user(store, token=token if isinstance(token, str) else None, oidc=oidc, claims=claims)
    except AuthError as exc:
        show_error(exc)
        st.button("Sign out", on_click=st.logout, key="annotate_oidc_logout")
        st.stop()
    if user is None:
        _forget_session()
        if oidc is not None and claims and claims.get("is_logged_in"):
            st.logout()  # this browser's provider sign-in outlived the sign-out: end it too
        return None
    if isinstance(token, str):
        st.session_state[SESSION_TOKEN] = token
    st.session_state[SESSION_USER] = user.name
    return user


def session_token() -> str | None:
    """The token of this Streamlit session's sign-in session (what the workspace checks on every write)."""
    token = st.session_state.get(SESSION_TOKEN)
    return token if isinstance(token, str) else None


def notice(message: str) -> None:
    """Show ``message`` once on the next run, whichever page that is (a signed-out user's: the sign-in page)."""
    st.session_state[_NOTICE] = message


def show_notice() -> None:
    """Show the message :func:`notice` left, once."""
    message = st.session_state.pop(_NOTICE, None)
    if isinstance(message, str):
        st.success(message, icon=":material/info:")


def _forget_session() -> None:
    for key in (SESSION_TOKEN, SESSION_USER, SESSION_DOC):
        st.session_state.pop(key, None)


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
    """Check a local account, start its session and keep it; the error is shown and None returned if refused.

    With the session routes served, the next run sends the browser through ``/auth/session`` once, which puts
    the token into an HttpOnly cookie so that a reload stays signed in.
    """
    try:
        signed = sign_in(get_store(), name, password, client=client_address())
    except AnnotateError as exc:
        show_error(exc)
        return None
    st.session_state[SESSION_TOKEN] = signed.token
    st.session_state[SESSION_USER] = signed.user.name
    if session_routes.mounted:
        ticket = session_routes.issue_ticket(signed.token, st.context.cookies.get(session_routes.XSRF_COOKIE))
        st.session_state[_NAVIGATE] = f"{session_routes.SESSION_PATH}?ticket={ticket}"
    return signed.user


def sign_out() -> None:
    """End every session of the signed-in account (in every browser: each fails its next interaction), forget
    this one, clear the browser's cookie, and end the OIDC sign-in when that is how the user came in."""
    token = st.session_state.get(SESSION_TOKEN)
    _forget_session()
    if isinstance(token, str):
        sign_out_everywhere(get_store(), token)
    if get_oidc() is not None:
        st.logout()
        return
    if session_routes.mounted:
        st.session_state[_NAVIGATE] = session_routes.SIGN_OUT_PATH


def sync_session_cookie() -> None:
    """Send the browser to the session route queued by a sign-in or sign-out (once), coming back to this page.

    The path holds only a one-time ticket, never the token; the route answers with the cookie and a redirect.
    """
    target = st.session_state.pop(_NAVIGATE, None)
    if not isinstance(target, str):
        return
    sep = "&" if "?" in target else "?"
    st.html(
        f"<script>window.location.replace({json.dumps(target + sep + 'next=')}"
        " + encodeURIComponent(window.location.pathname + window.location.search));</script>",
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
