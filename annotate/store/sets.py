"""Annotation sets: every saved revision, the head of each set, its status, and the saves refused as conflicts.

Saves use optimistic concurrency: the head revision is compared and swapped in the same ``UPDATE``, so of two
saves from the same base exactly one wins and the other is kept as a conflict.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import Connection, Row, cast, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Select

from ..canonical import canonical_json, now_iso
from ..errors import ConflictError, InputError, InvalidAnnotation, NotFound
from ..models import AnnotationSet, AnnotationStatus, AuthorKind, validate_annotation_set
from ..taxonomy import Taxonomy
from .db import Database, ts
from .documents import doc_from_row
from .schema import conflicts_table, documents_table, revisions_table, sets_table


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


_PUT_ATTEMPTS = 10
"""How often :meth:`AnnotationSets.put` tries again after a concurrent save overtook it."""


class _Refused(Exception):
    """Raised inside a save transaction to roll it back and record a conflict.

    ``race`` is the unique-constraint error of a first save that lost a race with another first save (the head
    is then read afterwards); if no set turns out to exist, it was not a race and the error is raised.
    """

    def __init__(self, head: int, race: IntegrityError | None = None) -> None:
        self.head = head
        self.race = race


class AnnotationSets:
    """``store.sets``: save annotation sets as revisions (``put`` for engines), read heads and history, change
    status, read conflicts."""

    def __init__(self, db: Database, taxonomy: Taxonomy) -> None:
        self._db = db
        self._taxonomy = taxonomy

    def save(self, aset: AnnotationSet, *, base_revision: int, actor: str) -> AnnotationSet:
        """Validate and save ``aset`` as revision ``base_revision + 1``; return the stored set.

        ``base_revision`` is the revision the editor started from (0 for a new set). If another save got there
        first, nothing is written to the set: the content is kept as a conflict and :class:`ConflictError`
        says which. Invalid sets raise :class:`InvalidAnnotation` and leave the store unchanged.
        """
        if base_revision < 0:
            raise InputError(f"base_revision must be 0 or more, not {base_revision}", where="save")
        if "\x00" in aset.author:
            raise InputError("the author name contains a NUL character (U+0000)", where="author")
        now = now_iso("microseconds")
        content = canonical_json(aset.content())
        try:
            with self._db.write() as conn:
                drow = conn.execute(
                    select(documents_table).where(documents_table.c.id == aset.doc_id).with_for_update(read=True)
                ).first()
                if drow is None:
                    raise NotFound(f"no document {aset.doc_id!r} to annotate")
                doc = doc_from_row(drow)
                if aset.text_sha256 is not None and aset.text_sha256 != doc.text_sha256:
                    raise InvalidAnnotation(
                        [
                            f"text_sha256: the set was made on another text of the document "
                            f"({aset.text_sha256[:12]}…, current {doc.text_sha256[:12]}…); "
                            "re-anchor it on the current text"
                        ],
                        where=f"document {doc.id}, author {aset.author}",
                    )
                validate_annotation_set(aset, doc, self._taxonomy)
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
                    try:
                        set_id = conn.execute(
                            insert(sets_table).values(doc_id=aset.doc_id, author=aset.author, created_at=now, **values)
                        ).inserted_primary_key[0]  # type: ignore[index]
                    except IntegrityError as exc:
                        # Two first saves raced past the SELECT; the unique (doc_id, author) constraint picked the
                        # winner. Only this statement can lose that race; any other IntegrityError is a failure.
                        raise _Refused(0, race=exc) from exc
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
                self._db.audit(
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
            self._refuse(aset, base_revision=base_revision, actor=actor, head=refused.head, race=refused.race)
        return aset.model_copy(
            update={
                "revision": revision,
                "text_sha256": doc.text_sha256,
                "created_at": ts(created_at),
                "updated_at": ts(now),
            }
        )

    def put(self, aset: AnnotationSet, *, actor: str) -> tuple[AnnotationSet, bool]:
        """Make ``aset`` the head of its set, whatever the head is: ``(stored, changed)``.

        For the pre-annotation engines, whose sets nobody edits: a new revision only when the content changed
        (re-running an engine that finds the same adds nothing), based on the current head, so a concurrent
        run costs a retry, not a conflict.
        """
        for attempt in range(_PUT_ATTEMPTS):
            try:
                current = self.get(aset.doc_id, aset.author)
            except NotFound:
                current = None
            if current is not None and current.content() == aset.content():
                return current, False
            try:
                return self.save(aset, base_revision=current.revision if current else 0, actor=actor), True
            except ConflictError:
                if attempt + 1 == _PUT_ATTEMPTS:
                    raise
                time.sleep(0.01 * (attempt + 1))  # another run saved first: compare against its revision
        raise AssertionError("unreachable")  # pragma: no cover

    def _refuse(
        self, aset: AnnotationSet, *, base_revision: int, actor: str, head: int, race: IntegrityError | None = None
    ) -> NoReturn:
        now = now_iso("microseconds")
        with self._db.write() as conn:
            current = conn.execute(
                select(sets_table.c.head_revision).where(
                    sets_table.c.doc_id == aset.doc_id, sets_table.c.author == aset.author
                )
            ).scalar()
            if current is None and race is not None:
                raise race
            head_now = int(current) if current is not None else head
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
            self._db.audit(
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

    def get(self, doc_id: str, author: str, revision: int | None = None) -> AnnotationSet:
        """An annotation set at its head revision, or at ``revision``; :class:`NotFound` if absent."""
        with self._db.read() as conn:
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

    def list_info(self, doc_id: str | None = None, *, stale: bool | None = None) -> list[SetInfo]:
        """Head state of the annotation sets (e.g. ``stale=True``: those made on a replaced text)."""
        q = select(sets_table).order_by(sets_table.c.doc_id, sets_table.c.author)
        if doc_id is not None:
            q = q.where(sets_table.c.doc_id == doc_id)
        if stale is not None:
            q = q.where(sets_table.c.stale == stale)
        with self._db.read() as conn:
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
            "created_at": ts(r.created_at),
            "updated_at": ts(r.updated_at),
        }

    def _layer_size(self, layer: str) -> ColumnElement[int]:
        """SQL for the length of one layer's list in a revision's JSON content (SQLite JSON1 or PostgreSQL)."""
        content = revisions_table.c.content
        if self._db.dialect == "postgresql":
            size = func.json_array_length(cast(content, postgresql.JSON)[layer])
        else:
            size = func.json_array_length(content, f"$.{layer}")
        return func.coalesce(size, 0)

    def list_summaries(self, doc_id: str | None = None, author: str | None = None) -> list[SetSummary]:
        """Head state and layer sizes of the annotation sets, ordered by document and author.

        What a queue of thousands of documents needs: the database counts the marks of each head revision, so
        no set is parsed or validated here (loading every set of a 10,000-document project takes seconds).
        """
        sizes = [self._layer_size(name).label(f"n_{name}") for name in ("entities", "dates", "events", "links")]
        with self._db.read() as conn:
            rows = conn.execute(_heads(doc_id, author, *sizes)).all()
        return [
            SetSummary(**self._set_info(r), entities=int(r.n_entities), dates=int(r.n_dates), events=int(r.n_events),
                       links=int(r.n_links))
            for r in rows
        ]

    def list_revisions(self, doc_id: str, author: str) -> list[RevisionInfo]:
        """Every saved revision of one annotation set, oldest first."""
        with self._db.read() as conn:
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
                saved_at=ts(r.saved_at),
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
        now = now_iso("microseconds")
        with self._db.write() as conn:
            srow = self._set_row(conn, doc_id, author)
            conn.execute(update(sets_table).where(sets_table.c.id == srow.id).values(status=new.value))
            self._db.audit(
                conn,
                actor=actor,
                action="annotation.status",
                target=f"document {doc_id}, author {author}",
                at=now,
                old=srow.status,
                new=new.value,
            )
        return self.get(doc_id, author)

    @staticmethod
    def _conflict(row: Row[Any]) -> Conflict:
        return Conflict(
            id=row.id,
            doc_id=row.doc_id,
            author=row.author,
            base_revision=row.base_revision,
            head_revision=row.head_revision,
            actor=row.actor,
            created_at=ts(row.created_at),
            annotation_set=AnnotationSet.model_validate_json(row.content),
        )

    def get_conflict(self, conflict_id: int) -> Conflict:
        """A refused save by id, with the content that was refused."""
        with self._db.read() as conn:
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
        with self._db.read() as conn:
            return [self._conflict(r) for r in conn.execute(q)]

    # Last: a method named ``list`` would shadow the builtin in the annotations of the methods after it (mypy).
    def list(self, doc_id: str | None = None, author: str | None = None) -> list[AnnotationSet]:
        """Head revisions of the annotation sets, ordered by document and author."""
        with self._db.read() as conn:
            return [self._aset(r, r, head=True) for r in conn.execute(_heads(doc_id, author, revisions_table))]
