"""Assigning documents to annotators: k annotators per document, plus an overlap share annotated by one more.

The overlap documents (``ceil(overlap × documents)`` of them) are the ones agreement is measured on; which
they are is decided by a seeded hash of each document id, so the choice is reproducible and adding documents
later does not reshuffle the ones already chosen.  Each document goes to the least-loaded annotators (ties
broken by the same seeded hash).  Planning again with the same arguments changes nothing (idempotent), and a
document an annotator has started (an annotation set or a draft) is never taken away from them.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import InputError, NotFound
from ..store import Assignment, Store

__all__ = ["AssignmentPlan", "apply_plan", "assign_documents", "plan_assignments", "started_pairs"]


@dataclass(frozen=True)
class AssignmentPlan:
    """What assigning will do: pairs to add and to remove, and the documents chosen for overlap."""

    add: list[tuple[str, str]] = field(default_factory=list)
    remove: list[tuple[str, str]] = field(default_factory=list)
    overlap_docs: list[str] = field(default_factory=list)
    load: dict[str, int] = field(default_factory=dict)
    """Documents per annotator once the plan is applied (only the annotators planned for)."""
    kept_started: list[tuple[str, str]] = field(default_factory=list)
    """Surplus assignments left in place because the annotator has started the document."""

    @property
    def changed(self) -> bool:
        """Whether applying the plan changes anything."""
        return bool(self.add or self.remove)


def _rank(seed: int, *parts: str) -> str:
    return hashlib.sha256(":".join((str(seed), *parts)).encode("utf-8")).hexdigest()


def plan_assignments(
    doc_ids: Sequence[str],
    annotators: Sequence[str],
    *,
    k: int = 1,
    overlap: float = 0.0,
    seed: int = 0,
    existing: Iterable[Assignment | tuple[str, str]] = (),
    started: Iterable[tuple[str, str]] = (),
) -> AssignmentPlan:
    """Plan the assignment of ``doc_ids``: ``k`` annotators each, ``k + 1`` for the overlap share.

    ``existing`` are the current assignments (of any document); those of ``doc_ids`` count towards each
    document's target, those of other documents towards each annotator's load.  A document with more
    assignments than its target loses the surplus (unstarted ones only, annotators not in ``annotators``
    first, then the most loaded); ``started`` lists the ``(doc_id, annotator)`` pairs with work in them.
    """
    people = list(dict.fromkeys(a.strip() for a in annotators if a.strip()))
    docs = list(dict.fromkeys(doc_ids))
    if not people:
        raise InputError("name at least one annotator", where="--annotators")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InputError(f"must be a whole number of at least 1, got {k!r}", where="--k")
    if not 0.0 <= overlap <= 1.0:
        raise InputError(f"must be a share from 0 to 1 (0.2 = 20% of documents), got {overlap}", where="--overlap")
    n_overlap = math.ceil(overlap * len(docs) - 1e-9) if overlap > 0 else 0
    widest = k + 1 if n_overlap else k
    if widest > len(people):
        raise InputError(
            f"{widest} annotators per document are needed but only {len(people)} are named ({', '.join(people)})",
            where="--annotators",
            hint="name more annotators, or lower --k or --overlap",
        )
    overlap_docs = sorted(sorted(docs, key=lambda d: _rank(seed, d))[:n_overlap])
    target = {d: (k + 1 if d in set(overlap_docs) else k) for d in docs}
    pairs = {(a.doc_id, a.annotator) if isinstance(a, Assignment) else (a[0], a[1]) for a in existing}
    busy = set(started)
    current: dict[str, set[str]] = {d: set() for d in docs}
    load: Counter[str] = Counter({p: 0 for p in people})
    for doc, person in pairs:
        if doc in current:
            current[doc].add(person)
        load[person] += 1
    add: list[tuple[str, str]] = []
    remove: list[tuple[str, str]] = []
    kept: list[tuple[str, str]] = []
    # The wider documents first, so that the balancing below sees them.
    for doc in sorted(docs, key=lambda d: (-target[d], _rank(seed, d))):
        have = current[doc]
        surplus = len(have) - target[doc]
        if surplus > 0:
            candidates = sorted(
                (p for p in have if (doc, p) not in busy),
                key=lambda p: (p in people, -load[p], _rank(seed, doc, p)),
            )
            for p in candidates[:surplus]:
                remove.append((doc, p))
                have.discard(p)
                load[p] -= 1
            kept += [(doc, p) for p in sorted(have) if (doc, p) in busy and len(have) > target[doc]]
            continue
        free = sorted((p for p in people if p not in have), key=lambda p: (load[p], _rank(seed, doc, p)))
        for p in free[: target[doc] - len(have)]:
            add.append((doc, p))
            have.add(p)
            load[p] += 1
    return AssignmentPlan(
        add=sorted(add),
        remove=sorted(remove),
        overlap_docs=overlap_docs,
        load={p: load[p] for p in people},
        kept_started=sorted(set(kept)),
    )


def started_pairs(store: Store, doc_ids: Iterable[str]) -> set[tuple[str, str]]:
    """``(doc_id, author)`` pairs where the author has an annotation set or a draft of the document."""
    out: set[tuple[str, str]] = set()
    assigned = {(a.doc_id, a.annotator) for a in store.assignments.list()}
    wanted = set(doc_ids)
    for info in store.sets.list_info():
        if info.doc_id in wanted:
            out.add((info.doc_id, info.author))
    for doc, person in assigned:
        if doc in wanted and (doc, person) not in out and store.drafts.find(doc, person) is not None:
            out.add((doc, person))
    return out


def apply_plan(store: Store, plan: AssignmentPlan, *, actor: str) -> None:
    """Carry out ``plan`` in the store (additions grouped by annotator, removals one by one)."""
    by_person: dict[str, list[str]] = {}
    for doc, person in plan.add:
        by_person.setdefault(person, []).append(doc)
    for person, docs in sorted(by_person.items()):
        store.assignments.add(docs, [person], actor=actor)
    for doc, person in plan.remove:
        store.assignments.delete(doc, person, actor=actor)


def _check_annotators(store: Store, annotators: Sequence[str]) -> None:
    problems = []
    for name in annotators:
        try:
            store.users.get(name)
        except NotFound:
            problems.append(f"{name!r} is not a user of this project")
    if problems:
        raise InputError(
            "; ".join(problems),
            where="--annotators",
            hint="add the users first (the Users page, or `annotate users add NAME --role annotator`)",
        )


def assign_documents(
    store: Store,
    annotators: Sequence[str],
    *,
    doc_ids: Sequence[str] | None = None,
    k: int = 1,
    overlap: float = 0.0,
    seed: int = 0,
    actor: str,
    dry_run: bool = False,
) -> AssignmentPlan:
    """Plan and (unless ``dry_run``) apply the assignment of ``doc_ids`` (all documents when None).

    Annotators must be users of the project; unknown document ids raise :class:`NotFound` before anything
    changes.
    """
    people = [a.strip() for a in annotators if a.strip()]
    _check_annotators(store, people)
    if doc_ids:
        known = {d.id for d in store.documents.list_info()}
        missing = [d for d in doc_ids if d not in known]
        if missing:
            raise NotFound(f"no document {', '.join(map(repr, missing[:5]))}", hint="see `annotate docs list`")
        docs = list(dict.fromkeys(doc_ids))
    else:
        docs = [d.id for d in store.documents.list_info()]
    existing = store.assignments.list()
    plan = plan_assignments(
        docs, people, k=k, overlap=overlap, seed=seed, existing=existing, started=started_pairs(store, docs)
    )
    if not dry_run:
        apply_plan(store, plan, actor=actor)
    return plan
