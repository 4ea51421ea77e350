"""The document queue: who sees which documents, whose progress, and the filters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from annotate.annotation.prelabel import prelabel
from annotate.annotation.queue import (
    QueueRow,
    QueueStatus,
    build_queue,
    heading,
    next_document,
    queue_assignees,
    queue_languages,
)
from annotate.corpus.importer import import_paths
from annotate.errors import InputError
from annotate.models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, AuthorKind, Document, EntityMention
from annotate.store import Store

TEXTS = {
    "doc-fa": ("fa", "تهران و کابل در ۱۰ بهمن ۱۳۹۸ دیدار کردند."),
    "doc-prs": ("prs", "کابل در ۲۷ جنوری ۲۰۲۴ (هفتم دلو) آرام بود."),
    "doc-ar": ("ar", "بغداد في 10 ديسمبر/كانون الأول عام 2017."),
}


@dataclass
class World:
    store: Store
    docs: dict[str, Document]

    def annotate(self, doc_id: str, author: str, words: list[str], status: str = "in_progress",
                 kind: AuthorKind = AuthorKind.human) -> None:
        doc = self.docs[doc_id]
        ents = [
            EntityMention(id=f"e{i}", type="GPE", start=doc.text.index(w), end=doc.text.index(w) + len(w), text=w)
            for i, w in enumerate(words)
        ]
        aset = AnnotationSet(doc_id=doc_id, author=author, author_kind=kind, entities=ents,
                             status=AnnotationStatus(status))
        self.store.sets.save(aset, base_revision=0, actor=author)


@pytest.fixture
def world(sqlite_store: Store) -> World:
    docs = {i: Document.create(t, lang=lang, id=i, title=f"title {i}", publisher="Tasnim" if lang == "fa" else None)
            for i, (lang, t) in TEXTS.items()}
    sqlite_store.documents.put(docs.values(), actor="t")
    for name, role in [("sara", "annotator"), ("omid", "annotator"), ("cur", "curator"), ("boss", "admin")]:
        sqlite_store.users.add(name, role, "password1", actor="t")
    list(prelabel(sqlite_store, actor="t"))
    w = World(sqlite_store, docs)
    w.annotate("doc-fa", "sara", ["تهران"])
    w.annotate("doc-fa", "omid", ["تهران", "کابل"], status="submitted")
    w.annotate("doc-ar", "omid", ["بغداد"], status="submitted")
    return w


def _queue(world: World, name: str, **filters: str) -> dict[str, QueueRow]:
    return {r.doc_id: r for r in build_queue(world.store, world.store.users.get(name), **filters)}


def test_annotator_without_assignments_sees_every_document_and_only_their_own_set(world: World) -> None:
    rows = _queue(world, "sara")
    assert list(rows) == ["doc-ar", "doc-fa", "doc-prs"]
    fa = rows["doc-fa"]
    assert fa.mine is not None and (fa.mine.author, fa.mine.entities, fa.mine.revision) == ("sara", 1, 1)
    assert fa.status is QueueStatus.in_progress
    assert rows["doc-ar"].mine is None and rows["doc-ar"].status is QueueStatus.not_started
    for row in rows.values():
        assert row.others == () and not row.has_gold
        assert "omid" not in str(row.as_record())


def test_pre_annotations_are_counted_as_suggestions(world: World) -> None:
    engine = {a.doc_id: len(a.dates) for a in world.store.sets.list(author="dates-engine")}
    assert sum(engine.values()) >= 3  # each seed text has a date
    for name in ("sara", "cur"):
        assert {d: r.suggestions for d, r in _queue(world, name).items()} == engine


def test_curator_sees_every_annotator_and_the_overall_status(world: World) -> None:
    rows = _queue(world, "cur")
    fa = rows["doc-fa"]
    assert fa.mine is None
    assert [(p.author, p.status.value, p.mentions) for p in fa.others] == [
        ("omid", "submitted", 2),
        ("sara", "in_progress", 1),
    ]
    assert {d: r.status.value for d, r in rows.items()} == {
        "doc-ar": "submitted",
        "doc-fa": "in_progress",
        "doc-prs": "not_started",
    }
    assert "omid: submitted (2)" in fa.as_record()["annotators"]


def test_gold_shows_to_curators_only(world: World) -> None:
    world.annotate("doc-ar", GOLD_AUTHOR, ["بغداد"], status="gold", kind=AuthorKind.gold)
    assert _queue(world, "boss")["doc-ar"].status is QueueStatus.gold
    assert _queue(world, "boss")["doc-ar"].has_gold
    ar = _queue(world, "sara")["doc-ar"]
    assert not ar.has_gold and ar.mine is None and ar.status is QueueStatus.not_started


def test_withdrawn_sets_do_not_count_for_progress(world: World) -> None:
    world.store.sets.set_status("doc-fa", "sara", AnnotationStatus.withdrawn, actor="t")
    fa = _queue(world, "cur")["doc-fa"]
    assert fa.status is QueueStatus.submitted  # omid's submitted set is the only one that counts
    assert [(p.author, p.status.value) for p in fa.others] == [("omid", "submitted"), ("sara", "withdrawn")]
    assert _queue(world, "sara")["doc-fa"].status is QueueStatus.withdrawn
    assert list(_queue(world, "sara", status="withdrawn")) == ["doc-fa"]
    world.store.sets.set_status("doc-fa", "omid", AnnotationStatus.withdrawn, actor="t")
    assert _queue(world, "cur")["doc-fa"].status is QueueStatus.not_started


def test_assignments_limit_an_annotators_queue(world: World) -> None:
    world.store.assignments.add(["doc-fa", "doc-prs"], ["sara"], actor="cur")
    assert list(_queue(world, "sara")) == ["doc-fa", "doc-prs"]
    assert _queue(world, "omid") == {}  # the project has assignments, none for omid
    assert _queue(world, "sara")["doc-prs"].assignees == ("sara",)
    assert len(_queue(world, "cur")) == 3


def test_assignee_filter_is_for_curators(world: World) -> None:
    world.store.assignments.add(["doc-ar"], ["omid"], actor="cur")
    world.store.assignments.add(["doc-fa"], ["sara", "omid"], actor="cur")
    assert queue_assignees(world.store) == ["omid", "sara"]
    assert list(_queue(world, "cur", assignee="omid")) == ["doc-ar", "doc-fa"]
    assert list(_queue(world, "cur", assignee="sara")) == ["doc-fa"]
    assert list(_queue(world, "sara", assignee="omid")) == ["doc-fa"]  # an annotator's queue stays their own


@pytest.mark.parametrize(
    ("name", "filters", "expected"),
    [
        ("sara", {"lang": "fa"}, ["doc-fa"]),
        ("sara", {"lang": "prs"}, ["doc-prs"]),
        ("sara", {"lang": "ur"}, []),
        ("sara", {"status": "in_progress"}, ["doc-fa"]),
        ("sara", {"status": "not_started"}, ["doc-ar", "doc-prs"]),
        ("sara", {"status": "submitted"}, []),
        ("omid", {"status": "submitted"}, ["doc-ar", "doc-fa"]),
        ("cur", {"status": "submitted"}, ["doc-ar"]),
        ("cur", {"status": "in_progress", "lang": "fa"}, ["doc-fa"]),
        ("cur", {"status": "in_progress", "lang": "ar"}, []),
        ("cur", {"status": ""}, ["doc-ar", "doc-fa", "doc-prs"]),
    ],
)
def test_filters(world: World, name: str, filters: dict[str, str], expected: list[str]) -> None:
    assert list(_queue(world, name, **filters)) == expected


def test_unknown_status_is_an_input_error_naming_the_field(world: World) -> None:
    with pytest.raises(InputError, match="status: unknown queue status 'done'"):
        build_queue(world.store, world.store.users.get("sara"), status="done")


def test_languages_for_the_filter(world: World) -> None:
    assert queue_languages(world.store) == ["ar", "fa", "prs"]


def test_stale_sets_are_flagged(world: World) -> None:
    doc = world.docs["doc-fa"]
    world.store.documents.put([Document.create(doc.text + " تمام.", lang="fa", id=doc.id)], replace=True, actor="t")
    fa = _queue(world, "sara")["doc-fa"]
    assert fa.mine is not None and fa.mine.stale
    assert not any(p.stale for r in _queue(world, "cur").values() if r.doc_id != "doc-fa" for p in r.others)


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [("sara", {"progress"}, {"annotators", "gold", "assigned to"}),
     ("cur", {"progress", "annotators", "gold", "assigned to"}, set())],
)
def test_table_columns_follow_the_role(world: World, name: str, present: set[str], absent: set[str]) -> None:
    record = _queue(world, name)["doc-fa"].as_record()
    assert present <= set(record) and not absent & set(record)
    assert list(record)[:6] == ["title", "publisher", "language", "length", "status", "progress"]
    assert record["document"] == "doc-fa" and record["language"] == "fa"
    assert record["length"] == len(TEXTS["doc-fa"][1]) and record["title"] == "title doc-fa"


def test_progress_is_the_annotators_marks_or_the_submitted_share(world: World) -> None:
    assert _queue(world, "sara")["doc-fa"].as_record()["progress"] == "1 marks · revision 1"
    assert _queue(world, "sara")["doc-prs"].as_record()["progress"] == "not started"
    assert _queue(world, "sara")["doc-fa"].as_record()["status"] == "in progress"
    cur = _queue(world, "cur")
    assert cur["doc-fa"].as_record()["progress"] == 0.5  # omid submitted, sara in progress
    assert cur["doc-ar"].as_record()["progress"] == 1.0 and cur["doc-prs"].as_record()["progress"] == 0.0
    world.store.assignments.add(["doc-ar"], ["sara", "omid"], actor="cur")
    assert _queue(world, "cur")["doc-ar"].submitted_share == 0.5  # sara is assigned and has not started


SCRAPED = "لینک های دسترسی\n\nBreaking News\n\nمقامهای امریکایی و عراقی در مورد پایان ماموریت ایتلاف گفتگو کردند\nمتن"


@pytest.mark.parametrize(
    ("opening", "title"),
    [
        (SCRAPED, "مقامهای امریکایی و عراقی در مورد پایان ماموریت ایتلاف گفتگو کردند"),
        ("عراق همکاری با ائتلاف را به حداقل رساند\n\nعراق همکاری", "عراق همکاری با ائتلاف را به حداقل رساند"),
        ("\n\n  خبر کوتاه  \nپایان", "خبر کوتاه"),  # no line of four words: the first non-blank one
        ("", ""),
        ("کلمه " * 40, ("کلمه " * 24).strip() + " …"),
    ],
)
def test_documents_without_a_title_show_their_first_real_line(opening: str, title: str) -> None:
    assert heading(opening) == title


def test_seed_articles_get_their_headline_as_title(sqlite_store: Store, seeds_dir: Path) -> None:
    import_paths(sqlite_store, [seeds_dir / "manifest.jsonl"], actor="t")
    sara = sqlite_store.users.add("sara", "annotator", "password1", actor="t")
    rows = build_queue(sqlite_store, sara)
    by_publisher = {r.publisher: r.title for r in rows}
    assert by_publisher["Tasnim News Agency"] == "عراق همکاری با ائتلاف تحت رهبری آمریکا را به حداقل رساند"
    assert by_publisher["Radio Azadi (Dari service)"].startswith("مقامهای امریکایی و عراقی در مورد پایان ماموریت")
    assert all(r.title for r in rows)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("بغداد", ["doc-ar"]),
        ("کابل", ["doc-fa", "doc-prs"]),
        ("كابل", ["doc-fa", "doc-prs"]),  # Arabic kaf finds Persian kaf
        ("۲۰۲۴", ["doc-prs"]),
        ("2024", ["doc-prs"]),  # ASCII digits find Persian digits
        ("2017", ["doc-ar"]),
        ("TITLE DOC-AR", ["doc-ar"]),  # the title, in any case
        ("Tasnim", ["doc-fa"]),  # the publisher
        ("کابل آرام", ["doc-prs"]),  # every word must occur
        ("کابل zz", []),
        ("[کابل]", []),  # GLOB brackets in a query are plain characters
        ("*", []),
        ("", ["doc-ar", "doc-fa", "doc-prs"]),
    ],
)
def test_search_over_title_publisher_and_text(world: World, query: str, expected: list[str]) -> None:
    assert list(_queue(world, "sara", search=query)) == expected


def test_next_document_is_the_next_one_still_to_do(world: World) -> None:
    rows = build_queue(world.store, world.store.users.get("omid"))
    statuses = {r.doc_id: r.status for r in rows}
    assert statuses == {"doc-ar": QueueStatus.submitted, "doc-fa": QueueStatus.submitted,
                        "doc-prs": QueueStatus.not_started}
    assert next_document(rows, "doc-ar") == "doc-prs"
    assert next_document(rows, "doc-prs") is None  # nothing else to do
    sara = build_queue(world.store, world.store.users.get("sara"))
    assert next_document(sara, "doc-prs") == "doc-ar"  # wraps round to the start
    assert next_document(sara, "doc-gone") == "doc-ar"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("كابل", ["d-1"]),  # Arabic kaf finds Persian kaf
        ("یوم", ["d-2"]),  # Persian yeh finds Arabic yeh
        ("2024", ["d-1"]),  # ASCII digits find Persian digits
        ("٢٠٢٠", ["d-2"]),  # Arabic-Indic digits find ASCII digits
        ("a.b", ["d-3"]),  # regex and GLOB characters are plain characters
        ("(x)", ["d-3"]),
        ("[x]", []),
        ("a*b", []),
        ("c?d", ["d-3"]),
        ("\\", ["d-3"]),
        ("REUTERS", ["d-2"]),  # the publisher, in any case
        ("می شود", ["d-1"]),  # a space finds a ZWNJ
    ],
)
def test_search_runs_in_the_database_on_sqlite_and_postgresql(store: Store, query: str, expected: list[str]) -> None:
    store.documents.put([
        Document.create("کابل در ۲۷ جنوری ۲۰۲۴ آرام بود و برف می\u200cشود.", lang="prs", id="d-1"),
        Document.create("يوم 3 يناير 2020 في بغداد", lang="ar", id="d-2", publisher="Reuters"),
        Document.create("a.b (x) c?d \\ end", lang="en", id="d-3"),
    ], actor="t")
    assert [d.id for d in store.documents.list_info(search=query)] == expected
