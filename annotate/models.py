"""The gold data model: documents, mentions, events, date links and annotation sets.

These pydantic v2 models are the one contract shared by the store, the date engine, the app, the Label Studio
sync, curation and the dataset export.  Offsets are Python code points, half-open ``[start, end)``, into the
document's *frozen* text (see :func:`freeze_text`).  Invariants that need only the model itself live in
validators; invariants that need the document and the taxonomy live in :func:`validate_annotation_set`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import InvalidAnnotation, pydantic_input

if TYPE_CHECKING:  # only validate_annotation_set's signature names it: the date engine never loads the taxonomy
    from .taxonomy import Taxonomy

M = TypeVar("M", bound=BaseModel)

SCHEMA_VERSION = "1.1.0"
"""Version of this model as carried by exports; a change here is a major release of the dataset."""

_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")

Id = Annotated[str, Field(pattern=_ID_RE.pattern, description="Stable identifier: letters, digits, _ . : -")]


def freeze_text(raw: str) -> str:
    """Freeze document text: drop a leading BOM and turn CRLF/CR into LF. Nothing else changes."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 encoding of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_id_for(text: str) -> str:
    """The id a document gets when none is given: derived from its text hash, so re-imports are stable."""
    return "doc-" + text_sha256(text)[:16]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, frozen=False)


