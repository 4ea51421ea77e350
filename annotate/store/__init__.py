"""The project store: documents, annotation sets with every revision, conflicts, users and the audit log.

One SQLAlchemy Core schema (:mod:`.schema`) serves SQLite (a WAL file in the project directory, the default) and
PostgreSQL (``postgresql+psycopg://...``). A :class:`Store` hands out one object per resource, the way
sqlite-utils hands out ``db[name]``; they share one engine and one transaction helper (:mod:`.db`)::

    store.documents      documents and their earlier texts          (documents.py)
    store.sets           annotation sets, revisions, status, conflicts (sets.py)
    store.users          users and password checks                   (users.py)
    store.drafts         unsaved work that survives a reload         (drafts.py)
    store.assignments    documents given to annotators               (assignments.py)
    store.external_ids   our ids in other systems (Label Studio)     (external_ids.py)
    store.meta           settings and cursors by key                 (meta.py)
    store.comments       notes, flags and return notes on annotators' work (comments.py)
    store.audit          the audit log                               (audit.py)
    store.backup         raw rows for dump and restore               (backup.py)
    store.sessions       sign-in sessions, by token hash             (sessions.py)
    store.sign_ins       failed sign-ins and temporary locks         (sign_ins.py)

Method verbs mean the same on every resource: ``add`` creates and refuses a duplicate, ``put`` creates or
replaces, ``save`` writes a new revision under optimistic concurrency, ``get`` returns one thing or raises
:class:`~annotate.errors.NotFound`, ``find`` returns one thing or None, ``list`` and ``count`` read many, and
``delete`` says whether something went. Every write is one transaction and adds an audit entry (drafts
excepted); nothing annotated is ever deleted.

Timestamps are stored as ISO 8601 strings and JSON as canonical text (sorted keys), so that both databases
give back exactly what was written and a dump of the store is byte-for-byte reproducible.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, insert, inspect, select, update
from sqlalchemy.exc import OperationalError

from ..canonical import now_iso
from ..errors import ConfigError
from ..redact import redact_url
from ..taxonomy import Taxonomy, default_taxonomy
from .assignments import Assignment, Assignments
from .audit import Audit, AuditEntry
from .backup import Backup
from .comments import Comments
from .db import Database
from .documents import DocumentInfo, Documents, DocumentVersion, PutOutcome
from .drafts import Draft, Drafts
from .external_ids import ExternalId, ExternalIds
from .meta import Meta
from .schema import STORE_FORMAT, meta_table, metadata_obj
from .sessions import Session, Sessions
from .sets import AnnotationSets, Conflict, RevisionInfo, SetInfo, SetSummary
from .sign_ins import SignIns
from .users import User, Users

__all__ = [
    "STORE_FORMAT",
    "Assignment",
    "AuditEntry",
    "Conflict",
    "DocumentInfo",
    "DocumentVersion",
    "Draft",
    "ExternalId",
    "PutOutcome",
    "RevisionInfo",
    "Session",
    "SetInfo",
    "SetSummary",
    "Store",
    "User",
]


class Store:
    """The project database: a SQLAlchemy URL plus the project taxonomy; call :meth:`create_schema` once."""

    def __init__(self, url: str, taxonomy: Taxonomy | None = None) -> None:
        self.url = url
        self.taxonomy = taxonomy or default_taxonomy()
        self._db = Database(url)
        self.documents = Documents(self._db)
        self.sets = AnnotationSets(self._db, self.taxonomy)
        self.users = Users(self._db)
        self.drafts = Drafts(self._db)
        self.assignments = Assignments(self._db)
        self.external_ids = ExternalIds(self._db)
        self.meta = Meta(self._db)
        self.comments = Comments(self._db)
        self.audit = Audit(self._db)
        self.backup = Backup(self._db)
        self.sessions = Sessions(self._db)
        self.sign_ins = SignIns(self._db)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine all resources share (tests look at raw rows through it)."""
        return self._db.engine

    def create_schema(self) -> None:
        """Create the tables if they are missing and record the store format (idempotent)."""
        try:
            metadata_obj.create_all(self._db.engine)
        except OperationalError as exc:
            raise ConfigError(
                f"cannot open database {redact_url(self.url)}: {exc.orig}",
                hint="check the database URL in project.json or ANNOTATE_DATABASE_URL",
            ) from None
        with self._db.write() as conn:
            stored = conn.execute(select(meta_table.c.value).where(meta_table.c.key == "store_format")).scalar()
            if stored is None:
                conn.execute(
                    insert(meta_table),
                    [
                        {"key": "store_format", "value": str(STORE_FORMAT)},
                        {"key": "created_at", "value": now_iso("microseconds")},
                    ],
                )
            elif stored != str(STORE_FORMAT):
                self._upgrade(conn, stored)

    def _upgrade(self, conn: Connection, stored: str) -> None:
        """Bring a store of an earlier format up to :data:`STORE_FORMAT` (inside the caller's write transaction,
        so that two processes opening it at once upgrade it once)."""
        if stored == "1":
            if "disabled_at" not in {c["name"] for c in inspect(conn).get_columns("users")}:
                conn.exec_driver_sql("ALTER TABLE users ADD COLUMN disabled_at VARCHAR(40)")
        elif stored.isdigit() and int(stored) > STORE_FORMAT:
            raise ConfigError(f"the database {redact_url(self.url)} has store format {stored}, newer than this "
                              f"version reads ({STORE_FORMAT})", hint="upgrade annotate")
        conn.execute(update(meta_table).where(meta_table.c.key == "store_format").values(value=str(STORE_FORMAT)))

    def close(self) -> None:
        """Release every pooled connection."""
        self._db.dispose()
