"""What the suggesters learn from: the project's finished annotation sets and its annotators' decisions.

* Training sets: a document's gold set (author ``gold``, status ``gold``) when it has one, else every human set
  submitted on it. Sets made on an earlier text of the document are left out (their offsets point elsewhere).
* Decisions: every human set (except withdrawn ones) and every gold set records which suggestions its author
  accepted and rejected (:func:`annotate.suggest.sets.decisions`); the string matcher counts them per form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import AnnotationSet, AnnotationStatus, AuthorKind, Document
from ..store import Store
from .matcher import Example

__all__ = ["ProjectSets", "learnable"]


def learnable(aset: AnnotationSet, document: Document) -> bool:
    """Whether ``aset`` is finished work on the current text of ``document``: gold, or a human's submitted set."""
    if not _current(aset, document):
        return False
    if aset.author_kind is AuthorKind.gold:
        return aset.status is AnnotationStatus.gold
    return aset.author_kind is AuthorKind.human and aset.status is AnnotationStatus.submitted


def _current(aset: AnnotationSet, document: Document) -> bool:
    return aset.text_sha256 is None or aset.text_sha256 == document.text_sha256


@dataclass(frozen=True)
class ProjectSets:
    """Every document of a project and the head of every annotation set, read once."""

    documents: dict[str, Document]
    sets: list[AnnotationSet]

    @classmethod
    def read(cls, store: Store) -> ProjectSets:
        """Read the project's documents and sets from ``store``."""
        return cls({d.id: d for d in store.documents.list()}, store.sets.list())

    def examples(self, *, exclude: Iterable[str] = ()) -> list[Example]:
        """The training sets (see the module docstring), documents in ``exclude`` left out."""
        skip = set(exclude)
        by_doc: dict[str, list[AnnotationSet]] = {}
        for aset in self.sets:
            doc = self.documents.get(aset.doc_id)
            if doc is not None and aset.doc_id not in skip and learnable(aset, doc):
                by_doc.setdefault(aset.doc_id, []).append(aset)
        out: list[Example] = []
        for doc_id in sorted(by_doc):
            sets = by_doc[doc_id]
            gold = [s for s in sets if s.author_kind is AuthorKind.gold]
            out += [Example(self.documents[doc_id], s) for s in (gold or sets)]
        return out

    def feedback(self) -> list[tuple[Document, AnnotationSet]]:
        """Every set whose author decided about suggestions: the humans' (not withdrawn) and the gold sets."""
        out = []
        for aset in self.sets:
            doc = self.documents.get(aset.doc_id)
            if (doc is not None and aset.author_kind is not AuthorKind.engine
                    and aset.status is not AnnotationStatus.withdrawn and _current(aset, doc)):
                out.append((doc, aset))
        return out
