"""Project settings and cursors kept in the store (e.g. the last Label Studio pull, revoked sessions)."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from ..canonical import now_iso
from .db import Database
from .schema import meta_table


class Meta:
    """``store.meta``: string values by key; every change is audited."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def find(self, key: str) -> str | None:
        """The value under ``key``, or None."""
        with self._db.read() as conn:
            row = conn.execute(select(meta_table.c.value).where(meta_table.c.key == key)).first()
        return None if row is None else str(row[0])

    def put(self, key: str, value: str, *, actor: str) -> None:
        """Set ``key`` to ``value`` (audited)."""
        now = now_iso("microseconds")
        with self._db.write() as conn:
            if conn.execute(update(meta_table).where(meta_table.c.key == key).values(value=value)).rowcount == 0:
                conn.execute(insert(meta_table).values(key=key, value=value))
            self._db.audit(conn, actor=actor, action="meta.set", target=key, at=now, value=value)
