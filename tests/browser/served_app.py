"""The app in a browser, for the browser tests and the benchmarks: serve a project, sign in, open a page or a
document, wait for what the store holds.

Importable outside pytest (``benchmarks/suggest_effort.py`` uses it), so it holds no fixtures (those are in
``conftest.py``: the browser, one per module); the server itself is ``tests/serving.py``'s.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from chromium import require_chromium
from serving import serving
from shared_data import SEEDS, require

from annotate.corpus.importer import import_paths
from annotate.project import Project, init_project

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
LOAD_MS = 60_000
"""How long a page load may take: a first render of the app took over 30 s on the shared 2-core machine under load."""
LANDED_JS = "!window.__signingIn && !!document.querySelector('[data-testid=stDataFrame], [data-testid=stAlert]')"
"""The page a sign-in lands on has drawn (the queue's table, or its notice when there is nothing to list)."""


@contextmanager
def serve(project_dir: Path) -> Iterator[str]:
    """``annotate serve`` on ``project_dir`` (:func:`serving.serving`, its log beside the project); yields its URL."""
    with serving(["--project", str(project_dir)], Path(project_dir).parent / "serve.log") as (_, url):
        yield url


def new_page(browser: Any, *, width: int = 1440, height: int = 900, dark: bool = False, scale: float = 1) -> Any:
    """A new page of ``browser`` (in a context of its own): viewport, OS colour scheme and pixel density as given."""
    return browser.new_page(viewport={"width": width, "height": height}, color_scheme="dark" if dark else "light",
                            device_scale_factor=scale)


def sign_in(browser: Any, url: str, user: str, password: str, *, page: Any = None, **options: Any) -> Any:
    """``page`` (else a :func:`new_page` with ``options``) signed in as ``user`` on the app at ``url``; returned
    once the page the sign-in lands on (the queue) has drawn."""
    from playwright.sync_api import Error as PlaywrightError

    page = page or new_page(browser, **options)
    page.goto(url)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    # Signed in once the page the sign-in navigates to (through /auth/session, for the cookie) has drawn the queue:
    # the page signing in draws it too, and a click made there is lost with it.
    page.evaluate("window.__signingIn = true")
    page.get_by_role("button", name="Sign in").click()

    def landed() -> bool:
        try:
            return bool(page.evaluate(LANDED_JS))
        except PlaywrightError:  # between the two documents
            return False

    wait_until(landed, "the page after signing in", timeout=LOAD_MS / 1000, page=page)
    return page


def wait_until(fn: Callable[[], T | None], what: str, timeout: float = 20, page: Any = None) -> T:
    """Poll ``fn`` (usually a look into the store) until it returns something true; fail naming ``what``.  With
    ``page``, wait through it: Playwright delivers page events (websocket frames) only while one of its calls runs."""
    deadline = time.monotonic() + timeout
    while True:
        got = fn()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        if page is not None:
            page.wait_for_timeout(100)
        else:
            time.sleep(0.1)


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


def open_in_picker(page: Any, doc_id: str) -> Any:
    """Go to the annotation page (through the navigation) and choose ``doc_id`` in its document picker; wait until
    the labeler has drawn it.  Returns ``page``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if not page.locator(".annot-labeler").count():
        page.locator('a[href$="/annotate"]').first.click()
        try:
            page.wait_for_selector(".annot-doc:not(:empty)", timeout=LOAD_MS)
        except PlaywrightTimeout:
            ARTIFACTS.mkdir(exist_ok=True)  # what the page showed instead, for whoever reads the failure
            page.screenshot(path=str(ARTIFACTS / "open-document-timeout.png"))
            raise
    if page.evaluate("document.querySelector('.annot-labeler').dataset.docId") != doc_id:
        for _ in range(5):  # the list does not open while Streamlit is still redrawing the page
            page.locator('[data-testid="stSelectbox"]').filter(has_text="Document").first.click()
            try:
                page.get_by_role("option", name=re.compile(re.escape(doc_id))).first.click(timeout=3_000)
                break
            except PlaywrightTimeout:  # the list closed under a redraw: close it and open it again
                page.keyboard.press("Escape")
    page.wait_for_function(
        f"(() => {{ const l = document.querySelector('.annot-labeler');"
        f" return l && l.dataset.docId === '{doc_id}' && l.dataset.renders; }})()", timeout=LOAD_MS)
    return page


def require_browser_and_seeds() -> Path:
    """Skip without Debian's chromium or the seed corpus (a failure under ``CI=true``); the seeds' manifest."""
    require_chromium()
    return require(SEEDS / "manifest.jsonl", "the seed corpus")


def seeded_project(directory: Path) -> Project:
    """A new project in ``directory`` with the seed corpus imported (skipped without Chromium or the seeds; a
    failure under ``CI=true``)."""
    manifest = require_browser_and_seeds()
    project = init_project(directory / "project")
    import_paths(project.store(), [manifest], actor="test")
    return project
