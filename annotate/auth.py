"""Who is using the app: local accounts (name + password) or OIDC through ``st.login``, behind one function.

Local accounts live in the project store (salted scrypt hashes made by :func:`hash_password`; see
:meth:`annotate.store.users.Users.add`).
OIDC is used when the project's ``.streamlit/secrets.toml`` has an ``[auth]`` table: the identity provider
authenticates and Streamlit exposes its claims as ``st.user``; :func:`user_from_claims` then maps the ``email``
claim (or ``name``, when the provider sends no email) to a project user of that exact name, so that roles are
still granted only by ``annotate users add``. The app asks :func:`resolve_user` and nothing else.

Signing in starts a server-side session (:mod:`annotate.store.sessions`, token by hash, idle and hard expiry);
:func:`check_credentials` throttles failures per account and per client and audits them. Ending sessions
(:func:`sign_out_everywhere`, a new password, a disabled account) makes every other browser of that user fail
its next check. Account management for admins (:func:`disable_account`, ...) checks the admin role afresh.

This module does not import Streamlit: the app passes in what it read from ``st.session_state`` and ``st.user``.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import math
import re
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .canonical import utcnow
from .errors import AuthError, ConfigError, InputError, NotFound
from .models import USER_NAME_MAX

if TYPE_CHECKING:  # the store imports Role and the password hashing from here
    from .store import Store, User

SECRETS_FILE = Path(".streamlit") / "secrets.toml"
"""Where a project keeps its Streamlit secrets (``annotate serve`` runs Streamlit in the project directory)."""

_OIDC_KEYS = ("client_id", "client_secret", "server_metadata_url")

SESSION_COOKIE = "annotate_session"
"""Browser cookie that keeps a local sign-in across page reloads: a random token the server knows only by its
sha256 (:mod:`annotate.store.sessions`), set HttpOnly by the server (:mod:`annotate.app.session_routes`)."""

SESSION_IDLE = timedelta(hours=2)
"""A session unused this long ends; every interaction renews it."""
SESSION_MAX_AGE = timedelta(hours=12)
"""No session lives longer, however busy."""
SESSION_RENEW_AFTER = timedelta(minutes=1)
"""How often a busy session's expiry is written forward (at most one write a minute per session)."""

FAILURE_WINDOW = timedelta(minutes=15)
"""Failed sign-ins are counted until this long after the last one."""
DELAY_AFTER = 3
"""From this many failures on, the next attempt must wait 2, 4, 8 ... seconds (at most :data:`MAX_DELAY`)."""
MAX_DELAY = timedelta(seconds=60)
LOCK_AFTER = 10
"""This many failures lock the account name (or the client address) for :data:`LOCK_FOR`."""
LOCK_FOR = timedelta(minutes=15)

MIN_PASSWORD = 8

class Role(StrEnum):
    """What a user may do; the app gives each its pages."""

    annotator = "annotator"
    curator = "curator"
    admin = "admin"


_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_SCRYPT_SAFE = {"n": (2**14, 2**17), "r": (8, 16), "p": (1, 4)}
"""scrypt parameters a stored hash may have: at least ours, at most what checks one in well under a second
(128 MiB, the most :func:`hashlib.scrypt` is allowed below); a dump with more is refused, not run."""
_SCRYPT_MAXMEM = 128 * 2**20 + 2**20


def hash_password(password: str) -> str:
    """A salted scrypt hash: ``scrypt$n$r$p$salt$hash`` (hex)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def password_hash_problem(stored: object) -> str | None:
    """Why ``stored`` is not a password hash this version made or would check, or None.

    ``scrypt$n$r$p$salt$hash``: n a power of two and n, r, p in a safe range (not cheaper than ours, not so
    costly that checking one password ties up the server), a 16-64 byte salt and a 64-byte digest, in hex.
    """
    if not isinstance(stored, str):
        return "the password hash is not a string"
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return "the password hash is not of the form scrypt$n$r$p$salt$hash"
    _, n, r, p, salt, digest = parts
    for name, value in (("n", n), ("r", r), ("p", p)):
        low, high = _SCRYPT_SAFE[name]
        if not value.isdigit() or not low <= int(value) <= high:
            return f"the password hash's scrypt {name}={value[:12]} is outside the safe range {low}..{high}"
    if int(n) & (int(n) - 1):
        return f"the password hash's scrypt n={n} is not a power of two"
    try:
        salt_bytes, digest_bytes = bytes.fromhex(salt), bytes.fromhex(digest)
    except ValueError:
        return "the password hash's salt or digest is not hex"
    if not 16 <= len(salt_bytes) <= 64 or len(digest_bytes) != 64:
        return "the password hash's salt must be 16-64 bytes and its digest 64 bytes"
    return None


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant-time compare); a hash outside
    the safe parameters (:func:`password_hash_problem`) never matches and is never computed."""
    if password_hash_problem(stored) is not None:
        return False
    _, n, r, p, salt, digest = stored.split("$")
    got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                         maxmem=_SCRYPT_MAXMEM)
    return hmac.compare_digest(got.hex(), digest)


