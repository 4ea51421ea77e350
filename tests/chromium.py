"""Debian's Chromium for the browser tests: where it is, the flags every launch uses, and skip-or-fail.

Playwright never downloads a browser here: every test launches ``/usr/bin/chromium`` with these flags (no
sandbox as root, no GPU, and no background or update traffic, which this machine's closed network refuses).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
)


def require_chromium() -> None:
    """Skip when Debian's chromium is missing; under ``CI=true`` that is a failure instead."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing and CI=true (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} (Debian chromium) is not installed")


def launch(playwright: Any) -> Any:
    """A headless Chromium browser from a ``sync_playwright()`` context."""
    require_chromium()
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
