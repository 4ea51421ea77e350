"""The gold editor's consistency check (issue 16): the Adjudicate page's labeler mode lists the gold set's date
links with their verdicts, as the Annotate page does; "Save as gold" first lists what is unfinished (the
annotation page's check before submit) and asks, and saves at once when nothing is; a note on an inconsistent
link says why it stays and clears it; the gold is stored with the curator's provenance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import curation_project as cp
import pytest
from apptest_helpers import make_app, ok, texts
from streamlit.testing.v1 import AppTest

from annotate.annotation.workspace import unfinished_items
from annotate.app.context import ADJUDICATE_DOC
from annotate.app.ui import plain
from annotate.curation import adjudication as adj
from annotate.curation import gold_sets
from annotate.errors import InputError
from annotate.models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, CommentKind
from annotate.project import Project
from annotate.text.bidi import quote

DOC = cp.CONTRADICTION
EDIT = "Edit gold in the labeler"
UNFINISHED_LINK = cp.CONTRADICTION_LINK


@pytest.fixture
def proj(tmp_path: Path) -> Iterator[Project]:
    """One Arabic sentence whose two dates the source contradicts (January vs December): ali and sara accepted the
    engine's dates and their inconsistent link, and agree on the coalition, not on Baghdad (GPE vs LOC)."""
    project = cp.build_contradiction(tmp_path / "p")
    yield project
    project.close()


def open_doc(project: Project, doc_id: str = DOC.id) -> AppTest:
    at = make_app(project.path, "cura", None)
    at.session_state[ADJUDICATE_DOC] = doc_id
    return ok(at.switch_page("views/adjudicate.py").run())


def click(at: AppTest, key: str) -> AppTest:
    return ok(at.button(key=key).click().run())


def links_list(at: AppTest) -> tuple[str, list[str]]:
    """The label of the Date links list and what it writes, one element a line."""
    (found,) = [e for e in at.expander if e.label.startswith("Date links")]
    return found.label, [m.value for m in found.markdown]


def working(at: AppTest, doc_id: str = DOC.id) -> AnnotationSet:
    return at.session_state["adjudicate_ws"][doc_id].aset


def asked(at: AppTest) -> bool:
    return "not finished in this document" in texts(at)


def test_the_gold_editor_lists_each_link_with_its_verdict(proj: Project, tmp_path: Path) -> None:
    at = open_doc(proj)
    click(at, "adjudicate_auto")
    ok(at.segmented_control(key="adjudicate_mode").set_value(EDIT).run())
    (link,) = working(at).links
    dates = {d.id: d.text for d in working(at).dates}
    label, lines = links_list(at)
    assert label == "Date links (1)"
    pair = f"{quote(plain(dates[link.source]))} = {quote(plain(dates[link.target]))}"
    assert lines[lines.index(pair) + 1] == ":red[INCONSISTENT: January vs December]"
    assert at.button(key=f"adjudicate_unlink_{link.id}")  # each link can be removed
    # A consistent link (the Dari article's date and its Gregorian equivalent) says so, in green.
    news = cp.build(tmp_path / "news")
    try:
        at = open_doc(news, cp.PRS.id)
        click(at, "adjudicate_auto")
        ok(at.segmented_control(key="adjudicate_mode").set_value(EDIT).run())
        (link,) = working(at, cp.PRS.id).links
        dates = {d.id: d.text for d in working(at, cp.PRS.id).dates}
        label, lines = links_list(at)
        assert label == "Date links (1)"
        pair = f"{quote(plain(dates[link.source]))} = {quote(plain(dates[link.target]))}"
        assert lines[lines.index(pair) + 1] == ":green[consistent]"
    finally:
        news.close()


