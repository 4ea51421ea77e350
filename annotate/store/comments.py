"""Comments: notes on marks and documents, flags for curators and curators' return notes (never deleted).

A comment belongs to one annotator's work on one document (``doc_id`` + ``set_author``); blind annotation decides
who may read it, in :mod:`annotate.annotation.comments`.  Adding one and changing its status are audited; its text
never changes (a changed note is a new comment and the old one withdrawn).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, insert, select, update

from ..canonical import now_iso
from ..errors import InputError, NotFound
from ..models import Comment, CommentKind, CommentStatus, parse_model
from .db import Database
from .schema import comments_table, documents_table


def _comment(row: Row[Any]) -> Comment:
    return Comment.model_validate({k: v for k, v in row._mapping.items() if v is not None})


class Comments:
    """``store.comments``: add a comment, change its status, read them back by document, author, kind or status."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, comment: Comment, *, actor: str) -> Comment:
        """Store ``comment`` (its ``id``, times and status are set here: open, now) and return it as stored."""
        checked = parse_model(Comment, comment.model_dump(), where="comment")
        now = now_iso("microseconds")
        values = checked.model_dump(mode="json", exclude={"id", "created_at", "updated_at", "updated_by", "status"})
        with self._db.write() as conn:
            if conn.execute(select(documents_table.c.id).where(documents_table.c.id == checked.doc_id)).first() is None:
                raise NotFound(f"no document {checked.doc_id!r} to comment on")
            new_id = conn.execute(
                insert(comments_table).values(**values, status=CommentStatus.open.value, created_at=now)
            ).inserted_primary_key[0]  # type: ignore[index]
            self._db.audit(conn, actor=actor, action="comment.add", target=f"document {checked.doc_id}, author "
                           f"{checked.set_author}", at=now, comment_id=new_id, kind=checked.kind.value,
                           item=checked.target)
        return self.get(int(new_id))

    def set_status(self, comment_id: int, status: CommentStatus | str, *, actor: str) -> Comment:
        """Resolve, withdraw or reopen a comment (audited); :class:`NotFound` for an unknown id."""
        try:
            new = CommentStatus(status)
        except ValueError:
            raise InputError(
                f"unknown comment status {status!r}; use one of {', '.join(s.value for s in CommentStatus)}",
                where="status",
            ) from None
        now = now_iso("microseconds")
        with self._db.write() as conn:
            old = conn.execute(select(comments_table.c.status).where(comments_table.c.id == comment_id)).scalar()
            if old is None:
                raise NotFound(f"no comment #{comment_id}")
            conn.execute(update(comments_table).where(comments_table.c.id == comment_id)
                         .values(status=new.value, updated_at=now, updated_by=actor))
            self._db.audit(conn, actor=actor, action="comment.status", target=f"comment {comment_id}", at=now,
                           old=old, new=new.value)
        return self.get(comment_id)

    def get(self, comment_id: int) -> Comment:
        """One comment by id; :class:`NotFound` if there is none."""
        with self._db.read() as conn:
            row = conn.execute(select(comments_table).where(comments_table.c.id == comment_id)).first()
        if row is None:
            raise NotFound(f"no comment #{comment_id}")
        return _comment(row)

    # Last: a method named ``list`` would shadow the builtin in the annotations of the methods after it (mypy).
    def list(
        self,
        doc_id: str | None = None,
        set_author: str | None = None,
        *,
        kinds: Iterable[CommentKind | str] | None = None,
        statuses: Iterable[CommentStatus | str] | None = None,
    ) -> list[Comment]:
        """Comments oldest first, of one document and/or annotator's set, of some kinds and statuses."""
        c = comments_table.c
        q = select(comments_table).order_by(c.id)
        if doc_id is not None:
            q = q.where(c.doc_id == doc_id)
        if set_author is not None:
            q = q.where(c.set_author == set_author)
        if kinds is not None:
            q = q.where(c.kind.in_([CommentKind(k).value for k in kinds]))
        if statuses is not None:
            q = q.where(c.status.in_([CommentStatus(s).value for s in statuses]))
        with self._db.read() as conn:
            return [_comment(r) for r in conn.execute(q)]
