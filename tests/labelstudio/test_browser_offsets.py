"""What Label Studio's own editor stores for a span after astral characters: code points, not UTF-16 units.

A person selects a Persian word after two emoji and a mathematical letter in the real editor (Debian chromium
driven by playwright); the saved ``value.start/end`` must index our frozen text in code points, and the pull
must read the annotation into our model unchanged.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from chromium import CHROMIUM, launch
from ls_helpers import LiveServer

from annotate.labelstudio import config as c
from annotate.labelstudio.sync import pull_project, push_project
from annotate.models import Document
from annotate.project import Project

TEXT = "😀😀 a𝒳b گفت\u200cوگو در دوحه end"
WORD = "دوحه"

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        ok = False
    else:
        ok = Path(CHROMIUM).exists()
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} or playwright is missing, and CI=true")
        pytest.skip(f"{CHROMIUM} or playwright is missing")


_FIND_WORD = """(word) => {
  for (const root of document.querySelectorAll('.lsf-richtext, .htx-text')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const i = node.nodeValue.indexOf(word);
      if (i >= 0) {
        const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + word.length);
        const b = r.getBoundingClientRect();
        return [b.left, b.right, (b.top + b.bottom) / 2];
      }
    }
  }
  return null;
}"""


def test_editor_selection_after_emoji_is_stored_in_code_points(ls_env: LiveServer, project: Project) -> None:
    _need_browser()
    if ls_env.admin is None:
        pytest.skip("the admin password of the server is unknown (set ANNOTATE_LS_TEST_PASSWORD)")
    from playwright.sync_api import sync_playwright

    store = project.store()
    store.documents.put([Document.create(TEXT, lang="fa", id="doc-emoji")], actor="test")
    push_project(project, actor="test", title="browser offsets")
    link = store.external_ids.find("labelstudio", "task", "doc-emoji")
    plink = store.external_ids.find("labelstudio", "project", "project")
    assert link is not None and plink is not None
    email, password = ls_env.admin
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.goto(f"{ls_env.url}/user/login/")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{ls_env.url}/projects/{plink.external_id}/data?task={link.external_id}")
            page.wait_for_selector(".lsf-richtext", timeout=60_000)
            time.sleep(1.0)  # the editor attaches its selection handlers after the first paint
            page.keyboard.press("g")  # the GPE hotkey from the taxonomy
            box = page.evaluate(_FIND_WORD, WORD)
            assert box is not None, "the word is not in the editor"
            left, right, y = box
            page.mouse.move(right - 1, y)
            page.mouse.down()
            page.mouse.move((left + right) / 2, y, steps=4)
            page.mouse.move(left + 1, y, steps=4)
            page.mouse.up()
            page.get_by_role("button", name="Submit").click()
            deadline = time.monotonic() + 20
            annotations: list[dict[str, object]] = []
            while time.monotonic() < deadline and not annotations:
                task = ls_env.client().sdk.tasks.get(id=int(link.external_id))
                annotations = list(task.annotations or [])
                time.sleep(0.5)
        finally:
            browser.close()
    (ann,) = annotations
    (region,) = [r for r in ann["result"] if r["type"] == "labels"]  # type: ignore[index,attr-defined]
    value = region["value"]
    start = TEXT.index(WORD)
    assert (value["start"], value["end"], value["text"]) == (start, start + len(WORD), WORD)
    assert value["labels"] == ["GPE"] and region["from_name"] == c.ENTITY
    r = pull_project(project, actor="test")
    assert r.errors == []
    (entity,) = store.sets.get("doc-emoji", "admin").entities
    assert (entity.start, entity.end, entity.text, entity.type) == (start, start + len(WORD), WORD, "GPE")
