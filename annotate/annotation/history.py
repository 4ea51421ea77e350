"""Undo and redo for one open annotation set: an immutable history of named steps.

A :class:`Step` keeps what one edit changed, not a copy of the set: for each layer that changed, the items it
removed and added (an item whose fields changed is both) and the order of ids before and after, plus the
metadata before and after when that changed.  Undoing puts the removed items back in their old places;
redoing is the same in reverse.  Items are shared between the sets of a history, never copied: every edit in
:mod:`annotate.annotation.editing` copies before it changes anything, so a shared item is never modified.

A step may also carry a *side effect* kept outside the set (a comment written to the store); the history only
records it, and the workspace undoes it.  :class:`History` is a value: ``record``, ``undo`` and ``redo`` return
a new one.  It is kept across saves (a save changes no content), so undoing after a save edits the working copy
and the next save is a new revision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import InputError
from ..models import AnnotationSet, DateLink, DateMention, EntityMention, Event
from ..text.bidi import quote

__all__ = ["HISTORY_LIMIT", "History", "LayerChange", "SideEffect", "Step", "describe", "diff"]

HISTORY_LIMIT = 100
"""Steps kept for undo (the oldest are dropped beyond it)."""

Layer = Literal["entities", "dates", "events", "links"]
LAYERS: tuple[Layer, ...] = ("entities", "dates", "events", "links")
Item = EntityMention | DateMention | Event | DateLink


@dataclass(frozen=True)
class LayerChange:
    """What one edit did to one layer: items removed and added, and the id order before and after."""

    layer: Layer
    removed: tuple[Item, ...]
    added: tuple[Item, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class SideEffect:
    """Something a step did outside the set, which the workspace undoes and redoes itself: comment ``ref``'s status
    went from ``before`` to ``after`` (a new comment: from ``withdrawn`` to ``open``)."""

    kind: Literal["comment"]
    ref: int
    before: str
    after: str


@dataclass(frozen=True)
class Step:
    """One undoable edit: its name (``delete DATE «۱۰ بهمن»``) and what it changed."""

    name: str
    layers: tuple[LayerChange, ...] = ()
    metadata: tuple[dict[str, Any], dict[str, Any]] | None = None
    effect: SideEffect | None = None

    def focus(self, *, undone: bool) -> str | None:
        """The mark or event to select after undoing (``undone``) or redoing this step: the first one it brings
        back or changes, or None when it only removes."""
        for ch in self.layers:
            if ch.layer == "links":
                continue
            for item in ch.removed if undone else ch.added:
                return item.id
        return None

    @property
    def empty(self) -> bool:
        """True when the step changes nothing (no layer, no metadata, no side effect)."""
        return not self.layers and self.metadata is None and self.effect is None


def diff(before: AnnotationSet, after: AnnotationSet) -> tuple[tuple[LayerChange, ...], tuple[dict[str, Any],
                                                                                               dict[str, Any]] | None]:
    """The layer changes and metadata change that turn ``before`` into ``after``."""
    changes: list[LayerChange] = []
    for layer in LAYERS:
        old: list[Item] = getattr(before, layer)
        new: list[Item] = getattr(after, layer)
        old_ids = tuple(x.id for x in old)
        new_ids = tuple(x.id for x in new)
        old_by = dict(zip(old_ids, old, strict=True))
        new_by = dict(zip(new_ids, new, strict=True))
        removed = tuple(x for x in old if (y := new_by.get(x.id)) is None or (y is not x and y != x))
        added = tuple(y for y in new if (x := old_by.get(y.id)) is None or (x is not y and x != y))
        if removed or added or old_ids != new_ids:
            changes.append(LayerChange(layer, removed, added, old_ids, new_ids))
    meta = None if before.metadata == after.metadata else (dict(before.metadata), dict(after.metadata))
    return tuple(changes), meta


def _apply(aset: AnnotationSet, step: Step, *, forward: bool) -> AnnotationSet:
    update: dict[str, Any] = {}
    for ch in step.layers:
        expect, target = (ch.before, ch.after) if forward else (ch.after, ch.before)
        drop, put = (ch.removed, ch.added) if forward else (ch.added, ch.removed)
        current: list[Item] = getattr(aset, ch.layer)
        if tuple(x.id for x in current) != expect:
            raise InputError(
                f"the {ch.layer} of the working set no longer match the step {step.name!r}",
                where="history", hint="reload the document; your saved and autosaved work is kept",
            )
        by_id = {x.id: x for x in current}
        for x in drop:
            del by_id[x.id]
        for x in put:
            by_id[x.id] = x
        update[ch.layer] = [by_id[i] for i in target]
    if step.metadata is not None:
        update["metadata"] = dict(step.metadata[1] if forward else step.metadata[0])
    return aset.model_copy(update=update) if update else aset


@dataclass(frozen=True)
class History:
    """Done steps (the last is undone first) and undone steps (the last is redone first)."""

    done: tuple[Step, ...] = ()
    undone: tuple[Step, ...] = ()
    limit: int = field(default=HISTORY_LIMIT)

    def record(self, step: Step) -> History:
        """The history with ``step`` done; a new step clears what was undone.  An empty step is not kept."""
        if step.empty:
            return self
        return History((*self.done, step)[-self.limit :], (), self.limit)

    @property
    def undo_name(self) -> str | None:
        """The name of the step :meth:`undo` would undo, or None."""
        return self.done[-1].name if self.done else None

    @property
    def redo_name(self) -> str | None:
        """The name of the step :meth:`redo` would redo, or None."""
        return self.undone[-1].name if self.undone else None

    def undo(self, aset: AnnotationSet) -> tuple[AnnotationSet, History, Step]:
        """``aset`` with the last step undone, the history after it, and that step."""
        if not self.done:
            raise InputError("there is nothing to undo", where="undo")
        step = self.done[-1]
        return _apply(aset, step, forward=False), History(self.done[:-1], (*self.undone, step), self.limit), step

    def redo(self, aset: AnnotationSet) -> tuple[AnnotationSet, History, Step]:
        """``aset`` with the last undone step done again, the history after it, and that step."""
        if not self.undone:
            raise InputError("there is nothing to redo", where="redo")
        step = self.undone[-1]
        return _apply(aset, step, forward=True), History((*self.done, step), self.undone[:-1], self.limit), step


# --- names ----------------------------------------------------------------------------------------------------


def _label(item: Item, dates: dict[str, DateMention]) -> str:
    if isinstance(item, EntityMention):
        return f"{item.type} {quote(item.text)}"
    if isinstance(item, DateMention):
        return f"DATE {quote(item.text)}"
    if isinstance(item, Event):
        return f"{item.type} {quote(item.trigger.text)}"
    a, b = dates.get(item.source), dates.get(item.target)
    return f"{quote(a.text if a else item.source)} = {quote(b.text if b else item.target)}"


def _changed_name(old: Item, new: Item, dates: dict[str, DateMention]) -> str:
    if isinstance(old, EntityMention) and isinstance(new, EntityMention):
        if old.type != new.type:
            return f"retype {quote(new.text)} {old.type} → {new.type}"
        if old.canonical_id != new.canonical_id:
            return f"canonical id of {_label(new, dates)}"
    if isinstance(old, DateMention) and isinstance(new, DateMention):
        same_value = (old.calendar, old.lexicon, old.native) == (new.calendar, new.lexicon, new.native)
        return f"{'flags and note' if same_value else 'value'} of {_label(new, dates)}"
    if isinstance(old, Event) and isinstance(new, Event):
        if old.type != new.type:
            return f"retype {quote(new.trigger.text)} {old.type} → {new.type}"
        gained = [a for a in new.arguments if a not in old.arguments]
        lost = [a for a in old.arguments if a not in new.arguments]
        if gained and not lost:
            return f"role {gained[0].role} of {_label(new, dates)}"
        if lost and not gained:
            return f"remove role {lost[0].role} of {_label(new, dates)}"
        return f"roles of {_label(new, dates)}"
    return f"change {_label(new, dates)}"


def describe(before: AnnotationSet, after: AnnotationSet, layers: tuple[LayerChange, ...]) -> str:
    """A short name for the change from ``before`` to ``after``, for the Undo and Redo buttons.

    Named after its main item: a mark or event added (``label``) or removed (``delete``; the arguments and
    links that went with it are not named), else the first changed item, else a link, else the metadata.
    """
    dates = {d.id: d for d in (*before.dates, *after.dates)}
    removed = [x for ch in layers for x in ch.removed]
    added = [x for ch in layers for x in ch.added]
    removed_ids = {x.id for x in removed}
    added_ids = {x.id for x in added}
    gone = [x for x in removed if x.id not in added_ids]
    new = [x for x in added if x.id not in removed_ids]
    changed = [(x, next(y for y in added if y.id == x.id)) for x in removed if x.id in added_ids]
    marks_gone = [x for x in gone if not isinstance(x, DateLink)]
    marks_new = [x for x in new if not isinstance(x, DateLink)]
    if marks_new and not marks_gone:
        return f"label {_label(marks_new[0], dates)}" + (f" and {len(marks_new) - 1} more" if len(marks_new) > 1
                                                         else "")
    if marks_gone and not marks_new:
        return f"delete {_label(marks_gone[0], dates)}" + (f" and {len(marks_gone) - 1} more"
                                                           if len(marks_gone) > 1 else "")
    if changed and not gone and not new:
        main = next(((o, n) for o, n in changed if not isinstance(o, DateLink)), changed[0])
        return _changed_name(main[0], main[1], dates)
    if new and not gone and all(isinstance(x, DateLink) for x in new):
        return f"link {_label(new[0], dates)}"
    if gone and not new and all(isinstance(x, DateLink) for x in gone):
        return f"unlink {_label(gone[0], dates)}"
    if not layers and before.metadata != after.metadata:
        return "metadata"
    return f"{len(gone) + len(new) + len(changed)} changes"
