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
    publisher: str | None = None

    @property
    def submitted_share(self) -> float:
        """Curators' progress: the share of the expected annotation sets that are submitted (1.0 with gold).

        Expected: one per assigned annotator, or per annotator who started when the document is unassigned.
        """
        if self.has_gold:
            return 1.0
        human = [*self.others, *([self.mine] if self.mine else [])]
        active = [p for p in human if p.status is not AnnotationStatus.withdrawn]
        done = sum(1 for p in active if p.status is not AnnotationStatus.in_progress)
        expected = max(len(self.assignees), len(active))
        return done / expected if expected else 0.0

    @property
    def my_progress(self) -> str:
        """An annotator's progress on their own set: its marks and revision."""
        if self.mine is None:
            return "not started"
        return f"{self.mine.mentions} marks · revision {self.mine.revision}"

    def as_record(self) -> dict[str, Any]:
        """A flat row for a table: title, publisher, language, length, status and progress first; the viewer's own
        progress for annotators, every annotator's for curators."""
        rec: dict[str, Any] = {
            "title": self.title or "",
            "publisher": self.publisher or "",
            "language": self.lang,
            "length": self.chars,
            "status": self.status.value.replace("_", " "),
        }
        if self.sees_all:
            rec["progress"] = self.submitted_share
            rec["annotators"] = "; ".join(f"{p.author}: {p.status.value} ({p.mentions})" for p in self.others)
            rec["gold"] = self.has_gold
        else:
            rec["progress"] = self.my_progress
        rec["suggested dates"] = self.suggestions
        if self.sees_all:
            rec["assigned to"] = ", ".join(self.assignees)
        rec["document"] = self.doc_id
        return rec


TITLE_CHARS = 120
"""Longest title shown for a document imported without one."""


def heading(opening: str) -> str:
    """A title for a document imported without one, from the opening of its text: the first line of at least four
    words (scraped pages open with menu lines such as ``لینک های دسترسی`` or ``Breaking News``), else the first
    non-blank line; cut at a word boundary to :data:`TITLE_CHARS` characters."""
    lines = [ln.strip() for ln in opening.split("\n") if ln.strip()]
    line = next((ln for ln in lines if len(ln.split()) >= 4), lines[0] if lines else "")
    if len(line) > TITLE_CHARS:
        line = line[:TITLE_CHARS].rsplit(" ", 1)[0] + " …"
    return line


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
    search: str | None = None,
) -> list[QueueRow]:
    """The documents ``user`` may work on, ordered by id, filtered by language, status and assignee.

    For an annotator ``status`` is their own set's status and ``assignee`` is ignored (their queue is
    theirs); for curators and admins ``status`` is the document's overall state (``gold`` once adjudicated,
    ``submitted`` when every human set is submitted, ``in_progress`` while one is not, else ``not_started``)
    and ``assignee`` keeps the documents assigned to that annotator.  ``search`` keeps the documents whose title,
    publisher or text holds every word of it (matched by the database, see
    :meth:`annotate.store.documents.Documents.list_info`).
    """
    wanted = _parse_status(status)
    sees_all = can_see_all_sets(user)
    pairs = _assignment_pairs(store)
    assigned: dict[str, list[str]] = defaultdict(list)
    for doc_id, annotator in pairs:
        assigned[doc_id].append(annotator)

    docs: Iterable[DocumentInfo] = store.documents.list_info(lang or None, search=search or None)
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
                title=doc.title or heading(doc.opening) or None,
                chars=doc.chars,
                status=row_status,
                assignees=tuple(sorted(assigned.get(doc.id, ()))),
                suggestions=suggestions,
                mine=mine,
                others=tuple(others) if sees_all else (),
                has_gold=has_gold if sees_all else False,
                sees_all=sees_all,
                publisher=doc.publisher,
            )
        )
    return rows


def queue_languages(store: Store) -> list[str]:
    """The languages present in the project, for the language filter."""
    return store.documents.languages()


def queue_assignees(store: Store) -> list[str]:
    """Every annotator with at least one assignment, for the curators' assignee filter."""
    return sorted({a for _, a in _assignment_pairs(store)})


TO_DO = frozenset({QueueStatus.not_started, QueueStatus.in_progress})
"""Queue statuses that still need work from the person looking at the queue."""


def next_document(rows: Sequence[QueueRow], current: str) -> str | None:
    """The document to open after ``current``: the next row still to do, in queue order, wrapping round to the
    start; None when nothing else is left to do."""
    ids = [r.doc_id for r in rows]
    start = ids.index(current) + 1 if current in ids else 0
    return next((r.doc_id for r in (*rows[start:], *rows[:start]) if r.doc_id != current and r.status in TO_DO),
                None)
