"""An annotator's workspace on one document: open, edit, autosave a draft, save with optimistic concurrency, submit.

The annotation page is a thin view over this module (no Streamlit here).  A :class:`Workspace` is an immutable
value: every operation returns a new one, so the page keeps the latest in its session state and nothing is half
applied.

Rules carried here rather than in the page:

* **Blind annotation.**  An annotator opens only their own set; the pre-annotation sets (the date engine's,
  :data:`~annotate.annotation.prelabel.ENGINE_AUTHOR`, and the entity and event suggesters',
  :data:`~annotate.models.SUGGESTION_AUTHORS`) come along as *suggestions*, shown as one set
  (:func:`annotate.suggest.sets.combine`), together with the string matcher's live suggestions from the open set
  itself (every other occurrence of what the annotator just labelled).  Curators and admins may open anyone's
  set, read-only unless it is their own.
* **Nothing is lost.**  Every change is autosaved as a draft (``store.drafts.put``), so a page reload offers it
  back.  A save based on a stale revision is refused by the store, which keeps the refused content as a conflict;
  the workspace then keeps the user's content, loads the current head and reports both (:class:`ConflictReport`)
  until the user keeps theirs, takes the other, or merges (:func:`resolve_conflict`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from threading import Lock
from typing import Any, Concatenate, Literal, ParamSpec

from ..auth import user_from_session
from ..errors import AnnotateError, AuthError, ConflictError, InputError, NotFound
from ..models import (
    GOLD_AUTHOR,
    SUGGESTION_AUTHORS,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Comment,
    CommentKind,
    CommentStatus,
    DateMention,
    Document,
    parse_model,
    validate_annotation_set,
)
from ..store import Store, User
from ..suggest.run import live_suggestions
from ..suggest.sets import combine, confidence_of
from ..taxonomy import Taxonomy
from ..text.bidi import quote
from .access import authorise
from .actions import ActionOutcome, LabelerAction, apply_action
from .comments import VISIBLE
from .completeness import Unfinished, unfinished
from .editing import (
    EditContext,
    accept_suggestions,
    delete_item,
    link_dates,
    pending_suggestions,
)
from .history import History, SideEffect, Step, describe, diff
from .prelabel import ENGINE_AUTHOR

__all__ = [
    "PRE_ANNOTATION_AUTHORS",
    "ConflictReport",
    "Preview",
    "Workspace",
    "accept_above",
    "accept_all",
    "add_note",
    "apply",
    "delete",
    "discard_draft",
    "edit",
    "flag",
    "link",
    "offer_suggestions",
    "open_workspace",
    "preview",
    "readable_authors",
    "redo",
    "reject_all",
    "reopen",
    "resolve_conflict",
    "restore_draft",
    "return_set",
    "return_to_annotator",
    "save",
    "set_date_flags",
    "submit",
    "summarize_changes",
    "undo",
    "unfinished_items",
    "withdraw_comment",
]

P = ParamSpec("P")
STAFF_ROLES = frozenset({"curator", "admin"})
PRE_ANNOTATION_AUTHORS: tuple[str, ...] = (ENGINE_AUTHOR, *SUGGESTION_AUTHORS)
"""The engines whose stored sets an annotator sees as suggestions (never opened as a set of their own)."""
SUBMITTED_REASON = "submitted: reopen it to edit (a new revision)"
"""Why one's own submitted set opens read-only."""


@dataclass(frozen=True)
class ConflictReport:
    """A refused save: the user's content (kept), the head that won, and what differs between them."""

    conflict_id: int
    mine: AnnotationSet
    theirs: AnnotationSet
    only_mine: list[str]
    only_theirs: list[str]
    message: str


