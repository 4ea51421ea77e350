"""Pure editing operations on an annotation set: what the app, the Label Studio pull and curation call.

Every operation takes an :class:`EditContext` (the document, the taxonomy and the date engine) and an
:class:`~annotate.models.AnnotationSet`, and returns a NEW set that has passed
:func:`~annotate.models.validate_annotation_set`; the input is never modified.  Bad requests raise
:class:`~annotate.errors.InputError` naming the argument (``start``, ``type``, ``ref``, ...) or
:class:`~annotate.errors.InvalidAnnotation` listing what the change would break.

New ids are short and deterministic: ``e-<start>-<end>`` for entities, ``dt-<start>-<end>`` for dates (as the
date engine names them), ``ev-<start>-<end>`` for events and ``ln-<source>-<target>`` for links, with ``-2``,
``-3`` ... appended only when the id is taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, cast

from .. import dates as dates_engine
from ..errors import InputError, InvalidDate
from ..models import (
    EVENT_ATTRIBUTES,
    LEXICONS,
    REJECTED_SUGGESTIONS,
    AnnotationSet,
    Calendar,
    DateLink,
    DateMention,
    Document,
    EntityMention,
    Event,
    EventArgument,
    Granularity,
    Trigger,
    parse_model,
    validate_annotation_set,
)
from ..suggest.sets import suggestion_of
from ..taxonomy import Taxonomy
from ..text.view import normalize as normalize_view

__all__ = [
    "AcceptResult",
    "CanonicalSuggestion",
    "DateEngine",
    "DeleteResult",
    "EditContext",
    "accept_suggestions",
    "add_argument",
    "add_date",
    "add_entity",
    "add_event",
    "canonical_id_suggestions",
    "delete_item",
    "engine_reading",
    "link_dates",
    "match_key",
    "pending_suggestions",
    "recheck_links",
    "reject_suggestions",
    "remove_argument",
    "set_canonical_id",
    "set_date_value",
    "set_entity_type",
    "set_event_attribute",
    "set_event_type",
    "trim_span",
    "unfilled_roles",
    "unlink",
    "unrecognised_date",
]

REJECTED_KEY = REJECTED_SUGGESTIONS
"""``AnnotationSet.metadata`` key listing the engine suggestions the annotator rejected."""

UNRECOGNISED_NOTE = "not recognised by the date engine: choose the calendar and type the date"


# --- the date engine, as this module uses it ----------------------------------------------------------------


class _Extraction(Protocol):
    @property
    def mentions(self) -> Sequence[DateMention]: ...
    @property
    def links(self) -> Sequence[DateLink]: ...


class _Normalized(Protocol):
    @property
    def granularity(self) -> Granularity | str: ...
    @property
    def gregorian_start(self) -> date | None: ...
    @property
    def gregorian_end(self) -> date | None: ...
    @property
    def note(self) -> str | None: ...


class DateEngine(Protocol):
    """What editing needs from :mod:`annotate.dates` (tests may pass a stand-in)."""

    def extract_dates(self, text: str, lang: str, reference_date: date | None = None) -> _Extraction: ...

    def check_link(self, a: DateMention, b: DateMention) -> tuple[bool, str | None]: ...

    def normalize_native(
        self, calendar: Calendar, year: int | None, month: int | None, day: int | None
    ) -> _Normalized: ...


def _default_engine() -> DateEngine:
    return cast(DateEngine, dates_engine)


@dataclass(frozen=True)
class EditContext:
    """What every edit is checked against: the document, the project's taxonomy and the date engine."""

    document: Document
    taxonomy: Taxonomy
    engine: DateEngine | None = None

    def date_engine(self) -> DateEngine:
        """The engine given, or :mod:`annotate.dates`."""
        return self.engine if self.engine is not None else _default_engine()


@dataclass(frozen=True)
class DeleteResult:
    """The set after a deletion, and a line for each item that went with the deleted one."""

    aset: AnnotationSet
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AcceptResult:
    """The set after accepting suggestions, and the id each accepted suggestion has in it."""

    aset: AnnotationSet
    ids: dict[str, str] = field(default_factory=dict)


# --- helpers ------------------------------------------------------------------------------------------------


def _finish(ctx: EditContext, aset: AnnotationSet) -> AnnotationSet:
    validate_annotation_set(aset, ctx.document, ctx.taxonomy)
    return aset


