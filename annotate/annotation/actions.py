"""What an annotator does in the labeler, as typed actions, and how each becomes an edit of an annotation set.

The labeler component of the Streamlit app reports raw actions with UTF-16 offsets;
:func:`parse_actions` checks them and turns them into :class:`LabelerAction` with code-point offsets, and
:func:`apply_action` applies one with :mod:`annotate.annotation.editing`. No Streamlit here: the app and the
workspace (:mod:`annotate.annotation.workspace`) both call these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import AnnotateError, InputError
from ..models import AnnotationSet, Document
from ..text.bidi import quote
from ..text.offsets import offset_map
from .editing import (
    EditContext,
    accept_suggestions,
    add_date,
    add_entity,
    add_event,
    delete_item,
    link_dates,
    reject_suggestions,
    set_entity_type,
    set_event_type,
    trim_span,
)

__all__ = ["ActionOutcome", "ActionType", "LabelerAction", "apply_action", "parse_actions"]

ActionType = Literal["create", "set_type", "delete", "accept", "reject", "link", "select", "save", "undo", "redo"]
_TYPES: frozenset[str] = frozenset(ActionType.__args__)  # type: ignore[attr-defined]



@dataclass(frozen=True)
class LabelerAction:
    """One thing the annotator did, with offsets already in code points."""

    type: ActionType
    seq: int
    kind: str | None = None
    label: str | None = None
    start: int | None = None
    end: int | None = None
    id: str | None = None
    ids: list[str] | None = None
    source: str | None = None
    target: str | None = None


def parse_actions(
    payload: Any, document: Document, ack: Mapping[str, int]
) -> tuple[list[LabelerAction], dict[str, int]]:
    """Turn the component's trigger payload into new actions and the updated acknowledgement map.

    The browser resends every action Python has not acknowledged, so actions at or below ``ack[client]`` are
    skipped, and so is a number seen earlier in the same payload; the rest come out in number order, each once.
    Actions for another document (a stale browser tab) are dropped.  Offsets are converted from
    UTF-16 to code points; a malformed payload raises :class:`InputError` naming the field.
    """
    new_ack = dict(ack)
    if payload is None:
        return [], new_ack
    if not isinstance(payload, dict):
        raise InputError(f"expected an object, got {type(payload).__name__}", where="labeler payload")
    client = payload.get("client")
    actions = payload.get("actions")
    if not isinstance(client, str) or not isinstance(actions, list):
        raise InputError("needs 'client' (text) and 'actions' (a list)", where="labeler payload")
    if payload.get("doc_id") != document.id:
        return [], new_ack
    for i, raw in enumerate(actions):
        if not isinstance(raw, dict) or not isinstance(raw.get("seq"), int) or isinstance(raw["seq"], bool):
            raise InputError("each action is an object with an integer 'seq'", where=f"labeler actions[{i}]")
    om = offset_map(document.text)
    seen = new_ack.get(client, 0)
    out: list[LabelerAction] = []
    # In number order, each number once: a payload may repeat actions or carry them out of order.
    for i, raw in sorted(enumerate(actions), key=lambda pair: pair[1]["seq"]):
        where = f"labeler actions[{i}]"
        if raw["seq"] <= seen:
            continue
        if raw.get("type") not in _TYPES:
            raise InputError(f"unknown action type {raw.get('type')!r}", where=f"{where}.type")
        start = end = None
        if raw["type"] == "create":
            start, end = om.span_to_codepoints(raw.get("start"), raw.get("end"), field=where)
        ids = raw.get("ids")
        if ids is not None and not (isinstance(ids, list) and all(isinstance(x, str) for x in ids)):
            raise InputError("must be a list of ids or null", where=f"{where}.ids")
        out.append(
            LabelerAction(
                type=raw["type"], seq=raw["seq"], kind=_opt_str(raw, "kind", where),
                label=_opt_str(raw, "label", where), start=start, end=end, id=_opt_str(raw, "id", where),
                ids=ids, source=_opt_str(raw, "source", where), target=_opt_str(raw, "target", where),
            )
        )
        seen = max(seen, raw["seq"])
    new_ack[client] = seen
    return out, new_ack


def _opt_str(raw: Mapping[str, Any], name: str, where: str) -> str | None:
    value = raw.get(name)
    if value is not None and not isinstance(value, str):
        raise InputError(f"must be text, got {value!r}", where=f"{where}.{name}")
    return value


@dataclass(frozen=True)
class ActionOutcome:
    """The set after an action, what to tell the annotator, which mark to select and whether to save."""

    aset: AnnotationSet
    message: str | None = None
    select: str | None = None
    save: bool = False
    error: bool = False
    removed: list[str] = field(default_factory=list)


def apply_action(
    ctx: EditContext, aset: AnnotationSet, action: LabelerAction, suggestions: AnnotationSet | None = None
) -> ActionOutcome:
    """Apply one labeler action with :mod:`annotate.annotation.editing`.

    An edit the model refuses leaves ``aset`` as it was and comes back as ``error=True`` with the message, so
    the app shows it next to the document instead of failing.
    """
    try:
        return _apply(ctx, aset, action, suggestions)
    except AnnotateError as exc:
        return ActionOutcome(aset, message=str(exc), error=True)


def _need(value: str | None, name: str) -> str:
    if value is None:
        raise InputError("is missing", where=name)
    return value


def _apply(
    ctx: EditContext, aset: AnnotationSet, a: LabelerAction, suggestions: AnnotationSet | None
) -> ActionOutcome:
    if a.type == "create":
        assert a.start is not None and a.end is not None
        s, e = trim_span(ctx.document.text, a.start, a.end)
        label = _need(a.label, "label")
        if a.kind == "entity":
            new = add_entity(ctx, aset, s, e, label)
            made = next(m.id for m in new.entities if (m.start, m.end) == (s, e))
        elif a.kind == "event":
            new = add_event(ctx, aset, s, e, label)
            made = next(x.id for x in new.events if (x.trigger.start, x.trigger.end) == (s, e))
        elif a.kind == "date":
            new = add_date(ctx, aset, s, e)
            made = next(d.id for d in new.dates if (d.start, d.end) == (s, e))
        else:
            raise InputError(f"unknown kind {a.kind!r}; use entity, event or date", where="kind")
        return ActionOutcome(new, message=f"{label} {quote(ctx.document.text[s:e])}", select=made)
    if a.type == "set_type":
        item = _need(a.id, "id")
        label = _need(a.label, "label")
        if any(ev.id == item for ev in aset.events):
            return ActionOutcome(set_event_type(ctx, aset, item, label), select=item)
        return ActionOutcome(set_entity_type(ctx, aset, item, label), select=item)
    if a.type == "delete":
        res = delete_item(ctx, aset, _need(a.id, "id"))
        msg = "deleted" + (" with " + ", ".join(res.removed) if res.removed else "")
        return ActionOutcome(res.aset, message=msg, removed=res.removed)
    if a.type in ("accept", "reject"):
        if suggestions is None:
            raise InputError("there are no engine suggestions for this document", where="ids")
        if a.type == "reject":
            return ActionOutcome(reject_suggestions(ctx, aset, a.ids or []), message="suggestion rejected")
        acc = accept_suggestions(ctx, aset, suggestions, a.ids)
        first = acc.ids.get(a.ids[0]) if a.ids else None
        return ActionOutcome(acc.aset, message=f"accepted {len(a.ids) if a.ids else 'all'}", select=first)
    if a.type == "link":
        new = link_dates(ctx, aset, _need(a.source, "source"), _need(a.target, "target"))
        link = new.links[-1]
        msg = "linked: consistent" if link.consistent else f"linked: INCONSISTENT ({link.reason})"
        return ActionOutcome(new, message=msg)
    if a.type == "select":
        return ActionOutcome(aset, select=a.id)
    if a.type == "save":
        return ActionOutcome(aset, save=True, message="saving…")
    # undo and redo need the workspace's history: annotate.annotation.workspace.apply handles them.
    raise InputError(f"{a.type} is applied by the workspace, not to a bare annotation set", where="type")
