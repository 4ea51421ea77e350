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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotate.serve import free_port

ROOT = Path(__file__).resolve().parents[2]


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