def _copy(aset: AnnotationSet) -> AnnotationSet:
    return aset.model_copy(deep=True)


def _used_ids(aset: AnnotationSet) -> set[str]:
    return {x.id for layer in (aset.entities, aset.dates, aset.events, aset.links) for x in layer}


def _fresh_id(base: str, used: set[str]) -> str:
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def _check_span(ctx: EditContext, start: object, end: object) -> tuple[int, int]:
    text = ctx.document.text
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise InputError(f"offset must be an integer, got {value!r}", where=name)
    s, e = cast(int, start), cast(int, end)
    if not 0 <= s < len(text):
        raise InputError(f"{s} is outside the text (0..{len(text) - 1})", where="start")
    if not s < e <= len(text):
        raise InputError(
            f"{e} must be after start ({s}) and at most the text length ({len(text)})",
            where="end",
            hint="select at least one character",
        )
    if not text[s:e].strip():
        raise InputError(f"the span [{s}, {e}) covers only white space", where="start")
    return s, e


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` to drop white space at either end (browsers often select a trailing space).

    A span of white space only is returned unchanged (the add functions then refuse it).
    """
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else (start, end)


def _entity(aset: AnnotationSet, mention_id: str) -> EntityMention:
    for m in aset.entities:
        if m.id == mention_id:
            return m
    raise InputError(f"no entity mention {mention_id!r} in this set", where="id")


def _date(aset: AnnotationSet, mention_id: str, where: str = "id") -> DateMention:
    for d in aset.dates:
        if d.id == mention_id:
            return d
    kind = aset.mention_ids().get(mention_id)
    if kind is not None:
        raise InputError(f"{mention_id!r} is an {kind} mention, not a date", where=where)
    raise InputError(f"no date mention {mention_id!r} in this set", where=where)


def _event(aset: AnnotationSet, event_id: str, where: str = "id") -> Event:
    for ev in aset.events:
        if ev.id == event_id:
            return ev
    raise InputError(f"no event {event_id!r} in this set", where=where)


def _check_entity_type(ctx: EditContext, type_: str) -> None:
    if not ctx.taxonomy.has_entity_type(type_):
        raise InputError(
            f"unknown entity type {type_!r}; known: {', '.join(ctx.taxonomy.entity_names())}", where="type"
        )


def _check_event_type(ctx: EditContext, type_: str) -> None:
    if ctx.taxonomy.event_type(type_) is None:
        raise InputError(
            f"unknown event type {type_!r}; known: {', '.join(ctx.taxonomy.event_names())}", where="type"
        )


# --- entities -----------------------------------------------------------------------------------------------


def add_entity(
    ctx: EditContext,
    aset: AnnotationSet,
    start: int,
    end: int,
    type: str,
    canonical_id: str | None = None,
) -> AnnotationSet:
    """Add an entity mention of ``type`` over ``[start, end)``; refuses a second entity on the same span."""
    s, e = _check_span(ctx, start, end)
    _check_entity_type(ctx, type)
    for m in aset.entities:
        if (m.start, m.end) == (s, e):
            raise InputError(
                f"[{s}, {e}) is already entity {m.id!r} ({m.type})",
                where="start",
                hint="change its type instead",
            )
    new = _copy(aset)
    mention = EntityMention(
        id=_fresh_id(f"e-{s}-{e}", _used_ids(aset)),
        start=s,
        end=e,
        text=ctx.document.text[s:e],
        type=type,
        canonical_id=_clean_canonical(canonical_id),
    )
    new.entities = sorted([*new.entities, mention], key=lambda m: (m.start, m.end))
    return _finish(ctx, new)


def set_entity_type(ctx: EditContext, aset: AnnotationSet, mention_id: str, type: str) -> AnnotationSet:
    """Change an entity's type; refused when an event argument then has a type its role refuses."""
    _entity(aset, mention_id)
    _check_entity_type(ctx, type)
    new = _copy(aset)
    for m in new.entities:
        if m.id == mention_id:
            m.type = type
    return _finish(ctx, new)


def _clean_canonical(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"must be text or empty, got {value!r}", where="canonical_id")
    value = value.strip()
    if len(value) > 200:
        raise InputError(f"is {len(value)} characters long; keep it under 200", where="canonical_id")
    return value or None


def set_canonical_id(
    ctx: EditContext, aset: AnnotationSet, mention_id: str, canonical_id: str | None
) -> AnnotationSet:
    """Set (or clear, with None or "") the canonical id that joins mentions of one real-world entity."""
    _entity(aset, mention_id)
    value = _clean_canonical(canonical_id)
    new = _copy(aset)
    for m in new.entities:
        if m.id == mention_id:
            m.canonical_id = value
    return _finish(ctx, new)


# --- dates --------------------------------------------------------------------------------------------------


def engine_reading(ctx: EditContext, s: int, e: int) -> DateMention | None:
    """What the date engine reads at ``[s, e)``: its mention with exactly that span in the whole document (so
    context such as an apposition partner counts), else its reading of the span's text alone; None when it reads
    no date there.  Offsets and text are the span's; the id is the engine's."""
    engine = ctx.date_engine()
    doc = ctx.document
    for m in engine.extract_dates(doc.text, doc.lang, doc.reference_date).mentions:
        if (m.start, m.end) == (s, e):
            return m
    # The annotator's extent differs from the engine's: read the selection on its own.
    piece = doc.text[s:e]
    for m in engine.extract_dates(piece, doc.lang, doc.reference_date).mentions:
        if (m.start, m.end) == (0, len(piece)):
            return m.model_copy(update={"start": s, "end": e, "text": piece})
    return None


def unrecognised_date(mention_id: str, start: int, end: int, text: str) -> DateMention:
    """A date the engine does not read: a Gregorian day with no value and :data:`UNRECOGNISED_NOTE`, for an
    annotator to complete."""
    return DateMention(id=mention_id, start=start, end=end, text=text, calendar=Calendar.gregorian, lexicon="none",
                       granularity=Granularity.day, note=UNRECOGNISED_NOTE)


def add_date(ctx: EditContext, aset: AnnotationSet, start: int, end: int) -> AnnotationSet:
    """Add a date mention over ``[start, end)``, prefilled from the date engine when it reads that span.

    When the engine finds nothing there, the mention is a Gregorian day with no value and a note asking the
    annotator to type it (see :func:`set_date_value`).
    """
    s, e = _check_span(ctx, start, end)
    for d in aset.dates:
        if (d.start, d.end) == (s, e):
            raise InputError(f"[{s}, {e}) is already date {d.id!r}", where="start")
    found = engine_reading(ctx, s, e)
    new_id = _fresh_id(f"dt-{s}-{e}", _used_ids(aset))
    if found is not None:
        mention = found.model_copy(update={"id": new_id})
    else:
        mention = unrecognised_date(new_id, s, e, ctx.document.text[s:e])
    new = _copy(aset)
    new.dates = sorted([*new.dates, mention], key=lambda m: (m.start, m.end))
    return _finish(ctx, new)


def set_date_value(
    ctx: EditContext,
    aset: AnnotationSet,
    mention_id: str,
    calendar: Calendar | str,
    year: int | None,
    month: int | None,
    day: int | None,
    lexicon: str | None = None,
) -> AnnotationSet:
    """Set a date's native value; the Gregorian range and granularity come from the engine, never typed.

    Links that touch the date get their consistency recomputed.  Raises :class:`InvalidDate` (naming the
    mention) for a date its calendar does not have.
    """
    current = _date(aset, mention_id)
    try:
        cal = Calendar(calendar)
    except ValueError:
        raise InputError(
            f"unknown calendar {calendar!r}; use one of {', '.join(c.value for c in Calendar)}",
            where="calendar",
        ) from None
    for name, value, low, high in (("year", year, 1, 9999), ("month", month, 1, 12), ("day", day, 1, 31)):
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InputError(f"{value!r} is not a number from {low} to {high}", where=name)
    if lexicon is not None and lexicon not in LEXICONS:
        raise InputError(
            f"unknown month-name set {lexicon!r}; use one of {', '.join(LEXICONS)}", where="lexicon"
        )
    engine = ctx.date_engine()
    try:
        norm = engine.normalize_native(cal, year, month, day)
    except InvalidDate as exc:
        raise InvalidDate(f"date {mention_id!r} ({current.text}): {exc.message}", hint=exc.hint) from None
    updated = parse_model(
        DateMention,
        {
            **current.model_dump(),
            "calendar": cal,
            "lexicon": lexicon or current.lexicon,
            "granularity": Granularity(norm.granularity),
            "native": {"year": year, "month": month, "day": day},
            "gregorian_start": norm.gregorian_start,
            "gregorian_end": norm.gregorian_end,
            "year_inferred": False,
            "note": norm.note,
        },
        where=f"date {mention_id}",
    )
    new = _copy(aset)
    new.dates = [updated if d.id == mention_id else d for d in new.dates]
    recheck_links(new, engine, {mention_id})
    return _finish(ctx, new)


def recheck_links(aset: AnnotationSet, engine: DateEngine, touched: Collection[str] | None = None) -> None:
    """Ask ``engine`` again whether each ``same_date`` link of ``aset`` holds (in place): every link between two
    of its dates, or only those with an end in ``touched``. A link that does not hold keeps the engine's reason."""
    dates = {d.id: d for d in aset.dates}
    for link in aset.links:
        if link.source not in dates or link.target not in dates:
            continue
        if touched is None or link.source in touched or link.target in touched:
            link.consistent, link.reason = engine.check_link(dates[link.source], dates[link.target])


def link_dates(ctx: EditContext, aset: AnnotationSet, source: str, target: str) -> AnnotationSet:
    """Link two date mentions ``same_date``; the engine says whether they agree and, if not, why."""
    a = _date(aset, source, where="source")
    b = _date(aset, target, where="target")
    if source == target:
        raise InputError(f"cannot link {source!r} to itself", where="target", hint="select a second date")
    for link in aset.links:
        if {link.source, link.target} == {source, target}:
            raise InputError(f"{source!r} and {target!r} are already linked by {link.id!r}", where="target")
    consistent, reason = ctx.date_engine().check_link(a, b)
    new = _copy(aset)
    new.links.append(
        DateLink(
            id=_fresh_id(f"ln-{source}-{target}", _used_ids(aset)),
            source=source,
            target=target,
            consistent=consistent,
            reason=reason,
        )
    )
    return _finish(ctx, new)


def unlink(ctx: EditContext, aset: AnnotationSet, link_id: str) -> AnnotationSet:
    """Remove a date link."""
    if not any(link.id == link_id for link in aset.links):
        raise InputError(f"no link {link_id!r} in this set", where="id")
    new = _copy(aset)
    new.links = [link for link in new.links if link.id != link_id]
    return _finish(ctx, new)


# --- events -------------------------------------------------------------------------------------------------


def add_event(ctx: EditContext, aset: AnnotationSet, start: int, end: int, type: str) -> AnnotationSet:
    """Add an event of ``type`` whose trigger is ``[start, end)``, with no arguments yet."""
    s, e = _check_span(ctx, start, end)
    _check_event_type(ctx, type)
    for ev in aset.events:
        if (ev.trigger.start, ev.trigger.end) == (s, e):
            raise InputError(
                f"[{s}, {e}) is already the trigger of event {ev.id!r} ({ev.type})",
                where="start",
                hint="change its type instead",
            )
    new = _copy(aset)
    event = Event(
        id=_fresh_id(f"ev-{s}-{e}", _used_ids(aset)),
        type=type,
        trigger=Trigger(start=s, end=e, text=ctx.document.text[s:e]),
    )
    new.events = sorted([*new.events, event], key=lambda x: (x.trigger.start, x.trigger.end))
    return _finish(ctx, new)


def set_event_type(ctx: EditContext, aset: AnnotationSet, event_id: str, type: str) -> AnnotationSet:
    """Change an event's type; refused while it has arguments in roles the new type does not have."""
    event = _event(aset, event_id)
    _check_event_type(ctx, type)
    et = ctx.taxonomy.event_type(type)
    assert et is not None
    orphans = [f"{a.role} -> {a.ref}" for a in event.arguments if et.role(a.role) is None]
    if orphans:
        raise InputError(
            f"{type} has no role for the arguments {', '.join(orphans)} of {event_id!r}; "
            f"its roles: {', '.join(r.name for r in et.roles)}",
            where="type",
            hint="remove those arguments first",
        )
    new = _copy(aset)
    for ev in new.events:
        if ev.id == event_id:
            ev.type = type
    return _finish(ctx, new)


def set_event_attribute(
    ctx: EditContext, aset: AnnotationSet, event_id: str, name: str, value: str
) -> AnnotationSet:
    """Set an event's ``modality``, ``polarity`` or ``tense`` (:data:`~annotate.models.EVENT_ATTRIBUTES`) to
    ``value``; an unknown attribute or value is an :class:`InputError` naming the choices."""
    _event(aset, event_id, where="event_id")
    values = EVENT_ATTRIBUTES.get(name)
    if values is None:
        raise InputError(f"events have no attribute {name!r}; they have {', '.join(EVENT_ATTRIBUTES)}", where="name")
    if value not in values:
        raise InputError(f"{value!r} is not a {name}; choose one of {', '.join(values)}", where=name)
    new = _copy(aset)
    for ev in new.events:
        if ev.id == event_id:
            setattr(ev, name, type(getattr(ev, name))(value))
    return _finish(ctx, new)


def add_argument(ctx: EditContext, aset: AnnotationSet, event_id: str, role: str, ref: str) -> AnnotationSet:
    """Attach mention ``ref`` to ``event_id`` in ``role``; only roles and targets the taxonomy allows."""
    event = _event(aset, event_id, where="event_id")
    et = ctx.taxonomy.event_type(event.type)
    assert et is not None  # the set passed validation, so its event types are known
    r = et.role(role)
    if r is None:
        raise InputError(
            f"{role!r} is not a role of {event.type}; allowed: {', '.join(x.name for x in et.roles)}",
            where="role",
        )
    kind = aset.mention_ids().get(ref)
    if kind is None:
        raise InputError(f"{ref!r} is not an entity or date mention of this set", where="ref")
    entity_type = next((m.type for m in aset.entities if m.id == ref), None)
    if not r.accepts(kind, entity_type):
        what = f"an entity {entity_type}" if kind == "entity" else "a date"
        raise InputError(
            f"role {role!r} of {event.type} takes {r.describe()}, not {what} mention", where="ref"
        )
    if any(a.role == role and a.ref == ref for a in event.arguments):
        raise InputError(f"{ref!r} already fills {role!r} of {event_id!r}", where="ref")
    new = _copy(aset)
    for ev in new.events:
        if ev.id == event_id:
            ev.arguments.append(EventArgument(role=role, ref=ref))
    return _finish(ctx, new)


def remove_argument(
    ctx: EditContext, aset: AnnotationSet, event_id: str, role: str, ref: str
) -> AnnotationSet:
    """Detach ``ref`` from ``role`` of ``event_id``."""
    event = _event(aset, event_id, where="event_id")
    if not any(a.role == role and a.ref == ref for a in event.arguments):
        raise InputError(f"{ref!r} does not fill {role!r} of {event_id!r}", where="ref")
    new = _copy(aset)
    for ev in new.events:
        if ev.id == event_id:
            ev.arguments = [a for a in ev.arguments if not (a.role == role and a.ref == ref)]
    return _finish(ctx, new)


def unfilled_roles(event: Event, taxonomy: Taxonomy) -> list[str]:
    """Names of the roles of ``event``'s type that no argument fills yet, in taxonomy order."""
    et = taxonomy.event_type(event.type)
    if et is None:
        return []
    filled = {a.role for a in event.arguments}
    return [r.name for r in et.roles if r.name not in filled]


# --- deletion -----------------------------------------------------------------------------------------------


def delete_item(ctx: EditContext, aset: AnnotationSet, item_id: str) -> DeleteResult:
    """Delete a mention, event or link by id.

    Deleting a mention also removes the event arguments and date links that point at it; ``removed`` says
    which, one line each, so the app can tell the annotator. Deleting a mark accepted from a suggester rejects it.
    """
    kind = aset.mention_ids().get(item_id)
    new = _copy(aset)
    removed: list[str] = []
    if kind == "entity":
        new.entities = [m for m in new.entities if m.id != item_id]
    elif kind == "date":
        new.dates = [d for d in new.dates if d.id != item_id]
    elif any(ev.id == item_id for ev in aset.events):
        new.events = [ev for ev in new.events if ev.id != item_id]
    elif any(link.id == item_id for link in aset.links):
        new.links = [link for link in new.links if link.id != item_id]
    else:
        raise InputError(f"no mention, event or link {item_id!r} in this set", where="id")
    if kind is not None:
        for ev in new.events:
            gone = [a for a in ev.arguments if a.ref == item_id]
            removed += [f"argument {a.role} of event {ev.id}" for a in gone]
            ev.arguments = [a for a in ev.arguments if a.ref != item_id]
        gone_links = [link for link in new.links if item_id in (link.source, link.target)]
        removed += [f"link {link.id}" for link in gone_links]
        new.links = [link for link in new.links if item_id not in (link.source, link.target)]
    came_from = suggestion_of(item_id)  # rejected: it does not come back, and counts against its form
    if came_from is not None:
        new.metadata[REJECTED_KEY] = sorted(_rejected(aset) | {came_from})
    return DeleteResult(_finish(ctx, new), removed)


# --- engine suggestions (pre-annotations) -------------------------------------------------------------------


def _span_key(layer: str, item: Any) -> tuple[str, int, int]:
    span = item.trigger if layer == "events" else item
    return layer, span.start, span.end


def _rejected(aset: AnnotationSet) -> set[str]:
    value = aset.metadata.get(REJECTED_KEY, [])
    return {str(x) for x in value} if isinstance(value, list) else set()


def pending_suggestions(aset: AnnotationSet, engine_set: AnnotationSet) -> list[str]:
    """Ids of the engine's mentions, events and links neither accepted (same span and layer) nor rejected."""
    own = {
        _span_key(layer, x)
        for layer, items in (("entities", aset.entities), ("dates", aset.dates), ("events", aset.events))
        for x in items
    }
    rejected = _rejected(aset)
    out = [
        x.id
        for layer, items in (("entities", engine_set.entities), ("dates", engine_set.dates),
                             ("events", engine_set.events))
        for x in items
        if _span_key(layer, x) not in own and x.id not in rejected
    ]
    spans = {x.id: _span_key("dates", x) for x in engine_set.dates}
    own_pairs = {
        frozenset((_span_key("dates", d1), _span_key("dates", d2)))
        for link in aset.links
        for d1 in aset.dates if d1.id == link.source
        for d2 in aset.dates if d2.id == link.target
    }
    # Rejecting a date also rejects the links the engine proposed for it.
    out += [
        link.id
        for link in engine_set.links
        if not {link.id, link.source, link.target} & rejected
        and frozenset((spans.get(link.source), spans.get(link.target))) not in own_pairs
    ]
    return out


def reject_suggestions(ctx: EditContext, aset: AnnotationSet, ids: Iterable[str]) -> AnnotationSet:
    """Record engine suggestions the annotator rejected (kept in ``metadata``, so they stay hidden)."""
    new = _copy(aset)
    new.metadata[REJECTED_KEY] = sorted(_rejected(aset) | set(ids))
    return _finish(ctx, new)


def accept_suggestions(
    ctx: EditContext, aset: AnnotationSet, engine_set: AnnotationSet, ids: Iterable[str] | None = None
) -> AcceptResult:
    """Copy engine suggestions into ``aset``: the ``ids`` given, or every pending one when ``ids`` is None.

    A suggestion whose span is already in the set maps to the existing mention (accepting twice is
    harmless).  Clashing ids get a fresh one.  Accepting a link brings its two dates; an engine link whose two
    dates are both in the set afterwards comes along too, with its ends remapped.  Event arguments keep only
    the refs present.
    """
    engine_items: dict[str, tuple[str, Any]] = {}
    for layer, items in (("entities", engine_set.entities), ("dates", engine_set.dates),
                         ("events", engine_set.events), ("links", engine_set.links)):
        for x in items:
            engine_items[x.id] = (layer, x)
    if ids is None:
        wanted = set(pending_suggestions(aset, engine_set))
    else:
        wanted = set(ids)
        unknown = sorted(wanted - engine_items.keys())
        if unknown:
            raise InputError(f"no engine suggestion {', '.join(map(repr, unknown))}", where="ids")
    for sid in list(wanted):
        layer, x = engine_items[sid]
        if layer == "links":
            wanted |= {x.source, x.target}
    new = _copy(aset)
    used = _used_ids(new)
    by_span: dict[tuple[str, int, int], str] = {}
    for layer, items in (("entities", new.entities), ("dates", new.dates), ("events", new.events)):
        for x in items:
            by_span[_span_key(layer, x)] = x.id
    mapping: dict[str, str] = {}
    for layer in ("entities", "dates"):
        for sid, (lay, x) in engine_items.items():
            if lay != layer:
                continue
            key = _span_key(layer, x)
            if key in by_span:  # already in the set (accepted earlier or marked by hand)
                mapping[sid] = by_span[key]
                continue
            if sid not in wanted:
                continue
            nid = _fresh_id(sid, used)
            used.add(nid)
            getattr(new, layer).append(x.model_copy(update={"id": nid}, deep=True))
            by_span[key] = mapping[sid] = nid
    for sid, (lay, x) in engine_items.items():
        if lay != "events" or sid not in wanted:
            continue
        key = _span_key("events", x)
        if key in by_span:
            mapping[sid] = by_span[key]
            continue
        nid = _fresh_id(sid, used)
        used.add(nid)
        args = [a.model_copy(update={"ref": mapping.get(a.ref, a.ref)}) for a in x.arguments]
        present = new.mention_ids()
        new.events.append(
            x.model_copy(update={"id": nid, "arguments": [a for a in args if a.ref in present]}, deep=True)
        )
        by_span[key] = mapping[sid] = nid
    linked = {frozenset((link.source, link.target)): link.id for link in new.links}
    rejected = _rejected(aset)
    for link in engine_set.links:
        src, tgt = mapping.get(link.source), mapping.get(link.target)
        if src is None or tgt is None or src == tgt or (link.id in rejected and link.id not in wanted):
            continue
        pair = frozenset((src, tgt))
        if pair in linked:
            mapping[link.id] = linked[pair]
            continue
        nid = _fresh_id(link.id if (src, tgt) == (link.source, link.target) else f"ln-{src}-{tgt}", used)
        used.add(nid)
        new.links.append(link.model_copy(update={"id": nid, "source": src, "target": tgt}))
        linked[pair] = mapping[link.id] = nid
    new.entities.sort(key=lambda m: (m.start, m.end))
    new.dates.sort(key=lambda m: (m.start, m.end))
    new.events.sort(key=lambda e: (e.trigger.start, e.trigger.end))
    return AcceptResult(_finish(ctx, new), mapping)


# --- canonical ids ------------------------------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ؤ": "و", "\u0640": None, "\u200c": None, "\u200d": None, "\u200e": None, "\u200f": None,
        "\u061c": None, "«": " ", "»": " ", "“": " ", "”": " ", '"': " ", "-": " ", "_": " ", "،": " ",
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
    }
)
_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_SPACES = re.compile(r"\s+")


def _fold(name: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFC", name)).translate(_FOLD).casefold()


def _strip_article(folded: str) -> str:
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in _SPACES.split(folded) if w)


def match_key(name: str) -> str:
    """The form names are compared in for canonical-id suggestions (never stored, never shown).

    Folds Arabic/Persian letter variants (ي/ی, ك/ک, أ/ا, ة/ه), drops diacritics, tatweel, ZWNJ and bidi marks,
    maps digits to ASCII and strips the Arabic article ال from each word, on top of the date engine's matching
    view (:func:`annotate.text.view.normalize`) so that both features fold letters alike.
    """
    return _strip_article(_folded(name))


def _folded(name: str) -> str:
    # ZWNJ joins the parts of one word: drop it before anything turns it into a word break.
    return _fold(normalize_view(name.replace("\u200c", "")))


@dataclass(frozen=True)
class CanonicalSuggestion:
    """A canonical id offered for a mention, with how well a known surface form matched."""

    canonical_id: str
    score: float
    matched: str


def canonical_id_suggestions(
    name: str, known: Mapping[str, Iterable[str]], *, limit: int = 5
) -> list[CanonicalSuggestion]:
    """Canonical ids whose surface forms match ``name`` across scripts, best first.

    ``known`` maps each canonical id to the surface forms already used with it.  Score 1.0: same match key;
    0.9: same words in another order or written together (ZWNJ / space); 0.6: one contains the other as whole
    words.  Ties are broken by id, so the order is stable.
    """
    key = match_key(name)
    if not key:
        return []
    words = set(key.split())
    loose = _folded(name).replace(" ", "")
    best: dict[str, CanonicalSuggestion] = {}
    for cid, forms in known.items():
        for form in forms:
            fkey = match_key(form)
            if not fkey:
                continue
            fwords = set(fkey.split())
            if fkey == key:
                score = 1.0
            elif fwords == words or _folded(form).replace(" ", "") == loose:
                score = 0.9
            elif words <= fwords or fwords <= words:
                score = 0.6
            else:
                continue
            if cid not in best or score > best[cid].score:
                best[cid] = CanonicalSuggestion(cid, score, form)
    return sorted(best.values(), key=lambda s: (-s.score, s.canonical_id))[:limit]
