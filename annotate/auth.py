"""Who is using the app: local accounts (name + password) or OIDC through ``st.login``, behind one function.

Local accounts live in the project store (salted scrypt hashes made by :func:`hash_password`; see
:meth:`annotate.store.users.Users.add`).
OIDC is used when the project's ``.streamlit/secrets.toml`` has an ``[auth]`` table: the identity provider
authenticates and Streamlit exposes its claims as ``st.user``; :func:`user_from_claims` then maps the ``email``
claim (or ``name``, when the provider sends no email) to a project user of that exact name, so that roles are
still granted only by ``annotate users add``. The app asks :func:`resolve_user` and nothing else.

This module does not import Streamlit: the app passes in what it read from ``st.session_state`` and ``st.user``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import importlib.util
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AuthError, ConfigError, NotFound

if TYPE_CHECKING:  # the store imports Role and the password hashing from here
    from .store import Store, User

SECRETS_FILE = Path(".streamlit") / "secrets.toml"
"""Where a project keeps its Streamlit secrets (``annotate serve`` runs Streamlit in the project directory)."""

_OIDC_KEYS = ("client_id", "client_secret", "server_metadata_url")

SESSION_COOKIE = "annotate_session"
"""Browser cookie that keeps a local sign-in across page reloads (a signed, expiring token; no password)."""

SESSION_TTL = timedelta(hours=12)
SESSION_KEY_FILE = ".annotate-session-key"
"""Per-project signing key for session tokens, created on first use (mode 0600, never in the database)."""


class Role(StrEnum):
    """What a user may do; the app gives each its pages."""

    annotator = "annotator"
    curator = "curator"
    admin = "admin"


_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """A salted scrypt hash: ``scrypt$n$r$p$salt$hash`` (hex)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


@dataclass(frozen=True)
class OidcConfig:
    """The OIDC set-up of a project: the provider names to offer (``None`` is the unnamed default provider)."""

    providers: tuple[str | None, ...]
    secrets_file: Path


def load_oidc_config(project_dir: str | Path) -> OidcConfig | None:
    """The project's OIDC configuration, or None when its secrets file has no ``[auth]`` table.

    :class:`ConfigError` names the file when it is not valid TOML, when ``[auth]`` lacks what ``st.login``
    needs, or when Authlib (which ``st.login`` requires) is not installed.
    """
    path = Path(project_dir) / SECRETS_FILE
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read secrets: {exc}", hint="fix the TOML syntax") from None
    auth = data.get("auth")
    if auth is None:
        return None
    if not isinstance(auth, dict):
        raise ConfigError(f"{path}: [auth] must be a table", hint="see the Streamlit docs for st.login")
    for key in ("redirect_uri", "cookie_secret"):
        if not isinstance(auth.get(key), str) or not auth[key]:
            raise ConfigError(
                f"{path}: [auth] needs {key!r}",
                hint='e.g. redirect_uri = "http://localhost:8501/oauth2callback" and a long random cookie_secret',
            )
    providers: list[str | None] = []
    if all(k in auth for k in _OIDC_KEYS):
        providers.append(None)
    for name, value in auth.items():
        if isinstance(value, dict):
            missing = [k for k in _OIDC_KEYS if k not in value]
            if missing:
                raise ConfigError(f"{path}: [auth.{name}] lacks {', '.join(missing)}")
            providers.append(name)
    if not providers:
        raise ConfigError(
            f"{path}: [auth] names no provider",
            hint=f"add {', '.join(_OIDC_KEYS)} to [auth], or a table [auth.NAME] per provider",
        )
    if not authlib_installed():
        raise ConfigError(
            f"{path} configures OIDC sign-in, but Authlib is not installed",
            hint="pip install 'Authlib>=1.3.2' (st.login needs it), or remove the [auth] table",
        )
    return OidcConfig(providers=tuple(providers), secrets_file=path)


def authlib_installed() -> bool:
    """Whether Authlib, which ``st.login`` needs, can be imported."""
    return importlib.util.find_spec("authlib") is not None


def sign_in(store: Store, name: str, password: str) -> User:
    """Check a local account's password; :class:`AuthError` (one message for every failure) otherwise."""
    if not name.strip() or not password:
        raise AuthError("enter your user name and password")
    return store.users.verify(name.strip(), password)


