"""Who may open and change which document: the one rule the workspace, and so the app, enforces.

Curators and admins: every document. Annotators: once the project has any assignment, only the documents
assigned to them; while it has none, every document (a small team that does not assign). A disabled or
deleted account: none. The user is read afresh from the store at every check, and the check runs on every
open and every write of the workspace, so an unassignment, a role change or a disabled account applies at
once, whatever the page's URL (``/annotate?doc=ID``) or its session state still holds.
"""

from __future__ import annotations

from ..auth import Role
from ..errors import AuthError, NotFound
from ..store import Store, User

STAFF: frozenset[Role] = frozenset({Role.curator, Role.admin})


def may_open(store: Store, user: User, doc_id: str) -> bool:
    """Whether ``user`` (as given) may open and annotate ``doc_id``."""
    if user.disabled:
        return False
    if user.role in STAFF:
        return True
    return store.assignments.has(doc_id, user.name) or not store.assignments.exist()


def authorise(store: Store, name: str, doc_id: str) -> User:
    """The current account ``name`` if it may open ``doc_id``; :class:`AuthError` otherwise.

    The refusal reads the same whether the document exists or not, so it does not tell an annotator which
    ids other people work on.
    """
    try:
        user = store.users.get(name)
    except NotFound:
        raise AuthError(f"there is no account {name!r} any more", hint="sign in again") from None
    if user.disabled:
        raise AuthError(f"the account {name} is disabled", hint="ask an administrator")
    if not may_open(store, user, doc_id):
        raise AuthError(f"document {doc_id!r} is not in your queue",
                        hint="open a document from your Documents page; a curator assigns documents")
    return user
