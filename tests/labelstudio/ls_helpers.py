"""What the Label Studio tests share: the live server's coordinates, small lookups, and driving its web UI."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from annotate.labelstudio import config as c
from annotate.labelstudio.client import Connection, LabelStudioClient, connect
from annotate.labelstudio.sync import PROJECT_KEY, SYSTEM
from annotate.store import Store

ANNOTATORS = {"ali@example.org": "ali", "zahra@example.org": "zahra"}


@dataclass(frozen=True)
class LiveServer:
    """Where the session's server listens, its admin key and the two annotators' Label Studio user ids."""

    url: str
    api_key: str
    users: dict[str, int]
    admin: tuple[str, str] | None = None
    """The admin's e-mail and password, for signing in with a browser (None when unknown)."""

    def client(self) -> LabelStudioClient:
        return connect(Connection(self.url, self.api_key))


def linked_project_id(store: Store) -> int:
    """The Label Studio project id a store is linked to."""
    link = store.external_ids.find(SYSTEM, "project", PROJECT_KEY)
    assert link is not None
    return int(link.external_id)


def task_id(store: Store, doc_id: str) -> int:
    """The Label Studio task a document was pushed as."""
    link = store.external_ids.find(SYSTEM, "task", doc_id)
    assert link is not None
    return int(link.external_id)


def ui_region(rid: str, text: str, s: str, label: str) -> dict[str, Any]:
    """A region over ``s`` in ``text`` exactly as Label Studio's editor saves one drawn with a label and nothing
    else (ids like ``-9fKd02nZa``, ``origin: manual``, no per-region values)."""
    i = text.index(s)
    return {"id": rid, "from_name": c.LABELS, "to_name": c.TEXT, "type": "labels", "origin": "manual",
            "value": {"start": i, "end": i + len(s), "text": s, "labels": [label]}}


# --------------------------------------------------------------------------------------------------- web UI

FIND_WORD = """([word, nth]) => {
  let seen = 0;
  for (const root of document.querySelectorAll('.lsf-htx-richtext')) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      let i = node.nodeValue.indexOf(word);
      while (i >= 0) {
        if (seen++ === nth) {
          node.parentElement.scrollIntoView({block: 'center'});
          const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + word.length);
          const b = r.getBoundingClientRect();
          return [b.left, b.right, (b.top + b.bottom) / 2];
        }
        i = node.nodeValue.indexOf(word, i + 1);
      }
    }
  }
  return null;
}"""
"""Where ``word`` (its ``nth`` occurrence) is in the editor's text, scrolled into view: [left, right, middle]."""


def sign_in(page: Any, server: LiveServer) -> None:
    """Sign the page in as the server's admin (the only user with a known password)."""
    assert server.admin is not None
    email, password = server.admin
    page.goto(f"{server.url}/user/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def open_task(page: Any, server: LiveServer, project_id: int, task: int) -> None:
    """Open a task in the labeling editor and wait until its text can be selected."""
    page.goto(f"{server.url}/projects/{project_id}/data?task={task}")
    page.wait_for_selector(".lsf-htx-richtext .lsf-richtext__line", timeout=60_000)
    time.sleep(1.0)  # the editor attaches its selection handlers after the first paint


def word_box(page: Any, word: str, nth: int = 0) -> tuple[float, float, float]:
    box = page.evaluate(FIND_WORD, [word, nth])
    assert box is not None, f"{word!r} is not in the editor"
    time.sleep(0.2)  # scrolled: measure again where it landed
    box = page.evaluate(FIND_WORD, [word, nth])
    return float(box[0]), float(box[1]), float(box[2])


def select_word(page: Any, word: str, nth: int = 0) -> None:
    """Select ``word`` with the mouse as a reader of right-to-left text does: from its right end to its left."""
    left, right, y = word_box(page, word, nth)
    page.mouse.move(right - 1, y)
    page.mouse.down()
    page.mouse.move((left + right) / 2, y, steps=4)
    page.mouse.move(left + 1, y, steps=4)
    page.mouse.up()
    time.sleep(0.3)


def click_word(page: Any, word: str, nth: int = 0) -> None:
    """Click in the middle of ``word`` (selects the region there)."""
    left, right, y = word_box(page, word, nth)
    page.mouse.click((left + right) / 2, y)
    time.sleep(0.3)


def submit(page: Any) -> None:
    page.get_by_role("button", name="Submit").click()
    time.sleep(1.0)


def modal_text(page: Any) -> str:
    """The text of the warning Label Studio shows (empty when none), after closing it."""
    texts: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('.ant-modal-confirm')].map(e => e.innerText)")
    if texts:
        page.get_by_role("button", name="OK").click()
        time.sleep(0.3)
    return "\n".join(texts)


def wait_for_annotations(client: LabelStudioClient, task: int, count: int = 1, timeout: float = 20.0) -> list[Any]:
    """The task's annotations once there are ``count`` of them (the editor saves asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        annotations = list(client.sdk.tasks.get(id=task).annotations or [])
        if len(annotations) >= count or time.monotonic() > deadline:
            return annotations
        time.sleep(0.5)