class Document(_Model):
    """A document whose text is frozen at import."""

    id: Id
    lang: str = Field(description="BCP-47 language tag: fa (Iranian Persian), prs (Dari), ar (Arabic), ...")
    text: str = Field(description="Frozen text: no BOM, LF line ends, letters exactly as published")
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    reference_date: date | None = Field(
        default=None, description="Document creation time, used to resolve year-less and relative dates"
    )
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("lang")
    @classmethod
    def _lang(cls, v: str) -> str:
        if not _LANG_RE.match(v):
            raise ValueError(f"{v!r} is not a BCP-47 language tag (e.g. fa, prs, ar, fa-IR)")
        return v

    @model_validator(mode="after")
    def _frozen(self) -> Document:
        if self.text != freeze_text(self.text):
            raise ValueError("text is not frozen (it has a BOM or CR line ends); build it with Document.create")
        if not self.text:
            raise ValueError("text is empty")
        if self.text_sha256 != text_sha256(self.text):
            raise ValueError("text_sha256 does not match the text")
        return self

    @classmethod
    def create(
        cls,
        text: str,
        *,
        lang: str,
        id: str | None = None,
        title: str | None = None,
        publisher: str | None = None,
        url: str | None = None,
        reference_date: date | str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Document:
        """Build a document from raw text: freeze it, hash it and derive the id when none is given."""
        frozen = freeze_text(text)
        return cls.model_validate(
            {
                "id": id or document_id_for(frozen),
                "lang": lang,
                "text": frozen,
                "text_sha256": text_sha256(frozen),
                "title": title,
                "publisher": publisher,
                "url": url,
                "reference_date": reference_date,
                "metadata": metadata or {},
            }
        )


class Span(_Model):
    """A half-open code-point span ``[start, end)`` with the text it covers."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    text: str

    @model_validator(mode="after")
    def _order(self) -> Span:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must be greater than start ({self.start})")
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"text has {len(self.text)} code points but the span [{self.start}, {self.end}) "
                f"covers {self.end - self.start}"
            )
        return self


class EntityMention(Span):
    """A named entity mention."""

    id: Id
    type: str
    canonical_id: str | None = Field(
        default=None, description="Same real-world entity across documents, scripts and languages"
    )


class Calendar(StrEnum):
    gregorian = "gregorian"
    solar_hijri = "solar_hijri"
    lunar_hijri = "lunar_hijri"


class Granularity(StrEnum):
    day = "day"
    month = "month"
    year = "year"


LEXICONS: dict[str, str] = {
    "fa-IR": "Iranian Persian Gregorian month names (ژانویه ...)",
    "fa-AF": "Dari Gregorian month names (جنوری ...)",
    "solar-IR": "Iranian solar month names (فروردین ...)",
    "solar-AF": "Afghan solar month names (حمل ...)",
    "ar-EG": "Egyptian/Gulf Arabic Gregorian month names (يناير ...)",
    "ar-SY": "Levantine/Iraqi Syriac month names (كانون الثاني ...)",
    "ar-DZ": "Algerian/Tunisian month names (جانفي ...)",
    "ar-MA": "Moroccan month names (يوليوز، غشت ...)",
    "ar-MR": "Mauritanian month names (أغشت، دجمبر ...)",
    "hijri": "Hijri lunar month names (محرم ...)",
    "numeric": "no month name: digits only (1400/04/22, 10/12/2017)",
    "none": "no month written: a year, a weekday or a relative expression",
}
"""Month-name sets (``DateMention.lexicon``) with what each covers."""


class NativeDate(_Model):
    """A date as written in its own calendar; any part may be unknown."""

    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)


class DateMention(Span):
    """A date expression with its normalised value."""

    id: Id
    calendar: Calendar
    lexicon: str = Field(description="Month-name set the text used; see annotate.models.LEXICONS")
    granularity: Granularity
    native: NativeDate = Field(default_factory=NativeDate)
    gregorian_start: date | None = None
    gregorian_end: date | None = None
    year_inferred: bool = False
    relative: bool = False
    note: str | None = None

    @field_validator("lexicon")
    @classmethod
    def _lexicon(cls, v: str) -> str:
        if v not in LEXICONS:
            raise ValueError(f"unknown month-name set {v!r}; use one of {', '.join(LEXICONS)}")
        return v

    @model_validator(mode="after")
    def _range(self) -> DateMention:
        if (self.gregorian_start is None) != (self.gregorian_end is None):
            raise ValueError("gregorian_start and gregorian_end are given together or not at all")
        if self.gregorian_start and self.gregorian_end and self.gregorian_end < self.gregorian_start:
            raise ValueError("gregorian_end is before gregorian_start")
        return self


    def gregorian_label(self) -> str:
        """The Gregorian value for people: a day, or its range (``2014-09-01 .. 2014-09-30``), or why there is none."""
        if self.gregorian_start is None or self.gregorian_end is None:
            return "no Gregorian value (year unknown)"
        if self.gregorian_start == self.gregorian_end:
            return self.gregorian_start.isoformat()
        return f"{self.gregorian_start.isoformat()} .. {self.gregorian_end.isoformat()}"


class Trigger(Span):
    """The words that express an event."""


class EventArgument(_Model):
    """A role filled by an entity or date mention of the same annotation set."""

    role: str
    ref: Id


class Modality(StrEnum):
    """Whether the text presents an event as real (ACE 2005 modality)."""

    asserted = "asserted"
    other = "other"


class Polarity(StrEnum):
    """Whether the text says the event happened or did not (ACE 2005 polarity)."""

    positive = "positive"
    negative = "negative"


class Tense(StrEnum):
    """When the event happens relative to the time of writing (ACE 2005 tense)."""

    past = "past"
    present = "present"
    future = "future"
    unspecified = "unspecified"


EVENT_ATTRIBUTES: dict[str, dict[str, str]] = {
    "modality": {
        Modality.asserted: "presented as real: it happened, is happening or did not happen (the default)",
        Modality.other: "planned, scheduled, demanded, threatened, possible, hypothetical, alleged or rumoured",
    },
    "polarity": {
        Polarity.positive: "presented as happening (the default)",
        Polarity.negative: "the text says it did not happen, or a source denies it",
    },
    "tense": {
        Tense.past: "before the time of writing",
        Tense.present: "going on at the time of writing",
        Tense.future: "after the time of writing (always with modality other)",
        Tense.unspecified: "the text does not place it in time (the default)",
    },
}
"""Every event attribute with its values (in the order shown) and what each means (guidelines §4.3).

The values are the members of :class:`Modality`, :class:`Polarity` and :class:`Tense`, the types of the
:class:`Event` fields of the same names; the labeler, the Label Studio config, agreement, the export card and the
scorer all read this table."""


def match_event_attributes(
    a: Iterable[tuple[Hashable, Sequence[str]]], b: Iterable[tuple[Hashable, Sequence[str]]]
) -> dict[str, Counter[tuple[str, str]]]:
    """For each event attribute, how often ``a`` said one value and ``b`` another on the same event.

    ``a`` and ``b`` list events as ``(key, values)``: the key matches events (agreement and the scorer use the
    trigger's ``(start, end, type)``), the values follow :data:`EVENT_ATTRIBUTES`.  Events pair one to one per key,
    events with identical values first (two events on one trigger are paired as favourably as they can be); an
    event without a partner is not counted.
    """
    out: dict[str, Counter[tuple[str, str]]] = {name: Counter() for name in EVENT_ATTRIBUTES}
    by_key: dict[Hashable, tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]]]] = {}
    for side, events in enumerate((a, b)):
        for key, values in events:
            by_key.setdefault(key, (Counter(), Counter()))[side][tuple(values)] += 1
    for left, right in by_key.values():
        same = left & right
        pairs = [(v, v) for v in same.elements()]
        pairs += zip(sorted((left - same).elements()), sorted((right - same).elements()), strict=False)
        for va, vb in pairs:
            for i, name in enumerate(EVENT_ATTRIBUTES):
                out[name][(va[i], vb[i])] += 1
    return out


class Event(_Model):
    """An event: a typed trigger with arguments, and how the text presents it (modality, polarity, tense)."""

    id: Id
    type: str
    trigger: Trigger
    arguments: list[EventArgument] = Field(default_factory=list)
    cluster_id: str | None = Field(default=None, description="Same real-world event across documents")
    modality: Modality = Field(
        default=Modality.asserted, description="asserted: presented as real; other: planned, demanded, possible ..."
    )
    polarity: Polarity = Field(default=Polarity.positive, description="negative: the text says it did not happen")
    tense: Tense = Field(default=Tense.unspecified, description="When, relative to the time of writing")

    def attributes(self) -> dict[str, str]:
        """The event's attribute values by name (:data:`EVENT_ATTRIBUTES` order)."""
        return {name: str(getattr(self, name)) for name in EVENT_ATTRIBUTES}

    def match_key(self) -> tuple[int, int, str]:
        """What two annotations of one event share: the trigger span and the type."""
        return (self.trigger.start, self.trigger.end, self.type)


class DateLink(_Model):
    """Two date mentions that denote the same day (or range), e.g. a date and its equivalent in apposition."""

    id: Id
    type: Literal["same_date"] = "same_date"
    source: Id
    target: Id
    consistent: bool = True
    reason: str | None = Field(default=None, description="Why the two dates disagree, when they do")

    @model_validator(mode="after")
    def _distinct(self) -> DateLink:
        if self.source == self.target:
            raise ValueError("a link joins two different mentions")
        return self


class AnnotationStatus(StrEnum):
    """Where an annotation set stands.  ``withdrawn``: taken back by its annotator (deleted in Label Studio); it is
    kept with its history but counts nowhere (agreement, adjudication, progress) until it is saved again."""

    in_progress = "in_progress"
    submitted = "submitted"
    gold = "gold"
    withdrawn = "withdrawn"


class AuthorKind(StrEnum):
    human = "human"
    engine = "engine"
    gold = "gold"


GOLD_AUTHOR = "gold"
"""Author name of a document's adjudicated annotation set."""

ENGINE_AUTHOR = "dates-engine"
"""Author name of the date engine's pre-annotation sets (:mod:`annotate.annotation.prelabel`)."""

STRINGS_AUTHOR = "suggest-strings"
"""Author name of the string matcher's suggestion sets (:mod:`annotate.suggest`)."""

MODEL_AUTHOR = "suggest-model"
"""Author name of the trained tagger's suggestion sets (:mod:`annotate.suggest`)."""

SUGGESTION_AUTHORS: tuple[str, ...] = (STRINGS_AUTHOR, MODEL_AUTHOR)
"""The entity and event suggesters' authors: engine sets shown as suggestions next to the date engine's."""

REJECTED_SUGGESTIONS = "rejected_suggestions"
"""``AnnotationSet.metadata`` key: the ids of the engines' suggestions the set's author rejected."""

ENGINE_AUTHORS: frozenset[str] = frozenset({ENGINE_AUTHOR, *SUGGESTION_AUTHORS})
"""Every pre-annotation engine's author name: their sets are of kind ``engine``."""

RESERVED_AUTHORS: frozenset[str] = frozenset({GOLD_AUTHOR, *ENGINE_AUTHORS})
"""Author names the system writes under; no user may be called one of them (in any letter case), or their
annotation set would be taken for the gold or an engine's."""

USER_NAME_MAX = 200
_SPOOFING = re.compile("[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""Control characters, line separators and bidi embeddings/overrides/isolates: they make one name look like
another in lists and the audit log. (ZWNJ, U+200C, is part of Persian words and stays allowed.)"""


def user_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a user name (the author name of their annotation sets), or None if it can.

    Refused: empty, longer than :data:`USER_NAME_MAX`, white space at either end, control or bidi
    formatting characters, and the reserved author names (:data:`RESERVED_AUTHORS`, any letter case).
    """
    if not name.strip():
        return "the user name is empty"
    if len(name) > USER_NAME_MAX:
        return f"the user name is {len(name)} characters long; at most {USER_NAME_MAX}"
    if name != name.strip():
        return "the user name starts or ends with white space"
    bad = _SPOOFING.search(name)
    if bad is not None:
        return f"the user name holds the invisible character U+{ord(bad.group()):04X}"
    if name.casefold() in {r.casefold() for r in RESERVED_AUTHORS}:
        return (f"{name!r} is reserved: the system writes annotation sets under that name "
                f"(reserved: {', '.join(sorted(RESERVED_AUTHORS))})")
    return None


class AnnotationSet(_Model):
    """One author's annotations of one document at one revision."""

    doc_id: Id
    author: str = Field(min_length=1, max_length=200)
    author_kind: AuthorKind = AuthorKind.human
    status: AnnotationStatus = AnnotationStatus.in_progress
    revision: int = Field(default=0, ge=0, description="0 before the first save; the store sets it")
    text_sha256: str | None = Field(default=None, description="Hash of the document text annotated")
    created_at: datetime | None = None
    updated_at: datetime | None = None
    entities: list[EntityMention] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    links: list[DateLink] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)

    def content(self) -> dict[str, Any]:
        """The annotation layers only, as JSON-ready data (what a revision stores)."""
        return self.model_dump(mode="json", include={"entities", "dates", "events", "links", "metadata"})

    def mention_ids(self) -> dict[str, str]:
        """Map every mention id to its layer (``entity`` or ``date``)."""
        ids = {m.id: "entity" for m in self.entities}
        ids.update({d.id: "date" for d in self.dates})
        return ids

    def spans(self) -> Iterator[tuple[str, Span]]:
        """Every span with its field path, e.g. ``("dates[2]", mention)``."""
        for i, e in enumerate(self.entities):
            yield f"entities[{i}]", e
        for i, d in enumerate(self.dates):
            yield f"dates[{i}]", d
        for i, ev in enumerate(self.events):
            yield f"events[{i}].trigger", ev.trigger


class CommentKind(StrEnum):
    """What a comment is for."""

    note = "note"
    """A note on a mark, event or link, or on the whole document."""
    flag = "flag"
    """The annotator asks a curator to look at the document (a question, a bad text, a rule that does not fit)."""
    returned = "returned"
    """A curator returned a submitted set to its annotator; the text says what to change."""


class CommentStatus(StrEnum):
    """``open`` until a curator resolves it (flags, returns) or its writer takes it back (``withdrawn``, e.g. by
    undo); nothing is deleted."""

    open = "open"
    resolved = "resolved"
    withdrawn = "withdrawn"


COMMENT_MAX = 2000
"""Longest comment text, in characters."""


class Comment(_Model):
    """A comment on one annotator's work on a document: a note on a mark or the document, a flag, a return note.

    ``set_author`` names the annotation set it belongs to (blind annotation: only that annotator and the
    curators see it); ``target`` the mark, event or link (None: the document) and ``target_text`` its text when
    the comment was written, so it still reads after the mark is gone.
    """

    id: int = Field(default=0, ge=0, description="0 before it is stored; the store numbers comments")
    doc_id: Id
    set_author: str = Field(min_length=1, max_length=200)
    target: Id | None = None
    target_text: str | None = None
    kind: CommentKind = CommentKind.note
    text: str = Field(min_length=1, max_length=COMMENT_MAX)
    author: str = Field(min_length=1, max_length=200, description="Who wrote it")
    status: CommentStatus = CommentStatus.open
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a comment needs some text")
        if "\x00" in v:
            raise ValueError("the text contains a NUL character (U+0000)")
        return v.strip()

    @model_validator(mode="after")
    def _document_level(self) -> Comment:
        if self.kind is not CommentKind.note and self.target is not None:
            raise ValueError(f"a {self.kind.value} is about the whole document; it has no target")
        return self


def validate_annotation_set(aset: AnnotationSet, document: Document, taxonomy: Taxonomy) -> None:
    """Check ``aset`` against its document and the taxonomy; raise :class:`InvalidAnnotation` listing every problem.

    Checks: offsets in range and ``text[start:end] == mention.text``; unique ids across layers; known entity and
    event types and roles; argument refs that exist and point at what the role allows; links between date
    mentions only.
    """
    problems: list[str] = []
    if aset.doc_id != document.id:
        problems.append(f"doc_id: {aset.doc_id!r} is not document {document.id!r}")
    text = document.text
    for path, span in aset.spans():
        if span.end > len(text):
            problems.append(f"{path}: end {span.end} is past the end of the text ({len(text)} code points)")
        elif text[span.start : span.end] != span.text:
            problems.append(
                f"{path}.text: {span.text!r} does not match the document text {text[span.start:span.end]!r} "
                f"at [{span.start}, {span.end})"
            )
    seen: dict[str, str] = {}
    layers: tuple[tuple[str, Sequence[EntityMention | DateMention | Event | DateLink]], ...] = (
        ("entities", aset.entities), ("dates", aset.dates), ("events", aset.events), ("links", aset.links)
    )
    for layer, items in layers:
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(f"{layer}[{i}].id: duplicate id {item.id!r} (already used in {seen[item.id]})")
            else:
                seen[item.id] = f"{layer}[{i}]"
    for i, e in enumerate(aset.entities):
        if not taxonomy.has_entity_type(e.type):
            problems.append(
                f"entities[{i}].type: unknown entity type {e.type!r}; known: {', '.join(taxonomy.entity_names())}"
            )
    kinds = aset.mention_ids()
    entity_types = {m.id: m.type for m in aset.entities}
    for i, ev in enumerate(aset.events):
        et = taxonomy.event_type(ev.type)
        if et is None:
            problems.append(
                f"events[{i}].type: unknown event type {ev.type!r}; known: {', '.join(taxonomy.event_names())}"
            )
            continue
        for j, arg in enumerate(ev.arguments):
            where = f"events[{i}].arguments[{j}]"
            role = et.role(arg.role)
            if role is None:
                problems.append(
                    f"{where}.role: {arg.role!r} is not a role of {ev.type}; allowed: "
                    f"{', '.join(r.name for r in et.roles)}"
                )
                continue
            kind = kinds.get(arg.ref)
            if kind is None:
                problems.append(f"{where}.ref: {arg.ref!r} is not an entity or date mention of this set")
            elif kind == "entity" and not taxonomy.has_entity_type(entity_types[arg.ref]):
                continue  # already reported under entities[...].type
            elif not role.accepts(kind, entity_types.get(arg.ref)):
                what = f"an entity {entity_types[arg.ref]}" if kind == "entity" else "a date"
                problems.append(
                    f"{where}.ref: role {arg.role!r} of {ev.type} takes {role.describe()}, not {what} mention"
                )
    for i, link in enumerate(aset.links):
        for end_name in ("source", "target"):
            ref = getattr(link, end_name)
            kind = kinds.get(ref)
            if kind is None:
                problems.append(f"links[{i}].{end_name}: {ref!r} is not a mention of this set")
            elif kind != "date":
                problems.append(f"links[{i}].{end_name}: {ref!r} is an {kind} mention; same_date links join dates")
    if problems:
        raise InvalidAnnotation(problems, where=f"document {document.id}, author {aset.author}")


def parse_model(model: type[M], data: Any, *, where: str) -> M:
    """Validate ``data`` as ``model``; turn pydantic's error into an :class:`InputError` naming ``where``."""
    with pydantic_input(where):
        return model.model_validate(data)
