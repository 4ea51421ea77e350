"""Sign-in sessions kept server-side: the browser holds a random token, the store only its sha256.

A session is live while it is not ended, not past its expiry and its user exists and is enabled; every check
slides the expiry forward (up to a hard limit the caller gives). Ending sessions (sign-out, a password change,
disabling the account) is a write here, so that every other session of that user fails its next check, in
whatever browser or process it lives.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, update

from ..canonical import now_iso, utcnow
from .db import Database, ts
from .schema import sessions_table, users_table

KEEP_ENDED = timedelta(days=31)
"""How long an expired or ended session stays in the table: longer than Streamlit's OIDC sign-in cookie lives
(30 days), whose issue time :meth:`Sessions.last_ended` is compared with."""


def iso(at: datetime) -> str:
    """``at`` as stored: UTC, ISO 8601 with microseconds (so stored times compare as strings, too)."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def token_id(token: str) -> str:
    """The stored id of a session token: its sha256 (a database reader cannot sign in with it)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    """A live session: whose, from where, since when, until when."""

    id: str
    user_name: str
    client: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


class Sessions:
    """``store.sessions``: start, check (and renew), end one, end all of a user's."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def start(self, user_name: str, *, client: str, idle: timedelta, now: datetime | None = None) -> str:
        """A new session for ``user_name``; returns its token (shown once, never stored).

        Sessions that expired or ended more than :data:`KEEP_ENDED` ago are deleted on the way (they are
        sign-in state, not project data; the audit log keeps who signed in when)."""
        token = secrets.token_urlsafe(32)
        at = now or utcnow()
        with self._db.write() as conn:
            conn.execute(delete(sessions_table).where(sessions_table.c.expires_at < iso(at - KEEP_ENDED)))
            conn.execute(insert(sessions_table).values(
                id=token_id(token), user_name=user_name, client=client[:200], created_at=iso(at),
                last_seen_at=iso(at), expires_at=iso(at + idle)))
            self._db.audit(conn, actor=user_name, action="session.start", target=f"user {user_name}",
                           at=iso(at), client=client[:200])
        return token

    def check(self, token: str, *, idle: timedelta, max_age: timedelta, renew_after: timedelta,
              now: datetime | None = None) -> Session | None:
        """The live session ``token`` names, renewed, or None (unknown, ended, expired, user gone or disabled).

        The expiry slides to ``now + idle`` (never past ``created + max_age``) once ``renew_after`` has passed
        since the last renewal, so that a busy session writes at most once per ``renew_after``.
        """
        at = now or utcnow()
        sid = token_id(token)
        with self._db.read() as conn:
            row = conn.execute(
                select(sessions_table, users_table.c.disabled_at)
                .join(users_table, users_table.c.name == sessions_table.c.user_name)
                .where(sessions_table.c.id == sid)
            ).first()
        if row is None or row.ended_at is not None or row.disabled_at is not None:
            return None
        created, expires = ts(row.created_at), ts(row.expires_at)
        if at >= expires or at >= created + max_age:
            return None
        last_seen = ts(row.last_seen_at)
        if at - last_seen >= renew_after:
            expires = min(at + idle, created + max_age)
            with self._db.write() as conn:
                conn.execute(update(sessions_table)
                             .where(sessions_table.c.id == sid, sessions_table.c.ended_at.is_(None))
                             .values(last_seen_at=iso(at), expires_at=iso(expires)))
            last_seen = at
        return Session(row.id, row.user_name, row.client, created, last_seen, expires)

    def end(self, token: str, *, reason: str, actor: str) -> bool:
        """End the session ``token`` names; True if it was live."""
        now = now_iso("microseconds")
        with self._db.write() as conn:
            done = conn.execute(update(sessions_table)
                                .where(sessions_table.c.id == token_id(token), sessions_table.c.ended_at.is_(None))
                                .values(ended_at=now, ended_reason=reason)).rowcount
            if done:
                self._db.audit(conn, actor=actor, action="session.end", target="session", at=now, reason=reason)
        return bool(done)

    def end_all(self, user_name: str, *, reason: str, actor: str) -> int:
        """End every live session of ``user_name`` (audited); how many there were."""
        now = now_iso("microseconds")
        with self._db.write() as conn:
            n = end_all_sessions(conn, user_name, reason=reason, at=now)
            self._db.audit(conn, actor=actor, action="session.end_all", target=f"user {user_name}", at=now,
                           reason=reason, sessions=n)
        return n

    def last_ended(self, user_name: str) -> datetime | None:
        """When a session of ``user_name`` was last ended (sign-out, password change, disabling), or None."""
        with self._db.read() as conn:
            value = conn.execute(select(func.max(sessions_table.c.ended_at))
                                 .where(sessions_table.c.user_name == user_name)).scalar()
        return ts(value) if value else None

    def count_live(self, user_name: str, *, now: datetime | None = None) -> int:
        """How many sessions of ``user_name`` are not ended and not expired."""
        at = now or utcnow()
        with self._db.read() as conn:
            rows = conn.execute(select(sessions_table.c.expires_at).where(
                sessions_table.c.user_name == user_name, sessions_table.c.ended_at.is_(None))).all()
        return sum(1 for r in rows if ts(r.expires_at) > at)


def end_all_sessions(conn: Connection, user_name: str, *, reason: str, at: str) -> int:
    """End every live session of ``user_name`` inside the caller's transaction (users do it with a password
    change or when disabling an account, in the same transaction)."""
    result = conn.execute(update(sessions_table)
                          .where(sessions_table.c.user_name == user_name, sessions_table.c.ended_at.is_(None))
                          .values(ended_at=at, ended_reason=reason))
    return int(result.rowcount)
