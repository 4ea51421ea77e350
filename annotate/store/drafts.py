"""Drafts: an editor's unsaved work, kept so that it survives a reload (one per document and author)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from ..canonical import canonical_json, now_iso
from ..errors import InputError, NotFound
from ..models import AnnotationSet
from .db import Database, ts
from .schema import documents_table, drafts_table


@dataclass(frozen=True)
class Draft:
    """Unsaved work of an editor: the set as edited, and the revision the edit started from."""

    doc_id: str
    author: str
    base_revision: int
    aset: AnnotationSet
    saved_at: datetime


class Drafts:
    """``store.drafts``: put, find and delete an author's draft of a document (not audited: nothing is saved yet)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, doc_id: str, author: str, base_revision: int, aset: AnnotationSet) -> Draft:
        """Keep ``aset`` as ``author``'s unsaved draft of ``doc_id`` (one per document and author; replaced)."""
        if aset.doc_id != doc_id or aset.author != author:
            raise InputError(f"the draft is for {aset.doc_id}/{aset.author}, not {doc_id}/{author}", where="draft")
        now = now_iso("microseconds")
        content = canonical_json(aset.model_dump(mode="json"))
        with self._db.write() as conn:
            if conn.execute(select(documents_table.c.id).where(documents_table.c.id == doc_id)).first() is None:
                raise NotFound(f"no document {doc_id!r}")
            key = (drafts_table.c.doc_id == doc_id) & (drafts_table.c.author == author)
            values = {"base_revision": base_revision, "content": content, "saved_at": now}
            if conn.execute(update(drafts_table).where(key).values(**values)).rowcount == 0:
                conn.execute(insert(drafts_table).values(doc_id=doc_id, author=author, **values))
        return Draft(doc_id, author, base_revision, aset, ts(now))

    def find(self, doc_id: str, author: str) -> Draft | None:
        """``author``'s draft of ``doc_id``, or None."""
        with self._db.read() as conn:
            row = conn.execute(
                select(drafts_table).where((drafts_table.c.doc_id == doc_id) & (drafts_table.c.author == author))
            ).first()
        if row is None:
            return None
        aset = AnnotationSet.model_validate_json(row.content)
        return Draft(row.doc_id, row.author, row.base_revision, aset, ts(row.saved_at))

    def delete(self, doc_id: str, author: str) -> bool:
        """Drop ``author``'s draft of ``doc_id``; True if there was one."""
        with self._db.write() as conn:
            result = conn.execute(
                delete(drafts_table).where((drafts_table.c.doc_id == doc_id) & (drafts_table.c.author == author))
            )
        return bool(result.rowcount)
