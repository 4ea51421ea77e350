"""The page registry: every page of the app, who may see it and where it sits in the navigation.

Each page file under ``annotate/app/views/`` adds one :class:`PageSpec` line to :data:`PAGES`; the router
(``streamlit_app.py``) shows a signed-in user only the pages their role may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent
"""``annotate/app/``: page paths are relative to it (and to the router, which lives there)."""

ALL_ROLES: frozenset[str] = frozenset({"annotator", "curator", "admin"})
CURATORS: frozenset[str] = frozenset({"curator", "admin"})
ADMINS: frozenset[str] = frozenset({"admin"})

SECTION_ORDER: tuple[str, ...] = ("Annotate", "Curate", "Release", "Admin", "Help")
"""Sections in the order the sidebar shows them; a section not listed goes just before Help."""

ANNOTATION_PAGE = "views/annotate.py"
"""The annotation page, which the queue opens once it is registered."""

GUIDELINES_PAGE = "views/guidelines.py"
"""Linked from the sidebar on every page."""

SIGN_IN_PAGE = "views/sign_in.py"
"""Shown alone while nobody is signed in (not part of :data:`PAGES`)."""


@dataclass(frozen=True)
class PageSpec:
    """One page: file (relative to ``annotate/app/``), title, Material icon, section, roles, default page."""

    path: str
    title: str
    icon: str
    section: str
    roles: frozenset[str]
    default: bool = False


PAGES: list[PageSpec] = [
    PageSpec("views/queue.py", "Documents", ":material/list_alt:", "Annotate", ALL_ROLES, default=True),
    PageSpec("views/annotate.py", "Annotate", ":material/edit_note:", "Annotate", ALL_ROLES),
    PageSpec("views/guidelines.py", "Guidelines", ":material/menu_book:", "Help", ALL_ROLES),
    PageSpec("views/account.py", "Account", ":material/account_circle:", "Help", ALL_ROLES),
    PageSpec("views/assign.py", "Assign", ":material/assignment_ind:", "Curate", CURATORS),
    PageSpec("views/agreement.py", "Agreement", ":material/bar_chart:", "Curate", CURATORS),
    PageSpec("views/adjudicate.py", "Adjudicate", ":material/gavel:", "Curate", CURATORS),
    PageSpec("views/releases.py", "Releases", ":material/new_releases:", "Curate", CURATORS),
    PageSpec("views/labelstudio.py", "Label Studio", ":material/sync_alt:", "Curate", CURATORS),
    PageSpec("views/suggestions.py", "Suggestions", ":material/auto_awesome:", "Curate", CURATORS),
]


def pages_for(role: str) -> list[PageSpec]:
    """The pages ``role`` may see, in registry order."""
    return [p for p in PAGES if role in p.roles]


def default_page(role: str) -> PageSpec | None:
    """The page ``role`` lands on: the first visible page marked default, else the first visible page."""
    visible = pages_for(role)
    return next((p for p in visible if p.default), visible[0] if visible else None)


def sections_for(role: str) -> dict[str, list[PageSpec]]:
    """The pages ``role`` may see, grouped by section in :data:`SECTION_ORDER`."""
    grouped: dict[str, list[PageSpec]] = {}
    for spec in pages_for(role):
        grouped.setdefault(spec.section, []).append(spec)
    help_rank = SECTION_ORDER.index("Help")

    def rank(section: str) -> float:
        return SECTION_ORDER.index(section) if section in SECTION_ORDER else help_rank - 0.5

    return {s: grouped[s] for s in sorted(grouped, key=rank)}


def find_page(path: str, role: str) -> PageSpec | None:
    """The registered page at ``path`` if ``role`` may see it."""
    return next((p for p in pages_for(role) if p.path == path), None)


def page_url_paths() -> list[str]:
    """The address of every registered page (``st.Page`` names a page file's URL after its stem)."""
    return [Path(spec.path).stem for spec in PAGES]
