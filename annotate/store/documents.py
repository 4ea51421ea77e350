"""Documents: their current texts, earlier texts kept when a re-import replaced them, and lists without texts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Row, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from ..canonical import canonical_json, now_iso
from ..errors import NotFound
from ..models import Document
from ..text.view import variants
from .db import Database, ts
from .schema import document_versions_table, documents_table, sets_table


@dataclass(frozen=True)
class PutOutcome:
    """What :meth:`Documents.put` did with one document."""

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
class DocumentInfo:
    """What lists of documents show, without the text: its length in code points instead."""

    id: str
    lang: str
    title: str | None
    publisher: str | None
    reference_date: date | None
    chars: int
    opening: str = ""
    """The first :data:`OPENING_CHARS` characters of the text (a title for documents imported without one)."""


OPENING_CHARS = 200
"""How much of each text :meth:`Documents.list_info` returns."""
_GLOB_SPECIAL = frozenset("*?[")
_REGEX_SPECIAL = frozenset("\\.^$|?*+()[]{}")


def _pattern_class(ch: str, dialect: str) -> str:
    """``ch`` and the characters the matching view folds with it, as one GLOB (SQLite) or regex (PostgreSQL) item."""
    group = variants(ch)
    if len(group) > 1:
        return f"[{group}]"  # letters, digits and spaces only: nothing to escape inside the class
    if dialect == "postgresql":
        return "\\" + ch if ch in _REGEX_SPECIAL else ch
    return f"[{ch}]" if ch in _GLOB_SPECIAL else ch


def doc_from_row(row: Row[Any]) -> Document:
    """The :class:`Document` a ``documents`` row holds."""
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


class Documents:
    """``store.documents``: import (idempotent, or replacing with history), look up, list and count documents."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, docs: Iterable[Document], *, replace: bool = False, actor: str) -> list[PutOutcome]:
        """Store documents, each in its own transaction, and say what happened to each.

        A new id is ``added``; the same text under a stored id is ``unchanged`` (idempotent re-import);
        a different text under a stored id is ``refused`` unless ``replace``, which keeps the old text as
        an earlier version, makes the new one current (``replaced``) and flags the annotation sets made on
        the old text as stale.
        """
        out = []
        for doc in docs:
            try:
                out.append(self._put_one(doc, replace=replace, actor=actor))
            except IntegrityError:
                # Another writer added the same id between our SELECT and INSERT; look again.
                out.append(self._put_one(doc, replace=replace, actor=actor))
        return out

    def _put_one(self, doc: Document, *, replace: bool, actor: str) -> PutOutcome:
        if _has_nul(doc):
            return PutOutcome(doc.id, "refused", 0, "the document contains a NUL character (U+0000)")
        now = now_iso("microseconds")
        with self._db.write() as conn:
            head = conn.execute(select(documents_table).where(documents_table.c.id == doc.id).with_for_update()).first()
            if head is None:
                conn.execute(
                    insert(documents_table).values(
                        id=doc.id, version=1, imported_at=now, imported_by=actor, **_doc_values(doc)
                    )
                )
                self._db.audit(
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
            old = doc_from_row(head)
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
                .values(version=version, imported_at=now, imported_by=actor, **_doc_values(doc))
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
            self._db.audit(
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

    def get(self, doc_id: str) -> Document:
        """The current version of a document; :class:`NotFound` if there is none."""
        with self._db.read() as conn:
            row = conn.execute(select(documents_table).where(documents_table.c.id == doc_id)).first()
        if row is None:
            raise NotFound(f"no document {doc_id!r}", hint="list the documents with `annotate docs list`")
        return doc_from_row(row)

    def version(self, doc_id: str) -> int:
        """The current version number of a document (1 until it is replaced)."""
        with self._db.read() as conn:
            v = conn.execute(select(documents_table.c.version).where(documents_table.c.id == doc_id)).scalar()
        if v is None:
            raise NotFound(f"no document {doc_id!r}")
        return int(v)

    def find_by_hash(self, text_sha256: str) -> Document | None:
        """A document whose current text has this hash, or None."""
        with self._db.read() as conn:
            row = conn.execute(
                select(documents_table)
                .where(documents_table.c.text_sha256 == text_sha256)
                .order_by(documents_table.c.id)
                .limit(1)
            ).first()
        return None if row is None else doc_from_row(row)

    def list_info(
        self, lang: str | None = None, *, search: str | None = None, ids: Iterable[str] | None = None
    ) -> list[DocumentInfo]:
        """Current documents ordered by id (of one language, if given), without their texts: their length and
        opening instead.

        ``search`` keeps the documents where every word of it occurs in the title, the publisher or the text,
        letters compared as the matching view folds them (``ي``/``ی``, ``ك``/``ک``, Persian/Arabic/ASCII digits,
        Latin case, space/ZWNJ).  The database does the matching (SQLite ``GLOB``, PostgreSQL ``~``): no text is
        read into Python.  ``ids`` keeps those documents only.
        """
        d = documents_table.c
        q = select(d.id, d.lang, d.title, d.publisher, d.reference_date, func.length(d.text).label("chars"),
                   func.substr(d.text, 1, OPENING_CHARS).label("opening"))
        q = q.order_by(d.id)
        if lang is not None:
            q = q.where(d.lang == lang)
        if ids is not None:
            q = q.where(d.id.in_(list(ids)))
        for term in (search or "").split():
            q = q.where(or_(*(self._matches(col, term) for col in (d.title, d.publisher, d.text))))
        with self._db.read() as conn:
            rows = conn.execute(q).all()
        return [
            DocumentInfo(r.id, r.lang, r.title, r.publisher,
                         date.fromisoformat(r.reference_date) if r.reference_date else None, int(r.chars),
                         r.opening or "")
            for r in rows
        ]

    def _matches(self, column: Any, term: str) -> ColumnElement[bool]:
        items = "".join(_pattern_class(ch, self._db.dialect) for ch in term)
        if self._db.dialect == "postgresql":
            return column.op("~")(items)  # type: ignore[no-any-return]
        return column.op("GLOB")(f"*{items}*")  # type: ignore[no-any-return]

    def languages(self) -> list[str]:
        """The languages of the current documents, sorted."""
        with self._db.read() as conn:
            return sorted(r[0] for r in conn.execute(select(documents_table.c.lang).distinct()))

    def count(self, lang: str | None = None) -> int:
        """How many documents there are (of one language, if given)."""
        q = select(func.count()).select_from(documents_table)
        if lang is not None:
            q = q.where(documents_table.c.lang == lang)
        with self._db.read() as conn:
            return int(conn.execute(q).scalar_one())

    def history(self, doc_id: str) -> list[DocumentVersion]:
        """Earlier texts of a document, oldest first (empty if it was never replaced)."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(document_versions_table)
                .where(document_versions_table.c.doc_id == doc_id)
                .order_by(document_versions_table.c.version)
            ).all()
        return [
            DocumentVersion(
                document=Document.model_validate_json(r.document),
                version=r.version,
                imported_at=ts(r.imported_at),
                replaced_at=ts(r.replaced_at),
                replaced_by=r.replaced_by,
            )
            for r in rows
        ]

    # Last: a method named ``list`` would shadow the builtin in the annotations of the methods after it (mypy).
    def list(self, lang: str | None = None, *, limit: int | None = None, offset: int = 0) -> list[Document]:
        """Current documents ordered by id, optionally of one language, paged with ``limit``/``offset``."""
        q = select(documents_table).order_by(documents_table.c.id).offset(offset)
        if lang is not None:
            q = q.where(documents_table.c.lang == lang)
        if limit is not None:
            q = q.limit(limit)
        with self._db.read() as conn:
            return [doc_from_row(r) for r in conn.execute(q)]