@dataclass(frozen=True)
class Workspace:
    """One user's view of one document's annotation set.

    ``aset`` is the working set, ``base_revision`` the stored revision it started from (0: never saved),
    ``saved`` the content of that revision (to tell unsaved changes), ``suggestions`` every pre-annotation engine's
    set and the live string matches of the working set as one (``stored_suggestions``: the engines' stored sets),
    ``draft`` an autosaved draft that differs from the head (offered for restore), ``conflict`` the last refused
    save until it is resolved.  ``history`` holds the undoable steps of this session (kept across saves).
    ``read_only`` is True for another's set (``read_only_reason`` says why) and for one's own submitted set until
    it is reopened.  ``comments`` are the visible comments on this set (notes, flags, return notes); ``focus``
    the mark the last undo or redo brought back or changed (to select it).
    ``session`` is the token of the sign-in session the app opened it in: every write checks that session is
    still live (a sign-out, new password or disabled account elsewhere ends it).
    """

    document: Document
    taxonomy: Taxonomy
    viewer: str
    viewer_role: str
    author: str
    aset: AnnotationSet
    base_revision: int
    saved: dict[str, Any]
    status: AnnotationStatus
    read_only: bool
    suggestions: AnnotationSet | None = None
    stored_suggestions: tuple[AnnotationSet, ...] = ()
    draft: AnnotationSet | None = None
    draft_base_revision: int | None = None
    draft_saved_at: datetime | None = None
    conflict: ConflictReport | None = None
    message: str | None = None
    history: History = field(default_factory=History)
    read_only_reason: str | None = None
    comments: tuple[Comment, ...] = ()
    focus: str | None = None
    session: str | None = field(default=None, repr=False)

    @property
    def ctx(self) -> EditContext:
        """The context edits are checked against (document, taxonomy, date engine)."""
        return EditContext(self.document, self.taxonomy)

    @property
    def dirty(self) -> bool:
        """Whether the working set differs from the revision it is based on (or was never saved)."""
        return self.aset.content() != self.saved

    def pending(self) -> list[str]:
        """Ids of the engine suggestions neither accepted nor rejected yet."""
        return pending_suggestions(self.aset, self.suggestions) if self.suggestions is not None else []

    def confidence(self, suggestion_id: str) -> float:
        """How sure the engine that made a suggestion is (0..1); suggestions without a score count as 1."""
        if self.suggestions is None:
            return 0.0
        given = confidence_of(self.suggestions, suggestion_id)
        return 1.0 if given is None else given

    @property
    def noted(self) -> frozenset[str]:
        """Ids of the marks, events and links that carry a note."""
        return frozenset(c.target for c in self.comments if c.kind is CommentKind.note and c.target is not None)

    def notes_on(self, target: str | None) -> list[Comment]:
        """The notes on ``target`` (None: on the document), oldest first."""
        return [c for c in self.comments if c.kind is CommentKind.note and c.target == target]

    def open_of(self, kind: CommentKind) -> list[Comment]:
        """The open flags (or return notes) of this set, oldest first."""
        return [c for c in self.comments if c.kind is kind and c.status is CommentStatus.open]


# --- opening ------------------------------------------------------------------------------------------------


def readable_authors(store: Store, doc_id: str, user: User) -> list[str]:
    """The annotation sets of ``doc_id`` that ``user`` may open: their own, plus everyone's for curators/admins
    (also of annotators who commented but never saved: their notes and flags show on an empty set).

    The engine's set is never listed (it is shown as suggestions); the user's own name always comes first.
    """
    own = [user.name]
    if str(user.role) not in STAFF_ROLES:
        return own
    with_sets = {i.author for i in store.sets.list_info(doc_id)}
    with_comments = {c.set_author for c in store.comments.list(doc_id, statuses=VISIBLE)}
    others = sorted(
        (with_sets | with_comments) - {*PRE_ANNOTATION_AUTHORS, user.name},
        key=lambda a: (a != GOLD_AUTHOR, a),
    )
    return own + others


def open_workspace(store: Store, taxonomy: Taxonomy, doc_id: str, user: User, author: str | None = None, *,
                   session: str | None = None) -> Workspace:
    """Open ``doc_id`` for ``user``: their head revision (or a new empty set), the engine's suggestions and any draft.

    ``author`` (default: the user) names another's set to view; only curators and admins may, and read-only.
    Raises :class:`AuthError` when the account may not open the document (:mod:`.access`: an annotator and a
    document not assigned to them, a disabled account) or the set, or when ``session`` (the app's sign-in
    session, kept with the workspace and checked on every write) is not a live session of ``user``; and
    :class:`NotFound` for an unknown document a curator asks for.
    """
    _check_session(store, session, user.name)
    user = authorise(store, user.name, doc_id)  # afresh from the store: role, disabled, assignments
    author = author or user.name
    role = str(user.role)
    if author != user.name and role not in STAFF_ROLES:
        raise AuthError(
            f"{user.name} ({role}) may not open {author}'s annotations of {doc_id}: annotation is blind",
            hint="annotators see only their own set and the date engine's suggestions",
        )
    if author in PRE_ANNOTATION_AUTHORS:
        raise InputError(f"{author!r} is a pre-annotation engine: its marks are shown as suggestions", where="author")
    document = store.documents.get(doc_id)
    own = author == user.name
    head = _head(store, doc_id, author)
    comments = tuple(store.comments.list(doc_id, author, statuses=VISIBLE))
    if head is None:
        if not own and not comments:
            raise NotFound(f"no annotation set by {author!r} on document {doc_id!r}")
        aset = AnnotationSet(doc_id=doc_id, author=author, author_kind=_kind_for(author))
        saved = aset.content()
        base, status = 0, AnnotationStatus.in_progress
    else:
        aset, saved, base, status = head, head.content(), head.revision, head.status
        if status is AnnotationStatus.withdrawn and own:
            status = AnnotationStatus.in_progress  # its annotator takes it up again: the next save resumes it
    stored: tuple[AnnotationSet, ...] = ()
    if own:
        stored = tuple(x for x in (_head(store, doc_id, a) for a in PRE_ANNOTATION_AUTHORS) if x is not None
                       and x.text_sha256 in (None, document.text_sha256))
    reason = None if own else f"{author}'s set is open read-only for {user.name}"
    if own and status is AnnotationStatus.submitted:
        reason = SUBMITTED_REASON
    ws = Workspace(
        document=document,
        taxonomy=taxonomy,
        viewer=user.name,
        viewer_role=role,
        author=author,
        aset=aset,
        base_revision=base,
        saved=saved,
        status=status,
        read_only=reason is not None,
        read_only_reason=reason,
        stored_suggestions=stored,
        comments=comments,
        session=session,
    )
    if own:
        ws = _with_suggestions(ws, aset)
    if own:
        draft = store.drafts.find(doc_id, author)
        if draft is not None and (draft.aset.content() != saved or draft.base_revision != base):
            ws = replace(ws, draft=draft.aset, draft_base_revision=draft.base_revision, draft_saved_at=draft.saved_at)
    return ws


