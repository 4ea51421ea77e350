"""What the side panel of the open set offers: the mentions that may fill each role of an event, the roles
nobody fills yet, and canonical ids to link an entity mention to (from the sets the user may read)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import InputError
from ..models import GOLD_AUTHOR, Event
from ..store import Store, User
from ..text.bidi import quote
from .editing import CanonicalSuggestion, canonical_id_suggestions, unfilled_roles
from .workspace import STAFF_ROLES, Workspace

__all__ = ["canonical_suggestions", "event_unfilled", "known_canonical_ids", "role_choices"]


def role_choices(ws: Workspace, event: Event) -> dict[str, list[tuple[str, str]]]:
    """For each role of ``event``'s type, the mentions of the set that may fill it, as ``(id, label)``."""
    et = ws.taxonomy.event_type(event.type)
    if et is None:
        return {}
    out: dict[str, list[tuple[str, str]]] = {}
    for role in et.roles:
        opts = [(m.id, f"{m.type} {quote(m.text)}") for m in ws.aset.entities if role.accepts("entity", m.type)]
        opts += [(d.id, f"DATE {quote(d.text)}") for d in ws.aset.dates if role.accepts("date")]
        out[role.name] = opts
    return out


def event_unfilled(ws: Workspace, event: Event) -> list[str]:
    """The roles of ``event`` nobody fills yet."""
    return unfilled_roles(event, ws.taxonomy)


def known_canonical_ids(store: Store, user: User) -> dict[str, list[str]]:
    """Canonical ids already used in the project, each with the surface forms used with it.

    Blind annotation: an annotator's suggestions come from their own sets and the gold sets of documents they may
    open (:mod:`.access`) only; curators and admins get every set's.
    """
    staff = str(user.role) in STAFF_ROLES
    limited = not staff and store.assignments.exist()
    assigned = {a.doc_id for a in store.assignments.list(annotator=user.name)} if limited else set()
    known: dict[str, set[str]] = {}
    for aset in store.sets.list():
        if not staff and aset.author not in (user.name, GOLD_AUTHOR):
            continue
        if limited and aset.author == GOLD_AUTHOR and aset.doc_id not in assigned:
            continue
        for m in aset.entities:
            if m.canonical_id:
                known.setdefault(m.canonical_id, set()).add(m.text)
    return {k: sorted(v) for k, v in sorted(known.items())}


def canonical_suggestions(
    ws: Workspace, mention_id: str, known: Mapping[str, Iterable[str]], *, limit: int = 5
) -> list[CanonicalSuggestion]:
    """Canonical ids to offer for entity ``mention_id``: known ids whose surface forms match its text."""
    mention = next((m for m in ws.aset.entities if m.id == mention_id), None)
    if mention is None:
        raise InputError(f"no entity mention {mention_id!r} in this set", where="id")
    return canonical_id_suggestions(mention.text, known, limit=limit)
