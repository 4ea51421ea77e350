"""The app in browser tests: sign in, open a document on the Annotate page, wait for what it stores.

The server itself comes from ``tests/serving.py`` (``serving``).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from chromium import CHROMIUM
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(os.environ.get("ANNOTATE_SEEDS", "/work/shared/seeds"))
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "correct horse 1"
"""The password of the test projects' annotator ``sara``."""
LOAD_MS = 60_000
"""How long a page load may take: a first render of the app took over 30 s on the shared 2-core machine under load."""
LANDED_JS = "!window.__signingIn && !!document.querySelector('[data-testid=stDataFrame], [data-testid=stAlert]')"


def require_browser_and_seeds() -> None:
    """Skip without Debian's chromium or the seed corpus; under ``CI=true`` that is a failure instead."""
    if not Path(CHROMIUM).exists() or not (SEEDS / "manifest.jsonl").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} or the seed corpus is missing, and CI=true")
        pytest.skip(f"{CHROMIUM} (Debian chromium) or {SEEDS} is missing")


def wait_until(fn: Callable[[], T | None], what: str, timeout: float = 20, page: Any = None) -> T:
    """Poll ``fn`` until it returns something true.  With ``page``, wait through it: Playwright delivers page
    events (websocket frames) only while one of its calls runs."""
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


def new_page(browser: Any, *, width: int = 1500, height: int = 1000, color_scheme: str = "light",
             scale: float = 1) -> Any:
    """A new page of ``browser``: viewport, OS colour scheme and pixel density as given."""
    return browser.new_page(viewport={"width": width, "height": height}, color_scheme=color_scheme,
                            device_scale_factor=scale)


def sign_in(browser: Any, url: str, user: str, password: str, *, page: Any = None, **options: Any) -> Any:
    """``page`` (else a :func:`new_page` with ``options``) signed in on the front page."""
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


def open_document(page: Any, doc_id: str) -> Any:
    """Go to the Annotate page through the navigation and pick ``doc_id`` there; returns ``page``."""
    page.locator('a[href$="/annotate"]').first.click()
    try:
        page.wait_for_selector(".annot-doc:not(:empty)", timeout=LOAD_MS)
    except PlaywrightTimeout:
        ARTIFACTS.mkdir(exist_ok=True)  # what the page showed instead, for whoever reads the failure
        page.screenshot(path=str(ARTIFACTS / "open-document-timeout.png"))
        raise
    if page.evaluate("document.querySelector('.annot-labeler').dataset.docId") != doc_id:
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Document").first.click()
        page.get_by_role("option", name=re.compile(re.escape(doc_id))).first.click()
    page.wait_for_function(
        f"(() => {{ const l = document.querySelector('.annot-labeler');"
        f" return l && l.dataset.docId === '{doc_id}' && l.dataset.renders; }})()", timeout=LOAD_MS)
    return page