def _kind_for(author: str) -> AuthorKind:
    return AuthorKind.gold if author == GOLD_AUTHOR else AuthorKind.human


def _head(store: Store, doc_id: str, author: str) -> AnnotationSet | None:
    try:
        return store.sets.get(doc_id, author)
    except NotFound:
        return None


def restore_draft(store: Store, ws: Workspace) -> Workspace:
    """Take the offered draft as the working set (its base revision too: a stale draft then conflicts on save)."""
    _writable(store, ws)
    if ws.draft is None or ws.draft_base_revision is None:
        raise InputError("there is no draft to restore for this document", where="draft")
    aset = ws.draft.model_copy(update={"doc_id": ws.document.id, "author": ws.author})
    validate_annotation_set(aset, ws.document, ws.taxonomy)
    saved = ws.saved
    if ws.draft_base_revision != ws.base_revision:
        saved = _content_at(store, ws, ws.draft_base_revision)
    return _with_suggestions(replace(ws, aset=aset, base_revision=ws.draft_base_revision, saved=saved, draft=None,
                                     draft_base_revision=None, draft_saved_at=None, message="draft restored",
                                     history=ws.history.record(Step("restore draft", *diff(ws.aset, aset)))), aset)


def _content_at(store: Store, ws: Workspace, revision: int) -> dict[str, Any]:
    if revision == 0:
        return AnnotationSet(doc_id=ws.document.id, author=ws.author).content()
    return store.sets.get(ws.document.id, ws.author, revision).content()


def discard_draft(store: Store, ws: Workspace) -> Workspace:
    """Drop the autosaved draft and keep working from the stored revision."""
    _writable(store, ws)
    store.drafts.delete(ws.document.id, ws.author)
    return replace(ws, draft=None, draft_base_revision=None, draft_saved_at=None, message="draft discarded")


# --- editing ------------------------------------------------------------------------------------------------


def _writable(store: Store, ws: Workspace) -> None:
    """Refuse a write to a set open read-only (another's, or one's own once submitted), or by an account that may
    no longer open the document."""
    if ws.read_only:
        if ws.read_only_reason == SUBMITTED_REASON:
            raise InputError(f"your set of {ws.document.id} is submitted", where="status",
                             hint="reopen it to edit (a new revision), or ask a curator to return it")
        raise AuthError(
            f"{ws.author}'s annotations of {ws.document.id} are open read-only for {ws.viewer}",
            hint="open your own set to edit",
        )
    _live(store, ws)


def _live(store: Store, ws: Workspace) -> None:
    """Refuse anything by an account whose session ended or that may no longer open the document."""
    _check_session(store, ws.session, ws.viewer)
    authorise(store, ws.viewer, ws.document.id)


def _check_session(store: Store, session: str | None, name: str) -> None:
    if session is None:
        return  # opened outside the app (command line, tests): no sign-in session to check
    live = user_from_session(store, session)
    if live is None or live.name != name:
        raise AuthError("your session has ended (signed out, a new password or a disabled account)",
                        hint="sign in again")


def offer_suggestions(ws: Workspace) -> Workspace:
    """``ws`` with the suggestions of its working set: its ``stored_suggestions`` and the live string matches, as
    :func:`open_workspace` gives one's own set and every edit recombines them."""
    return _with_suggestions(ws, ws.aset)


def _with_suggestions(ws: Workspace, aset: AnnotationSet) -> Workspace:
    """``ws`` with its suggestions recombined for the working set ``aset`` (its live string matches change)."""
    live = live_suggestions(ws.document, aset)
    return replace(ws, suggestions=_combined(ws.document.id, (*ws.stored_suggestions, live)))


_COMBINED_KEPT = 16
_combined_kept: OrderedDict[tuple[Any, ...], tuple[tuple[AnnotationSet | None, ...], AnnotationSet | None]] = (
    OrderedDict())
_combined_lock = Lock()


