"""The project store, on SQLite and on a real PostgreSQL server (``store`` is parametrised over both)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from builders import person_set, snapshot
from hypothesis import HealthCheck, given, settings
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from strategies import documents_with_sets

from annotate.errors import AuthError, ConflictError, InputError, InvalidAnnotation, NotFound
from annotate.models import (
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    DateLink,
    DateMention,
    Document,
    EntityMention,
    Event,
    EventArgument,
    Trigger,
)
from annotate.store import Store
from annotate.store.schema import revisions_table, sets_table


def span(doc: Document, needle: str) -> dict[str, Any]:
    start = doc.text.index(needle)
    return {"start": start, "end": start + len(needle), "text": needle}


# ------------------------------------------------------------------------------------------------- documents


def test_put_documents_outcomes(store: Store, doc: Document) -> None:
    changed = Document.create(doc.text + " بیشتر", lang="fa", id=doc.id)
    assert [o.outcome for o in store.documents.put([doc], actor="t")] == ["added"]
    assert [o.outcome for o in store.documents.put([doc], actor="t")] == ["unchanged"]
    refused = store.documents.put([changed], actor="t")[0]
    assert refused.outcome == "refused"
    assert "--replace" in (refused.reason or "") and doc.id in (refused.reason or "")
    assert store.documents.get(doc.id) == doc
    assert store.documents.count() == 1


def test_replace_keeps_old_text_and_flags_sets_stale(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    store.sets.save(person_set(doc), base_revision=0, actor="ali")
    changed = Document.create("سرخط. " + doc.text, lang="fa", id=doc.id)
    out = store.documents.put([changed], replace=True, actor="curator")[0]
    assert (out.outcome, out.version, out.stale_sets) == ("replaced", 2, 1)
    assert store.documents.get(doc.id) == changed
    history = store.documents.history(doc.id)
    assert [(h.version, h.document) for h in history] == [(1, doc)]
    info = store.sets.list_info(doc.id)
    assert [(i.author, i.stale) for i in info] == [("ali", True)]
    assert store.sets.list_info(stale=True) == info
    # The old revision is still there, and a save on the old text is refused by name.
    old = store.sets.get(doc.id, "ali")
    with pytest.raises(InvalidAnnotation, match="text_sha256"):
        store.sets.save(old, base_revision=1, actor="ali")
    fresh = store.sets.save(person_set(changed), base_revision=1, actor="ali")
    assert fresh.revision == 2 and store.sets.list_info(doc.id)[0].stale is False


def test_put_document_with_nul_is_refused(store: Store) -> None:
    before = snapshot(store)
    out = store.documents.put([Document.create("a\x00b", lang="fa")], actor="t")[0]
    assert out.outcome == "refused" and "NUL" in (out.reason or "")
    assert snapshot(store) == before


def test_list_and_count_by_language(store: Store) -> None:
    docs = [Document.create(t, lang=lang) for t, lang in [("الف", "fa"), ("باء", "ar"), ("جيم", "ar")]]
    store.documents.put(docs, actor="t")
    assert store.documents.count() == 3 and store.documents.count("ar") == 2 and store.documents.count("prs") == 0
    assert [d.id for d in store.documents.list()] == sorted(d.id for d in docs)
    assert {d.text for d in store.documents.list("ar")} == {"باء", "جيم"}
    assert len(store.documents.list(limit=2)) == 2 and len(store.documents.list(limit=2, offset=2)) == 1
    assert store.documents.find_by_hash(docs[0].text_sha256) == docs[0]
    emoji = Document.create("خبر 😀 می‌شود", lang="fa", title="t", reference_date="2020-01-30")
    store.documents.put([emoji], actor="t")
    infos = {i.id: i for i in store.documents.list_info()}
    assert list(infos) == sorted(infos) and len(infos) == 4
    assert [i.id for i in store.documents.list_info("ar")] == sorted(d.id for d in docs if d.lang == "ar")
    got = infos[emoji.id]
    assert (got.chars, got.title, got.reference_date) == (len(emoji.text), "t", emoji.reference_date)  # code points
    with pytest.raises(NotFound, match="nope"):
        store.documents.get("nope")


# ------------------------------------------------------------------------------------------ annotation sets


def test_save_revisions_and_history(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    first = store.sets.save(person_set(doc), base_revision=0, actor="ali")
    assert first.revision == 1 and first.text_sha256 == doc.text_sha256 and first.created_at is not None
    second = store.sets.save(
        person_set(doc, status=AnnotationStatus.submitted), base_revision=1, actor="curator"
    )
    assert second.revision == 2 and second.created_at == first.created_at
    assert store.sets.get(doc.id, "ali") == second
    assert store.sets.get(doc.id, "ali", revision=1) == first
    revs = store.sets.list_revisions(doc.id, "ali")
    assert [(r.revision, r.base_revision, r.saved_by, r.status) for r in revs] == [
        (1, 0, "ali", AnnotationStatus.in_progress),
        (2, 1, "curator", AnnotationStatus.submitted),
    ]
    assert [a.action for a in store.audit.list()] == ["document.add", "annotation.save", "annotation.save"]
    with pytest.raises(NotFound, match="no revision 7"):
        store.sets.get(doc.id, "ali", revision=7)


def test_set_status_is_audited(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    store.sets.save(person_set(doc), base_revision=0, actor="ali")
    got = store.sets.set_status(doc.id, "ali", "submitted", actor="ali")
    assert got.status == AnnotationStatus.submitted and got.revision == 1
    assert store.audit.list(action="annotation.status")[0].details == {"old": "in_progress", "new": "submitted"}
    with pytest.raises(InputError, match="unknown status 'done'"):
        store.sets.set_status(doc.id, "ali", "done", actor="ali")


def test_list_annotation_sets_filters(store: Store, doc: Document) -> None:
    other = Document.create("متن دیگر قاسم سلیمانی", lang="fa", id="doc-2")
    store.documents.put([doc, other], actor="t")
    for d in (doc, other):
        for author in ("ali", "sara"):
            store.sets.save(person_set(d, author), base_revision=0, actor=author)
    assert [(a.doc_id, a.author) for a in store.sets.list()] == [
        ("doc-2", "ali"),
        ("doc-2", "sara"),
        ("doc-fa-1", "ali"),
        ("doc-fa-1", "sara"),
    ]
    assert [a.author for a in store.sets.list(doc_id="doc-2")] == ["ali", "sara"]
    assert [a.doc_id for a in store.sets.list(author="sara")] == ["doc-2", "doc-fa-1"]


def test_conflicting_save_is_refused_and_kept(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    store.sets.save(person_set(doc), base_revision=0, actor="ali")
    mine = person_set(doc, metadata={"note": "mine"})
    store.sets.save(mine, base_revision=1, actor="ali")
    theirs = person_set(doc, metadata={"note": "theirs"})
    before = snapshot(store)
    with pytest.raises(ConflictError) as info:
        store.sets.save(theirs, base_revision=1, actor="sara")
    err = info.value
    assert err.current_revision == 2 and "revision 1" in str(err) and f"#{err.conflict_id}" in str(err)
    kept = store.sets.get_conflict(err.conflict_id)
    assert kept.annotation_set == theirs and (kept.base_revision, kept.head_revision) == (1, 2)
    assert store.sets.get(doc.id, "ali").metadata == {"note": "mine"}
    after = snapshot(store)
    assert after["revisions"] == before["revisions"] and after["conflicts"] == before["conflicts"] + 1
    assert [c.id for c in store.sets.list_conflicts(doc_id=doc.id)] == [err.conflict_id]


def test_an_integrity_error_that_is_not_a_race_is_not_called_a_conflict(store: Store, doc: Document) -> None:
    """Only the unique (document, author) constraint of a first save decides a race; any other constraint that
    fails (here a damaged store already holding revision 2 of a set whose head is 1) is reported as itself."""
    store.documents.put([doc], actor="t")
    store.sets.save(person_set(doc), base_revision=0, actor="ali")
    with store.engine.begin() as conn:
        set_id = conn.execute(select(sets_table.c.id)).scalar_one()
        row = conn.execute(select(revisions_table).where(revisions_table.c.set_id == set_id)).one()._asdict()
        conn.execute(insert(revisions_table).values({**row, "revision": 2, "base_revision": 1}))
    before = snapshot(store)
    with pytest.raises(IntegrityError):
        store.sets.save(person_set(doc, metadata={"note": "next"}), base_revision=1, actor="ali")
    assert snapshot(store) == before and store.sets.list_conflicts() == []
    assert store.sets.get(doc.id, "ali").revision == 1


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda d: person_set(d).model_copy(update={"doc_id": "missing"}), NotFound),
        (
            lambda d: AnnotationSet(
                doc_id=d.id, author="a", entities=[EntityMention(id="e1", type="PER", start=0, end=3, text="xyz")]
            ),
            "entities\\[0\\].text",
        ),
        (
            lambda d: AnnotationSet(
                doc_id=d.id, author="a", entities=[EntityMention(id="e1", type="ANIMAL", **span(d, "بغداد"))]
            ),
            "unknown entity type 'ANIMAL'",
        ),
        (
            lambda d: AnnotationSet(
                doc_id=d.id,
                author="a",
                entities=[EntityMention(id="e1", type="PER", **span(d, "قاسم سلیمانی"))],
                events=[
                    Event(
                        id="v1",
                        type="KILLING",
                        trigger=Trigger(**span(d, "کشته")),
                        arguments=[EventArgument(role="place", ref="e1")],
                    )
                ],
            ),
            "role 'place' of KILLING takes",
        ),
        (
            lambda d: AnnotationSet(
                doc_id=d.id,
                author="a",
                entities=[EntityMention(id="e1", type="GPE", **span(d, "بغداد"))],
                dates=[
                    DateMention(
                        id="d1",
                        calendar="solar_hijri",
                        lexicon="solar-IR",
                        granularity="day",
                        **span(d, "۱۰ بهمن ۱۳۹۸"),
                    )
                ],
                links=[DateLink(id="k1", source="d1", target="e1")],
            ),
            "links\\[0\\].target",
        ),
        (lambda d: person_set(d, text_sha256="0" * 64), "text_sha256"),
    ],
    ids=["unknown-doc", "offsets", "entity-type", "role-target", "link-to-entity", "old-text"],
)
def test_rejected_save_leaves_store_unchanged(
    store: Store, doc: Document, make: Callable[[Document], AnnotationSet], problem: Any
) -> None:
    store.documents.put([doc], actor="t")
    before = snapshot(store)
    if isinstance(problem, str):
        with pytest.raises(InvalidAnnotation, match=problem):
            store.sets.save(make(doc), base_revision=0, actor="a")
    else:
        with pytest.raises(problem):
            store.sets.save(make(doc), base_revision=0, actor="a")
    assert snapshot(store) == before


def test_concurrent_saves_exactly_one_wins(store: Store, doc: Document) -> None:
    """Many clients, each with its own connection pool, save from the same base at the same moment."""
    store.documents.put([doc], actor="t")
    store.sets.save(person_set(doc), base_revision=0, actor="ali")
    n = 6
    clients = [Store(store.url) for _ in range(n)]
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def save(i: int) -> None:
        aset = person_set(doc, metadata={"client": i})
        clients[i].documents.get(doc.id)  # open a connection before the race starts
        barrier.wait()
        try:
            results[i] = clients[i].sets.save(aset, base_revision=1, actor=f"c{i}")
        except ConflictError as exc:
            results[i] = exc

    threads = [threading.Thread(target=save, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for c in clients:
        c.close()
    wins = [r for r in results if isinstance(r, AnnotationSet)]
    losses = [r for r in results if isinstance(r, ConflictError)]
    assert len(wins) == 1 and len(losses) == n - 1, results
    assert wins[0].revision == 2
    assert store.sets.get(doc.id, "ali") == wins[0]
    kept = {store.sets.get_conflict(e.conflict_id).annotation_set.metadata["client"] for e in losses}
    assert kept | {wins[0].metadata["client"]} == set(range(n))
    assert all(e.current_revision == 2 for e in losses)


def test_concurrent_first_saves_exactly_one_wins(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    n = 4
    clients = [Store(store.url) for _ in range(n)]
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def save(i: int) -> None:
        clients[i].documents.get(doc.id)
        barrier.wait()
        try:
            clients[i].sets.save(person_set(doc), base_revision=0, actor=f"c{i}")
            outcomes.append("won")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for c in clients:
        c.close()
    assert sorted(outcomes) == ["conflict"] * (n - 1) + ["won"]
    assert len(store.sets.list_revisions(doc.id, "ali")) == 1


# ------------------------------------------------------------------------------------------------------ users


def test_users(store: Store) -> None:
    user = store.users.add("sara", "curator", "correct horse", actor="admin")
    assert store.users.get("sara") == user
    assert store.users.verify("sara", "correct horse") == user
    with pytest.raises(AuthError, match="unknown user or wrong password"):
        store.users.verify("sara", "wrong horse!")
    with pytest.raises(AuthError, match="unknown user or wrong password"):
        store.users.verify("nobody", "correct horse")
    before = snapshot(store)
    for args, message in [
        (("sara", "admin", "another pass"), "already exists"),
        (("omid", "boss", "another pass"), "unknown role 'boss'"),
        (("omid", "annotator", "short"), "at least 8"),
        (("  ", "annotator", "long enough"), "empty"),
    ]:
        with pytest.raises(InputError, match=message):
            store.users.add(*args, actor="admin")
    assert snapshot(store) == before
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    assert "correct horse" not in stored and stored.startswith("scrypt$")


# ------------------------------------------------------------------------------------------------- property


_unique = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=documents_with_sets())
def test_random_valid_sets_round_trip(store: Store, pair: tuple[Document, AnnotationSet]) -> None:
    """Random valid sets (ZWNJ, Persian/Arabic digits, tatweel, RLM) come back from the store unchanged."""
    document, aset = pair
    doc_id = f"p{next(_unique)}"  # the store outlives hypothesis examples: one fresh document per example
    document = document.model_copy(update={"id": doc_id})
    aset = aset.model_copy(update={"doc_id": doc_id})
    assert store.documents.put([document], actor="t")[0].outcome == "added"
    first = store.sets.save(aset, base_revision=0, actor="prop")
    second = store.sets.save(aset, base_revision=1, actor="prop")
    got = store.sets.get(doc_id, aset.author)
    assert got == second and store.sets.get(doc_id, aset.author, revision=1) == first
    volatile = {"revision", "text_sha256", "created_at", "updated_at"}
    assert got.model_dump(exclude=volatile) == aset.model_dump(exclude=volatile)
    assert got.content() == aset.content()
    assert store.documents.get(doc_id) == document
    for _, s in got.spans():
        assert document.text[s.start : s.end] == s.text
    (summary,) = store.sets.list_summaries(doc_id, aset.author)
    sizes = (summary.entities, summary.dates, summary.events, summary.links, summary.head_revision)
    assert sizes == (len(got.entities), len(got.dates), len(got.events), len(got.links), 2)
    (info,) = [i for i in store.documents.list_info(document.lang) if i.id == doc_id]
    assert (info.chars, info.lang, info.title, info.reference_date) == (
        len(document.text), document.lang, document.title, document.reference_date)


def test_author_kind_and_status_kept(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    aset = person_set(doc, author="date-engine", author_kind=AuthorKind.engine, status=AnnotationStatus.gold)
    store.sets.save(aset, base_revision=0, actor="engine")
    got = store.sets.get(doc.id, "date-engine")
    assert (got.author_kind, got.status) == (AuthorKind.engine, AnnotationStatus.gold)


@pytest.mark.parametrize(
    "doc",
    [
        Document.create("متن", lang="fa", title="a\x00b"),
        Document.create("متن", lang="fa", metadata={"k": "\x00"}),
    ],
    ids=["title", "metadata"],
)
def test_nul_anywhere_in_a_document_is_refused(store: Store, doc: Document) -> None:
    before = snapshot(store)
    assert store.documents.put([doc], actor="t")[0].outcome == "refused"
    assert snapshot(store) == before


def test_nul_in_annotation_metadata_round_trips(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    saved = store.sets.save(person_set(doc, metadata={"note": "a\x00b"}), base_revision=0, actor="a")
    assert store.sets.get(doc.id, "ali") == saved and saved.metadata == {"note": "a\x00b"}
