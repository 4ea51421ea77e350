"""Adjudication: the annotators' sets of one document side by side, merged item by item into the gold set.

:func:`diff_sets` groups what the annotators marked into *options* (one distinct version of an item, with the
annotators who made it exactly so) and *groups* of options that compete for the same place: same span with a
different type, overlapping spans, the same date span with a different normalised value, or the same event with
a different modality, polarity or tense.
:func:`auto_merge` starts the gold set from what every annotator (or a majority) agrees on; :func:`accept`,
:func:`merge`, :func:`reject` and :func:`apply_edit` change it item by item through
:mod:`annotate.annotation.editing`, so
every intermediate set is valid.  Each gold item carries provenance in ``metadata["provenance"]``: which
annotators agreed on it, who decided, when and how (``auto``, ``accepted`` or ``edited``).  :func:`save_gold`
stores it as the document's gold set (a new revision every time), after re-checking every date link with the
date engine; a link between dates the source itself contradicts stays ``consistent: false`` with its reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..annotation import editing
from ..canonical import now_iso
from ..errors import InputError, NotFound
from ..models import (
    EVENT_ATTRIBUTES,
    GOLD_AUTHOR,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    DateMention,
    EntityMention,
    Event,
    validate_annotation_set,
)
from ..store import Store

__all__ = [
    "ADJUDICATION_KEY",
    "PROVENANCE_KEY",
    "DocumentState",
    "Group",
    "Mark",
    "Option",
    "Session",
    "SetsDiff",
    "Strategy",
    "accept",
    "adjudication_queue",
    "annotator_marks",
    "annotator_sets",
    "apply_edit",
    "auto_adjudicate",
    "auto_merge",
    "diff_sets",
    "empty_gold",
    "gold_marks",
    "gold_summary",
    "in_gold",
    "load_gold",
    "merge",
    "open_session",
    "reject",
    "reopen_gold",
    "save_gold",
    "undecided",
]

PROVENANCE_KEY = "provenance"
"""``metadata`` key of the gold set: item id (``event/role/ref`` for arguments) -> its provenance record."""

ADJUDICATION_KEY = "adjudication"
"""``metadata`` key of the gold set: annotators, their revisions, strategy, decisions and reopenings."""

Key = tuple[Any, ...]


class Strategy(StrEnum):
    """How :func:`auto_merge` decides what is agreed."""

    unanimous = "unanimous"
    majority = "majority"


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


def _fmt_date(d: DateMention) -> str:
    return f"{d.calendar.value} {d.granularity.value}: {d.gregorian_label()}"


def _event_label(ev: Event) -> str:
    """``ATTACK``, or ``ATTACK (other, negative, future)`` when an attribute is not its default."""
    values = ev.attributes()
    if all(values[name] == str(Event.model_fields[name].default) for name in values):
        return ev.type
    return f"{ev.type} ({', '.join(values.values())})"


def _entity_key(e: EntityMention) -> Key:
    return ("entities", e.start, e.end, e.type, e.canonical_id)


def _spans(aset: AnnotationSet) -> dict[str, tuple[str, int, int]]:
    out = {m.id: ("entity", m.start, m.end) for m in aset.entities}
    out.update({d.id: ("date", d.start, d.end) for d in aset.dates})
    return out


def _items(aset: AnnotationSet) -> list[tuple[Key, str, tuple[int, int], str, str]]:
    """``(key, item ref, span, label, text)`` for every item of ``aset``."""
    out: list[tuple[Key, str, tuple[int, int], str, str]] = []
    for e in aset.entities:
        label = e.type + (f" [{e.canonical_id}]" if e.canonical_id else "")
        out.append((_entity_key(e), e.id, (e.start, e.end), label, e.text))
    for d in aset.dates:
        out.append((("dates", d.start, d.end, *_date_value(d)), d.id, (d.start, d.end), _fmt_date(d), d.text))
    spans = _spans(aset)
    for ev in aset.events:
        t = ev.trigger
        out.append((("events", t.start, t.end, ev.type, *ev.attributes().values()), ev.id, (t.start, t.end),
                    _event_label(ev), t.text))
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
                    f"{t.text} → {arg.role}",
                )
            )
    dates = {d.id: d for d in aset.dates}
    for link in aset.links:
        a, b = dates.get(link.source), dates.get(link.target)
        if a is None or b is None:
            continue
        pair = tuple(sorted(((a.start, a.end), (b.start, b.end))))
        out.append((("links", pair), link.id, pair[0], "same_date", f"{a.text} = {b.text}"))
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
        for key, ref, span, label, text in _items(sets[name]):
            entry = found.setdefault(key, {"span": span, "label": label, "text": text, "refs": {}})
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


# --- provenance ---------------------------------------------------------------------------------------------


def _gold_keys(gold: AnnotationSet) -> dict[str, Key]:
    return {ref: key for key, ref, *_ in _items(gold)}


def _restamp(
    before: AnnotationSet | None,
    after: AnnotationSet,
    diff: SetsDiff,
    *,
    how: str,
    by: str,
) -> AnnotationSet:
    """Give every new or changed item of ``after`` a provenance record; keep the others' records."""
    old_keys = _gold_keys(before) if before is not None else {}
    old_prov: dict[str, Any] = dict(before.metadata.get(PROVENANCE_KEY, {})) if before is not None else {}
    agreed = {o.key: list(o.annotators) for g in diff.groups for o in g.options}
    prov: dict[str, Any] = {}
    at = now_iso()
    for ref, key in _gold_keys(after).items():
        if ref in old_prov and old_keys.get(ref) == key:
            prov[ref] = old_prov[ref]
        else:
            prov[ref] = {
                "layer": key[0],
                "agreed_by": agreed.get(key, []),
                "of": list(diff.annotators),
                "how": how,
                "by": by,
                "at": at,
            }
    out = after.model_copy(deep=True)
    out.metadata[PROVENANCE_KEY] = prov
    meta = dict(out.metadata.get(ADJUDICATION_KEY, {}))
    meta["annotators"] = list(diff.annotators)
    meta["source_revisions"] = {a: s.revision for a, s in sorted(diff.sets.items())}
    adjudicators = list(meta.get("adjudicated_by", []))
    if by not in adjudicators:
        adjudicators.append(by)
    meta["adjudicated_by"] = adjudicators
    out.metadata[ADJUDICATION_KEY] = meta
    return out


