"""Who may read and write comments, and what curators see of them: the rules around ``store.comments``.

* An annotator reads and writes the comments of their own annotation sets only (blind annotation); curators and
  admins read everyone's.
* Notes on marks and on the document are written by the set's annotator while the set is editable (they are
  steps of the undo history; see :mod:`annotate.annotation.workspace`); on the gold set, by curators (a note on
  an inconsistent link says why it stays in gold).  A flag asks a curator to look at the
  document; the annotator may raise or withdraw it at any time, a curator resolves it.
* A curator returns a submitted set with a note (:func:`annotate.annotation.workspace.return_to_annotator`); the
  annotator sees it until they submit again.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..auth import can_see_all_sets
from ..errors import AuthError, InputError
from ..models import Comment, CommentKind, CommentStatus
from ..store import Store, User
from ..text.bidi import quote
from .queue import heading

__all__ = [
    "FlaggedDocument",
    "comment_label",
    "find_comments",
    "flagged_documents",
    "readable_comments",
    "resolve",
    "resolve_flag",
]

VISIBLE = (CommentStatus.open, CommentStatus.resolved)
"""Statuses shown (a withdrawn comment was taken back by its writer)."""


def readable_comments(store: Store, user: User, doc_id: str, set_author: str) -> list[Comment]:
    """The visible comments on ``set_author``'s work on ``doc_id``, oldest first, if ``user`` may read them."""
    if set_author != user.name and not can_see_all_sets(user):
        raise AuthError(f"{user.name} may not read the comments on {set_author}'s annotations: annotation is blind")
    return store.comments.list(doc_id, set_author, statuses=VISIBLE)


def find_comments(
    store: Store, doc_id: str | None = None, set_author: str | None = None, *, flagged: bool = False,
    withdrawn: bool = False,
) -> list[Comment]:
    """Comments for the command line (no blind rule: it runs with the project's files): of a document and/or an
    annotator's set; ``flagged``: open flags only; ``withdrawn``: withdrawn ones too."""
    if flagged:
        return store.comments.list(doc_id, set_author, kinds=[CommentKind.flag], statuses=[CommentStatus.open])
    return store.comments.list(doc_id, set_author, statuses=None if withdrawn else VISIBLE)


def comment_label(c: Comment) -> str:
    """One line naming what a comment is about: ``note on DATE «...»``, ``note on the document``, ``flag``..."""
    if c.kind is CommentKind.flag:
        return "flag for curator"
    if c.kind is CommentKind.returned:
        return "return note"
    if c.target is None:
        return "note on the document"
    return f"note on {quote(c.target_text)}" if c.target_text else f"note on {c.target}"


@dataclass(frozen=True)
class FlaggedDocument:
    """An open flag with what a curator's list shows: the document's language and title."""

    comment: Comment
    lang: str
    title: str


def flagged_documents(store: Store, user: User) -> list[FlaggedDocument]:
    """Every open flag, oldest first, for curators and admins."""
    if not can_see_all_sets(user):
        raise AuthError("only curators and admins see the flagged documents")
    flags = store.comments.list(kinds=[CommentKind.flag], statuses=[CommentStatus.open])
    info = {d.id: d for d in store.documents.list_info(ids={f.doc_id for f in flags})} if flags else {}
    return [FlaggedDocument(f, info[f.doc_id].lang, info[f.doc_id].title or heading(info[f.doc_id].opening))
            for f in flags if f.doc_id in info]


def resolve_flag(store: Store, user: User, comment_id: int) -> Comment:
    """A curator marks a flag (or a return note) handled."""
    if not can_see_all_sets(user):
        raise AuthError("only curators and admins resolve flags", hint="withdraw your own flag instead")
    return resolve(store, comment_id, actor=user.name)


def resolve(store: Store, comment_id: int, *, actor: str) -> Comment:
    """Mark a flag or a return note handled (the command line's way; the app checks the role first)."""
    c = store.comments.get(comment_id)
    if c.kind is CommentKind.note:
        raise InputError(f"comment #{comment_id} is a note, not a flag", where="id")
    return store.comments.set_status(comment_id, CommentStatus.resolved, actor=actor)
