"""AppTest flows on the annotation page: open a seed document, apply labeler actions, save, conflict, submit, roles.

The labeler is a browser component, which AppTest does not run; its actions are put in the queue that
:func:`annotate.app.labeler.take_actions` reads (what the component's callback fills), with code-point offsets.
The browser path itself is covered by tests/browser/test_app_e2e.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_helpers import act, click, open_annotation_page
from streamlit.testing.v1 import AppTest

from annotate.annotation.actions import LabelerAction
from annotate.annotation.prelabel import prelabel
from annotate.corpus.importer import import_paths
from annotate.models import AnnotationSet, AnnotationStatus, Document, EntityMention
from annotate.project import Project, init_project
from annotate.store import Store

ZWNJ = "\u200c"


@pytest.fixture
def proj(tmp_path: Path, seeds_dir: Path) -> Iterator[Project]:
    """A project with the seed corpus imported and pre-labelled, one extra document with ZWNJ, and four users."""
    p = init_project(tmp_path / "project")
    store = p.store()
    import_paths(store, [seeds_dir / "manifest.jsonl"], actor="test")
    store.documents.put(
        [Document.create(f"سخنگو گفت نیروها به{ZWNJ}زودی در ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) خارج می{ZWNJ}شوند.\nپایان",
                         lang="fa", id="doc-zwnj", reference_date="2020-02-02")],
        actor="test",
    )
    list(prelabel(store, actor="test"))
    for name, role in (("alice", "annotator"), ("bob", "annotator"), ("cora", "curator"), ("adam", "admin")):
        store.users.add(name, role, "password123", actor="test")
    yield p
    p.close()


@pytest.fixture
def store(proj: Project) -> Store:
    return proj.store()


def open_page(proj: Project, user: str, doc_id: str = "doc-zwnj") -> AppTest:
    return open_annotation_page(proj.path, user, doc_id)


def create(store: Store, piece: str, label: str, kind: str = "entity", seq: int = 1, doc_id: str = "doc-zwnj"
           ) -> LabelerAction:
    text = store.documents.get(doc_id).text
    s = text.index(piece)
    return LabelerAction(type="create", seq=seq, kind=kind, label=label, start=s, end=s + len(piece))


button = click


def errors(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.error)


@pytest.mark.parametrize("user", ["alice", "cora", "adam"])
def test_page_runs_for_every_role_on_every_seed(proj: Project, store: Store, user: str) -> None:
    for doc in store.documents.list():
        at = open_page(proj, user, doc.id)
        assert at.selectbox(key="ann_doc_pick").value == doc.id
        assert not at.error
        assert at.button(key="ann_save").disabled is False


def test_label_save_and_exact_offsets(proj: Project, store: Store) -> None:
    at = open_page(proj, "alice")
    piece = f"به{ZWNJ}زودی"
    act(at, create(store, piece, "LOC"))
    draft = store.drafts.find("doc-zwnj", "alice")
    assert draft is not None and [m.text for m in draft.aset.entities] == [piece]
    assert "unsaved changes" in at.markdown[0].value or any("unsaved" in m.value for m in at.markdown)
    button(at, "ann_save")
    stored = store.sets.get("doc-zwnj", "alice")
    text = store.documents.get("doc-zwnj").text
    (m,) = stored.entities
    assert (m.start, m.end, m.text, m.type) == (text.index(piece), text.index(piece) + len(piece), piece, "LOC")
    assert store.drafts.find("doc-zwnj", "alice") is None
    assert any("revision 1" in m.value for m in at.markdown)


def test_unsaved_work_survives_a_reload_and_is_restored(proj: Project, store: Store) -> None:
    at = open_page(proj, "alice")
    act(at, create(store, "سخنگو", "PER"))
    reloaded = open_page(proj, "alice")  # a new session: what a browser reload gives
    assert any("unsaved work" in w.value for w in reloaded.warning)
    button(reloaded, "ann_restore")
    button(reloaded, "ann_save")
    assert [m.text for m in store.sets.get("doc-zwnj", "alice").entities] == ["سخنگو"]


def test_conflicting_save_is_reported_and_loses_nothing(proj: Project, store: Store) -> None:
    at = open_page(proj, "alice")
    act(at, create(store, "سخنگو", "PER"))
    # Meanwhile another tab of alice's saves first.
    text = store.documents.get("doc-zwnj").text
    s = text.index("پایان")
    other = AnnotationSet(doc_id="doc-zwnj", author="alice",
                          entities=[EntityMention(id="e-x", start=s, end=s + 5, text="پایان", type="LOC")])
    store.sets.save(other, base_revision=0, actor="alice")
    button(at, "ann_save")
    assert "Not saved" in errors(at)
    assert store.sets.list_conflicts("doc-zwnj", "alice")
    assert any("سخنگو" in t.value for t in at.text) and any("پایان" in t.value for t in at.text)
    button(at, "ann_merge")
    button(at, "ann_save")
    final = store.sets.get("doc-zwnj", "alice")
    assert final.revision == 2 and {m.text for m in final.entities} == {"سخنگو", "پایان"}


def test_submit_marks_the_set_submitted(proj: Project, store: Store) -> None:
    at = open_page(proj, "alice")
    button(at, "ann_acc_all")
    button(at, "ann_submit")
    stored = store.sets.get("doc-zwnj", "alice")
    assert stored.status is AnnotationStatus.submitted and stored.dates


def test_panels_date_value_link_and_event_argument(proj: Project, store: Store) -> None:
    at = open_page(proj, "alice")
    button(at, "ann_acc_all")
    ws_dates = store.drafts.find("doc-zwnj", "alice")
    assert ws_dates is not None and len(ws_dates.aset.dates) == 2
    solar = next(d for d in ws_dates.aset.dates if d.calendar == "solar_hijri")
    act(at, LabelerAction(type="select", seq=1, id=solar.id))
    assert any("2020-01-30" in m.value for m in at.markdown)
    at.number_input(key=f"ann_d_{solar.id}").set_value(11)
    at.button(key=f"FormSubmitter:ann_date_{solar.id}-Set value").click().run()
    assert not at.exception and not at.error
    assert any("2020-01-31" in m.value for m in at.markdown)
    # The engine's link is now inconsistent (11 Bahman is 31 January), and says why.
    assert any("INCONSISTENT" in m.value for m in at.markdown)
    draft = store.drafts.find("doc-zwnj", "alice")
    assert draft is not None and draft.aset.links and not draft.aset.links[0].consistent
    # An event with an argument, through the panel.
    act(at, create(store, "سخنگو", "PER", seq=2), create(store, "گفت", "STATEMENT", "event", seq=3))
    event_id = at.session_state["ann_selected"]
    assert event_id.startswith("ev-")
    assert any("Unfilled roles: speaker, addressee, place, time" in c.value for c in at.caption)
    at.selectbox(key=f"ann_role_{event_id}").set_value("speaker").run()
    button(at, f"ann_addarg_{event_id}")
    draft = store.drafts.find("doc-zwnj", "alice")
    assert draft is not None
    assert [(a.role, a.ref) for a in draft.aset.events[0].arguments] == [("speaker", draft.aset.entities[0].id)]
    assert any("Unfilled roles: addressee, place, time" in c.value for c in at.caption)


def test_blind_annotators_and_read_only_curators(proj: Project, store: Store) -> None:
    bob = open_page(proj, "bob")
    act(bob, create(store, "سخنگو", "PER"))
    button(bob, "ann_save")
    alice = open_page(proj, "alice")
    assert alice.selectbox(key="ann_author_pick").options == ["mine"]
    assert not any("سخنگو" in t.value for t in alice.markdown)
    cora = open_page(proj, "cora")
    assert cora.selectbox(key="ann_author_pick").options == ["mine", "bob (read-only)"]
    cora.selectbox(key="ann_author_pick").set_value("bob").run()
    assert not cora.exception
    assert cora.button(key="ann_save").disabled and cora.button(key="ann_submit").disabled
    act(cora, create(store, "گفت", "PER"))
    assert store.sets.get("doc-zwnj", "bob").revision == 1
    assert [m.text for m in store.sets.get("doc-zwnj", "bob").entities] == ["سخنگو"]


def test_event_panel_sets_modality_polarity_and_tense(proj: Project, store: Store) -> None:
    """The event's three attribute choices change the working set (autosaved draft) and the save stores them."""
    at = open_page(proj, "alice")
    act(at, create(store, "خارج می\u200cشوند", "WITHDRAWAL", "event"))
    event_id = at.session_state["ann_selected"]
    assert at.radio(key=f"ann_modality_{event_id}_asserted").value == "asserted"
    assert at.radio(key=f"ann_tense_{event_id}_unspecified").options == ["past", "present", "future", "unspecified"]
    at.radio(key=f"ann_tense_{event_id}_unspecified").set_value("future").run()
    assert not at.exception
    assert any("has modality other" in c.value for c in at.caption)  # the guidelines' rule, said where it applies
    at.radio(key=f"ann_modality_{event_id}_asserted").set_value("other").run()
    assert not any("has modality other" in c.value for c in at.caption)
    draft = store.drafts.find("doc-zwnj", "alice")
    assert draft is not None
    assert draft.aset.events[0].attributes() == {"modality": "other", "polarity": "positive", "tense": "future"}
    # A fresh widget shows the stored value (its key carries it).
    assert at.radio(key=f"ann_modality_{event_id}_other").value == "other"
    button(at, "ann_save")
    saved = store.sets.get("doc-zwnj", "alice").events[0]
    assert (saved.modality, saved.tense) == ("other", "future")
    # Read-only for a curator opening alice's set.
    cora = open_page(proj, "cora")
    cora.selectbox(key="ann_author_pick").set_value("alice").run()
    act(cora, LabelerAction(type="select", seq=1, id=event_id))
    assert cora.radio(key=f"ann_modality_{event_id}_other").disabled


