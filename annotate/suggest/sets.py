"""Suggestion sets: the suggesters' output as pre-annotation sets, and several suggesters seen as one.

A suggester's output on a document is an :class:`~annotate.models.AnnotationSet` of its own author
(:data:`~annotate.models.STRINGS_AUTHOR`, :data:`~annotate.models.MODEL_AUTHOR`; kind ``engine``, like the date
engine's ``dates-engine`` set), never mixed into a human's set: annotators accept suggestions into their own set
or reject them (the workspace records a rejection by id in the set's metadata). Its metadata carries each
suggestion's confidence and the model version.

Suggestion ids say what was suggested where: ``ss-e-GPE-120-125`` is the string matcher's (``ss``; the tagger's
are ``sm``) entity (``e``; ``v`` for an event trigger) of type GPE over ``[120, 125)``. So ids are stable across
runs (a rejected suggestion stays rejected), and a rejection recorded in an annotator's set names the form and type
it said no to (:func:`decisions`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ..models import (
    MODEL_AUTHOR,
    REJECTED_SUGGESTIONS,
    STRINGS_AUTHOR,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Document,
    EntityMention,
    Event,
    Trigger,
)
from ..text.bidi import isolate_rtl, quote
from .forms import Layer

if TYPE_CHECKING:
    from .matcher import Match

__all__ = [
    "COMBINED_AUTHOR",
    "CONFIDENCE_KEY",
    "Decision",
    "SuggestionId",
    "combine",
    "confidence_of",
    "decisions",
    "parse_suggestion_id",
    "suggestion_id",
    "suggestion_of",
    "suggestion_set",
]

PREFIX: Final[dict[str, str]] = {STRINGS_AUTHOR: "ss", MODEL_AUTHOR: "sm"}
_AUTHOR_OF: Final = {v: k for k, v in PREFIX.items()}
_LAYER_CODE: Final[dict[Layer, str]] = {"entity": "e", "event": "v"}
_CODE_LAYER: Final[dict[str, Layer]] = {"e": "entity", "v": "event"}
_ID_RE: Final = re.compile(r"^(ss|sm)-([ev])-([A-Za-z][A-Za-z0-9_.]*)-(\d+)-(\d+)(?:-\d+)?$")
CONFIDENCE_KEY: Final = "confidence"
"""Set metadata: suggestion id -> confidence (0..1)."""
SOURCE_KEY: Final = "source"
"""Combined set metadata: suggestion id -> the author that made it."""
VERSION_KEY: Final = "model_version"
COMBINED_AUTHOR: Final = "suggestions"
"""Author name of the in-memory set that shows every suggester's pending suggestions together (never stored)."""


@dataclass(frozen=True)
class SuggestionId:
    """What a suggestion id says: who, which layer, which type, where."""

    author: str
    layer: Layer
    type: str
    start: int
    end: int


def suggestion_id(author: str, layer: Layer, type_: str, start: int, end: int) -> str:
    """The stable id of a suggestion (see the module docstring)."""
    return f"{PREFIX[author]}-{_LAYER_CODE[layer]}-{type_}-{start}-{end}"


def parse_suggestion_id(item_id: str) -> SuggestionId | None:
    """What a suggestion id (or the id of a mention accepted from one, ``...-2``) says; None for other ids."""
    m = _ID_RE.match(item_id)
    if m is None:
        return None
    return SuggestionId(_AUTHOR_OF[m.group(1)], _CODE_LAYER[m.group(2)], m.group(3), int(m.group(4)),
                        int(m.group(5)))


def suggestion_of(item_id: str) -> str | None:
    """The id of the suggestion a mark was accepted from (``ss-e-GPE-120-125-2`` → ``ss-e-GPE-120-125``), or None
    for a mark made by hand."""
    p = parse_suggestion_id(item_id)
    return None if p is None else suggestion_id(p.author, p.layer, p.type, p.start, p.end)