def test_an_inconsistent_link_without_a_note_is_unfinished_until_a_note_says_why_it_stays(proj: Project) -> None:
    store = proj.store()
    at = open_doc(proj)
    click(at, "adjudicate_auto")
    click(at, "adjudicate_take_ali")  # every difference decided
    (link,) = working(at).links
    # "Save as gold" lists the link and saves nothing; "Keep working" closes the list.
    click(at, "adjudicate_save")
    assert asked(at) and UNFINISHED_LINK in texts(at)
    assert gold_sets.load_gold(store, DOC.id) is None
    click(at, "adjudicate_gold_cancel")
    assert not asked(at) and gold_sets.load_gold(store, DOC.id) is None
    # "Go to" opens the labeler on the link's first date; the links list is beside it.
    click(at, "adjudicate_save")
    click(at, "adjudicate_gold_goto_0")
    assert not asked(at)
    assert at.session_state["adjudicate_selected"] == link.source
    assert at.segmented_control(key="adjudicate_mode").value == EDIT
    assert f"**Gregorian:** `{next(d for d in working(at).dates if d.id == link.source).gregorian_label()}`" \
        in texts(at)
    # A note on the link says why it stays: nothing is unfinished any more, and the note is shown with the link.
    at.text_input(key=f"adjudicate_note_in_{link.id}").input("التاريخان متناقضان في المصدر نفسه")
    click(at, f"FormSubmitter:adjudicate_noteform_{link.id}-Add note")
    assert unfinished_items(at.session_state["adjudicate_ws"][DOC.id]) == []
    assert any(c.value.startswith("note on ") and "cura" in c.value for c in at.caption)
    (note,) = store.comments.list(DOC.id, GOLD_AUTHOR)
    assert (note.kind, note.target, note.author) == (CommentKind.note, link.id, "cura")
    # With nothing unfinished, "Save as gold" saves at once, with the curator's provenance.
    click(at, "adjudicate_save")
    assert not asked(at)
    gold = gold_sets.load_gold(store, DOC.id)
    assert gold is not None and (gold.status, gold.revision) == (AnnotationStatus.gold, 1)
    assert [(ln.id, ln.consistent, ln.reason) for ln in gold.links] == [(link.id, False, "January vs December")]
    prov = gold.metadata[adj.PROVENANCE_KEY]
    baghdad = next(e for e in gold.entities if e.text == "بغداد")
    coalition = next(e for e in gold.entities if e.text == "التحالف")
    assert (baghdad.type, prov[baghdad.id]["how"], prov[baghdad.id]["agreed_by"]) == ("GPE", "accepted", ["ali"])
    assert (prov[coalition.id]["how"], prov[coalition.id]["by"]) == ("auto", "cura")
    assert prov[link.id]["how"] == "auto"
    assert gold.metadata[adj.ADJUDICATION_KEY]["saved_by"] == "cura"
    assert any("Gold set saved" in s.value for s in at.success)
    # The note belongs to the gold set: a curator who reopens it finds the link noted.
    gold_sets.reopen_gold(store, DOC.id, actor="cura")
    reopened = gold_sets.gold_workspace(store, store.taxonomy, DOC.id, store.users.get("cura"))
    assert link.id in reopened.noted and unfinished_items(reopened) == []


def test_save_as_gold_anyway_stores_what_the_curator_confirmed(proj: Project) -> None:
    """Confirmed with the link unnoted: stored as gold with the curator's provenance, the link inconsistent as the
    source has it; a link removed in the gold editor is gone from gold."""
    store = proj.store()
    at = open_doc(proj)
    click(at, "adjudicate_auto")
    ok(at.segmented_control(key="adjudicate_mode").set_value(EDIT).run())
    click(at, "adjudicate_save")
    assert UNFINISHED_LINK in texts(at)
    click(at, "adjudicate_gold_confirm")
    gold = gold_sets.load_gold(store, DOC.id)
    assert gold is not None and gold.status is AnnotationStatus.gold
    assert [(ln.consistent, ln.reason) for ln in gold.links] == [(False, "January vs December")]
    assert gold.metadata[adj.ADJUDICATION_KEY]["saved_by"] == "cura"
    # Reopen, remove the link in the gold editor: nothing is unfinished, the save is immediate.
    click(at, "adjudicate_reopen")
    ok(at.segmented_control(key="adjudicate_mode").set_value(EDIT).run())
    (link,) = working(at).links
    click(at, f"adjudicate_unlink_{link.id}")
    assert links_list(at)[0] == "Date links (0)"
    click(at, "adjudicate_save")
    assert not asked(at)
    gold = gold_sets.load_gold(store, DOC.id)
    assert gold is not None and (gold.status, gold.revision, gold.links) == (AnnotationStatus.gold, 3, [])


def test_save_workspace_refuses_a_final_save_with_unfinished_work_unless_confirmed(proj: Project) -> None:
    store = proj.store()
    gold_sets.auto_adjudicate(store, DOC.id, actor="cura", final=False)
    ws = gold_sets.gold_workspace(store, store.taxonomy, DOC.id, store.users.get("cura"))
    diff = gold_sets.open_session(store, DOC.id).diff
    assert [u.kind for u in unfinished_items(ws)] == ["link"]
    with pytest.raises(InputError, match="1 thing is unfinished: link"):
        gold_sets.save_workspace(store, ws, diff, final=True)
    draft = gold_sets.save_workspace(store, ws, diff, final=False)  # a draft save is never refused for it
    assert draft.status is AnnotationStatus.in_progress
    saved = gold_sets.save_workspace(store, draft, diff, final=True, confirmed=True)
    assert saved.status is AnnotationStatus.gold and saved.base_revision == 3
