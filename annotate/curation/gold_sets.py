"""Gold sets in the store: load and save them (links re-checked, provenance stamped, a new revision each time),
reopen a final one, the workspace a curator edits gold in with the labeler, auto-adjudication, and the
documents waiting for adjudication.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..annotation import editing
from ..annotation.comments import VISIBLE
from ..annotation.prelabel import ENGINE_AUTHOR
from ..annotation.workspace import Workspace, offer_suggestions, unfinished_items
from ..canonical import now_iso
from ..errors import AuthError, InputError, NotFound
from ..models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, AuthorKind, validate_annotation_set
from ..store import Store, User
from .adjudication import ADJUDICATION_KEY, PROVENANCE_KEY, Strategy, auto_merge, empty_gold, stamp
from .comparison import SetsDiff, annotator_sets, diff_sets

if TYPE_CHECKING:
    from ..taxonomy import Taxonomy

__all__ = [
    "CURATOR_ROLES",
    "DocumentState",
    "Session",
    "adjudication_queue",
    "auto_adjudicate",
    "gold_summary",
    "gold_workspace",
    "load_gold",
    "open_session",
    "reopen_gold",
    "save_gold",
    "save_workspace",
]

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
    diff: SetsDiff | None = None,
) -> AnnotationSet:
    """Store ``gold`` as a new revision of the document's gold set (status ``gold`` when ``final``).

    With the annotators' ``diff``, every item's provenance is brought up to date first (:func:`stamp`): what
    the curator changed in the labeler since the last decision is recorded as theirs.

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
    if diff is not None:
        out = stamp(out, diff, by=actor)
    editing.recheck_links(out, ctx.date_engine())
    validate_annotation_set(out, ctx.document, ctx.taxonomy)
    meta = out.metadata.setdefault(ADJUDICATION_KEY, {})
    meta["saved_by"] = actor
    meta["saved_at"] = now_iso()
    return store.sets.save(out, base_revision=base, actor=actor)


CURATOR_ROLES = frozenset({"curator", "admin"})


def gold_workspace(store: Store, taxonomy: Taxonomy, doc_id: str, user: User) -> Workspace:
    """The document's gold set as a workspace a curator edits, with the labeler and the annotation panels like
    an annotator's set (:mod:`annotate.annotation.workspace`: actions, edits, autosaved draft): the head revision
    (or an empty gold set), the date engine's marks and the live string matches as suggestions (as on an
    annotator's own set), the curators' notes on the gold set (a note on an inconsistent link says why it stays:
    :mod:`annotate.annotation.completeness`), and an unsaved gold draft offered back.

    Read-only while the gold set is final (status ``gold``): reopen it first.  Saving goes through
    :func:`save_workspace` (checks, provenance), never through the workspace's own save.
    """
    if str(user.role) not in CURATOR_ROLES:
        raise AuthError(f"{user.name} ({user.role}) may not edit gold sets", hint="adjudication is for curators")
    document = store.documents.get(doc_id)
    head = load_gold(store, doc_id)
    aset = head if head is not None else empty_gold(editing.EditContext(document, taxonomy))
    try:
        engine: AnnotationSet | None = store.sets.get(doc_id, ENGINE_AUTHOR)
    except NotFound:
        engine = None
    # As on an annotator's own set: the engine's stored set plus the live string matches of the working copy,
    # recombined by the workspace after every edit (so the engine's marks stay offered after the first one).
    stored = (engine,) if engine is not None and engine.text_sha256 in (None, document.text_sha256) else ()
    ws = Workspace(
        document=document, taxonomy=taxonomy, viewer=user.name, viewer_role=str(user.role), author=GOLD_AUTHOR,
        aset=aset, base_revision=head.revision if head is not None else 0, saved=aset.content(),
        status=aset.status, read_only=aset.status is AnnotationStatus.gold, stored_suggestions=stored,
        comments=tuple(store.comments.list(doc_id, GOLD_AUTHOR, statuses=VISIBLE)),
    )
    ws = offer_suggestions(ws)
    draft = store.drafts.find(doc_id, GOLD_AUTHOR)
    if draft is not None and (draft.aset.content() != ws.saved or draft.base_revision != ws.base_revision):
        ws = replace(ws, draft=draft.aset, draft_base_revision=draft.base_revision, draft_saved_at=draft.saved_at)
    return ws


def save_workspace(
    store: Store, ws: Workspace, diff: SetsDiff, *, final: bool, confirmed: bool = False
) -> Workspace:
    """Save a gold workspace with :func:`save_gold` (links re-checked, provenance stamped, a new revision; status
    ``gold`` when ``final``) and carry on from the saved revision; the gold draft is dropped.

    Saving as gold (``final``) while something is unfinished (:func:`annotate.annotation.workspace.unfinished_items`,
    the list an annotator confirms before submitting) is refused unless ``confirmed``: the page lists them and
    asks first.  A draft save (not ``final``) is never refused for it.
    A save after someone else's raises :class:`~annotate.errors.ConflictError` (nothing is stored; the working
    copy stays as it was, and its draft too).
    """
    if ws.author != GOLD_AUTHOR:
        raise InputError(f"{ws.author}'s set is not a gold set", where="workspace")
    left = unfinished_items(ws) if final and not confirmed else []
    if left:
        raise InputError(
            f"{len(left)} thing{'s are' if len(left) > 1 else ' is'} unfinished: " + "; ".join(u.message for u in left),
            where="save as gold", hint="finish them, or confirm that the gold set is done as it is",
        )
    saved = save_gold(store, ws.ctx, ws.aset, actor=ws.viewer, final=final, base_revision=ws.base_revision,
                      diff=diff)
    store.drafts.delete(ws.document.id, GOLD_AUTHOR)
    return replace(ws, aset=saved, base_revision=saved.revision, saved=saved.content(), status=saved.status,
                   read_only=saved.status is AnnotationStatus.gold, draft=None, draft_base_revision=None,
                   draft_saved_at=None, message=f"gold saved: revision {saved.revision}")


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
    """How many gold items came in each way (``auto``, ``accepted``, ``curator``)."""
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

