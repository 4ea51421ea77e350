"""Dump and restore: lossless, deterministic, all-or-nothing, into empty projects only (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable

import pytest
from builders import person_set, snapshot
from hypothesis import HealthCheck, given, settings
from strategies import documents_with_sets

from annotate.errors import ConflictError, InputError
from annotate.models import AnnotationSet, Comment, CommentKind, Document
from annotate.store import Store
from annotate.store.dump import dump, restore

StoreFactory = Callable[[], Store]


def dumped(store: Store) -> str:
    out = io.StringIO()
    dump(store, out)
    return out.getvalue()


def populate(store: Store, doc: Document) -> None:
    """A store with every kind of row: replaced text, revisions, a conflict, status change, a user."""
    store.documents.put([doc, Document.create("نص عربي آخر", lang="ar")], actor="importer")
    store.sets.save(person_set(doc), base_revision=0, actor="ali")
    store.sets.save(person_set(doc, metadata={"n": 2}), base_revision=1, actor="ali")
    with pytest.raises(ConflictError):
        store.sets.save(person_set(doc, metadata={"n": "late"}), base_revision=1, actor="sara")
    store.sets.set_status(doc.id, "ali", "submitted", actor="ali")
    store.documents.put([Document.create("مقدمه. " + doc.text, lang="fa", id=doc.id)], replace=True, actor="c")
    store.users.add("sara", "annotator", "a long password", actor="admin")
    store.drafts.put(doc.id, "sara", 0, AnnotationSet(doc_id=doc.id, author="sara", metadata={"draft": "۱"}))
    store.assignments.add([doc.id], ["sara", "ali"], actor="curator")
    store.external_ids.put("labelstudio", "task", doc.id, "17", {"project": 3}, actor="sync")
    store.meta.put("labelstudio.last_pull", "2026-11-21T10:00:00+00:00", actor="sync")
    note = Comment(doc_id=doc.id, set_author="ali", target="e1", target_text="قاسم سلیمانی", text="منبع: «الف»",
                   author="ali")
    store.comments.add(note, actor="ali")
    raised = store.comments.add(Comment(doc_id=doc.id, set_author="ali", kind=CommentKind.flag, text="متن ناقص؟",
                                        author="ali"), actor="ali")
    store.comments.set_status(raised.id, "resolved", actor="curator")


def test_dump_restore_dump_is_byte_identical(store: Store, store_factory: StoreFactory, doc: Document) -> None:
    populate(store, doc)
    first = dumped(store)
    target = store_factory()
    counts = restore(target, io.StringIO(first))
    assert counts == {
        "meta": 3, "document": 2, "user": 1, "annotation_set": 1, "conflict": 1, "draft": 1, "assignment": 2,
        "external_id": 1, "comment": 2, "audit": 14,
    }
    assert dumped(target) == first
    # The restored store is a working store: history, conflicts, users, stale flags and ids carry over.
    assert target.sets.get(doc.id, "ali") == store.sets.get(doc.id, "ali")
    assert target.sets.list_revisions(doc.id, "ali") == store.sets.list_revisions(doc.id, "ali")
    assert target.documents.history(doc.id) == store.documents.history(doc.id)
    assert target.sets.list_info() == store.sets.list_info() and target.sets.list_info()[0].stale
    assert target.sets.list_conflicts() == store.sets.list_conflicts()
    assert target.users.verify("sara", "a long password").name == "sara"
    assert target.drafts.find(doc.id, "sara") == store.drafts.find(doc.id, "sara")
    assert target.assignments.list() == store.assignments.list()
    key = ("labelstudio", "task", "17")
    assert target.external_ids.find_by_external(*key) == store.external_ids.find_by_external(*key)
    assert target.meta.find("labelstudio.last_pull") == "2026-11-21T10:00:00+00:00"
    assert target.comments.list() == store.comments.list() and len(target.comments.list()) == 2
    # New ids continue after the restored ones (PostgreSQL sequences were moved on).
    with pytest.raises(ConflictError) as info:
        target.sets.save(person_set(target.documents.get(doc.id)), base_revision=0, actor="x")
    assert info.value.conflict_id == store.sets.list_conflicts()[-1].id + 1
    assert target.audit.list()[-1].id == store.audit.list()[-1].id + 1
    later = target.comments.add(Comment(doc_id=doc.id, set_author="ali", text="بعد", author="ali"), actor="ali")
    assert later.id == store.comments.list()[-1].id + 1


def test_dump_is_deterministic_json_lines(store: Store, doc: Document) -> None:
    populate(store, doc)
    text = dumped(store)
    assert text == dumped(store) and text.endswith("\n")
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["kind"] for r in records[:2]] == ["header", "meta"]
    assert all(
        line == json.dumps(r, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        for line, r in zip(text.splitlines(), records, strict=True)
    )
    kinds = [r["kind"] for r in records]
    assert kinds == sorted(
        kinds,
        key=["header", "meta", "document", "user", "annotation_set", "conflict", "draft", "assignment",
             "external_id", "comment", "audit"].index,
    )
    aset = next(r for r in records if r["kind"] == "annotation_set")
    assert [rev["revision"] for rev in aset["revisions"]] == [1, 2]
    document = next(r for r in records if r["kind"] == "document" and r["row"]["id"] == doc.id)
    assert [v["document"]["text"] for v in document["versions"]] == [doc.text]
    assert "\u200c" in text  # ZWNJ is written as itself, not escaped


def test_restore_refuses_a_project_with_data(store: Store, store_factory: StoreFactory, doc: Document) -> None:
    populate(store, doc)
    target = store_factory()
    target.documents.put([Document.create("چیزی", lang="fa")], actor="t")
    before = snapshot(target)
    with pytest.raises(InputError, match="not empty"):
        restore(target, io.StringIO(dumped(store)))
    assert snapshot(target) == before


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda lines: lines[1:], "backup.jsonl:1: not an annotate dump"),
        (lambda lines: [*lines[:3], "{oops", *lines[3:]], "backup.jsonl:4: not valid JSON"),
        (lambda lines: [*lines[:3], "[1]", *lines[3:]],
         "backup.jsonl:4: expected a JSON object per line, got an array"),
        (lambda lines: [*lines, '{"kind": "mystery"}'], "unknown record kind 'mystery'"),
        (lambda lines: [*lines, '{"kind": "user", "row": {"name": "x"}}'], "users row: missing created_at"),
        (
            lambda lines: [line.replace('"lang":"fa"', '"lang":"f a"') for line in lines],
            r"backup.jsonl:\d+ row: lang: .*'f a' is not a BCP-47",
        ),
        (lambda lines: [], "the file is empty"),
    ],
    ids=["no-header", "bad-json", "not-object", "unknown-kind", "missing-column", "invalid-document", "empty"],
)
def test_bad_dump_is_refused_whole(
    store: Store,
    store_factory: StoreFactory,
    doc: Document,
    mutate: Callable[[list[str]], list[str]],
    message: str,
) -> None:
    populate(store, doc)
    lines = mutate(dumped(store).splitlines())
    target = store_factory()
    before = snapshot(target)
    with pytest.raises(InputError, match=message):
        restore(target, io.StringIO("\n".join(lines) + "\n"), name="backup.jsonl")
    assert snapshot(target) == before and target.backup.is_empty()


_unique = itertools.count()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=documents_with_sets())
def test_random_valid_sets_survive_dump_and_restore(
    store_factory: StoreFactory, pair: tuple[Document, AnnotationSet]
) -> None:
    document, aset = pair
    source, target = store_factory(), store_factory()
    source.documents.put([document], actor="t")
    saved = source.sets.save(aset, base_revision=0, actor="prop")
    text = dumped(source)
    restore(target, io.StringIO(text))
    assert dumped(target) == text
    got = target.sets.get(document.id, aset.author)
    assert got == saved and got.content() == aset.content()
    assert target.documents.get(document.id) == document
