"""Build an ``AppTest`` of the whole app (the router) on a project, with a user signed in and a page open.

``make_app(project_dir, "sara", "views/queue.py")`` sets ``ANNOTATE_PROJECT``, starts a server-side session for
``sara`` and puts its token in the Streamlit session the way the sign-in page does, runs the router once (so
``st.navigation`` registers the pages) and, when ``page`` is given, switches to it and runs again. Check
``at.exception`` and the elements afterwards.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from annotate.annotation.actions import LabelerAction
from annotate.app.context import SESSION_DOC, SESSION_TOKEN
from annotate.app.labeler import Channel
from annotate.app.navigation import APP_DIR
from annotate.auth import SESSION_IDLE
from annotate.project import ENV_PROJECT, is_initialised, open_project

ROUTER = APP_DIR / "streamlit_app.py"
TIMEOUT = 30.0


def make_app(project_dir: str | Path, user: str | None, page: str | None = None) -> AppTest:
    """The router on ``project_dir`` with ``user`` signed in (None: nobody), run, then switched to ``page``.

    ``ANNOTATE_PROJECT`` stays set for the rest of the test, since every later ``at.run()`` reads it; the
    suite's autouse fixture clears it before the next test.
    """
    os.environ[ENV_PROJECT] = str(Path(project_dir).resolve())
    at = AppTest.from_file(ROUTER, default_timeout=TIMEOUT)
    if user is not None:
        at.session_state[SESSION_TOKEN] = session_token(project_dir, user)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def session_token(project_dir: str | Path, user: str) -> str:
    """A live session for ``user`` (who need not exist: the app then treats it as signed out); a token naming
    nothing when ``project_dir`` is no project (the app stops before it looks)."""
    if not is_initialised(project_dir):
        return "no-project"
    project = open_project(project_dir)
    try:
        return project.store().sessions.start(user, client="apptest", idle=SESSION_IDLE)
    finally:
        project.close()


ANNOTATION_PAGE = "views/annotate.py"
LABELER_CHANNEL = "_ann_labeler_channel"
"""Session key of the labeler's channel (its ``pending`` actions: what the component's callback fills)."""


def open_annotation_page(project_dir: str | Path, user: str, doc_id: str) -> AppTest:
    """The annotation page on ``doc_id`` for ``user``, run without an exception."""
    at = make_app(project_dir, user)
    at.session_state[SESSION_DOC] = doc_id
    at.switch_page(ANNOTATION_PAGE).run()
    assert not at.exception, at.exception
    return at


def act(at: AppTest, *actions: LabelerAction) -> AppTest:
    """Hand the page labeler actions as the component's callback would, and run it."""
    at.session_state[LABELER_CHANNEL] = Channel(pending=list(actions))
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    """Click the button with ``key`` and run the page, without an exception."""
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def ok(at: AppTest) -> AppTest:
    """``at`` after a run that raised nothing and showed no error."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def texts(at: AppTest) -> str:
    """What the page wrote in Markdown, captions, successes, infos and warnings, one element a line."""
    kinds = ("markdown", "caption", "success", "info", "warning")
    return "\n".join(x.value for kind in kinds for x in getattr(at, kind))


def shown_text(at: AppTest) -> list[str]:
    """What the page shows through :func:`annotate.app.ui.user_text` (escaped HTML in its own direction)."""
    return [h.proto.body for h in at.get("html")]


def component_data(at: AppTest, key: str) -> dict[str, Any]:
    """The data the last run gave the custom component element keyed ``key`` (e.g. ``ann_labeler_previews``)."""

    def walk(node: Any) -> Any:
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else []:
            yield child
            yield from walk(child)

    found = [el for el in walk(at._tree) if type(el).__name__ == "UnknownElement"
             and getattr(el.proto, "component_name", None) and el.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, f"{len(found)} component elements keyed {key!r}"
    data: dict[str, Any] = json.loads(found[0].proto.json)
    return data
