"""Ids that our documents and annotation sets have in other systems (e.g. Label Studio tasks), with their data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..canonical import canonical_json, now_iso
from ..errors import InputError
from .db import Database, ts
from .schema import external_ids_table


@dataclass(frozen=True)
class ExternalId:
    """The id something of ours has in another system (e.g. a Label Studio task), with that system's data."""

    system: str
    kind: str
    local_id: str
    external_id: str
    data: dict[str, Any]
    updated_at: datetime


def _external(row: Row[Any]) -> ExternalId:
    return ExternalId(row.system, row.kind, row.local_id, row.external_id, json.loads(row.data), ts(row.updated_at))


def _key(system: str, kind: str, local_id: str) -> ColumnElement[bool]:
    c = external_ids_table.c
    return (c.system == system) & (c.kind == kind) & (c.local_id == local_id)


class ExternalIds:
    """``store.external_ids``: the mapping (system, kind, local id) → external id, one-to-one per system and kind."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(
        self, system: str, kind: str, local_id: str, external_id: str, data: dict[str, Any] | None = None,
        *, actor: str,
    ) -> ExternalId:
        """Record (or update) the id ``local_id`` has in ``system`` as a ``kind`` (e.g. labelstudio/task)."""
        now = now_iso("microseconds")
        values = {"external_id": str(external_id), "data": canonical_json(data or {}), "updated_at": now}
        try:
            with self._db.write() as conn:
                if conn.execute(update(external_ids_table).where(_key(system, kind, local_id))
                                .values(**values)).rowcount == 0:
                    conn.execute(insert(external_ids_table).values(system=system, kind=kind, local_id=local_id,
                                                                   **values))
                self._db.audit(conn, actor=actor, action="external_id.put", target=f"{system} {kind} {local_id}",
                               at=now, external_id=str(external_id))
        except IntegrityError:
            raise InputError(
                f"{system} {kind} {external_id!r} is already mapped to another local id", where="external_id"
            ) from None
        return ExternalId(system, kind, local_id, str(external_id), data or {}, ts(now))

    def delete(self, system: str, kind: str, local_id: str, *, actor: str) -> bool:
        """Forget the mapping of ``local_id`` in ``system`` (audited); False when there was none."""
        now = now_iso("microseconds")
        with self._db.write() as conn:
            gone = conn.execute(delete(external_ids_table).where(_key(system, kind, local_id))).rowcount
            if gone:
                self._db.audit(conn, actor=actor, action="external_id.delete", target=f"{system} {kind} {local_id}",
                               at=now)
        return bool(gone)

    def find(self, system: str, kind: str, local_id: str) -> ExternalId | None:
        """The mapping of ``local_id`` in ``system``, or None."""
        with self._db.read() as conn:
            row = conn.execute(select(external_ids_table).where(_key(system, kind, local_id))).first()
        return None if row is None else _external(row)

    def find_by_external(self, system: str, kind: str, external_id: str) -> ExternalId | None:
        """The mapping whose id in ``system`` is ``external_id``, or None."""
        c = external_ids_table.c
        with self._db.read() as conn:
            row = conn.execute(select(external_ids_table).where(
                (c.system == system) & (c.kind == kind) & (c.external_id == str(external_id))
            )).first()
        return None if row is None else _external(row)

    # Last: a method named ``list`` would shadow the builtin in the annotations of the methods after it (mypy).
    def list(self, system: str, kind: str) -> list[ExternalId]:
        """Every mapping of ``kind`` in ``system``, ordered by local id."""
        c = external_ids_table.c
        with self._db.read() as conn:
            rows = conn.execute(
                select(external_ids_table).where((c.system == system) & (c.kind == kind)).order_by(c.local_id)
            )
            return [_external(r) for r in rows]
