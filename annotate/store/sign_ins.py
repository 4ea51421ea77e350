"""Failed sign-ins, counted per key (``account:NAME``, ``client:ADDRESS``), with temporary locks; every failed
or refused attempt is audited. The policy (how many, how long) is :mod:`annotate.auth`'s; this keeps the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update

from .db import Database, ts
from .schema import sign_in_throttle_table
from .sessions import iso


@dataclass(frozen=True)
class Failures:
    """Recent failed sign-ins under one key."""

    key: str
    failures: int
    last_failure_at: datetime
    locked_until: datetime | None


class SignIns:
    """``store.sign_ins``: read the failure counts, add a failure (locking at a threshold), clear them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def failures(self, keys: Sequence[str], *, window: timedelta, now: datetime) -> dict[str, Failures]:
        """The failures under each of ``keys`` still counted at ``now`` (within ``window`` of the last one, or
        locked); keys without any are left out."""
        t = sign_in_throttle_table
        with self._db.read() as conn:
            rows = conn.execute(select(t).where(t.c.key.in_(list(keys)))).all()
        out = {}
        for r in rows:
            f = Failures(r.key, r.failures, ts(r.last_failure_at), ts(r.locked_until) if r.locked_until else None)
            if now - f.last_failure_at < window or (f.locked_until is not None and f.locked_until > now):
                out[r.key] = f
        return out

    def fail(self, keys: Sequence[str], *, name: str, client: str, reason: str, window: timedelta,
             lock_after: int, lock_for: timedelta, now: datetime) -> dict[str, Failures]:
        """Count one failed sign-in under each key (a count older than ``window`` starts again), lock a key
        reaching ``lock_after`` failures for ``lock_for``, and audit the attempt; the new counts."""
        t = sign_in_throttle_table
        out = {}
        with self._db.write() as conn:
            # Counts nobody can meet any more go: a stream of made-up names does not grow the table for ever.
            stale = iso(now - window - lock_for)
            conn.execute(delete(t).where(t.c.last_failure_at < stale,
                                         (t.c.locked_until.is_(None)) | (t.c.locked_until < iso(now))))
            rows = {r.key: r for r in conn.execute(select(t).where(t.c.key.in_(list(keys)))).all()}
            for key in keys:
                row = rows.get(key)
                fresh = row is None or now - ts(row.last_failure_at) >= window
                failures = 1 if fresh or row is None else row.failures + 1
                locked = now + lock_for if failures >= lock_after else None
                values = {"failures": failures, "last_failure_at": iso(now),
                          "locked_until": iso(locked) if locked else None}
                if row is None:
                    conn.execute(insert(t).values(key=key, **values))
                else:
                    conn.execute(update(t).where(t.c.key == key).values(**values))
                out[key] = Failures(key, failures, now, locked)
            self._db.audit(conn, actor=name[:200] or "?", action="auth.failure", target=f"user {name}"[:400],
                           at=iso(now), client=client, reason=reason,
                           failures={k: f.failures for k, f in out.items()})
        return out

    def refused(self, *, name: str, client: str, reason: str, now: datetime) -> None:
        """Audit an attempt refused before its password was looked at (locked or too early)."""
        with self._db.write() as conn:
            self._db.audit(conn, actor=name[:200] or "?", action="auth.refused", target=f"user {name}"[:400],
                           at=iso(now), client=client, reason=reason)

    def clear(self, keys: Sequence[str]) -> None:
        """Forget the failures under ``keys`` (a successful sign-in, a new password)."""
        with self._db.write() as conn:
            conn.execute(delete(sign_in_throttle_table).where(sign_in_throttle_table.c.key.in_(list(keys))))
