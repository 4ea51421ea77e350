"""Pre-label documents with entity and event suggestions, and suggest live in the open document.

``annotate suggest run`` (and the curators' button in the app) stores, for each document, the string matcher's
set (author ``suggest-strings``: forms the project's finished sets labelled, with the annotators' decisions
counted) and, when a model was trained, the tagger's set (author ``suggest-model``, its version in the metadata).
A set is rewritten only when its content changed.

In the open document the workspace adds :func:`live_suggestions`: every other occurrence of a form the annotator
labelled in this very set, as soon as it is labelled.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Lock
from typing import Any, Final

from ..errors import ConfigError
from ..models import (
    MODEL_AUTHOR,
    REJECTED_SUGGESTIONS,
    STRINGS_AUTHOR,
    SUGGESTION_AUTHORS,
    AnnotationSet,
    Document,
)
from ..store import Store
from .forms import Tokenized
from .matcher import Match, StringMatcher, build_matcher
from .registry import current_model
from .sets import decisions, suggestion_set
from .tagger import Tagger
from .training import ProjectSets

__all__ = ["SuggestResult", "SuggestStatus", "live_suggestions", "project_matcher", "status", "suggest_documents",
           "suggest_project"]


@dataclass(frozen=True)
class SuggestResult:
    """What suggesting did to one document: suggestions per suggester and whether their sets changed."""

    doc_id: str
    strings: int
    model: int | None
    """None: no model was trained."""
    changed: bool


def project_matcher(data: ProjectSets) -> StringMatcher:
    """The string matcher of the project: its training sets' forms, their decisions counted."""
    return build_matcher(data.examples(), data.feedback())


def suggest_documents(store: Store, documents: Iterable[Document], *, matcher: StringMatcher,
                      tagger: Tagger | None, actor: str) -> Iterable[SuggestResult]:
    """Store the suggestion sets of ``documents``, yielding one result per document as it is saved.

    Only types of the store's taxonomy are suggested (a type taken out of the taxonomy after a model learnt it
    is left out, not refused).
    """
    known = {"entity": set(store.taxonomy.entity_names()), "event": set(store.taxonomy.event_names())}

    def fit(found: list[Match]) -> list[Match]:
        return [m for m in found if m.type in known[m.layer]]

    for document in documents:
        tokens = Tokenized.of(document.text)
        strings = suggestion_set(document, fit(matcher.suggest(document, tokens)), STRINGS_AUTHOR,
                                 {"suggester": "string matcher", "forms": len(matcher)})
        n_strings, changed = _keep(store, strings, actor)
        n_model = None
        if tagger is not None:
            model = suggestion_set(document, fit(tagger.predict(document, tokens)), MODEL_AUTHOR,
                                   {"suggester": "tagger", "model_version": tagger.label})
            n_model, changed_model = _keep(store, model, actor)
            changed = changed or changed_model
        yield SuggestResult(document.id, n_strings, n_model, changed)


def _keep(store: Store, aset: AnnotationSet, actor: str) -> tuple[int, bool]:
    """Store a suggestion set (an empty one only to replace one that was not): ``(suggestions, changed)``."""
    if not aset.entities and not aset.events and not store.sets.list_summaries(aset.doc_id, aset.author):
        return 0, False
    saved, changed = store.sets.put(aset, actor=actor)
    return len(saved.entities) + len(saved.events), changed


def suggest_project(project_dir: str | Path, store: Store, doc_ids: Sequence[str] | None = None, *,
                    actor: str) -> Iterable[SuggestResult]:
    """Suggest for ``doc_ids`` (every document when None) with the project's matcher and its current model."""
    data = ProjectSets.read(store)
    documents = [store.documents.get(i) for i in doc_ids] if doc_ids else list(data.documents.values())
    return suggest_documents(store, documents, matcher=project_matcher(data),
                             tagger=current_model(project_dir, store), actor=actor)


LIVE_KEPT: Final = 8
"""Live suggestion sets kept (:func:`live_suggestions`): an undo or redo brings back a set seen a moment ago."""
_live: OrderedDict[tuple[Any, ...], AnnotationSet] = OrderedDict()
_live_lock = Lock()


def live_suggestions(document: Document, aset: AnnotationSet, tokens: Tokenized | None = None
                     ) -> AnnotationSet | None:
    """The string matcher learnt from ``aset`` alone (the open set and its rejections) over its own document:
    the other occurrences of what the annotator just labelled. None when the set labels nothing.

    The result depends only on the document and on what the matcher learns from ``aset`` (its labelled forms
    and rejections, in any order), so the last :data:`LIVE_KEPT` results are kept by that key: undoing an edit
    finds the suggestions of the set it returns to without matching the document again.  Callers treat the
    set as read-only (it may be shared)."""
    if not aset.entities and not aset.events:
        return None
    rejected = aset.metadata.get(REJECTED_SUGGESTIONS)
    key = (document.id, document.text_sha256,
           tuple(sorted((m.text, m.type, m.canonical_id or "") for m in aset.entities)),
           tuple(sorted((ev.trigger.text, ev.type) for ev in aset.events)),
           tuple(sorted(map(str, rejected))) if isinstance(rejected, list) else ())
    with _live_lock:
        if (kept := _live.get(key)) is not None:
            _live.move_to_end(key)
            return kept
    matcher = StringMatcher()
    matcher.learn(aset)
    for d in decisions(document, aset):
        matcher.record(d.layer, d.text, d.type, accepted=d.accepted)
    found = matcher.suggest(document, tokens or Tokenized.cached(document.text))
    made = suggestion_set(document, found, STRINGS_AUTHOR, {"suggester": "string matcher (this set)"})
    with _live_lock:
        _live[key] = made
        while len(_live) > LIVE_KEPT:
            _live.popitem(last=False)
    return made


@dataclass(frozen=True)
class SuggestStatus:
    """The model in use (or why it cannot be used) and, per suggester, documents and suggestions stored."""

    model: Tagger | None
    problem: str | None
    """Why the model named in the store cannot be opened (its directory is missing, ...)."""
    sets: dict[str, tuple[int, int, int]]
    """Author -> (documents, entity suggestions, trigger suggestions)."""


def status(project_dir: str | Path, store: Store) -> SuggestStatus:
    """What ``annotate suggest status`` and the app's Suggestions page show."""
    try:
        model, problem = current_model(project_dir, store), None
    except ConfigError as exc:
        model, problem = None, str(exc)
    sets = {}
    for author in SUGGESTION_AUTHORS:
        sums = store.sets.list_summaries(author=author)
        sets[author] = (len(sums), sum(x.entities for x in sums), sum(x.events for x in sums))
    return SuggestStatus(model, problem, sets)
