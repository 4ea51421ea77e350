"""The annotator's workflow in real headless Chromium against ``annotate serve``, judged in the store.

Undo after a delete brings the mark back into the next saved revision (earlier revisions stay as they were); a
submit with pending suggestions lists them and needs a confirmation, then the next document of the queue opens;
a submitted set is read-only until it is reopened; clicking a queue row opens its document.  Screenshots go to
test-artifacts/ (workflow-*.png).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from labeler_page import SELECT_JS, u16
from served_app import open_in_picker, seeded_project, sign_in, wait_until
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
# Three dates the engine suggests (۱۰ بهمن ۱۳۹۸ is 30 January 2020; ۵ بهمن is not), entities and an event to mark.
NEWS = (f"روز ۱۰ بهمن ۱۳۹۸ نیروهای آمریکایی از پایگاه عین{ZWNJ}الاسد در عراق خارج شدند و وزارت دفاع در واشنگتن "
        "روز ۳۰ ژانویه ۲۰۲۰ و باز روز ۵ بهمن این خبر را تأیید کرد.")
DOCS |= {"doc-wf-4": ("fa", NEWS), "doc-wf-5": ("fa", NEWS)}
D1, D2, D3 = "۱۰ بهمن ۱۳۹۸", "۳۰ ژانویه ۲۰۲۰", "۵ بهمن"


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
    # Each next step once the page shows the last (its rerun redraws the panels: what is typed meanwhile into a
    # box it redraws is gone, as it would be for a person typing that fast).
    page.get_by_text("پایتخت، نه ولایت").first.wait_for(timeout=15_000)
    page.get_by_text("Notes and flags").first.click()
    page.get_by_label("Flag for a curator").fill("آیا این خبر تکراری است؟")
    page.get_by_role("button", name="Flag", exact=True).click()
    flagged = wait_until(lambda: store.comments.list("doc-wf-3", "sara", kinds=["flag"]), "the flag in the store")
    assert flagged[0].text == "آیا این خبر تکراری است؟" and flagged[0].status.value == "open"
    page.get_by_text("Notes and flags (1) · flagged").wait_for(timeout=15_000)
    page.get_by_text("آیا این خبر تکراری است؟").first.wait_for(timeout=15_000)
    page.get_by_label("Note on the document").fill("منبع دوم لازم است")
    page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("Note on the document")).get_by_role(
        "button", name="Add note").click()
    try:
        on_doc = wait_until(lambda: [c for c in store.comments.list("doc-wf-3", "sara", kinds=["note"])
                                     if c.target is None], "the note on the document in the store")
    except AssertionError:
        page.screenshot(path=str(ARTIFACTS / "workflow-doc-note-failed.png"), full_page=True)
        raise
    assert on_doc[0].text == "منبع دوم لازم است"
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


def _content(store: Store, doc_id: str) -> dict[str, Any] | None:
    draft = store.drafts.find(doc_id, "sara")
    return draft.aset.content() if draft else None


def _click_mark(page: Any, text: str) -> None:
    """Click the mark showing exactly ``text`` (selects it)."""
    exact = re.compile(f"^{re.escape(text)}$")
    page.locator(".annot-mark").filter(has_text=exact).first.click()
    page.locator(".annot-mark.annot-selected").filter(has_text=exact).first.wait_for(timeout=15_000)
    page.wait_for_timeout(300)  # the selection's own round trip to the server, before the next key


def _key(page: Any, key: str) -> None:
    page.locator(".annot-labeler").focus()
    page.keyboard.press(key)


def test_every_kind_of_edit_undoes_and_redoes_by_keys_and_buttons_past_fifty_steps_and_across_saves(
    browser: Any, served: tuple[str, Project]
) -> None:
    """Label, retype, delete, accept and reject a suggestion, link, date value, event role, then 40 retypes: every
    Ctrl+Z gives back exactly the draft of the step before (judged in the store), also after two saves, which stay
    as they were; Ctrl+Shift+Z, Ctrl+Y and the buttons redo and undo."""
    url, project = served
    store = project.store()
    doc = "doc-wf-4"
    page = sign_in(browser, url, "sara", PASSWORD)
    open_in_picker(page, doc)
    states: list[dict[str, Any]] = []

    def seen(fn: Callable[[], Any], what: str) -> Any:
        """``wait_until``, with a screenshot of the page when it times out."""
        try:
            return wait_until(fn, what)
        except AssertionError:
            page.screenshot(path=str(ARTIFACTS / "workflow-undo-failed.png"))
            raise

    def step(action: Callable[[], None], what: str) -> dict[str, Any]:
        before = _content(store, doc)
        action()
        states.append(seen(lambda: (c := _content(store, doc)) != before and c, what))
        page.wait_for_timeout(400)  # the page redraws after the store has the step
        return states[-1]

    def mark(piece: str, key: str) -> None:
        _label(page, NEWS, piece, key)

    def on(text: str, key: str) -> Callable[[], None]:
        return lambda: (_click_mark(page, text), page.keyboard.press(key))  # type: ignore[func-returns-value]

    def date_value() -> None:
        from playwright.sync_api import expect

        _click_mark(page, D1)
        # One date editor once the run is through (the previous mark's stays until its run replaces it).
        expect(page.get_by_label("Day")).to_have_count(1, timeout=15_000)
        page.get_by_label("Day").fill("11")
        page.get_by_role("button", name="Set value").click()

    def add_role() -> None:
        _click_mark(page, "خارج شدند")
        page.get_by_role("button", name="Add argument").click()

    def dates(c: dict[str, Any]) -> dict[str, Any]:
        return {d["text"]: d for d in c["dates"]}

    assert D1 in dates(step(on(D1, "a"), "an accepted suggestion"))
    assert D2 in dates(step(on(D2, "a"), "a second accepted suggestion"))
    assert step(on(D3, "r"), "a rejected suggestion")["metadata"]["rejected_suggestions"]
    assert [e["type"] for e in step(lambda: mark("عراق", "g"), "a label")["entities"]] == ["GPE"]
    assert [e["type"] for e in step(on("عراق", "o"), "a retype")["entities"]] == ["ORG"]
    assert step(lambda: (_click_mark(page, D1), _click_mark(page, D2), page.keyboard.press("=")),  # type: ignore[func-returns-value]
                "a link")["links"]
    assert dates(step(date_value, "a date value"))[D1]["native"]["day"] == 11
    step(lambda: mark("نیروهای آمریکایی", "o"), "a second label")
    assert step(lambda: mark("خارج شدند", "5"), "an event")["events"][0]["type"] == "WITHDRAWAL"
    assert step(add_role, "an event role")["events"][0]["arguments"]
    assert len(step(on("عراق", "Delete"), "a deletion")["entities"]) == 1
    step(lambda: mark("واشنگتن", "g"), "a third label")
    for i in range(40):
        typed = step(on("واشنگتن", "o" if i % 2 == 0 else "g"), f"retype {i}")
        assert {e["text"]: e["type"] for e in typed["entities"]}["واشنگتن"] == ("ORG" if i % 2 == 0 else "GPE")
    assert len(states) == 52

    page.get_by_role("button", name="Save", exact=True).click()
    seen(lambda: (h := _head(store, doc)) and h.revision == 1, "revision 1")
    timings = []
    for i in range(len(states) - 1, 0, -1):  # Ctrl+Z back to the state after the first step
        if i == 26:  # a second save half-way: a new revision holding the undone state
            page.get_by_role("button", name="Save", exact=True).click()
            seen(lambda: (h := _head(store, doc)) and h.revision == 2, "revision 2")
            assert store.sets.get(doc, "sara", 2).content() == states[26]
        t0 = time.monotonic()
        _key(page, "Control+z")
        seen(lambda: _content(store, doc) == states[i - 1], f"undo to step {i}")  # noqa: B023
        timings.append(time.monotonic() - t0)
    assert store.sets.get(doc, "sara", 1).content() == states[-1]  # the saved revisions were not rewritten
    assert store.sets.get(doc, "sara", 2).content() == states[26]
    _key(page, "Control+z")  # the first step too: D1 is a pending suggestion again
    seen(lambda: (c := _content(store, doc)) is not None and D1 not in dates(c), "the first step undone")
    _key(page, "Control+Shift+z")
    seen(lambda: _content(store, doc) == states[0], "redo by ctrl+shift+z")
    _key(page, "Control+y")
    seen(lambda: _content(store, doc) == states[1], "redo by ctrl+y")
    page.get_by_role("button", name=re.compile("^Redo: ")).click()
    seen(lambda: _content(store, doc) == states[2], "redo by the button")
    page.screenshot(path=str(ARTIFACTS / "workflow-undo-redo.png"))
    page.get_by_role("button", name=re.compile("^Undo: reject")).click()
    seen(lambda: _content(store, doc) == states[1], "undo by the button")
    page.get_by_role("button", name="Save", exact=True).click()
    third = seen(lambda: (h := _head(store, doc)) and h.revision == 3 and h, "revision 3")
    assert third.content() == states[1]
    assert [r.revision for r in store.sets.list_revisions(doc, "sara")] == [1, 2, 3]
    print(f"ctrl+z -> draft in the store: median {sorted(timings)[len(timings) // 2] * 1000:.0f} ms, "
          f"max {max(timings) * 1000:.0f} ms over {len(timings)} undos")
    page.close()


def test_submit_lists_each_kind_of_unfinished_work_and_a_returned_set_is_editable_again(
    browser: Any, served: tuple[str, Project]
) -> None:
    """An inconsistent link without a note, an event without its required role, a date without a value and a
    pending suggestion are all listed; Keep working submits nothing; Submit anyway submits; the set stays read-only
    until a curator returns it, and the annotator sees the curator's note."""
    url, project = served
    store = project.store()
    doc = "doc-wf-5"
    page = sign_in(browser, url, "sara", PASSWORD)
    open_in_picker(page, doc)
    for text in (D1, D3):
        _click_mark(page, text)
        page.keyboard.press("a")
        wait_until(lambda: (c := _content(store, doc)) and text in [d["text"] for d in c["dates"]],  # noqa: B023
                   f"{text} accepted")
    _click_mark(page, D1)
    _click_mark(page, D3)
    page.keyboard.press("=")
    wait_until(lambda: (c := _content(store, doc)) and c["links"], "the link")
    _label(page, NEWS, "خارج شدند", "5")
    wait_until(lambda: (c := _content(store, doc)) and c["events"], "the event")
    _label(page, NEWS, "باز", "d")  # a date mark on a word that is no date: it has no value
    wait_until(lambda: (c := _content(store, doc)) and len(c["dates"]) == 3, "the date without a value")
    page.get_by_role("button", name="Submit", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("4 things are not finished").wait_for(timeout=15_000)
    for said in ("is inconsistent", "has no actor", "has no value", "1 suggestion is neither accepted nor rejected"):
        assert dialog.get_by_text(said).count() == 1, said
    page.screenshot(path=str(ARTIFACTS / "workflow-submit-checks.png"))
    dialog.get_by_role("button", name="Keep working").click()
    dialog.wait_for(state="detached", timeout=15_000)
    assert _head(store, doc) is None
    page.get_by_role("button", name="Submit", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Submit anyway").click()
    wait_until(lambda: (h := _head(store, doc)) and h.status is AnnotationStatus.submitted, "the submitted set")

    from annotate.annotation.workspace import return_set

    return_set(store, doc, "sara", "پیوند تاریخ‌ها را بررسی کنید", actor="cora")
    open_in_picker(page, "doc-wf-1")
    open_in_picker(page, doc)
    page.get_by_text("پیوند تاریخ‌ها را بررسی کنید").first.wait_for(timeout=15_000)
    assert page.get_by_text("it is read-only").count() == 0
    page.screenshot(path=str(ARTIFACTS / "workflow-returned.png"))
    head = _head(store, doc)
    assert head is not None and head.revision == 2 and head.status is AnnotationStatus.in_progress
    _label(page, NEWS, "واشنگتن", "g")
    wait_until(lambda: (c := _content(store, doc)) and any(e["text"] == "واشنگتن" for e in c["entities"]),
               "an edit after the return")
    page.close()


@pytest.mark.parametrize(("words", "doc_id"), [
    ("Sputnik", "doc-9e705d7e6b08fba9"),                          # publisher
    ("الکاظمی بخواهد", "doc-4736a90c1ab941fc"),                    # title
    ("آسوشیتدپرس", "doc-21900c2e73c82475"),                         # text only (not its title)
])
def test_queue_search_over_publisher_title_and_text_then_the_row_opens(
    browser: Any, served: tuple[str, Project], words: str, doc_id: str
) -> None:
    url, _ = served
    page = sign_in(browser, url, "sara", PASSWORD, width=1280, height=720)
    search = page.get_by_role("textbox", name="Search")
    search.fill(words)
    search.press("Enter")
    page.get_by_text(re.compile(r"\bof 1 document\(s\) submitted")).wait_for(timeout=15_000)
    box = page.locator('[data-testid="stDataFrame"]').bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 120, box["y"] + 36 + 18)
    page.wait_for_function(f"document.querySelector('.annot-labeler')?.dataset.docId === '{doc_id}'",
                           timeout=30_000)
    page.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1440, 900)])
def test_queue_columns_fit_and_screenshots_of_queue_and_annotate(
    browser: Any, served: tuple[str, Project], dark: bool, width: int, height: int
) -> None:
    """The annotator's queue has no horizontal scroll (no column cut off) at either size, in either theme."""
    url, _ = served
    page = sign_in(browser, url, "sara", PASSWORD, width=width, height=height, dark=dark)
    page.locator('[data-testid="stDataFrame"] .dvn-scroller').first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    overflow = page.evaluate("(() => { const s = document.querySelector('[data-testid=\"stDataFrame\"] .dvn-scroller');"
                             " return s.scrollWidth - s.clientWidth; })()")
    theme = "dark" if dark else "light"
    page.screenshot(path=str(ARTIFACTS / f"workflow-queue-{theme}-{width}.png"))
    assert overflow <= 0, f"the queue scrolls sideways by {overflow} px at {width}x{height}"
    open_in_picker(page, "doc-wf-4")
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"workflow-annotate-{theme}-{width}.png"))
    page.close()
