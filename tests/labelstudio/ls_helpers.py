"""What the Label Studio tests share: the live server's coordinates and small lookups."""

from __future__ import annotations

from dataclasses import dataclass

from annotate.labelstudio.client import Connection, LabelStudioClient, connect
from annotate.labelstudio.sync import PROJECT_KEY, SYSTEM
from annotate.store import Store

ANNOTATORS = {"ali@example.org": "ali", "zahra@example.org": "zahra"}


@dataclass(frozen=True)
class LiveServer:
    """Where the session's server listens, its admin key and the two annotators' Label Studio user ids."""

    url: str
    api_key: str
    users: dict[str, int]
    admin: tuple[str, str] | None = None
    """The admin's e-mail and password, for signing in with a browser (None when unknown)."""

    def client(self) -> LabelStudioClient:
        return connect(Connection(self.url, self.api_key))


def linked_project_id(store: Store) -> int:
    """The Label Studio project id a store is linked to."""
    link = store.external_ids.find(SYSTEM, "project", PROJECT_KEY)
    assert link is not None
    return int(link.external_id)