def _decide(gold: AnnotationSet, option: Option, how: str, by: str) -> None:
    meta = gold.metadata.setdefault(ADJUDICATION_KEY, {})
    meta.setdefault("decisions", []).append(
        {"option": option.id, "layer": option.layer, "label": option.label, "text": option.text,
         "annotators": list(option.annotators), "how": how, "by": by, "at": now_iso()}
    )


# --- building the gold set ----------------------------------------------------------------------------------


def empty_gold(ctx: editing.EditContext) -> AnnotationSet:
    """An empty gold set for the context's document."""
    return AnnotationSet(
        doc_id=ctx.document.id,
        author=GOLD_AUTHOR,
        author_kind=AuthorKind.gold,
        status=AnnotationStatus.in_progress,
    )


def _find(gold: AnnotationSet, layer: str, span: tuple[int, int]) -> Any:
    if layer == "entities":
        return next((m for m in gold.entities if (m.start, m.end) == span), None)
    if layer == "dates":
        return next((d for d in gold.dates if (d.start, d.end) == span), None)
    if layer == "events":
        return next((ev for ev in gold.events if (ev.trigger.start, ev.trigger.end) == span), None)
    return None


def _mention_at(gold: AnnotationSet, kind: str, start: int, end: int) -> str | None:
    for ref, (k, s, e) in _spans(gold).items():
        if (k, s, e) == (kind, start, end):
            return ref
    return None


def _source(diff: SetsDiff, option: Option, annotator: str | None) -> tuple[str, AnnotationSet, str]:
    who = annotator or option.annotators[0]
    if who not in option.refs:
        raise InputError(
            f"{who!r} did not make option {option.id} ({option.label}); made by {', '.join(option.annotators)}",
            where="annotator",
        )
    return who, diff.sets[who], option.refs[who]


def _subset(aset: AnnotationSet, ids: set[str]) -> AnnotationSet:
    """Only the items ``ids`` of ``aset`` (events without arguments), for :func:`editing.accept_suggestions`."""
    return aset.model_copy(
        update={
            "entities": [m for m in aset.entities if m.id in ids],
            "dates": [d for d in aset.dates if d.id in ids],
            "events": [ev.model_copy(update={"arguments": []}) for ev in aset.events if ev.id in ids],
            "links": [],
            "metadata": {},
        },
        deep=True,
    )


