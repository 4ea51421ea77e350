"""Adjudication: the gold set of one document built from the annotators' versions, decision by decision.

:func:`auto_merge` starts the gold set from what every annotator (or a majority) agrees on; :func:`accept`,
:func:`merge`, :func:`reject` and :func:`apply_edit` change it item by item through
:mod:`annotate.annotation.editing`, so every intermediate set is valid.  Each gold item carries provenance in
``metadata["provenance"]`` (:func:`stamp`): which annotators agreed on it, who decided, when and how (``auto``,
``accepted`` from an annotator's version, or ``curator`` for what the curator changed or added).

Each difference of the comparison (:mod:`annotate.curation.comparison`) is ``undecided``, ``accepted`` (an option
of it is in gold, or the curator put their own version there) or ``rejected`` (:func:`group_state`); :func:`take`
accepts one annotator's version of a difference (or every version), :func:`reject_group` keeps all of it out,
:func:`progress` counts what is decided.  Storing gold sets is :mod:`annotate.curation.gold_sets`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..annotation import editing
from ..canonical import now_iso
from ..errors import InputError, NotFound
from ..models import (
    GOLD_AUTHOR,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    DateMention,
    validate_annotation_set,
)
from .comparison import LAYER_ORDER, Group, Key, Option, SetsDiff, date_label, differences, items, mention_spans

__all__ = [
    "ADJUDICATION_KEY",
    "CURATOR",
    "PROVENANCE_KEY",
    "GroupState",
    "Mark",
    "Strategy",
    "accept",
    "annotator_marks",
    "apply_edit",
    "auto_merge",
    "empty_gold",
    "focus_spans",
    "gold_marks",
    "group_state",
    "in_gold",
    "merge",
    "progress",
    "reject",
    "reject_group",
    "stamp",
    "take",
    "undecided",
]

PROVENANCE_KEY = "provenance"
"""``metadata`` key of the gold set: item id (``event/role/ref`` for arguments) -> its provenance record."""

ADJUDICATION_KEY = "adjudication"
"""``metadata`` key of the gold set: annotators, their revisions, strategy, decisions and reopenings."""

CURATOR = "curator"
"""Provenance ``how`` of a gold item the curator changed or added (not taken as is from an annotator)."""

class GroupState(StrEnum):
    """Where a difference stands: the three states the adjudication page shows."""

    undecided = "undecided"
    accepted = "accepted"
    rejected = "rejected"


class Strategy(StrEnum):
    """How :func:`auto_merge` decides what is agreed."""

    unanimous = "unanimous"
    majority = "majority"


# --- provenance ---------------------------------------------------------------------------------------------


def _fingerprint(key: Key) -> str:
    return hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:12]


def stamp(gold: AnnotationSet, diff: SetsDiff, *, by: str, how: str = "accepted") -> AnnotationSet:
    """``gold`` with a provenance record for every item, whatever changed it (a decision, the labeler, an undo).

    A record is kept while its item is as it was when the record was made (each record keeps a fingerprint of
    its item); a new or changed item that is exactly an annotator's version gets ``how`` with the annotators who
    made it, any other one :data:`CURATOR`; ``by`` is who is deciding.  Also notes the annotators, their
    revisions and the adjudicators in ``metadata["adjudication"]``.
    """
    old: dict[str, Any] = dict(gold.metadata.get(PROVENANCE_KEY, {}))
    options = {o.key: o for g in diff.groups for o in g.options}
    prov: dict[str, Any] = {}
    at = now_iso()
    for key, ref, *_ in items(gold):
        fingerprint = _fingerprint(key)
        rec = old.get(ref)
        if rec is not None and rec.get("key", fingerprint) == fingerprint:
            prov[ref] = {**rec, "key": fingerprint}  # records made before fingerprints are trusted as they are
            continue
        option = options.get(key)
        prov[ref] = {
            "layer": key[0],
            "key": fingerprint,
            "agreed_by": list(option.annotators) if option is not None else [],
            "of": list(diff.annotators),
            "how": how if option is not None or how == "auto" else CURATOR,
            "by": by,
            "at": at,
        }
    out = gold.model_copy(deep=True)
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
         **({"filler": option.filler} if option.filler is not None else {}),
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
    for ref, (k, s, e) in mention_spans(gold).items():
        if (k, s, e) == (kind, start, end):
            return ref
    return None


def _source(diff: SetsDiff, option: Option, annotator: str | None) -> tuple[str, AnnotationSet, str]:
    who = annotator or option.annotators[0]
    if who not in option.refs:
        raise InputError(
            f"{who!r} did not make {option.describe()}; made by {', '.join(option.annotators)}",
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
            return (f"argument {option.describe()} needs its event trigger and its {kind} mention in gold first",
                    "accept the event and the mention, then the argument")
    elif option.layer == "links":
        (a_span, b_span) = option.key[1]
        if _mention_at(gold, "date", *a_span) is None or _mention_at(gold, "date", *b_span) is None:
            return f"link {option.describe()} needs both dates in gold first", "accept the two dates"
    return None


def _remove_option(ctx: editing.EditContext, gold: AnnotationSet, option: Option) -> AnnotationSet:
    """Take ``option`` (its exact version) out of ``gold`` if it is there."""
    for key, ref, *_ in items(gold):
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
    out = stamp(current, diff, how="auto", by=adjudicator)
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
    new = stamp(new, diff, how="accepted", by=adjudicator)
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
    new = stamp(new, diff, how="accepted", by=adjudicator)
    for option in options:
        _decide(new, option, "merged", adjudicator)
    return new


def reject(
    ctx: editing.EditContext, gold: AnnotationSet, diff: SetsDiff, option_id: str, *, adjudicator: str
) -> AnnotationSet:
    """Keep ``option_id`` out of gold (removing it, with what depends on it, if it is there); recorded."""
    option = diff.option(option_id)
    new = _remove_option(ctx, gold, option)
    new = stamp(new, diff, how=CURATOR, by=adjudicator)
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
    """Run an :mod:`annotate.annotation.editing` operation on gold (e.g. ``editing.set_entity_type``); changed and
    added items are recorded as :data:`CURATOR` by ``adjudicator``."""
    result = operation(ctx, gold, *args, **kwargs)
    new = result.aset if hasattr(result, "aset") else result
    if not isinstance(new, AnnotationSet):
        raise InputError(f"{getattr(operation, '__name__', operation)!r} did not return an annotation set",
                         where="operation")
    return stamp(new, diff, how=CURATOR, by=adjudicator)



# --- what the adjudication page shows -----------------------------------------------------------------------

@dataclass(frozen=True)
class Mark:
    """A span to highlight: where, what it is (shown on hover), its kind (``agreed``, a :class:`GroupState`, a
    diff kind, or a provenance for gold) and the difference it belongs to, if any."""

    start: int
    end: int
    label: str
    kind: str
    group: str | None = None


SPAN_LAYERS = ("entities", "dates", "events")


def annotator_marks(diff: SetsDiff, annotator: str, gold: AnnotationSet | None = None) -> list[Mark]:
    """The spans ``annotator`` marked (entities, dates, triggers): ``agreed``, or for a difference its state
    against ``gold`` (its diff kind, partial or conflict, when no gold is given)."""
    out = []
    for g in diff.groups:
        if g.layer not in SPAN_LAYERS:
            continue
        kind = g.kind if gold is None or g.kind == "agreed" else group_state(gold, g).value
        for o in g.options:
            if annotator in o.annotators:
                out.append(Mark(o.span[0], o.span[1], f"{o.layer[:-1]}: {o.label}", kind, g.id))
    return sorted(out, key=lambda m: (m.start, m.end))


def gold_marks(gold: AnnotationSet, diff: SetsDiff | None = None) -> list[Mark]:
    """The gold set's spans, each coloured by how it came in (auto, accepted, curator); with ``diff``, each also
    names the difference of its layer whose options it overlaps."""
    prov = gold.metadata.get(PROVENANCE_KEY, {})
    groups = differences(diff) if diff is not None else []

    def mark(layer: str, item_id: str, start: int, end: int, label: str) -> Mark:
        home = next((g.id for g in groups if g.layer == layer
                     and any(start < o.span[1] and o.span[0] < end for o in g.options)), None)
        return Mark(start, end, label, str(prov.get(item_id, {}).get("how", CURATOR)), home)

    out = [mark("entities", e.id, e.start, e.end, f"entity: {e.type}") for e in gold.entities]
    out += [mark("dates", d.id, d.start, d.end, f"date: {date_label(d)}") for d in gold.dates]
    out += [mark("events", ev.id, ev.trigger.start, ev.trigger.end, f"event: {ev.type}") for ev in gold.events]
    return sorted(out, key=lambda m: (m.start, m.end))


def in_gold(gold: AnnotationSet, option: Option) -> bool:
    """Whether ``gold`` holds exactly this option."""
    return any(key == option.key for key, *_ in items(gold))



def _rejected_options(gold: AnnotationSet) -> set[str]:
    """Options whose last recorded decision is a rejection."""
    last: dict[str, str] = {}
    for d in gold.metadata.get(ADJUDICATION_KEY, {}).get("decisions", []):
        last[d["option"]] = d.get("how", "")
    return {option for option, how in last.items() if how == "rejected"}


def _curated_at(gold: AnnotationSet, group: Group) -> bool:
    """Whether gold holds the curator's own version where the group's options are (a span item of its layer)."""
    if group.layer not in ("entities", "dates", "events"):
        return False
    prov = gold.metadata.get(PROVENANCE_KEY, {})
    for key, ref, span, *_ in items(gold):
        if key[0] != group.layer or prov.get(ref, {}).get("how") != CURATOR:
            continue
        if any(span[0] < o.span[1] and o.span[0] < span[1] for o in group.options):
            return True
    return False


def group_state(gold: AnnotationSet, group: Group) -> GroupState:
    """``accepted`` when gold holds one of the group's options (or the curator's own version in its place),
    ``rejected`` when every option of it was rejected last, else ``undecided``."""
    if any(in_gold(gold, o) for o in group.options):
        return GroupState.accepted
    rejected = _rejected_options(gold)
    if all(o.id in rejected for o in group.options):
        return GroupState.rejected
    if _curated_at(gold, group):
        return GroupState.accepted
    return GroupState.undecided


def undecided(diff: SetsDiff, gold: AnnotationSet) -> list[Group]:
    """The differences still to decide (see :func:`group_state`)."""
    return [g for g in differences(diff) if group_state(gold, g) is GroupState.undecided]


def progress(diff: SetsDiff, gold: AnnotationSet) -> tuple[int, int]:
    """``(decided, differences)``: how many of the document's differences are accepted or rejected."""
    groups = differences(diff)
    return len(groups) - len(undecided(diff, gold)), len(groups)


