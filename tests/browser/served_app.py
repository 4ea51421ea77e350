"""``annotate serve`` for browser tests and the effort benchmark: start it, sign in, open a document.

Importable outside pytest (``benchmarks/suggest_effort.py`` uses it), so it holds no fixtures.
"""

from __future__ import annotations

import os
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

from annotate.serve import free_port

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")


@contextmanager
def serve(project_dir: Path) -> Iterator[str]:
    """``annotate serve`` on ``project_dir`` on a free port; yields its URL, stops the server's process group."""
    port = free_port()
    exe = Path(sys.executable).parent / "annotate"
    proc = subprocess.Popen(
        [str(exe if exe.exists() else shutil.which("annotate")), "--project", str(project_dir), "serve",
         "--port", str(port), "--no-browser"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
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
        os.killpg(proc.pid, signal.SIGTERM)  # the group of the server started here: annotate + its streamlit
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def sign_in(browser: Any, url: str, user: str, password: str, *, width: int = 1280, height: int = 720,
            dark: bool = False) -> Any:
    """A new page (light or dark colour scheme) signed in as ``user``."""
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="dark" if dark else "light")
    page.goto(url)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    return page


def open_page(page: Any, url: str, path: str, ready: str) -> Any:
    """Open ``path`` (e.g. ``annotate?doc=ID``) of the app at ``url`` once the sign-in went through, and wait for
    the JavaScript condition ``ready``; returns ``page``. The session survives the navigation (its cookie)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.get_by_text("Signed in as").first.wait_for(timeout=90_000)
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
