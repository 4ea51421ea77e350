"""What the browser tests share: one headless Debian Chromium per test module (``chromium.launch``), a running
``annotate serve`` and a signed-in page."""

from __future__ import annotations

import os
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

import pytest
from chromium import launch

from annotate.serve import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium with the required flags (skipped without it; a failure under CI=true)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@contextmanager
def annotate_server(project_dir: Path) -> Iterator[str]:
    """``annotate serve`` on ``project_dir`` (a free port, no browser of its own); yields its URL and stops the
    server's process group afterwards."""
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