def test_the_key_table_names_every_key_the_labeler_handles() -> None:
    """KEYS (bound in the browser, listed in the labeler's help and on the page) and labeler.js's key handler must
    not drift apart: every action of the table is handled, and the help lists the label keys by their caps."""
    import re

    from annotate.app import labeler as lab
    from annotate.taxonomy import default_taxonomy

    js = (Path(lab.__file__).parent / "components" / "labeler" / "labeler.js").read_text(encoding="utf-8")
    handler = js[js.index("function onKey(") :]
    handler = handler[: handler.index("\n}\n")]
    handled = set(re.findall(r'action === "([^"]+)"', handler))
    assert {k.action for k in lab.KEYS if k.action} - handled == set()
    rows = lab.key_help(default_taxonomy())
    assert ("L", "entity: Location (LOC)") in rows and ("D", "date: Date (DATE)") in rows
    assert ("1", "event: Attack (ATTACK)") in rows


def _suggestion_rows(at: AppTest) -> list[str]:
    """The ids of the suggestion rows shown (each row has its own accept button, ``ann_acc_<id>``)."""
    panel_keys = {"ann_acc_all", "ann_acc_above", "ann_acc_sel"}
    return [b.key.removeprefix("ann_acc_") for b in at.button
            if (b.key or "").startswith("ann_acc_") and b.key not in panel_keys]