def _combined(doc_id: str, sets: tuple[AnnotationSet | None, ...]) -> AnnotationSet | None:
    """:func:`~annotate.suggest.sets.combine` of ``sets``, kept for the last few combinations: a workspace's
    stored suggestion sets and the live ones (which :func:`~annotate.suggest.run.live_suggestions` keeps) are
    read-only and shared, so an edit, its undo and its preview find the same sets combined before."""
    key = (doc_id, *map(id, sets))
    with _combined_lock:
        kept = _combined_kept.get(key)
        if kept is not None and all(a is b for a, b in zip(kept[0], sets, strict=True)):
            _combined_kept.move_to_end(key)
            return kept[1]
    made = combine(doc_id, list(sets))
    with _combined_lock:
        _combined_kept[key] = (sets, made)  # the sets are held, so their ids stay theirs
        while len(_combined_kept) > _COMBINED_KEPT:
            _combined_kept.popitem(last=False)
    return made


def _changed(
    store: Store, ws: Workspace, aset: AnnotationSet, message: str | None = None, *, name: str | None = None
) -> Workspace:
    """The workspace with ``aset`` as working set: the change recorded as an undoable step named ``name`` (by
    default, after what changed) and autosaved as a draft.  Nothing changed: nothing recorded or saved."""
    layers, meta = diff(ws.aset, aset)
    step = Step(name or describe(ws.aset, aset, layers), layers, meta)
    if step.empty:
        return replace(ws, message=message)
    store.drafts.put(ws.document.id, ws.author, ws.base_revision, aset)
    if not ws.read_only and (aset.entities != ws.aset.entities or aset.events != ws.aset.events
                             or aset.metadata != ws.aset.metadata):
        ws = _with_suggestions(ws, aset)
    return replace(ws, aset=aset, message=message, history=ws.history.record(step))


@dataclass(frozen=True)
class Preview:
    """What an undo or redo would make of a workspace, worked out without applying it: the set, its suggestions,
    the mark it selects and what it says.  The page sends it to the browser ahead of time, so that the step is
    drawn the moment its key is pressed; the step itself is applied by :func:`undo` or :func:`redo`."""

    aset: AnnotationSet
    suggestions: AnnotationSet | None
    focus: str | None
    message: str


def _step(ws: Workspace, direction: Literal["undo", "redo"]) -> tuple[Preview, History, Step]:
    """The undo or redo of ``ws``'s history worked out (nothing stored): what it gives, the history after it, and
    the step.  :func:`undo`, :func:`redo` and :func:`preview` share it, so a preview is what the step then does."""
    undoing = direction == "undo"
    aset, history, step = ws.history.undo(ws.aset) if undoing else ws.history.redo(ws.aset)
    suggestions = ws.suggestions if aset is ws.aset else _with_suggestions(ws, aset).suggestions
    message = f"{'undone' if undoing else 'redone'}: {step.name}"
    return Preview(aset, suggestions, step.focus(undone=undoing), message), history, step


def undo(store: Store, ws: Workspace) -> Workspace:
    """Undo the last step of this session (also one made before a save): the working set changes and is
    autosaved; nothing stored is rewritten (the next save is a new revision)."""
    _writable(store, ws)
    done, history, step = _step(ws, "undo")
    if step.effect is not None:
        ws = _set_comment(store, ws, step.effect.ref, step.effect.before)
    return _moved(store, ws, done, history)


def redo(store: Store, ws: Workspace) -> Workspace:
    """Redo the last undone step."""
    _writable(store, ws)
    done, history, step = _step(ws, "redo")
    if step.effect is not None:
        ws = _set_comment(store, ws, step.effect.ref, step.effect.after)
    return _moved(store, ws, done, history)


def preview(ws: Workspace, direction: Literal["undo", "redo"]) -> Preview | None:
    """What :func:`undo` (``direction="undo"``) or :func:`redo` would give, with nothing stored or changed; None
    when there is nothing to undo (redo), the set is read-only, or the step no longer fits the set (applying it
    reports why)."""
    if ws.read_only or not (ws.history.done if direction == "undo" else ws.history.undone):
        return None
    try:
        return _step(ws, direction)[0]
    except InputError:
        return None


def _moved(store: Store, ws: Workspace, done: Preview, history: History) -> Workspace:
    """``ws`` after an undo or redo worked out by :func:`_step`: validated and autosaved when the set changed."""
    if done.aset is not ws.aset:
        validate_annotation_set(done.aset, ws.document, ws.taxonomy)
        store.drafts.put(ws.document.id, ws.author, ws.base_revision, done.aset)
    return replace(ws, aset=done.aset, suggestions=done.suggestions, history=history, message=done.message,
                   focus=done.focus)


