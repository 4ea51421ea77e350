"""AppTest flows of the annotator's workflow on the annotation page: undo/redo, submit checks, next document, reopen.

Labeler actions (create, undo, redo) are handed to the page the way the component's callback queues them; the
browser path is in tests/browser/test_workflow_e2e.py.  Every assertion on data reads the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_helpers import act, click, component_data, make_app, open_annotation_page, shown_text
from streamlit.testing.v1 import AppTest

from annotate.annotation.actions import LabelerAction
from annotate.annotation.prelabel import prelabel
from annotate.app.context import SESSION_DOC
from annotate.models import AnnotationStatus, Document
from annotate.project import Project, init_project
from annotate.store import Store
from annotate.text.bidi import quote

ZWNJ = "\u200c"
TEXTS = {
    "doc-a": f"سخنگو گفت نیروها به{ZWNJ}زودی در ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) از بغداد خارج می{ZWNJ}شوند.",
    "doc-b": "قال المتحدث إن الاجتماع عقد في بغداد يوم 3 يناير 2020.",
    "doc-c": "وزارت عدلیه گفت نشست بعدی در کابل برگزار می‌شود.",
}


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Project]:
    """Three documents (fa, ar, prs) pre-labelled by the date engine, one annotator and a curator."""
    p = init_project(tmp_path / "project")
    store = p.store()
    langs = {"doc-a": "fa", "doc-b": "ar", "doc-c": "prs"}
    store.documents.put([Document.create(t, lang=langs[i], id=i, reference_date="2020-02-02")
                         for i, t in TEXTS.items()], actor="test")
    list(prelabel(store, actor="test"))
    store.users.add("alice", "annotator", "password123", actor="test")
    store.users.add("cora", "curator", "password123", actor="test")
    yield p
    p.close()


@pytest.fixture
def store(proj: Project) -> Store:
    return proj.store()


def open_page(proj: Project, user: str = "alice", doc_id: str = "doc-a") -> AppTest:
    return open_annotation_page(proj.path, user, doc_id)


def create(doc_id: str, piece: str, label: str, kind: str = "entity", seq: int = 1) -> LabelerAction:
    s = TEXTS[doc_id].index(piece)
    return LabelerAction(type="create", seq=seq, kind=kind, label=label, start=s, end=s + len(piece))


def draft_entities(store: Store, doc_id: str = "doc-a") -> list[str]:
    d = store.drafts.find(doc_id, "alice")
    return [m.text for m in d.aset.entities] if d else []


def test_undo_and_redo_buttons_name_the_step_and_change_the_draft(proj: Project, store: Store) -> None:
    at = open_page(proj)
    assert at.button(key="ann_undo").disabled and at.button(key="ann_redo").disabled
    act(at, create("doc-a", "سخنگو", "PER"), create("doc-a", "بغداد", "GPE", seq=2))
    assert at.button(key="ann_undo").label == f"Undo: label GPE {quote('بغداد')}"
    click(at, "ann_undo")
    assert draft_entities(store) == ["سخنگو"]
    assert at.button(key="ann_redo").label == f"Redo: label GPE {quote('بغداد')}"
    assert at.button(key="ann_undo").label == f"Undo: label PER {quote('سخنگو')}"
    click(at, "ann_redo")
    assert draft_entities(store) == ["سخنگو", "بغداد"]
    assert at.session_state["ann_selected"] == store.drafts.find("doc-a", "alice").aset.entities[1].id  # type: ignore[union-attr]


def test_labeler_undo_and_redo_actions_work_across_a_save(proj: Project, store: Store) -> None:
    at = open_page(proj)
    act(at, create("doc-a", "بغداد", "GPE"))
    click(at, "ann_save")
    mid = store.sets.get("doc-a", "alice").entities[0].id
    act(at, LabelerAction(type="delete", seq=2, id=mid))
    click(at, "ann_save")
    assert store.sets.get("doc-a", "alice").entities == []
    act(at, LabelerAction(type="undo", seq=3))
    assert draft_entities(store) == ["بغداد"]
    assert at.button(key="ann_redo").label == f"Redo: delete GPE {quote('بغداد')}"
    click(at, "ann_save")
    stored = store.sets.get("doc-a", "alice")
    assert stored.revision == 3 and [m.text for m in stored.entities] == ["بغداد"]
    assert store.sets.get("doc-a", "alice", 2).entities == []  # revision 2 is kept as it was
    act(at, LabelerAction(type="redo", seq=4))
    assert draft_entities(store) == []


def test_each_run_sends_what_ctrl_z_and_ctrl_y_would_draw(proj: Project, store: Store) -> None:
    """The page ends each run with the undo and redo previews for the labeler: after a create, undo takes the
    mark away; after that undo, redo brings it back and selects it; nothing to undo, nothing sent; none for a set
    that is read-only."""
    at = open_page(proj)
    assert component_data(at, "ann_labeler_previews")["previews"] == {}
    act(at, create("doc-a", "بغداد", "GPE"))
    mid = store.drafts.find("doc-a", "alice").aset.entities[0].id  # type: ignore[union-attr]
    sent = component_data(at, "ann_labeler_previews")
    feed = component_data(at, "ann_labeler_feed")
    assert (sent["static_key"], sent["version"]) == (feed["static_key"], feed["delta"]["version"])
    assert set(sent["previews"]) == {"undo"} and sent["buttons"] == {"undo": "ann_undo", "redo": "ann_redo"}
    undo = sent["previews"]["undo"]
    assert undo["marks"]["remove"] == [mid] and undo["status"] == f"undone: label GPE {quote('بغداد')}"
    act(at, LabelerAction(type="undo", seq=2))
    assert draft_entities(store) == []
    redo = component_data(at, "ann_labeler_previews")["previews"]["redo"]
    assert [m["id"] for m in redo["marks"]["upsert"]] == [mid] and redo["select"] == mid
    assert not redo["marks"]["upsert"][0]["suggestion"]
    click(at, "ann_save")
    cora = open_page(proj, "cora")
    cora.selectbox(key="ann_author_pick").set_value("alice").run()
    act(cora, LabelerAction(type="undo", seq=1))  # refused: read-only
    assert "read-only" in component_data(cora, "ann_labeler_feed")["status"]
    assert component_data(cora, "ann_labeler_previews")["previews"] == {}


def test_a_retype_in_the_labeler_and_its_undo_are_not_put_back_by_the_panel(proj: Project, store: Store) -> None:
    """The side panel's Type box shows the mark's type after a retype by key, an undo and a redo, and never puts
    the old one back (a keyed widget keeps its own value across runs)."""
    at = open_page(proj)
    act(at, create("doc-a", "بغداد", "GPE"))
    mid = store.drafts.find("doc-a", "alice").aset.entities[0].id  # type: ignore[union-attr]
    assert at.selectbox(key=f"ann_etype_{mid}").value == "GPE"  # the new mark is selected, its panel shown

    def types() -> list[str]:
        d = store.drafts.find("doc-a", "alice")
        return [m.type for m in d.aset.entities] if d else []

    act(at, LabelerAction(type="set_type", seq=2, id=mid, label="LOC"))
    at.run()  # a further run must not retype it back
    assert types() == ["LOC"] and at.selectbox(key=f"ann_etype_{mid}").value == "LOC"
    act(at, LabelerAction(type="undo", seq=3))
    at.run()
    assert types() == ["GPE"] and at.selectbox(key=f"ann_etype_{mid}").value == "GPE"
    assert at.button(key="ann_redo").label.startswith("Redo: retype")
    click(at, "ann_redo")
    assert types() == ["LOC"] and at.selectbox(key=f"ann_etype_{mid}").value == "LOC"


def test_submit_with_unfinished_work_lists_it_and_needs_confirmation(proj: Project, store: Store) -> None:
    at = open_page(proj)
    act(at, create("doc-a", "خارج", "WITHDRAWAL", "event"))
    click(at, "ann_submit")
    listed = " ".join(m.value for m in at.markdown)
    assert "neither accepted nor rejected" in listed and "has no actor" in listed
    assert not [i for i in store.sets.list_info("doc-a") if i.author == "alice"]  # nothing saved or submitted
    # Keep working closes the list; nothing is submitted.
    click(at, "ann_submit_cancel")
    assert not [i for i in store.sets.list_info("doc-a") if i.author == "alice"]
    # Go to an item selects it.
    click(at, "ann_submit")
    click(at, "ann_goto_0")
    assert at.session_state["ann_selected"] == store.drafts.find("doc-a", "alice").aset.events[0].id  # type: ignore[union-attr]
    click(at, "ann_submit")
    click(at, "ann_submit_confirm")
    assert store.sets.get("doc-a", "alice").status is AnnotationStatus.submitted
    # The next document of the queue opened.
    assert at.selectbox(key="ann_doc_pick").value == "doc-b"
    assert at.session_state["ann_workspace"].document.id == "doc-b"


def test_submit_with_nothing_unfinished_submits_at_once_and_the_last_document_says_so(
    proj: Project, store: Store
) -> None:
    for doc_id, following in (("doc-b", "doc-c"), ("doc-c", "doc-a"), ("doc-a", "doc-a")):
        at = open_page(proj, doc_id=doc_id)
        if any(b.key == "ann_acc_all" for b in at.button):
            click(at, "ann_acc_all")
        click(at, "ann_submit")
        assert store.sets.get(doc_id, "alice").status is AnnotationStatus.submitted
        assert at.selectbox(key="ann_doc_pick").value == following
    assert any("Nothing else is left" in t.value for t in at.toast)


def test_a_submitted_set_is_read_only_until_reopened(proj: Project, store: Store) -> None:
    at = open_page(proj, doc_id="doc-c")
    act(at, create("doc-c", "کابل", "GPE"))
    click(at, "ann_submit")
    assert store.sets.get("doc-c", "alice").status is AnnotationStatus.submitted
    again = open_page(proj, doc_id="doc-c")
    assert any("read-only" in i.value for i in again.info)
    assert again.button(key="ann_save").disabled and again.button(key="ann_submit").disabled
    act(again, create("doc-c", "وزارت عدلیه", "ORG", seq=2))
    assert [m.text for m in store.sets.get("doc-c", "alice").entities] == ["کابل"]
    assert store.drafts.find("doc-c", "alice") is None
    click(again, "ann_reopen")
    stored = store.sets.get("doc-c", "alice")
    assert stored.status is AnnotationStatus.in_progress and stored.revision == 2
    act(again, create("doc-c", "وزارت عدلیه", "ORG", seq=3))
    assert draft_entities(store, "doc-c") == ["وزارت عدلیه", "کابل"]


# --- the queue page ------------------------------------------------------------------------------------------


def test_queue_shows_titles_searches_and_opens_a_clicked_row(proj: Project, store: Store) -> None:
    at = make_app(proj.path, "alice", "views/queue.py")
    table = at.dataframe[0].value
    assert list(table.columns)[:6] == ["title", "publisher", "language", "length", "status", "progress"]
    assert list(table["title"]) == [TEXTS[d] for d in ("doc-a", "doc-b", "doc-c")]  # no title: the first line
    at.text_input(key="queue_search").input("بغداد").run()
    assert list(at.dataframe[0].value["document"]) == ["doc-a", "doc-b"]
    at.text_input(key="queue_search").input("بغداد كابل").run()  # Arabic kaf, and no document has both words
    assert any("No documents match" in i.value for i in at.info)
    at.text_input(key="queue_search").input("").run()
    # A click on a cell of the third row: the grid reports it as the selection of the table.
    at.session_state["queue_table_0"] = {"selection": {"rows": [], "columns": [], "cells": [[2, "title"]]}}
    at.run()
    assert not at.exception
    assert at.session_state[SESSION_DOC] == "doc-c"


# --- comments, flags and returns -----------------------------------------------------------------------------



def submit_form(at: AppTest, form: str, button: str) -> AppTest:
    at.button(key=f"FormSubmitter:{form}-{button}").click().run()
    assert not at.exception, at.exception
    return at


def test_notes_on_a_mark_and_the_document_reach_the_store_and_undo_takes_them_back(
    proj: Project, store: Store
) -> None:
    at = open_page(proj)
    act(at, create("doc-a", "بغداد", "GPE"))
    mark = store.drafts.find("doc-a", "alice").aset.entities[0]  # type: ignore[union-attr]
    assert at.session_state["ann_selected"] == mark.id
    at.text_input(key=f"ann_note_in_{mark.id}").input("نام شهر، نه دولت")
    submit_form(at, f"ann_noteform_{mark.id}", "Add note")
    (note,) = store.comments.list("doc-a", "alice")
    assert (note.target, note.target_text, note.text) == (mark.id, "بغداد", "نام شهر، نه دولت")
    assert any("نام شهر، نه دولت" in t for t in shown_text(at))
    assert at.button(key="ann_undo").label == f"Undo: note on {quote('بغداد')}"
    click(at, "ann_undo")
    assert store.comments.get(note.id).status.value == "withdrawn"
    at.text_input(key="ann_note_in_doc").input("متن خبر کامل نیست")
    submit_form(at, "ann_noteform_doc", "Add note")
    assert [c.target for c in store.comments.list("doc-a", "alice", statuses=["open"])] == [None]


def test_a_flag_reaches_the_curators_queue_which_opens_and_resolves_it(proj: Project, store: Store) -> None:
    at = open_page(proj, doc_id="doc-b")
    at.text_input(key="ann_flag_in").input("هل هذا النص مكرر؟ <img src=x onerror=alert(1)>")
    submit_form(at, "ann_flag_form", "Flag")
    (flag_,) = store.comments.list("doc-b", "alice", kinds=["flag"])
    assert flag_.status.value == "open"
    queue = make_app(proj.path, "cora", "views/queue.py")
    (shown,) = [t for t in shown_text(queue) if "هل هذا النص مكرر؟" in t]
    assert 'dir="auto"' in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown and "<img" not in shown
    assert any("flagged by **alice**" in c.value for c in queue.caption)
    annotator_queue = make_app(proj.path, "alice", "views/queue.py")
    assert not any("Flagged" in e.label for e in annotator_queue.expander)
    click(queue, f"queue_flag_open_{flag_.id}")
    assert queue.session_state[SESSION_DOC] == "doc-b"
    queue = make_app(proj.path, "cora", "views/queue.py")
    click(queue, f"queue_flag_resolve_{flag_.id}")
    assert store.comments.get(flag_.id).status.value == "resolved"
    assert any(e.label.startswith("Flagged for a curator (0)") for e in queue.expander)


def test_a_curator_returns_a_submitted_set_and_the_annotator_sees_the_note(proj: Project, store: Store) -> None:
    at = open_page(proj, doc_id="doc-c")
    act(at, create("doc-c", "کابل", "GPE"))
    click(at, "ann_submit")
    assert store.sets.get("doc-c", "alice").status is AnnotationStatus.submitted
    cora = open_page(proj, "cora", doc_id="doc-c")
    cora.selectbox(key="ann_author_pick").set_value("alice").run()
    cora.text_area(key="ann_return_note").input("وزارت عدلیه را هم علامت بزنید")
    submit_form(cora, "ann_return_form", "Return to annotator")
    assert store.sets.get("doc-c", "alice").status is AnnotationStatus.in_progress
    back = open_page(proj, doc_id="doc-c")
    assert any("Returned by cora" in w.value for w in back.warning)
    assert any("وزارت عدلیه را هم علامت بزنید" in t for t in shown_text(back))
    assert not back.button(key="ann_save").disabled
