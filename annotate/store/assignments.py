"""Assignments: which documents are given to which annotators (their annotations never depend on it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select

from ..canonical import now_iso
from ..errors import NotFound
from .db import Database, ts
from .schema import assignments_table, documents_table


@dataclass(frozen=True)
class Assignment:
    """A document given to an annotator."""

    doc_id: str
    annotator: str
    assigned_by: str
    assigned_at: datetime


class Assignments:
    """``store.assignments``: add, delete and list document-annotator assignments (audited)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, doc_ids: Iterable[str], annotators: Iterable[str], *, actor: str) -> int:
        """Give every document in ``doc_ids`` to every annotator in ``annotators``; return how many were new.

        Unknown documents raise :class:`NotFound` and nothing is assigned; existing assignments are kept.
        """
        docs, people = list(dict.fromkeys(doc_ids)), list(dict.fromkeys(annotators))
        now = now_iso("microseconds")
        added = 0
        with self._db.write() as conn:
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
                self._db.audit(conn, actor=actor, action="assign", target=f"{added} assignment(s)", at=now,
                               pairs=[[r["doc_id"], r["annotator"]] for r in rows])
        return added

    def delete(self, doc_id: str, annotator: str, *, actor: str) -> bool:
        """Take ``doc_id`` away from ``annotator`` (their annotations stay); True if it was assigned."""
        now = now_iso("microseconds")
        with self._db.write() as conn:
            result = conn.execute(
                delete(assignments_table).where(
                    (assignments_table.c.doc_id == doc_id) & (assignments_table.c.annotator == annotator)
                )
            )
            if result.rowcount:
                self._db.audit(conn, actor=actor, action="unassign", target=f"document {doc_id}", at=now,
                               annotator=annotator)
        return bool(result.rowcount)

    def exist(self) -> bool:
        """Whether the project has any assignment at all (then annotators see only theirs)."""
        with self._db.read() as conn:
            return conn.execute(select(assignments_table.c.doc_id).limit(1)).first() is not None

    def has(self, doc_id: str, annotator: str) -> bool:
        """Whether ``doc_id`` is assigned to ``annotator``."""
        t = assignments_table
        with self._db.read() as conn:
            return conn.execute(
                select(t.c.doc_id).where((t.c.doc_id == doc_id) & (t.c.annotator == annotator))
            ).first() is not None

    # Last: a method named ``list`` would shadow the builtin in the annotations of the methods after it (mypy).
    def list(self, doc_id: str | None = None, annotator: str | None = None) -> list[Assignment]:
        """Assignments ordered by document and annotator, optionally for one document or annotator."""
        q = select(assignments_table).order_by(assignments_table.c.doc_id, assignments_table.c.annotator)
        if doc_id is not None:
            q = q.where(assignments_table.c.doc_id == doc_id)
        if annotator is not None:
            q = q.where(assignments_table.c.annotator == annotator)
        with self._db.read() as conn:
            return [Assignment(r.doc_id, r.annotator, r.assigned_by, ts(r.assigned_at)) for r in conn.execute(q)]