def test_suggestions_show_a_page_at_a_time_surest_first(proj: Project, store: Store) -> None:
    """A follower run of the suggestions panel sends one page of rows (10), not all of them: the pager turns
    through every pending suggestion, each once, the surest first, and the page closes up as rows are accepted."""
    from annotate.annotation.workspace import open_workspace
    from annotate.taxonomy import default_taxonomy

    alice = store.users.get("alice")
    opened = {d.id: open_workspace(store, default_taxonomy(), d.id, alice) for d in store.documents.list()}
    doc_id, ws = max(opened.items(), key=lambda kv: len(kv[1].pending()))
    pending = ws.pending()
    assert 10 < len(pending) <= 20, "a seed with two pages of suggestions"
    at = open_page(proj, "alice", doc_id)
    first = _suggestion_rows(at)
    assert len(first) == 10
    assert any(c.value == f"1–10 of {len(pending)}" for c in at.caption)
    assert at.button(key="ann_sugg_prev").disabled and not at.button(key="ann_sugg_next").disabled
    button(at, "ann_sugg_next")
    second = _suggestion_rows(at)
    assert len(second) == len(pending) - 10 and at.button(key="ann_sugg_next").disabled
    assert any(c.value == f"11–{len(pending)} of {len(pending)}" for c in at.caption)
    shown = first + second
    assert sorted(shown) == sorted(pending)
    scores = [ws.confidence(s) for s in shown]
    assert scores == sorted(scores, reverse=True)
    # Accepting rows of the last page (a date may take its link along): it shrinks, and once one page holds them
    # all the pager goes and the page is the first.
    accepted = []
    while [b for b in at.button if b.key == "ann_sugg_next"]:
        accepted.append(_suggestion_rows(at)[-1])
        button(at, f"ann_acc_{accepted[-1]}")
    left = _suggestion_rows(at)
    assert 0 < len(left) <= 10 and set(left) <= set(shown) - set(accepted)
    assert any(e.label == f"Pre-annotations ({len(left)} pending)" for e in at.expander)
    draft = store.drafts.find(doc_id, "alice")
    assert draft is not None
    assert set(accepted) <= {x.id for layer in (draft.aset.entities, draft.aset.dates, draft.aset.events,
                                                 draft.aset.links) for x in layer}
    button(at, "ann_acc_all")
    assert _suggestion_rows(at) == [] and any(c.value == "No pending suggestions." for c in at.caption)
