"""The engine every store resource shares, its transactions, and the stored forms of JSON and time.

SQLite runs as a WAL file with ``BEGIN IMMEDIATE`` for writes, so concurrent writers queue on the busy timeout
instead of deadlocking; PostgreSQL gets a pre-pinged pool. Every write of a resource is one :meth:`Database.write`
transaction; reads use :meth:`Database.read`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from ..errors import ConfigError
from ..models import utcnow
from .schema import audit_table


def canonical_json(data: Any) -> str:
    """JSON with sorted keys, no ASCII escaping and no spaces: the one text form stored and dumped."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def now_iso() -> str:
    """The current UTC time as stored: ISO 8601 with microseconds and offset."""
    return utcnow().isoformat(timespec="microseconds")


def ts(value: str) -> datetime:
    """A stored timestamp read back."""
    return datetime.fromisoformat(value)


def redact_url(url: str) -> str:
    """``url`` with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up front; we
        # emit BEGIN ourselves (see _begin) so concurrent writers queue on busy_timeout, not deadlock.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get("annotate_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


class Database:
    """One engine for a SQLAlchemy URL; :class:`ConfigError` (password hidden) when the URL cannot be used."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            if make_url(url).get_backend_name() == "sqlite":
                self.engine = _sqlite_engine(url)
            else:
                self.engine = create_engine(url, pool_pre_ping=True)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise ConfigError(
                f"database URL {redact_url(url)!r} cannot be used: {exc}",
                hint="use sqlite:///path/to/annotate.db or postgresql+psycopg://user@host/dbname",
            ) from None
        self.dialect = self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only connection (on SQLite a plain ``BEGIN``, so it never waits for the write lock)."""
        with self.engine.connect() as conn:
            conn.execution_options(annotate_readonly=True)
            yield conn

    @staticmethod
    def audit(conn: Connection, *, actor: str, action: str, target: str, at: str, **details: Any) -> None:
        """Add an audit entry inside the caller's write transaction."""
        values = {"at": at, "actor": actor, "action": action, "target": target, "details": canonical_json(details)}
        conn.execute(insert(audit_table).values(**values))

    def dispose(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()
