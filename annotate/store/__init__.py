"""The project store: documents, annotation sets with every revision, conflicts, users and the audit log.

One SQLAlchemy Core schema serves SQLite (a WAL file in the project directory, the default) and PostgreSQL
(``postgresql+psycopg://...``). Every write is one transaction and adds an audit entry; nothing is ever
deleted. Saves of an annotation set use optimistic concurrency: the head revision is compared and swapped in
the same ``UPDATE``, so of two saves from the same base exactly one wins and the other is kept as a conflict.

Timestamps are stored as ISO 8601 strings and JSON as canonical text (sorted keys), so that both databases
give back exactly what was written and a dump of the store is byte-for-byte reproducible.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal, NoReturn

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Select

from ..errors import AuthError, ConfigError, ConflictError, InputError, InvalidAnnotation, NotFound
from ..models import (
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Document,
    utcnow,
    validate_annotation_set,
)
from ..taxonomy import Taxonomy, default_taxonomy

STORE_FORMAT = 1
"""Version of the table layout below; kept in the ``meta`` table and in dumps."""

metadata_obj = MetaData()

meta_table = Table(
    "meta",
    metadata_obj,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

documents_table = Table(
    "documents",
    metadata_obj,
    Column("id", String(128), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("lang", String(64), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("text_sha256", String(64), nullable=False, index=True),
    Column("title", Text),
    Column("publisher", Text),
    Column("url", Text),
    Column("reference_date", String(10)),
    Column("metadata", Text, nullable=False),
    Column("imported_at", String(40), nullable=False),
    Column("imported_by", String(200), nullable=False),
)

document_versions_table = Table(
    "document_versions",
    metadata_obj,
    Column("doc_id", String(128), ForeignKey("documents.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", Text, nullable=False),
    Column("imported_at", String(40), nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("replaced_at", String(40), nullable=False),
    Column("replaced_by", String(200), nullable=False),
)

sets_table = Table(
    "annotation_sets",
    metadata_obj,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(128), ForeignKey("documents.id"), nullable=False),
    Column("author", String(200), nullable=False),
    Column("author_kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("head_revision", Integer, nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("stale", Boolean, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("doc_id", "author", name="uq_annotation_sets_doc_author"),
)

revisions_table = Table(
    "revisions",
    metadata_obj,
    Column("set_id", Integer, ForeignKey("annotation_sets.id"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("base_revision", Integer, nullable=False),
    Column("author_kind", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("content", Text, nullable=False),
    Column("saved_by", String(200), nullable=False),
    Column("saved_at", String(40), nullable=False),
)

conflicts_table = Table(
    "conflicts",
    metadata_obj,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(128), nullable=False),
    Column("author", String(200), nullable=False),
    Column("base_revision", Integer, nullable=False),
    Column("head_revision", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Index("ix_conflicts_doc_author", "doc_id", "author"),
)

audit_table = Table(
    "audit_log",
    metadata_obj,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(400), nullable=False),
    Column("details", Text, nullable=False),
)

users_table = Table(
    "users",
    metadata_obj,
    Column("name", String(200), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
)

drafts_table = Table(
    "drafts",
    metadata_obj,
    Column("doc_id", String(128), ForeignKey("documents.id"), primary_key=True),
    Column("author", String(200), primary_key=True),
    Column("base_revision", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("saved_at", String(40), nullable=False),
)

assignments_table = Table(
    "assignments",
    metadata_obj,
    Column("doc_id", String(128), ForeignKey("documents.id"), primary_key=True),
    Column("annotator", String(200), primary_key=True),
    Column("assigned_by", String(200), nullable=False),
    Column("assigned_at", String(40), nullable=False),
)

external_ids_table = Table(
    "external_ids",
    metadata_obj,
    Column("system", String(64), primary_key=True),
    Column("kind", String(64), primary_key=True),
    Column("local_id", String(200), primary_key=True),
    Column("external_id", String(200), nullable=False),
    Column("data", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("system", "kind", "external_id", name="uq_external_ids_external"),
)

ALL_TABLES: tuple[Table, ...] = (
    meta_table,
    documents_table,
    document_versions_table,
    users_table,
    sets_table,
    revisions_table,
    conflicts_table,
    drafts_table,
    assignments_table,
    external_ids_table,
    audit_table,
)
"""Every table, parents before children (the order dumps and restores use)."""


def canonical_json(data: Any) -> str:
    """JSON with sorted keys, no ASCII escaping and no spaces: the one text form stored and dumped."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def now_iso() -> str:
    """The current UTC time as stored: ISO 8601 with microseconds and offset."""
    return utcnow().isoformat(timespec="microseconds")


class Role(StrEnum):
    """What a user may do; the app issue gives each its pages."""

    annotator = "annotator"
    curator = "curator"
    admin = "admin"


@dataclass(frozen=True)
class PutOutcome:
    """What :meth:`Store.put_documents` did with one document."""

    doc_id: str
    outcome: Literal["added", "unchanged", "replaced", "refused"]
    version: int
    reason: str | None = None
    stale_sets: int = 0