def focus_spans(group: Group) -> list[tuple[int, int]]:
    """Where a group sits in the text, to mark it in every pane: its spans; for an argument the trigger and the
    filler, for a link both dates."""
    spans: set[tuple[int, int]] = set()
    for o in group.options:
        if group.layer == "arguments":
            spans |= {o.span, (o.key[5], o.key[6])}
        elif group.layer == "links":
            spans |= set(o.key[1])
        else:
            spans.add(o.span)
    return sorted(spans)


def take(
    ctx: editing.EditContext,
    gold: AnnotationSet,
    diff: SetsDiff,
    group_id: str,
    annotator: str | None,
    *,
    adjudicator: str,
) -> AnnotationSet:
    """Settle a difference with one annotator's version of it (``annotator``), or with every version (None).

    An annotator who marked nothing there has "nothing" as their version: taking it rejects the group.  Keeping
    every version of one span (two types for the same words) is refused: take one, then edit it.
    """
    group = diff.group(group_id)
    if annotator is None:
        if len(group.options) == 1:
            return accept(ctx, gold, diff, group.options[0].id, adjudicator=adjudicator)
        new = gold
        for option in group.options:
            new = _remove_option(ctx, new, option)
        return merge(ctx, new, diff, [o.id for o in group.options], adjudicator=adjudicator)
    if annotator not in diff.annotators:
        raise InputError(f"{annotator!r} is not one of this document's annotators ({', '.join(diff.annotators)})",
                         where="annotator")
    mine = [o for o in group.options if annotator in o.annotators]
    if not mine:
        return reject_group(ctx, gold, diff, group_id, adjudicator=adjudicator)
    if len(mine) == 1:
        return accept(ctx, gold, diff, mine[0].id, adjudicator=adjudicator, annotator=annotator)
    new = gold
    for option in group.options:
        new = _remove_option(ctx, new, option)
    return merge(ctx, new, diff, [o.id for o in mine], adjudicator=adjudicator)


def reject_group(
    ctx: editing.EditContext, gold: AnnotationSet, diff: SetsDiff, group_id: str, *, adjudicator: str
) -> AnnotationSet:
    """Keep every option of a difference out of gold (removing those that are in it); each rejection recorded."""
    group = diff.group(group_id)
    new = gold
    for option in group.options:
        new = _remove_option(ctx, new, option)
    new = stamp(new, diff, how=CURATOR, by=adjudicator)
    for option in group.options:
        _decide(new, option, "rejected", adjudicator)
    return new

