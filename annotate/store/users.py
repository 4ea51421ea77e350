"""Users of the app: name, role, a salted scrypt password hash that never leaves this module, and whether the
account is disabled. A password change and disabling an account end every session of that user in the same
transaction (:mod:`.sessions`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..auth import Role, check_password_policy, hash_password, verify_password
from ..canonical import now_iso
from ..errors import AuthError, InputError, NotFound
from ..models import user_name_problem
from .db import Database, ts
from .schema import users_table
from .sessions import end_all_sessions

_DUMMY_HASH = hash_password("not a password of anyone")
"""Checked against when the name is unknown, so that an unknown name takes as long as a wrong password."""


@dataclass(frozen=True)
class User:
    """A user of the app (the password hash never leaves the store); ``disabled_at`` set means locked out."""

    name: str
    role: Role
    created_at: datetime
    disabled_at: datetime | None = None

    @property
    def disabled(self) -> bool:
        """Whether an administrator disabled the account (it cannot sign in; its sessions ended)."""
        return self.disabled_at is not None


def _user(row: Row[Any]) -> User:
    return User(name=row.name, role=Role(row.role), created_at=ts(row.created_at),
                disabled_at=ts(row.disabled_at) if row.disabled_at else None)


def _disabled_at(conn: Connection, name: str) -> str | None:
    """When ``name`` was disabled (None: enabled); :class:`NotFound` when there is no such user."""
    row = conn.execute(select(users_table.c.disabled_at).where(users_table.c.name == name)).first()
    if row is None:
        raise NotFound(f"no user {name!r}", hint="see `annotate users list`")
    return str(row.disabled_at) if row.disabled_at is not None else None


class Users:
    """``store.users``: add, get, list; check a password; change it; disable and enable (audited)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, name: str, role: Role | str, password: str, *, actor: str) -> User:
        """Create a user with a salted scrypt password hash; :class:`InputError` if the name is taken, reserved
        (``gold``, ``dates-engine``) or malformed, the role unknown or the password too short."""
        problem = user_name_problem(name)
        if problem is not None:
            raise InputError(problem, where="name")
        try:
            r = Role(role)
        except ValueError:
            raise InputError(
                f"unknown role {role!r}; use one of {', '.join(x.value for x in Role)}", where="role"
            ) from None
        check_password_policy(password)
        now = now_iso("microseconds")
        try:
            with self._db.write() as conn:
                conn.execute(
                    insert(users_table).values(
                        name=name,
                        role=r.value,
                        password_hash=hash_password(password),
                        created_at=now,
                        created_by=actor,
                    )
                )
                self._db.audit(conn, actor=actor, action="user.add", target=f"user {name}", at=now, role=r.value)
        except IntegrityError:
            raise InputError(f"a user called {name!r} already exists", where="name") from None
        return User(name=name, role=r, created_at=ts(now))

    def get(self, name: str) -> User:
        """A user by name (disabled ones too); :class:`NotFound` if there is none."""
        with self._db.read() as conn:
            row = conn.execute(select(users_table).where(users_table.c.name == name)).first()
        if row is None:
            raise NotFound(f"no user {name!r}")
        return _user(row)

    def verify(self, name: str, password: str) -> User:
        """The user if the password matches (disabled or not: see :attr:`User.disabled`); :class:`AuthError`
        otherwise, with one message for an unknown name and a wrong password (and as slow for both)."""
        with self._db.read() as conn:
            row = conn.execute(select(users_table).where(users_table.c.name == name)).first()
        matches = verify_password(password, row.password_hash if row is not None else _DUMMY_HASH)
        if row is None or not matches:
            raise AuthError("unknown user or wrong password")
        return _user(row)

    def set_password(self, name: str, password: str, *, actor: str) -> int:
        """Give ``name`` a new password and end all their sessions; how many sessions ended."""
        check_password_policy(password)
        now = now_iso("microseconds")
        with self._db.write() as conn:
            changed = conn.execute(update(users_table).where(users_table.c.name == name)
                                   .values(password_hash=hash_password(password))).rowcount
            if not changed:
                raise NotFound(f"no user {name!r}", hint="see `annotate users list`")
            ended = end_all_sessions(conn, name, reason="password changed", at=now)
            self._db.audit(conn, actor=actor, action="user.passwd", target=f"user {name}", at=now, sessions=ended)
        return ended

    def disable(self, name: str, *, actor: str) -> int:
        """Disable ``name``: no sign-in, every session ended (at its next interaction); how many sessions ended."""
        now = now_iso("microseconds")
        with self._db.write() as conn:
            if _disabled_at(conn, name) is None:
                conn.execute(update(users_table).where(users_table.c.name == name).values(disabled_at=now))
            ended = end_all_sessions(conn, name, reason="account disabled", at=now)
            self._db.audit(conn, actor=actor, action="user.disable", target=f"user {name}", at=now, sessions=ended)
        return ended

    def enable(self, name: str, *, actor: str) -> bool:
        """Let a disabled ``name`` sign in again; False if the account was not disabled."""
        now = now_iso("microseconds")
        with self._db.write() as conn:
            if _disabled_at(conn, name) is None:
                return False
            conn.execute(update(users_table).where(users_table.c.name == name).values(disabled_at=None))
            self._db.audit(conn, actor=actor, action="user.enable", target=f"user {name}", at=now)
        return True

    # Last: a method named ``list`` would shadow the builtin in the annotations of the methods after it (mypy).
    def list(self) -> list[User]:
        """Every user, by name (never their password hashes)."""
        with self._db.read() as conn:
            rows = conn.execute(select(users_table).order_by(users_table.c.name))
            return [_user(r) for r in rows]