def _suggestion_names(ws: Workspace, verb: str, ids: list[str] | None) -> str:
    """``accept suggestion DATE «...»`` for one suggestion, ``accept 3 suggestions`` for several."""
    chosen = ids if ids is not None else ws.pending()
    if len(chosen) == 1 and ws.suggestions is not None:
        s = ws.suggestions
        found = {m.id: f"{m.type} {quote(m.text)}" for m in s.entities}
        found |= {d.id: f"DATE {quote(d.text)}" for d in s.dates}
        found |= {e.id: f"{e.type} {quote(e.trigger.text)}" for e in s.events}
        dates = {d.id: d.text for d in s.dates}
        found |= {ln.id: f"link {quote(dates.get(ln.source, ln.source))} = {quote(dates.get(ln.target, ln.target))}"
                  for ln in s.links}
        return f"{verb} suggestion {found.get(chosen[0], chosen[0])}"
    return f"{verb} {len(chosen)} suggestions"


def apply(
    store: Store, ws: Workspace, action: LabelerAction, *, actor: str | None = None
) -> tuple[Workspace, ActionOutcome]:
    """Apply one labeler action, autosave the draft, and save when the action asks for it (ctrl+s).

    A refused edit comes back in the outcome (``error=True``) with the workspace unchanged.
    """
    if action.type == "select":
        return ws, ActionOutcome(ws.aset, select=action.id)
    if ws.read_only:
        why = ws.read_only_reason or f"{ws.author}'s set is not yours to edit"
        return ws, ActionOutcome(ws.aset, message=f"read-only: {why}", error=True)
    _writable(store, ws)
    if action.type in ("undo", "redo"):
        try:
            moved = undo(store, ws) if action.type == "undo" else redo(store, ws)
        except AnnotateError as exc:
            return replace(ws, message=str(exc)), ActionOutcome(ws.aset, message=str(exc), error=True)
        return moved, ActionOutcome(moved.aset, message=moved.message, select=moved.focus)
    outcome = apply_action(ws.ctx, ws.aset, action, ws.suggestions)
    if outcome.error:
        return replace(ws, message=outcome.message), outcome
    name = _suggestion_names(ws, action.type, action.ids) if action.type in ("accept", "reject") else None
    ws = _changed(store, ws, outcome.aset, outcome.message, name=name)
    if outcome.save:
        ws = save(store, ws, actor=actor or ws.viewer)
        outcome = replace(outcome, message=ws.message, error=ws.conflict is not None)
    return ws, outcome


def edit(
    store: Store,
    ws: Workspace,
    fn: Callable[Concatenate[EditContext, AnnotationSet, P], AnnotationSet],
    *args: P.args,
    **kwargs: P.kwargs,
) -> Workspace:
    """Apply a panel edit (an :mod:`annotate.annotation.editing` operation such as ``set_date_value``) and autosave.

    Errors from the operation (:class:`InputError`, :class:`InvalidAnnotation`, :class:`InvalidDate`) propagate
    unchanged so the page shows them; the workspace is then untouched.
    """
    _writable(store, ws)
    return _changed(store, ws, fn(ws.ctx, ws.aset, *args, **kwargs))


def delete(store: Store, ws: Workspace, item_id: str) -> tuple[Workspace, list[str]]:
    """Delete a mention, event or link; also returns what went with it (arguments, links) to tell the user."""
    _writable(store, ws)
    result = delete_item(ws.ctx, ws.aset, item_id)
    msg = f"deleted {item_id}" + (" with " + ", ".join(result.removed) if result.removed else "")
    return _changed(store, ws, result.aset, msg), result.removed


def link(store: Store, ws: Workspace, source: str, target: str) -> Workspace:
    """Link two date mentions ``same_date``; the message says at once whether they agree and, if not, why."""
    _writable(store, ws)
    new = link_dates(ws.ctx, ws.aset, source, target)
    made = new.links[-1]
    verdict = "consistent" if made.consistent else f"INCONSISTENT: {made.reason}"
    return _changed(store, ws, new, f"linked {quote(made.source)} and {quote(made.target)}: {verdict}")


def accept_all(store: Store, ws: Workspace, ids: Iterable[str] | None = None) -> Workspace:
    """Accept the engine suggestions ``ids`` (every pending one when None) into the working set."""
    _writable(store, ws)
    if ws.suggestions is None:
        raise InputError("there are no engine suggestions for this document", where="suggestions")
    chosen = list(ids) if ids is not None else None
    result = accept_suggestions(ws.ctx, ws.aset, ws.suggestions, chosen)
    n = len(chosen) if chosen is not None else len(ws.pending())
    return _changed(store, ws, result.aset, f"accepted {n} suggestion(s)",
                    name=_suggestion_names(ws, "accept", chosen))


def accept_above(store: Store, ws: Workspace, threshold: float) -> Workspace:
    """Accept every pending suggestion whose confidence is at least ``threshold`` (unscored ones count as 1)."""
    _writable(store, ws)
    if not 0.0 <= threshold <= 1.0:
        raise InputError(f"a confidence is between 0 and 1, not {threshold}", where="threshold")
    chosen = [sid for sid in ws.pending() if ws.confidence(sid) >= threshold]
    if not chosen:
        return replace(ws, message=f"no pending suggestion has a confidence of {threshold:.2f} or more")
    return accept_all(store, ws, chosen)


