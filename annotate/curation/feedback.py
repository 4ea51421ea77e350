"""What annotators said about their work and what a curator sends back, as the adjudication page shows it.

Flags, notes and return notes live in ``store.comments``; who may read and write them is
:mod:`annotate.annotation.comments` and :mod:`annotate.annotation.workspace`.  This module gathers them for a
curator deciding a document: the open flags on documents waiting for adjudication, every annotator's comments on
one document, whose sets can be returned, and the return itself (a curator's act, checked here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..annotation.comments import flagged_documents, readable_comments
from ..annotation.workspace import return_set
from ..errors import AuthError, InputError
from ..models import AnnotationSet, AnnotationStatus, Comment, CommentKind, CommentStatus
from ..store import Store, User
from .gold_sets import CURATOR_ROLES

__all__ = ["Feedback", "document_feedback", "flags_by_document", "return_with_note"]


@dataclass(frozen=True)
class Feedback:
    """One document as its annotators left it for the curator: their comments and which sets can be returned."""

    doc_id: str
    comments: dict[str, list[Comment]]
    """Annotator -> their visible comments on this document (notes, flags, return notes), oldest first."""
    submitted: tuple[str, ...]
    """Annotators whose set is submitted: a curator may return it with a note."""

    @property
    def open_flags(self) -> list[Comment]:
        """The flags no curator has resolved yet, oldest first."""
        flags = [c for cs in self.comments.values() for c in cs
                 if c.kind is CommentKind.flag and c.status is CommentStatus.open]
        return sorted(flags, key=lambda c: c.id)

    @property
    def count(self) -> int:
        """How many comments there are in all."""
        return sum(len(cs) for cs in self.comments.values())


def _require_curator(user: User, what: str) -> None:
    if str(user.role) not in CURATOR_ROLES:
        raise AuthError(f"{user.name} ({user.role}) may not {what}", hint="this is for curators and admins")


def document_feedback(store: Store, user: User, doc_id: str, annotators: Sequence[str]) -> Feedback:
    """Every annotator's comments on ``doc_id`` (withdrawn ones left out) and whose sets are submitted."""
    _require_curator(user, "read every annotator's comments")
    comments = {name: readable_comments(store, user, doc_id, name) for name in annotators}
    submitted = tuple(name for name in annotators
                      if store.sets.get(doc_id, name).status is AnnotationStatus.submitted)
    return Feedback(doc_id, comments, submitted)


def flags_by_document(store: Store, user: User, doc_ids: Sequence[str] | None = None) -> dict[str, list[Comment]]:
    """Open flags by document, oldest first (only those of ``doc_ids`` when given)."""
    wanted = set(doc_ids) if doc_ids is not None else None
    out: dict[str, list[Comment]] = {}
    for f in flagged_documents(store, user):
        if wanted is None or f.comment.doc_id in wanted:
            out.setdefault(f.comment.doc_id, []).append(f.comment)
    return out


def return_with_note(
    store: Store, user: User, doc_id: str, annotator: str, note: str
) -> tuple[AnnotationSet, Comment]:
    """A curator gives ``annotator``'s submitted set of ``doc_id`` back with ``note`` (a new revision in progress;
    the note is shown to the annotator until they submit again)."""
    _require_curator(user, "return an annotator's set")
    if annotator == user.name:
        raise InputError("a curator returns other people's sets, not their own", where="annotator")
    return return_set(store, doc_id, annotator, note, actor=user.name)
