"""The default project: the demo corpus imported and pre-labelled, ready to open in the app."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .annotation.prelabel import PrelabelResult, prelabel
from .auth import Role, list_users
from .corpus.importer import ImportSummary, import_paths
from .errors import AuthError
from .project import Project, init_project
from .store import Store

DEMO_PASSWORD = "annotate-demo"
"""Password of every demo account; for trying the app locally only."""

DEMO_USERS: tuple[tuple[str, Role], ...] = (
    ("admin", Role.admin),
    ("curator", Role.curator),
    ("sara", Role.annotator),
    ("omid", Role.annotator),
)


def demo_corpus_path() -> Path:
    """The demo corpus shipped in the package (original paragraphs in fa, prs and ar)."""
    return Path(str(resources.files("annotate").joinpath("data/demo/demo.jsonl")))


@dataclass
class DemoSetup:
    """What :func:`setup_demo` did."""

    project: Project
    imported: ImportSummary
    prelabelled: list[PrelabelResult]
    users_created: tuple[tuple[str, Role], ...] = ()


def setup_demo(path: Path, *, actor: str) -> DemoSetup:
    """Create (or reuse) the project at ``path``, import the demo corpus and pre-label it; idempotent."""
    project = init_project(path, title=None)
    store = project.store()
    imported = import_paths(store, [demo_corpus_path()], actor=actor)
    results = list(prelabel(store, actor=actor))
    created = ensure_demo_users(store, actor=actor)
    return DemoSetup(project=project, imported=imported, prelabelled=results, users_created=created)


def ensure_demo_users(store: Store, *, actor: str) -> tuple[tuple[str, Role], ...]:
    """Create the demo accounts (:data:`DEMO_USERS`, password :data:`DEMO_PASSWORD`) if the project has no user.

    Returns the accounts created (none when the project already had users).
    """
    if list_users(store):
        return ()
    for name, role in DEMO_USERS:
        store.users.add(name, role, DEMO_PASSWORD, actor=actor)
    return DEMO_USERS


def demo_accounts_left(store: Store) -> list[str]:
    """The demo accounts that still sign in with :data:`DEMO_PASSWORD` (to warn before serving on a network)."""
    users = {u.name for u in list_users(store)}
    left = []
    for name, _role in DEMO_USERS:
        if name in users:
            try:
                store.users.verify(name, DEMO_PASSWORD)
            except AuthError:
                continue
            left.append(name)
    return left