def reject_all(store: Store, ws: Workspace, ids: Iterable[str] | None = None) -> Workspace:
    """Reject the engine suggestions ``ids`` (every pending one when None)."""
    from .editing import reject_suggestions

    _writable(store, ws)
    chosen = list(ids) if ids is not None else ws.pending()
    return _changed(store, ws, reject_suggestions(ws.ctx, ws.aset, chosen), f"rejected {len(chosen)} suggestion(s)",
                    name=_suggestion_names(ws, "reject", chosen))


def set_date_flags(
    ctx: EditContext,
    aset: AnnotationSet,
    mention_id: str,
    *,
    year_inferred: bool,
    relative: bool,
    note: str | None,
) -> AnnotationSet:
    """Set a date mention's ``year_inferred`` and ``relative`` flags and its note (empty note: none).

    An editing operation in the :mod:`annotate.annotation.editing` style (pass it to :func:`edit`); the value itself
    is set
    with :func:`annotate.annotation.editing.set_date_value`.
    """
    current = next((d for d in aset.dates if d.id == mention_id), None)
    if current is None:
        raise InputError(f"no date mention {mention_id!r} in this set", where="id")
    if note is not None and len(note) > 2000:
        raise InputError(f"is {len(note)} characters long; keep it under 2000", where="note")
    updated = parse_model(
        DateMention,
        {**current.model_dump(), "year_inferred": year_inferred, "relative": relative,
         "note": (note or "").strip() or None},
        where=f"date {mention_id}",
    )
    new = aset.model_copy(deep=True)
    new.dates = [updated if d.id == mention_id else d for d in new.dates]
    validate_annotation_set(new, ctx.document, ctx.taxonomy)
    return new


# --- saving -------------------------------------------------------------------------------------------------


def save(store: Store, ws: Workspace, *, actor: str | None = None) -> Workspace:
    """Save the working set as revision ``base_revision + 1``.

    On success the draft is discarded.  When someone else saved first (another tab, another session), the store
    refuses and keeps the content as a conflict; the workspace keeps the user's content as its working set (and
    as a draft), and ``conflict`` reports the current head and what differs, for :func:`resolve_conflict`.
    """
    _writable(store, ws)
    actor = actor or ws.viewer
    doc_id = ws.document.id
    to_save = ws.aset.model_copy(update={"status": ws.status, "author": ws.author,
                                         "author_kind": _kind_for(ws.author)})
    try:
        stored = store.sets.save(to_save, base_revision=ws.base_revision, actor=actor)
    except ConflictError as exc:
        theirs = _head(store, doc_id, ws.author)
        if theirs is None:  # pragma: no cover - a conflict implies a head
            raise
        only_mine, only_theirs = summarize_changes(theirs, ws.aset)
        report = ConflictReport(
            conflict_id=exc.conflict_id,
            mine=ws.aset,
            theirs=theirs,
            only_mine=only_mine,
            only_theirs=only_theirs,
            message=(
                f"Not saved: revision {theirs.revision} was saved (by another tab or session) after you opened "
                f"revision {ws.base_revision}. Your version is kept (conflict #{exc.conflict_id} and your draft); "
                "keep yours, take theirs, or merge."
            ),
        )
        store.drafts.put(doc_id, ws.author, ws.base_revision, ws.aset)
        return replace(ws, conflict=report, message=report.message)
    store.drafts.delete(doc_id, ws.author)
    return replace(ws, aset=stored, base_revision=stored.revision, saved=stored.content(), status=stored.status,
                   conflict=None, draft=None, draft_base_revision=None, draft_saved_at=None,
                   message=f"saved revision {stored.revision}")


def resolve_conflict(store: Store, ws: Workspace, choice: Literal["mine", "theirs", "merge"]) -> Workspace:
    """Settle the last refused save against the current head.

    ``mine``: keep your version, now based on the head (the next save replaces theirs knowingly).  ``theirs``:
    take the head (your version stays in the store as the conflict).  ``merge``: the head plus every mark of
    yours it lacks (same span and layer = same mark; your deletions are not carried over).  Nothing is saved
    until :func:`save`.
    """
    _writable(store, ws)
    c = ws.conflict
    if c is None:
        raise InputError("there is no conflict to resolve", where="conflict")
    head = c.theirs
    if choice == "mine":
        aset = c.mine
    elif choice == "theirs":
        aset = head
    elif choice == "merge":
        ids = [x.id for layer in (c.mine.entities, c.mine.dates, c.mine.events, c.mine.links) for x in layer]
        merged = accept_suggestions(ws.ctx, head.model_copy(update={"metadata": {}}), c.mine, ids).aset
        meta = {**head.metadata, **c.mine.metadata}
        rejected = sorted({*head.metadata.get("rejected_suggestions", []),
                           *c.mine.metadata.get("rejected_suggestions", [])})
        if rejected:
            meta["rejected_suggestions"] = rejected
        aset = merged.model_copy(update={"metadata": meta})
        validate_annotation_set(aset, ws.document, ws.taxonomy)
    else:
        raise InputError(f"unknown choice {choice!r}; use mine, theirs or merge", where="choice")
    aset = aset.model_copy(update={"revision": head.revision, "status": head.status})
    store.drafts.put(ws.document.id, ws.author, head.revision, aset)
    step = Step({"mine": "keep mine", "theirs": "take theirs", "merge": "merge"}[choice], *diff(ws.aset, aset))
    return _with_suggestions(replace(ws, aset=aset, base_revision=head.revision, saved=head.content(),
                                     status=head.status, conflict=None,
                                     message=f"conflict resolved ({choice}); save to store it",
                                     history=ws.history.record(step)), aset)


