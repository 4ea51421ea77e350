"""Assignments: k per document, a seeded overlap share, balanced load, idempotent, started work kept."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.curation.assignments import apply_plan, assign_documents, plan_assignments
from annotate.errors import InputError, NotFound
from annotate.models import AnnotationSet, Document
from annotate.store import Store

DOCS = [f"doc-{i:02d}" for i in range(10)]
PEOPLE = ["ali", "reza", "sara"]


def per_doc(pairs: list[tuple[str, str]]) -> Counter[str]:
    return Counter(d for d, _ in pairs)


@pytest.mark.parametrize(
    ("k", "overlap", "n_docs", "n_overlap", "total"),
    [
        (1, 0.0, 10, 0, 10),
        (1, 0.2, 10, 2, 12),
        (1, 0.25, 10, 3, 13),  # ceil: any share above 0 gives at least its part
        (1, 1.0, 10, 10, 20),
        (2, 0.1, 10, 1, 21),
        (1, 0.2, 3, 1, 4),
    ],
)
def test_targets(k: int, overlap: float, n_docs: int, n_overlap: int, total: int) -> None:
    plan = plan_assignments(DOCS[:n_docs], PEOPLE, k=k, overlap=overlap, seed=1)
    assert len(plan.overlap_docs) == n_overlap
    assert len(plan.add) == total
    counts = per_doc(plan.add)
    assert all(counts[d] == (k + 1 if d in plan.overlap_docs else k) for d in DOCS[:n_docs])
    assert max(plan.load.values()) - min(plan.load.values()) <= 1  # balanced


def test_seed_decides_the_overlap_and_is_reproducible() -> None:
    a = plan_assignments(DOCS, PEOPLE, overlap=0.3, seed=7)
    assert a == plan_assignments(DOCS, PEOPLE, overlap=0.3, seed=7)
    others = {tuple(plan_assignments(DOCS, PEOPLE, overlap=0.3, seed=s).overlap_docs) for s in range(8)}
    assert len(others) > 1


def test_adding_documents_keeps_the_earlier_overlap_choice_mostly() -> None:
    # Documents are ranked by a seeded hash of their own id, so new ids only compete for the places.
    small = set(plan_assignments(DOCS, PEOPLE, overlap=0.5, seed=3).overlap_docs)
    big = plan_assignments([*DOCS, "doc-new"], PEOPLE, overlap=0.5, seed=3).overlap_docs
    assert len(small - set(big)) <= 1


def test_idempotent_when_planned_on_top_of_itself() -> None:
    plan = plan_assignments(DOCS, PEOPLE, k=1, overlap=0.2, seed=2)
    again = plan_assignments(DOCS, PEOPLE, k=1, overlap=0.2, seed=2, existing=plan.add)
    assert not again.changed


def test_lowering_k_removes_surplus_but_never_started_work() -> None:
    existing = [(d, p) for d in DOCS[:2] for p in PEOPLE]  # everyone on both documents
    started = {("doc-00", "ali"), ("doc-00", "reza"), ("doc-00", "sara")}
    plan = plan_assignments(DOCS[:2], PEOPLE, k=1, existing=existing, started=started)
    assert all(d == "doc-01" for d, _ in plan.remove) and len(plan.remove) == 2
    assert {p for d, p in plan.kept_started} == set(PEOPLE)


def test_existing_load_elsewhere_is_balanced_against() -> None:
    existing = [(f"other-{i}", "ali") for i in range(5)]
    plan = plan_assignments(DOCS[:4], PEOPLE, k=1, existing=existing)
    assert "ali" not in {p for _, p in plan.add}


@pytest.mark.parametrize(
    ("kwargs", "where", "message"),
    [
        ({"annotators": []}, "--annotators", "at least one annotator"),
        ({"k": 0}, "--k", "at least 1"),
        ({"overlap": 1.5}, "--overlap", "share from 0 to 1"),
        ({"annotators": ["ali"], "overlap": 0.2}, "--annotators", "2 annotators per document are needed"),
    ],
)
def test_bad_arguments_name_the_option(kwargs: dict[str, object], where: str, message: str) -> None:
    args: dict[str, object] = {"annotators": PEOPLE, **kwargs}
    with pytest.raises(InputError, match=message) as err:
        plan_assignments(DOCS, args.pop("annotators"), **args)  # type: ignore[arg-type]
    assert err.value.where == where


@settings(max_examples=40, deadline=None)
@given(
    n_docs=st.integers(0, 25),
    n_people=st.integers(2, 5),
    k=st.integers(1, 3),
    overlap=st.floats(0, 1),
    seed=st.integers(0, 10),
)
def test_plan_properties(n_docs: int, n_people: int, k: int, overlap: float, seed: int) -> None:
    people = [f"p{i}" for i in range(n_people)]
    if k + 1 > n_people:
        k = n_people - 1
    plan = plan_assignments(DOCS[:0] + [f"d{i}" for i in range(n_docs)], people, k=k, overlap=overlap, seed=seed)
    assert len(set(plan.add)) == len(plan.add)  # nobody twice on one document
    counts = per_doc(plan.add)
    assert sum(counts.values()) == n_docs * k + len(plan.overlap_docs)
    assert max(plan.load.values()) - min(plan.load.values()) <= 1
    assert not plan_assignments(
        [f"d{i}" for i in range(n_docs)], people, k=k, overlap=overlap, seed=seed, existing=plan.add
    ).changed


# --- with the store ---------------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    store.documents.put(
        [Document.create(f"متن شماره {i}", lang="fa", id=f"doc-{i:02d}") for i in range(5)], actor="t"
    )
    for name in PEOPLE:
        store.users.add(name, "annotator", "password123", actor="t")
    return store


def test_assign_documents_in_the_store(filled: Store) -> None:
    plan = assign_documents(filled, PEOPLE, k=1, overlap=0.2, seed=4, actor="lead")
    rows = filled.assignments.list()
    assert sorted((a.doc_id, a.annotator) for a in rows) == plan.add
    assert {a.assigned_by for a in rows} == {"lead"}
    assert not assign_documents(filled, PEOPLE, k=1, overlap=0.2, seed=4, actor="lead").changed


def test_started_work_is_never_unassigned(filled: Store) -> None:
    filled.assignments.add(["doc-00"], PEOPLE, actor="lead")
    filled.sets.save(AnnotationSet(doc_id="doc-00", author="ali"), base_revision=0, actor="ali")
    filled.drafts.put("doc-00", "reza", 0, AnnotationSet(doc_id="doc-00", author="reza"))
    plan = assign_documents(filled, PEOPLE, doc_ids=["doc-00"], k=1, actor="lead")
    assert plan.remove == [("doc-00", "sara")]
    assert sorted(a.annotator for a in filled.assignments.list("doc-00")) == ["ali", "reza"]


def test_dry_run_changes_nothing(filled: Store) -> None:
    plan = assign_documents(filled, PEOPLE, actor="lead", dry_run=True)
    assert plan.add and filled.assignments.list() == []


def test_unknown_users_and_documents_are_refused_before_anything_changes(filled: Store) -> None:
    with pytest.raises(InputError, match="'omid' is not a user") as err:
        assign_documents(filled, ["ali", "omid"], actor="lead")
    assert "annotate users add" in str(err.value)
    with pytest.raises(NotFound, match="doc-99"):
        assign_documents(filled, PEOPLE, doc_ids=["doc-00", "doc-99"], actor="lead")
    assert filled.assignments.list() == []


def test_apply_plan_uses_the_store(filled: Store) -> None:
    plan = plan_assignments(["doc-00", "doc-01"], ["ali"], k=1)
    apply_plan(filled, plan, actor="lead")
    assert [(a.doc_id, a.annotator) for a in filled.assignments.list()] == [("doc-00", "ali"), ("doc-01", "ali")]
