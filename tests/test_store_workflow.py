"""Drafts, assignments, ids in other systems and settings: the store parts the app, curation and sync build on."""

from __future__ import annotations

import pytest

from annotate.errors import InputError, NotFound
from annotate.models import AnnotationSet, Document, EntityMention
from annotate.store import Store


def _set(doc: Document, author: str, word: str = "سلیمانی") -> AnnotationSet:
    start = doc.text.index(word)
    return AnnotationSet(
        doc_id=doc.id, author=author,
        entities=[EntityMention(id="e1", start=start, end=start + len(word), text=word, type="PER")],
    )


def test_draft_is_kept_replaced_and_discarded(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    assert store.drafts.find(doc.id, "sara") is None
    store.drafts.put(doc.id, "sara", 0, AnnotationSet(doc_id=doc.id, author="sara"))
    saved = store.drafts.put(doc.id, "sara", 2, _set(doc, "sara"))
    got = store.drafts.find(doc.id, "sara")
    assert got == saved and got.base_revision == 2 and got.aset.entities[0].text == "سلیمانی"
    assert store.drafts.find(doc.id, "omid") is None  # drafts are per author
    assert store.drafts.delete(doc.id, "sara") and store.drafts.find(doc.id, "sara") is None
    assert not store.drafts.delete(doc.id, "sara")


@pytest.mark.parametrize(
    ("doc_id", "author", "error", "message"),
    [
        ("doc-fa-1", "omid", InputError, "the draft is for doc-fa-1/sara, not doc-fa-1/omid"),
        ("nope", "sara", InputError, "not nope/sara"),
    ],
)
def test_draft_must_match_its_key(
    store: Store, doc: Document, doc_id: str, author: str, error: type[Exception], message: str
) -> None:
    store.documents.put([doc], actor="t")
    with pytest.raises(error, match=message):
        store.drafts.put(doc_id, author, 0, AnnotationSet(doc_id=doc.id, author="sara"))


def test_assignments_are_idempotent_and_refuse_unknown_documents(store: Store, doc: Document) -> None:
    other = Document.create("متن دوم", lang="fa")
    store.documents.put([doc, other], actor="t")
    assert store.assignments.add([doc.id, other.id], ["sara", "omid"], actor="cur") == 4
    assert store.assignments.add([doc.id], ["sara"], actor="cur") == 0
    assert [(a.doc_id, a.annotator) for a in store.assignments.list(annotator="sara")] == sorted(
        [(doc.id, "sara"), (other.id, "sara")]
    )
    before = store.assignments.list()
    with pytest.raises(NotFound, match="no document 'missing'"):
        store.assignments.add([doc.id, "missing"], ["ali"], actor="cur")
    assert store.assignments.list() == before  # nothing assigned half-way
    assert store.assignments.delete(doc.id, "sara", actor="cur")
    assert not store.assignments.delete(doc.id, "sara", actor="cur")
    assert [a.annotator for a in store.assignments.list(doc_id=doc.id)] == ["omid"]
    assert any(e.action == "assign" for e in store.audit.list())


def test_external_ids_map_both_ways_and_stay_unique(store: Store, doc: Document) -> None:
    store.external_ids.put("labelstudio", "task", doc.id, "41", {"updated": "a"}, actor="sync")
    store.external_ids.put("labelstudio", "task", doc.id, "41", {"updated": "b"}, actor="sync")
    got = store.external_ids.find("labelstudio", "task", doc.id)
    assert got is not None and got.external_id == "41" and got.data == {"updated": "b"}
    assert store.external_ids.find_by_external("labelstudio", "task", "41") == got
    assert store.external_ids.find_by_external("labelstudio", "project", "41") is None
    with pytest.raises(InputError, match="already mapped"):
        store.external_ids.put("labelstudio", "task", "doc-other", "41", actor="sync")
    assert [e.local_id for e in store.external_ids.list("labelstudio", "task")] == [doc.id]


def test_meta_settings(store: Store) -> None:
    assert store.meta.find("labelstudio.cursor") is None
    store.meta.put("labelstudio.cursor", "1", actor="sync")
    store.meta.put("labelstudio.cursor", "2", actor="sync")
    assert store.meta.find("labelstudio.cursor") == "2"
