"""Security probes in real headless Chromium against ``annotate serve`` (issue 11), judged by what reaches the store.

The attack chain of the issue through the browser; a second, already open browser that cannot save a single
revision after a sign-out (or a new password, or a disabled account); the session cookie that page scripts cannot
read; sign-in throttling as a person meets it. Screenshots go to test-artifacts/ (security-*.png).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import require_chromium
from labeler_page import SELECT_JS, u16
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from serving import ANNOTATE, serving

from annotate.auth import SESSION_COOKIE, sign_in
from annotate.errors import AuthError
from annotate.models import Document
from annotate.project import Project, init_project
from annotate.store import Store

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "a long password"
SECRET = "c0ffee" * 10 + "abcd"
FA = "خبرگزاری ایسنا گزارش داد که نشست شورای شهر تهران روز ۱۲ اسفند ۱۴۰۲ برگزار شد."
AR = "ذكرت وكالة الأنباء أن الاجتماع عُقد يوم ٣ آذار/مارس ٢٠٢٤ في العاصمة."


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Project]]:
    """``annotate serve`` on a project that assigns: sara has doc-sara, omid has doc-omid; an admin."""
    require_chromium()
    project = init_project(tmp_path_factory.mktemp("security") / "project")
    (project.path / ".annotate-session-key").write_text(SECRET + "\n", encoding="ascii")  # an older project's key
    store = project.store()
    for name, role in (("admin", "admin"), ("sara", "annotator"), ("omid", "annotator"), ("nima", "annotator")):
        store.users.add(name, role, PASSWORD, actor="setup")
    store.documents.put([Document.create(FA, lang="fa", id="doc-sara"), Document.create(AR, lang="ar", id="doc-omid"),
                         Document.create(FA + " ۲", lang="fa", id="doc-nima")], actor="setup")
    for doc, who in (("doc-sara", "sara"), ("doc-omid", "omid"), ("doc-nima", "nima")):
        store.assignments.add([doc], [who], actor="setup")
    project.close()
    with serving(["--project", str(project.path)], tmp_path_factory.mktemp("log") / "serve.log") as (_, url):
        yield url, project


def _sign_in(browser: Any, url: str, name: str, path: str = "") -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(url + path)
    page.get_by_label("User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    deadline = time.monotonic() + 30  # the page goes through /auth/session once, which sets the cookie
    while not any(c["name"] == SESSION_COOKIE for c in context.cookies()):
        assert time.monotonic() < deadline, "no session cookie after signing in"
        page.wait_for_timeout(100)
    page.wait_for_url(lambda u: "/auth/" not in u, timeout=30_000)
    page.get_by_text(f"Signed in as {name} ·").wait_for(timeout=30_000)
    return context, page


def _open_labeler(page: Any, url: str, doc_id: str) -> None:
    page.goto(f"{url}annotate?doc={doc_id}")
    page.wait_for_function(f"document.querySelector('.annot-labeler')?.dataset.docId === '{doc_id}'",
                           timeout=30_000)


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"security-{name}.png"), full_page=True)


def test_the_attack_chain_fails_in_the_browser(browser: Any, served: tuple[str, Project], tmp_path: Path) -> None:
    url, project = served
    store = project.store()
    inbox = project.path / "inbox" / "batch"
    inbox.mkdir(parents=True, exist_ok=True)
    (inbox / "manifest.jsonl").write_text(json.dumps({"file": "../../.annotate-session-key", "id": "leak"}) + "\n",
                                          encoding="utf-8")
    done = subprocess.run([str(ANNOTATE), "--project", str(project.path), "import", str(inbox / "manifest.jsonl")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "goes up with '..'" in done.stderr
    assert "leak" not in {d.id for d in store.documents.list()}

    context, page = _sign_in(browser, url, "sara")
    page.goto(f"{url}annotate?doc=doc-omid")  # someone else's document, by URL
    page.get_by_text("is not in your queue").first.wait_for(timeout=30_000)
    assert AR not in page.inner_text("body")
    assert page.locator(".annot-labeler").count() == 0
    _shot(page, "not-your-document")
    assert store.sets.list(author="sara") == [] and store.drafts.find("doc-omid", "sara") is None
    context.close()

    # The key of an older project signs nothing: a cookie made with it is a stranger's.
    issued = int(time.time() * 1000)
    payload = f"{base64.urlsafe_b64encode(b'admin').decode().rstrip('=')}.{issued}.{issued + 3_600_000}"
    forged = f"{payload}.{hmac.new(bytes.fromhex(SECRET), payload.encode(), hashlib.sha256).hexdigest()}"
    intruder = browser.new_context()
    host = url.split("//")[1].split(":")[0]
    intruder.add_cookies([{"name": SESSION_COOKIE, "value": forged, "domain": host, "path": "/"}])
    page = intruder.new_page()
    page.goto(url + "account")
    page.get_by_label("User name").wait_for(timeout=30_000)
    assert "Signed in as" not in page.inner_text("body")
    intruder.close()


def test_the_session_cookie_is_httponly_and_strict(browser: Any, served: tuple[str, Project]) -> None:
    url, _ = served
    context, page = _sign_in(browser, url, "omid", "account")
    page.get_by_role("heading", name="Account").wait_for(timeout=30_000)  # came back to the page it asked for
    cookie = next(c for c in context.cookies() if c["name"] == SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert SESSION_COOKIE not in page.evaluate("document.cookie")  # no page script can read it
    assert "ticket=" not in page.url
    page.reload()
    page.get_by_text("Signed in as omid ·").wait_for(timeout=30_000)
    context.close()


def _mark_and_try_to_save(page: Any, text: str, piece: str) -> None:
    """Mark ``piece`` and press Save, in a page whose account's sessions have ended.

    The mark's own round trip is already an interaction: when it meets the ended session first, the sign-in form
    replaces the labeler before Save can be pressed (which one comes first depends on the machine's speed).
    """
    s = text.index(piece)
    page.evaluate(SELECT_JS, [u16(text, s), u16(text, s + len(piece))])
    page.keyboard.press("g")
    try:
        page.get_by_role("button", name="Save", exact=True).click(timeout=15_000)
    except PlaywrightTimeout:
        assert page.get_by_label("User name").is_visible(), "Save could not be pressed, and no sign-in form either"


@pytest.mark.parametrize("how", ["sign-out", "passwd", "disable"])
def test_an_open_browser_saves_nothing_once_the_account_signed_out(
    browser: Any, served: tuple[str, Project], how: str
) -> None:
    url, project = served
    store = project.store()
    who = {"sign-out": "sara", "passwd": "omid", "disable": "nima"}[how]
    doc_id = f"doc-{who}"
    text = store.documents.get(doc_id).text
    first, page_a = _sign_in(browser, url, who)
    second, page_b = _sign_in(browser, url, who)
    _open_labeler(page_b, url, doc_id)
    before = store.sets.list(doc_id, who)
    if how == "sign-out":
        page_a.get_by_role("button", name="Sign out").first.click()
        page_a.get_by_label("User name").wait_for(timeout=30_000)
    elif how == "passwd":
        done = subprocess.run([str(ANNOTATE), "--project", str(project.path), "users", "passwd", who,
                               "--password-stdin"], input="a new long password\n", capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
    else:
        done = subprocess.run([str(ANNOTATE), "--project", str(project.path), "users", "disable", who],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    _mark_and_try_to_save(page_b, text, "تهران" if "تهران" in text else "العاصمة")
    page_b.get_by_label("User name").wait_for(timeout=30_000)  # the next interaction met the sign-in form
    _shot(page_b, f"after-{how}")
    assert store.sets.list(doc_id, who) == before == []
    assert store.drafts.find(doc_id, who) is None
    page_b.reload()
    page_b.get_by_label("User name").wait_for(timeout=30_000)  # and the cookie no longer signs in either
    first.close()
    second.close()


def test_repeated_wrong_passwords_make_the_next_attempt_wait(browser: Any, served: tuple[str, Project]) -> None:
    url, project = served
    store: Store = project.store()
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.get_by_label("User name").wait_for(timeout=30_000)
    for _ in range(7):  # seven failures for this name: the next attempt must wait 32 seconds
        with pytest.raises(AuthError):
            sign_in(store, "admin", "not the password", client="10.0.0.99")
    page.get_by_label("User name").fill("admin")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)  # even the right password
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Too many failed sign-ins: wait").wait_for(timeout=30_000)
    _shot(page, "throttled")
    assert "Signed in as" not in page.inner_text("body")
    refused = store.audit.list(action="auth.refused")
    assert refused[-1].target == "user admin" and refused[-1].details["reason"] == "too early"
    context.close()
