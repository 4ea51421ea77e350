"""Suggestions in real headless Chromium against ``annotate serve``: the labeler shows the string matcher's and the
model's entity and trigger suggestions next to the date engine's; an annotator accepts one with ``a``, rejects
one with ``r``, accepts every one above the confidence threshold with one click, and saves. Judged by what the
store holds. Screenshots (light and dark, 1280x720) go to test-artifacts/suggest-e2e-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import suggest_corpus as corpus
from served_app import open_document, open_page, serve, sign_in, wait_until

from annotate.annotation.editing import REJECTED_KEY
from annotate.annotation.prelabel import prelabel
from annotate.annotation.workspace import open_workspace
from annotate.models import AnnotationSet
from annotate.project import Project, init_project
from annotate.store import Store
from annotate.suggest.registry import META_MODEL, train_model
from annotate.suggest.run import suggest_project
from annotate.suggest.sets import parse_suggestion_id
from annotate.taxonomy import default_taxonomy

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse 1"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Project]]:
    """30 gold documents of the suggestion corpus and 4 fresh ones, the model trained, everything suggested."""
    project = init_project(tmp_path_factory.mktemp("suggest-e2e") / "project")
    store = project.store()
    corpus.fill(store, gold=30, fresh=4)
    list(prelabel(store, actor="test"))
    train_model(project.path, store, actor="cora")
    list(suggest_project(project.path, store, actor="cora"))
    store.users.add("sara", "annotator", PASSWORD, actor="test")
    store.users.add("cora", "curator", PASSWORD, actor="test")
    project.close()
    with serve(project.path) as url:
        yield url, project


def _draft(store: Store, doc_id: str) -> AnnotationSet | None:
    d = store.drafts.find(doc_id, "sara")
    return d.aset if d is not None else None


def test_accept_reject_and_accept_above_reach_the_store(browser: Any, served: tuple[str, Project]) -> None:
    url, project = served
    store = project.store()
    doc_id = corpus.load()[31]["id"]
    before = open_workspace(store, default_taxonomy(), doc_id, store.users.get("sara"))
    ours = [sid for sid in before.pending() if parse_suggestion_id(sid) is not None]
    assert len(ours) >= 6
    page = open_document(sign_in(browser, url, "sara", PASSWORD, width=1280, height=720), url, doc_id)
    page.wait_for_selector('.annot-suggestion[data-marks*="s-e-"]', timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "suggest-e2e-open.png"))

    first, second = sorted(ours, key=lambda s: before.confidence(s))[:2]  # the two least sure
    page.locator(f'.annot-mark[data-marks~="{first}"]').first.click()
    page.keyboard.press("a")
    wait_until(lambda: any(m.id == first for m in ((_draft(store, doc_id) or before.aset).entities
                                              + [ev for ev in (_draft(store, doc_id) or before.aset).events])),
            f"{first} accepted into the draft", timeout=60)
    page.locator(f'.annot-mark[data-marks~="{second}"]').first.click()
    page.keyboard.press("r")
    wait_until(lambda: second in ((_draft(store, doc_id) or before.aset).metadata.get(REJECTED_KEY) or []),
            f"{second} rejected in the draft", timeout=60)

    expander = page.get_by_text("Pre-annotations (", exact=False).first
    if page.get_by_role("button", name="Accept all").count() == 0:
        expander.click()
    above = page.get_by_role("button", name=re.compile(r"^Accept \d+$")).first
    above.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "suggest-e2e-panel.png"))
    above.click()
    threshold = 0.8  # the slider's default
    expected = ({sid for sid in before.pending() if before.confidence(sid) >= threshold} | {first}) - {second}
    got = wait_until(lambda: (d := _draft(store, doc_id)) is not None and
                  {x.id for layer in (d.entities, d.events, d.dates, d.links) for x in layer} == expected and d,
                  "the confident suggestions in the draft", timeout=60)
    assert got
    page.get_by_role("button", name="Save", exact=True).click()
    saved = wait_until(lambda: next(iter(store.sets.list(doc_id, "sara")), None), "the saved set", timeout=60)
    ids = {x.id for layer in (saved.entities, saved.events, saved.dates, saved.links) for x in layer}
    assert ids == expected and saved.metadata[REJECTED_KEY] == [second]
    text = store.documents.get(doc_id).text
    for _, span in saved.spans():
        assert text[span.start:span.end] == span.text
    assert any(i.startswith("sm-") for i in ids) and any(parse_suggestion_id(i) and
                                                          parse_suggestion_id(i).layer == "event" for i in ids)  # type: ignore[union-attr]
    page.screenshot(path=str(ARTIFACTS / "suggest-e2e-saved.png"))
    dark = open_document(sign_in(browser, url, "sara", PASSWORD, width=1280, height=720, dark=True), url, doc_id)
    dark.wait_for_selector(".annot-suggestion", timeout=30_000)
    dark.screenshot(path=str(ARTIFACTS / "suggest-e2e-dark.png"))


@pytest.mark.parametrize("dark", [False, True])
def test_curator_retrains_in_the_app(browser: Any, served: tuple[str, Project], dark: bool) -> None:
    url, project = served
    store = project.store()
    before = store.meta.find(META_MODEL)
    page = sign_in(browser, url, "cora", PASSWORD, width=1280, height=720, dark=dark)
    open_page(page, url, "suggestions", "[...document.querySelectorAll('button')].some((b) => "
                                        "b.innerText.includes('Train the model'))")
    page.get_by_role("button", name="Train the model").click()
    page.get_by_text("it is now in use", exact=False).wait_for(timeout=120_000)
    after = store.meta.find(META_MODEL)
    assert after is not None and after != before and after.startswith("m")
    assert page.get_by_text(after).first.is_visible()
    page.screenshot(path=str(ARTIFACTS / f"suggest-e2e-curator-{'dark' if dark else 'light'}.png"))