def unfinished_items(ws: Workspace) -> list[Unfinished]:
    """What is still unfinished in the working set (see :mod:`annotate.annotation.completeness`)."""
    return unfinished(ws.aset, ws.taxonomy, ws.suggestions, ws.noted)


def submit(store: Store, ws: Workspace, *, actor: str | None = None, confirmed: bool = False) -> Workspace:
    """Save unsaved changes, then mark the set ``submitted`` (done for this annotator; read-only until reopened).

    While something is unfinished (:func:`unfinished_items`) the submit is refused unless ``confirmed``: the page
    lists them and asks first.  When the save conflicts, nothing is submitted and the workspace reports the
    conflict.
    """
    _writable(store, ws)
    left = unfinished_items(ws)
    if left and not confirmed:
        raise InputError(
            f"{len(left)} thing{'s are' if len(left) > 1 else ' is'} unfinished: "
            + "; ".join(u.message for u in left),
            where="submit", hint="finish them, or confirm that the document is done as it is",
        )
    if ws.dirty or ws.base_revision == 0:
        ws = save(store, ws, actor=actor)
        if ws.conflict is not None:
            return ws
    stored = store.sets.set_status(ws.document.id, ws.author, AnnotationStatus.submitted, actor=actor or ws.viewer)
    for c in ws.open_of(CommentKind.returned):  # the annotator has done what the curator asked
        ws = _set_comment(store, ws, c.id, CommentStatus.resolved)
    return replace(ws, aset=stored, status=stored.status, saved=stored.content(), read_only=True,
                   read_only_reason=SUBMITTED_REASON, message=f"submitted revision {stored.revision}")


def reopen(store: Store, ws: Workspace, *, actor: str | None = None) -> Workspace:
    """Take one's own submitted set up again: a new revision with the same marks, in progress, editable."""
    if ws.author != ws.viewer or ws.status is not AnnotationStatus.submitted:
        raise InputError(f"only your own submitted set can be reopened; this one is {ws.status.value}",
                         where="status")
    opened = replace(ws, status=AnnotationStatus.in_progress, read_only=False, read_only_reason=None)
    saved = save(store, opened, actor=actor)
    if saved.conflict is not None:
        return replace(saved, status=ws.status, read_only=True, read_only_reason=SUBMITTED_REASON)
    return replace(saved, message=f"reopened: revision {saved.base_revision} is in progress")


# --- comments -----------------------------------------------------------------------------------------------


def _set_comment(store: Store, ws: Workspace, comment_id: int, status: str) -> Workspace:
    """Change a comment's status in the store and in the workspace (an undo or redo of a comment step)."""
    changed = store.comments.set_status(comment_id, status, actor=ws.viewer)
    kept = [c for c in ws.comments if c.id != comment_id]
    if changed.status is not CommentStatus.withdrawn:
        kept = sorted([*kept, changed], key=lambda c: c.id)
    return replace(ws, comments=tuple(kept))


def _target_text(ws: Workspace, target: str) -> str:
    spans = {m.id: m.text for m in ws.aset.entities} | {d.id: d.text for d in ws.aset.dates}
    spans |= {e.id: e.trigger.text for e in ws.aset.events}
    if target in spans:
        return spans[target]
    link_ = next((ln for ln in ws.aset.links if ln.id == target), None)
    if link_ is None:
        raise InputError(f"no mark, event or link {target!r} in this set", where="target")
    return f"{spans.get(link_.source, link_.source)} = {spans.get(link_.target, link_.target)}"


def _commented(store: Store, ws: Workspace, comment: Comment, name: str, message: str) -> Workspace:
    stored = store.comments.add(comment, actor=ws.viewer)
    step = Step(name, effect=SideEffect("comment", stored.id, CommentStatus.withdrawn.value, stored.status.value))
    return replace(ws, comments=(*ws.comments, stored), history=ws.history.record(step), message=message)


