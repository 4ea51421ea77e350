"""The app in a browser for the suggestion tests and the effort benchmark: serve a project, sign in, open a page.

Importable outside pytest (``benchmarks/suggest_effort.py`` uses it), so it holds no fixtures; the server itself
is ``tests/serving.py``'s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from serving import serving

from annotate.auth import SESSION_COOKIE

T = TypeVar("T")


@contextmanager
def serve(project_dir: Path) -> Iterator[str]:
    """``annotate serve`` on ``project_dir`` (:func:`serving.serving`, its log beside the project); yields its URL."""
    with serving(["--project", str(project_dir)], Path(project_dir).parent / "serve.log") as (_, url):
        yield url


def sign_in(browser: Any, url: str, user: str, password: str, *, width: int = 1280, height: int = 720,
            dark: bool = False) -> Any:
    """A new page (light or dark colour scheme, a context of its own) signed in as ``user``: returned once the
    browser holds the session cookie and is back from the route that set it."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.goto(url)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_for(lambda: any(c["name"] == SESSION_COOKIE for c in context.cookies()), "the session cookie", 60)
    page.wait_for_url(lambda u: "/auth/" not in u, timeout=60_000)
    page.get_by_text(f"Signed in as {user}").first.wait_for(timeout=60_000)
    return page


def open_page(page: Any, url: str, path: str, ready: str) -> Any:
    """Open ``path`` (e.g. ``annotate?doc=ID``) of the app at ``url`` once the sign-in went through, and wait for
    the JavaScript condition ``ready``; returns ``page``. The session survives the navigation (its cookie)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(2):  # a page that loaded while the server was busy may have missed its first run
        page.goto(f"{url.rstrip('/')}/{path}")
        try:
            page.wait_for_function(ready, timeout=90_000)
            return page
        except PlaywrightTimeout:
            if attempt:
                raise
    return page


def open_document(page: Any, url: str, doc_id: str) -> Any:
    """Open the annotation page on ``doc_id`` (its address names the document, as the queue's links do)."""
    open_page(page, url, f"annotate?doc={doc_id}",
              f"document.querySelector('.annot-labeler')?.dataset.docId === '{doc_id}'")
    page.wait_for_selector(".annot-doc:not(:empty)", timeout=60_000)
    return page


def wait_for(fn: Callable[[], T | None], what: str, timeout: float = 60) -> T:
    """Poll ``fn`` (what the store holds, mostly) until it gives something true; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        got = fn()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