@dataclass(frozen=True)
class DocumentVersion:
    """An earlier text of a document, kept when ``--replace`` superseded it."""

    document: Document
    version: int
    imported_at: datetime
    replaced_at: datetime
    replaced_by: str


@dataclass(frozen=True)
class RevisionInfo:
    """One saved revision of an annotation set (without its content)."""

    doc_id: str
    author: str
    revision: int
    base_revision: int
    status: AnnotationStatus
    author_kind: AuthorKind
    text_sha256: str
    saved_by: str
    saved_at: datetime


@dataclass(frozen=True)
class SetInfo:
    """Head state of an annotation set: who, status, head revision, and whether its text is outdated."""

    doc_id: str
    author: str
    author_kind: AuthorKind
    status: AnnotationStatus
    head_revision: int
    stale: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class SetSummary(SetInfo):
    """Head state of an annotation set with the size of each layer, counted by the database (no set is loaded)."""

    entities: int = 0
    dates: int = 0
    events: int = 0
    links: int = 0


@dataclass(frozen=True)
class DocumentInfo:
    """What lists of documents show, without the text: its length in code points instead."""

    id: str
    lang: str
    title: str | None
    publisher: str | None
    reference_date: date | None
    chars: int


@dataclass(frozen=True)
class Conflict:
    """A refused save, kept with its full content."""

    id: int
    doc_id: str
    author: str
    base_revision: int
    head_revision: int
    actor: str
    created_at: datetime
    annotation_set: AnnotationSet


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, when, to what."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]


@dataclass(frozen=True)
class Draft:
    """Unsaved work of an editor: the set as edited, and the revision the edit started from."""

    doc_id: str
    author: str
    base_revision: int
    aset: AnnotationSet
    saved_at: datetime


@dataclass(frozen=True)
class Assignment:
    """A document given to an annotator."""

    doc_id: str
    annotator: str
    assigned_by: str
    assigned_at: datetime


@dataclass(frozen=True)
class ExternalId:
    """The id something of ours has in another system (e.g. a Label Studio task), with that system's data."""

    system: str
    kind: str
    local_id: str
    external_id: str
    data: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True)
class User:
    """A user of the app (the password hash never leaves the store)."""

    name: str
    role: Role
    created_at: datetime


def _heads(doc_id: str | None, author: str | None, *columns: Any) -> Select[Any]:
    """The annotation sets (of one document and/or author) joined to their head revisions, with ``columns``."""
    q = (
        select(sets_table, *columns)
        .join(
            revisions_table,
            (revisions_table.c.set_id == sets_table.c.id) & (revisions_table.c.revision == sets_table.c.head_revision),
        )
        .order_by(sets_table.c.doc_id, sets_table.c.author)
    )
    if doc_id is not None:
        q = q.where(sets_table.c.doc_id == doc_id)
    if author is not None:
        q = q.where(sets_table.c.author == author)
    return q


class _Refused(Exception):
    """Raised inside a save transaction to roll it back and record a conflict."""

    def __init__(self, head: int) -> None:
        self.head = head


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


