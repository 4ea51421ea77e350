"""The engine every store resource shares, its transactions and audit entries, and how timestamps read back.

SQLite runs as a WAL file with ``BEGIN IMMEDIATE`` for writes, so concurrent writers queue on the busy timeout
instead of deadlocking; PostgreSQL gets a pre-pinged pool. Every write of a resource is one :meth:`Database.write`
transaction; reads use :meth:`Database.read`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from ..canonical import canonical_json
from ..errors import ConfigError, StorageError
from ..paths import create_private, make_private
from ..redact import redact_url
from .schema import audit_table


def ts(value: str) -> datetime:
    """A stored timestamp read back."""
    return datetime.fromisoformat(value)


def _private_sqlite_files(url: str) -> None:
    """Create the SQLite file owner-only (0600) before SQLite does, and tighten an existing one and its
    ``-wal``/``-shm``: it holds password hashes and sessions. SQLite gives the files it adds the database
    file's mode."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite reports the missing folder in its own words
    create_private(path)
    for suffix in ("-wal", "-shm", "-journal"):
        make_private(path.with_name(path.name + suffix))


def _sqlite_engine(url: str) -> Engine:
    _private_sqlite_files(url)
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


_DISK_WORDS = ("full", "disk", "i/o", "no space", "readonly", "read-only", "file size")


def storage_error(exc: OperationalError, url: str) -> StorageError:
    """The database's complaint as one line with a hint: the disk (full, I/O, read-only) or the server."""
    reason = (str(exc.orig) if exc.orig is not None else str(exc)).strip().splitlines()[0][:200]
    if any(w in reason.lower() for w in _DISK_WORDS):
        return StorageError(f"the disk under the database {redact_url(url)} failed: {reason}",
                            hint="free disk space (or raise the file size limit), then run the command again; "
                            "the write that failed was rolled back")
    return StorageError(f"the database {redact_url(url)} failed: {reason}",
                        hint="check that the database server is running and reachable, then run the command again")


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
        """One write transaction: committed when the block ends, rolled back if it raises.

        A failing disk or database (full disk, I/O error, lost connection) raises :class:`StorageError`.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise storage_error(exc, self.url) from None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only connection (on SQLite a plain ``BEGIN``, so it never waits for the write lock)."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(annotate_readonly=True)
                yield conn
        except OperationalError as exc:
            raise storage_error(exc, self.url) from None

    @staticmethod
    def audit(conn: Connection, *, actor: str, action: str, target: str, at: str, **details: Any) -> None:
        """Add an audit entry inside the caller's write transaction."""
        values = {"at": at, "actor": actor, "action": action, "target": target, "details": canonical_json(details)}
        conn.execute(insert(audit_table).values(**values))

    def dispose(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()
