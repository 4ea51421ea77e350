"""Test data builders shared by several test modules (the fixtures built from them are in conftest.py).

A Persian sentence with every annotation layer (:func:`sample_gold`), how to store it as gold (:func:`put_gold`) and
release it (:func:`release`); a one-entity set (:func:`person_set`) and a row count of every table
(:func:`snapshot`) for checking that a refused write left the store as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from annotate.errors import NotFound
from annotate.models import (
    GOLD_AUTHOR,
    AnnotationSet,
    DateLink,
    DateMention,
    Document,
    EntityMention,
    Event,
    EventArgument,
    Trigger,
)
from annotate.project import Project
from annotate.release.versions import create_release
from annotate.store import Store
from annotate.store.schema import ALL_TABLES

TEXT = "تهران - قاسم سلیمانی روز ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) در بغداد کشته شد.\u200cمی‌گویند"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def span(text: str, needle: str) -> dict[str, object]:
    """``{start, end, text}`` of the first occurrence of ``needle``."""
    i = text.index(needle)
    return {"start": i, "end": i + len(needle), "text": needle}


def sample_gold(doc: Document) -> AnnotationSet:
    """A gold set over :data:`TEXT` with every layer."""
    t = doc.text
    return AnnotationSet(
        doc_id=doc.id,
        author=GOLD_AUTHOR,
        author_kind="gold",
        entities=[
            EntityMention(id="e1", type="PER", **span(t, "قاسم سلیمانی")),  # type: ignore[arg-type]
            EntityMention(id="e2", type="GPE", **span(t, "بغداد")),  # type: ignore[arg-type]
        ],
        dates=[
            DateMention(id="d1", calendar="solar_hijri", lexicon="solar-IR", granularity="day",
                        gregorian_start="2020-01-30", gregorian_end="2020-01-30",
                        **span(t, "۱۰ بهمن ۱۳۹۸")),  # type: ignore[arg-type]
            DateMention(id="d2", calendar="gregorian", lexicon="fa-IR", granularity="day",
                        gregorian_start="2020-01-30", gregorian_end="2020-01-30",
                        **span(t, "30 ژانویه 2020")),  # type: ignore[arg-type]
        ],
        events=[
            Event(id="ev1", type="KILLING", trigger=Trigger(**span(t, "کشته")),  # type: ignore[arg-type]
                  arguments=[EventArgument(role="victim", ref="e1"), EventArgument(role="place", ref="e2"),
                             EventArgument(role="time", ref="d1")])
        ],
        links=[DateLink(id="l1", source="d1", target="d2")],
    )


def put_gold(store: Store, doc: Document, aset: AnnotationSet) -> None:
    """Store ``doc`` (if new) and save ``aset`` as its gold set, marked gold."""
    if not any(d.id == doc.id for d in store.documents.list()):
        store.documents.put([doc], actor="test")
    try:
        base = store.sets.get(doc.id, GOLD_AUTHOR).revision
    except NotFound:
        base = 0
    store.sets.save(aset.model_copy(update={"doc_id": doc.id}), base_revision=base, actor="test")
    store.sets.set_status(doc.id, GOLD_AUTHOR, "gold", actor="test")


def make_doc(doc_id: str, lang: str = "fa", text: str = TEXT) -> Document:
    """A document with :data:`TEXT`."""
    return Document.create(text, lang=lang, id=doc_id, reference_date="2020-02-02")


def release(project: Project, bump: str = "minor", message: str = "m") -> str:
    """Create a release and return its version."""
    info = create_release(project.path, project.store(), project.taxonomy(), bump=bump,  # type: ignore[arg-type]
                          message=message, actor="test", created_at=WHEN)
    return info.version


def snapshot(store: Store) -> dict[str, int]:
    """Row count of every table: equal before and after a rejected write."""
    with store.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in ALL_TABLES}


def person_set(doc: Document, author: str = "ali", **extra: Any) -> AnnotationSet:
    return AnnotationSet(
        doc_id=doc.id,
        author=author,
        entities=[EntityMention(id="e1", type="PER", **span(doc.text, "قاسم سلیمانی"))],  # type: ignore[arg-type]
        **extra,
    )