def _has_nul(doc: Document) -> bool:
    """Whether any field holds U+0000, which PostgreSQL text cannot store (JSON keeps it escaped)."""
    return _holds_nul([doc.text, doc.title, doc.publisher, doc.url, doc.metadata])


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def redact_url(url: str) -> str:
    """``url`` with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Store:
    """The project database: a SQLAlchemy URL plus the project taxonomy; call :meth:`create_schema` once."""

    def __init__(self, url: str, taxonomy: Taxonomy | None = None) -> None:
        self.url = url
        self.taxonomy = taxonomy or default_taxonomy()
        try:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite":
                self.engine = _sqlite_engine(url)
            else:
                self.engine = create_engine(url, pool_pre_ping=True)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise ConfigError(
                f"database URL {redact_url(url)!r} cannot be used: {exc}",
                hint="use sqlite:///path/to/annotate.db or postgresql+psycopg://user@host/dbname",
            ) from None
        self.dialect = self.engine.dialect.name

    # ------------------------------------------------------------------ plumbing

    def create_schema(self) -> None:
        """Create the tables if they are missing and record the store format (idempotent)."""
        try:
            metadata_obj.create_all(self.engine)
        except OperationalError as exc:
            raise ConfigError(
                f"cannot open database {redact_url(self.url)}: {exc.orig}",
                hint="check the database URL in project.json or ANNOTATE_DATABASE_URL",
            ) from None
        with self._write() as conn:
            if conn.execute(select(meta_table.c.value).where(meta_table.c.key == "store_format")).first() is None:
                conn.execute(
                    insert(meta_table),
                    [
                        {"key": "store_format", "value": str(STORE_FORMAT)},
                        {"key": "created_at", "value": now_iso()},
                    ],
                )

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(annotate_readonly=True)
            yield conn

    def _audit(self, conn: Connection, *, actor: str, action: str, target: str, at: str, **details: Any) -> None:
        conn.execute(
            insert(audit_table).values(
                at=at, actor=actor, action=action, target=target, details=canonical_json(details)
            )
        )

    # ------------------------------------------------------------------ documents

    @staticmethod
    def _doc_from_row(row: Row[Any]) -> Document:
        return Document.model_validate(
            {
                "id": row.id,
                "lang": row.lang,
                "text": row.text,
                "text_sha256": row.text_sha256,
                "title": row.title,
                "publisher": row.publisher,
                "url": row.url,
                "reference_date": row.reference_date,
                "metadata": json.loads(row.metadata),
            }
        )

    @staticmethod
    def _doc_values(doc: Document) -> dict[str, Any]:
        return {
            "lang": doc.lang,
            "text": doc.text,
            "text_sha256": doc.text_sha256,
            "title": doc.title,
            "publisher": doc.publisher,
            "url": doc.url,
            "reference_date": doc.reference_date.isoformat() if doc.reference_date else None,
            "metadata": canonical_json(doc.metadata),
        }

    def put_documents(self, docs: Iterable[Document], *, replace: bool = False, actor: str) -> list[PutOutcome]:
        """Store documents, each in its own transaction, and say what happened to each.

        A new id is ``added``; the same text under a stored id is ``unchanged`` (idempotent re-import);
        a different text under a stored id is ``refused`` unless ``replace``, which keeps the old text as
        an earlier version, makes the new one current (``replaced``) and flags the annotation sets made on
        the old text as stale.
        """
        out = []
        for doc in docs:
            try:
                out.append(self._put_document(doc, replace=replace, actor=actor))
            except IntegrityError:
                # Another writer added the same id between our SELECT and INSERT; look again.
                out.append(self._put_document(doc, replace=replace, actor=actor))
        return out

    def _put_document(self, doc: Document, *, replace: bool, actor: str) -> PutOutcome:
        if _has_nul(doc):
            return PutOutcome(doc.id, "refused", 0, "the document contains a NUL character (U+0000)")
        now = now_iso()
        with self._write() as conn:
            head = conn.execute(select(documents_table).where(documents_table.c.id == doc.id).with_for_update()).first()
            if head is None:
                conn.execute(
                    insert(documents_table).values(
                        id=doc.id, version=1, imported_at=now, imported_by=actor, **self._doc_values(doc)
                    )
                )
                self._audit(
                    conn,
                    actor=actor,
                    action="document.add",
                    target=f"document {doc.id}",
                    at=now,
                    text_sha256=doc.text_sha256,
                    lang=doc.lang,
                )
                return PutOutcome(doc.id, "added", 1)
            if head.text_sha256 == doc.text_sha256:
                return PutOutcome(doc.id, "unchanged", head.version)
            if not replace:
                return PutOutcome(
                    doc.id,
                    "refused",
                    head.version,
                    f"document {doc.id} already exists with a different text (version {head.version}, "
                    f"sha256 {head.text_sha256[:12]}…); re-import with --replace to keep the old text as "
                    "version history and make this one current",
                )
            old = self._doc_from_row(head)
            conn.execute(
                insert(document_versions_table).values(
                    doc_id=doc.id,
                    version=head.version,
                    document=canonical_json(old.model_dump(mode="json")),
                    imported_at=head.imported_at,
                    imported_by=head.imported_by,
                    replaced_at=now,
                    replaced_by=actor,
                )
            )
            version = head.version + 1
            conn.execute(
                update(documents_table)
                .where(documents_table.c.id == doc.id)
                .values(version=version, imported_at=now, imported_by=actor, **self._doc_values(doc))
            )
            stale = conn.execute(
                update(sets_table)
                .where(sets_table.c.doc_id == doc.id, sets_table.c.text_sha256 != doc.text_sha256)
                .values(stale=True)
            ).rowcount
            conn.execute(
                update(sets_table)
                .where(sets_table.c.doc_id == doc.id, sets_table.c.text_sha256 == doc.text_sha256)
                .values(stale=False)
            )
            self._audit(
                conn,
                actor=actor,
                action="document.replace",
                target=f"document {doc.id}",
                at=now,
                old_text_sha256=head.text_sha256,
                text_sha256=doc.text_sha256,
                version=version,
                stale_sets=stale,
            )
            return PutOutcome(doc.id, "replaced", version, stale_sets=stale)

    def get_document(self, doc_id: str) -> Document:
        """The current version of a document; :class:`NotFound` if there is none."""
        with self._read() as conn:
            row = conn.execute(select(documents_table).where(documents_table.c.id == doc_id)).first()
        if row is None:
            raise NotFound(f"no document {doc_id!r}", hint="list the documents with `annotate docs list`")
        return self._doc_from_row(row)

    def document_version(self, doc_id: str) -> int:
        """The current version number of a document (1 until it is replaced)."""
        with self._read() as conn:
            v = conn.execute(select(documents_table.c.version).where(documents_table.c.id == doc_id)).scalar()
        if v is None:
            raise NotFound(f"no document {doc_id!r}")
        return int(v)

    def find_document_by_hash(self, text_sha256: str) -> Document | None:
        """A document whose current text has this hash, or None."""
        with self._read() as conn:
            row = conn.execute(
                select(documents_table)
                .where(documents_table.c.text_sha256 == text_sha256)
                .order_by(documents_table.c.id)
                .limit(1)
            ).first()
        return None if row is None else self._doc_from_row(row)

    def list_documents(self, lang: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[Document]:
        """Current documents ordered by id, optionally of one language, paged with ``limit``/``offset``."""
        q = select(documents_table).order_by(documents_table.c.id).offset(offset)
        if lang is not None:
            q = q.where(documents_table.c.lang == lang)
        if limit is not None:
            q = q.limit(limit)
        with self._read() as conn:
            return [self._doc_from_row(r) for r in conn.execute(q)]

    def list_document_info(self, lang: str | None = None) -> list[DocumentInfo]:
        """Current documents ordered by id (of one language, if given), without their texts."""
        d = documents_table.c
        q = select(d.id, d.lang, d.title, d.publisher, d.reference_date, func.length(d.text).label("chars"))
        q = q.order_by(d.id)
        if lang is not None:
            q = q.where(d.lang == lang)
        with self._read() as conn:
            rows = conn.execute(q).all()
        return [
            DocumentInfo(r.id, r.lang, r.title, r.publisher,
                         date.fromisoformat(r.reference_date) if r.reference_date else None, int(r.chars))
            for r in rows
        ]

    def count(self, lang: str | None = None) -> int:
        """How many documents there are (of one language, if given)."""
        q = select(func.count()).select_from(documents_table)
        if lang is not None:
            q = q.where(documents_table.c.lang == lang)
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())

    def document_history(self, doc_id: str) -> list[DocumentVersion]:
        """Earlier texts of a document, oldest first (empty if it was never replaced)."""
        with self._read() as conn:
            rows = conn.execute(
                select(document_versions_table)
                .where(document_versions_table.c.doc_id == doc_id)
                .order_by(document_versions_table.c.version)
            ).all()
        return [
            DocumentVersion(
                document=Document.model_validate_json(r.document),
                version=r.version,
                imported_at=_ts(r.imported_at),
                replaced_at=_ts(r.replaced_at),
                replaced_by=r.replaced_by,
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ annotation sets

    def save_annotation_set(self, aset: AnnotationSet, *, base_revision: int, actor: str) -> AnnotationSet:
        """Validate and save ``aset`` as revision ``base_revision + 1``; return the stored set.

        ``base_revision`` is the revision the editor started from (0 for a new set). If another save got there
        first, nothing is written to the set: the content is kept as a conflict and :class:`ConflictError`
        says which. Invalid sets raise :class:`InvalidAnnotation` and leave the store unchanged.
        """
        if base_revision < 0:
            raise InputError(f"base_revision must be 0 or more, not {base_revision}", where="save")
        if "\x00" in aset.author:
            raise InputError("the author name contains a NUL character (U+0000)", where="author")
        now = now_iso()
        content = canonical_json(aset.content())
        try:
            with self._write() as conn:
                drow = conn.execute(
                    select(documents_table).where(documents_table.c.id == aset.doc_id).with_for_update(read=True)
                ).first()
                if drow is None:
                    raise NotFound(f"no document {aset.doc_id!r} to annotate")
                doc = self._doc_from_row(drow)
                if aset.text_sha256 is not None and aset.text_sha256 != doc.text_sha256:
                    raise InvalidAnnotation(
                        [
                            f"text_sha256: the set was made on another text of the document "
                            f"({aset.text_sha256[:12]}…, current {doc.text_sha256[:12]}…); "
                            "re-anchor it on the current text"
                        ],
                        where=f"document {doc.id}, author {aset.author}",
                    )
                validate_annotation_set(aset, doc, self.taxonomy)
                current = conn.execute(
                    select(sets_table).where(sets_table.c.doc_id == aset.doc_id, sets_table.c.author == aset.author)
                ).first()
                revision = base_revision + 1
                values = {
                    "author_kind": aset.author_kind.value,
                    "status": aset.status.value,
                    "head_revision": revision,
                    "text_sha256": doc.text_sha256,
                    "stale": False,
                    "updated_at": now,
                }
                if current is None:
                    if base_revision != 0:
                        raise _Refused(0)
                    set_id = conn.execute(
                        insert(sets_table).values(doc_id=aset.doc_id, author=aset.author, created_at=now, **values)
                    ).inserted_primary_key[0]  # type: ignore[index]
                    created_at = now
                else:
                    swapped = conn.execute(
                        update(sets_table)
                        .where(sets_table.c.id == current.id, sets_table.c.head_revision == base_revision)
                        .values(**values)
                    ).rowcount
                    if swapped != 1:
                        raise _Refused(current.head_revision)
                    set_id, created_at = current.id, current.created_at
                conn.execute(
                    insert(revisions_table).values(
                        set_id=set_id,
                        revision=revision,
                        base_revision=base_revision,
                        author_kind=aset.author_kind.value,
                        status=aset.status.value,
                        text_sha256=doc.text_sha256,
                        content=content,
                        saved_by=actor,
                        saved_at=now,
                    )
                )
                self._audit(
                    conn,
                    actor=actor,
                    action="annotation.save",
                    target=f"document {aset.doc_id}, author {aset.author}",
                    at=now,
                    revision=revision,
                    base_revision=base_revision,
                    status=aset.status.value,
                )
        except _Refused as refused:
            self._refuse(aset, base_revision=base_revision, actor=actor, head=refused.head)
        except IntegrityError:
            # Two first saves raced past the SELECT; the unique (doc_id, author) constraint picked the winner.
            self._refuse(aset, base_revision=base_revision, actor=actor, head=None)
        return aset.model_copy(
            update={
                "revision": revision,
                "text_sha256": doc.text_sha256,
                "created_at": _ts(created_at),
                "updated_at": _ts(now),
            }
        )

    def _refuse(self, aset: AnnotationSet, *, base_revision: int, actor: str, head: int | None) -> NoReturn:
        now = now_iso()
        with self._write() as conn:
            current = conn.execute(
                select(sets_table.c.head_revision).where(
                    sets_table.c.doc_id == aset.doc_id, sets_table.c.author == aset.author
                )
            ).scalar()
            head_now = int(current) if current is not None else (head or 0)
            conflict_id = conn.execute(
                insert(conflicts_table).values(
                    doc_id=aset.doc_id,
                    author=aset.author,
                    base_revision=base_revision,
                    head_revision=head_now,
                    content=canonical_json(aset.model_dump(mode="json")),
                    actor=actor,
                    created_at=now,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            self._audit(
                conn,
                actor=actor,
                action="annotation.conflict",
                target=f"document {aset.doc_id}, author {aset.author}",
                at=now,
                conflict_id=conflict_id,
                base_revision=base_revision,
                head_revision=head_now,
            )
        raise ConflictError(
            f"document {aset.doc_id}, author {aset.author}: save refused: it is based on revision "
            f"{base_revision} but the latest revision is {head_now}",
            conflict_id=int(conflict_id),
            current_revision=head_now,
        )

    def _set_row(self, conn: Connection, doc_id: str, author: str) -> Row[Any]:
        row = conn.execute(
            select(sets_table).where(sets_table.c.doc_id == doc_id, sets_table.c.author == author)
        ).first()
        if row is None:
            raise NotFound(f"no annotation set by {author!r} on document {doc_id!r}")
        return row

    def get_annotation_set(self, doc_id: str, author: str, revision: int | None = None) -> AnnotationSet:
        """An annotation set at its head revision, or at ``revision``; :class:`NotFound` if absent."""
        with self._read() as conn:
            srow = self._set_row(conn, doc_id, author)
            rev = srow.head_revision if revision is None else revision
            rrow = conn.execute(
                select(revisions_table).where(revisions_table.c.set_id == srow.id, revisions_table.c.revision == rev)
            ).first()
        if rrow is None:
            raise NotFound(
                f"annotation set by {author!r} on document {doc_id!r} has no revision {rev} "
                f"(latest is {srow.head_revision})"
            )
        return self._aset(srow, rrow, head=revision is None)

    @staticmethod
    def _aset(srow: Row[Any], rrow: Row[Any], *, head: bool) -> AnnotationSet:
        data = json.loads(rrow.content)
        data.update(
            doc_id=srow.doc_id,
            author=srow.author,
            author_kind=rrow.author_kind,
            status=srow.status if head else rrow.status,
            revision=rrow.revision,
            text_sha256=rrow.text_sha256,
            created_at=srow.created_at,
            updated_at=rrow.saved_at,
        )
        return AnnotationSet.model_validate(data)

    def list_annotation_sets(self, doc_id: str | None = None, author: str | None = None) -> list[AnnotationSet]:
        """Head revisions of the annotation sets, ordered by document and author."""
        with self._read() as conn:
            return [self._aset(r, r, head=True) for r in conn.execute(_heads(doc_id, author, revisions_table))]

    def list_set_info(self, doc_id: str | None = None, *, stale: bool | None = None) -> list[SetInfo]:
        """Head state of the annotation sets (e.g. ``stale=True``: those made on a replaced text)."""
        q = select(sets_table).order_by(sets_table.c.doc_id, sets_table.c.author)
        if doc_id is not None:
            q = q.where(sets_table.c.doc_id == doc_id)
        if stale is not None:
            q = q.where(sets_table.c.stale == stale)
        with self._read() as conn:
            rows = conn.execute(q).all()
        return [SetInfo(**self._set_info(r)) for r in rows]

    @staticmethod
    def _set_info(r: Row[Any]) -> dict[str, Any]:
        """The :class:`SetInfo` fields of an ``annotation_sets`` row."""
        return {
            "doc_id": r.doc_id,
            "author": r.author,
            "author_kind": AuthorKind(r.author_kind),
            "status": AnnotationStatus(r.status),
            "head_revision": r.head_revision,
            "stale": bool(r.stale),
            "created_at": _ts(r.created_at),
            "updated_at": _ts(r.updated_at),
        }

    def _layer_size(self, layer: str) -> ColumnElement[int]:
        """SQL for the length of one layer's list in a revision's JSON content (SQLite JSON1 or PostgreSQL)."""
        content = revisions_table.c.content
        if self.dialect == "postgresql":
            size = func.json_array_length(cast(content, postgresql.JSON)[layer])
        else:
            size = func.json_array_length(content, f"$.{layer}")
        return func.coalesce(size, 0)

    def list_set_summaries(self, doc_id: str | None = None, author: str | None = None) -> list[SetSummary]:
        """Head state and layer sizes of the annotation sets, ordered by document and author.

        What a queue of thousands of documents needs: the database counts the marks of each head revision, so
        no set is parsed or validated here (loading every set of a 10,000-document project takes seconds).
        """
        sizes = [self._layer_size(name).label(f"n_{name}") for name in ("entities", "dates", "events", "links")]
        with self._read() as conn:
            rows = conn.execute(_heads(doc_id, author, *sizes)).all()
        return [
            SetSummary(**self._set_info(r), entities=int(r.n_entities), dates=int(r.n_dates), events=int(r.n_events),
                       links=int(r.n_links))
            for r in rows
        ]

    def list_revisions(self, doc_id: str, author: str) -> list[RevisionInfo]:
        """Every saved revision of one annotation set, oldest first."""
        with self._read() as conn:
            srow = self._set_row(conn, doc_id, author)
            rows = conn.execute(
                select(revisions_table).where(revisions_table.c.set_id == srow.id).order_by(revisions_table.c.revision)
            ).all()
        return [
            RevisionInfo(
                doc_id=doc_id,
                author=author,
                revision=r.revision,
                base_revision=r.base_revision,
                status=AnnotationStatus(r.status),
                author_kind=AuthorKind(r.author_kind),
                text_sha256=r.text_sha256,
                saved_by=r.saved_by,
                saved_at=_ts(r.saved_at),
            )
            for r in rows
        ]

    def set_status(self, doc_id: str, author: str, status: AnnotationStatus | str, *, actor: str) -> AnnotationSet:
        """Change the status of an annotation set (e.g. ``submitted``) without a new revision; audited."""
        try:
            new = AnnotationStatus(status)
        except ValueError:
            raise InputError(
                f"unknown status {status!r}; use one of {', '.join(s.value for s in AnnotationStatus)}",
                where="status",
            ) from None
        now = now_iso()
        with self._write() as conn:
            srow = self._set_row(conn, doc_id, author)
            conn.execute(update(sets_table).where(sets_table.c.id == srow.id).values(status=new.value))
            self._audit(
                conn,
                actor=actor,
                action="annotation.status",
                target=f"document {doc_id}, author {author}",
                at=now,
                old=srow.status,
                new=new.value,
            )
        return self.get_annotation_set(doc_id, author)

    # ------------------------------------------------------------------ conflicts

    @staticmethod
    def _conflict(row: Row[Any]) -> Conflict:
        return Conflict(
            id=row.id,
            doc_id=row.doc_id,
            author=row.author,
            base_revision=row.base_revision,
            head_revision=row.head_revision,
            actor=row.actor,
            created_at=_ts(row.created_at),
            annotation_set=AnnotationSet.model_validate_json(row.content),
        )

    def get_conflict(self, conflict_id: int) -> Conflict:
        """A refused save by id, with the content that was refused."""
        with self._read() as conn:
            row = conn.execute(select(conflicts_table).where(conflicts_table.c.id == conflict_id)).first()
        if row is None:
            raise NotFound(f"no conflict #{conflict_id}")
        return self._conflict(row)

    def list_conflicts(self, doc_id: str | None = None, author: str | None = None) -> list[Conflict]:
        """Refused saves, oldest first."""
        q = select(conflicts_table).order_by(conflicts_table.c.id)
        if doc_id is not None:
            q = q.where(conflicts_table.c.doc_id == doc_id)
        if author is not None:
            q = q.where(conflicts_table.c.author == author)
        with self._read() as conn:
            return [self._conflict(r) for r in conn.execute(q)]

    # ------------------------------------------------------------------ audit

    def list_audit(self, *, action: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first."""
        q = select(audit_table).order_by(audit_table.c.id)
        if action is not None:
            q = q.where(audit_table.c.action == action)
        if limit is not None:
            q = q.limit(limit)
        with self._read() as conn:
            rows = conn.execute(q).all()
        return [
            AuditEntry(
                id=r.id,
                at=_ts(r.at),
                actor=r.actor,
                action=r.action,
                target=r.target,
                details=json.loads(r.details),
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ users

    def add_user(self, name: str, role: Role | str, password: str, *, actor: str) -> User:
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
            with self._write() as conn:
                conn.execute(
                    insert(users_table).values(
                        name=name,
                        role=r.value,
                        password_hash=hash_password(password),
                        created_at=now,
                        created_by=actor,
                    )
                )
                self._audit(conn, actor=actor, action="user.add", target=f"user {name}", at=now, role=r.value)
        except IntegrityError:
            raise InputError(f"a user called {name!r} already exists", where="name") from None
        return User(name=name, role=r, created_at=_ts(now))

    def get_user(self, name: str) -> User:
        """A user by name; :class:`NotFound` if there is none."""
        with self._read() as conn:
            row = conn.execute(select(users_table).where(users_table.c.name == name)).first()
        if row is None:
            raise NotFound(f"no user {name!r}")
        return User(name=row.name, role=Role(row.role), created_at=_ts(row.created_at))

    def list_users(self) -> list[User]:
        """Every user, by name (never their password hashes)."""
        with self._read() as conn:
            rows = conn.execute(select(users_table).order_by(users_table.c.name))
            return [User(name=r.name, role=Role(r.role), created_at=_ts(r.created_at)) for r in rows]

    def verify_user(self, name: str, password: str) -> User:
        """The user if the password matches; :class:`AuthError` (same message either way) otherwise."""
        with self._read() as conn:
            row = conn.execute(select(users_table).where(users_table.c.name == name)).first()
        if row is None or not verify_password(password, row.password_hash):
            raise AuthError("unknown user or wrong password")
        return User(name=row.name, role=Role(row.role), created_at=_ts(row.created_at))

    # ------------------------------------------------------------------ drafts (unsaved work that survives a reload)

    def save_draft(self, doc_id: str, author: str, base_revision: int, aset: AnnotationSet) -> Draft:
        """Keep ``aset`` as ``author``'s unsaved draft of ``doc_id`` (one per document and author; replaced)."""
        if aset.doc_id != doc_id or aset.author != author:
            raise InputError(f"the draft is for {aset.doc_id}/{aset.author}, not {doc_id}/{author}", where="draft")
        now = now_iso()
        content = canonical_json(aset.model_dump(mode="json"))
        with self._write() as conn:
            if conn.execute(select(documents_table.c.id).where(documents_table.c.id == doc_id)).first() is None:
                raise NotFound(f"no document {doc_id!r}")
            key = (drafts_table.c.doc_id == doc_id) & (drafts_table.c.author == author)
            values = {"base_revision": base_revision, "content": content, "saved_at": now}
            if conn.execute(update(drafts_table).where(key).values(**values)).rowcount == 0:
                conn.execute(insert(drafts_table).values(doc_id=doc_id, author=author, **values))
        return Draft(doc_id, author, base_revision, aset, _ts(now))

    def get_draft(self, doc_id: str, author: str) -> Draft | None:
        """``author``'s draft of ``doc_id``, or None."""
        with self._read() as conn:
            row = conn.execute(
                select(drafts_table).where((drafts_table.c.doc_id == doc_id) & (drafts_table.c.author == author))
            ).first()
        if row is None:
            return None
        aset = AnnotationSet.model_validate_json(row.content)
        return Draft(row.doc_id, row.author, row.base_revision, aset, _ts(row.saved_at))

    def discard_draft(self, doc_id: str, author: str) -> bool:
        """Drop ``author``'s draft of ``doc_id``; True if there was one."""
        with self._write() as conn:
            result = conn.execute(
                delete(drafts_table).where((drafts_table.c.doc_id == doc_id) & (drafts_table.c.author == author))
            )
        return bool(result.rowcount)

    # ------------------------------------------------------------------ assignments

    def assign(self, doc_ids: Iterable[str], annotators: Iterable[str], *, actor: str) -> int:
        """Give every document in ``doc_ids`` to every annotator in ``annotators``; return how many were new.

        Unknown documents raise :class:`NotFound` and nothing is assigned; existing assignments are kept.
        """
        docs, people = list(dict.fromkeys(doc_ids)), list(dict.fromkeys(annotators))
        now = now_iso()
        added = 0
        with self._write() as conn:
            known = {r[0] for r in conn.execute(select(documents_table.c.id).where(documents_table.c.id.in_(docs)))}
            missing = [d for d in docs if d not in known]
            if missing:
                raise NotFound(f"no document {', '.join(map(repr, missing[:5]))}", hint="see `annotate docs list`")
            have = {
                (r.doc_id, r.annotator)
                for r in conn.execute(select(assignments_table).where(assignments_table.c.doc_id.in_(docs)))
            }
            rows = [
                {"doc_id": d, "annotator": a, "assigned_by": actor, "assigned_at": now}
                for d in docs for a in people if (d, a) not in have
            ]
            if rows:
                conn.execute(insert(assignments_table), rows)
                added = len(rows)
                self._audit(conn, actor=actor, action="assign", target=f"{added} assignment(s)", at=now,
                            pairs=[[r["doc_id"], r["annotator"]] for r in rows])
        return added

    def unassign(self, doc_id: str, annotator: str, *, actor: str) -> bool:
        """Take ``doc_id`` away from ``annotator`` (their annotations stay); True if it was assigned."""
        now = now_iso()
        with self._write() as conn:
            result = conn.execute(
                delete(assignments_table).where(
                    (assignments_table.c.doc_id == doc_id) & (assignments_table.c.annotator == annotator)
                )
            )
            if result.rowcount:
                self._audit(conn, actor=actor, action="unassign", target=f"document {doc_id}", at=now,
                            annotator=annotator)
        return bool(result.rowcount)

    def list_assignments(self, doc_id: str | None = None, annotator: str | None = None) -> list[Assignment]:
        """Assignments ordered by document and annotator, optionally for one document or annotator."""
        q = select(assignments_table).order_by(assignments_table.c.doc_id, assignments_table.c.annotator)
        if doc_id is not None:
            q = q.where(assignments_table.c.doc_id == doc_id)
        if annotator is not None:
            q = q.where(assignments_table.c.annotator == annotator)
        with self._read() as conn:
            return [Assignment(r.doc_id, r.annotator, r.assigned_by, _ts(r.assigned_at)) for r in conn.execute(q)]

    # ------------------------------------------------------------------ ids in other systems, and settings

    def put_external_id(
        self, system: str, kind: str, local_id: str, external_id: str, data: dict[str, Any] | None = None,
        *, actor: str,
    ) -> ExternalId:
        """Record (or update) the id ``local_id`` has in ``system`` as a ``kind`` (e.g. labelstudio/task)."""
        now = now_iso()
        values = {"external_id": str(external_id), "data": canonical_json(data or {}), "updated_at": now}
        key = (
            (external_ids_table.c.system == system)
            & (external_ids_table.c.kind == kind)
            & (external_ids_table.c.local_id == local_id)
        )
        try:
            with self._write() as conn:
                if conn.execute(update(external_ids_table).where(key).values(**values)).rowcount == 0:
                    conn.execute(insert(external_ids_table).values(system=system, kind=kind, local_id=local_id,
                                                                   **values))
                self._audit(conn, actor=actor, action="external_id.put", target=f"{system} {kind} {local_id}",
                            at=now, external_id=str(external_id))
        except IntegrityError:
            raise InputError(
                f"{system} {kind} {external_id!r} is already mapped to another local id", where="external_id"
            ) from None
        return ExternalId(system, kind, local_id, str(external_id), data or {}, _ts(now))

    def delete_external_id(self, system: str, kind: str, local_id: str, *, actor: str) -> bool:
        """Forget the mapping of ``local_id`` in ``system`` (audited); False when there was none."""
        now = now_iso()
        with self._write() as conn:
            gone = conn.execute(delete(external_ids_table).where(
                (external_ids_table.c.system == system) & (external_ids_table.c.kind == kind)
                & (external_ids_table.c.local_id == local_id)
            )).rowcount
            if gone:
                self._audit(conn, actor=actor, action="external_id.delete", target=f"{system} {kind} {local_id}",
                            at=now)
        return bool(gone)

    @staticmethod
    def _external(row: Row[Any]) -> ExternalId:
        return ExternalId(row.system, row.kind, row.local_id, row.external_id, json.loads(row.data),
                          _ts(row.updated_at))

    def get_external_id(self, system: str, kind: str, local_id: str) -> ExternalId | None:
        """The mapping of ``local_id`` in ``system``, or None."""
        with self._read() as conn:
            row = conn.execute(select(external_ids_table).where(
                (external_ids_table.c.system == system) & (external_ids_table.c.kind == kind)
                & (external_ids_table.c.local_id == local_id)
            )).first()
        return None if row is None else self._external(row)

    def find_external(self, system: str, kind: str, external_id: str) -> ExternalId | None:
        """The mapping whose id in ``system`` is ``external_id``, or None."""
        with self._read() as conn:
            row = conn.execute(select(external_ids_table).where(
                (external_ids_table.c.system == system) & (external_ids_table.c.kind == kind)
                & (external_ids_table.c.external_id == str(external_id))
            )).first()
        return None if row is None else self._external(row)

    def list_external_ids(self, system: str, kind: str) -> list[ExternalId]:
        """Every mapping of ``kind`` in ``system``, ordered by local id."""
        with self._read() as conn:
            rows = conn.execute(select(external_ids_table).where(
                (external_ids_table.c.system == system) & (external_ids_table.c.kind == kind)
            ).order_by(external_ids_table.c.local_id))
            return [self._external(r) for r in rows]

    def get_meta(self, key: str) -> str | None:
        """A project setting or cursor kept in the store (e.g. the last Label Studio pull), or None."""
        with self._read() as conn:
            row = conn.execute(select(meta_table.c.value).where(meta_table.c.key == key)).first()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str, *, actor: str) -> None:
        """Set a project setting or cursor (audited)."""
        now = now_iso()
        with self._write() as conn:
            if conn.execute(update(meta_table).where(meta_table.c.key == key).values(value=value)).rowcount == 0:
                conn.execute(insert(meta_table).values(key=key, value=value))
            self._audit(conn, actor=actor, action="meta.set", target=key, at=now, value=value)

    # ------------------------------------------------------------------ whole-store access (dump/restore)

    def is_empty(self) -> bool:
        """True when no table but ``meta`` has a row."""
        with self._read() as conn:
            for t in ALL_TABLES:
                if t is meta_table:
                    continue
                if conn.execute(select(func.count()).select_from(t)).scalar_one():
                    return False
        return True

    def iter_rows(self, table: Table, order_by: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Every row of ``table`` as a dict, in the given column order (for dumps)."""
        with self._read() as conn:
            for row in conn.execute(select(table).order_by(*[table.c[c] for c in order_by])):
                yield dict(row._mapping)

    def insert_rows(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert raw rows (restore only: no validation, no audit)."""
        if rows:
            conn.execute(insert(table), rows)

    def fix_sequences(self, conn: Connection) -> None:
        """After inserting explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
        if self.dialect != "postgresql":
            return
        for t in (sets_table, conflicts_table, audit_table):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"
            )

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (restore uses it to load a dump all-or-nothing)."""
        with self._write() as conn:
            yield conn


_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """A salted scrypt hash: ``scrypt$n$r$p$salt$hash`` (hex)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)
