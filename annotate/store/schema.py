"""The store's tables: one SQLAlchemy Core schema for SQLite and PostgreSQL.

Only the resource modules of :mod:`annotate.store` (and tests that check what reached the database) use these
table objects; everything else goes through :class:`annotate.store.Store`.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

STORE_FORMAT = 3
"""Version of the table layout below; kept in the ``meta`` table and in dumps.

2: ``users.disabled_at``, and the ``sessions`` and ``sign_in_throttle`` tables (never dumped). 3: the
``comments`` table. A store of an earlier format is brought up to 3 when opened (a new table is simply
created); dumps of formats 1 and 2 restore (their users are enabled; they have no comments)."""

READABLE_FORMATS = (1, 2, 3)
"""Store formats whose dumps this version restores."""

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
    Column("disabled_at", String(40)),
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

comments_table = Table(
    "comments",
    metadata_obj,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(128), ForeignKey("documents.id"), nullable=False),
    Column("set_author", String(200), nullable=False),
    Column("target", String(128)),
    Column("target_text", Text),
    Column("kind", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40)),
    Column("updated_by", String(200)),
    Index("ix_comments_doc_author", "doc_id", "set_author"),
    Index("ix_comments_kind_status", "kind", "status"),
)

sessions_table = Table(
    "sessions",
    metadata_obj,
    Column("id", String(64), primary_key=True),  # sha256 of the token the browser holds; never the token
    Column("user_name", String(200), nullable=False, index=True),
    Column("client", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("last_seen_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("ended_at", String(40)),
    Column("ended_reason", String(40)),
)

sign_in_throttle_table = Table(
    "sign_in_throttle",
    metadata_obj,
    Column("key", String(300), primary_key=True),  # "account:NAME" or "client:ADDRESS"
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", String(40), nullable=False),
    Column("locked_until", String(40)),
)

EPHEMERAL_TABLES: tuple[Table, ...] = (sessions_table, sign_in_throttle_table)
"""Sign-in state: not part of a project's data, never dumped, empty in a restored store."""

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
    comments_table,
    audit_table,
)
"""Every table, parents before children (the order dumps and restores use)."""