def user_from_claims(store: Store, claims: Mapping[str, Any]) -> User:
    """The project user an identity provider vouched for: named by the ``email`` claim, else by ``name``.

    Matching is exact (e-mail case-insensitively) and never creates users: an administrator adds each
    person first with ``annotate users add EMAIL --role ...``.
    """
    email = claims.get("email")
    key = email if isinstance(email, str) and email else claims.get("name")
    if not isinstance(key, str) or not key:
        raise AuthError("the identity provider sent neither an email nor a name claim")
    if claims.get("email_verified") is False:
        raise AuthError(f"the identity provider has not verified {key}", hint="verify the address with the provider")
    for candidate in dict.fromkeys((key, key.lower())):
        try:
            return store.users.get(candidate)
        except NotFound:
            continue
    raise AuthError(
        f"signed in as {key}, but this project has no user of that name",
        hint=f"ask an administrator to run: annotate users add {key} --role annotator",
    )


def session_key(project_dir: str | Path) -> bytes:
    """The project's key for signing session tokens (:data:`SESSION_KEY_FILE`), created if missing."""
    path = Path(project_dir) / SESSION_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32) + "\n")
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{path}: cannot read the session key: {exc}", hint="delete the file; a new one is made"
        ) from None


def _now_ms(now: datetime | None) -> int:
    return int((now or datetime.now().astimezone()).timestamp() * 1000)


def _sign(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("ascii"), hashlib.sha256).hexdigest()


def issue_session_token(key: bytes, user: User, *, now: datetime | None = None, ttl: timedelta = SESSION_TTL) -> str:
    """A token naming ``user``, valid for ``ttl`` unless they sign out: ``name.issued.expires.signature``."""
    issued = _now_ms(now)
    name = base64.urlsafe_b64encode(user.name.encode("utf-8")).decode("ascii").rstrip("=")
    payload = f"{name}.{issued}.{issued + int(ttl.total_seconds() * 1000)}"
    return f"{payload}.{_sign(key, payload)}"


def user_from_session_token(store: Store, key: bytes, token: str, *, now: datetime | None = None) -> User | None:
    """The user a session token names, or None if it is forged, expired, revoked or names nobody."""
    try:
        name_b64, issued_s, expires_s, signature = token.split(".")
        payload = f"{name_b64}.{issued_s}.{expires_s}"
        if not hmac.compare_digest(_sign(key, payload), signature):
            return None
        issued, expires = int(issued_s), int(expires_s)
        name = base64.urlsafe_b64decode(name_b64 + "=" * (-len(name_b64) % 4)).decode("utf-8")
    except (ValueError, UnicodeError, binascii.Error):
        return None
    if expires <= _now_ms(now):
        return None
    revoked = store.meta.find(_revoked_key(name))
    if revoked is not None and issued <= int(revoked):
        return None
    try:
        return store.users.get(name)
    except NotFound:
        return None


def _revoked_key(name: str) -> str:
    return f"auth.sessions_revoked:{name}"


def revoke_sessions(store: Store, name: str, *, now: datetime | None = None) -> None:
    """Sign ``name`` out everywhere: every session token issued until now stops working (audited)."""
    store.meta.put(_revoked_key(name), str(_now_ms(now)), actor=name)


def resolve_user(
    store: Store,
    *,
    session_user: str | None,
    oidc: OidcConfig | None = None,
    claims: Mapping[str, Any] | None = None,
    token: str | None = None,
    key: bytes | None = None,
) -> User | None:
    """The signed-in user, or None when nobody is: the one answer the whole app relies on.

    With OIDC configured, the identity comes only from the provider's ``claims`` (``st.user``); otherwise
    from the local sign-in kept in the session (``session_user``), else from the session ``token`` the browser
    kept across a reload (checked with ``key``). The user is looked up afresh every time, so a changed role
    applies at once. :class:`AuthError` when a claimed identity has no project user.
    """
    if oidc is not None:
        if not claims or not claims.get("is_logged_in"):
            return None
        return user_from_claims(store, claims)
    if session_user:
        try:
            return store.users.get(session_user)
        except NotFound:
            return None
    if token and key:
        return user_from_session_token(store, key, token)
    return None


def may_see(user: User, roles: frozenset[str] | set[str]) -> bool:
    """Whether ``user``'s role is one of ``roles``."""
    return user.role.value in roles


def can_see_all_sets(user: User) -> bool:
    """Curators and admins see every annotator's sets; annotators only their own (blind annotation)."""
    return user.role in (Role.curator, Role.admin)


_ROLE_SUMMARY = {
    Role.annotator: "You annotate the documents in your queue. You see your own annotations and the date engine's "
    "suggestions, never another annotator's.",
    Role.curator: "You see every annotator's work on every document, and curate and adjudicate it into gold.",
    Role.admin: "You see everything curators see and manage the project.",
}


def role_summary(user: User) -> str:
    """One sentence on what ``user``'s role lets them do in the app."""
    return _ROLE_SUMMARY[user.role]


def list_users(store: Store) -> list[User]:
    """Every user of the project, by name (never their password hashes)."""
    return store.users.list()
