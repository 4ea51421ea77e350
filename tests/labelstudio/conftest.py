"""A real Label Studio server for the ``labelstudio`` tests, started once per session.

It runs from ``.ls-venv`` (``annotate ls start --install-only`` creates it) on 127.0.0.1, on a port checked to be
free, with a fresh temporary data dir and a preset admin token (legacy tokens enabled), through the same
:func:`annotate.labelstudio.server.start_server` that ``annotate ls start`` uses.  Two annotators with e-mails are
created.  Without ``.ls-venv`` the tests are skipped, except under ``CI=true``, where that is a failure.

``ANNOTATE_LS_TEST_URL`` + ``ANNOTATE_LS_TEST_KEY`` point the tests at an already running server instead (a
faster edit-test loop; every test still works in a project of its own).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import launch
from ls_helpers import ANNOTATORS, LiveServer, sign_in

from annotate.labelstudio import server
from annotate.labelstudio.client import Connection, connect


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the server (``-m "not labelstudio"`` runs the rest)."""
    for item in items:
        if "ls_live" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.labelstudio)


@pytest.fixture(scope="session")
def ls_live() -> Iterator[LiveServer]:
    """The session's Label Studio (started here, or the one named by ANNOTATE_LS_TEST_URL/_KEY)."""
    url, key = os.environ.get("ANNOTATE_LS_TEST_URL"), os.environ.get("ANNOTATE_LS_TEST_KEY")
    srv = None
    data_dir = None
    if not (url and key):
        venv = server.default_venv()
        if not server.is_installed(venv):
            msg = f"Label Studio is not installed in {venv}; run `annotate ls start --install-only`"
            if os.environ.get("CI") == "true":
                pytest.fail(msg)
            pytest.skip(msg)
        data_dir = Path(tempfile.mkdtemp(prefix="annotate-ls-test-"))
        srv = server.start_server(venv, data_dir=data_dir)
        url, key = srv.url, srv.api_key
        admin = (srv.username, srv.password) if srv.password else None
    else:
        pw = os.environ.get("ANNOTATE_LS_TEST_PASSWORD")
        admin = (os.environ.get("ANNOTATE_LS_TEST_USER", server.DEFAULT_USER), pw) if pw else None
    client = connect(Connection(url, key))
    existing = {email: uid for uid, email in client.list_users().items()}
    users = {}
    for email, name in ANNOTATORS.items():
        users[email] = existing.get(email) or client.create_user(email, name)
    try:
        yield LiveServer(url, key, users, admin)
    finally:
        if srv is not None:
            srv.stop()
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def ls_env(ls_live: LiveServer, monkeypatch: pytest.MonkeyPatch) -> LiveServer:
    """The server, with LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY exported for the test."""
    monkeypatch.setenv("LABEL_STUDIO_URL", ls_live.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_live.api_key)
    return ls_live


@pytest.fixture(scope="module")
def ls_signed_in(ls_live: LiveServer) -> Iterator[Any]:
    """A Chromium context at 1280x720 signed in to the session's Label Studio as its admin (one per module)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("playwright is missing, and CI=true")
        pytest.skip("playwright is missing")
    if ls_live.admin is None:
        pytest.skip("the admin password of the server is unknown (set ANNOTATE_LS_TEST_PASSWORD)")
    with sync_playwright() as p:
        browser = launch(p)  # skips without Debian's chromium (a failure under CI=true)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            page = context.new_page()
            sign_in(page, ls_live)
            page.close()
            yield context
        finally:
            browser.close()


@pytest.fixture
def ls_page(ls_signed_in: Any, ls_env: LiveServer) -> Iterator[Any]:
    """A fresh page of the signed-in context (LABEL_STUDIO_URL / _API_KEY exported for push and pull)."""
    page = ls_signed_in.new_page()
    yield page
    page.close()
