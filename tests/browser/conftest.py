"""What the browser tests share: one headless Debian Chromium per test module (``chromium.launch``), a running
``annotate serve`` and a signed-in page."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from chromium import launch, require_chromium
from shared_data import SEEDS, require

from annotate.corpus.importer import import_paths
from annotate.project import Project, init_project


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Chromium (``-m "not browser"`` runs the rest)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium with the required flags (skipped without it; a failure under CI=true)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def sign_in(browser: Any, url: str, user: str, password: str, *, width: int = 1440, height: int = 900,
            dark: bool = False) -> Any:
    """A new page signed in as ``user`` on the app at ``url`` (the queue is the landing page)."""
    page = browser.new_page(viewport={"width": width, "height": height},
                            color_scheme="dark" if dark else "light")
    page.goto(url)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('[data-testid="stDataFrame"], [data-testid="stAlert"]', timeout=30_000)
    return page


T = TypeVar("T")


def wait_until(fn: Callable[[], T | None], what: str, timeout: float = 20) -> T:
    """Poll ``fn`` (usually a look into the store) until it returns something true; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        got = fn()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def open_in_picker(page: Any, doc_id: str) -> None:
    """Go to the annotation page (through the navigation) and choose ``doc_id`` in its document picker."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if not page.locator(".annot-labeler").count():
        page.locator('a[href$="/annotate"]').first.click()
        page.wait_for_selector(".annot-doc:not(:empty)", timeout=30_000)
    if page.evaluate("document.querySelector('.annot-labeler').dataset.docId") != doc_id:
        for _ in range(5):  # the list does not open while Streamlit is still redrawing the page
            page.locator('[data-testid="stSelectbox"]').filter(has_text="Document").first.click()
            try:
                page.get_by_role("option", name=re.compile(re.escape(doc_id))).first.click(timeout=3_000)
                break
            except PlaywrightTimeout:  # the list closed under a redraw: close it and open it again
                page.keyboard.press("Escape")
    page.wait_for_function(f"document.querySelector('.annot-labeler')?.dataset.docId === '{doc_id}'",
                           timeout=30_000)


def seeded_project(directory: Path) -> Project:
    """A new project in ``directory`` with the seed corpus imported (skipped without Chromium or the seeds; a
    failure under ``CI=true``)."""
    require_chromium()
    manifest = require(SEEDS / "manifest.jsonl", "the seed corpus")
    project = init_project(directory / "project")
    import_paths(project.store(), [manifest], actor="test")
    return project