def _replace_date(ctx: editing.EditContext, gold: AnnotationSet, gold_id: str, src: DateMention) -> AnnotationSet:
    new = gold.model_copy(deep=True)
    new.dates = [src.model_copy(update={"id": gold_id}) if d.id == gold_id else d for d in new.dates]
    editing.recheck_links(new, ctx.date_engine())
    validate_annotation_set(new, ctx.document, ctx.taxonomy)
    return new


def _add_option(
    ctx: editing.EditContext, gold: AnnotationSet, diff: SetsDiff, option: Option, annotator: str | None
) -> AnnotationSet:
    """Make ``option`` part of ``gold`` (changing the item at the same span if there is one)."""
    _, src, ref = _source(diff, option, annotator)
    if option.layer in ("entities", "dates", "events"):
        here = _find(gold, option.layer, option.span)
        if option.layer == "entities":
            item = next(m for m in src.entities if m.id == ref)
            if here is not None:
                gold = editing.set_entity_type(ctx, gold, here.id, item.type)
                return editing.set_canonical_id(ctx, gold, here.id, item.canonical_id)
        elif option.layer == "dates":
            date_item = next(d for d in src.dates if d.id == ref)
            if here is not None:
                return _replace_date(ctx, gold, here.id, date_item)
        elif here is not None:
            event = next(ev for ev in src.events if ev.id == ref)
            gold = editing.set_event_type(ctx, gold, here.id, event.type)
            for name, value in event.attributes().items():
                gold = editing.set_event_attribute(ctx, gold, here.id, name, value)
            return gold
        return editing.accept_suggestions(ctx, gold, _subset(src, {ref}), [ref]).aset
    missing = _missing_in_gold(gold, option)
    if missing is not None:
        raise InputError(missing[0], where="option", hint=missing[1])
    if option.layer == "arguments":
        ev_start, ev_end, role, kind, m_start, m_end = option.key[1:7]
        event = _find(gold, "events", (ev_start, ev_end))
        mention = _mention_at(gold, kind, m_start, m_end)
        assert event is not None and mention is not None
        if any(a.role == role and a.ref == mention for a in event.arguments):
            return gold
        return editing.add_argument(ctx, gold, event.id, role, mention)
    (a_span, b_span) = option.key[1]
    a_id = _mention_at(gold, "date", *a_span)
    b_id = _mention_at(gold, "date", *b_span)
    assert a_id is not None and b_id is not None
    if any({x.source, x.target} == {a_id, b_id} for x in gold.links):
        return gold
    return editing.link_dates(ctx, gold, a_id, b_id)


def _missing_in_gold(gold: AnnotationSet, option: Option) -> tuple[str, str] | None:
    """Why an argument or link ``option`` cannot go into ``gold`` yet (what it hangs on is not there), and the
    hint; None when nothing is missing (always for entities, dates and events)."""
    if option.layer == "arguments":
        ev_start, ev_end, _role, kind, m_start, m_end = option.key[1:7]
        if _find(gold, "events", (ev_start, ev_end)) is None or _mention_at(gold, kind, m_start, m_end) is None:
            return (f"argument {option.text!r} needs its event trigger and its {kind} mention in gold first",
                    "accept the event and the mention, then the argument")
    elif option.layer == "links":
        (a_span, b_span) = option.key[1]
        if _mention_at(gold, "date", *a_span) is None or _mention_at(gold, "date", *b_span) is None:
            return f"link {option.text!r} needs both dates in gold first", "accept the two dates"
    return None


def _remove_option(ctx: editing.EditContext, gold: AnnotationSet, option: Option) -> AnnotationSet:
    """Take ``option`` (its exact version) out of ``gold`` if it is there."""
    for key, ref, *_ in _items(gold):
        if key != option.key:
            continue
        if option.layer == "arguments":
            event_id, role, mention = ref.split("/", 2)
            return editing.remove_argument(ctx, gold, event_id, role, mention)
        return editing.delete_item(ctx, gold, ref).aset
    return gold


def _remove_competitors(
    ctx: editing.EditContext, gold: AnnotationSet, diff: SetsDiff, option: Option
) -> AnnotationSet:
    for other in diff.group_of(option.id).options:
        if other.id == option.id:
            continue
        if option.layer in ("entities", "dates", "events") and other.span == option.span:
            continue  # the item at this span is changed in place, keeping its links and arguments
        gold = _remove_option(ctx, gold, other)
    return gold


