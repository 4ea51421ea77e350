"""The document queue: which documents a user works on, filtered, with progress per document.

An annotator's queue is the documents assigned to them, or every document while the project has no
assignments at all. They see only their own annotation set and the date engine's pre-annotations (blind
annotation). Curators and admins see every document and every annotator's progress, and may filter by assignee.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..auth import can_see_all_sets
from ..errors import InputError
from ..models import GOLD_AUTHOR, AnnotationStatus, AuthorKind
from ..store import DocumentInfo, SetSummary, Store, User
from .prelabel import ENGINE_AUTHOR


class QueueStatus(StrEnum):
    """Where a document stands for the person looking at the queue."""

    not_started = "not_started"
    in_progress = "in_progress"
    submitted = "submitted"
    gold = "gold"
    withdrawn = "withdrawn"
    """Only for one's own set: taken back (deleted in Label Studio); opening and saving it resumes it."""


@dataclass(frozen=True)
class SetProgress:
    """One annotation set's progress: status, revision and how many marks of each layer it holds."""

    author: str
    status: AnnotationStatus
    revision: int
    entities: int
    dates: int
    events: int
    links: int
    stale: bool = False

    @property
    def mentions(self) -> int:
        """Entity and date mentions plus event triggers."""
        return self.entities + self.dates + self.events

    @classmethod
    def of_summary(cls, s: SetSummary) -> SetProgress:
        """The progress of a set from its summary (sizes counted by the database)."""
        return cls(author=s.author, status=s.status, revision=s.head_revision, entities=s.entities, dates=s.dates,
                   events=s.events, links=s.links, stale=s.stale)


@dataclass(frozen=True)
class QueueRow:
    """One document in a user's queue.

    ``mine`` is the viewer's own set (None before their first save); ``others`` holds the other human
    annotators' sets and is always empty for annotators (``sees_all`` False).
    """

    doc_id: str
    lang: str
    title: str | None
    chars: int
    status: QueueStatus
    assignees: tuple[str, ...]
    suggestions: int
    mine: SetProgress | None
    others: tuple[SetProgress, ...] = field(default=())
    has_gold: bool = False
    sees_all: bool = False

    def as_record(self) -> dict[str, Any]:
        """A flat row for a table: the viewer's own progress, or every annotator's for curators."""
        rec: dict[str, Any] = {
            "document": self.doc_id,
            "lang": self.lang,
            "title": self.title or "",
            "chars": self.chars,
            "status": self.status.value,
            "assigned to": ", ".join(self.assignees),
        }
        if self.sees_all:
            rec["annotators"] = "; ".join(f"{p.author}: {p.status.value} ({p.mentions})" for p in self.others)
            rec["gold"] = self.has_gold
        else:
            rec["my marks"] = self.mine.mentions if self.mine else 0
            rec["my revision"] = self.mine.revision if self.mine else 0
        rec["suggested dates"] = self.suggestions
        return rec


def _assignment_pairs(store: Store) -> list[tuple[str, str]]:
    """(doc_id, annotator) for every assignment."""
    return [(a.doc_id, a.annotator) for a in store.assignments.list()]


def _overall_status(human: Sequence[SetProgress], has_gold: bool) -> QueueStatus:
    human = [p for p in human if p.status is not AnnotationStatus.withdrawn]
    if has_gold:
        return QueueStatus.gold
    if not human:
        return QueueStatus.not_started
    if all(p.status is not AnnotationStatus.in_progress for p in human):
        return QueueStatus.submitted
    return QueueStatus.in_progress


def _own_status(mine: SetProgress | None) -> QueueStatus:
    if mine is None:
        return QueueStatus.not_started
    return QueueStatus(mine.status.value)


def _parse_status(status: str | None) -> QueueStatus | None:
    if status is None or status == "":
        return None
    try:
        return QueueStatus(status)
    except ValueError:
        raise InputError(
            f"unknown queue status {status!r}; use one of {', '.join(s.value for s in QueueStatus)}",
            where="status",
        ) from None


def build_queue(
    store: Store,
    user: User,
    *,
    lang: str | None = None,
    status: str | None = None,
    assignee: str | None = None,
) -> list[QueueRow]:
    """The documents ``user`` may work on, ordered by id, filtered by language, status and assignee.

    For an annotator ``status`` is their own set's status and ``assignee`` is ignored (their queue is
    theirs); for curators and admins ``status`` is the document's overall state (``gold`` once adjudicated,
    ``submitted`` when every human set is submitted, ``in_progress`` while one is not, else ``not_started``)
    and ``assignee`` keeps the documents assigned to that annotator.
    """
    wanted = _parse_status(status)
    sees_all = can_see_all_sets(user)
    pairs = _assignment_pairs(store)
    assigned: dict[str, list[str]] = defaultdict(list)
    for doc_id, annotator in pairs:
        assigned[doc_id].append(annotator)

    docs: Iterable[DocumentInfo] = store.documents.list_info(lang or None)
    if not sees_all and pairs:
        mine_ids = {d for d, a in pairs if a == user.name}
        docs = [d for d in docs if d.id in mine_ids]
    elif sees_all and assignee:
        docs = [d for d in docs if assignee in assigned.get(d.id, ())]

    sets = store.sets.list_summaries() if sees_all else store.sets.list_summaries(author=user.name)
    if not sees_all:
        sets += store.sets.list_summaries(author=ENGINE_AUTHOR)
    by_doc: dict[str, list[SetSummary]] = defaultdict(list)
    for summary in sets:
        by_doc[summary.doc_id].append(summary)

    rows: list[QueueRow] = []
    for doc in docs:
        mine: SetProgress | None = None
        others: list[SetProgress] = []
        suggestions = 0
        has_gold = False
        for summary in by_doc.get(doc.id, ()):
            if summary.author == ENGINE_AUTHOR and summary.author_kind is AuthorKind.engine:
                suggestions = summary.dates
            elif summary.author == GOLD_AUTHOR and summary.author_kind is AuthorKind.gold:
                has_gold = True
            elif summary.author == user.name:
                mine = SetProgress.of_summary(summary)
            elif sees_all and summary.author_kind is AuthorKind.human:
                others.append(SetProgress.of_summary(summary))
        if sees_all:
            human = [*others, *([mine] if mine else [])]
            row_status = _overall_status(human, has_gold)
        else:
            row_status = _own_status(mine)
        if wanted is not None and row_status is not wanted:
            continue
        rows.append(
            QueueRow(
                doc_id=doc.id,
                lang=doc.lang,
                title=doc.title,
                chars=doc.chars,
                status=row_status,
                assignees=tuple(sorted(assigned.get(doc.id, ()))),
                suggestions=suggestions,
                mine=mine,
                others=tuple(others) if sees_all else (),
                has_gold=has_gold if sees_all else False,
                sees_all=sees_all,
            )
        )
    return rows


def queue_languages(store: Store) -> list[str]:
    """The languages present in the project, for the language filter."""
    return sorted({d.lang for d in store.documents.list_info()})


def queue_assignees(store: Store) -> list[str]:
    """Every annotator with at least one assignment, for the curators' assignee filter."""
    return sorted({a for _, a in _assignment_pairs(store)})
