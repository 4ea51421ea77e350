"""The browser tests' fixture: one headless Debian Chromium per test module (``chromium.launch``).  What the tests
do with it (serve the app, sign in, open a document, wait for the store) is in ``served_app.py``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chromium import launch


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
