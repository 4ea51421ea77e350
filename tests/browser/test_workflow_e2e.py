"""The annotator's workflow in real headless Chromium against ``annotate serve``, judged in the store.

Undo after a delete brings the mark back into the next saved revision (earlier revisions stay as they were); a
submit with pending suggestions lists them and needs a confirmation, then the next document of the queue opens;
a submitted set is read-only until it is reopened; clicking a queue row opens its document.  Screenshots go to
test-artifacts/ (workflow-*.png).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import open_in_picker, seeded_project, sign_in, wait_until
from labeler_page import SELECT_JS, u16
from serving import serving

from annotate.annotation.prelabel import prelabel
from annotate.models import AnnotationSet, AnnotationStatus, Document, EntityMention
from annotate.project import Project
from annotate.store import Store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "correct horse 1"
ZWNJ = "\u200c"
DOCS = {
    "doc-wf-1": ("fa", f"سخنگوی ائتلاف گفت نیروها به{ZWNJ}زودی از بغداد و عراق خارج می{ZWNJ}شوند."),
    "doc-wf-2": ("ar", "قال المتحدث إن الاجتماع عقد في بغداد يوم 3 يناير 2020 وإن القوات باقية."),
    "doc-wf-3": ("prs", "وزارت عدلیه گفت نشست بعدی در کابل برگزار می‌شود."),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Project]]:
    """``annotate serve`` on the seeds plus three short documents, pre-labelled, with an annotator and a curator."""
    project = seeded_project(tmp_path_factory.mktemp("workflow"))
    store = project.store()
    store.documents.put([Document.create(t, lang=lang, id=i, reference_date="2020-02-02")
                         for i, (lang, t) in DOCS.items()], actor="test")
    list(prelabel(store, actor="test"))
    store.users.add("sara", "annotator", PASSWORD, actor="test")
    store.users.add("cora", "curator", PASSWORD, actor="test")
    project.close()
    with serving(["--project", str(project.path)], tmp_path_factory.mktemp("workflow-log") / "serve.log") as (_, url):
        yield url, project


def _head(store: Store, doc_id: str) -> AnnotationSet | None:
    sets = store.sets.list(doc_id, "sara")
    return sets[0] if sets else None


def _label(page: Any, text: str, piece: str, key: str) -> None:
    s = text.index(piece)
    assert page.evaluate(SELECT_JS, [u16(text, s), u16(text, s + len(piece))]) == piece
    page.keyboard.press(key)


def _label_entity(page: Any, store: Store, doc_id: str, piece: str, key: str) -> EntityMention:
    """Select ``piece`` of ``doc_id``, press ``key``; the entity once it is in the stored draft."""
    _label(page, DOCS[doc_id][1], piece, key)

    def stored() -> EntityMention | None:
        draft = store.drafts.find(doc_id, "sara")
        return next((m for m in draft.aset.entities if m.text == piece), None) if draft else None

    return wait_until(stored, f"{piece} in the draft")


def test_undo_after_delete_restores_the_mark_in_the_next_saved_revision(
    browser: Any, served: tuple[str, Project]
) -> None:
    url, project = served
    store = project.store()
    page = sign_in(browser, url, "sara", PASSWORD)
    open_in_picker(page, "doc-wf-1")
    mark = _label_entity(page, store, "doc-wf-1", "بغداد", "g")
    page.get_by_role("button", name="Save", exact=True).click()
    wait_until(lambda: (h := _head(store, "doc-wf-1")) and h.revision == 1, "revision 1")
    page.locator(f'.annot-mark[data-marks~="{mark.id}"]').first.click()
    page.keyboard.press("Delete")
    wait_until(lambda: (d := store.drafts.find("doc-wf-1", "sara")) and not d.aset.entities,
               "the deletion in the draft")
    page.get_by_role("button", name="Save", exact=True).click()
    wait_until(lambda: (h := _head(store, "doc-wf-1")) and h.revision == 2, "revision 2")
    undo = page.get_by_role("button", name=re.compile("^Undo: delete GPE"))
    undo.wait_for(timeout=15_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workflow-undo.png"))
    undo.click()
    wait_until(lambda: (d := store.drafts.find("doc-wf-1", "sara")) and d.aset.entities, "the mark back in the draft")
    page.wait_for_selector(f'.annot-mark[data-marks~="{mark.id}"]', timeout=15_000)
    page.get_by_role("button", name="Save", exact=True).click()
    third = wait_until(lambda: (h := _head(store, "doc-wf-1")) and h.revision == 3 and h, "revision 3")
    (back,) = third.entities
    assert (back.start, back.end, back.text, back.type) == (mark.start, mark.end, "بغداد", "GPE")
    assert [r.revision for r in store.sets.list_revisions("doc-wf-1", "sara")] == [1, 2, 3]
    assert store.sets.get("doc-wf-1", "sara", 2).entities == []
    page.get_by_role("button", name=re.compile("^Redo: delete GPE")).wait_for(timeout=15_000)
    page.close()


def test_submit_lists_pending_work_needs_confirmation_then_opens_the_next_document(
    browser: Any, served: tuple[str, Project]
) -> None:
    url, project = served
    store = project.store()
    page = sign_in(browser, url, "sara", PASSWORD)
    open_in_picker(page, "doc-wf-2")
    page.get_by_role("button", name="Submit", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("neither accepted nor rejected").wait_for(timeout=15_000)
    page.screenshot(path=str(ARTIFACTS / "workflow-submit-dialog.png"))
    time.sleep(0.5)
    assert _head(store, "doc-wf-2") is None  # nothing saved, nothing submitted
    dialog.get_by_role("button", name="Keep working").click()
    dialog.wait_for(state="detached", timeout=15_000)
    assert _head(store, "doc-wf-2") is None
    page.get_by_role("button", name="Submit", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Submit anyway").click()
    submitted = wait_until(lambda: (h := _head(store, "doc-wf-2")) and h.status is AnnotationStatus.submitted and h,
                      "the submitted set")
    assert submitted.revision == 1
    page.wait_for_function("document.querySelector('.annot-labeler')?.dataset.docId === 'doc-wf-3'",
                           timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "workflow-next-document.png"))

    # Back on the submitted document: read-only until reopened.
    open_in_picker(page, "doc-wf-2")
    page.get_by_text("it is read-only").wait_for(timeout=15_000)
    text = DOCS["doc-wf-2"][1]
    _label(page, text, "بغداد", "g")
    time.sleep(1.5)
    assert store.drafts.find("doc-wf-2", "sara") is None
    assert _head(store, "doc-wf-2").revision == 1  # type: ignore[union-attr]
    page.screenshot(path=str(ARTIFACTS / "workflow-read-only.png"))
    page.get_by_role("button", name="Reopen to edit").click()
    reopened = wait_until(lambda: (h := _head(store, "doc-wf-2")) and h.revision == 2 and h, "the reopened revision")
    assert reopened.status is AnnotationStatus.in_progress and reopened.content() == submitted.content()
    page.wait_for_selector(".annot-labeler", timeout=15_000)
    _label(page, text, "بغداد", "g")
    wait_until(lambda: (d := store.drafts.find("doc-wf-2", "sara")) and d.aset.entities, "an edit after reopening")
    page.close()


def test_clicking_a_queue_row_opens_its_document(browser: Any, served: tuple[str, Project]) -> None:
    url, project = served
    store = project.store()
    page = sign_in(browser, url, "sara", PASSWORD)
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "workflow-queue.png"))
    rows = [d.id for d in store.documents.list_info()]
    target = rows.index("doc-wf-3")
    box = grid.bounding_box()
    assert box is not None
    # Glide data grid: a header row, then rows of 36 px; click in the title column of the target row.
    page.mouse.click(box["x"] + 120, box["y"] + 36 + 36 * target + 18)
    page.wait_for_function("document.querySelector('.annot-labeler')?.dataset.docId === 'doc-wf-3'",
                           timeout=30_000)
    page.close()


def test_a_note_and_a_flag_reach_the_store_and_the_curator(browser: Any, served: tuple[str, Project]) -> None:
    url, project = served
    store = project.store()
    page = sign_in(browser, url, "sara", PASSWORD)
    open_in_picker(page, "doc-wf-3")
    mark = _label_entity(page, store, "doc-wf-3", "کابل", "g")
    box = page.get_by_label("Note on this mark")
    box.wait_for(timeout=15_000)
    box.fill("پایتخت، نه ولایت")
    page.get_by_role("button", name="Add note").first.click()
    note = wait_until(lambda: next(iter(store.comments.list("doc-wf-3", "sara")), None), "the note in the store")
    assert (note.target, note.target_text, note.text) == (mark.id, "کابل", "پایتخت، نه ولایت")
    page.get_by_text("Notes and flags").first.click()
    page.get_by_label("Flag for a curator").fill("آیا این خبر تکراری است؟")
    page.get_by_role("button", name="Flag", exact=True).click()
    flagged = wait_until(lambda: store.comments.list("doc-wf-3", "sara", kinds=["flag"]), "the flag in the store")
    assert flagged[0].text == "آیا این خبر تکراری است؟" and flagged[0].status.value == "open"
    page.screenshot(path=str(ARTIFACTS / "workflow-comments.png"))
    page.close()

    curator = sign_in(browser, url, "cora", PASSWORD)
    curator.get_by_text("آیا این خبر تکراری است؟").wait_for(timeout=15_000)
    curator.screenshot(path=str(ARTIFACTS / "workflow-flagged.png"))
    curator.get_by_role("button", name="Open").first.click()
    curator.wait_for_function("document.querySelector('.annot-labeler')?.dataset.docId === 'doc-wf-3'",
                              timeout=30_000)
    from playwright.sync_api import expect

    author_box = curator.locator('[data-testid="stSelectbox"]').filter(has_text="Annotation set").get_by_role(
        "combobox")
    expect(author_box).to_have_value("sara (read-only)", timeout=15_000)
    curator.get_by_text("پایتخت، نه ولایت").first.wait_for(timeout=15_000)
    curator.close()
