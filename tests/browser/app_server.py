"""``annotate serve`` for browser tests: run it on a project, sign in, open a document on the Annotate page.

The server runs in its own process group (annotate and the streamlit it starts), stopped when the ``with`` block
ends; extra environment variables configure it (``STREAMLIT_THEME_BASE=dark`` for Streamlit's dark theme).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from chromium import CHROMIUM

from annotate.serve import free_port

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(os.environ.get("ANNOTATE_SEEDS", "/work/shared/seeds"))
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "correct horse 1"
"""The password of the test projects' annotator ``sara``."""


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


@contextmanager
def serve(project_dir: Path, **env: str) -> Iterator[str]:
    """``annotate --project DIR serve`` on a free port until the block ends; yields the app's URL."""
    port = free_port()
    exe = Path(sys.executable).parent / "annotate"
    proc = subprocess.Popen(
        [str(exe if exe.exists() else shutil.which("annotate")), "--project", str(project_dir), "serve",
         "--port", str(port), "--no-browser"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", **env},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    raise RuntimeError("annotate serve did not start:\n" + out) from None
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the group of the server we started: annotate + its streamlit
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def sign_in(browser: Any, url: str, user: str, password: str, *, width: int = 1500, height: int = 1000,
            color_scheme: str = "light", scale: float = 1) -> Any:
    """A new page of ``browser`` (viewport, OS colour scheme and pixel density as given), signed in."""
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=color_scheme,
                            device_scale_factor=scale)
    page.goto(url)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.locator('a[href$="/annotate"]').first.wait_for(timeout=30_000)  # signed in: the navigation is there
    return page


def open_document(page: Any, doc_id: str) -> Any:
    """Go to the Annotate page through the navigation and pick ``doc_id`` there; returns ``page``."""
    page.locator('a[href$="/annotate"]').first.click()
    page.wait_for_selector(".annot-doc:not(:empty)", timeout=30_000)
    if page.evaluate("document.querySelector('.annot-labeler').dataset.docId") != doc_id:
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Document").first.click()
        page.get_by_role("option", name=re.compile(re.escape(doc_id))).first.click()
    page.wait_for_function(
        f"(() => {{ const l = document.querySelector('.annot-labeler');"
        f" return l && l.dataset.docId === '{doc_id}' && l.dataset.renders; }})()", timeout=30_000)
    return page