def add_note(store: Store, ws: Workspace, target: str | None, text: str) -> Workspace:
    """Write a note on mark, event or link ``target`` of the working set (None: on the document); undoable."""
    _writable(store, ws)
    target_text = None if target is None else _target_text(ws, target)
    comment = parse_model(Comment, {"doc_id": ws.document.id, "set_author": ws.author, "target": target,
                                    "target_text": target_text, "text": text, "author": ws.viewer}, where="note")
    what = "the document" if target_text is None else quote(target_text)
    return _commented(store, ws, comment, f"note on {what}", f"note added on {what}")


def flag(store: Store, ws: Workspace, text: str) -> Workspace:
    """Flag the document for a curator, saying why; allowed on one's own set even once submitted; undoable."""
    if ws.author != ws.viewer:
        raise AuthError(f"{ws.viewer} may only flag their own work, not {ws.author}'s")
    _live(store, ws)
    comment = parse_model(Comment, {"doc_id": ws.document.id, "set_author": ws.author, "kind": CommentKind.flag,
                                    "text": text, "author": ws.viewer}, where="flag")
    return _commented(store, ws, comment, "flag for curator", "flagged for a curator")


def withdraw_comment(store: Store, ws: Workspace, comment_id: int) -> Workspace:
    """Take back one's own note or flag (it stays in the store, withdrawn); undoable."""
    c = next((x for x in ws.comments if x.id == comment_id), None)
    if c is None or c.author != ws.viewer or c.kind is CommentKind.returned:
        raise InputError(f"comment #{comment_id} is not a note or flag of yours on this document", where="id")
    if c.kind is CommentKind.note:
        _writable(store, ws)
    else:
        _live(store, ws)
    step = Step(f"remove {'flag' if c.kind is CommentKind.flag else 'note'}",
                effect=SideEffect("comment", c.id, c.status.value, CommentStatus.withdrawn.value))
    ws = _set_comment(store, ws, c.id, CommentStatus.withdrawn)
    return replace(ws, history=ws.history.record(step), message="withdrawn")


def return_to_annotator(store: Store, ws: Workspace, note: str, *, actor: str | None = None) -> Workspace:
    """A curator viewing an annotator's submitted set gives it back with a note (see :func:`return_set`)."""
    actor = actor or ws.viewer
    if ws.viewer_role not in STAFF_ROLES or ws.author == ws.viewer:
        raise AuthError(f"only a curator or admin returns an annotator's set, not {ws.viewer} ({ws.viewer_role})")
    _live(store, ws)
    stored, returned = return_set(store, ws.document.id, ws.author, note, actor=actor)
    return replace(ws, aset=stored, base_revision=stored.revision, saved=stored.content(), status=stored.status,
                   comments=(*ws.comments, returned),
                   message=f"returned to {ws.author}: revision {stored.revision} is in progress")


def return_set(store: Store, doc_id: str, author: str, note: str, *, actor: str) -> tuple[AnnotationSet, Comment]:
    """Give ``author``'s submitted set of ``doc_id`` back with a note saying what to change.

    The set gets a new revision (same marks, in progress, saved by ``actor``) and the note is a comment the
    annotator sees on the document until they submit again.  Only a submitted set can be returned.
    """
    head = store.sets.get(doc_id, author)
    if head.status is not AnnotationStatus.submitted:
        raise InputError(f"{author}'s set of {doc_id} is {head.status.value}; only a submitted set can be returned",
                         where="status")
    comment = parse_model(Comment, {"doc_id": doc_id, "set_author": author, "kind": CommentKind.returned,
                                    "text": note, "author": actor}, where="note")
    stored = store.sets.save(head.model_copy(update={"status": AnnotationStatus.in_progress}),
                             base_revision=head.revision, actor=actor)
    return stored, store.comments.add(comment, actor=actor)


def summarize_changes(before: AnnotationSet, after: AnnotationSet) -> tuple[list[str], list[str]]:
    """What only ``after`` has and what only ``before`` has, one readable line per mark, event or link."""

    def lines(a: AnnotationSet) -> set[str]:
        out = {f"{m.type} {quote(m.text)} [{m.start}, {m.end})" for m in a.entities}
        out |= {f"DATE {quote(d.text)} [{d.start}, {d.end}) {d.gregorian_label()}" for d in a.dates}
        for ev in a.events:
            out.add(f"event {ev.type} {quote(ev.trigger.text)} [{ev.trigger.start}, {ev.trigger.end})")
            spans = {m.id: m.text for m in a.entities} | {d.id: d.text for d in a.dates}
            out |= {f"argument {arg.role} of {quote(ev.trigger.text)}: {quote(spans.get(arg.ref, arg.ref))}"
                    for arg in ev.arguments}
        spans = {d.id: d.text for d in a.dates}
        out |= {f"link {quote(spans.get(ln.source, ln.source))} = {quote(spans.get(ln.target, ln.target))}"
                for ln in a.links}
        return out

    b, f = lines(before), lines(after)
    return sorted(f - b), sorted(b - f)
