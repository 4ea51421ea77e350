"""Rows exactly as stored, for the dump and restore of a whole store (:mod:`annotate.store.dump`).

Rows are plain dicts keyed by column name; the one column of a table that holds JSON text is handed out parsed
and taken back as a value (stored again as canonical JSON), so a dump stays readable and ``dump -> restore ->
dump`` gives the same bytes. Nothing here validates or audits: that is the dump format's job, and a restored
audit log must be the dumped one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, update

from ..canonical import canonical_json
from .db import Database
from .schema import (
    ALL_TABLES,
    assignments_table,
    audit_table,
    comments_table,
    conflicts_table,
    document_versions_table,
    documents_table,
    drafts_table,
    external_ids_table,
    meta_table,
    revisions_table,
    sets_table,
    users_table,
)

_ORDER: dict[Table, tuple[str, ...]] = {
    meta_table: ("key",),
    documents_table: ("id",),
    document_versions_table: ("doc_id", "version"),
    users_table: ("name",),
    sets_table: ("doc_id", "author"),
    revisions_table: ("set_id", "revision"),
    conflicts_table: ("id",),
    drafts_table: ("doc_id", "author"),
    assignments_table: ("doc_id", "annotator"),
    external_ids_table: ("system", "kind", "local_id"),
    comments_table: ("id",),
    audit_table: ("id",),
}
"""Each table's dump order (its key)."""

_JSON_COLUMNS: dict[Table, str] = {
    documents_table: "metadata",
    document_versions_table: "document",
    revisions_table: "content",
    conflicts_table: "content",
    audit_table: "details",
    drafts_table: "content",
    external_ids_table: "data",
}
"""The text column of each table that holds JSON."""

_BY_NAME: dict[str, Table] = {t.name: t for t in ALL_TABLES}


def _table(name: str) -> Table:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"no table {name!r} in the store") from None


class Restorer:
    """Inserts raw rows inside the one transaction of :meth:`Backup.restoring`."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def put_meta(self, key: str, value: str) -> None:
        """Set a meta entry (the new store already holds its own ``store_format`` and ``created_at``)."""
        if self._conn.execute(select(meta_table.c.key).where(meta_table.c.key == key)).first():
            self._conn.execute(update(meta_table).where(meta_table.c.key == key).values(value=value))
        else:
            self._conn.execute(insert(meta_table).values(key=key, value=value))

    def insert(self, table: str, row: dict[str, Any]) -> Any:
        """Insert ``row`` into ``table`` as given (its JSON column as a value); return the new primary key."""
        t = _table(table)
        values = dict(row)
        col = _JSON_COLUMNS.get(t)
        if col is not None:
            values[col] = canonical_json(values[col])
        return self._conn.execute(insert(t).values(**values)).inserted_primary_key[0]  # type: ignore[index]


class Backup:
    """``store.backup``: every row of every table, and an all-or-nothing load of raw rows into an empty store."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def columns(table: str) -> frozenset[str]:
        """The column names of ``table``."""
        return frozenset(c.name for c in _table(table).columns)

    def is_empty(self) -> bool:
        """True when no table but ``meta`` has a row."""
        with self._db.read() as conn:
            for t in ALL_TABLES:
                if t is meta_table:
                    continue
                if conn.execute(select(func.count()).select_from(t)).scalar_one():
                    return False
        return True

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of ``table`` as a dict, in key order, its JSON column parsed."""
        t = _table(table)
        col = _JSON_COLUMNS.get(t)
        with self._db.read() as conn:
            for row in conn.execute(select(t).order_by(*[t.c[c] for c in _ORDER[t]])):
                out = dict(row._mapping)
                if col is not None:
                    out[col] = json.loads(out[col])
                yield out

    @contextmanager
    def restoring(self) -> Iterator[Restorer]:
        """One write transaction for a restore; on success PostgreSQL's id sequences are moved past the rows."""
        with self._db.write() as conn:
            yield Restorer(conn)
            if self._db.dialect == "postgresql":
                for t in (sets_table, conflicts_table, comments_table, audit_table):
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"
                    )