def _threshold(strategy: Strategy, n: int, min_count: int) -> int:
    if strategy is Strategy.unanimous:
        return n
    return max(min_count, n // 2 + 1)


def auto_merge(
    ctx: editing.EditContext,
    diff: SetsDiff,
    *,
    adjudicator: str,
    strategy: Strategy | str = Strategy.unanimous,
    min_count: int = 2,
    gold: AnnotationSet | None = None,
) -> AnnotationSet:
    """Put into gold every option enough annotators agree on; the rest is left for the curator.

    ``unanimous``: every annotator of the document made it.  ``majority``: more than half of them, and at least
    ``min_count``.  Two options competing for the same span that both qualify are both left out.  Arguments and
    links come in only when their event, mentions and dates are in gold.  Starts from ``gold`` when given.
    """
    try:
        strat = Strategy(strategy)
    except ValueError:
        raise InputError(
            f"unknown strategy {strategy!r}; use one of {', '.join(s.value for s in Strategy)}", where="strategy"
        ) from None
    if min_count < 1:
        raise InputError(f"must be at least 1, got {min_count}", where="min_count")
    if not diff.annotators:
        raise NotFound(f"document {diff.doc_id} has no annotator's set to adjudicate")
    need = _threshold(strat, len(diff.annotators), min_count)
    start = gold if gold is not None else empty_gold(ctx)
    current = start
    for layer in LAYER_ORDER:
        for g in diff.groups:
            if g.layer != layer:
                continue
            winners = [o for o in g.options if len(o.annotators) >= need]
            spans = [o.span for o in winners]
            for o in winners:
                if layer in ("entities", "dates", "events") and spans.count(o.span) > 1:
                    continue
                if layer in ("entities", "dates", "events") and _find(current, layer, o.span) is not None:
                    continue
                if _missing_in_gold(current, o) is not None:
                    continue  # its event, mention or dates did not qualify: the curator decides
                current = _add_option(ctx, current, diff, o, None)
    out = _restamp(start, current, diff, how="auto", by=adjudicator)
    meta = out.metadata[ADJUDICATION_KEY]
    meta["strategy"] = strat.value if strat is Strategy.unanimous else f"{strat.value}>={need}"
    return out


def accept(
    ctx: editing.EditContext,
    gold: AnnotationSet,
    diff: SetsDiff,
    option_id: str,
    *,
    adjudicator: str,
    annotator: str | None = None,
) -> AnnotationSet:
    """Take one side: put ``option_id`` into gold and drop the options competing with it.

    ``annotator`` picks whose copy to take (default: the first who made it); the content is the same.
    """
    option = diff.option(option_id)
    new = _remove_competitors(ctx, gold, diff, option)
    new = _add_option(ctx, new, diff, option, annotator)
    new = _restamp(gold, new, diff, how="accepted", by=adjudicator)
    _decide(new, option, "accepted", adjudicator)
    return new


def merge(
    ctx: editing.EditContext,
    gold: AnnotationSet,
    diff: SetsDiff,
    option_ids: Sequence[str],
    *,
    adjudicator: str,
) -> AnnotationSet:
    """Keep several options together (e.g. both of two overlapping entities), dropping none."""
    new = gold
    options = [diff.option(i) for i in option_ids]
    spans = [(o.layer, o.span) for o in options if o.layer in ("entities", "dates", "events")]
    clash = sorted({f"{layer} {s}..{e}" for layer, (s, e) in spans if spans.count((layer, (s, e))) > 1})
    if clash:
        raise InputError(
            f"cannot keep two versions of the same span ({', '.join(clash)})",
            where="options",
            hint="accept one of them, then edit it if needed",
        )
    for option in sorted(options, key=lambda o: LAYER_ORDER.index(o.layer)):
        new = _add_option(ctx, new, diff, option, None)
    new = _restamp(gold, new, diff, how="accepted", by=adjudicator)
    for option in options:
        _decide(new, option, "merged", adjudicator)
    return new


def reject(
    ctx: editing.EditContext, gold: AnnotationSet, diff: SetsDiff, option_id: str, *, adjudicator: str
) -> AnnotationSet:
    """Keep ``option_id`` out of gold (removing it, with what depends on it, if it is there); recorded."""
    option = diff.option(option_id)
    new = _remove_option(ctx, gold, option)
    new = _restamp(gold, new, diff, how="edited", by=adjudicator)
    _decide(new, option, "rejected", adjudicator)
    return new


def apply_edit(
    ctx: editing.EditContext,
    gold: AnnotationSet,
    diff: SetsDiff,
    operation: Callable[..., Any],
    *args: Any,
    adjudicator: str,
    **kwargs: Any,
) -> AnnotationSet:
    """Run an :mod:`annotate.annotation.editing` operation on gold (e.g. ``editing.set_entity_type``); changed items are
    recorded as ``edited`` by ``adjudicator``."""
    result = operation(ctx, gold, *args, **kwargs)
    new = result.aset if hasattr(result, "aset") else result
    if not isinstance(new, AnnotationSet):
        raise InputError(f"{getattr(operation, '__name__', operation)!r} did not return an annotation set",
                         where="operation")
    return _restamp(gold, new, diff, how="edited", by=adjudicator)


# --- the store ----------------------------------------------------------------------------------------------


def load_gold(store: Store, doc_id: str) -> AnnotationSet | None:
    """The document's gold set at its head revision, or None."""
    try:
        return store.sets.get(doc_id, GOLD_AUTHOR)
    except NotFound:
        return None


def save_gold(
    store: Store,
    ctx: editing.EditContext,
    gold: AnnotationSet,
    *,
    actor: str,
    final: bool = True,
    base_revision: int | None = None,
) -> AnnotationSet:
    """Store ``gold`` as a new revision of the document's gold set (status ``gold`` when ``final``).

    Every date link is re-checked with :func:`annotate.dates.check_link`: a link between dates the source
    itself contradicts stays (or becomes) inconsistent with its reason; nothing is changed to hide it.
    ``base_revision`` defaults to the gold set's current head (pass the revision you started from to detect a
    concurrent save: :class:`~annotate.errors.ConflictError`).
    """
    current = load_gold(store, ctx.document.id)
    base = base_revision if base_revision is not None else (current.revision if current is not None else 0)
    out = gold.model_copy(deep=True)
    out.doc_id = ctx.document.id
    out.author = GOLD_AUTHOR
    out.author_kind = AuthorKind.gold
    out.status = AnnotationStatus.gold if final else AnnotationStatus.in_progress
    editing.recheck_links(out, ctx.date_engine())
    validate_annotation_set(out, ctx.document, ctx.taxonomy)
    meta = out.metadata.setdefault(ADJUDICATION_KEY, {})
    meta["saved_by"] = actor
    meta["saved_at"] = now_iso()
    return store.sets.save(out, base_revision=base, actor=actor)


def reopen_gold(store: Store, doc_id: str, *, actor: str) -> AnnotationSet:
    """Put a document's gold set back in progress, as a new revision (the gold revision stays in history)."""
    current = load_gold(store, doc_id)
    if current is None:
        raise NotFound(
            f"document {doc_id} has no gold set to reopen", hint=f"run `annotate adjudicate {doc_id} --auto`"
        )
    if current.status is not AnnotationStatus.gold:
        raise InputError(f"the gold set of {doc_id} is already {current.status.value}", where="doc_id")
    out = current.model_copy(deep=True)
    out.status = AnnotationStatus.in_progress
    meta = out.metadata.setdefault(ADJUDICATION_KEY, {})
    meta.setdefault("reopened", []).append({"by": actor, "at": now_iso(), "from_revision": current.revision})
    return store.sets.save(out, base_revision=current.revision, actor=actor)


def gold_summary(gold: AnnotationSet) -> dict[str, int]:
    """How many gold items came in each way (``auto``, ``accepted``, ``edited``)."""
    out: dict[str, int] = {}
    for rec in gold.metadata.get(PROVENANCE_KEY, {}).values():
        out[rec.get("how", "?")] = out.get(rec.get("how", "?"), 0) + 1
    return out



@dataclass(frozen=True)
class Session:
    """Everything the adjudication of one document needs: context, comparison and the gold set so far."""

    ctx: editing.EditContext
    diff: SetsDiff
    gold: AnnotationSet | None
    """The stored gold set (head revision), or None before the first save."""


def open_session(store: Store, doc_id: str, annotators: Sequence[str] | None = None) -> Session:
    """Load a document, its annotators' sets (all human sets, or ``annotators``) and its gold set."""
    document = store.documents.get(doc_id)
    ctx = editing.EditContext(document, store.taxonomy)
    sets = annotator_sets(store, doc_id, annotators)
    return Session(ctx, diff_sets(doc_id, sets), load_gold(store, doc_id))


def auto_adjudicate(
    store: Store,
    doc_id: str,
    *,
    actor: str,
    strategy: Strategy | str = Strategy.unanimous,
    min_count: int = 2,
    final: bool = True,
) -> AnnotationSet:
    """Auto-merge a document's annotator sets and save the result as its gold set (a new revision).

    A reopened gold set is the starting point (agreed items are added to it, nothing in it is dropped).
    Refused while the gold set has status ``gold`` (reopen it first), so finished adjudication is never
    changed by accident.
    """
    session = open_session(store, doc_id)
    if session.gold is not None and session.gold.status is AnnotationStatus.gold:
        raise InputError(
            f"document {doc_id} already has a gold set (revision {session.gold.revision})",
            where="doc_id",
            hint=f"reopen it first: `annotate gold reopen {doc_id}`",
        )
    gold = auto_merge(
        session.ctx, session.diff, adjudicator=actor, strategy=strategy, min_count=min_count, gold=session.gold
    )
    base = session.gold.revision if session.gold is not None else 0
    return save_gold(store, session.ctx, gold, actor=actor, final=final, base_revision=base)


# --- what the adjudication page shows -----------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    """A span to highlight: where, what it is (shown on hover), and its kind (a diff kind or a provenance)."""

    start: int
    end: int
    label: str
    kind: str


def annotator_marks(diff: SetsDiff, annotator: str) -> list[Mark]:
    """The spans ``annotator`` marked (entities, dates, triggers), each as agreed, partial or conflict."""
    out = []
    for g in diff.groups:
        if g.layer not in ("entities", "dates", "events"):
            continue
        for o in g.options:
            if annotator in o.annotators:
                out.append(Mark(o.span[0], o.span[1], f"{o.layer[:-1]}: {o.label}", g.kind))
    return sorted(out, key=lambda m: (m.start, m.end))


def gold_marks(gold: AnnotationSet) -> list[Mark]:
    """The gold set's spans, each coloured by how it came in (auto, accepted, edited)."""
    prov = gold.metadata.get(PROVENANCE_KEY, {})
    out = [Mark(e.start, e.end, f"entity: {e.type}", prov.get(e.id, {}).get("how", "edited")) for e in gold.entities]
    out += [Mark(d.start, d.end, f"date: {_fmt_date(d)}", prov.get(d.id, {}).get("how", "edited")) for d in gold.dates]
    out += [
        Mark(ev.trigger.start, ev.trigger.end, f"event: {ev.type}", prov.get(ev.id, {}).get("how", "edited"))
        for ev in gold.events
    ]
    return sorted(out, key=lambda m: (m.start, m.end))


def in_gold(gold: AnnotationSet, option: Option) -> bool:
    """Whether ``gold`` holds exactly this option."""
    return any(key == option.key for key, *_ in _items(gold))


def undecided(diff: SetsDiff, gold: AnnotationSet) -> list[Group]:
    """Groups still to decide: not agreed by everyone and with no option of theirs in gold nor rejected."""
    rejected = {d["option"] for d in gold.metadata.get(ADJUDICATION_KEY, {}).get("decisions", [])
                if d.get("how") == "rejected"}
    return [
        g for g in diff.groups
        if g.kind != "agreed" and not any(in_gold(gold, o) or o.id in rejected for o in g.options)
    ]


@dataclass(frozen=True)
class DocumentState:
    """A document as the adjudication page lists it."""

    doc_id: str
    lang: str
    annotators: tuple[str, ...]
    gold_status: str | None
    gold_revision: int | None


def adjudication_queue(store: Store) -> list[DocumentState]:
    """Documents with at least one annotator's set, those with most annotators and no final gold first."""
    info = store.sets.list_info()
    humans: dict[str, list[str]] = {}
    gold: dict[str, tuple[str, int]] = {}
    for s in info:
        if s.author_kind is AuthorKind.human and s.status is not AnnotationStatus.withdrawn:
            humans.setdefault(s.doc_id, []).append(s.author)
        elif s.author == GOLD_AUTHOR:
            gold[s.doc_id] = (s.status.value, s.head_revision)
    langs = {d.id: d.lang for d in store.documents.list_info()}
    out = [
        DocumentState(
            doc_id, langs.get(doc_id, "?"), tuple(sorted(names)),
            gold.get(doc_id, (None, None))[0], gold.get(doc_id, (None, None))[1],
        )
        for doc_id, names in humans.items()
    ]
    return sorted(out, key=lambda d: (d.gold_status == AnnotationStatus.gold.value, -len(d.annotators), d.doc_id))