def suggestion_set(document: Document, matches: Iterable[Match], author: str,
                   metadata: dict[str, Any] | None = None) -> AnnotationSet:
    """The pre-annotation set of ``author`` holding ``matches`` (not stored), with their confidences.

    Two suggestions of one layer on one span keep the more confident one.
    """
    best: dict[tuple[Layer, int, int], Match] = {}
    for m in matches:
        key = (m.layer, m.start, m.end)
        if key not in best or m.confidence > best[key].confidence:
            best[key] = m
    entities: list[EntityMention] = []
    events: list[Event] = []
    confidence: dict[str, float] = {}
    for (layer, start, end), m in sorted(best.items(), key=lambda x: (x[0][1], x[0][2], x[0][0])):
        sid = suggestion_id(author, layer, m.type, start, end)
        confidence[sid] = m.confidence
        text = document.text[start:end]
        if layer == "entity":
            entities.append(EntityMention(id=sid, start=start, end=end, text=text, type=m.type,
                                          canonical_id=m.canonical_id))
        else:
            events.append(Event(id=sid, type=m.type, trigger=Trigger(start=start, end=end, text=text)))
    return AnnotationSet(
        doc_id=document.id, author=author, author_kind=AuthorKind.engine, status=AnnotationStatus.submitted,
        text_sha256=document.text_sha256, entities=entities, events=events,
        metadata={**(metadata or {}), CONFIDENCE_KEY: confidence},
    )


def confidence_of(aset: AnnotationSet, item_id: str) -> float | None:
    """The confidence ``aset`` (a suggestion set, or a combined one) gives ``item_id``; None when it has none."""
    value = aset.metadata.get(CONFIDENCE_KEY, {})
    if isinstance(value, dict) and isinstance(value.get(item_id), int | float):
        return float(value[item_id])
    return None


def combine(doc_id: str, sets: Sequence[AnnotationSet | None]) -> AnnotationSet | None:
    """Several suggesters' sets of one document as one set of suggestions (None when there is none).

    Ids stay as they are (the date engine's and each suggester's are distinct). A span that two suggesters give
    the same type is shown once, with the higher confidence; suggestions without a confidence (the date
    engine's) count as 1. Metadata: ``confidence`` and ``source`` per id, ``model_version`` per author, and the
    date engine's own keys (``engine_version``).
    """
    present = [s for s in sets if s is not None]
    if not present:
        return None
    entities: list[EntityMention] = []
    events: list[Event] = []
    seen: dict[tuple[str, int, int, str], str] = {}
    confidence: dict[str, float] = {}
    source: dict[str, str] = {}
    versions: dict[str, str] = {}
    metadata: dict[str, Any] = {}
    out = AnnotationSet(doc_id=doc_id, author=COMBINED_AUTHOR, author_kind=AuthorKind.engine,
                        status=AnnotationStatus.submitted)
    for aset in present:
        for key, value in aset.metadata.items():
            if key not in (CONFIDENCE_KEY, SOURCE_KEY, VERSION_KEY):
                metadata.setdefault(key, value)
        if VERSION_KEY in aset.metadata:
            versions[aset.author] = str(aset.metadata[VERSION_KEY])
        out.dates += aset.dates
        out.links += aset.links
        source.update({d.id: aset.author for d in aset.dates})
        source.update({ln.id: aset.author for ln in aset.links})
        items: list[tuple[str, EntityMention | Event]] = [("entity", m) for m in aset.entities]
        items += [("event", ev) for ev in aset.events]
        for layer, item in items:
            span = item.trigger if isinstance(item, Event) else item
            span_key = (layer, span.start, span.end, item.type)
            given = confidence_of(aset, item.id)
            conf = 1.0 if given is None else given
            if span_key in seen:
                kept = seen[span_key]
                if conf > confidence[kept]:
                    confidence[kept] = conf
                    source[kept] = f"{source[kept]}+{aset.author}"
                continue
            seen[span_key] = item.id
            confidence[item.id] = conf
            source[item.id] = aset.author
            if isinstance(item, Event):
                events.append(item)
            else:
                entities.append(item)
    out.entities = sorted(entities, key=lambda m: (m.start, m.end))
    out.events = sorted(events, key=lambda ev: (ev.trigger.start, ev.trigger.end))
    out.metadata = {**metadata, CONFIDENCE_KEY: confidence, SOURCE_KEY: source, VERSION_KEY: versions}
    return out


@dataclass(frozen=True)
class Decision:
    """What a set says about one form: that it is a ``type`` (accepted), or that it is not (a rejection)."""

    layer: Layer
    text: str
    type: str
    accepted: bool