def check_password_policy(password: str) -> None:
    """:class:`InputError` unless ``password`` is long enough to be a password."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password must have at least {MIN_PASSWORD} characters", where="password")
    if not password.strip():
        raise InputError("password is only white space", where="password")


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


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the user and the token of their new session (for the browser, shown once)."""

    user: User
    token: str


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


_CONTROL = re.compile("[\u0000-\u001f\u007f]")


def _delay(failures: int) -> timedelta:
    """How long after its last failure a key with ``failures`` failures must wait before the next attempt."""
    if failures < DELAY_AFTER:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - DELAY_AFTER + 1)), MAX_DELAY)


def _lock_message(left: timedelta) -> str:
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    return (f"Too many failed sign-ins with this user name or from this computer: sign-in is locked for about "
            f"{minutes} minute{'s' if minutes != 1 else ''}.")


def sign_in(store: Store, name: str, password: str, *, client: str, now: datetime | None = None) -> SignedIn:
    """Check a local account's password (:func:`check_credentials`) and start a session for it."""
    at = _now(now)
    user = check_credentials(store, name, password, client=client, now=at)
    return SignedIn(user, start_session(store, user, client=client, now=at))


def check_credentials(store: Store, name: str, password: str, *, client: str, now: datetime | None = None) -> User:
    """The enabled account ``name`` if ``password`` is its password; :class:`AuthError` otherwise.

    Throttled per account name and per client address (whether or not the name exists, so that the answers
    never tell): from the :data:`DELAY_AFTER`-th failure on, the next attempt must wait a growing delay; after
    :data:`LOCK_AFTER` failures the name or address is locked for :data:`LOCK_FOR`. Every failed or refused
    attempt is audited (``auth.failure``, ``auth.refused``); a success clears the counts.
    """
    name = _CONTROL.sub("\ufffd", name.strip())[:USER_NAME_MAX]  # as typed, minus what no store can hold
    if not name or not password:
        raise AuthError("enter your user name and password")
    at = _now(now)
    keys = [f"account:{name}", f"client:{client}"[:200]]
    counts = store.sign_ins.failures(keys, window=FAILURE_WINDOW, now=at)
    locks = [f.locked_until for f in counts.values() if f.locked_until is not None and f.locked_until > at]
    if locks:
        store.sign_ins.refused(name=name, client=client, reason="locked", now=at)
        raise AuthError(_lock_message(max(locks) - at), hint="wait, or ask an administrator")
    wait = max((_delay(f.failures) - (at - f.last_failure_at) for f in counts.values()), default=timedelta(0))
    if wait > timedelta(0):
        store.sign_ins.refused(name=name, client=client, reason="too early", now=at)
        seconds = math.ceil(wait.total_seconds())
        raise AuthError(f"Too many failed sign-ins: wait {seconds} second{'s' if seconds != 1 else ''}, "
                        "then try again.")
    try:
        user: User | None = store.users.verify(name, password)
    except AuthError:
        user = None
    if user is None or user.disabled:
        if user is not None:
            reason, refusal = "account disabled", AuthError(
                "this account is disabled", hint="ask an administrator to enable it again")
        else:
            reason = "wrong password" if _exists(store, name) else "unknown user"
            refusal = AuthError("unknown user or wrong password")
        after = store.sign_ins.fail(keys, name=name, client=client, reason=reason, window=FAILURE_WINDOW,
                                    lock_after=LOCK_AFTER, lock_for=LOCK_FOR, now=at)
        if any(f.locked_until is not None for f in after.values()):
            raise AuthError(_lock_message(LOCK_FOR), hint="wait, or ask an administrator")
        raise refusal
    store.sign_ins.clear(keys)
    return user


