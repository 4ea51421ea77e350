"""Pre-annotation: run the date engine over stored documents and keep its output as its own annotation set.

The engine's set (author :data:`ENGINE_AUTHOR`, kind ``engine``) is never mixed into a human's set: annotators
accept or reject its suggestions in the app, which copies them into their own set. Re-running replaces only the
engine's set, and only when its output changed (a new revision; earlier ones stay in the store).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..dates import ENGINE_VERSION, extract_dates
from ..models import ENGINE_AUTHOR, AnnotationSet, AnnotationStatus, AuthorKind, Document
from ..store import Store

__all__ = ["ENGINE_AUTHOR", "PrelabelResult", "engine_annotations", "prelabel"]


@dataclass(frozen=True)
class PrelabelResult:
    """What pre-labelling did to one document."""

    doc_id: str
    dates: int
    links: int
    inconsistent_links: int
    revision: int
    changed: bool


def engine_annotations(document: Document) -> AnnotationSet:
    """The date engine's annotation set for ``document`` (not stored)."""
    found = extract_dates(document.text, document.lang, document.reference_date)
    return AnnotationSet(
        doc_id=document.id,
        author=ENGINE_AUTHOR,
        author_kind=AuthorKind.engine,
        status=AnnotationStatus.submitted,
        dates=list(found.mentions),
        links=list(found.links),
        metadata={"engine_version": ENGINE_VERSION},
    )


def prelabel(store: Store, doc_ids: Sequence[str] | None = None, *, actor: str) -> Iterable[PrelabelResult]:
    """Pre-label ``doc_ids`` (all documents when None), yielding one result per document as it is saved."""
    documents = [store.documents.get(i) for i in doc_ids] if doc_ids else store.documents.list()
    for document in documents:
        saved, changed = store.sets.put(engine_annotations(document), actor=actor)
        yield PrelabelResult(
            doc_id=document.id,
            dates=len(saved.dates),
            links=len(saved.links),
            inconsistent_links=sum(1 for link in saved.links if not link.consistent),
            revision=saved.revision,
            changed=changed,
        )