def decisions(document: Document, aset: AnnotationSet) -> Iterator[Decision]:
    """The yes and no about forms that ``aset`` (a human's or the gold set) records.

    Yes: every entity mention and event trigger of the set, whether it came in by accepting a suggestion or was
    marked by hand (both say the form is that type). No: every suggestion id in the set's
    ``rejected_suggestions``, read back to its form from the id (the span and type it names).
    """
    for m in aset.entities:
        yield Decision("entity", m.text, m.type, True)
    for ev in aset.events:
        yield Decision("event", ev.trigger.text, ev.type, True)
    rejected = aset.metadata.get(REJECTED_SUGGESTIONS, [])
    for item_id in rejected if isinstance(rejected, list) else []:
        sid = parse_suggestion_id(str(item_id))
        if sid is not None and sid.end <= len(document.text):
            yield Decision(sid.layer, document.text[sid.start:sid.end], sid.type, False)


SOURCE_NAMES: Final[dict[str, str]] = {
    "dates-engine": "date engine",
    STRINGS_AUTHOR: "string matcher",
    MODEL_AUTHOR: "model",
}
"""How the app names each suggester (the model with its version: ``model m2-1a2b3c4d``)."""


@dataclass(frozen=True)
class SuggestionInfo:
    """One suggestion as the app lists it: what it is, its text, a detail line, who suggested it, how sure."""

    kind: str
    """``entity``, ``event``, ``date`` or ``link``."""
    label: str
    text: str
    detail: str
    source: str
    confidence: float | None


def describe_suggestion(suggestions: AnnotationSet, item_id: str) -> SuggestionInfo | None:
    """What the suggestion ``item_id`` of a (combined) suggestion set is, for listing; None if it has no such id."""
    return describe_suggestions(suggestions, [item_id])[0]


def describe_suggestions(suggestions: AnnotationSet, item_ids: Sequence[str]) -> list[SuggestionInfo | None]:
    """:func:`describe_suggestion` of each of ``item_ids``, the set read once (a panel lists some dozens)."""
    source_ids = suggestions.metadata.get(SOURCE_KEY, {})
    versions = suggestions.metadata.get(VERSION_KEY, {})
    entities = {m.id: m for m in suggestions.entities}
    events = {ev.id: ev for ev in suggestions.events}
    dates = {d.id: d for d in suggestions.dates}
    links = {ln.id: ln for ln in suggestions.links}

    def source_of(item_id: str) -> str:
        authors = (str(source_ids.get(item_id, suggestions.author)) if isinstance(source_ids, dict)
                   else suggestions.author)
        names = []
        for a in authors.split("+"):
            name = SOURCE_NAMES.get(a, a)
            if a == MODEL_AUTHOR and isinstance(versions, dict) and versions.get(MODEL_AUTHOR):
                name += " " + str(versions[MODEL_AUTHOR]).removeprefix(MODEL_AUTHOR).strip()
            names.append(name)
        return " + ".join(names)

    def one(item_id: str) -> SuggestionInfo | None:
        conf = confidence_of(suggestions, item_id)
        if (m := entities.get(item_id)) is not None:
            detail = f"canonical id {m.canonical_id}" if m.canonical_id else ""
            return SuggestionInfo("entity", m.type, m.text, detail, source_of(item_id), conf)
        if (ev := events.get(item_id)) is not None:
            return SuggestionInfo("event", ev.type, ev.trigger.text, "", source_of(item_id), conf)
        if (d := dates.get(item_id)) is not None:
            return SuggestionInfo("date", "DATE", d.text, d.gregorian_label(), source_of(item_id), conf)
        ln = links.get(item_id)
        if ln is not None and ln.source in dates and ln.target in dates:
            verdict = (("consistent" + (f" · {isolate_rtl(ln.reason)}" if ln.reason else "")) if ln.consistent
                       else f"INCONSISTENT: {isolate_rtl(ln.reason or '')}")
            pair = f"{quote(dates[ln.source].text)} = {quote(dates[ln.target].text)}"
            return SuggestionInfo("link", "same_date", pair, verdict, source_of(item_id), conf)
        return None

    return [one(i) for i in item_ids]