def _exists(store: Store, name: str) -> bool:
    try:
        store.users.get(name)
    except NotFound:
        return False
    return True


def start_session(store: Store, user: User, *, client: str, now: datetime | None = None) -> str:
    """A new server-side session for ``user`` (local sign-in, or an OIDC identity first seen); its token."""
    return store.sessions.start(user.name, client=client, idle=SESSION_IDLE, now=_now(now))


def user_from_session(store: Store, token: str, *, now: datetime | None = None) -> User | None:
    """The user of the live session ``token`` names (renewing it), or None: unknown, forged, ended by a
    sign-out, a password change or disabling the account, expired, or its user gone."""
    session = store.sessions.check(token, idle=SESSION_IDLE, max_age=SESSION_MAX_AGE,
                                   renew_after=SESSION_RENEW_AFTER, now=_now(now))
    if session is None:
        return None
    try:
        user = store.users.get(session.user_name)
    except NotFound:
        return None
    return None if user.disabled else user


def sign_out_everywhere(store: Store, token: str) -> int:
    """End every session of the user whose live session ``token`` names, in every browser (each fails its next
    interaction); how many ended (0 when ``token`` names no live session)."""
    user = user_from_session(store, token)
    if user is None:
        return 0
    return store.sessions.end_all(user.name, reason="signed out", actor=user.name)


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


def resolve_user(
    store: Store,
    *,
    token: str | None,
    oidc: OidcConfig | None = None,
    claims: Mapping[str, Any] | None = None,
) -> User | None:
    """The signed-in user, or None when nobody is: the one answer the whole app relies on.

    Locally, the identity is the live server-side session ``token`` names (kept in the Streamlit session, or
    sent back by the browser's HttpOnly cookie after a reload). With OIDC configured it comes from the
    provider's ``claims`` (``st.user``), and ``token`` is the session the app started for it: once that session
    has ended (the user signed out elsewhere, changed password, was disabled), the identity no longer counts,
    nor does a provider sign-in issued (claim ``iat``) before the user's sessions were last ended. The user is
    looked up afresh every time, so a changed role applies at once. :class:`AuthError` when a claimed identity
    has no project user or a disabled one.
    """
    if oidc is None:
        return user_from_session(store, token) if token else None
    if not claims or not claims.get("is_logged_in"):
        return None
    user = user_from_claims(store, claims)
    if user.disabled:
        raise AuthError(f"the account {user.name} is disabled", hint="ask an administrator to enable it again")
    if token is not None:
        return user_from_session(store, token)
    issued = claims.get("iat")
    ended = store.sessions.last_ended(user.name)
    if isinstance(issued, int | float) and ended is not None and datetime.fromtimestamp(issued, UTC) <= ended:
        return None  # a provider sign-in from before the last sign-out: sign in with the provider again
    return user


# --------------------------------------------------------------------------------------------- account management


def change_own_password(store: Store, name: str, current: str, new: str, *, client: str) -> int:
    """``name`` changes their own password, proving the current one (throttled like a sign-in); every session
    of theirs ends, this one too. How many sessions ended."""
    check_credentials(store, name, current, client=client)  # throttled and audited like a sign-in
    return store.users.set_password(name, new, actor=name)


def _admin(store: Store, actor: str) -> User:
    """The account ``actor``, read afresh, if it is an enabled admin; :class:`AuthError` otherwise."""
    try:
        user = store.users.get(actor)
    except NotFound:
        raise AuthError(f"there is no account {actor!r}", hint="sign in again") from None
    if user.disabled or user.role is not Role.admin:
        raise AuthError("only an administrator manages accounts")
    return user


def disable_account(store: Store, actor: str, name: str) -> int:
    """An admin disables ``name`` (not themselves: a project must keep an admin who can sign in); how many of
    their sessions ended."""
    _admin(store, actor)
    if name == actor:
        raise InputError("you cannot disable your own account", where="user",
                         hint="another administrator can, or use `annotate users disable` on the server")
    return store.users.disable(name, actor=actor)


def enable_account(store: Store, actor: str, name: str) -> bool:
    """An admin lets a disabled ``name`` sign in again."""
    _admin(store, actor)
    return store.users.enable(name, actor=actor)


def set_account_password(store: Store, actor: str, name: str, password: str) -> int:
    """An admin gives ``name`` a new password; every session of ``name`` ends."""
    _admin(store, actor)
    return store.users.set_password(name, password, actor=actor)


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
