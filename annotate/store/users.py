"""Users of the app: name, role and a salted scrypt password hash that never leaves this module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ..auth import Role, hash_password, verify_password
from ..errors import AuthError, InputError, NotFound
from .db import Database, now_iso, ts
from .schema import users_table


@dataclass(frozen=True)
class User:
    """A user of the app (the password hash never leaves the store)."""

    name: str
    role: Role
    created_at: datetime


class Users:
    """``store.users``: add users, get them by name, list them, check a password (audited where it writes)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, name: str, role: Role | str, password: str, *, actor: str) -> User:
        """Create a user with a salted scrypt password hash; :class:`InputError` if the name is taken."""
        if not name.strip():
            raise InputError("user name is empty", where="name")
        try:
            r = Role(role)
        except ValueError:
            raise InputError(
                f"unknown role {role!r}; use one of {', '.join(x.value for x in Role)}", where="role"
            ) from None
        if len(password) < 8:
            raise InputError("password must have at least 8 characters", where="password")
        now = now_iso()
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
        """A user by name; :class:`NotFound` if there is none."""
        with self._db.read() as conn:
            row = conn.execute(select(users_table).where(users_table.c.name == name)).first()
        if row is None:
            raise NotFound(f"no user {name!r}")
        return User(name=row.name, role=Role(row.role), created_at=ts(row.created_at))

    def verify(self, name: str, password: str) -> User:
        """The user if the password matches; :class:`AuthError` (same message either way) otherwise."""
        with self._db.read() as conn:
            row = conn.execute(select(users_table).where(users_table.c.name == name)).first()
        if row is None or not verify_password(password, row.password_hash):
            raise AuthError("unknown user or wrong password")
        return User(name=row.name, role=Role(row.role), created_at=ts(row.created_at))

    # Last: a method named ``list`` would shadow the builtin in the annotations of the methods after it (mypy).
    def list(self) -> list[User]:
        """Every user, by name (never their password hashes)."""
        with self._db.read() as conn:
            rows = conn.execute(select(users_table).order_by(users_table.c.name))
            return [User(name=r.name, role=Role(r.role), created_at=ts(r.created_at)) for r in rows]
