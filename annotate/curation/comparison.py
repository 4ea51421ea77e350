"""The annotators' sets of one document compared item by item: what adjudication decides between.

:func:`diff_sets` groups what the annotators marked into *options* (one distinct version of an item, with the
annotators who made it exactly so) and *groups* of options that compete for the same place: same span with a
different type, overlapping spans, the same date span with a different normalised value, or the same event with
a different modality, polarity or tense.  The *differences*
of a document are its groups that not every annotator made alike (:func:`differences`).  Arguments carry the text
of the mention that fills their role, links the texts of both dates, so a difference reads on its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, NotFound
from ..models import EVENT_ATTRIBUTES, AnnotationSet, AnnotationStatus, AuthorKind, DateMention, EntityMention, Event
from ..store import Store
from ..text.bidi import quote

__all__ = [
    "LAYER_ORDER",
    "Group",
    "Item",
    "Key",
    "Option",
    "SetsDiff",
    "annotator_sets",
    "date_label",
    "diff_sets",
    "differences",
    "items",
    "mention_spans",
]

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Option:
    """One distinct version of an item, with every annotator who made it exactly like this."""

    id: str
    layer: str
    key: Key
    span: tuple[int, int]
    label: str
    text: str
    annotators: tuple[str, ...]
    refs: Mapping[str, str]
    """Annotator -> id of the item in their set (for arguments: ``event_id/role/ref``)."""
    filler: str | None = None
    """For an argument: the text of the mention that fills the role (``text`` is the trigger's); for a link:
    the second date's text (``text`` is the first's)."""

    def describe(self) -> str:
        """The option in words, document text quoted and isolated: ``GPE «بغداد»``, ``participant of «نشست»:
        «علی»``, ``same_date «10 بهمن» = «30 ژانویه»``."""
        if self.layer == "arguments":
            return f"{self.label} of {quote(self.text)}: {quote(self.filler or '')}"
        if self.layer == "links":
            return f"{self.label} {quote(self.text)} = {quote(self.filler or '')}"
        return f"{self.label} {quote(self.text)}"


@dataclass(frozen=True)
class Group:
    """Options that compete for the same place; one option alone is either agreed or partial."""

    id: str
    layer: str
    options: tuple[Option, ...]
    kind: str
    """``agreed`` (everyone, one option), ``partial`` (some annotators, one option) or ``conflict``."""
    reason: str | None = None


@dataclass(frozen=True)
class SetsDiff:
    """The annotators' sets of one document compared item by item."""

    doc_id: str
    annotators: tuple[str, ...]
    groups: tuple[Group, ...]
    sets: Mapping[str, AnnotationSet] = field(repr=False)

    def option(self, option_id: str) -> Option:
        """The option with this id; :class:`InputError` if there is none."""
        for g in self.groups:
            for o in g.options:
                if o.id == option_id:
                    return o
        raise InputError(f"no option {option_id!r} in the comparison of document {self.doc_id}", where="option")

    def group(self, group_id: str) -> Group:
        """The group with this id; :class:`InputError` if there is none."""
        for g in self.groups:
            if g.id == group_id:
                return g
        raise InputError(f"no difference {group_id!r} in the comparison of document {self.doc_id}", where="group")

    def group_of(self, option_id: str) -> Group:
        """The group an option belongs to."""
        for g in self.groups:
            if any(o.id == option_id for o in g.options):
                return g
        raise InputError(f"no option {option_id!r} in the comparison of document {self.doc_id}", where="option")


# --- keys ---------------------------------------------------------------------------------------------------

LAYER_ORDER = ("entities", "dates", "events", "arguments", "links")


def _date_value(d: DateMention) -> Key:
    return (
        d.calendar.value,
        d.lexicon,
        d.granularity.value,
        d.native.year,
        d.native.month,
        d.native.day,
        d.gregorian_start,
        d.gregorian_end,
        d.year_inferred,
        d.relative,
    )


def date_label(d: DateMention) -> str:
    return f"{d.calendar.value} {d.granularity.value}: {d.gregorian_label()}"


def _event_label(ev: Event) -> str:
    """``ATTACK``, or ``ATTACK (other, negative, future)`` when an attribute is not its default."""
    values = ev.attributes()
    if all(values[name] == str(Event.model_fields[name].default) for name in values):
        return ev.type
    return f"{ev.type} ({', '.join(values.values())})"


def _entity_key(e: EntityMention) -> Key:
    return ("entities", e.start, e.end, e.type, e.canonical_id)


def mention_spans(aset: AnnotationSet) -> dict[str, tuple[str, int, int]]:
    out = {m.id: ("entity", m.start, m.end) for m in aset.entities}
    out.update({d.id: ("date", d.start, d.end) for d in aset.dates})
    return out


Item = tuple[Key, str, tuple[int, int], str, str, str | None]
"""``(key, item ref, span, label, text, filler)``: one item of a set as the comparison sees it."""


