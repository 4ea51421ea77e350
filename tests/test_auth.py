"""Sign-in: local accounts, OIDC configuration and claims, and the one function that tells who is signed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annotate import auth
from annotate.auth import (
    SESSION_IDLE,
    SESSION_MAX_AGE,
    SESSION_RENEW_AFTER,
    OidcConfig,
    Role,
    list_users,
    load_oidc_config,
    resolve_user,
    role_summary,
    sign_in,
    sign_out_everywhere,
    start_session,
    user_from_claims,
    user_from_session,
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
    signed = sign_in(store, " sara ", PASSWORD, client="10.0.0.7")
    assert (signed.user.name, signed.user.role) == ("sara", Role.annotator)
    assert user_from_session(store, signed.token) == signed.user


@pytest.mark.parametrize(
    ("name", "password"),
    [("sara", "wrong password"), ("nobody", PASSWORD), ("sara", ""), ("", PASSWORD), ("SARA", PASSWORD)],
)
def test_sign_in_refuses_without_saying_which_part_was_wrong(store: Store, name: str, password: str) -> None:
    with pytest.raises(AuthError) as err:
        sign_in(store, name, password, client="10.0.0.7")
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
    ("token_of", "oidc", "claims", "expected"),
    [
        (None, None, None, None),
        ("sara", None, None, "sara"),
        ("deleted-user", None, None, None),
        ("forged", None, None, None),
        ("sara", None, {"is_logged_in": True, "email": "cur"}, "sara"),  # claims are ignored without OIDC
        ("sara", OIDC, {"is_logged_in": False}, None),  # a local session cannot stand in for OIDC
        (None, OIDC, {"email": "cur"}, None),  # no is_logged_in: not signed in
        (None, OIDC, {"is_logged_in": True, "email": "cur"}, "cur"),
    ],
)
def test_resolve_user_is_the_one_answer_to_who_is_signed_in(
    store: Store,
    token_of: str | None,
    oidc: OidcConfig | None,
    claims: dict[str, object] | None,
    expected: str | None,
) -> None:
    if token_of == "forged":
        token: str | None = "x" * 43
    elif token_of is not None:
        token = store.sessions.start(token_of, client="t", idle=SESSION_IDLE)
    else:
        token = None
    user = resolve_user(store, token=token, oidc=oidc, claims=claims)
    assert (user.name if user else None) == expected


def test_resolve_user_sees_a_role_change_at_once(store: Store) -> None:
    token = sign_in(store, "sara", PASSWORD, client="c").token
    assert resolve_user(store, token=token) is not None
    with store.engine.begin() as conn:
        from annotate.store.schema import users_table

        conn.execute(users_table.update().where(users_table.c.name == "sara").values(role="curator"))
    user = resolve_user(store, token=token)
    assert user is not None and user.role is Role.curator


# ------------------------------------------------------------------------------------------------ sessions

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_the_store_keeps_only_a_hash_of_the_session_token(store: Store) -> None:
    token = start_session(store, store.users.get("Lead@Example.org"), client="c", now=T0)
    with store.engine.connect() as conn:
        from annotate.store.schema import sessions_table

        ids = [r.id for r in conn.execute(sessions_table.select())]
    assert len(token) >= 43 and ids and token not in ids and "Lead" not in token


def test_a_session_lives_while_used_and_ends_when_idle_or_too_old(store: Store) -> None:
    cur = store.users.get("cur")
    idle = start_session(store, cur, client="c", now=T0)
    assert user_from_session(store, idle, now=T0 + SESSION_IDLE - timedelta(seconds=1)) == cur
    assert user_from_session(store, idle, now=T0 + 3 * SESSION_IDLE) is None  # renewed once, then left idle
    busy = start_session(store, cur, client="c", now=T0)
    step = SESSION_IDLE / 2
    at = T0
    while at + step < T0 + SESSION_MAX_AGE:  # used every hour: renewed each time, up to the hard limit
        at += step
        assert user_from_session(store, busy, now=at) == cur, at
    assert user_from_session(store, busy, now=T0 + SESSION_MAX_AGE) is None
    assert SESSION_RENEW_AFTER < SESSION_IDLE < SESSION_MAX_AGE


def test_a_tampered_or_foreign_token_names_nobody(store: Store) -> None:
    token = start_session(store, store.users.get("sara"), client="c", now=T0)
    for bad in [token[:-1], token + "A", token.upper(), "", "a.b.c.d", "%%%"]:
        assert user_from_session(store, bad, now=T0) is None, bad


def test_signing_out_ends_every_session_of_that_user_only(store: Store) -> None:
    sara, cur = store.users.get("sara"), store.users.get("cur")
    tabs = [start_session(store, sara, client=f"browser {i}") for i in range(3)]
    other = start_session(store, cur, client="c")
    assert sign_out_everywhere(store, tabs[0]) == 3
    assert [user_from_session(store, t) for t in tabs] == [None, None, None]
    assert user_from_session(store, other) == cur
    assert sign_out_everywhere(store, tabs[1]) == 0  # an ended session signs nobody out
    assert store.audit.list(action="session.end_all")[-1].actor == "sara"
