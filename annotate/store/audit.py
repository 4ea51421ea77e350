"""The audit log: who did what, when, to what. Entries are written by the other resources in their own
transactions (:meth:`annotate.store.db.Database.audit`); this resource reads them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .db import Database, ts
from .schema import audit_table


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, when, to what."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]


class Audit:
    """``store.audit``: the audit log, oldest first."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self, *, action: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first."""
        q = select(audit_table).order_by(audit_table.c.id)
        if action is not None:
            q = q.where(audit_table.c.action == action)
        if limit is not None:
            q = q.limit(limit)
        with self._db.read() as conn:
            rows = conn.execute(q).all()
        return [
            AuditEntry(id=r.id, at=ts(r.at), actor=r.actor, action=r.action, target=r.target,
                       details=json.loads(r.details))
            for r in rows
        ]