def items(aset: AnnotationSet) -> list[Item]:
    """Every item of ``aset``; arguments carry their filler's text, links both dates' texts."""
    out: list[Item] = []
    for e in aset.entities:
        label = e.type + (f" [{e.canonical_id}]" if e.canonical_id else "")
        out.append((_entity_key(e), e.id, (e.start, e.end), label, e.text, None))
    for d in aset.dates:
        out.append((("dates", d.start, d.end, *_date_value(d)), d.id, (d.start, d.end), date_label(d), d.text, None))
    spans = mention_spans(aset)
    texts = {m.id: m.text for m in aset.entities} | {d.id: d.text for d in aset.dates}
    for ev in aset.events:
        t = ev.trigger
        out.append((("events", t.start, t.end, ev.type, *ev.attributes().values()), ev.id, (t.start, t.end),
                    _event_label(ev), t.text, None))
        for arg in ev.arguments:
            target = spans.get(arg.ref)
            if target is None:
                continue
            out.append(
                (
                    ("arguments", t.start, t.end, arg.role, *target),
                    f"{ev.id}/{arg.role}/{arg.ref}",
                    (t.start, t.end),
                    arg.role,
                    t.text,
                    texts[arg.ref],
                )
            )
    dates = {d.id: d for d in aset.dates}
    for link in aset.links:
        a, b = dates.get(link.source), dates.get(link.target)
        if a is None or b is None:
            continue
        first, second = sorted((a, b), key=lambda d: (d.start, d.end))
        pair = ((first.start, first.end), (second.start, second.end))
        out.append((("links", pair), link.id, pair[0], "same_date", first.text, second.text))
    return out


def _option_id(key: Key) -> str:
    return "o-" + hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:10]


def annotator_sets(store: Store, doc_id: str, annotators: Sequence[str] | None = None) -> dict[str, AnnotationSet]:
    """The human annotation sets of ``doc_id`` by author (only ``annotators`` when given; never withdrawn ones)."""
    out = {
        s.author: s
        for s in store.sets.list(doc_id=doc_id)
        if s.author_kind is AuthorKind.human and s.status is not AnnotationStatus.withdrawn
        and (annotators is None or s.author in annotators)
    }
    if annotators is not None:
        missing = [a for a in annotators if a not in out]
        if missing:
            raise NotFound(f"document {doc_id}: no annotation set by {', '.join(map(repr, missing))}")
    return out


def diff_sets(doc_id: str, sets: Mapping[str, AnnotationSet]) -> SetsDiff:
    """Compare the annotators' sets of one document: options grouped where they compete.

    Entities, dates and events whose spans overlap form one group; arguments of the same trigger pointing at
    the same span form one group (different roles); links are groups of their own.
    """
    names = tuple(sorted(sets))
    found: dict[Key, dict[str, Any]] = {}
    for name in names:
        for key, ref, span, label, text, filler in items(sets[name]):
            entry = found.setdefault(key, {"span": span, "label": label, "text": text, "filler": filler, "refs": {}})
            entry["refs"].setdefault(name, ref)
    options = [
        Option(
            id=_option_id(key),
            layer=str(key[0]),
            key=key,
            span=v["span"],
            label=v["label"],
            text=v["text"],
            annotators=tuple(sorted(v["refs"])),
            refs=dict(v["refs"]),
            filler=v["filler"],
        )
        for key, v in found.items()
    ]
    groups: list[Group] = []
    for layer in LAYER_ORDER:
        mine = sorted((o for o in options if o.layer == layer), key=lambda o: (o.span, o.key[1:].__repr__()))
        clusters: list[list[Option]] = []
        for o in mine:
            home = next((c for c in clusters if any(_compete(o, x) for x in c)), None)
            if home is None:
                clusters.append([o])
            else:
                home.append(o)
        for c in clusters:
            groups.append(_group(layer, c, names))
    return SetsDiff(doc_id, names, tuple(groups), dict(sets))


def _compete(a: Option, b: Option) -> bool:
    if a.layer in ("entities", "dates", "events"):
        return a.span[0] < b.span[1] and b.span[0] < a.span[1]
    if a.layer == "arguments":
        return a.key[1:3] == b.key[1:3] and a.key[4:] == b.key[4:]
    return False


def _group(layer: str, options: list[Option], names: tuple[str, ...]) -> Group:
    gid = "g-" + options[0].id[2:]
    if len(options) == 1:
        o = options[0]
        return Group(gid, layer, (o,), "agreed" if set(o.annotators) == set(names) else "partial")
    same_span = len({o.span for o in options}) == 1
    if layer == "dates" and same_span:
        reason = "different normalised values"
    elif layer == "arguments":
        reason = "same argument in different roles"
    elif same_span and layer == "entities" and len({o.key[3] for o in options}) == 1:
        reason = "same entity, different canonical ids"
    elif same_span and layer == "events" and len({o.key[3] for o in options}) == 1:
        differ = [name for i, name in enumerate(EVENT_ATTRIBUTES, 4) if len({o.key[i] for o in options}) > 1]
        reason = f"same event, different {' and '.join(differ)}"
    elif same_span:
        reason = "same span, different type"
    else:
        reason = "overlapping spans"
    return Group(gid, layer, tuple(sorted(options, key=lambda o: (-len(o.annotators), o.span))), "conflict", reason)




def differences(diff: SetsDiff) -> list[Group]:
    """The groups a curator decides: every group not made alike by every annotator, in document order per layer."""
    return [g for g in diff.groups if g.kind != "agreed"]

