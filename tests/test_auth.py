"""Sign-in: local accounts, OIDC configuration and claims, and the one function that tells who is signed in."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annotate import auth
from annotate.auth import (
    SESSION_KEY_FILE,
    SESSION_TTL,
    OidcConfig,
    Role,
    issue_session_token,
    list_users,
    load_oidc_config,
    resolve_user,
    revoke_sessions,
    role_summary,
    session_key,
    sign_in,
    user_from_claims,
    user_from_session_token,
)
from annotate.errors import AuthError, ConfigError
from annotate.project import Project
from annotate.store import Store

PASSWORD = "correct horse"


@pytest.fixture
def store(sqlite_store: Store) -> Store:
    sqlite_store.users.add("sara", "annotator", PASSWORD, actor="t")
    sqlite_store.users.add("Lead@Example.org", "admin", PASSWORD, actor="t")
    sqlite_store.users.add("cur", "curator", PASSWORD, actor="t")
    return sqlite_store


def _write_secrets(project: Project, body: str) -> Path:
    path = project.path / ".streamlit" / "secrets.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


DEFAULT_PROVIDER = """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "x"
client_id = "id"
client_secret = "secret"
server_metadata_url = "https://idp.example/.well-known/openid-configuration"
"""

NAMED_PROVIDERS = """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "x"
[auth.google]
client_id = "id"
client_secret = "s"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
[auth.entra]
client_id = "id2"
client_secret = "s2"
server_metadata_url = "https://login.microsoftonline.com/x/v2.0/.well-known/openid-configuration"
"""


# ------------------------------------------------------------------------------------------------ local accounts


def test_sign_in_with_the_right_password(store: Store) -> None:
    user = sign_in(store, " sara ", PASSWORD)
    assert (user.name, user.role) == ("sara", Role.annotator)


@pytest.mark.parametrize(
    ("name", "password"),
    [("sara", "wrong password"), ("nobody", PASSWORD), ("sara", ""), ("", PASSWORD), ("SARA", PASSWORD)],
)
def test_sign_in_refuses_without_saying_which_part_was_wrong(store: Store, name: str, password: str) -> None:
    with pytest.raises(AuthError) as err:
        sign_in(store, name, password)
    assert "password" in str(err.value)
    assert "nobody" not in str(err.value)


def test_list_users_gives_names_and_roles_but_no_hashes(store: Store) -> None:
    users = list_users(store)
    assert [(u.name, u.role.value) for u in users] == [
        ("Lead@Example.org", "admin"),
        ("cur", "curator"),
        ("sara", "annotator"),
    ]
    assert not any("scrypt" in repr(u) for u in users)


@pytest.mark.parametrize(("name", "phrase"), [("sara", "never another"), ("cur", "every annotator")])
def test_role_summary_says_what_the_role_sees(store: Store, name: str, phrase: str) -> None:
    assert phrase in role_summary(store.users.get(name))


# ------------------------------------------------------------------------------------------------ OIDC config


def test_no_secrets_file_or_no_auth_table_means_local_accounts(project: Project) -> None:
    assert load_oidc_config(project.path) is None
    _write_secrets(project, '[other]\nkey = "v"\n')
    assert load_oidc_config(project.path) is None


@pytest.mark.parametrize(
    ("body", "providers"),
    [(DEFAULT_PROVIDER, (None,)), (NAMED_PROVIDERS, ("google", "entra"))],
)
def test_oidc_providers_are_read_from_the_project_secrets(
    project: Project, monkeypatch: pytest.MonkeyPatch, body: str, providers: tuple[str | None, ...]
) -> None:
    monkeypatch.setattr(auth, "authlib_installed", lambda: True)
    path = _write_secrets(project, body)
    assert load_oidc_config(project.path) == OidcConfig(providers=providers, secrets_file=path)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[auth\n", "cannot read secrets"),
        ('auth = "yes"\n', "[auth] must be a table"),
        ('[auth]\ncookie_secret = "x"\n', "needs 'redirect_uri'"),
        ('[auth]\nredirect_uri = "http://h/oauth2callback"\n', "needs 'cookie_secret'"),
        ('[auth]\nredirect_uri = "u"\ncookie_secret = "x"\n', "names no provider"),
        ('[auth]\nredirect_uri = "u"\ncookie_secret = "x"\n[auth.google]\nclient_id = "i"\n', "[auth.google] lacks"),
    ],
)
def test_bad_oidc_config_names_the_file_and_the_problem(
    project: Project, monkeypatch: pytest.MonkeyPatch, body: str, expected: str
) -> None:
    monkeypatch.setattr(auth, "authlib_installed", lambda: True)
    path = _write_secrets(project, body)
    with pytest.raises(ConfigError) as err:
        load_oidc_config(project.path)
    assert str(path) in str(err.value)
    assert expected in str(err.value)


def test_oidc_without_authlib_says_how_to_install_it(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "authlib_installed", lambda: False)
    _write_secrets(project, DEFAULT_PROVIDER)
    with pytest.raises(ConfigError, match="Authlib"):
        load_oidc_config(project.path)


# ------------------------------------------------------------------------------------------------ OIDC claims


@pytest.mark.parametrize(
    ("claims", "name"),
    [
        ({"email": "Lead@Example.org"}, "Lead@Example.org"),
        ({"email": "sara", "name": "Someone Else"}, "sara"),
        ({"name": "cur"}, "cur"),
        ({"email": "", "name": "cur"}, "cur"),
        ({"email": "SARA", "email_verified": True}, "sara"),
    ],
)
def test_claims_map_to_the_project_user_named_by_email_then_name(
    store: Store, claims: dict[str, object], name: str
) -> None:
    assert user_from_claims(store, claims).name == name


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "stranger@example.org"}, "annotate users add stranger@example.org"),
        ({"email": "sara", "email_verified": False}, "not verified"),
        ({"sub": "123"}, "neither an email nor a name"),
        ({"email": "lead@example.org.evil"}, "no user of that name"),
    ],
)
def test_claims_without_a_matching_user_are_refused(store: Store, claims: dict[str, object], expected: str) -> None:
    with pytest.raises(AuthError) as err:
        user_from_claims(store, claims)
    assert expected in str(err.value)


# ------------------------------------------------------------------------------------------------ resolve_user

OIDC = OidcConfig(providers=(None,), secrets_file=Path("secrets.toml"))


@pytest.mark.parametrize(
    ("session_user", "oidc", "claims", "expected"),
    [
        (None, None, None, None),
        ("", None, None, None),
        ("sara", None, None, "sara"),
        ("deleted-user", None, None, None),
        ("sara", None, {"is_logged_in": True, "email": "cur"}, "sara"),  # claims are ignored without OIDC
        ("sara", OIDC, {"is_logged_in": False}, None),  # a session name cannot stand in for OIDC
        (None, OIDC, {"email": "cur"}, None),  # no is_logged_in: not signed in
        (None, OIDC, {"is_logged_in": True, "email": "cur"}, "cur"),
        ("sara", OIDC, {"is_logged_in": True, "email": "cur"}, "cur"),
    ],
)
def test_resolve_user_is_the_one_answer_to_who_is_signed_in(
    store: Store,
    session_user: str | None,
    oidc: OidcConfig | None,
    claims: dict[str, object] | None,
    expected: str | None,
) -> None:
    user = resolve_user(store, session_user=session_user, oidc=oidc, claims=claims)
    assert (user.name if user else None) == expected


def test_resolve_user_sees_a_role_change_at_once(store: Store) -> None:
    assert resolve_user(store, session_user="sara") is not None
    with store.engine.begin() as conn:
        from annotate.store.schema import users_table

        conn.execute(users_table.update().where(users_table.c.name == "sara").values(role="curator"))
    user = resolve_user(store, session_user="sara")
    assert user is not None and user.role is Role.curator


# ------------------------------------------------------------------------------------------------ session tokens

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_session_key_is_made_once_and_kept_private(project: Project) -> None:
    key = session_key(project.path)
    assert len(key) == 32 and session_key(project.path) == key
    assert (project.path / SESSION_KEY_FILE).stat().st_mode & 0o077 == 0


def test_a_session_token_names_its_user_until_it_expires(store: Store, project: Project) -> None:
    key = session_key(project.path)
    token = issue_session_token(key, store.users.get("Lead@Example.org"), now=T0)
    assert "Lead" not in token  # the name is encoded, and no password is in it
    for later, expected in [(timedelta(0), "Lead@Example.org"), (SESSION_TTL - timedelta(seconds=1),
                            "Lead@Example.org"), (SESSION_TTL, None)]:
        user = user_from_session_token(store, key, token, now=T0 + later)
        assert (user.name if user else None) == expected


def _tampered(token: str) -> list[str]:
    name, issued, expires, sig = token.split(".")
    other = base64.urlsafe_b64encode(b"cur").decode().rstrip("=")
    return [
        f"{other}.{issued}.{expires}.{sig}",  # another user's name
        f"{name}.{issued}.{int(expires) + 10**9}.{sig}",  # a later expiry
        f"{name}.{issued}.{expires}.{sig[:-1]}{'0' if sig[-1] != '0' else '1'}",
        f"{name}.{issued}.{expires}",
        "",
        "a.b.c.d",
        "%%%.1.2.3",
    ]


def test_a_tampered_or_foreign_token_names_nobody(store: Store, project: Project, tmp_path: Path) -> None:
    key = session_key(project.path)
    token = issue_session_token(key, store.users.get("sara"), now=T0)
    for bad in _tampered(token):
        assert user_from_session_token(store, key, bad, now=T0) is None, bad
    other_key = session_key(tmp_path)
    assert user_from_session_token(store, other_key, token, now=T0) is None


def test_signing_out_revokes_every_earlier_token(store: Store, project: Project) -> None:
    key = session_key(project.path)
    sara = store.users.get("sara")
    before = issue_session_token(key, sara, now=T0)
    revoke_sessions(store, "sara", now=T0 + timedelta(minutes=5))
    after = issue_session_token(key, sara, now=T0 + timedelta(minutes=6))
    assert user_from_session_token(store, key, before, now=T0 + timedelta(minutes=7)) is None
    assert user_from_session_token(store, key, after, now=T0 + timedelta(minutes=7)) == sara
    assert store.audit.list(action="meta.set")[-1].actor == "sara"


def test_resolve_user_falls_back_to_the_token_only_for_local_accounts(store: Store, project: Project) -> None:
    key = session_key(project.path)
    token = issue_session_token(key, store.users.get("cur"))
    assert resolve_user(store, session_user=None, token=token, key=key) == store.users.get("cur")
    assert resolve_user(store, session_user="sara", token=token, key=key) == store.users.get("sara")
    assert resolve_user(store, session_user=None, token=token, key=None) is None
    assert resolve_user(store, session_user=None, oidc=OIDC, claims={"is_logged_in": False}, token=token,
                        key=key) is None
